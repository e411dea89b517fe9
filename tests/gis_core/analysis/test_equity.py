"""Service equity: 2SFCA, E2SFCA and gravity agree with PySAL ``access``; supply is conserved;
what-if edits equal a full recomputation; bad parameters get clear messages."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest
import shapely

from gis_core.analysis.data import AnalysisData, Buildings, Facilities, Residents
from gis_core.analysis.distance import StraightLineDistance
from gis_core.analysis.equity import Decay, EquityModel, EquityParams, run_equity
from gis_core.analysis.feedback import AnalysisCancelled, AnalysisError

from .synthetic import community

access = pytest.importorskip("access")


def _access_scores(data: AnalysisData, result, radius: float, weight_fn, method: str):
    """The same demand, supply and distance pairs through PySAL access."""
    fac = data.facilities.of_kind(result.params.service)
    pairs = StraightLineDistance(data.buildings.xy).pairs(fac.xy, radius)
    demand = pd.DataFrame({"geoid": np.arange(len(result.demand)), "pop": result.demand})
    supply = pd.DataFrame({"geoid": np.arange(len(fac)), "cap": fac.capacity})
    cost = pd.DataFrame(
        {"origin": pairs.demand_index, "dest": pairs.supply_index, "cost": pairs.distance}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        acc = access.Access(
            demand_df=demand,
            demand_index="geoid",
            demand_value="pop",
            supply_df=supply,
            supply_index="geoid",
            supply_value="cap",
            cost_df=cost,
            cost_origin="origin",
            cost_dest="dest",
            cost_name="cost",
        )
        if method == "e2sfca":
            out = acc.enhanced_two_stage_fca(max_cost=radius, weight_fn=weight_fn)
        else:
            out = acc.two_stage_fca(max_cost=radius, weight_fn=weight_fn)
    return out.iloc[:, 0].reindex(np.arange(len(result.demand))).fillna(0.0).to_numpy()


def _assert_close(ours: np.ndarray, theirs: np.ndarray) -> None:
    scale = np.maximum(np.abs(theirs), 1e-300)
    rel = np.abs(ours - theirs) / scale
    both_zero = (ours == 0) & (theirs == 0)
    assert np.all(both_zero | (rel <= 1e-9)), float(np.max(rel[~both_zero]))


@pytest.fixture(scope="module")
def data():
    d = community(n_buildings=800, n_facilities=15, seed=3)
    # A building whose centroid is exactly the radius from a facility: inside for both (≤).
    b = d.buildings
    fp = b.footprints.copy()
    fp[0] = shapely.box(1090, 95, 1110, 105)  # centroid (1100, 100)
    fac = d.facilities
    xy = fac.xy.copy()
    xy[0] = (300.0, 100.0)
    return AnalysisData(
        buildings=Buildings(b.ids, fp, b.cell_ids),
        residents=d.residents,
        facilities=Facilities(fac.ids, fac.kinds, fac.capacity, xy),
        cells=d.cells,
        streets=d.streets,
        community=d.community,
        reference_date=d.reference_date,
    )


@pytest.mark.parametrize(
    "method,decay,weight_fn",
    [
        ("2sfca", None, None),
        (
            "e2sfca",
            Decay("step", ((800 / 3, 1.0), (1600 / 3, 0.68), (800, 0.22))),
            access.weights.step_fn({800 / 3: 1.0, 1600 / 3: 0.68, 800: 0.22}),
        ),
        ("e2sfca", Decay("gaussian", sigma_m=400.0), access.weights.gaussian(400.0)),
        (
            "gravity",
            Decay("gravity", beta=1.5, min_distance_m=25.0),
            access.weights.gravity(scale=1.0, alpha=-1.5, min_dist=25.0),
        ),
    ],
    ids=["2sfca", "e2sfca-step-metres", "e2sfca-gaussian", "gravity"],
)
def test_matches_pysal_access(data, method, decay, weight_fn):
    result = run_equity(data, EquityParams("clinic", method, 800.0, decay=decay))
    theirs = _access_scores(data, result, 800.0, weight_fn, method)
    assert (result.accessibility > 0).sum() > 100
    _assert_close(result.accessibility, theirs)
    # The building exactly at the radius reaches facility 0 (access counts cost == radius too).
    assert result.accessibility[0] > 0


@pytest.mark.parametrize("method", ["2sfca", "e2sfca", "gravity"])
@pytest.mark.parametrize("distance", ["straight", "network"])
def test_supply_is_conserved(data, method, distance):
    r = run_equity(data, EquityParams("clinic", method, 600.0, distance=distance))
    reached = r.facility_catchment_demand > 0
    assert np.dot(r.demand, r.accessibility) == pytest.approx(
        r.facility_supply[reached].sum(), rel=1e-12
    )


def test_default_e2sfca_weights_are_in_metres(data):
    p = EquityParams("clinic", "e2sfca", 900.0).validated()
    assert p.decay.steps == ((300.0, 1.0), (600.0, 0.68), (900.0, 0.22))
    w = p.decay.weights(np.array([0.0, 300.0, 300.1, 900.0, 900.1]))
    assert w.tolist() == [1.0, 1.0, 0.68, 0.22, 0.0]


def test_demand_groups_follow_the_service(data):
    elderly = run_equity(
        data.with_facilities(_kind(data.facilities, "elderly_care")),
        EquityParams("elderly_care", "2sfca", 800.0),
    )
    ages = data.residents.age
    assert elderly.params.demand_group == "elderly"
    assert elderly.demand.sum() == np.sum(ages >= 60)
    kg = run_equity(
        data.with_facilities(_kind(data.facilities, "kindergarten")),
        EquityParams("kindergarten", "2sfca", 800.0),
    )
    assert kg.demand.sum() == np.sum((ages >= 3) & (ages < 6))


def _kind(fac: Facilities, kind: str) -> Facilities:
    return Facilities(fac.ids, np.full(len(fac), kind), fac.capacity, fac.xy)


def test_cells_and_ranking(data):
    r = run_equity(data, EquityParams("clinic", "2sfca", 500.0))
    # A cell's figure is the population-weighted mean of its buildings.
    k = 4
    inside = r.building_cell == k
    expected = np.dot(r.demand[inside], r.accessibility[inside]) / r.demand[inside].sum()
    assert r.cell_accessibility[k] == pytest.approx(expected)
    ranked = r.ranked_cells
    assert ranked, "some cells fall below the community mean"
    gaps = [c["unmet_demand"] for c in ranked]
    assert gaps == sorted(gaps, reverse=True)
    assert all(c["accessibility"] < r.threshold for c in ranked)
    assert 0 < r.gini < 1 and r.theil > 0
    assert r.lorenz_x[0] == 0 and r.lorenz_y[-1] == pytest.approx(1.0)
    assert np.all(np.diff(r.lorenz_y) >= -1e-12)


def test_supply_per_capita_per_cell(data):
    r = run_equity(data, EquityParams("clinic", "ratio"))
    pts = shapely.points(data.facilities.xy)
    for k, geom in enumerate(data.cells.geometry):
        supply = data.facilities.capacity[shapely.contains(geom, pts)].sum()
        assert r.cell_supply[k] == pytest.approx(supply)
        if r.cell_demand[k] > 0:
            assert r.cell_accessibility[k] == pytest.approx(supply / r.cell_demand[k])


@pytest.mark.parametrize("distance", ["straight", "network"])
def test_what_if_equals_full_recompute_and_is_fast(data, distance):
    params = EquityParams("clinic", "e2sfca", 700.0, distance=distance)
    model = EquityModel(data, params)
    base = model.result()
    t0 = time.perf_counter()
    added = model.add_facility((600.0, 600.0), 150.0)
    assert time.perf_counter() - t0 < 1.0
    fac = data.facilities
    full = run_equity(
        data.with_facilities(
            Facilities(
                np.r_[fac.ids, -1],
                np.append(fac.kinds, "clinic"),
                np.r_[fac.capacity, 150.0],
                np.vstack([fac.xy, [600.0, 600.0]]),
            )
        ),
        params,
    )
    np.testing.assert_allclose(added.accessibility, full.accessibility, rtol=1e-9, atol=1e-15)
    assert added.gini == pytest.approx(full.gini, rel=1e-9)
    # Remove it again: back to the start.
    back = model.remove_facility(-1)
    np.testing.assert_allclose(back.accessibility, base.accessibility, rtol=1e-9, atol=1e-12)
    # Move an existing facility; compare with a full run at the new place.
    moved = model.move_facility(int(fac.ids[2]), (100.0, 1100.0))
    xy = fac.xy.copy()
    xy[2] = (100.0, 1100.0)
    full = run_equity(
        data.with_facilities(Facilities(fac.ids, fac.kinds, fac.capacity, xy)), params
    )
    np.testing.assert_allclose(moved.accessibility, full.accessibility, rtol=1e-9, atol=1e-12)


def test_network_accessibility_is_lower_than_straight(data):
    straight = run_equity(data, EquityParams("clinic", "2sfca", 400.0))
    network = run_equity(data, EquityParams("clinic", "2sfca", 400.0, distance="network"))
    reach_s = (straight.accessibility > 0).sum()
    reach_n = (network.accessibility > 0).sum()
    assert reach_n < reach_s  # walking along streets reaches fewer buildings than the crow flies


@pytest.mark.parametrize(
    "params,message",
    [
        (EquityParams("clinic", "2sfca", -5.0), "radius must be a positive distance"),
        (EquityParams("spa", "2sfca", 500.0), "unknown service kind 'spa'"),
        (EquityParams("clinic", "3sfca", 500.0), "unknown method '3sfca'"),
        (EquityParams("hospital", "2sfca", 500.0), "empty supply"),
        (EquityParams("clinic", "2sfca", 0.5), "no residents within 0.5 m"),
        (
            EquityParams("clinic", "e2sfca", 500.0, decay=Decay("gaussian")),
            "Gaussian decay needs a positive sigma",
        ),
        (
            EquityParams("clinic", "e2sfca", 500.0, decay=Decay("step", ((300, 1), (200, 0.5)))),
            "increasing",
        ),
    ],
)
def test_invalid_parameters_get_clear_messages(data, params, message):
    with pytest.raises(AnalysisError, match=message):
        run_equity(data, params)


def test_no_residents_of_the_group(data):
    young = AnalysisData(
        buildings=data.buildings,
        residents=Residents(data.residents.building_index, np.full(len(data.residents), 30.0)),
        facilities=_kind(data.facilities, "elderly_care"),
        cells=data.cells,
    )
    with pytest.raises(AnalysisError, match="no residents in the demand group 'elderly'"):
        run_equity(young, EquityParams("elderly_care", "2sfca", 500.0))


def test_cancel_stops_the_analysis(data):
    class Cancel:
        def progress(self, fraction, message=""):
            pass

        cancelled = True

    with pytest.raises(AnalysisCancelled):
        run_equity(data, EquityParams("clinic", "2sfca", 500.0, distance="network"), Cancel())


def test_buildings_without_residents_store():
    empty = AnalysisData(
        buildings=Buildings(np.array([1]), np.array([shapely.box(0, 0, 1, 1)]), np.array([-1])),
        residents=None,
        facilities=Facilities(
            np.array([1]), np.array(["clinic"]), np.array([1.0]), np.zeros((1, 2))
        ),
    )
    with pytest.raises(AnalysisError, match="no residents"):
        run_equity(empty, EquityParams("clinic"))
