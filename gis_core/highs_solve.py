"""HiGHS on one sparse model, stoppable by a cancel: in this process through HiGHS's interrupt
callbacks, or in a child process that a cancel kills (for models whose MIP presolve and root LP,
where HiGHS polls no callback, take seconds).

Kept apart from :mod:`gis_core.analysis` so the child process imports only numpy, scipy and
highspy. Example::

    out = solve(HighsModel(cost, a_csc, row_lo, row_hi, col_lo, col_hi, integer, True, 60.0))
    if out is not None:
        status, x, objective, bound, proven = out
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["HighsModel", "Outcome", "solve", "solve_in_child"]

# (status, x, objective, dual bound, proven optimal)
Outcome = tuple[str, np.ndarray | None, float, float | None, bool]


@dataclass
class HighsModel:
    """min/max cost·x subject to row_lo ≤ A x ≤ row_hi, col_lo ≤ x ≤ col_hi (A column-wise)."""

    cost: Any
    a_csc: Any  # scipy.sparse.csc_matrix
    row_lo: Any
    row_hi: Any
    col_lo: Any
    col_hi: Any
    integer: Any  # bool per column (used when mip)
    maximize: bool
    time_limit: float
    mip: bool = True
    start: np.ndarray | None = None  # a feasible incumbent to improve on
    optimal_gap: float = 1e-6


def solve(model: HighsModel, cancelled: Callable[[], bool] | None = None) -> Outcome | None:
    """Solve in this process; None when ``cancelled`` turned true and HiGHS stopped for it
    (its simplex polls every few iterations, its MIP search between nodes)."""
    import highspy

    h = highspy.Highs()
    if cancelled is not None:

        def interrupt(event) -> None:
            if cancelled():
                event.interrupt()

        for callback in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            callback.subscribe(interrupt)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(model.time_limit))
    h.setOptionValue("mip_rel_gap", model.optimal_gap)
    h.setOptionValue("threads", 1)
    a = model.a_csc
    lp = highspy.HighsLp()
    lp.num_col_ = len(model.cost)
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = np.asarray(model.cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(model.col_lo, dtype=np.float64)
    lp.col_upper_ = np.asarray(model.col_hi, dtype=np.float64)
    lp.row_lower_ = np.asarray(model.row_lo, dtype=np.float64)
    lp.row_upper_ = np.asarray(model.row_hi, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize if model.maximize else highspy.ObjSense.kMinimize
    if model.mip:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous
            for f in model.integer
        ]
    h.passModel(lp)
    if model.start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(np.asarray(model.start, dtype=np.float64))
        sol.value_valid = True
        h.setSolution(sol)
    h.run()  # releases the GIL; the interrupt callback takes it briefly to poll
    status = h.getModelStatus()
    S = highspy.HighsModelStatus
    if status == S.kInterrupt and cancelled is not None and cancelled():
        return None
    info = h.getInfo()
    if status == S.kInfeasible:
        return "infeasible", None, float("nan"), None, False
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value) if has_solution else None
    obj = float(info.objective_function_value) if has_solution else float("nan")
    bound: float | None
    if model.mip:
        bound = float(info.mip_dual_bound)
        gap = float(info.mip_gap) if has_solution else float("inf")
        proven = status == S.kOptimal and gap <= model.optimal_gap
    else:
        bound = obj if status == S.kOptimal else None
        proven = status == S.kOptimal
    if proven:
        label = "optimal"
    elif status == S.kTimeLimit:
        label = "time limit"
    elif has_solution:
        label = "feasible"
    else:
        label = h.modelStatusToString(status).lower()
    return label, x, obj, bound if np.isfinite(bound or np.nan) else None, proven


def _child(conn, model: HighsModel) -> None:
    try:
        conn.send(("ok", solve(model)))
    except Exception as exc:  # noqa: BLE001 — handed to the parent as a message
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def solve_in_child(
    model: HighsModel, cancelled: Callable[[], bool], poll_s: float = 0.05
) -> Outcome | None:
    """Solve in a spawned child process, polling ``cancelled`` every ``poll_s`` seconds; on a
    cancel the child is killed at once and None returned."""
    ctx = mp.get_context("spawn")  # never fork a process that may run Qt and threads
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, model), daemon=True, name="highs-solve")
    child.start()
    send.close()
    try:
        while not recv.poll(poll_s):
            if cancelled():
                return None
            if not child.is_alive() and not recv.poll(0):
                raise RuntimeError(f"the HiGHS process ended with exit code {child.exitcode}")
        kind, payload = recv.recv()
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        recv.close()
    if kind == "error":
        raise RuntimeError(f"HiGHS failed: {payload}")
    return payload
