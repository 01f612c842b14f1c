"""The evaluation behind :mod:`zoning.suitability`: one segment's criteria at many sites.

:class:`Scorer` holds everything about a segment that does not depend on the site, built
once per call of :func:`~zoning.site_score`, :func:`~zoning.rank_sites` or
:func:`~zoning.suitability_grid`: the supplying and customer segments, a k-d tree per
segment over the located firms (in EPSG:4548 metres), the agglomeration areas and the
constraint layers, and the weights renormalised over the criteria that apply. Its
:meth:`Scorer.evaluate` then computes the four criteria (defined in
:mod:`zoning.suitability`), the exclusions and the score for any number of sites at once,
so a single site and a grid of cells take the same path. The texts that explain a score
live in :mod:`zoning._site_reasons`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo import InputError
from geo.crs import WGS84
from zoning import settings
from zoning._common import (
    FloatArray,
    area_designation,
    chain_neighbours,
    load_areas,
    load_chain,
    load_enterprises,
    located_xy,
    to_working_xy,
    validate_segment,
    working_shapes,
)
from zoning._locate import locate
from zoning._site_reasons import constraint_text

__all__ = ["Constraints", "Scorer"]

Constraints: TypeAlias = (
    gpd.GeoDataFrame | Mapping[str, gpd.GeoDataFrame] | Sequence[gpd.GeoDataFrame]
)


class Scorer:
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
                en, zh = constraint_text(layer, gdf.iloc[fi])
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
