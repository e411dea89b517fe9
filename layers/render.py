"""Paint map layers into QImages with QPainter — headless, and safe in worker threads.

Each layer renders from a :class:`~layers.model.LayerSnapshot` into its own transparent image;
:func:`render_map` composes them. The hot path has no Python loop over features: coordinates of
all visible geometries are transformed at once with numpy, thinned to about a pixel, and handed
to Qt as one ``QPainterPath`` per style class, built from a numpy buffer through ``QDataStream``
(DESIGN.md, "Known traps": a ``QPolygonF`` per feature from Python lists is far too slow).
Buildings smaller than a pixel are drawn as a density raster computed by the store; point
markers come from a small pre-rendered symbol atlas; labels are placed greedily without overlap.

A ``QGuiApplication`` must exist before anything is painted (fonts need it); the CLI and
benchmarks call :func:`ensure_gui_app`.
"""

from __future__ import annotations

import math
import os
import struct
import sys
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np
import shapely
from PySide6.QtCore import QByteArray, QDataStream, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from gis_core.store import FeatureFrame
from layers.model import LayerSnapshot, VectorLayer
from layers.style import Categorized, Graduated, LabelStyle, SingleSymbol, Style
from layers.view import MapView

__all__ = [
    "CancelToken",
    "render_layer",
    "render_map",
    "hit_test",
    "ensure_gui_app",
    "SELECTION_FILL",
    "SELECTION_STROKE",
    "IMAGE_FORMAT",
    "DEFAULT_BACKGROUND",
    "LABEL_FONT_FAMILIES",
]

IMAGE_FORMAT = QImage.Format.Format_ARGB32_Premultiplied
DEFAULT_BACKGROUND = "#f5f3ee"
SELECTION_FILL = "#ffe600"
SELECTION_STROKE = "#ff6a00"
LABEL_FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans"]

# Polygons whose typical size is below this many pixels are drawn as a density raster: a dot
# of a few pixels shows no shape, and a raster of the same counts shows the same pattern.
AGGREGATE_BELOW_PX = 2.5
# More features than this in view are drawn as a density raster (see _aggregate); the count is
# taken when the view shows at least PROBE_SHARE of the layer's extent. Polygons are mostly
# aggregated by size already, so they are counted only in views of a large part of the layer.
FEATURE_BUDGET = {"point": 5000, "line": 20000, "polygon": 60000}
PROBE_SHARE = {"point": 0.05, "line": 0.05, "polygon": 0.25}
# Selected features drawn over a density raster are fetched by id, up to this many.
MAX_SELECTION_FETCH = 20000
# Above this many features of one style class in view, outlines are at most 1 px wide.
THICK_STROKE_LIMIT = 2000
# Side of one density-raster cell in pixels.
DENSITY_CELL_PX = 2


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication, created (headless if there is no display) when missing."""
    app = QGuiApplication.instance()
    if app is None:
        if (
            sys.platform.startswith("linux")
            and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(sys.argv[:1] or ["zhiwang"])
    elif not isinstance(app, QGuiApplication):
        raise RuntimeError("a QCoreApplication exists; map rendering needs a QGuiApplication")
    return app  # type: ignore[return-value]


class CancelToken:
    """Set by the canvas when a newer view supersedes a render job; the job checks it."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def _cancelled(cancel: CancelToken | None) -> bool:
    return cancel is not None and cancel.cancelled


# ---------------------------------------------------------------------------- public API
def render_layer(
    snapshot: LayerSnapshot,
    view: MapView,
    cancel: CancelToken | None = None,
    selection: set[int] | frozenset[int] = frozenset(),
) -> QImage | None:
    """Paint one layer's features in ``view`` into a transparent ``view.width`` × ``view.height``
    image, or return None if ``cancel`` was set meanwhile.

    Queries ``snapshot.store`` itself (a bbox query through the spatial index). Features whose ids
    are in ``selection`` are drawn highlighted on top. The layer's opacity is *not* applied here:
    the composer applies it, so changing opacity needs no re-render.
    """
    image = QImage(view.width, view.height, IMAGE_FORMAT)
    image.fill(Qt.GlobalColor.transparent)
    if _cancelled(cancel):
        return None
    if not snapshot.visible:
        return image
    painter = QPainter(image)
    try:
        done = _paint_layer(painter, snapshot, view, cancel, selection)
    finally:
        painter.end()
    return image if done and not _cancelled(cancel) else None


