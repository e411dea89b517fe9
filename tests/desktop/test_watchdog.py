"""The window never freezes: 100 pans and zooms over a million buildings, watched by a timer.

A 10 ms QTimer on the GUI thread records the gap between its ticks; any gap longer than the
interval is time the event loop could not run (a stall). The scripted session drags and wheels at
a person's pace across city, district and street views, so render jobs are started, cancelled and
finished all the time, and no stall may exceed 100 ms. The figures are printed (``pytest -s``).

The store is the demo district generated with ``gis_core.demo.generate(N, residents=False)`` into
a SpatiaLite file once per test session (N = 1,000,000 by default, about 30 s on a 2-core
machine; ``ZHIWANG_WATCHDOG_BUILDINGS`` sets another N). One backend is enough here: the test is
about the GUI thread, and the PostGIS render path is covered by the window tests.

The session runs in a Python process of its own, as the app does for a user: after a hundred
other window tests, the test process carries their render pools, threads and leftovers, and what
it measured was that history (stalls of 200–300 ms waiting for the GIL), not the window.

On a machine that other programs keep busy (load average above 1.5 per core when the session
starts) the OS decides how long the loop waits for a core; the test then says so and holds the
GUI thread's own CPU time between ticks to 100 ms and the gaps to 300 ms.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, QPoint, Qt, QTimer

from tests.desktop.conftest import wait_rendered
from tests.desktop.test_main_window import drag, wheel

BUILDINGS = int(os.environ.get("ZHIWANG_WATCHDOG_BUILDINGS", "1000000"))
TICK_MS = 10
MAX_STALL_MS = 100.0
# Load average (per core) above which the machine counts as busy with other programs.
OVERSUBSCRIBED = 1.5
LOADED_MAX_STALL_MS = 300.0
OPERATIONS = 100


# Set in the child process: the store the parent built, so the child does not build it again.
CHILD_STORE_ENV = "ZHIWANG_WATCHDOG_STORE"


@pytest.fixture(scope="session")
def big_store_path(tmp_path_factory):
    from gis_core.demo import generate, load
    from gis_core.store import Store

    if os.environ.get(CHILD_STORE_ENV):
        return os.environ[CHILD_STORE_ENV]
    path = tmp_path_factory.mktemp("watchdog") / f"district_{BUILDINGS}.sqlite"
    t0 = time.perf_counter()
    data = generate(BUILDINGS, residents=False)
    t1 = time.perf_counter()
    with Store.init(str(path)) as store:
        load(store, data)
    t2 = time.perf_counter()
    print(
        f"\n[watchdog] built {BUILDINGS:,} buildings: generate {t1 - t0:.1f} s, "
        f"load into SpatiaLite {t2 - t1:.1f} s"
    )
    return str(path)


class Watchdog:
    """Measures how long the GUI event loop goes without running a 10 ms timer."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        # CPU time the GUI thread itself used between ticks: a gap with little of it was spent
        # waiting (for the CPU on a busy machine, or for the GIL), not running our code.
        self.busy: list[float] = []

    def start(self) -> None:
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self._cpu = time.thread_time()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._tick()

    def _tick(self) -> None:
        now, cpu = self.clock.nsecsElapsed(), time.thread_time()
        self.gaps.append((now - self._last) / 1e6)
        self.busy.append((cpu - self._cpu) * 1000)
        self._last, self._cpu = now, cpu

    def stalls(self) -> np.ndarray:
        return np.maximum(np.asarray(self.gaps) - TICK_MS, 0.0)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_no_event_loop_stall_over_100ms_on_a_million_buildings(request, qtbot, big_store_path):
    if os.environ.get(CHILD_STORE_ENV):
        _session(qtbot, big_store_path)
        return
    root = Path(__file__).resolve().parents[2]
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{request.node.nodeid}",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
        ],
        cwd=root,
        env={**os.environ, CHILD_STORE_ENV: big_store_path},
        capture_output=True,
        text=True,
        timeout=540,
    )
    report = "\n".join(line for line in child.stdout.splitlines() if "[watchdog]" in line)
    print(report)
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert "worst stall" in report, "the child process did not run the session"


