"""The domain's words: verdicts, statuses, families, criteria, units and reason templates.

One wording per term: the command line, the app, written files and the analysis' reasons
all take a term from here, so a verdict reads the same wherever it appears. A term that is
also a label elsewhere (a site's zoning class "outside every area" is the verdict's word)
is defined once and reused below, never retyped.

Reason templates are keyed ``reason.<analysis>.<case>``; their ``{fields}`` are listed
above each group. Segment, area and zone names are data (``name_zh`` / ``name_en``
columns), not terms.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["DOMAIN"]

_Lang = Literal["zh", "en"]
_Text = dict[_Lang, str]

# The six verdicts of the check (see zoning.check). Short enough to stand in a table cell
# and inside a sentence ("at the given point: misplaced").
_VERDICT: Final[dict[str, _Text]] = {
    "conforming": {"zh": "符合规划", "en": "conforming"},
    "misplaced": {"zh": "错位", "en": "misplaced"},
    "outside": {"zh": "在所有集聚区之外", "en": "outside every area"},
    "unassigned": {"zh": "环节无指定集聚区", "en": "segment without a designated area"},
    "uncertain": {"zh": "不确定", "en": "uncertain"},
    "unlocated": {"zh": "无坐标", "en": "unlocated"},
}

DOMAIN: Final[dict[str, _Text]] = {
    **{f"verdict.{key}": text for key, text in _VERDICT.items()},
    # Enterprise status (layers.enterprises.STATUSES).
    "status.operating": {"zh": "已投产", "en": "operating"},
    "status.construction": {"zh": "在建", "en": "under construction"},
    "status.planned": {"zh": "规划中", "en": "planned"},
    "status.unknown": {"zh": "未知", "en": "unknown"},
    # How well a designated segment is present in its area (zoning.chain_gaps).
    "gaps.status.missing": {"zh": "缺失", "en": "missing"},
    "gaps.status.thin": {"zh": "薄弱", "en": "thin"},
    "gaps.status.ok": {"zh": "充足", "en": "ok"},
    # Where a zone's boundary comes from.
    "boundary.approximate": {
        "zh": "近似边界（按事实推算）",
        "en": "approximate (built from facts)",
    },
    "boundary.official": {"zh": "官方边界", "en": "official"},
    "boundary.drawn": {"zh": "手绘边界", "en": "drawn"},
    # Segment families (the chain's stages).
    "stage.materials": {"zh": "材料", "en": "Materials"},
    "stage.cells": {"zh": "电芯与电池", "en": "Cells and packs"},
    "stage.control": {"zh": "控制产品", "en": "Control products"},
    "stage.integration": {"zh": "系统集成", "en": "System integration"},
    "stage.equipment": {"zh": "装备", "en": "Equipment"},
    "stage.downstream": {"zh": "下游与回收", "en": "Downstream and recycling"},
    "stage.unknown": {"zh": "未识别环节", "en": "Unrecognised segment"},
    # Site-suitability criteria (zoning.suitability) and a site's zoning class; the
    # classes that mean what a verdict means use the verdict's word.
    "criterion.zoning": {"zh": "规划符合度", "en": "zoning fit"},
    "criterion.upstream": {"zh": "上游供应商距离", "en": "distance to suppliers"},
    "criterion.downstream": {"zh": "下游客户距离", "en": "distance to customers"},
    "criterion.neighbours": {"zh": "同环节企业集聚", "en": "same-segment neighbours"},
    "criterion.designated": {"zh": "位于指定集聚区", "en": "in a designated area"},
    "criterion.other_area": {"zh": "位于其他集聚区", "en": "in another area"},
    "criterion.outside": _VERDICT["outside"],
    "criterion.no_designated_area": _VERDICT["unassigned"],
    # Lists of names, and distances said as a planner reads them.
    "list.sep": {"zh": "、", "en": ", "},
    "list.sep_clauses": {"zh": "；", "en": "; "},
    "unit.km": {"zh": "{km:.1f} 公里", "en": "{km:.1f} km"},
    "unit.m": {"zh": "{m:.0f} 米", "en": "{m:.0f} m"},
    # --- reasons of zoning.check ---------------------------------------------------
    # seg: segment name; areas: names of the areas holding the point; desig: names of
    # the areas designated for the segment; edge: areas whose boundary, within the
    # precision circle, separates two verdicts; prec: the precision (a unit.* text);
    # at_point: the verdict at the given point (a verdict.* term); key: a raw segment
    # key; near: the nearest valid key.
    "reason.check.conforming": {
        "zh": "该{seg}企业位于 {areas}；本规划将{seg}指定在 {desig}，符合规划",
        "en": "this {seg} firm lies in {areas}; the plan designates {seg} to {desig}",
    },
    "reason.check.misplaced": {
        "zh": "该{seg}企业位于 {areas}，而本规划将{seg}指定在 {desig}",
        "en": "this {seg} firm lies in {areas}, but the plan designates {seg} to {desig}",
    },
    "reason.check.outside": {
        "zh": "该{seg}企业不在任何集聚区内；本规划将{seg}指定在 {desig}",
        "en": "this {seg} firm lies in no agglomeration area; the plan designates {seg} to {desig}",
    },
    "reason.check.unassigned": {
        "zh": "本规划未为{seg}指定集聚区，无从判断是否符合",
        "en": "the plan designates no area for {seg}, so there is nothing to conform to",
    },
    "reason.check.unknown_segment": {
        "zh": "环节代码“{key}”不在产业链分类中，无法判断（最接近的有效代码：{near}）",
        "en": "segment key '{key}' is not in the industry chain, so no rule applies "
        "(nearest valid key: {near})",
    },
    "reason.check.no_segment": {
        "zh": "未填写产业环节，无法判断；请填写产业链分类中的环节代码",
        "en": "no segment is given, so no rule applies; fill in a segment key of the "
        "industry chain",
    },
    "reason.check.uncertain": {
        "zh": "该{seg}企业的位置精度仅为 ±{prec}，该范围跨越 {edge} 的边界，"
        "判定取决于确切位置（按给定坐标为：{at_point}）",
        "en": "this {seg} firm is located only to ±{prec} and that circle crosses the "
        "boundary of {edge}, so the verdict depends on the exact site (at the given "
        "point: {at_point})",
    },
    "reason.check.unlocated": {
        "zh": "该{seg}企业没有可用坐标，无法判定位置；请补充经纬度",
        "en": "this {seg} firm has no usable coordinates, so its place cannot be checked; "
        "add lon/lat",
    },
    "reason.check.any_area": {"zh": "任何集聚区", "en": "any area"},
    # --- reasons of zoning.site_score ------------------------------------------------
    # areas, desig: area names; layer: a constraint layer's name; name, why: a
    # constraint feature's name and reason; near: "segment distance" pairs; seg, count,
    # radius: same-segment firms near the site; parts, contrib: joined clauses.
    "reason.site.designated": {
        "zh": "位于为该环节指定的{areas}",
        "en": "in the {areas}, designated for this segment",
    },
    "reason.site.other_area": {
        "zh": "位于{areas}，但该环节被指定在{desig}",
        "en": "in the {areas}, while the plan puts this segment in the {desig}",
    },
    "reason.site.outside": {
        "zh": "不在任何集聚区内（该环节被指定在{desig}）",
        "en": "in no agglomeration area (the plan puts this segment in the {desig})",
    },
    "reason.site.no_designated_area": {
        "zh": "规划未为该环节指定集聚区",
        "en": "the plan designates no area for this segment",
    },
    "reason.site.constraint": {"zh": "位于{layer}", "en": "inside {layer}"},
    "reason.site.constraint_name": {"zh": "：{name}", "en": ": {name}"},
    "reason.site.constraint_why": {"zh": "（{why}）", "en": " ({why})"},
    "reason.site.excluded": {
        "zh": "该地块被排除（0 分）：{why}",
        "en": "Excluded (score 0): {why}",
    },
    "reason.site.nearest_upstream": {
        "zh": "最近的上游供应商：{near}",
        "en": "nearest suppliers: {near}",
    },
    "reason.site.nearest_downstream": {
        "zh": "最近的下游客户：{near}",
        "en": "nearest customers: {near}",
    },
    "reason.site.none_in_data": {"zh": "本地无", "en": "none in the data"},
    "reason.site.neighbours": {
        "zh": "{radius} 内有 {count} 家{seg}企业",
        "en": "{count} {seg} firm(s) within {radius}",
    },
    # --- reasons of zoning.investment_targets ------------------------------------------
    # area, seg: names; what: gaps.status.missing or reason.gap.thin; links: how many
    # chain links a new firm would close; names: those segments' names.
    "reason.gap.target": {
        "zh": "{area} 的{seg}{what}；引进可在本地接通 {links} 个产业链环节（{names}）",
        "en": "{seg} is {what} in the {area}; a firm there would link locally with {links} "
        "segment(s) already in the city ({names})",
    },
    "reason.gap.thin": {"zh": "仅有 {count} 家", "en": "only {count} firm(s)"},
    "reason.gap.no_links": {"zh": "无", "en": "none yet"},
}
"""Key -> {language -> text} for the domain's terms and reason templates."""
