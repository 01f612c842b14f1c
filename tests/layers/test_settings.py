"""layers.settings: where the shipped data, the store and Nanchang's extent come from."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import geo
import layers
from geo import InputError
from layers import settings

SHIPPED = ("districts.geojson", "zones.geojson", "rules.yaml", "chain.yaml", "enterprises.csv")


@pytest.mark.parametrize("name", SHIPPED)
def test_every_loader_finds_its_file_in_the_data_package(name):
    path = settings.data_path(name)
    assert path.is_file()
    # One place: the package layers.data (the repository's data/ in an editable install).
    import layers.data

    assert path.parent == Path(layers.data.__file__).parent


@pytest.mark.parametrize("name", ["", "..", "../pyproject.toml", "sub/rules.yaml", "/etc/x"])
def test_data_path_takes_only_file_names(name):
    with pytest.raises(ValueError, match="`name` must be a file name"):
        settings.data_path(name)


def test_store_is_the_environment_variable_else_a_per_user_file(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.STORE_ENV_VAR, str(tmp_path / "team.gpkg"))
    assert settings.store_target() == str(tmp_path / "team.gpkg")
    monkeypatch.setenv(settings.STORE_ENV_VAR, "  ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))  # platformdirs on Linux
    default = Path(settings.store_target())
    assert default.name == "project.gpkg"
    assert default.parent.name == "nanchang-storage-zoning"
    repo = Path(__file__).resolve().parents[2]
    assert not default.is_relative_to(repo)  # never beside the code
    if sys.platform.startswith("linux"):
        assert default == tmp_path / "share" / "nanchang-storage-zoning" / "project.gpkg"
    assert not default.parent.exists()  # asking for the target creates nothing


def test_store_target_is_read_at_each_call(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.STORE_ENV_VAR, str(tmp_path / "a.gpkg"))
    first = settings.store_target()
    monkeypatch.setenv(settings.STORE_ENV_VAR, str(tmp_path / "b.gpkg"))
    assert settings.store_target() != first


def test_enterprises_are_checked_against_nanchang_by_default():
    csv = "id,name_zh,segment,lon,lat\nA,甲,pcs,115.9,28.68\nB,乙,pcs,121.47,31.23\n".encode()
    result = layers.read_enterprises(csv, name="firms.csv")
    assert result.data["located"].tolist() == [True, False]
    assert "Nanchang with a margin" in " ".join(result.problems["problem"])
    anywhere = layers.read_enterprises(csv, name="firms.csv", extent=None)
    assert anywhere.data["located"].tolist() == [True, True]
    with pytest.raises(ValueError, match="'shanghai'"):
        layers.read_enterprises(csv, name="firms.csv", extent="shanghai")  # type: ignore[arg-type]


def test_nanchang_extent_names_the_usual_projected_crs():
    metres = b"id,lon,lat\n1,400000,3172000\n2,400010,3172010\n"
    with pytest.raises(InputError, match="the values fit EPSG:4548") as info:
        geo.read(metres, name="m.csv", extent=settings.extent())
    assert "EPSG:3857" in str(info.value)  # the list of usual ones
    with pytest.raises(InputError) as generic:
        geo.read(metres, name="m.csv")  # geo alone knows no place
    assert "Nanchang" not in str(generic.value)
    assert "EPSG:32650" not in str(generic.value)
