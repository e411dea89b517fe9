"""The style dialog of a layer: single symbol, categorised or graduated, with labels and a legend.

Values for categories and class breaks are read from the store on a worker thread.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.layer_panel import legend_rows, symbol_icon
from desktop.names import column_title, value_label
from desktop.tasks import TaskRunner
from layers.style import (
    Categorized,
    Graduated,
    LabelStyle,
    SingleSymbol,
    classify,
    color_ramp,
)

__all__ = ["StyleDialog", "PALETTE", "RAMPS"]

# Qualitative palette for categories (ColorBrewer Set3-like, readable on the light map).
PALETTE = (
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
)
RAMPS = {
    "oranges": ("#fff5eb", "#d94801"),
    "blues": ("#f7fbff", "#08519c"),
    "greens": ("#f7fcf5", "#006d2c"),
    "reds": ("#fff5f0", "#a50f15"),
    "purples": ("#fcfbfd", "#54278f"),
}
NUMERIC_SAMPLE_ROWS = 200_000


class ColorButton(QPushButton):
    """A button showing a colour; clicking it opens a colour chooser."""

    colorChanged = Signal(str)

    def __init__(self, color: str | None, allow_none: bool = False, parent=None):
        super().__init__(parent)
        self.allow_none = allow_none
        self.set_color(color)
        self.clicked.connect(self._choose)

    def color(self) -> str | None:
        return self._color

    def set_color(self, color: str | None) -> None:
        self._color = color
        pix = QPixmap(28, 14)
        pix.fill(QColor(color) if color else Qt.GlobalColor.transparent)
        self.setIcon(QIcon(pix))
        self.setText("" if color else self.tr("none"))

    def _choose(self) -> None:
        start = QColor(self._color) if self._color else QColor("#cccccc")
        chosen = QColorDialog.getColor(
            start, self, options=QColorDialog.ColorDialogOption.ShowAlphaChannel
        )
        if chosen.isValid():
            name = chosen.name(
                QColor.NameFormat.HexArgb if chosen.alpha() < 255 else QColor.NameFormat.HexRgb
            )
            self.set_color(name)
            self.colorChanged.emit(name)


class SymbolEditor(QWidget):
    """Fill, outline, width and marker size of one SingleSymbol."""

    changed = Signal()

    def __init__(self, symbol: SingleSymbol, geometry_type: str, parent=None):
        super().__init__(parent)
        self.base = symbol
        self.geometry_type = geometry_type
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.fill = ColorButton(symbol.fill, allow_none=True)
        self.no_fill = QCheckBox(self.tr("No fill"))
        self.no_fill.setChecked(symbol.fill is None)
        self.stroke = ColorButton(symbol.stroke)
        self.width = QDoubleSpinBox()
        self.width.setRange(0.0, 20.0)
        self.width.setSingleStep(0.2)
        self.width.setValue(symbol.stroke_width)
        self.size = QDoubleSpinBox()
        self.size.setRange(1.0, 64.0)
        self.size.setValue(symbol.marker_size)
        if "LINE" not in geometry_type:
            row = QHBoxLayout()
            row.addWidget(self.fill)
            row.addWidget(self.no_fill)
            form.addRow(self.tr("Fill"), row)
        form.addRow(
            self.tr("Outline") if "LINE" not in geometry_type else self.tr("Line"), self.stroke
        )
        form.addRow(self.tr("Width (px)"), self.width)
        if "POINT" in geometry_type:
            form.addRow(self.tr("Marker size (px)"), self.size)
        for w in (self.fill, self.stroke):
            w.colorChanged.connect(lambda _c: self.changed.emit())
        self.no_fill.toggled.connect(lambda _c: self.changed.emit())
        self.width.valueChanged.connect(lambda _v: self.changed.emit())
        self.size.valueChanged.connect(lambda _v: self.changed.emit())

    def symbol(self) -> SingleSymbol:
        fill = None if self.no_fill.isChecked() else (self.fill.color() or "#cccccc")
        return replace(
            self.base,
            fill=fill,
            stroke=self.stroke.color() or "#555555",
            stroke_width=float(self.width.value()),
            marker_size=float(self.size.value()),
        )


class StyleDialog(QDialog):
    """Edit a layer's style and label; ``applied(layer)`` after Apply or OK."""

    applied = Signal(object)

    def __init__(self, layer, runner: TaskRunner, parent=None):
        super().__init__(parent)
        self.layer = layer
        self.runner = runner
        self.setWindowTitle(self.tr("Style of {0}").format(layer.title))
        self.resize(560, 560)
        self._categories: dict[str, SingleSymbol] = {}
        self._cat_labels: dict[str, str] = {}
        self._graduated: Graduated | None = None
        style = layer.style
        base = _base_symbol(style)
        attrs = layer.store.attribute_names(layer.kind)

        self.kind_box = QComboBox()
        self.kind_box.addItem(self.tr("Single symbol"), "single")
        self.kind_box.addItem(self.tr("Categorised"), "categorized")
        self.kind_box.addItem(self.tr("Graduated"), "graduated")
        self.stack = QStackedWidget()

        # single
        self.single = SymbolEditor(base, layer.geometry_type)
        self.stack.addWidget(self.single)

        # categorised
        cat = QWidget()
        cat_l = QVBoxLayout(cat)
        row = QHBoxLayout()
        self.cat_field = QComboBox()
        for a in attrs:
            self.cat_field.addItem(column_title(a), a)
        self.cat_classify = QPushButton(self.tr("Classify"))
        self.cat_classify.clicked.connect(self._classify_categories)
        row.addWidget(QLabel(self.tr("Field")))
        row.addWidget(self.cat_field, 1)
        row.addWidget(self.cat_classify)
        cat_l.addLayout(row)
        self.cat_table = QTableWidget(0, 2)
        self.cat_table.setHorizontalHeaderLabels([self.tr("Symbol"), self.tr("Value")])
        self.cat_table.horizontalHeader().setStretchLastSection(True)
        self.cat_table.cellDoubleClicked.connect(self._edit_category_color)
        cat_l.addWidget(self.cat_table, 1)
        self.stack.addWidget(cat)

        # graduated
        grad = QWidget()
        grad_f = QFormLayout(grad)
        self.grad_field = QComboBox()
        numeric = [a for a in attrs if _is_numeric(layer.kind, a)]
        for a in numeric:
            self.grad_field.addItem(column_title(a), a)
        self.grad_classes = QSpinBox()
        self.grad_classes.setRange(2, 9)
        self.grad_classes.setValue(5)
        self.grad_method = QComboBox()
        self.grad_method.addItem(self.tr("Quantile"), "quantile")
        self.grad_method.addItem(self.tr("Equal interval"), "equal_interval")
        self.grad_ramp = QComboBox()
        ramp_names = {
            "oranges": self.tr("Oranges"),
            "blues": self.tr("Blues"),
            "greens": self.tr("Greens"),
            "reds": self.tr("Reds"),
            "purples": self.tr("Purples"),
        }
        for key, (a, b) in RAMPS.items():
            self.grad_ramp.addItem(_ramp_icon(a, b), ramp_names[key], key)
        self.grad_classify = QPushButton(self.tr("Classify"))
        self.grad_classify.clicked.connect(self._classify_graduated)
        grad_f.addRow(self.tr("Field"), self.grad_field)
        grad_f.addRow(self.tr("Classes"), self.grad_classes)
        grad_f.addRow(self.tr("Method"), self.grad_method)
        grad_f.addRow(self.tr("Colour ramp"), self.grad_ramp)
        grad_f.addRow("", self.grad_classify)
        self.stack.addWidget(grad)

        # labels
        label_box = QGroupBox(self.tr("Labels"))
        label_box.setCheckable(True)
        label_box.setChecked(layer.label is not None)
        lf = QFormLayout(label_box)
        self.label_field = QComboBox()
        for a in attrs:
            self.label_field.addItem(column_title(a), a)
        if layer.label is not None:
            self.label_field.setCurrentIndex(max(0, self.label_field.findData(layer.label.field)))
        self.label_size = QSpinBox()
        self.label_size.setRange(6, 48)
        self.label_size.setValue(layer.label.font_px if layer.label else 12)
        lf.addRow(self.tr("Field"), self.label_field)
        lf.addRow(self.tr("Size (px)"), self.label_size)
        self.label_box = label_box

        # legend preview
        self.legend = QListWidget()
        self.legend.setMaximumHeight(150)
        self.status = QLabel()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Renderer")))
        top.addWidget(self.kind_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(label_box)
        layout.addWidget(QLabel(self.tr("Legend")))
        layout.addWidget(self.legend)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.kind_box.currentIndexChanged.connect(self._on_kind)
        self.single.changed.connect(self._preview)
        # Start from the layer's current style.
        if isinstance(style, Categorized):
            self.kind_box.setCurrentIndex(1)
            self.cat_field.setCurrentIndex(max(0, self.cat_field.findData(style.field)))
            self._categories = dict(style.categories)
            self._cat_labels = dict(style.labels)
            self._cat_default = style.default
            self._fill_category_table()
        elif isinstance(style, Graduated):
            self.kind_box.setCurrentIndex(2)
            self.grad_field.setCurrentIndex(max(0, self.grad_field.findData(style.field)))
            self.grad_classes.setValue(len(style.symbols))
            self._graduated = style
        self._cat_default = getattr(self, "_cat_default", replace(base, fill="#d2d2d2"))
        self._on_kind()

    # ------------------------------------------------------------ building the style
    def style(self):
        kind = self.kind_box.currentData()
        if kind == "categorized" and self._categories:
            return Categorized(
                self.cat_field.currentData(),
                dict(self._categories),
                self._cat_default,
                dict(self._cat_labels),
            )
        if kind == "graduated" and self._graduated is not None:
            return self._graduated
        return self.single.symbol()

    def label_style(self) -> LabelStyle | None:
        if not self.label_box.isChecked():
            return None
        old = self.layer.label
        field = self.label_field.currentData()
        size = int(self.label_size.value())
        if old is not None:
            return replace(old, field=field, font_px=size)
        return LabelStyle(field, font_px=size)

    def apply(self) -> None:
        self.layer.style = self.style()
        self.layer.label = self.label_style()
        self.applied.emit(self.layer)

    def _ok(self) -> None:
        self.apply()
        self.accept()

    # ------------------------------------------------------------ categorised
    def _classify_categories(self) -> None:
        field = self.cat_field.currentData()
        store, kind = self.layer.store, self.layer.kind
        self.status.setText(self.tr("Reading values…"))
        self.cat_classify.setEnabled(False)

        def done(values: list) -> None:
            self.cat_classify.setEnabled(True)
            base = self.single.symbol()
            self._categories = {
                str(v): replace(base, fill=PALETTE[i % len(PALETTE)]) for i, v in enumerate(values)
            }
            self._cat_labels = {}
            self._fill_category_table()
            self.status.setText(self.tr("{0} categories").format(len(values)))
            self._preview()

        self.runner.submit(
            lambda: store.distinct(kind, field, limit=40),
            on_done=done,
            on_error=lambda exc: self._failed(exc, self.cat_classify),
        )

    def _fill_category_table(self) -> None:
        self.cat_table.setRowCount(len(self._categories))
        field = self.cat_field.currentData()
        for row, (value, sym) in enumerate(self._categories.items()):
            swatch = QTableWidgetItem(symbol_icon(sym, self.layer.geometry_type), "")
            swatch.setFlags(Qt.ItemFlag.ItemIsEnabled)
            text = QTableWidgetItem(value_label(field, value))
            text.setData(Qt.ItemDataRole.UserRole, value)
            text.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.cat_table.setItem(row, 0, swatch)
            self.cat_table.setItem(row, 1, text)

    def _edit_category_color(self, row: int, _column: int) -> None:
        value = self.cat_table.item(row, 1).data(Qt.ItemDataRole.UserRole)
        sym = self._categories[value]
        chosen = QColorDialog.getColor(QColor(sym.fill or sym.stroke), self)
        if chosen.isValid():
            self._categories[value] = replace(sym, fill=chosen.name())
            self._fill_category_table()
            self._preview()

    # ------------------------------------------------------------ graduated
    def _classify_graduated(self) -> None:
        field = self.grad_field.currentData()
        if field is None:
            self.status.setText(self.tr("This layer has no numeric field."))
            return
        store, kind = self.layer.store, self.layer.kind
        n = int(self.grad_classes.value())
        method = self.grad_method.currentData()
        ramp = RAMPS[self.grad_ramp.currentData()]
        template = self.single.symbol()
        self.status.setText(self.tr("Reading values…"))
        self.grad_classify.setEnabled(False)

        def work():
            frame = store.page(kind, [field], 0, NUMERIC_SAMPLE_ROWS)
            values = frame.columns[field]
            breaks = classify(values, n, method)
            colors = color_ramp(ramp[0], ramp[1], len(breaks) - 1)
            symbols = [replace(template, fill=c) for c in colors]
            return Graduated(field, breaks, symbols, missing=replace(template, fill="#eeeeee"))

        def done(style: Graduated) -> None:
            self.grad_classify.setEnabled(True)
            self._graduated = style
            self.status.setText(self.tr("{0} classes").format(len(style.symbols)))
            self._preview()

        self.runner.submit(
            work, on_done=done, on_error=lambda exc: self._failed(exc, self.grad_classify)
        )

    # ------------------------------------------------------------ shared
    def _failed(self, exc: BaseException, button: QPushButton) -> None:
        button.setEnabled(True)
        self.status.setText(self.tr("Could not read values: {0}").format(exc))

    def _on_kind(self, *_args) -> None:
        self.stack.setCurrentIndex(self.kind_box.currentIndex())
        self._preview()

    def _preview(self) -> None:
        self.legend.clear()

        class _Proxy:
            pass

        proxy = _Proxy()
        proxy.style = self.style()
        proxy.kind = self.layer.kind
        for label, sym in legend_rows(proxy):
            self.legend.addItem(
                QListWidgetItem(
                    symbol_icon(sym, self.layer.geometry_type), label or self.layer.title
                )
            )


def _base_symbol(style) -> SingleSymbol:
    if isinstance(style, SingleSymbol):
        return style
    if isinstance(style, Categorized):
        return style.default
    return style.symbols[0]


def _is_numeric(kind: str, column: str) -> bool:
    from gis_core import schema

    col = schema.KINDS[kind].__table__.columns[column]
    try:
        return col.type.python_type in (int, float) and not column.endswith("_id")
    except NotImplementedError:
        return False


def _ramp_icon(a: str, b: str) -> QIcon:
    pix = QPixmap(48, 12)
    from PySide6.QtGui import QLinearGradient, QPainter

    p = QPainter(pix)
    g = QLinearGradient(0, 0, 48, 0)
    g.setColorAt(0, QColor(a))
    g.setColorAt(1, QColor(b))
    p.fillRect(0, 0, 48, 12, g)
    p.end()
    return QIcon(pix)
