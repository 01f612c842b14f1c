"""The command line speaks the user's language: `zoning --lang`, else the locale."""

from __future__ import annotations

import argparse
import re
import socket
from pathlib import Path

import pytest

from zoning.cli import main, message_lang

CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "企业名单.csv"
    path.write_text("id,lon,lat\nA,115.9,28.6\nB,east,28.6\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({}, "en"),
    ],
)
def test_the_language_follows_the_locale(monkeypatch, env, expected):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert message_lang(argparse.Namespace(ui_lang=None)) == expected
    # --lang wins over the locale.
    assert message_lang(argparse.Namespace(ui_lang="en")) == "en"


def test_problems_are_listed_in_chinese(capsys, bad_csv):
    code, out, _ = _run(capsys, "--lang", "zh", "validate", str(bad_csv))
    assert code == 1
    assert "企业名单.csv 第 3 行" in out
    assert "east" in out
    code, out, _ = _run(capsys, "--lang", "en", "validate", str(bad_csv))
    assert code == 1
    assert "企业名单.csv row 3" in out
    assert "第 3 行" not in out


def test_a_missing_file_is_said_in_chinese(capsys, tmp_path):
    missing = tmp_path / "没有.csv"
    code, _, err = _run(capsys, "--lang", "zh", "validate", str(missing))
    assert code == 2
    assert "文件不存在" in err
    assert "Traceback" not in err
    code, _, err = _run(capsys, "--lang", "zh", "check", "--columns", str(tmp_path / "m.yaml"))
    assert code == 2
    assert "映射文件不存在" in err


def test_an_unreachable_store_exits_3_in_the_users_language(capsys):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://planner:secret@127.0.0.1:{port}/nanchang"
    code, _, err = _run(capsys, "--lang", "zh", "store", "layers", "--store", url)
    assert code == 3
    assert CJK.search(err)
    assert "secret" not in err
    code, _, err = _run(capsys, "--lang", "zh", "check", "--store", url)
    assert code == 3, err
    assert CJK.search(err)
    assert "secret" not in err
    assert "Traceback" not in err