def render_map(
    layers: Iterable[VectorLayer | LayerSnapshot],
    view: MapView,
    background: str | None = DEFAULT_BACKGROUND,
    selection: Mapping[str, set[int] | frozenset[int]] | None = None,
) -> QImage:
    """Render every visible layer (bottom to top) and compose them with their opacity over
    ``background`` (None: transparent). ``selection`` maps layer names to selected ids.

    Opaque layers paint straight into the result (no image per layer to allocate, clear and
    compose: at 1920×1080 that is ~5 ms a layer); translucent ones go through their own image.
    """
    snaps = [lyr.snapshot() if isinstance(lyr, VectorLayer) else lyr for lyr in layers]
    out = QImage(view.width, view.height, IMAGE_FORMAT)
    out.fill(QColor(background) if background else QColor(Qt.GlobalColor.transparent))
    selection = selection or {}
    painter = QPainter(out)
    try:
        for snap in snaps:
            if not snap.visible or snap.opacity <= 0:
                continue
            chosen = frozenset(selection.get(snap.name, ()))
            if snap.opacity >= 1:
                painter.save()
                _paint_layer(painter, snap, view, None, chosen)
                painter.restore()
                continue
            img = render_layer(snap, view, None, chosen)
            if img is not None:
                painter.setOpacity(snap.opacity)
                painter.drawImage(0, 0, img)
                painter.setOpacity(1.0)
    finally:
        painter.end()
    return out


def _paint_layer(
    painter: QPainter,
    snapshot: LayerSnapshot,
    view: MapView,
    cancel: CancelToken | None,
    selection: set[int] | frozenset[int],
) -> bool:
    """Query and paint one layer with ``painter``; False if cancelled on the way."""
    margin_px = _margin_px(snapshot.style)
    minx, miny, maxx, maxy = view.bbox
    pad = margin_px * view.scale
    query_box = (minx - pad, miny - pad, maxx + pad, maxy + pad)

    grid = _aggregate(snapshot, view) if snapshot.aggregate else None
    if _cancelled(cancel):
        return False
    if grid is not None:
        _paint_density(painter, grid, view, snapshot.style)
        if selection and len(selection) <= MAX_SELECTION_FETCH:
            # Fetch the selected features by id: the layer in view may be a million rows.
            frame = snapshot.store.features(snapshot.kind, sorted(selection))
            _paint_selection(painter, frame, view, selection, snapshot)
        return True

    frame = snapshot.store.query_bbox(snapshot.kind, query_box, snapshot.columns)
    if _cancelled(cancel):
        return False
    if len(frame) == 0:
        return True
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    symbols, classes = _classes(snapshot.style, frame)
    if snapshot.is_point:
        _paint_points(painter, frame, view, symbols, classes)
    else:
        _paint_shapes(painter, frame, view, symbols, classes, snapshot.is_polygon)
    if _cancelled(cancel):
        return False
    if selection:
        _paint_selection(painter, frame, view, selection, snapshot)
    if snapshot.label is not None and _label_visible(snapshot.label, view):
        _paint_labels(painter, frame, view, snapshot, cancel)
    return True


def hit_test(
    snapshot: LayerSnapshot, view: MapView, px: float, py: float, tolerance_px: float = 4
) -> int | None:
    """The id of the feature drawn under pixel (px, py), or None.

    Points and lines match within ``tolerance_px`` (plus the marker radius); polygons match when
    they contain the point (the smallest one wins, e.g. a building over a larger footprint) or
    their outline is within tolerance.
    """
    mx, my = (float(v) for v in view.to_map(px, py))
    tol_px = float(tolerance_px)
    if snapshot.is_point:
        tol_px += _max_marker(snapshot.style) / 2.0
    tol = tol_px * view.scale
    frame = snapshot.store.query_bbox(snapshot.kind, (mx - tol, my - tol, mx + tol, my + tol))
    if len(frame) == 0:
        return None
    here = shapely.Point(mx, my)
    dist = shapely.distance(frame.geometry, here)
    if snapshot.is_polygon:
        inside = dist == 0
        if inside.any():
            area = np.where(inside, shapely.area(frame.geometry), np.inf)
            return int(frame.ids[int(np.argmin(area))])
        dist = shapely.distance(shapely.boundary(frame.geometry), here)
    best = int(np.argmin(dist))
    return int(frame.ids[best]) if dist[best] <= tol else None


