"""geo's messages in Chinese: every problem and refusal carries both texts, keyed."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point, box

import geo
from geo import CRSError, InputError, read
from geo.crs import require_metric
from geo.grid import grid
from geo.io import write
from geo.messages import MESSAGES, Text, in_lang, placeholders
from tests.geo.conftest import NANCHANG

CJK = re.compile(r"[\u4e00-\u9fff]")
NANCHANG_ZH = dataclasses.replace(NANCHANG, name_zh="南昌及周边")
GEO = Path(geo.__file__).parent


def _read(data: bytes | str, name: str, **kwargs: object) -> geo.ReadResult:
    kwargs.setdefault("extent", NANCHANG_ZH)
    raw = data.encode() if isinstance(data, str) else data
    return read(raw, name=name, **kwargs)


def _zh(result: geo.ReadResult, row: int) -> str:
    found = result.problems[result.problems["row"] == row]
    assert len(found) == 1, found.to_string()
    return str(found["problem_zh"].iloc[0])


def _refusal(error: pytest.ExceptionInfo[BaseException]) -> Text:
    both = getattr(error.value, "text", None)
    assert isinstance(both, Text), f"{error.value!r} carries no Chinese text"
    assert both.en == str(error.value)
    return both


def test_catalogue_has_both_languages_with_the_same_placeholders():
    geo_keys = [k for k in MESSAGES if k.startswith("geo.")]
    assert len(geo_keys) > 100
    for key in geo_keys:
        entry = MESSAGES[key]
        assert set(entry) == {"en", "zh"}, key
        assert entry["en"].strip() or entry["en"] in (", ", "; ", " and ", " or "), key
        assert placeholders(entry["en"]) == placeholders(entry["zh"]), key


def test_every_key_is_used_in_geo():
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in GEO.rglob("*.py")
        if not p.name.startswith("_messages")
    )
    dead = [k for k in MESSAGES if f'"{k}"' not in sources]
    assert dead == []


def test_csv_value_problems_in_chinese():
    csv = (
        "id,经度,纬度,坐标系\n"
        "1,115.9,28.66,wgs84\n"
        "2,11x,28.7,wgs84\n"  # row 3
        "3,28.68,115.9,wgs84\n"  # row 4: swapped
        "4,121.47,31.23,wgs84\n"  # row 5: Shanghai
        "5,115.9,28.6,本地坐标\n"  # row 6: unknown system
        "1,115.8,28.6,wgs84\n"  # row 7: repeats row 2
        "6,,,wgs84\n"  # row 8: no coordinates
        "7,,28.6,wgs84\n"  # row 9: no longitude
        "8,200,100,wgs84\n"  # row 10: not on Earth
    )
    result = _read(csv, "企业名单.csv")
    assert _zh(result, 3) == (
        "企业名单.csv 第 3 行：经度“11x”不是数字；"
        "请更正该值，或将两个坐标都留空，使该行保留为未定位"
    )
    assert result.problems["problem"][0].startswith("企业名单.csv row 3: longitude '11x'")
    assert "经度 28.68 与纬度 115.9 似乎填反了" in _zh(result, 4)
    assert "预期范围（南昌及周边：东经 115-116.9 度，北纬 27.9-29.5 度）" in _zh(result, 4)
    assert "位于预期范围（南昌及周边" in _zh(result, 5)
    assert "坐标系“本地坐标”无法识别" in _zh(result, 6)
    assert _zh(result, 7).startswith("企业名单.csv 第 7 行：编号“1”与第 2 行重复")
    assert "已拒绝" in _zh(result, 7)
    assert "没有坐标（经度 和 纬度 均为空）" in _zh(result, 8)
    assert "经度（经度）为空" in _zh(result, 9)
    assert "不是地球上的位置" in _zh(result, 10)
    for zh in result.problems["problem_zh"]:
        assert "upload" not in zh
        assert "/tmp" not in zh


def test_wkt_and_xlsx_formula_problems_in_chinese(files):
    result = _read("id,wkt\n1,POINT (115.9 28.6)\n2,POINT (115.9\n", "区域.csv")
    assert _zh(result, 3).startswith("区域.csv 第 3 行：wkt“POINT (115.9”不是有效的 WKT")
    workbook = files.xlsx_bytes(
        {"企业": [["id", "lon", "lat", "名称"], [1, 115.9, 28.6, '=A2&"号"']]}
    )
    result = _read(workbook, "企业.xlsx")
    assert _zh(result, 2).startswith("企业.xlsx 第 2 行：名称 是没有保存计算结果的公式")
    assert _zh(result, 2).endswith("该行已保留，此单元格按空值处理")


def test_vector_problems_name_the_feature_in_chinese(files):
    features = [
        {"type": "Feature", "id": 1, "properties": {}, "geometry": None},
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Point", "coordinates": [files.bayi[1], files.bayi[0]]},
        },
    ]
    doc = json.dumps({"type": "FeatureCollection", "features": features})
    result = _read(doc, "站点.geojson")
    assert _zh(result, 1) == (
        "站点.geojson 第 1 个要素：没有几何（为空）；请绘制或修正其几何；该记录已保留为未定位"
    )
    assert _zh(result, 2).startswith("站点.geojson 第 2 个要素：经度与纬度似乎写反了")


def test_whole_file_refusals_carry_chinese():
    with pytest.raises(InputError) as caught:
        _read("id,名称\n1,甲\n", "名单.csv")
    zh = _refusal(caught).zh
    assert zh.startswith("名单.csv：未找到坐标（现有列：'id'、'名称'）")
    assert "经度/纬度" in zh
    with pytest.raises(InputError) as caught:
        _read("id,lon,lat\n1,400000,3170000\n", "米.csv")
    zh = _refusal(caught).zh
    assert "看起来是以米为单位的投影坐标" in zh
    assert "这些数值符合 EPSG:4548" in zh
    assert in_lang(caught.value, "zh") == zh
    with pytest.raises(InputError) as caught:
        _read('{"type": "FeatureCollection", "features": [', "坏.geojson")
    assert _refusal(caught).zh.startswith("坏.geojson 不是有效的 JSON：第 1 行第")


def test_crs_and_grid_refusals_carry_chinese(tmp_path):
    with pytest.raises(CRSError) as caught:
        grid(gpd.GeoSeries([box(0, 0, 1000, 1000)]), cell_m=100)
    assert _refusal(caught).zh.startswith("生成网格需要以米为单位的坐标，但几何没有坐标系")
    with pytest.raises(CRSError) as caught:
        grid(box(115.8, 28.6, 115.9, 28.7), cell_m=100)
    assert "看起来是经纬度" in _refusal(caught).zh
    with pytest.raises(CRSError) as caught:
        require_metric("EPSG:4326", what="a buffer")
    assert "地理坐标系" in _refusal(caught).zh
    naive = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(1, 2)])
    with pytest.raises(CRSError) as caught:
        write(naive, tmp_path / "out.geojson")
    assert _refusal(caught).zh.startswith("无法写出“out.geojson”：几何没有坐标系")


def _battery(files, sites, tmp_path) -> tuple[list[geo.ReadResult], list[BaseException]]:
    """Bad inputs of every format this package reads, as the other tests use them."""
    results: list[geo.ReadResult] = []
    errors: list[BaseException] = []
    bad_rows = [
        ["id", "lon", "lat", "坐标系"],
        [1, "11x", 28.7, "wgs84"],
        [2, 28.68, 115.9, "wgs84"],
        [3, 121.47, 31.23, "wgs84"],
        [4, 115.9, 28.6, "本地坐标"],
        [1, 115.8, 28.6, "wgs84"],
        [5, None, None, "wgs84"],
        [6, 200, 100, "wgs84"],
    ]
    results.append(_read(files.csv_text(bad_rows), "名单.csv"))
    results.append(_read(files.xlsx_bytes({"s": bad_rows}), "名单.xlsx"))
    results.append(_read("id,wkt\n1,POINT (1\n2,POINT (115.9 28.6)\n", "wkt.csv"))
    points = gpd.GeoDataFrame(
        {"id": ["1", "2", "3", "1"]},
        geometry=[
            Point(files.bayi),
            Point(files.bayi[1], files.bayi[0]),
            Point(121.47, 31.23),
            Point(files.west_station),
        ],
        crs=4326,
    )
    results.append(_read(points.to_json(), "点.geojson"))
    parts = files.shapefile_parts(points, tmp_path / "shp", encoding="UTF-8", cpg=True)
    results.append(_read(files.zip_bytes(parts), "点.zip"))
    buffer = io.BytesIO()
    with_none = points.copy()
    with_none.loc[1, "geometry"] = None
    with_none.to_parquet(buffer)
    results.append(_read(buffer.getvalue(), "点.parquet"))
    kml = tmp_path / "点.kml"
    pyogrio.write_dataframe(points[["geometry"]], kml, driver="KML")
    results.append(_read(kml.read_bytes(), "点.kml"))
    refused = [
        ("id,名称\n1,甲\n", "无坐标.csv", {}),
        ("id,lon,lat\n1,400000,3170000\n", "米.csv", {}),
        ("id,lon,lat\n1,400000,3170000\n", "米.csv", {"extent": None}),
        ("id,lon,lon,lat\n1,1,1,1\n", "重复表头.csv", {}),
        ("id,lon,lat\n1,115.9,28.6\n", "a.csv", {"coord_system": "本地坐标"}),
        ("id,lon,lat\n1,115.9,28.6\n", "a.csv", {"id_column": "编号"}),
        ("id,lon,lat\n", "空.csv", {}),
        ("", "空白.csv", {}),
        (b"\xff\xfe\x00\xd8" * 10, "乱码.csv", {}),
        ("x" * 2000, "大.csv", {"max_bytes": 1000}),
        ("{", "坏.geojson", {}),
        ("[1]", "列表.geojson", {}),
        ('{"type": "Nothing"}', "类型.geojson", {}),
        ('{"type": "FeatureCollection", "features": []}', "无要素.geojson", {}),
        (files.zip_bytes({"readme.txt": b"x"}), "无.zip", {}),
        (b"not a zip", "坏.zip", {}),
        (b"not a workbook", "坏.xlsx", {}),
        (b"PAR1 broken", "坏.parquet", {}),
        (b"data", "无扩展名", {}),
        (b"<kml><NetworkLink/></kml>", "链接.kml", {}),
    ]
    for data, name, kwargs in refused:
        # Each is an InputError, also the `coord_system` the user chose (not a bare ValueError).
        with pytest.raises(InputError) as caught:
            _read(data, name, **kwargs)
        errors.append(caught.value)
    with pytest.raises(InputError) as caught:
        read("不存在.csv")  # a relative path, quoted as given
    errors.append(caught.value)
    return results, errors


def test_every_problem_and_refusal_of_the_battery_is_in_chinese(files, sites, tmp_path):
    results, errors = _battery(files, sites, tmp_path)
    rows = 0
    for result in results:
        problems = result.problems
        assert len(problems) > 0, result.source
        for en, zh in zip(problems["problem"], problems["problem_zh"], strict=True):
            rows += 1
            assert CJK.search(zh), zh
            assert zh != en
            assert result.source in zh  # the user's own file name, never a temp name
    assert rows >= 25
    for error in errors:
        assert isinstance(error, InputError), repr(error)
        both = error.text
        assert isinstance(both, Text), repr(error)
        assert CJK.search(both.zh), both.zh
        assert both.zh != both.en
        assert "/tmp" not in both.zh
        assert "geo-io-" not in both.zh
