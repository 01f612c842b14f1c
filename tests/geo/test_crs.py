from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from geo import CRSError, crs

# Published reference values (googollee/eviltransform test suite):
# (wgs lon, wgs lat, gcj lon, gcj lat)
GCJ_REFERENCES = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
]
# A published WGS 84 / GCJ-02 / BD-09 triple (geotool's CLI tests).
TRIPLE = {
    "wgs84": (121.0917077, 30.6107779),
    "gcj02": (121.09626935575027, 30.608604331756705),
    "bd09": (121.10271732371203, 30.61484572185035),
}

# Nanchang with a margin (the city spans about 115.2-116.6 E, 28.1-29.2 N).
nanchang_lon = st.floats(115.0, 116.8, allow_nan=False)
nanchang_lat = st.floats(27.9, 29.4, allow_nan=False)

METRES_PER_DEG_LAT = 110_900.0  # at 28.7 N, enough to turn a tolerance into degrees


def _metres(dlon: np.ndarray, dlat: np.ndarray, lat: float) -> np.ndarray:
    return np.hypot(dlon * METRES_PER_DEG_LAT * np.cos(np.radians(lat)), dlat * METRES_PER_DEG_LAT)


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), GCJ_REFERENCES)
def test_wgs84_to_gcj02_matches_published_values(wlon, wlat, glon, glat):
    lon, lat = crs.convert(wlon, wlat, src="wgs84", dst="gcj02")
    assert abs(float(lon) - glon) < 1e-6
    assert abs(float(lat) - glat) < 1e-6


@pytest.mark.parametrize("dst", ["gcj02", "bd09"])
def test_published_triple_forward(dst):
    lon, lat = crs.convert(*TRIPLE["wgs84"], src="wgs84", dst=dst)
    assert abs(float(lon) - TRIPLE[dst][0]) < 1e-6
    assert abs(float(lat) - TRIPLE[dst][1]) < 1e-6


@pytest.mark.parametrize("src", ["gcj02", "bd09"])
def test_published_triple_inverse_is_exact(src):
    lon, lat = crs.convert(*TRIPLE[src], src=src, dst="wgs84")
    assert abs(float(lon) - TRIPLE["wgs84"][0]) < 1e-6
    assert abs(float(lat) - TRIPLE["wgs84"][1]) < 1e-6


def test_one_step_inverse_would_be_off_by_metres_but_ours_is_not():
    # Guard that the iteration is really in use: the classic one-step inverse
    # (gcj - delta(gcj)) misses by more than 0.5 m somewhere in Nanchang.
    glon, glat = np.array([115.9]), np.array([28.7])
    wlon, wlat = crs.convert(glon, glat, src="gcj02", dst="wgs84")
    # forward again must reproduce the GCJ input to well under 1 cm
    blon, blat = crs.convert(wlon, wlat, src="wgs84", dst="gcj02")
    assert _metres(blon - glon, blat - glat, 28.7).max() < 0.001
    # and the one-step approximation is measurably worse
    dlon, dlat = crs._gcj_delta(glon, glat)
    one_step = crs.convert(glon - dlon, glat - dlat, src="wgs84", dst="gcj02")
    assert _metres(one_step[0] - glon, one_step[1] - glat, 28.7).max() > 0.01


@settings(max_examples=300, deadline=None)
@given(lon=nanchang_lon, lat=nanchang_lat)
def test_gcj02_round_trip_within_a_centimetre(lon, lat):
    wlon, wlat = crs.convert(lon, lat, src="gcj02", dst="wgs84")
    glon, glat = crs.convert(wlon, wlat, src="wgs84", dst="gcj02")
    assert _metres(np.asarray(glon - lon), np.asarray(glat - lat), lat) < 0.01


@settings(max_examples=200, deadline=None)
@given(lon=nanchang_lon, lat=nanchang_lat)
def test_bd09_round_trip_within_a_centimetre(lon, lat):
    wlon, wlat = crs.convert(lon, lat, src="bd09", dst="wgs84")
    blon, blat = crs.convert(wlon, wlat, src="wgs84", dst="bd09")
    assert _metres(np.asarray(blon - lon), np.asarray(blat - lat), lat) < 0.01


