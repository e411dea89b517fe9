"""Print-quality export of the map: title, map, legend, scale bar, north arrow — PNG or PDF.

:func:`export_print` paints with QtGui only (QImage / QPdfWriter), so it runs on a worker thread;
the window collects what it needs (layer snapshots, legend rows, translated texts) beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from desktop.canvas import BACKGROUND, paint_north_arrow, paint_scale_bar
from desktop.render_pool import snapshot_from_spec
from layers.render import render_layer
from layers.style import SingleSymbol
from layers.view import MapView

__all__ = ["PrintJob", "LegendGroup", "export_print", "PAGE_SIZES"]

# The map raster's density on paper: symbols and labels are sized in pixels, as on screen.
MAP_DPI = 150
# Landscape page sizes in millimetres.
PAGE_SIZES = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}


@dataclass(frozen=True)
class LegendGroup:
    title: str
    geometry_type: str
    rows: list[tuple[str, SingleSymbol]]


@dataclass(frozen=True)
class PrintJob:
    """Everything a print export needs; plain data, safe to hand to a worker thread."""

    path: str
    title: str
    bbox: tuple[float, float, float, float]
    layers: list  # (LayerSnapshot or layer_spec dict, opacity, selection) bottom to top
    legend: list[LegendGroup]
    legend_title: str = "Legend"
    north_letter: str = "N"
    footer: str = ""
    page: str = "A4"
    dpi: int = 300
    selection: dict = field(default_factory=dict)


def export_print(job: PrintJob) -> str:
    """Write ``job.path`` (.pdf via QPdfWriter, otherwise a raster image); returns the path."""
    w_mm, h_mm = PAGE_SIZES.get(job.page, PAGE_SIZES["A4"])
    if Path(job.path).suffix.lower() == ".pdf":
        writer = QPdfWriter(job.path)
        writer.setResolution(job.dpi)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QSizeF(w_mm, h_mm), QPageSize.Unit.Millimeter),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        writer.setTitle(job.title)
        writer.setCreator("Zhiwang")
        painter = QPainter(writer)
        try:
            rect = QRectF(0, 0, writer.width(), writer.height())
            _paint_page(painter, rect, job)
        finally:
            painter.end()
        return job.path
    px_w = round(w_mm / 25.4 * job.dpi)
    px_h = round(h_mm / 25.4 * job.dpi)
    image = QImage(px_w, px_h, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(round(job.dpi / 0.0254))
    image.setDotsPerMeterY(round(job.dpi / 0.0254))
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        _paint_page(painter, QRectF(0, 0, px_w, px_h), job)
    finally:
        painter.end()
    if not image.save(job.path):
        raise OSError(f"could not write {job.path}")
    return job.path


def _paint_page(painter: QPainter, page: QRectF, job: PrintJob) -> None:
    unit = page.height() / 210.0  # one "millimetre" of an A4-high page, in device pixels
    margin = 10 * unit
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(page, QColor("#ffffff"))

    # Title
    title_font = QFont(painter.font())
    title_font.setPixelSize(round(8 * unit))
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(QColor("#1d1d1d"))
    title_rect = QRectF(margin, margin, page.width() - 2 * margin, 12 * unit)
    painter.drawText(
        title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, job.title
    )

    # Map frame (left) and legend (right)
    legend_w = 62 * unit
    top = margin + 16 * unit
    footer_h = 8 * unit
    map_rect = QRectF(
        margin, top, page.width() - 3 * margin - legend_w, page.height() - top - margin - footer_h
    )
    # Symbols and labels are sized in pixels for a screen, so the map is painted at a screen-like
    # density (at most MAP_DPI) and scaled onto the page.
    density = min(1.0, MAP_DPI / max(job.dpi, 1))
    map_w = max(1, round(map_rect.width() * density))
    map_h = max(1, round(map_rect.height() * density))
    view = MapView.fit(job.bbox, map_w, map_h)
    painter.fillRect(map_rect, BACKGROUND)
    painter.save()
    painter.setClipRect(map_rect)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    for snapshot, opacity, selection in job.layers:
        if isinstance(snapshot, dict):  # a layer_spec: painted in a render process
            snapshot = snapshot_from_spec(snapshot)
        image = render_layer(snapshot, view, None, selection)
        if image is None:
            continue
        painter.setOpacity(max(0.0, min(1.0, opacity)))
        painter.drawImage(map_rect, image)
    painter.setOpacity(1.0)
    page_view = MapView(
        view.center_x,
        view.center_y,
        view.scale / density,
        round(map_rect.width()),
        round(map_rect.height()),
    )
    view = page_view
    scale_px = unit * 0.3  # screen decorations are ~0.3 mm per pixel on paper
    paint_scale_bar(
        painter, view, QPointF(map_rect.left() + 6 * unit, map_rect.bottom() - 5 * unit), scale_px
    )
    paint_north_arrow(
        painter,
        QPointF(map_rect.right() - 12 * unit, map_rect.top() + 5 * unit),
        job.north_letter,
        scale_px,
    )
    painter.restore()
    painter.setPen(QPen(QColor("#444444"), max(1.0, 0.3 * unit)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(map_rect)

    _paint_legend(
        painter, QRectF(map_rect.right() + margin, top, legend_w, map_rect.height()), job, unit
    )

    footer_font = QFont(painter.font())
    footer_font.setPixelSize(round(3.2 * unit))
    footer_font.setBold(False)
    painter.setFont(footer_font)
    painter.setPen(QColor("#555555"))
    painter.drawText(
        QRectF(
            margin,
            page.height() - margin - footer_h + 2 * unit,
            page.width() - 2 * margin,
            footer_h,
        ),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        job.footer,
    )


def _legend_height(job: PrintJob) -> float:
    """Height of the legend in page millimetres at full size (see _paint_legend's spacing)."""
    h = 10.0
    for group in job.legend:
        if len(group.rows) == 1 and group.rows[0][0] == "":
            h += 6.5
        else:
            h += 6 + 5.2 * len(group.rows) + 2
    return h


def _paint_legend(painter: QPainter, rect: QRectF, job: PrintJob, unit: float) -> None:
    # Shrink the legend to fit its column (down to 55 %) rather than cut it off.
    unit *= max(0.55, min(1.0, rect.height() / (unit * _legend_height(job))))
    head = QFont(painter.font())
    head.setPixelSize(round(5 * unit))
    head.setBold(True)
    group_font = QFont(head)
    group_font.setPixelSize(round(3.8 * unit))
    row_font = QFont(head)
    row_font.setBold(False)
    row_font.setPixelSize(round(3.4 * unit))
    y = rect.top()
    painter.setPen(QColor("#1d1d1d"))
    painter.setFont(head)
    painter.drawText(QPointF(rect.left(), y + 5 * unit), job.legend_title)
    y += 10 * unit
    sw = 6 * unit
    for group in job.legend:
        if y > rect.bottom() - 6 * unit:
            break
        painter.setFont(group_font)
        painter.setPen(QColor("#1d1d1d"))
        rows = group.rows
        if len(rows) == 1 and rows[0][0] == "":
            _swatch(
                painter, QRectF(rect.left(), y, sw, 4 * unit), rows[0][1], group.geometry_type, unit
            )
            painter.drawText(QPointF(rect.left() + sw + 2 * unit, y + 3.6 * unit), group.title)
            y += 6.5 * unit
            continue
        painter.drawText(QPointF(rect.left(), y + 3.6 * unit), group.title)
        y += 6 * unit
        painter.setFont(row_font)
        for label, sym in rows:
            if y > rect.bottom() - 4 * unit:
                break
            _swatch(
                painter,
                QRectF(rect.left() + 2 * unit, y, sw, 4 * unit),
                sym,
                group.geometry_type,
                unit,
            )
            painter.setPen(QColor("#333333"))
            painter.drawText(QPointF(rect.left() + sw + 4 * unit, y + 3.4 * unit), label)
            y += 5.2 * unit
        y += 2 * unit


def _swatch(
    painter: QPainter, r: QRectF, sym: SingleSymbol, geometry_type: str, unit: float
) -> None:
    painter.save()
    pen = QPen(QColor(sym.stroke), max(0.8, min(sym.stroke_width, 3.0)) * unit * 0.35)
    if "LINE" in geometry_type:
        painter.fillRect(r, BACKGROUND)  # white streets must show on the white page
        pen.setWidthF(max(1.0, sym.stroke_width * unit * 0.35))
        painter.setPen(pen)
        painter.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()))
    elif "POINT" in geometry_type:
        painter.setPen(pen)
        painter.setBrush(QColor(sym.fill) if sym.fill else Qt.BrushStyle.NoBrush)
        d = min(r.width(), r.height())
        painter.drawEllipse(QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d))
    else:
        painter.setPen(pen)
        painter.setBrush(QColor(sym.fill) if sym.fill else Qt.BrushStyle.NoBrush)
        painter.drawRect(r)
    painter.restore()