# ---------------------------------------------------------------------------- styling
def _all_symbols(style: Style) -> list[SingleSymbol]:
    if isinstance(style, SingleSymbol):
        return [style]
    if isinstance(style, Categorized):
        return [*style.categories.values(), style.default]
    if isinstance(style, Graduated):
        return [*style.symbols, *([style.missing] if style.missing else [])]
    raise TypeError(f"not a style: {style!r}")


def _margin_px(style: Style) -> float:
    return max(max(s.stroke_width, s.marker_size) for s in _all_symbols(style)) / 2.0 + 1.0


def _max_marker(style: Style) -> float:
    return max(s.marker_size for s in _all_symbols(style))


def _classes(style: Style, frame: FeatureFrame) -> tuple[list[SingleSymbol | None], np.ndarray]:
    """The symbols of a style and each feature's index into them (vectorised)."""
    n = len(frame)
    if isinstance(style, SingleSymbol):
        return [style], np.zeros(n, np.int64)
    if isinstance(style, Categorized):
        keys = list(style.categories)
        symbols: list[SingleSymbol | None] = [*style.categories.values(), style.default]
        values = frame.columns.get(style.field)
        if values is None or n == 0:
            return symbols, np.full(n, len(keys), np.int64)
        uniq, inverse = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
        lookup = {k: i for i, k in enumerate(keys)}
        per_uniq = np.array([lookup.get(u, len(keys)) for u in uniq], dtype=np.int64)
        return symbols, per_uniq[inverse.ravel()]
    if isinstance(style, Graduated):
        symbols = [*style.symbols, style.missing]
        values = frame.columns.get(style.field)
        if values is None:
            return symbols, np.full(n, len(style.symbols), np.int64)
        cls = style.class_of(values)
        return symbols, np.where(cls < 0, len(style.symbols), cls)
    raise TypeError(f"not a style: {style!r}")


