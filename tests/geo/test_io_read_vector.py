"""geo.io.read on GeoJSON, GeoPackage, zipped Shapefile and KML."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely
from shapely.geometry import Point

import geo
from geo import InputError
from geo.crs import convert
from geo.io import KEPT, REJECTED, REPAIRED
from tests.geo.conftest import NANCHANG


def read(source, **kwargs):
    """geo.read with the tests' expected extent unless a test says otherwise."""
    kwargs.setdefault("extent", NANCHANG)
    return geo.read(source, **kwargs)


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def collection(features, **extra):
    return json.dumps({"type": "FeatureCollection", **extra, "features": features}).encode()


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def only_problem(result, row):
    found = result.problems[result.problems["row"] == row]
    assert len(found) == 1, result.problems.to_string()
    return found.iloc[0]


def test_geojson_good_features(files):
    data = collection([feature({"id": "007", "名称": "八一广场"}, point(*files.bayi))])
    result = read(data, name="sites.geojson")
    assert result.problems.empty
    assert result.data.crs.to_epsg() == 4326
    assert result.data["名称"].tolist() == ["八一广场"]
    assert result.data["id"].tolist() == ["007"]
    assert result.data.geometry.iloc[0].equals(Point(files.bayi))


@pytest.mark.parametrize(
    ("crs_name", "epsg"),
    [
        ("urn:ogc:def:crs:EPSG::3857", 3857),
        ("EPSG:4548", 4548),
        ("urn:ogc:def:crs:EPSG::4490", 4490),
    ],
)
def test_legacy_crs_member_is_honoured(files, crs_name, epsg):
    x, y = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(*files.bayi)
    crs = {"type": "name", "properties": {"name": crs_name}}
    data = collection([feature({"名称": "八一广场"}, point(x, y))], crs=crs)
    result = read(data, name="legacy.geojson")
    assert result.problems.empty
    got = result.data.geometry.iloc[0]
    assert got.x == pytest.approx(files.bayi[0], abs=1e-7)
    assert got.y == pytest.approx(files.bayi[1], abs=1e-7)


def test_geojson_in_metres_without_crs_is_refused(files):
    data = collection([feature({"n": 1}, point(400_000, 3_172_000))])
    with pytest.raises(InputError, match="look like projected metres") as info:
        read(data, name="metres.geojson")
    assert "EPSG:4548" in str(info.value)
    assert str(info.value).startswith("metres.geojson: ")


def test_each_bad_feature_is_reported_and_good_ones_kept(files):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[115.89, 28.67], [115.91, 28.69], [115.91, 28.67], [115.89, 28.69], [115.89, 28.67]]
        ],
    }
    features = [
        feature({"id": "1"}, point(*files.bayi)),
        feature({"id": "2"}, None),
        feature({"id": "3"}, {"type": "Point", "coordinates": []}),
        feature({"id": "4"}, bowtie),
        feature({"id": "5"}, point(files.bayi[1], files.bayi[0])),
        feature({"id": "6"}, point(121.47, 31.23)),
        feature({"id": "7"}, point(115.9, 128.7)),
        feature({"id": "1"}, point(*files.west_station)),
        feature({"id": "9"}, point(*files.west_station)),
    ]
    result = read(collection(features), name="sites.geojson")
    expected = [
        (2, "geometry", KEPT, "has no geometry (empty)"),
        (3, "geometry", KEPT, "has no geometry (empty)"),
        (4, "geometry", REPAIRED, "invalid geometry (Self-intersection"),
        (5, "geometry", KEPT, "longitude and latitude look swapped"),
        (6, "geometry", KEPT, "lies outside the expected extent (Nanchang"),
        (7, "geometry", KEPT, "coordinates are not positions on Earth"),
        (8, "id", REJECTED, "id '1' repeats feature 1"),
    ]
    got = result.problems
    assert got[["row", "column", "action"]].to_numpy().tolist() == [list(e[:3]) for e in expected]
    for row, _, _, phrase in expected:
        text = only_problem(result, row)["problem"]
        assert text.startswith(f"sites.geojson feature {row}: ")
        assert phrase in text
    assert only_problem(result, 5)["value"] == "POINT (28.6819 115.8997)"
    data = result.data
    assert data["id"].tolist() == ["1", "2", "3", "4", "5", "6", "7", "9"]
    assert data.geometry.notna().tolist() == [True, False, False, True, False, False, False, True]
    repaired = data.geometry.iloc[3]
    assert repaired.is_valid
    assert repaired.geom_type == "MultiPolygon"
    # two triangles, each half of a 0.02 x 0.01 degree box
    assert repaired.area == pytest.approx(2 * 0.5 * 0.02 * 0.01)


