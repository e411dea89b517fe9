"""The layer panel: visibility checkboxes, drag-to-reorder, opacity and each layer's legend."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.names import value_label
from layers.style import Categorized, Graduated, SingleSymbol, legend_entries

__all__ = ["LayerPanel", "symbol_icon"]

LAYER_ROLE = Qt.ItemDataRole.UserRole + 1


def symbol_icon(symbol: SingleSymbol, geometry_type: str = "POLYGON", size: int = 16) -> QIcon:
    """A small swatch of a symbol: a filled square, a line or a marker."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(QColor(symbol.stroke), max(1.0, min(symbol.stroke_width, 3.0)))
    if "LINE" in geometry_type:
        p.setPen(QPen(QColor(symbol.stroke), max(1.5, min(symbol.stroke_width, 4.0))))
        p.drawLine(1, size - 4, size - 1, 4)
    elif "POINT" in geometry_type:
        p.setPen(pen)
        p.setBrush(QColor(symbol.fill) if symbol.fill else Qt.BrushStyle.NoBrush)
        r = size / 2 - 2
        if symbol.marker == "square":
            p.drawRect(2, 2, size - 4, size - 4)
        else:
            p.drawEllipse(int(size / 2 - r), int(size / 2 - r), int(2 * r), int(2 * r))
    else:
        p.setPen(pen)
        p.setBrush(QColor(symbol.fill) if symbol.fill else Qt.BrushStyle.NoBrush)
        p.drawRect(2, 2, size - 5, size - 5)
    p.end()
    return QIcon(pix)


def legend_rows(layer) -> list[tuple[str, SingleSymbol]]:
    """The legend of a layer with coded values translated (住宅, 诊所, …)."""
    style = layer.style
    rows = legend_entries(style)
    if isinstance(style, Categorized):
        out = []
        keys = [*style.categories, ""]
        for (label, sym), key in zip(rows, keys):
            if key == "" and any(s == sym for s in style.categories.values()):
                continue  # the default looks like a category ("other"): one row is enough
            if key == "":
                label = style.labels.get("", "") or _other()
            elif label == key:
                label = value_label(style.field, key)
            out.append((label, sym))
        return out
    if isinstance(style, Graduated):
        return [(value_label("legend", label), sym) for label, sym in rows]
    return rows


def _other() -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("LayerPanel", "Other")


class _LayerTree(QTreeWidget):
    orderChanged = Signal()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().dropEvent(event)
        self.orderChanged.emit()


