"""What the ``zoning`` command line accepts: its commands, options and argument types.

:func:`build_parser` lays out every command and option once; :mod:`zoning.cli` gives it
the handler of each command and runs the one parsed. Only the standard library is
imported at module level, so ``zoning --help`` loads no analysis. The analysis options' defaults are
the current :mod:`zoning.settings`, read when the parser is built (each run), not when a
module is imported. The exit codes (documented in :mod:`zoning.cli`) are defined here
because the parser itself exits with :data:`EXIT_UNUSABLE` on bad arguments.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Mapping
from typing import NoReturn

__all__ = [
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_STORE",
    "EXIT_UNUSABLE",
    "EXPORT_KINDS",
    "Handler",
    "build_parser",
]

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNUSABLE = 2
EXIT_STORE = 3

# zoning.exports.KINDS, spelled out so that `zoning --help` need not import the analysis
# (tests/zoning/test_cli.py checks that the two agree).
EXPORT_KINDS = (
    "districts",
    "zones",
    "areas",
    "enterprises",
    "chain",
    "events",
    "check",
    "targets",
    "chain_gaps",
    "spatial_gaps",
    "clusters",
    "episodes",
    "suitability",
)


Handler = Callable[[argparse.Namespace], int]
"""Runs one parsed command and returns its exit code."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors on one line (exit 2) instead of usage + error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_UNUSABLE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


