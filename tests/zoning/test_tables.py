"""The tables the app's pages show, built and checked without Streamlit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from layers.i18n import LANGS, t
from tests.zoning.conftest import firms
from zoning import tables
from zoning.check import check
from zoning.compare import compare_checks
from zoning.gaps import chain_gaps, investment_targets, segment_counts, supplier_flags


@pytest.fixture
def town():
    named = firms(
        [
            ("cell1", "li_ion_cell", 115.91, 28.61, 0.0),
            ("cell2", "li_ion_cell", 115.94, 28.62, 0.0),  # on the shared edge: two areas
            ("foil", "copper_foil", 115.95, 28.62, 0.0),
            ("gone", "cathode", None, None, 0.0),
            ("pcs", "pcs", 115.91, 28.62, 0.0),  # misplaced in the battery area
        ],
        index=[5, 4, 3, 2, 1],
    )
    return named.assign(
        name_zh=["电芯一", "电芯二", "铜箔", "无址", "变流器"],
        name_en=["Cell one", "", "Foil", "Nowhere", "PCS maker"],
    )


@pytest.mark.parametrize("lang", LANGS)
def test_check_table_is_aligned_and_in_one_vocabulary(town, areas, chain, lang):
    result = check(town, areas=areas, chain=chain)
    table = tables.check_table(result, areas=areas, chain=chain, lang=lang)
    assert list(table.index) == list(town.index)
    assert list(table[t("field.id", lang)]) == list(town["id"])
    # The verdict reads as the one vocabulary says it, whatever the row order.
    verdicts = table[t("field.verdict", lang)]
    assert list(verdicts) == [t(f"verdict.{v}", lang) for v in result["verdict"].astype(str)]
    # A missing English name falls back to the Chinese one.
    assert table.loc[4, t("field.name", lang)] == "电芯二"
    # Several areas are joined for display only; no area reads "-".
    names = areas[f"name_{lang}"]
    joined = table.loc[4, t("field.area", lang)]
    assert names["battery"] in joined
    assert names["materials"] in joined
    assert table.loc[2, t("field.area", lang)] == "-"
    assert table.loc[1, t("field.segment", lang)] == chain.loc["pcs", f"name_{lang}"]
    counts = tables.verdict_counts(result, lang)
    assert counts.iloc[:, 0].sum() == len(town)
    assert set(counts.index) == set(verdicts)


@pytest.mark.parametrize("lang", LANGS)
def test_gap_matrix_marks_exactly_the_designated_cells(town, areas, chain, lang):
    counts = segment_counts(town, areas=areas, chain=chain)
    gaps = chain_gaps(town, areas=areas, chain=chain, counts=counts)
    matrix = tables.gap_matrix(counts, gaps, areas=areas, chain=chain, lang=lang)
    assert matrix.shape == counts.shape
    assert list(matrix.columns) == list(areas[f"name_{lang}"])
    assert list(matrix.index) == list(chain[f"name_{lang}"])
    marked = matrix.apply(lambda c: c.str.startswith("★")).to_numpy().sum()
    assert marked == sum(len(s) for s in areas["segments"])
    # Every cell still says its count.
    numbers = matrix.apply(lambda c: c.str.extract(r"(\d+)")[0].astype(int)).to_numpy()
    assert (numbers == counts.to_numpy()).all()
    status = t("gaps.status.thin", lang)
    row, col = chain.loc["li_ion_cell", f"name_{lang}"], areas.loc["battery", f"name_{lang}"]
    cell = matrix.loc[row, col]
    assert cell == f"★ 2 · {status}"


@pytest.mark.parametrize("lang", LANGS)
def test_targets_and_supplier_tables(town, areas, chain, lang):
    targets = investment_targets(town, areas=areas, chain=chain)
    shown = tables.targets_table(targets, areas=areas, lang=lang)
    assert list(shown[t("field.rank", lang)]) == list(targets["rank"])
    assert set(shown[t("field.status", lang)]) <= {
        t("gaps.status.missing", lang),
        t("gaps.status.thin", lang),
    }
    flags = supplier_flags(town, chain=chain, threshold_m=1000)
    table = tables.supplier_table(flags, town, chain=chain, lang=lang)
    assert len(table) == len(flags)
    distance = table[t("field.distance_km", lang)]
    absent = int(np.isinf(flags["distance_m"]).sum())
    assert absent > 0
    assert int((distance == t("gaps.no_supplier", lang)).sum()) == absent
    km = [float(v.replace(",", "")) for v in distance if v != t("gaps.no_supplier", lang)]
    assert all(v > 1.0 for v in km)


@pytest.mark.parametrize("lang", LANGS)
def test_change_tables_name_the_areas_before_and_after(town, areas, chain, lang):
    before = check(town, areas=areas, chain=chain)
    moved = areas.copy()
    moved.loc["battery", "geometry"] = moved.geometry["battery"].buffer(-0.03)
    after = check(town, areas=moved, chain=chain)
    change = compare_checks(before, after)
    counts = tables.change_counts(change.counts, lang)
    assert list(counts.columns) == [t(f"field.{c}", lang) for c in ("before", "after", "change")]
    assert counts[t("field.change", lang)].sum() == 0
    changed = tables.changed_table(change.changed, areas=moved, lang=lang)
    assert len(changed) == len(change.changed) > 0
    assert (changed[t("field.area_before", lang)] != changed[t("field.area_after", lang)]).any()


@pytest.mark.parametrize("lang", LANGS)
def test_problems_table_translates_actions_and_headers(lang):
    problems = pd.DataFrame(
        {
            "row": [3, 4],
            "column": ["lon", "id"],
            "value": ["abc", "U-1"],
            "problem": ["not a number", "repeated id"],
            "action": ["kept unlocated", "rejected"],
        }
    )
    shown = tables.problems_table(problems, lang)
    assert list(shown.columns) == [t(f"problem.{c}", lang) for c in problems.columns]
    assert list(shown[t("problem.action", lang)]) == [
        t("action.kept unlocated", lang),
        t("action.rejected", lang),
    ]
    assert list(problems["action"]) == ["kept unlocated", "rejected"]  # input unchanged


def _ranked(scores, ranks, tied_with, **more):
    n = len(scores)
    base = {
        "score": scores,
        "band": ["fair"] * n,
        "p5": [40.0] * n,
        "p95": [60.0] * n,
        "rank": ranks,
        "tied_with": tied_with,
        "rank_stability": [0.8] * n,
        "ahead_share": [math.nan] * n,
        "level_share": [math.nan] * n,
        "behind_share": [math.nan] * n,
        "excluded": [False] * n,
    }
    return pd.DataFrame({**base, **more})


def test_comparison_table_keeps_the_sites_order_and_says_what_was_typed():
    sites = pd.DataFrame(
        {
            "label": ["Plot A", "Plot B"],
            "typed": ["28.6, 115.9", "116.0,28.7"],
            "system": ["gcj02", "wgs84"],
            "lon": [115.9, 116.0],
            "lat": [28.6, 28.7],
        }
    )
    ranked = _ranked([51.4, 60.0], [2, 1], [(), ()])
    shown = tables.comparison_table(sites, ranked, "en", draws=200)
    assert list(shown[t("site.compare_label", "en")]) == ["Plot A", "Plot B"]
    assert list(shown[t("site.compare_typed", "en")]) == ["28.6, 115.9", "116.0,28.7"]
    assert list(shown[t("site.compare_system", "en")]) == ["GCJ-02 (Amap)", "WGS 84"]
    assert list(shown[t("site.compare_rank", "en")]) == ["2", "1"]
    assert list(shown[t("site.compare_interval", "en")]) == ["40–60", "40–60"]
    assert list(shown[t("site.score", "en")]) == [51, 60]
    assert shown[t("site.compare_stability", "en")].iloc[0] == t(
        "site.stability_kept", "en", rank=2, share=0.8, draws=200
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_tie_shares_the_rank_and_never_claims_full_stability(lang):
    sites = pd.DataFrame({"label": ["A", "B"], "lon": [115.9, 116.0], "lat": [28.6, 28.7]})
    ranked = _ranked(
        [51.2, 50.9],
        [1, 1],
        [(1,), (0,)],
        rank_stability=[1.0, 1.0],
        ahead_share=[0.4, 0.35],
        level_share=[0.25, 0.25],
        behind_share=[0.35, 0.4],
    )
    shown = tables.comparison_table(sites, ranked, lang, draws=1000)
    ranks = list(shown[t("site.compare_rank", lang)])
    assert ranks == [t("site.rank_tied", lang, rank=1)] * 2
    stability = list(shown[t("site.compare_stability", lang)])
    assert all("100%" not in s for s in stability)
    assert "B" in stability[0]
    assert "A" in stability[1]
    assert "40.0%" in stability[0]
    assert "35.0%" in stability[1]


@pytest.mark.parametrize("lang", LANGS)
def test_criteria_read_as_people_read_them(lang):
    crit = pd.DataFrame(
        {
            "criterion": ["zoning", "upstream", "downstream", "neighbours"],
            "raw": ["designated", math.inf, 18_450.0, 1.0],
            "unit": ["", "m", "m", "firms"],
            "normalised": [1.0, 0.0, 0.4, 0.28],
            "weight": [0.4, 0.25, 0.15, 0.2],
            "contribution": [40.0, 0.0, 6.0, 5.67],
            "applies": [True, True, True, True],
        }
    )
    shown = tables.criteria_table(crit, lang)
    values = list(shown[t("criterion.raw", lang)])
    assert values[0] == t("criterion.designated", lang)
    assert values[1] == t("site.none_within", lang, km=50)
    assert values[2] == t("unit.km", lang, km=18.45)  # one decimal: 18.4 / 18.5 km
    assert values[3] == t("site.firms_one", lang, n=1)
    text = " ".join(shown.astype(str).to_numpy().ravel())
    assert "inf" not in text
    assert "e+" not in text
    if lang == "zh":
        assert "firm" not in text
    assert list(shown[t("criterion.weight", lang)]) == ["40%", "25%", "15%", "20%"]


def test_check_filters_and_counts_per_verdict_and_area(town, areas, chain):
    result = check(town, areas=areas, chain=chain)
    everything = tables.check_filter(result)
    assert everything.all()
    assert everything.index.equals(result.index)
    counts = tables.verdict_area_counts(result, areas=areas, lang="en")
    total = t("check.total", "en")
    assert counts.loc[total, total] == len(result)
    # Each verdict's total is its number of firms; a firm in two areas counts in both.
    for verdict, n in result["verdict"].value_counts().items():
        assert counts.loc[t(f"verdict.{verdict}", "en"), total] == n
    # Every verdict and every area is listed, zeros too ("0 conforming" is a finding).
    from zoning.check import VERDICTS

    assert list(counts.index) == [*(t(f"verdict.{v}", "en") for v in VERDICTS), total]
    names = [*areas["name_en"], t("check.no_area", "en"), total]
    assert list(counts.columns) == names
    empty = tables.verdict_area_counts(result.iloc[:0], areas=areas, lang="en")
    assert empty.shape == counts.shape
    assert int(empty.to_numpy().sum()) == 0
    area_cols = [c for c in counts.columns if c != total]
    assert counts.loc[total, area_cols].sum() == sum(max(len(a), 1) for a in result["area"])
    # Filters narrow; the counts of the kept rows follow.
    options = tables.check_filter_options(result, areas=areas, chain=chain, lang="zh")
    assert set(options) == {"verdict", "area", "segment", "status"}
    for key in options["area"]:
        kept = tables.check_filter(result, areas=[key])
        expected = result["area"].map(lambda a, key=key: (key in a) or (key == "" and not a))
        assert kept.equals(expected)
    kept = tables.check_filter(result, verdicts=["misplaced"], segments=["pcs"])
    assert list(result.index[kept]) == list(
        result.index[result["verdict"].eq("misplaced") & result["segment"].eq("pcs")]
    )
    sub = tables.verdict_area_counts(result.loc[kept], areas=areas, lang="zh")
    assert sub.loc[t("check.total", "zh"), t("check.total", "zh")] == int(kept.sum())
