"""The site checker and the check page in Streamlit's AppTest (no browser).

The browser tests (test_e2e_site.py, test_e2e_check.py) paste, click and download; these
check the same pages' logic quickly: what a typed coordinate becomes, ties, the comparison
list, the filters, and that the app and ``zoning site`` give a site the same range.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import layers
import zoning
from layers.i18n import LANGS, t
from tests.app.test_apptest import run, texts
from zoning.suitability import score_band


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    """Every test gets its own (not yet existing) project store."""
    path = tmp_path / "project.gpkg"
    monkeypatch.setenv("NANCHANG_STORE", str(path))
    return path


def _type(at, where: str, system: str = "wgs84"):
    at.selectbox(key="site_coord").set_value(system)
    at.text_input(key="site_where").set_value(where)
    return at.run()


@pytest.mark.parametrize("lang", LANGS)
def test_each_pasted_form_scores_the_same_place(lang):
    at = run(lang, "site")
    assert not at.exception, at.exception
    scores = {}
    for where in ("115.9449,28.5567", "28.5567, 115.9449", "115.9449，28.5567"):
        _type(at, where)
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        scores[where] = at.metric[0].value
        shown = texts(at).replace("\\", "")
        assert "115.944900" in shown
        assert "28.556700" in shown
        swapped = t("site.swapped", lang) in [w.value for w in at.warning]
        assert swapped == where.startswith("28")
    assert len(set(scores.values())) == 1


def test_site_in_gcj02_scores_like_the_same_place_in_wgs84():
    from geo.crs import convert

    at = run("en", "site")
    _type(at, "115.85, 28.75")
    wgs = float(at.metric[0].value)
    lon, lat = convert(115.85, 28.75, src="wgs84", dst="gcj02")
    _type(at, f"{float(lon):.6f}, {float(lat):.6f}", "gcj02")
    assert not at.exception, at.exception
    assert float(at.metric[0].value) == wgs
    assert "WGS 84 longitude 115.85" in texts(at)  # the converted position is said
    _type(at, "80.0, 28.75")  # far outside Nanchang
    assert not at.exception, at.exception
    assert t("site.invalid", "en", error="").split(":")[0] in at.error[0].value
    _type(at, "115.85")  # one number: the field's own message, with the fix
    said = at.error[0].value.replace("\\", "")  # markdown escapes
    assert "115.85" in said
    assert "e.g. 115.9449, 28.5567" in said


@pytest.mark.parametrize("lang", LANGS)
def test_score_comes_with_its_band_and_thresholds(lang):
    at = run(lang, "site")
    score = float(at.metric[0].value)
    band = score_band(score)
    assert at.metric[1].value == t(f"site.band.{band}", lang)
    low, high = zoning.settings.score_bands
    assert f"{low:.0f}" in texts(at)
    assert f"{high:.0f}" in texts(at)
    criteria = at.dataframe[0].value
    shown = " ".join(criteria.astype(str).to_numpy().ravel())
    assert "inf" not in shown
    assert "e+" not in shown
    assert "firms" not in shown or lang == "en"


def test_app_and_cli_give_the_same_site_the_same_range(capsys, monkeypatch):
    from zoning.cli import main

    # One setting for both: change it and both follow.
    monkeypatch.setattr(zoning.settings, "robustness_seed", 7)
    monkeypatch.setattr(zoning.settings, "score_config", zoning.settings.ScoreConfig(draws=300))
    at = run("en", "site")
    _type(at, "115.9449, 28.5567", "gcj02")
    shown = texts(at).replace("\\", "")
    args = ["site", "--lon", "115.9449", "--lat", "28.5567", "--segment", "li_ion_cell"]
    assert main([*args, "--coord-system", "gcj02", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)["robustness"]
    assert (cli["draws"], cli["seed"]) == (300, 7)
    assert t("site.range_draws", "en", draws=300, p5=cli["p5"], p95=cli["p95"]) in shown


def test_comparison_holds_five_named_sites_ranks_ties_and_downloads():
    at = run("en", "site")
    assert t("site.compare_empty", "en") in texts(at)
    # The same place twice under two names is refused; a tie needs two places.
    places = ["115.80, 28.70", "115.82, 28.70", "115.84, 28.70", "115.86, 28.70", "115.88, 28.70"]
    for i, where in enumerate([*places, "115.90, 28.70"]):
        _type(at, where)
        at.text_input(key="site_name").set_value(f"Plot {i + 1}")
        at.button(key="site_compare_add").click().run()
        assert not at.exception, at.exception
    assert t("site.compare_full", "en", n=5) in [w.value for w in at.warning]
    table = at.dataframe[-1].value
    assert list(table[t("site.compare_label", "en")]) == [f"Plot {i}" for i in range(1, 6)]
    assert list(table[t("site.compare_typed", "en")]) == places
    ranks = table[t("site.compare_rank", "en")].str.extract(r"(\d+)")[0].astype(int)
    scores = table[t("site.score", "en")]
    # Equal whole-point scores share a rank; a better score never ranks lower.
    for a in range(len(table)):
        for b in range(len(table)):
            if scores[a] == scores[b]:
                assert ranks[a] == ranks[b]
            elif scores[a] > scores[b]:
                assert ranks[a] < ranks[b]
    side = at.table[0].value
    assert list(side.columns) == [f"Plot {i}" for i in range(1, 6)]
    assert len(side) == len(zoning.settings.CRITERIA) + 1
    # Removing one frees a place.
    at.button(key="site_remove_S2").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert "Plot 2" not in list(table[t("site.compare_label", "en")])


def test_comparison_file_reads_back():
    sites = pd.DataFrame(
        {
            "label": ["A", "B", "C"],
            "typed": ["115.94,28.56", "28.56,115.94", "115.80 28.70"],
            "system": ["wgs84", "wgs84", "gcj02"],
            "lon": [115.94, 115.94, 115.80],
            "lat": [28.56, 28.56, 28.70],
        }
    )
    ranked = zoning.rank_sites(sites, "copper_foil", draws=100)
    data = zoning.tables.comparison_file(sites, ranked, "zh", "xlsx", draws=100)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == [t("site.sheet_sites", "zh"), t("site.sheet_criteria", "zh")]
    back = sheets[t("site.sheet_sites", "zh")]
    assert list(back[t("site.compare_typed", "zh")]) == list(sites["typed"])
    assert (
        list(back[t("site.compare_rank", "zh")].astype(str))[:2]
        == [t("site.rank_tied", "zh", rank=1)] * 2
    )
    csv = zoning.tables.comparison_file(sites, ranked, "en", "csv", draws=100)
    assert csv.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 as such
    assert len(pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")) == 3


@pytest.mark.parametrize("lang", LANGS)
def test_check_page_filters_change_the_table_and_the_counts(lang):
    at = run(lang, "check")
    assert not at.exception, at.exception
    counts, table = at.dataframe[0].value, at.dataframe[1].value
    total = len(layers.enterprises())
    assert len(table) == total
    assert counts.loc[t("check.total", lang), t("check.total", lang)] == total
    result = zoning.check(layers.enterprises())
    verdict = result["verdict"].value_counts().index[0]
    at.multiselect(key="check_filter_verdict").set_value([verdict]).run()
    assert not at.exception, at.exception
    counts, table = at.dataframe[0].value, at.dataframe[1].value
    n = int((result["verdict"] == verdict).sum())
    assert len(table) == n < total
    assert set(table[t("field.verdict", lang)]) == {t(f"verdict.{verdict}", lang)}
    # Every verdict stays listed (zeros say something too); only the chosen one counts.
    shown = counts[t("check.total", lang)]
    assert shown[t(f"verdict.{verdict}", lang)] == n
    assert shown.drop([t(f"verdict.{verdict}", lang), t("check.total", lang)]).eq(0).all()
    assert t("check.filtered", lang, n=n, total=total) in texts(at)
    # Area "in no area" and the verdict together: only firms that are both.
    at.multiselect(key="check_filter_area").set_value([""]).run()
    table = at.dataframe[1].value
    both = result["verdict"].eq(verdict) & result["area"].map(len).eq(0)
    assert len(table) == int(both.sum())


def test_a_site_named_like_a_formula_stays_text_in_the_xlsx():
    import openpyxl

    sites = pd.DataFrame(
        {
            "label": ['=HYPERLINK("http://x","y")', "B"],
            "typed": ["115.94,28.56", "115.80,28.70"],
            "system": ["wgs84", "wgs84"],
            "lon": [115.94, 115.80],
            "lat": [28.56, 28.70],
        }
    )
    ranked = zoning.rank_sites(sites, "copper_foil", draws=50)
    data = zoning.tables.comparison_file(sites, ranked, "en", "xlsx", draws=50)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)
