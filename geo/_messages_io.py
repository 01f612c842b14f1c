"""The wording of geo.io's refusals of a whole file (keyed; merged into geo._messages).

Placeholders: ``{file}`` is the user's own name for the input, never a temporary path;
``{error}`` is the reading library's own words, quoted as they are.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["IO"]

_GEOJSON_EXAMPLE: Final = (
    '{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": '
    '{{...}}, "geometry": {{...}}}}, ...]}}'
)

IO: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # Where the input comes from (geo._io_source).
    "geo.source.not_local": {
        "en": "{what} {text!r} is not a plain local file: URLs, GDAL virtual paths (/vsi...), "
        "connection strings (GPKG:, PG:, WFS:, ...) and device paths are refused; "
        "download the file and pass its local path, or pass its bytes with `name=`",
        "zh": "{what}“{text}”不是普通的本地文件：网址、GDAL 虚拟路径（/vsi...）、连接字符串"
        "（GPKG:、PG:、WFS: 等）和设备路径一律不予读取；请先下载文件再传入其本地路径，"
        "或以 `name=` 传入文件内容",
    },
    "geo.source.format": {
        "en": "{file}: cannot tell the format (extension {ext!r}); give the file one of the "
        "extensions {supported}",
        "zh": "{file}：无法识别文件格式（扩展名：{ext}）；请使用以下扩展名之一：{supported}",
    },
    "geo.source.too_large": {
        "en": "{file} ({size}) is larger than the limit of {limit}; split it, or raise "
        "`max_bytes` if the file is trusted",
        "zh": "{file}（{size}）超过了 {limit} 的大小上限；请拆分文件，如文件来源可信，"
        "也可调高 `max_bytes`",
    },
    "geo.source.too_large_stream": {
        "en": "{file} is larger than the limit of {limit}; split it, or raise `max_bytes` if "
        "the file is trusted",
        "zh": "{file} 超过了 {limit} 的大小上限；请拆分文件，如文件来源可信，也可调高 `max_bytes`",
    },
    "geo.source.missing": {
        "en": "{file}: no such file ({path!r}); check the path",
        "zh": "{file}：文件不存在（{path}）；请检查路径",
    },
    "geo.source.not_regular": {
        "en": "{file} is not a regular file ({path!r}); pass a file, not a folder or device",
        "zh": "{file} 不是普通文件（{path}）；请传入文件，而不是文件夹或设备",
    },
    # The number comes formatted (geo._io_source): as many decimals as it takes to differ
    # from the limit it is compared with ("50.001 MB > 50.0 MB", never "50 MB > 50 MB").
    "geo.size.mb": {"en": "{n} MB", "zh": "{n} MB"},
    "geo.size.bytes": {"en": "{n:,} bytes", "zh": "{n:,} 字节"},
    # Zip archives and the shapefile in them.
    "geo.zip.members": {
        "en": "{file} holds {n} members, more than the {limit} allowed; zip only the "
        "shapefile's parts (.shp, .shx, .dbf, .prj, .cpg)",
        "zh": "{file} 含 {n} 个文件，超过允许的 {limit} 个；请只压缩 Shapefile 的组成文件"
        "（.shp、.shx、.dbf、.prj、.cpg）",
    },
    "geo.zip.expands": {
        "en": "{file} would expand to {mb:.0f} MB, more than the {limit:.0f} MB allowed; "
        "split the data into smaller files",
        "zh": "{file} 解压后将达 {mb:.0f} MB，超过允许的 {limit:.0f} MB；请将数据拆分为较小的文件",
    },
    "geo.zip.path": {
        "en": "{file}: member {member!r} has an absolute or '..' path, which could write "
        "outside the extraction folder; re-create the zip from the files themselves",
        "zh": "{file}：压缩包内的“{member}”使用了绝对路径或“..”路径，可能写到解压目录之外；"
        "请直接用文件本身重新压缩",
    },
    "geo.zip.link": {
        "en": "{file}: member {member!r} is a symbolic link; links are refused, zip the real "
        "files instead",
        "zh": "{file}：压缩包内的“{member}”是符号链接，链接一律不予读取；请压缩实际文件",
    },
    "geo.zip.encrypted": {
        "en": "{file}: member {member!r} is encrypted; zip the files without a password",
        "zh": "{file}：压缩包内的“{member}”已加密；请不设密码重新压缩",
    },
    "geo.zip.nested": {
        "en": "{file}: member {member!r} is itself an archive; nested archives are refused, "
        "zip the shapefile's parts directly",
        "zh": "{file}：压缩包内的“{member}”本身也是压缩包，不接受嵌套压缩包；"
        "请直接压缩 Shapefile 的组成文件",
    },
    "geo.zip.bomb": {
        "en": "{file}: member {member!r} expands {mb:.0f} MB from {packed} bytes, a ratio "
        "typical of zip bombs; refused",
        "zh": "{file}：压缩包内的“{member}”由 {packed} 字节解压为 {mb:.0f} MB，"
        "属于典型的压缩炸弹比例，已拒绝",
    },
    "geo.zip.bad": {
        "en": "{file} is not a valid zip archive; zip the shapefile's parts again",
        "zh": "{file} 不是有效的 zip 压缩包；请重新压缩 Shapefile 的组成文件",
    },
    "geo.shp.none": {
        "en": "{file} holds no shapefile (.shp); zip a shapefile's parts (.shp, .shx, .dbf, "
        ".prj, .cpg), or upload GeoJSON or GeoPackage directly",
        "zh": "{file} 中没有 Shapefile（.shp）；请压缩 Shapefile 的组成文件（.shp、.shx、.dbf、"
        ".prj、.cpg），或直接上传 GeoJSON 或 GeoPackage",
    },
    "geo.shp.no_such": {
        "en": "{file} has no shapefile named {layer!r}; it holds: {names}",
        "zh": "{file} 中没有名为“{layer}”的 Shapefile；请从其中包含的以下文件中选择：{names}",
    },
    "geo.shp.several": {
        "en": "{file} holds {n} shapefiles ({names}); pass `layer=` with the one to read",
        "zh": "{file} 含 {n} 个 Shapefile（{names}）；请用 `layer=` 指定要读取的一个",
    },
    "geo.shp.lacks": {
        "en": "{file}: shapefile {name!r} lacks its {parts} part; zip all of the shapefile's "
        "files together",
        "zh": "{file}：Shapefile“{name}”缺少 {parts} 文件；请将 Shapefile 的全部文件一起压缩",
    },
    "geo.shp.cpg": {
        "en": "{file}: the attributes of {shp} are not in the encoding its .cpg file names; "
        "correct the .cpg (e.g. 'UTF-8' or 'GBK') or remove it",
        "zh": "{file}：{shp} 的属性不是其 .cpg 文件所指定的编码；请更正 .cpg（如“UTF-8”或"
        "“GBK”）或将其删除",
    },
    "geo.shp.encoding": {
        "en": "{file}: the attributes of {shp} are neither UTF-8 nor GBK/GB18030; add a .cpg "
        "file naming the encoding (e.g. a file containing 'UTF-8') to the zip",
        "zh": "{file}：{shp} 的属性既不是 UTF-8 也不是 GBK/GB18030 编码；请在压缩包中加入注明"
        "编码的 .cpg 文件（如内容为“UTF-8”的文件）",
    },
    # CSV and XLSX tables as files.
    "geo.csv.not_text": {
        "en": "{file}: the text is neither UTF-8 nor GBK/GB18030 (nor a binary file this "
        "reader knows); save it from Excel as 'CSV UTF-8' or from a text editor as UTF-8",
        "zh": "{file}：文本既不是 UTF-8 也不是 GBK/GB18030 编码（也不是本程序能识别的二进制"
        "文件）；请在 Excel 中另存为“CSV UTF-8”，或在文本编辑器中另存为 UTF-8",
    },
    "geo.csv.unreadable": {
        "en": "{file} is not a readable table ({error}); check that every row has as many "
        "fields as the header and that quotes are closed",
        "zh": "{file} 不是可读取的表格（{error}）；请检查每行的字段数是否与表头一致、引号是否成对",
    },
    "geo.csv.empty": {
        "en": "{file} is empty; export the table again with a header row and data",
        "zh": "{file} 是空文件；请重新导出带表头和数据的表格",
    },
    "geo.csv.encoding_changes": {
        "en": "{file}: the text stops being valid {encoding} part-way through the file (its "
        "start is); save the whole file in one encoding, e.g. from Excel as 'CSV UTF-8'",
        "zh": "{file}：文件开头是有效的 {encoding} 编码，但中途出现了不符合该编码的文本；"
        "请以统一的编码保存整个文件，例如在 Excel 中另存为“CSV UTF-8”",
    },
    "geo.xlsx.empty": {
        "en": "{file} is empty; save the workbook again",
        "zh": "{file} 是空文件；请重新保存工作簿",
    },
    "geo.xlsx.not_xlsx": {
        "en": "{file} is not an XLSX workbook; save it from Excel as .xlsx",
        "zh": "{file} 不是 XLSX 工作簿；请在 Excel 中另存为 .xlsx",
    },
    "geo.xlsx.no_sheet": {
        "en": "{file} has no sheet named {sheet!r}; pass `layer=` with a sheet name",
        "zh": "{file} 中没有名为“{sheet}”的工作表；请用 `layer=` 指定工作表名称",
    },
    "geo.xlsx.unreadable": {
        "en": "{file} is not a readable XLSX workbook ({error}); save it again from Excel",
        "zh": "{file} 不是可读取的 XLSX 工作簿（{error}）；请在 Excel 中重新保存",
    },
    # (Geo)Parquet files.
    "geo.parquet.unreadable": {
        "en": "{file} is not a readable Parquet file ({error}); export it again as (Geo)Parquet",
        "zh": "{file} 不是可读取的 Parquet 文件（{error}）；请重新导出为 (Geo)Parquet",
    },
    "geo.parquet.metadata": {
        "en": "{file}: its GeoParquet metadata ('geo') is malformed (it must name the "
        "primary_column and give its encoding); write the file again with a GeoParquet "
        "writer (e.g. geopandas or GDAL)",
        "zh": "{file}：GeoParquet 元数据（'geo'）格式有误（须注明 primary_column 及其编码）；"
        "请用 GeoParquet 写出工具（如 geopandas 或 GDAL）重新生成文件",
    },
    "geo.parquet.no_column": {
        "en": "{file}: the GeoParquet metadata names a column {name!r} the file lacks; write "
        "the file again with a GeoParquet writer (e.g. geopandas or GDAL)",
        "zh": "{file}：GeoParquet 元数据指定的列“{name}”在文件中不存在；请用 GeoParquet "
        "写出工具（如 geopandas 或 GDAL）重新生成文件",
    },
    "geo.parquet.encoding": {
        "en": "{file}: the geometry column {name!r} uses the GeoArrow {encoding!r} encoding, "
        "which this reader does not read; write it with the WKB encoding (geopandas: "
        "to_parquet(geometry_encoding='WKB'), the default; GDAL: -lco GEOMETRY_ENCODING=WKB)",
        "zh": "{file}：几何列“{name}”使用 GeoArrow {encoding!r} 编码，本程序无法读取；"
        "请改用 WKB 编码写出（geopandas：to_parquet(geometry_encoding='WKB')，即默认值；"
        "GDAL：-lco GEOMETRY_ENCODING=WKB）",
    },
    "geo.parquet.crs": {
        "en": "{file}: the GeoParquet CRS of column {name!r} is not readable; write the file "
        "again with its CRS (e.g. with geopandas)",
        "zh": "{file}：列“{name}”的 GeoParquet 坐标系无法识别；请连同坐标系重新写出文件"
        "（如使用 geopandas）",
    },
    "geo.parquet.no_rows": {
        "en": "{file} holds no rows; export the data again with its records",
        "zh": "{file} 中没有数据行；请重新导出包含记录的数据",
    },
    # GeoJSON, GeoPackage, KML and shapefiles as files (geo._io_vector).
    "geo.geojson.not_json": {
        "en": "{file} is not valid JSON: {error} at line {line}, column {col}; fix the text "
        "there (e.g. a missing comma, bracket or quote) or export the file again as GeoJSON",
        "zh": "{file} 不是有效的 JSON：第 {line} 行第 {col} 列有误（{error}）；请修正该处文本"
        "（如缺少的逗号、括号或引号），或重新导出为 GeoJSON",
    },
    "geo.geojson.shape": {
        "en": "a GeoJSON file must be one JSON object such as "
        + _GEOJSON_EXAMPLE
        + " (or a single Feature or geometry); export it again as GeoJSON",
        "zh": "GeoJSON 文件须为一个 JSON 对象，如 "
        + _GEOJSON_EXAMPLE
        + "（或单个 Feature 或几何对象）；请重新导出为 GeoJSON",
    },
    "geo.geojson.top_level": {
        "en": "{file}: the file's top level is {what}, not an object; {shape}",
        "zh": "{file}：文件顶层是{what}，而不是对象；{shape}",
    },
    "geo.json.list": {"en": "a list", "zh": "列表"},
    "geo.json.string": {"en": "a string", "zh": "字符串"},
    "geo.json.bool": {"en": "true/false", "zh": "布尔值 true/false"},
    "geo.json.null": {"en": "null", "zh": "空值 null"},
    "geo.json.number": {"en": "a number", "zh": "数字"},
    "geo.geojson.no_features": {
        "en": "{file}: the FeatureCollection has no 'features' list; {shape}",
        "zh": "{file}：FeatureCollection 中没有“features”列表；{shape}",
    },
    "geo.geojson.not_geojson": {
        "en": "{file}: the top-level object is not GeoJSON ({found}; expected "
        "'FeatureCollection', 'Feature' or a geometry type); {shape}",
        "zh": "{file}：顶层对象不是 GeoJSON（{found}；应为“FeatureCollection”“Feature”"
        "或某种几何类型）；{shape}",
    },
    "geo.geojson.type_is": {"en": "'type' is {kind!r}", "zh": "“type”为 {kind!r}"},
    "geo.geojson.no_type": {"en": "there is no 'type' member", "zh": "没有“type”成员"},
    "geo.vector.not_utf8": {
        "en": "{file}: its text is not valid UTF-8; export it again as UTF-8",
        "zh": "{file}：文本不是有效的 UTF-8 编码；请重新以 UTF-8 导出",
    },
    "geo.vector.cannot_open": {
        "en": "{file} cannot be opened ({error}); check that it is a valid file of its type",
        "zh": "{file} 无法打开（{error}）；请检查它是否为该类型的有效文件",
    },
    "geo.vector.cannot_read": {
        "en": "{file} cannot be read ({error}); check that it is a valid file of its type",
        "zh": "{file} 无法读取（{error}）；请检查它是否为该类型的有效文件",
    },
    "geo.vector.no_layers": {
        "en": "{file} holds no layers; export the data again",
        "zh": "{file} 中没有图层；请重新导出数据",
    },
    "geo.vector.no_layer": {
        "en": "{file} has no layer {layer!r}; its layers are: {names}",
        "zh": "{file} 中没有图层“{layer}”；请从现有图层中选择：{names}",
    },
    "geo.vector.several_layers": {
        "en": "{file} holds {n} layers ({names}); pass `layer=` with the one to read",
        "zh": "{file} 含 {n} 个图层（{names}）；请用 `layer=` 指定要读取的一个",
    },
    "geo.vector.no_geometry_column": {
        "en": "{where} has no geometry column (an attribute table); no geometry found: "
        "choose a layer with points, lines or polygons",
        "zh": "{where}没有几何列（是属性表），未找到几何：请选择包含点、线或面的图层",
    },
    "geo.vector.layer_of": {
        "en": "layer {layer!r} of {file}",
        "zh": "{file} 的图层“{layer}”",
    },
    "geo.vector.empty": {
        "en": "{file} is empty; export the data again",
        "zh": "{file} 是空文件；请重新导出数据",
    },
    "geo.vector.no_features": {
        "en": "{file} holds no features; export the data again with its records",
        "zh": "{file} 中没有要素；请重新导出包含记录的数据",
    },
    "geo.vector.no_id_field": {
        "en": "{file} has no field {field!r} (`id_column`); fields: {fields}",
        "zh": "{file} 中没有字段“{field}”（`id_column`）；请从现有字段中选择：{fields}",
    },
    "geo.kml.network_link": {
        "en": "{file} contains a KML NetworkLink, which would fetch remote content; save the "
        "linked data into the file itself",
        "zh": "{file} 含有 KML NetworkLink，会读取远程内容；请将所链接的数据保存到文件本身",
    },
    "geo.kml.doctype": {
        "en": "{file} declares a DOCTYPE (XML entities can expand without bound or read "
        "other files); export the KML again without it",
        "zh": "{file} 声明了 DOCTYPE（XML 实体可能无限展开或读取其他文件）；"
        "请不带 DOCTYPE 重新导出 KML",
    },
}
"""Refusals of a whole input file by :func:`geo.io.read`, in English and Chinese."""
