"""Grid editing in the main window: the "Edit grid" menu and toolbar, the editing panel as a
dock, the tools on the map canvas, the restore offer for edits a crashed session left behind,
and the map's layers re-rendered after a save.

The main window only calls :func:`install_grid_editing` and tells it when a store opens
(``MainWindow.storeChanged``); everything else lives here.
"""

from __future__ import annotations

import getpass
import logging
import os
import re

import shapely
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMessageBox, QToolBar

from desktop.access import account_name
from desktop.grid_editing.attributes import CellAttributesDialog
from desktop.grid_editing.controller import GridEditController
from desktop.grid_editing.messages import command_text, problem_message
from desktop.grid_editing.overlay import EditOverlay
from desktop.grid_editing.panel import EditPanel, HistoryDialog
from desktop.grid_editing.tools import (
    AddVertexTool,
    CreateCellTool,
    DeleteVertexTool,
    MergeTool,
    PickCellTool,
    ReshapeBoundaryTool,
    SplitTool,
    VertexTool,
)
from desktop.settings import app_settings
from desktop.tasks import TaskRunner
from gis_core.editing import EditSession, load_coverage

__all__ = ["GridEditing", "install_grid_editing", "editor_name", "set_editor_name"]

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

EDITOR_SETTING = "editing/editor"


def editor_name() -> str:
    """Who edits a store without accounts: ``ZHIWANG_EDITOR``, else the name set in the window,
    else the login name. With a logged-in account, :meth:`GridEditing.editor` is its name."""
    name = os.environ.get("ZHIWANG_EDITOR") or app_settings().value(EDITOR_SETTING, "")
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "editor"


def set_editor_name(name: str) -> None:
    settings = app_settings()
    settings.setValue(EDITOR_SETTING, name)
    settings.sync()


def install_grid_editing(window) -> GridEditing:
    """Add grid editing to ``window`` (a :class:`desktop.main_window.MainWindow`)."""
    editing = GridEditing(window)
    window.grid_editing = editing
    return editing


