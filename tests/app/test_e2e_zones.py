"""The zone editor as a planner uses it, in headless Chromium with no internet.

A GeoJSON with three zones (generated here) is imported: the page asks which feature is
which zone, draws them on the map before saving, saves, shows the new version at once,
and restores version 1 (the shipped boundaries) after showing its before/after. A vertex
of the current zone is dragged with the mouse and saved as a new version. Both languages;
screenshots go to /work/notes/shots/zones_*.png.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

import layers
from layers.i18n import t
from tests._app_server import AppStartError, run_app
from tests.app.test_e2e import COMPONENT, Recorder, _component

pytestmark = pytest.mark.slow

SHOTS = Path("/work/notes/shots")
# Counts what the zone editor drew: preview outlines (orange, grey) and editable polygons.
EDITOR_STATE = """() => {
    let preview = 0, unused = 0, editable = 0;
    window.map.eachLayer(l => {
        if (!(l instanceof L.Polygon)) return;
        if (l.options.color === '#e6550d') preview += 1;
        if (l.options.color === '#7f7f7f') unused += 1;
        if (l.feature && l.feature.properties && l.feature.properties.nc_edit_zone) editable += 1;
    });
    return {preview, unused, editable};
}"""


@pytest.fixture
def store(tmp_path) -> Path:
    return tmp_path / "project.gpkg"


@pytest.fixture
def app_url(store, vendor_built) -> Iterator[str]:
    try:
        with run_app(store.parent, env={"NANCHANG_STORE": str(store)}) as url:
            yield url
    except AppStartError as exc:
        pytest.fail(str(exc))


def three_zones(path: Path) -> Path:
    """A file with three squares named as planners write them, each of its zone's area."""
    features = []
    names = {"nc_etdz": "南昌经开区", "nc_hitech": "南昌高新区", "xiaolan_etdz": "小蓝经开区"}
    for row in layers.zones().itertuples():
        half = math.sqrt(row.official_area_km2) / 2
        dlat = half / 111.0
        dlon = half / (111.0 * math.cos(math.radians(row.centre_lat)))
        x, y = row.centre_lon, row.centre_lat
        ring = [[x - dlon, y - dlat], [x + dlon, y - dlat], [x + dlon, y + dlat],
                [x - dlon, y + dlat], [x - dlon, y - dlat]]  # fmt: skip
        features.append(
            {
                "type": "Feature",
                "properties": {"园区名称": names[row.zone_id], "code": len(features) + 1},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    # Written in the file in another order than the zones layer: matching is by name.
    features = features[::-1]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _text(page, text: str, timeout: int = 30_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def _fill(page, key: str, value: str) -> None:
    page.locator(f".st-key-{key} input, .st-key-{key} textarea").first.fill(value)


def _watch(page) -> list[str]:
    """Record every response the app answered with an error (named in a failure)."""
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    return failed


def _editor_state(page, done, timeout_ms: int = 30_000) -> dict:
    """Poll the map (it is rebuilt after each rerun) until ``done(state)`` or the timeout."""
    state: dict = {}
    for _ in range(timeout_ms // 250):
        frame, _ = _component(page, markers=False)
        with contextlib.suppress(Exception):
            state = frame.evaluate(EDITOR_STATE)
            if done(state):
                return state
        page.wait_for_timeout(250)
    return state


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / f"zones_{name}.png"), full_page=True)


# Vertex handles that the mouse can reach: fully opaque (not the semi-transparent "add a
# vertex" handles), inside the map, and the topmost element at their centre (a dense ring's
# handles overlap, and the first in the DOM may lie under another).
REACHABLE_HANDLES = """() => {
    const box = document.getElementById(window.map.getContainer().id).getBoundingClientRect();
    const out = [];
    document.querySelectorAll('.leaflet-editing-icon').forEach((el, i) => {
        if (el.style.opacity && Number(el.style.opacity) < 1) return;
        const r = el.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const m = 60;  // clear of the controls and the edge
        if (x < box.left + m || x > box.right - m || y < box.top + m || y > box.bottom - m) return;
        if (document.elementFromPoint(x, y) === el) out.push(i);
    });
    return out;
}"""
# The edited zone's outline, to tell whether a drag moved a vertex.
EDITED_RING = """() => {
    let ring = null;
    window.map.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.nc_edit_zone)
            ring = JSON.stringify(l.getLatLngs());
    });
    return ring;
}"""


def _drag_a_vertex(page, frame, tries: int = 4) -> None:
    """Drag one reachable vertex handle by (40, 25) px, checking that the outline changed.

    A drag that starts on a handle hidden under another one, or while the page reruns,
    moves nothing; the next reachable handle is tried then.
    """
    handles = frame.locator(".leaflet-editing-icon")
    handles.first.wait_for(timeout=10_000)
    for attempt in range(tries):
        candidates = frame.evaluate(REACHABLE_HANDLES)
        assert candidates, "no vertex handle of the edited zone is reachable with the mouse"
        box = handles.nth(candidates[attempt % len(candidates)]).bounding_box()
        assert box is not None
        before = frame.evaluate(EDITED_RING)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 20, y + 10, steps=5)
        page.mouse.move(x + 40, y + 25, steps=5)
        page.mouse.up()
        if frame.evaluate(EDITED_RING) != before:
            return
        page.wait_for_timeout(500)
    pytest.fail(f"no drag of a vertex handle moved the outline in {tries} tries")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_import_three_zones_pick_preview_save_and_restore(app_url, browser, store, lang):
    import geo.store

    upload = three_zones(store.parent / "three_zones.geojson")
    page = browser.new_page()
    rec = Recorder(browser, page)
    failed = _watch(page)
    page.set_viewport_size({"width": 1400, "height": 2600})  # whole page in the screenshots
    page.goto(f"{app_url}/?lang={lang}&page=zones&basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    _text(page, t("zones.edit.shipped_now", lang))
    page.locator('input[type="file"]').first.set_input_files(str(upload))

    # The picker: one choice per polygon, guessed from the name column, in the file's order.
    _text(page, t("zones.edit.pick_title", lang, n=3).strip("*"))
    zones = layers.zones().set_index("zone_id")
    name = "name_zh" if lang == "zh" else "name_en"
    for i, zone_id in enumerate(["xiaolan_etdz", "nc_hitech", "nc_etdz"]):
        prefix = t("zones.edit.pick", lang, n=i + 1, label="", km2=0).split("(")[0].split("（")[0]
        picked = page.locator('[data-testid="stSelectbox"]').filter(has_text=prefix.strip()).first
        assert picked.locator("input").input_value() == zones.loc[zone_id, name]
    # Previewed on the map before anything is saved: three orange outlines.
    state = _editor_state(page, lambda s: s["preview"] == 3)
    assert state["preview"] == 3, state
    _text(page, t("zones.edit.preview", lang))
    _text(page, t("zones.edit.check_if_saved", lang))
    _shot(page, f"import_picker_{lang}")
    with geo.store.open(store) as project:
        assert project.current_version("zones") is None  # nothing written by the preview

    _fill(page, "zone_note", "three official outlines")
    page.get_by_role("button", name=t("zones.save", lang)).click()
    # At once: the new version, the check just done, the history with both rows.
    _text(page, t("zones.saved", lang, version=2))
    _text(page, t("zones.edit.version_now", lang, version=2).replace("**", ""))
    _text(page, t("zones.edit.check_done", lang))
    _text(page, t("zones.edit.seeded", lang))
    _shot(page, f"saved_{lang}")
    with geo.store.open(store) as project:
        history = project.history("zones")
        saved = project.read("zones").set_index("zone_id")
    assert history["version"].tolist() == [1, 2]
    assert set(saved["boundary_source"]) == {"drawn"}
    # Each zone got its own square (no merging): areas close to the official ones.
    for zone_id, row in saved.iterrows():
        assert row["area_km2"] == pytest.approx(zones.loc[zone_id, "official_area_km2"], rel=0.02)

    # Restore version 1 (the shipped boundaries): its before/after first, then at once.
    _text(page, t("zones.edit.check_if_restored", lang, old=1))
    _fill(page, "restore_note", "back to the shipped outlines")
    page.get_by_role("button", name=t("zones.restore", lang)).click()
    _text(page, t("zones.restored", lang, old=1, version=3))
    _text(page, t("zones.edit.version_now", lang, version=3).replace("**", ""))
    _text(page, t("zones.edit.check_done", lang))
    _shot(page, f"restored_{lang}")
    with geo.store.open(store) as project:
        history = project.history("zones")
        restored = project.read("zones")
    assert history["restored_from"].tolist()[-1] == 1
    assert restored["boundary_source"].tolist() == layers.zones()["boundary_source"].tolist()

    assert rec.dialogs == [], rec.dialogs
    assert rec.blocked == [], rec.blocked
    assert failed == [], failed
    assert rec.errors == [], rec.errors


def test_a_dragged_vertex_is_saved_as_a_new_version(app_url, browser, store):
    import geo.store

    lang = "zh"
    page = browser.new_page()
    rec = Recorder(browser, page)
    failed = _watch(page)
    page.set_viewport_size({"width": 1400, "height": 2600})  # whole page in the screenshots
    page.goto(f"{app_url}/?lang={lang}&page=zones&basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    frame, _ = _component(page, markers=False)
    assert frame.evaluate(EDITOR_STATE)["editable"] >= 1
    # The toolbar speaks the page's language.
    edit = frame.locator(".leaflet-draw-edit-edit")
    assert edit.get_attribute("title") == t("zones.edit.tool.edit", lang)
    edit.click()
    _drag_a_vertex(page, frame)
    _shot(page, f"vertex_drag_{lang}")
    frame.get_by_text(t("zones.edit.tool.save", lang), exact=True).click()
    _text(page, t("zones.edit.preview", lang))
    _shot(page, f"vertex_preview_{lang}")
    _fill(page, "zone_note", "corner moved")
    page.get_by_role("button", name=t("zones.save", lang)).click()
    _text(page, t("zones.saved", lang, version=2))
    _text(page, t("zones.edit.version_now", lang, version=2).replace("**", ""))
    _shot(page, f"vertex_saved_{lang}")
    with geo.store.open(store) as project:
        shipped = project.read("zones", version=1).set_index("zone_id")
        saved = project.read("zones").set_index("zone_id")
    first = shipped.index[0]
    assert saved.loc[first, "boundary_source"] == "drawn"
    assert not saved.geometry[first].equals_exact(shipped.geometry[first], 1e-6)
    # One corner moved by a few hundred metres: the zone's area changes only a little.
    assert saved.loc[first, "area_km2"] == pytest.approx(shipped.loc[first, "area_km2"], rel=0.05)
    others = [z for z in shipped.index if z != first]
    for zone_id in others:
        assert saved.geometry[zone_id].equals(shipped.geometry[zone_id])
    assert rec.dialogs == [], rec.dialogs
    assert rec.blocked == [], rec.blocked
    assert failed == [], failed
    assert rec.errors == [], rec.errors
