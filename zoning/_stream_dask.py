"""The streamed check's partitions on a Dask cluster: a new local one, or an existing one.

Imported only when ``workers`` or ``scheduler`` is given (Dask is the optional extra
``scale``). Three things keep two workers about twice as fast as one:

- each worker computes on one thread (:class:`SingleThreaded`): Dask runs one task per
  worker thread, and Arrow's and BLAS's own thread pools and the check's KD-tree searches
  (:data:`zoning.settings.locate_threads`) would otherwise make each task compete with
  the other worker's for the same cores;
- the plan is scattered to every worker once, and each worker builds what the kernel keeps
  between partitions (the areas' projected shapes, their measured boundaries, the derived
  boundaries) in a warm-up task while the others do the same, before the partitions come;
- every partition is submitted at once and results are taken as they complete, so a
  worker that finishes early gets the next partition without waiting for the client.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

import distributed
import numpy as np
import pandas as pd

from zoning import settings
from zoning._stream_io import Partition
from zoning._stream_run import Done, Job, Plan, Progress
from zoning.check import kernel

__all__ = ["SingleThreaded", "run_on_dask", "single_threaded", "warm"]

# distributed's functions have no type annotations: called through Any.
_dist: Any = distributed

# Points of the warm-up grid per side: enough to meet every area's boundary.
_WARM_SIDE = 48


def single_threaded() -> None:
    """Limit this process's computing libraries to one thread (one Dask task per core)."""
    import pyarrow as pa

    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"  # for libraries not loaded yet; Dask's nanny sets them too
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    # Workers are processes (run_on_dask starts them so): this is the worker's own copy of
    # the settings, and the client's stays as it was.
    settings.locate_threads = 1


class SingleThreaded(distributed.WorkerPlugin):
    """Worker plugin: :func:`single_threaded` on every worker, including later arrivals."""

    name = "zoning-stream-single-threaded"

    def setup(self, worker: Any) -> None:
        """Run when the plugin is registered with the worker or the worker joins."""
        single_threaded()


def warm(plan: Plan) -> int:
    """Run the kernel once on a small grid over the extent; return this worker's pid.

    The kernel keeps what depends only on the plan between calls (:mod:`zoning._cache`);
    building it costs about a second, which each worker would otherwise pay inside its
    first partition. The grid's rows mix no, small and large precisions so that the
    boundaries the reasons name are derived too.
    """
    lon0, lat0, lon1, lat1 = plan.extent
    t = np.linspace(0.0, 1.0, _WARM_SIDE)
    gx, gy = np.meshgrid(t, t)
    lon = lon0 + (lon1 - lon0) * gx.ravel()
    lat = lat0 + (lat1 - lat0) * gy.ravel()
    n = len(lon)
    prec = np.resize(np.array([0.0, 300.0, 3000.0]), n)
    segment = pd.Series(np.resize(plan.chain.index.to_numpy(dtype=object), n))
    kernel(lon, lat, np.ones(n, dtype=bool), prec, segment, plan.areas, plan.chain)
    return os.getpid()


def run_on_dask(
    work: Iterable[tuple[Partition, Job]],
    plan: Plan,
    *,
    workers: int | None,
    scheduler: str | None,
    retries: int,
    on_done: Progress,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Run the partitions' jobs on a Dask cluster (a new local one, or ``scheduler``'s).

    Each job takes the plan as its argument: the plan is scattered to every worker once
    (``broadcast=True``) and the jobs receive its future, which Dask resolves on the
    worker. ``on_ready`` is called when the workers are warm, before the first partition.
    """
    cluster: Any = None
    if scheduler is None:
        cluster = _dist.LocalCluster(
            n_workers=workers or 1,
            threads_per_worker=1,
            dashboard_address=None,
            worker_dashboard_address=None,
            processes=True,
        )
    client: Any = _dist.Client(cluster if cluster is not None else scheduler)
    try:
        client.register_plugin(SingleThreaded())
        plan_ref = client.scatter(plan, broadcast=True)
        tag = f"{time.time_ns():x}"
        addresses = list(client.scheduler_info()["workers"])
        warming = [
            client.submit(
                warm,
                plan_ref,
                key=f"zoning-warm-{tag}-{i}",
                workers=[address],
                allow_other_workers=False,
                pure=False,
            )
            for i, address in enumerate(addresses)
        ]
        client.gather(warming)
        if on_ready is not None:
            on_ready()
        names = {}
        futures = []
        for i, (part, job) in enumerate(work):
            fut = client.submit(job, plan_ref, key=f"zoning-{tag}-{i}", retries=retries, pure=False)
            names[fut.key] = part.name
            futures.append(fut)
        for fut in _dist.as_completed(futures):
            if fut.status == "error":
                exc = fut.exception()
                on_done(Done(names[fut.key], "failed", 0, [], f"{type(exc).__name__}: {exc}"))
            else:
                on_done(fut.result())
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
