"""Reading an XLSX sheet as a table of text, and the formula cells it stores without values.

The workbook is a zip, checked by :func:`geo._io_source.check_zip` before anything is
parsed. pandas reads the values (every cell as text); openpyxl reads the header as written
and, only when the workbook holds formulas at all, the formula cells, so that a formula
without a saved value (it reads as empty) is reported instead of passing for a blank.

Merged cells are read as the user sees them on screen (:mod:`geo._io_xlsx_merged`): the
top-left cell's value in every cell of the range, each filled row noted.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
import openpyxl
import pandas as pd
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from geo._errors import InputError
from geo._io_checks import KEPT, KEPT_ROW, REJECTED, Problems
from geo._io_source import Source, check_zip
from geo._io_xlsx_merged import Note, apply_merges, merged_ranges
from geo._say import at
from geo.messages import text

__all__ = ["Note", "load_xlsx", "report_formulas"]

BoolArray = npt.NDArray[np.bool_]
_SHOWN: Final = 60  # characters of a long formula quoted in a message
# A sheet's used rectangle (first cell to the last cell holding anything) may be at most
# 10 times its filled cells plus a million: a real table is mostly filled; a table of
# 100,000 rows with a stray note in column Z still passes; one cell at XFD1048576 does not.
_STRAY_FACTOR: Final = 10
_STRAY_ALLOWANCE: Final = 1_000_000


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."


class _Scan(NamedTuple):
    names: list[str]
    formulas: list[tuple[int, int, str]]
    present: int
    last_row: int
    last_column: int
    title: str
    merged: list[tuple[int, int, int, int]]


def _sheet_cells(data: bytes, sheet: str | None, display: str) -> _Scan:
    """Scan the sheet's cells as they are in the file: header, formulas, the used extent.

    pandas renames repeated header names and shows only a formula's saved value (nothing
    when the file was written by a program that does not compute formulas), so both come
    from openpyxl: read-only, formulas as text. Read-only openpyxl trusts the sheet's
    declared ``<dimension>`` and pads every row to its width: a 2 KB file declaring
    A1:XFD1048576 would mean 17 billion cells. The dimension is reset, so only cells
    present in the file are visited, and the extent of the cells that hold something is
    measured here, before pandas fills the rectangle up to it. The merged ranges are
    read from the same part of the file, only when it declares any.
    """
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb.worksheets[0] if sheet is None else wb[sheet]
        if not isinstance(ws, ReadOnlyWorksheet):  # pragma: no cover - read_only gives these
            raise InputError(text("geo.xlsx.unreadable", file=display, error=type(ws).__name__))
        ws.reset_dimensions()
        names: list[str] = []
        found: list[tuple[int, int, str]] = []
        present = last_row = last_column = 0
        for r, row in enumerate(ws.iter_rows(), start=1):
            if r == 1:
                names = ["" if c.value is None else str(c.value).strip() for c in row]
            for c in row:
                if c.value is None or c.row is None or c.column is None:
                    continue
                present += 1
                last_row = max(last_row, int(c.row))
                last_column = max(last_column, int(c.column))
                if c.data_type == "f":
                    value = c.value
                    # Array formulas come as objects holding the text.
                    formula = str(getattr(value, "text", value))
                    found.append((int(c.row), int(c.column), formula))
        merged = merged_ranges(ws)
        return _Scan(names, found, present, last_row, last_column, ws.title, merged)
    finally:
        wb.close()


def _check_extent(scan: _Scan, display: str) -> None:
    """Refuse a sheet whose few cells span a huge rectangle (pandas would fill it all)."""
    area = scan.last_row * scan.last_column
    if area <= _STRAY_FACTOR * scan.present + _STRAY_ALLOWANCE:
        return
    cell = f"{openpyxl.utils.get_column_letter(scan.last_column)}{scan.last_row}"
    raise InputError(
        text(
            "geo.limits.xlsx_extent",
            file=display,
            sheet=scan.title,
            cell=cell,
            rows=scan.last_row,
            cols=scan.last_column,
            present=scan.present,
        )
    )


def load_xlsx(
    src: Source, sheet: str | None
) -> tuple[pd.DataFrame, list[str], list[tuple[int, int, str]], list[Note]]:
    """Return the sheet as text (merged cells filled), its header, formulas and merge notes."""
    data = src.read_bytes()
    if not data:
        raise InputError(text("geo.xlsx.empty", file=src.display))
    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as zf:
            check_zip(zf, src.display)
    except zipfile.BadZipFile:
        raise InputError(text("geo.xlsx.not_xlsx", file=src.display)) from None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it cannot keep: irrelevant
            # to reading values.
            warnings.simplefilter("ignore", UserWarning)
            # The cells present first: a sheet that is a few cells far apart is refused
            # before pandas builds the rectangle between them.
            scan = _sheet_cells(data, sheet, src.display)
            _check_extent(scan, src.display)
            # The first sheet unless one is named (workbooks often carry notes on later
            # sheets); only that sheet is parsed.
            table = pd.read_excel(
                io.BytesIO(data),
                sheet_name=0 if sheet is None else sheet,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                engine="openpyxl",
            )
    except InputError:
        raise
    except KeyError as exc:
        if sheet is not None and "does not exist" in str(exc):
            raise InputError(text("geo.xlsx.no_sheet", file=src.display, sheet=sheet)) from None
        raise InputError(text("geo.xlsx.unreadable", file=src.display, error=exc)) from None
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc):
            raise InputError(text("geo.xlsx.no_sheet", file=src.display, sheet=sheet)) from None
        raise InputError(text("geo.xlsx.unreadable", file=src.display, error=exc)) from None
    except (OSError, TypeError, zipfile.BadZipFile) as exc:
        # TypeError: openpyxl's own failure on a malformed part (e.g. styles.xml).
        raise InputError(text("geo.xlsx.unreadable", file=src.display, error=exc)) from None
    assert isinstance(table, pd.DataFrame)
    notes = apply_merges(table, scan.names, scan.merged, src.display, sheet=scan.title)
    return table, scan.names, scan.formulas, notes


def report_formulas(
    formulas: list[tuple[int, int, str]],
    raw: pd.DataFrame,
    keep: BoolArray,
    display: str,
    *,
    coordinates: set[str | None],
    problems: Problems,
) -> None:
    """Report formula cells that carry no saved value (they read as empty).

    Programs that write workbooks without computing them (openpyxl, many exporters)
    store the formula alone; only Excel or WPS computes and saves its value.
    """
    if not formulas:
        return
    empty = raw.isna().to_numpy(dtype=bool)
    for row, col, formula in formulas:
        i, j = row - 2, col - 1
        inside = 0 <= i < len(raw) and j < raw.shape[1]
        if i < 0 or (inside and not empty[i, j]):
            # The header row, and cells whose saved value was read, need nothing.
            continue
        column = str(raw.columns[j]) if j < raw.shape[1] else openpyxl.utils.get_column_letter(col)
        kept = 0 <= i < len(raw) and bool(keep[i])
        if not kept:
            action, fate = REJECTED, text("geo.xlsx.fate_rejected")
        elif column in coordinates:
            action, fate = KEPT, text("geo.xlsx.fate_unlocated")
        else:
            action, fate = KEPT_ROW, text("geo.xlsx.fate_kept")
        shown = _shown(formula)
        message = text(
            "geo.xlsx.formula", at=at(display, row), column=column, formula=shown, fate=fate
        )
        problems.add(row, column, shown, message, action)
