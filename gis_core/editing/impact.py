"""Impact of an edit: which buildings, residents, enterprises, facilities, cameras, sensors and open
events change grid cell, with counts per old → new cell.

Only the area where membership can change is looked at (the union of each touched cell's
symmetric difference): rows are fetched by its box, placed by a representative point (the same
rule as the importer: ``point_on_surface``, lowest cell id on a shared edge) and matched against
the touched cells only. Rows without a geometry follow a parent through a foreign key
(residents their building, readings their sensor, open alarms their sensor or camera); the
list of kinds is derived from :data:`gis_core.schema.CELL_SCOPED`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import shapely

from gis_core import schema
from gis_core.editing.change import Change
from gis_core.store import FeatureFrame

__all__ = [
    "FeatureSource",
    "StoreFeatures",
    "MemoryFeatures",
    "Impact",
    "KindMoves",
    "compute_impact",
    "SPATIAL_KINDS",
    "FOLLOWERS",
    "HISTORICAL",
    "NO_CELL",
]

NO_CELL = -1
"""Stands for "no cell" (outside every cell) in old/new cell arrays."""

SPATIAL_KINDS: tuple[str, ...] = tuple(k for k in schema.CELL_SCOPED if k in schema.GEOMETRY_TYPES)
"""Cell-scoped kinds placed by their own geometry."""


def _followers() -> tuple[tuple[str, str, str], ...]:
    """(kind, foreign-key column, parent kind) for cell-scoped kinds without a geometry."""
    table_kind = {schema.KINDS[k].__tablename__: k for k in SPATIAL_KINDS}
    out = []
    for kind in schema.CELL_SCOPED:
        if kind in schema.GEOMETRY_TYPES:
            continue
        for col in schema.KINDS[kind].__table__.columns:
            for fk in col.foreign_keys:
                parent = table_kind.get(fk.column.table.name)
                if parent is not None:
                    out.append((kind, col.name, parent))
    return tuple(out)


FOLLOWERS: tuple[tuple[str, str, str], ...] = _followers()
"""Rows without geometry and the parent they follow: residents → buildings, readings →
sensors, alarms → sensors and cameras."""

HISTORICAL: dict[str, tuple[str, str]] = {
    # Records of what happened where: a closed event stays in the cell that handled it, and a
    # cleared alarm in the cell it was raised in — unless that cell disappears.
    "events": ("status", "closed"),
    "alarms": ("cleared_at", "not null"),
}


class FeatureSource(Protocol):
    """Where the editor reads the rows an edit may move."""

    def rows(self, kind: str, bbox: Sequence[float], columns: Sequence[str] = ()) -> FeatureFrame:
        """Rows of a spatial kind whose box meets ``bbox``, with ``grid_cell_id`` and ``columns``."""

    def children(
        self, kind: str, column: str, parent_ids: Sequence[int]
    ) -> list[tuple[int, int | None, int]]:
        """(parent id, stored grid_cell_id, count) of the rows of ``kind`` whose ``column``
        names one of ``parent_ids`` (historical rows left out)."""


class StoreFeatures:
    """A :class:`FeatureSource` over a store: bbox queries through the spatial index."""

    def __init__(self, store):
        self.store = store

    def rows(self, kind: str, bbox: Sequence[float], columns: Sequence[str] = ()) -> FeatureFrame:
        cols = list(dict.fromkeys(["grid_cell_id", *columns]))
        return self.store.query_bbox(kind, bbox, cols)

    def children(
        self, kind: str, column: str, parent_ids: Sequence[int]
    ) -> list[tuple[int, int | None, int]]:
        from sqlalchemy import bindparam, text

        ids = [int(i) for i in parent_ids]
        if not ids:
            return []
        table = schema.KINDS[kind].__tablename__
        where = _historical_sql(kind, keep=False)
        sql = text(
            f"SELECT {column}, grid_cell_id, count(*) FROM {table} "
            f"WHERE {column} IN :ids{where} GROUP BY {column}, grid_cell_id"
        ).bindparams(bindparam("ids", expanding=True))
        with self.store.engine.connect() as conn:
            return [(int(a), b, int(n)) for a, b, n in conn.execute(sql, {"ids": ids})]


def _historical_sql(kind: str, keep: bool) -> str:
    """SQL condition (with a leading AND) selecting the live rows of ``kind`` — or, with
    ``keep``, the historical ones."""
    rule = HISTORICAL.get(kind)
    if rule is None:
        return " AND 1 = 0" if keep else ""
    column, value = rule
    if value == "not null":
        cond = f"{column} IS NOT NULL"
    else:
        cond = f"{column} = '{value}'"
    return f" AND {cond}" if keep else f" AND NOT ({cond})"


class MemoryFeatures:
    """A :class:`FeatureSource` over arrays — for tests and for a window that keeps its layers
    in memory. ``layers`` maps a kind to a FeatureFrame that has a ``grid_cell_id`` column;
    ``links`` maps a follower kind to its columns (``grid_cell_id`` and its parent column)."""

    def __init__(
        self,
        layers: Mapping[str, FeatureFrame],
        links: Mapping[str, Mapping[str, np.ndarray]] | None = None,
    ):
        self.layers = dict(layers)
        self.links = {k: dict(v) for k, v in (links or {}).items()}
        self._bounds = {k: shapely.bounds(f.geometry) for k, f in self.layers.items()}

    @classmethod
    def from_demo(cls, data) -> MemoryFeatures:
        """From :class:`gis_core.demo.DemoData` (what ``build_demo`` would load)."""
        layers, links = {}, {}
        for kind, (cols, geoms) in data.layers.items():
            if kind not in schema.CELL_SCOPED:
                continue
            if geoms is None:
                links[kind] = {k: np.asarray(v) for k, v in cols.items()}
                continue
            ids = np.asarray(cols["id"], dtype=np.int64)
            columns = {k: np.asarray(v) for k, v in cols.items() if k != "id"}
            if kind == "events" and "status" not in columns:
                columns["status"] = np.full(len(ids), "reported", dtype=object)
            layers[kind] = FeatureFrame(kind, ids, np.asarray(geoms), columns, data.srid)
        return cls(layers, links)

    def rows(self, kind: str, bbox: Sequence[float], columns: Sequence[str] = ()) -> FeatureFrame:
        frame = self.layers.get(kind)
        if frame is None:
            return FeatureFrame(kind, np.empty(0, np.int64), np.empty(0, object), {})
        b = self._bounds[kind]
        minx, miny, maxx, maxy = bbox
        hit = (b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny)
        cols = {k: v[hit] for k, v in frame.columns.items() if k in ("grid_cell_id", *columns)}
        return FeatureFrame(kind, frame.ids[hit], frame.geometry[hit], cols, frame.srid)

    def children(
        self, kind: str, column: str, parent_ids: Sequence[int]
    ) -> list[tuple[int, int | None, int]]:
        cols = self.links.get(kind)
        if cols is None or column not in cols or not len(parent_ids):
            return []
        parent = cols[column]
        sel = np.isin(parent, np.asarray(parent_ids))
        rule = HISTORICAL.get(kind)
        if rule is not None and rule[0] in cols:
            v = cols[rule[0]]
            hist = (v != None) if rule[1] == "not null" else (v == rule[1])  # noqa: E711
            sel &= ~np.asarray(hist, dtype=bool)
        counts = Counter(zip(parent[sel].tolist(), cols["grid_cell_id"][sel].tolist()))
        return [(int(p), c, n) for (p, c), n in counts.items()]


@dataclass
class KindMoves:
    """Rows of one kind that change cell: ids, old cell and new cell (NO_CELL for none)."""

    kind: str
    ids: np.ndarray
    old: np.ndarray
    new: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Impact:
    """What an edit does to the rows of each cell-scoped kind.

    ``moves`` lists the rows of spatial kinds (buildings, enterprises, facilities, cameras,
    sensors, open events) that change cell; ``counts`` gives, per kind (followers included:
    residents, readings, open alarms), the number of rows per (old cell, new cell).
    ``removed`` are cells that disappear, ``fallback`` where rows of a removed cell that lie
    outside the changed area go (a merged cell's survivor).
    """

    moves: dict[str, KindMoves] = field(default_factory=dict)
    counts: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)
    follower_moves: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)
    removed: list[int] = field(default_factory=list)
    fallback: dict[int, int | None] = field(default_factory=dict)
    region: Any = None

    def total(self, kind: str) -> int:
        return sum(self.counts.get(kind, {}).values())

    def summary(self, codes: Mapping[int, str] | None = None) -> list[tuple[str, str, str, int]]:
        """Rows of (kind, old cell, new cell, count) for a table, cells shown by code."""

        def name(c: int) -> str:
            if c == NO_CELL:
                return "—"
            return (codes or {}).get(c, str(c))

        out = []
        for kind, pairs in self.counts.items():
            for (old, new), n in sorted(pairs.items()):
                out.append((kind, name(old), name(new), n))
        return out

    def remap(self, ids: Mapping[int, int]) -> Impact:
        """The same impact with temporary cell ids replaced (after new cells got their ids)."""

        def m(a: np.ndarray) -> np.ndarray:
            return np.array([ids.get(int(v), int(v)) for v in a], dtype=np.int64)

        return Impact(
            moves={k: KindMoves(k, v.ids, m(v.old), m(v.new)) for k, v in self.moves.items()},
            counts={
                k: {(ids.get(o, o), ids.get(n, n)): c for (o, n), c in v.items()}
                for k, v in self.counts.items()
            },
            follower_moves={
                k: [(p, ids.get(c, c)) for p, c in v] for k, v in self.follower_moves.items()
            },
            removed=list(self.removed),
            fallback={k: (None if v is None else ids.get(v, v)) for k, v in self.fallback.items()},
            region=self.region,
        )


def _points(geoms: np.ndarray) -> np.ndarray:
    if not len(geoms):
        return geoms
    types = shapely.get_type_id(geoms)
    pts = geoms.copy()
    poly = types != 0
    if poly.any():
        pts[poly] = shapely.point_on_surface(geoms[poly])
    return pts


def _order_key(cell_ids: np.ndarray) -> np.ndarray:
    # Lowest id wins on a shared edge; cells new in the editor (negative ids) come last.
    return np.where(cell_ids > 0, cell_ids, 2**40 - cell_ids)


def _assign(points: np.ndarray, cell_ids: np.ndarray, cells: np.ndarray) -> np.ndarray:
    out = np.full(len(points), NO_CELL, dtype=np.int64)
    if not len(points) or not len(cells):
        return out
    tree = shapely.STRtree(cells)
    pi, ci = tree.query(points, predicate="intersects")
    if len(pi):
        ids = cell_ids[ci]
        order = np.lexsort((_order_key(ids), pi))
        pi, ids = pi[order], ids[order]
        first = np.unique(pi, return_index=True)[1]
        out[pi[first]] = ids[first]
    return out


def compute_impact(
    change: Change,
    source: FeatureSource,
    kinds: Sequence[str] | None = None,
    locate: Callable[[tuple[float, float]], int | None] | None = None,
) -> Impact:
    """The rows that ``change`` moves from one cell to another (see :class:`Impact`).

    ``locate(xy)`` (e.g. :meth:`Coverage.cell_at`) places the odd point that lies in the changed
    area only by float noise and in none of the touched cells; without it such a point is
    taken to be outside every cell."""
    kinds = tuple(kinds) if kinds is not None else SPATIAL_KINDS
    removed = [c for c, s in change.after.items() if s is None and change.before.get(c) is not None]
    after = {c: s.geometry for c, s in change.after.items() if s is not None}
    impact = Impact(removed=sorted(removed))
    impact.fallback = _fallbacks(change, removed, after)
    region = change.region()
    impact.region = region
    if region.is_empty or region.area == 0:
        return impact
    shapely.prepare(region)
    after_ids = np.fromiter(after.keys(), dtype=np.int64, count=len(after))
    after_geoms = np.empty(len(after), dtype=object)
    after_geoms[:] = list(after.values())
    bbox = region.bounds
    removed_set = set(removed)
    for kind in kinds:
        rule = HISTORICAL.get(kind)
        frame = source.rows(kind, bbox, (rule[0],) if rule else ())
        if not len(frame.ids):
            continue
        pts = _points(frame.geometry)
        xy = shapely.get_coordinates(pts)
        inside = shapely.intersects_xy(region, xy[:, 0], xy[:, 1])
        if not inside.any():
            continue
        ids = frame.ids[inside]
        old = _cells(frame.columns["grid_cell_id"][inside])
        if rule is not None and rule[0] in frame.columns:
            v = frame.columns[rule[0]][inside]
            hist = np.array(
                [(x is not None) if rule[1] == "not null" else (x == rule[1]) for x in v],
                dtype=bool,
            )
            # Historical rows stay put unless their cell goes away.
            live = ~hist | np.isin(old, list(removed_set))
            ids, old, pts_in = ids[live], old[live], pts[inside][live]
        else:
            pts_in = pts[inside]
        new = _assign(pts_in, after_ids, after_geoms)
        if locate is not None and (new == NO_CELL).any():
            for i in np.flatnonzero(new == NO_CELL).tolist():
                found = locate(tuple(shapely.get_coordinates(pts_in[i])[0]))
                new[i] = NO_CELL if found is None else found
        moved = old != new
        if not moved.any():
            continue
        km = KindMoves(kind, ids[moved], old[moved], new[moved])
        impact.moves[kind] = km
        impact.counts[kind] = dict(Counter(zip(km.old.tolist(), km.new.tolist())))
    for kind, column, parent in FOLLOWERS:
        parent_moves = impact.moves.get(parent)
        if parent_moves is None or not len(parent_moves):
            continue
        new_of = dict(zip(parent_moves.ids.tolist(), parent_moves.new.tolist()))
        rows = source.children(kind, column, list(new_of))
        impact.follower_moves[(kind, column)] = list(new_of.items())
        counts = impact.counts.setdefault(kind, {})
        for pid, cell, n in rows:
            key = (NO_CELL if cell is None else int(cell), new_of[pid])
            if key[0] != key[1]:
                counts[key] = counts.get(key, 0) + n
        if not counts:
            del impact.counts[kind]
    return impact


def _cells(values: np.ndarray) -> np.ndarray:
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values.tolist()):
        out[i] = NO_CELL if v is None or v != v else int(v)
    return out


def _fallbacks(change: Change, removed: list[int], after: dict[int, Any]) -> dict[int, int | None]:
    """For each removed cell, the surviving cell that took most of its area."""
    out: dict[int, int | None] = {}
    for c in removed:
        state = change.before.get(c)
        if state is None:
            continue
        old = state.geometry
        best, best_area = None, 0.0
        for a, g in after.items():
            area = shapely.intersection(old, g).area
            if area > best_area:
                best, best_area = a, area
        out[c] = best
    return out
