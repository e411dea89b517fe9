"""Survivorship: the golden record of an entity, field by field, from its member records, with
each value's provenance (source, extraction date, rule); conflicts that no rule settles become
review items, and reviewers' decisions settle them — again on every re-import while the same
candidates come back.

Rules, tried in a field's order (``RULES``, overridable per call):

- ``trusted`` — the value whose best source trust for the field is ahead by ``TRUST_MARGIN``;
- ``recent`` — the value of the most recent extraction, if strictly the newest;
- ``frequent`` — the value most records give, if strictly the most;
- ``valid`` — (ID numbers) a valid value over invalid ones.

A field whose records all agree takes the value with rule ``agree``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "RULES",
    "TRUST_MARGIN",
    "Candidate",
    "FieldOutcome",
    "Member",
    "survive",
    "GOLDEN_FIELDS",
]

TRUST_MARGIN = 0.1

RULES: dict[str, tuple[str, ...]] = {
    "id_number": ("valid", "trusted", "frequent"),
    "credit_code": ("valid", "trusted", "frequent"),
    "name": ("trusted", "frequent"),
    "gender": ("frequent", "trusted"),
    "birth_date": ("trusted", "frequent"),
    "phone": ("recent", "trusted"),
    "address": ("recent", "trusted"),
    "household_code": ("trusted", "recent"),
    "head_id_number": ("valid", "trusted", "frequent"),
    "head_name": ("trusted", "frequent"),
    "members": ("recent", "trusted"),
    "legal_person": ("trusted", "recent"),
    "industry": ("trusted", "recent"),
    "employees": ("recent",),
    "floors": ("trusted", "frequent"),
    "units": ("trusted", "frequent"),
    "use": ("trusted", "recent"),
}
GOLDEN_FIELDS: dict[str, tuple[str, ...]] = {
    "residents": ("name", "id_number", "gender", "birth_date", "phone", "address", "household_code"),
    "households": ("household_code", "head_name", "head_id_number", "address", "members", "phone"),
    "enterprises": ("name", "credit_code", "phone", "address", "legal_person", "industry", "employees"),
    "buildings": ("address", "name", "floors", "units", "use"),
}  # fmt: skip


@dataclass(frozen=True)
class Member:
    """One member record as survivorship sees it (personal values in clear, in memory only)."""

    record_id: int
    source: str
    trust: Mapping[str, float]
    extracted_at: dt.date | None
    values: Mapping[str, Any]


@dataclass
class Candidate:
    value: Any
    sources: list[str]
    records: list[int]
    trust: float
    latest: dt.date | None

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "sources": self.sources,
            "records": self.records,
            "trust": self.trust,
            "latest": self.latest.isoformat() if self.latest else None,
        }


@dataclass
class FieldOutcome:
    field: str
    value: Any
    rule: str | None  # None: unsettled (a review item)
    chosen: Candidate | None
    candidates: list[Candidate] = field(default_factory=list)
    proposal: int | None = None  # index of the proposed candidate when unsettled

    @property
    def provenance(self) -> dict | None:
        if self.chosen is None:
            return None
        return {
            "sources": self.chosen.sources,
            "date": self.chosen.latest.isoformat() if self.chosen.latest else None,
            "rule": self.rule or "review",
            "records": self.chosen.records,
        }


def _candidates(members: Sequence[Member], name: str) -> list[Candidate]:
    by_value: dict[Any, Candidate] = {}
    for m in members:
        v = m.values.get(name)
        if v is None or v == "":
            continue
        c = by_value.get(v)
        trust = float(m.trust.get(name, m.trust.get("*", 0.5)))
        if c is None:
            by_value[v] = Candidate(v, [m.source], [m.record_id], trust, m.extracted_at)
            continue
        if m.source not in c.sources:
            c.sources.append(m.source)
        c.records.append(m.record_id)
        c.trust = max(c.trust, trust)
        if m.extracted_at and (c.latest is None or m.extracted_at > c.latest):
            c.latest = m.extracted_at
    # A stable order: most trusted, most recent, most records, then the value.
    return sorted(
        by_value.values(),
        key=lambda c: (
            -c.trust,
            -(c.latest.toordinal() if c.latest else 0),
            -len(c.records),
            str(c.value),
        ),
    )


def _settle(rule: str, cands: list[Candidate], valid: Mapping[Any, bool]) -> Candidate | None:
    if rule == "trusted":
        best = sorted(cands, key=lambda c: -c.trust)
        if best[0].trust - best[1].trust >= TRUST_MARGIN - 1e-9:
            return best[0]
    elif rule == "recent":
        dates = sorted(cands, key=lambda c: -(c.latest.toordinal() if c.latest else 0))
        if dates[0].latest and (dates[1].latest is None or dates[0].latest > dates[1].latest):
            return dates[0]
    elif rule == "frequent":
        counts = sorted(cands, key=lambda c: -len(c.records))
        if len(counts[0].records) > len(counts[1].records):
            return counts[0]
    elif rule == "valid":
        good = [c for c in cands if valid.get(c.value, True)]
        if len(good) == 1:
            return good[0]
    return None


def survive(
    members: Sequence[Member],
    kind: str,
    rules: Mapping[str, Sequence[str]] | None = None,
    valid: Mapping[str, Mapping[Any, bool]] | None = None,
    decisions: Mapping[str, tuple[str, Any]] | None = None,
    fingerprint=None,
) -> dict[str, FieldOutcome]:
    """Field outcomes of one entity. ``decisions``: field → (fingerprint, (decision, value)) of
    this entity's reviews; ``fingerprint(field, candidates)`` computes a conflict's fingerprint."""
    rules = {**RULES, **(rules or {})}
    valid = valid or {}
    decisions = decisions or {}
    out: dict[str, FieldOutcome] = {}
    for name in GOLDEN_FIELDS[kind]:
        cands = _candidates(members, name)
        if not cands:
            out[name] = FieldOutcome(name, None, "missing", None)
            continue
        if len(cands) == 1:
            out[name] = FieldOutcome(name, cands[0].value, "agree", cands[0], cands)
            continue
        decided = None
        if fingerprint is not None and name in decisions:
            fp = fingerprint(name, cands)
            decided = decisions[name].get(fp)
        if decided is not None:
            out[name] = _apply(name, cands, decided, rules, valid.get(name, {}))
            continue
        for rule in rules.get(name, ("trusted", "recent", "frequent")):
            won = _settle(rule, cands, valid.get(name, {}))
            if won is not None:
                out[name] = FieldOutcome(name, won.value, rule, won, cands)
                break
        else:  # no rule settles it: the first in the stable order is proposed
            out[name] = FieldOutcome(name, cands[0].value, None, cands[0], cands, proposal=0)
    return out


def _apply(
    name: str, cands: list[Candidate], decided: tuple[str, Any], rules, valid
) -> FieldOutcome:
    decision, value = decided
    if decision == "edit":
        chosen = Candidate(value, ["review"], [], 1.0, None)
        return FieldOutcome(name, value, "review:edit", chosen, cands)
    if decision == "accept":
        pick = next((c for c in cands if c.value == value), cands[0])
        return FieldOutcome(name, pick.value, "review:accept", pick, cands)
    # reject: the rejected value drops out; the rest go through the rules (or the order).
    rest = [c for c in cands if c.value != value] or cands
    if len(rest) > 1:
        for rule in rules.get(name, ()):
            won = _settle(rule, rest, valid)
            if won is not None:
                return FieldOutcome(name, won.value, "review:reject", won, cands)
    return FieldOutcome(name, rest[0].value, "review:reject", rest[0], cands)
