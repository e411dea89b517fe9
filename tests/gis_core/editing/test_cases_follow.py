"""Open cases follow their cell when grid cells are redrawn; closed ones stay where they were
handled (both backends, one transaction with the cell edit)."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

from gis_core.cases import (
    Actor,
    CaseConflict,
    EventReport,
    act,
    case_steps,
    compute_performance,
    dispatch,
    get_case,
    load_catalogue,
    report_event,
)
from gis_core.editing import EditSession, MergeCells, MoveVertex
from gis_core.store import Store

from .test_save import CENTRE

OPERATOR = Actor("zhou.op", "operator")
SUPERVISOR = Actor("sun.sup", "grid_supervisor")
T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai, a Monday


def _closed_case(store, x, y) -> int:
    c = report_event(store, EventReport("dispute", x, y, "已办结"), actor=OPERATOR, at=T0)
    act(store, c.case_id, "verify", actor=OPERATOR, at=T0)
    case = dispatch(store, c.case_id, actor=OPERATOR, at=T0)
    me = Actor(case.assignee, "grid_worker")
    for action in ("accept", "start", "resolve"):
        act(store, c.case_id, action, actor=me, at=T0)
    act(store, c.case_id, "check", actor=SUPERVISOR, at=T0)
    act(store, c.case_id, "close", actor=OPERATOR, satisfaction=4, at=T0)
    return c.case_id


def test_open_cases_follow_their_events_new_cell(demo_url):
    store = Store.open(demo_url)
    x, y = CENTRE[0] - 5, CENTRE[1] - 5  # cell 3; in cell 2 once the crossing moves south-west
    open_case = report_event(store, EventReport("garbage", x, y, "垃圾"), actor=OPERATOR, at=T0)
    closed_case = _closed_case(store, x, y)
    assert closed_case != open_case.case_id and get_case(store, open_case.case_id).grid_cell_id == 3
    s = EditSession.open(store, editor="王芳")
    s.apply(MoveVertex(CENTRE, (CENTRE[0] - 30, CENTRE[1] - 30), allow_cut=True))
    result = s.save("调整")
    assert result.ok and result.reassigned.get("cases") == 1
    assert get_case(store, open_case.case_id).grid_cell_id == 2
    assert get_case(store, closed_case).grid_cell_id == 3
    # The cell disappears in a merge: the open case goes with its event to the merged cell.
    s.apply(MergeCells([1, 2]))
    s.save("合并")
    cells = store.query_all("grid_cells")
    [holder] = [int(i) for i, g in zip(cells.ids, cells.geometry) if g.covers(shapely.Point(x, y))]
    assert get_case(store, open_case.case_id).grid_cell_id == holder
    store.close()


def _code(store, cell_id: int) -> str:
    cells = store.query_all("grid_cells", ["code"])
    return dict(zip(cells.ids.tolist(), cells.columns["code"].tolist()))[cell_id]


def test_a_moved_case_gets_a_cell_change_step_that_is_not_a_handling_step(demo_url):
    """Issue 7: the case history names the move (editor, old → new cell code, reason), the
    case's version moves on, and the performance figures are those of the log without it."""
    store = Store.open(demo_url)
    x, y = CENTRE[0] - 5, CENTRE[1] - 5  # cell 3 → cell 2 when the crossing moves
    c = report_event(store, EventReport("garbage", x, y, "垃圾"), actor=OPERATOR, at=T0)
    act(store, c.case_id, "verify", actor=OPERATOR, at=T0)
    case = dispatch(store, c.case_id, actor=OPERATOR, at=T0)
    worker = Actor(case.assignee, "grid_worker")
    held = act(store, c.case_id, "accept", actor=worker, at=T0 + dt.timedelta(hours=1))
    old_code = _code(store, 3)

    s = EditSession.open(store, editor="王芳")
    s.apply(MoveVertex(CENTRE, (CENTRE[0] - 30, CENTRE[1] - 30), allow_cut=True))
    assert s.save("调整网格边界").ok
    moved = get_case(store, c.case_id)
    assert moved.grid_cell_id == 2 and moved.version == held.version + 1
    assert (moved.state, moved.assignee, moved.due_at) == ("accepted", held.assignee, held.due_at)

    steps = case_steps(store, c.case_id)
    last = steps[-1]
    new_code = _code(store, 2)
    assert [st.action for st in steps] == [
        "report", "verify", "dispatch", "accept", "cell_change",
    ]  # fmt: skip
    assert last.seq == moved.version and last.actor == "王芳"
    assert last.note == f"{old_code} → {new_code}: 调整网格边界"
    assert (last.from_state, last.to_state, last.grid_cell_id) == ("accepted", "accepted", 2)
    assert last.detail["from_cell"] == 3 and last.detail["to_cell"] == 2
    # Someone acting on the version from before the move is told what changed it.
    with pytest.raises(CaseConflict, match="王芳 \\(cell change"):
        act(store, c.case_id, "start", actor=worker, expected_version=held.version)
    t1 = T0 + dt.timedelta(hours=2)
    act(store, c.case_id, "start", actor=worker, expected_version=moved.version, at=t1)
    act(store, c.case_id, "resolve", actor=worker, at=T0 + dt.timedelta(hours=3))

    log = case_steps(store, c.case_id)
    cat = load_catalogue(store)
    start, end = T0 - dt.timedelta(days=1), T0 + dt.timedelta(days=1)
    with_move = compute_performance(log, start, end, cat)
    without = compute_performance([st for st in log if st.action != "cell_change"], start, end, cat)
    assert {k: f.as_dict() for k, f in with_move.figures.items()} == {
        k: f.as_dict() for k, f in without.figures.items()
    }
    # The accepted stay began in cell 3 and stays there; the stay after the move is cell 2's.
    assert with_move.get("cell", 3).steps == 4  # reported, verified, dispatched, accepted
    assert with_move.get("cell", 2).steps == 1 and with_move.get("cell", 2).cases_handled == 1
    assert with_move.get("worker", worker.username).steps == 3
    store.close()
