"""`zoning store audit`: the store's audit trail on the command line, newest first, filtered.

The store gets what the app and the command line write in a day: a planner's save from
the zone editor, a viewer's sign-in and refused save, an administrator's restore from the
command line (recorded with the page ``cli``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import geo.store as gs
import layers
from zoning.cli import main

PLANNER = gs.Actor("wang@bureau.example", "planner")
VIEWER = gs.Actor("guest@bureau.example", "viewer")
_ROW = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "project.gpkg"
    zones = layers.zones()
    with gs.open(path) as opened:
        opened.write("zones", zones, actor=PLANNER, note="first outlines", page="zones")
        opened.write("zones", zones, actor=PLANNER, note="second outlines", page="zones")
        opened.audit(VIEWER, "sign_in", page="map")
        with pytest.raises(gs.AccessDeniedError):
            opened.write("zones", zones, actor=VIEWER, note="forged", page="zones")
    argv = ["store", "restore", "zones", "1", "--author", "cli-admin", "--note", "undo"]
    assert main([*argv, "--store", str(path)]) == 0
    return path


def audit(store: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[str, ...]]:
    """Run ``zoning store audit`` and return its rows as (who, role, action, rest of line)."""
    capsys.readouterr()
    assert main(["store", "audit", "--store", str(store), *args]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    if lines == [f"no audit records in {store}"]:
        return []
    header = lines[0].split()
    assert header[:8] == ["at_utc", "who", "role", "action", "layer", "version", "page", "detail"]
    rows = lines[1:]
    assert rows, out
    assert all(_ROW.match(r) for r in rows), out
    # Date and time, then who, role, action: none of them holds a space.
    return [tuple(r.split(maxsplit=5)[2:]) for r in rows]


def test_every_write_sign_in_and_refusal_is_listed_newest_first(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = audit(store, capsys)
    assert [r[:3] for r in rows] == [
        ("cli-admin", "admin", "restore"),
        ("guest@bureau.example", "viewer", "refused"),
        ("guest@bureau.example", "viewer", "sign_in"),
        ("wang@bureau.example", "planner", "save"),
        ("wang@bureau.example", "planner", "save"),
    ]
    # Layer, version and page of each write; the refusal says why, in full.
    restore, refused = rows[0][3], rows[1][3]
    assert restore.split()[:3] == ["zones", "3", "cli"]
    assert "may not change the store" in refused
    assert [r[3].split()[:3] for r in rows[3:]] == [
        ["zones", "2", "zones"],
        ["zones", "1", "zones"],
    ]


def test_filters_by_who_action_layer_and_day(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Part of the id, any case.
    assert {r[0] for r in audit(store, capsys, "--who", "GUEST")} == {"guest@bureau.example"}
    assert [r[2] for r in audit(store, capsys, "--who", "guest", "--action", "refused")] == [
        "refused"
    ]
    assert [r[2] for r in audit(store, capsys, "--action", "save")] == ["save", "save"]
    # A sign-in concerns no layer: the layer filter keeps the writes and the refusal.
    by_layer = audit(store, capsys, "--layer", "zones")
    assert [r[2] for r in by_layer] == ["restore", "refused", "save", "save"]
    assert audit(store, capsys, "--layer", "enterprises") == []
    # Days are whole UTC days, both ends included.
    today = datetime.now(UTC).date()
    assert len(audit(store, capsys, "--since", str(today), "--until", str(today))) == 5
    assert audit(store, capsys, "--since", str(today + timedelta(days=1))) == []
    assert audit(store, capsys, "--until", str(today - timedelta(days=1))) == []


def test_a_day_that_is_not_a_day_is_refused(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["store", "audit", "--store", str(store), "--since", "last week"])
    assert stop.value.code == 2
    assert "is not a day like 2024-05-31" in capsys.readouterr().err


def test_an_unknown_action_is_refused_naming_the_known_ones(store: Path, capsys) -> None:
    from zoning import _cli_store

    assert _cli_store.AUDIT_ACTIONS == gs.AUDIT_ACTIONS
    with pytest.raises(SystemExit) as stop:
        main(["store", "audit", "--store", str(store), "--action", "bogus"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err
    assert "sign_in" in err
