"""The ingest pipeline on a real store (both backends): stored once, quarantine, states, alarms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import shapely
import yaml

from gis_core.ingest import IngestPipeline, PipelineConfig
from gis_core.live import Reading, SensorState
from gis_core.live_store import LiveStore
from gis_core.payload import sensor_topic
from tests.gis_core._live_helpers import (
    BACKENDS,
    COMMUNITY,
    X0,
    Y0,
    fresh_live_store,
    open_live_backend,
    payload,
    topic,
)

PAYLOADS = Path(__file__).resolve().parent.parent / "sensor_adapters" / "payloads"
RECEIVED_AT = dt.datetime(2026, 11, 22, 8, 15, 5, tzinfo=dt.UTC).timestamp()


@pytest.fixture(scope="module", params=BACKENDS)
def live_backend(request, tmp_path_factory):
    yield from open_live_backend(request, tmp_path_factory)


@pytest.fixture
def live_store(live_backend):
    """An empty store with a community, a grid cell and one sensor of each kind."""
    return fresh_live_store(live_backend)


class Clock:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


def at(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(RECEIVED_AT + seconds, dt.UTC)


def test_each_reading_is_stored_once(live_store):
    clock = Clock(RECEIVED_AT)
    with IngestPipeline(live_store, clock=clock) as pipeline:
        for i in range(300):
            pipeline.submit_raw(topic("WTR-0001"), payload("WTR-0001", 0.3 + i / 1000, at(-i)))
        # QoS 1 redelivers after a reconnect: the same messages again.
        for i in range(0, 300, 3):
            pipeline.submit_raw(topic("WTR-0001"), payload("WTR-0001", 0.3 + i / 1000, at(-i)))
        assert pipeline.flush()
        c = pipeline.counters()
    assert (c.received, c.accepted, c.stored, c.duplicates, c.quarantined, c.dropped) == (
        400,
        400,
        300,
        100,
        0,
        0,
    )
    assert c.pending == 0
    assert LiveStore(live_store).counts()["readings"] == 300
    ts, values = LiveStore(live_store).readings(5, at(-299), at(1))
    assert len(ts) == 300 and np.all(np.diff(ts) > 0)
    assert ts[-1] == pytest.approx(RECEIVED_AT, abs=1e-3) and values[-1] == pytest.approx(0.3)


def test_bad_payloads_are_quarantined_with_raw_bytes_and_reason(live_store):
    cases = yaml.safe_load((PAYLOADS / "cases.yaml").read_text())
    sent = []
    with IngestPipeline(live_store, clock=Clock(RECEIVED_AT)) as pipeline:
        for case in cases:
            raw = (PAYLOADS / case["file"]).read_bytes()
            t = case.get("topic") or sensor_topic(case.get("community", COMMUNITY), case["sensor"])
            pipeline.submit_raw(t, raw)
            sent.append((t, raw, case["expect"]))
        oversize = b'{"pad": "' + b"x" * 70_000 + b'"}'
        pipeline.submit_raw(topic("SMK-0001"), oversize)
        assert pipeline.flush()
        counters = pipeline.counters()
    bad = [s for s in sent if s[2] != "accepted"]
    assert counters.quarantined == len(bad) + 1
    assert counters.stored == len(sent) - len(bad)
    assert counters.received == len(sent) + 1 and counters.dropped == 0
    rows = LiveStore(live_store).quarantine(limit=100)[::-1]  # oldest first
    assert [(r["topic"], r["payload"], r["reason"]) for r in rows[:-1]] == bad
    assert all(r["detail"] for r in rows)
    big = rows[-1]
    assert big["reason"] == "oversize" and big["size"] == len(oversize)
    assert big["payload"] == oversize[: 64 * 1024]  # kept up to the limit


def test_snapshot_states_follow_thresholds_and_silence(live_store):
    clock = Clock(RECEIVED_AT)
    with IngestPipeline(live_store, clock=clock) as pipeline:
        submit = pipeline.submit_raw
        submit(topic("SMK-0001"), payload("SMK-0001", 0.5, at(0)))  # normal
        submit(topic("SMK-0002"), payload("SMK-0002", 4.5, at(0)))  # alarm
        submit(topic("WTR-0001"), payload("WTR-0001", 1.7, at(0)))  # warning
        submit(topic("GAS-0001"), payload("GAS-0001", 1.0, at(-100)))  # 30 s period: stale
        submit(topic("MHL-0001"), payload("MHL-0001", 1.0, at(-7000)))  # 600 s period: offline
        submit(topic("AIR-0001"), payload("AIR-0001", 50, at(0), quality="bad"))  # alive, no value
        assert pipeline.flush()
        snap = pipeline.latest_snapshot()
    state = dict(zip(pipeline.sensors.codes, snap.state.tolist()))
    assert state == {
        "SMK-0001": SensorState.NORMAL,
        "SMK-0002": SensorState.ALARM,
        "BIN-0001": SensorState.OFFLINE,  # never heard from
        "DOR-0001": SensorState.OFFLINE,
        "WTR-0001": SensorState.WARNING,
        "AIR-0001": SensorState.NORMAL,
        "GAS-0001": SensorState.STALE,
        "MHL-0001": SensorState.OFFLINE,
    }
    smoke2 = pipeline.sensors.slot_of_code["SMK-0002"]
    assert snap.alarm[smoke2] and snap.value[smoke2] == 4.5
    assert np.isnan(snap.value[pipeline.sensors.slot_of_code["AIR-0001"]])
    assert snap.x[0] == pytest.approx(X0 + 10) and snap.y[0] == pytest.approx(Y0 + 100)
    assert snap.state.dtype == np.uint8 and len(snap.sensor_ids) == len(snap.state) == 8
    assert snap.state_counts()["offline"] == 3
    # Time passes without news: stale after three periods, offline after ten.
    clock.t += 3 * 60 + 1  # SMK-0001 reports every 60 s
    later = pipeline.latest_snapshot()
    assert later.state[pipeline.sensors.slot_of_code["SMK-0001"]] == SensorState.STALE
    clock.t += 7 * 60
    latest = pipeline.latest_snapshot()
    assert latest.state[pipeline.sensors.slot_of_code["SMK-0001"]] == SensorState.OFFLINE


def test_alarms_and_acknowledgements_are_stored_and_survive_a_restart(live_store):
    clock = Clock(RECEIVED_AT)
    with IngestPipeline(live_store, clock=clock) as pipeline:
        pipeline.submit_raw(topic("GAS-0001"), payload("GAS-0001", 30.0, at(0)))
        pipeline.submit_raw(topic("SMK-0001"), payload("SMK-0001", 6.0, at(0)))
        assert pipeline.flush()
        gas, smoke = sorted(pipeline.open_alarms(), key=lambda a: a.sensor_code)
        clock.t += 30
        pipeline.acknowledge(gas.key, "李娜", "dispatched 王强")
        pipeline.submit_raw(topic("GAS-0001"), payload("GAS-0001", 2.0, at(40)))  # back: clears
        assert pipeline.flush()
        assert [a.sensor_code for a in pipeline.open_alarms()] == ["SMK-0001"]
    stored = {a.sensor_code: a for a in LiveStore(live_store).alarms()}
    g = stored["GAS-0001"]
    assert (g.rule, g.severity.name, g.value) == ("gas.threshold", "CRITICAL", 30.0)
    assert (g.acknowledged_by, g.note) == ("李娜", "dispatched 王强")
    assert g.acknowledged_at == pytest.approx(RECEIVED_AT + 30)
    assert g.cleared_at == pytest.approx(RECEIVED_AT + 40) and g.cleared_by == "system"
    assert stored["SMK-0001"].cleared_at is None

    # A new session picks up the open alarm and the latest values; the alarm can be handled.
    with IngestPipeline(live_store, clock=clock) as again:
        (smoke,) = again.open_alarms()
        assert smoke.sensor_code == "SMK-0001" and smoke.id == stored["SMK-0001"].id
        snap = again.latest_snapshot()
        slot = again.sensors.slot_of_code["SMK-0001"]
        assert snap.value[slot] == 6.0 and snap.state[slot] == SensorState.ALARM
        again.submit_raw(topic("SMK-0001"), payload("SMK-0001", 0.2, at(50)))
        again.acknowledge(smoke.key, "张伟")
        assert again.flush()
        assert again.open_alarms() == []
    (s,) = [a for a in LiveStore(live_store).alarms() if a.sensor_code == "SMK-0001"]
    assert s.cleared_by == "system" and s.acknowledged_by == "张伟"


def test_silent_device_raises_an_inactivity_alarm(live_store):
    clock = Clock(RECEIVED_AT)
    config = PipelineConfig(silence_check_s=0.01)
    with IngestPipeline(live_store, config, clock=clock) as pipeline:
        pipeline.submit_raw(topic("GAS-0001"), payload("GAS-0001", 1.0, at(0)))
        assert pipeline.flush()
        clock.t += 5 * 30 + 1  # five periods of the gas sensor; the others still have time
        pipeline.submit_raw(topic("SMK-0001"), payload("SMK-0001", 0.1, at(151)))
        assert pipeline.flush()
        deadline = 50
        while not pipeline.open_alarms() and deadline:
            pipeline.flush()
            deadline -= 1
        alarms = pipeline.open_alarms()
    assert [(a.rule, a.sensor_code) for a in alarms] == [("inactivity", "GAS-0001")]


def test_typed_readings_and_new_sensors(live_store):
    clock = Clock(RECEIVED_AT)
    config = PipelineConfig(sensor_reload_s=0.0)
    with IngestPipeline(live_store, config, clock=clock) as pipeline:
        pipeline.submit(Reading("BIN-0001", at(0), "bin_fill", 42.0, "%"))
        pipeline.submit(Reading("BIN-0001", at(1), "smoke", 42.0, "%"))  # wrong kind
        pipeline.submit_raw(topic("SMK-0101"), payload("SMK-0001", 0.1, at(0)))  # not yet known
        assert pipeline.flush()
        live_store.bulk_insert(
            "sensors",
            {"code": ["SMK-0101"], "kind": ["smoke"], "unit": ["%/m"], "grid_cell_id": [1]},
            shapely.points([[X0 + 1, Y0 + 1]]),
        )
        pipeline.submit_raw(topic("SMK-0101"), payload("SMK-0001", 0.1, at(2)))
        assert pipeline.flush()
        c = pipeline.counters()
        assert "SMK-0101" in pipeline.sensors.slot_of_code
    assert (c.stored, c.quarantined) == (2, 2)
    reasons = sorted(r["reason"] for r in LiveStore(live_store).quarantine())
    assert reasons == ["kind_mismatch", "unknown_sensor"]


def test_gaps_in_device_counters_show_as_missing(live_store):
    """Messages lost before they reach us (a broker dropping them) show in the counters."""
    clock = Clock(RECEIVED_AT)
    with IngestPipeline(live_store, clock=clock) as pipeline:

        def send(seq: int, t: float) -> None:
            pipeline.submit_raw(topic("GAS-0001"), payload("GAS-0001", 1.0, at(t), seq=seq))

        for seq in (5000, 5001, 5002, 5005, 5006, 5003):  # 5003, 5004 missing; 5003 comes late
            send(seq, seq - 5100)
        send(5006, 5006 - 5100)  # a QoS 1 redelivery: a duplicate, not a late arrival
        send(3, -10)  # the device restarted its counter: no gap
        send(4, -9)
        assert pipeline.flush()
        c = pipeline.counters()
    assert (c.stored, c.duplicates, c.missing) == (8, 1, 1)  # only 5004 never came
