"""The case lifecycle as a pure state machine: states, actions, who may take them, what they need.

The main line is reported → verified → dispatched → accepted → in_progress → resolved → checked →
closed. Off it: the assignee *returns* a case that is not theirs (returned → dispatched again), a
failed check sends it back to work (resolved → in_progress), an overdue case is *escalated* up
its category's ladder (escalated → the higher level re-dispatches, verifies or resumes it), and a
closed case the resident is not satisfied with is *reopened* (reopened → dispatched).

:func:`apply` is the only way a case changes state — the store workflow
(:mod:`gis_core.cases.workflow`) calls it before writing, and the property tests drive it with
random sequences. It never skips a required step: a case is dispatched only once verified, and
closed only after accepted, in progress, resolved and checked since its last dispatch. Example::

    >>> c = CaseState("reported")
    >>> c = apply(c, "verify", Actor("li", "operator")).state
    >>> apply(c, "accept", Actor("li", "operator"))
    Traceback (most recent call last):
    ...
    gis_core.cases.lifecycle.InvalidAction: a verified case cannot be accepted (…)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from gis_core.security.roles import PermissionDenied
from gis_core.store import StoreError

__all__ = [
    "STATES",
    "OPEN_STATES",
    "MAIN_LINE",
    "ACTIONS",
    "Action",
    "Actor",
    "SYSTEM",
    "CaseState",
    "Outcome",
    "InvalidAction",
    "PermissionDenied",
    "apply",
    "allowed_actions",
    "STATE_LABELS",
    "ACTION_LABELS",
    "CELL_CHANGE",
]

STATES: tuple[str, ...] = (
    "reported",
    "verified",
    "dispatched",
    "accepted",
    "in_progress",
    "resolved",
    "checked",
    "closed",
    "returned",
    "escalated",
    "reopened",
)
MAIN_LINE: tuple[str, ...] = STATES[:8]
OPEN_STATES: tuple[str, ...] = tuple(s for s in STATES if s != "closed")

STATE_LABELS: dict[str, tuple[str, str]] = {
    "reported": ("已上报", "reported"),
    "verified": ("已核实", "verified"),
    "dispatched": ("已派遣", "dispatched"),
    "accepted": ("已接单", "accepted"),
    "in_progress": ("处置中", "in progress"),
    "resolved": ("已处置", "resolved"),
    "checked": ("已核查", "checked"),
    "closed": ("已结案", "closed"),
    "returned": ("已退回", "returned"),
    "escalated": ("已升级", "escalated"),
    "reopened": ("已重启", "reopened"),
}

# Roles of gis_core.security.roles, plus "system" for the escalation timer and intake.
_CENTRE = frozenset({"operator", "grid_supervisor", "administrator"})
_HANDLERS = _CENTRE | {"grid_worker"}
_REPORTERS = _HANDLERS | {"system"}


@dataclass(frozen=True)
class Action:
    """One action: the states it may start from, the state it leads to (None: the state it
    came from — a bookkeeping step), the roles that may take it, and what it needs."""

    name: str
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    label: tuple[str, str]
    needs_note: bool = False
    needs_assignee: bool = False  # an assignee or a department
    assignee_only: bool = False  # a grid worker may take it only on a case assigned to them
    timed: bool = True  # sets a new deadline


def _a(name, sources, target, roles, zh, en, **kw) -> Action:
    return Action(name, frozenset(sources), target, frozenset(roles), (zh, en), **kw)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _a("verify", {"reported", "escalated"}, "verified", _CENTRE, "核实", "verify"),
        _a(
            "dispatch",
            {"verified", "returned", "reopened", "escalated"},
            "dispatched",
            _CENTRE,
            "派遣",
            "dispatch",
            needs_assignee=True,
        ),
        _a(
            "reassign",
            {"dispatched", "accepted", "in_progress"},
            "dispatched",
            _CENTRE,
            "改派",
            "reassign",
            needs_assignee=True,
        ),
        _a(
            "accept",
            {"dispatched"},
            "accepted",
            _HANDLERS,
            "接单",
            "accept",
            assignee_only=True,
        ),
        _a(
            "return",
            {"dispatched", "accepted"},
            "returned",
            _HANDLERS,
            "退回",
            "return",
            needs_note=True,
            assignee_only=True,
        ),
        _a(
            "start", {"accepted"}, "in_progress", _HANDLERS, "开始处置", "start", assignee_only=True
        ),
        _a(
            "resolve",
            {"in_progress"},
            "resolved",
            _HANDLERS,
            "处置完毕",
            "resolve",
            assignee_only=True,
        ),
        _a("check", {"resolved"}, "checked", _CENTRE, "核查通过", "pass the check"),
        _a(
            "fail_check",
            {"resolved"},
            "in_progress",
            _CENTRE,
            "核查不通过",
            "fail the check",
            needs_note=True,
        ),
        _a("close", {"checked"}, "closed", _CENTRE, "结案", "close"),
        _a("reopen", {"closed"}, "reopened", _CENTRE, "重启", "reopen", needs_note=True),
        _a(
            "escalate",
            set(OPEN_STATES),
            "escalated",
            _CENTRE | {"system"},
            "升级",
            "escalate",
        ),
        _a("resume", {"escalated"}, None, _CENTRE, "督办后继续", "resume"),
        # Bookkeeping: the state stays, the log records it.
        _a("note", set(STATES), None, _HANDLERS, "备注", "add a note", timed=False),
        _a("feedback", {"closed"}, None, _CENTRE, "回访", "record feedback", timed=False),
        _a(
            "propose_merge",
            set(OPEN_STATES),
            None,
            _REPORTERS,
            "疑似重复",
            "propose a merge",
            timed=False,
        ),
        _a("merge", set(OPEN_STATES), None, _CENTRE | {"system"}, "合并", "merge", timed=False),
        _a("split", set(STATES), None, _CENTRE, "拆分", "split", timed=False),
    )
}

# Steps no one takes through :func:`apply`: the report that opens a case, and the cell change a
# grid-boundary save writes when it moves an open case (gis_core.editing.persist).
CELL_CHANGE = "cell_change"
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "report": ("上报", "report"),
    **{name: a.label for name, a in ACTIONS.items()},
    CELL_CHANGE: ("网格调整", "cell change"),
}


class InvalidAction(StoreError):
    """An action the case's state does not allow, or one missing what it needs."""


