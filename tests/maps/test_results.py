"""maps.results: clusters, gaps, surfaces, a site, candidates and the highlight."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

import maps
from geo.crs import convert
from layers.i18n import t
from tests.maps._data import CHAIN, render
from tests.maps.conftest import HOSTILE_NAMES


def test_clusters_and_gaps_layers():
    clusters = gpd.GeoDataFrame(
        {
            "dominant_segment": ["cathode", "unknown_key"],
            "n_members": [5, 3],
            "share_in_planned_area": [1.0, 0.25],
            "area_km2": [1.0, 2.0],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    fmap = maps.new_map(basemap="none", lang="en")
    layer = maps.add_clusters(fmap, clusters, lang="en", chain=CHAIN)
    props = [f["properties"] for f in layer.data["features"]]
    assert [p["_colour"] for p in props] == [maps.STAGE_COLOURS["materials"], maps.UNKNOWN_COLOUR]
    assert props[0]["f0"] == "Cathode materials"
    assert props[1]["f2"] == "25%"
    gaps = gpd.GeoDataFrame(
        {"gap_km2": [3.0, 0.0], "gap_share": [0.5, 0.0]},
        geometry=[box(0, 0, 1, 1), Polygon()],
        crs="EPSG:4326",
        index=pd.Index(["battery", "control"], name="area"),
    )
    areas = gpd.GeoDataFrame(
        {"name_zh": ["电池", "控制"], "name_en": ["Battery", HOSTILE_NAMES[0]]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
        index=pd.Index(["battery", "control"], name="area"),
    )
    layer = maps.add_gaps(fmap, gaps, lang="en", areas=areas)
    feats = layer.data["features"]
    assert len(feats) == 1  # the empty gap is not drawn
    assert feats[0]["properties"]["_colour"] == maps.AREA_COLOURS["battery"]
    assert feats[0]["properties"]["f2"] == "50%"


def test_surface_scale_follows_vmax():
    grid = gpd.GeoDataFrame(
        {"score": [0.0, 50.0, 100.0]},
        geometry=[box(i, 0, i + 1, 1) for i in range(3)],
        crs="EPSG:4326",
    )
    fmap = maps.new_map(basemap="none", lang="en")
    layer = maps.add_surface(fmap, grid, name="s", lang="en", vmax=100.0)
    colours = [f["properties"]["_colour"] for f in layer.data["features"]]
    assert colours == maps.ramp_colour([0.0, 0.5, 1.0])
    assert [f["properties"]["f0"] for f in layer.data["features"]] == ["0", "50", "100"]
    with pytest.raises(ValueError, match="vmax"):
        maps.add_surface(fmap, grid, name="s", lang="en", vmax=0)


def test_ramp_is_monotone_in_the_value():
    ramp = maps.ramp_colour(np.linspace(0, 1, 50))
    firsts = list(dict.fromkeys(ramp))
    assert firsts == list(maps.styles.RAMP)


def test_site_and_links():
    links = pd.DataFrame(
        {
            "segment": ["cathode", "anode", "li_ion_cell"],
            "name_zh": [HOSTILE_NAMES[0], "", "客户"],
            "name_en": ["Supplier", "", ""],
            "distance_m": [1500.0, np.inf, 800.0],
            "lon": [115.9, np.nan, 115.8],
            "lat": [28.7, np.nan, 28.6],
            "role": ["supplier", "supplier", "customer"],
        }
    )
    fmap = maps.new_map(basemap="none", lang="zh")
    maps.add_site(fmap, 115.85, 28.65, lang="zh", links=links, chain=CHAIN)
    html = render(fmap)
    assert "<img src=x" not in html
    layers_ = [c for c in fmap._children.values() if hasattr(c, "data")]
    lines, site = layers_[-2].data["features"], layers_[-1].data["features"]
    assert len(lines) == 2  # the supplier with no firm in the data has no line
    assert lines[0]["geometry"]["coordinates"] == [[115.85, 28.65], [115.9, 28.7]]
    assert lines[0]["properties"]["f0"] == "正极材料"
    assert lines[1]["properties"]["f3"] == t("site.customer", "zh")
    assert site[0]["geometry"]["coordinates"] == [115.85, 28.65]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_highlight_label_is_text_content_only(name):
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_highlight(fmap, 115.82, 28.7, label=name)
    html = render(fmap)
    match = re.search(r"text\.textContent = (.*?);", html)
    assert match
    assert json.loads(match.group(1)) == name  # the browser gets the name verbatim, as text
    for ch in "<>`$":
        assert ch not in match.group(1)
    assert "innerHTML" not in html.split("var ring")[1][:400]


def test_highlight_is_shifted_on_amap():
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_highlight(fmap, 115.82, 28.7, label="x", basemap="amap")
    lon, lat = convert(115.82, 28.7, src="wgs84", dst="gcj02")
    assert f"L.circleMarker([{round(float(lat), 6)},{round(float(lon), 6)}]" in render(fmap)


def test_candidates_are_markers_with_escaped_labels_and_scores():
    sites = pd.DataFrame(
        {"label": ["S1", HOSTILE_NAMES[1]], "lon": [115.8, 115.9], "lat": [28.6, 28.7]}
    ).assign(score=[61.4, 12.0])
    fmap = maps.new_map(basemap="none", lang="en")
    layer = maps.add_candidates(fmap, sites, lang="en")
    features = layer.data["features"]
    assert [f["geometry"]["coordinates"] for f in features] == [[115.8, 28.6], [115.9, 28.7]]
    assert [f["properties"]["f1"] for f in features] == ["61", "12"]
    assert "</script><script>" not in render(fmap)
