"""The header aliases and unit tables of :mod:`layers.columns`, read from data/columns.yaml.

Plumbing of :mod:`layers.columns`: the file is read with ``yaml.safe_load`` when a function
runs (cached on its modification time, so an edited file is read again) and validated, every
problem at once with its line, into one :class:`layers.RuleError`. Header normalisation
(full-width forms, case, spaces and marks) and the unit in a header's brackets live here too,
so the table and the matching always agree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, TypeGuard

import yaml

from geo.messages import Text
from layers import settings
from layers._yaml import (
    RuleError,
    YamlDoc,
    nearest,
    read_yaml,
    require_mapping_keys,
    sort_by_line,
    type_name,
    unknown_message,
)
from layers.i18n import t, text

__all__ = [
    "FIELDS",
    "Kind",
    "MappingParts",
    "Table",
    "Unit",
    "either",
    "header_unit",
    "is_positive_number",
    "kind_text",
    "match",
    "norm_header",
    "norm_unit",
    "parse_mapping",
    "table",
    "unknown_text",
]

FIELDS: Final[tuple[str, ...]] = (
    "id",
    "credit_code",
    "name_zh",
    "name_en",
    "segment",
    "industry_code",
    "industry_name",
    "business_scope",
    "address",
    "status",
    "investment_cny",
    "capacity",
    "capacity_unit",
    "coord_system",
    "lon",
    "lat",
    "park",
    "note",
    "source",
    "as_of",
    "precision_m",
    # The fields of dated events (layers.events); an enterprise list may carry them too.
    "event_date",
    "stage",
    "paid_in_cny",
    "output_cny",
    "land_mu",
)
"""The enterprise and event fields a source column can be mapped to."""

MappingParts = tuple[dict[str, str | None], dict[str, float], str]
"""A mapping file's ``columns``, ``units`` and ``capacity_unit``."""

_IGNORED_WORDS: Final = frozenset({"", "ignore", "ignored", "none", "null", "忽略", "-"})
"""Values of a mapping file's ``columns`` meaning "this column is not used"."""

_FILE: Final = "columns.yaml"
"""Header aliases and unit tables, in :func:`layers.settings.data_path`."""

# Marks people put in headers that never change their meaning: "No.", "name_zh", "*企业名称"
# (a required-field star), "投资额:".
_MARKS: Final = re.compile(r"[\s_\-.*#:]+")
# A unit in brackets at the end of a header, optionally as "单位：万元" / "unit: m".
_UNIT_IN_HEADER: Final = re.compile(
    r"^(?P<base>.*?)\s*[(\[]\s*(?:单位|unit)?\s*:?\s*(?P<unit>[^()\[\]]+?)\s*[)\]]\s*$"
)


@dataclass(frozen=True)
class Unit:
    """A unit written in a header or cell: its factor and the unit of the converted value."""

    factor: float
    label: str  # e.g. "t/yr" for 万吨/年 (factor 1e4); "元" for 亿元 (factor 1e8)


@dataclass(frozen=True)
class Kind:
    """One unit table of data/columns.yaml (amount, length, capacity)."""

    name: str
    refuse_unknown: bool
    units: dict[str, Unit]  # normalised written unit -> unit
    suggested: tuple[str, ...]  # the first entries as written, for messages
    field_unit: str


@dataclass(frozen=True)
class Table:
    """The validated data/columns.yaml."""

    aliases: dict[str, str]  # normalised header -> field
    kinds: dict[str, Kind]  # field -> its unit table


def norm_header(header: object) -> str:
    """Normalise a header for matching: NFKC (full-width forms), case, spaces and marks."""
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    text = text.replace("【", "[").replace("】", "]").replace("〔", "(").replace("〕", ")")
    return _MARKS.sub("", text)


