"""The plan's three agglomeration areas as polygons, built from the rules.

Each area of :func:`layers.rules.rules` becomes one polygon::

    (∪ member zones) ∪ ((∪ member districts) − (∪ minus_zones))

computed in the working CRS (EPSG:4548) and returned in WGS 84. The subtraction is how the
plan's "青山湖区" is read as the district's own territory: on the Amap outlines the core of
南昌经开区 lies in 青山湖区's north-west part, and the plan gives 经开区 to the
storage-battery area (see ``data/rules.yaml``).
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import InputError
from geo.crs import WGS84, WORKING, to_working
from geo.messages import Text
from layers._geography import districts as shipped_districts
from layers._geography import zones as shipped_zones
from layers._texts import both
from layers._yaml import unknown_text
from layers.i18n import text
from layers.rules import AreaRule, RuleError, Rules
from layers.rules import rules as load_rules

__all__ = ["MIN_PART_KM2", "areas"]

MIN_PART_KM2: Final = 0.01
"""Polygon parts and holes smaller than this (km²) are dropped as slivers.

Set operations between outlines from different sources (Amap districts, approximate zones)
leave hair-thin slivers along shared edges. 0.01 km² (100 m x 100 m) is far below the
precision of any zone outline here (centres are known to ± 3-5 km), so nothing real is lost.
"""
_MIN_PART_M2: Final = MIN_PART_KM2 * 1e6
_POLYGON: Final = 3  # shapely type id


def areas(
    rules: Rules | None = None,
    *,
    districts: gpd.GeoDataFrame | None = None,
    zones: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Build the agglomeration areas as unions of their member districts and zones.

    Parameters
    ----------
    rules : Rules, optional
        The rules; default :func:`layers.rules.rules` on the shipped file.
    districts : geopandas.GeoDataFrame, optional
        Districts with an ``adcode`` column (and ``name_zh`` for the definition text), in any
        CRS; default the shipped layer :func:`layers.districts`.
    zones : geopandas.GeoDataFrame, optional
        Zones with a ``zone_id`` column (and ``name_zh``), in any CRS; default the shipped
        layer :func:`layers.zones`. Several rows with one id are treated as one zone.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per area in rules order, indexed by area key (index name
        ``area``), with columns ``name_zh``, ``name_en``, ``segments`` (tuple of segment keys,
        object column), ``definition`` (readable formula, e.g.
        ``"南昌高新区 ∪ (青山湖区 − 南昌经开区)"``), ``area_km2`` (float, measured in
        EPSG:4548) and ``geometry`` (valid Polygon or MultiPolygon, with parts and holes
        under :data:`MIN_PART_KM2` removed). The inputs are not modified.

    Raises
    ------
    RuleError
        If a member or subtracted zone or district is missing from the given layers, or an
        area ends up empty; every such problem is listed.
    geo.InputError
        If a layer lacks its key column (``adcode`` or ``zone_id``).
    geo.CRSError
        If a layer has no CRS.

    Examples
    --------
    >>> a = areas()
    >>> list(a.index)
    ['battery', 'materials', 'control']
    >>> a.loc["control", "segments"][:2]
    ('sensor', 'bms_chip')
    """
    r = load_rules() if rules is None else rules
    d = _by_key(shipped_districts() if districts is None else districts, "adcode", "districts")
    z = _by_key(shipped_zones() if zones is None else zones, "zone_id", "zones")

    problems = _missing_members(r.areas, d, z)
    if problems:
        raise RuleError(problems, "areas")

    geometries: list[BaseGeometry] = []
    for area in r.areas:
        geom = _clean(_territory(area, d, z))
        if geom.is_empty:
            problems.append(
                text(
                    "check.areas.empty",
                    key=area.key,
                    definition=_definition(area, d, z),
                    min_km2=MIN_PART_KM2,
                )
            )
        geometries.append(geom)
    if problems:
        raise RuleError(problems, "areas")

    working = gpd.GeoSeries(geometries, crs=WORKING)
    area_km2 = working.area.to_numpy() / 1e6
    lonlat = working.to_crs(WGS84).to_numpy()
    # Reprojection moves vertices, never topology, but a near-touching ring pair can cross
    # after rounding: repair the rare case rather than hand out an invalid polygon.
    invalid = ~shapely.is_valid(lonlat)
    if invalid.any():
        lonlat[invalid] = [_clean_degrees(g) for g in lonlat[invalid]]

    index = pd.Index([a.key for a in r.areas], name="area", dtype=object)
    return gpd.GeoDataFrame(
        {
            "name_zh": [a.name_zh for a in r.areas],
            "name_en": [a.name_en for a in r.areas],
            "segments": pd.Series([a.segments for a in r.areas], index=index, dtype=object),
            "definition": [_definition(a, d, z) for a in r.areas],
            "area_km2": area_km2,
        },
        index=index,
        geometry=lonlat,
        crs=WGS84,
    )


