"""Plumbing shared by :mod:`layers.rules` and :mod:`layers.chain`: YAML with line numbers.

Both data files are YAML that planners edit by hand, so every problem is reported with the
line it is on, unknown keys come with the nearest valid key, and all problems of a file are
collected into one :class:`RuleError` (public as ``layers.RuleError`` and
``layers.rules.RuleError``; defined here because :func:`read_yaml` raises it too).

Every problem is a :class:`geo.messages.Text` (English and Chinese, keyed ``check.*`` in
:mod:`layers.i18n`), placed with :func:`placed`; a plain ``str`` is still accepted from
callers not yet worded in both languages, and then serves both.
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

from geo import InputError
from geo.messages import Text
from layers._texts import both, words
from layers.i18n import text

__all__ = [
    "Problem",
    "ProblemList",
    "RuleError",
    "YamlDoc",
    "YamlPath",
    "format_path",
    "key_list",
    "nearest",
    "placed",
    "read_yaml",
    "require_mapping_keys",
    "sort_by_line",
    "text_field",
    "type_name",
    "type_text",
    "unknown_message",
    "unknown_text",
]

_LINE_RE: Final = re.compile(r"^line (\d+)")

YamlPath = tuple[str | int, ...]
"""Where a value sits in a YAML file: ``("areas", 1, "segments")``."""

Problem = str | Text
"""One problem: both texts, or (from callers not yet worded in both) one for both."""

ProblemList = list[Any]
"""The problems a check appends to: :data:`Problem` items. Typed loosely so that callers
still collecting plain ``list[str]`` can pass theirs to the shared helpers below."""


def _both(problem: Problem) -> Text:
    return problem if isinstance(problem, Text) else Text(en=problem, zh=problem)


class RuleError(InputError):
    """A rules or chain file has problems; ``problems`` lists every one of them.

    An :class:`geo.InputError` (so a ``ValueError``) carrying the message in English and
    Chinese: ``str(error)`` is the English, ``error.text`` both (the app and the command
    line show the user's language).

    Parameters
    ----------
    problems : sequence of str or Text, or one str or Text
        One message per problem, each naming the place (line, field), the value and the fix.
    source : str
        The file's display name, used as the head of the message.

    Attributes
    ----------
    problems : list of str
        The problems in English, in file order. ``str(error)`` numbers them under the file
        name.
    problems_zh : list of str
        The same problems in Chinese.
    source : str
        The file's display name.
    """

    def __init__(self, problems: Sequence[Problem] | Problem, source: str = "rules") -> None:
        items = [problems] if isinstance(problems, str | Text) else list(problems)
        self.texts: list[Text] = [_both(p) for p in items]
        self.problems: list[str] = [p.en for p in self.texts]
        self.problems_zh: list[str] = [p.zh for p in self.texts]
        self.source = source
        n = len(self.texts)
        head = text("check.yaml.head_one" if n == 1 else "check.yaml.head_many", source=source, n=n)
        super().__init__(
            Text(
                en="\n".join([head.en, *(f"  {i}. {p}" for i, p in enumerate(self.problems, 1))]),
                zh="\n".join(
                    [head.zh, *(f"  {i}. {p}" for i, p in enumerate(self.problems_zh, 1))]
                ),
            )
        )

    def __reduce__(self) -> tuple[type[RuleError], tuple[list[Text], str]]:
        # Exceptions pickle their args; rebuild from the problems so the message survives
        # multiprocessing and caches.
        return (type(self), (self.texts, self.source))


def nearest(value: object, valid: Iterable[str]) -> str | None:
    """Return the valid key closest to ``value`` (difflib ratio >= 0.5), or None."""
    options = list(valid)
    typed = str(value)
    lowered = {v.lower(): v for v in options}
    match = difflib.get_close_matches(typed.lower(), list(lowered), n=1, cutoff=0.5)
    return lowered[match[0]] if match else None


def unknown_message(kind: str, value: object, valid: Iterable[str], plural: str = "") -> str:
    """Say that ``value`` is no valid ``kind``, suggest the nearest key and list them all.

    English only, for callers that word their own messages; :func:`unknown_text` says it
    in both languages.
    """
    options = sorted(set(valid))
    best = nearest(value, options)
    hint = f"did you mean {best!r}?" if best is not None else "no close match"
    listed = ", ".join(options) if options else "(none)"
    return f"unknown {kind} {value!r} ({hint}); valid {plural or kind + 's'}: {listed}"


def unknown_text(kind: str, value: object, valid: Iterable[str]) -> Text:
    """:func:`unknown_message` in both languages; ``kind`` is a ``check.kind.*`` word.

    Examples
    --------
    >>> unknown_text("segment", "cathod", ["cathode", "anode"]).zh
    "产业环节 'cathod' 不存在（是否应为 'cathode'？）；可用的环节代码：anode, cathode"
    """
    options = sorted(set(valid))
    best = nearest(value, options)
    return both(
        "check.unknown",
        kind=words(f"check.kind.{kind}"),
        value=value,
        hint=text("check.unknown.hint", best=best)
        if best is not None
        else words("check.unknown.no_match"),
        plural=words(f"check.kind.{kind}s"),
        listed=", ".join(options) if options else words("check.unknown.none"),
    )


def placed(where: Text | str, message: Text | str) -> Text:
    """Return ``"<where>: <message>"`` in both languages (a str serves both)."""
    return both("check.yaml.placed", at=_both(where), message=_both(message))


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file and the line of every mapping value and sequence item."""

    name: str
    data: Any
    lines: dict[YamlPath, int]

    def at(self, path: YamlPath) -> str:
        """Return ``"line N, a.b[2]"`` for a path, using the nearest known line."""
        return self.where(path).en

    def where(self, path: YamlPath) -> Text:
        """Return :meth:`at` in both languages (``"第 N 行，a.b[2]"``)."""
        line = None
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                break
        where = format_path(path)
        if line is None:
            return Text(where, where) if where else words("check.yaml.top")
        if where:
            return text("check.yaml.at_line", line=line, where=where)
        return text("check.yaml.line", line=line)

    def problem(self, path: YamlPath, message: Text | str) -> Text:
        """Return ``message`` placed at ``path`` (``"line N, a.b[2]: ..."``), both languages."""
        return placed(self.where(path), message)


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
    problems: ProblemList,
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
                    placed(
                        text("check.yaml.at_line", line=line, where=format_path((*path, key))),
                        text("check.yaml.duplicate_key", key=key, first=seen[key]),
                    )
                )
            seen[key] = line
            _node_lines(value_node, (*path, key), lines, problems, active)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*path, i), lines, problems, active)


