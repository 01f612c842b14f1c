"""Progress against the plan: counts by stage, money, capacity, output, KPIs, targets.

Per year, per area and segment (and their totals, ``all``), from the dated events
(:mod:`layers.events`), each figure with the number of records it rests on and the date
of the newest. The KPIs, as investment-promotion offices report them:

- 履约率 ``fulfilment_rate`` = projects signed that have started construction / projects
  signed (a project that reached 在建 or later has been signed, whether or not its signing
  is dated);
- 开工率 ``start_rate`` = projects started / projects that reached 拟开工 or later;
- 投产率 ``production_rate`` = projects in production / projects started;
- 资金到位率 ``funds_rate`` = paid-in / committed investment, over projects with both;
- ``output_growth`` = output of the year / output of the year before − 1.

Targets and intensity thresholds are data (``data/targets.yaml``), each with its source.

Examples
--------
>>> table = progress(as_of="2023-12-31")
>>> row = table[(table.year == 2023) & (table.area == "all") & (table.segment == "all")]
>>> found = row.set_index("metric").loc["output_cny"]
>>> int(found.records), float(found.target), found.met, found.target_source
(0, 20000000000.0, None, 'S1')
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import yaml

from geo.messages import Text
from layers import RuleError, settings
from layers.events import STAGES
from layers.i18n import text
from zoning import settings as zoning_settings
from zoning.timeline import as_of_date

__all__ = [
    "KPIS",
    "METRICS",
    "Target",
    "freshness",
    "intensity",
    "progress",
    "targets",
]

KPIS: Final = ("fulfilment_rate", "start_rate", "production_rate", "funds_rate", "output_growth")
METRICS: Final = ("firms", "investment_cny", "paid_in_cny", "capacity", "output_cny", *KPIS)
_INTENSITY: Final = ("investment_per_mu", "output_per_mu")
_COMPARISONS: Final = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
_ORDER: Final = {s: i for i, s in enumerate(STAGES)}
_ON_PATH: Final = tuple(s for s in STAGES if s not in ("halted", "exited"))


@dataclass(frozen=True)
class Target:
    """One target or threshold of ``data/targets.yaml``."""

    key: str
    metric: str
    value: float
    comparison: str
    source: str
    year: int | None = None
    area: str | None = None
    segment: str | None = None
    note: str = ""
    threshold: bool = False


def targets(path: str | os.PathLike[str] | None = None) -> list[Target]:
    """Read and validate the targets file (default the shipped ``data/targets.yaml``).

    Raises
    ------
    layers.RuleError
        Listing every problem at once, in English and Chinese: a target without a source
        (refused), a source not listed under ``sources``, an unknown metric or comparison,
        a value that is not a number.

    Examples
    --------
    >>> [(t.key, t.metric, t.value, t.source) for t in targets()]
    [('scale_2023', 'output_cny', 20000000000.0, 'S1')]
    """
    p = Path(settings.data_path("targets.yaml") if path is None else path)
    doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict):
        raise RuleError(["the top level must be a mapping with `sources` and `targets`"], p.name)
    sources = doc.get("sources") or {}
    problems: list[Text] = []
    found: list[Target] = []
    for kind, allowed in (("targets", METRICS), ("thresholds", _INTENSITY)):
        for i, item in enumerate(doc.get(kind) or []):
            target = _target(
                item, i, kind=kind, allowed=allowed, sources=sources, problems=problems
            )
            if target is not None:
                found.append(target)
    if problems:
        raise RuleError(problems, p.name)
    return found


def _target(
    item: Any,
    i: int,
    *,
    kind: str,
    allowed: tuple[str, ...],
    sources: dict[str, Any],
    problems: list[Text],
) -> Target | None:
    key = str(item.get("key", f"{kind}[{i}]")) if isinstance(item, dict) else f"{kind}[{i}]"
    if not isinstance(item, dict):
        problems.append(text("time.targets.bad_field", key=key, field="-", problem="not a mapping"))
        return None
    before = len(problems)
    source = str(item.get("source") or "").strip()
    if not source:
        problems.append(text("time.targets.no_source", key=key))
    elif source not in sources:
        problems.append(
            text("time.targets.unknown_source", key=key, source=source, valid=", ".join(sources))
        )
    if item.get("metric") not in allowed:
        problems.append(
            text(
                "time.targets.bad_field",
                key=key,
                field="metric",
                problem=f"use one of {', '.join(allowed)}",
            )
        )
    comparison = str(item.get("comparison", ">="))
    if comparison not in _COMPARISONS:
        problems.append(
            text(
                "time.targets.bad_field", key=key, field="comparison", problem="use >, >=, < or <="
            )
        )
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(
            text(
                "time.targets.bad_field",
                key=key,
                field="value",
                problem=f"{value!r} is not a number",
            )
        )
    if len(problems) > before:
        return None
    year = item.get("year")
    return Target(
        key=key,
        metric=str(item["metric"]),
        value=float(item["value"]),  # checked above to be a finite number
        comparison=comparison,
        source=source,
        year=None if year is None else int(year),
        area=item.get("area"),
        segment=item.get("segment"),
        note=str(item.get("note") or "").strip(),
        threshold=kind == "thresholds",
    )


def _areas_of(enterprises: Any, areas: Any) -> pd.Series:
    """Each firm's area keys as a list (["none"] outside every area or unlocated)."""
    from zoning.check import membership

    inside, _ = membership(enterprises, areas)
    keys = [[str(c) for c in inside.columns if row[c]] or ["none"] for _, row in inside.iterrows()]
    return pd.Series(keys, index=enterprises.index, dtype=object)


