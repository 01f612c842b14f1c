"""A link without ``?lang=`` opens in the browser's language, in headless Chromium.

The app's root, and where the sign-in provider sends a user back to, carry no ``lang``:
the page then follows the language the browser asks for (``navigator.language``) when it
is one of the app's, else the default, Chinese; the URL then carries it for links.
"""

from __future__ import annotations

import pytest

from layers.i18n import t
from tests._app_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("zh-CN", "zh"), ("fr-FR", "zh")])
def test_a_link_without_lang_opens_in_the_browsers_language(plain_app_url, locale, lang):
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale=locale).new_page()
            page.goto(f"{plain_app_url}/", wait_until="domcontentloaded")
            title = page.get_by_role("heading", name=t("app.title", lang), exact=True)
            title.first.wait_for(timeout=30_000)
            # The language is then in the URL, so a copied link opens the same way.
            page.wait_for_function(f"() => location.search.includes('lang={lang}')", timeout=10_000)
            other = "zh" if lang == "en" else "en"
            assert page.get_by_role("heading", name=t("app.title", other)).count() == 0
        finally:
            browser.close()


# What the uploader shows in its button and its hint, drawn words included (::after).
UPLOADER_WORDS = """e => {
    const shown = el => {
        const after = getComputedStyle(el, '::after').content;
        const own = getComputedStyle(el).fontSize === '0px' ? '' : el.textContent;
        return own + (after === 'none' ? '' : JSON.parse(after));
    };
    return [
        shown(e.querySelector('button [data-testid=stMarkdownContainer] p')),
        shown(e.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span')),
    ];
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_file_uploaders_speak_the_pages_language(plain_app_url, lang):
    """Streamlit writes its uploader's words in English only; the Chinese page shows ours."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    from app_pages.data import UPLOAD_TYPES
    from app_pages.zones import BOUNDARY_TYPES

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for path, types in (("data", UPLOAD_TYPES), ("zones", BOUNDARY_TYPES)):
                page.goto(f"{plain_app_url}/{path}?lang={lang}&basemap=none")
                uploader = page.locator('[data-testid="stFileUploader"]').first
                uploader.wait_for(timeout=60_000)
                page.wait_for_timeout(1_000)  # the style rule comes with the same run
                button, hint = uploader.evaluate(UPLOADER_WORDS)
                if lang == "zh":
                    assert button == t("upload.dropzone_button", "zh")
                    joined = "、".join(x.upper() for x in types)
                    assert hint == t("upload.dropzone_hint", "zh", mb=50, types=joined)
                else:  # Streamlit's own words, untouched
                    assert button == "Upload"
                    assert hint.startswith("50MB per file")
        finally:
            browser.close()


REFUSED_WORDS = """e => {
    const zone = e.querySelector('[data-testid=stFileUploaderDropzone]');
    const after = getComputedStyle(zone, '::after').content;
    return after === 'none' ? '' : JSON.parse(after);
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_the_browser_refuses_is_explained(plain_app_url, tmp_path, lang):
    """Too large, or of a type not accepted: the browser never sends it, and says why."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    from app_pages.data import UPLOAD_TYPES
    from app_pages.zones import BOUNDARY_TYPES

    big = tmp_path / "registry.csv"  # one byte over the app's 50 MB limit
    with big.open("wb") as f:
        f.write(b"id,name,lon,lat\n")
        f.truncate(50 * 2**20 + 1)
    wrong = tmp_path / "boundaries.pdf"
    wrong.write_bytes(b"%PDF-1.4\n")
    sep = "、" if lang == "zh" else ", "
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for path, file, types, registry in (
                ("data", big, UPLOAD_TYPES, True),
                ("zones", wrong, BOUNDARY_TYPES, False),
            ):
                page.goto(f"{plain_app_url}/{path}?lang={lang}&basemap=none")
                uploader = page.locator('[data-testid="stFileUploader"]').first
                uploader.wait_for(timeout=60_000)
                assert uploader.evaluate(REFUSED_WORDS) == ""  # nothing refused yet
                uploader.locator('input[type="file"]').set_input_files(str(file))
                page.locator('[data-testid="stFileChip"][aria-invalid="true"]').wait_for(
                    timeout=10_000
                )
                kinds = sep.join(x.upper() for x in types)
                expected = t("upload.refused_in_browser", lang, mb=50, types=kinds)
                shown = uploader.evaluate(REFUSED_WORDS)
                assert shown.startswith(expected), shown
                assert (t("upload.refused_registry", lang) in shown) is registry
        finally:
            browser.close()
