"""Dialogs of the cases UI: what an action needs (a handler, a reason, the resident's
satisfaction) and a new event reported on the map."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from desktop.cases.texts import ACTION_TEXT, SOURCE_TEXT, tr
from gis_core.cases.catalogue import Catalogue
from gis_core.cases.lifecycle import ACTIONS

__all__ = ["ActionDialog", "ReportEventDialog"]


class ActionDialog(QDialog):
    """Asks what ``action`` needs: a grid worker or a department (dispatch, reassign), a reason
    (return, fail the check, reopen, escalate…), the resident's satisfaction (close, feedback),
    and an optional note."""

    def __init__(
        self,
        action: str,
        catalogue: Catalogue,
        default_assignee: str | None = None,
        workers: list[str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.action = action
        spec = ACTIONS.get(action)
        self.setWindowTitle(tr(ACTION_TEXT.get(action, action)).rstrip("…"))
        form = QFormLayout(self)
        self.worker_radio = self.department_radio = None
        self.worker = self.department = None
        if spec is not None and spec.needs_assignee:
            self.worker_radio = QRadioButton(QCoreApplication.translate("Cases", "Grid worker"))
            self.worker_radio.setChecked(True)
            self.worker = QComboBox()
            self.worker.setObjectName("assignee")
            self.worker.setEditable(True)
            names = list(dict.fromkeys([n for n in [default_assignee, *(workers or [])] if n]))
            self.worker.addItems(names)
            self.department_radio = QRadioButton(QCoreApplication.translate("Cases", "Department"))
            self.department = QComboBox()
            self.department.setObjectName("department")
            for d in catalogue.departments.values():
                if d.active:
                    self.department.addItem(f"{d.name} / {d.name_en}", d.code)
            row1, row2 = QHBoxLayout(), QHBoxLayout()
            row1.addWidget(self.worker_radio)
            row1.addWidget(self.worker, 1)
            row2.addWidget(self.department_radio)
            row2.addWidget(self.department, 1)
            form.addRow(row1)
            form.addRow(row2)
        self.satisfaction = None
        if action in ("close", "feedback"):
            self.satisfaction = QSpinBox()
            self.satisfaction.setObjectName("satisfaction")
            self.satisfaction.setRange(0, 5)
            self.satisfaction.setSpecialValueText(QCoreApplication.translate("Cases", "not asked"))
            self.satisfaction.setValue(0)
            form.addRow(
                QCoreApplication.translate("Cases", "Resident's satisfaction (1–5)"),
                self.satisfaction,
            )
            self.comment = QLineEdit()
            self.comment.setObjectName("comment")
            form.addRow(QCoreApplication.translate("Cases", "Resident's comment"), self.comment)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setMaximumHeight(80)
        needs_note = spec is not None and spec.needs_note
        form.addRow(
            QCoreApplication.translate("Cases", "Reason")
            if needs_note
            else QCoreApplication.translate("Cases", "Note"),
            self.note,
        )
        self.attachments: list[str] = []
        if action in ("resolve", "note", "check", "fail_check"):
            pick = QPushButton(QCoreApplication.translate("Cases", "Attach photos…"))
            self.attached = QLabel()
            pick.clicked.connect(self._pick)
            form.addRow(pick, self.attached)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _pick(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("Cases", "Attach photos"),
            "",
            QCoreApplication.translate("Cases", "Images (*.jpg *.jpeg *.png);;All files (*)"),
        )
        self.attachments = list(files)
        self.attached.setText(QCoreApplication.translate("Cases", "{0} file(s)").format(len(files)))

    def values(self) -> dict:
        """Keyword arguments for ``gis_core.cases.act``."""
        out: dict = {}
        note = self.note.toPlainText().strip()
        if note:
            out["note"] = note
        if self.worker_radio is not None:
            if self.worker_radio.isChecked():
                out["assignee"] = self.worker.currentText().strip() or None
            else:
                out["department"] = self.department.currentData()
        if self.satisfaction is not None:
            if self.satisfaction.value():
                out["satisfaction"] = self.satisfaction.value()
            if self.comment.text().strip():
                out["comment"] = self.comment.text().strip()
        if self.attachments:
            out["attachments"] = self.attachments
        return out


class ReportEventDialog(QDialog):
    """A resident's report or a patrol finding at a clicked place."""

    def __init__(self, catalogue: Catalogue, where: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Cases", "Report an event"))
        form = QFormLayout(self)
        form.addRow(QCoreApplication.translate("Cases", "Where"), QLabel(where))
        self.category = QComboBox()
        self.category.setObjectName("category")
        for c in catalogue.categories.values():
            if c.active:
                self.category.addItem(f"{c.name} / {c.name_en}", c.code)
        form.addRow(QCoreApplication.translate("Cases", "Category"), self.category)
        self.source = QComboBox()
        self.source.setObjectName("source")
        for key, text in SOURCE_TEXT.items():
            self.source.addItem(tr(text), key)
        form.addRow(QCoreApplication.translate("Cases", "Source"), self.source)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setMaximumHeight(90)
        form.addRow(QCoreApplication.translate("Cases", "Description"), self.description)
        self.photos: list[str] = []
        pick = QPushButton(QCoreApplication.translate("Cases", "Add photos…"))
        self.photo_label = QLabel()
        pick.clicked.connect(self._pick)
        form.addRow(pick, self.photo_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _pick(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("Cases", "Add photos"),
            "",
            QCoreApplication.translate("Cases", "Images (*.jpg *.jpeg *.png);;All files (*)"),
        )
        self.photos = list(files)
        self.photo_label.setText(
            QCoreApplication.translate("Cases", "{0} file(s)").format(len(files))
        )

    def values(self) -> dict:
        return {
            "category": self.category.currentData(),
            "source": self.source.currentData(),
            "description": self.description.toPlainText().strip() or None,
            "photos": tuple(self.photos),
        }
