"""The print-ready plan map: checked on the page it draws and with Poppler on the PDF."""

from __future__ import annotations

import datetime
import io
import math
import re
import shutil
import subprocess

import geopandas as gpd
import pandas as pd
import pyproj
import pytest

import geo
import layers
from geo.crs import WGS84, WORKING
from layers.i18n import local_names, t
from maps import _print_furniture, _print_layers
from maps.print import PAPER_SIZES, CJKFontError, date_text, plan_map, render_plan_map
from zoning import cli

DATE = datetime.date(2026, 12, 1)
BIG_DISTRICTS = ("安义县", "进贤县", "Anyi County", "Jinxian County")
TITLES = {"zh": "南昌市新型储能产业空间布局图（测试）", "en": "Storage plan test map"}


@pytest.fixture(scope="module")
def project() -> layers.project.Project:
    return layers.open_project(default_store=False)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(
            f"{tool} not found: install Debian's poppler-utils (apt-get install poppler-utils)"
        )
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_embeds_the_cjk_font_and_prints_every_required_word(project, tmp_path, lang):
    plan = plan_map(project, lang=lang, title=TITLES[lang], date=DATE, organisation="测试单位")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(plan.to_bytes("pdf"))
    fonts = _run(_poppler("pdffonts"), str(pdf))
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line or "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts  # the "emb" column

    words = _squash(_run(_poppler("pdftotext"), str(pdf), "-"))
    plan.figure.canvas.draw()
    info = plan.scale_bar.info
    expected = [
        TITLES[lang],
        t("print.legend", lang),
        t("print.legend.district", lang),
        t("print.legend.zone_approx", lang),
        *local_names(project.areas, lang),
        t("print.scale_km", lang, km=float(info.value)),
        t("print.scale_ratio", lang, denominator=f"{plan.denominator:,}"),
        t("print.sources", lang, sources=plan.sources[0]),
        *plan.sources[1:],
        t("print.date", lang, date=date_text(DATE, lang)),
        t("print.organisation", lang, organisation="测试单位"),
        t("print.approximate", lang),
        # The two largest districts' labels (real text over a halo, not outlines).
        *[n for n in local_names(project.districts, lang) if n in BIG_DISTRICTS],
    ]
    missing = [w for w in expected if _squash(w) not in words]
    assert missing == []
    other = "en" if lang == "zh" else "zh"
    assert _squash(t("print.legend.district", other)) not in words


@pytest.mark.parametrize(("size", "landscape"), [("A4", False), ("A3", True), ("A4", True)])
def test_the_legend_and_furniture_stay_outside_the_map_frame(project, size, landscape):
    plan = plan_map(project, lang="en", title="x", date=DATE, size=size, landscape=landscape)
    fig = plan.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = plan.map_axes.get_window_extent(renderer)
    legend = plan.legend.get_window_extent(renderer)
    assert not legend.overlaps(frame)
    assert not plan.scale_bar.info.window_extent.overlaps(frame)
    assert not plan.north_arrow.axes.get_window_extent(renderer).overlaps(frame)
    page = fig.bbox
    for box in (legend, frame, plan.scale_bar.info.window_extent):
        assert page.x0 <= box.x0
        assert box.x1 <= page.x1
        assert page.y0 <= box.y0
        assert box.y1 <= page.y1


@pytest.mark.parametrize("area", [None, "materials", "nc_etdz"])
def test_the_scale_bar_and_the_printed_scale_agree_with_the_maps_own_extent(project, area):
    plan = plan_map(project, lang="zh", title="x", date=DATE, area=area, size="A3")
    fig, ax = plan.figure, plan.map_axes
    fig.canvas.draw()
    info = plan.scale_bar.info
    assert info.units == "km"
    assert info.value in (1, 2, 5, 10, 20, 50)
    # The drawn bar in display pixels, converted to metres with the frame's own extent.
    x0, x1 = ax.get_xlim()
    frame = ax.get_window_extent()
    metres_per_px = (x1 - x0) / frame.width
    left, right = ax.transData.transform([(x0, 0.0), (x0 + info.length_px, 0.0)])
    drawn_m = (right[0] - left[0]) * metres_per_px
    assert drawn_m == pytest.approx(info.value * 1000, rel=0.01)
    # The frame's width on paper at 1:denominator is the extent's width in EPSG:4548.
    paper_m = frame.width / fig.dpi * 0.0254
    assert (x1 - x0) / paper_m == pytest.approx(plan.denominator, rel=0.01)
    # The shown area lies inside the frame.
    shown = project.areas.loc[[area]] if area in project.areas.index else None
    if shown is not None:
        bx0, by0, bx1, by1 = shown.to_crs(WORKING).total_bounds
        y0, y1 = ax.get_ylim()
        assert x0 <= bx0
        assert bx1 <= x1
        assert y0 <= by0
        assert by1 <= y1


