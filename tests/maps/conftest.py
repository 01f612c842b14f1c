"""Fixtures shared by the map tests (and the app's): local assets and hostile names."""

from __future__ import annotations

import pytest

from maps import assets

# Names that would run script if any of them reached HTML or JavaScript unescaped.
HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "`${alert(1)}`",
    "\"'><svg onload=alert(1)>",
    "{{'alert(1)'}} \u2028 & <b>bold</b>",
)


@pytest.fixture(scope="session")
def vendor_built() -> None:
    """Make sure static/vendor holds the map's assets (build them from node_modules)."""
    if not assets.missing():
        return
    if not (assets.NODE_MODULES / "leaflet").is_dir():
        pytest.skip("node_modules/ missing: run `npm ci` (needs npm) to test the offline map")
    assets.build()
