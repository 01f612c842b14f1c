"""The domain data as validated GeoDataFrames: districts, zones, areas, chain, rules, firms.

Every loader returns data in EPSG:4326 with a documented schema and validates what it
reads. ``layers`` never imports streamlit, folium or ``maps`` (drawing lives in ``maps``),
so the command line and the analysis stay light.
"""

from __future__ import annotations

from layers import settings
from layers._geography import districts, zones
from layers.areas import areas
from layers.chain import chain, downstream, upstream
from layers.enterprises import (
    ENTERPRISE_COLUMNS,
    STATUSES,
    enterprises,
    read_enterprises,
    validate_enterprises,
)
from layers.events import EVENT_COLUMNS, STAGES, episodes, read_events, validate_events
from layers.project import LAYERS, TABLES, ZONES_LAYER, Project, open_project
from layers.rules import AreaRule, RuleError, Rules, rules
from layers.synthetic import synthetic_enterprises

__all__ = [
    "ENTERPRISE_COLUMNS",
    "EVENT_COLUMNS",
    "LAYERS",
    "STAGES",
    "STATUSES",
    "TABLES",
    "ZONES_LAYER",
    "AreaRule",
    "Project",
    "RuleError",
    "Rules",
    "areas",
    "chain",
    "districts",
    "downstream",
    "enterprises",
    "episodes",
    "open_project",
    "read_enterprises",
    "read_events",
    "rules",
    "settings",
    "synthetic_enterprises",
    "upstream",
    "validate_enterprises",
    "validate_events",
    "zones",
]
