from __future__ import annotations

import graphlib
import pickle

import pytest
import yaml

from layers.chain import STAGES, chain, downstream, upstream
from layers.rules import RuleError

# The segment keys fixed by the interface contract (team/CONTRACTS.md).
CONTRACT_KEYS = {
    "cathode",
    "anode",
    "electrolyte",
    "separator",
    "copper_foil",
    "aluminium_foil",
    "lithium_salt",
    "sodium_salt",
    "structural_parts",
    "li_ion_cell",
    "na_ion_cell",
    "battery_pack",
    "pv_cell",
    "sensor",
    "bms_chip",
    "power_semiconductor",
    "pcs",
    "storage_integration",
    "pv_storage_integration",
    "equipment",
    "ev",
    "recycling",
}


def test_shipped_chain_has_the_contract_schema():
    table = chain()
    assert set(table.index) == CONTRACT_KEYS
    assert table.index.name == "segment"
    assert table.index.is_unique
    assert {"name_zh", "name_en", "stage", "supplies"} <= set(table.columns)
    assert set(table["stage"]) <= set(STAGES)
    for key, supplies in table["supplies"].items():
        assert isinstance(supplies, tuple)
        assert set(supplies) <= CONTRACT_KEYS
        assert key not in supplies
    assert (table["name_zh"].str.len() > 0).all()
    assert (table["name_en"].str.len() > 0).all()


def test_every_stage_of_the_issue_is_used():
    assert set(chain()["stage"]) == set(STAGES)


def test_supply_graph_is_acyclic_except_the_declared_recycling_loop():
    graph = {k: set(v) for k, v in chain()["supplies"].items()}
    # With the loop the graph has a cycle (a real one: recycled lithium goes back in) ...
    with pytest.raises(graphlib.CycleError):
        tuple(graphlib.TopologicalSorter(graph).static_order())
    # ... and without that one edge it has none.
    graph["recycling"].discard("lithium_salt")
    order = tuple(graphlib.TopologicalSorter(graph).static_order())
    assert set(order) == CONTRACT_KEYS


def test_materials_reach_cells_and_cells_reach_integration():
    graph = {k: set(v) for k, v in chain()["supplies"].items()}

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    table = chain()
    for key in table.index[table["stage"] == "materials"]:
        assert reach(key) & {"li_ion_cell", "na_ion_cell"}, key
    for key in ("li_ion_cell", "na_ion_cell", "pv_cell", "pcs", "bms_chip"):
        assert reach(key) & {"storage_integration", "pv_storage_integration"}, key


def test_upstream_and_downstream_are_inverse():
    keys = list(chain().index)
    for a in keys:
        for b in keys:
            assert (b in downstream(a)) == (a in upstream(b)), (a, b)


def test_domain_edges():
    # Na-ion cells use aluminium foil on both electrodes: copper foil goes to Li-ion only.
    assert "na_ion_cell" not in downstream("copper_foil")
    assert "na_ion_cell" in downstream("aluminium_foil")
    assert "power_semiconductor" in upstream("pcs")
    assert "lithium_salt" in downstream("recycling")
    assert set(upstream("battery_pack")) >= {"li_ion_cell", "na_ion_cell"}


def test_unknown_segment_names_the_nearest():
    with pytest.raises(ValueError, match=r"did you mean 'li_ion_cell'") as info:
        upstream("li_ion_cel")
    assert "valid segments:" in str(info.value)
    with pytest.raises(ValueError, match="did you mean 'pcs'"):
        downstream("PCS")


def test_chain_returns_an_independent_copy():
    first = chain()
    first.loc["pcs", "stage"] = "changed"
    first["supplies"] = [()] * len(first)
    again = chain()
    assert again.loc["pcs", "stage"] == "control"
    assert again.loc["pcs", "supplies"] == downstream("pcs") != ()


# ---- validation of chain files -----------------------------------------------------------


