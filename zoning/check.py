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
    The circle of radius ``precision_m`` around the point (metres, EPSG:4548) reaches
    places of more than one of the verdicts conforming, misplaced and outside: it meets
    ``U`` (the union of the areas designated for the segment) and ``All - U`` (``All``
    is the union of every area), or either of them and the complement of ``All``.
    Touching counts (distance <= precision). A circle that crosses only boundaries
    between places of one verdict (two non-designated areas sharing an edge, an edge of
    a designated area lying inside another designated area) is not uncertain. Only
    segments that have a designated area can be uncertain; the reason names the areas
    whose boundary, inside the circle, separates two verdicts.
``conforming``
    Inside at least one area designated for the segment.
``misplaced``
    Inside one or more areas, none designated for the segment.
``outside``
    In no area, though the segment has one.

A point exactly on an area boundary counts as inside that area (``intersects`` semantics:
the boundary belongs to the area), so a site on the shared edge of two areas is in both.
A missing or NaN ``precision_m`` is treated as 0 (the point is taken as given).

In code the rule is :func:`_rule`, below :func:`check`: one function, read top to bottom.
Around it: :mod:`zoning._situations` groups rows the rule cannot tell apart,
:mod:`zoning._regions` measures the boundaries the rule needs measured,
:mod:`zoning._reasons` words the answers from the one vocabulary (``layers.i18n``) and
:mod:`zoning._cache` keeps what depends only on the plan between calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, NamedTuple

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import union_categoricals

from zoning import settings
from zoning._common import (
    area_designation,
    load_areas,
    load_chain,
    load_enterprises,
    located_xy,
    working_shapes,
)
from zoning._locate import locate
from zoning._reasons import reason_columns
from zoning._regions import Points, Regions, named_edges, regions_of
from zoning._situations import AreaSets, Situations, designations, situations

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

OUTPUT_COLUMNS: Final = ("verdict", "verdict_at_point", "area", "rule", "reason_zh", "reason_en")
"""The columns :func:`check` adds."""

# Verdict codes: positions in VERDICTS.
CONFORMING, MISPLACED, OUTSIDE, UNASSIGNED, UNCERTAIN, UNLOCATED = range(len(VERDICTS))
# What settles a situation the per-area flags leave open: measuring its rows against the
# boundary of U (around "conforming") or of All (around "not outside").
SETTLED, MEASURE_DESIGNATED, MEASURE_ALL = 0, 1, 2


