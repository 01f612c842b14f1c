"""The two data files behind :mod:`layers.segments`, read and validated once.

- ``data/industry_codes.yaml``: GB/T 4754-2017 class codes with their official names, the
  candidate chain segments of each, whether the code alone settles the segment, and how the
  code stood in GB/T 4754-2011.
- ``data/segment_terms.yaml``: per segment, the exact names people write for it (synonyms)
  and the phrases that point to it in a 经营范围 text (positive) or hide a shorter positive
  phrase (negative); and the terms that name several segments at once.

Both are edited by hand, so every problem of a file is reported at once, each with its line
(:class:`layers.rules.RuleError`), like ``chain.yaml`` and ``rules.yaml``. The segment keys
they use are checked against the shipped chain (``data/chain.yaml``), which they belong to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from layers._yaml import (
    RuleError,
    YamlDoc,
    YamlPath,
    key_list,
    read_yaml,
    require_mapping_keys,
    sort_by_line,
    text_field,
    type_name,
    unknown_message,
)

__all__ = [
    "CODES_FILE",
    "TERMS_FILE",
    "CodeEntry",
    "CodeTable",
    "Terms",
    "load_codes",
    "load_terms",
    "norm",
    "norm_text",
]

CODES_FILE: Final = "industry_codes.yaml"
TERMS_FILE: Final = "segment_terms.yaml"

_CODE_RE: Final = re.compile(r"^[A-T]\d{4}$")
_STATUSES_2011: Final = ("same", "absent", "different", "narrowed")
# Separators people put into keys and names ("Li-ion cells", "DC/DC", "li_ion_cell"): ignored
# when a typed value is compared with a key, name or synonym.
_SEPARATORS: Final = re.compile(r"[\s\-_/·.,，、()（）]+")
_LOOSE_JOIN: Final = re.compile(r"(?<![a-z0-9])_|_(?![a-z0-9])")


def norm_text(text: str) -> str:
    """Return ``text`` in NFKC (full-width to half-width, compatibility forms), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def norm(text: str) -> str:
    """Return the form typed values are compared in.

    NFKC and case-folded; a run of separators between two Latin letters or digits is one
    ``_`` ("Copper foil", "copper-foil" -> ``copper_foil``; "copperfoil" stays a typo), and
    separators next to Chinese text are dropped ("锂电 铜箔" -> ``锂电铜箔``).
    """
    joined = _SEPARATORS.sub("_", norm_text(text).casefold())
    return _LOOSE_JOIN.sub("", joined)


@dataclass(frozen=True)
class CodeEntry:
    """One class code of the table (see ``data/industry_codes.yaml`` for the fields)."""

    code: str
    name: str
    edition: int
    segments: tuple[str, ...]
    ambiguous: bool
    note: str
    status_2011: str
    name_2011: str
    segments_2011: tuple[str, ...]
    ambiguous_2011: bool
    now: tuple[str, ...]

    @property
    def digits(self) -> str:
        """The four digits, unique across sections (divisions are numbered 01-97)."""
        return self.code[1:]


@dataclass(frozen=True)
class CodeTable:
    """The code table: entries by their four digits, and official names to digits."""

    entries: Mapping[str, CodeEntry]
    by_name: Mapping[str, str]
    edition: str


@dataclass(frozen=True)
class Terms:
    """The segment terms, checked.

    ``synonyms`` maps a normalised term (:func:`norm`) to ``(segment, term as written)``;
    ``ambiguous`` maps a normalised term to ``(term as written, candidates)``; ``phrases``
    maps a case-folded 经营范围 phrase to the segments it names (empty for a negative
    phrase), in the order the file lists them.
    """

    synonyms: Mapping[str, tuple[str, str]]
    ambiguous: Mapping[str, tuple[str, tuple[str, ...]]]
    phrases: Mapping[str, tuple[str, ...]]


