"""End to end: a Nanchang user's registry export through the data page, in headless Chromium.

The real app (``streamlit run app.py`` on a free local port, no internet) gets an XLSX
written here the way registry exports look: Chinese headers, industry codes, business
scopes, Amap (GCJ-02) coordinates, amounts in 亿元, statuses in Chinese, and one column the
tool does not know (产业类别). In the browser, as a user would: upload it, read the detected
mapping, change one mapping in the grid (产业类别 becomes the segment), choose a segment
for the firm whose industry code (C3985) has several candidates, then open the check page
in the same session and find the firms there with the chosen segment.

``st.data_editor`` draws on a canvas (glide-data-grid); the grid's accessible table (the
``<table role="grid">`` it keeps for screen readers) holds the cell values, which is what
is read here. A screenshot of every step goes to ``/work/notes/shots/upload_*.png`` when
that folder exists (the session's notes), else to the test's temporary folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pytest

import layers
from app_pages.data import ROW_HEIGHT
from layers.i18n import Lang, t

pytestmark = pytest.mark.slow

SHOTS = Path("/work/notes/shots")
HEADERS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "行业代码",
    "经营范围",
    "经度",
    "纬度",
    "坐标系",
    "投资额（亿元）",
    "项目状态",
    "产业类别",
)
# 1: 铜箔 by its name, scope and own column. 2: C3985 has six material candidates and the
# scope names none: the user chooses. 3: no code, a scope of no segment: only the
# unknown 产业类别 column (储能变流器 = pcs) tells, once the user maps it.
ROWS = (
    (1, "南昌测试铜箔有限公司", "", "C3985", "电解铜箔的研发、生产", 115.951, 28.561, "高德", 1.5,
     "在建", "铜箔"),
    (2, "南昌洪都新材料有限公司", "", "C3985", "电子专用材料的研发、销售", 115.942, 28.553,
     "高德", 3, "签约", ""),
    (3, "南昌赣江科技有限公司", "", "", "技术服务", 115.893, 28.694, "高德", 0.8, "投产",
     "储能变流器"),
)  # fmt: skip
AMBIGUOUS, UNKNOWN_COLUMN = "南昌洪都新材料有限公司", "产业类别"
# An English phrase (two words of letters): what must not appear in the Chinese page.
ENGLISH = re.compile(r"\b[A-Za-z]{4,}\s+[A-Za-z]{3,}\b")

ROWS_OF = """(grid) => [...grid.querySelectorAll('table[role="grid"] tbody tr')].map(
    tr => [...tr.querySelectorAll('td')].map(td => td.textContent))"""
HEADERS_OF = """(grid) => [...grid.querySelectorAll('table[role="grid"] thead th')].map(
    th => th.textContent)"""


def _registry_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for row in ROWS:
        sheet.append(list(row))
    book.save(path)
    return path


def _grid(page, header: str):
    """The data grid (editor or table) whose header row has ``header``, once it is alone.

    Right after a rerun the grid of the run before may linger a moment beside the new one.
    """
    from playwright.sync_api import expect  # the browser fixture has checked it is there

    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator(
            'table[role="grid"] thead th', has_text=re.compile(f"^{re.escape(header)}$")
        )
    )
    expect(grid).to_have_count(1, timeout=60_000)
    return grid


def _rows(grid, headers: list[str] | None = None) -> list[dict[str, str]]:
    """The grid's rows as {header: cell value} (the values, not their drawn labels).

    Read once the app is idle and the grid alone: a rerun starting between finding the
    grid and reading it shows the old grid beside the new one again (seen under load).
    """
    from playwright.sync_api import Error as PlaywrightError  # checked by `browser`
    from playwright.sync_api import expect

    for attempt in range(3):
        _idle(grid.page)
        expect(grid).to_have_count(1, timeout=60_000)
        try:
            heads = grid.evaluate(HEADERS_OF) if headers is None else headers
            return [dict(zip(heads, cells, strict=True)) for cells in grid.evaluate(ROWS_OF)]
        except PlaywrightError:
            if attempt == 2:
                raise
    raise AssertionError  # pragma: no cover - the loop returns or raises


def _edit_cell(
    page, grid, *, row: int, column: int, choice: str, shot: Callable[[], None] | None = None
) -> None:
    """Open a selectbox cell of the canvas grid, type to filter its options, take the first.

    As a keyboard user would: click the row's first cell, arrow to the column, Enter. A
    grid redrawn by a rerun right then may drop the keys: tried again, at most 3 times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # checked by `browser`

    editor = page.locator('input[id^="react-select"]').first
    for attempt in range(3):
        _idle(page)
        box = grid.bounding_box()
        assert box is not None
        # Streamlit's grid: a 35 px header row, then the page's rows.
        page.mouse.click(box["x"] + 20, box["y"] + 35 + ROW_HEIGHT * row + ROW_HEIGHT / 2)
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            editor.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    editor.focus()
    page.keyboard.type(choice)
    page.locator('[role="option"]').first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    if shot is not None:
        shot()
    page.keyboard.press("Enter")


