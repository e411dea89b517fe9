"""Snapping: the pointer lands exactly on a cell vertex, building corner, cell edge or street."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis_core.editing import AddVertex, SnapIndex

from .grids import at, grid_coverage


@pytest.fixture
def index():
    x, y = at(0.5, 0.5)
    house = shapely.box(x, y, x + 12, y + 8)
    street = shapely.LineString([at(0, 2.5), at(4, 2.5)])
    return SnapIndex((np.array([7]), np.array([house])), (np.array([3]), np.array([street])))


def test_snaps_to_the_shared_vertex_with_its_cells(index):
    cov = grid_coverage(edge_points=0)
    x, y = at(1, 1)
    s = index.snap(cov, (x + 0.4, y - 0.3), tolerance=1.0)
    assert s.kind == "vertex" and s.xy == (x, y) and set(s.cell_ids) == {1, 2, 5, 6}


def test_a_corner_beats_an_edge_and_an_edge_snap_can_take_a_vertex(index):
    cov = grid_coverage(edge_points=0)
    x, y = at(0.5, 0.5)
    s = index.snap(cov, (x + 0.5, y + 0.2), tolerance=1.0)
    assert s.kind == "corner" and s.xy == (x, y) and s.feature_id == 7
    ex, ey = at(1, 0.3)
    s = index.snap(cov, (ex + 0.6, ey), tolerance=1.0)
    assert s.kind == "edge" and s.xy == pytest.approx((ex, ey)) and set(s.cell_ids) == {1, 2}
    AddVertex(s.xy).apply(cov)  # an edge snap is exact enough to add a shared vertex there
    assert len(cov.vertex_owners((ex, ey))) == 2


def test_streets_and_nothing(index):
    cov = grid_coverage(edge_points=0)
    sx, sy = at(1.5, 2.5)
    s = index.snap(cov, (sx, sy + 0.7), tolerance=1.0)
    assert s.kind == "street" and s.xy == pytest.approx((sx, sy)) and s.feature_id == 3
    assert index.snap(cov, at(1.5, 1.5), tolerance=1.0) is None
    assert index.snap(cov, (sx, sy + 0.7), tolerance=1.0, kinds=("vertex",)) is None