def test_coord_system_applies_to_geographic_vector_data(files):
    gx, gy = (float(v) for v in convert(*files.bayi, src="wgs84", dst="gcj02"))
    result = read(
        collection([feature({"n": 1}, point(gx, gy))]), name="amap.geojson", coord_system="gcj02"
    )
    got = result.data.geometry.iloc[0]
    assert (got.x, got.y) == pytest.approx(files.bayi, abs=1e-8)


def test_no_features_or_no_geometry_at_all_is_a_whole_file_error():
    with pytest.raises(InputError, match="holds no features"):
        read(collection([]), name="none.geojson")
    with pytest.raises(InputError, match="no geometry found"):
        read(collection([feature({"a": 1}, None), feature({"a": 2}, None)]), name="table.geojson")
    with pytest.raises(InputError, match="is empty"):
        read(b"", name="empty.geojson")
    with pytest.raises(InputError, match="not valid JSON"):
        read(b"{not json", name="broken.geojson")


GEOJSON_FORM = '{"type": "FeatureCollection", "features": ['


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (json.dumps([feature({"a": 1}, point(115.9, 28.6))]), "top level is a list"),
        ("5", "top level is a number"),
        (json.dumps({"type": "FeatureCollection"}), "has no 'features' list"),
        (json.dumps({"type": "FeatureCollection", "features": {}}), "has no 'features' list"),
        (json.dumps({"name": "sites"}), "there is no 'type' member"),
        (json.dumps({"type": "Topology", "objects": {}}), "'type' is 'Topology'"),
    ],
)
@pytest.mark.parametrize("as_path", [False, True])
def test_json_that_is_not_geojson_says_what_geojson_looks_like(tmp_path, content, said, as_path):
    if as_path:
        path = tmp_path / "sites.geojson"
        path.write_text(content, encoding="utf-8")
        source, name = path, None
    else:
        source, name = content.encode(), "sites.geojson"
    with pytest.raises(InputError) as info:
        read(source, name=name)
    message = str(info.value)
    assert message.startswith("sites.geojson: ")
    assert said in message
    assert GEOJSON_FORM in message
    assert str(tmp_path) not in message
    assert "/tmp" not in message
    assert "DRIVER" not in message


def test_broken_geojson_names_the_line_and_column_of_the_error():
    text = '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",,}\n]}'
    with pytest.raises(InputError) as info:
        read(text.encode(), name="broken.geojson")
    message = str(info.value)
    assert message.startswith("broken.geojson is not valid JSON")
    # The second comma on line 3 ('  {"type": "Feature",,}') is at column 22.
    assert "line 3, column 22" in message
    assert "DRIVER" not in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # GDAL: "'/tmp/.../upload.gpkg' not recognized as being in a supported file
        # format.; It might help to specify the correct driver ... '<DRIVER>:' ..."
        ("sites.gpkg", b"not a geopackage at all"),
        ("sites.kml", b"<a>"),  # GDAL: "ERROR parsing kml /tmp/.../upload.kml ..."
    ],
)
def test_gdal_errors_name_the_upload_not_its_temporary_path(name, content):
    with pytest.raises(InputError) as info:
        read(content, name=name)
    message = str(info.value)
    assert message.startswith(f"{name} cannot be opened (")
    # GDAL's detail names the file too: by its display name, where it had the temp path.
    assert message.count(name) == 2
    assert "geo-io-" not in message
    assert "upload." not in message
    assert "DRIVER" not in message
    assert "It might help" not in message


def test_geojson_property_with_numbers_and_text_is_kept_as_given(files):
    # GDAL types such a property as JSON; pyogrio's "Could not parse column" warning would
    # fail this test (warnings are errors) if it reached the caller.
    data = collection(
        [
            feature({"segment": 5, "n": 1}, point(*files.bayi)),
            feature({"segment": "x", "n": 2}, point(*files.west_station)),
        ]
    )
    result = read(data, name="mixed.geojson")
    assert result.data["segment"].tolist() == ["5", "x"]
    assert result.problems.empty


def test_geopackage_layers(files, sites, tmp_path):
    path = tmp_path / "plan.gpkg"
    pyogrio.write_dataframe(sites, path, layer="企业")
    pyogrio.write_dataframe(sites.iloc[:1], path, layer="zones")
    with pytest.raises(InputError, match="holds 2 layers") as info:
        read(path)
    assert "企业" in str(info.value)
    assert "zones" in str(info.value)
    assert "pass `layer=`" in str(info.value)
    result = read(path, layer="企业")
    assert result.source == "plan.gpkg"
    assert result.data["名称"].tolist() == sites["名称"].tolist()
    assert result.data["id"].tolist() == ["007", "008", "009"]
    assert len(read(path, layer="zones").data) == 1
    with pytest.raises(InputError, match="no layer 'roads'; its layers are"):
        read(path, layer="roads")
    single = tmp_path / "one.gpkg"
    pyogrio.write_dataframe(sites, single, layer="only")
    assert len(read(single).data) == 3
    # an upload of the same file reads the same
    assert len(read(single.read_bytes(), name="one.gpkg").data) == 3


