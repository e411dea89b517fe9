"""The camera adapter on video files written here and on an MJPEG stream served on loopback."""

from __future__ import annotations

import http.server
import socketserver
import threading
import time

import cv2
import numpy as np
import pytest

from gis_core.ingest import IngestPipeline
from gis_core.live_store import LiveStore
from sensor_adapters.camera import (
    CameraAdapter,
    CameraConfig,
    CameraMonitor,
    FeedState,
    camera_alarms,
    load_camera_configs,
)
from sensor_adapters.protocol import AdapterState
from tests.gis_core._live_helpers import add_cameras

W, H, FPS = 160, 120, 25
FAST = dict(stale_after_s=0.4, offline_after_s=1.2, reopen_delay_s=(0.1, 0.3))


def scene(i: int, left_block: bool = False, fill: float = 0.0) -> np.ndarray:
    """A grey street with a textured wall; a white block moving across the left half if asked;
    a bin region (right third, bottom half) filled from the bottom up to ``fill``."""
    frame = np.full((H, W, 3), 90, np.uint8)
    frame[:20, :] = 140
    if left_block:
        x = 5 + (i * 4) % 50
        frame[40:90, x : x + 25] = 250
    if fill:
        top = int(H - fill * (H // 2))
        frame[top:H, 2 * W // 3 :] = 230
    return frame


def write_video(path, frames) -> str:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (W, H))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return str(path)


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_file_feed_is_live_then_stale_then_offline(tmp_path):
    video = write_video(tmp_path / "street.avi", [scene(i, left_block=True) for i in range(25)])
    camera = CameraAdapter("CAM-0001", video, config=CameraConfig(**FAST))
    assert camera.feed_state() is FeedState.OFFLINE and camera.thumbnail() is None
    camera.start()
    try:
        assert wait_for(lambda: camera.frames >= 5)
        assert camera.feed_state() is FeedState.LIVE
        assert camera.status().state is AdapterState.CONNECTED
        frame = camera.latest_frame()
        assert frame.shape == (H, W, 3)
        thumb = cv2.imdecode(np.frombuffer(camera.thumbnail(), np.uint8), cv2.IMREAD_COLOR)
        assert thumb.shape[1] == W  # no wider than the source
        assert wait_for(lambda: camera.feed_state() is FeedState.STALE, 3)
        assert camera.status().state is AdapterState.RECONNECTING
        assert wait_for(lambda: camera.feed_state() is FeedState.OFFLINE, 3)
        assert camera.frames == 25
    finally:
        camera.stop()
    assert camera.status().state is AdapterState.STOPPED


def test_a_frozen_image_is_stale_although_frames_keep_coming(tmp_path):
    still = scene(0)
    video = write_video(tmp_path / "frozen.avi", [still] * 60)
    camera = CameraAdapter(
        "CAM-0002", video, config=CameraConfig(frozen_after_s=0.5, loop_file=True, **FAST)
    )
    camera.start()
    try:
        assert wait_for(lambda: camera.frames >= 3)
        assert camera.feed_state() is FeedState.LIVE
        assert wait_for(lambda: camera.feed_state() is FeedState.STALE, 3)
        frames = camera.frames
        time.sleep(0.2)
        assert camera.frames > frames  # still receiving
    finally:
        camera.stop()


def test_unreachable_and_missing_sources_are_offline(tmp_path):
    missing = CameraAdapter("CAM-0003", str(tmp_path / "nope.avi"), config=CameraConfig(**FAST))
    none = CameraAdapter("CAM-0004", None)
    missing.start()
    none.start()
    try:
        assert wait_for(lambda: "cannot open" in missing.status().reason, 5)
        assert missing.feed_state() is FeedState.OFFLINE
        assert none.status().state is AdapterState.FAILED
    finally:
        missing.stop()
        none.stop()


def test_motion_is_detected_only_inside_the_mask(tmp_path):
    video = write_video(tmp_path / "walk.avi", [scene(i, left_block=True) for i in range(30)])
    left = [[[0, 0], [0.5, 0], [0.5, 1], [0, 1]]]
    right = [[[0.5, 0], [1, 0], [1, 1], [0.5, 1]]]
    events: dict[str, list] = {"left": [], "right": [], "all": []}
    cameras = [
        CameraAdapter(
            name,
            video,
            config=CameraConfig(motion_mask=mask, realtime_file=False, motion_cooldown_s=60),
            on_event=events[name].append,
        )
        for name, mask in (("left", left), ("right", right), ("all", None))
    ]
    for camera in cameras:
        camera.start()
    try:
        assert wait_for(lambda: all(c.frames == 30 for c in cameras))
    finally:
        for camera in cameras:
            camera.stop()
    assert [e.kind for e in events["left"]] == ["motion"]
    assert events["left"][0].value >= 0.02 and events["left"][0].thumbnail
    assert [e.kind for e in events["all"]] == ["motion"]
    assert events["right"] == []


def test_bin_region_filling_up_raises_overflow_then_cleared(tmp_path):
    fills = [0.0] * 5 + [i / 20 for i in range(21)] + [1.0] * 5 + [0.0] * 5
    video = write_video(tmp_path / "bin.avi", [scene(0, fill=f) for f in fills])
    region = [[2 / 3, 0.5], [1, 0.5], [1, 1], [2 / 3, 1]]
    events = []
    camera = CameraAdapter(
        "CAM-0005",
        video,
        config=CameraConfig(
            bin_region=region, bin_threshold=0.7, bin_min_s=0, motion=False, realtime_file=False
        ),
        on_event=events.append,
    )
    camera.start()
    try:
        assert wait_for(lambda: camera.frames == len(fills))
    finally:
        camera.stop()
    assert [e.kind for e in events] == ["bin_overflow", "bin_cleared"]
    assert 0.7 <= events[0].value < 0.85  # raised as it crossed, not at the end
    assert events[1].value < 0.55


def test_camera_settings_file(tmp_path):
    path = tmp_path / "cameras.yaml"
    path.write_text(
        "default: {stale_after_s: 8}\n"
        "CAM-0009: {bin_region: [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1]], bin_threshold: 0.8}\n"
    )
    configs = load_camera_configs(path)
    assert configs["default"].stale_after_s == 8
    assert configs["CAM-0009"].stale_after_s == 8 and configs["CAM-0009"].bin_threshold == 0.8
    path.write_text("CAM-0001: {colour: red}\n")
    with pytest.raises(ValueError, match="colour"):
        load_camera_configs(path)


class MjpegServer:
    """multipart/x-mixed-replace JPEG frames on loopback, like an IP camera's HTTP stream."""

    def __init__(self, frames):
        self.jpegs = [cv2.imencode(".jpg", f)[1].tobytes() for f in frames]
        self.paused = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if server.paused.is_set():
                    self.send_error(503)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                self.end_headers()
                i = 0
                try:
                    while not server.paused.is_set():
                        jpeg = server.jpegs[i % len(server.jpegs)]
                        self.wfile.write(
                            b"--frame\r\nContent-Type: image/jpeg\r\n"
                            + f"Content-Length: {len(jpeg)}\r\n\r\n".encode()
                            + jpeg
                            + b"\r\n"
                        )
                        i += 1
                        time.sleep(1 / FPS)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/video.mjpg"

    def close(self):
        self.paused.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_mjpeg_stream_live_interrupted_and_back():
    server = MjpegServer([scene(i, left_block=True) for i in range(20)])
    statuses = []
    camera = CameraAdapter(
        "CAM-0006",
        server.url,
        config=CameraConfig(**FAST),
        on_status=lambda s: statuses.append(s.reason),
    )
    camera.start()
    try:
        assert wait_for(lambda: camera.frames >= 5)
        assert camera.feed_state() is FeedState.LIVE
        server.paused.set()  # the camera drops off the network
        assert wait_for(lambda: camera.feed_state() is FeedState.OFFLINE, 5)
        assert camera.status().state is AdapterState.RECONNECTING
        frames = camera.frames
        server.paused.clear()  # and comes back: the adapter reopens the stream
        assert wait_for(lambda: camera.frames > frames + 3, 10)
        assert camera.feed_state() is FeedState.LIVE
    finally:
        camera.stop()
        server.close()
    assert any("interrupted" in r or "cannot open" in r for r in statuses)


def test_monitor_snapshot_and_bin_overflow_alarm(live_store, tmp_path):
    store = live_store
    fills = [0.0] * 5 + [1.0] * 10
    video = write_video(tmp_path / "bin.avi", [scene(0, fill=f) for f in fills])
    add_cameras(
        store,
        [
            {"code": "CAM-0001", "purpose": "bin_overflow", "stream_url": video},
            {"code": "CAM-0002", "stream_url": None, "heading_deg": 180.0},
        ],
    )
    region = [[2 / 3, 0.5], [1, 0.5], [1, 1], [2 / 3, 1]]
    config = CameraConfig(bin_region=region, bin_min_s=0, realtime_file=False, motion=False)
    with IngestPipeline(store) as pipeline:
        monitor = CameraMonitor(store, {"CAM-0001": config}, on_event=camera_alarms(pipeline))
        monitor.start()
        try:
            bin_camera = monitor.adapter(1)
            assert wait_for(lambda: bin_camera.frames == len(fills))
            snap = monitor.snapshot()
        finally:
            monitor.stop()
        (alarm,) = pipeline.open_alarms()
        assert (alarm.rule, alarm.camera_id, alarm.sensor_id) == ("camera.bin_overflow", 1, None)
        assert pipeline.flush()
    assert snap.codes == ("CAM-0001", "CAM-0002")
    assert snap.state.tolist() == [FeedState.LIVE, FeedState.OFFLINE]
    assert snap.bin_overflow.tolist() == [True, False]
    assert snap.heading_deg.tolist() == [90.0, 180.0]
    (stored,) = LiveStore(store).alarms()
    assert stored.camera_id == 1 and stored.cleared_at is None
