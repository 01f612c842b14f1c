"""geo.io.write: RFC 7946 GeoJSON, GeoPackage layers, CSV; Chinese round trips."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, Point, Polygon

from geo import CRSError, read, write

# A clockwise outer ring with a counter-clockwise hole: both wrong for RFC 7946.
CW_SHELL = [(115.80, 28.60), (115.80, 28.70), (115.90, 28.70), (115.90, 28.60), (115.80, 28.60)]
CCW_HOLE = [(115.84, 28.64), (115.86, 28.64), (115.86, 28.66), (115.84, 28.66), (115.84, 28.64)]


@pytest.fixture
def zones() -> gpd.GeoDataFrame:
    polygon = Polygon(CW_SHELL, [CCW_HOLE])
    assert not polygon.exterior.is_ccw
    assert polygon.interiors[0].is_ccw
    return gpd.GeoDataFrame(
        {"编号": ["Z1"], "名称": ["储能电池集聚区"]}, geometry=[polygon], crs="EPSG:4326"
    )


def rings(geometry_json):
    return [np.asarray(ring) for ring in geometry_json["coordinates"]]


def test_geojson_follows_rfc_7946(zones, sites, tmp_path):
    path = write(zones, tmp_path / "zones.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc
    geometry = doc["features"][0]["geometry"]
    # A polygon layer is written as MultiPolygon: one geometry type per layer.
    assert geometry["type"] == "MultiPolygon"
    (shell, hole) = rings({"coordinates": geometry["coordinates"][0]})
    assert shapely.LinearRing(shell).is_ccw
    assert not shapely.LinearRing(hole).is_ccw
    # longitude first: Nanchang is near 115.9 E, 28.7 N
    assert np.all((shell[:, 0] > 115) & (shell[:, 0] < 117))
    assert np.all((shell[:, 1] > 28) & (shell[:, 1] < 29))
    points = json.loads(write(sites, tmp_path / "sites.geojson").read_text(encoding="utf-8"))
    assert points["features"][0]["geometry"]["coordinates"] == list(
        sites.geometry.iloc[0].coords[0]
    )


def test_geojson_is_wgs84_with_seven_decimals(sites, tmp_path):
    precise = sites.copy()
    precise.loc[0, "geometry"] = Point(115.123456789, 28.987654321)
    path = write(precise.to_crs(4548), tmp_path / "sites.geojson")
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    x, y = doc["features"][0]["geometry"]["coordinates"]
    assert (x, y) == pytest.approx((115.1234568, 28.9876543), abs=1.5e-7)
    numbers = re.findall(r"-?\d+\.(\d+)", text.split('"features"', 1)[1])
    assert numbers
    assert max(len(decimals) for decimals in numbers) <= 7


def test_chinese_round_trips_through_every_writer(sites, tmp_path):
    for name in ["sites.geojson", "sites.gpkg", "sites.csv"]:
        path = write(sites, tmp_path / name)
        back = read(path, extent=None)
        assert back.problems.empty, name
        assert back.data["名称"].tolist() == ["八一广场", "南昌西站", "示范区"], name
        assert back.data["id"].tolist() == ["007", "008", "009"], name
        # GeoJSON snaps to its 1e-7 grid, which may start a ring at another vertex: the
        # same shape, compared in normal form.
        got, want = back.data.geometry.normalize(), sites.geometry.normalize()
        assert got.geom_equals_exact(want, tolerance=1e-7).all(), name


def test_csv_points_get_lon_lat_with_bom(site_points, tmp_path):
    path = write(site_points, tmp_path / "points.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(table.columns) == ["id", "名称", "lon", "lat"]
    back = read(path)
    assert back.data["lon"].tolist() == site_points.geometry.x.tolist()
    assert back.data["lat"].tolist() == site_points.geometry.y.tolist()


def test_csv_other_geometries_get_wkt(zones, tmp_path):
    path = write(zones, tmp_path / "zones.csv")
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(table.columns) == ["编号", "名称", "wkt"]
    back = read(path)
    # The polygon comes back as the one-part MultiPolygon it was written as, vertex for vertex.
    assert back.data.geometry.iloc[0].equals_exact(MultiPolygon([zones.geometry.iloc[0]]), 0)


def test_csv_unlocated_rows_stay_with_empty_coordinates(site_points, tmp_path):
    data = site_points.copy()
    data.loc[1, "geometry"] = None
    path = write(data, tmp_path / "p.csv")
    back = read(path)
    assert back.data.geometry.isna().tolist() == [False, True]
    assert back.problems["action"].tolist() == ["kept unlocated"]


def test_gpkg_replaces_one_layer_and_keeps_the_others(sites, zones, tmp_path):
    path = tmp_path / "plan.gpkg"
    write(sites, path, layer="enterprises")
    write(zones, path, layer="zones")
    write(sites.iloc[:1], path, layer="enterprises")
    layers = dict(pyogrio.list_layers(path).tolist())
    assert set(layers) == {"enterprises", "zones"}
    assert len(pyogrio.read_dataframe(path, layer="enterprises")) == 1
    kept = pyogrio.read_dataframe(path, layer="zones")
    assert_geodataframe_equal(kept, zones, check_dtype=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.gpkg"]
    # default layer: the file's stem
    write(zones, tmp_path / "zones.gpkg")
    assert pyogrio.list_layers(tmp_path / "zones.gpkg")[0][0] == "zones"


def test_a_failed_write_leaves_the_old_file_intact(sites, tmp_path, monkeypatch):
    path = tmp_path / "plan.gpkg"
    write(sites, path, layer="enterprises")
    before = path.read_bytes()
    real = pyogrio.write_dataframe

    def crash_midway(*args, **kwargs):
        real(*args, **kwargs)  # the new layer is written (into the copy) ...
        raise OSError("disk full")  # ... and then the process fails

    monkeypatch.setattr(pyogrio, "write_dataframe", crash_midway)
    for name in ["plan.gpkg", "plan.geojson"]:
        with pytest.raises(OSError, match="disk full"):
            write(sites.iloc[:1], tmp_path / name, layer="enterprises")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.gpkg"]


def test_write_does_not_mutate_and_keeps_a_named_index(sites, tmp_path):
    data = sites.set_index("id").to_crs(4548)
    data["segments"] = [("cathode", "anode"), ("pcs",), ()]
    copy = data.copy()
    path = write(data, tmp_path / "s.geojson")
    assert_geodataframe_equal(data, copy)
    back = read(path)
    assert back.data["id"].tolist() == ["007", "008", "009"]
    assert back.data["segments"].tolist() == ["cathode,anode", "pcs", ""]


def test_write_errors(sites, tmp_path):
    with pytest.raises(CRSError, match="no CRS"):
        write(sites.set_crs(None, allow_override=True), tmp_path / "a.geojson")
    with pytest.raises(ValueError, match="extension must be one of"):
        write(sites, tmp_path / "a.shp")
    with pytest.raises(ValueError, match="does not exist"):
        write(sites, tmp_path / "missing" / "a.csv")


def test_csv_wkt_wins_over_lon_lat_columns(zones, tmp_path):
    labelled = zones.assign(lon=["115.85"], lat=["28.65"])
    back = read(write(labelled, tmp_path / "z.csv"))
    # The polygon comes back as the one-part MultiPolygon it was written as, vertex for vertex.
    assert back.data.geometry.iloc[0].equals_exact(MultiPolygon([zones.geometry.iloc[0]]), 0)
    assert back.data["lon"].tolist() == ["115.85"]


def test_csv_read_from_other_coordinate_names_round_trips(tmp_path):
    # A GCJ-02 table with Chinese headers: reading adds lon/lat in WGS 84 and keeps 经度/纬度
    # as typed; writing must keep both without making the file ambiguous to read back.
    src = tmp_path / "amap.csv"
    src.write_text("编号,名称,经度,纬度\n1,南昌站,115.9,28.66\n", encoding="utf-8")
    first = read(str(src), coord_system="gcj02").data
    out = write(first, tmp_path / "out.csv")
    back = read(str(out)).data
    assert back["经度_source"].iloc[0] == "115.9"
    assert back["纬度_source"].iloc[0] == "28.66"
    assert back.geometry.x.iloc[0] == pytest.approx(first.geometry.x.iloc[0], abs=1e-9)
    assert back.geometry.x.iloc[0] < 115.9 - 0.004  # WGS 84, not the GCJ-02 text
