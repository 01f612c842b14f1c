"""The streamed check (zoning.stream): same verdicts as zoning.check, skips, failures, resume."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import layers
import zoning
from zoning.cli import main
from zoning.stream import check_dataset

N = 200_000
COLUMNS = ["verdict", "verdict_at_point", "area", "rule", "reason_zh", "reason_en"]


@pytest.fixture(autouse=True)
def _no_store(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "none.gpkg"))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, gpd.GeoDataFrame]:
    """Seven files in Nanchang (2e5 firms) and one entirely far away (8 in all)."""
    folder = tmp_path_factory.mktemp("registry")
    firms = layers.synthetic_enterprises(N, seed=7)[["id", "segment", "precision_m", "geometry"]]
    firms.loc[firms.index[::997], "geometry"] = None  # unlocated rows travel too
    for i, rows in enumerate(np.array_split(np.arange(N), 7)):
        firms.iloc[rows].to_parquet(folder / f"part{i}.parquet", write_covering_bbox=True)
    far = firms.iloc[:500].copy()
    far["geometry"] = gpd.points_from_xy(np.full(500, 10.0), np.linspace(50, 51, 500), crs=4326)
    far.to_parquet(folder / "far.parquet", write_covering_bbox=True)
    return folder, firms


@pytest.fixture(scope="module")
def expected(dataset) -> gpd.GeoDataFrame:
    return zoning.check(dataset[1])


class Spy:
    """Wraps the real reader and records which files it was asked to read."""

    def __init__(self, fail_once: str | None = None) -> None:
        self.read: list[str] = []
        self.fail_once = fail_once

    def __call__(self, path: str):
        from zoning._stream_io import read_parquet_arrays

        self.read.append(Path(path).name)
        if self.fail_once and Path(path).name == self.fail_once:
            self.fail_once = None
            raise OSError("transient read error")
        return read_parquet_arrays(path)


def _results(out: Path) -> pd.DataFrame:
    files = sorted(out.glob("part*.parquet"), key=lambda p: int(p.stem[4:]))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def _assert_same(got: pd.DataFrame, expected: gpd.GeoDataFrame) -> None:
    assert len(got) == len(expected)
    assert got["id"].tolist() == expected["id"].tolist()
    for col in COLUMNS:
        want = expected[col]
        if col == "area":
            want = want.map(",".join)
        assert got[col].astype(str).tolist() == want.astype(str).tolist(), col


def test_in_process_matches_check_and_skips_far_file_unread(dataset, expected, tmp_path) -> None:
    folder, firms = dataset
    spy = Spy()
    result = check_dataset(folder, None, tmp_path / "out", reader=spy)
    assert "far.parquet" not in spy.read
    assert sorted(spy.read) == [f"part{i}.parquet" for i in range(7)]
    assert result.skipped == ("far.parquet",)
    assert result.skipped_rows == 500
    assert not (tmp_path / "out" / "far.parquet").exists()
    _assert_same(_results(tmp_path / "out"), expected)
    # The summary adds up to the rows and agrees with the in-memory analysis.
    assert result.rows == N
    assert result.verdicts == expected["verdict"].value_counts().to_dict()
    in_none = expected["area"].map(len) == 0
    assert result.counts.loc[result.counts["area"] == "", "n"].sum() == in_none.sum()
    lq = zoning.location_quotients(firms)
    pd.testing.assert_frame_equal(result.location_quotients, lq)
    summary = json.loads((tmp_path / "out" / "_summary.json").read_text(encoding="utf-8"))
    assert summary["rows"] == N
    assert summary["skipped"] == ["far.parquet"]


def test_local_cluster_matches_check(dataset, expected, tmp_path) -> None:
    folder, _ = dataset
    result = check_dataset(folder, None, tmp_path / "out", workers=2)
    assert result.failed == {}
    assert result.skipped == ("far.parquet",)
    assert len(result.checked) == 7
    _assert_same(_results(tmp_path / "out"), expected)


def _arrow_threads() -> int:
    import pyarrow

    return int(pyarrow.cpu_count())


def test_existing_scheduler_gets_single_threaded_workers(dataset, expected, tmp_path) -> None:
    import pyarrow as pa
    from dask import distributed

    # Workers running three Arrow threads: the run must bring them down to one. (Set on
    # the worker itself: what a new worker inherits from the environment depends on how
    # the test process started its other child processes.)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, dashboard_address=None, processes=True
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.run(pa.set_cpu_count, 3)
        assert set(client.run(_arrow_threads).values()) == {3}
        result = check_dataset(
            dataset[0], None, tmp_path / "out", scheduler=cluster.scheduler_address
        )
        assert set(client.run(_arrow_threads).values()) == {1}
    assert result.failed == {}
    assert 0 < result.startup_seconds < result.seconds
    _assert_same(_results(tmp_path / "out"), expected)


def test_failed_partition_is_reported_others_complete(dataset, expected, tmp_path) -> None:
    folder, _ = dataset
    copy = tmp_path / "in"
    shutil.copytree(folder, copy)
    (copy / "broken.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    spy = Spy(fail_once="part3.parquet")  # a transient failure: retried, then fine
    result = check_dataset(copy, None, tmp_path / "out", reader=spy, retries=1)
    assert list(result.failed) == ["broken.parquet"]
    assert spy.read.count("part3.parquet") == 2
    assert len(result.checked) == 7
    _assert_same(_results(tmp_path / "out"), expected)


def test_failure_without_retries_is_reported(dataset, tmp_path) -> None:
    folder, _ = dataset
    spy = Spy(fail_once="part3.parquet")
    result = check_dataset(folder, None, tmp_path / "out", reader=spy, retries=0)
    assert list(result.failed) == ["part3.parquet"]
    assert "transient read error" in result.failed["part3.parquet"]
    assert len(result.checked) == 6


def test_rerun_resumes(dataset, tmp_path) -> None:
    folder, _ = dataset
    out = tmp_path / "out"
    first = check_dataset(folder, None, out)
    (out / "part5.parquet").unlink()
    spy = Spy()
    again = check_dataset(folder, None, out, reader=spy)
    assert spy.read == ["part5.parquet"]
    assert again.checked == ("part5.parquet",)
    assert len(again.resumed) == 6
    pd.testing.assert_frame_equal(again.counts, first.counts)
    pd.testing.assert_frame_equal(again.location_quotients, first.location_quotients)


def test_csv_in_chunks_matches_check(tmp_path) -> None:
    from geo.io import read, write
    from layers.settings import extent

    firms = layers.synthetic_enterprises(3000, seed=2)
    write(firms, tmp_path / "firms.csv")
    result = check_dataset(tmp_path / "firms.csv", None, tmp_path / "out", chunk_rows=1000)
    assert result.checked == ("firms.csv#0", "firms.csv#1", "firms.csv#2")
    got = pd.concat(
        [pd.read_parquet(tmp_path / "out" / f"firms-part{i:05d}.parquet") for i in range(3)],
        ignore_index=True,
    )
    whole = zoning.check(read(tmp_path / "firms.csv", extent=extent()).data)
    _assert_same(got, whole)


def test_cli_dataset(dataset, tmp_path, capsys) -> None:
    folder, _ = dataset
    copy = tmp_path / "in"
    copy.mkdir()
    for name in ("part0.parquet", "far.parquet"):
        shutil.copy(folder / name, copy / name)
    assert main(["check", str(copy), "--out-dir", str(tmp_path / "out"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["checked"] == ["part0.parquet"]
    assert out["skipped"] == ["far.parquet"]
    (copy / "bad.parquet").write_bytes(b"not parquet")
    assert main(["check", str(copy / "*.parquet"), "--out-dir", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "bad.parquet" in captured.err
    assert "1 already done" in captured.out


def test_cli_dataset_needs_out_dir(dataset, capsys) -> None:
    assert main(["check", str(dataset[0])]) == 2
    assert "--out-dir" in capsys.readouterr().err
