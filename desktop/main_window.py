"""The main window: map canvas, layer panel, identify and search panel, attribute tables, menus.

Every store access that is more than a quick look-up runs on the window's :class:`TaskRunner`;
the window keeps working (and keeps its current store) while a store opens or a query runs.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
from dataclasses import replace
from pathlib import Path

import shapely
from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.access import install_access
from desktop.analysis import install_analysis
from desktop.attribute_table import AttributeTable
from desktop.canvas import MapCanvas, is_outline_only
from desktop.cases import install_cases
from desktop.credentials import save_password
from desktop.export import LegendGroup, PrintJob, export_print
from desktop.fusion import install_fusion
from desktop.grid_editing import install_grid_editing
from desktop.identify_panel import IdentifyPanel
from desktop.layer_panel import LayerPanel, legend_rows
from desktop.live import install_live_monitoring
from desktop.login_dialog import LoginDialog, LoginHints, login_error_text, login_hints
from desktop.names import kind_title
from desktop.open_store_dialog import OpenStoreDialog, StoreChoice
from desktop.render_pool import layer_spec, shared_pool
from desktop.settings import LANGUAGES, app_settings, set_ui_language, ui_language
from desktop.style_dialog import StyleDialog
from desktop.tasks import TaskRunner
from gis_core.crs import transformer
from gis_core.security.accounts import (
    AuthenticationFailed,
    has_accounts,
    is_demo_account,
    open_session,
)
from gis_core.store import Store, default_store_path
from layers.model import VectorLayer, default_layers
from layers.view import MapView

__all__ = ["MainWindow", "STYLES_META_KEY", "BOOKMARKS_META_KEY", "explain_open_error"]

log = logging.getLogger(__name__)

STYLES_META_KEY = "layer_styles"
BOOKMARKS_META_KEY = "view_bookmarks"
PROJECT_SUFFIX = ".zwproj"
ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
# Where the first view goes: the first of these kinds that has an extent.
HOME_KINDS = ("communities", "grid_cells", "buildings", "streets")
METRES_PER_SCREEN_PX = 0.0254 / 96  # for the 1:N scale shown in the status bar


def _icon(
    name: str, fallback: QStyle.StandardPixmap | None = None, style: QStyle | None = None
) -> QIcon:
    path = ICONS / f"{name}.svg"
    if path.exists():
        return QIcon(str(path))
    if fallback is not None and style is not None:
        return style.standardIcon(fallback)
    return QIcon()


def explain_open_error(exc: BaseException, where: str) -> str:
    """A message a user can act on for a store that failed to open."""
    text = str(exc)
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return QCoreApplication.translate(
            "MainWindow",
            "The server {0} refused the user name or password. Check them and try again.",
        ).format(where)
    if any(
        s in low
        for s in (
            "connection refused",
            "timeout expired",
            "timed out",
            "could not translate host",
            "name or service not known",
            "no route to host",
            "network is unreachable",
            "nodename nor servname",
        )
    ):
        return QCoreApplication.translate(
            "MainWindow",
            "Cannot reach the PostGIS server {0}. Is it running, and are the host and port right?",
        ).format(where)
    if "does not exist" in low and "database" in low:
        return QCoreApplication.translate(
            "MainWindow", "The server has no such database: {0}."
        ).format(where)
    if "not an initialised zhiwang store" in low or "no such table: store_meta" in low:
        return QCoreApplication.translate(
            "MainWindow",
            "{0} is not a Zhiwang store. Create one with “zhiwang init” or “zhiwang demo”.",
        ).format(where)
    if "no store at" in low:
        return QCoreApplication.translate(
            "MainWindow",
            "There is no store at {0}. Create one with “zhiwang demo” or open another.",
        ).format(where)
    return QCoreApplication.translate("MainWindow", "Could not open {0}: {1}").format(where, text)


class MainWindow(QMainWindow):
    storeChanged = Signal(object)  # a store was opened and is shown (features hook in here)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Zhiwang — community grid management"))
        self.resize(1400, 900)
        self.runner = TaskRunner(self, max_threads=2)
        # Writes (styles, bookmarks) go one after another, so the last one saved is the last made.
        self.writer = TaskRunner(self, max_threads=1)
        self.store: Store | None = None
        self.store_label = ""
        self.layers: list[VectorLayer] = []
        self.bookmarks: list[dict] = []
        self.tables: dict[str, AttributeTable] = {}
        self.last_error: str | None = None
        self._to_wgs84 = None
        self._opening = False
        self._identify_seq = 0
        self._highlight_seq = 0
        self.selection: dict[str, frozenset] = {}

        self.canvas = MapCanvas(self)
        # The map, with room above it for the demo-account banner (desktop.access).
        central = QWidget(self)
        central.setObjectName("mapArea")
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.setSpacing(0)
        self.central_layout.addWidget(self.canvas, 1)
        self.setCentralWidget(central)
        self.login_dialog: LoginDialog | None = None
        self.layer_panel = LayerPanel()
        self.identify_panel = IdentifyPanel()
        self.table_tabs = QTabWidget()
        self.table_tabs.setTabsClosable(True)
        self.table_tabs.tabCloseRequested.connect(self._close_table)

        self.layer_dock = self._dock(
            self.tr("Layers"), "layersDock", self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.identify_dock = self._dock(
            self.tr("Identify and search"),
            "identifyDock",
            self.identify_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.table_dock = self._dock(
            self.tr("Attribute table"),
            "tableDock",
            self.table_tabs,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.table_dock.hide()

        self._build_actions()
        self._build_status_bar()
        install_grid_editing(self)  # the Edit grid menu, toolbar and panel
        install_analysis(self)  # the Analysis menu, results dock and what-if tool
        install_live_monitoring(self)  # the Live menu, marker overlay, alarm dock
        install_cases(self)  # the Cases menu, dispatch board, cases on the map
        install_fusion(self)  # the Data fusion menu: conflict review, data-quality layer
        install_access(self)  # who is logged in; actions their role may not use are disabled

        self.canvas.cursorMoved.connect(self._on_cursor)
        self.canvas.viewChanged.connect(self._on_view_changed)
        self.canvas.featureIdentified.connect(self._on_identified)
        self.canvas.renderStarted.connect(lambda: self.render_label.setText(self.tr("Rendering…")))
        self.canvas.renderFinished.connect(self._on_render_finished)
        self.layer_panel.visibilityChanged.connect(self._on_layer_visibility)
        self.layer_panel.opacityChanged.connect(self._on_layer_opacity)
        self.layer_panel.orderChanged.connect(self._on_layer_order)
        self.layer_panel.styleRequested.connect(self.edit_style)
        self.layer_panel.zoomRequested.connect(self.zoom_to_layer)
        self.layer_panel.tableRequested.connect(self.open_table)
        self.identify_panel.hitActivated.connect(self.go_to_hit)

        self._save_styles_timer = QTimer(self)
        self._save_styles_timer.setSingleShot(True)
        self._save_styles_timer.setInterval(800)
        self._save_styles_timer.timeout.connect(self.save_styles)

        settings = app_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    # ------------------------------------------------------------------ UI construction
    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(
        self, text: str, slot, shortcut=None, icon: QIcon | None = None, tip: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(icon)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        st = self.style()
        SP = QStyle.StandardPixmap
        a = self._action
        self.act_open = a(
            self.tr("&Open store…"),
            self.open_store_dialog,
            QKeySequence.StandardKey.Open,
            _icon("open", SP.SP_DialogOpenButton, st),
            self.tr("Open the demo, a SpatiaLite file or a PostGIS server"),
        )
        self.act_open_project = a(self.tr("Open &project…"), self.open_project_dialog)
        self.act_save_project = a(
            self.tr("&Save project…"), self.save_project_dialog, QKeySequence.StandardKey.Save
        )
        self.act_export_png = a(
            self.tr("Export view as &PNG…"),
            self.export_png_dialog,
            None,
            _icon("export", SP.SP_DialogSaveButton, st),
            self.tr("Save the map as shown"),
        )
        self.act_print = a(
            self.tr("&Print layout (PNG/PDF)…"),
            self.print_dialog,
            QKeySequence.StandardKey.Print,
            _icon("print", SP.SP_FileDialogDetailedView, st),
            self.tr("A print-quality map with title, legend and scale bar"),
        )
        self.act_quit = a(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.act_zoom_in = a(
            self.tr("Zoom &in"),
            lambda: self.canvas.zoom_by(2.0),
            QKeySequence.StandardKey.ZoomIn,
            _icon("zoom_in"),
            self.tr("Zoom in"),
        )
        self.act_zoom_out = a(
            self.tr("Zoom &out"),
            lambda: self.canvas.zoom_by(0.5),
            QKeySequence.StandardKey.ZoomOut,
            _icon("zoom_out"),
            self.tr("Zoom out"),
        )
        self.act_zoom_full = a(
            self.tr("Zoom to &community"),
            self.zoom_home,
            "Ctrl+Shift+F",
            _icon("zoom_full", SP.SP_DirHomeIcon, st),
            self.tr("Show the whole community"),
        )
        self.act_zoom_cell = a(self.tr("Zoom to grid &cell…"), self.zoom_to_cell_dialog, "Ctrl+G")
        self.act_clear_sel = a(
            self.tr("&Clear selection"),
            self.clear_selection,
            "Esc",
            _icon("clear", SP.SP_DialogResetButton, st),
            self.tr("Clear the selection and highlight"),
        )
        self.act_table = a(
            self.tr("&Attribute table"),
            self._open_current_table,
            "F6",
            _icon("table", SP.SP_FileDialogListView, st),
            self.tr("Open the attribute table of the current layer"),
        )
        self.act_style = a(self.tr("&Style…"), self._edit_current_style)
        self.act_add_bookmark = a(self.tr("&Add bookmark…"), self.add_bookmark_dialog, "Ctrl+B")
        self.act_about = a(self.tr("&About Zhiwang"), self._about)

        bar = self.menuBar()
        m_file = bar.addMenu(self.tr("&File"))
        for act in (
            self.act_open,
            None,
            self.act_open_project,
            self.act_save_project,
            None,
            self.act_export_png,
            self.act_print,
            None,
            self.act_quit,
        ):
            m_file.addSeparator() if act is None else m_file.addAction(act)
        m_view = bar.addMenu(self.tr("&View"))
        for act in (
            self.act_zoom_in,
            self.act_zoom_out,
            self.act_zoom_full,
            self.act_zoom_cell,
            None,
            self.act_clear_sel,
        ):
            m_view.addSeparator() if act is None else m_view.addAction(act)
        m_view.addSeparator()
        for dock in (self.layer_dock, self.identify_dock, self.table_dock):
            m_view.addAction(dock.toggleViewAction())
        m_view.addSeparator()
        m_lang = m_view.addMenu(self.tr("&Language"))
        names = {"zh_CN": "简体中文", "en": "English"}
        current = ui_language()
        self.language_actions = {}
        for lang in LANGUAGES:
            act = QAction(names[lang], self)
            act.setCheckable(True)
            act.setChecked(lang == current)
            act.triggered.connect(lambda _c=False, code=lang: self.set_language(code))
            m_lang.addAction(act)
            self.language_actions[lang] = act
        m_layer = bar.addMenu(self.tr("&Layer"))
        m_layer.addAction(self.act_table)
        m_layer.addAction(self.act_style)
        self.bookmark_menu = bar.addMenu(self.tr("&Bookmarks"))
        self._rebuild_bookmark_menu()
        m_help = bar.addMenu(self.tr("&Help"))
        m_help.addAction(self.act_about)

        tb = QToolBar(self.tr("Map"), self)
        tb.setObjectName("mapToolBar")
        tb.setMovable(False)
        for act in (
            self.act_open,
            None,
            self.act_zoom_in,
            self.act_zoom_out,
            self.act_zoom_full,
            self.act_clear_sel,
            None,
            self.act_table,
            self.act_export_png,
            self.act_print,
        ):
            tb.addSeparator() if act is None else tb.addAction(act)
        tb.addSeparator()
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(
            self.tr("Search a grid cell code, address, facility or enterprise…")
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(320)
        self.search_box.returnPressed.connect(lambda: self.search(self.search_box.text()))
        tb.addWidget(self.search_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.store_status = QLabel(self.tr("No store open"))
        self.coord_label = QLabel()
        self.coord_label.setObjectName("coordLabel")
        self.coord_label.setMinimumWidth(420)
        self.scale_label = QLabel()
        self.scale_label.setMinimumWidth(110)
        self.render_label = QLabel()
        self.render_label.setMinimumWidth(110)
        sb.addWidget(self.store_status, 1)
        sb.addPermanentWidget(self.coord_label)
        sb.addPermanentWidget(self.scale_label)
        sb.addPermanentWidget(self.render_label)

    # ------------------------------------------------------------------ opening a store
    def open_store_url(
        self,
        url: str | None,
        label: str | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        """Open ``url`` (None: the embedded default store) off the GUI thread, then show it.

        A store with accounts asks for a login first (or logs in as ``username`` with
        ``password`` when both are given: ``zhiwang app --user U --password-stdin``), and the
        window then works as that user's session. On failure the window keeps the store it had
        and says what went wrong."""
        where = label or (str(default_store_path()) if url is None else _redacted(url))
        self._opening = True
        self.store_status.setText(self.tr("Opening {0}…").format(where))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AuthenticationFailed) and username is not None:
                self._opening = False  # a refused automatic login: let the user try by hand
                self.ask_login(url, where, None, username=username, error=exc)
            else:
                self._on_store_failed(exc, where)

        self.runner.submit(
            lambda: _open_bundle(url, username, password),
            on_done=lambda bundle: self._on_store_opened(bundle, where, url, username),
            on_error=failed,
            tag="open-store",
        )

    def _on_store_failed(self, exc: BaseException, where: str) -> None:
        self._opening = False
        message = explain_open_error(exc, where)
        self.store_status.setText(
            self.tr("Open: {0}").format(self.store_label)
            if self.store is not None
            else self.tr("No store open")
        )
        self.show_error(self.tr("Could not open the store"), message)

    def _on_store_opened(
        self, bundle: dict, where: str, url: str | None = None, username: str | None = None
    ) -> None:
        self._opening = False
        if "login" in bundle:
            self._restore_status()
            self.ask_login(url, where, bundle["login"], username=username)
            return
        self.set_store(bundle["store"], where, bundle)

    def _restore_status(self) -> None:
        self.store_status.setText(
            self.tr("Open: {0}").format(self.store_label)
            if self.store is not None
            else self.tr("No store open")
        )

    # ------------------------------------------------------------------ logging in
    def ask_login(
        self,
        url: str | None,
        where: str,
        hints: LoginHints | None,
        username: str | None = None,
        error: BaseException | None = None,
    ) -> LoginDialog:
        """Show the login dialog for the store at ``url``; the window stays as it is (and keeps
        its current store) until a login succeeds."""
        if self.login_dialog is not None:
            self.login_dialog.close()
        dialog = LoginDialog(where, hints, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if username:
            dialog.set_username(username)
        if error is not None:
            dialog.show_error(login_error_text(error, where))
        dialog.submitted.connect(lambda u, p: self._try_login(dialog, url, where, u, p))
        dialog.finished.connect(lambda _r: self._forget_login_dialog(dialog))
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def _forget_login_dialog(self, dialog: LoginDialog) -> None:
        if self.login_dialog is dialog:
            self.login_dialog = None

    def _try_login(
        self, dialog: LoginDialog, url: str | None, where: str, username: str, password: str
    ) -> None:
        self.store_status.setText(self.tr("Logging in to {0}…").format(where))

        def done(bundle: dict) -> None:
            if self.login_dialog is not dialog:  # cancelled meanwhile: not wanted any more
                bundle["store"].close()
                return
            dialog.accept()
            self.set_store(bundle["store"], where, bundle)

        def failed(exc: BaseException) -> None:
            self._restore_status()
            if self.login_dialog is dialog:
                dialog.show_error(login_error_text(exc, where))

        self.runner.submit(
            lambda: _login_bundle(url, username, password),
            on_done=done,
            on_error=failed,
            tag="login",
        )

    def close_store(self) -> None:
        """Close the open store (logging out): the map empties and the features let go of it."""
        old = self.store
        if old is None:
            return
        self._save_view()
        if self._save_styles_timer.isActive():
            self.save_styles()
        self.writer.wait(5000)
        self.canvas.shutdown()
        for kind in list(self.tables):
            self._close_table(self.table_tabs.indexOf(self.tables[kind]))
        self.store = None
        self.store_label = ""
        self._to_wgs84 = None
        self.layers = []
        self.bookmarks = []
        self._rebuild_bookmark_menu()
        self.identify_panel.clear()
        self.identify_panel.clear_hits()
        self.selection.clear()
        self.layer_panel.set_layers([])
        self.canvas.set_layers([])
        self.coord_label.clear()
        self.store_status.setText(self.tr("No store open"))
        self.setWindowTitle(self.tr("Zhiwang — community grid management"))
        self.access.apply(None)
        self.storeChanged.emit(None)
        old.close()

    def set_store(self, store: Store, label: str, bundle: dict | None = None) -> None:
        """Show ``store``: its saved layer styles (or the defaults), bookmarks and last view."""
        bundle = bundle or _read_store_settings(store)
        old = self.store
        self.canvas.shutdown()
        for kind in list(self.tables):
            self._close_table(self.table_tabs.indexOf(self.tables[kind]))
        self.store = store
        self.store_label = label
        self._to_wgs84 = transformer(f"EPSG:{store.srid}", "EPSG:4326") if store.srid else None
        self.layers = _layers_from_settings(store, bundle.get("styles"))
        self.bookmarks = bundle.get("bookmarks") or []
        self._rebuild_bookmark_menu()
        self.identify_panel.clear()
        self.identify_panel.clear_hits()
        self.clear_selection()
        self.layer_panel.set_layers(self.layers)
        self.canvas.set_layers(self.layers)
        self.store_status.setText(self.tr("Open: {0}").format(label))
        self.setWindowTitle(self.tr("Zhiwang — {0}").format(label))
        view = self._saved_view(store)
        if view is not None:
            self.canvas.set_view(view, settle_ms=None)
        else:
            self.zoom_home(bundle.get("extents"))
        self.access.apply(store, bundle.get("demo_account"))
        if old is not None and old is not store:
            old.close()
        self.storeChanged.emit(store)
        # What exists now (Qt wrappers, layers, caches) lives as long as the store stays open. A
        # full collection walks all of it — measured 110–130 ms holding the GIL, whichever thread
        # triggers it — and stalled the event loop while panning. Frozen objects are skipped.
        gc.freeze()

    def open_store_dialog(self) -> None:
        dialog = OpenStoreDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.open_choice(dialog.choice())

    def open_choice(self, choice: StoreChoice) -> None:
        if choice.kind == "postgis" and choice.pg is not None:
            if choice.remember and choice.password:
                save_password(choice.pg, choice.password)
            where = f"{choice.pg.host}:{choice.pg.port}/{choice.pg.database}"
            self.open_store_url(choice.url(), where)
        elif choice.kind == "file":
            if not choice.path:
                self.show_error(
                    self.tr("Could not open the store"), self.tr("Choose a SpatiaLite file first.")
                )
                return
            self.open_store_url(choice.path)
        else:
            self.open_demo()

    def open_demo(self) -> None:
        """Open the embedded demo store, building the demo community first if it is not there."""
        path = default_store_path()
        if path.exists():
            self.open_store_url(str(path), self.tr("embedded demo"))
            return
        try:
            from gis_core.demo import build_demo
        except ImportError:
            self.show_error(
                self.tr("Could not open the store"),
                self.tr("This installation has no demo builder."),
            )
            return
        self.store_status.setText(self.tr("Building the demo community…"))

        def build() -> str:
            from gis_core.security.accounts import ensure_demo_accounts

            with Store.init(str(path)) as store:
                build_demo(store)
                ensure_demo_accounts(store)  # demo/demo etc., as `zhiwang demo` makes them
            return str(path)

        self.runner.submit(
            build,
            on_done=lambda p: self.open_store_url(p, self.tr("embedded demo")),
            on_error=lambda exc: self._on_store_failed(exc, str(path)),
        )

    # ------------------------------------------------------------------ layers
    def layer_named(self, name: str) -> VectorLayer | None:
        return next((lyr for lyr in self.layers if lyr.name == name), None)

    def layers_of_kind(self, kind: str) -> list[VectorLayer]:
        return [lyr for lyr in self.layers if lyr.kind == kind]

    def set_layer_visible(self, layer: VectorLayer, visible: bool) -> None:
        self.layer_panel.set_visible(layer, visible)  # emits visibilityChanged via the panel

    def _on_layer_visibility(self, layer: VectorLayer) -> None:
        self.canvas.refresh_layer(layer)
        self._save_styles_timer.start()

    def _on_layer_opacity(self, layer: VectorLayer) -> None:
        self.canvas.update()  # opacity is applied when composing: no re-render
        self._save_styles_timer.start()

    def _on_layer_order(self, layers: list) -> None:
        self.layers = list(layers)
        self.canvas.set_layers(self.layers)
        self._save_styles_timer.start()

    def edit_style(self, layer: VectorLayer) -> None:
        dialog = StyleDialog(layer, self.runner, self)
        dialog.applied.connect(self._on_style_applied)
        dialog.open()
        self._style_dialog = dialog

    def _on_style_applied(self, layer: VectorLayer) -> None:
        self.layer_panel.update_legend(layer)
        self.canvas.refresh_layer(layer)
        self.save_styles()

    def _edit_current_style(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is not None:
            self.edit_style(layer)

    def styles_json(self) -> str:
        return json.dumps(
            {"version": 1, "layers": [lyr.to_dict() for lyr in self.layers if not _transient(lyr)]},
            ensure_ascii=False,
        )

    @Slot()
    def save_styles(self) -> None:
        """Keep the layers' order, visibility, opacity and styles in the store (store_meta)."""
        self._save_styles_timer.stop()
        store = self.store
        if store is None:
            return
        payload = self.styles_json()
        self.writer.submit(
            lambda: store.set_meta(STYLES_META_KEY, payload),
            on_error=lambda exc: self.statusBar().showMessage(
                self.tr("Could not save the layer styles in the store: {0}").format(exc), 8000
            ),
        )

    # ------------------------------------------------------------------ views
    def zoom_home(self, extents: dict | None = None) -> None:
        store = self.store
        if store is None:
            return
        for kind in HOME_KINDS:
            ext = (extents or {}).get(kind) if extents else store.extent(kind)
            if ext is not None:
                self.canvas.zoom_to_bbox(ext, margin=0.03)
                return

    def zoom_to_layer(self, layer: VectorLayer) -> None:
        ext = layer.extent()
        if ext is None:
            self.statusBar().showMessage(self.tr("{0} is empty").format(layer.title), 5000)
            return
        self.canvas.zoom_to_bbox(ext, margin=0.03)

    def zoom_to_cell(self, code: str) -> None:
        """Centre the map on the grid cell with this code and highlight it."""
        store = self.store
        if store is None:
            return
        self.runner.submit(
            lambda: [h for h in store.search(code, kinds=["grid_cells"], limit=5)],
            on_done=lambda hits: self._go_to_cell_hits(hits, code),
            tag="search",
        )

    def _go_to_cell_hits(self, hits: list, code: str) -> None:
        exact = [h for h in hits if h.label.split(" ")[0] == code] or hits
        if not exact:
            self.statusBar().showMessage(self.tr("No grid cell {0}").format(code), 5000)
            return
        self.go_to_hit(exact[0])

    def zoom_to_cell_dialog(self) -> None:
        code, ok = QInputDialog.getText(
            self, self.tr("Zoom to grid cell"), self.tr("Grid cell code:")
        )
        if ok and code.strip():
            self.zoom_to_cell(code.strip())

    def _on_view_changed(self, view: MapView) -> None:
        ratio = view.scale / METRES_PER_SCREEN_PX
        self.scale_label.setText(self.tr("Scale 1:{0}").format(f"{ratio:,.0f}"))

    def _on_render_finished(self) -> None:
        total = sum(self.canvas.last_render_ms.values())
        slowest = max(self.canvas.last_render_ms.values(), default=0.0)
        self.render_label.setText(self.tr("Rendered in {0} ms").format(f"{slowest:.0f}"))
        self.render_label.setToolTip(
            "\n".join(f"{k}: {v:.0f} ms" for k, v in self.canvas.last_render_ms.items())
            + f"\nΣ {total:.0f} ms"
        )

    def _on_cursor(self, x: float, y: float) -> None:
        if self.store is None:
            return
        text = f"EPSG:{self.store.srid}  {x:,.1f}, {y:,.1f}"
        if self._to_wgs84 is not None:
            lon, lat = self._to_wgs84.transform(x, y)
            text += f"  ·  {lon:.6f}°E, {lat:.6f}°N"
        self.coord_label.setText(text)

    def _saved_view(self, store: Store) -> MapView | None:
        value = app_settings().value(f"views/{_settings_key(store.url)}")
        if not value:
            return None
        try:
            cx, cy, scale = (float(v) for v in json.loads(str(value)))
            return MapView(cx, cy, scale, max(self.canvas.width(), 1), max(self.canvas.height(), 1))
        except (ValueError, TypeError):
            return None

    def _save_view(self) -> None:
        if self.store is None:
            return
        v = self.canvas.view
        app_settings().setValue(
            f"views/{_settings_key(self.store.url)}", json.dumps([v.center_x, v.center_y, v.scale])
        )

    # ------------------------------------------------------------------ identify and selection
    def _on_identified(self, layer, fid) -> None:
        if layer is None or fid is None:
            self.clear_selection()
            self.identify_panel.clear(missed=True)
            return
        self.select_features(layer.kind, [fid], source="map")
        self.show_feature(layer.kind, layer.title, int(fid))

    def show_feature(self, kind: str, title: str, fid: int) -> None:
        store = next((lyr.store for lyr in self.layers_of_kind(kind)), self.store)
        if store is None:
            return
        self.identify_panel.show_loading(title)
        self._identify_seq += 1
        seq = self._identify_seq
        attrs = store.attribute_names(kind)
        # A building's residents, masked by the store, for roles that may see residents at all.
        with_residents = kind == "buildings" and self.access.permits("view_personal")

        def fetch():
            frame = store.features(kind, [fid], attrs)
            if len(frame) == 0:
                return None
            values = {c: frame.columns[c][0] for c in attrs}
            residents = _residents_of(store, fid) if with_residents else (None, None)
            return values, residents

        def done(found):
            if seq != self._identify_seq:
                return
            if found is None:
                self.identify_panel.clear()
            else:
                values, (residents, total) = found
                self.identify_panel.show_feature(kind, title, fid, values, residents, total)

        self.runner.submit(fetch, on_done=done, on_error=lambda exc: self.identify_panel.clear())
        self.identify_dock.show()

    def select_features(self, kind: str, ids, source: str = "") -> None:
        """Select ``ids`` of ``kind`` on the map and in its attribute table (other kinds clear).

        Filled features are painted selected by their layer; outline-only polygons (grid cells,
        the community) get an outline highlight instead, so the buildings inside stay visible."""
        ids = frozenset(int(i) for i in ids)
        for other in list(self.selection):
            if other != kind:
                del self.selection[other]
                self.canvas.set_selection(other, ())
                if other in self.tables:
                    self.tables[other].select_ids(())
        if ids:
            self.selection[kind] = ids
        else:
            self.selection.pop(kind, None)
        self.canvas.set_highlight(None)
        self._highlight_seq += 1
        if any(is_outline_only(lyr) for lyr in self.layers_of_kind(kind)):
            self.canvas.set_selection(kind, ())
            if ids and self.store is not None:
                store, seq, wanted = self.store, self._highlight_seq, list(ids)[:5000]

                def show(geoms) -> None:
                    if seq == self._highlight_seq:
                        self.canvas.set_highlight(shapely.geometrycollections(geoms))

                self.runner.submit(lambda: store.features(kind, wanted).geometry, on_done=show)
        else:
            self.canvas.set_selection(kind, ids)
        if source != "table" and kind in self.tables:
            self.tables[kind].select_ids(ids)

    def clear_selection(self) -> None:
        for kind in list(self.tables):
            self.tables[kind].select_ids(())
        self.selection.clear()
        self._highlight_seq += 1
        self.canvas.clear_selection()

    # ------------------------------------------------------------------ search
    def search(self, text: str) -> None:
        text = text.strip()
        store = self.store
        if not text or store is None:
            return
        self.statusBar().showMessage(self.tr("Searching “{0}”…").format(text))
        self.runner.submit(
            lambda: store.search(text, limit=10),
            on_done=lambda hits: self._on_search_done(hits, text),
            on_error=lambda exc: self.statusBar().showMessage(
                self.tr("Search failed: {0}").format(exc), 8000
            ),
            tag="search",
        )

    def _on_search_done(self, hits: list, text: str) -> None:
        self.statusBar().clearMessage()
        self.identify_panel.show_hits(hits, text)
        self.identify_dock.show()
        if hits:
            self.go_to_hit(hits[0])
        else:
            self.statusBar().showMessage(self.tr("Nothing found for “{0}”").format(text), 5000)

    def go_to_hit(self, hit) -> None:
        """Centre the map on a search hit, highlight and select it, and show its attributes."""
        geom = hit.geometry
        minx, miny, maxx, maxy = shapely.bounds(geom)
        if maxx - minx < 1 and maxy - miny < 1:
            self.canvas.center_on(
                (minx + maxx) / 2, (miny + maxy) / 2, scale=min(self.canvas.view.scale, 0.6)
            )
        else:
            # Small features (a building) keep some streets around them in view.
            self.canvas.zoom_to_bbox((minx, miny, maxx, maxy), margin=0.6, min_scale=0.4)
        self.select_features(hit.kind, [hit.id], source="search")
        self._highlight_seq += 1  # the hit's own geometry is the highlight
        self.canvas.set_highlight(geom)
        self.show_feature(hit.kind, kind_title(hit.kind), hit.id)

    # ------------------------------------------------------------------ attribute tables
    def open_table(self, layer_or_kind) -> AttributeTable | None:
        if self.store is None:
            return None
        kind = layer_or_kind if isinstance(layer_or_kind, str) else layer_or_kind.kind
        table = self.tables.get(kind)
        if table is None:
            store = next((lyr.store for lyr in self.layers_of_kind(kind)), self.store)
            table = AttributeTable(store, kind, self.runner)
            table.selectionChanged.connect(self._on_table_selection)
            table.zoomRequested.connect(self.zoom_to_features)
            self.tables[kind] = table
            layer = next((lyr for lyr in self.layers_of_kind(kind) if _transient(lyr)), None)
            self.table_tabs.addTab(table, layer.title if layer is not None else kind_title(kind))
            sel = self.selection.get(kind)
            if sel:
                table.select_ids(sel)
        self.table_tabs.setCurrentWidget(table)
        self.table_dock.show()
        return table

    def _open_current_table(self) -> None:
        layer = self.layer_panel.current_layer()
        self.open_table(layer if layer is not None else "buildings")

    def _close_table(self, index: int) -> None:
        widget = self.table_tabs.widget(index)
        if widget is None:
            return
        self.table_tabs.removeTab(index)
        self.tables.pop(widget.kind, None)
        widget.deleteLater()
        if not self.tables:
            self.table_dock.hide()

    def _on_table_selection(self, kind: str, ids) -> None:
        self.select_features(kind, ids, source="table")
        if len(ids) == 1:
            self.show_feature(kind, kind_title(kind), next(iter(ids)))

    def zoom_to_features(self, kind: str, ids) -> None:
        store = next((lyr.store for lyr in self.layers_of_kind(kind)), self.store)
        ids = list(ids)
        if store is None or not ids:
            return
        self.runner.submit(
            lambda: shapely.total_bounds(store.features(kind, ids[:10_000]).geometry),
            on_done=lambda b: self.canvas.zoom_to_bbox(tuple(b), margin=0.3),
        )

    # ------------------------------------------------------------------ bookmarks
    def add_bookmark(self, name: str) -> None:
        v = self.canvas.view
        self.bookmarks.append({"name": name, "cx": v.center_x, "cy": v.center_y, "scale": v.scale})
        self._rebuild_bookmark_menu()
        self._save_bookmarks()

    def add_bookmark_dialog(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            self.tr("Add bookmark"),
            self.tr("Name of this view:"),
            text=self.tr("View {0}").format(len(self.bookmarks) + 1),
        )
        if ok and name.strip():
            self.add_bookmark(name.strip())

    def go_to_bookmark(self, index: int) -> None:
        b = self.bookmarks[index]
        self.canvas.set_view(
            MapView(
                b["cx"],
                b["cy"],
                b["scale"],
                max(self.canvas.width(), 1),
                max(self.canvas.height(), 1),
            ),
            settle_ms=None,
        )

    def delete_bookmark(self, index: int) -> None:
        del self.bookmarks[index]
        self._rebuild_bookmark_menu()
        self._save_bookmarks()

    def _rebuild_bookmark_menu(self) -> None:
        menu = self.bookmark_menu
        menu.clear()
        menu.addAction(self.act_add_bookmark)
        if self.bookmarks:
            menu.addSeparator()
            for i, b in enumerate(self.bookmarks):
                act = menu.addAction(b["name"])
                act.triggered.connect(lambda _c=False, i=i: self.go_to_bookmark(i))
            delete = menu.addMenu(self.tr("Delete bookmark"))
            for i, b in enumerate(self.bookmarks):
                act = delete.addAction(b["name"])
                act.triggered.connect(lambda _c=False, i=i: self.delete_bookmark(i))

    def _save_bookmarks(self) -> None:
        store = self.store
        if store is None:
            return
        payload = json.dumps(self.bookmarks, ensure_ascii=False)
        self.writer.submit(
            lambda: store.set_meta(BOOKMARKS_META_KEY, payload),
            on_error=lambda exc: self.statusBar().showMessage(
                self.tr("Could not save the bookmarks in the store: {0}").format(exc), 8000
            ),
        )

    # ------------------------------------------------------------------ project files
    def project_dict(self) -> dict:
        v = self.canvas.view
        return {
            "zhiwang_project": 1,
            "store": self.store.url if self.store is not None else None,  # password hidden
            "layers": [lyr.to_dict() for lyr in self.layers if not _transient(lyr)],
            "view": {"cx": v.center_x, "cy": v.center_y, "scale": v.scale},
            "bookmarks": self.bookmarks,
        }

    def save_project(self, path: str) -> None:
        Path(path).write_text(
            json.dumps(self.project_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.statusBar().showMessage(self.tr("Project saved to {0}").format(path), 5000)

    def apply_project(self, data: dict) -> None:
        """Apply a project's layers, view and bookmarks to the open store."""
        if self.store is None:
            return
        self.canvas.shutdown()
        self.layers = _layers_from_settings(self.store, {"layers": data.get("layers", [])})
        self.layer_panel.set_layers(self.layers)
        self.canvas.set_layers(self.layers)
        self.bookmarks = list(data.get("bookmarks", []))
        self._rebuild_bookmark_menu()
        v = data.get("view")
        if v:
            self.canvas.set_view(
                MapView(
                    v["cx"],
                    v["cy"],
                    v["scale"],
                    max(self.canvas.width(), 1),
                    max(self.canvas.height(), 1),
                ),
                settle_ms=None,
            )
        self.save_styles()

    def save_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save project"),
            "zhiwang" + PROJECT_SUFFIX,
            self.tr("Zhiwang projects (*.zwproj)"),
        )
        if path:
            self.save_project(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open project"), "", self.tr("Zhiwang projects (*.zwproj)")
        )
        if not path:
            return
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.show_error(self.tr("Could not open the project"), str(exc))
            return
        store_url = data.get("store")
        if self.store is not None and (not store_url or store_url == self.store.url):
            self.apply_project(data)
        elif store_url and "***" not in store_url:
            self._pending_project = data
            self.open_store_url(store_url.replace("sqlite:///", "", 1))
            QTimer.singleShot(0, self._apply_pending_project_when_open)
        else:
            self.show_error(
                self.tr("Could not open the project"),
                self.tr(
                    "Open the project's PostGIS store first (File → Open store), then the project."
                ),
            )

    def _apply_pending_project_when_open(self) -> None:
        if self._opening:
            QTimer.singleShot(100, self._apply_pending_project_when_open)
            return
        data = getattr(self, "_pending_project", None)
        self._pending_project = None
        if data is not None:
            self.apply_project(data)

    # ------------------------------------------------------------------ export
    def export_png(self, path: str) -> None:
        """Save the map as shown (with scale bar and north arrow), once it is fully rendered."""

        def write() -> None:
            if self.canvas.grab().save(path):
                self.statusBar().showMessage(self.tr("Map saved to {0}").format(path), 5000)
            else:
                self.show_error(
                    self.tr("Export failed"), self.tr("Could not write {0}").format(path)
                )

        if self.canvas.is_rendering():
            self.canvas.renderFinished.connect(write, Qt.ConnectionType.SingleShotConnection)
        else:
            write()

    def export_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export view"), "map.png", self.tr("PNG images (*.png)")
        )
        if path:
            self.export_png(path)

    def print_job(self, path: str, title: str, page: str = "A4", dpi: int = 300) -> PrintJob:
        visible = [lyr for lyr in self.layers if lyr.visible]
        # Layers without any feature (no recorded extent) stay out of the legend.
        with_data = [lyr for lyr in visible if lyr.extent() is not None]
        legend = [
            LegendGroup(lyr.title, lyr.geometry_type, legend_rows(lyr))
            for lyr in reversed(with_data)
        ]
        srid = self.store.srid if self.store is not None else None
        footer = self.tr("{0} · EPSG:{1} · made with Zhiwang").format(
            dt.date.today().isoformat(), srid
        )
        return PrintJob(
            path=path,
            title=title,
            bbox=self.canvas.view.bbox,
            layers=[
                (lyr.snapshot(), lyr.opacity, self.canvas.selection(lyr.kind)) for lyr in visible
            ],
            legend=legend,
            legend_title=self.tr("Legend"),
            north_letter=QCoreApplication.translate("MapCanvas", "N"),
            footer=footer,
            page=page,
            dpi=dpi,
        )

    def export_print(
        self, path: str, title: str, page: str = "A4", dpi: int = 300, on_done=None
    ) -> None:
        job = self.print_job(path, title, page, dpi)
        self.statusBar().showMessage(self.tr("Exporting {0}…").format(path))

        def done(p: str) -> None:
            self.statusBar().showMessage(self.tr("Map saved to {0}").format(p), 8000)
            if on_done is not None:
                on_done(p)

        on_error = lambda exc: self.show_error(self.tr("Export failed"), str(exc))  # noqa: E731
        pool = shared_pool()
        if self.canvas.render_in == "process" and not pool.broken:
            # Painting a page holds the GIL for seconds: do it in a render process.
            job = replace(job, layers=[(layer_spec(s), o, sel) for s, o, sel in job.layers])
            self.runner.watch(pool.call(export_print, job), on_done=done, on_error=on_error)
        else:
            self.runner.submit(lambda: export_print(job), on_done=done, on_error=on_error)

    def print_dialog(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Print layout"))
        form = QFormLayout(dialog)
        title = QLineEdit(self.tr("Community grid map"))
        page = QComboBox()
        page.addItems(["A4", "A3"])
        dpi = QComboBox()
        for d in (150, 300, 600):
            dpi.addItem(f"{d} dpi", d)
        dpi.setCurrentIndex(1)
        form.addRow(self.tr("Title"), title)
        form.addRow(self.tr("Page (landscape)"), page)
        form.addRow(self.tr("Resolution"), dpi)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export print layout"),
            "map.pdf",
            self.tr("PDF documents (*.pdf);;PNG images (*.png)"),
        )
        if path:
            self.export_print(path, title.text(), page.currentText(), int(dpi.currentData()))

    # ------------------------------------------------------------------ misc
    def set_language(self, lang: str) -> None:
        set_ui_language(lang)
        for code, act in self.language_actions.items():
            act.setChecked(code == lang)
        QMessageBox.information(
            self,
            self.tr("Language"),
            self.tr("The new language is used the next time Zhiwang starts."),
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Zhiwang"),
            self.tr("Zhiwang (织网) — a desktop GIS for community grid management."),
        )

    def show_error(self, title: str, message: str) -> None:
        """Tell the user without blocking the window (a window-modal box, not a nested loop)."""
        self.last_error = message
        log.warning("%s: %s", title, message)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.statusBar().showMessage(message, 10000)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self._save_view()
        if self._save_styles_timer.isActive():
            self.save_styles()
        self.canvas.shutdown()
        # Every feature's runner (cases, live, analysis, grid editing) too, not only the window's
        # own: a task finishing after the window is gone delivered its result into deleted
        # widgets (a crash, "double free or corruption", seen when a case action failed late).
        for runner in self.findChildren(TaskRunner):
            runner.shutdown()
        if self.store is not None:
            self.store.close()
        super().closeEvent(event)


