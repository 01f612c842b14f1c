"""The Streamlit server's own cost: CPU time per page view, and 10 concurrent map sessions.

Starts ``streamlit run app.py`` (:func:`tests._app_server.run_app`) with the shipped
enterprises plus ``NANCHANG_SYNTHETIC=N`` synthetic ones and a throwaway store, and drives
headless Chromium (``/usr/bin/chromium``) with Playwright, offline: every request to a host
other than this machine goes to a closed proxy port and fails (request interception would
do the same, but Playwright turns the browser's HTTP cache off while it intercepts, and the
warm views below need that cache).

Per-view CPU: the server process's user + system CPU time (``/proc/<pid>/stat``, its
children's included, living or reaped) is read before and after each view. A *cold* view
is a fresh browser context (a new Streamlit session, an empty HTTP cache: a first visit);
a *warm* view is a second page opened in that same context afterwards (a new Streamlit
session, the HTTP cache as the first view left it: a returning browser). Both are reported,
each the mean of ``VIEWS`` views.
A view is over when the page has rendered (the map component drawn on pages with a map, the
app's script run finished on every page) and the server has gone quiet (no CPU used for
``QUIET_S``), so reruns the page triggers itself (a component reporting its first value) are
counted. One cold and warm pair of each page before the measured ones is excluded: it pays
the page's imports and the caches shared by every session, which a running server has paid
once. The server's file watcher is off (``STREAMLIT_SERVER_FILE_WATCHER_TYPE=none``) so that
its polling is not billed to the views; what an idle server still uses in the views' wall
time is measured separately and subtracted.

Breakdown (map page): the requests of a view that reached the server, by route (Streamlit's
own front end under ``/static/``, the map's scripts under ``/app/static/vendor/``, the map
component's files under ``/component/``, the rest), read from the browser's resource timing
of every frame (a response taken from the HTTP cache transfers nothing); and the CPU split
between the server's event-loop thread (HTTP and the websocket) and its other threads
(script runs, file reads).

Concurrency: ``SESSIONS`` contexts of one browser open the map page at the same moment;
each session's time is from its navigation start to the first draw of the map (districts
drawn and marker clusters shown). ``ROUNDS`` rounds; p50 and p95 over every session.
Both browsers and server share this machine's cores, so these times include the browsers'
own work; the per-view CPU above is the server's alone.

Behind nginx (map page): deploy/nginx.conf run as its test runs it
(:func:`tests._nginx.run_nginx`, ``worker_processes auto`` as Debian ships it) in front of
the same server, over HTTPS (the throwaway certificate trusted by its key, so the HTTP
cache works as for a real one). nginx serves the static files from disk; Streamlit's CPU
per view is measured as above, nginx's (master and workers) on its own, and the requests
that reached Streamlit are read from nginx's access log (it names each one's upstream).
The 1-minute load average is recorded at the start and end: other runs share the machine.

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

from tests._app_server import CHROMIUM, CHROMIUM_ARGS, run_app
from tests._nginx import Proxy, run_nginx

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
    let polygons = 0, points = 0;
    map.eachLayer(l => {
        if (l instanceof L.Polygon) polygons += 1;
        if (L.NcPoints && l instanceof L.NcPoints) points += l.drawn;  // many firms: points
    });
    return {polygons, now: Date.now(),
            clusters: document.querySelectorAll('.marker-cluster').length + points};
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


# Offline without request interception (which turns the HTTP cache off): every host but
# this machine (which Chromium never sends through a proxy) goes to a closed port.
OFFLINE_ARGS = [
    *CHROMIUM_ARGS,
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
]
# The requests of a view that reached the server: every frame's resource timing, where a
# response taken from the HTTP cache has transferSize 0 (all requests here are same-origin).
FETCHED = """() => performance.getEntriesByType('resource')
    .filter(e => e.transferSize > 0 && !e.name.includes('/_stcore/stream'))
    .map(e => [new URL(e.name).pathname, e.transferSize])"""
ROUTES = ("/static/", "/app/static/vendor/", "/component/")


def _threads(pid: int) -> dict[int, float]:
    """CPU seconds of each living thread of ``pid``."""
    out: dict[int, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError):
            raw = (task / "stat").read_text()
            fields = raw[raw.rindex(")") + 2 :].split()
            out[int(task.name)] = (int(fields[11]) + int(fields[12])) / _TICK
    return out


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


def _fetched(page: Any) -> dict[str, float]:
    """Requests of the view that reached the server, and their bytes, by route."""
    counts: dict[str, float] = {}
    entries: list[list[Any]] = [["/", 1]]  # the page itself (a navigation, always fetched)
    for frame in page.frames:
        with contextlib.suppress(Exception):  # a frame gone meanwhile
            entries += frame.evaluate(FETCHED)
    for path, size in entries:
        route = next((r for r in ROUTES if str(path).startswith(r)), "other")
        counts[route] = counts.get(route, 0) + 1
        counts[route + " bytes"] = counts.get(route + " bytes", 0) + float(size)
    return counts


def _view(
    context: Any, url: str, name: str, pid: int, proxy: Proxy | None = None
) -> dict[str, Any]:
    """One view of page ``name`` in a new page of ``context``: wall time, CPU, requests.

    With ``proxy`` (``url`` is then nginx's), also nginx's CPU and, from its access log,
    the requests of the view that reached Streamlit (``upstream``) by route.
    """
    t0 = time.monotonic()
    log0 = proxy.log_size() if proxy else 0
    n0 = cpu_seconds(proxy.pid) if proxy else 0.0
    c0, threads0 = cpu_seconds(pid), _threads(pid)
    page = context.new_page()
    try:
        page.goto(_url(url, name), wait_until="commit")
        deadline = t0 + VIEW_TIMEOUT_S
        while not (_drawn(page, name) and page.evaluate(RUN_DONE)):
            if time.monotonic() > deadline:
                msg = f"page {name!r} not rendered within {VIEW_TIMEOUT_S:.0f} s"
                raise RuntimeError(msg)
            page.wait_for_timeout(POLL_MS)
        _wait_quiet(page, pid)
        fetched = _fetched(page)
    finally:
        page.close()
    threads1 = _threads(pid)
    out = {
        "wall_s": time.monotonic() - t0,
        "cpu_s": cpu_seconds(pid) - c0,
        "loop_s": threads1.get(pid, 0.0) - threads0.get(pid, 0.0),  # the event-loop thread
        "fetched": fetched,
    }
    if proxy:
        out["nginx_s"] = cpu_seconds(proxy.pid) - n0
        upstream: dict[str, float] = {}
        for _, path, _, reached in proxy.requests(log0):
            if reached and "/_stcore/stream" not in path:
                route = next((r for r in ROUTES if path.startswith(r)), "other")
                upstream[route] = upstream.get(route, 0) + 1
        out["upstream"] = upstream
    return out


def _pair(
    browser: Any, url: str, name: str, pid: int, proxy: Proxy | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A cold view (fresh context) and a warm one (a new page of the same context)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        return _view(context, url, name, pid, proxy), _view(context, url, name, pid, proxy)
    finally:
        context.close()


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


def _mean(views: list[dict[str, Any]], idle: float, nginx_idle: float = 0.0) -> dict[str, Any]:
    """Mean CPU (idle use in the views' wall time subtracted), wall time and requests."""
    n = len(views)
    wall = sum(v["wall_s"] for v in views) / n
    out: dict[str, Any] = {
        "cpu_s": max(sum(v["cpu_s"] for v in views) / n - idle * wall, 0.0),
        "loop_s": sum(v["loop_s"] for v in views) / n,
        "wall_s": wall,
    }
    for key in ("fetched", "upstream"):
        if key in views[0]:
            means: dict[str, float] = {}
            for v in views:
                for k, x in v[key].items():
                    means[k] = means.get(k, 0.0) + x / n
            out[key] = means
    if "nginx_s" in views[0]:
        out["nginx_s"] = max(sum(v["nginx_s"] for v in views) / n - nginx_idle * wall, 0.0)
    return out


def _per_view(browser: Any, url: str, pid: int, idle: float) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in PAGES:
        _pair(browser, url, name, pid)  # excluded: imports, shared caches
        pairs = [_pair(browser, url, name, pid) for _ in range(VIEWS)]
        cold = _mean([c for c, _ in pairs], idle)
        warm = _mean([w for _, w in pairs], idle)
        out[name] = {"cold": cold, "warm": warm}
        print(f"  {name}: cold {cold['cpu_s']:.3f} s, warm {warm['cpu_s']:.3f} s", flush=True)
    return out


def _behind_nginx(pw: Any, url: str, pid: int, idle: float, workdir: Path) -> dict[str, Any]:
    """Cold and warm views of the map page through the deployment's nginx sample."""
    workdir.mkdir()
    with run_nginx(url, workdir, workers="auto") as proxy:
        # Trusting the certificate by its key (not --ignore-certificate-errors, nor
        # Playwright's ignore_https_errors): Chromium caches nothing from an origin whose
        # certificate has errors, and the warm views need that cache.
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*OFFLINE_ARGS, f"--ignore-certificate-errors-spki-list={proxy.spki}"],
        )
        try:
            nginx_idle = _idle_rate(proxy.pid, 2.0)
            _pair(browser, proxy.https, "map", pid, proxy)  # excluded, as for direct views
            pairs = [_pair(browser, proxy.https, "map", pid, proxy) for _ in range(VIEWS)]
        finally:
            browser.close()
    cold = _mean([c for c, _ in pairs], idle, nginx_idle)
    warm = _mean([w for _, w in pairs], idle, nginx_idle)
    print(
        f"  map behind nginx: cold {cold['cpu_s']:.3f} s (nginx {cold['nginx_s']:.3f} s), "
        f"warm {warm['cpu_s']:.3f} s (nginx {warm['nginx_s']:.3f} s)",
        flush=True,
    )
    return {"cold": cold, "warm": warm}


