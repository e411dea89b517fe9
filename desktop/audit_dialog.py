"""The audit log, read-only: the latest entries (time, user, action, what, how many) and a
"Verify" button that recomputes the hash chain (:func:`gis_core.security.audit.verify`, as
``zhiwang audit verify`` does) and says whether it is intact or where it breaks.

Opened from the Account menu by roles that may ``view_audit`` (desktop.access). Reading and
verifying run on the window's task runner; the dialog never writes to the log.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

__all__ = ["AuditDialog", "LATEST", "action_text", "problem_text"]

LATEST = 500  # entries shown, newest first
OK_COLOR, BROKEN_COLOR = "#1b7f3b", "#b3261e"
BROKEN_ROW = "#ffd6d6"

_ACTIONS = {
    "login_ok": QT_TRANSLATE_NOOP("AuditDialog", "Login"),
    "login_failed": QT_TRANSLATE_NOOP("AuditDialog", "Login failed"),
    "login_locked": QT_TRANSLATE_NOOP("AuditDialog", "Login refused (locked)"),
    "account_locked": QT_TRANSLATE_NOOP("AuditDialog", "Account locked"),
    "logout": QT_TRANSLATE_NOOP("AuditDialog", "Logout"),
    "user_add": QT_TRANSLATE_NOOP("AuditDialog", "Account added"),
    "password_change": QT_TRANSLATE_NOOP("AuditDialog", "Password changed"),
    "role_change": QT_TRANSLATE_NOOP("AuditDialog", "Role changed"),
    "scope_change": QT_TRANSLATE_NOOP("AuditDialog", "Grid cells changed"),
    "account_enable": QT_TRANSLATE_NOOP("AuditDialog", "Account enabled"),
    "account_disable": QT_TRANSLATE_NOOP("AuditDialog", "Account disabled"),
    "account_unlock": QT_TRANSLATE_NOOP("AuditDialog", "Account unlocked"),
    "unmask": QT_TRANSLATE_NOOP("AuditDialog", "Personal data unmasked"),
    "lookup": QT_TRANSLATE_NOOP("AuditDialog", "Lookup"),
    "export": QT_TRANSLATE_NOOP("AuditDialog", "Export"),
    "export_personal": QT_TRANSLATE_NOOP("AuditDialog", "Export with personal data"),
    "import": QT_TRANSLATE_NOOP("AuditDialog", "Import"),
    "edit": QT_TRANSLATE_NOOP("AuditDialog", "Edit"),
    "denied": QT_TRANSLATE_NOOP("AuditDialog", "Refused"),
    "key_created": QT_TRANSLATE_NOOP("AuditDialog", "Key created"),
    "key_exported": QT_TRANSLATE_NOOP("AuditDialog", "Key exported"),
    "key_encrypt_existing": QT_TRANSLATE_NOOP("AuditDialog", "Existing data encrypted"),
}


# What the chain check found (gis_core.security.audit.verify's problem, matched by its words).
_PROBLEMS = (
    ("not valid JSON", QT_TRANSLATE_NOOP("AuditDialog", "its detail was altered")),
    ("does not follow entry", QT_TRANSLATE_NOOP(
        "AuditDialog", "it does not follow the entry before it: that one was altered or replaced"
    )),
    ("does not match its hash", QT_TRANSLATE_NOOP(
        "AuditDialog", "its content does not match its hash: it was altered"
    )),
    ("missing (deleted)", QT_TRANSLATE_NOOP("AuditDialog", "entries before it were deleted")),
    (" missing", QT_TRANSLATE_NOOP("AuditDialog", "the last entries of the log were deleted")),
    ("recorded head", QT_TRANSLATE_NOOP(
        "AuditDialog", "the last entry does not match the recorded head: altered or replaced"
    )),
    ("head record is gone", QT_TRANSLATE_NOOP("AuditDialog", "the record of the log's head is gone")),
)  # fmt: skip


def problem_text(problem: str | None) -> str:
    """A chain problem in the UI's language (the core's own words if it is not known)."""
    for words, source in _PROBLEMS:
        if words in (problem or ""):
            return QCoreApplication.translate("AuditDialog", source)
    return problem or ""


def action_text(action: str) -> str:
    """An audit action as the dialog names it (the raw name if it has no text)."""
    source = _ACTIONS.get(action)
    return QCoreApplication.translate("AuditDialog", source) if source else action


def _local(ts: str) -> str:
    try:
        at = dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return ts
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class AuditDialog(QDialog):
    """``reload()`` reads the latest entries; ``verify()`` checks the chain. ``verification``
    holds the last check's outcome (a :class:`gis_core.security.audit.Verification`)."""

    COLUMNS = ("seq", "time", "user", "action", "object", "count")

    def __init__(self, store, runner, parent=None):
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(self.tr("Audit log"))
        self.store, self.runner = store, runner
        self.records: list = []
        self.verification = None
        self.loading = False
        self.verifying = False

        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("auditSummary")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Time"),
                self.tr("User"),
                self.tr("Action"),
                self.tr("What"),
                self.tr("Count"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # what: the long one
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.result = QLabel()
        self.result.setObjectName("auditVerification")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton(self.tr("Verify"))
        self.verify_button.setObjectName("auditVerifyButton")
        self.verify_button.setToolTip(
            self.tr(
                "Recompute the hash chain of the whole log: an altered, deleted or re-ordered "
                "entry is found"
            )
        )
        self.verify_button.clicked.connect(self.verify)
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.clicked.connect(self.reload)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.result, 1)
        row.addWidget(self.reload_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(820, 520)

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        from gis_core.security import audit

        store = self.store
        self.loading = True
        self.reload_button.setEnabled(False)
        self.runner.submit(
            lambda: audit.entries(store, limit=LATEST, newest_first=True),
            on_done=self._show_entries,
            on_error=self._read_failed,
        )

    def _show_entries(self, records: list) -> None:
        self.loading = False
        self.reload_button.setEnabled(True)
        self.records = list(records)
        t = self.table
        t.setRowCount(len(self.records))
        for r, e in enumerate(self.records):
            cells = (
                f"#{e.seq}",
                _local(e.ts),
                e.username,
                action_text(e.action),
                e.object or "",
                "" if e.count is None else f"{e.count:,}",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setToolTip(e.action)
                if c in (0, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                t.setItem(r, c, item)
        if self.records:
            self.summary.setText(
                self.tr("The latest {0} entries, newest first (the log has #{1} entries)").format(
                    len(self.records), self.records[0].seq
                )
            )
        else:
            self.summary.setText(self.tr("The audit log is empty"))
        self._mark_broken()

    def _read_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.reload_button.setEnabled(True)
        self.summary.setText(self.tr("Could not read the audit log: {0}").format(exc))

    # ------------------------------------------------------------------ verifying
    def verify(self) -> None:
        from gis_core.security import audit

        store = self.store
        self.verifying = True
        self.verification = None
        self.verify_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Verifying the hash chain…"))
        self.runner.submit(
            lambda: audit.verify(store), on_done=self._verified, on_error=self._verify_failed
        )

    def _verified(self, v) -> None:
        self.verifying = False
        self.verify_button.setEnabled(True)
        self.verification = v
        self.result.setToolTip("")
        if v.ok:
            self.result.setText(
                self.tr("OK: {0} entries, the hash chain is intact (head #{1} {2}…)").format(
                    f"{v.entries:,}", v.head_seq, v.head_hash[:12]
                )
            )
            color = OK_COLOR
        else:
            self.result.setText(
                self.tr("BROKEN at entry #{0}: {1}").format(v.broken_seq, problem_text(v.problem))
            )
            self.result.setToolTip(v.summary())
            color = BROKEN_COLOR
        self.result.setStyleSheet(
            f"QLabel#auditVerification {{ color: {color}; font-weight: bold; }}"
        )
        self._mark_broken()

    def _verify_failed(self, exc: BaseException) -> None:
        self.verifying = False
        self.verify_button.setEnabled(True)
        self.result.setStyleSheet(f"QLabel#auditVerification {{ color: {BROKEN_COLOR}; }}")
        self.result.setText(self.tr("Could not verify the audit log: {0}").format(exc))

    def _mark_broken(self) -> None:
        """Colour the entry where the chain breaks, if it is listed, and scroll to it."""
        v = self.verification
        seq = v.broken_seq if v is not None and not v.ok else None
        for r, e in enumerate(self.records):
            brush = QBrush(QColor(BROKEN_ROW)) if e.seq == seq else QBrush()
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(brush)
            if e.seq == seq:
                self.table.scrollToItem(self.table.item(r, 0))