@lru_cache(maxsize=256)
def _pen(color: str, width: float) -> QPen:
    pen = QPen(QColor(color))
    pen.setWidthF(width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _brush(color: str | None) -> QBrush:
    return QBrush(QColor(color)) if color else QBrush(Qt.BrushStyle.NoBrush)


# ---------------------------------------------------------------------------- geometry → Qt
def _rings(geometry: np.ndarray, polygons: bool):
    """All rings (polygons) or lines of ``geometry`` as one coordinate array, with each line's
    vertex count and the index of the feature it belongs to."""
    n = len(geometry)
    if polygons:
        simple = shapely.get_type_id(geometry) == 3  # Polygon
        if simple.all() and not shapely.get_num_interior_rings(geometry).any():
            # The common case (footprints, cells): one ring per feature, no splitting needed.
            counts = shapely.get_num_coordinates(geometry)
            return shapely.get_coordinates(geometry), counts, np.arange(n)
    elif (shapely.get_type_id(geometry) == 1).all():  # LineString
        return (
            shapely.get_coordinates(geometry),
            shapely.get_num_coordinates(geometry),
            np.arange(n),
        )
    parts, part_feature = shapely.get_parts(geometry, return_index=True)
    if polygons:
        lines, line_part = shapely.get_rings(parts, return_index=True)
        line_feature = part_feature[line_part]
    else:
        lines, line_feature = parts, part_feature
    coords = shapely.get_coordinates(lines)
    counts = shapely.get_num_coordinates(lines)
    return coords, counts, line_feature


def _thin(px: np.ndarray, py: np.ndarray, counts: np.ndarray):
    """Drop vertices that fall in the same half-pixel as the vertex before them (the ~1 px
    simplification), keeping every line's first and last vertex. Returns the kept mask and the
    new per-line counts."""
    n = len(px)
    if n == 0:
        return np.ones(0, bool), counts
    qx = np.floor(px * 2.0)
    qy = np.floor(py * 2.0)
    keep = np.ones(n, bool)
    keep[1:] = (qx[1:] != qx[:-1]) | (qy[1:] != qy[:-1])
    ends = np.cumsum(counts)
    starts = ends - counts
    keep[starts] = True
    keep[ends - 1] = True
    line_of_vertex = np.repeat(np.arange(len(counts)), counts)
    new_counts = np.bincount(line_of_vertex[keep], minlength=len(counts))
    return keep, new_counts


_PATH_DTYPE = np.dtype([("t", ">i4"), ("x", ">f8"), ("y", ">f8")])
_PATH_TRAILER = {False: struct.pack(">ii", 0, 0), True: struct.pack(">ii", 0, 1)}

# Paths are cut into square tiles holding about this many rings each: Qt's antialiasing
# rasterizer works over a path's bounding box, so one image-sized path of scattered rings costs
# far more than many small ones, while each drawPath call has its own overhead (~20 µs).
RINGS_PER_TILE = 24


def _path_from_bytes(elements: bytes, n: int, winding: bool = False) -> QPainterPath:
    """A QPainterPath from ``n`` packed ``_PATH_DTYPE`` elements — the binary QDataStream form
    of a path, read in one C++ call instead of one Python call per vertex."""
    path = QPainterPath()
    if n:
        stream = QDataStream(QByteArray(struct.pack(">i", n) + elements + _PATH_TRAILER[winding]))
        stream >> path
    return path


def _path(x: np.ndarray, y: np.ndarray, is_move: np.ndarray, winding: bool = False) -> QPainterPath:
    """A QPainterPath of move-to (``is_move``) and line-to elements from numpy arrays."""
    buf = np.empty(len(x), _PATH_DTYPE)
    buf["t"] = np.where(is_move, 0, 1)  # QPainterPath.MoveToElement = 0, LineToElement = 1
    buf["x"] = x
    buf["y"] = y
    return _path_from_bytes(buf.tobytes(), len(x), winding)


def _tiled_paths(
    geometry: np.ndarray, view: MapView, classes: np.ndarray, n_classes: int, polygons: bool
) -> list[list[QPainterPath]]:
    """Per style class, QPainterPaths holding that class's rings (or lines) in view pixels, one
    path per tile of about RINGS_PER_TILE rings (by each ring's first vertex) — all built from
    numpy buffers."""
    out: list[list[QPainterPath]] = [[] for _ in range(n_classes)]
    coords, counts, line_feature = _rings(geometry, polygons)
    if len(coords) == 0:
        return out
    px, py = view.to_pixels(coords[:, 0], coords[:, 1])
    keep, counts = _thin(px, py, counts)
    px, py = px[keep], py[keep]
    ends = np.cumsum(counts)
    starts = ends - counts
    drawable = np.flatnonzero(counts >= 2)
    if len(drawable) == 0:
        return out
    # Tile size per class, so that a path holds about RINGS_PER_TILE rings of its class.
    ring_class = classes[line_feature[drawable]]
    per_class = np.bincount(ring_class, minlength=n_classes).astype(float)
    side = np.sqrt(view.width * view.height * RINGS_PER_TILE / np.maximum(per_class, 1.0))
    t = np.clip(side, 64.0, 4096.0)[ring_class]
    first = starts[drawable]
    tx = np.clip(np.floor(px[first] / t) + 1, 0, 1023).astype(np.int64)
    ty = np.clip(np.floor(py[first] / t) + 1, 0, 1023).astype(np.int64)
    key = (ring_class << 20) | (ty << 10) | tx
    order = np.argsort(key, kind="stable")
    lines = drawable[order]
    lengths = counts[lines]
    new_ends = np.cumsum(lengths)
    new_starts = new_ends - lengths
    total = int(new_ends[-1])
    # Gather the vertices of the lines in their new order (concatenated index ranges).
    vidx = np.repeat(starts[lines] - new_starts, lengths) + np.arange(total)
    buf = np.empty(total, _PATH_DTYPE)
    buf["t"] = 1
    buf["t"][new_starts] = 0
    buf["x"] = px[vidx]
    buf["y"] = py[vidx]
    raw = buf.tobytes()
    skey = key[order]
    group_first = np.flatnonzero(np.r_[True, skey[1:] != skey[:-1]])
    g_start = new_starts[group_first]
    g_end = np.r_[g_start[1:], total]
    size = _PATH_DTYPE.itemsize
    for k, a, b in zip((skey[group_first] >> 20).tolist(), g_start.tolist(), g_end.tolist()):
        out[k].append(_path_from_bytes(raw[a * size : b * size], b - a))
    return out


def _paint_shapes(
    painter: QPainter,
    frame: FeatureFrame,
    view: MapView,
    symbols: list[SingleSymbol | None],
    classes: np.ndarray,
    polygons: bool,
) -> None:
    paths = _tiled_paths(frame.geometry, view, classes, len(symbols), polygons)
    counts = np.bincount(classes, minlength=len(symbols))
    for sym, class_paths, n in zip(symbols, paths, counts.tolist()):
        if sym is None or not class_paths:
            continue
        # Qt strokes pens wider than a pixel through a general stroker that takes seconds for
        # tens of thousands of outlines; that many on screen are small, so draw them hairline.
        width = sym.stroke_width if n <= THICK_STROKE_LIMIT else min(sym.stroke_width, 1.0)
        painter.setPen(_pen(sym.stroke, width) if width > 0 else Qt.NoPen)
        painter.setBrush(_brush(sym.fill if polygons else None))
        for path in class_paths:
            painter.drawPath(path)


def _paint_selection(
    painter: QPainter,
    frame: FeatureFrame,
    view: MapView,
    selection: set[int] | frozenset[int],
    snapshot: LayerSnapshot,
) -> None:
    mask = np.isin(frame.ids, np.fromiter(selection, np.int64, len(selection)))
    if not mask.any():
        return
    geoms = frame.geometry[mask]
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if snapshot.is_point:
        px, py = view.to_pixels(*shapely.get_coordinates(geoms).T)
        size = _max_marker(snapshot.style) + 6
        painter.setPen(_pen(SELECTION_STROKE, 2.5))
        painter.setBrush(_brush(SELECTION_FILL))
        inside = (px > -size) & (px < view.width + size) & (py > -size) & (py < view.height + size)
        for x, y in zip(px[inside].tolist(), py[inside].tolist()):
            painter.drawEllipse(QPointF(x, y), size / 2, size / 2)
        return
    polygons = snapshot.is_polygon
    (paths,) = _tiled_paths(geoms, view, np.zeros(len(geoms), np.int64), 1, polygons)
    if polygons:
        painter.setPen(_pen(SELECTION_STROKE, 2.0))
        painter.setBrush(_brush(SELECTION_FILL))
    else:
        width = max(s.stroke_width for s in _all_symbols(snapshot.style)) + 2
        painter.setPen(_pen(SELECTION_FILL, width))
        painter.setBrush(_brush(None))
    for path in paths:
        painter.drawPath(path)
    # A selected feature a few pixels across would be lost in the map: ring it.
    b = shapely.bounds(geoms)
    tiny = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) < 6 * view.scale
    if tiny.any():
        cx, cy = view.to_pixels((b[tiny, 0] + b[tiny, 2]) / 2, (b[tiny, 1] + b[tiny, 3]) / 2)
        painter.setBrush(_brush(None))
        inside = (cx > -10) & (cx < view.width + 10) & (cy > -10) & (cy < view.height + 10)
        for pen in (_pen("#202020", 4.5), _pen(SELECTION_FILL, 2.5)):  # yellow on a dark rim
            painter.setPen(pen)
            for x, y in zip(cx[inside].tolist(), cy[inside].tolist()):
                painter.drawEllipse(QPointF(x, y), 7.0, 7.0)


