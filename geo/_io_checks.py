"""Record-level checks shared by the table and vector readers.

Checks work on whole columns with numpy masks; only the few rows that have a problem are
visited in Python, to format their messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj

from geo._errors import InputError
from geo._io_seen import SeenIds
from geo._say import listing
from geo.crs import normalise_coord_system
from geo.messages import Text, text

__all__ = [
    "ID_COLUMNS",
    "KEPT",
    "KEPT_ROW",
    "PROBLEM_COLUMNS",
    "REJECTED",
    "REPAIRED",
    "Bounds",
    "CRSHint",
    "CoordSpec",
    "Extent",
    "Problems",
    "describe_extent",
    "duplicate_ids",
    "find_column",
    "in_extent",
    "refuse_projected",
    "resolve_coord_system",
]

Bounds = tuple[float, float, float, float]
"""(lon_min, lat_min, lon_max, lat_max) in WGS 84."""
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CRSHint:
    """A projected CRS that data from a place often come in without declaring it.

    Attributes
    ----------
    code : str
        The CRS as :func:`geo.io.read` accepts it in ``coord_system``, e.g. ``"EPSG:4548"``.
    label : str
        Its name, for messages.
    x_range, y_range : tuple of float
        ``(min, max)`` easting and northing in metres of the place in this CRS: a file
        whose median coordinates fall in both ranges was probably made in it.
    """

    code: str
    label: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def fits(self, x: float, y: float) -> bool:
        """Tell whether metres ``(x, y)`` lie in this CRS's ranges for the place."""
        return self.x_range[0] <= x <= self.x_range[1] and self.y_range[0] <= y <= self.y_range[1]

    def describe(self) -> str:
        """Return the CRS with its ranges, for the list of usual CRSs in a message."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return f"{self.code} ({self.label}: x {x0:,.0f}-{x1:,.0f}, y {y0:,.0f}-{y1:,.0f})"


@dataclass(frozen=True)
class Extent:
    """Where a file's records are expected to lie, for the checks of :func:`geo.io.read`.

    ``geo`` knows no place: the caller says which (``layers.settings.extent()`` is
    Nanchang's).

    Attributes
    ----------
    bounds : tuple of float
        ``(lon_min, lat_min, lon_max, lat_max)`` in WGS 84. Records outside are kept
        unlocated with a problem; records that would fall inside with longitude and
        latitude swapped are diagnosed as swapped.
    name : str
        How messages name the extent, e.g. ``"Nanchang with a margin"`` (default: only
        its bounds).
    name_zh : str
        The same name in Chinese, e.g. ``"南昌市及周边"`` (default: ``name``).
    crs_hints : tuple of CRSHint
        Projected CRSs data from this place usually come in: when a file holds metres
        without declaring a CRS, the message names the ones its values fit.

    Raises
    ------
    ValueError
        If ``bounds`` are not four numbers with ``lon_min < lon_max`` and
        ``lat_min < lat_max``.
    """

    bounds: Bounds
    name: str = ""
    crs_hints: tuple[CRSHint, ...] = ()
    name_zh: str = ""

    def __post_init__(self) -> None:
        given = self.bounds
        try:
            x0, y0, x1, y1 = (float(v) for v in given)
        except (TypeError, ValueError):
            msg = f"`extent` must be (lon_min, lat_min, lon_max, lat_max) or None, got {given!r}"
            raise ValueError(msg) from None
        if not (x0 < x1 and y0 < y1):
            msg = f"`extent` must have lon_min < lon_max and lat_min < lat_max, got {given!r}"
            raise ValueError(msg)
        # Frozen: the normalised floats are set once, here.
        object.__setattr__(self, "bounds", (x0, y0, x1, y1))
        object.__setattr__(self, "crs_hints", tuple(self.crs_hints))


KEPT: Final = "kept unlocated"
KEPT_ROW: Final = "kept"
"""The record stays in the data as it is (e.g. one cell read as empty)."""
REJECTED: Final = "rejected"
REPAIRED: Final = "repaired"
PROBLEM_COLUMNS: Final = ("row", "column", "value", "problem", "problem_zh", "action")
"""A problems table's columns: ``problem`` in English, ``problem_zh`` the same in Chinese."""

ID_COLUMNS: Final = ("id", "编号", "代码")
"""Names of an id column, auto-detected (``id`` in any letter case)."""


@dataclass
class Problems:
    """Collects problem rows; :meth:`frame` returns them sorted by row."""

    rows: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    messages_zh: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    def add(self, row: int, column: str, value: str, message: Text | str, action: str) -> None:
        """Record one problem; ``message`` in both languages (a plain str is used for both)."""
        self.rows.append(int(row))
        self.columns.append(column)
        self.values.append(value)
        en, zh = (message.en, message.zh) if isinstance(message, Text) else (message, message)
        self.messages.append(en)
        self.messages_zh.append(zh)
        self.actions.append(action)

    def drop_rows(self, rows: Iterable[int], *, keep: str) -> None:
        """Forget the problems of ``rows``, except those whose action is ``keep``."""
        gone = {int(r) for r in rows}
        kept = [
            i
            for i, (row, action) in enumerate(zip(self.rows, self.actions, strict=True))
            if row not in gone or action == keep
        ]
        self.rows = [self.rows[i] for i in kept]
        self.columns = [self.columns[i] for i in kept]
        self.values = [self.values[i] for i in kept]
        self.messages = [self.messages[i] for i in kept]
        self.messages_zh = [self.messages_zh[i] for i in kept]
        self.actions = [self.actions[i] for i in kept]

    def frame(self) -> pd.DataFrame:
        """Return the problems as a DataFrame with :data:`PROBLEM_COLUMNS`."""
        df = pd.DataFrame(
            {
                "row": pd.Series(self.rows, dtype="int64"),
                "column": pd.Series(self.columns, dtype=object),
                "value": pd.Series(self.values, dtype=object),
                "problem": pd.Series(self.messages, dtype=object),
                "problem_zh": pd.Series(self.messages_zh, dtype=object),
                "action": pd.Series(self.actions, dtype=object),
            }
        )
        return df.sort_values("row", kind="stable").reset_index(drop=True)


def _norm(name: object) -> str:
    return str(name).strip().lower()


def find_column(columns: Iterable[object], candidates: Sequence[str]) -> str | None:
    """Return the first column whose name matches a candidate (case- and space-blind)."""
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(_norm(c), str(c))
    for cand in candidates:
        if _norm(cand) in by_norm:
            return by_norm[_norm(cand)]
    return None


def in_extent(lon: FloatArray, lat: FloatArray, extent: Extent) -> BoolArray:
    """Where points lie inside ``extent`` (NaN is outside)."""
    x0, y0, x1, y1 = extent.bounds
    with np.errstate(invalid="ignore"):
        result: BoolArray = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    return result


def describe_extent(extent: Extent) -> Text:
    """Name an extent in messages, in both languages, with its name when it has one.

    Examples
    --------
    >>> describe_extent(Extent((115, 28, 116, 29), name="Nanchang", name_zh="南昌")).zh
    '预期范围（南昌：东经 115-116 度，北纬 28-29 度）'
    """
    x0, y0, x1, y1 = extent.bounds
    box = text("geo.extent.box", x0=x0, x1=x1, y0=y0, y1=y1)
    if extent.name or extent.name_zh:
        name = Text(extent.name or extent.name_zh, extent.name_zh or extent.name)
        return text("geo.extent.named", name=name, box=box)
    return text("geo.extent.plain", box=box)


def duplicate_ids(
    ids: pd.Series,
    labels: npt.NDArray[np.int64],
    *,
    seen: SeenIds | None = None,
) -> tuple[BoolArray, npt.NDArray[np.int64]]:
    """Find later repeats of an id.

    Parameters
    ----------
    ids : pandas.Series
        The ids as text; empty and missing ids are never duplicates.
    labels : numpy.ndarray
        The row number reported for each record.
    seen : SeenIds, optional
        For a file read in chunks: the ids of earlier chunks, each with the row of its
        first record. An id found there is a repeat of that row; the chunk's new ids are
        added to it (so one object carries the state from chunk to chunk).

    Returns
    -------
    tuple
        A mask of the repeats (the first occurrence is not one) and, for each repeat, the
        row number of the first record with its id (0 for the other records).
    """
    text = ids.astype("string").str.strip()
    present = (text.notna() & (text != "")).to_numpy(dtype=bool)
    dup = text.duplicated(keep="first").to_numpy(dtype=bool) & present
    first_rows = np.zeros(len(text), dtype=np.int64)
    keys = text.astype(object).where(text.notna(), None).to_numpy()
    if dup.any():
        # Only the repeated ids are looked up (usually few of many): their first position.
        repeated = text.isin(pd.unique(keys[dup])).to_numpy(dtype=bool) & ~dup
        first = dict(zip(keys[repeated].tolist(), labels[repeated].tolist(), strict=True))
        first_rows[dup] = [first[k] for k in keys[dup].tolist()]
    if seen is not None:
        probe = keys.copy()
        probe[~present] = None  # empty ids are never repeats
        earlier = seen.first_rows(probe)
        before = earlier > 0
        dup |= before
        first_rows[before] = earlier[before]
        new = present & ~dup
        seen.add(keys[new], labels[new])
    return dup, first_rows


def refuse_projected(
    x: FloatArray,
    y: FloatArray,
    display: str,
    *,
    what: Text,
    hints: Sequence[CRSHint] = (),
) -> None:
    """Raise when coordinates are metres although no projected CRS was declared.

    Geographic degrees never exceed 180 in size; the median of all usable coordinates is
    used so that a few wrong rows do not condemn a file (they become problem rows).
    ``hints`` (the expected extent's usual projected CRSs) let the message name the CRS
    the values fit.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return
    mx = float(np.median(np.abs(x[ok])))
    my = float(np.median(np.abs(y[ok])))
    if mx <= 1000 or my <= 1000:
        return
    if not hints:
        raise InputError(text("geo.projected.no_crs", file=display, what=what, mx=mx, my=my))
    fitting = [h for h in hints if h.fits(mx, my)]
    likely = [f"{h.code} ({h.label})" for h in fitting]
    guess = (
        text("geo.projected.fits", crs=listing(likely, "geo.list.or"))
        if likely
        else text("geo.projected.fits_none")
    )
    usual = listing((h.describe() for h in hints), "geo.list.semicolon")
    raise InputError(
        text(
            "geo.projected.hinted",
            file=display,
            what=what,
            mx=mx,
            my=my,
            guess=guess,
            # The CRS the values fit (e.g. EPSG:3857 for web-map metres), else a placeholder:
            # never a CRS the numbers contradict.
            code=fitting[0].code if fitting else "EPSG:xxxx",
            usual=usual,
        )
    )


@dataclass(frozen=True)
class CoordSpec:
    """A resolved ``coord_system`` argument.

    ``system`` is ``"wgs84"``, ``"gcj02"`` or ``"bd09"`` for longitude/latitude input (the
    Chinese web-map offsets), or ``"crs"`` when ``crs`` names another CRS (for example
    projected metres in EPSG:4548) that the input is declared to be in.
    """

    system: str
    crs: pyproj.CRS | None = None


def resolve_coord_system(value: object) -> CoordSpec:
    """Accept any spelling :func:`geo.crs.normalise_coord_system` knows, or a CRS.

    Raises
    ------
    geo.InputError
        If the value is neither (a ``ValueError``); the message lists the usual names.
    """
    if isinstance(value, pyproj.CRS):
        return CoordSpec("crs", value)
    try:
        return CoordSpec(normalise_coord_system(str(value)))
    except ValueError:
        pass
    try:
        crs = pyproj.CRS.from_user_input(value)
    except pyproj.exceptions.CRSError:
        # An InputError (a ValueError) in both languages: the value may come from a user.
        raise InputError(text("geo.crs.unknown_argument", value=value)) from None
    return CoordSpec("crs", crs)
