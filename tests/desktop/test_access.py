"""Logging in to the desktop window: the login dialog, the user's session, the demo banner,
unmasking with an audit record, and actions disabled for roles that may not use them.

Real offscreen windows on a real SpatiaLite store (the known community plus accounts); one test
logs in to PostGIS as the application role and sees only the user's grid cells.
"""

from __future__ import annotations

import shutil
import uuid

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QMessageBox

from tests.desktop import community
from tests.desktop.conftest import process_until, wait_rendered

PASSWORDS = {
    "admin": "admin-pass-1",
    "worker": "worker-pass-1",
    "planner": "planner-pass-1",
    "viewer": "viewer-pass-1",
    "locky": "locky-pass-1",
}
ROLES = {
    "worker": ("grid_worker", {1}),
    "planner": ("planner", None),
    "viewer": ("viewer", None),
    "locky": ("grid_worker", {2}),
}
ID_NUMBER, PHONE = "610402199001011234", "13812345678"  # resident 1, in building 1, cell 1


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    """One personal-data key for the module's stores (each test has its own home directory)."""
    path = tmp_path_factory.mktemp("key") / "zhiwang.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHIWANG_KEY_FILE", str(path))
        yield path


def _populate_with_accounts(store) -> None:
    from gis_core.security.accounts import authenticate, create_user

    community.populate(store)
    create_user(store, "admin", PASSWORDS["admin"], "administrator", None)
    admin = authenticate(store, "admin", PASSWORDS["admin"])
    for name, (role, cells) in ROLES.items():
        create_user(store, name, PASSWORDS[name], role, cells, by=admin)


@pytest.fixture(scope="module")
def managed_url(tmp_path_factory, key_file):
    """The known community with accounts: admin, worker (cell 1), planner, viewer, locky."""
    from gis_core.store import Store

    url = str(tmp_path_factory.mktemp("managed") / "store.sqlite")
    with Store.init(url) as store:
        _populate_with_accounts(store)
    return url


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory, key_file):
    """A store marked as the demo, with the demo's public accounts (demo/demo, worker/worker)."""
    from gis_core.security.accounts import ensure_demo_accounts
    from gis_core.store import Store

    url = str(tmp_path_factory.mktemp("demo") / "store.sqlite")
    with Store.init(url) as store:
        community.populate(store)
        store.set_meta("demo", "1")
        ensure_demo_accounts(store)
    return url


@pytest.fixture(scope="module")
def plain_url(tmp_path_factory, key_file):
    """A store without accounts (a single user's file, or one from before accounts existed)."""
    from gis_core.store import Store

    url = str(tmp_path_factory.mktemp("plain") / "store.sqlite")
    with Store.init(url) as store:
        community.populate(store)
    return url


@pytest.fixture(scope="module")
def module_win(qapp, chinese_ui):
    from desktop.main_window import MainWindow

    w = MainWindow()
    w.resize(1200, 800)
    w.show()
    yield w
    w.close()
    w.deleteLater()


@pytest.fixture
def win(qtbot, module_win):
    w = module_win
    process_until(lambda: not w.runner.busy() and not w.writer.busy())
    if w.login_dialog is not None:
        w.login_dialog.reject()
    for box in w.findChildren(QMessageBox):
        box.close()
    w.close_store()
    w.last_error = None
    qtbot.waitExposed(w)
    return w


def _dialog(qtbot, w):
    qtbot.waitUntil(lambda: w.login_dialog is not None and w.login_dialog.isVisible())
    return w.login_dialog


def _submit(qtbot, dialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def log_in(qtbot, w, url: str, username: str, password: str | None = None):
    """Open ``url`` in the window and log in through the dialog; wait for the map."""
    w.open_store_url(url)
    dialog = _dialog(qtbot, w)
    _submit(qtbot, dialog, username, password or PASSWORDS[username])
    qtbot.waitUntil(
        lambda: w.store is not None and getattr(w.store.user, "username", None) == username,
        timeout=15_000,
    )
    wait_rendered(qtbot, w)
    return w.store


def _composite(w, dialog) -> QImage:
    """The window with its (separate top-level) login dialog painted where it sits."""
    image = w.grab().toImage()
    painter = QPainter(image)
    top_left = w.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0)))
    if not w.rect().contains(top_left):
        top_left = QPoint(
            (w.width() - dialog.width()) // 2, max(0, (w.height() - dialog.height()) // 3)
        )
    painter.drawImage(top_left, dialog.grab().toImage())
    painter.end()
    return image


