"""Reading CSV and XLSX tables of point coordinates (or a WKT column).

Every cell is read as text, so ids such as ``007`` and any other value stay exactly as
typed; only the coordinate columns are parsed, vectorised, into WGS 84 ``lon``/``lat``.
Row numbers in problems are spreadsheet rows: the header is row 1, the first record row 2.

One file of about 630 lines, on purpose: decoding, the header checks, the coordinate
parsing and the WKT column all report into one problems table with the same row labels;
split into modules they would hand that state back and forth.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import openpyxl
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
from geo._io_source import Source, check_zip
from geo.crs import WGS84, convert, normalise_coord_system

__all__ = ["LAT_COLUMNS", "LON_COLUMNS", "SYSTEM_COLUMNS", "WKT_COLUMNS", "read_table"]

LON_COLUMNS: Final = ("lon", "lng", "long", "longitude", "x", "经度", "东经")
"""Header names recognised as longitude (first match wins; case and spaces ignored)."""
LAT_COLUMNS: Final = ("lat", "latitude", "y", "纬度", "北纬")
"""Header names recognised as latitude."""
SYSTEM_COLUMNS: Final = ("coord_system", "坐标系", "crs")
"""Header names of a per-row coordinate system column (wgs84, gcj02, bd09)."""
WKT_COLUMNS: Final = ("wkt", "geometry", "geom", "几何")
"""Header names of a WKT geometry column (tables without point coordinates)."""

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
_DELIMITERS: Final = (",", "\t", ";", "|")
_SHOWN: Final = 60  # characters of a long value quoted in a message
# A formula element in worksheet XML: <f>, <f t="shared" .../>, with or without a prefix.
_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _decode(data: bytes, display: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a GBK superset)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    msg = (
        f"{display}: the text is neither UTF-8 nor GBK/GB18030 (nor a binary file this "
        "reader knows); save it from Excel as 'CSV UTF-8' or from a text editor as UTF-8"
    )
    raise InputError(msg)


def _load_csv(src: Source) -> tuple[pd.DataFrame, list[str]]:
    """Return the table (every cell as text) and its header names exactly as written."""
    data = src.read_bytes()
    text = _decode(data, src.display)
    if not text.strip():
        msg = f"{src.display} is empty; export the table again with a header row and data"
        raise InputError(msg)
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    sep = max(_DELIMITERS, key=header.count)
    sep = sep if header.count(sep) else ","
    # pandas renames a repeated header name ("lat" twice becomes "lat", "lat.1"), so the
    # names as written come from the csv module, which keeps them; the table's first row
    # is the header for pandas too (a leading blank line is not skipped by either).
    names = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep), [])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        msg = (
            f"{src.display} is not a readable table ({exc}); check that every row has as "
            "many fields as the header and that quotes are closed"
        )
        raise InputError(msg) from None
    return frame, [n.strip() for n in names]


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
                    text = str(getattr(value, "text", value))
                    found.append((int(c.row), int(c.column), text))
        return names, found
    finally:
        wb.close()


def _load_xlsx(
    src: Source, sheet: str | None
) -> tuple[pd.DataFrame, list[str], list[tuple[int, int, str]]]:
    """Return the sheet (every cell as text), its header as written and its formula cells."""
    data = src.read_bytes()
    if not data:
        msg = f"{src.display} is empty; save the workbook again"
        raise InputError(msg)
    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as zf:
            check_zip(zf, src.display)
            formulas = _has_formulas(zf)
    except zipfile.BadZipFile:
        msg = f"{src.display} is not an XLSX workbook; save it from Excel as .xlsx"
        raise InputError(msg) from None
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
            msg = f"{src.display} has no sheet named {sheet!r}; pass `layer=` with a sheet name"
            raise InputError(msg) from None
        msg = f"{src.display} is not a readable XLSX workbook ({exc}); save it again from Excel"
        raise InputError(msg) from None
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        msg = f"{src.display} is not a readable XLSX workbook ({exc}); save it again from Excel"
        raise InputError(msg) from None
    # The first sheet unless one is named: workbooks often carry notes on later sheets.
    return next(iter(sheets.values())), names, cells


def _load(
    src: Source, layer: str | None
) -> tuple[pd.DataFrame, list[str], list[tuple[int, int, str]]]:
    """Load a CSV/XLSX table: the table, its header as written and its formula cells."""
    if src.fmt == "csv":
        raw, names = _load_csv(src)
        return raw, names, []
    return _load_xlsx(src, layer)


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _shown(value: object) -> str:
    text = "" if value is None or value is pd.NA else str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


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
        msg = f"{src.display} has a header but no data rows; add records below the header"
        raise InputError(msg)

    problems = Problems()
    lon_col = find_column(df.columns, LON_COLUMNS)
    lat_col = find_column(df.columns, LAT_COLUMNS)
    wkt_col = find_column(df.columns, WKT_COLUMNS)
    # A "wkt" column is what geo.io.write adds for lines and polygons: it is the geometry
    # even when the table also carries lon/lat columns (e.g. label points).
    explicit_wkt = find_column(df.columns, ("wkt",)) is not None
    points = lon_col is not None and lat_col is not None and not explicit_wkt
    _refuse_unclear_header(names, src.display, coordinates=points)
    _report_formulas(
        formulas,
        raw,
        keep,
        src.display,
        coordinates={lon_col, lat_col} if points else {wkt_col},
        problems=problems,
    )
    if points:
        assert lon_col is not None
        assert lat_col is not None
        geometry, lon, lat = _points(
            df,
            labels,
            src.display,
            lon_col=lon_col,
            lat_col=lat_col,
            spec=spec,
            extent=extent,
            problems=problems,
        )
        out = df.copy()
        out["lon"] = lon
        out["lat"] = lat
    elif wkt_col is not None:
        geometry = _wkt(
            df, labels, src.display, wkt_col=wkt_col, spec=spec, extent=extent, problems=problems
        )
        out = df.copy()
    else:
        found = lon_col or lat_col
        detail = f"found only {found!r}; " if found else ""
        msg = (
            f"{src.display}: no coordinates found ({detail}columns: "
            f"{', '.join(map(repr, df.columns))}); name the coordinate columns lon/lat "
            "(or lng, longitude, x / latitude, y, or 经度/纬度), or give a WKT column 'wkt'"
        )
        raise InputError(msg)

    id_col = find_column(df.columns, ID_COLUMNS) if id_column is None else id_column
    rejected = np.zeros(len(df), dtype=bool)
    if id_col is not None:
        if id_col not in df.columns:
            msg = (
                f"{src.display} has no column {id_col!r} (`id_column`); columns: {list(df.columns)}"
            )
            raise InputError(msg)
        rejected, first_rows = duplicate_ids(df[id_col], labels)
        ids = _text(df[id_col])
        for i in np.flatnonzero(rejected):
            problems.add(
                labels[i],
                id_col,
                _shown(ids.iloc[i]),
                f"{src.display} row {labels[i]}: id {ids.iloc[i]!r} repeats row {first_rows[i]}; "
                "the first is kept and this row is left out; give every record its own id",
                REJECTED,
            )
    result = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry, crs=WGS84))
    result = result.loc[~rejected].reset_index(drop=True)
    frame = problems.frame()
    if rejected.any():
        # A rejected row's other problems would only distract: it is not in the data.
        gone = set(labels[rejected].tolist())
        frame = frame[(frame["action"] == REJECTED) | ~frame["row"].isin(gone)]
        frame = frame.reset_index(drop=True)
    return result, frame, labels[~rejected]


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
        f"the header repeats the column name {name!r} ({count} times)"
        for name, count in counts.items()
        if count > 1
    ]
    if coordinates:
        for what, candidates in (("longitude", LON_COLUMNS), ("latitude", LAT_COLUMNS)):
            wanted = {c.strip().lower() for c in candidates}
            matching = [name for name in counts if name.lower() in wanted]
            if len(matching) > 1:
                clashes.append(
                    f"{len(matching)} columns can be the {what} ({', '.join(map(repr, matching))})"
                )
    if clashes:
        msg = (
            f"{display}: {'; '.join(clashes)}; it is not clear which values to use: keep one "
            "coordinate pair (e.g. lon/lat or 经度/纬度) and give every column its own name, "
            "renaming or deleting the others"
        )
        raise InputError(msg)


def _report_formulas(
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
    for row, col, text in formulas:
        i, j = row - 2, col - 1
        inside = 0 <= i < len(raw) and j < raw.shape[1]
        if i < 0 or (inside and not empty[i, j]):
            # The header row, and cells whose saved value was read, need nothing.
            continue
        column = str(raw.columns[j]) if j < raw.shape[1] else openpyxl.utils.get_column_letter(col)
        kept = 0 <= i < len(raw) and bool(keep[i])
        if not kept:
            action, fate = REJECTED, "the row holds no other value and is left out"
        elif column in coordinates:
            action, fate = KEPT, "the row is kept as unlocated"
        else:
            action, fate = KEPT_ROW, "the row is kept with this cell empty"
        problems.add(
            row,
            column,
            _shown(text),
            f"{display} row {row}: {column} is a formula without a saved value "
            f"({_shown(text)}), read as empty: open and save the file in Excel/WPS so the "
            f"values are stored; {fate}",
            action,
        )


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
    text = _text(df[cs_col])
    given = (text.notna() & (text != "")).to_numpy(dtype=bool)
    # Few distinct spellings in a column: normalise each once.
    mapping: dict[str, str | None] = {}
    for value in pd.unique(text[given]):
        try:
            mapping[str(value)] = normalise_coord_system(str(value))
        except ValueError:
            mapping[str(value)] = None
    named = text[given].map(mapping).to_numpy(dtype=object)
    systems[given] = named
    unknown = pd.isna(systems)
    for i in np.flatnonzero(unknown):
        value = str(text.iloc[i])
        problems.add(
            labels[i],
            cs_col,
            _shown(value),
            f"{display} row {labels[i]}: coordinate system {value!r} is unknown; use wgs84, "
            "gcj02 (Amap/Gaode, Tencent) or bd09 (Baidu); the row is kept as unlocated",
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
            what=f"{lon_col}/{lat_col} values",
            hints=() if extent is None else extent.crs_hints,
        )

    both_empty = lon_empty & lat_empty
    pair = f"{lon_col}, {lat_col}"
    for i in np.flatnonzero(both_empty):
        problems.add(
            labels[i],
            pair,
            "",
            f"{display} row {labels[i]}: no coordinates ({lon_col} and {lat_col} are empty); "
            "fill both to place the record on the map; the row is kept as unlocated",
            KEPT,
        )
    for col, what, empty, bad, txt in (
        (lon_col, "longitude", lon_empty & ~both_empty, lon_bad, lon_txt),
        (lat_col, "latitude", lat_empty & ~both_empty, lat_bad, lat_txt),
    ):
        for i in np.flatnonzero(empty):
            problems.add(
                labels[i],
                col,
                "",
                f"{display} row {labels[i]}: {what} ({col}) is empty; fill it, or leave both "
                "coordinates empty to keep the row as unlocated",
                KEPT,
            )
        for i in np.flatnonzero(bad):
            value = str(txt.iloc[i])
            problems.add(
                labels[i],
                col,
                _shown(value),
                f"{display} row {labels[i]}: {what} {value!r} is not a number; fix the value, "
                "or leave both coordinates empty to keep the row as unlocated",
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
            f"{display} row {labels[i]}: longitude {lo} and latitude {la} look swapped: "
            f"swapped, the point would fall in {where}; swap the {lon_col} and {lat_col} "
            "values; the row is kept as unlocated",
            KEPT,
        )
    for i in np.flatnonzero(out_of_range):
        lo, la = str(lon_txt.iloc[i]), str(lat_txt.iloc[i])
        problems.add(
            labels[i],
            pair,
            f"{lo}, {la}",
            f"{display} row {labels[i]}: ({lo}, {la}) is not a position on Earth: longitude "
            "must lie within -180..180 and latitude within -90..90; fix the values; the row "
            "is kept as unlocated",
            KEPT,
        )
    for i in np.flatnonzero(outside):
        lo, la = str(lon_txt.iloc[i]), str(lat_txt.iloc[i])
        problems.add(
            labels[i],
            pair,
            f"{lo}, {la}",
            f"{display} row {labels[i]}: point ({lon[i]:.6f}, {lat[i]:.6f}) in WGS 84 lies "
            f"outside {where}; check the values and their coordinate system, or pass "
            "`extent=None` to accept any location; the row is kept as unlocated",
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

    text = _text(df[wkt_col])
    given = (text.notna() & (text != "")).to_numpy(dtype=bool)
    geometry = np.full(len(df), None, dtype=object)
    parsed = shapely.from_wkt(text[given].to_numpy(dtype=object), on_invalid="ignore")
    geometry[given] = parsed
    bad = given & pd.isna(geometry)
    for i in np.flatnonzero(bad):
        value = str(text.iloc[i])
        problems.add(
            labels[i],
            wkt_col,
            _shown(value),
            f"{display} row {labels[i]}: {wkt_col} {_shown(value)!r} is not valid WKT; fix "
            "the geometry text (e.g. 'POINT (115.89 28.68)'); the row is kept as unlocated",
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
