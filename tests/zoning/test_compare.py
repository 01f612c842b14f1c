from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from zoning import check, compare_checks
from zoning.check import VERDICTS


@pytest.fixture
def firms():
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "name_zh": ["甲", "乙", "丙"],
            "name_en": ["A", "B", "C"],
            "segment": ["cathode", "cathode", "pcs"],
            "precision_m": [0.0, 0.0, 0.0],
        },
        geometry=[Point(115.91, 28.61), Point(115.99, 28.61), Point(115.91, 28.62)],
        crs="EPSG:4326",
        index=[10, 20, 30],
    )


def _areas(materials_box):
    return gpd.GeoDataFrame(
        {
            "name_zh": ["材料区", "控制区"],
            "name_en": ["materials area", "control area"],
            "segments": [("cathode",), ("pcs",)],
        },
        geometry=[box(*materials_box), box(116.2, 28.8, 116.3, 28.9)],
        crs="EPSG:4326",
        index=pd.Index(["materials", "control"], name="area"),
    )


def test_moving_an_area_changes_counts_and_lists_the_movers(firms):
    before = check(firms, areas=_areas((115.9, 28.6, 115.95, 28.65)))
    after = check(firms, areas=_areas((115.9, 28.6, 116.0, 28.65)))  # now also covers b
    cmp = compare_checks(before, after)
    assert list(cmp.counts.index) == list(VERDICTS)
    assert cmp.counts.loc["conforming", "before"] == 1
    assert cmp.counts.loc["conforming", "after"] == 2
    assert cmp.counts.loc["outside", "change"] == -1
    assert cmp.counts["change"].sum() == 0
    assert list(cmp.changed.index) == [20]
    row = cmp.changed.loc[20]
    assert (row["verdict_before"], row["verdict_after"]) == ("outside", "conforming")
    assert row["area_after"] == ("materials",)
    assert "materials area" in row["reason_en"]


def test_same_plan_changes_nothing_and_other_tables_are_refused(firms):
    result = check(firms, areas=_areas((115.9, 28.6, 115.95, 28.65)))
    same = compare_checks(result, result)
    assert same.changed.empty
    assert (same.counts["change"] == 0).all()
    with pytest.raises(ValueError, match="same enterprises"):
        compare_checks(result, result.iloc[:2])
