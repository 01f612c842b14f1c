"""The progress page on the shipped data, in both languages (AppTest, no browser).

The figures checked are what ``zoning.progress`` computes from the shipped enterprises and
``data/events.csv`` for the whole city (computed in the tests, so a new sourced event moves
both). No source gives an output, so the 2023 target (> ¥20 bn output, S1) reads "not
known", never "missed".
"""

from __future__ import annotations

import datetime
import json
import types
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import layers
from app_pages.progress import figures_table, money_spec, project_events
from layers.i18n import LANGS, Lang, t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "app_pages/progress.py"


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own (not yet existing) project store, the shipped enterprises."""
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))
    monkeypatch.delenv("NANCHANG_ENTERPRISES", raising=False)
    monkeypatch.delenv("NANCHANG_SYNTHETIC", raising=False)


def open_page(lang: str, as_of: str | None = "2024-06-30") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if as_of is not None:
        at.query_params["as_of"] = as_of
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest, lang: Lang) -> pd.DataFrame:
    """The figures table of the page (the one with the "against target" column)."""
    wanted = t("progress.col.result", lang)
    return next(d.value for d in at.dataframe if wanted in d.value.columns)


def figure(table: pd.DataFrame, lang: Lang, year: int, name: str) -> pd.Series:
    rows = table[
        (table[t("progress.col.year", lang)] == year)
        & (table[t("progress.col.metric", lang)] == name)
    ]
    assert len(rows) == 1, (year, name, table)
    return rows.iloc[0]


def stage_name(stage: str, lang: Lang) -> str:
    return t("progress.metric.firms_at", lang, stage=t(f"time.stage.{stage}", lang))


def library(as_of: str, segment: str | None = None) -> dict[tuple[int, str], pd.Series]:
    """The city's figures as :func:`zoning.progress.progress` gives them (what the page shows)."""
    from zoning.progress import progress, targets

    project = layers.open_project(default_store=False)
    firms = project.enterprises
    if segment is not None:
        firms = firms[firms["segment"] == segment]
    table = progress(firms, project.events, as_of=as_of, areas=project.areas, target_list=targets())
    city = table[(table["area"] == "all") & (table["segment"] == "all")]
    return {(int(r.year), str(r.metric)): r for _, r in city.iterrows()}


def money(lang: Lang, yuan: float) -> str:
    # 亿元 (1e8) in Chinese, bn yuan (1e9) in English
    return t("progress.money", lang, value=yuan / (1e8 if lang == "zh" else 1e9))


