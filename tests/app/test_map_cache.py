"""The map page draws its map once per view and project, for every session.

``app_pages.common.prepare_map`` does ``st_folium``'s preparation once so the result can be
cached; these tests pin that the component receives exactly what ``st_folium`` would give
it (a streamlit-folium upgrade that changes its steps fails here), and that sessions share
the drawn map while each change of view draws its own.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
import streamlit_folium
from streamlit.testing.v1 import AppTest

import layers
import maps
from app_pages import common
from app_pages.map import _build, _View

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch):
    monkeypatch.setenv("NANCHANG_STORE", str(tmp_path / "project.gpkg"))


def _component_args(monkeypatch, draw) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def record(**kwargs: Any) -> dict[str, Any]:
        seen.update(kwargs)
        return dict(kwargs["default"])

    monkeypatch.setattr(streamlit_folium, "_component_func", record)
    draw()
    seen.pop("on_change")  # a closure: compared by what it does below
    return seen


@pytest.mark.parametrize(
    "view",
    [
        _View("en", "none", None, False, False, ""),
        _View("zh", "amap", None, True, True, "li_ion_cell"),
    ],
)
def test_a_prepared_map_reaches_the_component_as_st_folium_sends_it(monkeypatch, view):
    project = layers.open_project(default_store=False, synthetic=300)
    fmap = _build(view, project)[0]
    twin = copy.deepcopy(fmap)  # rendering alters a map: each path gets its own copy
    expected = _component_args(
        monkeypatch,
        lambda: streamlit_folium.st_folium(
            twin, key="map", height=640, use_container_width=True, returned_objects=[]
        ),
    )
    prepared = common.prepare_map(fmap, key="map")
    got = _component_args(
        monkeypatch, lambda: common.show_prepared_map(prepared, key="map", height=640)
    )
    assert got == expected
    assert len(prepared.script) > 10_000  # the layers are in it, not an empty map


def test_sessions_share_the_drawn_map_and_each_view_draws_its_own(monkeypatch):
    st.cache_resource.clear()
    calls: list[str] = []
    original = maps.add_enterprises

    def counting(fmap: Any, firms: Any, **kwargs: Any) -> int:
        calls.append(kwargs["lang"])
        return original(fmap, firms, **kwargs)

    monkeypatch.setattr(maps, "add_enterprises", counting)

    def session(lang: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"lang": lang, "basemap": "none"})
        at.run()
        assert not at.exception, at.exception
        return at

    first = session("en")
    session("en")
    assert calls == ["en"]  # the second session drew nothing
    first.sidebar.checkbox(key="show_gaps").check().run()
    assert not first.exception, first.exception
    session("zh")
    session("zh")
    assert calls == ["en", "en", "zh"]  # gaps on: another map; Chinese: another map
    first.sidebar.checkbox(key="show_gaps").uncheck().run()
    assert calls == ["en", "en", "zh"]  # back to the first view: drawn already


def test_sessions_share_the_check_and_a_saved_zone_checks_again(monkeypatch, tmp_path):
    # With 10,000 firms the check page re-ran the check for every view (5 s of server CPU);
    # it is computed once per project state, and a new zones version is a new state.
    import geo.store as gs
    import zoning

    st.cache_data.clear()
    calls: list[int] = []
    original = zoning.check

    def counting(firms: Any, **kwargs: Any) -> Any:
        calls.append(len(firms))
        return original(firms, **kwargs)

    monkeypatch.setattr(zoning, "check", counting)

    def session(lang: str) -> None:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"lang": lang, "basemap": "none"})
        at.run()
        at.switch_page("app_pages/check.py").run()
        assert not at.exception, at.exception

    session("en")
    session("zh")
    assert len(calls) == 1  # the second session and the other language reuse it
    zones = layers.zones()
    with gs.open(tmp_path / "project.gpkg") as store:
        store.write("zones", zones, author="王工", note="同一边界，新版本")
    common.clear_project()
    session("en")
    assert len(calls) == 2  # zones version 1 now: checked again
