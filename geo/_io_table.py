"""Reading CSV and XLSX tables of point coordinates (or a WKT column).

Every cell is read as text, so ids such as ``007`` and any other value stay exactly as
typed; only the coordinate columns are parsed, vectorised, into WGS 84 ``lon``/``lat``.
Row numbers in problems are spreadsheet rows: the header is row 1, the first record row 2.

The header is checked once (:func:`table_layout`) and the records by
:func:`table_records`, which runs on a whole table or on each chunk of a big file with the
same results. Loading is elsewhere: CSV text in :mod:`geo._io_csv`, XLSX workbooks in
:mod:`geo._io_xlsx`.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely

from geo._errors import InputError
from geo._io_checks import (
    ID_COLUMNS,
    KEPT,
    KEPT_ROW,
    REJECTED,
    CoordSpec,
    Extent,
    Problems,
    describe_extent,
    duplicate_ids,
    find_column,
    in_extent,
    refuse_projected,
)
from geo._io_csv import EXTRA_FIELDS, load_csv
from geo._io_seen import SeenIds
from geo._io_source import Source
from geo._io_xlsx import load_xlsx, report_formulas
from geo._say import at, listing
from geo.crs import WGS84, convert, normalise_coord_system
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
SYSTEM_COLUMNS: Final = (
    "coord_system",
    "坐标系",
    "crs",
    "坐标系统",
    "坐标类型",
    "坐标系类型",
    "coordinate system",
    "coordinate_system",
    "coord system",
)
"""Header names of a per-row coordinate system column (wgs84, gcj02, bd09)."""
WKT_COLUMNS: Final = ("wkt", "geometry", "geom", "几何")
"""Header names of a WKT geometry column (tables without point coordinates)."""

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
_SHOWN: Final = 60  # characters of a long value quoted in a message
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
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
) -> tuple[pd.DataFrame, list[str], list[tuple[int, int, str]]]:
    """Load a CSV/XLSX table: the table, its header as written and its formula cells."""
    if src.fmt == "csv":
        raw, names = load_csv(src)
        return raw, names, []
    try:
        return load_xlsx(src, layer)
    except _XLSX_FAILURES as exc:
        # openpyxl gives up on malformed parts (styles.xml, shared strings, a sheet's XML)
        # with whatever its parser raised; they are the file's fault, not a bug here.
        error = f"{type(exc).__name__}: {exc}"[: _SHOWN * 2]
        raise InputError(text("geo.lossless.xlsx_broken", file=src.display, error=error)) from None


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _shown(value: object) -> str:
    shown = "" if value is None or value is pd.NA else str(value)
    return shown if len(shown) <= _SHOWN else shown[: _SHOWN - 3] + "..."


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
        geometry, lon, lat = _points(
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
        geometry = _wkt(
            df, labels, display, wkt_col=layout.wkt, spec=spec, extent=extent, problems=problems
        )
        out = df.copy()

    rejected = np.zeros(len(df), dtype=bool)
    if layout.id is not None:
        id_col = layout.id
        rejected, first_rows = duplicate_ids(df[id_col], labels, seen=seen_ids)
        ids = _text(df[id_col])
        for i in np.flatnonzero(rejected):
            problems.add(
                labels[i],
                id_col,
                _shown(ids.iloc[i]),
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
        shown = _shown(",".join(fields))
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
    raw, names, formulas = _load(src, layer)
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


def _row_systems(
    df: pd.DataFrame,
    labels: npt.NDArray[np.int64],
    display: str,
    spec: CoordSpec,
    problems: Problems,
) -> tuple[npt.NDArray[np.object_], BoolArray]:
    """Each row's coordinate system, and where it is unknown (a problem, kept unlocated)."""
    n = len(df)
    systems = np.full(n, spec.system, dtype=object)
    unknown = np.zeros(n, dtype=bool)
    cs_col = find_column(df.columns, SYSTEM_COLUMNS)
    if cs_col is None:
        return systems, unknown
    cells = _text(df[cs_col])
    given = (cells.notna() & (cells != "")).to_numpy(dtype=bool)
    # Few distinct spellings in a column: normalise each once.
    mapping: dict[str, str | None] = {}
    for value in pd.unique(cells[given]):
        try:
            mapping[str(value)] = normalise_coord_system(str(value))
        except ValueError:
            mapping[str(value)] = None
    named = cells[given].map(mapping).to_numpy(dtype=object)
    systems[given] = named
    unknown = pd.isna(systems)
    for i in np.flatnonzero(unknown):
        value = str(cells.iloc[i])
        problems.add(
            labels[i],
            cs_col,
            _shown(value),
            text("geo.table.unknown_system", at=at(display, labels[i]), value=value),
            KEPT,
        )
    systems[unknown] = ""
    return systems, np.asarray(unknown, dtype=bool)


