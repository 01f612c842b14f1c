from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo import CRSError
from geo.crs import WGS84, WORKING
from geo.grid import grid


def test_cells_tile_a_rectangle_exactly():
    cells = grid(box(0, 0, 1000, 500), 250)
    assert len(cells) == 8
    assert cells.area.sum() == pytest.approx(500_000)
    assert cells.crs.to_epsg() == 4548
    assert set(cells.columns) >= {"row", "col", "x", "y", "geometry"}
    assert cells.geometry.union_all().equals(box(0, 0, 1000, 500))


def test_centre_rule_counts_area_once_and_intersects_covers():
    disc = Point(0, 0).buffer(5000, quad_segs=64)
    centre = grid(disc, 100)
    # cell count times cell area approximates the disc area closely
    assert centre.area.sum() == pytest.approx(disc.area, rel=0.01)
    cover = grid(disc, 100, how="intersects")
    assert cover.geometry.union_all().contains(disc)
    assert len(cover) > len(centre)


def test_geodataframe_input_is_projected_and_naive_refused():
    gdf = gpd.GeoDataFrame(geometry=[box(115.8, 28.6, 115.82, 28.62)], crs=WGS84)
    cells = grid(gdf, 500)
    assert cells.crs.to_epsg() == 4548
    area = gdf.to_crs(WORKING).area.iloc[0]
    assert cells.area.sum() == pytest.approx(area, rel=0.1)
    with pytest.raises(CRSError):
        grid(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)]), 10)


@pytest.mark.parametrize("bad", [0, -5, float("nan")])
def test_bad_cell_size_refused(bad):
    with pytest.raises(ValueError, match="cell_m"):
        grid(box(0, 0, 10, 10), bad)


def test_unit_mistake_refused_before_allocating():
    with pytest.raises(ValueError, match="is it in metres"):
        grid(box(0, 0, 150_000, 130_000), 1)


def test_empty_area_gives_empty_grid():
    cells = grid(box(0, 0, 0, 0).buffer(0), 10)
    assert len(cells) == 0
    assert cells.crs.to_epsg() == 4548


@pytest.mark.parametrize("cell", [500, 0.01])
def test_bare_geometry_in_degrees_refused(cell):
    # One degree around Nanchang, given without a CRS: a 500 "m" grid would have no cell
    # and a 0.01 one ten thousand, both measured in degrees.
    with pytest.raises(CRSError, match=r"to_crs\(geo.crs.WORKING\)"):
        grid(box(115, 28, 116, 29), cell)


def test_same_area_in_working_crs_is_gridded():
    lonlat = gpd.GeoSeries([box(115.8, 28.6, 115.82, 28.62)], crs=WGS84)
    metric = lonlat.to_crs(WORKING).iloc[0]
    assert 3e5 < metric.bounds[0] < 5e5  # EPSG:4548 x in Nanchang
    bare = grid(metric, 500)
    from_series = grid(lonlat, 500)
    assert len(bare) == len(from_series) > 0
    assert bare.area.sum() == pytest.approx(metric.area, rel=0.1)
