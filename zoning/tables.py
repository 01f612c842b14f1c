"""The tables the app shows, built from the analysis' results in the reader's language.

Each function takes results of :mod:`zoning` (never recomputing them) and returns a plain
:class:`pandas.DataFrame` with translated headers and values, ready for ``st.dataframe``.
They are tested without Streamlit; a page only calls them and renders what they return.
Values stay data: names are never turned into markup here (``st.dataframe`` shows text).

Every table a page shows is reached here, so their headers and values come from one place
and read alike on every page; the site checker's tables and an input file's tables are
written in :mod:`zoning._site_tables` and :mod:`zoning._input_tables` and re-exported.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from layers.i18n import Lang, join, local_names, t
from zoning._input_tables import columns_table, needs_segment_table, problems_table
from zoning._site_tables import (
    band_scale,
    band_text,
    comparison_file,
    comparison_table,
    criteria_side_by_side,
    criteria_table,
)
from zoning._table_words import label as _label
from zoning._table_words import names_of as _names_of

__all__ = [
    "area_names",
    "band_scale",
    "band_text",
    "change_counts",
    "changed_table",
    "check_filter",
    "check_filter_options",
    "check_table",
    "columns_table",
    "comparison_file",
    "comparison_table",
    "criteria_side_by_side",
    "criteria_table",
    "gap_matrix",
    "needs_segment_table",
    "problems_table",
    "supplier_table",
    "targets_table",
    "verdict_area_counts",
    "verdict_counts",
    "verdict_labels",
]


def area_names(keys: Iterable[str], areas: pd.DataFrame, lang: Lang) -> str:
    """Join the names of area keys for display ("-" for none).

    >>> areas = pd.DataFrame({"name_zh": ["甲区", "乙区"], "name_en": ["A", "B"]},
    ...                      index=["a", "b"])
    >>> area_names(("a", "b"), areas, "zh"), area_names((), areas, "en")
    ('甲区、乙区', '-')
    """
    names = _names_of(areas, lang)
    return join([names.get(str(k), str(k)) for k in keys], lang) or "-"


def verdict_labels(verdicts: pd.Series, lang: Lang) -> pd.Series:
    """Return each verdict in words (the one vocabulary)."""
    return verdicts.astype(str).map(lambda v: t(f"verdict.{v}", lang))


def verdict_counts(result: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Count enterprises per verdict, most frequent first, with translated headers."""
    labels = verdict_labels(result["verdict"], lang)
    counts = labels.value_counts().rename_axis(t("field.verdict", lang))
    return counts.rename(t("field.count", lang)).to_frame()


def check_table(
    result: pd.DataFrame, *, areas: pd.DataFrame, chain: pd.DataFrame, lang: Lang
) -> pd.DataFrame:
    """Return one row per enterprise: id, name, segment, verdict, areas, reason, in ``lang``.

    Parameters
    ----------
    result : pandas.DataFrame
        The output of :func:`zoning.check` (its ``area`` column: tuples of area keys).
    areas, chain : pandas.DataFrame
        The layers the check ran on (for names).
    lang : {"zh", "en"}
    """
    segments = _names_of(chain, lang)
    return pd.DataFrame(
        {
            t("field.id", lang): result["id"].astype(str),
            t("field.name", lang): local_names(result, lang),
            t("field.segment", lang): result["segment"]
            .astype(str)
            .map(lambda s: segments.get(s, s)),
            t("field.verdict", lang): verdict_labels(result["verdict"], lang),
            t("field.area", lang): result["area"].map(lambda k: area_names(k, areas, lang)),
            t("field.reason", lang): result[f"reason_{lang}"].astype(str),
        },
        index=result.index,
    )


