"""Reading CSV and XLSX tables of point coordinates (or a WKT column).

Every cell is read as text, so ids such as ``007`` and any other value stay exactly as
typed; only the coordinate columns are parsed, vectorised, into WGS 84 ``lon``/``lat``.
Row numbers in problems are spreadsheet rows: the header is row 1, the first record row 2.

The header is checked once (:func:`table_layout`) and the records by
:func:`table_records`, which runs on a whole table or on each chunk of a big file with the
same results. Loading is elsewhere: CSV text in :mod:`geo._io_csv`, XLSX workbooks in
:mod:`geo._io_xlsx`; the coordinates (lon/lat or WKT) are read in :mod:`geo._io_table_points`.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from geo._errors import InputError
from geo._io_checks import (
    ID_COLUMNS,
    KEPT_ROW,
    REJECTED,
    CoordSpec,
    Extent,
    Problems,
    duplicate_ids,
    find_column,
)
from geo._io_csv import EXTRA_FIELDS, load_csv
from geo._io_seen import SeenIds
from geo._io_source import Source
from geo._io_table_points import (
    SHOWN,
    SYSTEM_COLUMNS,
    cell_text,
    point_geometries,
    shown_value,
    wkt_geometries,
)
from geo._io_xlsx import Note, load_xlsx, report_formulas
from geo._say import at, listing
from geo.crs import WGS84
from geo.messages import Text, text

__all__ = [
    "LAT_COLUMNS",
    "LON_COLUMNS",
    "SYSTEM_COLUMNS",
    "WKT_COLUMNS",
    "TableLayout",
    "no_id_column",
    "read_table",
    "table_layout",
    "table_records",
]

LON_COLUMNS: Final = ("lon", "lng", "long", "longitude", "x", "经度", "东经")
"""Header names recognised as longitude (first match wins; case and spaces ignored)."""
LAT_COLUMNS: Final = ("lat", "latitude", "y", "纬度", "北纬")
"""Header names recognised as latitude."""
# SYSTEM_COLUMNS (a per-row coordinate system) is defined with the points it applies to.
WKT_COLUMNS: Final = ("wkt", "geometry", "geom", "几何")
"""Header names of a WKT geometry column (tables without point coordinates)."""

# What openpyxl (and the XML and zip parsers under it) raise on a malformed workbook.
_XLSX_FAILURES: Final = (
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    SyntaxError,  # xml.etree's ParseError
    EOFError,
    RecursionError,
    zipfile.BadZipFile,
    struct.error,
)


def _load(
    src: Source, layer: str | None
) -> tuple[pd.DataFrame, list[str], list[tuple[int, int, str]], list[Note]]:
    """Load a CSV/XLSX table: the table, its header as written, formula and merge notes."""
    if src.fmt == "csv":
        raw, names = load_csv(src)
        return raw, names, [], []
    try:
        return load_xlsx(src, layer)
    except _XLSX_FAILURES as exc:
        # openpyxl gives up on malformed parts (styles.xml, shared strings, a sheet's XML)
        # with whatever its parser raised; they are the file's fault, not a bug here.
        error = f"{type(exc).__name__}: {exc}"[: SHOWN * 2]
        raise InputError(text("geo.lossless.xlsx_broken", file=src.display, error=error)) from None


@dataclass(frozen=True)
class TableLayout:
    """What a table's header says, decided once per file (also for a file read in chunks).

    Attributes
    ----------
    lon, lat : str or None
        The longitude and latitude columns.
    wkt : str or None
        The WKT geometry column.
    points : bool
        Whether the geometry comes from ``lon``/``lat`` (else from ``wkt``).
    id : str or None
        The column whose values must be unique.
    """

    lon: str | None
    lat: str | None
    wkt: str | None
    points: bool
    id: str | None


def table_layout(
    columns: Sequence[str], names: list[str], display: str, *, id_column: str | None
) -> TableLayout:
    """Check a table's header and find its coordinate and id columns.

    Parameters
    ----------
    columns : sequence of str
        The column names as pandas read them.
    names : list of str
        The header as written (before pandas renames repeats).
    display : str
        The file's name, for messages.
    id_column : str or None
        The id column the caller named (None: found by name).

    Raises
    ------
    geo.InputError
        For a header that repeats a name or offers several coordinate columns, no
        coordinate columns, or an ``id_column`` that is not there.
    """
    # The extra fields of rows longer than the header are no column of the table.
    columns = [c for c in columns if c != EXTRA_FIELDS]
    lon_col = find_column(columns, LON_COLUMNS)
    lat_col = find_column(columns, LAT_COLUMNS)
    wkt_col = find_column(columns, WKT_COLUMNS)
    # A "wkt" column is what geo.io.write adds for lines and polygons: it is the geometry
    # even when the table also carries lon/lat columns (e.g. label points).
    explicit_wkt = find_column(columns, ("wkt",)) is not None
    points = lon_col is not None and lat_col is not None and not explicit_wkt
    _refuse_unclear_header(names, display, coordinates=points)
    if not points and wkt_col is None:
        found = lon_col or lat_col
        detail = text("geo.table.found_only", column=found) if found else ""
        raise InputError(
            text(
                "geo.table.no_coordinates",
                file=display,
                found=detail,
                columns=listing(map(repr, columns)),
            )
        )
    id_col = find_column(columns, ID_COLUMNS) if id_column is None else id_column
    if id_col is not None and id_col not in columns:
        raise no_id_column(display, id_col, columns)
    return TableLayout(lon_col, lat_col, wkt_col, points, id_col)


def no_id_column(display: str, column: str, columns: Sequence[object]) -> InputError:
    """Return the refusal of an ``id_column`` the table lacks, naming its columns."""
    names = Text(str(list(columns)), text("geo.list.comma").zh.join(map(str, columns)))
    return InputError(text("geo.table.no_id_column", file=display, column=column, columns=names))


def table_records(
    df: pd.DataFrame,
    labels: npt.NDArray[np.int64],
    layout: TableLayout,
    display: str,
    *,
    spec: CoordSpec,
    extent: Extent | None,
    problems: Problems,
    seen_ids: SeenIds | None = None,
) -> tuple[gpd.GeoDataFrame, npt.NDArray[np.int64]]:
    """Run the record checks on a table's rows (all of them, or one chunk).

    Parameters
    ----------
    df : pandas.DataFrame
        The records, blank lines already dropped, RangeIndex.
    labels : numpy.ndarray
        Each record's spreadsheet row.
    layout : TableLayout
        From :func:`table_layout`.
    display : str
        The file's name, for messages.
    spec, extent
        The resolved ``coord_system`` and the expected extent.
    problems : Problems
        Receives this frame's problems.
    seen_ids : dict, optional
        For chunks: the ids of earlier chunks (see :func:`geo._io_checks.duplicate_ids`).

    Returns
    -------
    tuple
        The kept records (EPSG:4326, RangeIndex) and their rows. Problems of rejected
        rows other than the rejection itself are removed from ``problems``.
    """
    extras = df[EXTRA_FIELDS] if EXTRA_FIELDS in df.columns else None
    if EXTRA_FIELDS in df.columns:
        df = df.drop(columns=EXTRA_FIELDS)
        _report_extra_fields(df, extras, labels, display, problems)
    if layout.points:
        assert layout.lon is not None
        assert layout.lat is not None
        geometry, lon, lat = point_geometries(
            df,
            labels,
            display,
            lon_col=layout.lon,
            lat_col=layout.lat,
            spec=spec,
            extent=extent,
            problems=problems,
        )
        out = df.copy()
        out["lon"] = lon
        out["lat"] = lat
    else:
        assert layout.wkt is not None
        geometry = wkt_geometries(
            df, labels, display, wkt_col=layout.wkt, spec=spec, extent=extent, problems=problems
        )
        out = df.copy()

    rejected = np.zeros(len(df), dtype=bool)
    if layout.id is not None:
        id_col = layout.id
        rejected, first_rows = duplicate_ids(df[id_col], labels, seen=seen_ids)
        ids = cell_text(df[id_col])
        for i in np.flatnonzero(rejected):
            problems.add(
                labels[i],
                id_col,
                shown_value(ids.iloc[i]),
                text(
                    "geo.table.duplicate_id",
                    at=at(display, labels[i]),
                    id=ids.iloc[i],
                    first=first_rows[i],
                ),
                REJECTED,
            )
    result = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry, crs=WGS84))
    if rejected.any():
        # A rejected row's other problems would only distract: it is not in the data.
        problems.drop_rows(labels[rejected], keep=REJECTED)
        result = result.loc[~rejected].reset_index(drop=True)
    return result, labels[~rejected]


def _report_extra_fields(
    df: pd.DataFrame,
    extras: pd.Series | None,
    labels: npt.NDArray[np.int64],
    display: str,
    problems: Problems,
) -> None:
    """Report each row that held more fields than the header (read by the header)."""
    if extras is None:
        return
    width = len(df.columns)
    for i in np.flatnonzero(extras.notna().to_numpy(dtype=bool)):
        fields = tuple(extras.iloc[i])
        shown = shown_value(",".join(fields))
        problems.add(
            labels[i],
            "",
            shown,
            text(
                "geo.lossless.csv_extra_fields",
                at=at(display, labels[i]),
                n=len(fields),
                width=width,
                extra=shown,
            ),
            KEPT_ROW,
        )


def read_table(
    src: Source,
    *,
    spec: CoordSpec,
    layer: str | None,
    extent: Extent | None,
    id_column: str | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, npt.NDArray[np.int64]]:
    """Read a CSV/XLSX source: data (EPSG:4326), its problems, each kept record's row."""
    raw, names, formulas, merged = _load(src, layer)
    raw.columns = [str(c) for c in raw.columns]
    labels = np.arange(len(raw), dtype=np.int64) + 2
    # Wholly blank lines are not records: dropped, but row numbers keep counting them.
    keep = ~raw.isna().all(axis=1).to_numpy(dtype=bool)
    df = raw.loc[keep].reset_index(drop=True)
    labels = labels[keep]
    if df.empty:
        raise InputError(text("geo.table.no_rows", file=src.display))

    problems = Problems()
    try:
        layout = table_layout(list(df.columns), names, src.display, id_column=id_column)
    except InputError:
        if src.fmt == "xlsx" and layer is None:
            _refuse_first_sheet(src, list(df.columns), id_column)
        raise
    for note in merged:
        problems.add(*note)
    report_formulas(
        formulas,
        raw,
        keep,
        src.display,
        coordinates={layout.lon, layout.lat} if layout.points else {layout.wkt},
        problems=problems,
    )
    result, rows = table_records(
        df, labels, layout, src.display, spec=spec, extent=extent, problems=problems
    )
    return result, problems.frame(), rows


