"""Guard the PySide6 pin (DESIGN.md, "Known traps"): 6.12.0 aborts the interpreter after a few
thousand ``QPainter.drawPolygon``/``drawRect`` calls ("none_dealloc"). The drawing runs in a
subprocess, so an abort fails this test instead of killing pytest."""

import os
import subprocess
import sys
import textwrap

import PySide6

DRAW_100K = textwrap.dedent(
    """
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPolygonF

    app = QGuiApplication([])
    img = QImage(256, 256, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    poly = QPolygonF([QPointF(1, 1), QPointF(30, 2), QPointF(20, 25)])
    rect = QRectF(5, 5, 10, 10)
    for _ in range(100_000):
        p.drawPolygon(poly)
    for _ in range(100_000):
        p.drawRect(rect)
    p.end()
    print("drew 200000 shapes")
    """
)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_pyside_is_below_6_12():
    assert _version(PySide6.__version__) < (6, 12), (
        f"PySide6 {PySide6.__version__}: 6.12 aborts after a few thousand drawPolygon calls; "
        "keep the pin pyside6<6.12"
    )


def test_100k_draw_polygon_and_draw_rect_do_not_abort():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", DRAW_100K], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert "drew 200000 shapes" in proc.stdout
