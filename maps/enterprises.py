"""Enterprises on the map: circle markers coloured by family, precision circles.

Up to :data:`CLUSTER_MAX_FIRMS` located firms, one JSON array carries the rows
(:func:`maps.elements.js_json`); the browser builds each marker, clusters them and, on
click, builds its popup from DOM nodes with ``textContent`` (never ``innerHTML``). Above
it, the firms travel as compressed columns and are drawn as points of one canvas layer
with the same colours and popups (:mod:`maps._points`).
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
from maps._points import PointsData, PointsLayer
from maps.base import add_legend
from maps.basemaps import to_display
from maps.elements import js_json, localise
from maps.styles import STAGE_COLOURS, UNKNOWN_COLOUR

__all__ = ["CLUSTER_MAX_FIRMS", "PRECISION_CIRCLE_MIN_M", "add_enterprises", "enterprise_legend"]

# Precision circles are drawn only where a location is known to the park (>= 1 km); finer
# locations would only add clutter under their marker.
PRECISION_CIRCLE_MIN_M: Final = 1000.0
# Above this many located firms the map draws points on one canvas layer instead of
# clustered markers. Measured in headless Chromium with 10,000 synthetic firms (load 4-7 on
# 2 cores): clusters 4.9 MB and 2.5-3.5 s to first render, points 3.9 MB and 2.1-3.2 s; at
# 100,000 clusters took about 11.6 s and 16 MB. Small projects keep their clusters, whose
# counts read better than a few scattered dots.
CLUSTER_MAX_FIRMS: Final = 5_000
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


def _firm_columns(shown: gpd.GeoDataFrame, chain: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    """Return the columns both drawings show, one entry per firm."""
    families = list(STAGE_COLOURS)
    index = shown.index
    stage_of = chain["stage"].astype(str).to_dict() if "stage" in chain else {}
    segment = shown.get("segment", pd.Series("", index=index)).astype(str)
    family = segment.map(
        lambda s: families.index(stage_of[s]) if stage_of.get(s) in families else len(families)
    )
    names = segment_names(chain, lang)
    status = shown.get("status", pd.Series("unknown", index=index)).astype(str)
    precision = pd.to_numeric(shown.get("precision_m"), errors="coerce")
    if precision is None:
        precision = pd.Series(np.nan, index=index)
    capacity = pd.to_numeric(shown.get("capacity"), errors="coerce")
    unit = shown.get("capacity_unit", pd.Series("", index=index))
    cap_text = pd.Series(
        [
            "" if pd.isna(c) else f"{c:g} {'' if pd.isna(u) else u}".strip()
            for c, u in zip(capacity, unit, strict=True)
        ]
        if capacity is not None
        else [""] * len(shown),
        index=index,
    )
    synthetic = shown.get("synthetic", pd.Series(False, index=index))
    return {
        "lat": shown.geometry.y.to_numpy(),
        "lon": shown.geometry.x.to_numpy(),
        "family": family,
        "name": local_names(shown, lang),
        "segment": segment.map(lambda s: names.get(s, s)),
        "status": status.map(lambda s: t(f"status.{s}", lang) if s in _STATUSES else s),
        "park": shown.get("park", pd.Series("", index=index)),
        "precision": precision,
        "capacity": cap_text,
        "id": shown.get("id", pd.Series("", index=index)),
        "synthetic": synthetic.fillna(False).astype(bool).astype(int),
    }


def add_enterprises(
    fmap: folium.Map,
    enterprises: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame,
    lang: Lang,
    basemap: str = "osm",
    precision_circles: bool = True,
    points: bool | None = None,
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
    points : bool, optional
        Draw every firm as a point of one canvas layer (True) or as clustered markers
        (False). Default: points above :data:`CLUSTER_MAX_FIRMS` located firms (read when
        called), where clustering makes the page slow and heavy.

    Returns
    -------
    int
        The number of enterprises drawn.
    """
    located = drawable(enterprises)
    shown = to_display(enterprises[located], basemap)
    cols = _firm_columns(shown, chain, lang)
    if points is None:
        points = len(shown) > CLUSTER_MAX_FIRMS
    colours = [*STAGE_COLOURS.values(), UNKNOWN_COLOUR]
    labels = {
        k: t(f"field.{k}", lang)
        for k in ("segment", "status", "park", "precision", "capacity", "id", "synthetic")
    }
    layer_names = {
        "enterprises": html.escape(t("layer.enterprises", lang)),
        "precision": html.escape(t("layer.precision", lang)),
    }
    if points:
        _add_points(
            fmap,
            cols,
            colours=colours,
            labels=labels,
            names=layer_names,
            precision_circles=precision_circles,
        )
    else:
        _add_clusters(
            fmap,
            cols,
            colours=colours,
            labels=labels,
            names=layer_names,
            precision_circles=precision_circles,
        )
    add_legend(fmap, t("legend.enterprises", lang), enterprise_legend(chain, lang))
    return len(shown)


