"""Every page of app.py runs on the shipped data, on a rejected-rows upload, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import layers
from layers.i18n import LANGS, t
from tests.app.conftest import HOSTILE_NAMES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ("map", "check", "gaps", "site", "zones", "upload")

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
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["page"] = page
    at.run()
    return at


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
    assert at.title[0].value == t("app.title", lang)
    assert at.sidebar.radio(key="page").options == [t(f"page.{p}", lang) for p in PAGES]
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
        assert t("zones.no_history", lang) in texts(at)
    elif page == "site":
        assert at.metric[0].label == t("site.score", lang)
        assert 0 <= float(at.metric[0].value) <= 100
    else:
        assert at.file_uploader[0].label == t("upload.file", lang)


def test_language_switch_is_kept_in_the_url():
    at = run("zh", "map")
    assert at.query_params["lang"] == "zh"
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == t("app.title", "en")
    at.sidebar.radio(key="page").set_value("check").run()
    assert at.query_params["page"] == "check"


def test_bad_url_values_fall_back_to_defaults():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "<script>"
    at.query_params["page"] = "../../etc/passwd"
    at.query_params["basemap"] = "evil"
    at.run()
    assert not at.exception
    assert at.title[0].value == t("app.title", "zh")
    assert at.query_params["page"] == "map"
    assert at.query_params["basemap"] == "osm"


@pytest.mark.parametrize("lang", LANGS)
def test_upload_with_rejected_rows_reports_and_feeds_every_page(lang):
    at = run(lang, "upload")
    at.file_uploader[0].set_value(("firms.csv", UPLOAD, "text/csv")).run()
    assert not at.exception, at.exception
    report = at.dataframe[0].value
    actions = set(report[t("problem.action", lang)])
    assert t("action.rejected", lang) in actions  # the repeated id
    assert t("action.kept unlocated", lang) in actions  # the bad coordinate
    rows = set(report[t("problem.row", lang)])
    assert {3, 4, 5} <= rows
    assert 2 not in rows
    assert len(at.get("download_button")) == 3
    # The upload now drives the map and the check, hostile name and all.
    at.sidebar.radio(key="page").set_value("check").run()
    assert not at.exception, at.exception
    table = at.dataframe[1].value
    assert len(table) == 4  # five rows, the repeated id rejected
    names = set(table[t("field.name", lang)])
    assert (HOSTILE_NAMES[1] if lang == "zh" else HOSTILE_NAMES[0]) in names
    at.sidebar.radio(key="page").set_value("map").run()
    assert not at.exception, at.exception
    assert "firms.csv" in texts(at).replace("\\", "")
    for page in PAGES:
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception, (page, at.exception)


def test_unreadable_upload_is_refused_with_a_message():
    at = run("en", "upload")
    at.file_uploader[0].set_value(("firms.csv", b"\x00\x01 not a table", "text/csv")).run()
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


def test_site_in_gcj02_scores_like_the_same_place_in_wgs84():
    from geo.crs import convert

    at = run("en", "site")
    wgs = float(at.metric[0].value)
    lon, lat = convert(115.85, 28.75, src="wgs84", dst="gcj02")
    at.selectbox(key="site_coord").set_value("gcj02")
    at.number_input(key="site_lon").set_value(round(float(lon), 6))
    at.number_input(key="site_lat").set_value(round(float(lat), 6))
    at.run()
    assert not at.exception, at.exception
    assert float(at.metric[0].value) == wgs
    at.number_input(key="site_lon").set_value(80.0).run()  # far outside Nanchang
    assert not at.exception, at.exception
    assert at.error
    assert t("site.invalid", "en", error="").split(":")[0] in at.error[0].value


def test_zone_editor_reads_restores_and_refuses_incomplete_saves(private_store):
    import geo.store

    zones = layers.zones()
    with geo.store.open(private_store) as project:
        project.write("zones", zones, author="test", note="first")
        project.write("zones", zones.iloc[:2], author="test", note="drop one")
    at = run("en", "zones")
    assert not at.exception, at.exception
    assert t("zones.source_store", "en", version=2) in texts(at)
    # The stored layer lacks a zone the rules need: said on the page, areas fall back.
    assert "xiaolan_etdz" in at.error[0].value.replace("\\", "")
    history = at.dataframe[0].value
    assert list(history[t("history.version", "en")]) == [1, 2]
    # Every page now uses the stored zones (two of them).
    assert len(at.selectbox(key="zone_target").options) == 1 + 2
    # Saving with nothing drawn is refused with a message, nothing written.
    at.text_input(key="zone_author").input("planner")
    at.text_area(key="zone_note").input("new boundary")
    at.button[0].click().run()
    assert at.error[-1].value == t("zones.need_shape", "en")
    with geo.store.open(private_store) as project:
        assert project.current_version("zones") == 2
    # Restore version 1: a new version 3 with all three zones.
    at.selectbox[-1].set_value(1)
    at.text_input(key="restore_author").input("planner")
    at.text_input(key="restore_note").input("undo")
    at.button[1].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == t("zones.restored", "en", old=1, version=3)
    with geo.store.open(private_store) as project:
        assert len(project.read("zones")) == len(zones)
    at.run()
    assert t("zones.source_store", "en", version=3) in texts(at)


def test_map_says_when_its_scripts_come_from_cdns(tmp_path, monkeypatch):
    from layers import assets

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
