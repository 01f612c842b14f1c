"""The map as a file: a standalone HTML page that works outside the app."""

from __future__ import annotations

import copy
from typing import Any

import folium
from branca.element import Figure

from maps.elements import Script, js_json

__all__ = ["standalone_html"]


def standalone_html(fmap: folium.Map) -> str:
    """Render ``fmap`` as a standalone HTML page that loads its scripts from public CDNs.

    The app serves the map's scripts itself (offline use); a file saved to disk and opened
    outside the app cannot reach those, so this copy points at folium's CDN links again.
    ``fmap`` itself is not changed.

    Returns
    -------
    str
        A complete HTML document.
    """
    page = copy.deepcopy(fmap)
    # A map already rendered (st_folium renders it) keeps that output in its figure; a
    # fresh figure renders every element again, with the links set below.
    Figure().add_child(page)
    stack: list[Any] = [page]
    images = _cdn_images()
    while stack:
        element = stack.pop()
        for attribute in ("default_js", "default_css"):
            if attribute in vars(element):
                setattr(element, attribute, list(getattr(type(element), attribute)))
        if isinstance(element, Script) and "imagePath" in element.code:
            element.code = f"L.Icon.Default.imagePath = {js_json(images)};"
        stack.extend(getattr(element, "_children", {}).values())
    rendered: str = page.get_root().render()
    return rendered


def _cdn_images() -> str:
    """Leaflet's marker images beside folium's CDN copy of leaflet.js."""
    url = dict(folium.Map.default_js)["leaflet"]
    return url.rsplit("/", 1)[0] + "/images/"
