"""Segments read from segment values, industry codes and 经营范围, each with its evidence."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
import yaml

import layers.segments as segments_module
from layers import chain
from layers._segment_data import load_codes, load_terms
from layers.rules import RuleError
from layers.segments import Resolution, resolve_segments, segment_key, segment_problems
from layers.settings import data_path

C3985 = ("cathode", "anode", "electrolyte", "separator", "copper_foil", "aluminium_foil")


def _one(**columns: str) -> pd.Series:
    """Resolve a one-row frame and return its row."""
    return resolve_segments(pd.DataFrame({k: [v] for k, v in columns.items()})).iloc[0]


def _problems(frame: pd.DataFrame) -> pd.DataFrame:
    rows = np.arange(len(frame)) + 2
    return segment_problems(resolve_segments(frame), frame, source_name="firms.csv", rows=rows)


# ------------------------------------------------------------------ the segment column


@pytest.mark.parametrize(
    ("value", "key", "basis"),
    [
        ("copper_foil", "copper_foil", "segment key copper_foil"),
        ("Copper_Foil ", "copper_foil", "segment key copper_foil"),
        ("锂电铜箔", "copper_foil", "segment name 锂电铜箔"),
        ("Copper foil", "copper_foil", "segment key copper_foil"),  # spelt like the key
        ("Li-ion cells", "li_ion_cell", "segment name Li-ion cells"),
        ("铜箔", "copper_foil", "synonym 铜箔"),
        ("磷酸铁锂", "cathode", "synonym 磷酸铁锂"),
        ("三元材料", "cathode", "synonym 三元材料"),
        ("储能变流器", "pcs", "synonym 储能变流器"),
        ("ＰＣＳ", "pcs", "segment key pcs"),  # full width, other case: still the key
        ("锂电池", "li_ion_cell", "synonym 锂电池"),
        ("石墨负极", "anode", "synonym 石墨负极"),
    ],
)
def test_a_given_key_name_or_synonym_is_the_segment(value, key, basis):
    row = _one(segment=value)
    assert (row.segment, row.segment_basis, row.segment_confidence) == (key, basis, 1.0)
    assert row.segment_candidates == (key,)
    assert row.segment_given
    assert segment_key(value) == key


def test_a_given_value_beats_the_industry_code_and_the_scope():
    row = _one(segment="铜箔", industry_code="C3841", business_scope="锂离子电池的生产")
    assert (row.segment, row.segment_basis, row.segment_confidence) == (
        "copper_foil",
        "synonym 铜箔",
        1.0,
    )


def test_a_term_naming_several_segments_is_never_guessed():
    row = _one(segment="储能电池")
    assert row.segment == ""
    assert row.segment_candidates == ("li_ion_cell", "na_ion_cell", "battery_pack")
    assert row.segment_confidence == 0.0
    assert row.segment_basis == "synonym 储能电池"
    assert row.segment_given
    assert segment_key("储能电池") is None
    found = _problems(pd.DataFrame({"segment": ["储能电池"]}))
    assert found[["row", "column", "value", "action"]].to_numpy().tolist() == [
        [2, "segment", "储能电池", "kept"]
    ]
    assert (
        "needs a segment: candidates li_ion_cell, na_ion_cell, battery_pack"
        in (found.loc[0, "problem"])
    )
    assert "fill the 产业环节 (segment) column or choose in the app" in found.loc[0, "problem"]


def test_an_industry_code_narrows_a_term_naming_several_segments():
    # 储能电池 is Li-ion, Na-ion or a pack; C3849 (其他电池制造) allows only Na-ion of those.
    row = _one(segment="储能电池", industry_code="C3849")
    assert row.segment == "na_ion_cell"
    assert row.segment_confidence == 0.9
    assert row.segment_basis == (
        "synonym 储能电池 + industry code C3849 其他电池制造 (GB/T 4754-2017)"
    )


def test_an_unknown_value_is_reported_with_the_nearest_and_what_else_was_read():
    frame = pd.DataFrame({"segment": ["coper_foil", "新材料"], "industry_code": ["", "C3612"]})
    out = resolve_segments(frame)
    assert out["segment"].tolist() == ["", "ev"]
    assert out["segment_given"].tolist() == [True, True]
    found = _problems(frame)
    assert found["column"].tolist() == ["segment", "segment"]
    first, second = found["problem"]
    assert "segment 'coper_foil' is no segment key, name or synonym" in first
    assert "did you mean copper_foil?" in first
    assert "it was read as ev (industry code C3612 新能源车整车制造 (GB/T 4754-2017))" in second


def test_a_settled_row_is_not_read_further_nor_its_code_reported():
    frame = pd.DataFrame({"segment": ["cathode"], "industry_code": ["C38"]})
    assert resolve_segments(frame).loc[0, "segment_basis"] == "segment key cathode"
    assert _problems(frame).empty


# ------------------------------------------------------------------ industry codes


@pytest.mark.parametrize(
    "code", ["C3612", "3612", "c 3612", "C-3612", "3612.0", "C3612 新能源车整车制造"]
)
def test_an_unambiguous_code_gives_its_segment_in_any_usual_spelling(code):
    row = _one(industry_code=code)
    assert (row.segment, row.segment_confidence) == ("ev", 0.8)
    assert row.segment_basis == "industry code C3612 新能源车整车制造 (GB/T 4754-2017)"
    assert not row.segment_given


def test_a_code_read_as_a_number_from_a_spreadsheet_is_the_same_code():
    out = resolve_segments(pd.DataFrame({"industry_code": [3612.0, np.nan]}))
    assert out["segment"].tolist() == ["ev", ""]


def test_an_industry_name_without_a_code_is_looked_up():
    row = _one(industry_name="新能源车整车制造")
    assert (row.segment, row.segment_confidence) == ("ev", 0.8)
    assert row.segment_basis == "industry name 新能源车整车制造 (C3612, GB/T 4754-2017)"


def test_the_catch_all_c3985_gives_candidates_only():
    row = _one(industry_code="C3985")
    assert row.segment == ""
    assert row.segment_candidates == C3985
    assert row.segment_basis == "industry code C3985 电子专用材料制造 (GB/T 4754-2017)"
    assert row.segment_confidence == 0.0


def test_a_scope_narrows_c3985_to_one_and_the_basis_names_both():
    row = _one(industry_code="C3985", business_scope="锂电池隔膜的研发、生产和销售")
    assert (row.segment, row.segment_confidence) == ("separator", 0.7)
    assert row.segment_basis == (
        "industry code C3985 电子专用材料制造 (GB/T 4754-2017)"
        " + 经营范围: 锂电池隔膜的研发、生产和销售"
    )


def test_a_scope_naming_two_candidates_of_c3985_leaves_two():
    row = _one(industry_code="C3985", business_scope="正极材料、负极材料的生产")
    assert row.segment == ""
    assert row.segment_candidates == ("cathode", "anode")


def test_a_scope_confirms_a_broad_code_with_one_candidate():
    bare = _one(industry_code="C3251")
    assert (bare.segment, bare.segment_candidates) == ("", ("copper_foil",))
    row = _one(industry_code="C3251", business_scope="电解铜箔的生产")
    assert (row.segment, row.segment_confidence) == ("copper_foil", 0.7)


def test_c2669_is_ambiguous_until_the_scope_says_electrolyte():
    assert _one(industry_code="C2669").segment == ""
    row = _one(industry_code="C2669", business_scope="锂离子电池电解液的生产")
    assert (row.segment, row.segment_confidence) == ("electrolyte", 0.7)


def test_c3841_needs_the_scope_to_tell_cells_from_packs():
    assert _one(industry_code="C3841").segment_candidates == ("li_ion_cell", "battery_pack")
    cells = _one(industry_code="C3841", business_scope="一般项目：锂离子电池制造；电池销售")
    packs = _one(industry_code="C3841", business_scope="储能电池包、电池模组的组装")
    both = _one(industry_code="C3841", business_scope="锂离子电芯、储能电池包的研发")
    assert (cells.segment, packs.segment, both.segment) == ("li_ion_cell", "battery_pack", "")
    assert both.segment_candidates == ("li_ion_cell", "battery_pack")


def test_a_code_outside_the_chain_says_so_and_is_no_unknown_code():
    frame = pd.DataFrame({"industry_code": ["C3843"]})
    row = resolve_segments(frame).iloc[0]
    assert (row.segment, row.segment_candidates) == ("", ())
    assert row.segment_basis == (
        "industry code C3843 铅蓄电池制造 (GB/T 4754-2017): outside the storage chain"
    )
    found = _problems(frame)
    assert found["column"].tolist() == ["industry_code"]
    assert "outside the storage chain" in found.loc[0, "problem"]
    assert "not among" not in found.loc[0, "problem"]


def test_a_scope_against_a_code_outside_the_chain_gives_a_candidate_not_a_segment():
    row = _one(industry_code="C3843", business_scope="锂电池的生产")
    assert (row.segment, row.segment_candidates) == ("", ("li_ion_cell",))
    assert row.segment_basis == (
        "industry code C3843 铅蓄电池制造 (GB/T 4754-2017): outside the storage chain"
        " + 经营范围: 锂电池的生产"
    )


def test_an_unknown_and_a_malformed_code_are_reported_and_other_evidence_still_counts():
    frame = pd.DataFrame(
        {"industry_code": ["C2927", "C38", "D3841"], "business_scope": ["", "", "隔膜的生产"]}
    )
    out = resolve_segments(frame)
    assert out["segment"].tolist() == ["", "", "separator"]
    assert out.loc[2, "segment_basis"] == "经营范围: 隔膜的生产"
    found = _problems(frame)
    codes = found[found["column"] == "industry_code"]
    assert codes["row"].tolist() == [2, 3, 4]
    assert "industry code C2927 is not among the 37 codes" in codes["problem"].iloc[0]
    assert "'C38' is no GB/T 4754 class code" in codes["problem"].iloc[1]
    assert "did you mean C3841?" in codes["problem"].iloc[2]


def test_a_2011_only_code_is_read_as_its_2017_code_and_reported():
    frame = pd.DataFrame({"industry_code": ["C3261"], "business_scope": ["电解铜箔的生产"]})
    row = resolve_segments(frame).iloc[0]
    assert (row.segment, row.segment_confidence) == ("copper_foil", 0.7)
    assert row.segment_basis.startswith(
        "industry code C3261 铜压延加工 (GB/T 4754-2011; C3251 in 2017) + 经营范围: 电解铜箔"
    )
    found = _problems(frame)
    assert found["column"].tolist() == ["industry_code"]
    assert "is a GB/T 4754-2011 code; GB/T 4754-2017 numbers it C3251" in found["problem"][0]


def test_a_2011_code_split_in_2017_is_ambiguous():
    row = _one(industry_code="C3610")
    assert (row.segment, row.segment_candidates) == ("", ("ev",))
    assert "C3611, C3612 in 2017" in row.segment_basis


def test_digits_that_meant_another_activity_in_2011_follow_the_industry_name():
    frame = pd.DataFrame(
        {
            "industry_code": ["C3962", "C3962", "C3972", "C3972"],
            "industry_name": ["半导体分立器件制造", "", "", "印制电路板制造"],
        }
    )
    out = resolve_segments(frame)
    # 2011's 3962 is discrete semiconductors (C3972 now); 2017's 3962 is in-car devices.
    assert out["segment"].tolist() == ["power_semiconductor", "", "power_semiconductor", ""]
    assert out.loc[0, "segment_basis"] == (
        "industry code C3962 半导体分立器件制造 (GB/T 4754-2011; C3972 in 2017)"
    )
    assert out.loc[1, "segment_basis"].endswith(
        "智能车载设备制造 (GB/T 4754-2017): outside the storage chain"
    )
    assert out.loc[3, "segment_basis"].endswith(": outside the storage chain")
    found = _problems(frame)
    by_row = found.groupby("row")["problem"].apply(" | ".join)
    assert "is a GB/T 4754-2011 code" in by_row[2]
    assert "was 半导体分立器件制造 in GB/T 4754-2011 (now C3972)" in by_row[3]
    assert "was 印制电路板制造 in GB/T 4754-2011" in by_row[4]
    assert "is a GB/T 4754-2011 code" in by_row[5]


# ------------------------------------------------------------------ 经营范围 and names


def test_one_segment_in_the_scope_is_the_segment_with_the_phrase_quoted():
    row = _one(business_scope="磷酸铁锂正极材料的研发、生产")
    assert (row.segment, row.segment_confidence) == ("cathode", 0.6)
    assert row.segment_basis == "经营范围: 磷酸铁锂正极材料的研发、生产"


def test_the_quote_keeps_ten_characters_on_each_side_as_written():
    scope = "一般项目：技术服务、技术开发、技术咨询；储能变流器的研发、生产；货物进出口；技术进出口"
    row = _one(business_scope=scope)
    assert row.segment == "pcs"
    assert row.segment_basis == "经营范围: …技术开发、技术咨询；储能变流器的研发、生产；货物进…"


def test_several_segments_in_the_scope_are_candidates():
    row = _one(business_scope="锂离子电池、储能变流器的生产")
    assert row.segment == ""
    assert row.segment_candidates == ("li_ion_cell", "pcs")
    assert row.segment_basis == "经营范围: 锂离子电池、储能变流器的生产"


def test_negative_and_longer_phrases_hide_the_shorter_ones_inside_them():
    assert _one(business_scope="隔膜泵、隔膜阀的制造").segment == ""
    # 锂电池隔膜 is a separator, not a cell; 锂电池回收 is recycling.
    assert _one(business_scope="锂电池隔膜的生产").segment == "separator"
    assert _one(business_scope="废旧锂电池回收").segment == "recycling"
    assert _one(business_scope="锂电池销售；日用百货").segment == ""


def test_latin_phrases_match_whole_words_in_any_case_and_width():
    assert _one(business_scope="电池PACK组装").segment == "battery_pack"
    assert _one(business_scope="ｐａｃｋ组装").segment == "battery_pack"
    assert _one(business_scope="package design; basic services").segment == ""
    assert _one(business_scope="IGBT模块、SiC器件").segment == "power_semiconductor"


def test_the_name_is_the_last_evidence():
    row = _one(name_zh="江西杭电铜箔有限公司")
    assert (row.segment, row.segment_confidence) == ("copper_foil", 0.5)
    assert row.segment_basis == "企业名称: 江西杭电铜箔有限公司"
    # The scope speaks first; the name only when the scope says nothing.
    assert _one(name_zh="江西杭电铜箔有限公司", business_scope="隔膜的生产").segment == "separator"


def test_a_scope_naming_nothing_is_reported_only_without_other_evidence():
    frame = pd.DataFrame(
        {
            "segment": ["", "铜箔", ""],
            "industry_code": ["", "", ""],
            "business_scope": ["餐饮服务；日用百货销售", "餐饮服务", ""],
        }
    )
    found = _problems(frame)
    assert found[["row", "column"]].to_numpy().tolist() == [[2, "business_scope"], [4, "segment"]]
    assert "经营范围 names no segment of the storage chain" in found.loc[0, "problem"]
    assert "no segment, and no usable industry code or 经营范围" in found.loc[1, "problem"]
    assert found.loc[0, "problem"].startswith("firms.csv row 2: ")
    assert set(found["action"]) == {"kept"}


# ------------------------------------------------------------------ the table contract


def test_the_result_is_aligned_to_the_input_and_the_input_is_untouched():
    frame = pd.DataFrame(
        {"segment": ["铜箔", None], "industry_code": ["", "C3612"]}, index=["x", "y"]
    )
    before = frame.copy()
    out = resolve_segments(frame)
    assert list(out.index) == ["x", "y"]
    assert list(out.columns) == [
        "segment",
        "segment_basis",
        "segment_confidence",
        "segment_candidates",
        "segment_given",
    ]
    assert out["segment"].tolist() == ["copper_foil", "ev"]
    assert out["segment_given"].tolist() == [True, False]
    pd.testing.assert_frame_equal(frame, before)
    empty = resolve_segments(frame.iloc[:0])
    assert empty.empty
    assert list(empty.columns) == list(out.columns)
    assert segment_problems(empty, frame.iloc[:0], source_name="f", rows=[]).empty


def test_results_do_not_depend_on_row_order_and_confidence_is_in_range():
    frame = pd.DataFrame(
        {
            "segment": ["", "储能电池", "", "铜箔", "", ""],
            "industry_code": ["C3985", "C3849", "C3841", "", "", "C3843"],
            "business_scope": ["隔膜", "", "电池模组", "", "光伏组件", "锂电池"],
            "name_zh": ["", "", "", "", "", "某电池回收公司"],
        }
    )
    out = resolve_segments(frame)
    shuffled = resolve_segments(frame.iloc[::-1]).loc[out.index]
    pd.testing.assert_frame_equal(out, shuffled)
    assert out["segment_confidence"].between(0, 1).all()
    resolved = out["segment"] != ""
    assert (out.loc[resolved, "segment_confidence"] > 0).all()
    assert (out.loc[~resolved, "segment_confidence"] == 0).all()
    for seg, cands in zip(out["segment"], out["segment_candidates"], strict=True):
        assert not seg or cands == (seg,)


def test_evidence_is_computed_once_per_distinct_value(monkeypatch):
    calls: list[tuple[str, str]] = []
    real = segments_module.code_evidence

    def counting(ctx, code, name):
        calls.append((code, name))
        return real(ctx, code, name)

    monkeypatch.setattr(segments_module, "code_evidence", counting)
    frame = pd.DataFrame({"industry_code": ["C3612", "C3985"] * 500})
    out = resolve_segments(frame)
    assert sorted(calls) == [("C3612", ""), ("C3985", "")]
    assert out["segment"].value_counts().to_dict() == {"ev": 500, "": 500}


def test_a_custom_chain_drops_candidates_it_does_not_have():
    small = chain().loc[["cathode", "anode", "ev"]]
    row = resolve_segments(pd.DataFrame({"industry_code": ["C3985"]}), chain=small).iloc[0]
    assert row.segment_candidates == ("cathode", "anode")
    assert segment_key("铜箔", chain=small) is None
    assert segment_key("新能源汽车", chain=small) == "ev"


def test_a_row_of_the_result_is_a_resolution():
    row = _one(industry_code="C3612")
    assert Resolution(*row.iloc[:4].tolist()) == Resolution(
        "ev", "industry code C3612 新能源车整车制造 (GB/T 4754-2017)", 0.8, ("ev",)
    )


# ------------------------------------------------------------------ the shipped data


REFERENCE_CODES = {
    # code -> official name (GB/T 4754-2017 amended), from shared/reference/industry_codes.md;
    # C3561's name there (电子工业专用设备制造) is 3562's 2011 name, corrected in the file.
    "C3841": "锂离子电池制造", "C3842": "镍氢电池制造", "C3843": "铅蓄电池制造",
    "C3844": "锌锰电池制造", "C3849": "其他电池制造", "C2613": "无机盐制造",
    "C2614": "有机化学原料制造", "C2651": "初级形态塑料及合成树脂制造",
    "C2661": "化学试剂和助剂制造", "C2662": "专项化学用品制造", "C2669": "其他专用化学产品制造",
    "C2921": "塑料薄膜制造", "C3091": "石墨及碳素制品制造", "C3213": "镍钴冶炼",
    "C3239": "其他稀有金属冶炼", "C3251": "铜压延加工", "C3252": "铝压延加工",
    "C3311": "金属结构制造", "C3399": "其他未列明金属制品制造",
    "C3821": "变压器、整流器和电感器制造", "C3824": "电力电子元器件制造",
    "C3825": "光伏设备及元器件制造", "C3829": "其他输配电及控制设备制造",
    "C3972": "半导体分立器件制造", "C3973": "集成电路制造", "C3983": "敏感元件及传感器制造",
    "C3985": "电子专用材料制造", "C3561": "电工机械专用设备制造",
    "C3562": "半导体器件专用设备制造", "C4210": "金属废料和碎屑加工处理",
}  # fmt: skip


def _shipped_codes():
    return load_codes(data_path("industry_codes.yaml"), chain().index)


def test_every_reference_code_ships_with_its_official_name():
    entries = {e.code: e for e in _shipped_codes().entries.values()}
    for code, name in REFERENCE_CODES.items():
        assert entries[code].name == name, code
        assert entries[code].edition == 2017
    assert {"C3563", "C3612", "C3261", "C3262", "C3610"} <= set(entries)


def test_catch_alls_are_ambiguous_and_other_batteries_are_outside_the_chain():
    entries = {e.code: e for e in _shipped_codes().entries.values()}
    for code in ("C3985", "C2669", "C3849"):
        assert entries[code].ambiguous, code
    for code in ("C3842", "C3843", "C3844"):
        assert entries[code].segments == (), code
    for entry in entries.values():
        assert not (len(entry.segments) > 1 and not entry.ambiguous), entry.code
    assert entries["C3843"].status_2011 == entries["C3844"].status_2011 == "absent"


def test_every_segment_has_terms_and_every_term_is_a_chain_key():
    table = chain()
    raw = yaml.safe_load(data_path("segment_terms.yaml").read_text(encoding="utf-8"))
    assert [s["key"] for s in raw["segments"]] == list(table.index)
    assert all(s.get("positive") for s in raw["segments"])


# ------------------------------------------------------------------ validating the files


def _names():
    table = chain()
    zh = dict(zip(table["name_zh"], table.index, strict=True))
    return {**zh, **dict(zip(table["name_en"], table.index, strict=True))}


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_an_unknown_segment_key_in_the_terms_file_is_reported_with_its_line(tmp_path):
    path = _write(
        tmp_path,
        "terms.yaml",
        """\
        version: 1
        segments:
          - key: copper_foil
            synonyms: [铜箔]
          - key: coper_foil
            synonyms: [电解铜箔]
        """,
    )
    with pytest.raises(RuleError) as caught:
        load_terms(path, chain().index, _names())
    (problem,) = caught.value.problems
    assert problem.startswith("line 5, segments[1].key: unknown segment 'coper_foil'")
    assert "did you mean 'copper_foil'?" in problem


def test_the_terms_file_reports_every_conflict_at_once(tmp_path):
    path = _write(
        tmp_path,
        "terms.yaml",
        """\
        version: 1
        segments:
          - key: copper_foil
            synonyms: [箔, 正极材料]
            positive: [铜箔]
          - key: aluminium_foil
            synonyms: [箔]
            negative: [铜箔]
        ambiguous:
          - term: 电芯
            candidates: [li_ion_cell]
            why: one candidate only
        """,
    )
    with pytest.raises(RuleError) as caught:
        load_terms(path, chain().index, _names())
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("line 4, segments[0].synonyms[1]: synonym '正极材料' already")
    assert "also given for 'copper_foil' (at line 4" in problems[1]
    assert "is negative here but positive at line 5" in problems[2]
    assert "needs two or more candidates" in problems[3]


def test_the_codes_file_reports_every_problem_with_its_line(tmp_path):
    path = _write(
        tmp_path,
        "codes.yaml",
        """\
        version: 1
        edition: GB/T 4754-2017
        codes:
          - code: C3841
            name: 锂离子电池制造
            segments: [li_ion_cell, battery_pack]
            gb2011: same
          - code: 3849
            name: 其他电池制造
            segments: [naion_cell]
            gb2011: same
          - code: C3985
            name: 电子专用材料制造
            segments: [cathode]
          - code: C3841
            name: again
            segments: []
            gb2011: absent
        """,
    )
    with pytest.raises(RuleError) as caught:
        load_codes(path, chain().index)
    text = str(caught.value)
    assert "line 6, codes[0].segments: several candidate segments" in text
    assert "line 8, codes[1].code: must be non-empty text, got a number 3849" in text
    assert "line 10, codes[1].segments[0]: unknown segment 'naion_cell'" in text
    assert "line 12, codes[2].gb2011: every 2017 code says how it stood in GB/T 4754-2011" in text
    assert "line 15, codes[3].code: code C3841 is listed twice (first at line 4" in text
    assert len(caught.value.problems) == 5


# ------------------------------------------------------------------ rows given by key


def test_a_key_written_exactly_reads_as_the_same_key_written_otherwise() -> None:
    # Exact keys take a shortcut (no other evidence read); upper case takes the full path.
    keys = [str(k) for k in chain().index]
    exact = resolve_segments(pd.DataFrame({"segment": keys, "industry_code": "C3985"}))
    other = resolve_segments(
        pd.DataFrame({"segment": [k.upper() for k in keys], "industry_code": "C3985"})
    )
    pd.testing.assert_frame_equal(exact, other)
    assert exact["segment"].tolist() == keys
    assert exact["segment_basis"].tolist() == [f"segment key {k}" for k in keys]


def test_rows_read_alike_alone_and_among_rows_given_by_key() -> None:
    frame = pd.DataFrame(
        {
            "segment": ["cathode", "", "铜箔", " pcs ", "储能电池", "coper", "ev", ""],
            "industry_code": ["C3841", "C3985", "", "", "C3841", "", "C2669", ""],
            "business_scope": ["", "磷酸铁锂正极材料", "", "", "", "", "", "餐饮服务"],
        },
        index=[7, 3, 5, 1, 0, 2, 6, 4],
    )
    together = resolve_segments(frame)
    alone = pd.concat([resolve_segments(frame.iloc[[i]]) for i in range(len(frame))])
    pd.testing.assert_frame_equal(together, alone)
    problems = _problems(frame)
    one_by_one = pd.concat(
        [
            segment_problems(
                resolve_segments(frame.iloc[[i]]),
                frame.iloc[[i]],
                source_name="firms.csv",
                rows=[i + 2],
            )
            for i in range(len(frame))
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(problems, one_by_one)
    assert problems["row"].tolist() == [6, 7, 9]  # 储能电池, coper, 餐饮服务
