"""Dated facts per enterprise (events) and the stage episodes they make.

An enterprise table says where a firm is and what it is; its events say what happened when:
signed on 2021-08-12, construction from 2022-09, in production since 2023-05-27. The
shipped ``data/events.csv`` holds only the dated facts the sources give (each with its
source key); an unknown date stays unknown, and no event is made up for it.

Schema of :func:`read_events` ``.data`` (one row per event, the file's order):

==================  =========  =========================================================
column              dtype      meaning
==================  =========  =========================================================
``enterprise_id``   str        the ``id`` of an enterprise
``date``            str        ISO 8601 to the date's precision: ``2023-09-20``, ``2023-09``
``date_precision``  str        ``day``, ``month`` or ``year``
``start``, ``end``  datetime   first and last day the date stands for
``stage``           str        one of :data:`STAGES`: the stage reached (or observed) then
``investment_cny``  float      committed investment, yuan (NaN unknown)
``paid_in_cny``     float      paid-in (到位) investment so far, yuan
``capacity``        float      capacity in ``capacity_unit``
``capacity_unit``   str        e.g. ``GWh``, ``t/yr``
``output_cny``      float      output (产值) of the year of ``date``, yuan
``land_mu``         float      land, 亩 (1 亩 = 666.67 m²)
``source``          str        source keys, ``;``-separated
``note``            str        what the figure covers, what is uncertain
==================  =========  =========================================================

Files are read with the enterprise columns' machinery (:mod:`layers.columns`: Chinese and
English headers, units in headers and cells such as 投资额（亿元）, 用地（公顷）), so 企业编号,
日期, 阶段, 到位资金（万元）, 产值, 用地（亩） are recognised. A table without coordinates
cannot go through :func:`geo.io.read` (which reads located records), so CSV and XLSX are
loaded with pandas here, every cell as text.

Examples
--------
>>> result = read_events()
>>> sorted(set(result.data["stage"]))
['construction', 'production', 'signed']
>>> len(result.problems)
0
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from geo import InputError
from geo.crs import WGS84
from geo.io import REJECTED, REPAIRED
from geo.messages import Text, Texts
from layers import settings
from layers._enterprise_checks import (
    KEPT_AS_GIVEN,
    Problems,
    as_text,
    empty_problems,
    row_texts,
)
from layers._event_checks import STAGE_WORDS, STAGES, Period, parse_date, stage_key
from layers._yaml import nearest
from layers.columns import ColumnMapping, apply, detect
from layers.i18n import STRINGS, text

__all__ = [
    "EVENTS_LAYER",
    "EVENT_COLUMNS",
    "EXIT_STAGES",
    "PRESENT_STAGES",
    "STAGES",
    "STAGE_WORDS",
    "STATUS_OF_STAGE",
    "EventRead",
    "Period",
    "episodes",
    "events",
    "events_layer",
    "parse_date",
    "read_events",
    "save_events",
    "stored_events",
    "validate_events",
]

_FILE: Final = "events.csv"
EVENTS_LAYER: Final = "events"
"""Name of the store layer holding a project's events (one version per save)."""

EXIT_STAGES: Final[tuple[str, ...]] = ("halted", "exited")
"""Stages after which a project may start again from an earlier stage without a problem."""

PRESENT_STAGES: Final[tuple[str, ...]] = (
    "signed",
    "pre_construction",
    "construction",
    "production",
    "halted",
)
"""Stages in which a project is one of the plan's firms (on the map, in the check): from
signing until it exits. Promotion and negotiation are prospects, not yet firms."""

STATUS_OF_STAGE: Final[dict[str, str]] = {
    "promotion": "planned",
    "negotiation": "planned",
    "signed": "planned",
    "pre_construction": "planned",
    "construction": "construction",
    "production": "operating",
    "halted": "unknown",
    "exited": "unknown",
}
"""The enterprise ``status`` (:data:`layers.STATUSES`) a stage reads as."""

EVENT_COLUMNS: Final[tuple[str, ...]] = (
    "enterprise_id",
    "date",
    "date_precision",
    "start",
    "end",
    "stage",
    "investment_cny",
    "paid_in_cny",
    "capacity",
    "capacity_unit",
    "output_cny",
    "land_mu",
    "source",
    "note",
)
_REQUIRED: Final = ("enterprise_id", "date", "stage")
_TEXT: Final = ("enterprise_id", "date", "stage", "capacity_unit", "source", "note")
_NUMBERS: Final = ("investment_cny", "paid_in_cny", "capacity", "output_cny", "land_mu")
_ORDER: Final = {s: i for i, s in enumerate(STAGES)}


