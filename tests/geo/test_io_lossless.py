"""Nothing lost silently, and no parser crash: each class of broken file, generated here.

Each test asserts the exact message (or the rows reported) and that the good records of
the same file survive.
"""

from __future__ import annotations

import contextlib
import errno
import io
import sqlite3
import struct
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
import pytest
import shapely

from geo import InputError
from geo._io_checks import resolve_coord_system
from geo._io_chunks import chunks, concat
from geo._io_source import open_source
from geo.io import WriteError, formula_safe, read_chunks, table_csv, write

WGS84 = resolve_coord_system("wgs84")


def _read(source, name=None, layer=None):
    """Read as geo.io.read does, in this process (the parsing itself, without a guard)."""
    src = open_source(source, name=name, max_bytes=None if name is None else 10**8)
    data, problems, rows = concat(
        chunks(src, spec=WGS84, layer=layer, extent=None, id_column=None, chunk_rows=None)
    )
    return data, problems, rows


def _points(n=10):
    return gpd.GeoDataFrame(
        {"id": [f"P{i}" for i in range(n)], "name": [f"firm {i}" for i in range(n)]},
        geometry=[shapely.Point(115.8 + i / 100, 28.6) for i in range(n)],
        crs="EPSG:4326",
    )


# ------------------------------------------------------------------ CSV longer rows


def test_a_trailing_comma_on_every_row_is_read_by_the_header_and_reported():
    csv = b"id,name,lon,lat\n1,a,115.84,28.6,\n2,b,115.9,28.7,\n"
    data, problems, _ = _read(csv, "firms.csv")
    assert data["id"].tolist() == ["1", "2"]  # not shifted: the id column is kept
    assert data["lon"].tolist() == [115.84, 115.9]
    assert problems["row"].tolist() == [2, 3]
    assert problems["problem"].iloc[0] == (
        "firms.csv row 2: 1 more field(s) than the header's 4 columns (''); the row is read "
        "by the header and the extra fields are left out: remove the extra separators (e.g. "
        "a comma at the end of each row) or name the columns in the header"
    )
    assert (problems["action"] == "kept").all()


@pytest.mark.parametrize("chunk_rows", [None, 1, 2])
def test_some_longer_rows_in_a_local_file_are_reported_by_row(tmp_path, chunk_rows):
    path = tmp_path / "firms.csv"
    path.write_text(
        "id,name,lon,lat\n1,a,115.8,28.6\n2,b,115.9,28.7,x,y\n\n4,c,115.85,28.65\n",
        encoding="utf-8",
    )
    if chunk_rows is None:
        data, problems, rows = _read(path)
    else:
        parts = list(read_chunks(path, chunk_rows=chunk_rows))
        data = pd.concat([p.data for p in parts], ignore_index=True)
        problems = pd.concat([p.problems for p in parts], ignore_index=True)
        rows = pd.concat([p.rows for p in parts]).to_numpy()
    assert data["id"].tolist() == ["1", "2", "4"]
    assert data["name"].tolist() == ["a", "b", "c"]
    assert list(rows) == [2, 3, 5]
    assert problems["row"].tolist() == [3]
    assert problems["value"].tolist() == ["x,y"]
    assert "2 more field(s) than the header's 4 columns ('x,y')" in problems["problem"][0]


# ------------------------------------------------------------------ CSV parser failures


def test_an_unclosed_quote_names_its_row():
    with pytest.raises(InputError) as caught:
        _read(b'id,lon,lat\n1,115.9,28.7\n2,"115.9,28.7\n3,115.8,28.6\n', "q.csv")
    assert str(caught.value) == (
        "q.csv: a quote opened in row 3 is never closed, so the rest of the file would be "
        "read as one cell; close or remove that quote and save the file again"
    )
    assert "第 3 行的引号没有闭合" in caught.value.text.zh


def test_a_field_over_the_csv_module_limit_is_a_clear_error():
    with pytest.raises(InputError, match=r"^big\.csv: row 1 holds a field longer than 131,072"):
        _read(("id,lon,lat," + "h" * 200_000 + "\n1,115.9,28.6,a\n").encode(), "big.csv")


def test_a_nul_byte_is_named_as_such_not_as_an_encoding():
    with pytest.raises(InputError) as caught:
        _read(b"id,lon,lat\n1,115.9,28.6\n2,115\x00.8,28.7\n", "nul.csv")
    assert str(caught.value).startswith("nul.csv: line 3 holds a NUL byte (\\0)")


# ------------------------------------------------------------------ zip and Shapefile


