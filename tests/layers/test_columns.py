"""Header recognition, units, codes and mapping files of layers.columns, on tiny frames."""

from __future__ import annotations

import random

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import yaml
from shapely.geometry import Point

from geo import io as geo_io
from layers import settings
from layers.columns import (
    FIELDS,
    ColumnMapping,
    apply,
    credit_code_valid,
    detect,
    mapping_table,
    read_mapping,
    write_mapping,
)
from layers.rules import RuleError

ISSUE_HEADER = ["编号", "企业名称", "经度", "纬度", "产业环节"]
REGISTRY_HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "行业代码",
    "行业名称",
    "经营范围",
    "注册地址",
    "经度",
    "纬度",
    "坐标系",
    "投资额（亿元）",
    "产能",
    "项目状态",
]

# Real, published 统一社会信用代码, to check the GB 32100-2015 implementation against:
# - 914403001922038216: 华为技术有限公司, infobox of the zh.wikipedia article 華為
#   (https://zh.wikipedia.org/zh-hk/%E8%8F%AF%E7%88%B2, "機構代碼").
# - the others: python-stdnum's tests/test_cn_uscc.doctest ("found online and should all be
#   valid numbers"), github.com/arthurdejong/python-stdnum commit 1ccbd3c434f5c29de9cc49fe1
#   08579efb9ecec7f. 91620105L015101280 has check character 0 (weighted sum divisible by
#   31), 9144030071526726XG an X before its check character, 121200004013590816 is a
#   public institution (1 = 机构编制) rather than a company.
PUBLISHED_CODES = [
    "914403001922038216",
    "91110000600037341L",
    "91310000631696382C",
    "9144030071526726XG",
    "91620105L015101280",
    "121200004013590816",
]
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def reference_check(body: str) -> str:
    """Plain GB 32100-2015 check character of 17 characters, written as the standard says."""
    total = sum(CHARS.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return CHARS[(31 - total % 31) % 31]


def frame(header, *rows):
    return pd.DataFrame([list(r) for r in rows], columns=header, dtype=object)


def one(problems, column):
    rows = problems[problems["column"] == column]
    assert len(rows) == 1, problems.to_string()
    return rows.iloc[0]


# --- detection -----------------------------------------------------------------------------


def test_issue_header_row_is_recognised():
    mapping = detect(ISSUE_HEADER)
    assert mapping.columns == {
        "编号": "id",
        "企业名称": "name_zh",
        "经度": "lon",
        "纬度": "lat",
        "产业环节": "segment",
    }
    raw = frame(ISSUE_HEADER, ["NC-1", "甲公司", "115.9", "28.6", "铜箔"])
    data, problems = apply(raw, mapping, source_name="企业.csv")
    assert problems.empty
    assert data.columns.tolist() == ["id", "name_zh", "lon", "lat", "segment"]
    assert data.loc[0, "segment"] == "铜箔"


def test_issue_header_row_through_geo_io_keeps_the_wgs84_coordinates():
    # geo.io.read adds float lon/lat (WGS 84, converted from GCJ-02 here) next to 经度/纬度:
    # those are the coordinates; the raw text columns keep their names, with no problem.
    text = "编号,企业名称,经度,纬度,产业环节\nNC-1,甲公司,115.9049,28.6785,铜箔\n"
    read = geo_io.read(text.encode("gbk"), name="企业.csv", coord_system="gcj02")
    mapping = detect(read.data.columns)
    data, problems = apply(read.data, mapping, source_name="企业.csv", rows=read.rows)
    assert problems.empty
    assert isinstance(data, gpd.GeoDataFrame)
    assert data["lon"].iloc[0] == pytest.approx(read.data["lon"].iloc[0])
    assert data["lon"].iloc[0] != pytest.approx(115.9049, abs=1e-4)  # converted, not raw
    assert data["经度"].iloc[0] == "115.9049"
    table = mapping_table(read.data, mapping).set_index("source")
    assert table.loc["经度", "field"] == ""
    assert "coordinates, read into lon" in table.loc["经度", "note"]
    assert table.loc["lon", "field"] == "lon"


def test_registry_headers_are_recognised():
    mapping = detect(REGISTRY_HEADER)
    assert list(mapping.columns.values()) == [
        "id",
        "name_zh",
        "credit_code",
        "industry_code",
        "industry_name",
        "business_scope",
        "address",
        "lon",
        "lat",
        "coord_system",
        "investment_cny",
        "capacity",
        "status",
    ]
    assert mapping.units == {"投资额（亿元）": 1e8}


def test_registry_file_applied():
    raw = frame(
        REGISTRY_HEADER,
        ["1", "甲", "914403001922038216", "C3841", "锂离子电池制造", "锂电池生产", "南昌",
         "115.9", "28.6", "高德", "1.5", "10GWh", "在建"],
        ["2", "乙", "91110000600037341L", "C3985", "电子专用材料制造", "铜箔", "南昌",
         "115.8", "28.7", "GCJ-02", "12,000", "5 万吨/年", "签约"],
    )  # fmt: skip
    data, problems = apply(raw, detect(raw.columns), source_name="registry.xlsx")
    assert problems.empty, problems.to_string()
    assert data["id"].tolist() == ["1", "2"]
    assert data["investment_cny"].tolist() == [1.5e8, 1.2e12]
    assert data["capacity"].tolist() == [10.0, 5e4]
    assert data["capacity_unit"].tolist() == ["GWh", "t/yr"]
    assert data["coord_system"].tolist() == ["高德", "GCJ-02"]  # one system, two spellings
    table = mapping_table(raw, detect(raw.columns)).set_index("source")
    assert table.loc["投资额（亿元）", "note"] == "投资额（亿元） → investment_cny × 1e8"
    assert table.loc["投资额（亿元）", "factor"] == 1e8
    assert table.loc["统一社会信用代码", "note"] == "统一社会信用代码 → credit_code"
    assert table.loc["企业名称", "samples"] == "甲 | 乙"


@pytest.mark.parametrize(
    ("header", "field", "factor"),
    [
        ("投资额(亿元)", "investment_cny", 1e8),
        ("投资额 （ 亿元 ）", "investment_cny", 1e8),
        ("投资额【万元】", "investment_cny", 1e4),
        ("投资额(单位：万元)", "investment_cny", 1e4),
        ("总投资（元）", "investment_cny", 1.0),
        ("计划总投资（亿元）", "investment_cny", 1e8),
        ("Total Investment (CNY)", "investment_cny", 1.0),
        ("精度（公里）", "precision_m", 1000.0),
        ("ENGLISH NAME", "name_en", None),
        ("名称（英文）", "name_en", None),
        ("Name_ZH", "name_zh", None),
        ("*企业名称", "name_zh", None),
        ("No.", "id", None),
        ("ＩＤ", "id", None),
        ("国民经济行业代码", "industry_code", None),
        ("所在园区", "park", None),
        ("数据来源", "source", None),
        ("更新日期", "as_of", None),
        ("备注", "note", None),
        ("坐标类型", "coord_system", None),
        ("注册资本（万元）", None, None),  # registered capital is not an investment
        ("电话", None, None),
    ],
)
def test_header_spellings(header, field, factor):
    mapping = detect([header])
    assert mapping.columns == {header: field}
    assert mapping.units.get(header) == factor


def test_shipped_aliases_agree_with_geo_io_and_cover_every_field():
    names = [*geo_io.LON_COLUMNS, *geo_io.LAT_COLUMNS, *geo_io.SYSTEM_COLUMNS]
    mapping = detect(names)
    expected = (
        ["lon"] * len(geo_io.LON_COLUMNS)
        + ["lat"] * len(geo_io.LAT_COLUMNS)
        + ["coord_system"] * len(geo_io.SYSTEM_COLUMNS)
    )
    assert list(mapping.columns.values()) == expected
    with settings.data_path("columns.yaml").open(encoding="utf-8") as f:
        shipped = yaml.safe_load(f)["fields"]
    assert set(shipped) == set(FIELDS)
    assert all(shipped[f].get("zh") or f in {"capacity_unit"} for f in FIELDS)


# --- units and numbers ---------------------------------------------------------------------


def test_amounts_in_yuan_with_units_and_separators():
    header = ["企业名称", "投资额（万元）"]
    raw = frame(header, ["甲", "1,200"], ["乙", "3亿元"], ["丙", ""], ["丁", "无"], ["戊", "1,5"])
    data, problems = apply(raw, detect(header), source_name="a.csv")
    values = data["investment_cny"].tolist()
    assert values[:2] == [1.2e7, 3e8]  # a unit in the cell wins over the header's
    assert np.isnan(values[2:]).all()
    bad = one(problems, "投资额（万元）")
    assert (bad["row"], bad["value"], bad["action"]) == (6, "1,5", "repaired")
    assert "'1,5' is not a number; write a plain number such as 12.5 (in 万元)" in bad["problem"]
    assert bad["problem"].startswith("a.csv row 6: ")


def test_unknown_unit_in_the_header_leaves_the_column_unused():
    header = ["企业名称", "投资额（美元）"]
    raw = frame(header, ["甲", "100"])
    data, problems = apply(raw, detect(header), source_name="firms.xlsx")
    bad = one(problems, "投资额（美元）")
    assert (bad["row"], bad["value"], bad["action"]) == (1, "美元", "kept")
    assert (
        "unknown unit 美元 in 投资额（美元）; give the amount in 元, 万元 or 亿元" in bad["problem"]
    )
    assert "investment_cny" not in data.columns
    assert data["投资额（美元）"].tolist() == ["100"]
    note = mapping_table(raw, detect(header)).set_index("source").loc["投资额（美元）", "note"]
    assert note.startswith("not used: unknown unit 美元")


def test_unknown_unit_with_a_factor_in_the_mapping_is_converted():
    mapping = ColumnMapping(
        columns={"投资额（美元）": "investment_cny"}, units={"投资额（美元）": 7.1}
    )
    data, problems = apply(frame(["投资额（美元）"], ["100"]), mapping, source_name="x.csv")
    assert problems.empty
    assert data["investment_cny"].tolist() == [pytest.approx(710.0)]


def test_unknown_unit_in_a_cell_is_repaired_to_empty():
    raw = frame(["投资额（亿元）"], ["2"], ["5亿美元"])
    data, problems = apply(raw, detect(raw.columns), source_name="x.csv")
    bad = one(problems, "投资额（亿元）")
    assert (bad["row"], bad["value"], bad["action"]) == (3, "5亿美元", "repaired")
    assert "unknown unit 亿美元" in bad["problem"]
    assert data["investment_cny"].iloc[0] == 2e8
    assert np.isnan(data["investment_cny"].iloc[1])


def test_amount_without_unit_and_small_values_is_questioned():
    raw = frame(["企业名称", "总投资"], ["甲", "12"], ["乙", "30"])
    data, problems = apply(raw, detect(raw.columns), source_name="x.csv")
    bad = one(problems, "总投资")
    assert (bad["row"], bad["value"], bad["action"]) == (1, "21", "kept")
    assert "read as 元" in bad["problem"]
    assert data["investment_cny"].tolist() == [12.0, 30.0]
    large = frame(["总投资"], ["1200000000"])
    assert apply(large, detect(large.columns), source_name="x.csv")[1].empty


@pytest.mark.parametrize(
    ("header", "cells", "values", "units"),
    [
        ("产能（GWh）", ["10", "2.5"], [10.0, 2.5], ["GWh", "GWh"]),
        ("产能（万吨/年）", ["5", "0.5"], [5e4, 5e3], ["t/yr", "t/yr"]),
        ("产能（桶/日）", ["7", ""], [7.0, np.nan], ["桶/日", ""]),  # unknown: kept as written
        ("产能", ["10GWh", "3万吨"], [10.0, 3e4], ["GWh", "t/yr"]),  # units in the cells
    ],
)
def test_capacity_unit_goes_to_capacity_unit(header, cells, values, units):
    raw = frame(["企业名称", header], ["甲", cells[0]], ["乙", cells[1]])
    data, problems = apply(raw, detect(raw.columns), source_name="x.csv")
    assert problems.empty
    np.testing.assert_array_equal(data["capacity"].to_numpy(), values)
    assert data["capacity_unit"].tolist() == units


def test_capacity_unit_column_wins_and_mapping_gives_a_default():
    raw = frame(["产能", "产能单位"], ["10", "MWh"], ["20", ""])
    mapping = ColumnMapping(columns={"产能": "capacity", "产能单位": "capacity_unit"},
                            capacity_unit="GWh")  # fmt: skip
    data, _ = apply(raw, mapping, source_name="x.csv")
    assert data["capacity_unit"].tolist() == ["MWh", "GWh"]


# --- ids and credit codes ------------------------------------------------------------------


@pytest.mark.parametrize("code", PUBLISHED_CODES)
def test_published_credit_codes_are_valid(code):
    assert credit_code_valid(code)
    assert reference_check(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",  # check character changed
        "914403001922038261",  # two characters swapped
        "91440300192203821",  # 17 characters
        "91440300192203821O",  # O is never used
        "914403001922038216 ",  # strict: a space
        "91110000600037341l",  # strict: lower case
        "",
    ],
)
def test_wrong_credit_codes_are_invalid(code):
    assert not credit_code_valid(code)


