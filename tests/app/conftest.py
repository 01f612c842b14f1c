"""Fixtures shared by the app tests: the map's local assets and hostile enterprise names.

Both belong to the map tests (``tests/maps/conftest.py``); the app tests use the same ones.
"""

from __future__ import annotations

from tests.maps.conftest import HOSTILE_NAMES, vendor_built

__all__ = ["HOSTILE_NAMES", "vendor_built"]
