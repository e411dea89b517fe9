"""User-facing names of live-data codes (sensor kinds, states, severities, alarm rules, risk
parts), through Qt's translation machinery (context "Live")."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gis_core.live import SensorState, Severity
from sensor_adapters.camera import FeedState
from sensor_adapters.protocol import AdapterState

__all__ = [
    "tr",
    "kind_name",
    "state_name",
    "feed_name",
    "severity_name",
    "rule_name",
    "adapter_state_name",
    "risk_part_lines",
    "level_name",
    "local_time",
]


def tr(text: str) -> str:
    return QCoreApplication.translate("Live", text)


KINDS = {
    "smoke": QT_TRANSLATE_NOOP("Live", "Smoke detector"),
    "bin_fill": QT_TRANSLATE_NOOP("Live", "Bin fill level"),
    "door": QT_TRANSLATE_NOOP("Live", "Door contact"),
    "water_level": QT_TRANSLATE_NOOP("Live", "Water level"),
    "air_quality": QT_TRANSLATE_NOOP("Live", "Air quality"),
    "gas": QT_TRANSLATE_NOOP("Live", "Gas detector"),
    "manhole": QT_TRANSLATE_NOOP("Live", "Manhole cover"),
}
STATES = {
    SensorState.NORMAL: QT_TRANSLATE_NOOP("Live", "normal"),
    SensorState.WARNING: QT_TRANSLATE_NOOP("Live", "warning"),
    SensorState.ALARM: QT_TRANSLATE_NOOP("Live", "alarm"),
    SensorState.STALE: QT_TRANSLATE_NOOP("Live", "stale"),
    SensorState.OFFLINE: QT_TRANSLATE_NOOP("Live", "offline"),
}
FEEDS = {
    FeedState.LIVE: QT_TRANSLATE_NOOP("Live", "live"),
    FeedState.STALE: QT_TRANSLATE_NOOP("Live", "stale frame"),
    FeedState.OFFLINE: QT_TRANSLATE_NOOP("Live", "offline"),
}
SEVERITIES = {
    Severity.INFO: QT_TRANSLATE_NOOP("Live", "info"),
    Severity.MINOR: QT_TRANSLATE_NOOP("Live", "minor"),
    Severity.MAJOR: QT_TRANSLATE_NOOP("Live", "major"),
    Severity.CRITICAL: QT_TRANSLATE_NOOP("Live", "critical"),
}
ADAPTER_STATES = {
    AdapterState.STOPPED: QT_TRANSLATE_NOOP("Live", "stopped"),
    AdapterState.CONNECTING: QT_TRANSLATE_NOOP("Live", "connecting"),
    AdapterState.CONNECTED: QT_TRANSLATE_NOOP("Live", "connected"),
    AdapterState.RECONNECTING: QT_TRANSLATE_NOOP("Live", "reconnecting"),
    AdapterState.FAILED: QT_TRANSLATE_NOOP("Live", "failed"),
}
RULES = {
    "inactivity": QT_TRANSLATE_NOOP("Live", "No data from the device"),
    "door.open_at_night": QT_TRANSLATE_NOOP("Live", "Door open at night"),
    "camera.bin_overflow": QT_TRANSLATE_NOOP("Live", "Bin overflowing (camera)"),
    "camera.motion": QT_TRANSLATE_NOOP("Live", "Motion (camera)"),
}
LEVELS = {
    "low": QT_TRANSLATE_NOOP("Live", "low"),
    "guarded": QT_TRANSLATE_NOOP("Live", "guarded"),
    "elevated": QT_TRANSLATE_NOOP("Live", "elevated"),
    "high": QT_TRANSLATE_NOOP("Live", "high"),
    "severe": QT_TRANSLATE_NOOP("Live", "severe"),
}
HAZARDS = {
    "fire_hazard": QT_TRANSLATE_NOOP("Live", "fire hazard"),
    "gas_leak": QT_TRANSLATE_NOOP("Live", "gas leak"),
    "structural_danger": QT_TRANSLATE_NOOP("Live", "structural danger"),
    "flooding": QT_TRANSLATE_NOOP("Live", "flooding"),
    "facility_damage": QT_TRANSLATE_NOOP("Live", "facility damage"),
    "high_rise_littering": QT_TRANSLATE_NOOP("Live", "high-rise littering"),
    "illegal_construction": QT_TRANSLATE_NOOP("Live", "illegal construction"),
    "garbage": QT_TRANSLATE_NOOP("Live", "garbage"),
}
TAGS = {
    "elderly_alone": QT_TRANSLATE_NOOP("Live", "elderly living alone"),
    "disabled": QT_TRANSLATE_NOOP("Live", "disabled"),
}


def kind_name(kind: str) -> str:
    text = KINDS.get(kind)
    return tr(text) if text else kind


def state_name(state: int) -> str:
    return tr(STATES[SensorState(int(state))])


def feed_name(state: int) -> str:
    return tr(FEEDS[FeedState(int(state))])


def severity_name(severity) -> str:
    return tr(SEVERITIES[Severity.parse(severity)])


def adapter_state_name(state: AdapterState) -> str:
    return tr(ADAPTER_STATES[state])


def level_name(level: str) -> str:
    text = LEVELS.get(level)
    return tr(text) if text else level


def rule_name(rule: str) -> str:
    """``smoke.threshold`` → "Smoke detector above its alarm threshold", etc."""
    if rule in RULES:
        return tr(RULES[rule])
    kind, _, what = rule.partition(".")
    if what == "threshold":
        return QCoreApplication.translate("Live", "{0} above its alarm threshold").format(
            kind_name(kind)
        )
    return rule


def local_time(epoch: float | None, with_date: bool = False) -> str:
    if epoch is None:
        return ""
    t = dt.datetime.fromtimestamp(epoch).astimezone()
    return t.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")


def _counts(facts: dict, names: dict, people: bool = False) -> str:
    sep = QCoreApplication.translate("Live", ", ")
    if people:
        form = QCoreApplication.translate("Live", "{0} {1}")  # 3 elderly living alone
    else:
        form = QCoreApplication.translate("Live", "{0} × {1}")  # 2 × major
    return sep.join(
        form.format(n, tr(names[k]) if k in names else k)
        for k, n in facts.items()
        if isinstance(n, int) and k != "active"
    )


def risk_part_lines(parts) -> list[str]:
    """One line per part of a cell's score (gis_core.risk.RiskPart), largest first."""
    lines = []
    for part in parts:
        pts = f"{part.points:.1f}"
        f = part.facts
        if part.name == "alarms":
            active = int(f.get("active", 0))
            detail = _counts(f, SEVERITIES_BY_NAME)
            lines.append(
                QCoreApplication.translate(
                    "Live", "Alarms in the last day: {0} ({1} still active) → +{2}"
                ).format(detail, active, pts)
            )
        elif part.name == "hazards":
            lines.append(
                QCoreApplication.translate("Live", "Open hazards: {0} → +{1}").format(
                    _counts(f, HAZARDS), pts
                )
            )
        elif part.name == "vulnerable":
            lines.append(
                QCoreApplication.translate("Live", "Vulnerable residents: {0} → +{1}").format(
                    _counts(f, TAGS, people=True), pts
                )
            )
        elif part.name == "exposure":
            lines.append(
                QCoreApplication.translate(
                    "Live", "{0} vulnerable residents near alarming sensors {1} → +{2}"
                ).format(int(f.get("residents", 0)), ", ".join(f.get("sensors", [])), pts)
            )
    return lines


SEVERITIES_BY_NAME = {s.name.lower(): text for s, text in SEVERITIES.items()}
