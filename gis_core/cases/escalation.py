"""Overdue cases go up their category's escalation ladder; the app calls
:func:`escalate_overdue` on a timer (every workstation may: a case escalated by one is a
conflict, silently skipped, for the others).

Each call escalates every open case whose deadline has passed by one rung — a case already
escalated and overdue again goes one rung higher — until the top of its ladder, where it stays
flagged overdue. Example::

    for e in escalate_overdue(store):
        print(e.case_id, e.level, e.rung)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, select

from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue, load_catalogue
from gis_core.cases.lifecycle import SYSTEM, Actor, InvalidAction
from gis_core.cases.workflow import CASES, CaseConflict, CaseNotFound, _naive, act

__all__ = ["Escalation", "escalate_overdue", "overdue_cases"]


@dataclass(frozen=True)
class Escalation:
    case_id: int
    level: int
    rung: str  # who the case went to, e.g. "网格督导员 / grid supervisor"
    overdue_since: dt.datetime


def overdue_cases(
    store, now: dt.datetime | None = None
) -> list[tuple[int, int, dt.datetime, str, int]]:
    """(case id, version, deadline, category, escalation level) of open cases past their
    deadline, most overdue first."""
    now = utc(now or dt.datetime.now(dt.UTC))
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                CASES.c.id,
                CASES.c.version,
                CASES.c.due_at,
                CASES.c.category,
                CASES.c.escalation_level,
            )  # fmt: skip
            .where(and_(CASES.c.state != "closed", CASES.c.due_at < _naive(now)))
            .order_by(CASES.c.due_at, CASES.c.id)
        ).all()
    return [(int(r[0]), int(r[1]), utc(r[2]), r[3], int(r[4] or 0)) for r in rows]


def escalate_overdue(
    store,
    now: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
    actor: Actor = SYSTEM,
) -> list[Escalation]:
    """Escalate every overdue open case one rung (each in its own transaction); returns what
    was escalated. Cases at the top of their ladder, or changed meanwhile, are left alone."""
    now = utc(now or dt.datetime.now(dt.UTC))
    cat = catalogue or load_catalogue(store)
    done: list[Escalation] = []
    for case_id, version, due, category_code, level in overdue_cases(store, now):
        if level >= cat.ladder_top(category_code):
            continue  # at the top of its ladder: stays flagged overdue
        try:
            case = act(
                store,
                case_id,
                "escalate",
                actor=actor,
                expected_version=version,
                note=f"overdue since {due.astimezone(cat.calendar.tz):%Y-%m-%d %H:%M}",
                at=now,
                catalogue=cat,
                detail={"overdue_since": due.isoformat()},
            )
        except (CaseConflict, CaseNotFound):
            continue  # someone acted on it (or escalated it) meanwhile
        except InvalidAction:
            continue  # the ladder changed under it
        category = cat.find(case.category)
        rung = ""
        if category is not None and 1 <= case.escalation_level <= len(category.ladder):
            r = category.ladder[case.escalation_level - 1]
            rung = f"{r.name} / {r.name_en}"
        done.append(Escalation(case_id, case.escalation_level, rung, due))
    return done
