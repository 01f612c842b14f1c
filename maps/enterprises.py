"""Enterprises on the map: clustered circle markers coloured by family, precision circles.

One JSON array carries the rows (:func:`maps.elements.js_json`); the browser builds each
marker and, on click, its popup from DOM nodes with ``textContent`` (never ``innerHTML``).
"""

from __future__ import annotations

import html
from typing import Any, Final

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.template import Template

from layers.i18n import Lang, local_names, t
from maps._frames import drawable, segment_names
from maps.base import add_legend
from maps.basemaps import to_display
from maps.elements import js_json, localise
from maps.styles import STAGE_COLOURS, UNKNOWN_COLOUR

__all__ = ["PRECISION_CIRCLE_MIN_M", "add_enterprises", "enterprise_legend"]

# Precision circles are drawn only where a location is known to the park (>= 1 km); finer
# locations would only add clutter under their marker.
PRECISION_CIRCLE_MIN_M: Final = 1000.0
_STATUSES: Final = frozenset({"operating", "construction", "planned", "unknown"})


def enterprise_legend(chain: pd.DataFrame, lang: Lang) -> list[tuple[str, str, str]]:
    """Legend rows ``(colour, family name, its segment names)`` for the segment families."""
    names = segment_names(chain, lang)
    stages = chain["stage"].astype(str) if "stage" in chain else pd.Series(dtype=str)
    sep = "、" if lang == "zh" else ", "
    rows = []
    for stage, colour in STAGE_COLOURS.items():
        members = [names[str(k)] for k in stages.index[stages == stage]]
        if members:
            rows.append((colour, t(f"stage.{stage}", lang), sep.join(members)))
    return rows


