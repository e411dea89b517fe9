"""Camera coverage: what each camera sees, the public space no camera sees, where to add cameras.

A camera sees a sector (position, heading clockwise from north, field of view, range) minus what
buildings hide. A building hides, for each of its walls facing the camera, the *shadow* behind
that wall: the region between the rays from the camera through the wall's two ends, beyond the
wall. Shadows are built per wall (an exact 2D visibility polygon for polygonal occluders — a
convex hull of the footprint would be wrong for L- or U-shaped buildings, whose courtyards a
camera can see into). Only the buildings within range of a camera are looked at (STRtree).

Blind spots are the public space (the community minus building footprints, or a given open-space
layer) that no camera sees, per grid cell. :func:`suggest_cameras` proposes k new cameras by
greedy maximum coverage of the blind area, candidates at street points and building corners,
each with a set of headings; the gain of each pick is reported.

A camera strictly inside a footprint is taken as mounted on that roof: that building does not
hide anything from it. Walls within 1 cm of a camera (its own wall) hide nothing either.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import shapely

from gis_core.analysis.data import AnalysisData, Cameras
from gis_core.analysis.feedback import AnalysisError, Feedback, check_cancel, ensure_feedback

__all__ = [
    "CameraCoverageParams",
    "CameraCoverageResult",
    "CameraSuggestion",
    "SuggestParams",
    "camera_sectors",
    "camera_views",
    "run_camera_coverage",
    "suggest_cameras",
]

_WALL_EPS = 0.01  # metres: a wall this close to the camera is the one it hangs on


@dataclass(frozen=True)
class CameraCoverageParams:
    arc_step_deg: float = 3.0  # chord step of the range arc; the area error is < 0.05 %
    min_blind_area_m2: float = 5.0  # smaller blind slivers are not listed (still counted)
    top_blind: int = 50

    def validated(self) -> CameraCoverageParams:
        if not (0 < self.arc_step_deg <= 30):
            raise AnalysisError("the arc step must be between 0 and 30 degrees")
        if not (self.min_blind_area_m2 >= 0):
            raise AnalysisError("the minimum blind area must not be negative")
        return self

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SuggestParams:
    """Where new cameras may go and how they would look."""

    k: int = 5
    headings_deg: tuple[float, ...] = (0, 45, 90, 135, 180, 225, 270, 315)
    fov_deg: float = 90.0
    range_m: float = 50.0
    street_spacing_m: float = 25.0  # candidate positions along streets
    building_corners: bool = True
    max_positions: int = 400  # the positions with the most blind area around them are kept
    tile_m: float = 50.0  # blind space is cut into tiles so each gain is a local overlay
    arc_step_deg: float = 3.0

    def validated(self) -> SuggestParams:
        if self.k < 1:
            raise AnalysisError("ask for at least one new camera (k ≥ 1)")
        if not self.headings_deg:
            raise AnalysisError("give at least one candidate heading")
        if not (0 < self.fov_deg <= 360):
            raise AnalysisError("the field of view must be between 0 and 360 degrees")
        if not (self.range_m > 0):
            raise AnalysisError("the camera range must be a positive distance in metres")
        if not (self.street_spacing_m > 0 and self.tile_m > 0 and self.max_positions > 0):
            raise AnalysisError("spacing, tile size and candidate count must be positive")
        return self


@dataclass
class CameraSuggestion:
    x: float
    y: float
    heading_deg: float
    fov_deg: float
    range_m: float
    source: str  # "street" or "corner"
    gain_m2: float  # blind area this camera adds to what is seen, after the earlier picks
    cumulative_m2: float
    view: shapely.Geometry


@dataclass
class CameraCoverageResult:
    params: CameraCoverageParams
    camera_ids: np.ndarray
    views: np.ndarray  # visible polygon per camera
    cell_ids: np.ndarray
    cell_codes: np.ndarray
    cell_public_m2: np.ndarray
    cell_seen_m2: np.ndarray
    cell_blind: np.ndarray  # blind geometry per cell
    blind_parts: np.ndarray  # connected blind areas (within a cell), largest first
    blind_part_area: np.ndarray
    blind_part_cell: np.ndarray  # position in cell_ids
    suggestions: list[CameraSuggestion] = field(default_factory=list)
    input_versions: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    kind: str = "coverage_cameras"

    @property
    def cell_coverage(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                self.cell_public_m2 > 0, self.cell_seen_m2 / self.cell_public_m2, np.nan
            )

    def summary(self) -> dict:
        public = float(self.cell_public_m2.sum())
        seen = float(self.cell_seen_m2.sum())
        out = {
            "cameras": int(len(self.camera_ids)),
            "public_area_m2": public,
            "seen_area_m2": seen,
            "blind_area_m2": public - seen,
            "coverage": seen / public if public else float("nan"),
            "blind_areas_listed": int(len(self.blind_parts)),
            "largest_blind_m2": float(self.blind_part_area[0])
            if len(self.blind_part_area)
            else 0.0,
            "elapsed_s": self.elapsed_s,
        }
        if self.suggestions:
            out["suggested"] = [
                {
                    "x": s.x,
                    "y": s.y,
                    "heading_deg": s.heading_deg,
                    "gain_m2": s.gain_m2,
                    "source": s.source,
                }
                for s in self.suggestions
            ]
            out["suggested_gain_m2"] = self.suggestions[-1].cumulative_m2
        return out

    def cell_metrics(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {
            "public_m2": (self.cell_ids, self.cell_public_m2),
            "seen_m2": (self.cell_ids, self.cell_seen_m2),
            "blind_m2": (self.cell_ids, self.cell_public_m2 - self.cell_seen_m2),
            "coverage": (self.cell_ids, self.cell_coverage),
        }

    @property
    def ranked_blind(self) -> list[dict]:
        rp = shapely.get_coordinates(shapely.point_on_surface(self.blind_parts))
        return [
            {
                "rank": k + 1,
                "area_m2": float(self.blind_part_area[k]),
                "cell_code": str(self.cell_codes[c]) if c >= 0 else "",
                "x": float(rp[k, 0]),
                "y": float(rp[k, 1]),
            }
            for k, c in enumerate(self.blind_part_cell.tolist())
        ]


# ---------------------------------------------------------------------- sectors and views
def camera_sectors(
    xy: np.ndarray, heading_deg, fov_deg, range_m, arc_step_deg: float = 3.0
) -> np.ndarray:
    """Sector polygons (a disc for fov ≥ 360°), vectorised over cameras."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    n = len(xy)
    heading = np.broadcast_to(np.asarray(heading_deg, dtype=np.float64), (n,))
    fov = np.broadcast_to(np.asarray(fov_deg, dtype=np.float64), (n,))
    rng = np.broadcast_to(np.asarray(range_m, dtype=np.float64), (n,))
    if n == 0:
        return np.empty(0, dtype=object)
    if np.any(~np.isfinite(rng) | (rng <= 0)):
        raise AnalysisError("every camera needs a positive range in metres")
    if np.any(~np.isfinite(fov) | (fov <= 0)):
        raise AnalysisError("every camera needs a positive field of view")
    full = fov >= 360.0
    span = np.where(full, 360.0, fov)
    steps = np.maximum(np.ceil(span / arc_step_deg).astype(np.int64), 2)
    n_arc = steps + 1
    # Ring: apex (sectors only), arc points, closing point.
    count = np.where(full, steps, n_arc + 1) + 1
    cam = np.repeat(np.arange(n), count)
    start = np.r_[0, np.cumsum(count)[:-1]]
    k = np.arange(len(cam)) - start[cam]
    # Direction in maths convention (counter-clockwise from east) from a compass heading.
    mid = np.radians(90.0 - heading)
    a0 = mid - np.radians(span) / 2
    step = np.radians(span) / steps
    arc_k = np.where(full[cam], k, k - 1)
    arc_k = np.where(full[cam] & (k == count[cam] - 1), 0, arc_k)  # close the disc
    ang = a0[cam] + step[cam] * arc_k
    px = xy[cam, 0] + rng[cam] * np.cos(ang)
    py = xy[cam, 1] + rng[cam] * np.sin(ang)
    apex = ~full[cam] & ((k == 0) | (k == count[cam] - 1))
    px = np.where(apex, xy[cam, 0], px)
    py = np.where(apex, xy[cam, 1], py)
    rings = shapely.linearrings(np.column_stack([px, py]), indices=cam)
    return shapely.polygons(rings)


