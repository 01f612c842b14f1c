"""What every page shares: the language, the URL state, the project, the basemap, escaping.

The project (districts, zones, areas, rules, chain, enterprises) is opened with
:func:`layers.open_project`, exactly as the command line opens it, and cached on plain
values: the store target, the stored zones' version and the operator's settings. An upload
in this session replaces the enterprises (:func:`set_upload`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import streamlit as st

import geo.store
import layers
import maps
from layers.i18n import LANGS, Lang, error_text, lang_or_default, t

__all__ = [
    "BASEMAP_KEY",
    "LANG_NAMES",
    "PreparedMap",
    "basemap",
    "clear_project",
    "enterprise_origin",
    "lang",
    "md",
    "persist",
    "prepare_map",
    "print_downloads",
    "project",
    "project_key",
    "set_upload",
    "show_prepared_map",
    "tianditu_key",
    "url_choice",
]

LANG_NAMES: Final = {"zh": "中文", "en": "English"}
BASEMAP_KEY: Final = "chosen_basemap"
"""Session key of the basemap chosen on the map page (a widget's own key is dropped while
its page is not shown, so the choice is kept under this one for the other pages)."""
_MD_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    r"""Escape a data value for markdown-rendered widgets (messages, captions).

    >>> print(md("**a** <b>"))
    \*\*a\*\* \<b\>
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def url_choice(param: str, options: tuple[str, ...], default: str) -> str:
    """Return the URL parameter ``param`` if it is one of ``options``, else ``default``."""
    value = st.query_params.get(param)
    return value if value in options else default


def persist(param: str, value: str) -> None:
    """Keep ``value`` in the URL, so that a link reproduces the view."""
    if st.query_params.get(param) != value:
        st.query_params[param] = value