def _latest(ev: pd.DataFrame, col: str) -> pd.DataFrame:
    known = ev[ev[col].notna()].sort_values("start", kind="stable")
    return known.groupby("enterprise_id").tail(1).set_index("enterprise_id")


def _firm_year(ev: pd.DataFrame, ids: pd.Series, year: int, end: pd.Timestamp) -> pd.DataFrame:
    """One row per enterprise: its state and figures at ``end`` (the year's snapshot)."""
    seen = ev[ev["start"] <= end]
    # A fact dated only to its year or month counts from the period's first day; its date
    # as evidence is then at most the snapshot's, never after it (no negative ages).
    seen = seen.assign(end=seen["end"].where(seen["end"] <= end, end))
    on_path = seen[seen["stage"].isin(_ON_PATH)]
    reached = on_path.groupby("enterprise_id")["stage"].agg(
        lambda s: max(s, key=lambda stage: _ORDER[stage])
    )
    last = seen.sort_values("start", kind="stable").groupby("enterprise_id").tail(1)
    stage = last.set_index("enterprise_id")["stage"]
    out = pd.DataFrame(index=pd.Index(ids.astype(str), name="enterprise_id"))
    out["stage"] = stage.reindex(out.index).fillna("")
    rank = reached.reindex(out.index).map(_ORDER).fillna(-1)
    out["signed"] = rank >= _ORDER["signed"]
    out["pre"] = rank >= _ORDER["pre_construction"]
    out["started"] = rank >= _ORDER["construction"]
    out["producing"] = out["stage"] == "production"
    for col in ("investment_cny", "paid_in_cny", "capacity"):
        latest = _latest(seen, col)
        out[col] = latest[col].reindex(out.index)
        out[f"{col}_date"] = latest["end"].reindex(out.index)
    out["capacity_unit"] = _latest(seen, "capacity")["capacity_unit"].reindex(out.index)
    for offset, name in ((0, "output_cny"), (1, "output_before")):
        flows = seen[(seen["start"].dt.year == year - offset) & seen["output_cny"].notna()]
        out[name] = flows.groupby("enterprise_id")["output_cny"].sum().reindex(out.index)
        out[f"{name}_date"] = flows.groupby("enterprise_id")["end"].max().reindex(out.index)
    out["last_date"] = seen.groupby("enterprise_id")["end"].max().reindex(out.index)
    return out


def _rate(num: float, den: float) -> float:
    return num / den if den else math.nan


