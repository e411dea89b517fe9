"""The attributes form of a grid cell: code (checked as it is typed: format, community prefix,
unique), name, grid worker and phone, supervisor. OK pushes one undoable edit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.grid_editing.messages import problem_text
from gis_core.editing import SetAttributes
from gis_core.editing.codes import ATTRIBUTE_FIELDS, check_attributes

__all__ = ["CellAttributesDialog"]

translate = QCoreApplication.translate


class CellAttributesDialog(QDialog):
    """Edit one cell's attributes. ``proposed``: the cell was just made by a split or drawn
    inside another cell, and its code is the one proposed for it."""

    def __init__(self, controller, cell_id: int, parent: QWidget | None = None, proposed=False):
        super().__init__(parent)
        self.setObjectName("gridCellAttributes")
        self.controller = controller
        self.cell_id = cell_id
        cov = controller.coverage
        self.original = cov.attributes(cell_id)
        self.setWindowTitle(
            translate("GridEditing", "Attributes of cell {0}").format(self.original.code)
        )
        layout = QVBoxLayout(self)
        if proposed:
            hint = QLabel(
                translate(
                    "GridEditing",
                    "A new cell. Its code {0} is proposed (the next free one of the community); "
                    "give it a name and a grid worker.",
                ).format(self.original.code)
            )
            hint.setWordWrap(True)
            layout.addWidget(hint)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        labels = {
            "code": translate("GridEditing", "Code"),
            "name": translate("GridEditing", "Name"),
            "worker_name": translate("GridEditing", "Grid worker"),
            "worker_phone": translate("GridEditing", "Grid worker phone"),
            "supervisor": translate("GridEditing", "Supervisor"),
        }
        for name in ATTRIBUTE_FIELDS:
            edit = QLineEdit(getattr(self.original, name) or "")
            edit.setObjectName(f"cell_{name}")
            edit.textChanged.connect(self.validate)
            form.addRow(labels[name], edit)
            self.fields[name] = edit
        self.fields["code"].setPlaceholderText("610402-001-03")
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("cellAttributesProblem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d73027")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.validate()

    def values(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for name, edit in self.fields.items():
            text = edit.text().strip()
            out[name] = text if text or name in ("code", "name") else None
        return out

    def changes(self) -> dict[str, str | None]:
        return {
            k: v
            for k, v in self.values().items()
            if (getattr(self.original, k) or None) != (v or None)
        }

    def problems(self) -> list:
        cov = self.controller.coverage
        attrs = self.original.replace(**self.values())
        owner = cov.code_owner(attrs.code)
        taken = {attrs.code} if owner is not None and owner != self.cell_id else set()
        return check_attributes(attrs, cov.community_code, taken)

    def validate(self) -> bool:
        problems = self.problems()
        self.message.setText("\n".join(problem_text(p) for p in problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)
        return not problems

    def accept(self) -> None:
        if not self.validate():
            return
        changes = self.changes()
        if changes:
            problems = self.controller.push(SetAttributes(self.cell_id, **changes))
            if problems:
                self.message.setText("\n".join(problem_text(p) for p in problems))
                return
        super().accept()
