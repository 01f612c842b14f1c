"""Messages of the layers' checks (enterprises, rules, areas, project).

Keyed, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["CHECKS"]

CHECKS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {}
