"""Reading a source chunk by chunk: local CSV files and (Geo)Parquet in bounded memory.

Each chunk goes through the same record checks as a whole file (:func:`table_records`
for tables, :func:`geo._io_vector.check_geometries` for geometries). What spans chunks is
carried from one to the next: the header, checked once; the row count, so problems name
the file's own rows; and the ids seen so far, so a repeat is found whichever chunk holds
it. Other formats (XLSX, GeoJSON, GeoPackage, Shapefile, KML) come as one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from geo._errors import InputError
from geo._io_checks import PROBLEM_COLUMNS, CoordSpec, Extent, Problems
from geo._io_csv import csv_frames
from geo._io_parquet import parquet_chunks
from geo._io_seen import SeenIds
from geo._io_source import Source
from geo._io_table import TableLayout, read_table, table_layout, table_records
from geo._io_vector import read_vector
from geo.crs import WGS84
from geo.messages import text

__all__ = ["Chunk", "chunks", "concat"]

Chunk = tuple[gpd.GeoDataFrame, pd.DataFrame, npt.NDArray[np.int64]]
"""A chunk's data (EPSG:4326, RangeIndex), its problems and each kept record's row."""


def chunks(
    src: Source,
    *,
    spec: CoordSpec,
    layer: str | None,
    extent: Extent | None,
    id_column: str | None,
    chunk_rows: int | None,
) -> Iterator[Chunk]:
    """Yield the source's records in chunks of at most ``chunk_rows`` rows.

    ``chunk_rows=None`` reads the source at once (one chunk). Local CSV files and
    (Geo)Parquet are read in chunks; other formats always come as one chunk. Chunks
    without records (only blank lines) are not yielded. A local CSV file is read by
    pandas from the file, also at once; an uploaded one is decoded in memory first.

    Raises
    ------
    geo.InputError
        As :func:`geo.io.read`; for a chunked file possibly only when the chunk with the
        problem is reached.
    """
    if src.fmt == "parquet":
        yield from parquet_chunks(
            src, spec=spec, extent=extent, id_column=id_column, chunk_rows=chunk_rows
        )
    elif src.fmt == "csv" and src.path is not None:
        yield from _csv_chunks(
            src, spec=spec, extent=extent, id_column=id_column, chunk_rows=chunk_rows
        )
    elif src.fmt in ("csv", "xlsx"):
        yield read_table(src, spec=spec, layer=layer, extent=extent, id_column=id_column)
    else:
        yield read_vector(src, spec=spec, layer=layer, extent=extent, id_column=id_column)


def _csv_chunks(
    src: Source,
    *,
    spec: CoordSpec,
    extent: Extent | None,
    id_column: str | None,
    chunk_rows: int | None,
) -> Iterator[Chunk]:
    names, frames = csv_frames(src, chunk_rows=chunk_rows)
    layout: TableLayout | None = None
    # The ids of earlier chunks, to find repeats across chunks (not needed at once).
    seen: SeenIds | None = None if chunk_rows is None else SeenIds()
    records = 0
    for raw in frames:
        raw.columns = [str(c) for c in raw.columns]
        # pandas' index runs on across chunks: the header is row 1, the first record row 2.
        labels = raw.index.to_numpy(dtype=np.int64) + 2
        # Wholly blank lines are not records: dropped, but row numbers keep counting them.
        keep = ~raw.isna().all(axis=1).to_numpy(dtype=bool)
        if not keep.any():
            continue
        df = raw.loc[keep].reset_index(drop=True)
        if layout is None:
            # The header is checked once records appear, as for a whole file (a file of
            # blank lines is "no data rows", whatever its header).
            layout = table_layout(list(df.columns), names, src.display, id_column=id_column)
        problems = Problems()
        data, rows = table_records(
            df,
            labels[keep],
            layout,
            src.display,
            spec=spec,
            extent=extent,
            problems=problems,
            seen_ids=seen,
        )
        records += len(df)
        yield data, problems.frame(), rows
    if not records:
        raise InputError(text("geo.table.no_rows", file=src.display))


def concat(parts: Iterator[Chunk]) -> Chunk:
    """Join chunks into one: the data with a new RangeIndex, problems still by row."""
    datas: list[gpd.GeoDataFrame] = []
    problems: list[pd.DataFrame] = []
    rows: list[npt.NDArray[np.int64]] = []
    for data, found, kept in parts:
        datas.append(data)
        problems.append(found)
        rows.append(kept)
    if len(datas) == 1:
        return datas[0], problems[0], rows[0]
    if not datas:
        empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84))
        return empty, pd.DataFrame(columns=list(PROBLEM_COLUMNS)), np.zeros(0, dtype=np.int64)
    data = gpd.GeoDataFrame(pd.concat(datas, ignore_index=True), crs=WGS84)
    listed = [p for p in problems if len(p)]
    found = pd.concat(listed, ignore_index=True) if listed else problems[0]
    return data, found, np.concatenate(rows)
