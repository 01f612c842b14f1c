"""maps.basemaps: tiles, Tianditu keys and the GCJ-02 display shift on Amap."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

import maps
from geo.crs import convert
from tests.maps._data import districts, render


@pytest.mark.parametrize(
    ("basemap", "needle"),
    [("osm", "tile.openstreetmap.org"), ("amap", "webrd0{s}.is.autonavi.com"), ("none", None)],
)
def test_basemaps(basemap, needle):
    html = render(maps.new_map(basemap=basemap, lang="en"))
    if needle is None:
        assert "L.tileLayer(" not in html
    else:
        assert needle in html


def test_tianditu_needs_a_plausible_key():
    with pytest.raises(ValueError, match="Tianditu"):
        maps.new_map(basemap="tianditu", lang="en")
    with pytest.raises(ValueError, match="Tianditu"):
        maps.new_map(basemap="tianditu", lang="en", tianditu_key="abc&callback=x" * 2)
    html = render(maps.new_map(basemap="tianditu", lang="en", tianditu_key="0123456789abcdef"))
    assert html.count("tk=0123456789abcdef") == 2  # streets and labels
    assert "LAYER=cva" in html


def test_unknown_basemap_is_refused():
    with pytest.raises(ValueError, match="basemap"):
        maps.new_map(basemap="google", lang="en")


def test_amap_display_shifts_every_vertex_and_leaves_the_input_alone():
    gdf = districts()
    before = gdf.copy()
    shown = maps.to_display(gdf, "amap")
    pd.testing.assert_frame_equal(
        pd.DataFrame(gdf.drop(columns="geometry")), before.drop(columns="geometry")
    )
    assert gdf.geometry.equals(before.geometry)
    x0, y0 = gdf.geometry.iloc[0].exterior.coords.xy
    x1, y1 = shown.geometry.iloc[0].exterior.coords.xy
    ex, ey = convert(np.asarray(x0), np.asarray(y0), src="wgs84", dst="gcj02")
    np.testing.assert_allclose(np.asarray(x1), ex, atol=1e-12)
    np.testing.assert_allclose(np.asarray(y1), ey, atol=1e-12)
    # In Nanchang GCJ-02 lies east and south of WGS 84 by hundreds of metres.
    assert 0.002 < float(np.mean(np.asarray(x1) - np.asarray(x0))) < 0.01
    assert -0.01 < float(np.mean(np.asarray(y1) - np.asarray(y0))) < -0.001


@pytest.mark.parametrize("basemap", ["osm", "tianditu", "none"])
def test_other_basemaps_draw_wgs84(basemap):
    gdf = districts()
    assert maps.to_display(gdf, basemap).geometry.equals(gdf.geometry)


@pytest.mark.parametrize("basemap", ["osm", "tianditu", "none"])
def test_display_centre_is_the_wgs84_point_off_amap(basemap):
    assert maps.display_centre((28.7, 115.82), basemap) == (28.7, 115.82)


def test_display_centre_on_amap_is_gcj02_in_leaflet_order():
    lat, lon = maps.display_centre((28.7, 115.82), "amap")
    ex, ey = convert(115.82, 28.7, src="wgs84", dst="gcj02")
    assert (lat, lon) == (float(ey), float(ex))
    # The same shift a drawn polygon gets, so a centred map and its overlays agree.
    shown = maps.to_display(gpd.GeoDataFrame(geometry=[Point(115.82, 28.7)], crs=4326), "amap")
    assert (lat, lon) == pytest.approx((shown.geometry.y.iloc[0], shown.geometry.x.iloc[0]))
