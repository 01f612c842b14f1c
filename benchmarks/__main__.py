"""``make bench``: reproducible performance runs, each against a peer in the same run.

Writes ``benchmarks/results.md`` (a markdown table, quoted in the README) and prints it.
Each measurement runs in a fresh subprocess, so memory is per measurement: "extra RSS" is
how much the process's peak resident memory grew during ``check`` (data already built).

Peers:
- the practical floor: ``shapely.prepare(area); shapely.contains_xy(area, x, y)`` on the
  same points and areas (what ``zoning.check`` must stay within 1.6x of);
- a naive per-point shapely loop (``area.contains(Point(x, y))``) at the sizes where it
  finishes in reasonable time;
- PostGIS ``ST_Intersects`` with GiST indexes on the same data, warm, when a PostgreSQL
  server with PostGIS can be started here;
- for ``zoning check`` end to end on big CSV and GeoParquet files, the same pipeline
  written plainly (:mod:`benchmarks._bigfiles`).

``python -m benchmarks --only bigfiles`` runs that last section alone and replaces it in
``results.md``, keeping the others.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import _bigfiles, _print, _scale, _server_cost

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
SIZES = (1_000, 10_000, 100_000, 1_000_000)
NAIVE_MAX = 100_000  # the per-point loop takes minutes beyond this
REPEAT = 3


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _best(fn: Any, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


# ------------------------------------------------------------------ workers (subprocess)


def _worker_check(n: int) -> dict[str, Any]:
    import numpy as np
    import shapely

    import layers
    import zoning

    areas = layers.areas()
    rules = layers.rules()
    firms = layers.synthetic_enterprises(n, seed=1)
    zoning.check(firms.iloc[:100], areas=areas, rules=rules)  # warm caches and imports
    rss0 = _maxrss_mb()
    t_check = _best(lambda: zoning.check(firms, areas=areas, rules=rules))
    rss1 = _maxrss_mb()

    x = firms["lon"].to_numpy(dtype=float)
    y = firms["lat"].to_numpy(dtype=float)
    geoms = list(areas.geometry)

    def floor() -> None:
        for g in geoms:
            shapely.prepare(g)
            shapely.contains_xy(g, x, y)

    t_floor = _best(floor)
    out: dict[str, Any] = {
        "n": n,
        "check_s": t_check,
        "floor_s": t_floor,
        "peak_mb": rss1 - rss0,
    }
    if n <= NAIVE_MAX:
        from shapely.geometry import Point

        raw = [shapely.from_wkb(shapely.to_wkb(g)) for g in geoms]  # unprepared copies

        def naive() -> None:
            for xi, yi in zip(x, y, strict=True):
                if math.isnan(xi):
                    continue
                p = Point(xi, yi)
                for g in raw:
                    g.contains(p)

        out["naive_s"] = _best(naive, repeat=1)
    del np
    return out


def _worker_grid(cell_m: float) -> dict[str, Any]:
    import layers
    import zoning

    city = layers.districts()  # the whole city, not only the three areas
    zoning.suitability_grid("li_ion_cell", cell_m=2000, extent=city)  # warm
    t0 = time.perf_counter()
    cells = zoning.suitability_grid("li_ion_cell", cell_m=cell_m, extent=city)
    dt = time.perf_counter() - t0
    return {"cell_m": cell_m, "cells": len(cells), "seconds": dt}


def _worker_postgis(n: int) -> dict[str, Any]:
    from benchmarks import _postgis

    return _postgis.compare(n)


def _worker_store(n: int) -> dict[str, Any]:
    from benchmarks import _postgis

    return _postgis.store_io(n)


def _worker_browser(n: int) -> dict[str, Any]:
    from benchmarks import _browser

    return _browser.measure(n)


def _worker_server(n: int) -> dict[str, Any]:
    from benchmarks import _server_cost

    return _server_cost.measure(n)


WORKERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "check": _worker_check,
    "grid": _worker_grid,
    "postgis": _worker_postgis,
    "store": _worker_store,
    "browser": _worker_browser,
    "server": _worker_server,
}


def _run(kind: str, arg: float) -> dict[str, Any]:
    """Run one worker in a fresh interpreter; return its JSON result (or the error)."""
    cmd = [sys.executable, "-m", "benchmarks", "--worker", kind, str(arg)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=HERE.parent)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": tail}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------ report


def _fmt(v: float | None, spec: str = ".3f") -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, spec)


def _browser_section() -> list[str]:
    """The map in headless Chromium: first render and page weight (:mod:`benchmarks._browser`)."""
    from benchmarks import _browser

    return _browser.section(_run)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--grid-cell-m", type=float, default=100.0)
    parser.add_argument(
        "--only",
        choices=["bigfiles", "browser", "print", "server", "scale"],
        help="run one section, replacing it in results.md",
    )
    return parser


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915 - one flat list of sections
    """Run every benchmark and write the markdown table."""
    args = _parser().parse_args(argv)
    if args.worker:
        kind, arg = args.worker
        value: float = float(arg)
        res = WORKERS[kind](int(value) if kind != "grid" else value)
        print(json.dumps(res))
        return 0
    if args.only:
        return _only(args.only)

    lines = [
        "# Benchmarks",
        "",
        (
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}. Best of {REPEAT} runs, one process per size."
        ),
        "",
        "## `zoning.check` vs the contains_xy floor and a naive per-point loop",
        "",
        (
            "| points | check (s) | points/s | floor (s) | check / floor | naive loop (s) | "
            "naive / check | extra RSS (MB) | growth exponent |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    prev: dict[str, Any] | None = None
    for n in args.sizes:
        r = _run("check", n)
        if "error" in r:
            lines.append(f"| {n:,} | error: {r['error']} ||||||||")
            continue
        growth = None
        if prev is not None:
            growth = math.log(r["check_s"] / prev["check_s"]) / math.log(n / prev["n"])
        naive = r.get("naive_s")
        lines.append(
            f"| {n:,} | {_fmt(r['check_s'])} | {n / r['check_s']:,.0f} | {_fmt(r['floor_s'])} | "
            f"{r['check_s'] / r['floor_s']:.2f} | {_fmt(naive, '.2f')} | "
            f"{_fmt(naive / r['check_s'] if naive else None, '.2g')} | {r['peak_mb']:.0f} | "
            f"{_fmt(growth, '.2f')} |"
        )
        prev = r
        print(lines[-1], flush=True)

    g = _run("grid", args.grid_cell_m)
    lines += ["", "## `zoning.suitability_grid` over the whole city", ""]
    if "error" in g:
        lines.append(f"error: {g['error']}")
    else:
        lines += [
            "| cell | cells | seconds | cells/s |",
            "|---:|---:|---:|---:|",
            (
                f"| {g['cell_m']:g} m | {g['cells']:,} | {g['seconds']:.2f} | "
                f"{g['cells'] / g['seconds']:,.0f} |"
            ),
        ]
    print("\n".join(lines[-4:]), flush=True)

    lines += _browser_section()

    lines += ["", "## Point-in-area against PostGIS (same points, same areas, warm)", ""]
    pg_rows = []
    for n in (10_000, 100_000, 1_000_000):
        r = _run("postgis", n)
        if "error" in r:
            pg_rows.append(f"| {n:,} | error: {r['error']} |||")
            continue
        pg_rows.append(
            f"| {n:,} | {r['check_s']:.3f} | {r['postgis_s']:.3f} | "
            f"{r['postgis_s'] / r['check_s']:.1f}× |"
        )
        print(pg_rows[-1], flush=True)
    lines += [
        "| points | zoning.check (s) | PostGIS ST_Intersects (s) | check is faster by |",
        "|---:|---:|---:|---:|",
        *pg_rows,
    ]
    s = _run("store", 100_000)
    lines += ["", "## Project store: write and read 1e5 enterprises", ""]
    if "error" in s:
        lines.append(f"error: {s['error']}")
    else:
        lines += [
            "| back end | write (s) | read (s) |",
            "|---|---:|---:|",
            f"| GeoPackage | {s['gpkg_write_s']:.2f} | {s['gpkg_read_s']:.2f} |",
            f"| PostGIS | {s['postgis_write_s']:.2f} | {s['postgis_read_s']:.2f} |",
            "",
            (
                "The PostGIS server is the tests' throwaway one (fsync off), so its write time is "
                "optimistic."
            ),
        ]
    lines += _bigfiles.section()
    lines += _scale.section()
    lines += _print.section()
    lines += ["", *_server_cost.section(_run)]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(f"\nwrote {RESULTS}")
    return 0


def _only_bigfiles() -> int:
    """Run the big-files section and put it in place of its old figures in results.md."""
    return _replace_section(_bigfiles.HEADING, _bigfiles.section())


def _only(section: str) -> int:
    """Run one section (``--only``) and put it in place of its old figures in results.md."""
    if section == "print":
        return _print.replace_in(RESULTS)
    if section == "server":
        return _replace_section(_server_cost.HEADING, _server_cost.section(_run))
    if section == "scale":
        return _replace_section(_scale.HEADING, _scale.section())
    if section == "browser":
        from benchmarks import _browser

        return _replace_section(_browser.HEADING, _browser.section(_run))
    return _only_bigfiles()


def _replace_section(heading: str, lines: list[str]) -> int:
    """Put a section's new ``lines`` in place of its old figures in results.md."""
    section = "\n".join(lines).strip("\n")
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    start = old.find(heading)
    if start < 0:
        text = old.rstrip("\n") + "\n\n" + section + "\n"
    else:
        end = old.find("\n## ", start + len(heading))
        rest = "" if end < 0 else old[end:]
        text = old[:start] + section + "\n" + rest
    RESULTS.write_text(text, encoding="utf-8")
    print(f"\nwrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
