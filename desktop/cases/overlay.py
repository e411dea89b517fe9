"""Cases on the map: one transparent overlay over the canvas that paints every open case from
arrays — a dot coloured by state with a ring for the time limit (orange: due soon, red:
overdue) — in one ``drawPixmapFragments`` call from a small symbol atlas. No item per case."""

from __future__ import annotations

import numpy as np
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from gis_core.cases.board import SLA_STATES, CaseMarkers
from gis_core.cases.lifecycle import STATES

__all__ = ["CaseOverlay", "STATE_COLORS", "SLA_COLORS", "SYMBOL_PX"]

SYMBOL_PX = 18
STATE_COLORS = {
    "reported": "#8e44ad",
    "verified": "#2980b9",
    "dispatched": "#16a085",
    "accepted": "#27ae60",
    "in_progress": "#f1c40f",
    "resolved": "#7f8c8d",
    "checked": "#95a5a6",
    "closed": "#bdc3c7",
    "returned": "#d35400",
    "escalated": "#c0392b",
    "reopened": "#e84393",
}
SLA_COLORS = {"none": None, "ok": "#ffffff", "due_soon": "#ff9800", "overdue": "#e00000"}
HIT_PX = 12.0


class CaseOverlay(QWidget):
    """Paints cases over ``canvas``; never takes mouse events (the controller picks by pixel)."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.setObjectName("caseOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setGeometry(canvas.rect())
        self.markers: CaseMarkers | None = None
        self.selected: int | None = None
        self._atlas = _atlas()
        self._frags = PrimitiveArray(QPainter.PixmapFragment, 10)
        self._px = (np.empty(0), np.empty(0))
        canvas.installEventFilter(self)
        canvas.viewChanged.connect(self._on_view)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.canvas and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
            self._prepare()
        return False

    def _on_view(self, _view) -> None:
        self._prepare()
        self.update()

    def set_markers(self, markers: CaseMarkers | None) -> None:
        self.markers = markers
        self._prepare()
        self.update()

    def _prepare(self) -> None:
        m = self.markers
        if m is None or len(m) == 0:
            self._frags.resize(0)
            self._px = (np.empty(0), np.empty(0))
            return
        px, py = self.canvas.view.to_pixels(m.x, m.y)
        px, py = np.asarray(px, float), np.asarray(py, float)
        self._px = (px, py)
        w, h = max(self.width(), 1), max(self.height(), 1)
        inside = np.flatnonzero(
            (px >= -SYMBOL_PX) & (px <= w + SYMBOL_PX) & (py >= -SYMBOL_PX) & (py <= h + SYMBOL_PX)
        )
        state_idx = np.array([STATES.index(s) for s in m.state[inside]], dtype=np.int64)
        sla_idx = np.array([SLA_STATES.index(s) for s in m.sla[inside]], dtype=np.int64)
        n = len(inside)
        self._frags.resize(n)
        if n == 0:
            return
        a = self._frags.ndarray()
        a[:, 0] = px[inside]
        a[:, 1] = py[inside]
        a[:, 2] = sla_idx * SYMBOL_PX
        a[:, 3] = state_idx * SYMBOL_PX
        a[:, 4] = SYMBOL_PX
        a[:, 5] = SYMBOL_PX
        a[:, 6] = 1.0
        a[:, 7] = 1.0
        a[:, 8] = 0.0
        a[:, 9] = 1.0

    def case_at(self, x: float, y: float) -> int | None:
        """The id of the case drawn nearest to pixel (x, y), within a few pixels."""
        m = self.markers
        px, py = self._px
        if m is None or len(px) == 0:
            return None
        d = np.hypot(px - x, py - y)
        k = int(np.argmin(d))
        return int(m.ids[k]) if d[k] <= HIT_PX else None

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        if not len(self._frags):
            return
        painter = QPainter(self)
        painter.drawPixmapFragments(*self._frags.drawargs(), self._atlas)
        if self.selected is not None and self.markers is not None:
            hit = np.flatnonzero(self.markers.ids == self.selected)
            if len(hit):
                px, py = self._px
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(QPen(QColor("#00bcd4"), 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(px[hit[0]], py[hit[0]]), 13, 13)
        painter.end()


def _atlas() -> QPixmap:
    """Rows: states; columns: SLA states. Each symbol a dot in the state's colour with its ring."""
    pix = QPixmap(SYMBOL_PX * len(SLA_STATES), SYMBOL_PX * len(STATES))
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = SYMBOL_PX / 2
    for row, state in enumerate(STATES):
        for col, sla in enumerate(SLA_STATES):
            centre = QPointF(col * SYMBOL_PX + c, row * SYMBOL_PX + c)
            ring = SLA_COLORS[sla]
            if ring is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(ring))
                p.drawEllipse(centre, c - 0.5, c - 0.5)
            p.setPen(QPen(QColor("#303030"), 1))
            p.setBrush(QColor(STATE_COLORS[state]))
            p.drawEllipse(centre, c - 4, c - 4)
    p.end()
    return pix
