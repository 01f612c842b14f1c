"""A throwaway PostgreSQL + PostGIS server for tests (no mocks: a real server).

``PostgresServer.start()`` runs ``initdb`` and ``pg_ctl`` from the system packages
(Debian: ``postgresql-15`` and ``postgresql-15-postgis-3``) in a fresh temporary folder,
listening on 127.0.0.1 at a free port with trust authentication, and ``stop()`` removes
it. PostgreSQL refuses to run as root, so under root the server runs as the ``postgres``
user (created by the Debian package) or ``nobody``.

``find_binaries()`` returns None and a reason when no server is installed; tests then skip
with that reason (and the suite's conftest turns the skip into a failure under CI=true).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "find_binaries"]


def find_binaries() -> tuple[Path | None, str]:
    """Return (folder with initdb/pg_ctl/postgres, "") or (None, why not)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.insert(0, Path(out.stdout.strip()))
    for folder in candidates:
        if all((folder / b).is_file() for b in ("initdb", "pg_ctl", "postgres")):
            share = _share_dir(folder)
            if share is None or not list(share.glob("extension/postgis.control")):
                continue
            return folder, ""
    return None, (
        "PostgreSQL with PostGIS is not installed (looked for initdb, pg_ctl and "
        "extension/postgis.control under /usr/lib/postgresql/*): install the Debian packages "
        "postgresql-15 and postgresql-15-postgis-3"
    )


def _share_dir(bindir: Path) -> Path | None:
    version = bindir.parent.name
    for share in (Path("/usr/share/postgresql") / version, bindir.parent / "share"):
        if share.is_dir():
            return share
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """One running throwaway server; use :meth:`start` and :meth:`stop`."""

    bindir: Path
    base: Path
    port: int
    user: str | None
    _counter: int = field(default=0)

    @classmethod
    def start(cls, bindir: Path) -> PostgresServer:
        """Initialise a cluster in a new temporary folder and start it."""
        base = Path(tempfile.mkdtemp(prefix="geo-store-pg-"))
        user = None
        if os.geteuid() == 0:
            user = "postgres" if _user_exists("postgres") else "nobody"
            entry = pwd.getpwnam(user)
            os.chown(base, entry.pw_uid, entry.pw_gid)
        server = cls(bindir=bindir, base=base, port=_free_port(), user=user)
        try:
            server._run(
                "initdb", "-D", str(base / "data"), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync",
            )  # fmt: skip
            (base / "sock").mkdir()
            if user is not None:
                entry = pwd.getpwnam(user)
                os.chown(base / "sock", entry.pw_uid, entry.pw_gid)
            options = (
                f"-c listen_addresses=127.0.0.1 -p {server.port} -k {base / 'sock'} "
                "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
            )
            server._run(
                "pg_ctl", "-D", str(base / "data"), "-o", options, "-l", str(base / "log"),
                "-w", "-t", "60", "start",
            )  # fmt: skip
            with psycopg.connect(server.url("postgres"), autocommit=True) as con:
                con.execute("CREATE DATABASE store_template")
            with psycopg.connect(server.url("store_template"), autocommit=True) as con:
                con.execute("CREATE EXTENSION postgis")
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        out = subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.base)
        if out.returncode != 0:
            log = self.base / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            msg = f"{program} failed ({out.returncode}): {out.stderr.strip()} {tail}"
            raise RuntimeError(msg)

    def url(self, database: str) -> str:
        """Return a URL for ``database`` (trust authentication: no password needed)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database with PostGIS installed and return its URL."""
        self._counter += 1
        name = f"store_test_{self._counter}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name} TEMPLATE store_template")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        if (self.base / "data" / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