# ------------------------------------------------------------------------------- logging in
def test_a_store_with_accounts_asks_for_a_login_and_opens_the_users_session(
    qtbot, win, managed_url
):
    from gis_core.security import audit

    w = win
    w.open_store_url(managed_url)
    dialog = _dialog(qtbot, w)
    assert w.store is None  # nothing of the store is shown before the login
    assert not dialog.demo_note.isVisible()
    assert dialog.username.text() == ""  # no user name is offered for a real store
    assert "登录" in dialog.windowTitle()
    _composite(w, dialog).save("/tmp/zhiwang_login_dialog.png")

    _submit(qtbot, dialog, "worker", PASSWORDS["worker"])
    qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
    wait_rendered(qtbot, w)
    assert w.login_dialog is None
    assert w.store.user.username == "worker" and w.store.user.cells == frozenset({1})
    # The session is scoped: the worker's store sees the 100 buildings of cell 1 only.
    assert len(w.store.page("buildings", [], 0, 10_000)) == 100
    label = w.access.user_label
    assert label.isVisible() and "worker" in label.text() and "网格员" in label.text()
    assert not w.access.banner.isVisible()
    assert any(e.action == "login_ok" and e.username == "worker" for e in audit.entries(w.store))


def test_wrong_password_and_lock_out_are_said_plainly_and_the_window_keeps_its_store(
    qtbot, win, managed_url
):
    w = win
    log_in(qtbot, w, managed_url, "admin")
    before = w.store
    w.open_store_url(managed_url)
    dialog = _dialog(qtbot, w)
    _submit(qtbot, dialog, "locky", "not-the-password")
    qtbot.waitUntil(lambda: "用户名或密码错误" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.password.text() == "" and dialog.login_button.isEnabled()
    assert w.store is before  # still the admin's session, still usable
    for _ in range(4):  # the fifth failure in a row locks the account
        _submit(qtbot, dialog, "locky", "not-the-password")
        qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
    assert "已被锁定" in dialog.message.text()
    assert "15 分钟" in dialog.message.text()
    # Now even the right password is refused, and the dialog says how long the lock lasts.
    _submit(qtbot, dialog, "locky", PASSWORDS["locky"])
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
    assert "已被锁定" in dialog.message.text() and "分钟" in dialog.message.text()
    dialog.reject()
    qtbot.waitUntil(lambda: w.login_dialog is None)
    assert w.store is before and w.store.user.username == "admin"
    w.canvas.pan_by(40, 0)
    wait_rendered(qtbot, w)
    assert w.store_status.text().startswith("已打开")


def test_a_store_gone_by_the_time_of_the_login_is_reported(qtbot, win, managed_url, tmp_path):
    w = win
    copy = tmp_path / "copy.sqlite"
    shutil.copy(managed_url, copy)
    w.open_store_url(str(copy))
    dialog = _dialog(qtbot, w)
    copy.unlink()  # the USB stick was pulled, the share went away
    _submit(qtbot, dialog, "admin", PASSWORDS["admin"])
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
    assert "处没有数据库" in dialog.message.text()
    assert w.store is None


def test_unreachable_server_message_for_a_login(qapp, chinese_ui):
    from desktop.login_dialog import login_error_text
    from gis_core.store import StoreError

    exc = StoreError("cannot open store: connection failed: Connection refused")
    assert "无法连接 PostGIS 服务器" in login_error_text(exc, "10.0.0.9:5432/zhiwang")


def test_logging_in_without_the_dialog_for_scripts(qtbot, win, managed_url):
    w = win
    w.open_store_url(managed_url, username="planner", password=PASSWORDS["planner"])
    qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
    assert w.login_dialog is None and w.store.user.username == "planner"
    # A refused automatic login falls back to the dialog, with the user name kept.
    w.open_store_url(managed_url, username="planner", password="wrong-one")
    dialog = _dialog(qtbot, w)
    assert dialog.username.text() == "planner"
    assert "用户名或密码错误" in dialog.message.text()


def test_password_stdin_needs_a_user(capsys):
    from desktop.cli import main

    assert main(["app", "--password-stdin"]) == 2
    assert "--password-stdin needs --user" in capsys.readouterr().err


def test_a_store_without_accounts_opens_as_a_single_user_store(qtbot, win, plain_url):
    w = win
    w.open_store_url(plain_url)
    qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
    wait_rendered(qtbot, w)
    assert w.login_dialog is None and w.store.user is None
    assert "单用户" in w.access.user_label.text()
    assert w.grid_editing.act_edit.isEnabled()
    assert not w.access.act_switch_user.isEnabled()
    assert not w.access.banner.isVisible()


# ------------------------------------------------------------------------------- demo banner
def test_the_demo_login_is_prefilled_and_the_demo_account_shows_a_banner(qtbot, win, demo_url):
    w = win
    w.open_store_url(demo_url)
    dialog = _dialog(qtbot, w)
    assert dialog.demo_note.isVisible() and "demo/demo" in dialog.demo_note.text()
    assert (dialog.username.text(), dialog.password.text()) == ("demo", "demo")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)  # one click to the map
    qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
    wait_rendered(qtbot, w)
    banner = w.access.banner
    assert banner.isVisible() and "演示账户" in banner.text() and "虚构" in banner.text()
    assert banner.mapTo(w, QPoint(0, 0)).y() < w.canvas.mapTo(w, QPoint(0, 0)).y()
    # The banner is painted: its colour across the window's top, above the map.
    shot = w.grab().toImage()
    shot.save("/tmp/zhiwang_demo_banner.png")
    at = banner.mapTo(w, QPoint(6, 3))
    colour = shot.pixelColor(at.x(), at.y())
    want = QColor(w.access.BANNER_COLOR)
    assert all(abs(a - b) <= 6 for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3]))
    assert "demo" in w.access.user_label.text()


