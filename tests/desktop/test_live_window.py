"""Live monitoring in the window, against the real Mosquitto on 127.0.0.1:1883 and a real store on
both backends: alarms on the map and in the panel, acknowledgement stored with who and when,
cluster badges, a camera's live view from a video file, the risk explanation of a grid cell and
the counters in the status bar. Pixels are checked on the grabbed canvas."""

from __future__ import annotations

import os
import re
import socket
import time
import uuid

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QColor

from tests.desktop import live_community as lc

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BROKER = os.environ.get("ZHIWANG_TEST_MQTT", "mqtt://127.0.0.1:1883")


def _broker_or_skip() -> None:
    from sensor_adapters.mqtt import parse_broker_url

    address = parse_broker_url(BROKER)
    try:
        with socket.create_connection((address.host, address.port), timeout=2):
            pass
    except OSError as exc:
        message = f"MQTT broker {BROKER} unavailable: {exc}"
        if CI:
            pytest.fail(message + " (CI=true: a missing service is a failure)", pytrace=False)
        pytest.skip(message)


class _CountingSound:
    played = 0

    def play(self) -> None:
        self.played += 1


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def live_setup(request, tmp_path_factory, qapp, chinese_ui):
    """(window, store, community): the live community in a store on each backend, the window
    showing it with live monitoring started on the real broker."""
    _broker_or_skip()
    from gis_core.store import Store

    tmp = tmp_path_factory.mktemp("live")
    old_home = os.environ.get("ZHIWANG_HOME")
    os.environ["ZHIWANG_HOME"] = str(tmp / "home")  # the window's settings, for the module
    if request.param == "spatialite":
        url = str(tmp / "store.sqlite")
        drop = None
    else:
        import psycopg

        server = request.getfixturevalue("postgis_server")
        name = f"zw_live_win_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = server.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

        def drop():
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    store = Store.init(url)
    video = lc.write_video(tmp / "gate.avi", frames=400)
    community = lc.unique_code()
    lc.populate(store, community, video)

    from desktop.main_window import MainWindow
    from sensor_adapters.mqtt import forget_session
    from sensor_adapters.protocol import AdapterState

    w = MainWindow()
    w.resize(1200, 800)
    w.show()
    w.set_store(store, "live test")
    live = w.live
    live.sound = _CountingSound()
    live.settings.operator = "李娜"
    client_id = f"zhiwang-test-{uuid.uuid4().hex[:10]}"
    assert live.start(broker_url=BROKER, community=community, client_id=client_id)
    _process_until(
        lambda: live.running and live.service.status().state is AdapterState.CONNECTED, 60
    )
    _process_until(lambda: live.cameras is not None, 20)
    yield w, store, community
    live.shutdown()
    forget_session(BROKER, client_id)
    w.store = None
    w.close()
    w.deleteLater()
    store.close()
    if drop is not None:
        drop()
    if old_home is None:
        os.environ.pop("ZHIWANG_HOME", None)
    else:
        os.environ["ZHIWANG_HOME"] = old_home


def _process_until(predicate, timeout_s: float = 10.0) -> float:
    """Process events until ``predicate()``; returns the seconds it took."""
    t0 = time.monotonic()
    while not predicate():
        if time.monotonic() - t0 > timeout_s:
            raise TimeoutError("condition not met in time")
        QCoreApplication.processEvents()
        time.sleep(0.003)
    return time.monotonic() - t0


@pytest.fixture
def publisher():
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from sensor_adapters.mqtt import parse_broker_url

    address = parse_broker_url(BROKER)
    client = mqtt.Client(CallbackAPIVersion.VERSION2)
    client.connect(address.host, address.port)
    client.loop_start()
    yield client
    client.disconnect()
    client.loop_stop()


def publish(client, community: str, code: str, value: float, kind: str = "smoke", unit="%/m"):
    from gis_core.payload import encode_payload, sensor_topic

    info = client.publish(
        sensor_topic(community, code), encode_payload(kind, value, unit, time.time()), qos=1
    )
    info.wait_for_publish(5)


