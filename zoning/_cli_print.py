"""``zoning map``: the print-ready plan map (PDF or PNG) on the command line.

Drawing sits above the analysis (``maps`` imports ``zoning``, never the other way), so this
module does not import ``maps``: the renderer registers itself under the entry-point group
:data:`RENDERERS` in ``pyproject.toml`` (``map = "maps.print:render_plan_map"``) and is
looked up by name when the command runs. Installing the project (``make``, ``pip install
-e .``) writes that registration; without it the command says how to install it.

Exit codes as for every command: 0 written, 2 unusable input (one line, no traceback).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any, Final

__all__ = ["RENDERERS", "register"]

RENDERERS: Final = "nanchang_storage_zoning.renderers"
"""Entry-point group of the renderers the command line runs (drawn by packages above it)."""
_LAYERS: Final = (
    "districts",
    "zones",
    "areas",
    "enterprises",
    "labels",
    "clusters",
    "gaps",
    "suitability",
    "sites",
)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _renderer(name: str) -> Any:
    from importlib.metadata import entry_points

    found = entry_points(group=RENDERERS, name=name)
    if not found:
        msg = (
            f"the {name} renderer is not installed (no entry point {name!r} in group "
            f"{RENDERERS}): run `make` or `pip install -e .` in the project folder"
        )
        raise OSError(msg)
    return next(iter(found)).load()


def _cmd_map(args: argparse.Namespace) -> int:
    from layers.i18n import local_names, t
    from zoning.cli import _project, message_lang

    lang = message_lang(args)
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "png"):
        msg = f"--out {args.out}: give a .pdf or .png file name"
        raise ValueError(msg)
    project = _project(args)
    title = args.title
    if title is None:
        if args.area is None:
            title = t("print.title.default", lang)
        else:
            names = local_names(project.areas, lang)
            zones = project.zones.set_index(project.zones["zone_id"].astype(str))
            place = names.get(args.area) or local_names(zones, lang).get(args.area) or args.area
            title = t("print.title.area", lang, place=place)
    sites = None
    if args.sites:
        import pandas as pd

        sites = pd.read_csv(args.sites)
    render = _renderer("map")
    data = render(
        project,
        lang=lang,
        title=title,
        date=args.date or datetime.date.today(),
        organisation=args.organisation,
        area=args.area,
        size=args.size,
        landscape=args.landscape,
        layers=args.layers,
        fmt=fmt,
        dpi=args.dpi,
        sites=sites,
        suitability_segment=args.segment,
    )
    out.write_bytes(data)
    print(f"wrote {out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``map`` to an argparse ``subparsers`` object; return its parser."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "map",
        help="print-ready plan map (PDF or PNG; language from `zoning --lang`)",
        description="A planning map with title, legend, north arrow, scale bar, sources, "
        "date and 编制单位, drawn offline in EPSG:4548. 规划图输出（PDF/PNG）。",
    )
    p.add_argument("--out", metavar="FILE", required=True, help="plan.pdf (vector) or plan.png")
    p.add_argument(
        "--area", help="an agglomeration area (materials, battery, control) or a zone id"
    )
    p.add_argument("--size", choices=["A4", "A3"], default="A4")
    p.add_argument("--landscape", action="store_true")
    p.add_argument(
        "--layers",
        nargs="+",
        choices=_LAYERS,
        default=["districts", "zones", "areas", "enterprises", "labels"],
        help="layers to draw (default: districts zones areas enterprises labels)",
    )
    p.add_argument("--title", help="图名 (default: a title naming the city or the area)")
    p.add_argument("--organisation", default="", help="编制单位 (default: a line to fill in)")
    p.add_argument("--date", type=_date, help="date printed, YYYY-MM-DD (default: today)")
    p.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")
    p.add_argument("--segment", help="segment of the suitability layer, e.g. copper_foil")
    p.add_argument("--sites", metavar="CSV", help="compared sites: a CSV with lon, lat, name")
    p.add_argument("--enterprises", metavar="FILE", help="enterprise table (default: shipped)")
    p.add_argument("--coord-system", default="wgs84", help="coordinates of --enterprises")
    p.add_argument("--rules", metavar="FILE", help="rules YAML (default: data/rules.yaml)")
    p.add_argument("--store", metavar="TARGET", help="project store whose saved zones are drawn")
    p.set_defaults(func=_cmd_map)
    return p
