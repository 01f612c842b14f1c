"""The per-column checks of :func:`layers.enterprises.validate_enterprises`.

Each check works on whole columns with masks and records its problems in bulk through
:class:`Problems`, which builds the problems table (the columns of :func:`geo.io.read`'s,
so both lists merge). The layer's schema (columns, statuses) stays in
:mod:`layers.enterprises` and is passed in.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

import geo.io
from geo.crs import WGS84
from geo.io import REJECTED, REPAIRED
from geo.messages import Text, Texts, make_texts
from layers._texts import both, words
from layers.i18n import STRINGS, text

__all__ = [
    "KEPT_AS_GIVEN",
    "PROBLEM_COLUMNS",
    "Problems",
    "RowTexts",
    "as_text",
    "check_geometry",
    "check_ids",
    "check_number",
    "check_segment",
    "check_status",
    "check_synthetic",
    "empty_problems",
    "numeric",
    "row_texts",
]

PROBLEM_COLUMNS: Final[tuple[str, ...]] = tuple(geo.io.PROBLEM_COLUMNS)
KEPT_AS_GIVEN: Final = "kept"
"""Action of a problem whose row is kept unchanged (unknown segment, blank id)."""

_TRUE: Final = frozenset({"true", "t", "yes", "y", "1", "是"})
_FALSE: Final = frozenset({"false", "f", "no", "n", "0", "否", ""})
# Spreadsheet-style thousands separators ("50,000" or "1,234.5"); a lone comma could be a
# decimal comma, which is ambiguous, so only this exact pattern is repaired silently.
_THOUSANDS: Final = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
_SHOWN: Final = 60  # characters of a long value quoted in the value column


def as_text(values: pd.Series) -> pd.Series:
    """Text as stripped ``str`` with missing values as ""."""
    if isinstance(values.dtype, pd.StringDtype):
        # Already text (what geo.io reads): fill and strip in Arrow, never one Python
        # object per cell. The same result as the general path below, much faster.
        return values.fillna("").astype("str").str.strip()
    filled = values.astype(object).where(values.notna(), "")
    return filled.astype(str).str.strip()


def numeric(values: pd.Series) -> bool:
    """Tell whether a column holds NumPy float64 or integers (not booleans, not text).

    Such a column needs no parsing: each value's text (``repr``) reads back as the same
    float64, so the checks take its values as they are. (Not float32: its text reads back
    as a different float64.)
    """
    dtype = values.dtype
    return isinstance(dtype, np.dtype) and (dtype == np.float64 or dtype.kind in "iu")


def _shown(values: pd.Series) -> pd.Series:
    shown = as_text(values)
    return shown.where(shown.str.len() <= _SHOWN, shown.str.slice(0, _SHOWN - 3) + "...")


RowTexts = Callable[
    [npt.NDArray[np.intp]], Texts | Sequence[str] | npt.NDArray[np.object_] | pd.Series
]
"""Builds the problem texts of the rows at some positions (only rows with a problem).

