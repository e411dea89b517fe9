"""Sensor simulator: realistic readings for every sensor of a store, published over MQTT, plus
scripted incidents and replays of recorded ones (for training and for load tests).

Background streams follow each kind's behaviour (a bin fills up over hours, air quality follows
the day, a door opens now and then) and stay below the sensors' warning thresholds; incidents take
over individual sensors: ``set`` / ``ramp`` a value, ``silence`` a device, ``resume`` it. Built-in
incidents (:data:`INCIDENTS`) expand into such steps. A scenario file (YAML or JSON, see
resources/scenarios/) combines steps and a recorded stream of readings, replayed at ``speed``.

Timestamps are always the wall clock at publishing time (strictly increasing per sensor), so the
pipeline accepts a replay like live data and alarm durations play out in real time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gis_core.live import SensorTable, kind_spec
from gis_core.payload import encode_payload, sensor_topic

__all__ = [
    "INCIDENTS",
    "Step",
    "Scenario",
    "load_scenario",
    "SensorSimulator",
    "SimulationResult",
    "MqttPublisher",
]

log = logging.getLogger(__name__)

#: Built-in incidents: kind of sensor they need and the steps they expand to (times relative).
INCIDENTS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    # Smoke builds up over half a minute to well past the alarm threshold, then clears.
    "smoke_alarm": (
        "smoke",
        [
            {"at": 0, "action": "ramp", "to": "alarm*2", "over": 30},
            {"at": 120, "action": "ramp", "to": "normal", "over": 30},
            {"at": 150, "action": "resume"},
        ],
    ),
    # A bin fills past its alarm threshold and stays there until collected.
    "bin_overflow": (
        "bin_fill",
        [
            {"at": 0, "action": "ramp", "to": 100, "over": 60},
            {"at": 300, "action": "set", "value": 5},
            {"at": 330, "action": "resume"},
        ],
    ),
    # A door forced open (state 2), then left open, then closed.
    "door_forced_night": (
        "door",
        [
            {"at": 0, "action": "set", "value": 2},
            {"at": 20, "action": "set", "value": 1},
            {"at": 400, "action": "set", "value": 0},
            {"at": 420, "action": "resume"},
        ],
    ),
    # A device stops reporting (battery, radio) for 10 minutes.
    "sensor_silent": ("*", [{"at": 0, "action": "silence", "for": 600}]),
    # River or drain level rising past warning to alarm over a few minutes.
    "water_rising": (
        "water_level",
        [
            {"at": 0, "action": "ramp", "to": "warn", "over": 120},
            {"at": 120, "action": "ramp", "to": "alarm*1.3", "over": 180},
            {"at": 600, "action": "ramp", "to": "normal", "over": 300},
            {"at": 900, "action": "resume"},
        ],
    ),
}

ACTIONS = ("set", "ramp", "silence", "resume")


@dataclass(frozen=True)
class Step:
    """One scripted change to one sensor at ``at`` seconds into the scenario (speed 1)."""

    at: float
    sensor: str | Mapping[str, Any]  # a code, or {kind: smoke, nth: 0}
    action: str
    value: float | str | None = None  # set: value; ramp: target ("alarm*2", "warn", "normal")
    over: float = 0.0  # ramp duration
    duration: float | None = None  # silence: for how long (None: until resumed)


@dataclass(frozen=True)
class Scenario:
    name: str = "scenario"
    description: str = ""
    background: bool = True
    duration_s: float | None = None
    steps: tuple[Step, ...] = ()
    recording: tuple[tuple[float, str | Mapping[str, Any], float], ...] = ()  # (t, sensor, value)


def _step(raw: Mapping[str, Any], offset: float = 0.0, sensor: Any = None) -> Step:
    action = raw.get("action")
    if action not in ACTIONS:
        raise ValueError(f"scenario step {dict(raw)}: action must be one of {', '.join(ACTIONS)}")
    target = raw.get("sensor", sensor)
    if target is None:
        raise ValueError(f"scenario step {dict(raw)} names no sensor")
    return Step(
        at=offset + float(raw.get("at", 0.0)),
        sensor=target,
        action=action,
        value=raw.get("value", raw.get("to")),
        over=float(raw.get("over", 0.0)),
        duration=None if raw.get("for") is None else float(raw["for"]),
    )


def incident_steps(name: str, sensor: Any, at: float = 0.0) -> list[Step]:
    """The steps of a built-in incident applied to ``sensor`` starting at ``at``."""
    if name not in INCIDENTS:
        raise ValueError(f"unknown incident {name!r}; known: {', '.join(INCIDENTS)}")
    kind, steps = INCIDENTS[name]
    if sensor is None:
        sensor = {"kind": kind, "nth": 0} if kind != "*" else {"kind": "*", "nth": 0}
    return [_step(s, at, sensor) for s in steps]


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (YAML or JSON; see resources/scenarios/ for an example)."""
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario is a mapping with steps and/or a recording")
    steps: list[Step] = []
    for raw in data.get("steps") or []:
        if "incident" in raw:
            steps += incident_steps(raw["incident"], raw.get("sensor"), float(raw.get("at", 0)))
        else:
            steps.append(_step(raw))
    recording = []
    for raw in data.get("recording") or []:
        recording.append((float(raw["t"]), raw["sensor"], float(raw["value"])))
    return Scenario(
        name=str(data.get("name", Path(path).stem)),
        description=str(data.get("description", "")),
        background=bool(data.get("background", True)),
        duration_s=None if data.get("duration_s") is None else float(data["duration_s"]),
        steps=tuple(sorted(steps, key=lambda s: s.at)),
        recording=tuple(sorted(recording, key=lambda r: r[0])),
    )


