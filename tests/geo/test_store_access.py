"""Roles enforced where data is written, and the audit trail (issue 14), in both back ends.

The PostGIS server is real (``tests/_postgres.py``); under CI=true its absence fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import geo.store as gs
from geo.messages import in_lang
from tests._postgres import PostgresServer, find_binaries

VIEWER = gs.Actor("guest@bureau.cn", "viewer")
PLANNER = gs.Actor("wang@bureau.cn", "planner")
ADMIN = gs.Actor("li@bureau.cn", "admin")


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PostgresServer]:
    bindir, why = find_binaries()
    if bindir is None:
        pytest.skip(why)
    server = PostgresServer.start(bindir)
    yield server
    server.stop()


@pytest.fixture(params=["gpkg", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[gs.Store]:
    if request.param == "gpkg":
        target = str(tmp_path / "project.gpkg")
    else:
        target = request.getfixturevalue("pg_server").new_database()
    with gs.open(target) as opened:
        yield opened


def points(n: int = 2) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(n)]},
        geometry=shapely.points([115.9 + 0.01 * i for i in range(n)], [28.7] * n),
        crs="EPSG:4326",
    )


def test_viewer_is_refused_every_write_and_nothing_is_written(store: gs.Store) -> None:
    store.write("zones", points(), actor=PLANNER, note="first")
    store.write("zones", points(3), actor=PLANNER, note="second")
    before = store.history("zones")
    attempts = {
        "write": lambda: store.write("zones", points(9), actor=VIEWER, note="forged"),
        "new layer": lambda: store.write("mine", points(), actor=VIEWER, note="forged"),
        "import": lambda: store.write(
            "zones", points(9), actor=VIEWER, note="forged", action="import"
        ),
        "restore": lambda: store.restore("zones", 1, actor=VIEWER, note="forged"),
        "scenario": lambda: store.save_scenario("plan", actor=VIEWER, note="forged"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(gs.AccessDeniedError) as caught:
            attempt()
        assert isinstance(caught.value, PermissionError), what
        said = in_lang(caught.value, "zh")
        assert "guest@bureau.cn" in said
        assert "查看者" not in said
        assert "无权修改" in said
        assert "only planners and admins" in str(caught.value)
    # Nothing changed: same versions, no new layer, no scenario.
    assert store.history("zones").equals(before)
    assert store.layers() == ["zones"]
    assert store.scenarios() == []
    refused = store.audit_log(action="refused")
    assert len(refused) == len(attempts)
    assert set(refused["who"]) == {"guest@bureau.cn"}
    assert set(refused["role"]) == {"viewer"}


def test_author_is_the_actor_and_every_write_is_audited(store: gs.Store) -> None:
    saved = store.write("zones", points(), actor=PLANNER, note="东区边界", page="zones")
    imported = store.write(
        "zones", points(3), actor=ADMIN, note="批复边界", action="import", page="cli"
    )
    restored = store.restore("zones", 1, actor=PLANNER, note="撤回", page="zones")
    store.save_scenario("按图实施", actor=ADMIN, note="n", page="zones")
    assert (saved.author, imported.author, restored.author) == (
        "wang@bureau.cn", "li@bureau.cn", "wang@bureau.cn",
    )  # fmt: skip
    assert store.history("zones")["author"].tolist() == [
        "wang@bureau.cn", "li@bureau.cn", "wang@bureau.cn",
    ]  # fmt: skip
    assert store.scenario("按图实施").author == "li@bureau.cn"
    log = store.audit_log()
    assert list(log.columns) == list(gs.AUDIT_COLUMNS)
    # Newest first; each write's row names its version and page, at the version's time.
    assert log["action"].tolist() == ["scenario", "restore", "import", "save"]
    assert log["version"].tolist()[1:] == [3, 2, 1]
    assert log["page"].tolist() == ["zones", "zones", "cli", "zones"]
    assert log["who"].tolist() == ["li@bureau.cn", "wang@bureau.cn", "li@bureau.cn",
                                   "wang@bureau.cn"]  # fmt: skip
    assert log["at"].iloc[-1] == store.history("zones")["created_at"].iloc[0]
    assert str(log["at"].dt.tz) == "UTC"


def test_sign_in_events_and_filters(store: gs.Store) -> None:
    store.audit(VIEWER, "sign_in", page="map")
    store.audit(PLANNER, "sign_in", page="map")
    store.write("zones", points(), actor=PLANNER, note="n")
    store.audit(PLANNER, "sign_out", page="zones")
    assert len(store.audit_log()) == 4
    assert store.audit_log(who="WANG")["action"].tolist() == ["sign_out", "save", "sign_in"]
    assert store.audit_log(action=["sign_in", "sign_out"])["who"].tolist() == [
        "wang@bureau.cn", "wang@bureau.cn", "guest@bureau.cn",
    ]  # fmt: skip
    assert store.audit_log(layer="zones")["action"].tolist() == ["save"]
    today = datetime.now(UTC).date()
    assert len(store.audit_log(since=today, until=today)) == 4
    assert store.audit_log(since=today + timedelta(days=1)).empty
    assert store.audit_log(until=today - timedelta(days=1)).empty
    with pytest.raises(ValueError, match="audit action"):
        store.audit(VIEWER, "delete_everything")


def test_trusted_author_acts_as_admin(store: gs.Store) -> None:
    saved = store.write("zones", points(), author="王工", note="脚本导入")
    assert saved.author == "王工"
    row = store.audit_log().iloc[0]
    assert (row["who"], row["role"], row["action"]) == ("王工", "admin", "save")


def test_a_store_from_before_the_audit_trail_gets_one(tmp_path: Path) -> None:
    path = tmp_path / "old.gpkg"
    with gs.open(path) as store:
        store.write("zones", points(), author="a", note="n")
    with sqlite3.connect(path) as con:
        con.execute("DROP TABLE store_audit")
    con.close()
    with gs.open(path) as store:
        assert store.audit_log().empty
        store.write("zones", points(), actor=PLANNER, note="n")
        assert store.audit_log()["who"].tolist() == ["wang@bureau.cn"]
        assert store.history("zones")["version"].tolist() == [1, 2]
