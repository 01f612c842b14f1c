"""Reading an untrusted file under limits: time, memory, vertices, nesting depth.

A file from a stranger (an upload, an import in the zone editor, a file named on the command
line) can be built to make a parser hang or eat the machine's memory: a 2 KB workbook
whose cells reach XFD1048576, a GeoPackage layer that is a recursive view, one polygon of
200,000 self-intersecting vertices that geometry repair grows to gigabytes, JSON nested
thousands of levels deep. :func:`run_guarded` (:mod:`geo._io_worker`) therefore parses in
a worker process:

- started from a ``forkserver`` that has imported the readers once (a worker starts in
  about 20 ms, not the 2 s of a fresh interpreter), never forked from a threaded server;
- with ``RLIMIT_AS`` set to what the worker holds at start plus :attr:`Limits.memory_mb`,
  so an allocation beyond it fails in the worker (``MemoryError``), not in the server;
- killed when it has not answered after :attr:`Limits.seconds`;
- answering with our own pickled pandas frames and geometries as WKB, loaded by an
  unpickler that only rebuilds numpy and pandas objects (no other global is callable).

The budgets that need no process are checked in the worker as well: JSON nesting depth
before any JSON parser sees the bytes (Python's parser raises ``RecursionError`` near 1,000
levels), and vertices per shape and per file on the shapes as parsed, before any repair
(:func:`spend_vertices`). Every breach is one
:class:`geo.InputError` naming the file, the limit and how to raise it for a trusted file
(the command-line option and the environment variable).

The limits are settings read when a read starts (:func:`current_limits`): the
environment variables :data:`ENV_VARS` over the defaults of :class:`Limits`, unless a
caller chose others for a block of code with :func:`use_limits` (the command line's
``--max-seconds``, ``--max-memory-mb``, ``--max-vertices``, ``--no-limits``).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely

from geo._errors import InputError
from geo._io_checks import CoordSpec, Extent
from geo._io_chunks import Chunk, chunks, concat
from geo._io_source import Source
from geo._io_table import WKT_COLUMNS
from geo._io_worker import (
    _ReplyUnpickler,  # noqa: F401 - re-exported for the tests
    run_guarded,
)
from geo.messages import Text, text

__all__ = [
    "ENV_VARS",
    "Limits",
    "check_json_depth",
    "check_vertices",
    "current_limits",
    "read_guarded",
    "run_guarded",
    "spend_vertices",
    "use_limits",
]


@dataclass(frozen=True)
class Limits:
    """The limits one untrusted file is read under; None lifts one limit.

    Attributes
    ----------
    seconds : float or None
        Wall-clock time for the whole read (default 60 s). The slowest honest file the app
        accepts, a 50 MB XLSX of about 500,000 rows, reads in about 25 s on a 2-core
        server; a minute leaves twice that and frees a server thread that a hostile file
        would otherwise hold for good.
    memory_mb : int or None
        Memory the reader may take beyond what it holds at start (default 2,048 MB). A
        50 MB table needs about 10 times its size as pandas objects; 2 GB holds the
        largest upload with room to spare and keeps one bad file from taking a server of
        8 GB down with it.
    vertices : int or None
        Vertices in all the file's shapes (default 1,000,000): the nine district outlines
        have about 20,000; a whole province's county boundaries at survey detail stay
        under a million.
    geometry_vertices : int or None
        Vertices of one shape (default 100,000): the most detailed district outline has
        about 3,000; geometry repair of a self-intersecting ring grows with the square of
        its vertices, and 200,000 of them took 13 GB.
    json_depth : int or None
        Nesting of JSON arrays and objects (default 64). GeoJSON needs at most 7 (a
        MultiPolygon's coordinates inside a feature inside a collection); nested
        properties rarely reach 10. Even lifted, depth stays below 900, which Python's
        JSON parser cannot go beyond.
    """

    seconds: float | None = 60.0
    memory_mb: int | None = 2048
    vertices: int | None = 1_000_000
    geometry_vertices: int | None = 100_000
    json_depth: int | None = 64

    def __post_init__(self) -> None:
        for name in ("seconds", "memory_mb", "vertices", "geometry_vertices", "json_depth"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                msg = f"`{name}` must be a number > 0 or None (no limit), got {value!r}"
                raise ValueError(msg)


ENV_VARS: Final[dict[str, str]] = {
    "seconds": "GEO_IO_MAX_SECONDS",
    "memory_mb": "GEO_IO_MAX_MEMORY_MB",
    "vertices": "GEO_IO_MAX_VERTICES",
    "geometry_vertices": "GEO_IO_MAX_GEOMETRY_VERTICES",
    "json_depth": "GEO_IO_MAX_JSON_DEPTH",
}
"""The environment variable that sets each limit (0 lifts it); read at each read."""

_OPTIONS: Final[dict[str, str]] = {
    "seconds": "--max-seconds",
    "memory_mb": "--max-memory-mb",
    "vertices": "--max-vertices",
    "geometry_vertices": "--max-vertices-per-shape",
    "json_depth": "--max-json-depth",
}
# Python's JSON parser recurses once per level and stops near sys.getrecursionlimit()
# (1,000): deeper JSON is refused even when the depth limit is lifted.
_HARD_DEPTH: Final = 900
_UNSET: Final = object()
_CHOSEN: ContextVar[object] = ContextVar("geo_io_limits", default=_UNSET)


def _env_limit(name: str, default: float | None) -> float | None:
    raw = os.environ.get(ENV_VARS[name], "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        msg = f"${ENV_VARS[name]} must be a number (0: no limit), got {raw!r}"
        raise ValueError(msg) from None
    if value <= 0:
        return None
    return value if name == "seconds" else int(value)


def current_limits() -> Limits | None:
    """Return the limits a read starts under now; None when they are lifted.

    :func:`use_limits` wins; otherwise each limit is its environment variable
    (:data:`ENV_VARS`; 0 lifts it) or the default of :class:`Limits`.

    Examples
    --------
    >>> current_limits().seconds
    60.0
    >>> with use_limits(Limits(seconds=5)):
    ...     current_limits().seconds
    5
    """
    chosen = _CHOSEN.get()
    if chosen is not _UNSET:
        assert chosen is None or isinstance(chosen, Limits)
        return chosen
    base = Limits()
    values = {name: _env_limit(name, getattr(base, name)) for name in ENV_VARS}
    return Limits(**values)  # type: ignore[arg-type]


@contextlib.contextmanager
def use_limits(limits: Limits | None) -> Iterator[None]:
    """Read under ``limits`` (None: in this process, without limits) inside the block."""
    token = _CHOSEN.set(limits)
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def _how(name: str) -> Text:
    return text("geo.limits.how", option=_OPTIONS[name], setting=ENV_VARS[name])


# ---------------------------------------------------------------- budgets without a process


_JSON_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def check_json_depth(data: bytes, display: str, limit: int | None) -> None:
    """Refuse JSON nested deeper than ``limit`` levels, before any parser recurses into it.

    Strings are blanked first (a bracket inside a name is no nesting), then the depth is
    the running sum of opening minus closing brackets, computed with numpy.

    Raises
    ------
    geo.InputError
        ``geo.limits.depth``, naming the file and the limit.
    """
    depth = _HARD_DEPTH if limit is None else min(int(limit), _HARD_DEPTH)
    if data.count(b"[") + data.count(b"{") <= depth:
        return
    bare = _JSON_STRING.sub(b'""', data)
    codes = np.frombuffer(bare, dtype=np.uint8)
    steps = np.zeros(len(codes), dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    if len(steps) and int(np.cumsum(steps).max()) > depth:
        how = _how("json_depth")
        raise InputError(text("geo.limits.depth", file=display, limit=depth, how=how))


def check_vertices(
    geoms: Any, display: str, limits: Limits | None, *, labels: Any = None, feature: bool = True
) -> None:
    """Refuse shapes with more vertices than the limits allow (vectorised count).

    Parameters
    ----------
    geoms : array-like of shapely geometries (None allowed)
        The file's shapes, before any repair (repair is what grows with vertices).
    display : str
        The file's name in messages.
    limits : Limits or None
        None checks nothing.
    labels : array-like of int, optional
        Each shape's record number as problems count it (default 1, 2, ...).
    feature : bool
        Records are features (vector files) rather than spreadsheet rows.

    Raises
    ------
    geo.InputError
        ``geo.limits.geometry_vertices`` for the first shape over the per-shape limit,
        else ``geo.limits.vertices`` when the file's total is over its limit.
    """
    if limits is None or (limits.vertices is None and limits.geometry_vertices is None):
        return
    _charge(geoms, display, limits, labels=labels, feature=feature, spent=0)


def _charge(
    geoms: Any, display: str, limits: Limits, *, labels: Any, feature: bool, spent: int
) -> int:
    """Count ``geoms``' vertices against ``limits`` after ``spent`` earlier ones; the total."""
    counts = shapely.get_num_coordinates(np.asarray(geoms, dtype=object))
    if limits.geometry_vertices is not None and len(counts):
        over = np.flatnonzero(counts > limits.geometry_vertices)
        if len(over):
            i = int(over[0])
            row = i + 1 if labels is None else int(np.asarray(labels)[i])
            where = text("geo.feature" if feature else "geo.row", file=display, row=row)
            raise InputError(
                text(
                    "geo.limits.geometry_vertices",
                    at=where,
                    n=int(counts[i]),
                    limit=int(limits.geometry_vertices),
                    how=_how("geometry_vertices"),
                )
            )
    total = spent + int(counts.sum())
    if limits.vertices is not None and total > limits.vertices:
        raise InputError(
            text(
                "geo.limits.vertices",
                file=display,
                n=total,
                limit=int(limits.vertices),
                how=_how("vertices"),
            )
        )
    return total


@dataclass
class _Budget:
    """The vertex budget of the file being read, and how much of it is spent."""

    limits: Limits
    display: str
    spent: int = 0


# Set by the guarded read around the readers, so that they charge the shapes as soon as
# they are read, before geometry repair (which a 200,000-vertex bow-tie turns into minutes
# and gigabytes); None: a trusted read, nothing counted.
_BUDGET: ContextVar[_Budget | None] = ContextVar("geo_io_vertex_budget", default=None)


def spend_vertices(geoms: Any, *, labels: Any, feature: bool) -> None:
    """Charge shapes as read (before any repair) to the current file's vertex budget.

    Called by :func:`geo._io_vector.check_geometries` first thing, for every reader
    (vector files, GeoParquet, a table's WKT column); does nothing outside a guarded read.

    Parameters
    ----------
    geoms : array-like of shapely geometries (None allowed)
        Shapes exactly as parsed, in the file's CRS.
    labels : array-like of int
        Each shape's record number as problems count it.
    feature : bool
        Records are features (vector files) rather than spreadsheet rows.

    Raises
    ------
    geo.InputError
        As :func:`check_vertices`, the file's total counting every shape charged so far.
    """
    budget = _BUDGET.get()
    if budget is None:
        return
    limits = budget.limits
    if limits.vertices is None and limits.geometry_vertices is None:
        return
    budget.spent = _charge(
        geoms, budget.display, limits, labels=labels, feature=feature, spent=budget.spent
    )


# ---------------------------------------------------------------- the guarded read


def _parse(
    src: Source,
    spec: CoordSpec,
    *,
    layer: str | None,
    extent: Extent | None,
    id_column: str | None,
    limits: Limits | None,
) -> Chunk:
    """Read the whole source (in the worker, or here when the limits are lifted)."""
    if src.fmt == "geojson":
        depth = None if limits is None else limits.json_depth
        check_json_depth(src.read_bytes(), src.display, depth)
    # The readers charge each shape to the budget as parsed, before repairing any.
    token = _BUDGET.set(None if limits is None else _Budget(limits, src.display))
    try:
        return concat(
            chunks(src, spec=spec, layer=layer, extent=extent, id_column=id_column, chunk_rows=None)
        )
    finally:
        _BUDGET.reset(token)


def _point_table(src: Source) -> bool:
    """Tell whether ``src`` is a CSV of points (no WKT column), safe to parse in-process.

    Such a file is parsed in time and memory linear in its size (pyarrow's CSV reader, then
    vectorised checks; each row one point, so no geometry to repair): it cannot hang or
    blow up beyond its size, which the size limit already bounds. Sending a million rows
    back from a worker would double the time of the big-file pipeline for nothing. Every
    other format (XLSX, JSON, GeoPackage, KML, Shapefile, GeoParquet, CSV with WKT
    shapes) goes to the worker.
    """
    if src.fmt != "csv":
        return False
    if src.data is not None:
        head = src.data[:65_536]
    else:
        assert src.path is not None
        with src.path.open("rb") as fh:
            head = fh.read(65_536)
    first = head.split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            header = first.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    names = {name.strip().strip('"').strip().lower() for name in header.split(",")}
    return not names & {name.lower() for name in WKT_COLUMNS}


def read_guarded(
    src: Source,
    *,
    spec: CoordSpec,
    layer: str | None,
    extent: Extent | None,
    id_column: str | None,
    limits: Limits | None,
) -> Chunk:
    """Read ``src`` whole, in a worker under ``limits`` (None: here, without limits).

    See :func:`geo.io.read`; the result is the same either way.
    """
    if limits is None or _point_table(src):
        return _parse(src, spec, layer=layer, extent=extent, id_column=id_column, limits=None)
    options = {"layer": layer, "extent": extent, "id_column": id_column, "limits": limits}
    result: Chunk = run_guarded(_parse, (src, spec), options, display=src.display, limits=limits)
    return result