def check(
    enterprises: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    rules: Any = None,
    chain: pd.DataFrame | None = None,
    progress: Callable[[int, int], object] | None = None,
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
    progress : callable, optional
        ``progress(done_rows, total_rows)``, for a long check shown to someone waiting
        (the app's progress bar). Given, the rows are checked in pieces of
        :data:`zoning.settings.check_chunk_rows` and it is called with 0 before the first
        piece and with the rows done after each, the last call with ``done_rows ==
        total_rows`` (an empty table: one call, ``(0, 0)``). The result is the same as
        without it (verdicts are per row), a little later (each piece words its own
        reasons: see the setting); the callback's return value is ignored.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``enterprises`` (same index and order) with the columns
        :data:`OUTPUT_COLUMNS`: ``verdict`` (one of :data:`VERDICTS`),
        ``verdict_at_point`` (the verdict the given point itself gets, ignoring its
        precision: differs from ``verdict`` only on ``uncertain`` rows, where it says
        which way the point leans), ``area`` (a tuple of the keys of the areas holding
        the point, in the areas' order; ``()`` when none: a list-typed column, joined
        only when a file is written), ``rule`` (e.g. ``"copper_foil designated in
        materials"``), ``reason_zh`` and ``reason_en``. All but ``area`` are categorical;
        use ``.astype(str)`` on them if a writer needs plain text.

    Notes
    -----
    The work is vectorised over raw coordinate arrays (see :mod:`zoning._locate`). The
    rule (:func:`_rule`) runs once per situation (rows alike in everything it reads:
    :mod:`zoning._situations`); only rows whose situation leaves the verdict open are
    measured against boundaries derived from the areas (:mod:`zoning._regions`). The
    texts are formatted once per distinct text (:mod:`zoning._reasons`). What depends
    only on the areas and the plan's names is kept across calls (:mod:`zoning._cache`).

    Examples
    --------
    >>> import layers, zoning
    >>> result = zoning.check(layers.enterprises())  # doctest: +SKIP
    >>> result["verdict"].value_counts()  # doctest: +SKIP
    """
    enterprises = load_enterprises(enterprises)
    areas = load_areas(areas, rules)
    chain = load_chain(chain)
    lon, lat, located = located_xy(enterprises)
    prec = _precision(enterprises)
    if progress is None:
        texts = kernel(lon, lat, located, prec, enterprises["segment"], areas, chain).columns
    else:
        rows = _Rows(lon, lat, located, prec)
        texts = _in_pieces(rows, enterprises["segment"], areas, chain, progress)
    # Pandas copy-on-write: new columns on a shallow copy never reach the caller's frame.
    out = enterprises.copy(deep=False)
    for column in OUTPUT_COLUMNS:
        out[column] = texts[column]
    return out


class _Rows(NamedTuple):
    """The arrays :func:`kernel` reads per row (as :func:`check` passes them)."""

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    located: npt.NDArray[np.bool_]
    prec: npt.NDArray[np.float64]


def _in_pieces(
    rows: _Rows,
    segment: pd.Series,
    areas: gpd.GeoDataFrame,
    chain: pd.DataFrame,
    progress: Callable[[int, int], object],
) -> dict[str, Any]:
    """Return :func:`kernel`'s columns computed piece by piece, reporting to ``progress``.

    The pieces' columns are joined as if computed at once: a text column's categories are
    its texts in order of first appearance (:func:`zoning._situations.categorical`), and
    joining the pieces' categories in piece order keeps exactly that order.
    """
    n = len(segment)
    step = max(int(settings.check_chunk_rows), 1)
    progress(0, n)
    pieces: list[dict[str, Any]] = []
    for start in range(0, max(n, 1), step):  # an empty table is one (empty) piece
        cut = slice(start, min(start + step, n))
        r = _Rows(rows.lon[cut], rows.lat[cut], rows.located[cut], rows.prec[cut])
        pieces.append(kernel(*r, segment.iloc[cut], areas, chain).columns)
        if n:
            progress(cut.stop, n)
    if len(pieces) == 1:
        return pieces[0]
    joined: dict[str, Any] = {}
    for column, first in pieces[0].items():
        parts = [p[column] for p in pieces]
        joined[column] = (
            union_categoricals(parts, sort_categories=False)
            if isinstance(first, pd.Categorical)
            else np.concatenate(parts)
        )
    return joined


class Checked(NamedTuple):
    """What :func:`kernel` returns: the added columns and the area membership matrix."""

    columns: dict[str, Any]  # OUTPUT_COLUMNS -> column values, in the rows' order
    inside: npt.NDArray[np.bool_]  # (areas, rows): the areas holding each point


def kernel(  # noqa: PLR0917  (the arrays of one table)
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    located: npt.NDArray[np.bool_],
    prec: npt.NDArray[np.float64],
    segment: pd.Series,
    areas: gpd.GeoDataFrame,
    chain: pd.DataFrame,
) -> Checked:
    """Return :func:`check`'s columns for rows given as plain arrays.

    The one implementation of the check: :func:`check` calls it on a table's coordinates,
    and :mod:`zoning.stream` on each partition of a dataset too big for memory (points as
    lon/lat arrays, never shapely objects), so both give the same verdicts. ``lon``/``lat``
    are WGS 84 (NaN where not ``located``), ``prec`` metres (0 for none), ``segment`` the
    chain keys; ``areas`` and ``chain`` as :func:`check` loads them.
    """
    shapes = areas.geometry.to_numpy()
    inside, near = locate(lon, lat, prec, shapes, working_shapes(areas))
    inside_kn, near_kn = inside.T, near.T  # (areas, rows): contiguous per area
    area_keys = [str(k) for k in areas.index]
    designation = area_designation(areas)
    desig = designations(segment, chain.index, designation, area_keys)

    # The rule, once per situation; then the rows it leaves open are measured.
    s = situations(inside_kn, near_kn, located, desig)
    decided = _rule(s)
    verdict = decided.verdict[s.codes]
    at_point = decided.at_point[s.codes]
    regions = regions_of(shapes)
    points = (lon, lat, prec)
    _settle_open(verdict, decided.open[s.codes], desig.row_set, desig.keys, points, regions)
    uncertain = verdict == UNCERTAIN

    # The boundaries each uncertain row's reason names.
    maybe = ((decided.verdict == UNCERTAIN) | (decided.open != SETTLED)) & s.present
    named = named_edges(s, maybe, uncertain, near_kn, desig, points, regions)

    texts = reason_columns(
        verdict,
        at_point,
        desig,
        AreaSets(s.codes, s.inside),
        named,
        prec,
        verdicts=VERDICTS,
        areas=areas,
        chain=chain,
        designation=designation,
    )
    categories = pd.Index(list(VERDICTS))
    columns: dict[str, Any] = {
        "verdict": pd.Categorical.from_codes(verdict, categories=categories),
        "verdict_at_point": pd.Categorical.from_codes(at_point, categories=categories),
    }
    for column in OUTPUT_COLUMNS[2:]:
        columns[column] = texts[column]
    return Checked(columns, inside_kn)


class _Decided(NamedTuple):
    """The rule's answer per situation."""

    verdict: npt.NDArray[np.int8]  # the verdict (the verdict at the point where open)
    at_point: npt.NDArray[np.int8]  # the verdict at the given point, ignoring precision
    open: npt.NDArray[np.int8]  # SETTLED, or the boundary that decides (MEASURE_*)


def _rule(s: Situations) -> _Decided:
    """Apply the plan's rule to each situation (the verdicts are defined at the top).

    Each array holds one value per situation; read ``a & b`` as "where a and b". The
    precision circle *meets* an area when the point is in it or its boundary is within
    the precision; ``U`` is the union of the areas designated for the segment, ``All``
    the union of every area.
    """
    in_designated_area = (s.inside & s.designated).any(axis=0)
    in_some_area = s.inside.any(axis=0)
    meets = s.inside | s.near
    designated_met = (meets & s.designated).sum(axis=0)
    areas_met = meets.sum(axis=0)
    a_boundary_in_reach = s.near.any(axis=0)
    designated_boundary_in_reach = (s.near & s.designated).any(axis=0)

    # The verdict at the given point, first condition first: no usable point; the
    # segment has no designated area (set 0: also a key not in the chain); inside a
    # designated area; inside another area; else outside every area.
    at_point = np.select(
        [~s.located, s.dset == 0, in_designated_area, in_some_area],
        [UNLOCATED, UNASSIGNED, CONFORMING, MISPLACED],
        default=OUTSIDE,
    )
    conforming = at_point == CONFORMING
    misplaced = at_point == MISPLACED
    outside = at_point == OUTSIDE

    # Uncertain: the circle reaches a place where another verdict holds. A circle that
    # reaches no boundary lies wholly in one place and stays certain. Otherwise:
    # - conforming: the circle leaves U. If it meets one designated area, U's boundary
    #   in the circle is that area's own; if more, U's boundary is measured.
    # - misplaced: the circle reaches U (it meets a designated area), or leaves All: it
    #   meets only the area it is in, whose boundary it reaches, with no area beyond.
    #   If it meets several areas, none designated, All's boundary is measured.
    # - outside: the circle reaches an area.
    crosses = a_boundary_in_reach & (
        (conforming & (designated_met == 1) & designated_boundary_in_reach)
        | (misplaced & ((designated_met > 0) | (areas_met == 1)))
        | outside
    )
    open_ = np.select(
        [
            a_boundary_in_reach & conforming & (designated_met > 1),
            a_boundary_in_reach & misplaced & (designated_met == 0) & (areas_met > 1),
        ],
        [MEASURE_DESIGNATED, MEASURE_ALL],
        default=SETTLED,
    )
    verdict = np.where(crosses, UNCERTAIN, at_point)
    # One byte per situation, so the rows' columns gathered from them are small too.
    return _Decided(verdict.astype(np.int8), at_point.astype(np.int8), open_.astype(np.int8))


def _settle_open(  # noqa: PLR0917  (private: the arrays of one call)
    verdict: npt.NDArray[np.int8],
    open_: npt.NDArray[np.int8],
    row_set: npt.NDArray[Any],
    keys: list[tuple[int, ...]],
    points: Points,
    regions: Regions,
) -> None:
    """Make uncertain the open rows whose deciding boundary lies within their precision.

    ``open_`` is each row's :data:`SETTLED` or ``MEASURE_*``; ``verdict`` is updated.
    """
    rows = np.flatnonzero(open_)
    which = open_[rows]
    for d in np.unique(row_set[rows]).tolist():
        for boundary in (MEASURE_ALL, MEASURE_DESIGNATED):
            r = rows[(row_set[rows] == d) & (which == boundary)]
            if len(r):
                lines = (
                    regions.all_edge()
                    if boundary == MEASURE_ALL
                    else regions.designated_edge(keys[d])
                )
                verdict[r[lines.within(*(p[r] for p in points))]] = UNCERTAIN


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