def _refuse_first_sheet(src: Source, columns: list[str], id_column: str | None) -> None:
    """Name the workbook's other sheets when its first sheet has no coordinates.

    Workbooks often open with a notes or cover sheet; the message then says where else
    the coordinates may be, and how to choose that sheet.
    """
    if id_column is not None or find_column(columns, (*LON_COLUMNS, *WKT_COLUMNS)) is not None:
        return
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(src.read_bytes()), read_only=True)
        sheets = list(wb.sheetnames)
        wb.close()
    except (*_XLSX_FAILURES, ValueError, OSError):
        return
    if len(sheets) < 2:
        return
    raise InputError(
        text(
            "geo.lossless.xlsx_first_sheet",
            file=src.display,
            sheet=sheets[0],
            columns=listing(map(repr, columns)),
            others=listing(map(repr, sheets[1:])),
        )
    )


def _refuse_unclear_header(names: list[str], display: str, *, coordinates: bool) -> None:
    """Refuse a header that repeats a name or offers several coordinate columns.

    pandas would silently rename a repeated ``x`` to ``x.1`` and the first matching
    coordinate column would win, so the map could show other values than the user meant.
    Every such clash is named in one message.

    Parameters
    ----------
    names : list of str
        The header as written (before pandas renames repeats).
    display : str
        The file's name, for the message.
    coordinates : bool
        Whether the points come from longitude/latitude columns (else a WKT column, and
        several candidate coordinate columns do not matter).
    """
    counts: dict[str, int] = {}
    for name in names:
        if name:
            counts[name] = counts.get(name, 0) + 1
    clashes = [
        text("geo.table.header_repeats", name=name, count=count)
        for name, count in counts.items()
        if count > 1
    ]
    if coordinates:
        for what, candidates in (
            ("geo.word.longitude", LON_COLUMNS),
            ("geo.word.latitude", LAT_COLUMNS),
        ):
            wanted = {c.strip().lower() for c in candidates}
            matching = [name for name in counts if name.lower() in wanted]
            if len(matching) > 1:
                clashes.append(
                    text(
                        "geo.table.header_candidates",
                        n=len(matching),
                        what=text(what),
                        names=listing(map(repr, matching)),
                    )
                )
    if clashes:
        sep = text("geo.list.semicolon")
        joined = Text(sep.en.join(c.en for c in clashes), sep.zh.join(c.zh for c in clashes))
        raise InputError(text("geo.table.header_unclear", file=display, clashes=joined))
