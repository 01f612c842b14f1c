"""Messages of the layers' checks (enterprises, rules, chain, areas, project, geography).

Keyed, zh and en; merged into :data:`layers.i18n.STRINGS` (one vocabulary). The English is
what the checks always said (tests and users' scripts match it); the Chinese is written as
a planning office writes it. ``{file}`` and the user's values are filled in as given.
Placeholders named ``field``, ``kind``, ``plural``, ``type``, ``label``, ``what`` take one
of the ``check.field.*`` / ``check.kind.*`` / ``check.type.*`` words here, each language its
own (:func:`layers._texts.both`); all others take the same value in both languages.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["CHECKS"]

_Text = dict[Literal["zh", "en"], str]

# Enterprise rows (layers._enterprise_checks, layers.enterprises).
_ENTERPRISES: Final[dict[str, _Text]] = {
    "check.field.capacity": {"en": "capacity", "zh": "产能（capacity）"},
    "check.field.investment_cny": {"en": "investment_cny", "zh": "投资额（investment_cny）"},
    "check.field.precision_m": {"en": "precision_m", "zh": "位置精度（precision_m）"},
    "check.id.blank": {
        "en": "id is empty; give every enterprise its own id (e.g. NC-012); the row is kept",
        "zh": "编号为空；请为每家企业填写唯一编号（如 NC-012）；该行已保留",
    },
    "check.id.repeated": {
        "en": "id '{id}' repeats row {first}; the first is kept and this row is left out; "
        "give every record its own id",
        "zh": "编号“{id}”与第 {first} 行重复；已保留首次出现的行，本行未采用；"
        "请为每条记录填写唯一编号",
    },
    "check.number.not_number": {
        "en": "{field} must be a number (no units or text); it was set empty (NaN)",
        "zh": "{field}须为数字（不带单位或文字）；已设为空（NaN）",
    },
    "check.number.negative": {
        "en": "{field} cannot be negative; it was set empty (NaN); correct the sign",
        "zh": "{field}不能为负数；已设为空（NaN）；请改正正负号",
    },
    "check.status.unknown": {
        "en": "status '{value}' is not one of {valid}; it was set to 'unknown'",
        "zh": "状态“{value}”无法识别，应为 {valid} 之一（也可写签约、在建、投产等）；"
        "已设为 unknown（未知）",
    },
    "check.synthetic.bad": {
        "en": "synthetic must be true or false; it was set to false",
        "zh": "synthetic（模拟数据标记）须为 true 或 false（是/否）；已设为 false",
    },
    "check.geometry.not_point": {
        "en": "an enterprise is a point; the geometry was replaced by a point on its surface",
        "zh": "企业位置应为点；该几何已替换为其内部的一个点",
    },
    "check.segment.missing": {
        "en": "segment is missing: give one of the segment keys ({valid})",
        "zh": "产业环节为空：请填写以下环节代码之一（{valid}）",
    },
    "check.segment.unknown": {
        "en": "unknown segment {value!r}{hint}. Valid segment keys: {valid}. "
        "The row is kept with the segment as given (segment_known False)",
        "zh": "产业环节 {value!r} 无法识别{hint}。可用的环节代码：{valid}。"
        "该行已保留，产业环节按原样保留（segment_known 为 False）",
    },
    "check.segment.did_you_mean": {
        "en": " (did you mean {near!r}?)",
        "zh": "（是否应为 {near!r}？）",
    },
    "check.enterprises.no_crs": {
        "en": "{file}: the geometries have no CRS. Declare it with `set_crs('EPSG:4326')` "
        "(or whatever the coordinates are in) before validating.",
        "zh": "{file}：几何没有坐标参考系（CRS）。请在校验前用 `set_crs('EPSG:4326')`"
        "（或坐标实际所用的坐标系）声明。",
    },
    "check.enterprises.missing_columns": {
        "en": "{file}: missing required column(s) {missing}. Add them to the header row "
        "(required: {required}; optional: {optional}).",
        "zh": "{file}：缺少必填列 {missing}。请在表头行中添加（必填：{required}；"
        "选填：{optional}）。",
    },
}

# Hand-edited YAML files (layers._yaml): where a problem is, what was found, the key lists.
_YAML: Final[dict[str, _Text]] = {
    "check.yaml.head_one": {"en": "{source}: {n} problem:", "zh": "{source}：{n} 个问题："},
    "check.yaml.head_many": {"en": "{source}: {n} problems:", "zh": "{source}：{n} 个问题："},
    "check.yaml.at_line": {"en": "line {line}, {where}", "zh": "第 {line} 行，{where}"},
    "check.yaml.line": {"en": "line {line}", "zh": "第 {line} 行"},
    "check.yaml.top": {"en": "top level", "zh": "顶层"},
    "check.yaml.placed": {"en": "{at}: {message}", "zh": "{at}：{message}"},
    "check.yaml.duplicate_key": {
        "en": "key {key!r} appears twice in the same mapping (first on line {first}); the "
        "second would silently replace the first: keep one",
        "zh": "键 {key!r} 在同一映射中出现两次（首次在第 {first} 行）；后一个会直接覆盖前一个："
        "请只保留一个",
    },
    "check.yaml.not_utf8": {
        "en": "not UTF-8 text (byte {byte}): save the file as UTF-8",
        "zh": "不是 UTF-8 文本（第 {byte} 字节）：请将文件另存为 UTF-8 编码",
    },
    "check.yaml.line_column": {
        "en": "line {line}, column {column}: ",
        "zh": "第 {line} 行第 {column} 列：",
    },
    "check.yaml.syntax_at": {
        "en": "{where}YAML syntax error: {what}. Check the indentation and quoting there "
        "(text with ':' or '#' needs quotes)",
        "zh": "{where}YAML 语法错误：{what}。请检查该处的缩进和引号"
        "（含 ':' 或 '#' 的文字须加引号）",
    },
    "check.yaml.syntax": {"en": "YAML syntax error: {error}", "zh": "YAML 语法错误：{error}"},
    "check.yaml.missing_field": {
        "en": "{what} is missing the required field {key!r}",
        "zh": "{what}缺少必填字段 {key!r}",
    },
    "check.yaml.not_text": {
        "en": "must be non-empty text, got {type} {value!r}",
        "zh": "须为非空文字，实际为{type} {value!r}",
    },
    "check.yaml.not_list": {
        "en": "must be a list such as [a, b], got {type} {value!r}",
        "zh": "须为列表，如 [a, b]，实际为{type} {value!r}",
    },
    "check.yaml.write_as_list": {"en": "; write [{value}]", "zh": "；请写成 [{value}]"},
    "check.yaml.item_not_key": {
        "en": "each item must be a key (text), got {type} {item!r}",
        "zh": "每一项都须为代码（文字），实际为{type} {item!r}",
    },
    "check.unknown": {
        "en": "unknown {kind} {value!r} ({hint}); valid {plural}: {listed}",
        "zh": "{kind} {value!r} 不存在（{hint}）；可用的{plural}：{listed}",
    },
    "check.unknown.hint": {"en": "did you mean {best!r}?", "zh": "是否应为 {best!r}？"},
    "check.unknown.no_match": {"en": "no close match", "zh": "无相近项"},
    "check.unknown.none": {"en": "(none)", "zh": "（无）"},
    "check.type.nothing": {"en": "nothing", "zh": "空值"},
    "check.type.mapping": {"en": "a mapping", "zh": "映射"},
    "check.type.list": {"en": "a list", "zh": "列表"},
    "check.type.text": {"en": "text", "zh": "文字"},
    "check.type.bool": {"en": "true/false", "zh": "布尔值 true/false"},
    "check.type.number": {"en": "a number", "zh": "数字"},
    "check.kind.field": {"en": "field", "zh": "字段"},
    "check.kind.fields": {"en": "fields", "zh": "字段"},
    "check.kind.segment": {"en": "segment", "zh": "产业环节"},
    "check.kind.segments": {"en": "segments", "zh": "环节代码"},
    "check.kind.area": {"en": "area", "zh": "集聚区"},
    "check.kind.areas": {"en": "areas", "zh": "集聚区代码"},
    "check.kind.stage": {"en": "stage", "zh": "阶段"},
    "check.kind.stages": {"en": "stages", "zh": "阶段"},
    "check.kind.zone": {"en": "zone id", "zh": "园区编号"},
    "check.kind.zones": {"en": "zone ids", "zh": "园区编号"},
    "check.kind.adcode": {"en": "district adcode", "zh": "区县行政区划代码"},
    "check.kind.adcodes": {"en": "district adcodes", "zh": "区县行政区划代码"},
}

# The rules file (layers.rules, layers._rule_checks).
_RULES: Final[dict[str, _Text]] = {
    "check.rules.file": {"en": "the rules file", "zh": "规则文件"},
    "check.rules.top_mapping": {
        "en": "the top level must be a mapping with the fields {fields}; got {type}",
        "zh": "顶层须为含字段 {fields} 的映射；实际为{type}",
    },
    "check.rules.shipped_missing": {
        "en": "{path}: file not found, so the rules cannot be checked against it; rebuild it "
        "with `python -m tools.build_data all` or pass `{argument}=` explicitly",
        "zh": "{path}：找不到文件，无法据此核对规则；请用 `python -m tools.build_data all` "
        "重新生成，或显式传入 `{argument}=`",
    },
    "check.rules.version": {
        "en": "must be a whole number >= 1, got {type} {value!r}",
        "zh": "须为不小于 1 的整数，实际为{type} {value!r}",
    },
    "check.rules.as_of": {
        "en": 'must be a date like "2023-09-09", got {value!r}',
        "zh": '须为日期，如 "2023-09-09"，实际为 {value!r}',
    },
    "check.rules.source_mapping": {
        "en": "must be a mapping with at least `key`, got {type}",
        "zh": "须为至少含 `key` 的映射，实际为{type}",
    },
    "check.rules.source_key": {
        "en": "needs `key`: the source key in data/SOURCES.md (e.g. S1)",
        "zh": "缺少 `key`：请填写 data/SOURCES.md 中的来源编号（如 S1）",
    },
    "check.rules.segment_twice": {
        "en": "segment {key!r} is listed twice: keep one",
        "zh": "产业环节 {key!r} 列出了两次：请只保留一个",
    },
    "check.rules.areas_list": {
        "en": "must be a list of areas, got {type}",
        "zh": "须为集聚区列表，实际为{type}",
    },
    "check.rules.no_area": {
        "en": "lists no area: the plan has three",
        "zh": "未列出任何集聚区：规划中有三个",
    },
    "check.rules.area_twice": {
        "en": "area key {key!r} is used twice (first at areas[{first}]): area keys must be unique",
        "zh": "集聚区代码 {key!r} 使用了两次（首次在 areas[{first}]）：集聚区代码不得重复",
    },
    "check.rules.area_mapping": {
        "en": "each area must be a mapping, got {type} {value!r}",
        "zh": "每个集聚区须为映射，实际为{type} {value!r}",
    },
    "check.rules.area_label": {"en": "area {key!r}", "zh": "集聚区 {key!r} "},
    "check.rules.area_index": {"en": "areas[{i}]", "zh": "areas[{i}] "},
    "check.rules.members_label": {"en": "{label} members", "zh": "{label}的成员（members）"},
    "check.rules.area_key_format": {
        "en": "area key {key!r} must be lower-case letters, digits and _ (e.g. 'battery')",
        "zh": "集聚区代码 {key!r} 只能由小写字母、数字和下划线组成（如 'battery'）",
    },
    "check.rules.no_members": {
        "en": "{label} has no members: list at least one district adcode or zone id under "
        "members.districts / members.zones",
        "zh": "{label}没有成员：请在 members.districts / members.zones 下至少列出一个"
        "区县行政区划代码或园区编号",
    },
    "check.rules.members_mapping": {
        "en": "must be a mapping {{districts: [adcodes], zones: [zone ids]}}, got {type} {value!r}",
        "zh": "须为映射 {{districts: [行政区划代码], zones: [园区编号]}}，实际为{type} {value!r}",
    },
    "check.rules.member_and_minus": {
        "en": "zone {zone!r} is both a member and subtracted in {label}: remove it from one",
        "zh": "园区 {zone!r} 在{label}中既是成员又被扣除：请从其中一处删除",
    },
    "check.rules.minus_without_districts": {
        "en": "{label} subtracts zones but has no districts to subtract them from "
        "(minus_zones apply to the member districts only)",
        "zh": "{label}扣除了园区，但没有可从中扣除的区县（minus_zones 只作用于成员区县）",
    },
    "check.rules.no_segments": {
        "en": "{label} designates no segment: list at least one",
        "zh": "{label}未指定任何产业环节：请至少列出一个",
    },
    "check.rules.shared_not_designated": {
        "en": "{label} lists {segment!r} as shared but does not designate it under segments: "
        "add it to segments or remove it",
        "zh": "{label}将 {segment!r} 列为共享环节，但未在 segments 下指定它："
        "请将其加入 segments 或删除",
    },
    "check.rules.double_designation": {
        "en": "segment {segment!r} is designated to areas {names}; a segment belongs to one "
        "area unless every area that designates it lists it under shared_segments (missing "
        "in {missing}): remove it from all but one area, or mark it shared",
        "zh": "产业环节 {segment!r} 同时指定给了集聚区 {names}；一个环节只属于一个集聚区，"
        "除非每个指定它的集聚区都在 shared_segments 中列出它（{missing} 未列出）："
        "请只在一个集聚区保留，或标为共享",
    },
    "check.rules.without_area_designated": {
        "en": "segment {segment!r} is listed as a key segment without area, but area {area!r} "
        "designates it: remove it from one of the two",
        "zh": "产业环节 {segment!r} 被列为无集聚区的重点环节，但集聚区 {area!r} 指定了它："
        "请从两处之一删除",
    },
    "check.rules.targets_mapping": {
        "en": "must be a mapping, got {type} {value!r}",
        "zh": "须为映射，实际为{type} {value!r}",
    },
    "check.rules.targets_missing": {
        "en": "targets is missing the required field {name!r}",
        "zh": "targets 缺少必填字段 {name!r}",
    },
    "check.rules.targets_number": {
        "en": "must be a number >= {minimum:g}, got {type} {value!r}{hint}",
        "zh": "须为不小于 {minimum:g} 的数字，实际为{type} {value!r}{hint}",
    },
    "check.rules.targets_hint": {
        "en": " (write 20000000000 or 2.0e+10: YAML reads 2.0e10 as text)",
        "zh": "（请写作 20000000000 或 2.0e+10：YAML 会把 2.0e10 读作文字）",
    },
    "check.rules.no_file": {
        "en": "{path}: no such rules file; give a YAML file like data/rules.yaml",
        "zh": "{path}：找不到规则文件；请提供类似 data/rules.yaml 的 YAML 文件",
    },
}

# The chain file (layers.chain).
_CHAIN: Final[dict[str, _Text]] = {
    "check.chain.file": {"en": "the chain file", "zh": "产业链文件"},
    "check.chain.feedback_label": {"en": "a feedback edge", "zh": "反馈边"},
    "check.chain.segment_label": {"en": "segment {key!r}", "zh": "产业环节 {key!r} "},
    "check.chain.segment_index": {"en": "segments[{i}]", "zh": "segments[{i}] "},
    "check.chain.top_mapping": {
        "en": "the top level must be a mapping with `version` and `segments`; got {type}",
        "zh": "顶层须为含 `version` 和 `segments` 的映射；实际为{type}",
    },
    "check.chain.segments_list": {
        "en": "must be a list of segments, got {type}",
        "zh": "须为产业环节列表，实际为{type}",
    },
    "check.chain.key_twice": {
        "en": "segment key {key!r} is used twice: keys must be unique",
        "zh": "环节代码 {key!r} 使用了两次：代码不得重复",
    },
    "check.chain.supplies_itself": {
        "en": "segment {key!r} supplies itself: remove it from its own supplies",
        "zh": "产业环节 {key!r} 供应给自身：请从它自己的 supplies 中删除",
    },
    "check.chain.segment_mapping": {
        "en": "each segment must be a mapping, got {type}",
        "zh": "每个产业环节须为映射，实际为{type}",
    },
    "check.chain.key_format": {
        "en": "segment key {key!r} must be lower-case letters, digits and _ (e.g. 'li_ion_cell')",
        "zh": "环节代码 {key!r} 只能由小写字母、数字和下划线组成（如 'li_ion_cell'）",
    },
    "check.chain.feedback_list": {
        "en": "must be a list of {{from, to, why}}, got {type}",
        "zh": "须为 {{from, to, why}} 的列表，实际为{type}",
    },
    "check.chain.feedback_mapping": {
        "en": "must be a mapping {{from, to, why}}",
        "zh": "须为映射 {{from, to, why}}",
    },
    "check.chain.feedback_not_supply": {
        "en": "feedback edge {a} -> {b} is not a supply edge: add {b!r} to the supplies of "
        "{a!r} or remove the feedback edge",
        "zh": "反馈边 {a} -> {b} 不是供应关系：请将 {b!r} 加入 {a!r} 的 supplies，或删除该反馈边",
    },
    "check.chain.cycle": {
        "en": "supply cycle {loop}: a segment cannot end up supplying itself unless the loop "
        "is real (e.g. recycling); remove an edge, or declare the real one under "
        "feedback_edges with `why`",
        "zh": "供应环路 {loop}：除非确有此循环（如回收利用），一个环节不能最终供应给自身；"
        "请删除一条边，或在 feedback_edges 下用 `why` 说明确实存在的那条",
    },
}

# Areas, the project, the districts and zones files, zone edits.
_LAYERS: Final[dict[str, _Text]] = {
    "check.areas.empty": {
        "en": "area {key!r} ({definition}) is empty: its districts are covered by its "
        "minus_zones, or every part is under {min_km2} km²",
        "zh": "集聚区 {key!r}（{definition}）为空：其区县已被 minus_zones 全部扣除，"
        "或每一部分都小于 {min_km2} km²",
    },
    "check.areas.no_column": {
        "en": "`{what}` needs a {column!r} column to match the rules' keys; it has {columns}",
        "zh": "`{what}` 需要 {column!r} 列来对应规则中的代码；现有列为 {columns}",
    },
    "check.areas.district_missing": {
        "en": "area {key!r}: district {code!r} is not in the districts layer: {unknown}",
        "zh": "集聚区 {key!r}：区县 {code!r} 不在区县图层中：{unknown}",
    },
    "check.areas.zone_missing": {
        "en": "area {key!r}: zone {zone!r} is not in the zones layer: {unknown}",
        "zh": "集聚区 {key!r}：园区 {zone!r} 不在园区图层中：{unknown}",
    },
    "check.project.unknown_layer": {
        "en": "unknown layer {name!r}: choose one of {layers}",
        "zh": "未知图层 {name!r}：请从 {layers} 中选择",
    },
    "check.edits.boundary": {
        "en": "a zone boundary must be a non-empty Polygon or MultiPolygon, got {kind}",
        "zh": "园区边界须为非空的 Polygon 或 MultiPolygon，实际为 {kind}",
    },
    "check.geography.not_found": {
        "en": "{file}: file not found; pass the path of a GeoJSON file or rebuild it with "
        "`python -m tools.build_data all` in the repository",
        "zh": "{file}：找不到文件；请传入 GeoJSON 文件的路径，或在代码仓库中用 "
        "`python -m tools.build_data all` 重新生成",
    },
    "check.geography.unreadable": {
        "en": "{file}: not a readable vector file ({error}); expected GeoJSON (RFC 7946)",
        "zh": "{file}：无法读取的矢量文件（{error}）；应为 GeoJSON（RFC 7946）",
    },
    "check.geography.crs": {
        "en": "{file}: coordinates must be WGS 84 longitude/latitude (EPSG:4326), found {crs}; "
        "convert the file to WGS 84 (RFC 7946 GeoJSON has no `crs` member)",
        "zh": "{file}：坐标须为 WGS 84 经纬度（EPSG:4326），实际为 {crs}；"
        "请将文件转换为 WGS 84（RFC 7946 GeoJSON 没有 `crs` 成员）",
    },
    "check.geography.missing_columns": {
        "en": "missing column(s) {missing}; required: {required}",
        "zh": "缺少列 {missing}；必需的列：{required}",
    },
    "check.geography.feature": {"en": "feature {n}", "zh": "第 {n} 个要素"},
    "check.geography.key_repeated": {
        "en": "`{col}` {value!r} appears more than once (features {features}); keys must be unique",
        "zh": "`{col}` {value!r} 出现了不止一次（要素 {features}）；代码不得重复",
    },
    "check.geography.pattern": {
        "en": "{feature}: `{col}` is {value!r}, expected {what}",
        "zh": "{feature}：`{col}` 为 {value!r}，应为{what}",
    },
    "check.geography.adcode": {"en": "a 6-digit adcode", "zh": "6 位行政区划代码"},
    "check.geography.zone_id": {
        "en": "a lower-case identifier such as nc_etdz",
        "zh": "小写标识符，如 nc_etdz",
    },
    "check.geography.adcode_list": {
        "en": "comma-separated 6-digit adcodes such as 360112,360111",
        "zh": "以逗号分隔的 6 位行政区划代码，如 360112,360111",
    },
    "check.geography.empty_text": {
        "en": "{feature}: `{col}` is empty; give a text value",
        "zh": "{feature}：`{col}` 为空；请填写文字",
    },
    "check.geography.not_number": {
        "en": "{feature}: `{col}` is {value!r}, expected a number",
        "zh": "{feature}：`{col}` 为 {value!r}，应为数字",
    },
    "check.geography.choice": {
        "en": "{feature}: `{col}` is {value!r}, expected one of {choices}",
        "zh": "{feature}：`{col}` 为 {value!r}，应为 {choices} 之一",
    },
    "check.geography.no_geometry": {
        "en": "{feature}: no geometry; every feature needs a polygon",
        "zh": "{feature}：没有几何；每个要素都须为面",
    },
    "check.geography.not_polygon": {
        "en": "{feature}: geometry is a {kind}, expected Polygon or MultiPolygon",
        "zh": "{feature}：几何类型为 {kind}，应为 Polygon 或 MultiPolygon",
    },
    "check.geography.invalid": {
        "en": "{feature}: invalid geometry ({reason}); repair it (for example "
        "shapely.make_valid) and save again",
        "zh": "{feature}：几何无效（{reason}）；请修复（例如用 shapely.make_valid）后重新保存",
    },
    "check.geography.head": {
        "en": "{file}: {n} problem(s):\n  {listed}{tail}",
        "zh": "{file}：{n} 个问题：\n  {listed}{tail}",
    },
    "check.geography.more": {"en": "\n  ... and {more} more", "zh": "\n  ……另有 {more} 个"},
}

CHECKS: Final[dict[str, _Text]] = {**_ENTERPRISES, **_YAML, **_RULES, **_CHAIN, **_LAYERS}
