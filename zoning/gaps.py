"""Where the plan has holes: chain gaps, distant suppliers, empty land, investment targets.

- :func:`chain_gaps`: for each area, its designated segments with no or few firms inside.
- :func:`supplier_distances`: for each firm, the distance to the nearest firm of each
  segment that supplies it, flagged beyond a threshold.
- :func:`spatial_gaps`: land inside each area farther than a distance from every firm of
  the area's segments (``covered_km2 + gap_km2 == area_km2``).
- :func:`investment_targets`: missing or thin segments ranked by how many local chain links
  a new firm would close ("补链强链").
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.crs import WGS84, WORKING
from layers.i18n import LANGS, Lang, join, t, term
from zoning import settings
from zoning._common import (
    as_tuple,
    chain_neighbours,
    load_areas,
    load_chain,
    load_enterprises,
    located_xy,
    segment_names,
    to_working_xy,
    working_shapes,
)
from zoning.check import membership

__all__ = [
    "chain_gaps",
    "investment_targets",
    "segment_counts",
    "spatial_gaps",
    "supplier_distances",
    "supplier_flags",
]

STATUSES = ("missing", "thin", "ok")


def chain_gaps(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    thin: int | None = None,
    counts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count the firms of each designated segment inside the area meant to host it.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``; unlocated rows count nowhere.
    areas, rules, chain
        Default: the shipped layers. Designation is ``areas["segments"]``.
    thin : int, optional
        1 to ``thin`` firms is ``thin``; 0 is ``missing``; more is ``ok`` (default
        :data:`zoning.settings.thin_count`, read at the call).
    counts : pandas.DataFrame, optional
        :func:`segment_counts` of the same enterprises and areas, when the caller has it
        already (the point-in-area test then does not run again).

    Returns
    -------
    pandas.DataFrame
        One row per (area, designated segment), in the areas' order then the designation's
        order: ``area``, ``segment``, ``name_zh``, ``name_en`` (segment names), ``count``,
        ``status`` (``missing`` | ``thin`` | ``ok``).
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    chain = load_chain(chain)
    thin = settings.thin_count if thin is None else thin
    if thin < 0:
        msg = f"`thin` must be >= 0, got {thin!r}"
        raise ValueError(msg)
    if counts is None:
        counts = segment_counts(enterprises, areas=areas)
    rows = []
    for key, segs in zip(areas.index, areas["segments"], strict=True):
        here = counts[str(key)] if str(key) in counts.columns else pd.Series(dtype=int)
        for s in as_tuple(segs):
            n = int(here.get(s, 0))
            status = "missing" if n == 0 else "thin" if n <= thin else "ok"
            rows.append((str(key), s, n, status))
    out = pd.DataFrame(rows, columns=["area", "segment", "count", "status"])
    names_zh = segment_names(chain, out["segment"], "zh")
    names_en = segment_names(chain, out["segment"], "en")
    out.insert(2, "name_zh", out["segment"].map(names_zh))
    out.insert(3, "name_en", out["segment"].map(names_en))
    return out


def segment_counts(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count the located firms of every segment inside every area (boundary = inside).

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``; unlocated rows count nowhere.
    areas, rules
        Default: the shipped layers.
    chain : pandas.DataFrame, optional
        When given, the rows are the chain's segments in its order (zero where no firm is),
        followed by any other segment found in the data.

    Returns
    -------
    pandas.DataFrame
        Integer counts, one row per segment key (index ``segment``), one column per area
        key. A firm in two overlapping areas counts in both.

    Examples
    --------
    >>> import layers
    >>> counts = segment_counts(layers.enterprises(), chain=layers.chain())
    >>> list(counts.columns)
    ['battery', 'materials', 'control']
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    inside, _ = membership(enterprises, areas)
    segment = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    counts = inside.astype(int).groupby(segment).sum()
    if chain is not None:
        keys = [str(k) for k in chain.index]
        counts = counts.reindex(keys + [k for k in counts.index if k not in keys], fill_value=0)
    counts.index.name = "segment"
    return counts


def supplier_distances(
    enterprises: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame | None = None,
    threshold_m: float | None = None,
) -> pd.DataFrame:
    """Distance from each firm to the nearest firm of every segment that supplies it.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``.
    chain : pandas.DataFrame, optional
        Who supplies whom (default: ``layers.chain()``).
    threshold_m : float, optional
        A supplier farther than this (or none at all) is flagged (default
        :data:`zoning.settings.supplier_threshold_m`, read at the call).

    Returns
    -------
    pandas.DataFrame
        Aligned to the input's index: one float column per supplying segment,
        ``<segment>_m``, in metres (NaN where that segment does not supply the row's
        segment or the row is unlocated; ``inf`` where it does but no firm of it is
        located), plus ``flags``: a tuple of the supplying segments beyond ``threshold_m``
        or absent (empty when none); :func:`supplier_flags` gives them as a long table.
    """
    limit_m = settings.supplier_threshold_m if threshold_m is None else threshold_m
    enterprises = load_enterprises(enterprises)
    chain = load_chain(chain)
    up, _ = chain_neighbours(chain)
    lon, lat, located = located_xy(enterprises)
    x, y = to_working_xy(lon, lat)
    seg = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    suppliers = sorted({s for v in up.values() for s in v})
    out = pd.DataFrame(index=enterprises.index)
    far_mask = np.zeros((len(seg), len(suppliers)), dtype=bool)
    for j, s in enumerate(suppliers):
        customers = {c for c, ups in up.items() if s in ups}
        rows = np.flatnonzero(located & np.isin(seg, list(customers)))
        col = np.full(len(seg), np.nan)
        have = np.flatnonzero(located & (seg == s))
        if len(rows):
            if len(have):
                d, _ = cKDTree(np.column_stack([x[have], y[have]])).query(
                    np.column_stack([x[rows], y[rows]]), k=1
                )
                col[rows] = d
            else:
                col[rows] = np.inf
            far_mask[rows[~(col[rows] <= limit_m)], j] = True
        out[f"{s}_m"] = col
    names = np.array(suppliers, dtype=object)
    out["flags"] = pd.Series(
        [tuple(names[row]) for row in far_mask], index=enterprises.index, dtype=object
    )
    return out


def supplier_flags(
    enterprises: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame | None = None,
    threshold_m: float | None = None,
) -> pd.DataFrame:
    """List every firm whose supplying segment is absent or farther than ``threshold_m``.

    The long form of :func:`supplier_distances`: one row per (firm, supplying segment)
    flagged, indexed by the firm's index label (repeated for several suppliers).

    Returns
    -------
    pandas.DataFrame
        Columns ``supplier`` (segment key) and ``distance_m`` (metres in EPSG:4548;
        ``inf`` when no firm of that segment is located), in the input's row order.

    Examples
    --------
    >>> import layers
    >>> flags = supplier_flags(layers.enterprises(), threshold_m=1.0)
    >>> list(flags.columns), bool((flags["distance_m"] > 1.0).all())
    (['supplier', 'distance_m'], True)
    """
    distances = supplier_distances(enterprises, chain=chain, threshold_m=threshold_m)
    pairs = distances["flags"].explode().dropna()
    rows = distances.index.get_indexer(pairs.index)
    cols = distances.columns.get_indexer(pd.Index(pairs.astype(str) + "_m"))
    values = distances.to_numpy(dtype=object)[rows, cols].astype(float)
    return pd.DataFrame(
        {"supplier": pairs.astype(str).to_numpy(), "distance_m": values}, index=pairs.index
    )


def spatial_gaps(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    distance_m: float | None = None,
) -> gpd.GeoDataFrame:
    """Land inside each area farther than ``distance_m`` from every firm of its segments.

    Firms anywhere count (a firm just outside the area still serves land inside it).

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``.
    areas, rules
        Default: the shipped layers.
    distance_m : float, optional
        Default :data:`zoning.settings.spatial_gap_m`, read at the call.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by area key, EPSG:4326: ``gap_km2``, ``covered_km2``, ``area_km2``
        (measured in EPSG:4548; covered + gap = area), ``gap_share``, ``n_firms`` and the
        gap ``geometry`` (empty when everything is covered).
    """
    distance_m = settings.spatial_gap_m if distance_m is None else distance_m
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    if not distance_m > 0:
        msg = f"`distance_m` must be a positive number of metres, got {distance_m!r}"
        raise ValueError(msg)
    lon, lat, located = located_xy(enterprises)
    x, y = to_working_xy(lon, lat)
    seg = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    shapes = working_shapes(areas)
    gaps, covered_area, n_firms = [], [], []
    for shape, segs in zip(shapes, areas["segments"], strict=True):
        rows = np.flatnonzero(located & np.isin(seg, list(as_tuple(segs))))
        discs = shapely.buffer(shapely.points(x[rows], y[rows]), distance_m, quad_segs=16)
        reach = shapely.union_all(discs)
        covered = shapely.intersection(shape, reach)
        gaps.append(shapely.difference(shape, reach))
        covered_area.append(shapely.area(covered))
        n_firms.append(len(rows))
    area_m2 = shapely.area(shapes)
    gap_m2 = shapely.area(np.asarray(gaps, dtype=object))
    return gpd.GeoDataFrame(
        {
            "gap_km2": gap_m2 / 1e6,
            "covered_km2": np.asarray(covered_area) / 1e6,
            "area_km2": area_m2 / 1e6,
            "gap_share": np.where(area_m2 > 0, gap_m2 / np.where(area_m2 > 0, area_m2, 1), 0.0),
            "n_firms": n_firms,
        },
        geometry=gpd.GeoSeries(gaps, crs=WORKING).to_crs(WGS84).to_numpy(),
        index=areas.index,
        crs=WGS84,
    )


def investment_targets(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    thin: int | None = None,
    gaps: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rank missing and thin segments by how many local chain links a new firm would close.

    A target is an (area, segment) pair from :func:`chain_gaps` with status ``missing`` or
    ``thin``. ``links_closed`` counts the chain neighbours of the segment (segments that
    supply it and segments it supplies) that already have at least one located firm in
    the input, i.e. in the city: each is a link that is now imported or shipped away and
    would become local. Ties are broken by status (missing first), then fewer firms, then
    the segment key.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank``, ``segment``, ``name_zh``, ``name_en``, ``area``, ``status``,
        ``count``, ``links_closed``, ``suppliers_present``, ``customers_present``
        (tuples of segment keys), ``reason_zh``, ``reason_en``.

    Other Parameters
    ----------------
    gaps : pandas.DataFrame, optional
        :func:`chain_gaps` of the same data, when the caller has it already.
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    chain = load_chain(chain)
    if gaps is None:
        gaps = chain_gaps(enterprises, areas=areas, chain=chain, thin=thin)
    up, down = chain_neighbours(chain)
    _, _, located = located_xy(enterprises)
    present = set(enterprises.loc[located, "segment"].astype(str))
    cols = [
        "rank",
        "segment",
        "name_zh",
        "name_en",
        "area",
        "status",
        "count",
        "links_closed",
        "suppliers_present",
        "customers_present",
        "reason_zh",
        "reason_en",
    ]
    targets = gaps[gaps["status"] != "ok"].copy()
    if targets.empty:
        return pd.DataFrame(columns=cols)
    # A segment's own firms are not a link it closes (a segment may list itself, e.g. cells
    # sold to other cell makers).
    targets["_up"] = [
        tuple(s for s in up.get(seg, ()) if s in present and s != seg) for seg in targets["segment"]
    ]
    targets["_down"] = [
        tuple(s for s in down.get(seg, ()) if s in present and s != seg)
        for seg in targets["segment"]
    ]
    targets["suppliers_present"] = targets["_up"]
    targets["customers_present"] = targets["_down"]
    targets["links_closed"] = targets["_up"].map(len) + targets["_down"].map(len)
    targets["_missing_first"] = (targets["status"] != "missing").astype(int)
    targets = targets.sort_values(
        ["links_closed", "_missing_first", "count", "segment", "area"],
        ascending=[False, True, True, True, True],
        kind="stable",
    ).reset_index(drop=True)
    targets["rank"] = np.arange(1, len(targets) + 1)
    area_name = {lang: areas[f"name_{lang}"].astype(str).to_dict() for lang in LANGS}
    seg_name = {
        lang: segment_names(chain, list(up) + list(targets["segment"]), lang) for lang in LANGS
    }
    reasons: dict[Lang, list[str]] = {lang: [] for lang in LANGS}
    for row, s_up, s_down in zip(
        targets.itertuples(index=False), targets["_up"], targets["_down"], strict=True
    ):
        for lang in LANGS:
            what = (
                term("gaps.status", "missing", lang)
                if row.status == "missing"
                else t("reason.gap.thin", lang, count=row.count)
            )
            links = join((seg_name[lang][s] for s in (*s_up, *s_down)), lang)
            reasons[lang].append(
                t(
                    "reason.gap.target",
                    lang,
                    area=area_name[lang][row.area],
                    seg=getattr(row, f"name_{lang}"),
                    what=what,
                    links=row.links_closed,
                    names=links or t("reason.gap.no_links", lang),
                )
            )
    targets["reason_zh"] = reasons["zh"]
    targets["reason_en"] = reasons["en"]
    return targets[cols]
