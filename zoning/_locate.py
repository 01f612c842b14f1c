"""Point-in-area and near-boundary tests for many points against a few large polygons.

Two answers per (point, area): is the point inside (boundary included), and is the area's
boundary within the point's precision radius. Both are exact; the speed comes from where
the exact test is run:

- Containment is decided in WGS 84 on the raw lon/lat arrays, because the polygons'
  vertices are stored in WGS 84 and "on the boundary" is defined on those vertices
  (``shapely.intersects_xy`` on a prepared polygon: the boundary counts as inside).
- Boundary distances are metric: points are projected to EPSG:4548 with one vectorised
  pyproj call (no shapely Point per row) and compared with a KD-tree of the boundary's
  vertices densified to 50 m, which bounds the true distance to within 25 m; only the
  points within 25 m of their own threshold get the exact ``shapely.dwithin`` against the
  prepared boundary. Points with no precision are never measured.
- For many points, a lattice of cells over each area is measured once: each cell gets
  bounds on the distance from any of its points to the boundary (from its centre's
  distance and its half-diagonal, in metres). A cell clear of the boundary lies wholly
  inside or wholly outside, so its points are answered by an array lookup; a point whose
  precision is clearly below or above its cell's distance bounds is settled the same
  way. Cells where many points stay undecided are split 8 x 8 and measured again. The
  points still undecided are projected and bounded by their own distance from the
  measured (sub-)cell centre instead of its half-diagonal. Only the remaining points get
  the exact tests, so the result equals the direct test (tests prove it, including the
  refinement) at the cost of a few array operations per point. A measured lattice (and
  its measured sub-cells) depends only on the area, the largest precision and the lattice
  size, so the last few are kept with the area's boundary for later calls (see
  :mod:`zoning._cache` for what is kept, on which key, and how much).
"""

from __future__ import annotations

import threading
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from zoning import _cache, settings
from zoning._common import BoolArray, FloatArray, to_working_geometry, to_working_xy

__all__ = ["Lines", "boundary_of", "locate"]

# Below this many points the direct prepared predicates beat building a lattice (measured
# crossover: 3,000-5,000 points on the shipped areas).
GRID_MIN_POINTS: Final = 5000


# For lines tested on rows near area boundaries (see :class:`Lines`) the lattice wins
# from fewer points (measured on the shipped areas: 1,000 points slower, 2,700 faster).
_LINES_GRID_MIN: Final = 2000
# Lattice size per area: sqrt(n) / 8 cells a side, between 32 and 128. Measuring a cell
# costs about as much as testing a point, so the lattice grows with the number of points
# (measured fastest on the shipped areas with 3e4-1e6 synthetic firms; every size gives
# identical answers, only the speed differs).
_GRID_MIN_CELLS: Final = 32
_GRID_MAX_CELLS: Final = 128
# KD-tree queries use several threads (:func:`zoning.settings.locate_thread_count`) from
# this many points on: below it, starting the threads (~1 ms) costs more than they save.
_PARALLEL_MIN: Final = 20_000
# Crowded cells are split into this many sub-cells per side.
_SUB: Final = 8
# Boundary vertices for the KD-tree distance filter are at most this far apart.
_STEP_M: Final = 50.0
# Vertices per KD-tree leaf. The queries come from kilometres away, where many vertices
# are almost equally near and small leaves mean many nodes visited: on the shipped areas
# 64 answered the lattice's queries about 20 % faster than scipy's default of 16 (4 and
# 256 were slower still). Only the speed changes: the nearest vertex is the same.
_LEAF: Final = 64
# A straight edge in WGS 84 and the same edge in EPSG:4548 differ by far less than this;
# cells within it of the boundary always get the exact containment test.
_MARGIN_M: Final = 5.0
# Lower bounds of the metres in a degree, used only to widen the lattice beyond an area's
# bounding box: a parallel's degree is at least 111.3 km x cos(latitude) on the WGS 84
# ellipsoid and a meridian's at least 110.5 km; 1 % less is always wide enough.
_M_PER_DEG_EQUATOR: Final = 111_320.0 * 0.99
_M_PER_DEG_LAT: Final = 110_570.0 * 0.99


