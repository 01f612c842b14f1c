"""Coordinate policy: every CRS decision of the project lives here.

- At rest and in exchange: WGS 84 longitude/latitude (``WGS84``, EPSG:4326). CGCS2000
  (``CGCS2000``, EPSG:4490) differs from WGS 84 by well under a metre and is treated as
  equal at planning scale.
- Metric work (areas, distances, buffers, clustering, grids): ``WORKING``, EPSG:4548,
  CGCS2000 / 3-degree Gauss-Kruger CM 117E. It covers the whole of Nanchang with a scale
  error under 400 ppm, so lengths and areas are good to well under 0.1 %.
- Chinese web maps publish offset coordinates: GCJ-02 (Amap/Gaode, Tencent) and BD-09
  (Baidu). They are converted to WGS 84 on input with :func:`convert`, and WGS 84 is
  converted to GCJ-02 only to draw on an Amap basemap.

The GCJ-02 forward transform is the published algorithm (Krasovsky ellipsoid constants).
Its inverse has no closed form: :func:`convert` inverts it by fixed-point iteration until
the forward transform of the result reproduces the input to below a millimetre, instead
of the common one-step approximation, which is off by up to a few metres.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt
import pyproj
import shapely

from geo._errors import CRSError, InputError
from geo.messages import Text, text

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "CGCS2000",
    "COORD_SYSTEMS",
    "WGS84",
    "WORKING",
    "CoordSystem",
    "convert",
    "convert_geometry",
    "in_china",
    "normalise_coord_system",
    "require_metric",
    "to_working",
]

WGS84: Final = "EPSG:4326"
"""WGS 84 longitude/latitude: the CRS of everything stored or exchanged."""
CGCS2000: Final = "EPSG:4490"
"""China Geodetic Coordinate System 2000 (geographic); equal to WGS 84 at planning scale."""
WORKING: Final = "EPSG:4548"
"""CGCS2000 / 3-degree Gauss-Kruger CM 117E: metres, covers all of Nanchang."""

CoordSystem = Literal["wgs84", "gcj02", "bd09"]
COORD_SYSTEMS: Final[tuple[CoordSystem, ...]] = ("wgs84", "gcj02", "bd09")

# Spellings people actually type in spreadsheets and on the command line.
# Keys are lower case without "-", "_" and spaces (see normalise_coord_system).
_ALIASES: Final[dict[str, CoordSystem]] = {
    "wgs84": "wgs84",
    "wgs": "wgs84",
    "wgs1984": "wgs84",
    "gps": "wgs84",
    "gps坐标": "wgs84",
    "epsg4326": "wgs84",
    "4326": "wgs84",
    # CGCS2000 is within a metre of WGS 84: treated as the same at planning scale. Tianditu
    # (天地图), the national basemap, publishes CGCS2000 coordinates.
    "cgcs2000": "wgs84",
    "epsg4490": "wgs84",
    "4490": "wgs84",
    "国家2000": "wgs84",
    "2000国家大地坐标系": "wgs84",
    "国家2000坐标系": "wgs84",
    "天地图": "wgs84",
    "tianditu": "wgs84",
    "gcj02": "gcj02",
    "gcj": "gcj02",
    "amap": "gcj02",
    "gaode": "gcj02",
    "高德": "gcj02",
    "高德地图": "gcj02",
    "高德坐标": "gcj02",
    "火星": "gcj02",
    "火星坐标": "gcj02",
    "火星坐标系": "gcj02",
    "国测局坐标": "gcj02",
    "tencent": "gcj02",
    "腾讯": "gcj02",
    "腾讯地图": "gcj02",
    "bd09": "bd09",
    "bd09ll": "bd09",
    "baidu": "bd09",
    "百度": "bd09",
    "百度地图": "bd09",
    "百度坐标": "bd09",
}

# Published GCJ-02 constants: semi-major axis and eccentricity squared of Krasovsky 1940.
_A: Final = 6378245.0
_EE: Final = 0.00669342162296594323
_X_PI: Final = np.pi * 3000.0 / 180.0
# Iteration stops when the forward transform reproduces the input to this many degrees
# (1e-9 degrees is about 0.1 mm, two orders below the 0.01 m the policy promises).
_TOL_DEG: Final = 1e-9
_MAX_ITER: Final = 50

FloatArray = npt.NDArray[np.float64]
_Forward = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]


def normalise_coord_system(value: str) -> CoordSystem:
    """Return the canonical name of a coordinate system given in any usual spelling.

    Parameters
    ----------
    value : str
        For example ``"WGS84"``, ``"wgs-84"``, ``"GCJ-02"``, ``"高德"``, ``"BD09"``,
        ``"EPSG:4326"`` or ``"CGCS2000"`` (treated as WGS 84).

    Returns
    -------
    str
        One of ``"wgs84"``, ``"gcj02"``, ``"bd09"``.

    Raises
    ------
    geo.InputError
        If the value names no known system (a ``ValueError``); the message lists the
        valid names, in English and Chinese.

    Examples
    --------
    >>> normalise_coord_system("GCJ-02")
    'gcj02'
    """
    key = str(value).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    key = key.replace("epsg:", "epsg")
    if key in _ALIASES:
        return _ALIASES[key]
    raise InputError(text("geo.crs.unknown_system", value=value))


def in_china(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Return where the published GCJ-02 algorithm applies its offset.

    The published rectangle (72.004-137.8347 E, 0.8293-55.8271 N) is used as is, so points
    outside it are left unchanged exactly as every GCJ-02 implementation does.
    """
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    return (x >= 72.004) & (x <= 137.8347) & (y >= 0.8293) & (y <= 55.8271)


