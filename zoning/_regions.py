"""The lines between verdicts: boundaries derived from one set of areas.

A precision circle makes a row uncertain when it reaches a place where another verdict
holds, i.e. when it crosses the boundary of ``U`` (the union of the areas designated for
the row's segment: around "conforming") or of ``All`` (the union of every area: around
"not outside"). Per-area flags settle most rows (:func:`zoning.check._rule`); this module
builds those unions' boundaries for the rest, and for each area the part of its boundary
where the verdict changes, so that an uncertain row's reason names only the boundaries
that matter (:func:`named_edges`).

Everything is built in WGS 84 from the areas' own vertices snapped to :data:`GRID_DEG`
and measured in EPSG:4548, once per set of areas (:data:`zoning._cache.REGIONS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely

from zoning import _cache
from zoning._locate import Lines
from zoning._situations import AreaSets, Designations, Situations

__all__ = ["GRID_DEG", "Regions", "named_edges", "regions_of"]

# Overlays of the areas are snapped to this grid (degrees, about 0.1 mm): an edge two
# areas share then cancels exactly in their union instead of leaving a sliver whose
# outline would count as a boundary.
GRID_DEG: Final = 1e-9
# Measure the neutral part of a boundary first when at most this share of the rows can
# reach it (its bounding box): then few rows are measured twice.
_NEUTRAL_FIRST_SHARE: Final = 0.25

Points = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def regions_of(shapes_wgs84: npt.NDArray[np.object_]) -> Regions:
    """Return the regions of one set of areas, kept per distinct geometries (their WKB).

    The app and the benchmarks check many tables against the same few areas; a redrawn
    area simply gets a new entry.
    """
    wkb = tuple(shapely.to_wkb(shapes_wgs84).tolist())
    regions: Regions = _cache.REGIONS.get(wkb, lambda: Regions(wkb))
    return regions


class Regions:
    """Boundaries derived from one set of areas, each built on first use and kept.

    Designation sets are tuples of area positions.
    """

    def __init__(self, areas_wkb: tuple[bytes | None, ...]) -> None:
        shapes = [shapely.from_wkb(w) if w is not None else None for w in areas_wkb]
        self.shapes = [
            shapely.Polygon() if g is None or g.is_empty else shapely.set_precision(g, GRID_DEG)
            for g in shapes
        ]
        self.all = shapely.union_all(self.shapes, grid_size=GRID_DEG)
        self._lines: dict[object, Lines] = {}
        self._unions: dict[tuple[int, ...], shapely.Geometry] = {}

    def _union(self, d: tuple[int, ...]) -> shapely.Geometry:
        if d not in self._unions:
            self._unions[d] = shapely.union_all([self.shapes[j] for j in d], grid_size=GRID_DEG)
        return self._unions[d]

    def _get(self, key: object, build: Callable[[], shapely.Geometry]) -> Lines:
        if key not in self._lines:
            self._lines[key] = Lines(build())
        return self._lines[key]

    def all_edge(self) -> Lines:
        """Return the boundary of the union of all areas (around everything not "outside")."""
        return self._get("all", lambda: shapely.boundary(self.all))

    def designated_edge(self, d: tuple[int, ...]) -> Lines:
        """Return the boundary of the union ``U`` of the areas ``d`` (around "conforming")."""
        return self._get(("designated", d), lambda: shapely.boundary(self._union(d)))

    def changing(self, d: tuple[int, ...], j: int) -> tuple[Lines, Lines]:
        """Split area ``j``'s boundary, for designation ``d``, where the verdict changes.

        Returns ``(changes, neutral)``: where the boundary runs along the boundary of
        ``U`` or of the union of all areas the verdict changes across it; elsewhere it
        lies inside a region of one verdict. Isolated crossing points are dropped: a
        circle through one only touches the other boundary there.
        """
        key = ("changing", d, j)
        if key not in self._lines:
            changes = shapely.union(
                shapely.boundary(self._union(d)), shapely.boundary(self.all), grid_size=GRID_DEG
            )
            edge = shapely.boundary(self.shapes[j])
            self._lines[key] = Lines(
                _linear(shapely.intersection(edge, changes, grid_size=GRID_DEG))
            )
            self._lines[("neutral", d, j)] = Lines(
                _linear(shapely.difference(edge, changes, grid_size=GRID_DEG))
            )
        return self._lines[key], self._lines[("neutral", d, j)]


def _linear(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return the line parts of an overlay result (dropping points) as one multi-line."""
    parts = shapely.get_parts(geometry)
    lines = shapely.get_parts(parts[shapely.get_dimensions(parts) == 1])
    return shapely.multilinestrings(lines)