def locate(
    lon: FloatArray,
    lat: FloatArray,
    precision_m: FloatArray,
    shapes_wgs84: npt.NDArray[np.object_],
    shapes_working: npt.NDArray[np.object_],
    *,
    use_grid: bool | None = None,
) -> tuple[BoolArray, BoolArray]:
    """Return ``inside`` and ``near`` boolean matrices of shape (n points, k areas).

    Parameters
    ----------
    lon, lat : ndarray
        WGS 84 degrees; NaN rows are neither inside nor near anything.
    precision_m : ndarray
        Radius of each point's location uncertainty in metres (0 or NaN: exact).
    shapes_wgs84, shapes_working : ndarray of shapely geometries
        The same areas in WGS 84 and in EPSG:4548.
    use_grid : bool, optional
        Force the lattice on or off (default: on from :data:`GRID_MIN_POINTS` points).

    Returns
    -------
    inside, near : ndarray of bool
        ``inside[i, j]``: point i intersects area j (on the boundary counts as inside).
        ``near[i, j]``: ``precision_m[i] > 0`` and area j's boundary is within
        ``precision_m[i]`` of point i (distance <= precision: a touching circle counts).
    """
    n, k = len(lon), len(shapes_wgs84)
    prec = np.where(np.isfinite(precision_m) & (precision_m > 0), precision_m, 0.0)
    located = np.isfinite(lon) & np.isfinite(lat)
    if use_grid is None:
        use_grid = n >= GRID_MIN_POINTS
    # One contiguous row per area: per-area writes and the callers' reductions over areas
    # run on contiguous memory; the (n, k) views returned are transposes.
    inside = np.zeros((k, n), dtype=bool)
    near = np.zeros((k, n), dtype=bool)
    for j in range(k):
        shape = shapes_wgs84[j]
        if shape is None or shape.is_empty:
            continue
        shapely.prepare(shape)
        boundary = boundary_of(shapely.to_wkb(shapes_working[j]))
        if use_grid:
            _with_lattice(lon, lat, located, prec, shape, boundary, out=(inside[j], near[j]))
        else:
            idx = np.flatnonzero(located)
            inside[j, idx] = shapely.intersects_xy(shape, lon[idx], lat[idx])
            idx = np.flatnonzero(located & (prec > 0))
            if len(idx):
                x, y = to_working_xy(lon[idx], lat[idx])
                near[j, idx] = boundary.within(x, y, prec[idx])
    return inside.T, near.T


def boundary_of(area_wkb: bytes) -> _Boundary:
    """Return the measured boundary of an area (WKB in EPSG:4548), kept per geometry.

    The app and the benchmarks check many tables against the same few areas; keyed on the
    geometry's WKB (:data:`zoning._cache.BOUNDARIES`), a redrawn area gets a new entry.
    """
    boundary: _Boundary = _cache.BOUNDARIES.get(
        area_wkb, lambda: _Boundary(shapely.boundary(shapely.from_wkb(area_wkb)))
    )
    return boundary


