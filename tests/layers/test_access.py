"""Roles from identity claims (layers.access): mapping, malformed claims, the roles file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import geo.store
from geo import InputError
from layers import access
from layers.access import Identity, RoleConfig, load_roles, role_from_claims

CONFIG = RoleConfig(
    claim="groups", grants={"planners": "planner", "gis-admins": "admin", "editors": "planner"}
)


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"sub": "a", "groups": ["planners"]}, "planner"),
        ({"sub": "a", "groups": "gis-admins"}, "admin"),
        ({"sub": "a", "groups": ["planners", "gis-admins"]}, "admin"),
        ({"sub": "a", "groups": ["visitors"]}, "viewer"),
        ({"sub": "a", "groups": []}, "viewer"),
        ({"sub": "a"}, "viewer"),
        ({"sub": "a", "roles": ["gis-admins"]}, "viewer"),  # another claim than configured
        ({"sub": "a", "groups": ["Planners"]}, "viewer"),  # values match exactly
    ],
)
def test_role_mapping(claims: dict[str, object], role: str) -> None:
    assert role_from_claims(claims, CONFIG) == role


@pytest.mark.parametrize("bad", [42, {"planners": True}, ["planners", 3], [["gis-admins"]], 1.5])
def test_malformed_claim_is_a_viewer_with_a_warning(
    bad: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="nanchang.access"):
        role = role_from_claims({"sub": "u", "email": "x@bureau.cn", "groups": bad}, CONFIG)
    assert role == "viewer"
    warned = [r for r in caplog.records if r.name == "nanchang.access"]
    assert len(warned) == 1
    assert "x@bureau.cn" in warned[0].getMessage()
    assert "groups" in warned[0].getMessage()


def test_wellformed_claim_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="nanchang.access"):
        role_from_claims({"sub": "u", "groups": ["visitors"]}, CONFIG)
    assert not caplog.records


def test_identity_from_claims_id_is_email_else_subject() -> None:
    planner = Identity.from_claims(
        {"sub": "s-1", "email": "wang@bureau.cn", "name": "王工", "groups": ["planners"]}, CONFIG
    )
    assert (planner.id, planner.role, planner.source, planner.name) == (
        "wang@bureau.cn", "planner", "oidc", "王工",
    )  # fmt: skip
    assert planner.actor == geo.store.Actor("wang@bureau.cn", "planner")
    anonymous = Identity.from_claims({"sub": "s-2"}, CONFIG)
    assert (anonymous.id, anonymous.role) == ("s-2", "viewer")
    with pytest.raises(InputError, match="neither a subject"):
        Identity.from_claims({"groups": ["gis-admins"]}, CONFIG)


def test_may_write_and_admin_follow_the_role() -> None:
    def who(role: str) -> Identity:
        return Identity("s", None, None, role, "oidc")

    assert [access.may_write(who(r), "zones") for r in geo.store.ROLES] == [False, True, True]
    assert [access.may_admin(who(r)) for r in geo.store.ROLES] == [False, False, True]
    # The page's rule and the store's rule are the same rule.
    assert [who(r).actor.may_write for r in geo.store.ROLES] == [False, True, True]
    with pytest.raises(InputError, match="unknown"):
        who("superuser")


def test_local_user_is_an_admin_named_after_the_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access.getpass, "getuser", lambda: "zhao")
    me = Identity.local_user()
    assert (me.id, me.role, me.source) == ("zhao", "admin", "local")
    single = Identity.single_user()
    assert (single.role, single.source) == ("admin", "single_user")
    assert "zhao" in single.id
    assert "single-user" in single.id


def test_roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(
        "claim: roles\nroles:\n  admin: [gis-admins]\n  planner: [planners, gis-admins]\n",
        encoding="utf-8",
    )
    config = load_roles(path)
    assert config.claim == "roles"
    # A value listed under two roles gives the more trusted one.
    assert dict(config.grants) == {"gis-admins": "admin", "planners": "planner"}
    monkeypatch.setenv(access.ROLES_ENV_VAR, str(path))
    assert load_roles() == config


def test_no_roles_file_means_everyone_is_a_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(access.ROLES_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    config = load_roles()
    assert role_from_claims({"sub": "a", "groups": ["gis-admins"]}, config) == "viewer"
    # Named but missing is the operator's mistake, said as such.
    monkeypatch.setenv(access.ROLES_ENV_VAR, str(tmp_path / "nope.yaml"))
    with pytest.raises(InputError, match="does not exist"):
        load_roles()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("- a\n- b\n", "must be a mapping"),
        ("claim: groups\nrole: {}\n", "unknown keys"),
        ("claim: 3\n", "`claim` must be"),
        ("roles:\n  viewer: [x]\n", "cannot be granted"),
        ("roles:\n  root: [x]\n", "cannot be granted"),
        ("roles:\n  admin: {a: 1}\n", "must be a text or a list"),
        ("roles: [1\n", "cannot be read as YAML"),
        ("!!python/object/apply:os.system ['echo hi']\n", "cannot be read as YAML"),
    ],
)
def test_bad_roles_file_is_refused_with_its_name(tmp_path: Path, body: str, words: str) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=words) as caught:
        load_roles(path)
    assert str(path) in str(caught.value)
