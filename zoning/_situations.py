"""Rows grouped into situations: alike in everything the check's rule reads.

The rule of :func:`zoning.check` reads four things about a row: whether it has a point,
which areas hold the point, which areas' boundaries lie within its precision, and which
areas the plan designates for its segment. Rows alike in all four are in one situation
and get one answer, so the rule runs once per situation and its answers reach the rows
by code (one gather per column), never row by row: a million firms over three areas fall
into a few dozen situations.

Here are the codings that make that cheap: segments to designation sets, rows to
situation codes (a packed lookup key while it fits in 16 bits), boolean columns to
integer codes, tuples of codes to one code, and texts spread to rows as categoricals.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "AreaSets",
    "Designations",
    "Situations",
    "categorical",
    "column_codes",
    "combine",
    "designations",
    "first_rows",
    "situations",
    "spread",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# While a situation's key fits in this many bits it indexes a lookup table of every
# possible situation directly (no hashing of the rows).
TABLE_BITS: Final = 16


class Designations(NamedTuple):
    """The segments of one table and the areas the plan designates for each.

    ``segments`` are the distinct values of the ``segment`` column (``""`` for a missing
    one) and ``row_segment`` each row's position among them. A designation set is a
    distinct set of designated areas: ``sets[0]`` is empty and stands for "no rule
    applies" (no designated area, or a key not in the chain), and ``row_set`` is each
    row's set. ``keys[d]`` are the positions of the areas in set ``d``.
    """

    segments: list[str]
    known: list[bool]
    row_segment: IntArray
    row_set: npt.NDArray[np.int32]
    sets: BoolArray  # (sets, areas)
    keys: list[tuple[int, ...]]


def designations(
    column: pd.Series,
    known_keys: pd.Index,
    designation: dict[str, tuple[str, ...]],
    area_keys: list[str],
) -> Designations:
    """Code each row by its segment and by the set of areas designated for it.

    Parameters
    ----------
    column : pandas.Series
        The ``segment`` column.
    known_keys : pandas.Index
        The chain's segment keys; other keys get no designated area.
    designation : dict
        Segment key -> keys of the areas designated for it.
    area_keys : list of str
        The areas' keys, in the order of the area columns.
    """
    # Factorising the column itself keeps pandas' fast path for Arrow-backed strings.
    found, uniques = pd.factorize(column, use_na_sentinel=True)
    segments = [str(s) for s in uniques] + [""]
    row_segment = np.where(found < 0, len(segments) - 1, found).astype(np.int64)
    k = len(area_keys)
    desig = np.zeros((len(segments), k), dtype=bool)
    known = [s in known_keys for s in segments]
    for u, s in enumerate(segments):
        for a in designation.get(s, ()):
            desig[u, area_keys.index(a)] = True
    has_area = desig.any(axis=1) & np.asarray(known, dtype=bool)
    sets, set_of = np.unique(desig[has_area], axis=0, return_inverse=True)
    set_u = np.zeros(len(segments), dtype=np.int32)  # small: gathered for every row
    set_u[has_area] = np.asarray(set_of, dtype=np.int32).reshape(-1) + 1
    mask = np.zeros((len(sets) + 1, k), dtype=bool)
    mask[1:] = sets
    keys = [tuple(np.flatnonzero(r).tolist()) for r in mask]
    row_set = set_u[row_segment] if len(row_segment) else np.zeros(0, dtype=np.int32)
    return Designations(segments, known, row_segment, row_set, mask, keys)


class AreaSets(NamedTuple):
    """A set of areas per row, as an index into a few distinct sets.

    ``columns`` is (areas, sets) boolean; ``row`` is each row's column.
    """

    row: npt.NDArray[np.integer[Any]]
    columns: npt.NDArray[np.bool_]


class Situations(NamedTuple):
    """The distinct situations of a table's rows, and each row's.

    Per situation (columns): ``located``, ``inside`` and ``near`` (areas x situations:
    the areas holding the point, the areas whose boundary is within its precision),
    ``designated`` (areas x situations) and its designation set ``dset``. ``present``
    says whether any row is in it (the lookup table lists every possible situation).
    """

    codes: npt.NDArray[np.integer[Any]]  # per row (uint16 while the key fits)
    located: BoolArray
    inside: BoolArray
    near: BoolArray
    designated: BoolArray
    dset: IntArray
    present: BoolArray


def situations(
    inside_kn: BoolArray,
    near_kn: BoolArray,
    located: BoolArray,
    desig: Designations,
) -> Situations:
    """Group rows into situations.

    ``inside_kn`` and ``near_kn`` are (areas, rows). While every possible situation fits
    in :data:`TABLE_BITS` bits the key is built from the bits themselves (the areas
    holding the point, the boundaries near it, located, the designation set above them)
    and the situations are the whole table; otherwise situations are numbered as found.
    """
    k, n = inside_kn.shape
    n_sets = len(desig.keys)
    dset = desig.row_set
    if (1 << (2 * k + 1)) * n_sets <= 1 << TABLE_BITS:
        # k <= 7 here: the area bits fit in a byte each.
        ins_b = np.zeros(n, dtype=np.uint8)
        near_b = np.zeros(n, dtype=np.uint8)
        for j in range(k):
            ins_b |= inside_kn[j].view(np.uint8) << np.uint8(j)
            near_b |= near_kn[j].view(np.uint8) << np.uint8(j)
        key = dset.astype(np.uint16) << np.uint16(2 * k + 1)
        key |= located.view(np.uint8).astype(np.uint16) << np.uint16(2 * k)
        key |= near_b.astype(np.uint16) << np.uint16(k)
        key |= ins_b
        codes: npt.NDArray[np.integer[Any]] = key  # small: gathered by every column
        every = np.arange((1 << (2 * k + 1)) * n_sets)
        bits = ((every[None, :] >> np.arange(2 * k + 1)[:, None]) & 1) == 1
        s_inside, s_near, s_located = bits[:k], bits[k : 2 * k], bits[2 * k]
        s_dset = (every >> (2 * k + 1)).astype(np.int64)
        present = np.bincount(codes, minlength=len(every)) > 0
    else:
        codes = combine([column_codes(inside_kn), column_codes(near_kn), dset, located])
        first = first_rows(codes)
        s_inside, s_near, s_located = inside_kn[:, first], near_kn[:, first], located[first]
        s_dset = dset[first].astype(np.int64)
        present = np.ones(len(first), dtype=bool)
    designated = desig.sets[s_dset].T
    return Situations(codes, s_located, s_inside, s_near, designated, s_dset, present)


def column_codes(*matrices: npt.NDArray[Any]) -> IntArray:
    """Give equal boolean columns equal integer codes, across all ``matrices``.

    Each matrix is (areas, columns); the codes of their columns come back concatenated.
    Codes are bit masks while the areas fit in 62 bits, else numbered by
    :func:`numpy.unique` over all the columns.
    """
    k = matrices[0].shape[0]
    n = sum(m.shape[1] for m in matrices)
    if k <= 62:
        code = np.zeros(n, dtype=np.int64)
        start = 0
        for m in matrices:
            end = start + m.shape[1]
            for j in range(k):
                code[start:end] |= m[j].astype(np.int64) << np.int64(j)
            start = end
        return code
    joined = np.concatenate(matrices, axis=1) if len(matrices) > 1 else matrices[0]
    return np.unique(joined.T, axis=0, return_inverse=True)[1].astype(np.int64).reshape(n)


def combine(parts: list[npt.NDArray[Any]]) -> IntArray:
    """Return one code per distinct tuple of the non-negative integer ``parts``.

    Codes are numbered in order of first appearance. Parts are packed into one int64 by
    multiplication while the product fits, and the key is re-coded densely
    (``pd.factorize``) only when the next part would overflow it.
    """
    key = np.zeros(len(parts[0]), dtype=np.int64)
    span = 1
    for part in parts:
        p = np.asarray(part, dtype=np.int64)
        width = int(p.max(initial=0)) + 1
        if span * width >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max(initial=0)) + 1
        key = key * np.int64(width) + p
        span *= width
    codes = pd.factorize(key)[0]
    return np.asarray(codes, dtype=np.int64)


def first_rows(codes: npt.NDArray[Any]) -> npt.NDArray[np.intp]:
    """Row of the first occurrence of each code, in code order.

    Codes from ``pd.factorize`` are numbered in order of first appearance, so the rows
    ``drop_duplicates`` keeps are already in code order.
    """
    return np.asarray(pd.Series(codes).drop_duplicates().index, dtype=np.intp)


def categorical(codes: npt.NDArray[Any], values: list[str]) -> pd.Categorical[str]:
    """Spread one text per code to the rows, merging codes with equal text.

    Categories are the distinct texts in order of first appearance.
    """
    text_codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    rows: IntArray = np.asarray(text_codes, dtype=np.int64)[codes]
    return pd.Categorical.from_codes(
        rows, categories=pd.Index([str(u) for u in uniques]), validate=False
    )


def spread(codes: npt.NDArray[Any], values: list[tuple[str, ...]]) -> npt.NDArray[np.object_]:
    """Spread one tuple per code to the rows (an object array; the tuples are shared).

    Several values per row stay a list-typed column, not a joined string: the tuples are
    built once per situation and every row of it refers to the same one.
    """
    table = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        table[i] = value  # one by one: numpy would unpack tuples given all at once
    out: npt.NDArray[np.object_] = table[np.asarray(codes, dtype=np.int64)]
    return out
