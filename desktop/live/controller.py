"""Live monitoring in the main window: start/stop the feed, sample it at 10 Hz, show it.

The MQTT adapter and the ingest pipeline run in a child process
(:class:`sensor_adapters.service.LiveService`); this side samples the latest values from shared
memory on a timer, hands them to the one marker overlay, keeps the alarm panel and the status bar
current, and answers clicks on markers (sensor details and history, camera live view, cluster
zoom, the risk of a grid cell). Everything that can wait on the child, the store or a camera
runs on a worker thread.
"""

from __future__ import annotations

import getpass
import logging
import math
import time
from collections import deque

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QStyle, QToolBar

from desktop.access import account_name
from desktop.live.alarm_panel import AlarmPanel, AlarmSound
from desktop.live.camera_view import CameraViewWindow, thumbnail_image
from desktop.live.history import SensorHistoryDialog
from desktop.live.info_panel import LiveInfoPanel
from desktop.live.overlay import LiveOverlay
from desktop.live.risk_layer import RiskLayerController
from desktop.live.settings_dialog import LiveSettings, LiveSettingsDialog
from desktop.live.texts import (
    adapter_state_name,
    feed_name,
    kind_name,
    local_time,
    state_name,
)
from desktop.tasks import TaskRunner
from gis_core.alarms import AlarmRecord
from gis_core.live import SensorState, kind_spec
from sensor_adapters.camera import CameraMonitor, load_camera_configs
from sensor_adapters.mqtt import default_client_id
from sensor_adapters.protocol import AdapterState, AdapterStatus
from sensor_adapters.service import LiveService

__all__ = ["LiveMonitor", "store_url_of"]

log = logging.getLogger(__name__)

TICK_MS = 100  # ≤ 10 Hz: the UI samples the latest values, never per message
CAMERA_EVERY = 5  # camera feed states every 5th tick (2 Hz)
STATUS_COLORS = {
    AdapterState.STOPPED: "#757575",
    AdapterState.CONNECTING: "#f9a825",
    AdapterState.CONNECTED: "#2e7d32",
    AdapterState.RECONNECTING: "#ef6c00",
    AdapterState.FAILED: "#c62828",
}


def store_url_of(store) -> str:
    """The URL a second process opens the same store with (password and session included)."""
    return store.engine.url.render_as_string(hide_password=False)


def _device_info(store) -> dict:
    """Names and settings of the store's sensors, cameras and cells (worker thread)."""
    import shapely

    sensors = store.query_all(
        "sensors",
        columns=("code", "name", "kind", "unit", "warn_threshold", "alarm_threshold"),
    )
    cams = store.query_all(
        "cameras", columns=("code", "name", "purpose", "stream_url", "grid_cell_id")
    )
    cells = store.query_all("grid_cells", columns=("code",))
    sensor_info = {}
    sx = shapely.get_x(sensors.geometry) if len(sensors) else []
    sy = shapely.get_y(sensors.geometry) if len(sensors) else []
    for i, sid in enumerate(sensors.ids.tolist()):
        c = {k: v[i] for k, v in sensors.columns.items()}
        spec = kind_spec(str(c["kind"]))
        warn, alarm = c["warn_threshold"], c["alarm_threshold"]
        sensor_info[int(sid)] = {
            "code": str(c["code"]),
            "name": c["name"],
            "kind": str(c["kind"]),
            "unit": c["unit"] if c["unit"] is not None else spec.unit,
            "warn": spec.warn if warn is None or _nan(warn) else float(warn),
            "alarm": spec.alarm if alarm is None or _nan(alarm) else float(alarm),
            "x": float(sx[i]),
            "y": float(sy[i]),
        }
    cx = shapely.get_x(cams.geometry) if len(cams) else []
    cy = shapely.get_y(cams.geometry) if len(cams) else []
    camera_info = {
        int(cid): {
            "code": str(cams.columns["code"][i]),
            "name": cams.columns["name"][i],
            "purpose": cams.columns["purpose"][i],
            "stream_url": cams.columns["stream_url"][i],
            "grid_cell_id": _int_or_none(cams.columns["grid_cell_id"][i]),
            "x": float(cx[i]),
            "y": float(cy[i]),
        }
        for i, cid in enumerate(cams.ids.tolist())
    }
    codes = {int(i): str(c) for i, c in zip(cells.ids.tolist(), cells.columns["code"].tolist())}
    # The alarm panel's device labels, built here too: on a district store (tens of thousands of
    # sensors) this loop alone held the GUI thread for ~150 ms.
    names = {}
    for sid, s in sensor_info.items():
        names[("sensor", sid)] = s["code"] + (f" {s['name']}" if s["name"] else "")
    for cid, c in camera_info.items():
        names[("camera", cid)] = c["code"] + (f" {c['name']}" if c["name"] else "")
    return {
        "store": store,
        "sensors": sensor_info,
        "cameras": camera_info,
        "cells": codes,
        "names": names,
    }


