"""End to end: the map page with 100,000 synthetic firms in headless Chromium, offline.

Above ``maps.enterprises.CLUSTER_MAX_FIRMS`` the firms are points of one canvas layer
(``L.NcPoints``): the test counts them through that layer's object inside the component's
iframe, then clicks one point with the mouse and reads the enterprise's name in the popup.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

import layers
from tests._app_server import AppStartError, run_app

SYNTHETIC = 100_000

pytestmark = pytest.mark.slow

STATE = """() => {
    const map = window.map;
    if (!map || !window.L || !L.NcPoints) return null;
    let size = 0, drawn = 0, layers = 0, clusters = 0;
    map.eachLayer(l => {
        if (l instanceof L.NcPoints) { layers += 1; size += l.data.size; drawn += l.drawn; }
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) clusters += 1;
    });
    return {size, drawn, layers, clusters};
}"""

# Zoom onto firm ``i`` (no animation) and say where it is on the map, and who it is.
AIM = """(i) => {
    let layer = null;
    window.map.eachLayer(l => { if (l instanceof L.NcPoints) layer = l; });
    const at = layer.data.latLng(i);
    window.map.setView(at, 16, {animate: false});
    const p = window.map.latLngToContainerPoint(at);
    return {x: p.x, y: p.y, id: layer.data.cols.id[i],
            drawn: layer.drawn};
}"""


@pytest.fixture(scope="module")
def big_app_url(tmp_path_factory, vendor_built) -> Iterator[str]:
    """The app with the shipped firms plus 100,000 synthetic ones, its own empty store."""
    work = tmp_path_factory.mktemp("big-map")
    env = {"NANCHANG_SYNTHETIC": str(SYNTHETIC), "NANCHANG_STORE": str(work / "project.gpkg")}
    try:
        with run_app(work, env=env, unset=("TIANDITU_KEY", "NANCHANG_ENTERPRISES")) as url:
            yield url
    except AppStartError as exc:
        pytest.fail(str(exc))


def _located() -> int:
    shipped = layers.read_enterprises().data
    synthetic = layers.synthetic_enterprises(SYNTHETIC, seed=0)
    return int(shipped.geometry.notna().sum()) + int(synthetic.geometry.notna().sum())


def _frame_state(page: Any, wanted: int, timeout_s: float) -> tuple[Any, dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" not in frame.url and "streamlit_folium" not in frame.url:
                continue
            with contextlib.suppress(Exception):  # the frame navigates while it loads
                state = frame.evaluate(STATE)
                last = state
                if state and state["size"] >= wanted and state["drawn"] > 0:
                    return frame, state
        # Not time.sleep: Playwright's sync API only serves route handlers while it runs.
        page.wait_for_timeout(100)
    pytest.fail(f"the points layer did not draw {wanted} firms in {timeout_s:.0f} s: {last}")
    raise AssertionError  # unreachable: pytest.fail raises


def test_100000_firms_are_drawn_as_points_and_a_click_names_the_firm(big_app_url, browser):
    page = browser.new_page()
    # Tall enough that the whole map is in view: a click Playwright has to scroll the page
    # for lands off target inside the component's iframe.
    page.set_viewport_size({"width": 1400, "height": 1400})
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort("internetdisconnected")

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    try:
        wanted = _located()
        page.goto(f"{big_app_url}/?lang=en&page=map&basemap=none", wait_until="commit")
        frame, state = _frame_state(page, wanted, timeout_s=45)
        assert state["layers"] == 1
        assert state["clusters"] == 0  # no marker cluster tree at this size
        assert state["size"] == wanted
        assert 0 < state["drawn"] <= wanted

        # A synthetic firm: zoom onto it, click its point with the mouse. Playwright finds
        # the map's box at the moment of the click (the page may still shift as it settles).
        target = frame.evaluate(AIM, wanted - 1)
        assert target["drawn"] > 0
        frame.locator(".leaflet-container").first.click(
            position={"x": target["x"], "y": target["y"]}
        )
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        text = popup.inner_text()
        synthetic = layers.synthetic_enterprises(SYNTHETIC, seed=0).set_index("id")
        assert target["id"] in synthetic.index
        assert str(synthetic.loc[target["id"], "name_en"]) in text
        assert target["id"] in text
        assert blocked == []
        assert errors == []
    finally:
        page.close()