class Lines:
    """Lines (a boundary, or a piece of one) for "within the precision radius" tests.

    Built once from WGS 84 lines (densified, then projected to EPSG:4548, like the
    areas); :meth:`within` answers exactly as :func:`locate`'s ``near`` does.
    """

    def __init__(self, lines_wgs84: BaseGeometry) -> None:
        self.empty = bool(lines_wgs84 is None or lines_wgs84.is_empty)
        self.wgs84 = lines_wgs84
        if self.empty:
            return
        self.boundary = _Boundary(to_working_geometry(lines_wgs84))

    def within(
        self,
        lon: FloatArray,
        lat: FloatArray,
        precision_m: FloatArray,
        *,
        use_grid: bool | None = None,
    ) -> BoolArray:
        """Return ``precision_m > 0`` and the lines within ``precision_m`` of each point.

        ``lon``, ``lat`` are WGS 84 degrees (NaN: never near); ``use_grid`` as for
        :func:`locate`.
        """
        n = len(lon)
        near = np.zeros(n, dtype=bool)
        prec = np.where(np.isfinite(precision_m) & (precision_m > 0), precision_m, 0.0)
        if self.empty or n == 0:
            return near
        idx = np.flatnonzero(self.reach(lon, lat, prec))
        if len(idx) == 0:
            return near
        if use_grid if use_grid is not None else len(idx) >= _LINES_GRID_MIN:
            sub = np.zeros(len(idx), dtype=bool)
            _with_lattice(
                lon[idx],
                lat[idx],
                np.ones(len(idx), dtype=bool),
                prec[idx],
                self.wgs84,
                self.boundary,
                out=(None, sub),
            )
            near[idx] = sub
        else:
            x, y = to_working_xy(lon[idx], lat[idx])
            near[idx] = self.boundary.within(x, y, prec[idx])
        return near

    def reach(self, lon: FloatArray, lat: FloatArray, precision_m: FloatArray) -> BoolArray:
        """Return where the lines' bounding box is within ``precision_m`` (> 0) of a point.

        The lines lie in their box, so elsewhere they are not near: a cheap upper bound,
        taken in degrees (no projection) with the fewest metres a degree can have.
        """
        if self.empty:
            return np.zeros(len(lon), dtype=bool)
        minx, miny, maxx, maxy = self.wgs84.bounds
        with np.errstate(invalid="ignore"):
            # The margin covers the projected chords' millimetre departure from the box.
            reach_m = precision_m + _MARGIN_M
            dlat = reach_m / _M_PER_DEG_LAT
            widest = np.minimum(np.maximum(np.abs(lat), max(abs(miny), abs(maxy))) + dlat, 89.0)
            dlon = reach_m / (_M_PER_DEG_EQUATOR * np.cos(np.radians(widest)))
            return np.asarray(
                (precision_m > 0)
                & (lon >= minx - dlon)
                & (lon <= maxx + dlon)
                & (lat >= miny - dlat)
                & (lat <= maxy + dlat)
            )


class _Boundary:
    """Lines in EPSG:4548 (an area's boundary) with a KD-tree of their densified vertices.

    The vertices are at most ``_STEP_M`` apart, so the nearest vertex is never nearer
    than the lines and at most half a step farther: ``dv - step / 2 <= d <= dv``.
    """

    def __init__(self, line_working: BaseGeometry) -> None:
        self.line = line_working
        verts = shapely.get_coordinates(shapely.segmentize(self.line, _STEP_M))
        self.tree = cKDTree(verts, leafsize=_LEAF)
        self.half = _STEP_M / 2
        # Lattices measured against these lines (see :func:`_measure`).
        self.lattices: _cache.Cache[tuple[object, ...], _Lattice] = _cache.Cache(
            _cache.LATTICES_PER_BOUNDARY
        )

    def vertex_distance(self, x: FloatArray, y: FloatArray, bound: float) -> FloatArray:
        """Distance to the nearest vertex (inf beyond ``bound``)."""
        # Threads pay off only for large batches: starting them costs milliseconds. The
        # setting is read per query, so a Dask worker that sets 1 gets one thread.
        workers = settings.locate_thread_count() if len(x) >= _PARALLEL_MIN else 1
        dv, _ = self.tree.query(
            np.column_stack([x, y]), k=1, distance_upper_bound=bound, workers=workers
        )
        return np.asarray(dv, dtype=np.float64)

    def within(self, x: FloatArray, y: FloatArray, dist: FloatArray) -> BoolArray:
        """Return ``distance(point, boundary) <= dist`` exactly."""
        if len(x) == 0:
            return np.zeros(0, dtype=bool)
        dv = self.vertex_distance(x, y, float(dist.max()) + self.half)
        near = dv <= dist
        unsure = np.flatnonzero(~near & (dv - self.half <= dist))
        if len(unsure):
            shapely.prepare(self.line)
            near[unsure] = shapely.dwithin(
                self.line, shapely.points(x[unsure], y[unsure]), dist[unsure]
            )
        return near


