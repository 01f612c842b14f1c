"""Honest ranks (ties share a rank), plain-language bands, and one setting for the draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.zoning.test_suitability import SITE, at, town  # noqa: F401  (fixture)
from zoning import settings
from zoning.settings import CRITERIA
from zoning.suitability import rank_sites, score_band, site_score


def _rank(town, areas, chain, lonlat, **kw):  # noqa: F811
    sites = pd.DataFrame(
        lonlat, columns=["lon", "lat"], index=[f"s{i}" for i in range(len(lonlat))]
    )
    return rank_sites(sites, "li_ion_cell", enterprises=town, areas=areas, chain=chain, **kw)


def test_equal_scores_share_the_best_rank_and_the_next_rank_skips(town, areas, chain):  # noqa: F811
    # Two sites at the same place tie exactly; a far one ranks after both, as third.
    r = _rank(town, areas, chain, [SITE, at(30_000, 30_000), SITE], draws=200)
    assert list(r["rank"]) == [1, 3, 1]
    assert r.loc["s0", "tied_with"] == ("s2",)
    assert r.loc["s2", "tied_with"] == ("s0",)
    assert r.loc["s1", "tied_with"] == ()
    # The same place: level in every draw, never "ahead" or "behind".
    assert r.loc["s0", "level_share"] == 1.0
    assert r.loc["s0", "ahead_share"] == 0.0
    assert np.isnan(r.loc["s1", "level_share"])


def test_scores_equal_in_whole_points_are_a_tie(town, areas, chain):  # noqa: F811
    # Two nearby sites whose scores differ by less than the half point that is shown.
    near = [SITE, at(5, 0)]
    r = _rank(town, areas, chain, near, draws=300)
    assert round(r.loc["s0", "score"]) == round(r.loc["s1", "score"])
    assert list(r["rank"]) == [1, 1]
    shares = r[["ahead_share", "level_share", "behind_share"]]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    # One's "ahead" is the other's "behind": the draws are shared.
    assert r.loc["s0", "ahead_share"] == pytest.approx(r.loc["s1", "behind_share"])


def test_ranks_follow_whole_point_scores(town, areas, chain):  # noqa: F811
    spots = [SITE, at(2000, 0), at(8000, 8000), at(20_000, 0), at(-3000, 500)]
    r = _rank(town, areas, chain, spots, draws=100)
    shown = r["score"].round()
    for a in r.index:
        better = int((shown > shown[a]).sum())
        assert r.loc[a, "rank"] == better + 1
        assert r.loc[a, "band"] == score_band(r.loc[a, "score"])


def test_per_criterion_points_add_up_to_the_score(town, areas, chain):  # noqa: F811
    r = _rank(town, areas, chain, [SITE, at(8000, 8000)], draws=50)
    points = r[[f"{c}_points" for c in CRITERIA]].sum(axis=1)
    np.testing.assert_allclose(points, r["score"], atol=1e-9)
    one = site_score(*SITE, "li_ion_cell", enterprises=town, areas=areas, chain=chain)
    assert (
        r.loc["s0", "neighbours_value"]
        == one.criteria.set_index("criterion").loc["neighbours", "raw"]
    )


def test_bands_follow_the_setting(monkeypatch):
    low, high = settings.score_bands
    assert score_band(high) == "suitable"
    assert score_band(high - 1) == "fair"
    assert score_band(low) == "fair"
    assert score_band(low - 1) == "unsuitable"
    assert score_band(100, excluded=True) == "unsuitable"
    monkeypatch.setattr(settings, "score_bands", (10.0, 20.0))
    assert score_band(25) == "suitable"


def test_draws_and_seed_come_from_the_settings_at_call_time(town, areas, chain, monkeypatch):  # noqa: F811
    def robustness():
        return site_score(
            *SITE, "li_ion_cell", enterprises=town, areas=areas, chain=chain
        ).robustness

    first = robustness()
    assert (first.draws, first.seed) == (settings.score_config.draws, settings.robustness_seed)
    monkeypatch.setattr(settings, "robustness_seed", 11)
    monkeypatch.setattr(settings, "score_config", settings.ScoreConfig(draws=123))
    second = robustness()
    assert (second.draws, second.seed) == (123, 11)
    explicit = site_score(
        *SITE, "li_ion_cell", enterprises=town, areas=areas, chain=chain, draws=123, seed=11
    ).robustness
    assert explicit == second


def test_reason_names_the_coordinate_system(town, areas, chain):  # noqa: F811
    from geo.crs import convert

    lon, lat = convert(*SITE, src="wgs84", dst="gcj02")
    s = site_score(
        float(lon), float(lat), "li_ion_cell", coord_system="gcj02",
        enterprises=town, areas=areas, chain=chain,
    )  # fmt: skip
    assert "WGS 84" in s.reason_en
    assert "GCJ-02" in s.reason_en
    assert "WGS 84" in s.reason_zh
    assert "GCJ-02" in s.reason_zh
    plain = site_score(*SITE, "li_ion_cell", enterprises=town, areas=areas, chain=chain)
    assert "WGS 84" in plain.reason_en
    assert "GCJ-02" not in plain.reason_en