def _figures(g: pd.DataFrame) -> list[tuple[str, str, float, int, Any]]:
    """(metric, unit, value, records, newest) of one group's firms."""
    dated = g[g["last_date"].notna()]
    rows: list[tuple[str, str, float, int, Any]] = [
        (
            f"firms.{s}",
            "",
            float((g["stage"] == s).sum()),
            int((g["stage"] == s).sum()),
            dated["last_date"].max(),
        )
        for s in STAGES
        if (g["stage"] == s).any()
    ]
    for col in ("investment_cny", "paid_in_cny", "output_cny"):
        have = g[g[col].notna()]
        total = float(have[col].sum()) if len(have) else math.nan  # no record: unknown, not 0
        rows.append((col, "yuan", total, len(have), have[f"{col}_date"].max()))
    for unit, part in g[g["capacity"].notna()].groupby("capacity_unit"):
        rows.append(
            (
                "capacity",
                str(unit),
                float(part["capacity"].sum()),
                len(part),
                part["capacity_date"].max(),
            )
        )
    newest = dated["last_date"].max()
    n_signed, n_started = int(g["signed"].sum()), int(g["started"].sum())
    rows.append(("fulfilment_rate", "", _rate(n_started, n_signed), n_signed, newest))
    rows.append(
        ("start_rate", "", _rate(n_started, int(g["pre"].sum())), int(g["pre"].sum()), newest)
    )
    rows.append(
        ("production_rate", "", _rate(int(g["producing"].sum()), n_started), n_started, newest)
    )
    both = g[g["investment_cny"].notna() & g["paid_in_cny"].notna()]
    rows.append(
        (
            "funds_rate",
            "",
            _rate(both["paid_in_cny"].sum(), both["investment_cny"].sum()),
            len(both),
            both["paid_in_cny_date"].max(),
        )
    )
    flows = g[g["output_cny"].notna() & g["output_before"].notna()]
    before = float(flows["output_before"].sum())
    growth = float(flows["output_cny"].sum()) / before - 1 if before else math.nan
    rows.append(("output_growth", "", growth, len(flows), flows["output_cny_date"].max()))
    return rows


def progress(
    enterprises: Any = None,
    events: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    areas: Any = None,
    target_list: list[Target] | None = None,
) -> pd.DataFrame:
    """Return the progress table: per year, area and segment, every figure and its target.

    Parameters
    ----------
    enterprises, events : optional
        Default the shipped layers (:func:`layers.enterprises`, :func:`layers.events.events`).
    as_of : date, optional
        Figures as known at this date (default today); the last year is its year.
    areas : geopandas.GeoDataFrame, optional
        Default :func:`layers.areas`.
    target_list : list of Target, optional
        Default :func:`targets`.

    Returns
    -------
    pandas.DataFrame
        Long table: ``year, area, segment, metric, unit, value, records`` (how many firms'
        records the figure rests on), ``newest`` (ISO date of the newest), ``age_days``
        (from ``newest`` to ``as_of``), ``target``, ``comparison``, ``met`` (True/False,
        None when no record backs the figure), ``target_source``. ``firms.<stage>`` counts
        firms by stage; ``area`` and ``segment`` are ``all`` for totals, area ``none``
        outside every area.
    """
    import layers
    import layers.events

    firms = layers.enterprises() if enterprises is None else enterprises
    ev = layers.events.events(enterprise_ids=firms["id"].astype(str)) if events is None else events
    plan_areas = layers.areas() if areas is None else areas
    goals = targets() if target_list is None else target_list
    when = as_of_date(pd.Timestamp.now().strftime("%Y-%m-%d") if as_of is None else as_of)
    member = _areas_of(firms, plan_areas)
    segment = firms["segment"].astype(str)
    ids = firms["id"].astype(str)
    years = range(int(ev["start"].dt.year.min()) if len(ev) else when.year, when.year + 1)
    rows: list[dict[str, Any]] = []
    for year in years:
        end = min(pd.Timestamp(year, 12, 31), when)
        state = _firm_year(ev, ids, year, end).reset_index()
        state["segment"] = segment.to_numpy()
        state["areas"] = member.to_numpy()
        long = state.explode("areas")
        groups = [("all", "all", state)]
        groups += [(str(a), "all", g) for a, g in long.groupby("areas")]
        groups += [(str(a), str(s), g) for (a, s), g in long.groupby(["areas", "segment"])]
        for area, seg, g in groups:
            for metric, unit, value, n, newest in _figures(g):
                rows.append(
                    _row(
                        year,
                        area,
                        seg,
                        metric=metric,
                        unit=unit,
                        value=value,
                        n=n,
                        newest=newest,
                        when=when,
                        goals=goals,
                    )
                )
    return pd.DataFrame(rows)


