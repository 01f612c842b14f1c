"""End to end: a GIS team downloads the all-layers GeoPackage from the data page.

The real app (``streamlit run app.py`` on a free local port, no internet) in headless
Chromium, in Chinese and in English: the data page offers one button for every layer and
result; the file it hands out is named with the date and the boundary version, GDAL 3.6's
``ogrinfo`` opens it without a warning and lists every layer with one geometry type, pyogrio
reads every layer, and the QGIS styles in ``layer_styles`` carry the app's colours.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlparse

import pyogrio
import pytest

from layers.i18n import Lang, t
from maps.styles import AREA_COLOURS
from tests._gis_files import ogrinfo_layers, qml_colours, read_styles

pytestmark = pytest.mark.slow

LAYERS = ("districts", "zones", "areas", "enterprises", "check", "targets", "chain_gaps",
          "spatial_gaps", "clusters", "episodes", "chain", "events", "metadata",
          "layer_styles")  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_download_the_all_layers_geopackage(browser, plain_app_url, tmp_path: Path, lang: Lang):
    page = browser.new_page()
    page.set_viewport_size({"width": 1400, "height": 1600})  # the whole page
    blocked: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r) -> None:
        if urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort("internetdisconnected")

    page.route("**/*", route)
    page.goto(f"{plain_app_url}/data?lang={lang}&basemap=none", wait_until="domcontentloaded")
    button = page.get_by_role("button", name=t("download.everything", lang))
    # The file is built when the page first runs (every result of the project).
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    name = download.suggested_filename
    today = dt.date.today().isoformat()
    assert re.fullmatch(rf"everything_{today}_(shipped|v\d+)\.gpkg", name), name
    path = tmp_path / name
    download.save_as(path)
    page.close()

    found = ogrinfo_layers(path)  # fails on any warning or a second geometry type
    assert set(found) == set(LAYERS)
    assert found["zones"][0] == "Multi Polygon"
    assert found["enterprises"][0] == "Point"
    listed = {str(n) for n, _ in pyogrio.list_layers(path)}
    assert listed == set(LAYERS)
    for layer in LAYERS:
        assert (
            len(pyogrio.read_dataframe(path, layer=layer, read_geometry=False)) == (found[layer][1])
        ), layer
    areas = qml_colours(str(read_styles(path)["areas"]["styleQML"]))
    assert areas["battery"] == AREA_COLOURS["battery"].upper()
    assert not blocked, blocked
    assert not errors, errors
