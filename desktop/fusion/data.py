"""What the fusion UI shows, fetched on a worker thread: the review queue with each candidate's
sources, departments, extraction date and trust (personal values masked as the store masks
them), the entity's place on the map, an audited unmasking of one item's candidates, and the
data-quality score per grid cell as an in-memory map layer.

No widgets here: these functions run in the window's :class:`~desktop.tasks.TaskRunner`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import text

from desktop.analysis.result_layers import CELL_STROKE, MISSING, RED_TO_GREEN
from gis_core.fusion.quality import QualityRow, cell_scores, quality_report
from gis_core.fusion.review import list_reviews
from gis_core.fusion.sources import list_sources
from gis_core.masking import PERSONAL_FIELDS
from layers.memory import MemorySource
from layers.style import Graduated, LabelStyle, SingleSymbol

__all__ = [
    "CandidateView",
    "QueueItem",
    "load_queue",
    "reveal_item",
    "locate_item",
    "QUALITY_KIND",
    "QUALITY_BREAKS",
    "quality_style",
    "QualityData",
    "load_quality",
]

QUALITY_KIND = "fusion.quality"
# Fixed classes, so a cell's colour means the same after every import (quantiles would not).
QUALITY_BREAKS = [0.0, 0.5, 0.7, 0.8, 0.9, 1.0]
# Keys of a "possible match" candidate that describe the record, not the person.
_RECORD_META = ("sources", "records", "trust", "latest", "source", "record", "department")


@dataclass(frozen=True)
class CandidateView:
    """One candidate as the reviewer sees it; ``value`` is masked where the store masks."""

    value: str
    sources: tuple[str, ...]
    departments: tuple[str, ...]
    extracted: str | None
    trust: float | None
    records: int
    values: dict = field(default_factory=dict)  # a possible match: the record's fields


@dataclass(frozen=True)
class QueueItem:
    """One open review item: a field conflict (``item == "field"``) or, where the core offers
    them, a possible match (``item == "match"``: two records, same entity or not)."""

    id: int
    item: str
    entity_id: int
    kind: str
    field: str
    candidates: tuple[CandidateView, ...]
    proposal: int | None
    grid_cell_id: int | None
    building_id: int | None
    personal: bool  # the values are masked; a role that may unmask can reveal them
    probability: float | None = None  # a possible match: the pair's match probability

    @property
    def is_match(self) -> bool:
        return self.item == "match"


def _mask(kind: str, name: str, value: Any) -> str:
    """The value as the store shows it: ID numbers and phones come masked from the core;
    names of residents are masked here, as the store masks them on every read."""
    if value is None:
        return ""
    masker = PERSONAL_FIELDS.get(kind, {}).get(name)
    text_value = str(value)
    if masker is None or "*" in text_value:
        return text_value
    return masker(text_value) or ""


def _departments(store) -> dict[str, str]:
    return {s.code: s.department for s in list_sources(store)}


def _candidate(kind: str, name: str, c: dict, departments: dict[str, str]) -> CandidateView:
    sources = c.get("sources")
    if sources is None and c.get("source") is not None:
        sources = [c["source"]]
    sources = tuple(str(s) for s in (sources or ()))
    records = c.get("records")
    n = len(records) if isinstance(records, list | tuple) else (1 if c.get("record") else 0)
    values = {
        k: _mask(kind, k, v)
        for k, v in (c.get("values") or {k: v for k, v in c.items() if k not in _RECORD_META and k != "value"}).items()
    }  # fmt: skip
    shown = _mask(kind, name, c.get("value")) if "value" in c else ""
    trust = c.get("trust")
    return CandidateView(
        shown,
        sources,
        tuple(departments.get(s, s) for s in sources),
        None if c.get("latest") is None else str(c["latest"])[:10],
        None if trust is None else float(trust),
        n,
        values,
    )


def load_queue(store, limit: int = 500) -> list[QueueItem]:
    """The open review items, oldest first, with their entities' buildings. Worker thread."""
    items = list_reviews(store, "open", limit=limit)
    departments = _departments(store)
    entity_ids = sorted({i.entity_id for i in items})
    buildings: dict[int, int | None] = {}
    if entity_ids:
        with store.engine.connect() as conn:
            for chunk in range(0, len(entity_ids), 500):
                part = entity_ids[chunk : chunk + 500]
                marks = ", ".join(f":e{k}" for k in range(len(part)))
                rows = conn.execute(
                    text(f"SELECT id, building_id FROM fusion_entities WHERE id IN ({marks})"),
                    {f"e{k}": e for k, e in enumerate(part)},
                ).all()
                buildings.update({int(r[0]): r[1] for r in rows})
    out = []
    for i in items:
        item_kind = getattr(i, "item", None) or ("match" if i.field == "match" else "field")
        personal = i.field in PERSONAL_FIELDS.get(i.kind, {}) or item_kind == "match"
        out.append(
            QueueItem(
                i.id,
                item_kind,
                i.entity_id,
                i.kind,
                i.field,
                tuple(_candidate(i.kind, i.field, c, departments) for c in i.candidates),
                i.proposal,
                i.grid_cell_id,
                buildings.get(i.entity_id),
                personal,
                getattr(i, "probability", None) if item_kind == "match" else None,
            )
        )
    return out


