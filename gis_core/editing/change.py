"""A change to a coverage: the exact cell states before and after, which makes undo exact and a
journal entry replayable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely

from gis_core.editing.codes import CellAttributes
from gis_core.editing.coverage import CellState, Coverage

__all__ = ["Change", "changed_region", "state_to_json", "state_from_json"]


@dataclass
class Change:
    """Cell states before and after an edit (None: the cell does not exist on that side), and
    the community boundary before and after when the edit moved it."""

    before: Mapping[int, CellState | None] = field(default_factory=dict)
    after: Mapping[int, CellState | None] = field(default_factory=dict)
    boundary_before: Any = None
    boundary_after: Any = None

    @property
    def touched(self) -> list[int]:
        return sorted(set(self.before) | set(self.after))

    @property
    def moves_boundary(self) -> bool:
        return self.boundary_after is not None

    def apply_to(self, coverage: Coverage) -> None:
        for cid in self.touched:
            coverage.put(cid, self.after.get(cid))
        if self.boundary_after is not None:
            coverage.set_boundary(self.boundary_after)

    def revert_on(self, coverage: Coverage) -> None:
        for cid in self.touched:
            coverage.put(cid, self.before.get(cid))
        if self.boundary_before is not None:
            coverage.set_boundary(self.boundary_before)

    def matches(self, coverage: Coverage, side: str = "before") -> bool:
        """Whether ``coverage`` is in this change's before (or after) state for every touched cell."""
        states = self.before if side == "before" else self.after
        for cid in self.touched:
            want, have = states.get(cid), coverage.state(cid)
            if (want is None) != (have is None):
                return False
            if want is None or have is None:
                continue
            if want.attributes != have.attributes or not (
                want.geometry is have.geometry
                or shapely.equals_exact(want.geometry, have.geometry, tolerance=0.0)
            ):
                return False
        boundary = self.boundary_before if side == "before" else self.boundary_after
        return boundary is None or shapely.equals_exact(boundary, coverage.boundary, tolerance=0.0)

    def region(self):
        """Where cell membership can differ between before and after: the union of each touched
        cell's symmetric difference (and of the boundary's). Empty for attribute-only edits."""
        pieces = []
        for cid in self.touched:
            b, a = self.before.get(cid), self.after.get(cid)
            if b is None and a is not None:
                pieces.append(a.geometry)
            elif a is None and b is not None:
                pieces.append(b.geometry)
            elif a is not None and b is not None and a.geometry is not b.geometry:
                pieces.append(shapely.symmetric_difference(b.geometry, a.geometry))
        if self.boundary_after is not None:
            pieces.append(shapely.symmetric_difference(self.boundary_before, self.boundary_after))
        if not pieces:
            return shapely.Polygon()
        return shapely.union_all(pieces)

    def to_json(self) -> dict:
        return {
            "before": {str(k): state_to_json(v) for k, v in self.before.items()},
            "after": {str(k): state_to_json(v) for k, v in self.after.items()},
            "boundary_before": _wkb(self.boundary_before),
            "boundary_after": _wkb(self.boundary_after),
        }

    @classmethod
    def from_json(cls, data: dict) -> Change:
        return cls(
            before={int(k): state_from_json(v) for k, v in data["before"].items()},
            after={int(k): state_from_json(v) for k, v in data["after"].items()},
            boundary_before=_geom(data.get("boundary_before")),
            boundary_after=_geom(data.get("boundary_after")),
        )


def changed_region(change: Change):
    return change.region()


def state_to_json(state: CellState | None) -> dict | None:
    if state is None:
        return None
    return {"geometry": _wkb(state.geometry), "attributes": state.attributes.to_json()}


def state_from_json(data: dict | None) -> CellState | None:
    if data is None:
        return None
    return CellState(_geom(data["geometry"]), CellAttributes.from_json(data["attributes"]))


def _wkb(geom) -> str | None:
    # Hex WKB round-trips float64 coordinates bit for bit (WKT would not).
    return None if geom is None else shapely.to_wkb(geom, hex=True)


def _geom(text: str | None):
    return None if text is None else shapely.from_wkb(text)
