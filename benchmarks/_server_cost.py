"""The Streamlit server's own cost: CPU time per page view, and 10 concurrent map sessions.

Starts ``streamlit run app.py`` (:func:`tests._app_server.run_app`) with the shipped
enterprises plus ``NANCHANG_SYNTHETIC=N`` synthetic ones and a throwaway store, and drives
headless Chromium (``/usr/bin/chromium``) with Playwright, offline as the e2e tests are.

Per-view CPU: the server process's user + system CPU time (``/proc/<pid>/stat``, its
children's included, living or reaped) is read before and after ``VIEWS`` views of each
page, each view in a fresh browser context (a new Streamlit session, an empty HTTP cache).
A view is over when the page has rendered (the map component drawn on pages with a map, the
app's script run finished on every page) and the server has gone quiet (no CPU used for
``QUIET_S``), so reruns the page triggers itself (a component reporting its first value) are
counted. One view of each page before the measured ones is excluded: it pays the page's
imports and the caches shared by every session, which a running server has paid once.
The server's file watcher is off (``STREAMLIT_SERVER_FILE_WATCHER_TYPE=none``) so that its
polling is not billed to the views; what an idle server still uses in the views' wall
time is measured separately and subtracted.

Concurrency: ``SESSIONS`` contexts of one browser open the map page at the same moment;
each session's time is from its navigation start to the first draw of the map (districts
drawn and marker clusters shown). ``ROUNDS`` rounds; p50 and p95 over every session.
Both browsers and server share this machine's cores, so these times include the browsers'
own work; the per-view CPU above is the server's alone.

``python -m benchmarks --only server`` runs this section alone and replaces it in
``results.md``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests._app_server import CHROMIUM, CHROMIUM_ARGS, run_app

HEADING = "## Server cost per page view (Streamlit server CPU, headless Chromium)"
PAGES = ("map", "check", "gaps", "site", "zones", "data")
MAP_PAGES = frozenset({"map", "check", "site", "zones"})
VIEWS = 5
SESSIONS = 10
ROUNDS = 3
QUIET_S = 0.6
POLL_MS = 50
VIEW_TIMEOUT_S = 240.0
_TICK = os.sysconf("SC_CLK_TCK")

# Leaflet's registry inside the component's iframe (as benchmarks/_browser.py reads it).
MAP_STATE = """() => {
    const map = window.map;
    if (!map || !window.L) return null;
    let polygons = 0;
    map.eachLayer(l => { if (l instanceof L.Polygon) polygons += 1; });
    return {polygons, now: Date.now(),
            clusters: document.querySelectorAll('.marker-cluster').length};
}"""
# Streamlit's own markers of a finished run (what its e2e helpers wait for).
RUN_DONE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && !!document.querySelector('h1');
}"""


# ------------------------------------------------------------------ CPU of the server


