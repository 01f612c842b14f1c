"""Regular square grids over a polygon, in metres, for suitability maps and spatial gaps."""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo._errors import CRSError, InputError
from geo.crs import WORKING, require_metric
from geo.messages import text

__all__ = ["grid"]

# A million cells is about 100 MB of box geometries; more than this is almost always a
# unit mistake (cell size in degrees, or kilometres typed as metres).
MAX_CELLS = 5_000_000


def grid(
    area: BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame,
    cell_m: float,
    *,
    how: Literal["centre", "intersects"] = "centre",
    max_cells: int = MAX_CELLS,
) -> gpd.GeoDataFrame:
    """Cover an area with square cells of ``cell_m`` metres in the working CRS.

    Parameters
    ----------
    area : shapely geometry, GeoSeries or GeoDataFrame
        The area to cover. A bare shapely geometry has no CRS, so it must already be in
        :data:`geo.crs.WORKING` (EPSG:4548); one whose bounds all lie within longitude /
        latitude ranges (``|x| <= 180`` and ``|y| <= 90``) is refused as being in degrees.
        EPSG:4548 coordinates in Nanchang are x of about 3e5-5e5 m and y about 3.1e6 m,
        so no real site of this project is mistaken for degrees. A GeoSeries or
        GeoDataFrame with any CRS is projected there and its geometries are unioned.
    cell_m : float
        Cell edge in metres (> 0).
    how : {"centre", "intersects"}
        Keep the cells whose centre lies inside the area (the default: each piece of land
        is counted once, so cell counts times cell area approximate the area), or every cell
        that touches the area (complete coverage, for masks).
    max_cells : int
        Refuse grids larger than this, since they usually come from a unit mistake.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4548, one row per cell with ``row``, ``col`` (from the south-west corner),
        ``x``, ``y`` (cell centre, metres) and the square ``geometry``.

    Raises
    ------
    geo.CRSError
        For a bare geometry that looks like longitude/latitude, or a GeoSeries or
        GeoDataFrame with no CRS.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cells = grid(box(0, 0, 1000, 500), 250)
    >>> len(cells), float(cells.area.sum())
    (8, 500000.0)
    """
    if not cell_m > 0:
        raise InputError(text("geo.grid.cell", cell=cell_m))
    if how not in ("centre", "intersects"):
        msg = f"`how` must be 'centre' or 'intersects', got {how!r}"
        raise ValueError(msg)
    if isinstance(area, gpd.GeoDataFrame | gpd.GeoSeries):
        if area.crs is None:
            require_metric(None, what=text("geo.grid.what"))
        shape = shapely.union_all(area.to_crs(WORKING).geometry.to_numpy())
    else:
        shape = area
        if shape is not None and not shape.is_empty:
            _refuse_degrees(shape)
    if shape is None or shape.is_empty:
        return gpd.GeoDataFrame(
            {"row": [], "col": [], "x": [], "y": []}, geometry=[], crs=WORKING
        ).astype({"row": "int64", "col": "int64", "x": "float64", "y": "float64"})
    minx, miny, maxx, maxy = shape.bounds
    ncol = max(1, int(np.ceil((maxx - minx) / cell_m)))
    nrow = max(1, int(np.ceil((maxy - miny) / cell_m)))
    if ncol * nrow > max_cells:
        raise InputError(text("geo.grid.too_many", cell=cell_m, cells=ncol * nrow, limit=max_cells))
    col_grid, row_grid = np.meshgrid(np.arange(ncol), np.arange(nrow))
    cols = col_grid.ravel()
    rows = row_grid.ravel()
    x0 = minx + cols * cell_m
    y0 = miny + rows * cell_m
    cx = x0 + cell_m / 2
    cy = y0 + cell_m / 2
    shapely.prepare(shape)
    if how == "centre":
        keep = shapely.contains_xy(shape, cx, cy)
        boxes = shapely.box(x0[keep], y0[keep], x0[keep] + cell_m, y0[keep] + cell_m)
    else:
        all_boxes = shapely.box(x0, y0, x0 + cell_m, y0 + cell_m)
        keep = shapely.intersects(shape, all_boxes)
        boxes = all_boxes[keep]
    return gpd.GeoDataFrame(
        {"row": rows[keep], "col": cols[keep], "x": cx[keep], "y": cy[keep]},
        geometry=boxes,
        crs=WORKING,
    )


def _refuse_degrees(shape: BaseGeometry) -> None:
    """Refuse a bare geometry whose coordinates all fit longitude/latitude ranges.

    Cells would otherwise be measured in degrees: a 500 m grid over a one-degree box
    has no cell, a "0.01 m" one has ten thousand.
    """
    minx, miny, maxx, maxy = shape.bounds
    if max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90:
        raise CRSError(
            text("geo.grid.degrees", minx=minx, miny=miny, maxx=maxx, maxy=maxy, working=WORKING)
        )
