"""The project store: the same suite on a GeoPackage file and on a live PostGIS server.

The PostGIS server is real (``tests/_postgres.py`` starts one with initdb/pg_ctl and stops
it at the end). Writers that are killed, cut off or racing each other are real processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, Polygon

import geo.store as gs
from geo import InputError
from geo.store._base import PAUSE_ENV, PAUSE_FILE_ENV, PAUSE_POINTS
from tests._postgres import PostgresServer, find_binaries
from zoning.cli import main as zoning_main

REPO = Path(__file__).resolve().parents[2]
BACKENDS = ["gpkg", "postgis"]

# The content a writer process saves: every value follows from (tag, i), so the test can
# rebuild what each acknowledged version must contain. Shared with the subprocesses.
FRAME_SRC = """
import geopandas as gpd
import shapely

def frame(tag, i, n):
    x = [115.8 + 0.001 * k + 0.0001 * i for k in range(n)]
    y = [28.6 + 0.001 * k for k in range(n)]
    columns = {"tag": [tag] * n, "i": [i] * n, "k": list(range(n))}
    columns["名称"] = [f"{tag}企业{k}" for k in range(n)]
    return gpd.GeoDataFrame(columns, geometry=shapely.points(x, y), crs="EPSG:4326")
"""
_ns: dict[str, object] = {}
exec(FRAME_SRC, _ns)
frame = _ns["frame"]

WRITER_SRC = (
    FRAME_SRC
    + """
import json, sys
import geo.store as gs
target, layer, tag = sys.argv[1:4]
count, n = int(sys.argv[4]), int(sys.argv[5])
try:
    with gs.open(target, busy_timeout=60, statement_timeout=60) as store:
        for i in range(count):
            data = frame(tag, i, n)
            while True:
                try:
                    saved = store.write(layer, data, author=tag, note=f"{tag} {i}")
                    break
                except gs.StoreBusyError:
                    continue
            print(json.dumps({"version": saved.version, "i": i}), flush=True)
except gs.StoreError as exc:
    sys.stderr.write(f"{type(exc).__name__}: {exc}\\n")
    sys.exit(3)
"""
)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bindir, why = find_binaries()
    if bindir is None:
        pytest.skip(why)
    server = PostgresServer.start(bindir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ogrinfo() -> str:
    found = shutil.which("ogrinfo")
    if found is None:
        pytest.skip("ogrinfo is not installed: install the Debian package gdal-bin")
    return found


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store of each kind: a .gpkg path or a postgresql:// URL."""
    if request.param == "gpkg":
        return str(tmp_path / "project.gpkg")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture(autouse=True)
