"""Progress: KPIs computed by hand on a tiny case, targets as data, freshness, intensity."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

import layers
from layers.events import validate_events
from zoning import progress as prog
from zoning import settings


@pytest.fixture
def case() -> tuple[gpd.GeoDataFrame, pd.DataFrame, gpd.GeoDataFrame]:
    firms = gpd.GeoDataFrame(
        {"id": ["A", "B", "C", "D"], "segment": ["cathode"] * 4},
        geometry=[Point(0.5, 0.5)] * 4,
        crs="EPSG:4326",
    )
    raw = pd.DataFrame(
        {
            "enterprise_id": ["A", "A", "B", "B", "C", "D", "A", "A"],
            "date": [
                "2022-01",
                "2022-06",
                "2022-02",
                "2023-03",
                "2023-01",
                "2023-02",
                "2022-12",
                "2023-12",
            ],
            "stage": ["签约", "在建", "签约", "拟开工", "签约", "在建", "在建", "投产"],
            "investment_cny": [100, None, 50, None, 30, 20, None, None],
            "paid_in_cny": [None, 40, None, 10, None, None, None, None],
            "output_cny": [None, None, None, None, None, None, 200, 300],
            "land_mu": [10, None, None, None, None, None, None, None],
        }
    )
    events, problems = validate_events(raw, source_name="e.csv")
    assert problems.empty
    areas = gpd.GeoDataFrame(
        {"name_zh": ["区"]}, geometry=[box(0, 0, 1, 1)], index=pd.Index(["x"]), crs="EPSG:4326"
    )
    return firms, events, areas


def _values(table: pd.DataFrame, year: int) -> dict[str, float]:
    rows = table[(table.year == year) & (table.area == "all") & (table.segment == "all")]
    return dict(zip(rows.metric, rows.value, strict=True))


def test_kpis_by_hand(case) -> None:
    firms, events, areas = case
    table = prog.progress(firms, events, as_of="2023-12-31", areas=areas, target_list=[])
    y2023 = _values(table, 2023)
    # Signed (or beyond): A, B, C, D = 4; started: A, D = 2; about to start or beyond: A, B, D.
    assert y2023["fulfilment_rate"] == pytest.approx(2 / 4)
    assert y2023["start_rate"] == pytest.approx(2 / 3)
    assert y2023["production_rate"] == pytest.approx(1 / 2)  # A in production of A, D
    # Committed: A 100 + B 50 (paid 40 + 10) -> 50 / 150; C, D have no paid-in figure.
    assert y2023["funds_rate"] == pytest.approx(50 / 150)
    assert y2023["output_growth"] == pytest.approx(300 / 200 - 1)
    assert y2023["investment_cny"] == 200
    y2022 = _values(table, 2022)
    assert y2022["fulfilment_rate"] == pytest.approx(1 / 2)
    records = table[(table.year == 2023) & (table.area == "all") & (table.metric == "funds_rate")]
    assert records["records"].tolist() == [2]


def test_target_compared_and_sourced(case) -> None:
    firms, events, areas = case
    goal = prog.Target("t", "output_cny", 250, ">", "S1", year=2023)
    table = prog.progress(firms, events, as_of="2023-12-31", areas=areas, target_list=[goal])
    row = table[
        (table.year == 2023)
        & (table.area == "all")
        & (table.segment == "all")
        & (table.metric == "output_cny")
    ].iloc[0]
    assert (row.met, row.target_source, row.newest) == (True, "S1", "2023-12-31")


def test_target_without_source_is_refused(tmp_path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(
        "version: 1\nsources: {S1: x}\ntargets:\n  - {key: a, metric: output_cny, value: 1}\n"
        "  - {key: b, metric: output_cny, value: 1, source: S9}\n",
        encoding="utf-8",
    )
    with pytest.raises(layers.RuleError) as err:
        prog.targets(path)
    assert len(err.value.problems) == 2
    assert "has no source" in err.value.problems[0]
    assert "没有来源" in err.value.problems_zh[0]
    assert "S9" in err.value.problems[1]


def test_freshness_limit_is_read_at_call_time(monkeypatch) -> None:
    frame = pd.DataFrame({"as_of": ["2024-01-10", "2023-05", ""]})
    assert prog.freshness(frame, as_of="2024-06-30").stale.tolist() == [False, True, True]
    monkeypatch.setattr(settings, "stale_after_months", 3)
    assert prog.freshness(frame, as_of="2024-06-30").stale.tolist() == [True, True, True]


def test_intensity_where_land_is_known(case) -> None:
    firms, events, areas = case
    table = prog.intensity(firms, events, as_of="2023-12-31", areas=areas, target_list=[])
    firm = table[table.id == "A"].iloc[0]
    assert firm.land_mu == 10
    assert firm.investment_per_mu == 10
    assert firm.output_per_mu == 30
    assert table[table.id == ""]["investment_per_mu"].tolist() == [10]
    assert table["threshold_investment_per_mu"].isna().all()


def test_a_year_only_fact_is_never_dated_after_the_snapshot():
    # NC-001's production is dated "2022" (year only): as of mid-2022 it counts from the
    # year's first day, and its date as evidence is the snapshot's, not 2022-12-31.
    import layers

    project = layers.open_project(default_store=False)
    table = prog.progress(
        project.enterprises, project.events, as_of="2022-06-30", areas=project.areas
    )
    dated = table[table["age_days"].notna()]
    assert (dated["age_days"] >= 0).all()
    assert (dated["newest"] <= "2022-06-30").all()
