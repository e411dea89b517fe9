"""The case state machine: no sequence of actions reaches an invalid state or skips a step."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from gis_core.cases.lifecycle import (
    ACTIONS,
    STATES,
    Actor,
    CaseState,
    InvalidAction,
    PermissionDenied,
    allowed_actions,
    apply,
)

LADDER = 3
ROLES = [
    "administrator",
    "operator",
    "grid_supervisor",
    "grid_worker",
    "planner",
    "viewer",
    "system",
]
PEOPLE = ["wang", "li"]
# What must have happened since the case was last dispatched, in order, before it is closed.
AFTER_DISPATCH = ["accepted", "in_progress", "resolved", "checked"]
FORWARD = {"verify", "dispatch", "accept", "start", "resolve", "check", "close", "resume"}
HANDLED = {"dispatched", "accepted", "in_progress", "resolved", "checked"}


class CaseMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.case = CaseState("reported")
        self.entered: list[str] = ["reported"]  # every state entered, in order
        self.steps: list[tuple[str, str, str, str]] = []

    @rule(
        pick=st.integers(0, 10_000),
        mode=st.sampled_from(["any", "allowed", "forward", "forward"]),
        role=st.sampled_from(ROLES),
        person=st.sampled_from(PEOPLE),
        assignee=st.sampled_from([None, "wang", "li"]),
        department=st.sampled_from([None, "sanitation"]),
        note=st.sampled_from([None, "", "理由"]),
    )
    def act(self, pick, mode, role, person, assignee, department, note):
        before = self.case
        # Mostly actions this actor may take now, often along the main line, so that runs get
        # cases closed (and reopened, escalated, returned on the way).
        allowed = allowed_actions(before, Actor(person, role), LADDER)
        if mode == "forward":
            allowed = [a for a in allowed if a in FORWARD]
        choices = allowed if mode != "any" and allowed else sorted(ACTIONS)
        action = choices[pick % len(choices)]
        try:
            out = apply(
                before,
                action,
                Actor(person, role),
                assignee=assignee,
                department=department,
                note=note,
                ladder_top=LADDER,
            )
        except (InvalidAction, PermissionDenied):
            assert action not in allowed_actions(before, Actor(person, role), LADDER) or (
                ACTIONS[action].needs_note or ACTIONS[action].needs_assignee
            )
            return
        assert action in allowed_actions(before, Actor(person, role), LADDER)
        # Who may do what.
        assert role in ACTIONS[action].roles
        assert role not in ("planner", "viewer")
        if role == "grid_worker" and ACTIONS[action].assignee_only:
            assert before.assignee == person, "a grid worker acted on someone else's case"
        if role == "system":
            assert action in ("escalate", "propose_merge", "merge")
        self.case = out.state
        self.steps.append((action, before.state, out.state.state, role))
        if out.state.state != before.state or action in ("dispatch", "reassign"):
            self.entered.append(out.state.state)
        self.check_no_skipped_step(action, before)

    def check_no_skipped_step(self, action, before):
        new = self.case.state
        if new == before.state:
            return  # bookkeeping (a note, a merge) or a reassignment
        if action == "resume":
            # Back to exactly where it was escalated from, nothing skipped in between.
            earlier = self.entered[:-1]
            while earlier and earlier[-1] == "escalated":
                earlier.pop()
            assert earlier and new == earlier[-1]
            return
        if new == "dispatched":
            assert "verified" in self.entered[:-1], "dispatched before it was verified"
        if new == "closed":
            assert before.state == "checked"
            last_dispatch = max(i for i, s in enumerate(self.entered) if s == "dispatched")
            since = self.entered[last_dispatch + 1 :]
            it = iter(since)
            assert all(stage in it for stage in AFTER_DISPATCH), (
                f"closed without {AFTER_DISPATCH} since the last dispatch: {since}"
            )
        if new == "checked":
            assert before.state == "resolved"
        if new == "resolved":
            assert before.state == "in_progress"
        if new == "accepted":
            assert before.state in ("dispatched", "escalated")

    @invariant()
    def state_is_valid(self):
        c = self.case
        assert c.state in STATES
        if c.state == "escalated":
            assert 1 <= c.level <= LADDER
            assert c.resume_state in STATES and c.resume_state not in ("escalated", "closed")
        else:
            assert c.resume_state is None
        if c.state in HANDLED:
            assert c.assignee or c.department, "a case in hand has nobody to handle it"
        if c.state == "closed":
            assert c.level == 0

    @invariant()
    def never_stuck(self):
        # The command centre can always move the case on (a closed case can be reopened).
        admin = Actor("admin", "administrator")
        moves = [a for a in allowed_actions(self.case, admin, LADDER) if ACTIONS[a].target]
        assert moves or self.case.state == "escalated"


CaseMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestCaseMachine = CaseMachine.TestCase


def test_every_state_can_still_reach_closed():
    """From any reachable (state, resume state), some sequence of allowed actions closes it."""
    admin = Actor("admin", "administrator")
    worker = Actor("wang", "grid_worker")

    def moves(c):
        for actor in (admin, worker):
            for a in allowed_actions(c, actor, LADDER):
                try:
                    nxt = apply(c, a, actor, assignee="wang", note="n", ladder_top=LADDER).state
                except (InvalidAction, PermissionDenied):
                    continue
                yield nxt

    start = CaseState("reported")
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in moves(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert {c.state for c in seen} == set(STATES)
    for c in seen:
        frontier, reach = deque([c]), {c}
        while frontier and not any(x.state == "closed" for x in reach):
            for nxt in moves(frontier.popleft()):
                if nxt not in reach:
                    reach.add(nxt)
                    frontier.append(nxt)
        assert any(x.state == "closed" for x in reach), f"{c} cannot be closed any more"


@pytest.mark.parametrize(
    ("state", "action", "role", "message"),
    [
        ("reported", "dispatch", "operator", "cannot be dispatched"),
        ("verified", "close", "administrator", "cannot be closed"),
        ("in_progress", "check", "operator", "cannot be checked"),
        ("verified", "dispatch", "grid_worker", "may not dispatch"),
        ("dispatched", "accept", "viewer", "may not accept"),
        ("resolved", "check", "grid_worker", "may not pass the check"),
    ],
)
def test_refusals_say_why(state, action, role, message):
    case = CaseState(state, assignee="wang")
    with pytest.raises((InvalidAction, PermissionDenied), match=message):
        apply(case, action, Actor("wang", role), assignee="li")


def test_a_grid_worker_handles_only_their_own_cases():
    case = CaseState("dispatched", assignee="li")
    with pytest.raises(PermissionDenied, match="only cases assigned to them"):
        apply(case, "accept", Actor("wang", "grid_worker"))
    assert apply(case, "accept", Actor("li", "grid_worker")).state.state == "accepted"


def test_escalation_goes_up_the_ladder_and_stops_at_the_top():
    case = CaseState("in_progress", assignee="wang")
    system = Actor("system", "system")
    for level in range(1, LADDER + 1):
        case = apply(case, "escalate", system, ladder_top=LADDER).state
        assert (case.state, case.level, case.resume_state) == ("escalated", level, "in_progress")
    with pytest.raises(InvalidAction, match="top of its escalation ladder"):
        apply(case, "escalate", system, ladder_top=LADDER)
    resumed = apply(case, "resume", Actor("sun", "grid_supervisor")).state
    assert (resumed.state, resumed.assignee) == ("in_progress", "wang")


def test_an_unverified_escalated_case_must_be_verified_before_dispatch():
    case = apply(CaseState("reported"), "escalate", Actor("s", "system"), ladder_top=3).state
    with pytest.raises(InvalidAction, match="verified first"):
        apply(case, "dispatch", Actor("op", "operator"), assignee="wang")
    verified = apply(case, "verify", Actor("op", "operator")).state
    assert verified.state == "verified"