def _to_wgs84(
    x: FloatArray, y: FloatArray, systems: npt.NDArray[np.object_], spec: CoordSpec
) -> tuple[FloatArray, FloatArray]:
    lon = np.full(len(x), np.nan)
    lat = np.full(len(x), np.nan)
    for system in ("wgs84", "gcj02", "bd09"):
        m = systems == system
        if m.any():
            lon[m], lat[m] = convert(x[m], y[m], src=system, dst="wgs84")
    m = systems == "crs"
    if m.any():
        assert spec.crs is not None
        tr = pyproj.Transformer.from_crs(spec.crs, WGS84, always_xy=True)
        lon[m], lat[m] = tr.transform(x[m], y[m], errcheck=False)
    return lon, lat


def _points(
    df: pd.DataFrame,
    labels: npt.NDArray[np.int64],
    display: str,
    *,
    lon_col: str,
    lat_col: str,
    spec: CoordSpec,
    extent: Extent | None,
    problems: Problems,
) -> tuple[npt.NDArray[np.object_], FloatArray, FloatArray]:
    lon_txt = _text(df[lon_col])
    lat_txt = _text(df[lat_col])
    x = pd.to_numeric(lon_txt, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    y = pd.to_numeric(lat_txt, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    lon_empty = (lon_txt.isna() | (lon_txt == "")).to_numpy(dtype=bool)
    lat_empty = (lat_txt.isna() | (lat_txt == "")).to_numpy(dtype=bool)
    lon_bad = ~lon_empty & ~np.isfinite(x)
    lat_bad = ~lat_empty & ~np.isfinite(y)
    numeric = np.isfinite(x) & np.isfinite(y)
    if spec.system != "crs":
        refuse_projected(
            x[numeric],
            y[numeric],
            display,
            what=text("geo.projected.columns", lon=lon_col, lat=lat_col),
            hints=() if extent is None else extent.crs_hints,
        )

    both_empty = lon_empty & lat_empty
    pair = f"{lon_col}, {lat_col}"
    for i in np.flatnonzero(both_empty):
        problems.add(
            labels[i],
            pair,
            "",
            text(
                "geo.table.no_coordinates_row",
                at=at(display, labels[i]),
                lon=lon_col,
                lat=lat_col,
            ),
            KEPT,
        )
    for col, word, empty, bad, txt in (
        (lon_col, "geo.word.longitude", lon_empty & ~both_empty, lon_bad, lon_txt),
        (lat_col, "geo.word.latitude", lat_empty & ~both_empty, lat_bad, lat_txt),
    ):
        what = text(word)
        for i in np.flatnonzero(empty):
            problems.add(
                labels[i],
                col,
                "",
                text("geo.table.empty_value", at=at(display, labels[i]), what=what, column=col),
                KEPT,
            )
        for i in np.flatnonzero(bad):
            value = str(txt.iloc[i])
            # A cell formatted as a date turns a typed coordinate into a date (Excel/WPS).
            key = "geo.lossless.date_cell" if _DATE.match(value) else "geo.table.not_number"
            problems.add(
                labels[i],
                col,
                _shown(value),
                text(key, at=at(display, labels[i]), what=what, value=value),
                KEPT,
            )

    systems, unknown = _row_systems(df, labels, display, spec, problems)
    usable = numeric & ~unknown
    lon, lat = _to_wgs84(x, y, np.where(usable, systems, ""), spec)
    with np.errstate(invalid="ignore"):
        in_range = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    located = usable & in_range
    swapped = np.zeros(len(df), dtype=bool)
    outside = np.zeros(len(df), dtype=bool)
    if extent is not None:
        inside = in_extent(lon, lat, extent)
        # Swapped only when the data are lon/lat and swapping would land in the extent.
        candidates = usable & ~inside & (systems != "crs")
        if candidates.any():
            sx, sy = _to_wgs84(y, x, np.where(candidates, systems, ""), spec)
            swapped = candidates & in_extent(sx, sy, extent)
        outside = located & ~inside & ~swapped
        located = located & inside
    out_of_range = usable & ~in_range & ~swapped

    where = describe_extent(extent) if extent is not None else ""
    for i in np.flatnonzero(swapped):
        lo, la = str(lon_txt.iloc[i]), str(lat_txt.iloc[i])
        problems.add(
            labels[i],
            pair,
            f"{lo}, {la}",
            text(
                "geo.table.swapped",
                at=at(display, labels[i]),
                lon=lo,
                lat=la,
                where=where,
                lon_col=lon_col,
                lat_col=lat_col,
            ),
            KEPT,
        )
    for i in np.flatnonzero(out_of_range):
        lo, la = str(lon_txt.iloc[i]), str(lat_txt.iloc[i])
        problems.add(
            labels[i],
            pair,
            f"{lo}, {la}",
            text("geo.table.not_on_earth", at=at(display, labels[i]), lon=lo, lat=la),
            KEPT,
        )
    for i in np.flatnonzero(outside):
        lo, la = str(lon_txt.iloc[i]), str(lat_txt.iloc[i])
        problems.add(
            labels[i],
            pair,
            f"{lo}, {la}",
            text("geo.table.outside", at=at(display, labels[i]), x=lon[i], y=lat[i], where=where),
            KEPT,
        )

    lon = np.where(located, lon, np.nan)
    lat = np.where(located, lat, np.nan)
    geometry = np.full(len(df), None, dtype=object)
    geometry[located] = shapely.points(lon[located], lat[located])
    return geometry, lon, lat


def _wkt(
    df: pd.DataFrame,
    labels: npt.NDArray[np.int64],
    display: str,
    *,
    wkt_col: str,
    spec: CoordSpec,
    extent: Extent | None,
    problems: Problems,
) -> npt.NDArray[np.object_]:
    """Parse a WKT column (as :func:`geo.io.write` writes for lines and polygons)."""
    # Imported here: the vector module imports this one's neighbours, not the reverse.
    from geo._io_vector import check_geometries

    cells = _text(df[wkt_col])
    given = (cells.notna() & (cells != "")).to_numpy(dtype=bool)
    geometry = np.full(len(df), None, dtype=object)
    parsed = shapely.from_wkt(cells[given].to_numpy(dtype=object), on_invalid="ignore")
    geometry[given] = parsed
    bad = given & pd.isna(geometry)
    for i in np.flatnonzero(bad):
        value = str(cells.iloc[i])
        problems.add(
            labels[i],
            wkt_col,
            _shown(value),
            text(
                "geo.table.bad_wkt", at=at(display, labels[i]), column=wkt_col, value=_shown(value)
            ),
            KEPT,
        )
    gdf = gpd.GeoDataFrame(geometry=gpd.GeoSeries(geometry), crs=None)
    checked = check_geometries(
        gdf,
        labels=labels,
        label_word="row",
        display=display,
        spec=spec,
        extent=extent,
        problems=problems,
        skip=bad,
        column=wkt_col,
    )
    return np.asarray(checked.geometry.array, dtype=object)