def reveal_item(store, review_id: int) -> list[str | None]:
    """The clear candidate values of one review item, for a user who may see personal data
    unmasked; the core checks the role and the audit log records which item and field were
    unmasked (never the values). Worker thread."""
    from gis_core.security import audit
    from gis_core.security.accounts import authorize

    user = authorize(store, None, "view_personal_unmasked")
    item = next(
        (i for i in list_reviews(store, "open", limit=10**9, clear=True) if i.id == review_id),
        None,
    )
    if item is None:
        raise LookupError(f"no open review item #{review_id}")
    audit.record(
        store,
        "unmask",
        user,
        object="fusion_reviews",
        count=1,
        detail={"ids": [int(review_id)], "fields": [item.field], "entity": int(item.entity_id)},
    )
    return [None if c.get("value") is None else str(c["value"]) for c in item.candidates]


def locate_item(store, item: QueueItem):
    """The geometry to show for an item: its entity's building, else its grid cell, else None.
    Returns ``(kind, id, geometry)`` or None. Worker thread."""
    for kind, fid in (("buildings", item.building_id), ("grid_cells", item.grid_cell_id)):
        if fid is None:
            continue
        frame = store.features(kind, [int(fid)])
        if len(frame):
            return kind, int(fid), frame.geometry[0]
    return None


def quality_style(field_name: str = "score") -> Graduated:
    """Red (poor) → green (good) in fixed classes of the 0–1 quality score."""
    symbols = [SingleSymbol(fill=c, stroke=CELL_STROKE, stroke_width=0.8) for c in RED_TO_GREEN]
    return Graduated(field_name, list(QUALITY_BREAKS), symbols, MISSING)


@dataclass
class QualityData:
    rows: list[QualityRow]
    source: MemorySource | None  # grid cells with their scores (None: no cells with records)
    departments: dict[str, str] = field(default_factory=dict)  # source code -> department

    @property
    def source_rows(self) -> list[QualityRow]:
        return [r for r in self.rows if r.scope == "source"]

    @property
    def cell_rows(self) -> list[QualityRow]:
        return [r for r in self.rows if r.scope == "cell"]


def load_quality(store, kind: str | None = "residents") -> QualityData:
    """The data-quality report and the grid cells coloured by their score. Worker thread."""
    rows = quality_report(store, kind)
    departments = _departments(store)
    scores = cell_scores(rows)
    by_cell = {int(r.name): r for r in rows if r.scope == "cell" and r.name != "—"}
    if not scores:
        return QualityData(rows, None, departments)
    cells = store.features("grid_cells", sorted(scores), ["code"])
    ids = cells.ids.tolist()
    cols = {
        "code": np.asarray(cells.columns["code"], dtype=object),
        "score": np.array([scores[int(i)] for i in ids], dtype=float),
        "records": np.array([by_cell[int(i)].records for i in ids], dtype=np.int64),
        "completeness": np.array([by_cell[int(i)].completeness for i in ids], dtype=float),
        "validity": np.array([by_cell[int(i)].validity for i in ids], dtype=float),
        "duplicates": np.array([by_cell[int(i)].duplicates for i in ids], dtype=np.int64),
        "conflicts": np.array([by_cell[int(i)].conflicts for i in ids], dtype=np.int64),
    }
    source = MemorySource(QUALITY_KIND, ids, cells.geometry, cols, store.srid)
    return QualityData(rows, source, departments)


QUALITY_LABEL = LabelStyle("code", font_px=12, color="#222222", halo="#ffffff")
