"""Live-data vocabulary shared by the adapters, the ingest pipeline and the UI: typed readings,
device states and the description of each sensor kind.

A :class:`Reading` is what every adapter hands to the pipeline once a payload has been validated;
a :class:`SensorKind` describes how a kind of sensor behaves (its unit, the values that make sense,
which direction is worse, its default thresholds and how its alarm rule behaves), in the spirit of
Home Assistant's entity descriptions: data, not a subclass per kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

__all__ = [
    "Reading",
    "SensorState",
    "Severity",
    "SensorKind",
    "SENSOR_KIND_SPECS",
    "KIND_CODES",
    "QUALITIES",
    "kind_spec",
    "SensorTable",
    "STALE_FACTOR",
    "OFFLINE_FACTOR",
]

#: A sensor silent for this many periods is stale; for OFFLINE_FACTOR periods, offline.
STALE_FACTOR = 3.0
OFFLINE_FACTOR = 10.0

UTC = dt.UTC

#: Reading qualities, best first. ``bad`` readings are stored and prove the device is alive, but
#: neither move the latest value nor trigger alarms.
QUALITIES = ("good", "uncertain", "bad")


@dataclass(frozen=True, slots=True)
class Reading:
    """One validated sensor reading.

    ``ts`` is timezone-aware UTC (the device's measurement time, not the arrival time);
    ``battery`` is the device's battery level in percent when it reports one; ``seq`` the
    device's own message counter when it sends one (the pipeline counts gaps in it as lost).
    """

    sensor_code: str
    ts: dt.datetime
    kind: str
    value: float
    unit: str | None = None
    quality: str = "good"
    battery: float | None = None
    seq: int | None = None

    @property
    def epoch(self) -> float:
        return self.ts.timestamp()


class SensorState(IntEnum):
    """A device's state as the map shows it; larger is more urgent except for the silent states."""

    NORMAL = 0
    WARNING = 1
    ALARM = 2
    STALE = 3  # no reading for STALE_FACTOR x its period
    OFFLINE = 4  # no reading for OFFLINE_FACTOR x its period, or never heard from


class Severity(IntEnum):
    """Alarm severity, stored by name."""

    INFO = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, value: str | int | Severity) -> Severity:
        if isinstance(value, cls):
            return value
        if isinstance(value, int):
            return cls(value)
        return cls[str(value).upper()]


@dataclass(frozen=True, slots=True)
class SensorKind:
    """How one kind of sensor behaves.

    ``warn``/``alarm`` are the default thresholds, used when the sensor's own row has none.
    ``valid_range`` bounds the values a working device can report; anything outside is
    quarantined as implausible. With ``higher_is_worse`` False a value *below* the threshold is
    the bad side. ``alarm_duration_s`` is how long a value must stay past the alarm threshold
    before an alarm is raised, ``hysteresis`` how far back it must come before the alarm clears.
    """

    name: str
    unit: str | None
    warn: float | None
    alarm: float | None
    valid_range: tuple[float, float] | None = None
    higher_is_worse: bool = True
    alarm_duration_s: float = 0.0
    hysteresis: float = 0.0
    severity: Severity = Severity.MAJOR
    integer_values: bool = False  # door states are 0 / 1 / 2, not a continuum


# Units and ranges follow the demo community's devices (gis_core/demo.py); a deployment may use
# other units per sensor (sensors.unit) — the payload's unit must then match the sensor's.
SENSOR_KIND_SPECS: dict[str, SensorKind] = {
    spec.name: spec
    for spec in (
        # Optical smoke detector: obscuration in percent per metre.
        SensorKind(
            "smoke",
            "%/m",
            warn=2.0,
            alarm=4.0,
            valid_range=(0.0, 100.0),
            alarm_duration_s=0.0,
            hysteresis=1.0,
            severity=Severity.CRITICAL,
        ),
        # Waste-bin fill level in percent of the bin's volume.
        SensorKind(
            "bin_fill",
            "%",
            warn=75.0,
            alarm=90.0,
            valid_range=(0.0, 100.0),
            alarm_duration_s=120.0,
            hysteresis=20.0,
            severity=Severity.MINOR,
        ),
        # Door contact: 0 closed, 1 open, 2 forced (opened without a valid credential).
        SensorKind(
            "door",
            None,
            warn=1.0,
            alarm=2.0,
            valid_range=(0.0, 2.0),
            alarm_duration_s=0.0,
            hysteresis=0.5,
            severity=Severity.MAJOR,
            integer_values=True,
        ),
        # Water level above the drain invert / river gauge datum, in metres.
        SensorKind(
            "water_level",
            "m",
            warn=1.5,
            alarm=2.5,
            valid_range=(-5.0, 30.0),
            alarm_duration_s=60.0,
            hysteresis=0.2,
            severity=Severity.MAJOR,
        ),
        # Air quality index (HJ 633-2012 AQI).
        SensorKind(
            "air_quality",
            "AQI",
            warn=150.0,
            alarm=200.0,
            valid_range=(0.0, 1000.0),
            alarm_duration_s=600.0,
            hysteresis=20.0,
            severity=Severity.MINOR,
        ),
        # Combustible gas concentration in percent of the lower explosive limit.
        SensorKind(
            "gas",
            "%LEL",
            warn=10.0,
            alarm=25.0,
            valid_range=(0.0, 100.0),
            alarm_duration_s=0.0,
            hysteresis=5.0,
            severity=Severity.CRITICAL,
        ),
        # Manhole cover tilt in degrees (a lifted or missing cover tilts or reads 90).
        SensorKind(
            "manhole",
            "deg",
            warn=5.0,
            alarm=15.0,
            valid_range=(0.0, 90.0),
            alarm_duration_s=10.0,
            hysteresis=2.0,
            severity=Severity.MAJOR,
        ),
    )
}

