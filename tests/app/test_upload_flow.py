"""The upload flow of a real list: mapping shown and changed, a segment chosen, then used."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import layers
from layers.i18n import t

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
    assert shown.loc["编号", t("field.field", lang)] == "id"
    assert shown.loc["投资额（亿元）", t("field.field", lang)] == "investment_cny"
    assert shown.loc["门类", t("field.field", lang)] == ""
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
