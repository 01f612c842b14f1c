"""The README's nginx sample (deploy/nginx.conf) in front of the real app, in Chromium.

nginx runs unprivileged with the sample itself (:func:`tests._nginx.run_nginx`: only the
ports, the certificate, the upstream's port and the two folders it serves are
substituted), wrapped in the ``http`` block Debian's /etc/nginx/nginx.conf would give it.
Its access log names the upstream of each request, ``-`` when nginx answered from disk:
that is how these tests know which requests reached Streamlit.

Shown: the app loads through the proxy over HTTPS in both languages and its WebSocket
works (Chromium renders the app's title, which only the script run over /_stcore/stream
draws); Streamlit's front end (/static/) and the map's scripts (/app/static/) come from
nginx, never from Streamlit, byte for byte what Streamlit would send, compressed and with
cache headers; the page, the WebSocket, health and the map component still reach
Streamlit; every answer, errors included, carries the security headers; plain HTTP is
redirected to HTTPS; a page of another origin cannot frame the app.
"""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from typing import Any, Literal

import pytest

from layers.i18n import t
from tests._app_server import CHROMIUM, CHROMIUM_ARGS, ROOT, AppStartError, run_app
from tests._nginx import STREAMLIT_STATIC, NginxError, Proxy, find_nginx, get, run_nginx

pytestmark = pytest.mark.slow

HEADERS = {
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": "frame-ancestors 'self'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}
# Streamlit's entry script, as its index.html names it (hashed: index.<hash>.js).
ENTRY_JS = (
    "/static/"
    + re.findall(
        r'src="\./static/(js/index\.[^"]+\.js)"', (STREAMLIT_STATIC / "index.html").read_text()
    )[0]
)
LEAFLET = "/app/static/vendor/leaflet/dist/leaflet.js"
# The map component's frame has drawn a Leaflet map (its frame is same-origin, so readable).
DRAWN = """() => [...document.querySelectorAll('iframe')].some(f => {
    try { return !!f.contentDocument.querySelector('.leaflet-container path'); }
    catch (e) { return false; }
})"""


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Proxy, str]]:
    """The app behind nginx with the sample config: (the proxy, the app's own URL)."""
    if find_nginx() is None:
        pytest.skip("nginx not installed (apt-get install nginx-light)")
    work = tmp_path_factory.mktemp("nginx")
    try:
        with (
            run_app(work, env={"NANCHANG_STORE": str(work / "project.gpkg")}) as app_url,
            run_nginx(app_url, work) as proxy,
        ):
            yield proxy, app_url
    except AppStartError as exc:
        pytest.fail(str(exc))
    except NginxError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))
        pytest.fail(str(exc))


def _log_after(proxy: Proxy, since: int, path: str) -> list[tuple[str, str, int, bool]]:
    """The requests for ``path`` logged after ``since`` (nginx writes its log as it answers)."""
    deadline = time.monotonic() + 5
    while True:
        found = [r for r in proxy.requests(since) if r[1] == path]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_every_answer_carries_the_security_headers(proxied: tuple[Proxy, str]) -> None:
    proxy, app = proxied
    for path, status in [
        ("/", 200),
        ("/_stcore/health", 200),
        ("/app/static/no-such-file.js", 404),
        ("/static/js/no-such-file.js", 404),
        (ENTRY_JS, 200),
        (LEAFLET, 200),
    ]:
        got, headers, _ = get(f"{proxy.https}{path}")
        assert got == status, (path, got)
        for name, value in HEADERS.items():
            assert headers.get(name) == value, (path, name, headers.get(name))
    # The app alone sends none of them: they are the proxy's job, as the README says.
    _, direct, _ = get(f"{app}/")
    assert "x-frame-options" not in direct
    assert "content-security-policy" not in direct


