"""The one small protocol every live-feed adapter implements: start, stop, status, readings out.

An adapter owns its own thread(s) and never blocks its caller. What it produces goes to a sink
callable it was given:

* a transport adapter (MQTT) hands over raw messages with :data:`RawSink` —
  ``sink(topic, payload_bytes, received_at)`` — because validation and quarantine are the
  pipeline's job (:meth:`gis_core.ingest.IngestPipeline.submit_raw`);
* an adapter that already has typed values hands over :class:`Reading` objects with
  :data:`ReadingSink` (:meth:`gis_core.ingest.IngestPipeline.submit`).

Sinks must be quick and thread-safe (the pipeline's only enqueue). :class:`ReadingQueue` is a
ready-made sink for code that prefers to pull.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

from gis_core.live import Reading

__all__ = [
    "Reading",
    "AdapterState",
    "AdapterStatus",
    "Adapter",
    "RawSink",
    "ReadingSink",
    "StatusSink",
    "StatusHolder",
    "ReadingQueue",
]

RawSink = Callable[[str, bytes, float], object]
ReadingSink = Callable[[Reading], object]


class AdapterState(StrEnum):
    STOPPED = "stopped"  # not started, or stopped on request
    CONNECTING = "connecting"  # first attempt in progress
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # lost the source; retrying with back-off
    FAILED = "failed"  # gave up, or the source refuses us (bad credentials, bad URL)


@dataclass(frozen=True, slots=True)
class AdapterStatus:
    """An adapter's state, why it is in it, and since when (epoch seconds)."""

    state: AdapterState
    reason: str = ""
    since: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return self.state is AdapterState.CONNECTED


StatusSink = Callable[[AdapterStatus], object]


@runtime_checkable
class Adapter(Protocol):
    """What the application needs from any live-feed adapter."""

    name: str

    def start(self) -> None:
        """Start the adapter's thread(s) and return at once; connecting happens in the background."""

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and release the source; returns when the threads have ended (or after timeout)."""

    def status(self) -> AdapterStatus:
        """The current state; cheap, callable from any thread (e.g. a status-bar timer)."""


class StatusHolder:
    """Thread-safe current status with an optional change callback (used by the adapters)."""

    def __init__(self, on_change: StatusSink | None = None):
        self._lock = threading.Lock()
        self._status = AdapterStatus(AdapterState.STOPPED)
        self._on_change = on_change

    def get(self) -> AdapterStatus:
        with self._lock:
            return self._status

    def set(self, state: AdapterState, reason: str = "") -> AdapterStatus:
        with self._lock:
            if self._status.state == state and self._status.reason == reason:
                return self._status
            self._status = AdapterStatus(state, reason)
            status = self._status
        if self._on_change is not None:
            self._on_change(status)
        return status


class ReadingQueue:
    """A bounded, thread-safe queue usable as a :data:`ReadingSink` or :data:`RawSink`.

    When full it drops the new item and counts it, so a stalled consumer never blocks an
    adapter's network thread.
    """

    def __init__(self, maxsize: int = 100_000):
        self._queue: queue.Queue = queue.Queue(maxsize)
        self.dropped = 0

    def __call__(self, *item) -> bool:
        try:
            self._queue.put_nowait(item[0] if len(item) == 1 else item)
        except queue.Full:
            self.dropped += 1
            return False
        return True

    def get(self, timeout: float | None = None):
        return self._queue.get(timeout=timeout)

    def drain(self, limit: int = 100_000) -> list:
        out = []
        while len(out) < limit:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return out

    def __len__(self) -> int:
        return self._queue.qsize()
