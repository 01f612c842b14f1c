"""maps.base: a new map, local assets instead of CDNs, polygon tooltips, legends."""

from __future__ import annotations

import pytest

import maps
from tests.maps._data import CHAIN, districts, enterprises, render


def test_local_assets_replace_every_cdn_link(vendor_built):
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_districts(fmap, districts(), lang="en")
    maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    maps.add_draw(fmap)
    maps.finish(fmap, lang="en")
    assert maps.external_links(fmap) == []
    html = render(fmap)
    assert "cdn.jsdelivr" not in html
    assert "cdnjs" not in html
    assert "L.Icon.Default.imagePath" in html


def test_without_local_assets_the_map_keeps_the_cdn_links(tmp_path, monkeypatch):
    from maps import assets

    monkeypatch.setattr(assets, "VENDOR", tmp_path)  # an empty folder: nothing installed
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    links = maps.external_links(fmap)
    assert any("leaflet" in u and "://" in u for u in links)
    assert any("markercluster" in u for u in links)
    assert "L.Icon.Default.imagePath" not in render(fmap)


def test_class_defaults_are_left_alone(vendor_built):
    import folium

    before = list(folium.Map.default_js)
    maps.new_map(basemap="none", lang="zh")
    assert folium.Map.default_js == before


def test_polygon_tooltips_are_escaped_html():
    fmap = maps.new_map(basemap="none", lang="zh")
    maps.add_districts(fmap, districts(), lang="zh")
    html = render(fmap)
    assert "<img src=x" not in html
    assert "</script><script>" not in html
    # folium puts tooltip values into innerHTML: they must arrive as entities.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_polygons_skip_missing_geometry_and_check_lengths():
    gdf = districts()
    gdf.loc[1, "geometry"] = None
    fmap = maps.new_map(basemap="none", lang="en")
    layer = maps.add_polygons(fmap, gdf, name="x", fields={"Name": gdf["name_en"]})
    assert len(layer.data["features"]) == 1
    with pytest.raises(ValueError, match="one value per row"):
        maps.add_polygons(fmap, gdf, name="x", fields={}, colour=["#000000"])
    with pytest.raises(ValueError, match="2 rows"):
        maps.add_polygons(fmap, gdf, name="x", fields={"Name": ["only one"]})


def test_legend_refuses_non_colours():
    fmap = maps.new_map(basemap="none", lang="en")
    with pytest.raises(ValueError, match="hex colours"):
        maps.add_legend(fmap, "x", [("red;background:url(x)", "a", "")])
