"""Plumbing of :mod:`layers.events`: Chinese dates with their precision, and stage words.

A date is kept as written to its precision (``2023-09`` stays a month): guessing a day
would invent a fact. :func:`parse_date` reads the forms Chinese sheets use and returns the
period the date stands for; :func:`stage_key` reads a stage word (推介, 在建, 投产,
``construction``) as its key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

__all__ = ["STAGES", "STAGE_WORDS", "Period", "Precision", "parse_date", "stage_key"]

Precision = Literal["day", "month", "year"]

STAGES: Final[tuple[str, ...]] = (
    "promotion",
    "negotiation",
    "signed",
    "pre_construction",
    "construction",
    "production",
    "halted",
    "exited",
)
"""The stages in their order: 推介 → 在谈 → 签约 → 拟开工 → 在建 → 竣工投产 (→ 停产/退出)."""

# The words sheets use for each stage (besides the key and its zh/en terms). 开工 is the
# event that starts 在建; 投产/量产 the event that starts 竣工投产.
STAGE_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "promotion": ("推介", "招商推介", "项目推介", "promoted", "promotion"),
    "negotiation": ("在谈", "洽谈", "在谈项目", "洽谈中", "negotiating", "negotiation"),
    "signed": ("签约", "已签约", "签约项目", "签订协议", "signing", "signed"),
    "pre_construction": (
        "拟开工",
        "待开工",
        "计划开工",
        "拟建",
        "about to start",
        "pre-construction",
    ),
    "construction": ("在建", "开工", "已开工", "建设中", "动工", "under construction", "started"),
    "production": (
        "竣工投产",
        "投产",
        "已投产",
        "量产",
        "竣工",
        "运营",
        "in production",
        "production",
        "operating",
    ),
    "halted": ("停产", "停工", "halt", "halted", "suspended"),
    "exited": ("退出", "终止", "注销", "撤资", "exit", "exited", "terminated"),
}

_SPACES: Final = re.compile(r"\s+")
_FORMS: Final = (
    # 2023年9月20日 / 2023年9月 / 2023年 (日 and 号 both end a day)
    re.compile(r"^(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?)?$"),
    # 2023-09-20, 2023/9/20, 2023.9.20, 2023-09, 2023.9, 2023 (and a midnight time part)
    re.compile(
        r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?(?:T?00:00(?::00)?)?$"
    ),
    # 20230920, 202309
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?$"),
)


@dataclass(frozen=True)
class Period:
    """A date as written, to its precision, and the days it stands for.

    Attributes
    ----------
    iso : str
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (ISO 8601 to the date's precision).
    precision : {"day", "month", "year"}
    start, end : pandas.Timestamp
        The first and last day of the period.
    """

    iso: str
    precision: Precision
    start: pd.Timestamp
    end: pd.Timestamp


def parse_date(value: object) -> Period | None:
    """Read a date in the forms Chinese sheets use; None when it is not one.

    Examples
    --------
    >>> parse_date("2023年9月20日").iso, parse_date("2023.9").iso, parse_date("2023-09").precision
    ('2023-09-20', '2023-09', 'month')
    >>> year = parse_date("２０２２年")
    >>> year.iso, year.precision, year.start.date(), year.end.date()
    ('2022', 'year', datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    >>> parse_date("2023-13") is None
    True
    """
    if isinstance(value, pd.Timestamp):
        value = value.strftime("%Y-%m-%d")
    written = _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))
    written = written.removesuffix("00:00:00").removesuffix("T")
    for form in _FORMS:
        m = form.match(written)
        if m is None:
            continue
        year = int(m["y"])
        month = None if m["m"] is None else int(m["m"])
        day = None if m["d"] is None else int(m["d"])
        return _period(year, month, day)
    return None


def _period(year: int, month: int | None, day: int | None) -> Period | None:
    if not 1900 <= year <= 2200:
        return None
    if month is None:
        return Period(f"{year:04d}", "year", pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31))
    if not 1 <= month <= 12:
        return None
    first = pd.Timestamp(year, month, 1)
    if day is None:
        return Period(f"{year:04d}-{month:02d}", "month", first, first + pd.offsets.MonthEnd(0))
    try:
        when = pd.Timestamp(year, month, day)
    except ValueError:
        return None
    return Period(when.strftime("%Y-%m-%d"), "day", when, when)


def stage_key(value: object, names: dict[str, str]) -> str | None:
    """Return the stage key a word stands for (None: not a stage).

    ``names`` maps the vocabulary's zh/en terms (normalised) to keys, besides
    :data:`STAGE_WORDS`.

    Examples
    --------
    >>> stage_key("已投产", {}), stage_key(" Construction ", {}), stage_key("开会", {})
    ('production', 'construction', None)
    """
    word = _norm(value)
    if not word:
        return None
    if word in STAGES:
        return word
    for key, words in STAGE_WORDS.items():
        if word in {_norm(w) for w in words}:
            return key
    return names.get(word)


def _norm(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value)).casefold().strip()
    return _SPACES.sub(" ", text.replace("_", " ")).replace(" ", "_")
