"""Alarm rules: threshold + duration, hysteresis, inactivity, night hours, acknowledge, clear."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from gis_core.alarms import SYSTEM_USER, AlarmEngine, AlarmError, AlarmRule, default_rules
from gis_core.live import SensorTable, Severity
from tests.gis_core._live_helpers import SENSORS

T0 = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC).timestamp()  # 10:00 in Shanghai


def table() -> SensorTable:
    return SensorTable.build(
        ids=list(range(1, len(SENSORS) + 1)),
        codes=[s[0] for s in SENSORS],
        kinds=[s[1] for s in SENSORS],
        x=np.zeros(len(SENSORS)),
        y=np.zeros(len(SENSORS)),
        units=[s[2] for s in SENSORS],
        period_s=[s[3] for s in SENSORS],
        warn=[s[4] for s in SENSORS],
        alarm=[s[5] for s in SENSORS],
        cell_ids=[1] * len(SENSORS),
    )


def slot(engine: AlarmEngine, code: str) -> int:
    return engine.table.slot_of_code[code]


def test_threshold_with_duration_raises_only_when_held():
    rules = [AlarmRule("water.high", "water_level", duration_s=60, hysteresis=0.2)]
    engine = AlarmEngine(table(), rules, started_at=T0)
    s = slot(engine, "WTR-0001")
    assert engine.on_reading(s, T0, 2.6) == []  # past 2.5, but not for 60 s yet
    assert engine.on_reading(s, T0 + 30, 2.4) == []  # dipped back: the clock restarts
    assert engine.on_reading(s, T0 + 40, 2.7) == []
    assert engine.on_reading(s, T0 + 90, 2.8) == []  # only 50 s since it went back up
    changes = engine.on_reading(s, T0 + 100, 2.9)
    assert [c.op for c in changes] == ["raise"]
    alarm = changes[0].record
    assert alarm.rule == "water.high" and alarm.sensor_code == "WTR-0001"
    assert alarm.raised_at == T0 + 100 and alarm.value == 2.9 and alarm.grid_cell_id == 1
    assert [a.key for a in engine.open_alarms()] == [alarm.key]
    assert engine.on_reading(s, T0 + 160, 3.0) == []  # still active: no second alarm


def test_hysteresis_keeps_the_alarm_until_the_value_is_well_back():
    rules = [AlarmRule("smoke.threshold", "smoke", hysteresis=1.0, severity=Severity.CRITICAL)]
    engine = AlarmEngine(table(), rules, started_at=T0)
    s = slot(engine, "SMK-0001")
    (raised,) = engine.on_reading(s, T0, 4.2)
    assert raised.record.severity is Severity.CRITICAL
    assert engine.on_reading(s, T0 + 10, 3.5) == []  # below 4.0 but within the 1.0 band
    assert engine.active_slots()[s]
    (cleared,) = engine.on_reading(s, T0 + 20, 2.9)
    assert cleared.op == "update"
    assert cleared.record.cleared_at == T0 + 20 and cleared.record.cleared_by == SYSTEM_USER
    assert not engine.active_slots()[s]
    # Cleared but not acknowledged: still in the panel until someone has seen it.
    assert [a.key for a in engine.open_alarms()] == [raised.record.key]
    engine.acknowledge(raised.record.key, "张伟", "false alarm: cooking", T0 + 30)
    assert engine.open_alarms() == []


def test_lower_is_worse_never_triggers_for_the_other_sensors():
    engine = AlarmEngine(table(), default_rules(), started_at=T0)
    for code in ("SMK-0002", "GAS-0001", "MHL-0001", "AIR-0001"):
        assert engine.on_reading(slot(engine, code), T0, 0.0) == []


def test_inactivity_alarm_after_silence_and_cleared_by_the_next_reading():
    rules = [AlarmRule("inactivity", None, type="inactivity", silence_factor=5)]
    engine = AlarmEngine(table(), rules, started_at=T0)
    last_seen = np.full(len(engine.table), np.nan)
    gas = slot(engine, "GAS-0001")  # period 30 s: silent after 150 s
    last_seen[:] = T0 + 1000  # everyone else spoke recently
    last_seen[gas] = T0
    assert engine.check_silence(T0 + 140, last_seen) == []
    changes = engine.check_silence(T0 + 151, last_seen)
    assert [c.record.sensor_code for c in changes] == ["GAS-0001"]
    assert changes[0].record.rule == "inactivity" and "silent for 151 s" in changes[0].record.detail
    assert engine.check_silence(T0 + 200, last_seen) == []  # raised once
    assert not engine.active_slots()[gas]  # silence is not a red marker
    (cleared,) = engine.on_reading(gas, T0 + 210, 1.0)
    assert cleared.record.cleared_at == T0 + 210


def test_never_heard_devices_get_their_allowance_from_start():
    rules = [AlarmRule("inactivity", None, type="inactivity", silence_factor=5)]
    engine = AlarmEngine(table(), rules, started_at=T0)
    never = np.full(len(engine.table), np.nan)
    assert engine.check_silence(T0 + 100, never) == []
    codes = {c.record.sensor_code for c in engine.check_silence(T0 + 301, never)}
    assert codes == {"SMK-0001", "SMK-0002", "DOR-0001", "WTR-0001", "GAS-0001"}  # period 60/30


def test_acknowledge_and_manual_clear_record_who_and_when():
    engine = AlarmEngine(table(), default_rules(), started_at=T0)
    (raised,) = engine.on_reading(slot(engine, "GAS-0001"), T0, 30.0)
    key = raised.record.key
    with pytest.raises(AlarmError):
        engine.acknowledge(key, "", None, T0 + 1)
    ack = engine.acknowledge(key, "李娜", "dispatched 王强", T0 + 5).record
    assert (ack.acknowledged_by, ack.acknowledged_at, ack.note) == (
        "李娜",
        T0 + 5,
        "dispatched 王强",
    )
    with pytest.raises(AlarmError, match="already acknowledged"):
        engine.acknowledge(key, "李娜", None, T0 + 6)
    cleared = engine.clear(key, "王强", T0 + 60, "valve closed").record
    assert (cleared.cleared_by, cleared.cleared_at, cleared.note) == (
        "王强",
        T0 + 60,
        "valve closed",
    )
    assert engine.open_alarms() == []
    with pytest.raises(AlarmError):
        engine.clear(key, "王强", T0 + 61)
    # The gas is still there: the rule raises a new alarm on the next reading.
    (again,) = engine.on_reading(slot(engine, "GAS-0001"), T0 + 70, 30.0)
    assert again.op == "raise" and again.record.key != key


def test_door_open_at_night_only_raises_in_its_hours():
    rules = [r for r in default_rules() if r.name == "door.open_at_night"]
    engine = AlarmEngine(table(), rules, started_at=T0, timezone="Asia/Shanghai")
    s = slot(engine, "DOR-0001")
    day = T0  # 10:00 local
    assert engine.on_reading(s, day, 1.0) == []
    assert engine.on_reading(s, day + 600, 1.0) == []
    night = dt.datetime(2026, 11, 22, 16, 0, tzinfo=dt.UTC).timestamp()  # 00:00 local
    assert engine.on_reading(s, night, 1.0) == []
    (raised,) = engine.on_reading(s, night + 300, 1.0)
    assert raised.record.rule == "door.open_at_night" and raised.record.severity is Severity.MINOR


def test_forced_door_raises_at_once_by_default():
    engine = AlarmEngine(table(), default_rules(), started_at=T0)
    (raised,) = engine.on_reading(slot(engine, "DOR-0001"), T0, 2.0)
    assert raised.record.rule == "door.threshold" and raised.record.severity is Severity.MAJOR


def test_open_alarms_sorted_by_severity_then_newest():
    engine = AlarmEngine(table(), default_rules(), started_at=T0)
    engine.on_reading(slot(engine, "DOR-0001"), T0, 2.0)  # major
    engine.on_reading(slot(engine, "SMK-0001"), T0 + 1, 9.0)  # critical
    engine.on_reading(slot(engine, "GAS-0001"), T0 + 2, 30.0)  # critical, newer
    assert [a.sensor_code for a in engine.open_alarms()] == ["GAS-0001", "SMK-0001", "DOR-0001"]


def test_rules_are_validated():
    with pytest.raises(ValueError):
        AlarmRule("x", "smoke", type="sometimes")
    with pytest.raises(ValueError):
        AlarmEngine(table(), [AlarmRule("a", None), AlarmRule("a", "gas")])
