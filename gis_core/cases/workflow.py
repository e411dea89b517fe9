"""Cases in the store: open one, take an action on it, read it back.

Every action is one transaction: the state machine (:mod:`gis_core.cases.lifecycle`) decides
whether it is allowed, the case row is written with ``UPDATE … WHERE id = ? AND version = ?``,
and one step is appended to the case's log (``seq`` = the new version). Two dispatchers acting on
the same case at once: the first one's update wins, the second one's matches no row and gets a
:class:`CaseConflict` that says who changed the case and how — nothing is overwritten.

Times are aware datetimes, kept in UTC. Example::

    case = act(store, 12, "dispatch", assignee="wang.wei", expected_version=3, actor=user)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, and_, func, insert, select, text, update

from gis_core import schema
from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue, load_catalogue
from gis_core.cases.lifecycle import (
    ACTION_LABELS,
    ACTIONS,
    STATE_LABELS,
    SYSTEM,
    Actor,
    CaseState,
    InvalidAction,
    PermissionDenied,
    allowed_actions,
    apply,
)
from gis_core.store import StoreError

__all__ = [
    "CaseRecord",
    "StepRecord",
    "CaseConflict",
    "CaseNotFound",
    "act",
    "dispatch",
    "get_case",
    "list_cases",
    "case_steps",
    "linked_events",
    "default_assignee",
    "resolve_actor",
    "time_left",
    "sla_status",
    "actions_for",
    "REPORTER_ROLES",
]

CASES = cast(Table, schema.Case.__table__)
STEPS = cast(Table, schema.CaseStep.__table__)
LINKS = cast(Table, schema.CaseEventLink.__table__)
EVENTS = cast(Table, schema.Event.__table__)

_SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORTER_ROLES = frozenset(
    {"administrator", "operator", "grid_supervisor", "grid_worker", "system"}
)


class CaseNotFound(StoreError):
    """No such case (or not in the session's grid cells)."""


@dataclass(frozen=True)
class CaseRecord:
    """A case as read from the store."""

    id: int
    state: str
    version: int
    category: str
    grid_cell_id: int | None
    title: str | None
    description: str | None
    x: float
    y: float
    opened_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None
    assignee: str | None
    department: str | None
    escalation_level: int
    resume_state: str | None
    reopen_count: int
    closed_at: dt.datetime | None
    satisfaction: int | None
    feedback: str | None

    @property
    def lifecycle(self) -> CaseState:
        return CaseState(
            self.state, self.assignee, self.department, self.escalation_level, self.resume_state
        )

    @property
    def is_open(self) -> bool:
        return self.state != "closed"

    @property
    def handler(self) -> str | None:
        return self.assignee or self.department

    @property
    def state_label(self) -> str:
        zh, en = STATE_LABELS[self.state]
        return f"{zh} / {en}"


@dataclass(frozen=True)
class StepRecord:
    """One step of a case's log."""

    case_id: int
    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor: str
    role: str
    at: dt.datetime
    note: str | None = None
    attachments: tuple[str, ...] = ()
    assignee: str | None = None
    department: str | None = None
    grid_cell_id: int | None = None
    category: str = ""
    due_at: dt.datetime | None = None
    escalation_level: int = 0
    satisfaction: int | None = None
    comment: str | None = None
    detail: dict = field(default_factory=dict)


class CaseConflict(StoreError):
    """Someone else changed the case since it was read: nothing was written. ``current`` is the
    case as it is now, ``last_step`` what changed it."""

    def __init__(
        self,
        case_id: int,
        expected_version: int,
        current: CaseRecord | None,
        last_step: StepRecord | None,
    ):
        self.case_id = case_id
        self.expected_version = expected_version
        self.current = current
        self.last_step = last_step
        if current is None:
            message = f"case {case_id} is gone or out of your grid cells"
        else:
            who = ""
            if last_step is not None:
                when = last_step.at.astimezone(_SHANGHAI)
                what = ACTION_LABELS.get(last_step.action, ("", last_step.action))[1]
                who = f" by {last_step.actor} ({what} at {when:%H:%M:%S})"
            message = (
                f"case {case_id} was changed meanwhile{who}: it is now "
                f"{current.state_label}, version {current.version} (you acted on version "
                f"{expected_version}); nothing was written — look at it again and decide"
            )
        super().__init__(message)


# ------------------------------------------------------------------------------------- actors
def resolve_actor(store, actor: Any = None) -> Actor:
    """The acting account: ``actor`` (a User, an Actor), else the store session's user; a store
    without accounts (a single-user embedded store) acts as a local administrator."""
    if actor is None:
        actor = getattr(store, "user", None)
    if isinstance(actor, Actor):
        return actor
    if actor is None:
        from gis_core.security import audit
        from gis_core.security.accounts import has_accounts

        if has_accounts(store):
            raise PermissionDenied("this store has accounts: log in to handle cases", None, None)
        return Actor(audit.actor(store), "administrator")
    if not getattr(actor, "active", True):
        raise PermissionDenied(f"account {actor.username} is disabled", actor.username, None)
    return Actor(actor.username, actor.role)


# ------------------------------------------------------------------------------------- reading
def _dt(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return utc(value)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _case(row: Any) -> CaseRecord:
    m = row._mapping
    return CaseRecord(
        id=int(m["id"]),
        state=m["state"],
        version=int(m["version"]),
        category=m["category"],
        grid_cell_id=m["grid_cell_id"],
        title=m["title"],
        description=m["description"],
        x=float(m["x"]),
        y=float(m["y"]),
        opened_at=_dt(m["opened_at"]),  # type: ignore[arg-type]
        updated_at=_dt(m["updated_at"]),  # type: ignore[arg-type]
        due_at=_dt(m["due_at"]),
        assignee=m["assignee"],
        department=m["department"],
        escalation_level=int(m["escalation_level"] or 0),
        resume_state=m["resume_state"],
        reopen_count=int(m["reopen_count"] or 0),
        closed_at=_dt(m["closed_at"]),
        satisfaction=m["satisfaction"],
        feedback=m["feedback"],
    )


def _step(row: Any) -> StepRecord:
    m = row._mapping
    return StepRecord(
        case_id=int(m["case_id"]),
        seq=int(m["seq"]),
        action=m["action"],
        from_state=m["from_state"],
        to_state=m["to_state"],
        actor=m["actor"],
        role=m["role"],
        at=_dt(m["at"]),  # type: ignore[arg-type]
        note=m["note"],
        attachments=tuple(_json(m["attachments"]) or ()),
        assignee=m["assignee"],
        department=m["department"],
        grid_cell_id=m["grid_cell_id"],
        category=m["category"],
        due_at=_dt(m["due_at"]),
        escalation_level=int(m["escalation_level"] or 0),
        satisfaction=m["satisfaction"],
        comment=m["comment"],
        detail=_json(m["detail"]) or {},
    )


def _read_case(conn: Connection, case_id: int) -> CaseRecord:
    row = conn.execute(select(CASES).where(CASES.c.id == case_id)).first()
    if row is None:
        raise CaseNotFound(f"no case {case_id} (or it is outside your grid cells)")
    return _case(row)


def _last_step(conn: Connection, case_id: int) -> StepRecord | None:
    row = conn.execute(
        select(STEPS).where(STEPS.c.case_id == case_id).order_by(STEPS.c.seq.desc()).limit(1)
    ).first()
    return None if row is None else _step(row)


def get_case(store, case_id: int) -> CaseRecord:
    with store.engine.connect() as conn:
        return _read_case(conn, case_id)


def list_cases(
    store,
    *,
    states: Iterable[str] | None = None,
    open_only: bool = False,
    cells: Iterable[int] | None = None,
    assignee: str | None = None,
    category: str | None = None,
    limit: int | None = None,
) -> list[CaseRecord]:
    """Cases, most urgent first (earliest deadline; no deadline last)."""
    q = select(CASES)
    if states is not None:
        q = q.where(CASES.c.state.in_(list(states)))
    if open_only:
        q = q.where(CASES.c.state != "closed")
    if cells is not None:
        q = q.where(CASES.c.grid_cell_id.in_([int(c) for c in cells]))
    if assignee is not None:
        q = q.where(CASES.c.assignee == assignee)
    if category is not None:
        q = q.where(CASES.c.category == category)
    q = q.order_by(CASES.c.due_at.is_(None), CASES.c.due_at, CASES.c.id)
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [_case(r) for r in conn.execute(q)]


def case_steps(
    store, case_id: int | None = None, conn: Connection | None = None
) -> list[StepRecord]:
    """The log of one case (or of every case the session sees), in order."""
    q = select(STEPS).order_by(STEPS.c.case_id, STEPS.c.seq)
    if case_id is not None:
        q = q.where(STEPS.c.case_id == case_id)
    if conn is not None:
        return [_step(r) for r in conn.execute(q)]
    with store.engine.connect() as own:
        return [_step(r) for r in own.execute(q)]


def linked_events(store, case_id: int) -> list[dict]:
    """The events of a case — every source kept: link, source, category, time, text, photos,
    position, external reference."""
    gx = "ST_X(e.geom)"
    gy = "ST_Y(e.geom)"
    sql = text(
        f"SELECT e.id, l.link, e.source, e.category, e.reported_at, e.title, e.description, "
        f"e.photos, e.reported_by, e.external_ref, e.alarm_id, {gx}, {gy}, e.grid_cell_id "
        "FROM case_events l JOIN events e ON e.id = l.event_id WHERE l.case_id = :c "
        "ORDER BY e.reported_at, e.id"
    )
    keys = [
        "id",
        "link",
        "source",
        "category",
        "reported_at",
        "title",
        "description",
        "photos",
        "reported_by",
        "external_ref",
        "alarm_id",
        "x",
        "y",
        "grid_cell_id",
    ]
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(sql, {"c": case_id}):
            d = dict(zip(keys, row))
            d["reported_at"] = _dt(d["reported_at"])
            d["photos"] = list(_json(d["photos"]) or [])
            out.append(d)
        return out


# ------------------------------------------------------------------------------------- helpers
def default_assignee(conn_or_store, cell_id: int | None) -> str | None:
    """The grid worker of a cell: the active ``grid_worker`` account scoped to it (first by
    name), else the worker named on the cell."""
    if cell_id is None:
        return None
    if isinstance(conn_or_store, Connection):
        return _default_assignee(conn_or_store, cell_id)
    with conn_or_store.engine.connect() as conn:
        return _default_assignee(conn, cell_id)


def _default_assignee(conn: Connection, cell_id: int) -> str | None:
    row = conn.execute(
        text(
            "SELECT u.username FROM users u JOIN users_cells c ON c.user_id = u.id "
            "WHERE c.cell_id = :c AND u.role = 'grid_worker' AND u.active "
            "ORDER BY u.username LIMIT 1"
        ),
        {"c": int(cell_id)},
    ).first()
    if row is not None:
        return row[0]
    row = conn.execute(
        text("SELECT worker_name FROM grid_cells WHERE id = :c"), {"c": int(cell_id)}
    ).first()
    return row[0] if row is not None and row[0] else None


def time_left(
    case: CaseRecord, catalogue: Catalogue, now: dt.datetime | None = None
) -> float | None:
    """Hours left until the case's deadline on its category's clock (working hours for most
    categories); negative when overdue, None when the case has no deadline."""
    if case.due_at is None or case.state == "closed":
        return None
    now = utc(now or dt.datetime.now(dt.UTC))
    clock = catalogue.clock(case.category)
    return clock.hours_between(now, case.due_at)


def sla_status(case: CaseRecord, catalogue: Catalogue, now: dt.datetime | None = None) -> str:
    """``none`` (no deadline), ``ok``, ``due_soon`` (less than a quarter of the state's limit or
    one hour left) or ``overdue``."""
    left = time_left(case, catalogue, now)
    if left is None:
        return "none"
    if left < 0 or (
        left == 0 and case.due_at is not None and utc(now or dt.datetime.now(dt.UTC)) >= case.due_at
    ):
        return "overdue"
    category = catalogue.find(case.category)
    limit = category.limit(case.state, case.escalation_level) if category else None
    if left < 1.0 or (limit and left < 0.25 * limit):
        return "due_soon"
    return "ok"


def actions_for(case: CaseRecord, actor: Any, catalogue: Catalogue) -> list[str]:
    """The actions ``actor`` may take on ``case`` now (bookkeeping ones left out)."""
    names = allowed_actions(case.lifecycle, actor, catalogue.ladder_top(case.category))
    return [n for n in names if n not in ("propose_merge", "merge", "split")]


_T = TypeVar("_T")


def in_transaction(store, conn: Connection | None, work: Callable[[Connection], _T]) -> _T:
    if conn is not None:
        return work(conn)
    with store.begin() as own:
        return work(own)


def lock_for_write(store, conn: Connection, case_id: int | None = None) -> None:
    """SQLite: take the write lock before reading, so the read and the write see one state
    (PostgreSQL needs nothing: its ``UPDATE … AND version = ?`` waits for the other writer)."""
    if store.backend == "spatialite":
        conn.execute(
            update(CASES)
            .where(CASES.c.id == (case_id if case_id is not None else -1))
            .values(version=CASES.c.version)
        )


def append_step(
    conn: Connection,
    case: CaseRecord,
    seq: int,
    action: str,
    from_state: str | None,
    to_state: str,
    actor: Actor,
    at: dt.datetime,
    *,
    note: str | None = None,
    attachments: Sequence[str] = (),
    due_at: dt.datetime | None = None,
    satisfaction: int | None = None,
    comment: str | None = None,
    detail: dict | None = None,
    assignee: str | None = None,
    department: str | None = None,
    level: int | None = None,
) -> None:
    conn.execute(
        insert(STEPS).values(
            case_id=case.id,
            seq=seq,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor.username,
            role=actor.role,
            at=_naive(at),
            note=note,
            attachments=list(attachments) or None,
            assignee=assignee,
            department=department,
            grid_cell_id=case.grid_cell_id,
            category=case.category,
            due_at=_naive(due_at),
            escalation_level=case.escalation_level if level is None else level,
            satisfaction=satisfaction,
            comment=comment,
            detail=detail or None,
        )
    )


def _naive(t: dt.datetime | None) -> dt.datetime | None:
    """UTC without tzinfo: SQLite's DateTime drops the offset (PostgreSQL takes it as UTC)."""
    return None if t is None else utc(t).replace(tzinfo=None)


def sync_event_status(conn: Connection, case_id: int, state: str) -> None:
    """Events show their case's state (the grid editor keeps closed events in their cell)."""
    conn.execute(
        update(EVENTS)
        .where(EVENTS.c.id.in_(select(LINKS.c.event_id).where(LINKS.c.case_id == case_id)))
        .values(status=state)
    )


# ------------------------------------------------------------------------------------- acting
def act(
    store,
    case_id: int,
    action: str,
    *,
    actor: Any = None,
    expected_version: int | None = None,
    note: str | None = None,
    attachments: Sequence[str] = (),
    assignee: str | None = None,
    department: str | None = None,
    satisfaction: int | None = None,
    comment: str | None = None,
    detail: dict | None = None,
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
    conn: Connection | None = None,
) -> CaseRecord:
    """Take ``action`` on a case and append its step; returns the case as written.

    ``expected_version``: the version the user looked at (the UI always passes it); a case
    changed since then raises :class:`CaseConflict` and nothing is written. ``satisfaction``
    (1–5) and ``comment``: the reporter's feedback, with ``close`` or ``feedback``. Raises
    :class:`InvalidAction` / :class:`PermissionDenied` for what the state machine refuses.
    """
    who = resolve_actor(store, actor)
    cat = catalogue or load_catalogue(store)
    now = utc(at or dt.datetime.now(dt.UTC))
    if satisfaction is not None:
        if action not in ("close", "feedback"):
            raise InvalidAction("satisfaction is recorded when a case is closed (or afterwards)")
        if not (isinstance(satisfaction, int) and 1 <= satisfaction <= 5):
            raise InvalidAction("satisfaction is a whole number from 1 to 5")
    if action == "feedback" and satisfaction is None and not (comment or "").strip():
        raise InvalidAction("feedback needs a satisfaction (1–5) or a comment")
    if department is not None and department not in cat.departments:
        known = ", ".join(f"{d.code} ({d.name})" for d in cat.departments.values())
        raise InvalidAction(f"unknown department {department!r}; departments: {known}")

    def work(c: Connection) -> CaseRecord:
        lock_for_write(store, c, case_id)
        case = _read_case(c, case_id)
        if expected_version is not None and case.version != expected_version:
            raise CaseConflict(case_id, expected_version, case, _last_step(c, case_id))
        return _apply(
            c, case, action, who, cat, now, note, attachments, assignee, department,
            satisfaction, comment, detail,
        )  # fmt: skip

    return in_transaction(store, conn, work)


def _apply(
    conn: Connection,
    case: CaseRecord,
    action: str,
    who: Actor,
    cat: Catalogue,
    now: dt.datetime,
    note: str | None,
    attachments: Sequence[str],
    assignee: str | None,
    department: str | None,
    satisfaction: int | None,
    comment: str | None,
    detail: dict | None,
) -> CaseRecord:
    outcome = apply(
        case.lifecycle,
        action,
        who,
        assignee=assignee,
        department=department,
        note=note,
        ladder_top=cat.ladder_top(case.category),
    )
    new = outcome.state
    if outcome.timed:
        due = cat.deadline(case.category, new.state, now, new.level)
    elif new.state == "closed":
        due = None
    else:
        due = case.due_at
    if new.state == "closed":
        due = None
    values: dict[str, Any] = {
        "state": new.state,
        "version": case.version + 1,
        "updated_at": _naive(now),
        "due_at": _naive(due),
        "assignee": new.assignee,
        "department": new.department,
        "escalation_level": new.level,
        "resume_state": new.resume_state,
    }
    if action == "close":
        values["closed_at"] = _naive(now)
    if action == "reopen":
        values["closed_at"] = None
        values["reopen_count"] = case.reopen_count + 1
    if satisfaction is not None:
        values["satisfaction"] = satisfaction
    if comment is not None and action in ("close", "feedback"):
        values["feedback"] = comment
    result = conn.execute(
        update(CASES)
        .where(and_(CASES.c.id == case.id, CASES.c.version == case.version))
        .values(**values)
    )
    if result.rowcount != 1:
        current = conn.execute(select(CASES).where(CASES.c.id == case.id)).first()
        raise CaseConflict(
            case.id,
            case.version,
            None if current is None else _case(current),
            _last_step(conn, case.id),
        )
    append_step(
        conn,
        case,
        case.version + 1,
        action,
        case.state,
        new.state,
        who,
        now,
        note=note,
        attachments=attachments,
        due_at=due,
        satisfaction=satisfaction,
        comment=comment if action in ("close", "feedback") else None,
        detail=detail,
        assignee=new.assignee,
        department=new.department,
        level=new.level,
    )
    if new.state != case.state:
        sync_event_status(conn, case.id, new.state)
    return _read_case(conn, case.id)


def dispatch(
    store,
    case_id: int,
    *,
    assignee: str | None = None,
    department: str | None = None,
    actor: Any = None,
    expected_version: int | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> CaseRecord:
    """Dispatch (or, for a case already out, reassign) to ``assignee`` or ``department``; by
    default to the grid worker of the case's cell."""
    case = get_case(store, case_id)
    if assignee is None and department is None:
        assignee = default_assignee(store, case.grid_cell_id)
        if assignee is None:
            raise InvalidAction(
                f"cell {case.grid_cell_id} has no grid worker: name a worker or a department"
            )
    action = "reassign" if case.state in ACTIONS["reassign"].sources else "dispatch"
    return act(
        store,
        case_id,
        action,
        actor=actor,
        expected_version=case.version if expected_version is None else expected_version,
        assignee=assignee,
        department=department,
        note=note,
        at=at,
        catalogue=catalogue,
    )


def count_by_state(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            s: int(n)
            for s, n in conn.execute(select(CASES.c.state, func.count()).group_by(CASES.c.state))
        }


def read_case(conn: Connection, case_id: int) -> CaseRecord:
    """The case as seen inside ``conn``'s transaction (for writers outside this module)."""
    return _read_case(conn, case_id)


__all__ += [
    "count_by_state",
    "append_step",
    "read_case",
    "sync_event_status",
    "lock_for_write",
    "SYSTEM",
]
