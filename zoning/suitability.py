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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo import InputError
from geo.crs import WGS84, WORKING, convert, normalise_coord_system
from geo.grid import grid
from layers.i18n import LANGS, Lang, join, t, term
from zoning import settings
from zoning._common import (
    FloatArray,
    area_designation,
    chain_neighbours,
    from_working_xy,
    load_areas,
    load_chain,
    load_enterprises,
    located_xy,
    segment_names,
    to_working_xy,
    validate_segment,
    working_shapes,
)
from zoning._locate import locate
from zoning.settings import CRITERIA

__all__ = ["Robustness", "SiteScore", "rank_sites", "site_score", "suitability_grid"]

Constraints: TypeAlias = (
    gpd.GeoDataFrame | Mapping[str, gpd.GeoDataFrame] | Sequence[gpd.GeoDataFrame]
)

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


class _Scorer:
    """Everything about one segment that does not depend on the site, built once."""

    def __init__(
        self,
        segment: str,
        *,
        enterprises: gpd.GeoDataFrame | None,
        areas: gpd.GeoDataFrame | None,
        rules: Any,
        chain: pd.DataFrame | None,
        constraints: Constraints | None,
        weights: Mapping[str, float] | None,
        config: settings.ScoreConfig | None,
    ) -> None:
        self.chain = load_chain(chain)
        self.segment = validate_segment(segment, self.chain)
        cfg = config or settings.score_config
        if weights is not None:
            cfg = settings.ScoreConfig(
                weights=dict(weights),
                zoning_scores=cfg.zoning_scores,
                d0_upstream_m=cfg.d0_upstream_m,
                d0_downstream_m=cfg.d0_downstream_m,
                neighbour_radius_m=cfg.neighbour_radius_m,
                neighbour_scale=cfg.neighbour_scale,
                dirichlet_concentration=cfg.dirichlet_concentration,
                draws=cfg.draws,
            )
        self.cfg = cfg
        self.areas = load_areas(areas, rules)
        firms = load_enterprises(enterprises)
        self.firms = firms
        up, down = chain_neighbours(self.chain)
        self.up = tuple(s for s in up.get(self.segment, ()) if s != self.segment)
        self.down = tuple(s for s in down.get(self.segment, ()) if s != self.segment)
        lon, lat, ok = located_xy(firms)
        x, y = to_working_xy(lon, lat)
        seg = firms["segment"].astype("string").fillna("").to_numpy(dtype=object)
        self.trees: dict[str, tuple[cKDTree | None, npt.NDArray[np.intp]]] = {}
        for s in {*self.up, *self.down, self.segment}:
            rows = np.flatnonzero(ok & (seg == s))
            tree = cKDTree(np.column_stack([x[rows], y[rows]])) if len(rows) else None
            self.trees[s] = (tree, rows)
        self.fx, self.fy, self.flon, self.flat = x, y, lon, lat
        self.area_keys = [str(k) for k in self.areas.index]
        self.designated = area_designation(self.areas).get(self.segment, ())
        self.shapes = self.areas.geometry.to_numpy()
        self.shapes_working = working_shapes(self.areas)
        self.constraints = _constraint_layers(constraints)
        # Applicability is a property of the segment, the same for every site.
        self.applies = np.array([True, bool(self.up), bool(self.down), True])
        w = np.array(cfg.weight_vector()) * self.applies
        if not w.sum() > 0:
            msg = (
                f"every weighted criterion is inapplicable for {self.segment!r}: give "
                "`zoning` or `neighbours` a positive weight"
            )
            raise ValueError(msg)
        self.w = w / w.sum()

    # --- the vectorised core ---------------------------------------------------------
    def evaluate(self, lon: FloatArray, lat: FloatArray, *, reasons: bool = True) -> dict[str, Any]:
        """Criteria for many sites at once (WGS 84 degrees).

        With ``reasons=False`` (grids) exclusions are flagged without their texts.
        """
        n = len(lon)
        x, y = to_working_xy(lon, lat)
        inside, _ = locate(lon, lat, np.zeros(n), self.shapes, self.shapes_working)
        desig_cols = np.array([k in self.designated for k in self.area_keys], dtype=bool)
        in_desig = (inside & desig_cols).any(axis=1) if len(desig_cols) else np.zeros(n, bool)
        in_any = inside.any(axis=1) if inside.shape[1] else np.zeros(n, bool)
        if self.designated:
            zclass = np.where(in_desig, "designated", np.where(in_any, "other_area", "outside"))
        else:
            zclass = np.full(n, "no_designated_area")
        zs = self.cfg.zoning_scores
        zoning = np.zeros(n)
        for name, value in zs.items():
            zoning[zclass == name] = value

        up_d = self._nearest(self.up, x, y)
        down_d = self._nearest(self.down, x, y)
        up_v = _decay(up_d, self.cfg.d0_upstream_m)
        down_v = _decay(down_d, self.cfg.d0_downstream_m)

        tree, _ = self.trees[self.segment]
        if tree is None:
            count = np.zeros(n)
        else:
            pts = np.column_stack([x, y])
            count = np.asarray(
                tree.query_ball_point(pts, r=self.cfg.neighbour_radius_m, return_length=True),
                dtype=np.float64,
            )
        neigh = 1.0 - np.exp(-count / self.cfg.neighbour_scale)
        values = np.column_stack([zoning, up_v, down_v, neigh])
        raw_up = _mean_finite(up_d)
        raw_down = _mean_finite(down_d)
        raw = np.column_stack([zoning, raw_up, raw_down, count])
        excluded, why_en, why_zh = self._exclusions(lon, lat, reasons=reasons)
        # Inapplicable criteria are NaN with weight 0: they must add nothing.
        score = 100.0 * np.nan_to_num(values) @ self.w
        score = np.where(excluded, 0.0, np.clip(score, 0.0, 100.0))
        return {
            "x": x,
            "y": y,
            "inside": inside,
            "zoning": zclass,
            "values": values,
            "raw": raw,
            "up_d": up_d,
            "down_d": down_d,
            "count": count,
            "excluded": excluded,
            "why_en": why_en,
            "why_zh": why_zh,
            "score": score,
        }

    def _nearest(self, segments: tuple[str, ...], x: FloatArray, y: FloatArray) -> FloatArray:
        """Distance (m) from each site to the nearest firm of each segment (inf: none)."""
        out = np.full((len(x), len(segments)), np.inf)
        for j, s in enumerate(segments):
            tree, _ = self.trees[s]
            if tree is not None and len(x):
                out[:, j], _ = tree.query(np.column_stack([x, y]), k=1)
        return out

    def nearest_table(self, segments: tuple[str, ...], x: float, y: float) -> pd.DataFrame:
        rows = []
        for s in segments:
            tree, members = self.trees[s]
            if tree is None:
                rows.append((s, "", "", "", math.inf, math.nan, math.nan))
                continue
            d, i = tree.query([x, y], k=1)
            r = int(members[int(i)])
            firm = self.firms.iloc[r]
            rows.append(
                (
                    s,
                    str(firm.get("id", self.firms.index[r])),
                    str(firm.get("name_zh", "")),
                    str(firm.get("name_en", "")),
                    float(d),
                    float(self.flon[r]),
                    float(self.flat[r]),
                )
            )
        return pd.DataFrame(
            rows, columns=["segment", "id", "name_zh", "name_en", "distance_m", "lon", "lat"]
        )

    def _exclusions(
        self, lon: FloatArray, lat: FloatArray, *, reasons: bool
    ) -> tuple[npt.NDArray[np.bool_], list[list[str]], list[list[str]]]:
        n = len(lon)
        excluded = np.zeros(n, dtype=bool)
        why_en: list[list[str]] = [[] for _ in range(n if reasons else 0)]
        why_zh: list[list[str]] = [[] for _ in range(n if reasons else 0)]
        if not self.constraints or n == 0:
            return excluded, why_en, why_zh
        pts = shapely.points(lon, lat)
        for layer, gdf in self.constraints:
            tree = shapely.STRtree(gdf.geometry.to_numpy())
            site_i, feat_i = tree.query(pts, predicate="intersects")
            excluded[site_i] = True
            if not reasons:
                continue
            for si, fi in zip(site_i.tolist(), feat_i.tolist(), strict=True):
                en, zh = _constraint_text(layer, gdf.iloc[fi])
                why_en[si].append(en)
                why_zh[si].append(zh)
        return excluded, why_en, why_zh

    def draws(self, draws: int | None, seed: int) -> FloatArray:
        """Dirichlet weight draws over the applicable criteria, shape (draws, 4)."""
        k = int(draws if draws is not None else self.cfg.draws)
        if k < 1:
            msg = f"`draws` must be at least 1, got {k}"
            raise ValueError(msg)
        rng = np.random.default_rng(seed)
        active = self.w > 0
        alpha = self.cfg.dirichlet_concentration * self.w[active]
        out = np.zeros((k, len(self.w)))
        out[:, active] = rng.dirichlet(alpha, size=k)
        return out


