"""The cells of one community as a coverage: polygons that share vertices and edges exactly, with
no gaps or overlaps, all inside the community boundary.

:class:`Coverage` is the in-memory model the edit commands change. It keeps the cells' boxes in
numpy arrays (so "which cells are near here" is one vectorised comparison, cheap to update after
an edit, on 10,000 cells as on 10) and finds shared vertices and edges by coordinates within
``rules.tolerance``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import shapely

from gis_core.editing.codes import CellAttributes
from gis_core.editing.errors import Problem

__all__ = ["Coverage", "CellState", "Rules", "BOUNDARY"]

BOUNDARY = 0
"""Owner id that stands for the community boundary in :meth:`Coverage.vertex_owners`."""


@dataclass(frozen=True)
class Rules:
    """The rules every edit keeps.

    ``tolerance``: vertices closer than this (metres) are one vertex. ``min_area`` (m²) and
    ``min_width`` (m, tested by a negative buffer of half the width): no cell smaller or
    narrower. ``gap_area``: a gap or overlap below this area (m²) is float noise, not a gap.
    ``building_share``: a building counts as cut when two cells each hold more than this share
    of its footprint.
    """

    tolerance: float = 1e-3
    min_area: float = 100.0
    min_width: float = 3.0
    gap_area: float = 1e-3
    building_share: float = 0.02


class CellState(NamedTuple):
    """A cell at one moment: its polygon and its attributes."""

    geometry: Any
    attributes: CellAttributes


class Coverage:
    """The grid cells of one community, editable, with their boundary.

    ``cells`` maps cell id → polygon and ``attributes`` cell id → :class:`CellAttributes`.
    ``versions`` holds each stored cell's version as loaded (compared on save); cells created
    in the editor get negative ids until they are saved. ``features`` (optional) answers the
    building and impact questions (see :mod:`gis_core.editing.impact`); ``others`` are the
    outlines of neighbouring communities, which a reshaped boundary must not overlap.
    """

    def __init__(
        self,
        cells: Mapping[int, Any],
        attributes: Mapping[int, CellAttributes],
        boundary: Any,
        *,
        community_id: int | None = None,
        community_code: str | None = None,
        rules: Rules | None = None,
        versions: Mapping[int, int] | None = None,
        features: Any = None,
        others: Iterable[Any] = (),
    ):
        self.community_id = community_id
        self.community_code = community_code
        self.rules = rules or Rules()
        self.features = features
        self.others = [g for g in others if g is not None and not g.is_empty]
        self.versions: dict[int, int] = dict(versions or {})
        self._boundary = boundary
        n = len(cells)
        cap = max(16, 2 * n)
        self._ids = np.zeros(cap, dtype=np.int64)
        self._geoms = np.empty(cap, dtype=object)
        self._bounds = np.full((cap, 4), np.nan)
        self._area = np.zeros(cap)
        self._alive = np.zeros(cap, dtype=bool)
        self._attrs: dict[int, CellAttributes] = {}
        self._slot: dict[int, int] = {}
        self._n = 0
        self._next_new = -1
        self.retired_codes: set[str] = set()
        ids = np.fromiter(cells.keys(), dtype=np.int64, count=n)
        geoms = np.empty(n, dtype=object)
        geoms[:] = list(cells.values())
        if n:
            self._ids[:n] = ids
            self._geoms[:n] = geoms
            self._bounds[:n] = shapely.bounds(geoms)
            self._area[:n] = shapely.area(geoms)
            self._alive[:n] = True
            self._slot = {int(i): k for k, i in enumerate(ids.tolist())}
            self._n = n
        self._codes: dict[str, int] = {}
        self._top_code: str | None = None
        for cid in self._slot:
            a = attributes.get(cid)
            if a is None:
                raise ValueError(f"cell {cid} has no attributes")
            self._attrs[cid] = a
            self._codes[a.code] = cid
        self._next_new = min(-1, int(ids.min()) - 1 if n and ids.min() < 0 else -1)
        self._boundary_area = float(shapely.area(boundary)) if boundary is not None else 0.0
        self._boundary_prepared = None

    # ------------------------------------------------------------------ reading
    @property
    def boundary(self):
        """The community boundary (Polygon or MultiPolygon)."""
        return self._boundary

    @property
    def ids(self) -> list[int]:
        """Ids of the cells, ascending (new, unsaved cells have negative ids)."""
        return sorted(int(i) for i in self._ids[: self._n][self._alive[: self._n]])

    def __len__(self) -> int:
        return int(self._alive[: self._n].sum())

    def __contains__(self, cell_id: object) -> bool:
        slot = self._slot.get(cell_id) if isinstance(cell_id, int) else None
        return slot is not None and bool(self._alive[slot])

    def geometry(self, cell_id: int):
        return self._geoms[self._live_slot(cell_id)]

    def attributes(self, cell_id: int) -> CellAttributes:
        self._live_slot(cell_id)
        return self._attrs[cell_id]

    def state(self, cell_id: int) -> CellState | None:
        """The cell's geometry and attributes, or None if there is no such cell."""
        if cell_id not in self:
            return None
        return CellState(self._geoms[self._slot[cell_id]], self._attrs[cell_id])

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, polygons) of every cell, for drawing and bulk checks."""
        alive = self._alive[: self._n]
        ids = self._ids[: self._n][alive]
        order = np.argsort(ids)
        return ids[order], self._geoms[: self._n][alive][order]

    def codes(self) -> set[str]:
        """Codes of the current cells."""
        return set(self._codes)

    def next_codes(self, count: int = 1) -> list[str]:
        """The next ``count`` free codes of the community (after the highest number ever used
        in this coverage, so a merged-away cell's code is not handed out again)."""
        from gis_core.editing.codes import next_codes

        if self._top_code is None:
            self._top_code = next_codes(
                self.community_code or "", set(self._codes) | self.retired_codes
            )[0]
        first = self._top_code
        prefix, number = first.rsplit("-", 1)
        return [f"{prefix}-{int(number) + i:02d}" for i in range(count)]

    def code_owner(self, code: str) -> int | None:
        """The cell that has ``code``, or None."""
        return self._codes.get(code)

    def area(self) -> float:
        """Total area of the cells."""
        return float(self._area[: self._n][self._alive[: self._n]].sum())

    def near(self, bounds, pad: float = 0.0) -> list[int]:
        """Ids of cells whose box intersects ``bounds`` (minx, miny, maxx, maxy) grown by ``pad``."""
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        b = self._bounds[: self._n]
        hit = (
            self._alive[: self._n]
            & (b[:, 0] <= maxx + pad)
            & (b[:, 2] >= minx - pad)
            & (b[:, 1] <= maxy + pad)
            & (b[:, 3] >= miny - pad)
        )
        return sorted(int(i) for i in self._ids[: self._n][hit])

    def cell_at(self, xy) -> int | None:
        """The cell that contains the point (lowest id on a shared edge), or None."""
        x, y = float(xy[0]), float(xy[1])
        for cid in self.near((x, y, x, y)):
            if shapely.intersects_xy(self.geometry(cid), x, y):
                return cid
        return None

    def vertex_owners(self, xy) -> list[int]:
        """Cells with a vertex within the tolerance of ``xy`` (and :data:`BOUNDARY` if the
        community boundary has one there)."""
        tol = self.rules.tolerance
        x, y = float(xy[0]), float(xy[1])
        out = []
        if self._boundary is not None and _near_vertex(self._boundary, x, y, tol):
            out.append(BOUNDARY)
        for cid in self.near((x, y, x, y), pad=tol):
            if _near_vertex(self.geometry(cid), x, y, tol):
                out.append(cid)
        return out

    def edge_owners(self, xy) -> list[int]:
        """Cells whose outline passes within the tolerance of ``xy`` (and :data:`BOUNDARY`)."""
        tol = self.rules.tolerance
        x, y = float(xy[0]), float(xy[1])
        p = shapely.Point(x, y)
        out = []
        if self._boundary is not None and shapely.dwithin(self._boundary.boundary, p, tol):
            out.append(BOUNDARY)
        for cid in self.near((x, y, x, y), pad=tol):
            if shapely.dwithin(self.geometry(cid).boundary, p, tol):
                out.append(cid)
        return out

    def neighbours(self, cell_id: int) -> list[int]:
        """Cells that share an edge (not just a corner) with ``cell_id``."""
        g = self.geometry(cell_id)
        out = []
        for cid in self.near(g.bounds, pad=self.rules.tolerance):
            if cid == cell_id:
                continue
            shared = shapely.intersection(g.boundary, self.geometry(cid).boundary)
            if shapely.length(shared) > self.rules.tolerance:
                out.append(cid)
        return out

    def new_id(self) -> int:
        """A fresh negative id for a cell created in the editor."""
        cid = self._next_new
        self._next_new -= 1
        return cid

    # ------------------------------------------------------------------ changing
    def put(self, cell_id: int, state: CellState | None) -> None:
        """Set a cell's geometry and attributes; None removes the cell. Commands use this."""
        slot = self._slot.get(cell_id)
        if state is None:
            if slot is not None and self._alive[slot]:
                self._alive[slot] = False
                code = self._attrs[cell_id].code
                if cell_id > 0:
                    # A stored cell's code is not handed out again; a cell drawn and undone
                    # in this session (or checked while drawing) leaves its code free.
                    self.retired_codes.add(code)
                    self._top_code = None
                if self._codes.get(code) == cell_id:
                    del self._codes[code]
            return
        if slot is None:
            if self._n == len(self._ids):
                self._grow()
            slot = self._n
            self._n += 1
            self._slot[cell_id] = slot
            self._ids[slot] = cell_id
            if cell_id < 0:
                self._next_new = min(self._next_new, cell_id - 1)
        g = state.geometry
        self._geoms[slot] = g
        self._bounds[slot] = g.bounds if not g.is_empty else (np.nan,) * 4
        self._area[slot] = g.area
        was_alive = bool(self._alive[slot])
        self._alive[slot] = True
        old = self._attrs.get(cell_id)
        if was_alive and old is not None and self._codes.get(old.code) == cell_id:
            del self._codes[old.code]
        self._attrs[cell_id] = state.attributes
        self._codes[state.attributes.code] = cell_id
        if self._top_code is not None and state.attributes.code not in (old.code if old else "",):
            self._top_code = None

    def rekey(self, old_id: int, new_id: int) -> None:
        """Give a cell a new id (a new cell's temporary id becomes its stored one on save)."""
        slot = self._live_slot(old_id)
        if new_id in self._slot:
            raise ValueError(f"cell id {new_id} is already used")
        del self._slot[old_id]
        self._slot[new_id] = slot
        self._ids[slot] = new_id
        attrs = self._attrs.pop(old_id)
        self._attrs[new_id] = attrs
        self._codes[attrs.code] = new_id
        if old_id in self.versions:
            self.versions[new_id] = self.versions.pop(old_id)

    def set_boundary(self, boundary) -> None:
        self._boundary = boundary
        self._boundary_area = float(shapely.area(boundary))
        self._boundary_prepared = None

    def prepared_boundary(self):
        """The boundary, prepared for repeated predicates (geometries are immutable, so
        preparing the object itself is safe)."""
        if self._boundary_prepared is None:
            shapely.prepare(self._boundary)
            self._boundary_prepared = self._boundary
        return self._boundary_prepared

    def _grow(self) -> None:
        cap = 2 * len(self._ids)
        for name, fill in (("_ids", 0), ("_area", 0.0), ("_alive", False)):
            old = getattr(self, name)
            new = np.full(cap, fill, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        geoms = np.empty(cap, dtype=object)
        geoms[: len(self._geoms)] = self._geoms
        self._geoms = geoms
        bounds = np.full((cap, 4), np.nan)
        bounds[: len(self._bounds)] = self._bounds
        self._bounds = bounds

    def _live_slot(self, cell_id: int) -> int:
        slot = self._slot.get(cell_id)
        if slot is None or not self._alive[slot]:
            raise KeyError(f"no grid cell {cell_id} in this coverage")
        return slot

    # ------------------------------------------------------------------ checking
    def validate(self) -> list[Problem]:
        """Every coverage problem of the whole community (a full check: loading, tests)."""
        from gis_core.editing.rules import check_cells

        return check_cells(self, self.ids, full=True)


def _near_vertex(geom, x: float, y: float, tol: float) -> bool:
    coords = shapely.get_coordinates(geom)
    return bool((np.hypot(coords[:, 0] - x, coords[:, 1] - y) <= tol).any())
