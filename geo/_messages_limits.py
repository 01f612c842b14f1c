"""The wording of the limits an untrusted file is read under (keyed; merged into geo._messages).

Placeholders: ``{file}`` is the user's own name for the input; ``{limit}`` the limit's value
as the option takes it; ``{how}`` says how to raise the limit for a trusted file
(``geo.limits.how``: the command-line option and the app's environment variable).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["LIMITS"]

LIMITS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "geo.limits.how": {
        "en": "if you trust the file, raise the limit: `{option}` on the command line, or the "
        "environment variable {setting} for the app (0 lifts it)",
        "zh": "如文件来源可信，可调高该上限：命令行使用 `{option}`，应用使用环境变量 "
        "{setting}（设为 0 即不设上限）",
    },
    "geo.limits.seconds": {
        "en": "{file}: reading was stopped after {limit:g} seconds, the time limit for one "
        "file; the file may be built to make readers hang. Check the file, or {how}",
        "zh": "{file}：读取超过单个文件的时间上限 {limit:g} 秒，已停止；该文件可能是为使读取"
        "程序卡死而构造的。请检查文件，或{how}",
    },
    "geo.limits.memory": {
        "en": "{file}: reading needed more than {limit:,} MB of memory, the limit for one "
        "file, and was stopped. Check the file (e.g. a shape with a huge number of "
        "vertices), or {how}",
        "zh": "{file}：读取所需内存超过单个文件的上限 {limit:,} MB，已停止。请检查文件（例如"
        "顶点数量极多的图形），或{how}",
    },
    "geo.limits.crashed": {
        "en": "{file}: the reader stopped without an answer (exit status {status}), most "
        "likely at the memory limit of {limit:,} MB. Check the file, or {how}",
        "zh": "{file}：读取程序异常终止（退出状态 {status}），很可能是达到了 {limit:,} MB 的"
        "内存上限。请检查文件，或{how}",
    },
    "geo.limits.vertices": {
        "en": "{file} holds {n:,} vertices in all, more than the limit of {limit:,} per file; "
        "simplify the shapes or split the file, or {how}",
        "zh": "{file} 共有 {n:,} 个顶点，超过每个文件 {limit:,} 个的上限；请简化图形或拆分文件，"
        "或{how}",
    },
    "geo.limits.geometry_vertices": {
        "en": "{at}the shape has {n:,} vertices, more than the limit of {limit:,} per shape; "
        "simplify it (e.g. in QGIS: Vector > Geometry Tools > Simplify), or {how}",
        "zh": "{at}该图形有 {n:,} 个顶点，超过每个图形 {limit:,} 个的上限；请简化该图形（例如 "
        "QGIS：矢量 > 几何工具 > 简化），或{how}",
    },
    "geo.limits.depth": {
        "en": "{file}: the JSON is nested more than {limit} levels deep (arrays or objects "
        "inside each other); GeoJSON needs at most 7. The file is damaged or built to crash "
        "readers; {how}",
        "zh": "{file}：JSON 的嵌套层数（数组或对象层层相套）超过 {limit} 层，而 GeoJSON 最多"
        "只需 7 层。文件已损坏，或是为使读取程序崩溃而构造的；{how}",
    },
    "geo.limits.xlsx_extent": {
        "en": "{file}: sheet {sheet!r} has cells as far as {cell} ({rows:,} rows by {cols:,} "
        "columns) but only {present:,} cells hold anything; delete the stray cells far from "
        "the table (in Excel, Ctrl+End jumps to the last one) and save the file again",
        "zh": "{file}：工作表“{sheet}”的单元格一直延伸到 {cell}（{rows:,} 行 × {cols:,} 列），"
        "但只有 {present:,} 个单元格有内容；请删除远离表格的零散单元格（在 Excel 中按 "
        "Ctrl+End 可跳到最后一个），然后重新保存文件",
    },
}
"""Keys ``geo.limits.*``: a file refused as a whole because it breached a reading limit."""
