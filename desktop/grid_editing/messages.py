"""What the window says about grid edits: why an edit was refused and where (from the codes of
:data:`gis_core.editing.PROBLEM_CODES`), and the names of the edits in the undo menu.

gis_core refuses with an English message and a problem code; the window says it in the UI
language. A message that names something (a cell code, an area, a building) is matched by a
pattern so the translation keeps it; anything else falls back to the text of its code.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = ["problem_text", "problem_where", "problem_message", "command_text", "CONTEXT"]

CONTEXT = "GridEditing"


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def _tr(text: str) -> str:
    """Translate a source string marked with QT_TRANSLATE_NOOP("GridEditing", …)."""
    return translate(CONTEXT, text)


# Edit kinds → their name in the undo menu, the history and the restore offer.
COMMAND_TEXT = {
    "move_vertex": QT_TRANSLATE_NOOP("GridEditing", "Move vertex"),
    "move_edge": QT_TRANSLATE_NOOP("GridEditing", "Move edge"),
    "add_vertex": QT_TRANSLATE_NOOP("GridEditing", "Add vertex"),
    "delete_vertex": QT_TRANSLATE_NOOP("GridEditing", "Delete vertex"),
    "split_cell": QT_TRANSLATE_NOOP("GridEditing", "Split cell"),
    "merge_cells": QT_TRANSLATE_NOOP("GridEditing", "Merge cells"),
    "create_cell": QT_TRANSLATE_NOOP("GridEditing", "Create cell"),
    "reshape_boundary": QT_TRANSLATE_NOOP("GridEditing", "Reshape boundary"),
    "set_attributes": QT_TRANSLATE_NOOP("GridEditing", "Edit cell attributes"),
    "restore_version": QT_TRANSLATE_NOOP("GridEditing", "Restore version"),
}


def command_text(kind_or_text: str) -> str:
    """The translated name of an edit, from its kind (``move_vertex``) or its English text
    (``"Split cell"``, ``"move vertex"``, ``"Restore version 3"`` — what the journal keeps)."""
    key = kind_or_text.strip().lower().replace(" ", "_")
    if key in COMMAND_TEXT:
        return _tr(COMMAND_TEXT[key])
    m = re.match(r"^restore_version_(\d+)$", key)
    if m:
        return translate("GridEditing", "Restore version {0}").format(m.group(1))
    return kind_or_text


# Fallback per problem code: why, in a sentence the grid supervisor understands.
PROBLEM_TEXT = {
    "not_found": QT_TRANSLATE_NOOP("GridEditing", "There is nothing to edit here."),
    "boundary_vertex": QT_TRANSLATE_NOOP(
        "GridEditing",
        "This vertex or edge lies on the community boundary; use “Reshape boundary” to move it.",
    ),
    "self_intersection": QT_TRANSLATE_NOOP("GridEditing", "A cell's outline would cross itself."),
    "not_polygon": QT_TRANSLATE_NOOP(
        "GridEditing", "A cell would fall apart into pieces or vanish."
    ),
    "overlap": QT_TRANSLATE_NOOP(
        "GridEditing", "Cells would overlap, or a shared edge would no longer match."
    ),
    "gap": QT_TRANSLATE_NOOP("GridEditing", "A gap would open between cells."),
    "outside_boundary": QT_TRANSLATE_NOOP(
        "GridEditing", "A cell would reach outside the community boundary."
    ),
    "other_community": QT_TRANSLATE_NOOP(
        "GridEditing", "The new boundary would overlap a neighbouring community."
    ),
    "too_small": QT_TRANSLATE_NOOP("GridEditing", "A cell would be smaller than the minimum area."),
    "too_narrow": QT_TRANSLATE_NOOP(
        "GridEditing", "A cell would be narrower than the minimum width somewhere."
    ),
    "cuts_building": QT_TRANSLATE_NOOP("GridEditing", "A new cell edge cuts a building in two."),
    "bad_line": QT_TRANSLATE_NOOP("GridEditing", "The drawn line does not cut the cell."),
    "bad_polygon": QT_TRANSLATE_NOOP("GridEditing", "The drawn outline is not a usable polygon."),
    "not_adjacent": QT_TRANSLATE_NOOP("GridEditing", "The cells do not share an edge."),
    "bad_code": QT_TRANSLATE_NOOP("GridEditing", "The cell code is malformed or already used."),
    "bad_attribute": QT_TRANSLATE_NOOP("GridEditing", "An attribute value is not acceptable."),
    "stale": QT_TRANSLATE_NOOP(
        "GridEditing", "The edit was made on a different state of the cells."
    ),
}

# (code, pattern over gis_core's English message, translated template). The template's {names}
# are the pattern's named groups and the problem's params.
_PATTERNS: list[tuple[str, re.Pattern, str]] = [
    (
        "not_found",
        re.compile(r"^there is no cell vertex here$"),
        QT_TRANSLATE_NOOP("GridEditing", "There is no cell vertex here."),
    ),
    (
        "not_found",
        re.compile(r"^there is no cell edge( here| between these two vertices)$"),
        QT_TRANSLATE_NOOP("GridEditing", "There is no cell edge here."),
    ),
    (
        "not_found",
        re.compile(r"^there is already a vertex here$"),
        QT_TRANSLATE_NOOP("GridEditing", "There is already a vertex here."),
    ),
    (
        "not_found",
        re.compile(r"^there is no cell (?P<cell>-?\d+)$"),
        QT_TRANSLATE_NOOP("GridEditing", "The cell no longer exists."),
    ),
    (
        "boundary_vertex",
        re.compile(r"^this vertex shapes the community boundary"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "This vertex shapes the community boundary; use “Reshape boundary” to change it.",
        ),
    ),
    (
        "boundary_vertex",
        re.compile(r"^this edge is on the community boundary"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "This edge is on the community boundary; use “Reshape boundary” to move it.",
        ),
    ),
    (
        "not_polygon",
        re.compile(r"^cell (?P<code>\S+) would fall apart into (?P<n>\d+) pieces$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell {code} would fall apart into {n} pieces."),
    ),
    (
        "not_polygon",
        re.compile(r"^cell (?P<code>\S+) would vanish$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell {code} would vanish."),
    ),
    (
        "not_polygon",
        re.compile(r"^restoring would swallow cell (?P<code>\S+)$"),
        QT_TRANSLATE_NOOP("GridEditing", "Restoring this version would swallow cell {code}."),
    ),
    (
        "self_intersection",
        re.compile(r"^the outline of cell (?P<code>\S+) would cross itself"),
        QT_TRANSLATE_NOOP("GridEditing", "The outline of cell {code} would cross itself."),
    ),
    (
        "overlap",
        re.compile(r"^cells (?P<codes>.+) would overlap or their shared edge would not match$"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "Cells {codes} would overlap, or their shared edge would no longer match.",
        ),
    ),
    (
        "overlap",
        re.compile(r"^cells would overlap \((?P<area>[\d.]+) m²\)$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cells would overlap by {area} m²."),
    ),
    (
        "gap",
        re.compile(r"^a gap would open between cells \((?P<area>[\d.]+) m²\)$"),
        QT_TRANSLATE_NOOP("GridEditing", "A gap of {area} m² would open between cells."),
    ),
    (
        "gap",
        re.compile(r"^a gap of (?P<area>[\d.]+) m² between cells$"),
        QT_TRANSLATE_NOOP("GridEditing", "A gap of {area} m² would open between cells."),
    ),
    (
        "gap",
        re.compile(r"^part of the cell's present area would belong to no cell$"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "Part of the cell's present area would belong to no cell.",
        ),
    ),
    (
        "too_small",
        re.compile(r"^cell (?P<code>\S+) would be (?P<area>[\d.]+) m², less than the minimum"),
        QT_TRANSLATE_NOOP(
            "GridEditing", "Cell {code} would be {area} m², less than the minimum {min_area} m²."
        ),
    ),
    (
        "too_narrow",
        re.compile(r"^cell (?P<code>\S+) would be narrower than"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell {code} would be narrower than {min_width} m here."),
    ),
    (
        "outside_boundary",
        re.compile(r"^cell (?P<code>\S+) would reach outside the community boundary$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell {code} would reach outside the community boundary."),
    ),
    (
        "cuts_building",
        re.compile(r"^the new cell edge cuts (?P<label>.+) in two$"),
        QT_TRANSLATE_NOOP("GridEditing", "The new cell edge cuts {label} in two."),
    ),
    (
        "bad_line",
        re.compile(r"^draw a line of at least two points$"),
        QT_TRANSLATE_NOOP("GridEditing", "Draw a line of at least two points."),
    ),
    (
        "bad_line",
        re.compile(r"^the line crosses no cell$"),
        QT_TRANSLATE_NOOP("GridEditing", "The line crosses no cell."),
    ),
    (
        "bad_line",
        re.compile(r"^the line crosses several cells"),
        QT_TRANSLATE_NOOP(
            "GridEditing", "The line crosses several cells; split one cell at a time."
        ),
    ),
    (
        "bad_line",
        re.compile(r"^the line does not cut the cell in two"),
        QT_TRANSLATE_NOOP(
            "GridEditing", "The line does not cut the cell in two: draw it from edge to edge."
        ),
    ),
    (
        "not_adjacent",
        re.compile(r"^choose at least two cells to merge$"),
        QT_TRANSLATE_NOOP("GridEditing", "Choose at least two cells to merge."),
    ),
    (
        "not_adjacent",
        re.compile(r"^cell (?P<code>\S+) shares no edge with the others$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell {code} shares no edge with the others."),
    ),
    (
        "bad_polygon",
        re.compile(r"^draw an outline of at least three points$"),
        QT_TRANSLATE_NOOP("GridEditing", "Draw an outline of at least three points."),
    ),
    (
        "bad_polygon",
        re.compile(r"^the drawn outline is not valid"),
        QT_TRANSLATE_NOOP("GridEditing", "The drawn outline crosses itself."),
    ),
    (
        "bad_polygon",
        re.compile(r"^draw the new cell inside a cell$"),
        QT_TRANSLATE_NOOP("GridEditing", "Draw the new cell inside a cell."),
    ),
    (
        "bad_polygon",
        re.compile(r"^the new cell must lie inside cell (?P<code>\S+)$"),
        QT_TRANSLATE_NOOP("GridEditing", "The new cell must lie inside cell {code}."),
    ),
    (
        "bad_polygon",
        re.compile(r"^the new cell would take all of cell (?P<code>\S+);"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "The new cell would take all of cell {code}; edit its attributes instead.",
        ),
    ),
    (
        "bad_polygon",
        re.compile(r"^the new boundary is not a valid outline$"),
        QT_TRANSLATE_NOOP("GridEditing", "The new boundary is not a valid outline."),
    ),
    (
        "bad_polygon",
        re.compile(r"^the boundary would not change$"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "The boundary would not change: draw from the boundary out (or in) and back to it.",
        ),
    ),
    (
        "bad_polygon",
        re.compile(r"^an added piece of the boundary touches no cell$"),
        QT_TRANSLATE_NOOP("GridEditing", "An added piece of the boundary touches no cell."),
    ),
    (
        "other_community",
        re.compile(r"^the new boundary would overlap a neighbouring community$"),
        QT_TRANSLATE_NOOP(
            "GridEditing", "The new boundary would overlap a neighbouring community."
        ),
    ),
    (
        "bad_code",
        re.compile(r"^cell code '(?P<code>[^']*)' is not of the form"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "Cell code “{code}” is not of the form 610402-001-03 (district-community-number).",
        ),
    ),
    (
        "bad_code",
        re.compile(r"^cell code '(?P<code>[^']*)' does not start with the community code"),
        QT_TRANSLATE_NOOP(
            "GridEditing",
            "Cell code “{code}” does not start with the community code {community_code}.",
        ),
    ),
    (
        "bad_code",
        re.compile(r"^cell code (?P<code>\S+) is already used$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell code {code} is already used by another cell."),
    ),
    (
        "bad_attribute",
        re.compile(r"^cell (?P<code>\S+) needs a name$"),
        QT_TRANSLATE_NOOP("GridEditing", "Cell {code} needs a name."),
    ),
    (
        "bad_attribute",
        re.compile(r"^worker phone '(?P<phone>[^']*)' of cell (?P<code>\S+) is not a phone"),
        QT_TRANSLATE_NOOP("GridEditing", "“{phone}” is not a phone number."),
    ),
    (
        "bad_attribute",
        re.compile(r"^(?P<field>\w+) of cell (?P<code>\S+) is longer than (?P<limit>\d+)$"),
        QT_TRANSLATE_NOOP(
            "GridEditing", "A value of cell {code} is longer than {limit} characters."
        ),
    ),
]


def _number(value) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{v:,.1f}" if abs(v) >= 10 else f"{v:g}"


def problem_text(problem) -> str:
    """Why ``problem`` refuses the edit, in the UI language."""
    message = getattr(problem, "message", "") or ""
    params = {k: _number(v) for k, v in (getattr(problem, "params", None) or {}).items()}
    for code, pattern, template in _PATTERNS:
        if code != problem.code:
            continue
        m = pattern.match(message)
        if m is None:
            continue
        values = {**params, **{k: v for k, v in m.groupdict().items() if v is not None}}
        if "area" in values:
            values["area"] = _number(values["area"])
        try:
            return _tr(template).format(**values)
        except (KeyError, IndexError, ValueError):
            break
    fallback = PROBLEM_TEXT.get(problem.code)
    return _tr(fallback) if fallback else message


def problem_where(problem, coverage=None) -> str:
    """Where ``problem`` is: the cells it concerns (by code) and the map coordinates."""
    parts = []
    ids = [c for c in getattr(problem, "cell_ids", ()) or () if c]
    if ids and coverage is not None:
        codes = []
        for c in ids:
            try:
                codes.append(coverage.attributes(c).code)
            except KeyError:
                continue
        if codes:
            parts.append(translate("GridEditing", "cells {0}").format(", ".join(codes)))
    if problem.location is not None:
        x, y = problem.location
        parts.append(translate("GridEditing", "near x {0}, y {1}").format(f"{x:,.1f}", f"{y:,.1f}"))
    return translate("GridEditing", "; ").join(parts)


def problem_message(problem, coverage=None) -> str:
    """Why and where, in one line for the status bar and the panel."""
    where = problem_where(problem, coverage)
    text = problem_text(problem)
    return translate("GridEditing", "{0} (where: {1})").format(text, where) if where else text
