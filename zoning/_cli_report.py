"""``zoning report``: the multi-page PDF report on the command line.

Wiring: ``register(subparsers)`` adds the ``report`` command (standard library only, so
``zoning --help`` stays light); its handler opens the project as every command does and
hands it to the report renderer.

The renderer lives in :mod:`maps` (drawing sits above the analysis), and ``zoning`` never
imports ``maps`` (``tests/test_layering.py``). So the command finds it as a plug-in, as
``zoning map`` does (:mod:`zoning._cli_print`): the entry point ``report`` of the group
``nanchang_storage_zoning.renderers`` (``report = "maps.report:write_report"`` in
``pyproject.toml``) is loaded only when the command runs; without it the command says how
to install it.

Exit codes: 0 written; 1 written, but the enterprises file had rejected rows; 2 unusable
input (bad date, unreadable sites file, no renderer, no CJK font).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any

from zoning._cli_output import report_problems

__all__ = ["register"]


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _run(args: argparse.Namespace) -> int:
    from zoning import cli
    from zoning._cli_print import _renderer

    lang = cli.message_lang(args)
    project = cli._project(args)
    code = report_problems(project.enterprise_problems, project.enterprise_source, lang)
    render = _renderer("report")
    out = Path(args.out)
    written = render(
        project,
        out=out,
        lang=lang,
        title=args.title,
        date=args.date,
        organisation=args.organisation,
        sites=args.sites,
        coord_system=args.coord_system,
    )
    sys.stdout.write(f"report written: {out} ({written:,} bytes)\n")
    return code


def register(sub: Any) -> None:
    """Add the ``report`` command to the ``zoning`` subparsers ``sub``."""
    p = sub.add_parser(
        "report",
        help="write the multi-page PDF report (check, chain gaps, sites, data sources)",
        description="Write the report for the bureau meeting as a PDF: the plan map on "
        "the cover, the check by verdict and area with the misplaced and uncertain firms, "
        "the chain-gap matrix and ranked targets, compared sites, the data's sources and "
        "limits. The language is the global --lang (zoning --lang zh report ...).",
    )
    p.add_argument("--out", metavar="FILE.pdf", required=True, help="the PDF to write")
    p.add_argument("--title", help="the report's title (default: the standard title)")
    p.add_argument("--organisation", default="", help="编制单位, printed on the cover")
    p.add_argument(
        "--date", type=_date, default=None, help="the report's date, YYYY-MM-DD (default today)"
    )
    p.add_argument(
        "--enterprises",
        metavar="FILE",
        help="enterprise table (default: the shipped data/enterprises.csv)",
    )
    p.add_argument(
        "--sites",
        metavar="sites.csv",
        help="candidate sites to compare: columns label, segment, lon, lat (or 经度/纬度)",
    )
    p.add_argument(
        "--coord-system",
        default="wgs84",
        help="coordinates of --enterprises and --sites: wgs84 (default), gcj02, bd09",
    )
    p.add_argument("--rules", metavar="FILE", help="rules YAML (default: data/rules.yaml)")
    p.add_argument(
        "--store",
        metavar="TARGET",
        help="project store whose saved zones are used (default: as the other commands)",
    )
    p.set_defaults(func=_run)
