"""The wording of the messages about coordinates a person types or pastes (geo.coords).

Placeholders: ``{value}`` is the text as typed (quoted by the message), ``{part}`` one piece
of it, ``{n}`` a count, ``{letters}`` hemisphere letters, ``{number}`` a number as typed.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["COORDS"]

_EXAMPLE_ZH: Final = "例如 115.9449, 28.5567 或 115°56'41.6\"E 28°33'24.1\"N"
_EXAMPLE_EN: Final = "e.g. 115.9449, 28.5567 or 115°56'41.6\"E 28°33'24.1\"N"

COORDS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "geo.coords.empty": {
        "zh": "请输入经度和纬度（经度在前），" + _EXAMPLE_ZH + "。",
        "en": "Type a longitude and a latitude (longitude first), " + _EXAMPLE_EN + ".",
    },
    "geo.coords.count": {
        "zh": "“{value}”中读到 {n} 个数，需要正好两个：经度和纬度，用逗号或空格分开，"
        + _EXAMPLE_ZH
        + "。",
        "en": "“{value}” holds {n} number(s); give exactly two, longitude and latitude, "
        "separated by a comma or a space, " + _EXAMPLE_EN + ".",
    },
    "geo.coords.unreadable": {
        "zh": "“{value}”中的“{part}”不是坐标：只写数字、度分秒符号（° ′ ″）和 E/W/N/S，"
        + _EXAMPLE_ZH
        + "。",
        "en": "“{part}” in “{value}” is not part of a coordinate: use numbers, degree/minute/"
        "second marks (° ' \") and E/W/N/S only, " + _EXAMPLE_EN + ".",
    },
    "geo.coords.sixty": {
        "zh": "“{value}”中的“{part}”：分和秒必须小于 60；请检查度分秒写法。",
        "en": "“{part}” in “{value}”: minutes and seconds must be below 60; check the "
        "degrees-minutes-seconds.",
    },
    "geo.coords.range": {
        "zh": "“{value}”中的 {number} 超出范围：经度在 -180 到 180 之间，纬度在 -90 到 90 之间。",
        "en": "{number} in “{value}” is out of range: longitude lies within -180 to 180, "
        "latitude within -90 to 90.",
    },
    "geo.coords.letters": {
        "zh": "“{value}”的两个坐标都标为 {letters}：一个标 E/W（经度），一个标 N/S（纬度）。",
        "en": "Both coordinates in “{value}” are marked {letters}: mark one E/W (longitude) "
        "and the other N/S (latitude).",
    },
}
"""Keys ``geo.coords.*``: why a typed coordinate pair cannot be read, and how to write it."""
