"""layers.edits on tiny hand-made layers: zone edits, area-keyed tables, download bytes."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString, Point, box

from geo import CRSError
from geo.crs import WORKING
from layers import edits


def zones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "zone_id": ["a", "b", "a"],
            "name_zh": ["甲", "乙", "甲二"],
            "name_en": ["A", "B", "A2"],
            "level": ["national", "provincial", "national"],
            "area_km2": [1.0, 2.0, 3.0],
            "boundary_source": ["approximate", "official", "approximate"],
        },
        geometry=[
            box(115.80, 28.60, 115.81, 28.61),
            box(115.82, 28.60, 115.83, 28.61),
            box(115.84, 28.60, 115.85, 28.61),
        ],
        crs="EPSG:4326",
    )


SHAPE = box(115.90, 28.60, 115.92, 28.62)


def measured_km2(shape) -> float:
    return float(gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(WORKING).area.iloc[0]) / 1e6


def test_replacing_a_zone_keeps_its_place_and_attributes_and_measures_it():
    before = zones()
    original = before.copy()
    out = edits.edited_zones(before, "b", SHAPE, name_zh="新乙", name_en="New B")
    assert_geodataframe_equal(before, original)  # the input is untouched
    assert list(out["zone_id"]) == ["a", "b", "a"]
    row = out.iloc[1]
    assert (row["name_zh"], row["name_en"], row["boundary_source"]) == ("新乙", "New B", "drawn")
    assert row["level"] == "provincial"
    assert row.geometry.equals(SHAPE)
    assert row["area_km2"] == pytest.approx(measured_km2(SHAPE))
    # A 0.02 degree square near 28.6 N is about 2 km x 2.2 km.
    assert 3.5 < row["area_km2"] < 5.5
    assert out.crs == before.crs
    # Untouched rows stay as they were.
    assert out.iloc[0]["area_km2"] == 1.0
    assert out.iloc[2].geometry.equals(before.iloc[2].geometry)


def test_a_repeated_zone_id_collapses_to_its_first_row():
    out = edits.edited_zones(zones(), "a", SHAPE, name_zh="甲", name_en="A")
    assert list(out["zone_id"]) == ["a", "b"]
    assert out.iloc[0].geometry.equals(SHAPE)
    assert list(out.index) == [0, 1]


def test_a_new_zone_is_appended():
    before = zones()
    out = edits.edited_zones(before, "c_new", SHAPE, name_zh="丙", name_en="C")
    assert len(out) == len(before) + 1
    new = out.iloc[-1]
    assert (new["zone_id"], new["level"], new["boundary_source"]) == ("c_new", "", "drawn")
    assert new["area_km2"] == pytest.approx(measured_km2(SHAPE))
    assert list(out.columns) == list(before.columns)


@pytest.mark.parametrize("shape", [None, Point(115.9, 28.6), LineString([(0, 0), (1, 1)])])
def test_only_polygons_can_be_zone_boundaries(shape):
    with pytest.raises(ValueError, match="Polygon"):
        edits.edited_zones(zones(), "a", shape, name_zh="甲", name_en="A")


def test_zones_without_crs_are_refused():
    with pytest.raises(CRSError, match="set_crs"):
        edits.edited_zones(
            zones().set_crs(None, allow_override=True), "a", SHAPE, name_zh="", name_en=""
        )


def test_on_areas_gives_each_row_its_area_polygon():
    areas = gpd.GeoDataFrame(
        {"name_zh": ["电池", "材料"]},
        geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)],
        index=pd.Index(["battery", "materials"], name="area"),
        crs="EPSG:4326",
    )
    table = pd.DataFrame({"area": ["materials", "battery", "nowhere"], "count": [1, 2, 3]})
    out = edits.on_areas(table, areas)
    assert list(out["count"]) == [1, 2, 3]
    assert out.geometry.iloc[0].equals(areas.geometry["materials"])
    assert out.geometry.iloc[1].equals(areas.geometry["battery"])
    assert out.geometry.iloc[2] is None
    assert "geometry" not in table  # the input is untouched


def points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["P-1", "P-2", "P-3"],
            "name_zh": ["甲厂", "乙厂", "无坐标"],
            "verdict": pd.Categorical(["conforming", "outside", "unlocated"]),
            "segments": [("cathode", "anode"), ("pcs",), ()],
        },
        geometry=[Point(115.85, 28.68), Point(115.9, 28.7), None],
        crs="EPSG:4326",
    )


def test_geojson_bytes_are_rfc7946():
    data = json.loads(edits.file_bytes(points(), "geojson", layer="firms"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    assert len(data["features"]) == 3
    first = data["features"][0]
    assert first["geometry"]["coordinates"] == pytest.approx([115.85, 28.68])
    assert first["properties"]["name_zh"] == "甲厂"
    assert first["properties"]["verdict"] == "conforming"


def test_geojson_is_written_in_wgs84_whatever_the_input_crs():
    data = json.loads(edits.file_bytes(points().to_crs(WORKING), "geojson"))
    assert data["features"][1]["geometry"]["coordinates"] == pytest.approx([115.9, 28.7])


def test_gpkg_bytes_open_with_pyogrio(tmp_path):
    path = tmp_path / "out.gpkg"
    path.write_bytes(edits.file_bytes(points(), "gpkg", layer="check"))
    assert [str(name) for name, _ in pyogrio.list_layers(path)] == ["check"]
    back = pyogrio.read_dataframe(path, layer="check")
    assert list(back["id"]) == ["P-1", "P-2", "P-3"]
    assert list(back["verdict"]) == ["conforming", "outside", "unlocated"]
    assert back["segments"].iloc[0] == "cathode,anode"
    assert back.crs.to_epsg() == 4326


def test_csv_bytes_have_lon_lat_and_text_verbatim():
    raw = edits.file_bytes(points(), "csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    table = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(table["lon"].iloc[:2]) == pytest.approx([115.85, 115.9])
    assert list(table["lat"].iloc[:2]) == pytest.approx([28.68, 28.7])
    assert table["lon"].isna().iloc[2]
    assert list(table["name_zh"]) == ["甲厂", "乙厂", "无坐标"]


def test_polygon_csv_carries_wkt():
    table = pd.read_csv(io.BytesIO(edits.file_bytes(zones(), "csv")), encoding="utf-8-sig")
    # A polygon layer is written as MultiPolygon throughout (one geometry type per layer).
    assert table["wkt"].str.startswith("MULTIPOLYGON").all()


@pytest.mark.parametrize(
    ("fmt", "layer"),
    [("shp", "x"), ("geojson", "../etc/passwd"), ("gpkg", "Layer"), ("csv", "")],
)
def test_unknown_formats_and_unsafe_layer_names_are_refused(fmt, layer):
    with pytest.raises(ValueError, match=r"`fmt`|`layer`"):
        edits.file_bytes(points(), fmt, layer=layer)


def test_boundary_polygons_keep_only_polygons_in_wgs84():
    import geopandas as gpd
    from shapely.geometry import LineString, Point, box

    from layers.edits import boundary_polygons

    metric = gpd.GeoDataFrame(
        geometry=[
            box(400_000, 3_170_000, 401_000, 3_171_000),
            Point(400_500, 3_170_500),
            LineString([(400_000, 3_170_000), (401_000, 3_171_000)]),
            None,
        ],
        crs="EPSG:4548",
        index=[7, 8, 9, 10],
    )
    out = boundary_polygons(metric)
    assert list(out.index) == [7]
    assert out.crs.to_epsg() == 4326
    assert 115 < out.iloc[0].centroid.x < 117
