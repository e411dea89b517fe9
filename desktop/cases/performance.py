"""Staff, department and cell performance in the window: one month's figures from the case step
log (:func:`gis_core.cases.monthly_report`) as bar charts (one pyqtgraph ``BarGraphItem`` per
figure) and a table, with the monthly report exported as PDF or CSV.

The dialog does no store work itself: ``load(month)`` and ``export(month, path)`` are handed in
(the cases controller runs them on its task runner) and the result comes back through
:meth:`PerformanceDialog.show_report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.texts import tr

__all__ = ["PerformanceDialog", "METRICS", "GROUP_TEXT", "metric_values"]

GROUP_TEXT = {
    "worker": QT_TRANSLATE_NOOP("Cases", "Grid workers"),
    "department": QT_TRANSLATE_NOOP("Cases", "Departments"),
    "cell": QT_TRANSLATE_NOOP("Cases", "Grid cells"),
}
# (attribute of GroupFigures, title, scale for the bars: shares are shown in %)
METRICS: tuple[tuple[str, str, float], ...] = (
    ("cases_handled", QT_TRANSLATE_NOOP("Cases", "Cases handled"), 1.0),
    ("on_time_share", QT_TRANSLATE_NOOP("Cases", "Steps within time limits (%)"), 100.0),
    ("median_hours", QT_TRANSLATE_NOOP("Cases", "Median time per step (h)"), 1.0),
    ("first_check_share", QT_TRANSLATE_NOOP("Cases", "Closed on first check (%)"), 100.0),
    ("reopened_share", QT_TRANSLATE_NOOP("Cases", "Reopened (%)"), 100.0),
    ("satisfaction", QT_TRANSLATE_NOOP("Cases", "Satisfaction (1–5)"), 1.0),
)
COLORS = ("#3b7dd8", "#2e9d5b", "#d88a1f", "#7a4fc4", "#c8463d", "#1f9fb4")


def metric_values(rows, attr: str, scale: float = 1.0) -> np.ndarray:
    """The bar heights of one figure: ``nan`` where a row has no figure (no bar is drawn)."""
    out = np.full(len(rows), np.nan)
    for i, r in enumerate(rows):
        v = getattr(r, attr)
        if v is not None:
            out[i] = float(v) * scale
    return out


def _cell(v, scale: float) -> str:
    if v is None:
        return "—"
    if isinstance(v, int) and scale == 1.0:
        return str(v)
    return f"{float(v) * scale:.1f}"


class PerformanceDialog(QDialog):
    """Pick a month and a group (workers, departments, cells); see the bars and the table."""

    def __init__(
        self,
        parent: QWidget | None,
        load: Callable[[str], None],
        export: Callable[[str, str], None],
    ):
        super().__init__(parent)
        self.setObjectName("performanceDialog")
        self.setWindowTitle(QCoreApplication.translate("Cases", "Staff and department performance"))
        self.load = load
        self.export = export
        self.report = None
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.plots: dict[str, pg.PlotItem] = {}

        self.month = QLineEdit(self)
        self.month.setObjectName("performanceMonth")
        last = dt.date.today().replace(day=1) - dt.timedelta(days=1)
        self.month.setText(last.strftime("%Y-%m"))
        self.month.setPlaceholderText("YYYY-MM")
        self.month.setMaximumWidth(100)
        self.month.returnPressed.connect(self.reload)
        self.group = QComboBox(self)
        self.group.setObjectName("performanceGroup")
        for key, text in GROUP_TEXT.items():
            self.group.addItem(tr(text), key)
        self.group.currentIndexChanged.connect(self._redraw)
        show = QPushButton(QCoreApplication.translate("Cases", "Show"), self)
        show.clicked.connect(self.reload)
        pdf = QPushButton(QCoreApplication.translate("Cases", "Export PDF…"), self)
        pdf.clicked.connect(lambda: self._export("pdf"))
        csv = QPushButton(QCoreApplication.translate("Cases", "Export CSV…"), self)
        csv.clicked.connect(lambda: self._export("csv"))
        self.status = QLabel(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(QCoreApplication.translate("Cases", "Month:"), self))
        top.addWidget(self.month)
        top.addWidget(QLabel(QCoreApplication.translate("Cases", "By:"), self))
        top.addWidget(self.group)
        top.addWidget(show)
        top.addStretch(1)
        top.addWidget(pdf)
        top.addWidget(csv)

        charts = QWidget(self)
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (attr, title, _scale) in enumerate(METRICS):
            w = pg.PlotWidget(background="w")
            w.setObjectName(f"chart_{attr}")
            w.setMinimumHeight(150)
            plot = w.getPlotItem()
            plot.setTitle(tr(title), size="9pt")
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(y=True, alpha=0.3)
            bar = pg.BarGraphItem(x=[], height=[], width=0.6, brush=COLORS[i % len(COLORS)])
            plot.addItem(bar)
            self.plots[attr] = plot
            self.bars[attr] = bar
            grid.addWidget(w, i // 3, i % 3)

        self.table = QTableWidget(self)
        self.table.setObjectName("performanceTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setColumnCount(1 + len(METRICS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("Cases", "Name")] + [tr(t) for _, t, _ in METRICS]
        )

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(charts)
        split.addWidget(self.table)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        self.resize(1000, 700)

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        month = self.month.text().strip()
        self.status.setText(QCoreApplication.translate("Cases", "Computing {0}…").format(month))
        self.load(month)

    def show_report(self, report) -> None:
        """Show a :class:`gis_core.cases.MonthlyReport`."""
        self.report = report
        self.month.setText(report.month)
        total = report.table.total
        self.status.setText(
            QCoreApplication.translate(
                "Cases", "{0}: {1} case(s) handled, {2} closed, {3} step(s)"
            ).format(report.month, total.cases_handled, total.closed, total.steps)
        )
        self._redraw()

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def rows(self) -> list:
        if self.report is None:
            return []
        return self.report.table.rows(self.group.currentData())

    def _redraw(self) -> None:
        rows = self.rows()
        labels = [r.label or r.key for r in rows]
        x = np.arange(len(rows), dtype=float)
        ticks = [list(zip(x.tolist(), labels))]
        for attr, _title, scale in METRICS:
            heights = metric_values(rows, attr, scale)
            keep = ~np.isnan(heights)
            self.bars[attr].setOpts(x=x[keep], height=heights[keep], width=0.6)
            plot = self.plots[attr]
            plot.getAxis("bottom").setTicks(ticks)
            if len(rows):
                plot.setXRange(-0.6, len(rows) - 0.4, padding=0)
                top = float(np.nanmax(heights)) if keep.any() else 1.0
                plot.setYRange(0, max(top * 1.1, 100.0 if scale == 100.0 else 1.0), padding=0)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(labels[i]))
            for j, (attr, _t, scale) in enumerate(METRICS, start=1):
                item = QTableWidgetItem(_cell(getattr(r, attr), scale))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def _export(self, kind: str) -> None:
        month = self.month.text().strip()
        filters = {
            "pdf": QCoreApplication.translate("Cases", "PDF (*.pdf)"),
            "csv": QCoreApplication.translate("Cases", "CSV for Excel (*.csv)"),
        }
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Cases", "Save the report"),
            f"report-{month}.{kind}",
            filters[kind],
        )
        if path:
            self.export(month, path)
