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
from zoning import _config
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

__all__ = ["chain_gaps", "investment_targets", "spatial_gaps", "supplier_distances"]

STATUSES = ("missing", "thin", "ok")


def chain_gaps(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    thin: int = _config.THIN_COUNT,
) -> pd.DataFrame:
    """Count the firms of each designated segment inside the area meant to host it.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``; unlocated rows count nowhere.
    areas, rules, chain
        Default: the shipped layers. Designation is ``areas["segments"]``.
    thin : int
        1 to ``thin`` firms is ``thin``; 0 is ``missing``; more is ``ok``.

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
    if thin < 0:
        msg = f"`thin` must be >= 0, got {thin!r}"
        raise ValueError(msg)
    inside, _ = membership(enterprises, areas)
    seg = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    rows = []
    for key, segs in zip(areas.index, areas["segments"], strict=True):
        here = inside[str(key)].to_numpy()
        counts = pd.Series(seg[here]).value_counts()
        for s in as_tuple(segs):
            n = int(counts.get(s, 0))
            status = "missing" if n == 0 else "thin" if n <= thin else "ok"
            rows.append((str(key), s, n, status))
    out = pd.DataFrame(rows, columns=["area", "segment", "count", "status"])
    names_zh = segment_names(chain, out["segment"], "zh")
    names_en = segment_names(chain, out["segment"], "en")
    out.insert(2, "name_zh", out["segment"].map(names_zh))
    out.insert(3, "name_en", out["segment"].map(names_en))
    return out


def supplier_distances(
    enterprises: gpd.GeoDataFrame,
    *,
    chain: pd.DataFrame | None = None,
    threshold_m: float = _config.SUPPLIER_THRESHOLD_M,
) -> pd.DataFrame:
    """Distance from each firm to the nearest firm of every segment that supplies it.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with ``segment``.
    chain : pandas.DataFrame, optional
        Who supplies whom (default: ``layers.chain()``).
    threshold_m : float
        A supplier farther than this (or none at all) is flagged.

    Returns
    -------
    pandas.DataFrame
        Aligned to the input's index: one float column per supplying segment,
        ``<segment>_m``, in metres (NaN where that segment does not supply the row's
        segment or the row is unlocated; ``inf`` where it does but no firm of it is
        located), plus ``flags``: the supplying segments beyond ``threshold_m`` or absent,
        ``;``-joined (``""`` when none).
    """
    enterprises = load_enterprises(enterprises)
    chain = load_chain(chain)
    up, _ = chain_neighbours(chain)
    lon, lat, located = located_xy(enterprises)
    x, y = to_working_xy(lon, lat)
    seg = enterprises["segment"].astype("string").fillna("").to_numpy(dtype=object)
    suppliers = sorted({s for v in up.values() for s in v})
    out = pd.DataFrame(index=enterprises.index)
    flags = np.full(len(seg), "", dtype=object)
    for s in suppliers:
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
            far = rows[~(col[rows] <= threshold_m)]
            flags[far] = np.where(flags[far] == "", s, flags[far] + ";" + s)
        out[f"{s}_m"] = col
    out["flags"] = pd.Series(flags, index=enterprises.index, dtype="str")
    return out


def spatial_gaps(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    distance_m: float = _config.SPATIAL_GAP_M,
) -> gpd.GeoDataFrame:
    """Land inside each area farther than ``distance_m`` from every firm of its segments.

    Firms anywhere count (a firm just outside the area still serves land inside it).

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by area key, EPSG:4326: ``gap_km2``, ``covered_km2``, ``area_km2``
        (measured in EPSG:4548; covered + gap = area), ``gap_share``, ``n_firms`` and the
        gap ``geometry`` (empty when everything is covered).
    """
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
    thin: int = _config.THIN_COUNT,
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
        (``;``-joined keys), ``reason_zh``, ``reason_en``.
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    chain = load_chain(chain)
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
    targets["suppliers_present"] = targets["_up"].map(";".join)
    targets["customers_present"] = targets["_down"].map(";".join)
    targets["links_closed"] = targets["_up"].map(len) + targets["_down"].map(len)
    targets["_missing_first"] = (targets["status"] != "missing").astype(int)
    targets = targets.sort_values(
        ["links_closed", "_missing_first", "count", "segment", "area"],
        ascending=[False, True, True, True, True],
        kind="stable",
    ).reset_index(drop=True)
    targets["rank"] = np.arange(1, len(targets) + 1)
    area_zh = areas["name_zh"].astype(str).to_dict()
    area_en = areas["name_en"].astype(str).to_dict()
    names_zh = segment_names(chain, list(up) + list(targets["segment"]), "zh")
    names_en = segment_names(chain, list(up) + list(targets["segment"]), "en")
    zh, en = [], []
    for row, s_up, s_down in zip(
        targets.itertuples(index=False), targets["_up"], targets["_down"], strict=True
    ):
        what_zh = "缺失" if row.status == "missing" else f"仅有 {row.count} 家"
        what_en = "missing" if row.status == "missing" else f"only {row.count} firm(s)"
        links_zh = "、".join(names_zh[s] for s in (*s_up, *s_down)) or "无"
        links_en = ", ".join(names_en[s] for s in (*s_up, *s_down)) or "none yet"
        zh.append(
            f"{area_zh[row.area]} 的{row.name_zh}{what_zh}；引进可在本地接通 "
            f"{row.links_closed} 个产业链环节（{links_zh}）"
        )
        en.append(
            f"{row.name_en} is {what_en} in the {area_en[row.area]}; a firm there would "
            f"link locally with {row.links_closed} segment(s) already in the city ({links_en})"
        )
    targets["reason_zh"] = zh
    targets["reason_en"] = en
    return targets[cols]
