"""Recognise the columns of real enterprise lists: Chinese and English headers, units, codes.

Staff lists come from Excel sheets and registry exports with headers such as 序号, 企业名称,
统一社会信用代码, 经度, 纬度, 坐标系, 投资额（亿元）. This module maps such headers to the
enterprise fields (:data:`FIELDS`), shows the mapping before anything is used
(:func:`mapping_table`), lets the user change and save it (:class:`ColumnMapping`,
:func:`read_mapping`, :func:`write_mapping`) and applies it (:func:`apply`): columns renamed to
fields, amounts converted to yuan, the unit of a capacity carried into ``capacity_unit``, and
every doubtful header or cell reported in a problems table with the columns and action words
of :func:`geo.io.read`.

The header aliases and the unit tables are data, in ``data/columns.yaml``, read when a
function runs and validated (every problem at once) into one :class:`layers.RuleError`.
Headers match after normalising full-width forms (（）, Ａ), letter case, spaces and the marks
``_ - . * # :``; a unit in brackets at the end (投资额（亿元）, 精度(米)) is read with the
field's unit table.

Coordinates are not converted here: :func:`geo.io.read` has already turned the longitude and
latitude columns (and a per-row coordinate-system column) into WGS 84 ``lon``/``lat`` and the
geometry. :func:`apply` leaves those as they are and says when one file mixes systems.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"编号": ["A1"], "企业名称": ["甲公司"], "投资额（亿元）": ["2.5"]})
>>> mapping = detect(raw.columns)
>>> mapping.columns
{'编号': 'id', '企业名称': 'name_zh', '投资额（亿元）': 'investment_cny'}
>>> data, problems = apply(raw, mapping, source_name="firms.csv")
>>> data.columns.tolist(), float(data.loc[0, "investment_cny"]), len(problems)
(['id', 'name_zh', 'investment_cny'], 250000000.0, 0)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

import geo
from geo.io import REPAIRED
from geo.messages import Text, Texts
from layers._column_cells import (
    check_credit_codes,
    codes_valid,
    mixed_systems,
    parse_numbers,
)
from layers._column_plan import HeaderProblem, Use, plan
from layers._column_table import (
    FIELDS,
    header_unit,
    is_positive_number,
    match,
    norm_unit,
    parse_mapping,
    table,
    unknown_text,
)
from layers._enterprise_checks import (
    KEPT_AS_GIVEN,
    PROBLEM_COLUMNS,
    Problems,
    as_text,
    row_texts,
)
from layers._yaml import RuleError
from layers.i18n import t, text

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "apply",
    "credit_code_valid",
    "detect",
    "mapping_table",
    "read_mapping",
    "write_mapping",
]

_SPREADSHEET_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xls", ".xlsm"})
_SHOWN: Final = 30  # characters of one sample value in the mapping table
_SMALL_YUAN: Final = 1e5  # a project's investment below 100,000 yuan is surely 万元 or 亿元


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which enterprise field, and the units of amounts.

    Parameters
    ----------
    columns : dict of str to str or None
        Source header -> field of :data:`FIELDS`, or None for a column that is not used
        (it stays in the data under its own name). A column the mapping does not list is
        used only if its header is a field name itself (``name_zh``).
    units : dict of str to float
        Source header -> factor to the field's unit: ``1e8`` for 投资额（亿元） (yuan),
        ``1e4`` for 产能（万吨/年） (t/yr), ``1000`` for 精度（公里） (metres). A header
        without an entry is read by the unit in its brackets, or as the field's unit.
    capacity_unit : str
        The unit of capacities whose header and cells name none (e.g. ``"GWh"`` for a bare
        产能 column). Default "": none.

    Raises
    ------
    geo.InputError
        If a field is not in :data:`FIELDS` or a factor is not a positive number (a
        ValueError; the message in English and Chinese).

    Examples
    --------
    >>> m = ColumnMapping(columns={"企业名称": "name_zh", "投资额（亿元）": "investment_cny"},
    ...                   units={"投资额（亿元）": 1e8})
    >>> ColumnMapping.from_yaml(m.to_yaml(), source_name="mapping.yaml") == m
    True
    """

    columns: dict[str, str | None]
    units: dict[str, float] = field(default_factory=dict)
    capacity_unit: str = ""

    def __post_init__(self) -> None:
        problems = [
            _column_problem(h, unknown_text("field", f, FIELDS))
            for h, f in self.columns.items()
            if f is not None and f not in FIELDS
        ]
        problems += [
            text("columns.mapping.factor", column=h, value=v)
            for h, v in self.units.items()
            if not is_positive_number(v)
        ]
        if problems:
            raise geo.InputError(
                Text("; ".join(p.en for p in problems), "；".join(p.zh for p in problems))
            )

    def to_yaml(self) -> str:
        """Return the mapping as the YAML text :meth:`from_yaml` (and ``--columns``) reads."""
        doc: dict[str, Any] = {"columns": dict(self.columns)}
        if self.units:
            doc["units"] = {h: float(v) for h, v in self.units.items()}
        if self.capacity_unit:
            doc["capacity_unit"] = self.capacity_unit
        body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
        return _YAML_HEAD + body

    @classmethod
    def from_yaml(cls, text: str, *, source_name: str) -> ColumnMapping:
        """Read a mapping from YAML text (as written by :meth:`to_yaml`).

        Parameters
        ----------
        text : str
            The YAML: ``columns`` (header: field, or null / ignore / 忽略 for not used),
            optional ``units`` (header: factor) and ``capacity_unit``.
        source_name : str
            The file's display name, used in messages.

        Returns
        -------
        ColumnMapping

        Raises
        ------
        layers.RuleError
            Listing every problem with its line: YAML syntax, unknown keys, unknown fields
            (with the nearest one), a header listed twice, a factor that is not a positive
            number, units for a header that ``columns`` does not list.
        """
        columns, units, capacity_unit = parse_mapping(text, source_name=source_name)
        return cls(columns=columns, units=units, capacity_unit=capacity_unit)


