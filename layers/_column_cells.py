"""Reading the cells of mapped columns for :func:`layers.columns.apply`.

Numbers with units ("5亿元", "1,200", "10 GWh"), 统一社会信用代码 check characters and
per-row coordinate systems. Each function works on a whole column with masks (a registry of
a million firms is read in one pass) and records its problems in bulk through
:class:`layers._enterprise_checks.Problems`, so they merge with the other checks' rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from geo.crs import normalise_coord_system
from geo.messages import Text, Texts
from layers._column_table import Kind, either, kind_text, norm_unit
from layers._enterprise_checks import KEPT_AS_GIVEN, Problems, as_text, numeric
from layers.i18n import t
from layers.i18n import text as _text

__all__ = [
    "BLANKS",
    "Numbers",
    "check_credit_codes",
    "codes_valid",
    "mixed_systems",
    "parse_numbers",
]

BLANKS: Final = frozenset({"-", "--", "—", "/", "无", "暂无", "n/a", "na", "none", "null"})
"""Cell texts that mean "nothing here" in Chinese sheets (compared in lower case)."""

# A number, with spreadsheet thousands separators ("50,000.5"), then an optional unit
# ("5亿元", "10 GWh"). A lone comma ("1,5") could be a decimal comma: not a number.
_NUMBER_CELL: Final = (
    r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)\s*(?P<unit>[^\d\s,.].*?)?$"
)

# GB 32100-2015: 18 characters from this set; the 18th is a check character computed from
# the first 17 with these weights (3**i mod 31), modulus 31.
_USCC_CHARS: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS: Final = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)
_USCC_VALUE: Final = np.full(256, -1, dtype=np.int64)
_USCC_VALUE[[ord(c) for c in _USCC_CHARS]] = np.arange(len(_USCC_CHARS))
_USCC_FORMAT: Final = r"[0-9A-HJ-NPQRTUWXY]{18}"
_SYSTEM_NAMES: Final = frozenset({"wgs84", "gcj02", "bd09"})  # columns.system.<name>
_LISTED: Final = 10  # rows named in one message


@dataclass(frozen=True)
class Numbers:
    """A column read as numbers: values converted, each row's unit, rows that were not numbers."""

    amounts: npt.NDArray[np.float64]
    labels: npt.NDArray[np.object_]  # unit of each value (from its cell, else the header)
    bad: npt.NDArray[np.bool_]  # given but not a number (or an unknown unit): set to NaN
    reasons: npt.NDArray[np.object_]  # why, for the bad rows
    reasons_zh: npt.NDArray[np.object_]  # why, in Chinese


