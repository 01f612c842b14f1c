"""The map in a real browser: first render time and page weight with N synthetic enterprises.

Starts ``streamlit run app.py`` on a free local port with ``NANCHANG_SYNTHETIC=N`` and
drives Debian's headless Chromium (``/usr/bin/chromium``) with Playwright, the way
tests/app/test_e2e.py does: every request to anything but 127.0.0.1 is blocked and
recorded (no internet). Standalone on purpose: importing the test module would pull in
pytest and its fixtures.

One page load happens right after the server starts and is excluded (it pays the app's
imports and the synthetic data's generation, which ``st.cache_data`` keeps afterwards);
then ``LOADS`` page loads, each in a fresh browser context (empty HTTP cache, new
Streamlit session), are measured. The render time is the best of them.

The same loads are then made through the team deployment's nginx (deploy/nginx.conf, run
as tests/app/test_nginx.py runs it: :func:`tests._nginx.run_nginx`) in front of the same
server: nginx serves Streamlit's front end and the app's static files from disk, gzipped,
which Streamlit itself does not do for its own front end (it leaves that to a proxy).
Without nginx (or openssl) the direct figures are still measured and the reason is
reported in place of the figures behind nginx.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests._app_server import CHROMIUM, CHROMIUM_ARGS, run_app
from tests._nginx import NginxError, run_nginx

LOADS = 3
LOAD_TIMEOUT_S = 180.0
POLL_MS = 50
SETTLE_S = 1.0  # no new bytes for this long after the map is drawn: the page is complete
LARGEST = 5  # the heaviest responses of the best load, kept to explain its page size

# Leaflet's own registry, as the e2e test reads it (canvas markers are not DOM nodes),
# without its pixel count (too slow to run every 50 ms). ``now`` is the frame's wall clock.
# Enterprises are clustered markers (``L.MarkerClusterGroup``) or, above
# ``maps.enterprises.CLUSTER_MAX_FIRMS``, points of one canvas layer (``L.NcPoints``):
# ``markers`` counts the firms either holds, ``drawn`` the cluster icons in the page plus
# the points the canvas layer drew in its last redraw.
MAP_STATE = """() => {
    const map = window.map;
    if (!map || !window.L) return null;
    let polygons = 0, markers = 0, points = 0;
    map.eachLayer(l => {
        if (l instanceof L.Polygon) polygons += 1;
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup)
            markers += l.getLayers().length;
        if (L.NcPoints && l instanceof L.NcPoints) {
            markers += l.data.size;
            points += l.drawn;
        }
    });
    return {polygons, markers, points, now: Date.now(),
            drawn: document.querySelectorAll('.marker-cluster').length + points};
}"""


def _expected_markers(n: int) -> int:
    """Enterprises the map must show: the shipped located ones plus the synthetic ones."""
    import shapely

    import layers

    counts = 0
    for gdf in (layers.read_enterprises().data, layers.synthetic_enterprises(n, seed=0)):
        geoms = gdf.geometry.to_numpy()
        counts += int((~(shapely.is_missing(geoms) | shapely.is_empty(geoms))).sum())
    return counts


@contextlib.contextmanager
def _server(n: int, workdir: Path) -> Iterator[str]:
    """Run the app with ``n`` synthetic enterprises; yield its URL once it is healthy."""
    # A throwaway store: the benchmark must never touch the operator's project.
    env = {"NANCHANG_SYNTHETIC": str(n), "NANCHANG_STORE": str(workdir / "project.gpkg")}
    with run_app(workdir, env=env, unset=("TIANDITU_KEY", "NANCHANG_ENTERPRISES")) as url:
        yield url


class _Traffic:
    """What one page load received and where its requests went."""

    def __init__(self, context: Any, page: Any) -> None:
        self.requests: list[Any] = []
        self.local: list[str] = []
        self.blocked: list[str] = []
        self.websockets: list[str] = []
        self.ws_frames = 0
        self.ws_bytes = 0
        self.ws_sent_bytes = 0
        self.errors: list[str] = []
        self.last_byte = time.monotonic()
        context.route("**/*", self._route)
        page.on("request", self._request)
        page.on("response", self._touch)
        page.on("websocket", self._websocket)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request: Any) -> None:
        self.requests.append(request)

    def _touch(self, _: Any = None) -> None:
        self.last_byte = time.monotonic()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            self.local.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def _websocket(self, ws: Any) -> None:
        self.websockets.append(ws.url)
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    @staticmethod
    def _size(payload: str | bytes) -> int:
        return len(payload.encode("utf-8") if isinstance(payload, str) else payload)

    def _received(self, payload: str | bytes) -> None:
        self.ws_frames += 1
        self.ws_bytes += self._size(payload)
        self._touch()

    def _sent(self, payload: str | bytes) -> None:
        self.ws_sent_bytes += self._size(payload)

    def http_bytes(self) -> tuple[int, int]:
        """Response header and body bytes of every HTTP response that arrived."""
        headers = body = 0
        for request in self.requests:
            if request.failure is not None:
                continue
            with contextlib.suppress(Exception):  # no response (aborted, still pending)
                sizes = request.sizes()
                headers += max(int(sizes["responseHeadersSize"]), 0)
                body += max(int(sizes["responseBodySize"]), 0)
        return headers, body

    def largest(self, k: int = LARGEST) -> list[tuple[str, int]]:
        """The ``k`` heaviest HTTP responses (path, header + body bytes as received)."""
        sizes: list[tuple[str, int]] = []
        for request in self.requests:
            if request.failure is not None:
                continue
            with contextlib.suppress(Exception):  # no response (aborted, still pending)
                got = request.sizes()
                size = max(int(got["responseHeadersSize"]), 0)
                size += max(int(got["responseBodySize"]), 0)
                sizes.append((urlparse(request.url).path, size))
        return sorted(sizes, key=lambda x: -x[1])[:k]


def _component_state(page: Any) -> dict[str, Any] | None:
    for frame in page.frames:
        if "st_folium" in frame.url or "streamlit_folium" in frame.url:
            with contextlib.suppress(Exception):  # the frame navigates while it loads
                state: dict[str, Any] | None = frame.evaluate(MAP_STATE)
                if state:
                    return state
    return None


def _one_load(browser: Any, url: str, expected: int) -> dict[str, Any]:
    """Load the map page in a fresh context; time it and count what it received."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        traffic = _Traffic(context, page)
        t0 = time.monotonic()
        page.goto(f"{url}/?lang=en&page=map&basemap=none", wait_until="commit")
        origin_ms = float(page.evaluate("() => performance.timeOrigin"))
        first_s = drawn_s = None
        state: dict[str, Any] | None = None
        deadline = t0 + LOAD_TIMEOUT_S
        while time.monotonic() < deadline:
            state = _component_state(page)
            if state and state["polygons"] > 0 and state["drawn"] > 0:
                since_nav = (float(state["now"]) - origin_ms) / 1000.0
                if first_s is None and state["markers"] > 0:
                    first_s = since_nav  # the e2e test's criterion: some markers in the layer
                if state["markers"] >= expected:
                    drawn_s = since_nav
                    break
            # Not time.sleep: Playwright's sync API only serves route handlers while it runs.
            page.wait_for_timeout(POLL_MS)
        wall_s = time.monotonic() - t0
        if drawn_s is None:
            msg = (
                f"map not drawn within {LOAD_TIMEOUT_S:.0f} s: state {state}, "
                f"expected {expected} markers, blocked {traffic.blocked[:3]}, "
                f"errors {traffic.errors[:3]}"
            )
            raise RuntimeError(msg)
        # Let the rest of the page arrive (later websocket frames, fonts, icons).
        settle_deadline = time.monotonic() + 15
        while time.monotonic() < settle_deadline:
            if time.monotonic() - traffic.last_byte >= SETTLE_S:
                break
            page.wait_for_timeout(100)
        headers, body = traffic.http_bytes()
        external = [
            u
            for u in [r.url for r in traffic.requests] + traffic.websockets
            if urlparse(u).hostname not in (None, "127.0.0.1") and not u.startswith("data:")
        ]
        return {
            "first_markers_s": first_s,
            "render_s": drawn_s,
            "wall_s": wall_s,
            "markers": state["markers"] if state else 0,
            "points_drawn": state["points"] if state else 0,
            "http_requests": len(traffic.requests),
            "http_header_bytes": headers,
            "http_body_bytes": body,
            "websockets": len(traffic.websockets),
            "ws_frames_received": traffic.ws_frames,
            "ws_bytes_received": traffic.ws_bytes,
            "ws_bytes_sent": traffic.ws_sent_bytes,
            "received_bytes": headers + body + traffic.ws_bytes,
            "external": sorted(set(external) | set(traffic.blocked)),
            "largest": traffic.largest(),
            "js_errors": traffic.errors,
        }
    finally:
        context.close()


