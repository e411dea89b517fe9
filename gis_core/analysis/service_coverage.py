"""Service coverage: who lives within D metres of a facility of a kind, and walk-time isochrones.

For each building the distance to its nearest facility of the kind (straight line or along the
streets, bounded multi-source Dijkstra), the residents of the demand group covered within the
radius, uncovered residents per grid cell, and isochrone polygons (the area within 5, 10, 15 …
minutes' walk of a facility: reachable street pieces buffered by ``isochrone_buffer_m`` for the
network, circles for straight lines).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

import numpy as np
import shapely

from gis_core.analysis.data import AnalysisData, cell_index_of_points, demand_group_for
from gis_core.analysis.distance import NetworkDistance, make_distance_engine
from gis_core.analysis.equity import validate_service
from gis_core.analysis.feedback import AnalysisError, Feedback, check_cancel, ensure_feedback

__all__ = ["ServiceCoverageParams", "ServiceCoverageResult", "run_service_coverage"]


@dataclass(frozen=True)
class ServiceCoverageParams:
    service: str
    radius_m: float = 500.0
    distance: Literal["straight", "network"] = "straight"
    demand_group: str | None = None
    isochrone_minutes: tuple[float, ...] = (5.0, 10.0, 15.0)
    walk_speed_m_per_min: float = 80.0  # 4.8 km/h
    isochrone_buffer_m: float = 30.0  # how far from the street centreline a walk reaches

    def validated(self) -> ServiceCoverageParams:
        validate_service(self.service)
        if not (np.isfinite(self.radius_m) and self.radius_m > 0):
            raise AnalysisError(
                f"the radius must be a positive distance in metres, got {self.radius_m:g}"
            )
        if self.distance not in ("straight", "network"):
            raise AnalysisError(
                f"unknown distance {self.distance!r}; choose 'straight' or 'network'"
            )
        if any(not (m > 0) for m in self.isochrone_minutes):
            raise AnalysisError("isochrone times must be positive minutes")
        if not (self.walk_speed_m_per_min > 0):
            raise AnalysisError("the walking speed must be positive")
        if not (self.isochrone_buffer_m >= 0):
            raise AnalysisError("the isochrone buffer must not be negative")
        return replace(
            self,
            demand_group=demand_group_for(self.service, self.demand_group),
            isochrone_minutes=tuple(sorted(float(m) for m in self.isochrone_minutes)),
        )

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ServiceCoverageResult:
    params: ServiceCoverageParams
    building_ids: np.ndarray
    building_cell: np.ndarray
    demand: np.ndarray
    nearest_distance: np.ndarray  # inf beyond the radius
    nearest_facility: np.ndarray  # facility id, -1 beyond the radius
    covered: np.ndarray
    cell_ids: np.ndarray
    cell_codes: np.ndarray
    cell_demand: np.ndarray
    cell_covered: np.ndarray
    cell_uncovered: np.ndarray
    facility_ids: np.ndarray
    facility_xy: np.ndarray
    isochrone_minutes: np.ndarray
    isochrones: np.ndarray  # polygons, one per band (cumulative: 10 min contains 5 min)
    input_versions: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    kind: str = "coverage_service"

    @property
    def cell_covered_share(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.cell_demand > 0, self.cell_covered / self.cell_demand, np.nan)

    def summary(self) -> dict:
        total = float(self.demand.sum())
        covered = float(self.demand[self.covered].sum())
        return {
            "service": self.params.service,
            "distance": self.params.distance,
            "radius_m": self.params.radius_m,
            "demand_group": self.params.demand_group,
            "facilities": int(len(self.facility_ids)),
            "demand": total,
            "covered_demand": covered,
            "uncovered_demand": total - covered,
            "covered_share": covered / total if total else float("nan"),
            "buildings": int(len(self.building_ids)),
            "buildings_covered": int(self.covered.sum()),
            "isochrone_area_m2": {
                f"{m:g} min": float(shapely.area(g))
                for m, g in zip(self.isochrone_minutes, self.isochrones)
            },
            "elapsed_s": self.elapsed_s,
        }

    def cell_metrics(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {
            "demand": (self.cell_ids, self.cell_demand),
            "covered_demand": (self.cell_ids, self.cell_covered),
            "uncovered_demand": (self.cell_ids, self.cell_uncovered),
            "covered_share": (self.cell_ids, self.cell_covered_share),
        }

    @property
    def ranked_cells(self) -> list[dict]:
        order = np.argsort(-self.cell_uncovered, kind="stable")
        return [
            {
                "rank": r + 1,
                "cell_id": int(self.cell_ids[k]),
                "code": str(self.cell_codes[k]),
                "demand": float(self.cell_demand[k]),
                "uncovered_demand": float(self.cell_uncovered[k]),
                "covered_share": float(self.cell_covered_share[k]),
            }
            for r, k in enumerate(order)
            if self.cell_uncovered[k] > 0
        ]


def run_service_coverage(
    data: AnalysisData, params: ServiceCoverageParams, feedback: Feedback | None = None
) -> ServiceCoverageResult:
    """Coverage of the residents by facilities of one kind within ``radius_m``."""
    t0 = time.perf_counter()
    fb = ensure_feedback(feedback)
    p = params.validated()
    if data.buildings is None or len(data.buildings) == 0:
        raise AnalysisError("the store has no buildings; import or generate buildings first")
    demand = data.demand(p.demand_group)  # type: ignore[arg-type]
    if demand.sum() <= 0:
        raise AnalysisError(f"no residents in the demand group {p.demand_group!r}")
    fac = data.facilities.of_kind(p.service) if data.facilities is not None else None
    if fac is None or len(fac) == 0:
        raise AnalysisError(f"empty supply: the store has no {p.service} facilities")
    b = data.buildings
    fb.progress(0.05, "distance structure")
    engine = make_distance_engine(p.distance, b.xy, data.streets)
    check_cancel(fb)
    iso_m = np.array(p.isochrone_minutes) * p.walk_speed_m_per_min
    reach = max(p.radius_m, float(iso_m.max()) if len(iso_m) else 0.0)
    fb.progress(0.3, "nearest facility")
    dist, idx = engine.nearest(fac.xy, p.radius_m)
    covered = np.isfinite(dist) & (dist <= p.radius_m)
    nearest_id = np.where(covered, fac.ids[np.maximum(idx, 0)], -1)
    check_cancel(fb)
    fb.progress(0.5, "isochrones")
    if isinstance(engine, NetworkDistance) and len(iso_m):
        isochrones = _network_isochrones(engine, fac.xy, iso_m, p.isochrone_buffer_m)
    else:
        pts = shapely.points(fac.xy)
        isochrones = np.array(
            [shapely.union_all(shapely.buffer(pts, r, quad_segs=16)) for r in iso_m], dtype=object
        )
    cells = data.cells
    n_cells = 0 if cells is None else len(cells)
    bc = cell_index_of_points(cells, b.xy, b.cell_ids)
    inside = bc >= 0
    cell_demand = np.bincount(bc[inside], weights=demand[inside], minlength=n_cells)
    cell_cov = np.bincount(bc[inside], weights=(demand * covered)[inside], minlength=n_cells)
    notes = []
    if reach > p.radius_m and p.distance == "straight":
        notes.append("isochrones are straight-line circles; use network distances for walking")
    fb.progress(1.0, "done")
    return ServiceCoverageResult(
        params=p,
        building_ids=b.ids,
        building_cell=bc,
        demand=demand,
        nearest_distance=dist,
        nearest_facility=nearest_id,
        covered=covered,
        cell_ids=cells.ids if cells is not None else np.empty(0, np.int64),
        cell_codes=cells.codes if cells is not None else np.empty(0, str),
        cell_demand=cell_demand,
        cell_covered=cell_cov,
        cell_uncovered=cell_demand - cell_cov,
        facility_ids=fac.ids,
        facility_xy=fac.xy,
        isochrone_minutes=np.array(p.isochrone_minutes),
        isochrones=isochrones,
        input_versions=data.input_versions(),
        notes=notes,
        elapsed_s=time.perf_counter() - t0,
    )


def _network_isochrones(
    engine: NetworkDistance, supply_xy: np.ndarray, bands_m: np.ndarray, buffer_m: float
) -> np.ndarray:
    """Street pieces within each walking distance of the nearest facility, buffered and merged."""
    g = engine.graph
    nodes = engine.supply_nodes(supply_xy)
    dist, _ = g.nearest_from(nodes, float(bands_m.max()))
    coo = g.csr().tocoo()
    u, v, w = coo.row, coo.col, coo.data
    # Street edges only: connectors lead to doors, not along streets.
    access = np.zeros(g.n_nodes, dtype=bool)
    access[g.extra_u] = True
    street = ~access[u] & ~access[v]
    u, v, w = u[street], v[street], w[street]
    du, dv = dist[u], dist[v]
    pu, pv = g.node_xy[u], g.node_xy[v]
    out = []
    for band in bands_m:  # a handful of bands; each is vectorised over all edges
        with np.errstate(invalid="ignore"):
            fu = np.clip(np.nan_to_num((band - du) / w, nan=0.0, neginf=0.0), 0.0, 1.0)
            fv = np.clip(np.nan_to_num((band - dv) / w, nan=0.0, neginf=0.0), 0.0, 1.0)
        whole = fu + fv >= 1.0
        pieces = [
            np.stack([pu[whole], pv[whole]], axis=1),
            np.stack([pu[~whole & (fu > 0)], (pu + (pv - pu) * fu[:, None])[~whole & (fu > 0)]], 1),
            np.stack([pv[~whole & (fv > 0)], (pv + (pu - pv) * fv[:, None])[~whole & (fv > 0)]], 1),
        ]
        segs = np.concatenate(pieces)
        if len(segs) == 0:
            out.append(shapely.Polygon())
            continue
        lines = shapely.linestrings(segs)
        # Merge the chained pieces back into long lines: buffering many collinear bits is slow.
        merged = shapely.line_merge(shapely.union_all(lines))
        area = shapely.buffer(merged, max(buffer_m, 0.01), quad_segs=4)
        out.append(area)
    return np.array(out, dtype=object)
