"""The attribute table of a layer: a lazy model paged from the store, sorted and filtered by the store.

Rows arrive a page at a time on a worker thread (``canFetchMore`` / ``fetchMore``), so a table of a
million buildings opens at once and grows as the user scrolls. Sorting and filtering re-query the
store (ORDER BY / WHERE run in the database). The selection is kept as a set of feature ids so it
stays in step with the map both ways, also for rows that have not been loaded yet.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.names import column_title, display_value
from desktop.tasks import TaskRunner
from gis_core.store import Store

__all__ = ["AttributeTableModel", "AttributeTable", "PAGE_ROWS"]

PAGE_ROWS = 500


class AttributeTableModel(QAbstractTableModel):
    """Rows of one layer kind, fetched from ``store`` a page at a time off the GUI thread."""

    pageLoaded = Signal(int)  # rows loaded so far
    totalCounted = Signal(int)  # rows matching the filter
    loadFailed = Signal(str)

    def __init__(self, store: Store, kind: str, runner: TaskRunner, parent=None):
        super().__init__(parent)
        self.store = store
        self.kind = kind
        self.runner = runner
        self.attributes = store.attribute_names(kind)
        self.columns = ["id", *self.attributes]
        self.order_by: list[tuple[str, bool]] = []
        self.filter: list[tuple[str, str, object]] = []
        self._pages: list[tuple[np.ndarray, dict[str, np.ndarray]]] = []
        self._rows = 0
        self._row_of: dict[int, int] = {}
        self._exhausted = False
        self._fetching = False
        self._query = 0
        self._count_query = 0
        self.total: int | None = None
        self._count_total()

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(
                self.kind, self.columns[index.column()], self.raw(index.row(), index.column())
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self.raw(index.row(), index.column())
            if isinstance(value, int | float | np.number) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_title(self.columns[section])
        return str(section + 1)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802, B008 (Qt API)
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802, B008 (Qt API)
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        query, offset = self._query, self._rows
        store, kind, attrs = self.store, self.kind, list(self.attributes)
        order, flt = list(self.order_by), list(self.filter)
        self.runner.submit(
            lambda: store.page(kind, attrs, offset, PAGE_ROWS, order, flt),
            on_done=lambda frame: self._append(query, frame),
            on_error=lambda exc: self._failed(query, exc),
        )

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or column >= len(self.columns):
            return
        desc = order == Qt.SortOrder.DescendingOrder
        new = [(self.columns[column], desc)]
        if new != self.order_by:
            self.order_by = new
            self.reload(count=False)

    # ------------------------------------------------------------ ours
    def set_filter(self, filter: Iterable[tuple[str, str, object]]) -> None:
        """Show only rows matching ``filter`` (``(column, op, value)`` triples, see Store.page)."""
        self.filter = list(filter)
        self.reload(count=True)

    def reload(self, count: bool = True) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._rows = 0
        self._row_of.clear()
        self._exhausted = False
        self._fetching = False
        self._query += 1
        self.endResetModel()
        if count:
            self._count_total()
        self.fetchMore()

    def is_loading(self) -> bool:
        return self._fetching

    def fully_loaded(self) -> bool:
        return self._exhausted

    def raw(self, row: int, column: int):
        ids, cols = self._pages[row // PAGE_ROWS]
        i = row % PAGE_ROWS
        if column == 0:
            return int(ids[i])
        value = cols[self.columns[column]][i]
        return value.item() if isinstance(value, np.generic) else value

    def id_at(self, row: int) -> int:
        ids, _ = self._pages[row // PAGE_ROWS]
        return int(ids[row % PAGE_ROWS])

    def row_of(self, fid: int) -> int | None:
        """The row of a loaded feature, None if it is not (yet) loaded or filtered out."""
        return self._row_of.get(int(fid))

    def _count_total(self) -> None:
        self._count_query += 1
        query = self._count_query
        store, kind, flt = self.store, self.kind, list(self.filter)

        def done(n: int) -> None:
            if query == self._count_query:
                self.total = n
                self.totalCounted.emit(n)

        self.total = None
        self.runner.submit(
            lambda: store.count_where(kind, flt), on_done=done, on_error=lambda e: None
        )

    def _append(self, query: int, frame) -> None:
        if query != self._query:
            return  # a page of an older sort or filter
        self._fetching = False
        n = len(frame)
        if n < PAGE_ROWS:
            self._exhausted = True
        if n:
            first = self._rows
            self.beginInsertRows(QModelIndex(), first, first + n - 1)
            self._pages.append((frame.ids, frame.columns))
            self._row_of.update(zip(frame.ids.tolist(), range(first, first + n)))
            self._rows += n
            self.endInsertRows()
        self.pageLoaded.emit(self._rows)

    def _failed(self, query: int, exc: BaseException) -> None:
        if query != self._query:
            return
        self._fetching = False
        self._exhausted = True
        self.loadFailed.emit(str(exc))


class AttributeTable(QWidget):
    """A layer's attribute table with a filter bar; ``selectionChanged(kind, ids)`` when the
    user selects rows, :meth:`select_ids` to follow a selection made on the map."""

    selectionChanged = Signal(str, object)  # kind, frozenset of ids
    zoomRequested = Signal(str, object)  # kind, frozenset of ids

    OPS = ("=", "!=", "<", "<=", ">", ">=", "contains", "starts", "is null", "not null")

    def __init__(self, store: Store, kind: str, runner: TaskRunner, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.model = AttributeTableModel(store, kind, runner, self)
        self._selected: frozenset = frozenset()
        self._syncing = False

        self.column_box = QComboBox()
        for col in self.model.columns:
            self.column_box.addItem(column_title(col), col)
        self.op_box = QComboBox()
        op_names = {
            "=": "=",
            "!=": "≠",
            "<": "<",
            "<=": "≤",
            ">": ">",
            ">=": "≥",
            "contains": self.tr("contains"),
            "starts": self.tr("starts with"),
            "is null": self.tr("is empty"),
            "not null": self.tr("is not empty"),
        }
        for op in self.OPS:
            self.op_box.addItem(op_names[op], op)
        self.op_box.setCurrentIndex(self.OPS.index("contains"))
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText(self.tr("Value"))
        self.value_edit.returnPressed.connect(self.apply_filter)
        apply = QPushButton(self.tr("Filter"))
        apply.clicked.connect(self.apply_filter)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.clear_filter)
        zoom = QPushButton(self.tr("Zoom to selection"))
        zoom.clicked.connect(lambda: self.zoomRequested.emit(self.kind, self._selected))
        self.status = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Filter:")))
        bar.addWidget(self.column_box)
        bar.addWidget(self.op_box)
        bar.addWidget(self.value_edit, 1)
        bar.addWidget(apply)
        bar.addWidget(clear)
        bar.addWidget(zoom)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Ascending by id to start with (Qt's default indicator would sort descending).
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setAlternatingRowColors(True)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.pageLoaded.connect(lambda _n: self._update_status())
        self.model.totalCounted.connect(lambda _n: self._update_status())
        self.model.loadFailed.connect(
            lambda msg: self.status.setText(self.tr("Loading failed: {0}").format(msg))
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.model.fetchMore()
        self._update_status()

    # ------------------------------------------------------------ filter
    def apply_filter(self) -> None:
        column = self.column_box.currentData()
        op = self.op_box.currentData()
        value = self.value_edit.text()
        if op not in ("is null", "not null") and value == "":
            self.clear_filter()
            return
        self.model.set_filter([(column, op, value)])

    def clear_filter(self) -> None:
        self.value_edit.clear()
        self.model.set_filter([])

    def _update_status(self) -> None:
        loaded = self.model.rowCount()
        total = self.model.total
        if total is None:
            text = self.tr("{0} rows loaded").format(f"{loaded:,}")
        else:
            text = self.tr("{0} of {1} rows loaded").format(f"{loaded:,}", f"{total:,}")
        if self._selected:
            text += " · " + self.tr("{0} selected").format(f"{len(self._selected):,}")
        self.status.setText(text)

    # ------------------------------------------------------------ selection sync
    def selected_ids(self) -> frozenset:
        return self._selected

    def select_ids(self, ids: Iterable[int], scroll: bool = True) -> None:
        """Select the rows of ``ids`` (a selection made on the map); rows loaded later follow."""
        self._selected = frozenset(int(i) for i in ids)
        self._apply_selection(scroll)
        self._update_status()

    def _apply_selection(self, scroll: bool) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        rows = sorted(r for r in (self.model.row_of(i) for i in self._selected) if r is not None)
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._syncing = False
        if scroll and rows:
            self.view.scrollTo(self.model.index(rows[0], 0))

    def _on_rows_inserted(self, _parent, first: int, last: int) -> None:
        if any(
            (r := self.model.row_of(i)) is not None and first <= r <= last for i in self._selected
        ):
            self._apply_selection(scroll=False)

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        rows = {idx.row() for idx in self.view.selectionModel().selectedRows()}
        loaded_ids = frozenset(self.model.id_at(r) for r in rows)
        self._selected = loaded_ids
        self._update_status()
        self.selectionChanged.emit(self.kind, loaded_ids)
