"""Cases in the store: the closed loop, row versions, the append-only log, escalation."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from gis_core.cases import (
    Actor,
    CaseConflict,
    EventReport,
    InvalidAction,
    PermissionDenied,
    act,
    case_steps,
    dispatch,
    escalate_overdue,
    get_case,
    report_event,
    sla_status,
    time_left,
)
from gis_core.store import Store

from .conftest import OPERATOR, SUPERVISOR, cell_centre, local, worker


def new_case(store, at, category="garbage", cell=1, **kw):
    x, y = cell_centre(cell)
    intake = report_event(
        store, EventReport(category, x, y, "楼道口垃圾堆积", **kw), actor=OPERATOR, at=at
    )
    assert not intake.proposed
    return get_case(store, intake.case_id)


def test_a_case_goes_round_the_closed_loop(cases_store, catalogue):
    s = cases_store
    c = new_case(s, local(2026, 11, 2, 9, 30), photos=("photos/a.jpg",))
    assert (c.state, c.version, c.grid_cell_id) == ("reported", 1, 1)
    assert c.due_at == local(2026, 11, 2, 11, 30)  # 2 working hours to verify

    c = act(s, c.id, "verify", actor=OPERATOR, expected_version=1, at=local(2026, 11, 2, 10))
    c = dispatch(s, c.id, actor=OPERATOR, at=local(2026, 11, 2, 10, 30))
    assert (c.state, c.assignee) == ("dispatched", "wang.wei")  # the cell's grid worker
    assert c.due_at == local(2026, 11, 2, 11, 30)
    me = worker(1)
    c = act(s, c.id, "accept", actor=me, expected_version=c.version, at=local(2026, 11, 2, 11))
    c = act(s, c.id, "start", actor=me, expected_version=c.version, at=local(2026, 11, 2, 11, 15))
    c = act(s, c.id, "resolve", actor=me, expected_version=c.version, at=local(2026, 11, 2, 14),
            note="已清运", attachments=["photos/after.jpg"])  # fmt: skip
    c = act(s, c.id, "check", actor=SUPERVISOR, expected_version=c.version,
            at=local(2026, 11, 2, 15))  # fmt: skip
    c = act(s, c.id, "close", actor=OPERATOR, expected_version=c.version,
            at=local(2026, 11, 2, 16), satisfaction=5, comment="处理及时")  # fmt: skip

    assert (c.state, c.version, c.satisfaction, c.feedback) == ("closed", 8, 5, "处理及时")
    assert c.closed_at == local(2026, 11, 2, 16) and c.due_at is None
    assert time_left(c, catalogue) is None and sla_status(c, catalogue) == "none"
    log = case_steps(s, c.id)
    assert [(x.seq, x.action, x.from_state, x.to_state) for x in log] == [
        (1, "report", None, "reported"),
        (2, "verify", "reported", "verified"),
        (3, "dispatch", "verified", "dispatched"),
        (4, "accept", "dispatched", "accepted"),
        (5, "start", "accepted", "in_progress"),
        (6, "resolve", "in_progress", "resolved"),
        (7, "check", "resolved", "checked"),
        (8, "close", "checked", "closed"),
    ]
    assert [x.actor for x in log][3:6] == ["wang.wei"] * 3
    assert log[5].attachments == ("photos/after.jpg",) and log[5].note == "已清运"
    assert log[7].satisfaction == 5 and log[7].role == "operator"
    assert all(x.grid_cell_id == 1 and x.category == "garbage" for x in log)
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM events")).scalar() == "closed"


def test_refusals_change_nothing(sqlite_cases_store):
    s = sqlite_cases_store
    c = new_case(s, local(2026, 11, 2, 9, 30))
    with pytest.raises(InvalidAction, match="cannot be dispatched"):
        act(s, c.id, "dispatch", actor=OPERATOR, assignee="li.na")
    act(s, c.id, "verify", actor=OPERATOR)
    with pytest.raises(PermissionDenied, match="may not dispatch"):
        act(s, c.id, "dispatch", actor=worker(1), assignee="wang.wei")
    c = dispatch(s, c.id, actor=OPERATOR)
    with pytest.raises(PermissionDenied, match="only cases assigned to them"):
        act(s, c.id, "accept", actor=worker(2))
    with pytest.raises(InvalidAction, match="satisfaction is recorded when a case is closed"):
        act(s, c.id, "accept", actor=worker(1), satisfaction=3)
    with pytest.raises(InvalidAction, match="unknown department"):
        act(s, c.id, "reassign", actor=OPERATOR, department="nasa")
    assert get_case(s, c.id).version == 3 and len(case_steps(s, c.id)) == 3


def test_a_stale_version_is_a_conflict_and_nothing_is_lost(cases_store):
    s = cases_store
    c = new_case(s, local(2026, 11, 2, 9, 30))
    c = act(s, c.id, "verify", actor=OPERATOR)
    seen = c.version  # both dispatchers look at version 2
    act(s, c.id, "dispatch", actor=OPERATOR, assignee="li.na", expected_version=seen)
    with pytest.raises(CaseConflict, match=r"changed meanwhile by zhou\.op \(dispatch") as err:
        act(s, c.id, "dispatch", actor=SUPERVISOR, department="sanitation", expected_version=seen)
    assert err.value.current.assignee == "li.na" and err.value.current.version == 3
    after = get_case(s, c.id)
    assert (after.assignee, after.department, after.version) == ("li.na", None, 3)
    assert [x.action for x in case_steps(s, c.id)] == ["report", "verify", "dispatch"]


def test_two_dispatchers_at_the_same_moment_one_wins(cases_store):
    """Two workstations dispatch the same case at the same moment: one wins, one is told."""
    s = cases_store
    c = act(s, new_case(s, local(2026, 11, 2, 9, 30)).id, "verify", actor=OPERATOR)
    url = s.engine.url.render_as_string(hide_password=False)
    other = Store.open(url)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def dispatcher(store, name, assignee):
        barrier.wait()
        try:
            outcomes[name] = act(
                store, c.id, "dispatch", actor=OPERATOR, assignee=assignee,
                expected_version=c.version,
            )  # fmt: skip
        except CaseConflict as exc:
            outcomes[name] = exc

    threads = [
        threading.Thread(target=dispatcher, args=(s, "a", "wang.wei")),
        threading.Thread(target=dispatcher, args=(other, "b", "li.na")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    other.close()
    conflicts = [o for o in outcomes.values() if isinstance(o, CaseConflict)]
    wins = [o for o in outcomes.values() if not isinstance(o, CaseConflict)]
    assert len(conflicts) == 1 and len(wins) == 1
    final = get_case(s, c.id)
    assert final.assignee == wins[0].assignee and final.version == 3
    assert len(case_steps(s, c.id)) == 3


@pytest.mark.postgis
@pytest.mark.parametrize("cases_store", ["postgis"], indirect=True)
def test_postgis_update_waits_for_the_other_dispatcher_then_refuses(cases_store):
    """On PostGIS, with two connections: B read the case before A committed; B's UPDATE …
    WHERE version = ? waits for A's transaction and then matches no row — a conflict."""
    s = cases_store
    c = act(s, new_case(s, local(2026, 11, 2, 9, 30)).id, "verify", actor=OPERATOR)
    other = Store.open(s.engine.url.render_as_string(hide_password=False))
    result: dict[str, object] = {}
    with s.begin() as conn_a:
        act(s, c.id, "dispatch", actor=OPERATOR, assignee="wang.wei", conn=conn_a)

        def b():
            try:
                result["b"] = act(other, c.id, "dispatch", actor=SUPERVISOR, assignee="li.na")
            except CaseConflict as exc:
                result["b"] = exc

        t = threading.Thread(target=b)
        t.start()
        time.sleep(0.5)
        assert t.is_alive(), "B should be waiting for A's row lock"
    t.join(30)
    other.close()
    assert isinstance(result["b"], CaseConflict)
    assert "changed meanwhile by zhou.op (dispatch" in str(result["b"])
    assert get_case(s, c.id).assignee == "wang.wei"


