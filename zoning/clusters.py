"""Where the industry actually sits: density clusters and agglomeration indices, in metres.

- :func:`clusters`: DBSCAN or HDBSCAN (scikit-learn) on EPSG:4548 coordinates, per segment,
  per stage or over all firms; cluster outlines, members, dominant segment and the share of
  members inside an area designated for their segment.
- :func:`clark_evans`: the nearest-neighbour ratio of a point pattern in an area, with
  its z-score.
- :func:`nearest_neighbour_ratios`: Clark-Evans per area and segment.
- :func:`location_quotients`: location quotients per area and segment, by count or by a
  size column (capacity, investment).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo import InputError
from geo.crs import WGS84, WORKING
from zoning import settings
from zoning._common import (
    area_designation,
    load_areas,
    load_chain,
    load_enterprises,
    located_xy,
    to_working_xy,
    working_shapes,
)
from zoning.check import membership

__all__ = [
    "ClarkEvans",
    "ClusterResult",
    "clark_evans",
    "clusters",
    "location_quotients",
    "nearest_neighbour_ratios",
]


@dataclass(frozen=True)
class ClusterResult:
    """Result of :func:`clusters`.

    Attributes
    ----------
    labels : pandas.Series
        Nullable integer cluster id per input row (input index): -1 is noise, <NA> is an
        unlocated row. Ids are unique across groups.
    summary : geopandas.GeoDataFrame
        One row per cluster id (index ``cluster``), EPSG:4326: ``group`` (segment or stage
        key, or ``"all"``), ``n_members``, ``dominant_segment``, ``dominant_share``,
        ``share_in_planned_area``, ``centre_lon``, ``centre_lat``, ``area_km2`` and the
        outline ``geometry``.

    The result unpacks: ``labels, summary = zoning.clusters(firms)``.
    """

    labels: pd.Series
    summary: gpd.GeoDataFrame

    def __iter__(self) -> Iterator[Any]:
        return iter((self.labels, self.summary))

    def text(self) -> str:
        """Return a plain-text summary, largest clusters first (for the command line)."""
        n_noise = int((self.labels == -1).sum())
        lines = [f"{len(self.summary)} clusters, {n_noise} firms left as noise"]
        for cid, row in self.summary.sort_values("n_members", ascending=False).iterrows():
            lines.append(
                f"  #{cid} {row['group']}: {row['n_members']} firms, mostly "
                f"{row['dominant_segment']} ({row['dominant_share']:.0%}), "
                f"{row['share_in_planned_area']:.0%} inside their planned area"
            )
        return "\n".join(lines)


def clusters(
    enterprises: gpd.GeoDataFrame,
    *,
    by: Literal["segment", "stage"] | None = "segment",
    method: Literal["dbscan", "hdbscan"] = "dbscan",
    eps_m: float | None = None,
    min_samples: int | None = None,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    seed: int = 0,
) -> ClusterResult:
    """Find density-based clusters of enterprises in metres.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with a ``segment`` column; unlocated rows get label <NA>.
    by : {"segment", "stage", None}
        Cluster each segment (or each chain stage) on its own, or all firms together.
    method : {"dbscan", "hdbscan"}
        ``sklearn.cluster.DBSCAN`` (radius ``eps_m``) or ``HDBSCAN`` (no radius; clusters
        of at least ``min_samples`` firms at whatever density they have).
    eps_m : float, optional
        DBSCAN radius in metres (default :data:`zoning.settings.cluster_eps_m`, 2 km).
    min_samples : int, optional
        Firms needed for a core point (DBSCAN) and the minimum cluster size (HDBSCAN)
        (default :data:`zoning.settings.cluster_min_samples`, 3).
    areas, rules, chain
        For the share inside the planned area and the stages (default: shipped layers;
        ``chain`` is only loaded when ``by="stage"``).
    seed : int
        Both algorithms are deterministic; rows are put in a canonical order (by
        coordinates, then a random tie-break drawn from ``seed``) before clustering, so
        labels never depend on the input's row order.

    Returns
    -------
    ClusterResult
        Labels aligned to the input and the clusters table.
    """
    # scikit-learn takes about a second to import: only when clustering is asked for.
    from sklearn.cluster import DBSCAN, HDBSCAN

    enterprises = load_enterprises(enterprises)
    if by not in ("segment", "stage", None):
        msg = f"`by` must be 'segment', 'stage' or None, got {by!r}"
        raise ValueError(msg)
    if method not in ("dbscan", "hdbscan"):
        msg = f"`method` must be 'dbscan' or 'hdbscan', got {method!r}"
        raise ValueError(msg)
    # Settings are read here, at the call, so a changed setting applies to the next call.
    eps_m = settings.cluster_eps_m if eps_m is None else eps_m
    min_samples = settings.cluster_min_samples if min_samples is None else min_samples
    if not eps_m > 0 or min_samples < 1:
        msg = f"`eps_m` must be > 0 and `min_samples` >= 1, got {eps_m!r}, {min_samples!r}"
        raise ValueError(msg)
    areas = load_areas(areas, rules)
    lon, lat, located = located_xy(enterprises)
    x, y = to_working_xy(lon, lat)
    seg = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    if by == "stage":
        stages = load_chain(chain)["stage"]
        group = pd.Series(seg).map(stages).fillna("unknown").astype(str).to_numpy(dtype=object)
    elif by == "segment":
        group = seg.astype(object)
    else:
        group = np.full(len(seg), "all", dtype=object)

    rng = np.random.default_rng(seed)
    tie = rng.random(len(x))
    labels = np.full(len(x), -1, dtype=np.int64)
    group_of: list[str] = []
    next_id = 0
    for g in sorted({str(v) for v in group[located]}):
        rows = np.flatnonzero(located & (group == g))
        # Canonical order: labels must not depend on how the input happened to be sorted.
        order = rows[np.lexsort((tie[rows], y[rows], x[rows]))]
        if len(order) < max(min_samples, 2):
            continue
        xy = np.column_stack([x[order], y[order]])
        if method == "dbscan":
            lab = DBSCAN(eps=eps_m, min_samples=min_samples).fit_predict(xy)
        else:
            lab = HDBSCAN(min_cluster_size=max(min_samples, 2), copy=True).fit_predict(xy)
        # Renumber this group's clusters after the previous groups' (noise stays -1).
        n_found = int(lab.max(initial=-1)) + 1
        labels[order] = np.where(lab >= 0, lab + next_id, -1)
        group_of.extend([g] * n_found)
        next_id += n_found

    series = pd.Series(
        pd.array(np.where(located, labels, 0), dtype="Int64"), index=enterprises.index
    )
    series[~located] = pd.NA
    table = _cluster_table(
        enterprises, areas, labels, located, seg, x, y, group_of, lon=lon, lat=lat
    )
    return ClusterResult(labels=series, summary=table)


def _cluster_table(  # noqa: PLR0917  (private: the arrays of one call)
    enterprises: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    labels: np.ndarray[Any, Any],
    located: np.ndarray[Any, Any],
    seg: np.ndarray[Any, Any],
    x: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    group_of: list[str],
    *,
    lon: np.ndarray[Any, Any],
    lat: np.ndarray[Any, Any],
) -> gpd.GeoDataFrame:
    n_clusters = len(group_of)
    member = located & (labels >= 0)
    idx = np.flatnonzero(member)
    cols = [
        "group",
        "n_members",
        "dominant_segment",
        "dominant_share",
        "share_in_planned_area",
        "centre_lon",
        "centre_lat",
        "area_km2",
    ]
    if n_clusters == 0:
        return gpd.GeoDataFrame(
            {c: [] for c in cols},
            geometry=[],
            crs=WGS84,
            index=pd.Index([], name="cluster", dtype="int64"),
        )
    lab = labels[idx]
    # Which members sit in an area designated for their own segment (boundary = inside).
    inside, _ = membership(enterprises.iloc[idx], areas)
    planned = (inside.to_numpy() & _designation_matrix(seg[idx], areas)).any(axis=1)

    frame = pd.DataFrame({"cluster": lab, "segment": seg[idx], "planned": planned})
    counts = frame.groupby("cluster").size()
    dom = (
        frame.groupby(["cluster", "segment"])
        .size()
        .rename("k")
        .reset_index()
        .sort_values(["cluster", "k", "segment"], ascending=[True, False, True])
        .drop_duplicates("cluster")
        .set_index("cluster")
    )
    share_planned = frame.groupby("cluster")["planned"].mean()
    # Outlines, all clusters in one vectorised call: a multipoint per cluster, its concave
    # hull, buffered so that two- or three-member clusters still have an area.
    by_label = np.argsort(lab, kind="stable")  # shapely wants the indices sorted
    mp = shapely.multipoints(
        np.column_stack([x[idx][by_label], y[idx][by_label]]), indices=lab[by_label]
    )
    hull = shapely.concave_hull(mp, ratio=settings.concave_ratio)
    outline_m = shapely.buffer(hull, settings.outline_buffer_m)
    outline = gpd.GeoSeries(outline_m, crs=WORKING).to_crs(WGS84)
    ids = np.arange(n_clusters)
    return gpd.GeoDataFrame(
        {
            "group": group_of,
            "n_members": counts.reindex(ids).to_numpy(dtype=np.int64),
            "dominant_segment": dom["segment"].reindex(ids).astype(str).to_numpy(),
            "dominant_share": (dom["k"].reindex(ids) / counts.reindex(ids)).to_numpy(),
            "share_in_planned_area": share_planned.reindex(ids).to_numpy(dtype=np.float64),
            "centre_lon": pd.Series(lon[idx]).groupby(lab).mean().reindex(ids).to_numpy(),
            "centre_lat": pd.Series(lat[idx]).groupby(lab).mean().reindex(ids).to_numpy(),
            "area_km2": shapely.area(outline_m) / 1e6,
        },
        geometry=outline.to_numpy(),
        crs=WGS84,
        index=pd.Index(ids, name="cluster"),
    )


def _designation_matrix(seg: np.ndarray[Any, Any], areas: gpd.GeoDataFrame) -> np.ndarray[Any, Any]:
    """Boolean (rows x areas): is the area designated for the row's segment."""
    designation = area_designation(areas)
    keys = [str(k) for k in areas.index]
    codes, uniques = pd.factorize(pd.Series(seg, dtype=object))
    per_segment = np.array(
        [[k in designation.get(str(u), ()) for k in keys] for u in uniques], dtype=bool
    ).reshape(len(uniques), len(keys))
    return per_segment[codes] if len(codes) else np.zeros((0, len(keys)), dtype=bool)


