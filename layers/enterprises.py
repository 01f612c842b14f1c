"""Enterprises of Nanchang's new-energy-storage chain as a validated point layer.

The shipped file ``data/enterprises.csv`` holds the real enterprises and projects named in
the plan and in the public pages compiled in the facts file. Almost none has a surveyed
site: most coordinates are estimated park centres, known to 3-5 km, and say so in
``precision_m`` and ``location_basis``. Two projects named in the plan could not be
identified at all; they stay in the layer as unlocated rows (``located`` False, geometry
None) instead of being dropped.

Schema (every column always present, in this order, then any extra input columns, then
``geometry``):

=================  =========  ==========================================================
column             dtype      meaning
=================  =========  ==========================================================
``id``             str        unique key, e.g. ``NC-001``
``name_zh``        str        Chinese name (legal entity or project)
``name_en``        str        English name
``segment``        str        industry-chain segment key (see ``layers.chain()``)
``status``         str        one of :data:`STATUSES`
``lon``, ``lat``   float      WGS 84 degrees of the geometry, NaN when unlocated
``coord_system``   str        always ``"wgs84"`` after loading: lon/lat/geometry are WGS 84
                              whatever system the source used (so writing the layer out and
                              reading it back never converts twice)
``precision_m``    float      honest location uncertainty in metres (NaN if unknown)
``park``           str        development zone or place the site is known to
``capacity``       float      capacity in ``capacity_unit`` (NaN if unknown)
``capacity_unit``  str        e.g. ``GWh``, ``t/yr``, ``GW``
``investment_cny`` float      total investment in yuan (NaN if unknown)
``source``         str        source keys, ``;``-separated (facts file S-keys)
``as_of``          str        date of the latest source used (``YYYY-MM-DD``/``YYYY-MM``)
``location_basis`` str        how the coordinates were obtained (``EST. ...`` = estimate)
``note``           str        free text: what a figure covers, what is uncertain
``synthetic``      bool       True only for generated rows
``located``        bool       geometry present and not empty
``segment_known``  bool       False when ``segment`` is not a chain key (row kept as given)
``geometry``       Point      or None when unlocated; EPSG:4326
=================  =========  ==========================================================
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from geo import InputError
from geo import io as geo_io
from geo.crs import WGS84
from geo.io import REJECTED, Extent, ReadResult
from layers import settings
from layers._enterprise_checks import (
    KEPT_AS_GIVEN,
    PROBLEM_COLUMNS,
    Problems,
    as_text,
    check_geometry,
    check_ids,
    check_number,
    check_status,
    check_synthetic,
    empty_problems,
)
from layers.chain import chain as chain_table
from layers.columns import ColumnMapping, apply, detect, mapping_table
from layers.i18n import text
from layers.segments import resolve_segments, segment_problems

__all__ = [
    "ENTERPRISE_COLUMNS",
    "KEPT_AS_GIVEN",
    "PROBLEM_COLUMNS",
    "REQUIRED_COLUMNS",
    "STATUSES",
    "VALIDATED",
    "EnterpriseRead",
    "empty_problems",
    "enterprises",
    "is_validated",
    "mark_validated",
    "read_enterprises",
    "segment_keys",
    "validate_enterprises",
]

_FILE: Final = "enterprises.csv"
"""The shipped enterprises, in :func:`layers.settings.data_path`."""

STATUSES: Final[tuple[str, ...]] = ("operating", "construction", "planned", "unknown")

REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("id", "name_zh")
"""Columns a file must have. The segment may be left out: it is then read from the industry
code, the business scope or the name (:mod:`layers.segments`), or asked of the user."""

ENTERPRISE_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "name_zh",
    "name_en",
    "segment",
    "status",
    "lon",
    "lat",
    "coord_system",
    "precision_m",
    "park",
    "capacity",
    "capacity_unit",
    "investment_cny",
    "source",
    "as_of",
    "location_basis",
    "note",
    "synthetic",
    "located",
    "segment_known",
    "segment_basis",
    "segment_confidence",
    "segment_candidates",
)


_TEXT_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "name_zh",
    "name_en",
    "segment",
    "status",
    "coord_system",
    "park",
    "capacity_unit",
    "source",
    "as_of",
    "location_basis",
    "note",
)
# Numbers that are physically non-negative: a negative value is a typo, never data.
_NUMBER_COLUMNS: Final[tuple[str, ...]] = ("capacity", "investment_cny", "precision_m")

# The segment keys fixed in the team's interface contract. Used only while
# ``layers.chain()`` (which reads data/chain.yaml) is not available.
_CONTRACT_SEGMENTS: Final[tuple[str, ...]] = (
    "cathode",
    "anode",
    "electrolyte",
    "separator",
    "copper_foil",
    "aluminium_foil",
    "lithium_salt",
    "sodium_salt",
    "structural_parts",
    "li_ion_cell",
    "na_ion_cell",
    "battery_pack",
    "pv_cell",
    "sensor",
    "bms_chip",
    "power_semiconductor",
    "pcs",
    "storage_integration",
    "pv_storage_integration",
    "equipment",
    "ev",
    "recycling",
)

_SPREADSHEET_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xls", ".xlsm"})


VALIDATED: Final = "layers.enterprises"
"""Key in ``GeoDataFrame.attrs`` marking a table of this module's schema, validated once.

