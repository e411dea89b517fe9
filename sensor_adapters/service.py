"""The live service: the MQTT adapter and the ingest pipeline in a child process of their own.

Receiving, parsing and storing thousands of messages a second is Python work; in the window's
process it competes with the GUI thread for the interpreter lock (at 5,000 messages/s the UI
timer ran up to 130 ms late at p99 in bench/live_bench.py). In a child process it does not. The
child publishes the latest values into shared memory every ``publish_s`` (50 ms) and sends the
sensor table, the open alarms and the adapter's status over a queue; the parent computes
snapshots from the shared arrays (the same :func:`gis_core.ingest.build_snapshot` as in-process)
and forwards operators' acknowledgements to the child.

    service = LiveService(store_url, "mqtt://127.0.0.1:1883").start()
    snap = service.latest_snapshot()            # on the UI timer, ≤ 10 Hz
    service.acknowledge(alarm.key, "李娜", "dispatched")
    service.stop()
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from gis_core.alarms import AlarmError, AlarmRecord
from gis_core.ingest import LiveSnapshot, PipelineConfig, PipelineCounters, build_snapshot
from gis_core.live import SensorTable
from sensor_adapters.protocol import AdapterState, AdapterStatus

__all__ = ["LiveService", "LiveServiceError"]

log = logging.getLogger(__name__)

# Layout of the shared counters (int64).
_FIELDS = (
    "received",
    "accepted",
    "missing",
    "stored",
    "duplicates",
    "quarantined",
    "dropped",
    "pending",
    "batches",
    "store_ok",
    "generation",
    "version",
    "alarms_version",
    "last_batch_us",
    "sensors",
)
_F = {name: i for i, name in enumerate(_FIELDS)}


#: Sensors the shared arrays hold unless told otherwise.
DEFAULT_CAPACITY = 100_000


class LiveServiceError(RuntimeError):
    """The live service could not start or stopped unexpectedly."""


class LiveService:
    """MQTT → ingest pipeline → store in a child process; snapshots and alarms in this one."""

    def __init__(
        self,
        store_url: str,
        broker_url: str,
        *,
        config: PipelineConfig | None = None,
        community: str | None = None,
        client_id: str | None = None,
        capacity: int | None = None,
        publish_s: float = 0.05,
        on_alarms: Callable[[list[AlarmRecord]], object] | None = None,
        on_status: Callable[[AdapterStatus], object] | None = None,
    ):
        self.store_url = store_url
        self.broker_url = broker_url
        self.config = config or PipelineConfig()
        self.community = community
        self.client_id = client_id
        self.capacity = capacity
        self.publish_s = publish_s
        self.on_alarms = on_alarms
        self.on_status = on_status
        self._ctx = mp.get_context("spawn")  # never fork a process that runs Qt and threads
        self._process: Any = None
        self._receiver: threading.Thread | None = None
        self._table: SensorTable | None = None
        self._generation = -1
        self._alarms: list[AlarmRecord] = []
        self._status = AdapterStatus(AdapterState.STOPPED)
        self._last_error: str | None = None
        self._replies: dict[int, tuple[bool, Any]] = {}
        self._reply_ready = threading.Condition()
        self._request_ids = iter(range(1, 2**62))
        self._ready = threading.Event()
        self._failure: str | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout: float = 60.0) -> LiveService:
        """Start the child; returns once it has loaded the sensors (raises LiveServiceError)."""
        if self._process is not None:
            return self
        # Fixed-size shared arrays (about 3.3 MB for the default): sized before the child has
        # read the sensors. Not sized by opening the store here: a second SQLite handle opened
        # and closed in this process can cost the window's own connections their locks.
        cap = self.capacity = self.capacity or DEFAULT_CAPACITY
        self._floats = self._ctx.RawArray("d", 4 * cap)
        self._flags = self._ctx.RawArray("B", cap)
        self._header = self._ctx.RawArray("q", len(_FIELDS))
        self._events = self._ctx.Queue()
        self._commands = self._ctx.Queue()
        f = np.frombuffer(self._floats, dtype=np.float64).reshape(4, cap)
        self._value, self._ts, self._last_seen, self._battery = f
        self._alarm_flags = np.frombuffer(self._flags, dtype=np.uint8)
        self._counts = np.frombuffer(self._header, dtype=np.int64)
        self._process = self._ctx.Process(
            target=_child_main,
            name="zhiwang-live",
            args=(
                self.store_url,
                self.broker_url,
                self.config,
                self.community,
                self.client_id,
                self.publish_s,
                self._floats,
                self._flags,
                self._header,
                self._events,
                self._commands,
            ),
            daemon=True,
        )
        self._process.start()
        self._receiver = threading.Thread(target=self._receive, name="zhiwang-live-rx", daemon=True)
        self._receiver.start()
        if not self._ready.wait(timeout) or self._failure:
            reason = self._failure or "the live service did not start in time"
            self.stop(timeout=5)
            raise LiveServiceError(reason)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the child to write what it has and stop; terminate it if it does not."""
        process = self._process
        if process is None:
            return
        if process.is_alive():
            self._commands.put(("stop",))
            process.join(timeout)
            if process.is_alive():
                log.warning("the live service did not stop in %.0f s; terminating it", timeout)
                process.terminate()
                process.join(5)
        self._events.put(("__end__",))
        if self._receiver is not None:
            self._receiver.join(5)
        self._process = None
        self._status = AdapterStatus(AdapterState.STOPPED, "stopped")

    def __enter__(self) -> LiveService:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    # ------------------------------------------------------------------ sampling
    @property
    def sensors(self) -> SensorTable:
        if self._table is None:
            raise LiveServiceError("the live service is not started")
        return self._table

    def counters(self) -> PipelineCounters:
        c = self._counts.copy()
        return PipelineCounters(
            received=int(c[_F["received"]]),
            accepted=int(c[_F["accepted"]]),
            missing=int(c[_F["missing"]]),
            stored=int(c[_F["stored"]]),
            duplicates=int(c[_F["duplicates"]]),
            quarantined=int(c[_F["quarantined"]]),
            dropped=int(c[_F["dropped"]]),
            pending=int(c[_F["pending"]]),
            batches=int(c[_F["batches"]]),
            last_batch_ms=int(c[_F["last_batch_us"]]) / 1000.0,
            store_ok=bool(c[_F["store_ok"]]),
            last_error=self._last_error,
        )

    def latest_snapshot(self, now: float | None = None) -> LiveSnapshot:
        """The same snapshot as :meth:`IngestPipeline.latest_snapshot`, from shared memory."""
        table = self._table
        if table is None:
            raise LiveServiceError("the live service is not started")
        # After the child reloads its sensors its new table follows on the queue; new sensors
        # (higher ids) are appended, so until it arrives the old table's slots still match.
        n = min(len(table), len(self._value))
        return build_snapshot(
            table,
            self._value[:n],
            self._ts[:n],
            self._last_seen[:n],
            self._battery[:n],
            self._alarm_flags[:n].astype(bool),
            time.time() if now is None else now,
            stale_factor=self.config.stale_factor,
            offline_factor=self.config.offline_factor,
            version=int(self._counts[_F["version"]]),
            alarms_version=int(self._counts[_F["alarms_version"]]),
            counters=self.counters(),
        )

    def status(self) -> AdapterStatus:
        """The MQTT adapter's status (FAILED with the reason if the child died)."""
        if self._process is not None and not self._process.is_alive():
            return AdapterStatus(AdapterState.FAILED, self._failure or "the live service stopped")
        return self._status

    # ------------------------------------------------------------------ alarms
    def open_alarms(self) -> list[AlarmRecord]:
        """Alarms active or not yet acknowledged, as the child last reported them."""
        return list(self._alarms)

    def acknowledge(self, key: int, user: str, note: str | None = None) -> AlarmRecord:
        return self._request("acknowledge", key, user, note)

    def clear_alarm(self, key: int, user: str, note: str | None = None) -> AlarmRecord:
        return self._request("clear_alarm", key, user, note)

    def raise_alarm(self, rule: str, severity, **fields) -> AlarmRecord | None:
        """An alarm from outside the rules (a camera's bin overflow): IngestPipeline.raise_alarm
        in the child, with the same keywords; None if it is already active."""
        return self._request("raise_alarm", rule, severity, fields)

    def clear_external_alarm(self, rule: str, **fields) -> AlarmRecord | None:
        return self._request("clear_external_alarm", rule, fields)

    def flush(self, timeout: float = 30.0) -> bool:
        """Block until the child has written everything it received so far."""
        return bool(self._request("flush", timeout=timeout + 5))

    def _request(self, op: str, *args, timeout: float = 10.0):
        if not self.running:
            raise LiveServiceError("the live service is not running")
        rid = next(self._request_ids)
        self._commands.put((op, rid, *args))
        deadline = time.monotonic() + timeout
        with self._reply_ready:
            while rid not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or not self.running:
                    raise LiveServiceError(f"no answer from the live service to {op}")
                self._reply_ready.wait(min(left, 0.5))
            ok, value = self._replies.pop(rid)
        if not ok:
            raise AlarmError(value)
        return value

    # ------------------------------------------------------------------ events from the child
    def _receive(self) -> None:
        while True:
            try:
                event = self._events.get(timeout=1.0)
            except queue.Empty:
                if self._process is not None and not self._process.is_alive():
                    self._failure = self._failure or "the live service stopped unexpectedly"
                    self._ready.set()
                    with self._reply_ready:
                        self._reply_ready.notify_all()
                continue
            except (EOFError, OSError):
                return
            kind = event[0]
            if kind == "__end__":
                return
            if kind == "table":
                _, generation, table = event
                self._table, self._generation = table, generation
                self._ready.set()
            elif kind == "alarms":
                self._alarms = event[1]
                if self.on_alarms is not None:
                    try:
                        self.on_alarms(list(event[1]))
                    except Exception:
                        log.exception("on_alarms callback failed")
            elif kind == "status":
                self._status = event[1]
                if self.on_status is not None:
                    try:
                        self.on_status(event[1])
                    except Exception:
                        log.exception("on_status callback failed")
            elif kind == "error":
                self._last_error = event[1]
            elif kind == "failed":
                self._failure = event[1]
                self._ready.set()
            elif kind == "reply":
                _, rid, ok, value = event
                with self._reply_ready:
                    self._replies[rid] = (ok, value)
                    self._reply_ready.notify_all()


