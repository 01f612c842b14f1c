"""Untrusted files are read under limits: time, memory, vertices, JSON depth, XLSX extent.

Every hostile file is made here, small, in the test; none is shipped.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from geo import InputError
from geo import _io_guard as guard
from geo.io import LIMIT_ENV_VARS, Limits, current_limits, read, use_limits

# ---------------------------------------------------------------- hostile files, made here

_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
    'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
    'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
    'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
    'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is>'
    '<t>lon</t></is></c><c r="C1" t="inlineStr"><is><t>lat</t></is></c></row><row r="2">'
    '<c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="B2"><v>115.9</v></c><c r="C2"><v>'
    "28.66</v></c></row>"
)
FAR_FORMULA = '<row r="1048576"><c r="XFD1048576"><f>1+1</f></c></row>'


def xlsx_bomb(*, dimension: str = "A1:XFD1048576", far: str = FAR_FORMULA) -> bytes:
    """A 2 KB workbook: one real row, a declared huge dimension, a cell far away."""
    sheet = f'{_SHEET_HEAD}<dimension ref="{dimension}"/><sheetData>{_ROWS}{far}</sheetData>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in {**_PARTS, "xl/worksheets/sheet1.xml": sheet + "</worksheet>"}.items():
            zf.writestr(name, body)
    return buffer.getvalue()


def deep_json(levels: int) -> bytes:
    return b'{"type": "FeatureCollection", "features": ' + b"[" * levels + b"]" * levels + b"}"


def polygon_geojson(vertices: int) -> bytes:
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    ring = np.column_stack([115.9 + 0.01 * np.cos(angles), 28.6 + 0.01 * np.sin(angles)])
    shape = shapely.Polygon(ring)
    frame = gpd.GeoDataFrame({"name": ["big"]}, geometry=[shape], crs="EPSG:4326")
    return frame.to_json().encode()


# ---------------------------------------------------------------- test-only parsers


def sleeping_parser(pid_file: str) -> None:
    """Stands for a parser that never returns (a recursive GeoPackage view)."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(600)


def hungry_parser(megabytes: int) -> int:
    """Stands for a parse whose memory grows without bound (repairing a huge polygon)."""
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def failing_parser() -> None:
    msg = "a bug in a parser"
    raise KeyError(msg)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    return status == "Z"  # exited; only its parent, the fork server, has not reaped it yet


# ---------------------------------------------------------------- the tests


def test_xlsx_cell_far_away_is_a_clear_error_not_a_hang():
    # Under a time limit the test never hangs; the message says it was the extent check,
    # not the timeout, that stopped the read.
    with pytest.raises(InputError) as caught:
        read(xlsx_bomb(), name="bomb.xlsx", limits=Limits(seconds=30))
    assert caught.value.text is not None
    assert str(caught.value) == (
        "bomb.xlsx: sheet 'Sheet1' has cells as far as XFD1048576 (1,048,576 rows by 16,384 "
        "columns) but only 7 cells hold anything; delete the stray cells far from the table "
        "(in Excel, Ctrl+End jumps to the last one) and save the file again"
    )
    assert caught.value.text.zh.startswith("bomb.xlsx：工作表“Sheet1”的单元格一直延伸到 XFD1048576")


def test_xlsx_value_far_away_is_refused_too():
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    with pytest.raises(InputError, match="cells as far as XFD1048576"):
        read(xlsx_bomb(far=far), name="bomb.xlsx", limits=Limits(seconds=30))


def test_xlsx_declared_dimension_alone_is_ignored():
    result = read(xlsx_bomb(far=""), name="dim.xlsx", limits=Limits(seconds=30))
    assert result.data[["id", "lon", "lat"]].to_numpy().tolist() == [["1", 115.9, 28.66]]
    assert result.problems.empty


def test_xlsx_stray_note_near_a_table_still_reads(files):
    rows = [["id", "lon", "lat"], ["1", *files.bayi], *([[None, None, None]] * 30), ["note"]]
    result = read(files.xlsx_bytes({"s": rows}), name="notes.xlsx")
    assert result.data["id"].tolist()[:1] == ["1"]


