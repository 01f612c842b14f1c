"""Words shared by the table builders of :mod:`zoning.tables`."""

from __future__ import annotations

import pandas as pd

from layers.i18n import Lang, local_names, t

__all__ = ["label", "names_of"]


def names_of(layer: pd.DataFrame, lang: Lang) -> dict[str, str]:
    """Map a layer's index keys to their names in ``lang``."""
    return dict(zip((str(k) for k in layer.index), local_names(layer, lang), strict=True))


def label(group: str, value: object, lang: Lang) -> str:
    """Translate a library value (criterion key, zoning class) if the vocabulary has it."""
    try:
        return t(f"{group}.{value}", lang)
    except KeyError:
        return str(value)
