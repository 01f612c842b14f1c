"""Files of a streamed check: finding the partitions, reading them as arrays, writing results.

A partition is one GeoParquet file of a dataset (or one chunk of rows of a big CSV). What
the check needs of it travels as plain arrays (:class:`Arrays`): WGS 84 longitude and
latitude, precision in metres, the segment keys and the id. GeoParquet points are decoded
without building shapely objects: a little-endian 2-D WKB point is 21 bytes with the
coordinates at fixed offsets, so a column of them is read as one strided float64 view; the
native GeoArrow ``point`` encoding is already two float arrays. Anything else (big-endian,
3-D, EWKB, non-points) goes through ``shapely.from_wkb`` and gives the same answer.

Whether a file can hold any point of the study area is decided from its footer only: the
``bbox`` of the geometry column in the GeoParquet ``geo`` metadata, or else the row-group
statistics of the GeoParquet 1.1 bbox covering column. A file whose box misses the extent
is skipped without reading its rows.

Each result file is written under a temporary name and renamed into place when complete,
so an existing result file is a complete one; its footer records the input's size and
modification time and the partition's verdict counts, so a re-run can skip it and still
add its counts to the summary.
"""

from __future__ import annotations

import functools
import glob
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geo import InputError

__all__ = [
    "Arrays",
    "Partition",
    "bbox_misses",
    "completed_counts",
    "partitions",
    "read_parquet_arrays",
    "write_result",
]

FloatArray = npt.NDArray[np.float64]
_WKB_POINT_BYTES: Final = 21
_ID_COLUMNS: Final = ("id", "编号", "代码")
COUNTS_KEY: Final = b"zoning.stream.counts"
SOURCE_KEY: Final = b"zoning.stream.source"


@dataclass(frozen=True)
class Partition:
    """One unit of work: a GeoParquet file, or chunk ``chunk`` of a CSV file."""

    path: str
    chunk: int | None = None

    @property
    def name(self) -> str:
        """How reports name it: the file name (and the chunk of a CSV)."""
        base = Path(self.path).name
        return base if self.chunk is None else f"{base}#{self.chunk}"

    @property
    def out_name(self) -> str:
        """The result file's name in the output folder."""
        stem = Path(self.path).stem
        return f"{stem}.parquet" if self.chunk is None else f"{stem}-part{self.chunk:05d}.parquet"


class Arrays(NamedTuple):
    """A partition's rows as the check reads them (WGS 84, NaN where unlocated)."""

    lon: FloatArray
    lat: FloatArray
    precision: FloatArray  # metres; NaN where missing
    segment: pd.Series  # chain keys (categorical from GeoParquet: factorised cheaply)
    ids: pd.Series | pa.ChunkedArray | None  # Arrow straight from a file: no pandas per row


def partitions(source: str | os.PathLike[str]) -> tuple[list[str], str]:
    """Return the files of ``source`` (a folder, a glob or one file) and their kind.

    The kind is ``"parquet"`` or ``"csv"``; a dataset mixes neither kinds nor folders.
    """
    text = os.fspath(source)
    path = Path(text)
    if path.is_dir():
        files = sorted(str(p) for p in path.glob("*.parquet") if p.is_file())
        where = f"the folder {text}"
    elif path.is_file():
        files = [text]
        where = text
    else:
        files = sorted(p for p in glob.glob(text) if Path(p).is_file())  # noqa: PTH207
        where = f"the pattern {text}"
    if not files:
        msg = (
            f"no input files in {where}: name a folder of GeoParquet files (*.parquet), "
            "a glob such as 'registry/*.parquet', or one CSV or GeoParquet file"
        )
        raise InputError(msg)
    kinds = {Path(f).suffix.lower() for f in files}
    if kinds <= {".parquet", ".geoparquet"}:
        return files, "parquet"
    if kinds == {".csv"} and len(files) == 1:
        return files, "csv"
    msg = (
        f"{where} holds {', '.join(sorted(kinds))} files: a dataset is GeoParquet files "
        "(.parquet) or one CSV file"
    )
    raise InputError(msg)


def _geo(meta: pq.FileMetaData) -> dict[str, Any] | None:
    raw = (meta.metadata or {}).get(b"geo")
    return None if raw is None else dict(json.loads(raw))


def file_bbox(path: str) -> tuple[float, float, float, float] | None:
    """Return the WGS 84 box of a GeoParquet file's geometries from its footer, or None.

    None when the footer does not say (no ``bbox`` and no covering statistics), or the
    geometry column is not in longitude/latitude (a box in other units cannot be compared).
    """
    meta = pq.read_metadata(path)
    geo = _geo(meta)
    if not geo:
        return None
    name = geo.get("primary_column", "geometry")
    column = geo.get("columns", {}).get(name, {})
    if not _lonlat(column.get("crs")):
        return None
    box = column.get("bbox")
    if isinstance(box, list) and len(box) in (4, 6):
        half = len(box) // 2
        return (float(box[0]), float(box[1]), float(box[half]), float(box[half + 1]))
    covering = column.get("covering", {}).get("bbox")
    return None if not covering else _covering_box(meta, covering)


