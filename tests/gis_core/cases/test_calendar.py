"""Working-time arithmetic across weekends, public holidays and adjusted working days (调休)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_core.cases.calendar import CalendarError, RoundTheClock, WorkingCalendar

from .conftest import local

CAL = WorkingCalendar.default()  # 09:00–12:00, 13:00–18:00; the 2026 holidays


def deadline(start: dt.datetime, hours: float) -> dt.datetime:
    return CAL.add_hours(start, hours).astimezone(start.tzinfo)


@pytest.mark.parametrize(
    ("start", "hours", "due", "why"),
    [
        (local(2026, 11, 2, 10, 0), 2, local(2026, 11, 2, 12, 0), "a Monday morning"),
        (local(2026, 11, 2, 11, 0), 2, local(2026, 11, 2, 14, 0), "over the lunch break"),
        (local(2026, 11, 2, 9, 0), 8, local(2026, 11, 2, 18, 0), "a full day ends that evening"),
        (local(2026, 11, 2, 7, 30), 1, local(2026, 11, 2, 10, 0), "before office hours"),
        (local(2026, 11, 2, 12, 30), 0.5, local(2026, 11, 2, 13, 30), "reported at lunch"),
        (local(2026, 11, 6, 17, 0), 2, local(2026, 11, 9, 10, 0), "Friday → Monday"),
        (local(2026, 11, 7, 3, 0), 1, local(2026, 11, 9, 10, 0), "reported on a Saturday"),
        (local(2026, 9, 30, 17, 0), 2, local(2026, 10, 8, 10, 0), "国庆: 1–7 Oct off"),
        (local(2026, 10, 9, 17, 0), 2, local(2026, 10, 10, 10, 0), "Sat 10 Oct is worked (调休)"),
        (local(2026, 9, 18, 17, 0), 2, local(2026, 9, 20, 10, 0), "Sun 20 Sep is worked (调休)"),
        (local(2026, 2, 13, 17, 0), 2, local(2026, 2, 14, 10, 0), "Sat 14 Feb is worked (调休)"),
        (local(2026, 2, 14, 17, 0), 2, local(2026, 2, 24, 10, 0), "春节: 15–23 Feb off"),
        (local(2025, 12, 31, 17, 0), 2, local(2026, 1, 4, 10, 0), "元旦, then Sun 4 Jan worked"),
        (local(2026, 4, 3, 17, 0), 2, local(2026, 4, 7, 10, 0), "清明: Mon 6 Apr off"),
        (local(2026, 4, 30, 17, 0), 9, local(2026, 5, 6, 18, 0), "劳动节: 1–5 May off"),
        (local(2026, 5, 8, 17, 0), 2, local(2026, 5, 9, 10, 0), "Sat 9 May is worked (调休)"),
        (local(2026, 6, 18, 17, 0), 2, local(2026, 6, 22, 10, 0), "端午: Fri 19 Jun off"),
        (local(2026, 9, 24, 17, 0), 2, local(2026, 9, 28, 10, 0), "中秋: Fri 25 Sep off"),
    ],
)
def test_deadline_in_working_hours(start, hours, due, why):
    assert deadline(start, hours) == due, why


def test_deadlines_come_back_in_utc():
    due = CAL.add_hours(local(2026, 11, 2, 10, 0), 2)
    assert due.tzinfo == dt.UTC and due == dt.datetime(2026, 11, 2, 4, 0, tzinfo=dt.UTC)


def test_no_time_limit_is_the_start_itself():
    start = local(2026, 11, 7, 3, 0)  # a Saturday night
    assert CAL.add_hours(start, 0) == start


@pytest.mark.parametrize(
    ("t1", "t2", "hours"),
    [
        (local(2026, 11, 6, 17, 0), local(2026, 11, 9, 10, 0), 2.0),
        (local(2026, 9, 30, 9, 0), local(2026, 10, 8, 18, 0), 16.0),  # over 国庆
        (local(2026, 10, 9, 9, 0), local(2026, 10, 11, 23, 0), 16.0),  # Fri + 调休 Sat
        (local(2026, 11, 2, 12, 0), local(2026, 11, 2, 13, 0), 0.0),  # lunch
        (local(2026, 11, 2, 10, 0), local(2026, 11, 2, 9, 0), -1.0),
        (local(2026, 2, 13, 9, 0), local(2026, 3, 2, 9, 0), 8.0 * 7),  # 13, 14, 24–27, 28 Feb
    ],
)
def test_working_hours_between(t1, t2, hours):
    assert CAL.hours_between(t1, t2) == pytest.approx(hours)


def test_day_kinds_and_working_days_of_a_month():
    assert CAL.describe(dt.date(2026, 10, 10)) == "adjusted working day (调休)"
    assert CAL.describe(dt.date(2026, 10, 2)) == "holiday: 国庆节"
    assert CAL.describe(dt.date(2026, 11, 7)) == "weekend"
    assert CAL.describe(dt.date(2026, 11, 9)) == "working day"
    # October 2026: 22 weekdays, 5 of them in the 国庆 holiday, plus Sat 10 Oct → 18.
    assert len(CAL.working_days(dt.date(2026, 10, 1), dt.date(2026, 10, 31))) == 18


def test_round_the_clock_ignores_the_calendar():
    start = local(2026, 10, 1, 23, 0)
    assert RoundTheClock().add_hours(start, 2) == local(2026, 10, 2, 1, 0)
    assert RoundTheClock().hours_between(start, local(2026, 10, 2, 1, 0)) == 2.0


def test_a_custom_calendar_from_yaml_shape():
    cal = WorkingCalendar.from_mapping(
        {
            "working_hours": [["08:30", "12:00"], ["14:30", "17:30"]],
            "holidays": [{"from": "2027-01-01", "to": "2027-01-01", "name": "元旦"}],
            "workdays": ["2027-01-02"],
        }
    )
    assert cal.day_seconds == 6.5 * 3600
    # Thu 31 Dec 2026 17:00 + 1 h: half an hour that day, the rest on Sat 2 Jan (调休).
    due = cal.add_hours(local(2026, 12, 31, 17, 0), 1).astimezone(local(2026, 1, 1).tzinfo)
    assert due == local(2027, 1, 2, 9, 0)


def test_contradictory_calendars_are_refused():
    with pytest.raises(CalendarError, match="both a holiday and an adjusted working day"):
        WorkingCalendar.from_mapping({"holidays": ["2026-10-10"], "workdays": ["2026-10-10"]})
    with pytest.raises(CalendarError, match="in order"):
        WorkingCalendar.from_mapping({"working_hours": [["13:00", "18:00"], ["09:00", "12:00"]]})
    with pytest.raises(CalendarError, match="negative"):
        CAL.add_hours(local(2026, 11, 2, 9, 0), -1)


@settings(max_examples=300, deadline=None)
@given(
    minutes=st.integers(0, 365 * 24 * 60),
    hours=st.floats(0.01, 200, allow_nan=False),
)
def test_deadline_and_elapsed_time_agree(minutes, hours):
    start = local(2026, 1, 1, 0, 0) + dt.timedelta(minutes=minutes)
    due = CAL.add_hours(start, hours)
    assert due >= start
    assert CAL.hours_between(start, due) == pytest.approx(hours, abs=1e-6)
    # The deadline falls inside working time, on a working day.
    t = due.astimezone(start.tzinfo)
    assert CAL.is_working_day(t.date())
    assert any(s <= t.time() <= e for s, e in CAL.periods)
    # …and is the earliest such instant: a minute earlier there was still time left.
    assert CAL.hours_between(start, due - dt.timedelta(minutes=1)) < hours
