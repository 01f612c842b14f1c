"""A GeoPackage store on a read-only file, folder or mount: readable, and writes refused clearly.

The reader runs in a subprocess without write permission: under root (who may write any
file) as the user ``nobody``, through ``setpriv``; otherwise as the current user, for whom
``chmod`` is enough. The file was written and closed normally before (WAL mode, no
``-wal``/``-shm`` left), as a store copied to a read-only share is.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

import geo.store as gs
from geo.messages import text as message

REPO = Path(__file__).resolve().parents[2]

READER = r"""
import contextlib, io, json, sys
import geo.store as gs
import geopandas as gpd
from shapely.geometry import Point
from geo.messages import in_lang
from layers.project import stored_zones_version
from zoning.cli import main

path, new, stale = sys.argv[1:4]
out = {}

def refused(name, action):
    try:
        action()
    except gs.StoreError as exc:
        out[name] = [type(exc).__name__, isinstance(exc, PermissionError),
                     in_lang(exc, "en"), in_lang(exc, "zh")]
    else:
        out[name] = None

with gs.open(path) as store:
    out["read_only"] = store.read_only
    out["layers"] = store.layers()
    out["versions"] = store.history("zones")["version"].tolist()
    out["names"] = store.read("zones", version=1)["名称"].tolist()
    data = gpd.GeoDataFrame({"名称": ["x"]}, geometry=[Point(115.9, 28.6)], crs="EPSG:4326")
    refused("write", lambda: store.write("zones", data, author="a", note="n"))
    refused("restore", lambda: store.restore("zones", 1, author="a", note="n", expected_version=2))
    refused("init", store.init)
    refused("scenario", lambda: store.save_scenario("s", author="a", note="n"))
out["zones_version"] = stored_zones_version(path)
refused("new", lambda: gs.open(new))
refused("stale", lambda: gs.open(stale))
for name, argv in {
    "cli_history": ["store", "history", "zones", "--store", path],
    "cli_restore": ["--lang", "zh", "store", "restore", "zones", "1", "--author", "a",
                    "--note", "n", "--store", path],
}.items():
    err, std = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        code = main(argv)
    out[name] = [code, std.getvalue(), err.getvalue()]
print(json.dumps(out, ensure_ascii=False))
"""


def points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"名称": [f"企业{k}" for k in range(n)]},
        geometry=[Point(115.9 + k / 100, 28.6) for k in range(n)],
        crs="EPSG:4326",
    )


def as_reader() -> list[str]:
    """The command prefix that runs a process without write permission on our files."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing: cannot drop root")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def place() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp_path is private to its user)."""
    top = Path(tempfile.mkdtemp(prefix="store-readonly-"))
    top.chmod(0o755)
    yield top
    for folder in [top, *(p for p in top.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    shutil.rmtree(top)


def lock(folder: Path) -> None:
    for file in folder.iterdir():
        file.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # 0444
    folder.chmod(0o555)


def test_a_read_only_store_reads_and_refuses_every_write_clearly(place: Path) -> None:
    shared = place / "share"
    shared.mkdir()
    path = shared / "project.gpkg"
    with gs.open(path) as store:
        store.write("zones", points(2), author="王工", note="初稿")
        store.write("zones", points(3), author="王工", note="第二稿")
    assert sorted(p.name for p in shared.iterdir()) == ["project.gpkg"]  # closed cleanly
    # A store whose -wal still holds a committed version (copied while it was open).
    stale = place / "stale"
    stale.mkdir()
    with gs.open(place / "live.gpkg") as store:
        store.write("zones", points(1), author="王工", note="未合并")
        shutil.copy(place / "live.gpkg", stale / "project.gpkg")
        shutil.copy(place / "live.gpkg-wal", stale / "project.gpkg-wal")
    assert (stale / "project.gpkg-wal").stat().st_size > 0
    lock(shared)
    lock(stale)
    run = subprocess.run(
        [*as_reader(), sys.executable, "-c", READER, str(path), str(shared / "new.gpkg"),
         str(stale / "project.gpkg")],
        capture_output=True, text=True, cwd=place, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO), "HOME": str(place)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    # Reading works: layers, history, any version, the version the app asks for.
    assert out["read_only"] is True
    assert out["layers"] == ["zones"]
    assert out["versions"] == [1, 2]
    assert out["names"] == ["企业0", "企业1"]
    assert out["zones_version"] == 2
    # Every write is refused, in both languages, saying why and what to do.
    for action, doing in {
        "write": message("geo.store.doing.save", layer="zones"),
        "restore": message("geo.store.doing.save", layer="zones"),
        "init": message("geo.store.doing.init"),
        "scenario": message("geo.store.doing.save_scenario", name="s"),
    }.items():
        said = message("geo.store.gpkg.read_only", path=path, doing=doing)
        assert out[action] == ["StoreReadOnlyError", True, said.en, said.zh], action
    assert "can be read but not changed" in out["write"][2]
    assert "只能读取，不能修改" in out["write"][3]
    new = message("geo.store.gpkg.read_only_folder", path=shared / "new.gpkg")
    assert out["new"] == ["StoreReadOnlyError", True, new.en, new.zh]
    wal = stale / "project.gpkg-wal"
    unmerged = message("geo.store.gpkg.read_only_wal", path=stale / "project.gpkg", wal=wal)
    assert out["stale"] == ["StoreReadOnlyError", True, unmerged.en, unmerged.zh]
    # The command line: history works, a restore exits 3 with the message in Chinese.
    code, shown, _ = out["cli_history"]
    assert code == 0
    assert "第二稿" in shown
    code, _, err = out["cli_restore"]
    assert code == 3
    assert err.startswith("zoning store restore: error: 无法在 ")
    assert "此处的项目库是只读的" in err
    # Nothing was written: the file is as it was (two versions), no new file appeared.
    assert sorted(p.name for p in shared.iterdir()) == ["project.gpkg"]
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as con:
        assert con.execute("SELECT count(*) FROM store_versions").fetchone()[0] == 2
    con.close()


def test_the_advice_for_an_unmerged_log_works(place: Path) -> None:
    # Opened where it can be written, the copy with its -wal reads every version.
    with gs.open(place / "live.gpkg") as store:
        store.write("zones", points(1), author="王工", note="未合并")
        copy = place / "copy"
        copy.mkdir()
        shutil.copy(place / "live.gpkg", copy / "project.gpkg")
        shutil.copy(place / "live.gpkg-wal", copy / "project.gpkg-wal")
    with gs.open(copy / "project.gpkg") as store:
        assert store.read_only is False
        assert store.history("zones")["note"].tolist() == ["未合并"]
