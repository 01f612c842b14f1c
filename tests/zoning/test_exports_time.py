"""Exports with time: QGIS's temporal controller animates the files as they are."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pandas as pd
import pytest

import geo.io
import layers
from layers.events import validate_events
from tests._gis_files import ogrinfo_layers
from zoning import exports
from zoning.cli import main


@pytest.fixture(scope="module")
def project() -> layers.Project:
    return layers.open_project(default_store=False)


def test_enterprises_gpkg_has_date_fields_for_a_firm_with_events(tmp_path, capsys) -> None:
    out = tmp_path / "enterprises.gpkg"
    assert main(["export", "--layer", "enterprises", "--out", str(out)]) == 0
    capsys.readouterr()
    assert ogrinfo_layers(out)["enterprises"][0] == "Point"  # no warning either
    with sqlite3.connect(out) as db:
        types = {row[1]: row[2] for row in db.execute("PRAGMA table_info(enterprises)")}
        rows = dict(db.execute("SELECT id, time_start FROM enterprises").fetchall())
        (ended,) = db.execute(
            "SELECT count(*) FROM enterprises WHERE time_end IS NOT NULL"
        ).fetchone()
    # A DATE field (not text): QGIS offers it as a start field as it is.
    assert types["time_start"] == "DATE"
    assert rows["NC-001"] == "2021-08-12"  # signed with the ETDZ (S2, S5)
    assert rows["NC-002"] == "2023-05-27"  # first known event: production
    assert rows["NC-007"] == "2022-01-01"  # signed in 2022-01 (S38, S39): the month's first day
    assert rows["NC-009"] is None  # no dated event: unknown, not guessed
    assert ended == 0  # no shipped firm has exited


def test_enterprises_geojson_has_iso_dates_or_null(tmp_path, capsys) -> None:
    out = tmp_path / "enterprises.geojson"
    assert main(["export", "--layer", "enterprises", "--out", str(out)]) == 0
    capsys.readouterr()
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    start = {f["properties"]["id"]: f["properties"]["time_start"] for f in features}
    assert start["NC-005"] == "2022-05-09"
    assert start["NC-003"] is None
    assert {f["properties"]["time_end"] for f in features} == {None}


def test_exit_gives_an_end_date(project) -> None:
    raw = pd.DataFrame(
        {
            "enterprise_id": ["NC-001", "NC-001"],
            "date": ["2021-08-12", "2024-03"],
            "stage": ["signed", "exited"],
        }
    )
    events, problems = validate_events(raw, source_name="e.csv")
    assert problems.empty
    firms = exports.layer("enterprises", project, events=events).set_index("id")
    assert firms.loc["NC-001", "time_start"] == dt.date(2021, 8, 12)
    assert firms.loc["NC-001", "time_end"] == dt.date(2024, 3, 1)
    assert firms.loc["NC-005", "time_start"] is None  # not in these events


def test_stage_episodes_are_points_with_start_and_end(project, tmp_path) -> None:
    ep = exports.stage_episodes(project)
    assert set(ep["enterprise_id"]) == set(project.events["enterprise_id"])
    assert {"NC-001", "NC-002", "NC-005", "NC-007", "NC-014"} <= set(ep["enterprise_id"])
    # An unlocated firm's episodes have no point (NC-014: only its district is known).
    assert (ep.geometry.isna() == ep["enterprise_id"].isin(["NC-014"])).all()
    first = ep[ep["enterprise_id"] == "NC-001"]
    assert first["stage"].tolist() == ["signed", "production"]
    assert first["time_end"].tolist() == [dt.date(2022, 1, 1), None]
    out = tmp_path / "episodes.gpkg"
    geo.io.write(ep, out, layer="episodes", geometry_type="Point")
    assert ogrinfo_layers(out)["episodes"] == ("Point", len(ep))
