from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.crs import WORKING
from layers.enterprises import ENTERPRISE_COLUMNS, STATUSES, segment_keys, validate_enterprises
from layers.synthetic import PARKS, SEGMENT_WEIGHTS, synthetic_enterprises

# The plan's designated segments per area (CONTRACTS.md), and which area each park is in
# (facts file §2b / S1): written out here so the test does not read the generator's tables.
DESIGNATED = {
    "battery": {"li_ion_cell", "na_ion_cell", "battery_pack"},
    "materials": {
        "cathode",
        "anode",
        "electrolyte",
        "separator",
        "copper_foil",
        "aluminium_foil",
        "lithium_salt",
        "sodium_salt",
        "structural_parts",
    },
    "control": {
        "sensor",
        "bms_chip",
        "power_semiconductor",
        "pcs",
        "storage_integration",
        "pv_storage_integration",
        "equipment",
    },
}
PARK_AREA = {
    "南昌经开区": "battery",
    "新建经开区": "battery",
    "小蓝经开区": "materials",
    "安义工业园区": "materials",
    "进贤经开区": "materials",
    "南昌高新区": "control",
    "青山湖高新技术产业园区": "control",
}
AREA_OF_SEGMENT = {seg: area for area, segs in DESIGNATED.items() for seg in segs}
EXTENT = (115.2, 28.1, 116.6, 29.2)  # facts §4, EST.


@pytest.fixture(scope="module")
def firms() -> gpd.GeoDataFrame:
    return synthetic_enterprises(20_000, seed=7)


def test_rows_ids_and_marks(firms: gpd.GeoDataFrame) -> None:
    assert len(firms) == 20_000
    assert firms["id"].iloc[0] == "SYN-0000001"
    assert firms["id"].iloc[-1] == "SYN-0020000"
    assert firms["id"].is_unique
    assert firms["name_zh"].iloc[0] == "合成企业 0000001"
    assert firms["name_en"].iloc[0] == "Synthetic firm 0000001"
    assert firms["synthetic"].all()
    assert firms["located"].all()
    assert (firms["source"] == "synthetic").all()
    assert (firms["location_basis"] == "synthetic").all()
    assert firms["status"].isin(STATUSES).all()
    assert firms["segment"].isin(segment_keys()).all()
    assert firms.crs.to_epsg() == 4326
    assert (firms.geometry.x == firms["lon"]).all()
    assert (firms.geometry.y == firms["lat"]).all()


def test_same_columns_as_the_real_layer_and_validation_is_a_no_op(firms: gpd.GeoDataFrame) -> None:
    sample = firms.iloc[:500]
    assert list(sample.columns) == [*ENTERPRISE_COLUMNS, "geometry"]
    validated, problems = validate_enterprises(sample, source_name="synthetic")
    assert problems.empty
    assert_geodataframe_equal(validated, sample)


def test_deterministic_for_a_seed_and_different_for_another() -> None:
    a = synthetic_enterprises(2_000, seed=3)
    b = synthetic_enterprises(2_000, seed=3)
    c = synthetic_enterprises(2_000, seed=4)
    assert_geodataframe_equal(a, b)
    assert not np.array_equal(a["lon"].to_numpy(), c["lon"].to_numpy())
    assert not (a["segment"] == c["segment"]).all()


def test_segment_shares_follow_the_weights(firms: gpd.GeoDataFrame) -> None:
    weights = {k: v[0] for k, v in SEGMENT_WEIGHTS.items()}
    total = sum(weights.values())
    shares = firms["segment"].value_counts(normalize=True)
    for seg, w in weights.items():
        # binomial standard error at n=20000 is under 0.2 %; allow ~5 of them
        assert shares.get(seg, 0.0) == pytest.approx(w / total, abs=0.01), seg


def test_most_firms_sit_at_a_park_of_their_designated_area(firms: gpd.GeoDataFrame) -> None:
    with_area = firms[firms["segment"].isin(AREA_OF_SEGMENT)]
    area_of_park = with_area["park"].map(PARK_AREA)
    scattered = with_area["park"] == ""
    home = area_of_park == with_area["segment"].map(AREA_OF_SEGMENT)
    misplaced = ~home & ~scattered
    assert home.mean() == pytest.approx(0.80, abs=0.02)
    assert misplaced.mean() == pytest.approx(0.15, abs=0.02)
    assert scattered.mean() == pytest.approx(0.05, abs=0.01)


def test_park_firms_are_within_a_few_km_of_their_park(firms: gpd.GeoDataFrame) -> None:
    centres = {name: (lon, lat) for name, lon, lat, _ in PARKS}
    at_park = firms[firms["park"] != ""]
    pts = at_park.to_crs(WORKING).geometry
    park_pts = gpd.GeoSeries(
        gpd.points_from_xy(
            at_park["park"].map(lambda p: centres[p][0]),
            at_park["park"].map(lambda p: centres[p][1]),
        ),
        index=at_park.index,
        crs="EPSG:4326",
    ).to_crs(WORKING)
    dist = pts.distance(park_pts)
    assert dist.max() < 10_000
    assert dist.median() < 3_000


def test_scattered_firms_are_inside_the_city_extent(firms: gpd.GeoDataFrame) -> None:
    scattered = firms[firms["park"] == ""]
    x0, y0, x1, y1 = EXTENT
    assert scattered["lon"].between(x0, x1).all()
    assert scattered["lat"].between(y0, y1).all()


def test_precision_is_precise_or_park_level(firms: gpd.GeoDataFrame) -> None:
    p = firms["precision_m"]
    precise = p.between(50, 200)
    park_level = p.between(3000, 5000)
    assert (precise | park_level).all()
    assert 0.1 < precise.mean() < 0.3


def test_capacity_has_a_unit_and_is_positive(firms: gpd.GeoDataFrame) -> None:
    given = firms["capacity"].notna()
    assert (firms.loc[given, "capacity"] > 0).all()
    assert (firms.loc[given, "capacity_unit"] != "").all()
    assert (firms.loc[~given, "capacity_unit"] == "").all()
    assert (firms["investment_cny"] > 0).all()


def test_zero_rows_and_bad_n() -> None:
    empty = synthetic_enterprises(0)
    assert len(empty) == 0
    assert list(empty.columns) == [*ENTERPRISE_COLUMNS, "geometry"]
    with pytest.raises(ValueError, match="`n`"):
        synthetic_enterprises(-1)
    with pytest.raises(ValueError, match="`n`"):
        synthetic_enterprises(2.5)  # type: ignore[arg-type]


def test_a_hundred_thousand_rows_are_generated() -> None:
    firms = synthetic_enterprises(100_000, seed=1)
    assert len(firms) == 100_000
    assert firms["id"].iloc[-1] == "SYN-0100000"
