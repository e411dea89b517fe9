"""Loading a community's cells from the store, and saving edits: one transaction that writes new
versions of the touched cells, re-assigns every row whose cell changed, and refuses the whole
save on a version conflict (never last-save-wins). Also the per-cell history.

The SQL here is the editing tables' own (grid_cell_versions, optimistic version checks); reads
of features go through :class:`gis_core.store.Store`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError, OperationalError

from gis_core import schema
from gis_core.editing.change import Change
from gis_core.editing.codes import ATTRIBUTE_FIELDS, CellAttributes, next_codes
from gis_core.editing.coverage import CellState, Coverage, Rules
from gis_core.editing.impact import (
    NO_CELL,
    Impact,
    StoreFeatures,
    _historical_sql,
    compute_impact,
)
from gis_core.store import StoreError

__all__ = [
    "load_coverage",
    "save_change",
    "SaveResult",
    "Conflict",
    "ConflictCell",
    "CellVersion",
    "history",
    "CELL_COLUMNS",
]

CELL_COLUMNS = ("community_id", *ATTRIBUTE_FIELDS, "version")
SQLITE_BUSY_WAIT_S = 30.0


def load_coverage(
    store, community_id: int | None = None, rules: Rules | None = None, features: Any = "store"
) -> Coverage:
    """The cells of one community (the only one, or the first, when ``community_id`` is None)
    as an editable :class:`Coverage`, with versions as stored and neighbouring communities'
    outlines. ``features`` answers building and impact questions: the store by default."""
    comms = store.query_all("communities", ["code", "name"])
    if not len(comms):
        raise StoreError("the store has no community to edit")
    if community_id is None:
        k = int(np.argmin(comms.ids))
    else:
        hits = np.flatnonzero(comms.ids == int(community_id))
        if not len(hits):
            raise StoreError(f"there is no community {community_id}")
        k = int(hits[0])
    cid = int(comms.ids[k])
    boundary = comms.geometry[k]
    others = [g for i, g in zip(comms.ids.tolist(), comms.geometry) if i != cid]
    cells = store.query_bbox("grid_cells", boundary.bounds, CELL_COLUMNS)
    mine = np.asarray(cells.columns["community_id"]) == cid if len(cells) else np.zeros(0, bool)
    ids = cells.ids[mine].tolist()
    geoms = cells.geometry[mine]
    cols = {k: np.asarray(v)[mine] for k, v in cells.columns.items()}
    attrs = {
        i: CellAttributes(**{f: _text(cols[f][j]) for f in ATTRIBUTE_FIELDS})
        for j, i in enumerate(ids)
    }
    versions = {i: int(v) for i, v in zip(ids, cols["version"].tolist())}
    if features == "store":
        features = StoreFeatures(store)
    return Coverage(
        dict(zip(ids, geoms)),
        attrs,
        boundary,
        community_id=cid,
        community_code=str(comms.columns["code"][k]),
        rules=rules,
        versions=versions,
        features=features,
        others=[o for o in others if shapely.intersects(o.envelope, boundary.envelope)],
    )


def _text(v):
    return None if v is None or (isinstance(v, float) and v != v) else str(v)


# ------------------------------------------------------------------------------------ results
@dataclass
class ConflictCell:
    """A cell someone else changed (or deleted) since it was loaded: base, theirs and mine."""

    cell_id: int
    code: str
    base_version: int
    their_version: int | None
    base: Any
    theirs: Any  # None: they deleted it
    mine: Any  # None: I deleted it (merged away)
    their_editor: str | None = None
    their_time: dt.datetime | None = None


@dataclass
class Conflict:
    """A refused save: the cells changed by someone else since loading. Nothing was written."""

    cells: list[ConflictCell] = field(default_factory=list)
    boundary_changed: bool = False
    message: str = ""
    ok: bool = False

    def __bool__(self) -> bool:
        return False


@dataclass
class SaveResult:
    """A committed save: real ids of new cells, each touched cell's new version, the impact
    applied and codes renumbered because someone took them meanwhile."""

    ids: dict[int, int] = field(default_factory=dict)
    versions: dict[int, int | None] = field(default_factory=dict)
    impact: Impact | None = None
    renamed: dict[int, str] = field(default_factory=dict)
    reassigned: dict[str, int] = field(default_factory=dict)
    ok: bool = True

    def __bool__(self) -> bool:
        return True


@dataclass
class CellVersion:
    """One entry of a cell's history."""

    cell_id: int
    version: int
    geometry: Any
    attributes: CellAttributes
    action: str
    editor: str | None
    edited_at: dt.datetime | str | None
    reason: str | None