def _no_stray_writers() -> Iterator[None]:
    """Kill writer processes a failed test left behind (and close their pipes)."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


_STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture
def store(target: str) -> Iterator[gs.Store]:
    with gs.open(target) as opened:
        yield opened


def sample() -> gpd.GeoDataFrame:
    """Three features covering every column kind, nulls, Chinese text and odd geometries."""
    return gpd.GeoDataFrame(
        {
            "名称": ["南昌经开区", "小蓝·经开区 'quoted' \"x\"\n2", None],
            "count": np.array([1, -2, 2**40], dtype="int64"),
            "share": [0.1, np.nan, 1e-300],
            "ok": [True, False, True],
            "maybe": pd.array([1, None, 3], dtype="Int64"),
            "when": pd.to_datetime(
                ["2024-01-01 10:00:00.123456", "1999-12-31 23:59:59.000000", None]
            ),
            "when_cn": pd.to_datetime(
                ["2024-05-01 08:00:00", None, "2023-09-09 00:00:00"]
            ).tz_localize("Asia/Shanghai"),
        },
        geometry=[
            Point(115.9, 28.68),
            Polygon(
                [(115, 28), (116, 28), (116, 29), (115, 29)],
                [[(115.4, 28.4), (115.6, 28.4), (115.5, 28.6)]],
            ),
            None,
        ],
        crs="EPSG:4326",
    )


def _start_writer(
    target: str, layer: str, tag: str, tmp: Path, *, count: int = 1, n: int = 50,
    pause: str | None = None,
) -> subprocess.Popen[str]:  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop(PAUSE_ENV, None)
    if pause is not None:
        env[PAUSE_ENV] = pause
        env[PAUSE_FILE_ENV] = str(tmp / f"{tag}.ready")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER_SRC, target, layer, tag, str(count), str(n)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp,
    )
    _STARTED.append(proc)
    return proc


def _wait_ready(proc: subprocess.Popen[str], ready: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None:
            pytest.fail(f"writer exited early ({proc.returncode}): {proc.stderr.read()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("writer never reached its pause point")
        time.sleep(0.02)


# ---------------------------------------------------------------- the interface


def test_round_trip_keeps_values_types_and_order(store: gs.Store):
    data = sample()
    store.write("zones_drawn", data, author="王工", note="首次绘制")
    back = store.read("zones_drawn")
    assert_geodataframe_equal(back, data)
    assert back.crs.to_epsg() == 4326
    assert store.layers() == ["zones_drawn"]


def test_input_is_not_mutated_and_named_index_comes_back(store: gs.Store):
    data = sample().set_index("名称")
    before = data.copy()
    store.write("areas", data, author="a", note="n")
    assert_geodataframe_equal(data, before)
    assert_geodataframe_equal(store.read("areas"), data)


def test_other_crs_is_converted_to_wgs84(store: gs.Store):
    metric = sample().to_crs("EPSG:4548")
    store.write("metric", metric, author="a", note="n")
    back = store.read("metric")
    assert back.crs.to_epsg() == 4326
    expected = metric.to_crs("EPSG:4326")
    assert_geodataframe_equal(back, expected, check_less_precise=True)


def test_empty_layer_and_empty_geometries(store: gs.Store):
    empty = sample().iloc[0:0]
    store.write("nothing", empty, author="a", note="n")
    assert len(store.read("nothing")) == 0
    odd = gpd.GeoDataFrame({"v": [1, 2]}, geometry=[Point(), Polygon()], crs="EPSG:4326")
    store.write("odd", odd, author="a", note="n")
    back = store.read("odd")
    assert back.geometry.is_empty.all()
    assert back["v"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (gpd.GeoDataFrame({"v": [1]}, geometry=[Point(1, 2)]), ["no CRS", "set_crs"]),
        (
            gpd.GeoDataFrame({"v": [(1, 2)]}, geometry=[Point(1, 2)], crs=4326),
            ["'v'", "tuple", "astype(str)"],
        ),
        (gpd.GeoDataFrame({"FID": [1]}, geometry=[Point(1, 2)], crs=4326), ["'FID'", "rename"]),
        (
            gpd.GeoDataFrame({"x": [np.inf]}, geometry=[Point(1, 2)], crs=4326),
            ["'x'", "infinite"],
        ),
        (pd.DataFrame({"v": [1]}), ["GeoDataFrame"]),
    ],
)
def test_unusable_data_is_refused_with_a_clear_message(store: gs.Store, bad, words):
    with pytest.raises(InputError) as info:
        store.write("layer_a", bad, author="a", note="n")
    for word in words:
        assert word in str(info.value)
    assert store.layers() == []


@pytest.mark.parametrize("name", ["Zones", "1zones", "store_x", "a__history", "区", ""])
def test_bad_layer_names_are_refused(store: gs.Store, name: str):
    with pytest.raises(InputError, match="layer name"):
        store.write(name, sample(), author="a", note="n")


def test_author_and_note_are_required(store: gs.Store):
    with pytest.raises(InputError, match="author"):
        store.write("layer_a", sample(), author=" ", note="n")
    with pytest.raises(InputError, match="note"):
        store.write("layer_a", sample(), author="a", note="")


def test_history_lists_every_version_with_who_when_why(store: gs.Store):
    data = sample()
    before = pd.Timestamp.now(tz="UTC").floor("s")
    store.write("zones_drawn", data, author="王工", note="初稿")
    store.write("zones_drawn", data.iloc[:2], author="李工", note="删去无名区")
    hist = store.history("zones_drawn")
    assert hist["version"].tolist() == [1, 2]
    assert hist["author"].tolist() == ["王工", "李工"]
    assert hist["note"].tolist() == ["初稿", "删去无名区"]
    assert hist["feature_count"].tolist() == [3, 2]
    assert hist["parent_version"].tolist() == [pd.NA, 1]
    assert str(hist["created_at"].dt.tz) == "UTC"
    assert (hist["created_at"] >= before).all()
    assert hist["created_at"].is_monotonic_increasing


def test_every_past_version_reads_back_as_written(store: gs.Store):
    versions = [sample(), sample().iloc[[2, 0]], sample().iloc[:1]]
    for k, data in enumerate(versions):
        store.write("zones_drawn", data, author="a", note=f"v{k}")
    for k, data in enumerate(versions, start=1):
        assert_geodataframe_equal(store.read("zones_drawn", version=k), data.reset_index(drop=True))
    assert_geodataframe_equal(store.read("zones_drawn"), versions[-1].reset_index(drop=True))


def test_restore_adds_a_version_and_deletes_nothing(store: gs.Store):
    first, second = sample(), sample().iloc[:1]
    store.write("zones_drawn", first, author="a", note="v1")
    store.write("zones_drawn", second, author="b", note="v2")
    saved = store.restore("zones_drawn", 1, author="c", note="撤回")
    assert saved.version == 3
    assert saved.restored_from == 1
    assert_geodataframe_equal(store.read("zones_drawn"), first)
    assert_geodataframe_equal(store.read("zones_drawn", version=2), second.reset_index(drop=True))
    hist = store.history("zones_drawn")
    assert hist["version"].tolist() == [1, 2, 3]
    assert hist["restored_from"].tolist() == [pd.NA, pd.NA, 1]


def test_unknown_layer_and_version_name_what_exists(store: gs.Store):
    store.write("zones_drawn", sample(), author="a", note="n")
    with pytest.raises(gs.LayerNotFoundError, match="zones_drawn"):
        store.read("nope")
    with pytest.raises(gs.LayerNotFoundError, match="1-1"):
        store.read("zones_drawn", version=5)
    with pytest.raises(gs.LayerNotFoundError):
        store.history("nope")


def test_saving_over_a_replaced_version_is_refused_naming_who_and_when(store: gs.Store):
    store.write("zones_drawn", sample(), author="王工", note="初稿")
    mine = store.read("zones_drawn")
    theirs = store.write("zones_drawn", sample().iloc[:1], author="李工", note="抢先修改")
    with pytest.raises(gs.ConflictError) as info:
        store.write(
            "zones_drawn", mine.iloc[:2], author="王工", note="我的修改", expected_version=1
        )
    text = str(info.value)
    assert "李工" in text
    assert f"{theirs.created_at:%Y-%m-%d %H:%M:%S}" in text
    assert store.current_version("zones_drawn") == 2
    ok = store.write("zones_drawn", mine, author="王工", note="重做", expected_version=2)
    assert ok.version == 3
    with pytest.raises(gs.ConflictError):
        store.write("new_layer", mine, author="a", note="n", expected_version=1)
    assert store.write("new_layer", mine, author="a", note="n", expected_version=0).version == 1


def test_scenarios_pin_layer_versions_and_rules(store: gs.Store):
    store.write("zones_drawn", sample(), author="a", note="as is")
    store.write("zones_drawn", sample().iloc[:1], author="a", note="as drawn")
    store.write("sites", sample().iloc[1:], author="a", note="sites")
    as_is = store.save_scenario(
        "plan as is", {"zones_drawn": 1}, rules="areas: []", author="王工", note="现状"
    )
    drawn = store.save_scenario("plan as drawn", author="王工", note="规划")
    assert dict(drawn.layer_versions) == {"sites": 1, "zones_drawn": 2}
    assert [s.name for s in store.scenarios()] == ["plan as is", "plan as drawn"]
    got = store.scenario("plan as is")
    assert (got.rules, dict(got.layer_versions), got.author) == (
        "areas: []",
        {"zones_drawn": 1},
        "王工",
    )
    layers = store.read_scenario("plan as is")
    assert_geodataframe_equal(layers["zones_drawn"], sample())
    assert as_is.created_at <= drawn.created_at
    with pytest.raises(gs.ConflictError, match="王工"):
        store.save_scenario("plan as is", author="b", note="again")
    with pytest.raises(gs.LayerNotFoundError):
        store.save_scenario("bad", {"zones_drawn": 9}, author="b", note="n")
    with pytest.raises(gs.LayerNotFoundError):
        store.scenario("missing")


def test_versions_survive_reopening(target: str):
    with gs.open(target) as store:
        store.write("zones_drawn", sample(), author="a", note="n")
    with gs.open(target) as store:
        assert_geodataframe_equal(store.read("zones_drawn"), sample())
        assert store.current_version("zones_drawn") == 1


# ---------------------------------------------------------------- processes


@pytest.mark.slow
@pytest.mark.parametrize("point", PAUSE_POINTS)
def test_writer_killed_mid_write_leaves_previous_version_intact(
    target: str, tmp_path: Path, point: str
):
    first = frame("first", 0, 30)
    with gs.open(target) as store:
        store.write("sites", first, author="first", note="v1")
    proc = _start_writer(target, "sites", "killed", tmp_path, n=300, pause=point)
    _wait_ready(proc, tmp_path / "killed.ready")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if not target.startswith("postgresql"):
        with sqlite3.connect(target) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # What GIS software sees is the previous version too, not a half-written one.
        seen = pyogrio.read_dataframe(target, layer="sites")
        assert seen["tag"].tolist() == ["first"] * 30
        assert seen.geometry.geom_equals(first.geometry).all()
    with gs.open(target) as store:
        assert store.current_version("sites") == 1
        assert_geodataframe_equal(store.read("sites"), first)
        # The lock died with the writer: the next write goes through.
        assert store.write("sites", frame("next", 1, 5), author="n", note="v2").version == 2
        assert_geodataframe_equal(store.read("sites", version=1), first)
    if not target.startswith("postgresql"):
        current = pyogrio.read_dataframe(target, layer="sites")
        assert current["tag"].tolist() == ["next"] * 5


@pytest.mark.slow
def test_concurrent_writers_lose_and_corrupt_nothing(target: str, tmp_path: Path):
    count, n = 6, 40
    with gs.open(target) as store:
        store.write("sites", frame("seed", 0, 3), author="seed", note="v1")
    procs = {
        tag: _start_writer(target, "sites", tag, tmp_path, count=count, n=n) for tag in ("a", "b")
    }
    acknowledged: dict[int, tuple[str, int]] = {}
    for tag, proc in procs.items():
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            record = json.loads(line)
            assert record["version"] not in acknowledged
            acknowledged[record["version"]] = (tag, record["i"])
    assert len(acknowledged) == 2 * count
    with gs.open(target) as store:
        hist = store.history("sites")
        assert hist["version"].tolist() == list(range(1, 2 * count + 2))
        for version, (tag, i) in acknowledged.items():
            assert_geodataframe_equal(store.read("sites", version=version), frame(tag, i, n))
        assert (hist["parent_version"].iloc[1:].to_numpy() == hist["version"].iloc[:-1]).all()
    if not target.startswith("postgresql"):
        with sqlite3.connect(target) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_second_writer_gets_busy_retry_while_a_write_is_held(target: str, tmp_path: Path):
    with gs.open(target) as store:
        store.write("sites", frame("first", 0, 3), author="first", note="v1")
    proc = _start_writer(target, "sites", "holder", tmp_path, pause="after_features")
    ready = tmp_path / "holder.ready"
    _wait_ready(proc, ready)
    try:
        with gs.open(target, busy_timeout=0.3, statement_timeout=0.5) as store:
            assert_geodataframe_equal(store.read("sites"), frame("first", 0, 3))
            with pytest.raises(gs.StoreBusyError, match="busy, retry") as info:
                store.write("sites", frame("late", 0, 3), author="late", note="v?")
            assert isinstance(info.value, TimeoutError)
    finally:
        (tmp_path / "holder.ready.go").touch()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    with gs.open(target) as store:
        assert store.history("sites")["author"].tolist() == ["first", "holder"]


# ---------------------------------------------------------------- GeoPackage specifics


def test_geopackage_is_standard_and_opens_in_gdal(tmp_path: Path, ogrinfo: str):
    path = tmp_path / "project.gpkg"
    with gs.open(path) as store:
        store.write("zones_drawn", sample(), author="a", note="v1")
        store.write("zones_drawn", sample().iloc[:2], author="a", note="v2")
        store.write("sites", frame("s", 0, 4), author="a", note="v1")
    names = dict(pyogrio.list_layers(path).tolist())
    assert names["zones_drawn"] is not None
    assert names["sites"] == "Point"
    current = pyogrio.read_dataframe(path, layer="zones_drawn")
    assert current.crs.to_epsg() == 4326
    assert current["名称"].tolist() == ["南昌经开区", sample()["名称"][1]]
    assert current.geometry.geom_equals(sample().geometry.iloc[:2]).all()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = con.execute("SELECT count(*) FROM rtree_zones_drawn_geom").fetchone()[0]
        assert rows == 2
    out = subprocess.run(
        [ogrinfo, "-so", "-q", str(path)], capture_output=True, text=True, check=True
    )
    assert "zones_drawn" in out.stdout
    assert "sites (Point)" in out.stdout
    index = subprocess.run(
        [ogrinfo, "-q", str(path), "-sql", "SELECT HasSpatialIndex('sites', 'geom')"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "= 1" in index.stdout


def test_geopackage_rtree_follows_edits_made_in_gis_software(tmp_path: Path, ogrinfo: str):
    path = tmp_path / "project.gpkg"
    with gs.open(path) as store:
        store.write("sites", frame("s", 0, 4), author="a", note="v1")
    # GDAL (as QGIS does) moves a feature: the standard triggers must keep the index right.
    moved = pyogrio.read_dataframe(path, layer="sites", fid_as_index=True)
    moved.loc[moved.index[0], "geometry"] = Point(100.0, 20.0)
    pyogrio.write_dataframe(moved.iloc[:1], path, layer="sites_moved")
    subprocess.run(
        [ogrinfo, "-q", str(path), "-sql",
         "UPDATE sites SET geom = (SELECT geom FROM sites_moved LIMIT 1) WHERE fid = 1"],
        capture_output=True, check=True,
    )  # fmt: skip
    with sqlite3.connect(path) as con:
        box = con.execute("SELECT minx, maxx FROM rtree_sites_geom WHERE id = 1").fetchone()
    assert box[0] <= 100.0 <= box[1]


def test_geopackage_never_overwrites_a_table_it_did_not_write(tmp_path: Path):
    path = tmp_path / "shared.gpkg"
    theirs = frame("theirs", 0, 3)
    pyogrio.write_dataframe(theirs, path, layer="sites")
    with gs.open(path) as store, pytest.raises(gs.ConflictError, match="did not write"):
        store.write("sites", frame("mine", 0, 3), author="a", note="n")
    assert pyogrio.read_dataframe(path, layer="sites")["tag"].tolist() == ["theirs"] * 3


def test_not_a_geopackage_is_reported(tmp_path: Path):
    path = tmp_path / "notes.gpkg"
    path.write_text("not a database, just text " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="not a usable GeoPackage"):
        gs.open(path)


# ---------------------------------------------------------------- PostGIS specifics


def test_postgis_columns_are_typed_and_indexed(pg_server: PostgresServer):
    url = pg_server.new_database()
    with gs.open(url) as store:
        store.write("zones_drawn", sample(), author="a", note="v1")
        store.write("zones_drawn", sample().iloc[:2], author="a", note="v2")
    with psycopg.connect(url) as con:
        cols = con.execute(
            "SELECT f_table_name, srid, type FROM geometry_columns ORDER BY f_table_name"
        ).fetchall()
        assert cols == [
            ("zones_drawn", 4326, "GEOMETRY"),
            ("zones_drawn__history", 4326, "GEOMETRY"),
        ]
        index = con.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'zones_drawn__history'"
        ).fetchall()
        assert any("USING gist (geom)" in row[0] for row in index)
        # The typed view shows the current version to GIS clients.
        rows = con.execute('SELECT "名称", count, ok, ST_SRID(geom) FROM zones_drawn ORDER BY fid')
        assert rows.fetchall() == [
            ("南昌经开区", 1, True, 4326),
            (sample()["名称"][1], -2, False, 4326),
        ]


def test_dropped_connection_mid_write_rolls_back_and_says_so(
    pg_server: PostgresServer, tmp_path: Path
):
    url = pg_server.new_database()
    first = frame("first", 0, 10)
    with gs.open(url) as store:
        store.write("sites", first, author="first", note="v1")
    proc = _start_writer(url, "sites", "cut", tmp_path, n=100, pause="after_features")
    _wait_ready(proc, tmp_path / "cut.ready")
    with psycopg.connect(url, autocommit=True) as con:
        killed = con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'geo.store' AND state = 'idle in transaction'"
        ).fetchall()
    assert killed == [(True,)]
    (tmp_path / "cut.ready.go").touch()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert "StoreConnectionError" in err
    assert "rolled back" in err
    with gs.open(url) as store:
        assert store.current_version("sites") == 1
        assert_geodataframe_equal(store.read("sites"), first)


def test_passwords_never_appear_in_errors(pg_server: PostgresServer):
    dead_port = pg_server.port + 1 if pg_server.port < 65000 else pg_server.port - 1
    url = f"postgresql://planner:s3cret@127.0.0.1:{dead_port}/nanchang"
    with pytest.raises(gs.StoreConnectionError) as info:
        gs.open(url)
    text = "".join(traceback.format_exception(info.type, info.value, info.tb))
    assert "s3cret" not in text
    assert "127.0.0.1" in text
    # A working server (trust authentication ignores the password): repr and messages.
    live = pg_server.new_database().replace("postgres@", "postgres:s3cret@")
    with gs.open(live, statement_timeout=0.5) as store:
        assert "s3cret" not in repr(store)
        assert "s3cret" not in store.target
        with pytest.raises(gs.LayerNotFoundError) as missing:
            store.read("nope")
        assert "s3cret" not in str(missing.value)
    assert "s3cret" not in gs.redact(live)
    assert "s3cret" not in gs.redact("mysql://u:s3cret@h/db")


@pytest.mark.parametrize(
    ("credentials", "query", "secret"),
    [
        ("", "?password=QueryPW", "QueryPW"),
        ("planner@", "?password=Other", "Other"),
        ("planner@", "?sslmode=prefer&sslpassword=KeyPW&passfile=/home/wang/.pgpass", "KeyPW"),
    ],
)
def test_passwords_in_the_query_string_never_appear(
    pg_server: PostgresServer,
    capsys: pytest.CaptureFixture[str],
    credentials: str,
    query: str,
    secret: str,
):
    dead_port = pg_server.port + 1 if pg_server.port < 65000 else pg_server.port - 1
    url = f"postgresql://{credentials}127.0.0.1:{dead_port}/nanchang{query}"
    with pytest.raises(gs.StoreConnectionError) as info:
        gs.open(url)
    text = "".join(traceback.format_exception(info.type, info.value, info.tb))
    assert secret not in text
    assert "127.0.0.1" in text
    assert "***" in str(info.value)
    assert ".pgpass" not in text
    capsys.readouterr()
    assert _cli("store", "layers", "--store", url) == 3
    err = capsys.readouterr().err
    assert secret not in err
    assert "127.0.0.1" in err
    redacted = gs.redact(url)
    assert secret not in redacted
    assert ".pgpass" not in redacted
    assert f"127.0.0.1:{dead_port}/nanchang" in redacted
    # A working server (trust authentication ignores the password): repr, target, output.
    live = pg_server.new_database() + query
    with gs.open(live) as store:
        assert secret not in repr(store)
        assert secret not in store.target
        assert "***" in store.target
    assert _cli("store", "layers", "--store", live) == 0
    out = capsys.readouterr().out
    assert "no layers" in out
    assert secret not in out


def test_postgis_url_that_is_not_postgresql_is_refused():
    with pytest.raises(gs.StoreError, match="neither"):
        gs.open("mysql://u:s3cret@h/db")
    with pytest.raises(gs.StoreError, match="neither") as info:
        gs.open("mysql://u@h/db?password=QueryPW")
    assert "QueryPW" not in str(info.value)
    assert "password=***" in str(info.value)


# ---------------------------------------------------------------- command line


def _cli(*argv: str) -> int:
    return zoning_main(list(argv))


def test_cli_history_and_restore(target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = tmp_path / "drawn.geojson"
    pyogrio.write_dataframe(frame("cli", 0, 3).drop(columns="名称"), source)
    assert _cli("store", "init", "--store", target) == 0
    assert _cli("store", "import", str(source), "--layer", "zones_drawn", "--author", "王工",
                "--note", "导入", "--store", target) == 0  # fmt: skip
    smaller = frame("cli", 1, 2).drop(columns="名称")
    with gs.open(target) as store:
        store.write("zones_drawn", smaller, author="李工", note="改小")
    capsys.readouterr()
    assert _cli("store", "layers", "--store", target) == 0
    out = capsys.readouterr().out
    assert "zones_drawn" in out
    assert "李工" in out
    assert _cli("store", "restore", "zones_drawn", "1", "--author", "王工", "--note", "恢复",
                "--store", target) == 0  # fmt: skip
    assert _cli("store", "history", "zones_drawn", "--store", target) == 0
    out = capsys.readouterr().out
    assert "恢复" in out
    assert "改小" in out
    with gs.open(target) as store:
        hist = store.history("zones_drawn")
        assert hist["version"].tolist() == [1, 2, 3]
        back = store.read("zones_drawn")
        assert back["k"].astype(int).tolist() == [0, 1, 2]
    out_file = tmp_path / "v2.geojson"
    assert _cli("store", "export", "zones_drawn", "--out", str(out_file), "--version", "2",
                "--store", target) == 0  # fmt: skip
    exported = pyogrio.read_dataframe(out_file)
    assert len(exported) == 2
    assert exported.geometry.geom_equals_exact(smaller.geometry, 1e-9).all()


@pytest.mark.parametrize(
    "argv",
    [
        ["history", "nope"],
        ["restore", "zones_drawn", "9", "--author", "a", "--note", "n"],
        ["import", "missing.geojson", "--layer", "x", "--author", "a", "--note", "n"],
        ["export", "nope", "--out", "x.geojson"],
    ],
)
def test_cli_unusable_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
):
    target = str(tmp_path / "p.gpkg")
    with gs.open(target) as store:
        store.write("zones_drawn", frame("x", 0, 2), author="a", note="n")
    capsys.readouterr()
    assert _cli("store", *argv, "--store", target) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_busy_store_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    target = str(tmp_path / "p.gpkg")
    with gs.open(target) as store:
        store.write("zones_drawn", frame("x", 0, 2), author="a", note="n")
    holder = sqlite3.connect(target, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        os.environ["NANCHANG_STORE"] = target
        code = _cli("store", "restore", "zones_drawn", "1", "--author", "a", "--note", "n")
    finally:
        del os.environ["NANCHANG_STORE"]
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 3
    assert "busy, retry" in capsys.readouterr().err


# ---------------------------------------------------------------- import boundary


def test_geo_does_not_load_the_store_and_gpkg_does_not_load_sqlalchemy(tmp_path: Path):
    code = (
        "import sys, geo\n"
        "assert 'geo.store' not in sys.modules\n"
        "import geo.store\n"
        f"geo.store.open({str(tmp_path / 'p.gpkg')!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'psycopg'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_store_is_always_named():
    # geo has no default store: the tool's default lives in layers.settings.
    with pytest.raises(TypeError):
        gs.open()  # type: ignore[call-arg]