def _near(c: QColor, ref: QColor, tol: int = 40) -> bool:
    return (
        abs(c.red() - ref.red()) <= tol
        and abs(c.green() - ref.green()) <= tol
        and abs(c.blue() - ref.blue()) <= tol
    )


def _count_colour(image, x: float, y: float, ref: QColor, r: int = 9) -> int:
    n = 0
    for dx in range(-r, r + 1):
        for dy in range(-r, r + 1):
            if _near(image.pixelColor(int(x) + dx, int(y) + dy), ref):
                n += 1
    return n


def _zoom_to_block(w, scale: float = 0.2) -> None:
    x, y = lc.sensor_xy(12)  # the block's centre
    w.canvas.center_on(x, y, scale=scale)
    _process_until(lambda: not w.canvas.is_rendering(), 20)


def _fresh_frame(live) -> None:
    """Two more ticks (each repaints what changed), and their paint events processed."""
    ticks = live.ticks
    _process_until(lambda: live.ticks >= ticks + 2, 5)
    QCoreApplication.processEvents()


def test_a_smoke_alarm_turns_its_marker_red_and_is_listed_within_a_second(live_setup, publisher):
    from desktop.live.symbols import STATE_COLORS
    from gis_core.live import SensorState

    w, _store, community = live_setup
    live = w.live
    _zoom_to_block(w)
    played = live.sound.played
    publish(publisher, community, "SMK-0002", 0.3)  # a quiet neighbour
    publish(publisher, community, lc.SMOKE, 7.5)  # past the alarm threshold of 4 %/m
    took = _process_until(
        lambda: (
            live.state_of(lc.SMOKE) == SensorState.ALARM
            and any(lc.SMOKE in row[1] for row in live.panel.row_texts())
        ),
        5,
    )
    _fresh_frame(live)
    assert took < 1.0, f"took {took:.2f} s"

    image = w.canvas.grab().toImage()
    red = STATE_COLORS[SensorState.ALARM]
    sx, sy = live.overlay.sensor_pixel(live.sensor_slot(lc.SMOKE))
    assert _count_colour(image, sx, sy, red) > 40  # the disc is alarm red
    nx, ny = live.overlay.sensor_pixel(live.sensor_slot("SMK-0002"))
    assert _count_colour(image, nx, ny, red, r=6) == 0
    assert _count_colour(image, nx, ny, STATE_COLORS[SensorState.NORMAL], r=6) > 20

    row = next(r for r in live.panel.row_texts() if lc.SMOKE in r[1])
    assert row[0] == QCoreApplication.translate("Live", "critical")
    assert row[2] == f"{community}-01"
    assert live.sound.played > played  # the new alarm sounded
    assert live.alarm_dock.isVisible()


