"""maps.hit: clicks back to rows and drawings back to WGS 84 polygons."""

from __future__ import annotations

import numpy as np

import maps
from geo.crs import convert
from tests.maps._data import enterprises


def test_drawn_shapes_keep_polygons_and_undo_the_amap_shift():
    ring = [[115.80, 28.60], [115.90, 28.60], [115.90, 28.70], [115.80, 28.60]]
    features = [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [115.8, 28.6]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "junk"}},
        "not a feature",
    ]
    wgs = maps.drawn_shapes(features, "osm")
    assert len(wgs) == 1
    assert wgs.crs == "EPSG:4326"
    assert list(wgs.iloc[0].exterior.coords) == [tuple(p) for p in ring]
    # Drawn over Amap = GCJ-02: shifting back and forth returns the drawn vertices.
    back = maps.drawn_shapes(features, "amap")
    x, y = np.asarray(back.iloc[0].exterior.coords).T
    gx, gy = convert(x, y, src="wgs84", dst="gcj02")
    np.testing.assert_allclose(np.column_stack([gx, gy]), np.asarray(ring), atol=1e-8)
    assert maps.drawn_shapes(None, "osm").empty


def test_a_click_picks_the_nearest_located_row_within_reach():
    firms = enterprises()  # points every 0.01 degrees (~1 km) along 28.7 N; the last unlocated
    on_third = {"lat": 28.7, "lng": 115.82}
    assert maps.clicked_row(firms, on_third, "osm") == 2
    beside = {"lat": 28.7005, "lng": 115.8301}  # ~100 m from the fourth point
    assert maps.clicked_row(firms, beside, "osm") == 3
    assert maps.clicked_row(firms, {"lat": 28.75, "lng": 115.82}, "osm") is None  # 5.5 km off
    for nothing in (None, {}, {"lat": "x", "lng": 1}, {"lat": float("nan"), "lng": 1.0}):
        assert maps.clicked_row(firms, nothing, "osm") is None
    assert maps.clicked_row(firms.iloc[[-1]], on_third, "osm") is None  # only unlocated rows


def test_a_click_on_amap_is_read_in_gcj02():
    firms = enterprises()
    lon, lat = convert(115.82, 28.7, src="wgs84", dst="gcj02")
    click = {"lat": float(lat), "lng": float(lon)}
    assert maps.clicked_row(firms, click, "amap") == 2
    # The same numbers read as WGS 84 are ~500 m away: too far on a tight reach.
    assert maps.clicked_row(firms, click, "osm", max_m=100) is None
