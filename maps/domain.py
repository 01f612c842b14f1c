"""Painters for the plan's own layers: districts, development zones, agglomeration areas."""

from __future__ import annotations

from typing import Final

import folium
import geopandas as gpd
import pandas as pd

from layers.i18n import Lang, local_names, t
from layers.palette import DISTRICT_COLOUR, ZONE_COLOUR
from maps._frames import rounded, segment_names
from maps.base import add_labels, add_legend, add_polygons
from maps.styles import area_colours

__all__ = ["add_areas", "add_districts", "add_names", "add_zones"]

_BOUNDARY_KEYS: Final = frozenset({"boundary.approximate", "boundary.official", "boundary.drawn"})


def add_districts(
    fmap: folium.Map, districts: gpd.GeoDataFrame, *, lang: Lang, basemap: str = "osm"
) -> folium.GeoJson:
    """Add the district outlines (``layers.districts()``)."""
    return add_polygons(
        fmap,
        districts,
        name=t("layer.districts", lang),
        fields={
            t("field.name", lang): local_names(districts, lang),
            t("field.adcode", lang): districts.get("adcode", pd.Series("", index=districts.index)),
            t("field.area_km2", lang): rounded(districts.get("area_km2"), districts.index),
        },
        basemap=basemap,
        colour=DISTRICT_COLOUR,
        weight=1.5,
        fill_opacity=0.03,
    )


def add_names(
    fmap: folium.Map,
    districts: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    lang: Lang,
    basemap: str = "osm",
) -> folium.FeatureGroup:
    """Label districts and development zones with their names in ``lang`` (one layer)."""
    return add_labels(
        fmap,
        [
            # Zones first: the plan is about them; small central districts yield to them.
            (zones, _short_names(zones, lang), "zone"),
            (districts, local_names(districts, lang), "district"),
        ],
        name=t("layer.names", lang),
        basemap=basemap,
    )


def _short_names(zones: gpd.GeoDataFrame, lang: Lang) -> pd.Series:
    """Return the zones' short names (南昌经开区) where the data have them, else full names."""
    full = local_names(zones, lang)
    # Only the short name in this language: the other language's would be the wrong script.
    column = f"short_{lang}"
    if column not in zones.columns:
        return full
    short: pd.Series = zones[column].fillna("").astype(str).str.strip()
    return short.where(short != "", full)


def add_zones(
    fmap: folium.Map, zones: gpd.GeoDataFrame, *, lang: Lang, basemap: str = "osm"
) -> folium.GeoJson:
    """Add development zones; approximate boundaries are dashed and say so."""
    source = zones.get("boundary_source", pd.Series("", index=zones.index)).astype(str)
    boundary = source.map(
        lambda s: t(f"boundary.{s}", lang) if f"boundary.{s}" in _BOUNDARY_KEYS else s
    )
    return add_polygons(
        fmap,
        zones,
        name=t("layer.zones", lang),
        fields={
            t("field.name", lang): local_names(zones, lang),
            t("field.level", lang): zones.get("level", pd.Series("", index=zones.index)),
            t("field.area_km2", lang): rounded(zones.get("area_km2"), zones.index),
            t("field.boundary", lang): boundary,
        },
        basemap=basemap,
        colour=ZONE_COLOUR,
        weight=2.0,
        fill_opacity=0.08,
        dashed=(source == "approximate").tolist(),
    )


def add_areas(
    fmap: folium.Map,
    areas: gpd.GeoDataFrame,
    *,
    lang: Lang,
    chain: pd.DataFrame | None = None,
    basemap: str = "osm",
) -> folium.GeoJson:
    """Add the agglomeration areas (``layers.areas()``, indexed by area key), with a legend."""
    segments = areas.get("segments", pd.Series([()] * len(areas), index=areas.index))
    names = segment_names(chain, lang)
    seg_text = segments.map(
        lambda keys: (
            "、".join(names.get(k, k) for k in (keys or ()))
            if lang == "zh"
            else ", ".join(names.get(k, k) for k in (keys or ()))
        )
    )
    layer = add_polygons(
        fmap,
        areas,
        name=t("layer.areas", lang),
        fields={
            t("field.name", lang): local_names(areas, lang),
            t("field.definition", lang): areas.get("definition", pd.Series("", index=areas.index)),
            t("field.segments", lang): seg_text,
        },
        basemap=basemap,
        colour=area_colours(areas.index),
        weight=2.5,
        fill_opacity=0.15,
    )
    add_legend(
        fmap,
        t("legend.areas", lang),
        [
            (c, str(n), "")
            for c, n in zip(area_colours(areas.index), local_names(areas, lang), strict=True)
        ],
    )
    return layer
