"""Every page of app.py runs on the shipped data, on a rejected-rows upload, in both languages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import layers
from layers.i18n import LANGS, local_names, t
from tests.app.conftest import HOSTILE_NAMES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ("map", "check", "gaps", "site", "zones", "upload")
PAGE_FILES = {"upload": "data"}

# Row 2 is good; row 3 has an unknown segment; row 4 unusable coordinates; row 5 repeats
# row 2's id; row 6 carries a hostile name (kept: names are data, escaped on display).
UPLOAD = (
    "id,name_zh,name_en,segment,status,lon,lat,precision_m\n"
    "U-1,测试正极厂,Test cathode,cathode,operating,115.60,28.30,100\n"
    "U-2,未知环节厂,Unknown,cathodes,operating,115.80,28.70,100\n"
    "U-3,坏坐标厂,Bad coordinates,anode,planned,abc,28.70,100\n"
    "U-1,重复编号,Duplicate,anode,planned,115.70,28.60,100\n"
    f'U-4,"{HOSTILE_NAMES[1]}","{HOSTILE_NAMES[0]}",pcs,planned,115.95,28.70,4000\n'
).encode()


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    """Every test gets its own (not yet existing) project store."""
    path = tmp_path / "project.gpkg"
    monkeypatch.setenv("NANCHANG_STORE", str(path))
    return path


def run(lang: str, page: str) -> AppTest:
    """Open the app in ``lang`` and go to ``page`` as the navigation does."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    if page != "map":
        at.switch_page(f"app_pages/{PAGE_FILES.get(page, page)}.py").run()
    return at


def go(at: AppTest, page: str) -> AppTest:
    """Go to another page of the running app, as a click in the navigation does."""
    return at.switch_page(f"app_pages/{PAGE_FILES.get(page, page)}.py").run()


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "markdown", "caption", "subheader") for e in at.get(kind)
    ]
    parts += [
        str(e.value) for kind in ("info", "warning", "error", "success") for e in at.get(kind)
    ]
    parts += [w.label for w in at.sidebar.get("radio")]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_shipped_data(lang, page):
    at = run(lang, page)
    assert not at.exception, at.exception
    # AppTest keeps only the page's own elements after a page switch; the frame's title
    # on every page is checked in Chromium (test_e2e).
    assert page != "map" or at.title[0].value == t("app.title", lang)
    assert at.query_params["lang"] == lang
    if page == "map":
        n = len(layers.enterprises())
        assert t("app.data_source_shipped", lang, n=n) in texts(at)
    elif page == "check":
        table = at.dataframe[1].value
        assert len(table) == len(layers.enterprises())
        verdicts = set(table[t("field.verdict", lang)])
        assert verdicts <= {
            t(f"verdict.{v}", lang)
            for v in ("conforming", "misplaced", "outside", "unassigned", "uncertain", "unlocated")
        }
        assert t("verdict.unlocated", lang) in verdicts  # two shipped firms have no site
    elif page == "gaps":
        matrix, targets = at.dataframe[0].value, at.dataframe[1].value
        designated = sum(len(s) for s in layers.areas()["segments"])
        assert matrix.size >= designated
        assert list(targets[t("field.rank", lang)]) == list(range(1, len(targets) + 1))
    elif page == "zones":
        assert t("zones.edit.shipped_now", lang) in texts(at)
    elif page == "site":
        assert at.metric[0].label == t("site.score", lang)
        assert 0 <= float(at.metric[0].value) <= 100
    else:
        assert at.file_uploader(key="upload_file").label == t("upload.file", lang)


def test_language_switch_changes_the_page_and_is_kept_on_other_pages():
    at = run("zh", "map")
    assert at.query_params["lang"] == "zh"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="basemap").label == t("map.basemap", "en")
    # That the language is kept when going to another page is checked in Chromium
    # (test_e2e): AppTest drops the frame's widgets from its state after a rerun.


