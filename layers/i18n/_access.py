"""Words of sign-in, roles and the audit trail (issue 14), zh and en.

Keyed ``access.*`` (the roles file and identities, :mod:`layers.access`), ``auth.*`` (the
app's sign-in and single-user mode), ``role.*``, ``admin.*`` and ``audit.*`` (the admin
page); merged into :data:`layers.i18n.STRINGS` (one vocabulary).
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["ACCESS"]

ACCESS: Final[dict[str, dict[Literal["zh", "en"], str]]] = {
    # The roles file (layers.access.load_roles).
    "access.roles.missing": {
        "en": "roles file {path} does not exist (named by the argument or {env}): create it "
        "(see .streamlit/roles.yaml.example) or unset {env}",
        "zh": "角色文件 {path} 不存在（由参数或环境变量 {env} 指定）：请创建该文件"
        "（参见 .streamlit/roles.yaml.example），或取消设置 {env}",
    },
    "access.roles.unreadable": {
        "en": "roles file {path} cannot be read as YAML: {error}",
        "zh": "角色文件 {path} 无法按 YAML 读取：{error}",
    },
    "access.roles.shape": {
        "en": "roles file {path} must be a mapping with `claim` (text) and `roles` (role -> "
        "list of claim values)",
        "zh": "角色文件 {path} 必须是映射，包含 `claim`（文字）和 `roles`（角色 -> 声明值列表）",
    },
    "access.roles.keys": {
        "en": "roles file {path} has unknown keys {keys}: only `claim` and `roles` are read",
        "zh": "角色文件 {path} 含有无法识别的键 {keys}：只读取 `claim` 和 `roles`",
    },
    "access.roles.claim": {
        "en": "roles file {path}: `claim` must be the name of a claim (e.g. groups), got {value}",
        "zh": "角色文件 {path}：`claim` 必须是声明名称（例如 groups），收到的是 {value}",
    },
    "access.roles.role": {
        "en": "roles file {path}: role {role!r} cannot be granted: use planner or admin (anyone "
        "else signed in is a viewer)",
        "zh": "角色文件 {path}：无法授予角色“{role}”：请使用 planner 或 admin"
        "（其他已登录用户均为查看者）",
    },
    "access.roles.values": {
        "en": "roles file {path}: the values under {role!r} must be a text or a list of texts",
        "zh": "角色文件 {path}：“{role}”下的值必须是文字或文字列表",
    },
    "access.role_unknown": {
        "en": "role {role!r} is unknown: use viewer, planner or admin",
        "zh": "角色“{role}”无法识别：请使用 viewer、planner 或 admin",
    },
    "access.no_subject": {
        "en": "the identity provider sent neither a subject (sub) nor an e-mail: the user "
        "cannot be identified; check the provider's scopes (openid email)",
        "zh": "身份提供方既未提供 subject（sub）也未提供电子邮箱，无法识别用户："
        "请检查身份提供方的 scope 设置（openid email）",
    },
    # Roles as people read them.
    "role.viewer": {"zh": "查看者", "en": "Viewer"},
    "role.planner": {"zh": "规划人员", "en": "Planner"},
    "role.admin": {"zh": "管理员", "en": "Administrator"},
    # The app's sign-in (app_pages/_auth.py).
    "auth.sign_in": {"zh": "使用单位账号登录", "en": "Sign in with your organisation account"},
    "auth.sign_in_intro": {
        "zh": "本工具需要登录。请使用单位的统一身份认证账号登录；登录后可查看地图和结果，"
        "规划人员还可以编辑开发区。",
        "en": "This tool needs you to sign in with your organisation account. Once signed in "
        "you can view the map and the results; planners can also edit zones.",
    },
    "auth.sign_out": {"zh": "退出登录", "en": "Sign out"},
    "auth.signed_in_as": {
        "zh": "已登录：{who}（{role}）",
        "en": "Signed in: {who} ({role})",
    },
    "auth.single_user": {
        "zh": "单用户模式：未配置登录，打开本页的任何人都可以编辑。团队部署请按 README"
        "“团队部署”一节配置登录。",
        "en": "Single-user mode: no sign-in, everyone here may edit. For a team, configure "
        "sign-in as described in the README section “Deploying for a team”.",
    },
    "auth.no_cookie_secret": {
        "zh": "登录配置不完整：.streamlit/secrets.toml 的 [auth] 节缺少 cookie_secret，"
        '应用拒绝启动。请设置一个长随机字符串（例如 python -c "import secrets; '
        'print(secrets.token_urlsafe(32))" 的输出）后重启。',
        "en": "Sign-in is misconfigured: the [auth] section of .streamlit/secrets.toml has no "
        "cookie_secret, so the app refuses to start. Set it to a long random string (e.g. "
        'the output of python -c "import secrets; print(secrets.token_urlsafe(32))") and '
        "restart.",
    },
    "auth.roles_broken": {
        "zh": "角色文件有误，所有人暂按查看者处理：{error}",
        "en": "The roles file is wrong, so everyone is treated as a viewer: {error}",
    },
    "auth.identity_failed": {
        "zh": "无法识别已登录的用户：{error}",
        "en": "The signed-in user cannot be identified: {error}",
    },
    "auth.audit_failed": {
        "zh": "无法写入审计记录：{error}",
        "en": "The audit trail could not be written: {error}",
    },
    "auth.read_only": {
        "zh": "您的角色是{role}：可以查看和下载，但不能保存或恢复开发区。如需编辑，请向管理员"
        "申请规划人员角色。",
        "en": "Your role is {role}: you may look and download, not save or restore zones. "
        "Ask an administrator for the planner role if you need to edit.",
    },
    "auth.author_is_you": {
        "zh": "保存人将记录为：{who}",
        "en": "The version's author will be recorded as: {who}",
    },
    "auth.need_note": {
        "zh": "请填写修改原因。",
        "en": "Fill in the reason (note).",
    },
    # The admin page (app_pages/admin.py).
    "page.admin": {"zh": "管理：审计记录", "en": "Admin: audit trail"},
    "admin.only": {
        "zh": "只有管理员可以查看审计记录。",
        "en": "Only administrators may see the audit trail.",
    },
    "admin.intro": {
        "zh": "每次保存、恢复、导入、被拒绝的写入以及登录和退出都记录在项目库中（时间为 UTC）。",
        "en": "Every save, restore, import, refused write, sign-in and sign-out is recorded "
        "in the project store (times in UTC).",
    },
    "admin.who": {"zh": "用户（包含）", "en": "User (contains)"},
    "admin.action": {"zh": "动作", "en": "Action"},
    "admin.since": {"zh": "起始日期", "en": "From"},
    "admin.until": {"zh": "截止日期", "en": "To"},
    "admin.count": {"zh": "共 {n} 条记录", "en": "{n} record(s)"},
    "admin.download": {"zh": "下载 CSV", "en": "Download CSV"},
    "admin.failed": {
        "zh": "无法读取审计记录：{error}",
        "en": "The audit trail cannot be read: {error}",
    },
    "audit.at": {"zh": "时间（UTC）", "en": "When (UTC)"},
    "audit.who": {"zh": "用户", "en": "Who"},
    "audit.role": {"zh": "角色", "en": "Role"},
    "audit.action": {"zh": "动作", "en": "Action"},
    "audit.layer": {"zh": "图层", "en": "Layer"},
    "audit.version": {"zh": "版本", "en": "Version"},
    "audit.page": {"zh": "页面", "en": "Page"},
    "audit.detail": {"zh": "详情", "en": "Detail"},
    "audit.action.save": {"zh": "保存", "en": "save"},
    "audit.action.restore": {"zh": "恢复", "en": "restore"},
    "audit.action.import": {"zh": "导入", "en": "import"},
    "audit.action.scenario": {"zh": "保存方案", "en": "save scenario"},
    "audit.action.refused": {"zh": "拒绝写入", "en": "refused write"},
    "audit.action.sign_in": {"zh": "登录", "en": "sign-in"},
    "audit.action.sign_out": {"zh": "退出", "en": "sign-out"},
}