def named_edges(  # noqa: PLR0917  (private: the arrays of one call)
    s: Situations,
    maybe: npt.NDArray[np.bool_],
    uncertain: npt.NDArray[np.bool_],
    near_kn: npt.NDArray[np.bool_],
    desig: Designations,
    points: Points,
    regions: Regions,
) -> AreaSets:
    """Return the area boundaries each uncertain row's reason names (none on other rows).

    ``maybe`` marks the situations whose rows are, or may turn out, uncertain;
    ``uncertain`` the rows that are; ``near_kn`` is (areas, rows) and ``points`` the
    rows' (lon, lat, precision_m). Boundaries are named per situation
    (:func:`_situation_edges`) and, where the situation cannot tell, measured per row
    (:func:`_measure_edges`). Set 0 of the result names none.
    """
    edges, to_measure = _situation_edges(s, maybe, desig.keys, regions)
    rows = np.flatnonzero(to_measure[s.codes] & uncertain)
    measured = _measure_edges(
        near_kn[:, rows], desig.row_set[rows], desig.keys, tuple(p[rows] for p in points), regions
    )
    k, m = edges.shape
    row = np.where(uncertain, s.codes.astype(np.int32) + 1, np.int32(0))
    row[rows] = 1 + m + np.arange(len(rows), dtype=np.int32)
    none = np.zeros((k, 1), dtype=bool)
    return AreaSets(row, np.concatenate([none, edges, measured], axis=1))


def _situation_edges(
    s: Situations,
    maybe: npt.NDArray[np.bool_],
    keys: list[tuple[int, ...]],
    regions: Regions,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Return, per situation, the area boundaries an uncertain row's reason names.

    The edges named are those of the areas whose boundary *inside the circle* separates
    two verdicts, i.e. runs along the boundary of ``U`` or of ``All``: a boundary inside
    another area of the same verdict (two non-designated areas sharing an edge, or an
    edge of one designated area inside another) is not named. With one area met, its
    boundary is the only one in the circle; with more, each area's boundary is split per
    designation set into the part that changes the verdict and the part that does not
    (:meth:`Regions.changing`).

    Parameters
    ----------
    s : Situations
        The situations.
    maybe : ndarray of bool
        Situations whose rows are, or may turn out, uncertain.
    keys : list of tuple
        Area positions of each designation set.
    regions : Regions
        The derived boundaries.

    Returns
    -------
    edges : ndarray of bool
        (areas, situations): the boundaries named.
    measure : ndarray of bool
        Per situation: which of those boundaries to name depends on where in the circle
        each row is, so uncertain rows of it are measured (:func:`_measure_edges`).
    """
    areas_met = (s.inside | s.near).sum(axis=0)
    edges = s.near & maybe[None, :]
    measure = np.zeros(len(maybe), dtype=bool)
    for c in np.flatnonzero(maybe & (areas_met > 1)).tolist():
        for j in np.flatnonzero(s.near[:, c]).tolist():
            changes, neutral = regions.changing(keys[int(s.dset[c])], j)
            if changes.empty:
                edges[j, c] = False
            elif not neutral.empty:
                measure[c] = True
    return edges, measure


def _measure_edges(
    near_kn: npt.NDArray[np.bool_],
    row_set: npt.NDArray[Any],
    keys: list[tuple[int, ...]],
    points: tuple[npt.NDArray[np.float64], ...],
    regions: Regions,
) -> npt.NDArray[np.bool_]:
    """Return the boundaries named for rows whose situation could not tell (see above).

    ``near_kn`` is (areas, rows), ``row_set`` each row's designation set and ``points``
    their (lon, lat, precision_m). Returns (areas, rows).
    """
    k, n = near_kn.shape
    named = np.zeros((k, n), dtype=bool)
    for d in np.unique(row_set).tolist():
        of_d = row_set == d
        for j in range(k):
            rj = np.flatnonzero(of_d & near_kn[j])
            if len(rj):
                named[j, rj] = _named(regions.changing(keys[d], j), tuple(p[rj] for p in points))
    # Rounding (areas are snapped to 1e-9 degrees) must never leave an uncertain row
    # naming no edge: then every boundary the circle reaches is named.
    bare = ~named.any(axis=0)
    named[:, bare] = near_kn[:, bare]
    return named


def _named(
    pieces: tuple[Lines, Lines], points: tuple[npt.NDArray[np.float64], ...]
) -> npt.NDArray[np.bool_]:
    """Return whether the verdict-changing part of a boundary is near each point.

    ``points`` are (lon, lat, precision) of rows whose circle reaches the boundary, so
    where the neutral part is out of reach the changing part is in reach. When few rows
    can reach the neutral part (usually a short piece), it is measured first and the
    changing part only for those rows; otherwise the changing part is measured.
    """
    changes, neutral = pieces
    if neutral.empty:
        return np.ones(len(points[0]), dtype=bool)
    if changes.empty:
        return np.zeros(len(points[0]), dtype=bool)
    if neutral.reach(*points).mean() > _NEUTRAL_FIRST_SHARE:
        return changes.within(*points)
    named = ~neutral.within(*points)
    r = np.flatnonzero(~named)
    named[r] = changes.within(*(p[r] for p in points))
    return named