def _shapefile_zip(tmp_path, *, dbf_records=None, shx_records=None, extra=()):
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    _points().to_file(folder / "firms.shp")
    if dbf_records is not None:
        dbf = bytearray((folder / "firms.dbf").read_bytes())
        header_len, record_len = struct.unpack("<HH", dbf[8:12])
        dbf[4:8] = struct.pack("<I", dbf_records)
        (folder / "firms.dbf").write_bytes(
            bytes(dbf[: header_len + dbf_records * record_len]) + b"\x1a"
        )
    if shx_records is not None:
        shx = (folder / "firms.shx").read_bytes()
        body = shx[:100] + shx[100 : 100 + 8 * shx_records]
        body = body[:24] + struct.pack(">i", len(body) // 2) + body[28:]
        (folder / "firms.shx").write_bytes(body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for part in ("shp", "shx", "dbf", "prj", "cpg"):
            zf.write(folder / f"firms.{part}", f"firms.{part}")
        for name, data in extra:
            zf.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kwargs", "counts"),
    [({"dbf_records": 5}, (10, 10, 5)), ({"shx_records": 5}, (10, 5, 10))],
)
def test_a_shapefile_whose_parts_disagree_is_refused(tmp_path, kwargs, counts):
    good = _read(_shapefile_zip(tmp_path), "firms.zip")[0]
    assert good["id"].tolist() == [f"P{i}" for i in range(10)]
    with pytest.raises(InputError) as caught:
        _read(_shapefile_zip(tmp_path, **kwargs), "firms.zip")
    shapes, index, table = counts
    assert str(caught.value) == (
        f"firms.zip: the parts of firms.shp disagree: the .shp holds {shapes} shapes, the "
        f".shx indexes {index} and the .dbf holds {table} attribute records, so features "
        "would be lost or left without attributes; export the layer again from the GIS and "
        "zip all of its files together"
    )


@pytest.mark.parametrize("second", ["firms.dbf", "FIRMS.DBF"])
def test_members_named_twice_or_twice_but_for_case_are_refused(tmp_path, second):
    same = second == "firms.dbf"
    with pytest.warns(UserWarning, match="Duplicate name") if same else contextlib.nullcontext():
        data = _shapefile_zip(tmp_path, extra=[(second, b"not a dbf")])
    with pytest.raises(InputError) as caught:
        _read(data, "firms.zip")
    assert str(caught.value).startswith(
        f"firms.zip holds 'firms.dbf' 2 times ('firms.dbf', '{second}'), names that differ "
        "at most in case"
    )


# ------------------------------------------------------------------ GeoPackage


def _gpkg(path):
    _points(3).to_file(path, layer="firms", driver="GPKG")
    return path


def test_a_view_layer_is_refused_and_the_table_beside_it_read(tmp_path):
    path = _gpkg(tmp_path / "v.gpkg")
    con = sqlite3.connect(path)
    # A recursive view: reading it would never finish.
    con.execute(
        "CREATE VIEW loop AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT r.n AS fid, f.geom AS geom FROM r, firms f"
    )
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('loop', 'features', 'loop', 4326)"
    )
    con.execute("INSERT INTO gpkg_geometry_columns VALUES ('loop', 'geom', 'POINT', 4326, 0, 0)")
    con.commit()
    con.close()
    with pytest.raises(InputError) as caught:
        _read(path, layer="loop")
    assert str(caught.value).startswith(
        "v.gpkg: layer 'loop' is an SQL view, computed when it is read and possibly without end"
    )
    assert _read(path, layer="firms")[0]["id"].tolist() == ["P0", "P1", "P2"]


def test_a_geopackage_is_read_without_writing_beside_it(tmp_path):
    # SQLite writes -wal/-shm files beside a WAL database it opens for reading, which a
    # read-only mount forbids; immutable mode writes nothing there.
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _gpkg(folder / "wal.gpkg")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    con.close()
    before = sorted(p.name for p in folder.iterdir())
    assert _read(path)[0]["id"].tolist() == ["P0", "P1", "P2"]
    assert sorted(p.name for p in folder.iterdir()) == before == ["wal.gpkg"]


def test_a_damaged_geometry_blob_is_a_problem_not_an_empty_record(tmp_path):
    path = _gpkg(tmp_path / "c.gpkg")
    con = sqlite3.connect(path)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        con.execute(f'DROP TRIGGER "{name}"')  # the R-tree triggers need SpatiaLite
    con.execute("UPDATE firms SET geom = X'4750000100000000DEADBEEF' WHERE fid = 2")
    con.commit()
    con.close()
    data, problems, _ = _read(path)
    assert data["id"].tolist() == ["P0", "P1", "P2"]
    assert data.geometry.isna().tolist() == [False, True, False]
    assert problems[["row", "value", "action"]].to_numpy().tolist() == [
        [2, "(damaged geometry)", "kept unlocated"]
    ]
    assert problems["problem"][0] == (
        "c.gpkg feature 2: its geometry is stored but damaged (GDAL cannot decode it); the "
        "record is kept as unlocated: redraw or re-export that feature"
    )


