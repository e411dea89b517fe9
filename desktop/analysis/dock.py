"""The results dock: progress and Cancel, the legend, the summary (Gini, Theil, …), the Lorenz
curve (pyqtgraph), the cells ranked by unmet demand (click → zoom), the what-if tools, export,
and the stored runs with their side-by-side comparison.

The dock only shows and asks; :class:`desktop.analysis.controller.AnalysisController` does.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.analysis.texts import analysis_title, format_value, metric_label, summary_label
from desktop.layer_panel import legend_rows, symbol_icon

__all__ = ["ResultsDock"]

# Summary keys not worth a row in the dock (the parameters are in the header).
HIDDEN_KEYS = {"sites", "suggested", "isochrone_area_m2"}


def _item(text: str, data=None, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(columns: int) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


class ResultsDock(QDockWidget):
    """Signals carry what the user asked; the controller answers."""

    cancelRequested = Signal()
    rankedActivated = Signal(object)  # the zoom target of a ranked row
    whatIfModeRequested = Signal(object)  # "add" / "move" / "remove" / None
    undoRequested = Signal()
    resetRequested = Signal()
    saveScenarioRequested = Signal()
    exportRequested = Signal(str)  # ".csv" / ".gpkg" / ".html"
    rerunRequested = Signal()
    refreshRunsRequested = Signal()
    openRunRequested = Signal(int)
    compareRequested = Signal(int, int)
    deleteRunRequested = Signal(int)
    compareMetricChanged = Signal(str)

    def __init__(self, parent=None):
        super().__init__(self.tr("Analysis results"), parent)
        self.setObjectName("analysisDock")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_result_tab(), self.tr("Result"))
        self.tabs.addTab(self._build_runs_tab(), self.tr("Stored runs"))
        self.setWidget(self.tabs)
        self.show_idle()

    # ------------------------------------------------------------------ result tab
    def _build_result_tab(self) -> QWidget:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 6, 6, 6)

        self.title = QLabel(self.tr("Run an analysis from the Analysis menu."))
        self.title.setObjectName("analysisTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        lay.addWidget(self.title)
        self.params_label = QLabel()
        self.params_label.setWordWrap(True)
        lay.addWidget(self.params_label)

        self.progress_box = QWidget()
        pl = QHBoxLayout(self.progress_box)
        pl.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress_text = QLabel()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("analysisCancel")
        self.cancel_button.clicked.connect(self.cancelRequested.emit)
        pl.addWidget(self.progress, 1)
        pl.addWidget(self.cancel_button)
        lay.addWidget(self.progress_box)
        lay.addWidget(self.progress_text)
        self.status = QLabel()
        self.status.setObjectName("analysisStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

        self.legend_box = QGroupBox(self.tr("Legend"))
        self.legend_layout = QGridLayout(self.legend_box)
        self.legend_layout.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self.legend_box)

        self.summary = _table(2)
        self.summary.setObjectName("analysisSummary")
        self.summary.setHorizontalHeaderLabels([self.tr("Figure"), self.tr("Value")])
        self.summary.setMinimumHeight(180)
        lay.addWidget(self.summary)

        self.lorenz_box = QGroupBox(self.tr("Lorenz curve"))
        ll = QVBoxLayout(self.lorenz_box)
        ll.setContentsMargins(4, 4, 4, 4)
        self.lorenz = pg.PlotWidget(background="w")
        self.lorenz.setObjectName("lorenzPlot")
        self.lorenz.setMinimumHeight(220)
        self.lorenz.setMouseEnabled(x=False, y=False)
        self.lorenz.hideButtons()
        self.lorenz.setXRange(0, 1, padding=0.02)
        self.lorenz.setYRange(0, 1, padding=0.02)
        self.lorenz.setAspectLocked(False)
        self.lorenz.showGrid(x=True, y=True, alpha=0.25)
        axis_pen = pg.mkPen("#444444")
        for name in ("left", "bottom"):
            ax = self.lorenz.getAxis(name)
            ax.setPen(axis_pen)
            ax.setTextPen(axis_pen)
        self.lorenz.setLabel("bottom", self.tr("Share of residents (least served first)"))
        self.lorenz.setLabel("left", self.tr("Share of supply"))
        self.equality_curve = self.lorenz.plot(
            [0, 1], [0, 1], pen=pg.mkPen("#9e9e9e", width=1, style=Qt.PenStyle.DashLine)
        )
        self.lorenz_curve = self.lorenz.plot([], [], pen=pg.mkPen("#d7191c", width=2.5))
        self.lorenz_base = self.lorenz.plot([], [], pen=pg.mkPen("#6d6d6d", width=1.5))
        self.lorenz_note = QLabel()
        self.lorenz_note.setWordWrap(True)
        ll.addWidget(self.lorenz)
        ll.addWidget(self.lorenz_note)
        lay.addWidget(self.lorenz_box)

        self.ranked_box = QGroupBox(self.tr("Cells below the threshold, most unmet demand first"))
        rl = QVBoxLayout(self.ranked_box)
        rl.setContentsMargins(4, 4, 4, 4)
        self.ranked = _table(1)
        self.ranked.setObjectName("rankedTable")
        self.ranked.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ranked.setMinimumHeight(160)
        self.ranked.cellClicked.connect(self._on_ranked_clicked)
        rl.addWidget(self.ranked)
        lay.addWidget(self.ranked_box)

        self.whatif_box = QGroupBox(self.tr("What if… (click the map)"))
        wl = QGridLayout(self.whatif_box)
        self.whatif_buttons: dict[str, QPushButton] = {}
        self.whatif_group = QButtonGroup(self)
        self.whatif_group.setExclusive(False)
        for col, (mode, text) in enumerate(
            (
                ("add", self.tr("Add facility")),
                ("move", self.tr("Move facility")),
                ("remove", self.tr("Remove facility")),
            )
        ):
            b = QPushButton(text)
            b.setObjectName(f"whatif_{mode}")
            b.setCheckable(True)
            b.toggled.connect(lambda on, m=mode: self._on_whatif_toggled(m, on))
            self.whatif_group.addButton(b)
            self.whatif_buttons[mode] = b
            wl.addWidget(b, 0, col)
        wl.addWidget(QLabel(self.tr("Capacity of an added facility")), 1, 0, 1, 2)
        self.capacity = QDoubleSpinBox()
        self.capacity.setObjectName("whatifCapacity")
        self.capacity.setRange(0, 1e7)
        self.capacity.setDecimals(0)
        self.capacity.setValue(100)
        wl.addWidget(self.capacity, 1, 2)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undoRequested.emit)
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.clicked.connect(self.resetRequested.emit)
        self.save_scenario = QPushButton(self.tr("Save as run"))
        self.save_scenario.setObjectName("whatifSave")
        self.save_scenario.clicked.connect(self.saveScenarioRequested.emit)
        wl.addWidget(self.undo_button, 2, 0)
        wl.addWidget(self.reset_button, 2, 1)
        wl.addWidget(self.save_scenario, 2, 2)
        self.whatif_info = QLabel()
        self.whatif_info.setObjectName("whatifInfo")
        self.whatif_info.setWordWrap(True)
        wl.addWidget(self.whatif_info, 3, 0, 1, 3)
        lay.addWidget(self.whatif_box)

        self.export_box = QGroupBox(self.tr("Export"))
        el = QHBoxLayout(self.export_box)
        self.export_buttons = {}
        for suffix, text in (
            (".csv", self.tr("CSV…")),
            (".gpkg", self.tr("GeoPackage…")),
            (".html", self.tr("HTML report…")),
        ):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, s=suffix: self.exportRequested.emit(s))
            el.addWidget(b)
            self.export_buttons[suffix] = b
        self.rerun_button = QPushButton(self.tr("Run again"))
        self.rerun_button.setToolTip(
            self.tr("Recompute this run with its stored parameters on today's data")
        )
        self.rerun_button.clicked.connect(self.rerunRequested.emit)
        el.addWidget(self.rerun_button)
        lay.addWidget(self.export_box)
        lay.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        return scroll

    # ------------------------------------------------------------------ runs tab
    def _build_runs_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(6, 6, 6, 6)
        self.runs = _table(4)
        self.runs.setObjectName("runsTable")
        self.runs.setHorizontalHeaderLabels(
            [self.tr("Run"), self.tr("Analysis"), self.tr("Name"), self.tr("Created")]
        )
        self.runs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.runs.itemSelectionChanged.connect(self._on_runs_selection)
        self.runs.cellDoubleClicked.connect(lambda r, _c: self._open_row(r))
        lay.addWidget(self.runs, 1)
        row = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refreshRunsRequested.emit)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("openRun")
        self.open_button.clicked.connect(lambda: self._open_row(self._selected_rows()[0]))
        self.compare_button = QPushButton(self.tr("Compare two"))
        self.compare_button.setObjectName("compareRuns")
        self.compare_button.clicked.connect(self._compare_selected)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(
            lambda: self.deleteRunRequested.emit(self._run_id(self._selected_rows()[0]))
        )
        for b in (self.refresh_button, self.open_button, self.compare_button, self.delete_button):
            row.addWidget(b)
        lay.addLayout(row)
        self.compare_box = QGroupBox(self.tr("Comparison"))
        cl = QVBoxLayout(self.compare_box)
        mrow = QHBoxLayout()
        mrow.addWidget(QLabel(self.tr("Per-cell figure")))
        self.compare_metric = QComboBox()
        self.compare_metric.setObjectName("compareMetric")
        self.compare_metric.activated.connect(
            lambda _i: self.compareMetricChanged.emit(self.compare_metric.currentData())
        )
        mrow.addWidget(self.compare_metric, 1)
        cl.addLayout(mrow)
        self.compare_title = QLabel()
        self.compare_title.setWordWrap(True)
        cl.addWidget(self.compare_title)
        self.compare_table = _table(4)
        self.compare_table.setObjectName("compareTable")
        self.compare_table.setMinimumHeight(180)
        cl.addWidget(self.compare_table, 2)
        self.compare_summary = _table(4)
        self.compare_summary.setObjectName("compareSummary")
        self.compare_summary.setMinimumHeight(140)
        cl.addWidget(self.compare_summary, 1)
        lay.addWidget(self.compare_box, 2)
        self.compare_box.hide()
        self._on_runs_selection()
        return w

    # ------------------------------------------------------------------ state: running
    def show_idle(self) -> None:
        self.progress_box.hide()
        self.progress_text.hide()

    def show_running(self, text: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.progress.setValue(0)
        self.progress_text.setText(text)
        self.progress_text.show()
        self.progress_box.show()
        self.cancel_button.setEnabled(True)
        self.status.setText("")

    def set_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        if text:
            self.progress_text.setText(text)

    def show_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_text.setText(self.tr("Cancelling…"))

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020" if error else "")
        self.status.setText(text)

    # ------------------------------------------------------------------ state: a result
    def show_result(self, shown) -> None:
        """Fill the result tab from a :class:`~desktop.analysis.controller.ShownResult`."""
        self.tabs.setCurrentIndex(0)
        self.title.setText(shown.heading)
        self.params_label.setText(shown.params_text)
        self.set_legend(shown.legend_layer)
        self.set_summary(shown.summary)
        self.set_lorenz(shown.lorenz, shown.base_lorenz, shown.lorenz_note)
        self.lorenz_box.setVisible(shown.kind == "equity")
        self.set_ranked(shown.ranked_columns, shown.ranked_rows, shown.ranked_title)
        self.ranked_box.setVisible(bool(shown.ranked_columns))
        self.summary.setVisible(shown.kind != "compare")
        live = shown.model is not None
        self.whatif_box.setVisible(live)
        self.whatif_box.setEnabled(live)
        for b in self.export_buttons.values():
            b.setEnabled(shown.result is not None)
        self.rerun_button.setVisible(
            shown.result is None
            and shown.kind in ("equity", "coverage_service", "coverage_cameras", "siting")
        )
        if live:
            self.whatif_info.setText(self.tr("Click “Add facility” and then the map."))
        self.export_box.setVisible(shown.kind != "compare")

    def set_legend(self, layer) -> None:
        while self.legend_layout.count():
            item = self.legend_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if layer is None:
            self.legend_box.hide()
            return
        self.legend_box.setTitle(layer.title)
        for r, (label, sym) in enumerate(legend_rows(layer)):
            swatch = QLabel()
            swatch.setPixmap(symbol_icon(sym, layer.geometry_type, 16).pixmap(16, 16))
            self.legend_layout.addWidget(swatch, r, 0)
            text = QLabel(label)
            text.setObjectName(f"legend_{r}")
            text.setProperty("fill", sym.fill)
            self.legend_layout.addWidget(text, r, 1)
        self.legend_layout.setColumnStretch(1, 1)
        self.legend_box.show()

    def set_summary(self, summary: dict) -> None:
        rows = [(k, v) for k, v in summary.items() if k not in HIDDEN_KEYS]
        self.summary.setRowCount(len(rows))
        for r, (key, value) in enumerate(rows):
            self.summary.setItem(r, 0, _item(summary_label(key), key))
            cell = _item(format_value(key, value), value, align_right=True)
            if key in ("gini", "theil"):
                font = cell.font()
                font.setBold(True)
                cell.setFont(font)
            self.summary.setItem(r, 1, cell)

    def summary_value(self, key: str):
        for r in range(self.summary.rowCount()):
            if self.summary.item(r, 0).data(Qt.ItemDataRole.UserRole) == key:
                return self.summary.item(r, 1).data(Qt.ItemDataRole.UserRole)
        raise KeyError(key)

    def set_lorenz(self, lorenz, base=None, note: str = "") -> None:
        if lorenz is None:
            self.lorenz_curve.setData([], [])
        else:
            self.lorenz_curve.setData(np.asarray(lorenz[0]), np.asarray(lorenz[1]))
        if base is None:
            self.lorenz_base.setData([], [])
        else:
            self.lorenz_base.setData(np.asarray(base[0]), np.asarray(base[1]))
        self.lorenz_note.setText(note)

    def set_ranked(self, columns: list[str], rows: list[tuple], title: str) -> None:
        self.ranked_box.setTitle(title)
        self.ranked.clear()
        self.ranked.setColumnCount(len(columns))
        self.ranked.setHorizontalHeaderLabels([metric_label(c) for c in columns])
        self.ranked.setRowCount(len(rows))
        for r, (texts, target) in enumerate(rows):
            for c, text in enumerate(texts):
                self.ranked.setItem(r, c, _item(text, target if c == 0 else None, c > 0))

    def _on_ranked_clicked(self, row: int, _col: int) -> None:
        item = self.ranked.item(row, 0)
        if item is not None:
            self.rankedActivated.emit(item.data(Qt.ItemDataRole.UserRole))

    # ------------------------------------------------------------------ what-if
    def _on_whatif_toggled(self, mode: str, on: bool) -> None:
        if on:
            for m, b in self.whatif_buttons.items():
                if m != mode and b.isChecked():
                    b.blockSignals(True)
                    b.setChecked(False)
                    b.blockSignals(False)
            self.whatIfModeRequested.emit(mode)
        elif not any(b.isChecked() for b in self.whatif_buttons.values()):
            self.whatIfModeRequested.emit(None)

    def set_whatif_mode(self, mode: str | None) -> None:
        for m, b in self.whatif_buttons.items():
            b.blockSignals(True)
            b.setChecked(m == mode)
            b.blockSignals(False)

    # ------------------------------------------------------------------ runs
    def set_runs(self, runs: list) -> None:
        self.runs.setRowCount(len(runs))
        for r, info in enumerate(runs):
            created = info.created_at
            when = (
                created.strftime("%Y-%m-%d %H:%M") if hasattr(created, "strftime") else str(created)
            )
            service = (info.parameters or {}).get("service")
            kind_text = analysis_title(info.kind)
            if service:
                kind_text += f" · {format_value('service', service)}"
            method = (info.parameters or {}).get("method") or (info.parameters or {}).get("model")
            if method:
                kind_text += (
                    f" · {format_value('method' if info.kind == 'equity' else 'model', method)}"
                )
            self.runs.setItem(r, 0, _item(str(info.id), info.id, True))
            self.runs.setItem(r, 1, _item(kind_text))
            self.runs.setItem(r, 2, _item(info.title or ""))
            self.runs.setItem(r, 3, _item(when))
        self._on_runs_selection()

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.runs.selectedItems()})

    def _run_id(self, row: int) -> int:
        return int(self.runs.item(row, 0).data(Qt.ItemDataRole.UserRole))

    def _on_runs_selection(self) -> None:
        n = len(self._selected_rows())
        self.open_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n == 1)
        self.compare_button.setEnabled(n == 2)

    def _open_row(self, row: int) -> None:
        self.openRunRequested.emit(self._run_id(row))

    def select_runs(self, run_ids) -> None:
        """Select these runs in the list (tests and "compare with the base run")."""
        self.runs.clearSelection()
        mode = self.runs.selectionMode()
        for r in range(self.runs.rowCount()):
            if self._run_id(r) in set(run_ids):
                for c in range(self.runs.columnCount()):
                    self.runs.item(r, c).setSelected(True)
        self.runs.setSelectionMode(mode)

    def _compare_selected(self) -> None:
        rows = self._selected_rows()
        if len(rows) == 2:
            a, b = sorted(self._run_id(r) for r in rows)
            self.compareRequested.emit(a, b)

    def show_comparison(self, comparison, metric: str, rows: list, summary_rows: list) -> None:
        self.tabs.setCurrentIndex(1)
        self.compare_box.show()
        self.compare_metric.blockSignals(True)
        self.compare_metric.clear()
        for m in comparison.metrics:
            self.compare_metric.addItem(metric_label(m), m)
        self.compare_metric.setCurrentIndex(max(0, self.compare_metric.findData(metric)))
        self.compare_metric.blockSignals(False)
        a, b = comparison.a, comparison.b
        self.compare_title.setText(
            self.tr("A: run {0} {1} · B: run {2} {3}").format(
                a.id, a.title or "", b.id, b.title or ""
            )
        )
        t = self.compare_table
        t.clear()
        t.setColumnCount(4)
        t.setHorizontalHeaderLabels(
            [metric_label("code"), self.tr("A"), self.tr("B"), metric_label("delta")]
        )
        t.setRowCount(len(rows))
        for r, (code, va, vb, d) in enumerate(rows):
            t.setItem(r, 0, _item(code))
            t.setItem(r, 1, _item(va, None, True))
            t.setItem(r, 2, _item(vb, None, True))
            item = _item(d, None, True)
            t.setItem(r, 3, item)
        s = self.compare_summary
        s.clear()
        s.setColumnCount(4)
        s.setHorizontalHeaderLabels(
            [self.tr("Figure"), self.tr("A"), self.tr("B"), metric_label("delta")]
        )
        s.setRowCount(len(summary_rows))
        for r, (key, va, vb, d) in enumerate(summary_rows):
            s.setItem(r, 0, _item(summary_label(key), key))
            s.setItem(r, 1, _item(va, None, True))
            s.setItem(r, 2, _item(vb, None, True))
            cell = _item(d, None, True)
            if key in ("gini", "theil"):
                cell.setForeground(QColor("#b00020"))
            s.setItem(r, 3, cell)
