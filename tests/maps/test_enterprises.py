"""maps.enterprises: rows as JSON text, family colours, precision circles."""

from __future__ import annotations

import numpy as np

import maps
from geo.crs import convert
from layers.i18n import t
from tests.maps._data import CHAIN, enterprises, render, script_json
from tests.maps.conftest import HOSTILE_NAMES


def test_amap_enterprises_are_drawn_shifted():
    firms = enterprises()
    osm, amap = maps.new_map(basemap="osm", lang="en"), maps.new_map(basemap="amap", lang="en")
    maps.add_enterprises(osm, firms, chain=CHAIN, lang="en")
    maps.add_enterprises(amap, firms, chain=CHAIN, lang="en", basemap="amap")
    a = np.array([r[:2] for r in script_json(render(osm), "firms")])
    b = np.array([r[:2] for r in script_json(render(amap), "firms")])
    lon, lat = convert(a[:, 1], a[:, 0], src="wgs84", dst="gcj02")
    np.testing.assert_allclose(b[:, 1], lon, atol=2e-6)
    np.testing.assert_allclose(b[:, 0], lat, atol=2e-6)


def test_enterprises_rows_carry_text_verbatim_and_skip_unlocated():
    fmap = maps.new_map(basemap="none", lang="en")
    drawn = maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    html = render(fmap)
    rows = script_json(html, "firms")
    assert drawn == len(rows) == len(HOSTILE_NAMES)
    names = [r[3] for r in rows]
    # English name, falling back to Chinese where it is empty; exactly the data's text.
    assert names == [HOSTILE_NAMES[0], *HOSTILE_NAMES[1:]]
    for name in HOSTILE_NAMES:
        assert name not in html  # only ever present in escaped form
    assert "<img src=x" not in html
    assert "<svg onload" not in html
    assert "${alert" not in html
    assert "</script><script>alert" not in html


def test_popups_are_built_with_text_content_only():
    fmap = maps.new_map(basemap="none", lang="zh")
    maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="zh")
    html = render(fmap)
    cluster = html[html.index("var firms") :]
    assert ".textContent" in cluster
    assert "innerHTML" not in cluster
    assert "bindTooltip" not in cluster


def test_family_colours_labels_and_legend_follow_the_chain():
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    html = render(fmap)
    rows = script_json(html, "firms")
    colours = script_json(html, "colours")
    families = list(maps.STAGE_COLOURS)
    assert colours[rows[0][2]] == maps.STAGE_COLOURS["materials"]
    assert colours[rows[1][2]] == maps.STAGE_COLOURS["cells"]
    assert colours[rows[3][2]] == maps.UNKNOWN_COLOUR  # segment key not in the chain
    assert rows[2][2] == families.index("integration")
    lookup = script_json(html, "lookup")
    segments = [lookup["segment"][r[4]] for r in rows]
    assert segments[:3] == ["Cathode materials", "Li-ion cells", "Storage integration"]
    assert segments[3] == "nonsense"  # an unknown key is shown as given
    assert lookup["status"][rows[0][5]] == "operating"
    assert lookup["status"][rows[2][5]] == HOSTILE_NAMES[2]  # shown as given, as text
    parks = [lookup["park"][r[6]] if r[6] >= 0 else None for r in rows]
    assert parks == [HOSTILE_NAMES[3], None, None, "p", "p"]
    assert [r[7] for r in rows] == [4000, 50, None, 1000, 999]
    assert rows[3][10] == 1
    assert rows[0][10] == 0
    spec = script_json(html, "spec")
    assert spec["title"] == t("legend.enterprises", "en")
    assert [r[1] for r in spec["rows"]] == [
        t("stage.materials", "en"),
        t("stage.cells", "en"),
        t("stage.integration", "en"),
    ]
    assert spec["rows"][0][2] == "Cathode materials"


def test_legend_speaks_the_chosen_language():
    rows_zh = maps.enterprise_legend(CHAIN, "zh")
    rows_en = maps.enterprise_legend(CHAIN, "en")
    assert [r[0] for r in rows_zh] == [r[0] for r in rows_en]
    assert rows_zh[0][1:] == (t("stage.materials", "zh"), "正极材料")
    assert rows_en[0][1:] == (t("stage.materials", "en"), "Cathode materials")


def test_precision_circles_only_for_park_level_locations():
    fmap = maps.new_map(basemap="none", lang="en")
    firms = enterprises()
    maps.add_enterprises(fmap, firms, chain=CHAIN, lang="en")
    html = render(fmap)
    circles = script_json(html, "circles")
    radii = sorted(r[2] for r in circles)
    located = firms.geometry.notna()
    expected = sorted(firms.loc[located & (firms.precision_m >= 1000), "precision_m"].tolist())
    assert radii == expected == [1000.0, 4000.0]


def test_enterprises_without_precision_circles():
    fmap = maps.new_map(basemap="none", lang="en")
    maps.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en", precision_circles=False)
    assert "L.circle(" not in render(fmap)
