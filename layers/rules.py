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

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import pyogrio

from geo import InputError
from layers._texts import both, words
from layers._yaml import (
    ProblemList,
    RuleError,
    read_yaml,
    require_mapping_keys,
    sort_by_line,
    type_text,
    unknown_text,
)
from layers.chain import chain
from layers.i18n import text
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

_TOP_REQUIRED: Final = (
    "version",
    "as_of",
    "source",
    "areas",
    "key_segments_without_area",
    "targets",
)


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
        geo.InputError
            If ``segment`` is not a chain segment key; the message names the nearest key
            (a ``ValueError``, in English and Chinese).

        Examples
        --------
        >>> r = rules()
        >>> r.designated_areas("li_ion_cell"), r.designated_areas("pv_cell")
        (('battery',), ())
        """
        if self.segment_keys and segment not in self.segment_keys:
            raise InputError(unknown_text("segment", segment, self.segment_keys))
        return tuple(a.key for a in self.areas if segment in a.segments)

    def area(self, key: str) -> AreaRule:
        """Return the area with this key.

        Raises
        ------
        geo.InputError
            If no area has the key; the message lists the keys and the nearest one (a
            ``ValueError``, in English and Chinese).
        """
        for a in self.areas:
            if a.key == key:
                return a
        raise InputError(unknown_text("area", key, [a.key for a in self.areas]))


# ----------------------------------------------------------------------------------------
# The valid keys.


@lru_cache(maxsize=8)
def _ids_from_file(path: str, column: str, mtime_ns: int) -> tuple[str, ...]:
    del mtime_ns  # part of the cache key only: a rebuilt file is read again
    table = pyogrio.read_dataframe(path, columns=[column], read_geometry=False)
    return tuple(sorted({str(v) for v in table[column].dropna()}))


def _shipped_ids(path: Path, column: str, argument: str) -> tuple[str, ...]:
    if not path.is_file():
        raise InputError(text("check.rules.shipped_missing", path=path, argument=argument))
    return _ids_from_file(str(path), column, path.stat().st_mtime_ns)


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
    problems: ProblemList = []
    doc = read_yaml(data_path(_FILE) if path is None else path, problems)
    top = doc.data
    if not isinstance(top, dict):
        problems.append(
            both("check.rules.top_mapping", fields=", ".join(_TOP_REQUIRED), type=type_text(top))
        )
        raise RuleError(problems, doc.name)

    valid_segments = tuple(segments) if segments is not None else tuple(chain().index)
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
    # Imported here: the checks build this module's AreaRule, so they import it at load time.
    from layers._rule_checks import RuleChecker

    check = RuleChecker(doc, problems, valid_segments, valid_zones, valid_adcodes)

    require_mapping_keys(
        doc,
        (),
        top,
        required=_TOP_REQUIRED,
        optional=(),
        what=words("check.rules.file"),
        problems=problems,
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
