"""The print-ready plan map: time to render the A3 city map with 10,000 synthetic firms.

Measured in this process after one warm-up render (imports, the font cache), best of 3:
``maps.print.plan_map`` (drawing the page) plus saving it as PDF (vector) and as PNG at
300 dpi. The peer in the same run is the same map without enterprises, so the cost of
the 10,000 dots is the difference. Target (issue 12): under 5 s on this machine class.

``python -m benchmarks --only print`` runs this section alone and replaces it in
``results.md``; ``make previews`` (``python -m benchmarks._print --previews docs
--no-bench``) writes the README's preview images only: the A3 city map in Chinese, the A4
materials-area map in English and the first three pages of the Chinese report with three
compared sites (``pdftoppm`` from Debian's poppler-utils turns the report's pages into PNG).
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import time
from pathlib import Path
from typing import Any

HEADING = "## Print-ready plan map (A3 city map, `maps.print`)"
N_SYNTHETIC = 10_000
REPEAT = 3
DATE = datetime.date(2026, 12, 1)


def _best(fn: Any) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(n: int = N_SYNTHETIC) -> dict[str, float]:
    import layers
    from maps.print import plan_map

    project = layers.open_project(default_store=False, synthetic=n)
    options: dict[str, Any] = {
        "lang": "zh",
        "title": "南昌市新型储能产业空间布局图",
        "date": DATE,
        "size": "A3",
    }
    no_firms = ("districts", "zones", "areas", "labels")
    plan_map(project, **options).to_bytes("pdf")  # warm-up
    out: dict[str, float] = {"firms": float(len(project.enterprises))}
    out["draw_s"] = _best(lambda: plan_map(project, **options))
    out["pdf_s"] = _best(lambda: plan_map(project, **options).to_bytes("pdf"))
    out["png_s"] = _best(lambda: plan_map(project, **options).to_bytes("png", dpi=300))
    out["peer_pdf_s"] = _best(lambda: plan_map(project, layers=no_firms, **options).to_bytes("pdf"))
    out["pdf_mb"] = len(plan_map(project, **options).to_bytes("pdf")) / 1e6
    return out


def section() -> list[str]:
    r = measure()
    verdict = "within" if max(r["pdf_s"], r["png_s"]) < 5 else "NOT within"
    return [
        HEADING,
        "",
        (
            f"The shipped enterprises plus {N_SYNTHETIC:,} synthetic ones "
            f"({r['firms']:,.0f} in all), "
            "A3 portrait, Chinese, whole city at 1:500,000; best of 3 after a warm-up render, in "
            "one process. Each time includes drawing the page (layers, labels, legend fitting, "
            "graticule) and saving it. Peer: the same map without enterprises."
        ),
        "",
        "| output | with 10,000 firms (s) | without firms (s) | file (MB) |",
        "|---|---:|---:|---:|",
        f"| draw only (Figure) | {r['draw_s']:.2f} | – | – |",
        (
            f"| PDF (vector, font embedded) | {r['pdf_s']:.2f} | {r['peer_pdf_s']:.2f} | "
            f"{r['pdf_mb']:.2f} |"
        ),
        f"| PNG 300 dpi | {r['png_s']:.2f} | – | – |",
        "",
        f"Target: under 5 s for the A3 city map with 10,000 synthetic enterprises ({verdict}).",
        "",
    ]


def replace_in(results: Path) -> int:
    """Run this section and put it in place of its old figures in ``results``."""
    text = "\n".join(section()).strip("\n")
    old = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
    start = old.find(HEADING)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    else:
        end = old.find("\n## ", start + len(HEADING))
        rest = "" if end < 0 else old[end:]
        new = old[:start] + text + "\n" + rest
    results.write_text(new, encoding="utf-8")
    print(text)
    return 0


def previews(folder: Path, *, width: int = 1200) -> list[Path]:
    """Write the README's previews: A3 city map (zh) and A4 materials-area map (en), as PNG.

    Rendered at 300 dpi and downsampled to ``width`` pixels (kept small for the README).
    """
    from PIL import Image

    import layers
    from maps.print import render_plan_map

    project = layers.open_project(default_store=False)
    jobs: dict[str, dict[str, Any]] = {
        "print_city_a3_zh.png": {
            "lang": "zh",
            "title": "南昌市新型储能产业空间布局图",
            "size": "A3",
            "organisation": "（编制单位）",
        },
        "print_materials_a4_en.png": {
            "lang": "en",
            "area": "materials",
            "size": "A4",
            "title": "Materials agglomeration area: enterprises and zones",
            "organisation": "(organisation)",
        },
    }
    written = []
    for name, options in jobs.items():
        png = render_plan_map(project, date=DATE, fmt="png", dpi=300, **options)
        image = Image.open(io.BytesIO(png)).convert("RGB")
        image.thumbnail((width, width * 2), Image.Resampling.LANCZOS)
        path = folder / name
        # Full colour: a palette would shift the pale land tone and the legend's swatches.
        image.save(path, optimize=True)
        written.append(path)
        print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB)")
    return written


REPORT_SITES = {
    "label": ["候选地块A", "候选地块B", "候选地块C"],
    "segment": ["li_ion_cell", "li_ion_cell", "copper_foil"],
    "lon": [115.84, 115.95, 115.60],
    "lat": [28.76, 28.68, 28.90],
}
"""The compared sites of the report preview (made-up candidates, WGS 84)."""


def report_previews(folder: Path, *, pages: int = 3, dpi: int = 60) -> list[Path]:
    """Write the first ``pages`` pages of the Chinese report as ``report_p-<n>.png``."""
    import shutil
    import subprocess
    import tempfile

    import pandas as pd

    import layers
    from maps.report import render_report

    tool = shutil.which("pdftoppm")
    if tool is None:
        msg = "pdftoppm not found: install poppler-utils (apt-get install poppler-utils)"
        raise OSError(msg)
    project = layers.open_project(default_store=False)
    pdf = render_report(
        project,
        lang="zh",
        date=DATE,
        organisation="南昌市城市规划设计研究院（示例）",
        sites=pd.DataFrame(REPORT_SITES),
    )
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(pdf)
        stem = Path(tmp) / "report_p"
        subprocess.run(
            [tool, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(source), str(stem)],
            check=True,
        )
        for made in sorted(Path(tmp).glob("report_p-*.png")):
            # pdftoppm pads the page number to the page count's width: 1, 01, ...
            path = folder / f"report_p-{int(made.stem.rsplit('-', 1)[1])}.png"
            shutil.copyfile(made, path)
            written.append(path)
            print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB)")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._print")
    parser.add_argument("--previews", metavar="FOLDER", help="write the preview PNGs there")
    parser.add_argument("--no-bench", action="store_true", help="only the previews")
    args = parser.parse_args(argv)
    if args.previews:
        previews(Path(args.previews))
        report_previews(Path(args.previews))
    if not args.no_bench:
        return replace_in(Path(__file__).resolve().parent / "results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
