"""Hostile uploads: the page answers at once with a short message in its language.

The files are made in the tests (tests/geo/test_io_limits.py makes them): a 2 KB workbook
whose cells reach XFD1048576 and a 10 KB JSON nested 5,000 levels deep. The page shows the
short refusal naming the user's own file name, never a traceback or a server path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.i18n import t
from tests.geo.test_io_limits import deep_json, xlsx_bomb

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ROOT = str(Path(__file__).resolve().parents[2])


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    """Every test gets its own (not yet existing) project store."""
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))


def _upload(lang: str, name: str, data: bytes, mime: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload_file").set_value((name, data, mime)).run()
    return at


CASES = [
    ("企业名单.xlsx", xlsx_bomb(), "application/vnd.ms-excel", "XFD1048576"),
    ("名单.geojson", deep_json(5000), "application/geo+json", "64"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "data", "mime", "detail"), CASES)
def test_a_hostile_upload_gets_a_short_message(lang, name, data, mime, detail):
    at = _upload(lang, name, data, mime)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    error = errors[0].replace("\\", "")  # the page escapes Markdown: "名单\\.xlsx"
    assert error.startswith(t("upload.rejected", lang, error="")[:10]), error
    assert name in error
    assert detail in error
    # In the page's language, with no traceback and no server path.
    assert ("工作表" in error or "嵌套" in error) == (lang == "zh")
    assert "Traceback" not in error
    assert ROOT not in error
    assert "/tmp" not in error
    assert "upload" not in at.session_state or at.session_state["upload"] is None
