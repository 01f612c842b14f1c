"""A link to any page works on a fresh server: the frame, the page, the navigation.

Each page is opened first, in a new browser context, on a server no session has used yet.
With a folder named ``pages`` beside ``app.py`` Streamlit ran such a page in its legacy
multipage mode: without the title and language of ``app.py``, with ``common.py`` listed as
a page. The pages live in ``app_pages/`` for that reason; this test keeps it so.
"""

from __future__ import annotations

import shutil

import pytest

from layers.i18n import t
from tests._app_server import CHROMIUM, CHROMIUM_ARGS, AppStartError, run_app

pytestmark = pytest.mark.slow

PAGES = ("check", "gaps", "site", "zones", "progress", "data", "admin", "map")


def test_every_page_opened_first_by_link_has_the_frame_and_the_navigation(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    env = {"NANCHANG_STORE": str(tmp_path / "project.gpkg")}
    try:
        server = run_app(tmp_path, env=env)
        url = server.__enter__()
    except AppStartError as exc:
        pytest.fail(str(exc))
    try:
        with sync_api.sync_playwright() as pw:
            for page_key in PAGES:
                profile = tmp_path / f"profile-{page_key}"
                context = pw.chromium.launch_persistent_context(
                    str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                try:
                    page = context.new_page()
                    path = "/" if page_key == "map" else f"/{page_key}"
                    page.goto(f"{url}{path}?lang=en", wait_until="domcontentloaded")
                    title = page.locator("h1").first
                    title.wait_for(timeout=30_000)
                    assert title.inner_text() == t("app.title", "en"), page_key
                    nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
                    # Single-user mode (no [auth]): the one user administers, so the
                    # audit page is listed too.
                    order = ("map", "check", "gaps", "site", "zones", "progress", "data", "admin")
                    names = [t("page.upload" if k == "data" else f"page.{k}", "en") for k in
                             order]  # fmt: skip
                    assert nav == names, (page_key, nav)
                finally:
                    context.close()
                    shutil.rmtree(profile, ignore_errors=True)
    finally:
        server.__exit__(None, None, None)
