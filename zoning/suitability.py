"""Site suitability: a transparent weighted score for a site and a segment.

Criteria (each normalised to [0, 1], see :class:`zoning.settings.ScoreConfig`):

``zoning``
    The plan's own rule: in an area designated for the segment, in an area for other
    segments, outside every area, or a segment with no designated area.
``upstream``
    For each segment that supplies this one, ``exp(-d / d0_upstream_m)`` with ``d`` the
    distance to its nearest firm (0 when none exists); the mean over those segments.
``downstream``
    The same for the segments this one supplies (its customers), over ``d0_downstream_m``.
``neighbours``
    ``1 - exp(-count / neighbour_scale)`` with ``count`` the same-segment firms within
    ``neighbour_radius_m``.

A criterion that cannot apply (a segment nobody supplies has no ``upstream``) is left out
and the other weights renormalised. ``score = 100 * sum(w * value) / sum(w)``, in [0, 100];
a site inside any constraint feature is excluded and scores 0, with the reason. Moving a
supplier closer can only raise ``upstream`` and nothing else, so it never lowers a score.

Robustness: the weights are redrawn from ``Dirichlet(concentration * w)`` (seeded) and the
score recomputed for each draw; the 5th-95th percentile is reported, and for several sites
how often each keeps its rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import InputError
from geo.crs import WGS84, WORKING, convert, normalise_coord_system
from geo.grid import grid
from zoning import settings
from zoning._common import FloatArray, from_working_xy, located_xy, working_shapes
from zoning._scoring import Constraints, Scorer
from zoning._site_reasons import explain
from zoning.settings import CRITERIA

__all__ = [
    "BANDS",
    "Robustness",
    "SiteScore",
    "rank_sites",
    "score_band",
    "site_score",
    "suitability_grid",
]

BANDS: tuple[str, ...] = ("suitable", "fair", "unsuitable")
"""The plain-language bands of a score, best first (thresholds: :data:`settings.score_bands`)."""

_UNITS = {"zoning": "", "upstream": "m", "downstream": "m", "neighbours": "firms"}


@dataclass(frozen=True)
class Robustness:
    """Spread of the score when the weights move (Dirichlet draws around the config)."""

    p5: float
    p95: float
    mean: float
    draws: int
    seed: int


@dataclass(frozen=True)
class SiteScore:
    """The score of one site for one segment, with everything needed to explain it.

    Attributes
    ----------
    segment, lon, lat : the question (lon/lat in WGS 84 after conversion).
    score : float in [0, 100] (0 when excluded).
    criteria : DataFrame with ``criterion``, ``raw``, ``unit``, ``normalised`` (0-1),
        ``weight`` (renormalised over the criteria that apply), ``contribution`` (points
        of the score), ``applies``.
    excluded : bool; ``exclusion_reasons`` (English) and ``exclusion_reasons_zh``.
    area : tuple of the keys of the agglomeration areas holding the site.
    zoning : ``designated`` | ``other_area`` | ``outside`` | ``no_designated_area``.
    reason_zh, reason_en : why the score is what it is.
    robustness : :class:`Robustness`.
    suppliers, customers : nearest firm of each supplying / customer segment (``segment``,
        ``id``, ``name_zh``, ``name_en``, ``distance_m``, ``lon``, ``lat``), for drawing.
    """

    segment: str
    lon: float
    lat: float
    score: float
    criteria: pd.DataFrame
    excluded: bool
    exclusion_reasons: tuple[str, ...]
    exclusion_reasons_zh: tuple[str, ...]
    area: tuple[str, ...]
    zoning: str
    reason_zh: str
    reason_en: str
    robustness: Robustness
    suppliers: pd.DataFrame = field(repr=False)
    customers: pd.DataFrame = field(repr=False)

    @property
    def band(self) -> str:
        """The score in plain words (:func:`score_band`): suitable, fair or unsuitable."""
        return score_band(self.score, excluded=self.excluded)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (non-finite numbers become None)."""

        def clean(v: Any) -> Any:
            if isinstance(v, float | np.floating):
                return float(v) if math.isfinite(v) else None
            if isinstance(v, np.bool_ | np.integer):
                return v.item()
            return v

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{str(k): clean(v) for k, v in r.items()} for r in df.to_dict("records")]

        return {
            "segment": self.segment,
            "lon": self.lon,
            "lat": self.lat,
            "score": clean(self.score),
            "band": self.band,
            "excluded": self.excluded,
            "exclusion_reasons": list(self.exclusion_reasons),
            "exclusion_reasons_zh": list(self.exclusion_reasons_zh),
            "area": list(self.area),
            "zoning": self.zoning,
            "reason_zh": self.reason_zh,
            "reason_en": self.reason_en,
            "robustness": {k: clean(v) for k, v in vars(self.robustness).items()},
            "criteria": records(self.criteria),
            "suppliers": records(self.suppliers),
            "customers": records(self.customers),
        }

    def summary(self, lang: str = "en") -> str:
        """Return the score, the reason and the criteria table as plain text."""
        reason = self.reason_zh if lang == "zh" else self.reason_en
        table = self.criteria[["criterion", "raw", "unit", "normalised", "weight", "contribution"]]
        return f"{reason}\n{table.to_string(index=False, float_format=lambda v: f'{v:.3g}')}"


