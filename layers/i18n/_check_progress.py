"""Words of the check page's progress bar (issue 15, item 3): a large table being checked.

Keyed ``check.progress*``, zh and en; merged into :data:`layers.i18n.STRINGS` (one
vocabulary). The counts arrive already formatted with thousands separators.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["CHECK_PROGRESS"]

CHECK_PROGRESS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "check.progress": {
        "zh": "正在检查企业：已完成 {done} / {total} 家",
        "en": "Checking the enterprises: {done} of {total} done",
    },
}