def _lonlat(crs: Any) -> bool:
    """Tell whether a GeoParquet ``crs`` member is longitude/latitude on WGS 84."""
    if crs is None:  # the GeoParquet default: OGC:CRS84
        return True
    # Parsing a PROJJSON CRS costs ~50 ms and every file of a dataset repeats the same one.
    return _lonlat_text(json.dumps(crs, sort_keys=True))


@functools.lru_cache(maxsize=16)
def _lonlat_text(text: str) -> bool:
    import pyproj

    crs = json.loads(text)
    try:
        parsed = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        return False
    return bool(parsed.equals(pyproj.CRS("OGC:CRS84")) or parsed.to_epsg() in (4326, 4490))


def _covering_box(
    meta: pq.FileMetaData, covering: dict[str, list[str]]
) -> tuple[float, float, float, float] | None:
    """Union of the row groups' statistics of the covering's xmin/ymin/xmax/ymax columns."""
    paths = {k: ".".join(v) for k, v in covering.items()}
    where = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    if not all(p in where for p in paths.values()):
        return None
    low = {"xmin": np.inf, "ymin": np.inf}
    high = {"xmax": -np.inf, "ymax": -np.inf}
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for key in (*low, *high):
            stats = group.column(where[paths[key]]).statistics
            if stats is None or not stats.has_min_max:
                return None
            if key in low:
                low[key] = min(low[key], float(stats.min))
            else:
                high[key] = max(high[key], float(stats.max))
    return (low["xmin"], low["ymin"], high["xmax"], high["ymax"])


def bbox_misses(path: str, extent: tuple[float, float, float, float]) -> bool:
    """Tell whether the footer proves no geometry of ``path`` lies in ``extent``."""
    box = file_bbox(path)
    if box is None:
        return False
    return box[2] < extent[0] or box[0] > extent[2] or box[3] < extent[1] or box[1] > extent[3]


def read_parquet_arrays(path: str) -> Arrays:
    """Read the columns the check needs from a GeoParquet file, as plain arrays.

    Raises
    ------
    geo.InputError
        If the file has no GeoParquet metadata or no ``segment`` column.
    """
    parquet = pq.ParquetFile(path)
    geo = _geo(parquet.metadata)
    name = Path(path).name
    if not geo:
        msg = f"{name} has no GeoParquet `geo` metadata: write it with geopandas' to_parquet"
        raise InputError(msg)
    geometry = str(geo.get("primary_column", "geometry"))
    column = geo.get("columns", {}).get(geometry, {})
    names = set(parquet.schema_arrow.names)
    if "segment" not in names:
        msg = f"{name} has no `segment` column: add one with a chain key per row"
        raise InputError(msg)
    id_col = next((c for c in names if c.lower() in _ID_COLUMNS), None)
    wanted = [geometry, "segment"] + [c for c in ("precision_m", id_col) if c and c in names]
    # The segment keys come dictionary-encoded (a few distinct keys per file): pandas gets
    # a categorical, which the kernel and the counts factorise without hashing each row.
    by_key = pq.ParquetFile(path, metadata=parquet.metadata, read_dictionary=["segment"])
    table = by_key.read(columns=wanted)
    lon, lat = _coordinates(table.column(geometry), str(column.get("encoding", "WKB")))
    if not _lonlat(column.get("crs")):
        import pyproj

        to_wgs = pyproj.Transformer.from_crs(column["crs"], "OGC:CRS84", always_xy=True)
        lon, lat = (np.asarray(v, dtype=np.float64) for v in to_wgs.transform(lon, lat))
    ok = np.isfinite(lon) & np.isfinite(lat)
    prec = (
        table.column("precision_m").to_numpy(zero_copy_only=False).astype(np.float64)
        if "precision_m" in wanted
        else np.full(len(lon), np.nan)
    )
    return Arrays(
        np.where(ok, lon, np.nan),
        np.where(ok, lat, np.nan),
        prec,
        table.column("segment").to_pandas(),
        table.column(id_col) if id_col else None,
    )


def _coordinates(values: pa.ChunkedArray, encoding: str) -> tuple[FloatArray, FloatArray]:
    """Decode a geometry column into x and y arrays (NaN for null, empty or non-points)."""
    xs: list[FloatArray] = []
    ys: list[FloatArray] = []
    for chunk in values.chunks:
        if encoding.lower() == "point":
            x = chunk.field("x").to_numpy(zero_copy_only=False).astype(np.float64)
            y = chunk.field("y").to_numpy(zero_copy_only=False).astype(np.float64)
            if chunk.null_count:
                nulls = chunk.is_null().to_numpy(zero_copy_only=False)
                x, y = np.where(nulls, np.nan, x), np.where(nulls, np.nan, y)
        else:
            x, y = _wkb_points(chunk)
        xs.append(x)
        ys.append(y)
    if not xs:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(xs), np.concatenate(ys)


