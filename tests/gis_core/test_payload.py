"""The sensor message contract: recorded payloads and a hypothesis fuzz of the validator."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis_core.live import Reading
from gis_core.payload import (
    MAX_PAYLOAD_BYTES,
    REASONS,
    Rejection,
    SensorInfo,
    encode_payload,
    parse_message,
    sensor_topic,
    topic_sensor_code,
)
from tests.gis_core._live_helpers import COMMUNITY, SENSORS

PAYLOADS = Path(__file__).resolve().parent.parent / "sensor_adapters" / "payloads"
RECEIVED_AT = dt.datetime(2026, 11, 22, 8, 15, 5, tzinfo=dt.UTC).timestamp()
INFOS = {code: SensorInfo(code, kind, unit, COMMUNITY) for code, kind, unit, *_ in SENSORS}
CASES = yaml.safe_load((PAYLOADS / "cases.yaml").read_text())


def _case_topic(case: dict) -> str:
    return case.get("topic") or sensor_topic(case.get("community", COMMUNITY), case["sensor"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['file']}-{c['expect']}")
def test_recorded_payloads(case):
    raw = (PAYLOADS / case["file"]).read_bytes()
    result = parse_message(_case_topic(case), raw, INFOS, RECEIVED_AT)
    if case["expect"] == "accepted":
        assert isinstance(result, Reading), result
        assert result.value == case["value"]
        assert result.ts.tzinfo is not None and result.ts.utcoffset() == dt.timedelta(0)
        assert abs(result.epoch - RECEIVED_AT) < 60
    else:
        assert isinstance(result, Rejection)
        assert result.reason == case["expect"], result
        assert result.reason in REASONS


def test_offsets_and_epoch_ms_mean_the_same_instant():
    door = parse_message(
        sensor_topic(COMMUNITY, "DOR-0001"),
        (PAYLOADS / "door_forced_offset.json").read_bytes(),
        INFOS,
        RECEIVED_AT,
    )
    assert door.ts == dt.datetime(2026, 11, 22, 8, 14, 58, tzinfo=dt.UTC)
    smoke = parse_message(
        sensor_topic(COMMUNITY, "SMK-0001"),
        (PAYLOADS / "smoke_epoch_ms.json").read_bytes(),
        INFOS,
        RECEIVED_AT,
    )
    assert smoke.ts == dt.datetime(2026, 11, 22, 8, 15, tzinfo=dt.UTC)
    assert smoke.battery == 86.5 and smoke.unit == "%/m"


def test_oversize_is_rejected_before_parsing():
    body = {"kind": "smoke", "value": 1, "unit": "%/m", "ts": "2026-11-22T08:15:00Z"}
    body["pad"] = "x" * MAX_PAYLOAD_BYTES
    result = parse_message(
        sensor_topic(COMMUNITY, "SMK-0001"), json.dumps(body).encode(), INFOS, RECEIVED_AT
    )
    assert isinstance(result, Rejection) and result.reason == "oversize"


def test_encode_payload_round_trips():
    ts = dt.datetime(2026, 11, 22, 8, 15, 1, 500, tzinfo=dt.UTC)
    raw = encode_payload("gas", 12.5, "%LEL", ts, battery=50)
    result = parse_message(sensor_topic(COMMUNITY, "GAS-0001"), raw, INFOS, RECEIVED_AT)
    assert result == Reading("GAS-0001", ts, "gas", 12.5, "%LEL", "good", 50.0)
    assert topic_sensor_code(sensor_topic(COMMUNITY, "GAS-0001")) == (COMMUNITY, "GAS-0001")


# --------------------------------------------------------------------------------------- fuzz
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
good_ts = st.floats(min_value=RECEIVED_AT - 3600, max_value=RECEIVED_AT + 60).map(
    lambda t: dt.datetime.fromtimestamp(t, dt.UTC).isoformat()
)
any_ts = st.one_of(good_ts, json_values, st.floats(), st.integers(), st.text(max_size=40))
code = st.sampled_from([s[0] for s in SENSORS] + ["SMK-9999", ""])
kinds = st.sampled_from(["smoke", "gas", "door", "bin_fill", "Smoke", ""]) | json_scalars
values = st.floats(min_value=-10, max_value=200) | json_values
units = st.sampled_from(["%/m", "%", None, "%LEL", "m", "ppm"]) | json_scalars


@st.composite
def messages(draw):
    body = {}
    for field, strategy in (
        ("kind", kinds),
        ("value", values),
        ("unit", units),
        ("ts", any_ts),
        ("battery", st.floats(min_value=-10, max_value=120) | json_scalars),
        ("quality", st.sampled_from(["good", "bad", "uncertain", "meh"]) | json_scalars),
        ("seq", st.integers(-5, 2**60) | json_scalars),
    ):
        wanted = draw(st.booleans()) or field in ("kind", "value", "unit", "ts")
        if wanted and draw(st.integers(0, 9)) > 0:  # now and then leave a required field out
            body[field] = draw(strategy)
    encoded = json.dumps(body, allow_nan=True).encode()
    mangle = draw(st.integers(0, 9))
    if mangle == 0:
        encoded = encoded[: draw(st.integers(0, len(encoded)))]
    elif mangle == 1:
        encoded = draw(st.binary(max_size=200))
    community = draw(st.sampled_from([COMMUNITY, COMMUNITY, "610402-009", "+", ""]))
    topic = draw(
        st.sampled_from(
            [sensor_topic(community, draw(code))] * 4
            + ["zhiwang/a/b", "", "zhiwang//sensors//state", draw(st.text(max_size=40))]
        )
    )
    return topic, encoded, body


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_fuzz_never_raises_and_always_gives_a_reason(message):
    topic, raw, body = message
    result = parse_message(topic, raw, INFOS, RECEIVED_AT)
    if isinstance(result, Rejection):
        assert result.reason in REASONS
        assert result.reason != "internal_error", result.detail
        return
    # Accepted: everything a reading promises must hold.
    assert isinstance(result, Reading)
    info = INFOS[result.sensor_code]
    assert result.kind == info.kind == body["kind"]
    assert isinstance(result.value, float) and math.isfinite(result.value)
    assert not isinstance(body["value"], bool)
    assert (body["unit"] or None) == (info.unit or None)
    assert result.ts.tzinfo is not None
    assert RECEIVED_AT - 7 * 86400 <= result.epoch <= RECEIVED_AT + 300
    if result.battery is not None:
        assert 0 <= result.battery <= 100
    assert result.quality in ("good", "uncertain", "bad")
    assert result.seq == body.get("seq")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.text(max_size=60))
def test_fuzz_arbitrary_bytes_and_topics(raw, topic):
    for t in (topic, sensor_topic(COMMUNITY, "SMK-0001")):
        result = parse_message(t, raw, INFOS, RECEIVED_AT)
        assert isinstance(result, Rejection) and result.reason in REASONS
        assert result.reason != "internal_error", result.detail
