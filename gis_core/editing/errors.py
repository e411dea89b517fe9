"""Why an edit was refused, and where: the messages the map shows next to the drawing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Problem", "EditRefused", "PROBLEM_CODES"]

# code → what it means (the window translates by code; ``Problem.message`` is the English text).
PROBLEM_CODES = {
    "not_found": "nothing to edit at the given place",
    "boundary_vertex": "the vertex or edge is on the community boundary",
    "self_intersection": "a cell's outline crosses itself",
    "not_polygon": "a cell would fall apart into pieces or vanish",
    "overlap": "cells would overlap, or a shared edge would no longer match",
    "gap": "a gap would open between cells",
    "outside_boundary": "a cell would reach outside the community boundary",
    "other_community": "the boundary would overlap another community",
    "too_small": "a cell would be smaller than the minimum area",
    "too_narrow": "a cell would be narrower than the minimum width somewhere",
    "cuts_building": "a new cell edge cuts a building in two (needs confirmation)",
    "bad_line": "the drawn line does not cut the cell",
    "bad_polygon": "the drawn outline is not a usable polygon",
    "not_adjacent": "the cells do not share an edge",
    "bad_code": "the cell code is malformed or already used",
    "bad_attribute": "an attribute value is not acceptable",
    "stale": "the edit was made on a different state of the cells",
}


@dataclass(frozen=True)
class Problem:
    """One broken rule: a code from :data:`PROBLEM_CODES`, a message, a map location (x, y) in
    the working CRS, the cells involved, and whether the user may confirm it away."""

    code: str
    message: str
    location: tuple[float, float] | None = None
    cell_ids: tuple[int, ...] = ()
    confirmable: bool = False
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "location": list(self.location) if self.location else None,
            "cell_ids": list(self.cell_ids),
            "confirmable": self.confirmable,
        }


class EditRefused(Exception):
    """An edit that would break the coverage, refused with why and where.

    ``message`` and ``location`` describe the first problem; ``problems`` lists all of them.
    ``confirmable`` is True when every problem may be confirmed away (a building cut in two):
    the window asks, then repeats the edit with ``allow_cut=True``.
    """

    def __init__(
        self,
        message: str | Problem | list[Problem],
        location: tuple[float, float] | None = None,
        code: str = "invalid",
    ):
        if isinstance(message, Problem):
            problems = [message]
        elif isinstance(message, list):
            problems = list(message)
        else:
            problems = [Problem(code, message, _xy(location))]
        if not problems:
            raise ValueError("EditRefused needs at least one problem")
        self.problems: list[Problem] = problems
        first = problems[0]
        self.message = first.message
        self.location = first.location
        self.code = first.code
        self.confirmable = all(p.confirmable for p in problems)
        extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        where = f" at ({first.location[0]:.2f}, {first.location[1]:.2f})" if first.location else ""
        super().__init__(f"{first.message}{where}{extra}")


def _xy(location) -> tuple[float, float] | None:
    if location is None:
        return None
    if hasattr(location, "x") and hasattr(location, "y"):
        return (float(location.x), float(location.y))
    return (float(location[0]), float(location[1]))
