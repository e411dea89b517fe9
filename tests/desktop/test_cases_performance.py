"""The performance dialog: a small known month of cases shown as bars and a table whose figures
are the step log's (gis_core.cases.monthly_report), exported as CSV."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from gis_core.cases import EventReport, act, dispatch, monthly_report, report_event
from gis_core.store import Store
from tests.desktop.conftest import process_until
from tests.gis_core.cases.conftest import (
    OPERATOR,
    SUPERVISOR,
    add_cells,
    cell_centre,
    local,
    worker,
)

MONTH = "2026-10"


def _oct(day, hh, mm=0):
    return local(2026, 10, day, hh, mm)


def _known_month(store) -> None:
    """Two garbage cases in October: wang.wei's closed on first check (satisfaction 5); li.na's
    fails its first check, is resolved again and closed (satisfaction 3)."""
    for cell, day, fail, sat in ((1, 13, False, 5), (2, 14, True, 3)):
        x, y = cell_centre(cell)
        me = worker(cell)
        c = report_event(store, EventReport("garbage", x, y, "垃圾"), actor=OPERATOR,
                         at=_oct(day, 9))  # fmt: skip
        act(store, c.case_id, "verify", actor=OPERATOR, at=_oct(day, 9, 30))
        dispatch(store, c.case_id, actor=OPERATOR, at=_oct(day, 10))
        act(store, c.case_id, "accept", actor=me, at=_oct(day, 10, 30))
        act(store, c.case_id, "start", actor=me, at=_oct(day, 11))
        act(store, c.case_id, "resolve", actor=me, at=_oct(day, 14))
        if fail:
            act(store, c.case_id, "fail_check", actor=SUPERVISOR, note="未清理干净",
                at=_oct(day, 14, 30))  # fmt: skip
            act(store, c.case_id, "resolve", actor=me, at=_oct(day, 15))
        act(store, c.case_id, "check", actor=SUPERVISOR, at=_oct(day, 15, 30))
        act(store, c.case_id, "close", actor=OPERATOR, satisfaction=sat, at=_oct(day, 16))


@pytest.fixture(scope="module")
def perf_window(qapp, chinese_ui, tmp_path_factory):
    from desktop.main_window import MainWindow

    store = Store.init(tmp_path_factory.mktemp("cases-perf") / "store.sqlite")
    add_cells(store)
    _known_month(store)
    w = MainWindow()
    w.resize(1000, 700)
    w.cases.confirm_dialogs = False
    w.set_store(store, "cases")
    process_until(lambda: w.cases.catalogue is not None, 20_000)
    yield w
    w.cases.timer.stop()
    w.cases.escalation_timer.stop()
    if w.cases.performance is not None:
        w.cases.performance.close()
    w.close()
    store.close()


def _shown(dialog, month: str) -> None:
    dialog.month.setText(month)
    dialog.report = None
    dialog.reload()
    process_until(lambda: dialog.report is not None and dialog.report.month == month, 20_000)


def test_the_bars_are_the_step_logs_figures(perf_window):
    from desktop.cases.performance import METRICS

    c = perf_window.cases
    assert c.act_performance in c.menu.actions()
    assert "绩效" in c.act_performance.text()  # translated
    dialog = c.show_performance()
    _shown(dialog, MONTH)
    expected = monthly_report(c.store, MONTH, c.catalogue).table
    for group in ("worker", "department", "cell"):
        dialog.group.setCurrentIndex(dialog.group.findData(group))
        rows = expected.rows(group)
        assert [r.key for r in dialog.rows()] == [r.key for r in rows]
        for attr, _title, scale in METRICS:
            bar = dialog.bars[attr]
            want = np.array([getattr(r, attr) for r in rows if getattr(r, attr) is not None])
            assert np.allclose(np.asarray(bar.opts["height"], float), want * scale), (group, attr)

    # The figures a supervisor would work out by hand from the two cases:
    dialog.group.setCurrentIndex(dialog.group.findData("worker"))
    keys = [r.key for r in dialog.rows()]
    assert keys == ["li.na", "wang.wei"] or sorted(keys) == ["li.na", "wang.wei"]
    by_key = {r.key: i for i, r in enumerate(dialog.rows())}
    handled = dialog.bars["cases_handled"].opts["height"]
    first = dialog.bars["first_check_share"].opts["height"]
    sat = dialog.bars["satisfaction"].opts["height"]
    assert handled[by_key["wang.wei"]] == 1 and handled[by_key["li.na"]] == 1
    assert first[by_key["wang.wei"]] == 100 and first[by_key["li.na"]] == 0
    assert sat[by_key["wang.wei"]] == 5 and sat[by_key["li.na"]] == 3
    assert dialog.table.rowCount() == 2
    row = by_key["wang.wei"]
    assert dialog.table.item(row, 1).text() == "1"  # cases handled
    assert dialog.table.item(row, 6).text() == "5.0"  # satisfaction


def test_an_empty_month_draws_no_bars_and_the_report_is_exported(perf_window, tmp_path):
    c = perf_window.cases
    dialog = c.show_performance()
    _shown(dialog, "2026-09")
    assert dialog.rows() == []
    assert len(dialog.bars["cases_handled"].opts["height"]) == 0
    _shown(dialog, MONTH)
    out = tmp_path / "perf.csv"
    dialog.export(MONTH, str(out))
    process_until(out.exists, 20_000)
    process_until(lambda: out.stat().st_size > 0, 5_000)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    wang = next(r for r in rows if r["group"] == "worker" and r["key"] == "wang.wei")
    assert wang["cases_handled"] == "1" and float(wang["satisfaction"]) == 5