def load_codes(path: str | Path, chain_keys: Iterable[str]) -> CodeTable:
    """Read and validate the industry-code table; raise RuleError listing every problem."""
    p = Path(path)
    return _codes(str(p.resolve()), p.stat().st_mtime_ns, tuple(chain_keys))


def load_terms(
    path: str | Path, chain_keys: Iterable[str], chain_names: Mapping[str, str]
) -> Terms:
    """Read and validate the segment terms; raise RuleError listing every problem.

    ``chain_names`` maps each chain name (zh and en) to its key: a synonym may not be
    another segment's name.
    """
    p = Path(path)
    names = tuple(sorted(chain_names.items()))
    return _terms(str(p.resolve()), p.stat().st_mtime_ns, tuple(chain_keys), names)


# ------------------------------------------------------------------ industry codes


@lru_cache(maxsize=8)
def _codes(path: str, mtime_ns: int, keys: tuple[str, ...]) -> CodeTable:
    # Cached on the file's modification time, so an edited file is read again.
    del mtime_ns
    problems: list[str] = []
    doc = read_yaml(path, problems)
    top = doc.data
    if not isinstance(top, dict):
        msg = f"the top level must be a mapping with `version` and `codes`; got {type_name(top)}"
        raise RuleError([msg], doc.name)
    require_mapping_keys(
        doc,
        (),
        top,
        required=("version", "edition", "codes"),
        optional=("amendment", "source"),
        what="the industry-code file",
        problems=problems,
    )
    edition = text_field(doc, ("edition",), top.get("edition", ""), problems)
    raw = top.get("codes")
    if not isinstance(raw, list):
        problems.append(f"{doc.at(('codes',))}: must be a list of codes, got {type_name(raw)}")
        raw = []
    entries: dict[str, CodeEntry] = {}
    lines: dict[str, str] = {}
    for i, item in enumerate(raw):
        code = item.get("code") if isinstance(item, dict) else None
        where = doc.at(("codes", i, "code"))
        if isinstance(code, str) and _CODE_RE.match(code.strip()):
            digits = code.strip()[1:]
            if digits in lines:
                problems.append(
                    f"{where}: code {code.strip()} is listed twice (first at {lines[digits]}); "
                    "keep one entry per code"
                )
                continue
            lines[digits] = where
        entry = _code_entry(doc, ("codes", i), item, keys, problems)
        if entry is not None:
            entries[entry.digits] = entry
    problems.extend(_old_targets(entries, lines))
    if problems:
        raise RuleError(sort_by_line(problems), doc.name)
    return CodeTable(entries=entries, by_name=_by_name(entries), edition=edition)


def _old_targets(entries: Mapping[str, CodeEntry], lines: Mapping[str, str]) -> list[str]:
    """Return a problem for each 2011 code whose `now` names another 2011 code."""
    return [
        f"{lines[digits]}: `now` of {entry.code} names {target}, which is itself a 2011 "
        "code: give the GB/T 4754-2017 code"
        for digits, entry in entries.items()
        if entry.edition == 2011
        for target in entry.now
        if (other := entries.get(target[1:])) is not None and other.edition == 2011
    ]


def _by_name(entries: Mapping[str, CodeEntry]) -> dict[str, str]:
    """Return official names (normalised) to digits; a 2017 name wins over a 2011 one."""
    by_name: dict[str, str] = {}
    for entry in sorted(entries.values(), key=lambda e: e.edition != 2017):
        by_name.setdefault(norm(entry.name), entry.digits)
    for entry in entries.values():
        if entry.name_2011:
            by_name.setdefault(norm(entry.name_2011), entry.digits)
    return by_name


_CODE_FIELDS: Final = ("code", "name", "segments")
_CODE_OPTIONAL: Final = ("edition", "ambiguous", "note", "gb2011", "now")


