"""Performance figures from the step log, checked against the same figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from gis_core.cases.performance import compute_performance, stays
from gis_core.cases.workflow import StepRecord

from .conftest import local

H = 1.0  # working hours; every stay below is inside office hours unless noted


def nov(day, hh, mm=0):
    return local(2026, 11, day, hh, mm)


def log(case_id, cell, rows):
    """rows: (action, from, to, at, due, assignee, department, actor, satisfaction)."""
    out = []
    for seq, (action, frm, to, at, due, asg, dep, actor, sat) in enumerate(rows, start=1):
        out.append(
            StepRecord(
                case_id=case_id,
                seq=seq,
                action=action,
                from_state=frm,
                to_state=to,
                actor=actor,
                role="operator",
                at=at.astimezone(dt.UTC),
                due_at=None if due is None else due.astimezone(dt.UTC),
                assignee=asg,
                department=dep,
                grid_cell_id=cell,
                category="garbage",
                satisfaction=sat,
            )  # fmt: skip
        )
    return out


OP = "zhou.op"
# Case 1, cell 1, handled by wang on time throughout; a note does not end a stay.
CASE1 = log(1, 1, [
    ("report", None, "reported", nov(2, 9), nov(2, 11), None, None, OP, None),
    ("verify", "reported", "verified", nov(2, 9, 30), nov(2, 10, 30), None, None, OP, None),
    ("dispatch", "verified", "dispatched", nov(2, 10), nov(2, 11), "wang", None, OP, None),
    ("accept", "dispatched", "accepted", nov(2, 10, 30), nov(2, 12), "wang", None, "wang", None),
    ("note", "accepted", "accepted", nov(2, 10, 45), nov(2, 12), "wang", None, "wang", None),
    ("start", "accepted", "in_progress", nov(2, 11), nov(2, 16), "wang", None, "wang", None),
    ("resolve", "in_progress", "resolved", nov(2, 15), nov(2, 17), "wang", None, "wang", None),
    ("check", "resolved", "checked", nov(2, 16), nov(3, 16), "wang", None, OP, None),
    ("close", "checked", "closed", nov(2, 17), None, "wang", None, OP, 4),
])  # fmt: skip
# Case 2, cell 2, dispatched to a department; late to verify, to accept and first resolve;
# fails its first check.
SAN = "sanitation"
CASE2 = log(2, 2, [
    ("report", None, "reported", nov(2, 9), nov(2, 11), None, None, OP, None),
    ("verify", "reported", "verified", nov(2, 13, 30), nov(2, 14, 30), None, None, OP, None),
    ("dispatch", "verified", "dispatched", nov(2, 14), nov(2, 15), None, SAN, OP, None),
    ("accept", "dispatched", "accepted", nov(2, 16), nov(2, 18), None, SAN, OP, None),
    ("start", "accepted", "in_progress", nov(2, 16, 30), nov(3, 10), None, SAN, OP, None),
    ("resolve", "in_progress", "resolved", nov(3, 10, 30), nov(3, 14), None, SAN, OP, None),
    ("fail_check", "resolved", "in_progress", nov(3, 11), nov(3, 17), None, SAN, OP, None),
    ("resolve", "in_progress", "resolved", nov(3, 14), nov(3, 17), None, SAN, OP, None),
    ("check", "resolved", "checked", nov(3, 15), nov(4, 15), None, SAN, OP, None),
    ("close", "checked", "closed", nov(3, 16), None, None, SAN, OP, 2),
])  # fmt: skip
# Case 3, cell 1, wang: late to accept once; closed, reopened by the resident, closed again.
CASE3 = log(3, 1, [
    ("report", None, "reported", nov(2, 10), nov(2, 12), None, None, OP, None),
    ("verify", "reported", "verified", nov(2, 10, 10), nov(2, 11, 10), None, None, OP, None),
    ("dispatch", "verified", "dispatched", nov(2, 10, 20), nov(2, 11), "wang", None, OP, None),
    ("accept", "dispatched", "accepted", nov(2, 11, 20), nov(2, 12, 20), "wang", None, "wang", None),
    ("start", "accepted", "in_progress", nov(2, 11, 30), nov(2, 15), "wang", None, "wang", None),
    ("resolve", "in_progress", "resolved", nov(2, 14), nov(2, 16), "wang", None, "wang", None),
    ("check", "resolved", "checked", nov(2, 14, 30), nov(2, 17), "wang", None, OP, None),
    ("close", "checked", "closed", nov(2, 15), None, "wang", None, OP, 5),
    ("reopen", "closed", "reopened", nov(4, 9), nov(4, 10), "wang", None, OP, None),
    ("dispatch", "reopened", "dispatched", nov(4, 9, 30), nov(4, 10, 30), "wang", None, OP, None),
    ("accept", "dispatched", "accepted", nov(4, 10), nov(4, 12), "wang", None, "wang", None),
    ("start", "accepted", "in_progress", nov(4, 10, 30), nov(4, 14), "wang", None, "wang", None),
    ("resolve", "in_progress", "resolved", nov(4, 11, 30), nov(4, 14), "wang", None, "wang", None),
    ("check", "resolved", "checked", nov(4, 13, 30), nov(4, 17), "wang", None, OP, None),
    ("close", "checked", "closed", nov(4, 14), None, "wang", None, OP, None),
])  # fmt: skip
# Case 4, cell 3: reported on Friday 30 Oct, verified in November: the stay counts in November.
CASE4 = log(4, 3, [
    ("report", None, "reported", local(2026, 10, 30, 17), nov(2, 10), None, None, OP, None),
    ("verify", "reported", "verified", nov(2, 9, 30), nov(2, 10, 30), None, None, OP, None),
])  # fmt: skip
# Case 5: December only — not in November's figures.
CASE5 = log(5, 1, [
    ("report", None, "reported", local(2026, 12, 1, 9), local(2026, 12, 1, 11), None, None, OP, None),
    ("verify", "reported", "verified", local(2026, 12, 1, 9, 30), None, None, None, OP, None),
])  # fmt: skip
LOG = CASE1 + CASE2 + CASE3 + CASE4 + CASE5


@pytest.fixture(scope="module")
def table(catalogue):
    start, end = local(2026, 11, 1, 0), local(2026, 12, 1, 0)
    return compute_performance(LOG, start, end, catalogue)


def test_stays_are_measured_in_working_hours(catalogue):
    by_case = {}
    for s in stays(CASE2 + CASE4, catalogue):
        by_case.setdefault(s.case_id, []).append((s.state, s.hours, s.on_time))
    assert by_case[2][0] == ("reported", 3.5, False)  # 9–12 and 13–13:30
    assert by_case[2][4] == ("in_progress", 3.0, False)  # Mon 16:30–18, Tue 9–10:30
    assert by_case[4] == [("reported", 1.5, True)]  # Fri 17–18, Mon 9–9:30


def test_worker_figures(table):
    wang = table.get("worker", "wang")
    # Stays in wang's hands: case 1 (0.5, 0.5, 3 h), case 3 (1 h late, 1/6, 1.5, 0.5, 0.5, 1 h).
    assert (wang.steps, wang.timed_steps, wang.on_time_steps) == (9, 9, 8)
    assert wang.on_time_share == pytest.approx(8 / 9)
    assert wang.median_hours == pytest.approx(0.5)
    assert wang.cases_handled == 2
    assert (wang.closed, wang.first_check_share, wang.reopened_share) == (2, 1.0, 0.5)
    assert wang.satisfaction == pytest.approx(4.5)  # 4 (case 1) and 5 (case 3's last rating)
    assert [r.key for r in table.rows("worker")] == ["wang"]


def test_department_figures(table):
    san = table.get("department", "sanitation")
    # dispatched 2 h (late), accepted 0.5, in progress 3 h (late), in progress again 2 h.
    assert (san.steps, san.on_time_steps, san.median_hours) == (4, 2, 2.0)
    assert san.cases_handled == 1  # resolved twice, one case
    assert (san.closed, san.first_check_share, san.reopened_share) == (1, 0.0, 0.0)
    assert san.satisfaction == 2.0


def test_cell_figures(table):
    one, two, three = (table.get("cell", c) for c in (1, 2, 3))
    # Cell 1: 7 stays of case 1, 13 of case 3 (its wait while closed is no one's step).
    assert (one.steps, one.on_time_steps, one.median_hours) == (20, 19, 0.5)
    assert (one.cases_handled, one.closed, one.first_check_share, one.reopened_share) == (
        2, 2, 1.0, 0.5,
    )  # fmt: skip
    assert one.satisfaction == pytest.approx(4.5)
    assert (two.steps, two.on_time_steps, two.median_hours) == (9, 6, 1.0)
    assert (two.cases_handled, two.closed, two.first_check_share) == (1, 1, 0.0)
    assert (three.steps, three.on_time_steps, three.median_hours) == (1, 1, 1.5)
    assert (three.cases_handled, three.closed, three.satisfaction) == (0, 0, None)


def test_totals(table):
    t = table.total
    assert (t.steps, t.on_time_steps, t.median_hours) == (30, 26, 0.5)
    assert (t.cases_handled, t.closed) == (3, 3)
    assert t.first_check_share == pytest.approx(2 / 3)
    assert t.reopened_share == pytest.approx(1 / 3)
    assert t.satisfaction == pytest.approx(11 / 3)


def test_a_month_without_steps_has_empty_figures(catalogue):
    empty = compute_performance(LOG, local(2026, 9, 1, 0), local(2026, 10, 1, 0), catalogue)
    assert empty.total.steps == 0 and empty.total.on_time_share is None
    assert empty.rows("worker") == []