def _int_or_none(v) -> int | None:
    return None if v is None or _nan(v) else int(v)


def _nan(v) -> bool:
    return isinstance(v, float) and math.isnan(v)


class _Bridge(QObject):
    """Carries the live service's callbacks (its receiver thread) to the GUI thread."""

    alarms = Signal(object)
    status = Signal(object)
    camera_event = Signal(object)


class LiveMonitor(QObject):
    """The window's live monitoring. ``install_live_monitoring(window)`` makes one."""

    started = Signal()
    stopped = Signal()
    alarmsChanged = Signal(list)
    newAlarms = Signal(list)

    def __init__(self, window, settings: LiveSettings | None = None, tick_ms: int = TICK_MS):
        super().__init__(window)
        self.setObjectName("liveMonitor")
        self.window = window
        self.settings = settings or LiveSettings.load()
        self.runner = TaskRunner(self, max_threads=2)
        self.service: LiveService | None = None
        self.cameras: CameraMonitor | None = None
        self.snapshot = None
        self.camera_snapshot = None
        self.alarms: list[AlarmRecord] = []
        self.sound = AlarmSound()
        self.sensor_info: dict[int, dict] = {}
        self.camera_info: dict[int, dict] = {}
        self.cell_codes: dict[int, str] = {}
        self.views: dict[int, CameraViewWindow] = {}
        self.last_error: str | None = None
        self.ticks = 0
        self.tick_ms: deque[float] = deque(maxlen=20_000)
        self.tick_gap_ms: deque[float] = deque(maxlen=20_000)
        self._last_tick: float | None = None
        self._starting = False
        self._stop_requested = False
        self._known_keys: set[int] | None = None
        self._generation = 0
        self._flash_slots = np.empty(0, dtype=np.int64)
        self._flash_table = None
        self._camera_watched = np.empty(0, dtype=bool)
        self._watched_store = None
        self._status_text = ""
        self._counter_text = ""
        self._press: QPoint | None = None

        self._bridge = _Bridge(self)
        self._bridge.alarms.connect(self._on_alarms, Qt.ConnectionType.QueuedConnection)
        self._bridge.status.connect(self._on_status, Qt.ConnectionType.QueuedConnection)
        self._bridge.camera_event.connect(self._on_camera_event, Qt.ConnectionType.QueuedConnection)
        self._hidden_layers: list = []  # static sensor / camera layers the overlay stands in for

        self.overlay = LiveOverlay(window.canvas)
        self.risk = RiskLayerController(window)
        self.risk.updated.connect(self._on_risk_updated)
        self._build_status_bar()
        self._build_panels()
        self._build_actions()

        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._tick)
        # A newly opened store: the window says so (storeChanged); a window without that
        # signal is polled.
        self._store_timer = QTimer(self)
        self._store_timer.setInterval(500)
        self._store_timer.timeout.connect(self._check_store)
        changed = getattr(window, "storeChanged", None)
        if changed is not None:
            changed.connect(lambda _store: self._check_store())
        else:
            self._store_timer.start()
        QTimer.singleShot(0, self._check_store)

        window.canvas.installEventFilter(self)
        window.canvas.featureIdentified.connect(self._on_feature_identified)
        window.installEventFilter(self)

    # ------------------------------------------------------------------ UI construction
    def _build_status_bar(self) -> None:
        sb = self.window.statusBar()
        self.status_label = QLabel()
        self.status_label.setObjectName("liveStatus")
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.counter_label = QLabel()
        self.counter_label.setObjectName("liveCounters")
        sb.addPermanentWidget(self.status_label)
        sb.addPermanentWidget(self.counter_label)
        self._show_status(AdapterStatus(AdapterState.STOPPED, ""))

    def _build_panels(self) -> None:
        w = self.window
        self.panel = AlarmPanel()
        self.panel.who = self.operator()
        self.panel.sound.setChecked(self.settings.sound)
        self.panel.acknowledgeRequested.connect(self.acknowledge)
        self.panel.clearRequested.connect(self.clear_alarm)
        self.panel.zoomRequested.connect(self.zoom_to_alarm)
        self.panel.historyRequested.connect(self.history_of_alarm)
        self.panel.soundToggled.connect(self._on_sound_toggled)
        self.alarm_dock = QDockWidget(self.tr("Alarms"), w)
        self.alarm_dock.setObjectName("alarmDock")
        self.alarm_dock.setWidget(self.panel)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.alarm_dock)
        self.alarm_dock.hide()
        self.info = LiveInfoPanel()
        self.info.historyRequested.connect(self._history_of_subject)
        self.info.liveViewRequested.connect(self._view_of_subject)
        w.identify_panel.layout().addWidget(self.info)

    def _build_actions(self) -> None:
        w = self.window
        st = w.style()
        sp = QStyle.StandardPixmap
        self.act_toggle = QAction(st.standardIcon(sp.SP_MediaPlay), self.tr("&Live monitoring"), w)
        self.act_toggle.setObjectName("actLiveMonitoring")
        self.act_toggle.setCheckable(True)
        self.act_toggle.setShortcut("Ctrl+L")
        self.act_toggle.setToolTip(
            self.tr("Start or stop live monitoring (MQTT sensors and cameras)")
        )
        self.act_toggle.setStatusTip(self.act_toggle.toolTip())
        self.act_toggle.triggered.connect(self._on_toggle)
        self.act_alarms = self.alarm_dock.toggleViewAction()
        self.act_alarms.setText(self.tr("&Alarm panel"))
        self.act_alarms.setIcon(st.standardIcon(sp.SP_MessageBoxWarning))
        self.act_risk = QAction(
            st.standardIcon(sp.SP_FileDialogInfoView), self.tr("&Early-warning layer"), w
        )
        self.act_risk.setObjectName("actRiskLayer")
        self.act_risk.setCheckable(True)
        self.act_risk.setToolTip(
            self.tr("Risk per grid cell from recent alarms, open hazards and vulnerable residents")
        )
        self.act_risk.triggered.connect(self.set_risk_layer)
        self.act_settings = QAction(self.tr("Live monitoring &settings…"), w)
        self.act_settings.triggered.connect(self.settings_dialog)

        bar = w.menuBar()
        self.menu = bar.addMenu(self.tr("L&ive"))
        self.menu.setObjectName("liveMenu")
        for act in (self.act_toggle, self.act_alarms, self.act_risk, None, self.act_settings):
            self.menu.addSeparator() if act is None else self.menu.addAction(act)
        actions = bar.actions()
        help_action = actions[-2] if len(actions) >= 2 else None
        if help_action is not None:  # keep Help last
            bar.removeAction(self.menu.menuAction())
            bar.insertMenu(help_action, self.menu)
        tb = QToolBar(self.tr("Live"), w)
        tb.setObjectName("liveToolBar")
        tb.setMovable(False)
        for act in (self.act_toggle, self.act_alarms, self.act_risk):
            tb.addAction(act)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb

    # ------------------------------------------------------------------ settings
    def operator(self) -> str:
        """Who acknowledges: the logged-in account; in a store without accounts, the operator
        named in the settings, else the OS user."""
        name = account_name(self.window.store)
        if name:
            return name
        if self.settings.operator:
            return self.settings.operator
        return getpass.getuser()

    def settings_dialog(self) -> LiveSettingsDialog:
        dialog = LiveSettingsDialog(self.settings, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._on_settings_changed)
        dialog.open()
        return dialog

    def _on_settings_changed(self) -> None:
        self.panel.who = self.operator()
        self.panel.sound.setChecked(self.settings.sound)
        if self.running:
            self.window.statusBar().showMessage(
                self.tr("The new broker settings apply when live monitoring is started again."),
                8000,
            )

    def _on_sound_toggled(self, on: bool) -> None:
        self.settings.sound = on
        self.settings.save()

    # ------------------------------------------------------------------ start / stop
    @property
    def running(self) -> bool:
        return self.service is not None

    def _on_toggle(self, checked: bool) -> None:
        if checked:
            self.start()
        else:
            self.stop()

    def start(
        self,
        broker_url: str | None = None,
        community: str | None = None,
        client_id: str | None = None,
    ) -> bool:
        """Connect to the broker and start the pipeline for the open store (in the background).

        Returns False when there is nothing to start (no store, already running)."""
        self._check_store()
        store = self.window.store
        if store is None or self.service is not None or self._starting:
            self.act_toggle.setChecked(self.service is not None or self._starting)
            return False
        broker = broker_url or self.settings.broker_url
        community = (self.settings.community if community is None else community) or None
        cid = client_id or default_client_id(f"{broker}|{community}|{store.url}")
        url = store_url_of(store)
        bridge = self._bridge
        self._generation += 1
        gen = self._generation  # callbacks of an earlier (stopped) service are ignored
        self._starting = True
        self._stop_requested = False
        self._known_keys = None
        self.act_toggle.setChecked(True)
        self._show_status(AdapterStatus(AdapterState.CONNECTING, broker))

        def make() -> LiveService:
            service = LiveService(
                url,
                broker,
                community=community,
                client_id=cid,
                on_alarms=lambda records: bridge.alarms.emit((gen, records)),
                on_status=lambda status: bridge.status.emit((gen, status)),
            )
            service.start()
            return service

        self.runner.submit(
            make,
            on_done=lambda svc: self._on_started(svc, store),
            on_error=self._on_start_failed,
        )
        camera_config = self.settings.camera_config
        self.runner.submit(
            lambda: self._make_cameras(store, bridge.camera_event.emit, camera_config),
            on_done=lambda cams: self._on_cameras(cams, store),
            on_error=lambda exc: log.warning("cameras not started: %s", exc),
        )
        return True

    @staticmethod
    def _make_cameras(store, on_event, config_path: str = "") -> CameraMonitor:
        configs = load_camera_configs(config_path) if config_path else None
        monitor = CameraMonitor(store, configs, on_event=on_event)
        monitor.start()
        return monitor

    def _on_camera_event(self, event) -> None:
        """A camera saw its bin overflow (or emptied): an alarm in the pipeline, like a sensor's."""
        service = self.service
        if service is None or event.kind not in ("bin_overflow", "bin_cleared"):
            return
        if event.kind == "bin_overflow":
            cell = self.camera_info.get(event.camera_id, {}).get("grid_cell_id")
            job = lambda: service.raise_alarm(  # noqa: E731
                "camera.bin_overflow",
                "minor",
                camera_id=event.camera_id,
                grid_cell_id=cell,
                value=event.value,
                detail=f"{event.camera_code}: bin region {event.value:.0%} full",
                at=event.at,
            )
        else:
            job = lambda: service.clear_external_alarm(  # noqa: E731
                "camera.bin_overflow", camera_id=event.camera_id
            )
        self.runner.submit(job, on_error=lambda exc: log.warning("camera alarm: %s", exc))

    def _on_cameras(self, monitor: CameraMonitor, store) -> None:
        if self._stop_requested or store is not self.window.store:
            self.runner.submit(monitor.stop)
            return
        self.cameras = monitor
        self._camera_watched = np.array([bool(a.stream_url) for a in monitor.adapters], bool)
        self.camera_snapshot = monitor.snapshot()
        self._update_flash()

    def _on_started(self, service: LiveService, store) -> None:
        self._starting = False
        if self._stop_requested or store is not self.window.store:
            self.runner.submit(service.stop)
            self._stop_requested = False
            return
        self.service = service
        self.last_error = None
        self._last_tick = None
        self.overlay.clear()
        self.overlay.show()
        self.overlay.raise_()
        self._hide_static_layers()
        self.timer.start()
        self.alarm_dock.show()
        self.act_toggle.setChecked(True)
        self._show_status(service.status())
        self._tick()
        self.started.emit()

    def _on_start_failed(self, exc: BaseException) -> None:
        self._starting = False
        self._stop_requested = False
        self.last_error = str(exc)
        self.act_toggle.setChecked(False)
        self._show_status(AdapterStatus(AdapterState.FAILED, str(exc)))
        self.window.statusBar().showMessage(
            self.tr("Live monitoring could not start: {0}").format(exc), 10_000
        )
        if self.cameras is not None:
            cams, self.cameras = self.cameras, None
            self.runner.submit(cams.stop)

    def stop(self, wait: bool = False) -> None:
        """Stop sampling and the feed; ``wait`` blocks until the child has written everything."""
        self.timer.stop()
        self.overlay.hide()
        self.overlay.clear()
        self._restore_static_layers()
        if self._starting:
            self._stop_requested = True
        service, self.service = self.service, None
        cams, self.cameras = self.cameras, None
        for view in list(self.views.values()):
            if not view.owns_adapter:
                view.close()
        if service is not None:
            if wait:
                service.stop(timeout=10)
            else:
                self.runner.submit(lambda: service.stop(timeout=10))
        if cams is not None:
            if wait:
                cams.stop(timeout=2)
            else:
                self.runner.submit(lambda: cams.stop(timeout=2))
        self.snapshot = None
        self.camera_snapshot = None
        self.act_toggle.setChecked(False)
        self._show_status(AdapterStatus(AdapterState.STOPPED, ""))
        if service is not None:
            self.stopped.emit()

    def _hide_static_layers(self) -> None:
        """While live, the overlay shows the sensors and cameras: hide their static layers
        (without saving that as the user's choice)."""
        w = self.window
        for layer in w.layers:
            if layer.kind in ("sensors", "cameras") and layer.visible:
                layer.visible = False
                w.layer_panel.set_visible(layer, False)  # no signal: the layer already agrees
                w.canvas.refresh_layer(layer)
                self._hidden_layers.append(layer)

    def _restore_static_layers(self) -> None:
        w = self.window
        hidden, self._hidden_layers = self._hidden_layers, []
        for layer in hidden:
            if layer in w.layers and not layer.visible:
                layer.visible = True
                w.layer_panel.set_visible(layer, True)
                w.canvas.refresh_layer(layer)

    def shutdown(self) -> None:
        """The window is closing: stop everything now."""
        self._store_timer.stop()
        self.risk.disable()
        for view in list(self.views.values()):
            view.close()
        self.stop(wait=True)
        self.runner.shutdown()

    # ------------------------------------------------------------------ the store
    def _check_store(self) -> None:
        store = self.window.store
        if store is self._watched_store:
            return
        self._watched_store = store
        self._hidden_layers = [lyr for lyr in self._hidden_layers if lyr in self.window.layers]
        if self.running or self._starting:
            self.stop()
        self.risk.forget_store()
        self.alarms = []
        self.panel.set_alarms([])
        self.info.clear()
        self.sensor_info, self.camera_info, self.cell_codes = {}, {}, {}
        if store is None:
            return
        self.panel.who = self.operator()
        self.runner.submit(lambda: _device_info(store), on_done=self._on_info)
        if self.settings.risk_layer:
            self.act_risk.setChecked(True)
            self.risk.enable()
        if self.settings.autostart:
            QTimer.singleShot(0, self.start)

    def _on_info(self, info: dict) -> None:
        if info["store"] is not self.window.store:
            return
        self.sensor_info = info["sensors"]
        self.camera_info = info["cameras"]
        self.cell_codes = info["cells"]
        panel = self.panel
        panel.cell_codes = self.cell_codes
        panel.device_names = info["names"]
        panel.set_alarms(self.alarms)

    # ------------------------------------------------------------------ the tick
    def _tick(self) -> None:
        service = self.service
        if service is None:
            return
        t0 = time.perf_counter()
        if self._last_tick is not None:
            self.tick_gap_ms.append((t0 - self._last_tick) * 1000.0)
        self._last_tick = t0
        try:
            snap = service.latest_snapshot()
        except Exception as exc:  # the child is gone: say so, stop sampling
            self._show_status(AdapterStatus(AdapterState.FAILED, str(exc)))
            self.stop()
            return
        cams = watched = None
        if self.cameras is not None and (self.ticks % CAMERA_EVERY == 0):
            cams = self.camera_snapshot = self.cameras.snapshot()
            watched = self._camera_watched
        if self._flash_table is not service.sensors:
            self._update_flash()
        self.snapshot = snap
        self.overlay.tick_started = t0
        self.overlay.set_frame(snap, cams, self._flash_slots, camera_watched=watched)
        self._show_counters(snap.counters)
        self._show_status(service.status())  # cheap; changes the label only when it changed
        self.ticks += 1
        self.tick_ms.append((time.perf_counter() - t0) * 1000.0)

    def _show_counters(self, c) -> None:
        text = self.tr("Received {0} · Stored {1} · Quarantined {2} · Dropped {3}").format(
            f"{c.received:,}", f"{c.stored:,}", f"{c.quarantined:,}", f"{c.dropped:,}"
        )
        if c.missing:
            text += self.tr(" · Missing {0}").format(f"{c.missing:,}")
        if not c.store_ok:
            text += self.tr(" · store unreachable")
        if text != self._counter_text:
            self._counter_text = text
            self.counter_label.setText(text)
            tip = self.tr("Pending {0} · Duplicates {1} · Batches {2} · Last batch {3} ms").format(
                f"{c.pending:,}", f"{c.duplicates:,}", f"{c.batches:,}", f"{c.last_batch_ms:.0f}"
            )
            if c.last_error:
                tip += "\n" + c.last_error
            self.counter_label.setToolTip(tip)

    def _on_status(self, event) -> None:
        gen, status = event
        if gen != self._generation or (self.service is None and not self._starting):
            return
        self._show_status(status)

    def _show_status(self, status: AdapterStatus) -> None:
        color = STATUS_COLORS.get(status.state, "#757575")
        text = self.tr("MQTT: {0}").format(adapter_state_name(status.state))
        if status.state in (AdapterState.RECONNECTING, AdapterState.FAILED) and status.reason:
            text += f" — {status.reason}"
        html = f'<span style="color:{color}">●</span> {text}'
        if html != self._status_text:
            self._status_text = html
            self.status_label.setText(html)
            self.status_label.setToolTip(status.reason or text)
        if status.state is AdapterState.STOPPED:
            self.counter_label.setText("")
            self._counter_text = ""

    # ------------------------------------------------------------------ alarms
    def _on_alarms(self, event) -> None:
        gen, records = event
        if gen != self._generation or (self.service is None and not self._starting):
            return
        known = self._known_keys
        new = [r for r in records if known is not None and r.key not in known and r.active]
        self._known_keys = (known or set()) | {r.key for r in records}
        self.alarms = list(records)
        self.panel.set_alarms(self.alarms)
        self._update_flash()
        if new:
            if self.panel.sound.isChecked():
                self.sound.play()
            self.alarm_dock.show()
            self.alarm_dock.raise_()
            first = new[0]
            self.window.statusBar().showMessage(
                self.tr("New alarm: {0}").format(self.panel.device_label(first)), 10_000
            )
            self.newAlarms.emit(new)
        self.risk.refresh_soon()
        self.alarmsChanged.emit(self.alarms)

    def _update_flash(self) -> None:
        service = self.service
        if service is None:
            self._flash_slots = np.empty(0, dtype=np.int64)
            return
        try:
            table = service.sensors
        except Exception:
            return
        slots = [
            table.slot_of_id.get(r.sensor_id)
            for r in self.alarms
            if r.active and not r.acknowledged and r.sensor_id is not None
        ]
        self._flash_slots = np.array([s for s in slots if s is not None], dtype=np.int64)
        self._flash_table = table
        cams = self.camera_snapshot
        if cams is not None:
            flashing = [
                r.camera_id for r in self.alarms if r.active and not r.acknowledged and r.camera_id
            ]
            self.overlay.set_flash_cameras(np.flatnonzero(np.isin(cams.camera_ids, flashing)))

    def acknowledge(self, record: AlarmRecord, note: str = "") -> None:
        """Acknowledge ``record`` as the operator, with ``note``; stored by the pipeline."""
        service = self.service
        if service is None or self._refused():
            return
        who = self.operator()
        self.runner.submit(
            lambda: service.acknowledge(record.key, who, note or None),
            on_error=lambda exc: self._alarm_action_failed(exc),
        )

    def clear_alarm(self, record: AlarmRecord, note: str = "") -> None:
        service = self.service
        if service is None or self._refused():
            return
        who = self.operator()
        self.runner.submit(
            lambda: service.clear_alarm(record.key, who, note or None),
            on_error=lambda exc: self._alarm_action_failed(exc),
        )

    def _refused(self) -> bool:
        """Whether the logged-in account may not handle alarms (said to the user if so)."""
        access = getattr(self.window, "access", None)
        why = access.refusal("acknowledge_alarms") if access is not None else None
        if why is not None:
            self.last_error = why
            self.window.show_error(self.tr("Alarm not changed"), why)
        return why is not None

    def _alarm_action_failed(self, exc: BaseException) -> None:
        self.last_error = str(exc)
        self.window.show_error(self.tr("Alarm not changed"), str(exc))

    def device_position(self, record: AlarmRecord) -> tuple[float, float] | None:
        if record.sensor_id is not None:
            info = self.sensor_info.get(record.sensor_id)
            if info is not None:
                return info["x"], info["y"]
            if self.service is not None:
                table = self.service.sensors
                slot = table.slot_of_id.get(record.sensor_id)
                if slot is not None:
                    return float(table.x[slot]), float(table.y[slot])
        if record.camera_id is not None:
            info = self.camera_info.get(record.camera_id)
            if info is not None:
                return info["x"], info["y"]
        return None

    def zoom_to_alarm(self, record: AlarmRecord) -> None:
        where = self.device_position(record)
        if where is None:
            return
        canvas = self.window.canvas
        canvas.center_on(where[0], where[1], scale=min(canvas.view.scale, 0.6))
        if record.sensor_id is not None:
            self.show_sensor(sensor_id=record.sensor_id)

    def history_of_alarm(self, record: AlarmRecord) -> SensorHistoryDialog | None:
        if record.sensor_id is None:
            return None
        return self.open_history(record.sensor_id)

    # ------------------------------------------------------------------ details and windows
    def _sensor_thresholds(self, sensor_id: int) -> dict | None:
        info = self.sensor_info.get(sensor_id)
        if info is not None:
            return info
        if self.service is not None:
            table = self.service.sensors
            slot = table.slot_of_id.get(sensor_id)
            if slot is not None:
                return {
                    "code": table.codes[slot],
                    "name": None,
                    "kind": table.kinds[slot],
                    "unit": table.units[slot],
                    "warn": float(table.warn[slot]),
                    "alarm": float(table.alarm[slot]),
                }
        return None

    def open_history(self, sensor_id: int) -> SensorHistoryDialog | None:
        store = self.window.store
        info = self._sensor_thresholds(sensor_id)
        if store is None or info is None:
            return None
        dialog = SensorHistoryDialog(
            store,
            sensor_id,
            info["code"],
            info["kind"],
            info["unit"],
            info["warn"],
            info["alarm"],
            name=info.get("name"),
            parent=self.window,
        )
        dialog.show()
        return dialog

    def show_sensor(self, slot: int | None = None, sensor_id: int | None = None) -> None:
        """Show a sensor's live state in the identify panel."""
        service = self.service
        table = service.sensors if service is not None else None
        if slot is None and sensor_id is not None and table is not None:
            slot = table.slot_of_id.get(int(sensor_id))
        if sensor_id is None and slot is not None and table is not None:
            sensor_id = int(table.ids[slot])
        if sensor_id is None:
            return
        info = self._sensor_thresholds(sensor_id) or {}
        code = info.get("code", f"#{sensor_id}")
        heading = f"{code} · {kind_name(info.get('kind', ''))}"
        if info.get("name"):
            heading += f" · {info['name']}"
        lines = []
        snap = self.snapshot
        if snap is not None and slot is not None and slot < len(snap):
            value = float(snap.value[slot])
            unit = info.get("unit") or ""
            lines.append(
                self.tr("State: {0}").format(state_name(int(snap.state[slot])))
                + (
                    self.tr(" · value {0} {1}").format(f"{value:g}", unit)
                    if not math.isnan(value)
                    else ""
                )
            )
            ts = float(snap.ts[slot])
            if not math.isnan(ts):
                lines.append(self.tr("Last reading: {0}").format(local_time(ts, with_date=True)))
            battery = float(snap.battery[slot])
            if not math.isnan(battery):
                lines.append(self.tr("Battery: {0} %").format(f"{battery:.0f}"))
        elif not self.running:
            lines.append(self.tr("Start live monitoring to see the current value."))
        warn, alarm = info.get("warn"), info.get("alarm")
        if warn is not None and not _nan(warn):
            lines.append(
                self.tr("Thresholds: warning {0}, alarm {1}").format(
                    f"{warn:g}", f"{alarm:g}" if alarm is not None and not _nan(alarm) else "–"
                )
            )
        for r in self.alarms:
            if r.sensor_id == sensor_id and r.active:
                lines.append(
                    self.tr("Alarm since {0}").format(local_time(r.raised_at, with_date=True))
                )
        self.info.show_lines(("sensor", int(sensor_id)), heading, lines, history=True)
        self.window.identify_dock.show()

    def show_camera(self, camera_id: int, open_view: bool = True) -> None:
        """A camera's state and last thumbnail in the identify panel; its live view window."""
        info = self.camera_info.get(int(camera_id), {})
        code = info.get("code", f"#{camera_id}")
        heading = self.tr("Camera {0}").format(code) + (
            f" · {info['name']}" if info.get("name") else ""
        )
        lines = []
        adapter = self._camera_adapter(camera_id)
        cams = self.camera_snapshot
        if cams is not None:
            hit = np.flatnonzero(cams.camera_ids == int(camera_id))
            if len(hit):
                i = int(hit[0])
                lines.append(self.tr("Feed: {0}").format(feed_name(int(cams.state[i]))))
                if cams.motion[i]:
                    lines.append(self.tr("Motion seen"))
                if cams.bin_overflow[i]:
                    lines.append(self.tr("Bin overflowing"))
        if not info.get("stream_url"):
            lines.append(self.tr("No stream address for this camera"))
        self.info.show_lines(("camera", int(camera_id)), heading, lines, live_view=True)
        self.window.identify_dock.show()
        if adapter is not None:
            self.runner.submit(
                lambda: thumbnail_image(adapter.thumbnail()),
                on_done=lambda img: self._set_thumbnail(camera_id, img),
            )
        else:
            self.info.set_thumbnail(None)
        if open_view:
            self.open_live_view(camera_id)

    def _set_thumbnail(self, camera_id: int, image) -> None:
        if self.info.subject == ("camera", int(camera_id)):
            self.info.set_thumbnail(image)

    def _camera_adapter(self, camera_id: int):
        cams = self.cameras
        if cams is None:
            return None
        try:
            adapter = cams.adapter(int(camera_id))
        except KeyError:
            return None
        return adapter if adapter.stream_url else None

    def open_live_view(self, camera_id: int) -> CameraViewWindow | None:
        camera_id = int(camera_id)
        view = self.views.get(camera_id)
        if view is not None:
            view.raise_()
            view.activateWindow()
            return view
        info = self.camera_info.get(camera_id, {})
        adapter = self._camera_adapter(camera_id)
        if adapter is None and not info.get("stream_url"):
            self.window.statusBar().showMessage(
                self.tr("Camera {0} has no stream address").format(info.get("code", camera_id)),
                6000,
            )
            return None
        title = info.get("code", str(camera_id)) + (f" {info['name']}" if info.get("name") else "")
        view = CameraViewWindow(
            camera_id, title, adapter=adapter, stream_url=info.get("stream_url"), parent=self.window
        )
        view.closed.connect(lambda cid: self.views.pop(cid, None))
        self.views[camera_id] = view
        view.show()
        return view

    def _history_of_subject(self) -> None:
        subject = self.info.subject
        if subject and subject[0] == "sensor":
            self.open_history(subject[1])

    def _view_of_subject(self) -> None:
        subject = self.info.subject
        if subject and subject[0] == "camera":
            self.open_live_view(subject[1])

    def show_cell_risk(self, cell_id: int) -> bool:
        explained = self.risk.explanation(cell_id)
        if explained is None:
            return False
        head, lines = explained
        self.info.show_lines(("cell", int(cell_id)), head, lines)
        self.window.identify_dock.show()
        return True

    def _on_risk_updated(self, _result) -> None:
        subject = self.info.subject
        if subject and subject[0] == "cell":
            self.show_cell_risk(subject[1])

    def set_risk_layer(self, on: bool) -> None:
        self.act_risk.setChecked(on)
        self.settings.risk_layer = bool(on)
        self.settings.save()
        if on:
            self.risk.enable()
        else:
            self.risk.disable()
            if self.info.subject and self.info.subject[0] == "cell":
                self.info.clear()

    # ------------------------------------------------------------------ clicks
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        et = event.type()
        if obj is self.window.canvas:
            if et == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                self._press = event.position().toPoint()
            elif (
                et == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton
                and self._press is not None
            ):
                pos = event.position()
                if (pos.toPoint() - self._press).manhattanLength() <= 4:
                    self.click(pos.x(), pos.y())
                self._press = None
        elif obj is self.window and et == QEvent.Type.Close:
            self.shutdown()
        return False

    def click(self, x: float, y: float) -> str | None:
        """Handle a click at canvas pixel (x, y): a marker, a cluster or a risk cell."""
        hit = self.overlay.hit(x, y) if self.running else None
        canvas = self.window.canvas
        if hit is not None:
            if hit.kind == "cluster" and hit.bbox is not None:
                bbox = hit.bbox
                if bbox[2] - bbox[0] < 1 and bbox[3] - bbox[1] < 1:
                    canvas.center_on(hit.x, hit.y, scale=canvas.view.scale / 4)
                else:
                    canvas.zoom_to_bbox(bbox, margin=0.25, min_scale=0.3)
            elif hit.kind == "sensor":
                self.show_sensor(slot=hit.index)
            elif hit.kind == "camera" and self.camera_snapshot is not None:
                self.show_camera(int(self.camera_snapshot.camera_ids[hit.index]))
            return hit.kind
        mx, my = canvas.view.to_map(x, y)
        cell = self.risk.cell_at(float(mx), float(my))
        if cell is not None and self.show_cell_risk(cell):
            return "cell"
        self.info.clear()
        return None

    def _on_feature_identified(self, layer, fid) -> None:
        """Clicks on the static camera / sensor layers while the live feed is off."""
        if layer is None or fid is None or self.running:
            return
        if layer.kind == "cameras":
            self.show_camera(int(fid))
        elif layer.kind == "sensors":
            self.show_sensor(sensor_id=int(fid))

    # ------------------------------------------------------------------ measuring
    def frame_stats(self) -> dict[str, float]:
        """Frame time (tick → overlay painted), tick work and timer gaps, in ms."""
        out = dict(self.overlay.frame_stats())
        for name, values in (("tick", self.tick_ms), ("gap", self.tick_gap_ms)):
            if values:
                a = np.fromiter(values, dtype=np.float64)
                p50, p99 = np.percentile(a, [50, 99])
                out[f"{name}_p50"], out[f"{name}_p99"] = float(p50), float(p99)
                out[f"{name}_max"] = float(a.max())
        return out

    def sensor_slot(self, code: str) -> int | None:
        if self.service is None:
            return None
        return self.service.sensors.slot_of_code.get(code)

    def state_of(self, code: str) -> SensorState | None:
        slot = self.sensor_slot(code)
        if slot is None or self.snapshot is None or slot >= len(self.snapshot):
            return None
        return SensorState(int(self.snapshot.state[slot]))
