"""The project carries its events: the store's saved ones first, else the shipped ones."""

from __future__ import annotations

import pandas as pd
import pytest

import layers
from layers.events import EVENTS_LAYER, read_events, save_events
from zoning.cli import main


@pytest.fixture(scope="module")
def shipped() -> layers.Project:
    return layers.open_project(default_store=False)


def test_shipped_project_carries_the_shipped_events(shipped):
    expected = read_events().data
    assert len(shipped.events) == len(expected) > 0
    assert shipped.events["enterprise_id"].tolist() == expected["enterprise_id"].tolist()
    assert shipped.events_version is None
    assert shipped.events_problems.empty


def test_another_enterprise_list_does_not_inherit_the_shipped_events(shipped):
    # An uploaded list's NC-001 is not the shipped NC-001: no events are borrowed.
    other = shipped.with_enterprises(shipped.enterprises, source="upload.xlsx")
    assert other.events.empty
    assert list(other.events.columns) == list(shipped.events.columns)
    assert dict(other.events.dtypes) == dict(shipped.events.dtypes)


def test_events_saved_in_the_store_replace_the_shipped_ones(tmp_path, shipped):
    store = tmp_path / "project.gpkg"
    only_two = shipped.events[shipped.events["enterprise_id"] == "NC-005"]
    version = save_events(store, only_two, author="planner@example.org", note="checked")
    opened = layers.open_project(store)
    assert opened.events_version == version == 1
    assert opened.events["enterprise_id"].tolist() == ["NC-005", "NC-005"]
    assert opened.events["stage"].tolist() == ["signed", "construction"]
    assert opened.layer(EVENTS_LAYER)["date"].tolist() == ["2022-05-09", "2022-09-05"]


def test_a_store_without_events_keeps_the_shipped_ones(tmp_path, shipped):
    store = tmp_path / "zones-only.gpkg"
    zones = shipped.zones
    from geo import store as geo_store

    with geo_store.open(str(store)) as opened:
        opened.write("zones", zones, author="a", note="n")
    assert len(layers.open_project(store).events) == len(shipped.events)


def test_cli_exports_the_events_table_as_csv_only(tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["export", "--layer", "events", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype=str)
    assert len(table) == len(read_events().data)
    assert {"enterprise_id", "date", "stage", "source"} <= set(table.columns)
    assert f"wrote {len(table)} rows" in capsys.readouterr().err
    assert main(["export", "--layer", "events", "--out", str(tmp_path / "e.gpkg")]) == 2
    assert "events is a table" in capsys.readouterr().err


def test_progress_reads_the_stores_events(tmp_path, shipped, capsys):
    store = tmp_path / "project.gpkg"
    save_events(store, shipped.events.iloc[:1], author="planner@example.org", note="one")
    assert main(["progress", "--store", str(store), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"events": "events (store v1)"' in out
    assert '"event_records": 1' in out
