"""Boundaries coming into the zones layer: which imported feature becomes which zone.

A planner's boundary file often holds several zones. Nothing here merges them silently:

- :func:`name_columns` and :func:`match_zones` guess, from a name or id column, which
  feature is which zone (the planner confirms or changes every pick);
- :func:`import_table` lists each feature with its area in km² (measured in EPSG:4548),
  the zone it goes to and that zone's official area from the shipped data, so a shape ten
  times too large is seen before it is saved;
- :func:`combine` turns the picks into one new boundary per zone, and says how many
  features each one is made of;
- :func:`change_table` compares each new boundary with the current one and the official
  area; :func:`apply_changes` writes the new boundaries into a zones layer;
- :func:`ensure_shipped_version` makes the shipped boundaries version 1 of a store, so
  that they can always be restored.

Nothing here imports streamlit or folium.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WORKING
from layers._geography import zones as _shipped_zones
from layers.edits import edited_zones
from layers.project import ZONES_LAYER

__all__ = [
    "FEATURE_NUMBER",
    "SHIPPED_AUTHOR",
    "SHIPPED_NOTE",
    "apply_changes",
    "area_km2",
    "change_table",
    "combine",
    "ensure_shipped_version",
    "import_table",
    "match_zones",
    "name_columns",
]

FEATURE_NUMBER: Final = ""
"""The "column" meaning: name the features by their number in the file (1, 2, ...)."""

SHIPPED_AUTHOR: Final = "shipped data / 随附数据"
SHIPPED_NOTE: Final = (
    "随附的近似边界（data/zones.geojson），可随时恢复 / "
    "shipped approximate boundaries (data/zones.geojson), restorable at any time"
)
"""Author and note of version 1 of a store's zones layer (stored text, read in both languages)."""


def area_km2(shapes: gpd.GeoSeries) -> pd.Series:
    """Return each shape's area in km², measured in EPSG:4548 (never in degrees).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> s = gpd.GeoSeries([box(115.9, 28.6, 116.0, 28.7)], crs="EPSG:4326")
    >>> round(float(area_km2(s).iloc[0]), 1)
    108.4
    """
    if shapes.crs is None:
        msg = "`shapes` has no CRS: declare it with `set_crs('EPSG:4326')` first"
        raise ValueError(msg)
    out: pd.Series = shapes.to_crs(WORKING).area / 1e6
    return out


def name_columns(features: gpd.GeoDataFrame) -> list[str]:
    """Return the columns that may name the features (text or integer ids), best first.

    A column whose values are all different comes before one with repeats: a name or id
    column names every feature once.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"NAME": ["a", "b"], "kind": ["x", "x"], "v": [1.5, 2.5]},
    ...                      geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2)], crs="EPSG:4326")
    >>> name_columns(g)
    ['NAME', 'kind']
    """
    found: list[tuple[bool, int, str]] = []
    for position, column in enumerate(features.columns):
        if column == features.geometry.name:
            continue
        values = features[column]
        if pd.api.types.is_float_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            continue
        unique = values.astype(str).nunique(dropna=True) == len(values)
        found.append((not unique, position, str(column)))
    return [column for _, _, column in sorted(found)]


def _key(value: object) -> str:
    return "".join(str(value).split()).casefold()


