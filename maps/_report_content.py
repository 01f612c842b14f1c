"""What the report says: its tables and texts, built from the analysis, before any layout.

Everything here is plain data (strings and :class:`pandas.DataFrame` with translated
headers), so the content is tested without drawing a PDF. The analysis is run once per
report through :mod:`zoning` and its tables through :mod:`zoning.tables` (the app's own
tables), never re-derived here; the only counting done here is the verdict × area
cross-tabulation, which the app has no table for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

import zoning
from geo import InputError
from layers.i18n import Lang, local_names, t
from layers.project import Project
from layers.settings import data_path
from zoning import tables

__all__ = ["ATTENTION", "ReportContent", "SiteTable", "build_content", "read_sites", "sources"]

ATTENTION: Final = ("misplaced", "uncertain")
"""The verdicts whose enterprises the report lists one by one, with their reasons."""

SYNTHETIC_MARK: Final = "†"
"""Put after the id of a synthetic (demo) record in every table of the report."""

# The shipped files the provenance table describes, in the order of data/SOURCES.md.
_SECTION = re.compile(r"^## (?P<name>.+?)\s*$", re.MULTILINE)
_FIELD = r"\*\*{label}\.\*\*\s*(?P<text>.+?)(?:\*\*|\n\n|$)"


@dataclass(frozen=True)
class SiteTable:
    """The compared sites of one segment: the segment's name and the table in ``lang``."""

    segment: str
    table: pd.DataFrame


@dataclass(frozen=True)
class ReportContent:
    """Everything the report prints, in one language.

    Attributes
    ----------
    lang : {"zh", "en"}
    verdict_area : pandas.DataFrame
        Verdicts (rows, in :data:`zoning.VERDICTS` order, translated) × the areas' names,
        "in no area" and the total (each enterprise once), plus a total row.
    attention : pandas.DataFrame
        :func:`zoning.tables.check_table` rows of the verdicts in :data:`ATTENTION`;
        synthetic records have :data:`SYNTHETIC_MARK` after their id.
    verdict_counts : dict
        Verdict key -> number of enterprises (all six verdicts).
    gap_matrix, targets : pandas.DataFrame
        :func:`zoning.tables.gap_matrix` and :func:`zoning.tables.targets_table`.
    sites : list of SiteTable
        One per segment of the compared sites (empty when none were given).
    sources : pandas.DataFrame
        File, content, licence, date of each shipped data file.
    limits : list of str
        What is approximate in the data, in sentences.
    cover : list of str
        The cover's lines under the title (organisation, date, store version, data).
    synthetic : int
        How many enterprises are synthetic.
    """

    lang: Lang
    verdict_area: pd.DataFrame
    attention: pd.DataFrame
    verdict_counts: dict[str, int]
    gap_matrix: pd.DataFrame
    targets: pd.DataFrame
    sources: pd.DataFrame
    limits: list[str]
    cover: list[str]
    synthetic: int
    sites: list[SiteTable] = field(default_factory=list)


