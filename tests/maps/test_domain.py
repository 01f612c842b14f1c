"""maps.domain: districts, zones and agglomeration areas on tiny hand-made layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

import maps
from layers.i18n import t
from tests.maps._data import CHAIN, render


def test_zones_mark_approximate_boundaries():
    zones = gpd.GeoDataFrame(
        {
            "name_zh": ["甲", "乙"],
            "name_en": ["A", "B"],
            "level": ["national", "provincial"],
            "area_km2": [1.0, 2.0],
            "boundary_source": ["approximate", "official"],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    fmap = maps.new_map(basemap="none", lang="en")
    layer = maps.add_zones(fmap, zones, lang="en")
    props = [f["properties"] for f in layer.data["features"]]
    assert [p["_dash"] for p in props] == [True, False]
    assert props[0]["f3"] == t("boundary.approximate", "en")


def test_areas_and_surface_legends():
    areas = gpd.GeoDataFrame(
        {
            "name_zh": ["储能电池集聚区", "新区"],
            "name_en": ["Battery area", "New area"],
            "segments": [("li_ion_cell",), ()],
            "definition": ["南昌经开区 ∪ 新建区", ""],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
        index=pd.Index(["battery", "new"], name="area"),
    )
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_areas(fmap, areas, lang="en", chain=CHAIN)
    grid = gpd.GeoDataFrame(
        {"score": [0.0, 0.5, 1.0, np.nan]},
        geometry=[box(i, 0, i + 1, 1) for i in range(4)],
        crs="EPSG:4326",
    )
    layer = maps.add_surface(fmap, grid, name="Suitability", lang="en")
    colours = [f["properties"]["_colour"] for f in layer.data["features"]]
    assert colours[0] != colours[2]
    assert colours[3] == maps.UNKNOWN_COLOUR
    html = render(fmap)
    assert "Li-ion cells" in html
    assert html.count('"nc-legend"') == 2
