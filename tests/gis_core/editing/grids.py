"""Small generated coverages for the editing tests, in real EPSG:4545 coordinates."""

from __future__ import annotations

import numpy as np
import shapely

from gis_core.editing import Coverage, Rules, regular_grid

X0, Y0 = 564000.0, 3800000.0
STEP = 100.0


def grid_coverage(nx: int = 4, ny: int = 4, edge_points: int = 1, features=None) -> Coverage:
    """``nx`` × ``ny`` cells of 100 m with ``edge_points`` extra shared vertices on each side."""
    bounds = (X0, Y0, X0 + nx * STEP, Y0 + ny * STEP)
    ids, polys, attrs = regular_grid(bounds, nx, ny, edge_points=edge_points)
    return Coverage(
        dict(zip(ids.tolist(), polys)),
        dict(zip(ids.tolist(), attrs)),
        shapely.box(*bounds),
        community_id=1,
        community_code="610402-001",
        rules=Rules(min_area=100.0, min_width=3.0),
        features=features,
    )


def at(i: float, j: float) -> tuple[float, float]:
    """The lattice point i steps east and j steps north of the grid's corner."""
    return (X0 + i * STEP, Y0 + j * STEP)


def snapshot(coverage: Coverage) -> tuple[dict[int, bytes], dict[int, object], bytes]:
    """Every cell's exact WKB and attributes, and the boundary's — for exact comparisons."""
    ids, geoms = coverage.arrays()
    wkb = dict(zip(ids.tolist(), shapely.to_wkb(geoms).tolist()))
    attrs = {i: coverage.attributes(i) for i in ids.tolist()}
    return wkb, attrs, shapely.to_wkb(coverage.boundary)


def assert_valid_coverage(coverage: Coverage) -> None:
    """The coverage invariants, checked with shapely directly (not with the editor's rules)."""
    ids, geoms = coverage.arrays()
    assert all(g.geom_type == "Polygon" and g.is_valid for g in geoms), (
        "a cell is not a valid polygon"
    )
    assert shapely.coverage_is_valid(geoms), "cells overlap or shared edges do not match"
    union = shapely.coverage_union_all(geoms)
    diff = shapely.symmetric_difference(union, coverage.boundary).area
    assert diff < 1e-2, f"cells and boundary differ by {diff} m²"
    assert np.all(shapely.area(geoms) >= coverage.rules.min_area - 1e-6)
    codes = [coverage.attributes(i).code for i in ids.tolist()]
    assert len(set(codes)) == len(codes), "duplicate cell codes"
