"""The wording of geo's messages, keyed, in English and Chinese (read via geo.messages).

Placeholders: ``{file}`` is the user's own name for the input, ``{row}`` a row number as
the problems table gives it. A test checks that every key has both languages with the same
placeholders.
"""

from __future__ import annotations

from typing import Final, Literal

from geo._messages_coords import COORDS

__all__ = ["MESSAGES"]

MESSAGES: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "geo.row": {"en": "{file} row {row}: ", "zh": "{file} 第 {row} 行："},
}
MESSAGES.update(COORDS)  # typed coordinates (geo.coords), kept in their own file
