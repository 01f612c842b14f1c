"""Take the README's screenshots of the app in both languages (needs Chromium and Playwright).

    python -m tools.screenshots [--out docs]

Starts ``streamlit run app.py`` on a free port with a throwaway store and the shipped data,
opens the map, the check page, the site checker (with a site typed as Amap gives it) and the
zone editor in Chinese and English, and writes ``docs/app_<page>_<lang>.png`` (1400 x 900).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Final

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PAGES = ("map", "check", "site", "zones", "progress")
CHART: Final = ".vega-embed"
"""The progress page has charts instead of a map."""
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(work: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {**os.environ, "NANCHANG_STORE": str(work / "project.gpkg")}
    env.pop("NANCHANG_ENTERPRISES", None)
    server = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    msg = "the app did not start within 60 s"
    raise RuntimeError(msg)


def shoot(out: Path) -> list[Path]:
    """Write the screenshots into ``out``; return their paths."""
    from playwright.sync_api import sync_playwright

    from layers.i18n import t

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as work:
        server, url = _serve(Path(work))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for lang in ("zh", "en"):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    for name in PAGES:
                        path = "" if name == "map" else name
                        page.goto(f"{url}/{path}?lang={lang}&basemap=none")
                        # Every page but progress shows a map: wait for it (or the charts),
                        # then for it to settle.
                        drawn = CHART if name == "progress" else MAP_FRAME
                        page.wait_for_selector(drawn, state="attached", timeout=60_000)
                        page.wait_for_timeout(5000)
                        if name == "site":
                            box = page.get_by_role("textbox", name=t("site.where", lang))
                            box.fill("115.9449,28.5567")
                            box.press("Enter")
                            page.wait_for_timeout(6000)
                        target = out / f"app_{name}_{lang}.png"
                        page.screenshot(path=str(target))
                        written.append(target)
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    return written


def main(argv: list[str] | None = None) -> int:
    """Run from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args(argv)
    for path in shoot(Path(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
