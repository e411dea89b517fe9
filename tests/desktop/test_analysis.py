"""The Analysis menu in the window, on a small demo community on both backends: what a planner
sees — the result drawn in its legend's colours, the Lorenz curve of the result, a what-if click
that moves the Gini within a second, Cancel that stops a run, stored runs reopened and compared."""

from __future__ import annotations

import csv
import re
import time
import uuid

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox

from gis_core.analysis import EquityParams, SuggestParams, list_runs
from gis_core.analysis.cameras import CameraCoverageParams
from tests.desktop.conftest import process_until

BUILDINGS = 1500  # 5 grid cells, ~34,000 residents, one clinic
RADIUS = 600.0  # some cells reach the clinic, some do not: a clear low and high


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def demo_store(request, tmp_path_factory):
    from gis_core.demo import build_demo
    from gis_core.store import Store

    drop = None
    if request.param == "spatialite":
        url = str(tmp_path_factory.mktemp("analysis") / "demo.sqlite")
    else:
        import psycopg

        server = request.getfixturevalue("postgis_server")
        name = f"zw_ana_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = server.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

        def drop():
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    store = Store.init(url)
    build_demo(store, buildings=BUILDINGS)
    yield store
    store.close()
    if drop is not None:
        drop()


@pytest.fixture(scope="module")
def module_window(qapp, chinese_ui, demo_store):
    from desktop.main_window import MainWindow

    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    w.set_store(demo_store, "demo")
    yield w
    w.analysis.shutdown()
    w.store = None  # the store belongs to the fixture
    w.close()
    w.deleteLater()


@pytest.fixture
def win(qtbot, module_window):
    """The window on the demo, no result shown, no tool active, the whole community in view."""
    w = module_window
    c = w.analysis
    if c.is_running():
        c.cancel()
    process_until(lambda: not c.is_running() and not c.runner.busy(), 20_000)
    c.clear_results()
    w.zoom_home()
    wait_idle(qtbot, w)
    return w


def wait_idle(qtbot, w, timeout: int = 20_000) -> None:
    qtbot.waitUntil(
        lambda: (
            not w.canvas.is_rendering()
            and not w.runner.busy()
            and not w.writer.busy()
            and not w.analysis.runner.busy()
        ),
        timeout=timeout,
    )


def run_equity(qtbot, w, radius=RADIUS, title=None):
    c = w.analysis
    with qtbot.waitSignal(c.resultShown, timeout=30_000) as blocker:
        c.start("equity", EquityParams("clinic", "2sfca", radius).validated(), None, title)
    wait_idle(qtbot, w)
    return blocker.args[0]


def interior_pixel(w, geom, avoid_xy=()) -> tuple[int, int]:
    """A pixel well inside ``geom`` on the canvas, away from labels (cell centres) and markers."""
    view = w.canvas.view
    inner = shapely.buffer(geom, -25 * view.scale)
    minx, miny, maxx, maxy = shapely.bounds(inner)
    label = shapely.point_on_surface(shapely.clip_by_rect(geom, *view.bbox))
    avoid = [label, *(shapely.Point(p) for p in avoid_xy)]
    for fx in np.linspace(0.15, 0.85, 8):
        for fy in np.linspace(0.15, 0.85, 8):
            p = shapely.Point(minx + fx * (maxx - minx), miny + fy * (maxy - miny))
            if not inner.contains(p):
                continue
            if min(shapely.distance(p, a) for a in avoid) < 40 * view.scale:
                continue
            px, py = view.to_pixels(p.x, p.y)
            if 0 <= px < view.width and 0 <= py < view.height:
                return round(float(px)), round(float(py))
    raise AssertionError("no clear pixel inside the cell")


def close(a: QColor, b: QColor | str, tol: int = 6) -> bool:
    b = QColor(b)
    return all(abs(p - q) <= tol for p, q in zip(a.getRgb()[:3], b.getRgb()[:3]))


