"""Siting: where to add facilities of a kind — MCLP, LSCP and p-median on a sparse model.

- **MCLP** (maximal covering): open ``add`` new sites to cover the most demand within the radius;
- **LSCP** (location set covering): the fewest new sites that cover all demand that can be covered;
- **p-median**: open ``add`` new sites to minimise the total demand-weighted distance to the nearest
  open site (distances are truncated at ``max_distance_m``: demand farther than that from every
  open site counts at that distance, which keeps the model sparse).

Existing facilities of the kind stay open (``keep_existing``). The coverage matrix is built
sparse from the distance pairs; for MCLP/LSCP demand points with identical coverage sets are
merged (their weights add up), and demand already covered by existing facilities drops out.
Models up to ``exact_limit`` non-zeros are solved with HiGHS (``highspy``); larger ones by greedy
+ swap local search, with the optimality gap against the LP-relaxation bound when that LP is
affordable. "optimal" is reported only when HiGHS proves it (status optimal, gap ≤ 1e-6).

Cancel reaches into HiGHS: its simplex, interior-point and MIP interrupt callbacks poll the
feedback's ``cancelled``, so a cancelled solve stops within a fraction of a second and raises
:class:`~gis_core.analysis.feedback.AnalysisCancelled` instead of returning a result.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

import numpy as np
import shapely
from scipy import sparse

from gis_core import highs_solve
from gis_core.analysis.data import AnalysisData, cell_index_of_points, demand_group_for
from gis_core.analysis.distance import make_distance_engine
from gis_core.analysis.equity import validate_service
from gis_core.analysis.feedback import (
    AnalysisCancelled,
    AnalysisError,
    Feedback,
    NullFeedback,
    StderrFeedback,
    SubFeedback,
    check_cancel,
    ensure_feedback,
)

__all__ = [
    "MODELS",
    "SitingParams",
    "SitingResult",
    "Solution",
    "merge_identical_rows",
    "run_siting",
    "solve_lscp",
    "solve_mclp",
    "solve_pmedian",
]

MODELS = ("mclp", "lscp", "pmedian")
OPTIMAL_GAP = 1e-6
CHILD_PROCESS_NNZ = 50_000  # MIPs from this size solve in a child process (see _highs)


@dataclass(frozen=True)
class SitingParams:
    service: str
    model: Literal["mclp", "lscp", "pmedian"] = "mclp"
    add: int = 3
    radius_m: float = 800.0
    distance: Literal["straight", "network"] = "straight"
    demand_group: str | None = None
    candidate_spacing_m: float = 100.0  # candidate sites along the streets
    keep_existing: bool = True
    max_distance_m: float | None = None  # p-median truncation; default 3 × radius
    exact_limit: int = 1_000_000  # MCLP/LSCP model non-zeros up to which HiGHS solves exactly
    pmedian_exact_limit: int = 250_000  # p-median (row, site) pairs up to which HiGHS solves it
    lp_bound_limit: int = 1_500_000  # non-zeros up to which the LP bound is computed
    time_limit_s: float = 60.0

    def validated(self) -> SitingParams:
        validate_service(self.service)
        if self.model not in MODELS:
            raise AnalysisError(f"unknown model {self.model!r}; choose one of {', '.join(MODELS)}")
        if not (np.isfinite(self.radius_m) and self.radius_m > 0):
            raise AnalysisError(
                f"the radius must be a positive distance in metres, got {self.radius_m:g}"
            )
        if self.model != "lscp" and self.add < 1:
            raise AnalysisError("add at least one facility (--add ≥ 1)")
        if self.distance not in ("straight", "network"):
            raise AnalysisError(
                f"unknown distance {self.distance!r}; choose 'straight' or 'network'"
            )
        if not (self.candidate_spacing_m > 0):
            raise AnalysisError("the candidate spacing must be a positive distance")
        if self.max_distance_m is not None and not (self.max_distance_m > 0):
            raise AnalysisError("the p-median maximum distance must be positive")
        if not (self.time_limit_s > 0):
            raise AnalysisError("the time limit must be positive")
        return replace(self, demand_group=demand_group_for(self.service, self.demand_group))

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Solution:
    """A solved (or heuristically answered) siting model."""

    selected: np.ndarray  # site indices opened by the solution (fixed sites excluded)
    objective: float
    bound: float | None  # best proven bound on the objective (None: not computed)
    status: str  # optimal / feasible / time limit / heuristic / infeasible
    method: str  # highs-mip / greedy+swap
    proven_optimal: bool = False
    groups: int = 0  # demand rows after merging identical coverage sets

    @property
    def gap(self) -> float | None:
        if self.bound is None or not np.isfinite(self.bound):
            return None
        denom = max(abs(self.bound), abs(self.objective), 1e-12)
        return abs(self.bound - self.objective) / denom


# ---------------------------------------------------------------------- model plumbing
def merge_identical_rows(
    cover: sparse.csr_matrix, weights: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Merge rows with the same set of columns: (merged matrix, summed weights, row → group).

    Rows with no column keep group -1 and drop out (nothing can cover them).
    """
    cover = sparse.csr_matrix(cover, dtype=bool)
    cover.sum_duplicates()
    cover.sort_indices()
    n_rows = cover.shape[0]
    nnz = np.diff(cover.indptr)
    rng = np.random.default_rng(20240521)
    r1 = rng.integers(0, 2**63, cover.shape[1], dtype=np.uint64)
    r2 = rng.integers(0, 2**63, cover.shape[1], dtype=np.uint64)
    row_of = np.repeat(np.arange(n_rows), nnz)
    h1 = np.zeros(n_rows, dtype=np.uint64)
    h2 = np.zeros(n_rows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.add.at(h1, row_of, r1[cover.indices])  # wrapping sums: order-free set hashes
        np.add.at(h2, row_of, r2[cover.indices])
    has = np.flatnonzero(nnz > 0)
    key = np.column_stack([nnz[has].astype(np.uint64), h1[has], h2[has]])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rep = has[first]
    merged = cover[rep]
    # A hash collision would merge different sets: check every row against its group exactly.
    if (cover[has] != merged[inverse]).nnz:
        group = np.full(n_rows, -1, dtype=np.int64)
        group[has] = np.arange(len(has))
        return cover[has], np.asarray(weights, dtype=np.float64)[has], group
    group = np.full(n_rows, -1, dtype=np.int64)
    group[has] = inverse
    w = np.bincount(inverse, weights=np.asarray(weights, dtype=np.float64)[has], minlength=len(rep))
    return merged, w, group


def _highs(
    cost,
    a_csc,
    row_lo,
    row_hi,
    col_lo,
    col_hi,
    integer,
    maximize,
    time_limit,
    mip=True,
    start: np.ndarray | None = None,
    feedback: Feedback | None = None,
) -> tuple[str, np.ndarray | None, float, float | None, bool]:
    """Solve with HiGHS: (status, x, objective, dual bound, proven optimal). Raises
    AnalysisCancelled when ``feedback`` is cancelled before or during the solve.

    HiGHS polls its interrupt callbacks in the simplex and between MIP nodes, but not in MIP
    presolve or the root LP, which take seconds on large models; a large MIP with a feedback
    that may be cancelled is therefore solved in a child process that cancel kills."""
    model = highs_solve.HighsModel(
        cost, a_csc, row_lo, row_hi, col_lo, col_hi, integer, maximize, time_limit, mip, start,
        OPTIMAL_GAP,
    )  # fmt: skip
    fb = ensure_feedback(feedback)
    check_cancel(fb)
    in_child = (
        mip and a_csc.nnz >= CHILD_PROCESS_NNZ and not isinstance(fb, NullFeedback | StderrFeedback)
    )
    if in_child:
        out = highs_solve.solve_in_child(model, lambda: fb.cancelled)
    else:
        out = highs_solve.solve(model, lambda: fb.cancelled)
    check_cancel(fb)
    if out is None:  # interrupted, yet no cancel: nothing else interrupts a solve
        raise AnalysisCancelled("analysis cancelled")
    return out


# ---------------------------------------------------------------------- MCLP
def solve_mclp(
    cover: sparse.csr_matrix,
    weights: np.ndarray,
    p: int,
    fixed: np.ndarray | None = None,
    exact_limit: int = 2_000_000,
    lp_bound_limit: int = 5_000_000,
    time_limit: float = 60.0,
    feedback: Feedback | None = None,
) -> Solution:
    """Open ``p`` sites (besides ``fixed``) covering the most weight; objective counts all cover.
    ``feedback``: cancel stops the solve (AnalysisCancelled)."""
    cover = sparse.csr_matrix(cover, dtype=bool)
    n_sites = cover.shape[1]
    fixed = np.zeros(n_sites, bool) if fixed is None else np.asarray(fixed, bool)
    weights = np.asarray(weights, dtype=np.float64)
    free = np.flatnonzero(~fixed)
    p = int(min(p, len(free)))
    base_cov = np.asarray(cover[:, np.flatnonzero(fixed)].sum(axis=1)).ravel() > 0
    base = float(weights[base_cov].sum())
    # Demand covered by the fixed sites is covered whatever we add.
    sub = cover[~base_cov][:, free]
    g_cover, g_w, _ = merge_identical_rows(sub, weights[~base_cov])
    groups = g_cover.shape[0]
    if groups == 0 or p == 0:
        return Solution(np.empty(0, np.int64), base, base, "optimal", "trivial", True, groups)
    nnz = g_cover.nnz
    if nnz + groups <= exact_limit:
        status, x, obj, bound, proven = _mclp_highs(
            g_cover, g_w, p, time_limit, mip=True, feedback=feedback
        )
        if x is not None:
            sel = free[np.flatnonzero(x[: len(free)] > 0.5)]
            return Solution(
                sel,
                obj + base,
                None if bound is None else bound + base,
                status,
                "highs-mip",
                proven,
                groups,
            )
    sel_local, obj = _mclp_greedy_swap(g_cover.tocsc(), g_w, p, feedback)
    bound = None
    if nnz + groups <= lp_bound_limit:
        status, _, lp_obj, lp_bound, _ = _mclp_highs(
            g_cover, g_w, p, time_limit, mip=False, feedback=feedback
        )
        bound = lp_bound + base if lp_bound is not None else None
    sol = Solution(free[sel_local], obj + base, bound, "heuristic", "greedy+swap", False, groups)
    if sol.gap is not None and sol.gap <= OPTIMAL_GAP:
        sol.status, sol.proven_optimal = "optimal", True  # the LP bound proves it
    return sol


def _mclp_highs(g_cover, g_w, p, time_limit, mip, feedback=None):
    n_groups, n_sites = g_cover.shape
    # Columns: x_j (sites) then y_g (groups). Rows: y_g − Σ_{j∈N_g} x_j ≤ 0, then Σ x_j = p.
    a = sparse.bmat(
        [
            [-g_cover.astype(np.float64), sparse.identity(n_groups, format="csr")],
            [sparse.csr_matrix(np.ones((1, n_sites))), None],
        ],
        format="csc",
    )
    cost = np.r_[np.zeros(n_sites), g_w]
    row_lo = np.r_[np.full(n_groups, -np.inf), p]
    row_hi = np.r_[np.zeros(n_groups), p]
    integer = np.r_[np.ones(n_sites, bool), np.zeros(n_groups, bool)]
    return _highs(
        cost,
        a,
        row_lo,
        row_hi,
        np.zeros(n_sites + n_groups),
        np.ones(n_sites + n_groups),
        integer,
        True,
        time_limit,
        mip,
        feedback=feedback,
    )


def _mclp_greedy_swap(cover_csc: sparse.csc_matrix, w: np.ndarray, p: int, feedback=None):
    fb = ensure_feedback(feedback)
    n_groups, n_sites = cover_csc.shape
    a_t = cover_csc.T.tocsr().astype(np.float64)  # sites × groups
    count = np.zeros(n_groups)
    chosen: list[int] = []
    open_ = np.zeros(n_sites, bool)
    for _ in range(p):  # p greedy picks, each one sparse product over all sites
        check_cancel(fb)
        gain = a_t @ (w * (count == 0))
        gain[open_] = -1
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        chosen.append(j)
        open_[j] = True
        count += a_t[j].toarray().ravel()
    improved = True
    rounds = 0
    while improved and rounds < 50:  # 1-swap local search until no swap gains
        improved = False
        rounds += 1
        for k in range(len(chosen)):
            check_cancel(fb)
            s = chosen[k]
            col = a_t[s].toarray().ravel()
            without = count - col
            loss = float(np.dot(w, (without == 0) & (col > 0)))
            gain = a_t @ (w * (without == 0))
            gain[open_] = -1
            t = int(np.argmax(gain))
            if gain[t] > loss + 1e-9 * max(1.0, loss):
                open_[s], open_[t] = False, True
                chosen[k] = t
                count = without + a_t[t].toarray().ravel()
                improved = True
    obj = float(np.dot(w, count > 0))
    return np.array(sorted(chosen), dtype=np.int64), obj


# ---------------------------------------------------------------------- LSCP
def solve_lscp(
    cover: sparse.csr_matrix,
    fixed: np.ndarray | None = None,
    exact_limit: int = 2_000_000,
    lp_bound_limit: int = 5_000_000,
    time_limit: float = 60.0,
    feedback: Feedback | None = None,
) -> Solution:
    """Fewest sites (besides ``fixed``) covering every row that any site can cover.
    ``feedback``: cancel stops the solve (AnalysisCancelled)."""
    cover = sparse.csr_matrix(cover, dtype=bool)
    n_sites = cover.shape[1]
    fixed = np.zeros(n_sites, bool) if fixed is None else np.asarray(fixed, bool)
    free = np.flatnonzero(~fixed)
    base_cov = np.asarray(cover[:, np.flatnonzero(fixed)].sum(axis=1)).ravel() > 0
    sub = cover[~base_cov][:, free]
    g_cover, _, _ = merge_identical_rows(sub, np.ones(sub.shape[0]))
    groups = g_cover.shape[0]
    if groups == 0:
        return Solution(np.empty(0, np.int64), 0.0, 0.0, "optimal", "trivial", True, 0)
    a = g_cover.astype(np.float64).tocsc()
    n = len(free)
    if a.nnz <= exact_limit:
        status, x, obj, bound, proven = _highs(
            np.ones(n),
            a,
            np.ones(groups),
            np.full(groups, np.inf),
            np.zeros(n),
            np.ones(n),
            np.ones(n, bool),
            False,
            time_limit,
            feedback=feedback,
        )
        if x is not None:
            return Solution(
                free[np.flatnonzero(x > 0.5)], obj, bound, status, "highs-mip", proven, groups
            )
    sel = _lscp_greedy(g_cover, feedback)
    bound = None
    if a.nnz <= lp_bound_limit:
        _, _, lp_obj, lp_bound, _ = _highs(
            np.ones(n),
            a,
            np.ones(groups),
            np.full(groups, np.inf),
            np.zeros(n),
            np.ones(n),
            np.ones(n, bool),
            False,
            time_limit,
            mip=False,
            feedback=feedback,
        )
        bound = float(np.ceil(lp_bound - 1e-9)) if lp_bound is not None else None
    sol = Solution(free[sel], float(len(sel)), bound, "heuristic", "greedy+swap", False, groups)
    if bound is not None and len(sel) <= bound:
        sol.status, sol.proven_optimal = "optimal", True
    return sol


def _lscp_greedy(g_cover: sparse.csr_matrix, feedback=None) -> np.ndarray:
    fb = ensure_feedback(feedback)
    n_groups, n_sites = g_cover.shape
    a_t = g_cover.T.tocsr().astype(np.float64)
    count = np.zeros(n_groups)
    chosen: list[int] = []
    while np.any(count == 0):  # at most one pick per site
        check_cancel(fb)
        gain = a_t @ (count == 0).astype(np.float64)
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        chosen.append(j)
        count += a_t[j].toarray().ravel()
    # Drop picks whose every group is covered twice (latest first).
    for j in reversed(list(chosen)):
        col = a_t[j].toarray().ravel()
        if np.all(count[col > 0] >= 2):
            chosen.remove(j)
            count -= col
    return np.array(sorted(chosen), dtype=np.int64)


# ---------------------------------------------------------------------- p-median
def solve_pmedian(
    dist: sparse.csr_matrix,
    weights: np.ndarray,
    p: int,
    fixed: np.ndarray | None = None,
    penalty: float | None = None,
    exact_limit: int = 2_000_000,
    lp_bound_limit: int = 5_000_000,
    time_limit: float = 60.0,
    feedback: Feedback | None = None,
) -> Solution:
    """Open ``p`` sites (besides ``fixed``) minimising Σ wᵢ · distance to the nearest open site.

    ``dist`` holds the allowed (row, site) distances as explicit entries (zeros allowed: pass a
    COO-built matrix with explicit zeros kept). A row whose open sites are all missing from
    ``dist`` costs ``penalty`` per unit weight; with ``penalty=None`` every row must be served.
    ``feedback``: cancel stops the solve (AnalysisCancelled).
    """
    dist = sparse.coo_matrix(dist)
    n_rows, n_sites = dist.shape
    fixed = np.zeros(n_sites, bool) if fixed is None else np.asarray(fixed, bool)
    w = np.asarray(weights, dtype=np.float64)
    free = np.flatnonzero(~fixed)
    p = int(min(p, len(free)))
    r, c, d = dist.row.astype(np.int64), dist.col.astype(np.int64), dist.data.astype(np.float64)
    order = np.lexsort((c, r))
    r, c, d = r[order], c[order], d[order]
    nnz = len(d)
    p_total = p + int(fixed.sum())
    # Greedy + swap first: a good incumbent in seconds, and the answer when the model is large.
    sel, obj = _pmedian_greedy_swap(r, c, d, w, n_rows, n_sites, p, fixed, penalty, feedback)
    if nnz + n_rows <= exact_limit:
        start = _pmedian_start(r, c, d, w, n_rows, n_sites, fixed, sel, penalty)
        status, x, m_obj, bound, proven = _pmedian_highs(
            r, c, d, w, n_rows, n_sites, p_total, fixed, penalty, time_limit, True, start, feedback
        )
        if status == "infeasible":
            raise AnalysisError(
                f"{p} new sites cannot serve every demand point within the allowed distance"
            )
        if x is not None and m_obj <= obj + 1e-9 * max(1.0, abs(obj)):
            picked = np.flatnonzero(x[:n_sites] > 0.5)
            return Solution(
                picked[~fixed[picked]], m_obj, bound, status, "highs-mip", proven, n_rows
            )
        sol = Solution(sel, obj, bound, "heuristic", "greedy+swap", False, n_rows)
    else:
        # The LP relaxation of a large p-median takes minutes; a Lagrangian bound takes seconds.
        bound = _pmedian_lagrangian_bound(
            r, c, d, w, n_rows, n_sites, p_total, fixed, penalty, obj, feedback=feedback
        )
        sol = Solution(sel, obj, bound, "heuristic", "greedy+swap", False, n_rows)
    if sol.gap is not None and sol.gap <= OPTIMAL_GAP:
        sol.status, sol.proven_optimal = "optimal", True
    return sol


def _pmedian_lagrangian_bound(
    r,
    c,
    d,
    w,
    n_rows,
    n_sites,
    p_total,
    fixed,
    penalty,
    upper,
    iterations: int = 300,
    feedback=None,
) -> float | None:
    """A lower bound on the p-median optimum by Lagrangian relaxation of the assignment rows.

    For multipliers λ, L(λ) = Σλᵢ + Σ_{p open sites} ρⱼ (+ Σ min(0, wᵢM − λᵢ) for the
    unserved option), ρⱼ = Σᵢ min(0, wᵢdᵢⱼ − λᵢ), with the p most negative ρⱼ open (fixed sites
    always). Every λ gives a valid bound; subgradient steps raise it. Vectorised per iteration.
    """
    if len(d) == 0:
        return None
    cost = w[r] * d
    first = np.r_[True, r[1:] != r[:-1]]
    lam = np.zeros(n_rows)
    lam[r[first]] = cost[first]  # pairs are sorted by (row, site): not the nearest; refine below
    np.minimum.at(lam, r, cost)
    free = np.flatnonzero(~fixed)
    k = int(p_total - fixed.sum())
    best = -np.inf
    theta, stall = 2.0, 0
    fb = ensure_feedback(feedback)
    for _ in range(iterations):  # a few hundred passes over the pairs
        check_cancel(fb)
        red = cost - lam[r]
        neg = red < 0
        rho = np.bincount(c, weights=np.where(neg, red, 0.0), minlength=n_sites)
        open_ = fixed.copy()
        if k > 0:
            pick = free[np.argpartition(rho[free], k - 1)[:k]] if k < len(free) else free
            open_[pick[rho[pick] < 0]] = True
        value = lam.sum() + rho[open_].sum()
        dummy = np.zeros(n_rows, bool)
        if penalty is not None:
            du = w * penalty - lam
            dummy = du < 0
            value += du[dummy].sum()
        if not np.isfinite(best) or value > best + 1e-12 * max(1.0, abs(best)):
            best, stall = value, 0
        else:
            stall += 1
            if stall >= 25:
                theta, stall = theta / 2, 0
                if theta < 1e-4:
                    break
        g = 1.0 - np.bincount(r, weights=(neg & open_[c]).astype(np.float64), minlength=n_rows)
        g -= dummy
        norm = float(np.dot(g, g))
        if norm == 0:
            break  # the relaxed solution is feasible: the bound is exact
        lam = lam + theta * (upper - value) / norm * g
    return float(best) if np.isfinite(best) else None


def _pmedian_start(r, c, d, w, n_rows, n_sites, fixed, selected, penalty) -> np.ndarray:
    """The MIP column vector of a p-median solution (sites open, each row to its nearest)."""
    open_ = fixed.copy()
    open_[selected] = True
    _, best, best_site, _ = _pmedian_cost(r, c, d, w, n_rows, open_, penalty)
    nnz = len(d)
    x = np.zeros(n_sites + nnz + (n_rows if penalty is not None else 0))
    x[:n_sites] = open_
    served = best_site >= 0
    key = r * n_sites + c  # pairs are sorted by (row, site), so the keys are sorted
    pos = np.searchsorted(key, np.flatnonzero(served) * n_sites + best_site[served])
    x[n_sites + pos] = 1.0
    if penalty is not None:
        x[n_sites + nnz + np.flatnonzero(~served)] = 1.0
    return x


def _pmedian_highs(
    r, c, d, w, n_rows, n_sites, p_total, fixed, penalty, time_limit, mip, start=None, feedback=None
):
    nnz = len(d)
    dummy = penalty is not None
    n_z = nnz + (n_rows if dummy else 0)
    # Columns: x_j, then z_ij per pair, then (optional) one "unserved" z per row.
    # Rows: Σ_j z_ij (+ u_i) = 1 per row; z_ij − x_j ≤ 0 per pair; Σ x_j = p.
    zi = np.arange(nnz)
    assign_rows = np.r_[r, np.arange(n_rows)] if dummy else r
    assign_cols = n_sites + (np.r_[zi, nnz + np.arange(n_rows)] if dummy else zi)
    link_rows = n_rows + zi
    rows = np.r_[assign_rows, link_rows, link_rows, np.full(n_sites, n_rows + nnz)]
    cols = np.r_[assign_cols, n_sites + zi, c, np.arange(n_sites)]
    vals = np.r_[np.ones(len(assign_rows)), np.ones(nnz), -np.ones(nnz), np.ones(n_sites)]
    a = sparse.csc_matrix((vals, (rows, cols)), shape=(n_rows + nnz + 1, n_sites + n_z))
    cost = np.r_[np.zeros(n_sites), w[r] * d, (w * penalty) if dummy else np.empty(0)]
    row_lo = np.r_[np.ones(n_rows), np.full(nnz, -np.inf), p_total]
    row_hi = np.r_[np.ones(n_rows), np.zeros(nnz), p_total]
    col_lo = np.r_[fixed.astype(np.float64), np.zeros(n_z)]
    col_hi = np.ones(n_sites + n_z)
    integer = np.r_[np.ones(n_sites, bool), np.zeros(n_z, bool)]
    return _highs(
        cost, a, row_lo, row_hi, col_lo, col_hi, integer, False, time_limit, mip, start, feedback
    )


def _pmedian_cost(r, c, d, w, n_rows, open_, penalty):
    """(total cost, best distance per row, best site per row, second-best distance per row)."""
    big = np.inf if penalty is None else float(penalty)
    keep = open_[c]
    rr, cc, dd = r[keep], c[keep], d[keep]
    order = np.lexsort((dd, rr))
    rr, cc, dd = rr[order], cc[order], dd[order]
    first = np.r_[True, rr[1:] != rr[:-1]] if len(rr) else np.zeros(0, bool)
    best = np.full(n_rows, big)
    best_site = np.full(n_rows, -1, dtype=np.int64)
    best[rr[first]] = dd[first]
    best_site[rr[first]] = cc[first]
    second_mask = (np.r_[False, first[:-1]] & ~first) if len(rr) else first
    second = np.full(n_rows, big)
    second[rr[second_mask]] = dd[second_mask]
    best = np.minimum(best, big)
    second = np.minimum(second, big)
    return float(np.dot(w, best)), best, best_site, second


def _pmedian_greedy_swap(r, c, d, w, n_rows, n_sites, p, fixed, penalty, feedback=None):
    fb = ensure_feedback(feedback)
    open_ = fixed.copy()
    _, best, best_site, second = _pmedian_cost(r, c, d, w, n_rows, open_, penalty)
    chosen: list[int] = []
    for _ in range(p):  # greedy adds
        check_cancel(fb)
        current = np.where(np.isfinite(best), best, np.inf)
        saving = w[r] * np.maximum(0.0, np.nan_to_num(current[r] - d, posinf=1e300))
        gain = np.bincount(c, weights=saving, minlength=n_sites)
        gain[open_] = -1
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            free = np.flatnonzero(~open_)
            j = int(free[0]) if len(free) else -1
            if j < 0:
                break
        open_[j] = True
        chosen.append(j)
        total, best, best_site, second = _pmedian_cost(r, c, d, w, n_rows, open_, penalty)
    total, best, best_site, second = _pmedian_cost(r, c, d, w, n_rows, open_, penalty)
    improved, rounds = True, 0
    while improved and rounds < 50:  # Teitz–Bart style swaps, one vectorised scan per open site
        improved, rounds = False, rounds + 1
        for k in range(len(chosen)):
            check_cancel(fb)
            s = chosen[k]
            without = np.where(best_site == s, second, best)
            loss = float(np.dot(w, np.nan_to_num(without - best, posinf=1e300)))
            saving = w[r] * np.maximum(0.0, np.nan_to_num(without[r] - d, posinf=1e300))
            gain = np.bincount(c, weights=saving, minlength=n_sites)
            gain[open_] = -1
            gain[s] = -1
            t = int(np.argmax(gain))
            if gain[t] > loss + 1e-9 * max(1.0, abs(loss)):
                open_[s], open_[t] = False, True
                chosen[k] = t
                new_total, best, best_site, second = _pmedian_cost(
                    r, c, d, w, n_rows, open_, penalty
                )
                if new_total < total - 1e-12 * max(1.0, total):
                    total = new_total
                    improved = True
                else:  # numerical tie: undo and stop
                    open_[s], open_[t] = True, False
                    chosen[k] = s
                    total, best, best_site, second = _pmedian_cost(
                        r, c, d, w, n_rows, open_, penalty
                    )
    if not np.isfinite(total):
        raise AnalysisError(
            f"{p} new sites cannot serve every demand point within the allowed distance"
        )
    return np.array(sorted(chosen), dtype=np.int64), total


# ---------------------------------------------------------------------- the analysis
@dataclass
class SitingResult:
    params: SitingParams
    solution: Solution
    site_xy: np.ndarray  # the chosen new sites
    site_source: np.ndarray
    existing_ids: np.ndarray
    existing_xy: np.ndarray
    n_candidates: int
    n_demand_points: int
    demand_total: float
    covered_before: float  # demand within the radius of an existing facility
    covered_after: float
    mean_distance_before: float | None
    mean_distance_after: float | None
    unreachable_demand: float  # demand no candidate or facility can reach within the radius
    cell_ids: np.ndarray
    cell_codes: np.ndarray
    cell_demand: np.ndarray
    cell_covered_before: np.ndarray
    cell_covered_after: np.ndarray
    input_versions: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    kind: str = "siting"

    def summary(self) -> dict:
        s = self.solution
        return {
            "service": self.params.service,
            "model": self.params.model,
            "distance": self.params.distance,
            "radius_m": self.params.radius_m,
            "new_sites": int(len(self.site_xy)),
            "objective": s.objective,
            "bound": s.bound,
            "gap": s.gap,
            "status": s.status,
            "method": s.method,
            "proven_optimal": s.proven_optimal,
            "candidates": self.n_candidates,
            "demand_points": self.n_demand_points,
            "demand_groups": s.groups,
            "demand": self.demand_total,
            "covered_before": self.covered_before,
            "covered_after": self.covered_after,
            "mean_distance_before_m": self.mean_distance_before,
            "mean_distance_after_m": self.mean_distance_after,
            "unreachable_demand": self.unreachable_demand,
            "sites": [
                {"x": float(x), "y": float(y), "source": str(src)}
                for (x, y), src in zip(self.site_xy.tolist(), self.site_source.tolist())
            ],
            "elapsed_s": self.elapsed_s,
        }

    def cell_metrics(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {
            "demand": (self.cell_ids, self.cell_demand),
            "covered_before": (self.cell_ids, self.cell_covered_before),
            "covered_after": (self.cell_ids, self.cell_covered_after),
        }


def candidate_sites(data: AnalysisData, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidate sites: points every ``spacing`` metres along the streets (else a grid)."""
    if data.streets is not None and len(data.streets):
        lines = shapely.get_parts(data.streets)
        lengths = shapely.length(lines)
        count = np.maximum(np.ceil(lengths / spacing).astype(np.int64), 1) + 1
        li = np.repeat(np.arange(len(lines)), count)
        start = np.r_[0, np.cumsum(count)[:-1]]
        frac = (np.arange(len(li)) - start[li]) / (count[li] - 1)
        xy = shapely.get_coordinates(
            shapely.line_interpolate_point(lines[li], frac, normalized=True)
        )
        _, first = np.unique(np.round(xy).astype(np.int64), axis=0, return_index=True)
        first.sort()
        return xy[first], np.full(len(first), "street")
    b = data.buildings
    minx, miny = b.xy.min(axis=0)
    maxx, maxy = b.xy.max(axis=0)
    gx, gy = np.meshgrid(
        np.arange(minx, maxx + spacing, spacing), np.arange(miny, maxy + spacing, spacing)
    )
    xy = np.column_stack([gx.ravel(), gy.ravel()])
    return xy, np.full(len(xy), "grid")


def run_siting(
    data: AnalysisData,
    params: SitingParams,
    feedback: Feedback | None = None,
    candidates: np.ndarray | None = None,
) -> SitingResult:
    """Where to add facilities of a kind; see the module docstring for the models."""
    t0 = time.perf_counter()
    fb = ensure_feedback(feedback)
    p = params.validated()
    b = data.buildings
    if b is None or len(b) == 0:
        raise AnalysisError("the store has no buildings; import or generate buildings first")
    demand_all = data.demand(p.demand_group)  # type: ignore[arg-type]
    demand_rows = np.flatnonzero(demand_all > 0)
    if len(demand_rows) == 0:
        raise AnalysisError(f"no residents in the demand group {p.demand_group!r}")
    w = demand_all[demand_rows]
    fac = data.facilities.of_kind(p.service) if data.facilities is not None else None
    existing_xy = fac.xy if (fac is not None and p.keep_existing) else np.empty((0, 2))
    existing_ids = fac.ids if (fac is not None and p.keep_existing) else np.empty(0, np.int64)
    if candidates is not None:
        cand_xy = np.asarray(candidates, dtype=np.float64).reshape(-1, 2)
        cand_src = np.full(len(cand_xy), "given")
    else:
        cand_xy, cand_src = candidate_sites(data, p.candidate_spacing_m)
    if len(cand_xy) == 0:
        raise AnalysisError("no candidate sites: give candidates or add streets")
    fb.progress(0.05, "distance structure")
    engine = make_distance_engine(p.distance, b.xy[demand_rows], data.streets)
    check_cancel(fb)
    sites_xy = np.vstack([existing_xy, cand_xy])
    fixed = np.r_[np.ones(len(existing_xy), bool), np.zeros(len(cand_xy), bool)]
    reach = p.radius_m
    if p.model == "pmedian":
        reach = p.max_distance_m or 3.0 * p.radius_m
    pairs = engine.pairs(sites_xy, reach, SubFeedback(fb, 0.1, 0.5))
    check_cancel(fb)
    n_rows, n_sites = len(demand_rows), len(sites_xy)
    within = pairs.distance <= p.radius_m
    cover = sparse.csr_matrix(
        (
            np.ones(int(within.sum()), bool),
            (pairs.demand_index[within], pairs.supply_index[within]),
        ),
        shape=(n_rows, n_sites),
    )
    reachable = np.asarray(cover.sum(axis=1)).ravel() > 0
    fb.progress(0.55, f"solving {p.model}")
    kw = dict(
        exact_limit=p.exact_limit,
        lp_bound_limit=p.lp_bound_limit,
        time_limit=p.time_limit_s,
        feedback=fb,
    )
    if p.model == "mclp":
        sol = solve_mclp(cover, w, p.add, fixed, **kw)
    elif p.model == "lscp":
        sol = solve_lscp(cover, fixed, **kw)
    else:
        dist = sparse.coo_matrix(
            (pairs.distance, (pairs.demand_index, pairs.supply_index)), shape=(n_rows, n_sites)
        )
        kw["exact_limit"] = p.pmedian_exact_limit
        sol = solve_pmedian(dist, w, p.add, fixed, penalty=reach, **kw)
    check_cancel(fb)
    fb.progress(0.9, "summarising")
    chosen = np.asarray(sol.selected, dtype=np.int64)
    open_before = fixed.copy()
    open_after = fixed.copy()
    open_after[chosen] = True
    cov_before = np.asarray(cover[:, open_before].sum(axis=1)).ravel() > 0
    cov_after = np.asarray(cover[:, open_after].sum(axis=1)).ravel() > 0
    dist_before = dist_after = None
    # Mean distance to the nearest open site (truncated at the reach), before and after.
    r, c, d = pairs.demand_index, pairs.supply_index, pairs.distance
    tot_b = _pmedian_cost(r, c, d, w, n_rows, open_before, reach)[0]
    tot_a = _pmedian_cost(r, c, d, w, n_rows, open_after, reach)[0]
    dist_before = tot_b / w.sum() if open_before.any() else None
    dist_after = tot_a / w.sum()
    cells = data.cells
    n_cells = 0 if cells is None else len(cells)
    bc = cell_index_of_points(cells, b.xy[demand_rows], b.cell_ids[demand_rows])
    inside = bc >= 0
    cell_demand = np.bincount(bc[inside], weights=w[inside], minlength=n_cells)
    before_c = np.bincount(bc[inside], weights=(w * cov_before)[inside], minlength=n_cells)
    after_c = np.bincount(bc[inside], weights=(w * cov_after)[inside], minlength=n_cells)
    notes = []
    if not reachable.all():
        notes.append(
            f"{w[~reachable].sum():g} residents live farther than {p.radius_m:g} m from every "
            "candidate site and facility; no siting covers them"
        )
    if p.model != "lscp" and len(chosen) < p.add:
        notes.append(
            f"only {len(chosen)} new sites help: the existing facilities and those already cover "
            f"all the demand that candidate sites can reach within {p.radius_m:g} m"
            if p.model == "mclp"
            else f"only {len(chosen)} new sites reduce the distance"
        )
    if not sol.proven_optimal:
        gap = sol.gap
        notes.append(
            "the solution is not proven optimal"
            + (
                f"; it is within {gap:.2%} of the best possible"
                if gap is not None
                else "; no bound was computed (model too large)"
            )
        )
    fb.progress(1.0, "done")
    return SitingResult(
        params=p,
        solution=sol,
        site_xy=sites_xy[chosen],
        site_source=np.r_[np.full(len(existing_xy), "existing"), cand_src][chosen],
        existing_ids=existing_ids,
        existing_xy=existing_xy,
        n_candidates=len(cand_xy),
        n_demand_points=n_rows,
        demand_total=float(w.sum()),
        covered_before=float(w[cov_before].sum()),
        covered_after=float(w[cov_after].sum()),
        mean_distance_before=dist_before,
        mean_distance_after=dist_after,
        unreachable_demand=float(w[~reachable].sum()),
        cell_ids=cells.ids if cells is not None else np.empty(0, np.int64),
        cell_codes=cells.codes if cells is not None else np.empty(0, str),
        cell_demand=cell_demand,
        cell_covered_before=before_c,
        cell_covered_after=after_c,
        input_versions=data.input_versions(),
        notes=notes,
        elapsed_s=time.perf_counter() - t0,
    )
