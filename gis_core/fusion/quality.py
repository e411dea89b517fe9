"""The data-quality report of fusion: per source and per grid cell, completeness (share of mapped
fields filled), validity (share of records without an error finding), duplicates (records of one
source that are the same entity as another record of that source), open conflicts and freshness
(days since extraction) — a table to export as CSV, and a score per cell (0–1, the mean of the
four shares) to draw as a graduated layer.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections import defaultdict
from dataclasses import asdict, dataclass

from sqlalchemy import text

from gis_core.fusion.sources import list_sources

__all__ = ["QualityRow", "quality_report", "write_csv", "cell_scores"]


@dataclass
class QualityRow:
    scope: str  # "source" or "cell"
    name: str  # source code or grid cell id ("—" for records without a cell)
    records: int
    completeness: float
    validity: float
    duplicates: int
    conflicts: int
    freshness_days: float | None
    score: float


def _json(v):
    return json.loads(v) if isinstance(v, str) else v


def _date(v):
    if v is None:
        return None
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def quality_report(
    store, kind: str | None = None, today: dt.date | None = None
) -> list[QualityRow]:
    """Rows per source, then per grid cell, of one kind (or all)."""
    today = today or dt.date.today()
    sources = {s.id: s for s in list_sources(store) if kind is None or s.kind == kind}
    stats = {
        scope: defaultdict(
            lambda: {"n": 0, "filled": 0.0, "bad": 0, "dup": 0, "conf": 0, "age": []}
        )
        for scope in ("source", "cell")
    }
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                'SELECT id, source_id, "values", extracted_at, grid_cell_id, entity_id '
                "FROM fusion_records WHERE active"
            )
        ).all()
        errors = {
            r[0]
            for r in conn.execute(
                text("SELECT DISTINCT record_id FROM fusion_findings WHERE severity = 'error'")
            )
        }
        reviews = conn.execute(
            text(
                "SELECT candidates, grid_cell_id FROM fusion_reviews "
                "WHERE status = 'open' AND item = 'field'"
            )
        ).all()
    seen: dict[tuple[int, int], int] = defaultdict(int)
    for r in rows:
        if r[1] in sources and r[5] is not None:
            seen[(r[1], r[5])] += 1
    for rid, sid, values, extracted, cell, entity in rows:
        spec = sources.get(sid)
        if spec is None:
            continue
        values = _json(values)
        fields = sorted(set(spec.mapping.values()))
        filled = sum(1 for f in fields if values.get(f) not in (None, "")) / max(len(fields), 1)
        age = (today - _date(extracted)).days if extracted is not None else None
        for scope, name in (("source", spec.code), ("cell", "—" if cell is None else str(cell))):
            s = stats[scope][name]
            s["n"] += 1
            s["filled"] += filled
            s["bad"] += rid in errors
            s["dup"] += entity is not None and seen[(sid, entity)] > 1
            if age is not None:
                s["age"].append(age)
    for cands, cell in reviews:
        involved = {src for c in _json(cands) for src in c["sources"]}
        for code in involved:
            if code in stats["source"]:
                stats["source"][code]["conf"] += 1
        stats["cell"]["—" if cell is None else str(cell)]["conf"] += 1
    out = []
    for scope in ("source", "cell"):
        for name in sorted(stats[scope], key=lambda x: (len(x), x)):
            s = stats[scope][name]
            n = s["n"]
            if n == 0:
                continue
            completeness, validity = s["filled"] / n, 1 - s["bad"] / n
            dup_rate, conf_rate = s["dup"] / n, min(1.0, s["conf"] / n)
            score = (completeness + validity + (1 - dup_rate) + (1 - conf_rate)) / 4
            fresh = sum(s["age"]) / len(s["age"]) if s["age"] else None
            out.append(
                QualityRow(scope, name, n, round(completeness, 4), round(validity, 4), s["dup"],
                           s["conf"], None if fresh is None else round(fresh, 1), round(score, 4))
            )  # fmt: skip
    return out


def cell_scores(rows: list[QualityRow]) -> dict[int, float]:
    """Grid cell id → quality score, for a graduated layer."""
    return {int(r.name): r.score for r in rows if r.scope == "cell" and r.name != "—"}


def write_csv(rows: list[QualityRow], path: str | os.PathLike) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(QualityRow.__dataclass_fields__))
        w.writeheader()
        for r in rows:
            w.writerow(asdict(r))
