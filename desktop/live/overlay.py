"""The live-marker overlay: every sensor and camera of the map, painted from arrays on top of it.

One transparent widget over the canvas (no item or QObject per marker). Each tick of the live
monitor's timer hands it the latest snapshot; it works out, with a few numpy operations, where
each marker goes, which symbol it gets and which markers merge into cluster badges, then paints
the frame: camera view sectors as one path per feed state, every icon with one
``drawPixmapFragments`` call from the symbol atlas, the cluster badges, and a pulsing ring
around markers with unacknowledged alarms.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import numpy as np
from pyqtgraph import arrayToQPath
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QRegion
from PySide6.QtWidgets import QWidget

from desktop.live.markers import cluster_grid, sector_vertices, visible_mask, with_states
from desktop.live.symbols import (
    CAMERA_PX,
    FEED_COLORS,
    SENSOR_PX,
    STATE_COLORS,
    BadgeCache,
    SymbolAtlas,
)
from gis_core.live import SensorState
from sensor_adapters.camera import FeedState

__all__ = ["LiveOverlay", "CLUSTER_SCALE", "Hit"]

#: Metres per pixel from which sensors that crowd together merge into cluster badges; zoomed in
#: further, every sensor has its own icon.
CLUSTER_SCALE = 0.5
CLUSTER_PX = 44.0
#: Smallest view-sector radius worth drawing, in pixels.
MIN_SECTOR_PX = 6.0
HIT_PX = 13.0


@dataclass(frozen=True)
class Hit:
    """What a click on the overlay found: ``kind`` "sensor", "camera" or "cluster"."""

    kind: str
    index: int  # sensor slot, camera index or cluster index
    x: float  # map coordinates of the marker (cluster: of its members' centre)
    y: float
    members: np.ndarray | None = None  # sensor slots of a cluster
    bbox: tuple[float, float, float, float] | None = None  # a cluster's members' extent


class LiveOverlay(QWidget):
    """Paints the latest live state over ``canvas``; never takes mouse events."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setGeometry(canvas.rect())
        self.atlas = SymbolAtlas()
        self.badges = BadgeCache()
        self.cluster_scale = CLUSTER_SCALE
        self._snap = None
        self._cams = None
        self._flashing = np.empty(0, dtype=np.int64)  # sensor slots with unacknowledged alarms
        self._flash_cams = np.empty(0, dtype=np.int64)
        self._sensor_frags = PrimitiveArray(QPainter.PixmapFragment, 10)
        self._camera_frags = PrimitiveArray(QPainter.PixmapFragment, 10)
        self._sectors: list = []
        self._clusters = None
        self._sensor_px = (np.empty(0), np.empty(0))
        self._camera_px = (np.empty(0), np.empty(0))
        self._camera_drawn = np.empty(0, dtype=np.int64)
        self._sensor_drawn = np.empty(0, dtype=np.int64)
        self._camera_watched = np.empty(0, dtype=bool)  # cameras with a stream to watch
        self._n_sensors = 0
        self._cluster_key = None  # what the grouping of the cached clusters depends on
        self._sensor_xy = None  # the coordinates positions were computed from
        self._camera_xy = None
        self._geometry_version = 0
        self._cluster_base = None
        self._drawn_key: tuple | None = None  # what the last frame showed (_drawn_state)
        self.skipped = 0  # ticks with nothing new to paint
        self.always_repaint = False  # repaint everything every tick (benchmarks)
        self._pos_key = None
        self._cam_key = None
        self.tick_started: float | None = None
        self.frame_ms: deque[float] = deque(maxlen=20_000)
        self.paint_ms: deque[float] = deque(maxlen=20_000)
        self.frames = 0
        canvas.installEventFilter(self)
        canvas.viewChanged.connect(self._on_view)
        self.hide()

    # ------------------------------------------------------------------ inputs
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.canvas and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
        return False

    def _on_view(self, _view) -> None:
        if self.isVisible():
            self._prepare()
            self._drawn_key = self._drawn_state()
            self.update()

    def clear(self) -> None:
        self._snap = self._cams = None
        self._clusters = None
        self._pos_key = self._cam_key = None
        self._cluster_key = self._cluster_base = self._drawn_key = None
        self._sensor_xy = self._camera_xy = None
        self._sensor_frags.resize(0)
        self._camera_frags.resize(0)
        self._sectors = []
        self.update()

    def set_frame(
        self, snapshot, cameras=None, flashing=None, flash_cameras=None, camera_watched=None
    ) -> None:
        """The latest sensor snapshot (gis_core.ingest.LiveSnapshot), camera snapshot
        (sensor_adapters.camera.CameraSnapshot; None keeps the last) and the sensor slots to
        flash; repaints once. ``camera_watched``: per camera, whether it has a stream."""
        self._snap = snapshot
        if cameras is not None:
            self._cams = cameras
        if camera_watched is not None:
            self._camera_watched = np.asarray(camera_watched, dtype=bool)
        self._flashing = (
            np.asarray(flashing, dtype=np.int64) if flashing is not None else self._flashing
        )
        if flash_cameras is not None:
            self._flash_cams = np.asarray(flash_cameras, dtype=np.int64)
        self._prepare()
        # Repaint once per tick, and only what changed: the markers and badges whose symbol
        # changed (everything when the view or what is drawn changed), plus the pulsing rings
        # of unacknowledged alarms.
        drawn = self._drawn_state()
        dirty = None if self.always_repaint else self._dirty_region(self._drawn_key, drawn)
        self._drawn_key = drawn
        rings = self._flash_region()
        if dirty is None:
            self.update()
        elif not dirty.isEmpty() or rings is not None:
            self.update(dirty.united(rings) if rings is not None else dirty)
        else:
            self.skipped += 1
            self.tick_started = None

    def _drawn_state(self) -> tuple:
        """What a frame shows, as arrays (copies): compared with the last frame's."""
        c = self._clusters
        return (
            self.canvas.view,
            self.width(),
            self.height(),
            self._sensor_frags.ndarray().copy(),
            self._camera_frags.ndarray().copy(),
            None if c is None else np.column_stack([c.x, c.y, c.count, c.worst]),
            len(self._sectors),
        )

    def _dirty_region(self, old: tuple | None, new: tuple) -> QRegion | None:
        """The screen area whose drawing changed between two frames; None: all of it."""
        if old is None or old[:3] != new[:3] or old[6] != new[6]:
            return None  # another view, or sectors appeared / went
        rects: list[tuple[float, float, float]] = []  # x, y, half size
        for k, half in ((3, SENSOR_PX / 2 + 2), (4, CAMERA_PX / 2 + 2)):
            a, b = old[k], new[k]
            if a.shape != b.shape:
                return None
            changed = np.flatnonzero((a != b).any(axis=1))
            if k == 4 and len(changed) and len(self._sectors):
                return None  # a camera's sector changes colour with its state
            rects += [(a[i, 0], a[i, 1], half) for i in changed.tolist()]
            rects += [(b[i, 0], b[i, 1], half) for i in changed.tolist()]
        a, b = old[5], new[5]
        if (a is None) != (b is None) or (a is not None and a.shape != b.shape):
            return None
        if a is not None:
            changed = np.flatnonzero((a != b).any(axis=1))
            for i in changed.tolist():
                for row in (a[i], b[i]):
                    rects.append((row[0], row[1], BadgeCache.diameter(int(row[2])) / 2 + 22))
        if len(rects) > 300:
            return None
        region = QRegion()
        for x, y, half in rects:
            region = region.united(
                QRect(int(x - half) - 1, int(y - half) - 1, int(2 * half) + 3, int(2 * half) + 3)
            )
        return region

    def _flash_region(self) -> QRegion | None:
        points = self._flash_points()
        if points is None:
            return None
        region = QRegion()
        for x, y, r in points:
            d = int(r + 20)
            region = region.united(QRect(int(x) - d, int(y) - d, 2 * d, 2 * d))
        return region

    def set_flash_cameras(self, indices) -> None:
        """Cameras (indices into the camera snapshot) whose alarm is not acknowledged yet."""
        self._flash_cams = np.asarray(indices, dtype=np.int64)

    @property
    def clustering(self) -> bool:
        return self.canvas.view.scale >= self.cluster_scale

    # ------------------------------------------------------------------ per-tick array work
    def _prepare(self) -> None:
        """Pixel positions, symbols and clusters of everything in view (a few array ops)."""
        view = self.canvas.view
        w, h = max(self.width(), 1), max(self.height(), 1)
        snap, cams = self._snap, self._cams
        n_s = len(snap) if snap is not None else 0
        n_c = len(cams) if cams is not None else 0
        # Positions only change with the view or a reloaded device table: each snapshot is a
        # fresh copy, so compare the coordinates themselves (cheap) rather than the arrays' ids.
        if n_s:
            if self._sensor_xy is None or not np.array_equal(self._sensor_xy, snap.x):
                self._sensor_xy = snap.x
                self._geometry_version += 1
            key = (view, self._geometry_version)
            if key != self._pos_key:
                self._sensor_px = view.to_pixels(snap.x, snap.y)
                self._pos_key = key
        else:
            self._sensor_px = (np.empty(0), np.empty(0))
        if n_c:
            if self._camera_xy is None or not np.array_equal(self._camera_xy, cams.x):
                self._camera_xy = cams.x
                self._geometry_version += 1
            key = (view, self._geometry_version)
            if key != self._cam_key:
                self._camera_px = view.to_pixels(cams.x, cams.y)
                self._cam_key = key
        else:
            self._camera_px = (np.empty(0), np.empty(0))
        spx, spy = self._sensor_px
        cpx, cpy = self._camera_px
        s_in = visible_mask(spx, spy, w, h)
        c_in = visible_mask(cpx, cpy, w, h)
        s_state = snap.state if n_s else np.empty(0, np.uint8)
        c_state = cams.state.astype(np.int64) if n_c else np.empty(0, np.int64)
        self._sectors = []
        if self.clustering:
            # Sensors and cameras together: a camera counts as normal while live (or when it has
            # no stream to watch), stale or offline when its monitored feed is.
            c_as = np.full(n_c, SensorState.NORMAL, dtype=np.uint8)
            if n_c:
                watched = self._camera_watched if len(self._camera_watched) == n_c else True
                c_as[(c_state == FeedState.STALE) & watched] = SensorState.STALE
                c_as[(c_state == FeedState.OFFLINE) & watched] = SensorState.OFFLINE
            states = np.concatenate([s_state, c_as])
            key = (view, w, h, self._geometry_version, n_s, n_c)
            if key != self._cluster_key or self._cluster_base is None:
                # The grouping depends on where markers are, not on their states.
                self._cluster_base = cluster_grid(
                    np.concatenate([spx, cpx]),
                    np.concatenate([spy, cpy]),
                    states,
                    CLUSTER_PX,
                    np.concatenate([s_in, c_in]),
                )
                self._cluster_key = key
            clusters = with_states(self._cluster_base, states)
            single = np.zeros(n_s + n_c, dtype=bool)
            ok = clusters.members >= 0
            single[ok] = clusters.count[clusters.members[ok]] == 1
            s_drawn = np.flatnonzero(single[:n_s])
            c_drawn = np.flatnonzero(single[n_s:])
            self._clusters = clusters if len(clusters) else None
            self._n_sensors = n_s
        else:
            s_drawn = np.flatnonzero(s_in)
            if n_c:  # a camera just off screen may still show part of its sector
                c_in = visible_mask(cpx, cpy, w, h, self._sector_margin(view))
            c_drawn = np.flatnonzero(c_in)
            self._clusters = None
            if n_c:
                self._sectors = self._sector_paths(cams, view, c_drawn)
        if n_s:
            sx, sy = self.atlas.sensor_source(
                snap.kind_codes[s_drawn].astype(np.int64), s_state[s_drawn].astype(np.int64)
            )
            self._fill(self._sensor_frags, spx[s_drawn], spy[s_drawn], sx, sy, SENSOR_PX, 1.0)
        else:
            self._sensor_frags.resize(0)
        if n_c:
            sx, sy = self.atlas.camera_source(c_state[c_drawn])
            self._fill(self._camera_frags, cpx[c_drawn], cpy[c_drawn], sx, sy, CAMERA_PX, 1.0)
        else:
            self._camera_frags.resize(0)
        self._sensor_drawn = s_drawn
        self._camera_drawn = c_drawn

    def _sector_margin(self, view) -> float:
        cams = self._cams
        return float(np.max(cams.range_m, initial=0.0)) / view.scale + CAMERA_PX

    def _sector_paths(self, cams, view, drawn: np.ndarray) -> list:
        """One path per feed state holding every drawn camera's view sector."""
        px, py = self._camera_px
        radius = cams.range_m / view.scale
        state = cams.state.astype(np.int64)
        big = drawn[radius[drawn] >= MIN_SECTOR_PX]
        paths = []
        for f in FeedState:
            sel = big[state[big] == int(f)]
            if len(sel) == 0:
                continue
            vx, vy = sector_vertices(
                px[sel], py[sel], cams.heading_deg[sel], cams.fov_deg[sel], radius[sel]
            )
            connect = np.ones(vx.shape, dtype=np.int32)
            connect[:, -1] = 0  # each sector is its own sub-path
            paths.append(
                (f, arrayToQPath(vx.ravel(), vy.ravel(), connect.ravel(), finiteCheck=False))
            )
        return paths

    @staticmethod
    def _fill(frags: PrimitiveArray, x, y, sx, sy, size: int, scale: float) -> None:
        n = len(x)
        frags.resize(n)
        if n == 0:
            return
        a = frags.ndarray()
        a[:, 0] = x
        a[:, 1] = y
        a[:, 2] = sx
        a[:, 3] = sy
        a[:, 4] = size
        a[:, 5] = size
        a[:, 6] = scale
        a[:, 7] = scale
        a[:, 8] = 0.0
        a[:, 9] = 1.0

    # ------------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        t0 = time.perf_counter()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for f, path in self._sectors:
            color = QColor(FEED_COLORS[f])
            stroke = QColor(color)
            color.setAlpha(46)
            stroke.setAlpha(150)
            painter.setPen(QPen(stroke, 1.0))
            painter.setBrush(color)
            painter.drawPath(path)
        pix = self.atlas.pixmap
        if len(self._camera_frags):
            painter.drawPixmapFragments(*self._camera_frags.drawargs(), pix)
        if len(self._sensor_frags):
            painter.drawPixmapFragments(*self._sensor_frags.drawargs(), pix)
        clusters = self._clusters
        if clusters is not None:
            many = np.flatnonzero(clusters.count > 1)
            for i in many.tolist():
                badge = self.badges.get(int(clusters.count[i]), int(clusters.worst[i]))
                painter.drawPixmap(
                    QPointF(clusters.x[i] - badge.width() / 2, clusters.y[i] - badge.height() / 2),
                    badge,
                )
        self._paint_flashes(painter)
        painter.end()
        end = time.perf_counter()
        self.paint_ms.append((end - t0) * 1000.0)
        if self.tick_started is not None:
            self.frame_ms.append((end - self.tick_started) * 1000.0)
            self.tick_started = None
        self.frames += 1

    def _flash_points(self) -> list[tuple[float, float, float]] | None:
        """(x, y, radius) of each ring to pulse: markers (or the badges holding them) with an
        alarm nobody has acknowledged; None when there are none on screen."""
        snap, cams = self._snap, self._cams
        n_s = len(snap) if snap is not None else 0
        slots = self._flashing
        slots = slots[(slots >= 0) & (slots < n_s)] if n_s else slots[:0]
        cam_idx = self._flash_cams
        if cams is not None and len(cam_idx):
            cam_idx = cam_idx[(cam_idx >= 0) & (cam_idx < len(cams))]
        else:
            cam_idx = cam_idx[:0]
        if len(slots) == 0 and len(cam_idx) == 0:
            return None
        spx, spy = self._sensor_px
        cpx, cpy = self._camera_px
        if len(spx) != n_s or (len(cam_idx) and len(cpx) != len(cams)):
            return None
        # Sensors and cameras as one list of markers: index < n_s a sensor, else a camera.
        px = np.concatenate([spx[slots], cpx[cam_idx]])
        py = np.concatenate([spy[slots], cpy[cam_idx]])
        marker = np.concatenate([slots, cam_idx + n_s])
        clusters = self._clusters
        seen: set[int] = set()
        out = []
        w, h = self.width(), self.height()
        for k, m in enumerate(marker.tolist()):
            x, y = float(px[k]), float(py[k])
            if clusters is not None:
                c = int(clusters.members[m]) if m < len(clusters.members) else -1
                if c < 0:
                    continue  # off screen
                if clusters.count[c] > 1:
                    if c not in seen:
                        seen.add(c)
                        r = BadgeCache.diameter(int(clusters.count[c])) / 2 + 4
                        out.append((float(clusters.x[c]), float(clusters.y[c]), r))
                    continue
            if -30 <= x <= w + 30 and -30 <= y <= h + 30:
                out.append((x, y, SENSOR_PX / 2 + 3))
        return out or None

    def _paint_flashes(self, painter: QPainter) -> None:
        points = self._flash_points()
        if points is None:
            return
        phase = (time.monotonic() * 1.25) % 1.0
        color = QColor(STATE_COLORS[SensorState.ALARM])
        color.setAlphaF(0.9 * (1.0 - phase))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(color, 3.0))
        for x, y, r in points:
            grown = r + 15 * phase
            painter.drawEllipse(QPointF(x, y), grown, grown)

    # ------------------------------------------------------------------ clicks and tests
    def hit(self, x: float, y: float) -> Hit | None:
        """The marker or cluster under pixel (x, y): clusters, then sensors, then cameras."""
        view = self.canvas.view
        clusters = self._clusters
        if clusters is not None:
            many = clusters.count > 1
            d = np.hypot(clusters.x - x, clusters.y - y)
            radius = np.array([BadgeCache.diameter(int(c)) / 2 for c in clusters.count])
            cand = np.flatnonzero(many & (d <= radius + 2))
            if len(cand):
                c = int(cand[np.argmin(d[cand])])
                mx, my = view.to_map(clusters.x[c], clusters.y[c])
                members = np.flatnonzero(clusters.members == c)
                n_s = self._n_sensors
                xs, ys = [], []
                if self._snap is not None:
                    xs.append(self._snap.x[members[members < n_s]])
                    ys.append(self._snap.y[members[members < n_s]])
                if self._cams is not None:
                    xs.append(self._cams.x[members[members >= n_s] - n_s])
                    ys.append(self._cams.y[members[members >= n_s] - n_s])
                ax, ay = np.concatenate(xs), np.concatenate(ys)
                bbox = (float(ax.min()), float(ay.min()), float(ax.max()), float(ay.max()))
                return Hit("cluster", c, float(mx), float(my), members[members < n_s], bbox)
        drawn = self._sensor_drawn
        if self._snap is not None and len(drawn):
            px, py = self._sensor_px
            d = np.hypot(px[drawn] - x, py[drawn] - y)
            k = int(np.argmin(d))
            if d[k] <= HIT_PX:
                s = int(drawn[k])
                return Hit("sensor", s, float(self._snap.x[s]), float(self._snap.y[s]))
        cams = self._cams
        drawn = self._camera_drawn
        if cams is not None and len(drawn):
            px, py = self._camera_px
            d = np.hypot(px[drawn] - x, py[drawn] - y)
            k = int(np.argmin(d))
            if d[k] <= HIT_PX:
                c = int(drawn[k])
                return Hit("camera", c, float(cams.x[c]), float(cams.y[c]))
        return None

    def sensor_pixel(self, slot: int) -> tuple[float, float] | None:
        """Where sensor ``slot`` is drawn (for tests and the alarm panel)."""
        px, py = self._sensor_px
        if slot >= len(px):
            return None
        return float(px[slot]), float(py[slot])

    def cluster_badges(self) -> list[tuple[float, float, int, int]]:
        """(x, y, count, worst state) of every badge drawn (clusters of more than one)."""
        c = self._clusters
        if c is None:
            return []
        return [
            (float(c.x[i]), float(c.y[i]), int(c.count[i]), int(c.worst[i]))
            for i in np.flatnonzero(c.count > 1).tolist()
        ]

    def frame_stats(self) -> dict[str, float]:
        """p50 / p99 / max of the frame time (tick start → overlay painted), in ms."""
        if not self.frame_ms:
            return {"frames": 0}
        a = np.fromiter(self.frame_ms, dtype=np.float64)
        p50, p99 = np.percentile(a, [50, 99])
        return {"frames": len(a), "p50": float(p50), "p99": float(p99), "max": float(a.max())}
