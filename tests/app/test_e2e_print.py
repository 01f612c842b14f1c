"""End to end in Chromium: the map page's "download as PDF/PNG" panel, as a planner uses it.

In Chinese: open the panel, give the map a title, choose A4 and PDF, make the map and
download it; Poppler then reads the file: the title and 图例 are text in it and a CJK font
is embedded. In English the panel speaks English. Screenshots of the panel in both
languages go to /work/notes/shots/print_panel_*.png to be looked at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

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
TITLE = "南昌市储能产业布局图（端到端测试）"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not found: install poppler-utils (apt-get install poppler-utils)")
    return path


def _open_panel(browser, app_url, lang):  # noqa: F811
    page = browser.new_page()
    rec = Recorder(browser, page)
    page.goto(f"{app_url}/?lang={lang}&page=map&basemap=none", wait_until="domcontentloaded")
    page.wait_for_selector(COMPONENT, timeout=30_000, state="attached")
    heading = page.get_by_text(t("print.ui.heading", lang), exact=True)
    heading.wait_for(timeout=30_000)
    heading.click()
    page.get_by_role("textbox", name=t("print.ui.title", lang)).wait_for(timeout=10_000)
    return page, rec


def _shot(page, lang: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel = page.locator('[data-testid="stExpander"]').filter(has_text=t("print.ui.heading", lang))
    panel.screenshot(path=str(SHOTS / f"print_panel_{lang}.png"))


def test_zh_title_a4_pdf_downloads_with_the_title_legend_and_an_embedded_cjk_font(
    browser,
    app_url,  # noqa: F811
    tmp_path,
):
    page, rec = _open_panel(browser, app_url, "zh")
    field = page.get_by_role("textbox", name=t("print.ui.title", "zh"))
    # Prefilled with the default title, in the page's language.
    assert field.input_value() == t("print.title.default", "zh")
    field.fill(TITLE)
    field.press("Enter")
    page.get_by_text("A4", exact=True).click()
    page.get_by_text("PDF", exact=True).click()
    # Nothing is drawn before the user asks for it.
    assert page.get_by_role("button", name=t("print.ui.download", "zh", fmt="PDF")).count() == 0
    page.get_by_role("button", name=t("print.ui.prepare", "zh")).click()
    download_button = page.get_by_role("button", name=t("print.ui.download", "zh", fmt="PDF"))
    download_button.wait_for(timeout=90_000)
    _shot(page, "zh")
    with page.expect_download(timeout=30_000) as info:
        download_button.click()
    pdf = tmp_path / "plan.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"

    words = re.sub(r"\s+", "", subprocess.run(
        [_poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout)  # fmt: skip
    assert re.sub(r"\s+", "", TITLE) in words
    assert "图例" in words
    assert t("print.legend.district", "zh") in words
    fonts = subprocess.run(
        [_poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line or "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts  # the "emb" column
    assert rec.blocked == [], rec.blocked
    page.close()


def test_the_panel_speaks_english_on_the_english_page(browser, app_url):  # noqa: F811
    page, _ = _open_panel(browser, app_url, "en")
    field = page.get_by_role("textbox", name=t("print.ui.title", "en"))
    assert field.input_value() == t("print.title.default", "en")
    for key in ("print.ui.organisation", "print.ui.size", "print.ui.orientation"):
        assert page.get_by_text(t(key, "en"), exact=True).count() >= 1
    assert page.get_by_role("button", name=t("print.ui.prepare", "en")).count() == 1
    assert page.get_by_text(t("print.ui.heading", "zh")).count() == 0
    _shot(page, "en")
    page.close()
