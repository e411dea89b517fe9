"""Working-time arithmetic for time limits: working hours, weekends, public holidays and 调休.

A time limit such as "dispatch within 2 working hours" runs only during working hours on working
days, in the deployment's time zone (Asia/Shanghai). Working days are Monday–Friday, minus public
holidays, plus the adjusted working days (调休, a Saturday or Sunday worked to make up for a
bridged holiday). All instants in and out are aware datetimes; the store keeps them in UTC.

The arithmetic runs on one function: ``F(t)``, the working seconds between a fixed origin and
``t``. Elapsed working time is ``F(t2) - F(t1)``; a deadline ``N`` working hours after ``start``
is the earliest ``t`` with ``F(t) = F(start) + 3600 N``. ``F`` is exact: a sorted table of
working days (built once per calendar) and the day's working periods. Example::

    >>> cal = WorkingCalendar.default()           # 09:00–12:00, 13:00–18:00, 2026 holidays
    >>> start = dt.datetime(2026, 9, 30, 17, 0, tzinfo=cal.tz)   # Wednesday before 国庆
    >>> cal.add_hours(start, 2).astimezone(cal.tz).isoformat()  # 1 h on 30 Sep, 1 h on 8 Oct
    '2026-10-08T10:00:00+08:00'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np

__all__ = [
    "Clock",
    "WorkingCalendar",
    "RoundTheClock",
    "CalendarError",
    "DEFAULT_CALENDAR_FILE",
    "utc",
    "clock_for",
]

DEFAULT_CALENDAR_FILE = (
    Path(__file__).resolve().parents[2] / "resources" / "cases" / "calendar.yaml"
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The working-day table covers these years; an instant outside them is refused, not guessed.
_FIRST_YEAR, _LAST_YEAR = 2000, 2100


class CalendarError(ValueError):
    """A calendar definition or an instant the calendar cannot handle."""


def utc(t: dt.datetime) -> dt.datetime:
    """``t`` as an aware UTC datetime; a naive ``t`` is taken to be UTC already (as the store
    hands back SQLite timestamps)."""
    if t.tzinfo is None:
        return t.replace(tzinfo=dt.UTC)
    return t.astimezone(dt.UTC)


class Clock(Protocol):
    """What the case workflow needs from a calendar (working or round-the-clock)."""

    @property
    def name(self) -> str: ...

    def add_hours(self, start: dt.datetime, hours: float) -> dt.datetime: ...

    def hours_between(self, t1: dt.datetime, t2: dt.datetime) -> float: ...


@dataclass(frozen=True)
class RoundTheClock:
    """Natural time: for categories handled day and night (fire hazards, gas)."""

    name: str = "natural"

    def add_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        return utc(start) + dt.timedelta(hours=hours)

    def hours_between(self, t1: dt.datetime, t2: dt.datetime) -> float:
        return (utc(t2) - utc(t1)).total_seconds() / 3600.0


def _parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int):  # YAML reads 09:00 as sexagesimal 540 (minutes)
        return dt.time(value // 60, value % 60)
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise CalendarError(f"not a time of day: {value!r} (use HH:MM)") from exc


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise CalendarError(f"not a date: {value!r} (use YYYY-MM-DD)") from exc


def _dates(items: Iterable[Any]) -> set[dt.date]:
    """Dates from a list of dates and ``{from:, to:}`` ranges (inclusive)."""
    out: set[dt.date] = set()
    for item in items or ():
        if isinstance(item, Mapping):
            first = _parse_date(item.get("from", item.get("date")))
            last = _parse_date(item.get("to", first))
            if last < first:
                raise CalendarError(f"holiday range ends before it starts: {dict(item)}")
            out.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
        else:
            out.add(_parse_date(item))
    return out


@dataclass(frozen=True)
class WorkingCalendar:
    """Working hours on working days in one time zone.

    ``periods``: the working periods of every working day, local wall-clock (start, end), in
    order and not overlapping. ``holidays``: days off (a weekday among them is not worked).
    ``workdays``: adjusted working days (调休) — weekend days that are worked.
    """

    timezone: str = "Asia/Shanghai"
    periods: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(9, 0), dt.time(12, 0)),
        (dt.time(13, 0), dt.time(18, 0)),
    )
    weekend: frozenset[int] = frozenset({5, 6})
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    name: str = "working"
    holiday_names: Mapping[dt.date, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.periods:
            raise CalendarError("a working calendar needs at least one working period")
        last = dt.time(0, 0)
        for start, end in self.periods:
            if not (last <= start < end):
                raise CalendarError(
                    "working periods must be in order, not overlap and end after they start"
                )
            last = end
        clash = self.holidays & self.workdays
        if clash:
            raise CalendarError(
                f"{min(clash)} is both a holiday and an adjusted working day (调休)"
            )
        ZoneInfo(self.timezone)  # raises for an unknown zone

    # ----------------------------------------------------------------- building
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> WorkingCalendar:
        """From the YAML/JSON shape of ``resources/cases/calendar.yaml``."""
        periods = (
            tuple((_parse_time(p[0]), _parse_time(p[1])) for p in data.get("working_hours") or ())
            or cls.periods
        )
        weekend_names = data.get("weekend", ["sat", "sun"])
        try:
            weekend = frozenset(_WEEKDAYS.index(str(d).lower()[:3]) for d in weekend_names)
        except ValueError as exc:
            raise CalendarError(f"unknown weekday in weekend: {weekend_names}") from exc
        holidays: set[dt.date] = set()
        names: dict[dt.date, str] = {}
        for item in data.get("holidays") or ():
            days = _dates([item])
            holidays |= days
            if isinstance(item, Mapping) and item.get("name"):
                names.update(dict.fromkeys(days, str(item["name"])))
        return cls(
            timezone=str(data.get("timezone", "Asia/Shanghai")),
            periods=periods,
            weekend=weekend,
            holidays=frozenset(holidays),
            workdays=frozenset(_dates(data.get("workdays") or ())),
            holiday_names=names,
        )

    @classmethod
    def load(cls, path: str | Path) -> WorkingCalendar:
        import yaml

        with open(path, encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f) or {})

    @classmethod
    def default(cls) -> WorkingCalendar:
        """The shipped calendar: 09:00–12:00 and 13:00–18:00, Asia/Shanghai, the State
        Council's 2026 public holidays and adjusted working days."""
        return _default_calendar()

    def to_mapping(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "working_hours": [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in self.periods],
            "weekend": [_WEEKDAYS[d] for d in sorted(self.weekend)],
            "holidays": [
                {
                    "date": d.isoformat(),
                    **({"name": self.holiday_names[d]} if d in self.holiday_names else {}),
                }
                for d in sorted(self.holidays)
            ],
            "workdays": [d.isoformat() for d in sorted(self.workdays)],
        }

    # ----------------------------------------------------------------- queries
    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def day_seconds(self) -> float:
        """Working seconds in one working day."""
        return float(sum(_sec(e) - _sec(s) for s, e in self.periods))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() not in self.weekend

    @cached_property
    def _table(self) -> tuple[dt.date, np.ndarray]:
        """(origin, ordinals of every working day from the origin on, relative to it)."""
        origin = dt.date(_FIRST_YEAR, 1, 1)
        n = (dt.date(_LAST_YEAR, 12, 31) - origin).days + 1
        days = np.arange(n)
        weekday = (origin.weekday() + days) % 7
        working = ~np.isin(weekday, sorted(self.weekend))
        for day, value in [(d, False) for d in self.holidays] + [(d, True) for d in self.workdays]:
            i = (day - origin).days
            if 0 <= i < n:
                working[i] = value
        return origin, np.flatnonzero(working)

    def _day_index(self, day: dt.date) -> int:
        origin, _ = self._table
        i = (day - origin).days
        if not (0 <= i <= (dt.date(_LAST_YEAR, 12, 31) - origin).days):
            raise CalendarError(f"{day} is outside the calendar ({_FIRST_YEAR}–{_LAST_YEAR})")
        return i

    def _within_day(self, seconds: float) -> float:
        """Working seconds of a working day before ``seconds`` after local midnight."""
        total = 0.0
        for s, e in self.periods:
            total += min(max(seconds - _sec(s), 0.0), _sec(e) - _sec(s))
        return total

    def working_seconds_since_origin(self, t: dt.datetime) -> float:
        """``F(t)``: working seconds between the calendar's origin and ``t``."""
        local = utc(t).astimezone(self.tz)
        i = self._day_index(local.date())
        _, work = self._table
        before = int(np.searchsorted(work, i, side="left"))
        total = before * self.day_seconds
        if before < len(work) and work[before] == i:
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            total += self._within_day((local - midnight).total_seconds())
        return total

    def _instant(self, target: float) -> dt.datetime:
        """The earliest instant with ``F(t) = target`` (``target`` > 0)."""
        per_day = self.day_seconds
        k = max(math.ceil(target / per_day) - 1, 0)
        rest = target - k * per_day  # in (0, per_day]
        origin, work = self._table
        if k >= len(work):
            raise CalendarError(f"a deadline beyond {_LAST_YEAR} is outside the calendar")
        day = origin + dt.timedelta(days=int(work[k]))
        at = None
        for s, e in self.periods:
            length = _sec(e) - _sec(s)
            if rest <= length:
                at = _sec(s) + rest
                break
            rest -= length
        assert at is not None
        midnight = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.tz)
        return (midnight + dt.timedelta(seconds=at)).astimezone(dt.UTC)

    def add_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The deadline ``hours`` working hours after ``start`` (UTC). A start outside working
        hours counts from the next working period; 0 hours is ``start`` itself."""
        if hours < 0:
            raise CalendarError("a time limit cannot be negative")
        if hours == 0:
            return utc(start)
        return self._instant(self.working_seconds_since_origin(start) + hours * 3600.0)

    def hours_between(self, t1: dt.datetime, t2: dt.datetime) -> float:
        """Working hours from ``t1`` to ``t2`` (negative when ``t2`` is earlier)."""
        return (
            self.working_seconds_since_origin(t2) - self.working_seconds_since_origin(t1)
        ) / 3600.0

    def working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last`` inclusive."""
        i0, i1 = self._day_index(first), self._day_index(last)
        origin, work = self._table
        lo, hi = np.searchsorted(work, [i0, i1 + 1])
        return [origin + dt.timedelta(days=int(d)) for d in work[lo:hi]]

    def describe(self, day: dt.date) -> str:
        """``working day`` / ``weekend`` / ``holiday: 国庆节`` / ``adjusted working day (调休)``."""
        if day in self.workdays:
            return "adjusted working day (调休)"
        if day in self.holidays:
            name = self.holiday_names.get(day)
            return f"holiday: {name}" if name else "holiday"
        return "weekend" if day.weekday() in self.weekend else "working day"


def _sec(t: dt.time) -> float:
    return t.hour * 3600.0 + t.minute * 60.0 + t.second


_DEFAULT: list[WorkingCalendar] = []


def _default_calendar() -> WorkingCalendar:
    if not _DEFAULT:
        _DEFAULT.append(WorkingCalendar.load(DEFAULT_CALENDAR_FILE))
    return _DEFAULT[0]


def clock_for(kind: str, calendar: WorkingCalendar) -> Clock:
    """The clock of a category: ``working`` (the calendar) or ``natural`` (round the clock)."""
    if kind == "natural":
        return RoundTheClock()
    if kind == "working":
        return calendar
    raise CalendarError(f"unknown clock {kind!r}: use working or natural")
