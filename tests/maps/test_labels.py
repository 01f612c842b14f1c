"""Map cartography: name labels, legends beside the city, the suitability legend's scale."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pytest
import shapely

import layers
import maps
from maps.results import add_surface


def _html(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def _labels(html: str) -> list[list[object]]:
    """The label points written into the page: [lon, lat, text, kind] each."""
    found = re.search(r"var spec = (\[\[.*?\]\]);\s*var markers", html, flags=re.S)
    assert found, "no labels in the page"
    text = found.group(1)
    for escape, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&")):
        text = text.replace(escape, char)
    return json.loads(text)


@pytest.mark.parametrize(("lang", "short"), [("zh", "小蓝经开区"), ("en", "Xiaolan ETDZ")])
def test_districts_and_zones_are_labelled_in_the_language(lang, short):
    districts, zones = layers.districts(), layers.zones()
    fmap = maps.new_map(basemap="none", lang=lang)
    maps.add_names(fmap, districts, zones, lang=lang, basemap="none")
    points = _labels(_html(fmap))
    texts = [p[2] for p in points]
    assert short in texts
    names = districts[f"name_{lang}"].tolist()
    assert set(names) <= set(texts)
    # Zones come first (they win where labels collide), then districts, largest first.
    kinds = [p[3] for p in points]
    assert kinds == ["zone"] * len(zones) + ["district"] * len(districts)
    by_size = districts.to_crs(4548).area.sort_values(ascending=False).index
    assert texts[len(zones) :] == districts.loc[by_size, f"name_{lang}"].tolist()
    # Each label sits inside its own polygon.
    for lon, lat, text, kind in points:
        frame = zones if kind == "zone" else districts
        column = "short" if kind == "zone" else "name"
        row = frame[frame[f"{column}_{lang}"] == text]
        assert row.geometry.iloc[0].contains(shapely.Point(lon, lat)), text


def test_a_zone_without_a_short_name_is_labelled_with_its_full_name():
    zones = layers.zones().assign(short_zh=["", "高新", ""])
    fmap = maps.new_map(basemap="none", lang="zh")
    maps.add_names(fmap, layers.districts(), zones, lang="zh", basemap="none")
    texts = {p[2] for p in _labels(_html(fmap))}
    assert {"南昌经济技术开发区", "高新", "南昌小蓝经济技术开发区"} <= texts


def test_label_text_stays_text():
    hostile = '<img src=x onerror="alert(1)">'
    zone = gpd.GeoDataFrame(
        {"name_zh": [hostile], "name_en": [hostile]},
        geometry=[shapely.box(115.8, 28.6, 115.9, 28.7)],
        crs=4326,
    )
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_labels(fmap, [(zone, zone["name_en"], "zone")], name="Names")
    html = _html(fmap)
    assert "<img src=x" not in html
    assert [p[2] for p in _labels(html)] == [hostile]
    assert "textContent = p[2]" in html


def test_labels_on_amap_are_shifted_like_the_polygons():
    districts = layers.districts()
    plain, shifted = (
        maps.new_map(basemap="none", lang="zh"),
        maps.new_map(basemap="none", lang="zh"),
    )
    maps.add_labels(plain, [(districts, districts["name_zh"], "district")], name="n")
    maps.add_labels(
        shifted, [(districts, districts["name_zh"], "district")], name="n", basemap="amap"
    )
    a, b = _labels(_html(plain)), _labels(_html(shifted))
    # GCJ-02 moves Nanchang a few hundred metres east and south: about 0.005 degrees.
    dx = [q[0] - p[0] for p, q in zip(a, b, strict=True)]
    assert all(0.002 < d < 0.01 for d in dx)


def test_the_map_opens_on_the_city_beside_the_controls():
    districts = layers.districts()
    fmap = maps.new_map(basemap="none", lang="zh")
    maps.fit(fmap, districts)
    html = _html(fmap)
    found = re.search(r"var b = (\[[^\]]*\]);", html)
    assert found
    assert json.loads(found.group(1)) == pytest.approx(list(districts.total_bounds))
    assert "paddingBottomRight" in html
    assert ".leaflet-top.leaflet-right" in html


def test_legends_stack_under_the_layer_control_and_fold():
    fmap = maps.new_map(basemap="none", lang="zh")
    maps.add_legend(fmap, "图例", [("#1f77b4", "材料", "正极材料")])
    html = _html(fmap)
    assert 'L.control({position: "topright"})' in html
    assert '"aria-expanded"' in html
    assert "nc-legend-body" in html


def _legends(html: str) -> list[dict[str, object]]:
    specs = re.findall(r"var spec = (\{.*?\});\s*var legend", html, flags=re.S)
    return [json.loads(spec) for spec in specs]


@pytest.mark.parametrize(("lang", "words"), [("zh", "0 低 – 100 高"), ("en", "0 low – 100 high")])
def test_the_suitability_legend_says_the_scale_it_draws(lang, words):
    grid = gpd.GeoDataFrame(
        {"score": [10.0, 95.0]},
        geometry=[
            shapely.box(115.8, 28.6, 115.81, 28.61),
            shapely.box(115.81, 28.6, 115.82, 28.61),
        ],
        crs=4326,
    )
    fmap = maps.new_map(basemap="none", lang=lang)
    add_surface(fmap, grid, name="s", lang=lang, column="score", vmax=100.0)
    (legend,) = _legends(_html(fmap))
    assert words in str(legend["title"])
    labels = [row[1] for row in legend["rows"]]  # type: ignore[union-attr]
    assert labels[0].startswith("0 – ")
    assert labels[-1].endswith(" – 100")