def _doc():
    return {
        "version": 1,
        "feedback_edges": [{"from": "recycling", "to": "salt", "why": "closed loop"}],
        "segments": [
            {"key": "salt", "name_zh": "盐", "name_en": "Salt", "stage": "materials",
             "supplies": ["cathode"]},
            {"key": "cathode", "name_zh": "正极", "name_en": "Cathode", "stage": "materials",
             "supplies": ["cell"]},
            {"key": "cell", "name_zh": "电芯", "name_en": "Cell", "stage": "cells",
             "supplies": ["recycling"]},
            {"key": "recycling", "name_zh": "回收", "name_en": "Recycling",
             "stage": "downstream", "supplies": ["salt"]},
        ],
    }  # fmt: skip


def _write(tmp_path, doc, name="chain.yaml"):
    path = tmp_path / name
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path):
    with pytest.raises(RuleError) as info:
        chain(path)
    return info.value.problems


def test_small_valid_chain_loads_with_its_declared_loop(tmp_path):
    table = chain(_write(tmp_path, _doc()))
    assert list(table.index) == ["salt", "cathode", "cell", "recycling"]
    assert table.loc["recycling", "supplies"] == ("salt",)


def test_unknown_supplies_key_lists_valid_keys_and_nearest(tmp_path):
    doc = _doc()
    doc["segments"][1]["supplies"] = ["cel"]
    (problem,) = _problems(_write(tmp_path, doc))
    assert "'cel'" in problem
    assert "did you mean 'cell'" in problem
    assert "cathode, cell, recycling, salt" in problem


def test_duplicate_key(tmp_path):
    doc = _doc()
    doc["segments"].append(dict(doc["segments"][0]))
    (problem,) = _problems(_write(tmp_path, doc))
    assert "'salt'" in problem
    assert "twice" in problem


def test_bad_stage_names_the_nearest(tmp_path):
    doc = _doc()
    doc["segments"][2]["stage"] = "cell"
    (problem,) = _problems(_write(tmp_path, doc))
    assert "unknown stage 'cell'" in problem
    assert "did you mean 'cells'" in problem


def test_cycle_without_feedback_edge(tmp_path):
    doc = _doc()
    del doc["feedback_edges"]
    (problem,) = _problems(_write(tmp_path, doc))
    assert "cycle" in problem
    for key in ("salt", "cathode", "cell", "recycling"):
        assert key in problem


def test_feedback_edge_must_be_a_supply_edge(tmp_path):
    doc = _doc()
    doc["feedback_edges"] = [{"from": "cell", "to": "salt", "why": "no such edge"}]
    problems = _problems(_write(tmp_path, doc))
    assert any("not a supply edge" in p for p in problems)
    # The real loop is now undeclared too.
    assert any("cycle" in p for p in problems)


def test_self_supply_and_wrong_types(tmp_path):
    doc = _doc()
    doc["segments"][0]["supplies"] = ["salt", "cathode"]
    doc["segments"][1]["supplies"] = "cell"
    problems = _problems(_write(tmp_path, doc))
    assert any("supplies itself" in p for p in problems)
    assert any("must be a list" in p for p in problems)


def test_malformed_yaml_reports_the_line(tmp_path):
    text = "version: 1\nsegments:\n  - key: a\n    name_zh: [unclosed\n"
    (problem,) = _problems(_write(tmp_path, text))
    assert "YAML syntax error" in problem
    assert "line " in problem


def test_every_problem_at_once(tmp_path):
    doc = _doc()
    doc["segments"][1]["supplies"] = ["cel"]  # unknown key
    doc["segments"][2]["stage"] = "cell"  # bad stage
    doc["segments"].append(dict(doc["segments"][0]))  # duplicate key
    del doc["segments"][3]["name_en"]  # missing field
    doc["segments"][0]["colour"] = "red"  # unknown field
    with pytest.raises(RuleError) as info:
        chain(_write(tmp_path, doc))
    err = info.value
    assert len(err.problems) == 5
    text = str(err)
    assert text.startswith("chain.yaml: 5 problems:")
    for i in range(1, 6):
        assert f"\n  {i}. " in text
    assert isinstance(err, ValueError)
    assert pickle.loads(pickle.dumps(err)).problems == err.problems
