"""The one zh/en vocabulary: every word a user reads, keyed, in Chinese and English.

Two catalogues make one: the domain's terms and reason templates (verdicts, statuses,
segment families, criteria, units, the analysis' reasons; :mod:`layers.i18n._domain`) and
the user interface's labels and messages (:mod:`layers.i18n._ui`). A key lives in exactly
one of them (importing this module fails otherwise), and every text is looked up here by
key, so a term reads the same in the command line, the app, written files and reasons.

Strings are looked up by key with :func:`t`; ``{name}`` placeholders are filled with
``str.format``. A missing key or language is a programming error and raises ``KeyError``
(a test checks that every key has both languages and the same placeholders). Texts that
come from data (segment, zone, area and enterprise names) are not here: they come from the
data files' ``name_zh`` / ``name_en`` columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal

import pandas as pd

from geo.messages import MESSAGES, Text, in_lang, make_text
from layers.i18n._access import ACCESS
from layers.i18n._check_progress import CHECK_PROGRESS
from layers.i18n._checks import CHECKS
from layers.i18n._columns import COLUMNS
from layers.i18n._domain import DOMAIN
from layers.i18n._exports import EXPORTS
from layers.i18n._print import PRINT
from layers.i18n._progress import PROGRESS
from layers.i18n._site import SITE
from layers.i18n._time import TIME
from layers.i18n._time_ui import TIME_UI
from layers.i18n._ui import UI
from layers.i18n._zones import ZONES

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "STRINGS",
    "Lang",
    "Text",
    "distance",
    "error_text",
    "join",
    "lang_or_default",
    "local_names",
    "t",
    "term",
    "text",
]

Lang = Literal["zh", "en"]
LANGS: Final[tuple[Lang, ...]] = ("zh", "en")
DEFAULT_LANG: Final[Lang] = "zh"


def _merge(*catalogues: Mapping[str, dict[Lang, str]]) -> dict[str, dict[Lang, str]]:
    merged: dict[str, dict[Lang, str]] = {}
    for catalogue in catalogues:
        twice = sorted(set(merged) & set(catalogue))
        if twice:
            # Two wordings for one key is exactly what one vocabulary rules out.
            msg = f"layers.i18n: keys defined twice: {twice}; keep each in one catalogue"
            raise ValueError(msg)
        merged.update(catalogue)
    return merged


STRINGS: Final[dict[str, dict[Lang, str]]] = _merge(
    DOMAIN,
    UI,
    MESSAGES,
    CHECKS,
    COLUMNS,
    PRINT,
    SITE,
    ZONES,
    EXPORTS,
    TIME,
    TIME_UI,
    PROGRESS,
    ACCESS,
    CHECK_PROGRESS,
)
"""Key -> {language -> text}: the domain's terms, the interface's labels and geo's messages."""


def lang_or_default(value: object) -> Lang:
    """Return ``value`` if it is a supported language code, else :data:`DEFAULT_LANG`.

    Used on the ``?lang=`` URL parameter, which anyone can edit.

    Examples
    --------
    >>> lang_or_default("en"), lang_or_default("fr")
    ('en', 'zh')
    """
    for lang in LANGS:
        if value == lang:
            return lang
    return DEFAULT_LANG


def t(key: str, lang: Lang, /, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        A key of :data:`STRINGS`.
    lang : {"zh", "en"}
        The language.
    **values
        Values for the placeholders.

    Returns
    -------
    str
        Plain text (not escaped: escape it where it becomes HTML).

    Examples
    --------
    >>> t("map.unlocated", "en", n=3)
    '3 enterprises have no usable coordinates and are not on the map (see the check page).'
    """
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def text(key: str, /, **values: object) -> Text:
    """Return the text for ``key`` in both languages (for messages whose reader is not known yet).

    A check records its problems in both languages; the app or the command line shows the
    one its user reads. Raise :class:`geo.InputError` with it to refuse a whole input.

    Examples
    --------
    >>> text("geo.row", file="a.csv", row=4)
    Text(en='a.csv row 4: ', zh='a.csv 第 4 行：')
    """
    return make_text(STRINGS[key], values)


def error_text(error: BaseException, lang: Lang, /) -> str:
    """Return an error's message in ``lang`` (its English text when it has only that).

    Examples
    --------
    >>> import geo
    >>> error_text(geo.InputError(text("geo.row", file="a.csv", row=4)), "zh")
    'a.csv 第 4 行：'
    """
    return in_lang(error, lang)


def term(group: str, key: object, lang: Lang, /, *, default: str | None = None) -> str:
    """Return the word for a domain value, e.g. a verdict, a status or a criterion.

    Parameters
    ----------
    group : str
        The kind of value: ``"verdict"``, ``"status"``, ``"gaps.status"``, ``"stage"``,
        ``"criterion"``, ``"boundary"``.
    key : object
        The value as the data hold it (``"misplaced"``, ``"operating"``...).
    lang : {"zh", "en"}
        The language.
    default : str, optional
        Returned when there is no word for ``key``; without it an unknown key raises
        ``KeyError`` (a programming error).

    Returns
    -------
    str
        The term, the same text :func:`t` gives for ``f"{group}.{key}"``.

    Examples
    --------
    >>> term("verdict", "misplaced", "zh"), term("verdict", "outside", "en")
    ('错位', 'outside every area')
    >>> term("status", "mothballed", "en", default="mothballed")
    'mothballed'
    """
    full = f"{group}.{key}"
    if default is not None and full not in STRINGS:
        return default
    return STRINGS[full][lang]


def join(items: Iterable[str], lang: Lang, /) -> str:
    """Join names as a list reads in ``lang`` ("甲、乙" / "A, B").

    Examples
    --------
    >>> join(["甲区", "乙区"], "zh"), join(["A", "B"], "en")
    ('甲区、乙区', 'A, B')
    """
    return STRINGS["list.sep"][lang].join(items)


def distance(metres: float, lang: Lang, /) -> str:
    """Say a distance as a planner reads it: kilometres from 1 km on, metres below.

    Examples
    --------
    >>> distance(4000.0, "en"), distance(4000.0, "zh"), distance(150.0, "zh")
    ('4.0 km', '4.0 公里', '150 米')
    """
    if metres >= 1000:
        return t("unit.km", lang, km=metres / 1000)
    return t("unit.m", lang, m=metres)


def local_names(frame: pd.DataFrame, lang: Lang, /, base: str = "name") -> pd.Series:
    """Return each row's ``<base>_<lang>``, the other language's where it is blank.

    The one place a layer's (or a result's) names are chosen for display: districts,
    zones, areas, segments and enterprises all carry ``name_zh`` and ``name_en``, and an
    English name may be missing from a user's file.

    Examples
    --------
    >>> frame = pd.DataFrame({"name_zh": ["甲", "乙"], "name_en": ["A", " "]})
    >>> local_names(frame, "en").tolist(), local_names(frame, "zh").tolist()
    (['A', '乙'], ['甲', '乙'])
    """
    other: Lang = "en" if lang == "zh" else "zh"
    first = frame.get(f"{base}_{lang}")
    second = frame.get(f"{base}_{other}")
    if first is None and second is None:
        return pd.Series("", index=frame.index, dtype=object)
    if first is None:
        return pd.Series(second, index=frame.index).astype(object)
    first = first.astype(object)
    if second is None:
        return first
    empty = first.isna() | (first.astype(str).str.strip() == "")
    return first.where(~empty, second.astype(object))
