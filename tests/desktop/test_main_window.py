"""The main window on a known community: what an operator sees and does, checked at known pixels."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop.canvas import BACKGROUND, HIGHLIGHT
from layers.model import BUILDING_USE_COLORS
from layers.render import SELECTION_FILL
from layers.view import MapView
from tests.desktop import community
from tests.desktop.conftest import wait_rendered

# Building (column 1, row 1) is residential; its centre is 25 m from the nearest gap. Not row 2:
# the building there sits under its cell's code label at the cell's centre.
COL, ROW = 1, 1


def pixel(w, x: float, y: float) -> QColor:
    return w.canvas.grab().toImage().pixelColor(round(x), round(y))


def close(a: QColor, b: QColor | str, tol: int = 14) -> bool:
    b = QColor(b)
    return all(abs(p - q) <= tol for p, q in zip(a.getRgb()[:3], b.getRgb()[:3]))


def show_building(qtbot, w, i=COL, j=ROW, scale=0.5) -> tuple[float, float]:
    """Centre the map on building (i, j) at ``scale`` m/px; returns its pixel position."""
    x, y = community.building_center(i, j)
    w.canvas.set_view(MapView(x, y, scale, w.canvas.width(), w.canvas.height()), settle_ms=None)
    wait_rendered(qtbot, w)
    px, py = w.canvas.view.to_pixels(x, y)
    return float(px), float(py)


def drag(canvas, start: QPoint, end: QPoint, steps: int = 5) -> None:
    def send(kind, pos, button, buttons):
        ev = QMouseEvent(
            kind,
            QPointF(pos),
            canvas.mapToGlobal(QPointF(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(canvas, ev)

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QEvent.Type.MouseButtonPress, start, left, left)
    for k in range(1, steps + 1):
        p = start + (end - start) * (k / steps)
        send(QEvent.Type.MouseMove, p, none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)


def wheel(canvas, pos: QPoint, notches: int) -> None:
    ev = QWheelEvent(
        QPointF(pos),
        canvas.mapToGlobal(QPointF(pos)),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, ev)


def test_window_opens_on_the_whole_community_in_chinese(window):
    w = window
    assert w.menuBar().actions()[0].text() == "文件(&F)"
    assert [lyr.title for lyr in w.layers][:3] == ["道路", "建筑", "网格"]
    minx, miny, maxx, maxy = w.canvas.view.bbox
    assert minx <= community.X0 and maxx >= community.X0 + community.SIDE
    assert miny <= community.Y0 and maxy >= community.Y0 + community.SIDE
    assert "1:" in w.scale_label.text()


def test_building_pixels_and_toggling_the_layer(qtbot, window):
    w = window
    px, py = show_building(qtbot, w)
    assert close(pixel(w, px, py), BUILDING_USE_COLORS["residential"])
    # 20 m east of the building's centre is the gap between buildings: background.
    assert close(pixel(w, px + 40, py - 4), BACKGROUND, tol=4)

    buildings = w.layer_named("buildings")
    w.set_layer_visible(buildings, False)
    assert not buildings.visible
    wait_rendered(qtbot, w)
    assert close(pixel(w, px, py), BACKGROUND, tol=4)
    w.set_layer_visible(buildings, True)
    wait_rendered(qtbot, w)
    assert close(pixel(w, px, py), BUILDING_USE_COLORS["residential"])


def test_opacity_blends_without_rerendering(qtbot, window):
    w = window
    px, py = show_building(qtbot, w)
    buildings = w.layer_named("buildings")
    w.layer_panel.select_layer(buildings)
    w.layer_panel.opacity.setValue(50)
    assert buildings.opacity == 0.5
    assert not w.canvas.is_rendering()
    c = pixel(w, px, py)
    fill, bg = QColor(BUILDING_USE_COLORS["residential"]), BACKGROUND
    expected = QColor(*((a + b) // 2 for a, b in zip(fill.getRgb()[:3], bg.getRgb()[:3])))
    assert close(c, expected, tol=6)


def test_drag_pans_the_map(qtbot, window):
    w = window
    px, py = show_building(qtbot, w)
    before = w.canvas.view
    drag(w.canvas, QPoint(round(px), round(py)), QPoint(round(px) + 100, round(py) + 60))
    after = w.canvas.view
    assert after.center_x == pytest.approx(before.center_x - 100 * before.scale)
    assert after.center_y == pytest.approx(before.center_y + 60 * before.scale)
    # During the drag the old image is moved at once; after it settles the re-render agrees.
    assert close(pixel(w, px + 100, py + 60), BUILDING_USE_COLORS["residential"])
    wait_rendered(qtbot, w)
    assert close(pixel(w, px + 100, py + 60), BUILDING_USE_COLORS["residential"])
    assert close(pixel(w, px, py), BACKGROUND, tol=4)


def test_wheel_zooms_around_the_cursor(qtbot, window):
    w = window
    px, py = show_building(qtbot, w, scale=1.0)
    anchor = QPoint(round(px) + 200, round(py) - 120)
    mx, my = w.canvas.view.to_map(anchor.x(), anchor.y())
    wheel(w.canvas, anchor, 2)
    v = w.canvas.view
    assert v.scale == pytest.approx(1.0 / 1.25**2)
    ax, ay = v.to_map(anchor.x(), anchor.y())
    assert (float(ax), float(ay)) == pytest.approx((float(mx), float(my)), abs=1e-6)
    wait_rendered(qtbot, w)
    qx, qy = v.to_pixels(*community.building_center(COL, ROW))
    assert close(pixel(w, qx, qy), BUILDING_USE_COLORS["residential"])


def test_click_identifies_a_building_and_masks_personal_fields(qtbot, window):
    w = window
    px, py = show_building(qtbot, w)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(px), round(py)))
    qtbot.waitUntil(lambda: w.identify_panel.value_of("address") == community.address(COL, ROW))
    assert w.selection == {"buildings": {community.building_id(COL, ROW)}}
    wait_rendered(qtbot, w)
    assert close(pixel(w, px, py), SELECTION_FILL)

    # A click between buildings identifies the grid cell, whose worker's phone is masked.
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(px) + 40, round(py)))
    qtbot.waitUntil(lambda: w.identify_panel.value_of("code") == community.cell_code(0))
    assert w.identify_panel.value_of("worker_phone") == "138****5678"
    assert w.identify_panel.value_of("worker_name") == "王芳"


def test_search_cell_code_centres_and_highlights_it(qtbot, window):
    w = window
    code = community.cell_code(3)  # the north-east cell
    w.search_box.setText(code)
    qtbot.keyClick(w.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.selection.get("grid_cells") == {4})
    wait_rendered(qtbot, w)
    v = w.canvas.view
    assert (v.center_x, v.center_y) == pytest.approx(
        (community.X0 + 750, community.Y0 + 750), abs=v.scale
    )
    assert w.identify_panel.results.count() >= 1
    assert code in w.identify_panel.results.item(0).text()
    # The highlight runs along the cell's west edge.
    ex, ey = v.to_pixels(community.X0 + 500, community.Y0 + 740)
    img = w.canvas.grab().toImage()
    assert any(
        close(img.pixelColor(round(float(ex)) + d, round(float(ey))), HIGHLIGHT, 30)
        for d in (-1, 0, 1)
    )
    qtbot.waitUntil(lambda: w.identify_panel.value_of("code") == code)


def test_search_address_selects_the_building(qtbot, window):
    w = window
    w.search(community.address(7, 3))
    bid = community.building_id(7, 3)
    qtbot.waitUntil(lambda: w.selection.get("buildings") == {bid})
    wait_rendered(qtbot, w)
    x, y = community.building_center(7, 3)
    assert w.canvas.view.scale == pytest.approx(0.4)  # close, with the street around it
    # 5 m south-west of the centre: clear of the grid cell's label at the middle of the view.
    px, py = w.canvas.view.to_pixels(x - 5, y - 5)
    assert close(pixel(w, float(px), float(py)), SELECTION_FILL)


def test_attribute_table_selection_highlights_the_map_and_back(qtbot, window):
    w = window
    table = w.open_table("buildings")  # the table dock takes room from the map: centre again
    qtbot.waitUntil(lambda: table.model.rowCount() == 400 and table.model.total == 400)
    px, py = show_building(qtbot, w)
    row = table.model.row_of(community.building_id(COL, ROW))
    table.view.selectRow(row)
    assert w.selection["buildings"] == {community.building_id(COL, ROW)}
    wait_rendered(qtbot, w)
    assert close(pixel(w, px, py), SELECTION_FILL)

    # …and a click on the map selects the row.
    qx, qy = w.canvas.view.to_pixels(*community.building_center(COL + 1, ROW))
    qtbot.mouseClick(
        w.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(float(qx)), round(float(qy)))
    )
    bid = community.building_id(COL + 1, ROW)
    qtbot.waitUntil(lambda: table.selected_ids() == {bid})
    rows = {i.row() for i in table.view.selectionModel().selectedRows()}
    assert rows == {table.model.row_of(bid)}


def test_attribute_table_sorts_and_filters_in_the_store(qtbot, window):
    w = window
    table = w.open_table("buildings")
    model = table.model
    qtbot.waitUntil(lambda: model.rowCount() == 400)
    floors = model.columns.index("floors")
    model.sort(floors, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.rowCount() == 400)
    assert model.raw(0, floors) == 18
    assert model.raw(399, floors) == 1

    table.column_box.setCurrentIndex(table.column_box.findData("address"))
    table.op_box.setCurrentIndex(table.op_box.findData("="))
    table.value_edit.setText(community.address(4, 9))
    table.apply_filter()
    qtbot.waitUntil(lambda: model.fully_loaded() and model.total == 1)
    assert model.rowCount() == 1
    assert model.id_at(0) == community.building_id(4, 9)
    assert model.headerData(model.columns.index("address"), Qt.Orientation.Horizontal) == "地址"


def test_layer_styles_are_saved_with_the_store(qtbot, window, community_store):
    from desktop.main_window import STYLES_META_KEY, MainWindow
    from layers.style import SingleSymbol

    w = window
    buildings = w.layer_named("buildings")
    buildings.style = SingleSymbol(fill="#3366cc", stroke="#000000", stroke_width=0.5)
    w._on_style_applied(buildings)
    w.layer_panel.select_layer(w.layer_named("facilities"))
    w.layer_panel.opacity.setValue(40)
    w.set_layer_visible(w.layer_named("sensors"), False)
    w.save_styles()
    qtbot.waitUntil(lambda: not w.writer.busy())
    saved = json.loads(community_store.meta(STYLES_META_KEY))
    assert [d["name"] for d in saved["layers"]] == [lyr.name for lyr in w.layers]

    again = MainWindow()
    qtbot.addWidget(again)
    again.resize(1200, 800)
    again.show()
    again.set_store(community_store, "test")
    wait_rendered(qtbot, again)
    assert again.layer_named("buildings").style == buildings.style
    assert again.layer_named("facilities").opacity == pytest.approx(0.4)
    assert again.layer_named("sensors").visible is False
    px, py = show_building(qtbot, again)
    assert close(pixel(again, px, py), "#3366cc")
    again.store = None  # the fixture's window owns the store
    again.close()


def test_bookmarks_are_saved_and_restore_the_view(qtbot, window, community_store):
    from desktop.main_window import BOOKMARKS_META_KEY

    w = window
    show_building(qtbot, w, 3, 4, scale=0.8)
    saved_view = w.canvas.view
    w.add_bookmark("三号楼")
    qtbot.waitUntil(lambda: community_store.meta(BOOKMARKS_META_KEY) is not None)
    w.zoom_home()
    assert w.canvas.view != saved_view
    w.go_to_bookmark(0)
    assert (w.canvas.view.center_x, w.canvas.view.scale) == pytest.approx(
        (saved_view.center_x, 0.8)
    )
    assert json.loads(community_store.meta(BOOKMARKS_META_KEY))[0]["name"] == "三号楼"
    assert "三号楼" in [a.text() for a in w.bookmark_menu.actions()]


def test_export_view_png_and_print_layout(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    w = window
    png = tmp_path / "view.png"
    w.export_png(str(png))
    qtbot.waitUntil(png.exists)
    img = QImage(str(png))
    assert (img.width(), img.height()) == (w.canvas.width(), w.canvas.height())

    done = []
    pdf = tmp_path / "layout.pdf"
    w.export_print(str(pdf), "渭阳社区网格图", dpi=150, on_done=done.append)
    layout_png = tmp_path / "layout.png"
    w.export_print(str(layout_png), "渭阳社区网格图", dpi=100, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=30_000)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    page = QImage(str(layout_png))
    assert (page.width(), page.height()) == (1169, 827)  # A4 landscape at 100 dpi
    # The page is white around the map frame and has a map (not just white) inside it.
    assert page.pixelColor(5, 5) == QColor("#ffffff")
    colours = {page.pixelColor(x, y).name() for x in range(60, 800, 7) for y in range(150, 700, 13)}
    assert len(colours) > 3


def test_zoom_to_layer_and_cell(qtbot, window):
    w = window
    show_building(qtbot, w, scale=0.2)
    w.zoom_to_layer(w.layer_named("grid_cells"))
    minx, miny, maxx, maxy = w.canvas.view.bbox
    assert minx <= community.X0 and maxx >= community.X0 + community.SIDE
    w.zoom_to_cell(community.cell_code(1))
    qtbot.waitUntil(lambda: w.selection.get("grid_cells") == {2})
    v = w.canvas.view
    assert v.center_x == pytest.approx(community.X0 + 750, abs=v.scale)
    assert v.center_y == pytest.approx(community.Y0 + 250, abs=v.scale)


def test_cursor_position_in_working_crs_and_lonlat(qtbot, window):
    w = window
    x, y = community.X0 + 500, community.Y0 + 500
    w.canvas.cursorMoved.emit(x, y)
    text = w.coord_label.text()
    assert "EPSG:4545" in text and "563,500.0" in text
    assert "108." in text and "34." in text  # Xianyang: about 108.7°E, 34.3°N


def test_layer_order_follows_the_panel(qtbot, window):
    w = window
    panel = w.layer_panel
    tree = panel.tree
    # Move "Buildings" (second from the bottom) to the top of the list.
    item = panel.item_of(w.layer_named("buildings"))
    tree.takeTopLevelItem(tree.indexOfTopLevelItem(item))
    tree.insertTopLevelItem(0, item)
    tree.orderChanged.emit()
    assert w.layers[-1].name == "buildings"
    assert w.canvas.layers[-1].name == "buildings"


def _close_message_boxes(w) -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    texts = []
    for box in w.findChildren(QMessageBox):
        texts.append(box.text())
        box.close()
    return texts


def _server_checks_passwords(server: str, wrong: str) -> bool:
    import psycopg

    try:
        psycopg.connect(wrong, connect_timeout=5).close()
    except psycopg.OperationalError:
        return True
    return False  # pg_hba.conf trusts this client: any password gets in


def test_wrong_password_keeps_the_window_and_its_store(qtbot, window, postgis_server, monkeypatch):
    from urllib.parse import urlsplit

    from gis_core.store import Store, StoreError

    w = window
    before = w.store
    u = urlsplit(postgis_server)
    wrong = f"postgresql://{u.username}:not-the-password@{u.hostname}:{u.port}{u.path}"
    if not _server_checks_passwords(postgis_server, wrong):
        # The server trusts local clients, so give the window the error a password-checking
        # server returns (psycopg's text, as Store.open wraps it).
        def refuse(url=None):
            raise StoreError(
                f"cannot open store postgresql+psycopg://{u.username}:***@{u.hostname}:{u.port}"
                f'{u.path}: connection failed: connection to server at "{u.hostname}", port '
                f'{u.port} failed: FATAL:  password authentication failed for user "{u.username}"'
            )

        monkeypatch.setattr(Store, "open", staticmethod(refuse))
    w.open_store_url(wrong)
    qtbot.waitUntil(lambda: w.last_error is not None and not w.runner.busy(), timeout=15_000)
    assert "拒绝了用户名或密码" in w.last_error
    assert "not-the-password" not in w.last_error
    assert any("拒绝" in t for t in _close_message_boxes(w))
    assert w.store is before
    # Still usable: the map pans and renders.
    w.canvas.pan_by(50, 0)
    wait_rendered(qtbot, w)
    assert w.store_status.text().startswith("已打开")


def test_unreachable_server_says_so(qtbot, window):
    w = window
    w.last_error = None
    w.open_store_url("postgresql://zhiwang:x@127.0.0.1:1/zhiwang?connect_timeout=3")
    qtbot.waitUntil(lambda: w.last_error is not None, timeout=15_000)
    assert "无法连接 PostGIS 服务器" in w.last_error
    _close_message_boxes(w)
    assert w.store is not None


def test_style_dialog_categorised_and_graduated_with_legend(qtbot, window):
    from desktop.style_dialog import StyleDialog
    from layers.style import Categorized, Graduated

    w = window
    buildings = w.layer_named("buildings")
    dialog = StyleDialog(buildings, w.runner, w)
    qtbot.addWidget(dialog)
    dialog.applied.connect(w._on_style_applied)

    # Categorised by use: values come from the store, one colour each, legend in Chinese.
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("categorized"))
    dialog.cat_field.setCurrentIndex(dialog.cat_field.findData("use"))
    dialog.cat_classify.click()
    qtbot.waitUntil(lambda: dialog.cat_table.rowCount() == 4)
    legend = [dialog.legend.item(i).text() for i in range(dialog.legend.count())]
    assert "住宅" in legend and "公共" in legend
    dialog.apply()
    assert isinstance(buildings.style, Categorized) and set(buildings.style.categories) == {
        "residential",
        "commercial",
        "public",
        "mixed",
    }

    # Graduated by floors, 3 equal-interval classes from 1 to 18.
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("graduated"))
    dialog.grad_field.setCurrentIndex(dialog.grad_field.findData("floors"))
    dialog.grad_classes.setValue(3)
    dialog.grad_method.setCurrentIndex(dialog.grad_method.findData("equal_interval"))
    dialog.grad_classify.click()
    qtbot.waitUntil(lambda: dialog.legend.count() == 4)  # 3 classes + no data
    dialog.apply()
    style = buildings.style
    assert isinstance(style, Graduated) and style.breaks == [
        1.0,
        pytest.approx(6.667, abs=1e-3),
        pytest.approx(12.333, abs=1e-3),
        18.0,
    ]
    # The layer panel's legend follows, and the map shows the class colours.
    item = w.layer_panel.item_of(buildings)
    assert item.childCount() == 4
    wait_rendered(qtbot, w)
    px, py = show_building(qtbot, w, 0, 0)  # 1 floor: the first class
    assert close(pixel(w, px, py), style.symbols[0].fill)


def test_project_file_round_trip(qtbot, window, tmp_path):
    w = window
    w.layer_named("streets").visible = False
    show_building(qtbot, w, 5, 5, scale=0.7)
    w.add_bookmark("五号楼")
    path = tmp_path / "grid.zwproj"
    w.save_project(str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["view"]["scale"] == pytest.approx(0.7)
    assert "password" not in path.read_text(encoding="utf-8")

    w.set_store(w.store, "test")  # back to the defaults
    assert w.layer_named("streets").visible
    w.apply_project(data)
    wait_rendered(qtbot, w)
    assert not w.layer_named("streets").visible
    assert w.canvas.view.scale == pytest.approx(0.7)
    assert [b["name"] for b in w.bookmarks] == ["五号楼"]
