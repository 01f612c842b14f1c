"""Words of the progress page (issue 13, item 3): figures per year against the plan's targets.

Keyed ``progress.*`` (and the page's title ``page.progress``), zh and en; merged into
:data:`layers.i18n.STRINGS` (one vocabulary). The names of stages and metrics are the
``time.*`` terms of :mod:`layers.i18n._time`, so they read the same as in the command line.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["PROGRESS"]

PROGRESS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "page.progress": {"zh": "规划进展", "en": "Progress"},
    "progress.intro": {
        "zh": "按年份、集聚区和产业环节统计项目所处阶段、协议与到位投资、产能、产值，以及"
        "履约率、开工率、投产率、资金到位率和产值同比增长，并与规划目标对照。每个数字都注明"
        "依据的记录条数和最新记录的日期；没有记录的数字写“未知”，不按“未达成”计。",
        "en": "Per year, area and segment: projects by stage, committed and paid-in "
        "investment, capacity, output, and the fulfilment, start, production and funds-in-"
        "place rates and output growth, each against the plan's target where one exists. "
        "Every figure says how many records it rests on and the date of the newest; a "
        "figure no record gives reads “unknown”, never “missed”.",
    },
    # --- the choices ------------------------------------------------------------------------
    "progress.as_of_help": {
        "zh": "只计入此日期前已发生的事件（链接中保存为 as_of 参数）",
        "en": "Only events up to this date count (kept in the link as as_of)",
    },
    "progress.area": {"zh": "集聚区", "en": "Area"},
    "progress.segment": {"zh": "产业环节", "en": "Segment"},
    "progress.all_areas": {"zh": "全市（全部集聚区）", "en": "Whole city (all areas)"},
    "progress.all_segments": {"zh": "全部环节", "en": "All segments"},
    "progress.selection": {
        "zh": "截至 {date}：{firms} 家企业，{events} 条事件记录（{source}）",
        "en": "As of {date}: {firms} enterprises, {events} event records ({source})",
    },
    "progress.event_problems": {
        "zh": "事件表有 {n} 行问题，这些行未计入：",
        "en": "The events table has {n} problem row(s), left out of the figures:",
    },
    "progress.events_unreadable": {
        "zh": "无法读取事件表：{error}",
        "en": "The events table cannot be read: {error}",
    },
    "progress.targets_unusable": {
        "zh": "目标文件不可用，数字不与目标对照：{error}",
        "en": "The targets file is unusable; figures are shown without targets: {error}",
    },
    "progress.no_firms": {
        "zh": "所选集聚区和环节在该日期没有可统计的数字。",
        "en": "The chosen area and segment have no figures at that date.",
    },
    # --- the figures table ------------------------------------------------------------------
    "progress.figures": {"zh": "逐年数字与目标", "en": "Figures per year and targets"},
    "progress.col.year": {"zh": "年份", "en": "Year"},
    "progress.col.metric": {"zh": "指标", "en": "Figure"},
    "progress.col.value": {"zh": "数值", "en": "Value"},
    "progress.col.basis": {"zh": "依据", "en": "Rests on"},
    "progress.col.age": {"zh": "最新记录距截至日（天）", "en": "Newest record's age (days)"},
    "progress.col.target": {"zh": "目标", "en": "Target"},
    "progress.col.result": {"zh": "对照目标", "en": "Against target"},
    "progress.col.source": {"zh": "目标来源", "en": "Target's source"},
    "progress.metric.firms_at": {"zh": "{stage}项目数", "en": "projects {stage}"},
    "progress.metric.capacity_in": {"zh": "产能（{unit}）", "en": "capacity ({unit})"},
    "progress.basis": {
        "zh": "{n} 条记录，最新 {date}",
        "en": "{n} records, newest {date}",
    },
    "progress.basis_one": {"zh": "1 条记录，日期 {date}", "en": "1 record, dated {date}"},
    "progress.basis_undated": {"zh": "{n} 条记录，无日期", "en": "{n} records, undated"},
    "progress.no_records": {"zh": "无记录", "en": "no record"},
    "progress.unknown": {"zh": "未知", "en": "unknown"},
    "progress.met": {"zh": "达成", "en": "met"},
    "progress.missed": {"zh": "未达成", "en": "missed"},
    "progress.not_known": {"zh": "未知（无记录）", "en": "not known (no record)"},
    "progress.money": {"zh": "{value:,.2f} 亿元", "en": "{value:,.2f} bn yuan"},
    "progress.percent": {"zh": "{value:.0%}", "en": "{value:.0%}"},
    "progress.growth": {"zh": "{value:+.1%}", "en": "{value:+.1%}"},
    "progress.target_value": {"zh": "{comparison} {value}", "en": "{comparison} {value}"},
    "progress.figures_caption": {
        "zh": "履约率 = 已开工/已签约；开工率 = 已开工/已到拟开工阶段；投产率 = 投产/已开工；"
        "资金到位率 = 到位/协议投资（两者都有记录的项目）。目标见 data/targets.yaml，"
        "每个目标都注明出处。",
        "en": "Fulfilment rate = started / signed; start rate = started / reached "
        "“about to start”; production rate = in production / started; funds in place = "
        "paid-in / committed (projects with both). Targets are data/targets.yaml, each "
        "with its source.",
    },
    "progress.download": {
        "zh": "下载进展表（CSV：所选环节的全部年份和集聚区，并按环节细分）",
        "en": "Download the progress table (CSV: every year and area of the chosen "
        "segments, and each segment apart)",
    },
    # --- the charts -------------------------------------------------------------------------
    "progress.chart.stages": {"zh": "各年项目阶段", "en": "Projects by stage, per year"},
    "progress.chart.projects": {"zh": "项目数", "en": "projects"},
    "progress.chart.stage": {"zh": "阶段", "en": "stage"},
    "progress.chart.money": {
        "zh": "各年投资与产值（对照目标）",
        "en": "Investment and output per year, against targets",
    },
    "progress.chart.money_axis": {"zh": "亿元", "en": "billion yuan"},
    "progress.chart.figure": {"zh": "指标", "en": "figure"},
    "progress.chart.target": {"zh": "目标", "en": "target"},
    "progress.chart.target_label": {"zh": "{figure}目标", "en": "target: {figure}"},
    "progress.chart.money_caption": {
        "zh": "柱：有记录的数字；红色横线：目标（无柱表示该数字未知）。",
        "en": "Bars: figures the records give; red marks: targets (no bar: the figure is unknown).",
    },
    "progress.chart.empty": {
        "zh": "没有可绘制的数字。",
        "en": "No figure to chart.",
    },
    # --- freshness --------------------------------------------------------------------------
    "progress.freshness": {"zh": "记录时效", "en": "Freshness of the records"},
    "progress.freshness_caption": {
        "zh": "截至 {date}，{stale} / {total} 条记录超过 {months} 个月或无日期，已标为过期。",
        "en": "As of {date}, {stale} of {total} records are older than {months} months or "
        "undated, flagged stale.",
    },
    "progress.col.record": {"zh": "记录", "en": "Record"},
    "progress.col.firm": {"zh": "企业", "en": "Enterprise"},
    "progress.col.date": {"zh": "日期", "en": "Date"},
    "progress.col.stage": {"zh": "阶段 / 状态", "en": "Stage / status"},
    "progress.col.record_source": {"zh": "来源", "en": "Source"},
    "progress.col.age_days": {"zh": "时长（天）", "en": "Age (days)"},
    "progress.col.stale": {"zh": "过期", "en": "Stale"},
    "progress.record.event": {"zh": "事件", "en": "event"},
    "progress.record.enterprise": {"zh": "企业信息", "en": "enterprise row"},
    # --- intensity --------------------------------------------------------------------------
    "progress.intensity": {"zh": "亩均投资与亩均产值", "en": "Investment and output per mu"},
    "progress.no_land": {
        "zh": "所选范围内没有记录给出用地面积（亩），无法计算亩均投资和亩均产值。",
        "en": "No record in the selection gives a land area (mu), so investment and output "
        "per mu cannot be computed.",
    },
    "progress.intensity_caption": {
        "zh": "按截至日最新的用地、投资和当年产值计算；每个区的一行为其有用地记录的"
        "企业合计。{thresholds}",
        "en": "From the latest land, investment and the year's output as of the date; an "
        "area's row totals its firms with land. {thresholds}",
    },
    "progress.no_thresholds": {
        "zh": "尚无有出处的亩均门槛值（data/targets.yaml 的 thresholds）。",
        "en": "No sourced per-mu threshold is set yet (thresholds in data/targets.yaml).",
    },
    "progress.col.land_mu": {"zh": "用地（亩）", "en": "Land (mu)"},
    "progress.col.area_total": {"zh": "（区合计）", "en": "(area total)"},
    "progress.per_mu": {"zh": "{value:,.1f} 万元/亩", "en": "{value:,.1f} 10k yuan/mu"},
}