def _column_problem(header: str, problem: Text) -> Text:
    return Text(
        t("columns.mapping.column", "en", column=header, problem=problem.en),
        t("columns.mapping.column", "zh", column=header, problem=problem.zh),
    )


_YAML_HEAD: Final = (
    "# Column mapping for enterprise lists (zoning --columns FILE).\n"
    "# columns: source header -> field (null = not used: the column keeps its name).\n"
    "# units: source header -> factor to the field's unit (yuan, metres); 1.0e+8 for 亿元.\n"
)


def read_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """Read a mapping file written by :func:`write_mapping` (or by hand).

    Raises
    ------
    layers.RuleError
        If the file is not UTF-8 or not a valid mapping; see :meth:`ColumnMapping.from_yaml`.
    """
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError([text("columns.mapping.not_utf8", at=exc.start)], p.name) from exc
    return ColumnMapping.from_yaml(content, source_name=p.name)


def write_mapping(mapping: ColumnMapping, path: str | os.PathLike[str]) -> Path:
    """Write ``mapping`` as YAML (UTF-8) to ``path`` and return the path."""
    p = Path(path)
    p.write_text(mapping.to_yaml(), encoding="utf-8")
    return p


def detect(headers: Iterable[object]) -> ColumnMapping:
    """Map source headers to fields by the aliases in ``data/columns.yaml``.

    Parameters
    ----------
    headers : iterable of str
        The source headers, e.g. ``frame.columns``.

    Returns
    -------
    ColumnMapping
        Every header, in order, with its field or None; ``units`` holds the factor of each
        amount, capacity or precision header whose bracketed unit is known (投资额（亿元）:
        1e8). A header with an unknown unit (投资额（美元）) is mapped with no factor:
        :func:`apply` reports it and leaves the column unused.

    Raises
    ------
    layers.RuleError
        If ``data/columns.yaml`` is invalid.

    Examples
    --------
    >>> m = detect(["编号", "企业名称", "经度", "纬度", "产业环节", "产能（万吨/年）", "电话"])
    >>> list(m.columns.values())
    ['id', 'name_zh', 'lon', 'lat', 'segment', 'capacity', None]
    >>> m.units
    {'产能（万吨/年）': 10000.0}
    """
    tab = table()
    columns: dict[str, str | None] = {}
    units: dict[str, float] = {}
    for raw in headers:
        header = str(raw)
        name, unit = match(header, tab)
        columns[header] = name
        kind = tab.kinds.get(name or "")
        if unit is not None and kind is not None:
            found = kind.units.get(norm_unit(unit))
            if found is not None:
                units[header] = found.factor
    return ColumnMapping(columns=columns, units=units)


def credit_code_valid(code: str) -> bool:
    """Tell whether ``code`` is a 统一社会信用代码 with a correct check character.

    GB 32100-2015: 18 characters from ``0-9`` and ``A-Z`` without I, O, S, V and Z; the
    18th is ``(31 - sum(value(c_i) * w_i) % 31) % 31`` over the first 17, with the weights
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28. Strict: lower-case
    letters and spaces make a code invalid (:func:`apply` normalises them first).

    Examples
    --------
    >>> credit_code_valid("914403001922038216"), credit_code_valid("914403001922038217")
    (True, False)
    """
    ok, _ = codes_valid(pd.Series([code], dtype=object))
    return bool(ok[0])


# --- the public table and the conversion --------------------------------------------------


