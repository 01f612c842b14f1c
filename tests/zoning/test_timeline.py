"""As of a date: which firms existed and at what stage; changes between two dates."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

import geo
from layers.events import validate_events
from zoning.timeline import (
    as_of_date,
    changes,
    enterprises_as_of,
    state_as_of,
    time_fields,
    zones_version_as_of,
)


@pytest.fixture
def firms() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["A", "B", "C", "D"],
            "name_zh": ["甲", "乙", "丙", "丁"],
            "name_en": ["a", "b", "c", "d"],
            "status": ["operating", "planned", "operating", "planned"],
            "as_of": ["", "", "2023-02-05", ""],
        },
        geometry=[Point(115.9, 28.6)] * 4,
        crs="EPSG:4326",
    )


@pytest.fixture
def events() -> pd.DataFrame:
    raw = pd.DataFrame(
        [
            ("A", "2022-03", "签约"),
            ("A", "2023-05-27", "投产"),
            ("B", "2024-02-01", "签约"),
            ("D", "2022", "签约"),
            ("D", "2023-06", "退出"),
        ],
        columns=["enterprise_id", "date", "stage"],
    )
    return validate_events(raw, source_name="e.csv")[0]


def test_firm_signed_in_2024_is_absent_from_2023(firms, events) -> None:
    then = enterprises_as_of(firms, events, "2023-12-31")
    assert "B" not in set(then["id"])
    assert "B" in set(enterprises_as_of(firms, events, "2024-06-30")["id"])


def test_stage_and_status_at_a_date(firms, events) -> None:
    state = state_as_of(firms, events, "2023-01-31").set_index("id")
    assert state.loc["A", ["stage", "status", "time_basis"]].tolist() == [
        "signed",
        "planned",
        "events",
    ]
    # C has no events: its row's status holds from its as_of date on.
    assert not state.loc["C", "present"] or state.loc["C", "time_basis"] == "undated"
    later = state_as_of(firms, events, "2023-06-30").set_index("id")
    assert later.loc["A", "status"] == "operating"
    assert later.loc["C", ["time_basis", "status"]].tolist() == ["as_of", "operating"]
    assert not later.loc["D", "present"]  # exited in 2023-06


def test_undated_firms_kept_or_dropped(firms, events) -> None:
    keep = state_as_of(firms, events, "2022-12-31")
    drop = state_as_of(firms, events, "2022-12-31", undated="drop")
    assert keep.set_index("id").loc["C", "present"]
    assert not drop.set_index("id").loc["C", "present"]


def test_changes_between_two_dates(firms, events) -> None:
    found = changes("2022-12-31", "2024-06-30", enterprises=firms, events=events)
    assert dict(zip(found["id"], found["change"], strict=True)) == {
        "A": "advanced",
        "B": "new",
        "D": "left",
    }
    assert changes("2022-06-30", "2022-12-31", enterprises=firms, events=events)[
        ["id", "change"]
    ].to_numpy().tolist() == [["A", "stalled"], ["D", "stalled"]]


def test_bad_as_of_date_is_refused_in_both_languages() -> None:
    with pytest.raises(geo.InputError) as err:
        as_of_date("2024-13-01")
    assert "YYYY-MM-DD" in str(err.value)
    assert "无法识别" in err.value.text.zh
    assert as_of_date("2024") == pd.Timestamp("2024-12-31")


def test_zone_version_current_at_a_date() -> None:
    history = pd.DataFrame(
        {"version": [1, 2], "created_at": pd.to_datetime(["2024-01-10", "2024-07-01"], utc=True)}
    )
    assert zones_version_as_of(history, "2023-12-31") is None
    assert zones_version_as_of(history, "2024-06-30") == 1
    assert zones_version_as_of(history, "2024-07-01") == 2


def test_time_fields_for_qgis(firms, events) -> None:
    fields = time_fields(firms, events)
    assert fields.loc[0].tolist() == ["2022-03-01", ""]
    assert fields.loc[3].tolist() == ["2022-01-01", "2023-06-01"]
    assert fields.loc[2].tolist() == ["", ""]


def test_time_fields_when_no_firm_has_exited(firms, events) -> None:
    # No exit event at all: the (empty) exit dates must give blank ends, not an error.
    still = events[events["stage"] != "exited"]
    fields = time_fields(firms, still)
    assert fields["time_end"].tolist() == ["", "", "", ""]
    assert fields.loc[0, "time_start"] == "2022-03-01"
