"""One vocabulary: a verdict reads the same in the check, the CLI, a file and the app.

The firms sit on the shipped areas (points found from the shipped layers, not typed in),
one per verdict, and three uncertain ones leaning each way, so every verdict word the
reasons quote and every verdict word the command line prints is compared with the app's.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import shapely

import layers
import zoning
from geo.io import read, write
from layers.i18n import LANGS, STRINGS, Lang, t, term
from zoning.cli import main

# id -> (segment, where, precision_m, verdict, verdict at the point)
FIRMS = {
    "F-conforming": ("li_ion_cell", "battery", 0, "conforming", "conforming"),
    "F-misplaced": ("copper_foil", "battery", 0, "misplaced", "misplaced"),
    "F-outside": ("li_ion_cell", "outside", 0, "outside", "outside"),
    "F-unassigned": ("pv_cell", "battery", 0, "unassigned", "unassigned"),
    "F-unlocated": ("li_ion_cell", None, 0, "unlocated", "unlocated"),
    # A 30 km circle crosses area boundaries from anywhere in the city.
    "F-lean-conforming": ("li_ion_cell", "battery", 30_000, "uncertain", "conforming"),
    "F-lean-misplaced": ("copper_foil", "battery", 30_000, "uncertain", "misplaced"),
    "F-lean-outside": ("li_ion_cell", "outside", 30_000, "uncertain", "outside"),
}


@pytest.fixture(scope="module")
def firms_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    areas = layers.areas()
    city = shapely.union_all(layers.districts().geometry.to_numpy())
    where = {
        "battery": areas.loc["battery"].geometry.representative_point(),
        "outside": shapely.difference(
            city, shapely.union_all(areas.geometry.to_numpy())
        ).representative_point(),
    }
    path = tmp_path_factory.mktemp("vocabulary") / "firms.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name_zh", "name_en", "segment", "lon", "lat", "precision_m"])
        for i, (firm, (segment, place, prec, _, _)) in enumerate(FIRMS.items()):
            point = where.get(place) if place else None
            lon, lat = (f"{point.x:.6f}", f"{point.y:.6f}") if point else ("", "")
            out.writerow([firm, f"企业{i}", f"Firm {i}", segment, lon, lat, prec])
    return path


def _quoted_verdict(reason: str, lang: Lang) -> str:
    """The verdict an uncertain reason quotes for the given point, cut out by its template."""
    template = STRINGS["reason.check.uncertain"][lang]
    before, after = template.split("{at_point}")
    lead_in = before.rsplit("}", 1)[-1]  # the literal text right before the verdict
    assert lead_in in reason, reason
    assert reason.endswith(after), reason
    return reason[reason.index(lead_in) + len(lead_in) : len(reason) - len(after)]


def test_a_verdict_reads_the_same_in_check_cli_files_and_app(
    firms_csv, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "no-store.gpkg"))  # shipped zones
    result = zoning.check(layers.read_enterprises(str(firms_csv)).data)
    got = {r.id: (str(r.verdict), str(r.verdict_at_point)) for r in result.itertuples()}
    assert got == {firm: spec[3:] for firm, spec in FIRMS.items()}  # the fixture holds

    out_file = tmp_path / "check.gpkg"
    assert main(["check", "--enterprises", str(firms_csv), "--out", str(out_file)]) == 0
    printed = capsys.readouterr().out
    line_of = {
        firm: next(line for line in printed.splitlines() if line.startswith(f"{firm} "))
        for firm in FIRMS
    }
    files = {"cli": read(str(out_file)).data.set_index("id")}
    for ext in ("geojson", "csv"):
        files[ext] = read(str(write(result, tmp_path / f"check.{ext}"))).data.set_index("id")

    for lang in LANGS:
        for row in result.itertuples():
            app = t(f"verdict.{row.verdict}", lang)  # the app's label
            assert app == term("verdict", row.verdict, lang)
            assert app in line_of[row.id], (lang, line_of[row.id])
            reason = getattr(row, f"reason_{lang}")
            assert f"    {reason}" in printed.splitlines()
            for name, back in files.items():
                assert back.loc[row.id, f"reason_{lang}"] == reason, name
                assert back.loc[row.id, "verdict"] == row.verdict, name
            if row.verdict == "uncertain":
                leans = t(f"verdict.{row.verdict_at_point}", lang)
                assert _quoted_verdict(reason, lang) == leans
                assert leans in line_of[row.id].split("leans", 1)[1]


def test_every_verdict_has_one_word_per_language():
    for lang in LANGS:
        words = [term("verdict", v, lang) for v in zoning.VERDICTS]
        assert len(set(words)) == len(words), words
    # A site's zoning class that means what a verdict means reads as that verdict.
    for site_class, verdict in (("outside", "outside"), ("no_designated_area", "unassigned")):
        assert STRINGS[f"criterion.{site_class}"] == STRINGS[f"verdict.{verdict}"]


def test_reasons_come_from_the_catalogue(areas, chain):
    from tests.zoning.conftest import firms

    out = zoning.check(
        firms([("a", "li_ion_cell", 115.92, 28.62, 0.0), ("b", "copper_foil", 115.92, 28.62, 0.0)]),
        areas=areas,
        chain=chain,
    )
    for lang in LANGS:
        fields = {"areas": areas.loc["battery", f"name_{lang}"]}
        expect = [
            t(
                "reason.check.conforming",
                lang,
                seg=chain.loc["li_ion_cell", f"name_{lang}"],
                desig=areas.loc["battery", f"name_{lang}"],
                **fields,
            ),
            t(
                "reason.check.misplaced",
                lang,
                seg=chain.loc["copper_foil", f"name_{lang}"],
                desig=areas.loc["materials", f"name_{lang}"],
                **fields,
            ),
        ]
        assert out[f"reason_{lang}"].astype(str).tolist() == expect


def test_texts_are_the_same_warm_and_cold(areas, chain):
    """Kept texts, boundaries and lattices never change an answer (zoning._cache)."""
    from tests.zoning.conftest import firms
    from zoning import _cache

    rows = [
        (str(i), seg, 115.90 + 0.01 * i, 28.61 + 0.006 * i, prec)
        for i, (seg, prec) in enumerate(
            [("li_ion_cell", 0.0), ("copper_foil", 800.0), ("pcs", 2500.0), ("cathod", 0.0)] * 3
        )
    ]
    zoning.check(firms(rows), areas=areas, chain=chain)
    warm = zoning.check(firms(rows), areas=areas, chain=chain)
    _cache.clear()
    assert all(len(c) == 0 for c in (_cache.BOUNDARIES, _cache.REGIONS, _cache.REASON_TEXTS))
    cold = zoning.check(firms(rows), areas=areas, chain=chain)
    pd.testing.assert_frame_equal(warm, cold)
    assert len(_cache.REASON_TEXTS) == 1  # one plan's texts
