"""Words of the zone editor as a planner uses it (issue 11): picker, preview, vertex edits.

Keyed ``zones.edit.*``, zh and en; merged into :data:`layers.i18n.STRINGS` (one
vocabulary). The older ``zones.*`` labels the page still uses live in ``_ui``.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["ZONES"]

ZONES: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "zones.edit.intro": {
        "zh": "先选要修改的开发区，再用以下任一方式给出新边界：在地图上拖动它的拐点（左侧"
        "“编辑图层”工具），画一个新形状（多边形或矩形），或导入边界文件。保存前，新边界会画在"
        "地图上，并列出面积和企业检查结论的变化。每次保存都是一个新版本，随附边界是第 1 版，"
        "任何版本都可以恢复。",
        "en": "Pick the zone to change, then give its new boundary in one of three ways: drag "
        "its corners on the map (the “Edit layers” tool on the left), draw a new shape "
        "(polygon or rectangle), or import a boundary file. Before anything is saved the new "
        "boundary is drawn on the map with its area and what it changes in the enterprise "
        "check. Every save is a new version; the shipped boundaries are version 1, and any "
        "version can be restored.",
    },
    "zones.edit.shipped_now": {
        "zh": "现在显示随附的近似边界；第一次保存时，它们会作为第 1 版存入项目库，之后可随时恢复。",
        "en": "The shipped approximate boundaries are shown; your first save keeps them as "
        "version 1 in the project store, so they can be restored at any time.",
    },
    "zones.edit.version_now": {
        "zh": "**当前版本：第 {version} 版**（项目库中的开发区图层）",
        "en": "**Current version: {version}** (the zones layer in the project store)",
    },
    "zones.edit.zone": {"zh": "要修改的开发区", "en": "Zone to change"},
    "zones.edit.import": {
        "zh": "导入边界文件（GeoJSON、GeoPackage、压缩的 Shapefile、KML；可含多个开发区）",
        "en": "Import a boundary file (GeoJSON, GeoPackage, zipped Shapefile, KML; it may "
        "hold several zones)",
    },
    "zones.edit.imported": {
        "zh": "{name} 中有 {n} 个面。请为每个面选择它对应的开发区；不选的面不会保存。",
        "en": "{name} holds {n} polygon(s). Choose which zone each one is; a polygon left "
        "unused is not saved.",
    },
    "zones.edit.column": {
        "zh": "用哪一列识别开发区（名称或编号）",
        "en": "Column that names the zones (name or id)",
    },
    "zones.edit.column_none": {"zh": "（无，按序号）", "en": "(none: by number)"},
    "zones.edit.pick_title": {
        "zh": "**{n} 个面分别对应哪个开发区**",
        "en": "**Which zone is each of the {n} polygons**",
    },
    "zones.edit.pick": {
        "zh": "第 {n} 个面：{label}（{km2:,.1f} 平方公里）",
        "en": "Polygon {n}: {label} ({km2:,.1f} km²)",
    },
    "zones.edit.pick_help": {
        "zh": "保存时按这里的选择替换各开发区的边界；上方“要修改的开发区”只决定地图上哪个开发区"
        "可以拖动拐点。",
        "en": "Saving replaces each zone's boundary as picked here; “Zone to change” above "
        "only decides whose corners can be dragged on the map.",
    },
    "zones.edit.unused": {"zh": "（不使用）", "en": "(not used)"},
    "zones.edit.col.feature": {"zh": "序号", "en": "No."},
    "zones.edit.col.label": {"zh": "文件中的名称", "en": "Name in the file"},
    "zones.edit.col.area": {"zh": "面积（平方公里）", "en": "Area (km²)"},
    "zones.edit.col.zone": {"zh": "开发区", "en": "Zone"},
    "zones.edit.col.current": {"zh": "当前面积（平方公里）", "en": "Area now (km²)"},
    "zones.edit.col.new": {"zh": "新面积（平方公里）", "en": "New area (km²)"},
    "zones.edit.col.official": {"zh": "官方面积（平方公里）", "en": "Official area (km²)"},
    "zones.edit.col.how": {"zh": "新边界来自", "en": "New boundary from"},
    "zones.edit.how_import": {
        "zh": "导入文件第 {features} 个面",
        "en": "imported polygon(s) {features}",
    },
    "zones.edit.how_drawn": {
        "zh": "地图上新画的 {n} 个形状",
        "en": "{n} shape(s) drawn on the map",
    },
    "zones.edit.how_vertices": {"zh": "在地图上修改了拐点", "en": "corners moved on the map"},
    "zones.edit.import_wins": {
        "zh": "已导入文件：保存使用文件中选定的面，地图上画的或修改的形状不会保存"
        "（移除文件即可改用它们）。",
        "en": "A file is imported: saving uses the polygons picked from it; what is drawn or "
        "edited on the map is not saved (remove the file to use it).",
    },
    "zones.edit.combined": {
        "zh": "{n} 个面都选给了 {zone}，保存时会合成一个边界。"
        "若不是这样，请把多余的面改为“不使用”。",
        "en": "{n} polygons are all picked for {zone} and will be saved as one boundary. If "
        "that is not meant, set the extra ones to “not used”.",
    },
    "zones.edit.preview_as": {"zh": "第 {n} 个面 → {zone}", "en": "Polygon {n} → {zone}"},
    "zones.edit.preview_unused": {"zh": "第 {n} 个面（不使用）", "en": "Polygon {n} (not used)"},
    "zones.edit.preview_layer": {"zh": "待保存的边界", "en": "Boundaries not saved yet"},
    "zones.edit.preview_label": {"zh": "将成为", "en": "Becomes"},
    "zones.edit.layer": {"zh": "可编辑的边界", "en": "Editable boundary"},
    "zones.edit.map_help": {
        "zh": "紫色实线是所选开发区，可点左侧“编辑图层”拖动拐点，完成后点“保存”；橙色虚线是导入"
        "后待保存的边界，灰色虚线是不使用的面。",
        "en": "The selected zone is outlined in purple: click “Edit layers” on the left, drag "
        "its corners, then “Save”. Orange dashed outlines are imported boundaries not saved "
        "yet; grey dashed ones are polygons left unused.",
    },
    "zones.edit.nothing_yet": {
        "zh": "尚无新边界：请拖动拐点、画一个形状或导入文件。",
        "en": "No new boundary yet: move corners, draw a shape or import a file.",
    },
    "zones.edit.preview": {
        "zh": "保存前预览（尚未保存）",
        "en": "Preview before saving (nothing saved yet)",
    },
    "zones.edit.area_off": {
        "zh": "{zone} 的新面积 {new:,.1f} 平方公里是官方面积 {official:,.1f} 平方公里的 "
        "{ratio:.1f} 倍：请检查是否选错了面、合并了多个开发区或坐标系不对。",
        "en": "{zone}: the new area of {new:,.1f} km² is {ratio:.1f} times the official "
        "{official:,.1f} km²; check the polygon picked, that zones are not merged, and the "
        "file's coordinates.",
    },
    "zones.edit.check_if_saved": {
        "zh": "如果保存：企业检查结论的变化",
        "en": "If saved: what changes in the enterprise check",
    },
    "zones.edit.check_done": {
        "zh": "刚才的修改：企业检查结论修改前后",
        "en": "What was just done: the enterprise check before and after",
    },
    "zones.edit.check_if_restored": {
        "zh": "如果恢复第 {old} 版：企业检查结论的变化",
        "en": "If version {old} is restored: what changes in the enterprise check",
    },
    "zones.edit.seeded": {
        "zh": "随附的近似边界已存为第 1 版，可随时恢复。",
        "en": "The shipped approximate boundaries were kept as version 1; they can be "
        "restored at any time.",
    },
    "zones.edit.history_none": {
        "zh": "还没有保存过版本。第一次保存后，这里会列出第 1 版（随附边界）和你的版本。",
        "en": "No version saved yet. After your first save this lists version 1 (the shipped "
        "boundaries) and yours.",
    },
    # Leaflet.draw's toolbar (maps.editing sets L.drawLocal from these).
    "zones.edit.tool.polygon": {"zh": "画多边形", "en": "Draw a polygon"},
    "zones.edit.tool.rectangle": {"zh": "画矩形", "en": "Draw a rectangle"},
    "zones.edit.tool.cancel": {"zh": "取消", "en": "Cancel"},
    "zones.edit.tool.finish": {"zh": "完成", "en": "Finish"},
    "zones.edit.tool.undo": {"zh": "撤销上一点", "en": "Delete last point"},
    "zones.edit.tool.poly_start": {"zh": "点击开始画边界。", "en": "Click to start the boundary."},
    "zones.edit.tool.poly_cont": {
        "zh": "继续点击画边界。",
        "en": "Click to continue the boundary.",
    },
    "zones.edit.tool.poly_end": {
        "zh": "点击第一个点闭合边界。",
        "en": "Click the first point to close the boundary.",
    },
    "zones.edit.tool.rect_start": {
        "zh": "按住并拖动画矩形。",
        "en": "Click and drag to draw a rectangle.",
    },
    "zones.edit.tool.rect_end": {"zh": "松开鼠标完成。", "en": "Release the mouse to finish."},
    "zones.edit.tool.save": {"zh": "保存", "en": "Save"},
    "zones.edit.tool.cancel_edit": {
        "zh": "取消编辑，放弃所有改动",
        "en": "Cancel editing, discard all changes",
    },
    "zones.edit.tool.clear": {"zh": "全部清除", "en": "Clear all"},
    "zones.edit.tool.edit": {"zh": "编辑图层（拖动拐点）", "en": "Edit layers (drag corners)"},
    "zones.edit.tool.edit_none": {"zh": "没有可编辑的边界", "en": "Nothing to edit"},
    "zones.edit.tool.remove": {"zh": "删除形状", "en": "Delete shapes"},
    "zones.edit.tool.edit_tip": {
        "zh": "拖动白色方块移动拐点，拖动中间的半透明方块加点。",
        "en": "Drag the white squares to move corners, the faint ones to add a corner.",
    },
    "zones.edit.tool.edit_sub": {
        "zh": "点“取消”撤销，点“保存”结束编辑。",
        "en": "Click Cancel to undo, Save to finish editing.",
    },
    "zones.edit.tool.remove_tip": {"zh": "点击要删除的形状。", "en": "Click a shape to delete it."},
}
