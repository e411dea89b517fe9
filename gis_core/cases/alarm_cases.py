"""Alarms from live monitoring that open cases: the catalogue's ``alarm_rules`` say which alarm
rules and severities do (a smoke alarm opens a fire-hazard case, a full bin a garbage case; a
silent device does not).

:class:`AlarmCaseOpener` is an ``on_alarm`` callback for :class:`gis_core.ingest.IngestPipeline`::

    pipeline = IngestPipeline(store, on_alarm=AlarmCaseOpener(store))

It acts on raised alarms only; the case's event sits where the sensor or camera is, and repeated
alarms of one device within the fusion distance and time are proposed for the same case.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from sqlalchemy import select

from gis_core.cases.catalogue import Catalogue, load_catalogue
from gis_core.cases.intake import EventReport, Intake, report_event
from gis_core.cases.lifecycle import SYSTEM
from gis_core.cases.workflow import EVENTS

__all__ = ["AlarmCaseOpener", "case_for_alarm"]

log = logging.getLogger(__name__)


def _severity_name(severity: Any) -> str:
    name = getattr(severity, "name", severity)
    return str(name).lower()


def case_for_alarm(
    store,
    *,
    rule: str,
    severity: Any,
    raised_at: float | dt.datetime,
    sensor_id: int | None = None,
    camera_id: int | None = None,
    value: float | None = None,
    detail: str = "",
    alarm_id: int | None = None,
    catalogue: Catalogue | None = None,
    at: dt.datetime | None = None,
) -> Intake | None:
    """Open (or propose) a case for an alarm when a rule says so; None when no rule does, the
    device has no position, or this alarm was taken in already."""
    cat = catalogue or load_catalogue(store)
    category = cat.alarm_category(rule, _severity_name(severity))
    if category is None:
        return None
    kind, device = ("sensors", sensor_id) if sensor_id is not None else ("cameras", camera_id)
    if device is None:
        return None
    frame = store.features(kind, [int(device)], ["code", "grid_cell_id"])
    if not len(frame):
        log.warning("alarm %s: %s %s not found, no case opened", rule, kind, device)
        return None
    point = frame.geometry[0]
    code = frame.columns["code"][0]
    when = (
        dt.datetime.fromtimestamp(raised_at, dt.UTC)
        if isinstance(raised_at, int | float)
        else raised_at
    )
    ref = (
        f"alarm:{alarm_id}"
        if alarm_id is not None
        else f"alarm:{rule}:{kind[0]}{device}:{when.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    )
    with store.engine.connect() as conn:
        if conn.execute(select(EVENTS.c.id).where(EVENTS.c.external_ref == ref)).first():
            return None
    sev = _severity_name(severity)
    reading = "" if value is None else f" = {value:g}"
    report = EventReport(
        category,
        float(point.x),
        float(point.y),
        description=f"{code}: {rule} ({sev}){reading}" + (f" — {detail}" if detail else ""),
        title=f"告警 {cat.category(category).name}：{code}",
        source="alarm",
        reported_at=when,
        external_ref=ref,
        alarm_id=alarm_id,
        reported_by="system",
    )
    cell = frame.columns["grid_cell_id"][0]
    cell_id = None if cell is None or cell != cell else int(cell)  # NaN: no cell
    return report_event(store, report, actor=SYSTEM, catalogue=cat, at=at, cell=cell_id)


class AlarmCaseOpener:
    """``on_alarm`` callback: raised alarms that a rule picks open cases. Errors are logged,
    never raised into the ingest thread. ``opened`` lists the intakes, newest last."""

    def __init__(self, store, catalogue: Catalogue | None = None):
        self.store = store
        self.catalogue = catalogue
        self.opened: list[Intake] = []
        self._lock = threading.Lock()

    def __call__(self, change: Any) -> None:
        if getattr(change, "op", None) != "raise":
            return
        rec = change.record
        try:
            intake = case_for_alarm(
                self.store,
                rule=rec.rule,
                severity=rec.severity,
                raised_at=rec.raised_at,
                sensor_id=rec.sensor_id,
                camera_id=rec.camera_id,
                value=rec.value,
                detail=rec.detail,
                alarm_id=rec.id,
                catalogue=self.catalogue,
            )
        except Exception:
            log.exception("could not open a case for alarm %s", rec.rule)
            return
        if intake is not None:
            with self._lock:
                self.opened.append(intake)
