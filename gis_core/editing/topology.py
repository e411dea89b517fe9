"""Vertex-level surgery on polygon rings: move, insert and delete shared vertices, and conform
overlay results to their neighbours so that shared edges match vertex for vertex.

Every function returns new shapely geometries and leaves its inputs untouched (undo keeps the
old objects). Coordinates within ``tol`` of each other are one vertex.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely import MultiPolygon, Polygon

__all__ = [
    "polygon_parts",
    "rings",
    "map_rings",
    "vertices",
    "has_vertex",
    "move_vertices",
    "insert_vertices",
    "delete_vertex",
    "segments_with",
    "conform",
]

Ring = np.ndarray  # (n, 2) float64, closed (first row == last row)


def polygon_parts(geom) -> list[Polygon]:
    """The polygons of a Polygon or MultiPolygon (empty list for anything else or empty)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]


def rings(geom) -> list[Ring]:
    """Every ring (shells and holes, part by part) as a closed (n, 2) coordinate array."""
    out = []
    for part in polygon_parts(geom):
        out.append(np.asarray(part.exterior.coords)[:, :2])
        out.extend(np.asarray(r.coords)[:, :2] for r in part.interiors)
    return out


def map_rings(geom, func: Callable[[Ring], Ring]):
    """``geom`` with ``func`` applied to each ring (same type; a ring whose result has fewer than
    four coordinates is dropped if it is a hole and empties its polygon if it is a shell)."""
    parts = []
    for part in polygon_parts(geom):
        shell = _close(func(np.asarray(part.exterior.coords)[:, :2]))
        if len(shell) < 4:
            continue
        holes = [_close(func(np.asarray(r.coords)[:, :2])) for r in part.interiors]
        parts.append(Polygon(shell, [h for h in holes if len(h) >= 4]))
    if isinstance(geom, MultiPolygon):
        return MultiPolygon(parts)
    return parts[0] if parts else Polygon()


def vertices(geom) -> np.ndarray:
    """Distinct vertices of a geometry (closing points dropped), as (n, 2)."""
    out = [r[:-1] for r in rings(geom)]
    return np.concatenate(out) if out else np.empty((0, 2))


def has_vertex(geom, xy: Sequence[float], tol: float) -> bool:
    coords = shapely.get_coordinates(geom)
    if not len(coords):
        return False
    d = np.hypot(coords[:, 0] - xy[0], coords[:, 1] - xy[1])
    return bool((d <= tol).any())


def move_vertices(geom, src: np.ndarray, dst: np.ndarray, tol: float):
    """``geom`` with every vertex within ``tol`` of ``src[i]`` placed exactly at ``dst[i]``.

    Returns (geometry, moved?) — the input object itself when nothing was near.
    """
    coords = shapely.get_coordinates(geom)
    new = coords.copy()
    moved = False
    for s, d in zip(np.atleast_2d(src), np.atleast_2d(dst)):
        hit = np.hypot(coords[:, 0] - s[0], coords[:, 1] - s[1]) <= tol
        if hit.any():
            new[hit] = d
            moved = True
    if not moved:
        return geom, False
    out = np.array([geom], dtype=object)
    return shapely.set_coordinates(out, new)[0], True


def _close(ring: Ring) -> Ring:
    ring = _dedupe(ring)
    if len(ring) and not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return ring


def _dedupe(ring: Ring) -> Ring:
    if len(ring) < 2:
        return ring
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
    return ring[keep]


def _insert_into_ring(ring: Ring, points: np.ndarray, tol: float) -> Ring:
    """Insert each point that lies within ``tol`` of a segment's interior (and is not already a
    vertex of the ring) into that segment, in order along it."""
    if not len(points) or len(ring) < 2:
        return ring
    lo, hi = ring.min(axis=0) - tol, ring.max(axis=0) + tol
    inside = np.all((points >= lo) & (points <= hi), axis=1)
    pts = points[inside]
    if not len(pts):
        return ring
    vdist = np.hypot(pts[:, None, 0] - ring[None, :, 0], pts[:, None, 1] - ring[None, :, 1])
    pts = pts[(vdist > tol).all(axis=1)]
    if not len(pts):
        return ring
    a, b = ring[:-1], ring[1:]
    ab = b - a
    len2 = np.einsum("ij,ij->i", ab, ab)
    len2[len2 == 0] = np.inf
    ap = pts[None, :, :] - a[:, None, :]  # (segments, points, 2)
    t = np.einsum("spk,sk->sp", ap, ab) / len2[:, None]
    proj = a[:, None, :] + t[..., None] * ab[:, None, :]
    dist = np.hypot(*(pts[None, :, :] - proj).transpose(2, 0, 1))
    on = (t > 0) & (t < 1) & (dist <= tol)
    if not on.any():
        return ring
    # A point near two segments (at a sharp corner) goes into the nearer one only.
    dist_on = np.where(on, dist, np.inf)
    best = np.argmin(dist_on, axis=0)
    pieces = [ring[:1]]
    for s in range(len(a)):
        sel = np.flatnonzero(on[s] & (best == s))
        if len(sel):
            order = np.argsort(t[s, sel], kind="stable")
            pieces.append(pts[sel[order]])
        pieces.append(ring[s + 1 : s + 2])
    return np.concatenate(pieces)


