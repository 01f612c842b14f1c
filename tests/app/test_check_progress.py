"""The check page's progress bar while a large project is first checked (issue 15, item 3).

AppTest keeps only the page as it stands when a run ends, and the bar is removed once the
check is done, so the bar is tested in two ways:

- the reporter the page uses (``app_pages.check._ProgressBar``) in a tiny script: it draws
  an ``st.progress`` with the bilingual text and the fraction done, and ``close`` removes it;
- the whole page with ``NANCHANG_SYNTHETIC=30000``: it runs without exception, the check
  received that reporter, the reporter drew all of the firms done last (its ``shown``
  texts: what it put on the page, in order), no bar is left on the page, and a rerun takes
  the check from the cache (the check is not run again and no bar is drawn).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import layers
import zoning
from layers.i18n import LANGS, Lang, t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SYNTHETIC = 30_000


def _drawn(lang: str, close: bool) -> None:
    """A script: the page's reporter at 25,000 of 100,000 rows (then removed if ``close``)."""
    import streamlit as st

    from app_pages.check import _ProgressBar

    st.write("before")
    bar = _ProgressBar(st.empty(), lang)  # type: ignore[arg-type]
    bar(10_000, 100_000)  # reported by the check's thread: recorded, not drawn yet
    bar(25_000, 100_000)
    bar.draw()  # the page's thread draws the latest count
    bar.draw()  # nothing new: nothing drawn
    st.write(f"shown {len(bar.shown)}")
    if close:
        bar.close()
    st.write("after")


@pytest.mark.parametrize("lang", LANGS)
def test_the_reporter_draws_a_bar_with_the_counts(lang: Lang) -> None:
    at = AppTest.from_function(_drawn, kwargs={"lang": lang, "close": False}).run()
    assert not at.exception, at.exception
    bars = at.get("progress")
    assert len(bars) == 1
    assert bars[0].proto.value == 25  # percent
    text = t("check.progress", lang, done="25,000", total="100,000")
    assert bars[0].proto.text == text
    assert "25,000" in text
    assert "100,000" in text
    assert [m.value for m in at.markdown] == ["before", "shown 1", "after"]


def test_closing_removes_the_bar() -> None:
    at = AppTest.from_function(_drawn, kwargs={"lang": "en", "close": True}).run()
    assert not at.exception, at.exception
    assert len(at.get("progress")) == 0
    assert [m.value for m in at.markdown] == ["before", "shown 1", "after"]


class CheckSpy:
    """Wraps the real ``zoning.check`` and keeps the ``progress`` each call was given."""

    def __init__(self) -> None:
        self.real = zoning.check
        self.progress: list[Any] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.progress.append(kwargs.get("progress"))
        return self.real(*args, **kwargs)


@pytest.fixture
def large_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """A fresh store, 30,000 synthetic firms and no cached check: return the firms' count."""
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))
    monkeypatch.setenv("NANCHANG_SYNTHETIC", str(SYNTHETIC))
    monkeypatch.delenv("NANCHANG_ENTERPRISES", raising=False)
    st.cache_data.clear()  # the first view of this state must compute the check
    total = len(layers.open_project().enterprises)
    assert total > SYNTHETIC  # the shipped firms and the synthetic ones
    return total


@pytest.mark.parametrize("lang", ["zh"])
def test_large_project_shows_progress_while_first_checked(
    large_project: int, lang: Lang, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app_pages import check as page

    assert large_project >= page.PROGRESS_MIN_ROWS
    spy = CheckSpy()
    monkeypatch.setattr(zoning, "check", spy)
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update({"lang": lang, "basemap": "none"})
    at.run()
    at.switch_page("app_pages/check.py").run()
    assert not at.exception, at.exception
    bars = [p for p in spy.progress if p is not None]
    assert len(bars) == 1, spy.progress
    # The page draws the latest count every 0.1 s and the last one at the end: the counts
    # between depend on the machine's speed, the end does not.
    drawn = bars[0].shown
    n = f"{large_project:,}"
    assert drawn[-1] == t("check.progress", lang, done=n, total=n)
    assert set(drawn) <= {t("check.progress", lang, done=d, total=n) for d in ("0", n)}
    assert len(at.get("progress")) == 0  # removed once the check was done
    assert any(t("field.reason", lang) in f.value.columns for f in at.dataframe)

    calls = len(spy.progress)
    at.run()  # the same project state: the check comes from the cache
    assert not at.exception, at.exception
    assert len(spy.progress) == calls
    assert len(at.get("progress")) == 0
