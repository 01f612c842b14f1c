"""zoning.settings is read when a function runs: a changed setting changes the next call.

Each test changes one setting with ``monkeypatch`` and checks three things: the default
call now behaves as the explicit argument with the new value, it no longer behaves as
before, and an explicit argument still wins over the setting.
"""

from __future__ import annotations

import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal, assert_series_equal

from tests.zoning.conftest import firms
from zoning import settings
from zoning.cli import build_parser
from zoning.clusters import clusters, nearest_neighbour_ratios
from zoning.gaps import chain_gaps, investment_targets, spatial_gaps, supplier_distances
from zoning.suitability import site_score, suitability_grid

# Three cells about 980 m apart on a line in the battery area, a copper-foil firm 3.9 km
# east in the materials area and a PCS firm in the control area.
ROWS = [
    ("c1", "li_ion_cell", 115.91, 28.62, 0.0),
    ("c2", "li_ion_cell", 115.92, 28.62, 0.0),
    ("c3", "li_ion_cell", 115.93, 28.62, 0.0),
    ("foil", "copper_foil", 115.95, 28.62, 0.0),
    ("pcs", "pcs", 115.92, 28.68, 0.0),
]


@pytest.fixture
def town():
    return firms(ROWS)


def test_cluster_radius_and_size_are_read_at_the_call(town, areas, chain, monkeypatch):
    before = clusters(town, areas=areas, chain=chain).labels
    cells = before.loc[[0, 1, 2]].tolist()
    assert cells[0] >= 0  # one cluster at the default 2 km
    assert cells == [cells[0]] * 3
    monkeypatch.setattr(settings, "cluster_eps_m", 500.0)
    after = clusters(town, areas=areas, chain=chain).labels
    assert (after.loc[[0, 1, 2]] == -1).all()  # 980 m apart: noise at 500 m
    assert_series_equal(after, clusters(town, areas=areas, chain=chain, eps_m=500.0).labels)
    assert_series_equal(before, clusters(town, areas=areas, chain=chain, eps_m=2000.0).labels)
    monkeypatch.setattr(settings, "cluster_eps_m", 2000.0)
    monkeypatch.setattr(settings, "cluster_min_samples", 4)
    assert (clusters(town, areas=areas, chain=chain).labels.loc[[0, 1, 2]] == -1).all()


def test_cluster_outline_buffer_is_read_at_the_call(town, areas, chain, monkeypatch):
    wide = clusters(town, areas=areas, chain=chain).summary
    monkeypatch.setattr(settings, "outline_buffer_m", 20.0)
    narrow = clusters(town, areas=areas, chain=chain).summary
    assert (narrow["area_km2"] < wide["area_km2"]).all()


def test_nearest_neighbour_minimum_is_read_at_the_call(town, areas, monkeypatch):
    assert len(nearest_neighbour_ratios(town, areas=areas)) == 1  # 3 cells, 3 needed
    monkeypatch.setattr(settings, "cluster_min_samples", 4)
    assert nearest_neighbour_ratios(town, areas=areas).empty
    assert len(nearest_neighbour_ratios(town, areas=areas, min_points=3)) == 1


def test_thin_count_is_read_at_the_call(town, areas, chain, monkeypatch):
    def status(**kw):
        gaps = chain_gaps(town, areas=areas, chain=chain, **kw).set_index(["area", "segment"])
        return gaps.loc[("battery", "li_ion_cell"), "status"]

    assert status() == "ok"  # three cells, more than the default two
    monkeypatch.setattr(settings, "thin_count", 3)
    assert status() == "thin"
    assert status(thin=2) == "ok"
    targets = investment_targets(town, areas=areas, chain=chain)
    assert "li_ion_cell" in set(targets["segment"])
    assert_frame_equal(targets, investment_targets(town, areas=areas, chain=chain, thin=3))


def test_supplier_threshold_is_read_at_the_call(town, chain, monkeypatch):
    before = supplier_distances(town, chain=chain)
    monkeypatch.setattr(settings, "supplier_threshold_m", 1000.0)
    after = supplier_distances(town, chain=chain)
    assert_frame_equal(after, supplier_distances(town, chain=chain, threshold_m=1000.0))
    assert not after.equals(before)  # the foil firm is 2-4 km from the cells
    assert_frame_equal(before, supplier_distances(town, chain=chain, threshold_m=30_000.0))


def test_spatial_gap_distance_is_read_at_the_call(town, areas, monkeypatch):
    before = spatial_gaps(town, areas=areas)
    monkeypatch.setattr(settings, "spatial_gap_m", 1000.0)
    after = spatial_gaps(town, areas=areas)
    assert_geodataframe_equal(after, spatial_gaps(town, areas=areas, distance_m=1000.0))
    assert (after["gap_km2"] > before["gap_km2"]).any()


def test_grid_cell_and_score_config_are_read_at_the_call(town, areas, chain, monkeypatch):
    kw = {"enterprises": town, "areas": areas, "chain": chain}
    fine = suitability_grid("li_ion_cell", **kw)
    monkeypatch.setattr(settings, "grid_cell_m", 1000.0)
    coarse = suitability_grid("li_ion_cell", **kw)
    assert len(coarse) < len(fine)
    assert_geodataframe_equal(coarse, suitability_grid("li_ion_cell", cell_m=1000.0, **kw))

    default = site_score(115.92, 28.62, "li_ion_cell", **kw).score
    only_zoning = settings.ScoreConfig(weights={"zoning": 1.0})
    monkeypatch.setattr(settings, "score_config", only_zoning)
    assert site_score(115.92, 28.62, "li_ion_cell", **kw).score == pytest.approx(100.0)
    assert default < 100.0


def test_cli_defaults_are_the_settings(monkeypatch, capsys):
    args = build_parser().parse_args(["gaps"])
    assert args.distance_m == settings.spatial_gap_m
    assert args.supplier_threshold_m == settings.supplier_threshold_m
    monkeypatch.setattr(settings, "cluster_eps_m", 750.0)
    monkeypatch.setattr(settings, "grid_cell_m", 250.0)
    assert build_parser().parse_args(["clusters"]).eps_m == 750.0
    assert build_parser().parse_args(["suitability", "--segment", "pcs", "--out", "x"]).cell_m == (
        250.0
    )
    with pytest.raises(SystemExit):
        build_parser().parse_args(["clusters", "--help"])
    assert "(default 750)" in capsys.readouterr().out