def insert_vertices(geom, points: np.ndarray, tol: float):
    """``geom`` with each of ``points`` that lies on one of its edges (within ``tol``) inserted
    as a vertex there. Returns (geometry, changed?)."""
    points = np.atleast_2d(np.asarray(points, dtype=float))
    before = shapely.get_num_coordinates(geom)
    new = map_rings(geom, lambda r: _insert_into_ring(r, points, tol))
    if shapely.get_num_coordinates(new) == before:
        return geom, False
    return new, True


def delete_vertex(geom, xy: Sequence[float], tol: float):
    """``geom`` without its vertex at ``xy``. Returns (geometry, changed?)."""
    p = np.asarray(xy, dtype=float)

    def drop(ring: Ring) -> Ring:
        open_ = ring[:-1]
        keep = np.hypot(open_[:, 0] - p[0], open_[:, 1] - p[1]) > tol
        if keep.all():
            return ring
        kept = open_[keep]
        return np.vstack([kept, kept[:1]]) if len(kept) else kept

    before = shapely.get_num_coordinates(geom)
    new = map_rings(geom, drop)
    if shapely.get_num_coordinates(new) == before and not new.is_empty:
        return geom, False
    return new, True


def segments_with(geom, a: Sequence[float], b: Sequence[float], tol: float) -> bool:
    """Whether ``a``–``b`` is an edge (consecutive vertices, either direction) of ``geom``."""
    pa, pb = np.asarray(a, float), np.asarray(b, float)
    for ring in rings(geom):
        near_a = np.hypot(ring[:, 0] - pa[0], ring[:, 1] - pa[1]) <= tol
        near_b = np.hypot(ring[:, 0] - pb[0], ring[:, 1] - pb[1]) <= tol
        if (near_a[:-1] & near_b[1:]).any() or (near_b[:-1] & near_a[1:]).any():
            return True
    return False


def conform(geoms: Sequence, fixed: np.ndarray, tol: float) -> list:
    """Make the polygons of ``geoms`` share vertices exactly, as a coverage needs.

    Overlay results carry computed intersection points a few ulps away from each other and from
    the vertices of untouched neighbours. Each vertex within ``tol`` of a ``fixed`` vertex (the
    vertices that must not move: untouched neighbours, the community boundary) is set exactly to
    it; the remaining vertices within ``tol`` of each other are merged into the first of them;
    then every vertex that lies on another polygon's edge is inserted into that edge.
    """
    fixed = np.asarray(fixed, dtype=float).reshape(-1, 2)
    coords = [shapely.get_coordinates(g) for g in geoms]
    allc = np.concatenate(coords) if coords else np.empty((0, 2))
    if not len(allc):
        return list(geoms)
    target = allc.copy()
    if len(fixed):
        d, j = cKDTree(fixed).query(allc, distance_upper_bound=tol)
        snapped = np.isfinite(d)
        target[snapped] = fixed[j[snapped]]
    else:
        snapped = np.zeros(len(allc), dtype=bool)
    free = np.flatnonzero(~snapped)
    if len(free) > 1:
        pairs = cKDTree(allc[free]).query_pairs(tol, output_type="ndarray")
        if len(pairs):
            parent = np.arange(len(free))

            def find(i: int) -> int:
                while parent[i] != i:
                    parent[i] = parent[parent[i]]
                    i = parent[i]
                return i

            for i, j in pairs:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
            roots = np.array([find(i) for i in range(len(free))])
            target[free] = allc[free[roots]]
    out = []
    start = 0
    for g, c in zip(geoms, coords):
        n = len(c)
        mine = target[start : start + n]
        start += n
        if n and not np.array_equal(mine, c):
            g = shapely.set_coordinates(np.array([g], dtype=object), mine)[0]
            g = map_rings(g, lambda r: r)  # drop repeated points created by snapping
        out.append(g)
    reference = np.unique(np.concatenate([target, fixed]) if len(fixed) else target, axis=0)
    return [insert_vertices(g, reference, tol)[0] for g in out]
