"""The multi-page PDF report, checked with Poppler the way a reader would see it.

``pdffonts`` proves the CJK font is embedded (and nothing is left to the viewer),
``pdftotext`` (page by page) proves the words: section titles in the chosen language, the
verdict counts equal to :func:`zoning.check`'s own, the listed firms' names, the header
repeated on every page of a long table, the footer's page numbers and date. Under
``CI=true`` a missing Poppler fails the run; elsewhere the tests skip and say why.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import layers
import zoning
from geo import InputError
from layers.i18n import t
from layers.project import Project, open_project
from maps import report
from maps._report_pdf import register_font
from maps.print import CJKFontError

DATE = datetime.date(2026, 12, 1)
ORG = "南昌市城市规划设计研究总院"
SECTIONS = ("report.section_check", "report.section_gaps", "report.section_sources")
# A firm name a PDF paragraph would parse as markup if it were not escaped.
HOSTILE = "A&B <Co> 合成"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        why = f"{tool} not found: install Debian's poppler-utils (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    return path


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stdout


def _pages(pdf: Path) -> list[str]:
    """The text of each page, laid out as printed (``pdftotext -layout``)."""
    n = int(re.search(r"Pages:\s+(\d+)", _run(_poppler("pdfinfo"), str(pdf))).group(1))
    tool = _poppler("pdftotext")
    return [
        _run(tool, "-layout", "-f", str(i), "-l", str(i), str(pdf), "-") for i in range(1, n + 1)
    ]


def _flat(text: str) -> str:
    """Text without whitespace: words wrapped across lines or cells still match."""
    return re.sub(r"\s+", "", text)


def _write(tmp: Path, name: str, pdf: bytes) -> Path:
    path = tmp / name
    path.write_bytes(pdf)
    return path


@pytest.fixture(scope="module")
def shipped() -> Project:
    return open_project(default_store=False)


@pytest.fixture(scope="module")
def synthetic(shipped: Project) -> Project:
    firms = layers.synthetic_enterprises(300, seed=1)
    checked = zoning.check(firms, areas=shipped.areas, chain=shipped.chain)
    first = checked.index[checked["verdict"].astype(str).eq("misplaced")][0]
    firms.loc[first, "name_en"] = HOSTILE
    return shipped.with_enterprises(firms, source="synthetic")


@pytest.fixture(scope="module")
def zh_pdf(shipped: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data in Chinese, with the plan map on the cover."""
    pdf = report.render_report(shipped, lang="zh", date=DATE, organisation=ORG)
    return _write(tmp_path_factory.mktemp("report"), "zh.pdf", pdf)


