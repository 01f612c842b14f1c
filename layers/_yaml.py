"""Plumbing shared by :mod:`layers.rules` and :mod:`layers.chain`: YAML with line numbers.

Both data files are YAML that planners edit by hand, so every problem is reported with the
line it is on, unknown keys come with the nearest valid key, and all problems of a file are
collected into one :class:`RuleError` (public as ``layers.RuleError`` and
``layers.rules.RuleError``; defined here because :func:`read_yaml` raises it too).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = [
    "RuleError",
    "YamlDoc",
    "YamlPath",
    "format_path",
    "key_list",
    "nearest",
    "read_yaml",
    "require_mapping_keys",
    "sort_by_line",
    "text_field",
    "type_name",
    "unknown_message",
]

_LINE_RE: Final = re.compile(r"^line (\d+)")

YamlPath = tuple[str | int, ...]
"""Where a value sits in a YAML file: ``("areas", 1, "segments")``."""


class RuleError(ValueError):
    """A rules or chain file has problems; ``problems`` lists every one of them.

    Parameters
    ----------
    problems : sequence of str or str
        One message per problem, each naming the place (line, field), the value and the fix.
    source : str
        The file's display name, used as the head of the message.

    Attributes
    ----------
    problems : list of str
        The problems, in file order. ``str(error)`` numbers them under the file name.
    source : str
        The file's display name.
    """

    def __init__(self, problems: Sequence[str] | str, source: str = "rules") -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        self.source = source
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'s' if n != 1 else ''}:"]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type[RuleError], tuple[list[str], str]]:
        # Exceptions pickle their args; rebuild from the problems so the message survives
        # multiprocessing and caches.
        return (type(self), (self.problems, self.source))


def nearest(value: object, valid: Iterable[str]) -> str | None:
    """Return the valid key closest to ``value`` (difflib ratio >= 0.5), or None."""
    options = list(valid)
    text = str(value)
    lowered = {v.lower(): v for v in options}
    match = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.5)
    return lowered[match[0]] if match else None


def unknown_message(kind: str, value: object, valid: Iterable[str], plural: str = "") -> str:
    """Say that ``value`` is no valid ``kind``, suggest the nearest key and list them all."""
    options = sorted(set(valid))
    best = nearest(value, options)
    hint = f"did you mean {best!r}?" if best is not None else "no close match"
    listed = ", ".join(options) if options else "(none)"
    return f"unknown {kind} {value!r} ({hint}); valid {plural or kind + 's'}: {listed}"


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file and the line of every mapping value and sequence item."""

    name: str
    data: Any
    lines: dict[YamlPath, int]

    def at(self, path: YamlPath) -> str:
        """Return ``"line N, a.b[2]"`` for a path, using the nearest known line."""
        line = None
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                break
        where = format_path(path)
        if line is None:
            return where or "top level"
        return f"line {line}, {where}" if where else f"line {line}"


def format_path(path: YamlPath) -> str:
    """Format ``("areas", 1, "segments")`` as ``"areas[1].segments"``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_lines(
    node: yaml.Node,
    path: YamlPath,
    lines: dict[YamlPath, int],
    problems: list[str],
    active: frozenset[int] = frozenset(),
) -> None:
    if id(node) in active:
        # A recursive alias (&a [*a]); the data check reports the odd value if it matters.
        return
    active = active | {id(node)}
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                # safe_load keeps the last of two equal keys without a word: say so.
                problems.append(
                    f"line {line}, {format_path((*path, key))}: key {key!r} appears twice in "
                    f"the same mapping (first on line {seen[key]}); the second would silently "
                    "replace the first: keep one"
                )
            seen[key] = line
            _node_lines(value_node, (*path, key), lines, problems, active)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*path, i), lines, problems, active)


def read_yaml(path: str | os.PathLike[str], problems: list[str]) -> YamlDoc:
    """Read a YAML file safely, with the line of every value.

    Syntax errors raise :class:`RuleError` at once (nothing else can be checked), with
    the line and column yaml reports. Duplicate keys are appended to ``problems``.
    """
    p = Path(path)
    name = p.name
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start}): save the file as UTF-8"
        raise RuleError([msg], name) from exc
    try:
        # compose only parses (no object construction); safe_load then builds plain data.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        msg = (
            f"{where}YAML syntax error: {what}. Check the indentation and quoting there "
            "(text with ':' or '#' needs quotes)"
        )
        raise RuleError([msg], name) from exc
    except yaml.YAMLError as exc:
        raise RuleError([f"YAML syntax error: {exc}"], name) from exc
    lines: dict[YamlPath, int] = {}
    if root is not None:
        _node_lines(root, (), lines, problems)
    return YamlDoc(name=name, data=data, lines=lines)


def sort_by_line(problems: Iterable[str]) -> list[str]:
    """Order problems by the line they start with (stable; those without a line first)."""
    return sorted(problems, key=lambda p: int(m.group(1)) if (m := _LINE_RE.match(p)) else 0)


def type_name(value: object) -> str:
    """Describe a parsed YAML value's type in the file's terms."""
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def require_mapping_keys(
    doc: YamlDoc,
    path: YamlPath,
    mapping: dict[Any, Any],
    *,
    required: Sequence[str],
    optional: Sequence[str],
    what: str,
    problems: list[str],
) -> None:
    """Report missing required keys and unknown keys (with the nearest known key)."""
    allowed = [*required, *optional]
    problems.extend(
        f"{doc.at(path)}: {what} is missing the required field {key!r}"
        for key in required
        if key not in mapping
    )
    problems.extend(
        f"{doc.at((*path, str(key)))}: {unknown_message('field', key, allowed)}"
        for key in mapping
        if key not in allowed
    )


def text_field(
    doc: YamlDoc, path: YamlPath, value: object, problems: list[str], *, required: bool = True
) -> str:
    """Return ``value`` as text; report it if it is not non-empty text."""
    if value is None and not required:
        return ""
    if isinstance(value, str) and (value.strip() or not required):
        return value.strip()
    problems.append(f"{doc.at(path)}: must be non-empty text, got {type_name(value)} {value!r}")
    return ""


def key_list(
    doc: YamlDoc,
    path: YamlPath,
    value: object,
    problems: list[str],
    *,
    adcodes: bool = False,
) -> tuple[str, ...]:
    """Return a list of keys as a tuple of str; report a non-list or non-text items.

    Adcodes written as bare numbers (``360112``) are accepted as text: YAML reads them as
    integers, and a planner should not have to know that.
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(
            f"{doc.at(path)}: must be a list such as [a, b], got {type_name(value)} {value!r}"
            + (f"; write [{value}]" if isinstance(value, str | int) else "")
        )
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif adcodes and isinstance(item, int) and not isinstance(item, bool):
            out.append(str(item))
        else:
            problems.append(
                f"{doc.at((*path, i))}: each item must be a key (text), got "
                f"{type_name(item)} {item!r}"
            )
    return tuple(out)
