"""The wording of geo's messages, keyed, in English and Chinese (read via geo.messages).

Placeholders: ``{file}`` is the user's own name for the input, ``{row}`` a row number as
the problems table gives it, ``{at}`` the prefix naming the record (``geo.row`` or
``geo.feature``, filled in by the caller). A test checks that every key has both languages
with the same placeholders, and that every key is used in geo.

The refusals of a whole file are in :mod:`geo._messages_io`, the messages about typed
coordinates in :mod:`geo._messages_coords`; both are merged here.
"""

from __future__ import annotations

from typing import Final, Literal

from geo._messages_coords import COORDS
from geo._messages_io import IO
from geo._messages_limits import LIMITS
from geo._messages_lossless import LOSSLESS
from geo._messages_store import STORE
from geo._messages_xlsx import XLSX

__all__ = ["MESSAGES"]

MESSAGES: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    "geo.row": {"en": "{file} row {row}: ", "zh": "{file} 第 {row} 行："},
    "geo.feature": {"en": "{file} feature {row}: ", "zh": "{file} 第 {row} 个要素："},
    # Words and separators that go into other messages.
    "geo.word.longitude": {"en": "longitude", "zh": "经度"},
    "geo.word.latitude": {"en": "latitude", "zh": "纬度"},
    "geo.word.rows": {"en": "rows", "zh": "行"},
    "geo.word.features": {"en": "features", "zh": "个要素"},
    "geo.word.source": {"en": "source", "zh": "数据源"},
    "geo.word.path": {"en": "path", "zh": "路径"},
    "geo.word.none": {"en": "none", "zh": "无"},
    "geo.list.comma": {"en": ", ", "zh": "、"},
    "geo.list.semicolon": {"en": "; ", "zh": "；"},
    "geo.list.and": {"en": " and ", "zh": " 和 "},
    "geo.list.or": {"en": " or ", "zh": " 或 "},
    # The expected extent, as messages name it.
    "geo.extent.box": {
        "en": "{x0:g}-{x1:g} E, {y0:g}-{y1:g} N",
        "zh": "东经 {x0:g}-{x1:g} 度，北纬 {y0:g}-{y1:g} 度",
    },
    "geo.extent.named": {
        "en": "the expected extent ({name}: {box})",
        "zh": "预期范围（{name}：{box}）",
    },
    "geo.extent.plain": {"en": "the expected extent ({box})", "zh": "预期范围（{box}）"},
    # Projected metres without a declared CRS.
    "geo.projected.columns": {"en": "{lon}/{lat} values", "zh": "{lon}/{lat} 列的值"},
    "geo.projected.coordinates": {"en": "the coordinates", "zh": "坐标"},
    "geo.projected.no_crs": {
        "en": "{file}: {what} look like projected metres (median x {mx:,.0f}, y {my:,.0f}) "
        "but no CRS is declared. Give the coordinate system the data were made in (command "
        "line: --coord-system EPSG:xxxx; ask the data's provider which one it is), or convert "
        "the file to WGS 84 longitude/latitude first",
        "zh": "{file}：{what}看起来是以米为单位的投影坐标（中位数 x {mx:,.0f}，y {my:,.0f}），"
        "但未声明坐标系。请指定数据制作时所用的坐标系（命令行：--coord-system EPSG:xxxx；"
        "具体是哪一个，请向数据提供方确认），或先把文件转换为 WGS 84 经纬度",
    },
    "geo.projected.hinted": {
        "en": "{file}: {what} look like projected metres (median x {mx:,.0f}, y {my:,.0f}) "
        "but no CRS is declared; {guess}. Give the coordinate system the data were made in "
        "(command line: --coord-system {code}), or convert the file to WGS 84 "
        "longitude/latitude first (ask the data's provider: usual ones here are {usual})",
        "zh": "{file}：{what}看起来是以米为单位的投影坐标（中位数 x {mx:,.0f}，y {my:,.0f}），"
        "但未声明坐标系；{guess}。请指定数据制作时所用的坐标系（命令行：--coord-system "
        "{code}），或先把文件转换为 WGS 84 经纬度（请向数据提供方确认，本地常见的有：{usual}）",
    },
    "geo.projected.fits": {"en": "the values fit {crs}", "zh": "这些数值符合 {crs}"},
    "geo.projected.fits_none": {
        "en": "the values fit none of the usual CRSs of the expected extent",
        "zh": "这些数值不符合预期范围内任何常用坐标系",
    },
    # Coordinate systems by name (geo.crs and the `coord_system` argument).
    "geo.crs.unknown_system": {
        "en": "unknown coordinate system {value!r}: use one of wgs84, gcj02 (Amap/Gaode, "
        "Tencent) or bd09 (Baidu)",
        "zh": "无法识别的坐标系“{value}”：请使用 wgs84、gcj02（高德、腾讯）或 bd09（百度）之一",
    },
    "geo.crs.unknown_argument": {
        "en": "`coord_system` {value!r} is unknown: use wgs84, gcj02 (Amap/Gaode, Tencent), "
        "bd09 (Baidu), or the CRS of projected data such as 'EPSG:4548'",
        "zh": "无法识别 `coord_system` 的值“{value}”：请使用 wgs84、gcj02（高德、腾讯）、"
        "bd09（百度），或投影数据的坐标系，如 'EPSG:4548'",
    },
    "geo.crs.naive": {
        "en": "{what} needs metres, but the geometries have no CRS (naive). Declare what they "
        "are with `set_crs(...)`, then project with `to_crs(geo.crs.WORKING)` ({working}).",
        "zh": "{what}需要以米为单位的坐标，但几何没有坐标系（未声明）。请先用 `set_crs(...)` "
        "声明其坐标系，再用 `to_crs(geo.crs.WORKING)`（{working}）投影。",
    },
    "geo.crs.geographic": {
        "en": "{what} needs metres, but the data are in the geographic CRS {crs} (degrees): "
        "call `to_crs(geo.crs.WORKING)` ({working}) first.",
        "zh": "{what}需要以米为单位的坐标，但数据使用地理坐标系 {crs}（单位为度）：请先调用 "
        "`to_crs(geo.crs.WORKING)`（{working}）投影。",
    },
    "geo.crs.cannot_project": {
        "en": "cannot project naive geometries (no CRS): declare their CRS with "
        "`set_crs('EPSG:4326')` (or whatever they are in) before `to_crs(geo.crs.WORKING)`",
        "zh": "无法投影没有坐标系的几何：请在 `to_crs(geo.crs.WORKING)` 之前用 "
        "`set_crs('EPSG:4326')`（或其实际所用的坐标系）声明坐标系",
    },
    # Grids (geo.grid).
    "geo.grid.what": {"en": "a grid", "zh": "生成网格"},
    "geo.grid.cell": {
        "en": "`cell_m` must be a positive number of metres, got {cell!r}",
        "zh": "网格边长 `cell_m` 须为正数（单位：米），而给出的是 {cell!r}；请改为正数",
    },
    "geo.grid.too_many": {
        "en": "a {cell} m grid over this area would have {cells:,} cells (limit {limit:,}): "
        "use a larger `cell_m` (is it in metres?) or a smaller area",
        "zh": "在该区域上生成 {cell} 米网格将有 {cells:,} 个单元格（上限 {limit:,}）："
        "请增大 `cell_m`（单位是否为米？）或缩小区域",
    },
    "geo.grid.degrees": {
        "en": "a grid needs metres, but this bare geometry (bounds {minx:g}, {miny:g}, "
        "{maxx:g}, {maxy:g}) looks like longitude/latitude degrees: put it in a GeoSeries "
        "with its CRS (`gpd.GeoSeries([geom], crs='EPSG:4326')`), or project it with "
        "`to_crs(geo.crs.WORKING)` ({working}) first.",
        "zh": "生成网格需要以米为单位的坐标，但这个未带坐标系的几何（范围 {minx:g}, {miny:g}, "
        "{maxx:g}, {maxy:g}）看起来是经纬度（单位为度）：请将其放入带坐标系的 GeoSeries"
        "（`gpd.GeoSeries([geom], crs='EPSG:4326')`），或先用 `to_crs(geo.crs.WORKING)`"
        "（{working}）投影。",
    },
    # Writing files (geo.io.write).
    "geo.write.extension": {
        "en": "cannot write {name!r}: the extension must be one of {writers} (GeoJSON, "
        "GeoPackage, CSV, GeoParquet)",
        "zh": "无法写出“{name}”：扩展名须为 {writers} 之一（GeoJSON、GeoPackage、CSV、GeoParquet）",
    },
    "geo.write.no_folder": {
        "en": "cannot write {name!r}: the folder {folder!r} does not exist; create it or "
        "choose another folder",
        "zh": "无法写出“{name}”：文件夹“{folder}”不存在；请先创建该文件夹或另选文件夹",
    },
    "geo.write.no_crs": {
        "en": "cannot write {name!r}: the geometries have no CRS; declare it with "
        "`set_crs('EPSG:4326')` (or whatever they are in) first",
        "zh": "无法写出“{name}”：几何没有坐标系；请先用 `set_crs('EPSG:4326')`"
        "（或其实际所用的坐标系）声明坐标系",
    },
    # A table's header (CSV, XLSX, plain Parquet).
    "geo.table.no_coordinates": {
        "en": "{file}: no coordinates found ({found}columns: {columns}); name the coordinate "
        "columns lon/lat (or lng, longitude, x / latitude, y, or 经度/纬度), or give a WKT "
        "column 'wkt'",
        "zh": "{file}：未找到坐标（{found}现有列：{columns}）；请将坐标列命名为 lon/lat（或 lng、"
        "longitude、x / latitude、y，或 经度/纬度），或提供名为“wkt”的 WKT 列",
    },
    "geo.table.found_only": {"en": "found only {column!r}; ", "zh": "仅找到“{column}”；"},
    "geo.table.no_id_column": {
        "en": "{file} has no column {column!r} (`id_column`); columns: {columns}",
        "zh": "{file} 中没有列“{column}”（`id_column`）；请从现有列中选择：{columns}",
    },
    "geo.table.header_repeats": {
        "en": "the header repeats the column name {name!r} ({count} times)",
        "zh": "表头中列名“{name}”重复出现（{count} 次）",
    },
    "geo.table.header_candidates": {
        "en": "{n} columns can be the {what} ({names})",
        "zh": "有 {n} 列都可能是{what}（{names}）",
    },
    "geo.table.header_unclear": {
        "en": "{file}: {clashes}; it is not clear which values to use: keep one coordinate "
        "pair (e.g. lon/lat or 经度/纬度) and give every column its own name, renaming or "
        "deleting the others",
        "zh": "{file}：{clashes}；无法确定应使用哪些值：请只保留一对坐标列（如 lon/lat 或 "
        "经度/纬度），并为每一列取不同的名称，其余列请重命名或删除",
    },
    "geo.table.no_rows": {
        "en": "{file} has a header but no data rows; add records below the header",
        "zh": "{file} 只有表头，没有数据行；请在表头下方添加记录",
    },
    # Problems of one record of a table.
    "geo.table.duplicate_id": {
        "en": "{at}id {id!r} repeats row {first}; the first is kept and this row is left "
        "out; give every record its own id",
        "zh": "{at}编号“{id}”与第 {first} 行重复；已保留第一条，本行已拒绝；"
        "请为每条记录设置唯一编号",
    },
    "geo.table.unknown_system": {
        "en": "{at}coordinate system {value!r} is unknown; use wgs84, gcj02 (Amap/Gaode, "
        "Tencent) or bd09 (Baidu); the row is kept as unlocated",
        "zh": "{at}坐标系“{value}”无法识别；请填写 wgs84、gcj02（高德、腾讯）或 bd09（百度）；"
        "该行已保留为未定位",
    },
    "geo.table.no_coordinates_row": {
        "en": "{at}no coordinates ({lon} and {lat} are empty); fill both to place the record "
        "on the map; the row is kept as unlocated",
        "zh": "{at}没有坐标（{lon} 和 {lat} 均为空）；请填写两者，以便在地图上定位该记录；"
        "该行已保留为未定位",
    },
    "geo.table.empty_value": {
        "en": "{at}{what} ({column}) is empty; fill it, or leave both coordinates empty to "
        "keep the row as unlocated",
        "zh": "{at}{what}（{column}）为空；请填写，或将两个坐标都留空，使该行保留为未定位",
    },
    "geo.table.not_number": {
        "en": "{at}{what} {value!r} is not a number; fix the value, or leave both "
        "coordinates empty to keep the row as unlocated",
        "zh": "{at}{what}“{value}”不是数字；请更正该值，或将两个坐标都留空，使该行保留为未定位",
    },
    "geo.table.swapped": {
        "en": "{at}longitude {lon} and latitude {lat} look swapped: swapped, the point would "
        "fall in {where}; swap the {lon_col} and {lat_col} values; the row is kept as "
        "unlocated",
        "zh": "{at}经度 {lon} 与纬度 {lat} 似乎填反了：互换后该点落在{where}内；请互换 "
        "{lon_col} 与 {lat_col} 两列的值；该行已保留为未定位",
    },
    "geo.table.not_on_earth": {
        "en": "{at}({lon}, {lat}) is not a position on Earth: longitude must lie within "
        "-180..180 and latitude within -90..90; fix the values; the row is kept as unlocated",
        "zh": "{at}（{lon}, {lat}）不是地球上的位置：经度须在 -180 到 180 之间，纬度须在 -90 到 "
        "90 之间；请更正数值；该行已保留为未定位",
    },
    "geo.table.outside": {
        "en": "{at}point ({x:.6f}, {y:.6f}) in WGS 84 lies outside {where}; check the values "
        "and their coordinate system, or pass `extent=None` to accept any location; the row "
        "is kept as unlocated",
        "zh": "{at}该点（WGS 84 坐标 {x:.6f}, {y:.6f}）位于{where}之外；请检查数值及其坐标系，"
        "或传入 `extent=None` 以接受任何位置；该行已保留为未定位",
    },
    "geo.table.bad_wkt": {
        "en": "{at}{column} {value!r} is not valid WKT; fix the geometry text (e.g. "
        "'POINT (115.89 28.68)'); the row is kept as unlocated",
        "zh": "{at}{column}“{value}”不是有效的 WKT；请更正几何文本（如 'POINT (115.89 28.68)'）；"
        "该行已保留为未定位",
    },
    "geo.xlsx.formula": {
        "en": "{at}{column} is a formula without a saved value ({formula}), read as empty: "
        "open and save the file in Excel/WPS so the values are stored; {fate}",
        "zh": "{at}{column} 是没有保存计算结果的公式（{formula}），按空值读取：请在 Excel/WPS "
        "中打开并保存文件，使计算结果保存下来；{fate}",
    },
    "geo.xlsx.fate_rejected": {
        "en": "the row holds no other value and is left out",
        "zh": "该行没有其他值，已拒绝",
    },
    "geo.xlsx.fate_unlocated": {
        "en": "the row is kept as unlocated",
        "zh": "该行已保留为未定位",
    },
    "geo.xlsx.fate_kept": {
        "en": "the row is kept with this cell empty",
        "zh": "该行已保留，此单元格按空值处理",
    },
    "geo.parquet.geometry": {
        "en": "{at}the geometry ({column}) {what}; the record is kept as unlocated",
        "zh": "{at}几何（{column}）{what}；该记录已保留为未定位",
    },
    "geo.parquet.not_wkb": {"en": "is not valid WKB", "zh": "不是有效的 WKB"},
    "geo.parquet.empty": {"en": "is empty", "zh": "为空"},
    # Problems of one record of a vector file (and of a table's geometries).
    "geo.vector.no_geometry": {
        "en": "{file}: no geometry found in any of its {n} {units}; the file must hold "
        "points, lines or polygons (a table needs lon/lat columns)",
        "zh": "{file}：全部 {n} {units}中均未找到几何；文件须包含点、线或面（表格须有经度/纬度列）",
    },
    "geo.vector.empty_geometry": {
        "en": "{at}has no geometry (empty); draw or fix its geometry; the record is kept as "
        "unlocated",
        "zh": "{at}没有几何（为空）；请绘制或修正其几何；该记录已保留为未定位",
    },
    "geo.vector.swapped": {
        "en": "{at}longitude and latitude look swapped: swapped, it would fall in {where}; "
        "write coordinates as (longitude, latitude); the record is kept as unlocated",
        "zh": "{at}经度与纬度似乎写反了：互换后将落在{where}内；请按（经度, 纬度）的顺序书写坐标；"
        "该记录已保留为未定位",
    },
    "geo.vector.not_on_earth": {
        "en": "{at}coordinates are not positions on Earth (longitude must lie within "
        "-180..180, latitude within -90..90); fix them or declare the file's CRS; the "
        "record is kept as unlocated",
        "zh": "{at}坐标不是地球上的位置（经度须在 -180 到 180 之间，纬度须在 -90 到 90 之间）；"
        "请更正坐标或声明文件的坐标系；该记录已保留为未定位",
    },
    "geo.vector.outside": {
        "en": "{at}lies outside {where}; check its coordinates and their coordinate system, "
        "or pass `extent=None` to accept any location; the record is kept as unlocated",
        "zh": "{at}位于{where}之外；请检查其坐标及坐标系，或传入 `extent=None` 以接受任何位置；"
        "该记录已保留为未定位",
    },
    "geo.vector.collapses": {
        "en": "{at}invalid geometry ({reason}) collapses to nothing when repaired; redraw "
        "it; the record is kept as unlocated",
        "zh": "{at}几何无效（{reason}），修复后不剩任何部分；请重新绘制；该记录已保留为未定位",
    },
    "geo.vector.repaired": {
        "en": "{at}invalid geometry ({reason}); repaired with make_valid, check the repaired shape",
        "zh": "{at}几何无效（{reason}）；已用 make_valid 修复，请检查修复后的形状",
    },
    "geo.vector.offset_projected": {
        "en": "{file} is in the projected CRS {crs}, but `coord_system={system!r}` describes "
        "longitude/latitude from Chinese web maps; leave `coord_system` at 'wgs84' for "
        "projected files",
        "zh": "{file} 使用投影坐标系 {crs}，但 `coord_system={system!r}` 表示国内网络地图的"
        "经纬度；投影坐标文件请将 `coord_system` 保持为 'wgs84'",
    },
    "geo.vector.duplicate_id": {
        "en": "{at}id {id!r} repeats feature {first}; the first is kept and this feature is "
        "left out; give every feature its own id",
        "zh": "{at}编号“{id}”与第 {first} 个要素重复；已保留第一个，本要素已拒绝；"
        "请为每个要素设置唯一编号",
    },
}
MESSAGES.update(IO)  # refusals of a whole file, kept in their own file
MESSAGES.update(COORDS)  # typed coordinates (geo.coords), kept in their own file
MESSAGES.update(STORE)  # the project store (geo.store), kept in their own file
MESSAGES.update(LIMITS)  # the limits untrusted files are read under (geo._io_guard)
MESSAGES.update(LOSSLESS)  # input never lost, parsers that give up, full disks
MESSAGES.update(XLSX)  # merged cells of a workbook (geo._io_xlsx_merged)
