"""Alarms of the live service's pipeline open cases when the cases catalogue lists their rule
(sensor_adapters.service.ingest_pipeline is what the service's child process runs)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import text

from gis_core.cases import get_case, linked_events
from sensor_adapters.service import ingest_pipeline
from tests.gis_core._live_helpers import (
    BACKENDS,
    fresh_live_store,
    open_live_backend,
    payload,
    topic,
)


@pytest.fixture(scope="module", params=BACKENDS)
def live_backend(request, tmp_path_factory):
    yield from open_live_backend(request, tmp_path_factory)


def _cases(store) -> list[int]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT id FROM cases ORDER BY id"))]


def test_a_smoke_alarm_from_the_pipeline_opens_a_fire_hazard_case(live_backend):
    store = fresh_live_store(live_backend)
    now = dt.datetime.now(dt.UTC)
    with ingest_pipeline(store) as pipeline:
        pipeline.submit_raw(topic("SMK-0001"), payload("SMK-0001", 6.0, now))  # past 4: alarm
        pipeline.submit_raw(topic("WTR-0001"), payload("WTR-0001", 1.7, now))  # warning only
        assert pipeline.flush()
        deadline = time.monotonic() + 20
        while not _cases(store) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [a.sensor_code for a in pipeline.open_alarms()] == ["SMK-0001"]
        opened = pipeline.on_alarm.opened
    [case_id] = _cases(store)
    assert [i.case_id for i in opened] == [case_id]
    case = get_case(store, case_id)
    assert (case.category, case.state) == ("fire_hazard", "reported")
    assert case.grid_cell_id is not None
    [event] = linked_events(store, case_id)
    assert event["source"] == "alarm" and "SMK-0001" in event["description"]
