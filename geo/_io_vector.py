"""Reading vector files: GeoJSON, GeoPackage, zipped Shapefile and KML (via pyogrio/GDAL).

GDAL only ever opens absolute paths of files checked by :mod:`geo._io_source` or written
here, under names chosen here, inside a private temporary folder removed afterwards.

Nothing is lost on the way: an archive naming a member twice (or twice but for case) is
refused, a Shapefile whose parts hold different numbers of records is refused, and the
features read are counted against the number the driver reports. GeoPackages are opened
read-only (immutable, so a read-only mount is readable) and a layer that is an SQL view
is refused (a view is computed when read, and a recursive one never finishes). Those
checks and the reading itself are in :mod:`geo._io_gdal_files`; this module chooses what to
open and checks the geometries read.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely

from geo._errors import InputError
from geo._io_checks import (
    ID_COLUMNS,
    KEPT,
    REJECTED,
    REPAIRED,
    CoordSpec,
    CRSHint,
    Extent,
    Problems,
    describe_extent,
    duplicate_ids,
    find_column,
    refuse_projected,
)
from geo._io_gdal_files import (
    CORRUPT,
    check_shapefile_parts,
    choose_layer,
    read_shapefile,
    read_text,
    refuse_clashing_members,
)
from geo._io_source import Source, check_zip, extract_shapefile
from geo._say import at
from geo.crs import WGS84, convert_geometry
from geo.messages import Text, text

__all__ = ["check_geometries", "read_vector"]

BoolArray = npt.NDArray[np.bool_]
_SUFFIX: Final = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml"}
_SHOWN: Final = 60
# KML NetworkLink elements make the LIBKML driver fetch remote documents.
_NETWORK_LINK: Final = re.compile(rb"<\s*(?:\w+:)?NetworkLink\b", re.IGNORECASE)
# Plain KML never needs a DTD; entity declarations are the XML bomb and XXE vector.
_DOCTYPE: Final = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _wkt_shown(geom: object) -> str:
    if geom is None:
        return ""
    text = str(shapely.to_wkt(geom, rounding_precision=6))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _bbox_hits(bounds: npt.NDArray[np.float64], extent: Extent) -> BoolArray:
    x0, y0, x1, y1 = extent.bounds
    with np.errstate(invalid="ignore"):
        hits: BoolArray = (
            (bounds[:, 0] <= x1)
            & (bounds[:, 2] >= x0)
            & (bounds[:, 1] <= y1)
            & (bounds[:, 3] >= y0)
        )
    return hits


@dataclass(frozen=True)
class _Report:
    """Where problems go and how records are named in them."""

    problems: Problems
    labels: npt.NDArray[np.int64]
    label_word: str
    display: str
    column: str

    def add(
        self, i: int | np.integer, geom: object, key: str, action: str, **values: object
    ) -> None:
        """Record message ``key`` for record ``i``, prefixed with the row or feature."""
        label = self.labels[i]
        where = at(self.display, label, feature=self.label_word == "feature")
        message = text(key, at=where, **values)
        self.problems.add(label, self.column, _wkt_shown(geom), message, action)


def check_geometries(
    gdf: gpd.GeoDataFrame,
    *,
    labels: npt.NDArray[np.int64],
    label_word: str,
    display: str,
    spec: CoordSpec,
    extent: Extent | None,
    problems: Problems,
    skip: BoolArray | None = None,
    column: str = "geometry",
) -> gpd.GeoDataFrame:
    """Bring geometries to WGS 84 and report (and unlocate) the unusable ones.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometries in their source CRS (None when the file declares none).
    labels : numpy.ndarray
        The number reported for each record (feature number or spreadsheet row).
    label_word : str
        "feature" or "row", for messages.
    display : str
        The file's name, for messages.
    spec : CoordSpec
        The resolved ``coord_system`` argument.
    extent : Extent or None
        Where the records are expected (None: anywhere).
    problems : Problems
        Receives one row per problem.
    skip : numpy.ndarray of bool, optional
        Records whose missing geometry was already reported.
    column : str
        The column named in problems (a table's WKT column, else "geometry").

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326 with ``None`` for every unlocated record.
    """
    # The vertex budget first, on the shapes as parsed: the repair below grows with them.
    # Imported here: the guard imports the readers.
    from geo._io_guard import spend_vertices

    spend_vertices(gdf.geometry.array, labels=labels, feature=label_word == "feature")
    report = _Report(problems, labels, label_word, display, column)
    geoms = np.asarray(gdf.geometry.array, dtype=object).copy()
    skip = np.zeros(len(gdf), dtype=bool) if skip is None else skip
    missing = np.asarray(pd.isna(geoms) | shapely.is_empty(geoms), dtype=bool)
    if missing.all() and not skip.all():
        units = text("geo.word.features" if label_word == "feature" else "geo.word.rows")
        raise InputError(text("geo.vector.no_geometry", file=display, n=len(gdf), units=units))
    for i in np.flatnonzero(missing & ~skip):
        report.add(i, geoms[i], "geo.vector.empty_geometry", KEPT)
    geoms[missing] = None
    hints = () if extent is None else extent.crs_hints
    geoms, geographic = _to_wgs84(geoms, gdf.crs, spec, display, hints=hints)
    located = _check_positions(geoms, ~missing, geographic, extent, report)
    geoms[~located] = None
    geoms = _repair(geoms, located, report)
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=WGS84))


def _to_wgs84(
    geoms: npt.NDArray[np.object_],
    source_crs: object,
    spec: CoordSpec,
    display: str,
    *,
    hints: Sequence[CRSHint],
) -> tuple[npt.NDArray[np.object_], bool]:
    """Transform to WGS 84; refuse metres that come without a CRS.

    Returns the geometries and whether the source was longitude/latitude.
    """
    crs = pyproj.CRS.from_user_input(source_crs) if source_crs is not None else None
    if crs is None and spec.system == "crs":
        crs = spec.crs
    geographic = crs is None or crs.is_geographic
    present = ~pd.isna(geoms)
    if geographic:
        # GDAL labels GeoJSON without a crs member as WGS 84 whatever its numbers are.
        box = shapely.bounds(geoms[present])
        refuse_projected(
            (box[:, 0] + box[:, 2]) / 2,
            (box[:, 1] + box[:, 3]) / 2,
            display,
            what=text("geo.projected.coordinates"),
            hints=hints,
        )
    if crs is None:
        crs = pyproj.CRS.from_user_input(WGS84)
    offset = spec.system in ("gcj02", "bd09")
    if offset and not crs.is_geographic:
        raise InputError(
            text(
                "geo.vector.offset_projected",
                file=display,
                crs=crs.to_string(),
                system=spec.system,
            )
        )
    series = gpd.GeoSeries(geoms, crs=crs)
    if not crs.equals(pyproj.CRS.from_user_input(WGS84)):
        series = series.to_crs(WGS84)
    out = np.asarray(series.array, dtype=object).copy()
    if offset and present.any():
        out[present] = convert_geometry(out[present], src=spec.system, dst="wgs84")
    return out, geographic


def _check_positions(
    geoms: npt.NDArray[np.object_],
    present: BoolArray,
    geographic: bool,
    extent: Extent | None,
    report: _Report,
) -> BoolArray:
    """Report swapped, impossible and out-of-extent geometries; return the usable ones."""
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        in_range = (
            np.isfinite(bounds).all(axis=1)
            & (np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1)
            & (np.abs(bounds[:, [1, 3]]) <= 90).all(axis=1)
        )
    swapped = np.zeros(len(geoms), dtype=bool)
    outside = np.zeros(len(geoms), dtype=bool)
    where: Text | str = describe_extent(extent) if extent is not None else ""
    if extent is not None:
        hits = _bbox_hits(bounds, extent)
        if geographic:
            swapped = present & ~hits & _bbox_hits(bounds[:, [1, 0, 3, 2]], extent)
        outside = present & in_range & ~hits & ~swapped
    out_of_range = present & ~in_range & ~swapped
    for i in np.flatnonzero(swapped):
        report.add(i, geoms[i], "geo.vector.swapped", KEPT, where=where)
    for i in np.flatnonzero(out_of_range):
        report.add(i, geoms[i], "geo.vector.not_on_earth", KEPT)
    for i in np.flatnonzero(outside):
        report.add(i, geoms[i], "geo.vector.outside", KEPT, where=where)
    located: BoolArray = present & ~swapped & ~out_of_range & ~outside
    return located


def _repair(
    geoms: npt.NDArray[np.object_], located: BoolArray, report: _Report
) -> npt.NDArray[np.object_]:
    """Repair invalid geometries with make_valid, reporting each one."""
    invalid = located & ~np.asarray(shapely.is_valid(geoms), dtype=bool)
    if not invalid.any():
        return geoms
    out = geoms.copy()
    reasons = shapely.is_valid_reason(geoms[invalid])
    # "structure" keeps polygons polygonal (no stray boundary lines) and drops collapsed parts.
    fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    for i, reason, new in zip(np.flatnonzero(invalid), reasons, fixed, strict=True):
        if shapely.is_empty(new):
            report.add(i, geoms[i], "geo.vector.collapses", KEPT, reason=reason)
            out[i] = None
        else:
            report.add(i, geoms[i], "geo.vector.repaired", REPAIRED, reason=reason)
            out[i] = new
    return out


_GEOMETRY_TYPES: Final = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def _check_geojson(data: bytes, display: str) -> object:
    """Parse GeoJSON before GDAL sees it; refuse what is not JSON or not GeoJSON.

    GDAL's own messages for these cases name the file's temporary path and advise a
    driver prefix; this names the file, the place of a syntax error and the expected form.

    Returns
    -------
    object
        The parsed document (a dict), reused to recover the features' ids.
    """
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(
            text(
                "geo.geojson.not_json",
                file=display,
                error=exc.msg,
                line=exc.lineno,
                col=exc.colno,
            )
        ) from None
    except UnicodeDecodeError:
        raise InputError(text("geo.vector.not_utf8", file=display)) from None
    except RecursionError:
        # Arrays or objects nested thousands deep: no GeoJSON needs more than a few levels.
        raise InputError(text("geo.lossless.json_depth", file=display)) from None
    shape = text("geo.geojson.shape")
    if not isinstance(doc, dict):
        what = {
            list: "geo.json.list",
            str: "geo.json.string",
            bool: "geo.json.bool",
            type(None): "geo.json.null",
        }.get(type(doc), "geo.json.number")
        raise InputError(text("geo.geojson.top_level", file=display, what=text(what), shape=shape))
    kind = doc.get("type")
    if kind == "FeatureCollection":
        if not isinstance(doc.get("features"), list):
            raise InputError(text("geo.geojson.no_features", file=display, shape=shape))
    elif kind != "Feature" and kind not in _GEOMETRY_TYPES:
        found = (
            text("geo.geojson.type_is", kind=kind) if "type" in doc else text("geo.geojson.no_type")
        )
        raise InputError(text("geo.geojson.not_geojson", file=display, found=found, shape=shape))
    return doc


def _load(src: Source, layer: str | None, folder: Path) -> gpd.GeoDataFrame:
    """Open the source with GDAL, from files under ``folder`` where it must be written."""
    data = src.read_bytes() if src.fmt in ("zip", "kml") or src.data is not None else None
    empty = (data is not None and not data) or (
        src.path is not None and not src.path.stat().st_size
    )
    if empty:
        raise InputError(text("geo.vector.empty", file=src.display))
    if src.fmt == "zip":
        assert data is not None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = check_zip(zf, src.display)
                refuse_clashing_members(infos, src.display)
                shp, has_cpg, shp_name = extract_shapefile(
                    zf, infos, layer=layer, display=src.display, dest=folder
                )
        except zipfile.BadZipFile:
            raise InputError(text("geo.zip.bad", file=src.display)) from None
        check_shapefile_parts(shp, src.display, shp_name)
        return read_shapefile(shp, has_cpg, src.display, shp_name)
    if src.fmt == "kml" and data is not None and _NETWORK_LINK.search(data):
        raise InputError(text("geo.kml.network_link", file=src.display))
    if src.fmt == "kml" and data is not None and _DOCTYPE.search(data):
        raise InputError(text("geo.kml.doctype", file=src.display))
    if src.path is not None:
        path = src.path
    else:
        assert data is not None
        path = folder / f"upload{_SUFFIX[src.fmt]}"
        path.write_bytes(data)
    if src.fmt != "geojson":
        return read_text(path, src.display, choose_layer(path, layer, src.display))
    doc = _check_geojson(path.read_bytes() if data is None else data, src.display)
    gdf = read_text(path, src.display, None)
    return _with_feature_ids(gdf, doc)


def _with_feature_ids(gdf: gpd.GeoDataFrame, doc: object) -> gpd.GeoDataFrame:
    """Keep GeoJSON's top-level feature ids as an ``id`` column.

    GDAL turns integer feature ids into its internal feature ids, renumbering repeats
    ("altering it to be unique"), so they would vanish and duplicates go unseen. String
    ids already arrive as an ``id`` column.
    """
    if "id" in gdf.columns or not isinstance(doc, dict):
        return gdf
    features = doc.get("features")
    if not isinstance(features, list) or len(features) != len(gdf):
        return gdf
    ids = [f.get("id") if isinstance(f, dict) else None for f in features]
    if all(i is None for i in ids):
        return gdf
    out = gdf.copy()
    out.insert(0, "id", pd.Series(ids, index=gdf.index, dtype=object))
    return out


def read_vector(
    src: Source,
    *,
    spec: CoordSpec,
    layer: str | None,
    extent: Extent | None,
    id_column: str | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, npt.NDArray[np.int64]]:
    """Read a GeoJSON/GeoPackage/zipped Shapefile/KML source; see :func:`geo.io.read`."""
    with tempfile.TemporaryDirectory(prefix="geo-io-") as tmp:
        gdf = _load(src, layer, Path(tmp))
    if len(gdf) == 0:
        raise InputError(text("geo.vector.no_features", file=src.display))
    corrupt = np.zeros(len(gdf), dtype=bool)
    corrupt[gdf.attrs.get(CORRUPT, [])] = True
    gdf = gdf.reset_index(drop=True)
    labels = np.arange(1, len(gdf) + 1, dtype=np.int64)
    problems = Problems()
    for i in np.flatnonzero(corrupt):
        problems.add(
            labels[i],
            gdf.geometry.name,
            text("geo.lossless.corrupt_value").en,
            text("geo.lossless.corrupt_geometry", at=at(src.display, labels[i], feature=True)),
            KEPT,
        )
    out = check_geometries(
        gdf,
        labels=labels,
        label_word="feature",
        display=src.display,
        spec=spec,
        extent=extent,
        problems=problems,
        skip=corrupt,
    )
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    id_col = find_column(columns, ID_COLUMNS) if id_column is None else id_column
    rejected = np.zeros(len(gdf), dtype=bool)
    if id_col is not None:
        if id_col not in columns:
            names = Text(str(columns), text("geo.list.comma").zh.join(map(str, columns)))
            raise InputError(
                text("geo.vector.no_id_field", file=src.display, field=id_col, fields=names)
            )
        rejected, first = duplicate_ids(gdf[id_col], labels)
        for i in np.flatnonzero(rejected):
            value = str(gdf[id_col].iloc[i])
            problems.add(
                labels[i],
                id_col,
                value[:_SHOWN],
                text(
                    "geo.vector.duplicate_id",
                    at=at(src.display, labels[i], feature=True),
                    id=value,
                    first=first[i],
                ),
                REJECTED,
            )
    frame = problems.frame()
    if rejected.any():
        gone = set(labels[rejected].tolist())
        frame = frame[(frame["action"] == REJECTED) | ~frame["row"].isin(gone)]
        frame = frame.reset_index(drop=True)
    return out.loc[~rejected].reset_index(drop=True), frame, labels[~rejected]
