"""Words of the site checker, the check page and downloads (issue 11).

Keyed, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["SITE"]

SITE: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # --- where a site is: typed text, system, parsed position ------------------------------
    "site.where": {"zh": "坐标（经度, 纬度）", "en": "Coordinates (longitude, latitude)"},
    "site.where_help": {
        "zh": "可直接粘贴高德、百度、谷歌或 GPS 的坐标：115.9449,28.5567；28.5567, 115.9449"
        "（纬度在前会自动识别）；115°56'41.6\"E 28°33'24.1\"N。全角逗号和空格也可以。",
        "en": "Paste coordinates from Amap, Baidu, Google or a GPS: 115.9449,28.5567; "
        "28.5567, 115.9449 (latitude first is recognised); 115°56'41.6\"E 28°33'24.1\"N. "
        "Chinese full-width commas and spaces work too.",
    },
    "site.coord_system": {"zh": "坐标系", "en": "Coordinate system"},
    "site.name": {"zh": "地块名称", "en": "Site name"},
    "site.name_default": {"zh": "地块 {n}", "en": "Site {n}"},
    "site.parsed": {
        "zh": "已读取 {system} 坐标：经度 {lon:.6f}，纬度 {lat:.6f}",
        "en": "Read as {system}: longitude {lon:.6f}, latitude {lat:.6f}",
    },
    "site.parsed_wgs84": {
        "zh": "，即 WGS 84 经度 {lon:.6f}，纬度 {lat:.6f}",
        "en": ", i.e. WGS 84 longitude {lon:.6f}, latitude {lat:.6f}",
    },
    "site.swapped": {
        "zh": "注意：输入的第一个数是纬度（纬度在前），已按“经度, 纬度”调换。",
        "en": "Note: the first number you gave is the latitude (latitude first); it has been "
        "swapped to longitude, latitude.",
    },
    "site.dms": {
        "zh": "度分秒已换算为小数度。",
        "en": "Degrees, minutes and seconds were converted to decimal degrees.",
    },
    "site.system.wgs84": {"zh": "WGS 84", "en": "WGS 84"},
    "site.system.gcj02": {"zh": "GCJ-02（高德）", "en": "GCJ-02 (Amap)"},
    "site.system.bd09": {"zh": "BD-09（百度）", "en": "BD-09 (Baidu)"},
    "site.where_wgs84": {
        "zh": "WGS 84 坐标 ({lon:.5f}, {lat:.5f})",
        "en": "WGS 84 ({lon:.5f}, {lat:.5f})",
    },
    "site.where_typed": {
        "zh": "（输入的是{system}坐标 {lon:.5f}, {lat:.5f}）",
        "en": " (typed as {system} {lon:.5f}, {lat:.5f})",
    },
    # --- the score in plain words ---------------------------------------------------------
    "site.band.suitable": {"zh": "适合", "en": "suitable"},
    "site.band.fair": {"zh": "一般", "en": "fair"},
    "site.band.unsuitable": {"zh": "不适合", "en": "unsuitable"},
    "site.band_label": {"zh": "评价", "en": "Rating"},
    "site.band_scale": {
        "zh": "适合：≥ {high:.0f} 分；一般：{low:.0f}–{below_high:.0f} 分；不适合：< {low:.0f} 分"
        "或被排除",
        "en": "Suitable: {high:.0f} or more; fair: {low:.0f}–{below_high:.0f}; unsuitable: "
        "below {low:.0f} or excluded",
    },
    "site.reason_score": {
        "zh": "{seg}在 {where} 得分 {score:.0f}/100（{band}）：{parts}。各项得分：{contrib}。"
        "权重扰动下的区间（{draws} 次抽样的 5%–95%）：{p5:.0f}–{p95:.0f}",
        "en": "{seg} at {where} scores {score:.0f}/100 ({band}): {parts}. Points by "
        "criterion: {contrib}. Range under weight changes (5th–95th percentile of {draws} "
        "draws): {p5:.0f}–{p95:.0f}",
    },
    "site.range_draws": {
        "zh": "权重变化时的范围（{draws} 次抽样的 5%–95%）：{p5:.0f}–{p95:.0f}",
        "en": "Range when the weights move (5th–95th percentile of {draws} draws): "
        "{p5:.0f}–{p95:.0f}",
    },
    # --- values a person reads ------------------------------------------------------------
    "site.none_within": {"zh": "{km:.0f} 公里内没有", "en": "none within {km:.0f} km"},
    "site.firms_one": {"zh": "{n} 家企业", "en": "{n} firm"},
    "site.firms": {"zh": "{n} 家企业", "en": "{n} firms"},
    "site.not_applicable": {"zh": "不适用", "en": "does not apply"},
    "site.points": {"zh": "{points:.1f} 分", "en": "{points:.1f} pts"},
    "site.weight_pct": {"zh": "{pct:.0f}%", "en": "{pct:.0f}%"},
    # --- the comparison -------------------------------------------------------------------
    "site.compare_typed": {"zh": "输入的坐标", "en": "As typed"},
    "site.compare_system": {"zh": "坐标系", "en": "System"},
    "site.compare_wgs84": {"zh": "WGS 84 经度, 纬度", "en": "WGS 84 lon, lat"},
    "site.rank_tied": {"zh": "{rank}（并列）", "en": "{rank} (tied)"},
    "site.stability_kept": {
        "zh": "{draws} 次抽样中 {share:.0%} 保持第 {rank} 名",
        "en": "keeps rank {rank} in {share:.0%} of {draws} draws",
    },
    "site.stability_tied": {
        "zh": "与 {others} 并列：{draws} 次抽样中领先 {ahead:.1%}、持平 {level:.1%}、"
        "落后 {behind:.1%}",
        "en": "tied with {others}: ahead in {ahead:.1%}, level in {level:.1%}, behind in "
        "{behind:.1%} of {draws} draws",
    },
    "site.compare_stability_text": {"zh": "排名稳定性", "en": "Rank stability"},
    "site.criteria_compare": {"zh": "各项指标并排对比", "en": "Criteria side by side"},
    "site.criteria_compare_note": {
        "zh": "每格：指标数值 · 该项得分（分）。",
        "en": "Each cell: the criterion's value · its points of the score.",
    },
    "site.total": {"zh": "总分", "en": "Total score"},
    "site.compare_download_xlsx": {
        "zh": "下载比较（XLSX）",
        "en": "Download the comparison (XLSX)",
    },
    "site.compare_download_csv": {"zh": "下载比较（CSV）", "en": "Download the comparison (CSV)"},
    "site.sheet_sites": {"zh": "地块比较", "en": "Sites"},
    "site.sheet_criteria": {"zh": "指标对比", "en": "Criteria"},
    "site.compare_add_named": {"zh": "加入比较", "en": "Add to the comparison"},
    # --- the check page: filters, counts ------------------------------------------------
    "check.filter_verdict": {"zh": "结论", "en": "Verdict"},
    "check.filter_area": {"zh": "集聚区", "en": "Area"},
    "check.filter_segment": {"zh": "产业环节", "en": "Segment"},
    "check.filter_status": {"zh": "状态", "en": "Status"},
    "check.filter_all": {"zh": "全部", "en": "All"},
    "check.filter_title": {"zh": "筛选", "en": "Filter"},
    "check.filtered": {
        "zh": "显示 {n} / {total} 家企业。",
        "en": "Showing {n} of {total} enterprises.",
    },
    "check.counts_title": {
        "zh": "结论 × 集聚区（企业数）",
        "en": "Verdicts by area (enterprises)",
    },
    "check.no_area": {"zh": "不在任何集聚区", "en": "In no area"},
    "check.total": {"zh": "合计", "en": "Total"},
}
"""Keys of the site checker (``site.*``) and the check page's filters (``check.*``)."""
