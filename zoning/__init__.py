"""The analysis: rule checks, clusters, agglomeration indices, gaps, site suitability.

Every function takes GeoDataFrames, returns results aligned to the input's index, never
mutates its input, and measures in :data:`geo.crs.WORKING` (EPSG:4548). The command line
is :mod:`zoning.cli` (``zoning`` / ``python -m zoning``); the defaults every function
reads when it runs are in :mod:`zoning.settings`.
"""

from __future__ import annotations

from zoning import settings, tables
from zoning.check import OUTPUT_COLUMNS, VERDICTS, check, membership
from zoning.clusters import (
    ClarkEvans,
    ClusterResult,
    clark_evans,
    clusters,
    location_quotients,
    nearest_neighbour_ratios,
)
from zoning.compare import CheckComparison, compare_checks
from zoning.gaps import (
    chain_gaps,
    investment_targets,
    segment_counts,
    spatial_gaps,
    supplier_distances,
    supplier_flags,
)
from zoning.progress import Target, freshness, intensity
from zoning.settings import ScoreConfig
from zoning.suitability import Robustness, SiteScore, rank_sites, site_score, suitability_grid
from zoning.timeline import (
    as_of_date,
    changes,
    enterprises_as_of,
    project_as_of,
    state_as_of,
    time_fields,
)

__all__ = [
    "OUTPUT_COLUMNS",
    "VERDICTS",
    "CheckComparison",
    "ClarkEvans",
    "ClusterResult",
    "Robustness",
    "ScoreConfig",
    "SiteScore",
    "Target",
    "as_of_date",
    "chain_gaps",
    "changes",
    "check",
    "clark_evans",
    "clusters",
    "compare_checks",
    "enterprises_as_of",
    "freshness",
    "intensity",
    "investment_targets",
    "location_quotients",
    "membership",
    "nearest_neighbour_ratios",
    "project_as_of",
    "rank_sites",
    "segment_counts",
    "settings",
    "site_score",
    "spatial_gaps",
    "state_as_of",
    "suitability_grid",
    "supplier_distances",
    "supplier_flags",
    "tables",
    "time_fields",
]
