"""Stored analysis runs: save a result with its parameters, inputs and per-cell figures; list,
reopen and compare runs side by side.

Any result object with ``kind``, ``params`` (with ``to_json()``), ``input_versions``,
``summary()`` and ``cell_metrics()`` can be saved. A result with ``curves()`` (equity: the Lorenz
curve) has them kept with the summary under ``_curves`` and given back as ``StoredRun.curves``,
so a reopened run draws the same curve.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import delete, func, select

from gis_core import schema
from gis_core.analysis.feedback import AnalysisError

__all__ = [
    "RunInfo",
    "StoredRun",
    "RunComparison",
    "save_run",
    "list_runs",
    "load_run",
    "compare_runs",
    "delete_run",
]

_RUNS = schema.AnalysisRun.__table__
CURVES_KEY = "_curves"  # in the stored summary JSON; popped into StoredRun.curves on load
_CELLS = schema.AnalysisCellResult.__table__


@dataclass(frozen=True)
class RunInfo:
    id: int
    kind: str
    title: str | None
    created_at: dt.datetime
    parameters: dict


@dataclass
class StoredRun:
    id: int
    kind: str
    title: str | None
    created_at: dt.datetime
    created_by: str | None
    parameters: dict
    input_versions: dict
    summary: dict
    cells: dict[str, dict[int, float]] = field(default_factory=dict)  # metric → cell id → value
    cell_codes: dict[int, str] = field(default_factory=dict)
    curves: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # name → x, y

    def lorenz(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The Lorenz curve as computed (None for runs stored without it)."""
        curve = self.curves.get("lorenz")
        if not curve:
            return None
        return np.asarray(curve["x"], dtype=float), np.asarray(curve["y"], dtype=float)


@dataclass
class RunComparison:
    """Two runs side by side: per-cell values of the metrics both have, and summary deltas."""

    a: StoredRun
    b: StoredRun
    metrics: list[str]
    cell_ids: np.ndarray
    cell_codes: list[str]
    values_a: dict[str, np.ndarray]
    values_b: dict[str, np.ndarray]
    summary_delta: dict[str, tuple[float, float, float]]  # key → (a, b, b − a)
    inputs_changed: dict[str, tuple[object, object]]

    def delta(self, metric: str) -> np.ndarray:
        return self.values_b[metric] - self.values_a[metric]

    def rows(self) -> list[dict]:
        out = []
        for k, cid in enumerate(self.cell_ids.tolist()):
            row: dict = {"cell_id": cid, "code": self.cell_codes[k]}
            for m in self.metrics:
                a, b = self.values_a[m][k], self.values_b[m][k]
                row[f"{m}_a"], row[f"{m}_b"], row[f"{m}_delta"] = a, b, b - a
            out.append(row)
        return out


def _jsonable(value):
    """Parameters and summaries as plain JSON (NaN → None, numpy → Python, tuples → lists)."""
    return json.loads(json.dumps(value, default=_default, allow_nan=True), parse_constant=_nan)


