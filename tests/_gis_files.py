"""What a GIS team's tools say about our files: GDAL 3.6's ogrinfo and geojson-validator.

Shared by the writer, export and end-to-end download tests. ``ogrinfo`` is Debian 12's
(GDAL 3.6, the version QGIS on that system builds on): missing, the test skips with the
reason, which fails the run under ``CI=true`` (tests/conftest.py).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

__all__ = [
    "STYLE_COLUMNS",
    "geojson_problems",
    "ogrinfo_layers",
    "qml_colours",
    "read_styles",
]

STYLE_COLUMNS = (
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
)
"""The columns of QGIS's ``layer_styles`` table (what QGIS writes and reads)."""


def _ogrinfo() -> str:
    found = shutil.which("ogrinfo")
    if found is None:
        pytest.skip("ogrinfo is not installed: install the Debian package gdal-bin")
    return found


def ogrinfo_layers(path: Path) -> dict[str, tuple[str, int]]:
    """Return {layer: (geometry type, feature count)} as ``ogrinfo -ro -al -so`` reports.

    Fails the test when ogrinfo prints a warning or an error, or exits non-zero.
    """
    done = subprocess.run(
        [_ogrinfo(), "-ro", "-al", "-so", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "Warning" not in said, said
    assert "ERROR" not in said, said
    layers: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=Layer name: )", said)[1:]:
        name = re.search(r"Layer name: (.+)", block)
        geometry = re.findall(r"^Geometry: (.+)$", block, flags=re.MULTILINE)
        count = re.search(r"Feature Count: (\d+)", block)
        assert name, block
        assert count, block
        # One geometry type per layer: exactly one "Geometry:" line.
        assert len(geometry) == 1, block
        layers[name.group(1).strip()] = (geometry[0].strip(), int(count.group(1)))
    return layers


def geojson_problems(path: Path) -> dict[str, object]:
    """Return what geojson-validator finds wrong with a GeoJSON file (empty: nothing).

    The structure (the GeoJSON schema, ``crs`` member included) and the geometry criteria:
    every "invalid" one, and of the "problematic" ones those that are defects of ours
    (repeated vertices, self-intersections, rings crossing, 3D, outside lon/lat).
    ``excessive_coordinate_precision`` (more than 6 decimals) is not one: we write 7 on
    purpose (1 cm). ``excessive_vertices`` and ``holes`` describe real boundaries.
    """
    validator = pytest.importorskip(
        "geojson_validator", reason="install the test extra: pip install -e .[test]"
    )
    # The validator logs every result through loguru: the assertion says what matters.
    pytest.importorskip("loguru").logger.disable("geojson_validator")
    text = json.loads(path.read_text(encoding="utf-8"))
    problems: dict[str, object] = {}
    structure = validator.validate_structure(text, check_crs=True)
    if structure:
        problems["structure"] = structure
    found = validator.validate_geometries(
        text,
        criteria_problematic=(
            "duplicate_nodes",
            "self_intersection",
            "inner_and_exterior_ring_intersect",
            "3d_coordinates",
            "outside_lat_lon_boundaries",
        ),
    )
    if found["invalid"]:
        problems["invalid"] = found["invalid"]
    if found["problematic"]:
        problems["problematic"] = found["problematic"]
    return problems


def read_styles(path: Path) -> dict[str, dict[str, object]]:
    """Return the default style row of each layer in a GeoPackage's ``layer_styles``."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        columns = [r[1] for r in db.execute("PRAGMA table_info(layer_styles)")]
        assert set(STYLE_COLUMNS) <= set(columns), columns
        rows = db.execute("SELECT * FROM layer_styles WHERE useAsDefault").fetchall()
    return {row["f_table_name"]: dict(row) for row in rows}


def qml_colours(qml: str) -> dict[str, str]:
    """Return {category value (or range lower bound, or "") : fill colour "#rrggbb"}."""
    root = ET.fromstring(qml.split("\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer is not None
    fills: dict[str, str] = {}
    for symbol in renderer.iterfind("symbols/symbol"):
        colour = symbol.find("layer/Option/Option[@name='color']")
        assert colour is not None
        red, green, blue, _ = (int(v) for v in colour.get("value", "").split(","))
        fills[symbol.get("name", "")] = f"#{red:02X}{green:02X}{blue:02X}"
    kind = renderer.get("type")
    if kind == "singleSymbol":
        return {"": fills["0"]}
    if kind == "graduatedSymbol":
        return {r.get("lower", ""): fills[r.get("symbol", "")] for r in renderer.iter("range")}
    return {c.get("value", ""): fills[c.get("symbol", "")] for c in renderer.iter("category")}
