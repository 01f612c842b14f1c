"""The site checker's tables: criteria, bands, the comparison of sites and its file.

Part of :mod:`zoning.tables` (which re-exports every function here); split out so each
file stays readable. Same rules: results in, translated plain tables out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.i18n import Lang, distance, join, t
from zoning import settings
from zoning._table_words import label as _label

__all__ = [
    "band_scale",
    "band_text",
    "comparison_file",
    "comparison_table",
    "criteria_side_by_side",
    "criteria_table",
]


def _criterion_value(criterion: str, raw: object, applies: bool, lang: Lang) -> str:
    """Say a criterion's value as a person reads it: a class, kilometres or a count."""
    if criterion == "zoning":
        return _label("criterion", raw, lang)
    if not applies:
        return t("site.not_applicable", lang)
    value = float(raw)  # type: ignore[arg-type]
    if criterion == "neighbours":
        n = round(value)
        return t("site.firms_one" if n == 1 else "site.firms", lang, n=n)
    if not (np.isfinite(value) and value <= settings.site_far_m):
        return t("site.none_within", lang, km=settings.site_far_m / 1000)
    return distance(value, lang)


def criteria_table(criteria: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return a site score's criteria (:attr:`zoning.SiteScore.criteria`) in ``lang``.

    Values are what a person reads: the zoning class in words, distances in km with one
    decimal ("none within 50 km" past :data:`zoning.settings.site_far_m`, never ``inf``),
    neighbours as a count of firms; weights in per cent, points with one decimal.

    >>> crit = pd.DataFrame({"criterion": ["zoning", "upstream", "neighbours"],
    ...     "raw": ["designated", float("inf"), 3.0], "normalised": [1.0, 0.0, 0.63],
    ...     "weight": [0.4, 0.25, 0.2], "contribution": [40.0, 0.0, 12.6],
    ...     "applies": [True, True, True]})
    >>> criteria_table(crit, "en").iloc[:, 1].tolist()
    ['in a designated area', 'none within 50 km', '3 firms']
    """
    applies = criteria.get("applies", pd.Series(True, index=criteria.index)).astype(bool)
    return pd.DataFrame(
        {
            t("criterion.name", lang): criteria["criterion"].map(
                lambda k: _label("criterion", k, lang)
            ),
            t("criterion.raw", lang): [
                _criterion_value(str(c), v, bool(a), lang)
                for c, v, a in zip(criteria["criterion"], criteria["raw"], applies, strict=True)
            ],
            t("criterion.normalised", lang): criteria["normalised"].round(2),
            t("criterion.weight", lang): [
                t("site.weight_pct", lang, pct=100 * w) for w in criteria["weight"]
            ],
            t("criterion.contribution", lang): criteria["contribution"].round(1),
        }
    )


def band_text(band: str, lang: Lang) -> str:
    """Return a score band (:func:`zoning.score_band`) in words: 适合 / 一般 / 不适合."""
    return t(f"site.band.{band}", lang)


def band_scale(lang: Lang) -> str:
    """Say the thresholds of the bands (:data:`zoning.settings.score_bands`, read now).

    >>> band_scale("en")
    'Suitable: 65 or more; fair: 40–64; unsuitable: below 40 or excluded'
    """
    low, high = settings.score_bands
    return t("site.band_scale", lang, low=low, high=high, below_high=high - 1)


def _rank_text(ranked: pd.DataFrame, lang: Lang) -> list[str]:
    return [
        t("site.rank_tied", lang, rank=int(r)) if len(tied) else str(int(r))
        for r, tied in zip(ranked["rank"], ranked["tied_with"], strict=True)
    ]


def _stability_text(ranked: pd.DataFrame, labels: pd.Series, draws: int, lang: Lang) -> list[str]:
    name = dict(zip(ranked.index, labels.astype(str), strict=True))
    out = []
    for label, row in ranked.iterrows():
        del label
        if len(row["tied_with"]):
            out.append(
                t(
                    "site.stability_tied",
                    lang,
                    others=join([name[k] for k in row["tied_with"]], lang),
                    ahead=row["ahead_share"],
                    level=row["level_share"],
                    behind=row["behind_share"],
                    draws=draws,
                )
            )
        else:
            out.append(
                t(
                    "site.stability_kept",
                    lang,
                    rank=int(row["rank"]),
                    share=row["rank_stability"],
                    draws=draws,
                )
            )
    return out


def comparison_table(
    sites: pd.DataFrame, ranked: pd.DataFrame, lang: Lang, *, draws: int | None = None
) -> pd.DataFrame:
    """Return compared sites beside :func:`zoning.rank_sites`, in ``lang``.

    Parameters
    ----------
    sites : pandas.DataFrame
        ``label`` (the site's name), ``lon``, ``lat`` (WGS 84) and, when known, ``typed``
        (the text the user gave) and ``system`` (its coordinate system key).
    ranked : pandas.DataFrame
        :func:`zoning.rank_sites` on those sites (same index).
    draws : int, optional
        The number of weight draws behind the ranks (default
        ``zoning.settings.score_config.draws``), quoted in the stability text.

    Returns
    -------
    pandas.DataFrame
        Site, as typed, system, WGS 84 lon/lat, score, rating, range, rank ("1 (tied)"
        for a shared rank) and rank stability in words: for a tied site how often it comes
        out ahead of, level with and behind the sites it is tied with, never a bare 100 %.
    """
    n_draws = settings.score_config.draws if draws is None else draws
    wgs = [f"{x:.6f}, {y:.6f}" for x, y in zip(sites["lon"], sites["lat"], strict=True)]
    typed = sites["typed"].astype(str) if "typed" in sites.columns else pd.Series(wgs)
    system = sites["system"] if "system" in sites.columns else pd.Series("wgs84", sites.index)
    return pd.DataFrame(
        {
            t("site.compare_label", lang): sites["label"].astype(str).to_numpy(),
            t("site.compare_typed", lang): typed.to_numpy(),
            t("site.compare_system", lang): [t(f"site.system.{s}", lang) for s in system],
            t("site.compare_wgs84", lang): wgs,
            t("site.score", lang): ranked["score"].round(0).astype(int).to_numpy(),
            t("site.band_label", lang): [band_text(b, lang) for b in ranked["band"]],
            t("site.compare_interval", lang): [
                f"{a:.0f}–{b:.0f}" for a, b in zip(ranked["p5"], ranked["p95"], strict=True)
            ],
            t("site.compare_rank", lang): _rank_text(ranked, lang),
            t("site.compare_stability", lang): _stability_text(
                ranked, sites["label"], n_draws, lang
            ),
            t("site.compare_excluded", lang): ranked["excluded"].astype(bool).to_numpy(),
        }
    )


def criteria_side_by_side(sites: pd.DataFrame, ranked: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return each criterion (rows) for each compared site (columns), in ``lang``.

    A cell reads "value · points" ("12.3 km · 8.1 pts"); the last row is the total score.
    ``sites`` and ``ranked`` as for :func:`comparison_table`.
    """
    from zoning.settings import CRITERIA

    columns: dict[str, list[str]] = {}
    for (_, site), (_, row) in zip(sites.iterrows(), ranked.iterrows(), strict=True):
        cells = []
        for c in CRITERIA:
            raw = row[f"{c}_value"]
            applies = c == "zoning" or not (isinstance(raw, float) and np.isnan(raw))
            value = _criterion_value(c, raw, applies, lang)
            points = t("site.points", lang, points=float(row[f"{c}_points"]))
            cells.append(f"{value} · {points}" if applies else value)
        cells.append(f"{row['score']:.0f} · {band_text(str(row['band']), lang)}")
        columns[str(site["label"])] = cells
    index = pd.Index(
        [_label("criterion", c, lang) for c in CRITERIA] + [t("site.total", lang)],
        name=t("criterion.name", lang),
    )
    return pd.DataFrame(columns, index=index)


def comparison_file(
    sites: pd.DataFrame, ranked: pd.DataFrame, lang: Lang, fmt: str, *, draws: int | None = None
) -> bytes:
    """Return the comparison as a file: ``"xlsx"`` (two sheets) or ``"csv"`` (one table).

    The XLSX holds the comparison (:func:`comparison_table`) and the criteria side by side
    (:func:`criteria_side_by_side`) on two sheets; the CSV is the comparison with one
    column per criterion appended, in UTF-8 with a byte-order mark so that Excel reads the
    Chinese text.
    """
    import io

    table = comparison_table(sites, ranked, lang, draws=draws)
    side = criteria_side_by_side(sites, ranked, lang)
    if fmt == "csv":
        wide = pd.concat([table, side.T.reset_index(drop=True)], axis=1)
        from geo.io import table_csv

        return table_csv(wide)  # formula-safe, as every CSV written
    if fmt != "xlsx":
        msg = f"`fmt` must be 'xlsx' or 'csv', got {fmt!r}"
        raise ValueError(msg)
    from geo.io import formula_safe

    buffer = io.BytesIO()
    # openpyxl stores a text beginning with "=" as a formula: a site named "=HYPERLINK(..."
    # would run when the file is opened, so text cells are neutralised as in every CSV.
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        formula_safe(table).to_excel(writer, sheet_name=t("site.sheet_sites", lang), index=False)
        formula_safe(side.reset_index()).to_excel(
            writer, sheet_name=t("site.sheet_criteria", lang), index=False
        )
    return buffer.getvalue()
