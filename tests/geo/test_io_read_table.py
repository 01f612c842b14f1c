"""geo.io.read on CSV and XLSX tables: good rows kept, every bad row reported exactly."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geo import InputError, read
from geo.crs import convert
from geo.io import KEPT, PROBLEM_COLUMNS, REJECTED, REPAIRED, Extent
from tests.geo.conftest import NANCHANG

HEADER = ["id", "名称", "经度", "纬度"]
NAME = "enterprises.csv"


def read_rows(files, rows, header=HEADER, encoding="utf-8", **kwargs):
    data = files.csv_text([header, *rows]).encode(encoding)
    kwargs.setdefault("extent", NANCHANG)
    return read(data, name=NAME, **kwargs)


def only_problem(result, row):
    found = result.problems[result.problems["row"] == row]
    assert len(found) == 1, result.problems.to_string()
    return found.iloc[0]


def test_good_rows_keep_text_and_gain_wgs84_floats(files):
    lon, lat = files.bayi
    result = read_rows(
        files, [["007", "八一广场", lon, lat], ["010", "南昌西站", *files.west_station]]
    )
    data = result.data
    assert result.source == NAME
    assert list(result.problems.columns) == list(PROBLEM_COLUMNS)
    assert result.problems.empty
    assert data.crs.to_epsg() == 4326
    assert isinstance(data.index, pd.RangeIndex)
    assert data["id"].tolist() == ["007", "010"]
    assert data["名称"].tolist() == ["八一广场", "南昌西站"]
    # the original coordinate text is kept, the floats are added
    assert data["经度"].tolist() == [str(lon), str(files.west_station[0])]
    assert data["lon"].tolist() == [lon, files.west_station[0]]
    assert data["lat"].tolist() == [lat, files.west_station[1]]
    assert data.geometry.iloc[0].equals(shapely.Point(lon, lat))


@pytest.mark.parametrize(
    ("lon_name", "lat_name"),
    [("lon", "lat"), ("lng", "lat"), ("Longitude", "Latitude"), ("x", "y"), ("经度", "纬度")],
)
def test_coordinate_headers_in_english_and_chinese(files, lon_name, lat_name):
    result = read_rows(files, [["1", "a", *files.bayi]], header=["id", "name", lon_name, lat_name])
    assert result.problems.empty
    assert (result.data["lon"].iloc[0], result.data["lat"].iloc[0]) == files.bayi
    if lon_name == "lon":
        # lon/lat given under those names are replaced by the parsed floats, not duplicated
        assert result.data["lon"].dtype == np.float64
        assert list(result.data.columns) == ["id", "name", "lon", "lat", "geometry"]
    else:
        assert result.data[lon_name].iloc[0] == str(files.bayi[0])


BAD_ROWS = [
    # (lon text, lat text, column, value, action, phrase in the message)
    ("", "", "经度, 纬度", "", KEPT, "no coordinates (经度 and 纬度 are empty)"),
    ("", "28.68", "经度", "", KEPT, "longitude (经度) is empty"),
    ("115.9", "2x8.7", "纬度", "2x8.7", KEPT, "latitude '2x8.7' is not a number"),
    ("28.6819", "115.8997", "经度, 纬度", "28.6819, 115.8997", KEPT, "look swapped"),
    ("121.47", "31.23", "经度, 纬度", "121.47, 31.23", KEPT, "outside the expected extent"),
    ("115.9", "128.7", "经度, 纬度", "115.9, 128.7", KEPT, "not a position on Earth"),
    ("215.9", "28.7", "经度, 纬度", "215.9, 28.7", KEPT, "not a position on Earth"),
]


@pytest.mark.parametrize(("lon", "lat", "column", "value", "action", "phrase"), BAD_ROWS)
def test_each_bad_row_is_reported_and_kept_unlocated(
    files, lon, lat, column, value, action, phrase
):
    rows = [["1", "好", *files.bayi], ["2", "坏", lon, lat], ["3", "好", *files.west_station]]
    result = read_rows(files, rows)
    problem = only_problem(result, 3)
    assert len(result.problems) == 1
    assert (problem["column"], problem["value"], problem["action"]) == (column, value, action)
    assert phrase in problem["problem"]
    assert problem["problem"].startswith(f"{NAME} row 3: ")
    data = result.data
    assert data["id"].tolist() == ["1", "2", "3"]
    assert data.geometry.isna().tolist() == [False, True, False]
    assert np.isnan(data["lon"].iloc[1])
    assert np.isnan(data["lat"].iloc[1])
    assert data["lon"].iloc[2] == files.west_station[0]
    # the bad row's text is kept exactly as given
    assert data["经度"].fillna("").iloc[1] == lon


def test_swapped_message_says_where_and_how_to_fix(files):
    result = read_rows(files, [["1", "a", files.bayi[1], files.bayi[0]]])
    text = only_problem(result, 2)["problem"]
    assert "would fall in the expected extent (Nanchang" in text
    assert "swap the 经度 and 纬度 values" in text
    # no auto-swap: the row stays unlocated
    assert result.data.geometry.isna().all()


def test_example_message_from_the_issue(files):
    rows = [[str(i), "x", *files.bayi] for i in range(1, 6)] + [["6", "x", "115.9", "2x8.7"]]
    result = read_rows(files, rows)
    assert only_problem(result, 7)["problem"] == (
        "enterprises.csv row 7: latitude '2x8.7' is not a number; fix the value, or leave "
        "both coordinates empty to keep the row as unlocated"
    )


def test_both_coordinates_non_numeric_gives_one_problem_per_column(files):
    result = read_rows(files, [["1", "a", "abc", "n/a"], ["2", "b", *files.bayi]])
    found = result.problems
    assert found[["row", "column", "value"]].to_numpy().tolist() == [
        [2, "经度", "abc"],
        [2, "纬度", "n/a"],
    ]
    assert result.data.geometry.notna().tolist() == [False, True]


def test_duplicate_ids_keep_the_first_and_name_its_row(files):
    rows = [
        ["A1", "first", *files.bayi],
        ["B2", "other", *files.bayi],
        ["A1", "again", *files.bayi],
    ]
    result = read_rows(files, rows)
    problem = only_problem(result, 4)
    assert (problem["column"], problem["value"], problem["action"]) == ("id", "A1", REJECTED)
    assert "repeats row 2" in problem["problem"]
    assert result.data["名称"].tolist() == ["first", "other"]
    assert isinstance(result.data.index, pd.RangeIndex)


def test_rejected_duplicate_reports_only_the_rejection(files):
    rows = [["A1", "first", *files.bayi], ["A1", "again", "bad", ""]]
    result = read_rows(files, rows)
    assert result.problems[["row", "action"]].to_numpy().tolist() == [[3, REJECTED]]


def test_id_column_detection_and_override(files):
    header = ["编号", "名称", "经度", "纬度"]
    rows = [
        ["1", "a", *files.bayi],
        ["1", "b", *files.bayi],
        ["", "c", *files.bayi],
        ["", "d", *files.bayi],
    ]
    result = read_rows(files, rows, header=header)
    # empty ids are never duplicates of each other
    assert result.problems[["row", "column"]].to_numpy().tolist() == [[3, "编号"]]
    by_name = read_rows(files, rows, header=header, id_column="名称")
    assert by_name.problems.empty
    with pytest.raises(InputError, match="no column 'code'"):
        read_rows(files, rows, header=header, id_column="code")


def test_no_id_column_means_no_duplicate_check(files):
    result = read_rows(
        files, [["a", *files.bayi], ["a", *files.bayi]], header=["名称", "lon", "lat"]
    )
    assert result.problems.empty
    assert len(result.data) == 2


@pytest.mark.parametrize("spelling", ["gcj02", "GCJ-02", "高德", "amap"])
def test_coord_system_argument_in_any_spelling_converts_to_wgs84(files, spelling):
    gx, gy = (float(v) for v in convert(*files.bayi, src="wgs84", dst="gcj02"))
    result = read_rows(files, [["1", "a", gx, gy]], coord_system=spelling)
    assert result.data["lon"].iloc[0] == pytest.approx(files.bayi[0], abs=1e-8)
    assert result.data["lat"].iloc[0] == pytest.approx(files.bayi[1], abs=1e-8)
    # the original (GCJ-02) text stays in the input's columns
    assert result.data["经度"].iloc[0] == str(gx)


def test_per_row_coordinate_system_column(files):
    bx, by = (float(v) for v in convert(*files.bayi, src="wgs84", dst="bd09"))
    header = [*HEADER, "坐标系"]
    rows = [
        ["1", "wgs", *files.bayi, "WGS84"],
        ["2", "baidu", bx, by, "百度"],
        ["3", "default", *files.bayi, ""],
        ["4", "unknown", *files.bayi, "mars"],
    ]
    result = read_rows(files, rows, header=header)
    lon = result.data["lon"].to_numpy()
    assert lon[0] == files.bayi[0]
    assert lon[1] == pytest.approx(files.bayi[0], abs=1e-8)
    assert lon[2] == files.bayi[0]
    assert np.isnan(lon[3])
    problem = only_problem(result, 5)
    assert (problem["column"], problem["value"], problem["action"]) == ("坐标系", "mars", KEPT)
    assert "coordinate system 'mars' is unknown" in problem["problem"]


def test_unknown_coord_system_argument_is_a_value_error(files):
    with pytest.raises(ValueError, match="`coord_system` 'mars'"):
        read_rows(files, [["1", "a", *files.bayi]], coord_system="mars")


def test_extent_applies_after_conversion_and_can_be_disabled(files):
    shanghai = (121.47, 31.23)
    rows = [["1", "a", *files.bayi], ["2", "b", *shanghai]]
    assert read_rows(files, rows).data.geometry.isna().tolist() == [False, True]
    free = read_rows(files, rows, extent=None)
    assert free.problems.empty
    assert free.data["lon"].tolist() == [files.bayi[0], shanghai[0]]
    shanghai_box = (121.0, 31.0, 122.0, 32.0)
    custom = read_rows(files, rows, extent=shanghai_box)
    assert custom.data.geometry.isna().tolist() == [True, False]
    assert "121-122 E, 31-32 N" in only_problem(custom, 2)["problem"]
    assert NANCHANG.bounds[0] < files.bayi[0] < NANCHANG.bounds[2]


@pytest.mark.parametrize(
    ("x", "y", "suggested"),
    [
        (400_000, 3_172_000, "EPSG:4548"),
        (400_000, 3_172_000, "EPSG:32650"),
        (39_400_000, 3_172_000, "EPSG:4527"),
        (12_902_000, 3_333_000, "EPSG:3857"),
    ],
)
def test_projected_coordinates_without_crs_name_the_likely_crs(files, x, y, suggested):
    rows = [["1", "a", x, y], ["2", "b", x + 10, y + 10]]
    with pytest.raises(InputError) as info:
        read_rows(files, rows)
    text = str(info.value)
    assert text.startswith(f"{NAME}: ")
    assert f"the values fit {suggested}" in text or f"or {suggested}" in text
    # The advice is the command line's, for a CRS the numbers fit: web-map metres are
    # never told to use EPSG:4548 (and no Python syntax in a user's message).
    advised = text.split("--coord-system ")[1].split(")", maxsplit=1)[0]
    assert advised in text.split("fit ")[1]
    assert "coord_system=" not in text
    if suggested == "EPSG:3857":
        assert advised == "EPSG:3857"


def test_geo_knows_no_place_unless_the_caller_names_one(files):
    rows = [["1", "a", 400_000, 3_172_000], ["2", "b", 400_010, 3_172_010]]
    with pytest.raises(InputError) as info:
        read_rows(files, rows, extent=None)
    text = str(info.value)
    assert "no CRS is declared" in text
    assert "EPSG:32650" not in text  # no hints without an extent that carries them
    assert "Nanchang" not in text
    with pytest.raises(InputError, match="fit none of the usual CRSs of the expected extent"):
        read_rows(files, [["1", "a", 9e6, 9e6], ["2", "b", 9e6, 9e6]])
    shanghai = [["1", "a", 121.47, 31.23]]
    assert read(files.csv_text([HEADER, *shanghai]).encode(), name=NAME).problems.empty
    named = Extent((115.0, 27.9, 116.9, 29.5), name="somewhere")
    problem = only_problem(read_rows(files, shanghai, extent=named), 2)["problem"]
    assert "the expected extent (somewhere: 115-116.9 E, 27.9-29.5 N)" in problem


def test_projected_coordinates_with_declared_crs_are_transformed(files):
    to_gk = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)
    x, y = to_gk.transform(*files.bayi)
    result = read_rows(files, [["1", "a", x, y]], coord_system="EPSG:4548")
    assert result.problems.empty
    assert result.data["lon"].iloc[0] == pytest.approx(files.bayi[0], abs=1e-9)
    assert result.data["lat"].iloc[0] == pytest.approx(files.bayi[1], abs=1e-9)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings(files, encoding):
    names = ["八一广场", "南昌西站"]
    if encoding in ("gb18030", "utf-8", "utf-16"):
        names[1] = "𠮷野家"  # outside GBK: only GB18030 and Unicode encodings hold it
    rows = [["1", names[0], *files.bayi], ["2", names[1], *files.west_station]]
    result = read_rows(files, rows, encoding=encoding)
    assert result.data["名称"].tolist() == names
    assert list(result.data.columns[:4]) == HEADER  # no BOM left in the first header
    assert result.problems.empty


def test_unreadable_encoding_is_a_whole_file_error(files):
    data = b"id,name,lon,lat\n1,\x80\x80,115.9,28.7\n"
    with pytest.raises(InputError, match=r"enterprises\.csv: the text is neither UTF-8 nor GBK"):
        read(data, name=NAME)


def test_binary_file_named_csv_is_refused():
    with pytest.raises(InputError, match="neither UTF-8 nor GBK"):
        read(b"id,lon\x00\x01\x02,lat\n", name=NAME)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \r\n\n", "is empty"),
        ("id,经度,纬度\n".encode(), "has a header but no data rows"),
        ("id,经度,纬度\n,,\n\n".encode(), "has a header but no data rows"),
        ("id,名称\n1,a\n".encode(), "no coordinates found"),
        ("id,经度\n1,115.9\n".encode(), "found only '经度'"),
    ],
)
def test_whole_file_errors(content, message):
    with pytest.raises(InputError, match=message) as info:
        read(content, name=NAME)
    assert str(info.value).startswith(NAME)


def test_text_is_kept_exactly(files):
    rows = [["007", "<b>八一</b>", *files.bayi], ["0008", "NA", *files.west_station]]
    result = read_rows(files, rows)
    assert result.data["id"].tolist() == ["007", "0008"]
    assert result.data["名称"].tolist() == ["<b>八一</b>", "NA"]


def test_blank_lines_are_skipped_but_counted(files):
    text = (
        files.csv_text([HEADER, ["1", "a", *files.bayi]])
        + "\n"
        + files.csv_text([["2", "b", "x", "28.6"]])
    )
    result = read(text.encode(), name=NAME)
    assert len(result.data) == 2
    assert only_problem(result, 4)["value"] == "x"


@pytest.mark.parametrize("sep", [";", "\t"])
def test_other_delimiters(files, sep):
    text = files.csv_text([HEADER, ["1", "a", *files.bayi]]).replace(",", sep)
    result = read(text.encode(), name=NAME)
    assert result.data["lon"].iloc[0] == files.bayi[0]


def test_xlsx_numbers_text_and_sheets(files):
    rows = [
        HEADER,
        ["007", "八一广场", files.bayi[0], files.bayi[1]],  # numeric cells
        [None, None, None, None],  # blank row inside the table
        ["010", "南昌西站", str(files.west_station[0]), "2x8.7"],  # text cells
    ]
    data = files.xlsx_bytes({"企业": rows, "说明": [["note"], ["not a table of sites"]]})
    result = read(data, name="enterprises.xlsx")
    assert result.data["id"].tolist() == ["007", "010"]
    assert result.data["名称"].tolist() == ["八一广场", "南昌西站"]
    assert result.data["lon"].iloc[0] == files.bayi[0]
    problem = only_problem(result, 4)
    assert (problem["column"], problem["value"], problem["action"]) == ("纬度", "2x8.7", KEPT)
    assert problem["problem"].startswith("enterprises.xlsx row 4: ")
    with pytest.raises(InputError, match="no coordinates found"):
        read(data, name="enterprises.xlsx", layer="说明")
    with pytest.raises(InputError, match="no sheet named 'missing'"):
        read(data, name="enterprises.xlsx", layer="missing")


def test_xlsx_that_is_not_a_workbook():
    with pytest.raises(InputError, match="not an XLSX workbook"):
        read(b"id,lon,lat\n", name="sites.xlsx")


def test_wkt_column_with_bad_and_invalid_geometries(files):
    square = "POLYGON ((115.89 28.67, 115.91 28.67, 115.91 28.69, 115.89 28.69, 115.89 28.67))"
    bowtie = "POLYGON ((115.89 28.67, 115.91 28.69, 115.91 28.67, 115.89 28.69, 115.89 28.67))"
    table = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4"],
            "名称": ["甲", "乙", "丙", "丁"],
            "wkt": [square, "POLYGON ((1", bowtie, ""],
        }
    )
    result = read(table.to_csv(index=False).encode(), name="zones.csv")
    data = result.data
    assert data.geometry.iloc[0].equals(shapely.from_wkt(square))
    assert data.geometry.isna().tolist() == [False, True, False, True]
    assert data.geometry.iloc[2].is_valid
    assert result.problems[["row", "column", "action"]].to_numpy().tolist() == [
        [3, "wkt", KEPT],
        [4, "wkt", REPAIRED],
        [5, "wkt", KEPT],
    ]
    assert "Self-intersection" in only_problem(result, 4)["problem"]
    assert "is not valid WKT" in only_problem(result, 3)["problem"]


def test_large_table_is_parsed_whole(files):
    # 1e5 rows, a few bad: checks stay vectorised (no assertion on time, see benchmarks).
    n = 100_000
    rng = np.random.default_rng(0)
    lon = rng.uniform(115.3, 116.5, n).round(6).astype(str)
    lat = rng.uniform(28.2, 29.1, n).round(6).astype(str)
    lat[[10, 500, 99_999]] = ["", "x", "95"]
    table = pd.DataFrame({"id": np.arange(n).astype(str), "lon": lon, "lat": lat})
    result = read(table.to_csv(index=False).encode(), name="big.csv")
    assert len(result.data) == n
    assert result.problems["row"].tolist() == [12, 502, 100_001]
    assert int(result.data.geometry.notna().sum()) == n - 3


def test_broken_quoting_is_a_whole_file_error():
    with pytest.raises(InputError, match=r"enterprises\.csv: a quote opened in row 2 is never"):
        read(b'id,lon,lat\n1,"115.9,28.7\n', name=NAME)


@pytest.mark.parametrize("extent", [(1, 2, 3), (116, 28, 115, 29), "Nanchang"])
def test_malformed_extent_is_a_value_error(files, extent):
    with pytest.raises(ValueError, match="`extent` must"):
        read_rows(files, [["1", "a", *files.bayi]], extent=extent)


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (["id", "lon", "lng", "lat"], ["'lon'", "'lng'", "longitude"]),
        (["id", "经度", "lon", "纬度"], ["'经度'", "'lon'", "longitude"]),
        (["id", "lon", "lat", "纬度"], ["'lat'", "'纬度'", "latitude"]),
        (["id", "lon", "lat", "lat"], ["repeats the column name 'lat'"]),
        (["id", "名称", "名称", "lon", "lat"], ["repeats the column name '名称'"]),
        (
            ["id", "name_zh", "segment", "lon", "lng", "lat", "lat"],
            ["'lon'", "'lng'", "repeats the column name 'lat'"],
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ambiguous_or_repeated_columns_are_refused_naming_them(files, header, named, fmt):
    # Different values in the clashing columns: picking one silently would move points.
    values = ["1", "a", "b", "c", "d", "e", "f"][:1] + [
        str(115.8 + 0.01 * k if k % 2 else 28.6 + 0.01 * k) for k in range(1, len(header))
    ]
    rows = [header, values]
    if fmt == "csv":
        content, name = files.csv_text(rows).encode(), "sites.csv"
    else:
        content, name = files.xlsx_bytes({"sites": rows}), "sites.xlsx"
    with pytest.raises(InputError) as info:
        read(content, name=name)
    message = str(info.value)
    assert message.startswith(name)
    for part in named:
        assert part in message
    assert "keep one coordinate pair" in message
    assert "renaming or deleting" in message


def test_one_coordinate_pair_among_similar_names_is_accepted(files):
    # "long_name" or "latency" are not coordinate names; only whole names count.
    header = ["id", "long_name", "latency", "lon", "lat"]
    result = read_rows(files, [["1", "x", "5", *files.bayi]], header=header)
    assert result.problems.empty
    assert result.data["lon"].iloc[0] == files.bayi[0]
    assert list(result.data.columns[:5]) == header


def test_xlsx_formula_without_saved_value_is_reported_and_the_row_kept(files):
    lon, lat = files.bayi
    rows = [
        ["id", "名称", "lon", "lat", "capacity"],
        ["1", "八一广场", lon, lat, "=1+1"],  # openpyxl saves the formula alone
        ["2", "南昌西站", "=115.79", files.west_station[1], "5"],
        ["3", "示范", lon, lat, "7"],
    ]
    result = read(files.xlsx_bytes({"sites": rows}), name="sites.xlsx")
    assert result.data["id"].tolist() == ["1", "2", "3"]
    assert pd.isna(result.data["capacity"].iloc[0])
    assert result.data.geometry.iloc[0] is not None  # the formula is not in a coordinate
    assert result.data.geometry.iloc[1] is None  # its longitude is a formula: unlocated
    formula = result.problems[result.problems["problem"].str.contains("formula")]
    assert formula[["row", "column", "value"]].to_numpy().tolist() == [
        [2, "capacity", "=1+1"],
        [3, "lon", "=115.79"],
    ]
    assert formula["action"].tolist() == ["kept", KEPT]
    for text in formula["problem"]:
        assert "formula without a saved value" in text
        assert "open and save the file in Excel/WPS" in text
    assert not (result.problems["row"] == 4).any()


def test_xlsx_formula_with_saved_value_is_read_silently(files):
    rows = [["id", "lon", "lat", "capacity"], ["1", *files.bayi, "=1+1"]]
    data = files.xlsx_bytes({"sites": rows})
    # Excel stores the computed value beside the formula; write one in as Excel would.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>1+1</f><v />" in content
                content = content.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            out.writestr(info, content)
    result = read(buffer.getvalue(), name="sites.xlsx")
    assert result.problems.empty
    assert result.data["capacity"].tolist() == ["2"]