def test_links_of_the_earlier_form_open_their_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["page"] = "check"
    at.run()
    assert not at.exception
    assert "page" not in at.query_params
    assert at.subheader[0].value == t("check.summary", "en")


def test_bad_url_values_fall_back_to_defaults():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "<script>"
    at.query_params["page"] = "../../etc/passwd"
    at.query_params["basemap"] = "evil"
    at.run()
    assert not at.exception
    assert at.title[0].value == t("app.title", "zh")
    assert "page" not in at.query_params  # an unknown page: the map, the default
    assert at.query_params["basemap"] == "osm"


@pytest.mark.parametrize("lang", LANGS)
def test_upload_with_rejected_rows_reports_and_feeds_every_page(lang):
    at = run(lang, "upload")
    at.file_uploader(key="upload_file").set_value(("firms.csv", UPLOAD, "text/csv")).run()
    assert not at.exception, at.exception
    report = next(f.value for f in at.dataframe if t("problem.action", lang) in f.value.columns)
    actions = set(report[t("problem.action", lang)])
    assert t("action.rejected", lang) in actions  # the repeated id
    assert t("action.kept unlocated", lang) in actions  # the bad coordinate
    rows = set(report[t("problem.row", lang)])
    assert {3, 4, 5} <= rows
    assert 2 not in rows
    buttons = {b.key for b in at.get("download_button")}
    assert {"download_geojson", "download_gpkg", "download_csv"} <= buttons
    # and the template, the column mapping and the validation report
    assert {"download_template", "download_mapping"} <= buttons
    # and the layer's QGIS style and the all-layers GeoPackage
    assert {"download_qml", "download_everything"} <= buttons
    assert len(buttons) == 8
    # The upload now drives the map and the check, hostile name and all.
    go(at, "check")
    assert not at.exception, at.exception
    table = at.dataframe[1].value
    assert len(table) == 4  # five rows, the repeated id rejected
    names = set(table[t("field.name", lang)])
    assert (HOSTILE_NAMES[1] if lang == "zh" else HOSTILE_NAMES[0]) in names
    go(at, "map")
    assert not at.exception, at.exception
    assert "firms.csv" in texts(at).replace("\\", "")
    for page in PAGES:
        go(at, page)
        assert not at.exception, (page, at.exception)


def test_unreadable_upload_is_refused_with_a_message():
    at = run("en", "upload")
    at.file_uploader(key="upload_file").set_value(
        ("firms.csv", b"\x00\x01 not a table", "text/csv")
    ).run()
    assert not at.exception, at.exception
    assert at.error
    assert t("upload.rejected", "en", error="").split(":")[0] in at.error[0].value