def _by_key(layer: gpd.GeoDataFrame, column: str, what: str) -> gpd.GeoDataFrame:
    """Return the layer in EPSG:4548 with valid geometries and the key as text."""
    if column not in layer.columns:
        raise InputError(
            text(
                "check.areas.no_column",
                what=what,
                column=column,
                columns=", ".join(map(str, layer.columns)),
            )
        )
    out = to_working(layer)  # a copy: the caller's frame is never touched
    out[column] = out[column].astype(str)
    geoms = out.geometry.to_numpy()
    bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if bad.any():
        out.loc[bad, out.geometry.name] = shapely.make_valid(geoms[bad])
    return out


def _missing_members(
    rules_areas: tuple[AreaRule, ...], d: gpd.GeoDataFrame, z: gpd.GeoDataFrame
) -> list[Text]:
    have_d = set(d["adcode"])
    have_z = set(z["zone_id"])
    problems = [
        both(
            "check.areas.district_missing",
            key=a.key,
            code=code,
            unknown=unknown_text("adcode", code, have_d),
        )
        for a in rules_areas
        for code in a.districts
        if code not in have_d
    ]
    problems.extend(
        both(
            "check.areas.zone_missing",
            key=a.key,
            zone=zone,
            unknown=unknown_text("zone", zone, have_z),
        )
        for a in rules_areas
        for zone in (*a.zones, *a.minus_zones)
        if zone not in have_z
    )
    return problems


def _union(layer: gpd.GeoDataFrame, column: str, keys: tuple[str, ...]) -> BaseGeometry:
    geoms = layer.geometry.to_numpy()[layer[column].isin(keys).to_numpy()]
    result: BaseGeometry = shapely.union_all(geoms)
    return result


def _territory(area: AreaRule, d: gpd.GeoDataFrame, z: gpd.GeoDataFrame) -> BaseGeometry:
    """(∪ zones) ∪ ((∪ districts) − (∪ minus_zones)), in the working CRS."""
    district_part = _union(d, "adcode", area.districts)
    if area.minus_zones:
        district_part = shapely.difference(district_part, _union(z, "zone_id", area.minus_zones))
    result: BaseGeometry = shapely.union(_union(z, "zone_id", area.zones), district_part)
    return result


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """Make valid, keep polygons only, drop parts and holes under MIN_PART_KM2 (metres)."""
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = shapely.get_parts(fixed)
    polys = parts[shapely.get_type_id(parts) == _POLYGON]
    polys = polys[shapely.area(polys) >= _MIN_PART_M2]
    if len(polys) == 0:
        empty: BaseGeometry = shapely.Polygon()
        return empty
    rings, owner = shapely.get_rings(polys, return_index=True)
    # get_rings lists each polygon's exterior first, then its holes.
    shell = np.r_[True, owner[1:] != owner[:-1]]
    keep = shell | (shapely.area(shapely.polygons(rings)) >= _MIN_PART_M2)
    rebuilt = shapely.polygons(rings[keep], indices=owner[keep])
    result: BaseGeometry = rebuilt[0] if len(rebuilt) == 1 else shapely.multipolygons(rebuilt)
    if not result.is_valid:  # parts of one valid geometry cannot overlap; kept as a guard
        result = shapely.make_valid(result, method="structure", keep_collapsed=False)
    return result


def _clean_degrees(geom: BaseGeometry) -> BaseGeometry:
    result: BaseGeometry = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    return result


def _names(layer: gpd.GeoDataFrame, column: str, keys: tuple[str, ...]) -> list[str]:
    if "name_zh" not in layer.columns:
        return list(keys)
    lookup = dict(zip(layer[column], layer["name_zh"].astype(str), strict=True))
    return [lookup.get(k, k) for k in keys]


def _definition(area: AreaRule, d: gpd.GeoDataFrame, z: gpd.GeoDataFrame) -> str:
    """Readable formula, e.g. "南昌高新区 ∪ (青山湖区 − 南昌经开区)"."""

    def group(names: list[str]) -> str:
        return names[0] if len(names) == 1 else "(" + " ∪ ".join(names) + ")"

    terms = _names(z, "zone_id", area.zones)
    districts = _names(d, "adcode", area.districts)
    if districts and area.minus_zones:
        minus = _names(z, "zone_id", area.minus_zones)
        terms.append(f"({group(districts)} − {group(minus)})")
    else:
        terms.extend(districts)
    return " ∪ ".join(terms)
