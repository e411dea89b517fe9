"""A regular grid of cells over a rectangle: a starting coverage for a new community, and the
generated grids of the editing tests and benchmark."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from gis_core.editing.codes import CellAttributes

__all__ = ["regular_grid"]


def regular_grid(
    bounds: Sequence[float],
    nx: int,
    ny: int,
    community_code: str = "610402-001",
    community_name: str = "文汇社区",
    first_id: int = 1,
    edge_points: int = 0,
) -> tuple[np.ndarray, np.ndarray, list[CellAttributes]]:
    """``nx`` × ``ny`` rectangular cells covering ``bounds`` exactly: (ids, polygons, attributes).

    Neighbours share their corner vertices exactly, so the cells form a valid coverage; with
    ``edge_points`` > 0 each side also carries that many evenly spaced vertices (shared too).
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    xs = np.linspace(minx, maxx, nx * (edge_points + 1) + 1)
    ys = np.linspace(miny, maxy, ny * (edge_points + 1) + 1)
    k = edge_points + 1
    steps = np.arange(k)
    # Ring walk of one cell in lattice steps: south edge east, east edge north, north edge
    # west, west edge south.
    di = np.concatenate([steps, np.full(k, k), k - steps, np.zeros(k, int), [0]])
    dj = np.concatenate([np.zeros(k, int), steps, np.full(k, k), k - steps, [0]])
    col, row = (a.ravel() for a in np.meshgrid(np.arange(nx), np.arange(ny)))
    xi = col[:, None] * k + di[None, :]
    yj = row[:, None] * k + dj[None, :]
    polys = shapely.polygons(np.stack([xs[xi], ys[yj]], -1))
    n = nx * ny
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    width = max(2, len(str(n)))
    attrs = [
        CellAttributes(
            code=f"{community_code}-{i + 1:0{width}d}",
            name=f"{community_name}第{i + 1}网格",
            worker_name=None,
            supervisor=None,
        )
        for i in range(n)
    ]
    return ids, polys, attrs