def test_vectorised_check_agrees_with_the_reference():
    rng = random.Random(20261201)
    bodies = ["".join(rng.choice(CHARS) for _ in range(17)) for _ in range(500)]
    codes = [b + reference_check(b) for b in bodies]
    wrong = [b + CHARS[(CHARS.index(reference_check(b)) + 1) % 31] for b in bodies]
    raw = frame(["统一社会信用代码"], *([c] for c in codes + wrong))
    _, problems = apply(raw, detect(raw.columns), source_name="x.csv")
    assert sorted(problems["row"].tolist()) == list(range(502, 1002))


def test_bad_credit_codes_are_reported_and_kept():
    header = ["编号", "统一社会信用代码"]
    raw = frame(
        header,
        ["1", "914403001922038217"],
        ["2", " 91110000600037341l "],  # spaces and lower case: normalised, valid
        ["3", "9111000060003734"],
        ["4", "无"],
        ["5", "9111000060003IOZSV"],
    )
    data, problems = apply(raw, detect(header), source_name="list.xlsx")
    assert problems[["row", "column", "value", "action"]].to_numpy().tolist() == [
        [2, "统一社会信用代码", "914403001922038217", "kept"],
        [4, "统一社会信用代码", "9111000060003734", "kept"],
        [6, "统一社会信用代码", "9111000060003IOZSV", "kept"],
    ]
    messages = problems["problem"].tolist()
    assert "fails its check character (GB 32100-2015)" in messages[0]
    assert "give '6' as the 18th, not '7'" in messages[0]
    assert "has 16 characters, not 18" in messages[1]
    assert "contains I, O, S, V, Z" in messages[2]
    assert data["credit_code"].tolist()[:2] == ["914403001922038217", "91110000600037341L"]
    assert data["credit_code"].iloc[3] == ""