@pytest.mark.parametrize(("path", "max_age"), [(ENTRY_JS, 365 * 24 * 3600), (LEAFLET, 24 * 3600)])
def test_static_files_come_from_nginx_not_the_app(
    proxied: tuple[Proxy, str], path: str, max_age: int
) -> None:
    proxy, app = proxied
    since = proxy.log_size()
    status, headers, body = get(f"{proxy.https}{path}", {"Accept-Encoding": "gzip"})
    assert status == 200
    # nginx answered it from disk: no upstream in its log (the health check below did go
    # to Streamlit, so the log does tell the two apart).
    assert [r[3] for r in _log_after(proxy, since, path)] == [False]
    # What Streamlit itself sends for that path, byte for byte, compressed on the way.
    assert headers.get("content-encoding") == "gzip"
    _, _, direct = get(f"{app}{path}", {"Accept-Encoding": "identity"})
    assert gzip.decompress(body) == direct
    assert headers.get("cache-control") == f"max-age={max_age}"
    # A returning browser's revalidation is answered by nginx too.
    since = proxy.log_size()
    status, _, _ = get(f"{proxy.https}{path}", {"If-None-Match": headers["etag"]})
    assert status == 304
    assert [r[3] for r in _log_after(proxy, since, path)] == [False]
    since = proxy.log_size()
    assert get(f"{proxy.https}/_stcore/health")[0] == 200
    assert [r[3] for r in _log_after(proxy, since, "/_stcore/health")] == [True]


def test_plain_http_is_sent_to_https(proxied: tuple[Proxy, str]) -> None:
    proxy, _ = proxied
    status, headers, _ = get(f"{proxy.http}/check?lang=en")
    assert status == 301
    assert headers["location"].startswith("https://127.0.0.1")
    assert headers["location"].endswith("/check?lang=en")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (each test opens its own context, an empty HTTP cache)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _routes(requests: list[tuple[str, str, int, bool]]) -> dict[str, set[bool]]:
    """For each route, whether its requests reached the app (True), nginx alone (False)."""
    out: dict[str, set[bool]] = {}
    for _, path, _, upstream in requests:
        first = path.split("/")[1] if path.count("/") > 1 else path
        route = "/app/static/" if path.startswith("/app/static/") else f"/{first.strip('/')}"
        out.setdefault(route, set()).add(upstream)
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_app_runs_through_the_proxy_websocket_included(
    proxied: tuple[Proxy, str], browser: Any, lang: Literal["en", "zh"]
) -> None:
    proxy, _ = proxied
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        since = proxy.log_size()
        page.goto(f"{proxy.https}/?lang={lang}", wait_until="domcontentloaded")
        # The title is drawn by the script run, which reaches the page over the WebSocket.
        page.get_by_text(t("app.title", lang)).first.wait_for(timeout=60_000)
        assert any(u.startswith("wss://127.0.0.1") and "/_stcore/stream" in u for u in sockets)
        # The map component loads the map's scripts from /app/static/vendor/.
        deadline = time.monotonic() + 60
        while "/app/static/" not in _routes(proxy.requests(since)):
            assert time.monotonic() < deadline, _routes(proxy.requests(since))
            page.wait_for_timeout(200)
        # ... and draws the map in its same-origin frame (the proxy's frame-ancestors allow it).
        page.wait_for_function(DRAWN, timeout=60_000)
        routes = _routes(proxy.requests(since))
    finally:
        context.close()
    # A fresh browser's static files all came from nginx; the page itself, the WebSocket
    # and the map component (whose files Streamlit finds in the installed package) from
    # the app.
    assert routes["/static"] == {False}, routes
    assert routes["/app/static/"] == {False}, routes
    assert routes["/"] == {True}, routes
    assert routes["/_stcore"] == {True}, routes
    assert routes["/component"] == {True}, routes


def test_another_origin_cannot_frame_the_app(proxied: tuple[Proxy, str], browser: Any) -> None:
    proxy, _ = proxied
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.set_content(f'<iframe id="f" src="{proxy.https}/" width="600" height="400"></iframe>')
        frame = page.frame_locator("#f")
        page.wait_for_function(
            "() => document.getElementById('f').contentWindow !== null", timeout=10_000
        )
        page.wait_for_timeout(3_000)  # time enough for the app to draw its title if allowed
        child = next(f for f in page.frames if f != page.main_frame)
        assert child.url.startswith("chrome-error://"), child.url
        assert frame.get_by_text(t("app.title", "en")).count() == 0
    finally:
        context.close()


def test_the_sample_serves_the_folders_the_readme_names() -> None:
    # The README's one-liner prints the folder the test substitutes, and it holds the
    # front end index.html names; the repository's static/ holds the map's scripts.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pathlib.Path(streamlit.__file__).parent / 'static'" in readme
    assert (STREAMLIT_STATIC / ENTRY_JS.lstrip("/")).is_file()
    assert (ROOT / LEAFLET.removeprefix("/app/")).is_file()
