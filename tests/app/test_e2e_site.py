"""End to end in Chromium: the site checker as investment staff use it, in both languages.

Each pasted coordinate form is read back on the page (position, system, swap); three sites
with a tie share a rank and are shown criterion by criterion; the comparison downloads as
XLSX and reads back. Screenshots go to /work/notes/shots/site_*.png to be looked at.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from layers.i18n import t
from tests.app.test_e2e import (  # noqa: F401  (module-scoped fixtures: the server)
    COMPONENT,
    Recorder,
    app_url,
    firms_csv,
)

pytestmark = pytest.mark.slow

SHOTS = Path("/work/notes/shots")
FORMS = [
    ("115.9449,28.5567", False),
    ("115.9449, 28.5567", False),
    ("28.5567,115.9449", True),
    ("115°56'41.64\"E 28°33'24.12\"N", False),
    ("115.9449，28.5567", False),
]


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _open(browser, app_url, lang):  # noqa: F811
    page = browser.new_page()
    rec = Recorder(browser, page)
    page.goto(f"{app_url}/site?lang={lang}&basemap=none", wait_until="domcontentloaded")
    page.get_by_role("textbox", name=t("site.where", lang)).wait_for(timeout=30_000)
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    return page, rec


def _wait_body(page, ok, timeout_s: float = 30.0) -> str:
    """Return the page's text once ``ok(text)`` holds and the script has finished."""
    waited, settled = 0.0, 0
    while waited < timeout_s:
        page.wait_for_timeout(300)
        waited += 0.3
        # Streamlit greys out (data-stale) what a running script has not redrawn yet; the
        # map reports its view once after drawing, which runs the script once more.
        running = page.locator('[data-stale="true"]').count()
        settled = 0 if running else settled + 1
        body = page.inner_text("body")
        if settled >= 7 and ok(body):  # two seconds without a rerun
            return body
    pytest.fail("the page did not show what was expected within 30 s")
    return ""


def _type(page, lang, where: str) -> None:
    field = page.get_by_role("textbox", name=t("site.where", lang))
    field.fill(where)
    field.press("Enter")


def _choose_system(page, lang, system: str) -> None:
    page.get_by_role("combobox", name=t("site.coord_system", lang)).click()
    page.get_by_role("option", name=t(f"site.system.{system}", lang)).click()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_pasted_form_is_read_back(app_url, browser, lang):  # noqa: F811
    page, rec = _open(browser, app_url, lang)
    for where, swapped in FORMS:
        _type(page, lang, where)
        body = _wait_body(
            page, lambda b, swapped=swapped: (t("site.swapped", lang) in b) == swapped
        )
        assert "115.944" in body, where
        assert "28.556" in body, where
        assert (t("site.swapped", lang) in body) == swapped, where
    # Declared GCJ-02 (Amap): the converted WGS 84 position is said too.
    _choose_system(page, lang, "gcj02")
    _type(page, lang, "115.9449,28.5567")
    body = _wait_body(page, lambda b: "115.9400" in b)
    assert t("site.system.gcj02", lang) in body
    assert "115.9400" in body  # GCJ-02 -> WGS 84 moves the site about 480 m west
    _shot(page, f"site_{lang}.png")
    # Unreadable input: the message names what was typed and how to write it.
    _type(page, lang, "115.9449")
    _wait_body(page, lambda b: "1 " in b and "115.944900" not in b)
    alerts = page.locator('[data-testid="stAlert"]').filter(has_text="115.9449")
    assert "28.5567" in alerts.first.inner_text()  # the example
    _shot(page, f"site_error_{lang}.png")
    assert rec.blocked == [], rec.blocked
    assert rec.dialogs == [], rec.dialogs


def _add(page, lang, where: str, name: str) -> None:
    _type(page, lang, where)
    _wait_body(page, lambda b: True)
    field = page.get_by_role("textbox", name=t("site.name", lang))
    field.fill(name)
    field.press("Enter")
    _wait_body(page, lambda b: True)
    page.get_by_role("button", name=t("site.compare_add_named", lang)).click()
    _wait_body(page, lambda b: b.count(name) >= 2)  # in the table and on the remove button


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_three_sites_with_a_tie_share_a_rank_and_download(app_url, browser, lang):  # noqa: F811
    page, rec = _open(browser, app_url, lang)
    # Two plots 5 m apart score the same whole points; the third is elsewhere.
    _add(page, lang, "115.9449,28.5567", "东区A" if lang == "zh" else "East A")
    _add(page, lang, "28.5567, 115.94495", "东区B" if lang == "zh" else "East B")
    _add(page, lang, "115.80, 28.70", "西区" if lang == "zh" else "West")
    side = page.get_by_text(t("site.criteria_compare", lang))
    side.wait_for(timeout=30_000)
    tables = page.locator('[data-testid="stTable"]')
    table_text = tables.last.inner_text()
    for criterion in ("zoning", "upstream", "downstream", "neighbours"):
        assert t(f"criterion.{criterion}", lang) in table_text
    assert ("东区A" if lang == "zh" else "East A") in table_text
    with page.expect_download() as info:
        page.get_by_role("button", name=t("site.compare_download_xlsx", lang)).click()
    data = Path(info.value.path()).read_bytes()
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    sites = sheets[t("site.sheet_sites", lang)]
    assert list(sites[t("site.compare_typed", lang)]) == [
        "115.9449,28.5567",
        "28.5567, 115.94495",
        "115.80, 28.70",
    ]
    ranks = list(sites[t("site.compare_rank", lang)].astype(str))
    scores = list(sites[t("site.score", lang)])
    assert scores[0] == scores[1] != scores[2]
    # The tie shares one rank; the third site is 1 if better (the tie then 2), else 3.
    tied_rank = 2 if scores[2] > scores[0] else 1
    assert ranks[:2] == [t("site.rank_tied", lang, rank=tied_rank)] * 2
    assert ranks[2] == ("1" if tied_rank == 2 else "3")
    stability = list(sites[t("site.compare_stability", lang)])
    assert all("100%" not in s or t("site.rank_tied", lang, rank=1) not in r
               for s, r in zip(stability, ranks, strict=True))  # fmt: skip
    criteria = sheets[t("site.sheet_criteria", lang)]
    assert len(criteria) == 5  # four criteria and the total
    page.get_by_text(t("site.criteria_compare", lang)).scroll_into_view_if_needed()
    _wait_body(page, lambda b: True)
    _shot(page, f"site_compare_{lang}.png")
    assert rec.blocked == [], rec.blocked