def test_projected_geopackage_is_transformed(files, sites, tmp_path):
    path = tmp_path / "gk.gpkg"
    pyogrio.write_dataframe(sites.to_crs(4548), path)
    got = read(path).data.geometry.iloc[0]
    assert (got.x, got.y) == pytest.approx(files.bayi, abs=1e-7)
    with pytest.raises(InputError, match="projected CRS"):
        read(path, coord_system="gcj02")


@pytest.mark.parametrize(
    ("encoding", "cpg"), [("UTF-8", True), ("UTF-8", False), ("GB18030", True), ("GB18030", False)]
)
def test_zipped_shapefile_encodings(files, site_points, tmp_path, encoding, cpg):
    parts = files.shapefile_parts(site_points, tmp_path / "shp", encoding=encoding, cpg=cpg)
    assert ("sites.cpg" in parts) == cpg
    result = read(files.zip_bytes(parts), name="sites.zip")
    assert result.problems.empty
    assert result.data["名称"].tolist() == ["八一广场", "南昌西站"]
    assert result.data.geometry.iloc[0].equals(Point(files.bayi))


def test_zip_with_folders_and_two_shapefiles(files, site_points, tmp_path):
    a = files.shapefile_parts(site_points, tmp_path / "a", encoding="UTF-8", cpg=True, stem="企业")
    b = files.shapefile_parts(
        site_points.iloc[:1], tmp_path / "b", encoding="UTF-8", cpg=True, stem="zones"
    )
    members = {f"data/{k}": v for k, v in a.items()} | {f"data/{k}": v for k, v in b.items()}
    data = files.zip_bytes(members)
    with pytest.raises(InputError, match="holds 2 shapefiles"):
        read(data, name="both.zip")
    assert len(read(data, name="both.zip", layer="zones").data) == 1
    assert len(read(data, name="both.zip", layer="企业").data) == 2
    with pytest.raises(InputError, match="no shapefile named 'roads'"):
        read(data, name="both.zip", layer="roads")


def test_incomplete_or_missing_shapefile(files, site_points, tmp_path):
    parts = files.shapefile_parts(site_points, tmp_path / "s", encoding="UTF-8", cpg=True)
    del parts["sites.dbf"]
    with pytest.raises(InputError, match=r"lacks its \.dbf part"):
        read(files.zip_bytes(parts), name="sites.zip")
    with pytest.raises(InputError, match=r"holds no shapefile \(\.shp\)"):
        read(files.zip_bytes({"readme.txt": b"hello"}), name="sites.zip")
    with pytest.raises(InputError, match="not a valid zip"):
        read(b"PK\x03\x04 not really", name="sites.zip")


def test_shapefile_without_prj(files, site_points, tmp_path):
    geographic = files.shapefile_parts(site_points, tmp_path / "g", encoding="UTF-8", cpg=True)
    del geographic["sites.prj"]
    assert len(read(files.zip_bytes(geographic), name="g.zip").data.dropna(subset="geometry")) == 2
    metres = files.shapefile_parts(
        site_points.to_crs(4548), tmp_path / "m", encoding="UTF-8", cpg=True
    )
    del metres["sites.prj"]
    with pytest.raises(InputError, match="EPSG:4548"):
        read(files.zip_bytes(metres), name="m.zip")
    declared = read(files.zip_bytes(metres), name="m.zip", coord_system="EPSG:4548")
    got = declared.data.geometry.iloc[0]
    assert (got.x, got.y) == pytest.approx(files.bayi, abs=1e-7)


@pytest.mark.skipif(
    not ({"KML", "LIBKML"} & set(pyogrio.list_drivers())), reason="GDAL built without KML"
)
def test_kml(files, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"名称": ["八一广场", "南昌西站"]},
        geometry=[Point(files.bayi), Point(files.west_station)],
        crs=4326,
    )
    path = tmp_path / "sites.kml"
    pyogrio.write_dataframe(gdf, path, driver="KML")
    result = read(path)
    assert result.data["名称"].tolist() == ["八一广场", "南昌西站"]
    assert result.data.geometry.iloc[1].equals(Point(files.west_station))
    linked = path.read_bytes().replace(
        b"<Document",
        b"<NetworkLink><Link><href>http://example.com/a.kml</href></Link></NetworkLink><Document",
    )
    with pytest.raises(InputError, match="NetworkLink"):
        read(linked, name="linked.kml")
    entity = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(InputError, match="declares a DOCTYPE"):
        read(entity + path.read_bytes().split(b"?>", 1)[1], name="entity.kml")


