"""Merged cells of a workbook are read as the screen shows them, each filled row noted.

Every workbook is made here with openpyxl; a huge or overlapping merge is declared without
openpyxl's own merge (which would visit every cell of the range).
"""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange

from geo import InputError
from geo.io import read

NAME = "registry.xlsx"
HEADER = ["id", "name", "园区", "lon", "lat"]


def _workbook(rows, merges=(), declared=()):
    """Return XLSX bytes: ``merges`` merged by openpyxl, ``declared`` only declared."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for ref in declared:
        # What a crafted file holds: a range declared over cells that keep their values.
        ws.merged_cells.add(CellRange(ref))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _registry():
    """Three firms at one address (park and coordinates merged) and two good rows."""
    return [
        HEADER,
        ["1", "甲", "高新园", 115.9, 28.66],
        ["2", "乙", None, None, None],
        ["3", "丙", None, None, None],
        ["4", "丁", "经开区", 115.95, 28.7],
        ["5", "戊", "经开区", 115.85, 28.6],
    ]


def _problem(result, row, column):
    problems = result.problems
    hit = problems[(problems["row"] == row) & (problems["column"] == column)]
    assert len(hit) == 1, problems
    return hit.iloc[0]


def test_coordinates_merged_over_three_rows_locate_each_row_and_note_it():
    data = _workbook(_registry(), merges=["C2:C4", "D2:D4", "E2:E4"])
    result = read(data, name=NAME)
    assert result.data["id"].tolist() == ["1", "2", "3", "4", "5"]
    np.testing.assert_allclose(result.data["lon"], [115.9, 115.9, 115.9, 115.95, 115.85])
    np.testing.assert_allclose(result.data["lat"], [28.66, 28.66, 28.66, 28.7, 28.6])
    assert result.data.geometry.notna().all()
    # Rows 3 and 4 took three values each from the merges; the top row and rows 5-6 none.
    noted = result.problems[["row", "column", "value", "action"]].values.tolist()
    assert noted == [
        [3, "园区", "高新园", "kept"],
        [3, "lon", "115.9", "kept"],
        [3, "lat", "28.66", "kept"],
        [4, "园区", "高新园", "kept"],
        [4, "lon", "115.9", "kept"],
        [4, "lat", "28.66", "kept"],
    ]
    lon = _problem(result, 4, "lon")
    assert lon["problem"] == (
        "registry.xlsx row 4: D4 is empty in the file but lies in the merged range D2:D4, "
        "which shows '115.9' there; that value is used: check that it belongs to this row, "
        "or unmerge the cells and fill each row"
    )
    assert lon["problem_zh"] == (
        "registry.xlsx 第 4 行：D4 在文件中为空，但位于合并单元格 D2:D4 内，屏幕上显示为"
        "“115.9”；已采用该值：请核对它是否属于本行，或取消合并后逐行填写"
    )


def test_merged_park_name_is_filled_and_good_rows_keep_their_own():
    rows = _registry()
    rows[2][3:] = [115.91, 28.67]
    rows[3][3:] = [115.92, 28.68]
    result = read(_workbook(rows, merges=["C2:C4", "C5:C6"]), name=NAME)
    assert result.data["园区"].tolist() == ["高新园", "高新园", "高新园", "经开区", "经开区"]
    np.testing.assert_allclose(result.data["lon"], [115.9, 115.91, 115.92, 115.95, 115.85])
    assert result.problems[["row", "column"]].values.tolist() == [
        [3, "园区"],
        [4, "园区"],
        [6, "园区"],
    ]
    assert _problem(result, 6, "园区")["problem"] == (
        "registry.xlsx row 6: C6 is empty in the file but lies in the merged range C5:C6, "
        "which shows '经开区' there; that value is used: check that it belongs to this row, "
        "or unmerge the cells and fill each row"
    )


def test_a_merge_over_blank_lines_makes_no_records_of_them():
    # Rows 7 and 8 are blank lines (not records); row 9 is a record after them.
    rows = [*_registry(), [None] * 5, [None] * 5, ["9", "己", "新区", 115.8, 28.5]]
    result = read(_workbook(rows, merges=["C5:C8"]), name=NAME)
    assert result.data["id"].tolist() == ["1", "2", "3", "4", "5", "9"]
    assert result.data["园区"].tolist()[3:] == ["经开区", "经开区", "新区"]
    filled = result.problems[result.problems["action"] == "kept"]
    assert filled["row"].tolist() == [6]


def test_huge_declared_merge_is_bounded_by_the_data_and_said_plainly():
    # A1:XFD1048576 is 17 billion cells; only the 6 x 5 present ones are looked at.
    rows = _registry()
    rows[2][2:] = ["高新园", 115.91, 28.67]
    rows[3][2:] = ["高新园", 115.92, 28.68]
    result = read(_workbook(rows, declared=["A1:XFD1048576"]), name=NAME)
    # The header range names column A on screen; the data below is read as the file holds it.
    assert result.data["id"].tolist() == ["1", "2", "3", "4", "5"]
    np.testing.assert_allclose(result.data["lon"], [115.9, 115.91, 115.92, 115.95, 115.85])
    assert result.problems[["row", "column", "value"]].values.tolist() == [
        [1, "name", "name"],
        [1, "园区", "园区"],
        [1, "lon", "lon"],
        [1, "lat", "lat"],
    ]
    lon = _problem(result, 1, "lon")
    assert lon["problem"] == (
        "registry.xlsx row 1: the header cell D1 lies in the merged range A1:XFD1048576, "
        "which shows 'id' there and hides the cell's own text 'lon'; column D is read as "
        "'lon': unmerge the header cells to check the names"
    )
    assert lon["problem_zh"] == (
        "registry.xlsx 第 1 行：表头单元格 D1 位于合并单元格 A1:XFD1048576 内，屏幕上显示为"
        "“id”，单元格自身的文字“lon”被遮住；D 列按“lon”读取：请取消合并表头单元格，核对列名"
    )


def test_huge_declared_merge_below_the_header_fills_only_the_table():
    rows = [[*HEADER, "备注"], *[[*r, None] for r in _registry()[1:]]]
    rows[1][5] = "核查"
    result = read(_workbook(rows, declared=["F2:XFD1048576"]), name=NAME)
    assert result.data.shape[0] == 5
    assert result.data["备注"].tolist() == ["核查"] * 5
    filled = result.problems[result.problems["action"] == "kept"]
    assert filled[["row", "column"]].values.tolist() == [[r, "备注"] for r in (3, 4, 5, 6)]
    assert _problem(result, 3, "备注")["problem"] == (
        "registry.xlsx row 3: F3 is empty in the file but lies in the merged range "
        "F2:XFD1048576, which shows '核查' there; that value is used: check that it belongs "
        "to this row, or unmerge the cells and fill each row"
    )


def test_merged_header_names_its_first_column_only():
    rows = [["id", "名称", None, "lon", "lat"], ["1", "甲", "甲公司", 115.9, 28.66]]
    result = read(_workbook(rows, merges=["B1:C1"]), name=NAME)
    assert list(result.data.columns[:5]) == ["id", "名称", "Unnamed: 2", "lon", "lat"]
    assert result.data["Unnamed: 2"].tolist() == ["甲公司"]
    note = _problem(result, 1, "Unnamed: 2")
    assert note["value"] == ""
    assert note["problem"] == (
        "registry.xlsx row 1: the header cell C1 lies in the merged range B1:C1, whose text "
        "'名称' names column B only; column C has no name of its own and is read as "
        "'Unnamed: 2': unmerge the header cells and give each column its own name"
    )
    assert note["problem_zh"] == (
        "registry.xlsx 第 1 行：表头单元格 C1 位于合并单元格 B1:C1 内，其文字“名称”只作为 B "
        "列的列名；C 列没有自己的列名，按“Unnamed: 2”读取：请取消合并表头单元格，并为每一列"
        "设置列名"
    )


def test_a_cell_hidden_by_a_merge_is_named_with_the_value_shown():
    rows = _registry()
    rows[2][2] = "旧园区"
    result = read(_workbook(rows, declared=["C2:C3"]), name=NAME)
    assert result.data["园区"].tolist()[:2] == ["高新园", "高新园"]
    note = _problem(result, 3, "园区")
    assert note["problem"] == (
        "registry.xlsx row 3: C3 lies in the merged range C2:C3, which shows '高新园' there "
        "and hides the cell's own value '旧园区'; the shown value is used: check it, or "
        "unmerge the cells to see both"
    )
    assert note["problem_zh"] == (
        "registry.xlsx 第 3 行：C3 位于合并单元格 C2:C3 内，屏幕上显示为“高新园”，单元格自身"
        "的值“旧园区”被遮住；已采用显示的值：请核对，或取消合并以查看两者"
    )


def test_overlapping_merges_are_refused():
    data = _workbook(_registry(), declared=["C2:C4", "B3:XFD1048576"])
    with pytest.raises(InputError) as caught:
        read(data, name=NAME)
    assert caught.value.text.en == (
        "registry.xlsx: sheet 'Sheet' declares merged ranges that overlap (C2:C4 and "
        "B3:XFD1048576), which Excel cannot show; the file is damaged or built to mislead "
        "readers: unmerge the cells (Home > Merge & Center > Unmerge Cells) and save the "
        "file again"
    )
    assert caught.value.text.zh.startswith(
        "registry.xlsx：工作表“Sheet”声明的合并单元格相互重叠（C2:C4 与 B3:XFD1048576）"
    )


def test_a_sheet_without_merges_gets_no_notes():
    result = read(_workbook(_registry()), name=NAME)
    assert result.problems.empty is False  # rows 3-4 have no coordinates of their own
    assert set(result.problems["action"]) == {"kept unlocated"}
