"""Every layer and result of a project as a map layer, for files: one dispatcher for all.

``zoning export --layer KIND`` and the app's download buttons both call :func:`layer`, so
a file from the command line and one from the app hold the same rows and columns.

>>> import layers
>>> project = layers.open_project(default_store=False)
>>> checked = layer("check", project)
>>> len(checked) == len(project.enterprises), "verdict" in checked
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import geopandas as gpd

from layers import LAYERS, Project
from layers.edits import on_areas
from zoning import settings
from zoning.check import check
from zoning.clusters import clusters
from zoning.gaps import chain_gaps, investment_targets, spatial_gaps
from zoning.suitability import suitability_grid

__all__ = ["KINDS", "RESULTS", "layer"]

RESULTS: Final = ("check", "targets", "chain_gaps", "spatial_gaps", "clusters", "suitability")
"""The analysis' results that can be written as files (``suitability`` needs a segment)."""

KINDS: Final = (*LAYERS, *RESULTS)
"""Everything :func:`layer` hands out: the project's layers, then the results."""


def layer(kind: str, project: Project, *, segment: str | None = None) -> gpd.GeoDataFrame:
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

    Returns
    -------
    geopandas.GeoDataFrame
        Per-area results (targets, chain gaps) carry their area's polygon; the chain (a
        table without places) has no geometry column.

    Raises
    ------
    ValueError
        For an unknown kind, or ``suitability`` without a segment.
    """
    if kind in LAYERS:
        out = project.layer(kind)
        return out if isinstance(out, gpd.GeoDataFrame) else gpd.GeoDataFrame(out)
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
}
