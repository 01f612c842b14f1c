"""Seeded, clearly-marked synthetic enterprises for demos, tests and benchmarks.

The generator spreads firms around the real parks (centres estimated in the facts file,
§2b) the way the plan intends, with the disorder real data has: most firms sit in the area
designated for their segment, some at a park of another area, a few anywhere in the city's
extent. Every row says ``synthetic = True``, ``source = "synthetic"`` and
``location_basis = "synthetic"``, so generated rows can never pass for real ones.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj

from geo.crs import WGS84, WORKING
from layers.enterprises import ENTERPRISE_COLUMNS, mark_validated

__all__ = ["AREA_OF_PARK", "PARKS", "SEGMENT_WEIGHTS", "SHARES", "synthetic_enterprises"]

PARKS: Final[tuple[tuple[str, float, float, str], ...]] = (
    # (park name_zh, lon, lat, agglomeration area key); EST. centres from facts §2b.
    ("南昌经开区", 115.84, 28.76, "battery"),
    ("新建经开区", 115.80, 28.70, "battery"),
    ("小蓝经开区", 115.94, 28.56, "materials"),
    ("安义工业园区", 115.55, 28.84, "materials"),
    ("进贤经开区", 116.25, 28.37, "materials"),
    ("南昌高新区", 116.00, 28.69, "control"),
    ("青山湖高新技术产业园区", 115.95, 28.71, "control"),
)
"""Park name, estimated centre (WGS 84) and the agglomeration area it belongs to."""

AREA_OF_PARK: Final[dict[str, str]] = {name: area for name, _, _, area in PARKS}

# Within an area, how firms divide between its parks. The real materials firms found so far
# are all in 小蓝 (none in 安义 or 进贤, facts §5), so 小蓝 gets most of them.
_PARK_WEIGHT: Final[dict[str, float]] = {
    "南昌经开区": 0.55,
    "新建经开区": 0.45,
    "小蓝经开区": 0.6,
    "安义工业园区": 0.2,
    "进贤经开区": 0.2,
    "南昌高新区": 0.6,
    "青山湖高新技术产业园区": 0.4,
}

# segment -> (relative frequency, designated area or "" for none, capacity unit, median
# capacity). Frequencies follow a chain's usual shape: many small suppliers, fewer cell
# makers; units follow how each segment reports capacity in the shipped data.
SEGMENT_WEIGHTS: Final[dict[str, tuple[float, str, str, float]]] = {
    "cathode": (6, "materials", "t/yr", 20_000),
    "anode": (5, "materials", "t/yr", 20_000),
    "electrolyte": (4, "materials", "t/yr", 20_000),
    "separator": (3, "materials", "", np.nan),
    "copper_foil": (3, "materials", "t/yr", 20_000),
    "aluminium_foil": (2, "materials", "t/yr", 20_000),
    "lithium_salt": (2, "materials", "t/yr", 10_000),
    "sodium_salt": (1, "materials", "t/yr", 10_000),
    "structural_parts": (5, "materials", "", np.nan),
    "li_ion_cell": (8, "battery", "GWh", 5),
    "na_ion_cell": (3, "battery", "GWh", 2),
    "battery_pack": (8, "battery", "GWh", 2),
    "pv_cell": (4, "", "GW", 3),
    "sensor": (5, "control", "", np.nan),
    "bms_chip": (4, "control", "", np.nan),
    "power_semiconductor": (3, "control", "", np.nan),
    "pcs": (5, "control", "GW", 2),
    "storage_integration": (6, "control", "GWh", 2),
    "pv_storage_integration": (3, "control", "GWh", 1),
    "equipment": (8, "control", "", np.nan),
    "ev": (3, "", "", np.nan),
    "recycling": (3, "", "t/yr", 20_000),
}
"""Segment -> (relative weight, designated area, capacity unit, median capacity)."""

SHARES: Final[dict[str, float]] = {"home": 0.80, "misplaced": 0.15, "scattered": 0.05}
"""Where firms are put: a park of their own area, a park of another area, anywhere."""

_PRECISE_SHARE: Final = 0.2
# Spread of firms around a park centre, metres per axis: about 95 % within 3.5 km, the
# size of the parks' estimated uncertainty (±3-5 km, facts §2b).
_SPREAD_M: Final = 1500.0
# Nanchang's extent (facts §4, EST.), for the scattered share.
_EXTENT: Final = (115.2, 28.1, 116.6, 29.2)
_STATUSES: Final = np.array(["operating", "construction", "planned", "unknown"], dtype=object)
_STATUS_P: Final = (0.6, 0.2, 0.15, 0.05)

_TO_WORKING = pyproj.Transformer.from_crs(WGS84, WORKING, always_xy=True)
_TO_WGS84 = pyproj.Transformer.from_crs(WORKING, WGS84, always_xy=True)


def _park_tables() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Cumulative park probabilities per segment: at home, and misplaced."""
    names = [p[0] for p in PARKS]
    areas = np.array([p[3] for p in PARKS])
    weight = np.array([_PARK_WEIGHT[n] for n in names])
    home = np.empty((len(SEGMENT_WEIGHTS), len(PARKS)))
    away = np.empty_like(home)
    for i, (_, area, _, _) in enumerate(SEGMENT_WEIGHTS.values()):
        own = areas == area
        if not own.any():
            # No designated area (pv_cell, ev, recycling): any park is as good as another.
            own = np.ones(len(PARKS), dtype=bool)
        home[i] = np.where(own, weight, 0.0)
        away[i] = np.where(own, 0.0, 1.0) if not own.all() else np.ones(len(PARKS))
    home /= home.sum(axis=1, keepdims=True)
    away /= away.sum(axis=1, keepdims=True)
    return np.cumsum(home, axis=1), np.cumsum(away, axis=1)