def test_a_normal_account_has_no_banner_and_no_banner_pixels(qtbot, win, managed_url):
    w = win
    log_in(qtbot, w, managed_url, "admin")
    assert not w.access.banner.isVisible()
    shot = w.grab().toImage()
    want = QColor(w.access.BANNER_COLOR)
    top = w.centralWidget().mapTo(w, QPoint(6, 3))
    colour = shot.pixelColor(top.x(), top.y())
    assert any(abs(a - b) > 30 for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3]))


# ------------------------------------------------------------------------------- unmasking
def _identify_building_1(qtbot, w):
    w.show_feature("buildings", "建筑", community.building_id(0, 0))
    qtbot.waitUntil(lambda: w.identify_panel.value_of("address") is not None, timeout=10_000)


def test_a_grid_worker_unmasks_a_residents_id_number_and_it_is_audited(qtbot, win, managed_url):
    from gis_core.security import audit

    w = win
    store = log_in(qtbot, w, managed_url, "worker")
    _identify_building_1(qtbot, w)
    panel = w.identify_panel
    assert panel.value_of("id_number", "residents", 1) == "6104**********1234"
    assert panel.value_of("phone", "residents", 1) == "138****5678"
    button = panel.reveal_button("residents", 1, "id_number")
    assert button is not None and button.isVisible() and button.text() == "显示"
    seq = max((e.seq for e in audit.entries(store)), default=0)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.value_of("id_number", "residents", 1) == ID_NUMBER)
    assert panel.value_of("phone", "residents", 1) == "138****5678"  # only what was asked
    new = [e for e in audit.entries(store) if e.seq > seq]
    unmask = [e for e in new if e.action == "unmask"]
    assert len(unmask) == 1
    assert unmask[0].username == "worker" and unmask[0].detail["ids"] == [1]
    assert unmask[0].detail["fields"] == ["id_number"]
    assert ID_NUMBER not in str(unmask[0].detail)  # the log says what was seen, not the value
    assert audit.verify(store).ok


@pytest.mark.parametrize(("username", "residents_listed"), [("planner", True), ("viewer", False)])
def test_roles_that_may_not_unmask_get_no_button(
    qtbot, win, managed_url, username, residents_listed
):
    w = win
    log_in(qtbot, w, managed_url, username)
    _identify_building_1(qtbot, w)
    panel = w.identify_panel
    assert panel.reveal_buttons == {}
    shown = panel.value_of("id_number", "residents", 1)
    if residents_listed:  # a planner sees that people live here, masked
        assert shown == "6104**********1234"
    else:  # a read-only viewer does not see residents at all
        assert shown is None
    assert ID_NUMBER not in str([panel.table.item(r, 1) and panel.table.item(r, 1).text()
                                 for r in range(panel.table.rowCount())])  # fmt: skip