def _code_entry(
    doc: YamlDoc, path: YamlPath, item: object, keys: tuple[str, ...], problems: list[str]
) -> CodeEntry | None:
    if not isinstance(item, dict):
        problems.append(f"{doc.at(path)}: each code must be a mapping, got {type_name(item)}")
        return None
    code = item.get("code")
    label = f"code {code}" if isinstance(code, str) else f"codes[{path[-1]}]"
    require_mapping_keys(
        doc, path, item, required=_CODE_FIELDS, optional=_CODE_OPTIONAL, what=label,
        problems=problems,
    )  # fmt: skip
    n_before = len(problems)
    code = text_field(doc, (*path, "code"), code, problems)
    if code and not _CODE_RE.match(code):
        problems.append(
            f"{doc.at((*path, 'code'))}: code {code!r} must be a section letter and four "
            "digits, e.g. C3841"
        )
    name = text_field(doc, (*path, "name"), item.get("name"), problems)
    edition = item.get("edition", 2017)
    if edition not in (2011, 2017):
        problems.append(f"{doc.at((*path, 'edition'))}: edition must be 2017 or 2011")
        edition = 2017
    segments = _segment_keys(doc, (*path, "segments"), item.get("segments"), keys, problems)
    ambiguous = _flag(doc, (*path, "ambiguous"), item.get("ambiguous", False), problems)
    _check_ambiguous(doc, path, segments, ambiguous, problems)
    note = text_field(doc, (*path, "note"), item.get("note"), problems, required=False)
    now = _codes_list(doc, (*path, "now"), item.get("now"), problems)
    status, name11, amb11 = "", "", False
    segs11: tuple[str, ...] = ()
    if edition == 2011:
        if "gb2011" in item:
            problems.append(
                f"{doc.at((*path, 'gb2011'))}: a 2011 code has no `gb2011`; give the 2017 "
                "code(s) under `now`"
            )
        if not now:
            problems.append(
                f"{doc.at(path)}: {label} is a 2011 code: give its GB/T 4754-2017 code(s) "
                "under `now`"
            )
    else:
        if now:
            problems.append(f"{doc.at((*path, 'now'))}: `now` belongs under `gb2011` here")
        status, name11, segs11, amb11, now = _gb2011(
            doc, (*path, "gb2011"), item.get("gb2011"), keys, problems
        )
    if len(problems) > n_before:
        return None
    return CodeEntry(
        code=code,
        name=name,
        edition=int(edition),
        segments=segments,
        ambiguous=ambiguous or len(segments) > 1,
        note=note,
        status_2011=status,
        name_2011=name11,
        segments_2011=segs11,
        ambiguous_2011=amb11 or len(segs11) > 1,
        now=now,
    )


def _gb2011(
    doc: YamlDoc, path: YamlPath, value: object, keys: tuple[str, ...], problems: list[str]
) -> tuple[str, str, tuple[str, ...], bool, tuple[str, ...]]:
    if isinstance(value, str):
        if value not in ("same", "absent"):
            problems.append(
                f"{doc.at(path)}: gb2011 {value!r}: write `same`, `absent`, or a mapping with "
                "`status: different` or `status: narrowed`"
            )
        return value, "", (), False, ()
    if not isinstance(value, dict):
        problems.append(
            f"{doc.at(path)}: every 2017 code says how it stood in GB/T 4754-2011 (`gb2011: "
            f"same`, `absent`, or a mapping); got {type_name(value)}"
        )
        return "", "", (), False, ()
    require_mapping_keys(
        doc, path, value, required=("status", "now"),
        optional=("name", "segments", "ambiguous", "note"), what="gb2011", problems=problems,
    )  # fmt: skip
    status = value.get("status")
    if status not in _STATUSES_2011[2:]:
        problems.append(
            f"{doc.at((*path, 'status'))}: {unknown_message('status', status, _STATUSES_2011[2:])}"
        )
    name = text_field(
        doc, (*path, "name"), value.get("name"), problems, required=status == "different"
    )
    segments = _segment_keys(doc, (*path, "segments"), value.get("segments"), keys, problems)
    ambiguous = _flag(doc, (*path, "ambiguous"), value.get("ambiguous", False), problems)
    _check_ambiguous(doc, path, segments, ambiguous, problems)
    text_field(doc, (*path, "note"), value.get("note"), problems, required=False)
    now = _codes_list(doc, (*path, "now"), value.get("now"), problems)
    return str(status), name, segments, ambiguous, now