def test_the_step_log_is_append_only(cases_store):
    s = cases_store
    c = new_case(s, local(2026, 11, 2, 9, 30))
    act(s, c.id, "verify", actor=OPERATOR)
    for sql in (
        "UPDATE case_steps SET actor = 'someone else' WHERE case_id = :c",
        "DELETE FROM case_steps WHERE case_id = :c",
    ):
        with pytest.raises(Exception, match="append-only"), s.begin() as conn:
            conn.execute(text(sql), {"c": c.id})
    if s.backend == "postgis":
        with pytest.raises(Exception, match="append-only"), s.begin() as conn:
            conn.execute(text("TRUNCATE case_steps CASCADE"))
    assert [x.actor for x in case_steps(s, c.id)] == ["zhou.op", "zhou.op"]


def test_the_demo_store_can_still_be_reset(sqlite_cases_store):
    from gis_core.demo import reset_demo

    s = sqlite_cases_store
    c = new_case(s, local(2026, 11, 2, 9, 30))
    act(s, c.id, "verify", actor=OPERATOR)
    s.set_meta("demo", "1")
    reset_demo(s)
    assert s.count("events") == 0 and case_steps(s) == []


def test_time_left_counts_working_hours_only(sqlite_cases_store, catalogue):
    c = new_case(sqlite_cases_store, local(2026, 11, 6, 17))  # Friday 17:00, 2 h to verify
    assert c.due_at == local(2026, 11, 9, 10)
    # On Saturday only Monday 9–10 is left: the weekend does not count.
    assert time_left(c, catalogue, local(2026, 11, 7, 12)) == pytest.approx(1.0)
    assert sla_status(c, catalogue, local(2026, 11, 7, 12)) == "ok"
    assert sla_status(c, catalogue, local(2026, 11, 9, 9, 30)) == "due_soon"
    assert time_left(c, catalogue, local(2026, 11, 9, 10, 30)) == pytest.approx(-0.5)
    assert sla_status(c, catalogue, local(2026, 11, 9, 10, 30)) == "overdue"


