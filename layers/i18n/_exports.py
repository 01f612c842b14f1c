"""The wording of downloads: the "everything" GeoPackage's metadata table and its buttons."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["EXPORTS"]

EXPORTS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # What each row of the metadata table says (zoning.exports.metadata).
    "export.meta.tool_version": {
        "en": "version of the tool (nanchang-storage-zoning) that wrote this file",
        "zh": "生成本文件的工具（nanchang-storage-zoning）版本",
    },
    "export.meta.exported_at": {
        "en": "when this file was written (UTC)",
        "zh": "本文件的生成时间（UTC）",
    },
    "export.meta.data_date": {
        "en": "date of the latest dated source of the enterprises in use",
        "zh": "所用企业数据中最新来源的日期",
    },
    "export.meta.store_version": {
        "en": "version of the zones in the store (shipped: the approximate zones shipped "
        "with the tool, never edited)",
        "zh": "存储中开发区边界的版本（shipped：随工具提供、未经编辑的近似边界）",
    },
    "export.meta.crs": {
        "en": "coordinate system of every layer: WGS 84 longitude/latitude; CGCS2000 "
        "(EPSG:4490) equals it at planning scale (sub-metre); areas and distances were "
        "measured in EPSG:4548",
        "zh": "所有图层的坐标系：WGS 84 经纬度；CGCS2000（EPSG:4490）在规划尺度上与之相同"
        "（差异不足一米）；面积和距离在 EPSG:4548 中量算",
    },
    "export.meta.approximate_zones": {
        "en": "zones whose boundary is an approximation built from facts (centre, official "
        "area, host districts), not an official boundary (column boundary_source)",
        "zh": "边界为依据事实（中心、官方面积、所在区县）构建的近似边界、而非官方边界的开发区"
        "（见 boundary_source 列）",
    },
    "export.meta.approximate_areas": {
        "en": "the agglomeration areas and every result drawn on them inherit the "
        "approximation of the zones they include",
        "zh": "产业集聚区及其上的所有分析结果继承所含开发区边界的近似性",
    },
    "export.meta.located_within": {
        "en": "enterprises whose location is known only to within 1 km or more (column "
        "precision_m, metres); most are known only to their park",
        "zh": "位置精度为 1 公里或更差的企业（precision_m 列，单位：米）；多数仅知所在园区",
    },
    "export.meta.synthetic_rows": {
        "en": "enterprises made up for demonstrations (column synthetic = true in the "
        "enterprises and check layers); they are not real firms",
        "zh": "为演示而生成的虚构企业（enterprises 和 check 图层中 synthetic 列为 true），"
        "并非真实企业",
    },
    "export.meta.layers": {
        "en": "the layers of this file; each map layer carries its QGIS style in the "
        "layer_styles table (the app's colours)",
        "zh": "本文件包含的图层；每个地图图层的 QGIS 样式存于 layer_styles 表（与应用配色一致）",
    },
    # The data page's download buttons.
    "download.format.qml": {"zh": "下载 QGIS 样式（.qml）", "en": "Download QGIS style (.qml)"},
    "download.everything": {
        "zh": "下载全部图层和结果（一个 GeoPackage）",
        "en": "Download every layer and result (one GeoPackage)",
    },
    "download.everything_hint": {
        "zh": "包含所有图层、分析结果、产业链表和说明元数据的 metadata 表；每个图层自带 QGIS "
        "样式，在 QGIS 中打开即按应用配色显示。文件名含日期和边界版本。",
        "en": "Every layer, every result, the chain table and a metadata table; each layer "
        "carries its QGIS style, so QGIS shows it in the app's colours. The file name holds "
        "the date and the boundary version.",
    },
}
"""Key -> {language -> text} of the downloads (merged into :data:`layers.i18n.STRINGS`)."""
