"""The plan map's footer: 数据来源 (sources), notes, 编制单位, 日期, store version and CRS.

The default source line cites the shipped files, each checked against its section in
``data/SOURCES.md`` when the map is drawn, so the printed line cannot drift from the
documented provenance unnoticed.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Final

from layers.i18n import Lang, t
from layers.settings import data_path
from maps import _print_furniture as furniture
from maps._print_furniture import require
from maps._print_layout import MM, Layout

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from layers.project import Project

__all__ = ["FOOTER_LINES", "SOURCE_FILES", "date_text", "default_sources", "draw_footer"]

FOOTER_LINES: Final = 5
"""Lines the layout reserves for the footer (sources over two, notes, the signature line)."""
# Files the default source line cites; each must have its section in data/SOURCES.md.
SOURCE_FILES: Final = (
    ("districts", "districts.geojson"),
    ("zones", "zones.geojson"),
    ("rules", "rules.yaml"),
    ("enterprises", "enterprises.csv"),
)


def default_sources(project: Project, lang: Lang) -> tuple[str, ...]:
    """Return the source line's parts for the project's layers, each documented in data/SOURCES.md.

    Raises
    ------
    geo.InputError
        If ``data/SOURCES.md`` lacks the section of a cited file (the line would go stale).
    """
    doc = data_path("SOURCES.md").read_text(encoding="utf-8")
    sections = {m.group(1).strip(): m.start() for m in re.finditer(r"^## (.+)$", doc, re.M)}
    for _, file in SOURCE_FILES:
        require(file in sections, "print.error.stale_sources", file=file)
    start = sections["districts.geojson"]
    version = re.search(r"version\s*\*\*([0-9.]+)\*\*", doc[start:])
    parts = [
        t("print.source.districts", lang, version=version.group(1) if version else "?"),
        t("print.source.zones", lang),
        t("print.source.rules", lang),
    ]
    if project.enterprise_source == "enterprises.csv":
        parts.append(t("print.source.enterprises", lang))
    else:
        parts.append(t("print.source.user", lang, file=project.enterprise_source))
    parts.append(t("print.source.more", lang))
    return tuple(parts)


def date_text(date: datetime.date, lang: Lang) -> str:
    """Return the date as printed: 2026年12月1日 / 2026-12-01.

    Examples
    --------
    >>> date_text(datetime.date(2026, 12, 1), "zh"), date_text(datetime.date(2026, 12, 1), "en")
    ('2026年12月1日', '2026-12-01')
    """
    return f"{date.year}年{date.month}月{date.day}日" if lang == "zh" else date.isoformat()


def draw_footer(
    fig: Figure,
    lay: Layout,
    *,
    lang: Lang,
    sources: tuple[str, ...],
    approximate: bool,
    date: datetime.date,
    organisation: str,
    version: int | None,
    unlocated: int,
    synthetic: int,
) -> None:
    """Write the footer's lines from ``lay.footer_top`` down, wrapped to the page width."""
    from matplotlib.font_manager import FontProperties

    size = 6.5 * lay.k
    prop = FontProperties(size=size)
    sep = "；" if lang == "zh" else "; "
    first = t("print.sources", lang, sources=sources[0])
    lines = furniture.wrap_parts([first, *sources[1:]], sep, lay.footer_width * 72, prop)
    notes = []
    if approximate:
        notes.append(t("print.approximate", lang))
    if synthetic:
        notes.append(t("print.synthetic", lang, n=synthetic))
    if unlocated:
        notes.append(t("print.unlocated", lang, n=unlocated))
    lines += furniture.wrap_parts(
        notes, "　" if lang == "zh" else "  ", lay.footer_width * 72, prop
    )
    who = organisation.strip() or "＿" * 12
    version_text = (
        t("print.version.shipped", lang)
        if version is None
        else t("print.version.store", lang, version=version)
    )
    gap = "　　" if lang == "zh" else "    "
    lines.append(
        gap.join(
            [
                t("print.organisation", lang, organisation=who),
                t("print.date", lang, date=date_text(date, lang)),
                version_text,
                t("print.crs", lang),
            ]
        )
    )
    w, h = lay.page
    left = 10 * MM
    step = size * 1.45 / 72
    for i, line in enumerate(lines):
        fig.text(
            left / w, (lay.footer_top - i * step) / h, line, ha="left", va="top", fontsize=size
        )
