"""Coordinate-system names and columns as people write them in Chinese spreadsheets."""

from __future__ import annotations

import pytest

from geo.crs import convert, normalise_coord_system
from geo.io import SYSTEM_COLUMNS, read

# Bayi Square, Nanchang (WGS 84, rounded), as in tests/geo/conftest.py.
BAYI = (115.8997, 28.6819)


@pytest.mark.parametrize(
    ("spelling", "system"),
    [
        ("高德", "gcj02"),
        ("高德地图", "gcj02"),
        ("GCJ-02", "gcj02"),
        ("GCJ02", "gcj02"),
        ("gcj_02", "gcj02"),
        ("火星", "gcj02"),
        ("火星坐标系", "gcj02"),
        ("腾讯", "gcj02"),
        ("腾讯地图", "gcj02"),
        ("百度", "bd09"),
        ("百度坐标", "bd09"),
        ("BD-09", "bd09"),
        ("BD09", "bd09"),
        ("WGS84", "wgs84"),
        ("WGS-84", "wgs84"),
        ("wgs 1984", "wgs84"),
        ("GPS", "wgs84"),
        ("天地图", "wgs84"),
        ("CGCS2000", "wgs84"),
        ("CGCS 2000", "wgs84"),
        ("国家2000", "wgs84"),
        ("2000国家大地坐标系", "wgs84"),
    ],
)
def test_chinese_and_dashed_spellings(spelling, system):
    assert normalise_coord_system(spelling) == system


@pytest.mark.parametrize("spelling", ["谷歌", "北京54", "西安80", "bd09mc"])
def test_systems_that_are_not_lon_lat_or_not_supported_are_refused(spelling):
    # Beijing 54 / Xi'an 80 are other datums (projected in practice) and BD-09 Mercator is
    # in metres: none may be read as if it were WGS 84 degrees.
    with pytest.raises(ValueError, match="unknown coordinate system"):
        normalise_coord_system(spelling)


@pytest.mark.parametrize("header", ["坐标系", "坐标系统", "坐标类型", "coordinate system"])
def test_per_row_system_column_under_its_usual_names(header):
    assert header in SYSTEM_COLUMNS
    gx, gy = (float(v) for v in convert(*BAYI, src="wgs84", dst="gcj02"))
    bx, by = (float(v) for v in convert(*BAYI, src="wgs84", dst="bd09"))
    text = (
        f"id,名称,经度,纬度,{header}\n"
        f"1,a,{gx},{gy},高德\n"
        f"2,b,{bx},{by},BD-09\n"
        f"3,c,{BAYI[0]},{BAYI[1]},天地图\n"
    )
    result = read(text.encode(), name="sites.csv")
    assert result.problems.empty
    assert result.data["lon"].tolist() == pytest.approx([BAYI[0]] * 3, abs=1e-8)
    assert result.data["lat"].tolist() == pytest.approx([BAYI[1]] * 3, abs=1e-8)
