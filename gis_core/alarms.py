"""Alarm rules and the engine that applies them to readings: pure logic, no threads, no store.

A rule watches one sensor kind. A *threshold* rule raises when a value stays on the bad side of a
threshold for ``duration_s`` (measured on the readings' own timestamps, so a replay behaves like
the original) and clears once the value is back past the threshold by ``hysteresis``. An
*inactivity* rule raises when a device has been silent for ``silence_factor`` of its periods and
clears with its next reading. Operators acknowledge (with a note) and may clear by hand; every
change comes out as an :class:`AlarmChange` for the pipeline to store with who and when.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import numpy as np

from gis_core.live import SENSOR_KIND_SPECS, SensorTable, Severity, kind_spec

__all__ = [
    "AlarmRule",
    "AlarmRecord",
    "AlarmChange",
    "AlarmEngine",
    "AlarmError",
    "default_rules",
    "describe_rule",
    "SYSTEM_USER",
]

#: Who clears an alarm when its rule does it (the value came back, the device spoke again).
SYSTEM_USER = "system"


class AlarmError(ValueError):
    """An operator action on an alarm that does not exist or cannot take it."""


@dataclass(frozen=True, slots=True)
class AlarmRule:
    """One rule. ``kind`` None applies to every sensor kind.

    Threshold rules compare against ``threshold`` when given, else against the sensor's own
    ``alarm`` (``level="alarm"``) or ``warn`` threshold. ``active_hours`` (local start, end hour)
    limits when the rule may *raise*, e.g. (23, 5) for "door left open at night".
    """

    name: str
    kind: str | None
    type: str = "threshold"  # "threshold" | "inactivity"
    severity: Severity = Severity.MAJOR
    level: str = "alarm"
    threshold: float | None = None
    duration_s: float = 0.0
    hysteresis: float = 0.0
    silence_factor: float = 5.0
    active_hours: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.type not in ("threshold", "inactivity"):
            raise ValueError(f"rule {self.name}: unknown type {self.type!r}")
        if self.level not in ("alarm", "warn"):
            raise ValueError(f"rule {self.name}: level must be 'alarm' or 'warn'")
        if self.duration_s < 0 or self.hysteresis < 0 or self.silence_factor <= 0:
            raise ValueError(f"rule {self.name}: durations and hysteresis must be positive")


def default_rules() -> list[AlarmRule]:
    """One threshold rule per kind from its description, a night rule for doors, and inactivity."""
    rules = [
        AlarmRule(
            name=f"{spec.name}.threshold",
            kind=spec.name,
            severity=spec.severity,
            duration_s=spec.alarm_duration_s,
            hysteresis=spec.hysteresis,
        )
        for spec in SENSOR_KIND_SPECS.values()
        if spec.alarm is not None
    ]
    rules.append(
        AlarmRule(
            name="door.open_at_night",
            kind="door",
            severity=Severity.MINOR,
            threshold=1.0,
            duration_s=300.0,
            hysteresis=0.5,
            active_hours=(23, 5),
        )
    )
    rules.append(
        AlarmRule(name="inactivity", kind=None, type="inactivity", severity=Severity.MINOR)
    )
    return rules


@dataclass(frozen=True, slots=True)
class AlarmRecord:
    """An alarm as the alarm panel shows it and the store keeps it (times in epoch seconds).

    ``key`` identifies the alarm in this process (stable before the store has given it an id);
    ``id`` is the store's id once written (None until then).
    """

    key: int
    id: int | None
    rule: str
    severity: Severity
    raised_at: float
    sensor_id: int | None = None
    sensor_code: str | None = None
    camera_id: int | None = None
    grid_cell_id: int | None = None
    value: float | None = None
    detail: str = ""
    cleared_at: float | None = None
    cleared_by: str | None = None
    acknowledged_at: float | None = None
    acknowledged_by: str | None = None
    note: str | None = None

    @property
    def active(self) -> bool:
        return self.cleared_at is None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def open(self) -> bool:
        """Shown in the panel until both cleared and acknowledged."""
        return self.active or not self.acknowledged

    def when(self, field_name: str) -> dt.datetime | None:
        value = getattr(self, field_name)
        return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


@dataclass(frozen=True, slots=True)
class AlarmChange:
    """``op`` "raise" inserts the record, "update" rewrites its mutable fields."""

    op: str
    record: AlarmRecord


class AlarmEngine:
    """Applies rules to one :class:`SensorTable`'s sensors.

    ``on_reading`` and ``check_silence`` run on the ingest thread; ``acknowledge``, ``clear`` and
    the read methods may be called from any thread (one lock guards the alarm state).
    """

    def __init__(
        self,
        table: SensorTable,
        rules: Sequence[AlarmRule] | None = None,
        timezone: str = "Asia/Shanghai",
        started_at: float = 0.0,
    ):
        self._lock = threading.RLock()
        self._keys = itertools.count(1)
        self.rules: tuple[AlarmRule, ...] = tuple(default_rules() if rules is None else rules)
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("alarm rule names must be unique")
        self._tz = ZoneInfo(timezone)
        self._alarms: dict[int, AlarmRecord] = {}  # key -> record, open alarms only
        self._active: dict[tuple[int, str], int] = {}  # (slot, rule) -> key
        self._pending: dict[tuple[int, str], float] = {}  # (slot, rule) -> first bad ts
        self._external: dict[tuple[str, int | None, int | None], int] = {}
        self.version = 0  # bumps on every change, for pollers
        self._started_at = started_at
        self.table = table
        self._set_table(table)

    # ------------------------------------------------------------------ sensors
    def _set_table(self, table: SensorTable) -> None:
        self.table = table
        self._by_kind: dict[str, list[AlarmRule]] = {}
        for kind in set(table.kinds):
            self._by_kind[kind] = [
                r for r in self.rules if r.type == "threshold" and r.kind in (kind, None)
            ]
        factor = np.full(len(table), np.inf)
        rule_of_slot: list[str | None] = [None] * len(table)
        for slot, kind in enumerate(table.kinds):
            for r in self.rules:
                if r.type == "inactivity" and r.kind in (kind, None):
                    factor[slot] = r.silence_factor
                    rule_of_slot[slot] = r.name
                    break
        self._silence_limit = factor * table.period_s
        self._silence_rule = rule_of_slot
        self._silence_baseline = np.full(len(table), self._started_at, dtype=np.float64)

    def retarget(self, table: SensorTable) -> None:
        """Switch to a reloaded sensor table; open alarms follow their sensors by id."""
        with self._lock:
            old = self.table
            old_baseline = self._silence_baseline
            self._set_table(table)
            for slot, sid in enumerate(table.ids):
                prev = old.slot_of_id.get(int(sid))
                if prev is not None:
                    self._silence_baseline[slot] = old_baseline[prev]

            def moved(key: tuple[int, str]) -> tuple[int, str] | None:
                slot = table.slot_of_id.get(int(old.ids[key[0]]))
                return None if slot is None else (slot, key[1])

            self._active = {m: k for key, k in self._active.items() if (m := moved(key))}
            self._pending = {m: t for key, t in self._pending.items() if (m := moved(key))}

    # ------------------------------------------------------------------ rules
    def on_reading(self, slot: int, ts: float, value: float) -> list[AlarmChange]:
        """Apply the threshold rules to a sensor's newest reading (and end its silence)."""
        changes: list[AlarmChange] = []
        with self._lock:
            silent = self._silence_rule[slot]
            if silent is not None:
                key = self._active.get((slot, silent))
                if key is not None:
                    changes.append(self._clear(key, ts, SYSTEM_USER, None))
            rules = self._by_kind.get(self.table.kinds[slot], ())
            for rule in rules:
                threshold = self._threshold(rule, slot)
                if threshold is None:
                    continue
                higher = bool(self.table.higher_is_worse[slot])
                bad = value >= threshold if higher else value <= threshold
                ident = (slot, rule.name)
                key = self._active.get(ident)
                if key is None:
                    if bad and rule.active_hours is not None:
                        bad = self._in_hours(ts, rule.active_hours)
                    if not bad:
                        self._pending.pop(ident, None)
                        continue
                    since = self._pending.setdefault(ident, ts)
                    if ts - since >= rule.duration_s:
                        del self._pending[ident]
                        changes.append(self._raise(rule, slot, ts, value, threshold))
                else:
                    back = (
                        value < threshold - rule.hysteresis
                        if higher
                        else value > threshold + rule.hysteresis
                    )
                    if back:
                        changes.append(self._clear(key, ts, SYSTEM_USER, None))
        return changes

    def check_silence(self, now: float, last_seen: np.ndarray) -> list[AlarmChange]:
        """Raise inactivity alarms for devices silent too long (``last_seen`` NaN: never heard).

        A device is given its full allowance from the engine's start (or a manual clear) before
        it counts as silent, so a restart does not flood the panel before the backlog arrives.
        """
        changes: list[AlarmChange] = []
        with self._lock:
            since = np.fmax(last_seen, self._silence_baseline)
            silent_for = now - since
            for slot in np.flatnonzero(silent_for > self._silence_limit):
                rule_name = self._silence_rule[slot]
                if rule_name is None or (slot, rule_name) in self._active:
                    continue
                rule = next(r for r in self.rules if r.name == rule_name)
                changes.append(
                    self._raise(
                        rule,
                        int(slot),
                        now,
                        float(silent_for[slot]),
                        None,
                        f"silent for {silent_for[slot]:.0f} s "
                        f"(period {self.table.period_s[slot]:.0f} s)",
                    )
                )
        return changes

    # ------------------------------------------------------------------ operators
    def acknowledge(self, key: int, user: str, note: str | None, now: float) -> AlarmChange:
        """Record that ``user`` has seen the alarm (with an optional note)."""
        if not user:
            raise AlarmError("acknowledging needs the operator's name")
        with self._lock:
            record = self._get(key)
            if record.acknowledged:
                raise AlarmError(
                    f"alarm {key} was already acknowledged by {record.acknowledged_by}"
                )
            record = replace(record, acknowledged_at=now, acknowledged_by=user, note=note)
            return self._store(record)

    def clear(self, key: int, user: str, now: float, note: str | None = None) -> AlarmChange:
        """Clear an alarm by hand (e.g. a false alarm); its rule may raise it again later."""
        if not user:
            raise AlarmError("clearing needs the operator's name")
        with self._lock:
            record = self._get(key)
            if not record.active:
                raise AlarmError(f"alarm {key} is already cleared")
            change = self._clear(key, now, user, note)
            if record.sensor_id is not None and record.rule == self._rule_of_slot_silence(record):
                slot = self.table.slot_of_id.get(record.sensor_id)
                if slot is not None:
                    self._silence_baseline[slot] = now
            return change

    def raise_external(
        self,
        rule: str,
        severity: Severity | str,
        at: float,
        *,
        camera_id: int | None = None,
        sensor_id: int | None = None,
        grid_cell_id: int | None = None,
        value: float | None = None,
        detail: str = "",
    ) -> AlarmChange | None:
        """An alarm from outside the rules (a camera's bin overflow); None if already active."""
        with self._lock:
            ident = (rule, camera_id, sensor_id)
            if ident in self._external:
                return None
            record = AlarmRecord(
                key=next(self._keys),
                id=None,
                rule=rule,
                severity=Severity.parse(severity),
                raised_at=at,
                sensor_id=sensor_id,
                camera_id=camera_id,
                grid_cell_id=grid_cell_id,
                value=value,
                detail=detail,
            )
            self._external[ident] = record.key
            return self._store(record, op="raise")

    def clear_external(
        self, rule: str, at: float, *, camera_id: int | None = None, sensor_id: int | None = None
    ) -> AlarmChange | None:
        with self._lock:
            key = self._external.get((rule, camera_id, sensor_id))
            return None if key is None else self._clear(key, at, SYSTEM_USER, None)

    # ------------------------------------------------------------------ reading
    def open_alarms(self) -> list[AlarmRecord]:
        """Alarms still active or not yet acknowledged: most severe first, then newest."""
        with self._lock:
            records = list(self._alarms.values())
        records.sort(key=lambda r: (-int(r.severity), -r.raised_at))
        return records

    def get(self, key: int) -> AlarmRecord | None:
        with self._lock:
            return self._alarms.get(key)

    def active_slots(self) -> np.ndarray:
        """Per sensor slot: True where a threshold alarm is active (the marker stays red)."""
        flags = np.zeros(len(self.table), dtype=bool)
        with self._lock:
            for (slot, rule_name), _key in self._active.items():
                if rule_name != self._silence_rule[slot]:
                    flags[slot] = True
        return flags

    def restore(self, records: Iterable[AlarmRecord]) -> None:
        """Take back the open alarms the store holds from a previous session."""
        with self._lock:
            for stored in records:
                record = replace(stored, key=next(self._keys))
                self._alarms[record.key] = record
                if not record.active:
                    continue
                slot = (
                    self.table.slot_of_id.get(record.sensor_id)
                    if record.sensor_id is not None
                    else None
                )
                if slot is not None and any(r.name == record.rule for r in self.rules):
                    self._active[(slot, record.rule)] = record.key
                elif record.camera_id is not None or slot is None:
                    self._external[(record.rule, record.camera_id, record.sensor_id)] = record.key
            self.version += 1

    def assign_id(self, key: int, alarm_id: int) -> None:
        """The store has written alarm ``key`` under ``alarm_id``."""
        with self._lock:
            record = self._alarms.get(key)
            if record is not None:
                self._alarms[key] = replace(record, id=alarm_id)

    # ------------------------------------------------------------------ internals
    def _threshold(self, rule: AlarmRule, slot: int) -> float | None:
        if rule.threshold is not None:
            return rule.threshold
        value = self.table.alarm[slot] if rule.level == "alarm" else self.table.warn[slot]
        return None if math.isnan(value) else float(value)

    def _in_hours(self, ts: float, hours: tuple[int, int]) -> bool:
        hour = dt.datetime.fromtimestamp(ts, self._tz).hour
        start, end = hours
        return start <= hour < end if start <= end else hour >= start or hour < end

    def _rule_of_slot_silence(self, record: AlarmRecord) -> str | None:
        slot = self.table.slot_of_id.get(record.sensor_id) if record.sensor_id else None
        return None if slot is None else self._silence_rule[slot]

    def _raise(
        self,
        rule: AlarmRule,
        slot: int,
        at: float,
        value: float,
        threshold: float | None,
        detail: str | None = None,
    ) -> AlarmChange:
        table = self.table
        if detail is None:
            detail = f"{table.kinds[slot]} {value:g} past {threshold:g}"
            if rule.duration_s:
                detail += f" for {rule.duration_s:g} s"
        cell = int(table.cell_ids[slot])
        record = AlarmRecord(
            key=next(self._keys),
            id=None,
            rule=rule.name,
            severity=rule.severity,
            raised_at=at,
            sensor_id=int(table.ids[slot]),
            sensor_code=table.codes[slot],
            grid_cell_id=None if cell < 0 else cell,
            value=value,
            detail=detail,
        )
        self._active[(slot, rule.name)] = record.key
        return self._store(record, op="raise")

    def _clear(self, key: int, at: float, user: str, note: str | None) -> AlarmChange:
        record = self._alarms[key]
        for ident, k in list(self._active.items()):
            if k == key:
                del self._active[ident]
                self._pending.pop(ident, None)
        for external, k in list(self._external.items()):
            if k == key:
                del self._external[external]
        updated = replace(
            record,
            cleared_at=at,
            cleared_by=user,
            note=note if note is not None else record.note,
        )
        return self._store(updated)

    def _get(self, key: int) -> AlarmRecord:
        record = self._alarms.get(key)
        if record is None:
            raise AlarmError(f"no open alarm {key}")
        return record

    def _store(self, record: AlarmRecord, op: str = "update") -> AlarmChange:
        if record.open:
            self._alarms[record.key] = record
        else:
            self._alarms.pop(record.key, None)
        self.version += 1
        return AlarmChange(op, record)


def describe_rule(rule: AlarmRule) -> str:
    """A one-line explanation for the alarm panel's rule list."""
    if rule.type == "inactivity":
        return f"silent for {rule.silence_factor:g}x the device period"
    spec = kind_spec(rule.kind or "")
    side = ">=" if spec.higher_is_worse else "<="
    target = f"{rule.threshold:g}" if rule.threshold is not None else f"its {rule.level} threshold"
    text = f"value {side} {target}"
    if rule.duration_s:
        text += f" for {rule.duration_s:g} s"
    if rule.hysteresis:
        text += f", clears {rule.hysteresis:g} back"
    if rule.active_hours:
        text += f", between {rule.active_hours[0]:02d}:00 and {rule.active_hours[1]:02d}:00"
    return text
