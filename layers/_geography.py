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
from geo.messages import Text
from layers._texts import both, words
from layers.i18n import text
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
OPTIONAL_ZONE_COLUMNS: Final = ("short_zh", "short_en")
"""Columns a zones file may have (the short names of map labels); "" where absent."""
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
        problems += _check_key(gdf, "adcode", pattern=_ADCODE, what=words("check.geography.adcode"))
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
            what=words("check.geography.zone_id"),
        )
        problems += _check_text(gdf, _TEXT_ZONE)
        problems += _check_numbers(gdf, _NUMBER_ZONE)
        problems += _check_pattern(
            gdf,
            "host_adcodes",
            _ADCODE_LIST,
            words("check.geography.adcode_list"),
        )
        problems += _check_choice(gdf, "boundary_source", BOUNDARY_SOURCES)
    problems += _check_geometry(gdf)
    _raise_if(problems, file)
    out = _finish(gdf, ZONE_COLUMNS)
    for col in OPTIONAL_ZONE_COLUMNS:
        given = gdf[col] if col in gdf.columns else pd.Series("", index=gdf.index)
        out.insert(ZONE_COLUMNS.index("name_en") + 1 + OPTIONAL_ZONE_COLUMNS.index(col), col,
                   given.fillna("").astype("str").str.strip().to_numpy())  # fmt: skip
    for col in ("zone_id", "host_adcodes", "boundary_source", *_TEXT_ZONE):
        out[col] = out[col].astype("str")
    for col in _NUMBER_ZONE:
        out[col] = pd.to_numeric(out[col]).astype("float64")
    return out


def _read(file: Path) -> gpd.GeoDataFrame:
    if not file.is_file():
        raise InputError(text("check.geography.not_found", file=file))
    try:
        gdf = gpd.read_file(file, engine="pyogrio")
    except Exception as exc:  # GDAL raises several types; all mean unreadable
        raise InputError(text("check.geography.unreadable", file=file, error=exc)) from exc
    if gdf.crs is None or not pyproj.CRS.from_user_input(gdf.crs).equals(
        pyproj.CRS.from_user_input(WGS84), ignore_axis_order=True
    ):
        raise InputError(text("check.geography.crs", file=file, crs=gdf.crs))
    return gdf


def _missing_columns(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> list[Text]:
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        return [
            text(
                "check.geography.missing_columns",
                missing=", ".join(missing),
                required=", ".join(columns),
            )
        ]
    return []


def _feature(i: int | np.integer[Any]) -> Text:
    return text("check.geography.feature", n=int(i) + 1)


def _check_key(
    gdf: gpd.GeoDataFrame, col: str, *, pattern: re.Pattern[str], what: Text
) -> list[Text]:
    problems = _check_pattern(gdf, col, pattern, what)
    values = gdf[col].astype("string")
    dup = values[values.duplicated(keep=False) & values.notna()]
    problems.extend(
        text(
            "check.geography.key_repeated",
            col=col,
            value=value,
            features=", ".join(str(i + 1) for i in dup.index[dup == value]),
        )
        for value in sorted(set(dup))
    )
    return problems


def _check_pattern(
    gdf: gpd.GeoDataFrame, col: str, pattern: re.Pattern[str], what: Text
) -> list[Text]:
    values = gdf[col]
    ok = values.map(lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None)
    return [
        both(
            "check.geography.pattern",
            feature=_feature(i),
            col=col,
            value=values.iloc[i],
            what=what,
        )
        for i in np.flatnonzero(~ok.to_numpy(dtype=bool))
    ]


def _check_text(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> list[Text]:
    problems: list[Text] = []
    for col in columns:
        values = gdf[col]
        ok = values.map(lambda v: isinstance(v, str) and v.strip() != "")
        problems.extend(
            both("check.geography.empty_text", feature=_feature(i), col=col)
            for i in np.flatnonzero(~ok.to_numpy(dtype=bool))
        )
    return problems


def _check_numbers(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> list[Text]:
    problems: list[Text] = []
    for col in columns:
        raw = gdf[col]
        num = pd.to_numeric(raw, errors="coerce")
        # Empty is allowed (a drawn zone may have no estimated centre); text is not.
        bad = num.isna() & raw.notna()
        problems.extend(
            both("check.geography.not_number", feature=_feature(i), col=col, value=raw.iloc[i])
            for i in np.flatnonzero(bad.to_numpy(dtype=bool))
        )
    return problems


def _check_choice(gdf: gpd.GeoDataFrame, col: str, choices: tuple[str, ...]) -> list[Text]:
    values = gdf[col]
    ok = values.isin(choices)
    return [
        both(
            "check.geography.choice",
            feature=_feature(i),
            col=col,
            value=values.iloc[i],
            choices=", ".join(choices),
        )
        for i in np.flatnonzero(~ok.to_numpy(dtype=bool))
    ]


def _check_geometry(gdf: gpd.GeoDataFrame) -> list[Text]:
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    kinds = shapely.get_type_id(geoms)
    # Type ids: 3 Polygon, 6 MultiPolygon.
    wrong = ~missing & ~np.isin(kinds, (3, 6))
    invalid = ~missing & ~wrong & ~shapely.is_valid(geoms)
    problems = [
        both("check.geography.no_geometry", feature=_feature(i)) for i in np.flatnonzero(missing)
    ]
    problems.extend(
        both("check.geography.not_polygon", feature=_feature(i), kind=geoms[i].geom_type)
        for i in np.flatnonzero(wrong)
    )
    problems.extend(
        both(
            "check.geography.invalid",
            feature=_feature(i),
            reason=shapely.is_valid_reason(geoms[i]),
        )
        for i in np.flatnonzero(invalid)
    )
    return problems


def _raise_if(problems: list[Text], file: Path) -> None:
    if not problems:
        return
    listed = problems[:_MAX_LISTED]
    more = len(problems) - len(listed)
    tail = text("check.geography.more", more=more) if more else Text("", "")
    raise InputError(
        both(
            "check.geography.head",
            file=file,
            n=len(problems),
            listed=Text(en="\n  ".join(p.en for p in listed), zh="\n  ".join(p.zh for p in listed)),
            tail=tail,
        )
    )


def _finish(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(
        {c: gdf[c].to_numpy() for c in columns},
        geometry=gdf.geometry.to_numpy(),
        crs=WGS84,
    )
    # Measured on the geometry as loaded, so an edited outline never carries a stale area.
    out["area_km2"] = out.geometry.to_crs(WORKING).area.to_numpy() / 1e6
    return out