The analysis trusts a marked table's ``lon``, ``lat``, ``located`` and ``precision_m``
instead of deriving them from the geometry again. pandas keeps ``attrs`` through copies,
row selections and a concatenation of marked tables; a table built any other way is not
marked, and the analysis derives what it needs from its geometry.
"""


def mark_validated(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Mark a table of this module's schema as validated (in place) and return it."""
    gdf.attrs[VALIDATED] = True
    return gdf


def is_validated(gdf: pd.DataFrame) -> bool:
    """Tell whether ``gdf`` is a validated enterprises table (see :data:`VALIDATED`).

    Examples
    --------
    >>> firms = enterprises()
    >>> is_validated(firms), is_validated(firms.loc[firms.located]), is_validated(firms[[]])
    (True, True, False)
    """
    return bool(gdf.attrs.get(VALIDATED)) and all(c in gdf.columns for c in ENTERPRISE_COLUMNS)


def segment_keys(chain_keys: Iterable[str] | None = None) -> tuple[str, ...]:
    """Return the valid segment keys.

    Parameters
    ----------
    chain_keys : iterable of str, optional
        Use these keys (tests, or a custom chain). By default the keys of ``layers.chain()``
        (data/chain.yaml) are used, or the contract's fixed keys while that is unavailable.
    """
    return _segments(chain_keys)[0]


def _segments(chain_keys: Iterable[str] | None) -> tuple[tuple[str, ...], dict[str, str]]:
    """Return the valid keys, and the chain's names (lower case) mapped to their key."""
    if chain_keys is not None:
        return tuple(str(k) for k in chain_keys), {}
    # Imported lazily: layers.chain is a sibling module that may import this one.
    try:
        module = importlib.import_module("layers.chain")
    except ImportError:
        return _CONTRACT_SEGMENTS, {}
    chain_fn = getattr(module, "chain", None)
    if not callable(chain_fn):
        return _CONTRACT_SEGMENTS, {}
    table: Any = chain_fn()
    keys = tuple(str(k) for k in table.index)
    names: dict[str, str] = {}
    for col in ("name_en", "name_zh"):
        if col in table.columns:
            names.update({str(v).strip().lower(): str(k) for k, v in table[col].items()})
    return keys, names


def _first_row(source_name: str) -> int:
    # Spreadsheets count the header as row 1, so the first record is row 2; vector files
    # number features from 1. The same numbering as geo.io, so both problem lists merge.
    return 2 if Path(source_name).suffix.lower() in _SPREADSHEET_SUFFIXES else 1


def _match_columns(gdf: gpd.GeoDataFrame) -> dict[str, str]:
    """Map headers that differ from the schema only in case or spaces to schema names."""
    present = set(map(str, gdf.columns))
    wanted = set(ENTERPRISE_COLUMNS) - present
    renames: dict[str, str] = {}
    for col in gdf.columns:
        key = str(col).strip().lower().replace(" ", "_")
        if key in wanted and key not in renames.values():
            renames[str(col)] = key
    return renames


