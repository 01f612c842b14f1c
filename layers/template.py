"""The enterprise-list template: the columns the tool reads, with examples and explanations.

``zoning template --out enterprises_template.xlsx`` and the app's download write it. The
first sheet has one header per field (Chinese headers, or the field keys with
``lang="en"``; both are recognised on reading) and one example row of each kind of record;
the second sheet explains every column in both languages with its allowed values. Example
rows are marked as examples in their id and note: delete them before use.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Final, Literal

import pandas as pd

import geo
from layers.enterprises import STATUSES
from layers.i18n import text

__all__ = ["TEMPLATE_COLUMNS", "explanation", "template", "template_bytes", "write_template"]

# field key, Chinese header, meaning (zh), meaning (en), allowed values / format
TEMPLATE_COLUMNS: Final[tuple[tuple[str, str, str, str, str], ...]] = (
    ("id", "编号", "每条记录唯一的编号", "a unique id per record", "text, e.g. NC-012"),
    (
        "credit_code",
        "统一社会信用代码",
        "18 位代码；无编号时用作编号",
        "18-character unified social credit code; the id when there is none",
        "GB 32100-2015, checked",
    ),
    (
        "name_zh",
        "企业名称",
        "企业或项目的中文名称（必填）",
        "Chinese name of the firm or project (required)",
        "text",
    ),
    ("name_en", "英文名称", "英文名称（可空）", "English name (optional)", "text"),
    (
        "segment",
        "产业环节",
        "产业链环节：代码、中文名或常用名（如 铜箔、储能变流器）；空则由行业代码或经营范围推断",
        (
            "chain segment: key, name or common name (e.g. 铜箔, PCS); "
            "inferred from the industry code or business scope when blank"
        ),
        "e.g. copper_foil, 铜箔",
    ),
    (
        "industry_code",
        "行业代码",
        "国民经济行业分类代码（GB/T 4754-2017）",
        "industry code (GB/T 4754-2017)",
        "e.g. C3841",
    ),
    ("industry_name", "行业名称", "行业名称", "industry name", "e.g. 锂离子电池制造"),
    ("business_scope", "经营范围", "营业执照上的经营范围", "business scope as registered", "text"),
    (
        "status",
        "项目状态",
        "签约、在谈、拟开工、在建、投产、运营 …",
        "planned, construction, operating, unknown (Chinese words accepted)",
        ", ".join(STATUSES),
    ),
    ("lon", "经度", "经度（十进制度）", "longitude (decimal degrees)", "e.g. 115.9449"),
    ("lat", "纬度", "纬度（十进制度）", "latitude (decimal degrees)", "e.g. 28.5567"),
    (
        "coord_system",
        "坐标系",
        "坐标来自哪里：高德/腾讯为 GCJ-02，百度为 BD-09，GPS/天地图为 WGS84",
        "where the coordinates come from: Amap/Tencent GCJ-02, Baidu BD-09, GPS/Tianditu WGS84",
        "WGS84, GCJ-02, BD-09 (高德, 百度, 天地图)",
    ),
    (
        "precision_m",
        "位置精度（米）",
        "坐标的大致误差，米；只知道园区时填园区半径",
        "how far off the position may be, in metres (a park's radius when only the park is known)",
        "number >= 0",
    ),
    ("park", "所在园区", "所在开发区或园区", "development zone or park", "text"),
    ("address", "注册地址", "地址", "address", "text"),
    (
        "investment_cny",
        "投资额（亿元）",
        "总投资，单位见表头（亿元、万元或元）",
        "total investment, in the unit of the header (亿元, 万元 or 元)",
        "number",
    ),
    ("capacity", "产能", "设计产能", "design capacity", "number"),
    ("capacity_unit", "产能单位", "产能的单位", "unit of the capacity", "e.g. GWh, t/yr"),
    ("source", "来源", "信息来源", "where the facts come from", "text"),
    ("as_of", "日期", "信息日期", "date of the facts", "YYYY-MM-DD or YYYY-MM"),
    ("note", "备注", "备注", "note", "text"),
)
"""Every column of the template: field key, Chinese header, meaning in zh and en, values."""

_FIELDS: Final = tuple(c[0] for c in TEMPLATE_COLUMNS)

# One example per kind of record: a located firm with its segment (WGS 84), a project read
# off Amap (GCJ-02) known only to its park, a registry row with no segment (inferred from its
# industry code and business scope), and a project whose site is not known yet.
_EXAMPLES: Final[tuple[dict[str, str], ...]] = (
    {
        "id": "EX-1",
        "name_zh": "示例铜箔有限公司",
        "name_en": "Example Copper Foil Co.",
        "segment": "铜箔",
        "status": "运营",
        "lon": "115.9449",
        "lat": "28.5567",
        "coord_system": "WGS84",
        "precision_m": "100",
        "park": "小蓝经开区",
        "investment_cny": "12.5",
        "capacity": "5",
        "capacity_unit": "万吨/年",
        "note": "示例，使用前删除 example: delete before use",
    },
    {
        "id": "EX-2",
        "name_zh": "示例储能电池项目",
        "segment": "li_ion_cell",
        "status": "在建",
        "lon": "115.8000",
        "lat": "28.7200",
        "coord_system": "高德",
        "precision_m": "4000",
        "park": "南昌经开区",
        "note": "示例：坐标取自高德地图 example: coordinates from Amap",
    },
    {
        "id": "EX-3",
        "credit_code": "",
        "name_zh": "示例新能源材料有限公司",
        "industry_code": "C3985",
        "industry_name": "电子专用材料制造",
        "business_scope": "磷酸铁锂正极材料的研发、生产和销售",
        "status": "存续",
        "address": "南昌市进贤县",
        "note": "示例：环节由推断得出 example: segment inferred",
    },
    {
        "id": "EX-4",
        "name_zh": "示例储能变流器项目",
        "segment": "储能变流器",
        "status": "签约",
        "note": "示例：选址未定，保留为无坐标 example: site not known yet, kept unlocated",
    },
)


def template(lang: Literal["zh", "en"] = "zh") -> pd.DataFrame:
    """Return the template's first sheet: headers and one example row per kind of record.

    Parameters
    ----------
    lang : {"zh", "en"}
        Chinese headers (``"zh"``) or the field keys (``"en"``); the tool reads both.

    Examples
    --------
    >>> sheet = template()
    >>> list(sheet.columns[:3]), len(sheet)
    (['编号', '统一社会信用代码', '企业名称'], 4)
    """
    headers = [c[1] if lang == "zh" else c[0] for c in TEMPLATE_COLUMNS]
    rows = [[example.get(f, "") for f in _FIELDS] for example in _EXAMPLES]
    if lang == "en":
        # The field key's unit is yuan; the Chinese header says 亿元 (1e8 yuan).
        col = _FIELDS.index("investment_cny")
        for row in rows:
            if row[col]:
                row[col] = f"{float(row[col]) * 1e8:.0f}"
    return pd.DataFrame(rows, columns=headers)


def explanation() -> pd.DataFrame:
    """Return the second sheet: every column explained in Chinese and English."""
    return pd.DataFrame(
        [(c[1], c[0], c[2], c[3], c[4]) for c in TEMPLATE_COLUMNS],
        columns=["表头 header", "字段 field", "说明", "meaning", "取值 values"],
    )


def write_template(path: str | Path, *, lang: Literal["zh", "en"] = "zh") -> Path:
    """Write the template as ``.xlsx`` (two sheets) or ``.csv`` (the first sheet only).

    Raises
    ------
    geo.InputError
        For another extension (a ValueError; the message in English and Chinese).
    """
    target = Path(path)
    data = template_bytes(target.suffix.lower().lstrip("."), lang=lang)
    target.write_bytes(data)
    return target


def template_bytes(fmt: str, *, lang: Literal["zh", "en"] = "zh") -> bytes:
    """Return the template as the bytes of an ``xlsx`` or ``csv`` file (for a download)."""
    if fmt == "csv":
        # UTF-8 with a BOM: Excel then opens the Chinese headers correctly.
        return template(lang).to_csv(index=False).encode("utf-8-sig")
    if fmt != "xlsx":
        raise geo.InputError(text("columns.template_format", fmt=fmt))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        template(lang).to_excel(writer, sheet_name="企业 enterprises", index=False)
        explanation().to_excel(writer, sheet_name="说明 columns", index=False)
    return buffer.getvalue()