It returns :class:`geo.messages.Texts` (both languages; see :func:`row_texts`); plain
texts are used for both languages.
"""


def row_texts(key: str, n: int, /, **values: object) -> Texts:
    """Return the vocabulary's message ``key`` for ``n`` problem rows, in both languages.

    Values are scalars or have ``n`` items (see :func:`geo.messages.make_texts`).
    """
    return make_texts(STRINGS[key], n, values)


class Problems:
    """Collects problem rows in bulk: one DataFrame per check, built from a mask.

    Only the rows with a problem are formatted (their row prefix, value and message), so a
    clean column of a million rows costs one mask.
    """

    def __init__(self, labels: npt.NDArray[np.int64], source_name: str) -> None:
        self.labels = labels
        self.source_name = source_name
        self.frames: list[pd.DataFrame] = []

    def prefix(self, at: npt.NDArray[np.intp]) -> Texts:
        """Return ``"<file> row <n>: "`` for the rows at ``at``, in both languages."""
        # Every message names the file and the row, as geo.io's do, so a message copied out
        # of the table still says where to look.
        return make_texts(
            STRINGS["geo.row"], len(at), {"file": self.source_name, "row": self.labels[at]}
        )

    def add(
        self,
        mask: npt.ArrayLike,
        column: str,
        values: pd.Series,
        problem: pd.Series | str | Text | RowTexts,
        action: str,
    ) -> None:
        """Record a problem on the rows of ``mask``.

        ``values`` and a Series ``problem`` are aligned with all rows (read by position);
        a :class:`~geo.messages.Text` is the same message for every row, in both languages;
        a callable ``problem`` gets the positions of the masked rows and returns their texts
        (:func:`row_texts`).
        """
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        at = np.flatnonzero(m)
        self.add_at(at, column, values.iloc[at], _texts(problem, m, at), action)

    def add_at(
        self,
        at: npt.NDArray[np.intp],
        column: str,
        values: pd.Series,
        problem: Texts | npt.NDArray[np.object_] | str | Text,
        action: str,
    ) -> None:
        """Record a problem on the rows at ``at``; ``values`` and ``problem`` are theirs."""
        if not len(at):
            return
        prefix = self.prefix(at)
        if isinstance(problem, Texts):
            en, zh = problem.en, problem.zh
        elif isinstance(problem, Text):
            en, zh = np.asarray(problem.en, dtype=object), np.asarray(problem.zh, dtype=object)
        else:
            # Not yet worded in both languages: the same text serves both.
            en = zh = np.asarray(problem, dtype=object)
        self.frames.append(
            pd.DataFrame(
                {
                    "row": self.labels[at],
                    "column": column,
                    "value": _shown(values).to_numpy(dtype=object),
                    "problem": prefix.en + en,
                    "problem_zh": prefix.zh + zh,
                    "action": action,
                },
                columns=list(PROBLEM_COLUMNS),
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.frames:
            return empty_problems()
        table = pd.concat(self.frames, ignore_index=True)
        for col in PROBLEM_COLUMNS[1:]:
            table[col] = table[col].astype("str")
        return table.sort_values("row", kind="stable").reset_index(drop=True)


def _texts(
    problem: pd.Series | str | Text | RowTexts,
    m: npt.NDArray[np.bool_],
    at: npt.NDArray[np.intp],
) -> Texts | Text | npt.NDArray[np.object_] | str:
    if isinstance(problem, str | Text):
        return problem
    if isinstance(problem, pd.Series):
        return problem[m].to_numpy(dtype=object)
    texts = problem(at)
    if isinstance(texts, Texts):
        return texts
    if isinstance(texts, pd.Series):
        return texts.to_numpy(dtype=object)
    return np.asarray(texts, dtype=object)


def empty_problems() -> pd.DataFrame:
    """Return an empty problems table with the geo.io columns (``row`` is int64)."""
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="str"),
            "value": pd.Series(dtype="str"),
            "problem": pd.Series(dtype="str"),
            "problem_zh": pd.Series(dtype="str"),
            "action": pd.Series(dtype="str"),
        }
    )


def check_ids(out: pd.DataFrame, found: Problems) -> npt.NDArray[np.bool_]:
    """Report blank and repeated ids; return which rows repeat an earlier row's id."""
    ids = out["id"]
    blank = (ids == "").to_numpy(dtype=bool)
    found.add(
        blank,
        "id",
        ids,
        text("check.id.blank"),
        KEPT_AS_GIVEN,
    )
    repeated: npt.NDArray[np.bool_] = ids.duplicated(keep="first").to_numpy(dtype=bool) & ~blank
    if repeated.any():
        first = found.labels[_first_positions(ids)]

        def texts(at: npt.NDArray[np.intp]) -> Texts:
            return row_texts("check.id.repeated", len(at), id=ids.iloc[at], first=first[at])

        found.add(repeated, "id", ids, texts, REJECTED)
    return repeated


def _first_positions(ids: pd.Series) -> npt.NDArray[np.intp]:
    """Position of the first row with each row's id."""
    positions = pd.Series(np.arange(len(ids)), index=ids.index)
    first: npt.NDArray[np.intp] = positions.groupby(ids.to_numpy()).transform("min").to_numpy()
    return first


def check_number(out: pd.DataFrame, col: str, found: Problems) -> None:
    raw = out[col] if col in out.columns else pd.Series(np.nan, index=out.index)
    if numeric(raw):
        # Numbers already (read from GeoParquet, or by layers.columns.apply): the text of
        # each would read back as the same float, so only infinities are "not a number".
        num = raw.astype("float64")
        bad = np.isinf(num.to_numpy())
    else:
        typed = as_text(raw)
        cleaned = typed.where(~typed.str.fullmatch(_THOUSANDS), typed.str.replace(",", ""))
        num = pd.to_numeric(cleaned, errors="coerce").astype("float64")
        bad = ((typed != "") & ~np.isfinite(num)).to_numpy(dtype=bool)
    found.add(
        bad,
        col,
        raw,
        both("check.number.not_number", field=words(f"check.field.{col}")),
        REPAIRED,
    )
    num = num.where(~bad)
    negative = num < 0
    found.add(
        negative,
        col,
        raw,
        both("check.number.negative", field=words(f"check.field.{col}")),
        REPAIRED,
    )
    out[col] = num.where(~negative)


