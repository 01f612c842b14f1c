"""The print panel without a browser: nothing drawn until asked, sites printed, errors in zh.

The panel runs in a one-function Streamlit script (``AppTest.from_function``) exactly as the
site checker calls it: compared sites with the site checker's ``label`` column.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from streamlit.testing.v1 import AppTest

from layers.i18n import t


def _panel(lang: str) -> None:
    import pandas as pd

    import layers
    from app_pages._print_widget import print_downloads

    sites = pd.DataFrame({"label": ["候选地块甲"], "lon": [115.95], "lat": [28.6]})
    print_downloads(
        layers.open_project(default_store=False),
        lang,  # type: ignore[arg-type]
        layers=("districts", "zones", "areas", "enterprises", "labels"),
        sites=sites,
        key="print_test",
    )


def _app(lang: str) -> AppTest:
    at = AppTest.from_function(_panel, args=(lang,), default_timeout=120)
    return at.run()


def test_nothing_is_drawn_until_asked_then_the_pdf_has_the_sites(tmp_path):
    at = _app("zh")
    assert not at.exception
    assert "print_test_file" not in at.session_state
    assert [b.label for b in at.button] == [t("print.ui.prepare", "zh")]
    at.button(key="print_test_prepare").click().run()
    assert not at.exception
    assert not at.error
    request, data = at.session_state["print_test_file"]
    assert data[:5] == b"%PDF-"
    assert "sites" in request[6]  # the layers printed
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not found: install poppler-utils")
    pdf = tmp_path / "panel.pdf"
    pdf.write_bytes(data)
    words = re.sub(r"\s+", "", subprocess.run(
        [tool, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout)  # fmt: skip
    assert "候选地块甲" in words
    assert t("print.legend.site", "zh") in words
    # A changed setting withdraws the old file instead of offering it under new settings.
    at.radio(key="print_test_fmt").set_value("png").run()
    assert t("print.ui.changed", "zh") in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_blank_title_is_refused_in_the_users_language(lang):
    at = _app(lang)
    at.text_input(key=f"print_test_title_{lang}").set_value("  ").run()
    at.button(key="print_test_prepare").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("print.error.title", lang)]
    assert "print_test_file" not in at.session_state
