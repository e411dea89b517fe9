"""Open cases follow their cell when grid cells are redrawn; closed ones stay where they were
handled (both backends, one transaction with the cell edit)."""

from __future__ import annotations

import datetime as dt

import shapely

from gis_core.cases import Actor, EventReport, act, dispatch, get_case, report_event
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