def camera_views(
    xy: np.ndarray,
    heading_deg,
    fov_deg,
    range_m,
    footprints: np.ndarray,
    tree: shapely.STRtree | None = None,
    arc_step_deg: float = 3.0,
    feedback: Feedback | None = None,
) -> np.ndarray:
    """The visible polygon of each camera: its sector minus the shadows of the walls facing it."""
    fb = ensure_feedback(feedback)
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    n = len(xy)
    rng = np.broadcast_to(np.asarray(range_m, dtype=np.float64), (n,))
    sectors = camera_sectors(xy, heading_deg, fov_deg, rng, arc_step_deg)
    if n == 0 or len(footprints) == 0:
        return sectors
    tree = tree or shapely.STRtree(footprints)
    cam, bld = tree.query(sectors, predicate="intersects")
    fb.progress(0.2, "buildings in range")
    if len(cam) == 0:
        return sectors
    # A camera strictly inside a footprint is on its roof: that building hides nothing from it.
    pts = shapely.points(xy)
    roof = shapely.contains_properly(footprints[bld], pts[cam])
    if roof.any():
        near = shapely.distance(shapely.boundary(footprints[bld[roof]]), pts[cam[roof]])
        roof[np.flatnonzero(roof)] = near > _WALL_EPS
        cam, bld = cam[~roof], bld[~roof]
    # Walls of the buildings involved, each once: rings oriented so the inside is on the left.
    ub, b_pos = np.unique(bld, return_inverse=True)
    polys = shapely.orient_polygons(footprints[ub])
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    same = coord_ring[:-1] == coord_ring[1:]
    p1_all, p2_all = coords[:-1][same], coords[1:][same]
    wall_bld = ring_poly[coord_ring[:-1][same]]
    offsets = np.searchsorted(wall_bld, np.arange(len(ub) + 1))
    n_walls = np.diff(offsets)[b_pos]
    # Expand (camera, building) pairs to (camera, wall).
    rows = np.repeat(np.arange(len(cam)), n_walls)
    first = np.r_[0, np.cumsum(n_walls)[:-1]]
    wall = offsets[b_pos][rows] + (np.arange(len(rows)) - first[rows])
    c = cam[rows]
    o = xy[c]
    p1, p2 = p1_all[wall], p2_all[wall]
    e = p2 - p1
    v1, v2 = p1 - o, p2 - o
    cross = e[:, 0] * (-v1[:, 1]) - e[:, 1] * (-v1[:, 0])  # (p2 − p1) × (o − p1)
    # Distance from the camera to the wall, to drop the wall it hangs on.
    t = np.clip(
        np.einsum("ij,ij->i", -v1, e) / np.maximum(np.einsum("ij,ij->i", e, e), 1e-300), 0, 1
    )
    dist = np.hypot(*(v1 + e * t[:, None]).T)
    front = (cross < 0) & (dist > _WALL_EPS)
    c, o, p1, p2, v1, v2 = c[front], o[front], p1[front], p2[front], v1[front], v2[front]
    fb.progress(0.4, "shadows")
    check_cancel(fb)
    shadows = _shadow_pentagons(o, p1, p2, v1, v2, rng[c])
    shadow_union = _union_by_group(shadows, c, n)
    fb.progress(0.8, "visible areas")
    views = shapely.difference(sectors, shadow_union)
    fb.progress(1.0, "views")
    return views


