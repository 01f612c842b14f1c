"""Everything drawn: folium/Leaflet maps of the plan and of the analysis' results.

Callers write ``import maps`` and ``maps.new_map(...)``, ``maps.add_areas(...)``, ...; the
modules are named by task:

- :mod:`maps.basemaps`: basemaps, Tianditu keys, the GCJ-02 display shift on Amap;
- :mod:`maps.elements`: :func:`js_json` and the script/legend elements built from it;
- :mod:`maps.base`: a new map, its extent and layer control, legends, polygon layers;
- :mod:`maps.domain` and :mod:`maps.enterprises`: the plan's layers and its enterprises;
- :mod:`maps.results`: clusters, gaps, a suitability surface, a site and its links;
- :mod:`maps.hit`: clicks and drawings back to rows and WGS 84 shapes;
- :mod:`maps.export`: the standalone HTML page;
- :mod:`maps.styles`: the colours;
- :mod:`maps.assets`: the offline browser assets (``python -m maps.assets``); import it
  as ``from maps import assets`` (the package does not load it, so that command runs it
  fresh).

Every text that comes from data becomes HTML or JavaScript in exactly two ways, both safe
against markup and script injection: polygon tooltips are ``html.escape``-d before they
enter the GeoJSON (folium puts tooltip values into ``innerHTML``); enterprises, legends and
notices travel as JSON (:func:`js_json`) and the browser puts them into the page with
``textContent`` only. Geometries are WGS 84; on the Amap basemap every overlay is shifted
to GCJ-02 for display only. ``maps`` never imports streamlit.
"""

from __future__ import annotations

from maps.base import (
    add_draw,
    add_labels,
    add_legend,
    add_polygons,
    external_links,
    finish,
    fit,
    new_map,
)
from maps.basemaps import (
    BASEMAPS,
    NANCHANG_CENTRE,
    display_centre,
    display_system,
    to_display,
    valid_tianditu_key,
)
from maps.domain import add_areas, add_districts, add_names, add_zones
from maps.elements import js_json
from maps.enterprises import add_enterprises, enterprise_legend
from maps.export import standalone_html
from maps.hit import clicked_row, drawn_shapes
from maps.results import (
    add_candidates,
    add_clusters,
    add_gaps,
    add_highlight,
    add_site,
    add_surface,
)
from maps.styles import AREA_COLOURS, STAGE_COLOURS, UNKNOWN_COLOUR, ramp_colour

__all__ = [
    "AREA_COLOURS",
    "BASEMAPS",
    "NANCHANG_CENTRE",
    "STAGE_COLOURS",
    "UNKNOWN_COLOUR",
    "add_areas",
    "add_candidates",
    "add_clusters",
    "add_districts",
    "add_draw",
    "add_enterprises",
    "add_gaps",
    "add_highlight",
    "add_labels",
    "add_legend",
    "add_names",
    "add_polygons",
    "add_site",
    "add_surface",
    "add_zones",
    "clicked_row",
    "display_centre",
    "display_system",
    "drawn_shapes",
    "enterprise_legend",
    "external_links",
    "finish",
    "fit",
    "js_json",
    "new_map",
    "ramp_colour",
    "standalone_html",
    "to_display",
    "valid_tianditu_key",
]