def test_credit_code_is_the_id_when_no_id_column_exists():
    header = ["企业名称", "统一社会信用代码"]
    raw = frame(header, ["甲", "914403001922038216"], ["乙", "91310000631696382c"])
    data, problems = apply(raw, detect(header), source_name="x.csv")
    assert problems.empty
    assert data["id"].tolist() == ["914403001922038216", "91310000631696382C"]
    note = mapping_table(raw, detect(header)).set_index("source").loc["统一社会信用代码", "note"]
    assert note == "统一社会信用代码 → credit_code (also used as id: the file has no id column)"
    with_id = frame(["序号", *header], ["7", "甲", "914403001922038216"])
    assert apply(with_id, detect(with_id.columns), source_name="x.csv")[0]["id"].tolist() == ["7"]


# --- header problems -----------------------------------------------------------------------


def test_two_columns_mapped_to_one_field_keep_the_first():
    header = ["企业名称", "名称", "产业环节"]
    raw = frame(header, ["甲公司", "甲", "铜箔"])
    data, problems = apply(raw, detect(header), source_name="firms.csv")
    bad = one(problems, "名称")
    assert (bad["row"], bad["value"], bad["action"]) == (1, "name_zh", "kept")
    assert "columns 企业名称 and 名称 both map to name_zh" in bad["problem"]
    assert "Map 名称 to another field or to nothing" in bad["problem"]
    assert data["name_zh"].tolist() == ["甲公司"]
    assert data["名称"].tolist() == ["甲"]


