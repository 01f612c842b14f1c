"""The check's texts: the rule, the areas, and the reason in Chinese and English.

Every sentence comes from the one vocabulary (``layers.i18n``: the ``reason.check.*``
templates and the ``verdict.*`` terms). A row's texts depend only on its verdict, the
verdict at its point (on uncertain rows), its segment, the areas holding it, the
boundaries its reason names and the precision it quotes, so rows alike in those share
one text, formatted once and spread to them by code. Texts are also kept across calls per
plan (:data:`zoning._cache.REASON_TEXTS`): a table checked against the same plan again
formats nothing.
"""

from __future__ import annotations

import difflib
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from layers.i18n import LANGS, Lang, distance, join, t, term
from zoning import _cache
from zoning._common import segment_names
from zoning._situations import (
    AreaSets,
    Designations,
    categorical,
    column_codes,
    combine,
    first_rows,
    spread,
)

__all__ = ["reason_columns", "rule_text"]


class _Texts(NamedTuple):
    rule: str
    area: tuple[str, ...]
    zh: str
    en: str


def rule_text(segment: str, *, known: bool, designated: tuple[str, ...]) -> str:
    """Return the rule a row is checked against, e.g. ``"copper_foil designated in materials"``.

    The ``rule`` column is a key-based record (segment and area keys, in English words),
    the same in both languages.
    """
    if not known:
        return f"{segment}: not a chain segment"
    if designated:
        return f"{segment} designated in {';'.join(designated)}"
    return f"{segment}: no designated area"


def reason_columns(  # noqa: PLR0917  (private: the arrays of one call)
    verdict: npt.NDArray[Any],
    at_point: npt.NDArray[Any],
    desig: Designations,
    inside: AreaSets,
    edges: AreaSets,
    precision: npt.NDArray[np.float64],
    *,
    verdicts: tuple[str, ...],
    areas: gpd.GeoDataFrame,
    chain: pd.DataFrame,
    designation: dict[str, tuple[str, ...]],
) -> dict[str, pd.Categorical[str] | npt.NDArray[np.object_]]:
    """Return the ``area``, ``rule``, ``reason_zh`` and ``reason_en`` columns.

    ``verdict`` and ``at_point`` are codes into ``verdicts``; ``inside`` are the areas
    holding each point, ``edges`` the boundaries each uncertain row's reason names.
    """
    uncertain = verdict == verdicts.index("uncertain")
    # Reasons quote the precision to 100 m above 1 km (10 m below): that is all the
    # precision an estimate has, and it keeps the number of distinct texts small.
    prec_codes, prec_found = pd.factorize(
        np.where(
            uncertain,
            np.where(precision >= 1000, np.round(precision, -2), np.round(precision, -1)),
            0.0,
        )
    )
    # The verdict at the point is quoted only by uncertain rows.
    lean = at_point.copy()
    lean[~uncertain] = 0
    ins_codes = column_codes(inside.columns)
    edge_codes = column_codes(edges.columns)
    group = combine(
        [verdict, lean, desig.row_segment, ins_codes[inside.row], edge_codes[edges.row], prec_codes]
    )
    first = first_rows(group)
    ins_at, edge_at = inside.row[first], edges.row[first]
    k = inside.columns.shape[0]
    if k <= 62:  # bit masks: the same sets give the same codes in every call
        ins_key: list[Any] = ins_codes[ins_at].tolist()
        edge_key: list[Any] = edge_codes[edge_at].tolist()
    else:
        ins_key = [inside.columns[:, c].tobytes() for c in ins_at.tolist()]
        edge_key = [edges.columns[:, c].tobytes() for c in edge_at.tolist()]
    prec_values: list[float] = prec_found.tolist()
    keys = list(
        zip(
            verdict[first].tolist(),
            lean[first].tolist(),
            [desig.segments[s] for s in desig.row_segment[first].tolist()],
            ins_key,
            edge_key,
            [prec_values[p] for p in prec_codes[first].tolist()],
            strict=True,
        )
    )
    texts = _texts(keys, ins_at, edge_at, inside, edges, verdicts, areas, chain, designation)
    return {
        "area": spread(group, [x.area for x in texts]),
        "rule": categorical(group, [x.rule for x in texts]),
        "reason_zh": categorical(group, [x.zh for x in texts]),
        "reason_en": categorical(group, [x.en for x in texts]),
    }


