"""The editing session of the window: a QUndoStack over :mod:`gis_core.editing` commands, live
checks while drawing, confirmation of building cuts, save with impact and conflicts, and the
snapping index built off the GUI thread."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.grid_editing.messages import command_text, problem_text
from gis_core.editing import (
    SNAP_KINDS,
    Conflict,
    CreateCell,
    EditCommand,
    EditRefused,
    EditSession,
    Problem,
    SaveResult,
    SnapIndex,
    SplitCell,
)

__all__ = ["GridEditController", "offer_pending_sessions"]

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


class _EditUndo(QUndoCommand):
    """One edit on the undo stack: redo applies (and journals) it, undo reverts it.

    Edits go on the stack already applied (the controller applies them first, so a refusal is
    an ordinary exception, not one lost inside Qt's ``push``); the first redo only records it.
    """

    def __init__(self, controller: GridEditController, command: EditCommand):
        super().__init__(command_text(command.text))
        self.controller = controller
        self.command = command
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.controller._run(self.controller.session.apply, self.command)

    def undo(self) -> None:
        self.controller._run(self.controller.session.revert, self.command)


class GridEditController(QObject):
    """Edits of one community, driven by the map tools, the panel and the menu.

    ``session`` is None while nothing is being edited. Signals: ``sessionChanged()`` when a
    session starts or ends; ``changed()`` after every edit, undo, redo, save or discard;
    ``problemsChanged(list)`` with the problems of the edit being drawn (empty when it is fine);
    ``saved(SaveResult)``; ``conflicted(Conflict)`` when a save is refused because someone else
    changed the cells; ``cellsCreated(list)`` with the ids of cells a split or a drawn cell made;
    ``snapIndexReady()`` once buildings and streets can be snapped to.
    """

    sessionChanged = Signal()
    changed = Signal()
    problemsChanged = Signal(list)
    saved = Signal(object)
    conflicted = Signal(object)
    cellsCreated = Signal(list)
    snapIndexReady = Signal()
    failed = Signal(str)
    _snapBuilt = Signal(int, object)

    def __init__(self, session: EditSession | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.session: EditSession | None = None
        self.undo_stack = QUndoStack(self)
        self.snap_index: SnapIndex | None = None
        self.snap_tolerance_px = 10.0
        self.snap_kinds: tuple[str, ...] = SNAP_KINDS
        self.conflict: Conflict | None = None
        self.problems: list[Problem] = []
        self._snap_generation = itertools.count(1)
        self._snap_wanted = 0
        self._snapBuilt.connect(self._on_snap_built)
        # Asked when an edit cuts buildings in two; returns True to go ahead. Tests replace it.
        self.confirm: Callable[[list[Problem]], bool] = self._ask_confirmation
        if session is not None:
            self.set_session(session)

    @property
    def coverage(self):
        return None if self.session is None else self.session.coverage

    @property
    def active(self) -> bool:
        return self.session is not None

    def set_session(self, session: EditSession | None) -> None:
        """Edit ``session`` (None: stop editing). Edits it already holds (a restored session)
        go on the undo stack, so they can be undone one by one."""
        self.undo_stack.clear()
        self.session = session
        self.conflict = None
        self.problems = []
        if session is not None:
            for command in session.applied:
                self.undo_stack.push(_EditUndo(self, command))
        else:
            self._snap_wanted = 0
            self.snap_index = None
        self.sessionChanged.emit()
        self.changed.emit()

    def _run(self, step, command: EditCommand) -> None:
        """Undo or redo one edit for the stack. Should it fail (the store went away while
        journalling), the stack is rebuilt from what the session really holds."""
        try:
            step(command)
        except Exception as exc:
            log.exception("grid edit undo/redo failed")
            self.failed.emit(str(exc))
            QTimer.singleShot(0, self._resync)
        self.changed.emit()

    def _resync(self) -> None:
        if self.session is not None:
            self.undo_stack.clear()
            for command in self.session.applied:
                self.undo_stack.push(_EditUndo(self, command))
            self.changed.emit()

    # ------------------------------------------------------------------ snapping
    def build_snap_index(self, pool: QThreadPool | None = None) -> None:
        """Build the snapping index of buildings and streets off the GUI thread; snapping to
        cell vertices and edges works at once, to buildings and streets once it is ready."""
        if self.session is None:
            return
        store, bbox = self.session.store, self.coverage.boundary.bounds
        generation = next(self._snap_generation)
        self._snap_wanted = generation
        built = self._snapBuilt

        class _Build(QRunnable):
            def run(self) -> None:
                try:
                    index = SnapIndex.from_store(store, bbox)
                except Exception:  # the store closed meanwhile: nothing to snap to
                    index = None
                built.emit(generation, index)

        (pool or QThreadPool.globalInstance()).start(_Build())

    def _on_snap_built(self, generation: int, index) -> None:
        if generation != self._snap_wanted or index is None:
            return
        self.snap_index = index
        self.snapIndexReady.emit()

    def snap(self, xy, metres_per_px: float):
        """Snap a map point with the controller's pixel tolerance at the given scale."""
        if self.session is None or not self.snap_kinds:
            return None
        index = self.snap_index or SnapIndex()
        return index.snap(
            self.coverage, xy, self.snap_tolerance_px * metres_per_px, tuple(self.snap_kinds)
        )

    # ------------------------------------------------------------------ editing
    def set_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.problemsChanged.emit(self.problems)

    def check(self, command: EditCommand) -> list[Problem]:
        """Live check of the edit being drawn; emits ``problemsChanged``."""
        problems = self.session.check(command)
        self.set_problems(problems)
        return problems

    def push(self, command: EditCommand) -> list[Problem]:
        """Check and, if it keeps the grid valid, do the edit (undoable). Building cuts are
        confirmed with the user first. Returns the problems that stopped it (empty if done)."""
        if self.session is None:
            return []
        problems = self.session.check(command)
        if problems and all(p.confirmable for p in problems):
            if not self.confirm(problems):
                self.set_problems(problems)
                return problems
            command.allow_cut = True
            problems = self.session.check(command)
        self.set_problems(problems)
        if problems:
            return problems
        before = set(self.coverage.ids)
        try:
            self.session.apply(command)
        except EditRefused as refused:  # the coverage changed between check and apply
            self.set_problems(refused.problems)
            return refused.problems
        self.undo_stack.push(_EditUndo(self, command))
        self.changed.emit()
        if isinstance(command, SplitCell | CreateCell):
            created = sorted(set(self.coverage.ids) - before)
            if created:
                self.cellsCreated.emit(created)
        return []

    def save(self, reason: str | None = None) -> SaveResult | Conflict:
        result = self.session.save(reason)
        if isinstance(result, Conflict):
            self.conflict = result
            self.conflicted.emit(result)
            return result
        self.conflict = None
        self.undo_stack.clear()
        self.saved.emit(result)
        self.changed.emit()
        return result

    def discard(self) -> None:
        self.undo_stack.clear()
        self.conflict = None
        self.session.discard()
        self.set_problems([])
        self.changed.emit()

    def rebase(self):
        """After a conflict: reload the cells and redo the pending edits on them."""
        report = self.session.rebase()
        self.conflict = None
        self.set_session(self.session)
        return report

    def _ask_confirmation(self, problems: list[Problem]) -> bool:
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        labels = "\n".join(f"• {problem_text(p)}" for p in problems[:10])
        more = len(problems) - 10
        if more > 0:
            labels += "\n" + translate("GridEditing", "… and {0} more").format(more)
        answer = QMessageBox.question(
            parent,
            translate("GridEditing", "Cut buildings?"),
            translate("GridEditing", "The new cell edge cuts these buildings in two:")
            + "\n"
            + labels
            + "\n\n"
            + translate("GridEditing", "Go ahead and cut them?"),
        )
        return answer == QMessageBox.StandardButton.Yes


def offer_pending_sessions(parent: QWidget | None, store, editor: str | None):
    """Ask (modal) whether to restore the edits a crashed session left in the journal.
    Returns the resumed ``(EditSession, ReplayReport)``, or None. The window uses the
    non-blocking :class:`desktop.grid_editing.window.PendingEditsOffer` instead."""
    pending = EditSession.pending(store, editor)
    if not pending:
        return None
    p = pending[-1]
    box = QMessageBox(parent)
    box.setWindowTitle(translate("GridEditing", "Unsaved grid edits"))
    box.setText(
        translate(
            "GridEditing",
            "{0} grid edit(s) from an earlier session were not saved. Restore them?",
        ).format(p.count)
    )
    box.setDetailedText("\n".join(command_text(t) for t in p.texts))
    restore = box.addButton(translate("GridEditing", "Restore"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(
        translate("GridEditing", "Discard"), QMessageBox.ButtonRole.DestructiveRole
    )
    box.addButton(translate("GridEditing", "Later"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is restore:
        return EditSession.resume(store, p.session_id, editor)
    if box.clickedButton() is discard:
        EditSession.discard_pending(store, p.session_id)
    return None