def test_header_problems_of_a_vector_file_are_on_row_zero():
    raw = gpd.GeoDataFrame(
        {"企业名称": ["甲"], "名称": ["乙"]}, geometry=[Point(115.9, 28.6)], crs="EPSG:4326"
    )
    data, problems = apply(raw, detect(raw.columns), source_name="firms.gpkg")
    assert problems["row"].tolist() == [0]
    assert data.geometry.name == "geometry"
    assert data.geometry.iloc[0].equals(Point(115.9, 28.6))


def test_mapping_naming_a_missing_column():
    raw = frame(["企业名称", "环节"], ["甲", "铜箔"])
    mapping = ColumnMapping(columns={"公司": "name_zh", "环节": "segment"})
    data, problems = apply(raw, mapping, source_name="firms.csv")
    bad = one(problems, "公司")
    assert (bad["row"], bad["value"], bad["action"]) == (1, "name_zh", "kept")
    assert (
        "the mapping names column '公司' (as name_zh), which is not in the file" in bad["problem"]
    )
    assert "its columns are: 企业名称, 环节" in bad["problem"]
    assert data.columns.tolist() == ["企业名称", "segment"]
    table = mapping_table(raw, mapping)
    assert table["source"].tolist() == ["企业名称", "环节", "公司"]
    assert table["note"].iloc[2].startswith("not in the file (mapped to name_zh)")


