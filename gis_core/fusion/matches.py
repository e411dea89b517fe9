"""Possible matches: pairs of records scored just below the link threshold, queued for a reviewer
("two records — the same entity or not?"), and the reviewers' answers kept for every later link.

A possible match is a review item (``fusion_reviews.item = 'match'``) naming two records (its
``fingerprint`` is the pair key ``"<record id>-<record id>"``, lower id first); the records'
values are read from the records when the item is listed, so the queue holds no copy of them.
Each candidate of the item is ``{"record", "source", "sources", "entity", "weight"}`` where
``weight`` is the pair's match weight (log2 odds with the prior: 0 = even odds, the link bar at
0.95 is 4.25).

Decisions (``fusion_decisions.field = 'match'``, same pair key): ``accept`` links the two records
into one entity, ``reject`` keeps them apart. Both are fed to every later link as must-link and
cannot-link constraints (:func:`gis_core.fusion.linkage.link`), so a rejected pair is never linked
again — directly or through a third record — and an accepted pair stays linked when either record
changes on a re-import.

The queue is capped: at most ``cap`` open possible matches per kind (default
:data:`POSSIBLE_CAP`), the highest match weights kept — those nearest the bar, the likeliest
to be the same entity. A pair below the cap is counted in the link summary, not queued; an open
item displaced by a higher one is marked obsolete, and may come back when its records change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import text

__all__ = [
    "MATCH",
    "POSSIBLE_CAP",
    "pair_key",
    "match_decisions",
    "decision_pairs",
    "queue_possible_matches",
]

MATCH = "match"
POSSIBLE_CAP = 1000


def pair_key(record_a: int, record_b: int) -> str:
    """The key of a pair of records, the same either way round."""
    a, b = sorted((int(record_a), int(record_b)))
    return f"{a}-{b}"


def _records_of(key: str) -> tuple[int, int]:
    a, b = key.split("-")
    return int(a), int(b)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def match_decisions(conn, kind: str | None = None) -> dict[str, str]:
    """Pair key -> the latest decision (``accept`` / ``reject``) on possible matches."""
    rows = conn.execute(
        text(
            "SELECT d.fingerprint, d.decision FROM fusion_decisions d "
            + (
                "JOIN fusion_entities e ON e.id = d.entity_id AND e.kind = :k "
                if kind is not None
                else ""
            )
            + "WHERE d.field = :m ORDER BY d.id"
        ),
        {"m": MATCH, "k": kind},
    ).all()
    return {fp: decision for fp, decision in rows}


def decision_pairs(
    decisions: Mapping[str, str], position: Mapping[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """The decisions as (must-link, cannot-link) arrays of record positions; pairs with a record
    that is not among the linked ones (inactive) are left out."""
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    for key, decision in decisions.items():
        a, b = _records_of(key)
        if a in position and b in position:
            (must if decision == "accept" else cannot).append((position[a], position[b]))
    return (
        np.asarray(must, np.int64).reshape(-1, 2),
        np.asarray(cannot, np.int64).reshape(-1, 2),
    )


def queue_possible_matches(
    conn,
    kind: str,
    records: Sequence[Mapping],
    entity_of: Sequence[int],
    possible: Sequence[tuple[int, int, float]],
    decisions: Mapping[str, str],
    now,
    cap: int = POSSIBLE_CAP,
) -> tuple[int, int]:
    """Bring the open possible matches of one kind up to date after a link: items whose records
    are now one entity (or gone) become obsolete; new pairs are queued, one per pair of entities,
    keeping the ``cap`` highest weights. ``records`` are the linked records of ``kind`` (in the order of
    ``entity_of``, their entity after the link), ``possible`` the link's (position, position,
    weight). Returns (queued now, open after)."""
    pos_of = {int(r["id"]): k for k, r in enumerate(records)}
    rows = conn.execute(
        text(
            "SELECT v.id, v.fingerprint, v.candidates FROM fusion_reviews v WHERE v.item = :m "
            "AND v.status = 'open' AND v.entity_id IN (SELECT id FROM fusion_entities "
            "WHERE kind = :k)"
        ),
        {"m": MATCH, "k": kind},
    ).all()
    stale: list[dict] = []
    # Entity pair -> (weight, open item id or None, pair key, positions)
    best: dict[tuple[int, int], tuple[float, int | None, str, tuple[int, int]]] = {}
    open_keys = set()
    for item_id, key, cands in rows:
        a, b = _records_of(key)
        weight = float(_json(cands)[0].get("weight", 0.0))
        if a not in pos_of or b not in pos_of:  # a record is inactive now
            stale.append({"id": item_id})
            continue
        ea, eb = entity_of[pos_of[a]], entity_of[pos_of[b]]
        pair = (min(ea, eb), max(ea, eb))
        if ea == eb or key in decisions or pair in best:
            stale.append({"id": item_id})
            continue
        best[pair] = (weight, item_id, key, (pos_of[a], pos_of[b]))
        open_keys.add(key)
    for i, j, w in possible:
        key = pair_key(records[i]["id"], records[j]["id"])
        ei, ej = entity_of[i], entity_of[j]
        pair = (min(ei, ej), max(ei, ej))
        if ei == ej or key in decisions or key in open_keys:
            continue
        have = best.get(pair)
        if have is None or w > have[0]:
            if have is not None and have[1] is not None:
                stale.append({"id": have[1]})
            best[pair] = (float(w), None, key, (i, j))
    ranked = sorted(best.values(), key=lambda t: -t[0])
    stale += [{"id": t[1]} for t in ranked[cap:] if t[1] is not None]
    new = []
    for w, item_id, key, (i, j) in ranked[:cap]:
        if item_id is not None:
            continue
        a, b = (i, j) if records[i]["id"] < records[j]["id"] else (j, i)
        cands = [
            {
                "record": int(records[k]["id"]),
                "source": records[k]["source"],
                "sources": [records[k]["source"]],
                "entity": int(entity_of[k]),
                "weight": round(w, 4),
            }
            for k in (a, b)
        ]
        cell = records[a].get("grid_cell_id") or records[b].get("grid_cell_id")
        new.append(
            {"e": int(entity_of[a]), "f": MATCH, "fp": key, "t": now, "cell": cell,
             "c": json.dumps(cands, ensure_ascii=False)}
        )  # fmt: skip
    if stale:
        conn.execute(text("UPDATE fusion_reviews SET status = 'obsolete' WHERE id = :id"), stale)
    if new:
        conn.execute(
            text(
                "INSERT INTO fusion_reviews (entity_id, item, field, fingerprint, candidates, "
                "proposal, status, created_at, grid_cell_id) VALUES (:e, :f, :f, :fp, :c, NULL, "
                "'open', :t, :cell)"
            ),
            new,
        )
    return len(new), min(len(ranked), cap)
