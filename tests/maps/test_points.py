"""maps.enterprises with many firms: one canvas points layer fed by compressed columns."""

from __future__ import annotations

import re

import numpy as np
import pytest

import layers
import maps
from geo.crs import convert
from layers.i18n import t
from maps import _points, enterprises
from tests.maps._data import CHAIN, render
from tests.maps._data import enterprises as tiny_firms
from tests.maps.conftest import HOSTILE_NAMES

_PACKED = re.compile(r"new L\.NcPointsData\(\s*\"([A-Za-z0-9+/=]+)\"")


def _columns(html: str) -> dict:
    found = _PACKED.findall(html)
    assert len(found) == 1, "expected exactly one points data element"
    return _points.unpack_columns(found[0])


def _points_map(firms, *, basemap: str = "none", lang: str = "en", **kwargs) -> str:
    fmap = maps.new_map(basemap=basemap, lang=lang)
    maps.add_enterprises(
        fmap, firms, chain=CHAIN, lang=lang, basemap=basemap, points=True, **kwargs
    )
    return render(fmap)


@pytest.mark.slow
def test_map_of_100000_firms_is_small_and_has_no_per_marker_markup():
    firms = layers.synthetic_enterprises(100_000, seed=0)
    fmap = maps.new_map(basemap="none", lang="en")
    drawn = maps.add_enterprises(fmap, firms, chain=layers.chain(), lang="en")
    html = render(fmap)
    assert drawn == 100_000
    assert len(html.encode("utf-8")) < 8_000_000
    # No marker objects, no popups per marker, no cluster layer: one points layer.
    assert "markerClusterGroup" not in html
    assert "bindPopup" not in html
    assert "L.circleMarker" not in html
    assert html.count("new L.NcPoints(") == 1
    assert html.count("new L.NcPrecision(") == 1
    # Names and ids travel only inside the compressed columns.
    assert str(firms["name_en"].iloc[0]) not in html
    assert str(firms["id"].iloc[-1]) not in html
    columns = _columns(html)
    assert len(columns["lat"]) == len(columns["name"]) == len(columns["id"]) == 100_000
    assert columns["name"][:2] == firms["name_en"].iloc[:2].tolist()


def test_above_the_threshold_points_below_it_clusters(monkeypatch):
    located = int(tiny_firms().geometry.notna().sum())
    monkeypatch.setattr(enterprises, "CLUSTER_MAX_FIRMS", located)
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_enterprises(fmap, tiny_firms(), chain=CHAIN, lang="en")
    assert "markerClusterGroup" in render(fmap)
    monkeypatch.setattr(enterprises, "CLUSTER_MAX_FIRMS", located - 1)
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_enterprises(fmap, tiny_firms(), chain=CHAIN, lang="en")
    html = render(fmap)
    assert "markerClusterGroup" not in html
    assert "new L.NcPoints(" in html


def test_columns_carry_the_popup_fields_verbatim_and_escape_nothing_into_html():
    firms = tiny_firms()
    html = _points_map(firms)
    cols = _columns(html)
    located = firms[firms.geometry.notna()]
    assert len(cols["name"]) == len(located) == len(HOSTILE_NAMES)
    assert cols["name"] == list(HOSTILE_NAMES)  # English, falling back to Chinese
    assert cols["id"] == located["id"].tolist()
    lookup = cols["lookup"]
    assert [lookup["segment"][i] for i in cols["seg"][:3]] == [
        "Cathode materials",
        "Li-ion cells",
        "Storage integration",
    ]
    assert lookup["status"][cols["status"][2]] == HOSTILE_NAMES[2]
    assert lookup["park"][cols["park"][0]] == HOSTILE_NAMES[3]
    assert cols["park"][1] == -1  # empty park: no line in the popup
    assert cols["prec"] == [4000, 50, -1, 1000, 999]
    assert lookup["capacity"][cols["cap"][0]] == "50 GWh"
    families = list(maps.STAGE_COLOURS)
    # g = family index * 2 + synthetic flag
    assert cols["g"][0] == families.index("materials") * 2
    assert cols["g"][3] == len(families) * 2 + 1  # unknown segment, synthetic
    for name in HOSTILE_NAMES:
        assert name not in html
    assert "<img src=x" not in html
    assert "</script><script>alert" not in html


def test_popups_are_text_nodes_only():
    html = _points_map(tiny_firms())
    assert _points._LIBRARY in html  # the drawing code, once
    assert html.count("if (!L.NcPointsData)") == 1
    assert ".textContent" in _points._LIBRARY
    assert "createTextNode" in _points._LIBRARY
    assert "innerHTML" not in _points._LIBRARY
    assert "{{" not in _points._LIBRARY  # streamlit-folium rewrites {{'...'}} in scripts


def test_points_are_shifted_on_amap():
    firms = tiny_firms()
    osm, amap = _columns(_points_map(firms)), _columns(_points_map(firms, basemap="amap"))
    lon, lat = convert(
        np.array(osm["lon"]) / 1e5, np.array(osm["lat"]) / 1e5, src="wgs84", dst="gcj02"
    )
    np.testing.assert_allclose(np.array(amap["lon"]) / 1e5, lon, atol=2e-5)
    np.testing.assert_allclose(np.array(amap["lat"]) / 1e5, lat, atol=2e-5)


def test_layer_control_lists_points_and_precision_and_legend_is_kept():
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_enterprises(fmap, tiny_firms(), chain=CHAIN, lang="en", points=True)
    maps.finish(fmap, lang="en")
    html = render(fmap)
    overlays = html[html.index("overlays :") : html.index("base_layers", html.index("overlays :"))]
    listed = dict(re.findall(r'"([^"]+)" : (points_layer_\w+)', html))
    assert set(listed) == {t("layer.enterprises", "en"), t("layer.precision", "en")}
    assert all(name in overlays for name in listed)
    # Each listed variable is the layer object the script defines.
    for var in listed.values():
        assert f"var {var} = new L.Nc" in html
    assert maps.external_links(fmap) == []  # offline: nothing new from a CDN
    assert "nc-legend" in html
    without = _points_map(tiny_firms(), precision_circles=False)
    assert "new L.NcPrecision(" not in without
    assert "new L.NcPoints(" in without


def test_same_data_gives_the_same_page_text():
    # The drawn map is cached and shared across sessions: its text must not vary by run.
    a, b = _columns(_points_map(tiny_firms())), _columns(_points_map(tiny_firms()))
    assert a == b
    assert _points.pack_columns({"x": [1]}) == _points.pack_columns({"x": [1]})
