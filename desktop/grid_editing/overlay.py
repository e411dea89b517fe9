"""What the editing tools draw over the map: the cells being edited with their vertices, the
cells as saved where they changed, the edit being drawn (green when it keeps the grid valid,
red when not), the snap target, the problems with where they are, a version from the history,
and a conflict's theirs and mine side by side."""

from __future__ import annotations

import shapely
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from desktop.grid_editing.messages import problem_text
from gis_core.editing import topology

__all__ = [
    "EditOverlay",
    "CELL_PEN",
    "SAVED_PEN",
    "PREVIEW_OK",
    "PREVIEW_BAD",
    "PREVIEW_WARN",
    "SNAP",
    "THEIRS",
    "MINE",
    "HISTORY",
]

CELL_PEN = QColor("#6a3d9a")
SAVED_PEN = QColor("#7f7f7f")
PREVIEW_OK = QColor("#1a9850")
PREVIEW_BAD = QColor("#d73027")
PREVIEW_WARN = QColor("#e08214")  # allowed once confirmed (a building cut in two)
SNAP = QColor("#ff7f00")
THEIRS = QColor("#2c7bb6")
MINE = QColor("#fdae61")
HISTORY = QColor("#00a0a0")
MAX_CELLS_DRAWN = 3000  # beyond this the grid layer itself shows the cells
VERTEX_SCALE = 5.0  # metres per pixel below which vertices are drawn (zoomed in enough to grab)


