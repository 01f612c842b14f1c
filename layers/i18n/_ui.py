"""The app's and the map's words: pages, widgets, messages, layer names and field labels.

The domain's terms (verdicts, statuses, families, criteria) and the analysis' reason
templates are in :mod:`layers.i18n._domain`; both are read through :func:`layers.i18n.t`.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["UI"]

_Lang = Literal["zh", "en"]

UI: Final[dict[str, dict[_Lang, str]]] = {
    # --- app frame -------------------------------------------------------------------
    "app.title": {
        "zh": "南昌新型储能产业空间规划",
        "en": "Nanchang new-energy-storage zoning",
    },
    "app.language": {"zh": "语言 Language", "en": "Language 语言"},
    "app.page": {"zh": "页面", "en": "Page"},
    "page.map": {"zh": "地图", "en": "Map"},
    "page.check": {"zh": "合规检查", "en": "Zoning check"},
    "page.upload": {"zh": "数据：上传与下载", "en": "Data: upload and download"},
    "page.gaps": {"zh": "产业链缺口", "en": "Chain gaps"},
    "page.site": {"zh": "选址评估", "en": "Site checker"},
    "page.zones": {"zh": "开发区编辑", "en": "Zone editor"},
    # --- zone editor -----------------------------------------------------------------
    "zones.store": {"zh": "项目库：{target}", "en": "Project store: {target}"},
    "zones.import_coord": {"zh": "文件坐标系", "en": "File coordinates"},
    "zones.import_failed": {
        "zh": "边界文件无法使用：{error}",
        "en": "The boundary file cannot be used: {error}",
    },
    "zones.import_no_polygon": {
        "zh": "边界文件中没有可用的面（多边形）；请导出开发区的面图层。",
        "en": "The boundary file holds no usable polygon; export the zone as a polygon layer.",
    },
    "zones.compare": {
        "zh": "按新边界重新检查：企业结论的变化",
        "en": "The check re-run against the edited zones: what changed",
    },
    "zones.compare_none": {
        "zh": "没有企业的结论或所在集聚区发生变化。",
        "en": "No enterprise's verdict or area changed.",
    },
    "zones.compare_failed": {
        "zh": "无法按新边界重建集聚区：{error}",
        "en": "The areas cannot be rebuilt from the edited zones: {error}",
    },
    "field.before": {"zh": "修改前", "en": "Before"},
    "field.after": {"zh": "修改后", "en": "After"},
    "field.change": {"zh": "变化", "en": "Change"},
    "field.area_before": {"zh": "修改前所在集聚区", "en": "Areas before"},
    "field.area_after": {"zh": "修改后所在集聚区", "en": "Areas after"},
    "zones.source_store": {
        "zh": "开发区边界来自项目库（第 {version} 版）。",
        "en": "Zone boundaries come from the project store (version {version}).",
    },
    "zones.new": {"zh": "（新建开发区）", "en": "(new zone)"},
    "zones.new_id": {
        "zh": "新开发区编号（小写字母、数字、下划线）",
        "en": "New zone id (lower-case letters, digits, underscores)",
    },
    "zones.name_zh": {"zh": "中文名称", "en": "Chinese name"},
    "zones.name_en": {"zh": "英文名称", "en": "English name"},
    "zones.author": {"zh": "修改人", "en": "Your name"},
    "zones.note": {"zh": "修改原因", "en": "Why (note)"},
    "zones.save": {"zh": "保存为新版本", "en": "Save as a new version"},
    "zones.saved": {
        "zh": "已保存开发区图层第 {version} 版。",
        "en": "Saved version {version} of the zones layer.",
    },
    "zones.need_text": {
        "zh": "请填写修改人和修改原因。",
        "en": "Fill in your name and the reason.",
    },
    "zones.bad_id": {
        "zh": "开发区编号只能包含小写字母、数字和下划线，且不能与已有编号重复。",
        "en": "A zone id may only hold lower-case letters, digits and underscores, and must "
        "be new.",
    },
    "zones.unusable": {
        "zh": "项目库中的开发区图层不符合规划规则，集聚区暂按随附的开发区计算（可在开发区编辑页"
        "恢复旧版本或补画）：{error}",
        "en": "The zones layer in the project store does not fit the rules; the areas use the "
        "shipped zones for now (restore an earlier version or draw the missing zone in the "
        "zone editor): {error}",
    },
    "zones.store_unavailable": {
        "zh": "项目库暂时无法访问，现在使用随附的开发区：{error}",
        "en": "The project store cannot be reached; the shipped zones are used: {error}",
    },
    "zones.failed": {"zh": "保存失败：{error}", "en": "Saving failed: {error}"},
    "zones.history": {"zh": "版本历史", "en": "Version history"},
    "zones.restore_version": {"zh": "恢复第几版", "en": "Version to restore"},
    "zones.restore": {"zh": "恢复该版本", "en": "Restore this version"},
    "zones.restored": {
        "zh": "已把第 {old} 版恢复为第 {version} 版。",
        "en": "Restored version {old} as version {version}.",
    },
    # --- chain-gaps page -------------------------------------------------------------
    "gaps.intro": {
        "zh": "每个集聚区内、规划指定给它的每个产业环节现有多少家企业；缺失和薄弱的环节按"
        "引进后能在本地接通的产业链环节数排序，作为招商目标。",
        "en": "How many firms of each designated segment sit in the area meant to host it; "
        "missing and thin segments are ranked as investment targets by how many chain links "
        "a new firm would close locally.",
    },
    "gaps.matrix": {"zh": "集聚区 × 产业环节（企业数）", "en": "Area × segment (firms)"},
    "gaps.targets": {"zh": "招商目标（补链强链）", "en": "Investment targets"},
    "gaps.download": {"zh": "下载招商目标（CSV）", "en": "Download the targets (CSV)"},
    "field.role": {"zh": "关系", "en": "Role"},
    "field.rank": {"zh": "排名", "en": "Rank"},
    "field.links_closed": {"zh": "可接通环节数", "en": "Links closed"},
    # --- site page -------------------------------------------------------------------
    "site.intro": {
        "zh": "输入坐标或在地图上点击，评估一个候选地块对某产业环节的适宜性；每项指标的数值"
        "和贡献都列出来，并给出权重变化时得分的范围。",
        "en": "Type coordinates or click the map to score a candidate site for a segment; "
        "every criterion's value and contribution is listed, with the score's range when "
        "the weights move.",
    },
    "site.segment": {"zh": "产业环节", "en": "Segment"},
    "site.lon": {"zh": "经度", "en": "Longitude"},
    "site.lat": {"zh": "纬度", "en": "Latitude"},
    "site.score": {"zh": "得分（0–100）", "en": "Score (0–100)"},
    "site.excluded": {"zh": "该地块被排除：{reasons}", "en": "The site is excluded: {reasons}"},
    "criterion.name": {"zh": "指标", "en": "Criterion"},
    "criterion.raw": {"zh": "原始值", "en": "Value"},
    "criterion.unit": {"zh": "单位", "en": "Unit"},
    "criterion.normalised": {"zh": "归一化（0–1）", "en": "Normalised (0–1)"},
    "criterion.weight": {"zh": "权重", "en": "Weight"},
    "criterion.contribution": {"zh": "贡献（分）", "en": "Contribution (points)"},
    "history.version": {"zh": "版本", "en": "Version"},
    "history.author": {"zh": "修改人", "en": "Author"},
    "history.created_at": {"zh": "时间（UTC）", "en": "Saved at (UTC)"},
    "history.note": {"zh": "原因", "en": "Note"},
    "history.feature_count": {"zh": "要素数", "en": "Features"},
    "history.parent_version": {"zh": "上一版本", "en": "Previous version"},
    "history.restored_from": {"zh": "恢复自", "en": "Restored from"},
    "site.criteria": {"zh": "各项指标", "en": "Criteria"},
    "site.invalid": {"zh": "无法评估该地块：{error}", "en": "The site cannot be scored: {error}"},
    "site.marker": {"zh": "候选地块", "en": "Candidate site"},
    "site.links": {"zh": "最近的上下游企业", "en": "Nearest suppliers and customers"},
    "site.supplier": {"zh": "上游（供应）", "en": "supplier"},
    "site.customer": {"zh": "下游（客户）", "en": "customer"},
    "site.distance_km": {"zh": "距离（km）", "en": "Distance (km)"},
    "site.click_hint": {
        "zh": "点击地图可选取地块（坐标按当前底图的坐标系读取）。",
        "en": "Click the map to pick a site (read in the basemap's coordinate system).",
    },
    "app.layer_missing": {
        "zh": "图层“{layer}”暂不可用：{error}",
        "en": "Layer “{layer}” is not available: {error}",
    },
    "app.data_source_shipped": {
        "zh": "企业数据：随附数据（{n} 家）",
        "en": "Enterprises: shipped data ({n})",
    },
    "app.data_source_upload": {
        "zh": "企业数据：上传文件 {name}（{n} 家）",
        "en": "Enterprises: uploaded file {name} ({n})",
    },
    "app.data_source_configured": {
        "zh": "企业数据：配置的文件 {name}（{n} 家）",
        "en": "Enterprises: configured file {name} ({n})",
    },
    "map.show_clusters": {"zh": "显示企业集群轮廓", "en": "Show cluster outlines"},
    "map.show_gaps": {"zh": "显示空间空白", "en": "Show spatial gaps"},
    "map.no_clusters": {
        "zh": "没有找到企业集群（企业之间距离太远或数量太少）。",
        "en": "No clusters found (firms too few or too far apart).",
    },
    "legend.clusters": {"zh": "企业集群（按主导环节类别）", "en": "Clusters (by dominant family)"},
    "legend.gaps": {
        "zh": "空间空白（远离本环节企业的集聚区土地）",
        "en": "Spatial gaps (area land far from its segments' firms)",
    },
    "field.gap_km2": {"zh": "空白面积（km²）", "en": "Gap area (km²)"},
    "field.gap_share": {"zh": "空白占比", "en": "Gap share"},
    "field.dominant": {"zh": "主导环节", "en": "Dominant segment"},
    "field.in_area": {"zh": "位于规划集聚区的比例", "en": "Share inside its planned area"},
    "app.use_shipped": {"zh": "改用随附数据", "en": "Use the shipped data again"},
    # --- map page --------------------------------------------------------------------
    "map.basemap": {"zh": "底图", "en": "Basemap"},
    "basemap.osm": {"zh": "OpenStreetMap", "en": "OpenStreetMap"},
    "basemap.amap": {"zh": "高德地图（GCJ-02）", "en": "Amap (GCJ-02)"},
    "basemap.tianditu": {"zh": "天地图", "en": "Tianditu"},
    "basemap.none": {"zh": "无底图", "en": "None"},
    "map.amap_shift": {
        "zh": "高德底图使用 GCJ-02 坐标：所有图层仅为显示已偏移到 GCJ-02，数据本身仍为 WGS 84。",
        "en": "Amap uses GCJ-02: every overlay is shifted to GCJ-02 for display only; "
        "the data stay in WGS 84.",
    },
    "map.tianditu_no_key": {
        "zh": '天地图需要密钥：在 .streamlit/secrets.toml 中设置 TIANDITU_KEY = "…"，'
        "或设置环境变量 TIANDITU_KEY，然后重新加载。现在显示无底图。",
        "en": 'Tianditu needs a key: set TIANDITU_KEY = "…" in .streamlit/secrets.toml or '
        "the TIANDITU_KEY environment variable, then reload. Showing no basemap for now.",
    },
    "map.tianditu_bad_key": {
        "zh": "天地图密钥格式不对（应为 16–64 位字母数字）。现在显示无底图。",
        "en": "The Tianditu key looks wrong (expected 16–64 letters and digits). "
        "Showing no basemap for now.",
    },
    "map.tiles_remote": {
        "zh": "底图瓦片来自互联网；没有网络时只有底图缺失，其余图层照常显示。",
        "en": "Basemap tiles come from the internet; without it only the basemap is "
        "missing, every other layer still shows.",
    },
    "map.tiles_failed": {
        "zh": "底图瓦片无法加载（没有网络？）。其余图层照常显示。",
        "en": "Basemap tiles could not be loaded (no internet?). The other layers still show.",
    },
    "map.cdn_fallback": {
        "zh": "地图脚本未在本地安装（运行 make run 或 npm ci && python -m maps.assets），"
        "现从公共 CDN 加载，离线时地图无法显示。",
        "en": "The map's scripts are not installed locally (run `make run`, or `npm ci && "
        "python -m maps.assets`); they load from public CDNs, so the map needs internet.",
    },
    "map.layers": {"zh": "图层", "en": "Layers"},
    "map.suitability_segment": {
        "zh": "适宜性图层的产业环节",
        "en": "Segment for the suitability surface",
    },
    "map.no_suitability": {"zh": "（不显示）", "en": "(none)"},
    "map.unlocated": {
        "zh": "{n} 家企业没有可用坐标，未在地图上显示（见合规检查页）。",
        "en": "{n} enterprises have no usable coordinates and are not on the map "
        "(see the check page).",
    },
    "map.synthetic_note": {
        "zh": "含 {n} 家合成（演示用）企业。",
        "en": "Includes {n} synthetic (demo) enterprises.",
    },
    # layer names
    "layer.districts": {"zh": "区县", "en": "Districts"},
    "layer.zones": {"zh": "开发区", "en": "Development zones"},
    "layer.names": {"zh": "名称标注", "en": "Names"},
    "layer.areas": {"zh": "产业集聚区", "en": "Agglomeration areas"},
    "layer.enterprises": {"zh": "企业", "en": "Enterprises"},
    "layer.precision": {"zh": "位置精度圈", "en": "Location precision circles"},
    "layer.clusters": {"zh": "企业集群轮廓", "en": "Cluster outlines"},
    "layer.gaps": {"zh": "空间空白", "en": "Spatial gaps"},
    "layer.suitability": {"zh": "选址适宜性：{segment}", "en": "Site suitability: {segment}"},
    # field labels (tooltips, popups, tables)
    "field.name": {"zh": "名称", "en": "Name"},
    "field.adcode": {"zh": "行政区划代码", "en": "Admin code"},
    "field.area_km2": {"zh": "面积（km²）", "en": "Area (km²)"},
    "field.level": {"zh": "级别", "en": "Level"},
    "field.boundary": {"zh": "边界", "en": "Boundary"},
    "field.definition": {"zh": "范围", "en": "Definition"},
    "field.segments": {"zh": "产业环节", "en": "Segments"},
    "field.segment": {"zh": "产业环节", "en": "Segment"},
    "field.status": {"zh": "状态", "en": "Status"},
    "field.park": {"zh": "园区", "en": "Park"},
    "field.precision": {"zh": "位置精度", "en": "Location precision"},
    "field.capacity": {"zh": "产能", "en": "Capacity"},
    "field.id": {"zh": "编号", "en": "ID"},
    "field.synthetic": {"zh": "合成数据（演示用）", "en": "Synthetic (demo) record"},
    "field.score": {"zh": "适宜性得分", "en": "Suitability score"},
    "field.verdict": {"zh": "结论", "en": "Verdict"},
    "field.reason": {"zh": "原因", "en": "Reason"},
    "field.members": {"zh": "企业数", "en": "Members"},
    # legends
    "legend.enterprises": {"zh": "企业（按环节类别着色）", "en": "Enterprises by segment family"},
    "legend.areas": {"zh": "产业集聚区", "en": "Agglomeration areas"},
    "legend.zones": {
        "zh": "开发区（虚线 = 近似边界）",
        "en": "Development zones (dashed = approximate)",
    },
    "legend.suitability": {
        "zh": "适宜性得分（0 低 – {vmax} 高）",
        "en": "Suitability score (0 low – {vmax} high)",
    },
    # --- check page ------------------------------------------------------------------
    "check.intro": {
        "zh": "每家企业对照规划给出结论、依据的规则和原因。",
        "en": "Each enterprise gets a verdict against the plan, with the rule and the reason.",
    },
    "field.count": {"zh": "企业数", "en": "Enterprises"},
    "field.area": {"zh": "所在集聚区", "en": "Areas holding it"},
    "field.rule": {"zh": "规则", "en": "Rule"},
    "check.summary": {"zh": "结论汇总", "en": "Verdicts"},
    "check.table": {"zh": "逐家结论", "en": "Verdict per enterprise"},
    "check.download_csv": {"zh": "下载检查结果（CSV）", "en": "Download the results (CSV)"},
    "check.unavailable": {
        "zh": "合规检查暂不可用：{error}",
        "en": "The zoning check is not available: {error}",
    },
    # --- upload page -----------------------------------------------------------------
    "upload.intro": {
        "zh": "上传企业名单（CSV、XLSX、GeoJSON 或 GeoPackage）。每一行都会被检查：有问题的行"
        "列在报告中并说明如何修改，正确的行保留。",
        "en": "Upload an enterprise list (CSV, XLSX, GeoJSON or GeoPackage). Every row is "
        "checked: rows with problems are listed with the fix, good rows are kept.",
    },
    "upload.file": {"zh": "企业文件", "en": "Enterprise file"},
    # Streamlit's file uploader writes its own words in English only; in Chinese the app
    # puts these in their place (app_pages.common.file_uploader).
    "upload.dropzone_hint": {
        "zh": "单个文件不超过 {mb} MB · {types}",
        "en": "{mb}MB per file • {types}",
    },
    "upload.dropzone_button": {"zh": "选择文件", "en": "Upload"},
    "upload.refused_in_browser": {
        "zh": "未上传：文件超过 {mb} MB，或不是可接受的类型（{types}）。",
        "en": "Not uploaded: the file is larger than {mb} MB or not of an accepted type ({types}).",
    },
    "upload.refused_registry": {
        "zh": "更大的名单请用命令行检查"
        "（zoning check，见 README 的“Checking a whole registry”一节）。",
        "en": "Check larger registries with the command line (zoning check, see the "
        'README\'s "Checking a whole registry").',
    },
    "upload.coord_system": {"zh": "坐标系", "en": "Coordinate system"},
    "coord.wgs84": {"zh": "WGS 84（GPS、天地图、OSM）", "en": "WGS 84 (GPS, Tianditu, OSM)"},
    "coord.gcj02": {"zh": "GCJ-02（高德、腾讯）", "en": "GCJ-02 (Amap, Tencent)"},
    "coord.bd09": {"zh": "BD-09（百度）", "en": "BD-09 (Baidu)"},
    "upload.summary": {
        "zh": "{source}：{rows} 行，{located} 行有坐标，{problems} 个问题。",
        "en": "{source}: {rows} rows, {located} located, {problems} problems.",
    },
    "upload.no_problems": {"zh": "没有发现问题。", "en": "No problems found."},
    "upload.problems": {"zh": "验证报告", "en": "Validation report"},
    "upload.rejected": {"zh": "文件无法读取：{error}", "en": "The file cannot be read: {error}"},
    # An unexpected error on a page (a bug): the details go to the server log only.
    "app.internal_error": {
        "zh": "出错了：这是程序缺陷，不是您的操作问题。详细信息已记入服务器日志（编号 {ref}），"
        "请将此编号告知管理员。",
        "en": "Something went wrong: this is a bug, not something you did. The details are in "
        "the server log (reference {ref}); please give this reference to the administrator.",
    },
    "app.internal_error_file": {
        "zh": "处理 {file} 时出错：这是程序缺陷。详细信息已记入服务器日志（编号 {ref}），"
        "请将此编号和该文件告知管理员。",
        "en": "Something went wrong while working on {file}: this is a bug. The details are in "
        "the server log (reference {ref}); please give this reference and the file to the "
        "administrator.",
    },
    "upload.in_use": {
        "zh": "地图和合规检查现在使用这份上传的数据。",
        "en": "The map and the check now use this uploaded data.",
    },
    "upload.columns": {
        "zh": "列映射：文件中的哪一列读作哪个字段",
        "en": "Column mapping: which column of the file is read as which field",
    },
    "upload.columns_hint": {
        "zh": "这是检测到的映射。可在“字段”列中修改（留空表示不使用该列），"
        "修改后立即按新映射重新读取。",
        "en": "This is the detected mapping. Change a field in the Field column (leave it "
        "empty to ignore the column); the file is read again with the new mapping at once.",
    },
    "upload.save_mapping": {
        "zh": "下载列映射（YAML，命令行可用 --columns 复用）",
        "en": "Download the mapping (YAML; reuse it with --columns on the command line)",
    },
    "upload.mapping_file": {
        "zh": "或使用已保存的列映射（YAML）",
        "en": "Or use a saved column mapping (YAML)",
    },
    "upload.mapping_rejected": {
        "zh": "列映射文件无法使用：{error}",
        "en": "The mapping file cannot be used: {error}",
    },
    "upload.needs_segment": {
        "zh": "需要指定产业环节的企业",
        "en": "Enterprises that need a segment",
    },
    "upload.needs_segment_hint": {
        "zh": "这些企业的产业环节无法唯一确定（已列出候选环节和依据）。在“产业环节”列中选择后，"
        "检查和地图即使用你的选择。",
        "en": "The segment of these enterprises cannot be told for sure (candidates and basis "
        "listed). Choose one in the Segment column; the check and the map then use it.",
    },
    "upload.segment_chosen": {
        "zh": "已按你的选择设置 {n} 家企业的产业环节。",
        "en": "Segment set as you chose for {n} enterprise(s).",
    },
    "upload.template": {
        "zh": "下载企业名单模板（Excel，含中英文说明）",
        "en": "Download the enterprise-list template (Excel, explained in Chinese and English)",
    },
    "field.source_column": {"zh": "文件中的列", "en": "Column in the file"},
    "field.samples": {"zh": "示例值", "en": "Sample values"},
    "field.field": {"zh": "字段", "en": "Field"},
    "field.factor": {"zh": "换算系数", "en": "Factor"},
    "field.note": {"zh": "说明", "en": "Note"},
    "field.candidates": {"zh": "候选环节", "en": "Candidates"},
    "field.basis": {"zh": "依据", "en": "Basis"},
    "upload.download_report": {"zh": "下载验证报告（CSV）", "en": "Download the report (CSV)"},
    # One label per field of layers.columns.FIELDS, for the mapping editor's choices: the
    # key follows it, as the mapping file (--columns) writes it.
    "upload.option": {"zh": "{label}（{key}）", "en": "{label} ({key})"},
    "upload.ignored": {"zh": "（不使用）", "en": "(not used)"},
    "upload.not_chosen": {"zh": "（请选择）", "en": "(choose one)"},
    "upload.reset_mapping": {
        "zh": "恢复自动检测的列映射",
        "en": "Go back to the detected column mapping",
    },
    "upload.field.id": {"zh": "编号", "en": "ID"},
    "upload.field.credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "upload.field.name_zh": {"zh": "企业名称（中文）", "en": "Chinese name"},
    "upload.field.name_en": {"zh": "英文名称", "en": "English name"},
    "upload.field.segment": {"zh": "产业环节", "en": "Segment"},
    "upload.field.industry_code": {"zh": "行业代码", "en": "Industry code"},
    "upload.field.industry_name": {"zh": "行业名称", "en": "Industry name"},
    "upload.field.business_scope": {"zh": "经营范围", "en": "Business scope"},
    "upload.field.address": {"zh": "地址", "en": "Address"},
    "upload.field.status": {"zh": "项目状态", "en": "Status"},
    "upload.field.investment_cny": {"zh": "投资额（元）", "en": "Investment (yuan)"},
    "upload.field.capacity": {"zh": "产能", "en": "Capacity"},
    "upload.field.capacity_unit": {"zh": "产能单位", "en": "Capacity unit"},
    "upload.field.coord_system": {"zh": "坐标系", "en": "Coordinate system"},
    "upload.field.lon": {"zh": "经度", "en": "Longitude"},
    "upload.field.lat": {"zh": "纬度", "en": "Latitude"},
    "upload.field.park": {"zh": "所在园区", "en": "Park"},
    "upload.field.note": {"zh": "备注", "en": "Note"},
    "upload.field.source": {"zh": "信息来源", "en": "Source"},
    "upload.field.as_of": {"zh": "信息日期", "en": "As of"},
    "upload.field.precision_m": {"zh": "位置精度（米）", "en": "Location precision (m)"},
    "problem.row": {"zh": "行", "en": "Row"},
    "problem.column": {"zh": "列", "en": "Column"},
    "problem.value": {"zh": "值", "en": "Value"},
    "problem.problem": {"zh": "问题", "en": "Problem"},
    "problem.action": {"zh": "处理", "en": "Action"},
    "action.rejected": {"zh": "已剔除", "en": "rejected"},
    "action.kept": {"zh": "保留", "en": "kept"},
    "action.repaired": {"zh": "已修复", "en": "repaired"},
    "action.kept unlocated": {"zh": "保留（无坐标）", "en": "kept, unlocated"},
    # --- downloads -------------------------------------------------------------------
    "download.title": {"zh": "下载图层和结果", "en": "Download layers and results"},
    "download.intro": {
        "zh": "选择一个图层或分析结果，下载为 GeoJSON（RFC 7946，WGS 84）、GeoPackage 或 CSV"
        "（UTF-8，点要素含 lon/lat 列，其他要素含 wkt 列）。企业和结果使用当前数据（含上传）。",
        "en": "Choose a layer or result and download it as GeoJSON (RFC 7946, WGS 84), "
        "GeoPackage or CSV (UTF-8; lon/lat columns for points, a wkt column otherwise). "
        "Enterprises and results use the current data (uploads included).",
    },
    "download.layer": {"zh": "图层或结果", "en": "Layer or result"},
    "download.kind.districts": {"zh": "区县", "en": "Districts"},
    "download.kind.zones": {"zh": "开发区", "en": "Development zones"},
    "download.kind.areas": {"zh": "产业集聚区", "en": "Agglomeration areas"},
    "download.kind.enterprises": {"zh": "企业（当前数据）", "en": "Enterprises (current data)"},
    "download.kind.check": {"zh": "合规检查结果", "en": "Zoning check results"},
    "download.kind.targets": {"zh": "招商目标", "en": "Investment targets"},
    "download.kind.chain_gaps": {"zh": "产业链缺口", "en": "Chain gaps"},
    "download.kind.spatial_gaps": {"zh": "空间空白", "en": "Spatial gaps"},
    "download.kind.clusters": {"zh": "企业集群轮廓", "en": "Cluster outlines"},
    "download.kind.episodes": {
        "zh": "项目阶段时段（企业位置上，可用于 QGIS 时间控制）",
        "en": "Project stage episodes (at each firm, for QGIS's temporal controller)",
    },
    "download.events": {
        "zh": "下载项目事件表 CSV（{n} 条，{source}）",
        "en": "Download the project events table as CSV ({n} records, {source})",
    },
    "download.kind.suitability": {
        "zh": "选址适宜性（地图页当前选择的环节：{segment}）",
        "en": "Site suitability (segment chosen on the map page: {segment})",
    },
    "download.format.geojson": {"zh": "下载 GeoJSON", "en": "Download GeoJSON"},
    "download.format.gpkg": {"zh": "下载 GeoPackage", "en": "Download GeoPackage"},
    "download.format.csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download.map_html": {
        "zh": "下载当前地图（独立 HTML 文件）",
        "en": "Download this map (standalone HTML file)",
    },
    "download.map_html_note": {
        "zh": "导出的 HTML 文件在应用之外打开，因此从公共 CDN 加载地图脚本，需要联网才能显示。",
        "en": "The exported HTML file is opened outside the app, so it loads the map's scripts "
        "from public CDNs and needs internet access to show.",
    },
    # --- site comparison ---------------------------------------------------------------
    "site.compare_title": {"zh": "候选地块比较", "en": "Compare candidate sites"},
    "site.compare_add": {
        "zh": "加入比较（最多 {n} 个）",
        "en": "Add to the comparison (up to {n})",
    },
    "site.compare_full": {
        "zh": "比较列表已满（{n} 个地块）：先移除一个再加入。",
        "en": "The comparison is full ({n} sites): remove one before adding another.",
    },
    "site.compare_duplicate": {
        "zh": "该地块已在比较列表中。",
        "en": "This site is already in the comparison.",
    },
    "site.compare_empty": {
        "zh": "还没有加入比较的地块。",
        "en": "No site has been added to the comparison yet.",
    },
    "site.compare_intro": {
        "zh": "所有地块按当前选择的产业环节评分；排名稳定性 = 权重随机变化时保持同一排名的比例。",
        "en": "Every site is scored for the segment chosen above; rank stability = the share "
        "of random weight draws in which the site keeps its rank.",
    },
    "site.compare_remove": {"zh": "移除 {label}", "en": "Remove {label}"},
    "site.compare_layer": {"zh": "比较中的候选地块", "en": "Sites being compared"},
    "site.compare_label": {"zh": "地块", "en": "Site"},
    "site.compare_interval": {"zh": "范围（5%–95%）", "en": "Range (5th–95th pct.)"},
    "site.compare_rank": {"zh": "排名", "en": "Rank"},
    "site.compare_stability": {"zh": "排名稳定性", "en": "Rank stability"},
    "site.compare_excluded": {"zh": "被排除", "en": "Excluded"},
    # --- check page: map and selection -------------------------------------------------
    "check.map": {"zh": "地图上的企业", "en": "Enterprises on the map"},
    "check.select_hint": {
        "zh": "在下表中选中一行或点击地图上的企业标记，即在地图上突出显示该企业并给出结论原因。",
        "en": "Select a row in the table below or click an enterprise's marker: the map "
        "highlights it and its reason is shown.",
    },
    "check.selected": {
        "zh": "{name}（{id}）：{verdict}。{reason}",
        "en": "{name} ({id}): {verdict}. {reason}",
    },
    "check.selected_unlocated": {
        "zh": "该企业没有可用坐标，无法在地图上显示。",
        "en": "This enterprise has no usable coordinates and cannot be shown on the map.",
    },
    # --- chain gaps: full matrix and supplier distances --------------------------------
    "gaps.matrix_caption": {
        "zh": "每格为该集聚区内该环节的企业数；★ 标记规划指定给该集聚区的环节，并注明缺失、"
        "薄弱或充足。",
        "en": "Each cell counts the segment's firms inside the area; ★ marks the segments "
        "the plan designates to that area, with missing, thin or ok.",
    },
    "gaps.suppliers": {"zh": "供应商距离预警", "en": "Supplier-distance flags"},
    "gaps.suppliers_intro": {
        "zh": "以下企业最近的某一上游环节供应商超过 {km:.0f} km（或全市没有该环节的企业）。",
        "en": "These firms' nearest supplier of an upstream segment is farther than "
        "{km:.0f} km (or no firm of that segment is located in the city).",
    },
    "gaps.no_flags": {
        "zh": "没有企业的上游供应商超出距离。",
        "en": "No firm has a supplier beyond the distance.",
    },
    "gaps.no_supplier": {"zh": "全市无此环节企业", "en": "none located"},
    "field.supplier": {"zh": "上游环节", "en": "Supplier segment"},
    "field.distance_km": {"zh": "最近距离（km）", "en": "Nearest (km)"},
}
"""Key -> {language -> text} for the user interface."""