class _EnterpriseCluster(folium.plugins.MarkerCluster):
    """Enterprises as canvas circle markers clustered in the browser.

    One JSON array carries the rows; the browser builds each marker and, on click, its
    popup from DOM nodes with ``textContent`` (never ``innerHTML``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var firms = {{ this.rows_json }};
            var colours = {{ this.colours_json }};
            var labels = {{ this.labels_json }};
            var lookup = {{ this.lookup_json }};
            function pick(table, i) { return i === null || i < 0 ? null : table[i]; }
            var cluster = L.markerClusterGroup({{ this.options_json }});
            function line(parent, label, value) {
                if (value === null || value === "") return;
                var p = L.DomUtil.create("div", "", parent);
                var b = L.DomUtil.create("b", "", p);
                b.textContent = label + ": ";
                p.appendChild(document.createTextNode(String(value)));
            }
            function popup(r) {
                var div = L.DomUtil.create("div", "nc-enterprise");
                var h = L.DomUtil.create("div", "", div);
                h.style.fontWeight = "bold";
                h.textContent = r[3];
                line(div, labels.segment, pick(lookup.segment, r[4]));
                line(div, labels.status, pick(lookup.status, r[5]));
                line(div, labels.park, pick(lookup.park, r[6]));
                line(div, labels.precision, r[7] === null ? null : "\\u00b1 " + r[7] + " m");
                line(div, labels.capacity, r[8]);
                line(div, labels.id, r[9]);
                if (r[10]) { var s = L.DomUtil.create("div", "", div);
                             s.style.fontStyle = "italic"; s.textContent = labels.synthetic; }
                return div;
            }
            var markers = new Array(firms.length);
            for (var i = 0; i < firms.length; i++) {
                var r = firms[i];
                var m = L.circleMarker([r[0], r[1]], {
                    radius: 6, weight: 1, color: "#222", fillOpacity: 0.9,
                    fillColor: colours[r[2]], dashArray: r[10] ? "2 2" : null});
                m.bindPopup(popup.bind(null, r));
                markers[i] = m;
            }
            cluster.addLayers(markers);
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: list[list[Any]],
        *,
        colours: list[str],
        labels: dict[str, str],
        lookup: dict[str, list[Any]],
        name: str,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, show=show)  # type: ignore[no-untyped-call]
        self._name = "EnterpriseCluster"
        self.rows_json = js_json(rows)
        self.colours_json = js_json(colours)
        self.labels_json = js_json(labels)
        self.lookup_json = js_json(lookup)
        # chunkedLoading keeps the page responsive while ten thousand markers are added.
        self.options_json = js_json(
            {"chunkedLoading": True, "maxClusterRadius": 50, "disableClusteringAtZoom": 16}
        )


class _Circles(folium.FeatureGroup):
    """Non-interactive circles from one JSON array ``[[lat, lon, radius_m, colour], ...]``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({});
        (function(group){
            var circles = {{ this.rows_json }};
            for (var i = 0; i < circles.length; i++) {
                var r = circles[i];
                L.circle([r[0], r[1]], {radius: r[2], color: r[3], weight: 1,
                    fillOpacity: 0.05, dashArray: "4 4", interactive: false}).addTo(group);
            }
        })({{ this.get_name() }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[list[Any]], *, name: str, show: bool = True) -> None:
        super().__init__(name=name, show=show)
        self._name = "Circles"
        self.rows_json = js_json(rows)


def _codes(values: pd.Series) -> tuple[pd.Series, list[Any]]:
    """Factorise a text column: codes (-1 for missing/empty) and the distinct values."""
    text = values.astype(object).where(values.notna(), "")
    codes, uniques = pd.factorize(text.astype(str).str.strip().replace("", None), sort=False)
    return pd.Series(codes, index=values.index), [str(u) for u in uniques]


def _json_values(values: pd.Series) -> list[Any]:
    """Plain Python values for JSON: NaN/NA -> None, text stays text (never escaped twice)."""
    obj = values.astype(object)
    return obj.where(obj.notna(), None).tolist()


def add_enterprises(
    fmap: folium.Map,
    enterprises: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame,
    lang: Lang,
    basemap: str = "osm",
    precision_circles: bool = True,
) -> int:
    """Add enterprises coloured by segment family, clustered, with precision circles.

    Parameters
    ----------
    fmap : folium.Map
    enterprises : geopandas.GeoDataFrame
        ``layers.enterprises()`` columns; rows without geometry (unlocated) are skipped.
    chain : pandas.DataFrame
        ``layers.chain()``: segment names and stages (families) for colours and labels.
    lang : {"zh", "en"}
    basemap : str
        Shifts the display to GCJ-02 on ``"amap"``.
    precision_circles : bool
        Draw a circle of radius ``precision_m`` where it is at least 1 km (park-level).

    Returns
    -------
    int
        The number of enterprises drawn.
    """
    located = drawable(enterprises)
    shown = to_display(enterprises[located], basemap)
    pts = shown.geometry
    lon = pts.x.to_numpy()
    lat = pts.y.to_numpy()

    families = list(STAGE_COLOURS)
    colours = [*STAGE_COLOURS.values(), UNKNOWN_COLOUR]
    stage_of = chain["stage"].astype(str).to_dict() if "stage" in chain else {}
    segment = shown.get("segment", pd.Series("", index=shown.index)).astype(str)
    family = segment.map(
        lambda s: families.index(stage_of[s]) if stage_of.get(s) in families else len(families)
    )
    names = segment_names(chain, lang)
    seg_label = segment.map(lambda s: names.get(s, s))
    status = shown.get("status", pd.Series("unknown", index=shown.index)).astype(str)
    status_label = status.map(lambda s: t(f"status.{s}", lang) if s in _STATUSES else s)
    precision = pd.to_numeric(shown.get("precision_m"), errors="coerce")
    if precision is None:
        precision = pd.Series(np.nan, index=shown.index)
    capacity = pd.to_numeric(shown.get("capacity"), errors="coerce")
    unit = shown.get("capacity_unit", pd.Series("", index=shown.index))
    cap_text = pd.Series(
        [
            "" if pd.isna(c) else f"{c:g} {'' if pd.isna(u) else u}".strip()
            for c, u in zip(capacity, unit, strict=True)
        ]
        if capacity is not None
        else [""] * len(shown),
        index=shown.index,
    )
    synthetic = shown.get("synthetic", pd.Series(False, index=shown.index))
    # Repeated texts travel once, in lookup tables; each row carries their index.
    seg_code, seg_values = _codes(seg_label)
    status_code, status_values = _codes(status_label)
    park_code, park_values = _codes(shown.get("park", pd.Series("", index=shown.index)))
    columns = [
        pd.Series(np.round(lat, 6), index=shown.index),
        pd.Series(np.round(lon, 6), index=shown.index),
        family,
        local_names(shown, lang),
        seg_code,
        status_code,
        park_code,
        precision.round(0).astype("Int64"),
        cap_text,
        shown.get("id", pd.Series("", index=shown.index)),
        synthetic.fillna(False).astype(bool).astype(int),
    ]
    rows = [list(r) for r in zip(*(_json_values(c) for c in columns), strict=True)]
    labels = {
        k: t(f"field.{k}", lang)
        for k in ("segment", "status", "park", "precision", "capacity", "id", "synthetic")
    }
    if precision_circles:
        wide = (precision >= PRECISION_CIRCLE_MIN_M).to_numpy()
        circle_rows = [
            [float(a), float(b), float(r), colours[int(f)]]
            for a, b, r, f in zip(
                np.round(lat[wide], 6),
                np.round(lon[wide], 6),
                precision.to_numpy()[wide],
                family.to_numpy()[wide],
                strict=True,
            )
        ]
        _Circles(circle_rows, name=html.escape(t("layer.precision", lang))).add_to(fmap)
    cluster = _EnterpriseCluster(
        rows,
        colours=colours,
        labels=labels,
        lookup={"segment": seg_values, "status": status_values, "park": park_values},
        name=html.escape(t("layer.enterprises", lang)),
    )
    localise(cluster).add_to(fmap)
    add_legend(fmap, t("legend.enterprises", lang), enterprise_legend(chain, lang))
    return len(rows)
