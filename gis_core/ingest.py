"""The ingest pipeline: every live message goes validate → latest-value table → store → alarm rules.

Adapters call :meth:`IngestPipeline.submit_raw` (transport messages: topic + raw bytes) or
:meth:`IngestPipeline.submit` (typed readings) from their own threads; both only enqueue. Two
threads do the work:

* the *ingest* thread validates each message (:func:`gis_core.payload.parse_message`), updates the
  in-memory latest-value arrays, runs the alarm rules and checks for silent devices once a second;
* the *writer* thread batches readings, quarantined messages and alarm changes and writes each
  batch in one transaction (every ``flush_interval_s`` or ``batch_rows`` rows).

The UI never waits on either: it calls :meth:`IngestPipeline.latest_snapshot` on a timer (≤10 Hz)
and paints the arrays it gets. :meth:`IngestPipeline.counters` says how many messages were
received, stored, quarantined and dropped, so any loss is visible.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from gis_core.alarms import AlarmChange, AlarmEngine, AlarmRecord, AlarmRule
from gis_core.live import (
    OFFLINE_FACTOR,
    STALE_FACTOR,
    Reading,
    SensorState,
    SensorTable,
    Severity,
)
from gis_core.live_store import WRITE_RETRYABLE, LiveStore, QuarantinedMessage
from gis_core.payload import (
    DEFAULT_LIMITS,
    PayloadLimits,
    Rejection,
    SensorInfo,
    parse_message,
)
from gis_core.store import Store

__all__ = [
    "IngestPipeline",
    "PipelineConfig",
    "PipelineCounters",
    "LiveSnapshot",
    "build_snapshot",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineConfig:
    """Tuning of the pipeline; the defaults suit a command centre with thousands of devices."""

    flush_interval_s: float = 0.2
    batch_rows: int = 2000
    max_pending: int = 500_000  # messages waiting anywhere in the pipeline before it drops
    silence_check_s: float = 1.0
    stale_factor: float = STALE_FACTOR
    offline_factor: float = OFFLINE_FACTOR
    limits: PayloadLimits = DEFAULT_LIMITS
    rules: Sequence[AlarmRule] | None = None  # None: gis_core.alarms.default_rules()
    timezone: str = "Asia/Shanghai"  # for rules limited to local hours
    sensor_reload_s: float = 30.0  # an unknown sensor code reloads the sensors at most this often
    retry_backoff_s: tuple[float, float] = (0.5, 5.0)


@dataclass(frozen=True)
class PipelineCounters:
    """Message accounting. ``received == accepted + quarantined_total + dropped + pending`` once
    the queues are empty; ``stored + duplicates`` is what the store took of the accepted."""

    received: int = 0
    accepted: int = 0
    missing: int = 0  # gaps in devices' ``seq`` counters: lost before reaching us (broker, radio)
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    dropped: int = 0
    pending: int = 0
    batches: int = 0
    last_batch_ms: float = 0.0
    store_ok: bool = True
    last_error: str | None = None


@dataclass(frozen=True, eq=False)
class LiveSnapshot:
    """What the map overlay paints: one entry per sensor, arrays aligned (copies, safe to keep).

    ``state`` holds :class:`~gis_core.live.SensorState` codes; ``value``/``ts``/``battery`` are NaN
    where unknown; ``ts`` is epoch seconds of the newest reading; ``alarm`` is True where a
    threshold alarm is active (so a flashing marker can be drawn). ``version`` changes when any
    of it may have changed; ``alarms_version`` when the alarm list changed.
    """

    taken_at: float
    sensor_ids: np.ndarray
    kind_codes: np.ndarray
    x: np.ndarray
    y: np.ndarray
    state: np.ndarray
    value: np.ndarray
    ts: np.ndarray
    battery: np.ndarray
    alarm: np.ndarray
    cell_ids: np.ndarray
    version: int
    alarms_version: int
    counters: PipelineCounters = field(default_factory=PipelineCounters)

    def __len__(self) -> int:
        return len(self.sensor_ids)

    def state_counts(self) -> dict[str, int]:
        counts = np.bincount(self.state, minlength=len(SensorState))
        return {s.name.lower(): int(counts[s]) for s in SensorState}


def build_snapshot(
    table: SensorTable,
    value: np.ndarray,
    ts: np.ndarray,
    last_seen: np.ndarray,
    battery: np.ndarray,
    alarm: np.ndarray,
    now: float,
    *,
    stale_factor: float = STALE_FACTOR,
    offline_factor: float = OFFLINE_FACTOR,
    version: int = 0,
    alarms_version: int = 0,
    counters: PipelineCounters | None = None,
) -> LiveSnapshot:
    """A snapshot from latest-value arrays (copied here) with each sensor's state at ``now``.

    Shared by the in-process pipeline and :class:`sensor_adapters.service.LiveService`, which
    reads the arrays from shared memory.
    """
    t = table
    value, ts, last_seen, battery = value.copy(), ts.copy(), last_seen.copy(), battery.copy()
    alarm = np.array(alarm, dtype=bool, copy=True)
    with np.errstate(invalid="ignore"):
        higher = t.higher_is_worse
        past_alarm = np.where(higher, value >= t.alarm, value <= t.alarm)
        past_warn = np.where(higher, value >= t.warn, value <= t.warn)
        state = np.full(len(t), SensorState.NORMAL, dtype=np.uint8)
        state[past_warn] = SensorState.WARNING
        state[past_alarm | alarm] = SensorState.ALARM
        age = now - last_seen
        state[age > stale_factor * t.period_s] = SensorState.STALE
        state[(age > offline_factor * t.period_s) | np.isnan(last_seen)] = SensorState.OFFLINE
    return LiveSnapshot(
        taken_at=now,
        sensor_ids=t.ids.copy(),
        kind_codes=t.kind_codes.copy(),
        x=t.x.copy(),
        y=t.y.copy(),
        state=state,
        value=value,
        ts=ts,
        battery=battery,
        alarm=alarm,
        cell_ids=t.cell_ids.copy(),
        version=version,
        alarms_version=alarms_version,
        counters=counters or PipelineCounters(),
    )


class _Barrier:
    __slots__ = ("event",)

    def __init__(self) -> None:
        self.event = threading.Event()


_STOP = object()


class _LiveArrays:
    """Latest values per sensor slot; written by the ingest thread only."""

    def __init__(self, table: SensorTable, infos: dict[str, SensorInfo]):
        n = len(table)
        self.table = table
        self.infos = infos
        self.value = np.full(n, np.nan)
        self.ts = np.full(n, np.nan)  # newest good/uncertain reading
        self.last_seen = np.full(n, np.nan)  # newest reading of any quality
        self.battery = np.full(n, np.nan)
        self.seq = np.full(n, -1, dtype=np.int64)  # last message counter seen, -1: none yet


def _infos(table: SensorTable) -> dict[str, SensorInfo]:
    return {
        code: SensorInfo(code, table.kinds[i], table.units[i], table.communities[i])
        for i, code in enumerate(table.codes)
    }


class IngestPipeline:
    """One pipeline per open store. Start it, hand it messages, sample it, stop it."""

    def __init__(
        self,
        store: Store,
        config: PipelineConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
        on_alarm: Callable[[AlarmChange], None] | None = None,
    ):
        self.store = store
        self.live_store = LiveStore(store)
        self.config = config or PipelineConfig()
        self.clock = clock
        self.on_alarm = on_alarm
        self._in: queue.SimpleQueue = queue.SimpleQueue()
        self._out: queue.SimpleQueue = queue.SimpleQueue()
        self._count_lock = threading.Lock()
        self._received = 0
        self._dropped_full = 0
        # Owned by the ingest thread:
        self._accepted = 0
        self._rejected = 0
        self._seq_gaps = 0  # messages skipped in devices' counters
        self._seq_late = 0  # arrivals at or below the last counter seen (late or duplicate)
        # Owned by the writer thread:
        self._stored = 0
        self._duplicates = 0
        self._quarantined = 0
        self._dropped_write = 0
        self._forwarded_rows = 0  # ingest thread: rows handed to the writer
        self._done_rows = 0  # writer thread: rows stored, found duplicate, quarantined or dropped
        self._batches = 0
        self._last_batch_ms = 0.0
        self._store_ok = True
        self._last_error: str | None = None
        self._alarm_ids: dict[int, int] = {}
        self._version = 0
        self._threads: list[threading.Thread] = []
        self._live: _LiveArrays | None = None
        self.engine: AlarmEngine | None = None
        self._active_cache: tuple[int, np.ndarray] = (-1, np.zeros(0, dtype=bool))
        self._last_reload = 0.0

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> IngestPipeline:
        """Load the sensors, their newest stored readings and open alarms; start the threads."""
        if self._threads:
            return self
        table = self.live_store.sensor_table()
        live = _LiveArrays(table, _infos(table))
        ids, ts, values, battery = self.live_store.latest_readings()
        for sid, t, v, b in zip(ids.tolist(), ts.tolist(), values.tolist(), battery.tolist()):
            slot = table.slot_of_id.get(sid)
            if slot is not None:
                live.ts[slot] = live.last_seen[slot] = t
                live.value[slot] = v
                live.battery[slot] = b
        now = self.clock()
        self.engine = AlarmEngine(
            table, self.config.rules, timezone=self.config.timezone, started_at=now
        )
        open_records = self.live_store.alarms(open_only=True, limit=100_000)
        self.engine.restore(open_records)
        for record in self.engine.open_alarms():
            if record.id is not None:
                self._alarm_ids[record.key] = record.id
        self._live = live
        self._last_reload = now
        self._threads = [
            threading.Thread(target=self._ingest_loop, name="zhiwang-ingest", daemon=True),
            threading.Thread(target=self._writer_loop, name="zhiwang-writer", daemon=True),
        ]
        for t in self._threads:
            t.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Write everything received so far, then stop the threads."""
        if not self._threads:
            return
        self._in.put(_STOP)
        for t in self._threads:
            t.join(timeout)
        self._threads = []

    def __enter__(self) -> IngestPipeline:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return bool(self._threads)

    def flush(self, timeout: float = 30.0) -> bool:
        """Block until everything submitted before this call is written; False on timeout."""
        if not self._threads:
            return True
        barrier = _Barrier()
        self._in.put(barrier)
        return barrier.event.wait(timeout)

    # ------------------------------------------------------------------ input (any thread)
    def submit_raw(self, topic: str, payload: bytes, received_at: float | None = None) -> bool:
        """Hand over one transport message; returns False if the pipeline is full and drops it."""
        with self._count_lock:
            self._received += 1
            if self._pending_estimate() >= self.config.max_pending:
                self._dropped_full += 1
                return False
        self._in.put((topic, payload, received_at if received_at is not None else self.clock()))
        return True

    def submit(self, reading: Reading, received_at: float | None = None) -> bool:
        """Hand over a reading an adapter has already typed (it is still checked)."""
        with self._count_lock:
            self._received += 1
            if self._pending_estimate() >= self.config.max_pending:
                self._dropped_full += 1
                return False
        self._in.put((reading, received_at if received_at is not None else self.clock()))
        return True

    def _pending_estimate(self) -> int:
        return self._in.qsize() + self._writer_pending

    @property
    def _writer_pending(self) -> int:
        return self._forwarded_rows - self._done_rows

    # ------------------------------------------------------------------ output (any thread)
    def counters(self) -> PipelineCounters:
        with self._count_lock:
            received, dropped_full = self._received, self._dropped_full
        done = self._accepted + self._rejected
        return PipelineCounters(
            received=received,
            accepted=self._accepted,
            # Late arrivals fill gaps counted earlier, except those that were duplicates.
            missing=max(0, self._seq_gaps - max(0, self._seq_late - self._duplicates)),
            stored=self._stored,
            duplicates=self._duplicates,
            quarantined=self._quarantined,
            dropped=dropped_full + self._dropped_write,
            pending=max(0, received - dropped_full - done) + self._writer_pending,
            batches=self._batches,
            last_batch_ms=self._last_batch_ms,
            store_ok=self._store_ok,
            last_error=self._last_error,
        )

    @property
    def sensors(self) -> SensorTable:
        if self._live is None:
            raise RuntimeError("the pipeline is not started")
        return self._live.table

    def latest_snapshot(self, now: float | None = None) -> LiveSnapshot:
        """Copies of the latest-value arrays with each sensor's state computed now.

        Costs a few array copies (tens of microseconds for thousands of sensors), so the UI can
        call it on every tick of its ≤10 Hz timer.
        """
        live = self._live
        if live is None or self.engine is None:
            raise RuntimeError("the pipeline is not started")
        now = self.clock() if now is None else now
        return build_snapshot(
            live.table,
            live.value,
            live.ts,
            live.last_seen,
            live.battery,
            self._active_slots(live.table),
            now,
            stale_factor=self.config.stale_factor,
            offline_factor=self.config.offline_factor,
            version=self._version,
            alarms_version=self.engine.version,
            counters=self.counters(),
        )

    def _active_slots(self, table: SensorTable) -> np.ndarray:
        engine = self.engine
        assert engine is not None
        version, flags = self._active_cache
        if version != engine.version or len(flags) != len(table):
            flags = engine.active_slots()
            self._active_cache = (engine.version, flags)
        return flags

    def active_alarm_flags(self) -> np.ndarray:
        """Per sensor slot: True where a threshold alarm is active (a copy)."""
        live = self._live
        if live is None:
            raise RuntimeError("the pipeline is not started")
        return self._active_slots(live.table).copy()

    # ------------------------------------------------------------------ alarms (any thread)
    def open_alarms(self) -> list[AlarmRecord]:
        """Alarms active or not yet acknowledged, most severe and newest first."""
        return [] if self.engine is None else self.engine.open_alarms()

    def acknowledge(self, key: int, user: str, note: str | None = None) -> AlarmRecord:
        """``user`` acknowledges alarm ``key`` (with a note); stored within one flush interval."""
        change = self._engine().acknowledge(key, user, note, self.clock())
        self._emit([change])
        return change.record

    def clear_alarm(self, key: int, user: str, note: str | None = None) -> AlarmRecord:
        """``user`` clears alarm ``key`` by hand (a false alarm, a handled incident)."""
        change = self._engine().clear(key, user, self.clock(), note)
        self._emit([change])
        return change.record

    def raise_alarm(
        self,
        rule: str,
        severity: Severity | str,
        *,
        camera_id: int | None = None,
        sensor_id: int | None = None,
        grid_cell_id: int | None = None,
        value: float | None = None,
        detail: str = "",
        at: float | None = None,
    ) -> AlarmRecord | None:
        """An alarm from outside the rules, e.g. a camera's bin-overflow or motion event."""
        change = self._engine().raise_external(
            rule,
            severity,
            self.clock() if at is None else at,
            camera_id=camera_id,
            sensor_id=sensor_id,
            grid_cell_id=grid_cell_id,
            value=value,
            detail=detail,
        )
        if change is None:
            return None
        self._emit([change])
        return change.record

    def clear_external_alarm(
        self, rule: str, *, camera_id: int | None = None, sensor_id: int | None = None
    ) -> AlarmRecord | None:
        change = self._engine().clear_external(
            rule, self.clock(), camera_id=camera_id, sensor_id=sensor_id
        )
        if change is None:
            return None
        self._emit([change])
        return change.record

    def _engine(self) -> AlarmEngine:
        if self.engine is None:
            raise RuntimeError("the pipeline is not started")
        return self.engine

    def _emit(self, changes: list[AlarmChange]) -> None:
        if not changes:
            return
        self._out.put(([], [], changes))
        if self.on_alarm is not None:
            for change in changes:
                try:
                    self.on_alarm(change)
                except Exception:
                    log.exception("on_alarm callback failed")

    # ------------------------------------------------------------------ ingest thread
    def reload_sensors(self) -> None:
        """Re-read the sensors (added or moved ones); call from any thread."""
        self._in.put(("__reload__", b"", 0.0))

    def _reload(self) -> None:
        old = self._live
        assert old is not None and self.engine is not None
        table = self.live_store.sensor_table()
        live = _LiveArrays(table, _infos(table))
        for slot, sid in enumerate(table.ids.tolist()):
            prev = old.table.slot_of_id.get(sid)
            if prev is not None:
                live.value[slot] = old.value[prev]
                live.ts[slot] = old.ts[prev]
                live.last_seen[slot] = old.last_seen[prev]
                live.battery[slot] = old.battery[prev]
        self.engine.retarget(table)
        self._live = live
        self._last_reload = self.clock()
        self._version += 1

    def _ingest_loop(self) -> None:
        cfg = self.config
        next_silence = self.clock() + cfg.silence_check_s
        while True:
            try:
                first = self._in.get(timeout=max(0.01, min(0.1, next_silence - self.clock())))
            except queue.Empty:
                first = None
            items = [] if first is None else [first]
            while len(items) < 5000:
                try:
                    items.append(self._in.get_nowait())
                except queue.Empty:
                    break
            stop = False
            readings: list = []
            rejected: list[QuarantinedMessage] = []
            changes: list[AlarmChange] = []
            for item in items:
                if item is _STOP:
                    stop = True
                    continue
                if isinstance(item, _Barrier):
                    self._forward(readings, rejected, changes)
                    readings, rejected, changes = [], [], []
                    self._out.put(item)
                    continue
                try:
                    self._handle(item, readings, rejected, changes)
                except Exception as exc:  # a bug must cost one message, not the pipeline
                    log.exception("ingest failed on a message")
                    rejected.append(
                        QuarantinedMessage(
                            self.clock(),
                            None,
                            repr(item)[:1000].encode(),
                            "internal_error",
                            f"{type(exc).__name__}: {exc}",
                        )
                    )
            now = self.clock()
            if now >= next_silence:
                live = self._live
                assert live is not None and self.engine is not None
                changes.extend(self.engine.check_silence(now, live.last_seen))
                next_silence = now + cfg.silence_check_s
            self._forward(readings, rejected, changes)
            if stop:
                self._out.put(_STOP)
                return

    def _forward(self, readings: list, rejected: list, changes: list) -> None:
        if readings or rejected or changes:
            self._accepted += len(readings)
            self._rejected += len(rejected)
            self._forwarded_rows += len(readings) + len(rejected)
            self._out.put((readings, rejected, changes))
            self._version += 1
            if changes and self.on_alarm is not None:
                for change in changes:
                    try:
                        self.on_alarm(change)
                    except Exception:
                        log.exception("on_alarm callback failed")

    def _handle(self, item: tuple, readings: list, rejected: list, changes: list) -> None:
        live = self._live
        assert live is not None and self.engine is not None
        head = item[0]
        if isinstance(head, Reading):
            reading, received_at = item
            result: Reading | Rejection = self._check_typed(reading, live)
            topic, payload = None, repr(reading).encode()
        else:
            topic, payload, received_at = item
            if topic == "__reload__":
                self._reload()
                return
            result = parse_message(topic, payload, live.infos, received_at, self.config.limits)
            if (
                isinstance(result, Rejection)
                and result.reason == "unknown_sensor"
                and received_at - self._last_reload >= self.config.sensor_reload_s
            ):
                self._reload()
                live = self._live
                assert live is not None
                result = parse_message(topic, payload, live.infos, received_at, self.config.limits)
        if isinstance(result, Rejection):
            rejected.append(
                QuarantinedMessage(
                    received_at,
                    topic,
                    bytes(payload) if isinstance(payload, bytes | bytearray) else b"",
                    result.reason,
                    result.detail,
                    result.sensor_code,
                )
            )
            return
        table = live.table
        slot = table.slot_of_code[result.sensor_code]
        cell = int(table.cell_ids[slot])
        readings.append((int(table.ids[slot]), None if cell < 0 else cell, result))
        if result.seq is not None:
            self._count_seq(live, slot, result.seq)
        epoch = result.ts.timestamp()
        seen = live.last_seen[slot]
        if not epoch <= seen:  # also when seen is NaN
            live.last_seen[slot] = epoch
        if result.quality == "bad":
            return
        newest = live.ts[slot]
        if not epoch < newest:
            live.ts[slot] = epoch
            live.value[slot] = result.value
            if result.battery is not None:
                live.battery[slot] = result.battery
            changes.extend(self.engine.on_reading(slot, epoch, result.value))

    def _count_seq(self, live: _LiveArrays, slot: int, seq: int) -> None:
        last = int(live.seq[slot])
        # Far behind: the device restarted its counter; far ahead: it was replaced. Either way
        # a new baseline, not a gap. Within 1,000 behind: a late (or duplicate) message.
        if last < 0 or seq > last + 1_000_000 or seq < last - 1_000:
            live.seq[slot] = seq
        elif seq > last:
            self._seq_gaps += seq - last - 1
            live.seq[slot] = seq
        else:
            self._seq_late += 1

    def _check_typed(self, reading: Reading, live: _LiveArrays) -> Reading | Rejection:
        info = live.infos.get(reading.sensor_code)
        if info is None:
            return Rejection("unknown_sensor", reading.sensor_code, reading.sensor_code)
        if reading.kind != info.kind:
            return Rejection("kind_mismatch", reading.kind, reading.sensor_code)
        if not np.isfinite(reading.value):
            return Rejection("non_finite", "value", reading.sensor_code)
        if reading.ts.tzinfo is None:
            return Rejection("bad_time", "naive datetime", reading.sensor_code)
        return reading

    # ------------------------------------------------------------------ writer thread
    def _writer_loop(self) -> None:
        cfg = self.config
        readings: list = []
        rejected: list = []
        changes: list = []
        deadline: float | None = None
        backoff = cfg.retry_backoff_s[0]
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                chunk = self._out.get(timeout=timeout)
            except queue.Empty:
                chunk = None
            final = chunk is _STOP
            barrier = chunk if isinstance(chunk, _Barrier) else None
            if isinstance(chunk, tuple):
                r, q, c = chunk
                readings.extend(r)
                rejected.extend(q)
                changes.extend(c)
                if deadline is None:
                    deadline = time.monotonic() + cfg.flush_interval_s
            due = (
                final
                or barrier is not None
                or len(readings) + len(rejected) >= cfg.batch_rows
                or (deadline is not None and time.monotonic() >= deadline)
            )
            if due and (readings or rejected or changes):
                if self._write(readings, rejected, changes):
                    readings, rejected, changes = [], [], []
                    deadline = None
                    backoff = cfg.retry_backoff_s[0]
                else:
                    # The store is unreachable: keep the batch and try again later, dropping
                    # the oldest rows (counted) only if the backlog outgrows the limit.
                    excess = len(readings) + len(rejected) - cfg.max_pending
                    if excess > 0:
                        del readings[:excess]
                        self._dropped_write += excess
                        self._done_rows += excess
                    if final:
                        lost = len(readings) + len(rejected)
                        log.error("stopping with %d rows the store did not take", lost)
                        self._dropped_write += lost
                        self._done_rows += lost
                    else:
                        time.sleep(backoff)
                        backoff = min(backoff * 2, cfg.retry_backoff_s[1])
                        deadline = time.monotonic()
                        if barrier is not None:
                            self._out.put(barrier)  # answer it once written
                        continue
            if barrier is not None:
                barrier.event.set()
            if final:
                return

    def _write(self, readings: list, rejected: list, changes: list) -> bool:
        started = time.perf_counter()
        try:
            result = self.live_store.write_batch(readings, rejected, changes, self._alarm_ids)
        except WRITE_RETRYABLE as exc:
            self._store_ok = False
            self._last_error = f"store unreachable: {str(exc).strip().splitlines()[0][:200]}"
            log.warning("%s; retrying", self._last_error)
            return False
        except Exception as exc:
            log.warning("batch write failed (%s); writing row by row", exc)
            self._last_error = f"write failed: {str(exc).strip().splitlines()[0][:200]}"
            self._write_one_by_one(readings, rejected, changes)
        else:
            self._account(result, len(readings) + len(rejected))
            self._store_ok = True
        self._batches += 1
        self._last_batch_ms = (time.perf_counter() - started) * 1000.0
        return True

    def _account(self, result, rows: int) -> None:
        self._stored += result.stored
        self._duplicates += result.duplicates
        self._quarantined += result.quarantined
        self._done_rows += rows
        if result.alarm_ids:
            self._alarm_ids.update(result.alarm_ids)
            assert self.engine is not None
            for key, alarm_id in result.alarm_ids.items():
                self.engine.assign_id(key, alarm_id)

    def _write_one_by_one(self, readings: list, rejected: list, changes: list) -> None:
        items = (
            [([r], [], []) for r in readings]
            + [([], [q], []) for q in rejected]
            + [([], [], [c]) for c in changes]
        )
        for r, q, c in items:
            try:
                result = self.live_store.write_batch(r, q, c, self._alarm_ids)
            except Exception as exc:
                log.error("dropping a row the store refuses: %s", exc)
                self._dropped_write += len(r) + len(q)
                self._done_rows += len(r) + len(q)
            else:
                self._account(result, len(r) + len(q))
