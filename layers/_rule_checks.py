"""The checks :func:`layers.rules.rules` runs on a parsed rules file.

:class:`RuleChecker` turns each part of the file into typed values (a
:class:`layers.rules.AreaRule` per area) and appends one message per problem, each starting
with its line, so the loader can report every problem at once. It keeps going after a
problem (a bad area is still returned), so that duplicates and double designations are
found in the same run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, Final

from layers._yaml import (
    YamlDoc,
    YamlPath,
    key_list,
    require_mapping_keys,
    text_field,
    type_name,
    unknown_message,
)
from layers.rules import AreaRule

__all__ = ["RuleChecker"]

_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_AREA_REQUIRED: Final = ("key", "name_zh", "name_en", "members", "segments")
_AREA_OPTIONAL: Final = ("minus_zones", "shared_segments", "note")
_MEMBER_KEYS: Final = ("districts", "zones")


class RuleChecker:
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