def norm_unit(unit: str) -> str:
    """Normalise a written unit for lookup: NFKC, case and spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit).casefold())


def header_unit(header: str) -> tuple[str, str | None]:
    """Split ``投资额（亿元）`` into ``("投资额", "亿元")``; no bracket: ``(header, None)``."""
    text = unicodedata.normalize("NFKC", header).replace("【", "[").replace("】", "]")
    m = _UNIT_IN_HEADER.match(text)
    if m is None or not m.group("base").strip():
        return header, None
    return m.group("base"), m.group("unit")


def table() -> Table:
    """Return the validated alias and unit tables (data/columns.yaml), read at call time.

    Raises
    ------
    layers.RuleError
        Listing every problem of the file with its line.
    """
    path = Path(settings.data_path(_FILE))
    return _load_table(str(path.resolve()), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_table(path: str, mtime_ns: int) -> Table:
    # Cached on the file's modification time, so an edited file is read again.
    del mtime_ns
    problems: list[str] = []
    doc = read_yaml(path, problems)
    top = doc.data
    if not isinstance(top, dict):
        msg = f"the top level must be a mapping with `fields` and `units`; got {type_name(top)}"
        raise RuleError([msg], doc.name)
    require_mapping_keys(
        doc,
        (),
        top,
        required=("version", "fields", "units"),
        optional=(),
        what="the columns file",
        problems=problems,
    )
    kinds = _read_kinds(doc, top.get("units"), problems)
    aliases, field_kinds = _read_fields(doc, top.get("fields"), kinds, problems)
    if problems:
        raise RuleError(sort_by_line(problems), doc.name)
    return Table(aliases=aliases, kinds={f: kinds[k] for f, k in field_kinds.items()})


def is_positive_number(value: object) -> TypeGuard[int | float]:
    """Tell whether a parsed YAML value is a finite number above zero (booleans are not)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def either(items: Sequence[str]) -> Text:
    """Return ``"元, 万元 or 亿元"`` / ``"元、万元或亿元"`` for a non-empty list of choices."""
    if len(items) == 1:
        return Text(items[0], items[0])
    last = items[-1]
    return Text(
        t("columns.either", "en", first=", ".join(items[:-1]), last=last),
        t("columns.either", "zh", first="、".join(items[:-1]), last=last),
    )


def kind_text(kind: Kind) -> Text:
    """Return the name of a unit table's quantity (amount: 金额); a custom table's own name."""
    key = f"columns.kind.{kind.name}"
    try:
        return text(key)
    except KeyError:
        return Text(kind.name, kind.name)


def unknown_text(kind: str, value: object, valid: Sequence[str]) -> Text:
    """Say that ``value`` is no valid ``kind`` (``"field"`` or ``"key"``), in both languages.

    The English is :func:`layers._yaml.unknown_message`'s, word for word.
    """
    options = sorted(set(valid))
    best = nearest(value, options)
    hint = (
        text("columns.no_close_match") if best is None else text("columns.did_you_mean", best=best)
    )
    name = text(f"columns.{kind}")
    return Text(
        unknown_message(kind, value, options),
        t(
            "columns.unknown",
            "zh",
            kind=name.zh,
            kinds=name.zh,
            value=value,
            hint=hint.zh,
            listed="、".join(options) if options else "（无）",
        ),
    )


def _factor_problem(doc: YamlDoc, path: tuple[str | int, ...], value: object) -> str:
    hint = " (YAML reads 1e8 as text: write 1.0e+8 or 100000000)" if isinstance(value, str) else ""
    return f"{doc.at(path)}: a factor must be a positive number, got {value!r}{hint}"


def _read_unit(
    doc: YamlDoc, path: tuple[str | int, ...], raw: object, field_unit: str, problems: list[str]
) -> Unit | None:
    if isinstance(raw, dict):
        require_mapping_keys(
            doc,
            path,
            raw,
            required=("factor", "unit"),
            optional=(),
            what="a unit",
            problems=problems,
        )
        factor, label = raw.get("factor"), raw.get("unit")
        if not is_positive_number(factor):
            problems.append(_factor_problem(doc, (*path, "factor"), factor))
            return None
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{doc.at((*path, 'unit'))}: `unit` must be text such as t/yr")
            return None
        return Unit(float(factor), label.strip())
    if not is_positive_number(raw):
        problems.append(_factor_problem(doc, path, raw))
        return None
    if not field_unit:
        problems.append(
            f"{doc.at(path)}: a plain factor needs `field_unit` on its table; "
            "or write {factor: ..., unit: ...}"
        )
        return None
    return Unit(float(raw), field_unit)


