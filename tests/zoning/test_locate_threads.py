"""The nearest-boundary searches' threads follow zoning.settings.locate_threads.

The effect is observed, not mocked: the process's native threads (``/proc/self/status``)
are sampled while :func:`zoning._locate.locate` runs a large search, and a Dask worker's
setting is read back from the worker after a streamed check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import layers
import zoning
from zoning import settings
from zoning._common import working_shapes
from zoning._locate import locate
from zoning.stream import check_dataset

STATUS = Path("/proc/self/status")
COLUMNS = ["verdict", "verdict_at_point", "rule", "reason_zh", "reason_en"]


@pytest.fixture(autouse=True)
def _no_store(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "none.gpkg"))
    monkeypatch.delenv(settings.LOCATE_THREADS_ENV_VAR, raising=False)


def _threads() -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads: line in /proc/self/status")


def _extra_threads(run: Callable[[], object]) -> tuple[int, object]:
    """Return the most threads alive beyond those before ``run`` while it ran, and its result."""
    stop = threading.Event()
    seen: list[int] = []

    def watch() -> None:
        while not stop.is_set():
            seen.append(_threads())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        while not seen:  # the watcher itself is counted in the baseline
            stop.wait(0.001)
        before = _threads()
        result = run()
    finally:
        stop.set()
        watcher.join()
    return max(seen) - before, result


@pytest.fixture(scope="module")
def search() -> Callable[[], object]:
    """A direct search of 300,000 points with 3 km precision: one large KD-tree query."""
    areas = layers.areas()
    rng = np.random.default_rng(5)
    lon0, lat0, lon1, lat1 = areas.total_bounds
    n = 300_000
    lon, lat = rng.uniform(lon0, lon1, n), rng.uniform(lat0, lat1, n)
    prec = np.full(n, 3000.0)
    shapes, working = areas.geometry.to_numpy(), working_shapes(areas)
    locate(lon[:10], lat[:10], prec[:10], shapes, working, use_grid=False)  # warm caches

    def run() -> object:
        return locate(lon, lat, prec, shapes, working, use_grid=False)

    return run


@pytest.mark.skipif(not STATUS.exists(), reason="needs Linux /proc to count threads")
def test_the_search_uses_the_threads_set(search, monkeypatch) -> None:
    monkeypatch.setattr(settings, "locate_threads", 1)
    one, (inside1, near1) = _extra_threads(search)
    monkeypatch.setattr(settings, "locate_threads", 3)
    three, (inside3, near3) = _extra_threads(search)
    assert one == 0
    assert three >= 2  # scipy starts its workers for the query
    np.testing.assert_array_equal(inside1, inside3)
    np.testing.assert_array_equal(near1, near3)
    assert near1.any()
    assert not near1.all()


@pytest.mark.skipif(not STATUS.exists(), reason="needs Linux /proc to count threads")
def test_the_environment_sets_the_threads_when_the_setting_is_unset(search, monkeypatch):
    monkeypatch.setattr(settings, "locate_threads", None)
    monkeypatch.setenv(settings.LOCATE_THREADS_ENV_VAR, "1")
    assert _extra_threads(search)[0] == 0
    monkeypatch.setenv(settings.LOCATE_THREADS_ENV_VAR, "3")
    assert _extra_threads(search)[0] >= 2


def test_thread_count_precedence_and_errors(monkeypatch) -> None:
    monkeypatch.setattr(settings, "locate_threads", None)
    assert settings.locate_thread_count() == -1  # every core
    monkeypatch.setenv(settings.LOCATE_THREADS_ENV_VAR, " 2 ")
    assert settings.locate_thread_count() == 2
    monkeypatch.setattr(settings, "locate_threads", 1)  # the setting wins over the variable
    assert settings.locate_thread_count() == 1
    for bad in (0, -2, True, 1.5):
        monkeypatch.setattr(settings, "locate_threads", bad)
        with pytest.raises(ValueError, match="locate_threads"):
            settings.locate_thread_count()
    monkeypatch.setattr(settings, "locate_threads", None)
    monkeypatch.setenv(settings.LOCATE_THREADS_ENV_VAR, "all")
    with pytest.raises(ValueError, match=r"NANCHANG_LOCATE_THREADS.*'all'"):
        settings.locate_thread_count()


def _locate_threads() -> object:
    return settings.locate_threads


def test_dask_workers_search_on_one_thread_with_unchanged_results(tmp_path) -> None:
    from dask import distributed

    firms = layers.synthetic_enterprises(60_000, seed=9)[
        ["id", "segment", "precision_m", "geometry"]
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    for i, rows in enumerate(np.array_split(np.arange(len(firms)), 2)):
        firms.iloc[rows].to_parquet(folder / f"part{i}.parquet", write_covering_bbox=True)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, dashboard_address=None, processes=True
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert set(client.run(_locate_threads).values()) == {None}
        result = check_dataset(folder, None, tmp_path / "out", scheduler=cluster.scheduler_address)
        assert set(client.run(_locate_threads).values()) == {1}
    assert settings.locate_threads is None  # this process keeps every core
    assert result.failed == {}
    got = pd.concat(
        [pd.read_parquet(tmp_path / "out" / f"part{i}.parquet") for i in range(2)],
        ignore_index=True,
    )
    expected = zoning.check(firms)
    assert got["id"].tolist() == expected["id"].tolist()
    for column in COLUMNS:
        assert got[column].astype(str).tolist() == expected[column].astype(str).tolist(), column
    assert got["area"].astype(str).tolist() == expected["area"].map(",".join).tolist()
