"""Which industry-chain segment each enterprise row belongs to, with the evidence for it.

Real lists rarely carry our segment keys. A row's segment is read, in this order, from:

1. **the segment column** (产业环节): a segment key, a chain name (``name_zh``/``name_en`` of
   ``data/chain.yaml``) or a synonym of ``data/segment_terms.yaml`` (铜箔 -> ``copper_foil``).
   A value given there always wins (confidence 1.0). A term that names several segments
   (储能电池) gives candidates instead, which the evidence below may narrow.
2. **the industry code** (行业代码, GB/T 4754-2017, ``data/industry_codes.yaml``; or the
   industry name when no code is given): a code with one candidate gives it (0.8); a
   catch-all or broad code (C3985, C2669, C3251 ...) only gives candidates.
3. **phrases of 经营范围**, then of the firm's name: the positive and negative phrases of
   ``data/segment_terms.yaml``; one segment found gives it (0.6 for 经营范围, 0.5 for the
   name), several give candidates.

Later evidence may narrow earlier candidates to one (confidence 0.1 below the earlier
evidence's, and the basis names both). Several candidates are never guessed between: the
row keeps ``segment`` empty, lists the candidates, and :func:`segment_problems` puts it on
the "needs a segment" list. A code outside the chain (C3843 铅蓄电池制造) says so.

Everything is computed once per distinct value (segment texts, code/name pairs, 经营范围
texts, combinations of evidence) and mapped back to the rows, so a registry of a million
firms costs one regular-expression pass over its distinct 经营范围 texts. Rows whose segment
is written as its key are settled first, in one Arrow pass, and nothing else is read for
them (the result is the one the full reading gives).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

import geo
from geo.messages import Text, Texts
from layers._enterprise_checks import KEPT_AS_GIVEN, Problems, empty_problems, row_texts
from layers._segment_basis import basis_zh
from layers._segment_data import TERMS_FILE, norm
from layers._segment_evidence import (
    Context,
    Resolution,
    code_evidence,
    column,
    combine,
    context,
    exact_keys,
    explicit,
    factorize,
    hints,
    key_resolution,
    keys_of,
    pairs,
    phrases,
    quotes,
    texts,
)
from layers.chain import chain as chain_table
from layers.i18n import Lang, t, text

__all__ = [
    "CHOSEN_BASIS",
    "Resolution",
    "basis_text",
    "choose_segments",
    "resolve_segments",
    "segment_key",
    "segment_problems",
]

_EVIDENCE: Final = ("segment", "industry_code", "industry_name", "business_scope", "name_zh")
"""The columns a row's segment is read from."""


# ------------------------------------------------------------------ public API


def segment_key(text: str, *, chain: pd.DataFrame | None = None) -> str | None:
    """Return the segment key a typed value names, or None.

    Parameters
    ----------
    text : str
        A segment key, a chain name in Chinese or English, or a synonym of
        ``data/segment_terms.yaml``. Letter case, full-width forms, spaces, hyphens and
        slashes do not matter.
    chain : pandas.DataFrame, optional
        The chain taxonomy (``layers.chain()``, the default).

    Returns
    -------
    str or None
        The key; None for an unknown value and for a term naming several segments
        (储能电池): :func:`resolve_segments` lists the candidates of such a term.

    Examples
    --------
    >>> segment_key("锂电铜箔"), segment_key("铜箔"), segment_key("Li-ion cells")
    ('copper_foil', 'copper_foil', 'li_ion_cell')
    >>> segment_key("PCS"), segment_key("储能电池") is None, segment_key("coper") is None
    ('pcs', True, True)
    """
    found = context(chain).lookup.get(norm(str(text)))
    return (found.segment or None) if found is not None else None


