"""The data-quality panel: the legend of the quality layer (score per grid cell, red → green)
and the per-source table — records, completeness, validity, duplicates, conflicts, freshness,
score — with CSV export (:func:`gis_core.fusion.quality.write_csv`)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.layer_panel import legend_rows, symbol_icon
from gis_core.fusion.quality import QualityRow

__all__ = ["QualityPanel", "COLUMNS"]

COLUMNS = (
    ("name", QT_TRANSLATE_NOOP("Fusion", "Source")),
    ("department", QT_TRANSLATE_NOOP("Fusion", "Department")),
    ("records", QT_TRANSLATE_NOOP("Fusion", "Records")),
    ("completeness", QT_TRANSLATE_NOOP("Fusion", "Completeness")),
    ("validity", QT_TRANSLATE_NOOP("Fusion", "Validity")),
    ("duplicates", QT_TRANSLATE_NOOP("Fusion", "Duplicates")),
    ("conflicts", QT_TRANSLATE_NOOP("Fusion", "Conflicts")),
    ("freshness_days", QT_TRANSLATE_NOOP("Fusion", "Age (days)")),
    ("score", QT_TRANSLATE_NOOP("Fusion", "Score")),
)


def _fmt(key: str, value) -> str:
    if value is None:
        return "—"
    if key in ("completeness", "validity"):
        return f"{value * 100:.1f}%"
    if key == "score":
        return f"{value:.2f}"
    if key == "freshness_days":
        return f"{value:.0f}"
    return str(value)


class QualityPanel(QWidget):
    """Signals: ``exportRequested()``, ``refreshRequested()``."""

    exportRequested = Signal()
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fusionQualityPanel")
        self.status = QLabel()
        self.status.setObjectName("fusionQualityStatus")
        self.status.setWordWrap(True)
        self.legend_box = QGroupBox(self.tr("Data quality per grid cell"))
        self.legend_layout = QGridLayout(self.legend_box)
        self.legend_layout.setContentsMargins(6, 4, 6, 4)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("fusionQualityTable")
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("Fusion", t) for _k, t in COLUMNS]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refreshRequested.emit)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("fusionQualityExport")
        self.export_button.clicked.connect(self.exportRequested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.legend_box)
        lay.addWidget(QLabel(self.tr("Per source:")))
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.legend_box.hide()

    def set_rows(self, rows: list[QualityRow], departments: dict | None = None) -> None:
        sources = [r for r in rows if r.scope == "source"]
        cells = [r for r in rows if r.scope == "cell"]
        self.table.setRowCount(len(sources))
        for r, row in enumerate(sources):
            for c, (key, _t) in enumerate(COLUMNS):
                self.table.setItem(r, c, QTableWidgetItem(_fmt(key, getattr(row, key, None))))
            department = (departments or {}).get(row.name)
            if department:
                self.table.item(r, 0).setToolTip(department)
                self.table.setItem(r, 1, QTableWidgetItem(department))
        self.status.setText(
            self.tr("{0} sources, {1} grid cells with records.").format(len(sources), len(cells))
            if sources
            else self.tr("No fusion records in this store yet (zhiwang fusion import).")
        )

    def set_legend(self, layer) -> None:
        while self.legend_layout.count():
            item = self.legend_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if layer is None:
            self.legend_box.hide()
            return
        for r, (label, sym) in enumerate(legend_rows(layer)):
            swatch = QLabel()
            swatch.setPixmap(symbol_icon(sym, layer.geometry_type, 16).pixmap(16, 16))
            self.legend_layout.addWidget(swatch, r, 0)
            text = QLabel(label)
            text.setObjectName(f"fusionLegend_{r}")
            text.setProperty("fill", sym.fill)
            self.legend_layout.addWidget(text, r, 1)
        self.legend_layout.setColumnStretch(1, 1)
        self.legend_box.show()
