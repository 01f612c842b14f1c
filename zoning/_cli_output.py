"""What the command line prints: tables, JSON, problem lists, in the user's language.

Shared by :mod:`zoning.cli` and the other command modules (``zoning._cli_*``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import TYPE_CHECKING, Any

import pandas as pd

from zoning._cli_args import EXIT_OK, EXIT_REJECTED

if TYPE_CHECKING:
    from layers.i18n import Lang

__all__ = [
    "clean",
    "message_lang",
    "one_line",
    "print_json",
    "records",
    "report_problems",
    "serious_problems",
    "table",
]


def one_line(exc: BaseException | str) -> str:
    text = exc if isinstance(exc, str) else str(exc)
    text = text.strip() or type(exc).__name__
    return " | ".join(part.strip() for part in text.splitlines() if part.strip())


def clean(value: Any) -> Any:
    """Make a payload JSON-safe: NaN and infinities become null, numpy scalars plain."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(clean(payload), ensure_ascii=False, indent=2) + "\n")


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    plain = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
    plain = plain.astype(object).where(plain.notna(), None)
    return [{str(k): v for k, v in r.items()} for r in plain.to_dict(orient="records")]


def table(df: pd.DataFrame, *, max_rows: int = 60) -> str:
    plain = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        return plain.to_string(max_rows=max_rows)


def serious_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems that make the exit code 1.

    A row whose coordinates are simply empty is how a table says "site unknown" (the
    shipped data has such projects): it is kept as unlocated and listed, but it is not an
    error in the input. Everything else (rejected rows, invalid values) is.
    """
    if problems.empty:
        return problems
    value = problems["value"].astype("string").fillna("").str.strip()
    empty_coord = (problems["action"] == "kept unlocated") & (value == "")
    return problems[~empty_coord]


def message_lang(args: argparse.Namespace) -> Lang:
    """Return the language of messages: ``--lang``, else the locale's (zh for zh_*).

    Examples
    --------
    >>> message_lang(argparse.Namespace(ui_lang="en"))
    'en'
    """
    chosen = getattr(args, "ui_lang", None)
    if chosen in ("zh", "en"):
        return "zh" if chosen == "zh" else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def report_problems(problems: pd.DataFrame, source: str, lang: Lang = "en") -> int:
    """Print the input's problems; return the exit code they imply (0 or 1)."""
    serious = serious_problems(problems)
    benign = problems.drop(index=serious.index)
    if len(benign):
        rows = ", ".join(str(r) for r in benign["row"].tolist()[:20])
        more = " ..." if len(benign) > 20 else ""
        print(
            f"\n{source}: {len(benign)} row(s) without coordinates kept as unlocated "
            f"(rows {rows}{more})  无坐标的记录已保留"
        )
    if len(serious):
        print(f"\n{source}: {len(serious)} problem row(s)  输入问题")
        # The problem in the user's language, under the column name scripts know.
        text = "problem_zh" if lang == "zh" and "problem_zh" in serious.columns else "problem"
        shown = serious.loc[:, ["row", "column", "value", text, "action"]]
        print(table(shown.rename(columns={text: "problem"})))
    return EXIT_REJECTED if len(serious) else EXIT_OK
