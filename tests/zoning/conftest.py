"""Tiny hand-checkable fixtures near Nanchang for the analysis tests.

Three agglomeration areas as lon/lat boxes (about 3.9 km x 4.4 km each), so that edges
are exact lines in WGS 84 and a point "exactly on the boundary" really is on it:

    lat 28.70 +---------+
              | control |
    lat 28.66 +---------+
    lat 28.64 +---------+-----------+
              | battery | materials |
    lat 28.60 +---------+-----------+
          115.90     115.94      115.98  (lon)

A small chain with the contract's columns, and a helper that builds enterprise frames.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

BATTERY = (115.90, 28.60, 115.94, 28.64)
MATERIALS = (115.94, 28.60, 115.98, 28.64)
CONTROL = (115.90, 28.66, 115.94, 28.70)

CHAIN_ROWS = [
    # key, name_zh, name_en, stage, supplies
    ("lithium_salt", "锂盐", "lithium salts", "materials", ("cathode",)),
    ("cathode", "正极材料", "cathode materials", "materials", ("li_ion_cell",)),
    ("copper_foil", "铜箔", "copper foil", "materials", ("li_ion_cell",)),
    ("li_ion_cell", "锂离子电池", "Li-ion cells", "cells", ("battery_pack",)),
    ("battery_pack", "电池包", "battery packs", "cells", ("storage_integration",)),
    ("pcs", "储能变流器", "PCS", "control", ("storage_integration",)),
    ("storage_integration", "储能系统集成", "storage integration", "integration", ()),
    ("equipment", "装备", "equipment", "equipment", ("li_ion_cell",)),
    ("pv_cell", "光伏电池", "PV cells", "cells", ()),
]


@pytest.fixture
def chain() -> pd.DataFrame:
    return pd.DataFrame(
        [r[1:] for r in CHAIN_ROWS],
        columns=["name_zh", "name_en", "stage", "supplies"],
        index=pd.Index([r[0] for r in CHAIN_ROWS], name="segment"),
    )


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name_zh": ["储能电池集聚区", "材料集聚区", "控制产品集聚区"],
            "name_en": ["storage-battery area", "materials area", "control area"],
            "segments": [
                ("li_ion_cell", "battery_pack"),
                ("copper_foil", "cathode", "lithium_salt"),
                ("pcs", "storage_integration", "equipment"),
            ],
        },
        geometry=[shapely.box(*BATTERY), shapely.box(*MATERIALS), shapely.box(*CONTROL)],
        index=pd.Index(["battery", "materials", "control"], name="area"),
        crs="EPSG:4326",
    )


def firms(rows: list[tuple], index: list | None = None) -> gpd.GeoDataFrame:
    """Enterprises from (id, segment, lon, lat, precision_m[, capacity]) tuples.

    ``lon`` None makes an unlocated row (geometry None).
    """
    ids, segs, geoms, precs, caps = [], [], [], [], []
    for r in rows:
        ids.append(r[0])
        segs.append(r[1])
        geoms.append(None if r[2] is None else shapely.Point(r[2], r[3]))
        precs.append(r[4])
        caps.append(r[5] if len(r) > 5 else float("nan"))
    return gpd.GeoDataFrame(
        {"id": ids, "segment": segs, "precision_m": precs, "capacity": caps},
        geometry=geoms,
        crs="EPSG:4326",
        index=index if index is not None else pd.RangeIndex(len(rows)),
    )
