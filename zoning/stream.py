"""Check a registry too big for memory: partition by partition, here or on a Dask cluster.

:func:`check_dataset` checks a partitioned GeoParquet dataset (a folder of ``.parquet``
files, or a glob) or one big CSV file (read in chunks of rows) against the project's plan.
Memory is bounded by a partition, not the dataset: each partition's points travel as plain
longitude/latitude arrays (never shapely objects) into :func:`zoning.check.kernel`, the
same code :func:`zoning.check` runs, so every row gets the verdict the in-memory check
gives it. Files whose GeoParquet footer puts every geometry outside Nanchang's extent are
skipped without reading their rows.

Results: one GeoParquet file per input file (per chunk of a CSV) in ``out_dir``, written
under a temporary name and renamed when complete, so a re-run skips the partitions already
done; and a summary, :class:`StreamResult`, with the rows per verdict x area x segment and
the location quotients computed from those counts (``_summary.json`` in ``out_dir``).

With ``workers`` the partitions run on a new ``dask.distributed.LocalCluster`` (one thread
per worker, no dashboard); with ``scheduler`` on an existing cluster. The plan (areas,
chain, extent) is sent to each worker once, each worker's computing libraries are held to
one thread and each worker builds the kernel's per-plan caches before the first partition
(:mod:`zoning._stream_dask`). Dask is the optional extra ``scale``
(``pip install 'nanchang-storage-zoning[scale]'``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo import InputError
from zoning._stream_io import Arrays, Partition, completed_counts, partitions
from zoning._stream_run import (
    Done,
    Job,
    Plan,
    Reader,
    arrays_job,
    parquet_job,
    run_in_process,
)
from zoning.check import VERDICTS
from zoning.clusters import quotients

__all__ = ["CSV_CHUNK_ROWS", "StreamResult", "check_dataset"]

CSV_CHUNK_ROWS = 1_000_000
"""Rows per partition of a big CSV file (about 100 MB of a typical registry's CSV)."""

ProgressFn = Callable[[int, int, int], None]


@dataclass(frozen=True)
class StreamResult:
    """What :func:`check_dataset` did.

    Attributes
    ----------
    out_dir : pathlib.Path
        Where the result files and ``_summary.json`` are.
    checked, resumed, skipped : tuple of str
        Partitions (file names; ``name.csv#3`` for a CSV's fourth chunk) read and checked
        in this run; whose complete result an earlier run left (not read again); whose
        footer puts them outside the extent (rows not read, no result file).
    failed : dict
        Partition name -> error, for partitions that failed after their retries. The other
        partitions' results are complete.
    rows : int
        Rows with a verdict (checked and resumed partitions).
    verdicts : dict
        Rows per verdict (each of :data:`zoning.VERDICTS`).
    skipped_rows : int
        Rows of the skipped partitions (from their footers).
    counts : pandas.DataFrame
        Columns ``verdict``, ``area`` (an area key; ``""`` for rows in no area; a row in
        two areas counts in both), ``segment``, ``n``.
    location_quotients : pandas.DataFrame
        Index area keys, columns segment keys, as :func:`zoning.location_quotients` gives
        for the same rows.
    seconds : float
        Wall-clock time of the run.
    startup_seconds : float
        Of ``seconds``, the time before the first partition could start: loading the
        project and, on a cluster, starting it, sending the plan and warming the workers.
    """

    out_dir: Path
    checked: tuple[str, ...]
    resumed: tuple[str, ...]
    skipped: tuple[str, ...]
    failed: dict[str, str]
    rows: int
    verdicts: dict[str, int]
    skipped_rows: int
    counts: pd.DataFrame
    location_quotients: pd.DataFrame
    seconds: float
    startup_seconds: float = 0.0


@dataclass
class _Tally:
    """Outcomes as they arrive (from workers in any order)."""

    total: int
    progress: ProgressFn | None
    done: list[Done] = field(default_factory=list)
    rows: int = 0

    def add(self, outcome: Done) -> None:
        self.done.append(outcome)
        self.rows += outcome.rows if outcome.status != "skipped" else 0
        if self.progress is not None:
            self.progress(len(self.done), self.total, self.rows)


def check_dataset(
    source: str | os.PathLike[str],
    project: Any,
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    retries: int = 1,
    progress: ProgressFn | None = None,
    reader: Reader | None = None,
    chunk_rows: int = CSV_CHUNK_ROWS,
) -> StreamResult:
    """Check every row of a partitioned dataset against the plan, in bounded memory.

    Parameters
    ----------
    source : str or path
        A folder of GeoParquet files, a glob (``"registry/*.parquet"``), one GeoParquet
        file, or one CSV file (read ``chunk_rows`` rows at a time, with the checks of
        :func:`geo.io.read_chunks`; positions outside Nanchang's extent become unlocated
        there, as in ``zoning check --enterprises``). Rows need a ``segment`` column.
    project : layers.project.Project or None
        Whose ``areas`` and ``chain`` the rows are checked against (None: the shipped
        plan, :func:`layers.project.open_project`).
    out_dir : str or path
        Folder for the results (created if missing).
    workers : int, optional
        Run the partitions on a new Dask ``LocalCluster`` of this many single-threaded
        worker processes.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``) to run them on.
    retries : int
        Times a failed partition is tried again before it is reported (default 1).
    progress : callable, optional
        Called as ``progress(done, total, rows)`` after each partition.
    reader : callable, optional
        Reads a GeoParquet file's arrays (default: the module's own reader); tests pass a
        wrapper that records which files were read.
    chunk_rows : int
        Rows per partition of a CSV file.

    Returns
    -------
    StreamResult

    Raises
    ------
    geo.InputError
        If ``source`` names no files, mixes kinds, or both ``workers`` and ``scheduler``
        are given.

    Examples
    --------
    >>> from zoning.stream import check_dataset
    >>> result = check_dataset("registry/", None, "checked/", workers=2)  # doctest: +SKIP
    >>> result.counts.groupby("verdict")["n"].sum()  # doctest: +SKIP
    """
    if workers is not None and scheduler is not None:
        msg = "give `workers` (a local Dask cluster) or `scheduler` (an existing one), not both"
        raise InputError(msg)
    if retries < 0:
        msg = f"`retries` must be 0 or more, got {retries}"
        raise InputError(msg)
    started = time.perf_counter()
    files, kind = partitions(source)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if project is None:
        from layers.project import open_project

        project = open_project(None, default_store=False)
    from layers.settings import extent

    lon0, lat0, lon1, lat1 = extent().bounds
    plan = Plan(project.areas, project.chain, (lon0, lat0, lon1, lat1), str(out))
    if kind == "parquet":
        work: Iterator[tuple[Partition, Job]] = (
            (p, parquet_job(p, reader)) for p in (Partition(f) for f in files)
        )
        total = len(files)
    else:
        work, total = _csv_work(files[0], out, chunk_rows)
    tally = _Tally(total, progress)
    ready: list[float] = []

    def on_ready() -> None:
        ready.append(time.perf_counter() - started)

    if workers is None and scheduler is None:
        run_in_process(work, plan, retries=retries, on_done=tally.add, on_ready=on_ready)
    else:
        from zoning._stream_dask import run_on_dask

        run_on_dask(
            work,
            plan,
            workers=workers,
            scheduler=scheduler,
            retries=retries,
            on_done=tally.add,
            on_ready=on_ready,
        )
    result = _result(tally.done, plan, out, time.perf_counter() - started)
    result = replace(result, startup_seconds=ready[0] if ready else result.seconds)
    _write_summary(result)
    return result


def _csv_work(path: str, out: Path, chunk_rows: int) -> tuple[Iterator[tuple[Partition, Job]], int]:
    """Chunks of a CSV file as jobs (read here, in order; checked here or on workers)."""
    from geo.io import read_chunks
    from layers.settings import extent
    from zoning._common import located_xy

    size = Path(path).stat().st_size
    with Path(path).open("rb") as f:
        sample = f.read(1 << 20)
    per_row = max(1, len(sample) // max(1, sample.count(b"\n")))
    total = max(1, -(-size // (per_row * chunk_rows)))  # an estimate for the progress bar

    def jobs() -> Iterator[tuple[Partition, Job]]:
        for i, chunk in enumerate(read_chunks(path, chunk_rows=chunk_rows, extent=extent())):
            part = Partition(path, i)
            if completed_counts(out / part.out_name, part) is not None:
                counts = completed_counts(out / part.out_name, part) or []
                yield part, _resumed(part, counts)
                continue
            data = chunk.data
            if "segment" not in data.columns:
                msg = f"{Path(path).name} has no `segment` column: add one with a chain key per row"
                raise InputError(msg)
            lon, lat, _ = located_xy(data)
            prec = (
                pd.to_numeric(data["precision_m"], errors="coerce").to_numpy(np.float64)
                if "precision_m" in data.columns
                else np.full(len(data), np.nan)
            )
            ids = data["id"] if "id" in data.columns else None
            arrays = Arrays(lon, lat, prec, data["segment"].reset_index(drop=True), ids)
            yield part, arrays_job(part, arrays, np.asarray(chunk.rows, dtype=np.int64))

    return jobs(), total


def _resumed(part: Partition, counts: list[list[Any]]) -> Job:
    done = Done(part.name, "resumed", sum(int(c[3]) for c in counts), counts)

    def job(_plan: Plan) -> Done:
        return done

    return job


def _result(done: list[Done], plan: Plan, out: Path, seconds: float) -> StreamResult:
    by = {s: sorted(d.name for d in done if d.status == s) for s in ("checked", "resumed")}
    skipped = sorted(d.name for d in done if d.status == "skipped")
    failed = {d.name: d.error for d in sorted(done) if d.status == "failed"}
    rows = [c for d in done if d.status in ("checked", "resumed") for c in d.counts]
    sets = pd.DataFrame(rows, columns=["verdict", "mask", "segment", "n"])
    sets = sets.groupby(["verdict", "mask", "segment"], as_index=False).agg(n=("n", "sum"))
    keys = [str(k) for k in plan.areas.index]
    counts, lq = _summaries(sets, keys)
    return StreamResult(
        out_dir=out,
        checked=tuple(by["checked"]),
        resumed=tuple(by["resumed"]),
        skipped=tuple(skipped),
        failed=failed,
        rows=int(sets["n"].sum()),
        verdicts={v: int(sets.loc[sets["verdict"] == v, "n"].sum()) for v in VERDICTS},
        skipped_rows=sum(d.rows for d in done if d.status == "skipped"),
        counts=counts,
        location_quotients=lq,
        seconds=seconds,
    )


def _summaries(sets: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the counts per verdict x area x segment and the location quotients."""
    masks = sets["mask"].to_numpy(dtype=np.int64)
    parts = []
    for j, key in enumerate(keys):
        hit = ((masks >> j) & 1).astype(bool)
        parts.append(sets.loc[hit].assign(area=key))
    parts.append(sets.loc[masks == 0].assign(area=""))
    long = pd.concat(parts, ignore_index=True)
    counts = (
        long.groupby(["verdict", "area", "segment"], as_index=False)
        .agg(n=("n", "sum"))
        .sort_values(["verdict", "area", "segment"], key=_verdict_order)
        .reset_index(drop=True)
    )
    located = sets.loc[sets["verdict"] != "unlocated"]
    segments = sorted(set(located["segment"]))
    e_as = np.zeros((len(keys), len(segments)))
    col = pd.Index(segments).get_indexer(located["segment"])
    n = located["n"].to_numpy(dtype=np.float64)
    m = located["mask"].to_numpy(dtype=np.int64)
    for j in range(len(keys)):
        np.add.at(e_as[j], col, np.where((m >> j) & 1, n, 0.0))
    e_s = np.bincount(col, weights=n, minlength=len(segments)) if len(col) else np.zeros(0)
    return counts, quotients(e_as, e_s, float(n.sum()), keys, segments)


def _verdict_order(column: pd.Series) -> pd.Series:
    if column.name == "verdict":
        return column.map({v: i for i, v in enumerate(VERDICTS)})
    return column


def _write_summary(result: StreamResult) -> None:
    """Write ``_summary.json`` (the leading underscore keeps it out of dataset readers)."""
    lq = result.location_quotients
    payload = {
        "checked": list(result.checked),
        "resumed": list(result.resumed),
        "skipped": list(result.skipped),
        "failed": result.failed,
        "rows": result.rows,
        "verdicts": result.verdicts,
        "skipped_rows": result.skipped_rows,
        "counts": result.counts.to_dict(orient="records"),
        "location_quotients": {
            str(a): {str(s): (None if pd.isna(v) else float(v)) for s, v in lq.loc[a].items()}
            for a in lq.index
        },
    }
    target = result.out_dir / "_summary.json"
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
