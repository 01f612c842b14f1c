from __future__ import annotations

import copy
import pickle

import pytest
import yaml

from layers.chain import chain
from layers.rules import AreaRule, RuleError, Rules, rules

# Valid keys passed explicitly, so these tests do not depend on the shipped geography.
ZONES = ("nc_etdz", "nc_hitech", "xiaolan_etdz")
# Nanchang's nine county-level divisions, NBS 2023 (reference facts §3b).
ADCODES = ("360102", "360103", "360104", "360111", "360112", "360113", "360121", "360123",
           "360124")  # fmt: skip


def _load(path):
    return rules(path, zone_ids=ZONES, adcodes=ADCODES)


# ---- the shipped rules: exactly what the plan (and the contract) says -------------------


def test_shipped_rules_follow_the_plan():
    r = _load(None)
    assert [a.key for a in r.areas] == ["battery", "materials", "control"]
    battery, materials, control = r.areas
    assert (battery.districts, battery.zones, battery.minus_zones) == (
        ("360112",),
        ("nc_etdz",),
        (),
    )
    assert set(materials.districts) == {"360123", "360124"}
    assert materials.zones == ("xiaolan_etdz",)
    assert (control.districts, control.zones, control.minus_zones) == (
        ("360111",),
        ("nc_hitech",),
        ("nc_etdz",),
    )
    assert set(battery.segments) == {"li_ion_cell", "na_ion_cell", "battery_pack"}
    assert set(materials.segments) == {
        "cathode", "anode", "electrolyte", "separator", "copper_foil", "aluminium_foil",
        "lithium_salt", "sodium_salt", "structural_parts",
    }  # fmt: skip
    assert set(control.segments) == {
        "sensor", "bms_chip", "power_semiconductor", "pcs", "storage_integration",
        "pv_storage_integration", "equipment",
    }  # fmt: skip
    assert r.key_segments_without_area == ("pv_cell",)
    assert r.targets["annual_scale_cny"] == 2.0e10
    assert r.targets["max_growth_pct"] == 200
    assert r.source["key"] == "S1"
    assert "Qingshanhu" in control.note or "青山湖区" in control.note


def test_shipped_rules_designate_each_segment_at_most_once():
    r = _load(None)
    for segment in chain().index:
        assert len(r.designated_areas(segment)) <= 1, segment
    undesignated = {s for s in chain().index if not r.designated_areas(s)}
    assert undesignated == {"pv_cell", "ev", "recycling"}


def test_shipped_rules_validate_against_the_shipped_layers():
    # Default valid keys come from data/zones.geojson and data/districts.geojson.
    assert rules() == _load(None)


def test_lookups():
    r = _load(None)
    assert r.designated_areas("pcs") == ("control",)
    assert r.designated_areas("pv_cell") == ()
    assert r.area("materials").name_zh == "材料集聚区"
    with pytest.raises(ValueError, match="did you mean 'control'"):
        r.area("contrl")
    with pytest.raises(ValueError, match="did you mean 'sensor'"):
        r.designated_areas("sensr")


def test_rules_are_frozen_and_hashable():
    r = _load(None)
    with pytest.raises(AttributeError):
        r.areas = ()
    assert hash(r.areas[0]) == hash(copy.deepcopy(r.areas[0]))
    assert isinstance(hash(r), int)


# ---- validation: each kind of problem ---------------------------------------------------


def _doc():
    return {
        "version": 1,
        "as_of": "2023-09-09",
        "source": {"key": "S1"},
        "areas": [
            {"key": "battery", "name_zh": "储能电池集聚区", "name_en": "Battery area",
             "members": {"districts": ["360112"], "zones": ["nc_etdz"]},
             "segments": ["li_ion_cell", "na_ion_cell", "battery_pack"]},
            {"key": "materials", "name_zh": "材料集聚区", "name_en": "Materials area",
             "members": {"districts": ["360123", "360124"], "zones": ["xiaolan_etdz"]},
             "segments": ["cathode", "anode"]},
            {"key": "control", "name_zh": "控制集聚区", "name_en": "Control area",
             "members": {"districts": ["360111"], "zones": ["nc_hitech"]},
             "minus_zones": ["nc_etdz"], "segments": ["sensor", "pcs"]},
        ],
        "key_segments_without_area": ["pv_cell"],
        "targets": {"annual_scale_cny": 20000000000, "max_growth_pct": 200},
    }  # fmt: skip


