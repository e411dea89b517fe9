"""Brokers for the adapter tests: the machine's Mosquitto (installer/test.sh starts it on 1883) and
private ones with the deployment configuration on spare ports, started and killed by the tests."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from sensor_adapters.broker import BrokerUnavailable, LocalBroker
from sensor_adapters.mqtt import forget_session, parse_broker_url
from tests.gis_core._live_helpers import BACKENDS, fresh_live_store, open_live_backend

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SYSTEM_BROKER = os.environ.get("ZHIWANG_TEST_MQTT", "mqtt://127.0.0.1:1883")


def _missing(what: str, exc: BaseException) -> None:
    message = f"{what} unavailable: {exc}"
    if CI:
        pytest.fail(message + " (CI=true: a missing service is a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def system_broker() -> str:
    """The shared broker on 127.0.0.1:1883 (Mosquitto's default limits may apply)."""
    address = parse_broker_url(SYSTEM_BROKER)
    try:
        with socket.create_connection((address.host, address.port), timeout=2):
            pass
    except OSError as exc:
        _missing(f"MQTT broker {SYSTEM_BROKER}", exc)
    return SYSTEM_BROKER


@pytest.fixture
def client_id(system_broker):
    """A persistent-session client id that is removed from the shared broker afterwards."""
    cid = f"zhiwang-test-{uuid.uuid4().hex[:10]}"
    yield cid
    forget_session(system_broker, cid)


@pytest.fixture
def local_broker(tmp_path):
    """A private Mosquitto with installer/mosquitto-zhiwang.conf's limits and persistence."""
    try:
        broker = LocalBroker(persistent=True, workdir=tmp_path / "mosquitto").start()
    except BrokerUnavailable as exc:
        _missing("mosquitto", exc)
    yield broker
    broker.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def live_backend(request, tmp_path_factory):
    """(url, store): one store per test module and backend, emptied for each test."""
    yield from open_live_backend(request, tmp_path_factory)


@pytest.fixture
def live_store(live_backend):
    """An empty store with a community, a grid cell and one sensor of each kind."""
    return fresh_live_store(live_backend)


@pytest.fixture
def live_store_url(live_backend, live_store) -> str:
    return live_backend[0]
