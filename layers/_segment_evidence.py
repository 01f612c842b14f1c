"""The evidence :mod:`layers.segments` weighs: segment values, industry codes, phrases.

Each kind of evidence is computed per distinct value (a segment text, a code/name pair, a
经营范围 text) and returned with the codes that map it back to the rows; :func:`combine`
then decides once per combination of evidence. Nothing here loops over rows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.messages import Text
from layers._enterprise_checks import as_text
from layers._segment_data import (
    CODES_FILE,
    TERMS_FILE,
    CodeEntry,
    CodeTable,
    Terms,
    load_codes,
    load_terms,
    norm,
    norm_text,
)
from layers.chain import chain as shipped_chain
from layers.i18n import t, text
from layers.settings import data_path

__all__ = [
    "EDITION",
    "Code",
    "Context",
    "Found",
    "Resolution",
    "code_evidence",
    "column",
    "combine",
    "context",
    "exact_keys",
    "explicit",
    "hints",
    "key_resolution",
    "keys_of",
    "pairs",
    "phrases",
    "quotes",
    "split",
]

EDITION: Final = "GB/T 4754-2017"
_BASE: Final[dict[str, float]] = {"segment": 1.0, "code": 0.8, "scope": 0.6, "name": 0.5}
"""Confidence of a segment given by each kind of evidence on its own."""
_NARROWED: Final = 0.1
"""Taken off when later evidence narrowed or confirmed the candidates of earlier evidence."""
_AROUND: Final = 10
"""Characters quoted on each side of the phrase found in 经营范围 or the name."""
# A class code inside whatever a cell holds: "C3841", "3841", "c 3841", "3841.0",
# "C3841 锂离子电池制造". Four digits exactly: C38 or 38411 is no class code.
_CODE_IN_TEXT: Final = re.compile(r"(?<![0-9A-Z])([A-Z]?)(\d{4})(?![0-9])")
_CODE_JUNK: Final = re.compile(r"[\s\-_:：]+")


@dataclass(frozen=True)
class Resolution:
    """How a value or a row was read as a segment (public as ``layers.segments.Resolution``).

    Attributes
    ----------
    segment : str
        The segment key, or ``""`` when there is none or several candidates.
    basis : str
        The evidence, e.g. ``"synonym 铜箔"``, ``"industry code C3841 锂离子电池制造
        (GB/T 4754-2017)"``, ``"经营范围: 磷酸铁锂正极材料的研发、生产"``; several pieces are
        joined with ``" + "``.
    confidence : float
        In [0, 1]: 1.0 for a value given in the segment column, 0.8 for an industry code,
        0.6 for 经营范围, 0.5 for the name, 0.1 less when later evidence narrowed or
        confirmed earlier candidates; 0.0 without a segment.
    candidates : tuple of str
        The segments the evidence allows (one when resolved, none when nothing points to
        the chain).
    """

    segment: str
    basis: str
    confidence: float
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Code:
    """What one (industry code, industry name) pair says."""

    state: str  # none | bad | unknown | ok | old | maybe_old
    shown: str
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False
    basis: str = ""
    problem: str = ""
    problem_zh: str = ""

    @property
    def counts(self) -> bool:
        """Whether the code is evidence (in the table, inside or outside the chain)."""
        return self.state in ("ok", "old", "maybe_old")


@dataclass(frozen=True)
class Context:
    """Everything the evidence needs for one chain, built once."""

    keys: tuple[str, ...]
    lookup: Mapping[str, Resolution]
    codes: CodeTable
    scan: str
    any_phrase: str
    masks: Mapping[str, int]
    # The keys a segment value written exactly as the key resolves to as "segment key K"
    # (all of them, unless two keys normalise alike): such rows need no other evidence.
    exact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """Phrases found in one text column.

    Per row a bitmask of segments and the code of its distinct text; the distinct texts as
    written; and the first phrase found per (text, segment).
    """

    mask: npt.NDArray[np.int64]
    codes: npt.NDArray[np.intp]
    texts: pa.LargeStringArray  # the distinct texts as written
    hits: pd.DataFrame  # u (text), bit (segment), phrase, k (order found)


def context(chain: pd.DataFrame | None) -> Context:
    """Return the context for ``chain`` (default: the shipped one).

    Rebuilt when a data file changes: the cache is keyed on their modification times.
    """
    table = shipped_chain() if chain is None else chain
    keys = tuple(str(k) for k in table.index)
    names = tuple(
        (str(k), str(v))
        for col in ("name_zh", "name_en")
        if col in table.columns
        for k, v in table[col].items()
        if isinstance(v, str) and v.strip()
    )
    stamps = (data_path(CODES_FILE).stat().st_mtime_ns, data_path(TERMS_FILE).stat().st_mtime_ns)
    return _build(keys, names, stamps)


@lru_cache(maxsize=8)
def _build(
    keys: tuple[str, ...], names: tuple[tuple[str, str], ...], stamps: tuple[int, int]
) -> Context:
    del stamps  # part of the cache key only
    if len(keys) > 62:
        msg = f"`chain` has {len(keys)} segments; the segment evidence handles up to 62"
        raise ValueError(msg)
    # The two files belong to the shipped chain and are checked against it; a custom chain
    # only filters the candidates.
    shipped = shipped_chain()
    shipped_keys = tuple(str(k) for k in shipped.index)
    shipped_names = {
        str(v): str(k) for col in ("name_zh", "name_en") for k, v in shipped[col].items()
    }
    codes = load_codes(data_path(CODES_FILE), shipped_keys)
    terms = load_terms(data_path(TERMS_FILE), shipped_keys, shipped_names)
    bit = {k: 1 << i for i, k in enumerate(keys)}
    masks = {p: sum(bit[k] for k in segs if k in bit) for p, segs in terms.phrases.items()}
    scan, any_phrase = _re2(list(terms.phrases)) if terms.phrases else ("", "")
    lookup = _lookup(keys, names, terms)
    exact = tuple(k for k in keys if lookup.get(norm(k)) == key_resolution(k))
    return Context(keys, lookup, codes, scan, any_phrase, masks, exact)


def key_resolution(key: str) -> Resolution:
    """Return how a value written as the segment key ``key`` is read."""
    return Resolution(key, t("segments.basis.key", "en", key=key), 1.0, (key,))


def _lookup(
    keys: tuple[str, ...], names: tuple[tuple[str, str], ...], terms: Terms
) -> dict[str, Resolution]:
    found = {norm(k): key_resolution(k) for k in keys}
    for key, name in names:
        basis = t("segments.basis.name", "en", name=name)
        found.setdefault(norm(name), Resolution(key, basis, 1.0, (key,)))
    for n, (key, term) in terms.synonyms.items():
        if key in keys:
            basis = t("segments.basis.synonym", "en", term=term)
            found.setdefault(n, Resolution(key, basis, 1.0, (key,)))
    for n, (term, candidates) in terms.ambiguous.items():
        kept = tuple(c for c in candidates if c in keys)
        basis = t("segments.basis.synonym", "en", term=term)
        if len(kept) == 1:
            found.setdefault(n, Resolution(kept[0], basis, 1.0, kept))
        elif kept:
            found.setdefault(n, Resolution("", basis, 0.0, kept))
    return found


def keys_of(ctx: Context, mask: int) -> tuple[str, ...]:
    """Return the segment keys of a bitmask, in chain order."""
    return tuple(k for i, k in enumerate(ctx.keys) if mask >> i & 1)


def texts(
    frame: pd.DataFrame, name: str, keep: npt.NDArray[np.bool_] | None = None
) -> pa.LargeStringArray:
    """Return a column as Arrow text: trimmed, "" when missing, blank or not in ``keep``.

    Strings stay in Arrow (no Python object per row); numbers read from a spreadsheet
    (3841.0) become their text, as :func:`layers.enterprises` reads them.
    """
    n = len(frame)
    if name not in frame.columns:
        return pa.repeat(pa.scalar("", pa.large_string()), n)
    values = frame[name]
    try:
        arr = pa.array(values, from_pandas=True)
        if not pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.large_string())
        if isinstance(arr, pa.ChunkedArray):  # an Arrow-backed column read in pieces
            arr = arr.combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        arr = pa.array(as_text(values).to_numpy(dtype=object), type=pa.large_string())
    arr = pc.fill_null(pc.utf8_trim_whitespace(arr), pa.scalar("", pa.large_string()))
    if keep is not None:
        arr = pc.if_else(pa.array(keep, type=pa.bool_()), arr, pa.scalar("", pa.large_string()))
    return arr


def exact_keys(ctx: Context, given: pa.Array) -> npt.NDArray[np.intp]:
    """Per row the position in ``ctx.exact`` of its segment value (trimmed), -1 for others.

    Found in Arrow in one pass: a list that names its segments by key settles each row
    without reading any other evidence.
    """
    found = pc.index_in(given, value_set=pa.array(ctx.exact, type=pa.large_string()))
    positions: npt.NDArray[np.intp] = (
        pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.intp)
    )
    return positions


def factorize(arr: pa.Array) -> tuple[npt.NDArray[np.intp], pa.Array]:
    """Return per row the code of its distinct value, and the distinct values (Arrow)."""
    encoded = pc.dictionary_encode(arr)
    return encoded.indices.to_numpy().astype(np.intp), encoded.dictionary


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a text column as a Series of str ("" when missing), indexed 0..n-1."""
    return pd.Series(texts(frame, name).to_numpy(zero_copy_only=False), dtype=object)


