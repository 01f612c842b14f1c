"""``--as-of`` for check, clusters and gaps, and the ``zoning progress`` command.

Wiring: :func:`register` adds ``--as-of DATE`` and ``--events FILE`` to the ``check``,
``clusters`` and ``gaps`` parsers and the ``progress`` command (standard library only, so
``zoning --help`` stays light). A command calls :func:`as_of` on the project it opened:
without ``--as-of`` it is returned unchanged; with it, the enterprises present at that
date with their status then, and the zones of the store version current then.

Exit codes as every command: 0 done, 1 the events file had problems, 2 unusable input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from zoning._cli_output import print_json, records
from zoning._cli_output import table as table_text

__all__ = ["as_of", "register"]

_DATE_HELP = (
    "show the state at this date (YYYY-MM-DD; 2024-06 or 2024 mean the period's last day): "
    "only the firms signed by then, at their stage then, on the zones saved by then"
)


def _add_time_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="DATE", help=_DATE_HELP)
    p.add_argument(
        "--events",
        metavar="FILE",
        help="dated events (CSV/XLSX: 企业编号, 日期, 阶段, ...); default the store's saved "
        "events, else data/events.csv",
    )


def _events(args: argparse.Namespace, project: Any) -> Any:
    """Return ``--events`` read and validated, else the project's own events (store/shipped)."""
    from types import SimpleNamespace

    from layers.events import read_events

    if getattr(args, "events", None):
        ids = project.enterprises["id"].astype(str)
        return read_events(args.events, enterprise_ids=ids)
    version = project.events_version
    return SimpleNamespace(
        data=project.events,
        problems=project.events_problems,
        source=f"events (store v{version})" if version else "events.csv",
    )


def as_of(project: Any, args: argparse.Namespace) -> Any:
    """Return ``project`` as of ``--as-of`` (unchanged without it); report event problems."""
    date = getattr(args, "as_of", None)
    if not date:
        return project
    from zoning.timeline import as_of_date, project_as_of

    as_of_date(date)  # a bad date is refused before anything is read
    read = _events(args, project)
    _report(read, args)
    then = project_as_of(project, date, events=read.data)
    print(
        f"as of {date}: {len(then.enterprises)} of {len(project.enterprises)} enterprises "
        f"(zones: {'store v' + str(then.zones_version) if then.zones_version else 'shipped'})  "
        f"截至 {date}",
        file=sys.stderr,
    )
    return then


def _report(read: Any, args: argparse.Namespace) -> int:
    from zoning.cli import message_lang

    if read.problems.empty:
        return 0
    col = "problem_zh" if message_lang(args) == "zh" else "problem"
    print(f"{read.source}: {len(read.problems)} problem row(s)  事件表问题", file=sys.stderr)
    for _, p in read.problems.iterrows():
        print(f"  {p[col]} [{p['action']}]", file=sys.stderr)
    return 1


def _cmd_progress(args: argparse.Namespace) -> int:
    from zoning import cli, progress
    from zoning.timeline import as_of_date

    if args.as_of:
        as_of_date(args.as_of)
    project = cli._project(args)
    read = _events(args, project)
    code = _report(read, args)
    goals = progress.targets(args.targets)
    table = progress.progress(
        project.enterprises, read.data, as_of=args.as_of, areas=project.areas, target_list=goals
    )
    if not args.all_groups:
        table = table[table["segment"] == "all"]
    if args.json:
        print_json(
            {
                "as_of": str(as_of_date(args.as_of or _today()).date()),
                "enterprises": project.enterprise_source,
                "events": read.source,
                "event_records": len(read.data),
                "targets": [
                    {
                        "key": t.key,
                        "metric": t.metric,
                        "value": t.value,
                        "year": t.year,
                        "comparison": t.comparison,
                        "source": t.source,
                    }
                    for t in goals
                ],
                "progress": records(table),
            }
        )
        return code
    print(f"Progress from {len(read.data)} events ({read.source})  规划进展")
    print(table_text(table.drop(columns=["target_source"]), max_rows=200))
    return code


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def register(sub: Any) -> None:
    """Add ``--as-of``/``--events`` to check, clusters, gaps; add the ``progress`` command."""
    for name in ("check", "clusters", "gaps"):
        if name in sub.choices:
            _add_time_args(sub.choices[name])
    p = sub.add_parser(
        "progress",
        help="progress against the plan: stages, investment, capacity, output, KPIs, targets",
    )
    _add_time_args(p)
    p.add_argument("--targets", metavar="FILE", help="targets YAML (default data/targets.yaml)")
    p.add_argument("--enterprises", metavar="FILE", help="enterprise table (default shipped)")
    p.add_argument("--rules", metavar="FILE", help="rules YAML (default data/rules.yaml)")
    p.add_argument("--store", metavar="TARGET", help="project store (as the other commands)")
    p.add_argument(
        "--all-groups", action="store_true", help="also each area x segment (default: totals)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_progress)
