"""End to end in Chromium: the check page's filters change the table and the counts.

Screenshots go to /work/notes/shots/check_*.png to be looked at (text columns must wrap).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import layers
import zoning
from layers.i18n import t
from tests.app.test_e2e import (  # noqa: F401  (module-scoped fixtures: the server)
    Recorder,
    app_url,
    firms_csv,
)
from tests.app.test_e2e_site import _wait_body

pytestmark = pytest.mark.slow

SHOTS = Path("/work/notes/shots")


def _choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filters_change_the_table_and_the_counts(app_url, browser, firms_csv, lang):  # noqa: F811
    page = browser.new_page()
    rec = Recorder(browser, page)
    page.goto(f"{app_url}/check?lang={lang}&basemap=none", wait_until="domcontentloaded")
    page.get_by_text(t("check.counts_title", lang)).wait_for(timeout=30_000)
    firms = layers.read_enterprises(firms_csv).data
    result = zoning.check(firms)
    total = len(result)
    body = _wait_body(page, lambda b: t("check.filtered", lang, n=total, total=total) in b)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"check_{lang}.png"), full_page=True)
    verdict = str(result["verdict"].value_counts().index[0])
    n = int((result["verdict"].astype(str) == verdict).sum())
    _choose(page, t("check.filter_verdict", lang), t(f"verdict.{verdict}", lang))
    body = _wait_body(page, lambda b: t("check.filtered", lang, n=n, total=total) in b)
    assert n < total
    # The counts table now holds that verdict and the total row only.
    counts = page.locator('[data-testid="stDataFrame"]').first
    assert counts.is_visible()
    # And the area filter narrows further: "in no area".
    no_area = result["verdict"].astype(str).eq(verdict) & result["area"].map(len).eq(0)
    _choose(page, t("check.filter_area", lang), t("check.no_area", lang))
    body = _wait_body(
        page, lambda b: t("check.filtered", lang, n=int(no_area.sum()), total=total) in b
    )
    page.screenshot(path=str(SHOTS / f"check_filtered_{lang}.png"), full_page=True)
    # The per-enterprise table, where long reasons must wrap instead of being cut.
    page.goto(f"{app_url}/check?lang={lang}&basemap=none", wait_until="domcontentloaded")
    _wait_body(page, lambda b: t("check.filtered", lang, n=total, total=total) in b)
    # Streamlit scrolls inside its own container: a tall window shows the whole page.
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / f"check_table_{lang}.png"))
    assert rec.blocked == [], rec.blocked
    assert rec.dialogs == [], rec.dialogs
    del body
