"""The simulator: streams, incidents, scenario replay, and `zhiwang simulate sensors` end to end."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from desktop.cli import main
from gis_core.ingest import IngestPipeline
from gis_core.live_store import LiveStore
from gis_core.payload import topic_sensor_code
from sensor_adapters.mqtt import MqttAdapter
from sensor_adapters.simulator import (
    INCIDENTS,
    Scenario,
    SensorSimulator,
    incident_steps,
    load_scenario,
)
from tests.gis_core._live_helpers import COMMUNITY

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "scenarios"
    / "smoke_alarm_old_building.yaml"
)


def test_example_scenario_replays_the_recorded_incident(live_store):
    """The shipped scenario at 300x: the smoke alarm is raised, the door forced, then all clears."""
    store = live_store
    scenario = load_scenario(EXAMPLE)
    assert scenario.duration_s == 300 and len(scenario.recording) == 16
    with IngestPipeline(store) as pipeline:
        sim = SensorSimulator(pipeline.sensors, pipeline.submit_raw, scenario=scenario, speed=300)
        result = sim.run()
        assert 0.95 < result.seconds < 1.6
        assert pipeline.flush()
        counters = pipeline.counters()
        open_now = pipeline.open_alarms()
    assert counters.quarantined == 0 and counters.stored == result.published
    alarms = {a.rule: a for a in LiveStore(store).alarms()}
    smoke = alarms["smoke.threshold"]
    assert smoke.sensor_code == "SMK-0001" and smoke.value == pytest.approx(4.8)
    assert smoke.cleared_by == "system"  # back under 4.0 - 1.0 at the 1.6 reading
    assert alarms["door.threshold"].sensor_code == "DOR-0001"
    assert {a.rule for a in open_now} >= {"smoke.threshold", "door.threshold"}  # not acknowledged
    ts, values = LiveStore(store).readings(1)  # SMK-0001: the recording, in order
    assert values.tolist() == [r[2] for r in scenario.recording]
    # 300 s of recording played in 1 s.
    assert ts[-1] - ts[0] == pytest.approx(300 / 300, abs=0.3)


def test_incidents_take_over_their_sensors(live_store):
    store = live_store
    steps = incident_steps("sensor_silent", "GAS-0001") + incident_steps("door_forced_night", None)
    sent: list[tuple[str, dict]] = []
    with IngestPipeline(store) as pipeline:
        sim = SensorSimulator(
            pipeline.sensors,
            lambda t, p: sent.append((topic_sensor_code(t)[1], json.loads(p))),
            rate=400,
            scenario=Scenario(steps=tuple(steps)),
        )
        result = sim.run(duration_s=0.5)
    codes = [code for code, _ in sent]
    assert 150 < result.published == len(sent) < 260
    assert "GAS-0001" not in codes  # silenced from the start
    assert {"SMK-0001", "BIN-0001", "WTR-0001", "AIR-0001"} <= set(codes)
    door = [body["value"] for code, body in sent if code == "DOR-0001"]
    assert door and set(door) == {2}  # forced, for the first 20 s of the incident
    smoke = [body for code, body in sent if code == "SMK-0001"]
    assert all(b["value"] < 2.0 and b["unit"] == "%/m" and 0 < b["battery"] <= 100 for b in smoke)
    ts = [body["ts"] for code, body in sent if code == "SMK-0001"]
    assert ts == sorted(ts) and len(set(ts)) == len(ts)  # unique per sensor
    assert set(INCIDENTS) == {
        "smoke_alarm",
        "bin_overflow",
        "door_forced_night",
        "sensor_silent",
        "water_rising",
    }


def test_scenario_files_are_checked(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - {at: 1, sensor: SMK-0001, action: explode}\n")
    with pytest.raises(ValueError, match="action"):
        load_scenario(bad)
    good = tmp_path / "s.json"
    good.write_text(json.dumps({"steps": [{"at": 5, "incident": "water_rising"}]}))
    scenario = load_scenario(good)
    assert scenario.steps[0].at == 5 and scenario.steps[0].sensor == {
        "kind": "water_level",
        "nth": 0,
    }


def test_simulate_command_through_the_broker(live_store_url, live_store, local_broker, capsys):
    store, store_url = live_store, live_store_url
    store.set_meta("community_code", COMMUNITY)
    with IngestPipeline(store) as pipeline:
        adapter = MqttAdapter(local_broker.url, pipeline.submit_raw, client_id="sim-cmd")
        adapter.start()
        assert adapter.wait_subscribed(10)
        argv = ["simulate", "sensors", "--store", store_url, "--broker", local_broker.url]
        rc = main(
            [
                *argv,
                "--rate",
                "300",
                "--duration",
                "1",
                "--incident",
                "smoke_alarm",
                "--speed",
                "60",
            ]
        )
        out = capsys.readouterr().out
        match = re.search(r"published ([\d,]+) readings .* acknowledged ([\d,]+)", out)
        assert rc == 0 and match, out
        published = int(match.group(1).replace(",", ""))
        assert published == int(match.group(2).replace(",", "")) and 250 < published < 350
        deadline = time.monotonic() + 10
        while pipeline.counters().stored < published and time.monotonic() < deadline:
            time.sleep(0.05)
        adapter.stop()
        c = pipeline.counters()
        assert (c.stored, c.quarantined, c.dropped) == (published, 0, 0)
        assert any(a.rule == "smoke.threshold" for a in pipeline.open_alarms())