@pytest.mark.parametrize("basemap", ["osm", "amap", "tianditu", "none"])
def test_every_basemap_choice_renders(basemap, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lang": "en", "page": "map", "basemap": basemap})
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    if basemap == "tianditu":
        assert t("map.tianditu_no_key", "en") in shown
    if basemap == "amap":
        assert t("map.amap_shift", "en") in shown


@pytest.mark.parametrize("lang", LANGS)
def test_map_overlays_run_with_many_synthetic_firms(lang, monkeypatch):
    monkeypatch.setenv("NANCHANG_SYNTHETIC", "300")
    at = run(lang, "map")
    at.sidebar.checkbox(key="show_clusters").check()
    at.sidebar.checkbox(key="show_gaps").check()
    at.sidebar.selectbox(key="surface").set_value("li_ion_cell")
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert t("map.synthetic_note", lang, n=300) in shown
    assert t("map.no_clusters", lang) not in shown  # 300 firms do cluster


# The site checker's tests (typed coordinates, comparison) are in test_site_page.py.


def test_zone_editor_reads_restores_and_refuses_incomplete_saves(private_store):
    import geo.store

    zones = layers.zones()
    with geo.store.open(private_store) as project:
        project.write("zones", zones, author="test", note="first")
        project.write("zones", zones.iloc[:2], author="test", note="drop one")
    at = run("en", "map")
    assert not at.exception, at.exception
    # The stored layer lacks a zone the rules need: said above every page (the frame, seen
    # by AppTest on the first run only), and the areas fall back to the shipped zones.
    assert "xiaolan_etdz" in at.error[0].value.replace("\\", "")
    go(at, "zones")
    assert not at.exception, at.exception
    assert t("zones.edit.version_now", "en", version=2) in texts(at)
    history = next(f.value for f in at.dataframe if t("history.version", "en") in f.value)
    assert list(history[t("history.version", "en")]) == [1, 2]
    # Every page now uses the stored zones (two of them), plus "new zone".
    assert len(at.selectbox(key="zone_target").options) == 2 + 1
    # Nothing drawn, edited or imported: no save form, only the hint (nothing written).
    assert t("zones.edit.nothing_yet", "en") in texts(at)
    assert t("zones.save", "en") not in [b.label for b in at.button]
    # Restore version 1: its before/after is shown first, then a new version 3.
    at.selectbox(key="restore_version_2").set_value(1).run()
    assert t("zones.edit.check_if_restored", "en", old=1) in texts(at)
    at.text_input(key="restore_note").input("undo")
    next(b for b in at.button if b.label == t("zones.restore", "en")).click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == t("zones.restored", "en", old=1, version=3)
    with geo.store.open(private_store) as project:
        assert len(project.read("zones")) == len(zones)
    # The page shows the new state at once: version, history row, the check just done.
    assert t("zones.edit.version_now", "en", version=3) in texts(at)
    assert t("zones.edit.check_done", "en") in texts(at)
    history = next(f.value for f in at.dataframe if t("history.version", "en") in f.value)
    assert list(history[t("history.version", "en")]) == [1, 2, 3]


def test_map_says_when_its_scripts_come_from_cdns(tmp_path, monkeypatch):
    from maps import assets

    monkeypatch.setattr(assets, "VENDOR", tmp_path)
    at = run("zh", "map")
    assert not at.exception, at.exception
    assert t("map.cdn_fallback", "zh") in texts(at)


def test_tianditu_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "0123456789abcdef0123456789abcdef")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lang": "zh", "page": "map", "basemap": "tianditu"})
    at.run()
    assert not at.exception, at.exception
    assert t("map.tianditu_no_key", "zh") not in texts(at)
    assert t("map.tiles_remote", "zh") in texts(at)
    monkeypatch.setenv("TIANDITU_KEY", "bad key&x=1")
    at.run()
    assert t("map.tianditu_bad_key", "zh") in texts(at)


FORMATS = ("geojson", "gpkg", "csv")


def download_buttons(at: AppTest) -> dict[str, object]:
    return {b.key: b for b in at.get("download_button") if b.key}


@pytest.mark.parametrize("lang", LANGS)
def test_every_layer_and_result_can_be_downloaded_in_every_format(lang):
    at = run(lang, "upload")
    assert not at.exception, at.exception
    assert t("download.title", lang) in texts(at)
    kinds = at.selectbox(key="download_kind")
    expected = (
        "districts", "zones", "areas", "enterprises", "check", "targets", "chain_gaps",
        "spatial_gaps", "clusters", "episodes",
    )  # fmt: skip
    assert kinds.options == [t(f"download.kind.{k}", lang, segment="") for k in expected]
    # The shipped firms' dated facts, as a table (CSV only: events have no place).
    events = download_buttons(at)["download_events"]
    n = len(layers.open_project(default_store=False).events)
    assert events.label == t("download.events", lang, n=n, source="data/events.csv")
    for kind in expected:
        at.selectbox(key="download_kind").set_value(kind).run()
        assert not at.exception, (kind, at.exception)
        buttons = download_buttons(at)
        for fmt in FORMATS:
            assert buttons[f"download_{fmt}"].label == t(f"download.format.{fmt}", lang)
            assert buttons[f"download_{fmt}"].proto.url, (kind, fmt)  # served by the app


