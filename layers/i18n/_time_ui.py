"""Words of the app's "as of" date (issue 13): the slider, its caption, the comparison.

Keyed ``time.ui.*``, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary).
The stages and change kinds themselves are ``time.stage.*`` / ``time.change.*`` in
:mod:`layers.i18n._time`, shared with the command line and the progress page.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["TIME_UI"]

TIME_UI: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "time.ui.as_of": {"zh": "截至日期", "en": "As of"},
    "time.ui.as_of_help": {
        "zh": "拖动查看过去某日的状态：只显示当时已签约的企业及其当时的阶段，以及当时已保存的"
        "分区版本。最右端为今天（当前状态）。",
        "en": "Drag to see the plan on an earlier date: only the firms signed by then, at "
        "their stage then, on the zones saved by then. The right end is today (the current "
        "state).",
    },
    "time.ui.today": {
        "zh": "今天（{date}）的当前状态：{n} 家企业；分区：{zones}。",
        "en": "Today ({date}), the current state: {n} enterprises; zones: {zones}.",
    },
    "time.ui.then": {
        "zh": "截至 {date}：{total} 家企业中的 {n} 家；分区：{zones}。",
        "en": "As of {date}: {n} of {total} enterprises; zones: {zones}.",
    },
    "time.ui.undated": {
        "zh": "其中 {n} 家没有该日之前的事件或信息日期：保留显示，状态记为“未知”"
        "（与命令行 --as-of 相同）。",
        "en": "{n} of them have no event or as-of date telling their state then: kept, "
        "with status unknown (as the command line's --as-of does).",
    },
    "time.ui.zones_shipped": {"zh": "随附数据", "en": "shipped"},
    "time.ui.zones_version": {"zh": "数据库版本 {version}", "en": "store version {version}"},
    "time.ui.compare": {"zh": "两个日期之间的变化", "en": "What changed between two dates"},
    "time.ui.compare_date": {"zh": "对比日期", "en": "Compare with"},
    "time.ui.compare_intro": {
        "zh": "{a} 至 {b} 之间，按事件日期可判断阶段的企业的变化（新增、推进、停滞、退出）；"
        "无日期的企业无从比较。",
        "en": "What changed from {a} to {b} (new, advanced, stalled, left), for the firms "
        "whose dated events tell their stage; an undated firm has no change to tell.",
    },
    "time.ui.compare_same": {
        "zh": "两个日期相同：请选择另一个对比日期。",
        "en": "Both dates are the same: choose another date to compare with.",
    },
    "time.ui.compare_none": {
        "zh": "{a} 至 {b} 之间没有变化。",
        "en": "Nothing changed between {a} and {b}.",
    },
    "time.ui.change": {"zh": "变化", "en": "Change"},
    "time.ui.stage_on": {"zh": "{date} 的阶段", "en": "Stage on {date}"},
    "time.ui.no_stage": {"zh": "无", "en": "none"},
}