def test_mixed_coordinate_systems_one_problem_per_minority_system():
    header = ["编号", "经度", "纬度", "坐标系"]
    raw = frame(
        header,
        ["1", "115.9", "28.6", "高德"],
        ["2", "115.9", "28.6", "GCJ-02"],
        ["3", "115.9", "28.6", "百度"],
        ["4", "115.9", "28.6", "高德"],
        ["5", "115.9", "28.6", "WGS84"],
        ["6", "115.9", "28.6", "BD-09"],
        ["7", "115.9", "28.6", "mars"],  # unknown: geo.io.read's to report
    )
    data, problems = apply(raw, detect(header), source_name="sites.csv")
    assert problems[["row", "column", "value", "action"]].to_numpy().tolist() == [
        [4, "坐标系", "百度", "kept"],
        [6, "坐标系", "WGS84", "kept"],
    ]
    assert (
        "mixes coordinate systems in 坐标系 (3 rows gcj02, 2 rows bd09, 1 rows wgs84)"
        in (problems["problem"].iloc[0])
    )
    assert "rows 4, 7 are bd09" in problems["problem"].iloc[0]
    assert data["coord_system"].tolist()[2] == "百度"  # converted per row by geo.io.read
    same = frame(["坐标系"], ["高德"], ["GCJ02"], ["火星"])
    assert apply(same, detect(same.columns), source_name="s.csv")[1].empty