# ---------------------------------------------------------------------------- points
def _marker_path(marker: str, size: float) -> QPainterPath:
    r = size / 2.0
    path = QPainterPath()
    if marker == "square":
        path.addRect(QRectF(-r * 0.85, -r * 0.85, 1.7 * r, 1.7 * r))
    elif marker == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0)]))
        path.closeSubpath()
    elif marker == "triangle":
        path.addPolygon(
            QPolygonF([QPointF(0, -r), QPointF(r * 0.9, r * 0.75), QPointF(-r * 0.9, r * 0.75)])
        )
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


@lru_cache(maxsize=512)
def _marker_image(symbol: SingleSymbol) -> QImage:
    """The pre-rendered marker of a symbol (the symbol atlas): drawn once, blitted per point."""
    side = int(math.ceil(symbol.marker_size + 2 * symbol.stroke_width + 2))
    img = QImage(side, side, IMAGE_FORMAT)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.translate(side / 2.0, side / 2.0)
        p.setPen(_pen(symbol.stroke, symbol.stroke_width) if symbol.stroke_width > 0 else Qt.NoPen)
        p.setBrush(_brush(symbol.fill))
        p.drawPath(_marker_path(symbol.marker, symbol.marker_size))
        if symbol.icon:
            font = _font(max(6, int(symbol.marker_size * 0.62)))
            p.setFont(font)
            p.setPen(QColor("#ffffff"))
            r = symbol.marker_size / 2.0
            p.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, symbol.icon)
    finally:
        p.end()
    return img


