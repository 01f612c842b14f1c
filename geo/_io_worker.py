"""The worker process an untrusted file is parsed in: split from :mod:`geo._io_guard`.

:func:`run_guarded` starts the worker from a ``forkserver`` that has imported the readers
(:data:`_PRELOAD`), caps its address space, kills it when it has not answered in time, and
loads its answer with an unpickler that rebuilds data types only. The limits themselves
(:class:`geo._io_guard.Limits`) and the guarded read are in :mod:`geo._io_guard`.
"""

from __future__ import annotations

import builtins
import io
import multiprocessing
import multiprocessing.connection
import pickle
import re
import sys
import threading
import traceback
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._errors import CRSError, InputError
from geo.messages import Text, text

if TYPE_CHECKING:
    from geo._io_guard import Limits

__all__ = ["run_guarded"]

# What a worker needs imported before it forks: the readers (pyogrio, openpyxl, pyarrow,
# shapely), warmed up by reading a tiny file of each kind (geo._io_warm).
_PRELOAD: Final = ["geo.io", "geo._io_guard", "geo._io_worker", "geo._io_warm"]
_START_LOCK: Final = threading.Lock()
_REPLY_TIMEOUT: Final = 5.0  # seconds a worker that answered may take to exit


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def _vm_size() -> int:
    """Bytes of address space this process holds now (``VmSize``)."""
    with Path("/proc/self/status").open(encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - Linux always reports it


def _cap_memory(memory_mb: int | None) -> None:
    if memory_mb is None:
        return
    import resource

    # Address space, not resident memory: what the worker already maps (libraries,
    # thread stacks) is allowed, and every allocation beyond the cap fails at once.
    cap = _vm_size() + int(memory_mb) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _pack(value: Any) -> Any:
    """Turn a result into plain pandas/numpy objects: GeoDataFrames become frame + WKB."""
    if isinstance(value, gpd.GeoDataFrame):
        name = value.geometry.name
        wkb = shapely.to_wkb(np.asarray(value.geometry.array, dtype=object), output_dimension=3)
        # The other columns as a plain frame, without copying them (they are sent as is).
        frame = pd.DataFrame({c: value[c] for c in value.columns if c != name}, copy=False)
        crs = None if value.crs is None else value.crs.to_wkt()
        return ("gdf", frame, name, list(value.columns).index(name), wkb, crs)
    if isinstance(value, tuple):
        return ("tuple", [_pack(v) for v in value])
    return ("plain", value)


def _unpack(packed: Any) -> Any:
    kind = packed[0]
    if kind == "gdf":
        _, frame, name, position, wkb, crs = packed
        geometry = gpd.GeoSeries(shapely.from_wkb(wkb), index=frame.index, crs=crs)
        # The frame is this process's own: the geometry goes in place, no copy is made.
        frame.insert(position, name, geometry)
        return gpd.GeoDataFrame(frame, geometry=name, crs=crs, copy=False)
    if kind == "tuple":
        return tuple(_unpack(v) for v in packed[1])
    return packed[1]


def _worker(
    conn: multiprocessing.connection.Connection,
    target: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    memory_mb: int | None,
) -> None:
    """Run ``target`` under the memory cap; send back ("ok", packed, warnings) or an error."""
    try:
        _cap_memory(memory_mb)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = _pack(target(*args, **kwargs))
        notes = [(w.category.__name__, str(w.message)) for w in caught]
        reply: tuple[Any, ...] = ("ok", result, notes)
    except MemoryError:
        reply = ("memory",)
    except (InputError, CRSError) as exc:
        kind = "input" if isinstance(exc, InputError) else "crs"
        both = exc.text
        reply = (kind, str(exc), None if both is None else (both.en, both.zh))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
        if "bad_alloc" in str(exc) or "out of memory" in str(exc).lower():
            reply = ("memory",)
        else:
            reply = ("error", type(exc).__name__, str(exc), traceback.format_exc())
    try:
        conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory",)))
    finally:
        conn.close()


# Globals an answer may name: numpy's, pandas' and pyarrow's data types (classes of the
# modules below) and the few functions that rebuild them. A reply naming anything else (a
# function that opens files or runs code) is refused rather than called.
_TYPE_MODULES: Final = re.compile(
    r"^(numpy|numpy\.dtypes|pandas|pandas\.arrays|pandas\.core\.(internals\.managers|"
    r"arrays\.\w+|dtypes\.dtypes|indexes\.\w+)|pandas\._libs\.tslibs\.\w+|datetime|decimal|"
    r"zoneinfo|pyarrow\.lib)$"
)


_REBUILDERS: Final = frozenset(
    {
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.numeric", "_frombuffer"),
        ("pandas", "NA"),
        ("pandas", "NaT"),
        ("pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"),
        ("pandas._libs.internals", "_unpickle_block"),
        ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"),
        ("pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"),
        ("pandas._libs.tslibs.nattype", "__nat_unpickle"),
        ("pandas.core.indexes.base", "_new_Index"),
        ("pyarrow.lib", "_restore_array"),
        ("pyarrow.lib", "py_buffer"),
        ("pyarrow.lib", "type_for_alias"),
        ("copyreg", "_reconstructor"),
        ("builtins", "object"),
        ("builtins", "slice"),
        ("builtins", "range"),
        ("builtins", "complex"),
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "bytearray"),
    }
)


