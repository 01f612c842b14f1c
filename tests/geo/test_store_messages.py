"""The project store speaks the user's language: every error carries English and Chinese.

Each error is produced for real (a GeoPackage file, a throwaway PostGIS server, a closed
port), never constructed by hand; the catalogue's keys are recorded as the store uses them,
so a message that no test produces is noticed.
"""

from __future__ import annotations

import itertools
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
from shapely.geometry import Point

import geo.store as gs
import layers
from geo import InputError
from geo._messages_store import STORE
from geo.messages import Text, in_lang
from geo.messages import text as message
from geo.store import _access, _base, _encoding, _gpkg, _postgis
from geo.store._base import PAUSE_ENV, PAUSE_FILE_ENV
from layers.i18n import error_text
from layers.project import ZONES_LAYER, open_project
from tests._postgres import PostgresServer, find_binaries

CJK = re.compile(r"[\u4e00-\u9fff]")
SECRET = "s3cret"
# Fragments (filled into other messages) and the PostGIS family, checked by their own test.
FRAGMENTS = {k for k in STORE if k.startswith(("geo.store.doing.", "geo.store.name."))}
PG_KEYS = {k for k in STORE if k.startswith("geo.store.pg.")}
# A read-only store needs a reader without write permission (another user under root):
# produced in a subprocess by tests/geo/test_store_readonly.py, each one checked there.
READ_ONLY_KEYS = {k for k in STORE if k.startswith("geo.store.gpkg.read_only")}
_ROLES = itertools.count(1)
# Both back ends name the time of a save the same way.
SAVED_AT = re.compile(r"王工 于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC 保存")


# ---------------------------------------------------------------- helpers and fixtures


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PostgresServer]:
    bindir, why = find_binaries()
    if bindir is None:
        pytest.skip(why)  # under CI=true the suite's conftest turns this into a failure
    server = PostgresServer.start(bindir)
    yield server
    server.stop()


