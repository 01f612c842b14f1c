"""Tiny hand-made layers for the map tests (a few boxes and points in Nanchang)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from tests.maps.conftest import HOSTILE_NAMES

CHAIN = pd.DataFrame(
    {
        "name_zh": ["正极材料", "锂离子电芯", "储能系统集成"],
        "name_en": ["Cathode materials", "Li-ion cells", "Storage integration"],
        "stage": ["materials", "cells", "integration"],
    },
    index=pd.Index(["cathode", "li_ion_cell", "storage_integration"], name="segment"),
)


def districts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "adcode": ["360102", "360111"],
            "name_zh": ["东湖区", HOSTILE_NAMES[0]],
            "name_en": ["Donghu", HOSTILE_NAMES[1]],
            "area_km2": [1.5, 2.25],
        },
        geometry=[box(115.85, 28.65, 115.9, 28.7), box(115.9, 28.65, 115.95, 28.7)],
        crs="EPSG:4326",
    )


def enterprises() -> gpd.GeoDataFrame:
    n = len(HOSTILE_NAMES)
    lon = 115.80 + 0.01 * np.arange(n + 1)
    return gpd.GeoDataFrame(
        {
            "id": [f"T-{i}" for i in range(n + 1)],
            "name_zh": [*HOSTILE_NAMES, "无坐标企业"],
            "name_en": ["", *HOSTILE_NAMES[1:], "unlocated"],
            "segment": [
                "cathode",
                "li_ion_cell",
                "storage_integration",
                "nonsense",
                "cathode",
                "x",
            ],
            "status": ["operating", "planned", HOSTILE_NAMES[2], "unknown", "construction", "x"],
            "precision_m": [4000.0, 50.0, np.nan, 1000.0, 999.0, 3000.0],
            "park": [HOSTILE_NAMES[3], "", None, "p", "p", "p"],
            "capacity": [50.0, np.nan, 1.0, np.nan, 2.0, np.nan],
            "capacity_unit": ["GWh", None, "GWh", None, "<i>t</i>", None],
            "synthetic": [False, False, False, True, False, False],
        },
        geometry=[*(Point(x, 28.7) for x in lon[:n]), None],
        crs="EPSG:4326",
    )


def render(fmap) -> str:
    return fmap.get_root().render()


def script_json(html: str, var: str) -> list:
    """The JSON literal assigned to ``var rows = ...;`` etc. in the rendered map."""
    match = re.search(rf"var {var} = (.*?);\n", html)
    assert match, var
    return json.loads(match.group(1))
