"""The overlay's array work (clustering, worst state, view sectors) and its one-call painting of
many markers from the symbol atlas."""

from __future__ import annotations

import time

import numpy as np
import pytest

from desktop.live.markers import cluster_grid, sector_vertices, visible_mask, worst_state
from gis_core.live import SensorState as S


def test_worst_state_puts_alarms_first_and_silence_before_normal():
    assert worst_state(np.array([S.NORMAL, S.WARNING, S.OFFLINE], np.uint8)) == S.WARNING
    assert worst_state(np.array([S.NORMAL, S.ALARM, S.STALE], np.uint8)) == S.ALARM
    assert worst_state(np.array([S.NORMAL, S.STALE, S.OFFLINE], np.uint8)) == S.OFFLINE
    assert worst_state(np.array([S.NORMAL, S.STALE], np.uint8)) == S.STALE
    assert worst_state(np.array([], np.uint8)) == S.NORMAL


def test_grid_clusters_count_members_and_merge_groups_split_by_a_square_edge():
    # A tight group straddling the edge at x = 44 and a lone marker far away.
    px = np.array([40.0, 42.0, 46.0, 48.0, 400.0])
    py = np.array([10.0, 12.0, 10.0, 12.0, 300.0])
    state = np.array([S.NORMAL, S.NORMAL, S.ALARM, S.NORMAL, S.OFFLINE], np.uint8)
    c = cluster_grid(px, py, state, cell_px=44.0)
    assert sorted(c.count.tolist()) == [1, 4]
    big = int(np.argmax(c.count))
    assert c.worst[big] == S.ALARM
    assert c.x[big] == pytest.approx(44.0) and c.y[big] == pytest.approx(11.0)
    assert (c.members[:4] == big).all() and c.members[4] != big
    # Markers outside the mask take no part.
    c = cluster_grid(px, py, state, 44.0, mask=np.array([1, 1, 0, 0, 1], bool))
    assert sorted(c.count.tolist()) == [1, 2] and c.members[2] == -1


def test_clustering_many_markers_is_vectorised():
    rng = np.random.default_rng(1)
    n = 200_000
    px, py = rng.uniform(0, 1920, n), rng.uniform(0, 1080, n)
    state = rng.integers(0, 5, n).astype(np.uint8)
    t0 = time.perf_counter()
    c = cluster_grid(px, py, state, 44.0)
    took = time.perf_counter() - t0
    assert c.count.sum() == n
    assert took < 2.0  # generous: a few tens of ms on a development machine


def test_view_sectors_point_along_the_heading():
    x, y = sector_vertices(
        np.array([100.0]), np.array([100.0]), np.array([90.0]), np.array([60.0]), np.array([50.0])
    )
    assert (x[0, 0], y[0, 0]) == (100.0, 100.0)  # the apex at the camera
    mid = x.shape[1] // 2
    assert x[0, mid] == pytest.approx(150.0) and y[0, mid] == pytest.approx(100.0)  # east
    assert np.all(np.hypot(x[0, 1:] - 100, y[0, 1:] - 100) == pytest.approx(50.0))
    x, y = sector_vertices(
        np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([90.0]), np.array([10.0])
    )
    assert y[0, x.shape[1] // 2] == pytest.approx(-10.0)  # north is up on screen


def test_visible_mask_keeps_a_margin():
    m = visible_mask(np.array([-30.0, -5.0, 805.0, 400.0]), np.array([0, 0, 0, 700.0]), 800, 600)
    assert m.tolist() == [False, True, True, False]


def test_the_overlay_paints_twenty_thousand_sensors_in_one_frame(qtbot):
    """Every marker from the atlas in one call: icons land where the sensors are."""
    from desktop.canvas import MapCanvas
    from desktop.live.overlay import LiveOverlay
    from desktop.live.symbols import STATE_COLORS
    from gis_core.ingest import build_snapshot
    from gis_core.live import SensorTable
    from layers.view import MapView

    canvas = MapCanvas(render_in="thread")
    qtbot.addWidget(canvas)
    canvas.resize(1000, 700)
    canvas.show()
    canvas.set_view(MapView(0.0, 0.0, 0.1, 1000, 700), None)
    overlay = LiveOverlay(canvas)
    overlay.show()
    n = 20_000
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-45, 45, n), rng.uniform(-30, 30, n)
    x[-1], y[-1] = 0.0, 0.0  # the alarm sensor, drawn last (on top) in the centre
    table = SensorTable.build(
        ids=np.arange(1, n + 1), codes=[f"S{i}" for i in range(n)], kinds=["gas"] * n, x=x, y=y
    )
    now = time.time()
    value = np.zeros(n)
    value[-1] = 50.0  # past gas's alarm threshold
    snap = build_snapshot(
        table, value, np.full(n, now), np.full(n, now), np.full(n, np.nan), np.zeros(n, bool), now
    )
    overlay.set_frame(snap)
    frames = overlay.frames
    qtbot.waitUntil(lambda: overlay.frames > frames, timeout=5000)
    assert len(overlay._sensor_frags) == n  # zoomed in: no clusters, every sensor drawn
    image = canvas.grab().toImage()
    reds = sum(
        1
        for dx in range(-12, 13)
        for dy in range(-12, 13)
        if image.pixelColor(500 + dx, 350 + dy) == STATE_COLORS[S.ALARM]
    )
    greens = sum(
        1
        for dx in range(-200, 200, 7)
        for dy in range(-150, 150, 7)
        if image.pixelColor(500 + dx, 350 + dy) == STATE_COLORS[S.NORMAL]
    )
    assert reds > 30  # the alarm sensor's disc in the centre
    assert greens > 100  # the others, normal
    assert overlay.paint_ms[-1] < 2000
