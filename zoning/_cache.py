"""Every cache the analysis keeps between calls: its key, when it is cleared, its size.

The app reruns a page on every click, and the app, the command line and the benchmarks
check many tables against the same few areas. What depends only on the areas (their
projected shapes, their measured boundaries, the boundaries derived from them) and on
the plan's names (the formatted reason texts) is therefore built once and kept. Nothing
kept depends on the enterprises checked, and nothing kept changes an answer: a kept value
is immutable once built, or (lattice sub-cells) only gains measurements that are the
same in every call. So a result is the same whether the caches are warm or cold (the
tests compare both), and clearing them (:func:`clear`) only costs time.

Each cache is least-recently-used and bounded; an entry is cleared when it is the oldest
of a full cache and a new key arrives, or by :func:`clear` (tests), never otherwise.

``WORKING_SHAPES`` (16 entries)
    Key: the WKB of a frame's geometries and its CRS. Value: the geometries densified
    and projected to EPSG:4548 (``zoning._common.working_shapes``), about the size of
    the areas themselves.
``BOUNDARIES`` (32 entries)
    Key: the WKB of one area in EPSG:4548. Value: the area's boundary with a KD-tree of
    its vertices densified to 50 m (``zoning._locate``): a few MB for a district outline.
    Each boundary keeps its own small cache:

    lattices (:data:`LATTICES_PER_BOUNDARY` = 4 per boundary)
        Key: (shape WKB, largest precision, lattice size, with containment). Value: a
        lattice of at most 129 x 129 measured cells; crowded cells gain 8 x 8 measured
        sub-cells as calls need them (at most 64 per cell, 3 floats each). Cleared with
        its boundary or when a fifth key arrives.
``REGIONS`` (8 entries)
    Key: the WKB of one set of areas (WGS 84). Value: the boundaries derived from them
    (their union, the union of each designation set, and where each area's boundary
    changes the verdict: ``zoning._regions``), each built on first use, so at most
    ``1 + sets x (1 + 2 x areas)`` lines, each a boundary as above with its lattices.
``REASON_TEXTS`` (8 entries)
    Key: a plan's names (area keys and names, the designation, the chain's keys and
    names). Value: a dict of the formatted texts per distinct situation and precision
    (``zoning._reasons``); the dict is emptied when it would pass
    :data:`REASON_TEXTS_PER_PLAN` (100,000) entries and then refills.

Not here: ``layers`` keeps its own loaders' caches (the parsed chain and rules files), and
``zoning._common`` keeps the two pyproj transformers (WGS 84 <-> EPSG:4548) for the life
of the process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Final, Generic, TypeVar

__all__ = [
    "BOUNDARIES",
    "LATTICES_PER_BOUNDARY",
    "REASON_TEXTS",
    "REASON_TEXTS_PER_PLAN",
    "REGIONS",
    "WORKING_SHAPES",
    "Cache",
    "clear",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Cache(Generic[K, V]):
    """A bounded least-recently-used map, safe to use from several threads.

    Parameters
    ----------
    maxsize : int
        Entries kept; the least recently used goes when a new key would pass it.

    Examples
    --------
    >>> squares: Cache[int, int] = Cache(2)
    >>> [squares.get(n, lambda n=n: n * n) for n in (2, 3, 2, 4)]
    [4, 9, 4, 16]
    >>> sorted(squares.keys())  # 3 was the least recently used
    [2, 4]
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        """Return the value kept for ``key``, building and keeping it if there is none.

        ``build`` runs outside the lock (it may take a while); if another thread kept a
        value for the same key meanwhile, that value is returned and the new one dropped,
        so every caller shares one object per key.
        """
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            self._data[key] = value
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def keys(self) -> list[K]:
        """Return the keys kept, least recently used first."""
        with self._lock:
            return list(self._data)

    def values(self) -> list[V]:
        """Return the values kept, least recently used first."""
        with self._lock:
            return list(self._data.values())

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


WORKING_SHAPES: Final[Cache[Any, Any]] = Cache(16)
"""Areas (or any frame's geometries) projected to EPSG:4548, per WKB and CRS."""
BOUNDARIES: Final[Cache[bytes, Any]] = Cache(32)
"""Measured area boundaries, per WKB of the area in EPSG:4548."""
LATTICES_PER_BOUNDARY: Final = 4
"""Measured lattices each boundary keeps (distinct largest precisions and sizes)."""
REGIONS: Final[Cache[tuple[bytes | None, ...], Any]] = Cache(8)
"""Boundaries derived from one set of areas, per WKB of the areas."""
REASON_TEXTS: Final[Cache[tuple[object, ...], dict[Any, Any]]] = Cache(8)
"""Formatted reason texts, per plan names; each a dict of texts per situation."""
REASON_TEXTS_PER_PLAN: Final = 100_000
"""Past this many texts a plan's dict is emptied and refilled."""


def clear() -> None:
    """Empty every cache of the analysis (tests use it to compare warm and cold runs)."""
    for cache in (WORKING_SHAPES, BOUNDARIES, REGIONS, REASON_TEXTS):
        cache.clear()
