"""Sign-in end to end (issue 14): Chromium, the real app and a real OpenID Connect provider.

The provider is ``oidc-provider-mock`` (a test dependency), run as its own process on
127.0.0.1 like an organisation's identity provider; three users are registered through
its API (``PUT /users/<sub>``) with a ``groups`` claim, which the roles file maps to
viewer, planner and admin. The app runs with an ``[auth]`` section in a secrets file kept
in the test's temporary folder (``--secrets.files``), so the repository's ``.streamlit/``
is never written. The browser signs in through the provider's own form (type the
subject, "Authorize") and comes back through ``/oauth2callback``, exactly as a user does.

What is shown, as a user with each role sees it:

- a viewer gets no save or restore controls and no admin page (not in the navigation,
  and its URL falls back to the map); a write made with the viewer's identity, as the
  zone editor would make it, is refused by the store and recorded; editing the signed
  identity cookie to claim the admins' group signs the viewer out instead;
- a planner restores a version and is its author;
- an admin sees the audit trail (sign-ins, the refusal, the restore, the sign-out),
  filters it and downloads it as CSV;
- signing out goes through the provider's end-of-session page back to the sign-in screen.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import re
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import geo.store
import layers
from layers.i18n import LANGS, Lang, t
from tests._app_server import AppStartError, free_port, run_app, stop

pytestmark = pytest.mark.slow

LANG: Lang = "en"
ROLES_YAML = """\
claim: groups
roles:
  admin: [gis-admins]
  planner: [planners, zoning-editors]