def _decay(dist: FloatArray, d0: float) -> FloatArray:
    """Mean over columns of exp(-d / d0); NaN when there are no columns (not applicable)."""
    if dist.shape[1] == 0:
        return np.full(dist.shape[0], np.nan)
    return np.asarray(np.exp(-dist / d0).mean(axis=1), dtype=np.float64)


def _mean_finite(dist: FloatArray) -> FloatArray:
    if dist.shape[1] == 0:
        return np.full(dist.shape[0], np.nan)
    finite = np.where(np.isfinite(dist), dist, np.nan)
    with np.errstate(all="ignore"):
        counts = np.isfinite(finite).sum(axis=1)
        total = np.nansum(finite, axis=1)
    return np.where(counts > 0, total / np.maximum(counts, 1), np.inf)


def _constraint_layers(constraints: Constraints | None) -> list[tuple[str, gpd.GeoDataFrame]]:
    if constraints is None:
        return []
    if isinstance(constraints, gpd.GeoDataFrame):
        items: list[tuple[str, gpd.GeoDataFrame]] = [("constraint", constraints)]
    elif isinstance(constraints, Mapping):
        items = [(str(k), v) for k, v in constraints.items()]
    else:
        items = [(f"constraint {i + 1}", v) for i, v in enumerate(constraints)]
    out = []
    for name, gdf in items:
        if not isinstance(gdf, gpd.GeoDataFrame):
            msg = f"constraint layer {name!r} must be a GeoDataFrame, got {type(gdf).__name__}"
            raise InputError(msg)
        if gdf.crs is None:
            msg = f"constraint layer {name!r} has no CRS: declare it with `set_crs(...)`"
            raise InputError(msg)
        out.append((name, gdf.to_crs(WGS84)))
    return out


