"""Fixtures for geo.io: small files built in code, so every byte is visible in the tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
import pytest
from shapely.geometry import Point, Polygon

from geo.io import CRSHint, Extent

# Two real places in Nanchang (WGS 84, rounded): Bayi Square and Nanchang West Station.
BAYI = (115.8997, 28.6819)
WEST_STATION = (115.7907, 28.6142)

# geo knows no place: the tests hand read() an extent as a caller would (layers passes
# Nanchang's from layers.settings; the values here are the tests' own, to keep geo's tests
# independent of layers).
NANCHANG = Extent(
    (115.0, 27.9, 116.9, 29.5),
    name="Nanchang with a margin",
    crs_hints=(
        CRSHint(
            "EPSG:4548", "CGCS2000 / 3-degree Gauss-Kruger CM 117E", (3e5, 6e5), (2.9e6, 3.4e6)
        ),
        CRSHint("EPSG:32650", "WGS 84 / UTM zone 50N", (3e5, 6e5), (2.9e6, 3.4e6)),
        CRSHint(
            "EPSG:4527",
            "CGCS2000 / 3-degree Gauss-Kruger zone 39",
            (3.93e7, 3.96e7),
            (2.9e6, 3.4e6),
        ),
        CRSHint("EPSG:3857", "WGS 84 / Pseudo-Mercator", (1.27e7, 1.31e7), (3.2e6, 3.5e6)),
    ),
)


class Files:
    """Builders for input files, handed to tests by the ``files`` fixture."""

    bayi = BAYI
    west_station = WEST_STATION

    @staticmethod
    def csv_text(rows: Sequence[Sequence[object]]) -> str:
        """Join rows into CSV text (no quoting: fixtures avoid commas in values)."""
        return "".join(",".join("" if v is None else str(v) for v in row) + "\n" for row in rows)

    @staticmethod
    def xlsx_bytes(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
        wb = openpyxl.Workbook()
        first = True
        for title, rows in sheets.items():
            ws = wb.active if first else wb.create_sheet()
            first = False
            ws.title = title
            for row in rows:
                ws.append(list(row))
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def zip_bytes(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return buffer.getvalue()

    @staticmethod
    def shapefile_parts(
        gdf: gpd.GeoDataFrame, folder: Path, *, encoding: str, cpg: bool, stem: str = "sites"
    ) -> dict[str, bytes]:
        """Write ``gdf`` as a shapefile with the given DBF encoding; return its parts' bytes."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.shp"
        pyogrio.write_dataframe(gdf, path, encoding=encoding)
        parts = {p.name: p.read_bytes() for p in folder.glob(f"{stem}.*")}
        if not cpg:
            parts.pop(f"{stem}.cpg", None)
        return parts


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    """Two Nanchang points with Chinese text, an id that must stay "007", and a polygon."""
    square = Polygon(
        [(115.89, 28.67), (115.91, 28.67), (115.91, 28.69), (115.89, 28.69), (115.89, 28.67)]
    )
    return gpd.GeoDataFrame(
        {"id": ["007", "008", "009"], "名称": ["八一广场", "南昌西站", "示范区"]},
        geometry=[Point(BAYI), Point(WEST_STATION), square],
        crs="EPSG:4326",
    )


@pytest.fixture
def files() -> Files:
    return Files()


@pytest.fixture
def site_points(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The points of ``sites`` only (a shapefile holds one geometry type)."""
    return sites.iloc[:2].copy()
