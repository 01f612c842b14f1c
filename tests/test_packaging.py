"""The tool installs as a normal package: data inside it, nothing written beside it.

``pip install .`` (not editable) must give a working ``zoning`` from any folder: the
shipped data is package data (``layers.data``), found through
:func:`layers.settings.data_path`, and the default store is a per-user file, never one
beside the installed code.
"""

from __future__ import annotations

import csv
import fnmatch
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Top-level folders with an __init__.py that are not part of the installed tool.
NOT_SHIPPED = {"tests", "tools", "benchmarks", "data"}


def _setuptools_config() -> dict:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]


def _package_folder(name: str, package_dir: dict[str, str]) -> Path:
    return REPO / package_dir.get(name, name.replace(".", "/"))


def test_every_package_folder_is_listed_in_pyproject():
    config = _setuptools_config()
    found = set()
    for init in REPO.glob("*/**/__init__.py"):
        parts = init.parent.relative_to(REPO).parts
        if parts[0] in NOT_SHIPPED or parts[0].startswith(".") or "node_modules" in parts:
            continue
        found.add(".".join(parts))
    listed = set(config["packages"])
    missing = sorted(found - listed)
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"
    for name in listed:
        folder = _package_folder(name, config.get("package-dir", {}))
        assert (folder / "__init__.py").is_file(), f"{name}: no package at {folder}"
    assert config["package-dir"]["layers.data"] == "data"


def test_every_shipped_data_file_is_package_data():
    patterns = _setuptools_config()["package-data"]["layers.data"]
    files = [p.name for p in (REPO / "data").iterdir() if p.is_file() and p.suffix != ".py"]
    assert "districts.geojson" in files
    left_out = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert not left_out, f"add {left_out} to [tool.setuptools.package-data] in pyproject.toml"


def _copy_sources(dest: Path) -> None:
    """Copy what the build reads, so that building writes nothing into the repository.

    An in-tree build leaves ``build/`` and ``*.egg-info`` behind, where other runs would
    see them.
    """
    config = _setuptools_config()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    for name in config["packages"]:
        rel = config.get("package-dir", {}).get(name, name.replace(".", "/"))
        target = dest / rel
        target.mkdir(parents=True, exist_ok=True)
        for item in (REPO / rel).iterdir():
            if item.is_file():
                shutil.copy2(item, target / item.name)


def _run(args: list[object], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _files(folder: Path) -> set[str]:
    # __pycache__ is the interpreter's bytecode cache (pip precompiles it at install time),
    # not something the tool writes.
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.slow
def test_a_non_editable_install_works_from_another_folder(tmp_path: Path):
    major = int(version("setuptools").split(".")[0])
    assert major >= 77, (
        f"setuptools {version('setuptools')} cannot build this project offline; install the "
        "test extras (`make test` installs setuptools>=77)"
    )
    src, wheels, work = tmp_path / "src", tmp_path / "wheels", tmp_path / "elsewhere"
    for folder in (src, wheels, work):
        folder.mkdir()
    _copy_sources(src)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NANCHANG_", "PYTHON")) and k not in {"VIRTUAL_ENV"}
    }
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "user-data"))

    # Build the wheel as `pip install .` would, but offline: no isolated build environment.
    pip = [sys.executable, "-m", "pip"]
    offline = ["--no-deps", "--no-index", "-q"]
    built = _run(
        [*pip, "wheel", "--no-build-isolation", *offline, "-w", wheels, src], tmp_path, env
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("nanchang_storage_zoning-*.whl")

    # A fresh environment that borrows the dependencies of this one (they are large and
    # the test runs offline) through a .pth line; .pth files inside that folder, such as
    # the editable install's import hook, are not run, so the repository stays invisible.
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run([python, "-c", purelib], work, env).stdout.strip())
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    # pip comes from the borrowed folder; --ignore-installed: the editable install seen
    # there is another environment's, not one to replace.
    installed = _run(
        [python, "-m", "pip", "install", "--ignore-installed", *offline, wheel], work, env
    )
    assert installed.returncode == 0, installed.stderr
    assert (site / "layers" / "data" / "districts.geojson").is_file()
    assert not (site / "tools").exists()
    assert not (site / "data").exists()  # the data is layers.data, not a top-level package

    code = "import layers.settings as s; print(s.__file__); print(s.data_path('rules.yaml'))"
    where = _run([python, "-c", code], work, env)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert Path(line).is_relative_to(site), line  # the installed copy, not the checkout

    before = _files(site)
    zoning = venv / "bin" / "zoning"
    helped = _run([zoning, "check", "--help"], work, env)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: zoning check")
    checked = _run([zoning, "check"], work, env)
    assert checked.returncode == 0, checked.stderr
    with (REPO / "data" / "enterprises.csv").open(encoding="utf-8-sig", newline="") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    assert ids
    assert all(i in checked.stdout for i in ids), checked.stdout
    assert "enterprises.csv" in checked.stdout

    # Nothing beside the installed code, in the working folder, or in the user's store
    # folder (reading the default store creates none).
    assert _files(site) == before
    assert list(work.iterdir()) == []
    assert not (tmp_path / "user-data").exists()