def _idle(page) -> None:
    """Wait until the app is not running a script (its status widget gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)


def _summary(page, name: str) -> str:
    alert = page.locator('[data-testid="stAlert"]').filter(has_text=name).first
    alert.wait_for(timeout=30_000)
    return alert.inner_text()


def _shot(page, tmp_path: Path, name: str) -> None:
    folder = SHOTS if SHOTS.is_dir() else tmp_path
    page.wait_for_timeout(400)  # let the canvas grids paint
    page.screenshot(path=str(folder / f"{name}.png"))


def _problems(summary: str, lang: Lang) -> int:
    pattern = r"(\d+) 个问题" if lang == "zh" else r"(\d+) problems"
    found = re.search(pattern, summary)
    assert found, summary
    return int(found.group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_registry_export_is_mapped_resolved_and_checked(plain_app_url, browser, tmp_path, lang):
    path = _registry_xlsx(tmp_path / "南昌企业登记名单.xlsx")
    page = browser.new_page()
    page.set_viewport_size({"width": 1400, "height": 2200})  # the whole page
    errors: list[str] = []
    blocked: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r) -> None:
        if urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort("internetdisconnected")

    page.route("**/*", route)
    # No basemap: the check page draws its map, and tiles would come from the internet.
    page.goto(f"{plain_app_url}/data?lang={lang}&basemap=none", wait_until="domcontentloaded")
    page.locator('input[type="file"]').first.wait_for(timeout=30_000, state="attached")
    page.locator('input[type="file"]').first.set_input_files(str(path))

    # 1. The detected mapping, one row per column of the file (not the lon/lat the reader
    #    adds), its notes in the user's language, no "None" in an empty cell.
    source, field = t("field.source_column", lang), t("field.field", lang)
    columns = _grid(page, source)
    columns.wait_for(timeout=30_000)
    mapping = {r[source]: r for r in _rows(columns)}
    assert list(mapping) == list(HEADERS)
    assert mapping["序号"][field] == "id"
    assert mapping["经度"][field] == "lon"
    assert mapping["投资额（亿元）"][field] == "investment_cny"
    assert mapping["投资额（亿元）"][t("field.factor", lang)] == "1e8"
    assert mapping[UNKNOWN_COLUMN][field] == "-"  # drawn as "（不使用）" / "(not used)"
    cells = [v for r in mapping.values() for v in r.values()]
    assert not {"None", "nan", "NaN", "<NA>"} & set(cells)
    notes = [r[t("field.note", lang)] for r in mapping.values()]
    if lang == "zh":
        assert not [n for n in notes if ENGLISH.search(n)], notes
    needs_header = t("field.candidates", lang)
    needs = _grid(page, needs_header)
    needs.wait_for(timeout=30_000)
    # The grid's own headers: the column order puts the choice before the basis.
    needs_rows = _rows(needs)
    assert [r[t("field.name", lang)] for r in needs_rows] == [AMBIGUOUS, "南昌赣江科技有限公司"]
    summary = _summary(page, path.name)
    assert summary.startswith(path.name)
    before = _problems(summary, lang)
    _shot(page, tmp_path, f"upload_1_detected_{lang}")

    # 2. The user maps 产业类别 to the segment, in the grid: the file is read again, and the
    #    firm it settles (储能变流器) leaves the "needs a segment" list with its problem.
    heads = columns.evaluate(HEADERS_OF)
    _edit_cell(
        page,
        columns,
        row=list(HEADERS).index(UNKNOWN_COLUMN),
        column=heads.index(field),
        choice="segment",
        shot=lambda: _shot(page, tmp_path, f"upload_2a_choosing_{lang}"),
    )
    page.wait_for_function(
        """(header) => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
            .some(g => [...g.querySelectorAll('thead th')].some(th => th.textContent === header)
                       && g.querySelectorAll('table[role="grid"] tbody tr').length === 1)""",
        arg=needs_header,
        timeout=30_000,
    )
    mapping = {r[source]: r for r in _rows(_grid(page, source))}
    assert mapping[UNKNOWN_COLUMN][field] == "segment"
    assert mapping["序号"][field] == "id"  # the rest as it was
    needs = _grid(page, needs_header)
    assert [r[t("field.name", lang)] for r in _rows(needs)] == [AMBIGUOUS]
    after = _problems(_summary(page, path.name), lang)
    assert after < before
    _shot(page, tmp_path, f"upload_2_mapping_changed_{lang}")

    # 3. The firm with C3985 gets the segment the user chooses (正极材料), in the grid.
    heads = needs.evaluate(HEADERS_OF)
    _edit_cell(page, needs, row=0, column=heads.index(t("field.segment", lang)), choice="cathode")
    page.get_by_text(t("upload.segment_chosen", lang, n=1)).wait_for(timeout=30_000)
    assert _problems(_summary(page, path.name), lang) == after - 1
    _shot(page, tmp_path, f"upload_3_segment_chosen_{lang}")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "upload.csv" not in text
    assert "upload.xlsx" not in text
    if lang == "zh":
        shown = [
            page.locator('[data-testid="stAlert"]').all_inner_texts(),
            page.locator('[data-testid="stCaptionContainer"]').all_inner_texts(),
        ]
        english = [s for group in shown for s in group if ENGLISH.search(s)]
        assert english == []

    # 4. The check page, same session: it checks the upload, with the chosen segment.
    page.get_by_role("link", name=t("page.check", lang)).click()
    verdict = t("field.verdict", lang)
    table = _grid(page, t("field.name", lang))
    table.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    checked = {r[t("field.name", lang)]: r for r in _rows(table)}
    assert set(checked) == {row[1] for row in ROWS}
    chain = layers.chain()
    segment = t("field.segment", lang)
    assert checked[AMBIGUOUS][segment] == chain.loc["cathode", f"name_{lang}"]
    assert checked["南昌赣江科技有限公司"][segment] == chain.loc["pcs", f"name_{lang}"]
    assert all(r[verdict] for r in checked.values())
    assert "lang=" + lang in page.url
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=30_000)
    page.wait_for_timeout(1500)  # the map draws inside its frame
    _shot(page, tmp_path, f"upload_4_check_{lang}")
    assert errors == [], errors
    # Only the map's tiles tried to leave: the default basemap is OSM (?basemap=none is not
    # carried over by the navigation), and no script or stylesheet came from outside.
    assert {urlparse(u).hostname for u in blocked} <= {"tile.openstreetmap.org"}, blocked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_that_breaks_a_parser_gets_a_short_message(plain_app_url, browser, tmp_path, lang):
    # A 10 KB GeoJSON nested 5,000 levels deep: Python's JSON parser would overflow its
    # stack (RecursionError). The user sees one short message naming their file.
    path = tmp_path / "深层嵌套.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * 5000 + "]" * 5000 + "}")
    page = browser.new_page()
    page.goto(f"{plain_app_url}/data?lang={lang}&basemap=none", wait_until="domcontentloaded")
    page.locator('input[type="file"]').first.wait_for(timeout=30_000, state="attached")
    page.locator('input[type="file"]').first.set_input_files(str(path))
    alert = page.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for(timeout=60_000)
    said = alert.inner_text()
    assert said.startswith(t("upload.rejected", lang, error="").strip())
    assert "深层嵌套.geojson" in said
    body = page.locator("body").inner_text()
    for leak in ("Traceback", "RecursionError", "/tmp/", "/work/", ".py", "site-packages"):
        assert leak not in body, leak
    page.close()
