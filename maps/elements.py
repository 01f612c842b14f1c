"""Element builders for the map: safe JSON for scripts, script snippets and legends.

Every text that comes from data and becomes JavaScript travels as JSON made by
:func:`js_json`, which also escapes ``<``, ``>``, ``&``, quotes, ``$``, braces and
U+2028/2029, so the JSON cannot end a ``<script>``, open a template string or be mangled by
streamlit-folium's rewriting; the browser then puts it into the page with ``textContent``
only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Final

from branca.element import MacroElement
from folium.template import Template

__all__ = ["Legend", "MapScript", "Script", "js_json", "localise"]

# Characters that must not appear raw in JSON placed inside <script> or a JS template:
# "<" ">" "&" could end the script element or start markup, "'" and "`" and "$" could end or
# open string/template literals in generated code, "{" would let streamlit-folium's
# `{{'name'}}` rewriting touch the data, U+2028/2029 end lines in older JS engines.
_JSON_ESCAPES: Final = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "`": "\\u0060",
    "$": "\\u0024",
    "{": "\\u007b",
    "}": "\\u007d",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE: Final = re.compile("|".join(re.escape(c) for c in _JSON_ESCAPES))
_STRING_TOKEN: Final = re.compile(r'"(?:[^"\\]|\\.)*"')


def js_json(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is safe to embed in a ``<script>`` and in JS code.

    Parameters
    ----------
    value : Any
        JSON-serialisable data (NaN is not allowed: pass None).

    Returns
    -------
    str
        JSON text with no raw ``< > & ' ` $ { }`` and no U+2028/2029 outside escapes.

    Examples
    --------
    >>> js_json(["</script>"])
    '["\\u003c/script\\u003e"]'
    """
    # Braces are only escaped inside strings: structural braces are JSON syntax. json.dumps
    # emits structural characters only outside strings, so escape within string tokens.
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _STRING_TOKEN.sub(lambda m: _JSON_ESCAPE_RE.sub(_escape_char, m.group(0)), text)


def _escape_char(match: re.Match[str]) -> str:
    return _JSON_ESCAPES[match.group(0)]


def localise(element: Any) -> Any:
    """Point ``element``'s scripts and stylesheets at the app's own copies, where installed.

    Where the map's assets are not installed (``python -m maps.assets``), folium's CDN
    links stay. New lists are assigned to the instance: folium's class lists are shared by
    every map.

    Parameters
    ----------
    element : branca.element.Element
        A folium element with ``default_js`` / ``default_css`` class lists.

    Returns
    -------
    branca.element.Element
        ``element`` itself, for chaining.
    """
    # Imported here, not at the top: `python -m maps.assets` must find the installer not yet
    # imported by the package (runpy warns otherwise).
    from maps import assets

    js = dict(assets.js_links() or [])
    css = dict(assets.css_links() or [])
    element.default_js = [(n, js.get(n, url)) for n, url in type(element).default_js]
    element.default_css = [(n, css.get(n, url)) for n, url in type(element).default_css]
    return element


class Script(MacroElement):
    """A snippet of JavaScript run in the map's own script (header scripts never run).

    ``code`` is trusted JavaScript: data enter it only through :func:`js_json`.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Script"
        self.code = code


class MapScript(MacroElement):
    """JavaScript that needs the map variable: ``MAP`` in ``code`` is replaced by its name.

    ``code`` is trusted JavaScript: data enter it only through :func:`js_json`.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(MAP){ {{ this.code }} })({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, code: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapScript"
        self.code = code


class Legend(MacroElement):
    """A legend control built in the browser from JSON with ``textContent`` only.

    Parameters
    ----------
    title : str
        Plain text.
    rows : sequence of (str, str, str)
        ``(colour, label, detail)``; label and detail are plain text. Colours become CSS
        values: :func:`maps.add_legend` checks them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            var spec = {{ this.spec_json }};
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function() {
                var box = L.DomUtil.create("div", "nc-legend");
                box.style.cssText = "background:rgba(255,255,255,0.92);padding:6px 8px;" +
                    "border-radius:4px;font:12px sans-serif;max-width:280px;" +
                    "max-height:45vh;overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,0.3)";
                var title = L.DomUtil.create("div", "", box);
                title.style.fontWeight = "bold";
                title.textContent = spec.title;
                spec.rows.forEach(function(row) {
                    var line = L.DomUtil.create("div", "", box);
                    var sw = L.DomUtil.create("span", "", line);
                    sw.style.cssText = "display:inline-block;width:12px;height:12px;" +
                        "margin-right:6px;vertical-align:middle;border:1px solid #333";
                    sw.style.background = row[0];
                    var label = L.DomUtil.create("span", "", line);
                    label.textContent = row[1];
                    if (row[2]) {
                        var d = L.DomUtil.create("div", "", box);
                        d.style.cssText = "margin-left:20px;color:#555;font-size:11px";
                        d.textContent = row[2];
                    }
                });
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.spec_json = js_json({"title": title, "rows": [list(r) for r in rows]})