def _gcj_delta(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Offset in degrees that GCJ-02 adds to a WGS 84 point (published polynomial)."""
    x = lon - 105.0
    y = lat - 35.0
    sx = np.sin(6.0 * x * np.pi) * 20.0 + np.sin(2.0 * x * np.pi) * 20.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat = dlat + sx * 2.0 / 3.0
    dlat = dlat + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat = dlat + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon = dlon + sx * 2.0 / 3.0
    dlon = dlon + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon = dlon + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def _wgs_to_gcj(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    dlon, dlat = _gcj_delta(lon, lat)
    inside = in_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def _gcj_to_bd(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    inside = in_china(lon, lat)
    bd_lon = z * np.cos(theta) + 0.0065
    bd_lat = z * np.sin(theta) + 0.006
    return np.where(inside, bd_lon, lon), np.where(inside, bd_lat, lat)


def _bd_to_gcj_first_guess(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    x = lon - 0.0065
    y = lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(
    forward: _Forward,
    lon: FloatArray,
    lat: FloatArray,
    guess: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """Solve ``forward(x) == target`` by fixed-point iteration, vectorised.

    The offsets vary slowly with position (their derivative is of order 1e-3), so
    ``x <- x + (target - forward(x))`` contracts quickly: 3-4 rounds reach 1e-9 degrees.
    """
    x, y = guess[0].copy(), guess[1].copy()
    for _ in range(_MAX_ITER):
        fx, fy = forward(x, y)
        ex, ey = lon - fx, lat - fy
        x = x + ex
        y = y + ey
        if (
            float(np.max(np.abs(ex), initial=0.0)) < _TOL_DEG
            and float(np.max(np.abs(ey), initial=0.0)) < _TOL_DEG
        ):
            break
    return x, y


def _to_wgs84(lon: FloatArray, lat: FloatArray, src: CoordSystem) -> tuple[FloatArray, FloatArray]:
    if src == "wgs84":
        return lon, lat
    if src == "bd09":
        glon, glat = _invert(_gcj_to_bd, lon, lat, _bd_to_gcj_first_guess(lon, lat))
        inside = in_china(lon, lat)
        lon, lat = np.where(inside, glon, lon), np.where(inside, glat, lat)
    # GCJ-02 to WGS 84; outside China the published algorithm leaves the point unchanged.
    inside = in_china(lon, lat)
    dlon, dlat = _gcj_delta(lon, lat)
    wlon, wlat = _invert(_wgs_to_gcj, lon, lat, (lon - dlon, lat - dlat))
    return np.where(inside, wlon, lon), np.where(inside, wlat, lat)


def _from_wgs84(
    lon: FloatArray, lat: FloatArray, dst: CoordSystem
) -> tuple[FloatArray, FloatArray]:
    if dst == "wgs84":
        return lon, lat
    glon, glat = _wgs_to_gcj(lon, lat)
    if dst == "gcj02":
        return glon, glat
    return _gcj_to_bd(glon, glat)


def convert(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    *,
    src: str,
    dst: str,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Convert longitudes and latitudes between WGS 84, GCJ-02 and BD-09.

    Parameters
    ----------
    lon, lat : array_like
        Longitudes and latitudes in degrees (scalars or arrays of one shape), in
        (lon, lat) order. NaN stays NaN.
    src, dst : str
        The systems, in any spelling :func:`normalise_coord_system` accepts.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in ``dst``, float64 arrays of the input's shape (0-d for scalars).

    Notes
    -----
    Conversions to WGS 84 invert the published forward transforms by iteration to below
    1e-9 degrees (about 0.1 mm). Points outside the published China rectangle are left
    unchanged, as the published algorithm does.

    Examples
    --------
    The Nanchang city point (GeoNames) shown on Amap:

    >>> lon, lat = convert(115.8833, 28.6833, src="wgs84", dst="gcj02")
    >>> round(float(lon), 4), round(float(lat), 4)
    (115.8882, 28.6799)
    """
    s = normalise_coord_system(src)
    d = normalise_coord_system(dst)
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    if x.shape != y.shape:
        msg = f"`lon` and `lat` must have the same shape, got {x.shape} and {y.shape}"
        raise ValueError(msg)
    if s == d:
        return x.copy(), y.copy()
    wx, wy = _to_wgs84(x, y, s)
    return _from_wgs84(wx, wy, d)


def convert_geometry(geometry: npt.ArrayLike, *, src: str, dst: str) -> npt.NDArray[np.object_]:
    """Convert shapely geometries between WGS 84, GCJ-02 and BD-09, vertex by vertex.

    Parameters
    ----------
    geometry : array_like of shapely.Geometry
        A geometry, an array of geometries or a GeoSeries (longitude/latitude degrees).
    src, dst : str
        The systems, as for :func:`convert`.

    Returns
    -------
    numpy.ndarray
        The converted geometries (an object array, or a 0-d array for one geometry).
    """
    s = normalise_coord_system(src)
    d = normalise_coord_system(dst)
    geoms = np.asarray(geometry, dtype=object)

    def _apply(coords: FloatArray) -> FloatArray:
        x, y = convert(coords[:, 0], coords[:, 1], src=s, dst=d)
        return np.column_stack([x, y])

    # shapely.transform hands every vertex of every geometry to one call: fully vectorised.
    result: npt.NDArray[np.object_] = shapely.transform(geoms, _apply)
    return result


def require_metric(
    crs: pyproj.CRS | str | None, *, what: str | Text = "this operation"
) -> pyproj.CRS:
    """Refuse to measure in degrees or on geometries with no CRS.

    Parameters
    ----------
    crs : pyproj.CRS, str or None
        The CRS of the data about to be measured (for example ``gdf.crs``).
    what : str or geo.messages.Text
        Names the operation in the message (a Text: in each language its own words).

    Returns
    -------
    pyproj.CRS
        The CRS, when it is projected.

    Raises
    ------
    geo.CRSError
        If ``crs`` is None (naive geometries) or geographic; the message names the fix.
    """
    if crs is None:
        raise CRSError(text("geo.crs.naive", what=what, working=WORKING))
    c = pyproj.CRS.from_user_input(crs)
    if not c.is_projected:
        raise CRSError(text("geo.crs.geographic", what=what, crs=c.to_string(), working=WORKING))
    return c


def to_working(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` in the working CRS (EPSG:4548) for metric work.

    Raises
    ------
    geo.CRSError
        If ``gdf`` has no CRS: transforming naive geometries would guess their meaning.
    """
    if gdf.crs is None:
        raise CRSError(text("geo.crs.cannot_project"))
    return gdf.to_crs(WORKING)