def _check_ambiguous(
    doc: YamlDoc, path: YamlPath, segments: tuple[str, ...], ambiguous: bool, problems: list[str]
) -> None:
    if len(segments) > 1 and not ambiguous:
        problems.append(
            f"{doc.at((*path, 'segments'))}: several candidate segments "
            f"({', '.join(segments)}): mark the code `ambiguous: true`; the tool never picks "
            "one of them without more evidence"
        )
    if ambiguous and not segments:
        problems.append(
            f"{doc.at((*path, 'ambiguous'))}: `ambiguous: true` needs candidate segments; a "
            "code outside the chain has `segments: []`"
        )


def _flag(doc: YamlDoc, path: YamlPath, value: object, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(f"{doc.at(path)}: must be true or false, got {type_name(value)} {value!r}")
    return False


def _codes_list(
    doc: YamlDoc, path: YamlPath, value: object, problems: list[str]
) -> tuple[str, ...]:
    codes = key_list(doc, path, value, problems)
    for j, code in enumerate(codes):
        if not _CODE_RE.match(code):
            problems.append(
                f"{doc.at((*path, j))}: code {code!r} must be a section letter and four "
                "digits, e.g. C3841"
            )
    return codes


def _segment_keys(
    doc: YamlDoc, path: YamlPath, value: object, keys: tuple[str, ...], problems: list[str]
) -> tuple[str, ...]:
    if value is None:
        return ()
    found = key_list(doc, path, value, problems)
    for j, key in enumerate(found):
        if key not in keys:
            problems.append(f"{doc.at((*path, j))}: {unknown_message('segment', key, keys)}")
    return tuple(dict.fromkeys(k for k in found if k in keys))


# ------------------------------------------------------------------ segment terms


@dataclass
class _Collected:
    """What the `segments` entries of a terms file say, with where each thing was said."""

    named: dict[str, str]
    synonyms: dict[str, tuple[str, str]]
    synonym_at: dict[str, str]
    positives: dict[str, list[str]]
    positive_at: dict[str, str]
    negatives: dict[str, str]
    key_at: dict[str, str]


@lru_cache(maxsize=8)
def _terms(
    path: str, mtime_ns: int, keys: tuple[str, ...], names: tuple[tuple[str, str], ...]
) -> Terms:
    del mtime_ns
    problems: list[str] = []
    doc = read_yaml(path, problems)
    top = doc.data
    if not isinstance(top, dict):
        msg = f"the top level must be a mapping with `version` and `segments`; got {type_name(top)}"
        raise RuleError([msg], doc.name)
    require_mapping_keys(
        doc, (), top, required=("version", "segments"), optional=("ambiguous",),
        what="the segment-terms file", problems=problems,
    )  # fmt: skip
    # Every word that already names a segment: its key and its chain names.
    named = {norm(k): k for k in keys} | {norm(n): k for n, k in names}
    got = _Collected(named, {}, {}, {}, {}, {}, {})
    raw = top.get("segments")
    if not isinstance(raw, list):
        problems.append(f"{doc.at(('segments',))}: must be a list, got {type_name(raw)}")
        raw = []
    for i, item in enumerate(raw):
        _segment_terms(doc, ("segments", i), item, keys=keys, got=got, problems=problems)
    for folded, at in got.negatives.items():
        if folded in got.positives:
            problems.append(
                f"{at}: phrase {folded!r} is negative here but positive at "
                f"{got.positive_at[folded]}: a phrase is one or the other"
            )
    ambiguous = _ambiguous_terms(doc, top.get("ambiguous"), keys, got, problems)
    if problems:
        raise RuleError(sort_by_line(problems), doc.name)
    phrases: dict[str, tuple[str, ...]] = {p: tuple(v) for p, v in got.positives.items()}
    phrases.update(dict.fromkeys(got.negatives, ()))
    return Terms(synonyms=got.synonyms, ambiguous=ambiguous, phrases=phrases)


def _segment_terms(
    doc: YamlDoc,
    path: YamlPath,
    item: object,
    *,
    keys: tuple[str, ...],
    got: _Collected,
    problems: list[str],
) -> None:
    if not isinstance(item, dict):
        problems.append(f"{doc.at(path)}: each entry must be a mapping, got {type_name(item)}")
        return
    require_mapping_keys(
        doc, path, item, required=("key",), optional=("synonyms", "positive", "negative"),
        what=f"segments[{path[-1]}]", problems=problems,
    )  # fmt: skip
    key = text_field(doc, (*path, "key"), item.get("key"), problems)
    where = doc.at((*path, "key"))
    if key and key not in keys:
        problems.append(f"{where}: {unknown_message('segment', key, keys)}")
        return
    if key in got.key_at:
        problems.append(f"{where}: segment {key!r} has two entries (first at {got.key_at[key]})")
        return
    got.key_at[key] = where
    for j, term in enumerate(key_list(doc, (*path, "synonyms"), item.get("synonyms"), problems)):
        at = doc.at((*path, "synonyms", j))
        n = norm(term)
        if got.named.get(n, key) != key:
            problems.append(
                f"{at}: synonym {term!r} already names segment {got.named[n]!r}: remove it "
                "here, or list it under `ambiguous` if it can mean both"
            )
        elif n in got.synonyms and got.synonyms[n][0] != key:
            problems.append(
                f"{at}: synonym {term!r} is also given for {got.synonyms[n][0]!r} (at "
                f"{got.synonym_at[n]}): a term that can mean both belongs under `ambiguous`"
            )
        elif n and n not in got.synonyms:
            got.synonyms[n] = (key, term)
            got.synonym_at[n] = at
    for j, phrase in enumerate(key_list(doc, (*path, "positive"), item.get("positive"), problems)):
        folded = norm_text(phrase).casefold()
        segments = got.positives.setdefault(folded, [])
        if key not in segments:
            segments.append(key)
        got.positive_at.setdefault(folded, doc.at((*path, "positive", j)))
    for j, phrase in enumerate(key_list(doc, (*path, "negative"), item.get("negative"), problems)):
        got.negatives.setdefault(norm_text(phrase).casefold(), doc.at((*path, "negative", j)))


def _ambiguous_terms(
    doc: YamlDoc, raw: object, keys: tuple[str, ...], got: _Collected, problems: list[str]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    named, synonyms = got.named, got.synonyms
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    if raw is None:
        return out
    if not isinstance(raw, list):
        problems.append(f"{doc.at(('ambiguous',))}: must be a list, got {type_name(raw)}")
        return out
    for i, item in enumerate(raw):
        path: YamlPath = ("ambiguous", i)
        if not isinstance(item, dict):
            problems.append(f"{doc.at(path)}: must be a mapping {{term, candidates, why}}")
            continue
        require_mapping_keys(
            doc, path, item, required=("term", "candidates", "why"), optional=(),
            what="an ambiguous term", problems=problems,
        )  # fmt: skip
        term = text_field(doc, (*path, "term"), item.get("term"), problems)
        text_field(doc, (*path, "why"), item.get("why"), problems)
        candidates = _segment_keys(
            doc, (*path, "candidates"), item.get("candidates"), keys, problems
        )
        n = norm(term)
        at = doc.at((*path, "term"))
        if len(candidates) < 2:
            problems.append(
                f"{doc.at((*path, 'candidates'))}: an ambiguous term needs two or more "
                "candidates; a term with one segment is a synonym"
            )
        elif n in named or n in synonyms:
            owner = named.get(n) or synonyms[n][0]
            problems.append(f"{at}: term {term!r} already names segment {owner!r}")
        elif n in out:
            problems.append(f"{at}: term {term!r} is listed twice")
        elif n:
            out[n] = (term, candidates)
    return out
