"""The project: every layer of the plan resolved and validated once, for the CLI and the app.

Both front ends open the same project, so a zone saved in the app is what ``zoning check``
uses, and the other way round::

    >>> project = open_project(default_store=False)  # no store: the shipped zones
    >>> list(project.areas.index), project.zones_version
    (['battery', 'materials', 'control'], None)

Where each layer comes from:

- districts, chain: the shipped files (``data/``).
- zones: the store's current version of the ``zones`` layer when the store holds one, else
  the shipped file. A store that cannot be reached is reported in :attr:`Project.store_problem`
  (the app warns and shows the shipped zones; the CLI, given ``--store``, refuses).
- rules: the shipped ``data/rules.yaml`` or the file given; validated against the project's
  own zones, so a zone added in the store can be named in a rules file.
- areas: built from the rules, the districts and the project's zones. If the stored zones
  no longer satisfy the rules (a zone the rules name was deleted), the areas fall back to the
  shipped zones and :attr:`Project.zones_problem` says why, instead of taking the app down.
- enterprises: the shipped file, or the file given, read and validated by
  :func:`layers.read_enterprises`; its problems table is kept beside it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo import InputError
from geo import store as geo_store
from geo.io import MAX_BYTES
from layers import settings
from layers._geography import districts as _districts
from layers._geography import zones as _zones
from layers.areas import areas as _areas
from layers.chain import chain as _chain
from layers.columns import ColumnMapping
from layers.enterprises import empty_problems, read_enterprises
from layers.events import EVENT_COLUMNS, EVENTS_LAYER, EventRead, events_layer, read_events
from layers.i18n import Text, text
from layers.rules import RuleError, Rules
from layers.rules import rules as _rules
from layers.synthetic import synthetic_enterprises

__all__ = ["LAYERS", "ZONES_LAYER", "Project", "open_project", "stored_zones_version"]

ZONES_LAYER: Final = "zones"
"""Name of the store layer that holds the edited development zones."""

LAYERS: Final = ("districts", "zones", "areas", "enterprises", "chain", "events")
"""The layers a project can hand out as files (``zoning export --layer``)."""

TABLES: Final = ("chain", "events")
"""The layers of :data:`LAYERS` that are tables without places (written as attribute
tables in a GeoPackage, as CSV otherwise)."""


def _no_events() -> pd.DataFrame:
    """Return an events table with the schema and no rows."""
    return read_events(pd.DataFrame({c: [] for c in EVENT_COLUMNS}), name="events").data


@dataclass(frozen=True)
class Project:
    """Every layer of the plan, resolved once and validated once.

    Attributes
    ----------
    districts, zones, areas : geopandas.GeoDataFrame
        EPSG:4326 layers as :func:`layers.districts`, :func:`layers.zones` and
        :func:`layers.areas` return them.
    rules : Rules
        The validated rules the areas were built from.
    chain : pandas.DataFrame
        The industry-chain taxonomy.
    enterprises : geopandas.GeoDataFrame
        The validated enterprises (schema of :mod:`layers.enterprises`).
    enterprise_problems : pandas.DataFrame
        What was wrong in the enterprises file, row by row.
    enterprise_source : str
        The user's name for the enterprises file ("enterprises.csv" for the shipped one).
    store : str or None
        The store target the zones were looked up in (None: no store).
    zones_version : int or None
        The store version of the zones shown (None: the shipped zones).
    zones_problem : layers.i18n.Text or None
        Why the stored zones could not be used to build the areas, if they could not, in
        both languages (show ``zones_problem.get(lang)``).
    store_problem : layers.i18n.Text or None
        Why the store could not be read, if it could not, in both languages (a database
        URL in it has its password hidden).
    events : pandas.DataFrame
        The enterprises' dated facts (schema of :func:`layers.events.read_events`): the
        store's ``events`` layer when one was saved, else the shipped ``data/events.csv``
        when the enterprises are the shipped ones, else none (an uploaded list's firms are
        not the shipped firms, whatever their ids).
    events_problems : pandas.DataFrame
        What was wrong in those events, row by row.
    events_version : int or None
        The store version of the events (None: shipped or none).
    """

    districts: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    rules: Rules
    chain: pd.DataFrame
    enterprises: gpd.GeoDataFrame
    enterprise_problems: pd.DataFrame
    enterprise_source: str
    store: str | None = None
    zones_version: int | None = None
    zones_problem: Text | None = None
    store_problem: Text | None = None
    events: pd.DataFrame = dataclasses.field(default_factory=_no_events)
    events_problems: pd.DataFrame = dataclasses.field(default_factory=empty_problems)
    events_version: int | None = None

    def layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """Return a layer by name, as exported: ``districts``, ``zones``, ``areas``, ...

        Parameters
        ----------
        name : str
            One of :data:`LAYERS`.

        Returns
        -------
        geopandas.GeoDataFrame or pandas.DataFrame
            ``areas`` and ``chain`` with their key as a column (files have no index).
        """
        if name not in LAYERS:
            raise InputError(
                text("check.project.unknown_layer", name=name, layers=", ".join(LAYERS))
            )
        if name == "events":
            return events_layer(self.events).drop(columns="geometry")
        out: gpd.GeoDataFrame | pd.DataFrame = getattr(self, name)
        # Files have no index: the areas' and the chain's keys become a column.
        return out.reset_index() if name in ("areas", "chain") else out

    def with_enterprises(
        self,
        enterprises: gpd.GeoDataFrame,
        *,
        source: str,
        problems: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
    ) -> Project:
        """Return the same project with other (already validated) enterprises.

        Their events are ``events`` (validated), or none: another list's firms are not
        the ones the project's events are about, even where an id is the same.
        """
        return dataclasses.replace(
            self,
            enterprises=enterprises,
            enterprise_source=source,
            enterprise_problems=empty_problems() if problems is None else problems,
            events=_no_events() if events is None else events,
            events_problems=empty_problems(),
            events_version=None,
        )


def _existing_store(target: str) -> bool:
    """Tell whether ``target`` names a store that may hold data (reading creates none)."""
    return "://" in target or Path(target).is_file()


def stored_zones_version(store: str | None) -> int | None:
    """Return the current version of the stored zones (None: no store or no zones saved).

    Raises
    ------
    geo.store.StoreError
        If the store exists but cannot be read.
    """
    if store is None or not _existing_store(store):
        return None
    with geo_store.open(store) as project:
        return project.current_version(ZONES_LAYER)


def open_project(
    store: str | os.PathLike[str] | None = None,
    *,
    default_store: bool = True,
    rules: str | os.PathLike[str] | None = None,
    enterprises: Any = None,
    enterprise_name: str | None = None,
    coord_system: str = "wgs84",
    layer: str | None = None,
    any_extent: bool = False,
    synthetic: int | None = None,
    strict_store: bool = False,
    columns: ColumnMapping | None = None,
    max_bytes: int | None = MAX_BYTES,
    events: Any = None,
) -> Project:
    """Open the project: resolve every layer once (store first, shipped data otherwise).

    Parameters
    ----------
    store : str or path-like, optional
        A GeoPackage path or ``postgresql://`` URL. Default: :func:`layers.settings.store_target`
        (``$NANCHANG_STORE`` or the per-user data folder) when ``default_store`` is true.
    default_store : bool
        Look in the default store when ``store`` is None (False: shipped zones only).
    rules : str or path-like, optional
        A rules YAML file (default the shipped ``data/rules.yaml``).
    enterprises : path, bytes or file-like, optional
        An enterprises file; default :func:`layers.settings.enterprises_file`
        (``$NANCHANG_ENTERPRISES``), else the shipped ``data/enterprises.csv``.
    enterprise_name : str, optional
        The user's name for an uploaded enterprises file (its extension gives the format).
    coord_system, layer : str
        Passed to :func:`layers.read_enterprises`.
    any_extent : bool
        Accept enterprise positions outside Nanchang (by default kept as unlocated).
    synthetic : int, optional
        Add this many clearly-marked synthetic enterprises (seed 0); default
        :func:`layers.settings.synthetic_count` (``$NANCHANG_SYNTHETIC``).
    columns : layers.columns.ColumnMapping, optional
        Which column of the enterprises file is which field (default: detected).
    max_bytes : int or None
        Largest enterprises file accepted; None: any size (the command line, local files).
    strict_store : bool
        Raise :class:`geo.store.StoreError` when the store cannot be read (the CLI given
        ``--store``) instead of falling back to the shipped zones with a
        :attr:`Project.store_problem` (the app).
    events : path, bytes, file-like or DataFrame, optional
        An events file (:func:`layers.events.read_events`); default the store's ``events``
        layer if one was saved, else the shipped events when the enterprises are the
        shipped ones, else none.

    Returns
    -------
    Project

    Raises
    ------
    geo.InputError, layers.RuleError
        If the rules or enterprises file is unusable as a whole.
    """
    target: str | None
    if store is not None:
        target = os.fspath(store)
    elif default_store:
        target = settings.store_target()
    else:
        target = None
    zones, version, store_problem = _resolve_zones(target, strict=strict_store)
    districts = _districts()
    chain = _chain()
    rules_path = None if rules is None else os.fspath(rules)
    if rules_path is not None and not Path(rules_path).is_file():
        raise RuleError(text("check.rules.no_file", path=rules_path))
    plan, areas, zones_problem = _resolve_areas(rules_path, districts, zones, stored=version)
    result = read_enterprises(
        settings.enterprises_file() if enterprises is None else enterprises,
        coord_system=coord_system,
        layer=layer,
        name=enterprise_name,
        extent=None if any_extent else settings.extent(),
        columns=columns,
        max_bytes=max_bytes,
    )
    firms = result.data
    extra = settings.synthetic_count() if synthetic is None else synthetic
    if extra > 0:
        generated = synthetic_enterprises(extra, seed=0)
        firms = gpd.GeoDataFrame(pd.concat([firms, generated], ignore_index=True), crs=firms.crs)
    shipped_firms = enterprises is None and settings.enterprises_file() is None
    dated, dated_version = _resolve_events(
        target, events, firms["id"].astype(str), shipped=shipped_firms, strict=strict_store
    )
    return Project(
        districts=districts,
        zones=zones,
        areas=areas,
        rules=plan,
        chain=chain,
        enterprises=firms,
        enterprise_problems=result.problems,
        enterprise_source=result.source,
        store=target,
        zones_version=version,
        zones_problem=zones_problem,
        store_problem=store_problem,
        events=dated.data,
        events_problems=dated.problems,
        events_version=dated_version,
    )


def _resolve_events(
    target: str | None, source: Any, ids: pd.Series, *, shipped: bool, strict: bool
) -> tuple[EventRead, int | None]:
    """Return the project's events and their store version (see :func:`open_project`)."""
    if source is not None:
        return read_events(source, enterprise_ids=ids), None
    if target is not None and _existing_store(target):
        try:
            with geo_store.open(target) as opened:
                version = opened.current_version(EVENTS_LAYER)
            if version is not None:
                from layers.events import stored_events

                return stored_events(target, version=version, enterprise_ids=ids), version
        except geo_store.StoreError:
            if strict:
                raise
            # The zones' lookup has already said why the store cannot be read.
    if shipped:
        return read_events(enterprise_ids=ids), None
    none = pd.DataFrame({c: [] for c in EVENT_COLUMNS})
    return read_events(none, name="events"), None


