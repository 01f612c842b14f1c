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

__all__ = ["FitCity", "Labels", "Legend", "MapScript", "Script", "js_json", "localise"]

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
    """A collapsible legend control built in the browser from JSON with ``textContent`` only.

    Legends sit in the top-right corner under the layer control, where Leaflet stacks
    controls so none covers another; :class:`FitCity` keeps the city clear of that column.
    A click on the title folds the legend to its title (it starts folded on narrow maps).

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
            var legend = L.control({position: "topright"});
            legend.onAdd = function() {
                var box = L.DomUtil.create("div", "nc-legend");
                box.style.cssText = "background:rgba(255,255,255,0.92);padding:4px 8px;" +
                    "border-radius:4px;font:12px sans-serif;max-width:260px;" +
                    "max-height:38vh;overflow:auto;box-shadow:0 1px 4px rgba(0,0,0,0.3)";
                var title = L.DomUtil.create("div", "nc-legend-title", box);
                title.style.cssText = "font-weight:bold;cursor:pointer;user-select:none";
                title.setAttribute("role", "button");
                title.setAttribute("aria-expanded", "true");
                var mark = L.DomUtil.create("span", "", title);
                var name = L.DomUtil.create("span", "", title);
                name.textContent = spec.title;
                var body = L.DomUtil.create("div", "nc-legend-body", box);
                spec.rows.forEach(function(row) {
                    var line = L.DomUtil.create("div", "", body);
                    var sw = L.DomUtil.create("span", "", line);
                    sw.style.cssText = "display:inline-block;width:12px;height:12px;" +
                        "margin-right:6px;vertical-align:middle;border:1px solid #333";
                    sw.style.background = row[0];
                    var label = L.DomUtil.create("span", "", line);
                    label.textContent = row[1];
                    if (row[2]) {
                        line.title = row[2];
                        var d = L.DomUtil.create("div", "", body);
                        d.style.cssText = "margin-left:20px;color:#555;font-size:11px";
                        d.textContent = row[2];
                    }
                });
                function show(open) {
                    body.style.display = open ? "" : "none";
                    mark.textContent = open ? "\u25be " : "\u25b8 ";
                    title.setAttribute("aria-expanded", open ? "true" : "false");
                }
                show(map.getSize().x >= 720);
                L.DomEvent.on(title, "click", function(e) {
                    L.DomEvent.stop(e);
                    show(body.style.display === "none");
                });
                L.DomEvent.disableClickPropagation(box);
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


class FitCity(MacroElement):
    """Open the map on a box, kept clear of the controls' column on the right.

    Runs after every control is on the map (the legends come later in the page than this
    element), measures the top-right column (layer control and legends) and fits the box
    into what is left, so no legend covers the city when the map opens.

    Parameters
    ----------
    bounds : (float, float, float, float)
        ``(lon_min, lat_min, lon_max, lat_max)`` in the map's display coordinates.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            var b = {{ this.bounds_json }};
            var box = L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]);
            map.fitBounds(box);
            var moved = false;
            // fitClear says whether the controls' column was laid out (the component adds
            // Leaflet's stylesheet after the scripts run, so at first it may not be).
            function fitClear() {
                var size = map.getSize();
                var column = map.getContainer().querySelector(".leaflet-top.leaflet-right");
                var width = column ? column.offsetWidth : 0;
                var placed = width > 0 && width <= size.x * 0.6;
                var right = placed ? width + 10 : 10;
                map.fitBounds(box, {paddingTopLeft: [50, 10], paddingBottomRight: [right, 10]});
                return placed;
            }
            function attempt(n) {
                if (moved) { return; }
                if (!fitClear() && n < 100) { setTimeout(function() { attempt(n + 1); }, 100); }
            }
            setTimeout(function() { attempt(0); }, 0);
            // Fit again when the frame is resized, until the user has moved the map.
            ["mousedown", "wheel", "touchstart", "keydown"].forEach(function(kind) {
                map.getContainer().addEventListener(kind, function() { moved = true; },
                                                    {passive: true});
            });
            map.on("resize", function() { if (!moved) { fitClear(); } });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FitCity"
        self.bounds_json = js_json([float(v) for v in bounds])


class Labels(MacroElement):
    """Name labels (districts, zones) drawn into their parent layer; text by ``textContent``.

    Add it to a ``folium.FeatureGroup`` (that group is the layer the layer control
    toggles). Each label is centred on its point and haloed so it reads over any fill.

    Parameters
    ----------
    points : sequence of (float, float, str, str)
        ``(lon, lat, text, kind)`` in display coordinates; ``kind`` picks the style
        (``"district"`` or ``"zone"``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(group){
            var spec = {{ this.spec_json }};
            var markers = [];
            var styles = {
                district: "font:bold 13px sans-serif;color:#333;",
                zone: "font:italic 11px sans-serif;color:#4a2377;"
            };
            spec.forEach(function(p) {
                var icon = L.divIcon({className: "nc-label nc-label-" + p[3], html: "",
                                      iconSize: null});
                var marker = L.marker([p[1], p[0]], {icon: icon, interactive: false,
                                                     keyboard: false});
                marker.on("add", function() {
                    var el = marker.getElement();
                    el.style.background = "none";
                    el.style.border = "none";
                    el.style.pointerEvents = "none";
                    if (el.firstChild) { return; }
                    // Centred on its point by the inner span's own size, whatever the font.
                    var span = L.DomUtil.create("span", "", el);
                    span.textContent = p[2];
                    span.style.cssText = (styles[p[3]] || styles.zone) +
                        "position:absolute;left:0;top:0;transform:translate(-50%,-50%);" +
                        "white-space:nowrap;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;";
                });
                group.addLayer(marker);
                markers.push(marker);
            });
            // Labels are listed by priority; a label that would overlap one already shown
            // waits for a closer zoom, so the dense city centre stays readable.
            function declutter() {
                var kept = [];
                markers.forEach(function(marker) {
                    var el = marker.getElement();
                    var span = el && el.firstChild;
                    if (!span) { return; }
                    span.style.visibility = "visible";
                    var r = span.getBoundingClientRect();
                    var clash = kept.some(function(k) {
                        return r.left < k.right + 4 && r.right + 4 > k.left &&
                               r.top < k.bottom + 2 && r.bottom + 2 > k.top;
                    });
                    if (clash) { span.style.visibility = "hidden"; } else { kept.push(r); }
                });
            }
            var map = null;
            group.on("add", function(e) {
                map = group._map;
                if (!map) { return; }
                map.on("zoomend moveend resize", declutter);
                setTimeout(declutter, 0);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points: Sequence[tuple[float, float, str, str]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Labels"
        self.spec_json = js_json([list(p) for p in points])
