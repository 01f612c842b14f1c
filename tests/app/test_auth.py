"""Sign-in, roles and the audit trail in the app (issue 14), through Streamlit's AppTest.

The signed-in user is seeded with ``AppTest.user`` (what ``st.user`` returns after an
OpenID Connect sign-in); the end-to-end flow with a real provider is in
``test_auth_e2e.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import geo.store
import layers
from layers import access
from layers.access import Identity
from layers.i18n import Lang, t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-secret-not-used-for-anything-real",
    "client_id": "nanchang",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
USERS = {
    "viewer": {"sub": "v-1", "email": "guest@bureau.cn", "groups": ["visitors"]},
    "planner": {"sub": "p-1", "email": "wang@bureau.cn", "name": "王工", "groups": ["planners"]},
    "admin": {"sub": "a-1", "email": "li@bureau.cn", "groups": ["gis-admins", "planners"]},
}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with zones at version 2, and a roles file mapping the test's groups."""
    path = tmp_path / "project.gpkg"
    monkeypatch.setenv("NANCHANG_STORE", str(path))
    roles = tmp_path / "roles.yaml"
    roles.write_text("claim: groups\nroles:\n  admin: [gis-admins]\n  planner: [planners]\n")
    monkeypatch.setenv(access.ROLES_ENV_VAR, str(roles))
    zones = layers.zones()
    with geo.store.open(path) as opened:
        opened.write("zones", zones, author="王工", note="第一版")
        opened.write("zones", zones, author="王工", note="第二版")
    return path


def app(lang: Lang, *, user: str | None = None, auth: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = {"is_logged_in": True, **USERS[user]}
    elif auth is not None:
        at.user = {"is_logged_in": False}
    at.run()
    return at


def texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]
    return "\n".join(str(p.value) for p in parts).replace("\\", "")


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_single_user_mode_says_so_on_every_page(store: Path, lang: Lang) -> None:
    at = app(lang)
    banner = t("auth.single_user", lang)
    for page in ("map", "check", "gaps", "site", "zones", "data", "admin"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert [w.value for w in at.warning].count(banner) == 1, page
    # Everyone may edit: the restore form is there, and the author is the single user.
    at.switch_page("app_pages/zones.py").run()
    at.selectbox(key="restore_version_2").set_value(1).run()
    at.text_input(key="restore_note").input("撤回")
    button(at, t("zones.restore", lang)).click().run()
    with geo.store.open(store) as opened:
        assert opened.history("zones")["author"].iloc[-1] == Identity.single_user().id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_auth_without_cookie_secret_refuses_to_start(store: Path, lang: Lang) -> None:
    at = app(lang, auth={k: v for k, v in AUTH.items() if k != "cookie_secret"}, user="admin")
    assert [e.value for e in at.error] == [t("auth.no_cookie_secret", lang)]
    assert not at.title  # no page ran
    with geo.store.open(store) as opened:
        assert opened.audit_log(action="sign_in").empty


def test_signed_out_sees_only_the_sign_in_button(store: Path) -> None:
    at = app("en", auth=AUTH)
    assert [b.label for b in at.button] == [t("auth.sign_in", "en")]
    assert not at.title
    assert not at.warning  # not the single-user banner


def test_viewer_sees_no_save_or_restore_and_is_audited(store: Path) -> None:
    at = app("zh", auth=AUTH, user="viewer")
    assert t("auth.signed_in_as", "zh", who="guest@bureau.cn", role="查看者") in texts(at)
    at.switch_page("app_pages/zones.py").run()
    assert not at.exception, at.exception
    assert t("auth.read_only", "zh", role="查看者") in texts(at)
    keys = {w.key for w in (*at.text_input, *at.text_area, *at.selectbox)}
    assert not {"restore_note", "zone_note", "restore_version_2"} & keys
    assert t("zones.restore", "zh") not in [b.label for b in at.button]
    # The admin page is not even registered for a viewer's session.
    with pytest.raises(ValueError, match=r"admin\.py"):
        at.switch_page("app_pages/admin.py")
    with geo.store.open(store) as opened:
        log = opened.audit_log(action="sign_in")
    assert log[["who", "role"]].to_numpy().tolist() == [["guest@bureau.cn", "viewer"]]


def test_a_viewer_shown_the_form_by_mistake_is_refused_by_the_store(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page bug (or a forged request reaching the save path) with a viewer's session: the
    # store, not the page, is what refuses.
    monkeypatch.setattr(access, "may_write", lambda *_: True)
    at = app("en", auth=AUTH, user="viewer")
    at.switch_page("app_pages/zones.py").run()
    at.selectbox(key="restore_version_2").set_value(1).run()
    at.text_input(key="restore_note").input("forged")
    button(at, t("zones.restore", "en")).click().run()
    assert not at.exception, at.exception
    assert "guest@bureau.cn (role viewer) may not change the store" in texts(at)
    with geo.store.open(store) as opened:
        assert opened.current_version("zones") == 2
        refused = opened.audit_log(action="refused")
    assert refused[["who", "layer", "page"]].to_numpy().tolist() == [
        ["guest@bureau.cn", "zones", "zones"]
    ]


def test_planner_restores_as_themselves(store: Path) -> None:
    at = app("en", auth=AUTH, user="planner")
    at.switch_page("app_pages/zones.py").run()
    assert t("auth.author_is_you", "en", who="wang@bureau.cn") in texts(at)
    at.selectbox(key="restore_version_2").set_value(1).run()
    at.text_input(key="restore_note").input("undo")
    button(at, t("zones.restore", "en")).click().run()
    assert not at.exception, at.exception
    with geo.store.open(store) as opened:
        assert opened.history("zones")["author"].iloc[-1] == "wang@bureau.cn"
        actions = opened.audit_log(who="wang")["action"].tolist()
    assert actions == ["restore", "sign_in"]  # one sign-in for the whole session
    # Not an admin: no audit page.
    with pytest.raises(ValueError, match=r"admin\.py"):
        at.switch_page("app_pages/admin.py")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_sees_and_downloads_the_audit_trail(store: Path, lang: Lang) -> None:
    with geo.store.open(store) as opened:
        opened.audit(geo.store.Actor("=cmd|' /C calc'!A0", "viewer"), "sign_in", page="map")
    at = app(lang, auth=AUTH, user="admin")
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    who = table[t("audit.who", lang)].tolist()
    assert who[:2] == ["li@bureau.cn", "=cmd|' /C calc'!A0"]
    assert "王工" in who  # the two writes of the fixture
    at.text_input(key="audit_who").input("li@").run()
    assert at.dataframe[0].value[t("audit.action", lang)].tolist() == [
        t("audit.action.sign_in", lang)
    ]
    at.text_input(key="audit_who").input("").run()
    at.multiselect(key="audit_actions").set_value(["save"]).run()
    assert len(at.dataframe[0].value) == 2
    # The download is formula-safe.
    csv = at.get("download_button")[0].proto.url  # served by the media manager
    assert csv
    from app_pages.admin import audit_view
    from geo.io import formula_safe

    with geo.store.open(store) as opened:
        view = formula_safe(audit_view(opened.audit_log(action="sign_in"), lang))
    assert "'=cmd|' /C calc'!A0" in view[t("audit.who", lang)].tolist()
    assert isinstance(view, pd.DataFrame)
