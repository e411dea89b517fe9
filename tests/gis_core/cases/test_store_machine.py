"""The store follows the state machine: random actions through ``act`` on a real store leave
the case, its version and its step log exactly as the pure model says."""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gis_core.cases import (
    ACTIONS,
    Actor,
    Catalogue,
    EventReport,
    InvalidAction,
    PermissionDenied,
    act,
    case_steps,
    get_case,
    report_event,
)
from gis_core.cases.lifecycle import CaseState, allowed_actions, apply
from gis_core.store import Store

from .conftest import cell_centre, local

CATALOGUE = Catalogue.default()
TOP = CATALOGUE.ladder_top("garbage")
PEOPLE = [
    Actor("zhou.op", "operator"),
    Actor("sun.sup", "grid_supervisor"),
    Actor("wang.wei", "grid_worker"),
    Actor("li.na", "grid_worker"),
    Actor("system", "system"),
]
TEMPLATE: list[Path] = []


def _template() -> Path:
    if not TEMPLATE:
        from .conftest import add_cells

        folder = Path(tempfile.mkdtemp(prefix="zw-cases-machine-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "t.sqlite"
        with Store.init(path) as s:
            add_cells(s)
            with s.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        TEMPLATE.append(path)
    return TEMPLATE[0]


class StoreCaseMachine(RuleBasedStateMachine):
    @initialize()
    def open_store(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zw-cases-run-"))
        shutil.copyfile(_template(), self.dir / "s.sqlite")
        self.store = Store.open(self.dir / "s.sqlite")
        self.now = local(2026, 11, 2, 9)
        x, y = cell_centre(1)
        intake = report_event(
            self.store, EventReport("garbage", x, y), actor=PEOPLE[0], at=self.now,
            catalogue=CATALOGUE,
        )  # fmt: skip
        self.case_id = intake.case_id
        self.model = CaseState("reported")
        self.version = 1
        self.actions = ["report"]

    @rule(
        pick=st.integers(0, 1000),
        who=st.sampled_from(PEOPLE),
        assignee=st.sampled_from(["wang.wei", "li.na"]),
        minutes=st.integers(1, 600),
    )
    def take_an_action(self, pick, who, assignee, minutes):
        allowed = [a for a in allowed_actions(self.model, who, TOP) if ACTIONS[a].target]
        names = allowed or sorted(ACTIONS)
        action = names[pick % len(names)]
        self.now += dt.timedelta(minutes=minutes)
        kwargs = {"assignee": assignee} if ACTIONS[action].needs_assignee else {}
        note = "理由"
        try:
            expected = apply(self.model, action, who, note=note, ladder_top=TOP, **kwargs).state
        except (InvalidAction, PermissionDenied):
            expected = None
        try:
            act(self.store, self.case_id, action, actor=who, note=note, at=self.now,
                expected_version=self.version, catalogue=CATALOGUE, **kwargs)  # fmt: skip
        except (InvalidAction, PermissionDenied):
            assert expected is None, f"the store refused {action} that the model allows"
            return
        assert expected is not None, f"the store allowed {action} that the model refuses"
        self.model = expected
        self.version += 1
        self.actions.append(action)

    @invariant()
    def store_matches_model(self):
        case = get_case(self.store, self.case_id)
        assert (case.state, case.version) == (self.model.state, self.version)
        assert (case.assignee, case.escalation_level, case.resume_state) == (
            self.model.assignee,
            self.model.level,
            self.model.resume_state,
        )
        log = case_steps(self.store, self.case_id)
        assert [s.action for s in log] == self.actions
        assert [s.seq for s in log] == list(range(1, len(log) + 1))
        assert all(a.to_state == b.from_state for a, b in zip(log, log[1:]))
        assert (case.due_at is None) == (case.state == "closed")  # every garbage state is timed

    def teardown(self):
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)


StoreCaseMachine.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStoreCaseMachine = StoreCaseMachine.TestCase
