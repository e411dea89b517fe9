"""The sensor message contract: topic scheme, JSON payload schema and its validation.

A device publishes to ``zhiwang/<community>/sensors/<sensor_code>/state`` a UTF-8 JSON object::

    {"kind": "smoke", "value": 0.8, "unit": "%/m", "ts": "2026-11-22T08:15:00.250Z",
     "battery": 87, "quality": "good", "seq": 1042}

``parse_message`` turns (topic, raw bytes) into a :class:`~gis_core.live.Reading` or a
:class:`Rejection` whose ``reason`` is one of :data:`REASONS`. It is a pure function: it never
raises, never blocks and never touches the store, so the pipeline can quarantine the raw bytes and
keep going. sensor_adapters/MQTT.md documents the contract for device integrators.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

from gis_core.live import QUALITIES, Reading, kind_spec

__all__ = [
    "TOPIC_PREFIX",
    "MAX_PAYLOAD_BYTES",
    "REASONS",
    "SensorInfo",
    "Rejection",
    "PayloadLimits",
    "parse_message",
    "sensor_topic",
    "subscription_topic",
    "topic_sensor_code",
    "encode_payload",
]

TOPIC_PREFIX = "zhiwang"
MAX_PAYLOAD_BYTES = 64 * 1024
_MAX_TEXT = 64  # longest kind / unit / quality / ts string accepted

#: Every reason a message can be quarantined for, with what it means.
REASONS: dict[str, str] = {
    "oversize": f"payload larger than {MAX_PAYLOAD_BYTES} bytes",
    "bad_topic": "topic is not zhiwang/<community>/sensors/<sensor_code>/state",
    "unknown_sensor": "no sensor with this code in the store",
    "community_mismatch": "the sensor belongs to another community than the topic names",
    "bad_encoding": "payload is not UTF-8",
    "bad_json": "payload is not valid JSON",
    "not_an_object": "payload is JSON but not an object",
    "missing_field": "a required field is absent",
    "wrong_type": "a field has the wrong JSON type",
    "non_finite": "a number is NaN, infinite or too large",
    "kind_mismatch": "payload kind differs from the sensor's kind",
    "unit_mismatch": "payload unit differs from the sensor's unit",
    "out_of_range": "value or battery outside what the device can report",
    "bad_time": "ts is not ISO 8601 with an offset or epoch seconds",
    "future_time": "ts is further in the future than the allowed clock skew",
    "too_old": "ts is older than the oldest reading accepted",
    "internal_error": "the validator failed unexpectedly (a bug: report it)",
}


@dataclass(frozen=True, slots=True)
class SensorInfo:
    """What validation needs to know about a sensor (loaded from the store by the pipeline)."""

    code: str
    kind: str
    unit: str | None = None
    community: str | None = None  # community code from its grid cell; None accepts any topic


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a message was not accepted; ``reason`` is a key of :data:`REASONS`."""

    reason: str
    detail: str = ""
    sensor_code: str | None = None


@dataclass(frozen=True, slots=True)
class PayloadLimits:
    """Time window a reading's ts must fall in, relative to the receiver's clock."""

    max_future_s: float = 300.0  # device clocks run a little fast; more is a broken clock
    max_age_s: float = 7 * 86400.0  # a persistent session may deliver a week-old backlog


DEFAULT_LIMITS = PayloadLimits()


def sensor_topic(community: str, sensor_code: str) -> str:
    """The topic a sensor publishes its state to."""
    return f"{TOPIC_PREFIX}/{community}/sensors/{sensor_code}/state"


def subscription_topic(community: str | None = None) -> str:
    """The subscription covering every sensor of one community (or of all with None)."""
    return f"{TOPIC_PREFIX}/{community or '+'}/sensors/+/state"


def topic_sensor_code(topic: str) -> tuple[str, str] | None:
    """(community, sensor_code) from a state topic, or None when it does not follow the scheme."""
    parts = topic.split("/")
    if (
        len(parts) != 5
        or parts[0] != TOPIC_PREFIX
        or parts[2] != "sensors"
        or parts[4] != "state"
        or not parts[1]
        or not parts[3]
    ):
        return None
    return parts[1], parts[3]


def encode_payload(
    kind: str,
    value: float,
    unit: str | None,
    ts: dt.datetime | float,
    battery: float | None = None,
    quality: str | None = None,
    seq: int | None = None,
) -> bytes:
    """A payload in the documented schema (what the simulator and the tests publish)."""
    stamp: str | float
    if isinstance(ts, dt.datetime):
        stamp = ts.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    else:
        stamp = ts
    body: dict = {"kind": kind, "value": value, "unit": unit, "ts": stamp}
    if battery is not None:
        body["battery"] = battery
    if quality is not None:
        body["quality"] = quality
    if seq is not None:
        body["seq"] = seq
    return json.dumps(body, separators=(",", ":"), allow_nan=False).encode()


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str):
    raise _NonFinite(name)


_decoder = json.JSONDecoder(parse_constant=_reject_constant)


def parse_message(
    topic: str,
    payload: bytes,
    sensors: Mapping[str, SensorInfo],
    now: float,
    limits: PayloadLimits = DEFAULT_LIMITS,
) -> Reading | Rejection:
    """Validate one message; ``now`` is the receiver's clock in epoch seconds.

    Never raises: anything unexpected becomes an ``internal_error`` rejection.
    """
    try:
        return _parse(topic, payload, sensors, now, limits)
    except Exception as exc:  # the contract is "never a crash"; the fuzz test hunts for these
        return Rejection("internal_error", f"{type(exc).__name__}: {exc}"[:200])


