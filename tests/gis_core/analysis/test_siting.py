"""Siting: MCLP, LSCP and p-median objectives equal spopt's on its San Francisco data and on
generated cases; the greedy + swap fallback reports an honest bound and never claims optimality
it has not proven; merged demand points keep the objective."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from gis_core.analysis.feedback import AnalysisCancelled, AnalysisError
from gis_core.analysis.siting import (
    SitingParams,
    merge_identical_rows,
    run_siting,
    solve_lscp,
    solve_mclp,
    solve_pmedian,
)

from .synthetic import community

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _spopt():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pytest.importorskip("spopt.locate")


def _solver():
    import pulp

    available = pulp.listSolvers(onlyAvailable=True)
    if "PULP_CBC_CMD" in available:
        return pulp.PULP_CBC_CMD(msg=False)
    if "HiGHS" in available:
        return pulp.HiGHS(msg=False)
    pytest.skip("no MIP solver for spopt")


@pytest.fixture(scope="module")
def san_francisco():
    spopt = pytest.importorskip("spopt")
    data = Path(spopt.__file__).parent / "tests" / "test_locate" / "data"
    path = data / "SF_network_distance_candidateStore_16_censusTract_205_new.csv"
    if not path.exists():
        pytest.skip("spopt's San Francisco test data are not installed")
    nd = pd.read_csv(path)
    cost = nd.pivot_table(values="distance", index="DestinationName", columns="name").to_numpy()
    demand = pd.read_csv(data / "SF_demand_205_centroid_uniform_weight.csv")
    demand = demand.sort_values(by=["NAME"]).reset_index()
    return cost, demand["POP2000"].to_numpy().astype(float)


def _spopt_objective(model):
    import pulp

    assert model.problem.status == pulp.LpStatusOptimal
    return pulp.value(model.problem.objective)


@pytest.mark.parametrize("radius,p", [(5000.0, 4), (2000.0, 3), (1000.0, 5)])
def test_mclp_equals_spopt_on_san_francisco(san_francisco, radius, p):
    cost, w = san_francisco
    locate = _spopt()
    theirs = _spopt_objective(locate.MCLP.from_cost_matrix(cost, w, radius, p).solve(_solver()))
    ours = solve_mclp(sparse.csr_matrix(cost <= radius), w, p)
    assert ours.proven_optimal and ours.status == "optimal"
    assert ours.objective == pytest.approx(theirs, rel=1e-9)
    assert len(ours.selected) == p
    assert w[(cost[:, ours.selected] <= radius).any(axis=1)].sum() == pytest.approx(ours.objective)


@pytest.mark.parametrize("radius", [5000.0, 2500.0])
def test_lscp_equals_spopt_on_san_francisco(san_francisco, radius):
    cost, _ = san_francisco
    locate = _spopt()
    # spopt's LSCP is infeasible when a tract is out of every site's reach; ours covers what can be.
    coverable = (cost <= radius).any(axis=1)
    theirs = _spopt_objective(
        locate.LSCP.from_cost_matrix(cost[coverable], radius).solve(_solver())
    )
    ours = solve_lscp(sparse.csr_matrix(cost <= radius))
    assert ours.proven_optimal
    assert ours.objective == pytest.approx(theirs)
    assert (cost[coverable][:, ours.selected] <= radius).any(axis=1).all()


@pytest.mark.parametrize("p", [2, 4])
def test_pmedian_equals_spopt_on_san_francisco(san_francisco, p):
    cost, w = san_francisco
    locate = _spopt()
    theirs = _spopt_objective(locate.PMedian.from_cost_matrix(cost, w, p).solve(_solver()))
    ours = solve_pmedian(sparse.coo_matrix(cost), w, p)
    assert ours.proven_optimal
    assert ours.objective == pytest.approx(theirs, rel=1e-9)
    assert np.dot(w, cost[:, ours.selected].min(axis=1)) == pytest.approx(ours.objective)


def _generated(seed: int, n: int = 150, m: int = 25):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 3000, (n, 2))
    sites = rng.uniform(0, 3000, (m, 2))
    cost = np.hypot(*(demand[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    return cost, rng.integers(1, 50, n).astype(float)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_cases_equal_spopt(seed):
    locate = _spopt()
    cost, w = _generated(seed)
    mclp = solve_mclp(sparse.csr_matrix(cost <= 600), w, 5)
    assert mclp.objective == pytest.approx(
        _spopt_objective(locate.MCLP.from_cost_matrix(cost, w, 600.0, 5).solve(_solver())), rel=1e-9
    )
    lscp = solve_lscp(sparse.csr_matrix(cost <= 900))
    coverable = (cost <= 900).any(axis=0)
    theirs = locate.LSCP.from_cost_matrix(cost[(cost <= 900).any(axis=1)], 900.0).solve(_solver())
    assert coverable.any() and lscp.objective == pytest.approx(_spopt_objective(theirs))
    pm = solve_pmedian(sparse.coo_matrix(cost), w, 4)
    assert pm.objective == pytest.approx(
        _spopt_objective(locate.PMedian.from_cost_matrix(cost, w, 4).solve(_solver())), rel=1e-9
    )


@pytest.mark.parametrize("seed", [4, 5])
def test_greedy_swap_fallback_is_honest(seed):
    cost, w = _generated(seed, n=200, m=30)
    cover = sparse.csr_matrix(cost <= 500)
    exact = solve_mclp(cover, w, 6)
    greedy = solve_mclp(cover, w, 6, exact_limit=0)
    assert greedy.method == "greedy+swap"
    assert greedy.objective <= exact.objective + 1e-9
    assert greedy.bound is not None and greedy.bound >= exact.objective - 1e-6
    assert greedy.gap is not None and greedy.gap >= 0
    assert greedy.objective >= (1 - 1 / np.e) * exact.objective
    if not greedy.proven_optimal:
        assert greedy.status == "heuristic"
    no_bound = solve_mclp(cover, w, 6, exact_limit=0, lp_bound_limit=0)
    assert no_bound.bound is None and no_bound.gap is None and not no_bound.proven_optimal

    pm_exact = solve_pmedian(sparse.coo_matrix(cost), w, 5)
    pm = solve_pmedian(sparse.coo_matrix(cost), w, 5, exact_limit=0)
    assert pm.objective >= pm_exact.objective - 1e-6
    assert pm.bound <= pm_exact.objective + 1e-6
    assert pm.objective <= 1.10 * pm_exact.objective  # swap search lands close

    ls_exact = solve_lscp(sparse.csr_matrix(cost <= 800))
    ls = solve_lscp(sparse.csr_matrix(cost <= 800), exact_limit=0)
    assert ls.objective >= ls_exact.objective and ls.bound <= ls_exact.objective


def test_merging_identical_coverage_sets():
    cover = sparse.csr_matrix(
        np.array([[1, 0, 1], [1, 0, 1], [0, 1, 0], [0, 0, 0], [1, 0, 1]], dtype=bool)
    )
    merged, w, group = merge_identical_rows(cover, np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert merged.shape == (2, 3)
    assert sorted(w.tolist()) == [3.0, 8.0]
    assert group[3] == -1 and group[0] == group[1] == group[4] != group[2]


def test_fixed_sites_count_as_open():
    cost, w = _generated(7)
    cover = sparse.csr_matrix(cost <= 600)
    fixed = np.zeros(cost.shape[1], bool)
    fixed[[0, 1]] = True
    sol = solve_mclp(cover, w, 3, fixed)
    open_ = np.r_[np.flatnonzero(fixed), sol.selected]
    assert not set(sol.selected) & {0, 1}
    assert w[(cost[:, open_] <= 600).any(axis=1)].sum() == pytest.approx(sol.objective)
    # The same as an unconstrained model with 5 sites that must include 0 and 1: no better.
    assert sol.objective <= solve_mclp(cover, w, 5).objective + 1e-9


@pytest.mark.parametrize("model", ["mclp", "lscp", "pmedian"])
def test_run_siting_on_a_community(model):
    data = community(n_buildings=400, n_facilities=2, seed=5)
    r = run_siting(data, SitingParams("clinic", model, add=3, radius_m=300.0))
    s = r.summary()
    assert s["status"] in ("optimal", "feasible", "heuristic", "time limit")
    if model != "lscp":
        assert s["new_sites"] == 3
    assert r.covered_after >= r.covered_before
    if model == "lscp":
        assert r.covered_after == pytest.approx(r.demand_total - r.unreachable_demand)
    if model == "pmedian":
        assert r.mean_distance_after <= r.mean_distance_before
    assert r.cell_covered_after.sum() == pytest.approx(r.covered_after)


def test_siting_messages():
    data = community(n_buildings=50, n_facilities=1, seed=5)
    with pytest.raises(AnalysisError, match="unknown model"):
        run_siting(data, SitingParams("clinic", "pcenter"))
    with pytest.raises(AnalysisError, match="add at least one"):
        run_siting(data, SitingParams("clinic", "mclp", add=0))
    with pytest.raises(AnalysisError, match="radius must be a positive"):
        run_siting(data, SitingParams("clinic", "mclp", radius_m=0))


def test_pmedian_lagrangian_bound_is_valid_and_close():
    cost, w = _generated(9, n=200, m=30)
    exact = solve_pmedian(sparse.coo_matrix(cost), w, 4)
    large = solve_pmedian(sparse.coo_matrix(cost), w, 4, exact_limit=0)
    assert large.method == "greedy+swap"
    assert large.bound <= exact.objective * (1 + 1e-9)
    assert large.bound >= 0.9 * exact.objective
    assert large.gap is not None and large.objective >= exact.objective - 1e-6


class _CancelAfter:
    """A feedback the user cancels ``after`` seconds from now; remembers when."""

    def __init__(self, after: float):
        self.at = time.monotonic() + after

    def progress(self, fraction: float, message: str = "") -> None:
        pass

    @property
    def cancelled(self) -> bool:
        return time.monotonic() >= self.at


@pytest.fixture(scope="module")
def slow_mclp():
    """20,000 demand points × 2,000 sites, 430,000 cover pairs: HiGHS runs for minutes."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(1)
    demand, sites = rng.random((20_000, 2)), rng.random((2_000, 2))
    near = cKDTree(sites).query_ball_point(demand, 0.06)
    rows = np.repeat(np.arange(len(demand)), [len(n) for n in near])
    cols = np.concatenate([np.asarray(n, dtype=np.int64) for n in near])
    cover = sparse.csr_matrix((np.ones(len(rows), bool), (rows, cols)), shape=(20_000, 2_000))
    return cover, rng.integers(1, 50, len(demand)).astype(float)


def test_the_slow_model_runs_for_seconds(slow_mclp):
    cover, w = slow_mclp
    t0 = time.perf_counter()
    sol = solve_mclp(cover, w, 20, time_limit=2.0)
    assert sol.status == "time limit" and not sol.proven_optimal  # not done in 2 s
    assert time.perf_counter() - t0 >= 2.0


@pytest.mark.parametrize(
    "exact_limit,where",
    [(2_000_000, "the MIP in a child process"), (0, "the LP bound in this process")],
)
def test_cancel_stops_highs_within_a_second(slow_mclp, exact_limit, where):
    """Issue 5: Cancel reaches into the solver and the run reports cancelled, not a result."""
    cover, w = slow_mclp
    fb = _CancelAfter(1.5)
    t0 = time.perf_counter()
    with pytest.raises(AnalysisCancelled):
        solve_mclp(cover, w, 20, time_limit=60.0, exact_limit=exact_limit, feedback=fb)
    late = time.monotonic() - fb.at
    print(f"\n{where}: stopped {late:.2f} s after cancel ({time.perf_counter() - t0:.1f} s in all)")
    assert late < 1.0