def test_the_suitability_surface_is_offered_once_computed_and_the_map_as_html():
    at = run("en", "map")
    buttons = download_buttons(at)
    assert buttons["download_map"].label == t("download.map_html", "en")
    assert t("download.map_html_note", "en") in texts(at)
    at.sidebar.selectbox(key="surface").set_value("li_ion_cell").run()
    go(at, "upload")
    assert not at.exception, at.exception
    name = layers.chain().loc["li_ion_cell", "name_en"]
    option = t("download.kind.suitability", "en", segment=name)
    assert option in at.selectbox(key="download_kind").options
    at.selectbox(key="download_kind").set_value("suitability").run()
    assert not at.exception, at.exception
    assert {f"download_{f}" for f in FORMATS} <= set(download_buttons(at))


@pytest.mark.parametrize("lang", LANGS)
def test_check_page_shows_the_enterprise_picked_on_the_map(lang):
    import zoning

    firms = layers.enterprises()
    result = zoning.check(firms)
    row = result[result["located"]].iloc[0]
    at = run(lang, "check")
    assert not at.exception, at.exception
    assert t("check.select_hint", lang) in texts(at)
    assert not at.info  # nothing picked yet
    # A marker click, as streamlit-folium reports it (WGS 84 on the default basemap).
    at.session_state["check_map"] = {
        "last_object_clicked": {"lat": row.geometry.y, "lng": row.geometry.x}
    }
    at.run()
    assert not at.exception, at.exception
    shown = at.info[0].value.replace("\\", "")
    assert str(row["id"]) in shown
    assert t(f"verdict.{row['verdict']}", lang) in shown
    assert str(row[f"reason_{lang}"])[:10] in shown


@pytest.mark.parametrize("lang", LANGS)
def test_gap_matrix_counts_every_segment_in_every_area_and_marks_designated_cells(lang):
    import zoning

    at = run(lang, "gaps")
    assert not at.exception, at.exception
    matrix = at.dataframe[0].value
    chain, areas = layers.chain(), layers.areas()
    assert len(matrix) == len(chain)
    assert list(matrix.columns) == list(areas[f"name_{lang}"])
    designated = sum(len(s) for s in areas["segments"])
    marked = matrix.apply(lambda c: c.astype(str).str.startswith("★")).to_numpy().sum()
    assert marked == designated
    counts = matrix.apply(lambda c: c.astype(str).str.extract(r"(\d+)")[0].astype(int))
    inside, _ = zoning.membership(layers.enterprises(), areas)
    assert counts.to_numpy().sum() == int(
        inside[layers.enterprises()["segment"].isin(chain.index)].to_numpy().sum()
    )
    assert t("gaps.matrix_caption", lang) in texts(at)
    # Supplier-distance flags: one row per (firm, flagged supplier segment).
    distances = zoning.supplier_distances(layers.enterprises())
    n_pairs = int(distances["flags"].map(len).sum())
    if n_pairs:
        table = at.dataframe[2].value
        assert len(table) == n_pairs
        shown = table[t("field.distance_km", lang)]
        # Segments with no located firm at all are flagged as such, not as a distance.
        absent = int(distances.drop(columns="flags").isin([float("inf")]).to_numpy().sum())
        assert int((shown == t("gaps.no_supplier", lang)).sum()) == absent
        km = pd.to_numeric(shown.str.replace(",", ""), errors="coerce").dropna()
        from zoning import settings

        assert (km > settings.supplier_threshold_m / 1000).all()  # the rest: beyond the threshold
    else:
        assert t("gaps.no_flags", lang) in texts(at)


