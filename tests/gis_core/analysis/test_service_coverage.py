"""Service coverage: residents within D metres of the nearest facility, per cell, and isochrones."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis_core.analysis.feedback import AnalysisError
from gis_core.analysis.service_coverage import ServiceCoverageParams, run_service_coverage

from .synthetic import community


@pytest.fixture(scope="module")
def data():
    return community(n_buildings=500, n_facilities=6, seed=11)


def test_straight_coverage_equals_brute_force(data):
    r = run_service_coverage(data, ServiceCoverageParams("clinic", 300.0))
    d = np.hypot(
        *(data.buildings.xy[:, None, :] - data.facilities.xy[None, :, :]).transpose(2, 0, 1)
    )
    nearest = d.min(axis=1)
    np.testing.assert_array_equal(r.covered, nearest <= 300.0)
    np.testing.assert_allclose(r.nearest_distance[r.covered], nearest[r.covered])
    assert (
        r.nearest_facility[r.covered].tolist()
        == data.facilities.ids[d.argmin(axis=1)][r.covered].tolist()
    )
    s = r.summary()
    assert s["covered_demand"] + s["uncovered_demand"] == s["demand"]
    assert r.cell_uncovered.sum() == pytest.approx(s["uncovered_demand"])
    ranked = r.ranked_cells
    assert [c["uncovered_demand"] for c in ranked] == sorted(
        [c["uncovered_demand"] for c in ranked], reverse=True
    )


def test_network_covers_fewer_and_isochrones_nest(data):
    straight = run_service_coverage(data, ServiceCoverageParams("clinic", 300.0))
    net = run_service_coverage(data, ServiceCoverageParams("clinic", 300.0, distance="network"))
    # Nobody is closer along the streets than as the crow flies.
    both = net.covered
    assert np.all(net.nearest_distance[both] >= straight.nearest_distance[both] - 1e-6)
    assert net.covered.sum() < straight.covered.sum()
    areas = [shapely.area(g) for g in net.isochrones]
    assert areas == sorted(areas) and areas[0] > 0
    for small, big in zip(net.isochrones[:-1], net.isochrones[1:]):
        assert shapely.area(shapely.difference(small, big)) < 1e-6 * shapely.area(small)
    # A 5-minute walk (400 m) reaches no further than the 400 m circle plus the street buffer.
    circle = shapely.union_all(shapely.buffer(shapely.points(data.facilities.xy), 400 + 30 + 1))
    assert shapely.area(shapely.difference(net.isochrones[0], circle)) < 1.0


def test_invalid_parameters(data):
    with pytest.raises(AnalysisError, match="radius must be a positive"):
        run_service_coverage(data, ServiceCoverageParams("clinic", -1.0))
    with pytest.raises(AnalysisError, match="unknown service kind"):
        run_service_coverage(data, ServiceCoverageParams("casino", 100.0))
    with pytest.raises(AnalysisError, match="empty supply"):
        run_service_coverage(data, ServiceCoverageParams("police", 100.0))