"""
# Registered with the provider: subject -> claims (what its ID token carries).
USERS: dict[str, dict[str, Any]] = {
    "viewer-1": {"email": "guest@bureau.example", "name": "Guest", "groups": ["visitors"]},
    "planner-1": {"email": "wang@bureau.example", "name": "Wang", "groups": ["zoning-editors"]},
    "admin-1": {"email": "li@bureau.example", "name": "Li", "groups": ["gis-admins"]},
}
VIEWER, PLANNER, ADMIN = (USERS[s]["email"] for s in ("viewer-1", "planner-1", "admin-1"))
START_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oidc-provider-mock`` on a free port of 127.0.0.1, with the three users; its URL."""
    # Imported only to fail (CI) or skip (elsewhere) when the test dependency is missing;
    # the provider itself runs in its own process, like a real one.
    pytest.importorskip("oidc_provider_mock", reason="pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("oidc")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    log_path = work / "oidc.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _answers(f"{url}/.well-known/openid-configuration"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"oidc-provider-mock did not start:\n{log_path.read_text()[-2000:]}"
                    )
                time.sleep(0.2)
            for sub, claims in USERS.items():
                request = urllib.request.Request(
                    f"{url}/users/{sub}",
                    data=json.dumps(claims).encode(),
                    headers={"Content-Type": "application/json"},
                    method="PUT",
                )
                with urllib.request.urlopen(request, timeout=5) as answer:
                    assert answer.status == 204, (sub, answer.status)
            yield url
        finally:
            stop(proc)


def _answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:
        return bool(answer.status == 200)
    return False


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's store: zones at version 2, so there is a version to restore."""
    path = tmp_path_factory.mktemp("store") / "project.gpkg"
    zones = layers.zones()
    with geo.store.open(path) as opened:
        opened.write("zones", zones, author="seed", note="first")
        opened.write("zones", zones, author="seed", note="second")
    return path


@pytest.fixture(scope="module")
def app_url(provider: str, store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with sign-in through ``provider``; its secrets and roles in a temp folder."""
    work = tmp_path_factory.mktemp("app")
    port = free_port()
    secrets = work / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "e2e-cookie-secret-not-used-anywhere-else"\n'
        'client_id = "nanchang-e2e"\n'
        'client_secret = "e2e-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        # The mock knows the standard scopes only; its ID token carries `groups` anyway.
        'client_kwargs = { scope = "openid email profile" }\n',
        encoding="utf-8",
    )
    roles = work / "roles.yaml"
    roles.write_text(ROLES_YAML, encoding="utf-8")
    env = {"NANCHANG_STORE": str(store), "NANCHANG_ROLES": str(roles)}
    try:
        with run_app(
            work,
            env=env,
            unset=("TIANDITU_KEY", "NANCHANG_ENTERPRISES"),
            port=port,
            args=["--secrets.files", str(secrets)],
        ) as url:
            yield url
    except AppStartError as exc:
        pytest.fail(str(exc))


# --- what a user does in the browser ----------------------------------------------------


def _text(page: Any, text: str, timeout: int = 30_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def _sign_in(browser: Any, app_url: str, provider: str, sub: str) -> Any:
    """Sign ``sub`` in from a fresh page with no cookies; return the page, on the map."""
    browser.clear_cookies()
    page = browser.new_page()
    page.goto(f"{app_url}/?lang={LANG}", wait_until="domcontentloaded")
    _text(page, t("auth.sign_in_intro", LANG))
    page.get_by_role("button", name=t("auth.sign_in", LANG)).click()
    # The provider's own form: type the subject, authorize.
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=30_000)
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    # Back at the app's root (the callback drops the query), in a new session.
    page.goto(f"{app_url}/?lang={LANG}", wait_until="domcontentloaded")
    _signed_in_as(page, sub)
    return page


def _signed_in_as(page: Any, sub: str) -> None:
    claims = USERS[sub]
    role = {"visitors": "viewer", "zoning-editors": "planner", "gis-admins": "admin"}[
        claims["groups"][0]
    ]
    shown = t("auth.signed_in_as", LANG, who=claims["name"], role=t(f"role.{role}", LANG))
    _text(page, shown)


def _sign_out(page: Any, app_url: str) -> None:
    """Sign out in the sidebar; confirm on the provider's end-of-session page."""
    page.get_by_role("button", name=t("auth.sign_out", LANG)).click()
    page.wait_for_url(lambda u: not u.startswith(app_url), timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    # Back at the app's root, whose query (the language) the round trip dropped.
    either = "|".join(re.escape(t("auth.sign_in_intro", lang)) for lang in LANGS)
    page.get_by_text(re.compile(either)).first.wait_for(timeout=30_000)


def _nav_paths(page: Any) -> set[str]:
    nav = page.locator('[data-testid="stSidebarNav"] a')
    nav.first.wait_for(timeout=30_000)
    return {str(h).rstrip("/").rsplit("/", 1)[-1] for h in nav.evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )}  # fmt: skip


def _audit(store: Path, **filters: Any) -> list[tuple[str, str, str]]:
    with geo.store.open(store) as opened:
        log = opened.audit_log(**filters)
    return [(str(w), str(r), str(a)) for w, r, a in log[["who", "role", "action"]].to_numpy()]


def _download_csv(page: Any) -> list[dict[str, str]]:
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=t("admin.download", LANG)).click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# --- the tests ----------------------------------------------------------------------------


def test_viewer_planner_admin_through_the_provider(
    browser: Any, app_url: str, provider: str, store: Path
) -> None:
    # A viewer: reads the zone editor, may not change it, no admin page.
    page = _sign_in(browser, app_url, provider, "viewer-1")
    paths = _nav_paths(page)
    assert "zones" in paths
    assert "admin" not in paths
    page.goto(f"{app_url}/zones?lang={LANG}", wait_until="domcontentloaded")
    _text(page, t("auth.read_only", LANG, role=t("role.viewer", LANG)))
    _text(page, t("zones.history", LANG))
    for key in ("restore_note", "zone_note", "restore_version_2"):
        assert page.locator(f".st-key-{key}").count() == 0, key
    assert page.get_by_role("button", name=t("zones.restore", LANG)).count() == 0
    assert page.get_by_role("button", name=t("zones.save", LANG)).count() == 0
    # The page's restore path is not reachable; the same write made with the identity
    # this session was given (its sign-in row) is refused by the store and recorded.
    assert _audit(store, who=VIEWER) == [(VIEWER, "viewer", "sign_in")]
    with geo.store.open(store) as opened:
        with pytest.raises(geo.store.AccessDeniedError, match="may not change the store"):
            opened.restore(
                "zones", 1, actor=geo.store.Actor(VIEWER, "viewer"), note="forged", page="zones"
            )
        assert opened.current_version("zones") == 2
        refused = opened.audit_log(action="refused")
    assert refused[["who", "role", "layer", "page"]].to_numpy().tolist() == [
        [VIEWER, "viewer", "zones", "zones"]
    ]
    _sign_out(page, app_url)
    assert _audit(store, who=VIEWER)[0] == (VIEWER, "viewer", "sign_out")
    # Signed out for real: a new visit asks for the sign-in again.
    page.goto(f"{app_url}/zones?lang={LANG}", wait_until="domcontentloaded")
    _text(page, t("auth.sign_in_intro", LANG))
    assert page.get_by_text(t("zones.history", LANG)).count() == 0
    page.close()

    # A planner: restores version 1 and is recorded as its author; still no admin page.
    page = _sign_in(browser, app_url, provider, "planner-1")
    assert "admin" not in _nav_paths(page)
    page.goto(f"{app_url}/zones?lang={LANG}", wait_until="domcontentloaded")
    _text(page, t("auth.author_is_you", LANG, who=PLANNER))
    _text(page, t("zones.edit.check_if_restored", LANG, old=1))
    page.locator(".st-key-restore_note input").fill("back to the first outlines")
    page.get_by_role("button", name=t("zones.restore", LANG)).click()
    _text(page, t("zones.restored", LANG, old=1, version=3))
    with geo.store.open(store) as opened:
        history = opened.history("zones")
    assert history[["version", "author", "restored_from"]].iloc[-1].tolist() == [3, PLANNER, 1]
    assert _audit(store, who=PLANNER) == [
        (PLANNER, "planner", "restore"),
        (PLANNER, "planner", "sign_in"),
    ]
    page.close()

    # An admin: the audit page is offered and lists everything above, filtered, as CSV.
    page = _sign_in(browser, app_url, provider, "admin-1")
    assert "admin" in _nav_paths(page)
    page.goto(f"{app_url}/admin?lang={LANG}", wait_until="domcontentloaded")
    _text(page, t("admin.intro", LANG))
    everything = _audit(store)
    _text(page, t("admin.count", LANG, n=len(everything)))
    rows = _download_csv(page)
    who, action = t("audit.who", LANG), t("audit.action", LANG)
    listed = [(r[who], r[action]) for r in rows]
    assert listed == [(w, t(f"audit.action.{a}", LANG)) for w, _, a in everything]
    for event in [
        (VIEWER, "sign_in"), (VIEWER, "refused"), (VIEWER, "sign_out"),
        (PLANNER, "sign_in"), (PLANNER, "restore"), (ADMIN, "sign_in"),
    ]:  # fmt: skip
        assert (event[0], t(f"audit.action.{event[1]}", LANG)) in listed, event
    restore = next(r for r in rows if r[action] == t("audit.action.restore", LANG))
    assert (restore[t("audit.layer", LANG)], restore[t("audit.version", LANG)]) == ("zones", "3")
    assert restore[t("audit.page", LANG)] == "zones"
    # Filtered by user: the table and the download follow.
    page.locator(".st-key-audit_who input").fill("wang")
    page.locator(".st-key-audit_who input").press("Enter")
    _text(page, t("admin.count", LANG, n=2))
    assert {r[who] for r in _download_csv(page)} == {PLANNER}
    _sign_out(page, app_url)
    page.close()


def test_what_a_viewer_cannot_get_from_the_browser(
    browser: Any, app_url: str, provider: str, store: Path
) -> None:
    page = _sign_in(browser, app_url, provider, "viewer-1")
    # The admin page's URL, and the older ?page= link to it: the map, no audit trail.
    for url in (f"{app_url}/admin?lang={LANG}", f"{app_url}/?page=admin&lang={LANG}"):
        page.goto(url, wait_until="domcontentloaded")
        _signed_in_as(page, "viewer-1")
        _text(page, t("page.map", LANG))
        page.wait_for_timeout(1_500)  # the page has run: nothing of the admin page came
        assert page.get_by_text(t("admin.intro", LANG)).count() == 0
        assert page.get_by_role("button", name=t("admin.download", LANG)).count() == 0
        assert page.locator(".st-key-audit_table").count() == 0
    # The identity cookie edited to claim the admins' group: its signature no longer
    # matches, so the session is not signed in at all (and certainly not as an admin).
    cookies = {c["name"]: c for c in browser.cookies(app_url)}
    assert "_streamlit_user" in cookies, sorted(cookies)
    forged = _claim_admin(cookies["_streamlit_user"]["value"])
    browser.add_cookies([{**cookies["_streamlit_user"], "value": forged}])
    page.goto(f"{app_url}/?lang={LANG}", wait_until="domcontentloaded")
    _text(page, t("auth.sign_in_intro", LANG))
    assert page.get_by_role("button", name=t("auth.sign_out", LANG)).count() == 0
    assert not [r for r in _audit(store, action="sign_in") if r[1] == "admin" and r[0] == VIEWER]
    page.close()


def _claim_admin(cookie: str) -> str:
    """Return the signed cookie with ``groups`` changed to the admins' group, same signature.

    The cookie is ``itsdangerous``-style: ``[.]payload.timestamp.signature``, the payload
    URL-safe base64 of (zlib-compressed, when it starts with ``.``) JSON: a JSON text
    holding the claims as JSON.
    """
    compressed = cookie.startswith(".")
    payload, stamp, signature = cookie.lstrip(".").split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    outer = json.loads(zlib.decompress(raw) if compressed else raw)
    claims = json.loads(outer) if isinstance(outer, str) else outer
    assert claims["groups"] == ["visitors"], claims  # the claim is really in the cookie
    claims["groups"] = ["gis-admins"]
    text = json.dumps(json.dumps(claims) if isinstance(outer, str) else claims)
    body = zlib.compress(text.encode()) if compressed else text.encode()
    encoded = base64.urlsafe_b64encode(body).decode().rstrip("=")
    return f"{'.' if compressed else ''}{encoded}.{stamp}.{signature}"
