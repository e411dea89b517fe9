"""What the logged-in account may do in the window, applied in one place.

:data:`GATES` maps the window's actions (as installed by the main window and its features) to
the permissions of the role table (:mod:`gis_core.security.roles`). :class:`AccessControl`
disables each action the account's role may not use and says in its tooltip which permission is
missing; shows who is logged in (status bar), the demo banner, the Account menu (switch user /
log out), and unmasks personal fields for the identify panel through
:func:`gis_core.security.personal.reveal`, which records every unmasking in the audit log.

The desktop gates are for the user's convenience; the store enforces the same rules itself
(PostGIS row-level security, the SpatiaLite scope, ``authorize`` in the core).

A store without accounts is an unmanaged single-user store (a trainer's or planner's own file,
or a store from before accounts existed): the core lets whoever opens it do everything, so the
window does too and says so in the status bar. Refusing to open it until someone runs
``zhiwang user add`` would lock people out of their own files for no protection gained: anyone
who can open the file could also edit it with any SQLite tool. A shared PostGIS store gets
protection by creating its first administrator, after which the window asks for a login.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy

from desktop.settings import ui_language
from gis_core.security.accounts import is_demo_account
from gis_core.security.roles import ACTION_LABELS, ROLE_LABELS, may

__all__ = [
    "GATES",
    "CASE_ACTION_PERMISSIONS",
    "AccessControl",
    "install_access",
    "account_name",
    "role_title",
    "permission_title",
]

log = logging.getLogger(__name__)


def _zh() -> bool:
    return ui_language() != "en"


def role_title(role: str) -> str:
    zh, en = ROLE_LABELS.get(role, (role, role))
    return zh if _zh() else en


def permission_title(action: str) -> str:
    zh, en = ACTION_LABELS.get(action, (action, action))
    return zh if _zh() else en


def _attr(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _actions(found) -> list[QAction]:
    if found is None:
        return []
    if isinstance(found, QAction):
        return [found]
    if isinstance(found, dict):
        return [a for a in found.values() if isinstance(a, QAction)]
    if isinstance(found, Iterable):
        return [a for a in found if isinstance(a, QAction)]
    return []


# The window's actions → the permission each needs. Paths are attributes of the main window
# (``analysis.actions`` is a dict of actions). A feature that is not installed is skipped.
GATES: tuple[tuple[str, str], ...] = (
    ("grid_editing.act_edit", "edit_grid"),
    ("grid_editing.act_save", "edit_grid"),
    ("grid_editing.tool_actions", "edit_grid"),
    ("analysis.equity_actions", "run_analysis"),
    ("analysis.actions", "run_analysis"),
    ("analysis.whatif_actions", "run_analysis"),
    ("analysis.act_runs", "run_analysis"),
    ("cases.act_report", "report_events"),
    ("cases.act_escalate", "dispatch_events"),
    ("cases.act_performance", "dispatch_events"),
    ("cases.act_monthly", "export_data"),
    ("fusion.act_review", "edit_residents"),
    ("fusion.act_export_quality", "export_data"),
    ("fusion.act_relink", "import_data"),
    ("act_export_png", "export_data"),
    ("act_print", "export_data"),
    ("access.act_audit", "view_audit"),
)

# The dispatch board's case actions (gis_core.cases.lifecycle.ACTIONS) → the permission of the
# role table each stands for: the command centre's steps need dispatch_events, the handler's
# steps (accept, start, resolve, a note) report_events. The lifecycle's own role sets match
# these (a test pins it); the board shows an action the role lacks disabled, saying why.
CASE_ACTION_PERMISSIONS: dict[str, str] = {
    **dict.fromkeys(
        (
            "verify",
            "dispatch",
            "reassign",
            "check",
            "fail_check",
            "close",
            "reopen",
            "escalate",
            "resume",
            "feedback",
            "merge",
            "split",
        ),
        "dispatch_events",
    ),  # fmt: skip
    **dict.fromkeys(
        ("accept", "return", "start", "resolve", "note", "propose_merge"), "report_events"
    ),
}

_NOT_ON_THE_BOARD = ("propose_merge", "merge", "split")  # as desktop.cases.controller


def account_name(store) -> str | None:
    """The logged-in account's user name for ``store`` (None: a store without accounts, where
    the settings' or the system's name stands for its single user)."""
    user = getattr(store, "user", None) if store is not None else None
    name = getattr(user, "username", None)
    return str(name) if name else None


class _Gate:
    """One action held disabled while the account may not use it.

    The action's own enabled state stays the feature's: the gate never calls the action's
    ``setEnabled``. It disables the action's :class:`QActionGroup` instead (a private,
    non-exclusive one made for the action, or the group the feature put it in). Qt keeps an
    action's own ``setEnabled`` value apart from its group's: while the group is disabled the
    action shows disabled whatever the feature sets, and when the group is enabled again the
    action takes the feature's latest value. This is why: the gate used to disable the action
    itself and learn the feature's wish from ``changed``, but a feature's ``setEnabled(False)`` on
    the action the gate had already disabled is a no-op in Qt and emits nothing, so the gate
    restored a stale "enabled" when it reopened. Intercepting the feature's calls instead
    (wrapping ``setEnabled``) would miss C++ callers and slots connected before the gate; the
    group is Qt's own notion of "enabled by itself, blocked by its container".

    A feature's own group (the grid editor's exclusive tools) is disabled as a whole, so the
    actions of one group must share one permission; the gate enables it again when it opens
    (features do not disable their groups themselves)."""

    def __init__(self, action: QAction, permission: str):
        self.action = action
        self.permission = permission
        self.open = True
        self.tip = self.status = ""

    def _group(self) -> QActionGroup:
        group = self.action.actionGroup()
        if group is None:
            group = QActionGroup(self.action)  # a child of the action: goes with it
            group.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
            group.addAction(self.action)
        return group

    def close(self, why: str) -> None:
        if self.open:
            self.tip, self.status = self.action.toolTip(), self.action.statusTip()
            self.open = False
        if self.action.isCheckable() and self.action.isChecked():
            self.action.setChecked(False)  # end the mode (editing, reporting) it started
        self.action.setToolTip(why)
        self.action.setStatusTip(why)
        self._group().setEnabled(False)
        for obj in self.action.associatedObjects():
            if isinstance(obj, QMenu):
                obj.setToolTipsVisible(True)  # menus show the "needs permission" tooltip

    def reopen(self) -> None:
        if self.open:
            return
        self.open = True
        self.action.setToolTip(self.tip)
        self.action.setStatusTip(self.status)
        self._group().setEnabled(True)  # the action is as its feature last set it


class AccessControl(QObject):
    """The window's view of the session's account. ``window.access``."""

    BANNER_COLOR = "#f2b705"

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.access = self  # GATES name this object's own actions ("access.act_audit")
        self.user = None
        self.store = None
        self.demo_account = False
        self.gates: dict[int, _Gate] = {}

        self.user_label = QLabel(self.tr("Not logged in"))
        self.user_label.setObjectName("userLabel")
        window.statusBar().addPermanentWidget(self.user_label)

        self.banner = QLabel(
            self.tr(
                "Demo account — all data are fictitious demo data, for training only. Do not "
                "enter real personal information."
            )
        )
        self.banner.setObjectName("demoBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.banner.setStyleSheet(
            f"QLabel#demoBanner {{ background: {self.BANNER_COLOR}; color: #1d1d1d;"
            " font-weight: bold; padding: 6px; border-bottom: 1px solid #b38600; }"
        )
        self.banner.hide()
        layout = getattr(window, "central_layout", None)
        if layout is not None:  # above the map: always in view while the demo account works
            layout.insertWidget(0, self.banner)

        self.act_switch_user = QAction(self.tr("&Switch user / log out…"), window)
        self.act_switch_user.setObjectName("actSwitchUser")
        self.act_switch_user.triggered.connect(lambda _c=False: self.switch_user())
        self.menu = QMenu(self.tr("&Account"), window)
        self.menu.setObjectName("accountMenu")
        self.menu.setToolTipsVisible(True)
        self.menu.addAction(self.act_switch_user)
        self.act_audit = QAction(self.tr("&Audit log…"), window)
        self.act_audit.setObjectName("actAuditLog")
        self.act_audit.setToolTip(
            self.tr(
                "The latest audit entries (logins, unmasking, exports, edits) and a check of "
                "the hash chain"
            )
        )
        self.act_audit.triggered.connect(lambda _c=False: self.show_audit())
        self.audit_dialog = None
        self.menu.addSeparator()
        self.menu.addAction(self.act_audit)
        bar = window.menuBar()
        help_title = QCoreApplication.translate("MainWindow", "&Help")
        before = next(
            (a for a in bar.actions() if a.menu() is not None and a.text() == help_title), None
        )
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)

        panel = getattr(window, "identify_panel", None)
        if panel is not None:
            panel.revealRequested.connect(self.reveal)
        board = _attr(window, "cases.board")
        if board is not None:  # case actions the role lacks: listed disabled, saying why
            board.blocked_for = self.blocked_case_actions
        self.apply(None)

    # ------------------------------------------------------------------ permissions
    @property
    def managed(self) -> bool:
        """Whether the open store is a managed one (a user is logged in)."""
        return self.user is not None

    def permits(self, action: str) -> bool:
        """Whether the window lets the session do ``action``: with a logged-in account, what its
        role may; a store without accounts (or no store) has nobody to restrict."""
        if self.user is None:
            return True
        return bool(getattr(self.user, "active", True)) and may(self.user, action)

    def refusal(self, action: str) -> str | None:
        """Why the session may not do ``action`` (the text of a disabled action's tooltip), or
        None if it may."""
        return None if self.permits(action) else self.missing_text(action)

    def missing_text(self, action: str) -> str:
        role = getattr(self.user, "role", "")
        return self.tr("Needs the permission “{0}”; {1} is a {2}. Ask an administrator.").format(
            permission_title(action), getattr(self.user, "username", "?"), role_title(role)
        )

    def _gated_actions(self) -> list[tuple[QAction, str]]:
        out = []
        for path, permission in GATES:
            for act in _actions(_attr(self.window, path)):
                out.append((act, permission))
        return out

    def apply(self, store, demo_account: bool | None = None) -> None:
        """Show the window as ``store``'s session (None: no store open)."""
        self.store = store
        self.user = getattr(store, "user", None) if store is not None else None
        if demo_account is None:
            try:
                demo_account = self.user is not None and is_demo_account(store, self.user)
            except Exception as exc:  # a meta read failed: no banner is the wrong default
                log.warning("could not tell whether this is the demo account: %s", exc)
                demo_account = store is not None and self.user is not None
        self.demo_account = bool(demo_account)
        for act, permission in self._gated_actions():
            gate = self.gates.get(id(act))
            if gate is None:
                gate = self.gates[id(act)] = _Gate(act, permission)
            if self.permits(permission):
                gate.reopen()
            else:
                gate.close(self.missing_text(permission))
        self.act_audit.setEnabled(store is not None)  # after its gate: a closed gate keeps it
        self._show_user()
        self.banner.setVisible(self.demo_account)
        panel = getattr(self.window, "identify_panel", None)
        if panel is not None:
            panel.set_access(
                show_personal=self.permits("view_personal"),
                may_unmask=self.permits("view_personal_unmasked"),
            )
        alarms = _attr(self.window, "live.panel")
        if alarms is not None:
            alarms.set_refusal(self.refusal("acknowledge_alarms"))
        if self.audit_dialog is not None and self.audit_dialog.store is not store:
            self.audit_dialog.close()
            self.audit_dialog = None

    def _show_user(self) -> None:
        u = self.user
        if self.store is None:
            self.user_label.setText(self.tr("Not logged in"))
            self.user_label.setToolTip("")
            self.act_switch_user.setEnabled(False)
            self.act_switch_user.setToolTip(self.tr("No store is open"))
            return
        if u is None:
            self.user_label.setText(self.tr("Single-user store (no accounts)"))
            self.user_label.setToolTip(
                self.tr(
                    "This store has no user accounts: whoever opens it may do everything. Create "
                    "its first administrator with “zhiwang user add” to require a login."
                )
            )
            self.act_switch_user.setEnabled(False)
            self.act_switch_user.setToolTip(self.user_label.toolTip())
            return
        cells = (
            self.tr("all grid cells")
            if u.cells is None
            else self.tr("{0} grid cells").format(len(u.cells))
        )
        self.user_label.setText(self.tr("User: {0} · {1}").format(u.username, role_title(u.role)))
        self.user_label.setToolTip(
            self.tr("Logged in as {0} ({1}); sees {2}").format(
                u.display_name or u.username, role_title(u.role), cells
            )
        )
        self.act_switch_user.setEnabled(True)
        self.act_switch_user.setToolTip(
            self.tr("Log {0} out and log in as another user").format(u.username)
        )

    def blocked_case_actions(self, card) -> list[tuple[str, str]]:
        """The actions the case's state allows but the account's role may not take, each with
        the reason (the board lists them disabled)."""
        if self.user is None:
            return []
        from gis_core.cases.lifecycle import ACTIONS, Actor, CaseState, allowed_actions

        cases = _attr(self.window, "cases")
        catalogue = getattr(cases, "catalogue", None)
        top = catalogue.ladder_top(card.category) if catalogue is not None else None
        state = CaseState(card.state, card.assignee, None, card.level, card.resume_state)
        anyone = Actor(self.user.username, "administrator")  # what the state alone allows
        out = []
        for name in allowed_actions(state, anyone, top):
            permission = CASE_ACTION_PERMISSIONS.get(name)
            if name not in ACTIONS or permission is None or name in _NOT_ON_THE_BOARD:
                continue
            why = self.refusal(permission)
            if why is not None:
                out.append((name, why))
        return out

    # ------------------------------------------------------------------ audit log
    def show_audit(self):
        """The audit-log dialog (one per window) for the open store."""
        from desktop.audit_dialog import AuditDialog

        store = self.window.store
        if store is None or not self.permits("view_audit"):
            return None
        if self.audit_dialog is None or self.audit_dialog.store is not store:
            if self.audit_dialog is not None:
                self.audit_dialog.close()
            self.audit_dialog = AuditDialog(store, self.window.runner, self.window)
        self.audit_dialog.show()
        self.audit_dialog.raise_()
        self.audit_dialog.reload()
        return self.audit_dialog

    # ------------------------------------------------------------------ switching user
    def switch_user(self) -> None:
        """Log the session's user out (audited), close the store and ask for a login again."""
        w, store = self.window, self.window.store
        if store is None or self.user is None:
            return
        from desktop.login_dialog import login_hints
        from gis_core.security import audit

        user, where = self.user, w.store_label
        url = session_base_url(store)
        try:
            hints = login_hints(store)
            audit.record(store, "logout", user)
        except Exception as exc:  # the server went away: log out locally all the same
            log.warning("could not record the logout: %s", exc)
            hints = None
        w.close_store()
        w.ask_login(url, where, hints, username=user.username)

    # ------------------------------------------------------------------ unmasking
    def reveal(self, kind: str, fid: int, field: str, on_done: Callable | None = None) -> None:
        """Unmask one personal field for the identify panel; the core checks the role again
        and writes the audit entry."""
        from gis_core.security.personal import reveal

        store, panel = self.window.store, self.window.identify_panel
        if store is None:
            return
        if not self.permits("view_personal_unmasked"):
            panel.reveal_failed(kind, fid, field, self.missing_text("view_personal_unmasked"))
            return

        def done(result: dict) -> None:
            value = result.get(int(fid), {}).get(field)
            panel.show_revealed(kind, fid, field, value)
            if on_done is not None:
                on_done(value)

        self.window.runner.submit(
            lambda: reveal(store, [int(fid)], [field], kind=kind),
            on_done=done,
            on_error=lambda exc: panel.reveal_failed(kind, fid, field, str(exc)),
        )


def session_base_url(store) -> str:
    """The store's URL without the session's user and cells, with its password: what a new
    login opens (:func:`gis_core.security.accounts.open_session`)."""
    from sqlalchemy.engine import make_url

    from gis_core.security.scope import strip_session_options

    url = make_url(store.engine.url.render_as_string(hide_password=False))
    if url.get_backend_name() == "postgresql":
        rest = strip_session_options(str(url.query.get("options", "")))
        url = url.difference_update_query(["options"])
        if rest:
            url = url.update_query_dict({"options": rest})
    else:
        url = url.difference_update_query(["zhiwang_cells", "zhiwang_user"])
    return url.render_as_string(hide_password=False)


def install_access(window) -> AccessControl:
    """Give ``window`` its access control (after the features that install gated actions)."""
    control = AccessControl(window)
    window.access = control
    return control
