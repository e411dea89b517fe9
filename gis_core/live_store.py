"""The store side of live data: sensors in, readings / quarantine / alarms out, on both backends.

The ingest pipeline's writer calls :meth:`LiveStore.write_batch` once per batch: one transaction
holding the readings (de-duplicated on sensor and instant by the unique index), the quarantined
messages and the alarm changes. The read methods serve the UI: the latest reading per sensor on
start-up, a sensor's history for its chart, alarm history and the quarantine list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import text

from gis_core.alarms import AlarmChange, AlarmRecord
from gis_core.live import Reading, SensorTable, Severity
from gis_core.payload import MAX_PAYLOAD_BYTES
from gis_core.store import Store

__all__ = ["LiveStore", "QuarantinedMessage", "BatchResult", "WRITE_RETRYABLE"]

UTC = dt.UTC


@dataclass(frozen=True, slots=True)
class QuarantinedMessage:
    """A message that failed validation, as the pipeline hands it to the writer."""

    received_at: float
    topic: str | None
    payload: bytes
    reason: str
    detail: str = ""
    sensor_code: str | None = None


@dataclass(frozen=True, slots=True)
class BatchResult:
    stored: int  # readings inserted
    duplicates: int  # readings the store already had (QoS 1 redeliveries)
    quarantined: int
    alarm_ids: dict[int, int]  # alarm key -> id for alarms inserted in this batch


def _exceptions() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import OperationalError as SAOperational

    errors: list[type[BaseException]] = [SAOperational]
    try:
        import psycopg

        errors.append(psycopg.OperationalError)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    return tuple(errors)


#: Errors after which a batch is worth retrying as a whole (server gone, database locked).
WRITE_RETRYABLE = _exceptions()


def _clean(value: str | None, limit: int) -> str | None:
    # PostgreSQL text cannot hold NUL, and UTF-8 cannot hold lone surrogates.
    if value is None:
        return None
    value = value.replace("\x00", "\ufffd")[:limit]
    return value.encode("utf-8", "replace").decode("utf-8")


class LiveStore:
    """Live-data reads and writes for one open :class:`~gis_core.store.Store`."""

    def __init__(self, store: Store):
        self.store = store
        self.postgis = store.backend == "postgis"

    # ------------------------------------------------------------------ sensors
    def sensor_table(self) -> SensorTable:
        """Every sensor with its position, period, thresholds and community code."""
        frame = self.store.query_all(
            "sensors",
            columns=(
                "code",
                "kind",
                "unit",
                "period_s",
                "warn_threshold",
                "alarm_threshold",
                "grid_cell_id",
            ),
        )
        with self.store.engine.connect() as conn:
            community_of_cell: dict[int, str] = dict(
                conn.execute(
                    text(
                        "SELECT g.id, c.code FROM grid_cells g "
                        "JOIN communities c ON c.id = g.community_id"
                    )
                ).all()
            )
        order = np.argsort(frame.ids, kind="stable")
        cols = {k: v[order] for k, v in frame.columns.items()}
        geoms = frame.geometry[order]
        cells = [None if c is None else int(c) for c in cols["grid_cell_id"].tolist()]
        return SensorTable.build(
            ids=frame.ids[order],
            codes=cols["code"].tolist(),
            kinds=cols["kind"].tolist(),
            x=shapely.get_x(geoms) if len(geoms) else np.empty(0),
            y=shapely.get_y(geoms) if len(geoms) else np.empty(0),
            units=cols["unit"].tolist(),
            period_s=cols["period_s"].tolist(),
            warn=cols["warn_threshold"].tolist(),
            alarm=cols["alarm_threshold"].tolist(),
            cell_ids=cells,
            communities=[community_of_cell.get(c) if c is not None else None for c in cells],
        )

    # ------------------------------------------------------------------ writing
    def write_batch(
        self,
        readings: Sequence[tuple[int, int | None, Reading]],
        quarantined: Sequence[QuarantinedMessage] = (),
        alarm_changes: Sequence[AlarmChange] = (),
        alarm_ids: dict[int, int] | None = None,
    ) -> BatchResult:
        """Write one batch in one transaction; ``readings`` are (sensor_id, cell_id, reading).

        ``alarm_ids`` maps alarm keys already written to their ids (for updates); the keys of
        alarms inserted here come back in the result.
        """
        known = alarm_ids if alarm_ids is not None else {}
        new_ids: dict[int, int] = {}
        with self.store.begin() as conn:
            raw: Any = conn.connection.driver_connection
            stored = self._insert_readings(raw, readings) if readings else 0
            if quarantined:
                self._insert_quarantine(raw, quarantined)
            for change in alarm_changes:
                record = change.record
                if change.op == "raise":
                    new_ids[record.key] = self._insert_alarm(raw, record)
                else:
                    alarm_id = record.id or known.get(record.key) or new_ids.get(record.key)
                    if alarm_id is not None:
                        self._update_alarm(raw, alarm_id, record)
        return BatchResult(stored, len(readings) - stored, len(quarantined), new_ids)

    def _ts(self, value: dt.datetime | float | None):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = dt.datetime.fromtimestamp(value, UTC)
        # SQLite keeps the text the sqlite3 adapter writes for an aware UTC datetime, as
        # Store.bulk_insert does; one rendering per instant keeps the unique index meaningful.
        return value if self.postgis else value.astimezone(UTC).isoformat(" ")

    def _insert_readings(self, raw, rows: Sequence[tuple[int, int | None, Reading]]) -> int:
        if self.postgis:
            sensor_ids, cell_ids, ts, kinds, values, units, qualities, batteries = (
                [] for _ in range(8)
            )
            for sid, cell, r in rows:
                sensor_ids.append(sid)
                cell_ids.append(cell)
                ts.append(r.ts)
                kinds.append(r.kind)
                values.append(r.value)
                units.append(r.unit)
                qualities.append(r.quality)
                batteries.append(r.battery)
            with raw.cursor() as cur:
                cur.execute(
                    "INSERT INTO readings "
                    "(sensor_id, grid_cell_id, ts, kind, value, unit, quality, battery) "
                    "SELECT * FROM unnest(%s::int[], %s::int[], %s::timestamptz[], %s::text[], "
                    "%s::float8[], %s::text[], %s::text[], %s::float8[]) "
                    "ON CONFLICT (sensor_id, ts) DO NOTHING",
                    (sensor_ids, cell_ids, ts, kinds, values, units, qualities, batteries),
                )
                return cur.rowcount
        cur = raw.executemany(
            "INSERT OR IGNORE INTO readings "
            "(sensor_id, grid_cell_id, ts, kind, value, unit, quality, battery) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (sid, cell, self._ts(r.ts), r.kind, r.value, r.unit, r.quality, r.battery)
                for sid, cell, r in rows
            ],
        )
        return cur.rowcount

    def _insert_quarantine(self, raw, messages: Sequence[QuarantinedMessage]) -> None:
        rows = [
            (
                self._ts(m.received_at),
                _clean(m.topic, 512),
                _clean(m.sensor_code, 64),
                m.reason[:32],
                _clean(m.detail, 2000),
                bytes(m.payload[:MAX_PAYLOAD_BYTES]),
                len(m.payload),
            )
            for m in messages
        ]
        sql = (
            "INSERT INTO quarantine "
            "(received_at, topic, sensor_code, reason, detail, payload, payload_size) "
            "VALUES ({})"
        )
        if self.postgis:
            with raw.cursor() as cur:
                cur.executemany(sql.format(", ".join(["%s"] * 7)), rows)
        else:
            raw.executemany(sql.format(", ".join(["?"] * 7)), rows)

    _ALARM_COLUMNS = (
        "sensor_id",
        "camera_id",
        "grid_cell_id",
        "rule",
        "severity",
        "raised_at",
        "value",
        "detail",
        "cleared_at",
        "cleared_by",
        "acknowledged_at",
        "acknowledged_by",
        "note",
    )

    def _alarm_values(self, r: AlarmRecord) -> tuple:
        return (
            r.sensor_id,
            r.camera_id,
            r.grid_cell_id,
            r.rule,
            r.severity.name.lower(),
            self._ts(r.raised_at),
            r.value,
            _clean(r.detail, 2000),
            self._ts(r.cleared_at),
            _clean(r.cleared_by, 64),
            self._ts(r.acknowledged_at),
            _clean(r.acknowledged_by, 64),
            _clean(r.note, 4000),
        )

    def _execute(self, raw, sql: str, params: tuple):
        if self.postgis:
            cur = raw.cursor()
            cur.execute(sql.replace("?", "%s"), params)
            return cur
        return raw.execute(sql, params)

    def _insert_alarm(self, raw, record: AlarmRecord) -> int:
        cols = self._ALARM_COLUMNS
        cur = self._execute(
            raw,
            f"INSERT INTO alarms ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            "RETURNING id",
            self._alarm_values(record),
        )
        return int(cur.fetchone()[0])

    def _update_alarm(self, raw, alarm_id: int, record: AlarmRecord) -> None:
        self._execute(
            raw,
            "UPDATE alarms SET cleared_at = ?, cleared_by = ?, acknowledged_at = ?, "
            "acknowledged_by = ?, note = ? WHERE id = ?",
            (
                self._ts(record.cleared_at),
                _clean(record.cleared_by, 64),
                self._ts(record.acknowledged_at),
                _clean(record.acknowledged_by, 64),
                _clean(record.note, 4000),
                alarm_id,
            ),
        )

    # ------------------------------------------------------------------ reading
    def latest_readings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(sensor_id, ts epoch, value, battery) of each sensor's newest stored reading.

        One index probe per sensor (``ix_readings_sensor_ts``), not a scan of the readings.
        """
        if self.postgis:
            sql = (
                "SELECT s.id, extract(epoch FROM r.ts)::float8, r.value, r.battery FROM sensors s "
                "CROSS JOIN LATERAL (SELECT ts, value, battery FROM readings "
                "WHERE sensor_id = s.id ORDER BY ts DESC LIMIT 1) r"
            )
        else:
            sql = (
                "SELECT r.sensor_id, r.ts, r.value, r.battery FROM sensors s "
                "JOIN readings r ON r.id = (SELECT id FROM readings "
                "WHERE sensor_id = s.id ORDER BY ts DESC LIMIT 1)"
            )
        with self.store.engine.connect() as conn:
            rows = conn.exec_driver_sql(sql).all()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        ts = np.array([_epoch(r[1]) for r in rows], dtype=np.float64)
        values = np.array([r[2] for r in rows], dtype=np.float64)
        battery = np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64)
        return ids, ts, values, battery

    def readings(
        self,
        sensor_id: int,
        start: dt.datetime | float | None = None,
        end: dt.datetime | float | None = None,
        limit: int = 100_000,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ts epoch seconds, value) of one sensor's readings in [start, end), oldest first."""
        where = ["sensor_id = ?"]
        params: list = [int(sensor_id)]
        if start is not None:
            where.append("ts >= ?")
            params.append(self._ts(start))
        if end is not None:
            where.append("ts < ?")
            params.append(self._ts(end))
        # SQLite's date functions stop at milliseconds: parse its text in Python instead.
        epoch = "extract(epoch FROM ts)::float8" if self.postgis else "ts"
        sql = (
            f"SELECT {epoch}, value FROM readings WHERE {' AND '.join(where)} "
            f"ORDER BY ts LIMIT {int(limit)}"
        )
        with self.store.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if self.postgis:
                with raw.cursor() as cur:
                    cur.execute(sql.replace("?", "%s"), params)
                    rows = cur.fetchall()
            else:
                rows = raw.execute(sql, params).fetchall()
        if not rows:
            return np.empty(0), np.empty(0)
        values = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        if self.postgis:
            ts = np.fromiter((r[0] for r in rows), dtype=np.float64, count=len(rows))
        else:
            ts = np.fromiter((_epoch(r[0]) for r in rows), dtype=np.float64, count=len(rows))
        return ts, values

    def alarms(
        self, open_only: bool = False, since: dt.datetime | float | None = None, limit: int = 1000
    ) -> list[AlarmRecord]:
        """Stored alarms, newest first: all, or only those not both cleared and acknowledged."""
        where = []
        params: list = []
        if open_only:
            where.append("(cleared_at IS NULL OR acknowledged_at IS NULL)")
        if since is not None:
            where.append("raised_at >= ?")
            params.append(self._ts(since))
        sql = (
            f"SELECT s.code, a.id, {', '.join('a.' + c for c in self._ALARM_COLUMNS)} "
            "FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" ORDER BY a.raised_at DESC LIMIT {int(limit)}"
        )
        with self.store.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if self.postgis:
                with raw.cursor() as cur:
                    cur.execute(sql.replace("?", "%s"), params)
                    rows = cur.fetchall()
            else:
                rows = raw.execute(sql, params).fetchall()
        out = []
        for row in rows:
            code, alarm_id, *vals = row
            v = dict(zip(self._ALARM_COLUMNS, vals))
            out.append(
                AlarmRecord(
                    key=0,
                    id=int(alarm_id),
                    rule=v["rule"],
                    severity=Severity.parse(v["severity"]),
                    raised_at=_epoch(v["raised_at"]),
                    sensor_id=v["sensor_id"],
                    sensor_code=code,
                    camera_id=v["camera_id"],
                    grid_cell_id=v["grid_cell_id"],
                    value=v["value"],
                    detail=v["detail"] or "",
                    cleared_at=_epoch_or_none(v["cleared_at"]),
                    cleared_by=v["cleared_by"],
                    acknowledged_at=_epoch_or_none(v["acknowledged_at"]),
                    acknowledged_by=v["acknowledged_by"],
                    note=v["note"],
                )
            )
        return out

    def quarantine(self, limit: int = 100) -> list[dict]:
        """The newest quarantined messages (reason, detail, topic, raw payload), newest first."""
        sql = (
            "SELECT id, received_at, topic, sensor_code, reason, detail, payload, payload_size "
            f"FROM quarantine ORDER BY id DESC LIMIT {int(limit)}"
        )
        with self.store.engine.connect() as conn:
            rows = conn.exec_driver_sql(sql).all()
        keys = ("id", "received_at", "topic", "sensor_code", "reason", "detail", "payload", "size")
        out = []
        for row in rows:
            item = dict(zip(keys, row))
            item["received_at"] = _epoch(item["received_at"])
            item["payload"] = bytes(item["payload"])
            out.append(item)
        return out

    def counts(self) -> dict[str, int]:
        """Row counts of readings, quarantine and alarms (for tests, reports and the bench)."""
        with self.store.engine.connect() as conn:
            return {
                table: int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)
                for table in ("readings", "quarantine", "alarms")
            }


def _epoch(value) -> float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.timestamp()
    return float(value)


def _epoch_or_none(value) -> float | None:
    return None if value is None else _epoch(value)