class LayerPanel(QWidget):
    """Layers top-to-bottom as the user expects (the top of the list is drawn last).

    Signals: ``visibilityChanged(layer)``, ``opacityChanged(layer)``, ``orderChanged(layers)``
    (bottom-to-top, as the canvas wants them), ``styleRequested(layer)``,
    ``zoomRequested(layer)``, ``tableRequested(layer)``, ``currentChanged(layer)``.
    """

    visibilityChanged = Signal(object)
    opacityChanged = Signal(object)
    orderChanged = Signal(list)
    styleRequested = Signal(object)
    zoomRequested = Signal(object)
    tableRequested = Signal(object)
    currentChanged = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layers: dict[int, object] = {}
        self._updating = False
        self.tree = _LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(16, 16))
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.invisibleRootItem().setFlags(
            self.tree.invisibleRootItem().flags() | Qt.ItemFlag.ItemIsDropEnabled
        )
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.orderChanged.connect(self._emit_order)
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemDoubleClicked.connect(self._on_double_click)

        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setEnabled(False)
        self.opacity.valueChanged.connect(self._on_opacity)
        self.opacity_label = QLabel("100%")
        style_btn = QPushButton(self.tr("Style…"))
        style_btn.clicked.connect(lambda: self._emit_for_current(self.styleRequested))
        zoom_btn = QPushButton(self.tr("Zoom to layer"))
        zoom_btn.clicked.connect(lambda: self._emit_for_current(self.zoomRequested))
        table_btn = QPushButton(self.tr("Attribute table"))
        table_btn.clicked.connect(lambda: self._emit_for_current(self.tableRequested))
        self.buttons = (style_btn, zoom_btn, table_btn)
        for b in self.buttons:
            b.setEnabled(False)

        op_row = QHBoxLayout()
        op_row.addWidget(QLabel(self.tr("Opacity")))
        op_row.addWidget(self.opacity, 1)
        op_row.addWidget(self.opacity_label)
        btn_row = QHBoxLayout()
        for b in self.buttons:
            btn_row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(op_row)
        layout.addLayout(btn_row)

    # ------------------------------------------------------------ content
    def set_layers(self, layers_bottom_to_top: list) -> None:
        self._updating = True
        try:
            self.tree.clear()
            self._layers = {}
            for layer in reversed(layers_bottom_to_top):
                self._layers[id(layer)] = layer
                item = QTreeWidgetItem([layer.title])
                item.setData(0, LAYER_ROLE, id(layer))
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
                item.setCheckState(
                    0, Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
                )
                self.tree.addTopLevelItem(item)
                self._fill_legend(item, layer)
        finally:
            self._updating = False

    def update_legend(self, layer) -> None:
        item = self.item_of(layer)
        if item is None:
            return
        self._updating = True
        try:
            item.takeChildren()
            self._fill_legend(item, layer)
        finally:
            self._updating = False

    def _fill_legend(self, item: QTreeWidgetItem, layer) -> None:
        rows = legend_rows(layer)
        if len(rows) == 1 and rows[0][0] == "":
            item.setIcon(0, symbol_icon(rows[0][1], layer.geometry_type))
            return
        item.setIcon(0, QIcon())
        for label, sym in rows:
            child = QTreeWidgetItem([label])
            child.setIcon(0, symbol_icon(sym, layer.geometry_type))
            child.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.addChild(child)
        item.setExpanded(layer.kind in ("buildings", "facilities") or len(rows) <= 4)

    def layers_bottom_to_top(self) -> list:
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [self._layers[it.data(0, LAYER_ROLE)] for it in reversed(items)]

    def item_of(self, layer) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, LAYER_ROLE) == id(layer):
                return item
        return None

    def set_visible(self, layer, visible: bool) -> None:
        item = self.item_of(layer)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def current_layer(self):
        item = self.tree.currentItem()
        if item is not None and item.parent() is not None:
            item = item.parent()
        return None if item is None else self._layers.get(item.data(0, LAYER_ROLE))

    def select_layer(self, layer) -> None:
        item = self.item_of(layer)
        if item is not None:
            self.tree.setCurrentItem(item)

    # ------------------------------------------------------------ events
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or item.parent() is not None:
            return
        layer = self._layers.get(item.data(0, LAYER_ROLE))
        if layer is None:
            return
        visible = item.checkState(0) == Qt.CheckState.Checked
        if visible != layer.visible:
            layer.visible = visible
            self.visibilityChanged.emit(layer)

    def _emit_order(self) -> None:
        # Legend rows must never become layers: put anything dropped into a layer back on top.
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            for j in reversed(range(item.childCount())):
                child = item.child(j)
                if child.data(0, LAYER_ROLE) is not None:
                    item.takeChild(j)
                    self.tree.insertTopLevelItem(i, child)
        self.orderChanged.emit(self.layers_bottom_to_top())

    def _on_current(self, current, _previous) -> None:
        layer = self.current_layer()
        enabled = layer is not None
        for b in self.buttons:
            b.setEnabled(enabled)
        self.opacity.setEnabled(enabled)
        if layer is not None:
            self.opacity.blockSignals(True)
            self.opacity.setValue(round(layer.opacity * 100))
            self.opacity.blockSignals(False)
            self.opacity_label.setText(f"{round(layer.opacity * 100)}%")
        self.currentChanged.emit(layer)

    def _on_opacity(self, value: int) -> None:
        layer = self.current_layer()
        if layer is None:
            return
        layer.opacity = value / 100.0
        self.opacity_label.setText(f"{value}%")
        self.opacityChanged.emit(layer)

    def _on_double_click(self, item, _column) -> None:
        if item.parent() is None:
            layer = self._layers.get(item.data(0, LAYER_ROLE))
            if layer is not None:
                self.styleRequested.emit(layer)

    def _emit_for_current(self, signal) -> None:
        layer = self.current_layer()
        if layer is not None:
            signal.emit(layer)