def test_a_fire_hazard_runs_round_the_clock(sqlite_cases_store):
    c = new_case(
        sqlite_cases_store, local(2026, 11, 7, 23), category="fire_hazard"
    )  # Saturday night
    assert c.due_at == local(2026, 11, 7, 23, 15)


def test_overdue_cases_climb_the_escalation_ladder(cases_store):
    s = cases_store
    c = new_case(s, local(2026, 11, 2, 9))  # due 11:00
    assert escalate_overdue(s, local(2026, 11, 2, 10, 59)) == []
    [e] = escalate_overdue(s, local(2026, 11, 2, 11, 30))
    assert (e.case_id, e.level, e.rung) == (c.id, 1, "网格督导员 / grid supervisor")
    c = get_case(s, c.id)
    assert (c.state, c.escalation_level, c.resume_state) == ("escalated", 1, "reported")
    assert c.due_at == local(2026, 11, 2, 16, 30)  # the supervisor's 4 working hours
    assert escalate_overdue(s, local(2026, 11, 2, 12)) == []  # not overdue again yet
    [e] = escalate_overdue(s, local(2026, 11, 2, 17))
    assert e.level == 2 and get_case(s, e.case_id).due_at == local(2026, 11, 3, 17)
    [e] = escalate_overdue(s, local(2026, 11, 4, 9))
    assert e.level == 3
    assert escalate_overdue(s, local(2026, 11, 30, 9)) == []  # top of the ladder
    log = case_steps(s, c.id)
    assert [(x.action, x.actor, x.role) for x in log[1:]] == [("escalate", "system", "system")] * 3
    assert "overdue since 2026-11-02 11:00" in log[1].note
    # The district centre verifies it and the case goes on at the bottom of the ladder.
    c = act(s, c.id, "verify", actor=Actor("admin", "administrator"))
    c = dispatch(s, c.id, actor=OPERATOR)
    assert (c.state, c.escalation_level) == ("dispatched", 0)


def test_escalated_work_can_be_resumed(sqlite_cases_store):
    s = sqlite_cases_store
    c = new_case(s, local(2026, 11, 2, 9))
    c = act(s, c.id, "verify", actor=OPERATOR, at=local(2026, 11, 2, 9, 10))
    c = dispatch(s, c.id, actor=OPERATOR, at=local(2026, 11, 2, 9, 20))
    c = act(s, c.id, "accept", actor=worker(1), at=local(2026, 11, 2, 9, 30))
    c = act(s, c.id, "start", actor=worker(1), at=local(2026, 11, 2, 9, 40))
    [e] = escalate_overdue(s, local(2026, 11, 5, 9))  # 4 h to clear garbage: due Mon 14:40
    c = act(s, c.id, "resume", actor=SUPERVISOR, note="督办：今日完成", at=local(2026, 11, 5, 10))
    assert (c.state, c.assignee, c.escalation_level) == ("in_progress", "wang.wei", 1)
    assert c.due_at == local(2026, 11, 5, 15)  # a fresh 4 working hours (lunch excluded)


@pytest.mark.postgis
@pytest.mark.parametrize("cases_store", ["postgis"], indirect=True)
def test_cases_and_their_log_are_under_row_level_security(cases_store):
    from gis_core.security.rls import row_security_report

    with cases_store.engine.connect() as conn:
        report = {t.table: t for t in row_security_report(conn)}
    assert report["cases"].ok and report["case_steps"].ok
