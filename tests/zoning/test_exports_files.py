"""Downloads GIS teams load as they are: zoning.exports and `zoning export --layer all`.

Every file is checked with the tools a GIS team uses: GDAL 3.6's ``ogrinfo`` (no warning,
one geometry type per layer), geojson-validator (no invalid geometry, no repeated
vertex), and the QGIS style read back from ``layer_styles`` in the app's colours.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

import layers
from layers.i18n import t
from maps.styles import AREA_COLOURS, RAMP, STAGE_COLOURS
from tests._gis_files import geojson_problems, ogrinfo_layers, qml_colours, read_styles
from zoning import exports
from zoning.cli import main

MAP_LAYERS = ("districts", "zones", "areas", "enterprises", "check", "targets",
              "chain_gaps", "spatial_gaps", "clusters", "episodes")  # fmt: skip
POINTS = ("enterprises", "check", "episodes")


@pytest.fixture(scope="module")
def project() -> layers.Project:
    # Synthetic firms besides the shipped ones: every result has rows (clusters too).
    return layers.open_project(default_store=False, synthetic=300)


@pytest.fixture(scope="module")
def everything(project, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("everything") / "everything.gpkg"
    return exports.write_everything(project, path, segment="copper_foil")


def test_everything_holds_every_layer_with_one_geometry_type(everything, project):
    found = ogrinfo_layers(everything)
    expected = {
        **{k: "Point" if k in POINTS else "Multi Polygon" for k in MAP_LAYERS},
        "suitability": "Multi Polygon",
        "chain": "None",
        "events": "None",
        "metadata": "None",
        "layer_styles": "None",
    }
    assert {k: v[0] for k, v in found.items()} == expected
    assert found["enterprises"][1] == len(project.enterprises)
    assert found["chain"][1] == len(project.chain)
    assert found["events"][1] == len(project.events) == 13  # the shipped dated facts
    assert found["episodes"][1] == len(layers.events.episodes(project.events))
    assert found["clusters"][1] > 0


def test_everything_metadata_says_what_the_file_is(everything, project):
    with sqlite3.connect(everything) as db:
        rows = dict(db.execute("SELECT key, value FROM metadata").fetchall())
        about = dict(db.execute("SELECT key, about_zh FROM metadata").fetchall())
    assert rows["store_version"] == "shipped"
    assert rows["crs"] == "EPSG:4326"
    assert rows["data_date"] == "2025-07-28"  # the latest as_of of the shipped firms
    assert rows["tool_version"]
    n = len(project.enterprises)
    assert rows["synthetic_rows"] == f"300 of {n}"
    assert rows["approximate_zones"].startswith(f"{len(project.zones)} of {len(project.zones)}")
    tables = {"chain", "events", "metadata"}
    assert set(rows["layers"].split(", ")) == {*MAP_LAYERS, "suitability", *tables}
    assert about["crs"] == t("export.meta.crs", "zh")
    # Synthetic rows are marked in the layers themselves, not only counted.
    with sqlite3.connect(everything) as db:
        (marked,) = db.execute("SELECT count(*) FROM enterprises WHERE synthetic").fetchone()
    assert marked == 300


def test_embedded_styles_have_the_app_colours(everything, project):
    styles = read_styles(everything)
    assert set(styles) == {*MAP_LAYERS, "suitability"}
    for name, row in styles.items():
        assert row["f_geometry_column"] == "geom", name
        assert row["useAsDefault"] == 1, name
    areas = qml_colours(str(styles["areas"]["styleQML"]))
    assert {k: areas[k] for k in AREA_COLOURS} == {k: v.upper() for k, v in AREA_COLOURS.items()}
    assert qml_colours(str(styles["targets"]["styleQML"]))["battery"] == AREA_COLOURS["battery"]
    firms = qml_colours(str(styles["enterprises"]["styleQML"]))
    stages = project.chain["stage"]
    for segment, stage in stages.items():
        assert firms[str(segment)] == STAGE_COLOURS[stage].upper(), segment
    ramp = qml_colours(str(styles["suitability"]["styleQML"]))
    assert list(ramp.values()) == [c.upper() for c in RAMP]
    # The districts and zones are drawn in the map's outline colours.
    from maps import domain

    source = Path(domain.__file__).read_text(encoding="utf-8")
    assert "colour=DISTRICT_COLOUR" in source
    assert "colour=ZONE_COLOUR" in source
    assert qml_colours(str(styles["districts"]["styleQML"])) == {"": "#444444"}


@pytest.mark.parametrize("kind", MAP_LAYERS)
def test_each_download_loads_cleanly(kind, project, tmp_path):
    files = exports.downloads(kind, project)
    assert set(files) == {"geojson", "gpkg", "csv", "qml"}
    gpkg = tmp_path / f"{kind}.gpkg"
    gpkg.write_bytes(files["gpkg"])
    found = ogrinfo_layers(gpkg)
    assert found[kind][0] == ("Point" if kind in POINTS else "Multi Polygon")
    assert read_styles(gpkg)[kind]["styleQML"] == files["qml"].decode("utf-8")
    geojson = tmp_path / f"{kind}.geojson"
    geojson.write_bytes(files["geojson"])
    assert geojson_problems(geojson) == {}
    (geometry, count) = ogrinfo_layers(geojson)[kind]
    assert count > 0
    assert geometry == found[kind][0]


def test_targets_geojson_of_the_shipped_project_is_clean(tmp_path):
    # The case of the issue: 10 of the 19 targets had repeated vertices once rounded.
    project = layers.open_project(default_store=False)
    path = tmp_path / "targets.geojson"
    path.write_bytes(exports.downloads("targets", project)["geojson"])
    assert len(ogrinfo_layers(path)) == 1
    assert ogrinfo_layers(path)["targets"] == ("Multi Polygon", 19)
    assert geojson_problems(path) == {}


def test_file_names_carry_layer_date_and_store_version(project):
    day = dt.date(2026, 11, 29)
    assert exports.file_name("zones", "gpkg", project, day=day) == "zones_2026-11-29_shipped.gpkg"
    saved = layers.Project(**{**vars(project), "zones_version": 3})
    assert exports.file_name("zones", "gpkg", saved, day=day) == "zones_2026-11-29_v3.gpkg"
    assert exports.file_name(exports.EVERYTHING, "gpkg", saved, day=day).startswith("everything_")


def test_cli_export_all_writes_the_everything_geopackage(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "absent.gpkg"))
    target = tmp_path / "everything.gpkg"
    assert main(["export", "--layer", "all", "--out", str(target)]) == 0
    found = ogrinfo_layers(target)
    assert set(MAP_LAYERS) | {"chain", "events", "metadata", "layer_styles"} == set(found)
    assert "everything.gpkg" in capsys.readouterr().err
    assert main(["export", "--layer", "all", "--out", str(tmp_path / "e.geojson")]) == 2
    assert "gpkg" in capsys.readouterr().err


def test_cli_export_of_one_layer_embeds_its_style(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "absent.gpkg"))
    target = tmp_path / "areas.gpkg"
    assert main(["export", "--layer", "areas", "--out", str(target)]) == 0
    capsys.readouterr()
    colours = qml_colours(str(read_styles(target)["areas"]["styleQML"]))
    assert colours["materials"] == AREA_COLOURS["materials"].upper()
