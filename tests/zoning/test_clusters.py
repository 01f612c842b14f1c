"""Clusters and agglomeration indices on hand-made point patterns."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

from tests.zoning.conftest import BATTERY, firms
from zoning.clusters import clark_evans, clusters, location_quotients, nearest_neighbour_ratios

TO_DEG = pyproj.Transformer.from_crs("EPSG:4548", "EPSG:4326", always_xy=True)
TO_M = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)
# The battery area's centre in metres.
CX, CY = TO_M.transform((BATTERY[0] + BATTERY[2]) / 2, (BATTERY[1] + BATTERY[3]) / 2)


def blob_rows(prefix, segment, cx, cy, n, spread, seed):
    rng = np.random.default_rng(seed)
    lon, lat = TO_DEG.transform(cx + rng.normal(0, spread, n), cy + rng.normal(0, spread, n))
    return [(f"{prefix}{i}", segment, lon[i], lat[i], 100.0) for i in range(n)]


@pytest.fixture
def two_blobs():
    rows = blob_rows("a", "li_ion_cell", CX, CY, 12, 250.0, 1)  # inside the battery area
    rows += blob_rows("b", "li_ion_cell", CX, CY - 8_000, 10, 250.0, 2)  # in no area
    # Three isolated firms, farther from anything than the blobs are from each other (so
    # that HDBSCAN, which has no distance scale, also sees them as noise).
    for i, (dx, dy) in enumerate([(-25_000, 20_000), (25_000, 25_000), (30_000, -30_000)]):
        lon, lat = TO_DEG.transform(CX + dx, CY + dy)
        rows.append((f"n{i}", "li_ion_cell", lon, lat, 100.0))
    rows.append(("lost", "li_ion_cell", None, None, 0.0))
    return firms(rows)


@pytest.mark.parametrize("method", ["dbscan", "hdbscan"])
def test_known_blobs_found_and_noise_left_out(two_blobs, areas, method):
    res = clusters(two_blobs, method=method, areas=areas)
    labels = res.labels
    a = labels[two_blobs["id"].str.startswith("a")]
    b = labels[two_blobs["id"].str.startswith("b")]
    noise = labels[two_blobs["id"].str.startswith("n")]
    assert a.nunique() == 1
    assert b.nunique() == 1
    assert a.iloc[0] != b.iloc[0]
    assert (a >= 0).all()
    assert (b >= 0).all()
    assert (noise == -1).all()
    assert labels[two_blobs["id"] == "lost"].isna().all()
    assert len(res.summary) == 2
    table = res.summary
    assert table.loc[a.iloc[0], "n_members"] == 12
    assert table.loc[b.iloc[0], "n_members"] == 10
    assert table.loc[a.iloc[0], "share_in_planned_area"] == 1.0
    assert table.loc[b.iloc[0], "share_in_planned_area"] == 0.0
    assert (table["dominant_segment"] == "li_ion_cell").all()
    # Every member lies inside its cluster's outline.
    members = two_blobs[labels.fillna(-1).to_numpy() == a.iloc[0]]
    assert shapely.contains(table.loc[a.iloc[0], "geometry"], members.geometry).all()
    assert "clusters" in res.text()
    labels2, summary2 = res
    assert labels2 is res.labels
    assert summary2 is res.summary


def test_labels_aligned_and_independent_of_row_order(two_blobs, areas):
    res = clusters(two_blobs, areas=areas)
    shuffled = two_blobs.sample(frac=1.0, random_state=5)
    res2 = clusters(shuffled, areas=areas)
    assert list(res2.labels.index) == list(shuffled.index)
    assert res.labels.equals(res2.labels.loc[res.labels.index])


def test_by_segment_keeps_segments_apart(areas):
    rows = blob_rows("x", "li_ion_cell", CX, CY, 6, 200.0, 3)
    rows += blob_rows("y", "copper_foil", CX, CY, 6, 200.0, 4)
    pts = firms(rows)
    by_seg = clusters(pts, by="segment", areas=areas)
    together = clusters(pts, by=None, areas=areas)
    assert len(by_seg.summary) == 2
    assert len(together.summary) == 1
    assert together.summary["n_members"].iloc[0] == 12


def test_eps_is_in_metres(areas):
    # Two firms 1.5 km apart and one more 1.5 km on: one chain at eps 2 km, none at 1 km.
    rows = []
    for i in range(3):
        lon, lat = TO_DEG.transform(CX + 1500 * i, CY)
        rows.append((f"p{i}", "pcs", lon, lat, 0.0))
    pts = firms(rows)
    assert len(clusters(pts, eps_m=2000, areas=areas).summary) == 1
    assert len(clusters(pts, eps_m=1000, areas=areas).summary) == 0


def square_m(side):
    return shapely.transform(
        shapely.box(CX, CY, CX + side, CY + side),
        lambda c: np.column_stack(TO_DEG.transform(c[:, 0], c[:, 1])),
    )


def test_clark_evans_orders_clustered_random_regular():
    side = 10_000.0
    area = square_m(side)
    g = np.arange(5, 100, 10) * 100.0  # 10 x 10 lattice, 1 km apart
    gx, gy = np.meshgrid(g, g)
    lon, lat = TO_DEG.transform(CX + gx.ravel(), CY + gy.ravel())
    regular = firms([(str(i), "pcs", lon[i], lat[i], 0.0) for i in range(len(lon))])
    rng = np.random.default_rng(0)
    lon, lat = TO_DEG.transform(CX + rng.uniform(0, side, 2000), CY + rng.uniform(0, side, 2000))
    random = firms([(str(i), "pcs", lon[i], lat[i], 0.0) for i in range(len(lon))])
    lon, lat = TO_DEG.transform(
        CX + 5000 + rng.normal(0, 100, 100), CY + 5000 + rng.normal(0, 100, 100)
    )
    clustered = firms([(str(i), "pcs", lon[i], lat[i], 0.0) for i in range(len(lon))])
    r_reg = clark_evans(regular, area)
    r_rand = clark_evans(random, area)
    r_clu = clark_evans(clustered, area)
    assert r_clu.ratio < 0.5 < r_rand.ratio
    assert abs(r_rand.ratio - 1) < 0.1
    assert r_reg.ratio > 1.5
    assert r_clu.z < 0 < r_reg.z
    # The lattice's mean nearest-neighbour distance is its 1 km spacing.
    assert r_reg.mean_nn_m == pytest.approx(1000, rel=0.01)
    assert clark_evans(regular, area).area_km2 == pytest.approx(100, rel=0.01)


def test_nearest_neighbour_ratios_per_area(two_blobs, areas):
    table = nearest_neighbour_ratios(two_blobs, areas=areas)
    assert list(table[["area", "segment"]].itertuples(index=False, name=None)) == [
        ("battery", "li_ion_cell")
    ]
    assert table["n"].iloc[0] == 12
    assert table["ratio"].iloc[0] < 1


def test_location_quotients_by_hand(areas):
    pts = firms(
        [
            ("1", "li_ion_cell", 115.91, 28.61, 0.0, 10.0),
            ("2", "li_ion_cell", 115.92, 28.62, 0.0, 30.0),
            ("3", "copper_foil", 115.93, 28.63, 0.0, 5.0),
            ("4", "copper_foil", 115.95, 28.61, 0.0, 5.0),
            ("5", "copper_foil", 115.96, 28.62, 0.0, 5.0),
            ("6", "copper_foil", 115.97, 28.63, 0.0, 5.0),
        ]
    )
    lq = location_quotients(pts, areas=areas)
    # battery holds 2 of the city's 2 cells among its 3 firms; the city has 2 cells in 6.
    assert lq.loc["battery", "li_ion_cell"] == pytest.approx((2 / 3) / (2 / 6))
    assert lq.loc["materials", "copper_foil"] == pytest.approx((3 / 3) / (4 / 6))
    assert np.isnan(lq.loc["control", "li_ion_cell"])
    by_cap = location_quotients(pts, areas=areas, weight="capacity")
    assert by_cap.loc["battery", "li_ion_cell"] == pytest.approx((40 / 45) / (40 / 60))
    with pytest.raises(ValueError, match="weight"):
        location_quotients(pts, areas=areas, weight="nope")


def lq_firms(foil_capacity, foil_unit, *, unit_column=True):
    """Four copper-foil plants (one in battery, three in materials); plant 2 is varied."""
    pts = firms(
        [
            ("1", "copper_foil", 115.91, 28.61, 0.0, 5000.0),
            ("2", "copper_foil", 115.95, 28.61, 0.0, foil_capacity),
            ("3", "copper_foil", 115.96, 28.62, 0.0, 5000.0),
            ("4", "copper_foil", 115.97, 28.63, 0.0, 5000.0),
        ]
    )
    if unit_column:
        pts["capacity_unit"] = ["t/yr", foil_unit, "t/yr", "t/yr"]
    return pts


def test_capacity_weights_in_mixed_units_are_refused(areas):
    # 6,000 t/yr and 6.0 kt/yr are the same plant: summing the raw numbers would give
    # two different quotients for it, so mixed units must be refused, naming them.
    same_unit = location_quotients(lq_firms(6000.0, "t/yr"), areas=areas, weight="capacity")
    assert same_unit.loc["materials", "copper_foil"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"kt/yr, t/yr") as err:
        location_quotients(lq_firms(6.0, "kt/yr"), areas=areas, weight="capacity")
    assert "weight=None" in str(err.value)
    assert "investment_cny" in str(err.value)


def test_capacity_in_cells_and_materials_units_is_refused(areas):
    pts = firms(
        [
            ("1", "li_ion_cell", 115.91, 28.61, 0.0, 10.0),
            ("2", "copper_foil", 115.95, 28.61, 0.0, 5000.0),
        ]
    )
    pts["capacity_unit"] = ["GWh", "t/yr"]
    with pytest.raises(ValueError, match="GWh, t/yr"):
        location_quotients(pts, areas=areas, weight="capacity")
    # Counting, or weighting by money, is unaffected by capacity units.
    pts["investment_cny"] = [1e9, 1e9]
    by_money = location_quotients(pts, areas=areas, weight="investment_cny")
    assert by_money.loc["battery", "li_ion_cell"] == pytest.approx((1 / 1) / (1 / 2))
    assert location_quotients(pts, areas=areas).loc["battery", "li_ion_cell"] == pytest.approx(2)


def test_units_of_rows_not_weighted_do_not_count(areas):
    # The kt/yr row has no capacity and the GWh row no location: neither is summed.
    pts = firms(
        [
            ("1", "copper_foil", 115.91, 28.61, 0.0, 5000.0),
            ("2", "copper_foil", 115.95, 28.61, 0.0, float("nan")),
            ("3", "copper_foil", 115.96, 28.62, 0.0, 5000.0),
            ("4", "li_ion_cell", None, None, 0.0, 10.0),
        ]
    )
    pts["capacity_unit"] = ["t/yr", "kt/yr", "t/yr", "GWh"]
    lq = location_quotients(pts, areas=areas, weight="capacity")
    assert lq.loc["materials", "copper_foil"] == pytest.approx(1.0)


def test_without_a_unit_column_the_weight_is_taken_as_one_unit(areas):
    lq = location_quotients(lq_firms(6000.0, "", unit_column=False), areas=areas, weight="capacity")
    # battery holds 5000 of the city's 21000 t/yr, all of it copper foil.
    assert lq.loc["battery", "copper_foil"] == pytest.approx(1.0)
