"""The wording of the messages about merged cells of an XLSX sheet (merged into geo._messages).

Placeholders: ``{at}`` names the row (``geo.row``); ``{range}`` is the merged range as the
file declares it (``A2:A5``); ``{cells}`` the cells of one row that the range filled;
``{value}`` the value the screen shows there (the range's top-left cell); ``{hidden}`` /
``{own}`` a cell's own value that the range hides; ``{column}`` a column's name as read.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["XLSX"]

XLSX: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "geo.xlsx.merged_fill": {
        "en": "{at}{cells} is empty in the file but lies in the merged range {range}, which "
        "shows {value!r} there; that value is used: check that it belongs to this row, or "
        "unmerge the cells and fill each row",
        "zh": "{at}{cells} 在文件中为空，但位于合并单元格 {range} 内，屏幕上显示为“{value}”；"
        "已采用该值：请核对它是否属于本行，或取消合并后逐行填写",
    },
    "geo.xlsx.merged_hidden": {
        "en": "{at}{cells} lies in the merged range {range}, which shows {value!r} there and "
        "hides the cell's own value {hidden!r}; the shown value is used: check it, or unmerge "
        "the cells to see both",
        "zh": "{at}{cells} 位于合并单元格 {range} 内，屏幕上显示为“{value}”，单元格自身的值"
        "“{hidden}”被遮住；已采用显示的值：请核对，或取消合并以查看两者",
    },
    "geo.xlsx.merged_header_blank": {
        "en": "{at}the header cell {cell} lies in the merged range {range}, whose text "
        "{name!r} names column {first} only; column {letter} has no name of its own and is "
        "read as {column!r}: unmerge the header cells and give each column its own name",
        "zh": "{at}表头单元格 {cell} 位于合并单元格 {range} 内，其文字“{name}”只作为 {first} "
        "列的列名；{letter} 列没有自己的列名，按“{column}”读取：请取消合并表头单元格，并为"
        "每一列设置列名",
    },
    "geo.xlsx.merged_header_hidden": {
        "en": "{at}the header cell {cell} lies in the merged range {range}, which shows "
        "{name!r} there and hides the cell's own text {own!r}; column {letter} is read as "
        "{column!r}: unmerge the header cells to check the names",
        "zh": "{at}表头单元格 {cell} 位于合并单元格 {range} 内，屏幕上显示为“{name}”，单元格"
        "自身的文字“{own}”被遮住；{letter} 列按“{column}”读取：请取消合并表头单元格，核对列名",
    },
    "geo.xlsx.merged_overlap": {
        "en": "{file}: sheet {sheet!r} declares merged ranges that overlap ({first} and "
        "{second}), which Excel cannot show; the file is damaged or built to mislead readers: "
        "unmerge the cells (Home > Merge & Center > Unmerge Cells) and save the file again",
        "zh": "{file}：工作表“{sheet}”声明的合并单元格相互重叠（{first} 与 {second}），Excel "
        "无法显示；文件已损坏，或是为误导读取程序而构造的：请取消合并单元格（开始 > 合并后"
        "居中 > 取消单元格合并）后重新保存文件",
    },
}
"""Keys ``geo.xlsx.merged_*``: merged cells read as the screen shows them."""
