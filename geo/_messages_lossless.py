"""Messages of geo's readers and writers about input they must not lose or crash on.

Rows longer than a CSV header, quotes never closed, over-long fields, NUL bytes, a
Shapefile whose parts disagree, archives with clashing member names, GeoPackage views,
parsers that give up (deep nesting, malformed workbooks) and files that cannot be written
(a full disk). Merged into :data:`geo._messages.MESSAGES`.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["LOSSLESS"]

LOSSLESS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "geo.lossless.csv_extra_fields": {
        "en": "{at}{n} more field(s) than the header's {width} columns ({extra!r}); the row "
        "is read by the header and the extra fields are left out: remove the extra "
        "separators (e.g. a comma at the end of each row) or name the columns in the header",
        "zh": "{at}比表头的 {width} 列多出 {n} 个字段（“{extra}”）；该行按表头读取，多出的字段"
        "未读入：请删除多余的分隔符（如每行末尾的逗号），或在表头中为这些列命名",
    },
    "geo.lossless.csv_unclosed_quote": {
        "en": "{file}: a quote opened in row {row} is never closed, so the rest of the file "
        "would be read as one cell; close or remove that quote and save the file again",
        "zh": "{file}：第 {row} 行的引号没有闭合，文件其余部分会被读成一个单元格；"
        "请闭合或删除该引号后重新保存",
    },
    "geo.lossless.csv_field_limit": {
        "en": "{file}: row {row} holds a field longer than {limit:,} characters, which no "
        "table of places needs; check that the file is the table you meant (quotes closed, "
        "the right separator) and shorten that field",
        "zh": "{file}：第 {row} 行有一个超过 {limit:,} 个字符的字段，地点表格不需要如此长的"
        "字段；请确认文件是所需的表格（引号成对、分隔符正确），并缩短该字段",
    },
    "geo.lossless.csv_nul": {
        "en": "{file}: line {line} holds a NUL byte (\\0), which text never contains: the "
        "file is damaged or not a text table; remove the NUL characters (or export the "
        "table again)",
        "zh": "{file}：第 {line} 行含有 NUL 字节（\\0），文本中不会出现这种字符：文件已损坏或"
        "不是文本表格；请删除这些 NUL 字符（或重新导出表格）",
    },
    "geo.lossless.zip_clash": {
        "en": "{file} holds {member!r} {n} times ({names}), names that differ at most in "
        "case; which copy is meant cannot be told and one would silently replace the other: "
        "zip the files again, each once",
        "zh": "{file} 中“{member}”出现了 {n} 次（{names}），这些名称至多只有大小写不同；"
        "无法判断要用哪一份，且一份会悄悄覆盖另一份：请重新压缩，每个文件只放一次",
    },
    "geo.lossless.shp_parts": {
        "en": "{file}: the parts of {shp} disagree: the .shp holds {shapes} shapes, the "
        ".shx indexes {index} and the .dbf holds {table} attribute records, so features "
        "would be lost or left without attributes; export the layer again from the GIS "
        "and zip all of its files together",
        "zh": "{file}：{shp} 的各组成文件不一致：.shp 有 {shapes} 个图形，.shx 索引了 {index} "
        "个，.dbf 有 {table} 条属性记录，读取会丢失要素或使要素缺少属性；请从 GIS 软件中重新"
        "导出该图层，并将其全部文件一起压缩",
    },
    "geo.lossless.count": {
        "en": "{file}: the file declares {expected} features but only {read} could be "
        "read, so the file is damaged; export it again from the GIS",
        "zh": "{file}：文件声明有 {expected} 个要素，但只能读取 {read} 个，文件已损坏；"
        "请从 GIS 软件中重新导出",
    },
    "geo.lossless.gpkg_view": {
        "en": "{file}: layer {layer!r} is an SQL view, computed when it is read and possibly "
        "without end; views are not read: save the layer as a table (in QGIS: Export > "
        "Save Features As...) and read that",
        "zh": "{file}：图层“{layer}”是 SQL 视图，读取时才计算，可能永远无法完成；不读取视图："
        "请将该图层另存为数据表（QGIS：导出 > 要素另存为...）后再读取",
    },
    "geo.lossless.corrupt_value": {"en": "(damaged geometry)", "zh": "（几何已损坏）"},
    "geo.lossless.corrupt_geometry": {
        "en": "{at}its geometry is stored but damaged (GDAL cannot decode it); the record is "
        "kept as unlocated: redraw or re-export that feature",
        "zh": "{at}几何数据已存储但已损坏（GDAL 无法解码）；该记录保留为未定位：请重新绘制"
        "或重新导出该要素",
    },
    "geo.lossless.disk_full": {
        "en": "{name} could not be written: the disk is full (in {folder}); free some space "
        "or write elsewhere. Nothing was changed: an earlier {name} is still as it was",
        "zh": "无法写入 {name}：磁盘已满（{folder}）；请释放空间或写到其他位置。未作任何更改："
        "原有的 {name} 保持不变",
    },
    "geo.lossless.json_depth": {
        "en": "{file}: the JSON is nested too deeply to read (thousands of levels; GeoJSON "
        "needs a handful), so it is not GeoJSON; export the data again as GeoJSON",
        "zh": "{file}：JSON 嵌套层数过深（数千层；GeoJSON 只需几层），无法读取，不是 GeoJSON；"
        "请重新导出为 GeoJSON",
    },
    "geo.lossless.xlsx_broken": {
        "en": "{file}: the workbook is malformed and cannot be read ({error}); open it in "
        "Excel or WPS and save it again as .xlsx, or export the sheet as CSV",
        "zh": "{file}：工作簿格式损坏，无法读取（{error}）；请用 Excel 或 WPS 打开后重新另存为"
        " .xlsx，或将工作表导出为 CSV",
    },
    "geo.lossless.date_cell": {
        "en": "{at}the {what} is a date ({value}), not a number: the cell is formatted as a "
        "date, which turned the typed coordinate into one; format the column as Number "
        "(Excel/WPS: Format Cells > Number), type the coordinate again and save; the row is "
        "kept as unlocated",
        "zh": "{at}{what}是日期（{value}）而不是数字：该单元格被设置为日期格式，输入的坐标被"
        "转成了日期；请将该列设置为“数值”格式（Excel/WPS：设置单元格格式 > 数值），重新输入"
        "坐标并保存；该行已保留为未定位",
    },
    "geo.lossless.xlsx_first_sheet": {
        "en": "{file}: no coordinates found on the first sheet {sheet!r} (columns: {columns}); "
        "the workbook also has the sheets {others}: name the sheet with the coordinates "
        "(`--layer SHEET` on the command line, `layer=` in Python) or move it first",
        "zh": "{file}：第一个工作表“{sheet}”中没有坐标（列：{columns}）；工作簿中还有工作表 "
        "{others}：请指定含坐标的工作表（命令行用 `--layer 工作表名`，Python 中用 `layer=`），"
        "或将其移到最前",
    },
}
