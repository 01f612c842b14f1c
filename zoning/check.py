"""Check every enterprise against the plan: is it in an area designated for its segment.

Verdicts (in the order they take precedence):

``unlocated``
    No usable point (missing or empty geometry, non-finite coordinates). Kept and listed.
``unassigned``
    The plan designates no area for the segment (e.g. ``pv_cell``), or the segment key is
    not in the chain at all. Unknown keys are kept to the six verdicts on purpose: they
    say "no rule applies" exactly as a segment without an area does, and the reason text
    says which case it is and the nearest valid key.
``uncertain``
    The circle of radius ``precision_m`` around the point reaches the boundary of *any*
    area (distance <= precision, measured in EPSG:4548): moving the point within its own
    uncertainty changes the set of areas holding it, so the verdict cannot be trusted.
    Only segments that have a designated area can be uncertain.
``conforming``
    Inside at least one area designated for the segment.
``misplaced``
    Inside one or more areas, none designated for the segment.
``outside``
    In no area, though the segment has one.

A point exactly on an area boundary counts as inside that area (``intersects`` semantics:
the boundary belongs to the area), so a site on the shared edge of two areas is in both.
A missing or NaN ``precision_m`` is treated as 0 (the point is taken as given).
"""

from __future__ import annotations

import difflib
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from zoning import _text
from zoning._common import (
    area_designation,
    load_areas,
    load_chain,
    load_enterprises,
    located_xy,
    segment_names,
    working_shapes,
)
from zoning._locate import locate

__all__ = ["OUTPUT_COLUMNS", "VERDICTS", "check", "membership"]

VERDICTS: Final[tuple[str, ...]] = (
    "conforming",
    "misplaced",
    "outside",
    "unassigned",
    "uncertain",
    "unlocated",
)
"""The six verdicts, the categories of the ``verdict`` column."""

_CODE = {v: i for i, v in enumerate(VERDICTS)}
# Stands for the precision in texts formatted before the precision is known.
_PREC: Final = "\x00prec\x00"
OUTPUT_COLUMNS: Final = ("verdict", "verdict_at_point", "area", "rule", "reason_zh", "reason_en")
"""The columns :func:`check` adds."""


