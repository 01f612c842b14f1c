"""Many enterprises as one canvas layer: compact columns in, points and popups drawn in JS.

Above a few ten thousand firms a marker per firm (and a cluster tree over them) is what
makes the map slow and heavy: each marker is a JavaScript object and its row of JSON
travels with the page. Here the firms travel once, as gzip-compressed columnar JSON in one
base64 string (about 20 bytes a firm), which the browser inflates with
``DecompressionStream``. A canvas layer draws the points in view coloured by segment
family; a click picks the nearest point through a grid index and opens a popup built from
the columns with ``textContent`` only (names are user data). A second layer draws the
precision circles of the points in view, when few enough are in view to read them.

Layout of the decoded object (every column has one entry per firm):
``lat``/``lon`` integers of 1e-5 degrees; ``g`` family index * 2 + synthetic flag;
``name`` and ``id`` text; ``seg``/``status``/``park``/``cap`` indexes into ``lookup``
(-1: none); ``prec`` metres (-1: unknown).
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any, Final

import folium
from branca.element import MacroElement
from folium.template import Template

from maps.elements import js_json

# The drawing code, defined once per page however many maps or layers use it.
_LIBRARY: Final = """
if (!L.NcPointsData) {
(function() {
    var TAU = 2 * Math.PI;
    var CELL = 1 / 64;       // grid cell, in zoom-0 pixels (256 screen pixels at zoom 14)
    var SLACK = 4;           // pixels beyond a point's radius that still pick it
    function radiusAt(zoom) { return zoom >= 14 ? 6 : zoom >= 12 ? 4 : zoom >= 10 ? 3 : 2; }
    function inflate(b64) {
        var bin = atob(b64), bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).text().then(JSON.parse);
    }
    function Data(b64, spec) {
        var self = this;
        this.spec = spec;
        this.size = 0;
        this.ready = inflate(b64).then(function(cols) {
            self.cols = cols;
            self.size = cols.lat.length;
            // Draw order: one path per (family, synthetic) group.
            var groups = [];
            for (var i = 0; i < self.size; i++) {
                var g = cols.g[i];
                (groups[g] = groups[g] || []).push(i);
            }
            self.groups = groups;
            return self;
        });
        this.ready.catch(function(err) {
            console.error("enterprise points could not be read: " + err);
        });
    }
    Data.prototype.latLng = function(i) {
        return L.latLng(this.cols.lat[i] / 1e5, this.cols.lon[i] / 1e5);
    };
    // Zoom-0 pixel coordinates of every firm in ``crs``, computed once.
    Data.prototype.project = function(crs) {
        if (this._crs === crs) { return; }
        var n = this.size, px = new Float64Array(n), py = new Float64Array(n);
        for (var i = 0; i < n; i++) {
            var p = crs.latLngToPoint(this.latLng(i), 0);
            px[i] = p.x; py[i] = p.y;
        }
        this.px = px; this.py = py; this._crs = crs; this._grid = null;
    };
    Data.prototype._index = function() {
        if (this._grid) { return this._grid; }
        var grid = new Map();
        for (var i = 0; i < this.size; i++) {
            var key = Math.floor(this.px[i] / CELL) * 65536 + Math.floor(this.py[i] / CELL);
            var cell = grid.get(key);
            if (cell) { cell.push(i); } else { grid.set(key, [i]); }
        }
        this._grid = grid;
        return grid;
    };
    // The firm drawn nearest to ``latlng`` on ``map``, within its radius and some slack.
    Data.prototype.nearest = function(map, latlng) {
        if (!this.cols) { return -1; }
        var crs = map.options.crs, zoom = map.getZoom();
        this.project(crs);
        var grid = this._index(), scale = crs.scale(zoom) / crs.scale(0);
        var p = crs.latLngToPoint(latlng, 0), tol = (radiusAt(zoom) + SLACK) / scale;
        var best = -1, bestD = tol * tol;
        var cx0 = Math.floor((p.x - tol) / CELL), cx1 = Math.floor((p.x + tol) / CELL);
        var cy0 = Math.floor((p.y - tol) / CELL), cy1 = Math.floor((p.y + tol) / CELL);
        for (var cx = cx0; cx <= cx1; cx++) {
            for (var cy = cy0; cy <= cy1; cy++) {
                var cell = grid.get(cx * 65536 + cy);
                if (!cell) { continue; }
                for (var k = 0; k < cell.length; k++) {
                    var i = cell[k], dx = this.px[i] - p.x, dy = this.py[i] - p.y;
                    var d = dx * dx + dy * dy;
                    if (d <= bestD) { bestD = d; best = i; }
                }
            }
        }
        return best;
    };
    function pick(table, i) { return i === null || i < 0 ? null : table[i]; }
    function line(parent, label, value) {
        if (value === null || value === "") { return; }
        var p = L.DomUtil.create("div", "", parent);
        var b = L.DomUtil.create("b", "", p);
        b.textContent = label + ": ";
        p.appendChild(document.createTextNode(String(value)));
    }
    // The popup of firm ``i``, as the clustered markers show it: text nodes only.
    Data.prototype.popup = function(i) {
        var c = this.cols, labels = this.spec.labels, lookup = c.lookup;
        var div = L.DomUtil.create("div", "nc-enterprise");
        var h = L.DomUtil.create("div", "", div);
        h.style.fontWeight = "bold";
        h.textContent = c.name[i];
        line(div, labels.segment, pick(lookup.segment, c.seg[i]));
        line(div, labels.status, pick(lookup.status, c.status[i]));
        line(div, labels.park, pick(lookup.park, c.park[i]));
        line(div, labels.precision, c.prec[i] < 0 ? null : "\\u00b1 " + c.prec[i] + " m");
        line(div, labels.capacity, pick(lookup.capacity, c.cap[i]));
        line(div, labels.id, c.id[i]);
        if (c.g[i] % 2) {
            var s = L.DomUtil.create("div", "", div);
            s.style.fontStyle = "italic";
            s.textContent = labels.synthetic;
        }
        return div;
    };

    // A canvas over the view (and a margin around it, so a pan shows no blank edge),
    // redrawn when the map stops moving and scaled with the map while it zooms.
    var Canvas = L.Layer.extend({
        initialize: function(data, options) {
            L.setOptions(this, options);
            this.data = data;
            this.drawn = 0;
            var self = this;
            data.ready.then(function() { self._redraw(); });
        },
        onAdd: function(map) {
            var name = this.options.pane;
            var pane = map.getPane(name) || map.createPane(name);
            pane.style.zIndex = this.options.zIndex;
            pane.style.pointerEvents = "none";
            this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated", pane);
            this._redraw();
        },
        onRemove: function() {
            L.DomUtil.remove(this._canvas);
            this._canvas = null;
            this.drawn = 0;
        },
        getEvents: function() {
            var events = {moveend: this._redraw, viewreset: this._redraw};
            if (this._map.options.zoomAnimation && L.Browser.any3d) {
                events.zoomanim = this._animateZoom;
            }
            return events;
        },
        _animateZoom: function(e) {
            if (!this._topLeft) { return; }
            var map = this._map;
            var offset = map._latLngToNewLayerPoint(this._topLeft, e.zoom, e.center);
            L.DomUtil.setTransform(this._canvas, offset, map.getZoomScale(e.zoom));
        },
        _redraw: function() {
            var map = this._map, canvas = this._canvas;
            if (!map || !canvas || !this.data.cols) { return; }
            var size = map.getSize(), ratio = window.devicePixelRatio || 1;
            var min = size.multiplyBy(-0.25).round(), full = size.multiplyBy(1.5).round();
            var topLeft = map.containerPointToLayerPoint(min);
            L.DomUtil.setPosition(canvas, topLeft);
            canvas.width = full.x * ratio;
            canvas.height = full.y * ratio;
            canvas.style.width = full.x + "px";
            canvas.style.height = full.y + "px";
            this._topLeft = map.layerPointToLatLng(topLeft);
            var ctx = canvas.getContext("2d");
            ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
            var crs = map.options.crs, zoom = map.getZoom();
            this.data.project(crs);
            var origin = map.getPixelOrigin().add(topLeft);
            this.drawn = this._paint(ctx, origin, crs.scale(zoom) / crs.scale(0), full, zoom);
        }
    });

    L.NcPointsData = Data;
    L.NcPoints = Canvas.extend({
        options: {pane: "ncPoints", zIndex: 450},
        // ``drawn``: points drawn in the last redraw (those in view); ``data.size``: all.
        _paint: function(ctx, origin, scale, full, zoom) {
            var d = this.data, colours = d.spec.colours, r = radiusAt(zoom), n = 0;
            var w = full.x + r, h = full.y + r, outline = zoom >= 12;
            ctx.lineWidth = 1;
            ctx.strokeStyle = "#222";
            d.groups.forEach(function(idx, g) {
                ctx.beginPath();
                for (var k = 0; k < idx.length; k++) {
                    var i = idx[k];
                    var x = d.px[i] * scale - origin.x, y = d.py[i] * scale - origin.y;
                    if (x < -r || y < -r || x > w || y > h) { continue; }
                    ctx.moveTo(x + r, y);
                    ctx.arc(x, y, r, 0, TAU);
                    n += 1;
                }
                ctx.globalAlpha = 0.9;
                ctx.fillStyle = colours[g >> 1];
                ctx.fill();
                ctx.globalAlpha = 1;
                if (outline) {
                    ctx.setLineDash(g % 2 ? [2, 2] : []);
                    ctx.stroke();
                }
            });
            ctx.setLineDash([]);
            return n;
        },
        getEvents: function() {
            var events = Canvas.prototype.getEvents.call(this);
            events.click = this._click;
            events.mousemove = this._hover;
            return events;
        },
        // Open the popup of firm ``i`` (what a click on its point does).
        openPopup: function(i) {
            return L.popup({maxWidth: 320}).setLatLng(this.data.latLng(i))
                .setContent(this.data.popup(i)).openOn(this._map);
        },
        _click: function(e) {
            var i = this.data.nearest(this._map, e.latlng);
            if (i >= 0) { this.openPopup(i); }
        },
        _hover: function(e) {
            var self = this;
            if (this._hoverPending) { return; }
            this._hoverPending = true;
            L.Util.requestAnimFrame(function() {
                self._hoverPending = false;
                if (!self._map) { return; }
                var hit = self.data.nearest(self._map, e.latlng) >= 0;
                self._map.getContainer().style.cursor = hit ? "pointer" : "";
            });
        }
    });
    L.NcPrecision = Canvas.extend({
        options: {pane: "ncPrecision", zIndex: 420},
        // Circles of radius ``prec`` metres where it is at least ``spec.min_m``, only while
        // at most ``spec.max_in_view`` are in view (a city of them is a grey smear).
        _paint: function(ctx, origin, scale, full, zoom) {
            var d = this.data, c = d.cols, spec = d.spec, colours = spec.colours;
            var perMetre = (256 * scale) / 40075016.686, shown = [];
            for (var i = 0; i < d.size; i++) {
                if (c.prec[i] < spec.min_m) { continue; }
                var cos = Math.cos(c.lat[i] / 1e5 * Math.PI / 180);
                var r = c.prec[i] * perMetre / cos;
                var x = d.px[i] * scale - origin.x, y = d.py[i] * scale - origin.y;
                if (x < -r || y < -r || x > full.x + r || y > full.y + r) { continue; }
                shown.push([x, y, r, colours[c.g[i] >> 1]]);
                if (shown.length > spec.max_in_view) { return 0; }
            }
            ctx.lineWidth = 1;
            ctx.setLineDash([4, 4]);
            shown.forEach(function(s) {
                ctx.beginPath();
                ctx.arc(s[0], s[1], s[2], 0, TAU);
                ctx.globalAlpha = 0.05;
                ctx.fillStyle = s[3];
                ctx.fill();
                ctx.globalAlpha = 1;
                ctx.strokeStyle = s[3];
                ctx.stroke();
            });
            ctx.setLineDash([]);
            return shown.length;
        }
    });
})();
}
"""

# Precision circles are drawn only while at most this many are in view.
PRECISION_MAX_IN_VIEW: Final = 2000


def pack_columns(columns: dict[str, Any]) -> str:
    """Columns as gzip-compressed JSON in base64: what :class:`PointsData` carries.

    ``mtime=0`` keeps the text the same for the same data, so a cached map stays equal.
    """
    raw = json.dumps(columns, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return base64.b64encode(gzip.compress(raw.encode("utf-8"), compresslevel=6, mtime=0)).decode(
        "ascii"
    )


def unpack_columns(packed: str) -> dict[str, Any]:
    """Inverse of :func:`pack_columns` (for tests and tools)."""
    columns: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(packed)))
    return columns


class PointsData(MacroElement):
    """The firms' columns, inflated in the browser once and shared by the points layers.

    Parameters
    ----------
    columns : dict
        See the module's docstring for the layout.
    colours : list of str
        Fill colour of each family index.
    labels : dict of str to str
        Popup field labels (plain text).
    min_m : float
        Smallest precision drawn as a circle.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        var {{ this.get_name() }} = new L.NcPointsData(
            {{ this.packed_json }}, {{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        columns: dict[str, Any],
        *,
        colours: list[str],
        labels: dict[str, str],
        min_m: float,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PointsData"
        self.library = _LIBRARY
        self.packed_json = js_json(pack_columns(columns))
        self.spec_json = js_json(
            {
                "colours": colours,
                "labels": labels,
                "min_m": min_m,
                "max_in_view": PRECISION_MAX_IN_VIEW,
            }
        )


class PointsLayer(folium.map.Layer):
    """A layer of the layer control: ``data`` drawn as points or precision circles.

    ``kind`` is ``"points"`` (clickable, one popup per firm) or ``"precision"``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new L.{{ this.js_class }}({{ this.data_name }});
        {% endmacro %}
        """
    )

    def __init__(self, data: PointsData, *, kind: str, name: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointsLayer"
        self.js_class = {"points": "NcPoints", "precision": "NcPrecision"}[kind]
        self.data_name = data.get_name()