def basis(lang: Lang, row: pd.Series) -> str:
    if row["records"] == 1:
        return t("progress.basis_one", lang, date=row["newest"])
    return t("progress.basis", lang, n=int(row["records"]), date=row["newest"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_2023_city_figures_of_the_shipped_data(lang: Lang) -> None:
    at = open_page(lang)
    assert at.date_input(key="progress_as_of").value == datetime.date(2024, 6, 30)
    lib = library("2024-06-30")
    table = figures(at, lang)
    value, basis_col = t("progress.col.value", lang), t("progress.col.basis", lang)
    for stage in ("construction", "production"):
        shown = figure(table, lang, 2023, stage_name(stage, lang))
        assert shown[value] == str(int(lib[(2023, f"firms.{stage}")]["value"]))
    assert int(lib[(2023, "firms.production")]["value"]) >= 2  # NC-001, NC-002
    committed = figure(table, lang, 2023, t("time.metric.investment_cny", lang))
    expected = lib[(2023, "investment_cny")]
    assert expected["value"] >= 26_282_000_000  # at least the five firms of the plan's era
    assert committed[value] == money(lang, expected["value"])
    assert committed[basis_col] == basis(lang, expected)
    for metric in ("fulfilment_rate", "start_rate", "production_rate"):
        shown = figure(table, lang, 2023, t(f"time.metric.{metric}", lang))[value]
        assert shown == f"{lib[(2023, metric)]['value']:.0%}", metric
    output = figure(table, lang, 2023, t("time.metric.output_cny", lang))
    assert output[value] == t("progress.unknown", lang)
    assert output[basis_col] == t("progress.no_records", lang)
    assert output[t("progress.col.result", lang)] == t("progress.not_known", lang)
    assert output[t("progress.col.source", lang)] == "S1"
    assert output[t("progress.col.target", lang)].startswith(">")
    # No figure of the page reads "missed": the only target has no data behind it.
    assert t("progress.missed", lang) not in set(table[t("progress.col.result", lang)])
    # the link reproduces the view
    assert at.query_params["as_of"] == "2024-06-30"


@pytest.mark.parametrize("lang", LANGS)
def test_an_earlier_date_changes_the_figures(lang: Lang) -> None:
    at = open_page(lang)
    before = figures(at, lang)
    at.date_input(key="progress_as_of").set_value(datetime.date(2022, 6, 30)).run()
    assert not at.exception, at.exception
    after = figures(at, lang)
    assert at.query_params["as_of"] == "2022-06-30"
    years = t("progress.col.year", lang)
    assert 2023 in set(before[years])
    assert max(after[years]) == 2022  # 2023 has not come yet
    value = t("progress.col.value", lang)
    in_2022 = figure(after, lang, 2022, t("time.metric.investment_cny", lang))
    assert in_2022[value] == money(lang, library("2022-06-30")[(2022, "investment_cny")]["value"])

    def firms(table: pd.DataFrame, year: int) -> int:
        names = table[t("progress.col.metric", lang)].astype(str)
        mine = table[(table[years] == year) & names.isin([stage_name(s, lang) for s in STAGES])]
        return int(mine[value].astype(int).sum())

    assert firms(after, 2022) < firms(before, 2023)  # fewer firms at the earlier date


STAGES = ("signed", "pre_construction", "construction", "production", "halted", "exited")


def test_the_date_in_the_link_is_used() -> None:
    at = open_page("en", as_of="2022-06-30")
    assert at.date_input(key="progress_as_of").value == datetime.date(2022, 6, 30)
    assert 2023 not in set(figures(at, "en")[t("progress.col.year", "en")])


def test_a_bad_date_in_the_link_falls_back_to_today() -> None:
    at = open_page("en", as_of="<script>")
    today = datetime.date.today()
    assert at.date_input(key="progress_as_of").value == today
    assert at.query_params["as_of"] == today.isoformat()


@pytest.mark.parametrize("lang", LANGS)
def test_charts_freshness_intensity_and_download(lang: Lang) -> None:
    at = open_page(lang)
    charts = at.get("vega_lite_chart")
    # the stage counts (st.bar_chart) and the money per year against the target
    assert len(charts) >= 2
    specs = [json.loads(c.proto.spec) for c in charts]
    marks = [layer for spec in specs for layer in spec.get("layer", [])]
    ticks = [m for m in marks if isinstance(m["mark"], dict) and m["mark"]["type"] == "tick"]
    # the 2023 target: > 200 亿元 / 20 bn yuan of output, drawn though the output is unknown
    assert [v["year"] for m in ticks for v in m["data"]["values"]] == ["2023"]
    assert [v["value"] for m in ticks for v in m["data"]["values"]] == [
        200.0 if lang == "zh" else 20.0
    ]
    fresh = next(d.value for d in at.dataframe if t("progress.col.stale", lang) in d.value.columns)
    assert len(fresh) > 0
    assert fresh[t("progress.col.stale", lang)].any()  # the 2021 signing is stale by 2024
    assert not fresh[t("progress.col.age_days", lang)].dropna().lt(0).any()
    land = next(d.value for d in at.dataframe if t("progress.col.land_mu", lang) in d.value.columns)
    assert 1800.0 in set(land[t("progress.col.land_mu", lang)])  # NC-001's 1,800 亩
    assert at.get("download_button")


def test_an_area_without_land_says_so() -> None:
    at = open_page("en")
    at.selectbox(key="progress_area").set_value("control").run()
    assert not at.exception, at.exception
    assert at.query_params["area"] == "control"
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert t("progress.no_land", "en") in shown


def test_a_segment_filter_narrows_the_figures() -> None:
    at = open_page("en")
    at.selectbox(key="progress_segment").set_value("copper_foil").run()
    assert not at.exception, at.exception
    table = figures(at, "en")
    committed = figure(table, "en", 2023, t("time.metric.investment_cny", "en"))
    expected = library("2024-06-30", segment="copper_foil")[(2023, "investment_cny")]
    everything = library("2024-06-30")[(2023, "investment_cny")]
    assert 0 < expected["value"] < everything["value"]  # 杭电 and 华创 only
    assert committed[t("progress.col.value", "en")] == money("en", expected["value"])
    assert committed[t("progress.col.basis", "en")] == basis("en", expected)


def test_figures_table_words_each_target_result() -> None:
    rows = pd.DataFrame(
        {
            "year": [2023, 2023, 2023, 2023],
            "area": "all",
            "segment": "all",
            "metric": ["output_cny", "output_cny", "output_cny", "firms.signed"],
            "unit": ["yuan", "yuan", "yuan", ""],
            "value": [3e10, 1e10, float("nan"), 3.0],
            "records": [2, 2, 0, 3],
            "newest": ["2023-05-01", "2023-05-01", "", ""],
            "age_days": [10, 10, None, None],
            "target": [2e10, 2e10, 2e10, None],
            "comparison": [">", ">", ">", ""],
            "met": [True, False, None, None],
            "target_source": ["S1", "S1", "S1", ""],
        }
    )
    worded = figures_table(rows, "en")
    assert list(worded[t("progress.col.result", "en")]) == [
        "met",
        "missed",
        "not known (no record)",
        "",
    ]
    assert list(worded[t("progress.col.basis", "en")]) == [
        "2 records, newest 2023-05-01",
        "2 records, newest 2023-05-01",
        "no record",
        "3 records, undated",
    ]
    assert worded[t("progress.col.target", "en")].iloc[0] == "> 20.00 bn yuan"
    spec = money_spec(rows, "zh")
    assert spec is not None
    bars, goals, labels = (layer["data"]["values"] for layer in spec["layer"])
    assert [b["value"] for b in bars] == [300.0, 100.0]  # 亿元; the unknown one has no bar
    assert {g["value"] for g in goals} == {200.0}
    assert {g["label"] for g in labels} == {
        t("progress.chart.target_label", "zh", figure=t("time.metric.output_cny", "zh"))
    }
    assert money_spec(rows[rows["metric"] == "firms.signed"], "en") is None


def test_events_come_from_the_project_or_else_the_shipped_file() -> None:
    project = layers.open_project(None, default_store=False)
    events, problems, source = project_events(project, "en")
    assert problems is project.events_problems
    assert events is project.events
    assert source == "events.csv"
    older = types.SimpleNamespace(enterprises=project.enterprises)  # no ``events`` attribute
    read, read_problems, read_source = project_events(older, "en")
    assert read_source == "events.csv"
    assert read_problems.empty
    pd.testing.assert_frame_equal(read, events)
    # another enterprise list: none of the shipped events is about its firms
    other = project.with_enterprises(project.enterprises.iloc[:3], source="x.csv")
    assert project_events(other, "en")[0].empty
    assert project_events(other, "en")[2] == "-"