def check_filter_options(
    result: pd.DataFrame, *, areas: pd.DataFrame, chain: pd.DataFrame, lang: Lang
) -> dict[str, dict[str, str]]:
    """Return the choices of the check page's filters: key -> label, per filter.

    Filters ``verdict``, ``area`` (``""`` stands for "in no area"), ``segment`` and
    ``status``, each offering only values present in ``result``, in a stable order.
    """
    from zoning.check import VERDICTS

    present = set(result["verdict"].astype(str))
    in_areas = {str(k) for keys in result["area"] for k in keys}
    area_names_ = _names_of(areas, lang)
    area_opts = {k: area_names_.get(k, k) for k in map(str, areas.index) if k in in_areas}
    if result["area"].map(len).eq(0).any():
        area_opts[""] = t("check.no_area", lang)
    segments = _names_of(chain, lang)
    seg_keys = sorted(set(result["segment"].astype(str)), key=lambda k: segments.get(k, k))
    statuses = result["status"].astype(str) if "status" in result.columns else pd.Series([])
    return {
        "verdict": {v: t(f"verdict.{v}", lang) for v in VERDICTS if v in present},
        "area": area_opts,
        "segment": {k: segments.get(k, k) or "-" for k in seg_keys},
        "status": {s: _label("status", s, lang) for s in sorted(set(statuses)) if s and s != "nan"},
    }


def check_filter(
    result: pd.DataFrame,
    *,
    verdicts: Iterable[str] = (),
    areas: Iterable[str] = (),
    segments: Iterable[str] = (),
    statuses: Iterable[str] = (),
) -> pd.Series:
    """Return which rows of a check result pass the filters (aligned to ``result``).

    An empty choice filters nothing; choices within a filter are alternatives (or), the
    filters combine (and). ``areas`` holds area keys, ``""`` for "in no area"; a firm
    in two areas passes when either is chosen.

    >>> r = pd.DataFrame({"verdict": ["conforming", "outside"], "area": [("a",), ()],
    ...                   "segment": ["x", "y"], "status": ["planned", "operating"]})
    >>> check_filter(r, areas=[""]).tolist(), check_filter(r).tolist()
    ([False, True], [True, True])
    """
    keep = pd.Series(True, index=result.index)
    chosen = {
        "verdict": set(verdicts),
        "segment": set(segments),
        "status": set(statuses),
    }
    for column, values in chosen.items():
        if values:
            keep &= result[column].astype(str).isin(values)
    wanted = set(areas)
    if wanted:
        keep &= result["area"].map(
            lambda keys: bool(wanted & {str(k) for k in keys}) or ("" in wanted and not keys)
        )
    return keep


