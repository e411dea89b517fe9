"""Demand–supply distances within a radius: straight line (cKDTree) or along the street network.

Both engines answer the same two questions, vectorised over all points:

- ``pairs(supply_xy, radius)``: every (demand, supply, distance) with distance ≤ radius, as
  :class:`DistancePairs` (sparse; what the floating-catchment methods and the siting models use);
- ``nearest(supply_xy, radius)``: the distance to, and index of, the nearest supply point of each
  demand point (``inf`` / -1 beyond the radius; what service coverage uses).

The network engine builds an undirected graph from street centrelines: nodes at segment ends
(intersections are noded), plus an *access node* for each demand or supply point joined by a
connector edge to its projection on the nearest street segment. Several points projecting onto one
segment are chained in order along it, so distances between them are exact. Shortest paths are
``scipy.sparse.csgraph.dijkstra`` bounded by ``limit=radius`` — from all sources at once
(``min_only``) for the nearest facility, or per source in chunks for pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from gis_core.analysis.feedback import AnalysisError, Feedback, check_cancel, ensure_feedback

__all__ = [
    "DistancePairs",
    "StraightLineDistance",
    "StreetGraph",
    "NetworkDistance",
    "make_distance_engine",
]

_ZERO_EDGE = 1e-9  # csgraph drops explicit zeros in some conversions; a zero-length edge gets this
_CHUNK = 64  # Dijkstra sources per batch: bounds the (chunk × nodes) distance block in memory


@dataclass(frozen=True)
class DistancePairs:
    """Sparse demand × supply distances (metres), only pairs within the radius (in no order)."""

    demand_index: np.ndarray
    supply_index: np.ndarray
    distance: np.ndarray
    n_demand: int
    n_supply: int
    radius: float

    def __len__(self) -> int:
        return len(self.distance)

    def matrix(self, values: np.ndarray | None = None) -> sparse.csr_matrix:
        """A CSR demand × supply matrix of ``values`` (default the distances) at the pairs."""
        data = self.distance if values is None else values
        return sparse.csr_matrix(
            (data, (self.demand_index, self.supply_index)), shape=(self.n_demand, self.n_supply)
        )


def _check_radius(radius: float) -> float:
    radius = float(radius)
    if not np.isfinite(radius) or radius <= 0:
        raise AnalysisError(f"the radius must be a positive distance in metres, got {radius:g}")
    return radius


def _as_xy(xy, what: str) -> np.ndarray:
    arr = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    if not np.all(np.isfinite(arr)):
        raise AnalysisError(f"{what} have missing or non-finite coordinates")
    return arr


class StraightLineDistance:
    """Euclidean distances in the working CRS (metres) from a KD-tree of the demand points."""

    mode = "straight"

    def __init__(self, demand_xy: np.ndarray):
        self.demand_xy = _as_xy(demand_xy, "demand points")
        self.tree = cKDTree(self.demand_xy)

    @property
    def n_demand(self) -> int:
        return len(self.demand_xy)

    def pairs(
        self, supply_xy: np.ndarray, radius: float, feedback: Feedback | None = None
    ) -> DistancePairs:
        radius = _check_radius(radius)
        supply_xy = _as_xy(supply_xy, "facilities")
        if len(supply_xy) == 0 or self.n_demand == 0:
            empty = np.empty(0, dtype=np.int64)
            return DistancePairs(empty, empty, np.empty(0), self.n_demand, len(supply_xy), radius)
        # 'ndarray' output keeps zero distances (a facility inside a building's centroid).
        m = cKDTree(supply_xy).sparse_distance_matrix(self.tree, radius, output_type="ndarray")
        return DistancePairs(m["j"], m["i"], m["v"], self.n_demand, len(supply_xy), radius)

    def nearest(
        self, supply_xy: np.ndarray, radius: float, feedback: Feedback | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        radius = _check_radius(radius)
        supply_xy = _as_xy(supply_xy, "facilities")
        if len(supply_xy) == 0:
            return np.full(self.n_demand, np.inf), np.full(self.n_demand, -1, dtype=np.int64)
        # The KD-tree's bound is strict; widen it by one ulp so a distance equal to it counts.
        dist, idx = cKDTree(supply_xy).query(
            self.demand_xy, k=1, distance_upper_bound=np.nextafter(radius, np.inf)
        )
        dist = np.where(dist <= radius, dist, np.inf)
        idx = np.where(np.isfinite(dist), idx, -1).astype(np.int64)
        return dist, idx


class StreetGraph:
    """An undirected street graph with access points snapped onto it (see module docstring)."""

    def __init__(self, lines: np.ndarray, node_intersections: bool = True):
        lines = np.asarray(lines, dtype=object)
        lines = lines[~shapely.is_missing(lines) & ~shapely.is_empty(lines)]
        if len(lines) == 0:
            raise AnalysisError(
                "no streets to route along: generate the demo streets or import a road layer, "
                "or use straight-line distances"
            )
        parts = shapely.get_parts(lines)
        parts = parts[shapely.get_type_id(parts) == 1]  # LineStrings only
        if node_intersections and len(parts) > 1:
            # Split lines where they cross, so a crossing is a node (imported roads often are not).
            parts = shapely.get_parts(shapely.node(shapely.multilinestrings(parts)))
        coords, idx = shapely.get_coordinates(parts, return_index=True)
        same = idx[:-1] == idx[1:]
        a, b = coords[:-1][same], coords[1:][same]
        length = np.hypot(*(b - a).T)
        keep = length > 0
        self.seg_a, self.seg_b, self.seg_len = a[keep], b[keep], length[keep]
        if len(self.seg_len) == 0:
            raise AnalysisError("the street layer has no segments of positive length")
        ends = np.vstack([self.seg_a, self.seg_b])
        key = np.round(ends * 1000.0).astype(np.int64)  # vertices within 1 mm are one node
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        n_seg = len(self.seg_len)
        self.seg_u = inverse[:n_seg].astype(np.int64)
        self.seg_v = inverse[n_seg:].astype(np.int64)
        self.node_xy = ends[first]
        self.n_street_nodes = len(self.node_xy)
        self._seg_tree = shapely.STRtree(shapely.linestrings(np.stack([self.seg_a, self.seg_b], 1)))
        # Chains: points snapped onto a segment, in order along it (t in [0, 1]).
        self.chain_seg = np.empty(0, dtype=np.int64)
        self.chain_t = np.empty(0)
        self.chain_node = np.empty(0, dtype=np.int64)
        self.extra_u = np.empty(0, dtype=np.int64)  # connector edges: access node → projection
        self.extra_v = np.empty(0, dtype=np.int64)
        self.extra_w = np.empty(0)
        self.n_nodes = self.n_street_nodes
        self._csr: sparse.csr_matrix | None = None

    # ------------------------------------------------------------------ building
    def add_points(self, xy: np.ndarray) -> np.ndarray:
        """Snap points to their nearest segment; returns the access node id of each point."""
        xy = _as_xy(xy, "points")
        n = len(xy)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        seg = self._seg_tree.query_nearest(shapely.points(xy), all_matches=False)[1]
        a, b = self.seg_a[seg], self.seg_b[seg]
        d = b - a
        t = np.einsum("ij,ij->i", xy - a, d) / np.einsum("ij,ij->i", d, d)
        t = np.clip(t, 0.0, 1.0)
        proj = a + d * t[:, None]
        snap = np.hypot(*(xy - proj).T)
        access = self.n_nodes + np.arange(n, dtype=np.int64)
        projection = access + n
        self.node_xy = np.vstack([self.node_xy, xy, proj])
        self.n_nodes += 2 * n
        self.extra_u = np.concatenate([self.extra_u, access])
        self.extra_v = np.concatenate([self.extra_v, projection])
        self.extra_w = np.concatenate([self.extra_w, np.maximum(snap, _ZERO_EDGE)])
        self.chain_seg = np.concatenate([self.chain_seg, seg.astype(np.int64)])
        self.chain_t = np.concatenate([self.chain_t, t])
        self.chain_node = np.concatenate([self.chain_node, projection])
        self._csr = None
        return access

    def csr(self) -> sparse.csr_matrix:
        """The weighted adjacency matrix (upper triangle; Dijkstra runs undirected)."""
        if self._csr is not None:
            return self._csr
        # Each segment becomes the chain: u → projections in order of t → v.
        n_seg = len(self.seg_len)
        seg = np.concatenate([np.arange(n_seg), np.arange(n_seg), self.chain_seg])
        t = np.concatenate([np.zeros(n_seg), np.ones(n_seg), self.chain_t])
        node = np.concatenate([self.seg_u, self.seg_v, self.chain_node])
        order = np.lexsort((t, seg))
        seg, t, node = seg[order], t[order], node[order]
        same = seg[:-1] == seg[1:]
        u, v = node[:-1][same], node[1:][same]
        w = np.maximum((t[1:] - t[:-1])[same] * self.seg_len[seg[:-1][same]], _ZERO_EDGE)
        u = np.concatenate([u, self.extra_u])
        v = np.concatenate([v, self.extra_v])
        w = np.concatenate([w, self.extra_w])
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        keep = lo != hi
        lo, hi, w = lo[keep], hi[keep], w[keep]
        # Parallel edges: keep the shortest (a sparse constructor would add them up).
        order = np.lexsort((w, hi, lo))
        lo, hi, w = lo[order], hi[order], w[order]
        first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])]
        self._csr = sparse.csr_matrix(
            (w[first], (lo[first], hi[first])), shape=(self.n_nodes, self.n_nodes)
        )
        return self._csr

    # ------------------------------------------------------------------ queries
    def distances_from(
        self,
        sources: np.ndarray,
        targets: np.ndarray,
        limit: float,
        feedback: Feedback | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(source position, target position, distance) for every target within ``limit``."""
        fb = ensure_feedback(feedback)
        graph = self.csr()
        out_s, out_t, out_d = [], [], []
        n = len(sources)
        for start in range(0, n, _CHUNK):
            check_cancel(fb)
            block = sources[start : start + _CHUNK]
            dist = csgraph.dijkstra(graph, directed=False, indices=block, limit=limit)
            sub = dist[:, targets]
            s, tt = np.nonzero(sub <= limit)
            out_s.append(s + start)
            out_t.append(tt)
            out_d.append(sub[s, tt])
            fb.progress(min(1.0, (start + len(block)) / max(n, 1)), "network distances")
        if not out_s:
            e = np.empty(0, dtype=np.int64)
            return e, e, np.empty(0)
        return (
            np.concatenate(out_s).astype(np.int64),
            np.concatenate(out_t).astype(np.int64),
            np.concatenate(out_d),
        )

    def nearest_from(self, sources: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
        """Distance from every node to its nearest source within ``limit`` and that source's node."""
        dist, _, origin = csgraph.dijkstra(
            self.csr(),
            directed=False,
            indices=sources,
            limit=limit,
            min_only=True,
            return_predecessors=True,
        )
        return dist, origin


class NetworkDistance:
    """Distances along the street network between snapped demand and supply points."""

    mode = "network"

    def __init__(self, streets: np.ndarray, demand_xy: np.ndarray):
        self.graph = StreetGraph(streets)
        self.demand_xy = _as_xy(demand_xy, "demand points")
        self.demand_nodes = self.graph.add_points(self.demand_xy)
        self._supply_nodes: dict[tuple[float, float], int] = {}

    @property
    def n_demand(self) -> int:
        return len(self.demand_xy)

    def supply_nodes(self, supply_xy: np.ndarray) -> np.ndarray:
        """Access nodes of supply points, snapping (once) those not yet in the graph."""
        supply_xy = _as_xy(supply_xy, "facilities")
        keys = [tuple(p) for p in supply_xy.tolist()]
        missing = [k for k in dict.fromkeys(keys) if k not in self._supply_nodes]
        if missing:
            nodes = self.graph.add_points(np.array(missing))
            self._supply_nodes.update(zip(missing, nodes.tolist()))
        return np.array([self._supply_nodes[k] for k in keys], dtype=np.int64)

    def pairs(
        self, supply_xy: np.ndarray, radius: float, feedback: Feedback | None = None
    ) -> DistancePairs:
        radius = _check_radius(radius)
        nodes = self.supply_nodes(supply_xy)
        s, t, d = self.graph.distances_from(nodes, self.demand_nodes, radius, feedback)
        return DistancePairs(t, s, d, self.n_demand, len(nodes), radius)

    def nearest(
        self, supply_xy: np.ndarray, radius: float, feedback: Feedback | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        radius = _check_radius(radius)
        nodes = self.supply_nodes(supply_xy)
        if len(nodes) == 0:
            return np.full(self.n_demand, np.inf), np.full(self.n_demand, -1, dtype=np.int64)
        dist, origin = self.graph.nearest_from(nodes, radius)
        d = dist[self.demand_nodes]
        o = origin[self.demand_nodes]
        lookup = np.full(self.graph.n_nodes, -1, dtype=np.int64)
        lookup[nodes[::-1]] = np.arange(len(nodes))[::-1]  # first facility at a shared node
        idx = np.where((o >= 0) & np.isfinite(d), lookup[np.maximum(o, 0)], -1)
        return d, idx


def make_distance_engine(mode: str, demand_xy: np.ndarray, streets: np.ndarray | None = None):
    """``straight`` → :class:`StraightLineDistance`; ``network`` → :class:`NetworkDistance`."""
    if mode == "straight":
        return StraightLineDistance(demand_xy)
    if mode == "network":
        if streets is None or len(streets) == 0:
            raise AnalysisError(
                "network distances need streets: the store has none (generate the demo or "
                "import a road layer), or choose straight-line distances"
            )
        return NetworkDistance(streets, demand_xy)
    raise AnalysisError(f"unknown distance mode {mode!r}; choose 'straight' or 'network'")
