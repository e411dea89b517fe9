"""The cases UI: dispatch board columns, cases on the map by state and time limit, actions with
row-version conflicts, reporting an event by clicking the map, the monthly report."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QColor

from gis_core.cases import Actor, EventReport, act, dispatch, get_case, report_event
from gis_core.store import Store
from tests.desktop.conftest import process_until
from tests.gis_core.cases.conftest import OPERATOR, add_cells, cell_centre

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def cases_window(qapp, chinese_ui, tmp_path_factory):
    from desktop.main_window import MainWindow

    path = tmp_path_factory.mktemp("cases-ui") / "store.sqlite"
    store = Store.init(path)
    add_cells(store)
    x, y = cell_centre(1)
    # An overdue case (reported two days ago), one to dispatch, one in a worker's hands.
    old = report_event(store, EventReport("garbage", x, y, "旧垃圾"), actor=OPERATOR,
                       at=NOW - dt.timedelta(days=7))  # fmt: skip
    x2, y2 = cell_centre(2)
    fresh = report_event(store, EventReport("dispute", x2, y2, "邻里纠纷"), actor=OPERATOR, at=NOW)
    act(store, fresh.case_id, "verify", actor=OPERATOR, at=NOW)
    x3, y3 = cell_centre(3)
    busy = report_event(store, EventReport("noise", x3, y3, "夜间施工"), actor=OPERATOR, at=NOW)
    act(store, busy.case_id, "verify", actor=OPERATOR, at=NOW)
    dispatch(store, busy.case_id, actor=OPERATOR, at=NOW)
    w = MainWindow()
    w.resize(1200, 800)
    w.show()
    w.cases.confirm_dialogs = False
    w.set_store(store, "cases")
    process_until(lambda: w.cases.catalogue is not None and w.cases.board.cards, 20_000)
    w.cases.ids = {"old": old.case_id, "fresh": fresh.case_id, "busy": busy.case_id}
    yield w
    w.cases.timer.stop()
    w.cases.escalation_timer.stop()
    w.close()
    store.close()


def refreshed(controller):
    done = []
    controller.refreshed.connect(lambda: done.append(1))
    controller.refresh()
    process_until(lambda: done, 20_000)


def test_the_board_shows_cases_by_state_with_their_time_limits(cases_window):
    c = cases_window.cases
    ids = c.ids
    assert c.board.column_of(ids["old"]) in ("reported", "escalated")
    assert c.board.column_of(ids["fresh"]) == "to_dispatch"
    assert c.board.column_of(ids["busy"]) == "dispatched"
    assert c.board.cards[ids["old"]].sla == "overdue"
    item = c.board.card_item(ids["old"])
    assert item.background().color() == QColor("#ffd6d6")
    assert "超时" in item.text() or "Overdue" in item.text()
    assert cases_window.findChild(object, "casesMenu") is not None


def test_cases_on_the_map_are_coloured_by_state_and_time_limit(cases_window):
    from desktop.cases.overlay import SLA_COLORS, STATE_COLORS

    c = cases_window.cases
    c.act_map.setChecked(True)
    x, y = cell_centre(2)
    view = cases_window.canvas.view
    from dataclasses import replace

    cases_window.canvas.set_view(replace(view, center_x=x, center_y=y, scale=0.5), settle_ms=0)
    refreshed(c)
    image = c.overlay.grab().toImage()
    px, py = cases_window.canvas.view.to_pixels(x, y)
    centre = image.pixelColor(int(round(float(px))), int(round(float(py))))
    assert centre.name() == QColor(STATE_COLORS["verified"]).name()
    ring = image.pixelColor(int(round(float(px))) + 8, int(round(float(py))))
    assert ring.name() == QColor(SLA_COLORS["ok"]).name()
    assert c.overlay.case_at(float(px) + 2, float(py)) == c.ids["fresh"]


def test_an_action_moves_the_card_and_a_stale_one_is_refused(cases_window):
    c = cases_window.cases
    case_id = c.ids["fresh"]
    version = c.board.cards[case_id].version
    failures = []
    c.actionFailed.connect(failures.append)
    c.request_action(case_id, version, "dispatch", values={"assignee": "li.na"})
    process_until(lambda: get_case(c.store, case_id).state == "dispatched", 20_000)
    refreshed(c)
    assert c.board.column_of(case_id) == "dispatched"
    # A second dispatcher still looking at the old version:
    c.request_action(case_id, version, "reassign", values={"department": "sanitation"})
    process_until(lambda: failures, 20_000)
    assert "changed meanwhile" in failures[-1]
    assert get_case(c.store, case_id).assignee == "li.na"


def test_a_grid_worker_sees_only_the_actions_they_may_take(cases_window):
    c = cases_window.cases
    card = c.board.cards[c.ids["busy"]]
    c.store.user = Actor(card.assignee, "grid_worker")
    try:
        assert c._actions_for(card) == ["accept", "return", "note"]
        c.store.user = Actor("someone.else", "grid_worker")
        assert c._actions_for(card) == ["note"]
    finally:
        c.store.user = None


def test_report_an_event_by_clicking_the_map(cases_window):
    c = cases_window.cases
    before = set(c.board.cards)
    x, y = cell_centre(5)
    c.report_at(x, y, {"category": "facility_damage", "source": "patrol",
                       "description": "井盖破损", "photos": ()})  # fmt: skip
    process_until(lambda: set(c.board.cards) - before, 20_000)
    [new] = set(c.board.cards) - before
    assert c.board.column_of(new) == "reported"
    assert get_case(c.store, new).grid_cell_id == 5


def test_the_monthly_report_is_written(cases_window, tmp_path):
    c = cases_window.cases
    out = tmp_path / "report.pdf"
    c.write_monthly_report(NOW.strftime("%Y-%m"), str(out))
    process_until(out.exists, 20_000)
    assert out.read_bytes().startswith(b"%PDF")