def _read_kinds(doc: YamlDoc, raw: object, problems: list[str]) -> dict[str, Kind]:
    if not isinstance(raw, dict):
        if raw is not None:
            problems.append(f"{doc.at(('units',))}: must be a mapping of unit tables")
        return {}
    kinds: dict[str, Kind] = {}
    for name, spec in raw.items():
        path: tuple[str | int, ...] = ("units", str(name))
        if not isinstance(spec, dict):
            problems.append(
                f"{doc.at(path)}: a unit table must be a mapping, got {type_name(spec)}"
            )
            continue
        require_mapping_keys(
            doc,
            path,
            spec,
            required=("unknown", "units"),
            optional=("field_unit",),
            what="a unit table",
            problems=problems,
        )
        unknown = spec.get("unknown")
        if unknown not in ("refuse", "keep"):
            problems.append(
                f"{doc.at((*path, 'unknown'))}: must be refuse or keep, got {unknown!r}"
            )
        field_unit = spec.get("field_unit") or ""
        entries = spec.get("units")
        if not isinstance(entries, dict) or not entries:
            problems.append(f"{doc.at((*path, 'units'))}: must map written units to factors")
            continue
        units: dict[str, Unit] = {}
        for written, value in entries.items():
            key = norm_unit(str(written))
            unit = _read_unit(doc, (*path, "units", str(written)), value, str(field_unit), problems)
            if key in units:
                problems.append(
                    f"{doc.at((*path, 'units', str(written)))}: unit {written!r} is listed twice"
                )
            elif unit is not None:
                units[key] = unit
        suggested = tuple(str(w) for w in list(entries)[:3])
        kinds[str(name)] = Kind(str(name), unknown == "refuse", units, suggested, str(field_unit))
    return kinds


