"""One partition of a streamed check, and the run over many in this process.

:func:`run_partition` is what a worker runs: decide from the footer whether the file can
hold a point of the study area, skip it if an earlier run left a complete result, else
read the arrays, run :func:`zoning.check.kernel` (the one implementation of the check) and
write the result. It returns only small things (a name, a count of rows, the verdict
counts), so little travels back from a worker. The plan (areas, chain, extent) is one
object: on a cluster (:mod:`zoning._stream_dask`) it is scattered to every worker once
and each task gets a reference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from zoning._situations import column_codes
from zoning._stream_io import (
    Arrays,
    Partition,
    bbox_misses,
    completed_counts,
    read_parquet_arrays,
    wkb_points,
    write_result,
)
from zoning.check import VERDICTS, _precision, kernel

__all__ = [
    "Done",
    "Job",
    "Plan",
    "Reader",
    "arrays_job",
    "parquet_job",
    "run_in_process",
]

Reader = Callable[[str], Arrays]
Progress = Callable[["Done"], None]


class Plan(NamedTuple):
    """What every partition is checked against: sent to each worker once."""

    areas: gpd.GeoDataFrame
    chain: pd.DataFrame
    extent: tuple[float, float, float, float]
    out_dir: str


class Done(NamedTuple):
    """A partition's outcome. ``status``: checked, resumed, skipped or failed."""

    name: str
    status: str
    rows: int
    counts: list[list[Any]]  # [verdict, area bit mask, segment, n]
    error: str = ""


def run_partition(part: Partition, plan: Plan, reader: Reader | None = None) -> Done:
    """Check one GeoParquet file (see the module's docstring)."""
    if bbox_misses(part.path, plan.extent):
        return Done(part.name, "skipped", pq.read_metadata(part.path).num_rows, [])
    target = Path(plan.out_dir) / part.out_name
    counts = completed_counts(target, part)
    if counts is not None:
        return Done(part.name, "resumed", sum(int(c[3]) for c in counts), counts)
    arrays = (reader or read_parquet_arrays)(part.path)
    return run_arrays(part, arrays, plan)


def run_arrays(
    part: Partition, arrays: Arrays, plan: Plan, rows: np.ndarray[Any, Any] | None = None
) -> Done:
    """Check rows given as arrays, write their result file and return their counts.

    ``rows`` numbers the records in their file (default 1, 2, ...).
    """
    lon, lat = arrays.lon, arrays.lat
    located = np.isfinite(lon) & np.isfinite(lat)
    prec = _precision(pd.DataFrame({"precision_m": arrays.precision}))
    checked = kernel(lon, lat, located, prec, arrays.segment, plan.areas, plan.chain)
    cols = checked.columns
    masks, area_names = _area_sets(checked.inside, [str(k) for k in plan.areas.index])
    # The segment keys as codes into a few names; a missing key is written as "".
    codes, uniques = pd.factorize(arrays.segment, use_na_sentinel=True)
    seg_names = [str(u) for u in uniques] + [""]
    seg_codes = np.where(codes < 0, len(seg_names) - 1, codes).astype(np.int32)
    verdict = np.asarray(cols["verdict"].codes, dtype=np.int64)
    counts = _counts(verdict, masks, area_names.masks, seg_codes, seg_names)
    n = len(lon)
    table: dict[str, Any] = {
        "row": pa.array(np.arange(1, n + 1) if rows is None else np.asarray(rows, np.int64)),
    }
    if arrays.ids is not None:
        table["id"] = _strings(arrays.ids)
    table |= {
        "segment": pa.DictionaryArray.from_arrays(seg_codes, pa.array(seg_names, pa.string())),
        "precision_m": pa.array(arrays.precision, from_pandas=True),
        "lon": pa.array(lon),
        "lat": pa.array(lat),
        "verdict": pa.array(cols["verdict"]),
        "verdict_at_point": pa.array(cols["verdict_at_point"]),
        "area": pa.DictionaryArray.from_arrays(
            masks.astype(np.int32), pa.array(area_names.names, pa.string())
        ),
        "rule": pa.array(cols["rule"]),
        "reason_zh": pa.array(cols["reason_zh"]),
        "reason_en": pa.array(cols["reason_en"]),
        "geometry": wkb_points(lon, lat),
    }
    write_result(pa.table(table), Path(plan.out_dir) / part.out_name, part, counts)
    return Done(part.name, "checked", n, counts)