def resolve_segments(frame: pd.DataFrame, *, chain: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read each row's segment from its segment value, industry code and 经营范围.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with any of the columns ``segment``, ``industry_code``, ``industry_name``,
        ``business_scope``, ``name_zh`` (a missing column is no evidence). Not modified.
    chain : pandas.DataFrame, optional
        The chain taxonomy (``layers.chain()``, the default); candidates outside it are
        dropped.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``frame.index``: ``segment`` (key or ""), ``segment_basis`` (the
        evidence, see :class:`Resolution`), ``segment_confidence`` (float in [0, 1]),
        ``segment_candidates`` (tuple of keys, in chain order) and ``segment_given``
        (True where the segment column holds a value, known or not).

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "segment": ["铜箔", "", "", ""],
    ...     "industry_code": ["", "C3612", "C3985", "3985"],
    ...     "business_scope": ["", "", "磷酸铁锂正极材料的研发、生产", ""]})
    >>> out = resolve_segments(rows)
    >>> out["segment"].tolist()
    ['copper_foil', 'ev', 'cathode', '']
    >>> out["segment_basis"].tolist()[:2]
    ['synonym 铜箔', 'industry code C3612 新能源车整车制造 (GB/T 4754-2017)']
    >>> out.loc[2, "segment_basis"]
    'industry code C3985 电子专用材料制造 (GB/T 4754-2017) + 经营范围: 磷酸铁锂正极材料的研发、生产'
    >>> out["segment_confidence"].tolist()
    [1.0, 0.8, 0.7, 0.0]
    >>> out.loc[3, "segment_candidates"]
    ('cathode', 'anode', 'electrolyte', 'separator', 'copper_foil', 'aluminium_foil')
    """
    ctx = context(chain)
    n = len(frame)
    if not n:
        return pd.DataFrame(
            {
                "segment": pd.Series(dtype=object),
                "segment_basis": pd.Series(dtype=object),
                "segment_confidence": pd.Series(dtype=np.float64),
                "segment_candidates": pd.Series(dtype=object),
                "segment_given": pd.Series(dtype=bool),
            },
            index=frame.index,
        )
    given = texts(frame, "segment")
    key_at = exact_keys(ctx, given)
    keyed = key_at >= 0
    if not keyed.any():
        return _resolve(frame, ctx, given)
    # Rows given as a segment key are settled by it, as :func:`combine` would settle them;
    # the other evidence is read for the remaining rows only. Texts stay in Arrow.
    at = pa.array(np.where(keyed, key_at, 0))
    segment = pa.array(ctx.exact, type=pa.large_string()).take(at)
    basis = pa.array([key_resolution(k).basis for k in ctx.exact], type=pa.large_string()).take(at)
    confidence = np.ones(n, dtype=np.float64)
    candidates = _objects([(k,) for k in ctx.exact])[key_at]
    rest = np.flatnonzero(~keyed)
    if len(rest):
        part = _resolve(_rows(frame, rest), ctx, given.take(pa.array(rest)))
        others = pa.array(~keyed)
        segment = pc.replace_with_mask(segment, others, _arrow(part["segment"]))
        basis = pc.replace_with_mask(basis, others, _arrow(part["segment_basis"]))
        confidence[rest] = part["segment_confidence"].to_numpy(dtype=np.float64)
        candidates[rest] = part["segment_candidates"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "segment": pd.array(segment, dtype="str"),
            "segment_basis": pd.array(basis, dtype="str"),
            "segment_confidence": confidence,
            "segment_candidates": candidates,
            "segment_given": pc.not_equal(given, "").to_numpy(zero_copy_only=False),
        },
        index=frame.index,
    )


def _arrow(values: pd.Series) -> pa.LargeStringArray:
    """Return a text column as one Arrow array."""
    return pa.array(values.to_numpy(dtype=object), type=pa.large_string())


def _objects(items: list[tuple[str, ...]]) -> npt.NDArray[np.object_]:
    """Return an object array holding each tuple as one element."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):  # one per segment key, never per row
        out[i] = item
    return out


