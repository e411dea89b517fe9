"""The login dialog shown when a store with accounts opens, and the messages for failed logins.

The dialog only collects the user name and password and shows what went wrong; the main window
checks them off the GUI thread (argon2 and a server round trip take a moment) and keeps its
current store when the login fails or is cancelled.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from gis_core.security.accounts import (
    DEMO_ACCOUNTS,
    LOCK_SECONDS,
    MAX_FAILED_ATTEMPTS,
    AccountLocked,
    AuthenticationFailed,
)

__all__ = ["LoginDialog", "LoginHints", "login_hints", "login_error_text"]


@dataclass(frozen=True)
class LoginHints:
    """What the dialog may say before anyone logs in: whether this is the demo store, whose
    accounts are public training accounts (``demo_accounts``: user name → password, role)."""

    demo: bool = False
    demo_accounts: tuple[tuple[str, str, str], ...] = ()


def login_hints(store) -> LoginHints:
    """Read the hints from an open store (worker thread). Only the demo store's well-known
    accounts are ever shown; no other store reveals a user name before login."""
    if store.meta("demo") != "1":
        return LoginHints()
    names = set((store.meta("demo_accounts") or "").split(","))
    accounts = tuple((n, p, r) for n, p, r, _ in DEMO_ACCOUNTS if n in names)
    return LoginHints(True, accounts)


def login_error_text(exc: BaseException, where: str, now: float | None = None) -> str:
    """A message a user can act on for a failed login (wrong password, locked, unreachable)."""
    if isinstance(exc, AccountLocked):
        now = time.time() if now is None else now
        minutes = max(1, math.ceil((exc.until - now) / 60))
        until = time.strftime("%H:%M", time.localtime(exc.until))
        return QCoreApplication.translate(
            "LoginDialog",
            "This account is locked after {0} failed logins in a row. Try again in {1} minutes "
            "(after {2}), or ask an administrator to unlock it.",
        ).format(MAX_FAILED_ATTEMPTS, minutes, until)
    if isinstance(exc, AuthenticationFailed):
        return QCoreApplication.translate(
            "LoginDialog",
            "Wrong user name or password. After {0} failed logins in a row the account is "
            "locked for {1} minutes.",
        ).format(MAX_FAILED_ATTEMPTS, LOCK_SECONDS // 60)
    from desktop.main_window import explain_open_error  # the store's own open errors

    return explain_open_error(exc, where)


class LoginDialog(QDialog):
    """``submitted(username, password)`` when the user asks to log in; the window answers with
    :meth:`show_error` (the dialog stays open) or accepts it."""

    submitted = Signal(str, str)

    def __init__(self, where: str, hints: LoginHints | None = None, parent=None):
        super().__init__(parent)
        hints = hints or LoginHints()
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Log in — Zhiwang"))
        self.setMinimumWidth(420)
        intro = QLabel(self.tr("{0} has user accounts. Log in to open it.").format(where))
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("loginUser")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)

        self.demo_note = QLabel()
        self.demo_note.setObjectName("loginDemoNote")
        self.demo_note.setWordWrap(True)
        self.demo_note.setStyleSheet(
            "QLabel { background: #fff4d6; border: 1px solid #e0b44c; padding: 6px; }"
        )
        if hints.demo and hints.demo_accounts:
            accounts = self.tr(", ").join(
                self.tr("{0}/{1} ({2})").format(name, password, _role_title(role))
                for name, password, role in hints.demo_accounts
            )
            self.demo_note.setText(
                self.tr(
                    "This is the demo store. Its public training accounts: {0}. The data are "
                    "fictitious."
                ).format(accounts)
            )
            name, password, _role = hints.demo_accounts[0]
            # A public training account, printed by `zhiwang demo`: prefilled so that a trainer's
            # laptop reaches the map with one key press; the window then shows the demo banner.
            self.username.setText(name)
            self.password.setText(password)
        else:
            self.demo_note.hide()

        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #b00020; }")
        self.message.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(self.tr("Log in"))
        self.login_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo_note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if self.username.text() else self.username).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def set_username(self, name: str) -> None:
        if name:
            self.username.setText(name)
            self.password.clear()
            self.password.setFocus()

    def _submit(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.show_error(self.tr("Enter your user name."))
            return
        self.set_busy(True)
        self.submitted.emit(name, self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("QLabel { color: #555555; }")
            self.message.setText(self.tr("Logging in…"))
            self.message.show()

    def show_error(self, text: str) -> None:
        """Say what went wrong and let the user try again (the password is cleared)."""
        self.set_busy(False)
        self.message.setStyleSheet("QLabel { color: #b00020; }")
        self.message.setText(text)
        self.message.show()
        self.password.clear()
        self.password.setFocus()


def _role_title(role: str) -> str:
    from desktop.access import role_title

    return role_title(role)
