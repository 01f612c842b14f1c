"""Loaders for the shipped geography: Nanchang's districts and its development zones.

Both files are GeoJSON (RFC 7946, WGS 84) written by ``python -m tools.build_data`` and
described in ``data/SOURCES.md``. The loaders check what the rest of the library relies on
(columns, CRS, keys, geometry) and say exactly what is wrong, so a hand-edited or replaced
file fails here with the file and the feature named instead of somewhere deep in an
analysis.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo import InputError
from geo.crs import WGS84, WORKING
from layers.settings import data_path

__all__ = [
    "BOUNDARY_SOURCES",
    "DISTRICT_COLUMNS",
    "ZONE_COLUMNS",
    "districts",
    "zones",
]

DISTRICT_COLUMNS: Final = ("adcode", "name_zh", "name_en", "area_km2")
"""Columns of :func:`districts`, in order (the geometry column follows)."""
ZONE_COLUMNS: Final = (
    "zone_id",
    "name_zh",
    "name_en",
    "level",
    "official_area_km2",
    "area_km2",
    "host_adcodes",
    "boundary_source",
    "centre_lon",
    "centre_lat",
    "centre_uncertainty_m",
    "sources",
    "note",
)
"""Columns of :func:`zones`, in order (the geometry column follows)."""
BOUNDARY_SOURCES: Final = ("approximate", "official", "drawn")
"""Where a zone's outline comes from: grown from facts, an official file, or drawn."""

_ADCODE = re.compile(r"\d{6}")
_ADCODE_LIST = re.compile(r"\d{6}(,\d{6})*")
_TEXT_DISTRICT = ("name_zh", "name_en")
_TEXT_ZONE = ("name_zh", "name_en", "level", "sources", "note")
_NUMBER_ZONE = (
    "official_area_km2",
    "centre_lon",
    "centre_lat",
    "centre_uncertainty_m",
)
# Problems listed in one message before it is cut short: enough to see the pattern.
_MAX_LISTED = 20