def _concurrent(browser: Any, url: str, pid: int) -> dict[str, Any]:
    """``SESSIONS`` contexts open the map at once; seconds to each session's first map draw."""
    times: list[float] = []
    cpu = 0.0
    for _ in range(ROUNDS):
        contexts = [
            browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(SESSIONS)
        ]
        try:
            pages = [context.new_page() for context in contexts]
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
        load = [os.getloadavg()[0]]
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=OFFLINE_ARGS
        )
        try:
            idle = _idle_rate(pid)
            pages = _per_view(browser, url, pid, idle)
            concurrent = _concurrent(browser, url, pid)
        finally:
            browser.close()
        behind = _behind_nginx(pw, url, pid, idle, Path(tmp) / "nginx")
        load.append(os.getloadavg()[0])
    return {
        "n": n,
        "views": VIEWS,
        "rounds": ROUNDS,
        "idle_cpu_per_s": idle,
        "pages": pages,
        "concurrent": concurrent,
        "behind_nginx": behind,
        "loadavg_1min": load,
    }


# ------------------------------------------------------------------ report

# Measured the same way at commit 15419fd, before the map page cached its drawn map
# (st_folium rendered the whole folium tree on every view): {n: (per-view CPU s by page,
# 10-session p50 s, p95 s)}. N = 0 with 5 views and 3 rounds, N = 10,000 with 3 and 2.
# In between (commit 467c2d1, the drawn map cached across sessions) the map page cost 0.31 s
# per (cold) view at both N; a profile then put about a third of it in the full garbage
# collection Streamlit runs after every script run (runner.postScriptGC, now off) and most
# of the rest in serving ~125 files per fresh browser (now on uvloop and httptools).
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


