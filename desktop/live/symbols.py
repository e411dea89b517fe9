"""Pre-rendered symbols of the live overlay: one atlas pixmap holds every marker variant.

Sensors: an icon per kind (a glyph on a disc) in each state's colour; cameras: a camera glyph in
a status ring per feed state; small dots for crowded views. The overlay draws all markers of a
frame with one ``drawPixmapFragments`` call from this atlas (pyqtgraph's ScatterPlotItem way).
Cluster badges are rendered once per (count label, worst state) and cached.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from gis_core.live import KIND_CODES, SensorState
from sensor_adapters.camera import FeedState

__all__ = [
    "STATE_COLORS",
    "FEED_COLORS",
    "KIND_GLYPHS",
    "SymbolAtlas",
    "BadgeCache",
    "SENSOR_PX",
    "CAMERA_PX",
    "DOT_PX",
]

STATE_COLORS: dict[int, QColor] = {
    SensorState.NORMAL: QColor("#2e7d32"),
    SensorState.WARNING: QColor("#f9a825"),
    SensorState.ALARM: QColor("#d50000"),
    SensorState.STALE: QColor("#9e9e9e"),
    SensorState.OFFLINE: QColor("#455a64"),
}
FEED_COLORS: dict[int, QColor] = {
    FeedState.LIVE: QColor("#00c853"),
    FeedState.STALE: QColor("#ffab00"),
    FeedState.OFFLINE: QColor("#616161"),
}
CAMERA_FILL = QColor("#1565c0")
KIND_GLYPHS: dict[str, str] = {
    "smoke": "烟",
    "bin_fill": "桶",
    "door": "门",
    "water_level": "水",
    "air_quality": "气",
    "gas": "燃",
    "manhole": "井",
}
SENSOR_PX = 22  # sensor icon cell (the disc is 20 px)
CAMERA_PX = 26
DOT_PX = 10
N_STATES = len(SensorState)
N_KINDS = len(KIND_CODES) + 1  # the last: kinds we have no glyph for


def _glyph_font(px: int) -> QFont:
    app = QApplication.instance()
    font = QFont(app.font()) if app is not None else QFont()
    font.setPixelSize(px)
    font.setBold(True)
    return font


class SymbolAtlas:
    """The atlas pixmap and the source rectangle of every symbol in it.

    Layout: row k (0..N_KINDS-1) holds kind k's sensor icon in each state (column = state);
    the next row the cameras per feed state; the last row the small dots per sensor state.
    """

    def __init__(self) -> None:
        width = max(N_STATES * SENSOR_PX, len(FeedState) * CAMERA_PX)
        self.camera_row_y = N_KINDS * SENSOR_PX
        self.dot_row_y = self.camera_row_y + CAMERA_PX
        height = self.dot_row_y + DOT_PX
        pix = QPixmap(width, height)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        kinds = [*KIND_CODES, "other"]
        font = _glyph_font(12)
        for k, kind in enumerate(kinds):
            glyph = KIND_GLYPHS.get(kind, "?")
            for s in range(N_STATES):
                self._sensor(p, s * SENSOR_PX, k * SENSOR_PX, STATE_COLORS[s], glyph, font)
        for f in FeedState:
            self._camera(p, int(f) * CAMERA_PX, self.camera_row_y, FEED_COLORS[f])
        for s in range(N_STATES):
            self._dot(p, s * DOT_PX, self.dot_row_y, STATE_COLORS[s])
        p.end()
        self.pixmap = pix

    # ------------------------------------------------------------------ drawing the atlas
    @staticmethod
    def _sensor(p: QPainter, x: int, y: int, color: QColor, glyph: str, font: QFont) -> None:
        r = QRectF(x + 1, y + 1, SENSOR_PX - 2, SENSOR_PX - 2)
        p.setPen(QPen(QColor("white"), 1.6))
        p.setBrush(color)
        p.drawEllipse(r.adjusted(0.8, 0.8, -0.8, -0.8))
        p.setFont(font)
        light = color.lightnessF() > 0.6
        p.setPen(QColor("#202020") if light else QColor("white"))
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, glyph)

    @staticmethod
    def _camera(p: QPainter, x: int, y: int, ring: QColor) -> None:
        c = QPointF(x + CAMERA_PX / 2, y + CAMERA_PX / 2)
        p.setPen(QPen(ring, 3.2))
        p.setBrush(CAMERA_FILL)
        p.drawEllipse(c, CAMERA_PX / 2 - 2.0, CAMERA_PX / 2 - 2.0)
        # A camera body and lens in white.
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("white"))
        p.drawRoundedRect(QRectF(c.x() - 6, c.y() - 4, 9, 8), 1.5, 1.5)
        lens = QPainterPath()
        lens.moveTo(c.x() + 3, c.y() - 1)
        lens.lineTo(c.x() + 7, c.y() - 4)
        lens.lineTo(c.x() + 7, c.y() + 4)
        lens.lineTo(c.x() + 3, c.y() + 1)
        lens.closeSubpath()
        p.drawPath(lens)

    @staticmethod
    def _dot(p: QPainter, x: int, y: int, color: QColor) -> None:
        p.setPen(QPen(QColor("white"), 1.2))
        p.setBrush(color)
        p.drawEllipse(QRectF(x + 1, y + 1, DOT_PX - 2, DOT_PX - 2))

    # ------------------------------------------------------------------ source rectangles
    def sensor_source(self, kind_code, state):
        """Top-left corner (sx, sy) in the atlas of sensor icons (arrays in, arrays out)."""
        return state * SENSOR_PX, kind_code * SENSOR_PX

    def camera_source(self, feed_state):
        return feed_state * CAMERA_PX, self.camera_row_y + 0 * feed_state

    def dot_source(self, state):
        return state * DOT_PX, self.dot_row_y + 0 * state


class BadgeCache:
    """Cluster badges: a disc in the worst state's colour with the member count, cached."""

    def __init__(self, limit: int = 512) -> None:
        self._cache: OrderedDict[tuple[str, int], QPixmap] = OrderedDict()
        self._limit = limit
        self._font = _glyph_font(12)

    @staticmethod
    def label(count: int) -> str:
        return str(count) if count < 10_000 else f"{count // 1000}k"

    @staticmethod
    def diameter(count: int) -> int:
        return 26 if count < 10 else 30 if count < 100 else 36 if count < 1000 else 42

    def get(self, count: int, worst: int) -> QPixmap:
        key = (self.label(count), int(worst))
        pix = self._cache.get(key)
        if pix is not None:
            self._cache.move_to_end(key)
            return pix
        d = self.diameter(count)
        pix = QPixmap(d + 4, d + 4)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = STATE_COLORS[int(worst)]
        halo = QColor(color)
        halo.setAlpha(90)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(halo)
        p.drawEllipse(QRectF(0, 0, d + 4, d + 4))
        p.setPen(QPen(QColor("white"), 2))
        p.setBrush(color)
        p.drawEllipse(QRectF(3, 3, d - 2, d - 2))
        p.setFont(self._font)
        p.setPen(QColor("#202020") if color.lightnessF() > 0.6 else QColor("white"))
        p.drawText(QRectF(0, 0, d + 4, d + 4), Qt.AlignmentFlag.AlignCenter, key[0])
        p.end()
        self._cache[key] = pix
        while len(self._cache) > self._limit:
            self._cache.popitem(last=False)
        return pix
