"""The what-if map tool: add, move or remove a facility by clicking the map.

While active it filters the canvas's mouse events (the wheel still zooms, a drag away from a
facility still pans): a click adds a facility (add), a press on a facility and a drag moves it
(move), a click on a facility removes it (remove). Each gesture becomes one call on the
controller, which updates the :class:`~gis_core.analysis.EquityModel` and the map.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent

__all__ = ["WhatIfTool", "MODES"]

MODES = ("add", "move", "remove")
CLICK_PX = 4  # a press and release closer than this is a click, not a pan
PICK_PX = 14  # how close to a facility a press must be to pick it


class WhatIfTool(QObject):
    """Signals ``modeChanged(mode or None)``."""

    modeChanged = Signal(object)

    def __init__(self, canvas, controller):
        super().__init__(canvas)
        self.canvas = canvas
        self.controller = controller
        self.mode: str | None = None
        self._press: QPointF | None = None
        self._grabbed: int | None = None

    # ------------------------------------------------------------------ activation
    def set_mode(self, mode: str | None) -> None:
        if mode not in (None, *MODES):
            raise ValueError(f"unknown what-if mode {mode!r}")
        if mode == self.mode:
            return
        if self.mode is None and mode is not None:
            self.canvas.installEventFilter(self)
            self.canvas.setCursor(Qt.CursorShape.CrossCursor)
        elif mode is None:
            self.canvas.removeEventFilter(self)
            self.canvas.unsetCursor()
        self.mode = mode
        self._reset()
        self.modeChanged.emit(mode)

    def _reset(self) -> None:
        self._press = None
        if self._grabbed is not None:
            self.canvas.set_highlight(None)
        self._grabbed = None

    # ------------------------------------------------------------------ picking
    def map_xy(self, pos: QPointF) -> tuple[float, float]:
        x, y = self.canvas.view.to_map(pos.x(), pos.y())
        return float(x), float(y)

    def facility_at(self, pos: QPointF) -> int | None:
        """The id of the facility drawn nearest to ``pos`` within PICK_PX, else None."""
        ids, xy = self.controller.whatif_facilities()
        if len(ids) == 0:
            return None
        px, py = self.canvas.view.to_pixels(xy[:, 0], xy[:, 1])
        d = np.hypot(np.asarray(px) - pos.x(), np.asarray(py) - pos.y())
        k = int(np.argmin(d))
        return int(ids[k]) if d[k] <= PICK_PX else None

    # ------------------------------------------------------------------ events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is not self.canvas or self.mode is None:
            return False
        t = event.type()
        if t == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.set_mode(None)
            return True
        if t not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.MouseButtonRelease,
        ):
            return False
        ev: QMouseEvent = event  # type: ignore[assignment]
        pos = ev.position()
        if t == QEvent.Type.MouseButtonPress:
            if ev.button() != Qt.MouseButton.LeftButton:
                return False
            self._press = QPointF(pos)
            if self.mode == "move":
                self._grabbed = self.facility_at(pos)
                if self._grabbed is not None:
                    self._show_drag(pos)
                    return True  # a grab, not the start of a pan
            return False
        if t == QEvent.Type.MouseMove:
            if self._grabbed is not None:
                self._show_drag(pos)
                return True
            return False
        # release
        if ev.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        press, grabbed = self._press, self._grabbed
        self._reset()
        if grabbed is not None:
            self.controller.whatif_move(grabbed, self.map_xy(pos))
            return True
        if (pos - press).manhattanLength() > CLICK_PX:
            return False  # the end of a pan: the canvas finishes it
        if self.mode == "add":
            self.controller.whatif_add(self.map_xy(pos))
        elif self.mode == "remove":
            fid = self.facility_at(pos)
            if fid is not None:
                self.controller.whatif_remove(fid)
        return True  # a what-if click never identifies

    def _show_drag(self, pos: QPointF) -> None:
        self.canvas.set_highlight(shapely.Point(*self.map_xy(pos)))
