"""The open-store dialog: the embedded demo, a SpatiaLite file, or a PostGIS server.

The dialog only collects the choice; the main window opens the store off the GUI thread and
reports a failure (wrong password, unreachable server) without losing the store it has open.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.credentials import PgConnection, keyring_available, load_password
from desktop.settings import app_settings
from gis_core.store import default_store_path

__all__ = ["OpenStoreDialog", "StoreChoice"]


@dataclass(frozen=True)
class StoreChoice:
    """What to open: ``kind`` is ``demo``, ``file`` or ``postgis``."""

    kind: str
    path: str | None = None
    pg: PgConnection | None = None
    password: str | None = None
    remember: bool = False

    def url(self) -> str | None:
        if self.kind == "postgis" and self.pg is not None:
            return self.pg.url(self.password)
        if self.kind == "file":
            return self.path
        return str(default_store_path())


class OpenStoreDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open a store"))
        self.setMinimumWidth(460)
        settings = app_settings()

        self.demo = QRadioButton(self.tr("Embedded demo community"))
        self.file = QRadioButton(self.tr("SpatiaLite file"))
        self.postgis = QRadioButton(self.tr("PostGIS server"))
        group = QButtonGroup(self)
        for i, b in enumerate((self.demo, self.file, self.postgis)):
            group.addButton(b, i)

        demo_note = QLabel(
            self.tr("The demo store in {0}; it is built on first use.").format(default_store_path())
        )
        demo_note.setWordWrap(True)
        demo_note.setIndent(22)

        self.path = QLineEdit(str(settings.value("open/last_file", "")))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(22, 0, 0, 0)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)

        pg = QWidget()
        form = QFormLayout(pg)
        form.setContentsMargins(22, 0, 0, 0)
        self.host = QLineEdit(str(settings.value("postgis/host", "127.0.0.1")))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(settings.value("postgis/port", 5432)))
        self.database = QLineEdit(str(settings.value("postgis/database", "zhiwang")))
        self.user = QLineEdit(str(settings.value("postgis/user", "zhiwang")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember the password in the system keyring"))
        if not keyring_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(
                self.tr("No system keyring is available: the password is asked for each time.")
            )
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        for w in (self.host, self.database, self.user):
            w.editingFinished.connect(self._fill_saved_password)
        self._fill_saved_password()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(demo_note)
        layout.addWidget(self.file)
        layout.addLayout(file_row)
        layout.addWidget(self.postgis)
        layout.addWidget(pg)
        layout.addWidget(buttons)

        last = str(settings.value("open/last_kind", "demo"))
        {"file": self.file, "postgis": self.postgis}.get(last, self.demo).setChecked(True)
        self._pg_widget = pg
        group.idToggled.connect(lambda *_: self._sync_enabled())
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        self.path.setEnabled(self.file.isChecked())
        self._pg_widget.setEnabled(self.postgis.isChecked())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a SpatiaLite store"),
            self.path.text(),
            self.tr("SpatiaLite stores (*.sqlite *.db *.spatialite);;All files (*)"),
        )
        if path:
            self.path.setText(path)
            self.file.setChecked(True)

    def connection(self) -> PgConnection:
        return PgConnection(
            self.host.text().strip(),
            int(self.port.value()),
            self.database.text().strip(),
            self.user.text().strip(),
        )

    def _fill_saved_password(self) -> None:
        if self.password.text():
            return
        saved = load_password(self.connection())
        if saved:
            self.password.setText(saved)
            self.remember.setChecked(True)

    def choice(self) -> StoreChoice:
        settings = app_settings()
        if self.postgis.isChecked():
            conn = self.connection()
            for key, value in conn.to_settings().items():
                settings.setValue(f"postgis/{key}", value)  # never the password
            settings.setValue("open/last_kind", "postgis")
            return StoreChoice(
                "postgis",
                pg=conn,
                password=self.password.text(),
                remember=self.remember.isChecked(),
            )
        if self.file.isChecked():
            settings.setValue("open/last_kind", "file")
            settings.setValue("open/last_file", self.path.text())
            return StoreChoice("file", path=self.path.text().strip())
        settings.setValue("open/last_kind", "demo")
        return StoreChoice("demo")
