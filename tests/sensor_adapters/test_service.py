"""The live service: pipeline and MQTT adapter in a child process, sampled from shared memory."""

from __future__ import annotations

import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from gis_core.alarms import AlarmError
from gis_core.live import SensorState
from gis_core.live_store import LiveStore
from sensor_adapters.protocol import AdapterState
from sensor_adapters.service import LiveService, LiveServiceError
from tests.gis_core._live_helpers import payload, topic


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_service_ingests_in_a_child_process(live_store, live_store_url, local_broker):
    seen_alarms = []
    service = LiveService(
        live_store_url, local_broker.url, client_id="svc", on_alarms=seen_alarms.append
    )
    with service:
        assert wait_for(lambda: service.status().state is AdapterState.CONNECTED)
        assert service.sensors.codes[0] == "SMK-0001"
        pub = mqtt.Client(CallbackAPIVersion.VERSION2)
        pub.connect("127.0.0.1", local_broker.port)
        pub.loop_start()
        now = time.time()
        infos = [
            pub.publish(topic("WTR-0001"), payload("WTR-0001", 0.5, now - 10 + i / 100), qos=1)
            for i in range(500)
        ]
        infos.append(pub.publish(topic("SMK-0001"), payload("SMK-0001", 7.5, now), qos=1))
        infos.append(pub.publish(topic("SMK-0001"), b"not json", qos=1))
        for info in infos:
            info.wait_for_publish(10)
        pub.disconnect()
        pub.loop_stop()
        assert wait_for(lambda: service.counters().stored == 501), service.counters()
        assert service.flush()
        c = service.counters()
        assert (c.received, c.quarantined, c.dropped) == (502, 1, 0)

        snap = service.latest_snapshot()
        state = dict(zip(service.sensors.codes, snap.state.tolist()))
        assert state["SMK-0001"] == SensorState.ALARM and state["WTR-0001"] == SensorState.NORMAL
        assert state["BIN-0001"] == SensorState.OFFLINE
        assert snap.value[service.sensors.slot_of_code["SMK-0001"]] == 7.5

        assert wait_for(lambda: len(service.open_alarms()) == 1)
        (alarm,) = service.open_alarms()
        assert alarm.rule == "smoke.threshold" and seen_alarms
        acked = service.acknowledge(alarm.key, "李娜", "dispatched")
        assert acked.acknowledged_by == "李娜"
        assert service.open_alarms()[0].acknowledged_by == "李娜"  # already updated here
        with pytest.raises(AlarmError, match="already acknowledged"):
            service.acknowledge(alarm.key, "李娜")
        assert service.flush()
    assert not service.running
    assert service.status().state is AdapterState.STOPPED
    (stored,) = LiveStore(live_store).alarms()
    assert (stored.acknowledged_by, stored.note) == ("李娜", "dispatched")


def test_service_reports_a_store_it_cannot_open(tmp_path):
    service = LiveService(str(tmp_path / "nothing.sqlite"), "mqtt://127.0.0.1:1", capacity=10)
    with pytest.raises(LiveServiceError, match="cannot start"):
        service.start(timeout=30)
