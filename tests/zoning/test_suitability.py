"""Site suitability on hand-made fixtures: bounds, exclusions, monotonicity, invariance."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geo.crs import convert
from tests.zoning.conftest import BATTERY, firms
from zoning.settings import ScoreConfig
from zoning.suitability import rank_sites, site_score, suitability_grid

TO_DEG = pyproj.Transformer.from_crs("EPSG:4548", "EPSG:4326", always_xy=True)
TO_M = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)
SITE = (115.92, 28.62)  # centre of the battery area
SX, SY = TO_M.transform(*SITE)


def at(dx, dy):
    return TO_DEG.transform(SX + dx, SY + dy)


@pytest.fixture
def town():
    rows = [
        ("foil", "copper_foil", *at(3000, 0), 0.0),
        ("cath", "cathode", *at(0, 8000), 0.0),
        ("pack", "battery_pack", *at(-2000, 1000), 0.0),
        ("cell1", "li_ion_cell", *at(1000, 1000), 0.0),
        ("cell2", "li_ion_cell", *at(-1000, -1500), 0.0),
        ("cell_far", "li_ion_cell", *at(30_000, 0), 0.0),
        ("lost", "li_ion_cell", None, None, 0.0),
    ]
    return firms(rows, index=[f"r{i}" for i in range(len(rows))])


def score(town, areas, chain, lon=SITE[0], lat=SITE[1], segment="li_ion_cell", **kw):
    return site_score(lon, lat, segment, enterprises=town, areas=areas, chain=chain, **kw)


def test_score_is_explained_criterion_by_criterion(town, areas, chain):
    s = score(town, areas, chain)
    assert 0 <= s.score <= 100
    crit = s.criteria.set_index("criterion")
    assert s.score == pytest.approx(crit["contribution"].sum())
    assert crit["weight"].sum() == pytest.approx(1.0)
    assert crit.loc["zoning", "raw"] == "designated"
    assert s.zoning == "designated"
    assert s.area == ("battery",)
    # Two other cells within 5 km (the 30 km one and the unlocated one do not count).
    assert crit.loc["neighbours", "raw"] == 2
    assert set(s.suppliers["segment"]) == {"copper_foil", "cathode", "equipment"}
    foil = s.suppliers.set_index("segment").loc["copper_foil"]
    assert foil["id"] == "foil"
    assert foil["distance_m"] == pytest.approx(3000, abs=0.01)
    assert np.isinf(s.suppliers.set_index("segment").loc["equipment", "distance_m"])
    assert s.customers["id"].tolist() == ["pack"]
    assert "锂离子电池" in s.reason_zh
    assert "储能电池集聚区" in s.reason_zh
    assert "Li-ion cells" in s.reason_en
    assert f"{s.score:.0f}/100" in s.reason_en
    assert "3.0 km" in s.reason_en
    assert s.robustness.p5 <= s.robustness.p95
    assert "zoning" in s.summary()
    data = json.loads(json.dumps(s.to_dict(), allow_nan=False))
    assert data["score"] == pytest.approx(s.score)
    assert data["suppliers"][2]["distance_m"] is None  # no equipment maker: inf -> null


def test_zoning_fit_orders_designated_outside_other(town, areas, chain):
    only_zoning = {"zoning": 1.0}
    inside = score(town, areas, chain, weights=only_zoning)
    other = score(town, areas, chain, lon=115.96, lat=28.62, weights=only_zoning)
    outside = score(town, areas, chain, lon=115.92, lat=28.75, weights=only_zoning)
    assert (inside.zoning, other.zoning, outside.zoning) == ("designated", "other_area", "outside")
    assert inside.score == 100
    assert other.score == 0
    assert 0 < outside.score < 100
    assert "materials area" in other.reason_en


def test_excluded_site_scores_zero_with_reason(town, areas, chain):
    protected = gpd.GeoDataFrame(
        {
            "name": ["Meiling forest"],
            "reason_zh": ["生态保护红线"],
            "reason_en": ["ecological red line"],
        },
        geometry=[shapely.box(115.91, 28.61, 115.93, 28.63)],
        crs="EPSG:4326",
    )
    s = score(town, areas, chain, constraints={"protected land": protected})
    assert s.excluded
    assert s.score == 0
    assert s.robustness.p95 == 0
    assert any("Meiling forest" in r and "protected land" in r for r in s.exclusion_reasons)
    assert any("生态保护红线" in r for r in s.exclusion_reasons_zh)
    assert "Excluded" in s.reason_en
    free = score(town, areas, chain, lon=115.935, lat=28.635, constraints=[protected])
    assert not free.excluded
    assert free.score > 0


def test_moving_a_supplier_closer_never_lowers_the_score(town, areas, chain):
    scores = []
    for d in [40_000, 20_000, 10_000, 5000, 2000, 500, 0]:
        moved = town.copy()
        moved.loc[moved["id"] == "foil", "geometry"] = shapely.Point(*at(d, 0))
        scores.append(score(moved, areas, chain).score)
    assert all(b >= a for a, b in itertools.pairwise(scores))
    assert scores[-1] > scores[0]


def test_result_independent_of_row_order(town, areas, chain):
    a = score(town, areas, chain)
    b = score(town.iloc[::-1], areas, chain)
    c = score(town.sample(frac=1.0, random_state=2), areas, chain)
    assert a.score == b.score == c.score
    pd.testing.assert_frame_equal(a.criteria, b.criteria)
    pd.testing.assert_frame_equal(a.suppliers, c.suppliers)
    assert a.robustness == b.robustness


def test_scores_stay_in_bounds(town, areas, chain):
    rng = np.random.default_rng(4)
    for lon, lat in zip(rng.uniform(115.85, 116.0, 15), rng.uniform(28.55, 28.75, 15), strict=True):
        for seg in ("li_ion_cell", "pv_cell", "storage_integration", "lithium_salt"):
            s = score(town, areas, chain, lon=lon, lat=lat, segment=seg, draws=50)
            assert 0 <= s.score <= 100
            assert 0 <= s.robustness.p5 <= s.robustness.p95 <= 100


def test_inapplicable_criteria_are_left_out(town, areas, chain):
    # Nothing supplies lithium salt in the fixture chain: no upstream criterion.
    s = score(town, areas, chain, segment="lithium_salt")
    crit = s.criteria.set_index("criterion")
    assert not crit.loc["upstream", "applies"]
    assert crit.loc["upstream", "weight"] == 0
    assert crit["weight"].sum() == pytest.approx(1.0)
    # PV cells have no designated area: the neutral zoning value.
    pv = score(town, areas, chain, segment="pv_cell")
    assert pv.zoning == "no_designated_area"
    assert pv.criteria.set_index("criterion").loc["zoning", "normalised"] == 0.5


def test_robustness_is_seeded(town, areas, chain):
    a = score(town, areas, chain, seed=1)
    b = score(town, areas, chain, seed=1)
    c = score(town, areas, chain, seed=2)
    assert a.robustness == b.robustness
    assert a.robustness.p5 != c.robustness.p5
    tight = score(town, areas, chain, config=ScoreConfig(dirichlet_concentration=1e4))
    loose = score(town, areas, chain, config=ScoreConfig(dirichlet_concentration=2.0))
    width = lambda s: s.robustness.p95 - s.robustness.p5  # noqa: E731
    assert width(tight) < width(loose)


def test_offset_coordinates_are_converted(town, areas, chain):
    glon, glat = convert(*SITE, src="wgs84", dst="gcj02")
    s = score(town, areas, chain, lon=float(glon), lat=float(glat), coord_system="gcj02")
    ref = score(town, areas, chain)
    assert s.lon == pytest.approx(SITE[0], abs=1e-8)
    assert s.score == pytest.approx(ref.score, abs=1e-6)


def test_bad_site_and_segment_raise_clear_errors(town, areas, chain):
    with pytest.raises(ValueError, match="outside Nanchang"):
        score(town, areas, chain, lon=121.47, lat=31.23)
    with pytest.raises(ValueError, match="swapped"):
        score(town, areas, chain, lon=28.62, lat=115.92)
    with pytest.raises(ValueError, match="copper_foil") as err:
        score(town, areas, chain, segment="copperfoil")
    assert "Valid keys" in str(err.value)


def test_rank_sites_and_rank_stability(town, areas, chain):
    sites = pd.DataFrame(
        {"lon": [SITE[0], 115.96, 115.92], "lat": [SITE[1], 28.62, 28.75]},
        index=["best", "other", "far"],
    )
    r = rank_sites(sites, "li_ion_cell", enterprises=town, areas=areas, chain=chain, draws=200)
    assert list(r.index) == ["best", "other", "far"]
    assert r.loc["best", "rank"] == 1
    assert r["rank_stability"].between(0, 1).all()
    # "best" wins on every criterion, so it keeps its rank under any weights.
    assert r.loc["best", "rank_stability"] == 1.0
    one = site_score(115.96, 28.62, "li_ion_cell", enterprises=town, areas=areas, chain=chain)
    assert r.loc["other", "score"] == pytest.approx(one.score)
    shuffled = rank_sites(
        sites.iloc[::-1], "li_ion_cell", enterprises=town, areas=areas, chain=chain, draws=200
    )
    pd.testing.assert_frame_equal(r, shuffled.loc[r.index])
    as_points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(sites["lon"], sites["lat"]), index=sites.index, crs=4326
    ).to_crs("EPSG:4548")
    r_geo = rank_sites(
        as_points, "li_ion_cell", enterprises=town, areas=areas, chain=chain, draws=200
    )
    np.testing.assert_allclose(r_geo["score"], r["score"], atol=1e-6)


def test_grid_equals_site_score_at_cell_centres(town, areas, chain):
    g = suitability_grid(
        "li_ion_cell",
        cell_m=1000,
        extent=(115.89, 28.59, 115.99, 28.66),
        enterprises=town,
        areas=areas,
        chain=chain,
    )
    assert g.crs.to_epsg() == 4326
    assert len(g) > 50
    assert g["score"].between(0, 100).all()
    rng = np.random.default_rng(0)
    for i in rng.choice(len(g), 6, replace=False):
        cell = g.iloc[i]
        s = site_score(
            cell["lon"],
            cell["lat"],
            "li_ion_cell",
            enterprises=town,
            areas=areas,
            chain=chain,
            draws=10,
        )
        assert s.score == pytest.approx(cell["score"], abs=1e-9)
        assert s.zoning == cell["zoning_class"]
    # The best cells are in the battery area, where the segment is designated.
    best = g.loc[g["score"].idxmax()]
    assert shapely.box(*BATTERY).contains(shapely.Point(best["lon"], best["lat"]))


def test_grid_excludes_constraint_cells(town, areas, chain):
    protected = gpd.GeoDataFrame(
        {"name": ["reserve"]}, geometry=[shapely.box(115.90, 28.60, 115.93, 28.63)], crs=4326
    )
    g = suitability_grid(
        "li_ion_cell",
        cell_m=1000,
        extent=areas.loc[["battery"]],
        enterprises=town,
        areas=areas,
        chain=chain,
        constraints=protected,
    )
    inside = shapely.contains_xy(protected.geometry.iloc[0], g["lon"], g["lat"])
    assert inside.any()
    assert (~inside).any()
    assert g.loc[inside, "excluded"].all()
    assert (g.loc[inside, "score"] == 0).all()
    assert (g.loc[~inside, "score"] > 0).all()