def _paint_points(
    painter: QPainter,
    frame: FeatureFrame,
    view: MapView,
    symbols: list[SingleSymbol | None],
    classes: np.ndarray,
) -> None:
    xy = shapely.get_coordinates(frame.geometry)
    if len(xy) != len(frame):  # multipoints: one marker per feature at its first point
        xy = shapely.get_coordinates(shapely.get_point(frame.geometry, 0))
    px, py = view.to_pixels(xy[:, 0], xy[:, 1])
    for c in np.unique(classes):
        sym = symbols[int(c)]
        if sym is None:
            continue
        m = classes == c
        # Markers of one class that land on the same pixel are drawn once.
        key = np.unique(
            np.rint(px[m]).astype(np.int64) * 100003 + np.rint(py[m]).astype(np.int64),
            return_index=True,
        )[1]
        img = _marker_image(sym)
        half = img.width() / 2.0
        for x, y in zip((px[m][key] - half).tolist(), (py[m][key] - half).tolist()):
            painter.drawImage(QPointF(x, y), img)


# ---------------------------------------------------------------------------- level of detail
_size_cache: dict[tuple, float] = {}
_size_lock = threading.Lock()


def _typical_size(snapshot: LayerSnapshot) -> float:
    """Median longest bbox side (metres) of a sample of the layer's features, cached per store
    and kind: a few small indexed queries (LIMIT 16) spread over the layer's recorded extent."""
    ext = snapshot.store.extent(snapshot.kind)
    key = (snapshot.store.url, snapshot.kind, ext)  # a rebuilt layer has another extent
    with _size_lock:
        if key in _size_cache:
            return _size_cache[key]
    size = 0.0
    if ext is not None:
        w, h = ext[2] - ext[0], ext[3] - ext[1]
        r = max(w, h) / 40.0 + 1.0
        sides = []
        for fx in (0.2, 0.4, 0.5, 0.6, 0.8):
            for fy in (0.2, 0.4, 0.5, 0.6, 0.8):
                x, y = ext[0] + fx * w, ext[1] + fy * h
                sample = snapshot.store.query_bbox(
                    snapshot.kind, (x - r, y - r, x + r, y + r), limit=16
                )
                if len(sample):
                    b = shapely.bounds(sample.geometry)
                    sides.append(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]))
        if sides:
            size = float(np.median(np.concatenate(sides)))
    with _size_lock:
        _size_cache[key] = size
    return size


def _sub_pixel(snapshot: LayerSnapshot, view: MapView) -> bool:
    return _typical_size(snapshot) / view.scale < AGGREGATE_BELOW_PX


