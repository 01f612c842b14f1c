"""The real app on a free local port, and how headless Chromium is started against it.

Shared by the end-to-end tests (tests/app/test_e2e.py) and the browser benchmark
(benchmarks/_browser.py), so both measure the same thing the same way.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "AppStartError", "free_port", "run_app", "stop"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# Headless with no calls home: without the background-networking flags Chromium keeps
# trying to reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60.0


class AppStartError(RuntimeError):
    """``streamlit run app.py`` exited or did not become healthy in time."""


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server process: terminate, then kill if it has not ended within 10 s."""
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def run_app(
    workdir: Path,
    *,
    env: Mapping[str, str] | None = None,
    unset: tuple[str, ...] = ("TIANDITU_KEY",),
    port: int | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free local port; yield its URL once healthy.

    Parameters
    ----------
    workdir : pathlib.Path
        Where the server's log goes (``streamlit.log``).
    env : mapping, optional
        Extra environment variables for the app (e.g. ``NANCHANG_STORE``).
    unset : tuple of str
        Variables removed from the inherited environment.
    port : int, optional
        The port to listen on (default: a free one). Given when the URL must be known
        before the app starts, e.g. for the sign-in's ``redirect_uri``.
    args : sequence of str
        Extra ``streamlit run`` options, e.g. ``["--secrets.files", "/tmp/x/secrets.toml"]``
        so a test's secrets never go into the repository's ``.streamlit/``.

    Raises
    ------
    AppStartError
        With the tail of the server's log, if it exits or is not healthy within 60 s.
    """
    exe = Path(sys.executable).with_name("streamlit")
    port = free_port() if port is None else int(port)
    full_env = {**os.environ, **(env or {})}
    for var in unset:
        full_env.pop(var, None)
    cmd = [
        str(exe), "run", "app.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        *args,
    ]  # fmt: skip
    log_path = workdir / "streamlit.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r,
                ):
                    if r.status == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = log_path.read_text()[-2000:]
                    msg = f"streamlit did not start:\n{tail}"
                    raise AppStartError(msg)
                time.sleep(0.3)
            yield url
        finally:
            stop(proc)