def match_zones(features: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, column: str) -> pd.Series:
    """Guess which zone each feature is, from ``column`` (zone id, Chinese or English name).

    Parameters
    ----------
    features : geopandas.GeoDataFrame
        The imported features.
    zones : geopandas.GeoDataFrame
        The zones layer (``zone_id``, ``name_zh``, ``name_en``).
    column : str
        The column naming the features; :data:`FEATURE_NUMBER` matches nothing.

    Returns
    -------
    pandas.Series
        A zone id or None per feature, with ``features``' index. Spaces and case are
        ignored; a value that names two zones, or a zone named by two features, is left
        unmatched for the planner to decide.

    Examples
    --------
    >>> import layers
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"name": ["小蓝经开区", "Nowhere"]},
    ...                      geometry=[box(0, 0, 1, 1)] * 2, crs="EPSG:4326")
    >>> match_zones(g, layers.zones(), "name").tolist()
    ['xiaolan_etdz', None]
    """
    if column == FEATURE_NUMBER or column not in features.columns:
        return pd.Series([None] * len(features), index=features.index, dtype=object)
    lookup: dict[str, set[str]] = {}
    for row in zones.itertuples(index=False):
        zone = str(row.zone_id)
        names = (zone, row.name_zh, row.name_en, *_short_names(str(row.name_zh)))
        for name in names:
            if isinstance(name, str) and name.strip():
                lookup.setdefault(_key(name), set()).add(zone)
    picks = [
        next(iter(hit)) if len(hit := lookup.get(_key(v), set())) == 1 else None
        for v in features[column]
    ]
    out = pd.Series(picks, index=features.index, dtype=object)
    # Two features naming one zone: which one is meant is the planner's call, not ours.
    twice = out[out.notna()].duplicated(keep=False)
    out[twice[twice].index] = None
    return out


def _short_names(name_zh: str) -> tuple[str, ...]:
    # "南昌小蓝经济技术开发区" is written "小蓝经开区" in the plan: both must match.
    short = name_zh.replace("经济技术开发区", "经开区").replace("高新技术产业开发区", "高新区")
    return (short, short.removeprefix("南昌"), short.replace("国家", ""))


def import_table(
    features: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    assignment: Sequence[str | None],
    *,
    column: str = FEATURE_NUMBER,
) -> pd.DataFrame:
    """List each imported feature: its label, area, the zone it goes to and that zone's areas.

    Parameters
    ----------
    features : geopandas.GeoDataFrame
        The imported polygons (any CRS with a definition).
    zones : geopandas.GeoDataFrame
        The current zones layer.
    assignment : sequence of str or None
        One zone id (or None: not used) per feature, in order.
    column : str
        The column naming the features (:data:`FEATURE_NUMBER`: none).

    Returns
    -------
    pandas.DataFrame
        One row per feature, ``features``' index: ``feature`` (1-based number in the
        file), ``label``, ``area_km2`` (EPSG:4548), ``zone_id`` (None: not used),
        ``official_area_km2`` (from the shipped data; NaN for a zone it does not know) and
        ``current_area_km2`` (the zone's boundary now).
    """
    if len(assignment) != len(features):
        msg = f"`assignment` has {len(assignment)} values for {len(features)} features"
        raise ValueError(msg)
    picks = pd.Series(list(assignment), index=features.index, dtype=object)
    labels = (
        features[column].astype(str)
        if column != FEATURE_NUMBER and column in features.columns
        else pd.Series([""] * len(features), index=features.index)
    )
    official = _official_areas()
    current = pd.Series(
        area_km2(zones.geometry).to_numpy(), index=zones["zone_id"].astype(str).to_numpy()
    )
    current = current[~current.index.duplicated()]
    return pd.DataFrame(
        {
            "feature": np.arange(1, len(features) + 1),
            "label": labels.to_numpy(),
            "area_km2": area_km2(features.geometry).to_numpy(),
            "zone_id": picks.to_numpy(),
            "official_area_km2": picks.map(official).astype(float).to_numpy(),
            "current_area_km2": picks.map(current).astype(float).to_numpy(),
        },
        index=features.index,
    )


def _official_areas() -> pd.Series:
    shipped = _shipped_zones()
    return pd.Series(
        shipped["official_area_km2"].to_numpy(dtype=float),
        index=shipped["zone_id"].astype(str).to_numpy(),
    )


def combine(
    shapes: gpd.GeoSeries, assignment: Sequence[str | None]
) -> dict[str, tuple[Any, list[int]]]:
    """Group the picked shapes by zone: ``{zone_id: (boundary, [feature numbers])}``.

    Features sent to the same zone become one (multi)polygon; the feature numbers say
    which, so the page can say so rather than merging silently.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> s = gpd.GeoSeries([box(0, 0, 1, 1), box(2, 2, 3, 3), box(5, 5, 6, 6)])
    >>> out = combine(s, ["a", None, "a"])
    >>> out["a"][0].geom_type, out["a"][1]
    ('MultiPolygon', [1, 3])
    """
    if len(assignment) != len(shapes):
        msg = f"`assignment` has {len(assignment)} values for {len(shapes)} shapes"
        raise ValueError(msg)
    groups: dict[str, list[int]] = {}
    for position, zone in enumerate(assignment):
        if zone:
            groups.setdefault(str(zone), []).append(position)
    out: dict[str, tuple[Any, list[int]]] = {}
    geoms = shapes.to_numpy()
    for zone, positions in groups.items():
        merged = shapely.union_all(geoms[positions])
        out[zone] = (merged, [p + 1 for p in positions])
    return out