def _aggregate(snapshot: LayerSnapshot, view: MapView) -> np.ndarray | None:
    """The density raster to draw instead of the features, or None to draw the features.

    Polygons smaller than AGGREGATE_BELOW_PX are aggregated. When the view covers a good part of
    the layer, the density (cheap: counted by the store from its index) is computed first, and
    if more features than FEATURE_BUDGET are in view the raster is drawn instead — fetching
    and decoding a hundred thousand streets or sensors costs more than a second and shows
    nothing a raster would not.
    """
    if snapshot.is_polygon and _sub_pixel(snapshot, view):
        return _density(snapshot, view)
    ext = snapshot.store.extent(snapshot.kind)
    if ext is None:
        return None
    minx, miny, maxx, maxy = view.bbox
    overlap = max(0.0, min(maxx, ext[2]) - max(minx, ext[0])) * max(
        0.0, min(maxy, ext[3]) - max(miny, ext[1])
    )
    layer_area = max(ext[2] - ext[0], 1e-9) * max(ext[3] - ext[1], 1e-9)
    kind = "point" if snapshot.is_point else "line" if snapshot.is_line else "polygon"
    if overlap < PROBE_SHARE[kind] * layer_area:
        return None
    grid = _density(snapshot, view)
    return grid if grid.sum() > FEATURE_BUDGET[kind] else None


def _density(snapshot: LayerSnapshot, view: MapView) -> np.ndarray:
    nx = max(1, math.ceil(view.width / DENSITY_CELL_PX))
    ny = max(1, math.ceil(view.height / DENSITY_CELL_PX))
    minx, miny, _, _ = view.bbox
    cell = DENSITY_CELL_PX * view.scale
    bbox = (minx, miny, minx + nx * cell, miny + ny * cell)
    return snapshot.store.density(snapshot.kind, bbox, (ny, nx))


def _paint_density(painter: QPainter, grid: np.ndarray, view: MapView, style: Style) -> None:
    """Counts per raster cell (row 0 = south) → a colour-ramped, alpha-scaled image."""
    if grid.size == 0 or grid.max() == 0:
        return
    grid = grid[::-1]  # image rows run north to south
    t = np.log1p(grid.astype(np.float32)) / math.log1p(float(grid.max()))
    lo = np.array(_rgb(_density_color(style, light=True)), np.float32)
    hi = np.array(_rgb(_density_color(style, light=False)), np.float32)
    rgb = lo[None, None, :] + (hi - lo)[None, None, :] * t[..., None]
    alpha = np.where(grid > 0, 0.45 + 0.55 * t, 0.0).astype(np.float32)
    argb = np.empty(grid.shape, np.uint32)
    a = np.rint(alpha * 255).astype(np.uint32)
    r = np.rint(rgb[..., 0] * alpha).astype(np.uint32)
    g = np.rint(rgb[..., 1] * alpha).astype(np.uint32)
    b = np.rint(rgb[..., 2] * alpha).astype(np.uint32)
    argb[:] = (a << 24) | (r << 16) | (g << 8) | b
    h, w = argb.shape
    small = QImage(argb.tobytes(), w, h, 4 * w, IMAGE_FORMAT).copy()
    painter.drawImage(QRectF(0, 0, w * DENSITY_CELL_PX, h * DENSITY_CELL_PX), small)


def _rgb(color: str) -> tuple[int, int, int]:
    c = QColor(color)
    return c.red(), c.green(), c.blue()


def _density_color(style: Style, light: bool) -> str:
    sym = _all_symbols(style)[0]
    base = QColor(sym.fill or sym.stroke)
    return (base.lighter(105) if light else base.darker(260)).name()


# ---------------------------------------------------------------------------- labels
@lru_cache(maxsize=64)
def _font(px: int) -> QFont:
    font = QFont()
    font.setFamilies(LABEL_FONT_FAMILIES)
    font.setPixelSize(int(px))
    return font


def _label_visible(label: LabelStyle, view: MapView) -> bool:
    return label.max_scale is None or view.scale <= label.max_scale


