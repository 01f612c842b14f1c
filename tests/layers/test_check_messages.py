"""The layers' checks speak both languages: every problem and refusal has its Chinese text.

Each message family is produced from a real bad input and its Chinese asserted; a battery
of bad enterprise tables checks that no problem is left in English only.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from shapely.geometry import LineString, Point, box

from geo import InputError
from geo.messages import Text
from layers import _geography as geography
from layers import edits
from layers._enterprise_checks import Problems, check_segment
from layers._yaml import RuleError
from layers.chain import chain
from layers.enterprises import read_enterprises, validate_enterprises
from layers.project import open_project
from layers.rules import rules

KEYS = ("cathode", "copper_foil", "li_ion_cell", "pv_cell")
ZONES = ("nc_etdz", "nc_hitech", "xiaolan_etdz")
ADCODES = ("360111", "360112", "360123", "360124")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _raw(**columns: list[object]) -> gpd.GeoDataFrame:
    data: dict[str, list[object]] = {
        "id": ["A1", "A2"],
        "name_zh": ["甲", "乙"],
        "segment": ["cathode", "pv_cell"],
        "status": ["operating", "planned"],
    }
    data.update(columns)
    geometry = columns.pop("geometry", None) or [Point(115.94, 28.56), Point(115.84, 28.76)]
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def _problem(gdf: gpd.GeoDataFrame, column: str) -> pd.Series:
    _, problems = validate_enterprises(gdf, source_name="企业名单.csv", chain_keys=KEYS)
    rows = problems[problems["column"] == column]
    assert len(rows) == 1, problems.to_string()
    return rows.iloc[0]


# ---- enterprise rows ---------------------------------------------------------------------


def test_blank_id_in_chinese() -> None:
    p = _problem(_raw(id=["", "A2"]), "id")
    assert p["problem_zh"] == (
        "企业名单.csv 第 2 行：编号为空；请为每家企业填写唯一编号（如 NC-012）；该行已保留"
    )
    assert p["problem"].endswith("id is empty; give every enterprise its own id (e.g. NC-012); "
                                 "the row is kept")  # fmt: skip


def test_repeated_id_in_chinese_names_the_first_row() -> None:
    p = _problem(_raw(id=["NC-7", "NC-7"]), "id")
    assert p["problem_zh"] == (
        "企业名单.csv 第 3 行：编号“NC-7”与第 2 行重复；已保留首次出现的行，本行未采用；"
        "请为每条记录填写唯一编号"
    )
    assert "id 'NC-7' repeats row 2" in p["problem"]


def test_investment_that_is_no_number_in_chinese() -> None:
    p = _problem(_raw(investment_cny=["5亿", ""]), "investment_cny")
    assert p["value"] == "5亿"
    assert p["problem_zh"] == (
        "企业名单.csv 第 2 行：投资额（investment_cny）须为数字（不带单位或文字）；已设为空（NaN）"
    )
    assert p["problem"] == (
        "企业名单.csv row 2: investment_cny must be a number (no units or text); it was set "
        "empty (NaN)"
    )


def test_negative_capacity_in_chinese() -> None:
    p = _problem(_raw(capacity=["10", "-3"]), "capacity")
    assert p["problem_zh"] == (
        "企业名单.csv 第 3 行：产能（capacity）不能为负数；已设为空（NaN）；请改正正负号"
    )


def test_unknown_status_in_chinese_keeps_the_value_as_typed() -> None:
    p = _problem(_raw(status=["operating", "停产整顿"]), "status")
    assert p["problem_zh"].startswith("企业名单.csv 第 3 行：状态“停产整顿”无法识别")
    assert "已设为 unknown（未知）" in p["problem_zh"]
    assert (
        "status '停产整顿' is not one of operating, construction, planned, unknown"
        in (p["problem"])
    )


def test_non_point_geometry_in_chinese() -> None:
    p = _problem(_raw(geometry=[box(115.9, 28.5, 115.91, 28.51), Point(115.8, 28.7)]), "geometry")
    assert p["problem_zh"] == "企业名单.csv 第 2 行：企业位置应为点；该几何已替换为其内部的一个点"


def test_synthetic_flag_in_chinese() -> None:
    p = _problem(_raw(synthetic=["maybe", "否"]), "synthetic")
    assert "须为 true 或 false" in p["problem_zh"]
    assert "已设为 false" in p["problem_zh"]


def test_unknown_segment_check_says_did_you_mean_in_chinese() -> None:
    frame = pd.DataFrame({"segment": ["cathod", "", "cathode"]})
    found = Problems(pd.RangeIndex(2, 5).to_numpy(dtype="int64"), "a.csv")
    check_segment(frame, KEYS, {}, found)
    zh = found.frame()["problem_zh"].tolist()
    unknown = (
        "a.csv 第 2 行：产业环节 'cathod' 无法识别（是否应为 'cathode'？）。可用的环节代码："
        "cathode, copper_foil, li_ion_cell, pv_cell。该行已保留，产业环节按原样保留"
        "（segment_known 为 False）"
    )
    blank = "a.csv 第 3 行：产业环节为空：请填写以下环节代码之一（" + ", ".join(KEYS) + "）"
    assert zh == [unknown, blank]
    assert "(did you mean 'cathode'?)" in found.frame()["problem"].iloc[0]


def test_refusals_of_a_whole_table_in_chinese() -> None:
    with pytest.raises(InputError) as info:
        validate_enterprises(_raw().set_crs(None, allow_override=True), source_name="上传.xlsx")
    assert info.value.text is not None
    assert info.value.text.zh.startswith("上传.xlsx：几何没有坐标参考系（CRS）")
    assert str(info.value).startswith("上传.xlsx: the geometries have no CRS.")
    with pytest.raises(InputError) as info:
        validate_enterprises(_raw().drop(columns="name_zh"), source_name="上传.xlsx")
    assert info.value.text is not None
    assert info.value.text.zh.startswith("上传.xlsx：缺少必填列 name_zh。请在表头行中添加")


# A battery of bad tables: every problem the enterprise checks record has its own Chinese.
_BAD_TABLES = {
    "blank and repeated ids": {"id": ["", ""]},
    "repeated id": {"id": ["X", "X"]},
    "numbers with units": {"investment_cny": ["3亿元", "n/a"], "capacity": ["10GWh", "-"]},
    "negative numbers": {"capacity": ["-1", "2"], "precision_m": ["-50", "-1,000"]},
    "statuses": {"status": ["停产", "closed"]},
    "flags": {"synthetic": ["perhaps", "2"]},
    "geometries": {
        "geometry": [box(115.9, 28.5, 115.91, 28.51), LineString([(115.8, 28.7), (115.9, 28.7)])]
    },
}


def _chinese_everywhere(problems: pd.DataFrame) -> None:
    assert len(problems)
    for en, zh in zip(problems["problem"], problems["problem_zh"], strict=True):
        assert CJK.search(zh), zh
        assert zh != en


@pytest.mark.parametrize("columns", _BAD_TABLES.values(), ids=_BAD_TABLES.keys())
def test_battery_of_bad_tables_has_chinese_problems(columns: dict[str, list[object]]) -> None:
    # An ASCII file name: the Chinese must come from the message, not from the name.
    _, problems = validate_enterprises(_raw(**columns), source_name="firms.csv", chain_keys=KEYS)
    _chinese_everywhere(problems)


def test_battery_through_read_enterprises(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text(
        "id,name_zh,segment,status,capacity,investment_cny,lon,lat\n"
        ",甲,cathode,operating,1,1e8,115.94,28.56\n"
        "B,乙,cathode,shut,-1,五千万,115.94,28.56\n"
        "C,丙,cathode,在建,2 GWh,-5,115.94,28.56\n",
        encoding="utf-8",
    )
    problems = read_enterprises(path).problems
    assert set(problems["column"]) == {"id", "status", "capacity", "investment_cny"}
    _chinese_everywhere(problems)


# ---- rules, chain, areas, geography, project, edits --------------------------------------


def _write(tmp_path: Path, doc: object, name: str) -> Path:
    path = tmp_path / name
    body = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True)
    path.write_text(body, encoding="utf-8")
    return path


def _rules_error(path: Path) -> RuleError:
    with pytest.raises(RuleError) as info:
        rules(path, segments=KEYS, zone_ids=ZONES, adcodes=ADCODES)
    return info.value


def test_bad_rules_yaml_in_chinese(tmp_path: Path) -> None:
    err = _rules_error(_write(tmp_path, "version: 1\nareas: [a, b\n", "规则.yaml"))
    assert isinstance(err, InputError)
    assert err.text is not None
    assert err.text.zh.startswith("规则.yaml：1 个问题：\n  1. 第 ")
    assert "YAML 语法错误" in err.text.zh
    assert "请检查该处的缩进和引号" in err.text.zh
    assert str(err).startswith("规则.yaml: 1 problem:\n  1. line ")
    assert err.problems_zh[0] in err.text.zh


def test_rules_problems_in_chinese_with_the_nearest_key(tmp_path: Path) -> None:
    doc = {
        "version": 0,
        "areas": [
            {"key": "battery", "name_zh": "电池", "name_en": "Battery",
             "members": {"zones": ["nc_etd"]}, "segments": ["cathod"], "colour": "red"},
        ],
        "targets": {"annual_scale_cny": "2.0e10", "max_growth_pct": 200},
    }  # fmt: skip
    err = _rules_error(_write(tmp_path, doc, "rules.yaml"))
    zh = "\n".join(err.problems_zh)
    assert len(err.problems_zh) == len(err.problems) >= 5
    assert "规则文件缺少必填字段 'as_of'" in zh
    assert "须为不小于 1 的整数，实际为数字 0" in zh
    assert "园区编号 'nc_etd' 不存在（是否应为 'nc_etdz'？）；可用的园区编号：" in zh
    assert "产业环节 'cathod' 不存在（是否应为 'cathode'？）；可用的环节代码：" in zh
    assert "字段 'colour' 不存在" in zh
    assert "YAML 会把 2.0e10 读作文字" in zh
    for en, text in zip(err.problems, err.problems_zh, strict=True):
        assert CJK.search(text), text
        assert text.startswith("第 ")
        assert en.startswith("line ")


def test_rule_error_pickles_with_both_languages_and_takes_plain_text() -> None:
    err = RuleError([Text("line 2, a: bad", "第 2 行，a：有误"), "plain"], "x.yaml")
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) == "x.yaml: 2 problems:\n  1. line 2, a: bad\n  2. plain"
    assert again.text == err.text
    assert again.problems_zh == ["第 2 行，a：有误", "plain"]


def test_chain_problems_in_chinese(tmp_path: Path) -> None:
    doc = {
        "version": 1,
        "segments": [
            {"key": "a", "name_zh": "甲", "name_en": "A", "stage": "material",
             "supplies": ["b"]},
            {"key": "b", "name_zh": "乙", "name_en": "B", "stage": "cells", "supplies": ["a"]},
            {"key": "b", "name_zh": "乙", "name_en": "B", "stage": "cells", "supplies": []},
        ],
    }  # fmt: skip
    with pytest.raises(RuleError) as info:
        chain(_write(tmp_path, doc, "chain.yaml"))
    zh = info.value.problems_zh
    assert any("阶段 'material' 不存在（是否应为 'materials'？）" in p for p in zh)
    assert any("环节代码 'b' 使用了两次：代码不得重复" in p for p in zh)
    assert any(p.startswith("供应环路 a -> b -> a：") for p in zh)


def test_unknown_segment_of_the_plan_in_chinese() -> None:
    with pytest.raises(InputError) as info:
        rules().designated_areas("li_ion_cel")
    assert info.value.text is not None
    assert info.value.text.zh.startswith("产业环节 'li_ion_cel' 不存在（是否应为 'li_ion_cell'？）")


def test_bad_districts_file_in_chinese(tmp_path: Path) -> None:
    bad = gpd.GeoDataFrame(
        {
            "adcode": ["3601", "360112"],
            "name_zh": ["甲", " "],
            "name_en": ["A", "B"],
            "area_km2": [1.0, 2.0],
        },
        geometry=[Point(115.9, 28.6), box(115.8, 28.5, 115.9, 28.6)],
        crs="EPSG:4326",
    )
    path = tmp_path / "districts.geojson"
    bad.to_file(path, driver="GeoJSON")
    with pytest.raises(InputError) as info:
        geography.districts(path)
    assert info.value.text is not None
    zh = info.value.text.zh
    assert zh.startswith(f"{path}：3 个问题：")
    assert "第 1 个要素：`adcode` 为 '3601'，应为6 位行政区划代码" in zh
    assert "第 2 个要素：`name_zh` 为空；请填写文字" in zh
    assert "第 1 个要素：几何类型为 Point，应为 Polygon 或 MultiPolygon" in zh
    with pytest.raises(InputError) as info:
        geography.zones(tmp_path / "missing.geojson")
    assert info.value.text is not None
    assert "找不到文件" in info.value.text.zh


def test_project_refusals_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as info:
        open_project(rules=tmp_path / "无此文件.yaml", default_store=False)
    missing = tmp_path / "无此文件.yaml"
    expected = f"{missing}：找不到规则文件；请提供类似 data/rules.yaml 的 YAML 文件"
    assert info.value.problems_zh == [expected]
    with pytest.raises(InputError) as refused:
        open_project(default_store=False).layer("area")
    assert refused.value.text is not None
    assert refused.value.text.zh.startswith("未知图层 'area'：请从 ")


def test_zone_boundary_refusal_in_chinese() -> None:
    zones = geography.zones()
    with pytest.raises(InputError) as info:
        edits.edited_zones(
            zones, "z", LineString([(115.9, 28.6), (116.0, 28.7)]), name_zh="丙", name_en="C"
        )
    assert info.value.text is not None
    assert info.value.text.zh == "园区边界须为非空的 Polygon 或 MultiPolygon，实际为 LineString"