def test_offsets_in_nanchang_have_the_documented_size():
    # GCJ-02 - WGS 84 is about 480 m east and 365 m south in Nanchang; BD-09 about 1.1 km.
    lon, lat = crs.convert(115.8833, 28.6833, src="wgs84", dst="gcj02")
    east = (float(lon) - 115.8833) * METRES_PER_DEG_LAT * np.cos(np.radians(28.68))
    north = (float(lat) - 28.6833) * METRES_PER_DEG_LAT
    assert 430 < east < 530
    assert -420 < north < -310
    blon, blat = crs.convert(115.8833, 28.6833, src="wgs84", dst="bd09")
    dist = _metres(np.asarray(blon - 115.8833), np.asarray(blat - 28.6833), 28.68)
    assert 1000 < dist < 1250


def test_vectorised_and_scalar_agree_and_shapes_kept():
    lon = np.array([[115.8, 115.9], [116.0, 116.1]])
    lat = np.array([[28.6, 28.7], [28.8, 28.5]])
    vx, vy = crs.convert(lon, lat, src="wgs84", dst="bd09")
    assert vx.shape == (2, 2)
    sx, sy = crs.convert(116.0, 28.8, src="wgs84", dst="bd09")
    assert sx.shape == ()
    assert float(sx) == vx[1, 0]
    assert float(sy) == vy[1, 0]


def test_outside_china_left_unchanged_and_nan_kept():
    lon, lat = crs.convert([2.35, np.nan], [48.85, 28.0], src="gcj02", dst="wgs84")
    assert lon[0] == 2.35
    assert lat[0] == 48.85
    assert np.isnan(lon[1])


def test_same_system_returns_copy():
    x = np.array([115.9])
    lon, _ = crs.convert(x, np.array([28.7]), src="wgs84", dst="WGS-84")
    lon[0] = 0
    assert x[0] == 115.9


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("GCJ-02", "gcj02"),
        ("高德", "gcj02"),
        ("BD09", "bd09"),
        ("EPSG:4326", "wgs84"),
        ("cgcs2000", "wgs84"),
        (" wgs84 ", "wgs84"),
    ],
)
def test_normalise_coord_system(given_name, expected):
    assert crs.normalise_coord_system(given_name) == expected


def test_unknown_coord_system_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"wgs84, gcj02.*bd09"):
        crs.convert(1, 1, src="utm", dst="wgs84")


def test_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="same shape"):
        crs.convert([1, 2], [1], src="wgs84", dst="gcj02")


def test_convert_geometry_moves_every_vertex():
    poly = Polygon([(115.8, 28.6), (115.9, 28.6), (115.9, 28.7), (115.8, 28.6)])
    out = crs.convert_geometry(
        gpd.GeoSeries([poly, Point(115.85, 28.65)]), src="gcj02", dst="wgs84"
    )
    xs, ys = crs.convert(115.85, 28.65, src="gcj02", dst="wgs84")
    assert out[1].x == pytest.approx(float(xs), abs=1e-12)
    assert out[1].y == pytest.approx(float(ys), abs=1e-12)
    assert len(out[0].exterior.coords) == 4
    assert out[0].exterior.coords[0][0] < 115.8


def test_require_metric_refuses_degrees_and_naive():
    with pytest.raises(CRSError, match=r"to_crs\(geo.crs.WORKING\)"):
        crs.require_metric("EPSG:4326", what="a buffer")
    with pytest.raises(CRSError, match="no CRS"):
        crs.require_metric(None, what="a buffer")
    assert crs.require_metric(crs.WORKING).to_epsg() == 4548


def test_to_working_refuses_naive_and_projects_otherwise():
    naive = gpd.GeoDataFrame(geometry=[Point(115.9, 28.7)])
    with pytest.raises(CRSError, match="set_crs"):
        crs.to_working(naive)
    proj = crs.to_working(naive.set_crs(crs.WGS84))
    assert proj.crs.to_epsg() == 4548
    # CM 117E: Nanchang lies west of it, so eastings are below the 500 km false easting
    assert 350_000 < proj.geometry.x.iloc[0] < 500_000
