"""geo.io.read_chunks: big local files in chunks, with the same records and problems as read."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo import InputError, read
from geo.io import CHUNK_ROWS, KEPT, REJECTED, ReadResult, read_chunks, write
from tests.geo.conftest import NANCHANG

CHUNK = 50  # rows per chunk in these tests: bad rows fall on both sides of boundaries
ROWS = 400


BLANK_ROW = 4 * CHUNK + 11  # a blank line, in the 5th chunk


def row_of(index):
    """The spreadsheet row of record ``index`` (0-based): header row 1, blank line counted."""
    row = index + 2
    return row if row < BLANK_ROW else row + 1


ACROSS = 5 * CHUNK + 3  # repeats the id of record 10, four chunks earlier
WITHIN = 6 * CHUNK + 20  # repeats the id of the record just before it


def registry_rows():
    """A registry of ROWS firms with bad rows at chunk edges, mid-chunk and across chunks.

    Returns the CSV lines (header first) and the spreadsheet rows with a problem.
    """
    rng = np.random.default_rng(7)
    lon = np.round(rng.uniform(115.7, 116.1, ROWS), 6)
    lat = np.round(rng.uniform(28.5, 28.8, ROWS), 6)
    rows = [[f"F{i:04d}", f"企业{i}", str(lon[i]), str(lat[i]), "wgs84"] for i in range(ROWS)]
    bad = set()

    def spoil(index, **cells):
        for position, value in cells.items():
            rows[index][int(position[1:])] = value
        bad.add(row_of(index))

    # The first and last record of chunks (chunk k holds pandas rows 50k..50k+49) and
    # records in the middle of one.
    spoil(0, c2="11x")  # not a number
    spoil(CHUNK - 1, c2="", c3="")  # no coordinates
    spoil(CHUNK, c2=rows[CHUNK][3], c3=rows[CHUNK][2])  # swapped
    spoil(2 * CHUNK - 1, c2="121.47", c3="31.23")  # Shanghai: outside the extent
    spoil(2 * CHUNK, c2="215.9")  # not a position on Earth
    spoil(3 * CHUNK + 7, c4="xyz")  # unknown coordinate system
    spoil(4 * CHUNK - 1, c3="")  # latitude empty
    spoil(ACROSS, c0="F0010")
    spoil(WITHIN, c0=rows[WITHIN - 1][0])
    spoil(ROWS - 1, c2="abc", c3="def")  # the last row
    lines = ["编号,企业名称,经度,纬度,坐标系", *(",".join(r) for r in rows)]
    lines.insert(BLANK_ROW - 1, "")  # a blank line counts as a row, but is no record
    return lines, bad


@pytest.fixture
def registry(tmp_path):
    lines, _ = registry_rows()
    path = tmp_path / "registry.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def joined(chunks: list[ReadResult]) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    data = pd.concat([c.data for c in chunks])
    problems = pd.concat([c.problems for c in chunks], ignore_index=True)
    rows = pd.concat([c.rows for c in chunks])
    return data, problems, rows


def assert_same(chunks: list[ReadResult], whole: ReadResult) -> None:
    data, problems, rows = joined(chunks)
    # pandas.concat of the chunks' data is read's data: values, columns, index
    pd.testing.assert_frame_equal(pd.DataFrame(data), pd.DataFrame(whole.data))
    assert data.crs == whole.data.crs
    pd.testing.assert_frame_equal(problems, whole.problems, check_dtype=False)
    pd.testing.assert_series_equal(rows, whole.rows)
    assert {c.source for c in chunks} == {whole.source}


def test_csv_chunks_give_what_a_whole_read_gives(registry):
    chunks = list(read_chunks(registry, chunk_rows=CHUNK, extent=NANCHANG))
    # 400 records and a blank line: nine chunks of pandas rows, the last holding one
    assert [len(c.rows) for c in chunks][:3] == [CHUNK, CHUNK, CHUNK]
    assert len(chunks) == 9
    # the file read at once from its path (pyarrow) and from its bytes (an upload)
    assert_same(chunks, read(registry, extent=NANCHANG))
    assert_same(chunks, read(registry.read_bytes(), name="registry.csv", extent=NANCHANG))


def test_problems_name_the_files_own_rows_across_chunks(registry):
    _, bad = registry_rows()
    chunks = list(read_chunks(registry, chunk_rows=CHUNK, extent=NANCHANG))
    data, problems, rows = joined(chunks)
    assert sorted(set(problems["row"])) == sorted(bad)
    first = problems.groupby("row")["problem"].first()
    assert "'11x' is not a number" in first[2]
    assert "look swapped" in first[row_of(CHUNK)]
    assert "'xyz' is unknown" in first[row_of(3 * CHUNK + 7)]
    assert "outside the expected extent" in first[row_of(2 * CHUNK - 1)]
    assert f"id 'F0010' repeats row {row_of(10)}" in first[row_of(ACROSS)]
    assert f"repeats row {row_of(WITHIN - 1)}" in first[row_of(WITHIN)]
    repeats = {row_of(ACROSS), row_of(WITHIN)}
    assert problems.loc[problems["row"].isin(repeats), "action"].tolist() == [REJECTED] * 2
    # every record but the two repeats is kept, unlocated where its coordinates are bad
    assert len(data) == ROWS - 2
    assert rows.is_unique
    assert BLANK_ROW not in set(rows)
    assert set(rows[data.geometry.isna()]) == bad - repeats


def test_chunks_continue_the_index_and_hold_at_most_chunk_rows(registry):
    start = 0
    for chunk in read_chunks(registry, chunk_rows=CHUNK, extent=NANCHANG):
        assert isinstance(chunk.data.index, pd.RangeIndex)
        assert chunk.data.index.start == start
        assert chunk.rows.index.equals(chunk.data.index)
        assert len(chunk.data) <= CHUNK
        start += len(chunk.data)


def test_geoparquet_chunks_give_what_a_whole_read_gives(tmp_path):
    n = 230
    lon = np.linspace(115.7, 116.1, n)
    firms = gpd.GeoDataFrame(
        {"id": [f"F{i:03d}" for i in range(n)], "名称": [f"企业{i}" for i in range(n)]},
        geometry=gpd.points_from_xy(lon, np.full(n, 28.68)),
        crs="EPSG:4326",
    )
    firms.loc[[0, 49, 50, 99, 229], "geometry"] = None  # chunk edges
    firms.loc[120, "geometry"] = Point(121.47, 31.23)  # outside Nanchang
    firms.loc[[100, 200], "id"] = ["F010", "F150"]  # repeats of earlier chunks
    path = write(firms, tmp_path / "firms.parquet")
    chunks = list(read_chunks(path, chunk_rows=50, extent=NANCHANG))
    assert len(chunks) == 5
    assert_same(chunks, read(path, extent=NANCHANG))
    _, problems, rows = joined(chunks)
    # rows count from 1 in a Parquet file
    assert problems.loc[problems["action"] == KEPT, "row"].tolist() == [1, 50, 51, 100, 121, 230]
    assert problems.loc[problems["action"] == REJECTED, "row"].tolist() == [101, 201]
    assert "repeats row 11" in problems.loc[problems["row"] == 101, "problem"].iloc[0]
    assert 101 not in set(rows)


def test_a_plain_parquet_table_is_read_in_chunks_too(tmp_path):
    path = tmp_path / "table.parquet"
    lon = [str(115.8 + i / 1000) for i in range(120)]
    lon[60] = "x"
    pd.DataFrame({"id": range(120), "lon": lon, "lat": ["28.6"] * 120}).to_parquet(path)
    chunks = list(read_chunks(path, chunk_rows=25))
    assert len(chunks) == 5
    assert_same(chunks, read(path))
    assert joined(chunks)[1]["row"].tolist() == [61]


def test_other_formats_come_as_one_chunk(files, tmp_path):
    path = tmp_path / "sites.xlsx"
    path.write_bytes(
        files.xlsx_bytes({"Sheet1": [["id", "lon", "lat"], *[[i, 115.9, 28.6] for i in range(9)]]})
    )
    chunks = list(read_chunks(path, chunk_rows=2))
    assert len(chunks) == 1
    assert_same(chunks, read(path))


def test_reading_is_streamed_a_later_bad_row_stops_it_there(tmp_path):
    lines = ["id,lon,lat", *(f"{i},115.9,28.6" for i in range(300))]
    lines[251] = '250,"115.9,28.6'  # a quote never closed, in the 6th chunk (row 252)
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = read_chunks(path, chunk_rows=50)
    first = [next(reader) for _ in range(5)]
    assert [len(c.data) for c in first] == [50] * 5
    with pytest.raises(InputError, match=r"broken\.csv: a quote opened in row 252 is never"):
        next(reader)
    with pytest.raises(InputError, match=r"broken\.csv: a quote opened in row 252 is never"):
        read(path)


def test_text_that_stops_being_utf8_part_way_is_refused(tmp_path):
    head = "id,名称,lon,lat\n" + "".join(f"{i},企业,115.9,28.6\n" for i in range(50_000))
    tail = "50000,企业,115.9,28.6\n".encode("gbk")
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode("utf-8") + tail)
    assert path.stat().st_size > 1024 * 1024  # the encoding is chosen from the first MB
    with pytest.raises(InputError, match=r"mixed\.csv: the text stops being valid UTF-8"):
        list(read_chunks(path, chunk_rows=10_000))
    with pytest.raises(InputError, match=r"mixed\.csv: the text stops being valid UTF-8"):
        read(path)


def test_gbk_files_are_read_in_chunks(tmp_path):
    text = "编号,名称,经度,纬度\n" + "".join(f"{i},南昌企业{i},115.9,28.6\n" for i in range(30))
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    chunks = list(read_chunks(path, chunk_rows=7))
    assert joined(chunks)[0]["名称"].iloc[29] == "南昌企业29"
    assert_same(chunks, read(path.read_bytes(), name="gbk.csv"))


def test_header_problems_are_raised_before_any_chunk(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("id,name\n1,a\n2,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"names\.csv: no coordinates found"):
        next(read_chunks(path, chunk_rows=1))
    only_header = tmp_path / "header.csv"
    only_header.write_text("id,lon,lat\n\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"header\.csv has a header but no data rows"):
        list(read_chunks(only_header, chunk_rows=1))


def test_arguments_are_checked(tmp_path, registry):
    with pytest.raises(TypeError, match="read_chunks reads local files"):
        next(read_chunks(registry.read_bytes()))
    for bad in (0, -5, 1.5, True):
        with pytest.raises(ValueError, match="`chunk_rows` must be a whole number >= 1"):
            next(read_chunks(registry, chunk_rows=bad))  # type: ignore[arg-type]
    with pytest.raises(
        InputError, match=r"registry\.csv \(\d+,\d+ bytes\) is larger than the limit of 100 bytes"
    ):
        next(read_chunks(registry, max_bytes=100))
    assert CHUNK_ROWS == 100_000


def test_ids_seen_are_confirmed_by_their_text_even_when_hashes_collide(monkeypatch):
    from geo import _io_seen

    keys = np.array(["a", "b", "c", "d"], dtype=object)
    for hashing in ("real", "colliding"):
        if hashing == "colliding":
            # every id gets the same hash: only the text tells them apart
            monkeypatch.setattr(_io_seen, "_hash", lambda k: np.full(len(k), 7, dtype=np.uint64))
        seen = _io_seen.SeenIds()
        seen.add(keys[:2], np.array([2, 3]))
        seen.add(keys[2:3], np.array([9]))
        probe = np.array(["c", "x", None, "a", "b", "a"], dtype=object)
        assert seen.first_rows(probe).tolist() == [9, 0, 0, 2, 3, 2], hashing
        assert len(seen) == 3