@dataclass
class SimulationResult:
    published: int = 0  # handed to the publisher
    acknowledged: int = 0  # acknowledged by the broker (QoS 1 PUBACK)
    failed: int = 0
    seconds: float = 0.0
    incidents: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.published / self.seconds if self.seconds else 0.0


class MqttPublisher:
    """Publishes at QoS 1 and counts the broker's acknowledgements (PUBACKs)."""

    def __init__(self, broker_url: str, client_id: str | None = None, max_unacked: int = 20_000):
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        from sensor_adapters.mqtt import parse_broker_url

        self.broker = parse_broker_url(broker_url)
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id or f"zhiwang-sim-{int(time.time() * 1000) % 10**9}",
            clean_session=True,
        )
        if self.broker.username:
            self.client.username_pw_set(self.broker.username, self.broker.password)
        if self.broker.tls:
            self.client.tls_set()
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(0.25, 4)  # type: ignore[arg-type]
        self.client.on_publish = self._on_publish
        self.client.on_connect = self._on_connect
        self.max_unacked = max_unacked
        self.sent = 0
        self.acked = 0
        self.failed = 0
        self.acked_mids: set[int] | None = None  # set() to record which messages were acked
        self._connected = threading.Event()
        self._lock = threading.Lock()

    def _on_connect(self, _c, _u, _flags, reason_code, _p) -> None:
        if not reason_code.is_failure:
            self._connected.set()

    def _on_publish(self, _c, _u, mid, reason_code, _p) -> None:
        with self._lock:
            if reason_code.is_failure:
                self.failed += 1
            else:
                self.acked += 1
                if self.acked_mids is not None:
                    self.acked_mids.add(mid)

    def connect(self, timeout: float = 10.0) -> None:
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        if not self._connected.wait(timeout):
            self.close()
            raise ConnectionError(f"cannot connect to the MQTT broker at {self.broker}")

    def __call__(self, topic: str, payload: bytes) -> int:
        while self.sent - self.acked - self.failed > self.max_unacked:
            time.sleep(0.005)  # the broker is behind: wait rather than queue without bound
        info = self.client.publish(topic, payload, qos=1)
        self.sent += 1
        return info.mid

    def wait_acked(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.acked + self.failed < self.sent:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


# Background behaviour per kind: (baseline as a share of the warning threshold, noise share).
def _background(
    kind: str, warn: np.ndarray, t: float, phase: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    n = len(warn)
    scale = np.where(np.isfinite(warn), warn, 1.0)
    day = 2 * math.pi * ((t / 86400.0) % 1.0)
    if kind == "bin_fill":
        # Fills over ~2 days from where it was last emptied; collected before it gets full.
        level = ((t / 172800.0 + phase) % 1.0) * 0.85 * scale
        return np.maximum(0.0, level + rng.normal(0, 0.5, n))
    if kind == "door":
        return (rng.random(n) < 0.03).astype(np.float64)  # now and then someone goes through
    if kind == "air_quality":
        base = (0.35 + 0.15 * np.sin(day + phase * 2 * math.pi)) * scale
        return np.maximum(0.0, base + rng.normal(0, 0.03, n) * scale)
    if kind == "water_level":
        base = (0.2 + 0.05 * np.sin(day / 3 + phase * 6)) * scale
        return base + rng.normal(0, 0.005, n) * scale
    base = 0.1 * scale
    return np.maximum(0.0, base + np.abs(rng.normal(0, 0.03, n)) * scale)


def _resolve_target(expr: float | str | None, warn: float, alarm: float, normal: float) -> float:
    if expr is None:
        return normal
    if isinstance(expr, int | float):
        return float(expr)
    text = str(expr).strip()
    factor = 1.0
    if "*" in text:
        text, f = text.split("*", 1)
        factor = float(f)
    base = {"warn": warn, "alarm": alarm, "normal": normal}.get(text.strip())
    if base is None:
        return float(expr)
    return base * factor


class SensorSimulator:
    """Publishes readings for ``sensors`` through ``publish(topic, payload)``.

    ``rate`` (messages/s over all sensors) replaces the sensors' own periods — for load tests;
    ``speed`` compresses the scenario's timeline (steps and recording), not the background pace.
    """

    def __init__(
        self,
        sensors: SensorTable,
        publish: Callable[[str, bytes], object],
        *,
        rate: float | None = None,
        scenario: Scenario | None = None,
        speed: float = 1.0,
        seed: int = 0,
        community: str = "default",
        clock: Callable[[], float] = time.time,
    ):
        if len(sensors) == 0:
            raise ValueError("the store has no sensors to simulate (run `zhiwang demo` first)")
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.sensors = sensors
        self.publish = publish
        self.rate = rate
        self.scenario = scenario or Scenario()
        self.speed = speed
        self.clock = clock
        self.rng = np.random.default_rng(seed)
        n = len(sensors)
        self.topics = [
            sensor_topic(sensors.communities[i] or community, sensors.codes[i]) for i in range(n)
        ]
        self._phase = self.rng.random(n)
        self._battery = 60 + 40 * self.rng.random(n)
        self._last_ts = np.zeros(n)
        # Each device's message counter ("seq"), as if it had been running for a while.
        self._seq = self.rng.integers(0, 100_000, n)
        self._override: dict[int, tuple[float, float, float, float]] = {}  # slot: ramp
        self._silent_until = np.full(n, -np.inf)
        kinds = np.array(sensors.kinds, dtype=object)
        self._by_kind = {k: np.flatnonzero(kinds == k) for k in set(sensors.kinds)}
        self._values = np.zeros(n)
        self._normal = np.zeros(n)
        self._refresh_background(self.clock())

    # ------------------------------------------------------------------ sensors
    def resolve(self, selector: str | Mapping[str, Any]) -> int:
        """The slot of a sensor given by code or ``{kind: K, nth: N}`` (N-th by code)."""
        if isinstance(selector, str):
            slot = self.sensors.slot_of_code.get(selector)
            if slot is None:
                raise ValueError(f"no sensor {selector!r} in the store")
            return slot
        kind = selector.get("kind", "*")
        nth = int(selector.get("nth", 0))
        if kind == "*":
            candidates = sorted(range(len(self.sensors)), key=lambda i: self.sensors.codes[i])
        else:
            slots = self._by_kind.get(kind)
            if slots is None or len(slots) == 0:
                raise ValueError(f"no {kind} sensor in the store")
            candidates = sorted(slots.tolist(), key=lambda i: self.sensors.codes[i])
        return candidates[nth % len(candidates)]

    def _refresh_background(self, now: float) -> None:
        for kind, slots in self._by_kind.items():
            self._normal[slots] = _background(
                kind, self.sensors.warn[slots], now, self._phase[slots], self.rng
            )
        spec_ranges = [kind_spec(k).valid_range for k in self.sensors.kinds]
        for i, r in enumerate(spec_ranges):
            if r is not None:
                self._normal[i] = min(max(self._normal[i], r[0]), r[1])

    # ------------------------------------------------------------------ steps
    def _apply(self, step: Step, scenario_now: float, now: float) -> int:
        slot = self.resolve(step.sensor)
        warn = float(self.sensors.warn[slot])
        alarm = float(self.sensors.alarm[slot])
        normal = float(self._normal[slot])
        if step.action == "silence":
            until = math.inf if step.duration is None else now + step.duration / self.speed
            self._silent_until[slot] = until
        elif step.action == "resume":
            self._override.pop(slot, None)
            self._silent_until[slot] = -np.inf
        else:
            target = _resolve_target(step.value, warn, alarm, normal)
            if not math.isfinite(target):  # "alarm*2" on a sensor without thresholds
                target = normal
            rng = kind_spec(self.sensors.kinds[slot]).valid_range
            if rng is not None:
                target = min(max(target, rng[0]), rng[1])
            start = self._current(slot, now)
            over = step.over / self.speed if step.action == "ramp" else 0.0
            self._override[slot] = (now, now + over, start, target)
        return slot

    def _current(self, slot: int, now: float) -> float:
        ramp = self._override.get(slot)
        if ramp is None:
            return float(self._normal[slot])
        t0, t1, v0, v1 = ramp
        if now >= t1 or t1 <= t0:
            return v1
        return v0 + (v1 - v0) * (now - t0) / (t1 - t0)

    # ------------------------------------------------------------------ running
    def _send(self, slot: int, value: float, now: float) -> None:
        ts = max(now, self._last_ts[slot] + 1e-6)  # unique per sensor: (sensor, ts) is the key
        self._last_ts[slot] = ts
        kind = self.sensors.kinds[slot]
        if kind_spec(kind).integer_values:
            value = float(round(value))
        self._battery[slot] = max(5.0, self._battery[slot] - 0.0001)
        payload = encode_payload(
            kind,
            round(value, 4),
            self.sensors.units[slot],
            dt.datetime.fromtimestamp(ts, dt.UTC),
            battery=round(float(self._battery[slot]), 1),
            seq=int(self._seq[slot]),
        )
        self._seq[slot] += 1
        self.publish(self.topics[slot], payload)

    def run(
        self,
        duration_s: float | None = None,
        stop: threading.Event | None = None,
        result: SimulationResult | None = None,
    ) -> SimulationResult:
        """Publish until ``duration_s`` (default: the scenario's, or forever) or ``stop`` is set."""
        result = result or SimulationResult()
        stop = stop or threading.Event()
        scenario = self.scenario
        if duration_s is None and scenario.duration_s is not None:
            duration_s = scenario.duration_s / self.speed
        n = len(self.sensors)
        if self.rate:
            interval = np.full(n, n / self.rate)
        else:
            interval = np.maximum(self.sensors.period_s, 0.05)
        pace = interval.copy()
        incident_every = max(0.05, 1.0 / self.speed)
        start = self.clock()
        next_due = start + self._phase * interval
        steps = list(scenario.steps)
        recording = [(t, self.resolve(s), v) for t, s, v in scenario.recording]
        recorded_slots = {slot for _, slot, _ in recording}
        step_i = rec_i = 0
        last_bg = start
        while not stop.is_set():
            now = self.clock()
            elapsed = now - start
            finished = duration_s is not None and elapsed >= duration_s
            scenario_now = elapsed * self.speed
            while step_i < len(steps) and steps[step_i].at <= scenario_now:
                slot = self._apply(steps[step_i], scenario_now, now)
                # A device under an incident reports on change and often while it lasts (door
                # contacts and smoke detectors do), not just at its period.
                if slot in self._override:
                    next_due[slot] = now
                    pace[slot] = min(interval[slot], incident_every)
                else:
                    pace[slot] = interval[slot]
                result.incidents.append(f"{steps[step_i].action} {steps[step_i].sensor}")
                step_i += 1
            while rec_i < len(recording) and recording[rec_i][0] <= scenario_now:
                _, slot, value = recording[rec_i]
                self._send(slot, value, now)
                result.published += 1
                rec_i += 1
            if finished:  # after the steps and recording due at the very end
                break
            if now - last_bg >= 5.0:
                self._refresh_background(now)
                last_bg = now
            if scenario.background or self._override:
                due = np.flatnonzero(next_due <= now)
                if len(due) > 2 * n:  # fell far behind (a pause): skip, do not burst
                    next_due[:] = now + self._phase * pace
                for slot in due.tolist():
                    next_due[slot] += pace[slot]
                    if self._silent_until[slot] > now or slot in recorded_slots:
                        continue
                    if not scenario.background and slot not in self._override:
                        continue
                    self._send(slot, self._current(slot, now), now)
                    result.published += 1
                behind = next_due < now - 1.0
                if behind.any():
                    next_due[behind] = now  # never more than a second of backlog
            wake = float(next_due.min())
            if step_i < len(steps):
                wake = min(wake, start + steps[step_i].at / self.speed)
            if rec_i < len(recording):
                wake = min(wake, start + recording[rec_i][0] / self.speed)
            # At least a couple of milliseconds per round: high rates go out in small bursts.
            stop.wait(min(max(wake - self.clock(), 0.002), 0.25))
        result.seconds = self.clock() - start
        return result


def sensor_selector_text(selector: str | Mapping[str, Any]) -> str:
    return (
        selector
        if isinstance(selector, str)
        else f"{selector.get('kind')}#{selector.get('nth', 0)}"
    )


def incidents_scenario(names: Sequence[str], spacing_s: float = 30.0) -> Scenario:
    """A scenario running the named built-in incidents one after another (``all`` for every one)."""
    if list(names) == ["all"]:
        names = list(INCIDENTS)
    steps: list[Step] = []
    for i, name in enumerate(names):
        steps += incident_steps(name, None, at=i * spacing_s)
    return Scenario(name="incidents", steps=tuple(sorted(steps, key=lambda s: s.at)))