def _to_wgs84(lon: Any, lat: Any, coord_system: str) -> tuple[FloatArray, FloatArray]:
    from layers.settings import BOUNDS

    system = normalise_coord_system(coord_system)
    x = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    y = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    wx, wy = convert(x, y, src=system, dst="wgs84")
    wx, wy = np.atleast_1d(wx), np.atleast_1d(wy)
    lo_x, lo_y, hi_x, hi_y = BOUNDS
    bad = ~((wx >= lo_x) & (wx <= hi_x) & (wy >= lo_y) & (wy <= hi_y))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        swapped = lo_x <= y[i] <= hi_x and lo_y <= x[i] <= hi_y
        hint = " (longitude and latitude look swapped)" if swapped else ""
        msg = (
            f"site ({x[i]}, {y[i]}) in {system} lies outside Nanchang's extent "
            f"{BOUNDS} (lon_min, lat_min, lon_max, lat_max){hint}: give longitude "
            "first, in degrees, and the right `coord_system` (wgs84, gcj02 or bd09)"
        )
        raise ValueError(msg)
    return wx, wy


def site_score(
    lon: float,
    lat: float,
    segment: str,
    *,
    coord_system: str = "wgs84",
    weights: Mapping[str, float] | None = None,
    enterprises: gpd.GeoDataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    constraints: Constraints | None = None,
    config: settings.ScoreConfig | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> SiteScore:
    """Score a candidate site for a segment, explain it, and say how robust it is.

    Parameters
    ----------
    lon, lat : float
        The site, in ``coord_system`` (converted to WGS 84 exactly).
    segment : str
        Chain key of the firm to be sited (``ValueError`` lists the valid keys and the
        nearest match when unknown).
    coord_system : {"wgs84", "gcj02", "bd09"}
        Any spelling :func:`geo.crs.normalise_coord_system` accepts (Amap: gcj02).
    weights : mapping, optional
        Criterion weights (``zoning``, ``upstream``, ``downstream``, ``neighbours``);
        default: those of ``config``.
    enterprises, areas, rules, chain : optional
        Default: the shipped layers.
    constraints : GeoDataFrame, mapping of name to GeoDataFrame, or list, optional
        Hard exclusions (protected land, flood zones...). Optional feature columns
        ``name``/``name_zh``/``name_en`` and ``reason``/``reason_zh``/``reason_en`` are
        quoted in the reason. A site on a constraint's edge counts as inside.
    config : ScoreConfig, optional
        Decay lengths, neighbour radius, Dirichlet concentration and draws (default
        :data:`zoning.settings.score_config`, read at the call).
    draws : int, optional
        Number of Dirichlet weight draws (default ``config.draws``, 1000).
    seed : int, optional
        Seed of the weight draws (default :data:`zoning.settings.robustness_seed`, read at
        the call: the app and ``zoning site`` give the same site the same range).

    Returns
    -------
    SiteScore

    Raises
    ------
    ValueError
        Unknown segment, or a site outside Nanchang's extent (the message says which
        and how to fix it).

    Examples
    --------
    >>> import zoning
    >>> s = zoning.site_score(115.94, 28.56, "copper_foil")  # doctest: +SKIP
    >>> print(s.reason_en)  # doctest: +SKIP
    """
    wx, wy = _to_wgs84(lon, lat, coord_system)
    sc = Scorer(
        segment,
        enterprises=enterprises,
        areas=areas,
        rules=rules,
        chain=chain,
        constraints=constraints,
        weights=weights,
        config=config,
    )
    ev = sc.evaluate(wx, wy)
    seed = settings.robustness_seed if seed is None else seed
    w_draws = sc.draws(draws, seed)
    excluded = bool(ev["excluded"][0])
    values = ev["values"][0]
    base = 100.0 * np.nan_to_num(values) @ w_draws.T
    dist = np.zeros_like(base) if excluded else np.clip(base, 0.0, 100.0)
    robust = Robustness(
        p5=float(np.percentile(dist, 5)),
        p95=float(np.percentile(dist, 95)),
        mean=float(dist.mean()),
        draws=len(w_draws),
        seed=seed,
    )
    crit = _criteria_table(sc, ev, 0)
    area = tuple(k for k, hit in zip(sc.area_keys, ev["inside"][0], strict=True) if hit)
    suppliers = sc.nearest_table(sc.up, float(ev["x"][0]), float(ev["y"][0]))
    customers = sc.nearest_table(sc.down, float(ev["x"][0]), float(ev["y"][0]))
    score = float(ev["score"][0])
    zh, en = explain(
        sc,
        ev,
        crit,
        robust,
        suppliers,
        customers,
        where=(float(wx[0]), float(wy[0])),
        typed=(float(lon), float(lat), normalise_coord_system(coord_system)),
    )
    return SiteScore(
        segment=sc.segment,
        lon=float(wx[0]),
        lat=float(wy[0]),
        score=score,
        criteria=crit,
        excluded=excluded,
        exclusion_reasons=tuple(ev["why_en"][0]),
        exclusion_reasons_zh=tuple(ev["why_zh"][0]),
        area=area,
        zoning=str(ev["zoning"][0]),
        reason_zh=zh,
        reason_en=en,
        robustness=robust,
        suppliers=suppliers,
        customers=customers,
    )


def _criteria_table(sc: Scorer, ev: dict[str, Any], i: int) -> pd.DataFrame:
    values = ev["values"][i]
    raw = ev["raw"][i]
    rows = []
    for j, c in enumerate(CRITERIA):
        applies = bool(sc.applies[j])
        v = float(values[j]) if applies else math.nan
        rows.append(
            {
                "criterion": c,
                "raw": str(ev["zoning"][i]) if c == "zoning" else float(raw[j]),
                "unit": _UNITS[c],
                "normalised": v,
                "weight": float(sc.w[j]),
                "contribution": 100.0 * float(sc.w[j]) * v if applies else 0.0,
                "applies": applies,
            }
        )
    return pd.DataFrame(rows)


def rank_sites(
    sites: pd.DataFrame,
    segment: str,
    *,
    lon: str = "lon",
    lat: str = "lat",
    coord_system: str = "wgs84",
    weights: Mapping[str, float] | None = None,
    enterprises: gpd.GeoDataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    constraints: Constraints | None = None,
    config: settings.ScoreConfig | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Score several candidate sites, rank them honestly and say how stable the ranks are.

    Scores are compared in whole points, as they are shown: sites whose scores round to
    the same number share a rank (two sites of 51 are both ranked 1, the next is 3), and
    for them the weight draws say how often each comes out ahead of the others, level, or
    behind, instead of a stability that a tie would make meaningless.

    Parameters
    ----------
    sites : DataFrame or GeoDataFrame
        Columns ``lon`` and ``lat`` (names configurable) in ``coord_system``, or a
        GeoDataFrame of points (any CRS; ``coord_system`` is then ignored).
    segment, weights, enterprises, areas, rules, chain, constraints, config, draws, seed
        As for :func:`site_score`.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``sites``' index: ``score``, ``band`` (:func:`score_band`), ``rank``
        (1 = best; equal whole-point scores share the best rank), ``tied_with`` (tuple
        of the index labels sharing the rank), ``p5``, ``p95``, ``rank_stability``
        (share of the weight draws in which the site has the same rank),
        ``ahead_share``, ``level_share``, ``behind_share`` (for tied sites: share of the
        draws in which it scores above every site it is tied with, equal to the best of
        them, or below one; NaN when not tied), ``excluded``, ``zoning``, ``reason_en``,
        and per criterion ``<criterion>_value`` (the zoning class, the mean distance in
        metres to the nearest suppliers / customers, the neighbour count; NaN where the
        criterion does not apply) and ``<criterion>_points`` (its points of the score).

    Examples
    --------
    >>> import pandas as pd, zoning
    >>> sites = pd.DataFrame({"lon": [115.94, 115.94], "lat": [28.56, 28.56]})
    >>> ranked = zoning.rank_sites(sites, "copper_foil", draws=50)  # doctest: +SKIP
    >>> ranked["rank"].tolist(), ranked["level_share"].tolist()  # doctest: +SKIP
    ([1, 1], [1.0, 1.0])
    """
    from scipy.stats import rankdata  # slow to import: only when ranking

    if isinstance(sites, gpd.GeoDataFrame) and sites.geometry.notna().any():
        wx, wy, ok = located_xy(sites)
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            msg = f"site {sites.index[i]!r} has no usable point geometry"
            raise InputError(msg)
        wx, wy = _to_wgs84(wx, wy, "wgs84")
    else:
        missing = [c for c in (lon, lat) if c not in sites.columns]
        if missing:
            msg = f"`sites` lacks the column(s) {missing}: give lon/lat or a GeoDataFrame"
            raise InputError(msg)
        wx, wy = _to_wgs84(sites[lon].to_numpy(float), sites[lat].to_numpy(float), coord_system)
    sc = Scorer(
        segment,
        enterprises=enterprises,
        areas=areas,
        rules=rules,
        chain=chain,
        constraints=constraints,
        weights=weights,
        config=config,
    )
    ev = sc.evaluate(wx, wy)
    w_draws = sc.draws(draws, settings.robustness_seed if seed is None else seed)
    drawn = 100.0 * np.nan_to_num(ev["values"]) @ w_draws.T  # sites x draws
    drawn = np.where(ev["excluded"][:, None], 0.0, np.clip(drawn, 0.0, 100.0))
    score = ev["score"]
    n = len(score)
    # Whole points, as shown: a difference the reader cannot see is no ranking.
    shown, shown_draws = np.round(score), np.round(drawn)
    rank = rankdata(-shown, method="min").astype(np.int64)
    ranks = rankdata(-shown_draws, method="min", axis=0).astype(np.int64)
    stability = (ranks == rank[:, None]).mean(axis=1) if n else np.zeros(0)
    labels = list(sites.index)
    tied_with: list[tuple[Any, ...]] = []
    ahead, level, behind = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    for i in range(n):
        others = [j for j in range(n) if j != i and rank[j] == rank[i]]
        tied_with.append(tuple(labels[j] for j in others))
        if others:
            best_other = shown_draws[others].max(axis=0)
            ahead[i] = float((shown_draws[i] > best_other).mean())
            level[i] = float((shown_draws[i] == best_other).mean())
            behind[i] = float((shown_draws[i] < best_other).mean())
    reasons = [
        "; ".join(ev["why_en"][i]) if ev["excluded"][i] else f"{ev['zoning'][i]}" for i in range(n)
    ]
    out = pd.DataFrame(
        {
            "score": score,
            "band": [
                score_band(v, excluded=bool(x)) for v, x in zip(score, ev["excluded"], strict=True)
            ],
            "rank": rank,
            "tied_with": pd.Series(tied_with, dtype=object).to_numpy(),
            "p5": np.percentile(drawn, 5, axis=1) if n else np.zeros(0),
            "p95": np.percentile(drawn, 95, axis=1) if n else np.zeros(0),
            "rank_stability": stability,
            "ahead_share": ahead,
            "level_share": level,
            "behind_share": behind,
            "excluded": ev["excluded"],
            "zoning": ev["zoning"],
            "reason_en": reasons,
        },
        index=sites.index,
    )
    for j, c in enumerate(CRITERIA):
        applies = bool(sc.applies[j])
        if c == "zoning":
            value: Any = ev["zoning"]
        else:
            value = ev["raw"][:, j] if applies else np.full(n, np.nan)
        out[f"{c}_value"] = value
        points = 100.0 * float(sc.w[j]) * np.nan_to_num(ev["values"][:, j])
        out[f"{c}_points"] = np.where(ev["excluded"], 0.0, points)
    return out


def score_band(score: float, *, excluded: bool = False) -> str:
    """Say a score in plain words: ``"suitable"``, ``"fair"`` or ``"unsuitable"``.

    Thresholds are :data:`zoning.settings.score_bands` (read at the call), compared in
    whole points as the score is shown; an excluded site is unsuitable whatever it scores.

    Examples
    --------
    >>> score_band(72), score_band(64.6), score_band(50), score_band(39.4)
    ('suitable', 'suitable', 'fair', 'unsuitable')
    >>> score_band(90, excluded=True)
    'unsuitable'
    """
    low, high = settings.score_bands
    shown = round(float(score))
    if excluded or shown < low:
        return "unsuitable"
    return "suitable" if shown >= high else "fair"


def suitability_grid(
    segment: str,
    *,
    cell_m: float | None = None,
    extent: gpd.GeoDataFrame | gpd.GeoSeries | tuple[float, float, float, float] | None = None,
    weights: Mapping[str, float] | None = None,
    enterprises: gpd.GeoDataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    constraints: Constraints | None = None,
    config: settings.ScoreConfig | None = None,
) -> gpd.GeoDataFrame:
    """Compute the site score over square cells, for a map.

    Parameters
    ----------
    segment : str
        Chain key.
    cell_m : float, optional
        Cell edge in metres (cells from :func:`geo.grid.grid`, centre inside the extent);
        default :data:`zoning.settings.grid_cell_m`, read at the call.
    extent : GeoDataFrame, GeoSeries or (lon_min, lat_min, lon_max, lat_max), optional
        What to cover (WGS 84 for the tuple); default: the union of the areas.
    weights, enterprises, areas, rules, chain, constraints, config
        As for :func:`site_score`.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per cell: ``row``, ``col``, ``x``, ``y`` (centre in EPSG:4548),
        ``lon``, ``lat`` (centre in WGS 84), ``score``, ``excluded``, ``zoning_class``
        (as :attr:`SiteScore.zoning`) and one column per criterion (``zoning``,
        ``upstream``, ``downstream``, ``neighbours``) with its normalised value (NaN when
        it does not apply); each score equals :func:`site_score` at the cell centre.
    """
    sc = Scorer(
        segment,
        enterprises=enterprises,
        areas=areas,
        rules=rules,
        chain=chain,
        constraints=constraints,
        weights=weights,
        config=config,
    )
    if extent is None:
        cover = gpd.GeoDataFrame(geometry=sc.areas.geometry)
    elif isinstance(extent, tuple):
        cover = gpd.GeoDataFrame(geometry=[shapely.box(*extent)], crs=WGS84)
    else:
        if extent.crs is None:
            msg = "`extent` has no CRS: declare it with `set_crs('EPSG:4326')`"
            raise InputError(msg)
        cover = gpd.GeoDataFrame(geometry=extent.to_crs(WGS84).geometry)
    edge = settings.grid_cell_m if cell_m is None else cell_m
    cells = grid(gpd.GeoSeries(working_shapes(cover), crs=WORKING), edge)
    clon, clat = from_working_xy(cells["x"].to_numpy(), cells["y"].to_numpy())
    ev = sc.evaluate(clon, clat, reasons=False)
    out = cells.drop(columns="geometry").assign(lon=clon, lat=clat)
    out["score"] = ev["score"]
    out["excluded"] = ev["excluded"]
    out["zoning_class"] = ev["zoning"]
    for j, c in enumerate(CRITERIA):
        out[c] = ev["values"][:, j] if sc.applies[j] else np.nan
    return gpd.GeoDataFrame(out, geometry=cells.geometry.to_crs(WGS84).to_numpy(), crs=WGS84)
