"""Real enterprise lists in: Chinese headers, registry exports, codes, units, the template."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import layers
from geo.crs import convert
from layers._enterprise_checks import PROBLEM_COLUMNS
from layers.columns import ColumnMapping, apply, detect, mapping_table, read_mapping
from layers.i18n import error_text
from layers.segments import basis_text, choose_segments, resolve_segments, segment_problems
from layers.template import TEMPLATE_COLUMNS, template, template_bytes, write_template
from zoning.cli import main

CN_HEADER = "编号,企业名称,经度,纬度,产业环节\n"
CN_ROWS = (
    "A1,测试铜箔厂,115.94,28.56,铜箔\n"
    "A2,测试电池厂,115.80,28.72,储能电池\n"
    "A3,测试正极厂,115.90,28.60,正极材料\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_with_chinese_headers_is_read_with_segments_and_their_basis(tmp_path, encoding):
    path = tmp_path / "企业名单.csv"
    path.write_bytes((CN_HEADER + CN_ROWS).encode(encoding))
    result = layers.read_enterprises(path)
    data = result.data.set_index("id")
    assert list(data.index) == ["A1", "A2", "A3"]
    assert data.loc["A1", "name_zh"] == "测试铜箔厂"
    assert data.loc["A1", "segment"] == "copper_foil"
    assert data.loc["A1", "segment_basis"] == "synonym 铜箔"
    assert data.loc["A3", "segment"] == "cathode"  # the chain's own Chinese name
    # 储能电池 may be cells or packs: never guessed, the candidates are listed.
    assert data.loc["A2", "segment"] == ""
    assert not data.loc["A2", "segment_known"]
    assert {"li_ion_cell", "battery_pack"} <= set(data.loc["A2", "segment_candidates"])
    needs = result.problems[result.problems["column"] == "segment"]
    assert needs["row"].tolist() == [3]
    assert "needs a segment" in needs["problem"].iloc[0]
    assert needs["problem"].iloc[0].startswith("企业名单.csv row 3")  # the user's file name
    assert data["located"].all()
    shown = result.columns.set_index("source")
    assert shown.loc["产业环节", "field"] == "segment"
    assert shown.loc["编号", "field"] == "id"


def _registry_xlsx() -> bytes:
    """A registry-style export: Chinese headers, codes, scopes, Amap coordinates, amounts."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "序号", "企业名称", "统一社会信用代码", "行业代码", "行业名称", "经营范围",
            "注册地址", "经度", "纬度", "坐标系", "投资额（亿元）", "项目状态",
        ]
    )  # fmt: skip
    sheet.append(
        [
            1, "甲新能源材料有限公司", "914403001922038216", "C3985", "电子专用材料制造",
            "磷酸铁锂正极材料的研发、生产和销售", "南昌市进贤县", 116.25, 28.38, "高德", 12.5,
            "在建",
        ]
    )  # fmt: skip
    sheet.append(
        [
            2, "乙储能科技有限公司", "914403001922038217", "C3829", "其他输配电及控制设备制造",
            "储能变流器的研发与生产", "南昌高新区", 116.02, 28.70, "GCJ-02", 3, "签约",
        ]
    )  # fmt: skip
    sheet.append(
        [
            3, "丙化工有限公司", "", "C2669", "其他专用化学产品制造", "化工产品销售",
            "南昌市", 115.90, 28.65, "高德", "", "存续",
        ]
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_registry_export_is_read_with_conversions_inference_and_problems():
    result = layers.read_enterprises(_registry_xlsx(), name="registry.xlsx")
    data = result.data
    # 序号 is the id; 亿元 are yuan; statuses in Chinese are the tool's statuses.
    assert data["id"].tolist() == ["1", "2", "3"]
    assert data["investment_cny"].iloc[0] == pytest.approx(12.5e8)
    assert data["investment_cny"].iloc[1] == pytest.approx(3e8)
    assert data["status"].tolist() == ["construction", "planned", "operating"]
    # Amap coordinates (GCJ-02) are converted to WGS 84 exactly.
    lon, lat = convert(116.25, 28.38, src="gcj02", dst="wgs84")
    assert data["lon"].iloc[0] == pytest.approx(float(lon), abs=1e-9)
    assert data["lat"].iloc[0] == pytest.approx(float(lat), abs=1e-9)
    # Segments: an ambiguous code narrowed by the scope, with both named as the basis.
    assert data["segment"].iloc[0] == "cathode"
    assert "C3985" in data["segment_basis"].iloc[0]
    assert "磷酸铁锂正极材料" in data["segment_basis"].iloc[0]
    assert 0 < data["segment_confidence"].iloc[0] < 1
    assert data["segment"].iloc[1] == "pcs"
    # A catch-all code with a scope naming no segment is never guessed.
    assert data["segment"].iloc[2] == ""
    assert len(data["segment_candidates"].iloc[2]) > 1
    problems = result.problems.set_index(["row", "column"])
    # The second credit code fails its check character: reported, row kept.
    assert "check character" in problems.loc[(3, "统一社会信用代码"), "problem"]
    assert problems.loc[(4, "segment"), "action"] == "kept"
    shown = result.columns.set_index("source")
    assert shown.loc["投资额（亿元）", "field"] == "investment_cny"
    assert shown.loc["投资额（亿元）", "factor"] == pytest.approx(1e8)


def test_an_explicit_segment_beats_the_code_and_a_bad_unit_is_reported(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text(
        "编号,企业名称,产业环节,行业代码,投资额（美元）,经度,纬度\n"
        "B1,丁公司,pcs,C3841,100,115.9,28.6\n",
        encoding="utf-8",
    )
    result = layers.read_enterprises(path)
    assert result.data["segment"].tolist() == ["pcs"]
    assert np.isnan(result.data["investment_cny"].iloc[0])
    unit = result.problems[result.problems["column"] == "投资额（美元）"]
    assert "美元" in unit["problem"].iloc[0]


def test_a_mapping_overrides_detection_and_names_a_missing_column(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("代号,厂名,经度,纬度,门类\nC1,戊厂,115.9,28.6,铜箔\n", encoding="utf-8")
    mapping = ColumnMapping(
        columns={"代号": "id", "厂名": "name_zh", "门类": "segment", "不存在": "note"}
    )
    result = layers.read_enterprises(path, columns=mapping)
    assert result.data["segment"].tolist() == ["copper_foil"]
    missing = result.problems[result.problems["problem"].str.contains("不存在")]
    assert len(missing) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_the_template_reads_back_as_one_record_of_each_kind(tmp_path, lang, suffix):
    path = write_template(tmp_path / f"enterprises_template.{suffix}", lang=lang)
    result = layers.read_enterprises(path)
    data = result.data.set_index("id")
    assert list(data.index) == ["EX-1", "EX-2", "EX-3", "EX-4"]
    assert data["segment"].tolist() == ["copper_foil", "li_ion_cell", "cathode", "pcs"]
    assert data.loc["EX-1", "investment_cny"] == pytest.approx(12.5e8)
    assert data["located"].tolist() == [True, True, False, False]
    # EX-2's coordinates were read off Amap: converted, not taken as WGS 84.
    assert data.loc["EX-2", "lon"] != pytest.approx(115.8, abs=1e-4)
    assert not (result.problems["action"] == "rejected").any()


def test_every_template_header_is_recognised_in_both_languages():
    for lang in ("zh", "en"):
        mapping = detect(template(lang).columns)
        fields = [mapping.columns.get(h) for h in template(lang).columns]
        assert fields == [c[0] for c in TEMPLATE_COLUMNS], lang


def test_the_cli_shows_saves_and_reuses_the_column_mapping(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "absent.gpkg"))
    firms = tmp_path / "firms.csv"
    firms.write_text(CN_HEADER + CN_ROWS, encoding="utf-8")
    saved = tmp_path / "mapping.yaml"
    code = main(["validate", str(firms), "--show-columns", "--save-columns", str(saved)])
    out = capsys.readouterr().out
    assert code == 1  # 储能电池 needs a segment
    assert "产业环节" in out
    assert "segment" in out
    assert saved.is_file()
    code = main(["check", "--enterprises", str(firms), "--columns", str(saved), "--json"])
    payload = json.loads(capsys.readouterr().out)
    segments = {e["id"]: e["segment"] for e in payload["enterprises"]}
    assert segments["A1"] == "copper_foil"
    code = main(["check", "--enterprises", str(firms), "--columns", str(tmp_path / "no.yaml")])
    assert code == 2
    assert "no.yaml" in capsys.readouterr().err


def test_the_cli_writes_the_template(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert len(sheets) == 2
    first, second = sheets.values()
    assert list(first.columns) == [c[1] for c in TEMPLATE_COLUMNS]
    assert len(second) == len(TEMPLATE_COLUMNS)
    assert main(["template", "--out", str(tmp_path / "t.txt")]) == 2
    assert ".xlsx or .csv" in capsys.readouterr().err


# --- messages in the user's language (issue 10, item 4) ------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words of an English sentence; a Chinese message holds none (users' values here have none).
_ENGLISH = re.compile(r"\b(the|is|are|and|not|or|to|of|in|has|was|read|column|file)\b")


def _chinese(zh: str, en: str, *, quoted: str = "") -> None:
    assert _CJK.search(zh), zh
    assert zh != en, zh
    assert not _ENGLISH.search(zh.replace(quoted, "")), zh


def _bad_inputs() -> pd.DataFrame:
    """Every bad input of issue 10 at once, in one registry-style table."""
    return pd.DataFrame(
        {
            "序号": ["1", "2", "3", "4", "5"],
            "企业名称": ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"],
            "名称": ["甲", "乙", "丙", "丁", "戊"],  # a second column mapped to name_zh
            "统一社会信用代码": ["914403001922038216", "914403001922038217", "", "", ""],
            "行业代码": ["C3841", "C2927", "C3261", "", ""],
            "经营范围": ["", "", "", "餐饮服务", ""],
            "坐标系": ["高德", "高德", "高德", "百度", "高德"],
            "投资额（美元）": ["100", "200", "", "", ""],
            "投资额（万元）": ["1,5", "20", "", "", ""],
        }
    )


def _apply_bad(mapping=None):
    raw = _bad_inputs()
    mapping = detect(raw.columns) if mapping is None else mapping
    data, problems = apply(raw, mapping, source_name="名单.xlsx")
    return raw, data, problems


def _by_column(problems: pd.DataFrame, column: str) -> pd.Series:
    rows = problems[problems["column"] == column]
    assert len(rows) == 1, problems.to_string()
    return rows.iloc[0]


def test_two_columns_mapped_to_one_field_are_reported_in_chinese():
    _, _, problems = _apply_bad()
    row = _by_column(problems, "名称")
    assert row["problem_zh"].startswith("名单.xlsx 表头：列 企业名称 和 名称 都映射到字段 name_zh")
    assert "请把 名称 映射到其他字段或不映射" in row["problem_zh"]


def test_an_unknown_unit_is_reported_in_chinese_with_the_units_to_use():
    raw, _, problems = _apply_bad()
    row = _by_column(problems, "投资额（美元）")
    assert (
        "投资额（美元） 中的单位 美元 无法识别；请以 元、万元或亿元 为单位填写金额"
        in row["problem_zh"]
    )
    note = mapping_table(raw, detect(raw.columns)).set_index("source").loc["投资额（美元）"]
    assert note["note_zh"].startswith("未使用：单位 美元 无法识别")
    assert note["note"].startswith("not used: unknown unit 美元")


def test_an_unreadable_number_is_reported_in_chinese():
    _, _, problems = _apply_bad()
    row = _by_column(problems, "投资额（万元）")
    assert row["problem_zh"] == (
        "名单.xlsx 第 2 行：投资额（万元） 的值 '1,5' 不是数字；"
        "请填写普通数字，如 12.5（单位：万元）；该值已置空"
    )


def test_a_credit_code_failing_its_check_digit_is_reported_in_chinese():
    _, _, problems = _apply_bad()
    row = _by_column(problems, "统一社会信用代码")
    assert row["row"] == 3
    assert "统一社会信用代码 '914403001922038217' 的校验位不对" in row["problem_zh"]
    assert "应为 '6'，而不是 '7'" in row["problem_zh"]
    assert "请从营业执照或国家企业信用信息公示系统（gsxt.gov.cn）重新复制" in row["problem_zh"]


def test_mixed_coordinate_systems_are_reported_in_chinese():
    _, _, problems = _apply_bad()
    row = _by_column(problems, "坐标系")
    assert row["problem_zh"].startswith(
        "名单.xlsx 第 5 行：文件的 坐标系 列混用了多种坐标系（4 行 gcj02，1 行 bd09）："
        "第 5 行为 bd09（百度）"
    )


def test_a_mapping_naming_a_missing_column_is_reported_in_chinese():
    mapping = ColumnMapping(columns={"企业名称": "name_zh", "公司": "name_en"})
    raw, _, problems = _apply_bad(mapping)
    row = _by_column(problems, "公司")
    assert row["problem_zh"].startswith(
        "名单.xlsx 表头：映射文件中的列 '公司'（映射到 name_en）不在文件中；"
        "文件的列为：序号，企业名称"
    )
    note = mapping_table(raw, mapping).set_index("source").loc["公司", "note_zh"]
    assert note.startswith("文件中没有此列（映射到 name_en）")


def test_segment_problems_are_reported_in_chinese():
    _, data, _ = _apply_bad()
    found = segment_problems(
        resolve_segments(data), data, source_name="名单.xlsx", rows=np.arange(2, 7)
    )
    by = found.set_index(["row", "column"])["problem_zh"]
    # An industry code not in the table; a 2011-edition code; 经营范围 matching nothing.
    assert by[(3, "industry_code")].startswith(
        "名单.xlsx 第 3 行：行业代码 C2927 不在 industry_codes.yaml 收录的"
    )
    assert (
        "是 GB/T 4754-2011 的代码；GB/T 4754-2017 中编为 C3251：已按此读取"
        in by[(4, "industry_code")]
    )
    assert by[(5, "business_scope")].startswith(
        "名单.xlsx 第 5 行：经营范围未提及储能产业链的任何环节"
    )
    assert by[(6, "segment")].endswith(
        "没有产业环节，也没有可用于判断的行业代码或经营范围；请填写产业环节列，或在应用中选择"
    )


def test_a_bad_mapping_file_is_refused_in_chinese(tmp_path):
    path = tmp_path / "映射.yaml"
    path.write_text("columns:\n  企业名称: name_zh\n  环节: segmnt\n", encoding="utf-8")
    with pytest.raises(layers.RuleError) as caught:
        read_mapping(path)
    zh = error_text(caught.value, "zh")
    assert zh.startswith(
        "映射.yaml：1 个问题：\n  1. 第 3 行，columns.环节："
        "未知的字段 'segmnt'（是否指 'segment'？）"
    )
    assert str(caught.value).startswith(
        "映射.yaml: 1 problem:\n  1. line 3, columns.环节: unknown field"
    )
    path.write_bytes("columns:\n  名称: name_zh\n".encode("gbk"))
    with pytest.raises(layers.RuleError) as caught:
        read_mapping(path)
    assert "不是 UTF-8 文本" in error_text(caught.value, "zh")


def test_every_basis_is_worded_in_chinese():
    frame = pd.DataFrame(
        {
            "segment": ["铜箔", "pcs", "Li-ion cells", "", "", "", "", ""],
            "industry_code": ["", "", "", "C3612", "C3985", "C3843", "C3610", ""],
            "industry_name": ["", "", "", "", "", "", "", "新能源车整车制造"],
            "business_scope": ["", "", "", "", "磷酸铁锂正极材料的生产", "", "", ""],
        }
    )
    basis = resolve_segments(frame)["segment_basis"]
    assert basis_text(basis, "en").equals(basis)
    worded = basis_text(basis, "zh")
    assert worded.tolist() == [
        "同义词 铜箔",
        "环节代码 pcs",
        "环节名称 Li-ion cells",
        "行业代码 C3612 新能源车整车制造（GB/T 4754-2017）",
        "行业代码 C3985 电子专用材料制造（GB/T 4754-2017） + 经营范围：磷酸铁锂正极材料的生产",
        "行业代码 C3843 铅蓄电池制造（GB/T 4754-2017）：不属于储能产业链",
        worded.iloc[6],
        "行业名称 新能源车整车制造（C3612，GB/T 4754-2017）",
    ]
    assert worded.iloc[6].startswith("行业代码 C3610 ")
    assert "2017 版为 C3611, C3612" in worded.iloc[6]
    assert basis_text("chosen by the user", "zh") == "由用户选择"


def test_every_message_of_mapping_and_segments_is_in_chinese(tmp_path):
    """The battery: every problem, note and refusal of these modules, on real bad input."""
    raw, data, problems = _apply_bad()
    found = segment_problems(
        resolve_segments(data), data, source_name="名单.xlsx", rows=np.arange(2, 7)
    )
    unknown = pd.DataFrame({"segment": ["coper", "储能电池", "餐饮"]})
    found2 = segment_problems(
        resolve_segments(unknown), unknown, source_name="名单.xlsx", rows=[2, 3, 4]
    )
    small = pd.DataFrame({"总投资": ["5", "7"]})
    _, small_problems = apply(small, detect(small.columns), source_name="名单.xlsx")
    everything = pd.concat([problems, found, found2, small_problems], ignore_index=True)
    assert len(everything) >= 14
    assert set(everything.columns) == set(PROBLEM_COLUMNS)
    for en, zh in zip(everything["problem"], everything["problem_zh"], strict=True):
        _chinese(zh, en)
    mapping = ColumnMapping(columns={**detect(raw.columns).columns, "公司": "name_en"})
    notes = pd.concat([mapping_table(raw, mapping), mapping_table(small, detect(small.columns))])
    for en, zh in zip(notes["note"], notes["note_zh"], strict=True):
        _chinese(zh, en)
    errors: list[BaseException] = []
    for call in (
        lambda: ColumnMapping(columns={"a": "segmnt"}, units={"a": -1.0}),
        lambda: ColumnMapping.from_yaml("columns: [a", source_name="m.yaml"),
        lambda: ColumnMapping.from_yaml("", source_name="m.yaml"),
        lambda: ColumnMapping.from_yaml(
            "columns:\n  a: name_zh\n  a: id\nunits:\n  b: 1e8\n  a: -2\ncapacity_unit: 3\nx: 1\n",
            source_name="m.yaml",
        ),
        lambda: ColumnMapping.from_yaml("version: 1\n", source_name="m.yaml"),
        lambda: choose_segments(layers.enterprises(), {0: "copper"}),
        lambda: choose_segments(layers.enterprises(), {10**6: "pcs"}),
        lambda: template_bytes("ods"),
    ):
        with pytest.raises(ValueError, match=r"\S") as caught:
            call()
        errors.append(caught.value)
    for error in errors:
        # A YAML syntax error quotes the parser's own (English) words.
        context = getattr(error.__cause__, "context", None) or ""
        problem = getattr(error.__cause__, "problem", None) or ""
        _chinese(error_text(error, "zh"), str(error), quoted=f"{context} {problem}".strip())
        assert error_text(error, "en") == str(error)