@pytest.fixture(scope="module")
def en_sites_pdf(shipped: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sites = pd.DataFrame(
        {
            "label": ["Site-N", "Site-E", "Site-F"],
            "segment": ["li_ion_cell", "li_ion_cell", "copper_foil"],
            "lon": [115.84, 115.95, 115.60],
            "lat": [28.76, 28.68, 28.90],
        }
    )
    pdf = report.render_report(shipped, lang="en", date=DATE, sites=sites, with_map=False)
    return _write(tmp_path_factory.mktemp("report"), "en_sites.pdf", pdf)


@pytest.fixture(scope="module")
def long_pdf(synthetic: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic firms in English: a list of misplaced and uncertain firms of pages."""
    pdf = report.render_report(synthetic, lang="en", date=DATE, with_map=False)
    return _write(tmp_path_factory.mktemp("report"), "long.pdf", pdf)


# ---------------------------------------------------------------- fonts and words


@pytest.mark.parametrize("name", ["zh_pdf", "en_sites_pdf"])
def test_every_font_is_embedded_and_one_is_cjk(name: str, request: pytest.FixtureRequest):
    pdf = request.getfixturevalue(name)
    rows = _run(_poppler("pdffonts"), str(pdf)).splitlines()[2:]
    assert rows, "no font at all"
    for row in rows:
        # name, type, encoding, emb, sub, uni, object, generation
        assert row.split()[-5] == "yes", f"font not embedded: {row}"
    assert any("WenQuanYi" in r or "CJK" in r or "Hei" in r for r in rows), rows


def test_chinese_report_has_its_sections_in_chinese(zh_pdf: Path):
    text = _flat("".join(_pages(zh_pdf)))
    for key in (*SECTIONS, "report.attention", "gaps.matrix", "gaps.targets", "report.limits"):
        assert _flat(t(key, "zh")) in text, key
    assert _flat(t("report.section_check", "en")) not in text
    assert _flat(t("report.title", "zh")) in text
    assert _flat(ORG) in text
    # No compared sites: no such section.
    assert _flat(t("report.section_sites", "zh")) not in text


def test_english_report_has_its_sections_in_english(en_sites_pdf: Path):
    text = _flat("".join(_pages(en_sites_pdf)))
    for key in (*SECTIONS, "report.section_sites", "report.attention", "gaps.targets"):
        assert _flat(t(key, "en")) in text, key
    assert _flat(t("report.section_check", "zh")) not in text
    for label in ("Site-N", "Site-E", "Site-F"):
        assert _flat(label) in text


def test_cover_carries_the_map_and_the_store_version(zh_pdf: Path):
    cover = _pages(zh_pdf)[0]
    assert _flat(t("report.store_shipped", "zh")) in _flat(cover)
    images = _run(_poppler("pdfimages"), "-list", "-f", "1", "-l", "1", str(zh_pdf))
    sizes = [int(line.split()[3]) for line in images.splitlines()[2:]]
    assert sizes, "no image on the cover"
    assert max(sizes) > 1000, "the plan map (a large image) is not on the cover"


def _verdict_totals(pages: list[str], lang: str) -> dict[str, int]:
    """Read the Total column of the verdict x area table, by verdict key."""
    out = {}
    for verdict in zoning.VERDICTS:
        label = re.escape(t(f"verdict.{verdict}", lang))
        found = [
            m for page in pages for m in re.finditer(rf"^\s*{label}((?:\s+\d+)+)\s*$", page, re.M)
        ]
        assert len(found) == 1, f"{verdict}: {len(found)} rows"
        out[verdict] = int(found[0].group(1).split()[-1])
    return out


@pytest.mark.parametrize(
    ("name", "project", "lang"), [("zh_pdf", "shipped", "zh"), ("long_pdf", "synthetic", "en")]
)
def test_verdict_counts_equal_zonings_own(
    name: str, project: str, lang: str, request: pytest.FixtureRequest
):
    pdf, proj = request.getfixturevalue(name), request.getfixturevalue(project)
    result = zoning.check(proj.enterprises, areas=proj.areas, chain=proj.chain)
    expected = result["verdict"].astype(str).value_counts().to_dict()
    printed = _verdict_totals(_pages(pdf), lang)
    assert printed == {v: expected.get(v, 0) for v in zoning.VERDICTS}
    assert sum(printed.values()) == len(proj.enterprises)


def test_listed_firms_are_the_misplaced_and_uncertain_ones(long_pdf: Path, synthetic: Project):
    result = zoning.check(synthetic.enterprises, areas=synthetic.areas, chain=synthetic.chain)
    verdict = result["verdict"].astype(str)
    listed = set(result.loc[verdict.isin(report.ATTENTION), "id"])
    assert len(result.loc[verdict.eq("misplaced")]) > 0  # the check can fail
    text = "".join(_pages(long_pdf))
    # Each listed firm exactly once (no row lost or repeated at a page break), marked †.
    for firm in listed:
        assert len(re.findall(rf"{firm} †", text)) == 1, firm
    others = set(result["id"]) - listed
    assert not [f for f in others if f in text]
    flat = _flat(text)
    for name in result.loc[verdict.eq("misplaced"), "name_en"]:
        assert _flat(name) in flat, name  # HOSTILE among them: escaped, printed as written
    assert _flat(HOSTILE) in flat
    assert _flat(t("report.synthetic_mark", "en")) in flat


def test_shipped_uncertain_firms_are_named_with_reasons(zh_pdf: Path, shipped: Project):
    result = zoning.check(shipped.enterprises, areas=shipped.areas, chain=shipped.chain)
    uncertain = result.loc[result["verdict"].astype(str).eq("uncertain")]
    assert len(uncertain) > 0
    flat = _flat("".join(_pages(zh_pdf)))
    for row in uncertain.itertuples():
        assert row.id in flat
        assert _flat(row.name_zh)[:8] in flat  # wrapped in its cell: the start suffices
        assert _flat(str(row.reason_zh))[:20] in flat


def test_a_long_table_repeats_its_header_on_every_page(long_pdf: Path):
    pages = _pages(long_pdf)
    with_rows = [p for p in pages if re.search(r"SYN-\d{7} †", p)]
    assert len(with_rows) >= 3, "the list should span several pages"
    header = re.compile(r"^\s*ID\s+Name\s+Segment\s+Verdict\s+Areas holding it\s+Reason\s*$", re.M)
    for page in with_rows:
        head = header.search(page)
        assert head is not None, page[:400]
        first_row = re.search(r"SYN-\d{7} †", page)
        assert head.start() < first_row.start()


def test_every_page_has_its_number_and_the_date(long_pdf: Path, zh_pdf: Path):
    for pdf, lang in ((long_pdf, "en"), (zh_pdf, "zh")):
        pages = _pages(pdf)
        for i, page in enumerate(pages, start=1):
            flat = _flat(page)
            assert _flat(t("report.page", lang, page=i, pages=len(pages))) in flat
            assert _flat(t("report.date", lang, date=DATE.isoformat())) in flat


def test_provenance_lists_the_shipped_files_and_limits(zh_pdf: Path, long_pdf: Path):
    flat = _flat("".join(_pages(zh_pdf)))
    for name in ("districts.geojson", "zones.geojson", "rules.yaml", "enterprises.csv"):
        assert name in flat
    assert _flat(t("report.limit_no_synthetic", "zh")) in flat
    assert _flat(t("report.limit_zones", "zh", n=3, total=3)) in flat
    long = _flat("".join(_pages(long_pdf)))
    assert _flat(t("report.limit_synthetic", "en", n=300)) in long


# ---------------------------------------------------------------- content and inputs


def test_sources_table_has_a_licence_and_date_for_each_file():
    table = report.sources("en")
    assert len(table) >= 8
    assert table["Licence"].str.len().gt(0).all()
    assert table["Date"].str.match(r"\d{4}-\d{2}").all()


def test_read_sites_reads_a_table_and_refuses_what_is_wrong(tmp_path: Path):
    good = tmp_path / "sites.csv"
    good.write_text("label,segment,lon,lat\nA,li_ion_cell,115.84,28.76\n", encoding="utf-8")
    sites = report.read_sites(good)
    assert sites.to_dict("records") == [
        {"label": "A", "segment": "li_ion_cell", "lon": 115.84, "lat": 28.76}
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("label,lon,lat\nA,115.84,28.76\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv.*segment"):
        report.read_sites(bad)


def test_an_unknown_site_segment_is_refused(shipped: Project):
    sites = pd.DataFrame(
        {"label": ["A"], "segment": ["unobtainium"], "lon": [115.8], "lat": [28.7]}
    )
    with pytest.raises(InputError, match="unobtainium"):
        report.render_report(shipped, lang="en", date=DATE, sites=sites, with_map=False)


def test_without_a_cjk_font_the_report_is_refused():
    with pytest.raises(CJKFontError, match="fonts-wqy-microhei"):
        register_font((("/nonexistent/font.ttc", 0),), name="ReportCJKMissing")


# ---------------------------------------------------------------- command line


def test_zoning_report_writes_the_pdf(tmp_path: Path):
    sites = tmp_path / "sites.csv"
    sites.write_text("label,segment,lon,lat\nS9,copper_foil,115.6,28.9\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "zoning", "--lang", "zh", "report", "--out", str(out),
         "--date", "2026-12-01", "--organisation", ORG, "--sites", str(sites)],
        # Run elsewhere than the repository: its folder on sys.path would let a stale
        # *.egg-info there (left by an in-tree build) hide the installed entry points.
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    flat = _flat("".join(_pages(out)))
    assert _flat(t("report.section_sites", "zh")) in flat
    assert "S9" in flat
    assert _flat(ORG) in flat
    assert "2026-12-01" in flat


def test_zoning_report_refuses_a_bad_date(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "zoning", "report", "--out", str(tmp_path / "r.pdf"),
         "--date", "2026-13-01"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "YYYY-MM-DD" in done.stderr
    assert not (tmp_path / "r.pdf").exists()