def test_acknowledging_with_a_note_is_stored_with_who_and_when(live_setup, publisher):
    from desktop.live.alarm_panel import NoteDialog
    from gis_core.live_store import LiveStore

    w, store, community = live_setup
    live = w.live
    code = "SMK-0003"
    publish(publisher, community, code, 9.0)
    _process_until(lambda: any(code in r[1] for r in live.panel.row_texts()), 5)
    panel = live.panel
    row = next(i for i, r in enumerate(panel.row_texts()) if code in r[1])
    panel.table.selectRow(row)
    assert panel.ack_button.isEnabled()
    panel.ack_button.click()
    dialog = panel.findChild(NoteDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.note.setPlainText("已派网格员王芳上门查看")
    before = time.time()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    acked = QCoreApplication.translate("AlarmPanel", "acknowledged by {0}").format("李娜")
    _process_until(lambda: any(code in r[1] and r[4] == acked for r in panel.row_texts()), 10)
    assert live.service.flush()
    stored = [a for a in LiveStore(store).alarms() if a.sensor_code == code]
    assert len(stored) == 1
    a = stored[0]
    assert (a.acknowledged_by, a.note) == ("李娜", "已派网格员王芳上门查看")
    assert before - 5 <= a.acknowledged_at <= time.time() + 1
    assert a.cleared_at is None  # still smoky: acknowledged, not cleared


def test_at_city_scale_the_block_of_sensors_is_one_badge_with_its_count(live_setup):
    from desktop.live.symbols import STATE_COLORS

    w, _store, _community = live_setup
    live = w.live
    x, y = lc.sensor_xy(12)
    w.canvas.center_on(x, y, scale=6.0)  # ~1:23,000
    _process_until(lambda: not w.canvas.is_rendering(), 20)
    _fresh_frame(live)
    badges = live.overlay.cluster_badges()
    # The block's 25 sensors make one badge; the two cameras of cell 2 another.
    assert sorted(b[2] for b in badges) == [2, lc.N_BLOCK]
    bx, by, _count, worst = next(b for b in badges if b[2] == lc.N_BLOCK)
    snap = live.snapshot
    from desktop.live.markers import worst_state

    assert worst == worst_state(snap.state[: lc.N_BLOCK])
    image = w.canvas.grab().toImage()
    # The badge's disc is in its worst state's colour, with the count in white on it.
    assert _count_colour(image, bx, by, STATE_COLORS[worst], r=12) > 80
    assert _count_colour(image, bx, by, QColor("white"), r=6) > 5
    # Zoomed in again, every sensor has its own icon.
    _zoom_to_block(w)
    _fresh_frame(live)
    assert live.overlay.cluster_badges() == []


def test_clicking_a_camera_opens_its_live_view_with_frames_from_the_video(live_setup, qtbot):
    from desktop.live.camera_view import CameraViewWindow

    w, _store, _community = live_setup
    live = w.live
    cx, cy = lc.X0 + 700, lc.Y0 + 200
    w.canvas.center_on(cx, cy, scale=0.5)
    _process_until(lambda: not w.canvas.is_rendering(), 20)
    _process_until(
        lambda: live.camera_snapshot is not None and int(live.camera_snapshot.state[0]) == 0, 15
    )  # live
    _fresh_frame(live)
    px, py = (float(v) for v in w.canvas.view.to_pixels(cx, cy))
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(px), round(py)))
    _process_until(lambda: 1 in live.views, 5)
    view = live.views[1]
    assert isinstance(view, CameraViewWindow) and view.isVisible()
    _process_until(lambda: view.frames_shown >= 5, 15)
    image = view.last_image
    assert (image.width(), image.height()) == (320, 240)
    c = image.pixelColor(10, 10)  # the orange field (BGR 0,128,255 in the file)
    assert _near(c, QColor(255, 128, 0), tol=30), c.name()
    shown = view.picture.pixmap()
    assert shown is not None and not shown.isNull()
    # The last thumbnail in the identify panel.
    info = live.info
    assert info.subject == ("camera", 1) and info.isVisible()
    _process_until(
        lambda: info.thumbnail.pixmap() is not None and not info.thumbnail.pixmap().isNull(), 10
    )
    view.close()
    _process_until(lambda: 1 not in live.views, 5)


def test_the_risk_layer_explains_a_cells_score(live_setup, publisher):
    from desktop.live.risk_layer import RISK_COLORS, is_risk_layer
    from gis_core.live import SensorState

    w, _store, community = live_setup
    live = w.live
    publish(publisher, community, lc.SMOKE, 8.0)  # next to the elderly living alone
    _process_until(lambda: live.state_of(lc.SMOKE) == SensorState.ALARM, 5)
    _process_until(lambda: any(r.sensor_code == lc.SMOKE for r in live.alarms), 5)
    assert live.service.flush()  # the risk is computed from the stored alarms
    w.canvas.zoom_to_bbox((lc.X0, lc.Y0, lc.X0 + lc.SIDE, lc.Y0 + lc.SIDE))
    live.act_risk.trigger()
    _process_until(lambda: any(is_risk_layer(lyr) for lyr in w.layers), 20)
    _process_until(lambda: not w.canvas.is_rendering(), 20)
    # Click inside cell 1, away from any marker.
    px, py = (float(v) for v in w.canvas.view.to_pixels(lc.X0 + 400, lc.Y0 + 60))
    assert live.click(px, py) == "cell"
    info = live.info
    assert info.subject == ("cell", 1)
    text = "\n".join(info.lines)
    tr = lambda s: QCoreApplication.translate("Live", s)  # noqa: E731
    assert tr("fire hazard") in text  # the open fire-hazard event
    assert tr("elderly living alone") in text and tr("disabled") in text
    assert "SMK-0001" in text  # the vulnerable residents live next to the alarming detector
    result = live.risk.result
    assert result.score[result.index_of(1)] > result.score[result.index_of(3)]
    assert result.level_name(3) == "low"
    # Cell 3 (nothing there) is painted in the lowest class's colour.
    image = w.canvas.grab().toImage()
    qx, qy = (float(v) for v in w.canvas.view.to_pixels(lc.X0 + 120, lc.Y0 + 900))
    low = QColor(RISK_COLORS[0])
    c = image.pixelColor(int(qx), int(qy))
    assert c.green() > c.red() and c.green() > c.blue(), c.name()
    assert abs(c.hue() - low.hue()) < 25
    live.set_risk_layer(False)
    assert not any(is_risk_layer(lyr) for lyr in w.layers)