def measure(n: int) -> dict[str, Any]:
    """Time the map's first render and weigh the page with ``n`` synthetic enterprises.

    Returns the best render time of ``LOADS`` warm-server page loads and, from that
    load, the bytes received, request counts and any request that tried to leave
    127.0.0.1. Raises ``RuntimeError`` when Chromium, Playwright or the map's local
    assets are missing, or when the map is not drawn in time.
    """
    if not CHROMIUM.exists():
        msg = f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
        raise RuntimeError(msg)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        msg = f"playwright not installed in this venv ({exc})"
        raise RuntimeError(msg) from exc
    from maps import assets

    if assets.missing():
        msg = "static/vendor/ incomplete: run `make assets` (the map would need CDNs)"
        raise RuntimeError(msg)

    expected = _expected_markers(n)
    with (
        tempfile.TemporaryDirectory(prefix="nc-bench-browser-") as tmp,
        _server(n, Path(tmp)) as url,
        sync_playwright() as pw,
    ):
        direct = _loads(pw, url, expected, CHROMIUM_ARGS)
        behind = _behind_nginx(pw, url, expected, Path(tmp) / "nginx")
    return {"n": n, "expected_markers": expected, **direct, "behind_nginx": behind}


def _loads(pw: Any, url: str, expected: int, args: list[str]) -> dict[str, Any]:
    """One excluded load, then ``LOADS`` measured ones; the best of them and all times."""
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
    try:
        warmup = _one_load(browser, url, expected)
        loads = [_one_load(browser, url, expected) for _ in range(LOADS)]
    finally:
        browser.close()
    best = min(loads, key=lambda r: r["render_s"])
    return {
        "warmup_render_s": warmup["render_s"],
        "renders_s": [r["render_s"] for r in loads],
        "received_mb_all": [r["received_bytes"] / 1e6 for r in loads],
        **best,
    }


