"""`zoning store import` of the zones keeps the shipped boundaries one restore away."""

from __future__ import annotations

from pathlib import Path

import geo.store as gs
import layers
from layers.zone_import import SHIPPED_AUTHOR
from zoning.cli import main


def test_importing_zones_into_a_new_store_saves_the_shipped_ones_first(tmp_path: Path, capsys):
    store = tmp_path / "project.gpkg"
    drawn = layers.zones().iloc[[2]].copy()
    drawn["geometry"] = drawn.geometry.to_crs(4548).buffer(500).to_crs(4326)  # 500 m wider
    source = tmp_path / "小蓝.geojson"
    drawn.to_file(source, driver="GeoJSON")
    argv = ["store", "import", str(source), "--layer", "zones", "--author", "王工"]
    assert main([*argv, "--note", "新边界", "--store", str(store)]) == 0
    capsys.readouterr()
    with gs.open(store) as opened:
        history = opened.history("zones")
        assert history["version"].tolist() == [1, 2]
        assert history["author"].tolist() == [SHIPPED_AUTHOR, "王工"]
        first = opened.read("zones", version=1)
    assert sorted(first["zone_id"]) == sorted(layers.zones()["zone_id"])
    # A second import is just a new version: version 1 is not written again.
    assert main([*argv, "--note", "再改", "--store", str(store)]) == 0
    with gs.open(store) as opened:
        assert opened.history("zones")["version"].tolist() == [1, 2, 3]
