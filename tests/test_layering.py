"""The layering holds: app.py -> app_pages -> maps -> zoning -> layers -> geo.

- ``geo``, ``layers`` and ``zoning`` load no UI stack (streamlit, folium, branca) and no
  ``maps``, whichever of their modules is imported;
- ``maps`` draws without streamlit;
- no module imports a private (``_``-prefixed) module or name of another of the project's
  packages, and the forbidden imports are not written anywhere, not even inside a function
  that the import tests above never call.

The first two run in a fresh interpreter, so what this test process already imported does
not hide anything; the third reads the source.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("geo", "layers", "zoning")
# Every top-level package of the project, and the app script (a package of its own here).
FIRST_PARTY = (*LIBRARY, "maps", "app_pages", "app")
# What each part must never import (by top-level name).
FORBIDDEN: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        LIBRARY,
        frozenset({"streamlit", "streamlit_folium", "folium", "branca", "maps", "app_pages"}),
    ),
    "maps": frozenset({"streamlit", "streamlit_folium", "app_pages"}),
}


def _source_files() -> list[Path]:
    """Every Python file of the layered code: the packages (where present) and app.py."""
    files: list[Path] = []
    for package in ("geo", "layers", "zoning", "maps", "app_pages"):
        folder = ROOT / package
        if folder.is_dir():
            files.extend(sorted(folder.rglob("*.py")))
    if (ROOT / "app.py").is_file():
        files.append(ROOT / "app.py")
    return files


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(*packages: str) -> list[str]:
    """Dotted names of every module file under ``packages``.

    ``__main__`` modules are left out: importing one runs the command line.
    """
    names = [
        _module_name(path)
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.stem != "__main__"
    ]
    return sorted(set(names))


def _loaded_after_importing(modules: list[str]) -> set[str]:
    """Top-level names in ``sys.modules`` after a fresh interpreter imports ``modules``."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert out.returncode == 0, f"importing {modules} failed:\n{out.stderr}"
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_library_loads_no_ui_and_no_maps():
    modules = ["geo", "geo.store", "layers", "zoning", "zoning.cli", *_modules(*LIBRARY)]
    assert len(modules) > 20  # every module file, not only the packages
    loaded = _loaded_after_importing(modules)
    bad = sorted(loaded & {"streamlit", "folium", "streamlit_folium", "branca", "maps"})
    assert bad == [], f"importing geo, layers and zoning loaded {bad}"


def test_maps_draws_without_streamlit():
    modules = _modules("maps")
    assert "maps.base" in modules
    loaded = _loaded_after_importing(modules)
    assert "folium" in loaded  # the check can fail: maps does load its own stack
    bad = sorted(loaded & {"streamlit", "streamlit_folium"})
    assert bad == [], f"importing maps loaded {bad}"


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, module, names)`` for every import in ``path``, at any depth.

    Relative imports are resolved against the file's own package; ``names`` is empty for
    ``import x.y``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{line}"


def test_no_module_imports_a_private_module_of_another_package():
    offenders = []
    for path in _source_files():
        own = _module_name(path).split(".")[0]
        for line, module, names in _imports(path):
            parts = module.split(".")
            if parts[0] not in FIRST_PARTY or parts[0] == own:
                continue
            private = [p for p in parts[1:] if _private(p)] + [n for n in names if _private(n)]
            if private:
                what = f"from {module} import {', '.join(names)}" if names else f"import {module}"
                offenders.append(f"{_where(path, line)}: {what}")
    assert offenders == [], (
        "private modules/names of another package imported (use the package's public "
        "interface instead):\n" + "\n".join(offenders)
    )


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_no_upward_or_ui_import_is_written(part):
    folder = ROOT / part
    assert folder.is_dir(), folder
    offenders = []
    for path in sorted(folder.rglob("*.py")):
        for line, module, _ in _imports(path):
            if module.split(".")[0] in FORBIDDEN[part]:
                offenders.append(f"{_where(path, line)}: {module}")
    assert offenders == [], f"{part} must not import {sorted(FORBIDDEN[part])}:\n" + "\n".join(
        offenders
    )
