"""Plumbing shared by the analysis modules: default layers, coordinates, segment keys."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely

from geo import CRSError, InputError
from geo.crs import WGS84, WORKING
from layers.enterprises import is_validated
from layers.segments import resolve_segments, segment_key
from zoning import _cache

__all__ = [
    "area_designation",
    "as_tuple",
    "chain_neighbours",
    "load_areas",
    "load_chain",
    "load_enterprises",
    "located_xy",
    "segment_names",
    "to_working_geometry",
    "to_working_xy",
    "validate_segment",
    "working_shapes",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def load_areas(areas: gpd.GeoDataFrame | None, rules: Any = None) -> gpd.GeoDataFrame:
    """Return the agglomeration areas in EPSG:4326 (the shipped ones when ``areas`` is None).

    ``rules`` is only used to build the shipped areas; when ``areas`` is given, its
    ``segments`` column is the designation (so a drawn scenario needs no rules file).
    """
    if areas is None:
        # Lazy: zoning loads the shipped data only when asked.
        import layers

        areas = layers.areas(rules)
    if not isinstance(areas, gpd.GeoDataFrame):
        msg = f"`areas` must be a GeoDataFrame indexed by area key, got {type(areas).__name__}"
        raise InputError(msg)
    missing = [c for c in ("name_zh", "name_en", "segments") if c not in areas.columns]
    if missing:
        msg = (
            f"`areas` lacks the column(s) {missing}: pass `layers.areas()` or a GeoDataFrame "
            "indexed by area key with name_zh, name_en, segments (tuple of segment keys)"
        )
        raise InputError(msg)
    if areas.crs is None:
        msg = "`areas` has no CRS: declare it with `set_crs('EPSG:4326')`"
        raise CRSError(msg)
    if not areas.index.is_unique:
        msg = f"`areas` index (area keys) must be unique, got {list(areas.index)}"
        raise InputError(msg)
    return areas if areas.crs.equals(pyproj.CRS(WGS84)) else areas.to_crs(WGS84)


def load_chain(chain: pd.DataFrame | None) -> pd.DataFrame:
    """Return the chain taxonomy (the shipped one when ``chain`` is None)."""
    if chain is None:
        import layers

        chain = layers.chain()
    missing = [c for c in ("name_zh", "name_en", "stage", "supplies") if c not in chain.columns]
    if missing:
        msg = f"`chain` lacks the column(s) {missing}: pass `layers.chain()`"
        raise InputError(msg)
    return chain


def load_enterprises(enterprises: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Return the enterprises (the shipped ones when None), checking the essentials."""
    if enterprises is None:
        import layers

        enterprises = layers.enterprises()
    if not isinstance(enterprises, gpd.GeoDataFrame):
        msg = f"`enterprises` must be a GeoDataFrame, got {type(enterprises).__name__}"
        raise InputError(msg)
    if "segment" not in enterprises.columns:
        msg = (
            "`enterprises` has no `segment` column: add one with a chain key per row "
            "(see `layers.chain().index`)"
        )
        raise InputError(msg)
    if enterprises.crs is None and len(enterprises) and enterprises.geometry.notna().any():
        msg = "`enterprises` has no CRS: declare it with `set_crs('EPSG:4326')`"
        raise CRSError(msg)
    return enterprises


