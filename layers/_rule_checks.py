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

from geo.messages import Text
from layers._texts import both, join_both
from layers._yaml import (
    ProblemList,
    YamlDoc,
    YamlPath,
    key_list,
    require_mapping_keys,
    text_field,
    type_text,
    unknown_text,
)
from layers.i18n import text as text_of
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
        problems: ProblemList,
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

    def add(self, path: YamlPath, message: Text) -> None:
        self.problems.append(self.doc.problem(path, message))

    def version(self, value: object) -> int:
        if value is None:
            return 1
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.add(("version",), both("check.rules.version", type=type_text(value), value=value))
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
        self.add(("as_of",), text_of("check.rules.as_of", value=value))
        return ""

    def source(self, value: object) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(("source",), both("check.rules.source_mapping", type=type_text(value)))
            return {}
        if not isinstance(value.get("key"), str) or not value["key"].strip():
            self.add(("source",), text_of("check.rules.source_key"))
        return {str(k): str(v).strip() for k, v in value.items() if v is not None}

    def segment_keys(self, path: YamlPath, value: object) -> tuple[str, ...]:
        keys = key_list(self.doc, path, value, self.problems)
        good: list[str] = []
        for i, key in enumerate(keys):
            if key in self.segments:
                if key in good:
                    self.add((*path, i), text_of("check.rules.segment_twice", key=key))
                else:
                    good.append(key)
            else:
                self.add((*path, i), unknown_text("segment", key, self.segments))
        return tuple(good)

    def ids(
        self, path: YamlPath, value: object, valid: Sequence[str], kind: str
    ) -> tuple[str, ...]:
        """Check a list of ``kind`` ("zone" or "adcode") keys against the valid ones."""
        keys = key_list(self.doc, path, value, self.problems, adcodes=kind == "adcode")
        good: list[str] = []
        for i, key in enumerate(keys):
            if key not in valid:
                self.add((*path, i), unknown_text(kind, key, valid))
            elif key not in good:
                good.append(key)
        return tuple(good)

    def areas(self, value: object) -> list[AreaRule]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(("areas",), both("check.rules.areas_list", type=type_text(value)))
            return []
        if not value:
            self.add(("areas",), text_of("check.rules.no_area"))
        out: list[AreaRule] = []
        first_seen: dict[str, int] = {}
        for i, raw in enumerate(value):
            area = self.area(i, raw)
            if area is None or not area.key:
                continue
            if area.key in first_seen:
                self.add(
                    ("areas", i, "key"),
                    text_of("check.rules.area_twice", key=area.key, first=first_seen[area.key]),
                )
                continue
            first_seen[area.key] = i
            self.positions[area.key] = i
            out.append(area)
        return out

    def area(self, i: int, raw: object) -> AreaRule | None:
        path: YamlPath = ("areas", i)
        if not isinstance(raw, dict):
            self.add(path, both("check.rules.area_mapping", type=type_text(raw), value=raw))
            return None
        label = (
            text_of("check.rules.area_label", key=raw.get("key"))
            if isinstance(raw.get("key"), str)
            else text_of("check.rules.area_index", i=i)
        )
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
            self.add((*path, "key"), text_of("check.rules.area_key_format", key=key))
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
                what=both("check.rules.members_label", label=label),
                problems=self.problems,
            )
            districts = self.ids(
                (*mpath, "districts"), members.get("districts"), self.adcodes, "adcode"
            )
            zones = self.ids((*mpath, "zones"), members.get("zones"), self.zones, "zone")
            if not members.get("districts") and not members.get("zones"):
                self.add(mpath, both("check.rules.no_members", label=label))
        elif "members" in raw:
            self.add(
                (*path, "members"),
                both("check.rules.members_mapping", type=type_text(members), value=members),
            )
        minus = self.ids((*path, "minus_zones"), raw.get("minus_zones"), self.zones, "zone")
        for z in minus:
            if z in zones:
                self.add(
                    (*path, "minus_zones"),
                    both("check.rules.member_and_minus", zone=z, label=label),
                )
        if minus and not districts and isinstance(members, dict):
            self.add(
                (*path, "minus_zones"), both("check.rules.minus_without_districts", label=label)
            )

        segments = self.segment_keys((*path, "segments"), raw.get("segments"))
        if "segments" in raw and raw["segments"] in (None, []):
            self.add((*path, "segments"), both("check.rules.no_segments", label=label))
        shared = self.segment_keys((*path, "shared_segments"), raw.get("shared_segments"))
        for s in shared:
            if s not in segments and s in self.segments:
                self.add(
                    (*path, "shared_segments"),
                    both("check.rules.shared_not_designated", label=label, segment=s),
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
                self.add(
                    ("areas", self.positions[owners[-1].key], "segments"),
                    both(
                        "check.rules.double_designation",
                        segment=segment,
                        names=join_both((repr(a.key) for a in owners), en=" and "),
                        missing=join_both(repr(m) for m in missing),
                    ),
                )
        for i, segment in enumerate(without):
            for a in designated.get(segment, []):
                self.add(
                    ("key_segments_without_area", i),
                    text_of("check.rules.without_area_designated", segment=segment, area=a.key),
                )

    def targets(self, value: object) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(
                ("targets",),
                both("check.rules.targets_mapping", type=type_text(value), value=value),
            )
            return {}
        out: dict[str, Any] = {str(k): v for k, v in value.items()}
        for name, minimum in (("annual_scale_cny", 0.0), ("max_growth_pct", 0.0)):
            v = value.get(name)
            if name not in value:
                self.add(("targets",), text_of("check.rules.targets_missing", name=name))
            elif isinstance(v, int | float) and not isinstance(v, bool) and v >= minimum:
                out[name] = float(v)
            else:
                hint = text_of("check.rules.targets_hint") if isinstance(v, str) else Text("", "")
                self.add(
                    ("targets", name),
                    both(
                        "check.rules.targets_number",
                        minimum=minimum,
                        type=type_text(v),
                        value=v,
                        hint=hint,
                    ),
                )
        return out
