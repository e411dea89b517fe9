"""A sensor's readings over time (pyqtgraph) with its warning and alarm thresholds.

The readings are read off the GUI thread (gis_core.live_store.LiveStore.readings) for the chosen
span and refreshed every few seconds while the window is open.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from desktop.live.texts import kind_name
from desktop.tasks import TaskRunner
from gis_core.live_store import LiveStore

__all__ = ["SensorHistoryDialog", "WARN_COLOR", "ALARM_COLOR", "LINE_COLOR"]

WARN_COLOR = "#f9a825"
ALARM_COLOR = "#d50000"
LINE_COLOR = "#1565c0"
SPANS_H = (1.0, 6.0, 24.0, 24.0 * 7)


class SensorHistoryDialog(QDialog):
    """Non-modal: ``SensorHistoryDialog(store, sensor_id, code, kind, unit, warn, alarm).show()``."""

    def __init__(
        self,
        store,
        sensor_id: int,
        code: str,
        kind: str,
        unit: str | None,
        warn: float | None,
        alarm: float | None,
        name: str | None = None,
        refresh_ms: int = 5000,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sensorHistory")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store = store
        self.sensor_id = int(sensor_id)
        self.runner = TaskRunner(self, max_threads=1)
        label = f"{code} · {kind_name(kind)}" + (f" · {name}" if name else "")
        self.setWindowTitle(self.tr("Sensor history — {0}").format(label))
        self.span = QComboBox()
        for hours in SPANS_H:
            self.span.addItem(
                self.tr("last {0} h").format(f"{hours:g}")
                if hours < 48
                else self.tr("last {0} days").format(f"{hours / 24:g}"),
                hours,
            )
        self.span.setCurrentIndex(2)
        self.span.currentIndexChanged.connect(lambda _i: self.reload())
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.reload)
        self.info = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Span:")))
        top.addWidget(self.span)
        top.addWidget(refresh)
        top.addStretch(1)
        top.addWidget(self.info)

        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setBackground("w")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("left", kind_name(kind), units=unit or None)
        self.curve = self.plot.plot([], [], pen=pg.mkPen(LINE_COLOR, width=2))
        self.thresholds: dict[str, pg.InfiniteLine] = {}
        for what, value, color, text in (
            ("warn", warn, WARN_COLOR, self.tr("warning {0}")),
            ("alarm", alarm, ALARM_COLOR, self.tr("alarm {0}")),
        ):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            line = pg.InfiniteLine(
                pos=float(value),
                angle=0,
                pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine),
                label=text.format(f"{value:g}"),
                labelOpts={"position": 0.05, "color": color, "movable": False},
            )
            self.plot.addItem(line)
            self.thresholds[what] = line
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.resize(760, 420)
        self.points = 0
        self.loaded = False
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self.reload()

    def reload(self) -> None:
        hours = float(self.span.currentData())
        store, sid = self.store, self.sensor_id
        start = time.time() - hours * 3600.0
        self.runner.submit(
            lambda: LiveStore(store).readings(sid, start=start, limit=200_000),
            on_done=self._show,
            on_error=lambda exc: self.info.setText(self.tr("Could not read: {0}").format(exc)),
            tag="history",
        )

    def _show(self, data) -> None:
        ts, values = data
        self.curve.setData(np.asarray(ts, dtype=float), np.asarray(values, dtype=float))
        self.points = len(ts)
        self.loaded = True
        if len(ts):
            self.info.setText(
                self.tr("{0} readings, last {1:g}").format(len(ts), float(values[-1]))
            )
            lo = min(float(np.min(values)), *(ln.value() for ln in self.thresholds.values()))
            hi = max(float(np.max(values)), *(ln.value() for ln in self.thresholds.values()))
            pad = (hi - lo) * 0.08 or 1.0
            self.plot.setYRange(lo - pad, hi + pad)
        else:
            self.info.setText(self.tr("No readings in this span"))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)