# ------------------------------------------------------------------------------------ SQL bits
def _gin(store, name: str) -> str:
    fn = "ST_GeomFromWKB" if store.backend == "postgis" else "GeomFromWKB"
    return f"{fn}(:{name}, {int(store.srid)})"


def _gout(store, col: str = "geom") -> str:
    return f"ST_AsBinary({col})" if store.backend == "postgis" else f"AsBinary({col})"


def _ts(store, t: dt.datetime):
    return t if store.backend == "postgis" else t.isoformat(" ")


def _wkb(g) -> bytes:
    return shapely.to_wkb(g)


class _Refused(Exception):
    def __init__(self, conflict: Conflict):
        self.conflict = conflict


# ------------------------------------------------------------------------------------ saving
def save_change(
    store,
    coverage: Coverage,
    change: Change,
    editor: str | None,
    reason: str | None,
    *,
    actions: Mapping[int, str] | None = None,
    session_id: str | None = None,
    impact: Impact | None = None,
) -> SaveResult | Conflict:
    """Commit ``change`` (the net change since loading: ``before`` as loaded, ``after`` as
    now) in one transaction, or return a :class:`Conflict` and write nothing.

    Every existing cell is written with ``UPDATE … WHERE id = ? AND version = ?`` against the
    version it was loaded with; if any of them was changed or deleted meanwhile, the whole save
    is refused. ``actions`` names the kind of version per cell (``restore`` for restored ones).
    Clears the journal of ``session_id`` in the same transaction.
    """
    actions = dict(actions or {})
    if impact is None:
        impact = compute_impact(change, coverage.features or StoreFeatures(store))
    now = dt.datetime.now(dt.UTC)
    modified = [c for c in change.touched if c > 0 and change.before.get(c) and change.after.get(c)]
    removed = [c for c in change.touched if change.before.get(c) and change.after.get(c) is None]
    created = [c for c in change.touched if change.before.get(c) is None and change.after.get(c)]
    deadline = time.monotonic() + SQLITE_BUSY_WAIT_S
    attempt = 0
    while True:
        try:
            return _save_once(
                store,
                coverage,
                change,
                editor,
                reason,
                actions,
                session_id,
                impact,
                now,
                modified,
                removed,
                created,
            )
        except OperationalError as exc:
            # SQLite: a save that read before another writer committed cannot upgrade its
            # snapshot and fails at once with "database is locked"; it is retried from the
            # start (so it sees, and is refused by, the other save's new versions).
            if store.backend != "spatialite" or "locked" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise StoreError("the store stayed locked by another writer; try again") from exc
            attempt += 1
            time.sleep(min(0.25, 0.01 * attempt))


