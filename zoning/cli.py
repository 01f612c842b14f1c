"""The ``zoning`` command line: every analysis on the shipped data or on your own files.

Exit codes: 0 success; 1 the command completed but the input had rejected or invalid rows
(the report says which); 2 unusable input or arguments (one line on stderr, no traceback);
3 the store refused; 4 internal error, a bug (one line on stderr naming a log file that
holds the traceback, written under the user's cache folder).

This module runs the commands; what each accepts (the parser, its options and argument
types) is laid out in :mod:`zoning._cli_args`, and the ``store`` subcommands live in
:mod:`zoning._cli_store`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pandas as pd

from zoning import _cli_args
from zoning._cli_args import EXIT_OK, EXIT_REJECTED, EXIT_STORE, EXIT_UNUSABLE
from zoning._cli_output import message_lang
from zoning._cli_output import one_line as _one_line
from zoning._cli_output import print_json as _print_json
from zoning._cli_output import records as _records
from zoning._cli_output import report_problems as _report_problems
from zoning._cli_output import serious_problems as _serious_problems
from zoning._cli_output import table as _table

if TYPE_CHECKING:
    pass

__all__ = ["EXIT_INTERNAL", "main", "message_lang"]

EXIT_INTERNAL = 4
"""Exit code of an unexpected error (a bug): the traceback goes to a log file, not stderr."""


class UsageError(ValueError):
    """Bad arguments: reported on one line with exit code 2."""


# ---------------------------------------------------------------- helpers


def _write_out(gdf: Any, out: str | None) -> None:
    if not out:
        return
    from geo.io import write

    path = write(gdf, out)
    print(f"wrote {len(gdf)} rows to {path}", file=sys.stderr)


def _max_bytes(args: argparse.Namespace) -> int | None:
    """Return the size limit of the enterprises file: none, unless ``--max-mb`` sets one.

    The app's upload limit guards a server against what strangers send; a local file named
    on the command line is only limited by the machine (CSV and GeoParquet are read by
    pyarrow/pandas straight from the file).
    """
    max_mb = getattr(args, "max_mb", None)
    return None if max_mb is None else round(max_mb * 1e6)


def _project(args: argparse.Namespace, *, with_enterprises: bool = True) -> Any:
    """Open the project the command works on: the same store and zones as the app.

    ``--store`` names the store (it must be readable); without it the default store
    (``$NANCHANG_STORE`` or the per-user data folder) is used when it exists, so a zone
    saved in the app is what the command checks.
    """
    from layers.project import open_project

    return open_project(
        getattr(args, "store", None),
        strict_store=getattr(args, "store", None) is not None,
        rules=getattr(args, "rules", None) or None,
        enterprises=getattr(args, "enterprises", None) if with_enterprises else None,
        coord_system=getattr(args, "coord_system", "wgs84"),
        layer=getattr(args, "enterprise_layer", None) if with_enterprises else None,
        any_extent=bool(getattr(args, "any_extent", False)),
        columns=_columns(args) if with_enterprises else None,
        max_bytes=_max_bytes(args),
    )


# ---------------------------------------------------------------- commands


def _cmd_validate(args: argparse.Namespace) -> int:
    import layers
    from geo.io import ReadResult, read
    from layers.settings import extent

    path = Path(args.file)
    if not path.exists():
        from geo import InputError
        from geo.messages import text

        raise InputError(text("geo.source.missing", file=path.name, path=args.file))
    columns_shown = None
    result: ReadResult
    if args.as_enterprises or args.show_columns or args.save_columns or args.columns:
        result = layers.read_enterprises(
            str(path),
            coord_system=args.coord_system,
            layer=args.layer,
            columns=_columns(args),
            max_bytes=None,
        )
        columns_shown = result.columns
        if args.save_columns:
            from layers.columns import write_mapping

            saved = write_mapping(result.mapping, args.save_columns)
            print(f"wrote the column mapping to {saved}", file=sys.stderr)
    else:
        # A local file named on the command line has no size limit (the app's does).
        result = read(
            str(path),
            coord_system=args.coord_system,
            layer=args.layer,
            extent=extent(),
            max_bytes=None,
        )
    data, problems = result.data, result.problems
    located = int(data.geometry.notna().sum()) if len(data) else 0
    if args.json:
        payload = {
            "source": result.source,
            "rows": len(data),
            "located": located,
            "problems": _records(problems),
        }
        if args.show_columns and columns_shown is not None:
            payload["columns"] = _records(columns_shown)
        _print_json(payload)
        return EXIT_REJECTED if len(_serious_problems(problems)) else EXIT_OK
    if args.show_columns and columns_shown is not None:
        print(f"{result.source}: columns read as  列映射")
        print(_table(columns_shown))
        print()
    print(f"{result.source}: {len(data)} rows kept, {located} with a location  ({len(data)} 行)")
    return _report_problems(problems, result.source, message_lang(args))


def _columns(args: argparse.Namespace) -> Any:
    """Return the ``--columns`` mapping, or None to detect the columns from the headers."""
    path = getattr(args, "columns", None)
    if not path:
        return None
    if not Path(path).is_file():
        from geo import InputError
        from layers.i18n import text

        raise InputError(text("columns.mapping_file_missing", path=path))
    from layers.columns import read_mapping

    return read_mapping(path)


def _cmd_check(args: argparse.Namespace) -> int:
    import zoning
    from zoning._cli_time import as_of
    from zoning._stream_cli import check_stream, wants_stream

    if wants_stream(args):
        return check_stream(args, _project(args, with_enterprises=False))
    project = as_of(_project(args), args)
    data, problems = project.enterprises, project.enterprise_problems
    source = project.enterprise_source
    result = zoning.check(data, areas=project.areas, chain=project.chain)
    _write_out(result, args.out)
    counts = result["verdict"].value_counts().rename_axis("verdict").reset_index(name="n")
    if args.json:
        _print_json(
            {
                "source": source,
                "counts": dict(zip(counts["verdict"], counts["n"], strict=True)),
                "enterprises": _records(
                    result.loc[
                        :, ["id", "name_zh", "name_en", "segment", "verdict", "area"]
                    ].assign(reason_zh=result["reason_zh"], reason_en=result["reason_en"])
                ),
                "problems": _records(problems),
            }
        )
        return EXIT_REJECTED if len(_serious_problems(problems)) else EXIT_OK
    from layers.i18n import term

    def words(verdict: object) -> str:
        # The verdict as the app and the reasons say it (one vocabulary), both languages.
        return f"{term('verdict', verdict, 'en')} {term('verdict', verdict, 'zh')}"

    print(f"Check of {len(result)} enterprises from {source}  企业规划符合性检查")
    print(_table(counts.assign(verdict=counts["verdict"].map(words)).set_index("verdict")))
    print()
    shown = result if len(result) <= args.max_listed else result.iloc[: args.max_listed]
    lean = result.get("verdict_at_point")
    for idx, row in shown.iterrows():
        verdict = words(row["verdict"])
        if row["verdict"] == "uncertain" and lean is not None and pd.notna(lean.loc[idx]):
            verdict += f" (leans {words(lean.loc[idx])})"
        area = ",".join(row["area"]) or "-"
        print(f"{row['id']}  {row['name_zh']}  [{row['segment']}]  {verdict}  area: {area}")
        print(f"    {row['reason_zh']}")
        print(f"    {row['reason_en']}")
    if len(result) > len(shown):
        print(f"... {len(result) - len(shown)} more; use --out FILE or --json for all")
    return _report_problems(problems, source, message_lang(args))


def _cmd_clusters(args: argparse.Namespace) -> int:
    import zoning
    from zoning._cli_time import as_of

    project = as_of(_project(args), args)
    data, problems = project.enterprises, project.enterprise_problems
    source = project.enterprise_source
    areas, chain = project.areas, project.chain
    by = None if args.by == "none" else args.by
    result = zoning.clusters(
        data,
        by=by,
        method=args.method,
        eps_m=args.eps_m,
        min_samples=args.min_samples,
        seed=args.seed,
        areas=areas,
        chain=chain,
    )
    summary = result.summary
    _write_out(summary, args.out)
    weight = None if args.lq_weight == "count" else args.lq_weight
    lq = zoning.location_quotients(data, weight=weight, areas=areas)
    nn = zoning.nearest_neighbour_ratios(data, min_points=args.min_samples, areas=areas)
    if args.json:
        _print_json(
            {
                "source": source,
                "clusters": _records(summary),
                "location_quotients": _records(lq.reset_index()),
                "nearest_neighbour": _records(nn),
            }
        )
        return EXIT_REJECTED if len(_serious_problems(problems)) else EXIT_OK
    print(f"{len(summary)} clusters among {len(data)} enterprises ({source})  集群")
    print(_table(summary))
    print(f"\nLocation quotients by area and segment ({args.lq_weight})  区位熵")
    print(_table(lq.dropna(axis=1, how="all").round(2)))
    print("\nNearest-neighbour (Clark-Evans) ratio per area and segment  最近邻指数")
    print(_table(nn) if len(nn) else f"(no area holds {args.min_samples}+ firms of one segment)")
    return _report_problems(problems, source, message_lang(args))


def _cmd_gaps(args: argparse.Namespace) -> int:
    import zoning
    from zoning._cli_time import as_of

    project = as_of(_project(args), args)
    data, problems = project.enterprises, project.enterprise_problems
    source = project.enterprise_source
    areas, chain = project.areas, project.chain
    gaps = zoning.chain_gaps(data, areas=areas, chain=chain)
    targets = zoning.investment_targets(data, areas=areas, chain=chain)
    spatial = zoning.spatial_gaps(data, areas=areas, distance_m=args.distance_m)
    far = zoning.supplier_distances(data, chain=chain, threshold_m=args.supplier_threshold_m)
    flagged = far.index[far["flags"] != ""]
    links = data.loc[flagged, ["id", "name_zh", "segment"]].assign(
        too_far_or_missing=far.loc[flagged, "flags"]
    )
    _write_out(spatial, args.out)
    spatial_table = pd.DataFrame(spatial.drop(columns="geometry")).round(2)
    if args.json:
        _print_json(
            {
                "source": source,
                "chain_gaps": _records(gaps),
                "targets": _records(targets),
                "spatial_gaps": _records(spatial_table.reset_index()),
                "supplier_flags": _records(links),
                "problems": _records(problems),
            }
        )
        return EXIT_REJECTED if len(_serious_problems(problems)) else EXIT_OK
    print(f"Chain gaps per area ({source})  产业链缺口")
    print(_table(gaps))
    print("\nRanked investment targets  招商目标排序")
    compact = ["rank", "segment", "name_zh", "name_en", "area", "status", "count", "links_closed"]
    print(_table(targets.loc[:, [c for c in compact if c in targets.columns]]))
    print(
        f"\nLand farther than {args.distance_m / 1000:g} km from any firm of the area's "
        "segments  空间缺口"
    )
    print(_table(spatial_table))
    km = args.supplier_threshold_m / 1000
    print(f"\nFirms with an upstream segment missing or beyond {km:g} km  供应商过远")
    print(_table(links) if len(links) else "(none)")
    return _report_problems(problems, source, message_lang(args))


def _cmd_site(args: argparse.Namespace) -> int:
    import zoning
    from zoning._common import validate_segment

    project = _project(args, with_enterprises=False)
    # A name or synonym (锂电铜箔, 铜箔) is read as its key; say so, off stdout (--json).
    segment = validate_segment(args.segment, project.chain)
    if segment != args.segment:
        print(f"segment {args.segment} read as {segment}", file=sys.stderr)
    result = zoning.site_score(
        args.lon,
        args.lat,
        segment,
        coord_system=args.coord_system,
        seed=args.seed,
        draws=args.draws,
        enterprises=project.enterprises,
        areas=project.areas,
        chain=project.chain,
    )
    if args.json:
        _print_json(result.to_dict())
        return EXIT_OK
    print(result.summary(lang="zh"))
    print()
    print(result.summary(lang="en"))
    return EXIT_OK


def _cmd_suitability(args: argparse.Namespace) -> int:
    import zoning

    project = _project(args, with_enterprises=False)
    extent = project.districts if args.whole_city else None
    cells = zoning.suitability_grid(
        args.segment,
        cell_m=args.cell_m,
        extent=extent,
        enterprises=project.enterprises,
        areas=project.areas,
        chain=project.chain,
    )
    _write_out(cells, args.out)
    score = cells["score"]
    print(
        f"{len(cells)} cells of {args.cell_m:g} m for {args.segment}: score min {score.min():.1f}"
        f", median {score.median():.1f}, max {score.max():.1f}"
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.io import table_csv, write
    from layers import TABLES
    from zoning import exports

    project = _project(args, with_enterprises=args.layer != "chain")
    if args.layer == "all":
        if Path(args.out).suffix.lower() != ".gpkg":
            msg = f"--layer all writes one GeoPackage: give --out a .gpkg name, not {args.out}"
            raise UsageError(msg)
        path = exports.write_everything(project, args.out, segment=args.segment)
        print(f"wrote every layer and result to {path}", file=sys.stderr)
        return EXIT_OK
    if args.layer in TABLES:
        out = Path(args.out)
        if out.suffix.lower() != ".csv":
            msg = (
                f"the {args.layer} is a table, not a map layer: export it to .csv, "
                f"not {out.name} (--layer all puts it in the GeoPackage)"
            )
            raise UsageError(msg)
        table = project.layer(args.layer)
        out.write_bytes(table_csv(table))
        print(f"wrote {len(table)} rows to {out}", file=sys.stderr)
        return EXIT_OK
    if args.layer == "suitability" and not args.segment:
        msg = "--layer suitability needs --segment (e.g. --segment copper_foil)"
        raise UsageError(msg)
    # The same dispatcher as the app's downloads: the files hold the same rows and columns,
    # and a GeoPackage the same QGIS style.
    data = exports.layer(args.layer, project, segment=args.segment)
    path = write(
        data,
        args.out,
        geometry_type=exports.GEOMETRY_TYPES.get(args.layer),
        style=exports.style(args.layer, project, data),
    )
    print(f"wrote {len(data)} rows to {path}", file=sys.stderr)
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    import geopandas as gpd

    from geo.crs import convert_geometry, normalise_coord_system
    from geo.io import read, write
    from layers.settings import extent

    src = normalise_coord_system(args.src)
    dst = normalise_coord_system(args.dst)
    result = read(args.infile, coord_system=src, extent=extent(), max_bytes=None)
    data = result.data
    if dst != "wgs84":
        data = gpd.GeoDataFrame(
            data, geometry=convert_geometry(data.geometry, src="wgs84", dst=dst), crs=data.crs
        )
        print(
            f"note: {args.outfile} holds {dst.upper()} coordinates for display on Chinese web "
            "maps; it is not WGS 84, whatever its format declares",
            file=sys.stderr,
        )
    write(data, args.outfile)
    print(f"converted {len(data)} rows {src} -> {dst}: {args.outfile}", file=sys.stderr)
    return _report_problems(result.problems, result.source, message_lang(args))


def _cmd_template(args: argparse.Namespace) -> int:
    from layers.template import write_template

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        msg = f"the template is written as .xlsx or .csv, not {out.name}; choose one of those"
        raise UsageError(msg)
    write_template(out, lang=args.lang)
    print(f"wrote the enterprise-list template to {out}", file=sys.stderr)
    return EXIT_OK


_COMMANDS: dict[str, _cli_args.Handler] = {
    "validate": _cmd_validate,
    "check": _cmd_check,
    "clusters": _cmd_clusters,
    "gaps": _cmd_gaps,
    "site": _cmd_site,
    "suitability": _cmd_suitability,
    "export": _cmd_export,
    "convert": _cmd_convert,
    "template": _cmd_template,
}


def build_parser() -> argparse.ArgumentParser:
    """Return the ``zoning`` argument parser (exposed for tests and docs).

    The defaults of the analysis options are the current :mod:`zoning.settings`, read
    here, when the parser is built (each run), not when the module is imported.
    """
    return _cli_args.build_parser(_COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:
        # `zoning check | head`: the reader left; nothing to report.
        sys.stderr.close()
        return EXIT_OK
    except (ValueError, OSError, RuntimeError) as exc:
        # InputError, RuleError, CRSError and UsageError are ValueErrors with a message
        # written for the user; OSError covers unreadable paths; the project store's errors
        # (unreachable, busy, a conflicting save) exit 3 as the store commands do. Any other
        # RuntimeError is a bug and keeps its traceback.
        from geo.messages import in_lang
        from geo.store import StoreError

        if isinstance(exc, RuntimeError) and not isinstance(exc, StoreError):
            return _internal_error(args, exc)
        text = in_lang(exc, message_lang(args))
        print(f"zoning {args.command}: error: {_one_line(text)}", file=sys.stderr)
        return EXIT_STORE if isinstance(exc, StoreError) else EXIT_UNUSABLE
    except Exception as exc:  # noqa: BLE001 - anything else is a bug: logged, exit 4
        return _internal_error(args, exc)
    return code


def _crash_log() -> Path:
    """Return a new file for a traceback: the user's cache folder, else the temp folder."""
    import tempfile
    import time

    import platformdirs

    from layers.settings import APP_NAME

    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in (
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "crashes",
        Path(tempfile.gettempdir()),
    ):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"zoning-crash-{stamp}-", suffix=".log", dir=folder)
        except OSError:
            continue
        os.close(fd)
        return Path(name)
    msg = "no writable folder for the crash log"
    raise OSError(msg)


def _internal_error(args: argparse.Namespace, exc: BaseException) -> int:
    """Log an unexpected error's traceback to a file; print one line naming it; exit 4.

    A user (or a script) sees a bug for what it is, with the file to report, and no
    traceback full of paths on the terminal.
    """
    import traceback

    details = "".join(traceback.format_exception(exc))
    try:
        log = _crash_log()
        given = {k: v for k, v in vars(args).items() if k != "func"}
        log.write_text(f"zoning {args.command} {given}\n\n{details}", encoding="utf-8")
        where = str(log)
    except OSError:
        where = "(no log: no writable folder)"
    zh = message_lang(args) == "zh"
    line = (
        f"zoning {args.command}: 内部错误（程序缺陷，{type(exc).__name__}）；详细信息已写入 "
        f"{where}，请连同该文件报告此问题"
        if zh
        else f"zoning {args.command}: internal error (a bug, {type(exc).__name__}); the details "
        f"are in {where}: please report it with that file"
    )
    print(line, file=sys.stderr)
    return EXIT_INTERNAL


def run() -> NoReturn:
    """Console-script entry point (``zoning``)."""
    sys.exit(main())