def parse_numbers(values: pd.Series, kind: Kind, *, factor: float, label: str) -> Numbers:
    """Read a column of amounts: numbers times ``factor``, or times the unit in the cell.

    A unit written in a cell ("5000万元") wins over the header's; an unknown unit in a cell
    makes it bad when ``kind`` refuses unknown units, else the unit text is its label.
    """
    n = len(values)
    if numeric(values):
        # Numbers already (GeoParquet, an Excel column of numbers): each would be read from
        # its text as the same float, and a missing one is blank.
        amounts = values.to_numpy(dtype=np.float64) * float(factor)
        missing = np.isnan(amounts)
        labels = np.full(n, label, dtype=object)
        labels[missing] = ""
        none = np.zeros(n, dtype=bool)
        empty = np.full(n, "", object)
        return Numbers(amounts, labels, bad=none, reasons=empty, reasons_zh=empty.copy())
    text = as_text(values)
    # Plain numbers (nearly every cell) are parsed in C; only the rest goes through the regex.
    num = np.array(pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan))
    blank = np.array((text == "").to_numpy(dtype=bool))  # a copy: written below
    # Only a cell that is not a number can be a word for "nothing here" (无, n/a, --).
    words = np.isnan(num) & ~blank
    if words.any():
        blank[words] = text[words].str.casefold().isin(BLANKS).to_numpy(dtype=bool)
    unit = pd.Series("", index=text.index, dtype=object)
    rest = ~blank & np.isnan(num)
    if rest.any():
        parts = text[rest].str.extract(_NUMBER_CELL)
        digits = parts["num"].astype(object).where(parts["num"].notna(), "").astype(str)
        number = pd.to_numeric(digits.str.replace(",", "", regex=False), errors="coerce")
        num[rest] = number.to_numpy(dtype=np.float64, na_value=np.nan)
        written = parts["unit"].astype(object).where(parts["unit"].notna(), "")
        unit[rest] = written.astype(str).str.strip().to_numpy(dtype=object)
    factors = np.full(n, float(factor))
    labels = np.full(n, label, dtype=object)
    bad = ~blank & np.isnan(num)
    reasons = np.full(n, "", dtype=object)
    reasons_zh = np.full(n, "", dtype=object)
    reasons[bad], reasons_zh[bad] = _text("columns.not_a_number")
    for written in pd.unique(unit[unit != ""]):
        m = (unit == written).to_numpy(dtype=bool) & ~blank
        entry = kind.units.get(norm_unit(str(written)))
        if entry is not None:
            factors[m] = entry.factor
            labels[m] = entry.label
        elif kind.refuse_unknown:
            bad |= m
            fix, what = either(kind.suggested), kind_text(kind)
            reasons[m] = t(
                "columns.unknown_cell_unit", "en", unit=written, kind=what.en, fix=fix.en
            )
            reasons_zh[m] = t(
                "columns.unknown_cell_unit", "zh", unit=written, kind=what.zh, fix=fix.zh
            )
        else:
            factors[m] = 1.0
            labels[m] = str(written)
    out = num * factors
    out[bad | blank] = np.nan
    labels[bad | blank] = ""
    return Numbers(amounts=out, labels=labels, bad=bad, reasons=reasons, reasons_zh=reasons_zh)


def codes_valid(codes: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.object_]]:
    """Check 统一社会信用代码 in bulk (GB 32100-2015), exactly as written.

    Returns
    -------
    ok : numpy.ndarray of bool
        Well-formed (18 characters of the code set) with the right check character.
    due : numpy.ndarray of str
        For each well-formed code, the check character its first 17 characters give
        ("" for the others).
    """
    if isinstance(codes.dtype, pd.StringDtype):
        text = codes.fillna("").astype("str")  # in Arrow, no Python object per code
    else:
        text = codes.astype(object).where(codes.notna(), "").astype(str)
    formed = text.str.fullmatch(_USCC_FORMAT).to_numpy(dtype=bool, na_value=False)
    ok = np.zeros(len(text), dtype=bool)
    due = np.full(len(text), "", dtype=object)
    if formed.any():
        raw = np.frombuffer("".join(text[formed]).encode("ascii"), dtype=np.uint8)
        values = _USCC_VALUE[raw.reshape(-1, 18)]
        check = (31 - (values[:, :17] @ _USCC_WEIGHTS) % 31) % 31
        ok[formed] = check == values[:, 17]
        due[formed] = np.array(list(_USCC_CHARS), dtype=object)[check]
    return ok, due


