"""Chain gaps, supplier distances, spatial gaps and investment targets on tiny fixtures."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest
import shapely

from tests.zoning.conftest import firms
from zoning.check import membership
from zoning.gaps import (
    chain_gaps,
    investment_targets,
    segment_counts,
    spatial_gaps,
    supplier_distances,
    supplier_flags,
)

TO_DEG = pyproj.Transformer.from_crs("EPSG:4548", "EPSG:4326", always_xy=True)
TO_M = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)


@pytest.fixture
def town():
    return firms(
        [
            ("cell1", "li_ion_cell", 115.91, 28.61, 0.0),
            ("cell2", "li_ion_cell", 115.92, 28.62, 0.0),
            ("cell3", "li_ion_cell", 115.93, 28.63, 0.0),
            ("foil", "copper_foil", 115.95, 28.62, 0.0),
            ("cath", "cathode", 115.96, 28.62, 0.0),
            ("salt1", "lithium_salt", 115.97, 28.61, 0.0),
            ("salt2", "lithium_salt", 115.97, 28.63, 0.0),
            ("stray", "copper_foil", 115.92, 28.63, 0.0),  # foil inside the battery area
            ("pcs", "pcs", 115.92, 28.68, 0.0),
        ]
    )


def status(table, area, segment):
    row = table[(table["area"] == area) & (table["segment"] == segment)]
    assert len(row) == 1
    return row["status"].iloc[0], int(row["count"].iloc[0])


def test_chain_gaps_counts_by_hand(town, areas, chain):
    t = chain_gaps(town, areas=areas, chain=chain, thin=2)
    assert status(t, "battery", "li_ion_cell") == ("ok", 3)
    assert status(t, "battery", "battery_pack") == ("missing", 0)
    # The copper-foil firm inside the battery area does not fill the materials gap twice.
    assert status(t, "materials", "copper_foil") == ("thin", 1)
    assert status(t, "materials", "lithium_salt") == ("thin", 2)
    assert status(t, "control", "equipment") == ("missing", 0)
    assert len(t) == 2 + 3 + 3  # every designated segment of every area
    assert set(t["name_en"]) >= {"copper foil", "Li-ion cells"}


def test_removed_supplier_appears_as_gap(town, areas, chain):
    before = chain_gaps(town, areas=areas, chain=chain)
    assert status(before, "materials", "cathode") == ("thin", 1)
    without = town[town["id"] != "cath"]
    after = chain_gaps(without, areas=areas, chain=chain)
    assert status(after, "materials", "cathode") == ("missing", 0)
    d_before = supplier_distances(town, chain=chain)
    d_after = supplier_distances(without, chain=chain)
    cell = town.index[town["id"] == "cell1"][0]
    assert np.isfinite(d_before.loc[cell, "cathode_m"])
    assert "cathode" not in d_before.loc[cell, "flags"]
    assert d_after.loc[cell, "cathode_m"] == np.inf
    assert "cathode" in d_after.loc[cell, "flags"]
    targets = investment_targets(without, areas=areas, chain=chain)
    assert "cathode" in set(targets["segment"])


def test_supplier_distance_in_metres_and_threshold(chain):
    x0, y0 = TO_M.transform(115.92, 28.62)
    lon, lat = TO_DEG.transform([x0, x0 + 1500.0, x0 + 40_000.0], [y0, y0, y0])
    pts = firms(
        [
            ("cell", "li_ion_cell", lon[0], lat[0], 0.0),
            ("foil", "copper_foil", lon[1], lat[1], 0.0),
            ("cath", "cathode", lon[2], lat[2], 0.0),
            ("none", "li_ion_cell", None, None, 0.0),
        ],
        index=[10, 20, 30, 40],
    )
    d = supplier_distances(pts, chain=chain, threshold_m=30_000)
    assert list(d.index) == [10, 20, 30, 40]
    assert d.loc[10, "copper_foil_m"] == pytest.approx(1500.0, abs=0.01)
    assert d.loc[10, "cathode_m"] == pytest.approx(40_000.0, abs=0.01)
    # Cathode is 40 km away (> 30 km) and no equipment maker exists; the foil is near.
    assert d.loc[10, "flags"] == ("cathode", "equipment")
    assert d.loc[10, "equipment_m"] == np.inf
    # Nobody supplies copper foil, and unlocated rows have no distances.
    assert np.isnan(d.loc[20, "cathode_m"])
    assert np.isnan(d.loc[40, "copper_foil_m"])
    assert d.loc[40, "flags"] == ()
    assert "lithium_salt_m" in d.columns  # lithium salt supplies cathode


def test_supplier_flags_are_the_long_form_of_the_distances(town, chain):
    d = supplier_distances(town, chain=chain, threshold_m=5_000)
    long = supplier_flags(town, chain=chain, threshold_m=5_000)
    # One row per (firm, flagged supplier), indexed by the firm, in the input's order.
    assert len(long) == int(d["flags"].map(len).sum())
    assert list(long.columns) == ["supplier", "distance_m"]
    assert long.index.is_monotonic_increasing
    for label, row in long.iterrows():
        assert row["supplier"] in d.loc[label, "flags"]
        assert row["distance_m"] == d.loc[label, f"{row['supplier']}_m"]
        assert not row["distance_m"] <= 5_000
    # Nothing flagged gives an empty table with the same columns.
    none = supplier_flags(town.iloc[:0], chain=chain)
    assert none.empty
    assert list(none.columns) == ["supplier", "distance_m"]


def test_segment_counts_feed_chain_gaps_without_a_second_point_in_area_test(town, areas, chain):
    counts = segment_counts(town, areas=areas, chain=chain)
    inside, _ = membership(town, areas)
    assert list(counts.columns) == list(areas.index)
    assert list(counts.index[: len(chain)]) == list(chain.index)
    assert counts.to_numpy().sum() == int(inside.to_numpy().sum())
    assert counts.loc["li_ion_cell", "battery"] == 3
    # chain_gaps and investment_targets give the same answer from the counts.
    gaps = chain_gaps(town, areas=areas, chain=chain)
    assert gaps.equals(chain_gaps(town, areas=areas, chain=chain, counts=counts))
    again = investment_targets(town, areas=areas, chain=chain, gaps=gaps)
    assert again.equals(investment_targets(town, areas=areas, chain=chain))


def test_spatial_gaps_cover_plus_gap_is_area(town, areas):
    g = spatial_gaps(town, areas=areas, distance_m=1000)
    assert list(g.index) == list(areas.index)
    np.testing.assert_allclose(g["covered_km2"] + g["gap_km2"], g["area_km2"], rtol=1e-9)
    # (Projecting the 4-vertex boxes without densifying differs by ~3e-8: edge curvature.)
    measured = areas.to_crs("EPSG:4548").area / 1e6
    np.testing.assert_allclose(g["area_km2"], measured, rtol=1e-6)
    # Control holds only a PCS firm: one 1 km disc, wholly inside the area.
    assert g.loc["control", "covered_km2"] == pytest.approx(math.pi, rel=0.005)
    assert g.loc["control", "n_firms"] == 1
    # Gap polygons lie inside their area (up to the WGS 84 round trip of new vertices).
    for key in areas.index:
        spill = shapely.difference(g.geometry[key], areas.geometry[key]).area
        assert spill <= 1e-8 * areas.geometry[key].area


def test_spatial_gap_is_whole_area_without_firms(areas):
    g = spatial_gaps(firms([]), areas=areas)
    np.testing.assert_allclose(g["gap_km2"], g["area_km2"], rtol=1e-9)
    assert (g["covered_km2"] == 0).all()


def test_investment_targets_ranked_by_links_closed(town, areas, chain):
    t = investment_targets(town, areas=areas, chain=chain)
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    assert t["links_closed"].is_monotonic_decreasing
    assert set(t["status"]) <= {"missing", "thin"}
    row = t[t["segment"] == "battery_pack"].iloc[0]
    # Battery packs are supplied by Li-ion cells (present) and supply storage integration
    # (absent): one local link.
    assert row["area"] == "battery"
    assert row["links_closed"] == 1
    assert row["suppliers_present"] == ("li_ion_cell",)
    assert "电池包" in row["reason_zh"]
    # Each row's reason names exactly the neighbours it counts (rows stay in step when
    # sorted).
    names = dict(zip(chain.index, chain["name_en"], strict=True))
    for r in t.itertuples():
        linked = [*r.suppliers_present, *r.customers_present]
        assert len(linked) == r.links_closed
        assert all(names[s] in r.reason_en for s in linked)
        assert names[r.segment] in r.reason_en
    assert "battery packs" in row["reason_en"]


def test_inputs_not_mutated(town, areas, chain):
    before = town.copy()
    chain_gaps(town, areas=areas, chain=chain)
    supplier_distances(town, chain=chain)
    spatial_gaps(town, areas=areas)
    investment_targets(town, areas=areas, chain=chain)
    assert town.equals(before)