class _SubCells:
    """The measured sub-cells of a lattice's crowded cells, filled in as cells crowd.

    ``slot[c]`` is the row of cell ``c`` in ``cx``, ``cy``, ``dv`` (``_SUB * _SUB``
    sub-cell centres in EPSG:4548 and their vertex distances), or -1 if not measured yet.
    A sub-cell's measure depends only on the lattice, so it is the same in every call.
    """

    def __init__(self, n_cells: int) -> None:
        self.slot = np.full(n_cells, -1, dtype=np.int64)
        self.cx = np.zeros((0, _SUB * _SUB))
        self.cy = np.zeros((0, _SUB * _SUB))
        self.dv = np.zeros((0, _SUB * _SUB))
        self._lock = threading.Lock()

    def add(
        self, cells: npt.NDArray[np.intp], cx: FloatArray, cy: FloatArray, dv: FloatArray
    ) -> None:
        """Keep the measured sub-cells of ``cells`` (``_SUB * _SUB`` values per cell)."""
        shape = (len(cells), _SUB * _SUB)
        with self._lock:
            # Another thread may have measured some of the cells meanwhile; the arrays
            # grow before ``slot`` points into them, so readers never see a bad slot.
            fresh = self.slot[cells] < 0
            start = len(self.cx)
            self.cx = np.concatenate([self.cx, cx.reshape(shape)[fresh]])
            self.cy = np.concatenate([self.cy, cy.reshape(shape)[fresh]])
            self.dv = np.concatenate([self.dv, dv.reshape(shape)[fresh]])
            self.slot[cells[fresh]] = start + np.arange(int(fresh.sum()))


class _Lattice(NamedTuple):
    """A lattice of degree cells over one area with distance bounds per cell.

    Every point of cell ``c`` is between ``lo[c]`` and ``hi[c]`` metres from the boundary.
    ``cx``, ``cy`` are the cell centres in EPSG:4548 and ``dv`` their vertex distances.
    """

    minx: float
    miny: float
    cell: float
    nx: int
    ny: int
    radius: FloatArray
    reach: float
    lo: FloatArray
    hi: FloatArray
    clear: BoolArray
    inside: BoolArray
    cx: FloatArray
    cy: FloatArray
    dv: FloatArray
    sub: _SubCells


def _measure(
    shape: BaseGeometry,
    boundary: _Boundary,
    max_prec: float,
    n_points: int,
    *,
    with_inside: bool = True,
) -> _Lattice:
    """Return the measured lattice of one area (or lines: ``with_inside=False``).

    A lattice depends only on the shape, its boundary, the largest precision and the
    lattice size, so the last few are kept on ``boundary``: tables checked again against
    the same areas reuse them instead of measuring every cell again.
    """
    cells = int(np.clip(np.sqrt(n_points) / 8, _GRID_MIN_CELLS, _GRID_MAX_CELLS))
    key = (shapely.to_wkb(shape), max_prec, cells, with_inside)
    return boundary.lattices.get(
        key, lambda: _build_lattice(shape, boundary, max_prec, cells, with_inside=with_inside)
    )


def _build_lattice(
    shape: BaseGeometry,
    boundary: _Boundary,
    max_prec: float,
    cells: int,
    *,
    with_inside: bool,
) -> _Lattice:
    """Build and measure a lattice of ``cells`` cells a side (see :func:`_measure`)."""
    minx, miny, maxx, maxy = shape.bounds
    # Beyond the bounding box widened by the largest precision nothing is inside or near.
    widest = min(89.0, max(abs(miny), abs(maxy)) + max_prec / _M_PER_DEG_LAT)
    m_per_deg_lon = _M_PER_DEG_EQUATOR * np.cos(np.radians(widest))
    minx -= max_prec / m_per_deg_lon
    maxx += max_prec / m_per_deg_lon
    miny -= max_prec / _M_PER_DEG_LAT
    maxy += max_prec / _M_PER_DEG_LAT
    cell = max(maxx - minx, maxy - miny) / cells
    nx = int(np.ceil((maxx - minx) / cell)) + 1
    ny = int(np.ceil((maxy - miny) / cell)) + 1
    # Project the lattice's corners once; each cell's centre is projected on its own.
    kx, ky = to_working_xy(
        np.repeat(minx + np.arange(nx + 1) * cell, ny + 1),
        np.tile(miny + np.arange(ny + 1) * cell, nx + 1),
    )
    kx = kx.reshape(nx + 1, ny + 1)
    ky = ky.reshape(nx + 1, ny + 1)
    ix, iy = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    x0 = minx + ix.ravel() * cell
    y0 = miny + iy.ravel() * cell
    cx, cy = to_working_xy(x0 + cell / 2, y0 + cell / 2)
    # Half-diagonal of each cell in metres: the farthest corner from its centre, plus 1 %
    # for the slight curvature of a degree cell's edges in the projected plane.
    radius = np.zeros(len(cx))
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        px = kx[dx : dx + nx, dy : dy + ny].ravel()
        py = ky[dx : dx + nx, dy : dy + ny].ravel()
        radius = np.maximum(radius, np.hypot(px - cx, py - cy))
    radius = radius * 1.01 + 1e-6
    reach = max_prec + boundary.half + float(radius.max()) + _MARGIN_M
    dv = boundary.vertex_distance(cx, cy, reach)
    d_lo = dv - boundary.half - radius  # no point of the cell is nearer than this
    d_hi = dv + radius  # nor farther than this
    clear = d_lo > _MARGIN_M
    cell_inside = np.zeros(len(cx), dtype=bool)
    if with_inside:
        idx = np.flatnonzero(clear)
        # A cell clear of the boundary lies wholly on one side: its centre decides.
        cell_inside[idx] = shapely.intersects_xy(shape, x0[idx] + cell / 2, y0[idx] + cell / 2)
    arrays = (radius, d_lo, d_hi, clear, cell_inside, cx, cy, dv)
    for a in arrays:
        a.flags.writeable = False  # kept and shared between calls
    return _Lattice(
        minx,
        miny,
        cell,
        nx,
        ny,
        radius,
        reach,
        d_lo,
        d_hi,
        clear,
        cell_inside,
        cx,
        cy,
        dv,
        _SubCells(nx * ny),
    )


