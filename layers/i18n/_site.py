"""Words of the site checker, the check page and downloads (issue 11).

Keyed, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["SITE"]

SITE: Final[dict[str, dict[Literal["zh", "en"], str]]] = {}