# How project lists and registry exports write a status, mapped to the four statuses. The
# stages before construction (推介, 在谈, 签约, 拟开工) are all "planned"; a registry's
# 存续/在业 (the company exists and trades) is "operating".
STATUS_ALIASES: Final[dict[str, str]] = {
    **dict.fromkeys(
        ("推介", "在谈", "洽谈", "签约", "已签约", "拟开工", "规划", "计划", "拟建"), "planned"
    ),
    **dict.fromkeys(("在建", "建设中", "开工", "已开工", "施工", "续建"), "construction"),
    **dict.fromkeys(
        (
            "投产",
            "已投产",
            "竣工投产",
            "运营",
            "运行",
            "生产",
            "在产",
            "正常生产",
            "存续",
            "在业",
            "营业",
        ),
        "operating",
    ),
    **dict.fromkeys(("未知", "不详", "待定"), "unknown"),
}


def check_status(out: pd.DataFrame, found: Problems, statuses: Sequence[str]) -> None:
    status = out["status"].str.strip().str.lower()
    status = status.replace(STATUS_ALIASES)
    status = status.where(status != "", "unknown")
    bad = ~status.isin(statuses)
    found.add(
        bad,
        "status",
        out["status"],
        lambda at: row_texts(
            "check.status.unknown",
            len(at),
            value=_shown(out["status"].iloc[at]),
            valid=", ".join(statuses),
        ),
        REPAIRED,
    )
    out["status"] = status.where(~bad, "unknown")


def check_segment(
    out: pd.DataFrame, keys: Sequence[str], names: dict[str, str], found: Problems
) -> None:
    lowered = out["segment"].str.lower()
    normalised = lowered.str.replace(r"[\s\-]+", "_", regex=True)
    # A segment given by its name in the chain ("正极材料", "Cathode materials") is that key.
    by_name = lowered.map(names).astype(object)
    use_name = ~normalised.isin(keys) & by_name.notna()
    normalised = normalised.where(~use_name, by_name.astype(str))
    known = normalised.isin(keys)
    out["segment"] = normalised.where(known, out["segment"])
    found.add(
        ~known,
        "segment",
        out["segment"],
        _segment_problem_texts(out["segment"], ~known, keys),
        KEPT_AS_GIVEN,
    )
    out["segment_known"] = known.to_numpy(dtype=bool)


def _segment_problem_texts(values: pd.Series, unknown: pd.Series, keys: Sequence[str]) -> RowTexts:
    """One message per distinct unknown value, with the nearest key when there is one."""
    valid = ", ".join(keys)
    messages: dict[str, Text] = {}
    # Loop over distinct unknown values only (a handful of typos), never over rows.
    for value in pd.unique(values[unknown.to_numpy(dtype=bool)]):
        typed = str(value)
        if not typed:
            messages[typed] = text("check.segment.missing", valid=valid)
            continue
        near = difflib.get_close_matches(typed.lower(), keys, n=1, cutoff=0.6)
        hint = text("check.segment.did_you_mean", near=near[0]) if near else Text("", "")
        messages[typed] = both("check.segment.unknown", value=typed, hint=hint, valid=valid)

    def texts(at: npt.NDArray[np.intp]) -> Texts:
        shown = values.iloc[at].astype(str)
        return Texts(
            en=shown.map({k: m.en for k, m in messages.items()}).to_numpy(dtype=object),
            zh=shown.map({k: m.zh for k, m in messages.items()}).to_numpy(dtype=object),
        )

    return texts


def check_synthetic(out: pd.DataFrame, found: Problems) -> None:
    if "synthetic" not in out.columns:
        out["synthetic"] = False
        return
    if out["synthetic"].dtype == np.bool_:
        # Read as booleans already (GeoParquet): every value is a yes/no value.
        out["synthetic"] = out["synthetic"].to_numpy(dtype=bool)
        return
    flag = as_text(out["synthetic"]).str.lower()
    found.add(
        ~flag.isin(_TRUE | _FALSE),
        "synthetic",
        out["synthetic"],
        text("check.synthetic.bad"),
        REPAIRED,
    )
    out["synthetic"] = flag.isin(_TRUE).to_numpy(dtype=bool)


def check_geometry(out: gpd.GeoDataFrame, found: Problems) -> gpd.GeoDataFrame:
    geoms = out.geometry.to_numpy()
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    types = shapely.get_type_id(geoms)
    not_point = present & (types != shapely.GeometryType.POINT)
    if not_point.any():
        names = pd.Series(types, index=out.index).map(
            {int(t): t.name for t in shapely.GeometryType}
        )
        found.add(
            not_point,
            "geometry",
            names,
            text("check.geometry.not_point"),
            REPAIRED,
        )
        geoms = geoms.copy()
        geoms[not_point] = shapely.point_on_surface(geoms[not_point])
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    # POINT (NaN NaN) is what points_from_xy makes of blank cells: no location either.
    present &= np.isfinite(x) & np.isfinite(y)
    geoms = np.where(present, geoms, None)
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=WGS84))
    out["located"] = present
    # lon/lat always mirror the geometry, so converted inputs can never disagree with it.
    out["lon"] = np.where(present, x, np.nan)
    out["lat"] = np.where(present, y, np.nan)
    return out
