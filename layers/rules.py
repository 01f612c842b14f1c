"""The plan's spatial rules: which chain segments belong in which agglomeration area.

The rules live in ``data/rules.yaml`` so planners can edit them. :func:`rules` reads the
file with ``yaml.safe_load``, checks every key against the chain taxonomy, the districts and
the development zones, and reports every problem at once in one :class:`RuleError`, each with
its line number.

An area's territory is ``(∪ zones) ∪ ((∪ districts) − (∪ minus_zones))``: subtracted zones
come out of the districts only, the zones named as members are always included whole. The
geometry is built by :func:`layers.areas.areas`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import pyogrio
import yaml

from geo import InputError
from layers.settings import data_path

__all__ = [
    "NANCHANG_ADCODES",
    "AreaRule",
    "RuleError",
    "Rules",
    "rules",
]

_FILE: Final = "rules.yaml"
"""The shipped rules file, in :func:`layers.settings.data_path`."""

NANCHANG_ADCODES: Final[tuple[str, ...]] = (
    "360102",  # 东湖区
    "360103",  # 西湖区
    "360104",  # 青云谱区
    "360111",  # 青山湖区
    "360112",  # 新建区
    "360113",  # 红谷滩区
    "360121",  # 南昌县
    "360123",  # 安义县
    "360124",  # 进贤县
)
"""The nine county-level divisions of Nanchang (NBS 2023 codes)."""

_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_LINE_RE: Final = re.compile(r"^line (\d+)")
_TOP_REQUIRED: Final = (
    "version",
    "as_of",
    "source",
    "areas",
    "key_segments_without_area",
    "targets",
)
_AREA_REQUIRED: Final = ("key", "name_zh", "name_en", "members", "segments")
_AREA_OPTIONAL: Final = ("minus_zones", "shared_segments", "note")
_MEMBER_KEYS: Final = ("districts", "zones")

YamlPath = tuple[str | int, ...]


class RuleError(ValueError):
    """A rules or chain file has problems; ``problems`` lists every one of them.

    Parameters
    ----------
    problems : sequence of str or str
        One message per problem, each naming the place (line, field), the value and the fix.
    source : str
        The file's display name, used as the head of the message.

    Attributes
    ----------
    problems : list of str
        The problems, in file order. ``str(error)`` numbers them under the file name.
    source : str
        The file's display name.
    """

    def __init__(self, problems: Sequence[str] | str, source: str = "rules") -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''}:"]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type[RuleError], tuple[list[str], str]]:
        # Exceptions pickle their args; rebuild from the problems so the message survives
        # multiprocessing and caches.
        return (type(self), (self.problems, self.source))


@dataclass(frozen=True)
class AreaRule:
    """One agglomeration area of the plan.

    Attributes
    ----------
    key : str
        Stable area key (``battery``, ``materials``, ``control``).
    name_zh, name_en : str
        Names for display.
    districts : tuple of str
        Member districts (6-digit adcodes), included minus ``minus_zones``.
    zones : tuple of str
        Member development zones (zone ids), included whole.
    minus_zones : tuple of str
        Zones subtracted from the member districts (not from the member zones).
    segments : tuple of str
        Chain segments designated to the area.
    shared_segments : tuple of str
        Designated segments that may also be designated to another area.
    note : str
        Why the area is defined as it is.
    """

    key: str
    name_zh: str
    name_en: str
    districts: tuple[str, ...]
    zones: tuple[str, ...]
    minus_zones: tuple[str, ...]
    segments: tuple[str, ...]
    shared_segments: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Rules:
    """The validated rules of the plan (see :func:`rules`).

    Attributes
    ----------
    areas : tuple of AreaRule
        The agglomeration areas, in file order.
    key_segments_without_area : tuple of str
        Key segments of the plan that have no designated area (``pv_cell``).
    targets : dict
        The plan's targets: ``annual_scale_cny`` (float, yuan a year), ``max_growth_pct``
        (float) and free-text notes.
    source : dict
        Provenance of the rules (``key`` is the source key in data/SOURCES.md).
    version : int
        Version of the rules file format.
    as_of : str
        Date the rules describe (ISO 8601).
    segment_keys : tuple of str
        Every valid chain segment key at load time (for lookups with a helpful message).
    """

    areas: tuple[AreaRule, ...]
    key_segments_without_area: tuple[str, ...]
    targets: dict[str, Any] = field(default_factory=dict, hash=False)
    source: dict[str, str] = field(default_factory=dict, hash=False)
    version: int = 1
    as_of: str = ""
    segment_keys: tuple[str, ...] = ()

    def designated_areas(self, segment: str) -> tuple[str, ...]:
        """Return the keys of the areas that designate ``segment`` (empty if none).

        Raises
        ------
        ValueError
            If ``segment`` is not a chain segment key; the message names the nearest key.

        Examples
        --------
        >>> r = rules()
        >>> r.designated_areas("li_ion_cell"), r.designated_areas("pv_cell")
        (('battery',), ())
        """
        if self.segment_keys and segment not in self.segment_keys:
            raise ValueError(unknown_message("segment", segment, self.segment_keys))
        return tuple(a.key for a in self.areas if segment in a.segments)

    def area(self, key: str) -> AreaRule:
        """Return the area with this key.

        Raises
        ------
        ValueError
            If no area has the key; the message lists the keys and the nearest one.
        """
        for a in self.areas:
            if a.key == key:
                return a
        raise ValueError(unknown_message("area", key, [a.key for a in self.areas]))


# ----------------------------------------------------------------------------------------
# Plumbing shared with layers.chain: YAML with line numbers, and messages for unknown keys.


def nearest(value: object, valid: Iterable[str]) -> str | None:
    """Return the valid key closest to ``value`` (difflib ratio >= 0.5), or None."""
    options = list(valid)
    text = str(value)
    lowered = {v.lower(): v for v in options}
    match = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.5)
    return lowered[match[0]] if match else None


def unknown_message(kind: str, value: object, valid: Iterable[str], plural: str = "") -> str:
    """Say that ``value`` is no valid ``kind``, suggest the nearest key and list them all."""
    options = sorted(set(valid))
    best = nearest(value, options)
    hint = f"did you mean {best!r}?" if best is not None else "no close match"
    listed = ", ".join(options) if options else "(none)"
    return f"unknown {kind} {value!r} ({hint}); valid {plural or kind + 's'}: {listed}"


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file and the line of every mapping value and sequence item."""

    name: str
    data: Any
    lines: dict[YamlPath, int]

    def at(self, path: YamlPath) -> str:
        """Return ``"line N, a.b[2]"`` for a path, using the nearest known line."""
        line = None
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                break
        where = format_path(path)
        if line is None:
            return where or "top level"
        return f"line {line}, {where}" if where else f"line {line}"


