"""The coverage rules, checked on the cells an edit touched and their neighbours only, so they are
fast enough to run on every mouse move while drawing.

Rules: each cell one valid polygon (no self-intersection), no overlaps and matching shared edges
(GEOS ``coverage_invalid_edges``), no gaps (the cells' area changes exactly as the boundary's),
every cell inside the community boundary, minimum area, minimum width (negative buffer), and
no new cell edge cutting a building in two unless confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import shapely

from gis_core.editing.change import Change
from gis_core.editing.coverage import Coverage
from gis_core.editing.errors import Problem

__all__ = ["check_change", "check_cells", "cut_buildings"]

_REASON_XY = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)")


def check_change(coverage: Coverage, change: Change, allow_cut: bool = False) -> list[Problem]:
    """Problems of ``coverage`` after ``change`` was applied to it (the caller applies it first,
    and reverts it if problems come back)."""
    touched = [cid for cid, st in change.after.items() if st is not None]
    problems = check_cells(coverage, touched)
    problems += _check_other_communities(coverage, change)
    if not problems:
        problems += _check_area_balance(coverage, change)
    if not problems and not allow_cut and coverage.features is not None:
        problems += cut_buildings(coverage, change)
    return problems


def check_cells(coverage: Coverage, ids: Sequence[int], full: bool = False) -> list[Problem]:
    """Problems of cells ``ids`` by themselves and against their neighbours (``full``: every cell
    against every cell, and the whole coverage against the boundary)."""
    rules = coverage.rules
    problems: list[Problem] = []
    good = []
    for cid in ids:
        g = coverage.geometry(cid)
        code = coverage.attributes(cid).code
        bad = _shape_problem(g, cid, code, rules)
        if bad is not None:
            problems.append(bad)
            continue
        good.append(cid)
        if g.area < rules.min_area:
            problems.append(
                Problem(
                    "too_small",
                    f"cell {code} would be {g.area:.1f} m², less than the minimum "
                    f"{rules.min_area:g} m²",
                    _xy(shapely.point_on_surface(g)),
                    (cid,),
                    params={"area": g.area, "min_area": rules.min_area},
                )
            )
        narrow = _narrow_part(g, rules.min_width)
        if narrow is not None:
            problems.append(
                Problem(
                    "too_narrow",
                    f"cell {code} would be narrower than {rules.min_width:g} m here",
                    _xy(narrow),
                    (cid,),
                    params={"min_width": rules.min_width},
                )
            )
        outside = _outside_part(coverage, g, rules)
        if outside is not None:
            problems.append(
                Problem(
                    "outside_boundary",
                    f"cell {code} would reach outside the community boundary",
                    _xy(outside),
                    (cid,),
                )
            )
    if full:
        local = coverage.ids
    elif good:
        bounds = shapely.total_bounds([coverage.geometry(c) for c in good])
        local = sorted(set(coverage.near(bounds, pad=rules.tolerance)) | set(good))
    else:
        local = []
    problems += _edge_problems(coverage, local, set(good) if not full else set(local))
    if full:
        problems += _full_gaps(coverage)
    return problems


def _shape_problem(g, cid: int, code: str, rules) -> Problem | None:
    if g is None or g.is_empty or g.geom_type != "Polygon":
        where = None if g is None or g.is_empty else _xy(shapely.point_on_surface(g))
        return Problem(
            "not_polygon",
            f"cell {code} would fall apart into {shapely.get_num_geometries(g)} pieces"
            if g is not None and not g.is_empty
            else f"cell {code} would vanish",
            where,
            (cid,),
        )
    if not g.is_valid:
        reason = shapely.is_valid_reason(g)
        m = _REASON_XY.search(reason)
        where = (float(m.group(1)), float(m.group(2))) if m else _xy(shapely.point_on_surface(g))
        return Problem(
            "self_intersection",
            f"the outline of cell {code} would cross itself ({reason.split('[')[0]})",
            where,
            (cid,),
        )
    return None


def _narrow_part(g, width: float):
    """A point in the part of ``g`` narrower than ``width``, or None. The test is a morphological
    opening: shrink by half the width, grow back (mitred, so ordinary corners come back whole);
    what does not come back is too narrow."""
    if width <= 0:
        return None
    core = shapely.buffer(g, -width / 2, join_style="mitre", mitre_limit=20.0)
    if core.is_empty:
        return shapely.point_on_surface(g)
    opened = shapely.buffer(core, width / 2, join_style="mitre", mitre_limit=20.0)
    lost = shapely.difference(g, opened)
    if lost.is_empty:
        return None
    parts = shapely.get_parts(lost)
    areas = shapely.area(parts)
    i = int(np.argmax(areas))
    # A sliver counts when it is at least as long as the width: area ≥ width²/2.
    if areas[i] < 0.5 * width * width:
        return None
    return shapely.point_on_surface(parts[i])


def _outside_part(coverage: Coverage, g, rules):
    boundary = coverage.boundary
    if boundary is None:
        return None
    if shapely.covers(coverage.prepared_boundary(), g):
        return None
    out = shapely.difference(g, boundary)
    if out.is_empty or out.area <= rules.gap_area:
        return None
    parts = shapely.get_parts(out)
    return shapely.point_on_surface(parts[int(np.argmax(shapely.area(parts)))])


def _edge_problems(coverage: Coverage, local: Sequence[int], report: set[int]) -> list[Problem]:
    if len(local) < 2:
        return []
    geoms = np.array([coverage.geometry(c) for c in local], dtype=object)
    ok = np.array([g.geom_type == "Polygon" and g.is_valid for g in geoms])
    if not ok.all():
        local = [c for c, k in zip(local, ok) if k]
        geoms = geoms[ok]
    if shapely.coverage_is_valid(geoms):
        return []
    edges = shapely.coverage_invalid_edges(geoms)
    problems = []
    seen: set[tuple[int, ...]] = set()
    for cid, edge in zip(local, edges):
        if cid not in report or edge is None or edge.is_empty:
            continue
        where = shapely.line_interpolate_point(shapely.get_parts(edge)[0], 0.5, normalized=True)
        others = [
            o
            for o in coverage.near(edge.bounds, pad=coverage.rules.tolerance)
            if o != cid and shapely.intersects(coverage.geometry(o), edge)
        ]
        key = tuple(sorted([cid, *others]))
        if key in seen:
            continue
        seen.add(key)
        names = ", ".join(coverage.attributes(c).code for c in [cid, *others])
        problems.append(
            Problem(
                "overlap",
                f"cells {names} would overlap or their shared edge would not match",
                _xy(where),
                key,
            )
        )
    return problems


def _check_other_communities(coverage: Coverage, change: Change) -> list[Problem]:
    if change.boundary_after is None or not coverage.others:
        return []
    out = []
    for other in coverage.others:
        inter = shapely.intersection(change.boundary_after, other)
        if inter.area > coverage.rules.gap_area:
            parts = shapely.get_parts(inter)
            biggest = parts[int(np.argmax(shapely.area(parts)))]
            out.append(
                Problem(
                    "other_community",
                    "the new boundary would overlap a neighbouring community",
                    _xy(shapely.point_on_surface(biggest)),
                )
            )
    return out


def _check_area_balance(coverage: Coverage, change: Change) -> list[Problem]:
    """No gaps: the cells' total area must change exactly as the boundary's did. With no overlaps
    and every cell inside the boundary, equal areas mean the cells cover the boundary."""
    rules = coverage.rules
    before = [s.geometry for s in change.before.values() if s is not None]
    after = [s.geometry for s in change.after.values() if s is not None]
    d_cells = float(np.sum(shapely.area(after))) - float(np.sum(shapely.area(before)))
    d_boundary = 0.0
    if change.boundary_after is not None:
        d_boundary = change.boundary_after.area - change.boundary_before.area
    if abs(d_cells - d_boundary) <= rules.gap_area:
        return []
    boundary = coverage.boundary
    expected = shapely.union_all(before) if before else shapely.Polygon()
    if change.boundary_after is not None:
        grown = shapely.difference(change.boundary_after, change.boundary_before)
        expected = shapely.intersection(shapely.union(expected, grown), boundary)
    covered = shapely.union_all(after) if after else shapely.Polygon()
    if d_cells < d_boundary:
        missing = shapely.difference(expected, covered)
        code, what = "gap", "a gap would open between cells"
    else:
        missing = shapely.difference(covered, expected)
        code, what = "overlap", "cells would overlap"
    where = None
    if not missing.is_empty:
        parts = shapely.get_parts(missing)
        where = _xy(shapely.point_on_surface(parts[int(np.argmax(shapely.area(parts)))]))
    return [
        Problem(
            code,
            f"{what} ({abs(d_cells - d_boundary):.3f} m²)",
            where,
            tuple(change.touched),
        )
    ]


def _full_gaps(coverage: Coverage) -> list[Problem]:
    if coverage.boundary is None:
        return []
    _, geoms = coverage.arrays()
    if abs(float(np.sum(shapely.area(geoms))) - coverage.boundary.area) <= coverage.rules.gap_area:
        return []
    union = shapely.coverage_union_all(geoms) if len(geoms) else shapely.Polygon()
    missing = shapely.difference(coverage.boundary, union)
    parts = [p for p in shapely.get_parts(missing) if p.area > coverage.rules.gap_area]
    return [
        Problem("gap", f"a gap of {p.area:.3f} m² between cells", _xy(shapely.point_on_surface(p)))
        for p in parts
    ]


def cut_buildings(coverage: Coverage, change: Change) -> list[Problem]:
    """Buildings that the edit cuts in two: held in good part by more cells than before."""
    region = change.region()
    if region.is_empty:
        return []
    found = coverage.features.rows("buildings", region.bounds, ("address",))
    if not len(found.ids):
        return []
    shapely.prepare(region)
    hit = shapely.intersects(region, found.geometry)
    if not hit.any():
        return []
    ids, geoms = found.ids[hit], found.geometry[hit]
    labels = found.columns.get("address")
    labels = labels[hit] if labels is not None else None
    share = coverage.rules.building_share
    bounds = shapely.total_bounds(geoms)
    local = coverage.near(bounds, pad=coverage.rules.tolerance)
    after = [coverage.geometry(c) for c in local]
    before_ids = [c for c in local if c not in change.before] + [
        c for c, s in change.before.items() if s is not None
    ]
    before = []
    for c in before_ids:
        st = change.before.get(c)
        before.append(st.geometry if st is not None else coverage.geometry(c))
    n_after = _pieces(geoms, after, share)
    n_before = _pieces(geoms, before, share)
    cut = np.flatnonzero((n_after >= 2) & (n_after > n_before))
    problems = []
    for i in cut.tolist():
        label = str(labels[i]) if labels is not None and labels[i] else f"building {ids[i]}"
        problems.append(
            Problem(
                "cuts_building",
                f"the new cell edge cuts {label} in two",
                _xy(shapely.point_on_surface(geoms[i])),
                confirmable=True,
                params={"building_id": int(ids[i]), "label": label},
            )
        )
    return problems


def _pieces(buildings: np.ndarray, cells: list, share: float) -> np.ndarray:
    out = np.zeros(len(buildings), dtype=np.int64)
    if not cells:
        return out
    tree = shapely.STRtree(cells)
    bi, ci = tree.query(buildings, predicate="intersects")
    if not len(bi):
        return out
    cells_arr = np.asarray(cells, dtype=object)
    frac = shapely.area(shapely.intersection(buildings[bi], cells_arr[ci])) / shapely.area(
        buildings[bi]
    )
    np.add.at(out, bi[frac > share], 1)
    return out


def _xy(point) -> tuple[float, float] | None:
    if point is None or point.is_empty:
        return None
    return (float(point.x), float(point.y))
