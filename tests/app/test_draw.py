"""layers.draw on tiny hand-made layers: escaping, local assets, GCJ-02 display, legends."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from geo.crs import convert
from layers import draw
from layers.i18n import LANGS, STRINGS, t
from tests.app.conftest import HOSTILE_NAMES

CHAIN = pd.DataFrame(
    {
        "name_zh": ["正极材料", "锂离子电芯", "储能系统集成"],
        "name_en": ["Cathode materials", "Li-ion cells", "Storage integration"],
        "stage": ["materials", "cells", "integration"],
    },
    index=pd.Index(["cathode", "li_ion_cell", "storage_integration"], name="segment"),
)


def districts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "adcode": ["360102", "360111"],
            "name_zh": ["东湖区", HOSTILE_NAMES[0]],
            "name_en": ["Donghu", HOSTILE_NAMES[1]],
            "area_km2": [1.5, 2.25],
        },
        geometry=[box(115.85, 28.65, 115.9, 28.7), box(115.9, 28.65, 115.95, 28.7)],
        crs="EPSG:4326",
    )


def enterprises() -> gpd.GeoDataFrame:
    n = len(HOSTILE_NAMES)
    lon = 115.80 + 0.01 * np.arange(n + 1)
    return gpd.GeoDataFrame(
        {
            "id": [f"T-{i}" for i in range(n + 1)],
            "name_zh": [*HOSTILE_NAMES, "无坐标企业"],
            "name_en": ["", *HOSTILE_NAMES[1:], "unlocated"],
            "segment": [
                "cathode",
                "li_ion_cell",
                "storage_integration",
                "nonsense",
                "cathode",
                "x",
            ],
            "status": ["operating", "planned", HOSTILE_NAMES[2], "unknown", "construction", "x"],
            "precision_m": [4000.0, 50.0, np.nan, 1000.0, 999.0, 3000.0],
            "park": [HOSTILE_NAMES[3], "", None, "p", "p", "p"],
            "capacity": [50.0, np.nan, 1.0, np.nan, 2.0, np.nan],
            "capacity_unit": ["GWh", None, "GWh", None, "<i>t</i>", None],
            "synthetic": [False, False, False, True, False, False],
        },
        geometry=[*(Point(x, 28.7) for x in lon[:n]), None],
        crs="EPSG:4326",
    )


def render(fmap) -> str:
    return fmap.get_root().render()


def script_json(html: str, var: str) -> list:
    """The JSON literal assigned to ``var rows = ...;`` etc. in the rendered map."""
    match = re.search(rf"var {var} = (.*?);\n", html)
    assert match, var
    return json.loads(match.group(1))


# --- js_json -------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_js_json_round_trips_and_hides_every_dangerous_character(text):
    out = draw.js_json({"name": text, "rows": [[1, text, None]]})
    assert json.loads(out) == {"name": text, "rows": [[1, text, None]]}
    string_part = out.replace('{"name":', "").replace(',"rows":[[1,', "").replace(",null]]}", "")
    for ch in "<>&'`$\u2028\u2029{}":
        assert ch not in string_part


def test_js_json_refuses_nan():
    with pytest.raises(ValueError, match="JSON"):
        draw.js_json([float("nan")])


# --- map, assets, basemaps -----------------------------------------------------------


def test_local_assets_replace_every_cdn_link(vendor_built):
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_districts(fmap, districts(), lang="en")
    draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    draw.add_draw(fmap)
    draw.finish(fmap, lang="en")
    assert draw.external_links(fmap) == []
    html = render(fmap)
    assert "cdn.jsdelivr" not in html
    assert "cdnjs" not in html
    assert "L.Icon.Default.imagePath" in html


def test_without_local_assets_the_map_keeps_the_cdn_links(tmp_path, monkeypatch):
    from layers import assets

    monkeypatch.setattr(assets, "VENDOR", tmp_path)  # an empty folder: nothing installed
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    links = draw.external_links(fmap)
    assert any("leaflet" in u and "://" in u for u in links)
    assert any("markercluster" in u for u in links)
    assert "L.Icon.Default.imagePath" not in render(fmap)


def test_class_defaults_are_left_alone(vendor_built):
    import folium

    before = list(folium.Map.default_js)
    draw.new_map(basemap="none", lang="zh")
    assert folium.Map.default_js == before


@pytest.mark.parametrize(
    ("basemap", "needle"),
    [("osm", "tile.openstreetmap.org"), ("amap", "webrd0{s}.is.autonavi.com"), ("none", None)],
)
def test_basemaps(basemap, needle):
    html = render(draw.new_map(basemap=basemap, lang="en"))
    if needle is None:
        assert "L.tileLayer(" not in html
    else:
        assert needle in html


def test_tianditu_needs_a_plausible_key():
    with pytest.raises(ValueError, match="Tianditu"):
        draw.new_map(basemap="tianditu", lang="en")
    with pytest.raises(ValueError, match="Tianditu"):
        draw.new_map(basemap="tianditu", lang="en", tianditu_key="abc&callback=x" * 2)
    html = render(draw.new_map(basemap="tianditu", lang="en", tianditu_key="0123456789abcdef"))
    assert html.count("tk=0123456789abcdef") == 2  # streets and labels
    assert "LAYER=cva" in html


def test_unknown_basemap_is_refused():
    with pytest.raises(ValueError, match="basemap"):
        draw.new_map(basemap="google", lang="en")


# --- GCJ-02 display shift ------------------------------------------------------------


def test_amap_display_shifts_every_vertex_and_leaves_the_input_alone():
    gdf = districts()
    before = gdf.copy()
    shown = draw.to_display(gdf, "amap")
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
    assert draw.to_display(gdf, basemap).geometry.equals(gdf.geometry)


def test_amap_enterprises_are_drawn_shifted():
    firms = enterprises()
    osm, amap = draw.new_map(basemap="osm", lang="en"), draw.new_map(basemap="amap", lang="en")
    draw.add_enterprises(osm, firms, chain=CHAIN, lang="en")
    draw.add_enterprises(amap, firms, chain=CHAIN, lang="en", basemap="amap")
    a = np.array([r[:2] for r in script_json(render(osm), "firms")])
    b = np.array([r[:2] for r in script_json(render(amap), "firms")])
    lon, lat = convert(a[:, 1], a[:, 0], src="wgs84", dst="gcj02")
    np.testing.assert_allclose(b[:, 1], lon, atol=2e-6)
    np.testing.assert_allclose(b[:, 0], lat, atol=2e-6)


# --- enterprises ---------------------------------------------------------------------


def test_enterprises_rows_carry_text_verbatim_and_skip_unlocated():
    fmap = draw.new_map(basemap="none", lang="en")
    drawn = draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
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
    fmap = draw.new_map(basemap="none", lang="zh")
    draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="zh")
    html = render(fmap)
    cluster = html[html.index("var firms") :]
    assert ".textContent" in cluster
    assert "innerHTML" not in cluster
    assert "bindTooltip" not in cluster


def test_family_colours_labels_and_legend_follow_the_chain():
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    html = render(fmap)
    rows = script_json(html, "firms")
    colours = script_json(html, "colours")
    families = list(draw.STAGE_COLOURS)
    assert colours[rows[0][2]] == draw.STAGE_COLOURS["materials"]
    assert colours[rows[1][2]] == draw.STAGE_COLOURS["cells"]
    assert colours[rows[3][2]] == draw.UNKNOWN_COLOUR  # segment key not in the chain
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
    rows_zh = draw.enterprise_legend(CHAIN, "zh")
    rows_en = draw.enterprise_legend(CHAIN, "en")
    assert [r[0] for r in rows_zh] == [r[0] for r in rows_en]
    assert rows_zh[0][1:] == (t("stage.materials", "zh"), "正极材料")
    assert rows_en[0][1:] == (t("stage.materials", "en"), "Cathode materials")


def test_precision_circles_only_for_park_level_locations():
    fmap = draw.new_map(basemap="none", lang="en")
    firms = enterprises()
    draw.add_enterprises(fmap, firms, chain=CHAIN, lang="en")
    html = render(fmap)
    circles = script_json(html, "circles")
    radii = sorted(r[2] for r in circles)
    located = firms.geometry.notna()
    expected = sorted(firms.loc[located & (firms.precision_m >= 1000), "precision_m"].tolist())
    assert radii == expected == [1000.0, 4000.0]


def test_enterprises_without_precision_circles():
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en", precision_circles=False)
    assert "L.circle(" not in render(fmap)


# --- polygons ------------------------------------------------------------------------


def test_polygon_tooltips_are_escaped_html():
    fmap = draw.new_map(basemap="none", lang="zh")
    draw.add_districts(fmap, districts(), lang="zh")
    html = render(fmap)
    assert "<img src=x" not in html
    assert "</script><script>" not in html
    # folium puts tooltip values into innerHTML: they must arrive as entities.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_polygons_skip_missing_geometry_and_check_lengths():
    gdf = districts()
    gdf.loc[1, "geometry"] = None
    fmap = draw.new_map(basemap="none", lang="en")
    layer = draw.add_polygons(fmap, gdf, name="x", fields={"Name": gdf["name_en"]})
    assert len(layer.data["features"]) == 1
    with pytest.raises(ValueError, match="one value per row"):
        draw.add_polygons(fmap, gdf, name="x", fields={}, colour=["#000000"])
    with pytest.raises(ValueError, match="2 rows"):
        draw.add_polygons(fmap, gdf, name="x", fields={"Name": ["only one"]})


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
    fmap = draw.new_map(basemap="none", lang="en")
    layer = draw.add_zones(fmap, zones, lang="en")
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
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_areas(fmap, areas, lang="en", chain=CHAIN)
    grid = gpd.GeoDataFrame(
        {"score": [0.0, 0.5, 1.0, np.nan]},
        geometry=[box(i, 0, i + 1, 1) for i in range(4)],
        crs="EPSG:4326",
    )
    layer = draw.add_surface(fmap, grid, name="Suitability", lang="en")
    colours = [f["properties"]["_colour"] for f in layer.data["features"]]
    assert colours[0] != colours[2]
    assert colours[3] == draw.UNKNOWN_COLOUR
    html = render(fmap)
    assert "Li-ion cells" in html
    assert html.count('"nc-legend"') == 2


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
    fmap = draw.new_map(basemap="none", lang="en")
    layer = draw.add_clusters(fmap, clusters, lang="en", chain=CHAIN)
    props = [f["properties"] for f in layer.data["features"]]
    assert [p["_colour"] for p in props] == [draw.STAGE_COLOURS["materials"], draw.UNKNOWN_COLOUR]
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
    layer = draw.add_gaps(fmap, gaps, lang="en", areas=areas)
    feats = layer.data["features"]
    assert len(feats) == 1  # the empty gap is not drawn
    assert feats[0]["properties"]["_colour"] == draw.AREA_COLOURS["battery"]
    assert feats[0]["properties"]["f2"] == "50%"


def test_surface_scale_follows_vmax():
    grid = gpd.GeoDataFrame(
        {"score": [0.0, 50.0, 100.0]},
        geometry=[box(i, 0, i + 1, 1) for i in range(3)],
        crs="EPSG:4326",
    )
    fmap = draw.new_map(basemap="none", lang="en")
    layer = draw.add_surface(fmap, grid, name="s", lang="en", vmax=100.0)
    colours = [f["properties"]["_colour"] for f in layer.data["features"]]
    assert colours == draw.ramp_colour([0.0, 0.5, 1.0])
    assert [f["properties"]["f0"] for f in layer.data["features"]] == ["0", "50", "100"]
    with pytest.raises(ValueError, match="vmax"):
        draw.add_surface(fmap, grid, name="s", lang="en", vmax=0)


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
    fmap = draw.new_map(basemap="none", lang="zh")
    draw.add_site(fmap, 115.85, 28.65, lang="zh", links=links, chain=CHAIN)
    html = render(fmap)
    assert "<img src=x" not in html
    layers_ = [c for c in fmap._children.values() if hasattr(c, "data")]
    lines, site = layers_[-2].data["features"], layers_[-1].data["features"]
    assert len(lines) == 2  # the supplier with no firm in the data has no line
    assert lines[0]["geometry"]["coordinates"] == [[115.85, 28.65], [115.9, 28.7]]
    assert lines[0]["properties"]["f0"] == "正极材料"
    assert lines[1]["properties"]["f3"] == t("site.customer", "zh")
    assert site[0]["geometry"]["coordinates"] == [115.85, 28.65]


def test_drawn_shapes_keep_polygons_and_undo_the_amap_shift():
    ring = [[115.80, 28.60], [115.90, 28.60], [115.90, 28.70], [115.80, 28.60]]
    features = [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [115.8, 28.6]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "junk"}},
        "not a feature",
    ]
    wgs = draw.drawn_shapes(features, "osm")
    assert len(wgs) == 1
    assert wgs.crs == "EPSG:4326"
    assert list(wgs.iloc[0].exterior.coords) == [tuple(p) for p in ring]
    # Drawn over Amap = GCJ-02: shifting back and forth returns the drawn vertices.
    back = draw.drawn_shapes(features, "amap")
    x, y = np.asarray(back.iloc[0].exterior.coords).T
    gx, gy = convert(x, y, src="wgs84", dst="gcj02")
    np.testing.assert_allclose(np.column_stack([gx, gy]), np.asarray(ring), atol=1e-8)
    assert draw.drawn_shapes(None, "osm").empty


def test_ramp_is_monotone_in_the_value():
    ramp = draw.ramp_colour(np.linspace(0, 1, 50))
    firsts = list(dict.fromkeys(ramp))
    assert firsts == list(draw._RAMP)


def test_legend_refuses_non_colours():
    fmap = draw.new_map(basemap="none", lang="en")
    with pytest.raises(ValueError, match="hex colours"):
        draw.add_legend(fmap, "x", [("red;background:url(x)", "a", "")])


# --- strings and import boundary -----------------------------------------------------


def test_every_string_has_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        names = [{f for _, f, _, _ in fields.parse(texts[lang]) if f} for lang in LANGS]
        assert names[0] == names[1], key
        assert all(texts[lang].strip() for lang in LANGS), key


def test_import_layers_does_not_load_folium_or_streamlit():
    code = (
        "import sys, layers, layers.assets, layers.i18n\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'folium', 'branca', 'streamlit', 'streamlit_folium'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- selection, candidates, standalone export ----------------------------------------


def test_a_click_picks_the_nearest_located_row_within_reach():
    firms = enterprises()  # points every 0.01 degrees (~1 km) along 28.7 N; the last unlocated
    on_third = {"lat": 28.7, "lng": 115.82}
    assert draw.clicked_row(firms, on_third, "osm") == 2
    beside = {"lat": 28.7005, "lng": 115.8301}  # ~100 m from the fourth point
    assert draw.clicked_row(firms, beside, "osm") == 3
    assert draw.clicked_row(firms, {"lat": 28.75, "lng": 115.82}, "osm") is None  # 5.5 km off
    for nothing in (None, {}, {"lat": "x", "lng": 1}, {"lat": float("nan"), "lng": 1.0}):
        assert draw.clicked_row(firms, nothing, "osm") is None
    assert draw.clicked_row(firms.iloc[[-1]], on_third, "osm") is None  # only unlocated rows


def test_a_click_on_amap_is_read_in_gcj02():
    firms = enterprises()
    lon, lat = convert(115.82, 28.7, src="wgs84", dst="gcj02")
    click = {"lat": float(lat), "lng": float(lon)}
    assert draw.clicked_row(firms, click, "amap") == 2
    # The same numbers read as WGS 84 are ~500 m away: too far on a tight reach.
    assert draw.clicked_row(firms, click, "osm", max_m=100) is None


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_highlight_label_is_text_content_only(name):
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_highlight(fmap, 115.82, 28.7, label=name)
    html = render(fmap)
    match = re.search(r"text\.textContent = (.*?);", html)
    assert match
    assert json.loads(match.group(1)) == name  # the browser gets the name verbatim, as text
    for ch in "<>`$":
        assert ch not in match.group(1)
    assert "innerHTML" not in html.split("var ring")[1][:400]


def test_highlight_is_shifted_on_amap():
    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_highlight(fmap, 115.82, 28.7, label="x", basemap="amap")
    lon, lat = convert(115.82, 28.7, src="wgs84", dst="gcj02")
    assert f"L.circleMarker([{round(float(lat), 6)},{round(float(lon), 6)}]" in render(fmap)


def test_candidates_are_markers_with_escaped_labels_and_scores():
    sites = pd.DataFrame(
        {"label": ["S1", HOSTILE_NAMES[1]], "lon": [115.8, 115.9], "lat": [28.6, 28.7]}
    ).assign(score=[61.4, 12.0])
    fmap = draw.new_map(basemap="none", lang="en")
    layer = draw.add_candidates(fmap, sites, lang="en")
    features = layer.data["features"]
    assert [f["geometry"]["coordinates"] for f in features] == [[115.8, 28.6], [115.9, 28.7]]
    assert [f["properties"]["f1"] for f in features] == ["61", "12"]
    assert "</script><script>" not in render(fmap)


def test_standalone_html_uses_cdn_links_and_leaves_the_map_alone(vendor_built):
    from layers import assets

    fmap = draw.new_map(basemap="none", lang="en")
    draw.add_districts(fmap, districts(), lang="en")
    draw.add_enterprises(fmap, enterprises(), chain=CHAIN, lang="en")
    draw.finish(fmap, lang="en")
    # What st_folium does to the map before anyone can click the download button.
    from streamlit_folium import _get_map_string

    render(fmap)
    fmap.render()
    _get_map_string(fmap)
    page = draw.standalone_html(fmap)
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
    assert draw.external_links(fmap) == []
    assert assets.URL_PREFIX in render(fmap)
