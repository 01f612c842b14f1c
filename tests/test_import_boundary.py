"""The library packages must stay importable without the UI stack (design rule)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PACKAGES = [
    "geo",
    "geo.io",
    "geo.grid",
    "geo.store",
    "layers",
    "layers.build",
    "zoning",
    "zoning.cli",
]


@pytest.mark.parametrize("package", PACKAGES)
def test_library_does_not_load_streamlit_or_folium(package):
    code = (
        f"import sys, {package}\n"
        "ui = {'streamlit', 'folium', 'branca'}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ui)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{package} imported {out.stdout.strip()}"
