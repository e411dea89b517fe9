"""Live-monitoring settings: the MQTT broker, which community to follow, the operator's name,
the alarm sound, the cameras' settings file and whether to start with the store."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
)

from desktop.settings import app_settings
from sensor_adapters.camera import load_camera_configs
from sensor_adapters.mqtt import parse_broker_url

__all__ = ["LiveSettings", "LiveSettingsDialog", "DEFAULT_BROKER"]

DEFAULT_BROKER = "mqtt://127.0.0.1:1883"


@dataclass
class LiveSettings:
    broker_url: str = DEFAULT_BROKER
    community: str = ""  # "" follows every community of the store
    operator: str = ""  # "" uses the logged-in account or the system user
    sound: bool = True
    autostart: bool = False
    risk_layer: bool = False
    camera_config: str = ""  # YAML of per-camera settings (sensor_adapters.camera); "" none

    @classmethod
    def load(cls) -> LiveSettings:
        s = app_settings()

        def flag(key: str, default: bool) -> bool:
            value = s.value(f"live/{key}", default)
            return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

        return cls(
            broker_url=str(s.value("live/broker_url", DEFAULT_BROKER) or DEFAULT_BROKER),
            community=str(s.value("live/community", "") or ""),
            operator=str(s.value("live/operator", "") or ""),
            sound=flag("sound", True),
            autostart=flag("autostart", False),
            risk_layer=flag("risk_layer", False),
            camera_config=str(s.value("live/camera_config", "") or ""),
        )

    def save(self) -> None:
        s = app_settings()
        s.setValue("live/broker_url", self.broker_url)
        s.setValue("live/community", self.community)
        s.setValue("live/operator", self.operator)
        s.setValue("live/sound", self.sound)
        s.setValue("live/autostart", self.autostart)
        s.setValue("live/risk_layer", self.risk_layer)
        s.setValue("live/camera_config", self.camera_config)
        s.sync()


class LiveSettingsDialog(QDialog):
    def __init__(self, settings: LiveSettings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Live monitoring settings"))
        self.settings = settings
        form = QFormLayout(self)
        self.broker = QLineEdit(settings.broker_url)
        self.broker.setPlaceholderText(DEFAULT_BROKER)
        self.community = QLineEdit(settings.community)
        self.community.setPlaceholderText(self.tr("every community of the store"))
        self.operator = QLineEdit(settings.operator)
        self.operator.setPlaceholderText(self.tr("the logged-in user"))
        self.operator.setToolTip(
            self.tr(
                "Only for a store without user accounts: after a login, acknowledgements are "
                "recorded under the account's user name."
            )
        )
        self.sound = QCheckBox(self.tr("Sound on new alarms"))
        self.sound.setChecked(settings.sound)
        self.autostart = QCheckBox(self.tr("Start live monitoring when a store opens"))
        self.autostart.setChecked(settings.autostart)
        self.camera_config = QLineEdit(settings.camera_config)
        self.camera_config.setPlaceholderText(self.tr("none (motion only, no bin regions)"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(self.tr("MQTT broker"), self.broker)
        form.addRow(self.tr("Community code"), self.community)
        form.addRow(self.tr("Operator"), self.operator)
        form.addRow(self.tr("Camera settings file"), self.camera_config)
        form.addRow(self.sound)
        form.addRow(self.autostart)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        url = self.broker.text().strip() or DEFAULT_BROKER
        try:
            parse_broker_url(url)
        except ValueError as exc:
            self.error.setText(self.tr("Not a broker URL: {0}").format(exc))
            return
        cameras = self.camera_config.text().strip()
        if cameras:
            try:
                load_camera_configs(cameras)
            except (OSError, ValueError) as exc:
                self.error.setText(self.tr("Cannot read the camera settings: {0}").format(exc))
                return
        s = self.settings
        s.broker_url = url
        s.community = self.community.text().strip()
        s.operator = self.operator.text().strip()
        s.sound = self.sound.isChecked()
        s.autostart = self.autostart.isChecked()
        s.camera_config = cameras
        s.save()
        super().accept()