def _stat(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()  # fields after "(comm) ", from field 3 on


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").iterdir():
            with contextlib.suppress(OSError):
                kids = [int(k) for k in (task / "children").read_text().split()]
                found += kids
                todo += kids
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid``, its reaped children and its living descendants."""
    fields = _stat(pid)
    # utime, stime, cutime, cstime are fields 14-17 (1-based) of /proc/<pid>/stat.
    ticks = sum(int(v) for v in fields[11:15])
    for child in _descendants(pid):
        with contextlib.suppress(OSError):
            ticks += sum(int(v) for v in _stat(child)[11:13])
    return ticks / _TICK


def _server_pid() -> int:
    """The ``streamlit run`` process this process started (run_app yields only the URL)."""
    me = str(os.getpid())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            if _stat(int(proc.name))[1] != me:
                continue
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            if any(part.endswith(b"streamlit") for part in cmd) and b"app.py" in cmd:
                return int(proc.name)
    msg = "the streamlit server process was not found among this process's children"
    raise RuntimeError(msg)


# ------------------------------------------------------------------ browser helpers


def _offline(context: Any) -> None:
    def route(r: Any) -> None:
        url = r.request.url
        if urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            r.abort("internetdisconnected")

    context.route("**/*", route)


def _map_state(page: Any) -> dict[str, Any] | None:
    for frame in page.frames:
        if "st_folium" in frame.url or "streamlit_folium" in frame.url:
            with contextlib.suppress(Exception):  # the frame navigates while it loads
                state: dict[str, Any] | None = frame.evaluate(MAP_STATE)
                if state and state["polygons"] > 0:
                    return state
    return None


def _drawn(page: Any, name: str) -> bool:
    if name == "map":
        state = _map_state(page)
        return bool(state and state["clusters"] > 0)
    if name in MAP_PAGES:
        return _map_state(page) is not None
    return True


def _url(base: str, name: str) -> str:
    return f"{base}/{'' if name == 'map' else name}?lang=en&basemap=none"


def _view(browser: Any, url: str, name: str, pid: int) -> float:
    """One view of page ``name`` in a fresh context; return its wall time until quiet."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    t0 = time.monotonic()
    try:
        _offline(context)
        page = context.new_page()
        page.goto(_url(url, name), wait_until="commit")
        deadline = t0 + VIEW_TIMEOUT_S
        while not (_drawn(page, name) and page.evaluate(RUN_DONE)):
            if time.monotonic() > deadline:
                msg = f"page {name!r} not rendered within {VIEW_TIMEOUT_S:.0f} s"
                raise RuntimeError(msg)
            page.wait_for_timeout(POLL_MS)
        _wait_quiet(page, pid)
    finally:
        context.close()
    return time.monotonic() - t0


def _wait_quiet(page: Any, pid: int) -> None:
    """Wait until the server has used no CPU for ``QUIET_S`` and no script is running."""
    last, since = cpu_seconds(pid), time.monotonic()
    while time.monotonic() - since < QUIET_S:
        page.wait_for_timeout(100)
        now = cpu_seconds(pid)
        if now - last > 0.015 or not page.evaluate(RUN_DONE):
            last, since = now, time.monotonic()


def _idle_rate(pid: int, seconds: float = 5.0) -> float:
    c0 = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - c0) / seconds


