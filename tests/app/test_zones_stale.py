"""A zone editor page that shows an old version never writes over a newer one.

The page shows version 2; meanwhile another planner (a direct store write, as a second
session or the command line does) saves version 3. The page's restore and save must then
be refused with who saved which version when, in the page's language, and nothing written.
After the refusal the page shows version 3, and acting on it again works.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import geo.store
import layers
from layers.access import Identity
from layers.i18n import Lang, t

APP = str(Path(__file__).resolve().parents[2] / "app.py")

# A square boundary for the Xiaolan zone, south of the city (a file a planner imports).
SQUARE = [[115.60, 28.30], [115.62, 28.30], [115.62, 28.32], [115.60, 28.32], [115.60, 28.30]]
BOUNDARY = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "小蓝经开区"},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            }
        ],
    }
).encode()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store whose zones are at version 2 (both versions the shipped boundaries)."""
    path = tmp_path / "project.gpkg"
    monkeypatch.setenv("NANCHANG_STORE", str(path))
    zones = layers.zones()
    with geo.store.open(path) as opened:
        opened.write("zones", zones, author="王工", note="第一版")
        opened.write("zones", zones, author="王工", note="第二版")
    return path


def zones_page(lang: Lang) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/zones.py").run()
    assert not at.exception, at.exception
    return at


def someone_else_saves(store: Path) -> geo.store.Version:
    """Another planner saves version 3 while the page still shows version 2."""
    with geo.store.open(store) as opened:
        data = opened.read("zones")
        return opened.write("zones", data.iloc[::-1], author="李工", note="抢先修改")


def shown(at: AppTest) -> str:
    return "\n".join(
        str(getattr(e, "value", ""))
        for kind in ("markdown", "error", "success", "caption")
        for e in at.get(kind)
    ).replace("\\", "")


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_restore_from_a_stale_page_is_refused_naming_who_saved_what_when(
    store: Path, lang: Lang
) -> None:
    at = zones_page(lang)
    assert t("zones.edit.version_now", lang, version=2) in shown(at)
    at.selectbox(key="restore_version_2").set_value(1).run()
    at.text_input(key="restore_note").input("撤回")
    theirs = someone_else_saves(store)
    button(at, t("zones.restore", lang)).click().run()
    assert not at.exception, at.exception
    with geo.store.open(store) as opened:
        assert opened.current_version("zones") == 3  # nothing written
    error = "\n".join(e.value for e in at.error).replace("\\", "")
    when = f"{theirs.created_at:%Y-%m-%d %H:%M:%S} UTC"
    # Which version was chosen, which one was seen, and who saved which one when.
    if lang == "zh":
        assert "无法恢复图层“zones”的第 1 版：您看到的是第 2 版" in error, error
        assert f"李工 于 {when} 保存了第 3 版（抢先修改）；本次没有恢复任何内容" in error, error
    else:
        assert "cannot restore version 1 of layer 'zones': you were looking at version 2" in error
        assert f"version 3 was saved since by 李工 at {when} (抢先修改); nothing was" in error
    assert not at.success
    # The page now shows version 3; restoring version 1 from it goes through.
    assert t("zones.edit.version_now", lang, version=3) in shown(at)
    at.selectbox(key="restore_version_3").set_value(1).run()
    at.text_input(key="restore_note").input("撤回")
    button(at, t("zones.restore", lang)).click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == t("zones.restored", lang, old=1, version=4)
    with geo.store.open(store) as opened:
        history = opened.history("zones")
    assert history["restored_from"].tolist()[-1] == 1
    assert history["parent_version"].tolist()[-1] == 3


def test_a_save_from_a_stale_page_is_refused_and_writes_nothing(store: Path) -> None:
    at = zones_page("en")
    at.selectbox(key="zone_target").set_value("xiaolan_etdz").run()
    at.file_uploader(key="zone_file_0").set_value(
        ("xiaolan.geojson", BOUNDARY, "application/geo+json")
    ).run()
    assert not at.exception, at.exception
    at.text_area(key="zone_note").input("official outline")
    theirs = someone_else_saves(store)
    button(at, t("zones.save", "en")).click().run()
    assert not at.exception, at.exception
    with geo.store.open(store) as opened:
        assert opened.current_version("zones") == 3
    error = "\n".join(e.value for e in at.error).replace("\\", "")
    assert "you started from version 2" in error, error
    assert f"version 3 was saved since by 李工 at {theirs.created_at:%Y-%m-%d %H:%M:%S}" in error
    assert not at.success
    # Seen now: saving again puts the import on top of version 3.
    assert t("zones.edit.version_now", "en", version=3) in shown(at)
    button(at, t("zones.save", "en")).click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == t("zones.saved", "en", version=4)


def test_two_sessions_the_second_restore_is_refused(store: Path) -> None:
    # Two planners on one server: both see version 2, both choose to restore version 1.
    first, second = zones_page("en"), zones_page("zh")
    for at in (first, second):
        at.selectbox(key="restore_version_2").set_value(1).run()
        at.text_input(key="restore_note").input("undo")
    button(first, t("zones.restore", "en")).click().run()
    assert first.success[0].value == t("zones.restored", "en", old=1, version=3)
    with geo.store.open(store) as opened:
        theirs = opened.versions("zones")[-1]
    button(second, t("zones.restore", "zh")).click().run()
    assert not second.exception, second.exception
    error = "\n".join(e.value for e in second.error).replace("\\", "")
    when = f"{theirs.created_at:%Y-%m-%d %H:%M:%S} UTC"
    assert "无法恢复图层“zones”的第 1 版：您看到的是第 2 版" in error, error
    # No sign-in configured: the author is the single-user mode's identity, never typed.
    who = Identity.single_user().id
    assert f"{who} 于 {when} 保存了第 3 版（undo）" in error, error
    with geo.store.open(store) as opened:
        assert opened.current_version("zones") == 3
