"""Filling the layers' check messages when a placeholder's value differs by language.

:func:`layers.i18n.text` fills both languages with the same values, which is right for the
user's own values (a file name, an id, a segment as typed). Some placeholders are words of
ours instead (a field's name, "segment" / "环节", a list joined as each language joins
lists): :func:`both` fills such a placeholder from a :class:`geo.messages.Text`, each
language with its own word, so one keyed message still has the same placeholders in both.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.messages import Text
from layers.i18n import STRINGS

__all__ = ["both", "join_both", "words"]


def both(key: str, /, **values: object) -> Text:
    """Return message ``key`` in both languages; a :class:`Text` value fills each its own.

    Examples
    --------
    >>> both("check.unknown.hint", best="cathode").zh
    "是否应为 'cathode'？"
    """
    entry = STRINGS[key]
    en = {k: v.en if isinstance(v, Text) else v for k, v in values.items()}
    zh = {k: v.zh if isinstance(v, Text) else v for k, v in values.items()}
    return Text(en=entry["en"].format(**en), zh=entry["zh"].format(**zh))


def words(key: str, /) -> Text:
    """Return a word or phrase of ours (no placeholders) in both languages."""
    entry = STRINGS[key]
    return Text(en=entry["en"], zh=entry["zh"])


def join_both(items: Iterable[str], *, en: str = ", ", zh: str = "、") -> Text:
    """Join the user's values as each language lists them ("a, b" / "a、b")."""
    listed = [str(i) for i in items]
    return Text(en=en.join(listed), zh=zh.join(listed))
