"""The grid-boundary editing tools of the window, over :mod:`gis_core.editing`.

:func:`install_grid_editing` adds them to the main window (menu, toolbar, panel, restore offer);
:class:`GridEditController` holds the editing session and its QUndoStack; :class:`EditOverlay`
paints the cells being edited, the drag preview, snapping and problems over the map canvas;
the tools in :mod:`desktop.grid_editing.tools` turn mouse gestures into edit commands;
:mod:`desktop.grid_editing.messages` says why an edit was refused, and where.
"""

from desktop.grid_editing.attributes import CellAttributesDialog
from desktop.grid_editing.controller import GridEditController, offer_pending_sessions
from desktop.grid_editing.messages import command_text, problem_message, problem_text
from desktop.grid_editing.overlay import EditOverlay
from desktop.grid_editing.panel import EditPanel, HistoryDialog
from desktop.grid_editing.tools import (
    AddVertexTool,
    CreateCellTool,
    DeleteVertexTool,
    GridEditTool,
    MergeTool,
    PickCellTool,
    ReshapeBoundaryTool,
    SplitTool,
    VertexTool,
)
from desktop.grid_editing.window import GridEditing, editor_name, install_grid_editing

__all__ = [
    "AddVertexTool",
    "CellAttributesDialog",
    "CreateCellTool",
    "DeleteVertexTool",
    "EditOverlay",
    "EditPanel",
    "GridEditController",
    "GridEditTool",
    "GridEditing",
    "HistoryDialog",
    "MergeTool",
    "PickCellTool",
    "ReshapeBoundaryTool",
    "SplitTool",
    "VertexTool",
    "command_text",
    "editor_name",
    "install_grid_editing",
    "offer_pending_sessions",
    "problem_message",
    "problem_text",
]
