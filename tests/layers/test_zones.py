"""Approximate development zones: the shipped file, its build, and the growth algorithm."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import yaml
from shapely.geometry import Point, box

from geo import InputError
from geo.crs import WGS84, WORKING, convert_geometry
from layers import _geography as geography
from tools import build_data as build

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "data" / "zones.geojson"
PARAMS = REPO / "data" / "zone_params.yaml"

# Official areas (km2) and hosts from the issue and the fact sheet (§2a, §6).
OFFICIAL_KM2 = {"nc_etdz": 307.0, "nc_hitech": 231.0, "xiaolan_etdz": 60.5}
HOSTS = {
    "nc_etdz": {"360112", "360111"},
    "nc_hitech": {"360111", "360121"},
    "xiaolan_etdz": {"360121"},
}
# Points picking 青山湖区's two parts: 蛟桥 Jiaoqiao (GeoNames) in the north-west part,
# 艾溪湖 in the east part.
QINGSHANHU_NORTH_WEST = (115.8588, 28.7455)
QINGSHANHU_EAST = (115.96, 28.69)


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    return geography.zones()


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return geography.districts()


def _by_id(gdf: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    return dict(zip(gdf["zone_id"], gdf.to_crs(WORKING).geometry, strict=True))


# ------------------------------------------------------------------------ shipped file


def test_shipped_zones_have_the_contract_schema(zones):
    columns = list(geography.ZONE_COLUMNS)
    columns[3:3] = geography.OPTIONAL_ZONE_COLUMNS  # the short names follow name_en
    assert list(zones.columns) == [*columns, "geometry"]
    assert zones.set_index("zone_id").loc["xiaolan_etdz", "short_zh"] == "小蓝经开区"
    assert zones.crs.to_epsg() == 4326
    assert set(OFFICIAL_KM2) <= set(zones["zone_id"])
    assert (zones["boundary_source"] == "approximate").all()
    assert zones["note"].str.contains("APPROXIMATE").all()
    assert zones["note"].str.contains("drawing it in the app").all()
    assert zones["sources"].str.contains("S26").all()
    assert (zones["centre_uncertainty_m"] > 0).all()


def test_zone_areas_are_within_one_percent_of_the_official_figures(zones):
    measured = {k: g.area / 1e6 for k, g in _by_id(zones).items()}
    for zone_id, official in OFFICIAL_KM2.items():
        assert abs(measured[zone_id] - official) / official < 0.01, (zone_id, measured[zone_id])
    stated = dict(zip(zones["zone_id"], zones["official_area_km2"], strict=True))
    assert {k: stated[k] for k in OFFICIAL_KM2} == OFFICIAL_KM2


def test_zones_stay_inside_their_host_districts(zones, districts):
    metric = districts.to_crs(WORKING)
    by_code = dict(zip(metric["adcode"], metric.geometry, strict=True))
    for zone_id, hosts, geom in zip(
        zones["zone_id"], zones["host_adcodes"], zones.to_crs(WORKING).geometry, strict=True
    ):
        codes = set(hosts.split(","))
        if zone_id in HOSTS:
            assert codes == HOSTS[zone_id]
        hosts_union = shapely.union_all([by_code[c] for c in codes])
        # Vertices are rounded to 1e-7 degrees (about 1 cm), so a vertex the build put on a
        # host's edge may end up a few millimetres outside it, never more.
        vertices = shapely.points(shapely.get_coordinates(geom))
        assert shapely.distance(vertices, hosts_union).max() < 0.02, zone_id
        # So what lies outside is at most a 1 cm strip along the outline.
        outside = geom.difference(hosts_union)
        assert outside.area < 0.01 * geom.length, (zone_id, outside.area)


def test_each_zone_uses_only_its_own_part_of_qingshanhu(zones, districts):
    qingshanhu = districts.loc[districts["adcode"] == "360111", "geometry"].item()
    parts = shapely.get_parts(qingshanhu)
    north_west = parts[shapely.contains_xy(parts, *QINGSHANHU_NORTH_WEST)].item()
    east = parts[shapely.contains_xy(parts, *QINGSHANHU_EAST)].item()
    g = dict(zip(zones["zone_id"], zones.geometry, strict=True))
    assert g["nc_etdz"].intersection(north_west).area > 0
    assert not g["nc_etdz"].intersects(east)
    assert g["nc_hitech"].intersection(east).area > 0
    assert not g["nc_hitech"].intersects(north_west)


def test_zones_are_pairwise_disjoint(zones):
    for a, b in itertools.combinations(zones.geometry, 2):
        assert not a.intersects(b)


def test_each_zone_contains_its_estimated_centre(zones):
    centres = shapely.points(zones[["centre_lon", "centre_lat"]].to_numpy())
    assert shapely.contains(zones.geometry.to_numpy(), centres).all()


def test_centres_and_sources_come_from_the_parameters_file(zones):
    params = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    shipped = zones.set_index("zone_id")
    for item in params["zones"]:
        row = shipped.loc[item["zone_id"]]
        assert (row["centre_lon"], row["centre_lat"]) == tuple(item["centre"])
        for key in item["sources"]:
            assert f"{key}: {params['sources'][key]}" in row["sources"]


def test_shipped_file_has_no_crs_member_and_ccw_exteriors():
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert "crs" not in doc
    for feature in doc["features"]:
        for poly in shapely.get_parts(shapely.geometry.shape(feature["geometry"])):
            assert poly.exterior.is_ccw


def test_build_command_reproduces_the_shipped_file_byte_for_byte(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tools.build_data", "zones", "--out-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "zones.geojson").read_bytes() == SHIPPED.read_bytes()


# ------------------------------------------------------------------ growth algorithm
# Tiny fixtures in metres: a 10 km x 10 km square territory.

SQUARE = box(0.0, 0.0, 10_000.0, 10_000.0)


def test_a_zone_with_room_around_it_is_a_disc_of_the_target_area():
    target = 20e6
    (zone,) = build.grow_zones([[5000.0, 5000.0]], [target], [SQUARE])
    assert abs(zone.area - target) <= 1e-4 * target
    radii = shapely.distance(shapely.points(shapely.get_coordinates(zone)), Point(5000, 5000))
    assert radii.max() - radii.min() < 1.0
    # A 256-gon of area 20 km2 has a circumradius just above sqrt(20e6 / pi) = 2523.1 m.
    assert 2523.0 < radii.max() < 2524.0


def test_a_zone_near_the_edge_is_clipped_and_still_reaches_its_target():
    target = 20e6
    (zone,) = build.grow_zones([[1000.0, 5000.0]], [target], [SQUARE])
    assert abs(zone.area - target) <= 1e-4 * target
    assert zone.difference(SQUARE).area == 0.0
    assert zone.bounds[0] == pytest.approx(0.0)


def test_neighbouring_zones_are_disjoint_and_independent_of_order():
    centres = [[4000.0, 5000.0], [6000.0, 5000.0], [5000.0, 8000.0]]
    targets = [20e6, 15e6, 10e6]
    zones = build.grow_zones(centres, targets, [SQUARE] * 3)
    for zone, target, centre in zip(zones, targets, centres, strict=True):
        assert abs(zone.area - target) <= 1e-4 * target
        assert zone.contains(Point(centre))
    for a, b in itertools.combinations(zones, 2):
        assert not a.intersects(b)
    reverse = build.grow_zones(centres[::-1], targets[::-1], [SQUARE] * 3)
    for a, b in zip(zones, reverse[::-1], strict=True):
        assert a.symmetric_difference(b).area < 1e-3


def test_a_zone_too_large_for_its_territory_is_refused():
    with pytest.raises(ValueError, match=r"big.*target 200\.0 km2, room 100\.0 km2"):
        build.grow_zones([[5000.0, 5000.0]], [200e6], [SQUARE], ids=["big"])


def test_a_centre_outside_its_territory_is_refused():
    with pytest.raises(ValueError, match="centre outside its host territory: far"):
        build.grow_zones([[20_000.0, 5000.0]], [1e6], [SQUARE], ids=["far"])


# ------------------------------------------------------------- parameters and loader


def test_zone_params_problems_are_listed_together(tmp_path):
    params = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    del params["zones"][0]["official_area_km2"]
    params["zones"][1]["sources"] = ["S18", "S99"]
    params["zones"][2]["hosts"] = [{"adcode": "110000"}]
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as info:
        build.read_zone_params(path)
    msg = str(info.value)
    assert "params.yaml: 3 problem(s)" in msg
    assert "(nc_etdz): `official_area_km2` must be a positive number" in msg
    assert "(nc_hitech): unknown source key(s) S99" in msg
    assert "(xiaolan_etdz): host {'adcode': '110000'}" in msg


def test_a_host_part_selector_outside_the_district_is_refused(tmp_path):
    params = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    params["zones"][0]["hosts"][1]["part_containing"] = [116.5, 28.3]
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=r"nc_etdz: host 360111 has no part containing"):
        build.build_zones(tmp_path, params_path=path)


def test_zones_loader_reports_bad_values(tmp_path):
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["boundary_source"] = "guessed"
    doc["features"][1]["properties"]["host_adcodes"] = "360111;360121"
    doc["features"][2]["properties"]["zone_id"] = doc["features"][0]["properties"]["zone_id"]
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as info:
        geography.zones(path)
    msg = str(info.value)
    assert "zones.geojson: 3 problem(s)" in msg
    assert "feature 1: `boundary_source` is 'guessed'" in msg
    assert "feature 2: `host_adcodes` is '360111;360121'" in msg
    assert "appears more than once (features 1, 3)" in msg


def test_zones_loader_accepts_a_drawn_zone_without_a_centre(tmp_path):
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    props |= {"boundary_source": "drawn", "centre_lon": None, "centre_lat": None}
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    z = geography.zones(path)
    assert z.loc[0, "boundary_source"] == "drawn"
    assert np.isnan(z.loc[0, "centre_lon"])
    assert z["centre_lon"].dtype == np.float64
    # The area comes from the geometry, whatever the file says.
    measured = gpd.GeoSeries(z.geometry, crs=WGS84).to_crs(WORKING).area / 1e6
    np.testing.assert_allclose(z["area_km2"], measured)


def test_an_imported_official_boundary_replaces_the_grown_one(tmp_path):
    # A hand-made "official" boundary for 小蓝: a 0.04 x 0.04 degree square at its centre,
    # given in GCJ-02 as if copied from Amap.
    square = box(115.92, 28.54, 115.96, 28.58)
    gcj = convert_geometry(np.asarray([square]), src="wgs84", dst="gcj02")[0]
    gpd.GeoDataFrame(geometry=[gcj], crs=WGS84).to_file(tmp_path / "xiaolan.geojson")
    params = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    (xiaolan,) = [z for z in params["zones"] if z["zone_id"] == "xiaolan_etdz"]
    xiaolan |= {"boundary_file": "xiaolan.geojson", "boundary_coord_system": "gcj02"}
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")

    z = geography.zones(build.build_zones(tmp_path / "out", params_path=path))

    by_id = z.set_index("zone_id")
    assert by_id.loc["xiaolan_etdz", "boundary_source"] == "official"
    assert "xiaolan.geojson" in by_id.loc["xiaolan_etdz", "note"]
    assert by_id.loc["xiaolan_etdz", "geometry"].symmetric_difference(square).area < 1e-12
    assert (by_id.drop(index="xiaolan_etdz")["boundary_source"] == "approximate").all()
    for a, b in itertools.combinations(z.geometry, 2):
        assert not a.intersects(b)
    hitech = by_id.loc["nc_hitech"]
    assert abs(hitech["area_km2"] - hitech["official_area_km2"]) / 231.0 < 0.01


def test_a_missing_boundary_file_is_reported(tmp_path):
    params = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    params["zones"][0]["boundary_file"] = "nowhere.geojson"
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=r"\(nc_etdz\): `boundary_file` 'nowhere.geojson' not"):
        build.read_zone_params(path)


def test_a_zones_file_without_short_names_reads_with_blank_ones(zones, tmp_path):
    # Zones saved before short names existed (or a user's file) have no such columns.
    path = tmp_path / "zones.geojson"
    zones.drop(columns=list(geography.OPTIONAL_ZONE_COLUMNS)).to_file(path, driver="GeoJSON")
    read = geography.zones(path)
    assert (read["short_zh"] == "").all()
    assert (read["short_en"] == "").all()
    assert list(read["name_zh"]) == list(zones["name_zh"])
