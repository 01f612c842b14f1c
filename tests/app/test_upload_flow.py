"""The upload flow of a real list: mapping shown and changed, a segment chosen, then used."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import layers
from app_pages.data import UNSET
from geo.messages import Text
from layers.columns import FIELDS
from layers.i18n import STRINGS, t
from zoning import tables

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# 门类 is no header the tool knows: the user maps it to the segment. 储能电池 may be cells
# or packs: the user chooses.
FILE = (
    "编号,企业名称,经度,纬度,门类,投资额（亿元）\n"
    "M1,测试铜箔厂,115.94,28.56,铜箔,1.5\n"
    "M2,测试电池厂,115.80,28.72,储能电池,2\n"
).encode("gbk")


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))


def _editor(at: AppTest, prefix: str):
    return next(e for e in at.data_editor if str(e.key).startswith(prefix))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mapping_shown_changed_segment_chosen_and_the_check_uses_it(lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload_file").set_value(("名单.csv", FILE, "text/csv")).run()
    assert not at.exception, at.exception

    # The detected mapping, shown before anything is used: 门类 is not read yet, so no
    # row has a segment and the report names the user's file, not a temporary name.
    columns = _editor(at, "columns_")
    shown = columns.value.set_index(t("field.source_column", lang))
    # The user's own columns only: not the lon/lat the reader adds from 经度/纬度.
    assert list(shown.index) == ["编号", "企业名称", "经度", "纬度", "门类", "投资额（亿元）"]
    assert shown.loc["经度", t("field.field", lang)] == "lon"
    summary = at.success[-1].value.replace("\\", "")
    assert summary.startswith("名单.csv")
    assert shown.loc["编号", t("field.field", lang)] == "id"
    assert shown.loc["投资额（亿元）", t("field.field", lang)] == "investment_cny"
    assert shown.loc["门类", t("field.field", lang)] == UNSET
    report = at.dataframe[-1].value
    messages = " ".join(report[t("problem.problem", lang)].astype(str))
    assert "名单.csv" in messages
    assert "upload." not in messages

    # The user maps 门类 to the segment: the file is read again with that mapping.
    row = list(shown.index).index("门类")
    at.session_state[columns.key] = {
        "edited_rows": {row: {t("field.field", lang): "segment"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    upload = at.session_state["upload"]
    data = upload["data"].set_index("id")
    assert data.loc["M1", "segment"] == "copper_foil"
    assert data.loc["M2", "segment"] == ""  # 储能电池: candidates, no guess

    # One ambiguous segment, chosen by the user.
    needs = _editor(at, "segments_")
    assert needs.value[t("field.id", lang)].tolist() == ["M2"]
    at.session_state[needs.key] = {
        "edited_rows": {0: {t("field.segment", lang): "li_ion_cell"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    assert t("upload.segment_chosen", lang, n=1) in [s.value for s in at.success]
    data = at.session_state["upload"]["data"].set_index("id")
    assert data.loc["M2", "segment"] == "li_ion_cell"
    assert data.loc["M2", "segment_basis"] == "chosen by the user"
    problems = at.session_state["upload"]["problems"]
    assert not (problems["column"] == "segment").any()

    # The check runs on the upload with the chosen segment.
    at.switch_page("app_pages/check.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[1].value.set_index(t("field.id", lang))
    cells = layers.chain().loc["li_ion_cell", f"name_{lang}"]
    assert table.loc["M2", t("field.segment", lang)] == cells
    assert len(table) == 2


def test_a_saved_mapping_can_be_downloaded_and_a_broken_one_is_refused():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload_file").set_value(("名单.csv", FILE, "text/csv")).run()
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["download_mapping"].label == t("upload.save_mapping", "zh")
    assert buttons["download_template"].label == t("upload.template", "zh")
    at.file_uploader(key="map_file").set_value(
        ("坏映射.yaml", b"columns: [not, a, mapping]", "application/yaml")
    ).run()
    assert not at.exception, at.exception
    assert "坏映射.yaml" in at.error[0].value.replace("\\", "")


def test_a_mapping_that_makes_the_file_unreadable_is_explained_and_can_be_undone():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("app_pages/data.py").run()
    at.file_uploader(key="upload_file").set_value(("名单.csv", FILE, "text/csv")).run()
    columns = _editor(at, "columns_")
    row = columns.value[t("field.source_column", "zh")].tolist().index("企业名称")
    at.session_state[columns.key] = {
        "edited_rows": {row: {t("field.field", "zh"): UNSET}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    # No name column: refused in Chinese, naming the user's file, with the way back.
    error = at.error[0].value.replace("\\", "")
    assert error.startswith(t("upload.rejected", "zh", error="")), error
    assert "名单.csv" in error
    reset = next(b for b in at.button if b.label == t("upload.reset_mapping", "zh"))
    reset.click().run()
    assert not at.exception, at.exception
    assert not at.error
    shown = _editor(at, "columns_").value.set_index(t("field.source_column", "zh"))
    assert shown.loc["企业名称", t("field.field", "zh")] == "name_zh"


def _mapping_rows() -> pd.DataFrame:
    """A mapping table as the reader returns it for 经度/纬度, 门类 and 投资额（亿元）."""
    return pd.DataFrame(
        {
            "source": ["经度", "纬度", "门类", "投资额（亿元）", "lon", "lat"],
            "samples": ["115.9", "28.6", "铜箔", "1.5", "115.89", "28.59"],
            "field": ["", "", "", "investment_cny", "lon", "lat"],
            "factor": [math.nan, math.nan, math.nan, 1e8, math.nan, math.nan],
            "note": [
                Text("read into lon", "读入 lon"),
                Text("read into lat", "读入 lat"),
                "not mapped",
                "投资额（亿元） → investment_cny × 1e8",
                "lon → lon",
                "lat → lat",
            ],
        }
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_columns_table_shows_the_users_columns_in_their_language(lang):
    shown = tables.columns_table(_mapping_rows(), lang)
    source, field, factor = (t(f"field.{k}", lang) for k in ("source_column", "field", "factor"))
    # The reader's added lon/lat are not shown; the user's 经度/纬度 show what they became.
    assert shown[source].tolist() == ["经度", "纬度", "门类", "投资额（亿元）"]
    assert shown[field].tolist() == ["lon", "lat", "", "investment_cny"]
    assert shown[factor].tolist() == ["", "", "", "1e8"]
    note = shown[t("field.note", lang)].tolist()
    assert note[0] == ("读入 lon" if lang == "zh" else "read into lon")
    assert note[2] == "not mapped"  # plain text: the one there is
    cells = shown.astype(str).to_numpy().ravel().tolist()
    assert not {"None", "nan", "<NA>"} & set(cells)


def test_the_columns_table_keeps_lon_lat_of_a_file_that_names_them_so():
    raw = pd.DataFrame(
        {
            "source": ["lon", "lat"],
            "samples": ["115.9", "28.6"],
            "field": ["lon", "lat"],
            "factor": [math.nan, math.nan],
            "note": ["lon → lon", "lat → lat"],
        }
    )
    assert tables.columns_table(raw, "en")["Column in the file"].tolist() == ["lon", "lat"]


def test_the_columns_table_prefers_note_zh_for_chinese():
    raw = _mapping_rows().assign(note_zh=["经度说明", None, "未映射", "", "", ""])
    notes = tables.columns_table(raw, "zh")[t("field.note", "zh")].tolist()
    # A missing Chinese note falls back to the note column (here bilingual).
    assert notes == ["经度说明", "读入 lat", "未映射", ""]
    assert tables.columns_table(raw, "en")[t("field.note", "en")].tolist()[2] == "not mapped"


def test_the_needs_a_segment_table_shows_the_basis_in_the_users_language():
    chain = layers.chain()
    csv = "编号,企业名称,行业代码,经度,纬度\nA,甲公司,C3985,115.9,28.6\nB,乙公司,,115.9,28.6\n"
    data = layers.read_enterprises(csv.encode(), name="名单.csv").data
    basis = t("field.basis", "zh")
    shown = tables.needs_segment_table(data, chain=chain, lang="zh")
    assert shown[t("field.id", "zh")].tolist() == ["A", "B"]
    candidates = shown[t("field.candidates", "zh")].tolist()
    assert chain.loc["cathode", "name_zh"] in candidates[0]
    assert shown[basis].tolist()[0] == "行业代码 C3985 电子专用材料制造（GB/T 4754-2017）"
    english = tables.needs_segment_table(data, chain=chain, lang="en")
    assert english[t("field.basis", "en")].tolist()[0].startswith("industry code C3985 ")


def test_every_field_has_a_label_for_the_mapping_editor():
    missing = [f for f in FIELDS if f"upload.field.{f}" not in STRINGS]
    assert missing == []