def verdict_area_counts(result: pd.DataFrame, *, areas: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Count enterprises per verdict (rows) and area (columns), with totals, in ``lang``.

    Columns: every area (a zero says as much as a count), "in no area", and the total per
    verdict (a firm in two areas counts in both area columns but once in the total); the
    last row is the total per column. Every verdict, in :data:`zoning.VERDICTS` order: "0
    conforming" is a finding too.
    """
    from zoning.check import VERDICTS

    verdict = result["verdict"].astype(str)
    names = _names_of(areas, lang)
    long = (
        pd.DataFrame({"verdict": verdict, "area": result["area"]})
        .explode("area")
        .fillna({"area": ""})
    )
    long["area"] = long["area"].astype(str)
    table = pd.crosstab(long["verdict"], long["area"])
    order = [*map(str, areas.index), ""]
    table = table.reindex(columns=order)
    table[t("check.total", lang)] = verdict.value_counts()
    others = [v for v in table.index if v not in VERDICTS]
    table = table.reindex([*VERDICTS, *others]).fillna(0).astype("int64")
    table.loc[t("check.total", lang)] = [
        *(table[c].sum() for c in order),
        len(result),
    ]
    table.columns = [names.get(c, c) if c else t("check.no_area", lang) for c in order] + [
        t("check.total", lang)
    ]
    table.index = pd.Index(
        [t(f"verdict.{v}", lang) if v in VERDICTS else v for v in table.index],
        name=t("field.verdict", lang),
    )
    return table


def change_counts(counts: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Translate :attr:`zoning.CheckComparison.counts` (verdict x before/after/change)."""
    out = counts.rename(
        index=lambda v: t(f"verdict.{v}", lang),
        columns={
            "before": t("field.before", lang),
            "after": t("field.after", lang),
            "change": t("field.change", lang),
        },
    )
    out.index.name = t("field.verdict", lang)
    return out


def changed_table(changed: pd.DataFrame, *, areas: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the enterprises whose verdict or areas changed, before and after, in ``lang``."""
    return pd.DataFrame(
        {
            t("field.id", lang): changed["id"].astype(str),
            t("field.name", lang): local_names(changed, lang),
            t("field.before", lang): verdict_labels(changed["verdict_before"], lang),
            t("field.after", lang): verdict_labels(changed["verdict_after"], lang),
            t("field.area_before", lang): changed["area_before"].map(
                lambda k: area_names(k, areas, lang)
            ),
            t("field.area_after", lang): changed["area_after"].map(
                lambda k: area_names(k, areas, lang)
            ),
            t("field.reason", lang): changed[f"reason_{lang}"].astype(str),
        },
        index=changed.index,
    )


def gap_matrix(
    counts: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    areas: pd.DataFrame,
    chain: pd.DataFrame,
    lang: Lang,
) -> pd.DataFrame:
    """Every segment x area count as text; designated cells marked ★ with their status.

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`zoning.segment_counts`: segments (rows) x area keys (columns).
    gaps : pandas.DataFrame
        :func:`zoning.chain_gaps` on the same data.
    """
    cells = counts.astype(str)
    for row in gaps.itertuples(index=False):
        if row.segment in cells.index and row.area in cells.columns:
            status = t(f"gaps.status.{row.status}", lang)
            cells.loc[row.segment, row.area] = f"★ {row.count} · {status}"
    segments = _names_of(chain, lang)
    cells.index = pd.Index(
        [segments.get(str(s), str(s)) for s in cells.index], name=t("field.segment", lang)
    )
    names = _names_of(areas, lang)
    cells.columns = [names.get(str(k), str(k)) for k in cells.columns]
    return cells


def targets_table(targets: pd.DataFrame, *, areas: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the ranked investment targets (:func:`zoning.investment_targets`) in ``lang``."""
    names = _names_of(areas, lang)
    return pd.DataFrame(
        {
            t("field.rank", lang): targets["rank"],
            t("field.segment", lang): targets[f"name_{lang}"],
            t("field.area", lang): targets["area"].map(lambda k: names.get(k, k)),
            t("field.status", lang): targets["status"].map(lambda v: t(f"gaps.status.{v}", lang)),
            t("field.count", lang): targets["count"],
            t("field.links_closed", lang): targets["links_closed"],
            t("field.reason", lang): targets[f"reason_{lang}"],
        }
    )


def supplier_table(
    flags: pd.DataFrame, enterprises: pd.DataFrame, *, chain: pd.DataFrame, lang: Lang
) -> pd.DataFrame:
    """Return one row per firm and supplying segment that is missing or too far, in ``lang``.

    Parameters
    ----------
    flags : pandas.DataFrame
        :func:`zoning.supplier_flags`: long table indexed by the enterprises' index, with
        ``supplier`` (segment key) and ``distance_m`` (``inf`` when no firm of it exists).
    enterprises : pandas.DataFrame
        The enterprises the flags were computed for (ids and names).
    """
    segments = _names_of(chain, lang)
    firms = enterprises.loc[flags.index]
    km = flags["distance_m"].to_numpy(dtype=float) / 1000
    return pd.DataFrame(
        {
            t("field.id", lang): firms["id"].astype(str).to_numpy(),
            t("field.name", lang): local_names(firms, lang).to_numpy(),
            t("field.segment", lang): [
                segments.get(k, k) for k in firms["segment"].astype(str).to_numpy()
            ],
            t("field.supplier", lang): [segments.get(k, k) for k in flags["supplier"].astype(str)],
            t("field.distance_km", lang): [
                f"{v:,.1f}" if np.isfinite(v) else t("gaps.no_supplier", lang) for v in km
            ],
        }
    )