def format_path(path: YamlPath) -> str:
    """Format ``("areas", 1, "segments")`` as ``"areas[1].segments"``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_lines(
    node: yaml.Node,
    path: YamlPath,
    lines: dict[YamlPath, int],
    problems: list[str],
    active: frozenset[int] = frozenset(),
) -> None:
    if id(node) in active:
        # A recursive alias (&a [*a]); the data check reports the odd value if it matters.
        return
    active = active | {id(node)}
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                # safe_load keeps the last of two equal keys without a word: say so.
                problems.append(
                    f"line {line}, {format_path((*path, key))}: key {key!r} appears twice in "
                    f"the same mapping (first on line {seen[key]}); the second would silently "
                    "replace the first: keep one"
                )
            seen[key] = line
            _node_lines(value_node, (*path, key), lines, problems, active)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*path, i), lines, problems, active)


def read_yaml(path: str | os.PathLike[str], problems: list[str]) -> YamlDoc:
    """Read a YAML file safely, with the line of every value.

    Syntax errors raise :class:`RuleError` at once (nothing else can be checked), with
    the line and column yaml reports. Duplicate keys are appended to ``problems``.
    """
    p = Path(path)
    name = p.name
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start}): save the file as UTF-8"
        raise RuleError([msg], name) from exc
    try:
        # compose only parses (no object construction); safe_load then builds plain data.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        msg = (
            f"{where}YAML syntax error: {what}. Check the indentation and quoting there "
            "(text with ':' or '#' needs quotes)"
        )
        raise RuleError([msg], name) from exc
    except yaml.YAMLError as exc:
        raise RuleError([f"YAML syntax error: {exc}"], name) from exc
    lines: dict[YamlPath, int] = {}
    if root is not None:
        _node_lines(root, (), lines, problems)
    return YamlDoc(name=name, data=data, lines=lines)


def sort_by_line(problems: Iterable[str]) -> list[str]:
    """Order problems by the line they start with (stable; those without a line first)."""
    return sorted(problems, key=lambda p: int(m.group(1)) if (m := _LINE_RE.match(p)) else 0)


def type_name(value: object) -> str:
    """Describe a parsed YAML value's type in the file's terms."""
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def require_mapping_keys(
    doc: YamlDoc,
    path: YamlPath,
    mapping: dict[Any, Any],
    *,
    required: Sequence[str],
    optional: Sequence[str],
    what: str,
    problems: list[str],
) -> None:
    """Report missing required keys and unknown keys (with the nearest known key)."""
    allowed = [*required, *optional]
    problems.extend(
        f"{doc.at(path)}: {what} is missing the required field {key!r}"
        for key in required
        if key not in mapping
    )
    problems.extend(
        f"{doc.at((*path, str(key)))}: {unknown_message('field', key, allowed)}"
        for key in mapping
        if key not in allowed
    )


def text_field(
    doc: YamlDoc, path: YamlPath, value: object, problems: list[str], *, required: bool = True
) -> str:
    """Return ``value`` as text; report it if it is not non-empty text."""
    if value is None and not required:
        return ""
    if isinstance(value, str) and (value.strip() or not required):
        return value.strip()
    problems.append(f"{doc.at(path)}: must be non-empty text, got {type_name(value)} {value!r}")
    return ""


def key_list(
    doc: YamlDoc,
    path: YamlPath,
    value: object,
    problems: list[str],
    *,
    adcodes: bool = False,
) -> tuple[str, ...]:
    """Return a list of keys as a tuple of str; report a non-list or non-text items.

    Adcodes written as bare numbers (``360112``) are accepted as text: YAML reads them as
    integers, and a planner should not have to know that.
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(
            f"{doc.at(path)}: must be a list such as [a, b], got {type_name(value)} {value!r}"
            + (f"; write [{value}]" if isinstance(value, str | int) else "")
        )
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif adcodes and isinstance(item, int) and not isinstance(item, bool):
            out.append(str(item))
        else:
            problems.append(
                f"{doc.at((*path, i))}: each item must be a key (text), got "
                f"{type_name(item)} {item!r}"
            )
    return tuple(out)


