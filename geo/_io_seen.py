"""The ids seen in the chunks read so far, kept compactly, to find repeats across chunks.

Finding every repeated id of a file read in chunks means remembering each id once seen.
A dict of Python strings costs some 150 bytes per id (1.5 GB for ten million firms);
:class:`SeenIds` keeps a sorted array of 64-bit hashes, the rows, and the ids' text in
Arrow arrays, about 45 bytes per id. Hashes only find candidates: each is confirmed by
its text, so the answer is exact whatever the hashes collide on.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

__all__ = ["SeenIds"]

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]


def _hash(keys: ObjectArray) -> npt.NDArray[np.uint64]:
    hashed: npt.NDArray[np.uint64] = pd.util.hash_array(keys, categorize=False)
    return hashed


class SeenIds:
    """The ids of earlier chunks, each with the row of its first record.

    Examples
    --------
    >>> seen = SeenIds()
    >>> seen.add(np.array(["a", "b"], dtype=object), np.array([2, 3]))
    >>> seen.first_rows(np.array(["b", None, "c"], dtype=object)).tolist()
    [3, 0, 0]
    >>> len(seen)
    2
    """

    def __init__(self) -> None:
        self._hashes = np.empty(0, dtype=np.uint64)  # sorted
        self._where = np.empty(0, dtype=np.int64)  # each sorted hash's id, in added order
        self._rows = np.empty(0, dtype=np.int64)  # in added order
        self._texts: list[pa.Array] = []  # in added order, one array per add()

    def __len__(self) -> int:
        return len(self._rows)

    def first_rows(self, keys: ObjectArray) -> IntArray:
        """Return, for each key (text, or None for none), its first row so far (0: unseen)."""
        out = np.zeros(len(keys), dtype=np.int64)
        present = np.flatnonzero(pd.notna(keys))
        if not len(self) or not len(present):
            return out
        wanted = keys[present]
        hashes = _hash(wanted)
        at = np.searchsorted(self._hashes, hashes)
        inside = at < len(self._hashes)
        hit = np.zeros(len(wanted), dtype=bool)
        hit[inside] = self._hashes[at[inside]] == hashes[inside]
        if not hit.any():
            return out
        texts = pa.chunked_array(self._texts, type=pa.large_string())
        ids = self._where[at[hit]]
        found = np.asarray(texts.take(pa.array(ids)).to_numpy(zero_copy_only=False), dtype=object)
        same = found == wanted[hit]
        rows = np.where(same, self._rows[ids], 0)
        # A hash shared by different ids (astronomically rare): look through them all.
        for k in np.flatnonzero(~same):
            rows[k] = self._search(texts, int(at[hit][k]), hashes[hit][k], wanted[hit][k])
        out[present[hit]] = rows
        return out

    def _search(self, texts: pa.ChunkedArray, start: int, hashed: np.uint64, key: str) -> int:
        position = start
        while position < len(self._hashes) and self._hashes[position] == hashed:
            i = int(self._where[position])
            if texts[i].as_py() == key:
                return int(self._rows[i])
            position += 1
        return 0

    def add(self, keys: ObjectArray, rows: IntArray) -> None:
        """Remember ``keys`` (texts, each not seen before) as first seen at ``rows``."""
        if not len(keys):
            return
        hashes = _hash(keys)
        order = np.argsort(hashes, kind="stable")
        ids = np.arange(len(self), len(self) + len(keys), dtype=np.int64)
        # Merging sorted runs costs one pass over what is kept, not a new sort.
        at = np.searchsorted(self._hashes, hashes[order], side="right")
        self._hashes = np.insert(self._hashes, at, hashes[order])
        self._where = np.insert(self._where, at, ids[order])
        self._rows = np.concatenate([self._rows, np.asarray(rows, dtype=np.int64)])
        self._texts.append(pa.array(keys, type=pa.large_string()))