def mapping_table(frame: pd.DataFrame, mapping: ColumnMapping, *, samples: int = 3) -> pd.DataFrame:
    """Show, column by column, what :func:`apply` would do with ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data as read (e.g. ``geo.io.read(...).data``); not modified.
    mapping : ColumnMapping
        The mapping to show (e.g. from :func:`detect`).
    samples : int
        Distinct non-blank values shown per column.

    Returns
    -------
    pandas.DataFrame
        One row per source column (the geometry column left out), then one per column the
        mapping names that the file lacks. Columns ``source``, ``samples`` (joined with
        " | "), ``field`` (the field used, or ""), ``factor`` (the unit factor, NaN when no
        unit applies), ``note`` ("投资额（亿元） → investment_cny × 1e8", "not used: ...") and
        ``note_zh`` (the note in Chinese: "未使用：...").

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"企业名称": ["甲", "乙"], "投资额（亿元）": ["1.5", "3"]})
    >>> mapping_table(raw, detect(raw.columns))["note"].tolist()
    ['企业名称 → name_zh', '投资额（亿元） → investment_cny × 1e8']
    """
    if samples < 0:
        msg = f"`samples` must be 0 or more, got {samples}"
        raise ValueError(msg)
    layout = plan(frame, mapping, table(), "the file")  # header problems are not shown here
    originals = {str(c): c for c in frame.columns}
    rows = [
        {
            "source": use.source,
            "samples": _samples(frame[originals[use.source]], samples),
            "field": use.field if use.used and use.field else "",
            "factor": use.factor if use.used and use.kind is not None else math.nan,
            "note": use.note.en,
            "note_zh": use.note.zh,
        }
        for use in layout.uses
    ]
    listed = [u.source for u in layout.uses]
    rows += [
        {
            "source": h,
            "samples": "",
            "field": "",
            "factor": math.nan,
            "note": t("columns.note.missing", "en", field=f, listed=", ".join(listed)),
            "note_zh": t("columns.note.missing", "zh", field=f, listed="，".join(listed)),
        }
        for h, f in layout.missing.items()
    ]
    return pd.DataFrame(rows, columns=["source", "samples", "field", "factor", "note", "note_zh"])


def _samples(values: pd.Series, n: int) -> str:
    text = as_text(values.head(1000))
    distinct = pd.unique(text[text != ""])[:n]
    return " | ".join(
        v if len(v) <= _SHOWN else v[: _SHOWN - 3] + "..." for v in map(str, distinct)
    )


def _labels(
    frame: pd.DataFrame, source_name: str, rows: npt.ArrayLike | None
) -> npt.NDArray[np.int64]:
    if rows is None:
        # The numbering of geo.io.read and layers.enterprises: spreadsheets count the header
        # as row 1; vector files number features from 1.
        first = 2 if Path(source_name).suffix.lower() in _SPREADSHEET_SUFFIXES else 1
        return np.arange(len(frame), dtype=np.int64) + first
    labels = np.asarray(rows, dtype=np.int64)
    if labels.shape != (len(frame),):
        msg = f"`rows` must give one number per record ({len(frame)}), got {labels.shape}"
        raise ValueError(msg)
    return labels


