"""The tables the app shows, built from the analysis' results in the reader's language.

Each function takes results of :mod:`zoning` (never recomputing them) and returns a plain
:class:`pandas.DataFrame` with translated headers and values, ready for ``st.dataframe``.
They are tested without Streamlit; a page only calls them and renders what they return.
Values stay data: names are never turned into markup here (``st.dataframe`` shows text).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from layers.i18n import Lang, join, local_names, t

__all__ = [
    "area_names",
    "change_counts",
    "changed_table",
    "check_table",
    "columns_table",
    "comparison_table",
    "criteria_table",
    "gap_matrix",
    "needs_segment_table",
    "problems_table",
    "supplier_table",
    "targets_table",
    "verdict_counts",
    "verdict_labels",
]


def _names_of(layer: pd.DataFrame, lang: Lang) -> dict[str, str]:
    """Map a layer's index keys to their names in ``lang``."""
    return dict(zip((str(k) for k in layer.index), local_names(layer, lang), strict=True))


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


def _label(group: str, value: object, lang: Lang) -> str:
    """Translate a library value (criterion key, zoning class) if the vocabulary has it."""
    try:
        return t(f"{group}.{value}", lang)
    except KeyError:
        return str(value)


def criteria_table(criteria: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return a site score's criteria (:attr:`zoning.SiteScore.criteria`) in ``lang``."""
    return pd.DataFrame(
        {
            t("criterion.name", lang): criteria["criterion"].map(
                lambda k: _label("criterion", k, lang)
            ),
            t("criterion.raw", lang): criteria["raw"].map(
                lambda v: f"{v:,.4g}" if isinstance(v, float) else _label("criterion", v, lang)
            ),
            t("criterion.unit", lang): criteria["unit"].astype(str),
            t("criterion.normalised", lang): criteria["normalised"],
            t("criterion.weight", lang): criteria["weight"],
            t("criterion.contribution", lang): criteria["contribution"],
        }
    )


def comparison_table(sites: pd.DataFrame, ranked: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return compared sites (label, lon, lat) beside :func:`zoning.rank_sites`, in ``lang``."""
    return pd.DataFrame(
        {
            t("site.compare_label", lang): sites["label"].to_numpy(),
            t("site.lon", lang): sites["lon"].to_numpy(),
            t("site.lat", lang): sites["lat"].to_numpy(),
            t("site.score", lang): ranked["score"].round(0).to_numpy(),
            t("site.compare_interval", lang): [
                f"{a:.0f}–{b:.0f}" for a, b in zip(ranked["p5"], ranked["p95"], strict=True)
            ],
            t("site.compare_rank", lang): ranked["rank"].to_numpy(),
            t("site.compare_stability", lang): ranked["rank_stability"].map("{:.0%}".format),
            t("site.compare_excluded", lang): ranked["excluded"].astype(bool).to_numpy(),
        }
    )


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

    One row per source column: its header, sample values, the field it is read as ("" when
    not used), the unit factor and a note; the headers in ``lang``.
    """
    return pd.DataFrame(
        {
            t("field.source_column", lang): columns["source"].astype(str),
            t("field.samples", lang): columns["samples"].astype(str),
            t("field.field", lang): columns["field"].fillna("").astype(str),
            t("field.factor", lang): columns["factor"],
            t("field.note", lang): columns["note"].fillna("").astype(str),
        }
    )


def needs_segment_table(data: pd.DataFrame, *, chain: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return the enterprises whose segment is not settled, for a person to choose one.

    Rows with an empty segment (several candidates, or no evidence), indexed as ``data``:
    id, name, the candidates' names, the basis, and an empty segment column to fill in.
    """
    open_ = data["segment"].astype(str).eq("") & ~data["segment_known"].astype(bool)
    rows = data.loc[open_]
    names = _names_of(chain, lang)
    return pd.DataFrame(
        {
            t("field.id", lang): rows["id"].astype(str),
            t("field.name", lang): local_names(rows, lang),
            t("field.candidates", lang): rows["segment_candidates"].map(
                lambda keys: join([names.get(str(k), str(k)) for k in keys], lang) or "-"
            ),
            t("field.basis", lang): rows["segment_basis"].astype(str),
            t("field.segment", lang): "",
        },
        index=rows.index,
    )
