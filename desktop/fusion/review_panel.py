"""The review queue panel (数据融合 → 冲突审核): open conflicts on the left; the selected one's
candidates side by side on the right — value, source, department, extraction date, trust — with
accept / reject / edit and a note. A possible match (two records just below the link threshold)
shows the two records side by side with "same entity" (link) / "keep apart".

The panel only shows and asks; :class:`desktop.fusion.controller.FusionController` loads the
queue, locates the entity on the map and sends decisions to :mod:`gis_core.fusion.review`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.fusion.data import QueueItem
from desktop.names import column_title, kind_title

__all__ = ["ReviewPanel", "field_title"]

PROPOSED = QColor("#e6f2ff")

# Fields of the golden records not named by desktop.names.
FIELD_TITLES = {
    "name": QT_TRANSLATE_NOOP("Fusion", "Name"),
    "household_code": QT_TRANSLATE_NOOP("Fusion", "Household number"),
    "birth_date": QT_TRANSLATE_NOOP("Fusion", "Date of birth"),
    "credit_code": QT_TRANSLATE_NOOP("Fusion", "Unified social credit code"),
    "match": QT_TRANSLATE_NOOP("Fusion", "Possible match"),
}


def _t(s: str) -> str:
    return QCoreApplication.translate("Fusion", s)


def field_title(name: str) -> str:
    if name in FIELD_TITLES:
        return _t(FIELD_TITLES[name])
    title = column_title(name)
    return title if title else name


class ReviewPanel(QWidget):
    """Signals: ``refreshRequested()``, ``itemSelected(object)`` (a QueueItem or None),
    ``decisionRequested(int, str, object, object, str)`` (review id, accept/reject/edit,
    candidate index or None, edited value or None, note), ``revealRequested(int)``."""

    refreshRequested = Signal()
    itemSelected = Signal(object)
    decisionRequested = Signal(int, str, object, object, str)
    revealRequested = Signal(int)

    ROWS = (
        ("value", QT_TRANSLATE_NOOP("Fusion", "Value")),
        ("sources", QT_TRANSLATE_NOOP("Fusion", "Source")),
        ("departments", QT_TRANSLATE_NOOP("Fusion", "Department")),
        ("extracted", QT_TRANSLATE_NOOP("Fusion", "Extracted on")),
        ("trust", QT_TRANSLATE_NOOP("Fusion", "Trust")),
        ("records", QT_TRANSLATE_NOOP("Fusion", "Records")),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fusionReviewPanel")
        self.items: list[QueueItem] = []
        self.current: QueueItem | None = None
        self.revealed: dict[int, list[str | None]] = {}
        self.may_decide = True
        self.may_unmask = False
        self._busy = False

        self.status = QLabel(self.tr("No store open"))
        self.status.setObjectName("fusionQueueStatus")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refreshRequested.emit)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh_button)

        self.queue = QTableWidget(0, 4)
        self.queue.setObjectName("fusionQueue")
        self.queue.setHorizontalHeaderLabels(
            [self.tr("No."), self.tr("Entity"), self.tr("Field"), self.tr("Candidates")]
        )
        self.queue.verticalHeader().hide()
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.queue.itemSelectionChanged.connect(self._on_queue_selection)

        self.heading = QLabel()
        self.heading.setObjectName("fusionItemHeading")
        self.heading.setWordWrap(True)
        self.candidates = QTableWidget(0, 0)
        self.candidates.setObjectName("fusionCandidates")
        self.candidates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.candidates.itemSelectionChanged.connect(self._update_buttons)
        self.reveal_button = QPushButton(self.tr("Show unmasked (logged)"))
        self.reveal_button.setObjectName("fusionReveal")
        self.reveal_button.clicked.connect(self._reveal)
        self.locate_label = QLabel()
        self.locate_label.setObjectName("fusionLocate")

        self.note = QLineEdit()
        self.note.setObjectName("fusionNote")
        self.note.setPlaceholderText(self.tr("Note for the decision log (why)"))
        self.edit_value = QLineEdit()
        self.edit_value.setObjectName("fusionEditValue")
        self.edit_value.setPlaceholderText(self.tr("Corrected value"))
        self.edit_value.textChanged.connect(self._update_buttons)
        self.accept_button = QPushButton(self.tr("Accept selected"))
        self.accept_button.setObjectName("fusionAccept")
        self.accept_button.clicked.connect(lambda: self._decide("accept"))
        self.reject_button = QPushButton(self.tr("Reject proposal"))
        self.reject_button.setObjectName("fusionReject")
        self.reject_button.clicked.connect(lambda: self._decide("reject"))
        self.edit_button = QPushButton(self.tr("Set edited value"))
        self.edit_button.setObjectName("fusionEdit")
        self.edit_button.clicked.connect(lambda: self._decide("edit"))
        self.why_disabled = QLabel()
        self.why_disabled.setObjectName("fusionWhyDisabled")
        self.why_disabled.setWordWrap(True)
        self.why_disabled.setStyleSheet("color: #a33;")

        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Note:")), 0, 0)
        form.addWidget(self.note, 0, 1, 1, 3)
        self.edit_label = QLabel(self.tr("Edit:"))
        form.addWidget(self.edit_label, 1, 0)
        form.addWidget(self.edit_value, 1, 1)
        form.addWidget(self.edit_button, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.heading)
        rl.addWidget(self.candidates, 1)
        row = QHBoxLayout()
        row.addWidget(self.locate_label, 1)
        row.addWidget(self.reveal_button)
        rl.addLayout(row)
        rl.addLayout(form)
        rl.addLayout(buttons)
        rl.addWidget(self.why_disabled)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.queue)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self._show_item(None)

    # ------------------------------------------------------------------ state from outside
    def set_access(self, may_decide: bool, may_unmask: bool, why: str = "") -> None:
        self.may_decide, self.may_unmask = may_decide, may_unmask
        self.why_disabled.setText("" if may_decide else why)
        self.why_disabled.setVisible(not may_decide and bool(why))
        self._update_buttons()

    def set_busy(self, busy: bool, message: str | None = None) -> None:
        self._busy = busy
        if message is not None:
            self.status.setText(message)
        self.refresh_button.setEnabled(not busy)
        self._update_buttons()

    def set_items(self, items: list[QueueItem]) -> None:
        """Show the queue; the item shown before stays selected if it is still open."""
        keep = self.current.id if self.current is not None else None
        self.items = list(items)
        self.revealed = {k: v for k, v in self.revealed.items() if any(i.id == k for i in items)}
        self.queue.blockSignals(True)
        self.queue.setRowCount(len(items))
        for r, it in enumerate(items):
            cands = " | ".join(
                (c.value or "—") if not it.is_match else self._match_summary(c)
                for c in it.candidates
            )
            cells = (
                f"#{it.id}",
                f"{kind_title(it.kind)} {it.entity_id}",
                field_title("match" if it.is_match else it.field),
                cands,
            )
            for c, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, it.id)
                self.queue.setItem(r, c, cell)
        self.queue.resizeColumnsToContents()
        self.queue.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.queue.blockSignals(False)
        self.status.setText(self.tr("{0} open conflicts").format(len(items)))
        row = next((r for r, it in enumerate(items) if it.id == keep), 0 if items else None)
        if row is None:
            self.queue.clearSelection()
            self._show_item(None)
            self.itemSelected.emit(None)
        else:
            self.queue.selectRow(row)  # emits through _on_queue_selection
            if self.current is None or self.current.id != items[row].id:
                self._on_queue_selection()

    def show_revealed(self, review_id: int, values: list[str | None]) -> None:
        self.revealed[review_id] = list(values)
        if self.current is not None and self.current.id == review_id:
            self._show_item(self.current)

    def set_location(self, text: str) -> None:
        self.locate_label.setText(text)

    # ------------------------------------------------------------------ showing an item
    @staticmethod
    def _match_summary(c) -> str:
        return " / ".join(v for v in c.values.values() if v) or (c.value or "—")

    def _on_queue_selection(self) -> None:
        rows = {i.row() for i in self.queue.selectedIndexes()}
        item = self.items[min(rows)] if rows and min(rows) < len(self.items) else None
        self._show_item(item)
        self.itemSelected.emit(item)

    def _show_item(self, item: QueueItem | None) -> None:
        self.current = item
        self.locate_label.clear()
        t = self.candidates
        t.clearSelection()
        if item is None:
            self.heading.setText(self.tr("Select a conflict on the left."))
            t.setRowCount(0)
            t.setColumnCount(0)
            self._update_buttons()
            return
        if item.is_match:
            heading = self.tr("#{0}: are these two records the same {1}?").format(
                item.id, kind_title(item.kind)
            )
            if item.probability is not None:
                # Rounded down: a pair below the link bar never reads "100%".
                shown = math.floor(item.probability * 100) / 100
                heading += " " + self.tr("(match probability {0:.0%})").format(shown)
            self.heading.setText(heading)
            self.accept_button.setText(self.tr("Same entity (link)"))
            self.reject_button.setText(self.tr("Keep apart"))
        else:
            self.heading.setText(
                self.tr("#{0}: {1} {2} — the sources disagree on “{3}”.").format(
                    item.id, kind_title(item.kind), item.entity_id, field_title(item.field)
                )
            )
            self.accept_button.setText(self.tr("Accept selected"))
            self.reject_button.setText(self.tr("Reject proposal"))
        self.edit_value.setVisible(not item.is_match)
        self.edit_label.setVisible(not item.is_match)
        self.edit_button.setVisible(not item.is_match)
        clear = self.revealed.get(item.id)
        rows = list(self.ROWS)
        if item.is_match:  # the records' own fields first, then where each comes from
            names = []
            for c in item.candidates:  # fields empty in both records say nothing
                names += [k for k, v in c.values.items() if v and k not in names]
            rows = [(n, None) for n in names] + rows[1:]
        t.setRowCount(len(rows))
        t.setColumnCount(len(item.candidates))
        t.setVerticalHeaderLabels([field_title(k) if lbl is None else _t(lbl) for k, lbl in rows])
        headers = []
        for k in range(len(item.candidates)):
            h = (
                self.tr("Record {0}").format(k + 1)
                if item.is_match
                else self.tr("Candidate {0}").format(k + 1)
            )
            if k == item.proposal and not item.is_match:
                h += " " + self.tr("(proposed)")
            headers.append(h)
        t.setHorizontalHeaderLabels(headers)
        for k, c in enumerate(item.candidates):
            for r, (key, _label) in enumerate(rows):
                if key == "value":
                    value = c.value if clear is None or k >= len(clear) else (clear[k] or "")
                elif key == "sources":
                    value = ", ".join(c.sources)
                elif key == "departments":
                    value = ", ".join(c.departments)
                elif key == "extracted":
                    value = c.extracted or "—"
                elif key == "trust":
                    value = "—" if c.trust is None else f"{c.trust:.2f}"
                elif key == "records":
                    value = str(c.records)
                else:
                    value = c.values.get(key, "") or ""
                cell = QTableWidgetItem(value)
                if k == item.proposal and not item.is_match:
                    cell.setBackground(QBrush(PROPOSED))
                t.setItem(r, k, cell)
        if item.is_match:
            pass  # both records are decided on together: no column to choose
        elif item.proposal is not None and 0 <= item.proposal < t.columnCount():
            t.selectColumn(item.proposal)
        elif t.columnCount():
            t.selectColumn(0)
        self._update_buttons()

    def selected_candidate(self) -> int | None:
        cols = {i.column() for i in self.candidates.selectedIndexes()}
        return min(cols) if cols else None

    def _update_buttons(self) -> None:
        item = self.current
        ok = item is not None and self.may_decide and not self._busy
        self.accept_button.setEnabled(
            ok and (item.is_match or self.selected_candidate() is not None)
        )
        self.reject_button.setEnabled(ok)
        self.edit_button.setEnabled(ok and bool(self.edit_value.text().strip()))
        self.note.setEnabled(ok)
        self.edit_value.setEnabled(ok)
        # The audited reveal shows a conflict's candidate values; a possible match's records have
        # no such values (core's reveal returns none for them), so it is not offered there.
        offered = item is not None and item.personal and not item.is_match and self.may_unmask
        can_reveal = offered and item.id not in self.revealed
        self.reveal_button.setVisible(offered)
        self.reveal_button.setEnabled(can_reveal and not self._busy)

    # ------------------------------------------------------------------ asking
    def _reveal(self) -> None:
        if self.current is not None:
            self.revealRequested.emit(self.current.id)

    def _decide(self, decision: str) -> None:
        item = self.current
        if item is None:
            return
        note = self.note.text().strip()
        if item.is_match:
            self.decisionRequested.emit(item.id, decision, None, None, note)
        elif decision == "edit":
            self.decisionRequested.emit(item.id, "edit", None, self.edit_value.text().strip(), note)
        elif decision == "accept":
            self.decisionRequested.emit(item.id, "accept", self.selected_candidate(), None, note)
        else:
            self.decisionRequested.emit(item.id, "reject", item.proposal, None, note)

    def decided(self) -> None:
        """The last decision was stored: clear the note and edited value."""
        self.note.clear()
        self.edit_value.clear()

    def texts(self) -> list[str]:
        """Every text the panel shows (tests scan these for clear personal data)."""
        out = [self.status.text(), self.heading.text(), self.locate_label.text()]
        for table in (self.queue, self.candidates):
            for r in range(table.rowCount()):
                for c in range(table.columnCount()):
                    cell = table.item(r, c)
                    if cell is not None:
                        out.append(cell.text())
        return out
