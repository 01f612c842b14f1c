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

from geo.messages import Text
from layers._column_table import FIELDS, Kind, Table, either, header_unit, kind_text, norm_unit
from layers.i18n import t, text

if TYPE_CHECKING:
    from layers.columns import ColumnMapping

__all__ = ["HeaderProblem", "Plan", "Use", "plan"]

HeaderProblem = tuple[str, str, Text]
"""A problem of the header: (column, value, message in both languages)."""

_NONE: Final = Text("", "")

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
    note: Text = _NONE


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
    head = text("columns.head", file=source_name)
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


def _both(key: str, head: Text, **values: object) -> Text:
    """Fill ``key`` whose ``{head}`` differs by language."""
    return Text(t(key, "en", head=head.en, **values), t(key, "zh", head=head.zh, **values))


def _use(
    name: str, mapping: ColumnMapping, tab: Table, head: Text, problems: list[HeaderProblem]
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
        fix, what = either(kind.suggested), kind_text(kind)
        use.note = Text(
            t("columns.note.unknown_unit", "en", unit=unknown, kind=what.en, fix=fix.en),
            t("columns.note.unknown_unit", "zh", unit=unknown, kind=what.zh, fix=fix.zh),
        )
        message = Text(
            t(
                "columns.unknown_unit",
                "en",
                head=head.en,
                unit=unknown,
                column=name,
                kind=what.en,
                fix=fix.en,
                field=target,
            ),
            t(
                "columns.unknown_unit",
                "zh",
                head=head.zh,
                unit=unknown,
                column=name,
                kind=what.zh,
                fix=fix.zh,
                field=target,
            ),
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


def _claim(use: Use, claims: dict[str, str], head: Text, problems: list[HeaderProblem]) -> None:
    assert use.field is not None
    first = claims.setdefault(use.field, use.source)
    if first == use.source:
        use.used = True
    elif use.field in _COORDINATES and first == use.field:
        use.note = text("columns.note.coordinates", field=use.field)
    else:
        use.note = text("columns.note.second", field=use.field, first=first)
        message = _both(
            "columns.two_columns", head, first=first, column=use.source, field=use.field
        )
        problems.append((use.source, use.field, message))


def _missing(head: Text, header: str, target: str, names: list[str]) -> HeaderProblem:
    message = Text(
        t(
            "columns.missing_column",
            "en",
            head=head.en,
            column=header,
            field=target,
            listed=", ".join(names),
        ),
        t(
            "columns.missing_column",
            "zh",
            head=head.zh,
            column=header,
            field=target,
            listed="，".join(names),
        ),
    )
    return header, target, message


def _fmt(factor: float) -> str:
    """``1e8`` for powers of ten from 1000 up, else the plain number (``7.1``, ``1``)."""
    exponent = math.log10(factor) if factor > 0 else 0.5
    return f"1e{int(exponent)}" if exponent == int(exponent) and exponent >= 3 else f"{factor:g}"


def _note(use: Use, id_from: str | None) -> Text:
    if not use.used:
        renamed = text("columns.note.renamed", name=use.rename_to) if use.rename_to else _NONE
        if use.note.en and renamed.en:
            return Text(
                t("columns.note.joined", "en", first=use.note.en, second=renamed.en),
                t("columns.note.joined", "zh", first=use.note.zh, second=renamed.zh),
            )
        return (
            use.note
            if use.note.en
            else (renamed if renamed.en else text("columns.note.not_mapped"))
        )
    parts = [text("columns.note.used", column=use.source, field=use.field)]
    if use.kind is not None and use.unit_given:
        parts.append(text("columns.note.factor", factor=_fmt(use.factor)))
        if use.field == "capacity" and use.label:
            parts.append(text("columns.note.capacity_unit", unit=use.label))
    elif use.kind is not None and use.label:
        parts.append(text("columns.note.unit_by_default", unit=use.label))
    elif use.kind is not None:
        parts.append(text("columns.note.unit_from_cells"))
    if use.source == id_from:
        parts.append(text("columns.note.also_id"))
    return Text("".join(p.en for p in parts), "".join(p.zh for p in parts))
