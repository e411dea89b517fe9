"""Events in: a resident report or a patrol finding, an alarm from live monitoring, an imported
row — each becomes an event (kept as it came) and either opens a case or, when a case of the
same category is open close by in place and time, is *proposed* for that case. An operator
confirms the proposal (:func:`confirm_merge`) or splits the event off into a case of its own
(:func:`split_event`); either way every source stays linked and traceable.

Example::

    intake = report_event(store, EventReport("garbage", x, y, "垃圾堆在楼道口"), actor=user)
    intake.case_id, intake.proposed      # (17, False): a new case
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, and_, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue, FusionSettings, load_catalogue
from gis_core.cases.lifecycle import Actor, InvalidAction, PermissionDenied
from gis_core.cases.workflow import (
    CASES,
    LINKS,
    REPORTER_ROLES,
    CaseConflict,
    CaseRecord,
    _apply,
    _naive,
    _read_case,
    append_step,
    in_transaction,
    lock_for_write,
    resolve_actor,
    sync_event_status,
)
from gis_core.importer import assign_to_areas

__all__ = [
    "EventReport",
    "Intake",
    "SOURCES",
    "FUTURE_TOLERANCE",
    "report_event",
    "confirm_merge",
    "split_event",
    "fusion_groups",
    "cell_of",
    "cells_of",
]

SOURCES = ("resident", "patrol", "alarm", "import")
# Clocks of phones and other systems drift; a report this far ahead of ours is still "now".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
_RETRIES = 5


@dataclass(frozen=True)
class EventReport:
    """An event as reported: category (code or name), position in the working CRS, text."""

    category: str
    x: float
    y: float
    description: str | None = None
    title: str | None = None
    source: str = "resident"  # resident / patrol / alarm / import
    reported_at: dt.datetime | None = None  # when it happened or was reported; default now
    photos: tuple[str, ...] = ()
    external_ref: str | None = None  # import:<source>:<id>, alarm:<id>
    alarm_id: int | None = None
    reported_by: str | None = None  # default: the acting account


@dataclass(frozen=True)
class Intake:
    """What became of a reported event: its id, its case, and whether it was only proposed
    for an existing case (``proposed``; ``distance_m`` from that case's nearest event)."""

    event_id: int
    case_id: int
    proposed: bool
    grid_cell_id: int | None
    distance_m: float | None = None
    candidates: tuple[int, ...] = field(default=())


# ------------------------------------------------------------------------------------- cells
def cells_of(store, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The grid cell holding each point (lowest id on a shared edge), -1 outside every cell.
    One index query for the points' box."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    out = np.full(len(x), -1, dtype=np.int64)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return out
    bbox = (x[ok].min(), y[ok].min(), x[ok].max(), y[ok].max())
    cells = store.query_bbox("grid_cells", bbox)
    points = np.full(len(x), None, dtype=object)
    points[ok] = shapely.points(x[ok], y[ok])
    return assign_to_areas(points, cells.ids, cells.geometry)


def cell_of(store, x: float, y: float) -> int | None:
    cell = int(cells_of(store, np.array([x]), np.array([y]))[0])
    return None if cell < 0 else cell


# ------------------------------------------------------------------------------------- fusion
def fusion_groups(
    categories: Sequence[str],
    x: np.ndarray,
    y: np.ndarray,
    times: np.ndarray,
    settings: FusionSettings,
) -> np.ndarray:
    """Group labels for events: two events of one category within ``distance_m`` and
    ``minutes`` of each other share a group, and so do their groups (single linkage). ``times``
    are seconds (any epoch). The label of a group is its first event's index."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    n = len(categories)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    xy = np.column_stack([np.asarray(x, float), np.asarray(y, float)])
    pairs = cKDTree(xy).query_pairs(settings.distance_m, output_type="ndarray")
    cats = np.asarray(categories, dtype=object)
    t = np.asarray(times, dtype=float)
    if len(pairs):
        i, j = pairs[:, 0], pairs[:, 1]
        keep = (cats[i] == cats[j]) & (np.abs(t[i] - t[j]) <= settings.minutes * 60.0)
        i, j = i[keep], j[keep]
    else:
        i = j = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    first = np.full(comp.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, comp, np.arange(n))
    return first[comp]


def _ts(store, t: dt.datetime) -> Any:
    """A timestamp for raw SQL on the events table, as the store writes them."""
    t = utc(t)
    return t if store.backend == "postgis" else t.isoformat(" ")


def _fusion_candidates(
    conn: Connection,
    store,
    category: str,
    x: float,
    y: float,
    at: dt.datetime,
    settings: FusionSettings,
    exclude_event: int | None = None,
) -> list[tuple[int, float]]:
    """Open cases of ``category`` with an event within the fusion distance and time of
    (x, y, at): (case id, distance in metres), nearest first."""
    if settings.distance_m <= 0 or settings.minutes <= 0:
        return []
    window = dt.timedelta(minutes=settings.minutes)
    rows = conn.execute(
        text(
            "SELECT l.case_id, ST_X(e.geom), ST_Y(e.geom), e.id FROM events e "
            "JOIN case_events l ON l.event_id = e.id JOIN cases c ON c.id = l.case_id "
            "WHERE e.category = :cat AND e.reported_at >= :t0 AND e.reported_at <= :t1 "
            "AND c.state <> 'closed'"
        ),
        {"cat": category, "t0": _ts(store, at - window), "t1": _ts(store, at + window)},
    ).all()
    best: dict[int, float] = {}
    for case_id, ex, ey, eid in rows:
        if eid == exclude_event:
            continue
        d = float(np.hypot(float(ex) - x, float(ey) - y))
        if d <= settings.distance_m and d < best.get(case_id, np.inf):
            best[int(case_id)] = d
    return sorted(best.items(), key=lambda kv: (kv[1], kv[0]))


# ------------------------------------------------------------------------------------- writing
def _grow_events_extent(conn: Connection, x: float, y: float) -> None:
    """Keep ``layer_extents`` right without a table scan. The CASE expressions read the row as
    locked by the UPDATE, so two writers at once both widen it."""
    row = conn.execute(
        text("SELECT minx, miny, maxx, maxy FROM layer_extents WHERE kind = 'events'")
    ).first()
    if row is None:
        try:
            with conn.begin_nested():
                conn.execute(
                    text(
                        "INSERT INTO layer_extents (kind, minx, miny, maxx, maxy) "
                        "VALUES ('events', :x, :y, :x, :y)"
                    ),
                    {"x": x, "y": y},
                )
            return
        except IntegrityError:  # another writer inserted it first: widen theirs below
            pass
    elif row[0] <= x <= row[2] and row[1] <= y <= row[3]:
        return
    conn.execute(
        text(
            "UPDATE layer_extents SET "
            "minx = CASE WHEN minx < :x THEN minx ELSE :x END, "
            "miny = CASE WHEN miny < :y THEN miny ELSE :y END, "
            "maxx = CASE WHEN maxx > :x THEN maxx ELSE :x END, "
            "maxy = CASE WHEN maxy > :y THEN maxy ELSE :y END WHERE kind = 'events'"
        ),
        {"x": x, "y": y},
    )


def _insert_event(
    conn: Connection,
    store,
    report: EventReport,
    category: str,
    cell: int | None,
    reported_at: dt.datetime,
    who: Actor,
) -> int:
    import json

    postgis = store.backend == "postgis"
    geom = f"{'ST_GeomFromWKB' if postgis else 'GeomFromWKB'}(:g, {int(store.srid)})"
    photos = "CAST(:photos AS json)" if postgis else ":photos"
    event_id = conn.execute(
        text(
            "INSERT INTO events (grid_cell_id, category, source, status, title, description, "
            "reported_at, version, geom, photos, reported_by, external_ref, alarm_id) VALUES "
            f"(:cell, :cat, :src, 'reported', :title, :descr, :at, 1, {geom}, {photos}, :by, "
            ":ref, :alarm) RETURNING id"
        ),
        {
            "cell": cell,
            "cat": category,
            "src": report.source,
            "title": report.title,
            "descr": report.description,
            "at": _ts(store, reported_at),
            "g": shapely.to_wkb(shapely.Point(report.x, report.y)),
            "photos": json.dumps(list(report.photos), ensure_ascii=False)
            if report.photos
            else None,
            "by": report.reported_by or who.username,
            "ref": report.external_ref,
            "alarm": report.alarm_id,
        },
    ).scalar()
    _grow_events_extent(conn, float(report.x), float(report.y))
    return int(event_id)  # type: ignore[arg-type]


def _title(cat: Catalogue, category: str, report: EventReport) -> str:
    if report.title:
        return report.title[:256]
    name = cat.category(category).name
    text_ = (report.description or "").strip().splitlines()
    return f"{name}：{text_[0][:60]}" if text_ else name


def open_case(
    conn: Connection,
    cat: Catalogue,
    *,
    category: str,
    cell: int | None,
    x: float,
    y: float,
    title: str | None,
    description: str | None,
    who: Actor,
    now: dt.datetime,
    event_ids: Sequence[int],
    detail: dict | None = None,
) -> CaseRecord:
    """A new case in state ``reported`` for ``event_ids`` (the first one primary)."""
    due = cat.deadline(category, "reported", now)
    case_id = conn.execute(
        insert(CASES)
        .values(
            grid_cell_id=cell,
            category=category,
            state="reported",
            version=1,
            title=title,
            description=description,
            x=float(x),
            y=float(y),
            opened_at=_naive(now),
            updated_at=_naive(now),
            due_at=_naive(due),
            escalation_level=0,
            reopen_count=0,
        )
        .returning(CASES.c.id)
    ).scalar()
    for i, event_id in enumerate(event_ids):
        conn.execute(
            insert(LINKS).values(
                event_id=int(event_id),
                case_id=case_id,
                link="primary" if i == 0 else "merged",
                linked_at=_naive(now),
                linked_by=who.username,
            )
        )
    case = _read_case(conn, int(case_id))  # type: ignore[arg-type]
    append_step(
        conn,
        case,
        1,
        "report",
        None,
        "reported",
        who,
        now,
        due_at=due,
        detail={"events": [int(e) for e in event_ids], **(detail or {})},
        level=0,
    )
    return case


def report_event(
    store,
    report: EventReport,
    *,
    actor: Any = None,
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
    fuse: bool = True,
    conn: Connection | None = None,
    cell: int | None = None,
) -> Intake:
    """Record an event and open its case — or propose it for an open case of the same category
    within the fusion distance and time (nearest first). Refuses an unknown category, a time in
    the future and a point outside every grid cell. ``cell``: the grid cell when the caller
    already knows it (the importer looks all rows up at once)."""
    who = resolve_actor(store, actor)
    if who.role not in REPORTER_ROLES:
        raise PermissionDenied(
            f"{who.username} ({who.role}) may not report events (上报事件)", who.username, None
        )
    if report.source not in SOURCES:
        raise InvalidAction(f"unknown source {report.source!r}; sources: {', '.join(SOURCES)}")
    cat = catalogue or load_catalogue(store)
    category = cat.category(report.category).code
    now = utc(at or dt.datetime.now(dt.UTC))
    reported_at = utc(report.reported_at or now)
    if reported_at > now + FUTURE_TOLERANCE:
        raise InvalidAction(f"the event's time {reported_at:%Y-%m-%d %H:%M} UTC is in the future")
    if not (np.isfinite(report.x) and np.isfinite(report.y)):
        raise InvalidAction("the event has no valid position")
    if cell is None:
        cell = cell_of(store, report.x, report.y)
    if cell is None:
        raise InvalidAction(
            f"the point ({report.x:.1f}, {report.y:.1f}) is outside every grid cell"
        )

    def work(c: Connection) -> Intake:
        lock_for_write(store, c)
        event_id = _insert_event(c, store, report, category, cell, reported_at, who)
        candidates = (
            _fusion_candidates(
                c, store, category, report.x, report.y, reported_at, cat.fusion, event_id
            )
            if fuse
            else []
        )
        if candidates:
            case_id, distance = candidates[0]
            c.execute(
                insert(LINKS).values(
                    event_id=event_id,
                    case_id=case_id,
                    link="proposed",
                    linked_at=_naive(now),
                    linked_by=who.username,
                )
            )
            for attempt in range(_RETRIES):
                case = _read_case(c, case_id)
                try:
                    with c.begin_nested():
                        _apply(
                            c, case, "propose_merge", who, cat, now,
                            f"event {event_id} ({report.source}) {distance:.0f} m away", (),
                            None, None, None, None,
                            {"event_id": event_id, "distance_m": round(distance, 1)},
                        )  # fmt: skip
                    break
                except CaseConflict:
                    if attempt == _RETRIES - 1:
                        raise
            sync_event_status(c, case_id, case.state)
            return Intake(event_id, case_id, True, cell, distance, tuple(k for k, _ in candidates))
        case = open_case(
            c,
            cat,
            category=category,
            cell=cell,
            x=report.x,
            y=report.y,
            title=_title(cat, category, report),
            description=report.description,
            who=who,
            now=now,
            event_ids=[event_id],
            detail={"source": report.source},
        )
        return Intake(event_id, case.id, False, cell)

    return in_transaction(store, conn, work)


# ------------------------------------------------------------------------------------- operator
def _link(conn: Connection, case_id: int, event_id: int) -> str:
    row = conn.execute(
        select(LINKS.c.link).where(and_(LINKS.c.case_id == case_id, LINKS.c.event_id == event_id))
    ).first()
    if row is None:
        raise InvalidAction(f"event {event_id} is not part of case {case_id}")
    return row[0]


def confirm_merge(
    store,
    case_id: int,
    event_id: int,
    *,
    actor: Any = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> CaseRecord:
    """The operator confirms that a proposed event is the same problem as the case."""
    who = resolve_actor(store, actor)
    cat = catalogue or load_catalogue(store)
    now = utc(at or dt.datetime.now(dt.UTC))

    def work(c: Connection) -> CaseRecord:
        lock_for_write(store, c, case_id)
        case = _read_case(c, case_id)
        if expected_version is not None and case.version != expected_version:
            from gis_core.cases.workflow import _last_step

            raise CaseConflict(case_id, expected_version, case, _last_step(c, case_id))
        if _link(c, case_id, event_id) != "proposed":
            raise InvalidAction(f"event {event_id} is already confirmed as part of case {case_id}")
        out = _apply(
            c, case, "merge", who, cat, now, f"event {event_id} confirmed as the same problem",
            (), None, None, None, None, {"event_id": event_id},
        )  # fmt: skip
        c.execute(
            update(LINKS)
            .where(and_(LINKS.c.case_id == case_id, LINKS.c.event_id == event_id))
            .values(link="merged", linked_at=_naive(now), linked_by=who.username)
        )
        return out

    return in_transaction(store, None, work)


def split_event(
    store,
    case_id: int,
    event_id: int,
    *,
    actor: Any = None,
    expected_version: int | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[CaseRecord, CaseRecord]:
    """Take an event out of a case (a proposal that is a different problem, or a wrong merge)
    into a new case of its own; both logs say so. Returns (the old case, the new case)."""
    who = resolve_actor(store, actor)
    cat = catalogue or load_catalogue(store)
    now = utc(at or dt.datetime.now(dt.UTC))

    def work(c: Connection) -> tuple[CaseRecord, CaseRecord]:
        lock_for_write(store, c, case_id)
        case = _read_case(c, case_id)
        if expected_version is not None and case.version != expected_version:
            from gis_core.cases.workflow import _last_step

            raise CaseConflict(case_id, expected_version, case, _last_step(c, case_id))
        link = _link(c, case_id, event_id)
        others = c.execute(
            select(LINKS.c.event_id, LINKS.c.link)
            .where(and_(LINKS.c.case_id == case_id, LINKS.c.event_id != event_id))
            .order_by(LINKS.c.linked_at, LINKS.c.event_id)
        ).all()
        if not others:
            raise InvalidAction(f"event {event_id} is the only event of case {case_id}")
        ev = c.execute(
            text(
                "SELECT category, grid_cell_id, ST_X(geom), ST_Y(geom), title, description, source "
                "FROM events WHERE id = :e"
            ),
            {"e": event_id},
        ).one()
        # Authorise and log on the old case first: a refused split changes nothing.
        _apply(
            c, case, "split", who, cat, now, note or f"event {event_id} is a different problem",
            (), None, None, None, None, {"event_id": event_id, "link": link},
        )  # fmt: skip
        c.execute(delete(LINKS).where(LINKS.c.event_id == event_id))
        if link == "primary":
            confirmed = [e for e, k in others if k != "proposed"]
            promote = confirmed[0] if confirmed else others[0][0]
            c.execute(update(LINKS).where(LINKS.c.event_id == promote).values(link="primary"))
        new = open_case(
            c,
            cat,
            category=ev[0],
            cell=ev[1],
            x=float(ev[2]),
            y=float(ev[3]),
            title=ev[4] or _title(cat, ev[0], EventReport(ev[0], 0.0, 0.0, ev[5])),
            description=ev[5],
            who=who,
            now=now,
            event_ids=[event_id],
            detail={"split_from": case_id, "source": ev[6]},
        )
        old = _read_case(c, case_id)
        return old, new

    return in_transaction(store, None, work)
