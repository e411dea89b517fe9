"""MQTT adapter (paho-mqtt 2): subscribes to the sensors' state topics and hands raw messages on.

Delivery guarantees come from the broker session: QoS 1, ``clean_session=False`` and a stable
client id, so the broker keeps our subscriptions and queues messages while we are away (a restart
of the app or of the network); the subscriptions are renewed in ``on_connect`` anyway, in case the
broker lost the session. paho reconnects with exponential back-off (``reconnect_delay_set``).
``on_message`` only enqueues (topic, bytes, arrival time) into the sink — parsing happens on the
pipeline's thread — and paho acknowledges (PUBACK) once it returns.

See sensor_adapters/MQTT.md for the topic scheme, payload schema and broker configuration.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from gis_core.payload import subscription_topic
from sensor_adapters.protocol import (
    AdapterState,
    AdapterStatus,
    RawSink,
    StatusHolder,
    StatusSink,
)

__all__ = [
    "MqttAdapter",
    "BrokerAddress",
    "parse_broker_url",
    "default_client_id",
    "forget_session",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None

    def __str__(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerAddress:
    """``mqtt://[user:password@]host[:port]`` (1883) or ``mqtts://…`` (8883, TLS)."""
    if "://" not in url:
        url = "mqtt://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise ValueError(f"broker URL must start with mqtt:// or mqtts://, not {url!r}")
    tls = parts.scheme in ("mqtts", "ssl")
    if not parts.hostname:
        raise ValueError(f"broker URL {url!r} has no host")
    return BrokerAddress(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def default_client_id(scope: str = "") -> str:
    """A client id stable across restarts of this workstation's app for one store.

    Stable, so the broker resumes our persistent session; per host and store, so two
    workstations (or two stores) never share — and fight over — one session.
    """
    digest = hashlib.sha1(scope.encode()).hexdigest()[:8]
    return f"zhiwang-{socket.gethostname()[:40]}-{digest}"


# CONNACK refusals that retrying will not fix.
_FATAL_CONNACK = {"Bad user name or password", "Not authorized", "Client identifier not valid"}


class MqttAdapter:
    """Subscribes to ``zhiwang/<community>/sensors/+/state`` and feeds a :data:`RawSink`.

    ``community`` None subscribes to every community. The sink is typically
    :meth:`gis_core.ingest.IngestPipeline.submit_raw`.
    """

    def __init__(
        self,
        broker_url: str,
        sink: RawSink,
        *,
        community: str | None = None,
        client_id: str | None = None,
        topics: list[str] | None = None,
        keepalive: int = 30,
        reconnect_delay: tuple[float, float] = (0.5, 15.0),
        on_status: StatusSink | None = None,
        name: str = "mqtt",
    ):
        self.name = name
        self.broker = parse_broker_url(broker_url)
        self.sink = sink
        self.topics = topics or [subscription_topic(community)]
        self.client_id = client_id or default_client_id(f"{self.broker}|{','.join(self.topics)}")
        self._status = StatusHolder(on_status)
        self.received = 0
        self.connects = 0
        self.sessions_lost = 0  # reconnects where the broker had forgotten our session
        self._client: mqtt.Client | None = None
        self._subscribed = threading.Event()
        self._keepalive = keepalive
        self._reconnect_delay = reconnect_delay
        self._stopping = False

    # ------------------------------------------------------------------ protocol
    def start(self) -> None:
        if self._client is not None:
            return
        self._stopping = False
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        if self.broker.username:
            client.username_pw_set(self.broker.username, self.broker.password)
        if self.broker.tls:
            client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        client.reconnect_delay_set(*self._reconnect_delay)  # type: ignore[arg-type]
        client.on_connect = self._on_connect
        client.on_connect_fail = self._on_connect_fail
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        self._client = client
        self._status.set(AdapterState.CONNECTING, f"connecting to {self.broker}")
        client.connect_async(self.broker.host, self.broker.port, keepalive=self._keepalive)
        client.loop_start()

    def stop(self, timeout: float = 5.0) -> None:
        client = self._client
        if client is None:
            return
        self._stopping = True
        try:
            client.disconnect()
        finally:
            stopper = threading.Thread(target=client.loop_stop, daemon=True)
            stopper.start()
            stopper.join(timeout)
        self._client = None
        self._subscribed.clear()
        self._status.set(AdapterState.STOPPED, "stopped")

    def status(self) -> AdapterStatus:
        return self._status.get()

    def wait_subscribed(self, timeout: float = 10.0) -> bool:
        """Block until the broker has granted the subscriptions (tests, the bench)."""
        return self._subscribed.wait(timeout)

    # ------------------------------------------------------------------ paho callbacks
    def _on_connect(self, client, _userdata, flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            reason = str(reason_code)
            if reason in _FATAL_CONNACK:
                self._status.set(AdapterState.FAILED, f"broker refused us: {reason}")
                self._stopping = True
                client.disconnect()
            else:
                self._status.set(AdapterState.RECONNECTING, f"broker refused us: {reason}")
            return
        self.connects += 1
        if self.connects > 1 and not flags.session_present:
            # The broker restarted without persistence (or expired us): whatever was published
            # while we were away is gone. Say so; the pipeline's counters cannot see it.
            self.sessions_lost += 1
            log.warning("MQTT broker %s had lost our session; messages may be missing", self.broker)
        # Subscribe on every connect: a broker that lost the session also lost the subscriptions.
        client.subscribe([(topic, 1) for topic in self.topics])

    def _on_subscribe(self, _client, _userdata, _mid, reason_codes, _properties) -> None:
        bad = [str(rc) for rc in reason_codes if rc.is_failure]
        if bad:
            self._status.set(AdapterState.FAILED, f"subscription refused: {', '.join(bad)}")
            return
        note = "" if not self.sessions_lost else f" (broker lost our session {self.sessions_lost}x)"
        self._status.set(AdapterState.CONNECTED, f"subscribed at {self.broker}{note}")
        self._subscribed.set()

    def _on_connect_fail(self, _client, _userdata) -> None:
        self._status.set(AdapterState.RECONNECTING, f"cannot reach {self.broker}; retrying")

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        self._subscribed.clear()
        if self._stopping:
            return
        self._status.set(AdapterState.RECONNECTING, f"connection lost ({reason_code}); retrying")

    def _on_message(self, _client, _userdata, message: mqtt.MQTTMessage) -> None:
        # Runs on paho's network thread: enqueue and return (paho sends PUBACK after this).
        self.received += 1
        try:
            topic = message._topic.decode("utf-8", "replace")
            self.sink(topic, message.payload, time.time())
        except Exception:  # an exception here would kill paho's network loop
            log.exception("MQTT sink failed")


def forget_session(broker_url: str, client_id: str, timeout: float = 5.0) -> bool:
    """Delete a persistent session (its subscriptions and queued messages) from the broker.

    For decommissioning a workstation, and for tests that must not leave sessions behind on a
    shared broker. Connecting once with ``clean_session=True`` under the same id does it.
    """
    broker = parse_broker_url(broker_url)
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=True,
        protocol=mqtt.MQTTv311,
    )
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    try:
        client.connect(broker.host, broker.port, keepalive=10)
        client.loop_start()
        deadline = time.monotonic() + timeout
        while not client.is_connected() and time.monotonic() < deadline:
            time.sleep(0.01)
        ok = client.is_connected()
        client.disconnect()
        client.loop_stop()
        return ok
    except OSError:
        return False
