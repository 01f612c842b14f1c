"""The report's layout: reportlab flowables, a CJK font, the footer and page numbers.

Why reportlab: its ``LongTable`` with ``repeatRows=1`` splits a table between rows and
repeats the header on every page, which a planner's 200-row list needs and matplotlib's
PdfPages cannot do without laying out pages by hand. One TrueType CJK font is embedded
(subset) for every text, Latin included, so Chinese names inside English tables print too.
Every text from data is escaped before it becomes a ``Paragraph`` (which parses markup).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from layers.i18n import Lang, t
from maps.print import CJKFontError

__all__ = [
    "FONT_FILES",
    "Layout",
    "build_pdf",
    "map_image",
    "page_break",
    "para",
    "register_font",
    "spacer",
    "styles",
    "table",
]

FONT_NAME: Final = "ReportCJK"
# TrueType fonts with Chinese glyphs (file, index in a .ttc), tried in order. Debian's
# fonts-wqy-microhei first (what .ci/run installs). Noto Sans CJK is not listed: its
# outlines are CFF, which reportlab cannot embed.
FONT_FILES: Final = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)

PAGE: Final = A4
MARGIN_X: Final = 18 * mm
MARGIN_TOP: Final = 16 * mm
MARGIN_BOTTOM: Final = 20 * mm
FRAME_W: Final = PAGE[0] - 2 * MARGIN_X
FRAME_H: Final = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
INK: Final = colors.HexColor("#1f2933")
RULE: Final = colors.HexColor("#9aa5b1")
HEAD_BG: Final = colors.HexColor("#dde3ea")
TOTAL_BG: Final = colors.HexColor("#f0f3f6")


def register_font(files: Sequence[tuple[str, int]] = FONT_FILES, *, name: str = FONT_NAME) -> str:
    """Register the first usable CJK TrueType font of ``files`` as ``name``; return ``name``.

    Raises
    ------
    maps.print.CJKFontError
        No file of ``files`` is a usable font (the message names the Debian package).
    """
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    for path, index in files:
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except TTFError:  # e.g. CFF outlines: try the next
            continue
        return name
    raise CJKFontError


@dataclass(frozen=True)
class Layout:
    """What the page furniture prints: the footer's title and date, the language."""

    lang: Lang
    title: str
    date: str
    organisation: str = ""