def districts(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Return Nanchang's nine county-level divisions.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A districts GeoJSON to read instead of the shipped ``data/districts.geojson``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, RangeIndex, in the file's order (the shipped file is sorted by adcode).
        Columns ``adcode`` (6-digit str), ``name_zh``, ``name_en``, ``area_km2`` (float,
        measured in EPSG:4548 on the geometry as loaded) and ``geometry`` (Polygon or
        MultiPolygon).

    Raises
    ------
    geo.InputError
        If the file is missing or unreadable, or breaks the schema; the message names the
        file and lists every problem (feature number, column, value).

    Examples
    --------
    >>> d = districts()
    >>> d.loc[d["adcode"] == "360111", "name_en"].item()
    'Qingshanhu District'
    """
    file = Path(path) if path is not None else data_path("districts.geojson")
    gdf = _read(file)
    problems = _missing_columns(gdf, DISTRICT_COLUMNS)
    if not problems:
        problems += _check_key(gdf, "adcode", pattern=_ADCODE, what="a 6-digit adcode")
        problems += _check_text(gdf, _TEXT_DISTRICT)
    problems += _check_geometry(gdf)
    _raise_if(problems, file)
    out = _finish(gdf, DISTRICT_COLUMNS)
    for col in ("adcode", *_TEXT_DISTRICT):
        out[col] = out[col].astype("str")
    return out


def zones(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Return the development zones.

    The shipped outlines are approximations (``boundary_source == "approximate"``): no open
    boundary data exists, so each is grown around an estimated centre inside its host
    districts until its area matches the official figure (see ``data/SOURCES.md``, which
    also says how to replace them with official or drawn boundaries).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A zones GeoJSON to read instead of the shipped ``data/zones.geojson``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, RangeIndex. Columns ``zone_id``, ``name_zh``, ``name_en``, ``level``,
        ``official_area_km2``, ``area_km2`` (measured in EPSG:4548 on the geometry as
        loaded), ``host_adcodes`` (comma-separated adcodes), ``boundary_source``
        (approximate | official | drawn), ``centre_lon``, ``centre_lat``,
        ``centre_uncertainty_m``, ``sources``, ``note`` and ``geometry``.

    Raises
    ------
    geo.InputError
        If the file is missing or unreadable, or breaks the schema; the message names the
        file and lists every problem.

    Examples
    --------
    >>> sorted(zones()["zone_id"])
    ['nc_etdz', 'nc_hitech', 'xiaolan_etdz']
    """
    file = Path(path) if path is not None else data_path("zones.geojson")
    gdf = _read(file)
    problems = _missing_columns(gdf, ZONE_COLUMNS)
    if not problems:
        problems += _check_key(
            gdf,
            "zone_id",
            pattern=re.compile(r"[a-z][a-z0-9_]*"),
            what="a lower-case identifier such as nc_etdz",
        )
        problems += _check_text(gdf, _TEXT_ZONE)
        problems += _check_numbers(gdf, _NUMBER_ZONE)
        problems += _check_pattern(
            gdf,
            "host_adcodes",
            _ADCODE_LIST,
            "comma-separated 6-digit adcodes such as 360112,360111",
        )
        problems += _check_choice(gdf, "boundary_source", BOUNDARY_SOURCES)
    problems += _check_geometry(gdf)
    _raise_if(problems, file)
    out = _finish(gdf, ZONE_COLUMNS)
    for col in ("zone_id", "host_adcodes", "boundary_source", *_TEXT_ZONE):
        out[col] = out[col].astype("str")
    for col in _NUMBER_ZONE:
        out[col] = pd.to_numeric(out[col]).astype("float64")
    return out


def _read(file: Path) -> gpd.GeoDataFrame:
    if not file.is_file():
        msg = (
            f"{file}: file not found; pass the path of a GeoJSON file or rebuild it with "
            "`python -m tools.build_data all` in the repository"
        )
        raise InputError(msg)
    try:
        gdf = gpd.read_file(file, engine="pyogrio")
    except Exception as exc:  # GDAL raises several types; all mean unreadable
        msg = f"{file}: not a readable vector file ({exc}); expected GeoJSON (RFC 7946)"
        raise InputError(msg) from exc
    if gdf.crs is None or not pyproj.CRS.from_user_input(gdf.crs).equals(
        pyproj.CRS.from_user_input(WGS84), ignore_axis_order=True
    ):
        msg = (
            f"{file}: coordinates must be WGS 84 longitude/latitude (EPSG:4326), found "
            f"{gdf.crs}; convert the file to WGS 84 (RFC 7946 GeoJSON has no `crs` member)"
        )
        raise InputError(msg)
    return gdf


def _missing_columns(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> list[str]:
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        return [f"missing column(s) {', '.join(missing)}; required: {', '.join(columns)}"]
    return []


def _feature(i: int | np.integer[Any]) -> str:
    return f"feature {int(i) + 1}"


def _check_key(
    gdf: gpd.GeoDataFrame, col: str, *, pattern: re.Pattern[str], what: str
) -> list[str]:
    problems = _check_pattern(gdf, col, pattern, what)
    values = gdf[col].astype("string")
    dup = values[values.duplicated(keep=False) & values.notna()]
    problems.extend(
        f"`{col}` {value!r} appears more than once (features "
        f"{', '.join(str(i + 1) for i in dup.index[dup == value])}); keys must be unique"
        for value in sorted(set(dup))
    )
    return problems


def _check_pattern(
    gdf: gpd.GeoDataFrame, col: str, pattern: re.Pattern[str], what: str
) -> list[str]:
    values = gdf[col]
    ok = values.map(lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None)
    return [
        f"{_feature(i)}: `{col}` is {values.iloc[i]!r}, expected {what}"
        for i in np.flatnonzero(~ok.to_numpy(dtype=bool))
    ]


def _check_text(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> list[str]:
    problems: list[str] = []
    for col in columns:
        values = gdf[col]
        ok = values.map(lambda v: isinstance(v, str) and v.strip() != "")
        problems.extend(
            f"{_feature(i)}: `{col}` is empty; give a text value"
            for i in np.flatnonzero(~ok.to_numpy(dtype=bool))
        )
    return problems


def _check_numbers(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> list[str]:
    problems: list[str] = []
    for col in columns:
        raw = gdf[col]
        num = pd.to_numeric(raw, errors="coerce")
        # Empty is allowed (a drawn zone may have no estimated centre); text is not.
        bad = num.isna() & raw.notna()
        problems.extend(
            f"{_feature(i)}: `{col}` is {raw.iloc[i]!r}, expected a number"
            for i in np.flatnonzero(bad.to_numpy(dtype=bool))
        )
    return problems


def _check_choice(gdf: gpd.GeoDataFrame, col: str, choices: tuple[str, ...]) -> list[str]:
    values = gdf[col]
    ok = values.isin(choices)
    return [
        f"{_feature(i)}: `{col}` is {values.iloc[i]!r}, expected one of {', '.join(choices)}"
        for i in np.flatnonzero(~ok.to_numpy(dtype=bool))
    ]


def _check_geometry(gdf: gpd.GeoDataFrame) -> list[str]:
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    kinds = shapely.get_type_id(geoms)
    # Type ids: 3 Polygon, 6 MultiPolygon.
    wrong = ~missing & ~np.isin(kinds, (3, 6))
    invalid = ~missing & ~wrong & ~shapely.is_valid(geoms)
    problems = [
        f"{_feature(i)}: no geometry; every feature needs a polygon"
        for i in np.flatnonzero(missing)
    ]
    problems.extend(
        f"{_feature(i)}: geometry is a {geoms[i].geom_type}, expected Polygon or MultiPolygon"
        for i in np.flatnonzero(wrong)
    )
    problems.extend(
        f"{_feature(i)}: invalid geometry ({shapely.is_valid_reason(geoms[i])}); repair it "
        "(for example shapely.make_valid) and save again"
        for i in np.flatnonzero(invalid)
    )
    return problems


def _raise_if(problems: list[str], file: Path) -> None:
    if not problems:
        return
    listed = problems[:_MAX_LISTED]
    more = len(problems) - len(listed)
    tail = f"\n  ... and {more} more" if more else ""
    msg = f"{file}: {len(problems)} problem(s):\n  " + "\n  ".join(listed) + tail
    raise InputError(msg)


def _finish(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(
        {c: gdf[c].to_numpy() for c in columns},
        geometry=gdf.geometry.to_numpy(),
        crs=WGS84,
    )
    # Measured on the geometry as loaded, so an edited outline never carries a stale area.
    out["area_km2"] = out.geometry.to_crs(WORKING).area.to_numpy() / 1e6
    return out
