"""The wording of the messages about coordinates a person types or pastes (geo.coords)."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["COORDS"]

COORDS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {}
