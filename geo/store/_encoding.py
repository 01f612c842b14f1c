"""The feature encoding both back ends share: a GeoDataFrame as exact plain values and back.

Split from :mod:`geo.store._base` (the interface and its errors). :func:`encode` checks a
GeoDataFrame and turns each feature into a JSON object of exact values plus a geometry in
EPSG:4326; :func:`decode` rebuilds the same frame (values, dtypes, column and row order,
a named index) from what a back end stored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo._errors import InputError
from geo._say import listing
from geo.messages import Text, text

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["RESERVED_COLUMNS", "WGS84", "Encoded", "decode", "dump_schema", "encode"]


WGS84: Final = "EPSG:4326"
# Column names the store uses itself in the feature tables.
RESERVED_COLUMNS: Final = frozenset({"fid", "geom"})


@dataclass(frozen=True)
class Encoded:
    """A GeoDataFrame turned into plain values both back ends can store exactly."""

    schema: list[dict[str, str]]
    index_names: list[str]
    columns: list[list[Any]]
    properties: list[str]
    geometry: np.ndarray[Any, Any]
    kinds: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Column names in order."""
        return [c["name"] for c in self.schema]

    def __len__(self) -> int:
        return len(self.properties)


def _kind(name: str, series: pd.Series) -> str:
    """Classify a column as one of the storable kinds, or raise InputError naming it."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if isinstance(dtype, pd.StringDtype):
        return "str"
    if pd.api.types.is_object_dtype(dtype):
        bad = series[series.notna() & ~series.map(lambda v: isinstance(v, str))]
        if bad.empty:
            return "str"
        first = bad.iloc[0]
        raise InputError(
            text(
                "geo.store.column_values",
                name=name,
                type=type(first).__name__,
                row=bad.index[0],
                value=first,
            )
        )
    raise InputError(text("geo.store.column_dtype", name=name, dtype=dtype))


def _plain_values(kind: str, series: pd.Series) -> list[Any]:
    """Return JSON-safe Python values of a column (None for missing)."""
    if kind == "datetime":
        dt = series
        if getattr(dt.dtype, "tz", None) is not None:
            stamps = dt.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        else:
            stamps = dt.dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
        return [None if pd.isna(v) else v for v in stamps.astype(object).tolist()]
    if kind == "float":
        values = series.astype("float64").to_numpy(na_value=np.nan)
        if np.isinf(values).any():
            row = series.index[np.isinf(values)][0]
            raise InputError(text("geo.store.infinite", name=series.name, row=row))
        return [None if math.isnan(v) else v for v in values.tolist()]
    plain = series.astype(object)
    out = plain.where(plain.notna(), None).tolist()
    if kind == "int":
        return [None if v is None else int(v) for v in out]
    if kind == "bool":
        return [None if v is None else bool(v) for v in out]
    return out


def encode(gdf: gpd.GeoDataFrame, *, what: str = "data") -> Encoded:
    """Check a GeoDataFrame and turn it into exact plain values in EPSG:4326.

    A named index is kept as columns (and restored on reading); a default index is not
    stored: rows come back in the same order with a RangeIndex.
    """
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(text("geo.store.not_gdf", what=what, type=type(gdf).__name__))
    if gdf._geometry_column_name not in gdf.columns:
        raise InputError(text("geo.store.no_geometry", what=what))
    if gdf.crs is None:
        raise InputError(text("geo.store.no_crs", what=what))
    index_names: list[str] = []
    frame = gdf
    if not (isinstance(gdf.index, pd.RangeIndex) and all(n is None for n in gdf.index.names)):
        index_names = [str(n) if n is not None else "index" for n in gdf.index.names]
        frame = gdf.reset_index(names=index_names)
    frame = frame.to_crs(WGS84) if not frame.crs.equals(WGS84) else frame
    geom_name = frame.geometry.name
    # Column names are stored as text (a column called 2024 comes back as "2024").
    renames = {c: str(c) for c in frame.columns if c != geom_name and not isinstance(c, str)}
    if renames:
        frame = frame.rename(columns=renames)
    names = [c for c in frame.columns if c != geom_name]
    _check_names(names, what)
    others = [c for c in names if isinstance(frame[c].dtype, gpd.array.GeometryDtype)]
    if others:
        raise InputError(text("geo.store.geometries", what=what, names=listing(others)))
    schema: list[dict[str, str]] = []
    kinds: list[str] = []
    columns: list[list[Any]] = []
    for name in names:
        series = frame[name]
        kind = _kind(name, series)
        kinds.append(kind)
        schema.append({"name": name, "dtype": str(series.dtype), "kind": kind})
        columns.append(_plain_values(kind, series))
    properties = (
        [
            json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, allow_nan=False)
            for row in zip(*columns, strict=True)
        ]
        if names
        else ["{}"] * len(frame)
    )
    return Encoded(
        schema=schema,
        index_names=index_names,
        columns=columns,
        properties=properties,
        geometry=np.asarray(frame.geometry.array, dtype=object),
        kinds=kinds,
    )


def _check_names(names: Sequence[str], what: str) -> None:
    problems = [
        text("geo.store.name.reserved", name=n) for n in names if n.lower() in RESERVED_COLUMNS
    ]
    seen: dict[str, str] = {}
    for n in names:
        if n.lower() in seen:
            problems.append(text("geo.store.name.case", name=n, other=seen[n.lower()]))
        seen[n.lower()] = n
    problems += [text("geo.store.name.empty", name=n) for n in names if not n.strip()]
    if problems:
        both = _joined(problems, "geo.list.semicolon")
        raise InputError(text("geo.store.names", what=what, problems=both))


def _joined(parts: Sequence[Text], sep: str) -> Text:
    """Join texts with the separator ``sep`` (a ``geo.list.*`` key) of each language."""
    between = text(sep)
    return Text(en=between.en.join(p.en for p in parts), zh=between.zh.join(p.zh for p in parts))


def decode(
    schema: Mapping[str, Any], properties: Sequence[str], geometry: Sequence[Any]
) -> gpd.GeoDataFrame:
    """Rebuild the GeoDataFrame that :func:`encode` was given (EPSG:4326)."""
    import geopandas as gpd

    columns = schema["columns"]
    names = [c["name"] for c in columns]
    records = json.loads("[" + ",".join(properties) + "]") if properties else []
    raw = pd.DataFrame.from_records(records, columns=names) if names else None
    data: dict[str, Any] = {}
    for col in columns:
        assert raw is not None
        values = raw[col["name"]]
        data[col["name"]] = _restore(col["kind"], col["dtype"], values)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(properties)))
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(list(geometry), crs=WGS84), crs=WGS84)
    index_names = list(schema.get("index", []))
    if index_names:
        gdf = gdf.set_index(index_names)
        gdf.index.names = [None if n == "index" else n for n in index_names]
    return gdf


def _restore(kind: str, dtype: str, values: pd.Series) -> pd.Series:
    target = pd.api.types.pandas_dtype(dtype)
    if kind == "datetime":
        tz = getattr(target, "tz", None)
        parsed = pd.to_datetime(values.astype(object), format="ISO8601", utc=tz is not None)
        if tz is not None:
            parsed = parsed.dt.tz_convert(tz)
        return parsed.astype(target)
    if kind == "str":
        plain = values.astype(object)
        return plain.where(plain.notna(), None).astype(target)
    return values.astype(target)


def dump_schema(encoded: Encoded) -> str:
    """Return the JSON text kept in ``store_versions.schema``."""
    return json.dumps({"columns": encoded.schema, "index": encoded.index_names}, ensure_ascii=False)
