"""Array work of the live-marker overlay: clustering in pixel space, worst states, view sectors.

Pure numpy (no Qt), so it is tested on its own and costs the GUI thread a few array operations
per tick whatever the number of devices.

>>> px, py = np.array([1.0, 2.0, 100.0]), np.array([1.0, 3.0, 100.0])
>>> c = cluster_grid(px, py, np.array([0, 2, 0], np.uint8), cell_px=50)
>>> c.count.tolist(), c.worst.tolist()
([2, 1], [2, 0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gis_core.live import SensorState

__all__ = [
    "URGENCY",
    "worst_state",
    "Clusters",
    "cluster_grid",
    "with_states",
    "sector_vertices",
    "visible_mask",
]

#: How urgent each SensorState is when a cluster shows only one: alarm, then warning, then the
#: silent states (offline before stale), then normal. Index: SensorState code.
URGENCY = np.zeros(len(SensorState), dtype=np.int8)
URGENCY[SensorState.NORMAL] = 0
URGENCY[SensorState.STALE] = 1
URGENCY[SensorState.OFFLINE] = 2
URGENCY[SensorState.WARNING] = 3
URGENCY[SensorState.ALARM] = 4
_BY_URGENCY = np.argsort(URGENCY).astype(np.uint8)  # urgency -> state


def worst_state(states: np.ndarray) -> int:
    """The most urgent of some SensorState codes (NORMAL for none)."""
    if len(states) == 0:
        return int(SensorState.NORMAL)
    return int(_BY_URGENCY[URGENCY[states].max()])


@dataclass(frozen=True, eq=False)
class Clusters:
    """Markers grouped per grid square of the screen.

    ``x``, ``y``: pixel centre of each cluster's members; ``count``; ``worst`` the most urgent
    state among them; ``members`` the index of each input marker's cluster (-1: not drawn).
    """

    x: np.ndarray
    y: np.ndarray
    count: np.ndarray
    worst: np.ndarray
    members: np.ndarray

    def __len__(self) -> int:
        return len(self.count)


def cluster_grid(
    px: np.ndarray,
    py: np.ndarray,
    state: np.ndarray,
    cell_px: float = 56.0,
    mask: np.ndarray | None = None,
    merge: float = 0.75,
) -> Clusters:
    """Group markers by the ``cell_px`` square of the screen they fall in (vectorised), then
    merge groups whose centres are closer than ``merge`` × ``cell_px``.

    Only markers where ``mask`` is True take part (e.g. those inside the view).
    """
    n = len(px)
    members = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(mask) if mask is not None else np.arange(n)
    if len(idx) == 0:
        e = np.empty(0)
        return Clusters(e, e, np.empty(0, np.int64), np.empty(0, np.uint8), members)
    gx = np.floor(px[idx] / cell_px).astype(np.int64)
    gy = np.floor(py[idx] / cell_px).astype(np.int64)
    key = (gx - gx.min()) * (int(gy.max() - gy.min()) + 1) + (gy - gy.min())
    uniq, inverse, count = np.unique(key, return_inverse=True, return_counts=True)
    k = len(uniq)
    cx = np.bincount(inverse, weights=px[idx], minlength=k) / count
    cy = np.bincount(inverse, weights=py[idx], minlength=k) / count
    if 1 < k <= 4000:
        # Markers near a square's edge would split into two badges side by side: merge
        # clusters whose centres are closer than ``merge`` of a square (connected components).
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        d2 = (cx[:, None] - cx[None, :]) ** 2 + (cy[:, None] - cy[None, :]) ** 2
        a, b = np.nonzero(np.triu(d2 < (merge * cell_px) ** 2, 1))
        if len(a):
            graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(k, k))
            k, label = connected_components(graph, directed=False)
            inverse = label[inverse]
            count = np.bincount(inverse, minlength=k)
            cx = np.bincount(inverse, weights=px[idx], minlength=k) / count
            cy = np.bincount(inverse, weights=py[idx], minlength=k) / count
    urgency = np.zeros(k, dtype=np.int8)
    np.maximum.at(urgency, inverse, URGENCY[state[idx]])
    members[idx] = inverse
    return Clusters(cx, cy, count.astype(np.int64), _BY_URGENCY[urgency], members)


def with_states(clusters: Clusters, state: np.ndarray) -> Clusters:
    """The same clusters with each one's worst state recomputed from ``state`` (per marker) —
    what a tick costs when the view has not changed: the grouping is kept."""
    k = len(clusters.count)
    urgency = np.zeros(k, dtype=np.int8)
    ok = clusters.members >= 0
    if k:
        np.maximum.at(urgency, clusters.members[ok], URGENCY[state[ok]])
    return Clusters(clusters.x, clusters.y, clusters.count, _BY_URGENCY[urgency], clusters.members)


def visible_mask(px: np.ndarray, py: np.ndarray, width: int, height: int, margin: float = 24.0):
    """Markers whose pixel position is inside the widget (with a margin for their symbol)."""
    return (px >= -margin) & (px <= width + margin) & (py >= -margin) & (py <= height + margin)


def sector_vertices(
    px: np.ndarray,
    py: np.ndarray,
    heading_deg: np.ndarray,
    fov_deg: np.ndarray,
    radius_px: np.ndarray,
    arc_points: int = 9,
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of each camera's view sector: the apex, then ``arc_points`` along the arc.

    Headings are degrees clockwise from north (screen y points down). Returns (n, arc_points + 1)
    arrays of x and y pixel coordinates.
    """
    n = len(px)
    t = np.linspace(-0.5, 0.5, arc_points)[None, :]
    ang = np.radians(heading_deg[:, None] + t * fov_deg[:, None])
    ax = px[:, None] + radius_px[:, None] * np.sin(ang)
    ay = py[:, None] - radius_px[:, None] * np.cos(ang)
    x = np.empty((n, arc_points + 1))
    y = np.empty((n, arc_points + 1))
    x[:, 0], y[:, 0] = px, py
    x[:, 1:], y[:, 1:] = ax, ay
    return x, y
