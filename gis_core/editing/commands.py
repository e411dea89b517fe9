"""Edit commands on a :class:`~gis_core.editing.coverage.Coverage`, in the shape of a
QUndoCommand: ``apply(coverage)`` (redo), ``revert(coverage)`` (undo) and ``text``.

The first ``apply`` computes the change, checks every rule on the touched cells and their
neighbours, and either changes the coverage or raises :class:`EditRefused` leaving it exactly
as it was. Later ``apply`` calls (redo) put back the very same geometries, and ``revert``
puts back the previous ones — undo is exact, never recomputed. ``to_json``/``command_from_json``
carry a command and its change through the crash journal.

Example::

    cmd = MoveVertex(at=(564327.0, 3800268.0), to=(564330.0, 3800275.0))
    cmd.apply(coverage)        # or raises EditRefused(message, location)
    cmd.revert(coverage)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import shapely
from shapely import LineString, MultiPolygon, Polygon

from gis_core.editing import topology
from gis_core.editing.change import Change
from gis_core.editing.codes import CellAttributes, check_attributes, next_codes
from gis_core.editing.coverage import BOUNDARY, CellState, Coverage
from gis_core.editing.errors import EditRefused, Problem
from gis_core.editing.rules import check_change

__all__ = [
    "EditCommand",
    "MoveVertex",
    "MoveEdge",
    "AddVertex",
    "DeleteVertex",
    "SplitCell",
    "MergeCells",
    "CreateCell",
    "ReshapeBoundary",
    "SetAttributes",
    "RestoreVersion",
    "COMMANDS",
    "command_from_json",
    "reshape_by_line",
]

XY = tuple[float, float]


def _pt(xy: Sequence[float]) -> XY:
    return (float(xy[0]), float(xy[1]))


def _coords(seq: Sequence[Sequence[float]]) -> list[XY]:
    return [_pt(p) for p in seq]


class EditCommand:
    """Base of every edit. Subclasses set ``kind`` and implement ``_propose`` and ``params``."""

    kind: ClassVar[str] = ""
    allow_cut: bool = False

    def __init__(self) -> None:
        self._change: Change | None = None

    # ------------------------------------------------------------ QUndoCommand shape
    @property
    def text(self) -> str:
        """A short description for the undo menu and the history (English; the window
        translates by ``kind``)."""
        return self.kind.replace("_", " ")

    @property
    def change(self) -> Change | None:
        """The computed change, once the command has been applied or checked."""
        return self._change

    def apply(self, coverage: Coverage) -> Coverage:
        """Do (or redo) the edit on ``coverage`` and return it; raise EditRefused otherwise."""
        if self._change is not None and self._change.matches(coverage, "before"):
            self._change.apply_to(coverage)
            return coverage
        change = self._propose(coverage)
        problems = _attribute_problems(coverage, change)
        if problems:
            raise EditRefused(problems)
        change.apply_to(coverage)
        try:
            problems = self._check(coverage, change)
        except Exception:
            change.revert_on(coverage)
            raise
        if problems:
            change.revert_on(coverage)
            raise EditRefused(problems)
        self._change = change
        return coverage

    def revert(self, coverage: Coverage) -> Coverage:
        """Undo the edit: the touched cells get back their exact previous geometries."""
        if self._change is None:
            raise RuntimeError(f"{self.kind} was never applied")
        self._change.revert_on(coverage)
        return coverage

    def check(self, coverage: Coverage) -> list[Problem]:
        """The problems this edit would have, without changing ``coverage`` — for live
        feedback while drawing. A clean check leaves the change cached for ``apply``."""
        try:
            self.apply(coverage)
        except EditRefused as refused:
            return refused.problems
        self.revert(coverage)
        return []

    # ------------------------------------------------------------ journal
    def params(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "params": self.params(),
            "text": self.text,
            "change": None if self._change is None else self._change.to_json(),
        }

    # ------------------------------------------------------------ for subclasses
    def _propose(self, coverage: Coverage) -> Change:
        raise NotImplementedError

    def _check(self, coverage: Coverage, change: Change) -> list[Problem]:
        """Problems of ``coverage`` after ``change`` (attributes were checked before)."""
        return check_change(coverage, change, allow_cut=self.allow_cut)


def _attribute_problems(coverage: Coverage, change: Change) -> list[Problem]:
    """Attribute problems of the cells ``change`` gives new attributes — checked before it is
    applied, so "taken" means taken by a cell the change leaves alone (or twice in it)."""
    out = []
    mine = [(cid, st.attributes) for cid, st in change.after.items() if st is not None]
    counts: dict[str, int] = {}
    for _cid, a in mine:
        counts[a.code] = counts.get(a.code, 0) + 1
    for cid, attrs in mine:
        before = change.before.get(cid)
        if before is not None and before.attributes == attrs:
            continue
        owner = coverage.code_owner(attrs.code)
        clash = (owner is not None and owner not in change.after) or counts[attrs.code] > 1
        taken = {attrs.code} if clash else set()
        for p in check_attributes(attrs, coverage.community_code, taken):
            out.append(
                Problem(p.code, p.message, p.location, (cid,), p.confirmable, dict(p.params))
            )
    return out


def _refuse(code: str, message: str, where: Sequence[float] | None = None, cells=()) -> EditRefused:
    return EditRefused(Problem(code, message, None if where is None else _pt(where), tuple(cells)))


def _states(coverage: Coverage, ids) -> dict[int, CellState]:
    """The current states of cells that exist (commands only touch existing cells)."""
    out = {}
    for cid in ids:
        st = coverage.state(cid)
        if st is None:
            raise _refuse("not_found", f"there is no cell {cid}")
        out[cid] = st
    return out


# ================================================================================ vertices
class MoveVertex(EditCommand):
    """Move the vertex at ``at`` to ``to`` in every cell that has it."""

    kind = "move_vertex"

    def __init__(self, at: Sequence[float], to: Sequence[float], allow_cut: bool = False):
        super().__init__()
        self.at, self.to, self.allow_cut = _pt(at), _pt(to), bool(allow_cut)

    @property
    def text(self) -> str:
        return "Move vertex"

    def params(self) -> dict:
        return {"at": self.at, "to": self.to, "allow_cut": self.allow_cut}

    def _propose(self, coverage: Coverage) -> Change:
        return _move(coverage, [(self.at, self.to)])


class MoveEdge(EditCommand):
    """Move the shared edge ``a``–``b`` by ``offset`` (dx, dy): both end vertices move in every
    cell that has them."""

    kind = "move_edge"

    def __init__(
        self,
        a: Sequence[float],
        b: Sequence[float],
        offset: Sequence[float],
        allow_cut: bool = False,
    ):
        super().__init__()
        self.a, self.b, self.offset = _pt(a), _pt(b), _pt(offset)
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return "Move edge"

    def params(self) -> dict:
        return {"a": self.a, "b": self.b, "offset": self.offset, "allow_cut": self.allow_cut}

    def _propose(self, coverage: Coverage) -> Change:
        tol = coverage.rules.tolerance
        mid = ((self.a[0] + self.b[0]) / 2, (self.a[1] + self.b[1]) / 2)
        box = (*np.minimum(self.a, self.b), *np.maximum(self.a, self.b))
        if not any(
            topology.segments_with(coverage.geometry(c), self.a, self.b, tol)
            for c in coverage.near(box, pad=tol)
        ):
            raise _refuse("not_found", "there is no cell edge between these two vertices", mid)
        dx, dy = self.offset
        return _move(
            coverage,
            [
                (self.a, (self.a[0] + dx, self.a[1] + dy)),
                (self.b, (self.b[0] + dx, self.b[1] + dy)),
            ],
        )


def _move(coverage: Coverage, moves: list[tuple[XY, XY]]) -> Change:
    tol = coverage.rules.tolerance
    owners: set[int] = set()
    for src, _dst in moves:
        found = coverage.vertex_owners(src)
        if not found:
            raise _refuse("not_found", "there is no cell vertex here", src)
        if BOUNDARY in found or BOUNDARY in coverage.edge_owners(src):
            raise _refuse(
                "boundary_vertex",
                "this vertex is on the community boundary; use Reshape boundary to move it",
                src,
            )
        owners.update(found)
    src_xy = np.array([m[0] for m in moves])
    dst_xy = np.array([m[1] for m in moves])
    before = _states(coverage, sorted(owners))
    after = {}
    for cid, st in before.items():
        g, _ = topology.move_vertices(st.geometry, src_xy, dst_xy, tol)
        after[cid] = CellState(g, st.attributes)
    return Change(before, after)


class AddVertex(EditCommand):
    """Add a vertex at ``at`` on an edge, in every cell that shares that edge (optionally moving
    it straight on to ``to``)."""

    kind = "add_vertex"

    def __init__(
        self, at: Sequence[float], to: Sequence[float] | None = None, allow_cut: bool = False
    ):
        super().__init__()
        self.at = _pt(at)
        self.to = None if to is None else _pt(to)
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return "Add vertex"

    def params(self) -> dict:
        return {"at": self.at, "to": self.to, "allow_cut": self.allow_cut}

    def _propose(self, coverage: Coverage) -> Change:
        tol = coverage.rules.tolerance
        owners = [c for c in coverage.edge_owners(self.at) if c != BOUNDARY]
        if not owners:
            raise _refuse("not_found", "there is no cell edge here", self.at)
        if all(topology.has_vertex(coverage.geometry(c), self.at, tol) for c in owners):
            raise _refuse("not_found", "there is already a vertex here", self.at)
        before = _states(coverage, owners)
        after = {}
        for cid, st in before.items():
            g, _ = topology.insert_vertices(st.geometry, np.array([self.at]), tol)
            if self.to is not None:
                g, _ = topology.move_vertices(g, np.array([self.at]), np.array([self.to]), tol)
            after[cid] = CellState(g, st.attributes)
        if self.to is not None and BOUNDARY in coverage.edge_owners(self.at):
            raise _refuse(
                "boundary_vertex",
                "this edge is on the community boundary; use Reshape boundary to move it",
                self.at,
            )
        return Change(before, after)


class DeleteVertex(EditCommand):
    """Delete the vertex at ``at`` from every cell that has it."""

    kind = "delete_vertex"

    def __init__(self, at: Sequence[float], allow_cut: bool = False):
        super().__init__()
        self.at, self.allow_cut = _pt(at), bool(allow_cut)

    @property
    def text(self) -> str:
        return "Delete vertex"

    def params(self) -> dict:
        return {"at": self.at, "allow_cut": self.allow_cut}

    def _propose(self, coverage: Coverage) -> Change:
        tol = coverage.rules.tolerance
        owners = coverage.vertex_owners(self.at)
        if not owners:
            raise _refuse("not_found", "there is no cell vertex here", self.at)
        cells = [c for c in owners if c != BOUNDARY]
        before = _states(coverage, cells)
        after = {}
        for cid, st in before.items():
            g, _ = topology.delete_vertex(st.geometry, self.at, tol)
            after[cid] = CellState(g, st.attributes)
        if not cells:
            raise _refuse("not_found", "there is no cell vertex here", self.at)
        if BOUNDARY in owners or BOUNDARY in coverage.edge_owners(self.at):
            # On the boundary only a vertex that does not bend it may go (a straight-through
            # one); anything else is a reshape of the boundary.
            delta = sum(after[c].geometry.area - before[c].geometry.area for c in cells)
            if abs(delta) > coverage.rules.gap_area:
                raise _refuse(
                    "boundary_vertex",
                    "this vertex shapes the community boundary; use Reshape boundary",
                    self.at,
                )
        return Change(before, after)


# ================================================================================ cells
_NAME_NUMBER = re.compile(r"^(.*第)\d+(网格)$")


def _proposed_attributes(
    coverage: Coverage,
    parent: CellAttributes,
    count: int,
    extra_taken: frozenset[str] = frozenset(),
) -> list[CellAttributes]:
    """Attributes for ``count`` new cells carved from ``parent``: the next free codes of the
    community, names numbered like the parent's, the parent's supervisor, no worker yet."""
    if coverage.community_code:
        codes = coverage.next_codes(count)
    else:
        taken = coverage.codes() | coverage.retired_codes | set(extra_taken)
        codes = next_codes(parent.code.rsplit("-", 1)[0], taken, count)
    out = []
    for code in codes:
        number = int(code.rsplit("-", 1)[1])
        m = _NAME_NUMBER.match(parent.name or "")
        name = f"{m.group(1)}{number}{m.group(2)}" if m else f"{parent.name or '网格'} {number}"
        out.append(CellAttributes(code=code, name=name, supervisor=parent.supervisor))
    return out


def _conform_with_neighbours(
    coverage: Coverage, new: dict[int, Any], changed_from: list[int]
) -> tuple[dict[int, Any], dict[int, Any]]:
    """Conform overlay results ``new`` (id → polygon) with the cells around them so shared
    edges match vertex for vertex. Returns (new, neighbours whose outline gained vertices)."""
    tol = coverage.rules.tolerance
    geoms = [g for g in new.values() if g is not None and not g.is_empty]
    if not geoms:
        return new, {}
    bounds = shapely.total_bounds(geoms)
    around = [c for c in coverage.near(bounds, pad=tol) if c not in new]
    fixed_geoms = [coverage.geometry(c) for c in around]
    fixed_geoms += [coverage.geometry(c) for c in changed_from if c in coverage]
    fixed = (
        np.concatenate([topology.vertices(g) for g in fixed_geoms])
        if fixed_geoms
        else np.empty((0, 2))
    )
    keys = [k for k, g in new.items() if g is not None and not g.is_empty]
    done = topology.conform(
        [new[k] for k in keys] + [coverage.geometry(c) for c in around], fixed, tol
    )
    out = dict(new)
    out.update(zip(keys, done[: len(keys)]))
    grown = {}
    for c, g in zip(around, done[len(keys) :]):
        if g is not coverage.geometry(c):
            grown[c] = g
    return out, grown


class SplitCell(EditCommand):
    """Split a cell by a drawn line that crosses it from edge to edge.

    The biggest piece keeps the cell's id and attributes; the others become new cells with the
    next free codes of the community (or ``codes`` if given). ``cell_id`` may be left out when
    the line crosses only one cell.
    """

    kind = "split_cell"

    def __init__(
        self,
        line: Sequence[Sequence[float]],
        cell_id: int | None = None,
        codes: Sequence[str] | None = None,
        allow_cut: bool = False,
    ):
        super().__init__()
        self.line = _coords(line)
        self.cell_id = None if cell_id is None else int(cell_id)
        self.codes = None if codes is None else [str(c) for c in codes]
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return "Split cell"

    def params(self) -> dict:
        return {
            "line": self.line,
            "cell_id": self.cell_id,
            "codes": self.codes,
            "allow_cut": self.allow_cut,
        }

    def _propose(self, coverage: Coverage) -> Change:
        tol = coverage.rules.tolerance
        if len(self.line) < 2:
            raise _refuse("bad_line", "draw a line of at least two points")
        line = LineString(self.line)
        cid = self.cell_id
        if cid is None:
            crossed = [
                c
                for c in coverage.near(line.bounds)
                if shapely.length(shapely.intersection(coverage.geometry(c), line)) > tol
                and len(_split(*_land_ends(coverage.geometry(c), line, tol))) > 1
            ]
            if len(crossed) != 1:
                raise _refuse(
                    "bad_line",
                    "the line crosses no cell"
                    if not crossed
                    else "the line crosses several cells; split one cell at a time",
                    self.line[0],
                    crossed,
                )
            cid = crossed[0]
        if cid not in coverage:
            raise _refuse("not_found", f"there is no cell {cid}")
        cell, line = _land_ends(coverage.geometry(cid), line, tol)
        pieces = _split(cell, line)
        if len(pieces) < 2:
            raise _refuse(
                "bad_line",
                "the line does not cut the cell in two: draw it from edge to edge",
                self.line[-1],
                (cid,),
            )
        pieces.sort(key=lambda p: -p.area)
        parent = coverage.attributes(cid)
        attrs = _proposed_attributes(coverage, parent, len(pieces) - 1)
        if self.codes:
            attrs = [
                a.replace(code=c) if c else a for a, c in zip(attrs, [*self.codes, *[None] * 99])
            ]
        new_ids = [cid] + [coverage.new_id() for _ in pieces[1:]]
        new, grown = _conform_with_neighbours(coverage, dict(zip(new_ids, pieces)), [cid])
        before: dict[int, CellState | None] = dict(_states(coverage, [cid, *grown]))
        for nid in new_ids[1:]:
            before[nid] = None
        after = {cid: CellState(new[cid], parent)}
        for nid, a in zip(new_ids[1:], attrs):
            after[nid] = CellState(new[nid], a)
        for c, g in grown.items():
            after[c] = CellState(g, coverage.attributes(c))
        return Change(before, after)


def _land_ends(geom, line: LineString, tol: float):
    """Put the ends of a drawn line exactly onto ``geom``'s outline where they are within
    ``tol`` of it: onto a vertex, or onto a vertex inserted into the edge (the shape stays the
    same). Overlays then node the line with the outline exactly. Returns (geom, line)."""
    c = np.asarray(line.coords, dtype=float).copy()
    for end in (0, -1):
        p = c[end]
        verts = topology.vertices(geom)
        if len(verts):
            d = np.hypot(verts[:, 0] - p[0], verts[:, 1] - p[1])
            k = int(np.argmin(d))
            if d[k] <= tol:
                c[end] = verts[k]
                continue
        outline = geom.boundary
        if shapely.dwithin(outline, shapely.Point(p), tol):
            q = np.asarray(
                shapely.line_interpolate_point(
                    outline, shapely.line_locate_point(outline, shapely.Point(p))
                ).coords[0]
            )
            geom, _ = topology.insert_vertices(geom, q[None, :], tol)
            c[end] = q
    return geom, LineString(c)


def _split(cell, line) -> list[Polygon]:
    from shapely.ops import split

    parts = [g for g in split(cell, line).geoms if isinstance(g, Polygon) and not g.is_empty]
    return parts


class MergeCells(EditCommand):
    """Merge adjacent cells into one; it keeps the id and attributes of ``keep`` (default: the
    first of ``cell_ids``)."""

    kind = "merge_cells"

    def __init__(self, cell_ids: Sequence[int], keep: int | None = None, allow_cut: bool = False):
        super().__init__()
        self.cell_ids = [int(c) for c in cell_ids]
        self.keep = int(keep) if keep is not None else (self.cell_ids[0] if cell_ids else None)
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return "Merge cells"

    def params(self) -> dict:
        return {"cell_ids": self.cell_ids, "keep": self.keep, "allow_cut": self.allow_cut}

    def _propose(self, coverage: Coverage) -> Change:
        ids = list(dict.fromkeys(self.cell_ids))
        if len(ids) < 2:
            raise _refuse("not_adjacent", "choose at least two cells to merge")
        missing = [c for c in ids if c not in coverage]
        if missing:
            raise _refuse("not_found", f"there is no cell {missing[0]}")
        if self.keep not in ids:
            raise _refuse("not_found", f"cell {self.keep} is not one of the merged cells")
        # Connected through shared edges, not just corners.
        linked, frontier = {ids[0]}, [ids[0]]
        while frontier:
            c = frontier.pop()
            for n in coverage.neighbours(c):
                if n in ids and n not in linked:
                    linked.add(n)
                    frontier.append(n)
        if len(linked) != len(ids):
            lonely = next(c for c in ids if c not in linked)
            raise _refuse(
                "not_adjacent",
                f"cell {coverage.attributes(lonely).code} shares no edge with the others",
                shapely.point_on_surface(coverage.geometry(lonely)).coords[0],
                (lonely,),
            )
        geoms = [coverage.geometry(c) for c in ids]
        merged = shapely.coverage_union_all(geoms)
        if merged.geom_type != "Polygon":
            merged = shapely.union_all(geoms)
        before = _states(coverage, ids)
        after: dict[int, CellState | None] = {c: None for c in ids}
        after[self.keep] = CellState(merged, coverage.attributes(self.keep))
        return Change(before, after)


class CreateCell(EditCommand):
    """Create a new cell from an outline drawn inside an existing cell, carved out of it."""

    kind = "create_cell"

    def __init__(
        self,
        polygon: Sequence[Sequence[float]],
        attributes: CellAttributes | dict | None = None,
        allow_cut: bool = False,
    ):
        super().__init__()
        self.polygon = _coords(polygon)
        if isinstance(attributes, dict):
            attributes = CellAttributes.from_json(attributes)
        self.attributes = attributes
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return "Create cell"

    def params(self) -> dict:
        return {
            "polygon": self.polygon,
            "attributes": None if self.attributes is None else self.attributes.to_json(),
            "allow_cut": self.allow_cut,
        }

    def _propose(self, coverage: Coverage) -> Change:
        rules = coverage.rules
        if len(self.polygon) < 3:
            raise _refuse("bad_polygon", "draw an outline of at least three points")
        drawn = Polygon(self.polygon)
        if not drawn.is_valid:
            reason = shapely.is_valid_reason(drawn)
            raise _refuse(
                "bad_polygon", f"the drawn outline is not valid ({reason})", self.polygon[0]
            )
        host = coverage.cell_at(shapely.point_on_surface(drawn).coords[0])
        if host is None:
            raise _refuse("bad_polygon", "draw the new cell inside a cell", self.polygon[0])
        cell = coverage.geometry(host)
        # Vertices drawn onto the host's outline or corners become exactly those.
        drawn = topology.conform([drawn], topology.vertices(cell), rules.tolerance)[0]
        outside = shapely.difference(drawn, cell)
        if outside.area > rules.gap_area:
            raise _refuse(
                "bad_polygon",
                f"the new cell must lie inside cell {coverage.attributes(host).code}",
                shapely.point_on_surface(outside).coords[0],
                (host,),
            )
        rest = shapely.difference(cell, drawn)
        if rest.is_empty or rest.area <= rules.gap_area:
            raise _refuse(
                "bad_polygon",
                f"the new cell would take all of cell {coverage.attributes(host).code}; "
                "edit its attributes instead",
                self.polygon[0],
                (host,),
            )
        new_id = coverage.new_id()
        attrs = self.attributes or _proposed_attributes(coverage, coverage.attributes(host), 1)[0]
        new, grown = _conform_with_neighbours(coverage, {host: rest, new_id: drawn}, [host])
        before: dict[int, CellState | None] = dict(_states(coverage, [host, *grown]))
        before[new_id] = None
        after = {
            host: CellState(new[host], coverage.attributes(host)),
            new_id: CellState(new[new_id], attrs),
        }
        for c, g in grown.items():
            after[c] = CellState(g, coverage.attributes(c))
        return Change(before, after)


# ================================================================================ boundary
def reshape_by_line(boundary, line: Sequence[Sequence[float]], tol: float = 1e-3):
    """The community boundary reshaped by a line drawn from the boundary, away and back to it:
    outward loops are added, and of the inside the biggest part is kept (as QGIS's reshape)."""
    boundary, ln = _land_ends(boundary, LineString(_coords(line)), tol)
    parts = topology.polygon_parts(boundary)
    faces = shapely.get_parts(
        shapely.polygonize(shapely.get_parts(shapely.union_all([*(p.boundary for p in parts), ln])))
    )
    if not len(faces):
        return boundary
    inside = shapely.intersects_xy(
        boundary, *np.asarray([shapely.point_on_surface(f).coords[0] for f in faces]).T
    )
    kept = list(faces[inside])
    added = list(faces[~inside])
    if len(kept) > len(parts):
        # The line cut through: keep the biggest inside part of each original part.
        keep = []
        for p in parts:
            mine = [f for f in kept if shapely.intersects(p, shapely.point_on_surface(f))]
            if mine:
                keep.append(max(mine, key=lambda f: f.area))
        kept = keep
    # Faces enclosed by holes of the boundary are not additions.
    added = [f for f in added if shapely.length(shapely.intersection(f.boundary, ln)) > tol]
    result = shapely.union_all([*kept, *added])
    return result


class ReshapeBoundary(EditCommand):
    """Reshape the community boundary — to a new outline ``boundary``, or by a drawn ``line``
    (see :func:`reshape_by_line`). Cells along it follow: they lose what falls outside, and
    each piece added goes to the cell it shares the longest border with."""

    kind = "reshape_boundary"

    def __init__(
        self,
        boundary: Any = None,
        line: Sequence[Sequence[float]] | None = None,
        allow_cut: bool = False,
    ):
        super().__init__()
        if (boundary is None) == (line is None):
            raise ValueError("give either a new boundary or a reshape line")
        if isinstance(boundary, str):
            boundary = _geometry_from_text(boundary)
        self.boundary = boundary
        self.line = None if line is None else _coords(line)
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return "Reshape boundary"

    def params(self) -> dict:
        return {
            "boundary": None if self.boundary is None else shapely.to_wkb(self.boundary, hex=True),
            "line": self.line,
            "allow_cut": self.allow_cut,
        }

    def _propose(self, coverage: Coverage) -> Change:
        rules = coverage.rules
        tol = rules.tolerance
        old = coverage.boundary
        if self.line is not None:
            new_b = reshape_by_line(old, self.line, tol)
        else:
            new_b = self.boundary
        parts = topology.polygon_parts(new_b)
        if not parts or not new_b.is_valid:
            raise _refuse("bad_polygon", "the new boundary is not a valid outline")
        # Drawn vertices close to the old boundary's become exactly those.
        new_b = MultiPolygon(topology.conform(parts, topology.vertices(old), tol))
        if shapely.equals_exact(
            shapely.normalize(new_b),
            shapely.normalize(MultiPolygon(topology.polygon_parts(old))),
            tolerance=0.0,
        ):
            raise _refuse("bad_polygon", "the boundary would not change")
        lost = shapely.difference(old, new_b)
        gained = shapely.difference(new_b, old)
        moved = shapely.union(lost, gained)
        if moved.area <= rules.gap_area:
            raise _refuse("bad_polygon", "the boundary would not change")
        near = coverage.near(moved.bounds, pad=tol)
        new: dict[int, Any] = {}
        for c in near:
            g = coverage.geometry(c)
            if shapely.intersection(g, lost).area > rules.gap_area:
                new[c] = shapely.intersection(g, new_b)
        for piece in shapely.get_parts(gained):
            if piece.area <= rules.gap_area:
                continue
            best, best_len = None, tol
            for c in coverage.near(piece.bounds, pad=tol):
                g = new.get(c, coverage.geometry(c))
                shared = shapely.length(shapely.intersection(piece.boundary, g.boundary))
                if shared > best_len:
                    best, best_len = c, shared
            if best is None:
                raise _refuse(
                    "bad_polygon",
                    "an added piece of the boundary touches no cell",
                    shapely.point_on_surface(piece).coords[0],
                )
            new[best] = shapely.union_all([new.get(best, coverage.geometry(best)), piece])
        for c, g in list(new.items()):
            new[c] = _polygon_or_as_is(g)
        new, grown = _conform_with_neighbours(coverage, new, list(new))
        before = _states(coverage, [*new, *grown])
        after = {c: CellState(g, coverage.attributes(c)) for c, g in new.items()}
        for c, g in grown.items():
            after[c] = CellState(g, coverage.attributes(c))
        return Change(before, after, boundary_before=old, boundary_after=new_b)


def _geometry_from_text(text: str):
    """A geometry from hex WKB (the journal's form) or WKT."""
    try:
        return shapely.from_wkb(text)
    except shapely.errors.GEOSException:
        return shapely.from_wkt(text)


def _polygon_or_as_is(g):
    """A single-part result as a Polygon (overlays may wrap it in a collection)."""
    parts = [p for p in topology.polygon_parts(g) if p.area > 0]
    if len(parts) == 1:
        return parts[0]
    return g


# ================================================================================ attributes
class SetAttributes(EditCommand):
    """Change a cell's code, name, grid worker or supervisor."""

    kind = "set_attributes"

    def __init__(self, cell_id: int, **changes: Any):
        super().__init__()
        self.cell_id = int(cell_id)
        self.changes = dict(changes)

    @property
    def text(self) -> str:
        return "Edit cell attributes"

    def params(self) -> dict:
        return {"cell_id": self.cell_id, **self.changes}

    def _propose(self, coverage: Coverage) -> Change:
        st = _states(coverage, [self.cell_id])[self.cell_id]
        try:
            attrs = st.attributes.replace(**self.changes)
        except TypeError as exc:
            raise _refuse("bad_attribute", str(exc)) from exc
        return Change({self.cell_id: st}, {self.cell_id: CellState(st.geometry, attrs)})

    def _check(self, coverage: Coverage, change: Change) -> list[Problem]:
        return []


class RestoreVersion(EditCommand):
    """Give a cell back an old version's outline and attributes (from its history). The cells
    around give up what the old outline covers; what the cell gives up goes to the neighbour it
    shares the longest border with. A cell that no longer exists (merged away) comes back."""

    kind = "restore_version"

    def __init__(
        self,
        cell_id: int,
        version: int,
        geometry: Any,
        attributes: CellAttributes | dict,
        allow_cut: bool = False,
    ):
        super().__init__()
        self.cell_id, self.version = int(cell_id), int(version)
        if isinstance(geometry, str):
            geometry = shapely.from_wkb(geometry)
        self.geometry = geometry
        if isinstance(attributes, dict):
            attributes = CellAttributes.from_json(attributes)
        self.attributes = attributes
        self.allow_cut = bool(allow_cut)

    @property
    def text(self) -> str:
        return f"Restore version {self.version}"

    def params(self) -> dict:
        return {
            "cell_id": self.cell_id,
            "version": self.version,
            "geometry": shapely.to_wkb(self.geometry, hex=True),
            "attributes": self.attributes.to_json(),
            "allow_cut": self.allow_cut,
        }

    def _propose(self, coverage: Coverage) -> Change:
        rules = coverage.rules
        tol = rules.tolerance
        cid = self.cell_id
        target = shapely.intersection(self.geometry, coverage.boundary)
        target = _polygon_or_as_is(target)
        current = coverage.geometry(cid) if cid in coverage else shapely.Polygon()
        new: dict[int, Any] = {cid: target}
        for c in coverage.near(target.bounds, pad=tol):
            if c == cid:
                continue
            g = coverage.geometry(c)
            if shapely.intersection(g, target).area > rules.gap_area:
                rest = _polygon_or_as_is(shapely.difference(g, target))
                if rest.is_empty or rest.area <= rules.gap_area:
                    raise _refuse(
                        "not_polygon",
                        f"restoring would swallow cell {coverage.attributes(c).code}",
                        shapely.point_on_surface(g).coords[0],
                        (c,),
                    )
                new[c] = rest
        freed = shapely.difference(current, target) if not current.is_empty else shapely.Polygon()
        for piece in shapely.get_parts(freed):
            if piece.area <= rules.gap_area:
                continue
            best, best_len = None, tol
            for c in coverage.near(piece.bounds, pad=tol):
                if c == cid:
                    continue
                g = new.get(c, coverage.geometry(c))
                shared = shapely.length(shapely.intersection(piece.boundary, g.boundary))
                if shared > best_len:
                    best, best_len = c, shared
            if best is None:
                raise _refuse(
                    "gap",
                    "part of the cell's present area would belong to no cell",
                    shapely.point_on_surface(piece).coords[0],
                )
            new[best] = _polygon_or_as_is(
                shapely.union_all([new.get(best, coverage.geometry(best)), piece])
            )
        new, grown = _conform_with_neighbours(coverage, new, [c for c in new if c in coverage])
        before: dict[int, CellState | None] = {c: coverage.state(c) for c in [*new, *grown]}
        after = {}
        for c, g in new.items():
            attrs = self.attributes if c == cid else coverage.attributes(c)
            after[c] = CellState(g, attrs)
        for c, g in grown.items():
            after[c] = CellState(g, coverage.attributes(c))
        return Change(before, after)


# ================================================================================ registry
COMMANDS: dict[str, type[EditCommand]] = {
    cls.kind: cls
    for cls in (
        MoveVertex,
        MoveEdge,
        AddVertex,
        DeleteVertex,
        SplitCell,
        MergeCells,
        CreateCell,
        ReshapeBoundary,
        SetAttributes,
        RestoreVersion,
    )
}


def command_from_json(data: dict) -> EditCommand:
    """A command from :meth:`EditCommand.to_json`, with its recorded change (so replaying it
    puts back exactly the geometries it produced)."""
    from gis_core.editing.change import Change as _Change

    cls = COMMANDS.get(data.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown edit command {data.get('kind')!r}")
    cmd = cls(**data.get("params", {}))
    if data.get("change") is not None:
        cmd._change = _Change.from_json(data["change"])
    return cmd