def _default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "__dict__"):
        return {k: v for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


def _nan(_token):
    return None


def _clean_json(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    return value


def save_run(store, result, title: str | None = None, created_by: str | None = None) -> int:
    """Store ``result`` as a run (one transaction); returns the run id."""
    params = result.params.to_json() if hasattr(result.params, "to_json") else vars(result.params)
    summary = dict(result.summary())
    if hasattr(result, "curves"):
        summary[CURVES_KEY] = result.curves()
    row = {
        "kind": result.kind,
        "title": title,
        "parameters": _clean_json(_jsonable(params)),
        "input_versions": _clean_json(_jsonable(getattr(result, "input_versions", {}) or {})),
        "created_at": dt.datetime.now(dt.UTC),
        "created_by": created_by,
        "summary": _clean_json(_jsonable(summary)),
    }
    metrics = result.cell_metrics()
    codes = {}
    if hasattr(result, "cell_ids") and hasattr(result, "cell_codes"):
        codes = dict(zip(np.asarray(result.cell_ids).tolist(), map(str, result.cell_codes)))
    with store.begin() as conn:
        run_id = conn.execute(_RUNS.insert().returning(_RUNS.c.id), row).scalar_one()
        values = []
        for metric, (ids, vals) in metrics.items():
            for cid, v in zip(np.asarray(ids).tolist(), np.asarray(vals, dtype=float).tolist()):
                values.append(
                    {
                        "run_id": run_id,
                        "grid_cell_id": int(cid),
                        "metric": metric,
                        "cell_code": codes.get(cid),
                        "value": v if math.isfinite(v) else None,
                    }
                )
        if values:
            conn.execute(_CELLS.insert(), values)
    return int(run_id)


def list_runs(store, kind: str | None = None, limit: int = 200) -> list[RunInfo]:
    """Stored runs, newest first."""
    q = select(_RUNS.c.id, _RUNS.c.kind, _RUNS.c.title, _RUNS.c.created_at, _RUNS.c.parameters)
    if kind:
        q = q.where(_RUNS.c.kind == kind)
    q = q.order_by(_RUNS.c.created_at.desc(), _RUNS.c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        return [RunInfo(*row) for row in conn.execute(q).all()]


def load_run(store, run_id: int) -> StoredRun:
    """Reopen a stored run with its per-cell results."""
    with store.engine.connect() as conn:
        row = conn.execute(select(_RUNS).where(_RUNS.c.id == int(run_id))).mappings().first()
        if row is None:
            raise AnalysisError(f"no stored analysis run with id {run_id}")
        cells = conn.execute(
            select(
                _CELLS.c.grid_cell_id, _CELLS.c.metric, _CELLS.c.cell_code, _CELLS.c.value
            ).where(_CELLS.c.run_id == int(run_id))
        ).all()
    run = StoredRun(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        parameters=row["parameters"],
        input_versions=row["input_versions"],
        summary=dict(row["summary"] or {}),
    )
    run.curves = run.summary.pop(CURVES_KEY, None) or {}
    for cid, metric, code, value in cells:
        run.cells.setdefault(metric, {})[int(cid)] = float("nan") if value is None else value
        if code is not None:
            run.cell_codes[int(cid)] = code
    return run


def compare_runs(store, run_a: int, run_b: int) -> RunComparison:
    """Two runs side by side, cell by cell (the union of their cells; NaN where one lacks it)."""
    a, b = load_run(store, run_a), load_run(store, run_b)
    metrics = sorted(set(a.cells) & set(b.cells))
    if not metrics:
        raise AnalysisError(
            f"runs {run_a} ({a.kind}) and {run_b} ({b.kind}) have no per-cell metric in common"
        )
    ids = sorted({c for m in metrics for c in (*a.cells[m], *b.cells[m])})
    cell_ids = np.array(ids, dtype=np.int64)
    codes = {**a.cell_codes, **b.cell_codes}
    va = {m: np.array([a.cells[m].get(c, np.nan) for c in ids], dtype=float) for m in metrics}
    vb = {m: np.array([b.cells[m].get(c, np.nan) for c in ids], dtype=float) for m in metrics}
    delta = {}
    for key in sorted(set(a.summary) & set(b.summary)):
        x, y = a.summary[key], b.summary[key]
        if isinstance(x, int | float) and isinstance(y, int | float) and not isinstance(x, bool):
            delta[key] = (float(x), float(y), float(y) - float(x))
    changed = {
        k: (a.input_versions.get(k), b.input_versions.get(k))
        for k in sorted(set(a.input_versions) | set(b.input_versions))
        if a.input_versions.get(k) != b.input_versions.get(k)
    }
    return RunComparison(
        a, b, metrics, cell_ids, [codes.get(c, "") for c in ids], va, vb, delta, changed
    )


def delete_run(store, run_id: int) -> None:
    with store.begin() as conn:
        conn.execute(delete(_CELLS).where(_CELLS.c.run_id == int(run_id)))
        n = conn.execute(delete(_RUNS).where(_RUNS.c.id == int(run_id))).rowcount
    if not n:
        raise AnalysisError(f"no stored analysis run with id {run_id}")


def count_runs(store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(_RUNS)).scalar() or 0)
