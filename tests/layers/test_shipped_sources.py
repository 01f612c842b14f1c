"""Every shipped enterprise and event is traceable: its source keys are defined in SOURCES.md."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import layers
from layers.events import read_events

DATA = Path(__file__).resolve().parents[2] / "data"
# A key is defined where SOURCES.md gives it an address: "S12 http…", "| S38 | http…" or
# "S14 中新网南昌 …" (a stored copy without an address says so in words).
DEFINED = re.compile(
    r"(?:^|[\s,(|])(S\d+)\s*\|?\s*\(?(?:https?://|GitHub|中新网|Economic Daily)", re.MULTILINE
)


@pytest.fixture(scope="module")
def defined() -> set[str]:
    return set(DEFINED.findall((DATA / "SOURCES.md").read_text(encoding="utf-8")))


def _keys(column: pd.Series) -> set[str]:
    return {k.strip() for cell in column.astype(str) for k in cell.split(";") if k.strip()}


def test_the_pattern_finds_the_defined_keys(defined):
    # The check below is only as good as this pattern: it must see the keys the file
    # defines in each of its styles, and not invent one.
    assert {"S2", "S14", "S17", "S37", "S46", "S48"} <= defined
    assert "S99" not in defined


def test_every_source_key_of_the_enterprises_is_defined(defined):
    firms = pd.read_csv(DATA / "enterprises.csv", dtype=str, keep_default_na=False)
    assert _keys(firms["source"]) - defined == set()


def test_every_source_key_of_the_events_is_defined(defined):
    events = pd.read_csv(DATA / "events.csv", dtype=str, keep_default_na=False)
    assert _keys(events["source"]) - defined == set()


def test_every_firm_has_a_date_and_every_located_firm_its_precision():
    firms = layers.enterprises()
    dated = firms["as_of"].astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    # A firm whose only source is undated keeps an empty date, and its note must say so
    # (a date made up for it would be worse than none).
    undated = firms.loc[~dated]
    assert undated["note"].str.contains("undated, so as_of is empty").all(), undated["id"]
    assert undated["id"].tolist() == ["NC-011"]
    located = firms[~firms.geometry.is_empty & firms.geometry.notna()]
    assert (located["precision_m"] > 0).all()
    assert len(located) == 13
    assert len(firms) == 16


def test_every_event_names_a_shipped_firm():
    result = read_events(enterprise_ids=layers.enterprises()["id"].astype(str))
    assert result.problems.empty
    assert len(result.data) == 13