# ----------------------------------------------------------------------------------------
# The valid keys.


@lru_cache(maxsize=8)
def _ids_from_file(path: str, column: str, mtime_ns: int) -> tuple[str, ...]:
    del mtime_ns  # part of the cache key only: a rebuilt file is read again
    table = pyogrio.read_dataframe(path, columns=[column], read_geometry=False)
    return tuple(sorted({str(v) for v in table[column].dropna()}))


def _shipped_ids(path: Path, column: str, argument: str) -> tuple[str, ...]:
    if not path.is_file():
        msg = (
            f"{path}: file not found, so the rules cannot be checked against it; rebuild it "
            f"with `python -m tools.build_data all` or pass `{argument}=` explicitly"
        )
        raise InputError(msg)
    return _ids_from_file(str(path), column, path.stat().st_mtime_ns)


def _valid_segments() -> tuple[str, ...]:
    # Imported here: layers.chain imports this module's plumbing at import time.
    from layers.chain import chain

    return tuple(chain().index)


# ----------------------------------------------------------------------------------------
# The loader.


def rules(
    path: str | os.PathLike[str] | None = None,
    *,
    segments: Collection[str] | None = None,
    zone_ids: Collection[str] | None = None,
    adcodes: Collection[str] | None = None,
) -> Rules:
    """Load and validate the plan's rules.

    Parameters
    ----------
    path : str or path-like, optional
        A rules file; default the shipped ``data/rules.yaml``.
    segments : collection of str, optional
        The valid segment keys; default the keys of :func:`layers.chain.chain`.
    zone_ids : collection of str, optional
        The valid zone ids; default the ``zone_id`` values of the shipped
        ``data/zones.geojson``.
    adcodes : collection of str, optional
        The valid district adcodes; default the ``adcode`` values of the shipped
        ``data/districts.geojson`` (the nine of :data:`NANCHANG_ADCODES`).
        Tests and callers with their own layers pass these three explicitly.

    Returns
    -------
    Rules
        The validated rules. Adcodes are 6-digit text; as_of is an ISO date string.

    Raises
    ------
    RuleError
        If anything is wrong: malformed YAML (with line and column), a top level that is not
        a mapping, missing or unknown fields, wrong types, unknown segment keys, zone ids or
        adcodes (each with the nearest valid key and the full list), duplicate area keys,
        areas with no members or no segments, a segment designated to two areas without
        being listed in ``shared_segments`` of both, and a key segment "without area" that
        an area designates. All problems are listed in one error.
    geo.InputError
        If the valid zone ids or adcodes are taken from a shipped layer file that is missing.

    Examples
    --------
    >>> r = rules()
    >>> [a.key for a in r.areas]
    ['battery', 'materials', 'control']
    >>> r.area("control").minus_zones
    ('nc_etdz',)
    """
    problems: list[str] = []
    doc = read_yaml(data_path(_FILE) if path is None else path, problems)
    top = doc.data
    if not isinstance(top, dict):
        problems.append(
            f"the top level must be a mapping with the fields {', '.join(_TOP_REQUIRED)}; "
            f"got {type_name(top)}"
        )
        raise RuleError(problems, doc.name)

    valid_segments = tuple(segments) if segments is not None else _valid_segments()
    valid_zones = (
        tuple(zone_ids)
        if zone_ids is not None
        else _shipped_ids(data_path("zones.geojson"), "zone_id", "zone_ids")
    )
    valid_adcodes = (
        tuple(str(a) for a in adcodes)
        if adcodes is not None
        else _shipped_ids(data_path("districts.geojson"), "adcode", "adcodes")
    )
    check = _Checker(doc, problems, valid_segments, valid_zones, valid_adcodes)

    require_mapping_keys(
        doc, (), top, required=_TOP_REQUIRED, optional=(), what="the rules file", problems=problems
    )
    version = check.version(top.get("version"))
    as_of = check.as_of(top.get("as_of"))
    source = check.source(top.get("source"))
    areas = check.areas(top.get("areas"))
    without = check.segment_keys(
        ("key_segments_without_area",), top.get("key_segments_without_area")
    )
    check.contradictions(areas, without)
    targets = check.targets(top.get("targets"))

    if problems:
        raise RuleError(sort_by_line(problems), doc.name)
    return Rules(
        areas=tuple(areas),
        key_segments_without_area=without,
        targets=targets,
        source=source,
        version=version,
        as_of=as_of,
        segment_keys=tuple(valid_segments),
    )


