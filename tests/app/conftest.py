"""Fixtures shared by the app tests.

The map's local assets and hostile enterprise names belong to the map tests
(``tests/maps/conftest.py``); the app tests use the same ones. ``browser`` is headless
Chromium with no internet calls of its own; ``plain_app_url`` the real app on the shipped
data with a fresh store. Both are per test module, so modules never share state.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests._app_server import CHROMIUM, CHROMIUM_ARGS, AppStartError, run_app
from tests.maps.conftest import HOSTILE_NAMES, vendor_built

__all__ = ["HOSTILE_NAMES", "browser", "plain_app_url", "vendor_built"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium context (1400 x 1000; pages may resize themselves)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def plain_app_url(tmp_path_factory) -> Iterator[str]:
    """The app on the shipped data, its own empty store, no Tianditu key."""
    work = tmp_path_factory.mktemp("app")
    env = {"NANCHANG_STORE": str(work / "project.gpkg")}
    try:
        with run_app(work, env=env, unset=("TIANDITU_KEY", "NANCHANG_ENTERPRISES")) as url:
            yield url
    except AppStartError as exc:
        pytest.fail(str(exc))
