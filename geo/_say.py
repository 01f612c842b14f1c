"""Small pieces of geo's two-language messages: the record a problem names, lists.

The words come from the keyed catalogue (:mod:`geo._messages`) through
:func:`geo.messages.text`; these helpers only assemble them.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.messages import Text, text

__all__ = ["at", "listing"]


def at(file: str, row: object, *, feature: bool = False) -> Text:
    """Return the prefix naming a record: ``"a.csv row 3: "`` / ``"a.csv 第 3 行："``.

    Vector files number features (``feature=True``), tables their spreadsheet rows.

    Examples
    --------
    >>> at("a.geojson", 2, feature=True).zh
    'a.geojson 第 2 个要素：'
    """
    return text("geo.feature" if feature else "geo.row", file=file, row=row)


def listing(items: Iterable[object], sep: str = "geo.list.comma") -> Text:
    """Join the user's own names (as given) with the separator ``sep`` of each language.

    Examples
    --------
    >>> listing(["lon", "经度"])
    Text(en='lon, 经度', zh='lon、经度')
    """
    words = [str(item) for item in items]
    between = text(sep)
    return Text(en=between.en.join(words), zh=between.zh.join(words))