def validate_enterprises(
    gdf: gpd.GeoDataFrame,
    *,
    source_name: str,
    chain_keys: Iterable[str] | None = None,
    rows: npt.ArrayLike | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Cast an enterprises table to the schema and list what was wrong, row by row.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Raw enterprise rows, e.g. ``geo.io.read(...).data`` (text columns as given, Point
        geometries or None). Not modified.
    source_name : str
        Display name of the input, used in messages and to number rows.
    chain_keys : iterable of str, optional
        Valid segment keys; by default those of ``layers.chain()``.
    rows : array_like of int, optional
        The number reported for each record (as geo.io: spreadsheet row with the header as
        row 1, or 1-based feature number). By default counted from the position: from 2 for
        spreadsheet-like names (``.csv``, ``.xlsx``), else from 1.

    Returns
    -------
    data : geopandas.GeoDataFrame
        The rows of ``gdf`` with their index (only repeated ids are left out), the columns
        of the module schema first, then any other input columns, in EPSG:4326.
    problems : pandas.DataFrame
        Columns ``row, column, value, problem, action`` (as geo.io). What is done:

        - ``capacity``, ``investment_cny``, ``precision_m`` not a number or negative:
          "repaired", set to NaN. Blank cells are simply NaN; thousands separators
          ("50,000") are accepted.
        - ``status`` not in :data:`STATUSES`: "repaired", set to ``"unknown"`` (blank is
          ``"unknown"`` without a problem; letter case and spaces are ignored).
        - ``segment`` not a chain key (or blank): "kept": the row stays with the segment
          text as given and ``segment_known`` False; the message lists the valid keys and
          the nearest one. Guessing a segment would silently move a firm between areas.
          Letter case, spaces and hyphens are normalised silently (``Li-ion cell`` ->
          ``li_ion_cell``), and the chain's own names are read as their key (``正极材料``,
          ``Cathode materials`` -> ``cathode``) when the keys come from ``layers.chain()``.
        - ``id`` blank: "kept" (the row has no key; results align by index anyway).
        - ``id`` repeated: "rejected", the first row with the id is kept, later ones left
          out, as :func:`geo.io.read` does. Files read by :func:`read_enterprises` are
          deduplicated by ``geo.io.read`` already, so nothing is reported twice.
        - ``synthetic`` not a yes/no value: "repaired", set False.
        - a non-Point geometry: "repaired", replaced by a point on its surface.

    Raises
    ------
    geo.InputError
        If a required column (``id``, ``name_zh``, ``segment``) is missing, or ``gdf``
        has no CRS.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> raw = gpd.GeoDataFrame(
    ...     {"id": ["A", "B"], "name_zh": ["甲", "乙"], "segment": ["cathode", "cathod"],
    ...      "capacity": ["5", "-1"]},
    ...     geometry=[Point(115.94, 28.56), None], crs="EPSG:4326")
    >>> data, problems = validate_enterprises(raw, source_name="firms.csv")
    >>> data.located.tolist(), data.segment_known.tolist()
    ([True, False], [True, False])
    >>> problems[["row", "column", "action"]].values.tolist()
    [[3, 'capacity', 'repaired'], [3, 'segment', 'kept']]
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        msg = f"{source_name}: expected a GeoDataFrame, got {type(gdf).__name__}"
        raise TypeError(msg)
    if gdf.crs is None:
        raise InputError(text("check.enterprises.no_crs", file=source_name))
    out = gdf.rename(columns=_match_columns(gdf))
    missing = [c for c in REQUIRED_COLUMNS if c not in out.columns]
    if missing:
        optional = (c for c in ENTERPRISE_COLUMNS if c not in _DERIVED_COLUMNS)
        raise InputError(
            text(
                "check.enterprises.missing_columns",
                file=source_name,
                missing=", ".join(missing),
                required=", ".join(REQUIRED_COLUMNS),
                optional=", ".join(optional),
            )
        )
    # No copy: rename made a new frame, and copy-on-write keeps ``gdf`` as it was.
    out = out.to_crs(WGS84) if not out.crs.equals(WGS84) else out
    if rows is None:
        labels = np.arange(len(out), dtype="int64") + _first_row(source_name)
    else:
        labels = np.asarray(rows, dtype="int64")
        if labels.shape != (len(out),):
            msg = f"`rows` must give one number per record ({len(out)}), got {labels.shape}"
            raise ValueError(msg)
    found = Problems(labels, source_name)

    for col in _TEXT_COLUMNS:
        out[col] = as_text(out[col]) if col in out.columns else pd.Series("", index=out.index)
    keep = ~check_ids(out, found)  # a repeated id's row is left out
    for col in _NUMBER_COLUMNS:
        check_number(out, col, found)
    check_status(out, found, STATUSES)
    chain = chain_table() if chain_keys is None else _key_chain(chain_keys)
    segment_found = _resolve_segments(out, chain, source_name=source_name, rows=labels)
    check_synthetic(out, found)
    out = check_geometry(out, found)
    out["coord_system"] = "wgs84"

    geometry_name = out.geometry.name
    extras = [c for c in out.columns if c not in ENTERPRISE_COLUMNS and c != geometry_name]
    result = mark_validated(
        gpd.GeoDataFrame(
            out.loc[keep, [*ENTERPRISE_COLUMNS, *extras, geometry_name]],
            geometry=geometry_name,
            crs=WGS84,
        )
    )
    problems = pd.concat([found.frame(), segment_found], ignore_index=True)
    problems = problems.sort_values("row", kind="stable").reset_index(drop=True)
    dropped = set(labels[~keep].tolist())
    if dropped:
        # A left-out row's other problems would only distract: it is not in the data.
        problems = problems[(problems["action"] == REJECTED) | ~problems["row"].isin(dropped)]
    return result, problems.reset_index(drop=True)