def _session(qtbot, big_store_path) -> None:
    from desktop.main_window import MainWindow, _warm_up
    from gis_core.store import Store

    store = Store.open(big_store_path)
    _warm_up(store)  # as the window's open-store task does
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    w.set_store(store, "watchdog")
    wait_rendered(qtbot, w, timeout=60_000)
    canvas = w.canvas
    assert store.extent("buildings") is not None

    home_scale = canvas.view.scale
    finished = []
    canvas.renderFinished.connect(lambda: finished.append(dict(canvas.last_render_ms)))
    rng = random.Random(20240611)
    dog = Watchdog()
    load_before = os.getloadavg()[0]
    dog.start()
    t0 = time.perf_counter()
    scales = []
    for op in range(OPERATIONS):
        cx, cy = canvas.width() // 2, canvas.height() // 2
        pos = QPoint(cx + rng.randint(-300, 300), cy + rng.randint(-200, 200))
        # Zoom in from the whole district to single streets over the first half, then back out.
        phase = op / OPERATIONS
        if op % 3 == 2:
            notches = 2 if phase < 0.5 else -2
            if canvas.view.scale < 0.3:
                notches = -2
            elif canvas.view.scale > home_scale:
                notches = 2
            wheel(canvas, pos, notches)
        else:
            dx, dy = rng.randint(-250, 250), rng.randint(-180, 180)
            drag(canvas, pos, pos + QPoint(dx, dy), steps=6)
        scales.append(canvas.view.scale)
        # A person's pace: sometimes the next move comes before the view settles (the render
        # in flight is cancelled), sometimes after the new images arrived.
        qtbot.wait(rng.choice((20, 40, 80, 160, 250, 400)))
    interaction_s = time.perf_counter() - t0

    # The attribute table of a million buildings: opens at once, sorts by an unindexed column
    # in the store, fetches pages as the user scrolls; and a search scans the addresses.
    t1 = time.perf_counter()
    table = w.open_table("buildings")
    qtbot.waitUntil(lambda: table.model.rowCount() > 0, timeout=30_000)
    opened_ms = (time.perf_counter() - t1) * 1000
    qtbot.waitUntil(lambda: table.model.total is not None, timeout=60_000)
    table.model.sort(table.model.columns.index("floors"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: table.model.rowCount() > 0, timeout=60_000)
    for _ in range(6):
        table.view.scrollToBottom()
        qtbot.waitUntil(lambda: not table.model.is_loading(), timeout=60_000)
    rows_loaded = table.model.rowCount()
    w.search("人民路")
    qtbot.waitUntil(lambda: w.identify_panel.results.count() > 0, timeout=60_000)
    wait_rendered(qtbot, w, timeout=60_000)
    dog.stop()

    stalls = dog.stalls()
    worst = float(stalls.max())
    p99 = float(np.percentile(stalls, 99))
    over50 = int((stalls > 50).sum())
    slowest = {k: max(d.get(k, 0.0) for d in finished) for k in finished[-1]} if finished else {}
    print(
        f"\n[watchdog] {BUILDINGS:,} buildings, {OPERATIONS} pans/zooms in {interaction_s:.1f} s, "
        f"scales {min(scales):.2f}–{max(scales):.1f} m/px; {len(dog.gaps)} ticks of {TICK_MS} ms: "
        f"worst stall {worst:.1f} ms, p99 {p99:.1f} ms, median gap {np.median(dog.gaps):.1f} ms, "
        f"stalls > 50 ms: {over50}; {len(finished)} full renders completed; slowest layer render "
        + ", ".join(
            f"{k} {v:.0f} ms" for k, v in sorted(slowest.items(), key=lambda kv: -kv[1])[:3]
        )
        + f"; attribute table: first page in {opened_ms:.0f} ms of {table.model.total:,} rows, "
        f"{rows_loaded:,} rows loaded sorted by floors; GUI thread's own CPU between ticks at "
        f"most {max(dog.busy):.1f} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    w.close()
    assert len(finished) >= 3, "the session must actually render, not only transform images"
    assert table.model.total == BUILDINGS and rows_loaded >= 7 * 500
    assert max(dog.busy) <= MAX_STALL_MS, "the GUI thread itself ran for too long at once"
    if load_before > OVERSUBSCRIBED * (os.cpu_count() or 1):
        # Other programs keep the cores busy (a shared development machine): the OS scheduler,
        # not the window, then decides how long the loop waits. Say so, and hold the wait to a
        # looser bound; on a machine of its own (CI) the 100 ms limit applies as written.
        print(
            f"[watchdog] machine oversubscribed (load {load_before:.1f} before the session): "
            f"checking the GUI thread's own CPU ≤ {MAX_STALL_MS:.0f} ms and stalls ≤ "
            f"{LOADED_MAX_STALL_MS:.0f} ms"
        )
        assert worst <= LOADED_MAX_STALL_MS, f"the GUI event loop stalled for {worst:.0f} ms"
    else:
        assert worst <= MAX_STALL_MS, f"the GUI event loop stalled for {worst:.0f} ms"
