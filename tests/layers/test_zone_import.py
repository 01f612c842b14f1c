"""Which imported feature becomes which zone: matching, areas, grouping, version 1."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

import geo.store
import layers
from layers import zone_import


@pytest.fixture
def three() -> gpd.GeoDataFrame:
    """Three squares named as a planner's file names them, in another order."""
    return gpd.GeoDataFrame(
        {"名称": ["小蓝经开区", "Nanchang High-tech Zone", "nc_etdz"], "n": [1, 2, 3]},
        geometry=[box(115.9, 28.5, 115.98, 28.58), box(116.0, 28.6, 116.1, 28.7),
                  box(115.8, 28.7, 115.9, 28.8)],
        crs="EPSG:4326",
    )  # fmt: skip


def test_names_ids_and_short_chinese_names_match_their_zones(three):
    zones = layers.zones()
    assert zone_import.name_columns(three) == ["名称", "n"]
    got = zone_import.match_zones(three, zones, "名称").tolist()
    # "Nanchang High-tech Zone" is not the zone's name: left for the planner, not guessed.
    assert got == ["xiaolan_etdz", None, "nc_etdz"]
    assert zone_import.match_zones(three, zones, zone_import.FEATURE_NUMBER).isna().all()


def test_two_features_naming_one_zone_are_not_matched(three):
    same = three.assign(名称=["小蓝经开区", "小蓝经开区", "x"])
    assert zone_import.match_zones(same, layers.zones(), "名称").isna().all()


def test_import_table_puts_each_area_next_to_the_official_one(three):
    zones = layers.zones()
    picks = ["xiaolan_etdz", None, "nc_etdz"]
    table = zone_import.import_table(three, zones, picks, column="名称")
    assert table.index.equals(three.index)
    assert table["feature"].tolist() == [1, 2, 3]
    assert table["area_km2"].tolist() == pytest.approx(
        zone_import.area_km2(three.geometry).tolist()
    )
    official = zones.set_index("zone_id")["official_area_km2"]
    assert table["official_area_km2"].iloc[0] == official["xiaolan_etdz"]
    assert pd.isna(table["official_area_km2"].iloc[1])  # not used
    # Areas are metric (EPSG:4548): a 0.08° square at 28.5° N is about 69 km².
    assert 60 < table["area_km2"].iloc[0] < 80


def test_combine_groups_by_zone_and_says_which_features(three):
    out = zone_import.combine(three.geometry, ["a", "b", "a"])
    assert sorted(out) == ["a", "b"]
    assert out["a"][1] == [1, 3]
    assert out["a"][0].area == pytest.approx(sum(g.area for g in three.geometry.iloc[[0, 2]]))
    assert zone_import.combine(three.geometry, [None, None, None]) == {}
    with pytest.raises(ValueError, match="assignment"):
        zone_import.combine(three.geometry, ["a"])


def test_apply_changes_replaces_each_zone_and_leaves_the_input(three):
    zones = layers.zones()
    before = zones.copy()
    changes = {"xiaolan_etdz": three.geometry.iloc[0], "nc_etdz": three.geometry.iloc[2]}
    out = zone_import.apply_changes(zones, changes)
    pd.testing.assert_frame_equal(zones, before)
    assert len(out) == len(zones)
    edited = out.set_index("zone_id")
    for zone, shape in changes.items():
        assert edited.geometry[zone].equals(shape)
        assert edited.loc[zone, "boundary_source"] == "drawn"
    assert edited.loc["nc_hitech", "boundary_source"] == "approximate"
    table = zone_import.change_table(zones, changes)
    assert list(table.index) == list(changes)
    assert table["new_area_km2"].tolist() == pytest.approx(edited.loc[list(changes), "area_km2"])


def test_shipped_zones_become_version_1_once(tmp_path):
    with geo.store.open(tmp_path / "p.gpkg") as store:
        assert zone_import.ensure_shipped_version(store) == 1
        assert zone_import.ensure_shipped_version(store) is None
        history = store.history("zones")
        stored = store.read("zones")
    assert history["version"].tolist() == [1]
    assert history["author"].iloc[0] == zone_import.SHIPPED_AUTHOR
    assert stored["zone_id"].tolist() == layers.zones()["zone_id"].tolist()
