"""Words of time and targets (issue 13): project stages, dated events, progress, freshness.

Keyed ``time.*``, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary). The
five ``upload.field.*`` labels of the event fields of :data:`layers.columns.FIELDS` live here
too, beside the fields they name (the mapping editor needs one label per field).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["TIME"]

TIME: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # --- the stages of a project, in the order investment-promotion offices track them ----
    "time.stage.promotion": {"zh": "推介", "en": "promotion"},
    "time.stage.negotiation": {"zh": "在谈", "en": "in negotiation"},
    "time.stage.signed": {"zh": "签约", "en": "signed"},
    "time.stage.pre_construction": {"zh": "拟开工", "en": "about to start"},
    "time.stage.construction": {"zh": "在建", "en": "under construction"},
    "time.stage.production": {"zh": "竣工投产", "en": "in production"},
    "time.stage.halted": {"zh": "停产", "en": "halted"},
    "time.stage.exited": {"zh": "退出", "en": "exited"},
    # --- changes between two dates ---------------------------------------------------------
    "time.change.new": {"zh": "新增", "en": "new"},
    "time.change.advanced": {"zh": "推进", "en": "advanced"},
    "time.change.stalled": {"zh": "停滞", "en": "stalled"},
    "time.change.left": {"zh": "退出", "en": "left"},
    # --- how a firm's state at a date is known ---------------------------------------------
    "time.basis.events": {"zh": "按事件", "en": "from its events"},
    "time.basis.as_of": {"zh": "按信息日期", "en": "from its as-of date"},
    "time.basis.undated": {"zh": "无日期", "en": "undated"},
    # --- KPIs ------------------------------------------------------------------------------
    "time.metric.firms": {"zh": "项目数", "en": "projects"},
    "time.metric.investment_cny": {"zh": "协议投资", "en": "committed investment"},
    "time.metric.paid_in_cny": {"zh": "到位资金", "en": "paid-in investment"},
    "time.metric.capacity": {"zh": "产能", "en": "capacity"},
    "time.metric.output_cny": {"zh": "产值", "en": "output"},
    "time.metric.fulfilment_rate": {"zh": "履约率", "en": "fulfilment rate (signed → started)"},
    "time.metric.start_rate": {"zh": "开工率", "en": "start rate"},
    "time.metric.production_rate": {"zh": "投产率", "en": "production rate"},
    "time.metric.funds_rate": {"zh": "资金到位率", "en": "funds in place"},
    "time.metric.output_growth": {"zh": "产值同比增长", "en": "output growth, year on year"},
    "time.metric.investment_per_mu": {"zh": "亩均投资（元/亩）", "en": "investment per mu (yuan)"},
    "time.metric.output_per_mu": {"zh": "亩均产值（元/亩）", "en": "output per mu (yuan)"},
    "time.all": {"zh": "全部", "en": "all"},
    "time.none": {"zh": "不在任何集聚区", "en": "outside every area"},
    "time.stale": {
        "zh": "信息已过期：最新日期 {date}，超过 {months} 个月",
        "en": "stale: newest date {date}, older than {months} months",
    },
    "time.undated": {"zh": "无日期，无法判断是否过期", "en": "undated: its age is unknown"},
    # --- the event fields of the column mapping ---------------------------------------------
    "upload.field.event_date": {"zh": "事件日期", "en": "Event date"},
    "upload.field.stage": {"zh": "项目阶段", "en": "Stage"},
    "upload.field.paid_in_cny": {"zh": "到位资金（元）", "en": "Paid-in investment (yuan)"},
    "upload.field.output_cny": {"zh": "产值（元）", "en": "Output (yuan)"},
    "upload.field.land_mu": {"zh": "用地（亩）", "en": "Land (mu)"},
    # --- problems of an events file (each row's message starts with "<file> row <n>: ") ---
    "time.events.missing_columns": {
        "zh": "{file}：缺少必需的列 {missing}。事件表需要 {required}（表头可写中文，如 "
        "企业编号、日期、阶段）",
        "en": "{file}: required column(s) missing: {missing}. An events table needs "
        "{required} (Chinese headers such as 企业编号, 日期, 阶段 are read too)",
    },
    "time.events.no_date": {
        "zh": "日期为空：未知的日期不能推测，该事件未采用；请填写日期（如 2023-09-20、2023年9月）",
        "en": "the date is blank: an unknown date is not guessed, so the event is left out; "
        "give its date (e.g. 2023-09-20, 2023年9月)",
    },
    "time.events.bad_date": {
        "zh": "无法识别日期 {value!r}；可写 2023-09-20、2023-09、2023年9月20日、2023年9月、"
        "2023.9 或 2023",
        "en": "{value!r} is not a date this tool reads; write 2023-09-20, 2023-09, "
        "2023年9月20日, 2023年9月, 2023.9 or 2023",
    },
    "time.events.bad_stage": {
        "zh": "阶段 {value!r} 不在词表中{hint}；可用：{valid}",
        "en": "stage {value!r} is not in the vocabulary{hint}; use one of: {valid}",
    },
    "time.events.did_you_mean": {"zh": "（是否为 {best}？）", "en": " (did you mean {best}?)"},
    "time.events.no_enterprise": {
        "zh": "企业编号 {value!r} 不在企业表中{hint}；该事件未采用。请先在企业表中加入该企业，"
        "或改正编号",
        "en": "enterprise id {value!r} is not in the enterprises table{hint}; the event is "
        "left out. Add the enterprise first, or correct the id",
    },
    "time.events.backwards": {
        "zh": "{id} 的阶段从“{before}”（{before_date}）倒退为“{after}”，其间没有停产或退出；"
        "请核对日期和阶段，或先记一条停产/退出事件",
        "en": "{id} goes back from {before} ({before_date}) to {after} with no halt or exit "
        "in between; check the dates and stages, or record the halt or exit first",
    },
    "time.events.overlap": {
        "zh": "{id} 在 {date} 同时有阶段“{before}”和“{after}”；采用较后的阶段，请核对",
        "en": "{id} has both {before} and {after} on {date}; the later stage is used, "
        "check which is right",
    },
    "time.events.negative": {
        "zh": "{column} 须为非负数字；已置空",
        "en": "{column} must be a number of 0 or more; left blank",
    },
    # --- targets and thresholds (data/targets.yaml) ------------------------------------------
    "time.targets.no_source": {
        "zh": "目标 {key} 没有来源：每个目标和阈值都必须写明 source（如 S1，并在 sources "
        "中列出），否则不予采用",
        "en": "target {key} has no source: every target and threshold must name its "
        "`source` (e.g. S1, listed under `sources`); it is refused",
    },
    "time.targets.unknown_source": {
        "zh": "目标 {key} 的来源 {source!r} 不在 sources 中；可用：{valid}",
        "en": "target {key} cites {source!r}, which `sources` does not list; listed: {valid}",
    },
    "time.targets.bad_field": {
        "zh": "目标 {key} 的 {field} 无效：{problem}",
        "en": "target {key}: `{field}` is invalid: {problem}",
    },
    "time.as_of.bad": {
        "zh": "无法识别日期 {value!r}；请写 YYYY-MM-DD（如 2024-06-30），也可写 2024-06 或 2024",
        "en": "{value!r} is not a date; write YYYY-MM-DD (e.g. 2024-06-30), or 2024-06, 2024",
    },
    "time.events.unreadable": {
        "zh": "{file}：无法读取（{reason}）；请另存为 UTF-8 的 CSV 或 XLSX",
        "en": "{file}: cannot be read ({reason}); save it as a UTF-8 CSV or an XLSX",
    },
}