# ------------------------------------------------------------------ segment values


def explicit(ctx: Context, value: str) -> Resolution | None:
    """Return the Resolution of a segment value; None when blank or unknown."""
    return ctx.lookup.get(norm(value)) if value.strip() else None


def hints(ctx: Context, given: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'did you mean ...?' per row, in English and Chinese, per distinct value (a few typos)."""
    options = list(ctx.lookup)
    out: dict[str, Text] = {}
    for value in pd.unique(given.to_numpy(dtype=object)):
        # 0.6, stricter than the rules' 0.5: a segment list holds many short synonyms, and
        # a far-fetched guess ("banana" -> na_ion_cell) is worse than none.
        close = difflib.get_close_matches(norm(str(value)), options, n=1, cutoff=0.6)
        best = close[0] if close and str(value).strip() else None
        hit = ctx.lookup.get(best) if best else None
        if hit is None:
            out[str(value)] = text("segments.hint.none")
        elif hit.segment:
            out[str(value)] = text("segments.hint.key", segment=hit.segment)
        else:
            term = hit.basis.removeprefix("synonym ")
            out[str(value)] = Text(
                t("segments.hint.term", "en", term=term, candidates=", ".join(hit.candidates)),
                t("segments.hint.term", "zh", term=term, candidates="、".join(hit.candidates)),
            )
    return (
        given.map({v: h.en for v, h in out.items()}),
        given.map({v: h.zh for v, h in out.items()}),
    )


# ------------------------------------------------------------------ industry codes


def pairs(
    frame: pd.DataFrame, keep: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], list[tuple[str, str]]]:
    """Per row the code of its (industry code, industry name) pair, and the distinct pairs.

    Rows outside ``keep`` get the empty pair (no evidence).
    """
    joined = pc.binary_join_element_wise(
        texts(frame, "industry_code", keep),
        texts(frame, "industry_name", keep),
        pa.scalar("\x1f", type=pa.large_string()),
    )
    codes, uniques = factorize(joined)
    return codes, [split(str(u)) for u in uniques.to_pylist()]


def split(pair: str) -> tuple[str, str]:
    """Split a joined pair back into (code, name)."""
    code, _, name = pair.partition("\x1f")
    return code, name


def code_evidence(ctx: Context, code: str, name: str) -> Code:  # noqa: PLR0911 - one per case
    """Return what a code (and the industry name beside it) says; the name alone if no code."""
    table = ctx.codes
    if not code:
        digits = table.by_name.get(norm(name)) if name else None
        if digits is None:
            return Code("none", "")
        named = table.entries[digits]
        old = named.edition == 2011 or norm(name) == norm(named.name_2011)
        return _entry(ctx, named, old=old, by_name=name)
    match = _CODE_IN_TEXT.search(_CODE_JUNK.sub("", norm_text(code).upper()))
    if match is None:
        bad = text("segments.code.bad", code=code)
        return Code("bad", code, problem=bad.en, problem_zh=bad.zh)
    letter, digits = match.groups()
    entry = table.entries.get(digits)
    if entry is None or (letter and letter != entry.code[0]):
        shown = letter + digits
        hint = text("segments.code.hint", code=entry.code) if entry is not None else Text("", "")
        where: dict[str, object] = {"code": shown, "n": len(table.entries), "file": CODES_FILE}
        return Code(
            "unknown",
            shown,
            problem=t("segments.code.unknown", "en", hint=hint.en, **where),
            problem_zh=t("segments.code.unknown", "zh", hint=hint.zh, **where),
        )
    if entry.edition == 2011:
        return _entry(ctx, entry, old=True)
    if entry.status_2011 == "different":
        if name and norm(name) == norm(entry.name_2011):
            return _entry(ctx, entry, old=True)
        if not name or norm(name) != norm(entry.name):
            ev = _entry(ctx, entry, old=False)
            said = {"code": entry.code, "name": entry.name, "name_2011": entry.name_2011}
            problem = Text(
                t("segments.code.maybe_old", "en", now=", ".join(entry.now), **said),
                t("segments.code.maybe_old", "zh", now="、".join(entry.now), **said),
            )
            return Code("maybe_old", ev.shown, ev.candidates, ev.ambiguous, ev.basis, *problem)
    return _entry(ctx, entry, old=False)


def _entry(ctx: Context, entry: CodeEntry, *, old: bool, by_name: str = "") -> Code:
    if entry.edition == 2011 or not old:
        segments, ambiguous, name = entry.segments, entry.ambiguous, entry.name
    else:
        segments, ambiguous, name = entry.segments_2011, entry.ambiguous_2011, entry.name_2011
    now = ", ".join(entry.now)
    kept = tuple(s for s in segments if s in ctx.keys)
    if by_name:
        key = "segments.basis.by_name_2011" if old else "segments.basis.by_name"
        head = t(key, "en", name=by_name, code=entry.code, now=now)
    else:
        key = "segments.basis.code_2011" if old else "segments.basis.code"
        head = t(key, "en", code=entry.code, name=name, now=now)
    problem = Text("", "")
    if old:
        said = {"code": entry.code, "name": name}
        problem = Text(
            t("segments.code.old", "en", now=now, **said),
            t("segments.code.old", "zh", now="、".join(entry.now), **said),
        )
    return Code(
        "old" if old else "ok",
        entry.code,
        kept,
        ambiguous or len(kept) > 1,
        head if kept else t("segments.basis.outside", "en", basis=head),
        *problem,
    )


# ------------------------------------------------------------------ phrases
#
# The scan runs in Arrow's RE2 (C++), not Python's re: a registry holds a million distinct
# 经营范围 texts, and Python's re needs ~50 µs for each against 200+ phrases. RE2's
# leftmost-first alternation reads a text exactly as the longest-first phrase list says;
# RE2 has no look-around, so Latin phrases are matched as whole ASCII words instead: the
# pattern's last alternative eats every ASCII word, and only words that are phrases count.


def _re2(phrases: list[str]) -> tuple[str, str]:
    """Return (scan pattern, pre-filter pattern) for the phrases, RE2 syntax."""
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    words = [re.escape(p) for p in ordered if not _ascii_word(p)]
    # Latin phrases all start with a letter, so runs of digits need no token of their own.
    scan = "(?i)(" + "|".join([*words, "[a-z][a-z0-9]*"]) + ")"
    # Texts that may hold a phrase: one of them as written, or any full-width Latin letter or
    # digit (ＰＣＳ), which NFKC may turn into one.
    any_phrase = "(?i)" + "|".join([*(re.escape(p) for p in ordered), "[０-９Ａ-Ｚａ-ｚ]"])
    return scan, any_phrase


def _ascii_word(phrase: str) -> bool:
    return phrase.isascii() and phrase.isalnum()


def _loose(phrase: str) -> str:
    """RE2 pattern of a phrase as found after NFKC, matching its full-width forms too."""
    out = []
    for ch in phrase:
        if "!" <= ch <= "~":  # printable ASCII: also its full-width form (Ｐ, ／)
            variants = {ch, ch.lower(), ch.upper(), chr(ord(ch) + 0xFEE0)}
            out.append("[" + "".join(re.escape(v) for v in sorted(variants)) + "]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def phrases(ctx: Context, column_texts: pa.Array) -> Found:
    """Find the segment phrases of every distinct text and map the result back to rows."""
    codes, original = factorize(column_texts)
    masks = np.zeros(len(original), dtype=np.int64)
    hits = pd.DataFrame(
        {
            "u": pd.Series(dtype=np.intp),
            "bit": pd.Series(dtype=np.int64),
            "phrase": pd.Series(dtype=object),
            "k": pd.Series(dtype=np.intp),
        }
    )
    if ctx.scan and len(original):
        # Only texts that may hold a phrase are normalised and read (a registry's cafes and
        # shops are skipped by one fast pass).
        maybe = np.flatnonzero(
            pc.match_substring_regex(original, ctx.any_phrase).to_numpy(zero_copy_only=False)
        )
        if len(maybe):
            clean = pc.utf8_normalize(pc.take(original, pa.array(maybe)), "NFKC")
            if pc.any(pc.match_substring_regex(clean, "[\x01\x02]")).as_py():
                # The two marks below must not occur in the text itself.
                clean = pc.replace_substring_regex(clean, "[\x01\x02]", "")
            marked = pc.replace_substring_regex(clean, ctx.scan, "\x01\\1\x02")
            pieces = pc.split_pattern(marked, "\x01")
            owner = maybe[pc.list_parent_indices(pieces).to_numpy()]
            flat = pc.list_flatten(pieces)
            token = pc.match_substring(flat, "\x02").to_numpy(zero_copy_only=False)
            words = pc.list_element(pc.split_pattern(flat, "\x02", max_splits=1), 0)
            words_np = np.asarray(words.to_numpy(zero_copy_only=False), dtype=object)[token]
            lower = pc.utf8_lower(words).to_numpy(zero_copy_only=False)[token]
            labels = pd.Series(lower, dtype=object).map(ctx.masks).fillna(0)
            labels_np = labels.to_numpy(dtype=np.int64)
            keep = labels_np != 0
            u, words_np, labels_np = owner[token][keep], words_np[keep], labels_np[keep]
            np.bitwise_or.at(masks, u, labels_np)
            order = np.arange(len(u))
            frames = [
                pd.DataFrame({"u": u[on], "bit": i, "phrase": words_np[on], "k": order[on]})
                for i in range(len(ctx.keys))
                if (on := (labels_np >> i & 1).astype(bool)).any()
            ]
            if frames:
                hits = pd.concat(frames, ignore_index=True).drop_duplicates(["u", "bit"])
    return Found(masks[codes], np.asarray(codes, dtype=np.intp), original, hits)


def quotes(
    ctx: Context,
    rows: npt.NDArray[np.bool_],
    segment: npt.NDArray[np.object_],
    found: Found,
    label: str,
) -> pd.Series:
    """Return ``label: …quote…`` for the rows whose basis uses this column, "" elsewhere.

    The quote is the phrase with up to 10 characters on each side, as the user wrote it:
    for a resolved row a phrase of its segment, for a row with candidates its text's first.
    """
    out = np.full(len(rows), "", dtype=object)
    if not rows.any() or found.hits.empty:
        return pd.Series(out, dtype=object)
    where = np.flatnonzero(rows)
    bit_of = {k: i for i, k in enumerate(ctx.keys)}
    want = pd.DataFrame(
        {
            "pos": where,
            "u": found.codes[where],
            "bit": pd.Series(segment[where]).map(bit_of).fillna(-1).to_numpy(dtype=np.int64),
        }
    )
    by_seg = want.merge(found.hits[["u", "bit", "phrase"]], on=["u", "bit"], how="left")
    first = found.hits.sort_values("k").drop_duplicates("u")[["u", "phrase"]]
    by_text = want[["u"]].merge(first, on="u", how="left")
    want["phrase"] = by_seg["phrase"].fillna(by_text["phrase"]).to_numpy()
    todo = want[["u", "phrase"]].dropna().drop_duplicates()
    done = []
    for phrase, group in todo.groupby("phrase", sort=False):
        pattern = (
            rf"(?is)^(?P<a>.*?)(?P<b>.{{0,{_AROUND}}})(?P<p>{_loose(str(phrase))})"
            rf"(?P<c>.{{0,{_AROUND}}})(?P<d>.?)"
        )
        parts = pc.extract_regex(pc.take(found.texts, pa.array(group["u"].to_numpy())), pattern)
        field = {
            name: pd.Series(
                pc.struct_field(parts, name).to_numpy(zero_copy_only=False), dtype=object
            ).fillna("")
            for name in "abpcd"
        }
        shown = (
            field["a"].where(field["a"] == "", "…").astype(str)
            + field["b"]
            + field["p"].where(field["p"] != "", str(phrase))
            + field["c"]
            + field["d"].where(field["d"] == "", "…").astype(str)
        )
        done.append(group.assign(quote=(label + ": " + shown).to_numpy()))
    table = pd.concat(done, ignore_index=True)
    merged = want.merge(table, on=["u", "phrase"], how="left")  # keeps the rows' order
    out[where] = merged["quote"].fillna("").to_numpy(dtype=object)
    return pd.Series(out, dtype=object)


# ------------------------------------------------------------------ the decision


def combine(  # noqa: PLR0912 - the decision table in one place
    given: Resolution | None,
    code: Code,
    scope: tuple[str, ...],
    name: tuple[str, ...],
) -> tuple[str, float, tuple[str, ...], tuple[str, ...]]:
    """Return (segment, confidence, candidates, evidence used) for one mix of evidence.

    A segment value always wins. Otherwise the first evidence with candidates gives them
    (a code outside the chain gives none and says so); later evidence may narrow them or,
    for a code that is ambiguous on its own, confirm them. Evidence that disagrees adds its
    candidates instead (never to a segment value's), and the row stays unresolved.
    """
    if given is not None and given.segment:
        return given.segment, 1.0, given.candidates, ("segment",)
    tiers: list[tuple[str, tuple[str, ...], bool]] = []
    if given is not None:
        tiers.append(("segment", given.candidates, True))
    if code.counts:
        tiers.append(("code", code.candidates, code.ambiguous))
    if scope:
        tiers.append(("scope", scope, len(scope) > 1))
    if name:
        tiers.append(("name", name, len(name) > 1))
    candidates: tuple[str, ...] | None = None
    first = ""
    used: list[str] = []
    extra: list[str] = []
    outside = narrowed = confirmed = False
    for tag, found, ambiguous in tiers:
        if candidates is None:
            used.append(tag)
            if not found:  # an industry code outside the chain
                outside = True
            elif outside:  # a text naming a segment against a code outside the chain
                extra.extend(found)
            else:
                candidates, first, confirmed = found, tag, not ambiguous
                if confirmed:
                    break
            continue
        both = tuple(c for c in candidates if c in found)
        if both:
            candidates, narrowed = both, True
            used.append(tag)
            if len(both) == 1:
                confirmed = True
                break
        elif first != "segment":
            extra.extend(found)
            used.append(tag)
    if candidates is not None and len(candidates) == 1 and confirmed and not extra:
        confidence = _BASE[first] - (_NARROWED if narrowed else 0.0)
        return candidates[0], round(confidence, 6), candidates, tuple(used)
    return "", 0.0, tuple(dict.fromkeys((*(candidates or ()), *extra))), tuple(used)
