"""Every layer and result of a project as a map layer, for files: one dispatcher for all.

``zoning export --layer KIND`` and the app's download buttons both call :func:`layer`, so
a file from the command line and one from the app hold the same rows and columns.

- :func:`layer`: one layer or result as a GeoDataFrame. The enterprises carry
  ``time_start`` / ``time_end`` (dates, null when unknown) from their events, for QGIS's
  temporal controller ("separate fields for start and end date/time").
- :func:`stage_episodes`: each firm's stage episodes at its place, with the same fields.
- :func:`style`: its QGIS style in the app's colours (:mod:`layers.qgis_styles`).
- :func:`downloads`: one layer as the bytes of each download format, plus its ``.qml``.
- :func:`file_name`: ``<layer>_<date>_<store version>.<ext>``, e.g.
  ``zones_2026-11-29_v3.gpkg`` (``shipped`` when the zones were never saved to a store).
- :func:`write_everything` / :func:`everything_bytes`: one GeoPackage with every layer and
  result, each with its style in ``layer_styles``, the chain table and a ``metadata``
  table (tool version, data date, store version, CRS, what is approximate, synthetic
  rows). ``zoning export --layer all --out everything.gpkg`` and the app's data page
  both write it.

>>> import layers
>>> project = layers.open_project(default_store=False)
>>> checked = layer("check", project)
>>> len(checked) == len(project.enterprises), "verdict" in checked
(True, True)
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd

import geo.io
from layers import LAYERS, TABLES, Project
from layers.edits import FILE_FORMATS, file_bytes, on_areas
from layers.events import episodes
from layers.i18n import t
from layers.qgis_styles import STYLED, qml
from zoning import settings
from zoning.check import check
from zoning.clusters import clusters
from zoning.gaps import chain_gaps, investment_targets, spatial_gaps
from zoning.suitability import suitability_grid
from zoning.timeline import time_fields

__all__ = [
    "EVERYTHING",
    "GEOMETRY_TYPES",
    "KINDS",
    "METADATA_TABLE",
    "RESULTS",
    "downloads",
    "everything_bytes",
    "file_name",
    "layer",
    "metadata",
    "stage_episodes",
    "style",
    "write_everything",
]

RESULTS: Final = (
    "check",
    "targets",
    "chain_gaps",
    "spatial_gaps",
    "clusters",
    "episodes",
    "suitability",
)
"""The analysis' results that can be written as files (``suitability`` needs a segment)."""

KINDS: Final = (*LAYERS, *RESULTS)
"""Everything :func:`layer` hands out: the project's layers, then the results."""

EVERYTHING: Final = "everything"
"""The name of the all-layers GeoPackage (``zoning export --layer all``)."""
METADATA_TABLE: Final = "metadata"
"""The table of the all-layers GeoPackage that says what the file holds."""
GEOMETRY_TYPES: Final = {
    "districts": "MultiPolygon",
    "zones": "MultiPolygon",
    "areas": "MultiPolygon",
    "enterprises": "Point",
    "check": "Point",
    "targets": "MultiPolygon",
    "chain_gaps": "MultiPolygon",
    "spatial_gaps": "MultiPolygon",
    "clusters": "MultiPolygon",
    "episodes": "Point",
    "suitability": "MultiPolygon",
}
"""The one geometry type of each map layer's file, declared even when a result is empty
(a city without clusters still gets a cluster layer GIS tools can style)."""


