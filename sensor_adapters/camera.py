"""Camera adapter (OpenCV, headless): one thread per camera reads frames from its stream_url.

It keeps the latest frame and a JPEG thumbnail, says whether the feed is *live*, *stale* (no new
frame for a few seconds, or the same frame over and over — a frozen encoder) or *offline* (cannot
be opened / nothing for longer), and runs two cheap detectors on a downscaled grey copy:

* motion: the share of watched pixels that changed between consecutive frames, inside an optional
  mask of polygons (normalised 0..1 image coordinates), debounced and with a cool-down;
* bin overflow (cameras watching a waste-collection point): the share of a configured region that
  differs from the empty-bin reference; crossing ``bin_threshold`` (held for ``bin_min_s``) raises
  a ``bin_overflow`` event and falling back by ``bin_hysteresis`` a ``bin_cleared`` one.

Events go to an ``on_event`` callback on the camera's thread. :class:`CameraMonitor` runs the
adapters for every camera in the store and gives the map overlay its arrays.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import IntEnum
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from sensor_adapters.protocol import AdapterState, AdapterStatus, StatusHolder, StatusSink

__all__ = [
    "FeedState",
    "CameraConfig",
    "CameraEvent",
    "CameraAdapter",
    "CameraMonitor",
    "CameraSnapshot",
    "load_camera_configs",
    "open_capture",
    "camera_alarms",
]

log = logging.getLogger(__name__)

Polygon = Sequence[Sequence[float]]


class FeedState(IntEnum):
    LIVE = 0
    STALE = 1
    OFFLINE = 2


@dataclass(frozen=True)
class CameraConfig:
    """Per-camera settings; regions are polygons in normalised image coordinates (0..1)."""

    stale_after_s: float = 5.0
    offline_after_s: float = 20.0
    frozen_after_s: float = 30.0  # byte-identical frames this long: the image is frozen
    reopen_delay_s: tuple[float, float] = (1.0, 30.0)
    open_timeout_s: float = 5.0
    thumbnail_width: int = 192
    thumbnail_every_s: float = 1.0
    analysis_width: int = 320
    motion: bool = True
    motion_mask: Sequence[Polygon] | None = None  # None: the whole frame
    motion_threshold: float = 0.02  # share of watched pixels that changed
    motion_pixel_delta: int = 25  # grey-level change that counts as "changed"
    motion_min_frames: int = 2
    motion_cooldown_s: float = 10.0
    bin_region: Polygon | None = None
    bin_threshold: float = 0.6
    bin_hysteresis: float = 0.15
    bin_min_s: float = 2.0
    bin_pixel_delta: int = 40
    bin_reference: str | None = None  # image of the empty bin; None: the first frame seen
    loop_file: bool = False  # replay a file source forever (training)
    realtime_file: bool = True  # pace a file source at its frame rate

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CameraConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown camera settings: {', '.join(sorted(unknown))}")
        values = dict(data)
        if "reopen_delay_s" in values:
            values["reopen_delay_s"] = tuple(values["reopen_delay_s"])
        return cls(**values)


def load_camera_configs(path: str | Path) -> dict[str, CameraConfig]:
    """Camera settings by camera code from YAML/JSON: ``{default: {...}, CAM-0001: {...}}``.

    Each camera's entry overrides the ``default`` entry; the result has a "default" key too.
    """
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of camera code to settings")
    default = _merge(CameraConfig(), data.pop("default", None) or {})
    configs = {str(code): _merge(default, overrides or {}) for code, overrides in data.items()}
    configs["default"] = default
    return configs


def _merge(base: CameraConfig, overrides: Mapping[str, Any]) -> CameraConfig:
    CameraConfig.from_mapping(overrides)  # validates the keys
    values = dict(overrides)
    if "reopen_delay_s" in values:
        values["reopen_delay_s"] = tuple(values["reopen_delay_s"])
    return replace(base, **values)


@dataclass(frozen=True, slots=True)
class CameraEvent:
    """``kind``: "motion", "bin_overflow" or "bin_cleared"; ``value`` the ratio that crossed."""

    camera_code: str
    kind: str
    at: float
    value: float
    camera_id: int | None = None
    thumbnail: bytes | None = None


def _is_file_source(url: str) -> bool:
    return "://" not in url or url.startswith("file://")


def open_capture(url: str, timeout_s: float = 5.0) -> cv2.VideoCapture:
    """Open an RTSP / HTTP(MJPEG) URL, a file (path or file://) or a device (``device:0``/``0``)."""
    if url.startswith("device:") or url.isdigit():
        return cv2.VideoCapture(int(url.split(":", 1)[-1]))
    if url.startswith("file://"):
        url = url[len("file://") :]
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        int(timeout_s * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        int(timeout_s * 1000),
    ]
    return cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)


