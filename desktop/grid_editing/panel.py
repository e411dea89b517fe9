"""The editing panel beside the map: undo/redo, what is wrong with the edit being drawn (why and
where), snapping, the impact preview (rows changing cell, per old → new cell), reason and save,
and after a refused save the conflict with a way out. Plus the history of a cell with restore."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.grid_editing.messages import problem_message, problem_text
from desktop.grid_editing.overlay import MINE, THEIRS
from gis_core.editing import Conflict

__all__ = ["EditPanel", "HistoryDialog", "KIND_NAMES"]

translate = QCoreApplication.translate

KIND_NAMES = {
    "buildings": QT_TRANSLATE_NOOP("GridEditing", "Buildings"),
    "residents": QT_TRANSLATE_NOOP("GridEditing", "Residents"),
    "enterprises": QT_TRANSLATE_NOOP("GridEditing", "Enterprises"),
    "facilities": QT_TRANSLATE_NOOP("GridEditing", "Facilities"),
    "cameras": QT_TRANSLATE_NOOP("GridEditing", "Cameras"),
    "sensors": QT_TRANSLATE_NOOP("GridEditing", "Sensors"),
    "events": QT_TRANSLATE_NOOP("GridEditing", "Open events"),
    "readings": QT_TRANSLATE_NOOP("GridEditing", "Readings"),
    "alarms": QT_TRANSLATE_NOOP("GridEditing", "Open alarms"),
}
SNAP_NAMES = {
    "vertex": QT_TRANSLATE_NOOP("GridEditing", "Cell vertices"),
    "edge": QT_TRANSLATE_NOOP("GridEditing", "Cell edges"),
    "corner": QT_TRANSLATE_NOOP("GridEditing", "Building corners"),
    "street": QT_TRANSLATE_NOOP("GridEditing", "Streets"),
}
ACTION_NAMES = {
    "original": QT_TRANSLATE_NOOP("GridEditing", "original"),
    "edit": QT_TRANSLATE_NOOP("GridEditing", "edited"),
    "create": QT_TRANSLATE_NOOP("GridEditing", "created"),
    "delete": QT_TRANSLATE_NOOP("GridEditing", "deleted"),
    "restore": QT_TRANSLATE_NOOP("GridEditing", "restored"),
}


def kind_name(kind: str) -> str:
    text = KIND_NAMES.get(kind)
    return translate("GridEditing", text) if text else kind


class EditPanel(QWidget):
    """Drives a :class:`GridEditController`: undo/redo, problems, snapping, impact, save,
    conflicts. ``locationRequested(x, y)`` asks the map to show a place (a problem, a
    conflict)."""

    locationRequested = Signal(float, float)
    boundsRequested = Signal(object)

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gridEditPanel")
        self.setMinimumWidth(380)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.session_label = QLabel()
        self.session_label.setWordWrap(True)
        layout.addWidget(self.session_label)

        buttons = QHBoxLayout()
        self.undo_button = QPushButton(translate("GridEditing", "Undo"))
        self.redo_button = QPushButton(translate("GridEditing", "Redo"))
        self.undo_button.clicked.connect(controller.undo_stack.undo)
        self.redo_button.clicked.connect(controller.undo_stack.redo)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        layout.addLayout(buttons)

        problem_row = QHBoxLayout()
        self.problem_label = QLabel()
        self.problem_label.setObjectName("gridEditProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #d73027")
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_problem_button = QPushButton(translate("GridEditing", "Show"))
        self.show_problem_button.setToolTip(
            translate("GridEditing", "Centre the map on the problem")
        )
        self.show_problem_button.clicked.connect(self._show_problem)
        self.show_problem_button.hide()
        problem_row.addWidget(self.problem_label, 1)
        problem_row.addWidget(self.show_problem_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(problem_row)

        snap_box = QGroupBox(translate("GridEditing", "Snapping"))
        snap_grid = QGridLayout(snap_box)
        self.snap_checks: dict[str, QCheckBox] = {}
        for i, kind in enumerate(("vertex", "edge", "corner", "street")):
            box = QCheckBox(translate("GridEditing", SNAP_NAMES[kind]))
            box.setChecked(kind in controller.snap_kinds)
            box.toggled.connect(self._on_snap_kinds)
            snap_grid.addWidget(box, i // 2, i % 2)
            self.snap_checks[kind] = box
        self.tolerance = QSpinBox()
        self.tolerance.setRange(1, 50)
        self.tolerance.setSuffix(translate("GridEditing", " px"))
        self.tolerance.setValue(int(controller.snap_tolerance_px))
        self.tolerance.valueChanged.connect(self._on_tolerance)
        snap_grid.addWidget(QLabel(translate("GridEditing", "Tolerance")), 2, 0)
        snap_grid.addWidget(self.tolerance, 2, 1)
        self.snap_status = QLabel()
        self.snap_status.setWordWrap(True)
        snap_grid.addWidget(self.snap_status, 3, 0, 1, 2)
        layout.addWidget(snap_box)

        layout.addWidget(QLabel(translate("GridEditing", "Changes of cell when saved:")))
        self.impact_total = QLabel()
        self.impact_total.setWordWrap(True)
        layout.addWidget(self.impact_total)
        self.impact_table = QTableWidget(0, 4)
        self.impact_table.setObjectName("gridEditImpact")
        self.impact_table.setHorizontalHeaderLabels(
            [
                translate("GridEditing", "What"),
                translate("GridEditing", "From cell"),
                translate("GridEditing", "To cell"),
                translate("GridEditing", "Count"),
            ]
        )
        self.impact_table.verticalHeader().setVisible(False)
        self.impact_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.impact_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.impact_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.impact_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.impact_table, 1)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText(translate("GridEditing", "Reason for the change"))
        layout.addWidget(self.reason)
        save_row = QHBoxLayout()
        self.save_button = QPushButton(translate("GridEditing", "Save"))
        self.discard_button = QPushButton(translate("GridEditing", "Discard"))
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.discard_button)
        layout.addLayout(save_row)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        self.conflict_box = QGroupBox(translate("GridEditing", "Not saved: conflict"))
        conflict_layout = QVBoxLayout(self.conflict_box)
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        conflict_layout.addWidget(self.conflict_label)
        legend = QLabel(
            f'<span style="color:{THEIRS.name()}">━━</span> '
            + translate("GridEditing", "theirs (saved by the other editor)")
            + f'<br><span style="color:{MINE.name()}">╍╍</span> '
            + translate("GridEditing", "mine (not saved)")
        )
        conflict_layout.addWidget(legend)
        conflict_buttons = QHBoxLayout()
        self.zoom_conflict_button = QPushButton(translate("GridEditing", "Show on map"))
        self.zoom_conflict_button.clicked.connect(self._show_conflict)
        self.rebase_button = QPushButton(
            translate("GridEditing", "Reload their changes and redo mine")
        )
        self.rebase_button.clicked.connect(self.rebase)
        conflict_buttons.addWidget(self.zoom_conflict_button)
        conflict_buttons.addWidget(self.rebase_button)
        conflict_layout.addLayout(conflict_buttons)
        layout.addWidget(self.conflict_box)
        self.conflict_box.hide()

        controller.changed.connect(self.refresh)
        controller.sessionChanged.connect(self.refresh)
        controller.problemsChanged.connect(self.show_problems)
        controller.conflicted.connect(self.show_conflict)
        controller.snapIndexReady.connect(self._update_snap_status)
        controller.undo_stack.indexChanged.connect(self._update_buttons)
        self.refresh()

    # ------------------------------------------------------------------ problems
    def show_problems(self, problems: list) -> None:
        self._problem = problems[0] if problems else None
        if not problems:
            self.problem_label.clear()
            self.show_problem_button.hide()
            return
        text = problem_message(problems[0], self.controller.coverage)
        if len(problems) > 1:
            text += " " + translate("GridEditing", "(and {0} more)").format(len(problems) - 1)
        self.problem_label.setText(text)
        self.show_problem_button.setVisible(problems[0].location is not None)

    def _show_problem(self) -> None:
        p = getattr(self, "_problem", None)
        if p is not None and p.location is not None:
            self.locationRequested.emit(float(p.location[0]), float(p.location[1]))

    # ------------------------------------------------------------------ snapping
    def _on_snap_kinds(self) -> None:
        order = ("vertex", "corner", "edge", "street")
        self.controller.snap_kinds = tuple(k for k in order if self.snap_checks[k].isChecked())

    def _on_tolerance(self, value: int) -> None:
        self.controller.snap_tolerance_px = float(value)

    def _update_snap_status(self) -> None:
        if self.controller.session is None:
            self.snap_status.clear()
        elif self.controller.snap_index is None:
            self.snap_status.setText(
                translate("GridEditing", "Loading buildings and streets for snapping…")
            )
        else:
            self.snap_status.setText(
                translate("GridEditing", "Snapping to buildings and streets is ready.")
            )

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        session = self.controller.session
        self.setEnabled(session is not None)
        self._update_snap_status()
        if session is None:
            self.session_label.setText(
                translate("GridEditing", "Not editing. Choose Edit grid → Edit grid cells.")
            )
            self.impact_table.setRowCount(0)
            self.impact_total.clear()
            self.conflict_box.hide()
            return
        cov = session.coverage
        self.session_label.setText(
            translate("GridEditing", "Editing the {0} cells of community {1} as {2}").format(
                len(cov), cov.community_code or "", session.editor or "—"
            )
        )
        self._update_buttons()
        dirty = session.dirty
        self.save_button.setEnabled(dirty)
        self.discard_button.setEnabled(dirty)
        impact = session.preview() if dirty else None
        rows = impact.summary(self._codes()) if impact is not None else []
        self.impact_table.setRowCount(len(rows))
        for r, (kind, old, new, n) in enumerate(rows):
            for c, value in enumerate((kind_name(kind), old, new, str(n))):
                item = QTableWidgetItem(value)
                if c == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.impact_table.setItem(r, c, item)
        if impact is None:
            self.impact_total.setText(
                translate("GridEditing", "No pending edits.") if not dirty else ""
            )
        elif not rows:
            self.impact_total.setText(translate("GridEditing", "Nothing changes cell."))
        else:
            totals = [f"{kind_name(k)} {impact.total(k)}" for k in impact.counts if impact.total(k)]
            self.impact_total.setText(
                translate("GridEditing", "Change cell: {0}").format(", ".join(totals))
            )
        if self.controller.conflict is None:
            self.conflict_box.hide()

    def _update_buttons(self) -> None:
        # Also on the stack's indexChanged: while an undo runs, the stack has not moved yet.
        stack = self.controller.undo_stack
        editing = self.controller.session is not None
        self.undo_button.setEnabled(editing and stack.canUndo())
        self.redo_button.setEnabled(editing and stack.canRedo())
        self.undo_button.setToolTip(stack.undoText())
        self.redo_button.setToolTip(stack.redoText())

    def _codes(self) -> dict[int, str]:
        cov = self.controller.coverage
        codes = {c: cov.attributes(c).code for c in cov.ids}
        for c, st in self.controller.session.net_change().before.items():
            if st is not None:
                codes.setdefault(c, st.attributes.code)
        return codes

    # ------------------------------------------------------------------ saving
    def save(self):
        if self.controller.session is None:
            return None
        result = self.controller.save(self.reason.text().strip() or None)
        if not isinstance(result, Conflict):
            self.reason.clear()
            self.conflict_box.hide()
            n = len(result.versions)
            moved = sum(result.reassigned.values()) if result.reassigned else 0
            self.status_label.setText(
                translate("GridEditing", "Saved: {0} cell(s) have a new version").format(n)
                + "; "
                + translate("GridEditing", "{0} row(s) re-assigned.").format(moved)
            )
        return result

    def discard(self) -> None:
        if self.controller.session is not None:
            self.controller.discard()
            self.status_label.setText(translate("GridEditing", "Edits discarded."))

    def show_conflict(self, conflict: Conflict) -> None:
        lines = []
        for c in conflict.cells:
            who = c.their_editor or translate("GridEditing", "someone")
            when = str(c.their_time or "")[:16]
            if c.theirs is None:
                lines.append(
                    translate("GridEditing", "{0}: deleted by {1} {2}").format(c.code, who, when)
                )
            else:
                lines.append(
                    translate("GridEditing", "{0}: changed by {1} {2} (version {3})").format(
                        c.code, who, when, c.their_version
                    )
                )
        if conflict.boundary_changed:
            lines.append(translate("GridEditing", "The community boundary was changed."))
        self.conflict_label.setText(
            translate(
                "GridEditing",
                "Not saved: someone else changed these cells since you opened them:",
            )
            + "\n"
            + "\n".join(lines)
        )
        self.conflict_box.show()
        self.status_label.clear()

    def _show_conflict(self) -> None:
        conflict = self.controller.conflict
        if conflict is None:
            return
        geoms = [g for c in conflict.cells for g in (c.theirs, c.mine, c.base) if g is not None]
        if geoms:
            import shapely

            self.boundsRequested.emit(tuple(shapely.total_bounds(geoms)))

    def rebase(self) -> None:
        report = self.controller.rebase()
        self.conflict_box.hide()
        if report.refused is not None:
            self.status_label.setText(
                translate("GridEditing", "Some of your edits no longer fit and were dropped:")
                + " "
                + problem_text(report.refused.problems[0])
            )
        else:
            self.status_label.setText(
                translate(
                    "GridEditing",
                    "Their changes are loaded and your {0} edit(s) redone on them.",
                ).format(report.replayed)
            )


class HistoryDialog(QDialog):
    """The versions of one cell, newest first; choosing one shows its outline on the map, and
    "Restore" makes it the cell's next version (an edit like any other: undo, then save)."""

    def __init__(self, controller, cell_id: int, parent: QWidget | None = None, overlay=None):
        super().__init__(parent)
        self.setObjectName("gridCellHistory")
        self.controller = controller
        self.cell_id = cell_id
        self.overlay = overlay
        self.versions = list(reversed(controller.session.history(cell_id)))
        code = self.versions[0].attributes.code if self.versions else str(cell_id)
        self.setWindowTitle(translate("GridEditing", "History of cell {0}").format(code))
        self.resize(720, 360)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(self.versions), 7)
        self.table.setHorizontalHeaderLabels(
            [
                translate("GridEditing", "Version"),
                translate("GridEditing", "Change"),
                translate("GridEditing", "When"),
                translate("GridEditing", "Editor"),
                translate("GridEditing", "Reason"),
                translate("GridEditing", "Code"),
                translate("GridEditing", "Area (m²)"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r, v in enumerate(self.versions):
            action = ACTION_NAMES.get(v.action)
            values = (
                str(v.version),
                translate("GridEditing", action) if action else str(v.action),
                str(v.edited_at or "")[:19],
                v.editor or "",
                v.reason or "",
                f"{v.attributes.code} {v.attributes.name or ''}".strip(),
                f"{v.geometry.area:,.0f}" if v.geometry is not None else "",
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.itemSelectionChanged.connect(self._on_selection)
        layout.addWidget(self.table)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d73027")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton(
            translate("GridEditing", "Restore this version"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _r: self._show(None))

    def select_version(self, version: int) -> None:
        for r, v in enumerate(self.versions):
            if v.version == version:
                self.table.selectRow(r)
                return

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def _on_selection(self) -> None:
        v = self._selected()
        latest = self.versions[0] if self.versions else None
        self.restore_button.setEnabled(v is not None and v is not latest)
        self._show(None if v is None else v.geometry)
        self.message.clear()

    def _show(self, geometry) -> None:
        if self.overlay is not None:
            self.overlay.set_history_geometry(geometry)

    def restore_selected(self) -> list:
        v = self._selected()
        if v is None:
            return []
        command = self.controller.session.restore_command(self.cell_id, v.version)
        problems = self.controller.push(command)
        if problems:
            self.message.setText(problem_message(problems[0], self.controller.coverage))
            return problems
        self.accept()
        return []
