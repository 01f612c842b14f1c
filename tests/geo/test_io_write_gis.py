"""geo.io.write as a GIS team's tools read it: one geometry type, clean GeoJSON, GDAL 3.6."""

from __future__ import annotations

import json
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, box

from geo.io import GPKG_VERSION, STYLES_TABLE, read, uniform_geometries, write, write_table
from tests._gis_files import STYLE_COLUMNS, geojson_problems, ogrinfo_layers, read_styles

# Two vertices 3e-8 degrees apart (3 mm): distinct in memory, the same point once GeoJSON
# rounds to 7 decimals, as on the seams of the agglomeration areas' overlays.
NEAR_TWIN = Polygon(
    [
        (115.80, 28.60),
        (115.90, 28.60),
        (115.90000003, 28.60000001),
        (115.90, 28.70),
        (115.80, 28.60),
    ]
)


def test_uniform_geometries_promote_polygons_and_keep_missing():
    geoms = [box(0, 0, 1, 1), MultiPolygon([box(2, 2, 3, 3), box(4, 4, 5, 5)]), None,
             Polygon()]  # fmt: skip
    out, kind = uniform_geometries(geoms)
    assert kind == "MultiPolygon"
    assert [None if g is None else g.geom_type for g in out] == ["MultiPolygon"] * 2 + [
        None,
        "MultiPolygon",
    ]
    assert out[0].equals(box(0, 0, 1, 1))
    assert out[3].is_empty
    # The input is not modified.
    assert geoms[0].geom_type == "Polygon"


def test_uniform_geometries_points_stay_points_unless_mixed():
    assert uniform_geometries([Point(0, 0), Point(1, 1)])[1] == "Point"
    out, kind = uniform_geometries([Point(0, 0), MultiPoint([(1, 1), (2, 2)])])
    assert kind == "MultiPoint"
    assert list(shapely.get_type_id(out)) == [shapely.GeometryType.MULTIPOINT] * 2
    # Points with polygons have no one type: left as they are, for GDAL to decide.
    assert uniform_geometries([Point(0, 0), box(0, 0, 1, 1)])[1] is None


def test_every_format_writes_a_polygon_layer_as_multipolygon(tmp_path):
    mixed = gpd.GeoDataFrame(
        {"n": [1, 2]},
        geometry=[box(115.8, 28.6, 115.9, 28.7), MultiPolygon([box(116.0, 28.6, 116.1, 28.7)])],
        crs="EPSG:4326",
    )
    for name in ("m.geojson", "m.gpkg"):
        back = gpd.read_file(write(mixed, tmp_path / name))
        assert set(back.geom_type) == {"MultiPolygon"}, name
    assert set(gpd.read_parquet(write(mixed, tmp_path / "m.parquet")).geom_type) == {"MultiPolygon"}
    wkt = pd.read_csv(write(mixed, tmp_path / "m.csv"), encoding="utf-8-sig")["wkt"]
    assert wkt.str.startswith("MULTIPOLYGON").all()
    for name in ("m.geojson", "m.gpkg"):
        assert ogrinfo_layers(tmp_path / name)["m"][0] == "Multi Polygon", name


def test_geojson_has_no_repeated_vertex_after_rounding(tmp_path):
    # Without the snap to the 1e-7 grid, GDAL's rounding writes the twin vertex twice.
    path = write(gpd.GeoDataFrame(geometry=[NEAR_TWIN], crs="EPSG:4326"), tmp_path / "t.geojson")
    assert geojson_problems(path) == {}
    ring = np.asarray(json.loads(path.read_text())["features"][0]["geometry"]["coordinates"][0][0])
    assert not (np.diff(ring, axis=0) == 0).all(axis=1).any()


def test_geojson_hole_near_the_shell_stays_valid_after_rounding(tmp_path):
    # A hole 3e-8 degrees inside the shell's west edge: rounded naively to 7 decimals, an
    # edge of the hole would lie on the shell (an invalid polygon).
    x = 115.80000003
    hole = [(x, 28.64), (115.85, 28.64), (115.85, 28.66), (x, 28.66), (x, 28.64)]
    polygon = Polygon(box(115.8, 28.6, 115.9, 28.7).exterior.coords, [hole])
    assert polygon.is_valid
    assert not shapely.set_precision(polygon, 1e-7, mode="pointwise").is_valid
    path = write(gpd.GeoDataFrame(geometry=[polygon], crs="EPSG:4326"), tmp_path / "h.geojson")
    assert geojson_problems(path) == {}
    back = gpd.read_file(path).geometry.iloc[0]
    assert back.is_valid
    assert back.area == pytest.approx(polygon.area, rel=1e-5)


def test_gpkg_opens_in_gdal_36_without_warning(tmp_path):
    path = write(
        gpd.GeoDataFrame({"名称": ["示范区"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326"),
        tmp_path / "z.gpkg",
    )
    with sqlite3.connect(path) as db:
        (version,) = db.execute("PRAGMA user_version").fetchone()
    major, minor = (int(v) for v in GPKG_VERSION.split("."))
    assert version == major * 10000 + minor * 100  # 1.3 = 10300, not GDAL 3.7+'s 10400
    assert ogrinfo_layers(path) == {"z": ("Multi Polygon", 1)}


def test_empty_layer_gets_the_declared_type(tmp_path):
    empty = gpd.GeoDataFrame({"n": pd.Series([], dtype="int64")}, geometry=[], crs="EPSG:4326")
    path = write(empty, tmp_path / "e.gpkg", geometry_type="MultiPolygon")
    assert ogrinfo_layers(path) == {"e": ("Multi Polygon", 0)}


def test_style_goes_to_layer_styles_and_is_replaced_per_layer(tmp_path):
    data = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    path = tmp_path / "s.gpkg"
    write(data, path, layer="a", style="<qgis>a1</qgis>")
    write(data, path, layer="b", style="<qgis>b</qgis>")
    write(data, path, layer="a", style="<qgis>a2</qgis>")
    styles = read_styles(path)
    assert {k: v["styleQML"] for k, v in styles.items()} == {
        "a": "<qgis>a2</qgis>",
        "b": "<qgis>b</qgis>",
    }
    assert styles["a"]["f_geometry_column"] == "geom"
    table = pyogrio.read_dataframe(path, layer=STYLES_TABLE, read_geometry=False)
    assert len(table) == 2
    assert set(STYLE_COLUMNS) <= set(table.columns)
    layers = ogrinfo_layers(path)
    assert layers[STYLES_TABLE] == ("None", 2)
    assert layers["a"] == layers["b"] == ("Multi Polygon", 1)


def test_write_table_adds_an_attributes_table(tmp_path):
    path = write(gpd.GeoDataFrame(geometry=[Point(0, 0)], crs="EPSG:4326"), tmp_path / "t.gpkg")
    write_table(pd.DataFrame({"key": ["a"], "keys": [("x", "y")]}), path, layer="about")
    assert pyogrio.read_dataframe(path, layer="about")["keys"].tolist() == ["x,y"]
    assert ogrinfo_layers(path) == {"t": ("Point", 1), "about": ("None", 1)}
    with pytest.raises(ValueError, match="gpkg"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv", layer="about")


def test_a_styled_geopackage_reads_back_as_its_one_layer(tmp_path):
    # layer_styles is how the layer looks, not a second layer to choose from.
    data = gpd.GeoDataFrame({"名称": ["示范区"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    path = write(data, tmp_path / "z.gpkg", style="<qgis/>")
    back = read(path, extent=None)
    assert back.data["名称"].tolist() == ["示范区"]
    assert back.problems.empty