def read_yaml(path: str | os.PathLike[str], problems: ProblemList) -> YamlDoc:
    """Read a YAML file safely, with the line of every value.

    Syntax errors raise :class:`RuleError` at once (nothing else can be checked), with
    the line and column yaml reports. Duplicate keys are appended to ``problems``.
    """
    p = Path(path)
    name = p.name
    try:
        content = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError([text("check.yaml.not_utf8", byte=exc.start)], name) from exc
    try:
        # compose only parses (no object construction); safe_load then builds plain data.
        root = yaml.compose(content, Loader=yaml.SafeLoader)
        data = yaml.safe_load(content)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        where = (
            text("check.yaml.line_column", line=mark.line + 1, column=mark.column + 1)
            if mark
            else Text("", "")
        )
        raise RuleError([both("check.yaml.syntax_at", where=where, what=what)], name) from exc
    except yaml.YAMLError as exc:
        raise RuleError([text("check.yaml.syntax", error=exc)], name) from exc
    lines: dict[YamlPath, int] = {}
    if root is not None:
        _node_lines(root, (), lines, problems)
    return YamlDoc(name=name, data=data, lines=lines)


def sort_by_line(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by the line they start with (stable; those without a line first)."""

    def line(p: Problem) -> int:
        m = _LINE_RE.match(p.en if isinstance(p, Text) else p)
        return int(m.group(1)) if m else 0

    return sorted(problems, key=line)


_TYPE_WORDS: Final = {
    dict: "mapping",
    list: "list",
    str: "text",
    bool: "bool",
    int: "number",
    float: "number",
}


def type_text(value: object) -> Text:
    """Describe a parsed YAML value's type in the file's terms, in both languages."""
    if value is None:
        return words("check.type.nothing")
    word = _TYPE_WORDS.get(type(value))
    if word is None:
        return Text(type(value).__name__, type(value).__name__)
    return words(f"check.type.{word}")


def type_name(value: object) -> str:
    """Describe a parsed YAML value's type in the file's terms (English)."""
    return type_text(value).en


def require_mapping_keys(
    doc: YamlDoc,
    path: YamlPath,
    mapping: dict[Any, Any],
    *,
    required: Sequence[str],
    optional: Sequence[str],
    what: str | Text,
    problems: ProblemList,
) -> None:
    """Report missing required keys and unknown keys (with the nearest known key)."""
    allowed = [*required, *optional]
    problems.extend(
        doc.problem(path, both("check.yaml.missing_field", what=_both(what), key=key))
        for key in required
        if key not in mapping
    )
    problems.extend(
        doc.problem((*path, str(key)), unknown_text("field", key, allowed))
        for key in mapping
        if key not in allowed
    )


def text_field(
    doc: YamlDoc, path: YamlPath, value: object, problems: ProblemList, *, required: bool = True
) -> str:
    """Return ``value`` as text; report it if it is not non-empty text."""
    if value is None and not required:
        return ""
    if isinstance(value, str) and (value.strip() or not required):
        return value.strip()
    problems.append(
        doc.problem(path, both("check.yaml.not_text", type=type_text(value), value=value))
    )
    return ""


def key_list(
    doc: YamlDoc,
    path: YamlPath,
    value: object,
    problems: ProblemList,
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
        message = both("check.yaml.not_list", type=type_text(value), value=value)
        if isinstance(value, str | int):
            fix = text("check.yaml.write_as_list", value=value)
            message = Text(en=message.en + fix.en, zh=message.zh + fix.zh)
        problems.append(doc.problem(path, message))
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif adcodes and isinstance(item, int) and not isinstance(item, bool):
            out.append(str(item))
        else:
            problems.append(
                doc.problem(
                    (*path, i), both("check.yaml.item_not_key", type=type_text(item), item=item)
                )
            )
    return tuple(out)