@dataclass(frozen=True)
class ClarkEvans:
    """Clark-Evans nearest-neighbour ratio of a point pattern in an area.

    ``ratio`` < 1: clustered, about 1: random (complete spatial randomness), > 1: regular.
    ``z`` and ``p_value`` (two-sided, normal approximation, no edge correction) test the
    ratio against 1; with fewer than about 10 points they are only indicative.
    """

    n: int
    area_km2: float
    mean_nn_m: float
    expected_nn_m: float
    ratio: float
    z: float
    p_value: float


def clark_evans(points: gpd.GeoDataFrame | gpd.GeoSeries, area: Any) -> ClarkEvans:
    """Return the Clark-Evans nearest-neighbour ratio of points within an area.

    Parameters
    ----------
    points : GeoDataFrame or GeoSeries
        Points with a CRS; missing geometries are ignored.
    area : shapely geometry (EPSG:4326), GeoSeries or GeoDataFrame
        The study area; its area (in EPSG:4548) sets the expected distance
        ``0.5 / sqrt(n / A)``.

    Returns
    -------
    ClarkEvans

    Notes
    -----
    The observed mean nearest-neighbour distance comes from a SciPy KD-tree on EPSG:4548
    coordinates. PySAL's ``pointpats.PointPattern`` would give the same ``mean_nnd`` but
    builds a libpysal ``Polygon`` window that emits a FutureWarning (deprecated class) on
    every call, which the project's warnings-as-errors policy rejects. The expectation
    ``0.5 / sqrt(n / A)`` and the standard error ``0.26136 / sqrt(n^2 / A)`` are Clark and
    Evans (1954).
    """
    if isinstance(points, gpd.GeoSeries):
        points = gpd.GeoDataFrame(geometry=points)
    if points.crs is None:
        msg = "`points` has no CRS: declare it with `set_crs('EPSG:4326')`"
        raise InputError(msg)
    lon, lat, ok = located_xy(points)
    x, y = to_working_xy(lon[ok], lat[ok])
    area_m2 = _area_m2(area)
    n = len(x)
    if n < 2 or not area_m2 > 0:
        nan = float("nan")
        return ClarkEvans(n, area_m2 / 1e6, nan, nan, nan, nan, nan)
    # k=2: the nearest point to each point is itself.
    dist, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=2)
    mean_nn = float(np.mean(dist[:, 1]))
    density = n / area_m2
    expected = 0.5 / math.sqrt(density)
    se = 0.26136 / math.sqrt(n * density)
    z = (mean_nn - expected) / se
    p = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal tail
    return ClarkEvans(n, area_m2 / 1e6, mean_nn, expected, mean_nn / expected, z, p)


