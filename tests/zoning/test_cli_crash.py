"""An unexpected error in the command line: exit 4, one line naming a log with the traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import geo.io
from zoning import cli

CSV = "id,name,lon,lat\n1,a,115.9,28.6\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))  # platformdirs on Linux
    return folder


def _boom(*args, **kwargs):
    msg = "a bug deep inside a reader"
    raise KeyError(msg)


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("en", "zoning validate: internal error (a bug, KeyError); the details are in "),
        ("zh", "zoning validate: 内部错误（程序缺陷，KeyError）；详细信息已写入 "),
    ],
)
def test_an_unexpected_error_exits_4_with_one_line_naming_the_log(
    tmp_path, cache, monkeypatch, capsys, lang, start
):
    path = tmp_path / "firms.csv"
    path.write_text(CSV, encoding="utf-8")
    monkeypatch.setattr(geo.io, "read", _boom)
    code = cli.main(["--lang", lang, "validate", str(path)])
    assert code == cli.EXIT_INTERNAL == 4
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(start)
    assert "Traceback" not in err
    log = Path(re.search(r"(/\S+\.log)", lines[0]).group(1))
    assert log.parent == cache / "nanchang-storage-zoning" / "crashes"
    details = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details
    assert "KeyError: 'a bug deep inside a reader'" in details
    assert "_boom" in details


def test_a_runtime_error_that_is_not_the_stores_is_a_bug_too(tmp_path, cache, monkeypatch, capsys):
    path = tmp_path / "firms.csv"
    path.write_text(CSV, encoding="utf-8")

    def broken(*args, **kwargs):
        msg = "unexpected"
        raise RuntimeError(msg)

    monkeypatch.setattr(geo.io, "read", broken)
    assert cli.main(["--lang", "en", "validate", str(path)]) == 4
    assert "internal error (a bug, RuntimeError)" in capsys.readouterr().err


def test_bad_input_still_exits_2_without_a_log(tmp_path, cache, capsys):
    path = tmp_path / "firms.csv"
    path.write_text('id,lon,lat\n1,"115.9,28.6\n', encoding="utf-8")
    assert cli.main(["--lang", "en", "validate", str(path)]) == 2
    assert "a quote opened in row 2 is never closed" in capsys.readouterr().err
    assert not cache.exists()
