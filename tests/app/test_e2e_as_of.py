"""End to end in Chromium: dragging the map page's date slider changes the markers drawn.

The slider is moved with the keyboard, as Streamlit's own end-to-end tests move theirs
(focus the thumb, press Home / ArrowRight / End). The markers are counted through
Leaflet's registry inside the map component's iframe (``MAP_STATE`` of test_e2e: every
located enterprise is one marker of the cluster group). Under ``CI=true`` a missing
Chromium or Playwright fails the run (tests/conftest.py) instead of skipping.
"""

from __future__ import annotations

import contextlib
import datetime
import sys
import time
from typing import Any

import pytest

import layers
import layers.events
from layers.i18n import Lang, t
from tests.app.test_e2e import MAP_STATE, Recorder
from zoning import timeline

pytestmark = pytest.mark.slow


def _located(day: str | None) -> int:
    """Markers the library says the map shows at ``day`` (None: today, the current state)."""
    firms = layers.enterprises()
    if day is not None:
        firms = timeline.enterprises_as_of(firms, layers.events.events(), day)
    return int(firms.geometry.notna().sum())


def _markers(page: Any, wanted: int, timeout_s: float = 30) -> int:
    """Wait until a map component draws ``wanted`` markers; return the last count seen."""
    deadline = time.monotonic() + timeout_s
    seen = -1
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url and "st_folium" not in frame.url:
                continue
            with contextlib.suppress(Exception):  # a frame being replaced by the rerun
                state = frame.evaluate(MAP_STATE)
                if state and state["polygons"] > 0:
                    seen = int(state["clustered"])
                    if seen == wanted:
                        return seen
        # Not time.sleep: Playwright's sync API only serves route handlers while it runs.
        page.wait_for_timeout(100)
    return seen


def _wait_url(page: Any, part: str, *, present: bool = True, timeout_s: float = 30) -> None:
    """Wait until the page's URL holds ``part`` (or no longer holds it)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (part in page.url) == present:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"URL {page.url!r} {'lacks' if present else 'still has'} {part!r}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_moving_the_date_slider_changes_the_markers(
    plain_app_url: str, browser: Any, vendor_built: None, lang: Lang
) -> None:
    page = browser.new_page()
    rec = Recorder(browser, page)
    page.goto(f"{plain_app_url}/?lang={lang}&basemap=none", wait_until="domcontentloaded")
    now = _located(None)
    before = _markers(page, now)
    assert before == now, f"today's map drew {before} markers, expected {now}"

    first = layers.events.events()["start"].min().date().isoformat()
    then = _located(first)
    assert then < now  # the earliest event date has fewer firms than today
    thumb = page.get_by_role("slider", name=t("time.ui.as_of", lang))
    thumb.focus()
    page.keyboard.press("Home")  # the earliest event date
    after = _markers(page, then)
    sys.stdout.write(f"\n[{lang}] markers today {before}, at {first} {after}\n")
    assert after == then, f"at {first} the map drew {after} markers, expected {then}"
    present = timeline.enterprises_as_of(layers.enterprises(), layers.events.events(), first)
    total, shipped = len(layers.enterprises()), t("time.ui.zones_shipped", lang)
    said = t("time.ui.then", lang, date=first, n=len(present), total=total, zones=shipped)
    page.get_by_text(said, exact=False).first.wait_for(timeout=30_000)
    _wait_url(page, f"as_of={first}")  # the link reproduces the view

    # One day further with the arrow key (a day per step), then back to today with End.
    thumb.focus()
    page.keyboard.press("ArrowRight")
    next_day = (datetime.date.fromisoformat(first) + datetime.timedelta(days=1)).isoformat()
    _wait_url(page, f"as_of={next_day}")
    thumb.focus()
    page.keyboard.press("End")
    back = _markers(page, now)
    sys.stdout.write(f"[{lang}] markers back at today {back}\n")
    assert back == now
    _wait_url(page, "as_of=", present=False)  # today is the default: no parameter
    assert rec.blocked == [], rec.blocked
    assert rec.dialogs == [], rec.dialogs