def _behind_nginx(pw: Any, url: str, expected: int, workdir: Path) -> dict[str, Any]:
    """The same loads through the deployment's nginx sample; ``{"error": why}`` without it."""
    workdir.mkdir()
    try:
        with run_nginx(url, workdir, workers="auto") as proxy:
            # The throwaway certificate trusted by its key, as the server-cost benchmark
            # does; the blocking of every host but 127.0.0.1 is _one_load's, as direct.
            args = [*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={proxy.spki}"]
            return _loads(pw, proxy.https, expected, args)
    except NginxError as exc:  # nginx or openssl not installed, or the sample refused
        return {"error": str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)}


HEADING = "## The map in a browser (headless Chromium, no internet)"
SIZES = (0, 10_000, 100_000)
# Targets of issue 15 (first render s, page MB) and the figures before the points layer:
# 10,000 from this section at commit 7caebbb (marker clusters), 100,000 from the issue.
TARGETS = {10_000: (2.0, 3.0), 100_000: (3.0, 8.0)}
BEFORE = {10_000: (2.49, 4.76), 100_000: (11.6, 16.0)}


def _mb(r: dict[str, Any]) -> float:
    return float(r["received_bytes"]) / 1e6


def _nginx_cells(r: dict[str, Any]) -> str:
    """The table's cells for the loads behind nginx (a dash each when not measured)."""
    behind = r.get("behind_nginx") or {"error": "not measured"}
    if "error" in behind:
        return "– | – | –"
    return f"{behind['render_s']:.2f} | {_mb(behind):.2f} | {len(behind['external'])}"


