"""The dispatch board: one column per stage of the lifecycle, a card per case with its time left,
coloured by its time limit; the selected case's log underneath. Pure view — the controller
fills it and acts on its signals."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.texts import ACTION_TEXT, COLUMN_TEXT, SLA_TEXT, STATE_TEXT, tr
from gis_core.cases.board import BOARD_COLUMNS, CaseCard

__all__ = ["DispatchBoard", "SLA_BACKGROUNDS"]

SLA_BACKGROUNDS = {"overdue": "#ffd6d6", "due_soon": "#ffe9c7", "ok": "#ffffff", "none": "#f4f4f4"}
CARD_ROLE = Qt.ItemDataRole.UserRole


class DispatchBoard(QWidget):
    """Signals: ``caseSelected(int)``, ``zoomRequested(int)``, ``actionRequested(int, int, str)``
    (case id, the version shown, action)."""

    caseSelected = Signal(int)
    zoomRequested = Signal(int)
    actionRequested = Signal(int, int, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dispatchBoard")
        self.actions_for = lambda card: []  # set by the controller: allowed actions of a card
        self.blocked_for = lambda card: []  # set by desktop.access: (action, why) role lacks
        self.lists: dict[str, QListWidget] = {}
        self.headers: dict[str, QLabel] = {}
        self.cards: dict[int, CaseCard] = {}
        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setContentsMargins(2, 2, 2, 2)
        row.setSpacing(4)
        for key in BOARD_COLUMNS:
            col = QVBoxLayout()
            header = QLabel()
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet("font-weight: bold; padding: 3px; background: #e8edf3;")
            lst = QListWidget()
            lst.setObjectName(f"column_{key}")
            lst.setWordWrap(True)
            lst.setMinimumWidth(130)
            lst.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            lst.customContextMenuRequested.connect(lambda pos, lw=lst: self._menu(lw, pos))
            lst.itemSelectionChanged.connect(lambda lw=lst: self._on_selected(lw))
            lst.itemDoubleClicked.connect(
                lambda item: self.zoomRequested.emit(item.data(CARD_ROLE))
            )
            col.addWidget(header)
            col.addWidget(lst)
            row.addLayout(col)
            self.lists[key] = lst
            self.headers[key] = header
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("caseDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(
            QCoreApplication.translate("Cases", "Select a case to see its log.")
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(columns)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.set_cards({key: [] for key in BOARD_COLUMNS})

    # ------------------------------------------------------------------ filling
    def set_cards(self, columns: dict[str, list[CaseCard]]) -> None:
        selected = self.selected_case()
        self.cards = {c.id: c for cards in columns.values() for c in cards}
        for key, lst in self.lists.items():
            cards = columns.get(key, [])
            lst.blockSignals(True)
            lst.clear()
            for card in cards:
                item = QListWidgetItem(self._card_text(card))
                item.setData(CARD_ROLE, card.id)
                item.setBackground(QBrush(QColor(SLA_BACKGROUNDS[card.sla])))
                item.setToolTip(
                    f"{card.title}\n{tr(STATE_TEXT[card.state])} · {tr(SLA_TEXT[card.sla])}"
                )
                lst.addItem(item)
                if card.id == selected:
                    item.setSelected(True)
            lst.blockSignals(False)
            self.headers[key].setText(f"{tr(COLUMN_TEXT[key])} ({len(cards)})")

    def _card_text(self, card: CaseCard) -> str:
        lines = [f"#{card.id} {card.category_label}", card.title]
        who = card.handler or ""
        if card.grid_cell_id is not None:
            cell = QCoreApplication.translate("Cases", "Cell {0}").format(card.grid_cell_id)
            who = f"{cell} · {who}" if who else cell
        lines.append(who)
        if card.hours_left is not None:
            if card.hours_left < 0:
                lines.append(
                    QCoreApplication.translate("Cases", "Overdue by {0:.1f} h").format(
                        -card.hours_left
                    )
                )
            else:
                lines.append(
                    QCoreApplication.translate("Cases", "{0:.1f} h left").format(card.hours_left)
                )
        if card.level:
            lines.append(
                QCoreApplication.translate("Cases", "Escalation level {0}").format(card.level)
            )
        if card.proposed:
            lines.append(
                QCoreApplication.translate("Cases", "{0} possible duplicate(s) to confirm").format(
                    card.proposed
                )
            )
        return "\n".join(line for line in lines if line)

    def select_case(self, case_id: int) -> None:
        for lst in self.lists.values():
            for i in range(lst.count()):
                item = lst.item(i)
                if item.data(CARD_ROLE) == case_id:
                    lst.setCurrentItem(item)
                    lst.scrollToItem(item)
                    return

    def selected_case(self) -> int | None:
        for lst in self.lists.values():
            items = lst.selectedItems()
            if items:
                return int(items[0].data(CARD_ROLE))
        return None

    def card_item(self, case_id: int) -> QListWidgetItem | None:
        for lst in self.lists.values():
            for i in range(lst.count()):
                if lst.item(i).data(CARD_ROLE) == case_id:
                    return lst.item(i)
        return None

    def column_of(self, case_id: int) -> str | None:
        for key, lst in self.lists.items():
            if any(lst.item(i).data(CARD_ROLE) == case_id for i in range(lst.count())):
                return key
        return None

    # ------------------------------------------------------------------ interaction
    def _on_selected(self, lst: QListWidget) -> None:
        items = lst.selectedItems()
        if not items:
            return
        for other in self.lists.values():  # one selection across the columns
            if other is not lst:
                other.blockSignals(True)
                other.clearSelection()
                other.blockSignals(False)
        self.caseSelected.emit(int(items[0].data(CARD_ROLE)))

    def _menu(self, lst: QListWidget, pos) -> None:
        item = lst.itemAt(pos)
        if item is None:
            return
        card = self.cards.get(int(item.data(CARD_ROLE)))
        if card is None:
            return
        menu = self.menu_for(card)
        menu.exec(lst.viewport().mapToGlobal(pos))

    def menu_for(self, card: CaseCard) -> QMenu:
        menu = QMenu(self)
        names = self.actions_for(card)
        for name in names:
            act = menu.addAction(tr(ACTION_TEXT.get(name, name)))
            act.setObjectName(f"case_{name}")
            act.triggered.connect(
                lambda _=False, n=name: self.actionRequested.emit(card.id, card.version, n)
            )
        blocked = self.blocked_for(card)
        for name, why in blocked:  # listed, disabled, with the missing permission
            act = menu.addAction(tr(ACTION_TEXT.get(name, name)))
            act.setObjectName(f"case_{name}")
            act.setEnabled(False)
            act.setToolTip(why)
            act.setStatusTip(why)
        menu.setToolTipsVisible(True)
        if not names and not blocked:
            none = menu.addAction(
                QCoreApplication.translate("Cases", "Nothing you may do on this case now")
            )
            none.setEnabled(False)
        menu.addSeparator()
        zoom = menu.addAction(QCoreApplication.translate("Cases", "Show on the map"))
        zoom.triggered.connect(lambda: self.zoomRequested.emit(card.id))
        return menu
