"""The industry-chain taxonomy: segments, their stage, and who supplies whom.

The taxonomy lives in ``data/chain.yaml``. :func:`chain` reads it with ``yaml.safe_load``,
validates it (fields, stages, duplicate keys, unknown ``supplies`` keys, supply cycles that
pass through no declared feedback edge) and reports every problem at once in one
:class:`layers.rules.RuleError`.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import pandas as pd

from geo import InputError
from geo.messages import Text
from layers._texts import both, words
from layers._yaml import (
    ProblemList,
    RuleError,
    YamlDoc,
    YamlPath,
    key_list,
    read_yaml,
    require_mapping_keys,
    sort_by_line,
    text_field,
    type_text,
    unknown_text,
)
from layers.i18n import text
from layers.settings import data_path

__all__ = ["STAGES", "chain", "downstream", "upstream"]

_FILE: Final = "chain.yaml"
"""The shipped taxonomy file, in :func:`layers.settings.data_path`."""

STAGES: Final[tuple[str, ...]] = (
    "materials",
    "cells",
    "control",
    "integration",
    "equipment",
    "downstream",
)
"""The stages of the chain, upstream first."""

_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_REQUIRED: Final = ("version", "segments")
_TOP_OPTIONAL: Final = ("as_of", "feedback_edges")
_SEG_REQUIRED: Final = ("key", "name_zh", "name_en", "stage", "supplies")
_SEG_OPTIONAL: Final = ("description_zh", "description_en")
_EDGE_REQUIRED: Final = ("from", "to", "why")
COLUMNS: Final = ("name_zh", "name_en", "stage", "supplies", "description_zh", "description_en")


def chain(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load and validate the industry-chain taxonomy.

    Parameters
    ----------
    path : str or path-like, optional
        A taxonomy file; default the shipped ``data/chain.yaml``.

    Returns
    -------
    pandas.DataFrame
        One row per segment, in file order, indexed by the segment key (index name
        ``segment``), with columns ``name_zh``, ``name_en``, ``stage`` (one of
        :data:`STAGES`), ``supplies`` (tuple of the segment keys this segment supplies),
        ``description_zh`` and ``description_en`` (empty text when not given). A fresh copy
        each call: changing it changes nothing else.

    Raises
    ------
    RuleError
        Listing every problem: malformed YAML (line and column), missing or unknown fields,
        a bad stage, duplicate keys, unknown or self ``supplies`` keys (with the nearest
        valid key), and supply cycles that pass through no edge declared under
        ``feedback_edges`` (closed loops such as recycling -> lithium_salt are declared).

    Examples
    --------
    >>> table = chain()
    >>> table.loc["copper_foil", "supplies"]
    ('li_ion_cell',)
    >>> table.loc["pcs", "stage"]
    'control'
    """
    p = Path(data_path(_FILE) if path is None else path)
    return _load(str(p.resolve()), p.stat().st_mtime_ns).copy(deep=True)


def upstream(segment: str) -> tuple[str, ...]:
    """Return the segments that supply ``segment``, in taxonomy order.

    Raises
    ------
    ValueError
        If ``segment`` is not a segment key; the message names the nearest key.

    Examples
    --------
    >>> upstream("pcs")
    ('power_semiconductor',)
    """
    graph = _shipped_graph(segment)
    return tuple(k for k, supplies in graph.items() if segment in supplies)


def downstream(segment: str) -> tuple[str, ...]:
    """Return the segments that ``segment`` supplies (its customers).

    Raises
    ------
    ValueError
        If ``segment`` is not a segment key; the message names the nearest key.

    Examples
    --------
    >>> downstream("copper_foil")
    ('li_ion_cell',)
    """
    return _shipped_graph(segment)[segment]


def _shipped_graph(segment: str) -> dict[str, tuple[str, ...]]:
    p = data_path(_FILE)
    table = _load(str(p), p.stat().st_mtime_ns)
    graph: dict[str, tuple[str, ...]] = {
        str(k): tuple(v) for k, v in zip(table.index, table["supplies"], strict=True)
    }
    if segment not in graph:
        raise InputError(unknown_text("segment", segment, graph))
    return graph


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> pd.DataFrame:
    # Cached on the file's modification time, so an edited file is read again. Callers get
    # copies (chain) or read only (upstream/downstream), never the cached frame itself.
    del mtime_ns
    problems: ProblemList = []
    doc = read_yaml(path, problems)
    top = doc.data
    if not isinstance(top, dict):
        problems.append(both("check.chain.top_mapping", type=type_text(top)))
        raise RuleError(problems, doc.name)
    require_mapping_keys(
        doc,
        (),
        top,
        required=_TOP_REQUIRED,
        optional=_TOP_OPTIONAL,
        what=words("check.chain.file"),
        problems=problems,
    )
    raw_segments = top.get("segments")
    if raw_segments is not None and not isinstance(raw_segments, list):
        problems.append(
            doc.problem(
                ("segments",), both("check.chain.segments_list", type=type_text(raw_segments))
            )
        )
        raw_segments = None

    rows: dict[str, dict[str, Any]] = {}
    supplies_at: dict[str, YamlPath] = {}
    for i, raw in enumerate(raw_segments or []):
        row = _segment(doc, i, raw, problems)
        if row is None:
            continue
        key = str(row.pop("key"))
        if key in rows:
            problems.append(
                doc.problem(("segments", i, "key"), text("check.chain.key_twice", key=key))
            )
            continue
        rows[key] = row
        supplies_at[key] = ("segments", i, "supplies")

    keys = list(rows)
    for key, row in rows.items():
        supplies: tuple[str, ...] = row["supplies"]
        for j, target in enumerate(supplies):
            if target == key:
                problems.append(
                    doc.problem(
                        (*supplies_at[key], j), text("check.chain.supplies_itself", key=key)
                    )
                )
            elif target not in rows:
                problems.append(
                    doc.problem((*supplies_at[key], j), unknown_text("segment", target, keys))
                )
        row["supplies"] = tuple(t for t in supplies if t in rows and t != key)

    feedback = _feedback_edges(doc, top.get("feedback_edges"), rows, problems)
    problems.extend(_cycles(rows, feedback))
    if problems:
        raise RuleError(sort_by_line(problems), doc.name)

    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS))
    table.index.name = "segment"
    # Tuples in an object column: pandas would otherwise try to expand sequences.
    table["supplies"] = pd.Series(
        [rows[k]["supplies"] for k in keys], index=table.index, dtype=object
    )
    return table