def _verdicts(r: dict[str, Any], t_max: float, mb_max: float, base: dict[str, Any] | None) -> str:
    """One setup's figures against a size's targets, with its loads' times."""
    verdict_t = "within" if r["render_s"] < t_max else "over"
    verdict_mb = "within" if _mb(r) < mb_max else "over"
    note = ""
    if base is not None and verdict_mb == "over":
        note = (
            f"; the page with no synthetic firms already weighs {_mb(base):.2f} MB, "
            f"{base['http_body_bytes'] / 1e6:.2f} MB of it HTTP bodies, mostly Streamlit's own "
            "front end"
        )
    return (
        f"{r['render_s']:.2f} s ({verdict_t}; the {LOADS} loads took "
        f"{', '.join(f'{s:.2f}' for s in r['renders_s'])} s, the excluded first load "
        f"{r['warmup_render_s']:.2f} s) and {_mb(r):.2f} MB ({verdict_mb}{note})"
    )


def _targets(rows: dict[int, dict[str, Any]]) -> list[str]:
    """The target sentences, direct and behind nginx, and why the two differ."""
    lines: list[str] = []
    base = rows.get(0)
    base_nginx = base.get("behind_nginx") if base else None
    if base_nginx is not None and "error" in base_nginx:
        base_nginx = None
    for n, (t_max, mb_max) in TARGETS.items():
        if n not in rows:
            continue
        r = rows[n]
        behind = r.get("behind_nginx") or {"error": "not measured"}
        said = (
            f"Behind the deployment's nginx (`deploy/nginx.conf`): "
            f"{_verdicts(behind, t_max, mb_max, base_nginx)}."
            if "error" not in behind
            else f"Behind the deployment's nginx: not measured, {behind['error']}."
        )
        lines += [
            "",
            (
                f"Targets for {n:,} synthetic enterprises: first render under {t_max:g} s and "
                f"page under {mb_max:g} MB. Direct (`make run`, Streamlit serving everything): "
                f"{_verdicts(r, t_max, mb_max, base)}. {said}"
            ),
        ]
    why = (
        "The two setups differ in the HTTP bodies: Streamlit deliberately sends its own front "
        "end (`/static/`, its JavaScript bundles) and the page itself uncompressed (its gzip "
        "middleware leaves that to the reverse proxy or CDN it expects in front), while "
        "nginx serves those files from disk gzipped and compresses the page"
    )
    if base is not None and base_nginx is not None:
        why += (
            f"; with no synthetic firms the HTTP bodies weigh "
            f"{base['http_body_bytes'] / 1e6:.2f} MB direct and "
            f"{base_nginx['http_body_bytes'] / 1e6:.2f} MB behind nginx"
        )
    why += ". The websocket, which carries the map's data, is counted the same way in both."
    return [*lines, "", why] if lines else lines


