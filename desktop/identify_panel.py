"""The side panel: search results and the attributes of the identified feature (personal data masked)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.names import column_title, display_value, kind_title

__all__ = ["IdentifyPanel"]


class IdentifyPanel(QWidget):
    """``hitActivated(SearchHit)`` when the user picks a search result."""

    hitActivated = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results_label = QLabel(self.tr("Search results"))
        self.results = QListWidget()
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)
        self.title = QLabel(self.tr("Click a feature on the map to see its attributes."))
        self.title.setWordWrap(True)
        self.title.setObjectName("identifyTitle")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.results_label)
        tl.addWidget(self.results)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.title)
        bl.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([140, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.hits: list = []

    # ------------------------------------------------------------ search results
    def show_hits(self, hits: list, query: str) -> None:
        self.hits = list(hits)
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{kind_title(hit.kind)} · {hit.label}")
            item.setData(Qt.ItemDataRole.UserRole, self.results.count())
            self.results.addItem(item)
        if hits:
            self.results_label.setText(
                self.tr("Search results for “{0}”: {1}").format(query, len(hits))
            )
            self.results.setCurrentRow(0)
        else:
            self.results_label.setText(self.tr("Nothing found for “{0}”").format(query))

    def clear_hits(self) -> None:
        self.hits = []
        self.results.clear()
        self.results_label.setText(self.tr("Search results"))

    def _activate(self, item: QListWidgetItem) -> None:
        i = item.data(Qt.ItemDataRole.UserRole)
        if i is not None and 0 <= i < len(self.hits):
            self.hitActivated.emit(self.hits[i])

    # ------------------------------------------------------------ attributes
    def clear(self, missed: bool = False) -> None:
        """Empty the attributes; ``missed``: the user clicked where no feature is."""
        if missed:
            self.title.setText(
                self.tr("Nothing here. Click a feature on the map to see its attributes.")
            )
        else:
            self.title.setText(self.tr("Click a feature on the map to see its attributes."))
        self.table.setRowCount(0)

    def show_loading(self, layer_title: str) -> None:
        self.title.setText(self.tr("{0}: loading…").format(layer_title))

    def show_feature(self, kind: str, layer_title: str, fid: int, values: dict) -> None:
        """Show one feature's attributes; personal fields are masked (DESIGN: Store)."""
        self.title.setText(self.tr("{0} #{1}").format(layer_title, fid))
        rows = [("id", fid), *values.items()]
        self.table.setRowCount(len(rows))
        for r, (column, value) in enumerate(rows):
            name = QTableWidgetItem(column_title(column))
            name.setData(Qt.ItemDataRole.UserRole, column)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem(display_value(kind, column, value)))
        self.table.resizeRowsToContents()

    def value_of(self, column: str) -> str | None:
        """The shown (masked, formatted) value of ``column`` — for tests and copy."""
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == column:
                return self.table.item(r, 1).text()
        return None
