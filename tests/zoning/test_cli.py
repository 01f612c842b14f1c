"""The command line on the shipped data and on bad input (exit codes 0, 1, 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geo.io import read
from zoning.cli import main

REPO = Path(__file__).resolve().parents[2]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_clean_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ shipped data


def test_check_gives_every_shipped_enterprise_a_verdict_and_reason(capsys):
    code, out, _ = _run(capsys, "check", "--json")
    assert code == 0
    payload = json.loads(out)
    firms = payload["enterprises"]
    assert len(firms) == 16
    assert sum(payload["counts"].values()) == 16
    for firm in firms:
        assert firm["verdict"] in {
            "conforming", "misplaced", "outside", "unassigned", "uncertain", "unlocated",
        }  # fmt: skip
        assert len(firm["reason_zh"]) > 10
        assert len(firm["reason_en"]) > 20
    # copper foil made inside the storage-battery area (华创新材, 经开区) is not conforming
    huachuang = next(f for f in firms if f["id"] == "NC-007")
    assert huachuang["segment"] == "copper_foil"
    assert huachuang["verdict"] != "conforming"
    unlocated = {f["id"] for f in firms if f["verdict"] == "unlocated"}
    assert unlocated == {"NC-003", "NC-004", "NC-014"}


def test_check_text_report_lists_each_firm_with_both_reasons(capsys):
    code, out, _ = _run(capsys, "check")
    assert code == 0
    assert "NC-007" in out
    assert "华创新材" in out
    assert "Storage-battery agglomeration area" in out
    assert "储能电池集聚区" in out
    assert "without coordinates kept as unlocated (rows 4, 5, 15)" in out


def test_check_writes_results_in_each_format(capsys, tmp_path):
    for ext in ("geojson", "gpkg", "csv"):
        target = tmp_path / f"check.{ext}"
        code, _, err = _run(capsys, "check", "--out", str(target))
        assert code == 0
        assert target.exists(), err
        back = read(str(target)).data
        assert len(back) == 16
        assert set(back["verdict"]) >= {"uncertain", "unlocated"}


def test_validate_shipped_file_is_clean(capsys):
    code, out, _ = _run(capsys, "validate", "--as-enterprises", str(REPO / "data/enterprises.csv"))
    assert code == 0
    assert "16 rows kept, 13 with a location" in out


def test_validate_bad_rows_exit_1_and_names_them(capsys, tmp_path):
    bad = tmp_path / "firms.csv"
    bad.write_text(
        "id,name_zh,segment,lon,lat\n"
        "A,甲,cathode,115.94,28.56\n"
        "B,乙,cathode,11x,28.56\n"
        "C,丙,copperfoil,115.94,28.56\n",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "validate", "--as-enterprises", str(bad))
    assert code == 1
    assert "firms.csv row 3" in out
    assert "copper_foil" in out  # the nearest valid key is suggested
    code, out, _ = _run(capsys, "validate", "--json", str(bad))
    assert code == 1
    payload = json.loads(out)
    assert payload["rows"] == 3
    assert [p["row"] for p in payload["problems"]] == [3]


def test_gaps_and_targets(capsys, tmp_path):
    out_file = tmp_path / "gaps.geojson"
    code, out, _ = _run(capsys, "gaps", "--out", str(out_file))
    assert code == 0
    assert "battery_pack" in out
    gaps = read(str(out_file)).data
    assert set(gaps["area"]) == {"battery", "materials", "control"}
    code, out, _ = _run(capsys, "gaps", "--json")
    payload = json.loads(out)
    ranks = [t["rank"] for t in payload["targets"]]
    assert ranks == sorted(ranks)
    assert all(t["status"] in {"missing", "thin"} for t in payload["targets"])


def test_clusters_runs_on_shipped_and_synthetic_data(capsys, tmp_path):
    code, _, _ = _run(capsys, "clusters", "--json")
    assert code == 0
    import layers
    from geo.io import write

    firms = layers.synthetic_enterprises(400, seed=3)
    path = write(firms, tmp_path / "syn.gpkg")
    code, out, _ = _run(capsys, "clusters", "--enterprises", str(path), "--json")
    assert code == 0
    payload = json.loads(out)
    clusters = payload["clusters"]
    assert clusters
    assert all(c["n_members"] >= 3 for c in clusters)
    # synthetic firms sit mostly in their designated areas: cells there concentrate
    lq = {row["area"]: row for row in payload["location_quotients"]}
    assert lq["materials"]["copper_foil"] > 1
    assert lq["battery"]["li_ion_cell"] > 1
    assert {"area", "segment", "ratio"} <= set(payload["nearest_neighbour"][0])
    code, out, _ = _run(
        capsys, "clusters", "--enterprises", str(path), "--lq-weight", "investment_cny"
    )
    assert code == 0
    assert "Location quotients" in out
    assert "Clark-Evans" in out
    # capacities in GWh, t/yr and GW cannot be added up: refused, naming the units
    code, _, err = _run(capsys, "clusters", "--enterprises", str(path), "--lq-weight", "capacity")
    assert code == 2
    assert "GWh" in _one_clean_line(err)


def test_site_score_text_and_json(capsys):
    code, out, _ = _run(capsys, "site", "--lon", "115.94", "--lat", "28.56", "--segment", "cathode")
    assert code == 0
    assert "/100" in out
    code, out, _ = _run(
        capsys, "site", "--lon", "115.94", "--lat", "28.56", "--segment", "cathode", "--json"
    )
    payload = json.loads(out)
    assert 0 <= payload["score"] <= 100


def test_site_in_gcj02_equals_site_in_wgs84(capsys):
    from geo.crs import convert

    glon, glat = convert(115.94, 28.56, src="wgs84", dst="gcj02")
    _, out_w, _ = _run(
        capsys, "site", "--lon", "115.94", "--lat", "28.56", "--segment", "cathode", "--json"
    )
    _, out_g, _ = _run(
        capsys,
        "site", "--lon", repr(float(glon)), "--lat", repr(float(glat)),
        "--segment", "cathode", "--coord-system", "gcj02", "--json",
    )  # fmt: skip
    assert json.loads(out_w)["score"] == pytest.approx(json.loads(out_g)["score"], abs=1e-6)


def test_suitability_grid_file(capsys, tmp_path):
    target = tmp_path / "s.geojson"
    code, out, _ = _run(
        capsys, "suitability", "--segment", "cathode", "--cell-m", "3000", "--out", str(target)
    )
    assert code == 0
    cells = read(str(target), extent=None).data
    assert len(cells) > 10
    assert cells["score"].astype(float).between(0, 100).all()
    assert "cells of 3000 m" in out
    city = tmp_path / "city.geojson"
    code, _, _ = _run(
        capsys, "suitability", "--segment", "cathode", "--cell-m", "3000", "--whole-city",
        "--out", str(city),
    )  # fmt: skip
    assert code == 0
    # centre-in cells of 9 km2 over the nine districts (7,193 km2); the areas are smaller
    n_city = len(read(str(city), extent=None).data)
    assert n_city == pytest.approx(7193 / 9, rel=0.05)
    assert n_city > len(cells)


@pytest.mark.parametrize("layer", ["districts", "zones", "areas", "enterprises"])
def test_export_layers(capsys, tmp_path, layer):
    target = tmp_path / f"{layer}.gpkg"
    code, _, _ = _run(capsys, "export", "--layer", layer, "--out", str(target))
    assert code == 0
    assert len(read(str(target), extent=None).data) > 0


def test_export_offers_every_kind_the_app_downloads():
    from zoning import _cli_args, exports

    assert _cli_args.EXPORT_KINDS == exports.KINDS


@pytest.mark.parametrize("kind", ["check", "targets", "chain_gaps", "spatial_gaps", "clusters"])
def test_export_results_as_the_app_downloads_them(capsys, tmp_path, monkeypatch, kind):
    import layers
    from zoning import exports

    # Synthetic firms besides the shipped ones, so that every result has rows (clusters).
    monkeypatch.setenv("NANCHANG_SYNTHETIC", "300")
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "absent.gpkg"))
    target = tmp_path / f"{kind}.geojson"
    code, _, _ = _run(capsys, "export", "--layer", kind, "--out", str(target))
    assert code == 0
    written = read(str(target), extent=None).data
    expected = exports.layer(kind, layers.open_project(default_store=False))
    assert len(written) == len(expected) > 0
    assert set(expected.columns) - {"geometry"} <= set(written.columns)


def test_export_suitability_needs_a_segment(capsys, tmp_path):
    out = tmp_path / "s.gpkg"
    code, _, err = _run(capsys, "export", "--layer", "suitability", "--out", str(out))
    assert code == 2
    assert "--segment" in _one_clean_line(err)
    code, _, _ = _run(
        capsys, "export", "--layer", "suitability", "--segment", "pcs", "--out", str(out)
    )
    assert code == 0
    assert len(read(str(out), extent=None).data) > 100


def test_export_chain_as_csv_only(capsys, tmp_path):
    code, _, _ = _run(capsys, "export", "--layer", "chain", "--out", str(tmp_path / "c.csv"))
    assert code == 0
    assert "copper_foil" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    code, _, err = _run(capsys, "export", "--layer", "chain", "--out", str(tmp_path / "c.gpkg"))
    assert code == 2
    assert ".csv" in _one_clean_line(err)


def test_convert_gcj02_file_to_wgs84(capsys, tmp_path):
    src = tmp_path / "amap.csv"
    src.write_text("id,名称,lon,lat\n1,南昌站,115.9,28.66\n", encoding="utf-8")
    dst = tmp_path / "wgs.geojson"
    code, _, _ = _run(capsys, "convert", "--from", "gcj02", "--to", "wgs84", str(src), str(dst))
    assert code == 0
    back = read(str(dst)).data
    # GCJ-02 is ~480 m east of WGS 84 here: converting moves the point west
    assert back.geometry.x.iloc[0] < 115.9 - 0.004
    assert back["名称"].iloc[0] == "南昌站"


def test_convert_wgs84_to_gcj02_is_the_inverse(capsys, tmp_path):
    src = tmp_path / "w.csv"
    src.write_text("id,lon,lat\n1,115.9,28.66\n", encoding="utf-8")
    mid = tmp_path / "g.csv"
    back = tmp_path / "w2.csv"
    assert _run(capsys, "convert", "--from", "wgs84", "--to", "gcj02", str(src), str(mid))[0] == 0
    assert _run(capsys, "convert", "--from", "gcj02", "--to", "wgs84", str(mid), str(back))[0] == 0
    data = read(str(back)).data
    assert np.allclose([data.geometry.x.iloc[0], data.geometry.y.iloc[0]], [115.9, 28.66])


# ------------------------------------------------------------------ unusable input: exit 2


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--enterprises", "no/such/file.csv"],
        ["clusters", "--enterprises", "no/such/file.csv"],
        ["gaps", "--enterprises", "no/such/file.csv"],
        ["validate", "no/such/file.csv"],
        ["convert", "--from", "gcj02", "--to", "wgs84", "no/such/file.csv", "out.csv"],
        ["check", "--rules", "no/such/rules.yaml"],
    ],
)
def test_missing_file_is_one_line_exit_2(capsys, argv):
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert "file.csv" in _one_clean_line(err) or "rules.yaml" in err


def test_unknown_segment_suggests_the_nearest(capsys, tmp_path):
    code, _, err = _run(capsys, "site", "--lon", "115.94", "--lat", "28.56", "--segment", "cathod")
    assert code == 2
    assert "cathode" in _one_clean_line(err)
    code, _, err = _run(
        capsys, "suitability", "--segment", "anod", "--out", str(tmp_path / "x.geojson")
    )
    assert code == 2
    assert "anode" in _one_clean_line(err)


@pytest.mark.parametrize(("lon", "lat"), [("121.47", "31.23"), ("28.56", "115.94")])
def test_site_outside_nanchang_is_refused(capsys, lon, lat):
    code, _, err = _run(capsys, "site", "--lon", lon, "--lat", lat, "--segment", "cathode")
    assert code == 2
    assert "Nanchang" in _one_clean_line(err)


def test_unreadable_rules_file_is_one_line_exit_2(capsys, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("areas:\n  - key: battery\n    segments: [li_ion_cell\n", encoding="utf-8")
    code, _, err = _run(capsys, "check", "--rules", str(rules))
    assert code == 2
    line = _one_clean_line(err)
    assert "rules.yaml" in line
    assert "line" in line


def test_bad_arguments_are_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["site", "--lon", "east", "--lat", "28.5", "--segment", "cathode"])
    assert exc.value.code == 2
    _one_clean_line(capsys.readouterr().err)
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


# ------------------------------------------------------------------ the installed entry points


def test_python_m_zoning_and_console_script_help():
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    out = subprocess.run(
        [sys.executable, "-m", "zoning", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    for command in ("validate", "check", "clusters", "gaps", "site", "suitability", "export"):
        assert command in out.stdout
    script = shutil.which("zoning", path=str(Path(sys.executable).parent))
    assert script is not None, "the `zoning` console script is not installed in the venv"
    out = subprocess.run(
        [script, "site", "--help"], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0
    assert "--coord-system" in out.stdout


def test_traceback_never_reaches_the_user_for_bad_input(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    out = subprocess.run(
        [sys.executable, "-m", "zoning", "check", "--enterprises", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "empty.csv" in out.stderr


# ------------------------------------------------------------------ options added after review


def test_gaps_reports_spatial_gaps_and_far_suppliers(capsys):
    code, out, _ = _run(capsys, "gaps", "--supplier-threshold-m", "1000")
    assert code == 0
    assert "Land farther than 5 km" in out
    assert "upstream segment missing or beyond 1 km" in out
    code, out, _ = _run(capsys, "gaps", "--json", "--supplier-threshold-m", "1000")
    payload = json.loads(out)
    areas = {row["area"]: row for row in payload["spatial_gaps"]}
    for row in areas.values():
        assert row["gap_km2"] + row["covered_km2"] == pytest.approx(row["area_km2"], abs=0.05)
    # with a 1 km threshold every located firm that has suppliers at all is flagged
    flagged = {row["id"] for row in payload["supplier_flags"]}
    assert "NC-001" in flagged


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["gaps", "--distance-m", "-5"], "--distance-m"),
        (["gaps", "--distance-m", "nan"], "--distance-m"),
        (["site", "--lon", "115.9", "--lat", "28.6", "--segment", "cathode", "--seed", "-1"],
         "--seed"),
        (["suitability", "--segment", "cathode", "--cell-m", "1e308", "--out", "x.geojson"],
         "--cell-m"),
        (["check", "--max-listed", "-1"], "--max-listed"),
    ],
)  # fmt: skip
def test_out_of_range_options_are_refused_naming_the_option(capsys, argv, option):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert option in _one_clean_line(capsys.readouterr().err)


def test_missing_rules_file_names_the_fix(capsys):
    code, _, err = _run(capsys, "check", "--rules", "no/such/rules.yaml")
    assert code == 2
    assert "no such rules file" in _one_clean_line(err)


def test_gaps_json_exit_code_follows_the_input_problems(capsys, tmp_path):
    bad = tmp_path / "firms.csv"
    bad.write_text(
        "id,name_zh,segment,lon,lat\nA,甲,cathode,115.94,28.56\nB,乙,cathode,11x,28.56\n",
        encoding="utf-8",
    )
    code, _, _ = _run(capsys, "gaps", "--json", "--enterprises", str(bad))
    assert code == 1


def test_layer_and_any_extent_options(capsys, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    from geo.io import write

    firms = gpd.GeoDataFrame(
        {"id": ["A", "B"], "name_zh": ["甲", "乙"], "segment": ["cathode", "anode"]},
        geometry=[Point(115.94, 28.56), Point(121.47, 31.23)],  # B is in Shanghai
        crs="EPSG:4326",
    )
    path = tmp_path / "two.gpkg"
    write(firms, path, layer="firms")
    write(firms.iloc[:1], path, layer="other")
    code, _, err = _run(capsys, "check", "--enterprises", str(path))
    assert code == 2
    assert "layer" in _one_clean_line(err)
    code, out, _ = _run(capsys, "check", "--enterprises", str(path), "--layer", "firms", "--json")
    assert code == 1  # Shanghai is outside Nanchang: kept unlocated and reported
    verdicts = {f["id"]: f["verdict"] for f in json.loads(out)["enterprises"]}
    assert verdicts["B"] == "unlocated"
    code, out, _ = _run(
        capsys, "check", "--enterprises", str(path), "--layer", "firms", "--any-extent", "--json"
    )
    assert code == 0
    verdicts = {f["id"]: f["verdict"] for f in json.loads(out)["enterprises"]}
    assert verdicts["B"] == "outside"
