"""Which source column becomes which field: the plan shared by mapping_table and apply.

Plumbing of :mod:`layers.columns`. :func:`plan` decides, for every column of a frame, the
field it feeds (the first column mapped to a field wins), its unit factor and the unit label
of its values, what it is renamed to, and the problems of the header, so that the table the
user sees (:func:`layers.columns.mapping_table`) and what :func:`layers.columns.apply` does
can never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import pandas as pd

from layers._column_table import FIELDS, Kind, Table, header_unit, norm_unit

if TYPE_CHECKING:
    from layers.columns import ColumnMapping

__all__ = ["HeaderProblem", "Plan", "Use", "plan"]

HeaderProblem = tuple[str, str, str]
"""A problem of the header: (column, value, message)."""

_COORDINATES: Final = ("lon", "lat")


@dataclass
class Use:
    """What happens to one source column."""

    source: str
    field: str | None  # the field it feeds, as mapped (None: not mapped or refused)
    used: bool = False
    kind: Kind | None = None
    factor: float = math.nan
    label: str = ""  # unit of the converted values (capacity_unit for capacity)
    unit_given: bool = False  # the header or the mapping states the unit
    rename_to: str | None = None
    note: str = ""


@dataclass
class Plan:
    """The decisions for one frame and mapping."""

    uses: list[Use]
    missing: dict[str, str]  # headers the mapping names that the file lacks -> field
    header_problems: list[HeaderProblem]
    id_from: str | None  # the credit-code column that also gives the id


def plan(frame: pd.DataFrame, mapping: ColumnMapping, tab: Table, source_name: str) -> Plan:
    """Decide what happens to each column of ``frame`` (the geometry column is left out)."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    names = [str(c) for c in frame.columns if str(c) != geometry]
    head = f"{source_name} header: "
    problems: list[HeaderProblem] = []
    uses = [_use(name, mapping, tab, head, problems) for name in names]
    # geo.io.read puts WGS 84 lon/lat (floats) next to the columns it read them from: those
    # are the coordinates, whatever the source columns are mapped to.
    claims = {
        u.source: u.source
        for u in uses
        if u.source in _COORDINATES
        and u.field == u.source
        and pd.api.types.is_numeric_dtype(frame[u.source])
    }
    for use in uses:
        if use.field is not None:
            _claim(use, claims, head, problems)
    id_from = claims.get("credit_code") if "id" not in claims else None
    targets = {u.field for u in uses if u.used} | ({"id"} if id_from else set())
    for use in uses:
        if use.used and use.field != use.source:
            use.rename_to = use.field
        elif not use.used and use.source in targets:
            use.rename_to = f"{use.source}_ignored"
    missing = {h: f for h, f in mapping.columns.items() if f is not None and h not in names}
    problems.extend(_missing(head, h, f, names) for h, f in missing.items())
    for use in uses:
        use.note = _note(use, id_from)
    return Plan(uses=uses, missing=missing, header_problems=problems, id_from=id_from)


def _use(
    name: str, mapping: ColumnMapping, tab: Table, head: str, problems: list[HeaderProblem]
) -> Use:
    # A column the mapping does not list is used only when it is named as a field.
    implied = name if name in FIELDS else None
    target = mapping.columns.get(name, implied)
    use = Use(name, target)
    kind = tab.kinds.get(target or "")
    if kind is None:
        return use
    unknown = _resolve_unit(use, kind, mapping)
    if unknown:
        fix = f"{', '.join(kind.suggested[:-1])} or {kind.suggested[-1]}"
        use.note = f"not used: unknown unit {unknown}; give the {kind.name} in {fix}"
        message = (
            f"{head}unknown unit {unknown} in {name}; give the {kind.name} in {fix} (or its "
            f"factor under units in the mapping). The column is not used as {target} and "
            "keeps its name"
        )
        problems.append((name, unknown, message))
        use.field = None
    return use


def _resolve_unit(use: Use, kind: Kind, mapping: ColumnMapping) -> str:
    """Fill the factor and unit label of a unit field; return a refused unit's text, or ""."""
    _, unit = header_unit(use.source)
    written = unit.strip() if unit is not None else ""
    entry = kind.units.get(norm_unit(written)) if written else None
    default = (mapping.capacity_unit if use.field == "capacity" else "") or kind.field_unit
    use.kind = kind
    if use.source in mapping.units:
        # The mapping's factor wins; a capacity keeps the header's unit label if they agree.
        use.factor, use.unit_given = mapping.units[use.source], True
        if kind.refuse_unknown:
            use.label = kind.field_unit
        elif entry is not None and entry.factor == use.factor:
            use.label = entry.label
        else:
            use.label = written or default
    elif entry is not None:
        use.factor, use.label, use.unit_given = entry.factor, entry.label, True
    elif written and kind.refuse_unknown:
        return written
    elif written:
        use.factor, use.label, use.unit_given = 1.0, written, True
    else:
        use.factor, use.label = 1.0, default
    return ""


def _claim(use: Use, claims: dict[str, str], head: str, problems: list[HeaderProblem]) -> None:
    assert use.field is not None
    first = claims.setdefault(use.field, use.source)
    if first == use.source:
        use.used = True
    elif use.field in _COORDINATES and first == use.field:
        use.note = f"read by geo.io.read into {use.field} (WGS 84); keeps its name"
    else:
        use.note = f"not used: {use.field} comes from {first}, the first such column"
        message = (
            f"{head}columns {first} and {use.source} both map to {use.field}: {first} is used "
            f"and {use.source} is ignored (it keeps its name). Map {use.source} to another "
            "field or to nothing (null in the mapping file), or remove one of the columns"
        )
        problems.append((use.source, use.field, message))


def _missing(head: str, header: str, target: str, names: list[str]) -> HeaderProblem:
    message = (
        f"{head}the mapping names column {header!r} (as {target}), which is not in the file; "
        f"its columns are: {', '.join(names)}. Correct the name in the mapping or remove that "
        "line"
    )
    return header, target, message


def _fmt(factor: float) -> str:
    """``1e8`` for powers of ten from 1000 up, else the plain number (``7.1``, ``1``)."""
    exponent = math.log10(factor) if factor > 0 else 0.5
    return f"1e{int(exponent)}" if exponent == int(exponent) and exponent >= 3 else f"{factor:g}"


def _note(use: Use, id_from: str | None) -> str:
    if not use.used:
        renamed = f"renamed {use.rename_to}" if use.rename_to else ""
        return "; ".join(t for t in (use.note, renamed) if t) or "not mapped: keeps its name"
    note = f"{use.source} → {use.field}"
    if use.kind is not None and use.unit_given:
        note += f" × {_fmt(use.factor)}"
        if use.field == "capacity" and use.label:
            note += f", capacity_unit {use.label}"
    elif use.kind is not None and use.label:
        note += f" (no unit in the header: read as {use.label})"
    elif use.kind is not None:
        note += " (no unit in the header: units from the cells, or capacity_unit in the mapping)"
    if use.source == id_from:
        note += " (also used as id: the file has no id column)"
    return note
