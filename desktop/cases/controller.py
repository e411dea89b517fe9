"""The window's cases: the Cases menu, the dispatch board dock, cases on the map, the "report
an event" map tool, and the timers that refresh the board and escalate overdue cases.

Every store access runs on the controller's :class:`~desktop.tasks.TaskRunner`; the board and
the overlay are filled from one read (``gis_core.cases.board``). ``install_cases(window)`` makes
one and hangs it on ``window.cases``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog, QMessageBox

from desktop.cases.board import DispatchBoard
from desktop.cases.dialogs import ActionDialog, ReportEventDialog
from desktop.cases.overlay import CaseOverlay
from desktop.cases.performance import PerformanceDialog
from desktop.cases.texts import STATE_TEXT, tr
from desktop.tasks import TaskRunner
from gis_core.cases import (
    CaseConflict,
    EventReport,
    InvalidAction,
    PermissionDenied,
    act,
    board,
    case_markers,
    case_steps,
    default_assignee,
    escalate_overdue,
    get_case,
    linked_events,
    load_catalogue,
    monthly_report,
    report_event,
)
from gis_core.cases.lifecycle import ACTIONS, CaseState, allowed_actions
from gis_core.cases.workflow import resolve_actor
from gis_core.store import StoreError

__all__ = ["CasesController", "install_cases", "REFRESH_MS", "ESCALATE_MS"]

log = logging.getLogger(__name__)

REFRESH_MS = 30_000
ESCALATE_MS = 60_000
CLICK_PX = 4


def install_cases(window) -> CasesController:
    """Add the Cases menu, the dispatch board and the case overlay to ``window``."""
    controller = CasesController(window)
    window.cases = controller
    return controller


class CasesController(QObject):
    """Signals: ``refreshed()`` after the board and the map show the store's cases,
    ``actionFailed(str)`` with the message shown to the user."""

    refreshed = Signal()
    actionFailed = Signal(str)

    def __init__(self, window, refresh_ms: int = REFRESH_MS, escalate_ms: int = ESCALATE_MS):
        super().__init__(window)
        self.setObjectName("casesController")
        self.window = window
        self.canvas = window.canvas
        self.runner = TaskRunner(self, max_threads=1)  # one writer: actions land in order
        self.store = None
        self.catalogue = None
        self.last_error: str | None = None
        self.confirm_dialogs = True  # tests answer dialogs themselves
        self._press: QPointF | None = None
        self.reporting = False
        self.performance: PerformanceDialog | None = None

        self.board = DispatchBoard()
        self.board.actions_for = self._actions_for
        self.board.caseSelected.connect(self._on_case_selected)
        self.board.zoomRequested.connect(self.zoom_to_case)
        self.board.actionRequested.connect(self.request_action)
        self.dock = QDockWidget(QCoreApplication.translate("Cases", "Dispatch board"), window)
        self.dock.setObjectName("dispatchBoardDock")
        self.dock.setWidget(self.board)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.overlay = CaseOverlay(window.canvas)
        self.overlay.hide()
        self._build_actions()

        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self.escalation_timer = QTimer(self)
        self.escalation_timer.setInterval(escalate_ms)
        self.escalation_timer.timeout.connect(self.escalate_now)
        changed = getattr(window, "storeChanged", None)
        if changed is not None:
            changed.connect(self.set_store)
        else:  # a window without that signal is polled
            self._store_timer = QTimer(self)
            self._store_timer.setInterval(1000)
            self._store_timer.timeout.connect(self._check_store)
            self._store_timer.start()
        window.canvas.installEventFilter(self)

    # ------------------------------------------------------------------ UI construction
    def _build_actions(self) -> None:
        w = self.window
        self.act_board = self.dock.toggleViewAction()
        self.act_board.setText(QCoreApplication.translate("Cases", "&Dispatch board"))
        self.act_board.setShortcut("Ctrl+Shift+D")
        self.act_map = QAction(QCoreApplication.translate("Cases", "Cases on the &map"), w)
        self.act_map.setObjectName("actCasesOnMap")
        self.act_map.setCheckable(True)
        self.act_map.setToolTip(
            QCoreApplication.translate(
                "Cases", "Show open cases on the map, coloured by state and time limit"
            )
        )
        self.act_map.toggled.connect(self.set_overlay_visible)
        self.act_report = QAction(
            QCoreApplication.translate("Cases", "&Report an event on the map"), w
        )
        self.act_report.setObjectName("actReportEvent")
        self.act_report.setCheckable(True)
        self.act_report.setToolTip(
            QCoreApplication.translate("Cases", "Click a place on the map to report an event there")
        )
        self.act_report.toggled.connect(self.set_reporting)
        self.act_escalate = QAction(
            QCoreApplication.translate("Cases", "&Escalate overdue cases now"), w
        )
        self.act_escalate.triggered.connect(self.escalate_now)
        self.act_monthly = QAction(
            QCoreApplication.translate("Cases", "Monthly &performance report…"), w
        )
        self.act_monthly.triggered.connect(self.monthly_report_dialog)
        self.act_performance = QAction(
            QCoreApplication.translate("Cases", "Staff and department perf&ormance…"), w
        )
        self.act_performance.setObjectName("actCasePerformance")
        self.act_performance.triggered.connect(self.show_performance)
        self.act_refresh = QAction(QCoreApplication.translate("Cases", "Re&fresh cases"), w)
        self.act_refresh.setShortcut("F6")
        self.act_refresh.triggered.connect(self.refresh)
        bar = w.menuBar()
        self.menu = bar.addMenu(QCoreApplication.translate("Cases", "&Cases"))
        self.menu.setObjectName("casesMenu")
        for item in (
            self.act_report, self.act_board, self.act_map, None, self.act_refresh,
            self.act_escalate, None, self.act_performance, self.act_monthly,
        ):  # fmt: skip
            self.menu.addSeparator() if item is None else self.menu.addAction(item)
        actions = bar.actions()
        if len(actions) >= 2:  # keep Help last
            bar.removeAction(self.menu.menuAction())
            bar.insertMenu(actions[-2], self.menu)

    # ------------------------------------------------------------------ store
    def _check_store(self) -> None:
        if self.window.store is not self.store:
            self.set_store(self.window.store)

    def set_store(self, store) -> None:
        self.store = store
        self.catalogue = None
        if store is None:
            self.timer.stop()
            self.escalation_timer.stop()
            return
        self.runner.submit(
            lambda: load_catalogue(store), self._on_catalogue, self._failed, tag="catalogue"
        )

    def _on_catalogue(self, catalogue) -> None:
        self.catalogue = catalogue
        self.timer.start()
        if self._may_escalate():
            self.escalation_timer.start()
        self.refresh()

    def actor(self):
        """The account acting: the store session's user, else the local single user."""
        return resolve_actor(self.store)

    def _may_escalate(self) -> bool:
        try:
            return self.actor().role in ("administrator", "operator", "grid_supervisor")
        except (PermissionDenied, StoreError):
            return False

    # ------------------------------------------------------------------ refreshing
    def refresh(self) -> None:
        store, catalogue = self.store, self.catalogue
        if store is None or catalogue is None:
            return
        now = dt.datetime.now(dt.UTC)

        def read():
            return board(store, now, catalogue), case_markers(store, now, catalogue)

        self.runner.submit(read, self._on_refreshed, self._failed, tag="refresh")

    def _on_refreshed(self, result) -> None:
        columns, markers = result
        self.board.set_cards(columns)
        self.overlay.set_markers(markers)
        self.refreshed.emit()

    def escalate_now(self) -> None:
        store, catalogue = self.store, self.catalogue
        if store is None or catalogue is None:
            return
        self.runner.submit(
            lambda: escalate_overdue(store, catalogue=catalogue),
            self._on_escalated,
            self._failed,
            tag="escalate",
        )

    def _on_escalated(self, done) -> None:
        if done:
            self.window.statusBar().showMessage(
                QCoreApplication.translate("Cases", "{0} overdue case(s) escalated").format(
                    len(done)
                ),
                8000,
            )
        self.refresh()

    # ------------------------------------------------------------------ overlay and tool
    def set_overlay_visible(self, on: bool) -> None:
        self.overlay.setVisible(on)
        if on:
            self.overlay.raise_()
            self.refresh()

    def set_reporting(self, on: bool) -> None:
        self.reporting = on
        if on:
            self.canvas.setCursor(Qt.CursorShape.CrossCursor)
            self.window.statusBar().showMessage(
                QCoreApplication.translate("Cases", "Click where the event is (Esc: cancel)")
            )
        else:
            self.canvas.unsetCursor()
            self.window.statusBar().clearMessage()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is not self.canvas:
            return False
        t = event.type()
        if t == QEvent.Type.KeyPress and self.reporting and event.key() == Qt.Key.Key_Escape:
            self.act_report.setChecked(False)
            return True
        if t == QEvent.Type.MouseButtonPress:
            ev: QMouseEvent = event  # type: ignore[assignment]
            if ev.button() == Qt.MouseButton.LeftButton:
                self._press = QPointF(ev.position())
            return False
        if t == QEvent.Type.MouseButtonRelease and self._press is not None:
            ev = event  # type: ignore[assignment]
            press, self._press = self._press, None
            pos = ev.position()
            if (pos - press).manhattanLength() > CLICK_PX:
                return False  # a pan
            if self.reporting:
                x, y = self.canvas.view.to_map(pos.x(), pos.y())
                self.act_report.setChecked(False)
                self.report_at(float(x), float(y))
                return True
            if self.overlay.isVisible():
                case_id = self.overlay.case_at(pos.x(), pos.y())
                if case_id is not None:
                    self.dock.show()
                    self.board.select_case(case_id)
        return False

    def report_at(self, x: float, y: float, values: dict | None = None) -> None:
        """Report an event at map point (x, y); ``values`` skips the dialog (tests, scripts)."""
        if self.store is None or self.catalogue is None:
            return
        if values is None:
            dialog = ReportEventDialog(self.catalogue, f"{x:.1f}, {y:.1f}", self.window)
            if dialog.exec() != ReportEventDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        store, catalogue, actor = self.store, self.catalogue, self._actor_or_none()
        if actor is None:
            return
        report = EventReport(x=x, y=y, **values)
        self.runner.submit(
            lambda: report_event(store, report, actor=actor, catalogue=catalogue),
            self._on_reported,
            self._failed,
        )

    def _on_reported(self, intake) -> None:
        if intake.proposed:
            msg = QCoreApplication.translate(
                "Cases", "Event {0} recorded; proposed for case {1} ({2:.0f} m away)"
            ).format(intake.event_id, intake.case_id, intake.distance_m or 0.0)
        else:
            msg = QCoreApplication.translate("Cases", "Event {0} recorded; case {1} opened").format(
                intake.event_id, intake.case_id
            )
        self.window.statusBar().showMessage(msg, 10_000)
        self.dock.show()
        self.refresh()

    # ------------------------------------------------------------------ acting
    def _actor_or_none(self):
        try:
            return self.actor()
        except (PermissionDenied, StoreError) as exc:
            self._show_error(str(exc))
            return None

    def _actions_for(self, card) -> list[str]:
        if self.catalogue is None or self.store is None:
            return []
        try:
            actor = self.actor()
        except (PermissionDenied, StoreError):
            return []
        state = CaseState(card.state, card.assignee, None, card.level, card.resume_state)
        names = allowed_actions(state, actor, self.catalogue.ladder_top(card.category))
        return [n for n in names if n not in ("propose_merge", "merge", "split")]

    def request_action(self, case_id: int, version: int, action: str, values: dict | None = None):
        """Take ``action`` on a case shown at ``version``; asks what the action needs unless
        ``values`` are given. A conflict (someone acted first) is shown and the board reloads."""
        if self.store is None or self.catalogue is None:
            return
        spec = ACTIONS.get(action)
        if values is None:
            needs_dialog = spec is None or spec.needs_assignee or spec.needs_note or action in (
                "close", "feedback", "note", "resolve", "resume", "escalate",
            )  # fmt: skip
            values = {}
            if needs_dialog:
                card = self.board.cards.get(case_id)
                default = None
                if spec is not None and spec.needs_assignee and card is not None:
                    default = default_assignee(self.store, card.grid_cell_id)
                dialog = ActionDialog(action, self.catalogue, default, [], self.window)
                if dialog.exec() != ActionDialog.DialogCode.Accepted:
                    return
                values = dialog.values()
        actor = self._actor_or_none()
        if actor is None:
            return
        store, catalogue = self.store, self.catalogue
        self.runner.submit(
            lambda: act(
                store,
                case_id,
                action,
                actor=actor,
                expected_version=version,
                catalogue=catalogue,
                **values,
            ),  # fmt: skip
            lambda case: self._on_acted(case, action),
            self._failed,
        )

    def _on_acted(self, case, action: str) -> None:
        self.window.statusBar().showMessage(
            QCoreApplication.translate("Cases", "Case {0}: {1}").format(
                case.id, tr(STATE_TEXT[case.state])
            ),
            8000,
        )
        self.refresh()
        self._on_case_selected(case.id)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CaseConflict):
            message = QCoreApplication.translate(
                "Cases", "Someone else changed this case meanwhile; nothing was written.\n{0}"
            )
            self._show_error(message.format(exc))
            self.refresh()
            return
        if isinstance(exc, InvalidAction | PermissionDenied | StoreError | ValueError):
            self._show_error(str(exc))
            return
        log.error("cases: %s", exc, exc_info=exc)
        self._show_error(f"{type(exc).__name__}: {exc}")

    def _show_error(self, message: str) -> None:
        self.last_error = message
        self.actionFailed.emit(message)
        if self.confirm_dialogs:
            QMessageBox.warning(self.window, QCoreApplication.translate("Cases", "Cases"), message)

    # ------------------------------------------------------------------ details and zoom
    def _on_case_selected(self, case_id: int) -> None:
        self.overlay.selected = case_id
        self.overlay.update()
        store = self.store
        if store is None:
            return
        self.runner.submit(
            lambda: (
                get_case(store, case_id),
                case_steps(store, case_id),
                linked_events(store, case_id),
            ),  # fmt: skip
            self._show_detail,
            self._failed,
            tag="detail",
        )

    def _show_detail(self, result) -> None:
        case, steps, events = result
        tz = self.catalogue.calendar.tz if self.catalogue else dt.UTC
        lines = [f"#{case.id} {case.title or ''} — {tr(STATE_TEXT[case.state])} (v{case.version})"]
        event_word = QCoreApplication.translate("Cases", "Event")
        for e in events:
            lines.append(
                f"  {event_word} {e['id']} [{e['link']}] {e['source']} "
                f"{e['reported_at'].astimezone(tz):%m-%d %H:%M} {e['description'] or ''}"
            )
        for s in steps:
            who = f"{s.actor} ({s.role})"
            to = tr(STATE_TEXT.get(s.to_state, s.to_state))
            extra = (
                f" → {s.assignee or s.department}" if s.action in ("dispatch", "reassign") else ""
            )
            note = f" — {s.note}" if s.note else ""
            lines.append(
                f"{s.seq:>3} {s.at.astimezone(tz):%m-%d %H:%M} {s.action} → {to}{extra} · {who}{note}"
            )
        self.board.detail.setPlainText("\n".join(lines))

    def zoom_to_case(self, case_id: int) -> None:
        markers = self.overlay.markers
        if markers is None:
            return
        hit = (markers.ids == case_id).nonzero()[0]
        if not len(hit):
            return
        x, y = float(markers.x[hit[0]]), float(markers.y[hit[0]])
        self.canvas.set_view(replace(self.canvas.view, center_x=x, center_y=y))
        if not self.overlay.isVisible():
            self.act_map.setChecked(True)

    # ------------------------------------------------------------------ report
    def monthly_report_dialog(self) -> None:
        if self.store is None:
            return
        last = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        month, ok = QInputDialog.getText(
            self.window,
            QCoreApplication.translate("Cases", "Monthly performance report"),
            QCoreApplication.translate("Cases", "Month (YYYY-MM):"),
            text=last,
        )
        if not ok or not month.strip():
            return
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            QCoreApplication.translate("Cases", "Save the report"),
            f"report-{month.strip()}.pdf",
            QCoreApplication.translate("Cases", "PDF (*.pdf);;CSV for Excel (*.csv)"),
        )
        if path:
            self.write_monthly_report(month.strip(), path)

    def show_performance(self) -> PerformanceDialog:
        """The performance dialog (one per window), showing the month in its month field."""
        if self.performance is None:
            self.performance = PerformanceDialog(
                self.window, self.load_performance, self.write_monthly_report
            )
        self.performance.show()
        self.performance.raise_()
        self.load_performance(self.performance.month.text().strip())
        return self.performance

    def load_performance(self, month: str) -> None:
        store, catalogue, dialog = self.store, self.catalogue, self.performance
        if store is None or dialog is None:
            return

        def fail(exc: BaseException) -> None:
            dialog.show_error(str(exc))
            self._failed(exc)

        self.runner.submit(
            lambda: monthly_report(store, month, catalogue),
            dialog.show_report,
            fail,
            tag="performance",
        )

    def write_monthly_report(self, month: str, path: str) -> None:
        store, catalogue = self.store, self.catalogue

        def write():
            return str(monthly_report(store, month, catalogue).write(path))

        self.runner.submit(
            write,
            lambda p: self.window.statusBar().showMessage(
                QCoreApplication.translate("Cases", "Report written: {0}").format(p), 10_000
            ),
            self._failed,
        )