def _row(
    year: int,
    area: str,
    seg: str,
    *,
    metric: str,
    unit: str,
    value: float,
    n: int,
    newest: Any,
    when: pd.Timestamp,
    goals: list[Target],
) -> dict[str, Any]:
    goal = next(
        (
            t
            for t in goals
            if not t.threshold
            and t.metric == metric
            and t.year in (None, year)
            and (t.area or "all") == area
            and (t.segment or "all") == seg
        ),
        None,
    )
    dated = pd.notna(newest)
    met = None
    if goal is not None and n and math.isfinite(value):
        met = bool(_COMPARISONS[goal.comparison](value, goal.value))
    return {
        "year": year,
        "area": area,
        "segment": seg,
        "metric": metric,
        "unit": unit,
        "value": value,
        "records": n,
        "newest": pd.Timestamp(newest).strftime("%Y-%m-%d") if dated else "",
        "age_days": int((when - pd.Timestamp(newest)).days) if dated else None,
        "target": None if goal is None else goal.value,
        "comparison": "" if goal is None else goal.comparison,
        "met": met,
        "target_source": "" if goal is None else goal.source,
    }


def freshness(
    frame: pd.DataFrame, *, as_of: object = None, limit_months: int | None = None
) -> pd.DataFrame:
    """Flag records older than the limit (default :data:`zoning.settings.stale_after_months`).

    Reads ``as_of`` (enterprises) or ``date`` (events). Returns ``age_days`` and ``stale``
    (True when older than the limit, or undated: no date vouches for it), aligned to
    ``frame``.

    Examples
    --------
    >>> frame = pd.DataFrame({"as_of": ["2024-01-10", "2023-01", ""]})
    >>> freshness(frame, as_of="2024-06-30").stale.tolist()
    [False, True, True]
    """
    from layers.events import parse_date

    months = zoning_settings.stale_after_months if limit_months is None else limit_months
    when = as_of_date(pd.Timestamp.now().strftime("%Y-%m-%d") if as_of is None else as_of)
    column = "as_of" if "as_of" in frame.columns else "date"
    ends = pd.to_datetime(
        frame[column].map(lambda v: p.end if (p := parse_date(v)) else pd.NaT), errors="coerce"
    )
    age = (when - ends).dt.days
    limit = when - pd.DateOffset(months=months)
    stale = ends.isna() | (ends < limit)
    return pd.DataFrame({"age_days": age, "stale": stale.astype(bool)}, index=frame.index)


def intensity(
    enterprises: Any = None,
    events: pd.DataFrame | None = None,
    *,
    as_of: object = None,
    areas: Any = None,
    target_list: list[Target] | None = None,
) -> pd.DataFrame:
    """亩均投资 and 亩均产值 per firm and per area, where land is known.

    Returns one row per firm with land (``id``, ``area`` first area key, ``land_mu``,
    ``investment_per_mu``, ``output_per_mu``) and one per area (``id`` = "", totals over
    its firms with land), each with ``threshold_*`` / ``below_*`` from the thresholds of
    ``data/targets.yaml`` (none shipped: NaN / None).
    """
    import layers
    import layers.events

    firms = layers.enterprises() if enterprises is None else enterprises
    ev = layers.events.events(enterprise_ids=firms["id"].astype(str)) if events is None else events
    plan_areas = layers.areas() if areas is None else areas
    goals = [t for t in (targets() if target_list is None else target_list) if t.threshold]
    when = as_of_date(pd.Timestamp.now().strftime("%Y-%m-%d") if as_of is None else as_of)
    state = _firm_year(ev, firms["id"].astype(str), when.year, when)
    state["land_mu"] = _latest(ev[ev["start"] <= when], "land_mu")["land_mu"].reindex(state.index)
    state["area"] = [a[0] for a in _areas_of(firms, plan_areas)]
    have = state[state["land_mu"] > 0].reset_index()
    per_firm = have.assign(
        id=have["enterprise_id"],
        investment_per_mu=have["investment_cny"] / have["land_mu"],
        output_per_mu=have["output_cny"] / have["land_mu"],
    )
    sums = have.groupby("area")[["land_mu", "investment_cny", "output_cny"]].sum(min_count=1)
    per_area = sums.assign(
        id="",
        investment_per_mu=sums["investment_cny"] / sums["land_mu"],
        output_per_mu=sums["output_cny"] / sums["land_mu"],
    ).reset_index()
    cols = ["id", "area", "land_mu", "investment_per_mu", "output_per_mu"]
    out = pd.concat([per_firm[cols], per_area[cols]], ignore_index=True)
    for metric in _INTENSITY:
        goal = next((t for t in goals if t.metric == metric), None)
        out[f"threshold_{metric}"] = math.nan if goal is None else goal.value
        out[f"threshold_source_{metric}"] = "" if goal is None else goal.source
    return out