def test_sniffed_format_when_the_name_has_no_extension(files, sites, tmp_path):
    data = collection([feature({"n": 1}, point(*files.bayi))])
    assert len(read(data, name="upload").data) == 1
    path = tmp_path / "x.gpkg"
    pyogrio.write_dataframe(sites, path)
    assert len(read(path.read_bytes()).data) == 3
    with pytest.raises(InputError, match="cannot tell the format"):
        read(b"\x01\x02", name="mystery.bin")


def test_invalid_polygon_collapsing_to_nothing(files):
    flat = {
        "type": "Polygon",
        "coordinates": [[[115.89, 28.67], [115.90, 28.67], [115.91, 28.67], [115.89, 28.67]]],
    }
    result = read(
        collection([feature({"n": 1}, point(*files.bayi)), feature({"n": 2}, flat)]),
        name="z.geojson",
    )
    problem = only_problem(result, 2)
    assert problem["action"] == KEPT
    assert "collapses to nothing" in problem["problem"]
    assert result.data.geometry.isna().tolist() == [False, True]
    assert shapely.is_valid(result.data.geometry.iloc[0])


@pytest.mark.parametrize("ids", [[1, 2, 1], ["a", "b", "a"]])
def test_top_level_feature_ids_are_kept_and_checked(files, ids):
    features = [
        {**feature({"名称": name}, point(*files.bayi)), "id": i}
        for i, name in zip(ids, ["甲", "乙", "丙"], strict=True)
    ]
    result = read(collection(features), name="ids.geojson")
    assert [str(v) for v in result.data["id"]] == [str(v) for v in ids[:2]]
    assert result.data["名称"].tolist() == ["甲", "乙"]
    problem = only_problem(result, 3)
    assert (problem["column"], problem["value"], problem["action"]) == ("id", str(ids[0]), REJECTED)


def test_attribute_table_layer_has_no_geometry(sites, tmp_path):
    path = tmp_path / "mixed.gpkg"
    pyogrio.write_dataframe(sites, path, layer="sites")
    pyogrio.write_dataframe(pd.DataFrame({"名称": ["说明"]}), path, layer="notes")
    with pytest.raises(InputError, match=r"layer 'notes' of mixed\.gpkg has no geometry column"):
        read(path, layer="notes")
    assert len(read(path, layer="sites").data) == 3


def test_shapefile_in_neither_utf8_nor_gb18030_is_refused(files, site_points, tmp_path):
    # latin-1 cannot hold the Chinese field name: a plain one is used
    latin = site_points[["geometry"]].assign(name=["ÿÿ", "ÿ"])
    parts = files.shapefile_parts(latin, tmp_path / "l", encoding="ISO-8859-1", cpg=False)
    with pytest.raises(InputError, match=r"neither UTF-8 nor GBK/GB18030; add a \.cpg"):
        read(files.zip_bytes(parts), name="latin.zip")
    parts = files.shapefile_parts(latin, tmp_path / "c", encoding="ISO-8859-1", cpg=True)
    assert read(files.zip_bytes(parts), name="latin.zip").data["name"].tolist() == ["ÿÿ", "ÿ"]


def test_shapefile_whose_cpg_names_the_wrong_encoding(files, site_points, tmp_path):
    parts = files.shapefile_parts(site_points, tmp_path / "w", encoding="GB18030", cpg=False)
    parts["sites.cpg"] = b"UTF-8"
    with pytest.raises(InputError, match=r"not in the encoding its \.cpg file names"):
        read(files.zip_bytes(parts), name="wrong.zip")


def test_corrupt_geopackage_is_a_whole_file_error():
    with pytest.raises(InputError, match=r"broken\.gpkg cannot be opened"):
        read(b"SQLite format 3\x00" + b"\x00" * 200, name="broken.gpkg")


def test_extent_none_accepts_any_location(files):
    data = collection(
        [feature({"n": 1}, point(121.47, 31.23)), feature({"n": 2}, point(*files.bayi))]
    )
    assert read(data, name="a.geojson", extent=None).problems.empty
    assert geo.read(data, name="a.geojson").problems.empty  # no extent unless one is given
    assert read(data, name="a.geojson").data.geometry.isna().tolist() == [True, False]
