"""Events in: reports and patrol findings, fusion into cases, merge and split, alarms."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely
from sqlalchemy import text

from gis_core.alarms import AlarmChange, AlarmRecord
from gis_core.cases import (
    Actor,
    AlarmCaseOpener,
    EventReport,
    InvalidAction,
    UnknownCategory,
    act,
    case_steps,
    confirm_merge,
    fusion_groups,
    get_case,
    linked_events,
    report_event,
    split_event,
)
from gis_core.cases.catalogue import FusionSettings
from gis_core.live import Severity

from .conftest import OPERATOR, X0, Y0, cell_centre, local

ADMIN = Actor("admin", "administrator")
FUSE = FusionSettings(distance_m=50, minutes=120)


def test_fusion_groups_by_category_place_and_time():
    cats = ["garbage", "garbage", "garbage", "dispute", "garbage", "garbage", "garbage"]
    x = np.array([0, 30, 0, 10, 200, 40, 80.0])
    y = np.zeros(7)
    minutes = np.array([0, 20, 400, 5, 0, 100, 130.0])
    labels = fusion_groups(cats, x, y, minutes * 60, FUSE)
    # 0–1 (30 m, 20 min); 1–5 (10 m, 80 min) and 5–6 (40 m, 30 min) chain on; 2 is 270 min
    # after the last of them; 3 is another category; 4 is 200 m away.
    assert labels.tolist() == [0, 0, 2, 3, 4, 0, 0]
    assert fusion_groups([], np.zeros(0), np.zeros(0), np.zeros(0), FUSE).tolist() == []


def test_close_reports_of_one_problem_are_proposed_as_one_case(cases_store):
    s = cases_store
    x, y = cell_centre(1)
    a = report_event(s, EventReport("garbage", x, y, "楼下垃圾"), actor=OPERATOR,
                     at=local(2026, 11, 2, 9))  # fmt: skip
    b = report_event(s, EventReport("垃圾堆放", x + 30, y, "垃圾没人清", source="patrol",
                                    photos=("p/1.jpg", "p/2.jpg")),
                     actor=OPERATOR, at=local(2026, 11, 2, 9, 40))  # fmt: skip
    other_kind = report_event(s, EventReport("dispute", x + 5, y, "吵架"), actor=OPERATOR,
                              at=local(2026, 11, 2, 9, 45))  # fmt: skip
    far = report_event(s, EventReport("garbage", x + 150, y, "另一处"), actor=OPERATOR,
                       at=local(2026, 11, 2, 9, 50))  # fmt: skip
    assert (b.proposed, b.case_id, b.distance_m) == (True, a.case_id, 30.0)
    assert not other_kind.proposed and not far.proposed
    assert len({a.case_id, other_kind.case_id, far.case_id}) == 3
    assert far.grid_cell_id == 2  # 150 m east: the next cell
    events = linked_events(s, a.case_id)
    assert [(e["id"], e["link"], e["source"]) for e in events] == [
        (a.event_id, "primary", "resident"),
        (b.event_id, "proposed", "patrol"),
    ]
    assert events[1]["photos"] == ["p/1.jpg", "p/2.jpg"]
    log = case_steps(s, a.case_id)
    assert log[-1].action == "propose_merge" and log[-1].detail["event_id"] == b.event_id

    c = confirm_merge(s, a.case_id, b.event_id, actor=OPERATOR)
    assert [e["link"] for e in linked_events(s, a.case_id)] == ["primary", "merged"]
    assert c.state == "reported" and case_steps(s, a.case_id)[-1].action == "merge"
    with pytest.raises(InvalidAction, match="already confirmed"):
        confirm_merge(s, a.case_id, b.event_id, actor=OPERATOR)


def test_a_wrong_proposal_is_split_off_into_its_own_case(cases_store):
    s = cases_store
    x, y = cell_centre(4)
    a = report_event(s, EventReport("garbage", x, y, "一处"), actor=OPERATOR,
                     at=local(2026, 11, 2, 9))  # fmt: skip
    b = report_event(s, EventReport("garbage", x, y + 20, "另一个问题"), actor=OPERATOR,
                     at=local(2026, 11, 2, 9, 5))  # fmt: skip
    old, new = split_event(s, a.case_id, b.event_id, actor=OPERATOR, note="不是同一个问题")
    assert [e["id"] for e in linked_events(s, old.id)] == [a.event_id]
    assert [(e["id"], e["link"]) for e in linked_events(s, new.id)] == [(b.event_id, "primary")]
    assert (new.state, new.grid_cell_id, new.description) == ("reported", 4, "另一个问题")
    assert case_steps(s, old.id)[-1].action == "split"
    first = case_steps(s, new.id)[0]
    assert (first.action, first.detail["split_from"]) == ("report", a.case_id)
    with pytest.raises(InvalidAction, match="only event"):
        split_event(s, new.id, b.event_id, actor=OPERATOR)


def test_closed_cases_do_not_attract_new_reports(sqlite_cases_store):
    s = sqlite_cases_store
    x, y = cell_centre(2)
    a = report_event(s, EventReport("garbage", x, y), actor=OPERATOR, at=local(2026, 11, 2, 9))
    for action, kw in [
        ("verify", {}), ("dispatch", {"assignee": "li.na"}), ("accept", {}), ("start", {}),
        ("resolve", {}), ("check", {}), ("close", {}),
    ]:  # fmt: skip
        act(s, a.case_id, action, actor=ADMIN, **kw)
    b = report_event(s, EventReport("garbage", x, y), actor=OPERATOR, at=local(2026, 11, 2, 9, 30))
    assert not b.proposed and b.case_id != a.case_id


def test_reports_that_cannot_be_placed_are_refused_and_nothing_is_written(sqlite_cases_store):
    s = sqlite_cases_store
    x, y = cell_centre(1)
    now = local(2026, 11, 2, 9)
    with pytest.raises(UnknownCategory, match="unknown category '占道经营'"):
        report_event(s, EventReport("占道经营", x, y), actor=OPERATOR, at=now)
    with pytest.raises(InvalidAction, match="in the future"):
        report_event(s, EventReport("garbage", x, y, reported_at=now + dt.timedelta(hours=2)),
                     actor=OPERATOR, at=now)  # fmt: skip
    with pytest.raises(InvalidAction, match="outside every grid cell"):
        report_event(s, EventReport("garbage", X0 - 500, Y0), actor=OPERATOR, at=now)
    with pytest.raises(Exception, match="may not report"):
        report_event(s, EventReport("garbage", x, y), actor=Actor("v", "viewer"))
    assert s.count("events") == 0


def _smoke_sensor(store):
    x, y = cell_centre(3)
    store.bulk_insert(
        "sensors",
        {"id": [1, 2], "grid_cell_id": [3, 3], "code": ["SMK-0001", "BIN-0001"],
         "kind": ["smoke", "bin_fill"]},
        shapely.points([[x, y], [x + 10, y]]),
    )  # fmt: skip
    return x, y


def _alarm(rule, severity, sensor_id, at, op="raise", key=1):
    record = AlarmRecord(key, None, rule, severity, at.timestamp(), sensor_id=sensor_id,
                         value=6.9, detail="smoke 6.9 past 4")  # fmt: skip
    return AlarmChange(op, record)


def test_alarms_open_cases_as_the_rules_say(sqlite_cases_store):
    s = sqlite_cases_store
    x, y = _smoke_sensor(s)
    opener = AlarmCaseOpener(s)
    t = local(2026, 11, 7, 2, 0)  # a Saturday night: fire hazards run round the clock
    opener(_alarm("smoke.threshold", Severity.CRITICAL, 1, t))
    opener(_alarm("smoke.threshold", Severity.CRITICAL, 1, t, op="update"))  # not a raise
    opener(_alarm("inactivity", Severity.MINOR, 2, t, key=2))  # no rule for silent devices
    opener(_alarm("bin_fill.threshold", Severity.MINOR, 2, t, key=3))
    assert [i.proposed for i in opener.opened] == [False, False]
    fire = get_case(s, opener.opened[0].case_id)
    assert (fire.category, fire.grid_cell_id, (fire.x, fire.y)) == ("fire_hazard", 3, (x, y))
    ev = linked_events(s, fire.id)[0]
    assert (
        ev["source"] == "alarm"
        and "SMK-0001: smoke.threshold (critical) = 6.9" in ev["description"]
    )
    # The detector goes off again ten minutes later: proposed for the same case, not a new one.
    opener(_alarm("smoke.threshold", Severity.CRITICAL, 1, t + dt.timedelta(minutes=10), key=4))
    assert opener.opened[-1].proposed and opener.opened[-1].case_id == fire.id
    # The same alarm handed in twice is taken in once.
    opener(_alarm("smoke.threshold", Severity.CRITICAL, 1, t + dt.timedelta(minutes=10), key=4))
    assert len(opener.opened) == 3
    with s.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM events WHERE source = 'alarm'")).scalar() == 3
        )
