"""The zone editor's map: the current zone's vertices editable, new shapes drawable, previews.

- :func:`add_zone_editor`: Leaflet.draw (served by the app, like every other asset) with
  the current zone's polygons already in its editable group, so "Edit layers" moves their
  vertices; the toolbar speaks the page's language.
- :func:`add_preview`: shapes about to be saved (imported or edited), drawn over the map
  before anything is written.
- :func:`editor_shapes`: what came back from the browser, split into the edited current
  zone (None when its vertices were not moved) and newly drawn shapes, in WGS 84.

Leaflet.draw has no snapping; Leaflet-Geoman has, but would add a second drawing library
whose results streamlit-folium does not return, so snapping is left out on purpose.
``maps`` never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import shapely

from layers.i18n import Lang, t
from maps.base import add_polygons
from maps.basemaps import to_display
from maps.elements import MapScript, Script, js_json, localise
from maps.hit import drawn_shapes

__all__ = [
    "EDIT_PROPERTY",
    "PREVIEW_COLOUR",
    "UNUSED_COLOUR",
    "add_preview",
    "add_zone_editor",
    "editor_shapes",
]

EDIT_PROPERTY: Final = "nc_edit_zone"
"""GeoJSON property marking a polygon of the current zone in the editable group."""

PREVIEW_COLOUR: Final = "#e6550d"
UNUSED_COLOUR: Final = "#7f7f7f"

# One metre is below what a planner can place with a mouse at city zoom, and above
# Leaflet's 6-decimal (~0.1 m) rounding of coordinates it hands back.
_UNCHANGED_DEG: Final = 1e-5

_DRAW_OPTIONS: Final = {
    "polyline": False,
    "circle": False,
    "circlemarker": False,
    "marker": False,
    "polygon": {"allowIntersection": False, "showArea": False},
    "rectangle": {"showArea": False},
}

# Leaflet.draw reads L.drawLocal when its toolbar is built: set it first.
_LOCAL: Final = """
(function(words){
    if (!window.L || !L.drawLocal) return;
    var d = L.drawLocal.draw, e = L.drawLocal.edit;
    d.toolbar.buttons.polygon = words.polygon;
    d.toolbar.buttons.rectangle = words.rectangle;
    d.toolbar.actions.title = words.cancel; d.toolbar.actions.text = words.cancel;
    d.toolbar.finish.title = words.finish; d.toolbar.finish.text = words.finish;
    d.toolbar.undo.title = words.undo; d.toolbar.undo.text = words.undo;
    d.handlers.polygon.tooltip.start = words.poly_start;
    d.handlers.polygon.tooltip.cont = words.poly_cont;
    d.handlers.polygon.tooltip.end = words.poly_end;
    d.handlers.rectangle.tooltip.start = words.rect_start;
    d.handlers.simpleshape.tooltip.end = words.rect_end;
    e.toolbar.actions.save.title = words.save; e.toolbar.actions.save.text = words.save;
    e.toolbar.actions.cancel.title = words.cancel_edit;
    e.toolbar.actions.cancel.text = words.cancel;
    e.toolbar.actions.clearAll.title = words.clear; e.toolbar.actions.clearAll.text = words.clear;
    e.toolbar.buttons.edit = words.edit; e.toolbar.buttons.editDisabled = words.edit_none;
    e.toolbar.buttons.remove = words.remove; e.toolbar.buttons.removeDisabled = words.edit_none;
    e.handlers.edit.tooltip.text = words.edit_tip; e.handlers.edit.tooltip.subtext = words.edit_sub;
    e.handlers.remove.tooltip.text = words.remove_tip;
})(WORDS);
"""

_WORDS: Final = (
    "polygon", "rectangle", "cancel", "finish", "undo", "poly_start", "poly_cont", "poly_end",
    "rect_start", "rect_end", "save", "cancel_edit", "clear", "edit", "edit_none", "remove",
    "edit_tip", "edit_sub", "remove_tip",
)  # fmt: skip

# The current zone's polygons go straight into the editable group (not inside an L.GeoJSON
# layer, whose children Leaflet.draw would not edit); each keeps its GeoJSON properties, so
# they come back marked.
_EDITABLE: Final = """
var group = GROUP;
L.geoJSON(DATA, {style: function() { return STYLE; }}).eachLayer(function(layer) {
    group.addLayer(layer);
});
"""


def add_zone_editor(
    fmap: folium.Map,
    zone: gpd.GeoDataFrame | None,
    *,
    lang: Lang,
    basemap: str = "osm",
) -> folium.plugins.Draw:
    """Add the drawing and vertex-editing toolbar, with ``zone``'s polygons editable.

    Parameters
    ----------
    fmap : folium.Map
    zone : geopandas.GeoDataFrame or None
        One row of the zones layer (WGS 84) whose vertices may be edited, or None (a new
        zone: draw only). Its parts become separate editable polygons.
    lang : {"zh", "en"}
        Language of the toolbar's buttons and hints.
    basemap : str
        Shifts the editable polygons to GCJ-02 on ``"amap"`` (shifted back by
        :func:`editor_shapes`).

    Returns
    -------
    folium.plugins.Draw
    """
    words = {w: t(f"zones.edit.tool.{w}", lang) for w in _WORDS}
    Script(_LOCAL.replace("WORDS", js_json(words))).add_to(fmap)
    group = folium.FeatureGroup(name=t("zones.edit.layer", lang), control=False)
    group.add_to(fmap)
    if zone is not None and len(zone):
        zone_id = str(zone["zone_id"].iloc[0])
        parts = to_display(zone[["geometry"]], basemap).explode(index_parts=False)
        parts = parts[~parts.geometry.is_empty & parts.geometry.notna()]
        features = [
            {
                "type": "Feature",
                "properties": {EDIT_PROPERTY: zone_id, "part": i},
                "geometry": shapely.geometry.mapping(geom),
            }
            for i, geom in enumerate(parts.geometry)
        ]
        style = {"color": "#6a3d9a", "weight": 3, "fillOpacity": 0.15}
        code = (
            _EDITABLE.replace("GROUP", group.get_name())
            .replace("DATA", js_json({"type": "FeatureCollection", "features": features}))
            .replace("STYLE", js_json(style))
        )
        MapScript(code).add_to(fmap)
    draw = folium.plugins.Draw(  # type: ignore[no-untyped-call]
        export=False,
        feature_group=group,
        show_geometry_on_click=False,
        draw_options=dict(_DRAW_OPTIONS),
        edit_options={"edit": True, "remove": True},
    )
    localise(draw).add_to(fmap)
    return draw


def add_preview(
    fmap: folium.Map,
    shapes: gpd.GeoDataFrame,
    *,
    labels: Sequence[str] | pd.Series,
    used: Sequence[bool] | None = None,
    lang: Lang,
    basemap: str = "osm",
) -> folium.GeoJson:
    """Draw shapes that are not saved yet: thick dashed outlines with their labels.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        WGS 84 polygons.
    labels : sequence of str
        Plain text per shape (what it would become), escaped by :func:`maps.add_polygons`.
    used : sequence of bool, optional
        Per shape: orange when it will be saved, grey when it is left out (default: all
        used).
    """
    kept = [True] * len(shapes) if used is None else [bool(u) for u in used]
    return add_polygons(
        fmap,
        shapes,
        name=t("zones.edit.preview_layer", lang),
        fields={t("zones.edit.preview_label", lang): list(labels)},
        basemap=basemap,
        colour=[PREVIEW_COLOUR if u else UNUSED_COLOUR for u in kept],
        weight=3.5,
        fill_opacity=0.2,
        dashed=[True] * len(shapes),
    )


def editor_shapes(
    features: Sequence[Any] | None,
    basemap: str,
    *,
    original: Any = None,
) -> tuple[Any, gpd.GeoSeries]:
    """Split what the drawing toolbar returned: the edited zone and new shapes (WGS 84).

    Parameters
    ----------
    features : sequence of GeoJSON features, or None
        ``st_folium(...)["all_drawings"]``.
    basemap : str
        The basemap they were drawn on (Amap: shifted back from GCJ-02).
    original : shapely geometry, optional
        The current zone's boundary in WGS 84, to tell an edit from an untouched zone.

    Returns
    -------
    (shapely geometry or None, geopandas.GeoSeries)
        The current zone as edited (None when its vertices were not moved, or all of its
        parts were deleted) and the newly drawn polygons.

    Examples
    --------
    >>> from shapely.geometry import box, mapping
    >>> zone = box(115.9, 28.6, 116.0, 28.7)
    >>> moved = {"type": "Feature", "properties": {EDIT_PROPERTY: "z"},
    ...          "geometry": mapping(box(115.9, 28.6, 116.01, 28.7))}
    >>> edited, drawn = editor_shapes([moved], "osm", original=zone)
    >>> round(edited.bounds[2], 2), len(drawn)
    (116.01, 0)
    >>> editor_shapes([{**moved, "geometry": mapping(zone)}], "osm", original=zone)[0] is None
    True
    """
    mine: list[Mapping[str, Any]] = []
    new: list[Mapping[str, Any]] = []
    for feature in features or ():
        if not isinstance(feature, Mapping):
            continue
        props = feature.get("properties")
        (mine if isinstance(props, Mapping) and EDIT_PROPERTY in props else new).append(feature)
    drawn = drawn_shapes(new, basemap)
    parts = drawn_shapes(mine, basemap)
    if not len(parts) or original is None:
        return None, drawn
    edited = shapely.union_all(parts.to_numpy())
    if shapely.hausdorff_distance(edited, original) < _UNCHANGED_DEG:
        return None, drawn
    return edited, drawn
