"""Colours of the map: segment families, agglomeration areas and the sequential ramp.

The hues are colour-blind-safe (Okabe-Ito for categories, ColorBrewer YlGnBu for values).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from layers.palette import (
    AREA_COLOURS,
    EXTRA_AREA_COLOURS,
    RAMP,
    STAGE_COLOURS,
    UNKNOWN_COLOUR,
)

__all__ = [
    "AREA_COLOURS",
    "RAMP",
    "STAGE_COLOURS",
    "UNKNOWN_COLOUR",
    "area_colours",
    "family_colours",
    "ramp_colour",
]

# The colours themselves live in layers.palette, shared with the QGIS styles of downloads
# (the command line writes those and may not import maps).
_EXTRA_AREA_COLOURS: Final = EXTRA_AREA_COLOURS


def ramp_colour(values: npt.ArrayLike) -> list[str]:
    """Map values in [0, 1] to the sequential ramp; NaN -> grey.

    Examples
    --------
    >>> ramp_colour([0.0, 1.0, float("nan")])
    ['#ffffcc', '#0c2c84', '#777777']
    """
    v = np.asarray(values, dtype=float)
    idx = np.clip(np.floor(np.nan_to_num(v, nan=0.0) * len(RAMP)), 0, len(RAMP) - 1)
    return [UNKNOWN_COLOUR if np.isnan(x) else RAMP[int(i)] for x, i in zip(v, idx, strict=True)]


def area_colours(keys: Iterable[object]) -> list[str]:
    """Colour per area key: the plan's three areas fixed, any other area the next spare hue."""
    extra = iter(_EXTRA_AREA_COLOURS * 10)
    return [AREA_COLOURS.get(str(k)) or next(extra) for k in keys]


def family_colours(segments: pd.Series, chain: pd.DataFrame | None) -> list[str]:
    """Colour per segment key: its family's (``chain["stage"]``), grey when unknown."""
    stage_of = (
        chain["stage"].astype(str).to_dict() if chain is not None and "stage" in chain else {}
    )
    return [STAGE_COLOURS.get(stage_of.get(str(s), ""), UNKNOWN_COLOUR) for s in segments]
