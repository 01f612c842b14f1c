"""Warm the reading worker's server: imported only by the forkserver of :mod:`geo._io_guard`.

Each guarded read runs in a process forked from one server process that imported the
readers. Importing is not all: the first CSV, workbook or GeoJSON a process reads also
loads pyproj's database, GDAL's drivers, pandas' parsers and their caches (about 250 ms).
Reading one tiny file of each kind here, once, in the server, lets every worker inherit
that state and start reading at once. Nothing here runs in the app's or the command
line's own process; a failure only costs time, so it is ignored.
"""

from __future__ import annotations

import contextlib
import io
import warnings

__all__: list[str] = []


def _warm() -> None:
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo import _io_worker
    from geo.io import Extent, read

    csv = b"id,lon,lat\n1,115.9,28.66\n2,x,28.7\n"
    extent = Extent((115.0, 27.9, 116.9, 29.5), name="warm-up")
    for system in ("wgs84", "gcj02", "bd09", "EPSG:4548"):
        with contextlib.suppress(Exception):
            read(csv, name="warm.csv", coord_system=system, extent=extent, limits=None)
    buffer = io.BytesIO()
    pd.DataFrame({"id": ["1"], "lon": [115.9], "lat": [28.66]}).to_excel(buffer, index=False)
    read(buffer.getvalue(), name="warm.xlsx", extent=extent, limits=None)
    square = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[shapely.box(115.9, 28.6, 116.0, 28.7)], crs="EPSG:4326"
    )
    read(square.to_json().encode(), name="warm.geojson", extent=extent, limits=None)
    _io_worker._pack(square)  # the worker's own answer, warmed too


with warnings.catch_warnings(), contextlib.suppress(Exception):
    warnings.simplefilter("ignore")
    _warm()