class _ReplyUnpickler(pickle.Unpickler):
    """Loads a worker's answer, rebuilding data types only (see :data:`_REBUILDERS`)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _REBUILDERS:
            return super().find_class(module, name)
        if _TYPE_MODULES.match(module) is not None:
            found = super().find_class(module, name)
            if isinstance(found, type) and not issubclass(found, BaseException):
                return found
        msg = f"a reader's answer names {module}.{name}, which is not a data type"
        raise pickle.UnpicklingError(msg)


def _raise_reply(reply: tuple[Any, ...], display: str, limits: Limits) -> Any:
    kind = reply[0]
    if kind == "ok":
        for category, message in reply[2]:
            found = getattr(builtins, category, UserWarning)
            cls = found if isinstance(found, type) and issubclass(found, Warning) else UserWarning
            warnings.warn(message, cls, stacklevel=4)
        return _unpack(reply[1])
    if kind == "memory":
        raise _memory_error(display, limits)
    if kind in ("input", "crs"):
        cls_ = InputError if kind == "input" else CRSError
        message = reply[1] if reply[2] is None else Text(*reply[2])
        raise cls_(message)
    _, name, message, details = reply
    found = getattr(builtins, name, None)
    exc_cls = found if isinstance(found, type) and issubclass(found, Exception) else RuntimeError
    try:
        exc = exc_cls(message if exc_cls is not RuntimeError else f"{name}: {message}")
    except TypeError:  # an exception class that needs other arguments
        exc = RuntimeError(f"{name}: {message}")
    exc.add_note(f"in the reading worker:\n{details}")
    raise exc


def _start(worker: Any) -> None:
    """Start ``worker`` without telling it to import the main module.

    multiprocessing has a new process import the parent's ``__main__`` (under Streamlit,
    the app's script: the whole page would run in the worker, and start workers of its
    own). The worker needs nothing from it, so ``__main__`` is an empty module while the
    worker (and the first time, the fork server) is told what to prepare.
    """
    with _START_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            worker.start()
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _memory_error(display: str, limits: Limits) -> InputError:
    # Imported here: geo._io_guard imports this module (for run_guarded).
    from geo._io_guard import _how

    return InputError(
        text("geo.limits.memory", file=display, limit=limits.memory_mb, how=_how("memory_mb"))
    )


def run_guarded(
    target: Callable[..., Any],
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    *,
    display: str,
    limits: Limits,
) -> Any:
    """Run ``target(*args, **kwargs)`` in a worker process under ``limits``; return its result.

    ``target`` must be importable by name (a module-level function); its result may hold
    GeoDataFrames, pandas and numpy objects and tuples of them. Its warnings are issued
    again here, its :class:`geo.InputError` raised again here.

    Raises
    ------
    geo.InputError
        When the worker runs out of time (it is killed), out of memory, or dies.
    """
    # Imported here: geo._io_guard imports this module (for run_guarded).
    from geo._io_guard import _how

    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(
        target=_worker,
        args=(send, target, args, kwargs or {}, limits.memory_mb),
        name=f"geo-io-read {display}"[:60],
        daemon=True,
    )
    _start(worker)
    send.close()
    try:
        if not receive.poll(limits.seconds):
            worker.kill()
            worker.join()
            how = _how("seconds")
            raise InputError(
                text("geo.limits.seconds", file=display, limit=limits.seconds, how=how)
            )
        try:
            payload = receive.recv_bytes()
        except EOFError:
            worker.join()
            status = worker.exitcode
            raise InputError(
                text(
                    "geo.limits.crashed",
                    file=display,
                    status=status,
                    limit=limits.memory_mb or 0,
                    how=_how("memory_mb"),
                )
            ) from None
    finally:
        receive.close()
        worker.join(_REPLY_TIMEOUT)
        if worker.is_alive():  # pragma: no cover - a worker that answered exits at once
            worker.kill()
            worker.join()
    reply = _ReplyUnpickler(io.BytesIO(payload)).load()
    return _raise_reply(reply, display, limits)