def _resolve_segments(
    out: pd.DataFrame, chain: pd.DataFrame, *, source_name: str, rows: npt.NDArray[np.int64]
) -> pd.DataFrame:
    """Read each row's segment with its evidence (in place); return the segment problems.

    A value in the segment column wins (a key, a chain name or a synonym); otherwise the
    industry code, the business scope and the name are read (:mod:`layers.segments`).
    Several candidates are never guessed between: the row keeps an empty segment and lists
    them, and the problems say it needs a segment. An unknown value is kept as given.
    """
    resolved = resolve_segments(out, chain=chain)
    found = segment_problems(resolved, out, source_name=source_name, rows=rows, chain=chain)
    settled = resolved["segment"] != ""
    given = resolved["segment_given"].to_numpy(dtype=bool)
    unsure = ~settled.to_numpy()  # candidates are counted only where none was settled
    unsure[unsure] = resolved["segment_candidates"][unsure].map(len).to_numpy() > 0
    # A given value that means nothing stays as typed (the problem names it); a row with
    # candidates or no evidence has no segment until the user chooses one.
    keep_typed = given & ~settled.to_numpy() & ~unsure
    out["segment"] = resolved["segment"].where(settled | ~keep_typed, out["segment"])
    out["segment_known"] = settled.to_numpy(dtype=bool)
    out["segment_basis"] = resolved["segment_basis"].astype(str)
    out["segment_confidence"] = resolved["segment_confidence"].astype(np.float64)
    out["segment_candidates"] = resolved["segment_candidates"]
    return found


def _key_chain(keys: Iterable[str]) -> pd.DataFrame:
    """Return a chain of bare keys (callers that pass ``chain_keys``): keys as names."""
    index = pd.Index([str(k) for k in keys], name="segment")
    return pd.DataFrame({"name_zh": index, "name_en": index}, index=index)


# Columns the loader computes itself: never asked of a user's file.
_DERIVED_COLUMNS: Final = frozenset(
    {
        *REQUIRED_COLUMNS,
        "located",
        "segment_known",
        "synthetic",
        "segment_basis",
        "segment_confidence",
        "segment_candidates",
    }
)


