"""The texts of a site's score, in Chinese and English, from the one vocabulary.

Every sentence comes from the one vocabulary (``layers.i18n``: the ``reason.site.*``
templates and the ``criterion`` terms), so a site's reason uses the app's and the check's words.
:func:`constraint_text` says why a constraint feature excludes a site; :func:`explain`
turns one evaluated site (:meth:`zoning._scoring.Scorer.evaluate`) into the reason of
:class:`zoning.SiteScore`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from layers.i18n import LANGS, Lang, join, t, term
from zoning import settings
from zoning._common import segment_names

if TYPE_CHECKING:
    from zoning._scoring import Scorer
    from zoning.suitability import Robustness

__all__ = ["constraint_text", "explain", "where_text"]


def constraint_text(layer: str, feature: pd.Series) -> tuple[str, str]:
    """Return ``(en, zh)``: why ``feature`` of the constraint ``layer`` excludes a site.

    The feature's own ``name``/``name_zh``/``name_en`` and ``reason``/``reason_zh``/
    ``reason_en`` are quoted when present, the other language's standing in for a missing one.
    """

    def pick(*cols: str) -> str:
        for c in cols:
            v = feature.get(c)
            if v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v):
                return str(v)
        return ""

    def text(lang: Lang) -> str:
        other = "en" if lang == "zh" else "zh"
        name = pick(f"name_{lang}", "name", f"name_{other}")
        why = pick(f"reason_{lang}", "reason", f"reason_{other}")
        return (
            t("reason.site.constraint", lang, layer=layer)
            + (t("reason.site.constraint_name", lang, name=name) if name else "")
            + (t("reason.site.constraint_why", lang, why=why) if why else "")
        )

    return text("en"), text("zh")


def _km(d: float, lang: Lang) -> str:
    if math.isfinite(d) and d <= settings.site_far_m:
        return t("unit.km", lang, km=d / 1000)
    if math.isfinite(d):
        # A partner 80 km away is no local partner: say so instead of a long number.
        return t("site.none_within", lang, km=settings.site_far_m / 1000)
    return t("reason.site.none_in_data", lang)


def where_text(lon: float, lat: float, system: str, typed: tuple[float, float], lang: Lang) -> str:
    """Say where a site is: WGS 84, and what was typed when it was another system."""
    out = t("site.where_wgs84", lang, lon=lon, lat=lat)
    if system != "wgs84":
        out += t(
            "site.where_typed",
            lang,
            system=t(f"site.system.{system}", lang),
            lon=typed[0],
            lat=typed[1],
        )
    return out


def explain(  # noqa: PLR0917  (private: the parts of one answer)
    sc: Scorer,
    ev: dict[str, Any],
    crit: pd.DataFrame,
    robust: Robustness,
    suppliers: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    where: tuple[float, float],
    typed: tuple[float, float, str],
) -> tuple[str, str]:
    """Return ``(zh, en)``: why the first site of ``ev`` scores what it does.

    An excluded site is explained by its exclusions alone; otherwise the zoning class, the
    nearest supplier and customer of each linked segment, the same-segment neighbours, the
    points each criterion contributes and the spread under the weight draws. ``where`` is
    the site in WGS 84, ``typed`` the coordinates and system it was given in: the reason
    names the system of every coordinate it quotes.
    """
    from zoning.suitability import score_band

    band = score_band(float(ev["score"][0]), excluded=bool(ev["excluded"][0]))
    seg = {lang: segment_names(sc.chain, [sc.segment], lang)[sc.segment] for lang in LANGS}
    area_name = {lang: sc.areas[f"name_{lang}"].astype(str).to_dict() for lang in LANGS}
    inside_keys = [k for k, hit in zip(sc.area_keys, ev["inside"][0], strict=True) if hit]
    score = float(ev["score"][0])
    out = {}
    for lang in LANGS:
        clauses = t("list.sep_clauses", lang)
        if bool(ev["excluded"][0]):
            why = clauses.join(ev[f"why_{lang}"][0])
            out[lang] = t("reason.site.excluded", lang, why=why)
            continue
        parts = [
            t(
                f"reason.site.{ev['zoning'][0]}",
                lang,
                areas=join((area_name[lang][k] for k in inside_keys), lang),
                desig=join((area_name[lang][k] for k in sc.designated), lang),
            )
        ]
        names_of = {s: segment_names(sc.chain, [s], lang)[s] for s in (*sc.up, *sc.down)}
        for table, crit_key in ((suppliers, "upstream"), (customers, "downstream")):
            if table.empty:
                continue
            near = join(
                (
                    f"{names_of[s]} {_km(d, lang)}"
                    for s, d in zip(table["segment"], table["distance_m"], strict=True)
                ),
                lang,
            )
            parts.append(t(f"reason.site.nearest_{crit_key}", lang, near=near))
        radius = _km(sc.cfg.neighbour_radius_m, lang)
        count = int(ev["count"][0])
        parts.append(t("reason.site.neighbours", lang, radius=radius, count=count, seg=seg[lang]))
        contrib = join(
            (
                f"{term('criterion', r.criterion, lang)} {r.contribution:.0f}"
                for r in crit.itertuples()
                if r.applies
            ),
            lang,
        )
        out[lang] = t(
            "site.reason_score",
            lang,
            seg=seg[lang],
            where=where_text(*where, typed[2], typed[:2], lang),
            score=score,
            band=t(f"site.band.{band}", lang),
            parts=clauses.join(parts),
            contrib=contrib,
            draws=robust.draws,
            p5=robust.p5,
            p95=robust.p95,
        )
    return out["zh"], out["en"]