def _polygon_mask(polygons: Sequence[Polygon], width: int, height: int) -> np.ndarray:
    mask = np.zeros((height, width), dtype=np.uint8)
    for poly in polygons:
        pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
        pix = np.round(pts * [width - 1, height - 1]).astype(np.int32)
        cv2.fillPoly(mask, [pix], 255)
    return mask


class CameraAdapter:
    """One camera. Thread-safe getters; events and status changes arrive on its thread."""

    def __init__(
        self,
        code: str,
        stream_url: str | None,
        *,
        config: CameraConfig | None = None,
        camera_id: int | None = None,
        on_event: Callable[[CameraEvent], object] | None = None,
        on_status: StatusSink | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.name = f"camera:{code}"
        self.code = code
        self.camera_id = camera_id
        self.stream_url = (stream_url or "").strip()
        self.config = config or CameraConfig()
        self.on_event = on_event
        self.clock = clock
        self._status = StatusHolder(on_status)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._frame: np.ndarray | None = None
        self._thumb: bytes | None = None
        self._thumb_at = 0.0
        self._last_frame_at: float | None = None
        self._changed_at: float | None = None  # last frame that differed from its predecessor
        self._ended = False  # a non-looping file reached its end
        self._last_error = ""
        self.frames = 0
        # Detector state (camera thread only).
        self._prev_grey: np.ndarray | None = None
        self._prev_blurred: np.ndarray | None = None
        self._watch: np.ndarray | None = None
        self._watch_area = 0
        self._bin_mask: np.ndarray | None = None
        self._bin_ref: np.ndarray | None = None
        self._motion_run = 0
        self._motion_until = 0.0
        self.motion_ratio = 0.0
        self.fill_ratio: float | None = None
        self.bin_overflowing = False
        self._over_since: float | None = None

    # ------------------------------------------------------------------ protocol
    def start(self) -> None:
        if self._thread is not None:
            return
        if not self.stream_url:
            self._status.set(AdapterState.FAILED, "camera has no stream_url")
            return
        self._stop.clear()
        self._status.set(AdapterState.CONNECTING, f"opening {self._redacted()}")
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        thread = self._thread
        self._stop.set()
        if thread is not None:
            thread.join(timeout)
        self._thread = None
        self._status.set(AdapterState.STOPPED, "stopped")

    def status(self) -> AdapterStatus:
        base = self._status.get()
        if base.state in (AdapterState.STOPPED, AdapterState.FAILED) or self.last_frame_at is None:
            return base
        state = self.feed_state()
        if state is FeedState.LIVE:
            return AdapterStatus(AdapterState.CONNECTED, "live", base.since)
        if self._ended:
            return AdapterStatus(AdapterState.RECONNECTING, "file ended", base.since)
        reason = "stale frame" if state is FeedState.STALE else "offline"
        if self._last_error:
            reason += f": {self._last_error}"
        return AdapterStatus(AdapterState.RECONNECTING, reason, base.since)

    # ------------------------------------------------------------------ getters
    def feed_state(self, now: float | None = None) -> FeedState:
        """live / stale (old or frozen frame) / offline (no frame for offline_after_s, or never)."""
        now = self.clock() if now is None else now
        with self._lock:
            last, changed = self._last_frame_at, self._changed_at
        if last is None:
            return FeedState.OFFLINE
        age = now - last
        if age > self.config.offline_after_s:
            return FeedState.OFFLINE
        if age > self.config.stale_after_s:
            return FeedState.STALE
        if changed is not None and now - changed > self.config.frozen_after_s:
            return FeedState.STALE
        return FeedState.LIVE

    def latest_frame(self) -> np.ndarray | None:
        """The newest frame (BGR); frames are replaced, never modified, so it is safe to keep."""
        with self._lock:
            return self._frame

    def thumbnail(self) -> bytes | None:
        """A JPEG of a recent frame, ``thumbnail_width`` pixels wide."""
        with self._lock:
            return self._thumb

    @property
    def last_frame_at(self) -> float | None:
        with self._lock:
            return self._last_frame_at

    # ------------------------------------------------------------------ thread
    def _redacted(self) -> str:
        url = self.stream_url
        if "@" in url and "://" in url:
            scheme, rest = url.split("://", 1)
            return f"{scheme}://***@{rest.split('@', 1)[1]}"
        return url

    def _run(self) -> None:
        cfg = self.config
        delay = cfg.reopen_delay_s[0]
        is_file = _is_file_source(self.stream_url)
        while not self._stop.is_set():
            cap = open_capture(self.stream_url, cfg.open_timeout_s)
            if not cap.isOpened():
                cap.release()
                self._last_error = f"cannot open {self._redacted()}"
                self._status.set(AdapterState.RECONNECTING, self._last_error)
                if self._stop.wait(delay):
                    break
                delay = min(delay * 2, cfg.reopen_delay_s[1])
                continue
            self._last_error = ""
            self._status.set(AdapterState.CONNECTED, "opened")
            fps = cap.get(cv2.CAP_PROP_FPS) if is_file else 0.0
            pace = 1.0 / fps if (is_file and cfg.realtime_file and 0 < fps < 1000) else 0.0
            got_any = False
            next_at = time.monotonic()
            while not self._stop.is_set():
                ok, frame = cap.read()
                if not ok or frame is None:
                    break
                got_any = True
                self._on_frame(frame)
                if pace:
                    next_at += pace
                    wait = next_at - time.monotonic()
                    if wait > 0 and self._stop.wait(wait):
                        break
            cap.release()
            if self._stop.is_set():
                break
            if is_file and not cfg.loop_file:
                self._ended = True
                self._status.set(AdapterState.RECONNECTING, "file ended")
                self._stop.wait()
                break
            if not is_file:
                self._last_error = "stream interrupted"
                self._status.set(AdapterState.RECONNECTING, "stream interrupted; reopening")
            if got_any:
                delay = cfg.reopen_delay_s[0]
            if not is_file and self._stop.wait(delay):
                break

    def _on_frame(self, frame: np.ndarray) -> None:
        cfg = self.config
        now = self.clock()
        self.frames += 1
        h, w = frame.shape[:2]
        aw = min(cfg.analysis_width, w)
        ah = max(1, round(h * aw / w))
        small = cv2.resize(frame, (aw, ah), interpolation=cv2.INTER_AREA) if aw != w else frame
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
        prev = self._prev_grey
        changed = prev is None or prev.shape != grey.shape or not np.array_equal(prev, grey)
        thumb = None
        if now - self._thumb_at >= cfg.thumbnail_every_s or self._thumb is None:
            thumb = self._encode_thumbnail(frame)
        with self._lock:
            self._frame = frame
            self._last_frame_at = now
            if changed or self._changed_at is None:
                self._changed_at = now
            if thumb is not None:
                self._thumb, self._thumb_at = thumb, now
        events: list[CameraEvent] = []
        blurred = cv2.GaussianBlur(grey, (5, 5), 0)
        if cfg.motion:
            events += self._detect_motion(blurred, now)
        if cfg.bin_region is not None:
            events += self._detect_bin(blurred, now)
        self._prev_grey = grey
        self._prev_blurred = blurred
        for event in events:
            if self.on_event is not None:
                try:
                    self.on_event(event)
                except Exception:
                    log.exception("camera event callback failed")

    def _encode_thumbnail(self, frame: np.ndarray) -> bytes | None:
        h, w = frame.shape[:2]
        tw = min(self.config.thumbnail_width, w)
        small = cv2.resize(frame, (tw, max(1, round(h * tw / w))), interpolation=cv2.INTER_AREA)
        ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
        return buf.tobytes() if ok else None

    def _event(self, kind: str, at: float, value: float) -> CameraEvent:
        return CameraEvent(self.code, kind, at, value, self.camera_id, self.thumbnail())

    def _detect_motion(self, blurred: np.ndarray, now: float) -> list[CameraEvent]:
        cfg = self.config
        prev = self._prev_blurred
        if self._watch is None or self._watch.shape != blurred.shape:
            h, w = blurred.shape
            self._watch = (
                _polygon_mask(cfg.motion_mask, w, h)
                if cfg.motion_mask
                else np.full((h, w), 255, np.uint8)
            )
            self._watch_area = int(np.count_nonzero(self._watch))
            prev = None
        if prev is None or prev.shape != blurred.shape or self._watch_area == 0:
            return []
        diff = cv2.absdiff(blurred, prev)
        moving = (diff > cfg.motion_pixel_delta) & (self._watch > 0)
        self.motion_ratio = float(np.count_nonzero(moving)) / self._watch_area
        if self.motion_ratio >= cfg.motion_threshold:
            self._motion_run += 1
        else:
            self._motion_run = 0
        if self._motion_run >= cfg.motion_min_frames and now >= self._motion_until:
            self._motion_until = now + cfg.motion_cooldown_s
            return [self._event("motion", now, self.motion_ratio)]
        return []

    def _detect_bin(self, blurred: np.ndarray, now: float) -> list[CameraEvent]:
        cfg = self.config
        h, w = blurred.shape
        if self._bin_mask is None or self._bin_mask.shape != blurred.shape:
            assert cfg.bin_region is not None
            self._bin_mask = _polygon_mask([cfg.bin_region], w, h) > 0
            self._bin_ref = None
            if cfg.bin_reference:
                ref = cv2.imread(cfg.bin_reference, cv2.IMREAD_GRAYSCALE)
                if ref is not None:
                    self._bin_ref = cv2.GaussianBlur(cv2.resize(ref, (w, h)), (5, 5), 0)
            if self._bin_ref is None:
                self._bin_ref = blurred.copy()
        area = int(np.count_nonzero(self._bin_mask))
        if area == 0:
            return []
        assert self._bin_ref is not None
        differs = (cv2.absdiff(blurred, self._bin_ref) > cfg.bin_pixel_delta) & self._bin_mask
        fill = float(np.count_nonzero(differs)) / area
        self.fill_ratio = fill
        if not self.bin_overflowing:
            if fill >= cfg.bin_threshold:
                if self._over_since is None:
                    self._over_since = now
                if now - self._over_since >= cfg.bin_min_s:
                    self.bin_overflowing = True
                    return [self._event("bin_overflow", now, fill)]
            else:
                self._over_since = None
        elif fill < cfg.bin_threshold - cfg.bin_hysteresis:
            self.bin_overflowing = False
            self._over_since = None
            return [self._event("bin_cleared", now, fill)]
        return []


@dataclass(frozen=True, eq=False)
class CameraSnapshot:
    """Arrays for the map overlay: one entry per camera (heading clockwise from north)."""

    camera_ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    heading_deg: np.ndarray
    fov_deg: np.ndarray
    range_m: np.ndarray
    state: np.ndarray  # FeedState codes
    motion: np.ndarray  # bool: motion seen within the cool-down
    bin_overflow: np.ndarray  # bool
    codes: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.camera_ids)