def _pick(cumulative: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Index drawn from each row's cumulative distribution (vectorised inverse CDF)."""
    # Clip guards the last bin against cumsum rounding just below 1.
    idx: npt.NDArray[np.intp] = np.minimum(
        (u[:, None] >= cumulative).sum(axis=1), cumulative.shape[1] - 1
    )
    return idx


def _numbered(prefix: str, n: int) -> pd.Series:
    return prefix + pd.Series(np.arange(1, n + 1)).astype("str").str.zfill(7)


def synthetic_enterprises(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Generate ``n`` synthetic enterprises around Nanchang's parks, deterministically.

    Parameters
    ----------
    n : int
        Number of rows (>= 0).
    seed : int
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same rows.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns and dtypes of :func:`layers.enterprises`, RangeIndex, EPSG:4326.
        ``id`` is ``SYN-0000001``...; ``synthetic`` is True on every row. How they are made:

        - ``segment`` drawn with :data:`SEGMENT_WEIGHTS`;
        - 80 % near a park of the segment's designated area (``park`` names it; segments
          without an area use any park), 15 % near a park of another area, 5 % uniformly
          in Nanchang's extent (``park`` empty). "Near" is a normal spread of 1.5 km per
          axis, drawn in metres in EPSG:4548;
        - ``precision_m``: 20 % precise (50-200 m), the rest park-level (3-5 km); it only
          says how far the point may be trusted, the points are spread the same way;
        - ``status``, ``capacity`` (log-normal around a segment's typical size, NaN where
          the segment has no capacity unit) and ``investment_cny`` (log-normal, median
          ¥500 m).

    Examples
    --------
    >>> firms = synthetic_enterprises(1000, seed=1)
    >>> len(firms), bool(firms.synthetic.all()), firms.id.iloc[0]
    (1000, True, 'SYN-0000001')
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        msg = f"`n` must be a non-negative whole number of rows, got {n!r}"
        raise ValueError(msg)
    n = int(n)
    rng = np.random.default_rng(seed)
    segments = np.array(list(SEGMENT_WEIGHTS), dtype=object)
    weights = np.array([w[0] for w in SEGMENT_WEIGHTS.values()], dtype=float)
    units = np.array([w[2] for w in SEGMENT_WEIGHTS.values()], dtype=object)
    medians = np.array([w[3] for w in SEGMENT_WEIGHTS.values()], dtype=float)

    seg = rng.choice(len(segments), size=n, p=weights / weights.sum())
    mode = rng.random(n)
    home_c, away_c = _park_tables()
    u = rng.random(n)
    park = np.where(mode < SHARES["home"], _pick(home_c[seg], u), _pick(away_c[seg], u)).astype(
        np.intp
    )
    scattered = mode >= SHARES["home"] + SHARES["misplaced"]

    # Spread in metres in the working CRS, never in degrees.
    cx, cy = _TO_WORKING.transform([p[1] for p in PARKS], [p[2] for p in PARKS])
    x = np.asarray(cx)[park] + rng.normal(0.0, _SPREAD_M, n)
    y = np.asarray(cy)[park] + rng.normal(0.0, _SPREAD_M, n)
    lon, lat = _TO_WGS84.transform(x, y)
    lon = np.where(scattered, rng.uniform(_EXTENT[0], _EXTENT[2], n), lon)
    lat = np.where(scattered, rng.uniform(_EXTENT[1], _EXTENT[3], n), lat)

    precise = rng.random(n) < _PRECISE_SHARE
    precision = np.where(precise, rng.uniform(50, 200, n), rng.uniform(3000, 5000, n))
    status = _STATUSES[rng.choice(len(_STATUSES), size=n, p=_STATUS_P)]
    capacity = np.round(medians[seg] * rng.lognormal(0.0, 0.7, n), 1)
    investment = np.round(5e8 * rng.lognormal(0.0, 1.0, n), -6)
    park_names = np.array([p[0] for p in PARKS], dtype=object)

    def text(values: object) -> pd.Series:
        return pd.Series(values, index=pd.RangeIndex(n), dtype="str")

    numbers = _numbered("", n)
    # One shared tuple per segment (as validation lists a settled segment as its only
    # candidate), indexed per row rather than built per row.
    own = np.empty(len(segments), dtype=object)
    for i, key in enumerate(segments):
        own[i] = (str(key),)
    data = {
        "id": text("SYN-" + numbers),
        "name_zh": text("合成企业 " + numbers),
        "name_en": text("Synthetic firm " + numbers),
        "segment": text(segments[seg]),
        "status": text(status),
        "lon": lon,
        "lat": lat,
        "coord_system": text(np.full(n, "wgs84", dtype=object)),
        "precision_m": np.round(precision, -1),
        "park": text(np.where(scattered, "", park_names[park])),
        "capacity": capacity,
        "capacity_unit": text(units[seg]),
        "investment_cny": investment,
        "source": text("synthetic"),
        "as_of": text(""),
        "location_basis": text("synthetic"),
        "note": text(""),
        "synthetic": np.ones(n, dtype=bool),
        "located": np.ones(n, dtype=bool),
        "segment_known": np.ones(n, dtype=bool),
        # As validation words it: the segment column gives each firm its key.
        "segment_basis": ("segment key " + pd.Series(segments[seg])).astype("str").to_numpy(),
        "segment_confidence": np.ones(n, dtype=np.float64),
        "segment_candidates": own[seg],
    }
    assert tuple(data) == ENTERPRISE_COLUMNS
    # Built to the schema (asserted above), so as trusted as a validated file.
    return mark_validated(
        gpd.GeoDataFrame(
            data,
            index=pd.RangeIndex(n),
            geometry=gpd.points_from_xy(lon, lat),
            crs=WGS84,
        )
    )