def test_unmapped_column_named_like_a_used_field_is_set_aside():
    raw = frame(["企业名称", "name_zh"], ["甲", "old"])
    mapping = ColumnMapping(columns={"企业名称": "name_zh", "name_zh": None})
    data, problems = apply(raw, mapping, source_name="x.csv")
    assert problems.empty
    assert data.columns.tolist() == ["name_zh", "name_zh_ignored"]
    assert data["name_zh"].tolist() == ["甲"]


# --- the mapping as the user changes and saves it ----------------------------------------


def test_mapping_overrides_detection():
    header = ["名称", "项目名称", "投资"]
    raw = frame(header, ["甲公司", "甲项目", "5"])
    assert detect(header).columns == {
        "名称": "name_zh",
        "项目名称": "name_zh",
        "投资": "investment_cny",
    }
    mapping = ColumnMapping(
        columns={"名称": None, "项目名称": "name_zh", "投资": "investment_cny"},
        units={"投资": 1e8},
    )
    data, problems = apply(raw, mapping, source_name="x.csv")
    assert problems.empty
    assert data["name_zh"].tolist() == ["甲项目"]
    assert data["名称"].tolist() == ["甲公司"]
    assert data["investment_cny"].tolist() == [5e8]
    notes = mapping_table(raw, mapping)["note"].tolist()
    assert notes == [
        "not mapped: keeps its name",
        "项目名称 → name_zh",
        "投资 → investment_cny × 1e8",
    ]


def test_yaml_round_trip(tmp_path):
    mapping = ColumnMapping(
        columns={
            "编号": "id",
            "企业名称": "name_zh",
            "电话": None,
            "投资额（亿元）": "investment_cny",
        },
        units={"投资额（亿元）": 1e8},
        capacity_unit="GWh",
    )
    text = mapping.to_yaml()
    assert "企业名称: name_zh" in text  # readable Chinese, not escapes
    assert "电话: null" in text
    assert ColumnMapping.from_yaml(text, source_name="m.yaml") == mapping
    path = write_mapping(mapping, tmp_path / "mapping.yaml")
    assert read_mapping(path) == mapping
    detected = detect(REGISTRY_HEADER)
    assert ColumnMapping.from_yaml(detected.to_yaml(), source_name="m.yaml") == detected


def test_hand_written_mapping_accepts_ignore_words():
    text = "columns:\n  编号: id\n  电话: 忽略\n  传真: ignore\n  邮箱:\n"
    mapping = ColumnMapping.from_yaml(text, source_name="m.yaml")
    assert mapping.columns == {"编号": "id", "电话": None, "传真": None, "邮箱": None}


def test_bad_mapping_file_lists_every_problem_with_its_line():
    text = (
        "columns:\n"
        "  企业名称: nmae_zh\n"
        "  编号: id\n"
        "  编号: id\n"
        "units:\n"
        "  投资额（亿元）: 1e8\n"
        "  编号: 2\n"
        "  电话: 3\n"
        "colums: {}\n"
    )
    with pytest.raises(RuleError) as info:
        ColumnMapping.from_yaml(text, source_name="我的映射.yaml")
    message = str(info.value)
    assert message.startswith("我的映射.yaml: ")
    assert "line 2, columns.企业名称: unknown field 'nmae_zh' (did you mean 'name_zh'?)" in message
    assert "line 4, columns: '编号' is listed twice (first on line 3)" in message
    assert "line 6, units.投资额（亿元）: the factor must be a positive number" in message
    assert "YAML reads 1e8 as text" in message
    assert "line 8, units.电话: '电话' is not listed under columns" in message
    assert "line 9, colums: unknown key 'colums' (did you mean 'columns'?)" in message