# ---------------------------------------------------------------------- helpers (no widgets)
# Connections the window's threads use at once (tasks, writer, identify); opened up front.
WARM_CONNECTIONS = 4


def _open_bundle(url: str | None, username: str | None = None, password: str | None = None) -> dict:
    """Open a store and read what the window shows first (worker thread). A store with accounts
    is closed again and answered with ``{"login": hints}`` unless a user name and password
    were given."""
    if username is not None and password is not None:
        return _login_bundle(url, username, password)
    store = Store.open(url)
    try:
        if store.user is None and has_accounts(store):
            hints = login_hints(store)
            store.close()
            return {"login": hints}
        _warm_up(store)
        bundle = _read_store_settings(store)
    except Exception:
        store.close()
        raise
    bundle["store"] = store
    return bundle


def _login_bundle(url: str | None, username: str, password: str) -> dict:
    """Log in (audited, with lock-out) and open the user's session of the store: PostGIS
    row-level security and the SpatiaLite scope limit it to the user's grid cells."""
    session = open_session(url, username, password)
    try:
        _warm_up(session)
        bundle = _read_store_settings(session)
        bundle["demo_account"] = is_demo_account(session, session.user)
    except Exception:
        session.close()
        raise
    bundle["store"] = session
    return bundle


RESIDENT_COLUMNS = ("name", "gender", "id_number", "phone", "household_code")
MAX_RESIDENTS_SHOWN = 50