def _paint_labels(
    painter: QPainter,
    frame: FeatureFrame,
    view: MapView,
    snapshot: LayerSnapshot,
    cancel: CancelToken | None,
) -> None:
    label = snapshot.label
    assert label is not None
    texts = frame.columns.get(label.field)
    if texts is None or len(texts) == 0:
        return
    geoms = frame.geometry
    length = np.fromiter((0 if t is None else len(str(t)) for t in texts), np.int64, len(texts))
    has_text = length > 0
    if snapshot.is_polygon:
        b = shapely.bounds(geoms)
        w_px = (b[:, 2] - b[:, 0]) / view.scale
        h_px = (b[:, 3] - b[:, 1]) / view.scale
        # A label must fit inside its polygon (glyphs are at least ~0.5 em wide).
        room = (w_px >= 0.5 * label.font_px * length + 4) & (h_px >= 1.2 * label.font_px)
        room &= has_text
        idx = np.flatnonzero(room)
        # Label the part of each polygon that is in view, so a cell larger than the screen
        # still shows its code.
        visible = shapely.clip_by_rect(geoms[idx], *view.bbox)
        anchors = shapely.get_coordinates(shapely.point_on_surface(visible))
        if len(anchors) != len(idx):  # a polygon clipped away entirely (touching the edge)
            anchors = shapely.get_coordinates(shapely.point_on_surface(geoms[idx]))
        priority = np.argsort(-(w_px[idx] * h_px[idx]), kind="stable")  # big polygons first
        centred = True
    else:
        idx = np.flatnonzero(has_text)
        anchors = shapely.get_coordinates(shapely.point_on_surface(geoms[idx]))
        priority = np.arange(len(idx))
        centred = False
        w_px = np.full(len(geoms), np.inf)
    if len(idx) == 0:
        return
    ax, ay = view.to_pixels(anchors[:, 0], anchors[:, 1])
    inside = (ax >= 0) & (ax < view.width) & (ay >= 0) & (ay < view.height)
    priority = priority[inside[priority]]
    font = _font(label.font_px)
    metrics = QFontMetricsF(font)
    height = metrics.height()
    offset = _max_marker(snapshot.style) / 2.0 + 3.0
    placed = _CollisionGrid(cell=64)
    for k in priority.tolist():
        if _cancelled(cancel):
            return
        text = str(texts[idx[k]])
        w = metrics.horizontalAdvance(text)
        if centred and w + 4 > w_px[idx[k]]:
            continue  # wider than its polygon: it would read as belonging to a neighbour
        if centred:
            x0, y0 = ax[k] - w / 2.0, ay[k] - height / 2.0
        else:
            x0, y0 = ax[k] + offset, ay[k] - height / 2.0
        if not placed.add((x0 - 2, y0 - 1, x0 + w + 2, y0 + height + 1)):
            continue
        img = _label_image(text, label.font_px, label.color, label.halo)
        painter.drawImage(QPointF(round(x0) - _LABEL_PAD, round(y0) - _LABEL_PAD), img)


_LABEL_PAD = 2


@lru_cache(maxsize=4096)
def _label_image(text: str, font_px: int, color: str, halo: str | None) -> QImage:
    """A label's text with its halo, rendered once and blitted wherever the label is placed
    (stroking one big path of all labels costs ~50 ms; blitting cached images, microseconds)."""
    font = _font(font_px)
    metrics = QFontMetricsF(font)
    pad = _LABEL_PAD
    w = int(math.ceil(metrics.horizontalAdvance(text))) + 2 * pad + 1
    h = int(math.ceil(metrics.height())) + 2 * pad + 1
    img = QImage(w, h, IMAGE_FORMAT)
    img.fill(Qt.GlobalColor.transparent)
    path = QPainterPath()
    path.addText(QPointF(pad, pad + metrics.ascent()), font, text)
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if halo:
            pen = QPen(QColor(halo), 3.0)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.strokePath(path, pen)
        p.fillPath(path, QColor(color))
    finally:
        p.end()
    return img


class _CollisionGrid:
    """Greedy label placement: a rectangle is accepted if it overlaps none accepted before."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def add(self, rect: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = rect
        c = self.cell
        keys = [
            (i, j)
            for i in range(int(x0 // c), int(x1 // c) + 1)
            for j in range(int(y0 // c), int(y1 // c) + 1)
        ]
        for key in keys:
            for a0, b0, a1, b1 in self.buckets.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return False
        for key in keys:
            self.buckets.setdefault(key, []).append(rect)
        return True
