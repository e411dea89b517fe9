"""Entities in the store: link the active records of a kind, keep entity ids stable over
re-imports, and write golden records with provenance and the review queue.

Stability: each cluster takes the entity of its oldest member record (lowest record id) that has
one; an entity that no cluster keeps is marked merged into the cluster of its oldest record. New
records are compared only with each other and with the existing records they block with, so a new
import links incrementally to existing entities; the trained model is kept (``fusion_models``)
and reused unless ``retrain``.

Personal values (ID numbers, phones) are decrypted in memory for comparison and survivorship and
encrypted again in golden records and review candidates.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sqlalchemy import text

from gis_core.fusion.linkage import LinkFrame, Model, link
from gis_core.fusion.matches import (
    POSSIBLE_CAP,
    decision_pairs,
    match_decisions,
    queue_possible_matches,
)
from gis_core.fusion.sources import PERSONAL_VALUES, decrypt_values, encrypt_values, list_sources
from gis_core.fusion.standardise import FUSION_KINDS, KEY_FIELD
from gis_core.fusion.survivorship import Candidate, Member, survive

__all__ = [
    "LinkSummary",
    "link_kind",
    "load_records",
    "fingerprint_of",
    "decrypt_golden",
    "survive_entity",
]

_ENTITY_AAD = "entity.{}"


@dataclass
class LinkSummary:
    kind: str
    records: int
    compared: int
    pairs: int
    entities: int
    new_entities: int
    merged: int
    by_rule: dict[str, int]
    reviews_open: int
    reviews_reapplied: int
    possible_matches: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    possible_queued: int = 0  # new possible-match items in the review queue
    possible_open: int = 0  # open possible-match items after this link (at most the cap)

    def summary(self) -> str:
        rules = ", ".join(f"{k} {v}" for k, v in sorted(self.by_rule.items()))
        return (
            f"{self.kind}: {self.records} records → {self.entities} entities "
            f"({self.new_entities} new, {self.merged} merged); {self.compared} records placed "
            f"({rules}); {self.pairs} candidate pairs; {self.reviews_open} open review items "
            f"({self.reviews_reapplied} settled by earlier decisions); {self.possible_matches} "
            f"possible matches below the bar ({self.possible_queued} queued, "
            f"{self.possible_open} open for review); {self.seconds:.1f} s"
        )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def load_records(store, kind: str, conn, entity: int | None = None) -> list[dict]:
    """Active records of a kind (of one entity) with personal values decrypted (in memory)."""
    from gis_core.security.keys import store_key

    rows = conn.execute(
        text(
            "SELECT r.id, r.source_id, s.code, r.entity_id, r.match_rule, r.id_bidx, "
            'r."values", r.extracted_at, r.grid_cell_id, r.building_id FROM fusion_records r '
            "JOIN fusion_sources s ON s.id = r.source_id WHERE r.kind = :k AND r.active "
            + ("AND r.entity_id = :e " if entity is not None else "")
            + "ORDER BY r.id"
        ),
        {"k": kind, "e": entity},
    ).all()
    records = [
        {
            "id": int(r[0]),
            "source_id": int(r[1]),
            "source": r[2],
            "entity_id": None if r[3] is None else int(r[3]),
            "rule": r[4],
            "bidx": r[5],
            "values": _json(r[6]),
            "extracted_at": _date(r[7]),
            "grid_cell_id": r[8],
            "building_id": r[9],
        }
        for r in rows
    ]
    if records and KEY_FIELD[kind] is not None:
        key = store_key(store, conn=conn)
        for name in PERSONAL_VALUES:
            at = [i for i, r in enumerate(records) if name in r["values"]]
            clear = decrypt_values(key, [records[i]["values"][name] for i in at], name)
            for i, v in zip(at, clear):
                records[i]["values"][name] = v
    return records


def _frame(records: list[dict], kind: str) -> LinkFrame:
    def col(name):
        return [r["values"].get(name) for r in records]

    id_field = KEY_FIELD[kind]
    name_field = "head_name" if kind == "households" else "name"
    births = [r["values"].get("birth_date") for r in records]
    return LinkFrame.from_columns(
        {
            "id_key": [r["bidx"] for r in records],
            "id_raw": col(id_field) if id_field else [None] * len(records),
            "name": col(name_field),
            "household": col("household_code"),
            "birth": [int(b.replace("-", "")) if b else 0 for b in births],
            "gender": col("gender"),
            "phone": col("phone"),
            "address_key": col("address_key"),
            "building_key": col("building_key"),
            "road": col("road"),
        },
        record_id=[r["id"] for r in records],
        source=[r["source_id"] for r in records],
        entity=[-1 if r["entity_id"] is None else r["entity_id"] for r in records],
        settled=[r["rule"] is not None and r["entity_id"] is not None for r in records],
    )


def fingerprint_of(key, name: str, candidates: list[Candidate]) -> str:
    """A keyed hash of a conflict: the field and its distinct candidate values."""
    values = sorted(json.dumps(c.value, ensure_ascii=False, default=str) for c in candidates)
    return key.blind_many([json.dumps([name, values], ensure_ascii=False)])[0]


def _protect(key, name: str, value: Any) -> Any:
    if name in PERSONAL_VALUES and value is not None:
        return encrypt_values(key, [str(value)], _ENTITY_AAD.format(name))[0]
    return value


def decrypt_golden(key, golden: dict) -> dict:
    """A golden record's personal values in clear (for a permitted export or reveal)."""
    out = dict(golden)
    for name in PERSONAL_VALUES:
        if out.get(name) is not None:
            out[name] = decrypt_values(key, [out[name]], _ENTITY_AAD.format(name))[0]
    return out


