"""The Chinese of a segment's basis, derived from its English text.

Plumbing of :mod:`layers.segments`. A basis is stored as its English text
(``segment_basis``, in every file written). Its Chinese is derived from it: each piece is
matched against the English template of its key in the vocabulary (``segments.basis.*``)
and filled into the Chinese one, so the two can never drift apart, and a basis read back
from a file written earlier is worded as well.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Final

from layers.i18n import t

__all__ = ["basis_zh"]

_BASIS_KEYS: Final = (
    "segments.basis.outside",
    "segments.basis.code_2011",
    "segments.basis.code",
    "segments.basis.by_name_2011",
    "segments.basis.by_name",
    "segments.basis.key",
    "segments.basis.name",
    "segments.basis.synonym",
    "segments.basis.scope",
    "segments.basis.name_quote",
    "segments.basis.chosen",
)
_FORMATTER: Final = string.Formatter()


@lru_cache(maxsize=1)
def _basis_patterns() -> tuple[tuple[tuple[str, re.Pattern[str]], ...], re.Pattern[str]]:
    """Each basis key with a pattern for its English text; the pattern joining pieces."""
    patterns = []
    heads = []
    for key in _BASIS_KEYS:
        out = ""
        parts = list(_FORMATTER.parse(t(key, "en")))
        for literal, name, _, _ in parts:
            out += re.escape(literal)
            if name is not None:
                out += f"(?P<{name}>.+?)"
        patterns.append((key, re.compile(f"^{out}$", re.DOTALL)))
        if parts and parts[0][0]:
            heads.append(re.escape(parts[0][0]))
    # Pieces are joined with " + "; a quote may hold " + " itself, so only a " + " before
    # the head of a piece splits.
    joint = re.compile(rf" \+ (?=(?:{'|'.join(heads)}))")
    return tuple(patterns), joint


def _piece_zh(piece: str) -> str:
    patterns, _ = _basis_patterns()
    for key, pattern in patterns:
        m = pattern.match(piece)
        if m is not None:
            values = m.groupdict()
            if "basis" in values:
                values["basis"] = _piece_zh(values["basis"])
            return t(key, "zh", **values)
    return piece  # not worded by this module (e.g. typed by hand): shown as it is


@lru_cache(maxsize=4096)
def basis_zh(basis: str) -> str:
    """Return a ``segment_basis`` text in Chinese (each distinct basis worded once).

    Examples
    --------
    >>> basis_zh("industry code C3985 电子专用材料制造 (GB/T 4754-2017) + 经营范围: 正极材料")
    '行业代码 C3985 电子专用材料制造（GB/T 4754-2017） + 经营范围：正极材料'
    """
    _, joint = _basis_patterns()
    return " + ".join(_piece_zh(p) for p in joint.split(basis)) if basis else ""