def layer(
    kind: str,
    project: Project,
    *,
    segment: str | None = None,
    events: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Return a layer or result of ``project`` as a GeoDataFrame ready for a file.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    project : layers.Project
        The project (zones from the store when saved there, the enterprises in use).
    segment : str, optional
        The segment of a ``suitability`` surface (cells of
        :data:`zoning.settings.surface_cell_m`).
    events : pandas.DataFrame, optional
        Validated events (:func:`layers.events.read_events`) giving the enterprises'
        ``time_start`` / ``time_end``; default the project's own
        (:attr:`layers.Project.events`: the store's, else the shipped ones of its firms).

    Returns
    -------
    geopandas.GeoDataFrame
        Per-area results (targets, chain gaps) carry their area's polygon; the chain and
        the events (tables without places) have no geometry column. The enterprises carry
        ``time_start`` (the day the firm entered the plan: signed or later) and
        ``time_end`` (the day it exited) as dates, null where no event says.

    Raises
    ------
    ValueError
        For an unknown kind, or ``suitability`` without a segment.
    """
    if kind in LAYERS:
        out = project.layer(kind)
        out = out if isinstance(out, gpd.GeoDataFrame) else gpd.GeoDataFrame(out)
        if kind == "enterprises":
            return _with_time(out, _events_of(project) if events is None else events)
        return out
    if kind == "suitability":
        if not segment:
            msg = "a suitability surface needs a segment: give `segment` (e.g. 'copper_foil')"
            raise ValueError(msg)
        return suitability_grid(
            segment,
            cell_m=settings.surface_cell_m,
            enterprises=project.enterprises,
            areas=project.areas,
            chain=project.chain,
        )
    if kind not in _RESULTS:
        msg = f"unknown layer {kind!r}: choose one of {', '.join(KINDS)}"
        raise ValueError(msg)
    return _RESULTS[kind](project)


_RESULTS: Final[dict[str, Callable[[Project], gpd.GeoDataFrame]]] = {
    "check": lambda p: check(p.enterprises, areas=p.areas, chain=p.chain),
    "targets": lambda p: on_areas(
        investment_targets(p.enterprises, areas=p.areas, chain=p.chain), p.areas
    ),
    "chain_gaps": lambda p: on_areas(
        chain_gaps(p.enterprises, areas=p.areas, chain=p.chain), p.areas
    ),
    "spatial_gaps": lambda p: spatial_gaps(p.enterprises, areas=p.areas),
    "clusters": lambda p: clusters(p.enterprises, areas=p.areas, chain=p.chain).summary,
    # Late-bound: stage_episodes is defined below.
    "episodes": lambda p: stage_episodes(p),  # noqa: PLW0108
}


def _events_of(project: Project) -> pd.DataFrame:
    """Return the project's events (the store's, else the shipped ones of its firms)."""
    return project.events


def _dates(iso: pd.Series) -> pd.Series:
    # Python dates with None, not strings: GeoPackage gets a Date field with NULLs and
    # GeoJSON "2021-08-12" / null, both of which QGIS reads as dates ("" or "NaT" it
    # would read as text, which its temporal controller cannot use).
    days = [dt.date.fromisoformat(v) if v else None for v in iso.astype(str)]
    return pd.Series(days, index=iso.index, dtype=object)


def _with_time(firms: gpd.GeoDataFrame, events: pd.DataFrame) -> gpd.GeoDataFrame:
    fields = time_fields(firms, events)
    out = firms.copy()
    for col in ("time_start", "time_end"):
        out[col] = _dates(fields[col])
    return out


def stage_episodes(project: Project, *, events: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Return each enterprise's stage episodes at its place, for QGIS's temporal controller.

    One point per episode (:func:`layers.events.episodes`): ``enterprise_id``, ``name_zh``,
    ``name_en``, ``stage``, ``from_date`` (the date as the source wrote it), ``source``,
    and ``time_start`` / ``time_end`` (the episode's first day and the first day of the
    next one, as dates; ``time_end`` null while it lasts). Animated with "separate fields
    for start and end date/time", a firm's point shows its stage at each date.

    Parameters
    ----------
    project : layers.Project
        Gives the enterprises' places and names.
    events : pandas.DataFrame, optional
        Validated events; default the project's own (:attr:`layers.Project.events`).

    Examples
    --------
    >>> import layers
    >>> ep = stage_episodes(layers.open_project(default_store=False))
    >>> ep.loc[ep.enterprise_id == "NC-005", ["stage", "time_start", "time_end"]].to_numpy()
    array([['signed', datetime.date(2022, 5, 9), datetime.date(2022, 9, 5)],
           ['construction', datetime.date(2022, 9, 5), None]], dtype=object)
    """
    firms = project.enterprises
    ep = episodes(_events_of(project) if events is None else events)
    places = firms.assign(_key=firms["id"].astype(str)).drop_duplicates("_key").set_index("_key")
    ids = ep["enterprise_id"].astype(str)
    out = gpd.GeoDataFrame(
        {
            "enterprise_id": ids.to_numpy(),
            "name_zh": places["name_zh"].reindex(ids).to_numpy(),
            "name_en": places["name_en"].reindex(ids).to_numpy(),
            "stage": ep["stage"].to_numpy(),
            "from_date": ep["from_date"].to_numpy(),
            "source": ep["source"].to_numpy(),
        },
        geometry=places.geometry.reindex(ids).to_numpy(),
        crs=firms.crs,
    )
    for col, when in (("time_start", ep["valid_from"]), ("time_end", ep["valid_to"])):
        iso = when.dt.strftime("%Y-%m-%d").fillna("").astype(str)
        out[col] = _dates(pd.Series(iso.to_numpy(), index=out.index))
    return out


def style(kind: str, project: Project, data: pd.DataFrame | None = None) -> str | None:
    """Return the QGIS style of a layer in the app's colours, or None for the chain table.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    project : layers.Project
        Gives the chain (segment families) and the areas (their order and names).
    data : pandas.DataFrame, optional
        The layer as :func:`layer` returns it (used when the areas do not say enough).

    Returns
    -------
    str or None
        The text of a ``.qml`` file.
    """
    if kind not in STYLED:
        return None
    frame = data if data is not None else pd.DataFrame()
    return qml(kind, frame, chain=project.chain, areas=project.areas)


def _version(project: Project) -> str:
    return "shipped" if project.zones_version is None else f"v{project.zones_version}"


def file_name(kind: str, fmt: str, project: Project, *, day: dt.date | None = None) -> str:
    """Return a download's file name: the layer, the date and the store version.

    Parameters
    ----------
    kind : str
        The layer (one of :data:`KINDS`, or :data:`EVERYTHING`).
    fmt : str
        The extension without its dot (``gpkg``, ``geojson``, ``csv``, ``qml``).
    project : layers.Project
        Its ``zones_version`` names the boundaries the file was made with.
    day : datetime.date, optional
        The date in the name (default: today).

    Examples
    --------
    >>> import datetime, layers
    >>> project = layers.open_project(default_store=False)
    >>> file_name("zones", "gpkg", project, day=datetime.date(2026, 11, 29))
    'zones_2026-11-29_shipped.gpkg'
    """
    when = day or dt.datetime.now().astimezone().date()
    return f"{kind}_{when.isoformat()}_{_version(project)}.{fmt}"


def downloads(kind: str, project: Project, *, segment: str | None = None) -> dict[str, bytes]:
    """Return one layer in every download format, and its QGIS style.

    Returns
    -------
    dict of str to bytes
        Keyed by extension: each of :data:`layers.edits.FILE_FORMATS` and ``"qml"`` (the
        GeoPackage also carries the style in its ``layer_styles`` table).
    """
    data = layer(kind, project, segment=segment)
    qml_text = style(kind, project, data)
    files = {
        fmt: file_bytes(
            data,
            fmt,
            layer=kind,
            geometry_type=GEOMETRY_TYPES.get(kind),
            style=qml_text,
        )
        for fmt in FILE_FORMATS
    }
    if qml_text is not None:
        files["qml"] = qml_text.encode("utf-8")
    return files


def _tool_version() -> str:
    try:
        return importlib.metadata.version("nanchang-storage-zoning")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        return "unknown (not installed)"


def _data_date(project: Project) -> str:
    dates = pd.to_datetime(project.enterprises.get("as_of"), errors="coerce", format="mixed")
    latest = dates.max() if dates is not None else pd.NaT
    return "" if pd.isna(latest) else latest.date().isoformat()


def metadata(
    project: Project, *, layers_written: tuple[str, ...] = (), now: dt.datetime | None = None
) -> pd.DataFrame:
    """Return the metadata table of the all-layers GeoPackage.

    Parameters
    ----------
    project : layers.Project
        The project the file was made from.
    layers_written : tuple of str
        The file's layers, listed in the ``layers`` row.
    now : datetime.datetime, optional
        The time written in ``exported_at`` (default: now, UTC).

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``value``, ``about_en``, ``about_zh``; one row each for the tool
        version, the export time, the data date, the store version, the CRS, the
        approximate zones and areas, the imprecisely located and the synthetic
        enterprises, and the layers.

    Examples
    --------
    >>> import layers
    >>> table = metadata(layers.open_project(default_store=False))
    >>> table.set_index("key").loc[["store_version", "crs"], "value"].tolist()
    ['shipped', 'EPSG:4326']
    """
    zones, firms = project.zones, project.enterprises
    source = zones.get("boundary_source", pd.Series("", index=zones.index)).astype(str)
    approximate = zones.loc[source.eq("approximate").to_numpy(), "zone_id"].astype(str)
    precision = pd.to_numeric(firms.get("precision_m"), errors="coerce")
    rough = int((precision >= 1000).sum()) if precision is not None else 0
    synthetic = firms.get("synthetic", pd.Series(False, index=firms.index)).fillna(False)
    values = {
        "tool_version": _tool_version(),
        "exported_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "data_date": _data_date(project),
        "store_version": _version(project),
        "crs": "EPSG:4326",
        "approximate_zones": f"{len(approximate)} of {len(zones)}: {', '.join(approximate)}",
        "approximate_areas": ", ".join(str(k) for k in project.areas.index),
        "located_within": f"{rough} of {len(firms)}",
        "synthetic_rows": f"{int(synthetic.astype(bool).sum())} of {len(firms)}",
        "layers": ", ".join(layers_written),
    }
    return pd.DataFrame(
        {
            "key": list(values),
            "value": list(values.values()),
            "about_en": [t(f"export.meta.{k}", "en") for k in values],
            "about_zh": [t(f"export.meta.{k}", "zh") for k in values],
        }
    )


def write_everything(
    project: Project, path: str | os.PathLike[str], *, segment: str | None = None
) -> Path:
    """Write every layer and result of ``project`` into one GeoPackage.

    Each map layer of :data:`KINDS` (``suitability`` too when ``segment`` is given) is
    written with :func:`geo.io.write`, as one geometry type, with its QGIS style as the
    layer's default in ``layer_styles``; the chain and :func:`metadata` are attributes
    tables. The file is written beside ``path`` and then moved over it.

    Parameters
    ----------
    project : layers.Project
        The project (the CLI's and the app's, with the same store and zones).
    path : str or os.PathLike
        A ``.gpkg`` file; an existing file is replaced.
    segment : str, optional
        The segment of a suitability surface to include.

    Returns
    -------
    pathlib.Path
        The absolute path written.

    Raises
    ------
    ValueError
        If ``path`` is not a ``.gpkg`` file in an existing folder.
    """
    target = Path(path)
    if target.suffix.lower() != ".gpkg":
        msg = f"the all-layers file is a GeoPackage: give a .gpkg path, not {target.name}"
        raise ValueError(msg)
    if not target.resolve().parent.is_dir():
        msg = f"cannot write {target.name}: the folder {target.resolve().parent} does not exist"
        raise ValueError(msg)
    kinds = [k for k in KINDS if k not in (*TABLES, "suitability")]
    if segment:
        kinds.append("suitability")
    with tempfile.TemporaryDirectory(prefix="nanchang-everything-") as folder:
        work = Path(folder) / f"{EVERYTHING}.gpkg"
        for kind in kinds:
            data = layer(kind, project, segment=segment)
            geo.io.write(
                data,
                work,
                layer=kind,
                geometry_type=GEOMETRY_TYPES[kind],
                style=style(kind, project, data),
            )
        for table in TABLES:
            geo.io.write_table(project.layer(table), work, layer=table)
        written = (*kinds, *TABLES, METADATA_TABLE)
        geo.io.write_table(metadata(project, layers_written=written), work, layer=METADATA_TABLE)
        # Built in a private folder, then copied beside the target and renamed over it:
        # a failure half-way never leaves a file with only some of the layers.
        out = target.resolve()
        aside = out.with_name(f".{out.stem}-{os.getpid()}.gpkg")
        try:
            aside.write_bytes(work.read_bytes())
            aside.replace(out)
        finally:
            aside.unlink(missing_ok=True)
    return out


def everything_bytes(project: Project, *, segment: str | None = None) -> bytes:
    """Return the all-layers GeoPackage of :func:`write_everything` as bytes (a download)."""
    with tempfile.TemporaryDirectory(prefix="nanchang-download-") as folder:
        return write_everything(
            project, Path(folder) / f"{EVERYTHING}.gpkg", segment=segment
        ).read_bytes()