def _with_lattice(  # noqa: PLR0917  (private: the arrays of one call)
    lon: FloatArray,
    lat: FloatArray,
    located: BoolArray,
    prec: FloatArray,
    shape: BaseGeometry,
    boundary: _Boundary,
    *,
    out: tuple[BoolArray | None, BoolArray],
) -> None:
    """Fill ``out = (inside, near)`` (one area's rows) using a lattice.

    With ``inside`` None only ``near`` is answered (``shape`` then only gives the extent).
    """
    inside, near = out
    lat_ = _measure(
        shape, boundary, float(prec.max(initial=0.0)), len(lon), with_inside=inside is not None
    )
    minx, miny, cell, nx, ny = lat_.minx, lat_.miny, lat_.cell, lat_.nx, lat_.ny
    # Cell of each point; unlocated points and points beyond the lattice get cell -1.
    # A point within rounding distance of a cell edge may land in the neighbouring cell:
    # harmless, because every cell's bounds hold for all points within its widened
    # half-diagonal (1 % plus a micrometre beyond its corners).
    with np.errstate(invalid="ignore"):
        fx = np.floor((lon - minx) / cell)
        fy = np.floor((lat - miny) / cell)
    pts = np.flatnonzero(located & (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny))
    cid = fx[pts].astype(np.int64) * ny + fy[pts].astype(np.int64)
    if inside is not None:
        inside[pts] = lat_.inside[cid]
        sub = pts[~lat_.clear[cid]]
        inside[sub] = shapely.intersects_xy(shape, lon[sub], lat[sub])

    p = prec[pts]
    hi = lat_.hi[cid]
    near[pts] = p >= hi  # hi > 0: a cell's half-diagonal is positive
    # Only the points between their cell's bounds are left; the rest are settled above.
    und = np.flatnonzero((p > 0) & (p < hi) & (p >= lat_.lo[cid]))
    if len(und) == 0:
        return
    # Sorted by cell, neighbouring queries walk the same branches of the KD-tree.
    # (Any order within a cell will do: the quickest sort is good enough.)
    und = und[np.argsort(cid[und])]
    ucid, unsure = cid[und], pts[und]
    lo, hi = lat_.lo[ucid], hi[und]
    # Where many points are undecided, measure a finer sub-lattice of those cells: a
    # cell's distance bounds are as wide as the cell, so halving a cell halves the points
    # left to the exact test.
    centre = (lat_.cx[ucid], lat_.cy[ucid], lat_.dv[ucid])
    crowded = np.flatnonzero(np.bincount(ucid, minlength=nx * ny) > _SUB * _SUB)
    if len(crowded):
        _refine(lon[unsure], lat[unsure], ucid, crowded, lat_, boundary, out=(lo, hi, *centre))
    p = prec[unsure]
    near[unsure] = p >= hi
    left = np.flatnonzero((p < hi) & (p >= lo))
    if len(left) == 0:
        return
    unsure, p, lo, hi = unsure[left], p[left], lo[left], hi[left]
    x, y = to_working_xy(lon[unsure], lat[unsure])
    # The points are projected for the exact test anyway: their own distance from the
    # measured (sub-)cell centre bounds their distance to the boundary more tightly than
    # the cell's half-diagonal does (triangle inequality, plus a micrometre of rounding).
    cx, cy, dv = (c[left] for c in centre)
    offset = np.hypot(x - cx, y - cy) + 1e-6
    lo = np.maximum(lo, dv - boundary.half - offset)
    hi = np.minimum(hi, dv + offset)
    near[unsure] = p >= hi
    left = np.flatnonzero((p < hi) & (p >= lo))
    if len(left):
        near[unsure[left]] = boundary.within(x[left], y[left], p[left])


