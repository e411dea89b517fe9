"""The review queue: conflicts no survivorship rule settles, listed with their candidates side by
side (personal values masked), and the reviewers' decisions — accept a candidate, reject the
proposal, or edit the value — logged and remembered: a decision is stored with the conflict's
fingerprint, so the same conflict coming back on a re-import is settled by it again.

Two kinds of item (``ReviewItem.item``):

- ``"field"``: a field of one entity whose sources disagree; ``candidates`` are the values;
  decisions ``accept`` / ``reject`` / ``edit``.
- ``"match"``: a possible match — two records scored just below the link threshold, the same
  entity or not? ``candidates`` are the two records (``record``, ``source``, ``entity``, their
  ``values`` with ID numbers and phones masked), ``weight`` / ``probability`` the pair's score;
  decisions ``accept`` (link the two into one entity, at once) / ``reject`` (keep them apart).
  Both are remembered by every later link (see gis_core.fusion.matches).

    >>> for item in list_reviews(store, item="match", limit=20):   # highest weight first
    ...     print(item.line())
    >>> decide(store, item.id, "reject", by="steward", note="father and son")
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from gis_core.fusion.entities import _ENTITY_AAD, fingerprint_of, survive_entity
from gis_core.fusion.matches import MATCH
from gis_core.fusion.sources import PERSONAL_VALUES, FusionError, decrypt_values, encrypt_values
from gis_core.fusion.survivorship import GOLDEN_FIELDS
from gis_core.masking import mask_id_number, mask_phone

__all__ = ["ReviewItem", "list_reviews", "decide", "DECISIONS", "MATCH_DECISIONS", "ITEMS"]

DECISIONS = ("accept", "reject", "edit")
MATCH_DECISIONS = ("accept", "reject")  # the decisions a possible match takes
ITEMS = ("field", MATCH)
_MASKS = {"id_number": mask_id_number, "head_id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class ReviewItem:
    """One item of the queue. Field conflicts: ``candidates`` are values (masked for ID numbers
    and phones) with their sources, records, trust and latest date, ``proposal`` the index the
    rules lean to. Possible matches (``item == "match"``, ``field == "match"``): ``candidates``
    are the two records, each ``{"record", "source", "entity", "values"}`` (``entity``: the
    record's entity now; ``values``: name, ID number, gender, birth date, phone, address …,
    personal ones masked), ``weight`` the match weight (log2 odds; 4.25 is the 0.95 link bar)."""

    id: int
    entity_id: int
    kind: str
    field: str
    candidates: list[dict]
    proposal: int | None
    status: str
    grid_cell_id: int | None
    created_at: Any
    item: str = "field"
    weight: float | None = None

    @property
    def probability(self) -> float | None:
        """The match probability of a possible match (weight as odds)."""
        return None if self.weight is None else 1 / (1 + 2 ** (-self.weight))

    def line(self) -> str:
        if self.item == MATCH:
            sides = " | ".join(
                f"[{k}] {c['source']} record {c['record']} (entity {c['entity']}): "
                + ", ".join(str(v) for v in c["values"].values() if v not in (None, ""))
                for k, c in enumerate(self.candidates)
            )
            return (
                f"#{self.id} possible match p={self.probability:.2f} ({self.weight:.2f}): {sides}"
            )
        cands = "; ".join(
            f"[{k}]{'*' if k == self.proposal else ''} {c['value']} ({', '.join(c['sources'])}, "
            f"trust {c['trust']:.2f}, {c['latest'] or '—'})"
            for k, c in enumerate(self.candidates)
        )
        return f"#{self.id} entity {self.entity_id} {self.field}: {cands}"


def _json(v):
    return json.loads(v) if isinstance(v, str) else v


def list_reviews(
    store,
    status: str = "open",
    kind: str | None = None,
    limit: int = 200,
    clear: bool = False,
    item: str | None = None,
) -> list[ReviewItem]:
    """Review items: field conflicts (oldest first), then possible matches (highest weight
    first); ``item`` ("field" or "match") lists one kind of item only. Candidates' ID numbers and
    phones come masked; ``clear`` is for the decision code only (the values are compared, never
    shown)."""
    if item is not None and item not in ITEMS:
        raise FusionError(f"item must be one of {', '.join(ITEMS)}")
    out: list[ReviewItem] = []
    if item in (None, "field"):
        out += _list_fields(store, status, kind, limit, clear)
    if item in (None, MATCH) and len(out) < limit:
        out += _list_matches(store, status, kind, limit - len(out), clear)
    return out


def _select(status: str, kind: str | None, item: str, order: str) -> Any:
    return text(
        "SELECT v.id, v.entity_id, e.kind, v.field, v.candidates, v.proposal, v.status, "
        "v.grid_cell_id, v.created_at FROM fusion_reviews v JOIN fusion_entities e ON "
        "e.id = v.entity_id WHERE v.status = :s AND v.item = :i "
        + ("AND e.kind = :k " if kind else "")
        + order
    )


def _list_fields(store, status, kind, limit, clear) -> list[ReviewItem]:
    from gis_core.security.keys import store_key

    with store.engine.connect() as conn:
        rows = conn.execute(
            _select(status, kind, "field", "ORDER BY v.id LIMIT :n"),
            {"s": status, "k": kind, "i": "field", "n": limit},
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


def _list_matches(store, status, kind, limit, clear) -> list[ReviewItem]:
    """Possible matches, highest weight first, with their records' current values."""
    from gis_core.security.keys import store_key

    with store.engine.connect() as conn:
        rows = conn.execute(
            _select(status, kind, MATCH, "ORDER BY v.id"), {"s": status, "k": kind, "i": MATCH}
        ).all()
        items = sorted(
            ((r, _json(r[4])) for r in rows),
            key=lambda rc: (-float(rc[1][0].get("weight", 0.0)), rc[0][0]),
        )[:limit]
        ids = sorted({c["record"] for _, cands in items for c in cands})
        records = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            marks = ", ".join(f":r{n}" for n in range(len(chunk)))
            for rid, values, entity in conn.execute(
                text(f'SELECT id, "values", entity_id FROM fusion_records WHERE id IN ({marks})'),
                {f"r{n}": v for n, v in enumerate(chunk)},
            ):
                records[int(rid)] = (_json(values), entity)
    key = store_key(store) if records else None
    out = []
    for r, cands in items:
        for c in cands:
            values, entity = records.get(c["record"], ({}, c.get("entity")))
            shown = {}
            for name in GOLDEN_FIELDS[r[2]]:
                v = values.get(name)
                if name in PERSONAL_VALUES and v is not None:
                    v = decrypt_values(key, [v], name)[0]
                    v = v if clear else _MASKS[name](v)
                shown[name] = v
            c["values"] = shown
            c["entity"] = entity
        weight = float(cands[0].get("weight", 0.0))
        out.append(ReviewItem(r[0], r[1], r[2], r[3], cands, None, r[6], r[7], r[8], MATCH, weight))
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
    """Decide a review item. A field conflict: ``accept`` candidate ``choice`` (default: the
    proposal), ``reject`` the proposal (or candidate ``choice``), or ``edit`` to ``value``; the
    entity's golden record is updated at once. A possible match: ``accept`` joins the two records'
    entities at once (the entity of the older records keeps its id, the other is marked merged
    into it), ``reject`` keeps them apart. Every decision is logged (who, when, note) and kept
    for re-imports and later links."""
    from gis_core.fusion.survivorship import Candidate
    from gis_core.security.keys import store_key

    with store.engine.connect() as conn:
        row = conn.execute(
            text("SELECT item, status FROM fusion_reviews WHERE id = :id"), {"id": review_id}
        ).first()
    if row is None or row[1] != "open":
        raise FusionError(f"no open review item #{review_id}")
    if row[0] == MATCH:
        return _decide_match(store, review_id, decision, by, note)
    if decision not in DECISIONS:
        raise FusionError(f"decision must be one of {', '.join(DECISIONS)}")
    item = next(
        (
            i
            for i in list_reviews(store, "open", limit=10**9, clear=True, item="field")
            if i.id == review_id
        ),
        None,
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


def _decide_match(store, review_id: int, decision: str, by: str | None, note: str | None) -> None:
    from gis_core.fusion.matches import pair_key

    if decision not in MATCH_DECISIONS:
        raise FusionError("a possible match is accepted (one entity) or rejected (kept apart)")
    now = dt.datetime.now(dt.UTC)
    with store.begin() as conn:
        key = conn.execute(
            text("SELECT fingerprint FROM fusion_reviews WHERE id = :id"), {"id": review_id}
        ).scalar()
        a, b = (int(x) for x in key.split("-"))
        rows = {
            int(r[0]): (r[1], r[2])
            for r in conn.execute(
                text("SELECT id, entity_id, id_bidx FROM fusion_records WHERE id IN (:a, :b)"),
                {"a": a, "b": b},
            )
        }
        (ea, ka), (eb, kb) = rows[a], rows[b]
        if decision == "accept" and ka is not None and kb is not None and ka != kb:
            raise FusionError(
                "the two records have different valid ID numbers: they cannot be one entity"
            )
        conn.execute(
            text(
                "INSERT INTO fusion_decisions (review_id, entity_id, field, fingerprint, decision, "
                "value, decided_by, decided_at, note) VALUES (:r, :e, :f, :fp, :d, :v, :by, :t, :n)"
            ),
            {"r": review_id, "e": ea, "f": MATCH, "fp": pair_key(a, b), "d": decision,
             "v": json.dumps({"records": [a, b], "entities": [ea, eb]}), "by": by, "t": now,
             "n": note},
        )  # fmt: skip
        conn.execute(
            text("UPDATE fusion_reviews SET status = 'decided' WHERE id = :id"), {"id": review_id}
        )
        if decision == "reject":
            if ea == eb:
                # Linked through other records since the item was queued: the entity's records
                # are placed again by the next link, which keeps the two apart.
                conn.execute(
                    text("UPDATE fusion_records SET match_rule = NULL WHERE entity_id = :e"),
                    {"e": ea},
                )
            return
        if ea == eb:
            return
        _merge_entities(store, conn, ea, eb, a, b, now)


def _merge_entities(store, conn, ea: int, eb: int, a: int, b: int, now) -> None:
    """Join entity ``eb`` and ``ea`` (records ``a`` of ``ea`` and ``b`` of ``eb`` accepted as
    one): the entity whose oldest record is older keeps its id, as a link would choose."""
    oldest = {
        e: conn.execute(
            text("SELECT min(id) FROM fusion_records WHERE entity_id = :e AND active"), {"e": e}
        ).scalar()
        for e in (ea, eb)
    }
    keep, gone = (ea, eb) if (oldest[ea] or 0) <= (oldest[eb] or 0) else (eb, ea)
    moved = b if gone == eb else a
    conn.execute(
        text("UPDATE fusion_records SET entity_id = :k WHERE entity_id = :g"),
        {"k": keep, "g": gone},
    )
    conn.execute(
        text("UPDATE fusion_records SET match_rule = 'review', match_weight = NULL WHERE id = :r"),
        {"r": moved},
    )
    conn.execute(
        text(
            "UPDATE fusion_entities SET merged_into = :k, records = 0, updated_at = :t "
            "WHERE id = :g"
        ),
        {"k": keep, "g": gone, "t": now},
    )
    conn.execute(
        text(
            "UPDATE fusion_reviews SET status = 'obsolete' WHERE entity_id = :g "
            "AND status = 'open' AND item = 'field'"
        ),
        {"g": gone},
    )
    # Other possible matches between the two are settled by this one.
    members = {
        int(r[0])
        for r in conn.execute(
            text("SELECT id FROM fusion_records WHERE entity_id = :k"), {"k": keep}
        )
    }
    stale = [
        {"id": rid}
        for rid, fp in conn.execute(
            text("SELECT id, fingerprint FROM fusion_reviews WHERE item = :m AND status = 'open'"),
            {"m": MATCH},
        )
        if all(int(x) in members for x in fp.split("-"))
    ]
    if stale:
        conn.execute(text("UPDATE fusion_reviews SET status = 'obsolete' WHERE id = :id"), stale)
    survive_entity(store, conn, keep)
