"""The coordinates of a table's records: lon/lat columns or WKT, in any coordinate system.

Split from :mod:`geo._io_table`, which checks the header and the ids: this module parses
each row's coordinates (vectorised), reports the unusable ones and brings the rest to WGS 84.
"""

from __future__ import annotations

import re
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely

from geo._io_checks import (
    KEPT,
    CoordSpec,
    Extent,
    Problems,
    describe_extent,
    find_column,
    in_extent,
    refuse_projected,
)
from geo._say import at
from geo.crs import WGS84, convert, normalise_coord_system
from geo.messages import text

__all__ = [
    "SHOWN",
    "SYSTEM_COLUMNS",
    "cell_text",
    "point_geometries",
    "shown_value",
    "wkt_geometries",
]


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

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
SHOWN: Final = 60  # characters of a long value quoted in a message
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def cell_text(values: pd.Series) -> pd.Series:
    """Return the cells as stripped text (missing cells stay missing)."""
    return values.astype("string").str.strip()


def shown_value(value: object) -> str:
    """Return a value as a problem quotes it: at most :data:`SHOWN` characters."""
    shown = "" if value is None or value is pd.NA else str(value)
    return shown if len(shown) <= SHOWN else shown[: SHOWN - 3] + "..."


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
    cells = cell_text(df[cs_col])
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
            shown_value(value),
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


def point_geometries(
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
    lon_txt = cell_text(df[lon_col])
    lat_txt = cell_text(df[lat_col])
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
                shown_value(value),
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


def wkt_geometries(
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

    cells = cell_text(df[wkt_col])
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
            shown_value(value),
            text(
                "geo.table.bad_wkt",
                at=at(display, labels[i]),
                column=wkt_col,
                value=shown_value(value),
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