def _per_view(browser: Any, url: str, pid: int, idle: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name in PAGES:
        warm_s = _view(browser, url, name, pid)  # excluded: imports, shared caches
        c0 = cpu_seconds(pid)
        wall = sum(_view(browser, url, name, pid) for _ in range(VIEWS))
        used = cpu_seconds(pid) - c0 - idle * wall
        out[name] = {"cpu_s": max(used, 0.0) / VIEWS, "wall_s": wall / VIEWS, "warm_s": warm_s}
        print(f"  {name}: {out[name]}", flush=True)
    return out


def _concurrent(browser: Any, url: str, pid: int) -> dict[str, Any]:
    """``SESSIONS`` contexts open the map at once; seconds to each session's first map draw."""
    times: list[float] = []
    cpu = 0.0
    for _ in range(ROUNDS):
        contexts = [
            browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(SESSIONS)
        ]
        try:
            pages = []
            for context in contexts:
                _offline(context)
                pages.append(context.new_page())
            c0 = cpu_seconds(pid)
            for page in pages:
                page.goto(_url(url, "map"), wait_until="commit")
            origins = [float(p.evaluate("() => performance.timeOrigin")) for p in pages]
            done: dict[int, float] = {}
            deadline = time.monotonic() + VIEW_TIMEOUT_S
            while len(done) < len(pages):
                if time.monotonic() > deadline:
                    msg = f"{len(pages) - len(done)} of {len(pages)} maps not drawn in time"
                    raise RuntimeError(msg)
                for i, page in enumerate(pages):
                    if i in done:
                        continue
                    state = _map_state(page)
                    if state and state["clusters"] > 0:
                        done[i] = (float(state["now"]) - origins[i]) / 1000.0
                pages[0].wait_for_timeout(POLL_MS)
            for page in pages:
                _wait_quiet(page, pid)
            cpu += cpu_seconds(pid) - c0
            times += list(done.values())
        finally:
            for context in contexts:
                context.close()
    times.sort()
    return {
        "p50_s": statistics.median(times),
        "p95_s": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max_s": times[-1],
        "samples": len(times),
        "cpu_per_view_s": cpu / (ROUNDS * SESSIONS),
    }


@contextlib.contextmanager
def _server(n: int, workdir: Path) -> Iterator[str]:
    env = {
        "NANCHANG_SYNTHETIC": str(n),
        "NANCHANG_STORE": str(workdir / "project.gpkg"),  # never the operator's project
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    with run_app(workdir, env=env, unset=("TIANDITU_KEY", "NANCHANG_ENTERPRISES")) as url:
        yield url


def measure(n: int) -> dict[str, Any]:
    """Per-view server CPU of every page and 10-session map times with ``n`` synthetic firms.

    Raises ``RuntimeError`` when Chromium or Playwright is missing or a page does not render.
    """
    if not CHROMIUM.exists():
        msg = f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
        raise RuntimeError(msg)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        msg = f"playwright not installed in this venv ({exc})"
        raise RuntimeError(msg) from exc
    with (
        tempfile.TemporaryDirectory(prefix="nc-bench-server-") as tmp,
        _server(n, Path(tmp)) as url,
        sync_playwright() as pw,
    ):
        pid = _server_pid()
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            idle = _idle_rate(pid)
            pages = _per_view(browser, url, pid, idle)
            concurrent = _concurrent(browser, url, pid)
        finally:
            browser.close()
    return {
        "n": n,
        "views": VIEWS,
        "rounds": ROUNDS,
        "idle_cpu_per_s": idle,
        "pages": pages,
        "concurrent": concurrent,
    }


# ------------------------------------------------------------------ report

# Measured the same way at commit 15419fd, before the map page cached its drawn map
# (st_folium rendered the whole folium tree on every view): {n: (per-view CPU s by page,
# 10-session p50 s, p95 s)}. N = 0 with 5 views and 3 rounds, N = 10,000 with 3 and 2.
BEFORE: dict[int, tuple[dict[str, float], float, float]] = {
    0: (
        {"map": 0.56, "check": 0.56, "gaps": 0.41, "site": 1.57, "zones": 0.48, "data": 0.38},
        29.4,
        34.3,
    ),
    10_000: (
        {"map": 0.79, "check": 5.85, "gaps": 0.44, "site": 1.34, "zones": 0.45, "data": 0.47},
        36.4,
        40.9,
    ),
}


def section(run: Callable[[str, float], dict[str, Any]]) -> list[str]:
    """The markdown section: per-view CPU of every page and 10-session map times, N = 0, 10k.

    ``run(kind, n)`` runs ``measure(n)`` in a fresh interpreter (``benchmarks.__main__``).
    """
    lines = [
        HEADING,
        "",
        (
            "`streamlit run app.py` with the shipped enterprises plus N synthetic ones, "
            "`lang=en`, `basemap=none`, offline; the server's own user + system CPU time "
            "(`/proc`, its child processes included) per view of each page, each view a fresh "
            "browser context (new session, empty HTTP cache), mean of `views` views after one "
            "excluded warm-up view per page; a view ends when the page has rendered and the "
            f"server has been idle for {QUIET_S} s. Concurrent: {SESSIONS} contexts of one "
            "headless Chromium open the map page at once, time from navigation to the first map "
            "draw, `rounds` rounds; browsers and server share the machine's "
            f"{os.cpu_count()} cores, so these times are mostly the browsers' work. "
            '"Before": the same benchmark at commit 15419fd, before the map page kept its '
            "drawn map across sessions."
        ),
        "",
        "| N | views | page | CPU per view, before (s) | CPU per view, now (s) | now / before |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    concurrent: list[str] = []
    for n in (0, 10_000):
        r = run("server", n)
        before = BEFORE.get(n)
        if "error" in r:
            lines.append(f"| {n:,} | – | error: {r['error']} ||||")
            continue
        for name in PAGES:
            now = r["pages"][name]["cpu_s"]
            old = before[0].get(name) if before else None
            ratio = f"{now / old:.2f}" if old else "–"
            shown_old = "–" if old is None else f"{old:.2f}"
            lines.append(f"| {n:,} | {r['views']} | {name} | {shown_old} | {now:.2f} | {ratio} |")
        c = r["concurrent"]
        old_c = f"{before[1]:.1f} / {before[2]:.1f}" if before else "–"
        now_c = f"{c['p50_s']:.1f} / {c['p95_s']:.1f}"
        concurrent.append(
            f"| {n:,} | {r['rounds']} | {old_c} | {now_c} | {c['cpu_per_view_s']:.2f} |"
        )
        print("\n".join(lines[-len(PAGES) :] + concurrent[-1:]), flush=True)
    return [
        *lines,
        "",
        (
            f"| N | rounds | {SESSIONS} sessions at once, before: p50 / p95 (s) | "
            "now: p50 / p95 (s) | server CPU per session now (s) |"
        ),
        "|---:|---:|---:|---:|---:|",
        *concurrent,
    ]
