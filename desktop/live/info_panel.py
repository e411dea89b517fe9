"""The live part of the identify panel: a sensor's current value and state, a camera's last
thumbnail, a grid cell's risk explained — with buttons to the history chart and the live view."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

__all__ = ["LiveInfoPanel"]


class LiveInfoPanel(QGroupBox):
    """``historyRequested()`` / ``liveViewRequested()`` for what is shown."""

    historyRequested = Signal()
    liveViewRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("liveInfo")
        self.setTitle(self.tr("Live"))
        self.heading = QLabel()
        self.heading.setObjectName("liveInfoHeading")
        self.heading.setWordWrap(True)
        self.thumbnail = QLabel()
        self.thumbnail.setObjectName("liveThumbnail")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.hide()
        self.body = QLabel()
        self.body.setObjectName("liveInfoBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.history_button = QPushButton(self.tr("History…"))
        self.history_button.clicked.connect(self.historyRequested)
        self.view_button = QPushButton(self.tr("Live view…"))
        self.view_button.clicked.connect(self.liveViewRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.view_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.thumbnail)
        layout.addWidget(self.body)
        layout.addLayout(buttons)
        self.lines: list[str] = []
        self.subject: tuple | None = None  # ("sensor", slot) / ("camera", id) / ("cell", id)
        self.clear()

    def clear(self) -> None:
        self.subject = None
        self.lines = []
        self.heading.clear()
        self.body.clear()
        self.thumbnail.clear()
        self.thumbnail.hide()
        self.history_button.hide()
        self.view_button.hide()
        self.hide()

    def show_lines(
        self,
        subject: tuple,
        heading: str,
        lines: list[str],
        history: bool = False,
        live_view: bool = False,
    ) -> None:
        self.subject = subject
        self.lines = list(lines)
        self.heading.setText(f"<b>{heading}</b>")
        self.body.setText("<br>".join(self.lines))
        self.history_button.setVisible(history)
        self.view_button.setVisible(live_view)
        if subject[0] != "camera":
            self.thumbnail.clear()
            self.thumbnail.hide()
        self.show()

    def set_thumbnail(self, image: QImage | None) -> None:
        if image is None or image.isNull():
            self.thumbnail.setText(self.tr("No picture yet"))
        else:
            self.thumbnail.setPixmap(QPixmap.fromImage(image))
        self.thumbnail.show()
