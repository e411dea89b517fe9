"""An editing session for the SIGKILL test: saves two edits, then keeps making (journalled,
unsaved) edits until it is killed. Run as ``python -m tests.gis_core.editing.crash_worker URL``.
"""

from __future__ import annotations

import sys

from gis_core.editing import EditSession, MoveVertex, SetAttributes
from gis_core.store import Store

CENTRE = (564422.0, 3800480.0)
EDGE_12 = (564422.0, 3800619.0)
STEP = 0.5  # metres the crossing moves east per pending edit


def pending_position(k: int) -> tuple[float, float]:
    """Where the crossing is after ``k`` pending edits."""
    return (CENTRE[0] + k * STEP, CENTRE[1])


def main(url: str) -> None:
    store = Store.open(url)
    session = EditSession.open(store, editor="崩溃测试")
    session.apply(SetAttributes(1, worker_name="已保存"))
    assert session.save("committed 1").ok
    session.apply(MoveVertex(EDGE_12, (EDGE_12[0] + 15, EDGE_12[1]), allow_cut=True))
    assert session.save("committed 2").ok
    print("COMMITTED", flush=True)
    for k in range(1, 5000):
        session.apply(MoveVertex(pending_position(k - 1), pending_position(k), allow_cut=True))
        print(f"JOURNALLED {k}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
