"""Messages of column mapping and segment inference.

Keyed, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary). ``columns.*``
are the words of :mod:`layers.columns` (headers, units, cells, the mapping file and the
mapping table's notes); ``segments.*`` those of :mod:`layers.segments` (problems and the
wording of a segment's basis). The English texts are the ones the library has always
written: tests and users' scripts match them.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["COLUMNS"]

COLUMNS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # --- lists and small words ----------------------------------------------------------
    "columns.either": {"en": "{first} or {last}", "zh": "{first}或{last}"},
    "columns.kind.amount": {"en": "amount", "zh": "金额"},
    "columns.kind.capacity": {"en": "capacity", "zh": "产能"},
    "columns.kind.length": {"en": "length", "zh": "长度"},
    "columns.field": {"en": "field", "zh": "字段"},
    "columns.key": {"en": "key", "zh": "键"},
    "columns.unknown": {
        "en": "unknown {kind} {value!r} ({hint}); valid {kinds}: {listed}",
        "zh": "未知的{kind} {value!r}（{hint}）；可用的{kinds}：{listed}",
    },
    "columns.did_you_mean": {"en": "did you mean {best!r}?", "zh": "是否指 {best!r}？"},
    "columns.no_close_match": {"en": "no close match", "zh": "没有相近的值"},
    # --- the header (layers._column_plan) -----------------------------------------------
    "columns.head": {"en": "{file} header: ", "zh": "{file} 表头："},
    "columns.unknown_unit": {
        "en": (
            "{head}unknown unit {unit} in {column}; give the {kind} in {fix} (or its factor "
            "under units in the mapping). The column is not used as {field} and keeps its name"
        ),
        "zh": (
            "{head}{column} 中的单位 {unit} 无法识别；请以 {fix} 为单位填写{kind}（或在映射文件"
            "的 units 下给出换算系数）。该列不作为 {field} 使用，保留原列名"
        ),
    },
    "columns.two_columns": {
        "en": (
            "{head}columns {first} and {column} both map to {field}: {first} is used and "
            "{column} is ignored (it keeps its name). Map {column} to another field or to "
            "nothing (null in the mapping file), or remove one of the columns"
        ),
        "zh": (
            "{head}列 {first} 和 {column} 都映射到字段 {field}：使用 {first}，忽略 {column}"
            "（保留原列名）。请把 {column} 映射到其他字段或不映射（映射文件中写 null），"
            "或删除其中一列"
        ),
    },
    "columns.missing_column": {
        "en": (
            "{head}the mapping names column {column!r} (as {field}), which is not in the "
            "file; its columns are: {listed}. Correct the name in the mapping or remove that "
            "line"
        ),
        "zh": (
            "{head}映射文件中的列 {column!r}（映射到 {field}）不在文件中；文件的列为：{listed}。"
            "请在映射文件中改正列名，或删除该行"
        ),
    },
    "columns.small_amounts": {
        "en": (
            "{head}{column} gives no unit and its amounts are small (median {median}), so "
            "they are read as 元; if they are 万元 or 亿元, write the unit in the header "
            "({column}（亿元）) or give the factor under units in the mapping"
        ),
        "zh": (
            "{head}{column} 未写单位且数值偏小（中位数 {median}），已按元读取；如单位是万元或"
            "亿元，请在表头写明单位（{column}（亿元）），或在映射文件的 units 下给出换算系数"
        ),
    },
    # --- notes of the mapping table ---------------------------------------------------------
    "columns.note.used": {"en": "{column} → {field}", "zh": "列 {column} 读作字段 {field}"},
    "columns.note.factor": {"en": " × {factor}", "zh": "，乘以 {factor}"},
    "columns.note.capacity_unit": {
        "en": ", capacity_unit {unit}",
        "zh": "，capacity_unit 为 {unit}",
    },
    "columns.note.unit_by_default": {
        "en": " (no unit in the header: read as {unit})",
        "zh": "（表头未写单位：按 {unit} 读取）",
    },
    "columns.note.unit_from_cells": {
        "en": " (no unit in the header: units from the cells, or capacity_unit in the mapping)",
        "zh": "（表头未写单位：单位取自单元格，或映射文件中的 capacity_unit）",
    },
    "columns.note.also_id": {
        "en": " (also used as id: the file has no id column)",
        "zh": "（文件没有编号列，同时用作 id）",
    },
    "columns.note.unknown_unit": {
        "en": "not used: unknown unit {unit}; give the {kind} in {fix}",
        "zh": "未使用：单位 {unit} 无法识别；请以 {fix} 为单位填写{kind}",
    },
    "columns.note.coordinates": {
        "en": "coordinates, read into {field} (WGS 84); the column keeps its name",
        "zh": "坐标列，读作 {field}（WGS 84）；列名保持不变",
    },
    "columns.note.second": {
        "en": "not used: {field} comes from {first}, the first such column",
        "zh": "未使用：{field} 取自 {first}（第一个映射到该字段的列）",
    },
    "columns.note.renamed": {"en": "renamed {name}", "zh": "改名为 {name}"},
    "columns.note.joined": {"en": "{first}; {second}", "zh": "{first}；{second}"},
    "columns.note.not_mapped": {
        "en": "not mapped: keeps its name",
        "zh": "未映射：保留原列名",
    },
    "columns.note.missing": {
        "en": "not in the file (mapped to {field}); its columns: {listed}",
        "zh": "文件中没有此列（映射到 {field}）；文件的列为：{listed}",
    },
    # --- cells (layers._column_cells) ------------------------------------------------------
    "columns.bad_number": {
        "en": (
            "{column} value '{value}' {reason}; write a plain number such as 12.5{unit}; "
            "the value is set to empty"
        ),
        "zh": "{column} 的值 '{value}' {reason}；请填写普通数字，如 12.5{unit}；该值已置空",
    },
    "columns.in_unit": {"en": " (in {unit})", "zh": "（单位：{unit}）"},
    "columns.not_a_number": {"en": "is not a number", "zh": "不是数字"},
    "columns.unknown_cell_unit": {
        "en": "has the unknown unit {unit}; give the {kind} in {fix}",
        "zh": "中的单位 {unit} 无法识别；请以 {fix} 为单位填写{kind}",
    },
    "columns.code.fix": {
        "en": (
            "copy it again from the business licence or 国家企业信用信息公示系统 "
            "(gsxt.gov.cn); the row is kept"
        ),
        "zh": "请从营业执照或国家企业信用信息公示系统（gsxt.gov.cn）重新复制；该行保留",
    },
    "columns.code.length": {
        "en": "统一社会信用代码 {code!r} has {n} characters, not 18 (GB 32100-2015): {fix}",
        "zh": "统一社会信用代码 {code!r} 有 {n} 位，不是 18 位（GB 32100-2015）：{fix}",
    },
    "columns.code.characters": {
        "en": (
            "统一社会信用代码 {code!r} contains {odd}, which codes never use (digits and "
            "capital letters except I, O, S, V, Z): {fix}"
        ),
        "zh": (
            "统一社会信用代码 {code!r} 含有 {odd}，代码中不会出现这些字符（只用数字和除 I、O、S、"
            "V、Z 以外的大写字母）：{fix}"
        ),
    },
    "columns.code.check": {
        "en": (
            "统一社会信用代码 {code!r} fails its check character (GB 32100-2015): its first 17 "
            "characters give {due!r} as the 18th, not {last!r}, so a character is mistyped: "
            "{fix}"
        ),
        "zh": (
            "统一社会信用代码 {code!r} 的校验位不对（GB 32100-2015）：按前 17 位算出的第 18 位应为 "
            "{due!r}，而不是 {last!r}，说明有字符录入错误：{fix}"
        ),
    },
    "columns.system.wgs84": {
        "en": "wgs84 (GPS, 天地图, CGCS2000)",
        "zh": "wgs84（GPS、天地图、CGCS2000）",
    },
    "columns.system.gcj02": {
        "en": "gcj02 (高德/Amap, 腾讯/Tencent)",
        "zh": "gcj02（高德、腾讯）",
    },
    "columns.system.bd09": {"en": "bd09 (百度/Baidu)", "zh": "bd09（百度）"},
    "columns.system.count": {"en": "{n} rows {system}", "zh": "{n} 行 {system}"},
    "columns.list": {"en": "{first}, {rest}", "zh": "{first}，{rest}"},
    "columns.mixed_systems": {
        "en": (
            "the file mixes coordinate systems in {column} ({summary}): rows {rows} are "
            "{named}. Each row is converted from its own system to WGS 84, so check that these "
            "{n} rows really are {system}: a point copied from another map lands 500 m to 1 "
            "km off"
        ),
        "zh": (
            "文件的 {column} 列混用了多种坐标系（{summary}）：第 {rows} 行为 {named}。每行按其"
            "自身的坐标系转换为 WGS 84，请核实这 {n} 行确实是 {system}：从其他地图复制的点会"
            "偏离 500 米至 1 公里"
        ),
    },
    # --- the mapping and its file (layers.columns, layers._column_table) ---------------------
    "columns.mapping.column": {
        "en": "column {column!r}: {problem}",
        "zh": "列 {column!r}：{problem}",
    },
    "columns.mapping.factor": {
        "en": "units of {column!r}: the factor must be a positive number, got {value!r}",
        "zh": "{column!r} 的 units：换算系数必须是正数，而不是 {value!r}",
    },
    "columns.mapping.head": {
        "en": "{file}: {n} problem:",
        "zh": "{file}：{n} 个问题：",
    },
    "columns.mapping.heads": {
        "en": "{file}: {n} problems:",
        "zh": "{file}：{n} 个问题：",
    },
    "columns.mapping.item": {"en": "  {i}. {problem}", "zh": "  {i}. {problem}"},
    "columns.mapping.not_utf8": {
        "en": "not UTF-8 text (byte {at}): save the file as UTF-8",
        "zh": "不是 UTF-8 文本（第 {at} 字节）：请把文件另存为 UTF-8",
    },
    "columns.mapping.where": {
        "en": "line {line}, column {col}: ",
        "zh": "第 {line} 行第 {col} 列：",
    },
    "columns.mapping.syntax": {
        "en": "{where}YAML syntax error: {what}; check the indentation and quoting there",
        "zh": "{where}YAML 语法错误：{what}；请检查该处的缩进和引号",
    },
    "columns.mapping.invalid_yaml": {"en": "invalid YAML", "zh": "YAML 无效"},
    "columns.mapping.syntax_plain": {
        "en": "YAML syntax error: {error}",
        "zh": "YAML 语法错误：{error}",
    },
    "columns.mapping.empty": {
        "en": "the file is empty: write a `columns:` mapping",
        "zh": "文件为空：请写一个 `columns:` 映射",
    },
    "columns.mapping.at": {"en": "line {line}, {where}", "zh": "第 {line} 行，{where}"},
    "columns.mapping.twice": {
        "en": "line {line}, {top}: {key!r} is listed twice (first on line {first}); keep one",
        "zh": "第 {line} 行，{top}：{key!r} 出现了两次（第一次在第 {first} 行）；请只保留一个",
    },
    "columns.mapping.no_columns": {
        "en": "the mapping must have `columns:` mapping source headers to fields",
        "zh": "映射文件必须有 `columns:`，把源表头映射到字段",
    },
    "columns.mapping.problem": {"en": "{where}: {problem}", "zh": "{where}：{problem}"},
    "columns.mapping.capacity_unit": {
        "en": "{where}: must be text such as GWh",
        "zh": "{where}：必须是文本，如 GWh",
    },
    "columns.mapping.quote_header": {
        "en": "{where}: header {header!r} must be quoted text",
        "zh": "{where}：表头 {header!r} 必须写成带引号的文本",
    },
    "columns.mapping.units_mapping": {
        "en": "{where}: must map source headers to factors",
        "zh": "{where}：必须把源表头映射到换算系数",
    },
    "columns.mapping.bad_factor": {
        "en": "{where}: the factor must be a positive number, got {value!r}{hint}",
        "zh": "{where}：换算系数必须是正数，而不是 {value!r}{hint}",
    },
    "columns.mapping.factor_hint": {
        "en": " (YAML reads 1e8 as text: write 1.0e+8)",
        "zh": "（YAML 把 1e8 读作文本：请写 1.0e+8）",
    },
    "columns.mapping.unlisted": {
        "en": "{where}: {header!r} is not listed under columns; add it there",
        "zh": "{where}：{header!r} 不在 columns 下；请先在 columns 中列出",
    },
    "columns.template_format": {
        "en": "the template is written as .xlsx or .csv, not .{fmt}; choose one of those",
        "zh": "模板只能写成 .xlsx 或 .csv，不能是 .{fmt}；请选择其中一种",
    },
    # --- segments: the basis of a segment (layers.segments.basis_text) -----------------------
    "segments.basis.key": {"en": "segment key {key}", "zh": "环节代码 {key}"},
    "segments.basis.name": {"en": "segment name {name}", "zh": "环节名称 {name}"},
    "segments.basis.synonym": {"en": "synonym {term}", "zh": "同义词 {term}"},
    "segments.basis.code": {
        "en": "industry code {code} {name} (GB/T 4754-2017)",
        "zh": "行业代码 {code} {name}（GB/T 4754-2017）",
    },
    "segments.basis.code_2011": {
        "en": "industry code {code} {name} (GB/T 4754-2011; {now} in 2017)",
        "zh": "行业代码 {code} {name}（GB/T 4754-2011；2017 版为 {now}）",
    },
    "segments.basis.by_name": {
        "en": "industry name {name} ({code}, GB/T 4754-2017)",
        "zh": "行业名称 {name}（{code}，GB/T 4754-2017）",
    },
    "segments.basis.by_name_2011": {
        "en": "industry name {name} ({code}, GB/T 4754-2011; {now} in 2017)",
        "zh": "行业名称 {name}（{code}，GB/T 4754-2011；2017 版为 {now}）",
    },
    "segments.basis.outside": {
        "en": "{basis}: outside the storage chain",
        "zh": "{basis}：不属于储能产业链",
    },
    "segments.basis.scope": {"en": "经营范围: {quote}", "zh": "经营范围：{quote}"},
    "segments.basis.name_quote": {"en": "企业名称: {quote}", "zh": "企业名称：{quote}"},
    "segments.basis.chosen": {"en": "chosen by the user", "zh": "由用户选择"},
    "segments.basis.and": {"en": "{first} + {second}", "zh": "{first} + {second}"},
    # --- segments: problems (layers.segments, layers._segment_evidence) ----------------------
    "segments.fix": {
        "en": "fill the 产业环节 (segment) column or choose in the app",
        "zh": "请填写产业环节列，或在应用中选择",
    },
    "segments.no_phrase": {
        "en": (
            "经营范围 names no segment of the storage chain (no phrase of {file}) and there is "
            "no segment or known industry code to go by; {fix}"
        ),
        "zh": (
            "经营范围未提及储能产业链的任何环节（不含 {file} 中的词语），也没有产业环节或已知"
            "行业代码可依据；{fix}"
        ),
    },
    "segments.nothing": {
        "en": "no segment, and no usable industry code or 经营范围 to read one from; {fix}",
        "zh": "没有产业环节，也没有可用于判断的行业代码或经营范围；{fix}",
    },
    "segments.needs": {
        "en": "needs a segment: candidates {candidates} ({basis}); {fix}",
        "zh": "需要指定产业环节：候选 {candidates}（{basis}）；{fix}",
    },
    "segments.outside": {
        "en": "{basis}: no segment; if the firm belongs to the storage chain, {fix}",
        "zh": "{basis}：没有对应的产业环节；如该企业属于储能产业链，{fix}",
    },
    "segments.unknown": {
        "en": (
            "segment '{value}' is no segment key, name or synonym ({hint}); {read}; write a "
            "key or a name such as copper_foil or 锂电铜箔"
        ),
        "zh": (
            "产业环节 '{value}' 不是环节代码、名称或同义词（{hint}）；{read}；请填写代码或名称，"
            "如 copper_foil 或 锂电铜箔"
        ),
    },
    "segments.read_as": {
        "en": "it was read as {segment} ({basis})",
        "zh": "已判为 {segment}（{basis}）",
    },
    "segments.candidates": {"en": "candidates {candidates}", "zh": "候选 {candidates}"},
    "segments.none_found": {"en": "no segment found", "zh": "未找到产业环节"},
    "segments.hint.none": {"en": "no close match", "zh": "没有相近的值"},
    "segments.hint.key": {"en": "did you mean {segment}?", "zh": "是否指 {segment}？"},
    "segments.hint.term": {
        "en": "did you mean {term}, which can be {candidates}?",
        "zh": "是否指 {term}？它可以是 {candidates}",
    },
    "segments.code.bad": {
        "en": (
            "industry code '{code}' is no GB/T 4754 class code (a section letter and four "
            "digits, e.g. C3841); no segment is read from it"
        ),
        "zh": (
            "行业代码 '{code}' 不是 GB/T 4754 的小类代码（门类字母加四位数字，如 C3841）；"
            "未据此判断产业环节"
        ),
    },
    "segments.code.unknown": {
        "en": (
            "industry code {code} is not among the {n} codes of the storage chain in {file}"
            "{hint}; no segment is read from it: check the code, or give the segment"
        ),
        "zh": (
            "行业代码 {code} 不在 {file} 收录的 {n} 个储能产业链代码中{hint}；未据此判断产业"
            "环节：请核对代码，或直接填写产业环节"
        ),
    },
    "segments.code.hint": {"en": " (did you mean {code}?)", "zh": "（是否为 {code}？）"},
    "segments.code.maybe_old": {
        "en": (
            "industry code {code} is {name} in GB/T 4754-2017 (read so), but was {name_2011} "
            "in GB/T 4754-2011 (now {now}); if the file uses the 2011 codes, give the industry "
            "name (行业名称) or the segment"
        ),
        "zh": (
            "行业代码 {code} 在 GB/T 4754-2017 中为 {name}（已按此读取），但在 GB/T 4754-2011 "
            "中为 {name_2011}（现为 {now}）；如文件使用 2011 版代码，请填写行业名称或产业环节"
        ),
    },
    "segments.code.old": {
        "en": (
            "industry code {code} {name} is a GB/T 4754-2011 code; GB/T 4754-2017 numbers it "
            "{now}: it was read so; update the code"
        ),
        "zh": (
            "行业代码 {code} {name} 是 GB/T 4754-2011 的代码；GB/T 4754-2017 中编为 {now}："
            "已按此读取；请更新代码"
        ),
    },
    "segments.choose.unknown": {
        "en": "unknown segment(s) {keys}: choose keys of layers.chain()",
        "zh": "未知的产业环节 {keys}：请从 layers.chain() 的环节代码中选择",
    },
    "segments.choose.rows": {
        "en": "rows {rows} are not in the data: choose among its index labels",
        "zh": "第 {rows} 行不在数据中：请从数据的行标签中选择",
    },
    "columns.mapping_file_missing": {
        "en": "{path}: no such mapping file; write one with `zoning validate FILE --save-columns`",
        "zh": "{path}：映射文件不存在；可用 `zoning validate 文件 --save-columns` 生成一个",
    },
}