def _shadow_pentagons(o, p1, p2, v1, v2, reach) -> np.ndarray:
    """Polygon p1, p2, far2, far_mid, far1 covering everything behind wall p1p2 within ``reach``."""
    n1 = np.hypot(*v1.T)
    n2 = np.hypot(*v2.T)
    u1 = v1 / n1[:, None]
    u2 = v2 / n2[:, None]
    theta = np.arccos(np.clip(np.einsum("ij,ij->i", u1, u2), -1.0, 1.0))
    m = u1 + u2
    mn = np.hypot(*m.T)
    # Walls seen at almost 180° (camera nearly on the wall's line): bisector = wall normal.
    normal = np.column_stack([(p2 - p1)[:, 1], -(p2 - p1)[:, 0]])
    normal /= np.maximum(np.hypot(*normal.T), 1e-300)[:, None]
    normal *= np.where(np.einsum("ij,ij->i", normal, v1) < 0, -1.0, 1.0)[:, None]
    bis = np.where((mn > 1e-9)[:, None], m / np.maximum(mn, 1e-300)[:, None], normal)
    # Far points at distance F along three rays; each chord then stays beyond the range and the wall.
    far = 1.01 * np.maximum(reach, np.maximum(n1, n2)) / np.cos(theta / 4)
    f1 = o + u1 * far[:, None]
    fm = o + bis * far[:, None]
    f2 = o + u2 * far[:, None]
    ring = np.stack([p1, p2, f2, fm, f1, p1], axis=1)
    return shapely.polygons(ring)


