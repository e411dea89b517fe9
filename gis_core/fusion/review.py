"""The review queue: conflicts no survivorship rule settles, listed with their candidates side by
side (personal values masked), and the reviewers' decisions — accept a candidate, reject the
proposal, or edit the value — logged and remembered: a decision is stored with the conflict's
fingerprint, so the same conflict coming back on a re-import is settled by it again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from gis_core.fusion.entities import _ENTITY_AAD, fingerprint_of, survive_entity
from gis_core.fusion.sources import PERSONAL_VALUES, FusionError, decrypt_values, encrypt_values
from gis_core.masking import mask_id_number, mask_phone

__all__ = ["ReviewItem", "list_reviews", "decide", "DECISIONS"]

DECISIONS = ("accept", "reject", "edit")
_MASKS = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class ReviewItem:
    id: int
    entity_id: int
    kind: str
    field: str
    candidates: list[
        dict
    ]  # value (masked for ID numbers and phones), sources, records, trust, latest
    proposal: int | None
    status: str
    grid_cell_id: int | None
    created_at: Any

    def line(self) -> str:
        cands = "; ".join(
            f"[{k}]{'*' if k == self.proposal else ''} {c['value']} ({', '.join(c['sources'])}, "
            f"trust {c['trust']:.2f}, {c['latest'] or '—'})"
            for k, c in enumerate(self.candidates)
        )
        return f"#{self.id} entity {self.entity_id} {self.field}: {cands}"


def _json(v):
    return json.loads(v) if isinstance(v, str) else v


def list_reviews(
    store, status: str = "open", kind: str | None = None, limit: int = 200, clear: bool = False
) -> list[ReviewItem]:
    """Review items (oldest first). Candidates' ID numbers and phones come masked; ``clear`` is
    for the decision code only (the values are compared, never shown)."""
    from gis_core.security.keys import store_key

    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT v.id, v.entity_id, e.kind, v.field, v.candidates, v.proposal, v.status, "
                "v.grid_cell_id, v.created_at FROM fusion_reviews v JOIN fusion_entities e ON "
                "e.id = v.entity_id WHERE v.status = :s "
                + ("AND e.kind = :k " if kind else "")
                + "ORDER BY v.id LIMIT :n"
            ),
            {"s": status, "k": kind, "n": limit},
        ).all()
    key = None
    out = []
    for r in rows:
        cands = _json(r[4])
        if r[3] in PERSONAL_VALUES:
            key = key or store_key(store)
            clear_values = decrypt_values(
                key, [c["value"] for c in cands], _ENTITY_AAD.format(r[3])
            )
            for c, v in zip(cands, clear_values):
                c["value"] = v if clear else _MASKS[r[3]](v)
        out.append(ReviewItem(r[0], r[1], r[2], r[3], cands, r[5], r[6], r[7], r[8]))
    return out


def decide(
    store,
    review_id: int,
    decision: str,
    choice: int | None = None,
    value: Any = None,
    by: str | None = None,
    note: str | None = None,
) -> None:
    """Decide a review item: ``accept`` candidate ``choice`` (default: the proposal), ``reject``
    the proposal (or candidate ``choice``), or ``edit`` to ``value``. The entity's golden record
    is updated at once; the decision is kept for re-imports."""
    from gis_core.fusion.survivorship import Candidate
    from gis_core.security.keys import store_key

    if decision not in DECISIONS:
        raise FusionError(f"decision must be one of {', '.join(DECISIONS)}")
    item = next(
        (i for i in list_reviews(store, "open", limit=10**9, clear=True) if i.id == review_id), None
    )
    if item is None:
        raise FusionError(f"no open review item #{review_id}")
    if decision == "edit":
        if value is None or str(value).strip() == "":
            raise FusionError("an edit needs a value")
        chosen = str(value).strip()
    else:
        k = item.proposal if choice is None else choice
        if k is None or not 0 <= k < len(item.candidates):
            raise FusionError(f"choose a candidate 0..{len(item.candidates) - 1}")
        chosen = item.candidates[k]["value"]
    key = store_key(store)
    cands = [
        Candidate(c["value"], c["sources"], c["records"], c["trust"], None) for c in item.candidates
    ]
    fp = fingerprint_of(key, item.field, cands)
    stored = chosen
    if item.field in PERSONAL_VALUES and chosen is not None:
        stored = encrypt_values(key, [str(chosen)], _ENTITY_AAD.format(item.field))[0]
    now = dt.datetime.now(dt.UTC)
    with store.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO fusion_decisions (review_id, entity_id, field, fingerprint, decision, "
                "value, decided_by, decided_at, note) VALUES (:r, :e, :f, :fp, :d, :v, :by, :t, :n)"
            ),
            {"r": review_id, "e": item.entity_id, "f": item.field, "fp": fp, "d": decision,
             "v": json.dumps({"value": stored}, ensure_ascii=False), "by": by, "t": now, "n": note},
        )  # fmt: skip
        conn.execute(
            text("UPDATE fusion_reviews SET status = 'decided' WHERE id = :id"), {"id": review_id}
        )
        survive_entity(store, conn, item.entity_id)
