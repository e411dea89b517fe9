"""Snapping for the editing tools: the point under the pointer moves onto a cell vertex, a
building corner, a cell edge or a street line within a tolerance (the window converts its
tolerance in pixels to metres at the current scale).

Cell vertices and edges are read from the live :class:`Coverage` (always current, no index to
refresh after an edit). Buildings and streets go into STRtrees once — :meth:`SnapIndex.from_store`
takes a second or two on 1,000,000 buildings, so the window builds it off the GUI thread and
snaps without it until it is ready; a snap is then a few tree look-ups (well under a
millisecond).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from gis_core.editing.coverage import Coverage

__all__ = ["Snap", "SnapIndex", "SNAP_KINDS"]

SNAP_KINDS = ("vertex", "corner", "edge", "street")
"""What can be snapped to, in order of preference at equal distance: cell vertex, building
corner, cell edge, street line."""


@dataclass(frozen=True)
class Snap:
    """Where a point snapped: the kind of target, the exact coordinates, the cells whose vertex
    or edge it is (for cell targets), the building or street id, and the distance."""

    kind: str
    xy: tuple[float, float]
    distance: float
    cell_ids: tuple[int, ...] = ()
    feature_id: int | None = None


class SnapIndex:
    """Snap targets around a community's cells."""

    def __init__(
        self,
        buildings: tuple[np.ndarray, np.ndarray] | None = None,
        streets: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self._buildings = self._streets = None
        if buildings is not None and len(buildings[0]):
            ids, geoms = buildings
            self._buildings = (np.asarray(ids), np.asarray(geoms), shapely.STRtree(geoms))
        if streets is not None and len(streets[0]):
            ids, geoms = streets
            self._streets = (np.asarray(ids), np.asarray(geoms), shapely.STRtree(geoms))

    @classmethod
    def from_store(cls, store, bbox=None) -> SnapIndex:
        """Buildings and streets of the store (within ``bbox``, if given) — slow on big stores:
        call it off the GUI thread."""

        def load(kind):
            frame = store.query_all(kind) if bbox is None else store.query_bbox(kind, bbox)
            return frame.ids, frame.geometry

        return cls(load("buildings"), load("streets"))

    def snap(
        self,
        coverage: Coverage | None,
        xy,
        tolerance: float,
        kinds: tuple[str, ...] = SNAP_KINDS,
    ) -> Snap | None:
        """The nearest snap target within ``tolerance`` metres of ``xy``, or None. Vertices and
        corners win over edges and streets when both are within the tolerance (a corner is what
        the user aims at when the pointer is that close)."""
        x, y = float(xy[0]), float(xy[1])
        p = shapely.Point(x, y)
        found: list[Snap] = []
        if coverage is not None and ("vertex" in kinds or "edge" in kinds):
            found += _cell_targets(coverage, x, y, tolerance, kinds)
        if "corner" in kinds and self._buildings is not None:
            ids, geoms, tree = self._buildings
            hit = tree.query(p, predicate="dwithin", distance=tolerance)
            best = None
            for i in hit.tolist():
                c = shapely.get_coordinates(geoms[i])
                d = np.hypot(c[:, 0] - x, c[:, 1] - y)
                k = int(np.argmin(d))
                if d[k] <= tolerance and (best is None or d[k] < best.distance):
                    best = Snap(
                        "corner", (float(c[k, 0]), float(c[k, 1])), float(d[k]), (), int(ids[i])
                    )
            if best is not None:
                found.append(best)
        if "street" in kinds and self._streets is not None:
            ids, geoms, tree = self._streets
            hit = tree.query_nearest(p, max_distance=tolerance)
            if len(hit):
                i = int(hit[0])
                q = shapely.line_interpolate_point(geoms[i], shapely.line_locate_point(geoms[i], p))
                found.append(
                    Snap("street", (q.x, q.y), float(shapely.distance(p, q)), (), int(ids[i]))
                )
        if not found:
            return None
        points = [s for s in found if s.kind in ("vertex", "corner")]
        pool = points or found
        rank = {k: i for i, k in enumerate(SNAP_KINDS)}
        return min(pool, key=lambda s: (s.distance, rank[s.kind]))


def _cell_targets(coverage: Coverage, x: float, y: float, tol: float, kinds) -> list[Snap]:
    out: list[Snap] = []
    near = coverage.near((x, y, x, y), pad=tol)
    if not near:
        return out
    p = shapely.Point(x, y)
    best_v = None
    best_e = None
    for cid in near:
        g = coverage.geometry(cid)
        if "vertex" in kinds:
            c = shapely.get_coordinates(g)
            d = np.hypot(c[:, 0] - x, c[:, 1] - y)
            k = int(np.argmin(d))
            if d[k] <= tol and (best_v is None or d[k] < best_v[0] - 1e-12):
                best_v = (float(d[k]), (float(c[k, 0]), float(c[k, 1])))
        if "edge" in kinds:
            ring = g.boundary
            dist = shapely.distance(ring, p)
            if dist <= tol and (best_e is None or dist < best_e[0] - 1e-12):
                q = shapely.line_interpolate_point(ring, shapely.line_locate_point(ring, p))
                best_e = (float(dist), (q.x, q.y))
    if best_v is not None:
        owners = tuple(c for c in coverage.vertex_owners(best_v[1]) if c > 0 or c < 0)
        out.append(Snap("vertex", best_v[1], best_v[0], owners))
    if best_e is not None:
        owners = tuple(c for c in coverage.edge_owners(best_e[1]) if c != 0)
        out.append(Snap("edge", best_e[1], best_e[0], owners))
    return out
