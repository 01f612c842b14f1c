"""maps.export: the standalone HTML page points at CDNs, the app's map does not."""

from __future__ import annotations

import maps
from tests.maps._data import CHAIN, districts, enterprises, render


def test_standalone_html_uses_cdn_links_and_leaves_the_map_alone(vendor_built):
    from maps import assets

    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_districts(fmap, districts(), lang="en")
    maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    maps.finish(fmap, lang="en")
    # What st_folium does to the map before anyone can click the download button.
    from streamlit_folium import _get_map_string

    render(fmap)
    fmap.render()
    _get_map_string(fmap)
    page = maps.standalone_html(fmap)
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert assets.URL_PREFIX not in page  # nothing the app serves: it is opened elsewhere
    assert "https://cdn.jsdelivr.net/npm/leaflet" in page
    assert "markercluster" in page
    assert "L.Icon.Default.imagePath" in page
    assert page.count("L.Icon.Default.imagePath") == 1  # nothing left from an earlier render
    assert "https://cdn.jsdelivr.net/npm/leaflet@" in page.split("L.Icon.Default.imagePath")[1][:80]
    assert page.count("var firms =") == 1
    assert "<img src=x" not in page
    # The map shown in the app still uses the app's own copies.
    assert maps.external_links(fmap) == []
    assert assets.URL_PREFIX in render(fmap)