def change_table(
    zones: gpd.GeoDataFrame, changes: Mapping[str, Any], *, crs: Any = "EPSG:4326"
) -> pd.DataFrame:
    """Compare each new boundary with the zone's current one and its official area.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        The current zones layer.
    changes : mapping of str to shapely geometry
        Zone id -> new boundary (in ``crs``).
    crs : CRS-like
        The boundaries' CRS (the editor works in WGS 84).

    Returns
    -------
    pandas.DataFrame
        One row per changed zone, indexed by ``zone_id``: ``name_zh``, ``name_en``,
        ``current_area_km2`` (NaN for a new zone), ``new_area_km2`` (EPSG:4548) and
        ``official_area_km2`` (shipped data; NaN where unknown).
    """
    ids = [str(z) for z in changes]
    by_id = zones.assign(zone_id=zones["zone_id"].astype(str)).drop_duplicates("zone_id")
    by_id = by_id.set_index("zone_id")
    new = area_km2(gpd.GeoSeries([changes[z] for z in ids], crs=crs))
    current = area_km2(by_id.geometry).reindex(ids)
    names = by_id.reindex(ids)
    return pd.DataFrame(
        {
            "name_zh": names["name_zh"].fillna(pd.Series(ids, index=ids)).to_numpy(),
            "name_en": names["name_en"].fillna(pd.Series(ids, index=ids)).to_numpy(),
            "current_area_km2": current.to_numpy(dtype=float),
            "new_area_km2": new.to_numpy(dtype=float),
            "official_area_km2": _official_areas().reindex(ids).to_numpy(dtype=float),
        },
        index=pd.Index(ids, name="zone_id"),
    )


def apply_changes(
    zones: gpd.GeoDataFrame,
    changes: Mapping[str, Any],
    *,
    names: Mapping[str, tuple[str, str]] | None = None,
) -> gpd.GeoDataFrame:
    """Return ``zones`` with every changed zone's boundary replaced (or the zone added).

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        The current zones layer; not modified.
    changes : mapping of str to shapely geometry
        Zone id -> new boundary, in ``zones``' CRS.
    names : mapping of str to (str, str), optional
        Zone id -> (Chinese, English) name; a zone not named keeps its names (a new one
        is named by its id).

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`layers.edits.edited_zones` returns it, once per changed zone.
    """
    out = zones
    for zone, shape in changes.items():
        old = zones.loc[zones["zone_id"].astype(str) == zone]
        zh, en = (names or {}).get(zone, ("", ""))
        out = edited_zones(
            out,
            zone,
            shape,
            name_zh=zh or (str(old["name_zh"].iloc[0]) if len(old) else zone),
            name_en=en or (str(old["name_en"].iloc[0]) if len(old) else zone),
        )
    return out


def ensure_shipped_version(store: Any) -> int | None:
    """Save the shipped zones as version 1 of ``store``'s zones layer if it has none.

    Called before the first save or restore of the zones layer, so that the boundaries
    everybody started from stay one restore away. A store that already holds zones is
    left as it is.

    Parameters
    ----------
    store : geo.store.Store
        An open store.

    Returns
    -------
    int or None
        1 when the shipped zones were just saved, None when the layer existed.

    Raises
    ------
    geo.store.ConflictError
        If another writer created the layer at the same moment (reload and save again).
    """
    if store.current_version(ZONES_LAYER) is not None:
        return None
    saved = store.write(
        ZONES_LAYER,
        _shipped_zones(),
        author=SHIPPED_AUTHOR,
        note=SHIPPED_NOTE,
        expected_version=0,
    )
    return int(saved.version)