def _write(tmp_path, doc, name="rules.yaml"):
    path = tmp_path / name
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path, doc):
    with pytest.raises(RuleError) as info:
        _load(_write(tmp_path, doc))
    return info.value.problems


def test_small_valid_file_loads(tmp_path):
    r = _load(_write(tmp_path, _doc()))
    assert [a.key for a in r.areas] == ["battery", "materials", "control"]
    assert isinstance(r.areas[0], AreaRule)
    assert isinstance(r, Rules)


def test_malformed_yaml_names_the_line(tmp_path):
    text = "version: 1\nareas:\n  - key: battery\n   name_zh: x\n"
    (problem,) = _problems(tmp_path, text)
    assert "YAML syntax error" in problem
    # The bad indentation is on line 4; yaml reports the line where it notices it.
    assert "line 4" in problem


def test_top_level_must_be_a_mapping(tmp_path):
    (problem,) = _problems(tmp_path, "- battery\n- materials\n")
    assert "top level must be a mapping" in problem
    (problem,) = _problems(tmp_path, "")
    assert "top level must be a mapping" in problem


def test_missing_required_fields(tmp_path):
    doc = _doc()
    del doc["targets"]
    del doc["areas"][1]["segments"]
    problems = _problems(tmp_path, doc)
    assert len(problems) == 2
    assert any("required field 'targets'" in p for p in problems)
    assert any("area 'materials'" in p and "required field 'segments'" in p for p in problems)


def test_unknown_segment_lists_valid_keys_nearest_and_line(tmp_path):
    doc = _doc()
    doc["areas"][0]["segments"][1] = "na_ion_cel"
    path = _write(tmp_path, doc)
    with pytest.raises(RuleError) as info:
        _load(path)
    (problem,) = info.value.problems
    assert "unknown segment 'na_ion_cel'" in problem
    assert "did you mean 'na_ion_cell'" in problem
    for key in chain().index:
        assert key in problem
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "na_ion_cel" in text)
    assert problem.startswith(f"line {line},")


def test_unknown_zone_id_and_adcode(tmp_path):
    doc = _doc()
    doc["areas"][0]["members"]["zones"] = ["nc_etz"]
    doc["areas"][1]["members"]["districts"] = ["360123", "3601240"]
    problems = _problems(tmp_path, doc)
    assert len(problems) == 2
    zone = next(p for p in problems if "zone id" in p)
    assert "did you mean 'nc_etdz'" in zone
    assert all(z in zone for z in ZONES)
    district = next(p for p in problems if "adcode" in p)
    assert "'3601240'" in district
    assert "did you mean '360124'" in district
    assert all(a in district for a in ADCODES)


def test_unknown_minus_zone(tmp_path):
    doc = _doc()
    doc["areas"][2]["minus_zones"] = ["nc_etdzz"]
    (problem,) = _problems(tmp_path, doc)
    assert "minus_zones" in problem
    assert "did you mean 'nc_etdz'" in problem


def test_segment_in_two_areas_unless_shared_by_both(tmp_path):
    doc = _doc()
    doc["areas"][2]["segments"].append("battery_pack")
    (problem,) = _problems(tmp_path, doc)
    assert "'battery_pack'" in problem
    assert "'battery'" in problem
    assert "'control'" in problem
    assert "shared_segments" in problem

    doc["areas"][2]["shared_segments"] = ["battery_pack"]
    (problem,) = _problems(tmp_path, doc)
    assert "missing in 'battery'" in problem

    doc["areas"][0]["shared_segments"] = ["battery_pack"]
    r = _load(_write(tmp_path, doc, "shared.yaml"))
    assert r.designated_areas("battery_pack") == ("battery", "control")


def test_shared_segment_must_be_designated(tmp_path):
    doc = _doc()
    doc["areas"][0]["shared_segments"] = ["sensor"]
    (problem,) = _problems(tmp_path, doc)
    assert "does not designate it" in problem


def test_area_without_members_or_segments(tmp_path):
    doc = _doc()
    doc["areas"][1]["members"] = {"districts": [], "zones": []}
    doc["areas"][2]["segments"] = []
    problems = _problems(tmp_path, doc)
    assert len(problems) == 2
    assert any("'materials' has no members" in p for p in problems)
    assert any("'control' designates no segment" in p for p in problems)


def test_duplicate_area_keys(tmp_path):
    doc = _doc()
    doc["areas"][2]["key"] = "battery"
    (problem,) = _problems(tmp_path, doc)
    assert "area key 'battery' is used twice" in problem


