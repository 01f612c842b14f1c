"""``zoning check DATASET --out-dir DIR``: the streamed check on the command line.

Runs :func:`zoning.stream.check_dataset` with a tqdm progress bar on stderr (partitions
done / total, rows per second, time left) and prints the summary. Exit code 1 when a
partition failed (the others' results are kept and a re-run resumes), as for a file with
rejected rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from geo import InputError
from zoning._cli_args import EXIT_OK, EXIT_REJECTED

__all__ = ["check_stream", "wants_stream"]


def wants_stream(args: argparse.Namespace) -> bool:
    """Tell whether ``zoning check`` was asked for the streamed check."""
    return bool(getattr(args, "dataset", None) or getattr(args, "stream", False))


def _progress_bar() -> tuple[Callable[[int, int, int], None], Callable[[], None]]:
    from tqdm import tqdm

    bar: Any = None

    def update(done: int, total: int, rows: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="partition", file=sys.stderr, dynamic_ncols=True)
        bar.total = max(total, done)
        rate = rows / bar.format_dict["elapsed"] if bar.format_dict["elapsed"] else 0.0
        bar.set_postfix_str(f"{rows:,} rows, {rate:,.0f} rows/s", refresh=False)
        bar.update(done - bar.n)

    def close() -> None:
        if bar is not None:
            bar.close()

    return update, close


def check_stream(args: argparse.Namespace, project: Any) -> int:
    """Run the streamed check the parsed ``args`` ask for; return the exit code."""
    from zoning.stream import check_dataset

    source = args.dataset or args.enterprises
    if not source:
        msg = "--stream needs a dataset: `zoning check DATASET --out-dir DIR`"
        raise InputError(msg)
    if not args.out_dir:
        msg = (
            "checking a dataset writes one result file per input file: add --out-dir DIR "
            "(a folder; a re-run with the same folder resumes)"
        )
        raise InputError(msg)
    if args.workers is not None and args.scheduler is not None:
        msg = "give --workers N (a local Dask cluster) or --scheduler URL, not both"
        raise InputError(msg)
    update, close = _progress_bar()
    try:
        result = check_dataset(
            source,
            project,
            args.out_dir,
            workers=args.workers,
            scheduler=args.scheduler,
            retries=args.retries,
            progress=update,
        )
    finally:
        close()
    verdicts = result.verdicts
    if args.json:
        print(
            json.dumps(
                {
                    "out_dir": str(result.out_dir),
                    "rows": result.rows,
                    "checked": list(result.checked),
                    "resumed": list(result.resumed),
                    "skipped": list(result.skipped),
                    "failed": result.failed,
                    "verdicts": verdicts,
                    "counts": result.counts.to_dict(orient="records"),
                },
                ensure_ascii=False,
            )
        )
    else:
        _print_summary(result, verdicts)
    return EXIT_REJECTED if result.failed else EXIT_OK


def _print_summary(result: Any, verdicts: dict[str, int]) -> None:
    from layers.i18n import term

    print(f"Checked {result.rows:,} rows in {result.seconds:.1f} s  企业规划符合性检查 (分区)")
    print(
        f"partitions: {len(result.checked)} checked, {len(result.resumed)} already done, "
        f"{len(result.skipped)} outside Nanchang (not read, {result.skipped_rows:,} rows), "
        f"{len(result.failed)} failed"
    )
    for verdict, n in verdicts.items():
        print(f"  {term('verdict', verdict, 'en')} {term('verdict', verdict, 'zh')}: {n:,}")
    for name, error in result.failed.items():
        print(f"failed: {name}: {error}", file=sys.stderr)
    print(f"results: {result.out_dir} (one GeoParquet file per input file, _summary.json)")
