"""Plumbing shared by the painters: which rows can be drawn, and columns made into text."""

from __future__ import annotations

import html

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from layers.i18n import Lang, local_names


def drawable(gdf: gpd.GeoDataFrame) -> npt.NDArray[np.bool_]:
    """Rows with a geometry that is neither missing (unlocated) nor empty (e.g. no gap)."""
    geoms = gdf.geometry.to_numpy()
    result: npt.NDArray[np.bool_] = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return result


def escaped_text(values: pd.Series) -> pd.Series:
    """Escape a column for tooltips: None/NaN become "", everything else ``html.escape``-d."""
    return values.astype(object).where(values.notna(), "").astype(str).map(html.escape)


def rounded(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Numbers as text with one decimal and thousands separators; "" where missing."""
    if values is None:
        return pd.Series("", index=index, dtype=object)
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")


def segment_names(chain: pd.DataFrame | None, lang: Lang) -> dict[str, str]:
    """Segment key -> its name in ``lang`` (empty without a chain)."""
    if chain is None or not len(chain):
        return {}
    return {str(k): str(v) for k, v in local_names(chain, lang).items()}