def test_key_segment_without_area_that_an_area_designates(tmp_path):
    doc = _doc()
    doc["areas"][2]["segments"].append("pv_cell")
    (problem,) = _problems(tmp_path, doc)
    assert "'pv_cell'" in problem
    assert "'control'" in problem
    assert "key_segments_without_area" in problem


def test_wrong_types(tmp_path):
    doc = _doc()
    doc["areas"][0]["segments"] = "li_ion_cell"
    doc["areas"][1]["members"] = ["360123"]
    doc["targets"]["annual_scale_cny"] = "2.0e10"
    doc["areas"] = [*doc["areas"], "not an area"]
    problems = _problems(tmp_path, doc)
    assert len(problems) == 4
    assert any("segments" in p and "must be a list" in p for p in problems)
    assert any("members" in p and "must be a mapping" in p for p in problems)
    assert any("annual_scale_cny" in p and "must be a number" in p for p in problems)
    assert any("each area must be a mapping" in p for p in problems)


def test_unknown_field_names_the_nearest(tmp_path):
    doc = _doc()
    doc["key_segment_without_area"] = doc.pop("key_segments_without_area")
    problems = _problems(tmp_path, doc)
    assert any("did you mean 'key_segments_without_area'" in p for p in problems)
    assert any("required field 'key_segments_without_area'" in p for p in problems)


def test_duplicate_yaml_key_is_reported(tmp_path):
    text = yaml.safe_dump(_doc(), allow_unicode=True, sort_keys=False)
    text += "targets: {annual_scale_cny: 1, max_growth_pct: 1}\n"
    (problem,) = _problems(tmp_path, text)
    assert "'targets' appears twice" in problem


def test_member_zone_also_subtracted(tmp_path):
    doc = _doc()
    doc["areas"][2]["minus_zones"] = ["nc_hitech"]
    (problem,) = _problems(tmp_path, doc)
    assert "both a member and subtracted" in problem


def test_adcodes_written_as_numbers_are_accepted(tmp_path):
    text = yaml.safe_dump(_doc(), allow_unicode=True, sort_keys=False)
    text = text.replace("'360112'", "360112")
    assert "- 360112\n" in text
    r = _load(_write(tmp_path, text))
    assert r.area("battery").districts == ("360112",)


def test_every_problem_at_once(tmp_path):
    doc = _doc()
    doc["areas"][0]["segments"][0] = "li_ion_cel"  # unknown segment
    doc["areas"][0]["members"]["zones"] = ["nc_etz"]  # unknown zone
    doc["areas"][1]["members"]["districts"] = ["360199"]  # unknown adcode
    doc["areas"][1]["segments"].append("pcs")  # designated to two areas
    doc["areas"][2]["segments"].append("pv_cell")  # contradicts key_segments_without_area
    doc["areas"].append(
        {"key": "battery", "name_zh": "x", "name_en": "x", "members": {}, "segments": []}
    )  # duplicate key, no members, no segments
    doc["areas"][2]["shared_segments"] = "pcs"  # wrong type
    with pytest.raises(RuleError) as info:
        _load(_write(tmp_path, doc))
    err = info.value
    assert len(err.problems) == 9
    text = str(err)
    assert text.startswith("rules.yaml: 9 problems:")
    assert [line.split(".")[0].strip() for line in text.splitlines()[1:]] == [
        str(i) for i in range(1, 10)
    ]
    kinds = [
        "unknown segment",
        "unknown zone id",
        "unknown district adcode",
        "is designated to areas",
        "must be a list",
        "is used twice",
        "has no members",
        "designates no segment",
        "key segment without area",
    ]
    for kind in kinds:
        assert sum(kind in p for p in err.problems) == 1, kind
    # Problems come in file order.
    numbers = [int(p.split(",")[0].removeprefix("line ")) for p in err.problems]
    assert numbers == sorted(numbers)


def test_rule_error_is_a_value_error_and_pickles():
    err = RuleError(["first", "second"], "rules.yaml")
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert again.problems == ["first", "second"]
    assert str(again) == str(err) == "rules.yaml: 2 problems:\n  1. first\n  2. second"


def test_file_not_utf8(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_bytes("version: 1\nas_of: 二〇二三\n".encode("gb18030"))
    with pytest.raises(RuleError, match="not UTF-8"):
        _load(path)
