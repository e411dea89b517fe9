"""Grid-boundary editing that keeps the grid a valid coverage and never loses an edit.

The window drives an :class:`EditSession`: it checks and applies :mod:`commands
<gis_core.editing.commands>` (QUndoCommand-shaped: ``apply``/``revert``/``text``), shows
:meth:`EditSession.preview` (which rows change cell), and saves — one transaction with new cell
versions and re-assigned rows, or a :class:`Conflict` when someone else changed the same cells.
Pending edits are journalled in the store as they are made (:class:`EditJournal`), so a crashed
session can be resumed.
"""

from gis_core.editing import topology
from gis_core.editing.change import Change
from gis_core.editing.codes import CODE_PATTERN, CellAttributes, check_code, next_codes
from gis_core.editing.commands import (
    COMMANDS,
    AddVertex,
    CreateCell,
    DeleteVertex,
    EditCommand,
    MergeCells,
    MoveEdge,
    MoveVertex,
    ReshapeBoundary,
    RestoreVersion,
    SetAttributes,
    SplitCell,
    command_from_json,
    reshape_by_line,
)
from gis_core.editing.coverage import BOUNDARY, CellState, Coverage, Rules
from gis_core.editing.errors import PROBLEM_CODES, EditRefused, Problem
from gis_core.editing.grid import regular_grid
from gis_core.editing.impact import (
    NO_CELL,
    FeatureSource,
    Impact,
    KindMoves,
    MemoryFeatures,
    StoreFeatures,
    compute_impact,
)
from gis_core.editing.journal import EditJournal, PendingSession
from gis_core.editing.persist import (
    CellVersion,
    Conflict,
    ConflictCell,
    SaveResult,
    history,
    load_coverage,
    save_change,
)
from gis_core.editing.session import EditSession, ReplayReport
from gis_core.editing.snapping import SNAP_KINDS, Snap, SnapIndex

__all__ = [
    "AddVertex",
    "BOUNDARY",
    "CODE_PATTERN",
    "COMMANDS",
    "CellAttributes",
    "CellState",
    "CellVersion",
    "Change",
    "Conflict",
    "ConflictCell",
    "Coverage",
    "CreateCell",
    "DeleteVertex",
    "EditCommand",
    "EditJournal",
    "EditRefused",
    "EditSession",
    "FeatureSource",
    "Impact",
    "KindMoves",
    "MemoryFeatures",
    "MergeCells",
    "MoveEdge",
    "MoveVertex",
    "NO_CELL",
    "PROBLEM_CODES",
    "PendingSession",
    "Problem",
    "ReplayReport",
    "ReshapeBoundary",
    "RestoreVersion",
    "Rules",
    "SaveResult",
    "SNAP_KINDS",
    "SetAttributes",
    "Snap",
    "SnapIndex",
    "SplitCell",
    "StoreFeatures",
    "check_code",
    "command_from_json",
    "compute_impact",
    "history",
    "load_coverage",
    "next_codes",
    "regular_grid",
    "reshape_by_line",
    "save_change",
    "topology",
]
