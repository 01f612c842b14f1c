"""Reading an XLSX sheet as a table of text, and the formula cells it stores without values.

The workbook is a zip, checked by :func:`geo._io_source.check_zip` before anything is
parsed. pandas reads the values (every cell as text); openpyxl reads the header as written
and, only when the workbook holds formulas at all, the formula cells, so that a formula
without a saved value (it reads as empty) is reported instead of passing for a blank.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from typing import Final

import numpy as np
import numpy.typing as npt
import openpyxl
import pandas as pd

from geo._errors import InputError
from geo._io_checks import KEPT, KEPT_ROW, REJECTED, Problems
from geo._io_source import Source, check_zip
from geo._say import at
from geo.messages import text

__all__ = ["load_xlsx", "report_formulas"]

BoolArray = npt.NDArray[np.bool_]
_SHOWN: Final = 60  # characters of a long formula quoted in a message
# A formula element in worksheet XML: <f>, <f t="shared" .../>, with or without a prefix.
_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."


def _has_formulas(zf: zipfile.ZipFile) -> bool:
    """Whether any worksheet holds a formula (``<f>`` element), read in streamed chunks."""
    for info in zf.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with zf.open(info) as fh:
            tail = b""
            while chunk := fh.read(1024 * 1024):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    return False


def _sheet_cells(
    data: bytes, sheet: str | None, *, formulas: bool
) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Return the sheet's first row as written, and its formula cells (row, column, text).

    pandas renames repeated header names and shows only a formula's saved value (nothing
    when the file was written by a program that does not compute formulas), so both come
    from openpyxl: read-only, formulas as text, and only the first row unless the workbook
    has formulas at all.
    """
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb.worksheets[0] if sheet is None else wb[sheet]
        names: list[str] = []
        found: list[tuple[int, int, str]] = []
        for r, row in enumerate(ws.iter_rows(max_row=None if formulas else 1), start=1):
            if r == 1:
                names = ["" if c.value is None else str(c.value).strip() for c in row]
            if not formulas:
                break
            for c in row:
                if c.data_type == "f" and c.row is not None and c.column is not None:
                    value = c.value
                    # Array formulas come as objects holding the text.
                    formula = str(getattr(value, "text", value))
                    found.append((int(c.row), int(c.column), formula))
        return names, found
    finally:
        wb.close()


def load_xlsx(
    src: Source, sheet: str | None
) -> tuple[pd.DataFrame, list[str], list[tuple[int, int, str]]]:
    """Return the sheet (every cell as text), its header as written and its formula cells."""
    data = src.read_bytes()
    if not data:
        raise InputError(text("geo.xlsx.empty", file=src.display))
    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as zf:
            check_zip(zf, src.display)
            formulas = _has_formulas(zf)
    except zipfile.BadZipFile:
        raise InputError(text("geo.xlsx.not_xlsx", file=src.display)) from None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it cannot keep: irrelevant
            # to reading values.
            warnings.simplefilter("ignore", UserWarning)
            sheets = pd.read_excel(
                io.BytesIO(data),
                sheet_name=None if sheet is None else [sheet],
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                engine="openpyxl",
            )
            names, cells = _sheet_cells(data, sheet, formulas=formulas)
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc):
            raise InputError(text("geo.xlsx.no_sheet", file=src.display, sheet=sheet)) from None
        raise InputError(text("geo.xlsx.unreadable", file=src.display, error=exc)) from None
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(text("geo.xlsx.unreadable", file=src.display, error=exc)) from None
    # The first sheet unless one is named: workbooks often carry notes on later sheets.
    return next(iter(sheets.values())), names, cells


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