def _rows(frame: pd.DataFrame, at: npt.NDArray[np.intp]) -> pd.DataFrame:
    """Return the evidence columns of the rows at ``at``, as text (what :func:`texts` reads).

    Read from the whole column first, so a row's text never depends on the other rows
    (a column of numbers and text is read as text either way).
    """
    taken = pa.array(at)
    return pd.DataFrame(
        {
            name: pd.array(texts(frame, name).take(taken), dtype="str")
            for name in _EVIDENCE
            if name in frame.columns
        }
    )


def _resolve(frame: pd.DataFrame, ctx: Context, given: pa.Array) -> pd.DataFrame:
    """:func:`resolve_segments` of every row, from all the evidence of each."""
    n = len(frame)
    e_codes, e_uniques = factorize(given)
    values = [explicit(ctx, str(v)) for v in e_uniques.to_pylist()]
    # Rows whose segment value settles them need no other evidence: a list that names its
    # segments costs one factorize, however long it is.
    open_ = ~np.array([v is not None and bool(v.segment) for v in values], dtype=bool)[e_codes]
    c_codes, c_uniques = pairs(frame, open_)
    codes = [code_evidence(ctx, *u) for u in c_uniques]
    scope = phrases(ctx, texts(frame, "business_scope", open_))
    name = phrases(ctx, texts(frame, "name_zh", open_))

    # Decide once per combination of evidence (a few hundred in a real registry).
    combo = pd.DataFrame({"e": e_codes, "c": c_codes, "s": scope.mask, "n": name.mask})
    which = combo.groupby(["e", "c", "s", "n"], sort=False).ngroup().to_numpy()
    firsts = pd.Series(np.arange(n)).groupby(which).first().to_numpy(dtype=np.intp)
    k = len(firsts)
    segs = np.empty(k, dtype=object)
    cands = np.empty(k, dtype=object)
    confs = np.zeros(k, dtype=np.float64)
    parts = np.empty(k, dtype=object)
    use_s = np.zeros(k, dtype=bool)
    use_n = np.zeros(k, dtype=bool)
    order = {key: i for i, key in enumerate(ctx.keys)}
    for i, row in enumerate(firsts):
        res = values[e_codes[row]]
        co = codes[c_codes[row]]
        seg, conf, cand, used = combine(
            res, co, keys_of(ctx, int(scope.mask[row])), keys_of(ctx, int(name.mask[row]))
        )
        segs[i], confs[i] = seg, conf
        cands[i] = tuple(sorted(cand, key=order.__getitem__))
        pieces = [res.basis] if "segment" in used and res is not None else []
        if "code" in used:
            pieces.append(co.basis)
        parts[i] = " + ".join(pieces)
        use_s[i], use_n[i] = "scope" in used, "name" in used

    segment = segs[which]
    basis = pd.Series(parts[which], dtype=object)
    for flags, found, label in ((use_s, scope, "经营范围"), (use_n, name, "企业名称")):
        quote = quotes(ctx, flags[which], segment, found, label)
        both = (basis != "") & (quote != "")
        basis = basis.where(~both, basis + " + ") + quote
    return pd.DataFrame(
        {
            "segment": segment.astype(str),
            "segment_basis": basis.astype(str).to_numpy(),
            "segment_confidence": confs[which],
            "segment_candidates": cands[which],
            "segment_given": pc.not_equal(given, "").to_numpy(zero_copy_only=False),
        },
        index=frame.index,
    )


