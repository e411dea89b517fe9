"""MapView: pixels ↔ map, wheel zoom around the cursor, drag pan, fit to an extent."""

import numpy as np
import pytest

from layers.view import MapView

X0, Y0 = 36_500_000.0, 3_800_000.0


def test_fit_shows_the_whole_bbox_centred():
    v = MapView.fit((X0, Y0, X0 + 4000, Y0 + 1000), 800, 600)
    assert v.scale == pytest.approx(5.0)
    minx, miny, maxx, maxy = v.bbox
    assert minx <= X0 and maxx >= X0 + 4000 and miny <= Y0 and maxy >= Y0 + 1000
    assert (v.center_x, v.center_y) == pytest.approx((X0 + 2000, Y0 + 500))


def test_pixels_and_map_round_trip_with_y_down():
    v = MapView(X0, Y0, 2.0, 100, 50)
    px, py = v.to_pixels(np.array([X0, X0 + 10]), np.array([Y0, Y0 + 10]))
    assert px.tolist() == [50.0, 55.0]
    assert py.tolist() == [25.0, 20.0]  # north is up
    x, y = v.to_map(px, py)
    assert np.allclose(x, [X0, X0 + 10]) and np.allclose(y, [Y0, Y0 + 10])


def test_zoom_keeps_the_point_under_the_cursor():
    v = MapView(X0, Y0, 2.0, 800, 600)
    anchor = (100.0, 450.0)
    before = v.to_map(*anchor)
    z = v.zoomed(2.0, anchor)
    assert z.scale == pytest.approx(1.0)
    assert np.allclose(z.to_map(*anchor), before)
    assert v.zoomed(0.5).scale == pytest.approx(4.0)


def test_pan_moves_content_with_the_drag():
    v = MapView(X0, Y0, 2.0, 800, 600)
    p = v.panned(30, -10)
    x, y = v.to_map(400, 300)
    assert np.allclose(p.to_pixels(x, y), (430, 290))


def test_bad_views_are_rejected():
    with pytest.raises(ValueError):
        MapView(X0, Y0, 0.0, 10, 10)
    with pytest.raises(ValueError):
        MapView(X0, Y0, 1.0, 0, 10)