def _parse(
    topic: str,
    payload: bytes,
    sensors: Mapping[str, SensorInfo],
    now: float,
    limits: PayloadLimits,
) -> Reading | Rejection:
    if len(payload) > MAX_PAYLOAD_BYTES:
        return Rejection("oversize", f"{len(payload)} bytes")
    where = topic_sensor_code(topic) if isinstance(topic, str) else None
    if where is None:
        return Rejection("bad_topic", repr(topic)[:200])
    community, code = where
    sensor = sensors.get(code)
    if sensor is None:
        return Rejection("unknown_sensor", code[:64], code[:64])
    if sensor.community is not None and community != sensor.community:
        return Rejection(
            "community_mismatch", f"topic {community!r}, sensor in {sensor.community!r}", code
        )
    try:
        text = payload.decode("utf-8") if isinstance(payload, bytes | bytearray) else None
    except UnicodeDecodeError as exc:
        return Rejection("bad_encoding", str(exc)[:200], code)
    if text is None:
        return Rejection("wrong_type", "payload is not bytes", code)
    try:
        body = _decoder.decode(text)
    except _NonFinite as exc:
        return Rejection("non_finite", f"JSON constant {exc}", code)
    except (ValueError, RecursionError) as exc:
        return Rejection("bad_json", str(exc)[:200], code)
    if not isinstance(body, dict):
        return Rejection("not_an_object", type(body).__name__, code)

    for field in ("kind", "value", "unit", "ts"):
        if field not in body:
            return Rejection("missing_field", field, code)

    kind = body["kind"]
    if not isinstance(kind, str):
        return Rejection("wrong_type", f"kind is {_json_type(kind)}, not string", code)
    if kind != sensor.kind:
        return Rejection("kind_mismatch", f"{kind[:_MAX_TEXT]!r} for a {sensor.kind} sensor", code)
    spec = kind_spec(kind)

    value = _number(body["value"])
    if isinstance(value, Rejection):
        return _with(value, "value", code)
    if spec.valid_range is not None:
        lo, hi = spec.valid_range
        if not lo <= value <= hi:
            return Rejection("out_of_range", f"value {value} outside [{lo}, {hi}]", code)
    if spec.integer_values and value != int(value):
        return Rejection("out_of_range", f"value {value} is not one of the device's states", code)

    unit = body["unit"]
    if unit is not None and not isinstance(unit, str):
        return Rejection("wrong_type", f"unit is {_json_type(unit)}, not string or null", code)
    expected_unit = sensor.unit if sensor.unit is not None else spec.unit
    if (unit or None) != (expected_unit or None):
        return Rejection(
            "unit_mismatch", f"{str(unit)[:_MAX_TEXT]!r}, expected {expected_unit!r}", code
        )

    ts = _timestamp(body["ts"])
    if isinstance(ts, Rejection):
        return _with(ts, "ts", code)
    epoch = ts.timestamp()
    if epoch > now + limits.max_future_s:
        return Rejection("future_time", f"{epoch - now:.0f} s ahead of the receiver", code)
    if epoch < now - limits.max_age_s:
        return Rejection("too_old", f"{now - epoch:.0f} s old", code)

    battery = body.get("battery")
    if battery is not None:
        battery = _number(battery)
        if isinstance(battery, Rejection):
            return _with(battery, "battery", code)
        if not 0.0 <= battery <= 100.0:
            return Rejection("out_of_range", f"battery {battery} outside [0, 100]", code)

    quality = body.get("quality", "good")
    if quality is None:
        quality = "good"
    if not isinstance(quality, str):
        return Rejection("wrong_type", f"quality is {_json_type(quality)}, not string", code)
    if quality not in QUALITIES:
        return Rejection("out_of_range", f"quality {quality[:_MAX_TEXT]!r}", code)

    seq = body.get("seq")
    if seq is not None:
        if isinstance(seq, bool) or not isinstance(seq, int):
            return Rejection("wrong_type", f"seq is {_json_type(seq)}, not integer", code)
        if not 0 <= seq < 2**53:
            return Rejection("out_of_range", f"seq {seq} outside [0, 2^53)", code)

    return Reading(code, ts, kind, value, expected_unit, quality, battery, seq)


def _with(rejection: Rejection, field: str, code: str) -> Rejection:
    return Rejection(rejection.reason, f"{field}: {rejection.detail}", code)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _number(value: object) -> float | Rejection:
    # JSON true/false are not numbers, although Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Rejection("wrong_type", f"{_json_type(value)}, not number")
    try:
        number = float(value)
    except OverflowError:
        return Rejection("non_finite", "integer too large")
    if not math.isfinite(number):
        return Rejection("non_finite", str(number))
    return number


def _timestamp(value: object) -> dt.datetime | Rejection:
    if isinstance(value, str):
        if len(value) > _MAX_TEXT:
            return Rejection("bad_time", "string too long")
        try:
            ts = dt.datetime.fromisoformat(value)
        except ValueError:
            return Rejection("bad_time", f"{value!r} is not ISO 8601")
        if ts.tzinfo is None or ts.utcoffset() is None:
            return Rejection("bad_time", f"{value!r} has no UTC offset (add Z or +08:00)")
        try:
            return ts.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            return Rejection("bad_time", str(exc))
    number = _number(value)
    if isinstance(number, Rejection):
        if number.reason == "wrong_type":
            return Rejection("wrong_type", f"{_json_type(value)}, not string or number")
        return number
    if abs(number) > 1e11:  # epoch milliseconds: 1e11 s is the year 5138
        number /= 1000.0
    try:
        return dt.datetime.fromtimestamp(number, dt.UTC)
    except (OverflowError, OSError, ValueError) as exc:
        return Rejection("bad_time", str(exc)[:200])
