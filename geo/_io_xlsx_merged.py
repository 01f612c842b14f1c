"""Merged cells of an XLSX sheet, read as the user sees them on screen.

Registry exports often merge a value over the rows it applies to (the park's name over all
its firms, one coordinate pair over the firms at one address). The file stores the value
in the range's top-left cell only; every other cell is empty, so read cell by cell those
rows would lose the value (and count as "without coordinates"). Here the top-left value is
filled into every cell of the range and each filled row gets a note naming the range, so
the user can check that the value belongs there.

A merged range in the header row names its first column only: the other columns have no
name of their own (pandas reads them as ``Unnamed: i``), and each gets a note saying so.

A crafted file may declare any range (``A1:XFD1048576``): ranges are clipped to the table
pandas read, which is already bounded by the cells present in the file, and ranges that
overlap (Excel refuses to open such a file) are refused, so the cells filled never exceed
the table's own.
"""

from __future__ import annotations

import sys
from typing import IO, Final, NamedTuple
from xml.etree.ElementTree import Element

import numpy as np
import numpy.typing as npt
import pandas as pd
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.functions import iterparse

from geo._errors import InputError
from geo._io_checks import KEPT_ROW
from geo._say import at
from geo.messages import Text, text

__all__ = ["Note", "apply_merges", "merged_ranges"]

_MERGE_CELL: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_NEEDLE: Final = b"mergeCell"
_BLOCK: Final = 1 << 20  # bytes of the sheet's XML scanned at a time for any merge
_SHOWN: Final = 60  # characters of a long value quoted in a message

Box = tuple[int, int, int, int]
"""A range as (first column, first row, last column, last row), 1-based, inclusive."""


class Note(NamedTuple):
    """One row of the problems table about a merged range."""

    row: int
    column: str
    value: str
    message: Text
    action: str


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."


def _mentions(src: IO[bytes], needle: bytes) -> bool:
    """Tell whether the stream holds ``needle``, reading it in blocks (no XML parsed)."""
    tail = b""
    while block := src.read(_BLOCK):
        if needle in tail + block[: len(needle)] or needle in block:
            return True
        tail = block[-(len(needle) - 1) :]
    return False