def lang() -> Lang:
    """Return the language chosen in the sidebar (or given in the URL, or the browser's)."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in LANGS else first_lang()


def first_lang() -> Lang:
    """Return the language of a session's first page: the URL's ``lang``, else the browser's.

    A link without ``?lang=`` (the app's root, or where the sign-in returns to) opens in the
    language the browser asks for when it is one of ours, else in the default (Chinese).
    """
    asked = st.query_params.get("lang")
    if asked in LANGS:
        return lang_or_default(asked)
    locale = str(st.context.locale or "").lower()
    return lang_or_default(next((x for x in LANGS if locale.split("-")[0] == x), None))


def file_uploader(
    where: Any, label: str, *, types: Sequence[str], key: str, lang: Lang, registry: bool = False
) -> Any:
    """Return ``where.file_uploader(...)``, its built-in words in ``lang``.

    Streamlit writes the uploader's button ("Upload") and its hint ("50MB per file • CSV,
    ...") in English whatever the page's language, and when the browser refuses a file
    (too large, or not of an accepted type: the file never reaches the server) it shows
    only a red icon, its reason in a tooltip. A style rule scoped to this uploader
    (``.st-key-KEY``) writes under a refused file why and what to do, and in Chinese puts
    our words in place of the button's and the hint's. The texts come from the vocabulary,
    the upload limit and the accepted types, never from a user, and are escaped as CSS
    strings all the same. ``registry``: the file is a list of firms, and the message
    also says how to check one larger than the limit.
    """
    file = where.file_uploader(label, type=list(types), key=key)
    limit = int(st.get_option("server.maxUploadSize"))
    sep = "、" if lang == "zh" else ", "
    kinds = sep.join(x.upper() for x in types)
    scope = f".st-key-{re.sub(r'[^A-Za-z0-9_-]', '', key)} [data-testid=stFileUploaderDropzone]"
    refused = t("upload.refused_in_browser", lang, mb=limit, types=kinds)
    if registry:
        refused += (" " if lang == "en" else "") + t("upload.refused_registry", lang)
    small = "font-size: 0.875rem"
    bad = f"{scope}:has([data-testid=stFileChip][aria-invalid=true])"
    red = "flex-basis: 100%; margin-top: 0.5rem; color: rgb(255, 43, 43)"
    rules = [
        f"{bad} {{flex-wrap: wrap}}",
        f"{bad}::after {{content: {_css_string(refused)}; {red}; {small}}}",
    ]
    if lang != "en":
        hint = _css_string(t("upload.dropzone_hint", lang, mb=limit, types=kinds))
        word = _css_string(t("upload.dropzone_button", lang))
        button = f"{scope} button [data-testid=stMarkdownContainer] p"
        words = f"{scope} [data-testid=stFileUploaderDropzoneInstructions] span"
        rules += [
            f"{button}, {words} {{font-size: 0}}",
            f"{button}::after {{content: {word}; {small}}}",
            f"{words}::after {{content: {hint}; {small}}}",
        ]
    st.html("<style>" + "\n".join(rules) + "</style>")
    return file


def _css_string(text: str) -> str:
    r"""Quote ``text`` as a CSS string: everything but letters and digits escaped.

    Six hex digits each, so a following letter is never read into the escape; spaces
    are escaped too, as a space after an escape would be swallowed by it.

    Examples
    --------
    >>> _css_string('5 MB · "x"')
    '"5\\000020MB\\000020\\0000b7\\000020\\000022x\\000022"'
    """
    return '"' + "".join(c if c.isalnum() else f"\\{ord(c):06x}" for c in text) + '"'


def tianditu_key() -> str | None:
    """Return the operator's Tianditu key (``st.secrets`` or ``$TIANDITU_KEY``), if any."""
    import os

    try:
        key = st.secrets.get("TIANDITU_KEY")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        key = None
    return str(key) if key else os.environ.get("TIANDITU_KEY") or None


def basemap() -> str:
    """Return the basemap chosen on the map page; "none" where Tianditu has no valid key."""
    kept = str(st.session_state.get(BASEMAP_KEY, "osm"))
    chosen = url_choice("basemap", maps.BASEMAPS, kept if kept in maps.BASEMAPS else "osm")
    if chosen == "tianditu" and not maps.valid_tianditu_key(tianditu_key()):
        return "none"
    return chosen


# --- the project ------------------------------------------------------------------------


# A resource, not data: every page of every session shares the one project instead of
# unpickling a copy on each call (a rerun asks for it twice). Nothing changes it: the library
# never mutates its inputs (tests check that), and pages only read it.
@st.cache_resource(show_spinner=False, max_entries=8)
def _open(
    store: str | None, version: int | None, enterprises: str | None, synthetic: int
) -> layers.Project:
    """Open the project once per store version and operator setting (cached)."""
    del version  # a cache key only: a new saved version opens the project again
    return layers.open_project(
        store,
        default_store=False,
        strict_store=store is not None,
        enterprises=enterprises,
        synthetic=synthetic,
    )


def _store() -> tuple[str | None, int | None]:
    """Return the store to read zones from and its zones' version; warn if unreachable."""
    target = layers.settings.store_target()
    try:
        version = layers.project.stored_zones_version(target)
    except geo.store.StoreError as exc:
        # An unreachable shared database must not take the app down: shipped zones.
        st.warning(md(t("zones.store_unavailable", lang(), error=error_text(exc, lang()))))
        return None, None
    return (target, version) if version is not None else (None, None)


def project() -> layers.Project:
    """Return the project every page works on (this session's upload, if any, included)."""
    store, version = _store()
    opened = _open(
        store, version, layers.settings.enterprises_file(), layers.settings.synthetic_count()
    )
    upload = st.session_state.get("upload")
    if upload is not None:
        return opened.with_enterprises(
            upload["data"], source=upload["name"], problems=upload["problems"]
        )
    return opened


def project_key() -> tuple[object, ...]:
    """Return a cheap, hashable stand-in for :func:`project` (a cache key for results)."""
    upload = st.session_state.get("upload")
    return (
        _store(),
        layers.settings.enterprises_file(),
        layers.settings.synthetic_count(),
        None if upload is None else upload["key"],
    )


def clear_project() -> None:
    """Forget the cached project (after a save or a restore changed the store)."""
    _open.clear()


def set_upload(data: Any, problems: Any, *, name: str, key: str) -> None:
    """Use an uploaded, validated enterprises table on every page of this session."""
    st.session_state["upload"] = {"data": data, "problems": problems, "name": name, "key": key}


def print_downloads(
    project: layers.Project,
    lang: Lang,
    *,
    layers: Any,
    sites: Any = None,
    surface_segment: str | None = None,
    results: Any = None,
    key: str = "print",
) -> None:
    """Draw the "download as PDF/PNG" panel for what the page shows (the plan map).

    ``layers`` are the layers shown (names of :data:`maps.print.MAP_LAYERS`), ``sites``
    the compared sites (a DataFrame with ``name``, ``lon``, ``lat``), ``surface_segment``
    the suitability surface's segment and ``results`` the clusters/gaps already computed;
    see :func:`app_pages._print_widget.print_downloads`. The map is drawn only when asked.
    """
    from app_pages._print_widget import print_downloads as panel

    panel(
        project,
        lang,
        layers=layers,
        sites=sites,
        surface_segment=surface_segment,
        results=results,
        project_key=project_key(),
        key=key,
    )


def enterprise_origin() -> str | None:
    """Return the message key saying where the enterprises come from (None: shipped data).

    An upload in this session wins over the operator's ``$NANCHANG_ENTERPRISES`` file,
    which wins over the shipped data; the file's name is :attr:`layers.Project.enterprise_source`.
    """
    if st.session_state.get("upload") is not None:
        return "app.data_source_upload"
    if layers.settings.enterprises_file() is not None:
        return "app.data_source_configured"
    return None


# --- a map prepared once, drawn by every session ------------------------------------------


@dataclass(frozen=True)
class PreparedMap:
    """A folium map turned into what the ``st_folium`` component draws (plain strings).

    Made by :func:`prepare_map`, drawn by :func:`show_prepared_map`. It holds no folium
    objects, so one instance can be shared by every session and thread (a cache entry):
    ``st_folium`` renders the whole folium tree on every rerun (for 10,000 enterprises
    about half a CPU-second); this does it once per map.
    """

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    component_key: str


def prepare_map(fmap: Any, *, key: str) -> PreparedMap:
    """Render ``fmap`` as ``st_folium(fmap, key=key, returned_objects=[])`` would, once.

    The steps are streamlit-folium's own (its helpers, called as ``st_folium`` calls them);
    tests/app/test_map_cache.py checks that the component receives exactly what
    ``st_folium`` gives it, so an upgrade that changes them fails there. ``fmap`` is
    altered by rendering (streamlit-folium renames its elements): do not draw it again.
    """
    import branca.colormap
    import folium.elements
    import streamlit_folium as sf

    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)  # st_folium's own steps, checked by a test
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css: list[str] = []
    js: list[str] = []
    stack: list[Any] = [fmap]
    while stack:  # depth first, children in order: the order st_folium lists links in
        element = stack.pop()
        if isinstance(element, branca.colormap.ColorMap):
            js[:0] = ["https://d3js.org/d3.v4.min.js", _D3_CDN]
        if isinstance(element, branca.colormap.ColorMap | folium.elements.JSCSSMixin):
            css += [href for _, href in getattr(element, "default_css", [])]
            js += [src for _, src in getattr(element, "default_js", [])]
        stack.extend(reversed(list(getattr(element, "_children", {}).values())))
    return PreparedMap(
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(fmap),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        component_key=sf.generate_js_hash(script, key, False),
    )


_D3_CDN: Final = "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"


def show_prepared_map(
    prepared: PreparedMap, *, key: str, height: int, on_change: Callable[[], None] | None = None
) -> None:
    """Draw a :class:`PreparedMap` as ``st_folium(..., use_container_width=True)`` does.

    No objects are returned: panning and zooming never rerun the script.
    """
    import streamlit_folium as sf

    def changed() -> None:
        st.session_state[key] = st.session_state.get(prepared.component_key, {})
        if on_change is not None:
            on_change()

    sf._component_func(  # what st_folium calls; checked by a test
        script=prepared.script,
        header=prepared.header,
        html=prepared.html,
        id=prepared.map_id,
        key=prepared.component_key,
        height=height,
        width=None,
        returned_objects=[],
        default={},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(prepared.css_links),
        js_links=list(prepared.js_links),
        on_change=changed,
        wrap_longitude=False,
    )
