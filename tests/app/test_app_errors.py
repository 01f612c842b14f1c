"""An upload that breaks a parser, or a bug on a page: a short message, never a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import layers
from layers.i18n import t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ROOT = str(Path(__file__).resolve().parents[2])


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))


def _shown(at: AppTest) -> str:
    """Every text the page shows (errors, markdown, captions), as one string."""
    parts = [e.value for e in at.error] + [m.value for m in at.markdown]
    parts += [c.value for c in at.caption] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def _upload(lang: str, name: str, content: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload_file").set_value((name, content, "text/csv")).run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_field_over_the_csv_limit_is_a_short_message_naming_the_file(lang):
    # A 200 KB header field used to escape as _csv.Error with a traceback.
    content = ("id,lon,lat," + "x" * 200_000 + "\n1,115.9,28.6,a\n").encode()
    at = _upload(lang, "huge_field.csv", content)
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert len(errors) == 1
    assert "huge_field.csv" in errors[0]
    assert "131,072" in errors[0]
    shown = _shown(at)
    assert "Traceback" not in shown
    assert ROOT not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unexpected_error_shows_a_short_message_and_logs_the_details(lang, monkeypatch, caplog):
    def broken(*args, **kwargs):
        msg = f"boom in {ROOT}/layers/enterprises.py"
        raise RuntimeError(msg)

    monkeypatch.setattr(layers, "read_enterprises", broken)
    with caplog.at_level(logging.ERROR, logger="nanchang.app"):
        at = _upload(lang, "名单.csv", b"id,lon,lat\n1,115.9,28.6\n")
    assert not at.exception  # Streamlit's own error box (with the traceback) is not shown
    errors = [e.value.replace("\\", "") for e in at.error]
    assert len(errors) == 1
    ref = caplog.records[-1].args[0]
    assert errors[0] == t("app.internal_error_file", lang, file="名单.csv", ref=ref)
    shown = _shown(at)
    assert "Traceback" not in shown
    assert ROOT not in shown
    assert "boom" not in shown
    # The server log holds the details.
    assert "boom in" in caplog.text
    assert "Traceback" in caplog.text


def test_streamlit_shows_no_error_details():
    config = (Path(ROOT) / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in config