def test_deep_json_is_a_clear_error_in_both_languages():
    data = deep_json(5000)
    assert len(data) < 11_000
    with pytest.raises(InputError) as caught:
        read(data, name="deep.geojson")
    assert caught.value.text is not None
    assert caught.value.text.en == (
        "deep.geojson: the JSON is nested more than 64 levels deep (arrays or objects inside "
        "each other); GeoJSON needs at most 7. The file is damaged or built to crash readers; "
        "if you trust the file, raise the limit: `--max-json-depth` on the "
        "command line, or the environment variable GEO_IO_MAX_JSON_DEPTH for the app (0 lifts it)"
    )
    assert caught.value.text.zh.startswith(
        "deep.geojson：JSON 的嵌套层数（数组或对象层层相套）超过 64 层"
    )


def test_deep_json_stays_refused_with_limits_lifted():
    # Python's JSON parser cannot go past about 1,000 levels: lifted, 900 is the ceiling.
    with pytest.raises(InputError, match="nested more than 900 levels"):
        read(deep_json(5000), name="deep.json", limits=None)


def test_brackets_inside_strings_are_not_nesting(sites):
    frame = sites.copy()
    frame["name"] = "[" * 200 + '\\"{' * 100
    result = read(frame.to_json().encode(), name="names.geojson")
    assert result.data["name"].iloc[0] == frame["name"].iloc[0]


def test_shape_over_the_vertex_budget_names_the_limit():
    with pytest.raises(InputError) as caught:
        read(polygon_geojson(2000), name="big.geojson", limits=Limits(geometry_vertices=1000))
    assert str(caught.value) == (
        "big.geojson feature 1: the shape has 2,001 vertices, more than the limit of 1,000 per "
        "shape; simplify it (e.g. in QGIS: Vector > Geometry Tools > Simplify), or if you trust "
        "the file, raise the limit: `--max-vertices-per-shape` on the command line, or the "
        "environment variable GEO_IO_MAX_GEOMETRY_VERTICES for the app (0 lifts it)"
    )


def test_file_over_the_total_vertex_budget():
    with pytest.raises(InputError, match=r"holds 2,001 vertices in all, more than the limit of "):
        read(polygon_geojson(2000), name="big.geojson", limits=Limits(vertices=2000))


def test_default_vertex_budget_refuses_200000_vertices():
    with pytest.raises(InputError, match=r"200,001 vertices, more than the limit of 100,000"):
        read(polygon_geojson(200_000), name="big.geojson")


def test_a_parser_that_hangs_is_killed(tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(InputError) as caught:
        guard.run_guarded(
            sleeping_parser, (str(pid_file),), display="slow.gpkg", limits=Limits(seconds=8)
        )
    assert str(caught.value).startswith(
        "slow.gpkg: reading was stopped after 8 seconds, the time limit for one file"
    )
    assert "`--max-seconds`" in str(caught.value)
    assert _gone(int(pid_file.read_text()))


def test_a_parse_that_eats_memory_hits_the_cap():
    limits = Limits(memory_mb=200)
    assert guard.run_guarded(hungry_parser, (50,), display="ok.zip", limits=limits) == 50 << 20
    with pytest.raises(InputError) as caught:
        guard.run_guarded(hungry_parser, (1000,), display="huge.zip", limits=limits)
    assert caught.value.text is not None
    assert caught.value.text.en.startswith(
        "huge.zip: reading needed more than 200 MB of memory, the limit for one file"
    )
    assert "`--max-memory-mb`" in caught.value.text.en
    assert "GEO_IO_MAX_MEMORY_MB" in caught.value.text.zh


def test_a_bug_in_the_worker_keeps_its_type_and_traceback():
    with pytest.raises(KeyError, match="a bug in a parser") as caught:
        guard.run_guarded(failing_parser, display="x.csv", limits=Limits())
    assert "failing_parser" in "".join(caught.value.__notes__)


def test_the_answer_may_only_rebuild_data():
    evil = pickle.dumps(("ok", ("plain", os.system), []))
    with pytest.raises(pickle.UnpicklingError, match="not a data type"):
        guard._ReplyUnpickler(io.BytesIO(evil)).load()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "geojson", "gpkg"])
