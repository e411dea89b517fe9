"""Impact preview: exactly the rows whose cell changes, checked against a brute-force join of
every row before and after the edit, with residents following their building."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import shapely

from gis_core.editing import (
    NO_CELL,
    MergeCells,
    MoveVertex,
    ReshapeBoundary,
    SplitCell,
    compute_impact,
)

from .test_properties import _demo_data, demo_coverage


def _brute(cov, kind):
    """Cell of every row of ``kind`` by a join over all cells (lowest id on shared edges)."""
    cols, geoms = _demo_data().layers[kind]
    pts = shapely.point_on_surface(geoms)
    ids, cells = cov.arrays()
    key = np.where(ids > 0, ids, 2**40 - ids)
    order = np.argsort(key)
    ids, cells = ids[order], cells[order]
    out = np.full(len(pts), NO_CELL)
    pi, ci = shapely.STRtree(cells).query(pts, predicate="intersects")
    for p, c in zip(pi[::-1], ci[::-1]):
        out[p] = ids[c]
    return np.asarray(cols["id"]), out


def _crossing(cov):
    """A vertex shared by four cells."""
    count = Counter()
    for cid in cov.ids:
        for xy in map(tuple, shapely.get_coordinates(cov.geometry(cid))[:-1]):
            count[xy] += 1
    return next(xy for xy, n in sorted(count.items()) if n >= 4)


def _edits(cov):
    x, y = _crossing(cov)
    g = cov.geometry(1)
    minx, miny, maxx, maxy = g.bounds
    bminx, bminy, bmaxx, bmaxy = cov.boundary.bounds
    return {
        "move": MoveVertex((x, y), (x + 40, y - 25), allow_cut=True),
        "split": SplitCell(
            [((minx + maxx) / 2, miny - 1), ((minx + maxx) / 2, maxy + 1)],
            cell_id=1,
            allow_cut=True,
        ),
        "merge": MergeCells([1, cov.neighbours(1)[0]]),
        "reshape": ReshapeBoundary(
            line=[(bminx, bminy + 100), (bminx + 120, bminy + 250), (bminx, bminy + 400)],
            allow_cut=True,
        ),
    }


@pytest.mark.parametrize("edit", ["move", "split", "merge", "reshape"])
def test_impact_is_exactly_the_rows_that_change_cell(edit):
    cov = demo_coverage()
    cmd = _edits(cov)[edit]
    before = {k: _brute(cov, k) for k in ("buildings", "sensors", "cameras", "enterprises")}
    cmd.apply(cov)
    impact = compute_impact(cmd.change, cov.features, locate=cov.cell_at)
    assert impact.total("buildings") > 0
    for kind, (ids, old) in before.items():
        _, new = _brute(cov, kind)
        moved = old != new
        km = impact.moves.get(kind)
        got = (
            {} if km is None else dict(zip(km.ids.tolist(), zip(km.old.tolist(), km.new.tolist())))
        )
        want = dict(zip(ids[moved].tolist(), zip(old[moved].tolist(), new[moved].tolist())))
        assert got == want, kind
    # Residents follow their building: per old → new cell, the residents of the moved buildings.
    res = _demo_data().layers["residents"][0]
    moved_b = impact.moves["buildings"]
    new_of = dict(zip(moved_b.ids.tolist(), moved_b.new.tolist()))
    want = Counter(
        (int(c), new_of[b])
        for b, c in zip(res["building_id"].tolist(), res["grid_cell_id"].tolist())
        if b in new_of
    )
    assert impact.counts["residents"] == dict(want)
    if edit == "merge":
        assert impact.removed and impact.fallback[impact.removed[0]] == 1
