"""The audit log: append-only and hash-chained, so an altered or deleted entry is detected.

Entry *n* stores ``hash = sha256(prev_hash + canonical JSON of {seq, ts, user, action, object,
count, detail})`` with ``prev_hash`` the hash of entry *n − 1* (64 zeros for the first). Triggers
refuse UPDATE and DELETE (PostGIS also withholds them from the application role) and keep
``audit_head`` — the last entry's number and hash — so that even a truncated tail is noticed.
:func:`verify` (``zhiwang audit verify``) recomputes the chain.

Entries never hold personal data in clear: unmasking records which residents and which fields,
not the values. Example::

    record(store, "export", user, object="buildings", count=3000, detail={"file": "b.gpkg"})
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text

from gis_core import schema

__all__ = [
    "GENESIS",
    "AUDIT_ACTIONS",
    "AuditRecord",
    "Verification",
    "record",
    "entries",
    "verify",
    "actor",
    "entry_hash",
]

GENESIS = "0" * 64
_LOG: Table = schema.AuditEntry.__table__  # type: ignore[assignment]
_HEAD: Table = schema.AuditHead.__table__  # type: ignore[assignment]
_LOCK_KEY = 0x5A57_4155  # pg_advisory_xact_lock key that serialises appends ("ZWAU")

AUDIT_ACTIONS = (
    "login_ok",
    "login_failed",
    "login_locked",
    "account_locked",
    "logout",
    "user_add",
    "password_change",
    "role_change",
    "scope_change",
    "account_enable",
    "account_disable",
    "account_unlock",
    "unmask",
    "lookup",
    "export",
    "export_personal",
    "import",
    "edit",
    "denied",
    "key_created",
    "key_exported",
    "key_encrypt_existing",
)


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    ts: str
    username: str
    action: str
    object: str | None
    count: int | None
    detail: dict
    prev_hash: str
    hash: str


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str,
    seq: int,
    ts: str,
    username: str,
    action: str,
    object: str | None,
    count: int | None,
    detail: dict,
) -> str:
    body = {
        "seq": seq,
        "ts": ts,
        "user": username,
        "action": action,
        "object": object,
        "count": count,
        "detail": detail,
    }
    return hashlib.sha256((prev_hash + _canonical(body)).encode("utf-8")).hexdigest()


def actor(store, user=None) -> str:
    """Who the entry is about: the account, else the session's user, else the system session."""
    user = user if user is not None else getattr(store, "user", None)
    if user is not None:
        return user.username
    from gis_core.security.scope import url_session

    _, _, name = url_session(store.engine.url)
    if name:
        return name
    if store.backend == "postgis":
        return f"db:{store.engine.url.username}"
    return "local"


def record(
    store,
    action: str,
    user=None,
    object: str | None = None,
    count: int | None = None,
    detail: dict | None = None,
    conn: Connection | None = None,
    username: str | None = None,
) -> AuditRecord:
    """Append one entry (in ``conn``'s transaction if given, so it lands with the change)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    name = username or actor(store, user)
    detail = json.loads(_canonical(detail or {}))  # plain JSON types, as they will be re-read
    if conn is not None:
        return _append(conn, name, action, object, count, detail)
    with store.begin() as own:
        return _append(own, name, action, object, count, detail)


def _append(conn: Connection, name, action, object, count, detail) -> AuditRecord:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    else:
        # Take SQLite's write lock before reading the last entry, so appends never interleave.
        conn.execute(text("UPDATE audit_head SET seq = seq WHERE id = 1"))
    last = conn.execute(
        select(_LOG.c.seq, _LOG.c.hash).order_by(_LOG.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (1, GENESIS) if last is None else (int(last[0]) + 1, last[1])
    ts = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    digest = entry_hash(prev, seq, ts, name, action, object, count, detail)
    conn.execute(
        insert(_LOG).values(
            seq=seq,
            ts=ts,
            username=name,
            action=action,
            object=object,
            count=count,
            detail=_canonical(detail),
            prev_hash=prev,
            hash=digest,
        )
    )
    return AuditRecord(seq, ts, name, action, object, count, detail, prev, digest)


def entries(
    store, since_seq: int = 0, limit: int | None = None, newest_first=False
) -> list[AuditRecord]:
    """Entries after ``since_seq`` (oldest first unless ``newest_first``)."""
    order = _LOG.c.seq.desc() if newest_first else _LOG.c.seq
    q = select(_LOG).where(_LOG.c.seq > since_seq).order_by(order)
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(q)]


def _row(r) -> AuditRecord:
    return AuditRecord(
        int(r.seq),
        r.ts,
        r.username,
        r.action,
        r.object,
        r.count,
        json.loads(r.detail),
        r.prev_hash,
        r.hash,
    )


def _stream(store, batch: int = 5000) -> Iterator[Any]:
    last = 0
    while True:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(_LOG).where(_LOG.c.seq > last).order_by(_LOG.c.seq).limit(batch)
            ).all()
        if not rows:
            return
        yield from rows
        last = int(rows[-1].seq)


@dataclass
class Verification:
    """The outcome of :func:`verify`: ``ok``, how many entries, and the first problem found."""

    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    broken_seq: int | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            return (
                f"audit log OK: {self.entries:,} entries, chain intact; head #{self.head_seq} "
                f"{self.head_hash[:16]}…"
            )
        return f"audit log BROKEN at entry #{self.broken_seq}: {self.problem}"


def verify(store) -> Verification:
    """Recompute the chain; report the first missing, altered or re-ordered entry."""
    prev, expected, count = GENESIS, 1, 0
    last_hash = GENESIS
    for r in _stream(store):
        seq = int(r.seq)
        if seq != expected:
            missing = f"#{expected}" if seq == expected + 1 else f"#{expected}–#{seq - 1}"
            return Verification(
                False,
                count,
                expected - 1,
                last_hash,
                f"entry {missing} is missing (deleted); the log continues at #{seq}",
                expected,
            )
        try:
            detail = json.loads(r.detail)
        except (TypeError, ValueError):
            return Verification(
                False, count, seq, last_hash, "its detail is not valid JSON (altered)", seq
            )
        if r.prev_hash != prev:
            return Verification(
                False,
                count,
                seq,
                last_hash,
                f"it does not follow entry #{seq - 1} (its previous hash differs): "
                f"#{seq - 1} was altered or replaced",
                seq,
            )
        digest = entry_hash(prev, seq, r.ts, r.username, r.action, r.object, r.count, detail)
        if digest != r.hash:
            return Verification(
                False,
                count,
                seq,
                last_hash,
                f"its content does not match its hash: entry #{seq} ({r.action} by "
                f"{r.username} at {r.ts}) was altered",
                seq,
            )
        prev = last_hash = r.hash
        count += 1
        expected += 1
    with store.engine.connect() as conn:
        head = conn.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    if head is None:
        return Verification(False, count, count, last_hash, "the audit head record is gone", count)
    head_seq, head_hash = int(head[0]), head[1]
    if head_seq > count:
        return Verification(
            False,
            count,
            head_seq,
            head_hash,
            f"the log ends at #{count} but #{head_seq} was written: the last "
            f"{head_seq - count} entr{'y is' if head_seq - count == 1 else 'ies are'} missing",
            count + 1,
        )
    if head_seq != count or head_hash != last_hash:
        return Verification(
            False,
            count,
            head_seq,
            head_hash,
            "the last entry does not match the recorded head: it was altered or replaced",
            count,
        )
    return Verification(True, count, head_seq, head_hash)