# ------------------------------------------------------------------------------- gated actions
def test_grid_editing_and_analysis_are_disabled_for_a_grid_worker_with_the_reason(
    qtbot, win, managed_url
):
    w = win
    log_in(qtbot, w, managed_url, "worker")
    edit = w.grid_editing.act_edit
    assert not edit.isEnabled()
    assert "编辑网格" in edit.toolTip() and "网格员" in edit.toolTip()
    w.grid_editing._update_actions()  # the feature re-enables its actions on its own events
    assert not edit.isEnabled()
    siting = w.analysis.actions["siting"]
    assert not siting.isEnabled() and "运行分析" in siting.toolTip()
    assert not w.act_export_png.isEnabled() and "导出数据" in w.act_export_png.toolTip()
    assert w.cases.act_report.isEnabled()  # a worker reports events
    assert not w.cases.act_escalate.isEnabled()


def test_the_same_actions_are_enabled_for_an_administrator(qtbot, win, managed_url):
    w = win
    log_in(qtbot, w, managed_url, "worker")
    assert not w.grid_editing.act_edit.isEnabled()
    w.access.switch_user()  # log out, log in as the administrator
    dialog = _dialog(qtbot, w)
    _submit(qtbot, dialog, "admin", PASSWORDS["admin"])
    qtbot.waitUntil(
        lambda: w.store is not None and w.store.user.username == "admin", timeout=15_000
    )
    wait_rendered(qtbot, w)
    edit = w.grid_editing.act_edit
    assert edit.isEnabled() and "编辑网格" not in edit.toolTip()
    assert w.analysis.actions["siting"].isEnabled()
    assert w.act_export_png.isEnabled() and w.cases.act_escalate.isEnabled()


def test_switch_user_logs_out_and_asks_again(qtbot, win, managed_url):
    from gis_core.security import audit
    from gis_core.store import Store

    w = win
    log_in(qtbot, w, managed_url, "admin")
    assert w.access.act_switch_user.isEnabled()
    assert "切换用户" in w.access.act_switch_user.text()
    w.access.act_switch_user.trigger()
    dialog = _dialog(qtbot, w)
    assert w.store is None and not w.layers
    assert dialog.username.text() == "admin" and dialog.password.text() == ""
    assert "未登录" in w.access.user_label.text()
    with Store.open(managed_url) as store:
        assert audit.entries(store, newest_first=True)[0].action == "logout"


