"""The map and check pages "as of" a date: the slider, the URL, the caption, what changed.

Every expected number is derived here from the shipped data through :mod:`zoning.timeline`
(the library the pages call), so the tests follow the data instead of hard-coding it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import layers
import layers.events
import maps
from layers.i18n import LANGS, Lang, t
from zoning import timeline

APP = str(Path(__file__).resolve().parents[2] / "app.py")
THEN = datetime.date(2022, 6, 30)
LATER = datetime.date(2023, 12, 31)


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own (not yet existing) project store: the shipped zones."""
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))


def _present(day: datetime.date) -> int:
    """How many shipped firms the library says are present at ``day`` (undated kept)."""
    firms = layers.enterprises()
    return len(timeline.enterprises_as_of(firms, layers.events.events(), day.isoformat()))


def _undated(day: datetime.date) -> int:
    state = timeline.state_as_of(layers.enterprises(), layers.events.events(), day.isoformat())
    return int((state["present"] & (state["time_basis"] == "undated")).sum())


def _open(lang: str, page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": lang, "basemap": "none", **params})
    at.run()
    if page != "map":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _captions(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.caption]


def _check_table(at: AppTest, lang: Lang) -> pd.DataFrame:
    """The check page's per-enterprise table (the one with a reason column)."""
    for frame in at.dataframe:
        if t("field.reason", lang) in frame.value.columns:
            table: pd.DataFrame = frame.value
            return table
    raise AssertionError("no check table on the page")


@pytest.mark.parametrize("lang", LANGS)
def test_the_slider_on_the_check_page_shows_the_firms_of_that_date(lang: Lang) -> None:
    total = len(layers.enterprises())
    then = _present(THEN)
    assert 0 < then < total  # the shipped events place fewer firms in mid-2022

    at = _open(lang, "check")
    today = datetime.date.today().isoformat()
    zones = t("time.ui.zones_shipped", lang)
    assert t("time.ui.today", lang, date=today, n=total, zones=zones) in _captions(at)
    assert len(_check_table(at, lang)) == total
    assert "as_of" not in at.query_params  # today is the default: no parameter

    at.slider(key="as_of").set_value(THEN).run()
    assert not at.exception, at.exception
    said = t("time.ui.then", lang, date=THEN.isoformat(), n=then, total=total, zones=zones)
    caption = next(c for c in _captions(at) if c.startswith(said))
    # The firms no date places are kept (as the command line keeps them), and said so.
    assert t("time.ui.undated", lang, n=_undated(THEN)) in caption
    assert t("check.filtered", lang, n=then, total=then) in _captions(at)
    shown = _check_table(at, lang)
    assert len(shown) == then
    expected = timeline.enterprises_as_of(
        layers.enterprises(), layers.events.events(), THEN.isoformat()
    )
    assert set(shown[t("field.id", lang)]) == set(expected["id"])
    assert at.query_params["as_of"] == THEN.isoformat()  # a link reproduces the view


@pytest.mark.parametrize("lang", LANGS)
def test_comparing_two_dates_lists_what_changed(lang: Lang) -> None:
    found = timeline.changes(THEN.isoformat(), LATER.isoformat())
    change = found.set_index("id").loc["NC-002", "change"]
    assert change in ("new", "advanced")  # the library's answer, checked before the page's

    at = _open(lang, "check", as_of=THEN.isoformat())
    at.date_input(key="as_of_compare").set_value(LATER).run()
    assert not at.exception, at.exception
    assert at.query_params["as_of_compare"] == LATER.isoformat()
    table = next(f.value for f in at.dataframe if t("time.ui.change", lang) in f.value.columns)
    assert len(table) == len(found)
    row = table.set_index(t("field.id", lang)).loc["NC-002"]
    assert row[t("time.ui.change", lang)] == t(f"time.change.{change}", lang)
    stage_b = str(found.set_index("id").loc["NC-002", "stage_b"])
    assert row[t("time.ui.stage_on", lang, date=LATER.isoformat())] == t(
        f"time.stage.{stage_b}", lang
    )
    # The dates in either order give the same list (the earlier one is "from").
    at.slider(key="as_of").set_value(LATER).run()
    at.date_input(key="as_of_compare").set_value(THEN).run()
    again = next(f.value for f in at.dataframe if t("time.ui.change", lang) in f.value.columns)
    assert again.equals(table)


@pytest.mark.parametrize("value", ["yesterday", "2022-13-45", "<script>", ""])
def test_a_bad_date_in_the_url_shows_today(value: str) -> None:
    at = _open("en", "check", as_of=value)
    total = len(layers.enterprises())
    assert len(_check_table(at, "en")) == total
    assert at.slider(key="as_of").value == datetime.date.today()
    assert "as_of" not in at.query_params


def test_a_date_in_the_url_opens_the_map_as_of_that_date() -> None:
    at = _open("zh", "map", as_of=THEN.isoformat())
    assert at.slider(key="as_of").value == THEN
    total, then = len(layers.enterprises()), _present(THEN)
    said = t("time.ui.then", "zh", date=THEN.isoformat(), n=then, total=total, zones="随附数据")
    assert any(c.startswith(said) for c in _captions(at))
    # A date before the first event still shows (the slider starts there; nothing before).
    early = _open("en", "map", as_of="1999-01-01")
    first = layers.events.events()["start"].min().date()
    assert early.slider(key="as_of").value == first


def test_each_date_draws_its_own_map_once_for_every_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    st.cache_resource.clear()
    drawn: list[int] = []
    original = maps.add_enterprises

    def counting(fmap: Any, firms: Any, **kwargs: Any) -> int:
        drawn.append(len(firms))
        return original(fmap, firms, **kwargs)

    monkeypatch.setattr(maps, "add_enterprises", counting)
    _open("en", "map")
    _open("en", "map")
    assert drawn == [len(layers.enterprises())]  # today: one map for every session
    _open("en", "map", as_of=THEN.isoformat())
    _open("en", "map", as_of=THEN.isoformat())
    assert drawn == [len(layers.enterprises()), _present(THEN)]  # that date: its own, once


def test_a_past_date_checks_on_the_zones_saved_by_then(tmp_path: Path) -> None:
    # The recording axis: zones saved today were not the plan's zones in 2022.
    import geo.store as gs
    from app_pages import common

    with gs.open(tmp_path / "project.gpkg") as store:
        store.write("zones", layers.zones(), author="王工", note="今天保存的分区")
    common.clear_project()
    at = _open("en", "check")
    stored = t("time.ui.zones_version", "en", version=1)
    assert any(c.endswith(f"zones: {stored}.") for c in _captions(at))
    at.slider(key="as_of").set_value(THEN).run()
    assert not at.exception, at.exception
    shipped = t("time.ui.zones_shipped", "en")
    said = t(
        "time.ui.then",
        "en",
        date=THEN.isoformat(),
        n=_present(THEN),
        total=len(layers.enterprises()),
        zones=shipped,
    )
    assert any(c.startswith(said) for c in _captions(at))
