"""Roles and what each may do: one table, and ``require`` to enforce it.

Scope (which grid cells) is separate from role (which actions): a grid worker and an administrator
can both be limited to some cells. Example::

    >>> may("planner", "run_analysis"), may("planner", "view_personal_unmasked")
    (True, False)
"""

from __future__ import annotations

from typing import Any

from gis_core.store import StoreError

__all__ = [
    "ROLES",
    "ACTIONS",
    "PERMISSIONS",
    "ROLE_LABELS",
    "ACTION_LABELS",
    "PermissionDenied",
    "may",
    "require",
    "check_role",
]

ROLES: tuple[str, ...] = (
    "administrator",
    "operator",  # command-centre operator (指挥中心值班员)
    "planner",
    "grid_supervisor",
    "grid_worker",
    "viewer",
)

ACTIONS: tuple[str, ...] = (
    "view_map",  # layers, features, counts
    "view_personal",  # residents' records with names, ID numbers and phones masked
    "view_personal_unmasked",  # reveal one resident's personal fields (each reveal is logged)
    "export_data",  # export layers; personal fields masked
    "export_personal",  # bulk export with personal fields in clear (logged: what, how many)
    "import_data",
    "edit_features",  # buildings, facilities, cameras, sensors
    "edit_residents",
    "edit_grid",  # grid-cell boundaries and workers
    "dispatch_events",
    "report_events",
    "acknowledge_alarms",
    "run_analysis",
    "manage_users",  # accounts, roles, scopes, unlocking
    "view_audit",
)

_ALL = frozenset(ACTIONS)

# The one table of who may do what. Changing it is a policy decision: tests pin every cell.
PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": _ALL,
    "operator": frozenset(
        {
            "view_map",
            "view_personal",
            "view_personal_unmasked",  # calls a resident back about an alarm or event
            "export_data",
            "dispatch_events",
            "report_events",
            "acknowledge_alarms",
        }
    ),
    "planner": frozenset({"view_map", "view_personal", "export_data", "run_analysis"}),
    "grid_supervisor": frozenset(
        {
            "view_map",
            "view_personal",
            "view_personal_unmasked",
            "export_data",
            "import_data",
            "edit_features",
            "edit_residents",
            "edit_grid",
            "dispatch_events",
            "report_events",
            "acknowledge_alarms",
        }
    ),
    "grid_worker": frozenset(
        {
            "view_map",
            "view_personal",
            "view_personal_unmasked",  # visits households in their own cells
            "edit_residents",
            "report_events",
        }
    ),
    "viewer": frozenset({"view_map"}),
}

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "administrator": ("系统管理员", "administrator"),
    "operator": ("指挥中心值班员", "command-centre operator"),
    "planner": ("规划人员", "planner"),
    "grid_supervisor": ("网格督导员", "grid supervisor"),
    "grid_worker": ("网格员", "grid worker"),
    "viewer": ("只读用户", "read-only viewer"),
}

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "view_map": ("查看地图", "view the map"),
    "view_personal": ("查看居民信息（脱敏）", "view residents (masked)"),
    "view_personal_unmasked": ("查看完整个人信息", "see personal data unmasked"),
    "export_data": ("导出数据", "export data"),
    "export_personal": ("导出完整个人信息", "export personal data unmasked"),
    "import_data": ("导入数据", "import data"),
    "edit_features": ("编辑地物", "edit features"),
    "edit_residents": ("编辑居民信息", "edit residents"),
    "edit_grid": ("编辑网格", "edit grid cells"),
    "dispatch_events": ("派遣事件", "dispatch events"),
    "report_events": ("上报事件", "report events"),
    "acknowledge_alarms": ("确认告警", "acknowledge alarms"),
    "run_analysis": ("运行分析", "run analyses"),
    "manage_users": ("管理用户", "manage users"),
    "view_audit": ("查看审计日志", "view the audit log"),
}


class PermissionDenied(StoreError):
    """The account (or session) may not do this; the message says who, what and why."""

    def __init__(self, message: str, username: str | None = None, action: str | None = None):
        super().__init__(message)
        self.username = username
        self.action = action


def check_role(role: str) -> str:
    if role not in PERMISSIONS:
        raise ValueError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    return role


def may(role_or_user: Any, action: str) -> bool:
    """Whether a role (or an account with a ``role``) may do ``action``."""
    if action not in _ALL:
        raise ValueError(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    role = getattr(role_or_user, "role", role_or_user)
    return action in PERMISSIONS.get(role, frozenset())


def require(user: Any, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` (an account) may do ``action``."""
    if user is None:
        raise PermissionDenied(
            f"not logged in: log in to {ACTION_LABELS[action][1]} ({ACTION_LABELS[action][0]})",
            None,
            action,
        )
    if not getattr(user, "active", True):
        raise PermissionDenied(f"account {user.username} is disabled", user.username, action)
    if not may(user, action):
        zh, en = ROLE_LABELS.get(user.role, (user.role, user.role))
        raise PermissionDenied(
            f"{user.username} ({en} / {zh}) may not {ACTION_LABELS[action][1]} "
            f"({ACTION_LABELS[action][0]}); ask an administrator",
            user.username,
            action,
        )