def _save_once(
    store,
    coverage,
    change,
    editor,
    reason,
    actions,
    session_id,
    impact,
    now,
    modified,
    removed,
    created,
) -> SaveResult | Conflict:
    result = SaveResult()
    try:
        with store.begin() as conn:
            _check_and_lock(store, conn, coverage, change, modified, removed, now)
            ids = _insert_cells(store, conn, coverage, change, created, now, result)
            _write_versions(
                store,
                conn,
                coverage,
                change,
                modified,
                removed,
                created,
                ids,
                now,
                editor,
                reason,
                actions,
                result,
            )
            if change.boundary_after is not None:
                conn.execute(
                    text(f"UPDATE communities SET geom = {_gin(store, 'g')} WHERE id = :id"),
                    {"g": _wkb(_multi(change.boundary_after)), "id": coverage.community_id},
                )
                _grow_extent(conn, "communities", change.boundary_after.bounds)
            final = impact.remap(ids)
            result.reassigned = _reassign(store, conn, final)
            for c in removed:
                fallback = final.fallback.get(c)
                for kind in schema.CELL_SCOPED:
                    table = schema.KINDS[kind].__tablename__
                    conn.execute(
                        text(f"UPDATE {table} SET grid_cell_id = :n WHERE grid_cell_id = :o"),
                        {"n": fallback, "o": c},
                    )
                conn.execute(text("DELETE FROM grid_cells WHERE id = :id"), {"id": c})
            moved_cases = _follow_cases(conn, [*modified, *removed], now)
            if moved_cases:
                result.reassigned["cases"] = len(moved_cases)
            # Final codes last: a code may move from one touched cell to another.
            for c in [*modified, *created]:
                real = ids.get(c, c)
                code = result.renamed.get(c, change.after[c].attributes.code)
                try:
                    with conn.begin_nested():
                        conn.execute(
                            text("UPDATE grid_cells SET code = :code WHERE id = :id"),
                            {"code": code, "id": real},
                        )
                except IntegrityError as exc:
                    raise _Refused(
                        Conflict(message=f"cell code {code} was taken by someone else meanwhile")
                    ) from exc
            if moved_cases:
                _log_case_moves(store, conn, moved_cases, change, editor, reason, now)
            after_geoms = [s.geometry for s in change.after.values() if s is not None]
            if after_geoms:
                _grow_extent(conn, "grid_cells", shapely.total_bounds(after_geoms))
            if session_id is not None:
                conn.execute(
                    text("DELETE FROM edit_journal WHERE session_id = :s"), {"s": session_id}
                )
            from gis_core.security.audit import record  # the audit trail: who, which cells, why

            record(
                store,
                "edit",
                object="grid_cells",
                count=len(change.touched),
                detail={
                    "cells": sorted(int(ids.get(c, c)) for c in change.touched),
                    "reason": reason,
                },
                conn=conn,
                username=editor,
            )
    except _Refused as refused:
        return refused.conflict
    result.ids = ids
    result.impact = final
    return result


def _multi(g):
    return g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])


def _check_and_lock(store, conn, coverage, change, modified, removed, now) -> None:
    """Write each existing cell only if its version is still the one loaded; else refuse."""
    stale = []
    # One id order for every save, so two saves on PostGIS never wait on each other in a cycle.
    for c in sorted([*modified, *(r for r in removed if r > 0)]):
        if c in removed:
            res = conn.execute(
                text(
                    "UPDATE grid_cells SET version = version + 1, code = :code "
                    "WHERE id = :id AND version = :v"
                ),
                {"id": c, "v": coverage.versions.get(c, 1), "code": f"~{c}"},
            )
            if res.rowcount != 1:
                stale.append(c)
            continue
        st = change.after[c]
        row = {
            "id": c,
            "v": coverage.versions.get(c, 1),
            "g": _wkb(st.geometry),
            "t": _ts(store, now),
            # A placeholder code until the end of the transaction (codes may swap).
            "code": f"~{c}",
            **{f: getattr(st.attributes, f) for f in ATTRIBUTE_FIELDS if f != "code"},
        }
        res = conn.execute(
            text(
                f"UPDATE grid_cells SET geom = {_gin(store, 'g')}, code = :code, name = :name, "
                "worker_name = :worker_name, worker_phone = :worker_phone, "
                "supervisor = :supervisor, version = version + 1, updated_at = :t "
                "WHERE id = :id AND version = :v"
            ),
            row,
        )
        if res.rowcount != 1:
            stale.append(c)
    boundary_changed = False
    if change.boundary_after is not None:
        row = conn.execute(
            text(f"SELECT {_gout(store)} FROM communities WHERE id = :id"),
            {"id": coverage.community_id},
        ).first()
        stored = shapely.from_wkb(bytes(row[0])) if row else None
        base = change.boundary_before
        boundary_changed = stored is None or not shapely.equals_exact(
            shapely.normalize(_multi(stored)), shapely.normalize(_multi(base)), tolerance=0.0
        )
    if not stale and not boundary_changed:
        return
    cells = _conflict_cells(store, conn, coverage, change, stale)
    names = ", ".join(c.code for c in cells)
    message = (
        f"cells {names} were changed by someone else since you loaded them"
        if cells
        else "the community boundary was changed by someone else since you loaded it"
    )
    raise _Refused(Conflict(cells, boundary_changed, message))