def _area_m2(area: Any) -> float:
    if isinstance(area, gpd.GeoDataFrame | gpd.GeoSeries):
        if area.crs is None:
            msg = "`area` has no CRS: declare it with `set_crs('EPSG:4326')`"
            raise InputError(msg)
        frame = gpd.GeoDataFrame(geometry=area.to_crs(WGS84).geometry)
    else:
        frame = gpd.GeoDataFrame(geometry=[area], crs=WGS84)
    return float(shapely.area(shapely.union_all(working_shapes(frame))))


def nearest_neighbour_ratios(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    min_points: int | None = None,
) -> pd.DataFrame:
    """Clark-Evans ratio per area and segment (firms of the segment inside the area).

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``.
    areas, rules
        Default: the shipped layers.
    min_points : int, optional
        Fewest firms of a segment in an area for a ratio (default
        :data:`zoning.settings.cluster_min_samples`, 3, read at the call).

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``segment``, ``n``, ``mean_nn_m``, ``expected_nn_m``, ``ratio``,
        ``z``, ``p_value``; pairs with fewer than ``min_points`` firms are left out.
    """
    fewest = settings.cluster_min_samples if min_points is None else min_points
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    inside, _ = membership(enterprises, areas)
    rows = []
    for key, geom in zip(areas.index, areas.geometry, strict=True):
        here = enterprises[inside[str(key)].to_numpy()]
        for seg, part in here.groupby("segment", sort=True):
            if len(part) < fewest:
                continue
            ce = clark_evans(part, geom)
            rows.append(
                {
                    "area": str(key),
                    "segment": str(seg),
                    "n": ce.n,
                    "mean_nn_m": ce.mean_nn_m,
                    "expected_nn_m": ce.expected_nn_m,
                    "ratio": ce.ratio,
                    "z": ce.z,
                    "p_value": ce.p_value,
                }
            )
    cols = ["area", "segment", "n", "mean_nn_m", "expected_nn_m", "ratio", "z", "p_value"]
    return pd.DataFrame(rows, columns=cols)