def _segment(doc: YamlDoc, i: int, raw: object, problems: ProblemList) -> dict[str, Any] | None:
    path: YamlPath = ("segments", i)
    if not isinstance(raw, dict):
        problems.append(doc.problem(path, both("check.chain.segment_mapping", type=type_text(raw))))
        return None
    label = (
        text("check.chain.segment_label", key=raw.get("key"))
        if isinstance(raw.get("key"), str)
        else text("check.chain.segment_index", i=i)
    )
    require_mapping_keys(
        doc,
        path,
        raw,
        required=_SEG_REQUIRED,
        optional=_SEG_OPTIONAL,
        what=label,
        problems=problems,
    )
    out: dict[str, Any] = {}
    for name in ("key", "name_zh", "name_en", "stage"):
        if name in raw:
            out[name] = text_field(doc, (*path, name), raw[name], problems)
    for name in _SEG_OPTIONAL:
        out[name] = text_field(doc, (*path, name), raw.get(name), problems, required=False)
    key = out.get("key")
    if isinstance(key, str) and key and not _KEY_RE.match(key):
        problems.append(doc.problem((*path, "key"), text("check.chain.key_format", key=key)))
    stage = out.get("stage")
    if isinstance(stage, str) and stage and stage not in STAGES:
        problems.append(doc.problem((*path, "stage"), unknown_text("stage", stage, STAGES)))
    # Order matters for display; duplicates within one list are harmless and dropped.
    out["supplies"] = tuple(
        dict.fromkeys(key_list(doc, (*path, "supplies"), raw.get("supplies"), problems))
    )
    # A segment with other problems keeps its key, so references to it still resolve and
    # only the real mistakes are reported.
    return out if out.get("key") else None


def _feedback_edges(
    doc: YamlDoc, value: object, rows: dict[str, dict[str, Any]], problems: ProblemList
) -> set[tuple[str, str]]:
    if value is None:
        return set()
    if not isinstance(value, list):
        problems.append(
            doc.problem(
                ("feedback_edges",), both("check.chain.feedback_list", type=type_text(value))
            )
        )
        return set()
    edges: set[tuple[str, str]] = set()
    for i, raw in enumerate(value):
        path: YamlPath = ("feedback_edges", i)
        if not isinstance(raw, dict):
            problems.append(doc.problem(path, text("check.chain.feedback_mapping")))
            continue
        n_before = len(problems)
        require_mapping_keys(
            doc,
            path,
            raw,
            required=_EDGE_REQUIRED,
            optional=(),
            what=words("check.chain.feedback_label"),
            problems=problems,
        )
        ends = []
        for end in ("from", "to"):
            if end not in raw:
                continue
            name = text_field(doc, (*path, end), raw[end], problems)
            if name and name not in rows:
                problems.append(doc.problem((*path, end), unknown_text("segment", name, rows)))
            ends.append(name)
        if "why" in raw:
            text_field(doc, (*path, "why"), raw["why"], problems)
        if len(problems) > n_before:
            continue
        a, b = ends
        supplies: tuple[str, ...] = rows[a]["supplies"]
        if b not in supplies:
            problems.append(doc.problem(path, text("check.chain.feedback_not_supply", a=a, b=b)))
            continue
        edges.add((a, b))
    return edges


def _cycles(rows: dict[str, dict[str, Any]], feedback: set[tuple[str, str]]) -> list[Text]:
    """Describe each supply cycle that uses no declared feedback edge (iterative DFS)."""
    graph = {k: [t for t in row["supplies"] if (k, t) not in feedback] for k, row in rows.items()}
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    found: list[Text] = []
    for start in graph:
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = [start]
        colour[start] = grey
        while stack:
            node, nxt = stack[-1]
            if nxt < len(graph[node]):
                stack[-1] = (node, nxt + 1)
                child = graph[node][nxt]
                if colour[child] == grey:
                    loop = [*trail[trail.index(child) :], child]
                    found.append(text("check.chain.cycle", loop=" -> ".join(loop)))
                elif colour[child] == white:
                    colour[child] = grey
                    stack.append((child, 0))
                    trail.append(child)
            else:
                colour[node] = black
                stack.pop()
                trail.pop()
    return found
