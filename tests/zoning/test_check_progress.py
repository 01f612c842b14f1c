"""zoning.check with a progress callback: checked in pieces, the same result as at once."""

from __future__ import annotations

import importlib

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal

import layers
import zoning
from tests.zoning.conftest import firms
from zoning import settings

N = 120_000


@pytest.fixture(autouse=True)
def _no_store(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "none.gpkg"))


@pytest.fixture(scope="module")
def plan() -> tuple[gpd.GeoDataFrame, object]:
    return layers.areas(), layers.chain()


@pytest.fixture(scope="module")
def registry() -> gpd.GeoDataFrame:
    """120,000 synthetic firms with unlocated rows and a key not in the chain."""
    data = layers.synthetic_enterprises(N, seed=11)
    # Unlocated rows, said as a validated table says it (its ``located`` column is trusted).
    data.loc[data.index[::1013], ["geometry", "lon", "lat", "located"]] = [None, None, None, False]
    data.loc[data.index[5::2039], "segment"] = "cathod"  # a typo: "not a chain segment"
    # A non-default index: the pieces must keep the caller's labels and order.
    return data.set_index(data["id"].str.replace("SYN-", "firm-", regex=False))


class Calls:
    """Records every (done, total) the check reports."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))


def test_pieces_give_the_result_of_one_piece_row_by_row(registry, plan, monkeypatch) -> None:
    areas, chain = plan
    whole = zoning.check(registry, areas=areas, chain=chain)
    monkeypatch.setattr(settings, "check_chunk_rows", 50_000)  # three pieces
    calls = Calls()
    pieces = zoning.check(registry, areas=areas, chain=chain, progress=calls)
    # Every row, column, dtype and category order (the text columns' categories too).
    assert_geodataframe_equal(pieces, whole)
    for column in ("verdict", "rule", "reason_zh", "reason_en"):
        assert list(pieces[column].cat.categories) == list(whole[column].cat.categories)
    assert set(whole["verdict"].astype(str)) >= {"conforming", "misplaced", "unlocated"}
    assert calls.calls == [(0, N), (50_000, N), (100_000, N), (N, N)]


def test_counts_increase_to_the_total_whatever_the_piece(registry, plan, monkeypatch) -> None:
    areas, chain = plan
    part = registry.iloc[:10_001]
    whole = zoning.check(part, areas=areas, chain=chain)
    monkeypatch.setattr(settings, "check_chunk_rows", 3000)
    calls = Calls()
    pieces = zoning.check(part, areas=areas, chain=chain, progress=calls)
    assert_geodataframe_equal(pieces, whole)
    done = [d for d, _ in calls.calls]
    assert done == [0, 3000, 6000, 9000, 10_001]
    assert {total for _, total in calls.calls} == {10_001}


def test_the_default_piece_is_the_setting(registry, plan) -> None:
    areas, chain = plan
    calls = Calls()
    zoning.check(registry, areas=areas, chain=chain, progress=calls)
    step = settings.check_chunk_rows
    assert calls.calls == [(0, N)] + [(min(d, N), N) for d in range(step, N + step, step)]


def test_small_and_empty_tables_report_once_done(areas, chain) -> None:
    few = firms([("a", "li_ion_cell", 115.92, 28.62, 0.0), ("b", "cathode", 115.95, 28.62, 0.0)])
    calls = Calls()
    out = zoning.check(few, areas=areas, chain=chain, progress=calls)
    assert calls.calls == [(0, 2), (2, 2)]
    assert_geodataframe_equal(out, zoning.check(few, areas=areas, chain=chain))
    calls = Calls()
    empty = zoning.check(few.iloc[:0], areas=areas, chain=chain, progress=calls)
    assert calls.calls == [(0, 0)]
    assert len(empty) == 0
    assert list(empty.columns[-len(zoning.OUTPUT_COLUMNS) :]) == list(zoning.OUTPUT_COLUMNS)


def test_without_progress_one_piece_whatever_the_setting(registry, plan, monkeypatch) -> None:
    areas, chain = plan
    part = registry.iloc[:20_000]
    whole = zoning.check(part, areas=areas, chain=chain)
    # A piece size that would split the table changes nothing when no one is told.
    monkeypatch.setattr(settings, "check_chunk_rows", 7)
    seen: list[int] = []
    # ``zoning.check`` is the function; the module holding the kernel is this one.
    check_module = importlib.import_module("zoning.check")
    original = check_module.kernel

    def counting(*args, **kwargs):
        seen.append(len(args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(check_module, "kernel", counting)
    assert_geodataframe_equal(zoning.check(part, areas=areas, chain=chain), whole)
    assert seen == [20_000]
