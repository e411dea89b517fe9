"""The desktop application: a QApplication with the UI language's translator and the main window.

``run_app(url)`` is what ``zhiwang app`` and ``zhiwang demo`` call.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from desktop.settings import ui_language
from gis_core.store import default_store_path

__all__ = [
    "run_app",
    "install_translators",
    "configure_application",
    "ensure_application",
    "RESOURCES",
    "TRANSLATIONS",
]

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
TRANSLATIONS = RESOURCES / "translations"

# Fonts that render Simplified Chinese, tried in order (Debian's fonts-noto-cjk first).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei")


def install_translators(app: QCoreApplication, lang: str | None = None) -> list[QTranslator]:
    """Load our translation (and Qt's own, for standard dialogs) for ``lang`` into ``app``.

    English is the source language and needs no translator. Returns the installed translators so
    the caller can keep them alive (Qt does not own them).
    """
    lang = lang or ui_language()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(lang))
    installed = []
    ours = QTranslator(app)
    if ours.load(f"zhiwang_{lang}", str(TRANSLATIONS)):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning(
            "no translation zhiwang_%s.qm in %s; the UI stays in English", lang, TRANSLATIONS
        )
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def configure_application(app: QApplication, lang: str | None = None) -> list[QTranslator]:
    """Our name, icon, a CJK-capable font, the theme and the UI language's translators."""
    app.setOrganizationName("Zhiwang")
    app.setApplicationName("zhiwang")
    app.setApplicationDisplayName("织网 Zhiwang")
    icon = RESOURCES / "icons" / "zhiwang.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(app.font().pointSizeF())
            app.setFont(font)
            break
    theme = RESOURCES / "themes" / "light.qss"
    if theme.exists():
        app.setStyleSheet(theme.read_text(encoding="utf-8"))
    translators = install_translators(app, lang)
    app._zhiwang_translators = translators  # type: ignore[attr-defined]  # keep them alive
    return translators


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, or a new one set up by :func:`configure_application`."""
    app = QApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    app = QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    return app


def run_app(store_url: str | None, username: str | None = None, password: str | None = None) -> int:
    """Open the main window on ``store_url`` (None: the embedded default store) and run the loop.

    A store with accounts asks for a login (the demo's public account prefilled); with
    ``username`` and ``password`` the window logs in without asking."""
    app = ensure_application()
    from desktop.main_window import MainWindow

    window = MainWindow()
    window.show()
    if store_url is None and not default_store_path().exists():
        # A fresh installation: let the user pick (or build) the demo, a file or a server.
        QTimer.singleShot(0, window.open_store_dialog)
    else:
        window.open_store_url(store_url, username=username, password=password)
    return int(app.exec())