def _union_by_group(geoms: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Union of the geometries of each group (empty where none), in one vectorised GEOS call."""
    out = np.full(n_groups, None, dtype=object)
    if len(geoms) == 0:
        return np.array([shapely.Polygon()] * n_groups, dtype=object)
    order = np.argsort(group, kind="stable")
    g = group[order]
    starts = np.searchsorted(g, np.arange(n_groups))
    rank = np.arange(len(g)) - starts[g]
    table = np.full((n_groups, int(rank.max()) + 1), None, dtype=object)
    table[g, rank] = geoms[order]
    out = shapely.union_all(table, axis=1)
    return out


# ---------------------------------------------------------------------- coverage
def run_camera_coverage(
    data: AnalysisData,
    params: CameraCoverageParams | None = None,
    feedback: Feedback | None = None,
    suggest: SuggestParams | None = None,
    open_space: np.ndarray | None = None,
) -> CameraCoverageResult:
    """Views of all cameras, blind public space per cell, ranked blind areas (and suggestions)."""
    t0 = time.perf_counter()
    fb = ensure_feedback(feedback)
    p = (params or CameraCoverageParams()).validated()
    cams = data.cameras
    if cams is None:
        cams = Cameras(
            np.empty(0, np.int64), np.empty((0, 2)), np.empty(0), np.empty(0), np.empty(0)
        )
    footprints = (
        data.buildings.footprints if data.buildings is not None else np.empty(0, dtype=object)
    )
    area_cells, cell_ids, cell_codes = _analysis_cells(data)
    tree = shapely.STRtree(footprints) if len(footprints) else None
    fb.progress(0.0, f"views of {len(cams)} cameras")
    views = camera_views(
        cams.xy, cams.heading_deg, cams.fov_deg, cams.range_m, footprints, tree, p.arc_step_deg
    )
    check_cancel(fb)
    fb.progress(0.45, "public space per cell")
    public = _public_space(area_cells, footprints, tree, open_space)
    fb.progress(0.65, "seen and blind space per cell")
    check_cancel(fb)
    seen = _clip_union(views, area_cells)
    blind = shapely.difference(public, seen)
    public_m2 = shapely.area(public)
    blind_m2 = shapely.area(blind)
    parts, part_cell = shapely.get_parts(blind, return_index=True)
    areas = shapely.area(parts)
    order = np.argsort(-areas, kind="stable")
    keep = order[areas[order] >= p.min_blind_area_m2][: p.top_blind]
    result = CameraCoverageResult(
        params=p,
        camera_ids=cams.ids,
        views=views,
        cell_ids=cell_ids,
        cell_codes=cell_codes,
        cell_public_m2=public_m2,
        cell_seen_m2=public_m2 - blind_m2,
        cell_blind=blind,
        blind_parts=parts[keep],
        blind_part_area=areas[keep],
        blind_part_cell=part_cell[keep],
        input_versions=data.input_versions(),
    )
    if len(cams) == 0:
        result.notes.append("the store has no cameras: all public space is blind")
    if suggest is not None:
        fb.progress(0.8, "suggesting cameras")
        result.suggestions = suggest_cameras(data, suggest, views, open_space, tree)
    result.elapsed_s = time.perf_counter() - t0
    fb.progress(1.0, "done")
    return result


def _analysis_cells(data: AnalysisData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells clipped to the community (or the community as one cell when there are no cells)."""
    if data.cells is not None and len(data.cells):
        geoms = data.cells.geometry
        if data.community is not None:
            geoms = shapely.intersection(geoms, data.community)
        return geoms, data.cells.ids, data.cells.codes
    if data.community is not None:
        return np.array([data.community], dtype=object), np.array([-1]), np.array(["community"])
    if data.buildings is not None and len(data.buildings):
        env = shapely.envelope(shapely.union_all(shapely.envelope(data.buildings.footprints)))
        return np.array([env], dtype=object), np.array([-1]), np.array(["extent"])
    raise AnalysisError("camera coverage needs a community boundary, grid cells or buildings")


def _public_space(cells, footprints, tree, open_space) -> np.ndarray:
    """Per cell: the given open space, or the cell minus building footprints."""
    if open_space is not None:
        return _clip_union(np.asarray(open_space, dtype=object), cells)
    if tree is None:
        return cells.copy()
    ci, bi = tree.query(cells, predicate="intersects")
    # Footprints rarely overlap; a multipolygon of them is then valid and needs no union.
    parts = shapely.intersection(footprints[bi], cells[ci])
    grouped = np.full(len(cells), None, dtype=object)
    order = np.argsort(ci, kind="stable")
    ci, parts = ci[order], parts[order]
    polys = shapely.get_parts(parts, return_index=True)
    poly, src = polys
    poly_cell = ci[src]
    keep = shapely.get_type_id(poly) == 3
    poly, poly_cell = poly[keep], poly_cell[keep]
    if len(poly):
        shapely.multipolygons(poly, indices=poly_cell, out=grouped)
        present = np.unique(poly_cell)
        bad = present[~shapely.is_valid(grouped[present])]
        if len(bad):  # overlapping or edge-sharing footprints: a real union for those cells
            grouped[bad] = _union_by_group(poly, poly_cell, len(cells))[bad]
    grouped[shapely.is_missing(grouped)] = shapely.Polygon()
    return shapely.difference(cells, grouped)


def _clip_union(geoms: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Per cell: the union of ``geoms`` clipped to the cell."""
    if len(geoms) == 0:
        return np.array([shapely.Polygon()] * len(cells), dtype=object)
    ci, gi = shapely.STRtree(geoms).query(cells, predicate="intersects")
    pieces = shapely.intersection(geoms[gi], cells[ci])
    out = _union_by_group(pieces, ci, len(cells))
    return np.where(shapely.is_missing(out), shapely.Polygon(), out)


# ---------------------------------------------------------------------- suggestions
def suggest_cameras(
    data: AnalysisData,
    params: SuggestParams,
    views: np.ndarray | None = None,
    open_space: np.ndarray | None = None,
    tree: shapely.STRtree | None = None,
    feedback: Feedback | None = None,
) -> list[CameraSuggestion]:
    """Greedy maximum coverage of the blind area by k new cameras (lazy evaluation: exact greedy).

    Each pick's gain is the blind area it would see that neither existing cameras (``views``,
    computed from ``data.cameras`` when not given) nor earlier picks see. Greedy max coverage is
    within (1 − 1/e) of the best k cameras among the candidates.
    """
    fb = ensure_feedback(feedback)
    p = params.validated()
    footprints = (
        data.buildings.footprints if data.buildings is not None else np.empty(0, dtype=object)
    )
    if tree is None and len(footprints):
        tree = shapely.STRtree(footprints)
    if views is None:
        cams = data.cameras
        views = (
            np.empty(0, dtype=object)
            if cams is None
            else camera_views(
                cams.xy,
                cams.heading_deg,
                cams.fov_deg,
                cams.range_m,
                footprints,
                tree,
                p.arc_step_deg,
            )
        )
    area_cells = _analysis_cells(data)[0]
    tiles, tix, tiy = _blind_tiles(area_cells, footprints, tree, views, open_space, p.tile_m)
    if len(tiles) == 0:
        return []
    pos, source = _candidate_positions(data, footprints, p)
    if len(pos) == 0:
        raise AnalysisError("no candidate positions: the store has no streets or buildings")
    # Rank positions by the blind area of the tiles around them (a summed-area table over the
    # tile grid: O(1) per position), and keep the best.
    tile_area = shapely.area(tiles)
    x0, y0 = shapely.total_bounds(tiles)[:2]
    x0, y0 = np.floor(x0 / p.tile_m) * p.tile_m, np.floor(y0 / p.tile_m) * p.tile_m
    gx, gy = tix - int(round(x0 / p.tile_m)), tiy - int(round(y0 / p.tile_m))
    grid = np.zeros((gy.max() + 2, gx.max() + 2))
    np.add.at(grid, (gy + 1, gx + 1), tile_area)
    sat = grid.cumsum(0).cumsum(1)
    reach = int(np.ceil(p.range_m / p.tile_m))
    px = np.floor((pos[:, 0] - x0) / p.tile_m).astype(np.int64)
    py = np.floor((pos[:, 1] - y0) / p.tile_m).astype(np.int64)
    lo_x = np.clip(px - reach, 0, grid.shape[1] - 1)
    hi_x = np.clip(px + reach + 1, 0, grid.shape[1] - 1)
    lo_y = np.clip(py - reach, 0, grid.shape[0] - 1)
    hi_y = np.clip(py + reach + 1, 0, grid.shape[0] - 1)
    score = sat[hi_y, hi_x] - sat[lo_y, hi_x] - sat[hi_y, lo_x] + sat[lo_y, lo_x]
    best = np.argsort(-score, kind="stable")[: p.max_positions]
    best = best[score[best] > 0]
    pos, source = pos[best], source[best]
    tile_tree = shapely.STRtree(tiles)
    headings = np.asarray(p.headings_deg, dtype=np.float64)
    cand_xy = np.repeat(pos, len(headings), axis=0)
    cand_heading = np.tile(headings, len(pos))
    cand_source = np.repeat(source, len(headings))
    fb.progress(0.2, f"views of {len(cand_xy)} candidate cameras")
    tree = tree if tree is not None else (shapely.STRtree(footprints) if len(footprints) else None)
    views = camera_views(
        cand_xy, cand_heading, p.fov_deg, p.range_m, footprints, tree, p.arc_step_deg
    )
    check_cancel(fb)
    vi, ti = tile_tree.query(views, predicate="intersects")
    gain = np.bincount(
        vi, weights=shapely.area(shapely.intersection(views[vi], tiles[ti])), minlength=len(views)
    )
    heap = [(-g, k) for k, g in enumerate(gain.tolist()) if g > 0]
    heapq.heapify(heap)
    picks: list[CameraSuggestion] = []
    total = 0.0
    while heap and len(picks) < p.k:  # k picks, each a few lazy re-evaluations
        check_cancel(fb)
        neg, k = heapq.heappop(heap)
        current = _gain(views[k], tiles, tile_tree)
        if heap and current < -heap[0][0] - 1e-9:
            if current > 0:
                heapq.heappush(heap, (-current, k))
            continue
        if current <= 0:
            break
        total += current
        picks.append(
            CameraSuggestion(
                float(cand_xy[k, 0]),
                float(cand_xy[k, 1]),
                float(cand_heading[k]),
                p.fov_deg,
                p.range_m,
                str(cand_source[k]),
                current,
                total,
                views[k],
            )
        )
        # Take what the pick sees out of the blind tiles it touches.
        hit = tile_tree.query(views[k], predicate="intersects")
        tiles = tiles.copy()
        tiles[hit] = shapely.difference(tiles[hit], views[k])
        tile_tree = shapely.STRtree(tiles)
        fb.progress(0.3 + 0.7 * len(picks) / p.k, f"camera {len(picks)} of {p.k}")
    return picks


def _gain(view, tiles, tile_tree) -> float:
    hit = tile_tree.query(view, predicate="intersects")
    if len(hit) == 0:
        return 0.0
    return float(shapely.area(shapely.intersection(tiles[hit], view)).sum())


def _blind_tiles(area_cells, footprints, tree, views, open_space, size: float):
    """Blind space cut along a grid of ``size``-metre tiles, computed tile by tile.

    Each tile's blind space is the tile's public space minus the views that reach it: many small,
    local overlays instead of carving one huge polygon. Returns the non-empty pieces and their tile
    column and row (floor(x / size), floor(y / size)).
    """
    minx, miny, maxx, maxy = shapely.total_bounds(area_cells)
    xs = np.arange(np.floor(minx / size), np.ceil(maxx / size))
    ys = np.arange(np.floor(miny / size), np.ceil(maxy / size))
    ix, iy = (a.ravel().astype(np.int64) for a in np.meshgrid(xs, ys))
    boxes = shapely.box(ix * size, iy * size, (ix + 1) * size, (iy + 1) * size)
    bi, ci = shapely.STRtree(area_cells).query(boxes, predicate="intersects")
    pieces = shapely.intersection(boxes[bi], area_cells[ci])
    ix, iy = ix[bi], iy[bi]
    public = _public_space(pieces, footprints, tree, open_space)
    blind = shapely.difference(public, _clip_union(np.asarray(views, dtype=object), pieces))
    keep = shapely.area(blind) > 1e-6
    return blind[keep], ix[keep], iy[keep]


def _candidate_positions(data: AnalysisData, footprints, p: SuggestParams):
    pts, src = [], []
    if data.streets is not None and len(data.streets):
        lines = shapely.get_parts(data.streets)
        lengths = shapely.length(lines)
        count = np.maximum(np.ceil(lengths / p.street_spacing_m).astype(np.int64), 1) + 1
        li = np.repeat(np.arange(len(lines)), count)
        start = np.r_[0, np.cumsum(count)[:-1]]
        frac = (np.arange(len(li)) - start[li]) / (count[li] - 1)
        sp = shapely.get_coordinates(
            shapely.line_interpolate_point(lines[li], frac, normalized=True)
        )
        pts.append(sp)
        src.append(np.full(len(sp), "street"))
    if p.building_corners and len(footprints):
        ext = shapely.get_exterior_ring(footprints)
        coords, owner = shapely.get_coordinates(ext, return_index=True)
        last = np.r_[owner[1:] != owner[:-1], True]
        coords, owner = coords[~last], owner[~last]  # drop each ring's closing point
        # Step 1 m outward from the footprint's centre so the camera is on the wall's outside.
        centre = shapely.get_coordinates(shapely.centroid(footprints))[owner]
        out = coords - centre
        out /= np.maximum(np.hypot(*out.T), 1e-9)[:, None]
        cp = coords + out
        pts.append(cp)
        src.append(np.full(len(cp), "corner"))
    if not pts:
        return np.empty((0, 2)), np.empty(0, dtype=str)
    pos = np.vstack(pts)
    source = np.concatenate(src)
    # One candidate per 10 cm spot (street ends and shared corners repeat).
    _, first = np.unique(np.round(pos * 10).astype(np.int64), axis=0, return_index=True)
    first.sort()
    return pos[first], source[first]