def _load_model(conn, kind: str) -> Model | None:
    row = conn.execute(
        text("SELECT params, pairs FROM fusion_models WHERE kind = :k"), {"k": kind}
    ).first()
    return None if row is None else Model.from_json(kind, _json(row[0]), int(row[1]))


def _save_model(conn, model: Model, now) -> None:
    conn.execute(text("DELETE FROM fusion_models WHERE kind = :k"), {"k": model.kind})
    conn.execute(
        text("INSERT INTO fusion_models (kind, params, trained_at, pairs) VALUES (:k, :p, :t, :n)"),
        {"k": model.kind, "p": json.dumps(model.to_json()), "t": now, "n": model.pairs},
    )


def link_kind(
    store,
    kind: str = "residents",
    retrain: bool = False,
    threshold: float = 0.95,
    rules: dict | None = None,
    progress: Callable[[str], None] | None = None,
    possible_cap: int = POSSIBLE_CAP,
) -> LinkSummary:
    """Link, cluster and survive every active record of a kind, in one transaction. Reviewers'
    decisions on possible matches constrain the clustering; the pairs found just below the bar
    are queued for review, at most ``possible_cap`` open per kind (gis_core.fusion.matches)."""
    from gis_core.security.keys import store_key

    if kind not in FUSION_KINDS:
        raise ValueError(f"fusion does not know {kind!r}")
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    with store.begin() as conn:
        key = store_key(store, conn=conn, create=True)
        records = load_records(store, kind, conn)
        if not records:
            return LinkSummary(kind, 0, 0, 0, 0, 0, 0, {}, 0, 0, 0, 0.0)
        frame = _frame(records, kind)
        model = None if retrain else _load_model(conn, kind)
        decisions = match_decisions(conn, kind)
        must, cannot = decision_pairs(decisions, {r["id"]: k for k, r in enumerate(records)})
        result = link(
            frame, kind, model=model, retrain=retrain or model is None, threshold=threshold,
            must_link=must, cannot_link=cannot,
        )  # fmt: skip
        if result.model is not None and (retrain or model is None):
            _save_model(conn, result.model, now)
        # Stable entity ids.
        n = len(records)
        labels = result.labels
        members: dict[int, list[int]] = defaultdict(list)
        for i, lab in enumerate(labels.tolist()):
            members[lab].append(i)
        claimed: dict[int, int] = {}  # entity id -> cluster
        cluster_entity: dict[int, int | None] = {}
        # Clusters in the order of their oldest record: the oldest claim wins an entity id.
        for lab in sorted(members, key=lambda c: records[members[c][0]]["id"]):
            chosen = None
            for i in members[lab]:  # records are in id order
                e = records[i]["entity_id"]
                if e is not None and e not in claimed:
                    chosen = e
                    break
            cluster_entity[lab] = chosen
            if chosen is not None:
                claimed[chosen] = lab
        next_id = (
            int(conn.execute(text("SELECT coalesce(max(id), 0) FROM fusion_entities")).scalar()) + 1
        )
        new_entities = []
        for lab in sorted(members):
            if cluster_entity[lab] is None:
                cluster_entity[lab] = next_id
                new_entities.append(next_id)
                next_id += 1
        if new_entities:
            conn.execute(
                text(
                    "INSERT INTO fusion_entities (id, kind, records, sources, conflicts, "
                    "created_at, updated_at) VALUES (:id, :k, 0, 0, 0, :t, :t)"
                ),
                [{"id": e, "k": kind, "t": now} for e in new_entities],
            )
        # Entities no cluster kept: merged into the cluster of their oldest record.
        old = {r["entity_id"] for r in records if r["entity_id"] is not None}
        merged = []
        for e in sorted(old - set(claimed)):
            first = next(i for i, r in enumerate(records) if r["entity_id"] == e)
            merged.append({"e": e, "into": cluster_entity[int(labels[first])], "t": now})
        if merged:
            conn.execute(
                text(
                    "UPDATE fusion_entities SET merged_into = :into, records = 0, updated_at = :t "
                    "WHERE id = :e"
                ),
                merged,
            )
            conn.execute(
                text(
                    "UPDATE fusion_reviews SET status = 'obsolete' WHERE entity_id = :e "
                    "AND status = 'open' AND item = 'field'"
                ),
                merged,
            )
        # Records whose entity or rule changed.
        updates = []
        touched: set[int] = set()
        by_rule: dict[str, int] = defaultdict(int)
        for i, r in enumerate(records):
            e = cluster_entity[int(labels[i])]
            rule = result.rule[i]
            placed = not (r["rule"] is not None and r["entity_id"] is not None)
            if placed:
                by_rule[rule] += 1
            if placed or e != r["entity_id"]:
                w = result.weight[i]
                updates.append(
                    {
                        "id": r["id"],
                        "e": e,
                        "rule": r["rule"] if not placed else rule,
                        "w": None if not np.isfinite(w) else float(w),
                    }
                )
                touched.add(e)
                if r["entity_id"] is not None and r["entity_id"] in claimed:
                    touched.add(r["entity_id"])  # it lost a record: survive it again
        if updates:
            conn.execute(
                text(
                    "UPDATE fusion_records SET entity_id = :e, match_rule = :rule, "
                    "match_weight = :w WHERE id = :id"
                ),
                updates,
            )
        # Golden records of the touched entities.
        reopened, reapplied = _survive_entities(
            conn, key, kind, records, labels, cluster_entity, touched, rules, now
        )
        entity_of = [cast(int, cluster_entity[int(lab)]) for lab in labels.tolist()]  # all set
        queued, possible_open = queue_possible_matches(
            conn, kind, records, entity_of, result.possible, decisions, now, possible_cap
        )
        open_reviews = int(
            conn.execute(
                text(
                    "SELECT count(*) FROM fusion_reviews v JOIN fusion_entities e ON "
                    "e.id = v.entity_id WHERE v.status = 'open' AND v.item = 'field' "
                    "AND e.kind = :k"
                ),
                {"k": kind},
            ).scalar()
        )
    return LinkSummary(
        kind=kind,
        records=n,
        compared=int(sum(by_rule.values())),
        pairs=result.pairs,
        entities=len(members),
        new_entities=len(new_entities),
        merged=len(merged),
        by_rule=dict(by_rule),
        reviews_open=open_reviews,
        reviews_reapplied=reapplied,
        possible_matches=len(result.possible),
        seconds=time.perf_counter() - started,
        timings=result.timings,
        possible_queued=queued,
        possible_open=possible_open,
    )