@pytest.mark.parametrize("area", [None, "materials"])
def test_the_north_arrow_points_to_true_north(project, area):
    plan = plan_map(project, lang="en", title="x", date=DATE, area=area)
    x0, y0, x1, y1 = plan.extent
    lon, lat = pyproj.Transformer.from_crs(WORKING, WGS84, always_xy=True).transform(
        (x0 + x1) / 2, (y0 + y1) / 2
    )
    convergence = pyproj.Proj(WORKING).get_factors(lon, lat).meridian_convergence
    assert -0.7 < convergence < -0.3  # Nanchang, west of 117°E
    vertices = plan.north_arrow.get_xy()
    tip, base = vertices[0], vertices[-2]
    # Anticlockwise angle of the drawn arrow from the page's up (its axes are square).
    drawn = math.degrees(math.atan2(-(tip[0] - base[0]), tip[1] - base[1]))
    assert drawn == pytest.approx(convergence, abs=0.05)


def test_a3_landscape_is_an_a3_landscape_page(project, tmp_path):
    pdf = tmp_path / "a3.pdf"
    pdf.write_bytes(
        render_plan_map(project, lang="en", title="x", date=DATE, size="A3", landscape=True)
    )
    info = _run(_poppler("pdfinfo"), str(pdf))
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert match, info
    w_mm, h_mm = PAPER_SIZES["A3"]
    assert float(match.group(1)) == pytest.approx(h_mm / 25.4 * 72, abs=0.5)
    assert float(match.group(2)) == pytest.approx(w_mm / 25.4 * 72, abs=0.5)


def test_png_is_printed_at_300_dpi(project):
    from PIL import Image

    png = render_plan_map(project, lang="zh", title="x", date=DATE, fmt="png")
    image = Image.open(io.BytesIO(png))
    w_mm, h_mm = PAPER_SIZES["A4"]
    # matplotlib truncates the page to whole pixels: within one pixel of the paper size.
    assert image.size[0] == pytest.approx(w_mm / 25.4 * 300, abs=1)
    assert image.size[1] == pytest.approx(h_mm / 25.4 * 300, abs=1)
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)


@pytest.mark.parametrize(
    ("options", "zh"),
    [
        ({"title": "  "}, "图名"),
        ({"title": ""}, "图名"),
        ({"date": None}, "日期"),
        ({"date": "2026-12-01"}, "日期"),
        ({"sources": []}, "数据来源"),
        ({"sources": [" "]}, "数据来源"),
        ({"area": "nowhere"}, "nowhere"),
        ({"layers": ["tiles"]}, "tiles"),
        ({"layers": ["suitability"]}, "suitability_segment"),
        ({"sites": pd.DataFrame({"lon": [116.0]})}, "lat"),
    ],
)
def test_refuses_an_incomplete_map_in_both_languages(project, options, zh):
    kwargs = {"lang": "en", "title": "x", "date": DATE, **options}
    with pytest.raises(geo.InputError) as info:
        plan_map(project, **kwargs)
    assert info.value.text is not None
    assert zh in info.value.text.zh
    assert info.value.text.en != info.value.text.zh


def test_without_a_cjk_font_it_refuses_with_the_package_to_install(project, monkeypatch):
    monkeypatch.setattr(_print_furniture, "CJK_FAMILIES", ("No Such Font CJK",))
    monkeypatch.setattr(_print_furniture, "CJK_FILES", ("/nonexistent/font.ttc",))
    with pytest.raises(CJKFontError) as info:
        render_plan_map(project, lang="zh", title="x", date=DATE)
    assert "fonts-wqy-microhei" in info.value.text.en
    assert "中文字体" in info.value.text.zh


def test_sites_are_drawn_and_named(project, tmp_path):
    sites = pd.DataFrame({"lon": [115.95], "lat": [28.6], "name": ["候选地块甲"]})
    pdf = tmp_path / "sites.pdf"
    pdf.write_bytes(render_plan_map(project, lang="zh", title="x", date=DATE, sites=sites))
    words = _squash(_run(_poppler("pdftotext"), str(pdf), "-"))
    assert "候选地块甲" in words
    assert _squash(t("print.legend.site", "zh")) in words


