"""The map's browser assets: complete, self-consistent, and served in folium's place."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import folium
import folium.plugins
import pytest

from maps import assets

URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@pytest.mark.parametrize(
    "cls", [folium.Map, folium.plugins.MarkerCluster, folium.plugins.Draw], ids=lambda c: c.__name__
)
def test_every_folium_asset_of_the_elements_we_use_has_a_local_copy(cls):
    names_js = {name for name, _ in cls.default_js}
    names_css = {name for name, _ in cls.default_css}
    assert names_js <= set(assets.JS), names_js - set(assets.JS)
    assert names_css <= set(assets.CSS), names_css - set(assets.CSS)


def test_links_are_none_until_built(tmp_path):
    assert assets.js_links(tmp_path) is None
    assert assets.css_links(tmp_path) is None
    assert len(assets.missing(tmp_path)) == len(assets.ASSETS)


def test_build_without_node_modules_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="npm ci"):
        assets.build(tmp_path / "node_modules", tmp_path / "vendor")
    assert not (tmp_path / "vendor").exists()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if not (assets.NODE_MODULES / "leaflet").is_dir():
        pytest.skip("node_modules/ missing: run `npm ci` (needs npm)")
    vendor = tmp_path_factory.mktemp("vendor")
    assets.build(vendor=vendor)
    return vendor


def test_build_writes_every_asset_and_links_are_relative(built):
    assert assets.missing(built) == []
    links = [*assets.js_links(built), *assets.css_links(built)]
    assert links
    for _, url in links:
        assert "://" not in url
        assert url.startswith(assets.URL_PREFIX + "/")
        assert (built / url.removeprefix(assets.URL_PREFIX + "/")).is_file()


def test_scripts_are_the_pinned_versions(built):
    leaflet = (built / assets.JS["leaflet"]).read_text(encoding="utf-8")
    assert '"1.9.4"' in leaflet
    jquery = (built / assets.JS["jquery"]).read_text(encoding="utf-8")
    assert "jQuery v3.7.1" in jquery


def test_every_url_in_the_stylesheets_resolves_to_a_copied_file(built):
    checked = 0
    for css in sorted(built.rglob("*.css")):
        for ref in URL.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue
            assert "://" not in ref, f"{css.name} links outside the app: {ref}"
            target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), f"{css.relative_to(built)} needs missing {ref}"
            checked += 1
    assert checked > 10


def test_glyphicons_css_holds_only_the_icon_rules(built):
    css = (built / assets.GLYPHICONS_CSS).read_text(encoding="utf-8")
    assert 'font-family: "Glyphicons Halflings"' in css
    assert ".glyphicon-star:before" in css
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    selectors = re.findall(r"([^{}]+)\{", body)
    assert selectors
    assert all("glyphicon" in s or s.strip() == "@font-face" for s in selectors)


def test_rotate_css_covers_every_integer_angle(built):
    css = (built / assets.ROTATE_CSS).read_text(encoding="utf-8")
    for angle in (0, 45, 90, 359, 360):
        assert f".fa-rotate-{angle}{{" in css


def test_build_is_repeatable(built, tmp_path):
    again = tmp_path / "vendor"
    assets.build(vendor=again)
    for asset in assets.ASSETS:
        assert (again / asset.dest).read_bytes() == (built / asset.dest).read_bytes()
    shutil.rmtree(again)