def _synthetic(enterprises: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    if "synthetic" not in enterprises.columns:
        return np.zeros(len(enterprises), dtype=bool)
    return enterprises["synthetic"].fillna(False).astype(bool).to_numpy()


def verdict_by_area(result: pd.DataFrame, areas: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Count enterprises per verdict and per area holding them, with totals, in ``lang``.

    Parameters
    ----------
    result : pandas.DataFrame
        :func:`zoning.check` output (``verdict``; ``area``: tuples of area keys).
    areas : pandas.DataFrame
        The areas the check ran on (their order and names).
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        Rows: the six verdicts in words, then the total; columns: each area, "in no area"
        and the total, which is :func:`zoning.tables.verdict_counts` (each enterprise once).

    Examples
    --------
    >>> areas = pd.DataFrame({"name_zh": ["甲", "乙"], "name_en": ["A", "B"]}, index=["a", "b"])
    >>> result = pd.DataFrame({"verdict": ["conforming", "misplaced", "outside"],
    ...                        "area": [("a",), ("a", "b"), ()]})
    >>> table = verdict_by_area(result, areas, "en")
    >>> table.loc["misplaced"].tolist(), table.loc["Total"].tolist()
    ([1, 1, 0, 1], [2, 1, 1, 3])
    """
    keys = [str(k) for k in areas.index]
    none = "\x00none"  # not an area key: the column of enterprises in no area
    held = result["area"].map(lambda k: tuple(str(x) for x in k) if len(k) else (none,))
    long = pd.DataFrame({"verdict": result["verdict"].astype(str), "area": held}).explode("area")
    verdicts = list(zoning.VERDICTS)
    counts = pd.crosstab(long["verdict"], long["area"]).reindex(
        index=verdicts, columns=[*keys, none], fill_value=0
    )
    labels = tables.verdict_labels(pd.Series(verdicts), lang).tolist()
    by_label = tables.verdict_counts(result, lang).iloc[:, 0]
    counts["total"] = [int(by_label.get(label, 0)) for label in labels]
    counts.loc["total"] = [int(long.loc[long["area"] == k].shape[0]) for k in [*keys, none]] + [
        len(result)
    ]
    names = dict(zip(keys, local_names(areas, lang), strict=True))
    counts.index = pd.Index([*labels, t("report.total", lang)], name=t("field.verdict", lang))
    counts.columns = [
        *(names[k] for k in keys),
        t("report.no_area", lang),
        t("report.total", lang),
    ]
    return counts.astype(int)


def _attention(result: gpd.GeoDataFrame, project: Project, lang: Lang) -> pd.DataFrame:
    rows = result.loc[result["verdict"].astype(str).isin(ATTENTION).to_numpy()]
    # Misplaced first (they need action), then uncertain; by area, then id, for reading.
    order = rows.assign(
        _v=rows["verdict"].astype(str).map(ATTENTION.index),
        _a=rows["area"].map(lambda k: ",".join(map(str, k))),
        _i=rows["id"].astype(str),
    ).sort_values(["_v", "_a", "_i"], kind="stable")
    table = tables.check_table(
        rows.loc[order.index], areas=project.areas, chain=project.chain, lang=lang
    )
    marked = _synthetic(rows.loc[order.index])
    id_col = t("field.id", lang)
    table[id_col] = [
        f"{i} {SYNTHETIC_MARK}" if m else i for i, m in zip(table[id_col], marked, strict=True)
    ]
    return table.reset_index(drop=True)


def read_sites(path: str | Path, *, coord_system: str = "wgs84") -> pd.DataFrame:
    """Read candidate sites to compare: ``label``, ``segment`` and a position per row.

    Parameters
    ----------
    path : str or Path
        A table :func:`geo.io.read` reads (CSV, XLSX, GeoJSON, ...) with the columns
        ``segment`` (a chain key), ``lon``/``lat`` (or 经度/纬度, or point geometries) and
        optionally ``label`` (default ``S1``, ``S2``, ...).
    coord_system : str
        What the coordinates are in (``wgs84``, ``gcj02``, ``bd09``; a column overrides).

    Returns
    -------
    pandas.DataFrame
        ``label``, ``segment``, ``lon``, ``lat`` in WGS 84.

    Raises
    ------
    geo.InputError
        A site without a usable position inside Nanchang, or without a segment: every
        problem at once, naming the file and the row.
    """
    import geo.io
    from layers.settings import extent

    read = geo.io.read(path, coord_system=coord_system, extent=extent())
    data = read.data
    name = Path(path).name
    problems = [
        f"{name} row {row}: {problem}"
        for row, problem in zip(read.problems["row"], read.problems["problem"], strict=True)
    ]
    if "segment" not in data.columns:
        problems.append(f"{name}: needs a `segment` column (a chain key such as li_ion_cell)")
        segment = pd.Series("", index=data.index)
    else:
        segment = data["segment"].fillna("").astype(str).str.strip()
        problems += [
            f"{name} row {i + 1}: `segment` is empty: give a chain key such as li_ion_cell"
            for i in np.flatnonzero(segment.eq("").to_numpy())
        ]
    if problems:
        raise InputError("\n".join(problems))
    if "label" in data.columns:
        label = data["label"].fillna("").astype(str)
    else:
        label = pd.Series([f"S{i + 1}" for i in range(len(data))], index=data.index)
    return pd.DataFrame(
        {
            "label": label.to_numpy(),
            "segment": segment.to_numpy(),
            "lon": data.geometry.x.to_numpy(),
            "lat": data.geometry.y.to_numpy(),
        }
    )


def _maybe(key: str, lang: Lang) -> str:
    """Return the text of ``key``, or the key itself where the vocabulary lacks it."""
    try:
        return t(key, lang)
    except KeyError:
        return key


def _site_tables(sites: pd.DataFrame, project: Project, lang: Lang) -> list[SiteTable]:
    names = {str(k): str(v) for k, v in project.chain[f"name_{lang}"].items()}
    out: list[SiteTable] = []
    for segment, group in sites.groupby("segment", sort=False):
        key = str(segment)
        if key not in names:
            known = ", ".join(sorted(names)[:8])
            msg = f"compared sites: unknown segment {key!r}; use a chain key ({known}, ...)"
            raise InputError(msg)
        ranked = zoning.rank_sites(
            group,
            key,
            enterprises=project.enterprises,
            areas=project.areas,
            chain=project.chain,
        )
        table = tables.comparison_table(group, ranked, lang)
        # The app's comparison has no reason; a report must say why a site scores so.
        scores = [
            zoning.site_score(
                lon,
                lat,
                key,
                enterprises=project.enterprises,
                areas=project.areas,
                chain=project.chain,
            )
            for lon, lat in zip(group["lon"].astype(float), group["lat"].astype(float), strict=True)
        ]
        table[t("field.reason", lang)] = [
            s.reason_zh if lang == "zh" else s.reason_en for s in scores
        ]
        # Columns the app needs for typed input; a file's sites are WGS 84 already.
        dropped = [
            _maybe(k, lang)
            for k in ("site.compare_typed", "site.compare_system", "site.compare_excluded")
        ]
        out.append(SiteTable(names[key], table.drop(columns=dropped, errors="ignore")))
    return out


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.;])(\s|$)", text)
    return (match.group(1) if match else text).rstrip(".;")


def _date(text: str) -> str:
    """Return the first date (YYYY-MM or YYYY-MM-DD) of a SOURCES.md date paragraph."""
    found = re.search(r"\d{4}-\d{2}(?:-\d{2})?", text)
    return found.group(0) if found else _first_sentence(text)


def _licences(text: str) -> str:
    """Return the licence names a SOURCES.md licence paragraph mentions ("MIT", ...)."""
    found = re.findall(r"\b(MIT|CC0|CC BY(?:-SA)? \d\.\d|ODbL|Apache-2\.0)\b", text)
    return ", ".join(dict.fromkeys(found)) or _first_sentence(text)


def sources(lang: Lang, path: Path | None = None) -> pd.DataFrame:
    """Return the shipped data files with their content, licence and date, in ``lang``.

    Read from ``data/SOURCES.md`` (one ``## file`` section each, with ``**Licence.**``
    and ``**Date.**``); the content is the vocabulary's description of the file when it
    has one, else the first sentence of the section's ``**What.**``. Sections without a
    licence (e.g. "Synthetic enterprises (not shipped)") are not files and are left out.

    Examples
    --------
    >>> table = sources("en")
    >>> "enterprises.csv" in set(table["File"]), "zones.geojson" in set(table["File"])
    (True, True)
    """
    text = (path or data_path("SOURCES.md")).read_text(encoding="utf-8")
    heads = list(_SECTION.finditer(text))
    rows = []
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : nxt.start() if nxt else len(text)]
        name = head.group("name")
        licence = re.search(_FIELD.format(label="Licence"), body, re.DOTALL)
        if licence is None:
            continue
        date = re.search(_FIELD.format(label="Date"), body, re.DOTALL)
        what = re.search(_FIELD.format(label="What"), body, re.DOTALL)
        key = f"report.source.{name}"
        try:
            content = t(key, lang)
        except KeyError:
            content = _first_sentence(what.group("text")) if what else ""
        rows.append(
            {
                t("report.source_file", lang): name,
                t("report.source_what", lang): content,
                t("report.source_licence", lang): _licences(licence.group("text")),
                t("report.source_date", lang): _date(date.group("text") if date else ""),
            }
        )
    return pd.DataFrame(rows)


def _limits(project: Project, result: pd.DataFrame, lang: Lang, synthetic: int) -> list[str]:
    zones = project.zones
    approx = (
        int(zones["boundary_source"].astype(str).eq("approximate").sum())
        if "boundary_source" in zones.columns
        else 0
    )
    out = []
    if project.zones_problem:
        out.append(t("report.limit_zones_problem", lang, problem=project.zones_problem.get(lang)))
    if approx:
        out.append(t("report.limit_zones", lang, n=approx, total=len(zones)))
    precision = pd.to_numeric(project.enterprises.get("precision_m"), errors="coerce")
    if precision is not None and precision.notna().any():
        out.append(t("report.limit_precision", lang, median=f"{precision.median():,.0f}"))
    out.append(t("report.limit_crs", lang))
    unlocated = int(result["verdict"].astype(str).eq("unlocated").sum())
    if unlocated:
        out.append(t("report.limit_unlocated", lang, n=unlocated))
    if len(project.enterprise_problems):
        out.append(t("report.limit_problems", lang, n=len(project.enterprise_problems)))
    out.append(
        t("report.limit_synthetic", lang, n=synthetic)
        if synthetic
        else t("report.limit_no_synthetic", lang)
    )
    return out


def _cover(
    project: Project, lang: Lang, *, date: str, organisation: str, synthetic: int
) -> list[str]:
    lines = []
    if organisation:
        lines.append(t("report.organisation", lang, organisation=organisation))
    lines.append(t("report.date", lang, date=date))
    if project.zones_version is not None:
        lines.append(
            t(
                "report.store_version",
                lang,
                store=Path(str(project.store)).name,
                version=project.zones_version,
            )
        )
    else:
        lines.append(t("report.store_shipped", lang))
    lines.append(
        t(
            "report.enterprise_source",
            lang,
            source=project.enterprise_source,
            n=len(project.enterprises),
            synthetic=synthetic,
        )
    )
    return lines


def build_content(
    project: Project,
    *,
    lang: Lang,
    date: str,
    organisation: str = "",
    sites: pd.DataFrame | None = None,
) -> ReportContent:
    """Run the analysis once on ``project`` and return what the report prints, in ``lang``."""
    firms, areas, chain = project.enterprises, project.areas, project.chain
    result = zoning.check(firms, areas=areas, chain=chain)
    counts = zoning.segment_counts(firms, areas=areas, chain=chain)
    gaps = zoning.chain_gaps(firms, areas=areas, chain=chain, counts=counts)
    targets = zoning.investment_targets(firms, areas=areas, chain=chain, gaps=gaps)
    synthetic = int(_synthetic(firms).sum())
    verdicts = result["verdict"].astype(str).value_counts()
    return ReportContent(
        lang=lang,
        verdict_area=verdict_by_area(result, areas, lang),
        attention=_attention(result, project, lang),
        verdict_counts={v: int(verdicts.get(v, 0)) for v in zoning.VERDICTS},
        gap_matrix=tables.gap_matrix(counts, gaps, areas=areas, chain=chain, lang=lang),
        targets=tables.targets_table(targets, areas=areas, lang=lang),
        sources=sources(lang),
        limits=_limits(project, result, lang, synthetic),
        cover=_cover(project, lang, date=date, organisation=organisation, synthetic=synthetic),
        synthetic=synthetic,
        sites=[] if sites is None or not len(sites) else _site_tables(sites, project, lang),
    )
