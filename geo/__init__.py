"""Plumbing with no domain knowledge: coordinates, reading and writing geodata, grids.

``geo`` never imports streamlit or folium (a test proves it), so the command line and
the analysis load fast and run anywhere.
"""

from __future__ import annotations

from geo import crs
from geo._errors import CRSError, InputError
from geo.io import ReadResult, read, write

__all__ = ["CRSError", "InputError", "ReadResult", "crs", "read", "write"]