def location_quotients(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    weight: str | None = None,
) -> pd.DataFrame:
    """Location quotient of each segment in each area.

    ``LQ(a, s) = (e_as / e_a) / (E_s / E)``, where ``e`` counts (or sums ``weight`` over)
    the firms inside area ``a`` and ``E`` all located firms. Above 1: the segment is more
    concentrated in the area than in the city as a whole.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment`` (and the ``weight`` column when given).
    weight : str, optional
        ``None`` counts firms; ``"capacity"`` or ``"investment_cny"`` (any numeric column)
        sums it, ignoring rows where it is missing. The totals add every segment's
        values, so the column must be in one unit: for any column but
        ``"investment_cny"`` (yuan), the rows it weights (located, with a value) may
        carry at most one distinct non-empty ``capacity_unit``. Without a
        ``capacity_unit`` column nothing can be checked and the column is taken to be
        in one unit.

    Raises
    ------
    geo.InputError
        If ``weight`` is not a column, or the weighted rows mix capacity units (GWh of
        cells and t/yr of materials do not add up).

    Returns
    -------
    pandas.DataFrame
        Index area keys, columns segment keys; NaN where the area holds nothing.
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    if weight is not None and weight not in enterprises.columns:
        msg = f"`weight` column {weight!r} is not in `enterprises`: use None to count firms"
        raise InputError(msg)
    _, _, located = located_xy(enterprises)
    if weight is None:
        w = np.ones(len(enterprises))
    else:
        w = pd.to_numeric(enterprises[weight], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        usable = np.isfinite(w) & (w >= 0)
        if weight not in _CURRENCY_COLUMNS:
            _require_one_unit(enterprises, weight, located & usable)
        w = np.where(usable, w, 0.0)
    w = np.where(located, w, 0.0)
    inside, _ = membership(enterprises, areas)
    seg = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    segs = sorted({str(s) for s in seg[located]})
    # Area x segment totals by one matrix product: (k x n) @ (n x s).
    onehot = np.zeros((len(seg), len(segs)))
    rows = np.flatnonzero(located)
    onehot[rows, pd.Index(segs).get_indexer(seg[rows])] = w[rows]
    e_as = inside.to_numpy(dtype=np.float64).T @ onehot
    return quotients(e_as, onehot.sum(axis=0), float(w.sum()), [str(k) for k in areas.index], segs)


def quotients(
    e_as: np.ndarray[Any, Any],
    e_s: np.ndarray[Any, Any],
    total: float,
    area_keys: list[str],
    segments: list[str],
) -> pd.DataFrame:
    """Return the location quotients from totals (see :func:`location_quotients`).

    ``e_as`` (areas x segments) holds the located firms (or weights) of each segment in
    each area, ``e_s`` those of each segment in the whole table and ``total`` all of them;
    :mod:`zoning.stream` sums these over a dataset's partitions and calls this too.
    """
    e_a = e_as.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (e_as / e_a) / (np.reshape(e_s, (1, -1)) / total)
    return pd.DataFrame(
        lq,
        index=pd.Index(area_keys, name="area"),
        columns=pd.Index(segments, name="segment"),
    )


# Money is one unit whatever the segment; capacities are GWh, t/yr, GW ... by segment.
_CURRENCY_COLUMNS = frozenset({"investment_cny"})


def _require_one_unit(
    enterprises: gpd.GeoDataFrame, weight: str, rows: np.ndarray[Any, Any]
) -> None:
    """Refuse to sum ``weight`` over rows whose ``capacity_unit`` differs."""
    if "capacity_unit" not in enterprises.columns:
        return
    units = enterprises["capacity_unit"][rows].astype("string").str.strip()
    found = sorted(str(u) for u in units.dropna().unique() if u)
    if len(found) > 1:
        msg = (
            f"cannot weight location quotients by {weight!r}: the weighted rows are in "
            f"{len(found)} different capacity units ({', '.join(found)}), and sums across "
            "segments would add them up. Use weight=None (count firms) or "
            "weight='investment_cny' (yuan), or pass firms whose capacity is in one unit."
        )
        raise InputError(msg)
