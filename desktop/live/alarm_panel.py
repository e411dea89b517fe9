"""The alarm panel: open alarms (most severe and newest first), acknowledge with a note, clear,
zoom to the device, its history; a sound on new alarms.

The panel only shows and asks: acknowledging and clearing go through the live monitor to the
ingest pipeline (gis_core.alarms), which stores them with who and when.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.live.texts import local_time, rule_name, severity_name
from gis_core.alarms import AlarmRecord
from gis_core.live import Severity

__all__ = ["AlarmPanel", "NoteDialog", "AlarmSound", "SEVERITY_COLORS"]

SOUND_FILE = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "alarm.wav"
SEVERITY_COLORS = {
    Severity.INFO: QColor("#e3f2fd"),
    Severity.MINOR: QColor("#fff8e1"),
    Severity.MAJOR: QColor("#ffe0b2"),
    Severity.CRITICAL: QColor("#ffcdd2"),
}
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class AlarmSound:
    """Plays resources/sounds/alarm.wav with QSoundEffect, or beeps where Qt Multimedia is missing."""

    def __init__(self) -> None:
        self._effect = None
        self._tried = False
        self.played = 0

    def play(self) -> None:
        self.played += 1
        if not self._tried:
            self._tried = True
            try:
                from PySide6.QtMultimedia import QSoundEffect

                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(SOUND_FILE)))
                effect.setVolume(0.8)
                self._effect = effect
            except Exception:  # no Qt Multimedia (or no audio backend): the system beep
                self._effect = None
        if self._effect is not None and self._effect.status() != self._effect.Status.Error:
            self._effect.play()
        else:
            QApplication.beep()


class NoteDialog(QDialog):
    """Asks for a note before acknowledging or clearing an alarm; says who will be recorded."""

    def __init__(self, title: str, prompt: str, who: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("alarmNoteDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was done, who was sent, or why it is false…"))
        self.note.setMinimumHeight(80)
        layout.addWidget(self.note)
        layout.addWidget(QLabel(self.tr("Recorded as {0}, now.").format(who)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons

    def text(self) -> str:
        return self.note.toPlainText().strip()


class AlarmPanel(QWidget):
    """Signals carry the alarm's record: ``acknowledgeRequested(record, note)``,
    ``clearRequested(record, note)``, ``zoomRequested(record)``, ``historyRequested(record)``."""

    acknowledgeRequested = Signal(object, str)
    clearRequested = Signal(object, str)
    zoomRequested = Signal(object)
    historyRequested = Signal(object)
    soundToggled = Signal(bool)

    COLUMNS = ("severity", "device", "cell", "raised", "state", "rule", "note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmPanel")
        self.records: list[AlarmRecord] = []
        self.device_names: dict = {}  # ("sensor"|"camera", id) -> label
        self.cell_codes: dict[int, str] = {}
        self.who = ""
        self.refused: str | None = None  # why the account may not acknowledge (desktop.access)
        self.summary = QLabel(self.tr("No open alarms"))
        self.summary.setObjectName("alarmSummary")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("alarmTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Severity"),
                self.tr("Device"),
                self.tr("Grid cell"),
                self.tr("Raised at"),
                self.tr("State"),
                self.tr("Alarm"),
                self.tr("Note"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._emit(self.zoomRequested, row))
        self.table.cellClicked.connect(lambda row, _c: self._emit(self.zoomRequested, row))
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.ack_button = QPushButton(self.tr("Acknowledge…"))
        self.ack_button.setObjectName("ackButton")
        self.clear_button = QPushButton(self.tr("Clear…"))
        self.clear_button.setObjectName("clearButton")
        self.history_button = QPushButton(self.tr("History"))
        self.zoom_button = QPushButton(self.tr("Zoom to"))
        self.sound = QCheckBox(self.tr("Sound"))
        self.sound.setChecked(True)
        self.sound.toggled.connect(self.soundToggled)
        self.ack_button.clicked.connect(self.ask_acknowledge)
        self.clear_button.clicked.connect(self.ask_clear)
        self.history_button.clicked.connect(
            lambda: self._emit(self.historyRequested, self.table.currentRow())
        )
        self.zoom_button.clicked.connect(
            lambda: self._emit(self.zoomRequested, self.table.currentRow())
        )
        buttons = QHBoxLayout()
        for b in (self.ack_button, self.clear_button, self.history_button, self.zoom_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.sound)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._dialog: NoteDialog | None = None
        self._update_buttons()

    # ------------------------------------------------------------------ content
    def device_label(self, record: AlarmRecord) -> str:
        if record.sensor_id is not None:
            name = self.device_names.get(("sensor", record.sensor_id))
            return name or record.sensor_code or f"#{record.sensor_id}"
        if record.camera_id is not None:
            return self.device_names.get(("camera", record.camera_id)) or f"#{record.camera_id}"
        return ""

    def set_alarms(self, records: list[AlarmRecord]) -> None:
        """Show ``records`` (open alarms: active or not yet acknowledged); keeps the selection."""
        current = self.current()
        keep = current.key if current is not None else None
        self.records = list(records)
        t = self.table
        t.setRowCount(len(self.records))
        select = -1
        for row, r in enumerate(self.records):
            if r.key == keep:
                select = row
            if r.active and r.acknowledged:
                state = self.tr("acknowledged by {0}").format(r.acknowledged_by)
            elif r.active:
                state = self.tr("active")
            else:
                state = self.tr("cleared, not acknowledged")
            cells = (
                severity_name(r.severity),
                self.device_label(r),
                self.cell_codes.get(r.grid_cell_id, "") if r.grid_cell_id is not None else "",
                local_time(r.raised_at, with_date=True),
                state,
                rule_name(r.rule) + (f" ({r.value:g})" if r.value is not None else ""),
                r.note or "",
            )
            brush = QBrush(SEVERITY_COLORS[Severity.parse(r.severity)])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, r.key)
                if r.active and not r.acknowledged:
                    item.setBackground(brush)
                    if col == 0:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                t.setItem(row, col, item)
        if select >= 0:
            t.selectRow(select)
        active = sum(1 for r in self.records if r.active)
        unacked = sum(1 for r in self.records if not r.acknowledged)
        self.summary.setText(
            self.tr("{0} active alarms, {1} not acknowledged").format(active, unacked)
            if self.records
            else self.tr("No open alarms")
        )
        self._update_buttons()

    def current(self) -> AlarmRecord | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.records) and self.table.selectionModel().hasSelection():
            return self.records[row]
        return None

    def select_key(self, key: int) -> bool:
        for row, r in enumerate(self.records):
            if r.key == key:
                self.table.selectRow(row)
                return True
        return False

    def row_texts(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and copying)."""
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
        ]

    # ------------------------------------------------------------------ actions
    def _emit(self, signal, row: int) -> None:
        if 0 <= row < len(self.records):
            signal.emit(self.records[row])

    def set_refusal(self, why: str | None) -> None:
        """``why`` the logged-in account may not acknowledge or clear alarms (None: it may): the
        two buttons stay disabled and their tooltip says which permission is missing."""
        self.refused = why
        self.ack_button.setToolTip(why or "")
        self.clear_button.setToolTip(why or "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        r = self.current()
        allowed = self.refused is None
        self.ack_button.setEnabled(allowed and r is not None and not r.acknowledged)
        self.clear_button.setEnabled(allowed and r is not None and r.active)
        self.history_button.setEnabled(r is not None and r.sensor_id is not None)
        self.zoom_button.setEnabled(r is not None)

    def _ask(self, title: str, prompt: str, signal) -> NoteDialog | None:
        record = self.current()
        if record is None or self.refused is not None:
            return None
        dialog = NoteDialog(title, prompt, self.who, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: signal.emit(record, dialog.text()))
        dialog.open()
        self._dialog = dialog
        return dialog

    def ask_acknowledge(self) -> NoteDialog | None:
        record = self.current()
        if record is None:
            return None
        return self._ask(
            self.tr("Acknowledge alarm"),
            self.tr("Acknowledge “{0}” at {1}:").format(
                rule_name(record.rule), self.device_label(record)
            ),
            self.acknowledgeRequested,
        )

    def ask_clear(self) -> NoteDialog | None:
        record = self.current()
        if record is None:
            return None
        return self._ask(
            self.tr("Clear alarm"),
            self.tr("Clear “{0}” at {1} by hand (a false alarm, a handled incident):").format(
                rule_name(record.rule), self.device_label(record)
            ),
            self.clearRequested,
        )