def _read_fields(
    doc: YamlDoc, raw: object, kinds: dict[str, Kind], problems: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    # A field's own name always matches it.
    aliases: dict[str, str] = {norm_header(f): f for f in FIELDS}
    field_kinds: dict[str, str] = {}
    if not isinstance(raw, dict):
        if raw is not None:
            problems.append(f"{doc.at(('fields',))}: must be a mapping of fields to aliases")
        return aliases, field_kinds
    for name, spec in raw.items():
        path: tuple[str | int, ...] = ("fields", str(name))
        if name not in FIELDS:
            problems.append(f"{doc.at(path)}: {unknown_message('field', name, FIELDS)}")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{doc.at(path)}: must be a mapping with zh, en (and units)")
            continue
        require_mapping_keys(
            doc,
            path,
            spec,
            required=(),
            optional=("zh", "en", "units"),
            what="a field",
            problems=problems,
        )
        kind = spec.get("units")
        if kind is not None:
            if kind in kinds:
                field_kinds[name] = str(kind)
            else:
                problems.append(
                    f"{doc.at((*path, 'units'))}: {unknown_message('unit table', kind, kinds)}"
                )
        for lang in ("zh", "en"):
            _add_aliases(
                doc, (*path, lang), name, spec.get(lang), aliases=aliases, problems=problems
            )
    return aliases, field_kinds


def _add_aliases(
    doc: YamlDoc,
    path: tuple[str | int, ...],
    name: str,
    items: object,
    *,
    aliases: dict[str, str],
    problems: list[str],
) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        problems.append(f"{doc.at(path)}: must be a list such as [编号, 序号]")
        return
    for i, alias in enumerate(items):
        key = norm_header(alias) if isinstance(alias, str) else ""
        if not key:
            problems.append(f"{doc.at((*path, i))}: an alias must be non-empty text, got {alias!r}")
        elif aliases.get(key, name) != name:
            problems.append(
                f"{doc.at((*path, i))}: alias {alias!r} of {name} is also an alias of "
                f"{aliases[key]}: an alias may belong to one field only"
            )
        else:
            aliases[key] = name


def match(header: str, tab: Table) -> tuple[str | None, str | None]:
    """Return the field a header names and the unit in its brackets (None when none).

    The whole header is tried first (名称（英文） is an alias of name_en), then the header
    without its bracketed unit (投资额（亿元） -> investment_cny, unit 亿元).
    """
    whole = tab.aliases.get(norm_header(header))
    if whole is not None:
        return whole, None
    base, unit = header_unit(header)
    if unit is None:
        return None, None
    return tab.aliases.get(norm_header(base)), unit


# --- a user's mapping file (layers.columns.ColumnMapping.from_yaml) ------------------------


def parse_mapping(text_: str, *, source_name: str) -> MappingParts:
    """Parse and check a mapping file's text; every problem at once, with its line.

    Raises
    ------
    layers.RuleError
        Naming ``source_name``, in English and Chinese (``error.text``): YAML
        syntax, unknown keys, unknown fields (with the nearest one), a header listed twice,
        a factor that is not a positive number, units for a header that ``columns`` does
        not list.
    """
    try:
        root = yaml.compose(text_, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text_)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (
            text("columns.mapping.where", line=mark.line + 1, col=mark.column + 1)
            if mark
            else Text("", "")
        )
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        said = Text(what, what) if what else text("columns.mapping.invalid_yaml")
        msg = Text(
            t("columns.mapping.syntax", "en", where=where.en, what=said.en),
            t("columns.mapping.syntax", "zh", where=where.zh, what=said.zh),
        )
        raise RuleError([msg], source_name) from exc
    except yaml.YAMLError as exc:
        raise RuleError([text("columns.mapping.syntax_plain", error=exc)], source_name) from exc
    problems: list[Text] = []
    lines = _key_lines(root, problems)
    parts = _mapping_from_data(data, lines, problems)
    if problems or parts is None:
        raise RuleError(problems or [text("columns.mapping.empty")], source_name)
    return parts


_MAPPING_KEYS: Final = ("columns", "units", "capacity_unit", "version")


def _key_lines(root: yaml.Node | None, problems: list[Text]) -> dict[tuple[str, ...], int]:
    """Line of every top-level key and of every key of a top-level mapping; repeats noted."""
    lines: dict[tuple[str, ...], int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value_node in root.value:
        top = str(key_node.value)
        lines[(top,)] = key_node.start_mark.line + 1
        if not isinstance(value_node, yaml.MappingNode):
            continue
        for sub, _ in value_node.value:
            key = (top, str(sub.value))
            line = sub.start_mark.line + 1
            if key in lines:
                # safe_load would keep the last of two equal keys without a word.
                problems.append(
                    text(
                        "columns.mapping.twice", line=line, top=top, key=sub.value, first=lines[key]
                    )
                )
            lines[key] = line
    return lines


def _at(lines: dict[tuple[str, ...], int], *key: str) -> Text:
    line = lines.get(key) or lines.get(key[:1])
    where = ".".join(key)
    return text("columns.mapping.at", line=line, where=where) if line else Text(where, where)


def _said(key: str, where: Text, **values: object) -> Text:
    """Fill ``key`` whose ``{where}`` differs by language."""
    return Text(t(key, "en", where=where.en, **values), t(key, "zh", where=where.zh, **values))


def _problem(where: Text, problem: Text) -> Text:
    return Text(
        t("columns.mapping.problem", "en", where=where.en, problem=problem.en),
        t("columns.mapping.problem", "zh", where=where.zh, problem=problem.zh),
    )


def _mapping_from_data(
    data: object, lines: dict[tuple[str, ...], int], problems: list[Text]
) -> MappingParts | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        problems.append(text("columns.mapping.no_columns"))
        return None
    problems.extend(
        _problem(_at(lines, str(k)), unknown_text("key", k, _MAPPING_KEYS))
        for k in data
        if k not in _MAPPING_KEYS
    )
    columns = _mapped_columns(data["columns"], lines, problems)
    units = _mapped_units(data.get("units"), columns, lines, problems)
    unit = data.get("capacity_unit") or ""
    if not isinstance(unit, str):
        problems.append(_said("columns.mapping.capacity_unit", _at(lines, "capacity_unit")))
        unit = ""
    return columns, units, unit.strip()


def _mapped_columns(
    raw: dict[Any, Any], lines: dict[tuple[str, ...], int], problems: list[Text]
) -> dict[str, str | None]:
    columns: dict[str, str | None] = {}
    for header, target in raw.items():
        if isinstance(header, bool) or header is None:
            problems.append(
                _said("columns.mapping.quote_header", _at(lines, "columns"), header=header)
            )
            continue
        value = "" if target is None else str(target).strip()
        if value.casefold() in _IGNORED_WORDS:
            columns[str(header)] = None
        elif value in FIELDS:
            columns[str(header)] = value
        else:
            where = _at(lines, "columns", str(header))
            problems.append(_problem(where, unknown_text("field", value, FIELDS)))
    return columns


def _mapped_units(
    raw: object,
    columns: dict[str, str | None],
    lines: dict[tuple[str, ...], int],
    problems: list[Text],
) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(_said("columns.mapping.units_mapping", _at(lines, "units")))
        return {}
    units: dict[str, float] = {}
    for header, factor in raw.items():
        where = _at(lines, "units", str(header))
        if not is_positive_number(factor):
            hint = text("columns.mapping.factor_hint") if isinstance(factor, str) else Text("", "")
            problems.append(
                Text(
                    t(
                        "columns.mapping.bad_factor",
                        "en",
                        where=where.en,
                        value=factor,
                        hint=hint.en,
                    ),
                    t(
                        "columns.mapping.bad_factor",
                        "zh",
                        where=where.zh,
                        value=factor,
                        hint=hint.zh,
                    ),
                )
            )
        elif str(header) not in columns:
            problems.append(_said("columns.mapping.unlisted", where, header=header))
        else:
            units[str(header)] = float(factor)
    return units