def test_check_page_shows_the_enterprise_selected_in_the_table():
    import zoning

    result = zoning.check(layers.enterprises())
    located = int(result["located"].to_numpy().argmax())
    unlocated = int((~result["located"]).to_numpy().argmax())
    at = run("en", "check")
    for position in (located, unlocated):
        selection = {"selection": {"rows": [position], "columns": [], "cells": []}}
        at.session_state["check_table"] = selection
        at.run()
        assert not at.exception, at.exception
        shown = at.info[0].value.replace("\\", "")
        assert f"({result['id'].iloc[position]})" in shown
        hint = t("check.selected_unlocated", "en") in texts(at)
        assert hint == (position == unlocated)


def test_zone_editor_imports_a_boundary_saves_it_and_shows_what_changed(private_store):
    import json

    import geo.store

    # Move 小蓝经开区 to a small square far from the shipped firms: the materials firms at
    # the old park centre lose their area, and the page says so before/after.
    square = [[115.60, 28.30], [115.62, 28.30], [115.62, 28.32], [115.60, 28.32], [115.60, 28.30]]
    boundary = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": "x"},
                 "geometry": {"type": "Polygon", "coordinates": [square]}},
                {"type": "Feature", "properties": {"name": "a point, ignored"},
                 "geometry": {"type": "Point", "coordinates": [115.61, 28.31]}},
            ],
        }
    ).encode()  # fmt: skip
    at = run("en", "zones")
    at.selectbox(key="zone_target").set_value("xiaolan_etdz").run()
    at.file_uploader(key="zone_file_0").set_value(
        ("new_xiaolan.geojson", boundary, "application/geo+json")
    ).run()
    assert not at.exception, at.exception
    shown = texts(at).replace("\\", "")
    assert t("zones.edit.imported", "en", n=1, name="new_xiaolan.geojson") in shown
    assert t("zones.edit.preview", "en") in shown  # previewed before anything is saved
    at.text_area(key="zone_note").input("official outline received")
    next(b for b in at.button if b.label == t("zones.save", "en")).click().run()
    assert not at.exception, at.exception
    # The shipped boundaries became version 1; the import is version 2.
    assert at.success[0].value == t("zones.saved", "en", version=2)
    with geo.store.open(private_store) as project:
        stored = project.read("zones")
        assert len(project.read("zones", version=1)) == len(layers.zones())
    moved = stored.loc[stored["zone_id"] == "xiaolan_etdz"].geometry.iloc[0]
    assert moved.bounds == pytest.approx((115.60, 28.30, 115.62, 28.32))
    frames = [f.value for f in at.dataframe]
    counts = next(f for f in frames if t("field.change", "en") in f.columns)
    # every enterprise is counted before and after (their ±4 km circles keep them uncertain)
    n = len(layers.enterprises())
    assert counts[t("field.before", "en")].sum() == counts[t("field.after", "en")].sum() == n
    changed = next(f for f in frames if t("field.area_after", "en") in f.columns)
    moved = changed.set_index(t("field.id", "en"))
    assert {"NC-005", "NC-010"} <= set(moved.index)
    assert moved.loc["NC-005", t("field.area_before", "en")] == "Materials agglomeration area"
    assert moved.loc["NC-005", t("field.area_after", "en")] == "-"


@pytest.mark.parametrize("lang", LANGS)
def test_check_counts_table_fits_and_names_each_area_in_full(lang):
    import json

    at = run(lang, "check")
    areas = layers.open_project(None, default_store=False).areas
    names = [str(n) for n in local_names(areas, lang)]
    table = next(d for d in at.dataframe if set(names) <= set(map(str, d.value.columns)))
    config = json.loads(table.proto.columns)
    # Every area column has a fixed width (the plan's long names no longer push the last
    # columns off the screen) and its full name in the header's tooltip.
    for name in names:
        assert config[name]["help"] == name
        assert config[name]["width"] <= 150
    widths = [config[str(c)]["width"] for c in table.value.columns] + [config["_index"]["width"]]
    assert sum(widths) <= 920, widths  # the page's content width on a 1400-px screen