def _breakdown_row(n: int, kind: str, view: dict[str, Any]) -> str:
    f = view["fetched"]
    kb = sum(v for k, v in f.items() if k.endswith(" bytes")) / 1e3
    counts = " | ".join(f"{f.get(r, 0.0):.0f}" for r in (*ROUTES, "other"))
    return f"| {n:,} | {kind} | {counts} | {kb:,.0f} | {view['cpu_s']:.3f} | {view['loop_s']:.3f} |"


def _nginx_row(n: int, kind: str, r: dict[str, Any], before: float | None) -> str:
    direct, behind = r["pages"]["map"][kind], r["behind_nginx"][kind]
    reached = {
        "direct": sum(v for k, v in direct["fetched"].items() if not k.endswith(" bytes")),
        "behind": sum(behind["upstream"].values()),
    }
    kb = sum(v for k, v in behind["fetched"].items() if k.endswith(" bytes")) / 1e3
    ratio = f"{behind['cpu_s'] / before:.2f}" if before else "–"
    return (
        f"| {n:,} | {kind} | {direct['cpu_s']:.3f} | {behind['cpu_s']:.3f} | {ratio} "
        f"| {behind['nginx_s']:.3f} | {reached['direct']:.0f} | {reached['behind']:.0f} "
        f"| {kb:,.0f} |"
    )