class EditOverlay(QWidget):
    """A transparent widget over the canvas; it never takes mouse events."""

    def __init__(self, canvas, controller):
        super().__init__(canvas)
        self.canvas = canvas
        self.controller = controller
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setGeometry(canvas.rect())
        self.preview: list = []  # polygons of the edit being drawn
        self.sketch: list[tuple[float, float]] = []  # the points clicked so far
        self.cursor: tuple[float, float] | None = None  # where the next point would go
        self.problems: list = []
        self.snap = None
        self.conflict = None
        self.history_geometry = None  # a version chosen in the history browser
        canvas.installEventFilter(self)
        canvas.viewChanged.connect(lambda _v: self.update())
        controller.changed.connect(self._on_changed)
        controller.problemsChanged.connect(self.set_problems)
        controller.conflicted.connect(self.set_conflict)
        self.show()
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.canvas and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
        return False

    def _on_changed(self) -> None:
        if self.controller.conflict is None:
            self.conflict = None
        self.update()

    def set_problems(self, problems: list) -> None:
        self.problems = list(problems)
        self.update()

    def set_conflict(self, conflict) -> None:
        self.conflict = conflict
        self.update()

    def set_history_geometry(self, geometry) -> None:
        self.history_geometry = geometry
        self.update()

    def clear_drawing(self) -> None:
        self.preview, self.sketch, self.snap, self.cursor = [], [], None, None
        self.update()

    # ------------------------------------------------------------------ painting
    def _path(self, geoms) -> QPainterPath:
        view = self.canvas.view
        path = QPainterPath()
        for g in geoms:
            if g is None or g.is_empty:
                continue
            for ring in topology.rings(g):
                px, py = view.to_pixels(ring[:, 0], ring[:, 1])
                path.moveTo(float(px[0]), float(py[0]))
                for x, y in zip(px[1:].tolist(), py[1:].tolist()):
                    path.lineTo(x, y)
        return path

    def _label(self, painter: QPainter, xy, text: str, colour: QColor) -> None:
        x, y = self.canvas.view.to_pixels(xy[0], xy[1])
        metrics = QFontMetricsF(painter.font())
        w = metrics.horizontalAdvance(text) + 8
        h = metrics.height() + 2
        box = QRectF(float(x) - w / 2, float(y) - h / 2, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 210))
        painter.drawRoundedRect(box, 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        cov = self.controller.coverage
        if cov is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        view = self.canvas.view
        ids = cov.near(view.bbox)
        session = self.controller.session
        change = session.net_change() if session is not None else None
        if change is not None and (change.touched or change.boundary_after is not None):
            # The cells as saved, where they differ from now: what Save would replace.
            before = [s.geometry for s in change.before.values() if s is not None]
            if change.boundary_before is not None:
                before.append(change.boundary_before)
            painter.setPen(QPen(SAVED_PEN, 1.5, Qt.PenStyle.DashLine))
            painter.drawPath(self._path(before))
        if len(ids) <= MAX_CELLS_DRAWN:
            geoms = [cov.geometry(c) for c in ids]
            painter.setPen(QPen(CELL_PEN, 2.0))
            painter.drawPath(self._path(geoms))
            if view.scale < VERTEX_SCALE:
                painter.setPen(QPen(CELL_PEN, 1))
                painter.setBrush(QColor("white"))
                for g in geoms:
                    v = topology.vertices(g)
                    px, py = view.to_pixels(v[:, 0], v[:, 1])
                    for x, y in zip(px.tolist(), py.tolist()):
                        painter.drawRect(QRectF(x - 3, y - 3, 6, 6))
                painter.setBrush(Qt.BrushStyle.NoBrush)
        if change is not None:
            # Codes of cells made or re-coded by an edit (the grid layer labels the others).
            for cid, st in change.after.items():
                was = change.before.get(cid)
                if st is None or (was is not None and was.attributes.code == st.attributes.code):
                    continue
                if cid in cov and not st.geometry.is_empty:
                    p = shapely.point_on_surface(st.geometry)
                    self._label(painter, (p.x, p.y), st.attributes.code, CELL_PEN)
        if self.history_geometry is not None:
            painter.setPen(QPen(HISTORY, 3, Qt.PenStyle.DashDotLine))
            painter.drawPath(self._path([self.history_geometry]))
        if self.conflict is not None:
            for cell in self.conflict.cells:
                painter.setPen(QPen(THEIRS, 3))
                painter.drawPath(self._path([cell.theirs]))
                painter.setPen(QPen(MINE, 3, Qt.PenStyle.DashLine))
                painter.drawPath(self._path([cell.mine]))
        warning = bool(self.problems) and all(p.confirmable for p in self.problems)
        colour = PREVIEW_WARN if warning else PREVIEW_BAD if self.problems else PREVIEW_OK
        if self.preview:
            painter.setPen(QPen(colour, 2.5))
            painter.drawPath(self._path(self.preview))
        line = [*self.sketch, *([self.cursor] if self.cursor and self.sketch else [])]
        if len(line) >= 2:
            painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            xs = [p[0] for p in line]
            ys = [p[1] for p in line]
            px, py = view.to_pixels(xs, ys)
            pts = [QPointF(x, y) for x, y in zip(px.tolist(), py.tolist())]
            for a, b in zip(pts, pts[1:]):
                painter.drawLine(a, b)
        if self.snap is not None:
            x, y = view.to_pixels(self.snap.xy[0], self.snap.xy[1])
            painter.setPen(QPen(SNAP, 2))
            r = 6.0
            if self.snap.kind in ("vertex", "corner"):
                painter.drawRect(QRectF(float(x) - r, float(y) - r, 2 * r, 2 * r))
            else:
                painter.drawEllipse(QPointF(float(x), float(y)), r, r)
        if self.problems:
            marker = PREVIEW_WARN if warning else PREVIEW_BAD
            painter.setPen(QPen(marker, 3))
            for p in self.problems:
                if p.location is None:
                    continue
                x, y = view.to_pixels(p.location[0], p.location[1])
                x, y = float(x), float(y)
                painter.drawLine(QPointF(x - 8, y - 8), QPointF(x + 8, y + 8))
                painter.drawLine(QPointF(x - 8, y + 8), QPointF(x + 8, y - 8))
            first = self.problems[0]
            text = problem_text(first)
            metrics = QFontMetricsF(painter.font())
            box = QRectF(10, self.height() - 62, metrics.horizontalAdvance(text) + 16, 24)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 230))
            painter.drawRoundedRect(box, 4, 4)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(marker)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