def _refine(  # noqa: PLR0917  (private: the arrays of one call)
    lon: FloatArray,
    lat: FloatArray,
    cid: npt.NDArray[np.int64],
    crowded: npt.NDArray[np.intp],
    lattice: _Lattice,
    boundary: _Boundary,
    *,
    out: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
) -> None:
    """Tighten the distance bounds ``out = (lo, hi, ...)`` of points in crowded cells.

    The rest of ``out`` is each point's measured centre ``(cx, cy, dv)``: for points in
    crowded cells it becomes their sub-cell's.

    Each crowded cell is split into ``_SUB x _SUB`` sub-cells, each measured like a cell.
    The projection is smooth at this scale, so a sub-cell's half-diagonal is its cell's
    (already widened by 1 %) divided by ``_SUB``; a millimetre more absorbs the rounding
    of a point's sub-cell index.
    """
    lo, hi, px, py, pv = out
    minx, miny, cell, ny = lattice.minx, lattice.miny, lattice.cell, lattice.ny
    sub = cell / _SUB
    kept = lattice.sub
    need = crowded[kept.slot[crowded] < 0]
    if len(need):
        # Sub-cells are measured once per lattice and kept with it (see :class:`_SubCells`).
        ix, iy = np.divmod(need.astype(np.int64), ny)
        a, b = np.meshgrid(np.arange(_SUB), np.arange(_SUB), indexing="ij")
        sx = (minx + ix * cell)[:, None] + (a.ravel()[None, :] + 0.5) * sub
        sy = (miny + iy * cell)[:, None] + (b.ravel()[None, :] + 0.5) * sub
        nx_, ny_ = to_working_xy(sx.ravel(), sy.ravel())
        ndv = boundary.vertex_distance(nx_, ny_, lattice.reach)
        kept.add(need, nx_, ny_, ndv)
    at_kept = kept.slot[crowded]
    cx = kept.cx[at_kept].ravel()
    cy = kept.cy[at_kept].ravel()
    dv = kept.dv[at_kept]
    r = (lattice.radius[crowded] / _SUB + 1e-3)[:, None]
    sub_lo = dv - boundary.half - r
    sub_hi = dv + r
    slot = np.full(int(cid.max(initial=0)) + 1, -1, dtype=np.int64)
    slot[crowded[crowded <= cid.max(initial=0)]] = np.arange(len(crowded))[
        crowded <= cid.max(initial=0)
    ]
    k = slot[cid]
    rows = np.flatnonzero(k >= 0)
    ci, cj = np.divmod(cid[rows], ny)
    fa = np.clip(np.floor((lon[rows] - (minx + ci * cell)) / sub), 0, _SUB - 1).astype(np.int64)
    fb = np.clip(np.floor((lat[rows] - (miny + cj * cell)) / sub), 0, _SUB - 1).astype(np.int64)
    j = fa * _SUB + fb
    lo[rows] = np.maximum(lo[rows], sub_lo[k[rows], j])
    hi[rows] = np.minimum(hi[rows], sub_hi[k[rows], j])
    at = k[rows] * (_SUB * _SUB) + j
    px[rows], py[rows], pv[rows] = cx[at], cy[at], dv.ravel()[at]
