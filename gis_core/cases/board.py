"""What the dispatch board and the map show of cases: cards per board column with the time left,
and marker arrays (position, state, SLA) for the map overlay — one read each, no Qt.

Example::

    columns = board(store)                  # {"reported": [CaseCard, …], …}
    markers = case_markers(store)           # arrays for one overlay paint
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, or_, select

from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue, load_catalogue
from gis_core.cases.lifecycle import STATE_LABELS
from gis_core.cases.workflow import CASES, LINKS, _case, _naive, sla_status, time_left

__all__ = [
    "BOARD_COLUMNS",
    "SLA_STATES",
    "CaseCard",
    "CaseMarkers",
    "board",
    "case_markers",
]

# Board column → the states it shows (columns by state; the rarer side states share one).
BOARD_COLUMNS: dict[str, tuple[str, ...]] = {
    "reported": ("reported",),
    "to_dispatch": ("verified", "returned", "reopened"),
    "dispatched": ("dispatched",),
    "in_progress": ("accepted", "in_progress"),
    "resolved": ("resolved",),
    "checked": ("checked",),
    "escalated": ("escalated",),
    "closed": ("closed",),
}
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "reported": ("待核实", "to verify"),
    "to_dispatch": ("待派遣", "to dispatch"),
    "dispatched": ("已派遣", "dispatched"),
    "in_progress": ("处置中", "in progress"),
    "resolved": ("待核查", "to check"),
    "checked": ("待结案", "to close"),
    "escalated": ("已升级", "escalated"),
    "closed": ("已结案", "closed"),
}
SLA_STATES = ("none", "ok", "due_soon", "overdue")


@dataclass(frozen=True)
class CaseCard:
    id: int
    version: int
    state: str
    category: str
    category_label: str
    title: str
    grid_cell_id: int | None
    handler: str | None  # the assignee, else the department
    due_at: dt.datetime | None
    hours_left: float | None
    sla: str
    level: int
    proposed: int  # events proposed for this case, waiting for an operator
    assignee: str | None = None
    resume_state: str | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state][0]

    @property
    def time_left_text(self) -> str:
        """``剩 3.5 h`` / ``超 2.0 h`` (working hours of the category's clock)."""
        if self.hours_left is None:
            return ""
        if self.hours_left < 0:
            return f"超时 {-self.hours_left:.1f} h"
        return f"剩 {self.hours_left:.1f} h"


def board(
    store,
    now: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
    closed_since: dt.timedelta = dt.timedelta(days=1),
    cells: list[int] | None = None,
) -> dict[str, list[CaseCard]]:
    """Open cases and those closed within ``closed_since``, by board column, most urgent
    first."""
    cat = catalogue or load_catalogue(store)
    now = utc(now or dt.datetime.now(dt.UTC))
    proposed = (
        select(LINKS.c.case_id, func.count().label("n"))
        .where(LINKS.c.link == "proposed")
        .group_by(LINKS.c.case_id)
        .subquery()
    )
    q = (
        select(CASES, proposed.c.n)
        .outerjoin(proposed, proposed.c.case_id == CASES.c.id)
        .where(or_(CASES.c.state != "closed", CASES.c.closed_at >= _naive(now - closed_since)))
    )
    if cells is not None:
        q = q.where(CASES.c.grid_cell_id.in_(cells))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    column_of = {s: col for col, states in BOARD_COLUMNS.items() for s in states}
    out: dict[str, list[CaseCard]] = {col: [] for col in BOARD_COLUMNS}
    for row in rows:
        case = _case(row)
        category = cat.find(case.category)
        left = time_left(case, cat, now)
        out[column_of[case.state]].append(
            CaseCard(
                case.id,
                case.version,
                case.state,
                case.category,
                category.name if category else case.category,
                case.title or "",
                case.grid_cell_id,
                case.handler,
                case.due_at,
                left,
                sla_status(case, cat, now),
                case.escalation_level,
                int(row._mapping["n"] or 0),
                case.assignee,
                case.resume_state,
            )
        )
    for cards in out.values():
        cards.sort(key=lambda c: (c.hours_left is None, c.hours_left or 0.0, c.id))
    return out


@dataclass(frozen=True)
class CaseMarkers:
    """Cases as arrays for one overlay paint: position (working CRS), state, SLA, category."""

    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    state: np.ndarray  # object array of state names
    sla: np.ndarray  # object array of SLA_STATES
    category: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def case_markers(
    store,
    now: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
    include_closed: bool = False,
) -> CaseMarkers:
    cat = catalogue or load_catalogue(store)
    now = utc(now or dt.datetime.now(dt.UTC))
    q = select(CASES)
    if not include_closed:
        q = q.where(CASES.c.state != "closed")
    with store.engine.connect() as conn:
        cases = [_case(r) for r in conn.execute(q.order_by(CASES.c.id))]
    return CaseMarkers(
        np.array([c.id for c in cases], dtype=np.int64),
        np.array([c.x for c in cases], dtype=float),
        np.array([c.y for c in cases], dtype=float),
        np.array([c.state for c in cases], dtype=object),
        np.array([sla_status(c, cat, now) for c in cases], dtype=object),
        np.array([c.category for c in cases], dtype=object),
    )
