"""Settings of the analysis, in one place: each documented once, with why it is what it is.

Functions read these values when they run, never at import: a function whose argument is
left at None takes the setting current at the call, and the command line's defaults and the
app read the same values. Change one for a session (or in a test, with ``monkeypatch``) and
the next call follows::

    >>> from zoning import settings
    >>> settings.cluster_eps_m
    2000.0

An argument given to a function always wins over the setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "CRITERIA",
    "LOCATE_THREADS_ENV_VAR",
    "ScoreConfig",
    "check_chunk_rows",
    "cluster_eps_m",
    "cluster_min_samples",
    "concave_ratio",
    "grid_cell_m",
    "locate_thread_count",
    "locate_threads",
    "outline_buffer_m",
    "robustness_seed",
    "score_bands",
    "score_config",
    "site_far_m",
    "spatial_gap_m",
    "stale_after_months",
    "supplier_threshold_m",
    "surface_cell_m",
    "thin_count",
]

# --- time ----------------------------------------------------------------------------------
stale_after_months: int = 12
"""A record whose newest date is older than this many months is flagged stale
(:func:`zoning.progress.freshness`): investment-promotion offices report quarterly and
plans yearly, so a fact not confirmed within a year may no longer hold."""

# --- the check ----------------------------------------------------------------------------
check_chunk_rows: int = 200_000
"""Rows per piece when :func:`zoning.check` is given a ``progress`` callback: the table is
checked piece by piece (verdicts are per row, so the result is the same) and the callback
hears after each piece. A piece is not free: it words and indexes its own distinct reasons
(thousands on a large table). Measured on 1e6 synthetic firms, warm caches, 2 cores: the
check took 0.23 s at once, 0.68 s in pieces of 50,000, 0.38 s in pieces of 200,000 (and
no less in larger ones), so 200,000; a bar over a million rows still moves five times in
well under a second."""

LOCATE_THREADS_ENV_VAR: Final = "NANCHANG_LOCATE_THREADS"
"""Environment variable read by :func:`locate_thread_count` when :data:`locate_threads` is
None: an operator's way to cap the check's threads without touching code."""

locate_threads: int | None = None
"""Threads of the check's nearest-boundary searches (KD-tree queries over 20,000 points
or more; smaller batches always use one). None: ``$NANCHANG_LOCATE_THREADS`` if set,
else every core (-1, scipy's convention). A number >= 1 caps them: a Dask worker sets 1
(:mod:`zoning.stream` runs one partition per core, and a task that also fanned out to
every core would compete with the other workers' tasks for them)."""


def locate_thread_count() -> int:
    """Return the thread count the nearest-boundary searches use now (-1: every core).

    :data:`locate_threads` if set, else ``$NANCHANG_LOCATE_THREADS``, else -1.

    Raises
    ------
    ValueError
        If the setting or the variable is not -1 or a whole number >= 1.
    """
    value: object = locate_threads
    where = "`zoning.settings.locate_threads`"
    if value is None:
        raw = os.environ.get(LOCATE_THREADS_ENV_VAR, "").strip()
        if not raw:
            return -1
        where = f"${LOCATE_THREADS_ENV_VAR}"
        try:
            value = int(raw)
        except ValueError:
            value = raw
    if isinstance(value, bool) or not isinstance(value, int) or not (value == -1 or value >= 1):
        msg = f"{where} must be -1 (every core) or a whole number >= 1, got {value!r}"
        raise ValueError(msg)
    return value


# --- clusters ------------------------------------------------------------------------------
cluster_eps_m: float = 2000.0
"""DBSCAN neighbourhood radius. Firms of one industrial park sit within 1-3 km of each
other, while neighbouring parks of Nanchang are 5 km or more apart, so 2 km joins a park
and keeps parks apart. Most shipped locations are park centres known to 3-5 km: clusters
at this radius are park-level statements, not plant-level ones."""

cluster_min_samples: int = 3
"""A cluster needs at least three firms: two firms side by side are a pair, not an
agglomeration. Also HDBSCAN's ``min_cluster_size`` and the fewest firms of a segment in
an area for which a nearest-neighbour ratio is computed."""

concave_ratio: float = 0.3
"""``shapely.concave_hull`` ratio for cluster outlines: 0 is the tightest (most concave),
1 the convex hull; 0.3 follows the members without slivers between them."""

outline_buffer_m: float = 200.0
"""Outlines are buffered by 200 m so that clusters of two or three collinear members still
have an area and the drawn outline does not cut through the member markers."""

# --- gaps ----------------------------------------------------------------------------------
thin_count: int = 2
"""A designated segment with 1 to this many firms in its area is ``thin``; 0 is
``missing``. Two firms cannot both supply and compete; a third is where a local market
starts."""

supplier_threshold_m: float = 30_000.0
"""Beyond 30 km (about 40 minutes by lorry across Nanchang) a supplier no longer counts as
local: the link is flagged."""

spatial_gap_m: float = 5000.0
"""Land more than 5 km from any firm of the area's segments is a spatial gap: 5 km is the
radius of a park's shared services (utilities, logistics, labour pool)."""

# --- site suitability ----------------------------------------------------------------------
grid_cell_m: float = 500.0
"""Cell edge of :func:`zoning.suitability_grid` in metres: 500 m shows where inside a park
(5-30 km across) a site scores well; the three areas (about 5,200 km2) are about 21,000
cells, and halving the edge quadruples the cells and the time."""

surface_cell_m: float = 1000.0
"""Cell edge of the suitability surface drawn on the app's map (and offered as a download):
1 km keeps the whole-area surface to about 5,000 cells, which a browser draws at once; the
command line's ``zoning suitability --cell-m`` goes finer for files."""

CRITERIA: Final[tuple[str, ...]] = ("zoning", "upstream", "downstream", "neighbours")
"""The weighted criteria of the site score, in reporting order (a fixed list, not a
setting)."""


@dataclass(frozen=True)
class ScoreConfig:
    """Weights and distance-decay parameters of the site score.

    Attributes
    ----------
    weights : dict
        Relative weight of each criterion (normalised to sum 1 over the criteria that
        apply). Zoning fit weighs most because it is the plan's own rule; suppliers come
        next because inbound materials move more often than finished goods; neighbours
        (a labour pool and shared services) complete the picture.
    zoning_scores : dict
        Normalised value of the zoning fit: the designated area 1, an area for other
        segments 0 (the plan says it belongs elsewhere), outside every area 0.25 (the plan
        is silent there but the site forgoes the area's services), a segment with no
        designated area 0.5 (neutral: the plan leaves it open).
    d0_upstream_m, d0_downstream_m : float
        Decay lengths of ``exp(-d / d0)``: a supplier at ``d0`` scores 0.37. Materials
        move daily, so suppliers decay over 10 km; products ship less often and farther,
        so customers decay over 20 km.
    neighbour_radius_m : float
        Same-segment firms within this radius are counted as neighbours (a park's scale).
    neighbour_scale : float
        Neighbour score ``1 - exp(-count / scale)``: three neighbours give 0.63, and each
        further one adds less (agglomeration benefits saturate).
    dirichlet_concentration : float
        Robustness draws weights from ``Dirichlet(concentration * w)``: the mean is the
        configured ``w``; 20 moves a weight of 0.25 by about +/- 0.09 (one standard
        deviation), the size of a reasonable disagreement between planners.
    draws : int
        Number of Dirichlet draws.
    """

    weights: dict[str, float] = field(
        default_factory=lambda: {
            "zoning": 0.40,
            "upstream": 0.25,
            "downstream": 0.15,
            "neighbours": 0.20,
        }
    )
    zoning_scores: dict[str, float] = field(
        default_factory=lambda: {
            "designated": 1.0,
            "other_area": 0.0,
            "outside": 0.25,
            "no_designated_area": 0.5,
        }
    )
    d0_upstream_m: float = 10_000.0
    d0_downstream_m: float = 20_000.0
    neighbour_radius_m: float = 5000.0
    neighbour_scale: float = 3.0
    dirichlet_concentration: float = 20.0
    draws: int = 1000

    def __post_init__(self) -> None:
        problems: list[str] = []
        unknown = sorted(set(self.weights) - set(CRITERIA))
        if unknown:
            problems.append(f"unknown criteria in `weights`: {unknown}; valid: {list(CRITERIA)}")
        if any(not (v >= 0) for v in self.weights.values()):
            problems.append(f"`weights` must be >= 0, got {self.weights}")
        if not sum(self.weights.get(c, 0.0) for c in CRITERIA) > 0:
            problems.append("at least one weight must be positive")
        problems.extend(
            f"`{name}` must be a positive number of metres"
            for name in ("d0_upstream_m", "d0_downstream_m", "neighbour_radius_m")
            if not getattr(self, name) > 0
        )
        if not self.neighbour_scale > 0 or not self.dirichlet_concentration > 0:
            problems.append("`neighbour_scale` and `dirichlet_concentration` must be > 0")
        if self.draws < 1:
            problems.append("`draws` must be at least 1")
        if problems:
            raise ValueError("invalid score configuration: " + "; ".join(problems))

    def weight_vector(self) -> list[float]:
        """Return the weights in :data:`CRITERIA` order (missing criteria weigh 0)."""
        return [float(self.weights.get(c, 0.0)) for c in CRITERIA]


score_config: ScoreConfig = ScoreConfig()
"""The weights and decay parameters used when a function is given no ``config``; its
``draws`` (1000) is the number of weight draws of every robustness range, in the app and on
the command line alike."""

robustness_seed: int = 0
"""Seed of the weight draws when a function is given no ``seed``. The app and
``zoning site`` both read it (with ``score_config.draws``), so the same site gets the same
range wherever it is scored; ``zoning site --seed`` overrides it for one run."""

score_bands: tuple[float, float] = (40.0, 65.0)
"""Scores below the first value read as 不适合 / unsuitable, from it up to the second as
一般 / fair, from the second on as 适合 / suitable (an excluded site is unsuitable). Zoning
fit alone gives a designated site 40 points: below 40 a site is either outside its area or
far from every partner; 65 needs the right area plus suppliers within about 10 km or a
park of same-segment neighbours."""

site_far_m: float = 50_000.0
"""A supplier or customer farther than 50 km is reported as "none within 50 km": at that
distance a supplier adds under 1 % of its criterion (``exp(-50 / 10)``), a customer under
10 %, and a firm that far is not a local partner (compare :data:`supplier_threshold_m`)."""
