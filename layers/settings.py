"""Nanchang's defaults in one place: the shipped data, the project store, the expected extent.

``geo`` knows no place; these are the facts and defaults that make it Nanchang's tool. Each
is read when a function runs (never bound at import), so a test or a deployment can change
the environment and the next call follows.

- :func:`data_path`: a shipped file. The files live in the repository's ``data/`` folder and
  are installed as the package ``layers.data``, so an installed copy finds them wherever it
  is, and nothing is ever looked up relative to the current folder.
- :func:`store_target`: the project store the command line and the app both open:
  ``$NANCHANG_STORE`` if set, else ``project.gpkg`` in a per-user data folder (never beside
  the installed code).
- :func:`extent`: where records of Nanchang's files are expected, with the projected CRSs
  local data come in without saying so; :func:`geo.io.read` checks against it.

Examples
--------
>>> data_path("rules.yaml").name
'rules.yaml'
>>> extent().bounds
(115.0, 27.9, 116.9, 29.5)
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Final

import platformdirs

from geo.io import CRSHint, Extent

__all__ = [
    "APP_NAME",
    "BOUNDS",
    "CRS_HINTS",
    "ENTERPRISES_ENV_VAR",
    "STORE_ENV_VAR",
    "STORE_FILE",
    "SYNTHETIC_ENV_VAR",
    "data_path",
    "default_store",
    "enterprises_file",
    "extent",
    "store_target",
    "synthetic_count",
]

APP_NAME: Final = "nanchang-storage-zoning"
"""The distribution's name; also the name of the per-user data folder."""

STORE_ENV_VAR: Final = "NANCHANG_STORE"
"""Environment variable naming the project store (a ``.gpkg`` path or a ``postgresql://``
URL); the command line's ``--store`` overrides it."""

STORE_FILE: Final = "project.gpkg"
"""File name of the default GeoPackage store in the per-user data folder."""

BOUNDS: Final = (115.0, 27.9, 116.9, 29.5)
"""(lon_min, lat_min, lon_max, lat_max) in WGS 84: Nanchang's nine districts span about
115.2-116.6 E, 28.1-29.2 N; the margin of 0.2-0.3 degrees (20-30 km) admits sites just
across the boundary and coordinates offset by GCJ-02/BD-09 (under 1.2 km)."""

CRS_HINTS: Final = (
    CRSHint(
        "EPSG:4548", "CGCS2000 / 3-degree Gauss-Kruger CM 117E", (3.0e5, 6.0e5), (2.9e6, 3.4e6)
    ),
    CRSHint("EPSG:32650", "WGS 84 / UTM zone 50N", (3.0e5, 6.0e5), (2.9e6, 3.4e6)),
    CRSHint(
        "EPSG:4527", "CGCS2000 / 3-degree Gauss-Kruger zone 39", (3.93e7, 3.96e7), (2.9e6, 3.4e6)
    ),
    CRSHint("EPSG:3857", "WGS 84 / Pseudo-Mercator (web maps)", (1.27e7, 1.31e7), (3.2e6, 3.5e6)),
)
"""Projected CRSs people around Nanchang send without saying so, with the coordinate ranges
(metres) that give them away: the city's Gauss-Kruger zone with and without its zone
number, UTM 50N and the web maps' Pseudo-Mercator."""


def data_path(name: str) -> Path:
    """Return the path of a shipped data file.

    Parameters
    ----------
    name : str
        A file name in ``data/`` (``"districts.geojson"``, ``"rules.yaml"``, ...).

    Returns
    -------
    pathlib.Path
        The file inside the installed package ``layers.data`` (for an editable install,
        the repository's ``data/`` folder). The file is not opened or checked here: the
        loaders say what is wrong with it.

    Raises
    ------
    ValueError
        If ``name`` is not a plain file name (a folder or ``..`` in it).
    """
    if not name or Path(name).name != name or name in {".", ".."}:
        msg = f"`name` must be a file name in data/, got {name!r}"
        raise ValueError(msg)
    root = resources.files("layers.data")
    if not isinstance(root, Path):  # pragma: no cover - only a zipped install gets here
        msg = (
            f"the shipped data is inside an archive ({root}); install the package as files "
            "(`pip install nanchang-storage-zoning`)"
        )
        raise RuntimeError(msg)
    return root / name


def default_store() -> str:
    r"""Return the store used when neither ``--store`` nor ``$NANCHANG_STORE`` names one.

    ``project.gpkg`` in the per-user data folder of ``platformdirs`` (on Linux
    ``~/.local/share/nanchang-storage-zoning/``, or under ``$XDG_DATA_HOME``; on macOS
    ``~/Library/Application Support/nanchang-storage-zoning/``; on Windows
    ``%LOCALAPPDATA%\nanchang-storage-zoning\``). Nothing is created here: the folder
    appears when the first version is saved.
    """
    # appauthor=False: on Windows the folder is not nested twice under the same name.
    return str(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / STORE_FILE)


def store_target() -> str:
    """Return the project store: ``$NANCHANG_STORE`` if set and not empty, else the default.

    Returns
    -------
    str
        A GeoPackage path or a ``postgresql://`` URL, for :func:`geo.store.open`.
    """
    return os.environ.get(STORE_ENV_VAR, "").strip() or default_store()


def extent() -> Extent:
    """Return where records of Nanchang's data are expected (for :func:`geo.io.read`).

    Returns
    -------
    geo.io.Extent
        :data:`BOUNDS`, named "Nanchang with a margin" in messages, with :data:`CRS_HINTS`.
    """
    return Extent(BOUNDS, name="Nanchang with a margin", crs_hints=CRS_HINTS, name_zh="南昌及周边")


ENTERPRISES_ENV_VAR: Final = "NANCHANG_ENTERPRISES"
"""Environment variable naming an enterprises file the project uses instead of the shipped
one (an operator's setting for a deployment; the command line's ``--enterprises`` and an
upload in the app override it)."""

SYNTHETIC_ENV_VAR: Final = "NANCHANG_SYNTHETIC"
"""Environment variable: add this many clearly-marked synthetic enterprises (demos and
benchmarks only)."""


def enterprises_file() -> str | None:
    """Return the operator's enterprises file (``$NANCHANG_ENTERPRISES``), or None.

    None means the shipped ``data/enterprises.csv``.
    """
    return os.environ.get(ENTERPRISES_ENV_VAR, "").strip() or None


def synthetic_count() -> int:
    """Return how many synthetic enterprises to add (``$NANCHANG_SYNTHETIC``; 0 if unset).

    A value that is not a whole number >= 0 counts as 0: the setting is for demos, and a
    typo must not stop the tool.
    """
    try:
        return max(int(os.environ.get(SYNTHETIC_ENV_VAR, "0") or 0), 0)
    except ValueError:
        return 0