# ---------------------------------------------------------------- argument types


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        msg = f"expected a whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 0:
        msg = f"expected a whole number >= 0, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        msg = "expected a whole number >= 1, got 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        msg = f"expected a size in MB, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if not (math.isfinite(value) and value > 0):
        msg = f"expected a size in MB > 0, got {text}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _metres(low: float, high: float) -> Callable[[str], float]:
    """Argument type: a distance in metres within [low, high] (catches unit mistakes)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            msg = f"expected metres, got {text!r}"
            raise argparse.ArgumentTypeError(msg) from None
        if not (math.isfinite(value) and low <= value <= high):
            msg = f"expected metres between {low:g} and {high:g}, got {text}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


# ---------------------------------------------------------------- parser


def _add_enterprise_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--enterprises",
        metavar="FILE",
        help="enterprise table (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile); "
        "default: the shipped data/enterprises.csv",
    )
    p.add_argument(
        "--coord-system",
        default="wgs84",
        help="coordinate system of the input: wgs84 (default), gcj02 (Amap), bd09 (Baidu)",
    )
    p.add_argument(
        "--layer",
        dest="enterprise_layer",
        help="layer (GeoPackage, KML), shapefile (zip) or sheet (XLSX)",
    )
    p.add_argument(
        "--any-extent",
        action="store_true",
        help="accept positions outside Nanchang (by default they are kept as unlocated)",
    )
    p.add_argument(
        "--max-mb",
        type=_megabytes,
        metavar="MB",
        help="refuse an --enterprises file larger than this many MB (default: no limit; "
        "the app's upload limit does not apply to local files)",
    )
    _add_columns_arg(p)
    _add_rules_arg(p)
    _add_limit_args(p)


def _add_stream_args(p: argparse.ArgumentParser) -> None:
    """Options of the streamed check (``zoning check DATASET``, :mod:`zoning.stream`)."""
    p.add_argument(
        "--stream",
        action="store_true",
        help="check --enterprises (a big CSV) in chunks of rows into --out-dir",
    )
    p.add_argument(
        "--out-dir", metavar="DIR", help="folder for a dataset's results (one file per input)"
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="run the partitions on a local Dask cluster of N worker processes",
    )
    where.add_argument(
        "--scheduler",
        metavar="URL",
        help="run the partitions on an existing Dask cluster (tcp://host:8786)",
    )
    p.add_argument(
        "--retries",
        type=_non_negative_int,
        default=1,
        help="times a failed partition is tried again before it is reported (default 1)",
    )


def _add_limit_args(p: argparse.ArgumentParser) -> None:
    """Options that raise or lift the limits an input file is read under (geo.io.Limits)."""
    group = p.add_argument_group(
        "reading limits",
        "an input file is read in a worker process under limits, so a hostile file cannot "
        "hang or exhaust the machine; for a large file you trust, raise them (0 lifts one); "
        "defaults: $GEO_IO_MAX_SECONDS etc., else 60 s, 2048 MB, 1,000,000 vertices, "
        "100,000 per shape, JSON depth 64",
    )
    group.add_argument("--max-seconds", type=_limit, metavar="S", help="time to read the file")
    group.add_argument("--max-memory-mb", type=_limit, metavar="MB", help="memory to read it")
    group.add_argument("--max-vertices", type=_limit, metavar="N", help="vertices in the file")
    group.add_argument(
        "--max-vertices-per-shape", type=_limit, metavar="N", help="vertices of one shape"
    )
    group.add_argument("--max-json-depth", type=_limit, metavar="N", help="JSON nesting depth")
    group.add_argument(
        "--no-limits",
        action="store_true",
        help="read the file in this process without any limit (a file you trust)",
    )


def _limit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        msg = f"must be a number >= 0 (0: no limit), got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


_LIMIT_OPTIONS = {
    "max_seconds": "seconds",
    "max_memory_mb": "memory_mb",
    "max_vertices": "vertices",
    "max_vertices_per_shape": "geometry_vertices",
    "max_json_depth": "json_depth",
}


def _with_limits(handler: Handler) -> Handler:
    """Run ``handler`` with the reading limits its options chose (unchanged without them).

    geo is imported only when a command runs, so ``zoning --help`` stays light.
    """

    def run(args: argparse.Namespace) -> int:
        chosen = {k: getattr(args, k, None) for k in _LIMIT_OPTIONS}
        if not getattr(args, "no_limits", False) and all(v is None for v in chosen.values()):
            return handler(args)
        from geo.io import Limits, current_limits, use_limits

        limits = None if getattr(args, "no_limits", False) else current_limits()
        if limits is not None:
            values = {f: getattr(limits, f) for f in _LIMIT_OPTIONS.values()}
            for option, value in chosen.items():
                if value is not None:
                    field = _LIMIT_OPTIONS[option]
                    values[field] = (
                        None if value == 0 else (value if field == "seconds" else int(value))
                    )
            limits = Limits(**values)
        with use_limits(limits):
            return handler(args)

    return run


def _add_columns_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--columns",
        metavar="MAPPING.yaml",
        help="which column of the file is which field (a YAML mapping, as written by "
        "`zoning validate FILE --show-columns --save-columns MAPPING.yaml`); "
        "default: detected from the headers (编号, 企业名称, 投资额（亿元）, ...)",
    )


def _add_rules_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", metavar="FILE", help="rules YAML (default: data/rules.yaml)")
    _add_store_arg(p)


def _add_store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="TARGET",
        help="project store (GeoPackage path or postgresql:// URL) whose saved zones are used; "
        "default: $NANCHANG_STORE, else the per-user store if it exists (as the app)",
    )


def build_parser(  # noqa: PLR0915 - one flat list of commands
    commands: Mapping[str, Handler],
) -> argparse.ArgumentParser:
    """Return the ``zoning`` argument parser, each command running ``commands[name]``.

    The defaults of the analysis options are the current :mod:`zoning.settings`, read
    here, when the parser is built (each run), not when the module is imported.
    """
    from zoning import settings

    parser = _Parser(
        prog="zoning",
        description="Nanchang new-energy-storage zoning: checks, clusters, gaps, site scores. "
        "南昌新型储能产业空间规划工具。Shipped data is the default everywhere.",
    )
    parser.add_argument(
        "--lang",
        dest="ui_lang",
        choices=["zh", "en"],
        default=None,
        help="language of messages and problem lists (default: the locale's, e.g. "
        "LANG=zh_CN.UTF-8 gives zh, otherwise en)  提示信息的语言",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="validate a file and list every problem row")
    p.add_argument("file")
    p.add_argument("--coord-system", default="wgs84")
    p.add_argument("--layer", help="layer name in a GeoPackage with several layers")
    p.add_argument(
        "--as-enterprises",
        action="store_true",
        help="also validate enterprise fields (segment keys, status, capacities)",
    )
    p.add_argument(
        "--show-columns",
        action="store_true",
        help="print which column was read as which field (implies --as-enterprises)",
    )
    p.add_argument(
        "--save-columns",
        metavar="MAPPING.yaml",
        help="write the column mapping used to a YAML file to edit and reuse with --columns",
    )
    _add_columns_arg(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _add_limit_args(p)
    p.set_defaults(func=commands["validate"])

    p = sub.add_parser("check", help="check every enterprise against the agglomeration rules")
    p.add_argument(
        "dataset",
        nargs="?",
        metavar="DATASET",
        help="a registry too big for memory: a folder or glob of GeoParquet files, or a CSV "
        "file; checked partition by partition into --out-dir",
    )
    _add_stream_args(p)
    _add_enterprise_args(p)
    p.add_argument("--out", metavar="FILE", help="write the results (.geojson, .gpkg, .csv)")
    p.add_argument(
        "--max-listed",
        type=_positive_int,
        default=50,
        help="enterprises listed on screen (default 50)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=commands["check"])

    p = sub.add_parser("clusters", help="density-based clusters of enterprises, in metres")
    _add_enterprise_args(p)
    p.add_argument("--by", choices=["segment", "stage", "none"], default="segment")
    p.add_argument("--method", choices=["dbscan", "hdbscan"], default="dbscan")
    p.add_argument(
        "--eps-m",
        type=_metres(1, 100_000),
        default=settings.cluster_eps_m,
        help="DBSCAN radius in metres (default %(default)g)",
    )
    p.add_argument(
        "--min-samples",
        type=_positive_int,
        default=settings.cluster_min_samples,
        help="fewest firms of a cluster, and of a segment in an area for the nearest-neighbour "
        "ratio (default %(default)s)",
    )
    p.add_argument("--seed", type=_non_negative_int, default=0)
    p.add_argument(
        "--lq-weight",
        choices=["count", "capacity", "investment_cny"],
        default="count",
        help="location quotients by firm count (default), investment, or capacity "
        "(only when every firm's capacity is in one unit)",
    )
    p.add_argument("--out", metavar="FILE", help="write cluster outlines")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=commands["clusters"])

    p = sub.add_parser("gaps", help="chain gaps, spatial gaps and ranked investment targets")
    _add_enterprise_args(p)
    p.add_argument(
        "--distance-m",
        type=_metres(1, 100_000),
        default=settings.spatial_gap_m,
        help="land farther than this from any firm of the area's segments is a gap "
        "(default %(default)g)",
    )
    p.add_argument(
        "--supplier-threshold-m",
        type=_metres(1, 500_000),
        default=settings.supplier_threshold_m,
        help="flag a firm whose nearest supplier of an upstream segment is farther "
        "(default %(default)g)",
    )
    p.add_argument("--out", metavar="FILE", help="write the spatial-gap polygons")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=commands["gaps"])

    p = sub.add_parser("site", help="score a candidate site for a segment, with reasons")
    p.add_argument("--lon", type=float, required=True)
    p.add_argument("--lat", type=float, required=True)
    p.add_argument("--segment", required=True, help="segment key, e.g. copper_foil")
    p.add_argument("--coord-system", default="wgs84")
    # Default None: zoning.settings (robustness_seed, score_config.draws), as the app.
    p.add_argument("--seed", type=_non_negative_int, default=None)
    p.add_argument("--draws", type=_positive_int, default=None)
    _add_rules_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=commands["site"])

    p = sub.add_parser("suitability", help="suitability score over a grid for a segment")
    p.add_argument("--segment", required=True)
    p.add_argument(
        "--cell-m",
        type=_metres(10, 50_000),
        default=settings.grid_cell_m,
        help="cell edge in metres (default %(default)g)",
    )
    _add_rules_arg(p)
    p.add_argument(
        "--whole-city",
        action="store_true",
        help="cover all nine districts (default: the three agglomeration areas)",
    )
    p.add_argument("--out", metavar="FILE", required=True)
    p.set_defaults(func=commands["suitability"])

    p = sub.add_parser(
        "export", help="export a layer or result of the project as a standard file (as the app)"
    )
    p.add_argument(
        "--layer",
        choices=(*EXPORT_KINDS, "all"),
        required=True,
        help="a layer or result; 'all': every layer, result and a metadata table in one "
        ".gpkg, each layer with its QGIS style",
    )
    p.add_argument("--out", metavar="FILE", required=True)
    p.add_argument("--segment", help="the segment of a suitability surface (with all: included)")
    p.add_argument(
        "--enterprises", metavar="FILE", help="enterprise table for the results (as for check)"
    )
    p.add_argument("--coord-system", default="wgs84", help="coordinates of --enterprises")
    _add_rules_arg(p)
    _add_limit_args(p)
    p.set_defaults(func=commands["export"])

    p = sub.add_parser("convert", help="convert coordinates of a file between WGS 84/GCJ-02/BD-09")
    p.add_argument("--from", dest="src", required=True, help="wgs84, gcj02 or bd09")
    p.add_argument("--to", dest="dst", required=True, help="wgs84, gcj02 or bd09")
    p.add_argument("infile", metavar="IN")
    p.add_argument("outfile", metavar="OUT")
    _add_limit_args(p)
    p.set_defaults(func=commands["convert"])

    p = sub.add_parser(
        "template",
        help="write the enterprise-list template (.xlsx with explanations, or .csv)",
    )
    p.add_argument("--out", metavar="FILE", required=True, help="enterprises_template.xlsx or .csv")
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="Chinese headers (default) or the field keys; both are read",
    )
    p.set_defaults(func=commands["template"])

    try:
        from zoning import _cli_store
    except ImportError:  # pragma: no cover - the store CLI is optional during development
        pass
    else:
        _cli_store.register(sub)
    from zoning import _cli_print, _cli_report, _cli_time

    _cli_print.register(sub)
    _cli_report.register(sub)
    _cli_time.register(sub)
    for command in sub.choices.values():
        if command.get_default("func") is not None:
            command.set_defaults(func=_with_limits(command.get_default("func")))
    return parser
