"""Bilingual reason templates: every sentence a planner reads, in Chinese and English.

Templates use ``str.format`` fields only: ``seg`` (segment name), ``areas`` (names of the
areas holding the point), ``desig`` (names of the areas designated for the segment),
``edge`` (names of the areas whose boundary, within the precision circle, separates
different verdicts), ``prec`` (the
precision with its unit, e.g. "4.0 km" / "4.0 公里"), ``at_point`` (the verdict at the
given point), ``key`` (a raw key), ``near`` (the nearest valid key).
"""

from __future__ import annotations

import functools
from typing import Final

__all__ = ["JOIN", "REASONS", "VERDICT_NAMES", "distance_text"]


@functools.lru_cache(maxsize=1024)
def distance_text(metres: float, lang: str) -> str:
    """Say a precision as a planner reads it: "4.0 km" / "4.0 公里", "150 m" / "150 米"."""
    if metres >= 1000:
        return f"{metres / 1000:.1f} km" if lang == "en" else f"{metres / 1000:.1f} 公里"
    return f"{metres:.0f} m" if lang == "en" else f"{metres:.0f} 米"


JOIN: Final = {"zh": "、", "en": ", "}
"""How lists of names are joined in each language."""

VERDICT_NAMES: Final = {
    "zh": {
        "conforming": "符合规划",
        "misplaced": "错位",
        "outside": "不在集聚区",
        "unassigned": "无指定集聚区",
        "uncertain": "不确定",
        "unlocated": "无坐标",
    },
    "en": {
        "conforming": "conforming",
        "misplaced": "misplaced",
        "outside": "outside",
        "unassigned": "unassigned",
        "uncertain": "uncertain",
        "unlocated": "unlocated",
    },
}

REASONS: Final = {
    "zh": {
        "conforming": "该{seg}企业位于 {areas}；本规划将{seg}指定在 {desig}，符合规划",
        "misplaced": "该{seg}企业位于 {areas}，而本规划将{seg}指定在 {desig}",
        "outside": "该{seg}企业不在任何集聚区内；本规划将{seg}指定在 {desig}",
        "unassigned": "本规划未为{seg}指定集聚区，无从判断是否符合",
        "unknown_segment": (
            "环节代码“{key}”不在产业链分类中，无法判断（最接近的有效代码：{near}）"
        ),
        "no_segment": "未填写产业环节，无法判断；请填写产业链分类中的环节代码",
        "uncertain": (
            "该{seg}企业的位置精度仅为 ±{prec}，该范围跨越 {edge} 的边界，"
            "判定取决于确切位置（按给定坐标为：{at_point}）"
        ),
        "unlocated": "该{seg}企业没有可用坐标，无法判定位置；请补充经纬度",
        "no_area": "任何集聚区",
    },
    "en": {
        "conforming": "this {seg} firm lies in {areas}; the plan designates {seg} to {desig}",
        "misplaced": "this {seg} firm lies in {areas}, but the plan designates {seg} to {desig}",
        "outside": (
            "this {seg} firm lies in no agglomeration area; the plan designates {seg} to {desig}"
        ),
        "unassigned": "the plan designates no area for {seg}, so there is nothing to conform to",
        "unknown_segment": (
            "segment key '{key}' is not in the industry chain, so no rule applies "
            "(nearest valid key: {near})"
        ),
        "no_segment": (
            "no segment is given, so no rule applies; fill in a segment key of the industry chain"
        ),
        "uncertain": (
            "this {seg} firm is located only to ±{prec} and that circle crosses the boundary of "
            "{edge}, so the verdict depends on the exact site (at the given point: {at_point})"
        ),
        "unlocated": (
            "this {seg} firm has no usable coordinates, so its place cannot be checked; add lon/lat"
        ),
        "no_area": "any area",
    },
}