def _button_text(text: str) -> str:
    """A menu text without its mnemonic and ellipsis, for a toolbar button: "拆分网格(&S)" and
    "&Split cell" → "拆分网格", "Split cell"."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "").rstrip("…").strip()


def _community_at(store, view) -> int | None:
    """The community under the centre of the map (else the one most in view), or None."""
    frame = store.query_bbox("communities", view.bbox, [])
    if not len(frame):
        return None
    centre = shapely.Point(view.center_x, view.center_y)
    inside = shapely.intersects(frame.geometry, centre)
    if inside.any():
        return int(frame.ids[inside.argmax()])
    shown = shapely.area(shapely.intersection(frame.geometry, shapely.box(*view.bbox)))
    return int(frame.ids[int(shown.argmax())])


class GridEditing(QObject):
    """The grid-editing feature of one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        self.runner = TaskRunner(self, max_threads=2)  # loading a session; the snap index
        self.controller = GridEditController(parent=window)
        self.overlay = EditOverlay(self.canvas, self.controller)
        self.panel = EditPanel(self.controller)
        self.dock = QDockWidget(translate("GridEditing", "Grid editing"), window)
        self.dock.setObjectName("gridEditDock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        identify = getattr(window, "identify_dock", None)
        if identify is not None:  # a tab beside "Identify and search": room for the impact
            window.tabifyDockWidget(identify, self.dock)
        self.dock.hide()
        self.store = None
        self.pending_notice = ""  # told to a role that may not edit: unsaved edits wait
        self.pending_offer: QMessageBox | None = None
        self.attributes_dialog: CellAttributesDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        # Asked when the window closes or the editing stops with unsaved edits; returns
        # "save", "discard", "keep" (in the journal, offered next time) or "cancel".
        self.ask_unsaved = self._ask_unsaved
        self._loading = False

        c, o = self.controller, self.overlay
        self.tools = {
            "vertex": VertexTool(self.canvas, c, o),
            "add_vertex": AddVertexTool(self.canvas, c, o),
            "delete_vertex": DeleteVertexTool(self.canvas, c, o),
            "split": SplitTool(self.canvas, c, o),
            "merge": MergeTool(self.canvas, c, o),
            "create": CreateCellTool(self.canvas, c, o),
            "reshape": ReshapeBoundaryTool(self.canvas, c, o),
            "attributes": PickCellTool(self.canvas, c, o, self.edit_attributes),
            "history": PickCellTool(self.canvas, c, o, self.show_history),
        }
        self._build_actions()

        c.saved.connect(self._on_saved)
        c.conflicted.connect(self._on_conflict)
        c.problemsChanged.connect(self._on_problems)
        c.cellsCreated.connect(self._on_cells_created)
        c.changed.connect(self._update_actions)
        c.sessionChanged.connect(self._update_actions)
        c.undo_stack.indexChanged.connect(self._update_actions)
        c.failed.connect(
            lambda text: window.show_error(translate("GridEditing", "Grid editing"), text)
        )
        self.panel.locationRequested.connect(
            lambda x, y: self.canvas.center_on(x, y, scale=min(self.canvas.view.scale, 1.0))
        )
        self.panel.boundsRequested.connect(lambda b: self.canvas.zoom_to_bbox(b, margin=0.2))
        if hasattr(window, "storeChanged"):
            window.storeChanged.connect(self.on_store_opened)
        window.installEventFilter(self)
        self._update_actions()

    # ------------------------------------------------------------------ menu and toolbar
    def _action(self, text, slot=None, shortcut=None, tip=None, checkable=False) -> QAction:
        act = QAction(text, self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(lambda checked=False: slot(checked) if checkable else slot())
        return act

    def _build_actions(self) -> None:
        w = self.window
        self.act_edit = self._action(
            translate("GridEditing", "&Edit grid cells"),
            self.set_editing,
            "Ctrl+E",
            translate(
                "GridEditing",
                "Start or stop editing the grid cells of the community in the middle of the map",
            ),
            checkable=True,
        )
        self.act_edit.setObjectName("actEditGrid")
        texts = {
            "vertex": (
                translate("GridEditing", "&Move vertex or edge"),
                translate(
                    "GridEditing",
                    "Drag a vertex or an edge: every cell that shares it follows. Double-click "
                    "an edge to add a vertex, right-click a vertex to delete it.",
                ),
            ),
            "add_vertex": (
                translate("GridEditing", "&Add vertex"),
                translate("GridEditing", "Click a cell edge to add a vertex to it"),
            ),
            "delete_vertex": (
                translate("GridEditing", "&Delete vertex"),
                translate("GridEditing", "Click a vertex to remove it from every cell"),
            ),
            "split": (
                translate("GridEditing", "&Split cell"),
                translate(
                    "GridEditing",
                    "Click a line across a cell from edge to edge; double-click or Enter splits",
                ),
            ),
            "merge": (
                translate("GridEditing", "Me&rge cells"),
                translate("GridEditing", "Click a cell, then a neighbour: they become one"),
            ),
            "create": (
                translate("GridEditing", "&Create cell"),
                translate(
                    "GridEditing",
                    "Click an outline inside a cell; double-click or Enter makes it a new cell",
                ),
            ),
            "reshape": (
                translate("GridEditing", "Reshape &boundary"),
                translate(
                    "GridEditing",
                    "Click a line from the community boundary out (or in) and back to it; the "
                    "cells along it follow",
                ),
            ),
            "attributes": (
                translate("GridEditing", "Cell a&ttributes…"),
                translate(
                    "GridEditing", "Click a cell to edit its code, name, grid worker and supervisor"
                ),
            ),
            "history": (
                translate("GridEditing", "Cell &history…"),
                translate("GridEditing", "Click a cell to see its versions and restore one"),
            ),
        }
        self.tool_group = QActionGroup(self)
        self.tool_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.tool_actions: dict[str, QAction] = {}
        for name, (text, tip) in texts.items():
            act = self._action(text, None, None, tip, checkable=True)
            act.setObjectName(f"actGridTool_{name}")
            act.toggled.connect(lambda on, n=name: self._on_tool_toggled(n, on))
            self.tool_group.addAction(act)
            self.tool_actions[name] = act
        stack = self.controller.undo_stack
        self.act_undo = stack.createUndoAction(self, translate("GridEditing", "Undo"))
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.setObjectName("actGridUndo")
        self.act_redo = stack.createRedoAction(self, translate("GridEditing", "Redo"))
        self.act_redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.act_redo.setObjectName("actGridRedo")
        self.act_save = self._action(
            translate("GridEditing", "Sa&ve grid edits"),
            self.save,
            "Ctrl+Shift+S",
            translate("GridEditing", "Save the pending edits as new versions of the cells"),
        )
        self.act_discard = self._action(
            translate("GridEditing", "Discard grid edits"),
            self.discard,
            None,
            translate("GridEditing", "Undo every pending edit"),
        )
        self.act_editor = self._action(
            translate("GridEditing", "Editor &name…"), self.ask_editor_name
        )

        bar = w.menuBar()
        menu = self.menu = bar.addMenu(translate("GridEditing", "Edit &grid"))
        menu.setObjectName("menuEditGrid")
        # Before Help, which stays last.
        actions = bar.actions()
        if len(actions) >= 2:
            bar.removeAction(menu.menuAction())
            bar.insertAction(actions[-2], menu.menuAction())
        menu.addAction(self.act_edit)
        menu.addSeparator()
        for act in self.tool_actions.values():
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.act_undo)
        menu.addAction(self.act_redo)
        menu.addAction(self.act_save)
        menu.addAction(self.act_discard)
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        menu.addAction(self.act_editor)

        for act in (self.act_edit, *self.tool_actions.values(), self.act_save):
            act.setIconText(_button_text(act.text()))
        tb = self.toolbar = QToolBar(translate("GridEditing", "Grid editing"), w)
        tb.setObjectName("gridEditToolBar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.act_edit)
        tb.addSeparator()
        for act in self.tool_actions.values():
            tb.addAction(act)
        tb.addSeparator()
        tb.addAction(self.act_undo)
        tb.addAction(self.act_redo)
        tb.addAction(self.act_save)
        w.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

    def _update_actions(self) -> None:
        session = self.controller.session
        editing = session is not None
        can_edit = editing or (self.window.store is not None and not self._loading)
        self.act_edit.setEnabled(can_edit)
        if self.act_edit.isChecked() != editing and not self._loading:
            self.act_edit.blockSignals(True)
            self.act_edit.setChecked(editing)
            self.act_edit.blockSignals(False)
        for act in self.tool_actions.values():
            act.setEnabled(editing)
        dirty = editing and session.dirty
        self.act_save.setEnabled(dirty)
        self.act_discard.setEnabled(dirty)

    def _on_tool_toggled(self, name: str, on: bool) -> None:
        tool = self.tools[name]
        if on:
            for other in self.tools.values():
                if other is not tool:
                    other.deactivate()
            tool.activate()
        else:
            tool.deactivate()

    def select_tool(self, name: str | None) -> None:
        """Pick a tool by name (None: back to panning and identifying)."""
        if name is None:
            checked = self.tool_group.checkedAction()
            if checked is not None:
                checked.setChecked(False)
            return
        self.tool_actions[name].setChecked(True)

    @property
    def current_tool(self):
        return next((t for t in self.tools.values() if t.active), None)

    # ------------------------------------------------------------------ store and session
    def on_store_opened(self, store) -> None:
        """A store was opened: editing of the previous one ends, and edits a crashed session
        left in this one are offered for restore."""
        old = self.controller.session
        if old is not None and old.store is not store:
            if old.dirty:
                self.window.statusBar().showMessage(
                    translate(
                        "GridEditing",
                        "Your unsaved grid edits stay in the previous store's journal; they are "
                        "offered when you open it again.",
                    ),
                    10000,
                )
            self._end_session()
        self.store = store
        self.pending_notice = ""
        account = account_name(store)
        self.act_editor.setEnabled(account is None)  # a login records the account's name
        self.act_editor.setToolTip(
            translate("GridEditing", "Grid edits are recorded under your account: {0}").format(
                account
            )
            if account
            else ""
        )
        self._update_actions()
        if store is not None:
            self.check_pending()

    def editor(self) -> str:
        """Who edits: the logged-in account; in a store without accounts, :func:`editor_name`."""
        return account_name(self.window.store) or editor_name()

    def refusal(self) -> str | None:
        """Why the logged-in account may not edit the grid (None: it may)."""
        access = getattr(self.window, "access", None)
        return access.refusal("edit_grid") if access is not None else None

    def check_pending(self) -> None:
        """Offer to restore the editor's own unsaved edits; a role that may not edit the grid is
        told instead that unsaved edits (anyone's) wait for someone who may."""
        store, who = self.store, self.editor()
        refused = self.refusal() is not None
        mine = self.controller.session.session_id if self.controller.session else None
        self.runner.submit(
            lambda: [
                p
                for p in EditSession.pending(store, None if refused else who)
                if p.session_id != mine
            ],
            on_done=lambda pending: self._offer(store, pending),
            on_error=lambda exc: log.warning("could not read the edit journal: %s", exc),
            tag="pending",
        )

    def _offer(self, store, pending) -> None:
        if not pending or store is not self.store:
            return
        if self.refusal() is not None:
            self._tell_pending(pending)
            return
        p = pending[-1]
        box = QMessageBox(self.window)
        box.setObjectName("pendingGridEdits")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("GridEditing", "Unsaved grid edits"))
        box.setText(
            translate(
                "GridEditing",
                "{0} grid edit(s) from an earlier session were not saved (Zhiwang was closed "
                "before saving them). Restore them?",
            ).format(p.count)
        )
        box.setInformativeText(
            translate("GridEditing", "Last edit: {0}. Edits: {1}").format(
                str(p.last_at)[:19], ", ".join(command_text(t) for t in p.texts)
            )
        )
        restore = box.addButton(
            translate("GridEditing", "Restore"), QMessageBox.ButtonRole.AcceptRole
        )
        discard = box.addButton(
            translate("GridEditing", "Discard them"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(translate("GridEditing", "Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def answered(_result) -> None:
            clicked = box.clickedButton()
            self.pending_offer = None
            if clicked is restore:
                self.restore_pending(p.session_id)
            elif clicked is discard:
                EditSession.discard_pending(store, p.session_id)
                self.window.statusBar().showMessage(
                    translate("GridEditing", "The unsaved grid edits were discarded."), 8000
                )
            box.deleteLater()

        box.finished.connect(answered)
        self.pending_offer = box
        box.open()

    def _tell_pending(self, pending) -> None:
        """Say (status bar, and ``pending_notice``) that unsaved edits wait for an editor."""
        editors = sorted({p.editor or "?" for p in pending})
        self.pending_notice = translate(
            "GridEditing",
            "{0} unsaved grid edit(s) by {1} wait in this store's journal (last edit {2}). "
            "Your role may not edit the grid: a grid supervisor or an administrator can log in "
            "and restore or discard them.",
        ).format(sum(p.count for p in pending), ", ".join(editors), str(pending[-1].last_at)[:19])
        self.window.statusBar().showMessage(self.pending_notice, 30_000)

    def restore_pending(self, session_id: str) -> None:
        """Replay a journalled session on the cells as they are now, and edit it."""
        why = self.refusal()
        if why is not None:
            self.window.statusBar().showMessage(why, 10_000)
            return
        store, who = self.store, self.editor()
        if self.controller.session is not None:
            self._end_session()
        self._loading = True
        self._update_actions()
        self.runner.submit(
            lambda: EditSession.resume(store, session_id, who),
            on_done=lambda res: self._on_resumed(store, *res),
            on_error=self._on_load_failed,
            tag="session",
        )

    def _on_resumed(self, store, session, report) -> None:
        self._loading = False
        if store is not self.store:
            return
        self._begin(session)
        if report.refused is not None:
            self.window.show_error(
                translate("GridEditing", "Unsaved grid edits"),
                translate(
                    "GridEditing",
                    "{0} of {1} edits were restored; the next no longer fits the cells as they "
                    "are now and was dropped with the ones after it: {2}",
                ).format(
                    report.replayed,
                    report.total,
                    problem_message(report.refused.problems[0], session.coverage),
                ),
            )
        else:
            self.window.statusBar().showMessage(
                translate("GridEditing", "{0} unsaved grid edit(s) restored.").format(report.total),
                8000,
            )

    def set_editing(self, on: bool) -> None:
        if on:
            self.start_editing()
        else:
            self.stop_editing()

    def start_editing(self) -> None:
        """Open an editing session on the community in the middle of the map (off the GUI
        thread); the tools work once it is loaded."""
        if self.controller.session is not None or self._loading:
            return
        store = self.window.store
        if store is None:
            self._update_actions()
            return
        self.store = store
        view, who = self.canvas.view, self.editor()
        self._loading = True
        self._update_actions()
        self.window.statusBar().showMessage(translate("GridEditing", "Loading the grid cells…"))

        def load():
            community = _community_at(store, view)
            return EditSession(store, load_coverage(store, community), who)

        self.runner.submit(load, on_done=self._on_loaded, on_error=self._on_load_failed)

    def _on_loaded(self, session) -> None:
        self._loading = False
        if session.store is not self.window.store:
            self._update_actions()
            return
        self._begin(session)
        self.window.statusBar().showMessage(
            translate("GridEditing", "Editing {0} grid cells").format(len(session.coverage)), 5000
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._update_actions()
        self.window.show_error(
            translate("GridEditing", "Grid editing"),
            translate("GridEditing", "Could not load the grid cells: {0}").format(exc),
        )

    def _begin(self, session) -> None:
        self.controller.set_session(session)
        self.controller.build_snap_index(self.runner.pool)
        self.dock.show()
        self.dock.raise_()
        self._update_actions()
        if self.current_tool is None:
            self.select_tool("vertex")

    def stop_editing(self) -> bool:
        """End the session; with unsaved edits, ask first. False if the user cancelled."""
        session = self.controller.session
        if session is None:
            self._update_actions()
            return True
        if session.dirty:
            answer = self.ask_unsaved()
            if answer == "cancel":
                self._update_actions()
                return False
            if answer == "save":
                result = self.save()
                if not result:  # a conflict: stay in the session to resolve it
                    self._update_actions()
                    return False
            elif answer == "discard":
                self.controller.discard()
        self._end_session()
        return True

    def _end_session(self) -> None:
        self.select_tool(None)
        for tool in self.tools.values():
            tool.deactivate()
        for dialog in (self.attributes_dialog, self.history_dialog):
            if dialog is not None:
                dialog.close()
        self.controller.set_session(None)
        self.overlay.clear_drawing()
        self.overlay.set_history_geometry(None)
        self._update_actions()

    def _ask_unsaved(self) -> str:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("GridEditing", "Unsaved grid edits"))
        box.setText(
            translate(
                "GridEditing",
                "{0} grid edit(s) are not saved. Save them now?",
            ).format(len(self.controller.session.applied))
        )
        save = box.addButton(translate("GridEditing", "Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(
            translate("GridEditing", "Discard them"), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(
            translate("GridEditing", "Keep for later"), QMessageBox.ButtonRole.ActionRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return "save"
        if clicked is discard:
            return "discard"
        if clicked is keep:
            return "keep"
        return "cancel"

    def ask_editor_name(self) -> None:
        name, ok = QInputDialog.getText(
            self.window,
            translate("GridEditing", "Editor name"),
            translate("GridEditing", "Your name, recorded with every saved grid edit:"),
            text=editor_name(),
        )
        if ok and name.strip():
            set_editor_name(name.strip())
            if self.controller.session is not None:
                self.controller.session.editor = name.strip()
                self.controller.session.journal.editor = name.strip()
                self.panel.refresh()

    # ------------------------------------------------------------------ edits and saving
    def save(self):
        if self.controller.session is None:
            return None
        return self.panel.save()

    def discard(self) -> None:
        self.panel.discard()

    def _on_problems(self, problems: list) -> None:
        if problems:
            self.window.statusBar().showMessage(
                problem_message(problems[0], self.controller.coverage), 10000
            )

    def _on_conflict(self, conflict) -> None:
        self.dock.show()
        self.window.statusBar().showMessage(
            translate(
                "GridEditing",
                "Not saved: someone else changed these cells since you opened them: {0}",
            ).format(", ".join(c.code for c in conflict.cells)),
            10000,
        )

    def _on_saved(self, result) -> None:
        self.refresh_map(result)
        self.window.statusBar().showMessage(
            translate(
                "GridEditing",
                "Grid edits saved: {0} cell(s) have a new version.",
            ).format(len(result.versions)),
            8000,
        )

    def refresh_map(self, result=None) -> None:
        """Re-render the grid and the community, the layers coloured or labelled by cell, and
        reload the attribute tables whose rows changed cell."""
        moved = {k for k, n in ((result.reassigned if result else None) or {}).items() if n}
        window = self.window
        for layer in list(window.layers):
            if layer.kind in ("grid_cells", "communities") or "grid_cell_id" in layer.columns:
                window.canvas.refresh_layer(layer)
        for kind, table in list(getattr(window, "tables", {}).items()):
            if kind in ("grid_cells", "communities") or kind in moved:
                table.model.reload()

    def _on_cells_created(self, ids: list) -> None:
        """A split or a drawn cell made new cells: ask for their attributes (code proposed)."""
        if ids:
            self.edit_attributes(ids[0], proposed=True)

    def edit_attributes(self, cell_id: int, proposed: bool = False) -> CellAttributesDialog:
        if self.attributes_dialog is not None:
            self.attributes_dialog.close()
        dialog = CellAttributesDialog(self.controller, cell_id, self.window, proposed=proposed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "attributes_dialog", None))
        self.attributes_dialog = dialog
        dialog.open()
        return dialog

    def show_history(self, cell_id: int) -> HistoryDialog:
        if self.history_dialog is not None:
            self.history_dialog.close()
        dialog = HistoryDialog(self.controller, cell_id, self.window, overlay=self.overlay)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "history_dialog", None))
        self.history_dialog = dialog
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ closing the window
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window and event.type() == QEvent.Type.Close:
            session = self.controller.session
            if session is not None and session.dirty:
                answer = self.ask_unsaved()
                if answer == "cancel" or (answer == "save" and not self.save()):
                    event.ignore()
                    return True
                if answer == "discard":
                    self.controller.discard()
            self.runner.shutdown()
            self._end_session()
        return False
