"""Property: any sequence of edits keeps the grid a valid coverage or is refused without a trace,
and undoing everything gives back the exact starting geometries."""

from __future__ import annotations

import math
import os

import numpy as np
import shapely
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gis_core import demo
from gis_core.editing import (
    AddVertex,
    CellAttributes,
    Coverage,
    CreateCell,
    DeleteVertex,
    EditRefused,
    MemoryFeatures,
    MergeCells,
    MoveEdge,
    MoveVertex,
    ReshapeBoundary,
    Rules,
    SetAttributes,
    SplitCell,
    topology,
)

from .grids import assert_valid_coverage, grid_coverage, snapshot

# More examples for a long hunt: ZW_EDIT_EXAMPLES=2000 pytest tests/gis_core/editing
EXAMPLES = int(os.environ.get("ZW_EDIT_EXAMPLES", "100"))

OPS = ("move", "move_far", "edge", "add", "delete", "split", "merge", "create", "reshape", "attrs")


def _vertex(data, cov: Coverage):
    cid = data.draw(st.sampled_from(cov.ids))
    verts = topology.vertices(cov.geometry(cid))
    return tuple(verts[data.draw(st.integers(0, len(verts) - 1))]), cid


def _edge(data, cov: Coverage):
    cid = data.draw(st.sampled_from(cov.ids))
    ring = topology.rings(cov.geometry(cid))[0]
    k = data.draw(st.integers(0, len(ring) - 2))
    return tuple(ring[k]), tuple(ring[k + 1]), cid


def _offset(data, scale: float) -> tuple[float, float]:
    dx = data.draw(st.floats(-scale, scale, allow_nan=False))
    dy = data.draw(st.floats(-scale, scale, allow_nan=False))
    return dx, dy


def draw_command(data, cov: Coverage):
    op = data.draw(st.sampled_from(OPS), label="op")
    if op in ("move", "move_far"):
        p, _ = _vertex(data, cov)
        dx, dy = _offset(data, 25.0 if op == "move" else 120.0)
        return MoveVertex(p, (p[0] + dx, p[1] + dy))
    if op == "edge":
        a, b, _ = _edge(data, cov)
        return MoveEdge(a, b, _offset(data, 30.0))
    if op == "add":
        a, b, _ = _edge(data, cov)
        t = data.draw(st.floats(0.1, 0.9))
        p = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        to = None
        if data.draw(st.booleans()):
            dx, dy = _offset(data, 20.0)
            to = (p[0] + dx, p[1] + dy)
        return AddVertex(p, to=to)
    if op == "delete":
        p, _ = _vertex(data, cov)
        return DeleteVertex(p)
    if op == "split":
        cid = data.draw(st.sampled_from(cov.ids))
        g = cov.geometry(cid)
        c = shapely.point_on_surface(g)
        angle = data.draw(st.floats(0, math.pi))
        r = 2 * math.hypot(g.bounds[2] - g.bounds[0], g.bounds[3] - g.bounds[1])
        dx, dy = r * math.cos(angle), r * math.sin(angle)
        return SplitCell([(c.x - dx, c.y - dy), (c.x + dx, c.y + dy)], cell_id=cid)
    if op == "merge":
        cid = data.draw(st.sampled_from(cov.ids))
        near = [n for n in cov.near(cov.geometry(cid).bounds) if n != cid]
        other = data.draw(st.sampled_from(near)) if near else cid
        return MergeCells([cid, other])
    if op == "create":
        cid = data.draw(st.sampled_from(cov.ids))
        c = shapely.point_on_surface(cov.geometry(cid))
        w = data.draw(st.floats(5.0, 60.0))
        h = data.draw(st.floats(5.0, 60.0))
        x, y = c.x - w / 2, c.y - h / 2
        return CreateCell([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
    if op == "reshape":
        ring = topology.rings(cov.boundary)[0]
        k = data.draw(st.integers(0, len(ring) - 2))
        a, b = ring[k], ring[k + 1]
        t1, t2 = sorted(data.draw(st.lists(st.floats(0.05, 0.95), min_size=2, max_size=2)))
        p1, p2 = a + t1 * (b - a), a + t2 * (b - a)
        normal = np.array([b[1] - a[1], a[0] - b[0]]) / max(np.hypot(*(b - a)), 1e-9)
        depth = data.draw(st.floats(-40.0, 40.0))
        return ReshapeBoundary(
            line=[tuple(p1), tuple(p1 + depth * normal), tuple(p2 + depth * normal), tuple(p2)]
        )
    cid = data.draw(st.sampled_from(cov.ids))
    other = data.draw(st.sampled_from(cov.ids))
    choice = data.draw(st.sampled_from(["swap_taken", "rename", "bad"]))
    if choice == "swap_taken":
        return SetAttributes(cid, code=cov.attributes(other).code)
    if choice == "rename":
        return SetAttributes(cid, name=f"网格{data.draw(st.integers(1, 99))}")
    return SetAttributes(cid, code="61-1")


def run_sequence(data, cov: Coverage, steps: int) -> None:
    start = snapshot(cov)
    applied = []
    for _ in range(steps):
        cmd = draw_command(data, cov)
        # Sometimes the user confirms cutting a building.
        cmd.allow_cut = data.draw(st.booleans(), label="allow_cut")
        before = snapshot(cov)
        try:
            cmd.apply(cov)
        except EditRefused as refused:
            event(f"{cmd.kind} refused: {refused.code}")
            assert refused.problems and refused.message
            assert snapshot(cov) == before, f"refused {cmd.text} left a trace"
            continue
        event(f"{cmd.kind} applied")
        assert_valid_coverage(cov)
        applied.append((cmd, before))
    for cmd, before in reversed(applied):
        cmd.revert(cov)
        assert snapshot(cov) == before, f"undo of {cmd.text} is not exact"
    assert snapshot(cov) == start


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), steps=st.integers(1, 12))
def test_random_edits_on_a_regular_grid_keep_the_coverage_valid(data, steps):
    run_sequence(data, grid_coverage(4, 3, edge_points=1), steps)


_DEMO = None


def _demo_data() -> demo.DemoData:
    global _DEMO
    if _DEMO is None:
        _DEMO = demo.generate(3000, seed=5)
    return _DEMO


def demo_coverage() -> Coverage:
    """The demo community's cells (a dozen, along street centrelines), with its buildings."""
    _demo_data()
    cols, geoms = _DEMO.layers["grid_cells"]
    ids = [int(i) for i in cols["id"]]
    attrs = {
        i: CellAttributes(str(cols["code"][k]), str(cols["name"][k])) for k, i in enumerate(ids)
    }
    boundary = _DEMO.layers["communities"][1][0]
    return Coverage(
        dict(zip(ids, geoms)),
        attrs,
        boundary,
        community_id=1,
        community_code=str(_DEMO.layers["communities"][0]["code"][0]),
        rules=Rules(),
        features=MemoryFeatures.from_demo(_DEMO),
    )


@settings(
    max_examples=max(10, EXAMPLES * 2 // 5),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data(), steps=st.integers(1, 8))
def test_random_edits_on_the_demo_community_keep_the_coverage_valid(data, steps):
    cov = demo_coverage()
    assert_valid_coverage(cov)
    run_sequence(data, cov, steps)