class CameraMonitor:
    """Adapters for every camera of a store, with per-camera settings and one event callback."""

    def __init__(
        self,
        store,
        configs: Mapping[str, CameraConfig] | None = None,
        on_event: Callable[[CameraEvent], object] | None = None,
        start_offline: bool = True,
    ):
        frame = store.query_all(
            "cameras",
            columns=("code", "purpose", "heading_deg", "fov_deg", "range_m", "stream_url"),
        )
        configs = dict(configs or {})
        default = configs.pop("default", CameraConfig())
        self.ids = frame.ids.astype(np.int64)
        self.codes = tuple(frame.columns["code"].tolist())
        n = len(self.ids)
        import shapely

        self.x = shapely.get_x(frame.geometry) if n else np.empty(0)
        self.y = shapely.get_y(frame.geometry) if n else np.empty(0)
        self.heading = frame.columns["heading_deg"].astype(np.float64)
        self.fov = frame.columns["fov_deg"].astype(np.float64)
        self.range = frame.columns["range_m"].astype(np.float64)
        self.purpose = tuple(frame.columns["purpose"].tolist())
        self.adapters: list[CameraAdapter] = []
        for i in range(n):
            code = self.codes[i]
            config = configs.get(code, default)
            self.adapters.append(
                CameraAdapter(
                    code,
                    frame.columns["stream_url"][i],
                    config=config,
                    camera_id=int(self.ids[i]),
                    on_event=on_event,
                )
            )
        self._index = {int(cid): i for i, cid in enumerate(self.ids)}

    def start(self) -> None:
        for adapter in self.adapters:
            adapter.start()

    def stop(self, timeout: float = 5.0) -> None:
        for adapter in self.adapters:
            adapter._stop.set()
        for adapter in self.adapters:
            adapter.stop(timeout)

    def adapter(self, camera_id: int) -> CameraAdapter:
        return self.adapters[self._index[int(camera_id)]]

    def snapshot(self, now: float | None = None) -> CameraSnapshot:
        now = time.time() if now is None else now
        state = np.array([a.feed_state(now) for a in self.adapters], dtype=np.uint8)
        motion = np.array([now < a._motion_until for a in self.adapters], dtype=bool)
        bins = np.array([a.bin_overflowing for a in self.adapters], dtype=bool)
        return CameraSnapshot(
            self.ids.copy(),
            self.x.copy(),
            self.y.copy(),
            self.heading.copy(),
            self.fov.copy(),
            self.range.copy(),
            state,
            motion,
            bins,
            self.codes,
        )


def camera_alarms(pipeline) -> Callable[[CameraEvent], None]:
    """An ``on_event`` that turns bin overflows into alarms in an ingest pipeline (and clears them)."""

    def handle(event: CameraEvent) -> None:
        if event.kind == "bin_overflow":
            pipeline.raise_alarm(
                "camera.bin_overflow",
                "minor",
                camera_id=event.camera_id,
                value=event.value,
                detail=f"{event.camera_code}: bin region {event.value:.0%} full",
                at=event.at,
            )
        elif event.kind == "bin_cleared":
            pipeline.clear_external_alarm("camera.bin_overflow", camera_id=event.camera_id)

    return handle