def _residents_of(store: Store, building_id: int) -> tuple[list[tuple[int, dict]], int]:
    """The first residents of a building (their personal fields masked by the store) and how
    many live there in all (counted only when the page is full), worker thread."""
    where = [("building_id", "=", int(building_id))]
    frame = store.page("residents", list(RESIDENT_COLUMNS), 0, MAX_RESIDENTS_SHOWN, filter=where)
    rows = [
        (int(rid), {c: frame.columns[c][k] for c in RESIDENT_COLUMNS})
        for k, rid in enumerate(frame.ids.tolist())
    ]
    total = store.count_where("residents", where) if len(rows) >= MAX_RESIDENTS_SHOWN else len(rows)
    return rows, total


def _warm_up(store: Store) -> None:
    """Fill the connection pool now: a new SpatiaLite connection loads the extension while
    holding Python's GIL (tens of ms), which would freeze the GUI if it happened mid-session."""
    conns = []
    try:
        for _ in range(WARM_CONNECTIONS):
            conns.append(store.engine.connect())
    finally:
        for conn in conns:
            conn.close()


def _read_store_settings(store: Store) -> dict:
    def load(key):
        raw = store.meta(key)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            log.warning("ignoring unreadable %s in the store", key)
            return None

    return {
        "styles": load(STYLES_META_KEY),
        "bookmarks": load(BOOKMARKS_META_KEY),
        "extents": {k: store.extent(k) for k in HOME_KINDS},
    }