# ---------------------------------------------------------------------- tests
def test_equity_from_the_menu_is_drawn_in_its_legend_colours(qtbot, win, demo_store):
    c = win.analysis
    runs_before = {r.id for r in list_runs(demo_store)}
    c.equity_actions["2sfca"].trigger()
    dialog = c.dialog
    assert dialog is not None and dialog.isVisible()
    # Parameters set programmatically, through the generated form's editors.
    form = dialog.form
    form.editors["service"].set("clinic")
    form.editors["radius_m"].widget.setValue(RADIUS)
    form.editors["distance"].set("straight")
    assert form.value() == EquityParams("clinic", "2sfca", RADIUS)
    dialog.title_edit.setText("基线")
    with qtbot.waitSignal(c.resultShown, timeout=30_000) as blocker:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    wait_idle(qtbot, win)
    shown = blocker.args[0]
    result = shown.result

    # Stored as a run.
    assert shown.run_id not in runs_before
    assert shown.run_id in {r.id for r in list_runs(demo_store)}

    # The per-cell layer is on the map, drawn, with a legend in the dock.
    layer = c.layer("cells")
    assert layer in win.layers and layer.visible
    assert c.dock.legend_box.isVisible()
    image = win.canvas.image_of(layer)
    assert image is not None
    acc = result.cell_accessibility
    ok = np.isfinite(acc)
    low, high = (
        int(np.flatnonzero(ok)[np.argmin(acc[ok])]),
        int(np.flatnonzero(ok)[np.argmax(acc[ok])]),
    )
    assert acc[low] < acc[high]
    style = layer.style
    fac_xy = result.facility_xy
    colours = []
    for k in (low, high):
        geom = shown.cell_geoms[int(result.cell_ids[k])]
        px, py = interior_pixel(win, geom, fac_xy)
        klass = int(style.class_of([acc[k] * 1000])[0])
        legend = style.symbols[klass].fill
        got = image.pixelColor(px, py)
        assert close(got, legend), (k, got.name(), legend)
        colours.append(win.canvas.grab().toImage().pixelColor(px, py))
    # On the composed map too, the low cell and the high cell look different.
    assert not close(colours[0], colours[1], tol=20)
    # The legend rows in the dock are the layer's classes.
    assert c.dock.legend_layout.count() >= 2 * len(style.symbols)

    # The Lorenz curve in the dock is the result's.
    x, y = c.dock.lorenz_curve.getData()
    np.testing.assert_allclose(x, result.lorenz_x)
    np.testing.assert_allclose(y, result.lorenz_y)
    assert c.dock.summary_value("gini") == pytest.approx(result.gini)

    # The ranked cells: below the threshold, most unmet demand first; a click zooms there.
    ranked = result.ranked_cells
    assert c.dock.ranked.rowCount() == len(ranked) > 0
    first = ranked[0]
    assert c.dock.ranked.item(0, 1).text() == first["code"]
    c.dock.ranked.cellClicked.emit(0, 0)
    wait_idle(qtbot, win)
    cx, cy = shapely.get_coordinates(shapely.centroid(shown.cell_geoms[first["cell_id"]]))[0]
    minx, miny, maxx, maxy = win.canvas.view.bbox
    assert minx < cx < maxx and miny < cy < maxy