def test_mapping_file_syntax_error_names_the_users_file(tmp_path):
    path = tmp_path / "upload-7f3a.yaml"
    path.write_text("columns:\n  编号: id\n   企业名称: [name_zh\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"(?s)upload-7f3a.yaml: .*line 3") as info:
        read_mapping(path)
    assert "YAML syntax error" in str(info.value)
    with pytest.raises(RuleError, match="the file is empty"):
        ColumnMapping.from_yaml("", source_name="m.yaml")


def test_mapping_constructor_refuses_unknown_fields_and_bad_factors():
    with pytest.raises(ValueError, match="unknown field 'segmnt'"):
        ColumnMapping(columns={"环节": "segmnt"})
    with pytest.raises(ValueError, match="positive number"):
        ColumnMapping(columns={"投资": "investment_cny"}, units={"投资": 0})


# --- the data file and the contract ------------------------------------------------------


def test_invalid_columns_yaml_is_reported_at_once(tmp_path, monkeypatch):
    bad = tmp_path / "columns.yaml"
    bad.write_text(
        "version: 1\n"
        "fields:\n"
        "  name_zh: {zh: [名称]}\n"
        "  segment: {zh: [名称]}\n"
        "  segmnt: {zh: [环节]}\n"
        "  investment_cny: {zh: [投资], units: money}\n"
        "units:\n"
        "  amount: {unknown: refuse, field_unit: 元, units: {亿元: 1e8}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(settings, "data_path", lambda name: tmp_path / name)
    with pytest.raises(RuleError) as info:
        detect(["名称"])
    message = str(info.value)
    assert "columns.yaml: 4 problems" in message
    assert "alias '名称' of segment is also an alias of name_zh" in message
    assert "unknown field 'segmnt' (did you mean 'segment'?)" in message
    assert "unknown unit table 'money'" in message
    assert "YAML reads 1e8 as text" in message


def test_apply_does_not_modify_its_input_and_keeps_the_index():
    raw = frame(["编号", "投资额（亿元）"], ["1", "2"], ["2", "x"])
    raw.index = [10, 20]
    before = raw.copy()
    data, problems = apply(raw, detect(raw.columns), source_name="x.csv")
    pd.testing.assert_frame_equal(raw, before)
    assert data.index.tolist() == [10, 20]
    assert problems.columns.tolist() == list(geo_io.PROBLEM_COLUMNS)
    assert problems["row"].dtype == "int64"


def test_rows_argument_numbers_the_problems():
    raw = frame(["投资额（亿元）"], ["1"], ["x"])
    _, problems = apply(raw, detect(raw.columns), source_name="x.csv", rows=[5, 9])
    assert problems["row"].tolist() == [9]
    with pytest.raises(ValueError, match="one number per record"):
        apply(raw, detect(raw.columns), source_name="x.csv", rows=[5])


def test_amounts_given_as_numbers_are_read_as_their_text_is() -> None:
    # An Excel or GeoParquet column of numbers takes no text parsing, with the same result.
    numbers = pd.DataFrame(
        {"投资额（亿元）": [1.5, np.nan, -2.0, 0.0], "产能（GWh）": [10, np.nan, 0, 7]}
    )
    text = pd.DataFrame(
        {"投资额（亿元）": ["1.5", "", "-2.0", "0.0"], "产能（GWh）": ["10", "", "0", "7"]}
    )
    mapping = detect(numbers.columns)
    data_n, problems_n = apply(numbers, mapping, source_name="firms.xlsx")
    data_t, problems_t = apply(text, mapping, source_name="firms.xlsx")
    pd.testing.assert_frame_equal(data_n, data_t)
    pd.testing.assert_frame_equal(problems_n, problems_t)
    assert data_n["investment_cny"].tolist()[::2] == [1.5e8, -2e8]
    assert data_n["capacity_unit"].tolist() == ["GWh", "", "GWh", "GWh"]
