"""Each edit command by hand: what it changes, what it refuses (why and where), exact undo."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from gis_core.editing import (
    AddVertex,
    CellAttributes,
    CreateCell,
    DeleteVertex,
    EditRefused,
    MemoryFeatures,
    MergeCells,
    MoveEdge,
    MoveVertex,
    ReshapeBoundary,
    RestoreVersion,
    SetAttributes,
    SplitCell,
    command_from_json,
)
from gis_core.store import FeatureFrame

from .grids import assert_valid_coverage, at, grid_coverage, snapshot


def cell_index(i: int, j: int, nx: int = 4) -> int:
    """Id of the cell in column i, row j of a grid_coverage."""
    return j * nx + i + 1


def has_vertex(geom, xy) -> bool:
    c = shapely.get_coordinates(geom)
    return bool(np.any((c[:, 0] == xy[0]) & (c[:, 1] == xy[1])))


def refused(cov, cmd) -> EditRefused:
    before = snapshot(cov)
    with pytest.raises(EditRefused) as info:
        cmd.apply(cov)
    assert snapshot(cov) == before, "a refused edit changed the coverage"
    return info.value


def applied(cov, cmd):
    before = snapshot(cov)
    cmd.apply(cov)
    assert_valid_coverage(cov)
    after = snapshot(cov)
    cmd.revert(cov)
    assert snapshot(cov) == before, "undo did not give back the exact previous cells"
    cmd.apply(cov)
    assert snapshot(cov) == after, "redo did not give back the exact same cells"
    return cmd.change


# ------------------------------------------------------------------------------- move vertex
def test_moving_a_shared_vertex_moves_it_in_all_four_cells():
    cov = grid_coverage()
    change = applied(cov, MoveVertex(at(1, 1), (at(1, 1)[0] + 20, at(1, 1)[1] + 10)))
    moved = (at(1, 1)[0] + 20, at(1, 1)[1] + 10)
    assert change.touched == [1, 2, 5, 6]
    for cid in (1, 2, 5, 6):
        assert has_vertex(cov.geometry(cid), moved)
        assert not has_vertex(cov.geometry(cid), at(1, 1))
    assert cov.area() == pytest.approx(cov.boundary.area)


def test_moving_nothing_or_a_boundary_vertex_is_refused_with_the_place():
    cov = grid_coverage()
    e = refused(cov, MoveVertex(at(1.3, 1.3), at(1.4, 1.4)))
    assert e.code == "not_found" and e.location == pytest.approx(at(1.3, 1.3))
    e = refused(cov, MoveVertex(at(0, 1), (at(0, 1)[0] - 30, at(0, 1)[1])))
    assert e.code == "boundary_vertex" and e.location == pytest.approx(at(0, 1))


def test_dragging_a_vertex_across_its_neighbours_is_refused_as_overlap():
    cov = grid_coverage()
    e = refused(cov, MoveVertex(at(1, 1), at(2.3, 1.2)))
    assert {p.code for p in e.problems} & {"overlap", "self_intersection"}
    assert e.location is not None
    # The reported place is near the drag, not somewhere else in the community.
    assert np.hypot(e.location[0] - at(2, 1)[0], e.location[1] - at(2, 1)[1]) < 200


def test_a_vertex_move_that_makes_a_cell_too_narrow_or_too_small_is_refused():
    cov = grid_coverage(edge_points=0)
    # Pull an inner corner almost onto the next one: cell 6 becomes a sliver.
    e = refused(cov, MoveVertex(at(1, 1), (at(2, 2)[0] - 1.0, at(2, 2)[1] - 0.5)))
    assert {"too_narrow", "too_small", "overlap"} & {p.code for p in e.problems}
    # A 2 m strip is big enough (200 m²) but narrower than the 3 m minimum.
    y = at(0, 0.02)[1]
    e = refused(cov, SplitCell([(at(0, 0)[0] - 5, y), (at(1, 0)[0] + 5, y)], cell_id=1))
    assert e.code == "too_narrow"
    assert e.location[1] == pytest.approx(at(0, 0.01)[1], abs=1.5)


# ------------------------------------------------------------------------------- move edge
def test_moving_a_shared_edge_moves_both_ends_everywhere():
    cov = grid_coverage(edge_points=0)
    change = applied(cov, MoveEdge(at(2, 1), at(2, 2), (15, 0)))
    assert set(change.touched) == {2, 3, 6, 7, 10, 11}
    assert has_vertex(cov.geometry(10), (at(2, 2)[0] + 15, at(2, 2)[1]))
    e = refused(cov, MoveEdge(at(0.5, 1), at(2, 2), (5, 0)))
    assert e.code == "not_found"


# ------------------------------------------------------------------------------- add / delete
def test_adding_a_vertex_on_a_shared_edge_adds_it_to_both_cells():
    cov = grid_coverage(edge_points=0)
    p = at(1, 0.25)
    change = applied(cov, AddVertex(p))
    assert change.touched == [1, 2]
    assert has_vertex(cov.geometry(1), p) and has_vertex(cov.geometry(2), p)
    assert cov.geometry(1).area == pytest.approx(STEP2)
    e = refused(cov, AddVertex(p))
    assert e.code == "not_found"


STEP2 = 100.0 * 100.0


def test_adding_and_dragging_a_vertex_bends_the_shared_edge():
    cov = grid_coverage(edge_points=0)
    p, q = at(1, 0.5), (at(1, 0.5)[0] + 20, at(1, 0.5)[1])
    applied(cov, AddVertex(p, to=q))
    assert has_vertex(cov.geometry(1), q) and has_vertex(cov.geometry(2), q)
    assert cov.geometry(1).area > STEP2 > cov.geometry(2).area
    e = refused(cov, AddVertex(at(0.5, 0), to=(at(0.5, 0)[0], at(0.5, 0)[1] - 20)))
    assert e.code == "boundary_vertex"


def test_deleting_a_straight_through_vertex_keeps_the_shape():
    cov = grid_coverage(edge_points=1)
    mid = at(1, 0.5)  # the extra vertex halfway up the edge between cells 1 and 2
    change = applied(cov, DeleteVertex(mid))
    assert change.touched == [1, 2]
    assert not has_vertex(cov.geometry(1), mid) and cov.geometry(1).area == pytest.approx(STEP2)
    # On the boundary too, as long as it does not bend it.
    applied(cov, DeleteVertex(at(0.5, 0)))


def test_deleting_a_junction_or_a_boundary_corner_is_refused():
    cov = grid_coverage(edge_points=0)
    e = refused(cov, DeleteVertex(at(1, 1)))
    assert e.code in ("overlap", "gap", "self_intersection")
    e = refused(cov, DeleteVertex(at(0, 0)))
    assert e.code in ("boundary_vertex", "not_polygon")


# ------------------------------------------------------------------------------- split
def test_split_gives_a_new_cell_with_the_next_code_and_the_neighbour_the_new_vertex():
    cov = grid_coverage(edge_points=0)
    line = [(at(0, 0.3)[0] - 5, at(0, 0.3)[1]), (at(1, 0.3)[0] + 5, at(1, 0.3)[1])]
    change = applied(cov, SplitCell(line))
    new = [c for c in change.touched if c < 0]
    assert len(new) == 1
    assert cov.attributes(new[0]).code == "610402-001-17"
    assert cov.attributes(new[0]).name == "文汇社区第17网格"
    assert cov.geometry(1).area == pytest.approx(0.7 * STEP2)
    assert cov.geometry(new[0]).area == pytest.approx(0.3 * STEP2)
    # The split point on the edge shared with cell 2 is now cell 2's vertex too.
    assert 2 in change.touched and has_vertex(cov.geometry(2), at(1, 0.3))


def test_split_line_landing_exactly_on_the_edges_works_and_codes_can_be_given():
    cov = grid_coverage(edge_points=0)
    change = applied(cov, SplitCell([at(1.5, 1), at(1.5, 2)], codes=["610402-001-40"]))
    new = [c for c in change.touched if c < 0]
    assert cov.attributes(new[0]).code == "610402-001-40"


def test_split_refusals():
    cov = grid_coverage(edge_points=0)
    e = refused(cov, SplitCell([at(0.2, 0.2), at(0.6, 0.6)]))  # stops inside the cell
    assert e.code == "bad_line"
    e = refused(cov, SplitCell([at(0.5, -0.1), at(0.5, 2.5)]))  # runs through three cells
    assert e.code == "bad_line"
    e = refused(cov, SplitCell([at(0.9, -0.01), at(1.01, 0.1)], cell_id=1))  # cuts off a corner
    assert e.code == "too_small"
    e = refused(cov, SplitCell([at(0.5, -1), at(0.5, 1.5)], codes=["610402-001-02"], cell_id=1))
    assert e.code == "bad_code"


# ------------------------------------------------------------------------------- merge
def test_merging_two_neighbours_keeps_the_first_id_and_removes_the_other():
    cov = grid_coverage(edge_points=0)
    change = applied(cov, MergeCells([6, 7]))
    assert 7 not in cov and cov.geometry(6).area == pytest.approx(2 * STEP2)
    assert change.after[7] is None
    e = refused(cov, MergeCells([1, 16]))
    assert e.code == "not_adjacent"
    e = refused(cov, MergeCells([1, 6]))  # corner to corner only
    assert e.code == "not_adjacent"


# ------------------------------------------------------------------------------- create
def test_a_cell_drawn_inside_a_cell_is_carved_out_of_it():
    cov = grid_coverage(edge_points=0)
    x, y = at(1.3, 1.3)
    change = applied(cov, CreateCell([(x, y), (x + 40, y), (x + 40, y + 40), (x, y + 40)]))
    new = [c for c in change.touched if c < 0][0]
    assert cov.geometry(new).area == pytest.approx(1600)
    assert len(cov.geometry(6).interiors) == 1  # the host has a hole now
    assert cov.attributes(new).code == "610402-001-17"


def test_a_cell_drawn_against_a_shared_edge_gives_the_neighbour_its_corners():
    cov = grid_coverage(edge_points=0)
    x, y = at(1, 1.2)
    change = applied(
        cov,
        CreateCell(
            [(x, y), (x + 30, y), (x + 30, y + 40), (x, y + 40)],
            {"code": "610402-001-50", "name": "新网格"},
        ),
    )
    assert 5 in change.touched
    assert has_vertex(cov.geometry(5), (x, y)) and has_vertex(cov.geometry(5), (x, y + 40))


def test_create_refusals():
    cov = grid_coverage(edge_points=0)
    x, y = at(0.9, 0.5)
    e = refused(cov, CreateCell([(x, y), (x + 30, y), (x + 30, y + 30), (x, y + 30)]))
    assert e.code == "bad_polygon"  # reaches into the next cell
    x, y = at(0.5, 0.5)
    e = refused(cov, CreateCell([(x, y), (x + 5, y), (x + 5, y + 5), (x, y + 5)]))
    assert e.code in ("too_small", "too_narrow")
    e = refused(cov, CreateCell([(x, y), (x + 30, y + 30), (x + 30, y), (x, y + 30)]))
    assert e.code == "bad_polygon"  # a bow tie


# ------------------------------------------------------------------------------- boundary
def test_reshaping_the_boundary_outward_grows_the_cell_along_it():
    cov = grid_coverage(edge_points=0)
    line = [at(0, 1.2), (at(0, 1.2)[0] - 40, at(0, 1.5)[1]), at(0, 1.8)]
    change = applied(cov, ReshapeBoundary(line=line))
    assert change.touched == [5]
    assert cov.boundary.area == pytest.approx(16 * STEP2 + 0.5 * 40 * 60)
    assert cov.geometry(5).area == pytest.approx(STEP2 + 0.5 * 40 * 60)


def test_reshaping_the_boundary_inward_across_cells_cuts_them():
    cov = grid_coverage(edge_points=0)
    line = [at(4, 0.5), at(3.5, 0.5), at(3.5, 1.5), at(4, 1.5)]
    change = applied(cov, ReshapeBoundary(line=line))
    assert change.touched == [4, 8]
    assert cov.geometry(4).area == pytest.approx(0.75 * STEP2)


def test_boundary_refusals():
    cov = grid_coverage(edge_points=0)
    # Cutting a whole cell away.
    e = refused(cov, ReshapeBoundary(line=[at(4, -0.0), at(2.9, 0.5), at(4, 1.0)]))
    assert e.code in ("not_polygon", "too_small", "overlap", "gap")
    # Growing over the neighbouring community.
    other = shapely.box(*at(-1, 0), *at(0, 4))
    cov.others = [other]
    e = refused(
        cov, ReshapeBoundary(line=[at(0, 1.2), (at(0, 1.5)[0] - 40, at(0, 1.5)[1]), at(0, 1.8)])
    )
    assert e.code == "other_community"


# ------------------------------------------------------------------------------- attributes
@pytest.mark.parametrize(
    "changes, code",
    [
        ({"code": "610402-001-3"}, "bad_code"),  # one digit
        ({"code": "610402-002-03"}, "bad_code"),  # another community
        ({"code": "610402-001-02"}, "bad_code"),  # taken
        ({"name": " "}, "bad_attribute"),
        ({"worker_phone": "call me"}, "bad_attribute"),
        ({"colour": "red"}, "bad_attribute"),
    ],
)
def test_bad_attributes_are_refused(changes, code):
    cov = grid_coverage()
    e = refused(cov, SetAttributes(1, **changes))
    assert e.code == code


def test_attributes_change_and_undo():
    cov = grid_coverage()
    applied(
        cov,
        SetAttributes(
            1, name="东区网格", worker_name="王芳", worker_phone="13800000000", code="610402-001-99"
        ),
    )
    assert cov.attributes(1) == CellAttributes(
        "610402-001-99", "东区网格", "王芳", "13800000000", None
    )
    assert cov.code_owner("610402-001-99") == 1 and cov.code_owner("610402-001-01") is None


# ------------------------------------------------------------------------------- restore
def test_restoring_an_old_outline_gives_the_neighbours_back_their_share():
    cov = grid_coverage(edge_points=0)
    old = cov.state(6)
    MoveVertex(at(1, 1), (at(1, 1)[0] + 30, at(1, 1)[1] + 20)).apply(cov)
    MoveVertex(at(2, 2), (at(2, 2)[0] - 20, at(2, 2)[1] - 10)).apply(cov)
    change = applied(cov, RestoreVersion(6, 1, old.geometry, old.attributes))
    assert shapely.equals(cov.geometry(6), old.geometry)
    assert {1, 2, 5, 6} <= set(change.touched)


# ------------------------------------------------------------------------------- buildings
def _buildings(*polys) -> MemoryFeatures:
    geoms = np.array(polys, dtype=object)
    frame = FeatureFrame(
        "buildings",
        np.arange(1, len(polys) + 1, dtype=np.int64),
        geoms,
        {
            "grid_cell_id": np.ones(len(polys), dtype=np.int64),
            "address": np.array(["人民路18号3栋"] * len(polys), dtype=object),
        },
    )
    return MemoryFeatures({"buildings": frame})


def test_cutting_a_building_needs_confirmation():
    x, y = at(1, 0.5)
    house = shapely.box(x - 30, y - 5, x - 10, y + 5)  # in cell 1, 10 m west of the shared edge
    cov = grid_coverage(edge_points=1, features=_buildings(house))
    cmd = MoveVertex((x, y), (x - 20, y))
    e = refused(cov, cmd)
    assert e.code == "cuts_building" and e.confirmable
    assert "人民路18号3栋" in e.message
    assert e.location == pytest.approx((x - 20, y), abs=10)
    applied(cov, MoveVertex((x, y), (x - 20, y), allow_cut=True))
    # A building already cut by a street-line edge does not block edits elsewhere.
    cov2 = grid_coverage(
        edge_points=1, features=_buildings(shapely.box(x - 5, y - 5, x + 5, y + 5))
    )
    applied(cov2, MoveVertex(at(3, 3), (at(3, 3)[0] + 10, at(3, 3)[1])))


# ------------------------------------------------------------------------------- journal form
def test_a_command_survives_json_with_its_exact_change():
    cov = grid_coverage(edge_points=0)
    cmd = SplitCell([at(0.5, -0.1), at(0.5, 1.0)], cell_id=1)
    cmd.apply(cov)
    after = snapshot(cov)
    cmd.revert(cov)
    again = command_from_json(json.loads(json.dumps(cmd.to_json())))
    again.apply(cov)
    assert snapshot(cov) == after
    again.revert(cov)
    fresh = json.loads(json.dumps(cmd.to_json()))
    fresh["change"] = None
    command_from_json(fresh).apply(cov)
    assert {shapely.to_wkb(g) for g in cov.arrays()[1]} == set(after[0].values())


def test_checking_a_split_while_drawing_does_not_use_up_codes():
    cov = grid_coverage(edge_points=0)
    for dx in (0.3, 0.4, 0.5):
        assert SplitCell([at(dx, -0.1), at(dx, 1.1)], cell_id=1).check(cov) == []
    cmd = SplitCell([at(0.5, -0.1), at(0.5, 1.1)], cell_id=1)
    cmd.apply(cov)
    assert {cov.attributes(c).code for c in cmd.change.touched if c < 0} == {"610402-001-17"}
    # A stored cell merged away keeps its code out of later proposals.
    MergeCells([2, 3]).apply(cov)
    cmd = SplitCell([at(0.5, 1.9), at(0.5, 3.1)], cell_id=9)
    cmd.apply(cov)
    assert {cov.attributes(c).code for c in cmd.change.touched if c < 0} == {"610402-001-18"}