@dataclass(frozen=True)
class Actor:
    """Who acts: an account's user name and role (a gis_core.security.accounts.User fits)."""

    username: str
    role: str


SYSTEM = Actor("system", "system")


@dataclass(frozen=True)
class CaseState:
    """What the state machine needs of a case.

    ``resume_state``: the state an escalated case was escalated from (where ``resume`` returns).
    ``level``: the escalation level (0: not escalated; n: the n-th rung of the ladder).
    """

    state: str
    assignee: str | None = None
    department: str | None = None
    level: int = 0
    resume_state: str | None = None

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise InvalidAction(f"unknown case state {self.state!r}")


@dataclass(frozen=True)
class Outcome:
    """The case after an action, and whether the action starts a new time limit."""

    state: CaseState
    action: str
    from_state: str
    timed: bool


def _label(state: str) -> str:
    zh, en = STATE_LABELS[state]
    return f"{en} ({zh})"


def allowed_actions(case: CaseState, actor: Any, ladder_top: int | None = None) -> list[str]:
    """The actions ``actor`` may take on ``case`` now (for menus and the board)."""
    out = []
    for name in ACTIONS:
        try:
            _check(case, ACTIONS[name], actor, ladder_top, probing=True)
        except (InvalidAction, PermissionDenied):
            continue
        out.append(name)
    return out


def _check(
    case: CaseState,
    action: Action,
    actor: Any,
    ladder_top: int | None,
    probing: bool = False,
    assignee: str | None = None,
    department: str | None = None,
    note: str | None = None,
) -> None:
    if case.state not in action.sources:
        raise InvalidAction(
            f"a {_label(case.state)} case cannot be {_past(action.name)} "
            f"({action.label[0]}: only from {', '.join(sorted(action.sources))})"
        )
    if action.name == "verify" and case.state == "escalated" and case.resume_state != "reported":
        raise InvalidAction("this case was verified before it was escalated: dispatch or resume it")
    if action.name == "dispatch" and case.state == "escalated" and case.resume_state == "reported":
        raise InvalidAction("an escalated case that was never verified must be verified first")
    if action.name == "escalate" and ladder_top is not None and case.level >= ladder_top:
        raise InvalidAction(f"the case is at the top of its escalation ladder (level {case.level})")
    role = getattr(actor, "role", None)
    if role not in action.roles:
        raise PermissionDenied(
            f"{getattr(actor, 'username', '?')} ({role}) may not {action.label[1]} a case "
            f"({action.label[0]})",
            getattr(actor, "username", None),
            action.name,
        )
    if action.assignee_only and role == "grid_worker" and case.assignee != actor.username:
        raise PermissionDenied(
            f"{actor.username} may {action.label[1]} only cases assigned to them "
            f"(this one is assigned to {case.assignee or case.department or 'nobody'})",
            actor.username,
            action.name,
        )
    if probing:
        return
    if action.needs_note and not (note or "").strip():
        raise InvalidAction(f"to {action.label[1]} a case, say why (a note)")
    if action.needs_assignee and not (assignee or department):
        raise InvalidAction(f"to {action.label[1]} a case, name a grid worker or a department")


def _past(name: str) -> str:
    return {
        "verify": "verified",
        "dispatch": "dispatched",
        "reassign": "reassigned",
        "accept": "accepted",
        "return": "returned",
        "start": "started",
        "resolve": "resolved",
        "check": "checked",
        "fail_check": "failed at the check",
        "close": "closed",
        "reopen": "reopened",
        "escalate": "escalated",
        "resume": "resumed",
        "feedback": "given feedback",
        "merge": "merged",
        "split": "split",
    }.get(name, name.replace("_", " ") + "d")


def apply(
    case: CaseState,
    action: str,
    actor: Any,
    *,
    assignee: str | None = None,
    department: str | None = None,
    note: str | None = None,
    ladder_top: int | None = None,
) -> Outcome:
    """The case after ``actor`` takes ``action``; raises :class:`InvalidAction` or
    :class:`PermissionDenied` (and changes nothing) when it may not.

    ``assignee``/``department``: the new handler for dispatch and reassign. ``ladder_top``: the
    number of rungs of the category's escalation ladder (escalating past it is refused).
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise InvalidAction(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    _check(case, spec, actor, ladder_top, assignee=assignee, department=department, note=note)
    before = case.state
    new = case
    if spec.needs_assignee:
        new = replace(new, assignee=assignee, department=department)
    if action == "escalate":
        new = replace(
            new,
            state="escalated",
            level=case.level + 1,
            resume_state=case.resume_state if case.state == "escalated" else case.state,
        )
    elif action == "resume":
        new = replace(new, state=case.resume_state or "verified", resume_state=None)
    elif spec.target is not None:
        new = replace(new, state=spec.target, resume_state=None)
    if action in ("dispatch", "reopen") or new.state == "closed":
        new = replace(new, level=0)  # a new handling cycle starts at the bottom of the ladder
    if action == "reopen":
        new = replace(new, assignee=case.assignee, department=case.department)
    return Outcome(new, action, before, spec.timed and new.state != "closed")
