"""GeoParquet through geo.io: written as GeoParquet 1.1, read from 1.0/1.1 with every check."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import pytest
import shapely
from shapely.geometry import Point

from geo import InputError, read, write
from geo.crs import convert
from geo.io import KEPT, REJECTED
from tests.geo.conftest import BAYI, NANCHANG, WEST_STATION


def geo_metadata(path):
    return json.loads(pq.ParquetFile(path).schema_arrow.metadata[b"geo"])


def firms(n=3):
    lon = np.linspace(115.8, 116.0, n)
    return gpd.GeoDataFrame(
        {
            "id": [f"{i:03d}" for i in range(n)],
            "名称": [f"企业{i}" for i in range(n)],
            "capacity": np.arange(n, dtype=float),
            "synthetic": [True] * n,
        },
        geometry=gpd.points_from_xy(lon, np.full(n, 28.68)),
        crs="EPSG:4326",
    )


def only_problem(result, row):
    found = result.problems[result.problems["row"] == row]
    assert len(found) == 1, result.problems.to_string()
    return found.iloc[0]


def test_written_file_is_geoparquet_1_1_with_wkb_and_a_bbox_covering(sites, tmp_path):
    path = write(sites.to_crs("EPSG:4548"), tmp_path / "sites.parquet")
    meta = geo_metadata(path)
    column = meta["columns"]["geometry"]
    assert meta["version"] == "1.1.0"
    assert meta["primary_column"] == "geometry"
    assert column["encoding"] == "WKB"
    # WGS 84 whatever the data's CRS was
    assert pyproj.CRS.from_user_input(column["crs"]).equals(pyproj.CRS("EPSG:4326"))
    assert column["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert "bbox" in pq.ParquetFile(path).schema_arrow.names
    assert sorted(column["geometry_types"]) == ["Point", "Polygon"]


def test_round_trip_keeps_values_and_types_and_drops_the_covering(sites, tmp_path):
    data = sites.assign(
        n=[1.5, np.nan, 3.0], flag=[True, False, True], areas=[("a", "b"), (), None]
    )
    path = write(data, tmp_path / "sites.parquet")
    result = read(path)
    assert result.problems.empty
    assert result.source == "sites.parquet"
    assert list(result.data.columns) == ["id", "名称", "n", "flag", "areas", "geometry"]
    assert result.data["id"].tolist() == ["007", "008", "009"]
    assert result.data["名称"].tolist() == ["八一广场", "南昌西站", "示范区"]
    assert result.data["n"].dtype == np.float64
    assert result.data["flag"].dtype == bool
    # tuples of keys are written as comma-separated text, as in every other format
    assert result.data["areas"].tolist()[:2] == ["a,b", ""]
    assert result.data.crs.to_epsg() == 4326
    assert all(result.data.geometry.geom_equals_exact(sites.geometry, 1e-9))
    assert result.rows.tolist() == [1, 2, 3]


def test_projected_crs_is_transformed_to_wgs84(site_points, tmp_path):
    path = tmp_path / "metres.parquet"
    site_points.to_crs("EPSG:4548").to_parquet(path)  # geopandas' own writer
    result = read(path, extent=NANCHANG)
    assert result.problems.empty
    got = result.data.geometry.get_coordinates().to_numpy()
    np.testing.assert_allclose(got, [BAYI, WEST_STATION], atol=1e-7)


def test_missing_and_empty_geometries_are_kept_unlocated_by_row(tmp_path):
    data = firms(4)
    data.loc[1, "geometry"] = None
    data.loc[3, "geometry"] = Point()
    path = write(data, tmp_path / "firms.parquet")
    result = read(path, extent=NANCHANG)
    assert len(result.data) == 4
    assert result.data.geometry.isna().tolist() == [False, True, False, True]
    assert result.problems["row"].tolist() == [2, 4]
    assert set(result.problems["action"]) == {KEPT}
    assert set(result.problems["column"]) == {"geometry"}
    assert "firms.parquet row 2: the geometry (geometry) is empty" in result.problems["problem"][0]


def test_undecodable_wkb_is_reported_and_the_record_kept(tmp_path):
    wkb = [shapely.to_wkb(Point(BAYI)), b"\x01\x02not wkb", shapely.to_wkb(Point(WEST_STATION))]
    table = pa.table({"id": ["a", "b", "c"], "geom": pa.array(wkb, type=pa.binary())})
    meta = {"version": "1.0.0", "primary_column": "geom", "columns": {"geom": {"encoding": "WKB"}}}
    path = tmp_path / "bad.parquet"
    pq.write_table(table.replace_schema_metadata({"geo": json.dumps(meta)}), path)
    result = read(path)
    problem = only_problem(result, 2)
    assert problem["column"] == "geom"
    assert problem["action"] == KEPT
    assert "is not valid WKB" in problem["problem"]
    # the geometry column keeps geo.io's name; no CRS member means OGC:CRS84 (lon/lat)
    assert result.data.geometry.name == "geometry"
    assert result.data.geometry.iloc[0].equals(Point(BAYI))
    assert result.data["id"].tolist() == ["a", "b", "c"]


def test_an_unknown_crs_with_metres_is_refused_unless_declared(site_points, tmp_path):
    metres = site_points.to_crs("EPSG:4548")
    table = pa.table({"id": ["a", "b"], "geometry": shapely.to_wkb(metres.geometry.array)})
    meta = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "crs": None}},
    }
    path = tmp_path / "nocrs.parquet"
    pq.write_table(table.replace_schema_metadata({"geo": json.dumps(meta)}), path)
    with pytest.raises(InputError, match=r"nocrs\.parquet: .*projected metres.*EPSG:4548"):
        read(path, extent=NANCHANG)
    result = read(path, coord_system="EPSG:4548", extent=NANCHANG)
    np.testing.assert_allclose(
        result.data.geometry.get_coordinates().to_numpy(), [BAYI, WEST_STATION], atol=1e-7
    )


def test_gcj02_points_are_converted(site_points, tmp_path):
    path = write(site_points, tmp_path / "amap.parquet")
    result = read(path, coord_system="gcj02")
    expected = np.column_stack(convert([BAYI[0]], [BAYI[1]], src="gcj02", dst="wgs84"))
    np.testing.assert_allclose(result.data.geometry.get_coordinates().to_numpy()[:1], expected)


def test_geoarrow_point_encoding_is_read(site_points, tmp_path):
    path = tmp_path / "native.parquet"
    with_missing = pd.concat([site_points, site_points.iloc[:1].assign(geometry=None)])
    with_missing.to_parquet(path, geometry_encoding="geoarrow")
    assert geo_metadata(path)["columns"]["geometry"]["encoding"] == "point"
    result = read(path)
    assert result.data.geometry.iloc[:2].tolist() == [Point(BAYI), Point(WEST_STATION)]
    assert result.problems["row"].tolist() == [3]


def test_other_geoarrow_encodings_are_refused_with_the_fix(sites, tmp_path):
    path = tmp_path / "polygons.parquet"
    sites.iloc[2:].to_parquet(path, geometry_encoding="geoarrow")
    with pytest.raises(InputError, match=r"GeoArrow 'polygon' encoding.*geometry_encoding='WKB'"):
        read(path)


def test_repeated_ids_are_rejected_by_row(tmp_path):
    data = firms(4)
    data.loc[2, "id"] = "000"
    result = read(write(data, tmp_path / "firms.parquet"))
    assert result.data["id"].tolist() == ["000", "001", "003"]
    assert result.rows.tolist() == [1, 2, 4]
    problem = only_problem(result, 3)
    assert problem["action"] == REJECTED
    assert "id '000' repeats row 1" in problem["problem"]


def test_points_outside_the_extent_are_kept_unlocated(tmp_path):
    data = firms(2)
    data.loc[1, "geometry"] = Point(121.47, 31.23)  # Shanghai
    result = read(write(data, tmp_path / "firms.parquet"), extent=NANCHANG)
    assert result.data.geometry.isna().tolist() == [False, True]
    assert "outside the expected extent" in only_problem(result, 2)["problem"]


def test_plain_parquet_with_coordinate_columns_is_read_as_a_table(tmp_path):
    path = tmp_path / "table.parquet"
    pd.DataFrame(
        {"id": ["a", "b", "c"], "经度": [BAYI[0], None, 200.0], "纬度": [BAYI[1], 28.6, 28.6]}
    ).to_parquet(path)
    result = read(path)
    assert result.data["lon"].tolist()[0] == BAYI[0]
    assert result.data.geometry.isna().tolist() == [False, True, True]
    # rows are numbered from 1: a Parquet file has no header row
    assert result.problems["row"].tolist() == [2, 3]
    assert "longitude (经度) is empty" in result.problems["problem"][0]


def test_plain_parquet_without_coordinates_is_refused(tmp_path):
    path = tmp_path / "names.parquet"
    pd.DataFrame({"name": ["a"]}).to_parquet(path)
    with pytest.raises(InputError, match=r"names\.parquet: no coordinates found"):
        read(path)


def test_uploads_are_read_by_extension_or_by_their_magic_bytes(site_points, tmp_path):
    data = write(site_points, tmp_path / "s.parquet").read_bytes()
    for name in ("upload.parquet", None):
        result = read(data, name=name)
        assert result.data["id"].tolist() == ["007", "008"]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"PAR1 but not really", r"bad\.parquet is not a readable Parquet file"),
        (b"", r"bad\.parquet is not a readable Parquet file"),
    ],
)
def test_broken_files_are_refused(tmp_path, content, match):
    path = tmp_path / "bad.parquet"
    path.write_bytes(content)
    with pytest.raises(InputError, match=match):
        read(path)


def test_files_without_rows_or_with_malformed_metadata_are_refused(tmp_path):
    empty = tmp_path / "empty.parquet"
    firms(1).iloc[:0].to_parquet(empty)
    with pytest.raises(InputError, match=r"empty\.parquet holds no rows"):
        read(empty)
    broken = tmp_path / "meta.parquet"
    table = pa.table({"geometry": [shapely.to_wkb(Point(BAYI))]})
    pq.write_table(table.replace_schema_metadata({"geo": "{not json"}), broken)
    with pytest.raises(InputError, match=r"meta\.parquet: its GeoParquet metadata"):
        read(broken)


def test_a_data_column_named_bbox_is_kept_and_the_covering_left_out(site_points, tmp_path):
    path = write(site_points.assign(bbox=["x", "y"]), tmp_path / "b.parquet")
    assert "covering" not in geo_metadata(path)["columns"]["geometry"]
    assert read(path).data["bbox"].tolist() == ["x", "y"]


def test_row_groups_are_small_enough_to_read_in_batches(tmp_path):
    data = firms(70_000)
    path = write(data, tmp_path / "many.parquet")
    groups = pq.ParquetFile(path).metadata
    assert groups.num_row_groups == 2
    assert groups.row_group(0).num_rows == 65_536