#: Stable small integer per kind, for the UI's per-kind icon atlas (index into this tuple).
KIND_CODES: tuple[str, ...] = tuple(SENSOR_KIND_SPECS)

_GENERIC = SensorKind("other", None, warn=None, alarm=None)


def kind_spec(kind: str) -> SensorKind:
    """The description of ``kind``; unknown kinds get a neutral one with no thresholds."""
    return SENSOR_KIND_SPECS.get(kind, _GENERIC)


@dataclass(frozen=True, eq=False)
class SensorTable:
    """Every sensor the pipeline knows, one slot each, as arrays the UI can paint from.

    Thresholds missing on a sensor's row are filled with its kind's defaults, so ``warn`` and
    ``alarm`` are NaN only for kinds that have none. ``cell_ids`` is -1 for sensors outside any
    grid cell; ``community`` is None where the sensor's cell (and so its community) is unknown.
    """

    ids: np.ndarray  # int64
    codes: tuple[str, ...]
    kinds: tuple[str, ...]
    kind_codes: np.ndarray  # uint8 index into KIND_CODES (len(KIND_CODES) for unknown kinds)
    units: tuple[str | None, ...]
    communities: tuple[str | None, ...]
    cell_ids: np.ndarray  # int64
    x: np.ndarray
    y: np.ndarray
    period_s: np.ndarray
    warn: np.ndarray
    alarm: np.ndarray
    higher_is_worse: np.ndarray  # bool
    slot_of_code: dict[str, int] = field(default_factory=dict)
    slot_of_id: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        ids: Sequence[int] | np.ndarray,
        codes: Sequence[str],
        kinds: Sequence[str],
        x: Sequence[float] | np.ndarray,
        y: Sequence[float] | np.ndarray,
        units: Sequence[str | None] | None = None,
        period_s: Sequence[float | None] | None = None,
        warn: Sequence[float | None] | None = None,
        alarm: Sequence[float | None] | None = None,
        cell_ids: Sequence[int | None] | None = None,
        communities: Sequence[str | None] | None = None,
    ) -> SensorTable:
        n = len(ids)

        def floats(values, default_of_kind):
            out = np.full(n, np.nan)
            for i in range(n):
                v = None if values is None else values[i]
                if v is None or (isinstance(v, float) and v != v):
                    v = default_of_kind(kinds[i])
                out[i] = np.nan if v is None else float(v)
            return out

        specs = [kind_spec(k) for k in kinds]
        codes_t = tuple(str(c) for c in codes)
        return cls(
            ids=np.asarray(ids, dtype=np.int64).reshape(n),
            codes=codes_t,
            kinds=tuple(kinds),
            kind_codes=np.array(
                [KIND_CODES.index(k) if k in KIND_CODES else len(KIND_CODES) for k in kinds],
                dtype=np.uint8,
            ),
            units=tuple(units) if units is not None else tuple(s.unit for s in specs),
            communities=tuple(communities) if communities is not None else (None,) * n,
            cell_ids=np.array(
                [-1 if c is None else int(c) for c in (cell_ids or [None] * n)], dtype=np.int64
            ),
            x=np.asarray(x, dtype=np.float64).reshape(n),
            y=np.asarray(y, dtype=np.float64).reshape(n),
            period_s=floats(period_s, lambda _k: 60.0),
            warn=floats(warn, lambda k: kind_spec(k).warn),
            alarm=floats(alarm, lambda k: kind_spec(k).alarm),
            higher_is_worse=np.array([s.higher_is_worse for s in specs], dtype=bool),
            slot_of_code={c: i for i, c in enumerate(codes_t)},
            slot_of_id={int(v): i for i, v in enumerate(ids)},
        )
