"""Translations ship complete and compiled; passwords never reach a settings file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "zhiwang_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else (shutil.which(name) or name)


def test_every_ui_string_has_a_chinese_translation(tmp_path):
    """pyside6-lupdate over desktop/ and its packages (desktop/grid_editing, …) finds no string
    the .ts lacks or leaves unfinished."""
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (ROOT / "desktop").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(ts)],
        check=True,
        capture_output=True,
    )
    unfinished = []
    for ctx in ET.parse(ts).getroot().findall("context"):
        for msg in ctx.findall("message"):
            tr = msg.find("translation")
            if tr.get("type") == "unfinished" or not (tr.text or "").strip():
                unfinished.append(f"{ctx.find('name').text}: {msg.find('source').text}")
    assert unfinished == [], (
        "run pyside6-lupdate and translate (see resources/translations/README.md)"
    )


def test_compiled_qm_matches_the_ts(tmp_path):
    qm = tmp_path / "out.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True
    )
    assert qm.read_bytes() == QM.read_bytes(), "recompile with pyside6-lrelease"


def test_chinese_by_default_and_english_by_setting(qapp, monkeypatch, chinese_ui):
    from desktop.app import install_translators
    from desktop.settings import set_ui_language, ui_language

    monkeypatch.delenv("ZHIWANG_LANG", raising=False)
    for t in chinese_ui:  # start from an application without translators
        qapp.removeTranslator(t)
    assert ui_language() == "zh_CN"
    translators = install_translators(qapp)
    try:
        assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
        assert QCoreApplication.translate("Names", "Residential") == "住宅"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    set_ui_language("en")
    assert ui_language() == "en"
    assert install_translators(qapp) == []
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    for t in chinese_ui:
        qapp.installTranslator(t)


class _MemoryKeyring:
    """A keyring backend that keeps passwords in memory (the test stands in for the OS one)."""

    priority = 10

    def __init__(self):
        self.saved = {}

    def set_password(self, service, user, password):
        self.saved[(service, user)] = password

    def get_password(self, service, user):
        return self.saved.get((service, user))

    def delete_password(self, service, user):
        self.saved.pop((service, user), None)


def test_postgis_password_goes_to_the_keyring_never_to_settings(qtbot, monkeypatch):
    import keyring

    from desktop import credentials
    from desktop.open_store_dialog import OpenStoreDialog
    from desktop.settings import app_settings

    ring = _MemoryKeyring()
    monkeypatch.setattr(credentials, "_backend", lambda: ring)
    dialog = OpenStoreDialog()
    qtbot.addWidget(dialog)
    dialog.postgis.setChecked(True)
    dialog.host.setText("db.example")
    dialog.port.setValue(5433)
    dialog.database.setText("grid")
    dialog.user.setText("operator")
    dialog.password.setText("s3cret-密码")
    dialog.remember.setChecked(True)
    choice = dialog.choice()
    assert choice.url().startswith(
        "postgresql://operator:s3cret-%E5%AF%86%E7%A0%81@db.example:5433/grid"
    )
    assert credentials.save_password(choice.pg, choice.password)
    assert ring.saved == {("zhiwang-postgis", "operator@db.example:5433/grid"): "s3cret-密码"}
    settings = app_settings()
    settings.sync()
    text = Path(settings.fileName()).read_text(encoding="utf-8")
    assert "db.example" in text and "s3cret" not in text

    # The next dialog fills the password from the keyring.
    again = OpenStoreDialog()
    qtbot.addWidget(again)
    assert again.password.text() == "s3cret-密码"
    assert keyring  # the real package is installed


def test_without_a_keyring_nothing_is_stored(monkeypatch):
    from desktop import credentials

    monkeypatch.setattr(credentials, "_backend", lambda: None)
    conn = credentials.PgConnection("h", 5432, "d", "u")
    assert credentials.save_password(conn, "pw") is False
    assert credentials.load_password(conn) is None


@pytest.mark.parametrize(
    "kind,column,value,shown",
    [
        ("residents", "id_number", "610402199001011234", "6104**********1234"),
        ("residents", "phone", "13812345678", "138****5678"),
        ("residents", "name", "张三丰", "张*丰"),
        ("grid_cells", "worker_phone", "13900001111", "139****1111"),
        ("buildings", "use", "residential", "住宅"),
        ("buildings", "address", "渭阳路1号", "渭阳路1号"),
    ],
)
def test_personal_fields_are_masked_on_screen(qapp, kind, column, value, shown):
    from desktop.app import install_translators
    from desktop.names import display_value

    translators = install_translators(qapp, "zh_CN")
    try:
        assert display_value(kind, column, value) == shown
    finally:
        for t in translators:
            qapp.removeTranslator(t)
