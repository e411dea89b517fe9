"""Grid-cell attributes: the code format (``610402-001-03``), validation, and the codes proposed
for cells created by a split or drawn inside another cell."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from gis_core.editing.errors import Problem

__all__ = [
    "CellAttributes",
    "CODE_PATTERN",
    "ATTRIBUTE_FIELDS",
    "check_code",
    "check_attributes",
    "cell_number",
    "next_codes",
]

# District (6 digits) - community (3 digits) - cell number (2 to 5 digits, zero-padded to 2).
CODE_PATTERN = re.compile(r"^(\d{6}-\d{3})-(\d{2,5})$")
ATTRIBUTE_FIELDS = ("code", "name", "worker_name", "worker_phone", "supervisor")
_LIMITS = {"code": 32, "name": 128, "worker_name": 64, "worker_phone": 32, "supervisor": 64}
_PHONE = re.compile(r"^[0-9+\- ]{3,32}$")


@dataclass(frozen=True)
class CellAttributes:
    """What a grid cell is called and who looks after it."""

    code: str
    name: str = ""
    worker_name: str | None = None
    worker_phone: str | None = None
    supervisor: str | None = None

    def replace(self, **changes) -> CellAttributes:
        unknown = set(changes) - set(ATTRIBUTE_FIELDS)
        if unknown:
            raise TypeError(f"unknown cell attribute(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> CellAttributes:
        values: dict = {k: data.get(k) for k in ATTRIBUTE_FIELDS if k in data}
        return cls(**values)


def cell_number(code: str) -> int | None:
    """The cell number at the end of a well-formed code, else None."""
    m = CODE_PATTERN.match(code or "")
    return int(m.group(2)) if m else None


def check_code(code: str, community_code: str | None, taken: Iterable[str] = ()) -> Problem | None:
    """A problem with a cell code (format, community prefix, uniqueness), or None if it is fine."""
    m = CODE_PATTERN.match(code or "")
    if not m:
        return Problem(
            "bad_code",
            f"cell code {code!r} is not of the form 610402-001-03 (district-community-number)",
            params={"code": code},
        )
    if community_code and m.group(1) != community_code:
        return Problem(
            "bad_code",
            f"cell code {code!r} does not start with the community code {community_code}",
            params={"code": code, "community_code": community_code},
        )
    if code in set(taken):
        return Problem("bad_code", f"cell code {code} is already used", params={"code": code})
    return None


def check_attributes(
    attrs: CellAttributes, community_code: str | None, taken: Iterable[str] = ()
) -> list[Problem]:
    """Every problem with a cell's attributes: code, required name, lengths, phone characters."""
    problems = []
    bad = check_code(attrs.code, community_code, taken)
    if bad:
        problems.append(bad)
    if not (attrs.name or "").strip():
        problems.append(Problem("bad_attribute", f"cell {attrs.code} needs a name"))
    for name, limit in _LIMITS.items():
        value = getattr(attrs, name)
        if value is not None and len(value) > limit:
            problems.append(
                Problem("bad_attribute", f"{name} of cell {attrs.code} is longer than {limit}")
            )
    if attrs.worker_phone and not _PHONE.match(attrs.worker_phone):
        problems.append(
            Problem(
                "bad_attribute",
                f"worker phone {attrs.worker_phone!r} of cell {attrs.code} is not a phone number",
            )
        )
    return problems


def next_codes(community_code: str, taken: Iterable[str], count: int = 1) -> list[str]:
    """The next ``count`` free cell codes of a community: numbers after the highest one in use,
    zero-padded to two digits like the existing ones (``610402-001-12`` → ``…-13``)."""
    prefix = community_code + "-"
    top = 0
    for c in taken:
        if c and c.startswith(prefix):
            tail = c[len(prefix) :]
            if tail.isdigit() and len(tail) <= 5:
                top = max(top, int(tail))
    return [f"{community_code}-{top + i:02d}" for i in range(1, count + 1)]