def _resolve_zones(
    target: str | None, *, strict: bool
) -> tuple[gpd.GeoDataFrame, int | None, Text | None]:
    """Return (zones, stored version or None, why the store could not be read or None)."""
    try:
        version = stored_zones_version(target)
        if target is None or version is None:
            return _zones(), None, None
        with geo_store.open(target) as project:
            return project.read(ZONES_LAYER, version=version), version, None
    except geo_store.StoreError as exc:
        if strict:
            raise
        return _zones(), None, _problem(exc)


def _resolve_areas(
    rules_path: str | None,
    districts: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    stored: int | None,
) -> tuple[Rules, gpd.GeoDataFrame, Text | None]:
    """Return (rules, areas, problem): areas on the project's zones, else the shipped ones."""
    zone_ids = [str(z) for z in zones["zone_id"].unique()]
    try:
        plan = _rules(rules_path, zone_ids=zone_ids)
        return plan, _areas(plan, districts=districts, zones=zones), None
    except RuleError as exc:
        if stored is None:
            raise
        # Stored zones the rules cannot use (e.g. a zone deleted) must not take the app or
        # the CLI down: the areas are built on the shipped zones and the project says why.
        plan = _rules(rules_path)
        return plan, _areas(plan, districts=districts), _problem(exc)


def _problem(error: Exception) -> Text:
    """Return an error's message in both languages, for the front end to pick one."""
    both = getattr(error, "text", None)
    # geo's and the rules' errors carry both texts; any other is English in both slots.
    return both if isinstance(both, Text) else Text(en=str(error), zh=str(error))
