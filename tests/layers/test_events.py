"""Events: Chinese dates, stages, bad input with bilingual messages, episodes, the store."""

from __future__ import annotations

import pandas as pd
import pytest

import geo
from layers.events import (
    episodes,
    parse_date,
    read_events,
    save_events,
    stored_events,
    validate_events,
)


def _frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["enterprise_id", "date", "stage"])


@pytest.mark.parametrize(
    ("written", "iso", "precision"),
    [
        ("2023年9月20日", "2023-09-20", "day"),
        ("2023年9月", "2023-09", "month"),
        ("2023.9", "2023-09", "month"),
        ("2023-09", "2023-09", "month"),
        ("2023/9/20", "2023-09-20", "day"),
        ("2023", "2023", "year"),
        ("２０２３年９月２０日", "2023-09-20", "day"),
    ],
)
def test_chinese_dates_keep_their_precision(written: str, iso: str, precision: str) -> None:
    period = parse_date(written)
    assert period is not None
    assert (period.iso, period.precision) == (iso, precision)
    assert period.start <= period.end


@pytest.mark.parametrize("written", ["2023-13", "2023年2月30日", "去年", "9/2023"])
def test_bad_dates_are_rejected_in_both_languages(written: str) -> None:
    data, problems = validate_events(_frame([("A", written, "签约")]), source_name="e.csv")
    assert data.empty
    assert problems[["row", "column", "action"]].to_numpy().tolist() == [[2, "date", "rejected"]]
    assert "e.csv row 2" in problems.problem[0]
    assert "2023年9月" in problems.problem[0]
    assert "第 2 行" in problems.problem_zh[0]
    assert "无法识别日期" in problems.problem_zh[0]


def test_blank_date_is_not_guessed() -> None:
    data, problems = validate_events(_frame([("A", "", "签约")]), source_name="e.csv")
    assert data.empty
    assert "not guessed" in problems.problem[0]
    assert "不能推测" in problems.problem_zh[0]


def test_unknown_stage_names_the_nearest() -> None:
    data, problems = validate_events(
        _frame([("A", "2023-01", "construcion"), ("A", "2023-02", "开会")]), source_name="e.csv"
    )
    assert data.empty
    assert problems["column"].tolist() == ["stage", "stage"]
    assert "did you mean construction" in problems.problem[0]
    assert "不在词表中" in problems.problem_zh[1]


def test_stage_words_are_read() -> None:
    rows = [
        ("A", "2021", "推介"),
        ("A", "2022", "在谈"),
        ("A", "2023", "签约"),
        ("A", "2024", "拟开工"),
        ("A", "2025", "在建"),
        ("A", "2026", "竣工投产"),
        ("A", "2027", "停产"),
        ("A", "2028", "退出"),
    ]
    data, problems = validate_events(_frame(rows), source_name="e.csv")
    assert problems.empty
    assert data["stage"].tolist() == [
        "promotion",
        "negotiation",
        "signed",
        "pre_construction",
        "construction",
        "production",
        "halted",
        "exited",
    ]


def test_backwards_without_exit_is_reported_but_after_a_halt_is_not() -> None:
    back = _frame([("A", "2022", "在建"), ("A", "2023", "签约")])
    data, problems = validate_events(back, source_name="e.csv")
    assert len(data) == 2  # kept: the dates may be right, the user checks
    assert problems[["row", "action"]].to_numpy().tolist() == [[3, "kept"]]
    assert "goes back" in problems.problem[0]
    assert "倒退" in problems.problem_zh[0]
    restart = _frame([("A", "2022", "在建"), ("A", "2023", "停产"), ("A", "2024", "签约")])
    assert validate_events(restart, source_name="e.csv")[1].empty


def test_two_stages_on_one_date_overlap() -> None:
    _, problems = validate_events(
        _frame([("A", "2023-05-01", "签约"), ("A", "2023-05-01", "在建")]), source_name="e.csv"
    )
    assert len(problems) == 1
    assert "both" in problems.problem[0]
    assert "同时" in problems.problem_zh[0]


def test_unknown_enterprise_is_left_out() -> None:
    data, problems = validate_events(
        _frame([("NC-01", "2023", "签约"), ("NC-001", "2023", "签约")]),
        source_name="e.csv",
        enterprise_ids=["NC-001"],
    )
    assert data["enterprise_id"].tolist() == ["NC-001"]
    assert "did you mean NC-001" in problems.problem[0]
    assert "不在企业表中" in problems.problem_zh[0]


def test_chinese_headers_and_units(tmp_path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "企业编号,日期,阶段,投资额（亿元）,到位资金（万元）,用地（公顷）,产值（美元）\n"
        "A,2023年9月20日,签约,2.5,5000,2,100\n",
        encoding="utf-8",
    )
    result = read_events(path, enterprise_ids=["A"])
    row = result.data.iloc[0]
    assert (row.date, row.stage) == ("2023-09-20", "signed")
    assert row.investment_cny == 2.5e8
    assert row.paid_in_cny == 5e7
    assert row.land_mu == 30
    # An amount in a unit the tool does not know is not used, and said so.
    assert pd.isna(row.output_cny)
    assert result.problems["column"].tolist() == ["产值（美元）"]


def test_missing_columns_refused() -> None:
    with pytest.raises(geo.InputError) as err:
        validate_events(pd.DataFrame({"enterprise_id": ["A"]}), source_name="e.csv")
    assert "date, stage" in str(err.value)
    assert "缺少" in err.value.text.zh


def test_episodes_follow_the_dates() -> None:
    data, _ = validate_events(
        _frame(
            [
                ("A", "2021-08-12", "签约"),
                ("A", "2022-09", "在建"),
                ("A", "2023", "在建"),
                ("A", "2024-05-27", "投产"),
                ("B", "2023", "签约"),
            ]
        ),
        source_name="e.csv",
    )
    ep = episodes(data)
    a = ep[ep.enterprise_id == "A"]
    assert a["stage"].tolist() == ["signed", "construction", "production"]
    assert a["valid_to"].iloc[0] == a["valid_from"].iloc[1] == pd.Timestamp("2022-09-01")
    assert a["valid_to"].iloc[1] == pd.Timestamp("2024-05-27")
    assert pd.isna(a["valid_to"].iloc[2])


def test_shipped_events_cite_sources_and_known_ids() -> None:
    result = read_events()
    assert result.problems.empty
    assert result.data["source"].str.match(r"^S\d+(;S\d+)*$").all()


def test_events_round_trip_through_the_store(tmp_path) -> None:
    store = tmp_path / "project.gpkg"
    data = read_events().data
    assert save_events(store, data, author="test", note="events") == 1
    again = stored_events(store)
    assert again.problems.empty
    pd.testing.assert_frame_equal(again.data, data)