def styles(lang: Lang) -> dict[str, ParagraphStyle]:
    # Chinese wraps between any two characters; English between words.
    wrap = "CJK" if lang == "zh" else None
    base = ParagraphStyle(
        "body",
        fontName=FONT_NAME,
        bulletFontName=FONT_NAME,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        wordWrap=wrap,
    )

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "title": style("title", fontSize=21, leading=28, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": style("subtitle", fontSize=11, leading=15, alignment=TA_CENTER),
        "meta": style("meta", fontSize=9.5, leading=13, alignment=TA_CENTER),
        "h1": style("h1", fontSize=15, leading=20, spaceBefore=2, spaceAfter=6),
        "h2": style("h2", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
        "note": style("note", fontSize=8, leading=11, textColor=colors.HexColor("#52606d")),
        "cell": style("cell", fontSize=7.6, leading=9.8),
        "head": style("head", fontSize=7.6, leading=9.8),
        "head_num": style("head_num", fontSize=7.6, leading=9.8, alignment=2),
        "num": style("num", fontSize=7.6, leading=9.8, alignment=2),
        "bullet": style("bullet", leftIndent=10, bulletIndent=0, spaceAfter=3),
    }


def para(value: object, style: ParagraphStyle, *, bullet: str | None = None) -> Paragraph:
    """Return a paragraph of plain text, escaped: names with ``<`` or ``&`` print as written."""
    return Paragraph(escape(str(value)), style, bulletText=bullet)


def table(
    frame: pd.DataFrame,
    widths: Sequence[float],
    styles: dict[str, ParagraphStyle],
    *,
    index: bool = False,
    total_row: bool = False,
    extra: Sequence[tuple[Any, ...]] = (),
) -> LongTable:
    """Return a table that splits between rows and repeats its header on every page.

    ``widths`` are relative; they are scaled to the frame's width. Numbers align right.
    ``extra`` are further reportlab table-style commands (e.g. cell backgrounds).
    """
    shown = frame.reset_index() if index else frame
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]
    head = [
        para(c, styles["head_num"] if num else styles["head"])
        for c, num in zip(shown.columns, numeric, strict=True)
    ]
    body = [
        [
            para(v, styles["num"] if num else styles["cell"])
            for v, num in zip(row, numeric, strict=True)
        ]
        for row in shown.itertuples(index=False)
    ]
    scale = FRAME_W / sum(widths)
    out = LongTable(
        [head, *body], colWidths=[w * scale for w in widths], repeatRows=1, splitByRow=1
    )
    commands: list[tuple[Any, ...]] = [
        # Cells are paragraphs in the CJK font; the table's own default font is
        # Helvetica, which would be declared (never embedded) if left as is.
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        commands += [("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG)]
    commands += list(extra)
    out.setStyle(TableStyle(commands))
    return out


class _NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]  # reportlab has no types
    """A canvas that knows the page count when it draws each page's footer."""

    layout: Layout

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not reportlab's default Helvetica: it would be a font the PDF names but lacks.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT_NAME
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        lay = self.layout
        y = MARGIN_BOTTOM - 9 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, y + 4.2 * mm, PAGE[0] - MARGIN_X, y + 4.2 * mm)
        self.setFillColor(INK)
        self.setFont(FONT_NAME, 8)
        left = lay.title if not lay.organisation else f"{lay.title} · {lay.organisation}"
        self.drawString(MARGIN_X, y, left)
        page = t("report.page", lay.lang, page=self._pageNumber, pages=total)
        right = f"{t('report.date', lay.lang, date=lay.date)}    {page}"
        self.drawRightString(PAGE[0] - MARGIN_X, y, right)
        self.restoreState()


def map_image(png: bytes, *, max_height: float) -> Image:
    """Return the plan map as an image that fits the frame's width and ``max_height``.

    The map page's own white margins are cut off first (a few pixels are kept), so the
    map is printed as large as the cover allows.
    """
    from PIL import Image as PILImage  # pillow comes with matplotlib and reportlab
    from PIL import ImageChops

    with PILImage.open(io.BytesIO(png)) as opened:
        im = opened.convert("RGB")
    box = ImageChops.difference(im, PILImage.new("RGB", im.size, "white")).getbbox()
    if box is not None:
        pad = round(0.01 * max(im.size))
        left, top, right, bottom = box
        im = im.crop(
            (max(left - pad, 0), max(top - pad, 0), min(right + pad, im.width),
             min(bottom + pad, im.height))
        )  # fmt: skip
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    scale = min(FRAME_W / im.width, max_height / im.height)
    return Image(io.BytesIO(out.getvalue()), width=im.width * scale, height=im.height * scale)


def build_pdf(story: list[Flowable], layout: Layout) -> bytes:
    """Lay ``story`` out on A4 pages with the footer (title, date, page x of y)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=layout.title,
        author=layout.organisation,
        subject=t("report.subtitle", layout.lang),
        creator="nanchang-storage-zoning",
        lang="zh-CN" if layout.lang == "zh" else "en",
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        FRAME_W,
        FRAME_H,
        id="body",
        # No padding: tables as wide as the frame line up with the text above them.
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    class Canvas(_NumberedCanvas):
        pass

    Canvas.layout = layout
    doc.build(story, canvasmaker=Canvas)
    return buffer.getvalue()


def spacer(height_mm: float) -> Spacer:
    """Vertical space of ``height_mm`` millimetres."""
    return Spacer(1, height_mm * mm)


def page_break() -> PageBreak:
    """Start a new page."""
    return PageBreak()
