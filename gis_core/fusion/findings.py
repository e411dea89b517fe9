"""Data-quality findings: one failed standardisation rule on one field of one source row.

A finding never carries the value that failed (it may be an ID number or a phone): the source,
row and field locate it, the rule and message say what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding", "ERROR", "WARNING"]

ERROR = "error"  # the value is invalid and is not used for matching
WARNING = "warning"  # the value is used, but something about it is doubtful or was repaired


@dataclass(frozen=True)
class Finding:
    """``source`` is the source's code, ``row`` the 1-based data row of the file (or record key)."""

    source: str
    row: int
    field: str
    rule: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.source} row {self.row} {self.field}: {self.message} [{self.rule}]"
