"""The CLI and the app open one project: a zone saved in the app is what `zoning` uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import geo
from layers.i18n import t
from zoning.cli import main

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# 小蓝经开区 moved to a small square far from every shipped firm.
SQUARE = [[115.60, 28.30], [115.62, 28.30], [115.62, 28.32], [115.60, 28.32], [115.60, 28.30]]
BOUNDARY = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "x"},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            }
        ],
    }
).encode()


def _cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


def _areas_by_id(payload: dict) -> dict[str, str]:
    return {e["id"]: e["area"] for e in payload["enterprises"]}


def _save_zone_in_the_app() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/zones.py").run()
    at.selectbox(key="zone_target").set_value("xiaolan_etdz").run()
    at.file_uploader(key="zone_file_0").set_value(
        ("new_xiaolan.geojson", BOUNDARY, "application/geo+json")
    ).run()
    at.text_area(key="zone_note").input("official outline received")
    next(b for b in at.button if b.label == t("zones.save", "en")).click().run()
    assert not at.exception, at.exception
    # Version 1 is the shipped boundaries, kept at the first save.
    assert at.success[0].value == t("zones.saved", "en", version=2)


def test_zone_saved_in_the_app_is_used_by_check_and_export(tmp_path, monkeypatch, capsys):
    store = tmp_path / "project.gpkg"
    monkeypatch.setenv("NANCHANG_STORE", str(store))
    before = _areas_by_id(_cli_json(capsys, "check"))
    # NC-005 (a materials firm at 小蓝's park centre) lies in the materials area before.
    assert "materials" in before["NC-005"]

    _save_zone_in_the_app()

    after = _areas_by_id(_cli_json(capsys, "check"))
    assert "materials" not in after["NC-005"]
    assert before != after
    # The same result when the store is named on the command line instead.
    monkeypatch.delenv("NANCHANG_STORE")
    assert _areas_by_id(_cli_json(capsys, "check", "--store", str(store))) == after
    # ... and without a store the shipped zones are back.
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "absent.gpkg"))
    assert _areas_by_id(_cli_json(capsys, "check")) == before

    out = tmp_path / "zones.geojson"
    assert main(["export", "--layer", "zones", "--out", str(out), "--store", str(store)]) == 0
    zones = geo.read(str(out)).data
    moved = zones.loc[zones["zone_id"] == "xiaolan_etdz"].geometry.iloc[0]
    assert moved.bounds == pytest.approx((115.60, 28.30, 115.62, 28.32))


def test_an_unreadable_store_named_on_the_command_line_is_refused(tmp_path, capsys):
    bad = tmp_path / "not_a_store.gpkg"
    bad.write_bytes(b"this is not a GeoPackage")
    code = main(["check", "--store", str(bad)])
    assert code == 2
    assert "not_a_store.gpkg" in capsys.readouterr().err