def located_xy(gdf: gpd.GeoDataFrame) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Return WGS 84 lon, lat arrays and the mask of rows with a usable point.

    A validated enterprises table (:func:`layers.enterprises.is_validated`) already says
    this in its ``lon``, ``lat`` and ``located`` columns, which are used as they are: the
    table was validated once, where it came in. For any other frame, missing, empty and
    non-point geometries and non-finite coordinates are unlocated (lon/lat NaN). The frame
    is not modified.
    """
    if is_validated(gdf):
        located = gdf["located"].to_numpy(dtype=bool)
        lon = np.where(located, gdf["lon"].to_numpy(dtype=np.float64), np.nan)
        lat = np.where(located, gdf["lat"].to_numpy(dtype=np.float64), np.nan)
        return lon, lat, located
    geoms = gdf.geometry.to_numpy()
    if len(geoms) and gdf.crs is not None and not gdf.crs.equals(pyproj.CRS(WGS84)):
        geoms = gdf.geometry.to_crs(WGS84).to_numpy()
    # get_x/get_y return NaN for None and for anything that is not a Point.
    lon = np.asarray(shapely.get_x(geoms), dtype=np.float64)
    lat = np.asarray(shapely.get_y(geoms), dtype=np.float64)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon = np.where(ok, lon, np.nan)
    lat = np.where(ok, lat, np.nan)
    return lon, lat, ok


@functools.cache
def _to_working() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WGS84, WORKING, always_xy=True)


@functools.cache
def _from_working() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WORKING, WGS84, always_xy=True)


def to_working_xy(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Project WGS 84 lon/lat arrays to EPSG:4548 metres in one vectorised call."""
    x, y = _to_working().transform(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def from_working_xy(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return WGS 84 lon/lat of EPSG:4548 coordinates."""
    lon, lat = _from_working().transform(
        np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    )
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


# Edges are densified to this many degrees (about 100 m) before projecting: a straight
# edge in WGS 84 is a slight curve in EPSG:4548, and 100 m chords follow it to well under
# a millimetre, so metric and lon/lat answers describe the same outline.
_DENSIFY_DEG = 0.001


def working_shapes(gdf: gpd.GeoDataFrame) -> npt.NDArray[np.object_]:
    """Return the geometries of a WGS 84 frame in EPSG:4548, edges densified first.

    The result is kept per distinct set of geometries (keyed by their WKB and the CRS,
    :data:`zoning._cache.WORKING_SHAPES`): the app and the command line check many tables
    against the same few areas. A copy of the kept array is returned, so callers cannot
    change it.
    """
    wkbs = tuple(shapely.to_wkb(gdf.geometry.to_numpy()).tolist())
    crs = gdf.crs.to_wkt() if gdf.crs is not None else ""
    kept: npt.NDArray[np.object_] = _cache.WORKING_SHAPES.get(
        (wkbs, crs), lambda: _working_shapes(wkbs, crs)
    )
    return kept.copy()


def _working_shapes(wkbs: tuple[bytes, ...], crs: str) -> npt.NDArray[np.object_]:
    geoms = shapely.from_wkb(np.array(wkbs, dtype=object))
    dense = shapely.segmentize(geoms, _DENSIFY_DEG)
    out: npt.NDArray[np.object_] = gpd.GeoSeries(dense, crs=crs or None).to_crs(WORKING).to_numpy()
    return out


def to_working_geometry(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return a WGS 84 geometry in EPSG:4548, edges densified first (as `working_shapes`)."""

    def project(coords: FloatArray) -> FloatArray:
        x, y = to_working_xy(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    out: shapely.Geometry = shapely.transform(shapely.segmentize(geometry, _DENSIFY_DEG), project)
    return out


def segment_names(chain: pd.DataFrame, segments: Iterable[str], lang: str) -> dict[str, str]:
    """Map segment keys to their name in ``lang`` (the key itself when not in the chain)."""
    col = f"name_{lang}"
    out: dict[str, str] = {}
    for s in segments:
        out[s] = str(chain.loc[s, col]) if s in chain.index else str(s)
    return out


def area_designation(areas: gpd.GeoDataFrame) -> dict[str, tuple[str, ...]]:
    """Map each segment key to the area keys designated for it, in the areas' order."""
    out: dict[str, list[str]] = {}
    for key, segs in zip(areas.index, areas["segments"], strict=True):
        for s in as_tuple(segs):
            out.setdefault(s, []).append(str(key))
    return {s: tuple(v) for s, v in out.items()}


def as_tuple(value: Any) -> tuple[str, ...]:
    """Return a segments cell (tuple, list or "a,b" text) as a tuple of keys."""
    if isinstance(value, str):
        # A segments cell read back from a file is "a,b,c" rather than a tuple.
        return tuple(v.strip() for v in value.replace(";", ",").split(",") if v.strip())
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    return tuple(str(v) for v in value)


def chain_neighbours(
    chain: pd.DataFrame,
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Return (upstream, downstream) maps: segment -> segments that supply it / it supplies."""
    down: dict[str, tuple[str, ...]] = {}
    up: dict[str, list[str]] = {str(s): [] for s in chain.index}
    for seg, supplies in zip(chain.index, chain["supplies"], strict=True):
        targets = as_tuple(supplies)
        down[str(seg)] = targets
        for t in targets:
            up.setdefault(t, []).append(str(seg))
    return {s: tuple(v) for s, v in up.items()}, down


def validate_segment(segment: str, chain: pd.DataFrame) -> str:
    """Return the chain key ``segment`` names, else raise a ValueError naming the fix.

    A key, a chain name (锂电铜箔, "Copper foil") or a synonym of ``data/segment_terms.yaml``
    (铜箔) is accepted, as everywhere a segment is typed (:func:`layers.segments.segment_key`).
    A term naming several segments (储能电池) is refused with its candidates.
    """
    keys = [str(k) for k in chain.index]
    if segment in keys:
        return segment
    key = segment_key(str(segment), chain=chain)
    if key is not None:
        return key
    candidates = resolve_segments(pd.DataFrame({"segment": [str(segment)]}), chain=chain)
    options = candidates["segment_candidates"].iloc[0]
    if options:
        msg = (
            f"segment {segment!r} can mean several segments ({', '.join(options)}): give one "
            "of them"
        )
        raise ValueError(msg)
    near = difflib.get_close_matches(str(segment), keys, n=1)
    hint = f" Did you mean {near[0]!r}?" if near else ""
    msg = (
        f"unknown segment {segment!r}.{hint} Valid keys: {', '.join(keys)} (their Chinese and "
        "English names and the synonyms of segment_terms.yaml are accepted too)"
    )
    raise ValueError(msg)
