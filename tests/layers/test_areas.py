"""The area polygons: set algebra checked exactly on hand-made squares, then the shipped data.

The hand-made layers are squares laid out in kilometres in the working CRS near Nanchang
(EPSG:4548, x ~ 392 km, y ~ 3176 km), handed to `areas` in WGS 84 like the real layers::

    y
    10 +---------+---------+         新建区 360112      [0,10] x [0,10]
       |  新建区  |  青山湖区 |  +---+  青山湖区 360111    [10,20] x [0,10]  plus [25,30] x [0,5]
     8 |    +----+----+    |  |   |  南昌经开区 nc_etdz [8,14] x [4,8]
       |    | 经开区     |  +-------+  南昌高新区 nc_hitech [18,24] x [2,6]
     4 |    +----+----+    |高新区|    安义县 360123      [0,5] x [-10,-5]
       |         |         |    |    进贤县 360124      [20,25] x [-10,-5]
     0 +---------+---------+---+    小蓝 xiaolan_etdz   [8,12] x [-6,-2]
       0         10        20       南昌县 360121      [5,20] x [-10,0]

By hand (km²):
  battery   = 经开区 ∪ 新建区              = 24 + 100 - 8 (overlap [8,10]x[4,8])       = 116
  control   = 高新区 ∪ (青山湖区 − 经开区) = 24 + (125 - 16) - 8 (overlap [18,20]x[2,6]) = 125
  materials = 安义县 ∪ 小蓝 ∪ 进贤县       = 25 + 16 + 25                              = 66
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, box

from geo import CRSError, InputError
from geo.crs import WGS84, WORKING
from layers.areas import MIN_PART_KM2, areas
from layers.rules import AreaRule, RuleError, Rules, rules

X0, Y0 = 392_000.0, 3_176_000.0
ZONE_IDS = ("nc_etdz", "nc_hitech", "xiaolan_etdz")
ADCODES = ("360102", "360103", "360104", "360111", "360112", "360113", "360121", "360123",
           "360124")  # fmt: skip


def sq(x0, y0, x1, y1):
    """A square given in km from the origin, in EPSG:4548 metres."""
    return box(X0 + x0 * 1000, Y0 + y0 * 1000, X0 + x1 * 1000, Y0 + y1 * 1000)


def xy(x_km, y_km):
    """A point given in km, as WGS 84 lon/lat."""
    pt = gpd.GeoSeries([shapely.Point(X0 + x_km * 1000, Y0 + y_km * 1000)], crs=WORKING)
    return pt.to_crs(WGS84).iloc[0]


def hand_districts(crs=WGS84):
    gdf = gpd.GeoDataFrame(
        {
            "adcode": ["360112", "360111", "360123", "360124", "360121"],
            "name_zh": ["新建区", "青山湖区", "安义县", "进贤县", "南昌县"],
        },
        geometry=[
            sq(0, 0, 10, 10),
            MultiPolygon([sq(10, 0, 20, 10), sq(25, 0, 30, 5)]),
            sq(0, -10, 5, -5),
            sq(20, -10, 25, -5),
            sq(5, -10, 20, 0),
        ],
        crs=WORKING,
    )
    return gdf.to_crs(crs)


def hand_zones(crs=WGS84):
    gdf = gpd.GeoDataFrame(
        {"zone_id": list(ZONE_IDS), "name_zh": ["南昌经开区", "南昌高新区", "小蓝经开区"]},
        geometry=[sq(8, 4, 14, 8), sq(18, 2, 24, 6), sq(8, -6, 12, -2)],
        crs=WORKING,
    )
    return gdf.to_crs(crs)


@pytest.fixture
def plan_rules():
    # The shipped rules file, checked against the keys of the hand-made layers.
    return rules(zone_ids=ZONE_IDS, adcodes=ADCODES)


def in_working(result):
    return result.to_crs(WORKING)


def test_schema(plan_rules):
    result = areas(plan_rules, districts=hand_districts(), zones=hand_zones())
    assert result.crs.to_epsg() == 4326
    assert list(result.index) == ["battery", "materials", "control"]
    assert result.index.name == "area"
    assert list(result.columns) == [
        "name_zh", "name_en", "segments", "definition", "area_km2", "geometry",
    ]  # fmt: skip
    assert result["segments"].dtype == object
    for key in result.index:
        assert result.loc[key, "segments"] == plan_rules.area(key).segments
        assert result.loc[key, "name_zh"] == plan_rules.area(key).name_zh
    assert result.is_valid.all()
    assert set(result.geom_type) <= {"Polygon", "MultiPolygon"}


def test_set_algebra_matches_hand_computed_areas(plan_rules):
    result = areas(plan_rules, districts=hand_districts(), zones=hand_zones())
    measured = in_working(result).area / 1e6
    expected = {"battery": 116.0, "materials": 66.0, "control": 125.0}
    for key, km2 in expected.items():
        assert measured[key] == pytest.approx(km2, rel=1e-6), key
        assert result.loc[key, "area_km2"] == pytest.approx(km2, rel=1e-6), key


def test_control_is_hitech_plus_qingshanhu_minus_the_etdz(plan_rules):
    result = in_working(areas(plan_rules, districts=hand_districts(), zones=hand_zones()))
    control = result.loc["control", "geometry"]
    expected = sq(18, 2, 24, 6).union(
        MultiPolygon([sq(10, 0, 20, 10), sq(25, 0, 30, 5)]).difference(sq(8, 4, 14, 8))
    )
    assert control.symmetric_difference(expected).area < 1.0  # m², rounding only


def test_etdz_part_of_qingshanhu_is_battery_not_control(plan_rules):
    result = areas(plan_rules, districts=hand_districts(), zones=hand_zones())
    in_etdz_in_qingshanhu = xy(12, 6)
    plain_qingshanhu = xy(15, 2)
    hitech_outside_districts = xy(23, 4)
    assert result.loc["battery", "geometry"].contains(in_etdz_in_qingshanhu)
    assert not result.loc["control", "geometry"].contains(in_etdz_in_qingshanhu)
    assert result.loc["control", "geometry"].contains(plain_qingshanhu)
    assert not result.loc["battery", "geometry"].contains(plain_qingshanhu)
    assert result.loc["control", "geometry"].contains(hitech_outside_districts)
    # 南昌县 is a member of no area.
    assert not result.contains(xy(17, -5)).any()


def test_areas_do_not_overlap(plan_rules):
    result = in_working(areas(plan_rules, districts=hand_districts(), zones=hand_zones()))
    for a, b in itertools.combinations(result.index, 2):
        overlap = result.loc[a, "geometry"].intersection(result.loc[b, "geometry"]).area
        assert overlap < 1.0, (a, b, overlap)


def test_definition_text(plan_rules):
    result = areas(plan_rules, districts=hand_districts(), zones=hand_zones())
    assert result.loc["control", "definition"] == "南昌高新区 ∪ (青山湖区 − 南昌经开区)"
    assert result.loc["battery", "definition"] == "南昌经开区 ∪ 新建区"
    assert result.loc["materials", "definition"] == "小蓝经开区 ∪ 安义县 ∪ 进贤县"


def test_input_crs_does_not_matter_and_inputs_are_untouched(plan_rules):
    d, z = hand_districts(), hand_zones()
    d_before, z_before = d.copy(), z.copy()
    from_lonlat = areas(plan_rules, districts=d, zones=z)
    from_metres = areas(plan_rules, districts=hand_districts(WORKING), zones=hand_zones(WORKING))
    assert_geodataframe_equal(d, d_before)
    assert_geodataframe_equal(z, z_before)
    np.testing.assert_allclose(from_lonlat["area_km2"], from_metres["area_km2"], rtol=1e-9)


def test_row_order_of_the_layers_does_not_matter(plan_rules):
    a = areas(plan_rules, districts=hand_districts(), zones=hand_zones())
    b = areas(plan_rules, districts=hand_districts().iloc[::-1], zones=hand_zones().iloc[::-1])
    np.testing.assert_allclose(a["area_km2"], b["area_km2"], rtol=1e-12)
    assert a.geom_equals_exact(b, tolerance=1e-9).all()


def test_missing_members_are_all_reported(plan_rules):
    zones = hand_zones()
    zones = zones[zones["zone_id"] != "nc_etdz"]
    districts = hand_districts()
    districts = districts[districts["adcode"] != "360124"]
    with pytest.raises(RuleError) as info:
        areas(plan_rules, districts=districts, zones=zones)
    problems = info.value.problems
    # nc_etdz is a member of battery and subtracted in control; 360124 is in materials.
    assert len(problems) == 3
    assert sum("'nc_etdz'" in p for p in problems) == 2
    assert any("'360124'" in p and "did you mean" in p for p in problems)


def test_layer_without_its_key_column_is_refused(plan_rules):
    zones = hand_zones().rename(columns={"zone_id": "id"})
    with pytest.raises(InputError, match="zone_id"):
        areas(plan_rules, districts=hand_districts(), zones=zones)


def test_naive_layers_are_refused(plan_rules):
    naive = hand_districts().set_crs(None, allow_override=True)
    with pytest.raises(CRSError):
        areas(plan_rules, districts=naive, zones=hand_zones())


# ---- slivers ---------------------------------------------------------------------------


def one_area(minus=(), zones=("whole",)):
    rule = AreaRule(
        key="a",
        name_zh="甲",
        name_en="A",
        districts=("360111",),
        zones=zones,
        minus_zones=minus,
        segments=("sensor",),
    )
    return Rules(areas=(rule,), key_segments_without_area=())


def layers_for_slivers(minus_geometry):
    districts = gpd.GeoDataFrame(
        {"adcode": ["360111"], "name_zh": ["青山湖区"]}, geometry=[sq(0, 0, 10, 10)], crs=WORKING
    )
    zones = gpd.GeoDataFrame(
        {"zone_id": ["whole", "minus"], "name_zh": ["整区", "扣除"]},
        geometry=[sq(20, 0, 30, 10), minus_geometry],
        crs=WORKING,
    )
    return districts.to_crs(WGS84), zones.to_crs(WGS84)


@pytest.mark.parametrize(
    ("width_m", "kept"),
    [(0.5, False), (2.0, True)],  # 0.005 km² is a sliver, 0.02 km² is land
)
def test_slivers_under_the_threshold_are_dropped(width_m, kept):
    # The subtracted zone leaves a strip `width_m` wide and 10 km long of the district.
    d, z = layers_for_slivers(sq(width_m / 1000, -1, 10.5, 11))
    result = areas(one_area(minus=("minus",)), districts=d, zones=z)
    strip_km2 = width_m * 10_000 / 1e6
    assert (strip_km2 >= MIN_PART_KM2) == kept
    expected = 100 + (strip_km2 if kept else 0)
    assert result.loc["a", "area_km2"] == pytest.approx(expected, rel=1e-6)
    assert result.loc["a", "geometry"].contains(xy(width_m / 2000, 5)) == kept
    assert result.is_valid.all()


@pytest.mark.parametrize(("side_m", "kept"), [(50, False), (200, True)])
def test_holes_under_the_threshold_are_filled(side_m, kept):
    s = side_m / 1000
    d, z = layers_for_slivers(sq(5, 5, 5 + s, 5 + s))
    result = areas(one_area(minus=("minus",)), districts=d, zones=z)
    hole_km2 = (side_m / 1000) ** 2
    expected = 200 - (hole_km2 if kept else 0)
    assert result.loc["a", "area_km2"] == pytest.approx(expected, rel=1e-6)
    assert result.loc["a", "geometry"].contains(xy(5 + s / 2, 5 + s / 2)) != kept


def test_an_area_that_ends_up_empty_is_an_error():
    d, z = layers_for_slivers(sq(-1, -1, 11, 11))
    with pytest.raises(RuleError, match=r"'a'.*is empty"):
        areas(one_area(minus=("minus",), zones=()), districts=d, zones=z)


# ---- the shipped data ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return areas()


def test_shipped_areas_are_valid_and_disjoint(shipped):
    assert list(shipped.index) == ["battery", "materials", "control"]
    assert shipped.is_valid.all()
    assert set(shipped.geom_type) <= {"Polygon", "MultiPolygon"}
    metric = shipped.to_crs(WORKING)
    np.testing.assert_allclose(shipped["area_km2"], metric.area / 1e6, rtol=1e-9)
    for a, b in itertools.combinations(metric.index, 2):
        overlap_km2 = metric.loc[a, "geometry"].intersection(metric.loc[b, "geometry"]).area / 1e6
        assert overlap_km2 < 0.01, (a, b, overlap_km2)


def test_shipped_etdz_centre_is_battery_not_control(shipped):
    centre = shapely.Point(115.84, 28.76)  # estimated 南昌经开区 centre (reference facts §2b)
    assert shipped.loc["battery", "geometry"].contains(centre)
    assert not shipped.loc["control", "geometry"].contains(centre)
    assert not shipped.loc["materials", "geometry"].contains(centre)


def test_shipped_areas_contain_their_whole_member_districts_and_zones(shipped):
    from layers._geography import districts, zones

    metric = shipped.to_crs(WORKING)
    d = districts().to_crs(WORKING).set_index("adcode")
    z = zones().to_crs(WORKING).set_index("zone_id")
    for rule in rules().areas:
        geom = metric.loc[rule.key, "geometry"]
        for zone in rule.zones:
            assert z.loc[zone, "geometry"].difference(geom).area / 1e6 < 0.01, (rule.key, zone)
        if not rule.minus_zones:
            for code in rule.districts:
                outside = d.loc[code, "geometry"].difference(geom).area / 1e6
                assert outside < 0.01, (rule.key, code)
    # The control area keeps 青山湖区 outside 经开区 and loses the part inside it.
    control = metric.loc["control", "geometry"]
    qingshanhu, etdz = d.loc["360111", "geometry"], z.loc["nc_etdz", "geometry"]
    assert qingshanhu.difference(etdz).difference(control).area / 1e6 < 0.01
    assert qingshanhu.intersection(etdz).area / 1e6 > 1.0  # the overlap is real ...
    assert control.intersection(etdz).area / 1e6 < 0.01  # ... and left out of control