def read_enterprises(
    source: Any = None,
    *,
    coord_system: str = "wgs84",
    layer: str | None = None,
    name: str | None = None,
    extent: Extent | tuple[float, float, float, float] | Literal["nanchang"] | None = "nanchang",
    columns: ColumnMapping | None = None,
    max_bytes: int | None = geo_io.MAX_BYTES,
) -> EnterpriseRead:
    """Read and validate an enterprises file: the shipped one by default.

    Parameters
    ----------
    source : path, bytes or file-like, optional
        Anything :func:`geo.io.read` accepts (CSV, XLSX, GeoJSON, GeoPackage, zipped
        shapefile, KML). By default ``data/enterprises.csv``.
    coord_system : str
        The system the coordinates are in (``wgs84``, ``gcj02`` for Amap/Gaode and Tencent,
        ``bd09`` for Baidu); a ``coord_system`` column overrides it per row. The result is
        always WGS 84.
    layer, name
        Passed to :func:`geo.io.read`: the layer or sheet to read, and the original file
        name of an upload (its extension gives the format).
    extent : geo.io.Extent, tuple of float, "nanchang" or None
        Where the enterprises are expected, passed to :func:`geo.io.read`: positions
        outside are kept unlocated with a problem. ``"nanchang"`` (default) is
        :func:`layers.settings.extent`; None accepts any position on Earth.
    columns : layers.columns.ColumnMapping, optional
        Which source column is which field (and the units of amounts); by default
        detected from the headers (:func:`layers.columns.detect`: Chinese and English
        headers such as 编号, 企业名称, 统一社会信用代码, 投资额（亿元）, 产业环节).
    max_bytes : int or None
        Largest file accepted (default the upload limit of :func:`geo.io.read`); None reads
        a local file of any size (the command line).

    Returns
    -------
    EnterpriseRead
        ``data``: every usable row (unlocated ones kept with geometry None), with the
        columns described in the module docstring; ``problems``: geo.io's problems
        (coordinates, duplicate ids), the columns' problems (units, credit codes, two
        columns for one field) and the enterprise checks of :func:`validate_enterprises`,
        sorted by row; ``mapping``: the column mapping used; ``columns``: the mapping as a
        table to show (:func:`layers.columns.mapping_table`).

    Raises
    ------
    geo.InputError
        If the file is unusable as a whole (unreadable, no coordinates columns, or a
        required column ``id``, ``name_zh``, ``segment`` missing).

    Examples
    --------
    >>> result = read_enterprises()
    >>> result.data.loc[~result.data.located, "id"].tolist()
    ['NC-003', 'NC-004', 'NC-014']
    >>> result.problems[["row", "action"]].values.tolist()
    [[4, 'kept unlocated'], [5, 'kept unlocated'], [15, 'kept unlocated']]
    """
    if extent == "nanchang":  # read here, at the call
        extent = settings.extent()
    read_result = geo_io.read(
        settings.data_path(_FILE) if source is None else source,
        coord_system=coord_system,
        layer=layer,
        name=name,
        extent=extent,
        max_bytes=max_bytes,
        # Our own shipped file is trusted: read here, without a worker's start-up cost.
        limits=None if source is None else "current",
    )
    raw = read_result.data
    # geo.io tells each kept record's own row number (blank lines and rejected rows
    # before it included), so enterprise problems name the row the user sees.
    labels = read_result.rows.to_numpy(dtype="int64")
    mapping = detect(raw.columns) if columns is None else columns
    table = mapping_table(raw, mapping)
    mapped, column_problems = apply(raw, mapping, source_name=read_result.source, rows=labels)
    data, problems = validate_enterprises(mapped, source_name=read_result.source, rows=labels)
    found = [p for p in (read_result.problems, column_problems, problems) if len(p)]
    merged = (
        pd.concat(found, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
        if found
        else empty_problems()
    )
    return EnterpriseRead(
        data=data.reset_index(drop=True),
        problems=merged,
        source=read_result.source,
        rows=pd.Series(read_result.rows.loc[data.index].to_numpy(), dtype="int64", name="row"),
        mapping=mapping,
        columns=table,
    )


@dataclass(frozen=True)
class EnterpriseRead(ReadResult):
    """What :func:`read_enterprises` returns: :class:`geo.io.ReadResult` and the columns.

    Attributes
    ----------
    mapping : layers.columns.ColumnMapping
        Which source column was read as which field (detected, or as given).
    columns : pandas.DataFrame
        The mapping as a table to show a user (:func:`layers.columns.mapping_table`): one
        row per source column with sample values, the field it was read as and any unit
        conversion.
    """

    mapping: ColumnMapping = field(default_factory=lambda: ColumnMapping(columns={}))
    columns: pd.DataFrame = field(default_factory=pd.DataFrame)


def enterprises(source: Any = None, *, coord_system: str = "wgs84") -> gpd.GeoDataFrame:
    """Return the validated enterprises layer (the shipped data by default).

    Same as ``read_enterprises(source, coord_system=coord_system).data``; use
    :func:`read_enterprises` to see the problems found in a user file.

    Examples
    --------
    >>> firms = enterprises()
    >>> firms.loc[~firms.located, "id"].tolist()  # two unidentified, one known only to its district
    ['NC-003', 'NC-004', 'NC-014']
    """
    return read_enterprises(source, coord_system=coord_system).data
