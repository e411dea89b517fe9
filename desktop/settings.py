"""Where the window keeps its settings: QSettings, in ``$ZHIWANG_HOME/settings.ini`` when set.

Never a password: PostGIS passwords go to the OS keyring (see :mod:`desktop.credentials`).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

__all__ = ["app_settings", "ui_language", "set_ui_language", "LANGUAGES"]

# UI languages with a translation shipped in resources/translations; the first is the default.
LANGUAGES = ("zh_CN", "en")


def app_settings() -> QSettings:
    home = os.environ.get("ZHIWANG_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings("Zhiwang", "zhiwang")


def ui_language() -> str:
    """The UI language: ``ZHIWANG_LANG`` if set, else the saved setting, else Simplified Chinese."""
    lang = os.environ.get("ZHIWANG_LANG") or str(app_settings().value("ui/language", LANGUAGES[0]))
    return lang if lang in LANGUAGES else LANGUAGES[0]


def set_ui_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown UI language {lang!r}; known: {', '.join(LANGUAGES)}")
    s = app_settings()
    s.setValue("ui/language", lang)
    s.sync()
