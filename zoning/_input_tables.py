"""The tables of an input file: its problems, its column mapping, rows needing a segment.

Part of :mod:`zoning.tables` (which re-exports every function here); split out so each
file stays readable. Same rules: results in, translated plain tables out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.io import LAT_COLUMNS, LON_COLUMNS
from geo.messages import Text
from layers.i18n import Lang, join, local_names, t
from layers.segments import basis_text
from zoning._table_words import label as _label
from zoning._table_words import names_of as _names_of

__all__ = ["columns_table", "needs_segment_table", "problems_table"]


def problems_table(problems: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return an input's problems (row, column, value, problem, action) in ``lang``.

    The problem is the text in the user's language (``problem_zh`` for Chinese), the action
    is translated, and so are the headers.
    """
    actions = {a: _label("action", a, lang) for a in problems["action"].astype(str).unique()}
    text = "problem_zh" if lang == "zh" and "problem_zh" in problems.columns else "problem"
    shown = problems.assign(
        problem=problems[text], action=problems["action"].astype(str).map(actions)
    ).drop(columns="problem_zh", errors="ignore")
    return shown.rename(columns={c: t(f"problem.{c}", lang) for c in shown.columns})


def columns_table(columns: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return a file's column mapping (:attr:`layers.enterprises.EnterpriseRead.columns`).

    One row per column of the user's file: its header, sample values, the field it is read
    as ("" when not used), the unit factor ("" when none) and a note in ``lang``
    (``note_zh`` for Chinese when the table has it); the headers in ``lang``. The ``lon``
    and ``lat`` columns the reader adds (WGS 84, from the file's own coordinate columns such
    as 经度/纬度) are not the user's and are left out; the file's coordinate columns show
    the field they are read into. The index is the source table's.

    Examples
    --------
    >>> import math
    >>> raw = pd.DataFrame(
    ...     {
    ...         "source": ["经度", "纬度", "门类", "lon", "lat"],
    ...         "samples": ["115.9", "28.6", "铜箔", "115.89", "28.59"],
    ...         "field": ["", "", "", "lon", "lat"],
    ...         "factor": [math.nan] * 5,
    ...         "note": ["read into lon", "read into lat", "not mapped", "", ""],
    ...     }
    ... )
    >>> shown = columns_table(raw, "en")
    >>> shown["Column in the file"].tolist(), shown["Field"].tolist(), shown["Factor"].tolist()
    (['经度', '纬度', '门类'], ['lon', 'lat', ''], ['', '', ''])
    """
    sources = columns["source"].astype(str)
    fields = columns["field"].fillna("").astype(str).copy()
    keep = pd.Series(True, index=columns.index)
    # geo.io.read adds float lon/lat (WGS 84) read from the file's own coordinate columns;
    # when those have other names (经度, lng), the added ones are not the user's columns:
    # the user sees their own column read as lon/lat instead.
    for axis, names in (("lon", LON_COLUMNS), ("lat", LAT_COLUMNS)):
        known = {_header_key(n) for n in names}
        own = sources.ne(axis) & sources.map(_header_key).isin(known)
        if own.any() and sources.eq(axis).any():
            keep &= sources.ne(axis)
            fields[own & fields.eq("")] = axis
    note = "note_zh" if lang == "zh" and "note_zh" in columns.columns else "note"
    notes = columns[note].where(columns[note].notna(), columns["note"])
    notes = notes.map(lambda v: _in_lang(v, lang))
    shown = pd.DataFrame(
        {
            t("field.source_column", lang): sources,
            t("field.samples", lang): columns["samples"].fillna("").astype(str),
            t("field.field", lang): fields,
            t("field.factor", lang): columns["factor"].map(_factor_text),
            t("field.note", lang): notes.fillna("").astype(str),
        }
    )
    return shown.loc[keep]


def _in_lang(value: object, lang: Lang) -> str:
    """Return a cell's text in ``lang`` (a bilingual :class:`geo.messages.Text` has both)."""
    if isinstance(value, Text):
        return value.get(lang)
    missing = value is None or (isinstance(value, float) and not np.isfinite(value))
    return "" if missing else str(value)


def _header_key(name: object) -> str:
    # As geo.io matches coordinate headers: case- and space-blind.
    return str(name).strip().casefold()


def _factor_text(factor: object) -> str:
    """Return ``1e8`` for powers of ten from 1000 up, ``7.1`` otherwise, ``""`` for none."""
    if not isinstance(factor, int | float) or not np.isfinite(factor) or factor <= 0:
        return ""
    exponent = float(np.log10(factor))
    return f"1e{int(exponent)}" if exponent.is_integer() and exponent >= 3 else f"{factor:g}"


def needs_segment_table(data: pd.DataFrame, *, chain: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the enterprises whose segment is not settled, for a person to choose one.

    Rows with an empty segment (several candidates, or no evidence), indexed as ``data``:
    id, name, the candidates' names, the basis worded in ``lang``
    (:func:`layers.segments.basis_text`), and an empty segment column to fill in.
    """
    open_ = data["segment"].astype(str).eq("") & ~data["segment_known"].astype(bool)
    rows = data.loc[open_]
    names = _names_of(chain, lang)
    basis = basis_text(rows["segment_basis"].fillna("").astype(str), lang)
    return pd.DataFrame(
        {
            t("field.id", lang): rows["id"].astype(str),
            t("field.name", lang): local_names(rows, lang),
            t("field.candidates", lang): rows["segment_candidates"].map(
                lambda keys: join([names.get(str(k), str(k)) for k in keys], lang) or "-"
            ),
            t("field.basis", lang): basis.map(lambda v: _in_lang(v, lang)),
            t("field.segment", lang): "",
        },
        index=rows.index,
    )