class _AreaNames(NamedTuple):
    masks: list[int]  # the distinct sets of areas, as bit masks
    names: list[str]  # each set's area keys joined by commas ("" for none)


def _area_sets(inside: np.ndarray[Any, Any], keys: list[str]) -> tuple[Any, _AreaNames]:
    """Code each row by its set of areas: an index into the distinct sets, and their names.

    The sets are few (the areas overlap little), so this is a lookup in a table of at
    most ``2 ** areas`` entries, not a sort of the rows.
    """
    masks = column_codes(inside)
    if len(keys) <= 16:
        present = np.flatnonzero(np.bincount(masks, minlength=1 << len(keys)))
        index = np.zeros(1 << len(keys), dtype=np.int64)
        index[present] = np.arange(len(present))
        uniq, inverse = present, index[masks]
    else:
        uniq, inverse = np.unique(masks, return_inverse=True)
    names = [",".join(k for j, k in enumerate(keys) if (int(m) >> j) & 1) for m in uniq]
    return np.asarray(inverse).reshape(-1), _AreaNames([int(m) for m in uniq], names)


def _strings(ids: pd.Series | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Return the ids as text: Arrow columns are cast in Arrow (no Python object per row)."""
    if isinstance(ids, pa.ChunkedArray):
        return ids if pa.types.is_string(ids.type) else ids.cast(pa.string())
    return pa.array(ids.astype("string"))


def _counts(
    verdict: np.ndarray[Any, Any],
    sets: np.ndarray[Any, Any],
    set_masks: list[int],
    segment: np.ndarray[Any, Any],
    seg_names: list[str],
) -> list[list[Any]]:
    """Rows per (verdict, set of areas as a bit mask, segment).

    The three codes are small, so one integer per row is counted with ``bincount``
    (a sort of the rows per partition cost more than the check itself).
    """
    n_sets, n_seg = max(1, len(set_masks)), max(1, len(seg_names))
    key = (verdict * n_sets + sets) * n_seg + segment
    per = np.bincount(key, minlength=len(VERDICTS) * n_sets * n_seg)
    found = np.flatnonzero(per)
    v, rest = np.divmod(found, n_sets * n_seg)
    m, s = np.divmod(rest, n_seg)
    return [
        [VERDICTS[a], set_masks[b], seg_names[c], d]
        for a, b, c, d in zip(v.tolist(), m.tolist(), s.tolist(), per[found].tolist(), strict=True)
    ]


def _attempts(fn: Callable[[], Done], name: str, retries: int) -> Done:
    """Run ``fn`` up to ``1 + retries`` times; a last failure becomes a failed Done."""
    for attempt in range(retries + 1):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - reported by partition name, others go on
            if attempt == retries:
                return Done(name, "failed", 0, [], f"{type(exc).__name__}: {exc}")
    raise AssertionError  # pragma: no cover - the loop always returns


Job = Callable[[Plan], Done]


def parquet_job(part: Partition, reader: Reader | None) -> Job:
    """Return the job that checks one GeoParquet file (picklable, for Dask)."""
    return functools.partial(_parquet_job, part, reader)


def _parquet_job(part: Partition, reader: Reader | None, plan: Plan) -> Done:
    return run_partition(part, plan, reader)


def arrays_job(part: Partition, arrays: Arrays, rows: np.ndarray[Any, Any]) -> Job:
    """Return the job that checks rows already read (a chunk of a CSV file)."""
    return functools.partial(_arrays_job, part, arrays, rows)


def _arrays_job(part: Partition, arrays: Arrays, rows: np.ndarray[Any, Any], plan: Plan) -> Done:
    return run_arrays(part, arrays, plan, rows)


def run_in_process(
    work: Iterable[tuple[Partition, Job]],
    plan: Plan,
    *,
    retries: int,
    on_done: Progress,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Run each partition's job here, one after the other (``on_ready`` first)."""
    if on_ready is not None:
        on_ready()
    for part, job in work:
        on_done(_attempts(functools.partial(job, plan), part.name, retries))
