"""A camera's live view: frames from its adapter, converted to QImage off the GUI thread.

The camera adapter (sensor_adapters.camera, OpenCV) reads and decodes frames on its own thread;
a grabber thread here takes the newest one at up to ``fps``, converts it BGR → RGB into a QImage
(from the numpy array, copied) and hands it to the window, which only scales and shows it.
"""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.live.texts import feed_name
from sensor_adapters.camera import CameraAdapter, CameraConfig, FeedState

__all__ = ["CameraViewWindow", "qimage_from_bgr", "thumbnail_image"]


def qimage_from_bgr(frame: np.ndarray) -> QImage:
    """A QImage (RGB888, owning its pixels) from an OpenCV BGR (or grey) frame."""
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    else:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    frame = np.ascontiguousarray(frame)
    h, w = frame.shape[:2]
    return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_RGB888).copy()


def thumbnail_image(jpeg: bytes | None) -> QImage | None:
    """Decode a JPEG thumbnail (call off the GUI thread)."""
    if not jpeg:
        return None
    buf = np.frombuffer(jpeg, dtype=np.uint8)
    frame = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return None if frame is None else qimage_from_bgr(frame)


class _Frames(QObject):
    ready = Signal(object, float)  # QImage, frame time


class _Grabber(threading.Thread):
    def __init__(self, adapter: CameraAdapter, signals: _Frames, fps: float) -> None:
        super().__init__(name=f"zhiwang-view-{adapter.code}", daemon=True)
        self.adapter = adapter
        self.signals = signals
        self.period = 1.0 / fps
        self.stop_event = threading.Event()

    def run(self) -> None:
        last = None
        while not self.stop_event.wait(self.period):
            frame = self.adapter.latest_frame()
            if frame is None or frame is last:
                continue
            last = frame
            try:
                image = qimage_from_bgr(frame)
            except Exception:  # a malformed frame must not end the view
                continue
            self.signals.ready.emit(image, time.time())


class CameraViewWindow(QWidget):
    """A top-level window with one camera's live picture and its feed state.

    ``adapter`` is the camera's running adapter (from the live monitor); with None, the window
    opens ``stream_url`` itself and closes it again when it is closed.
    """

    closed = Signal(int)

    def __init__(
        self,
        camera_id: int,
        title: str,
        adapter: CameraAdapter | None = None,
        stream_url: str | None = None,
        fps: float = 15.0,
        parent=None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("cameraView")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.camera_id = camera_id
        self.setWindowTitle(self.tr("Live view — {0}").format(title))
        self.owns_adapter = adapter is None
        if adapter is None:
            adapter = CameraAdapter(
                title, stream_url, camera_id=camera_id, config=CameraConfig(loop_file=True)
            )
            adapter.start()
        self.adapter = adapter
        self.picture = QLabel(self.tr("Waiting for the first frame…"))
        self.picture.setObjectName("cameraPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 180)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setStyleSheet("background: #101010; color: #dddddd;")
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.status)
        self.resize(660, 420)
        self.frames_shown = 0
        self.last_image: QImage | None = None
        self._signals = _Frames()
        self._signals.ready.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._grabber = _Grabber(adapter, self._signals, fps)
        self._grabber.start()
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(500)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start()
        self._update_status()

    def _show(self, image: QImage, _at: float) -> None:
        self.last_image = image
        self.frames_shown += 1
        pix = QPixmap.fromImage(image).scaled(
            self.picture.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.picture.setPixmap(pix)

    def _update_status(self) -> None:
        state = self.adapter.feed_state()
        status = self.adapter.status()
        text = self.tr("{0} · {1} frames shown").format(feed_name(state), self.frames_shown)
        if state is not FeedState.LIVE and status.reason:
            text += f" · {status.reason}"
        self.status.setText(text)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._status_timer.stop()
        self._grabber.stop_event.set()
        self._grabber.join(2.0)
        if self.owns_adapter:
            self.adapter.stop(timeout=2.0)
        self.closed.emit(self.camera_id)
        super().closeEvent(event)