def _conflict_cells(store, conn, coverage, change, stale) -> list[ConflictCell]:
    if not stale:
        return []
    sql = text(
        f"SELECT id, version, {_gout(store)}, code FROM grid_cells WHERE id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    theirs = {int(r[0]): r for r in conn.execute(sql, {"ids": stale})}
    last = {}
    sql = text(
        "SELECT cell_id, editor, edited_at FROM grid_cell_versions WHERE cell_id IN :ids "
        "ORDER BY version"
    ).bindparams(bindparam("ids", expanding=True))
    for cid, editor, at in conn.execute(sql, {"ids": stale}):
        last[int(cid)] = (editor, at)
    out = []
    for c in stale:
        row = theirs.get(c)
        base = change.before[c]
        mine = change.after.get(c)
        out.append(
            ConflictCell(
                cell_id=c,
                code=base.attributes.code,
                base_version=coverage.versions.get(c, 1),
                their_version=None if row is None else int(row[1]),
                base=base.geometry,
                theirs=None if row is None else shapely.from_wkb(bytes(row[2])),
                mine=None if mine is None else mine.geometry,
                their_editor=last.get(c, (None, None))[0],
                their_time=last.get(c, (None, None))[1],
            )
        )
    return out


def _insert_cells(store, conn, coverage, change, created, now, result) -> dict[int, int]:
    """Insert new cells with fresh ids (never one a deleted cell's history uses)."""
    ids: dict[int, int] = {}
    if not created:
        return ids
    # Touched cells hold placeholder codes by now, so these are everybody else's.
    taken = {
        r[0]
        for r in conn.execute(
            text("SELECT code FROM grid_cells WHERE community_id = :c"),
            {"c": coverage.community_id},
        )
    }
    mine_codes = {change.after[c].attributes.code for c in change.touched if change.after.get(c)}
    for c in created:
        st = change.after[c]
        code = st.attributes.code
        if code in taken:
            # Someone saved a cell with this (proposed) code meanwhile: take the next free one.
            code = next_codes(coverage.community_code or "", taken | mine_codes)[0]
            result.renamed[c] = code
        taken.add(code)
        if store.backend == "postgis":
            new_id = int(
                conn.execute(
                    text("SELECT nextval(pg_get_serial_sequence('grid_cells', 'id'))")
                ).scalar()
            )
        else:
            new_id = int(
                conn.execute(
                    text(
                        "SELECT max(coalesce((SELECT max(id) FROM grid_cells), 0), "
                        "coalesce((SELECT max(cell_id) FROM grid_cell_versions), 0)) + 1"
                    )
                ).scalar()
            )
        conn.execute(
            text(
                "INSERT INTO grid_cells (id, community_id, code, name, worker_name, "
                "worker_phone, supervisor, version, updated_at, geom) VALUES (:id, :cid, "
                f":code, :name, :worker_name, :worker_phone, :supervisor, 1, :t, {_gin(store, 'g')})"
            ),
            {
                "id": new_id,
                "cid": coverage.community_id,
                "code": f"~{c}",
                "t": _ts(store, now),
                "g": _wkb(st.geometry),
                **{f: getattr(st.attributes, f) for f in ATTRIBUTE_FIELDS if f != "code"},
            },
        )
        ids[c] = new_id
    return ids


def _write_versions(
    store,
    conn,
    coverage,
    change,
    modified,
    removed,
    created,
    ids,
    now,
    editor,
    reason,
    actions,
    result,
) -> None:
    rows = []

    def row(cid, version, state: CellState, action, who, why):
        return {
            "cell_id": cid,
            "version": version,
            "community_id": coverage.community_id,
            "action": action,
            "editor": who,
            "edited_at": _ts(store, now),
            "reason": why,
            "g": _wkb(state.geometry),
            **{f: getattr(state.attributes, f) for f in ATTRIBUTE_FIELDS},
        }

    existing = [c for c in [*modified, *removed] if c > 0]
    have = set()
    if existing:
        sql = text(
            "SELECT cell_id, version FROM grid_cell_versions WHERE cell_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        have = {(int(a), int(b)) for a, b in conn.execute(sql, {"ids": existing})}
    for c in existing:
        v = coverage.versions.get(c, 1)
        if (c, v) not in have:
            # The version before the first recorded edit, so history starts where data began.
            rows.append(row(c, v, change.before[c], "original", None, None))
    for c in modified:
        v = coverage.versions.get(c, 1) + 1
        rows.append(row(c, v, change.after[c], actions.get(c, "edit"), editor, reason))
        result.versions[c] = v
    for c in removed:
        if c < 0:
            continue
        v = coverage.versions.get(c, 1) + 1
        rows.append(row(c, v, change.before[c], "delete", editor, reason))
        result.versions[c] = None
    for c in created:
        st = change.after[c]
        code = result.renamed.get(c)
        if code:
            st = CellState(st.geometry, st.attributes.replace(code=code))
        rows.append(row(ids[c], 1, st, actions.get(c, "create"), editor, reason))
        result.versions[c] = 1
    if rows:
        cols = [
            "cell_id",
            "version",
            "community_id",
            *ATTRIBUTE_FIELDS,
            "action",
            "editor",
            "edited_at",
            "reason",
        ]
        conn.execute(
            text(
                f"INSERT INTO grid_cell_versions ({', '.join(cols)}, geom) VALUES "
                f"({', '.join(':' + c for c in cols)}, {_gin(store, 'g')})"
            ),
            rows,
        )


def _reassign(store, conn, impact: Impact) -> dict[str, int]:
    """Write the impact: spatial rows by id, followers through their parent."""
    counts: dict[str, int] = {}
    for kind, km in impact.moves.items():
        table = schema.KINDS[kind].__tablename__
        params = [
            {"c": None if n == NO_CELL else int(n), "id": int(i)}
            for i, n in zip(km.ids.tolist(), km.new.tolist())
        ]
        if params:
            conn.execute(text(f"UPDATE {table} SET grid_cell_id = :c WHERE id = :id"), params)
            counts[kind] = len(params)
    for (kind, column), pairs in impact.follower_moves.items():
        table = schema.KINDS[kind].__tablename__
        live = _historical_sql(kind, keep=False)
        params = [{"c": None if n == NO_CELL else int(n), "p": int(p)} for p, n in pairs]
        if params:
            res = conn.execute(
                text(f"UPDATE {table} SET grid_cell_id = :c WHERE {column} = :p{live}"), params
            )
            counts[kind] = counts.get(kind, 0) + max(0, res.rowcount or 0)
    return counts


def _follow_cases(conn, cells, now) -> list[tuple[int, int | None, int]]:
    """Open cases of the edited cells (or of none) follow their primary event's new cell.
    Cases carry ``grid_cell_id`` without a foreign key, so the spatial re-assignment above does
    not reach them; closed cases stay in the cell that handled them. Each moved case gets a new
    row version (its log gains a step). Returns (case, old cell, new cell) per moved case."""
    old = ", ".join(str(int(c)) for c in cells)
    if not old:
        return []
    rows = conn.execute(
        text(
            "SELECT c.id, c.grid_cell_id, e.grid_cell_id FROM cases c "
            "JOIN case_events l ON l.case_id = c.id AND l.link = 'primary' "
            "JOIN events e ON e.id = l.event_id "
            f"WHERE c.state <> 'closed' AND (c.grid_cell_id IN ({old}) OR c.grid_cell_id IS NULL) "
            "AND e.grid_cell_id IS NOT NULL "
            "AND (c.grid_cell_id IS NULL OR e.grid_cell_id <> c.grid_cell_id) ORDER BY c.id"
        )
    ).all()
    moved = [(int(r[0]), None if r[1] is None else int(r[1]), int(r[2])) for r in rows]
    if moved:
        conn.execute(
            text(
                "UPDATE cases SET grid_cell_id = :n, version = version + 1, updated_at = :t "
                "WHERE id = :id"
            ),
            [{"n": n, "t": now.replace(tzinfo=None), "id": c} for c, _, n in moved],
        )
    return moved


def _log_case_moves(store, conn, moved, change, editor, reason, now) -> None:
    """One ``cell_change`` step per moved case, in the same transaction as the save: who (the
    editor), old → new cell code, the save's reason. A bookkeeping step: the state, handler and
    time limit stay, and the performance figures do not count it as handling
    (:mod:`gis_core.cases.performance`)."""
    from gis_core.cases.lifecycle import CELL_CHANGE, Actor
    from gis_core.cases.workflow import append_step, read_case
    from gis_core.security import audit

    user = getattr(store, "user", None)
    who = Actor(
        editor or audit.actor(store),
        getattr(user, "role", None) or "grid_editor",
    )
    cells = {int(c) for _, _, c in moved}
    codes = dict(
        conn.execute(
            text(
                "SELECT id, code FROM grid_cells "
                f"WHERE id IN ({', '.join(str(c) for c in sorted(cells))})"
            )
        ).all()
    )
    for case_id, before, after in moved:
        was = change.before.get(before) if before is not None else None
        old_code = was.attributes.code if was is not None else None
        if old_code is None and before is not None:
            old_code = str(before)
        new_code = codes.get(after) or str(after)
        case = read_case(conn, case_id)  # as updated: new cell, new version
        note = f"{old_code or '—'} → {new_code}" + (f": {reason}" if reason else "")
        append_step(
            conn,
            case,
            case.version,
            CELL_CHANGE,
            case.state,
            case.state,
            who,
            now,
            note=note,
            due_at=case.due_at,
            detail={
                "from_cell": before,
                "to_cell": after,
                "from_code": old_code,
                "to_code": new_code,
                "reason": reason,
            },
            assignee=case.assignee,
            department=case.department,
        )


def _grow_extent(conn, kind: str, bounds) -> None:
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    old = conn.execute(
        text("SELECT minx, miny, maxx, maxy FROM layer_extents WHERE kind = :k"), {"k": kind}
    ).first()
    if old is not None:
        if old[0] <= minx and old[1] <= miny and old[2] >= maxx and old[3] >= maxy:
            return
        minx, miny = min(minx, old[0]), min(miny, old[1])
        maxx, maxy = max(maxx, old[2]), max(maxy, old[3])
        conn.execute(text("DELETE FROM layer_extents WHERE kind = :k"), {"k": kind})
    conn.execute(
        text(
            "INSERT INTO layer_extents (kind, minx, miny, maxx, maxy) VALUES (:k, :a, :b, :c, :d)"
        ),
        {"k": kind, "a": minx, "b": miny, "c": maxx, "d": maxy},
    )


# ------------------------------------------------------------------------------------ history
def history(store, cell_id: int) -> list[CellVersion]:
    """Every version of a cell, oldest first. A cell never edited has one: as it is now."""
    cols = ", ".join(ATTRIBUTE_FIELDS)
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT version, {cols}, action, editor, edited_at, reason, {_gout(store)} "
                "FROM grid_cell_versions WHERE cell_id = :id ORDER BY version"
            ),
            {"id": int(cell_id)},
        ).all()
        out = [
            CellVersion(
                int(cell_id),
                int(r[0]),
                shapely.from_wkb(bytes(r[-1])),
                CellAttributes(**dict(zip(ATTRIBUTE_FIELDS, r[1 : 1 + len(ATTRIBUTE_FIELDS)]))),
                *r[1 + len(ATTRIBUTE_FIELDS) : -1],
            )
            for r in rows
        ]
        if out:
            return out
        row = conn.execute(
            text(
                f"SELECT version, {cols}, updated_at, {_gout(store)} FROM grid_cells WHERE id = :id"
            ),
            {"id": int(cell_id)},
        ).first()
    if row is None:
        return []
    return [
        CellVersion(
            int(cell_id),
            int(row[0] or 1),
            shapely.from_wkb(bytes(row[-1])),
            CellAttributes(**dict(zip(ATTRIBUTE_FIELDS, row[1 : 1 + len(ATTRIBUTE_FIELDS)]))),
            "original",
            None,
            row[-2],
            None,
        )
    ]
