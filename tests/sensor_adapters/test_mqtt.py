"""The MQTT adapter against real Mosquitto brokers and a real store (both backends)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from gis_core.ingest import IngestPipeline
from gis_core.live_store import LiveStore
from sensor_adapters.broker import LocalBroker, free_port
from sensor_adapters.mqtt import MqttAdapter, parse_broker_url
from sensor_adapters.protocol import AdapterState
from tests.gis_core._live_helpers import payload, topic

PAYLOADS = Path(__file__).resolve().parent / "payloads"
# Recorded bad payloads whose verdict does not depend on the receiver's clock.
BAD = {
    "truncated.bin": "bad_json",
    "utf16.bin": "bad_encoding",
    "array.json": "not_an_object",
    "value_string.json": "wrong_type",
    "value_nan.json": "non_finite",
    "kind_mismatch.json": "kind_mismatch",
    "ts_naive.json": "bad_time",
    "value_bool.json": "wrong_type",
    "empty.bin": "bad_json",
}


class Publisher:
    """A QoS 1 publisher that remembers which messages the broker acknowledged (PUBACK)."""

    def __init__(self, url: str):
        address = parse_broker_url(url)
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="", clean_session=True)
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(0.1, 1)
        self.client.on_publish = self._on_publish
        self.by_mid: dict[int, str] = {}  # fewer than 65,536 messages per test: mids are unique
        self.acked_mids: list[int] = []
        self.client.connect(address.host, address.port)
        self.client.loop_start()

    def _on_publish(self, _c, _u, mid, reason_code, _p):
        # No lock of ours here: paho holds its own while calling us (and while publishing).
        if not reason_code.is_failure:
            self.acked_mids.append(mid)

    def publish(self, topic: str, body: bytes, key: str) -> None:
        info = self.client.publish(topic, body, qos=1)
        self.by_mid[info.mid] = key

    @property
    def acked(self) -> list[str]:
        return [self.by_mid[m] for m in list(self.acked_mids)]

    def wait_acked(self, count: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.acked_mids) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(self.acked_mids) >= count

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def pipeline(live_store):
    with IngestPipeline(live_store) as p:
        yield p


def stamp(i: int, base: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(base + i * 0.001, dt.UTC)


def test_published_readings_are_stored_once_and_bad_ones_quarantined(
    pipeline, system_broker, client_id
):
    adapter = MqttAdapter(system_broker, pipeline.submit_raw, client_id=client_id)
    adapter.start()
    try:
        assert adapter.wait_subscribed(10), adapter.status()
        assert adapter.status().state is AdapterState.CONNECTED
        pub = Publisher(system_broker)
        base = time.time() - 10
        for i in range(300):
            code = ("SMK-0001", "WTR-0001", "GAS-0001")[i % 3]
            pub.publish(topic(code), payload(code, 1.0, stamp(i, base)), f"{code}/{i}")
        for name in BAD:
            pub.publish(topic("SMK-0001"), (PAYLOADS / name).read_bytes(), name)
        assert pub.wait_acked(300 + len(BAD))
        pub.close()
        assert wait_for(lambda: pipeline.counters().received >= 300 + len(BAD))
        assert pipeline.flush()
    finally:
        adapter.stop()
    c = pipeline.counters()
    assert (c.stored, c.duplicates, c.quarantined, c.dropped) == (300, 0, len(BAD), 0)
    live = LiveStore(pipeline.store)
    assert live.counts()["readings"] == 300
    quarantined = {bytes(r["payload"]): r["reason"] for r in live.quarantine()}
    assert quarantined == {(PAYLOADS / n).read_bytes(): reason for n, reason in BAD.items()}
    assert adapter.status().state is AdapterState.STOPPED


def test_broker_restart_mid_stream_loses_no_acknowledged_message(pipeline, local_broker):
    statuses = []
    adapter = MqttAdapter(
        local_broker.url,
        pipeline.submit_raw,
        client_id="zhiwang-restart-test",
        reconnect_delay=(0.1, 1.0),
        on_status=lambda s: statuses.append(s.state),
    )
    adapter.start()
    assert adapter.wait_subscribed(10)
    pub = Publisher(local_broker.url)
    codes = ("SMK-0001", "WTR-0001", "GAS-0001", "AIR-0001")
    base = time.time() - 60
    total = 3000
    sent: dict[str, str] = {}
    for i in range(total):
        code = codes[i % len(codes)]
        ts = stamp(i, base)
        pub.publish(topic(code), payload(code, 1.0, ts), f"{code}|{ts.isoformat()}")
        sent[f"{code}|{ts.isoformat()}"] = code
        if i == total // 3:
            # SIGTERM (Mosquitto saves its queue), down for a second while we keep publishing.
            restart = threading.Thread(target=local_broker.restart, kwargs={"down_for": 1.0})
            restart.start()
        if i % 100 == 0:
            time.sleep(0.02)  # ~3,000 msg/s: a stream, not one burst
    restart.join()
    assert pub.wait_acked(total, 60), f"{len(pub.acked)} of {total} acknowledged"
    pub.close()
    acked = set(pub.acked)
    assert wait_for(lambda: pipeline.counters().stored >= len(acked), 30), pipeline.counters()
    assert pipeline.flush()
    adapter.stop()

    assert AdapterState.RECONNECTING in statuses
    assert statuses[-2:] == [AdapterState.CONNECTED, AdapterState.STOPPED]
    assert adapter.connects >= 2 and adapter.sessions_lost == 0
    live = LiveStore(pipeline.store)
    stored = set()
    for sensor_id, code in ((1, "SMK-0001"), (5, "WTR-0001"), (7, "GAS-0001"), (6, "AIR-0001")):
        ts, _ = live.readings(sensor_id)
        keys = {f"{code}|{dt.datetime.fromtimestamp(t, dt.UTC).isoformat()}" for t in ts}
        assert len(keys) == len(ts)
        stored |= keys
    # Exactly once: everything acknowledged is stored, and nothing twice.
    missing = acked - _rounded(stored, acked)
    assert not missing, f"{len(missing)} acknowledged readings were not stored"
    c = pipeline.counters()
    assert live.counts()["readings"] == c.stored == len(acked)
    assert c.dropped == 0 and c.quarantined == 0


def _rounded(stored: set[str], acked: set[str]) -> set[str]:
    # Timestamps come back from the store as floats; match them to the microsecond.
    def key(k: str) -> tuple[str, int]:
        code, iso = k.split("|")
        return code, round(dt.datetime.fromisoformat(iso).timestamp() * 1e6)

    have = {key(k) for k in stored}
    return {k for k in acked if key(k) in have}


def test_status_follows_the_broker_coming_and_going(tmp_path):
    port = free_port()
    received = []
    adapter = MqttAdapter(
        f"mqtt://127.0.0.1:{port}",
        lambda *m: received.append(m),
        client_id="zhiwang-status-test",
        reconnect_delay=(0.1, 0.5),
    )
    adapter.start()
    try:
        assert wait_for(lambda: adapter.status().state is AdapterState.RECONNECTING, 5)
        assert "cannot reach" in adapter.status().reason
        with LocalBroker(port, workdir=tmp_path / "b"):
            assert adapter.wait_subscribed(10)
            assert adapter.status().state is AdapterState.CONNECTED
        assert wait_for(lambda: adapter.status().state is AdapterState.RECONNECTING, 5)
    finally:
        adapter.stop()


def test_flood_through_the_deployment_config_loses_nothing(pipeline, local_broker):
    """The issue's anchor: Mosquitto's defaults dropped >90% of a QoS 1 flood; ours, nothing."""
    adapter = MqttAdapter(local_broker.url, pipeline.submit_raw, client_id="zhiwang-flood")
    adapter.start()
    assert adapter.wait_subscribed(10)
    pub = Publisher(local_broker.url)
    base = time.time() - 100
    total = 6_000
    codes = ("SMK-0001", "SMK-0002", "WTR-0001", "GAS-0001", "AIR-0001")
    for i in range(total):
        code = codes[i % len(codes)]
        pub.publish(topic(code), payload(code, 0.5, stamp(i, base)), str(i))
    assert pub.wait_acked(total, 60)
    pub.close()
    assert wait_for(lambda: pipeline.counters().stored >= total, 60), pipeline.counters()
    adapter.stop()
    c = pipeline.counters()
    lost = total - c.stored - c.quarantined
    assert (lost, c.dropped, c.duplicates) == (0, 0, 0)


def test_messages_the_broker_drops_show_in_the_pipeline_counters(pipeline, tmp_path):
    """Behind a broker with tiny queues and a slow consumer, the broker drops most of a burst;
    the pipeline cannot receive those, but the gaps in the devices' counters say how many."""
    conf = tmp_path / "tiny.conf"
    conf.write_text("max_queued_messages 50\nmax_inflight_messages 5\n")
    broker = LocalBroker(conf=conf, workdir=tmp_path / "tiny").start()
    try:

        def slow_sink(topic_, body, received_at):
            time.sleep(0.002)  # a consumer busy with something else
            pipeline.submit_raw(topic_, body, received_at)

        adapter = MqttAdapter(broker.url, slow_sink, client_id="zhiwang-tiny")
        adapter.start()
        assert adapter.wait_subscribed(10)
        pub = Publisher(broker.url)
        codes = ("SMK-0001", "WTR-0001", "GAS-0001")
        base = time.time() - 100
        seq = dict.fromkeys(codes, 0)
        n = 0
        for i in range(2001):
            code = codes[i % 3]
            pub.publish(topic(code), payload(code, 1.0, stamp(i, base), seq=seq[code]), str(i))
            seq[code] += 1
            n += 1
        assert pub.wait_acked(n)
        time.sleep(1.0)
        for j, code in enumerate(codes):  # each device's next message, once the queue is empty
            pub.publish(topic(code), payload(code, 1.0, stamp(3000 + j, base), seq=seq[code]), code)
            n += 1
        assert pub.wait_acked(n)
        pub.close()
        received = -1
        while pipeline.counters().received != received:  # until the broker has nothing left
            received = pipeline.counters().received
            time.sleep(0.5)
        assert pipeline.flush()
        adapter.stop()
    finally:
        broker.stop()
    c = pipeline.counters()
    lost = n - c.stored - c.quarantined
    assert lost > 500  # the broker dropped most of the burst
    assert c.missing == lost and c.dropped == 0
