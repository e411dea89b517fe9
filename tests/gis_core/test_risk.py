"""Early-warning risk per grid cell: alarms, open hazards, vulnerable residents near alarms."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import shapely

from gis_core.alarms import AlarmChange, AlarmRecord
from gis_core.live import Severity
from gis_core.live_store import LiveStore
from gis_core.risk import (
    LEVELS,
    RiskInputs,
    RiskParams,
    compute_risk,
    load_risk_inputs,
    risk_by_cell,
)

X0, Y0 = 563_000.0, 3_796_000.0
NOW = 1_795_000_000.0  # a fixed "now" (2026-11-18)


def _populate(store) -> None:
    cells = [
        shapely.box(X0, Y0, X0 + 500, Y0 + 500),
        shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 500),
    ]
    store.bulk_insert(
        "communities",
        {"id": [1], "code": ["610402-001"], "name": ["渭阳社区"]},
        [shapely.MultiPolygon([shapely.box(X0, Y0, X0 + 1000, Y0 + 500)])],
    )
    store.bulk_insert(
        "grid_cells",
        {"id": [1, 2], "community_id": [1, 1], "code": ["C-01", "C-02"], "name": ["一", "二"]},
        cells,
    )
    # Building 1 holds the smoke sensor; building 2 is 30 m away, building 3 200 m away.
    centres = [
        (X0 + 100, Y0 + 100),
        (X0 + 130, Y0 + 100),
        (X0 + 300, Y0 + 100),
        (X0 + 700, Y0 + 100),
    ]
    store.bulk_insert(
        "buildings",
        {"id": [1, 2, 3, 4], "grid_cell_id": [1, 1, 1, 2], "use": ["residential"] * 4},
        [shapely.box(x - 8, y - 8, x + 8, y + 8) for x, y in centres],
    )
    store.bulk_insert(
        "residents",
        {
            "id": [1, 2, 3, 4, 5, 6],
            "grid_cell_id": [1, 1, 1, 1, 2, 2],
            "building_id": [1, 2, 3, 1, 4, 4],
            "tags": [
                ["elderly_alone"],
                ["elderly_alone", "low_income"],
                ["disabled"],
                None,
                ["veteran"],
                [],
            ],
        },  # fmt: skip
    )
    store.bulk_insert(
        "sensors",
        {
            "id": [1, 2],
            "grid_cell_id": [1, 2],
            "building_id": [1, 4],
            "code": ["SMK-1", "BIN-1"],
            "kind": ["smoke", "bin_fill"],
            "unit": ["%/m", "%"],
            "period_s": [60.0, 300.0],
        },
        shapely.points([centres[0], centres[3]]),
    )
    when = dt.datetime.fromtimestamp(NOW - 3600, dt.UTC)
    store.bulk_insert(
        "events",
        {
            "id": [1, 2, 3],
            "grid_cell_id": [1, 1, 2],
            "category": ["fire_hazard", "flooding", "dispute"],
            "source": ["patrol"] * 3,
            "status": ["dispatched", "closed", "reported"],
            "reported_at": [when] * 3,
        },
        shapely.points([(X0 + 50, Y0 + 50), (X0 + 60, Y0 + 60), (X0 + 600, Y0 + 60)]),
    )
    live = LiveStore(store)
    alarms = [
        # Active critical smoke alarm in cell 1, raised 10 minutes ago.
        AlarmRecord(1, None, "smoke.threshold", Severity.CRITICAL, NOW - 600, sensor_id=1,
                    sensor_code="SMK-1", grid_cell_id=1, value=7.5),
        # A minor bin alarm in cell 2, cleared 6 h ago (one half-life): half its weight.
        AlarmRecord(2, None, "bin_fill.threshold", Severity.MINOR, NOW - 8 * 3600, sensor_id=2,
                    sensor_code="BIN-1", grid_cell_id=2, value=95.0, cleared_at=NOW - 6 * 3600,
                    cleared_by="system"),
        # Cleared two days ago: outside the 24 h window.
        AlarmRecord(3, None, "bin_fill.threshold", Severity.MAJOR, NOW - 50 * 3600, sensor_id=2,
                    sensor_code="BIN-1", grid_cell_id=2, value=95.0, cleared_at=NOW - 48 * 3600,
                    cleared_by="system"),
    ]  # fmt: skip
    live.write_batch([], [], [AlarmChange("raise", a) for a in alarms])


@pytest.fixture
def risk_store(store):
    _populate(store)
    return store


def test_a_cell_with_an_alarm_next_to_elderly_people_living_alone_scores_high(risk_store):
    result = risk_by_cell(risk_store, now=NOW)
    assert list(result.cell_codes) == ["C-01", "C-02"]
    c1, c2 = (result.index_of(i) for i in (1, 2))
    assert result.parts["alarms"][c1] == pytest.approx(4.0)  # critical, active
    assert result.parts["hazards"][c1] == pytest.approx(3.0)  # open fire hazard; flooding closed
    assert result.parts["vulnerable"][c1] == pytest.approx(3 * 0.05)
    assert result.parts["exposure"][c1] == pytest.approx(2.0)  # the two within 60 m
    assert result.score[c1] == pytest.approx(9.15)
    assert result.level_name(1) == "high"

    # Cell 2: the bin alarm has faded to half; a dispute is not a hazard; no vulnerable people.
    assert result.parts["alarms"][c2] == pytest.approx(0.5)
    assert result.score[c2] == pytest.approx(0.5)
    assert result.level_name(2) == "low"
    assert result.top(1) == [("C-01", pytest.approx(9.15))]


def test_the_explanation_names_what_makes_up_the_score(risk_store):
    result = risk_by_cell(risk_store, now=NOW)
    parts = result.explain(1)
    assert [p.name for p in parts] == ["alarms", "hazards", "exposure", "vulnerable"]
    by = {p.name: p for p in parts}
    assert by["alarms"].facts == {"critical": 1, "active": 1}
    assert by["hazards"].facts == {"fire_hazard": 1}
    assert by["vulnerable"].facts == {"elderly_alone": 2, "disabled": 1}
    assert by["exposure"].facts == {"residents": 2, "sensors": ["SMK-1"]}
    assert sum(p.points for p in parts) == pytest.approx(result.score[result.index_of(1)])
    assert [p.name for p in result.explain(2)] == ["alarms"]
    assert result.explain(99) == []


def test_parameters_change_the_weighting(risk_store):
    inputs = load_risk_inputs(risk_store, now=NOW)
    wide = compute_risk(inputs, RiskParams(near_m=250.0), now=NOW)
    assert wide.parts["exposure"][wide.index_of(1)] == pytest.approx(3.0)  # disabled one too
    later = compute_risk(inputs, RiskParams(), now=NOW + 20 * 3600)  # the bin alarm left the window
    assert later.parts["alarms"][later.index_of(2)] == 0.0
    with pytest.raises(ValueError):
        RiskParams(window_h=0)


def test_levels_and_vectorised_scoring_of_many_cells():
    rng = np.random.default_rng(3)
    n = 20_000
    inputs = RiskInputs.empty(np.arange(1, n + 1), [f"C{i}" for i in range(n)])
    m = 50_000
    inputs = RiskInputs(
        **{
            **inputs.__dict__,
            "alarm_cell": rng.integers(1, n + 1, m),
            "alarm_severity": rng.integers(0, 4, m),
            "alarm_raised": np.full(m, NOW - 100.0),
            "alarm_cleared": np.where(rng.random(m) < 0.5, math.nan, NOW - 50.0),
            "alarm_sensor": np.full(m, -1),
        }
    )
    result = compute_risk(inputs, now=NOW)
    assert result.score.shape == (n,)
    assert result.score.sum() > 0
    edges = [lo for lo, _ in LEVELS]
    for i in range(0, n, 997):
        expected = max(k for k, lo in enumerate(edges) if result.score[i] >= lo)
        assert result.level[i] == expected
