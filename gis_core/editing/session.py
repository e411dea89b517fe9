"""An editing session: the coverage of one community, the edits applied to it (journalled as
they are made), impact preview, and the save that commits them — the object the window drives.

The window wraps each command in a QUndoCommand whose ``redo`` calls :meth:`EditSession.apply`
and whose ``undo`` calls :meth:`EditSession.revert`; it checks a command first with
:meth:`EditSession.check` (also usable on every mouse move while drawing). After a successful
:meth:`EditSession.save` it clears its undo stack.

Example::

    session = EditSession.open(store, community_id=1, editor="王芳")
    session.apply(MoveVertex(at=(x, y), to=(x + 5, y)))
    print(session.preview().summary())
    result = session.save("社区调整")          # SaveResult, or Conflict (nothing written)
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from gis_core.editing.change import Change
from gis_core.editing.commands import EditCommand, RestoreVersion, command_from_json
from gis_core.editing.coverage import CellState, Coverage, Rules
from gis_core.editing.errors import EditRefused, Problem
from gis_core.editing.impact import Impact, compute_impact
from gis_core.editing.journal import EditJournal, PendingSession
from gis_core.editing.persist import Conflict, SaveResult, history, load_coverage, save_change

__all__ = ["EditSession", "ReplayReport"]


@dataclass
class ReplayReport:
    """What came back of a journalled session: edits replayed, and the first that could not be
    (the cells changed underneath it), with why."""

    replayed: int
    total: int
    refused: EditRefused | None = None


class EditSession:
    """Edits of one community's grid cells by one editor, from loading to saving."""

    def __init__(
        self,
        store,
        coverage: Coverage,
        editor: str | None = None,
        journal: EditJournal | None = None,
    ):
        self.store = store
        self.coverage = coverage
        self.editor = editor
        self.journal = journal or EditJournal(store, coverage.community_id, editor)
        self.applied: list[EditCommand] = []
        self.undone: list[EditCommand] = []
        self._base: dict[int, CellState | None] = {}
        self._base_boundary = None

    @classmethod
    def open(
        cls,
        store,
        community_id: int | None = None,
        editor: str | None = None,
        rules: Rules | None = None,
    ) -> EditSession:
        """Load a community's cells and start a new session (with a new journal)."""
        return cls(store, load_coverage(store, community_id, rules), editor)

    @property
    def session_id(self) -> str:
        return self.journal.session_id

    # ------------------------------------------------------------------ editing
    def check(self, command: EditCommand) -> list[Problem]:
        """What is wrong with ``command`` here, without applying it (live feedback)."""
        return command.check(self.coverage)

    def apply(self, command: EditCommand) -> None:
        """Apply (or re-apply, for redo) an edit and journal it; EditRefused leaves everything
        as it was."""
        command.apply(self.coverage)
        try:
            self.journal.append(command.to_json())
        except Exception:
            command.revert(self.coverage)
            raise
        self._remember_base(command.change)
        self.applied.append(command)
        if self.undone and self.undone[-1] is command:
            self.undone.pop()
        else:
            self.undone.clear()

    def revert(self, command: EditCommand) -> None:
        """Undo the last applied edit (``command`` must be it)."""
        if not self.applied or self.applied[-1] is not command:
            raise RuntimeError("only the last applied edit can be undone")
        command.revert(self.coverage)
        self.applied.pop()
        self.undone.append(command)
        self.journal.pop()

    def undo(self) -> EditCommand | None:
        if not self.applied:
            return None
        cmd = self.applied[-1]
        self.revert(cmd)
        return cmd

    def redo(self) -> EditCommand | None:
        if not self.undone:
            return None
        cmd = self.undone[-1]
        self.apply(cmd)
        return cmd

    @property
    def dirty(self) -> bool:
        """Whether there is anything to save."""
        return bool(self.net_change().touched) or self._boundary_moved()

    def _remember_base(self, change: Change | None) -> None:
        if change is None:
            return
        for cid in change.touched:
            if cid not in self._base:
                self._base[cid] = change.before.get(cid)
        if change.boundary_after is not None and self._base_boundary is None:
            self._base_boundary = change.boundary_before

    def _boundary_moved(self) -> bool:
        return self._base_boundary is not None and not shapely.equals_exact(
            self._base_boundary, self.coverage.boundary, tolerance=0.0
        )

    def net_change(self) -> Change:
        """Everything pending, as one change from the cells as loaded to the cells as now."""
        before, after = {}, {}
        for cid, base in self._base.items():
            now = self.coverage.state(cid)
            if _same(base, now):
                continue
            before[cid], after[cid] = base, now
        change = Change(before, after)
        if self._boundary_moved():
            change.boundary_before = self._base_boundary
            change.boundary_after = self.coverage.boundary
        return change

    # ------------------------------------------------------------------ preview and save
    def preview(self, command: EditCommand | None = None) -> Impact:
        """Which rows would change cell if the pending edits (and ``command``, tried without
        keeping it) were saved now."""
        locate = self.coverage.cell_at
        if command is None:
            return compute_impact(self.net_change(), self._features(), locate=locate)
        command.apply(self.coverage)
        try:
            extra = command.change
            self._remember_base(extra)
            return compute_impact(self.net_change(), self._features(), locate=locate)
        finally:
            command.revert(self.coverage)

    def _features(self):
        from gis_core.editing.impact import StoreFeatures

        return self.coverage.features or StoreFeatures(self.store)

    def save(self, reason: str | None = None) -> SaveResult | Conflict:
        """Commit the pending edits in one transaction (see :func:`save_change`). On success
        the session starts afresh from what was saved; on a Conflict nothing changed."""
        change = self.net_change()
        if not change.touched and change.boundary_after is None:
            self.journal.clear()
            self._reset()
            return SaveResult()
        actions = {}
        for cmd in self.applied:
            if isinstance(cmd, RestoreVersion):
                actions[cmd.cell_id] = "restore"
        impact = compute_impact(change, self._features(), locate=self.coverage.cell_at)
        result = save_change(
            self.store,
            self.coverage,
            change,
            self.editor,
            reason,
            actions=actions,
            session_id=self.session_id,
            impact=impact,
        )
        if isinstance(result, Conflict):
            return result
        for temp, real in result.ids.items():
            self.coverage.rekey(temp, real)
        for temp, code in result.renamed.items():
            real = result.ids.get(temp, temp)
            attrs = self.coverage.attributes(real).replace(code=code)
            self.coverage.put(real, CellState(self.coverage.geometry(real), attrs))
        for cid, version in result.versions.items():
            real = result.ids.get(cid, cid)
            if version is None:
                self.coverage.versions.pop(real, None)
            else:
                self.coverage.versions[real] = version
        self.journal.seq = 0
        self._reset()
        return result

    def _reset(self) -> None:
        self.applied.clear()
        self.undone.clear()
        self._base.clear()
        self._base_boundary = None

    def discard(self) -> None:
        """Undo every pending edit and drop the journal."""
        while self.applied:
            cmd = self.applied.pop()
            cmd.revert(self.coverage)
        self.undone.clear()
        self.journal.clear()
        self._reset()

    def rebase(self) -> ReplayReport:
        """After a Conflict: reload the cells as they are now in the store and redo the
        pending edits on them (recomputed, so they adapt to the others' changes where they
        can). Edits that no longer fit are dropped and reported."""
        commands = [_fresh(c) for c in self.applied]
        self.coverage = load_coverage(self.store, self.coverage.community_id, self.coverage.rules)
        self.journal.clear()
        self._reset()
        return self._replay(commands)

    def _replay(self, commands: list[EditCommand], journal: bool = True) -> ReplayReport:
        for i, cmd in enumerate(commands):
            try:
                if journal:
                    self.apply(cmd)
                else:
                    cmd.apply(self.coverage)
                    self._remember_base(cmd.change)
                    self.applied.append(cmd)
            except EditRefused as refused:
                return ReplayReport(i, len(commands), refused)
        return ReplayReport(len(commands), len(commands))

    # ------------------------------------------------------------------ history
    def history(self, cell_id: int):
        """The versions of a cell, oldest first (see :func:`gis_core.editing.persist.history`)."""
        return history(self.store, cell_id)

    def restore_command(
        self, cell_id: int, version: int, allow_cut: bool = False
    ) -> RestoreVersion:
        """A command that restores version ``version`` of a cell (apply it, then save: the
        restore becomes a new version)."""
        for v in history(self.store, cell_id):
            if v.version == version:
                return RestoreVersion(cell_id, version, v.geometry, v.attributes, allow_cut)
        raise KeyError(f"cell {cell_id} has no version {version}")

    # ------------------------------------------------------------------ crash recovery
    @staticmethod
    def pending(store, editor: str | None = None) -> list[PendingSession]:
        """Sessions whose edits were journalled but never saved or discarded (e.g. the app was
        killed): offer them at start."""
        return EditJournal.pending(store, editor)

    @classmethod
    def resume(
        cls, store, session_id: str, editor: str | None = None, rules: Rules | None = None
    ) -> tuple[EditSession, ReplayReport]:
        """Load the community afresh and replay a pending session's journal on it. Edits whose
        cells did not change meanwhile come back exactly; the rest are recomputed, and the
        first that no longer fits ends the replay (reported; it and later ones are dropped)."""
        entries = EditJournal.entries(store, session_id)
        pending = next((p for p in EditJournal.pending(store) if p.session_id == session_id), None)
        community = pending.community_id if pending else None
        who = editor if editor is not None else (pending.editor if pending else None)
        coverage = load_coverage(store, community, rules)
        journal = EditJournal(store, coverage.community_id, who, session_id, seq=len(entries))
        session = cls(store, coverage, who, journal)
        # The journal keeps its entries while they replay: a crash now loses nothing either.
        report = session._replay([command_from_json(e) for e in entries], journal=False)
        if report.replayed < len(entries):
            journal.truncate(report.replayed)
        return session, report

    @staticmethod
    def discard_pending(store, session_id: str) -> None:
        EditJournal.discard(store, session_id)


def _same(a: CellState | None, b: CellState | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.attributes == b.attributes and (
        a.geometry is b.geometry or shapely.equals_exact(a.geometry, b.geometry, tolerance=0.0)
    )


def _fresh(cmd: EditCommand) -> EditCommand:
    """The same command without its computed change (to be recomputed on other cells)."""
    data = cmd.to_json()
    data["change"] = None
    return command_from_json(data)