def check_credit_codes(values: pd.Series, column: str, found: Problems) -> pd.Series:
    """Normalise codes (spaces out, upper case) and report those failing GB 32100-2015.

    Returns the normalised codes ("" for blanks); a failing code is kept as written
    (normalised), with a "kept" problem naming what is wrong with it.
    """
    text = as_text(values)
    ok, _ = codes_valid(text)
    if ok.all():
        return text
    # Only codes not valid as written are normalised and explained: in a registry those are
    # a few rows, and the same bad code often repeats.
    odd = text[~ok].str.replace(r"\s+", "", regex=True).str.upper()
    odd = odd.where(~odd.str.casefold().isin(BLANKS), "")
    odd_ok, _ = codes_valid(odd)
    bad = np.zeros(len(text), dtype=bool)
    bad[~ok] = (odd != "").to_numpy(dtype=bool) & ~odd_ok
    text = text.astype(object)
    text[~ok] = odd.to_numpy(dtype=object)
    text = text.astype("str")
    if bad.any():
        distinct = pd.Series(pd.unique(text[bad]), dtype=object)
        _, due = codes_valid(distinct)
        # One text per distinct bad code (a few), mapped back to the problem rows.
        reasons = {c: _code_reason(str(c), str(d)) for c, d in zip(distinct, due, strict=True)}
        en = {c: r.en for c, r in reasons.items()}
        zh = {c: r.zh for c, r in reasons.items()}
        codes = text

        def worded(at: npt.NDArray[np.intp]) -> Texts:
            some = codes.iloc[at]
            return Texts(
                en=some.map(en).to_numpy(dtype=object), zh=some.map(zh).to_numpy(dtype=object)
            )

        found.add(bad, column, values, worded, KEPT_AS_GIVEN)
    return text


def _code_reason(code: str, due: str) -> Text:
    fix = _text("columns.code.fix")
    if len(code) != 18:
        return _with_fix("columns.code.length", fix, code=code, n=len(code))
    odd = sorted({c for c in code if c not in _USCC_CHARS})
    if odd:
        return _with_fix("columns.code.characters", fix, code=code, odd=", ".join(odd))
    return _with_fix("columns.code.check", fix, code=code, due=due, last=code[17])


def _with_fix(key: str, fix: Text, **values: object) -> Text:
    return Text(t(key, "en", fix=fix.en, **values), t(key, "zh", fix=fix.zh, **values))


def mixed_systems(values: pd.Series, column: str, found: Problems) -> None:
    """Report a file whose coordinate-system column names several systems.

    One problem per minority system, on its first row, naming its rows. Unknown names are
    :func:`geo.io.read`'s to report; spellings of one system (高德, GCJ-02) are not a mix.
    """
    text = as_text(values)
    named: dict[str, str] = {}
    for value in pd.unique(text[text != ""]):
        try:
            named[str(value)] = normalise_coord_system(str(value))
        except ValueError:
            continue
    systems = text.map(named)
    present = systems.dropna()
    if present.nunique() < 2:
        return
    counts = present.value_counts()
    positions = pd.Series(np.arange(len(text)), index=text.index)[present.index]
    first = positions.groupby(present.to_numpy()).min()
    majority = max(counts.index, key=lambda s: (counts[s], -first[s]))
    order = first.sort_values().index
    summary = Text(
        ", ".join(t("columns.system.count", "en", n=counts[s], system=s) for s in order),
        "，".join(t("columns.system.count", "zh", n=counts[s], system=s) for s in order),
    )
    for system in order:
        if system == majority:
            continue
        rows = found.labels[(systems == system).to_numpy(dtype=bool)]
        more = " ..." if len(rows) > _LISTED else ""
        label = (
            _text(f"columns.system.{system}")
            if system in _SYSTEM_NAMES
            else Text(str(system), str(system))
        )
        only_first = np.zeros(len(text), dtype=bool)
        only_first[int(first[system])] = True
        values_ = {"column": column, "n": len(rows), "system": system}
        found.add(
            only_first,
            column,
            values,
            Text(
                t(
                    "columns.mixed_systems",
                    "en",
                    summary=summary.en,
                    rows=", ".join(map(str, rows[:_LISTED])) + more,
                    named=label.en,
                    **values_,
                ),
                t(
                    "columns.mixed_systems",
                    "zh",
                    summary=summary.zh,
                    rows="、".join(map(str, rows[:_LISTED])) + more,
                    named=label.zh,
                    **values_,
                ),
            ),
            KEPT_AS_GIVEN,
        )