def test_good_files_read_identically(kind, files, sites, tmp_path):
    if kind == "csv":
        source: object = files.csv_text([["id", "名称", "lon", "lat"], ["1", "站", *files.bayi]])
        source = str(source).encode()
    elif kind == "xlsx":
        source = files.xlsx_bytes({"s": [["id", "lon", "lat"], ["1", *files.bayi], ["2", "x", 1]]})
    elif kind == "geojson":
        source = sites.to_json().encode()
    else:
        path = tmp_path / "sites.gpkg"
        sites.to_file(path, layer="sites")
        source = path.read_bytes()
    guarded = read(source, name=f"f.{kind}")
    plain = read(source, name=f"f.{kind}", limits=None)
    assert_geodataframe_equal(guarded.data, plain.data)
    pd.testing.assert_frame_equal(guarded.problems, plain.problems)
    pd.testing.assert_series_equal(guarded.rows, plain.rows)
    assert guarded.source == plain.source


def test_limits_are_settings_read_at_each_read(monkeypatch, sites):
    data = sites.to_json().encode()
    monkeypatch.setenv(LIMIT_ENV_VARS["json_depth"], "3")
    assert current_limits() == Limits(json_depth=3)
    with pytest.raises(InputError, match="nested more than 3 levels"):
        read(data, name="sites.geojson")
    monkeypatch.setenv(LIMIT_ENV_VARS["json_depth"], "0")  # 0 lifts it
    assert len(read(data, name="sites.geojson").data) == len(sites)
    with use_limits(Limits(json_depth=2)), pytest.raises(InputError, match="more than 2 levels"):
        read(data, name="sites.geojson")
    monkeypatch.setenv(LIMIT_ENV_VARS["seconds"], "soon")
    with pytest.raises(ValueError, match="GEO_IO_MAX_SECONDS must be a number"):
        current_limits()


def test_limits_are_checked():
    with pytest.raises(ValueError, match="`seconds` must be a number > 0 or None"):
        Limits(seconds=0)
    with pytest.raises(TypeError, match=r"`limits` must be a geo\.io\.Limits"):
        read(b"id,lon,lat\n", name="a.csv", limits="none")  # type: ignore[arg-type]


def test_json_depth_counts_vectorised():
    guard.check_json_depth(b"[[[]]]", "a.json", 3)
    with pytest.raises(InputError, match="more than 2 levels"):
        guard.check_json_depth(b"[[[]]]", "a.json", 2)
    guard.check_json_depth(b'["[[[[", "]]"]', "a.json", 1)
    guard.check_json_depth(json.dumps({"a": {"b": 1}}).encode(), "a.json", 2)


def test_point_tables_are_parsed_here_and_everything_else_in_the_worker(monkeypatch, tmp_path):
    # A CSV of points is linear to parse and bounded by its size: no worker (a million rows
    # would cross processes for nothing); shapes in WKT and every other format go to one.
    import geo._io_guard as guard

    sent: list[str] = []
    real = guard.run_guarded

    def spy(func, args, options, *, display, limits):
        sent.append(display)
        return real(func, args, options, display=display, limits=limits)

    monkeypatch.setattr(guard, "run_guarded", spy)
    points = tmp_path / "点.csv"
    points.write_text("id,经度,纬度\nA,115.9,28.6\n", encoding="utf-8")
    shapes = tmp_path / "shapes.csv"
    shapes.write_text('id,wkt\nA,"POLYGON ((0 0, 1 0, 1 1, 0 0))"\n', encoding="utf-8")
    assert len(read(points).data) == 1
    assert sent == []
    assert len(read(shapes, extent=None).data) == 1
    assert sent == ["shapes.csv"]
