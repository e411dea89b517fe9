"""User-visible words of the cases UI, translated in the "Cases" context."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = ["tr", "STATE_TEXT", "COLUMN_TEXT", "ACTION_TEXT", "SLA_TEXT", "SOURCE_TEXT"]


def tr(text: str) -> str:
    return QCoreApplication.translate("Cases", text)


STATE_TEXT = {
    "reported": QT_TRANSLATE_NOOP("Cases", "Reported"),
    "verified": QT_TRANSLATE_NOOP("Cases", "Verified"),
    "dispatched": QT_TRANSLATE_NOOP("Cases", "Dispatched"),
    "accepted": QT_TRANSLATE_NOOP("Cases", "Accepted"),
    "in_progress": QT_TRANSLATE_NOOP("Cases", "In progress"),
    "resolved": QT_TRANSLATE_NOOP("Cases", "Resolved"),
    "checked": QT_TRANSLATE_NOOP("Cases", "Checked"),
    "closed": QT_TRANSLATE_NOOP("Cases", "Closed"),
    "returned": QT_TRANSLATE_NOOP("Cases", "Returned"),
    "escalated": QT_TRANSLATE_NOOP("Cases", "Escalated"),
    "reopened": QT_TRANSLATE_NOOP("Cases", "Reopened"),
}
COLUMN_TEXT = {
    "reported": QT_TRANSLATE_NOOP("Cases", "To verify"),
    "to_dispatch": QT_TRANSLATE_NOOP("Cases", "To dispatch"),
    "dispatched": QT_TRANSLATE_NOOP("Cases", "Dispatched"),
    "in_progress": QT_TRANSLATE_NOOP("Cases", "In progress"),
    "resolved": QT_TRANSLATE_NOOP("Cases", "To check"),
    "checked": QT_TRANSLATE_NOOP("Cases", "To close"),
    "escalated": QT_TRANSLATE_NOOP("Cases", "Escalated"),
    "closed": QT_TRANSLATE_NOOP("Cases", "Closed today"),
}
ACTION_TEXT = {
    "verify": QT_TRANSLATE_NOOP("Cases", "Verify"),
    "dispatch": QT_TRANSLATE_NOOP("Cases", "Dispatch…"),
    "reassign": QT_TRANSLATE_NOOP("Cases", "Reassign…"),
    "accept": QT_TRANSLATE_NOOP("Cases", "Accept"),
    "return": QT_TRANSLATE_NOOP("Cases", "Return…"),
    "start": QT_TRANSLATE_NOOP("Cases", "Start work"),
    "resolve": QT_TRANSLATE_NOOP("Cases", "Resolved…"),
    "check": QT_TRANSLATE_NOOP("Cases", "Pass the check"),
    "fail_check": QT_TRANSLATE_NOOP("Cases", "Fail the check…"),
    "close": QT_TRANSLATE_NOOP("Cases", "Close…"),
    "reopen": QT_TRANSLATE_NOOP("Cases", "Reopen…"),
    "escalate": QT_TRANSLATE_NOOP("Cases", "Escalate…"),
    "resume": QT_TRANSLATE_NOOP("Cases", "Resume…"),
    "note": QT_TRANSLATE_NOOP("Cases", "Add a note…"),
    "feedback": QT_TRANSLATE_NOOP("Cases", "Record feedback…"),
}
SLA_TEXT = {
    "none": QT_TRANSLATE_NOOP("Cases", "no time limit"),
    "ok": QT_TRANSLATE_NOOP("Cases", "on time"),
    "due_soon": QT_TRANSLATE_NOOP("Cases", "due soon"),
    "overdue": QT_TRANSLATE_NOOP("Cases", "overdue"),
}
SOURCE_TEXT = {
    "resident": QT_TRANSLATE_NOOP("Cases", "Resident report"),
    "patrol": QT_TRANSLATE_NOOP("Cases", "Patrol finding"),
}