def _layers_from_settings(store: Store, styles: dict | None) -> list[VectorLayer]:
    """The saved layers (order, visibility, opacity, style), then any default layer not saved."""
    defaults = default_layers(store)
    by_name = {lyr.name: lyr for lyr in defaults}
    out: list[VectorLayer] = []
    for data in (styles or {}).get("layers", []):
        try:
            layer = VectorLayer.from_dict(data, store)
        except (KeyError, ValueError, TypeError) as exc:
            log.warning("ignoring a saved layer that cannot be read: %s", exc)
            continue
        if any(lyr.name == layer.name for lyr in out):
            continue
        out.append(layer)
    names = {lyr.name for lyr in out}
    for i, lyr in enumerate(defaults):
        if lyr.name not in names:
            out.insert(min(i, len(out)), lyr)
    for lyr in out:
        if lyr.name in by_name:
            lyr.title = kind_title(lyr.kind)  # titles follow the UI language, not the saved one
    return out


def _transient(layer) -> bool:
    """Result layers (analysis) are not saved with the store's styles or in projects."""
    return bool(getattr(layer, "transient", False))


def _settings_key(url: str) -> str:
    return url.replace("/", "|").replace(":", ";")


def _redacted(url: str) -> str:
    """A store URL fit for the status bar: no password, no driver name."""
    from sqlalchemy.engine import make_url

    if "://" not in url:
        return url
    try:
        shown = make_url(url).set(query={}).render_as_string(hide_password=True)
    except Exception:
        return "PostGIS"
    return shown.replace("postgresql+psycopg://", "postgresql://")
