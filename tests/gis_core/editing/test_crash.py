"""kill -9 in the middle of an editing session: committed edits are all there, the pending ones
are offered and replay exactly, and the store is intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shapely
from sqlalchemy import text

from gis_core.editing import EditSession, load_coverage
from gis_core.store import Store

from .crash_worker import EDGE_12, pending_position

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def spatialite_demo(request, tmp_path):
    import shutil

    path = tmp_path / "store.sqlite"
    shutil.copy(request.getfixturevalue("_spatialite_template"), path)
    return str(path)


def _has_vertex(geom, xy) -> bool:
    return bool(
        shapely.dwithin(shapely.MultiPoint(shapely.get_coordinates(geom)), shapely.Point(xy), 1e-9)
    )


def test_sigkill_mid_session_loses_no_committed_edit_and_offers_the_pending_ones(spatialite_demo):
    url = spatialite_demo
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.gis_core.editing.crash_worker", url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    last = 0
    deadline = time.monotonic() + 60
    try:
        while last < 25 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("JOURNALLED"):
                last = int(line.split()[1])
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert last >= 25, f"the editing session did not get going: {proc.stderr.read()}"
    assert proc.returncode == -signal.SIGKILL

    store = Store.open(url)
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # Both committed edits are there.
    cov = load_coverage(store)
    assert cov.attributes(1).worker_name == "已保存"
    assert _has_vertex(cov.geometry(1), (EDGE_12[0] + 15, EDGE_12[1]))
    assert cov.validate() == []
    # The pending session is offered, with every edit that was journalled before the kill
    # (the one being written at the kill may or may not have made it).
    pending = EditSession.pending(store)
    assert len(pending) == 1 and pending[0].editor == "崩溃测试"
    count = pending[0].count
    assert count in (last, last + 1)
    session, report = EditSession.resume(store, pending[0].session_id)
    assert report.replayed == report.total == count and report.refused is None
    for cid in (1, 2, 3, 4):
        assert _has_vertex(session.coverage.geometry(cid), pending_position(count))
    assert session.coverage.validate() == []
    # And they can be saved now.
    assert session.save("restored after crash").ok
    assert EditSession.pending(store) == []
    assert _has_vertex(load_coverage(store).geometry(4), pending_position(count))
    store.close()
