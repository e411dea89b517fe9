"""Small synthetic communities for the analysis tests (no store, no demo generator needed)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely

from gis_core.analysis.data import (
    AnalysisData,
    Buildings,
    Cameras,
    Facilities,
    GridCells,
    Residents,
)

REF = dt.date(2026, 1, 1)


def street_grid(n: int = 6, spacing: float = 200.0) -> np.ndarray:
    """An n × n block street grid as line strings (one per street)."""
    lo, hi = 0.0, n * spacing
    lines = [shapely.LineString([(k * spacing, lo), (k * spacing, hi)]) for k in range(n + 1)]
    lines += [shapely.LineString([(lo, k * spacing), (hi, k * spacing)]) for k in range(n + 1)]
    return np.array(lines, dtype=object)


def community(
    n_buildings: int = 600,
    n_facilities: int = 12,
    residents_per_building: float = 6.0,
    extent: float = 1200.0,
    cells: int = 3,
    seed: int = 7,
    kinds: tuple[str, ...] = ("clinic",),
) -> AnalysisData:
    """Buildings scattered over a square with a street grid, a cells × cells grid of cells."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(20, extent - 20, (n_buildings, 2))
    # Keep buildings off the street centrelines (every 200 m) so footprints do not cover them.
    xy = np.floor(xy / 200.0) * 200.0 + np.clip(xy % 200.0, 25.0, 175.0)
    size = rng.uniform(6, 14, n_buildings)
    fp = shapely.box(xy[:, 0] - size, xy[:, 1] - size, xy[:, 0] + size, xy[:, 1] + size)
    step = extent / cells
    cell_geoms, codes = [], []
    for r in range(cells):
        for c in range(cells):
            cell_geoms.append(shapely.box(c * step, r * step, (c + 1) * step, (r + 1) * step))
            codes.append(f"610402-001-{r * cells + c + 1:02d}")
    cell_ids = np.arange(1, cells * cells + 1)
    col = np.minimum((xy[:, 0] // step).astype(int), cells - 1)
    row = np.minimum((xy[:, 1] // step).astype(int), cells - 1)
    b_cells = cell_ids[row * cells + col]
    n_res = rng.poisson(residents_per_building, n_buildings)
    res_b = np.repeat(np.arange(n_buildings), n_res)
    age = rng.uniform(0, 95, len(res_b))
    fac_xy = rng.uniform(50, extent - 50, (n_facilities * len(kinds), 2))
    fac_kinds = np.repeat(np.array(kinds), n_facilities)
    return AnalysisData(
        buildings=Buildings(np.arange(1, n_buildings + 1) * 10, fp, b_cells),
        residents=Residents(res_b, age),
        facilities=Facilities(
            np.arange(1, len(fac_xy) + 1) + 1000,
            fac_kinds,
            rng.integers(20, 200, len(fac_xy)).astype(float),
            fac_xy,
        ),
        cells=GridCells(cell_ids, np.array(codes), np.array(cell_geoms, dtype=object)),
        streets=street_grid(int(extent // 200), 200.0),
        cameras=Cameras(np.arange(1, 1), np.empty((0, 2)), np.empty(0), np.empty(0), np.empty(0)),
        community=shapely.box(0, 0, extent, extent),
        srid=4545,
        reference_date=REF,
    )


def populate(store, data: AnalysisData, cameras: int = 12, seed: int = 1) -> None:
    """Write a synthetic community into a store (one transaction per layer kind)."""
    rng = np.random.default_rng(seed)
    b, c, f, r = data.buildings, data.cells, data.facilities, data.residents
    with store.begin() as conn:
        store.bulk_insert(
            "communities",
            {"id": [1], "code": ["610402-001"], "name": ["测试社区"]},
            np.array([shapely.MultiPolygon([data.community])], dtype=object),
            conn=conn,
        )
        store.bulk_insert(
            "grid_cells",
            {
                "id": c.ids,
                "community_id": np.ones(len(c), dtype=int),
                "code": c.codes,
                "name": [f"网格 {k}" for k in range(len(c))],
                "version": np.ones(len(c), dtype=int),
            },
            c.geometry,
            conn=conn,
        )
        store.bulk_insert(
            "streets",
            {"name": [f"路{k}" for k in range(len(data.streets))]},
            data.streets,
            conn=conn,
        )
        store.bulk_insert(
            "buildings",
            {"id": b.ids, "grid_cell_id": b.cell_ids, "use": ["residential"] * len(b)},
            b.footprints,
            conn=conn,
        )
        births = np.datetime64(REF.isoformat()) - (r.age * 365.25).astype("timedelta64[D]")
        births = births - np.timedelta64(1, "D")  # strictly before the birthday anniversary
        store.bulk_insert(
            "residents",
            {
                "building_id": b.ids[r.building_index],
                "grid_cell_id": b.cell_ids[r.building_index],
                "birth_date": [dt.date.fromisoformat(str(d)) for d in births],
            },
            conn=conn,
        )
        store.bulk_insert(
            "facilities",
            {
                "id": f.ids,
                "kind": f.kinds,
                "name": [f"设施{k}" for k in range(len(f))],
                "capacity": f.capacity,
            },
            shapely.points(f.xy),
            conn=conn,
        )
        xy = rng.uniform(100, 1100, (cameras, 2))
        store.bulk_insert(
            "cameras",
            {
                "code": [f"CAM-{k:03d}" for k in range(cameras)],
                "heading_deg": rng.uniform(0, 360, cameras),
                "fov_deg": np.full(cameras, 90.0),
                "range_m": np.full(cameras, 60.0),
            },
            shapely.points(xy),
            conn=conn,
        )
