"""Camera coverage: views equal pysovist's exact isovists; a wall hides what is behind it; a
courtyard of a U-shaped building is seen (no convex hulls); blind spots, per-cell coverage and
greedy suggestions add up."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis_core.analysis.cameras import (
    CameraCoverageParams,
    SuggestParams,
    camera_sectors,
    camera_views,
    run_camera_coverage,
)
from gis_core.analysis.data import AnalysisData, Buildings, Cameras, GridCells
from gis_core.analysis.feedback import AnalysisError

U_SHAPE = shapely.Polygon(
    [(0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30)]
)
L_SHAPE = shapely.Polygon([(50, -20), (70, -20), (70, -10), (60, -10), (60, 10), (50, 10)])
BOX = shapely.box(-30, 40, -15, 55)
FOOTPRINTS = np.array([U_SHAPE, L_SHAPE, BOX], dtype=object)


def _segments(polys) -> np.ndarray:
    segs = []
    for ring in shapely.get_rings(np.asarray(polys, dtype=object)):
        c = shapely.get_coordinates(ring)
        segs.append(np.stack([c[:-1], c[1:]], axis=1))
    return np.concatenate(segs)


CASES = [
    # x, y, heading (compass), fov, range
    (15.0, 45.0, 180.0, 90.0, 60.0),  # looking down into the U's courtyard
    (40.0, 0.0, 90.0, 120.0, 40.0),  # between the U and the L
    (-10.0, 20.0, 45.0, 360.0, 50.0),  # a dome camera
    (45.0, 30.0, 200.0, 60.0, 80.0),
]


@pytest.mark.parametrize("case", CASES)
def test_views_match_pysovist_exact_isovists(case):
    pysovist = pytest.importorskip("pysovist")
    x, y, heading, fov, rng = case
    ours = camera_views(np.array([[x, y]]), heading, fov, rng, FOOTPRINTS, arc_step_deg=0.25)[0]
    iso = pysovist.isovist(
        _segments(FOOTPRINTS),
        (x, y),
        max_distance=rng,
        fov=np.radians(fov),
        direction=np.radians(90.0 - heading),
    )
    exact = shapely.Polygon(iso.polygon(arc_step=np.radians(0.05)))
    # Our arcs are chords every 0.25°: the area may fall short by ≤ 1 − sin(x)/x ≈ 3e-6.
    assert shapely.area(ours) == pytest.approx(iso.area, rel=2e-5)
    assert shapely.area(shapely.symmetric_difference(ours, exact)) < 2e-4 * iso.area


def test_a_camera_behind_a_wall_sees_nothing_past_it():
    wall = shapely.box(-50, 10, 50, 11)  # a long thin wall 10 m north of the camera
    view = camera_views(np.array([[0.0, 0.0]]), 0.0, 60.0, 100.0, np.array([wall]))[0]
    assert shapely.area(view) > 0
    assert view.bounds[3] <= 10.0 + 1e-9  # nothing north of the wall's near face
    # The same camera facing south is not affected by the wall.
    south = camera_views(np.array([[0.0, 0.0]]), 180.0, 60.0, 100.0, np.array([wall]))[0]
    assert shapely.area(south) == pytest.approx(
        shapely.area(camera_sectors(np.array([[0.0, 0.0]]), 180.0, 60.0, 100.0)[0])
    )


def test_courtyard_is_seen_unlike_a_convex_hull():
    view = camera_views(np.array([[15.0, 45.0]]), 180.0, 90.0, 60.0, np.array([U_SHAPE]))[0]
    courtyard = shapely.box(10.5, 10.5, 19.5, 29.5)
    assert shapely.area(shapely.intersection(view, courtyard)) > 0.5 * courtyard.area
    assert shapely.area(shapely.intersection(view, U_SHAPE)) < 1e-6
    hull_view = shapely.difference(
        camera_sectors(np.array([[15.0, 45.0]]), 180.0, 90.0, 60.0)[0],
        shapely.convex_hull(U_SHAPE),
    )
    assert shapely.area(shapely.intersection(hull_view, courtyard)) == 0


def test_camera_on_its_own_wall_sees_outwards():
    b = shapely.box(0, 0, 20, 20)
    view = camera_views(np.array([[10.0, 20.0]]), 0.0, 90.0, 30.0, np.array([b]))[0]
    sector = camera_sectors(np.array([[10.0, 20.0]]), 0.0, 90.0, 30.0)[0]
    assert shapely.area(view) == pytest.approx(shapely.area(sector))


def _data(cameras: Cameras) -> AnalysisData:
    cells = GridCells(
        np.array([1, 2]),
        np.array(["A", "B"]),
        np.array([shapely.box(-40, -30, 20, 90), shapely.box(20, -30, 80, 90)], dtype=object),
    )
    return AnalysisData(
        buildings=Buildings(np.array([1, 2, 3]), FOOTPRINTS, np.array([-1, -1, -1])),
        cameras=cameras,
        cells=cells,
        community=shapely.box(-40, -30, 80, 90),
        streets=np.array([shapely.LineString([(-40, 35), (80, 35)])], dtype=object),
    )


def test_blind_spots_and_cell_coverage_add_up():
    cams = Cameras(
        np.array([1, 2]),
        np.array([[15.0, 45.0], [40.0, 0.0]]),
        np.array([180.0, 90.0]),
        np.array([90.0, 120.0]),
        np.array([60.0, 40.0]),
    )
    r = run_camera_coverage(_data(cams))
    public = shapely.difference(shapely.box(-40, -30, 80, 90), shapely.union_all(FOOTPRINTS))
    assert r.cell_public_m2.sum() == pytest.approx(public.area)
    seen = shapely.intersection(shapely.union_all(r.views), public).area
    assert r.cell_seen_m2.sum() == pytest.approx(seen, rel=1e-9)
    assert 0 < r.summary()["coverage"] < 1
    assert list(r.blind_part_area) == sorted(r.blind_part_area, reverse=True)
    # Blind parts see no camera.
    assert (
        shapely.area(
            shapely.intersection(shapely.union_all(r.blind_parts), shapely.union_all(r.views))
        )
        < 1e-6
    )


def test_no_cameras_means_all_public_space_is_blind():
    none = Cameras(np.empty(0, np.int64), np.empty((0, 2)), np.empty(0), np.empty(0), np.empty(0))
    r = run_camera_coverage(_data(none))
    assert r.summary()["coverage"] == 0
    assert "no cameras" in r.notes[0]


def test_suggestions_are_greedy_and_their_gains_add_up():
    none = Cameras(np.empty(0, np.int64), np.empty((0, 2)), np.empty(0), np.empty(0), np.empty(0))
    data = _data(none)
    r = run_camera_coverage(data, suggest=SuggestParams(k=3, range_m=40.0, street_spacing_m=10.0))
    picks = r.suggestions
    assert len(picks) == 3
    gains = [s.gain_m2 for s in picks]
    assert all(a >= b - 1e-6 for a, b in zip(gains, gains[1:])) and gains[-1] > 0
    # The gains are real: adding the picks as cameras raises the seen area by their total.
    cams = Cameras(
        np.arange(3),
        np.array([[s.x, s.y] for s in picks]),
        np.array([s.heading_deg for s in picks]),
        np.full(3, 90.0),
        np.full(3, 40.0),
    )
    after = run_camera_coverage(_data(cams))
    assert after.cell_seen_m2.sum() == pytest.approx(picks[-1].cumulative_m2, rel=1e-6)


def test_invalid_camera_parameters():
    with pytest.raises(AnalysisError, match="positive range"):
        camera_sectors(np.array([[0.0, 0.0]]), 0.0, 90.0, -5.0)
    with pytest.raises(AnalysisError, match="at least one new camera"):
        SuggestParams(k=0).validated()
    with pytest.raises(AnalysisError, match="arc step"):
        CameraCoverageParams(arc_step_deg=0).validated()