def _merge_refs(src: IO[bytes]) -> list[str]:
    """Return the ``ref`` of every ``<mergeCell>`` of a sheet's XML, in memory bounded.

    Each element is dropped from its parent once read, so the rows of a big sheet are not
    kept as a tree while the parser goes past them to the merges at the end.
    """
    refs: list[str] = []
    open_elements: list[Element] = []
    for event, element in iterparse(src, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        if element.tag == _MERGE_CELL:
            refs.append(str(element.get("ref", "")))
        if open_elements:
            # The element just closed is its parent's last child: drop it.
            del open_elements[-1][-1]
    return refs


def merged_ranges(ws: ReadOnlyWorksheet) -> list[Box]:
    """Return the merged ranges a read-only sheet declares (most sheets: none, cheaply).

    Read-only openpyxl skips ``<mergeCells>``, so the sheet's part is read again here,
    first as bytes for the word ``mergeCell`` and parsed only when it is there.

    Raises
    ------
    ValueError
        For a range that is not a cell range (the caller reports the file as unreadable).
    """
    # openpyxl keeps the sheet's part behind a private method; it is the only way to it.
    with ws._get_source() as src:
        if not _mentions(src, _NEEDLE):
            return []
    with ws._get_source() as src:
        refs = _merge_refs(src)
    boxes: list[Box] = []
    for ref in refs:
        c0, r0, c1, r1 = range_boundaries(ref)
        # Whole columns or rows ("A:A", "2:2") leave the open sides unset.
        boxes.append((c0 or 1, r0 or 1, c1 or sys.maxsize, r1 or sys.maxsize))
    return boxes


def _ref(c0: int, r0: int, c1: int, r1: int) -> str:
    """Name a range as a spreadsheet does (``A2:A5``, or ``B3`` for one cell)."""
    first = f"{get_column_letter(c0)}{r0}"
    return first if (c0, r0) == (c1, r1) else f"{first}:{get_column_letter(c1)}{r1}"


def _declared(box: Box) -> str:
    """Name a range as the file declares it (unbounded sides kept open)."""
    c0, r0, c1, r1 = box
    if sys.maxsize in (c1, r1):
        return f"{_ref(c0, r0, c0, r0)}:..."
    return _ref(*box)


def apply_merges(
    table: pd.DataFrame, names: list[str], merged: list[Box], display: str, *, sheet: str
) -> list[Note]:
    """Fill each merged range of ``table`` with its top-left value; return the notes.

    Parameters
    ----------
    table : pandas.DataFrame
        The sheet as pandas read it (the header is row 1, the first record row 2); filled
        in place.
    names : list of str
        The header as written.
    merged : list of tuple
        The sheet's merged ranges (:func:`merged_ranges`).
    display : str
        The file's name, for messages.
    sheet : str
        The sheet's name, for messages.

    Returns
    -------
    list of Note
        One per filled row of each range, and one per header column a range leaves
        without a name of its own.

    Raises
    ------
    geo.InputError
        ``geo.xlsx.merged_overlap`` for ranges that overlap.
    """
    if not merged:
        return []
    n_rows, n_cols = table.shape
    # Row 0 of the grid is the header; each cell of the table is covered at most once.
    covered = np.zeros((n_rows + 1, n_cols), dtype=bool)
    taken: list[tuple[Box, Box]] = []
    blank = table.isna().all(axis=1).to_numpy(dtype=bool)
    notes: list[Note] = []
    # Top to bottom, left to right: notes come in reading order whatever the file's order.
    for box in sorted(merged, key=lambda b: (b[1], b[0])):
        c0, r0, c1, r1 = box
        clipped = (c0, r0, min(c1, n_cols), min(r1, n_rows + 1))
        if clipped[2] < c0 or clipped[3] < r0 or clipped[:2] == clipped[2:]:
            continue  # beyond the table, or one cell: nothing to fill
        cells = covered[r0 - 1 : clipped[3], c0 - 1 : clipped[2]]
        if cells.any():
            other = next(b for b, c in taken if _overlap(c, clipped))
            raise InputError(
                text(
                    "geo.xlsx.merged_overlap",
                    file=display,
                    sheet=sheet,
                    first=_declared(other),
                    second=_declared(box),
                )
            )
        cells[:] = True
        taken.append((box, clipped))
        if r0 == 1:
            notes += _header_notes(table, names, box, clipped, display)
        else:
            notes += _fill(table, box, clipped, blank, display)
    return notes


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _header_notes(
    table: pd.DataFrame, names: list[str], box: Box, clipped: Box, display: str
) -> list[Note]:
    """Note each header column after the first of a range: it has no name of its own.

    The cells below the header that the range covers are read as the file holds them: a
    header spanning rows is a layout, not a value of the records.
    """
    c0, _, c1, _ = clipped
    name = names[c0 - 1] if c0 - 1 < len(names) else ""
    notes: list[Note] = []
    for c in range(c0 + 1, c1 + 1):
        own = names[c - 1] if c - 1 < len(names) else ""
        letter = get_column_letter(c)
        column = str(table.columns[c - 1])
        values = {
            "at": at(display, 1),
            "cell": f"{letter}1",
            "range": _declared(box),
            "name": _shown(name),
            "letter": letter,
            "column": column,
        }
        if own:
            message = text("geo.xlsx.merged_header_hidden", own=_shown(own), **values)
        else:
            message = text(
                "geo.xlsx.merged_header_blank",
                first=get_column_letter(c0),
                **values,
            )
        notes.append(Note(1, column, _shown(own), message, KEPT_ROW))
    return notes


def _fill(
    table: pd.DataFrame, box: Box, clipped: Box, blank: npt.NDArray[np.bool_], display: str
) -> list[Note]:
    """Fill a range below the header with its top-left value; note each filled row.

    Wholly blank lines the range reaches are left blank: they are not records, and a
    value merged past the table's last row must not make records of them.
    """
    c0, r0, c1, r1 = clipped
    i0, j0 = r0 - 2, c0 - 1
    top = table.iloc[[i0], j0]
    if bool(top.isna().iloc[0]):
        return []  # the screen shows an empty range: nothing to fill
    value = str(top.iloc[0])
    rows = np.arange(i0, r1 - 1)
    rows = rows[(rows == i0) | ~blank[rows]]
    hidden: dict[int, str] = {}
    for j in range(j0, c1):
        targets = rows[rows != i0] if j == j0 else rows
        column = table.iloc[:, j].to_numpy(dtype=object, copy=True)
        old = column[targets]
        # Values the range hides (crafted files; Excel keeps only the top-left one).
        differs = ~pd.isna(old)
        differs[differs] = old[differs] != value
        for i, cell in zip(targets[differs].tolist(), old[differs].tolist(), strict=True):
            hidden.setdefault(i, str(cell))
        column[targets] = value
        table.isetitem(j, column)
    notes: list[Note] = []
    name = str(table.columns[j0])
    for i in rows.tolist():
        first = c0 + 1 if i == i0 else c0
        if first > c1:
            continue  # the top-left cell's own row in a one-column range
        row = i + 2
        values = {
            "at": at(display, row),
            "cells": _ref(first, row, c1, row),
            "range": _declared(box),
            "value": _shown(value),
        }
        if i in hidden:
            message = text("geo.xlsx.merged_hidden", hidden=_shown(hidden[i]), **values)
        else:
            message = text("geo.xlsx.merged_fill", **values)
        column_name = name if first == c0 else str(table.columns[first - 1])
        notes.append(Note(row, column_name, _shown(value), message, KEPT_ROW))
    return notes