def _add_clusters(
    fmap: folium.Map,
    cols: dict[str, Any],
    *,
    colours: list[str],
    labels: dict[str, str],
    names: dict[str, str],
    precision_circles: bool,
) -> None:
    """Clustered markers, one JSON row per firm (small projects: as they have always looked)."""
    index = cols["name"].index
    lat, lon, precision, family = cols["lat"], cols["lon"], cols["precision"], cols["family"]
    # Repeated texts travel once, in lookup tables; each row carries their index.
    seg_code, seg_values = _codes(cols["segment"])
    status_code, status_values = _codes(cols["status"])
    park_code, park_values = _codes(cols["park"])
    columns = [
        pd.Series(np.round(lat, 6), index=index),
        pd.Series(np.round(lon, 6), index=index),
        family,
        cols["name"],
        seg_code,
        status_code,
        park_code,
        precision.round(0).astype("Int64"),
        cols["capacity"],
        cols["id"],
        cols["synthetic"],
    ]
    rows = [list(r) for r in zip(*(_json_values(c) for c in columns), strict=True)]
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
        _Circles(circle_rows, name=names["precision"]).add_to(fmap)
    cluster = _EnterpriseCluster(
        rows,
        colours=colours,
        labels=labels,
        lookup={"segment": seg_values, "status": status_values, "park": park_values},
        name=names["enterprises"],
    )
    localise(cluster).add_to(fmap)


def _add_points(
    fmap: folium.Map,
    cols: dict[str, Any],
    *,
    colours: list[str],
    labels: dict[str, str],
    names: dict[str, str],
    precision_circles: bool,
) -> None:
    """One canvas layer of points from compressed columns (see :mod:`maps._points`)."""
    codes = {k: _codes(cols[k]) for k in ("segment", "status", "park", "capacity")}
    precision = cols["precision"].round(0).astype("Int64").fillna(-1).astype(int)
    columns = {
        # 1e-5 degrees (about 1 m): finer than any location this tool holds.
        "lat": np.round(np.asarray(cols["lat"]) * 1e5).astype(np.int64).tolist(),
        "lon": np.round(np.asarray(cols["lon"]) * 1e5).astype(np.int64).tolist(),
        "g": (cols["family"].to_numpy() * 2 + cols["synthetic"].to_numpy()).tolist(),
        "name": [str(v) for v in _json_values(cols["name"].fillna(""))],
        "id": [str(v) for v in _json_values(cols["id"].fillna(""))],
        "seg": codes["segment"][0].tolist(),
        "status": codes["status"][0].tolist(),
        "park": codes["park"][0].tolist(),
        "cap": codes["capacity"][0].tolist(),
        "prec": precision.tolist(),
        "lookup": {k: values for k, (_, values) in codes.items()},
    }
    data = PointsData(columns, colours=colours, labels=labels, min_m=PRECISION_CIRCLE_MIN_M)
    data.add_to(fmap)
    if precision_circles:
        PointsLayer(data, kind="precision", name=names["precision"]).add_to(fmap)
    PointsLayer(data, kind="points", name=names["enterprises"]).add_to(fmap)