def apply(
    frame: pd.DataFrame,
    mapping: ColumnMapping,
    *,
    source_name: str,
    rows: npt.ArrayLike | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rename mapped columns to fields and convert their units, reporting what is doubtful.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        The data as read, e.g. ``geo.io.read(...).data``. Not modified.
    mapping : ColumnMapping
        From :func:`detect`, :func:`read_mapping` or the user.
    source_name : str
        The file's display name (the user's file name), used in messages and to number rows.
    rows : array_like of int, optional
        Each record's number as problems count it (``geo.io.read(...).rows``). By default
        counted from the position: from 2 for spreadsheet names (.csv, .xlsx), else from 1.

    Returns
    -------
    data : pandas.DataFrame
        A copy of ``frame`` (same index and type, geometry untouched) with each used column
        renamed to its field; ``investment_cny`` in yuan, ``precision_m`` in metres and
        ``capacity`` in its unit as floats (blank and unreadable cells NaN), the capacity's
        unit in ``capacity_unit``; ``credit_code`` with spaces taken out and letters upper
        case, and copied to ``id`` when no column gives an id. Other columns keep their
        names (one that would collide with a field gets ``_ignored`` appended). WGS 84
        ``lon``/``lat`` from :func:`geo.io.read` stay as they are.
    problems : pandas.DataFrame
        Columns ``row, column, value, problem, problem_zh, action`` as :func:`geo.io.read`'s
        (the problem in English and in Chinese). Problems
        of the header carry the header's row (1 for spreadsheets, 0 for other files) and
        action "kept" (no record is left out): two columns mapped to one field (the second
        is ignored), an unknown unit (投资额（美元）: not used), a mapping naming a column
        the file lacks, an amount column with no unit and implausibly small amounts. Cell
        problems: a number that cannot be read ("repaired": NaN), a 统一社会信用代码 failing
        GB 32100-2015 ("kept"), and one row per minority system when the coordinate-system
        column mixes systems ("kept"; every row is converted from its own system).

    Raises
    ------
    layers.RuleError
        If ``data/columns.yaml`` is invalid.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"序号": ["1", "2"], "统一社会信用代码": ["914403001922038216", "X"],
    ...                     "投资额（万元）": ["1,200", "abc"]})
    >>> data, problems = apply(raw, detect(raw.columns), source_name="list.xlsx")
    >>> data["investment_cny"].tolist()
    [12000000.0, nan]
    >>> problems[["row", "column", "action"]].values.tolist()
    [[3, '统一社会信用代码', 'kept'], [3, '投资额（万元）', 'repaired']]
    """
    tab = table()
    labels = _labels(frame, source_name, rows)
    layout = plan(frame, mapping, tab, source_name)
    originals = {str(c): c for c in frame.columns}
    out = frame.rename(
        columns={originals[u.source]: u.rename_to for u in layout.uses if u.rename_to}
    )
    found = Problems(labels, source_name)
    header = list(layout.header_problems)
    # In column order, so each row's problems read left to right as in the file.
    for use in (u for u in layout.uses if u.used):
        if use.kind is not None:
            values = frame[originals[use.source]]
            _convert(out, use, values, found=found, header=header, source_name=source_name)
        elif use.field == "credit_code":
            codes = check_credit_codes(out["credit_code"], use.source, found)
            out["credit_code"] = codes
            if layout.id_from is not None:
                out["id"] = codes
        elif use.field == "coord_system":
            mixed_systems(out["coord_system"], use.source, found)
    return out, _problems(header, found, source_name)


def _convert(
    out: pd.DataFrame,
    use: Use,
    values: pd.Series,
    *,
    found: Problems,
    header: list[HeaderProblem],
    source_name: str,
) -> None:
    """Read a unit field's column into numbers in the field's unit; report unreadable cells."""
    assert use.kind is not None
    assert use.field is not None
    numbers = parse_numbers(values, use.kind, factor=use.factor, label=use.label)
    written = header_unit(use.source)[1] or use.label
    unit = text("columns.in_unit", unit=written.strip()) if written else Text("", "")

    def worded(at: npt.NDArray[np.intp]) -> Texts:
        # Only the bad cells (a few) are worded; the numbers were read in one pass.
        shown = as_text(values.iloc[at]).to_numpy(dtype=object)
        said = {"column": use.source, "value": shown}
        n = len(at)
        en = row_texts("columns.bad_number", n, reason=numbers.reasons[at], unit=unit.en, **said)
        zh = row_texts("columns.bad_number", n, reason=numbers.reasons_zh[at], unit=unit.zh, **said)
        return Texts(en=en.en, zh=zh.zh)

    found.add(numbers.bad, use.source, values, worded, REPAIRED)
    out[use.field] = numbers.amounts
    if use.field == "capacity":
        label = pd.Series(numbers.labels, index=out.index, dtype=object)
        given = as_text(out["capacity_unit"]) if "capacity_unit" in out.columns else None
        out["capacity_unit"] = label if given is None else given.where(given != "", label)
    positive = numbers.amounts[numbers.amounts > 0]
    if use.field == "investment_cny" and not use.unit_given and len(positive):
        median = float(np.median(positive))
        if median < _SMALL_YUAN:
            head = text("columns.head", file=source_name)
            said = {"column": use.source, "median": f"{median:g}"}
            message = Text(
                t("columns.small_amounts", "en", head=head.en, **said),
                t("columns.small_amounts", "zh", head=head.zh, **said),
            )
            header.append((use.source, f"{median:g}", message))


def _problems(header: list[HeaderProblem], found: Problems, source_name: str) -> pd.DataFrame:
    """Header problems first (on the header's row), then the cells' problems by row."""
    header_row = 1 if Path(source_name).suffix.lower() in _SPREADSHEET_SUFFIXES else 0
    first = pd.DataFrame(
        {
            "row": pd.Series([header_row] * len(header), dtype="int64"),
            "column": pd.Series([c for c, _, _ in header], dtype="str"),
            "value": pd.Series([v for _, v, _ in header], dtype="str"),
            "problem": pd.Series([p.en for _, _, p in header], dtype="str"),
            "problem_zh": pd.Series([p.zh for _, _, p in header], dtype="str"),
            "action": pd.Series([KEPT_AS_GIVEN] * len(header), dtype="str"),
        },
        columns=list(PROBLEM_COLUMNS),
    )
    cells = found.frame()
    if first.empty:
        return cells
    return pd.concat([first, cells], ignore_index=True) if len(cells) else first
