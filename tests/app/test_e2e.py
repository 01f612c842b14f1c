"""End to end: the real app in headless Chromium with no internet.

The app runs as ``streamlit run app.py`` on a free local port; every request the browser
makes to anything but 127.0.0.1 is blocked and recorded (no internet). The map must load
its scripts from the app itself, draw the districts and the enterprises, log no
JavaScript error, and run no script for enterprises with hostile names, which reach the
app through an enterprises file (``NANCHANG_ENTERPRISES``). A screenshot goes to
docs/screenshot.png for the README.
"""

from __future__ import annotations

import contextlib
import csv
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

import layers
from tests._app_server import ROOT, AppStartError, run_app
from tests.app.conftest import HOSTILE_NAMES

SCREENSHOT = ROOT / "docs" / "screenshot.png"
COMPONENT = 'iframe[title="streamlit_folium.st_folium"]'

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def firms_csv(tmp_path_factory) -> Path:
    """The shipped enterprises plus located ones named to break out of HTML or JS."""
    shipped = layers.read_enterprises().data
    path = tmp_path_factory.mktemp("firms") / "firms.csv"
    columns = ["id", "name_zh", "name_en", "segment", "status", "lon", "lat", "precision_m"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for row in shipped[columns].itertuples(index=False):
            out.writerow(["" if v != v else v for v in row])  # NaN -> empty
        for i, name in enumerate(HOSTILE_NAMES):
            # Spread over the battery area so they sit among the real firms.
            lon, lat = 115.78 + 0.02 * i, 28.72 + 0.01 * i
            out.writerow([f"XSS-{i}", name, name, "pcs", "planned", lon, lat, 2000])
    return path


@pytest.fixture(scope="module")
def app_url(firms_csv, vendor_built) -> Iterator[str]:
    store = firms_csv.parent / "project.gpkg"
    env = {"NANCHANG_ENTERPRISES": str(firms_csv), "NANCHANG_STORE": str(store)}
    try:
        with run_app(firms_csv.parent, env=env) as url:
            yield url
    except AppStartError as exc:
        pytest.fail(str(exc))


class Recorder:
    """Everything the page did: requests (local and blocked), console errors, dialogs."""

    def __init__(self, context, page) -> None:
        self.local: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        context.route("**/*", self._route)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        if urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            self.local.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


# Counts drawn layers through Leaflet's own registry: with canvas rendering (preferCanvas)
# polygons and circle markers are pixels on one <canvas>, not SVG paths.
MAP_STATE = """() => {
    const map = window.map;
    if (!map || !window.L) return null;
    let polygons = 0, clustered = 0;
    map.eachLayer(l => {
        if (l instanceof L.Polygon) polygons += 1;
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup)
            clustered += l.getLayers().length;
    });
    const canvas = document.querySelector('.leaflet-overlay-pane canvas');
    let inked = 0;
    if (canvas) {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked += 1;
    }
    return {polygons, clustered, inked,
            clusters: document.querySelectorAll('.marker-cluster').length,
            legends: document.querySelectorAll('.nc-legend').length};
}"""

# Opens every enterprise's popup (each builds its content from the data when opened).
OPEN_POPUPS = """() => {
    const names = [];
    window.map.eachLayer(l => {
        if (!(L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup)) return;
        l.getLayers().forEach(m => {
            const content = m.getPopup().getContent();
            const node = typeof content === 'function' ? content(m) : content;
            L.popup().setLatLng(m.getLatLng()).setContent(node).openOn(window.map);
            names.push(node.firstChild.textContent);
        });
    });
    return names;
}"""


def _component(page, timeout_s: float = 30, *, markers: bool = True):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" in frame.url or "streamlit_folium" in frame.url:
                with contextlib.suppress(Exception):
                    state = frame.evaluate(MAP_STATE)
                    if state and state["polygons"] > 0 and (state["clustered"] or not markers):
                        return frame, state
        # Not time.sleep: Playwright's sync API only serves route handlers while it runs.
        page.wait_for_timeout(100)
    pytest.fail("the map component did not draw within 30 s")
    return None


def test_offline_map_loads_from_the_app_and_stays_safe(app_url, browser):
    page = browser.new_page()
    rec = Recorder(browser, page)
    start = time.monotonic()
    page.goto(f"{app_url}/?lang=en&page=map&basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    try:
        frame, state = _component(page)
    except BaseException:
        sys.stdout.write(f"\nlocal {rec.local}\nblocked {rec.blocked}\nerrors {rec.errors}\n")
        raise
    drawn_after = time.monotonic() - start

    # Scripts came from the app itself, and nothing tried to leave the machine.
    leaflet = [u for u in rec.local if u.endswith("/app/static/vendor/leaflet/dist/leaflet.js")]
    assert leaflet, "leaflet.js was not loaded from the app's /app/static/vendor/"
    assert rec.blocked == [], rec.blocked

    # Districts (9) + zones (3) + areas (3) are polygons; every located firm is a marker.
    shipped = layers.enterprises()
    located = int(shipped.geometry.notna().sum()) + len(HOSTILE_NAMES)
    assert state["polygons"] >= len(layers.districts())
    assert state["clustered"] == located
    assert state["inked"] > 1000, "nothing drawn on the map canvas"
    assert state["clusters"] > 0
    assert state["legends"] >= 2

    names = frame.evaluate(OPEN_POPUPS)
    for name in HOSTILE_NAMES:
        assert name in names  # shown as the text it is
    page.wait_for_timeout(500)

    # Zoom in so individual markers and their popups render for real as well.
    frame.evaluate("() => window.map.setView([28.74, 115.82], 14)")
    page.wait_for_timeout(800)

    frame.evaluate("() => { window.map.closePopup(); window.map.setView([28.62, 115.95], 9); }")
    page.wait_for_timeout(800)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)

    assert rec.dialogs == [], rec.dialogs
    assert rec.errors == [], rec.errors
    sys.stdout.write(
        f"\nmap drawn {drawn_after:.2f} s after navigation; {len(rec.local)} local requests, "
        f"{len(rec.blocked)} blocked; state {state}\n"
    )


def test_check_page_shows_hostile_names_as_text(app_url, browser):
    page = browser.new_page()
    rec = Recorder(browser, page)
    page.goto(f"{app_url}/?lang=zh&page=check&basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    page.wait_for_timeout(1500)
    assert rec.dialogs == [], rec.dialogs
    assert rec.errors == [], rec.errors
    assert rec.blocked == [], rec.blocked


def test_navigation_keeps_the_language_in_the_url_and_old_links_work(app_url, browser):
    from layers.i18n import t

    page = browser.new_page()
    rec = Recorder(browser, page)
    title = page.locator("h1").first
    page.goto(f"{app_url}/check?lang=zh&basemap=none", wait_until="domcontentloaded")
    page.get_by_text(t("check.summary", "zh"), exact=True).wait_for(timeout=30_000)
    assert title.inner_text() == t("app.title", "zh")
    page.get_by_text("English", exact=True).click()
    page.get_by_text(t("check.summary", "en"), exact=True).wait_for(timeout=30_000)
    assert title.inner_text() == t("app.title", "en")
    assert urlparse(page.url).path == "/check"
    assert "lang=en" in page.url
    # Another page from the navigation: still English, in the URL too.
    page.get_by_role("link", name=t("page.gaps", "en")).click()
    page.get_by_text(t("gaps.matrix", "en")).wait_for(timeout=30_000)
    assert title.inner_text() == t("app.title", "en")
    assert urlparse(page.url).path == "/gaps"
    assert "lang=en" in page.url
    # A link of the earlier form (?page=...) opens its page, other parameters kept.
    page.goto(f"{app_url}/?lang=en&page=site&basemap=none", wait_until="domcontentloaded")
    page.get_by_text(t("site.criteria", "en")).wait_for(timeout=30_000)
    assert urlparse(page.url).path == "/site"
    assert "basemap=none" in page.url
    assert "page=" not in page.url
    assert rec.dialogs == [], rec.dialogs
    assert rec.blocked == [], rec.blocked


# The Draw plugin's own event, as a finished polygon fires it (display coordinates).
DRAW_POLYGON = """(ring) => {
    const layer = L.polygon(ring.map(p => [p[1], p[0]]));
    window.map.fire('draw:created', {layer: layer, layerType: 'polygon'});
}"""


def _draw_until_previewed(page, ring, tries: int = 3) -> None:
    """Draw ``ring`` on the zone editor's map until the page previews it.

    The map is rebuilt by the rerun that picking a zone starts; a polygon drawn on the
    map that rerun then replaces is lost with it (seen under load), so it is drawn again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # checked by `browser`

    for attempt in range(tries):
        page.wait_for_timeout(1500)
        frame, _ = _component(page, markers=False)
        frame.evaluate(DRAW_POLYGON, ring)
        try:
            page.get_by_text("Preview before saving").wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def test_zone_drawn_on_amap_is_stored_in_wgs84(app_url, browser, firms_csv):
    import geo.store
    from geo.crs import convert

    page = browser.new_page()
    rec = Recorder(browser, page)
    page.goto(f"{app_url}/?lang=en&page=zones&basemap=amap", wait_until="domcontentloaded")
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    frame, _ = _component(page, markers=False)
    # Offline, Amap's tiles fail: the map says so itself.
    frame.wait_for_selector(".nc-tiles-failed", timeout=10_000)

    # A new zone: picked first (the map is rebuilt for it), then drawn.
    page.locator(".st-key-zone_target").click()
    page.get_by_role("option", name="(new zone)").click()
    ring = [[116.00, 28.50], [116.05, 28.50], [116.05, 28.54], [116.00, 28.54], [116.00, 28.50]]
    _draw_until_previewed(page, ring)
    page.get_by_label("New zone id").fill("test_zone")
    page.get_by_label("English name").fill("Drawn test zone")
    page.get_by_label("Why (note)").fill("boundary drawn in the browser")
    page.get_by_role("button", name="Save as a new version").click()
    # Version 1 is the shipped boundaries, kept at the first save.
    page.get_by_text("Saved version 2 of the zones layer.").wait_for(timeout=20_000)

    with geo.store.open(firms_csv.parent / "project.gpkg") as project:
        zones = project.read("zones")
        history = project.history("zones")
    assert history["note"].tolist()[1:] == ["boundary drawn in the browser"]
    drawn = zones[zones["zone_id"] == "test_zone"]
    assert drawn["boundary_source"].tolist() == ["drawn"]
    # Drawn over GCJ-02 tiles, stored in WGS 84: shifting the stored ring forward gives
    # back the drawn one.
    x, y = np.asarray(drawn.geometry.iloc[0].exterior.coords).T
    gx, gy = convert(x, y, src="wgs84", dst="gcj02")
    got = {(round(float(a), 6), round(float(b), 6)) for a, b in zip(gx, gy, strict=True)}
    assert got == {(a, b) for a, b in ring}

    assert rec.dialogs == [], rec.dialogs
    offline = [u for u in rec.blocked if "autonavi.com" not in u]
    assert offline == [], offline
    real_errors = [e for e in rec.errors if not e.startswith("Failed to load resource")]
    assert real_errors == [], real_errors


# Where the city, the controls' column and the name labels are, in the map's own pixels.
LAYOUT = """() => {
    const map = window.map;
    let bounds = null;
    map.eachLayer(l => {
        if (l instanceof L.Polygon) bounds = bounds ? bounds.extend(l.getBounds())
                                                    : L.latLngBounds(l.getBounds());
    });
    const box = map.getContainer().getBoundingClientRect();
    const nw = map.latLngToContainerPoint(bounds.getNorthWest());
    const se = map.latLngToContainerPoint(bounds.getSouthEast());
    const column = map.getContainer().querySelector('.leaflet-top.leaflet-right')
                      .getBoundingClientRect();
    const labels = Array.from(document.querySelectorAll('.nc-label span')).map(s => {
        const r = s.getBoundingClientRect();
        return {text: s.textContent, shown: s.style.visibility !== 'hidden',
                left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
    return {city: {left: nw.x, top: nw.y, right: se.x, bottom: se.y},
            column: {left: column.left - box.left, right: column.right - box.left,
                     top: column.top - box.top, bottom: column.bottom - box.top},
            labels: labels};
}"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", ["南昌经开区", "小蓝经开区", "进贤县"]), ("en", ["Xiaolan ETDZ", "Jinxian County"])],
)
def test_the_map_reads_like_a_plan(app_url, browser, lang, expected):
    page = browser.new_page()
    Recorder(browser, page)
    page.goto(f"{app_url}/?lang={lang}&basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    frame, _ = _component(page)
    # The fit beside the controls runs once they are placed and the frame has its size.
    for _ in range(50):
        layout = frame.evaluate(LAYOUT)
        city, column = layout["city"], layout["column"]
        if city["right"] <= column["left"]:
            break
        page.wait_for_timeout(100)
    # The legends and the layer control never cover the city when the map opens.
    assert city["right"] <= column["left"], (city, column)
    shown = [label for label in layout["labels"] if label["shown"]]
    assert {label["text"] for label in shown} >= set(expected)
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, (a["text"], b["text"])
    # Zoomed in, the labels that waited (the small central districts) appear.
    frame.evaluate("() => window.map.setView([28.68, 115.90], 12)")
    page.wait_for_timeout(800)
    closer = {label["text"] for label in frame.evaluate(LAYOUT)["labels"] if label["shown"]}
    assert len(closer) > 0
    # A legend folds to its title on a click, and opens again.
    title = frame.locator(".nc-legend-title").first
    title.click()
    assert title.get_attribute("aria-expanded") == "false"
    assert not frame.locator(".nc-legend-body").first.is_visible()
    title.click()
    assert title.get_attribute("aria-expanded") == "true"
    page.close()
