"""The map canvas: composes per-layer images rendered off the GUI thread into one interactive map.

Each visible layer is painted by ``layers.render.render_layer`` into its own QImage on a worker of
the canvas's thread pool, from a snapshot of the layer taken on the GUI thread. The canvas keeps the
last image of every layer with the view it was painted for, so during a drag or a wheel zoom it only
transforms those images (one ``drawImage`` per layer) and re-renders when the view has settled.
A view change cancels the jobs in flight and bumps a generation counter: a result painted for an
older generation is dropped. Nothing here holds an object per feature.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import shapely
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.render_pool import image_from_raw, shared_pool
from layers.render import CancelToken, hit_test, render_layer
from layers.view import MapView

__all__ = ["MapCanvas", "nice_scale_length", "is_outline_only", "BACKGROUND", "HIGHLIGHT"]

BACKGROUND = QColor("#f3f1ec")
HIGHLIGHT = QColor("#00b4ff")
SETTLE_MS = 150
DRAG_THRESHOLD_PX = 4
WHEEL_STEP = 1.25  # zoom factor per wheel notch


def nice_scale_length(metres_per_px: float, target_px: float = 110.0) -> float:
    """A round length (1, 2 or 5 × 10ⁿ metres) whose bar is at most about ``target_px`` long."""
    raw = metres_per_px * target_px
    exp = math.floor(math.log10(raw))
    for m in (5, 2, 1):
        if m * 10**exp <= raw:
            return float(m * 10**exp)
    return float(10**exp)


@dataclass
class _LayerImage:
    image: QImage
    view: MapView
    render_ms: float
    serial: int = 0


class _JobSignals(QObject):
    """Carries finished render jobs from the workers to the GUI thread (queued).

    It has no parent: the jobs' closures keep it alive until the last one has reported, even
    if the canvas is gone by then."""

    # generation, key, seq, image (None: cancelled or failed), view, ms, cancelled
    finished = Signal(int, object, int, object, object, float, bool)
    identified = Signal(int, object, object)  # click seq, layer, feature id


class MapCanvas(QWidget):
    """The map widget. Layers are given bottom-to-top with :meth:`set_layers`.

    Signals: ``viewChanged(MapView)`` on every change of view, ``cursorMoved(x, y)`` in the working
    CRS, ``featureIdentified(layer, id)`` after a click (id None where nothing was hit),
    ``renderFinished()`` when every visible layer is painted for the current view.
    """

    viewChanged = Signal(object)
    cursorMoved = Signal(float, float)
    featureIdentified = Signal(object, object)
    renderFinished = Signal()
    renderStarted = Signal()

    def __init__(
        self, parent: QWidget | None = None, threads: int = 2, render_in: str | None = None
    ):
        super().__init__(parent)
        # "process" (default): render jobs run in worker processes (see desktop.render_pool);
        # "thread": in this process's thread pool, which PySide's GIL makes block the GUI.
        self.render_in = render_in or os.environ.get("ZHIWANG_RENDER_IN", "process")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._view = MapView(0.0, 0.0, 1.0, max(self.width(), 1), max(self.height(), 1))
        self._has_view = False
        self._layers: list = []
        self._images: dict[int, _LayerImage] = {}
        self._composite: tuple | None = None  # (key, image, view): the layers composed once
        self._generation = 0
        self._seq = itertools.count(1)
        self._latest_seq: dict[int, int] = {}
        self._tokens: dict[int, CancelToken] = {}
        self._pending: set[int] = set()
        self._selection: dict[str, frozenset] = {}
        self._highlight: QPainterPath | None = None
        self._highlight_geom = None
        self._press: QPoint | None = None
        self._press_view: MapView | None = None
        self._dragging = False
        self._click_seq = 0
        self.last_render_ms: dict[str, float] = {}
        self.show_decorations = True

        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._signals = _JobSignals()
        self._signals.finished.connect(self._on_rendered, Qt.ConnectionType.QueuedConnection)
        self._signals.identified.connect(self._on_identified, Qt.ConnectionType.QueuedConnection)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.render_now)

    # ------------------------------------------------------------------ state
    @property
    def view(self) -> MapView:
        return self._view

    @property
    def layers(self) -> list:
        return list(self._layers)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(800, 600)

    def set_layers(self, layers: Sequence) -> None:
        """Show ``layers`` (bottom-to-top); re-renders the ones not painted yet."""
        keep = {id(layer) for layer in layers}
        for key in list(self._images):
            if key not in keep:
                del self._images[key]
        self._layers = list(layers)
        self.render_now()

    def refresh_layer(self, layer) -> None:
        """Re-render one layer (after a style, visibility or data change)."""
        if layer not in self._layers:
            return
        if not self._layer_visible(layer):
            self._cancel(id(layer))
            self._check_done()
            self.update()
            return
        self._start_job(layer)

    def refresh(self) -> None:
        """Re-render every visible layer (after the store's data changed)."""
        self.render_now()

    def set_view(self, view: MapView, settle_ms: int | None = SETTLE_MS) -> None:
        """Move to ``view``. The last images are transformed at once; the layers re-render when the
        view has not changed for ``settle_ms`` (0 or None: right away)."""
        if view.width != self.width() or view.height != self.height():
            view = view.resized(max(self.width(), 1), max(self.height(), 1))
        self._view = view
        self._has_view = True
        self._cancel_all()
        self._generation += 1
        if self.render_in == "process":
            shared_pool().bump()
        self.update()
        self.viewChanged.emit(view)
        if settle_ms:
            self._settle.start(settle_ms)
        else:
            self._settle.stop()
            self.render_now()

    def zoom_to_bbox(self, bbox: Sequence[float], margin: float = 0.05, min_scale: float = 0.05):
        """Show ``bbox`` (working CRS) with a margin; a point or tiny box zooms to ``min_scale``."""
        w, h = max(self.width(), 1), max(self.height(), 1)
        view = MapView.fit(bbox, w, h, margin=margin)
        if view.scale < min_scale:
            view = MapView(view.center_x, view.center_y, min_scale, w, h)
        self.set_view(view, settle_ms=None)

    def center_on(self, x: float, y: float, scale: float | None = None) -> None:
        s = scale or self._view.scale
        self.set_view(MapView(x, y, s, max(self.width(), 1), max(self.height(), 1)), None)

    def zoom_by(self, factor: float, anchor_px: tuple[float, float] | None = None) -> None:
        self.set_view(self._view.zoomed(factor, anchor_px), settle_ms=SETTLE_MS)

    def pan_by(self, dx_px: float, dy_px: float) -> None:
        self.set_view(self._view.panned(dx_px, dy_px), settle_ms=SETTLE_MS)

    def set_selection(self, kind: str, ids: Iterable[int]) -> None:
        """Highlight features ``ids`` of layers of ``kind`` (replaces that kind's selection)."""
        new = frozenset(int(i) for i in ids)
        if self._selection.get(kind, frozenset()) == new:
            return
        if new:
            self._selection[kind] = new
        else:
            self._selection.pop(kind, None)
        for layer in self._layers:
            if layer.kind == kind:
                self.refresh_layer(layer)

    def selection(self, kind: str) -> frozenset:
        return self._selection.get(kind, frozenset())

    def clear_selection(self) -> None:
        for kind in list(self._selection):
            self.set_selection(kind, ())
        self.set_highlight(None)

    def set_highlight(self, geometry) -> None:
        """Outline one shapely geometry (a search hit) on top of all layers; None removes it."""
        self._highlight_geom = geometry
        self.update()

    def is_rendering(self) -> bool:
        return bool(self._pending) or self._settle.isActive()

    def image_of(self, layer) -> QImage | None:
        item = self._images.get(id(layer))
        return None if item is None else item.image

    def wait_rendered(self, timeout_ms: int = 10_000) -> bool:
        """Process events until the current view is fully painted (tests and exports)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(timeout_ms)
        while self.is_rendering():
            if deadline.hasExpired():
                return False
            QCoreApplication.processEvents()
            time.sleep(0.002)
        QCoreApplication.processEvents()
        return True

    def shutdown(self) -> None:
        """Cancel every job and wait for the workers (before the window closes)."""
        self._settle.stop()
        self._cancel_all()
        self._pool.clear()
        self._pool.waitForDone()

    # ------------------------------------------------------------------ rendering
    @staticmethod
    def _layer_visible(layer) -> bool:
        return bool(getattr(layer, "visible", True))

    @Slot()
    def render_now(self) -> None:
        self._settle.stop()
        if not self._has_view or self.width() <= 0 or self.height() <= 0:
            return
        for layer in self._layers:
            if self._layer_visible(layer):
                self._start_job(layer)
        self._check_done()

    def _start_job(self, layer) -> None:
        key = id(layer)
        self._cancel(key)
        seq = next(self._seq)
        self._latest_seq[key] = seq
        token = CancelToken()
        self._tokens[key] = token
        was_idle = not self._pending
        self._pending.add(key)
        snapshot = layer.snapshot()
        view = self._view
        selection = self._selection.get(layer.kind, frozenset())
        generation = self._generation
        signals = self._signals
        name = layer.name

        if self.render_in == "process" and shared_pool().broken:
            logging.getLogger(__name__).error(
                "the render processes stopped; rendering in threads from now on "
                "(a script that opens the window needs `if __name__ == '__main__':`)"
            )
            self.render_in = "thread"
        if self.render_in == "process":
            pool = shared_pool()
            epoch = pool.epoch

            def done(future) -> None:
                image, ms, cancelled = None, 0.0, False
                try:
                    raw = future.result()
                except BrokenProcessPool:
                    cancelled = True  # painted again, in a thread (see above)
                except Exception as exc:  # a failing layer must not take the others down
                    logging.getLogger(__name__).error("rendering layer %s failed: %s", name, exc)
                else:
                    if raw is None:
                        cancelled = True
                    else:
                        image, ms = image_from_raw(raw[:4]), raw[4]
                signals.finished.emit(generation, key, seq, image, view, ms, cancelled)

            pool.render(snapshot, view, selection, epoch).add_done_callback(done)
        else:

            def job() -> None:
                if token.cancelled:
                    signals.finished.emit(generation, key, seq, None, view, 0.0, True)
                    return
                t0 = time.perf_counter()
                try:
                    image = render_layer(snapshot, view, cancel=token, selection=selection)
                except Exception:  # a failing layer must not take the others down
                    logging.getLogger(__name__).exception("rendering layer %s failed", name)
                    image = None
                ms = (time.perf_counter() - t0) * 1000
                signals.finished.emit(generation, key, seq, image, view, ms, token.cancelled)

            self._pool.start(job)
        if was_idle:
            self.renderStarted.emit()

    def _cancel(self, key: int) -> None:
        token = self._tokens.pop(key, None)
        if token is not None:
            token.cancel()
        self._pending.discard(key)

    def _cancel_all(self) -> None:
        for key in list(self._tokens):
            self._cancel(key)

    @Slot(int, object, int, object, object, float, bool)
    def _on_rendered(self, generation, key, seq, image, view, ms, cancelled) -> None:
        if self._latest_seq.get(key) != seq:
            return  # superseded by a newer job of this layer
        self._tokens.pop(key, None)
        if generation != self._generation:
            return  # painted for a view we have left; its replacement is (or will be) queued
        if cancelled:
            # Cancelled although this view is still current (another canvas moved the shared
            # render processes on): paint it again.
            layer = next((lyr for lyr in self._layers if id(lyr) == key), None)
            if layer is not None and self._layer_visible(layer):
                self._start_job(layer)
                return
        self._pending.discard(key)
        if image is not None:
            self._images[key] = _LayerImage(image, view, ms, next(self._seq))
            layer = next((lyr for lyr in self._layers if id(lyr) == key), None)
            if layer is not None:
                self.last_render_ms[layer.name] = ms
        self.update()
        self._check_done()

    def _check_done(self) -> None:
        if not self._pending and not self._settle.isActive():
            self.renderFinished.emit()

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        self.paint_layers(painter, self._view)
        painter.setOpacity(1.0)
        if self._highlight_geom is not None:
            self._paint_highlight(painter)
        if self.show_decorations:
            paint_scale_bar(painter, self._view, QPointF(14, self.height() - 16))
            paint_north_arrow(painter, QPointF(self.width() - 30, 18), self.tr("N"))
        painter.end()

    def paint_layers(self, painter: QPainter, view: MapView) -> None:
        """Draw every visible layer's last image, transformed from its view to ``view``.

        Layers painted for the same view are first composed into one cached image (once per
        change), so a frame of a drag or wheel zoom draws one transformed image, not one per
        layer; transformed frames use the fast (nearest-pixel) transform."""
        items = [
            (layer, self._images.get(id(layer)))
            for layer in self._layers
            if self._layer_visible(layer) and id(layer) in self._images
        ]
        if not items:
            return
        moving = any(item.view != view for _, item in items)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not moving)
        if len({item.view for _, item in items}) == 1:
            key = tuple((item.serial, round(float(layer.opacity), 3)) for layer, item in items)
            if self._composite is None or self._composite[0] != key:
                first = items[0][1]
                image = QImage(first.image.size(), QImage.Format.Format_ARGB32_Premultiplied)
                image.fill(Qt.GlobalColor.transparent)
                p = QPainter(image)
                for layer, item in items:
                    p.setOpacity(float(getattr(layer, "opacity", 1.0)))
                    p.drawImage(0, 0, item.image)
                p.end()
                self._composite = (key, image, first.view)
            _, image, image_view = self._composite
            painter.setOpacity(1.0)
            painter.drawImage(_target_rect(image_view, view), image)
            return
        for layer, item in items:
            painter.setOpacity(float(getattr(layer, "opacity", 1.0)))
            painter.drawImage(_target_rect(item.view, view), item.image)

    def _paint_highlight(self, painter: QPainter) -> None:
        path = QPainterPath()
        for part in _flat_parts(self._highlight_geom):
            type_id = shapely.get_type_id(part)
            if type_id == 0:  # point
                px, py = self._view.to_pixels(part.x, part.y)
                path.addEllipse(QPointF(float(px), float(py)), 10, 10)
                continue
            lines = shapely.get_rings(part) if type_id == 3 else [part]
            for line in lines:
                xy = shapely.get_coordinates(line)
                px, py = self._view.to_pixels(xy[:, 0], xy[:, 1])
                path.addPolygon(QPolygonF([QPointF(a, b) for a, b in zip(px, py)]))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 6))
        painter.drawPath(path)
        painter.setPen(QPen(HIGHLIGHT, 3))
        painter.drawPath(path)

    # ------------------------------------------------------------------ interaction
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        size = event.size()
        if size.width() > 0 and size.height() > 0:
            self._view = self._view.resized(size.width(), size.height())
            if self._has_view:
                self.set_view(self._view, settle_ms=SETTLE_MS)
        super().resizeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self._press_view = self._view
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = pos.toPoint() - self._press
            if self._dragging or delta.manhattanLength() > DRAG_THRESHOLD_PX:
                if not self._dragging:
                    self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self._dragging = True
                self.set_view(self._press_view.panned(delta.x(), delta.y()), settle_ms=SETTLE_MS)
        x, y = self._view.to_map(pos.x(), pos.y())
        self.cursorMoved.emit(float(x), float(y))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if self._dragging:
                self.unsetCursor()
            else:
                pos = event.position()
                self.identify_at(pos.x(), pos.y())
            self._press = None
            self._dragging = False
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        steps = event.angleDelta().y() / 120.0
        if steps:
            pos = event.position()
            self.zoom_by(WHEEL_STEP**steps, (pos.x(), pos.y()))
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        step = 80
        moves = {
            Qt.Key.Key_Left: (step, 0),
            Qt.Key.Key_Right: (-step, 0),
            Qt.Key.Key_Up: (0, step),
            Qt.Key.Key_Down: (0, -step),
        }
        if key in moves:
            self.pan_by(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(WHEEL_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / WHEEL_STEP)
        else:
            super().keyPressEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().leaveEvent(event)

    def identify_at(self, px: float, py: float) -> None:
        """Find the top-most visible feature under pixel (px, py) off the GUI thread; emits
        ``featureIdentified(layer, id)`` (``(None, None)`` where nothing is there)."""
        self._click_seq += 1
        seq = self._click_seq
        visible = [layer for layer in reversed(self._layers) if self._layer_visible(layer)]
        # Outline-only polygons (grid cells, the community boundary) cover everything inside
        # them: they answer a click only where no filled feature is, the smallest one first.
        filled = [(lyr, lyr.snapshot()) for lyr in visible if not is_outline_only(lyr)]
        outlines = [(lyr, lyr.snapshot()) for lyr in visible if is_outline_only(lyr)]
        view = self._view
        signals = self._signals

        def job() -> None:
            for layer, snapshot in filled:
                fid = _hit(snapshot, view, px, py)
                if fid is not None:
                    signals.identified.emit(seq, layer, fid)
                    return
            best = None
            for layer, snapshot in outlines:
                fid = _hit(snapshot, view, px, py)
                if fid is None:
                    continue
                try:
                    area = float(
                        shapely.area(snapshot.store.features(layer.kind, [fid]).geometry).min()
                    )
                except Exception:
                    area = float("inf")
                if best is None or area < best[0]:
                    best = (area, layer, fid)
            if best is not None:
                signals.identified.emit(seq, best[1], best[2])
            else:
                signals.identified.emit(seq, None, None)

        self._pool.start(job)

    @Slot(int, object, object)
    def _on_identified(self, seq, layer, fid) -> None:
        if seq == self._click_seq:
            self.featureIdentified.emit(layer, fid)


def _hit(snapshot, view: MapView, px: float, py: float):
    try:
        return hit_test(snapshot, view, px, py)
    except Exception:  # a layer whose query fails must not stop identify on the others
        return None


def _flat_parts(geom) -> list:
    """Points, lines and polygons of a geometry, collections and multi-parts unpacked."""
    out, todo = [], [geom]
    while todo:
        g = todo.pop()
        if g is None or shapely.is_empty(g):
            continue
        if shapely.get_type_id(g) in (4, 5, 6, 7):
            todo.extend(shapely.get_parts(g).tolist())
        else:
            out.append(g)
    return out


def is_outline_only(layer) -> bool:
    """A polygon layer none of whose symbols fills (drawn as outlines only)."""
    if "POLYGON" not in layer.geometry_type:
        return False
    style = layer.style
    symbols = getattr(style, "categories", None)
    if symbols is not None:
        symbols = [*symbols.values(), style.default]
    elif hasattr(style, "symbols"):
        symbols = [*style.symbols, *([style.missing] if style.missing else [])]
    else:
        symbols = [style]
    return all(sym.fill is None for sym in symbols)


def _target_rect(src: MapView, dst: MapView) -> QRectF:
    """Where an image painted for ``src`` lands on a widget showing ``dst``."""
    x0, y0 = src.to_map(0.0, 0.0)
    x1, y1 = src.to_map(float(src.width), float(src.height))
    px0, py0 = dst.to_pixels(x0, y0)
    px1, py1 = dst.to_pixels(x1, y1)
    return QRectF(float(px0), float(py0), float(px1 - px0), float(py1 - py0))


def format_length(metres: float) -> str:
    if metres >= 1000:
        return QCoreApplication.translate("MapCanvas", "{0} km").format(f"{metres / 1000:g}")
    return QCoreApplication.translate("MapCanvas", "{0} m").format(f"{metres:g}")


def paint_scale_bar(painter: QPainter, view: MapView, origin: QPointF, scale_px: float = 1.0):
    """A black-and-white scale bar whose left end is at ``origin`` (bottom-left corner)."""
    length_m = nice_scale_length(view.scale, 110.0 * scale_px)
    bar = length_m / view.scale
    h = 6.0 * scale_px
    x, y = origin.x(), origin.y()
    painter.save()
    painter.setOpacity(1.0)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    font = QFont(painter.font())
    font.setPixelSize(max(int(11 * scale_px), 8))
    painter.setFont(font)
    label = format_length(length_m)
    text_w = painter.fontMetrics().horizontalAdvance(label)
    painter.fillRect(
        QRectF(
            x - 6 * scale_px,
            y - h - 20 * scale_px,
            bar + 12 * scale_px + max(0, text_w - bar),
            h + 26 * scale_px,
        ),
        QColor(255, 255, 255, 190),
    )
    painter.setPen(QPen(QColor("#222222"), 1))
    half = bar / 2
    painter.fillRect(QRectF(x, y - h, half, h), QColor("#222222"))
    painter.fillRect(QRectF(x + half, y - h, half, h), QColor("#ffffff"))
    painter.drawRect(QRectF(x, y - h, bar, h))
    painter.drawText(QPointF(x, y - h - 4 * scale_px), label)
    painter.restore()


def paint_north_arrow(painter: QPainter, top: QPointF, letter: str, scale_px: float = 1.0) -> None:
    """A north arrow whose tip is at ``top`` (the working CRS's grid north is up)."""
    s = scale_px
    x, y = top.x(), top.y()
    painter.save()
    painter.setOpacity(1.0)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor("#222222"), 1.2 * s))
    left = QPolygonF([QPointF(x, y), QPointF(x - 9 * s, y + 26 * s), QPointF(x, y + 20 * s)])
    right = QPolygonF([QPointF(x, y), QPointF(x + 9 * s, y + 26 * s), QPointF(x, y + 20 * s)])
    painter.setBrush(QColor("#222222"))
    painter.drawPolygon(left)
    painter.setBrush(QColor("#ffffff"))
    painter.drawPolygon(right)
    font = QFont(painter.font())
    font.setPixelSize(int(12 * s))
    font.setBold(True)
    painter.setFont(font)
    w = painter.fontMetrics().horizontalAdvance(letter)
    painter.drawText(QPointF(x - w / 2, y + 40 * s), letter)
    painter.restore()
