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

from layers._yaml import (
    RuleError,
    YamlDoc,
    YamlPath,
    key_list,
    read_yaml,
    require_mapping_keys,
    sort_by_line,
    text_field,
    type_name,
    unknown_message,
)
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
        raise ValueError(unknown_message("segment", segment, graph))
    return graph


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int) -> pd.DataFrame:
    # Cached on the file's modification time, so an edited file is read again. Callers get
    # copies (chain) or read only (upstream/downstream), never the cached frame itself.
    del mtime_ns
    problems: list[str] = []
    doc = read_yaml(path, problems)
    top = doc.data
    if not isinstance(top, dict):
        problems.append(
            f"the top level must be a mapping with `version` and `segments`; got {type_name(top)}"
        )
        raise RuleError(problems, doc.name)
    require_mapping_keys(
        doc,
        (),
        top,
        required=_TOP_REQUIRED,
        optional=_TOP_OPTIONAL,
        what="the chain file",
        problems=problems,
    )
    raw_segments = top.get("segments")
    if raw_segments is not None and not isinstance(raw_segments, list):
        problems.append(
            f"{doc.at(('segments',))}: must be a list of segments, got {type_name(raw_segments)}"
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
                f"{doc.at(('segments', i, 'key'))}: segment key {key!r} is used twice: "
                "keys must be unique"
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
                    f"{doc.at((*supplies_at[key], j))}: segment {key!r} supplies itself: "
                    "remove it from its own supplies"
                )
            elif target not in rows:
                problems.append(
                    f"{doc.at((*supplies_at[key], j))}: {unknown_message('segment', target, keys)}"
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


def _segment(doc: YamlDoc, i: int, raw: object, problems: list[str]) -> dict[str, Any] | None:
    path: YamlPath = ("segments", i)
    if not isinstance(raw, dict):
        problems.append(f"{doc.at(path)}: each segment must be a mapping, got {type_name(raw)}")
        return None
    label = f"segment {raw.get('key')!r}" if isinstance(raw.get("key"), str) else f"segments[{i}]"
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
        problems.append(
            f"{doc.at((*path, 'key'))}: segment key {key!r} must be lower-case letters, digits "
            "and _ (e.g. 'li_ion_cell')"
        )
    stage = out.get("stage")
    if isinstance(stage, str) and stage and stage not in STAGES:
        problems.append(f"{doc.at((*path, 'stage'))}: {unknown_message('stage', stage, STAGES)}")
    # Order matters for display; duplicates within one list are harmless and dropped.
    out["supplies"] = tuple(
        dict.fromkeys(key_list(doc, (*path, "supplies"), raw.get("supplies"), problems))
    )
    # A segment with other problems keeps its key, so references to it still resolve and
    # only the real mistakes are reported.
    return out if out.get("key") else None


def _feedback_edges(
    doc: YamlDoc, value: object, rows: dict[str, dict[str, Any]], problems: list[str]
) -> set[tuple[str, str]]:
    if value is None:
        return set()
    if not isinstance(value, list):
        problems.append(
            f"{doc.at(('feedback_edges',))}: must be a list of {{from, to, why}}, got "
            f"{type_name(value)}"
        )
        return set()
    edges: set[tuple[str, str]] = set()
    for i, raw in enumerate(value):
        path: YamlPath = ("feedback_edges", i)
        if not isinstance(raw, dict):
            problems.append(f"{doc.at(path)}: must be a mapping {{from, to, why}}")
            continue
        n_before = len(problems)
        require_mapping_keys(
            doc,
            path,
            raw,
            required=_EDGE_REQUIRED,
            optional=(),
            what="a feedback edge",
            problems=problems,
        )
        ends = []
        for end in ("from", "to"):
            if end not in raw:
                continue
            name = text_field(doc, (*path, end), raw[end], problems)
            if name and name not in rows:
                problems.append(f"{doc.at((*path, end))}: {unknown_message('segment', name, rows)}")
            ends.append(name)
        if "why" in raw:
            text_field(doc, (*path, "why"), raw["why"], problems)
        if len(problems) > n_before:
            continue
        a, b = ends
        supplies: tuple[str, ...] = rows[a]["supplies"]
        if b not in supplies:
            problems.append(
                f"{doc.at(path)}: feedback edge {a} -> {b} is not a supply edge: add {b!r} to "
                f"the supplies of {a!r} or remove the feedback edge"
            )
            continue
        edges.add((a, b))
    return edges


def _cycles(rows: dict[str, dict[str, Any]], feedback: set[tuple[str, str]]) -> list[str]:
    """Describe each supply cycle that uses no declared feedback edge (iterative DFS)."""
    graph = {k: [t for t in row["supplies"] if (k, t) not in feedback] for k, row in rows.items()}
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    found: list[str] = []
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
                    found.append(
                        "supply cycle "
                        + " -> ".join(loop)
                        + ": a segment cannot end up supplying itself unless the loop is real "
                        "(e.g. recycling); remove an edge, or declare the real one under "
                        "feedback_edges with `why`"
                    )
                elif colour[child] == white:
                    colour[child] = grey
                    stack.append((child, 0))
                    trail.append(child)
            else:
                colour[node] = black
                stack.pop()
                trail.pop()
    return found
