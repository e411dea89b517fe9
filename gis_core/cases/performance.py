"""Staff, department and cell performance, computed from the case step log alone.

Definitions (every figure can be recomputed by hand from ``case_steps``):

- A *stay* is the time between two consecutive *handling* steps of one case — ``report`` and
  every action that changes the state or starts a new time limit (verify, dispatch, reassign,
  accept, return, start, resolve, check, fail_check, close, reopen, escalate, resume). Notes,
  feedback and merge bookkeeping are not handling steps, nor is the ``cell_change`` a grid-boundary
  save writes when it moves an open case to another cell: the stay running then goes on and
  belongs to the cell where it began; the case's later steps carry the new cell. A stay belongs to the period in which
  it *ends*. Its limit is the ``due_at`` written by the step that started it; it is *on time*
  when it ends at or before that limit. Its length is measured on the category's clock (working
  hours for most categories, natural hours for round-the-clock ones).
- *Worker* and *department* figures count the stays in the handler's hands — in ``dispatched``,
  ``accepted`` and ``in_progress`` — under the assignee / department named by the step that
  started the stay. *Cell* figures count every stay of the cell's cases.
- *Cases handled*: distinct cases with a ``resolve`` step in the period (by that step's
  assignee, department or cell).
- *Closed*: cases with a ``close`` step in the period, each counted once, by its last close in
  the period (that step's assignee, department, cell). Of those: *closed on first check* — no
  ``fail_check`` since the case's last reopening before that close; *reopened* — a ``reopen``
  step anywhere in the case's log before the period ends; *satisfaction* — the mean of the last
  satisfaction recorded (on ``close`` or ``feedback``) for each closed case before the period
  ends.
- Time a closed case waits before it is reopened is no one's step and is left out.

Example::

    table = compute_performance(steps, start, end, catalogue)
    table.rows("worker")[0].on_time_share
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue
from gis_core.cases.lifecycle import ACTIONS
from gis_core.cases.workflow import StepRecord

__all__ = [
    "HANDLING_ACTIONS",
    "HANDLER_STATES",
    "Stay",
    "GroupFigures",
    "PerformanceTable",
    "stays",
    "compute_performance",
    "GROUPS",
]

HANDLING_ACTIONS = frozenset({"report"} | {name for name, a in ACTIONS.items() if a.timed})
HANDLER_STATES = frozenset({"dispatched", "accepted", "in_progress"})
GROUPS = ("worker", "department", "cell", "total")


@dataclass(frozen=True)
class Stay:
    case_id: int
    state: str
    started: dt.datetime
    ended: dt.datetime
    due_at: dt.datetime | None
    hours: float  # on the category's clock
    assignee: str | None
    department: str | None
    grid_cell_id: int | None
    category: str
    ended_by: str  # the action that ended it

    @property
    def timed(self) -> bool:
        return self.due_at is not None

    @property
    def on_time(self) -> bool:
        return self.due_at is not None and self.ended <= self.due_at


def stays(steps: Iterable[StepRecord], catalogue: Catalogue) -> list[Stay]:
    """Every stay of the given log (steps of whole cases, in any order)."""
    by_case: dict[int, list[StepRecord]] = defaultdict(list)
    for s in steps:
        by_case[s.case_id].append(s)
    out = []
    for case_id, log in by_case.items():
        log.sort(key=lambda s: s.seq)
        handling = [s for s in log if s.action in HANDLING_ACTIONS]
        for p, q in zip(handling, handling[1:]):
            clock = catalogue.clock(p.category)
            out.append(
                Stay(
                    case_id,
                    p.to_state,
                    p.at,
                    q.at,
                    p.due_at,
                    clock.hours_between(p.at, q.at),
                    p.assignee,
                    p.department,
                    p.grid_cell_id,
                    p.category,
                    q.action,
                )
            )
    return out


@dataclass
class GroupFigures:
    """The figures of one worker, department or cell (or the total) for one period."""

    group: str  # worker / department / cell / total
    key: str
    label: str = ""
    cases_handled: int = 0
    steps: int = 0  # stays ended in the period
    timed_steps: int = 0
    on_time_steps: int = 0
    median_hours: float | None = None
    closed: int = 0
    closed_first_check: int = 0
    reopened: int = 0
    satisfaction_sum: float = 0.0
    satisfaction_n: int = 0
    _hours: list[float] = field(default_factory=list, repr=False)
    _handled: set[int] = field(default_factory=set, repr=False)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time_steps / self.timed_steps if self.timed_steps else None

    @property
    def first_check_share(self) -> float | None:
        return self.closed_first_check / self.closed if self.closed else None

    @property
    def reopened_share(self) -> float | None:
        return self.reopened / self.closed if self.closed else None

    @property
    def satisfaction(self) -> float | None:
        return self.satisfaction_sum / self.satisfaction_n if self.satisfaction_n else None

    def as_dict(self) -> dict:
        return {
            "group": self.group,
            "key": self.key,
            "label": self.label or self.key,
            "cases_handled": self.cases_handled,
            "steps": self.steps,
            "timed_steps": self.timed_steps,
            "on_time_steps": self.on_time_steps,
            "on_time_share": self.on_time_share,
            "median_hours": self.median_hours,
            "closed": self.closed,
            "closed_first_check": self.closed_first_check,
            "first_check_share": self.first_check_share,
            "reopened": self.reopened,
            "reopened_share": self.reopened_share,
            "satisfaction": self.satisfaction,
            "satisfaction_n": self.satisfaction_n,
        }


@dataclass(frozen=True)
class PerformanceTable:
    start: dt.datetime
    end: dt.datetime
    figures: dict[tuple[str, str], GroupFigures]

    def rows(self, group: str) -> list[GroupFigures]:
        rows = [f for (g, _), f in self.figures.items() if g == group]
        return sorted(rows, key=lambda f: f.label or f.key)

    def get(self, group: str, key: str | int) -> GroupFigures | None:
        return self.figures.get((group, str(key)))

    @property
    def total(self) -> GroupFigures:
        return self.figures[("total", "all")]


def compute_performance(
    steps: Sequence[StepRecord],
    start: dt.datetime,
    end: dt.datetime,
    catalogue: Catalogue,
    labels: dict[tuple[str, str], str] | None = None,
) -> PerformanceTable:
    """The figures of every worker, department and cell for the period [start, end). ``steps``
    must hold the whole log of every case with a step in the period, up to ``end``."""
    start, end = utc(start), utc(end)
    labels = labels or {}
    figures: dict[tuple[str, str], GroupFigures] = {}

    def fig(group: str, key: object) -> GroupFigures | None:
        if key is None or key == "":
            return None
        k = (group, str(key))
        if k not in figures:
            figures[k] = GroupFigures(group, str(key), labels.get(k, ""))
        return figures[k]

    fig("total", "all")
    in_period = [s for s in steps if s.at < end]
    for stay in stays(in_period, catalogue):
        if not (start <= stay.ended < end) or stay.state == "closed":
            continue  # a closed case waiting to be reopened is nobody's step
        targets = [fig("cell", stay.grid_cell_id), fig("total", "all")]
        if stay.state in HANDLER_STATES:
            targets += [fig("worker", stay.assignee), fig("department", stay.department)]
        for f in targets:
            if f is None:
                continue
            f.steps += 1
            f._hours.append(stay.hours)
            if stay.timed:
                f.timed_steps += 1
                f.on_time_steps += int(stay.on_time)

    by_case: dict[int, list[StepRecord]] = defaultdict(list)
    for s in in_period:
        by_case[s.case_id].append(s)

    def groups_of(s: StepRecord) -> list[GroupFigures]:
        found = [
            fig("worker", s.assignee),
            fig("department", s.department),
            fig("cell", s.grid_cell_id),
            fig("total", "all"),
        ]
        return [f for f in found if f is not None]

    for log in by_case.values():
        log.sort(key=lambda s: s.seq)
        for s in log:
            if s.action == "resolve" and start <= s.at < end:
                for f in groups_of(s):
                    if s.case_id not in f._handled:
                        f._handled.add(s.case_id)
                        f.cases_handled += 1
        closes = [i for i, s in enumerate(log) if s.action == "close" and start <= s.at < end]
        if not closes:
            continue
        i = closes[-1]  # a case closed twice in the month counts once, by its last close
        since = max((j for j in range(i) if log[j].action == "reopen"), default=-1)
        first_check = not any(log[j].action == "fail_check" for j in range(since + 1, i))
        reopened = any(x.action == "reopen" for x in log)
        rated = [
            x.satisfaction
            for x in log
            if x.action in ("close", "feedback") and x.satisfaction is not None
        ]
        for f in groups_of(log[i]):
            f.closed += 1
            f.closed_first_check += int(first_check)
            f.reopened += int(reopened)
            if rated:
                f.satisfaction_sum += rated[-1]
                f.satisfaction_n += 1
    for f in figures.values():
        f.median_hours = statistics.median(f._hours) if f._hours else None
    return PerformanceTable(start, end, figures)