@pytest.fixture
def keys_used(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Record every catalogue key the store fills while the test runs."""
    used: set[str] = set()

    def recording(key: str, /, **values: object) -> Text:
        used.add(key)
        return message(key, **values)

    for module in (gs, _access, _base, _encoding, _gpkg, _postgis):
        monkeypatch.setattr(module, "text", recording)
    return used


def both(error: BaseException) -> Text:
    """Return an error's two texts, checking they are complete and really two languages."""
    texts = getattr(error, "text", None)
    assert isinstance(texts, Text), f"{error!r} carries no Chinese text"
    assert texts.en == str(error)
    assert CJK.search(texts.zh), texts.zh
    assert texts.zh != texts.en
    assert in_lang(error, "zh") == error_text(error, "zh") == texts.zh
    assert in_lang(error, "en") == texts.en
    for lang in (texts.en, texts.zh):
        assert SECRET not in lang
        assert "Text(" not in lang  # a fragment formatted whole instead of in one language
    return texts


def catch(kind: type[BaseException], action: Callable[[], object]) -> BaseException:
    with pytest.raises(kind) as caught:
        action()
    return caught.value


def points(n: int = 2, **columns: object) -> gpd.GeoDataFrame:
    data = {"名称": [f"企业{k}" for k in range(n)], **columns}
    return gpd.GeoDataFrame(
        data, geometry=[Point(115.9 + k / 100, 28.6) for k in range(n)], crs="EPSG:4326"
    )


def save(store: gs.Store, layer: str, data: object) -> None:
    store.write(layer, data, author="a", note="n")


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- GeoPackage, one by one


def test_a_concurrent_save_is_refused_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "project.gpkg"
    with gs.open(path) as mine, gs.open(path) as theirs:
        mine.write("zones_drawn", points(), author="王工", note="初稿")
        started = mine.current_version("zones_drawn")
        saved = theirs.write("zones_drawn", points(1), author="李工", note="抢先修改")
        error = catch(
            gs.ConflictError,
            lambda: mine.write(
                "zones_drawn", points(3), author="王工", note="我的修改", expected_version=started
            ),
        )
    zh = both(error).zh
    assert zh.startswith(
        "无法保存图层“zones_drawn”：您是在第 1 版的基础上修改的，但他人已保存了新版本"
    )
    assert f"李工 于 {saved.created_at:%Y-%m-%d %H:%M:%S} UTC 保存了第 2 版（抢先修改）" in zh
    assert zh.endswith("请刷新后重做您的修改，再重新保存")
    # The English is unchanged, word for word.
    assert str(error).startswith("cannot save layer 'zones_drawn': you started from version 1")


def test_an_unknown_layer_and_version_are_named_in_chinese(tmp_path: Path) -> None:
    with gs.open(tmp_path / "p.gpkg") as store:
        empty = catch(gs.LayerNotFoundError, lambda: store.read("zones"))
        store.write("zones_drawn", points(), author="a", note="n")
        store.write("sites", points(), author="a", note="n")
        missing = catch(gs.LayerNotFoundError, lambda: store.history("zones"))
        version = catch(gs.LayerNotFoundError, lambda: store.read("sites", version=7))
    assert both(empty).zh.endswith("中没有图层“zones”（现有图层：无）")
    assert both(missing).zh.endswith("中没有图层“zones”（现有图层：sites、zones_drawn）")
    assert str(missing).endswith("(layers: sites, zones_drawn)")
    assert "没有第 7 版；现有版本为第 1-1 版" in both(version).zh
    with gs.open(tmp_path / "p.gpkg") as store:
        store.save_scenario("按图实施", author="王工", note="n")
        taken = catch(
            gs.ConflictError, lambda: store.save_scenario("按图实施", author="李", note="n")
        )
    assert SAVED_AT.search(both(taken).zh), both(taken).zh
    assert both(taken).zh.endswith("方案不会被覆盖：请换一个名称")


def test_an_unusable_file_a_folder_and_a_busy_store_in_chinese(tmp_path: Path) -> None:
    notes = tmp_path / "笔记.gpkg"
    notes.write_text("not a database, just text " * 100, encoding="utf-8")
    unusable = catch(InputError, lambda: gs.open(notes))
    assert both(unusable).zh.startswith(f"{notes} 不是可用的 GeoPackage/SQLite 文件：")
    folder = catch(InputError, lambda: gs.open(tmp_path))
    assert both(folder).zh == f"项目库 {tmp_path} 是一个文件夹；请给出 .gpkg 文件的路径"
    path = tmp_path / "p.gpkg"
    gs.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with gs.open(path, busy_timeout=0.2) as store:
            busy = catch(
                gs.StoreBusyError, lambda: store.write("sites", points(), author="a", note="n")
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(busy, TimeoutError)
    assert both(busy).zh == (
        f"项目库正忙，请稍后重试：另一个进程正在写入 {path}（保存图层“sites”时已等待 0.2 秒）；"
        "本次没有写入任何内容"
    )


def test_a_url_of_another_database_keeps_its_password_hidden_in_both_languages() -> None:
    error = catch(gs.StoreError, lambda: gs.open(f"mysql://u:{SECRET}@h/db?password=Q"))
    texts = both(error)
    assert texts.zh == (
        "项目库“mysql://u:***@h/db?password=***”既不是 GeoPackage 文件路径，"
        "也不是 postgresql:// 网址；请给出 .gpkg 文件路径或 postgresql:// 数据库网址"
    )


# ---------------------------------------------------------------- the battery


def _gpkg_battery(tmp_path: Path) -> list[BaseException]:
    """Every refusal the GeoPackage store and the shared checks can give, produced for real."""
    errors: list[BaseException] = []
    path = tmp_path / "battery.gpkg"
    with gs.open(path) as store:
        bad_data = [
            points(2).set_crs(None, allow_override=True),  # no CRS
            points(2, t=[(1, 2), (3, 4)]),  # tuples
            points(2, c=pd.Categorical(["a", "b"])),  # a dtype the store cannot keep
            points(2, x=[1.0, float("inf")]),  # infinity
            points(2, FID=[1, 2], Ab=[1, 2], aB=[1, 2], **{" ": [1, 2]}),  # names
            points(2, other=gpd.GeoSeries([Point(1, 2)] * 2, crs=4326)),  # two geometries
            gpd.GeoDataFrame({"a": [1]}),  # no geometry column
            pd.DataFrame({"a": [1]}),  # not a GeoDataFrame
        ]
        errors.extend(catch(InputError, partial(save, store, "a", d)) for d in bad_data)
        errors.extend(
            catch(InputError, partial(save, store, n, points())) for n in ("Zones", "x__history")
        )
        errors.append(catch(InputError, lambda: store.write("a", points(), author=" ", note="n")))
        errors.append(catch(gs.LayerNotFoundError, lambda: store.read("nope")))
        store.write("zones_drawn", points(), author="王工", note="初稿")
        errors.append(catch(gs.LayerNotFoundError, lambda: store.read("zones_drawn", version=3)))
        errors.append(
            catch(
                gs.ConflictError,
                lambda: store.write(
                    "zones_drawn", points(), author="a", note="n", expected_version=0
                ),
            )
        )
        errors.append(
            catch(
                gs.ConflictError,
                lambda: store.write("fresh", points(), author="a", note="n", expected_version=2),
            )
        )
        errors.append(
            catch(
                gs.ConflictError,
                lambda: store.restore("zones_drawn", 1, author="a", note="n", expected_version=0),
            )
        )
        errors.append(catch(InputError, lambda: store.save_scenario(" ", author="a", note="n")))
        errors.append(
            catch(
                gs.LayerNotFoundError,
                lambda: store.save_scenario("方案", {"zones_drawn": 9}, author="a", note="n"),
            )
        )
        errors.append(catch(gs.LayerNotFoundError, lambda: store.scenario("无此方案")))
        store.save_scenario("按图实施", author="王工", note="n")
        errors.append(
            catch(
                gs.ConflictError, lambda: store.save_scenario("按图实施", author="李工", note="n")
            )
        )
    # A table another program wrote, where the store would put a layer.
    gdal = tmp_path / "gdal.gpkg"
    points().to_file(gdal, layer="sites", engine="pyogrio")
    with gs.open(gdal) as store:
        errors.append(
            catch(gs.ConflictError, lambda: store.write("sites", points(), author="a", note="n"))
        )
    # A file whose store_versions table is another program's: reading it fails.
    foreign = tmp_path / "foreign.gpkg"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE store_versions (x INTEGER)")
    con.close()
    with gs.open(foreign) as store:
        errors.append(catch(gs.StoreError, lambda: store.history("zones")))
    # Busy, an unusable file, a folder, a URL that is neither, and no WAL (an in-memory file).
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with gs.open(path, busy_timeout=0.1) as store:
            errors.append(
                catch(
                    gs.StoreBusyError,
                    lambda: store.write("zones_drawn", points(), author="a", note="n"),
                )
            )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    notes = tmp_path / "notes.gpkg"
    notes.write_bytes(b"not a database " * 100)
    errors.append(catch(InputError, lambda: gs.open(notes)))
    errors.append(catch(InputError, lambda: gs.open(tmp_path)))
    errors.append(catch(gs.StoreError, lambda: gs.open("mysql://u@h/db")))
    errors.append(catch(gs.StoreError, lambda: gs.open(":memory:")))
    # Who acts (issue 14): a viewer's write, an unknown role, a bad id, a wrong actor.
    with gs.open(path) as store:
        viewer = gs.Actor("guest@bureau.cn", "viewer")
        errors.append(
            catch(gs.AccessDeniedError, lambda: store.write("x", points(), actor=viewer, note="n"))
        )
        errors.append(catch(InputError, lambda: gs.Actor("a", "root")))
        errors.append(catch(InputError, lambda: gs.Actor(" ", "viewer")))
        errors.append(
            catch(InputError, lambda: store.write("x", points(), actor="a", note="n"))  # type: ignore[arg-type]
        )
        errors.append(
            catch(
                InputError,
                lambda: store.write("x", points(), actor=viewer, author="a", note="n"),
            )
        )
        errors.append(
            catch(InputError, lambda: store.write("x", points(), author="a", note="n", action="x"))
        )
        errors.append(catch(InputError, lambda: store.audit(viewer, "delete")))
    return errors


def test_every_store_error_is_in_chinese(tmp_path: Path, keys_used: set[str]) -> None:
    errors = _gpkg_battery(tmp_path)
    assert len(errors) >= 25
    for error in errors:
        both(error)
    # Every message of the store except the PostGIS ones (their own test) was produced.
    assert set(STORE) - FRAGMENTS - PG_KEYS - READ_ONLY_KEYS - keys_used == set()
    kinds = {type(e) for e in errors}
    assert {InputError, gs.StoreError, gs.StoreBusyError, gs.ConflictError} <= kinds
    assert gs.LayerNotFoundError in kinds


def test_column_name_problems_are_listed_in_each_language(tmp_path: Path) -> None:
    with gs.open(tmp_path / "p.gpkg") as store:
        error = catch(
            InputError,
            lambda: store.write(
                "a", points(2, FID=[1, 2], Ab=[1, 2], aB=[1, 2]), author="a", note="n"
            ),
        )
    texts = both(error)
    assert "'FID' (used by the store itself); 'aB' and 'Ab' (same name ignoring case)" in texts.en
    assert "“FID”（为项目库自身所用）；“aB”和“Ab”（不区分大小写时同名）" in texts.zh


# ---------------------------------------------------------------- PostGIS


def _role(server: PostgresServer, database: str) -> str:
    """Create a login role without special rights; return the database URL as that role."""
    role = f"planner_{next(_ROLES)}"
    with psycopg.connect(server.url("postgres"), autocommit=True) as con:
        con.execute(f"CREATE ROLE {role} LOGIN")
    return server.url(database).replace("postgres@", f"{role}:{SECRET}@")


def test_postgis_urls_and_a_dead_server_in_chinese(keys_used: set[str]) -> None:
    # No server needed: a closed port refuses at once.
    url = f"postgresql://planner:{SECRET}@127.0.0.1:{closed_port()}/nanchang"
    refused = catch(gs.StoreConnectionError, lambda: gs.open(url))
    zh = both(refused).zh
    assert zh.startswith("无法连接数据库 postgresql://planner:***@127.0.0.1:")
    assert "未能初始化项目库" in zh
    assert zh.endswith("请检查网址、网络以及数据库服务器是否在运行，然后重试")
    bad = catch(InputError, lambda: gs.open(f"postgresql://u:{SECRET}@h:port/db"))
    assert both(bad).zh.startswith("“postgresql://u:***@h:port/db”不是数据库网址")
    other = catch(InputError, lambda: _postgis.PostGISStore(f"mysql://u:{SECRET}@h/db"))
    assert both(other).zh.startswith("项目库网址“mysql://u:***@h/db”不是 postgresql:// 网址")
    assert {
        "geo.store.pg.connect",
        "geo.store.pg.not_url",
        "geo.store.pg.not_postgresql",
    } <= keys_used


@pytest.mark.slow
def test_postgis_errors_in_chinese(
    pg_server: PostgresServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keys_used: set[str],
) -> None:
    errors: list[BaseException] = []
    url = pg_server.new_database()
    live = url.replace("postgres@", f"postgres:{SECRET}@")  # trust: the password is ignored
    with gs.open(live) as mine, gs.open(live, statement_timeout=0.5) as theirs:
        mine.write("sites", points(), author="王工", note="初稿")
        theirs.write("sites", points(1), author="李工", note="抢先修改")
        conflict = catch(
            gs.ConflictError,
            lambda: mine.write("sites", points(3), author="王工", note="n", expected_version=1),
        )
        assert "但他人已保存了新版本：李工 于" in both(conflict).zh
        errors.append(conflict)
        missing = catch(gs.LayerNotFoundError, lambda: mine.read("zones"))
        assert "postgresql://postgres:***@127.0.0.1" in both(missing).zh
        errors.append(missing)
        mine.save_scenario("按图实施", author="王工", note="n")
        taken = catch(
            gs.ConflictError, lambda: theirs.save_scenario("按图实施", author="李工", note="n")
        )
        assert SAVED_AT.search(both(taken).zh), both(taken).zh
        errors.append(taken)
        # Busy: another session holds the layer's lock past the statement timeout.
        with psycopg.connect(url) as holder:
            holder.execute("SELECT pg_advisory_xact_lock(hashtext('geo.store:layer:sites'))")
            busy = catch(
                gs.StoreBusyError, lambda: theirs.write("sites", points(), author="a", note="n")
            )
            holder.rollback()
        assert both(busy).zh.startswith("数据库正忙，请稍后重试：保存图层“sites”时，")
        assert both(busy).zh.endswith("本次写入已回滚，没有保存任何内容。")
        errors.append(busy)
        with psycopg.connect(url, autocommit=True) as con:
            con.execute("CREATE TABLE roads (id integer)")
        errors.append(
            catch(gs.ConflictError, lambda: mine.write("roads", points(), author="a", note="n"))
        )
        # The connection is cut in the middle of a write.
        ready = tmp_path / "cut.ready"
        monkeypatch.setenv(PAUSE_ENV, "after_features")
        monkeypatch.setenv(PAUSE_FILE_ENV, str(ready))
        cutter = threading.Thread(target=_cut_when_ready, args=(url, ready), daemon=True)
        cutter.start()
        lost = catch(
            gs.StoreConnectionError, lambda: mine.write("sites", points(), author="a", note="n")
        )
        cutter.join(timeout=60)
        monkeypatch.delenv(PAUSE_ENV)
        zh = both(lost).zh
        assert zh.startswith("保存图层“sites”时与数据库 postgresql://postgres:***@")
        assert "本次写入已回滚" in zh
        assert zh.endswith("请检查数据库服务器后重试。")
        errors.append(lost)
        assert mine.current_version("sites") == 2
    # A user who may not create tables, and a database without PostGIS.
    fresh = pg_server.new_database().rsplit("/", 1)[1]
    denied = catch(gs.StoreError, lambda: gs.open(_role(pg_server, fresh)))
    assert both(denied).zh.startswith("数据库 postgresql://planner_")
    assert "：无法初始化项目库：" in both(denied).zh
    errors.append(denied)
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as con:
        con.execute("CREATE DATABASE no_postgis")
    plain = catch(gs.StoreError, lambda: gs.open(_role(pg_server, "no_postgis")))
    assert both(plain).zh.endswith(
        "未安装 PostGIS，当前用户也无权安装：请联系管理员执行 CREATE EXTENSION postgis"
    )
    errors.append(plain)
    for error in errors:
        both(error)
    assert PG_KEYS - keys_used <= {
        "geo.store.pg.connect",
        "geo.store.pg.not_url",
        "geo.store.pg.not_postgresql",
    }


def _cut_when_ready(url: str, ready: Path) -> None:
    """Terminate the writer's connection once it waits inside its transaction."""
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'geo.store' AND state = 'idle in transaction'"
        )
    ready.with_name(ready.name + ".go").touch()


# ---------------------------------------------------------------- the project


def test_project_problems_carry_both_languages(tmp_path: Path) -> None:
    url = f"postgresql://planner:{SECRET}@127.0.0.1:{closed_port()}/nanchang"
    project = open_project(url, synthetic=0)
    problem = project.store_problem
    assert isinstance(problem, Text)
    assert problem.zh.startswith("无法连接数据库 postgresql://planner:***@")
    assert problem.en.startswith("cannot connect to postgresql://planner:***@")
    assert SECRET not in problem.zh + problem.en
    assert project.zones_version is None  # the shipped zones are used
    # Stored zones without a zone the rules name: the areas fall back, and say why.
    store = tmp_path / "p.gpkg"
    zones = layers.zones()
    with gs.open(store) as opened:
        opened.write(ZONES_LAYER, zones[zones["zone_id"] != "nc_etdz"], author="王工", note="删去")
    project = open_project(store, synthetic=0)
    assert project.zones_version == 1
    problem = project.zones_problem
    assert isinstance(problem, Text)
    assert CJK.search(problem.zh)
    assert problem.zh != problem.en
    assert "nc_etdz" in problem.zh
    assert project.store_problem is None
