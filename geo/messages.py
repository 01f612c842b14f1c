"""Texts a user reads, in English and Chinese at once: problems in a file, refusals.

``geo`` knows no user language: every problem it records and every :class:`geo.InputError`
it raises carries both texts (a :class:`Text`), and the layer that knows the user's language
picks one (the app by its language switch, the command line by ``--lang``). The wording is
keyed in :data:`MESSAGES` (``geo.*`` keys), which :mod:`layers.i18n` merges into the one
vocabulary, so the same checks hold for geo's texts as for every other word a user reads:
both languages, the same placeholders.

:func:`make_text` fills one text; :func:`make_texts` fills one text per problem row at once
(values may be arrays), so a million problem rows never mean a million ``str.format`` calls
in two languages.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Final, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from geo._messages import MESSAGES

__all__ = [
    "MESSAGES",
    "Lang",
    "Text",
    "Texts",
    "in_lang",
    "make_text",
    "make_texts",
    "placeholders",
    "text",
    "texts",
]

Lang = Literal["zh", "en"]
ObjectArray = npt.NDArray[np.object_]

_FORMATTER: Final = string.Formatter()


class Text(NamedTuple):
    """One message in both languages."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (``"zh"`` or ``"en"``; anything else is English)."""
        return self.zh if lang == "zh" else self.en


class Texts(NamedTuple):
    """Many messages (one per problem row) in both languages, as object arrays."""

    en: ObjectArray
    zh: ObjectArray


def placeholders(template: str) -> set[str]:
    """Return the names of the ``{placeholders}`` in ``template``.

    Examples
    --------
    >>> sorted(placeholders("{file} row {row}: {value!r:>3}"))
    ['file', 'row', 'value']
    """
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def make_text(entry: Mapping[Lang, str], values: Mapping[str, object]) -> Text:
    """Fill an ``{"en": ..., "zh": ...}`` entry's placeholders from ``values``.

    Examples
    --------
    A value that is itself a :class:`Text` (a phrase such as "longitude" / "经度") gives
    each language its own wording.

    >>> make_text({"en": "{n} rows", "zh": "{n} 行"}, {"n": 3})
    Text(en='3 rows', zh='3 行')
    >>> make_text({"en": "{what} is empty", "zh": "{what}为空"}, {"what": Text("x", "经度")})
    Text(en='x is empty', zh='经度为空')
    """
    return Text(
        en=entry["en"].format(**_in(values, "en")), zh=entry["zh"].format(**_in(values, "zh"))
    )


def _in(values: Mapping[str, object], lang: Lang) -> dict[str, object]:
    """Return the values for ``lang``: a :class:`Text` value becomes its text in ``lang``."""
    return {k: v.get(lang) if isinstance(v, Text) else v for k, v in values.items()}


def make_texts(entry: Mapping[Lang, str], n: int, values: Mapping[str, object]) -> Texts:
    """Fill an entry for ``n`` rows at once; each value is a scalar or has ``n`` items.

    Examples
    --------
    >>> out = make_texts({"en": "row {row}: {v!r}", "zh": "第 {row} 行：{v!r}"}, 2,
    ...                  {"row": np.array([2, 5]), "v": ["a", "b"]})
    >>> out.en.tolist(), out.zh.tolist()
    (["row 2: 'a'", "row 5: 'b'"], ["第 2 行：'a'", "第 5 行：'b'"])
    """
    return Texts(
        en=_fill(entry["en"], n, {k: _column(v, n) for k, v in _in(values, "en").items()}),
        zh=_fill(entry["zh"], n, {k: _column(v, n) for k, v in _in(values, "zh").items()}),
    )


def _column(value: object, n: int) -> ObjectArray | object:
    if not isinstance(value, np.ndarray | pd.Series | list | tuple):
        return value
    array = np.asarray(value.to_numpy() if isinstance(value, pd.Series) else value, dtype=object)
    if array.shape != (n,):
        msg = f"a per-row value has {array.shape} items for {n} rows"
        raise ValueError(msg)
    return array


def _fill(template: str, n: int, columns: Mapping[str, object]) -> ObjectArray:
    out = np.full(n, "", dtype=object)
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            out = out + literal
        if name is None:
            continue
        value = columns[name]
        if not isinstance(value, np.ndarray):
            # One value for all rows: formatted once.
            out = out + _FORMATTER.format_field(
                _FORMATTER.convert_field(value, conversion), spec or ""
            )
        elif not spec and not conversion:
            out = out + pd.Series(value, dtype=object).astype(str).to_numpy(dtype=object)
        else:
            # Only problem rows come here (a few per file), so a comprehension is fine.
            out = out + np.array(
                [
                    _FORMATTER.format_field(_FORMATTER.convert_field(v, conversion), spec or "")
                    for v in value
                ],
                dtype=object,
            )
    return out


def text(key: str, /, **values: object) -> Text:
    """Return geo's message ``key`` in both languages.

    Examples
    --------
    >>> text("geo.row", file="a.csv", row=3).zh
    'a.csv 第 3 行：'
    """
    return make_text(MESSAGES[key], values)


def texts(key: str, n: int, /, **values: object) -> Texts:
    """Return geo's message ``key`` for ``n`` rows (see :func:`make_texts`)."""
    return make_texts(MESSAGES[key], n, values)


def in_lang(error: BaseException, lang: str) -> str:
    """Return an exception's message in ``lang`` when it carries both texts, else ``str``.

    Examples
    --------
    >>> from geo import InputError
    >>> in_lang(InputError(text("geo.row", file="a.csv", row=2)), "zh")
    'a.csv 第 2 行：'
    >>> in_lang(ValueError("plain"), "zh")
    'plain'
    """
    both = getattr(error, "text", None)
    if isinstance(both, Text):
        return both.get(lang)
    return str(error)
