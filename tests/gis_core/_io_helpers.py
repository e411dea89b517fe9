"""Shared fixtures data for the import/export tests: a small community with four grid cells near
Xianyang (108.70°E, 34.33°N) and building footprints inside it, in any CRS."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, box

from gis_core import schema
from gis_core.crs import transform_geometries, transformer

LON0, LAT0 = 108.70, 34.33
CELL = 200.0  # metres


def origin(srid: int = 4545) -> tuple[float, float]:
    x, y = transformer("EPSG:4326", f"EPSG:{srid}").transform(LON0, LAT0)
    return float(x), float(y)


def seed_cells(store) -> dict[str, object]:
    """One community (400 m square) split into a 2×2 grid of cells; returns their geometries."""
    x0, y0 = origin(store.srid)
    community = box(x0, y0, x0 + 2 * CELL, y0 + 2 * CELL)
    store.bulk_insert(
        "communities",
        {"code": ["610402-001"], "name": ["测试社区"]},
        np.array([MultiPolygon([community])], dtype=object),
    )
    cells, codes = [], []
    for j in range(2):
        for i in range(2):
            cells.append(
                box(x0 + i * CELL, y0 + j * CELL, x0 + (i + 1) * CELL, y0 + (j + 1) * CELL)
            )
            codes.append(f"610402-001-0{len(codes) + 1}")
    store.bulk_insert(
        "grid_cells",
        {"code": codes, "name": [f"第{k}网格" for k in range(1, 5)], "community_id": [1] * 4},
        np.array(cells, dtype=object),
    )
    return {"origin": (x0, y0), "cells": cells, "codes": codes}


def footprints(n: int, srid: int = 4545, size: float = 12.0) -> np.ndarray:
    """``n`` square footprints in the working CRS, spread over the four cells, none on an edge."""
    x0, y0 = origin(srid)
    k = int(np.ceil(np.sqrt(n)))
    step = 2 * CELL / k
    out = []
    for idx in range(n):
        i, j = idx % k, idx // k
        cx = x0 + (i + 0.5) * step
        cy = y0 + (j + 0.5) * step
        # keep clear of cell edges (multiples of CELL from the origin)
        if abs((cx - x0) % CELL) < size:
            cx += size
        if abs((cy - y0) % CELL) < size:
            cy += size
        out.append(box(cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2))
    return np.array(out, dtype=object)


def points(n: int, srid: int = 4545) -> np.ndarray:
    return shapely.centroid(footprints(n, srid))


def to_crs(geoms: np.ndarray, crs: str, srid: int = 4545) -> np.ndarray:
    return transform_geometries(geoms, f"EPSG:{srid}", crs)


def snapshot(store) -> dict[str, object]:
    """What a user would see change: row counts and recorded extents of every kind."""
    out: dict[str, object] = {}
    for kind in schema.KINDS:
        out[kind] = store.count(kind)
        if kind in schema.GEOMETRY_TYPES:
            out[f"{kind}.extent"] = store.extent(kind)
    return out
