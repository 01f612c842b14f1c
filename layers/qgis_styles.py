"""QGIS styles (``.qml``) for every layer a user downloads, in the app's colours.

A GIS team that opens a download in QGIS should see the map they saw in the app: the same
colours for the areas, the segment families and the suitability ramp. :func:`qml` writes
the style as QGIS's own XML (a single symbol, categories or graduated classes), with the
colours from :mod:`layers.palette`, the one palette the app's map draws with as well.
``geo.io.write(..., style=...)`` stores it in a GeoPackage's ``layer_styles`` table, where
QGIS finds it on load; the same text saved beside a GeoJSON as ``<name>.qml`` is picked up
by QGIS too.

>>> import layers
>>> style = qml("areas", layers.areas())
>>> style.startswith("<!DOCTYPE qgis"), 'attr="area"' in style
(True, True)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Final

import pandas as pd

from layers.i18n import t
from layers.palette import (
    DISTRICT_COLOUR,
    LOOKS,
    PROJECT_STAGE_COLOURS,
    RAMP,
    STAGE_COLOURS,
    UNKNOWN_COLOUR,
    ZONE_COLOUR,
    Look,
    area_colours,
)

__all__ = ["QGIS_VERSION", "STYLED", "SUITABILITY_MAX", "qml", "rgba"]

QGIS_VERSION: Final = "3.28.0-Firenze"
"""The QGIS version the style declares (the long-term release of Debian 12); later QGIS
versions read it as it is."""
SUITABILITY_MAX: Final = 100.0
"""Top of the suitability scale (``zoning.suitability_grid`` scores run 0-100)."""
_MARKER_MM: Final = 3.2
"""Diameter of an enterprise marker: the app's 6-pixel radius at 96 dpi."""
_MARKER_OUTLINE: Final = "#222222"
STYLED: Final = (
    "districts",
    "zones",
    "areas",
    "enterprises",
    "check",
    "targets",
    "chain_gaps",
    "spatial_gaps",
    "clusters",
    "episodes",
    "suitability",
)
"""The layers :func:`qml` styles (every map layer of ``zoning.exports.KINDS``)."""


def rgba(colour: str, alpha: float = 1.0) -> str:
    """Return a ``#rrggbb`` colour as QGIS writes it: ``"r,g,b,a"`` with a in 0-255.

    Examples
    --------
    >>> rgba("#D55E00", 0.5)
    '213,94,0,128'
    """
    value = colour.lstrip("#")
    if len(value) != 6:
        msg = f"colour must be like '#1f77b4', got {colour!r}"
        raise ValueError(msg)
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{red},{green},{blue},{round(alpha * 255)}"


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    options = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(options, "Option", type="QString", name=name, value=value)


def _symbol_layer(symbol: ET.Element, kind: str) -> ET.Element:
    # "class" and "pass" are Python keywords: set as a mapping.
    attrs = {"class": kind, "enabled": "1", "locked": "0", "pass": "0"}
    return ET.SubElement(symbol, "layer", attrs)


def _symbol(parent: ET.Element, name: str, colour: str, look: Look, *, marker: bool) -> None:
    """Add a QGIS symbol: a filled polygon, or a circle marker for points."""
    kind = "marker" if marker else "fill"
    symbol = ET.SubElement(
        parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0"
    )
    if marker:
        layer = _symbol_layer(symbol, "SimpleMarker")
        _options(
            layer,
            {
                "name": "circle",
                "color": rgba(colour, look.fill_opacity),
                "outline_color": rgba(_MARKER_OUTLINE),
                "outline_width": str(look.weight),
                "outline_width_unit": "Pixel",
                "size": str(_MARKER_MM),
                "size_unit": "MM",
                "outline_style": "solid",
            },
        )
        return
    layer = _symbol_layer(symbol, "SimpleFill")
    _options(
        layer,
        {
            "color": rgba(colour, look.fill_opacity),
            "style": "solid",
            "outline_color": rgba(colour),
            "outline_style": "solid" if look.weight > 0 else "no",
            "outline_width": str(look.weight),
            "outline_width_unit": "Pixel",
            "joinstyle": "round",
        },
    )


def _renderer(root: ET.Element, kind: str, **attrs: str) -> ET.Element:
    common = {"symbollevels": "0", "enableorderby": "0", "forceraster": "0"}
    return ET.SubElement(root, "renderer-v2", {"type": kind, **common, **attrs})