def membership(
    enterprises: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    *,
    precision: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Return which areas hold each point (and, optionally, whose boundary is near it).

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points (any CRS with a definition); unlocated rows are in no area.
    areas : geopandas.GeoDataFrame
        Areas indexed by key.
    precision : bool
        Also return the near-boundary matrix using the ``precision_m`` column.

    Returns
    -------
    inside : pandas.DataFrame
        Boolean, index of ``enterprises``, one column per area key (boundary = inside).
    near : pandas.DataFrame or None
        Boolean, same shape: the area's boundary lies within ``precision_m`` of the point.
    """
    lon, lat, _ = located_xy(enterprises)
    prec = _precision(enterprises) if precision else np.zeros(len(lon))
    inside, near = locate(
        lon,
        lat,
        prec,
        areas.geometry.to_numpy(),
        working_shapes(areas),
    )
    cols = [str(k) for k in areas.index]
    inside_df = pd.DataFrame(inside, index=enterprises.index, columns=cols)
    near_df = pd.DataFrame(near, index=enterprises.index, columns=cols) if precision else None
    return inside_df, near_df


def _precision(enterprises: gpd.GeoDataFrame) -> np.ndarray[Any, np.dtype[np.float64]]:
    if "precision_m" not in enterprises.columns:
        return np.zeros(len(enterprises))
    p = pd.to_numeric(enterprises["precision_m"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return np.where(np.isfinite(p) & (p > 0), p, 0.0)


def check(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Give each enterprise a verdict against the plan, with the rule and a reason.

    Parameters
    ----------
    enterprises : geopandas.GeoDataFrame
        Points with a ``segment`` column (chain keys) and optionally ``precision_m``
        (metres). Any CRS with a definition; unlocated rows (geometry None) are kept.
    areas : geopandas.GeoDataFrame, optional
        Agglomeration areas indexed by key with ``name_zh``, ``name_en``, ``segments``
        (default: ``layers.areas(rules)``). Its ``segments`` column is the designation.
    rules : layers.Rules, optional
        Only used to build the default areas.
    chain : pandas.DataFrame, optional
        Segment taxonomy for the names in the reasons (default: ``layers.chain()``).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``enterprises`` (same index and order) with the categorical columns
        :data:`OUTPUT_COLUMNS`: ``verdict`` (one of :data:`VERDICTS`),
        ``verdict_at_point`` (the verdict the given point itself gets, ignoring its
        precision: differs from ``verdict`` only on ``uncertain`` rows, where it says
        which way the point leans), ``area`` (keys of the areas holding the point,
        ``;``-joined, ``""`` when none), ``rule`` (e.g. ``"copper_foil designated in
        materials"``), ``reason_zh`` and ``reason_en``. Use ``.astype(str)`` on them if
        a writer needs plain text.

    Notes
    -----
    The work is vectorised over raw coordinate arrays (see :mod:`zoning._locate`); the
    reason texts are formatted once per distinct (verdict, segment, areas, precision)
    combination and spread to the rows by code, never per row.

    Examples
    --------
    >>> import layers, zoning
    >>> result = zoning.check(layers.enterprises())  # doctest: +SKIP
    >>> result["verdict"].value_counts()  # doctest: +SKIP
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    chain = load_chain(chain)
    n = len(enterprises)
    lon, lat, located = located_xy(enterprises)
    prec = _precision(enterprises)
    inside, near = locate(lon, lat, prec, areas.geometry.to_numpy(), working_shapes(areas))
    area_keys = [str(k) for k in areas.index]
    k = len(area_keys)

    # Factorising the column itself keeps pandas' fast path for Arrow-backed strings.
    seg_codes, seg_found = pd.factorize(enterprises["segment"], use_na_sentinel=True)
    seg_uniques = [str(s) for s in seg_found] + [""]
    seg_codes = np.where(seg_codes < 0, len(seg_uniques) - 1, seg_codes).astype(np.int64)
    designation = area_designation(areas)
    desig_u = np.zeros((len(seg_uniques), k), dtype=bool)
    known_u = np.zeros(len(seg_uniques), dtype=bool)
    for u, s in enumerate(seg_uniques):
        known_u[u] = s in chain.index
        for a in designation.get(s, ()):
            desig_u[u, area_keys.index(a)] = True
    has_area_u = desig_u.any(axis=1) & known_u
    has_area = has_area_u[seg_codes] if n else np.zeros(0, dtype=bool)

    inside_kn, near_kn = inside.T, near.T
    verdict, base = _verdicts(inside_kn, near_kn, desig_u, seg_codes, has_area, located)
    # The verdict at the given point, ignoring precision (only uncertain rows differ).
    at_point = np.where(verdict == _CODE["uncertain"], base, verdict)
    # For grouping the reasons, the point's verdict only matters on uncertain rows.
    base = np.where(verdict == _CODE["uncertain"], base, 0)

    uncertain = verdict == _CODE["uncertain"]
    edge_kn = near_kn & uncertain[None, :]
    # Reasons quote the precision to 100 m above 1 km (10 m below): that is all the
    # precision an estimate has, and it keeps the number of distinct texts small.
    shown_prec = np.where(prec >= 1000, np.round(prec, -2), np.round(prec, -1))
    prec_key = np.where(uncertain, shown_prec, 0.0)
    # Texts are formatted once per distinct (verdict, point verdict, segment, areas,
    # crossed boundaries) with a placeholder for the precision, then once more per distinct
    # precision of uncertain rows by a plain string replace.
    codes0 = _combine([verdict, base, seg_codes, _row_codes(inside_kn), _row_codes(edge_kn)])
    codes = _combine([codes0, pd.factorize(prec_key)[0]])
    first0 = _first_rows(codes0)
    table = pd.DataFrame(
        {
            "v": verdict[first0],
            "s": seg_codes[first0],
            "m": list(inside_kn[:, first0].T),
            "e": list(edge_kn[:, first0].T),
            "b": base[first0],
        }
    )
    texts = _format_combos(table, seg_uniques, area_keys, areas, chain, designation)
    first = _first_rows(codes)
    first_prec = prec_key[first].tolist()
    reasons = {
        lang: [
            texts[lang][c0].replace(_PREC, _text.distance_text(pr, lang))
            for c0, pr in zip(codes0[first].tolist(), first_prec, strict=True)
        ]
        for lang in ("zh", "en")
    }
    area_text = [";".join(_keys_of(m, area_keys)) for m in table["m"]]
    # Pandas copy-on-write: new columns on a shallow copy never reach the caller's frame.
    out = enterprises.copy(deep=False)
    out["verdict"] = pd.Categorical.from_codes(
        verdict.astype(np.int64), categories=pd.Index(list(VERDICTS))
    )
    out["verdict_at_point"] = pd.Categorical.from_codes(
        at_point.astype(np.int64), categories=pd.Index(list(VERDICTS))
    )
    out["area"] = _categorical(codes0, area_text)
    out["rule"] = _categorical(codes0, texts["rule"])
    out["reason_zh"] = _categorical(codes, reasons["zh"])
    out["reason_en"] = _categorical(codes, reasons["en"])
    return out


def _verdicts(  # noqa: PLR0917  (private: the arrays of one call)
    inside_kn: np.ndarray[Any, Any],
    near_kn: np.ndarray[Any, Any],
    desig_u: np.ndarray[Any, Any],
    seg_codes: np.ndarray[Any, Any],
    has_area: np.ndarray[Any, Any],
    located: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return (verdict codes, verdict at the point ignoring precision) per row."""
    k, n = inside_kn.shape
    # Reductions over the few areas run row by row on the contiguous (k, n) layout.
    in_desig = np.zeros(n, dtype=bool)
    in_any = np.zeros(n, dtype=bool)
    near_any = np.zeros(n, dtype=bool)
    for j in range(k):
        in_desig |= inside_kn[j] & desig_u[seg_codes, j]
        in_any |= inside_kn[j]
        near_any |= near_kn[j]
    base = np.where(
        in_desig, _CODE["conforming"], np.where(in_any, _CODE["misplaced"], _CODE["outside"])
    )
    verdict = base.copy()
    verdict[near_any & has_area] = _CODE["uncertain"]
    verdict[~has_area] = _CODE["unassigned"]
    verdict[~located] = _CODE["unlocated"]
    return verdict, base


def _first_rows(codes: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Row of the first occurrence of each code, in code order.

    Codes from ``pd.factorize`` are numbered in order of first appearance, so the rows
    ``drop_duplicates`` keeps are already in code order.
    """
    return np.asarray(pd.Series(codes).drop_duplicates().index, dtype=np.intp)


def _keys_of(row: np.ndarray[Any, Any], keys: list[str]) -> list[str]:
    return [key for key, hit in zip(keys, row, strict=True) if hit]


def _row_codes(matrix_kn: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Give points with equal area memberships equal integer codes.

    ``matrix_kn`` is (areas, points); bit masks while the areas fit in 62 bits.
    """
    k, n = matrix_kn.shape
    if k <= 62:
        code = np.zeros(n, dtype=np.int64)
        for j in range(k):
            code |= matrix_kn[j].astype(np.int64) << np.int64(j)
        return code
    return np.unique(matrix_kn.T, axis=0, return_inverse=True)[1].astype(np.int64).reshape(n)


def _combine(parts: list[np.ndarray[Any, Any]]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Return one code per distinct tuple of the non-negative integer ``parts``.

    Parts are packed into one int64 by multiplication while the product fits, and the
    key is re-coded densely (``pd.factorize``) only when the next part would overflow it.
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


def _categorical(codes: np.ndarray[Any, Any], values: list[str]) -> pd.Categorical[str]:
    """Spread one text per combination to the rows, merging combinations with equal text."""
    text_codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    rows: np.ndarray[Any, np.dtype[np.int64]] = np.asarray(text_codes, dtype=np.int64)[codes]
    return pd.Categorical.from_codes(
        rows, categories=pd.Index([str(u) for u in uniques]), validate=False
    )


def _format_combos(  # noqa: PLR0917
    table: pd.DataFrame,
    seg_uniques: list[str],
    area_keys: list[str],
    areas: gpd.GeoDataFrame,
    chain: pd.DataFrame,
    designation: dict[str, tuple[str, ...]],
) -> dict[str, list[str]]:
    """Format the rule and both reasons once per distinct combination."""
    seg_name = {lang: segment_names(chain, seg_uniques, lang) for lang in ("zh", "en")}
    area_name = {
        lang: dict(zip(area_keys, areas[f"name_{lang}"].astype(str), strict=True))
        for lang in ("zh", "en")
    }
    chain_keys = [str(c) for c in chain.index]
    out: dict[str, list[str]] = {"rule": [], "zh": [], "en": []}
    for v, s, m, e, b in table[["v", "s", "m", "e", "b"]].itertuples(index=False):
        seg = seg_uniques[int(s)]
        verdict = VERDICTS[int(v)]
        desig = designation.get(seg, ())
        known = seg in chain.index
        if not known:
            out["rule"].append(f"{seg}: not a chain segment")
        elif desig:
            out["rule"].append(f"{seg} designated in {';'.join(desig)}")
        else:
            out["rule"].append(f"{seg}: no designated area")
        for lang in ("zh", "en"):
            tpl = _text.REASONS[lang]

            def names(keys: list[str] | tuple[str, ...], lang: str = lang) -> str:
                return _text.JOIN[lang].join(area_name[lang][a] for a in keys)

            fields = {
                "seg": seg_name[lang][seg],
                "areas": names(_keys_of(m, area_keys)),
                "desig": names(desig) or tpl["no_area"],
                "edge": names(_keys_of(e, area_keys)),
                "prec": _PREC,
                "at_point": _text.VERDICT_NAMES[lang][VERDICTS[int(b)]],
            }
            if verdict == "unassigned" and not known:
                near = difflib.get_close_matches(seg, chain_keys, n=1)
                text = tpl["unknown_segment"].format(key=seg, near=near[0] if near else "-")
            else:
                text = tpl[verdict].format(**fields)
            out[lang].append(text)
    return out
