"""Fixtures for the desktop tests: the known community on both backends and a window showing it.

The community store and the window are built once per module and backend (a window and a PostGIS
database per test would cost most of the suite's time); each test gets the window reset to the
store's defaults: default layers and styles, no selection, no tables, no saved styles.
"""

from __future__ import annotations

import time
import uuid

import pytest

from tests.desktop import community


@pytest.fixture(scope="module", autouse=True)
def chinese_ui(qapp):
    """The default UI language (Simplified Chinese) for the desktop tests, removed afterwards."""
    from desktop.app import configure_application

    translators = configure_application(qapp, "zh_CN")
    yield translators
    for t in translators:
        qapp.removeTranslator(t)


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def community_store(request, tmp_path_factory):
    """The known community (tests/desktop/community.py) in a store on each backend."""
    from gis_core.store import Store

    if request.param == "spatialite":
        url = str(tmp_path_factory.mktemp("community") / "store.sqlite")
        drop = None
    else:
        import psycopg

        server = request.getfixturevalue("postgis_server")
        name = f"zw_desk_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = server.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

        def drop():
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    store = Store.init(url)
    community.populate(store)
    yield store
    store.close()
    if drop is not None:
        drop()


def process_until(predicate, timeout_ms: int = 10_000) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout_ms / 1000
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        QCoreApplication.processEvents()
        time.sleep(0.002)


@pytest.fixture(scope="module")
def module_window(qapp, chinese_ui, community_store):
    from desktop.main_window import MainWindow

    w = MainWindow()
    w.resize(1200, 800)
    w.show()
    w.set_store(community_store, "test")
    yield w
    w.store = None  # the store belongs to the community_store fixture
    w.close()
    w.deleteLater()


@pytest.fixture
def window(qtbot, module_window, community_store):
    """The main window on the known community, reset and fully rendered, 1200×800."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.main_window import BOOKMARKS_META_KEY, STYLES_META_KEY

    w = module_window
    process_until(lambda: not w.writer.busy() and not w.runner.busy())
    for box in w.findChildren(QMessageBox):
        box.close()
    w.last_error = None
    for key in (STYLES_META_KEY, BOOKMARKS_META_KEY):
        if community_store.meta(key):
            community_store.set_meta(key, "")
    for kind in list(w.tables):
        w._close_table(w.table_tabs.indexOf(w.tables[kind]))
    w.search_box.clear()
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    w.set_store(community_store, "test")
    wait_rendered(qtbot, w)
    return w


def wait_rendered(qtbot, w, timeout: int = 10_000) -> None:
    qtbot.waitUntil(
        lambda: not w.canvas.is_rendering() and not w.runner.busy() and not w.writer.busy(),
        timeout=timeout,
    )