def test_cli_writes_the_map_in_the_global_language(tmp_path, capsys):
    out = tmp_path / "plan.pdf"
    code = cli.main(
        [
            "--lang",
            "en",
            "map",
            "--out",
            str(out),
            "--date",
            "2026-12-01",
            "--organisation",
            "Planning bureau",
            "--area",
            "materials",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes()[:5] == b"%PDF-"
    words = _squash(_run(_poppler("pdftotext"), str(out), "-"))
    assert _squash(t("print.date", "en", date="2026-12-01")) in words
    assert _squash("Prepared by: Planning bureau") in words


def test_cli_refuses_an_unknown_format_with_exit_code_2(tmp_path, capsys):
    code = cli.main(["map", "--out", str(tmp_path / "plan.svg")])
    assert code == 2
    assert ".pdf or .png" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_area_map_is_that_areas_plan_and_greys_the_rest(project, lang):
    name = local_names(project.areas, lang)["materials"]
    plan = plan_map(project, lang=lang, title="x", date=DATE, area="materials")
    labels = [text.get_text() for text in plan.legend.get_texts()]
    assert t("print.legend.area_focus", lang, area=name) in labels
    assert t("print.legend.area_other", lang) in labels
    others = [n for key, n in local_names(project.areas, lang).items() if key != "materials"]
    assert not set(others) & set(labels)  # the other areas share one grey entry
    # Names of places outside the area are set in grey, inside it in full colour.
    plan.figure.canvas.draw()
    colours = {
        text.get_text(): text.get_color()
        for text in plan.map_axes.texts
        if text.get_path_effects() == []
    }
    inside = local_names(project.districts, lang)
    anyi = next(n for n in inside if n in ("安义县", "Anyi County"))
    xihu = next(n for n in inside if n in ("西湖区", "Xihu District"))
    assert colours[anyi] == "#222222"
    assert colours[xihu] == _print_layers.MUTED_TEXT

    city = plan_map(project, lang=lang, title="x", date=DATE)
    city_labels = [text.get_text() for text in city.legend.get_texts()]
    assert set(local_names(project.areas, lang)) <= set(city_labels)
    assert t("print.legend.area_other", lang) not in city_labels


@pytest.mark.parametrize(("area", "size"), [(None, "A4"), (None, "A3"), ("materials", "A4")])
def test_portrait_pages_leave_no_white_band_around_the_map(project, area, size):
    plan = plan_map(project, lang="zh", title="x", date=DATE, area=area, size=size)
    fig = plan.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    mm = fig.dpi / 25.4
    frame = plan.map_axes.get_window_extent(renderer)
    title = fig.texts[0].get_window_extent(renderer)
    legend = plan.legend.get_window_extent(renderer)
    footer_top = max(text.get_window_extent(renderer).y1 for text in fig.texts[1:])
    # Title to frame: the degree labels and a little air; legend to footer: 4 mm.
    assert (title.y0 - frame.y1) / mm < 15 * (1 if size == "A4" else math.sqrt(2))
    assert 2 < (legend.y0 - footer_top) / mm < 8
    assert legend.y1 < frame.y0


def test_the_suitability_surface_is_coloured_as_on_screen(project):
    from matplotlib.colors import to_hex
    from shapely.geometry import box

    from maps.styles import ramp_colour

    cells = gpd.GeoDataFrame(
        {"score": [10.0, 95.0]},
        geometry=[box(115.9, 28.6, 115.95, 28.65), box(116.0, 28.6, 116.05, 28.65)],
        crs=WGS84,
    )
    plan = plan_map(
        project,
        lang="en",
        title="x",
        date=DATE,
        layers=["districts", "suitability"],
        suitability_segment="cathode",
        suitability=cells,
    )
    # Scores are in [0, 100] (zoning.suitability_grid): 10 is pale, 95 dark, as on screen.
    expected = ramp_colour([0.10, 0.95])
    assert expected[0] != expected[1]
    drawn = [
        sorted(to_hex(c) for c in coll.get_facecolors())
        for coll in plan.map_axes.collections
        if len(coll.get_facecolors()) == 2
    ]
    assert sorted(expected) in drawn