def _categories(
    root: ET.Element,
    column: str,
    items: Sequence[tuple[str, str, str]],
    look: Look,
    *,
    marker: bool,
) -> None:
    """Add a categorised renderer: ``items`` are (value, label, colour); others grey."""
    renderer = _renderer(root, "categorizedSymbol", attr=column)
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (value, label, colour) in enumerate(items):
        attrs = {"render": "true", "symbol": str(i), "value": value, "label": label}
        ET.SubElement(categories, "category", attrs)
        _symbol(symbols, str(i), colour, look, marker=marker)
    # Any value not listed (an area or segment added later) is drawn grey, as on the map.
    other = str(len(items))
    ET.SubElement(categories, "category", render="true", symbol=other, value="", label="")
    _symbol(symbols, other, UNKNOWN_COLOUR, look, marker=marker)
    source = ET.SubElement(renderer, "source-symbol")
    _symbol(source, "0", UNKNOWN_COLOUR, look, marker=marker)


def _single(root: ET.Element, colour: str, look: Look) -> None:
    renderer = _renderer(root, "singleSymbol")
    symbols = ET.SubElement(renderer, "symbols")
    _symbol(symbols, "0", colour, look, marker=False)


def _graduated(root: ET.Element, column: str, look: Look) -> None:
    """Equal classes over [0, SUITABILITY_MAX], one per colour of the ramp (as on the map)."""
    renderer = _renderer(root, "graduatedSymbol", attr=column, graduatedMethod="GraduatedColor")
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    step = SUITABILITY_MAX / len(RAMP)
    for i, colour in enumerate(RAMP):
        lower, upper = i * step, (i + 1) * step
        ET.SubElement(
            ranges,
            "range",
            render="true",
            symbol=str(i),
            lower=f"{lower:.6f}",
            upper=f"{upper:.6f}",
            label=f"{lower:.0f} - {upper:.0f}",
        )
        _symbol(symbols, str(i), colour, look, marker=False)


def _names(table: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """Labels "中文名 English name" of ``keys`` in ``table`` (indexed by key), else the key."""
    labels = []
    for key in keys:
        if key in table.index and {"name_zh", "name_en"} <= set(table.columns):
            row = table.loc[key]
            labels.append(f"{row['name_zh']} {row['name_en']}")
        else:
            labels.append(key)
    return labels


def qml(
    kind: str,
    data: pd.DataFrame,
    *,
    chain: pd.DataFrame | None = None,
    areas: pd.DataFrame | None = None,
) -> str:
    """Return the QGIS style of a layer, in the colours the app's map draws it with.

    Parameters
    ----------
    kind : str
        One of :data:`STYLED`.
    data : pandas.DataFrame
        The layer as it is written (used for the area keys of ``areas``, ``targets``,
        ``chain_gaps`` and ``spatial_gaps`` when ``areas`` is not given).
    chain : pandas.DataFrame, optional
        ``layers.chain()``: segments and their family (``stage``). Enterprises, check
        results and clusters are coloured by family, as on the map; without it they are
        grey.
    areas : pandas.DataFrame, optional
        ``layers.areas()``: the order of the areas (areas beyond the plan's three get the
        spare hues in that order, as on the map) and their names for the legend.

    Returns
    -------
    str
        The text of a ``.qml`` file.

    Raises
    ------
    ValueError
        For a layer not in :data:`STYLED`.
    """
    if kind not in STYLED:
        msg = f"no QGIS style for {kind!r}: choose one of {', '.join(STYLED)}"
        raise ValueError(msg)
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology")
    look = LOOKS[kind]
    if kind == "districts":
        _single(root, DISTRICT_COLOUR, look)
    elif kind == "zones":
        _single(root, ZONE_COLOUR, look)
    elif kind == "suitability":
        _graduated(root, "score", look)
    elif kind == "episodes":
        stage_items = [
            (key, f"{t(f'time.stage.{key}', 'zh')} {t(f'time.stage.{key}', 'en')}", colour)
            for key, colour in PROJECT_STAGE_COLOURS.items()
        ]
        _categories(root, "stage", stage_items, look, marker=True)
    elif kind in ("areas", "targets", "chain_gaps", "spatial_gaps"):
        if areas is not None:
            keys = [str(k) for k in areas.index]
        elif kind in ("areas", "spatial_gaps"):
            keys = [str(k) for k in data.index]
        else:
            keys = [str(k) for k in pd.unique(data["area"].astype(str))]
        table = areas if areas is not None else (data if kind == "areas" else pd.DataFrame())
        labels = _names(table, keys)
        areas_items = list(zip(keys, labels, area_colours(keys), strict=True))
        _categories(root, "area", areas_items, look, marker=False)
    else:
        column = "dominant_segment" if kind == "clusters" else "segment"
        stages = chain["stage"].astype(str) if chain is not None else pd.Series(dtype=str)
        keys = [str(k) for k in stages.index]
        colours = [STAGE_COLOURS.get(stages[k], UNKNOWN_COLOUR) for k in keys]
        names = _names(chain if chain is not None else pd.DataFrame(), keys)
        items = list(zip(keys, names, colours, strict=True))
        _categories(root, column, items, look, marker=kind != "clusters")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"