def section(run: Callable[[str, float], dict[str, Any]]) -> list[str]:
    """The markdown section: per-view CPU of every page (cold, warm), a breakdown of the map
    page's views, and 10-session map times, for N = 0 and 10,000.

    ``run(kind, n)`` runs ``measure(n)`` in a fresh interpreter (``benchmarks.__main__``).
    """
    lines = [
        HEADING,
        "",
        (
            "`streamlit run app.py` with the shipped enterprises plus N synthetic ones, "
            "`lang=en`, `basemap=none`, offline; the server's own user + system CPU time "
            "(`/proc`, its child processes included) per view of each page, mean of `views` "
            "views after one excluded warm-up pair per page. *Cold*: a fresh browser context "
            "(new session, empty HTTP cache: a first visit). *Warm*: a second page in the "
            "same context (new session, the HTTP cache the first view left: a returning "
            "browser). A view ends when the page has rendered and the server has been idle "
            f"for {QUIET_S} s. Concurrent: {SESSIONS} contexts of one headless Chromium open "
            "the map page at once, time from navigation to the first map draw, `rounds` "
            "rounds; browsers and server share the machine's "
            f"{os.cpu_count()} cores, so these times are mostly the browsers' work. "
            '"Before": the same benchmark at commit 15419fd (every view cold), before the '
            "map page kept its drawn map across sessions."
        ),
        "",
        (
            "| N | views | page | CPU per view, before (s) | now, cold (s) | now, warm (s) "
            "| cold / before | warm / before |"
        ),
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    breakdown: list[str] = []
    concurrent: list[str] = []
    behind: list[str] = []
    load: list[str] = []
    for n in (0, 10_000):
        r = run("server", n)
        before = BEFORE.get(n)
        if "error" in r:
            lines.append(f"| {n:,} | – | error: {r['error']} ||||||")
            continue
        for name in PAGES:
            cold, warm = r["pages"][name]["cold"]["cpu_s"], r["pages"][name]["warm"]["cpu_s"]
            old = before[0].get(name) if before else None
            ratios = " | ".join(f"{x / old:.2f}" if old else "–" for x in (cold, warm))
            shown_old = "–" if old is None else f"{old:.2f}"
            lines.append(
                f"| {n:,} | {r['views']} | {name} | {shown_old} | {cold:.2f} | {warm:.2f} "
                f"| {ratios} |"
            )
        breakdown += [_breakdown_row(n, kind, r["pages"]["map"][kind]) for kind in ("cold", "warm")]
        old_map = before[0].get("map") if before else None
        behind += [_nginx_row(n, kind, r, old_map) for kind in ("cold", "warm")]
        start, end = r["loadavg_1min"]
        load.append(f"N = {n:,}: {start:.2f} at the start, {end:.2f} at the end")
        c = r["concurrent"]
        old_c = f"{before[1]:.1f} / {before[2]:.1f}" if before else "–"
        now_c = f"{c['p50_s']:.1f} / {c['p95_s']:.1f}"
        concurrent.append(
            f"| {n:,} | {r['rounds']} | {old_c} | {now_c} | {c['cpu_per_view_s']:.2f} |"
        )
        print(
            "\n".join(lines[-len(PAGES) :] + breakdown[-2:] + behind[-2:] + concurrent[-1:]),
            flush=True,
        )
    return [
        *lines,
        "",
        (
            "Where a view of the map page goes: requests that reached the server (a response "
            "from the browser's HTTP cache is not counted) by route, the bytes they "
            "transferred, and the server's CPU, of which its event-loop thread (HTTP and "
            "websocket; the rest is script runs and file reads in other threads)."
        ),
        "",
        (
            "| N | view | requests: /static/ (Streamlit's front end) | /app/static/vendor/ "
            "(map scripts) | /component/ (map component) | other | kB transferred "
            "| CPU (s) | of which event loop (s) |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *breakdown,
        "",
        (
            "The map page behind the deployment's nginx (deploy/nginx.conf as "
            "tests/app/test_nginx.py runs it, `worker_processes auto`, HTTPS): nginx serves "
            "Streamlit's front end (`/static/`) and the app's static files (`/app/static/`) "
            "from disk, gzipped; the page, the WebSocket, health and the map component still "
            "reach Streamlit. Same server, same views (mean of `views` after one excluded "
            "pair); Streamlit's CPU per view direct (from the table above) and behind nginx, "
            "nginx's own CPU (master and workers) per view, the requests that reached "
            "Streamlit (WebSocket not counted; direct: the browser's count; behind nginx: "
            "nginx's access log, which names the upstream of each request), and the bytes "
            "the browser received behind nginx."
        ),
        "",
        (
            "| N | view | Streamlit CPU, direct (s) | Streamlit CPU, behind nginx (s) "
            "| behind nginx / before | nginx CPU (s) | requests reaching Streamlit, direct "
            "| behind nginx | kB transferred behind nginx |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *behind,
        "",
        (
            f"Load average (1 min, `os.getloadavg()`) on this {os.cpu_count()}-core machine, "
            f"which other engineers' runs share: {'; '.join(load)}."
        ),
        "",
        (
            f"| N | rounds | {SESSIONS} sessions at once, before: p50 / p95 (s) | "
            "now: p50 / p95 (s) | server CPU per session now (s) |"
        ),
        "|---:|---:|---:|---:|---:|",
        *concurrent,
    ]
