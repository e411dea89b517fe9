"""Map tools for grid editing: each turns mouse gestures on the canvas into one edit command,
checks it live while it is drawn, and pushes it on the controller's undo stack.

A tool filters the canvas's mouse events while it is active (the wheel still zooms); points
snap to cell vertices, building corners, cell edges and streets within the controller's
tolerance in pixels. Esc drops what is being drawn, Enter finishes it.

- :class:`VertexTool`: drag a vertex (every cell that has it follows) or an edge; double-click
  an edge to add a vertex there; right-click a vertex to delete it.
- :class:`AddVertexTool` / :class:`DeleteVertexTool`: click an edge / a vertex.
- :class:`SplitTool`: click a line across a cell, double-click to split.
- :class:`MergeTool`: click two neighbouring cells.
- :class:`CreateCellTool`: click an outline inside a cell, double-click to carve it out.
- :class:`ReshapeBoundaryTool`: click a line from the boundary out (or in) and back.
- :class:`PickCellTool`: click a cell (its attributes, its history).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent

from gis_core.editing import (
    AddVertex,
    CreateCell,
    DeleteVertex,
    EditCommand,
    EditRefused,
    MergeCells,
    MoveEdge,
    MoveVertex,
    ReshapeBoundary,
    SplitCell,
    command_from_json,
    topology,
)

__all__ = [
    "GridEditTool",
    "VertexTool",
    "AddVertexTool",
    "DeleteVertexTool",
    "SplitTool",
    "MergeTool",
    "CreateCellTool",
    "ReshapeBoundaryTool",
    "PickCellTool",
]

_MOUSE = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonDblClick,
)
_TOOL_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class GridEditTool(QObject):
    """Base of the tools: activation, event routing, snapping and the live preview."""

    cursor_shape = Qt.CursorShape.CrossCursor

    def __init__(self, canvas, controller, overlay):
        super().__init__(canvas)
        self.canvas = canvas
        self.controller = controller
        self.overlay = overlay
        self.active = False

    def activate(self) -> None:
        if not self.active:
            self.canvas.installEventFilter(self)
            self.canvas.setCursor(self.cursor_shape)
            self.active = True

    def deactivate(self) -> None:
        if self.active:
            self.canvas.removeEventFilter(self)
            self.canvas.unsetCursor()
            self.active = False
            self.reset()

    def reset(self) -> None:
        self.overlay.clear_drawing()

    @property
    def drawing(self) -> bool:
        """Whether something is being drawn (Esc and Enter then belong to the tool)."""
        return bool(self.overlay.sketch)

    # ------------------------------------------------------------------ helpers
    def map_point(self, event: QMouseEvent, snap: bool = True) -> tuple[float, float]:
        pos = event.position()
        x, y = self.canvas.view.to_map(pos.x(), pos.y())
        xy = (float(x), float(y))
        self.canvas.cursorMoved.emit(xy[0], xy[1])
        if not snap:
            return xy
        found = self.controller.snap(xy, self.canvas.view.scale)
        self.overlay.snap = found
        return found.xy if found is not None else xy

    def preview(self, command: EditCommand | None) -> None:
        """Show what ``command`` would do, green or red, with its problems."""
        if command is None or self.controller.coverage is None:
            self.overlay.preview = []
            self.controller.set_problems([])
            self.overlay.update()
            return
        cov = self.controller.coverage
        warnings: list = []
        try:
            command.apply(cov)
        except EditRefused as refused:
            if not refused.confirmable:
                self.overlay.preview = []
                self.controller.set_problems(refused.problems)
                self.overlay.update()
                return
            # Buildings cut in two: show the edit, warn, and ask on release. The trial is a
            # copy, so the command itself is still checked (and confirmed) when it is done.
            warnings = refused.problems
            trial = command_from_json({**command.to_json(), "change": None})
            trial.allow_cut = True
            try:
                trial.apply(cov)
            except EditRefused as worse:
                self.overlay.preview = []
                self.controller.set_problems(worse.problems)
                self.overlay.update()
                return
            command = trial
        change = command.change
        shapes = [s.geometry for s in change.after.values() if s is not None]
        if change.boundary_after is not None:
            shapes.append(change.boundary_after)
        self.overlay.preview = shapes
        command.revert(cov)
        self.controller.set_problems(warnings)
        self.overlay.update()

    # ------------------------------------------------------------------ events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is not self.canvas or not self.active or self.controller.session is None:
            return False
        t = event.type()
        if t in _MOUSE:
            handler = {
                QEvent.Type.MouseButtonPress: self.press,
                QEvent.Type.MouseButtonRelease: self.release,
                QEvent.Type.MouseMove: self.move,
                QEvent.Type.MouseButtonDblClick: self.double_click,
            }[t]
            handler(event)
            return True
        if t == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # Esc is also the window's "clear selection": while drawing it is the tool's.
            if event.key() in _TOOL_KEYS and self.drawing:
                event.accept()
                return True
            return False
        if t == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.reset()
                self.controller.set_problems([])
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.finish()
                return True
        return False

    def press(self, event: QMouseEvent) -> None:
        pass

    def move(self, event: QMouseEvent) -> None:
        self.map_point(event)
        self.overlay.update()

    def release(self, event: QMouseEvent) -> None:
        pass

    def double_click(self, event: QMouseEvent) -> None:
        self.finish()

    def finish(self) -> None:
        pass


def _edge_at(controller, canvas, xy):
    """The edge (a, b) of a cell under ``xy`` (within the snap tolerance), or None."""
    cov = controller.coverage
    tol = controller.snap_tolerance_px * canvas.view.scale
    best = None
    for cid in cov.near((xy[0], xy[1], xy[0], xy[1]), pad=tol):
        for ring in topology.rings(cov.geometry(cid)):
            a, b = ring[:-1], ring[1:]
            ab = b - a
            len2 = np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-12)
            t = np.clip(np.einsum("ij,ij->i", np.asarray(xy) - a, ab) / len2, 0, 1)
            proj = a + t[:, None] * ab
            d = np.hypot(*(proj - np.asarray(xy)).T)
            k = int(np.argmin(d))
            if d[k] <= tol and (best is None or d[k] < best[0]):
                best = (d[k], tuple(a[k]), tuple(b[k]), tuple(proj[k]))
    return None if best is None else best[1:]


class VertexTool(GridEditTool):
    """Drag vertices and edges; double-click an edge to add a vertex; right-click to delete."""

    cursor_shape = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas, controller, overlay):
        super().__init__(canvas, controller, overlay)
        self._grab = None  # ("vertex", xy) or ("edge", a, b, start)
        self._command: EditCommand | None = None

    @property
    def drawing(self) -> bool:
        return self._grab is not None

    def reset(self) -> None:
        self._grab = None
        self._command = None
        super().reset()

    def press(self, event: QMouseEvent) -> None:
        xy = self.map_point(event)
        snap = self.overlay.snap
        if event.button() == Qt.MouseButton.RightButton:
            if snap is not None and snap.kind == "vertex":
                self.controller.push(DeleteVertex(snap.xy))
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if snap is not None and snap.kind == "vertex":
            self._grab = ("vertex", snap.xy)
            return
        edge = _edge_at(self.controller, self.canvas, xy)
        if edge is not None:
            self._grab = ("edge", edge[0], edge[1], xy)

    def move(self, event: QMouseEvent) -> None:
        if self._grab is None:
            super().move(event)
            return
        to = self.map_point(event)
        if self._grab[0] == "vertex":
            start = self._grab[1]
            self._command = MoveVertex(start, to)
        else:
            _, a, b, start = self._grab
            self._command = MoveEdge(a, b, (to[0] - start[0], to[1] - start[1]))
        self.preview(self._command)
        # The drag itself, from where it started to the pointer (green or red with the preview).
        self.overlay.sketch = [start]
        self.overlay.cursor = to

    def release(self, event: QMouseEvent) -> None:
        if self._grab is not None and self._command is not None:
            command = self._command
            self.reset()
            self.controller.push(command)
        else:
            self.reset()

    def double_click(self, event: QMouseEvent) -> None:
        xy = self.map_point(event)
        snap = self.overlay.snap
        if snap is not None and snap.kind == "edge":
            self.controller.push(AddVertex(snap.xy))
        else:
            edge = _edge_at(self.controller, self.canvas, xy)
            if edge is not None:
                self.controller.push(AddVertex(edge[2]))
        self.reset()


class AddVertexTool(GridEditTool):
    """Click a cell edge: a vertex is added there, in every cell that shares the edge."""

    def press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        xy = self.map_point(event)
        snap = self.overlay.snap
        if snap is not None and snap.kind == "edge":
            at = snap.xy
        else:
            edge = _edge_at(self.controller, self.canvas, xy)
            at = edge[2] if edge is not None else xy
        self.controller.push(AddVertex(at))
        self.overlay.update()


class DeleteVertexTool(GridEditTool):
    """Click a cell vertex: it goes from every cell that has it."""

    def press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        xy = self.map_point(event)
        snap = self.overlay.snap
        at = snap.xy if snap is not None and snap.kind == "vertex" else xy
        self.controller.push(DeleteVertex(at))
        self.overlay.update()


class _SketchTool(GridEditTool):
    """Click points, see the edit live, double-click or Enter to finish."""

    min_points = 2

    def command(self, points) -> EditCommand | None:
        raise NotImplementedError

    def press(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.overlay.sketch.append(self.map_point(event))
            self.overlay.update()
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    def move(self, event: QMouseEvent) -> None:
        xy = self.map_point(event)
        self.overlay.cursor = xy if self.overlay.sketch else None
        pts = [*self.overlay.sketch, xy]
        if self.overlay.sketch and len(_dedupe(pts)) >= self.min_points:
            self.preview(self.command(_dedupe(pts)))
        self.overlay.update()

    def double_click(self, event: QMouseEvent) -> None:
        # A double-click's first press has added its point already (unless the system sent
        # the double-click alone): the last point is where it happened.
        if event.button() == Qt.MouseButton.LeftButton:
            xy = self.map_point(event)
            if not self.overlay.sketch or self.overlay.sketch[-1] != xy:
                self.overlay.sketch.append(xy)
        self.finish()

    def finish(self) -> None:
        pts = _dedupe(self.overlay.sketch)
        self.reset()
        if len(pts) >= self.min_points:
            command = self.command(pts)
            if command is not None:
                self.controller.push(command)


def _dedupe(points):
    out = []
    for p in points:
        if not out or p != out[-1]:
            out.append(p)
    return out


class SplitTool(_SketchTool):
    min_points = 2

    def command(self, points):
        return SplitCell(points)


class CreateCellTool(_SketchTool):
    min_points = 3

    def command(self, points):
        return CreateCell(points)


class ReshapeBoundaryTool(_SketchTool):
    min_points = 3

    def command(self, points):
        return ReshapeBoundary(line=points)


class MergeTool(GridEditTool):
    """Click a cell, then a neighbour: they merge (the first keeps its code)."""

    cursor_shape = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas, controller, overlay):
        super().__init__(canvas, controller, overlay)
        self._first: int | None = None

    @property
    def drawing(self) -> bool:
        return self._first is not None

    def reset(self) -> None:
        self._first = None
        super().reset()

    def press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.controller.coverage.cell_at(self.map_point(event, snap=False))
        if cell is None:
            return
        if self._first is None:
            self._first = cell
            self.overlay.preview = [self.controller.coverage.geometry(cell)]
            self.controller.set_problems([])
            self.overlay.update()
            return
        first, self._first = self._first, None
        self.overlay.clear_drawing()
        if cell != first:
            self.controller.push(MergeCells([first, cell]))


class PickCellTool(GridEditTool):
    """Click a cell: ``picked(cell_id)`` is called (attributes form, history browser)."""

    cursor_shape = Qt.CursorShape.PointingHandCursor

    def __init__(self, canvas, controller, overlay, picked: Callable[[int], None]):
        super().__init__(canvas, controller, overlay)
        self.picked = picked

    def press(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.controller.coverage.cell_at(self.map_point(event, snap=False))
        if cell is not None:
            self.picked(cell)

    def move(self, event: QMouseEvent) -> None:
        xy = self.map_point(event, snap=False)
        cell = self.controller.coverage.cell_at(xy)
        self.overlay.preview = [] if cell is None else [self.controller.coverage.geometry(cell)]
        self.overlay.update()