def _survive_entities(conn, key, kind, records, labels, cluster_entity, touched, rules, now):
    sources = {s.code: s for s in list_sources(None, conn)}
    by_entity: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        e = cluster_entity[int(labels[i])]
        if e in touched:
            by_entity[e].append(i)
    if not by_entity:
        return 0, 0
    # Decisions of these entities: field -> fingerprint -> (decision, value).
    decisions: dict[int, dict[str, dict[str, tuple[str, Any]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in conn.execute(
        text(
            "SELECT entity_id, field, fingerprint, decision, value FROM fusion_decisions "
            "WHERE field <> 'match' ORDER BY id"
        )
    ):
        if row[0] in by_entity:
            value = _json(row[4])
            v = value.get("value") if isinstance(value, dict) else None
            if row[1] in PERSONAL_VALUES and v is not None:
                v = decrypt_values(key, [v], _ENTITY_AAD.format(row[1]))[0]
            decisions[row[0]][row[1]][row[2]] = (row[3], v)
    open_items = {
        (r[0], r[1]): (r[2], r[3])
        for r in conn.execute(
            text(
                "SELECT entity_id, field, fingerprint, id FROM fusion_reviews "
                "WHERE status = 'open' AND item = 'field'"
            )
        )
        if r[0] in by_entity
    }
    id_field = KEY_FIELD[kind]
    entity_rows, new_reviews, stale = [], [], []
    reapplied = 0
    for e, idx in by_entity.items():
        mem = [
            Member(
                records[i]["id"],
                records[i]["source"],
                sources[records[i]["source"]].trust,
                records[i]["extracted_at"],
                records[i]["values"],
            )
            for i in idx
        ]
        valid = {}
        if id_field:
            valid[id_field] = {
                records[i]["values"].get(id_field): bool(records[i]["values"].get("id_valid"))
                for i in idx
            }
        outcomes = survive(
            mem, kind, rules, valid, decisions.get(e, {}),
            fingerprint=lambda name, cands: fingerprint_of(key, name, cands),
        )  # fmt: skip
        golden, provenance, conflicts = {}, {}, 0
        for name, o in outcomes.items():
            golden[name] = _protect(key, name, o.value)
            provenance[name] = o.provenance
            if o.rule and o.rule.startswith("review:"):
                reapplied += 1
            have = open_items.pop((e, name), None)
            if o.rule is not None:
                if have is not None:
                    stale.append({"id": have[1]})  # settled now (a rule or a decision)
                continue
            conflicts += 1
            fp = fingerprint_of(key, name, o.candidates)
            if have is not None and have[0] == fp:
                continue  # the same conflict is already waiting for a reviewer
            if have is not None:
                stale.append({"id": have[1]})
            cands = []
            for c in o.candidates:
                j = c.as_json()
                j["value"] = _protect(key, name, c.value)
                cands.append(j)
            new_reviews.append(
                {"e": e, "f": name, "fp": fp, "c": json.dumps(cands, ensure_ascii=False),
                 "p": o.proposal, "t": now, "cell": _cell(records, idx)}
            )  # fmt: skip
        entity_rows.append(
            {
                "id": e,
                "g": json.dumps(golden, ensure_ascii=False, default=str),
                "p": json.dumps(provenance, ensure_ascii=False),
                "n": len(idx),
                "s": len({records[i]["source"] for i in idx}),
                "c": conflicts,
                "cell": _cell(records, idx),
                "b": _building(records, idx),
                "t": now,
            }
        )
    conn.execute(
        text(
            "UPDATE fusion_entities SET golden = :g, provenance = :p, records = :n, sources = :s, "
            "conflicts = :c, grid_cell_id = :cell, building_id = :b, merged_into = NULL, "
            "updated_at = :t WHERE id = :id"
        ),
        entity_rows,
    )
    if stale:
        conn.execute(text("UPDATE fusion_reviews SET status = 'obsolete' WHERE id = :id"), stale)
    if new_reviews:
        conn.execute(
            text(
                "INSERT INTO fusion_reviews (entity_id, item, field, fingerprint, candidates, "
                "proposal, status, created_at, grid_cell_id) VALUES (:e, 'field', :f, :fp, :c, "
                ":p, 'open', :t, :cell)"
            ),
            new_reviews,
        )
    return len(new_reviews), reapplied


def _cell(records, idx) -> int | None:
    """The entity's cell: that of its most recent record that has one."""
    best = None
    for i in idx:
        r = records[i]
        if r["grid_cell_id"] is not None and (
            best is None
            or (r["extracted_at"] or dt.date.min) >= (best["extracted_at"] or dt.date.min)
        ):
            best = r
    return None if best is None else int(best["grid_cell_id"])


def _building(records, idx) -> int | None:
    best = None
    for i in idx:
        r = records[i]
        if r["building_id"] is not None and (
            best is None
            or (r["extracted_at"] or dt.date.min) >= (best["extracted_at"] or dt.date.min)
        ):
            best = r
    return None if best is None else int(best["building_id"])


def survive_entity(store, conn, entity: int, rules: dict | None = None) -> None:
    """Survive one entity again (after a review decision), inside ``conn``'s transaction."""
    from gis_core.security.keys import store_key

    kind = conn.execute(
        text("SELECT kind FROM fusion_entities WHERE id = :e"), {"e": entity}
    ).scalar()
    records = load_records(store, kind, conn, entity=entity)
    if not records:
        return
    key = store_key(store, conn=conn)
    labels = np.zeros(len(records), np.int64)
    _survive_entities(
        conn, key, kind, records, labels, {0: entity}, {entity}, rules, dt.datetime.now(dt.UTC)
    )