def test_a_feature_count_short_of_the_drivers_is_refused(tmp_path, monkeypatch):
    path = _gpkg(tmp_path / "short.gpkg")
    real = pyogrio.read_dataframe
    monkeypatch.setattr(pyogrio, "read_dataframe", lambda *a, **k: real(*a, **k).iloc[:2])
    with pytest.raises(InputError, match=r"^short\.gpkg: the file declares 3 features but only 2"):
        _read(path)


# ------------------------------------------------------------------ other parsers


def test_json_nested_thousands_deep_is_refused_not_a_recursion_crash():
    with pytest.raises(InputError, match=r"^deep\.geojson: the JSON is nested too deeply"):
        _read(b"[" * 20_000 + b"]" * 20_000, "deep.geojson")


def test_a_workbook_with_malformed_styles_is_a_clear_error():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["id", "lon", "lat"])
    wb.active.append(["1", 115.8, 28.6])
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/styles.xml":
                data = data.replace(b"<cellXfs", b'<cellXfs count="1" count="2"')
            zf.writestr(info, data)
    with pytest.raises(InputError, match=r"^styles\.xlsx: the workbook is malformed"):
        _read(broken.getvalue(), "styles.xlsx")


# ------------------------------------------------------------------ writing


def test_a_full_disk_is_a_write_error_and_the_old_file_survives(tmp_path, monkeypatch):
    target = tmp_path / "out.gpkg"
    write(_points(2), target)

    def full(*args, **kwargs):
        raise pyogrio.errors.DataSourceError("sqlite3_exec failed: database or disk is full")

    monkeypatch.setattr(pyogrio, "write_dataframe", full)
    with pytest.raises(WriteError) as caught:
        write(_points(5), target)
    assert str(caught.value).startswith("out.gpkg could not be written: the disk is full")
    assert isinstance(caught.value, OSError)
    monkeypatch.undo()
    assert len(gpd.read_file(target)) == 2


def test_a_full_disk_writing_csv(tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    with pytest.raises(WriteError, match=r"^out\.csv could not be written: the disk is full"):
        write(_points(2), tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


HOSTILE = ['=HYPERLINK("http://x")', "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3.5", "+7", "ok"]


def test_every_csv_writer_neutralises_formulas(tmp_path):
    safe = ['\'=HYPERLINK("http://x")', "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx"]
    expected = [*safe, "-3.5", "+7", "ok"]
    assert formula_safe(pd.DataFrame({"name": HOSTILE}))["name"].tolist() == expected
    table = pd.read_csv(io.BytesIO(table_csv(pd.DataFrame({"name": HOSTILE}))), dtype=str)
    assert table["name"].tolist() == expected
    gdf = _points(len(HOSTILE)).assign(name=HOSTILE)
    written = pd.read_csv(write(gdf, tmp_path / "out.csv"), dtype=str, encoding="utf-8-sig")
    assert written["name"].tolist() == expected
    assert written["id"].tolist() == [f"P{i}" for i in range(len(HOSTILE))]


# ------------------------------------------------------------------ workbooks


def _workbook(build) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    build(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_date_formatted_coordinate_cell_is_called_a_date():
    import datetime

    def build(wb):
        ws = wb.active
        ws.append(["id", "lon", "lat"])
        ws.append(["1", 115.9, 28.6])
        ws.append(["2", datetime.datetime(2028, 6, 15), 28.7])  # 115.9 typed into a date cell

    data, problems, _ = _read(_workbook(build), "dates.xlsx")
    assert data["id"].tolist() == ["1", "2"]
    assert data.geometry.notna().tolist() == [True, False]
    assert problems["row"].tolist() == [3]
    assert problems["problem"][0].startswith(
        "dates.xlsx row 3: the longitude is a date (2028-06-15 00:00:00), not a number: the "
        "cell is formatted as a date"
    )


def test_a_notes_sheet_first_names_the_other_sheets():
    def build(wb):
        wb.active.title = "说明"
        wb.active.append(["本表说明"])
        wb.active.append(["坐标为 WGS 84"])
        data = wb.create_sheet("firms")
        data.append(["id", "lon", "lat"])
        data.append(["1", 115.9, 28.6])

    content = _workbook(build)
    with pytest.raises(InputError) as caught:
        _read(content, "notes.xlsx")
    assert str(caught.value) == (
        "notes.xlsx: no coordinates found on the first sheet '说明' (columns: '本表说明'); the "
        "workbook also has the sheets 'firms': name the sheet with the coordinates "
        "(`--layer SHEET` on the command line, `layer=` in Python) or move it first"
    )
    assert _read(content, "notes.xlsx", layer="firms")[0]["id"].tolist() == ["1"]
