"""The side panel: search results and the attributes of the identified feature (personal data masked).

A building shows its residents too, for roles that may see residents; their names, ID numbers
and phones come masked from the store. Roles that may unmask get a "Show" button beside each
personal field; pressing it asks the window (``revealRequested``) to unmask that one field, which
the core records in the audit log.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.names import column_title, display_value, kind_title
from gis_core.masking import PERSONAL_FIELDS

__all__ = ["IdentifyPanel"]


class IdentifyPanel(QWidget):
    """``hitActivated(SearchHit)`` when the user picks a search result."""

    hitActivated = Signal(object)
    revealRequested = Signal(str, int, str)  # kind, feature id, personal field

    ROW_KEY = Qt.ItemDataRole.UserRole + 1  # (kind, id, column) of a row

    def __init__(self, parent=None):
        super().__init__(parent)
        self.results_label = QLabel(self.tr("Search results"))
        self.results = QListWidget()
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)
        self.title = QLabel(self.tr("Click a feature on the map to see its attributes."))
        self.title.setWordWrap(True)
        self.title.setObjectName("identifyTitle")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value"), ""])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
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
        self.show_personal = True  # residents listed (masked) under a building
        self.may_unmask = True  # "Show" buttons beside personal fields
        self.reveal_buttons: dict[tuple[str, int, str], QPushButton] = {}

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
        self.table.clearContents()
        self.table.setRowCount(0)
        self.reveal_buttons = {}

    def show_loading(self, layer_title: str) -> None:
        self.title.setText(self.tr("{0}: loading…").format(layer_title))

    def set_access(self, show_personal: bool, may_unmask: bool) -> None:
        """What the logged-in role may see here (desktop.access); clears the shown feature."""
        changed = (show_personal, may_unmask) != (self.show_personal, self.may_unmask)
        self.show_personal, self.may_unmask = show_personal, may_unmask
        if changed:
            self.clear()

    def show_feature(
        self,
        kind: str,
        layer_title: str,
        fid: int,
        values: dict,
        residents: list[tuple[int, dict]] | None = None,
        residents_total: int | None = None,
    ) -> None:
        """Show one feature's attributes (and a building's ``residents``: (id, values) pairs,
        the first ``residents_total`` if more live there); personal fields are masked (DESIGN:
        Store)."""
        self.title.setText(self.tr("{0} #{1}").format(layer_title, fid))
        self.table.clearContents()
        self.table.setRowCount(0)
        self.reveal_buttons = {}
        for column, value in [("id", fid), *values.items()]:
            self._add_row(kind, fid, column, value, key=column)
        if residents is not None and self.show_personal:
            total = max(residents_total or 0, len(residents))
            if total > len(residents):
                heading = self.tr("Residents: the first {0} of {1}").format(len(residents), total)
            else:
                heading = self.tr("Residents: {0}").format(total)
            self._add_heading(heading)
            for rid, attrs in residents:
                self._add_heading(self.tr("Resident #{0}").format(rid), minor=True)
                for column, value in attrs.items():
                    self._add_row("residents", rid, column, value, key=None)
        self.table.resizeRowsToContents()

    def _add_heading(self, text: str, minor: bool = False) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        item = QTableWidgetItem(text)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        if not minor:
            item.setBackground(self.palette().alternateBase())
        self.table.setItem(r, 0, item)
        self.table.setSpan(r, 0, 1, 3)

    def _add_row(self, kind: str, fid: int, column: str, value, key: str | None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        name = QTableWidgetItem(column_title(column))
        name.setData(Qt.ItemDataRole.UserRole, key)
        name.setData(self.ROW_KEY, (kind, int(fid), column))
        self.table.setItem(r, 0, name)
        self.table.setItem(r, 1, QTableWidgetItem(display_value(kind, column, value)))
        # Only fields the store masks can be unmasked (and audited) by the core's reveal.
        if self.may_unmask and column in PERSONAL_FIELDS.get(kind, {}) and value not in (None, ""):
            button = QPushButton(self.tr("Show"))
            button.setObjectName(f"reveal_{kind}_{fid}_{column}")
            button.setToolTip(self.tr("Show the full value; this is recorded in the audit log"))
            button.setAutoDefault(False)
            button.clicked.connect(
                lambda _c=False, k=kind, i=int(fid), c=column: self._request_reveal(k, i, c)
            )
            self.table.setCellWidget(r, 2, button)
            self.reveal_buttons[(kind, int(fid), column)] = button

    def _request_reveal(self, kind: str, fid: int, column: str) -> None:
        button = self.reveal_buttons.get((kind, fid, column))
        if button is not None:
            button.setEnabled(False)
        self.revealRequested.emit(kind, fid, column)

    def _row_of(self, kind: str, fid: int, column: str) -> int | None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(self.ROW_KEY) == (kind, int(fid), column):
                return r
        return None

    def show_revealed(self, kind: str, fid: int, column: str, value) -> None:
        """Put an unmasked value in place of the masked one (until another feature is shown)."""
        r = self._row_of(kind, fid, column)
        if r is None:
            return
        self.table.item(r, 1).setText("" if value is None else str(value))
        button = self.reveal_buttons.get((kind, int(fid), column))
        if button is not None:
            button.setText(self.tr("Shown"))
            button.setEnabled(False)
            button.setToolTip(self.tr("Unmasked; recorded in the audit log"))

    def reveal_failed(self, kind: str, fid: int, column: str, message: str) -> None:
        button = self.reveal_buttons.get((kind, int(fid), column))
        if button is not None:
            button.setEnabled(True)
            button.setToolTip(message)
        self.title.setToolTip(message)

    def reveal_button(self, kind: str, fid: int, column: str) -> QPushButton | None:
        return self.reveal_buttons.get((kind, int(fid), column))

    def value_of(self, column: str, kind: str | None = None, fid: int | None = None) -> str | None:
        """The shown (masked, formatted) value of ``column`` of the feature (or, with ``kind``
        and ``fid``, of that resident listed under it) — for tests and copy."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is None:
                continue
            if kind is None and item.data(Qt.ItemDataRole.UserRole) == column:
                return self.table.item(r, 1).text()
            if kind is not None and item.data(self.ROW_KEY) == (kind, fid, column):
                return self.table.item(r, 1).text()
        return None