class _Checker:
    """Collects problems while turning the parsed rules into typed values."""

    def __init__(
        self,
        doc: YamlDoc,
        problems: list[str],
        segments: Sequence[str],
        zones: Sequence[str],
        adcodes: Sequence[str],
    ) -> None:
        self.doc = doc
        self.problems = problems
        self.segments = segments
        self.zones = zones
        self.adcodes = adcodes
        self.positions: dict[str, int] = {}  # area key -> its index in the file's list

    def add(self, path: YamlPath, message: str) -> None:
        self.problems.append(f"{self.doc.at(path)}: {message}")

    def version(self, value: object) -> int:
        if value is None:
            return 1
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.add(("version",), f"must be a whole number >= 1, got {type_name(value)} {value!r}")
        return 1

    def as_of(self, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        self.add(("as_of",), f'must be a date like "2023-09-09", got {value!r}')
        return ""

    def source(self, value: object) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(("source",), f"must be a mapping with at least `key`, got {type_name(value)}")
            return {}
        if not isinstance(value.get("key"), str) or not value["key"].strip():
            self.add(("source",), "needs `key`: the source key in data/SOURCES.md (e.g. S1)")
        return {str(k): str(v).strip() for k, v in value.items() if v is not None}

    def segment_keys(self, path: YamlPath, value: object) -> tuple[str, ...]:
        keys = key_list(self.doc, path, value, self.problems)
        good: list[str] = []
        for i, key in enumerate(keys):
            if key in self.segments:
                if key in good:
                    self.add((*path, i), f"segment {key!r} is listed twice: keep one")
                else:
                    good.append(key)
            else:
                self.add((*path, i), unknown_message("segment", key, self.segments))
        return tuple(good)

    def ids(
        self, path: YamlPath, value: object, valid: Sequence[str], kind: str, plural: str
    ) -> tuple[str, ...]:
        keys = key_list(self.doc, path, value, self.problems, adcodes=kind == "district adcode")
        good: list[str] = []
        for i, key in enumerate(keys):
            if key not in valid:
                self.add((*path, i), unknown_message(kind, key, valid, plural))
            elif key not in good:
                good.append(key)
        return tuple(good)

    def areas(self, value: object) -> list[AreaRule]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(("areas",), f"must be a list of areas, got {type_name(value)}")
            return []
        if not value:
            self.add(("areas",), "lists no area: the plan has three")
        out: list[AreaRule] = []
        first_seen: dict[str, int] = {}
        for i, raw in enumerate(value):
            area = self.area(i, raw)
            if area is None or not area.key:
                continue
            if area.key in first_seen:
                self.add(
                    ("areas", i, "key"),
                    f"area key {area.key!r} is used twice (first at "
                    f"areas[{first_seen[area.key]}]): area keys must be unique",
                )
                continue
            first_seen[area.key] = i
            self.positions[area.key] = i
            out.append(area)
        return out

    def area(self, i: int, raw: object) -> AreaRule | None:
        path: YamlPath = ("areas", i)
        if not isinstance(raw, dict):
            self.add(path, f"each area must be a mapping, got {type_name(raw)} {raw!r}")
            return None
        label = f"area {raw.get('key')!r}" if isinstance(raw.get("key"), str) else f"areas[{i}]"
        require_mapping_keys(
            self.doc,
            path,
            raw,
            required=_AREA_REQUIRED,
            optional=_AREA_OPTIONAL,
            what=label,
            problems=self.problems,
        )

        def text(name: str, *, required: bool = True) -> str:
            # A missing field was reported above; only a present one is checked here.
            if name not in raw:
                return ""
            return text_field(self.doc, (*path, name), raw[name], self.problems, required=required)

        key = text("key")
        if key and not _KEY_RE.match(key):
            self.add(
                (*path, "key"),
                f"area key {key!r} must be lower-case letters, digits and _ (e.g. 'battery')",
            )
        name_zh = text("name_zh")
        name_en = text("name_en")
        note = text("note", required=False)

        members = raw.get("members")
        districts: tuple[str, ...] = ()
        zones: tuple[str, ...] = ()
        if isinstance(members, dict):
            mpath = (*path, "members")
            require_mapping_keys(
                self.doc,
                mpath,
                members,
                required=(),
                optional=_MEMBER_KEYS,
                what=f"{label} members",
                problems=self.problems,
            )
            districts = self.ids(
                (*mpath, "districts"),
                members.get("districts"),
                self.adcodes,
                "district adcode",
                "district adcodes",
            )
            zones = self.ids(
                (*mpath, "zones"), members.get("zones"), self.zones, "zone id", "zone ids"
            )
            if not members.get("districts") and not members.get("zones"):
                self.add(
                    mpath,
                    f"{label} has no members: list at least one district adcode or zone id "
                    "under members.districts / members.zones",
                )
        elif "members" in raw:
            self.add(
                (*path, "members"),
                "must be a mapping {districts: [adcodes], zones: [zone ids]}, got "
                f"{type_name(members)} {members!r}",
            )
        minus = self.ids(
            (*path, "minus_zones"), raw.get("minus_zones"), self.zones, "zone id", "zone ids"
        )
        for z in minus:
            if z in zones:
                self.add(
                    (*path, "minus_zones"),
                    f"zone {z!r} is both a member and subtracted in {label}: remove it from one",
                )
        if minus and not districts and isinstance(members, dict):
            self.add(
                (*path, "minus_zones"),
                f"{label} subtracts zones but has no districts to subtract them from "
                "(minus_zones apply to the member districts only)",
            )

        segments = self.segment_keys((*path, "segments"), raw.get("segments"))
        if "segments" in raw and raw["segments"] in (None, []):
            self.add((*path, "segments"), f"{label} designates no segment: list at least one")
        shared = self.segment_keys((*path, "shared_segments"), raw.get("shared_segments"))
        for s in shared:
            if s not in segments and s in self.segments:
                self.add(
                    (*path, "shared_segments"),
                    f"{label} lists {s!r} as shared but does not designate it under segments: "
                    "add it to segments or remove it",
                )
        # Returned even when it has problems, so duplicates and double designations are
        # still found: the caller raises if any problem was reported.
        return AreaRule(
            key=key,
            name_zh=name_zh,
            name_en=name_en,
            districts=districts,
            zones=zones,
            minus_zones=minus,
            segments=segments,
            shared_segments=shared,
            note=note,
        )

    def contradictions(self, areas: Sequence[AreaRule], without: Sequence[str]) -> None:
        designated: dict[str, list[AreaRule]] = {}
        for a in areas:
            for s in a.segments:
                designated.setdefault(s, []).append(a)
        for segment, owners in designated.items():
            if len(owners) < 2:
                continue
            missing = [a.key for a in owners if segment not in a.shared_segments]
            if missing:
                names = " and ".join(repr(a.key) for a in owners)
                self.add(
                    ("areas", self.positions[owners[-1].key], "segments"),
                    f"segment {segment!r} is designated to areas {names}; a segment belongs to "
                    "one area unless every area that designates it lists it under "
                    f"shared_segments (missing in {', '.join(repr(m) for m in missing)}): "
                    "remove it from all but one area, or mark it shared",
                )
        for i, segment in enumerate(without):
            for a in designated.get(segment, []):
                self.add(
                    ("key_segments_without_area", i),
                    f"segment {segment!r} is listed as a key segment without area, but area "
                    f"{a.key!r} designates it: remove it from one of the two",
                )

    def targets(self, value: object) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(("targets",), f"must be a mapping, got {type_name(value)} {value!r}")
            return {}
        out: dict[str, Any] = {str(k): v for k, v in value.items()}
        for name, minimum in (("annual_scale_cny", 0.0), ("max_growth_pct", 0.0)):
            v = value.get(name)
            if name not in value:
                self.add(("targets",), f"targets is missing the required field {name!r}")
            elif isinstance(v, int | float) and not isinstance(v, bool) and v >= minimum:
                out[name] = float(v)
            else:
                hint = (
                    " (write 20000000000 or 2.0e+10: YAML reads 2.0e10 as text)"
                    if isinstance(v, str)
                    else ""
                )
                self.add(
                    ("targets", name),
                    f"must be a number >= {minimum:g}, got {type_name(v)} {v!r}{hint}",
                )
        return out