def ingest_pipeline(store, config=None):
    """The child's pipeline: alarms that the cases catalogue's ``alarm_rules`` pick open cases
    (:class:`gis_core.cases.AlarmCaseOpener`, on this process's own store)."""
    from gis_core.cases.alarm_cases import AlarmCaseOpener
    from gis_core.ingest import IngestPipeline

    return IngestPipeline(store, config, on_alarm=AlarmCaseOpener(store))


def _child_main(
    store_url, broker_url, config, community, client_id, publish_s, floats, flags, header, events,
    commands,
) -> None:  # fmt: skip
    """The child process: pipeline + adapter, publishing into the shared arrays."""
    from gis_core.store import Store
    from sensor_adapters.mqtt import MqttAdapter

    try:
        store = Store.open(store_url)
        pipeline = ingest_pipeline(store, config).start()
    except Exception as exc:
        events.put(("failed", f"cannot start the ingest pipeline: {exc}"))
        return
    cap = len(flags)
    f = np.frombuffer(floats, dtype=np.float64).reshape(4, cap)
    value, ts, last_seen, battery = f
    alarm_flags = np.frombuffer(flags, dtype=np.uint8)
    counts = np.frombuffer(header, dtype=np.int64)
    adapter = MqttAdapter(
        broker_url,
        pipeline.submit_raw,
        community=community,
        client_id=client_id,
        on_status=lambda s: events.put(("status", s)),
    )
    adapter.start()
    parent = mp.parent_process()
    table = None
    generation = 0
    alarms_version = -1
    last_error = None
    try:
        while True:
            live = pipeline._live
            if live is not None and live.table is not table:
                table = live.table
                generation += 1
                if len(table) > cap:
                    events.put(("error", f"{len(table)} sensors exceed the shared capacity {cap}"))
                events.put(("table", generation, table))
            if live is not None:
                n = min(len(live.table), cap)
                value[:n] = live.value[:n]
                ts[:n] = live.ts[:n]
                last_seen[:n] = live.last_seen[:n]
                battery[:n] = live.battery[:n]
                alarm_flags[:n] = pipeline.active_alarm_flags()[:n]
            c = pipeline.counters()
            engine_version = pipeline.engine.version if pipeline.engine else 0
            counts[:] = (
                c.received, c.accepted, c.missing, c.stored, c.duplicates, c.quarantined,
                c.dropped, c.pending, c.batches, int(c.store_ok), generation,
                pipeline._version, engine_version, int(c.last_batch_ms * 1000),
                len(table) if table is not None else 0,
            )  # fmt: skip
            if engine_version != alarms_version:
                alarms_version = engine_version
                events.put(("alarms", pipeline.open_alarms()))
            if c.last_error != last_error:
                last_error = c.last_error
                events.put(("error", last_error))
            try:
                command = commands.get(timeout=publish_s)
            except queue.Empty:
                command = None
            if parent is not None and not parent.is_alive():
                break
            if command is None:
                continue
            op = command[0]
            if op == "stop":
                break
            rid, args = command[1], command[2:]
            try:
                if op == "flush":
                    result: Any = pipeline.flush()
                elif op in ("raise_alarm", "clear_external_alarm"):  # keywords last
                    result = getattr(pipeline, op)(*args[:-1], **args[-1])
                else:
                    result = getattr(pipeline, op)(*args)
                reply = ("reply", rid, True, result)
            except Exception as exc:
                reply = ("reply", rid, False, str(exc))
            if pipeline.engine is not None and pipeline.engine.version != alarms_version:
                alarms_version = pipeline.engine.version  # the caller sees its own change at once
                events.put(("alarms", pipeline.open_alarms()))
            events.put(reply)
    finally:
        adapter.stop()
        pipeline.stop()
        store.close()