def _wkb_points(chunk: pa.Array) -> tuple[FloatArray, FloatArray]:
    """Decode WKB points: fixed offsets when every value is a little-endian 2-D point."""
    n = len(chunk)
    if n and not chunk.null_count and pa.types.is_binary(chunk.type):
        buffers = chunk.buffers()
        offsets = np.frombuffer(buffers[1], dtype=np.int32)[chunk.offset : chunk.offset + n + 1]
        if bool((np.diff(offsets) == _WKB_POINT_BYTES).all()):
            data = np.frombuffer(buffers[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
            block = data.reshape(n, _WKB_POINT_BYTES)
            header = block[:, :5]
            if bool((header == np.array([1, 1, 0, 0, 0], dtype=np.uint8)).all()):
                x = block[:, 5:13].copy().view("<f8").reshape(n)
                y = block[:, 13:21].copy().view("<f8").reshape(n)
                return x.astype(np.float64), y.astype(np.float64)
    import shapely

    geoms = shapely.from_wkb(chunk.to_numpy(zero_copy_only=False), on_invalid="ignore")
    # get_x/get_y are NaN for None and for anything that is not a Point, as in the check.
    return (
        np.asarray(shapely.get_x(geoms), dtype=np.float64),
        np.asarray(shapely.get_y(geoms), dtype=np.float64),
    )


def wkb_points(lon: FloatArray, lat: FloatArray) -> pa.Array:
    """Encode points as little-endian WKB, null where unlocated, without shapely objects."""
    n = len(lon)
    block = np.zeros((n, _WKB_POINT_BYTES), dtype=np.uint8)
    block[:, 0] = 1
    block[:, 1] = 1
    block[:, 5:13] = np.ascontiguousarray(lon, dtype="<f8").view(np.uint8).reshape(n, 8)
    block[:, 13:21] = np.ascontiguousarray(lat, dtype="<f8").view(np.uint8).reshape(n, 8)
    offsets = np.arange(0, (n + 1) * _WKB_POINT_BYTES, _WKB_POINT_BYTES, dtype=np.int32)
    valid = np.isfinite(lon) & np.isfinite(lat)
    mask = None if valid.all() else pa.array(valid).buffers()[1]
    return pa.Array.from_buffers(
        pa.binary(),
        n,
        [mask, pa.py_buffer(offsets), pa.py_buffer(block.reshape(-1))],
        null_count=int(n - valid.sum()),
    )


def _source_stamp(path: str) -> str:
    stat = Path(path).stat()
    return json.dumps({"size": stat.st_size, "mtime_ns": stat.st_mtime_ns})


def write_result(table: pa.Table, target: Path, part: Partition, counts: list[list[Any]]) -> None:
    """Write one partition's results atomically, with its counts and source in the footer."""
    lon_lat = [float(v) for v in _bounds(table)]
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"], "bbox": lon_lat}},
    }
    meta = dict(table.schema.metadata or {})
    meta[b"geo"] = json.dumps(geo).encode()
    meta[COUNTS_KEY] = json.dumps(counts).encode()
    meta[SOURCE_KEY] = _source_stamp(part.path).encode()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        # Dictionary pages only for the few-valued columns (ids, floats and WKB would try
        # and fall back), statistics only for the numbers: about 40 % less writing time.
        coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
        numbers = [
            f.name
            for f in table.schema
            if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)
        ]
        pq.write_table(
            table.replace_schema_metadata(meta),
            tmp,
            row_group_size=65_536,
            use_dictionary=coded,
            write_statistics=numbers,
        )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _bounds(table: pa.Table) -> Iterator[float]:
    lon = table.column("lon").to_numpy(zero_copy_only=False)
    lat = table.column("lat").to_numpy(zero_copy_only=False)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        yield from (0.0, 0.0, 0.0, 0.0)
        return
    yield from (lon[ok].min(), lat[ok].min(), lon[ok].max(), lat[ok].max())


def completed_counts(target: Path, part: Partition) -> list[list[Any]] | None:
    """Return the counts of a complete result of ``part`` made from the same input, or None."""
    if not target.is_file():
        return None
    try:
        meta = pq.read_metadata(target).metadata or {}
    except (OSError, pa.ArrowException):
        return None
    if meta.get(SOURCE_KEY, b"").decode() != _source_stamp(part.path):
        return None
    raw = meta.get(COUNTS_KEY)
    return None if raw is None else list(json.loads(raw))