def section(run: Callable[[str, float], dict[str, Any]]) -> list[str]:
    """Measure the map at :data:`SIZES` firms; return the results' markdown section.

    ``run("browser", n)`` measures one size in a fresh process (see ``benchmarks.__main__``),
    served directly and behind the deployment's nginx.
    """
    import os

    from maps.enterprises import CLUSTER_MAX_FIRMS

    load_start = os.getloadavg()
    rows: dict[int, dict[str, Any]] = {}
    skipped: set[str] = set()
    table = [
        (
            "| N | drawn as | first render (s) | page size (MB) | of it websocket (MB) | "
            "requests | external requests | behind nginx: first render (s) | "
            "behind nginx: page size (MB) | behind nginx: external requests | "
            "before: render (s) / size (MB) |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n in SIZES:
        r = run("browser", n)
        before = BEFORE.get(n)
        was = f"{before[0]:.2f} / {before[1]:.2f}" if before else "–"
        if "error" in r:
            table.append(f"| {n:,} | error: {r['error']} ||||||||||")
        else:
            rows[n] = r
            behind = r.get("behind_nginx") or {"error": "not measured"}
            if "error" in behind:
                skipped.add(behind["error"])
            kind = "points" if r["expected_markers"] > CLUSTER_MAX_FIRMS else "clusters"
            table.append(
                f"| {n:,} | {kind} | {r['render_s']:.2f} | {_mb(r):.2f} | "
                f"{r['ws_bytes_received'] / 1e6:.2f} | {r['http_requests']} HTTP + "
                f"{r['websockets']} ws | {len(r['external'])} | {_nginx_cells(r)} | {was} |"
            )
            # Not in the section: where the bytes of the best loads went, for whoever runs it.
            for name, load in (("direct", r), ("behind nginx", behind)):
                if "largest" in load:
                    heavy = ", ".join(
                        f"{path} {size / 1e3:,.0f} kB" for path, size in load["largest"]
                    )
                    print(f"  {n:,} {name}, largest responses: {heavy}", flush=True)
        print(table[-1], flush=True)
    load_end = os.getloadavg()
    lines = [
        "",
        HEADING,
        "",
        (
            "`streamlit run app.py` with `NANCHANG_SYNTHETIC=N` (the shipped enterprises plus N "
            "synthetic ones), map page, `lang=en`, `basemap=none`; every request to anything "
            "but 127.0.0.1 is blocked and counted. The first page load after the server starts "
            "is excluded (it pays imports and data generation); first render is the best of "
            f"{LOADS} further loads, each in a fresh browser context (empty cache, new session), "
            "from navigation start until every located enterprise is in the map's enterprise "
            "layer and drawn inside the map's iframe (cluster icons, or points on the canvas "
            f"layer; {POLL_MS} ms polling). Up to {CLUSTER_MAX_FIRMS:,} located firms the map "
            "clusters markers; above that it draws every firm as a point of one canvas layer, "
            "its data sent once as compressed columns (`maps.enterprises.CLUSTER_MAX_FIRMS`). "
            "Page size: bytes received by that load, i.e. HTTP response headers + bodies (as "
            "sent, so compressed where the server compressed them) + websocket frame payloads "
            "received; 1 MB = 10^6 bytes. Requests: HTTP requests of the page and its "
            "iframes + websocket connections. Behind nginx: the same server, then the same "
            "loads (one excluded, the best of the next "
            f"{LOADS}, the same blocking and counting) through the team deployment's nginx "
            "(`deploy/nginx.conf` as tests/app/test_nginx.py runs it, `worker_processes auto`, "
            "HTTPS with a throwaway certificate), which serves Streamlit's front end "
            "(`/static/`) and the app's static files (`/app/static/`) from disk, gzipped, and "
            "passes the page, the websocket and the map component to Streamlit. Before: "
            "marker clusters for every size, served directly."
        ),
        "",
        *table,
        "",
        _load_sentence(load_start[0], load_end[0]),
    ]
    if skipped:
        lines += ["", f"Behind nginx not measured: {'; '.join(sorted(skipped))}."]
    return lines + _targets(rows)


def _load_sentence(start: float, end: float) -> str:
    """Say the load the run met; only a load above the cores inflates the render times."""
    import os

    cores = os.cpu_count() or 1
    said = (
        f"Load average (1 min) {start:.1f} at the start and {end:.1f} at the end, on {cores} cores"
    )
    # At the start nothing of the benchmark runs yet: a load there is someone else's.
    if start > 1.0:
        return f"{said}: other processes shared the cores, so the render times are inflated."
    # The benchmark's own server and browser make the load at the end.
    return f"{said} (the benchmark's own server and browser): nothing else was running."
