"""The map renderer on a small demo city, checked at known pixels — on both backends."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor, QFontInfo, QFontMetricsF, QImage

from layers.model import BUILDING_USE_COLORS, VectorLayer, default_layers, default_style
from layers.render import (
    DEFAULT_BACKGROUND,
    SELECTION_FILL,
    CancelToken,
    hit_test,
    render_layer,
    render_map,
)
from layers.view import MapView

pytestmark = pytest.mark.usefixtures("qapp")


def _layer(store, name: str) -> VectorLayer:
    return next(lyr for lyr in default_layers(store) if lyr.name == name)


def _rgb(image: QImage, x: float, y: float) -> tuple[int, int, int, int]:
    c = image.pixelColor(int(x), int(y))
    return c.red(), c.green(), c.blue(), c.alpha()


def _close(actual, expected: str, tol: int = 12) -> bool:
    e = QColor(expected)
    return all(abs(a - b) <= tol for a, b in zip(actual[:3], (e.red(), e.green(), e.blue())))


def _roomy_building(store, min_radius_m: float = 6.0):
    """A building near the middle of the city with room inside it for a clear pixel sample:
    its id, use, and the centre of its largest inscribed circle."""
    ext = store.extent("buildings")
    cx, cy = (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2
    frame = store.query_bbox("buildings", (cx - 400, cy - 400, cx + 400, cy + 400), ["use"])
    circles = shapely.maximum_inscribed_circle(frame.geometry)
    radius = shapely.length(circles)
    order = np.argsort(-radius)
    k = int(order[0])
    assert radius[k] >= min_radius_m
    centre = shapely.get_coordinates(circles[k])[0]
    return int(frame.ids[k]), str(frame.columns["use"][k]), float(centre[0]), float(centre[1])


def test_a_building_is_drawn_in_its_use_colour_and_background_elsewhere(map_store):
    store, _ = map_store
    bid, use, x, y = _roomy_building(store)
    view = MapView(x, y, 0.5, 400, 300)
    image = render_map([_layer(store, "buildings")], view)
    assert (image.width(), image.height()) == (400, 300)
    px, py = view.to_pixels(x, y)
    assert _close(_rgb(image, px, py), BUILDING_USE_COLORS.get(use, BUILDING_USE_COLORS["other"]))
    # A pixel of this view farther than 4 px from every building shows the background.
    frame = store.query_bbox("buildings", view.bbox)
    gx, gy = np.meshgrid(np.arange(5, 400, 10), np.arange(5, 300, 10))
    mx, my = view.to_map(gx.ravel(), gy.ravel())
    tree = shapely.STRtree(frame.geometry)
    _, dist = tree.query_nearest(shapely.points(mx, my), return_distance=True, all_matches=False)
    far = np.flatnonzero(dist > 4 * view.scale)
    assert len(far), "the view has no empty spot to test"
    empty = far[0]
    assert _close(_rgb(image, gx.ravel()[empty], gy.ravel()[empty]), DEFAULT_BACKGROUND, 2)


def test_background_between_features_of_the_outline_layers(map_store):
    store, _ = map_store
    _, _, x, y = _roomy_building(store)
    view = MapView(x, y, 1.0, 500, 400)
    names = ("streets", "buildings", "grid_cells", "communities")
    layers = [_layer(store, n) for n in names]
    image = render_map(layers, view)
    geoms = [store.query_bbox(n, view.bbox).geometry for n in names]
    everything = shapely.union_all(
        np.concatenate([shapely.boundary(g) for g in geoms[2:]] + geoms[:2])
    )
    labels = shapely.point_on_surface(store.query_bbox("grid_cells", view.bbox).geometry)
    gx, gy = np.meshgrid(np.arange(10, 500, 7), np.arange(10, 400, 7))
    pts = shapely.points(*view.to_map(gx.ravel(), gy.ravel()))
    clear = shapely.distance(pts, everything) > 8 * view.scale
    for lab in labels:
        clear &= shapely.distance(pts, lab) > 90 * view.scale
    assert clear.any()
    k = int(np.flatnonzero(clear)[0])
    assert _close(_rgb(image, gx.ravel()[k], gy.ravel()[k]), DEFAULT_BACKGROUND, 2)


def test_selected_building_is_highlighted(map_store):
    store, _ = map_store
    bid, use, x, y = _roomy_building(store)
    view = MapView(x, y, 0.5, 400, 300)
    layers = [_layer(store, "buildings")]
    px, py = view.to_pixels(x, y)
    plain = render_map(layers, view)
    selected = render_map(layers, view, selection={"buildings": {bid}})
    assert _close(_rgb(selected, px, py), SELECTION_FILL)
    assert not _close(_rgb(plain, px, py), SELECTION_FILL)
    # render_layer takes the selection directly, too.
    img = render_layer(layers[0].snapshot(), view, selection=frozenset({bid}))
    assert _close(_rgb(img, px, py), SELECTION_FILL)


def test_grid_cell_outline_is_drawn_and_interior_is_clear(map_store):
    store, _ = map_store
    cells = store.query_all("grid_cells", ["code"])
    cell = cells.geometry[0]
    ring = shapely.get_coordinates(shapely.get_exterior_ring(cell))
    # The midpoint of the cell's longest edge, viewed up close.
    seg = np.hypot(*(ring[1:] - ring[:-1]).T)
    k = int(seg.argmax())
    mid = (ring[k] + ring[k + 1]) / 2
    view = MapView(float(mid[0]), float(mid[1]), 0.5, 200, 200)
    snap = _layer(store, "grid_cells").snapshot()
    image = render_layer(snap, view)
    stroke = default_style("grid_cells")[0].stroke
    window = [_rgb(image, 100 + dx, 100 + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    best = max(window, key=lambda c: c[3])
    assert best[3] > 150 and _close(best, stroke, 30)
    # 40 px inside the cell, away from its edge and its code label: nothing drawn.
    inside = shapely.Point(view.to_map(100, 60))
    probe = (100, 60) if cell.contains(inside) else (100, 140)
    assert _rgb(image, *probe)[3] == 0


def test_buildings_aggregate_to_a_density_raster_at_city_scale(map_store, monkeypatch):
    store, _ = map_store
    calls = {"density": 0, "buildings_query": 0}
    density, query = store.density, store.query_bbox

    def spy_density(*a, **k):
        calls["density"] += 1
        return density(*a, **k)

    def spy_query(kind, *a, **k):
        # Fetching the buildings in view (not the small LIMIT sample that sizes a layer).
        calls["buildings_query"] += kind == "buildings" and k.get("limit") is None
        return query(kind, *a, **k)

    monkeypatch.setattr(store, "density", spy_density)
    monkeypatch.setattr(store, "query_bbox", spy_query)
    ext = store.extent("buildings")
    cx, cy = (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2
    snap = _layer(store, "buildings").snapshot()
    city = MapView(cx, cy, 60.0, 300, 200)  # metres per pixel of a whole-city view
    image = render_layer(snap, city)
    assert calls == {"density": 1, "buildings_query": 0}
    alpha = _alpha(image)
    # Drawn where the buildings are, nothing far outside the city.
    x0, y1 = city.to_pixels(ext[0], ext[1])
    x1, y0 = city.to_pixels(ext[2], ext[3])
    assert alpha[int(y0) : int(y1), int(x0) : int(x1)].mean() > 20
    assert alpha[:, : max(0, int(x0) - 4)].max(initial=0) == 0
    calls.update(density=0, buildings_query=0)
    render_layer(snap, MapView(cx, cy, 0.5, 300, 200))
    assert calls == {"density": 0, "buildings_query": 1}
    # A selected building stays findable at city scale: it is ringed in the selection colour.
    bid, _, bx, by = _roomy_building(store)
    calls.update(density=0, buildings_query=0)
    ringed = render_layer(snap, city, selection=frozenset({bid}))
    assert calls["buildings_query"] == 0
    px, py = (int(v) for v in city.to_pixels(bx, by))
    rgba = _rgba(ringed)[py - 10 : py + 11, px - 10 : px + 11]
    sel = QColor(SELECTION_FILL)
    near = np.abs(rgba[..., :3].astype(int) - [sel.red(), sel.green(), sel.blue()]).sum(-1)
    assert (near < 40).sum() >= 8


def _alpha(image: QImage) -> np.ndarray:
    img = image.convertToFormat(QImage.Format.Format_ARGB32)
    buf = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    # Copy: the array must not outlive the converted image's memory.
    return buf.reshape(img.height(), img.bytesPerLine())[:, 3 : 4 * img.width() : 4].copy()


def test_cancelled_render_returns_none(map_store, monkeypatch):
    store, _ = map_store
    ext = store.extent("buildings")
    view = MapView.fit(ext, 300, 200)
    snap = _layer(store, "buildings").snapshot()
    token = CancelToken()
    token.cancel()
    assert token.cancelled
    assert render_layer(snap, view, token) is None
    # Cancelled while the store query runs (a newer pan arrived): also None.
    token = CancelToken()
    query = store.query_bbox

    def slow_query(*a, **k):
        token.cancel()
        return query(*a, **k)

    monkeypatch.setattr(store, "query_bbox", slow_query)
    assert render_layer(snap, MapView(view.center_x, view.center_y, 0.5, 300, 200), token) is None


def test_hit_test_finds_the_building_under_the_cursor(map_store):
    store, _ = map_store
    bid, _, x, y = _roomy_building(store)
    view = MapView(x, y, 0.5, 400, 300)
    snap = _layer(store, "buildings").snapshot()
    px, py = view.to_pixels(x, y)
    assert hit_test(snap, view, float(px), float(py)) == bid
    # The corner of a view with a wide margin around the city: no building there.
    city = MapView.fit(store.extent("communities"), 400, 300, margin=0.2)
    assert hit_test(snap, city, 2.0, 2.0) is None


def test_every_default_layer_renders_and_labels_use_a_cjk_font(map_store):
    store, _ = map_store
    layers = default_layers(store)
    assert [lyr.name for lyr in layers] == [
        "streets",
        "buildings",
        "grid_cells",
        "communities",
        "facilities",
        "cameras",
        "sensors",
    ]
    view = MapView.fit(store.extent("communities"), 640, 400, margin=0.02)
    image = render_map(layers, view)
    alpha_bg = QColor(DEFAULT_BACKGROUND)
    arr = _rgba(image)
    differs = np.abs(arr[..., :3].astype(int) - [alpha_bg.red(), alpha_bg.green(), alpha_bg.blue()])
    assert (differs.sum(axis=-1) > 10).mean() > 0.1
    from layers.render import _font  # the label font must cover Chinese, or names become boxes

    font = _font(12)
    assert QFontMetricsF(font).inFontUcs4(ord("网")) and QFontMetricsF(font).inFontUcs4(ord("医"))
    assert "CJK" in QFontInfo(font).family() or "Hei" in QFontInfo(font).family()


def _rgba(image: QImage) -> np.ndarray:
    img = image.convertToFormat(QImage.Format.Format_RGBA8888)
    buf = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    rows = buf.reshape(img.height(), img.bytesPerLine())[:, : 4 * img.width()]
    return rows.reshape(img.height(), img.width(), 4).copy()


def test_layer_state_survives_a_project_file(map_store):
    store, _ = map_store
    for layer in default_layers(store):
        layer.opacity = 0.5
        again = VectorLayer.from_dict(layer.to_dict(), store)
        assert again.to_dict() == layer.to_dict()
        assert again.snapshot().columns == layer.snapshot().columns


def test_zhiwang_render_writes_a_png_of_the_right_size(map_store, tmp_path, capsys):
    from desktop.cli import main

    store, url = map_store
    out = tmp_path / "map.png"
    assert main(["render", "--store", url, "--out", str(out), "--size", "320x200"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (320, 200)
    arr = _rgba(image)
    bg = QColor(DEFAULT_BACKGROUND)
    differs = np.abs(arr[..., :3].astype(int) - [bg.red(), bg.green(), bg.blue()]).sum(-1) > 10
    assert differs.mean() > 0.05
    ext = store.extent("buildings")
    bbox = f"{ext[0]},{ext[1]},{(ext[0] + ext[2]) / 2},{(ext[1] + ext[3]) / 2}"
    out2 = tmp_path / "part.png"
    args = ["render", "--store", url, "--out", str(out2), "--bbox", bbox]
    assert main([*args, "--layers", "grid_cells,buildings", "--size", "200x100"]) == 0
    assert QImage(str(out2)).width() == 200


def test_zhiwang_render_explains_bad_arguments(map_store, tmp_path, capsys):
    from desktop.cli import main

    _, url = map_store
    out = str(tmp_path / "x.png")
    assert main(["render", "--store", url, "--out", out, "--layers", "buildings,roads"]) == 2
    err = capsys.readouterr().err
    assert "unknown layer" in err and "roads" in err and "grid_cells" in err
    for bad in (["--size", "big"], ["--size", "0x10"], ["--bbox", "1,2,3"], ["--bbox", "5,5,1,1"]):
        with pytest.raises(SystemExit) as exc:
            main(["render", "--store", url, "--out", out, *bad])
        assert exc.value.code == 2
        assert "bad" in capsys.readouterr().err


def test_a_point_layer_with_too_many_markers_in_view_is_aggregated(map_store, monkeypatch):
    import layers.render as render

    store, _ = map_store
    monkeypatch.setitem(render.FEATURE_BUDGET, "point", 10)
    calls = []
    query = store.query_bbox

    def spy(kind, *a, **k):
        calls.append((kind, k.get("limit")))
        return query(kind, *a, **k)

    monkeypatch.setattr(store, "query_bbox", spy)
    snap = _layer(store, "sensors").snapshot()
    city = MapView.fit(store.extent("communities"), 300, 200)
    image = render_layer(snap, city)
    assert ("sensors", None) not in calls  # no marker was fetched: a density raster was drawn
    assert _alpha(image).max() > 0
    # Zoomed in to a street, the same layer draws its markers.
    ext = store.extent("sensors")
    street = MapView((ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2, 0.5, 300, 200)
    render_layer(snap, street)
    assert ("sensors", None) in calls


def test_labels_never_overlap():
    from layers.render import _CollisionGrid

    grid = _CollisionGrid(cell=64)
    assert grid.add((0, 0, 100, 20))
    assert not grid.add((90, 10, 190, 30))  # overlaps the first
    assert grid.add((100, 0, 200, 20))  # touches it only
    assert grid.add((0, 21, 100, 41))
    assert not grid.add((150, 15, 160, 25))