# ------------------------------------------------------------------------------- PostGIS
def test_postgis_login_as_the_application_role_sees_only_the_users_cells(
    qtbot, win, postgis_server, key_file
):
    import psycopg

    from gis_core.store import Store
    from tests.gis_core.security.conftest import app_url_for, require_app_role

    name = f"zw_acc_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    owner = postgis_server.rsplit("/", 1)[0] + f"/{name}"
    w = win
    try:
        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        with Store.init(owner) as store:
            _populate_with_accounts(store)
        app = app_url_for(owner)
        require_app_role(app)
        store = log_in(qtbot, w, app, "worker")
        assert store.backend == "postgis"
        assert len(store.page("buildings", [], 0, 10_000)) == 100  # row-level security
        assert not w.grid_editing.act_edit.isEnabled()
        _identify_building_1(qtbot, w)
        assert w.identify_panel.value_of("id_number", "residents", 1) == "6104**********1234"
    finally:
        from desktop.render_pool import shared_pool

        w.close_store()
        # The render processes keep the session's store open (their cache); the test role may
        # not end the application role's connections, so stop them (the next render restarts).
        shared_pool().shutdown()
        with psycopg.connect(postgis_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# ------------------------------------------------------------------------------- case board
def _switch_to(qtbot, w, username: str) -> None:
    """Switch user (Account menu) and log in as ``username``."""
    w.access.switch_user()
    _submit(qtbot, _dialog(qtbot, w), username, PASSWORDS[username])
    qtbot.waitUntil(
        lambda: getattr(getattr(w.store, "user", None), "username", None) == username,
        timeout=15_000,
    )


def _report_case_in_cell_1(url: str) -> int:
    """A fresh case (reported) in grid cell 1, by the administrator."""
    from gis_core.cases import EventReport, report_event
    from gis_core.cases.lifecycle import Actor
    from gis_core.store import Store

    x, y = community.building_center(0, 0)
    with Store.open(url) as store:
        intake = report_event(
            store, EventReport("garbage", x, y, "楼道堆物"), actor=Actor("admin", "administrator")
        )
    return intake.case_id


def _case_menu(qtbot, w, case_id: int):
    c = w.cases
    qtbot.waitUntil(
        lambda: c.store is w.store and c.catalogue is not None and case_id in c.board.cards,
        timeout=15_000,
    )
    menu = c.board.menu_for(c.board.cards[case_id])
    return {a.objectName(): a for a in menu.actions() if a.objectName()}, menu


def test_case_actions_a_role_lacks_are_listed_disabled_with_the_missing_permission(
    qtbot, win, managed_url
):
    case_id = _report_case_in_cell_1(managed_url)
    w = win
    log_in(qtbot, w, managed_url, "worker")
    actions, menu = _case_menu(qtbot, w, case_id)
    verify = actions["case_verify"]  # the centre's step: the worker sees it, greyed, and why
    assert not verify.isEnabled()
    assert "派遣事件" in verify.toolTip() and "网格员" in verify.toolTip()
    assert menu.toolTipsVisible()
    assert actions["case_note"].isEnabled()  # a worker may add a note
    assert "case_escalate" in actions and not actions["case_escalate"].isEnabled()

    _switch_to(qtbot, w, "viewer")
    actions, menu = _case_menu(qtbot, w, case_id)
    texts = [a.text() for a in menu.actions()]
    assert "您目前不能对此案件操作" not in texts  # it lists what a viewer may not do, and why
    note = actions["case_note"]
    assert not note.isEnabled() and "上报事件" in note.toolTip() and "只读用户" in note.toolTip()
    assert not actions["case_verify"].isEnabled()

    _switch_to(qtbot, w, "admin")
    actions, _menu = _case_menu(qtbot, w, case_id)
    assert actions["case_verify"].isEnabled() and actions["case_verify"].toolTip() in ("", "核实")


def test_the_case_action_permissions_match_the_lifecycle_roles():
    from desktop.access import CASE_ACTION_PERMISSIONS
    from gis_core.cases.lifecycle import ACTIONS
    from gis_core.security.roles import PERMISSIONS

    assert set(CASE_ACTION_PERMISSIONS) == set(ACTIONS)
    for name, action in ACTIONS.items():
        holders = {r for r, p in PERMISSIONS.items() if CASE_ACTION_PERMISSIONS[name] in p}
        assert holders == set(action.roles) - {"system"}, name


# ------------------------------------------------------------------------------- alarms
def _alarm():
    import time

    from gis_core.alarms import AlarmRecord, Severity

    return AlarmRecord(1, 7, "smoke", Severity.parse("critical"), time.time(), sensor_id=1,
                       sensor_code="SMK-001", grid_cell_id=1, value=0.4)  # fmt: skip


def test_acknowledging_alarms_is_disabled_for_a_worker_and_names_the_operator_by_account(
    qtbot, win, managed_url
):
    w = win
    live = w.live
    live.settings.operator = "值班员老王"  # a name typed into the settings once
    try:
        log_in(qtbot, w, managed_url, "worker")
        panel = live.panel
        panel.set_alarms([_alarm()])
        panel.table.selectRow(0)
        assert not panel.ack_button.isEnabled() and not panel.clear_button.isEnabled()
        assert "确认告警" in panel.ack_button.toolTip() and "网格员" in panel.ack_button.toolTip()
        assert panel.ask_acknowledge() is None  # no note dialog either
        assert live.operator() == "worker"  # the account, not the settings' name

        _switch_to(qtbot, w, "admin")
        panel.set_alarms([_alarm()])
        panel.table.selectRow(0)
        assert panel.ack_button.isEnabled() and panel.ack_button.toolTip() == ""
        assert live.operator() == "admin" and panel.who == "admin"
        dialog = panel.ask_acknowledge()
        assert dialog is not None and "admin" in "".join(
            lbl.text() for lbl in dialog.findChildren(type(panel.summary))
        )
        dialog.reject()
    finally:
        live.settings.operator = ""
    panel.set_alarms([])


def test_a_single_user_store_keeps_the_operator_name_from_the_settings(qtbot, win, plain_url):
    w = win
    w.live.settings.operator = "值班员老王"
    try:
        w.open_store_url(plain_url)
        qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
        assert w.live.operator() == "值班员老王"
        assert w.live.panel.refused is None
    finally:
        w.live.settings.operator = ""


# ------------------------------------------------------------------------------- grid editing
def _journal_an_edit(url: str, editor: str) -> str:
    """An unsaved edit left in the journal by ``editor`` (the app died before saving)."""
    from gis_core.editing.journal import EditJournal
    from gis_core.store import Store

    with Store.open(url) as store:
        journal = EditJournal(store, 1, editor)
        journal.append({"kind": "set_attributes", "text": "Edit attributes", "cell_id": 1,
                        "values": {"name": "第1网格"}})  # fmt: skip
        return journal.session_id


def test_a_role_that_may_not_edit_is_told_of_unsaved_edits_not_offered_them(
    qtbot, win, managed_url
):
    from gis_core.editing.journal import EditJournal
    from gis_core.store import Store

    session = _journal_an_edit(managed_url, "admin")
    w = win
    try:
        log_in(qtbot, w, managed_url, "worker")
        ge = w.grid_editing
        qtbot.waitUntil(lambda: bool(ge.pending_notice), timeout=10_000)
        assert ge.pending_offer is None  # no Restore prompt for a worker
        assert "1 条未保存的网格编辑" in ge.pending_notice
        assert "admin" in ge.pending_notice and "督导员" in ge.pending_notice
        assert ge.pending_notice == w.statusBar().currentMessage()
        ge.restore_pending(session)  # refused in the UI too
        assert ge.controller.session is None
        with Store.open(managed_url) as store:
            assert [p.session_id for p in EditJournal.pending(store)] == [session]
    finally:
        with Store.open(managed_url) as store:
            EditJournal.discard(store, session)


def test_grid_edits_are_recorded_under_the_logged_in_account_not_the_settings_name(
    qtbot, win, managed_url, monkeypatch
):
    monkeypatch.setenv("ZHIWANG_EDITOR", "settings-name")
    w = win
    log_in(qtbot, w, managed_url, "admin")
    ge = w.grid_editing
    assert ge.editor() == "admin"
    assert not ge.act_editor.isEnabled() and "admin" in ge.act_editor.toolTip()
    w.canvas.center_on(*community.building_center(5, 5))
    ge.start_editing()
    qtbot.waitUntil(lambda: ge.controller.session is not None, timeout=15_000)
    try:
        assert ge.controller.session.editor == "admin"
        assert ge.controller.session.journal.editor == "admin"
    finally:
        assert ge.stop_editing()


def test_a_single_user_store_records_the_settings_editor_name(qtbot, win, plain_url, monkeypatch):
    monkeypatch.setenv("ZHIWANG_EDITOR", "settings-name")
    w = win
    w.open_store_url(plain_url)
    qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
    assert w.grid_editing.editor() == "settings-name"
    assert w.grid_editing.act_editor.isEnabled()


# ------------------------------------------------------------------------------- residents
def test_a_building_with_many_residents_says_how_many_live_there(qtbot, win, plain_url):
    from gis_core.store import Store

    bid, n = community.building_id(3, 0), 63
    with Store.open(plain_url) as store:
        store.bulk_insert(
            "residents",
            {
                "id": list(range(1001, 1001 + n)),
                "grid_cell_id": [1] * n,
                "building_id": [bid] * n,
                "name": [f"住户{k}" for k in range(n)],
            },
        )
    w = win
    w.open_store_url(plain_url)
    qtbot.waitUntil(lambda: w.store is not None, timeout=15_000)
    wait_rendered(qtbot, w)
    w.show_feature("buildings", "建筑", bid)
    panel = w.identify_panel
    headings = lambda: [  # noqa: E731
        panel.table.item(r, 0).text()
        for r in range(panel.table.rowCount())
        if panel.table.item(r, 0) is not None and panel.table.columnSpan(r, 0) > 1
    ]
    qtbot.waitUntil(lambda: any("住户" in h and "共" in h for h in headings()), timeout=10_000)
    [heading] = [h for h in headings() if h.startswith("住户：")]
    assert heading == f"住户：前 50 人（共 {n} 人）"
    # A building with few residents keeps the plain count.
    _identify_building_1(qtbot, w)
    qtbot.waitUntil(lambda: "住户：2 人" in headings(), timeout=10_000)


# ------------------------------------------------------------------------------- audit log
def test_the_audit_log_dialog_lists_entries_and_verifies_the_chain(
    qtbot, win, managed_url, tmp_path
):
    import sqlite3

    w = win
    copy = tmp_path / "audit.sqlite"
    shutil.copy(managed_url, copy)
    log_in(qtbot, w, str(copy), "worker")
    act = w.access.act_audit
    assert act in w.access.menu.actions()
    assert not act.isEnabled() and "查看审计日志" in act.toolTip()
    assert w.access.show_audit() is None

    _switch_to(qtbot, w, "admin")
    assert act.isEnabled() and "审计日志" in act.text()
    act.trigger()
    dialog = w.access.audit_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and bool(dialog.records), timeout=10_000)
    assert dialog.windowTitle() == "审计日志"
    first = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert first[2] == "admin" and first[3] == "登录"  # newest first: this login
    rows = [[dialog.table.item(r, c).text() for c in range(6)] for r in range(len(dialog.records))]
    assert any(r[2] == "worker" and r[3] == "退出登录" for r in rows)
    assert any(r[3] == "新增账户" for r in rows)
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.verification is not None, timeout=10_000)
    assert dialog.verification.ok
    assert dialog.result.text().startswith("完整") and "哈希链完好" in dialog.result.text()
    dialog.grab().save("/tmp/zhiwang_audit_dialog.png")

    # Someone alters entry #3 with a plain SQLite client: the dialog says where the chain breaks.
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute("UPDATE audit_log SET username = 'nobody' WHERE seq = 3")
    dialog.reload()
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.verification is not None and not dialog.loading, timeout=10_000)
    assert not dialog.verification.ok and dialog.verification.broken_seq == 3
    assert "第 #3 条" in dialog.result.text() and "篡改" in dialog.result.text()
    row = next(r for r, e in enumerate(dialog.records) if e.seq == 3)
    assert dialog.table.item(row, 0).background().color() == QColor("#ffd6d6")
    dialog.grab().save("/tmp/zhiwang_audit_dialog_broken.png")
    dialog.close()