def test_the_counters_in_the_status_bar_go_up(live_setup, publisher):
    from gis_core.payload import sensor_topic

    w, _store, community = live_setup
    live = w.live

    def numbers() -> list[int]:
        return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", live.counter_label.text())]

    _process_until(lambda: len(numbers()) >= 4, 5)
    received, stored, quarantined, dropped = numbers()[:4]
    for i in range(20):
        publish(publisher, community, "WTR-0001", 0.5 + i / 100, kind="water_level", unit="m")
    publisher.publish(sensor_topic(community, "WTR-0001"), b"{not json", qos=1).wait_for_publish(5)
    _process_until(
        lambda: numbers()[0] >= received + 21 and numbers()[2] >= quarantined + 1
        and numbers()[1] >= stored + 20,
        10,
    )  # fmt: skip
    assert numbers()[3] == dropped == 0
    assert "MQTT" in live.status_label.text()
    snap = live.snapshot
    slot = live.sensor_slot("WTR-0001")
    assert np.isclose(snap.value[slot], 0.69)


def test_a_cameras_bin_overflow_is_an_alarm_in_the_panel_and_clears(live_setup):
    from sensor_adapters.camera import CameraEvent

    w, _store, community = live_setup
    live = w.live
    live._bridge.camera_event.emit(CameraEvent("CAM-0002", "bin_overflow", time.time(), 0.8, 2))
    _process_until(lambda: any(r.camera_id == 2 and r.active for r in live.alarms), 10)
    row = next(r for r in live.panel.row_texts() if "CAM-0002" in r[1])
    assert row[0] == QCoreApplication.translate("Live", "minor")
    assert row[2] == f"{community}-02"
    live._bridge.camera_event.emit(CameraEvent("CAM-0002", "bin_cleared", time.time(), 0.1, 2))
    _process_until(lambda: not any(r.camera_id == 2 and r.active for r in live.alarms), 10)


def test_an_unreachable_broker_shows_in_the_status_bar_with_the_reason(live_setup, request):
    from sensor_adapters.mqtt import forget_session
    from sensor_adapters.protocol import AdapterState

    w, _store, community = live_setup
    live = w.live
    tr = lambda s: QCoreApplication.translate("Live", s)  # noqa: E731
    live.stop(wait=True)
    assert tr("stopped") in live.status_label.text() and live.counter_label.text() == ""
    assert not live.overlay.isVisible()
    live.start(broker_url="mqtt://127.0.0.1:1", community=community, client_id="zw-nowhere")
    _process_until(lambda: tr("reconnecting") in live.status_label.text(), 30)
    assert "127.0.0.1:1" in live.status_label.text()  # says why
    live.stop(wait=True)
    # Back on the real broker for whatever runs next.
    client_id = f"zhiwang-test-{uuid.uuid4().hex[:10]}"
    request.addfinalizer(lambda: forget_session(BROKER, client_id))
    live.start(broker_url=BROKER, community=community, client_id=client_id)
    _process_until(
        lambda: live.running and live.service.status().state is AdapterState.CONNECTED, 60
    )
    _process_until(lambda: tr("connected") in live.status_label.text(), 5)
