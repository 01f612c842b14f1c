"""The server settings that keep its CPU per page view down (benchmarks/_server_cost.py).

Each was measured on the map page (benchmarks/results.md, "Server cost per page view"):
a full garbage collection after every script run cost about 0.1 CPU-second per view, and
serving Streamlit's ~110 front-end files per fresh browser on asyncio's pure-Python loop
and h11 cost about twice what it does on uvloop and httptools.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config
from streamlit.web import bootstrap

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_no_full_garbage_collection_after_each_script_run() -> None:
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False
    # The option still exists under that name (an upgrade that renames it fails here).
    assert "runner.postScriptGC" in config.get_config_options()


def test_the_server_runs_on_uvloop_and_httptools() -> None:
    import uvicorn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    # Streamlit starts its server loop with uvloop when it can import it ...
    assert bootstrap._get_uvloop_loop_factory() is not None
    # ... and uvicorn, left at http="auto" by Streamlit, parses HTTP with httptools.
    server = uvicorn.Config(app=lambda *_: None)
    server.load()
    assert server.http_protocol_class is HttpToolsProtocol
