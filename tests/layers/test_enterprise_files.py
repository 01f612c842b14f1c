"""Real enterprise lists in: Chinese headers, registry exports, codes, units, the template."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import layers
from geo.crs import convert
from layers.columns import ColumnMapping, detect
from layers.template import TEMPLATE_COLUMNS, template, write_template
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
