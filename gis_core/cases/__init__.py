"""Events, dispatch and the closed loop (事件处置闭环): from a report or an alarm to a checked
closure, with the time limits, escalation and staff performance — no Qt.

One job per module:

- :mod:`~gis_core.cases.calendar` — working hours, weekends, holidays and 调休; deadline and
  elapsed-time arithmetic;
- :mod:`~gis_core.cases.catalogue` — categories, time limits per state, escalation ladders,
  departments, alarm rules, fusion settings (YAML shipped, the store's own copy);
- :mod:`~gis_core.cases.lifecycle` — the state machine: states, actions, roles;
- :mod:`~gis_core.cases.workflow` — cases in the store: act with row versions, read, time left;
- :mod:`~gis_core.cases.intake` — events in (reports, patrol findings), fusion, merge and split;
- :mod:`~gis_core.cases.alarm_cases` — alarms that open cases (an ingest ``on_alarm`` callback);
- :mod:`~gis_core.cases.imports` — another department's CSV/JSON: preview, then commit;
- :mod:`~gis_core.cases.escalation` — overdue cases up the ladder (the app's timer);
- :mod:`~gis_core.cases.performance` — figures per worker, department and cell from the step log;
- :mod:`~gis_core.cases.report` and :mod:`~gis_core.cases.pdf` — the monthly CSV / PDF report;
- :mod:`~gis_core.cases.board` — the dispatch board's cards and the map's case markers.
"""

from gis_core.cases.alarm_cases import AlarmCaseOpener, case_for_alarm
from gis_core.cases.board import BOARD_COLUMNS, CaseCard, CaseMarkers, board, case_markers
from gis_core.cases.calendar import RoundTheClock, WorkingCalendar
from gis_core.cases.catalogue import (
    Catalogue,
    Category,
    UnknownCategory,
    load_catalogue,
    save_catalogue,
)
from gis_core.cases.escalation import Escalation, escalate_overdue, overdue_cases
from gis_core.cases.imports import ImportPreview, ImportResult, commit_import, preview_import
from gis_core.cases.intake import (
    EventReport,
    Intake,
    confirm_merge,
    fusion_groups,
    report_event,
    split_event,
)
from gis_core.cases.lifecycle import (
    ACTIONS,
    OPEN_STATES,
    STATES,
    SYSTEM,
    Actor,
    CaseState,
    InvalidAction,
    PermissionDenied,
)
from gis_core.cases.performance import PerformanceTable, compute_performance
from gis_core.cases.report import MonthlyReport, monthly_report
from gis_core.cases.workflow import (
    CaseConflict,
    CaseNotFound,
    CaseRecord,
    StepRecord,
    act,
    case_steps,
    default_assignee,
    dispatch,
    get_case,
    linked_events,
    list_cases,
    sla_status,
    time_left,
)

__all__ = [
    "ACTIONS",
    "BOARD_COLUMNS",
    "OPEN_STATES",
    "STATES",
    "SYSTEM",
    "Actor",
    "AlarmCaseOpener",
    "CaseCard",
    "CaseConflict",
    "CaseMarkers",
    "CaseNotFound",
    "CaseRecord",
    "CaseState",
    "Catalogue",
    "Category",
    "Escalation",
    "EventReport",
    "ImportPreview",
    "ImportResult",
    "Intake",
    "InvalidAction",
    "MonthlyReport",
    "PerformanceTable",
    "PermissionDenied",
    "RoundTheClock",
    "StepRecord",
    "UnknownCategory",
    "WorkingCalendar",
    "act",
    "board",
    "case_for_alarm",
    "case_markers",
    "case_steps",
    "commit_import",
    "compute_performance",
    "confirm_merge",
    "default_assignee",
    "dispatch",
    "escalate_overdue",
    "fusion_groups",
    "get_case",
    "linked_events",
    "list_cases",
    "load_catalogue",
    "monthly_report",
    "overdue_cases",
    "preview_import",
    "report_event",
    "save_catalogue",
    "sla_status",
    "split_event",
    "time_left",
]
