"""Service equity: how much supply each resident can reach, and how unevenly that is spread.

Methods (``EquityParams.method``):

- ``ratio``: supply per capita per grid cell — the capacity of the cell's facilities over its
  demand (every building of a cell gets the cell's figure);
- ``2sfca``: two-step floating catchment area (Luo & Wang 2003). Step 1, for each facility j:
  Rⱼ = Sⱼ / Σᵢ Pᵢ over demand i within the radius; step 2, for each building i:
  Aᵢ = Σⱼ Rⱼ over facilities within the radius;
- ``e2sfca``: the same with a distance-decay weight Wᵢⱼ in both steps (Luo & Qi 2009): step
  weights in metres (default 1 / 0.68 / 0.22 at thirds of the radius) or a Gaussian;
- ``gravity``: the same with the gravity weight (max(d, d_min))^−β inside the radius.

Aᵢ is supply per person (e.g. clinic visits a day per resident). The floating-catchment figures
conserve supply: Σᵢ PᵢAᵢ = Σⱼ Sⱼ over the facilities with any demand in reach.

:class:`EquityModel` keeps the demand–supply pairs per facility, so a what-if (add, move or
remove a facility, change its capacity) recomputes only that facility's column.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

import numpy as np
import shapely

from gis_core import schema
from gis_core.analysis.data import (
    AnalysisData,
    Facilities,
    cell_index_of_points,
    demand_group_for,
)
from gis_core.analysis.distance import DistancePairs, make_distance_engine
from gis_core.analysis.feedback import (
    AnalysisError,
    Feedback,
    SubFeedback,
    check_cancel,
    ensure_feedback,
)
from gis_core.analysis.inequality import gini, lorenz_curve, theil

__all__ = [
    "METHODS",
    "Decay",
    "EquityParams",
    "EquityResult",
    "EquityModel",
    "run_equity",
    "validate_service",
]

METHODS = ("ratio", "2sfca", "e2sfca", "gravity")
Method = Literal["ratio", "2sfca", "e2sfca", "gravity"]


def validate_service(service: str) -> str:
    if service not in schema.FACILITY_KINDS:
        raise AnalysisError(
            f"unknown service kind {service!r}; choose one of {', '.join(schema.FACILITY_KINDS)}"
        )
    return service


@dataclass(frozen=True)
class Decay:
    """Distance-decay weight f(d) for a distance d in metres (0 beyond the catchment radius).

    - ``none``: 1;
    - ``step``: ``steps`` = ((upper_m, weight), …) ascending; f(d) = weight of the first upper ≥ d,
      0 beyond the last (the same rule as PySAL ``access.weights.step_fn``);
    - ``gaussian``: exp(−d² / 2σ²), σ = ``sigma_m``;
    - ``gravity``: (max(d, ``min_distance_m``))^−``beta``.
    """

    kind: Literal["none", "step", "gaussian", "gravity"] = "none"
    steps: tuple[tuple[float, float], ...] = ()
    sigma_m: float | None = None
    beta: float = 1.0
    min_distance_m: float = 10.0

    @classmethod
    def default_for(cls, method: str, radius_m: float) -> Decay:
        if method == "e2sfca":
            r = radius_m
            return cls("step", ((r / 3, 1.0), (2 * r / 3, 0.68), (r, 0.22)))
        if method == "gravity":
            return cls("gravity", beta=1.0, min_distance_m=10.0)
        return cls("none")

    def validate(self) -> Decay:
        if self.kind not in ("none", "step", "gaussian", "gravity"):
            raise AnalysisError(
                f"unknown decay {self.kind!r}; choose none, step, gaussian or gravity"
            )
        if self.kind == "step":
            if not self.steps:
                raise AnalysisError("step decay needs at least one (distance, weight) step")
            bounds = [float(b) for b, _ in self.steps]
            weights = [float(w) for _, w in self.steps]
            if any(b <= 0 for b in bounds) or bounds != sorted(bounds):
                raise AnalysisError("step decay distances must be positive and increasing")
            if any(w < 0 or not np.isfinite(w) for w in weights):
                raise AnalysisError("step decay weights must be non-negative numbers")
        if self.kind == "gaussian" and not (self.sigma_m and self.sigma_m > 0):
            raise AnalysisError("Gaussian decay needs a positive sigma in metres")
        if self.kind == "gravity":
            if not (self.beta > 0 and np.isfinite(self.beta)):
                raise AnalysisError("gravity decay needs a positive exponent beta")
            if not (self.min_distance_m > 0):
                raise AnalysisError(
                    "gravity decay needs a positive minimum distance (the weight is infinite at 0 m)"
                )
        return self

    def weights(self, d: np.ndarray) -> np.ndarray:
        d = np.asarray(d, dtype=np.float64)
        if self.kind == "none":
            return np.ones_like(d)
        if self.kind == "step":
            bounds = np.array([b for b, _ in self.steps], dtype=np.float64)
            values = np.array([w for _, w in self.steps] + [0.0], dtype=np.float64)
            return values[np.searchsorted(bounds, d, side="left")]
        if self.kind == "gaussian":
            s = float(self.sigma_m)  # type: ignore[arg-type]
            return np.exp(-d * d / (2.0 * s * s))
        return np.maximum(d, self.min_distance_m) ** (-self.beta)

    def describe(self) -> str:
        if self.kind == "step":
            return "step " + ", ".join(f"≤{b:g} m: {w:g}" for b, w in self.steps)
        if self.kind == "gaussian":
            return f"Gaussian σ={self.sigma_m:g} m"
        if self.kind == "gravity":
            return f"gravity β={self.beta:g}, d_min={self.min_distance_m:g} m"
        return "none"


@dataclass(frozen=True)
class EquityParams:
    """Parameters of a service-equity analysis (the dialog and the CLI fill the same object)."""

    service: str
    method: Method = "2sfca"
    radius_m: float = 1000.0
    distance: Literal["straight", "network"] = "straight"
    decay: Decay | None = None
    demand_group: str | None = None
    threshold: float | None = None  # per-capita supply below which a cell is short; default mean

    def validated(self) -> EquityParams:
        validate_service(self.service)
        if self.method not in METHODS:
            raise AnalysisError(
                f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}"
            )
        if not (np.isfinite(self.radius_m) and self.radius_m > 0):
            raise AnalysisError(
                f"the radius must be a positive distance in metres, got {self.radius_m:g}"
            )
        if self.distance not in ("straight", "network"):
            raise AnalysisError(
                f"unknown distance {self.distance!r}; choose 'straight' or 'network'"
            )
        if self.threshold is not None and not (self.threshold >= 0):
            raise AnalysisError("the threshold must be a non-negative supply per person")
        decay = self.decay or Decay.default_for(self.method, self.radius_m)
        decay.validate()
        if self.method == "2sfca" and decay.kind != "none":
            raise AnalysisError("2SFCA has no distance decay; use e2sfca or gravity for decay")
        return replace(
            self, decay=decay, demand_group=demand_group_for(self.service, self.demand_group)
        )

    def to_json(self) -> dict:
        d = asdict(self)
        if self.decay is not None:
            d["decay"] = asdict(self.decay)
        return d


@dataclass
class EquityResult:
    """Accessibility per building and per cell, inequality figures and the cells most short."""

    params: EquityParams
    building_ids: np.ndarray
    building_cell: np.ndarray  # position in ``cell_ids`` (-1: no cell)
    demand: np.ndarray
    accessibility: np.ndarray
    cell_ids: np.ndarray
    cell_codes: np.ndarray
    cell_demand: np.ndarray
    cell_supply: np.ndarray
    cell_accessibility: np.ndarray
    cell_unmet_demand: np.ndarray
    cell_supply_gap: np.ndarray
    facility_ids: np.ndarray
    facility_xy: np.ndarray
    facility_supply: np.ndarray
    facility_catchment_demand: np.ndarray
    facility_ratio: np.ndarray
    threshold: float
    gini: float
    theil: float
    lorenz_x: np.ndarray
    lorenz_y: np.ndarray
    input_versions: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    kind: str = "equity"

    @property
    def ranked_cells(self) -> list[dict]:
        """Cells below the threshold, most unmet demand first."""
        below = np.flatnonzero(self.cell_unmet_demand > 0)
        order = below[np.argsort(-self.cell_unmet_demand[below], kind="stable")]
        return [
            {
                "rank": r + 1,
                "cell_id": int(self.cell_ids[k]),
                "code": str(self.cell_codes[k]),
                "demand": float(self.cell_demand[k]),
                "accessibility": float(self.cell_accessibility[k]),
                "unmet_demand": float(self.cell_unmet_demand[k]),
                "supply_gap": float(self.cell_supply_gap[k]),
            }
            for r, k in enumerate(order)
        ]

    def summary(self) -> dict:
        total_demand = float(self.demand.sum())
        reached = float(self.demand[self.accessibility > 0].sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = float(np.dot(self.demand, self.accessibility) / total_demand)
        return {
            "service": self.params.service,
            "method": self.params.method,
            "distance": self.params.distance,
            "radius_m": self.params.radius_m,
            "decay": self.params.decay.describe() if self.params.decay else "none",
            "demand_group": self.params.demand_group,
            "demand": total_demand,
            "demand_with_access": reached,
            "share_with_access": reached / total_demand if total_demand else float("nan"),
            "facilities": int(len(self.facility_ids)),
            "supply": float(self.facility_supply.sum()),
            "mean_accessibility": mean,
            "threshold": self.threshold,
            "gini": self.gini,
            "theil": self.theil,
            "cells_below_threshold": int(np.sum(self.cell_unmet_demand > 0)),
            "elapsed_s": self.elapsed_s,
        }

    def curves(self) -> dict[str, dict[str, list[float]]]:
        """What a stored run keeps to draw its Lorenz curve again exactly as computed (the curve
        is built from every building, so per-cell results cannot give it back)."""
        return {"lorenz": {"x": self.lorenz_x.tolist(), "y": self.lorenz_y.tolist()}}

    def cell_metrics(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {
            "demand": (self.cell_ids, self.cell_demand),
            "supply": (self.cell_ids, self.cell_supply),
            "accessibility": (self.cell_ids, self.cell_accessibility),
            "unmet_demand": (self.cell_ids, self.cell_unmet_demand),
            "supply_gap": (self.cell_ids, self.cell_supply_gap),
        }


@dataclass
class _Column:
    """One facility's catchment: demand positions, weights, and its current supply ratio.

    For the facilities of the first run the positions and weights stay in the model's shared
    pair arrays until an edit needs them (``initial`` is their column there; -1 for new ones).
    """

    demand_index: np.ndarray | None
    weight: np.ndarray | None
    supply: float
    catchment_demand: float
    ratio: float
    xy: np.ndarray
    cell: int
    initial: int = -1


class EquityModel:
    """A service-equity analysis kept live for what-if edits (add / move / remove a facility).

    Building it computes the distance pairs once; each edit recomputes only the touched facility's
    column and the aggregates (cells, Gini, Theil, Lorenz).
    """

    def __init__(self, data: AnalysisData, params: EquityParams, feedback: Feedback | None = None):
        t0 = time.perf_counter()
        self.feedback = fb = ensure_feedback(feedback)
        self.params = params = params.validated()
        self.data = data
        if data.buildings is None or len(data.buildings) == 0:
            raise AnalysisError("the store has no buildings; import or generate buildings first")
        self.notes: list[str] = []
        fb.progress(0.0, "demand")
        self.demand = data.demand(params.demand_group)  # type: ignore[arg-type]
        if self.demand.sum() <= 0:
            raise AnalysisError(
                f"no residents in the demand group {params.demand_group!r} "
                f"for {params.service}; nothing to measure"
            )
        facilities = (data.facilities or _empty_facilities()).of_kind(params.service)
        if len(facilities) == 0:
            raise AnalysisError(
                f"empty supply: the store has no {params.service} facilities to measure access to"
            )
        cap = facilities.capacity.copy()
        unknown = ~np.isfinite(cap)
        if unknown.any():
            self.notes.append(
                f"{int(unknown.sum())} {params.service} facilities have no capacity; counted as 1"
            )
            cap[unknown] = 1.0
        if np.any(cap < 0):
            raise AnalysisError(f"{params.service} facilities with negative capacity")
        if cap.sum() <= 0:
            raise AnalysisError(f"empty supply: every {params.service} facility has capacity 0")
        self.decay = params.decay  # type: ignore[assignment]
        b = data.buildings
        self.cells = data.cells
        self.building_cell = cell_index_of_points(self.cells, b.xy, b.cell_ids)
        n_cells = 0 if self.cells is None else len(self.cells)
        if params.method == "ratio" and n_cells == 0:
            raise AnalysisError("supply per capita per cell needs grid cells; the store has none")
        fb.progress(0.05, "distance structure")
        self.engine = (
            None
            if params.method == "ratio"
            else make_distance_engine(params.distance, b.xy, data.streets)
        )
        check_cancel(fb)
        self.columns: dict[int, _Column] = {}
        self._next_new_id = -1
        self.accessibility = np.zeros(len(b))
        fcell = cell_index_of_points(self.cells, facilities.xy, facilities.cell_ids)
        if self.engine is not None:
            pairs = self.engine.pairs(facilities.xy, params.radius_m, SubFeedback(fb, 0.1, 0.85))
            self._init_columns(facilities, cap, fcell, pairs)
            in_reach = sum(1 for c in self.columns.values() if c.catchment_demand > 0)
            if in_reach == 0:
                raise AnalysisError(
                    f"no residents within {params.radius_m:g} m of any {params.service}; "
                    "increase the radius"
                )
            idle = len(self.columns) - in_reach
            if idle:
                self.notes.append(
                    f"{idle} {params.service} facilities have no demand within "
                    f"{params.radius_m:g} m; their supply reaches nobody"
                )
        else:
            for k in range(len(facilities)):
                self.columns[int(facilities.ids[k])] = _Column(
                    np.empty(0, dtype=np.int64),
                    np.empty(0),
                    float(cap[k]),
                    0.0,
                    0.0,
                    facilities.xy[k],
                    int(fcell[k]),
                )
        self.input_versions = data.input_versions()
        self._setup_s = time.perf_counter() - t0
        fb.progress(0.9, "accessibility")

    # ------------------------------------------------------------------ core
    def _init_columns(self, fac: Facilities, cap, fcell, pairs: DistancePairs) -> None:
        w = self.decay.weights(pairs.distance)
        keep = w > 0
        if not keep.all():
            i, j, w = pairs.demand_index[keep], pairs.supply_index[keep], w[keep]
        else:
            i, j = pairs.demand_index, pairs.supply_index
        n_fac = len(fac)
        catch = np.bincount(j, weights=w * self.demand[i], minlength=n_fac)
        ratio = np.divide(cap, catch, out=np.zeros(n_fac), where=catch > 0)
        self.accessibility = np.bincount(i, weights=w * ratio[j], minlength=len(self.demand))
        # Kept unsorted: a what-if pulls one facility's pairs out when it needs them.
        self._pair_i, self._pair_j, self._pair_w = i, j, w
        for k in range(n_fac):  # one small object per facility (hundreds), not per pair
            self.columns[int(fac.ids[k])] = _Column(
                None,
                None,
                float(cap[k]),
                float(catch[k]),
                float(ratio[k]),
                fac.xy[k],
                int(fcell[k]),
                k,
            )

    def _materialise(self, col: _Column) -> _Column:
        if col.demand_index is None:
            rows = np.flatnonzero(self._pair_j == col.initial)
            col.demand_index, col.weight = self._pair_i[rows], self._pair_w[rows]
        return col

    def _column_for(self, xy: np.ndarray, supply: float) -> _Column:
        pairs = self.engine.pairs(np.asarray(xy).reshape(1, 2), self.params.radius_m)
        w = self.decay.weights(pairs.distance)
        keep = w > 0
        i, w = pairs.demand_index[keep], w[keep]
        catch = float(np.dot(w, self.demand[i]))
        ratio = supply / catch if catch > 0 else 0.0
        cell = int(cell_index_of_points(self.cells, np.asarray(xy).reshape(1, 2))[0])
        return _Column(i, w, supply, catch, ratio, np.asarray(xy, dtype=float), cell)

    def _apply(self, col: _Column, sign: float) -> None:
        self._materialise(col)
        if len(col.demand_index) and col.ratio:
            np.add.at(self.accessibility, col.demand_index, sign * col.weight * col.ratio)

    # ------------------------------------------------------------------ what-if
    def add_facility(self, xy, capacity: float, facility_id: int | None = None) -> EquityResult:
        """Add a facility at ``xy`` (working CRS); new ids are negative unless given."""
        capacity = _check_capacity(capacity)
        if facility_id is None:
            facility_id = self._next_new_id
            self._next_new_id -= 1
        if facility_id in self.columns:
            raise AnalysisError(f"facility {facility_id} already exists")
        if self.engine is None:
            cell = int(cell_index_of_points(self.cells, np.asarray(xy).reshape(1, 2))[0])
            col = _Column(np.empty(0, np.int64), np.empty(0), capacity, 0, 0, np.asarray(xy), cell)
        else:
            col = self._column_for(xy, capacity)
            self._apply(col, +1.0)
        self.columns[int(facility_id)] = col
        return self.result()

    def remove_facility(self, facility_id: int) -> EquityResult:
        col = self._pop(facility_id)
        if self.engine is not None:
            self._apply(col, -1.0)
            np.maximum(self.accessibility, 0.0, out=self.accessibility)
        return self.result()

    def move_facility(self, facility_id: int, xy) -> EquityResult:
        col = self._pop(facility_id)
        if self.engine is not None:
            self._apply(col, -1.0)
            new = self._column_for(xy, col.supply)
            self._apply(new, +1.0)
            np.maximum(self.accessibility, 0.0, out=self.accessibility)
        else:
            cell = int(cell_index_of_points(self.cells, np.asarray(xy).reshape(1, 2))[0])
            new = replace(col, xy=np.asarray(xy, dtype=float), cell=cell)
        self.columns[int(facility_id)] = new
        return self.result()

    def set_capacity(self, facility_id: int, capacity: float) -> EquityResult:
        capacity = _check_capacity(capacity)
        col = self._pop(facility_id)
        if self.engine is not None:
            self._apply(col, -1.0)
            ratio = capacity / col.catchment_demand if col.catchment_demand > 0 else 0.0
            col = replace(col, supply=capacity, ratio=ratio)
            self._apply(col, +1.0)
            np.maximum(self.accessibility, 0.0, out=self.accessibility)
        else:
            col = replace(col, supply=capacity)
        self.columns[int(facility_id)] = col
        return self.result()

    def _pop(self, facility_id: int) -> _Column:
        try:
            return self.columns.pop(int(facility_id))
        except KeyError:
            raise AnalysisError(
                f"no {self.params.service} facility with id {facility_id}"
            ) from None

    # ------------------------------------------------------------------ result
    def result(self) -> EquityResult:
        t0 = time.perf_counter()
        p = self.params
        b = self.data.buildings
        cells = self.cells
        n_cells = 0 if cells is None else len(cells)
        ids = np.fromiter(self.columns.keys(), dtype=np.int64, count=len(self.columns))
        cols = list(self.columns.values())
        supply = np.array([c.supply for c in cols], dtype=np.float64)
        fcell = np.array([c.cell for c in cols], dtype=np.int64)
        fxy = np.array([c.xy for c in cols], dtype=np.float64).reshape(-1, 2)
        bc = self.building_cell
        in_cell = bc >= 0
        cell_demand = np.bincount(bc[in_cell], weights=self.demand[in_cell], minlength=n_cells)
        fin = fcell >= 0
        cell_supply = np.bincount(fcell[fin], weights=supply[fin], minlength=n_cells)
        if self.engine is None:
            cell_acc = np.divide(
                cell_supply, cell_demand, out=np.zeros(n_cells), where=cell_demand > 0
            )
            acc = np.where(in_cell, cell_acc[np.maximum(bc, 0)], 0.0)
            catch = np.where(fin, cell_demand[np.maximum(fcell, 0)], 0.0)
            ratio = np.divide(supply, catch, out=np.zeros(len(supply)), where=catch > 0)
            served = supply[catch > 0].sum()
        else:
            acc = self.accessibility
            weighted = np.bincount(
                bc[in_cell], weights=(self.demand * acc)[in_cell], minlength=n_cells
            )
            cell_acc = np.divide(
                weighted, cell_demand, out=np.zeros(n_cells), where=cell_demand > 0
            )
            catch = np.array([c.catchment_demand for c in cols], dtype=np.float64)
            ratio = np.array([c.ratio for c in cols], dtype=np.float64)
            served = supply[catch > 0].sum()
        cell_acc[cell_demand <= 0] = np.nan
        total_demand = float(self.demand.sum())
        threshold = float(p.threshold) if p.threshold is not None else float(served / total_demand)
        short = np.nan_to_num(threshold - cell_acc, nan=0.0)
        short[short <= 1e-9 * threshold] = 0.0  # equal up to rounding is not short
        supply_gap = cell_demand * short
        unmet = supply_gap / threshold if threshold > 0 else np.zeros(n_cells)
        people = self.demand > 0
        lx, ly = lorenz_curve(acc[people], self.demand[people])
        result = EquityResult(
            params=p,
            building_ids=b.ids,
            building_cell=bc,
            demand=self.demand,
            accessibility=acc.copy(),
            cell_ids=cells.ids if cells is not None else np.empty(0, np.int64),
            cell_codes=cells.codes if cells is not None else np.empty(0, str),
            cell_demand=cell_demand,
            cell_supply=cell_supply,
            cell_accessibility=cell_acc,
            cell_unmet_demand=unmet,
            cell_supply_gap=supply_gap,
            facility_ids=ids,
            facility_xy=fxy,
            facility_supply=supply,
            facility_catchment_demand=catch,
            facility_ratio=ratio,
            threshold=threshold,
            gini=gini(acc[people], self.demand[people]),
            theil=theil(acc[people], self.demand[people]),
            lorenz_x=lx,
            lorenz_y=ly,
            input_versions=self.input_versions,
            notes=list(self.notes),
        )
        result.elapsed_s = self._setup_s + (time.perf_counter() - t0)
        self._setup_s = 0.0  # a what-if reports its own time only
        self.feedback.progress(1.0, "done")
        return result


def _check_capacity(capacity: float) -> float:
    capacity = float(capacity)
    if not (np.isfinite(capacity) and capacity >= 0):
        raise AnalysisError(f"capacity must be a non-negative number, got {capacity:g}")
    return capacity


def _empty_facilities() -> Facilities:
    return Facilities(np.empty(0, np.int64), np.empty(0, str), np.empty(0), np.empty((0, 2)))


def run_equity(
    data: AnalysisData, params: EquityParams, feedback: Feedback | None = None
) -> EquityResult:
    """Run a service-equity analysis; see the module docstring for the methods.

    >>> # result = run_equity(load_data(store), EquityParams("clinic", "2sfca", 1000))
    """
    return EquityModel(data, params, feedback).result()


def facility_points(result: EquityResult) -> np.ndarray:
    """The result's facilities as shapely points (for layers and exports)."""
    return shapely.points(result.facility_xy)
