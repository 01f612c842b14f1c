"""Coordinates a person types or pastes: one text in, a longitude and a latitude out.

People copy coordinates from Amap (``115.9449,28.5567``), Baidu, Google Maps (latitude
first: ``28.5567, 115.9449``), GPS units and documents (``115°56'41.6"E 28°33'24.1"N``,
``东经115°56′41.6″ 北纬28°33′24.1″``), often with Chinese full-width commas and spaces.
:func:`parse_coords` reads all of them into one :class:`TypedCoords` and says what it
decided (latitude given first, degrees-minutes-seconds), so a page can show it back.

Which is the longitude: hemisphere letters decide when present (E/W longitude, N/S
latitude). Without letters, a number beyond +/-90 can only be a longitude; when neither
number is beyond 90 the order is taken as typed (longitude first). In China longitudes
run 73-136 E, so a pasted latitude-first pair there is always recognised.

The coordinate system (WGS 84, GCJ-02, BD-09) is not in the text: the caller declares it
and converts with :func:`geo.crs.convert`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from geo._errors import InputError
from geo.messages import text

__all__ = ["TypedCoords", "parse_coords"]

# Marks people use for degrees, minutes and seconds, mapped to ° ' " (after NFKC, which
# already turns full-width commas, spaces and digits into ASCII).
_MARKS: Final = {
    "度": "°",
    "º": "°",
    "˚": "°",
    "分": "'",
    "′": "'",
    "’": "'",
    "‘": "'",
    "´": "'",
    "`": "'",
    "秒": '"',
    "″": '"',
    "“": '"',
    "”": '"',
    "''": '"',
    "、": ",",
    "；": ",",
    ";": ",",
}
_HEMISPHERE_WORDS: Final = {"东经": "E", "西经": "W", "北纬": "N", "南纬": "S",
                            "东": "E", "西": "W", "北": "N", "南": "S"}  # fmt: skip
_NUM = r"\d+(?:\.\d*)?|\.\d+"
# One coordinate: an optional hemisphere letter, degrees (signed), and optional minutes and
# seconds, each marked; the letter may also follow.
_COORD: Final = re.compile(
    rf"""(?P<pre>[NSEW])?\s*
    (?P<sign>[-+])?(?P<deg>{_NUM})\s*
    (?:°\s*(?:(?P<min>{_NUM})\s*'\s*(?:(?P<sec>{_NUM})\s*"\s*)?)?)?
    (?P<post>[NSEW](?![A-Za-z]))?""",
    re.VERBOSE | re.IGNORECASE,
)
_SEPARATORS: Final = re.compile(r"[\s,]*")


@dataclass(frozen=True)
class TypedCoords:
    """A coordinate pair read from text.

    Attributes
    ----------
    lon, lat : float
        Decimal degrees, in whatever system the text was in (not converted).
    swapped : bool
        The text gave the latitude first (found by hemisphere letters or by a first number
        that can only be a latitude); ``lon``/``lat`` are already in the right order.
    dms : bool
        The text was in degrees (minutes (seconds)) with marks.
    text : str
        The text as it was given, stripped.
    """

    lon: float
    lat: float
    swapped: bool
    dms: bool
    text: str


@dataclass(frozen=True)
class _Part:
    value: float
    letter: str | None
    dms: bool
    raw: str


def _normalise(value: str) -> str:
    out = unicodedata.normalize("NFKC", value)
    for word, letter in _HEMISPHERE_WORDS.items():
        out = out.replace(word, f" {letter} ")
    for mark, plain in _MARKS.items():
        out = out.replace(mark, plain)
    return out.strip()


def _parts(value: str, shown: str) -> list[_Part]:
    parts: list[_Part] = []
    pos = 0
    norm = _normalise(value)
    while pos < len(norm):
        gap = _SEPARATORS.match(norm, pos)
        pos = gap.end() if gap else pos
        if pos >= len(norm):
            break
        m = _COORD.match(norm, pos)
        if m is None or m.end() == pos:
            bad = norm[pos:].split(",")[0].split()[0] if norm[pos:].split() else norm[pos:]
            raise InputError(text("geo.coords.unreadable", value=shown, part=bad))
        pos = m.end()
        post = m["post"]
        if m["pre"] and post:
            # "E 115 N 28": a letter after a prefixed coordinate starts the next one.
            pos, post = m.start("post"), None
        raw = norm[m.start() : pos].strip()
        minutes = float(m["min"]) if m["min"] else 0.0
        seconds = float(m["sec"]) if m["sec"] else 0.0
        if minutes >= 60 or seconds >= 60:
            raise InputError(text("geo.coords.sixty", value=shown, part=raw))
        degrees = float(m["deg"]) + minutes / 60 + seconds / 3600
        letter = (m["pre"] or post or "").upper() or None
        if m["sign"] == "-" or letter in {"W", "S"}:
            degrees = -degrees
        parts.append(_Part(degrees, letter, "°" in raw, raw))
    return parts


def parse_coords(value: str) -> TypedCoords:
    r"""Read a longitude and a latitude from what a person typed or pasted.

    Parameters
    ----------
    value : str
        Two coordinates separated by a comma, a semicolon or spaces (full-width ones
        too): decimal degrees (``115.9449,28.5567``), latitude first
        (``28.5567, 115.9449``), or degrees-minutes-seconds with marks and hemisphere
        letters (``115°56'41.6"E 28°33'24.1"N``, ``东经115度56分41.6秒``).

    Returns
    -------
    TypedCoords
        Longitude and latitude in decimal degrees, in the order the text meant, and what
        was decided on the way (``swapped``, ``dms``).

    Raises
    ------
    geo.InputError
        With the message in English and Chinese naming the text and saying how to write
        it: not two numbers, an unreadable piece, minutes or seconds of 60 or more, a
        number out of range, or both numbers marked as longitudes (or latitudes).

    Examples
    --------
    >>> parse_coords("115.9449,28.5567")
    TypedCoords(lon=115.9449, lat=28.5567, swapped=False, dms=False, text='115.9449,28.5567')
    >>> c = parse_coords("28.5567, 115.9449")
    >>> c.lon, c.lat, c.swapped
    (115.9449, 28.5567, True)
    >>> c = parse_coords("115°56'41.6\"E 28°33'24.1\"N")
    >>> round(c.lon, 6), round(c.lat, 6), c.dms
    (115.944889, 28.556694, True)
    """
    shown = str(value).strip()
    if not shown:
        raise InputError(text("geo.coords.empty"))
    parts = _parts(shown, shown)
    if len(parts) != 2:
        raise InputError(text("geo.coords.count", value=shown, n=len(parts)))
    first, second = parts
    letters = {p.letter for p in parts if p.letter is not None}
    lon_letters, lat_letters = {"E", "W"}, {"N", "S"}
    if first.letter in lat_letters or second.letter in lon_letters:
        swapped = True
    elif first.letter in lon_letters or second.letter in lat_letters:
        swapped = False
    else:
        # No letters: only a longitude can exceed 90 degrees.
        swapped = abs(first.value) <= 90 < abs(second.value)
    if len(letters) == 2 and (letters <= lon_letters or letters <= lat_letters):
        raise InputError(text("geo.coords.letters", value=shown, letters="/".join(sorted(letters))))
    if len(letters) == 1 and first.letter == second.letter:
        raise InputError(text("geo.coords.letters", value=shown, letters=first.letter))
    lon, lat = (second, first) if swapped else (first, second)
    for part, limit in ((lon, 180.0), (lat, 90.0)):
        if not abs(part.value) <= limit:
            raise InputError(text("geo.coords.range", value=shown, number=part.raw))
    return TypedCoords(
        lon=lon.value,
        lat=lat.value,
        swapped=swapped,
        dms=first.dms or second.dms,
        text=shown,
    )
