"""The plan's colours: one palette for the app's map and the files GIS teams load.

The map (:mod:`maps.styles`, :mod:`maps.domain`) and the QGIS styles shipped with every
download (:mod:`layers.qgis_styles`) read their colours here, so a layer looks the same in
the app and in QGIS. It lives in ``layers`` rather than ``maps`` because the command line
(``zoning export``) writes styled files and must not import the drawing code.

The hues are colour-blind-safe (Okabe-Ito for categories, ColorBrewer YlGnBu for values).

>>> area_colours(["battery", "materials", "control", "other"])
['#D55E00', '#0072B2', '#009E73', '#CC79A7']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

__all__ = [
    "AREA_COLOURS",
    "DISTRICT_COLOUR",
    "EXTRA_AREA_COLOURS",
    "LOOKS",
    "PROJECT_STAGE_COLOURS",
    "RAMP",
    "STAGE_COLOURS",
    "UNKNOWN_COLOUR",
    "ZONE_COLOUR",
    "Look",
    "area_colours",
]

# Segment families (the chain's stages), colour-blind-safe Okabe-Ito hues.
STAGE_COLOURS: Final[dict[str, str]] = {
    "materials": "#0072B2",
    "cells": "#D55E00",
    "control": "#009E73",
    "integration": "#CC79A7",
    "equipment": "#56B4E9",
    "downstream": "#E69F00",
}
UNKNOWN_COLOUR: Final = "#777777"
# A project's stages (layers.events.STAGES), prospects through production in Okabe-Ito
# hues, halted and exited in greys: the stage a firm is at, not its segment.
PROJECT_STAGE_COLOURS: Final[dict[str, str]] = {
    "promotion": "#CC79A7",
    "negotiation": "#E69F00",
    "signed": "#F0E442",
    "pre_construction": "#56B4E9",
    "construction": "#0072B2",
    "production": "#009E73",
    "halted": "#999999",
    "exited": "#333333",
}
AREA_COLOURS: Final[dict[str, str]] = {
    "battery": "#D55E00",
    "materials": "#0072B2",
    "control": "#009E73",
}
EXTRA_AREA_COLOURS: Final = ("#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
"""Hues for areas beyond the plan's three, in the order they are handed out."""
# Green (low) to dark red (high) would read as "bad"; a sequential yellow-green-blue ramp
# (ColorBrewer YlGnBu) reads as "more" in both directions of colour vision.
RAMP: Final = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
DISTRICT_COLOUR: Final = "#444444"
"""Outline of the county-level districts: a neutral grey under everything else."""
ZONE_COLOUR: Final = "#6a3d9a"
"""Outline of the development zones: a purple no area or family uses."""


@dataclass(frozen=True)
class Look:
    """How a layer's shapes are drawn: outline width (screen pixels) and fill opacity."""

    weight: float
    fill_opacity: float


LOOKS: Final[dict[str, Look]] = {
    "districts": Look(1.5, 0.03),
    "zones": Look(2.0, 0.08),
    "areas": Look(2.5, 0.15),
    "clusters": Look(3.0, 0.05),
    "spatial_gaps": Look(1.0, 0.35),
    "suitability": Look(0.0, 0.55),
    "targets": Look(2.0, 0.15),
    "chain_gaps": Look(2.0, 0.15),
    "enterprises": Look(1.0, 0.9),
    "check": Look(1.0, 0.9),
    "episodes": Look(1.0, 0.9),
}
"""The look of each layer on the map (the same numbers as :mod:`maps.domain` and
:mod:`maps.results` draw with), by the layer names of ``zoning.exports.KINDS``."""


def area_colours(keys: Iterable[object]) -> list[str]:
    """Colour per area key: the plan's three areas fixed, any other area the next spare hue."""
    extra = iter(EXTRA_AREA_COLOURS * 10)
    return [AREA_COLOURS.get(str(k)) or next(extra) for k in keys]