def test_what_if_click_adds_a_facility_and_moves_the_gini_within_a_second(qtbot, win):
    c = win.analysis
    shown = run_equity(qtbot, win)
    result = shown.result
    acc = result.cell_accessibility
    low = int(np.nanargmin(np.where(np.isfinite(acc), acc, np.inf)))
    cell_id = int(result.cell_ids[low])
    gini0 = result.gini
    qtbot.mouseClick(c.dock.whatif_buttons["add"], Qt.MouseButton.LeftButton)
    assert c.whatif.mode == "add"
    px, py = interior_pixel(win, shown.cell_geoms[cell_id], result.facility_xy)
    with qtbot.waitSignal(c.whatIfDrawn, timeout=5_000) as blocker:
        t0 = time.perf_counter()
        qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=QPoint(px, py))
    seconds = time.perf_counter() - t0
    info = blocker.args[0]
    print(
        f"\nwhat-if add ({win.store.backend}): model {info['model_ms']:.1f} ms, "
        f"dock {info['update_ms']:.1f} ms, on the map {info['total_ms']:.0f} ms "
        f"(click to drawn {seconds * 1000:.0f} ms)"
    )
    assert seconds < 1.0 and info["total_ms"] < 1000
    new = c.shown.result
    assert new.gini != pytest.approx(gini0)
    assert info["gini_after"] == pytest.approx(new.gini)
    assert c.dock.summary_value("gini") == pytest.approx(new.gini)
    # The clinic was added where the click was, and the cell it landed in gained access.
    assert len(new.facility_ids) == len(result.facility_ids) + 1
    x, y = win.canvas.view.to_map(px, py)
    np.testing.assert_allclose(new.facility_xy[-1], [x, y], atol=win.canvas.view.scale)
    assert new.cell_accessibility[low] > acc[low]
    cells = c.layer("cells").source
    k = int(np.flatnonzero(cells.ids == cell_id)[0])
    assert cells.columns["access_per_1000"][k] == pytest.approx(new.cell_accessibility[low] * 1000)
    # The dock's Lorenz curve follows; undo restores the Gini exactly.
    np.testing.assert_allclose(c.dock.lorenz_curve.getData()[1], new.lorenz_y)
    c.whatif_undo()
    assert c.shown.result.gini == pytest.approx(gini0)

    # Move: press on the clinic, drag, release; remove: click on it.
    fid = int(result.facility_ids[0])
    fx, fy = (float(v) for v in win.canvas.view.to_pixels(*result.facility_xy[0]))
    qtbot.mouseClick(c.dock.whatif_buttons["move"], Qt.MouseButton.LeftButton)
    assert c.whatif.mode == "move" and not c.dock.whatif_buttons["add"].isChecked()
    start, end = QPoint(round(fx), round(fy)), QPoint(round(fx) + 80, round(fy) + 40)
    with qtbot.waitSignal(c.whatIfDrawn, timeout=5_000):
        qtbot.mousePress(win.canvas, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(win.canvas, pos=end)
        qtbot.mouseRelease(win.canvas, Qt.MouseButton.LeftButton, pos=end)
    moved = c.shown.result
    k = int(np.flatnonzero(moved.facility_ids == fid)[0])
    np.testing.assert_allclose(
        moved.facility_xy[k], win.canvas.view.to_map(end.x(), end.y()), atol=win.canvas.view.scale
    )
    fac = c.layer("facilities").source
    assert fac.columns["status"][np.flatnonzero(fac.ids == fid)[0]] == "moved"
    qtbot.mouseClick(c.dock.whatif_buttons["remove"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(c.whatIfDrawn, timeout=5_000):
        qtbot.mouseClick(win.canvas, Qt.MouseButton.LeftButton, pos=end)
    assert fid not in c.shown.result.facility_ids.tolist()
    fac = c.layer("facilities").source
    assert fac.columns["status"][np.flatnonzero(fac.ids == fid)[0]] == "removed"
    c.whatif_reset()
    assert c.shown.result.gini == pytest.approx(gini0)
    np.testing.assert_allclose(c.shown.result.accessibility, result.accessibility, atol=1e-12)
    c.set_whatif_mode(None)
    assert c.whatif.mode is None


def test_cancel_stops_a_running_analysis(qtbot, win, demo_store):
    c = win.analysis
    runs_before = len(list_runs(demo_store))
    layers_before = list(win.layers)
    c.start("coverage_cameras", CameraCoverageParams().validated(), SuggestParams(k=20).validated())
    assert c.is_running() and c.dock.cancel_button.isVisible()
    # Wait until the analysis itself reports (past reading the store), then cancel.
    qtbot.waitUntil(lambda: c.dock.progress.value() > 100, timeout=20_000)
    with qtbot.waitSignal(c.runCancelled, timeout=10_000):
        t0 = time.perf_counter()
        qtbot.mouseClick(c.dock.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not c.runner.busy(), timeout=10_000)
    print(f"\ncancel ({win.store.backend}): worker stopped {time.perf_counter() - t0:.2f} s after")
    assert not c.is_running()
    assert not c.dock.progress_box.isVisible()
    assert len(list_runs(demo_store)) == runs_before
    assert win.layers == layers_before and c.shown is None


def test_reopening_a_run_shows_the_same_values(qtbot, win):
    c = win.analysis
    shown = run_equity(qtbot, win, title="重开")
    result, run_id = shown.result, shown.run_id
    c.clear_results()
    c.show_runs()
    qtbot.waitUntil(lambda: c.dock.runs.rowCount() > 0, timeout=10_000)
    c.dock.select_runs([run_id])
    with qtbot.waitSignal(c.resultShown, timeout=10_000) as blocker:
        qtbot.mouseClick(c.dock.open_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)
    again = blocker.args[0]
    assert again.run_id == run_id and again.result is None
    assert c.dock.summary_value("gini") == pytest.approx(result.gini)
    assert c.dock.summary_value("theil") == pytest.approx(result.theil)
    # The Lorenz curve comes back as computed (issue 5), not an empty chart.
    assert c.dock.lorenz_box.isVisible()
    x, y = c.dock.lorenz_curve.getData()
    np.testing.assert_allclose(x, result.lorenz_x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(y, result.lorenz_y, rtol=0, atol=1e-12)
    assert c.dock.lorenz_note.text() == ""
    cells = c.layer("cells").source
    for cid, value in zip(result.cell_ids.tolist(), result.cell_accessibility.tolist()):
        k = np.flatnonzero(cells.ids == cid)
        got = cells.columns["accessibility"][k[0]]
        assert (np.isnan(value) and np.isnan(got)) or got == pytest.approx(value)
    assert [c.dock.ranked.item(r, 1).text() for r in range(c.dock.ranked.rowCount())] == [
        r["code"] for r in result.ranked_cells
    ]
    assert win.canvas.image_of(c.layer("cells")) is not None


def test_compare_two_runs_side_by_side(qtbot, win):
    c = win.analysis
    a = run_equity(qtbot, win, radius=400.0, title="400 m")
    b = run_equity(qtbot, win, radius=900.0, title="900 m")
    with qtbot.waitSignal(c.comparisonShown, timeout=10_000) as blocker:
        c.compare(a.run_id, b.run_id)
    wait_idle(qtbot, win)
    cmp = blocker.args[0]
    layer = c.layer("difference")
    assert layer in win.layers and win.canvas.image_of(layer) is not None
    src = layer.source
    ra, rb = a.result, b.result
    for cid, va, vb in zip(
        ra.cell_ids.tolist(), ra.cell_accessibility.tolist(), rb.cell_accessibility.tolist()
    ):
        if np.isfinite(va) and np.isfinite(vb):
            k = np.flatnonzero(src.ids == cid)[0]
            assert src.columns["delta"][k] == pytest.approx((vb - va) * 1000)
    assert c.dock.compare_table.rowCount() == len(cmp.cell_ids)
    keys = [
        c.dock.compare_summary.item(r, 0).data(Qt.ItemDataRole.UserRole)
        for r in range(c.dock.compare_summary.rowCount())
    ]
    assert "gini" in keys


def test_export_the_result_from_the_dock(qtbot, win, tmp_path):
    c = win.analysis
    shown = run_equity(qtbot, win)
    for suffix in (".csv", ".gpkg", ".html"):
        path = tmp_path / f"equity{suffix}"
        with qtbot.waitSignal(c.exported, timeout=20_000):
            c.export(str(path))
        assert path.stat().st_size > 0
    with open(tmp_path / "equity.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["building_id", "grid_cell_code", "demand", "accessibility"]
    assert len(rows) - 1 == len(shown.result.building_ids)
    import pyogrio

    names = {name for name, _ in pyogrio.list_layers(tmp_path / "equity.gpkg")}
    assert {"cells", "buildings", "facilities", "summary"} <= names
    html = (tmp_path / "equity.html").read_text(encoding="utf-8")
    assert "L.map(" in html or "leaflet" in html.lower()
    assert re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", html) is None


def test_coverage_blind_spots_and_siting_put_their_layers_on_the_map(qtbot, win):
    from gis_core.analysis import ServiceCoverageParams, SitingParams

    c = win.analysis
    cases = [
        (
            "coverage_service",
            ServiceCoverageParams("kindergarten", 400.0, distance="network").validated(),
            None,
            {"cells", "uncovered", "isochrones", "facilities"},
        ),
        (
            "coverage_cameras",
            CameraCoverageParams().validated(),
            SuggestParams(k=2).validated(),
            {"cells", "blind_spots", "camera_views", "suggested_cameras", "suggested_views"},
        ),
        (
            "siting",
            SitingParams("clinic", "lscp", radius_m=500.0).validated(),
            None,
            {"cells", "new_sites"},
        ),
    ]
    for key, params, extra, roles in cases:
        with qtbot.waitSignal(c.resultShown, timeout=60_000) as blocker:
            c.start(key, params, extra)
        wait_idle(qtbot, win)
        shown = blocker.args[0]
        assert roles <= set(shown.layers), key
        for role in roles:
            layer = shown.layers[role]
            assert layer in win.layers
            if layer.visible:
                assert win.canvas.image_of(layer) is not None, (key, role)
        assert c.dock.ranked.rowCount() > 0, key
        assert c.dock.legend_box.isVisible()
        if key == "coverage_cameras":
            # Blind spots are where no camera sees: none of them inside a camera's view.
            views = shapely.union_all(shown.layers["camera_views"].source.geometry)
            blind = shapely.union_all(shown.layers["blind_spots"].source.geometry)
            assert shapely.area(shapely.intersection(blind, views)) < 1.0