def segment_problems(
    resolved: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    source_name: str,
    rows: npt.ArrayLike,
    chain: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """List the rows whose segment is unknown, unsure or read from an odd code.

    Parameters
    ----------
    resolved : pandas.DataFrame
        :func:`resolve_segments` of ``frame``.
    frame : pandas.DataFrame
        The rows, with the columns :func:`resolve_segments` read.
    source_name : str
        The file's display name, for the messages.
    rows : array_like of int
        The row number of each record as the user sees it (spreadsheet row, header = 1).
    chain : pandas.DataFrame, optional
        As for :func:`resolve_segments`.

    Returns
    -------
    pandas.DataFrame
        Columns ``row, column, value, problem, action`` as ``layers.enterprises``; every
        row is kept (action ``"kept"``). One problem per finding:

        - ``segment``: a value that is no key, name or synonym; a row that needs a segment
          (candidates listed, with the fix); a row with nothing to read a segment from.
        - ``industry_code``: a code that is no class code, or not in the table; a 2011
          code; a code whose digits meant another activity in 2011; a code outside the
          storage chain (when nothing else gives a segment).
        - ``business_scope``: a 经营范围 naming no segment when nothing else gives one.

    Examples
    --------
    >>> rows = pd.DataFrame({"industry_code": ["C3985", "C2927", "C3261"]})
    >>> found = segment_problems(resolve_segments(rows), rows, source_name="firms.csv",
    ...                          rows=[2, 3, 4])
    >>> found[["row", "column", "action"]].values.tolist()
    [[2, 'segment', 'kept'], [3, 'industry_code', 'kept'], [3, 'segment', 'kept'], \
[4, 'segment', 'kept'], [4, 'industry_code', 'kept']]
    >>> print(found.loc[0, "problem"])  # doctest: +ELLIPSIS
    firms.csv row 2: needs a segment: candidates cathode, anode, ... (industry code C3985 ...
    """
    ctx = context(chain)
    labels = np.asarray(rows, dtype="int64")
    if labels.shape != (len(frame),) or len(resolved) != len(frame):
        msg = f"`rows` and `resolved` must have one entry per row of `frame` ({len(frame)})"
        raise ValueError(msg)
    if not len(frame):
        return empty_problems()
    given = texts(frame, "segment")
    # A row given as a segment key, and resolved so, has nothing to report.
    as_given = pc.equal(texts(resolved, "segment"), given).to_numpy(zero_copy_only=False)
    settled = (exact_keys(ctx, given) >= 0) & as_given
    if settled.all():
        return empty_problems()
    if settled.any():
        rest = np.flatnonzero(~settled)
        frame, resolved, labels = _rows(frame, rest), resolved.iloc[rest], labels[rest]
    return _problems(resolved, frame, ctx, source_name=source_name, labels=labels)


def _problems(
    resolved: pd.DataFrame,
    frame: pd.DataFrame,
    ctx: Context,
    *,
    source_name: str,
    labels: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """:func:`segment_problems` of every row."""
    found = Problems(labels, source_name)
    seg = resolved["segment"].to_numpy(dtype=object)
    basis = resolved["segment_basis"].to_numpy(dtype=object)
    cands = resolved["segment_candidates"].to_numpy(dtype=object)
    has_cands = np.fromiter((len(c) > 0 for c in cands), dtype=bool, count=len(cands))
    unresolved = seg == ""

    given_arr = texts(frame, "segment")
    e_codes, e_uniques = factorize(given_arr)
    values = [explicit(ctx, str(v)) for v in e_uniques.to_pylist()]
    blank = np.array([not str(v) for v in e_uniques.to_pylist()], dtype=bool)[e_codes]
    unknown = ~blank & np.array([v is None for v in values], dtype=bool)[e_codes]
    # A code is only looked at when the segment value does not settle the row.
    open_ = ~np.array([v is not None and bool(v.segment) for v in values], dtype=bool)[e_codes]
    c_codes, c_uniques = pairs(frame, open_)
    code_ev = [code_evidence(ctx, *u) for u in c_uniques]
    no_code = np.array([not c.counts for c in code_ev], dtype=bool)[c_codes]
    outside = np.array([c.counts and not c.candidates for c in code_ev], dtype=bool)[c_codes]
    code_msg = np.array([c.problem for c in code_ev], dtype=object)[c_codes]
    has_scope = pc.not_equal(texts(frame, "business_scope"), "").to_numpy(zero_copy_only=False)

    code_zh = np.array([c.problem_zh for c in code_ev], dtype=object)[c_codes]
    fix = text("segments.fix")

    def listed(at: npt.NDArray[np.intp]) -> Texts:
        return Texts(
            en=np.array([", ".join(c) for c in cands[at]], dtype=object),
            zh=np.array(["、".join(c) for c in cands[at]], dtype=object),
        )

    def said(key: str, at: npt.NDArray[np.intp], **values: Texts | Text) -> Texts:
        """Word ``key`` for the rows at ``at``; each value is given in both languages."""
        n = len(at)
        en = row_texts(key, n, **{k: v.en for k, v in values.items()})
        zh = row_texts(key, n, **{k: v.zh for k, v in values.items()})
        return Texts(en=en.en, zh=zh.zh)

    def bases(at: npt.NDArray[np.intp]) -> Texts:
        return Texts(en=basis[at], zh=_basis_zh(basis[at]))

    def unknown_text(at: npt.NDArray[np.intp]) -> Texts:
        shown = column(frame, "segment").iloc[at]
        hint_en, hint_zh = hints(ctx, shown)
        which, based, choices = seg[at], bases(at), listed(at)
        read_en, read_zh = [], []
        for i, s in enumerate(which):
            if s:
                read_en.append(t("segments.read_as", "en", segment=s, basis=based.en[i]))
                read_zh.append(t("segments.read_as", "zh", segment=s, basis=based.zh[i]))
            elif choices.en[i]:
                read_en.append(t("segments.candidates", "en", candidates=choices.en[i]))
                read_zh.append(t("segments.candidates", "zh", candidates=choices.zh[i]))
            else:
                read_en.append(t("segments.none_found", "en"))
                read_zh.append(t("segments.none_found", "zh"))
        given_ = shown.to_numpy(dtype=object)
        return said(
            "segments.unknown",
            at,
            value=Texts(given_, given_),
            hint=Texts(hint_en.to_numpy(dtype=object), hint_zh.to_numpy(dtype=object)),
            read=Texts(np.array(read_en, dtype=object), np.array(read_zh, dtype=object)),
        )

    nothing = unresolved & ~has_cands & blank
    _report(found, frame, unknown, "segment", unknown_text)
    _report(
        found,
        frame,
        unresolved & has_cands & ~unknown,
        "segment",
        lambda at: said("segments.needs", at, candidates=listed(at), basis=bases(at), fix=fix),
    )
    _report(
        found,
        frame,
        code_msg != "",
        "industry_code",
        lambda at: Texts(en=code_msg[at], zh=code_zh[at]),
    )
    _report(
        found,
        frame,
        nothing & outside,
        "industry_code",
        lambda at: said("segments.outside", at, basis=bases(at), fix=fix),
    )
    _report(
        found,
        frame,
        nothing & no_code & has_scope,
        "business_scope",
        lambda at: said("segments.no_phrase", at, file=Text(TERMS_FILE, TERMS_FILE), fix=fix),
    )
    _report(
        found,
        frame,
        nothing & no_code & ~has_scope,
        "segment",
        lambda at: said("segments.nothing", at, fix=fix),
    )
    return found.frame()


def _basis_zh(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Return each basis in Chinese, worded once per distinct basis."""
    series = pd.Series(values, dtype=object)
    distinct = {b: basis_zh(str(b)) for b in pd.unique(series)}
    return series.map(distinct).to_numpy(dtype=object)


def _report(
    found: Problems,
    frame: pd.DataFrame,
    mask: npt.NDArray[np.bool_],
    name: str,
    messages: Callable[[npt.NDArray[np.intp]], Texts],
) -> None:
    """Add one kind of problem, building its messages for the rows concerned only."""
    at = np.flatnonzero(mask)
    if not len(at):
        return
    values = texts(frame, name).take(pa.array(at)).to_numpy(zero_copy_only=False)
    found.add_at(at, name, pd.Series(values, dtype=object), messages(at), KEPT_AS_GIVEN)


@overload
def basis_text(basis: str, lang: Lang) -> str: ...
@overload
def basis_text(basis: pd.Series, lang: Lang) -> pd.Series: ...
def basis_text(basis: pd.Series | str, lang: Lang) -> pd.Series | str:
    """Word ``segment_basis`` values for a reader of ``lang`` (they are stored in English).

    Parameters
    ----------
    basis : pandas.Series or str
        ``segment_basis`` values, as :func:`resolve_segments`, :func:`choose_segments` and
        :func:`layers.read_enterprises` give them (or as read back from a file they wrote).
    lang : {"zh", "en"}
        The reader's language.

    Returns
    -------
    pandas.Series or str
        The same values worded in ``lang`` (same index): each piece of the basis ("synonym
        铜箔", "industry code C3841 锂离子电池制造 (GB/T 4754-2017)", "经营范围: …",
        "chosen by the user") in that language; users' values, codes and official names as
        given. A text this module did not write is returned as it is.

    Examples
    --------
    >>> basis_text("synonym 铜箔", "zh"), basis_text("chosen by the user", "zh")
    ('同义词 铜箔', '由用户选择')
    >>> basis_text(pd.Series(["segment key pcs", ""]), "zh").tolist()
    ['环节代码 pcs', '']
    """
    if isinstance(basis, str):
        return basis_zh(basis) if lang == "zh" else basis
    if lang != "zh":
        return basis.copy()
    words = basis.astype(object).where(basis.notna(), "").astype(str)
    return pd.Series(_basis_zh(words.to_numpy(dtype=object)), index=basis.index, dtype=object)


CHOSEN_BASIS: Final = t("segments.basis.chosen", "en")
"""``segment_basis`` of a segment a user chose for a row (:func:`choose_segments`)."""


def choose_segments(
    data: pd.DataFrame, choices: Mapping[Any, str], *, chain: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return ``data`` with the segments a user chose for some rows (a new table).

    Parameters
    ----------
    data : geopandas.GeoDataFrame
        Validated enterprises (:func:`read_enterprises`).
    choices : mapping of index label to str
        The segment key chosen for a row; empty values are ignored.
    chain : pandas.DataFrame, optional
        The chain whose keys are valid (default :func:`layers.chain`).

    Raises
    ------
    geo.InputError
        If a label is not in ``data`` or a key is not a segment of the chain (a ValueError;
        the message in English and Chinese).

    Examples
    --------
    >>> from layers.enterprises import enterprises
    >>> firms = enterprises()
    >>> chosen = choose_segments(firms, {0: "pcs"})
    >>> chosen.loc[0, ["segment", "segment_basis"]].tolist(), firms.loc[0, "segment"] != "pcs"
    (['pcs', 'chosen by the user'], True)
    """
    keys = set((chain_table() if chain is None else chain).index.astype(str))
    picked = {label: str(key) for label, key in choices.items() if str(key or "").strip()}
    unknown = sorted(str(k) for k in set(picked.values()) - keys)
    if unknown:
        raise geo.InputError(
            Text(
                t("segments.choose.unknown", "en", keys=", ".join(unknown)),
                t("segments.choose.unknown", "zh", keys="、".join(unknown)),
            )
        )
    missing = [label for label in picked if label not in data.index]
    if missing:
        raise geo.InputError(text("segments.choose.rows", rows=missing))
    out = data.copy()
    if not picked:
        return out
    labels = list(picked)
    out.loc[labels, "segment"] = [picked[label] for label in labels]
    out.loc[labels, "segment_known"] = True
    out.loc[labels, "segment_basis"] = CHOSEN_BASIS
    out.loc[labels, "segment_confidence"] = 1.0
    # A chosen segment is the row's only candidate, as a settled one is after validation.
    own = pd.Series([(picked[label],) for label in labels], index=labels, dtype=object)
    candidates = out["segment_candidates"].astype(object).copy()
    candidates.update(own)
    out["segment_candidates"] = candidates
    return out