def _switch_to(qtbot, w, username: str) -> None:
    w.access.switch_user()  # log out, log in as someone else
    _submit(qtbot, _dialog(qtbot, w), username, PASSWORDS[username])
    qtbot.waitUntil(
        lambda: w.store is not None and w.store.user.username == username, timeout=15_000
    )
    wait_rendered(qtbot, w)


def test_what_a_feature_sets_while_its_action_is_gated_holds_when_the_gate_opens(
    qtbot, win, managed_url
):
    """A worker may not re-link or export; meanwhile the fusion feature turns re-linking off and
    export on. When the administrator logs in, re-linking stays off and export comes on."""
    w = win
    relink, export = w.fusion.act_relink, w.fusion.act_export_quality
    try:
        export.setEnabled(False)  # off before anyone logs in
        log_in(qtbot, w, managed_url, "worker")
        assert not relink.isEnabled() and "导入数据" in relink.toolTip()
        assert not export.isEnabled() and "导出数据" in export.toolTip()
        relink.setEnabled(False)  # the feature: nothing to link (a no-op on a disabled action)
        export.setEnabled(True)  # the feature: something to export — still gated
        assert not relink.isEnabled() and not export.isEnabled()
        _switch_to(qtbot, w, "admin")
        assert not relink.isEnabled() and "网格员" not in relink.toolTip()
        assert export.isEnabled() and "网格员" not in export.toolTip()
        # The grid editor's tools (an exclusive group of its own) are as the editor sets them:
        # off until editing starts, and still one group.
        tools = w.grid_editing.tool_actions.values()
        assert w.grid_editing.act_edit.isEnabled() and not any(a.isEnabled() for a in tools)
        assert all(a.actionGroup() is w.grid_editing.tool_group for a in tools)
        # And back: the worker sees both gated, the feature's wishes kept underneath.
        _switch_to(qtbot, w, "worker")
        assert not relink.isEnabled() and not export.isEnabled()
        relink.setEnabled(True)
        _switch_to(qtbot, w, "admin")
        assert relink.isEnabled() and export.isEnabled()
    finally:
        relink.setEnabled(True)
        export.setEnabled(True)
