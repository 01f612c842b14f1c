"""The multi-page PDF report for the bureau meeting, in Chinese or English, made offline.

Pages, in order:

1. the cover: title, organisation, date, store version, the data, and the plan map
   (:func:`maps.print.plan_map_figure`, rasterised at :data:`MAP_DPI`);
2. the check against the plan: enterprises by verdict × agglomeration area, then the
   misplaced and uncertain enterprises with their reasons;
3. the chain-gap matrix and the ranked investment targets;
4. the compared candidate sites, when sites are given;
5. the data's sources (``data/SOURCES.md``) and limits (what is approximate, what is
   synthetic).

Tables split between rows and repeat their header on every page; the footer carries the
title, the date and "page x of y". One CJK TrueType font is embedded, so Chinese never
prints as boxes. The content (:mod:`maps._report_content`) is built from :mod:`zoning`
and :mod:`zoning.tables`, the same tables the app shows; the layout is in
:mod:`maps._report_pdf`.

Examples
--------
>>> import datetime
>>> from layers.project import open_project
>>> pdf = render_report(open_project(default_store=False), lang="en",
...                     date=datetime.date(2026, 12, 1))  # doctest: +SKIP
>>> pdf[:5]  # doctest: +SKIP
b'%PDF-'
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Final

import pandas as pd
from reportlab.lib import colors

from layers.i18n import Lang, t
from layers.project import Project
from maps._report_content import (
    ATTENTION,
    ReportContent,
    build_content,
    read_sites,
    sources,
    verdict_by_area,
)
from maps._report_pdf import (
    FRAME_H,
    Layout,
    build_pdf,
    map_image,
    page_break,
    para,
    register_font,
    spacer,
    styles,
    table,
)
from maps.print import DEFAULT_LAYERS, render_plan_map

__all__ = [
    "ATTENTION",
    "MAP_DPI",
    "ReportContent",
    "build_content",
    "read_sites",
    "render_report",
    "sources",
    "verdict_by_area",
    "write_report",
]

MAP_DPI: Final = 200
"""Resolution of the plan map on the cover: sharp in print, a PDF of about 1-2 MB."""

# Room the cover's title block takes above the map (title, subtitle, four lines).
_COVER_TEXT_H: Final = 62.0 * 2.834645669


def _cover_map_png(
    project: Project,
    *,
    lang: Lang,
    date: datetime.date,
    organisation: str,
    sites: pd.DataFrame | None,
    dpi: int,
) -> bytes:
    """Draw the plan map (:func:`maps.print.render_plan_map`) as a PNG, sites on it."""
    layers: tuple[str, ...] = DEFAULT_LAYERS
    shown = None
    if sites is not None and len(sites):
        shown = sites.rename(columns={"label": "name"})[["name", "lon", "lat"]]
        layers = (*layers, "sites")
    return render_plan_map(
        project,
        lang=lang,
        title=t("report.map_title", lang),
        date=date,
        organisation=organisation,
        size="A4",
        landscape=False,
        layers=layers,
        sites=shown,
        fmt="png",
        dpi=dpi,
    )


def _cover(content: ReportContent, title: str, map_png: bytes | None, st: Any) -> list[Any]:
    lang = content.lang
    story: list[Any] = [
        para(title, st["title"]),
        para(t("report.subtitle", lang), st["subtitle"]),
        spacer(3),
        *(para(line, st["meta"]) for line in content.cover),
        spacer(4),
    ]
    if map_png is not None:
        story.append(map_image(map_png, max_height=FRAME_H - _COVER_TEXT_H))
    story.append(page_break())
    return story


def _check(content: ReportContent, st: Any) -> list[Any]:
    lang = content.lang
    va = content.verdict_area
    story: list[Any] = [
        para(t("report.section_check", lang), st["h1"]),
        para(t("report.check_intro", lang), st["body"]),
        para(t("report.verdict_by_area", lang), st["h2"]),
        table(va, [2.2, *([1.0] * va.shape[1])], st, index=True, total_row=True),
        para(t("report.attention", lang), st["h2"]),
    ]
    if len(content.attention):
        # Widths in mm of 174: an id with its † mark, "misplaced", "Storage-system"
        # each fit on one line in English.
        story.append(table(content.attention, [21, 30, 22, 16, 25, 60], st))
    else:
        story.append(para(t("report.attention_none", lang), st["body"]))
    counts = content.verdict_counts
    story += [
        spacer(2),
        para(
            t(
                "report.others",
                lang,
                outside=counts["outside"],
                unassigned=counts["unassigned"],
                unlocated=counts["unlocated"],
            ),
            st["note"],
        ),
    ]
    if content.synthetic:
        story.append(para(t("report.synthetic_mark", lang), st["note"]))
    return story


def _gaps(content: ReportContent, st: Any) -> list[Any]:
    lang = content.lang
    gm = content.gap_matrix
    story: list[Any] = [
        page_break(),
        para(t("report.section_gaps", lang), st["h1"]),
        para(t("gaps.intro", lang), st["body"]),
        para(t("gaps.matrix", lang), st["h2"]),
        table(gm, [34, *([22] * gm.shape[1])], st, index=True, extra=_gap_tints(gm, lang)),
        spacer(1.5),
        para(t("gaps.matrix_caption", lang), st["note"]),
        para(t("gaps.targets", lang), st["h2"]),
    ]
    if len(content.targets):
        story.append(table(content.targets, [9, 24, 30, 12, 16, 14, 62], st))
    else:
        story.append(para(t("report.targets_none", lang), st["body"]))
    return story


def _site_widths(frame: pd.DataFrame, lang: Lang) -> list[float]:
    """Return relative widths of a site table: 1 each, more for coordinates and texts."""
    wide = {
        t("field.reason", lang): 5.0,
        t("site.compare_stability", lang): 1.6,
        t("site.compare_label", lang): 1.3,
        t("site.compare_interval", lang): 1.5,
        t("site.compare_rank", lang): 0.8,
        _text_or_key("site.compare_wgs84", lang): 1.9,
        _text_or_key("site.band_label", lang): 1.5,
    }
    return [wide.get(str(c), 1.0) for c in frame.columns]


def _text_or_key(key: str, lang: Lang) -> str:
    try:
        return t(key, lang)
    except KeyError:  # a column the app's table may not have
        return key


def _gap_tints(matrix: pd.DataFrame, lang: Lang) -> list[tuple[Any, ...]]:
    """Tint the designated cells of the gap matrix by status: missing, thin, ok."""
    tints = {
        t("gaps.status.missing", lang): colors.HexColor("#f8d7d3"),
        t("gaps.status.thin", lang): colors.HexColor("#fbeccb"),
        t("gaps.status.ok", lang): colors.HexColor("#dcefdc"),
    }
    out: list[tuple[Any, ...]] = []
    for i, row in enumerate(matrix.itertuples(index=False), start=1):
        for j, cell in enumerate(row, start=1):  # column 0 is the segment
            text = str(cell)
            for word, tint in tints.items():
                if text.startswith("★") and text.endswith(word):
                    out.append(("BACKGROUND", (j, i), (j, i), tint))
    return out


def _sites(content: ReportContent, st: Any) -> list[Any]:
    if not content.sites:
        return []
    lang = content.lang
    story: list[Any] = [
        page_break(),
        para(t("report.section_sites", lang), st["h1"]),
        para(t("report.sites_intro", lang), st["body"]),
    ]
    for one in content.sites:
        story += [
            para(t("report.sites_segment", lang, segment=one.segment), st["h2"]),
            table(one.table, _site_widths(one.table, lang), st),
        ]
    return story


def _sources(content: ReportContent, st: Any) -> list[Any]:
    lang = content.lang
    return [
        page_break(),
        para(t("report.section_sources", lang), st["h1"]),
        para(t("report.sources_intro", lang), st["body"]),
        spacer(2),
        table(content.sources, [30, 80, 22, 18], st),
        para(t("report.limits", lang), st["h2"]),
        *(para(line, st["bullet"], bullet="•") for line in content.limits),
    ]


def render_report(
    project: Project,
    *,
    lang: Lang,
    title: str | None = None,
    date: datetime.date | None = None,
    organisation: str = "",
    sites: pd.DataFrame | None = None,
    with_map: bool = True,
    map_dpi: int = MAP_DPI,
) -> bytes:
    """Return the report on ``project`` as PDF bytes.

    Parameters
    ----------
    project : layers.Project
        The plan and the enterprises (:func:`layers.project.open_project`).
    lang : {"zh", "en"}
        The language of every word the report prints (names from data stay as they are).
    title : str, optional
        Default: the vocabulary's ``report.title`` in ``lang``.
    date : datetime.date, optional
        The report's date, on the cover, the map and every footer (default: today).
    organisation : str
        The 编制单位 line (empty: not printed).
    sites : pandas.DataFrame, optional
        Candidate sites to compare (:func:`read_sites`: ``label``, ``segment``, ``lon``,
        ``lat`` in WGS 84); the section is left out without them.
    with_map : bool
        Draw the plan map on the cover (tests of the tables turn it off to run faster).
    map_dpi : int
        Resolution of the cover map.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    maps.print.CJKFontError
        No CJK TrueType font is installed (the message names the package to install).
    geo.InputError
        A compared site's segment is not a chain key.
    """
    register_font()
    date = date or datetime.date.today()
    title = title or t("report.title", lang)
    iso = date.isoformat()
    content = build_content(project, lang=lang, date=iso, organisation=organisation, sites=sites)
    map_png = (
        _cover_map_png(
            project, lang=lang, date=date, organisation=organisation, sites=sites, dpi=map_dpi
        )
        if with_map
        else None
    )
    st = styles(lang)
    story = [
        *_cover(content, title, map_png, st),
        *_check(content, st),
        *_gaps(content, st),
        *_sites(content, st),
        *_sources(content, st),
    ]
    return build_pdf(story, Layout(lang=lang, title=title, date=iso, organisation=organisation))


def write_report(
    project: Project,
    *,
    out: str | Path,
    lang: Lang,
    title: str | None = None,
    date: datetime.date | None = None,
    organisation: str = "",
    sites: str | Path | None = None,
    coord_system: str = "wgs84",
) -> int:
    """Render the report and write it to ``out``; return the number of bytes written.

    The command line's entry (``zoning report``, through the entry point ``report`` of
    the group ``nanchang_storage_zoning.renderers``). ``sites`` is a file for
    :func:`read_sites`, in ``coord_system``; the PDF is written only once it is complete.
    """
    table = None if sites is None else read_sites(sites, coord_system=coord_system)
    pdf = render_report(
        project, lang=lang, title=title, date=date, organisation=organisation, sites=table
    )
    path = Path(out)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(pdf)
    partial.replace(path)  # a reader never sees half a report
    return len(pdf)
