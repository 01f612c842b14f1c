"""The README's nginx sample (deploy/nginx.conf) run unprivileged in front of a local app.

Shared by tests/app/test_nginx.py and the server-cost benchmark
(benchmarks/_server_cost.py), so both run the sample the same way: the file as shipped with
only what a machine must change substituted (each substitution must match exactly once, so
a changed sample fails rather than going untested): the ports, the certificate (a
throwaway self-signed one for 127.0.0.1), the upstream's port, and the two folders nginx
serves itself (Streamlit's installed front end, the repository's static/). It is wrapped
in the ``http`` block Debian 12's /etc/nginx/nginx.conf gives a site, with every path of
nginx's own (pid, logs, temp folders) in a work folder, and an access log that names, for
each request, the upstream that answered it (``-`` when nginx answered from disk).
"""

from __future__ import annotations

import base64
import contextlib
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit

from tests._app_server import ROOT, free_port, stop

__all__ = [
    "SAMPLE",
    "STREAMLIT_STATIC",
    "NginxError",
    "Proxy",
    "find_nginx",
    "get",
    "run_nginx",
    "site_conf",
]

SAMPLE = ROOT / "deploy" / "nginx.conf"
# What the README tells an operator to print for the sample's `root` of /static/.
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
# Debian 12's /etc/nginx/nginx.conf around a site (sendfile, gzip on, ...), with nginx's
# own files in `work`; the access log adds the upstream that answered ("-": nginx itself).
MAIN_CONF = """\
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {work}/access.log upstream;
    gzip on;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/site.conf;
}}
"""


class NginxError(RuntimeError):
    """nginx or openssl is missing, the sample does not load, or nginx does not proxy."""


def find_nginx() -> str | None:
    """Return the nginx executable, or None when it is not installed."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def site_conf(sample: str, *, https_port: int, http_port: int, app_port: int, work: Path) -> str:
    """Return the sample with only the machine-specific values replaced (each exactly once)."""
    replacements = [
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/ssl/certs/zoning.pem", str(work / "cert.pem")),
        ("/etc/ssl/private/zoning.key", str(work / "key.pem")),
        ("proxy_pass http://127.0.0.1:8501;", f"proxy_pass http://127.0.0.1:{app_port};"),
        (
            "root /srv/zoning/.venv/lib/python3.11/site-packages/streamlit/static;",
            f"root {STREAMLIT_STATIC};",
        ),
        ("alias /srv/zoning/static/;", f"alias {ROOT / 'static'}/;"),
    ]
    for old, new in replacements:
        if sample.count(old) != 1:
            msg = f"deploy/nginx.conf changed: {old!r} not found once"
            raise NginxError(msg)
        sample = sample.replace(old, new)
    return sample


def _insecure() -> ssl.SSLContext:
    """A TLS context that accepts the throwaway self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects: (status, headers lower-cased, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPSHandler(context=_insecure())
    )
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@dataclass
class Proxy:
    """A running nginx with the sample: its URLs, master pid, work folder and access log."""

    https: str
    http: str
    pid: int
    work: Path
    spki: str
    """The certificate's public-key hash, for Chromium's --ignore-certificate-errors-spki-list
    (unlike ignoring every certificate error, it keeps the HTTP cache working)."""

    def log_size(self) -> int:
        """The access log's size now: pass it to :meth:`requests` to read what came after."""
        path = self.work / "access.log"
        return path.stat().st_size if path.exists() else 0

    def requests(self, since: int = 0) -> list[tuple[str, str, int, bool]]:
        """Requests logged after byte ``since``: (method, path, status, reached the app)."""
        with (self.work / "access.log").open("rb") as log:
            log.seek(since)
            lines = log.read().decode().splitlines()
        out = []
        for line in lines:
            method, uri, status, upstream = line.split(" ", 3)
            out.append((method, uri, int(status), upstream.strip() != "-"))
        return out


def _certificate(work: Path) -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        msg = "openssl not installed (apt-get install openssl)"
        raise NginxError(msg)
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    # base64(sha256(SubjectPublicKeyInfo)), the form Chromium's flag takes.
    der = subprocess.run(
        [openssl, "x509", "-in", str(work / "cert.pem"), "-pubkey", "-noout"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    der = subprocess.run(
        [openssl, "pkey", "-pubin", "-outform", "der"], input=der, check=True, capture_output=True
    ).stdout
    digest = subprocess.run(
        [openssl, "dgst", "-sha256", "-binary"], input=der, check=True, capture_output=True
    ).stdout
    return base64.b64encode(digest).decode()


@contextlib.contextmanager
def run_nginx(app_url: str, work: Path, *, workers: str = "1") -> Iterator[Proxy]:
    """Run nginx with the sample in front of ``app_url``; yield it once it proxies the app.

    Parameters
    ----------
    app_url : str
        The app's URL (``http://127.0.0.1:<port>``).
    work : pathlib.Path
        An empty folder for the certificate, the configuration, logs and temp files.
    workers : str
        ``worker_processes`` ("1", or "auto" as Debian ships it: one per core).

    Raises
    ------
    NginxError
        nginx or openssl missing, the configuration refused (``nginx -t``), or the app's
        health check not answered through the proxy within 30 s (with nginx's error log).
    """
    nginx = find_nginx()
    if nginx is None:
        msg = "nginx not installed (apt-get install nginx-light)"
        raise NginxError(msg)
    spki = _certificate(work)
    https_port, http_port = free_port(), free_port()
    (work / "site.conf").write_text(
        site_conf(
            SAMPLE.read_text(encoding="utf-8"),
            https_port=https_port,
            http_port=http_port,
            app_port=int(app_url.rsplit(":", 1)[1]),
            work=work,
        )
    )
    conf = work / "nginx.conf"
    conf.write_text(MAIN_CONF.format(work=work, workers=workers))
    cmd = [nginx, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")]
    check = subprocess.run([*cmd, "-t"], check=False, capture_output=True, text=True)
    if check.returncode != 0:
        raise NginxError(check.stderr)
    proc = subprocess.Popen(
        [*cmd, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    proxy = Proxy(
        https=f"https://127.0.0.1:{https_port}",
        http=f"http://127.0.0.1:{http_port}",
        pid=proc.pid,
        work=work,
        spki=spki,
    )
    try:
        _wait_healthy(proxy, proc)
        yield proxy
    finally:
        stop(proc)


def _wait_healthy(proxy: Proxy, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(OSError):
            if get(f"{proxy.https}/_stcore/health")[0] == 200:
                return
        if proc.poll() is not None or time.monotonic() > deadline:
            log = proxy.work / "error.log"
            msg = f"nginx did not proxy the app:\n{log.read_text()[-2000:] if log.exists() else ''}"
            raise NginxError(msg)
        time.sleep(0.2)
