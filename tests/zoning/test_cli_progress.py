"""``zoning progress --json`` on the shipped data, and ``check --as-of``."""

from __future__ import annotations

import json

import pytest

from zoning.cli import main


@pytest.fixture(autouse=True)
def _no_store(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "none.gpkg"))


def test_progress_json_on_shipped_data(capsys) -> None:
    assert main(["progress", "--json", "--as-of", "2024-06-30"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["event_records"] == 13
    assert out["targets"][0]["source"] == "S1"
    rows = {(r["year"], r["metric"]): r for r in out["progress"] if r["area"] == "all"}
    scale = rows[(2023, "output_cny")]
    # No source gives an output figure: the target stands, unmet-or-met is unknown.
    assert (scale["target"], scale["records"], scale["met"]) == (2e10, 0, None)
    # Of the 8 firms signed by the end of 2023 (a construction or production event implies
    # the signing), 6 had started; NC-013 (signed 2023-02-16) and NC-014 (2019) had not.
    assert rows[(2023, "fulfilment_rate")]["value"] == 0.75
    assert rows[(2023, "fulfilment_rate")]["records"] == 8


def test_check_as_of_leaves_out_later_firms(capsys) -> None:
    assert main(["check", "--json", "--as-of", "2023-06-30"]) == 0
    ids = {e["id"] for e in json.loads(capsys.readouterr().out)["enterprises"]}
    assert "NC-006" not in ids
    assert "NC-010" in ids


def test_bad_as_of_exits_2(capsys) -> None:
    assert main(["check", "--as-of", "2023-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
