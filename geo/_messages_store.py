"""The wording of the project store's messages (geo.store), keyed; merged into geo._messages.

Placeholders: ``{target}`` and ``{path}`` name the store as printed (a database URL always
with its password hidden by :func:`geo.store.redact`, never the raw URL); ``{layer}`` is a
layer name, ``{version}`` a version number; ``{doing}`` is one of the ``geo.store.doing.*``
phrases ("while trying to {doing}"); ``{detail}`` and ``{error}`` are the database
driver's own words (scrubbed of credentials), quoted as they are; ``{undone}`` is
``geo.store.rolled_back`` after a failed write, else empty.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["STORE"]

STORE: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # Opening a store (geo.store.open).
    "geo.store.not_a_store": {
        "en": "store {target!r} is neither a GeoPackage path nor a postgresql:// URL",
        "zh": "项目库“{target}”既不是 GeoPackage 文件路径，也不是 postgresql:// 网址；"
        "请给出 .gpkg 文件路径或 postgresql:// 数据库网址",
    },
    # What the store was doing when it failed: "while trying to {doing}".
    "geo.store.doing.open": {"en": "open the store", "zh": "打开项目库"},
    "geo.store.doing.init": {"en": "initialise the store", "zh": "初始化项目库"},
    "geo.store.doing.layers": {"en": "list layers", "zh": "列出图层"},
    "geo.store.doing.history": {"en": "read the history", "zh": "读取版本历史"},
    "geo.store.doing.read": {"en": "read a layer", "zh": "读取图层"},
    "geo.store.doing.save": {"en": "save layer {layer!r}", "zh": "保存图层“{layer}”"},
    "geo.store.doing.save_scenario": {"en": "save scenario {name!r}", "zh": "保存方案“{name}”"},
    "geo.store.doing.scenarios": {"en": "read scenarios", "zh": "读取方案"},
    "geo.store.doing.audit": {"en": "record an audit event", "zh": "记录审计事件"},
    "geo.store.doing.audit_read": {"en": "read the audit trail", "zh": "读取审计记录"},
    # Who acts (geo.store.Actor) and what their role allows.
    "geo.store.denied": {
        "en": "{who} (role {role}) may not change the store (layer {layer}): only planners "
        "and admins save, restore, import or save scenarios; nothing was written. Ask an "
        "administrator for the planner role if you need to edit",
        "zh": "{who}（角色：{role}）无权修改项目库（图层 {layer}）：只有规划人员和管理员可以"
        "保存、恢复、导入或保存方案；未写入任何内容。如需编辑，请向管理员申请规划人员角色",
    },
    "geo.store.actor_id": {
        "en": "an actor's `id` must be a non-empty text (an e-mail, a subject or a user name), "
        "got {value!r}",
        "zh": "操作者的 `id` 不能为空，应为文字（电子邮箱、身份标识或用户名），收到的是 {value!r}",
    },
    "geo.store.actor_role": {
        "en": "role {role!r} is unknown: use one of {roles}",
        "zh": "角色“{role}”无法识别：请使用 {roles} 之一",
    },
    "geo.store.actor_type": {
        "en": "`actor` must be a geo.store.Actor (from layers.access.Identity.actor), got {type}",
        "zh": "`actor` 必须是 geo.store.Actor（由 layers.access.Identity.actor 得到），"
        "收到的是 {type}",
    },
    "geo.store.actor_both": {
        "en": "give either `actor` (a signed-in user) or `author` (a trusted local caller), "
        "not both",
        "zh": "请只给出 `actor`（已登录用户）或 `author`（受信任的本地调用者）之一，不要同时给出",
    },
    "geo.store.write_action": {
        "en": "`action` of a write must be 'save' or 'import', got {action!r}",
        "zh": "写入的 `action` 必须是 'save' 或 'import'，收到的是 {action!r}",
    },
    "geo.store.audit_action": {
        "en": "audit action {action!r} is unknown: use one of {actions}",
        "zh": "审计动作“{action}”无法识别：请使用 {actions} 之一",
    },
    # Layer names and the text arguments of a write.
    "geo.store.layer_name": {
        "en": "layer name {layer!r} is not usable: use 1-48 lower-case ASCII letters, digits "
        "and underscores, starting with a letter (e.g. 'zones_drawn')",
        "zh": "图层名“{layer}”不可用：请使用 1-48 个小写英文字母、数字和下划线，"
        "并以字母开头（例如 'zones_drawn'）",
    },
    "geo.store.layer_reserved": {
        "en": "layer name {layer!r} is reserved for the store's own tables: choose a name "
        "not starting with {prefixes} and without '{suffix}'",
        "zh": "图层名“{layer}”留作项目库自身的表使用：请换一个名称，不要以 {prefixes} 开头，"
        "也不要包含“{suffix}”",
    },
    "geo.store.need_text": {
        "en": "`{what}` must be a non-empty text (who made the change / why), got {value!r}",
        "zh": "`{what}` 不能为空，请填写文字（谁做的修改 / 为什么修改），收到的是 {value!r}",
    },
    # Data a layer cannot hold (geo.store._encoding.encode).
    "geo.store.not_gdf": {
        "en": "`{what}` must be a GeoDataFrame, got {type}",
        "zh": "`{what}` 必须是 GeoDataFrame，收到的是 {type}",
    },
    "geo.store.no_geometry": {
        "en": "`{what}` has no active geometry column: call set_geometry() first",
        "zh": "`{what}` 没有当前几何列：请先调用 set_geometry()",
    },
    "geo.store.no_crs": {
        "en": "`{what}` has no CRS, so its coordinates cannot be placed: set it with "
        "gdf.set_crs('EPSG:4326') (or the CRS the data are really in)",
        "zh": "`{what}` 没有坐标系，无法确定坐标的位置：请用 gdf.set_crs('EPSG:4326') 设置"
        "（或设为数据实际所用的坐标系）",
    },
    "geo.store.geometries": {
        "en": "`{what}` has more than one geometry column ({names}); the store keeps one per "
        "layer: drop the others or store them as separate layers",
        "zh": "`{what}` 有多个几何列（{names}）；项目库每个图层只保存一个几何列："
        "请删除其余几何列，或将它们另存为单独的图层",
    },
    "geo.store.column_values": {
        "en": "column {name!r} holds {type} values (first at row {row!r}: {value!r}); the store "
        "keeps text, integer, float, boolean and datetime columns: convert it, e.g. with "
        ".astype(str)",
        "zh": "列“{name}”含有 {type} 类型的值（首次出现在第 {row!r} 行：{value!r}）；"
        "项目库只能保存文本、整数、浮点数、布尔值和日期时间列：请先转换，例如用 .astype(str)",
    },
    "geo.store.column_dtype": {
        "en": "column {name!r} has dtype {dtype}, which the store cannot keep; convert it to "
        "text, integer, float, boolean or datetime",
        "zh": "列“{name}”的数据类型为 {dtype}，项目库无法保存；"
        "请转换为文本、整数、浮点数、布尔值或日期时间",
    },
    "geo.store.infinite": {
        "en": "column {name!r} has an infinite value at row {row!r}; store a finite number or "
        "leave it empty",
        "zh": "列“{name}”第 {row!r} 行的值为无穷大；请填写有限的数值或留空",
    },
    "geo.store.names": {
        "en": "`{what}` has column names the store cannot keep: {problems}; rename them",
        "zh": "`{what}` 中有项目库无法保存的列名：{problems}；请重命名",
    },
    "geo.store.name.reserved": {
        "en": "{name!r} (used by the store itself)",
        "zh": "“{name}”（为项目库自身所用）",
    },
    "geo.store.name.case": {
        "en": "{name!r} and {other!r} (same name ignoring case)",
        "zh": "“{name}”和“{other}”（不区分大小写时同名）",
    },
    "geo.store.name.empty": {"en": "{name!r} (empty)", "zh": "“{name}”（为空）"},
    # What does not exist.
    "geo.store.no_layer": {
        "en": "no layer {layer!r} in {target} (layers: {have})",
        "zh": "项目库 {target} 中没有图层“{layer}”（现有图层：{have}）",
    },
    "geo.store.no_version": {
        "en": "layer {layer!r} in {target} has no version {version}; versions are "
        "1-{last} (see `zoning store history {layer}`)",
        "zh": "项目库 {target} 中的图层“{layer}”没有第 {version} 版；现有版本为第 1-{last} 版"
        "（可用 `zoning store history {layer}` 查看）",
    },
    "geo.store.scenario_name": {
        "en": "scenario name must be a non-empty text, got {name!r}",
        "zh": "方案名称不能为空，收到的是 {name!r}",
    },
    "geo.store.scenario_version": {
        "en": "scenario {name!r}: layer {layer!r} has no version {version}",
        "zh": "方案“{name}”：图层“{layer}”没有第 {version} 版",
    },
    "geo.store.no_scenario": {
        "en": "no scenario {name!r} in {target}",
        "zh": "项目库 {target} 中没有方案“{name}”",
    },
    # Someone else saved first (optimistic locking), or the name is taken.
    "geo.store.conflict": {
        "en": "cannot save layer {layer!r}: you started from version {expected}, but version "
        "{version} was saved since by {author} at {at} UTC ({note}); reload it, redo your "
        "change and save again",
        "zh": "无法保存图层“{layer}”：您是在第 {expected} 版的基础上修改的，但他人已保存了新版本："
        "{author} 于 {at} UTC 保存了第 {version} 版（{note}）；请刷新后重做您的修改，再重新保存",
    },
    "geo.store.conflict_restore": {
        "en": "cannot restore version {old} of layer {layer!r}: you were looking at version "
        "{expected}, but version {version} was saved since by {author} at {at} UTC ({note}); "
        "nothing was restored: look at version {version} and restore again if still wanted",
        "zh": "无法恢复图层“{layer}”的第 {old} 版：您看到的是第 {expected} 版，"
        "但他人已保存了新版本：{author} 于 {at} UTC 保存了第 {version} 版（{note}）；"
        "本次没有恢复任何内容：请先查看第 {version} 版，如仍需要再重新恢复",
    },
    "geo.store.conflict_gone": {
        "en": "cannot save layer {layer!r}: you started from version {expected}, but the "
        "layer does not exist (any more); reload and save again",
        "zh": "无法保存图层“{layer}”：您是在第 {expected} 版的基础上修改的，但该图层已不存在；"
        "请刷新后重新保存",
    },
    "geo.store.scenario_exists": {
        "en": "scenario {name!r} was already saved by {author} at {at}; scenarios are never "
        "overwritten: choose another name",
        "zh": "方案“{name}”已由 {author} 于 {at} 保存；方案不会被覆盖：请换一个名称",
    },
    # The GeoPackage back end.
    "geo.store.gpkg.folder": {
        "en": "store {path} is a folder; give a .gpkg file path",
        "zh": "项目库 {path} 是一个文件夹；请给出 .gpkg 文件的路径",
    },
    "geo.store.gpkg.wal": {
        "en": "store {path}: could not switch to WAL mode (got {mode!r})",
        "zh": "项目库 {path}：无法切换到 WAL 日志模式（得到 {mode!r}）；"
        "请把项目库放在本地磁盘上，不要放在网络共享文件夹中",
    },
    "geo.store.gpkg.busy": {
        "en": "busy, retry: another process is writing {path} (waited {seconds:g} s while "
        "trying to {doing}); nothing was written",
        "zh": "项目库正忙，请稍后重试：另一个进程正在写入 {path}"
        "（{doing}时已等待 {seconds:g} 秒）；本次没有写入任何内容",
    },
    "geo.store.gpkg.unusable": {
        "en": "{path} is not a usable GeoPackage/SQLite file: {error}",
        "zh": "{path} 不是可用的 GeoPackage/SQLite 文件：{error}；"
        "请检查路径，或换一个新的 .gpkg 文件名",
    },
    "geo.store.gpkg.failed": {
        "en": "store {path}: could not {doing}: {error}",
        "zh": "项目库 {path}：无法{doing}：{error}",
    },
    "geo.store.gpkg.foreign": {
        "en": "{path} already has a table {layer!r} that the store did not write; choose "
        "another layer name (the existing table is left as it is)",
        "zh": "{path} 中已有一个并非由项目库写入的表“{layer}”；请换一个图层名（现有的表保持不变）",
    },
    "geo.store.gpkg.read_only": {
        "en": "cannot {doing} in {path}: the store is read-only here (the file, its folder or "
        "the disk may not be written), so it can be read but not changed; nothing was "
        "written. Copy it to a writable folder and use the copy (--store or "
        "$NANCHANG_STORE), or ask for write access",
        "zh": "无法在 {path} 中{doing}：此处的项目库是只读的（文件、所在文件夹或磁盘不可写），"
        "只能读取，不能修改；本次没有写入任何内容。请把它复制到可写的文件夹并使用该副本"
        "（--store 或 $NANCHANG_STORE），或申请写权限",
    },
    "geo.store.gpkg.read_only_folder": {
        "en": "cannot create the store {path}: its folder may not be written (a read-only "
        "disk or no permission); choose a writable place (--store or $NANCHANG_STORE)",
        "zh": "无法创建项目库 {path}：所在文件夹不可写（只读磁盘或没有权限）；"
        "请选择一个可写的位置（--store 或 $NANCHANG_STORE）",
    },
    "geo.store.gpkg.read_only_wal": {
        "en": "cannot read {path}: its write-ahead log {wal} holds saved versions not yet "
        "merged into the file, and this read-only folder does not let SQLite use it; open "
        "the store once where it can be written (this merges the log), then copy it here",
        "zh": "无法读取 {path}：其预写日志 {wal} 中有尚未并入文件的已保存版本，"
        "而此只读文件夹不允许 SQLite 使用该日志；请先在可写的位置打开一次项目库"
        "（以并入日志），再复制到这里",
    },
    # The PostGIS back end. {target} is always the redacted URL.
    "geo.store.pg.not_url": {
        "en": "{url!r} is not a database URL: use postgresql://user@host:port/db",
        "zh": "“{url}”不是数据库网址：请使用 postgresql://user@host:port/db 的形式"
        "（用户名@主机:端口/数据库名）",
    },
    "geo.store.pg.not_postgresql": {
        "en": "store URL {url!r} is not a postgresql:// URL",
        "zh": "项目库网址“{url}”不是 postgresql:// 网址；请使用 postgresql://user@host:port/db",
    },
    "geo.store.pg.connect": {
        "en": "cannot connect to {target} to {doing}: {detail}",
        "zh": "无法连接数据库 {target}，未能{doing}：{detail}；请检查网址、网络以及数据库服务器"
        "是否在运行，然后重试",
    },
    "geo.store.pg.no_postgis": {
        "en": "PostGIS is not installed in {target} and this user may not install it: ask an "
        "administrator to run CREATE EXTENSION postgis",
        "zh": "数据库 {target} 未安装 PostGIS，当前用户也无权安装：请联系管理员执行 "
        "CREATE EXTENSION postgis",
    },
    "geo.store.pg.busy": {
        "en": "busy, retry: {target} cancelled the statement after the statement timeout of "
        "{seconds:g} s while trying to {doing} (another writer may hold the layer).{undone}",
        "zh": "数据库正忙，请稍后重试：{doing}时，{target} 在语句超时（{seconds:g} 秒）后取消了"
        "该语句（可能有他人正在写入该图层）。{undone}",
    },
    "geo.store.pg.lost": {
        "en": "lost the connection to {target} while trying to {doing} ({detail}).{undone} "
        "Check the server and retry.",
        "zh": "{doing}时与数据库 {target} 的连接中断（{detail}）。{undone}"
        "请检查数据库服务器后重试。",
    },
    "geo.store.pg.failed": {
        "en": "{target}: could not {doing}: {detail}.{undone}",
        "zh": "数据库 {target}：无法{doing}：{detail}。{undone}",
    },
    "geo.store.pg.rolled_back": {
        "en": " The write was rolled back: nothing was saved.",
        "zh": "本次写入已回滚，没有保存任何内容。",
    },
    "geo.store.pg.foreign": {
        "en": "{target} already has a table or view {layer!r} that the store did not write; "
        "choose another layer name (the existing one is left as it is)",
        "zh": "数据库 {target} 中已有一个并非由项目库写入的表或视图“{layer}”；请换一个图层名"
        "（现有的表或视图保持不变）",
    },
}