def _constraint_text(layer: str, feature: pd.Series) -> tuple[str, str]:
    def pick(*cols: str) -> str:
        for c in cols:
            v = feature.get(c)
            if v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v):
                return str(v)
        return ""

    def text(lang: Lang) -> str:
        other = "en" if lang == "zh" else "zh"
        name = pick(f"name_{lang}", "name", f"name_{other}")
        why = pick(f"reason_{lang}", "reason", f"reason_{other}")
        return (
            t("reason.site.constraint", lang, layer=layer)
            + (t("reason.site.constraint_name", lang, name=name) if name else "")
            + (t("reason.site.constraint_why", lang, why=why) if why else "")
        )

    return text("en"), text("zh")


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
    seed: int = 0,
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
    seed : int
        Seed of the weight draws.

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
    sc = _Scorer(
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
    zh, en = _explain(sc, ev, crit, robust, suppliers, customers, float(wx[0]), float(wy[0]))
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


def _criteria_table(sc: _Scorer, ev: dict[str, Any], i: int) -> pd.DataFrame:
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


def _km(d: float, lang: Lang) -> str:
    if math.isfinite(d):
        return t("unit.km", lang, km=d / 1000)
    return t("reason.site.none_in_data", lang)


def _explain(  # noqa: PLR0917  (private: the parts of one answer)
    sc: _Scorer,
    ev: dict[str, Any],
    crit: pd.DataFrame,
    robust: Robustness,
    suppliers: pd.DataFrame,
    customers: pd.DataFrame,
    lon: float,
    lat: float,
) -> tuple[str, str]:
    seg = {lang: segment_names(sc.chain, [sc.segment], lang)[sc.segment] for lang in LANGS}
    area_name = {lang: sc.areas[f"name_{lang}"].astype(str).to_dict() for lang in LANGS}
    inside_keys = [k for k, hit in zip(sc.area_keys, ev["inside"][0], strict=True) if hit]
    score = float(ev["score"][0])
    out = {}
    for lang in LANGS:
        clauses = t("list.sep_clauses", lang)
        if bool(ev["excluded"][0]):
            why = clauses.join(ev[f"why_{lang}"][0])
            out[lang] = t("reason.site.excluded", lang, why=why)
            continue
        parts = [
            t(
                f"reason.site.{ev['zoning'][0]}",
                lang,
                areas=join((area_name[lang][k] for k in inside_keys), lang),
                desig=join((area_name[lang][k] for k in sc.designated), lang),
            )
        ]
        names_of = {s: segment_names(sc.chain, [s], lang)[s] for s in (*sc.up, *sc.down)}
        for table, crit_key in ((suppliers, "upstream"), (customers, "downstream")):
            if table.empty:
                continue
            near = join(
                (
                    f"{names_of[s]} {_km(d, lang)}"
                    for s, d in zip(table["segment"], table["distance_m"], strict=True)
                ),
                lang,
            )
            parts.append(t(f"reason.site.nearest_{crit_key}", lang, near=near))
        radius = _km(sc.cfg.neighbour_radius_m, lang)
        count = int(ev["count"][0])
        parts.append(t("reason.site.neighbours", lang, radius=radius, count=count, seg=seg[lang]))
        contrib = join(
            (
                f"{term('criterion', r.criterion, lang)} {r.contribution:.0f}"
                for r in crit.itertuples()
                if r.applies
            ),
            lang,
        )
        out[lang] = t(
            "reason.site.score",
            lang,
            seg=seg[lang],
            lon=lon,
            lat=lat,
            score=score,
            parts=clauses.join(parts),
            contrib=contrib,
            draws=robust.draws,
            p5=robust.p5,
            p95=robust.p95,
        )
    return out["zh"], out["en"]


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
    seed: int = 0,
) -> pd.DataFrame:
    """Score several candidate sites and say how often each keeps its rank.

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
        Aligned to ``sites``' index: ``score``, ``rank`` (1 = best, ties share the best
        rank), ``p5``, ``p95``, ``rank_stability`` (share of the weight draws in which
        the site has the same rank), ``excluded``, ``zoning``, ``reason_en``.
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
    sc = _Scorer(
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
    w_draws = sc.draws(draws, seed)
    drawn = 100.0 * np.nan_to_num(ev["values"]) @ w_draws.T  # sites x draws
    drawn = np.where(ev["excluded"][:, None], 0.0, np.clip(drawn, 0.0, 100.0))
    score = ev["score"]
    rank = rankdata(-score, method="min").astype(np.int64)
    ranks = rankdata(-drawn, method="min", axis=0).astype(np.int64)
    stability = (ranks == rank[:, None]).mean(axis=1) if len(score) else np.zeros(0)
    reasons = [
        "; ".join(ev["why_en"][i]) if ev["excluded"][i] else f"{ev['zoning'][i]}"
        for i in range(len(score))
    ]
    return pd.DataFrame(
        {
            "score": score,
            "rank": rank,
            "p5": np.percentile(drawn, 5, axis=1) if len(score) else np.zeros(0),
            "p95": np.percentile(drawn, 95, axis=1) if len(score) else np.zeros(0),
            "rank_stability": stability,
            "excluded": ev["excluded"],
            "zoning": ev["zoning"],
            "reason_en": reasons,
        },
        index=sites.index,
    )


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
    sc = _Scorer(
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