@dataclass(frozen=True)
class EventRead:
    """What :func:`read_events` returns.

    Attributes
    ----------
    data : pandas.DataFrame
        The usable events (schema in the module docstring), index 0..n-1.
    problems : pandas.DataFrame
        ``row, column, value, problem, problem_zh, action`` as every problems table.
    source : str
        The file's display name.
    mapping : layers.columns.ColumnMapping
        Which header was read as which field.
    """

    data: pd.DataFrame
    problems: pd.DataFrame
    source: str
    mapping: ColumnMapping


def _load(source: Any, name: str | None) -> tuple[pd.DataFrame, str]:
    """Load a CSV/XLSX (path, bytes or file-like) with every cell as text."""
    if source is None:
        source = settings.data_path(_FILE)
    if isinstance(source, pd.DataFrame):
        return source.copy(), name or "events"
    display = name or (
        Path(os.fspath(source)).name if isinstance(source, str | os.PathLike) else "events"
    )
    raw = Path(os.fspath(source)).read_bytes() if isinstance(source, str | os.PathLike) else source
    data = raw if isinstance(raw, bytes) else raw.read()
    try:
        if Path(display).suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str)
        else:
            try:
                decoded = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                decoded = data.decode("gb18030")  # Excel's "CSV" in a Chinese locale
            frame = pd.read_csv(io.StringIO(decoded), dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(text("time.events.unreadable", file=display, reason=exc)) from exc
    return frame, display


def read_events(
    source: Any = None,
    *,
    enterprise_ids: Iterable[str] | None = None,
    name: str | None = None,
    columns: ColumnMapping | None = None,
) -> EventRead:
    """Read and validate an events file (the shipped ``data/events.csv`` by default).

    Parameters
    ----------
    source : path, bytes, file-like or pandas.DataFrame, optional
        A CSV or XLSX (headers in Chinese or English), or a table already loaded.
    enterprise_ids : iterable of str, optional
        The ids events may name; by default those of :func:`layers.enterprises`. An event
        for another id is left out with a problem.
    name : str, optional
        The file's display name (an upload's name: its extension gives the format).
    columns : layers.columns.ColumnMapping, optional
        Which header is which field; default detected (:func:`layers.columns.detect`).

    Returns
    -------
    EventRead

    Raises
    ------
    geo.InputError
        If the file cannot be read or lacks the enterprise id, date or stage column.
    """
    raw, display = _load(source, name)
    raw.columns = [str(c) for c in raw.columns]
    labels = np.arange(len(raw), dtype=np.int64) + 2
    mapping = detect(raw.columns) if columns is None else columns
    mapped, column_problems = apply(raw, mapping, source_name=display, rows=labels)
    # In an events table the id is the enterprise's, and a plain 日期/date is the event's.
    renames = {"id": "enterprise_id"} if "enterprise_id" not in mapped.columns else {}
    if "event_date" in mapped.columns:
        renames["event_date"] = "date"
    elif "as_of" in mapped.columns and "date" not in mapped.columns:
        renames["as_of"] = "date"
    mapped = mapped.rename(columns=renames)
    if enterprise_ids is None:
        from layers.enterprises import enterprises as _enterprises

        enterprise_ids = _enterprises()["id"].astype(str).tolist()
    data, problems = validate_events(
        mapped, source_name=display, enterprise_ids=enterprise_ids, rows=labels
    )
    found = [p for p in (column_problems, problems) if len(p)]
    merged = (
        pd.concat(found, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
        if found
        else empty_problems()
    )
    return EventRead(data=data, problems=merged, source=display, mapping=mapping)


def events(source: Any = None, *, enterprise_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the validated events (the shipped ones by default); see :func:`read_events`.

    Examples
    --------
    >>> events().loc[lambda e: e.enterprise_id == "NC-002", ["date", "stage"]].values.tolist()
    [['2023-05-27', 'production']]
    """
    return read_events(source, enterprise_ids=enterprise_ids).data


def validate_events(
    frame: pd.DataFrame,
    *,
    source_name: str,
    enterprise_ids: Iterable[str] | None = None,
    rows: npt.ArrayLike | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cast an events table to the schema and list every problem, row by row.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns named as the schema (``enterprise_id``, ``date``, ``stage`` required);
        numbers already in yuan, 亩 and the capacity's unit. Not modified.
    source_name : str
        The file's display name, in messages.
    enterprise_ids : iterable of str, optional
        The known enterprise ids (None: not checked).
    rows : array_like of int, optional
        Each record's row number (default: 2, 3, ... as a spreadsheet counts).

    Returns
    -------
    data : pandas.DataFrame
        The usable events, sorted per enterprise by date then stage, index 0..n-1.
    problems : pandas.DataFrame
        What is done:

        - date blank or not a date: "rejected" (the event is left out; an unknown date is
          never guessed);
        - stage not in the vocabulary: "rejected", with the nearest stage;
        - enterprise id unknown: "rejected", with the nearest id;
        - an amount negative or unreadable: "repaired" (blank);
        - a stage going back without a halt or exit in between, or two stages on one date:
          "kept" (the events stay, in date order; the problem asks to check them).

    Raises
    ------
    geo.InputError
        If a required column is missing.

    Examples
    --------
    >>> raw = pd.DataFrame({"enterprise_id": ["A", "A", "B"], "date": ["2023年5月", "2022.3", "x"],
    ...                     "stage": ["在建", "签约", "投产"]})
    >>> data, problems = validate_events(raw, source_name="e.csv")
    >>> data[["enterprise_id", "date", "stage"]].values.tolist()
    [['A', '2022-03', 'signed'], ['A', '2023-05', 'construction']]
    >>> problems[["row", "column", "action"]].values.tolist()
    [[4, 'date', 'rejected']]
    """
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            text(
                "time.events.missing_columns",
                file=source_name,
                missing=", ".join(missing),
                required=", ".join(_REQUIRED),
            )
        )
    n = len(frame)
    labels = np.arange(n, dtype=np.int64) + 2 if rows is None else np.asarray(rows, dtype=np.int64)
    out = frame.reset_index(drop=True).copy()
    found = Problems(labels, source_name)
    for col in _TEXT:
        out[col] = as_text(out[col]) if col in out.columns else pd.Series("", index=out.index)
    for col in _NUMBERS:
        _check_number(out, col, found)
    keep = np.ones(n, dtype=bool)
    keep &= _check_dates(out, found)
    keep &= _check_stages(out, found)
    if enterprise_ids is not None:
        keep &= _check_ids(out, found, {str(i) for i in enterprise_ids})
    kept = out.loc[keep].copy()
    kept["_row"] = labels[keep]
    kept["_order"] = kept["stage"].map(_ORDER)
    kept = kept.sort_values(["enterprise_id", "start", "_order"], kind="stable")
    _check_sequences(kept, found)
    data = kept.loc[:, list(EVENT_COLUMNS)].reset_index(drop=True)
    for col in _NUMBERS:
        data[col] = data[col].astype("float64")
    # The same dtypes with no rows as with some (an empty table's columns come out float).
    for col in (*_TEXT, "date_precision"):
        data[col] = data[col].astype("str")
    for col in ("start", "end"):
        data[col] = data[col].astype("datetime64[ns]")
    return data, found.frame()


def _check_number(out: pd.DataFrame, col: str, found: Problems) -> None:
    """Numbers as float64; text that is no number, or a negative, is blanked and reported."""
    given = out[col] if col in out.columns else pd.Series(np.nan, index=out.index)
    shown = as_text(given)
    numbers = pd.to_numeric(shown.str.replace(",", "", regex=False), errors="coerce")
    bad = (shown != "") & (numbers.isna() | (numbers < 0))
    said = text("time.events.negative", column=col)
    found.add(bad.to_numpy(), col, given, said, REPAIRED)
    out[col] = numbers.where(~bad).astype("float64")


def _check_dates(out: pd.DataFrame, found: Problems) -> npt.NDArray[np.bool_]:
    periods = [parse_date(v) if v else None for v in out["date"]]
    blank = (out["date"] == "").to_numpy()
    bad = np.array([p is None for p in periods], dtype=bool) & ~blank
    found.add(blank, "date", out["date"], text("time.events.no_date"), REJECTED)
    found.add(
        bad,
        "date",
        out["date"],
        lambda at: row_texts("time.events.bad_date", len(at), value=out["date"].iloc[at].tolist()),
        REJECTED,
    )
    out["date"] = [p.iso if p else "" for p in periods]
    out["date_precision"] = [p.precision if p else "" for p in periods]
    # A datetime64 Series (NaT for unknown dates) keeps the column's dtype fixed.
    kind = "datetime64[ns]"
    out["start"] = pd.Series([p.start if p else pd.NaT for p in periods], out.index, kind)
    out["end"] = pd.Series([p.end if p else pd.NaT for p in periods], out.index, kind)
    return ~(blank | bad)


def _stage_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key in STAGES:
        for lang in ("zh", "en"):
            word = STRINGS[f"time.stage.{key}"][lang]
            names[word.casefold().replace(" ", "_")] = key
    return names


def _check_stages(out: pd.DataFrame, found: Problems) -> npt.NDArray[np.bool_]:
    names = _stage_names()
    keys = [stage_key(v, names) for v in out["stage"]]
    bad = np.array([k is None for k in keys], dtype=bool)
    valid = "、".join(f"{STRINGS[f'time.stage.{s}']['zh']} ({s})" for s in STAGES)

    def worded(at: npt.NDArray[np.intp]) -> Texts:
        values = out["stage"].iloc[at].tolist()
        hints = [_hint(v, [*STAGES, *names]) for v in values]
        en = row_texts(
            "time.events.bad_stage", len(at), value=values, hint=[h.en for h in hints], valid=valid
        )
        zh = row_texts(
            "time.events.bad_stage", len(at), value=values, hint=[h.zh for h in hints], valid=valid
        )
        return Texts(en=en.en, zh=zh.zh)

    found.add(bad, "stage", out["stage"], worded, REJECTED)
    out["stage"] = [k or "" for k in keys]
    return ~bad


def _hint(value: object, valid: list[str]) -> Text:
    best = nearest(value, valid)
    if best is None:
        return Text("", "")
    return text("time.events.did_you_mean", best=best)


def _check_ids(out: pd.DataFrame, found: Problems, known: set[str]) -> npt.NDArray[np.bool_]:
    unknown = ~out["enterprise_id"].isin(known).to_numpy()

    def worded(at: npt.NDArray[np.intp]) -> Texts:
        values = out["enterprise_id"].iloc[at].tolist()
        hints = [_hint(v, sorted(known)) for v in values]
        en = row_texts(
            "time.events.no_enterprise", len(at), value=values, hint=[h.en for h in hints]
        )
        zh = row_texts(
            "time.events.no_enterprise", len(at), value=values, hint=[h.zh for h in hints]
        )
        return Texts(en=en.en, zh=zh.zh)

    found.add(unknown, "enterprise_id", out["enterprise_id"], worded, REJECTED)
    return ~unknown


def _check_sequences(kept: pd.DataFrame, found: Problems) -> None:
    """Report stages going back without a halt or exit, and two stages on one date."""
    position = {int(r): i for i, r in enumerate(found.labels)}
    for firm, group in kept.groupby("enterprise_id", sort=False):
        before: pd.Series | None = None
        for _, row in group.iterrows():
            if before is not None and row["stage"] != before["stage"]:
                said = {
                    "id": firm,
                    "before": _both_stage(before["stage"]),
                    "after": _both_stage(row["stage"]),
                }
                at = np.array([position[int(row["_row"])]], dtype=np.intp)
                value = pd.Series([f"{row['date']} {row['stage']}"])
                if row["start"] == before["start"] and row["date"] == before["date"]:
                    found.add_at(
                        at,
                        "stage",
                        value,
                        _fill("time.events.overlap", date=row["date"], **said),
                        KEPT_AS_GIVEN,
                    )
                elif row["_order"] < before["_order"] and before["stage"] not in EXIT_STAGES:
                    found.add_at(
                        at,
                        "stage",
                        value,
                        _fill("time.events.backwards", before_date=before["date"], **said),
                        KEPT_AS_GIVEN,
                    )
            before = row


def _both_stage(stage: str) -> dict[str, str]:
    return {str(lang): word for lang, word in STRINGS[f"time.stage.{stage}"].items()}


def _fill(key: str, **values: Any) -> Text:
    def one(lang: str) -> str:
        plain = {k: (v[lang] if isinstance(v, dict) else v) for k, v in values.items()}
        return STRINGS[key][lang].format(**plain)  # type: ignore[index]

    return Text(en=one("en"), zh=one("zh"))


def episodes(events: pd.DataFrame) -> pd.DataFrame:
    """Return each enterprise's stage episodes: which stage held from when to when.

    An episode starts on its event's first day and lasts until the next event of another
    stage starts (``valid_to`` is that day, exclusive; NaT while it lasts). Events repeating
    the stage (a later source confirming it) extend the episode. Events are taken in date
    order even when stages go back (those are reported by :func:`validate_events`).

    Parameters
    ----------
    events : pandas.DataFrame
        As :func:`read_events` returns them.

    Returns
    -------
    pandas.DataFrame
        Columns ``enterprise_id, stage, valid_from, valid_to, from_date, source``
        (``from_date`` the first event's date as written), per enterprise in time order.

    Examples
    --------
    >>> ev = pd.DataFrame({"enterprise_id": ["A", "A", "A"],
    ...                    "date": ["2021-08-12", "2022", "2023-01"],
    ...                    "stage": ["signed", "construction", "construction"]})
    >>> ep = episodes(validate_events(ev, source_name="e.csv")[0])
    >>> ep[["stage", "from_date"]].values.tolist()
    [['signed', '2021-08-12'], ['construction', '2022']]
    >>> str(ep.valid_to[0].date()), bool(ep.valid_to.isna()[1])
    ('2022-01-01', True)
    """
    order = events["stage"].map(_ORDER)
    ordered = events.assign(_order=order).sort_values(
        ["enterprise_id", "start", "_order"], kind="stable"
    )
    rows: list[dict[str, Any]] = []
    for firm, group in ordered.groupby("enterprise_id", sort=False):
        current: dict[str, Any] | None = None
        for _, ev in group.iterrows():
            if current is not None and current["stage"] == ev["stage"]:
                current["source"] = _merge_sources(current["source"], ev["source"])
                continue
            if current is not None:
                current["valid_to"] = ev["start"]
                rows.append(current)
            current = {
                "enterprise_id": firm,
                "stage": ev["stage"],
                "valid_from": ev["start"],
                "valid_to": pd.NaT,
                "from_date": ev["date"],
                "source": ev["source"],
            }
        if current is not None:
            rows.append(current)
    columns = ["enterprise_id", "stage", "valid_from", "valid_to", "from_date", "source"]
    out = pd.DataFrame(rows, columns=columns)
    out["valid_from"] = pd.to_datetime(out["valid_from"])
    out["valid_to"] = pd.to_datetime(out["valid_to"])
    return out


def _merge_sources(a: str, b: str) -> str:
    keys = [k for k in (*a.split(";"), *b.split(";")) if k.strip()]
    return ";".join(dict.fromkeys(k.strip() for k in keys))


def events_layer(events: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the events as a store layer: the table with an empty geometry per row.

    The store keeps GeoDataFrames; an event has no place of its own (its enterprise has),
    so each row's geometry is None rather than a copy of the firm's point that could
    disagree with it after the firm moves.
    """
    plain = events.loc[:, [c for c in EVENT_COLUMNS if c not in ("start", "end", "date_precision")]]
    return gpd.GeoDataFrame(plain, geometry=[None] * len(plain), crs=WGS84)


def save_events(
    store: str | os.PathLike[str], events: pd.DataFrame, *, author: str, note: str
) -> int:
    """Save validated events as a new version of the store's ``events`` layer.

    Returns
    -------
    int
        The version saved.
    """
    from geo import store as geo_store

    with geo_store.open(os.fspath(store)) as opened:
        return opened.write(EVENTS_LAYER, events_layer(events), author=author, note=note).version


def stored_events(
    store: str | os.PathLike[str],
    *,
    version: int | None = None,
    enterprise_ids: Iterable[str] | None = None,
) -> EventRead:
    """Read the store's events (current or a past ``version``) and validate them again."""
    from geo import store as geo_store

    with geo_store.open(os.fspath(store)) as opened:
        table = opened.read(EVENTS_LAYER, version=version)
    plain = pd.DataFrame(table.drop(columns=table.geometry.name))
    plain = plain.astype({c: object for c in _TEXT if c in plain.columns})
    return read_events(plain, enterprise_ids=enterprise_ids, name=f"{EVENTS_LAYER} (store)")