def _texts(  # noqa: PLR0917
    keys: list[tuple[Any, ...]],
    ins_at: npt.NDArray[Any],
    edge_at: npt.NDArray[Any],
    inside: AreaSets,
    edges: AreaSets,
    verdicts: tuple[str, ...],
    areas: gpd.GeoDataFrame,
    chain: pd.DataFrame,
    designation: dict[str, tuple[str, ...]],
) -> list[_Texts]:
    """Return the texts of each key, formatting only those not kept from earlier calls.

    A text depends only on its key and on the plan's names (area keys and names, the
    designation, the chain's keys and names), so texts are kept per those names: any
    change of a name or designation gets a fresh set.
    """
    area_keys = [str(k) for k in areas.index]
    context = (
        tuple(area_keys),
        tuple(areas["name_zh"].astype(str)),
        tuple(areas["name_en"].astype(str)),
        tuple(sorted(designation.items())),
        tuple(str(c) for c in chain.index),
        tuple(chain["name_zh"].astype(str)),
        tuple(chain["name_en"].astype(str)),
    )
    kept: dict[tuple[Any, ...], _Texts] = _cache.REASON_TEXTS.get(context, dict)
    found = list(map(kept.get, keys))
    missing = [i for i, x in enumerate(found) if x is None]
    if not missing:
        return [x for x in found if x is not None]
    if len(kept) + len(missing) > _cache.REASON_TEXTS_PER_PLAN:
        kept.clear()
    segments = sorted({keys[i][2] for i in missing})
    seg_name = {lang: segment_names(chain, segments, lang) for lang in LANGS}
    area_name = {
        lang: dict(zip(area_keys, areas[f"name_{lang}"].astype(str), strict=True)) for lang in LANGS
    }
    chain_keys = [str(c) for c in chain.index]
    for i in missing:
        v, lean, seg, _, _, prec = keys[i]
        in_areas = [area_keys[j] for j in np.flatnonzero(inside.columns[:, ins_at[i]]).tolist()]
        named = [area_keys[j] for j in np.flatnonzero(edges.columns[:, edge_at[i]]).tolist()]
        desig = designation.get(seg, ())
        known = seg in chain.index
        reason: dict[Lang, str] = {}
        for lang in LANGS:

            def names(keys: list[str] | tuple[str, ...], lang: Lang = lang) -> str:
                return join((area_name[lang][a] for a in keys), lang)

            verdict = verdicts[v]
            if verdict == "unassigned" and not seg.strip():
                reason[lang] = t("reason.check.no_segment", lang)
            elif verdict == "unassigned" and not known:
                near = difflib.get_close_matches(seg, chain_keys, n=1)
                reason[lang] = t(
                    "reason.check.unknown_segment", lang, key=seg, near=near[0] if near else "-"
                )
            else:
                reason[lang] = t(
                    f"reason.check.{verdict}",
                    lang,
                    seg=seg_name[lang][seg],
                    areas=names(in_areas),
                    desig=names(desig) or t("reason.check.any_area", lang),
                    edge=names(named),
                    prec=distance(prec, lang),
                    at_point=term("verdict", verdicts[lean], lang),
                )
        text = _Texts(
            rule_text(seg, known=known, designated=desig),
            tuple(in_areas),
            reason["zh"],
            reason["en"],
        )
        kept[keys[i]] = text
        found[i] = text
    return [x for x in found if x is not None]
