"""Early warning: a risk score per grid cell from recent alarms, open hazards and vulnerable residents.

The score is a sum of four parts, each small enough to explain to an operator in one line:

* **alarms** — every alarm of the last ``window_h`` hours in the cell, weighted by severity; an
  active alarm counts in full, a cleared one fades with ``half_life_h``;
* **hazards** — open events of a hazard category (fire hazard, flooding, …) in the cell, weighted
  per category;
* **vulnerable** — residents tagged as vulnerable (elderly living alone, disabled, …), a small
  weight each, capped, so a cell with many of them starts higher;
* **exposure** — vulnerable residents living within ``near_m`` of a life-safety sensor (smoke, gas)
  whose alarm is active or recent: the elderly man living alone next to a smoke alarm.

:func:`load_risk_inputs` reads what it needs from a store (off the GUI thread);
:func:`compute_risk` is a pure, vectorised function of those inputs, so the tests, the desktop and
a CLI see the same numbers. :meth:`RiskResult.explain` gives a cell's parts with the counts behind
them; the desktop translates and formats them.

>>> inputs = RiskInputs.empty(cell_ids=[1, 2], cell_codes=["A", "B"])
>>> compute_risk(inputs, RiskParams(), now=0.0).score.tolist()
[0.0, 0.0]
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from gis_core.analysis.feedback import Feedback, check_cancel, ensure_feedback
from gis_core.live import Severity

__all__ = [
    "RiskParams",
    "RiskInputs",
    "RiskResult",
    "RiskPart",
    "PARTS",
    "LEVELS",
    "HAZARD_WEIGHTS",
    "VULNERABLE_TAGS",
    "CLOSED_EVENT_STATES",
    "compute_risk",
    "load_risk_inputs",
    "risk_by_cell",
]

#: The parts of a score, in the order they are explained.
PARTS = ("alarms", "hazards", "vulnerable", "exposure")

#: Score levels (lower edge, name) — the early-warning layer's classes.
LEVELS: tuple[tuple[float, str], ...] = (
    (0.0, "low"),
    (1.0, "guarded"),
    (3.0, "elevated"),
    (6.0, "high"),
    (10.0, "severe"),
)

#: Event categories that are hazards, and how much an open one adds (gis_core.cases categories).
HAZARD_WEIGHTS: dict[str, float] = {
    "fire_hazard": 3.0,
    "gas_leak": 3.0,
    "structural_danger": 3.0,
    "flooding": 2.0,
    "facility_damage": 1.0,
    "high_rise_littering": 1.0,
    "illegal_construction": 0.5,
    "garbage": 0.5,
}

#: Resident tags that make someone vulnerable in an emergency, with their weight.
VULNERABLE_TAGS: dict[str, float] = {"elderly_alone": 1.0, "disabled": 1.0}

#: Event states that are no longer open.
CLOSED_EVENT_STATES = frozenset({"closed", "resolved", "cancelled", "rejected", "invalid"})

_SEVERITY_WEIGHT = {
    Severity.INFO: 0.5,
    Severity.MINOR: 1.0,
    Severity.MAJOR: 2.0,
    Severity.CRITICAL: 4.0,
}


@dataclass(frozen=True)
class RiskParams:
    """How the score is weighted. Times in hours, distances in metres of the working CRS."""

    window_h: float = 24.0
    half_life_h: float = 6.0
    severity_weights: Mapping[int, float] = field(
        default_factory=lambda: {int(k): v for k, v in _SEVERITY_WEIGHT.items()}
    )
    hazard_weights: Mapping[str, float] = field(default_factory=lambda: dict(HAZARD_WEIGHTS))
    vulnerable_tags: Mapping[str, float] = field(default_factory=lambda: dict(VULNERABLE_TAGS))
    vulnerable_weight: float = 0.05  # per vulnerable resident of the cell
    vulnerable_cap: float = 2.0  # the vulnerable part never exceeds this
    exposure_kinds: tuple[str, ...] = ("smoke", "gas")
    near_m: float = 60.0
    exposure_weight: float = 1.0  # per vulnerable resident near an alarming sensor

    def __post_init__(self) -> None:
        if self.window_h <= 0 or self.half_life_h <= 0:
            raise ValueError("window_h and half_life_h must be positive")
        if self.near_m < 0 or self.vulnerable_weight < 0 or self.exposure_weight < 0:
            raise ValueError("distances and weights must not be negative")


@dataclass(frozen=True, eq=False)
class RiskInputs:
    """What the score is computed from (a snapshot; arrays aligned per table).

    Alarms: cell, severity code, raised / cleared (epoch s, NaN: active), sensor id (-1: none).
    Events: cell, category. Residents (vulnerable ones only): cell, building, weight, and a
    bit mask of their tags (bit i: ``tag_names[i]``). Buildings: id → x, y (those residents').
    Sensors: id, kind, x, y.
    """

    cell_ids: np.ndarray
    cell_codes: tuple[str, ...]
    alarm_cell: np.ndarray
    alarm_severity: np.ndarray
    alarm_raised: np.ndarray
    alarm_cleared: np.ndarray
    alarm_sensor: np.ndarray
    event_cell: np.ndarray
    event_category: np.ndarray
    resident_cell: np.ndarray
    resident_building: np.ndarray
    resident_tags: np.ndarray  # int bit mask over tag_names
    tag_names: tuple[str, ...]
    building_ids: np.ndarray
    building_x: np.ndarray
    building_y: np.ndarray
    sensor_ids: np.ndarray
    sensor_kind: np.ndarray
    sensor_code: np.ndarray
    sensor_x: np.ndarray
    sensor_y: np.ndarray

    @classmethod
    def empty(cls, cell_ids: Sequence[int], cell_codes: Sequence[str]) -> RiskInputs:
        """Cells with nothing in them (a start for tests and for building inputs by hand)."""
        i, f, o = np.empty(0, np.int64), np.empty(0), np.empty(0, dtype=object)
        return cls(
            np.asarray(cell_ids, dtype=np.int64),
            tuple(cell_codes),
            i, i, f, f, i, i, o, i, i, i, tuple(VULNERABLE_TAGS), i, f, f, i, o, o, f, f,
        )  # fmt: skip


@dataclass(frozen=True)
class RiskPart:
    """One part of a cell's score: its points and the facts behind them (for the explanation).

    ``facts`` by part — alarms: ``{severity name: count}`` and ``active``; hazards:
    ``{category: count}``; vulnerable: ``{tag: count}``; exposure: ``{"residents": n,
    "sensors": [codes]}``.
    """

    name: str
    points: float
    facts: dict


@dataclass(frozen=True, eq=False)
class RiskResult:
    """Scores per grid cell, aligned with ``cell_ids``; ``parts[name]`` the points of each part."""

    cell_ids: np.ndarray
    cell_codes: tuple[str, ...]
    parts: dict[str, np.ndarray]
    score: np.ndarray
    level: np.ndarray  # index into LEVELS
    computed_at: float
    params: RiskParams
    _facts: dict[int, dict[str, dict]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.cell_ids)

    def index_of(self, cell_id: int) -> int | None:
        hit = np.flatnonzero(self.cell_ids == int(cell_id))
        return int(hit[0]) if len(hit) else None

    def level_name(self, cell_id: int) -> str | None:
        i = self.index_of(cell_id)
        return None if i is None else LEVELS[int(self.level[i])][1]

    def explain(self, cell_id: int) -> list[RiskPart]:
        """The parts of one cell's score, largest first; parts with no points are left out."""
        i = self.index_of(cell_id)
        if i is None:
            return []
        facts = self._facts.get(int(cell_id), {})
        parts = [
            RiskPart(name, float(self.parts[name][i]), facts.get(name, {}))
            for name in PARTS
            if self.parts[name][i] > 0
        ]
        parts.sort(key=lambda p: -p.points)
        return parts

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` highest-scoring cells as (code, score)."""
        order = np.argsort(-self.score, kind="stable")[:n]
        return [(self.cell_codes[i], float(self.score[i])) for i in order]


def _index(cell_ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in ``cell_ids`` (-1 where absent)."""
    if len(cell_ids) == 0 or len(values) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    order = np.argsort(cell_ids, kind="stable")
    sorted_ids = cell_ids[order]
    pos = np.searchsorted(sorted_ids, values)
    pos = np.clip(pos, 0, len(sorted_ids) - 1)
    found = sorted_ids[pos] == values
    return np.where(found, order[pos], -1)


def compute_risk(
    inputs: RiskInputs,
    params: RiskParams | None = None,
    now: float | None = None,
    feedback: Feedback | None = None,
) -> RiskResult:
    """Score every cell of ``inputs`` at ``now`` (epoch seconds). Vectorised; no store access."""
    p = params or RiskParams()
    fb = ensure_feedback(feedback)
    now = time.time() if now is None else float(now)
    n = len(inputs.cell_ids)
    parts = {name: np.zeros(n) for name in PARTS}
    facts: dict[int, dict[str, dict]] = {}

    def fact(cell_slot: int, part: str) -> dict:
        return facts.setdefault(int(inputs.cell_ids[cell_slot]), {}).setdefault(part, {})

    # --- alarms: severity weight × recency (active: 1; cleared: halves every half_life_h)
    fb.progress(0.1, "alarms")
    window_s = p.window_h * 3600.0
    slot = _index(inputs.cell_ids, inputs.alarm_cell)
    active = np.isnan(inputs.alarm_cleared)
    ended = np.where(active, now, inputs.alarm_cleared)
    recent = (ended >= now - window_s) & (inputs.alarm_raised <= now) & (slot >= 0)
    age_h = np.clip(now - ended, 0.0, None) / 3600.0
    decay = np.where(active, 1.0, 0.5 ** (age_h / p.half_life_h))
    sev_w = np.array([p.severity_weights.get(s, 1.0) for s in range(4)])
    sev = np.clip(inputs.alarm_severity, 0, 3)
    points = sev_w[sev] * decay * recent
    np.add.at(parts["alarms"], slot[recent], points[recent])
    for k in np.flatnonzero(recent).tolist():
        f = fact(int(slot[k]), "alarms")
        name = Severity(int(sev[k])).name.lower()
        f[name] = f.get(name, 0) + 1
        if active[k]:
            f["active"] = f.get("active", 0) + 1
    check_cancel(fb)

    # --- hazards: open events of hazard categories
    fb.progress(0.3, "hazards")
    ev_slot = _index(inputs.cell_ids, inputs.event_cell)
    ev_w = np.array([float(p.hazard_weights.get(str(c), 0.0)) for c in inputs.event_category])
    is_hazard = (ev_w > 0) & (ev_slot >= 0)
    np.add.at(parts["hazards"], ev_slot[is_hazard], ev_w[is_hazard])
    for k in np.flatnonzero(is_hazard).tolist():
        f = fact(int(ev_slot[k]), "hazards")
        cat = str(inputs.event_category[k])
        f[cat] = f.get(cat, 0) + 1
    check_cancel(fb)

    # --- vulnerable residents: per tag weight, capped per cell
    fb.progress(0.5, "vulnerable residents")
    tag_w = np.array([float(p.vulnerable_tags.get(t, 0.0)) for t in inputs.tag_names])
    bits = inputs.resident_tags.astype(np.int64)
    has = (bits[:, None] >> np.arange(len(inputs.tag_names))[None, :]) & 1 if len(bits) else None
    if has is not None and len(tag_w):
        res_w = (has * tag_w[None, :]).max(axis=1)
    else:
        res_w = np.zeros(len(bits))
    res_slot = _index(inputs.cell_ids, inputs.resident_cell)
    vulnerable = (res_w > 0) & (res_slot >= 0)
    raw = np.zeros(n)
    np.add.at(raw, res_slot[vulnerable], res_w[vulnerable] * p.vulnerable_weight)
    parts["vulnerable"] = np.minimum(raw, p.vulnerable_cap)
    if has is not None and vulnerable.any():
        for t, tag in enumerate(inputs.tag_names):
            if tag_w[t] <= 0:
                continue
            counts = np.bincount(res_slot[vulnerable & (has[:, t] > 0)], minlength=n)
            for c in np.flatnonzero(counts).tolist():
                fact(c, "vulnerable")[tag] = int(counts[c])
    check_cancel(fb)

    # --- exposure: vulnerable residents near a life-safety sensor with an active/recent alarm
    fb.progress(0.7, "exposure")
    hot_sensor_ids = np.unique(
        inputs.alarm_sensor[recent & (inputs.alarm_sensor >= 0)]
    ) if len(inputs.alarm_sensor) else np.empty(0, np.int64)  # fmt: skip
    s_pos = _index(inputs.sensor_ids, hot_sensor_ids)
    s_pos = s_pos[s_pos >= 0]
    if len(s_pos):
        kinds = inputs.sensor_kind[s_pos].astype(str)
        s_pos = s_pos[np.isin(kinds, list(p.exposure_kinds))]
    if len(s_pos) and vulnerable.any() and len(inputs.building_ids):
        # Decay of each hot sensor: its most recent alarm's.
        s_ids = inputs.sensor_ids[s_pos]
        s_decay = np.zeros(len(s_ids))
        a_idx = np.flatnonzero(recent)
        a_pos = _index(s_ids, inputs.alarm_sensor[a_idx])
        ok = a_pos >= 0
        np.maximum.at(s_decay, a_pos[ok], decay[a_idx[ok]])
        b_pos = _index(inputs.building_ids, inputs.resident_building)
        placed = vulnerable & (b_pos >= 0)
        rx = np.where(placed, inputs.building_x[np.clip(b_pos, 0, None)], np.nan)
        ry = np.where(placed, inputs.building_y[np.clip(b_pos, 0, None)], np.nan)
        sx, sy = inputs.sensor_x[s_pos], inputs.sensor_y[s_pos]
        from scipy.spatial import cKDTree

        idx = np.flatnonzero(placed)
        tree = cKDTree(np.column_stack([sx, sy]))
        near = tree.query_ball_point(np.column_stack([rx[idx], ry[idx]]), r=p.near_m)
        best = np.zeros(len(idx))
        which: list[list[int]] = []
        for k, hits in enumerate(near):
            if hits:
                best[k] = s_decay[hits].max()
            which.append(hits)
        exposed = best > 0
        np.add.at(parts["exposure"], res_slot[idx[exposed]], best[exposed] * p.exposure_weight)
        codes = inputs.sensor_code[s_pos]
        for k in np.flatnonzero(exposed).tolist():
            f = fact(int(res_slot[idx[k]]), "exposure")
            f["residents"] = f.get("residents", 0) + 1
            sensors = f.setdefault("sensors", [])
            for h in which[k]:
                code = str(codes[h])
                if code not in sensors:
                    sensors.append(code)
    fb.progress(1.0, "done")

    score = parts["alarms"] + parts["hazards"] + parts["vulnerable"] + parts["exposure"]
    edges = np.array([lo for lo, _ in LEVELS[1:]])
    level = np.searchsorted(edges, score, side="right").astype(np.int64)
    return RiskResult(
        cell_ids=inputs.cell_ids.copy(),
        cell_codes=inputs.cell_codes,
        parts=parts,
        score=score,
        level=level,
        computed_at=now,
        params=p,
        _facts=facts,
    )


def _tags_of(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list | tuple):
        return [str(t) for t in value]
    return []


def load_risk_inputs(
    store, params: RiskParams | None = None, now: float | None = None
) -> RiskInputs:
    """Read the inputs of :func:`compute_risk` from a store (a few queries, no per-row work in
    the database). Call it off the GUI thread."""
    import shapely

    from gis_core.live_store import LiveStore

    p = params or RiskParams()
    now = time.time() if now is None else float(now)
    cells = store.query_all("grid_cells", columns=("code",))
    order = np.argsort(cells.ids, kind="stable")
    cell_ids = cells.ids[order].astype(np.int64)
    cell_codes = tuple(str(c) for c in cells.columns["code"][order].tolist())

    # Alarms of the window (and older ones still active).
    records = [
        r
        for r in LiveStore(store).alarms(since=now - p.window_h * 3600.0, limit=1_000_000)
        + LiveStore(store).alarms(open_only=True, limit=100_000)
    ]
    seen: set[int] = set()
    uniq = []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)  # type: ignore[arg-type]
            uniq.append(r)
    alarm_cell = np.array(
        [-1 if r.grid_cell_id is None else r.grid_cell_id for r in uniq], dtype=np.int64
    )
    alarm_severity = np.array([int(r.severity) for r in uniq], dtype=np.int64)
    alarm_raised = np.array([r.raised_at for r in uniq], dtype=np.float64)
    alarm_cleared = np.array(
        [math.nan if r.cleared_at is None else r.cleared_at for r in uniq], dtype=np.float64
    )
    alarm_sensor = np.array(
        [-1 if r.sensor_id is None else r.sensor_id for r in uniq], dtype=np.int64
    )

    events = store.query_all("events", columns=("grid_cell_id", "category", "status"))
    ev_status = events.columns["status"]
    open_ev = np.array(
        [str(s).lower() not in CLOSED_EVENT_STATES for s in ev_status.tolist()], dtype=bool
    )
    ev_cell_raw = events.columns["grid_cell_id"][open_ev]
    event_cell = np.array([-1 if c is None else int(c) for c in ev_cell_raw], dtype=np.int64)
    event_category = np.asarray(events.columns["category"][open_ev], dtype=object)

    tag_names = tuple(p.vulnerable_tags)
    res_cell: list[int] = []
    res_building: list[int] = []
    res_bits: list[int] = []
    offset, page = 0, 50_000
    while True:
        frame = store.page(
            "residents",
            ["grid_cell_id", "building_id", "tags"],
            offset,
            page,
            filter=[("tags", "not null", None)],
        )
        for cell, building, tags in zip(
            frame.columns["grid_cell_id"].tolist(),
            frame.columns["building_id"].tolist(),
            frame.columns["tags"].tolist(),
        ):
            present = _tags_of(tags)
            bits = 0
            for i, name in enumerate(tag_names):
                if name in present:
                    bits |= 1 << i
            if bits:
                res_cell.append(-1 if cell is None else int(cell))
                res_building.append(-1 if building is None else int(building))
                res_bits.append(bits)
        if len(frame) < page:
            break
        offset += page
    resident_building = np.array(res_building, dtype=np.int64)

    wanted = np.unique(resident_building[resident_building >= 0])
    if len(wanted):
        bframes = [
            store.features("buildings", wanted[i : i + 5000].tolist())
            for i in range(0, len(wanted), 5000)
        ]
        b_ids = np.concatenate([f.ids for f in bframes]).astype(np.int64)
        cent = shapely.centroid(np.concatenate([f.geometry for f in bframes]))
        b_x, b_y = shapely.get_x(cent), shapely.get_y(cent)
    else:
        b_ids, b_x, b_y = np.empty(0, np.int64), np.empty(0), np.empty(0)

    sensors = store.query_all("sensors", columns=("kind", "code"))
    s_x = shapely.get_x(sensors.geometry) if len(sensors) else np.empty(0)
    s_y = shapely.get_y(sensors.geometry) if len(sensors) else np.empty(0)
    return RiskInputs(
        cell_ids=cell_ids,
        cell_codes=cell_codes,
        alarm_cell=alarm_cell,
        alarm_severity=alarm_severity,
        alarm_raised=alarm_raised,
        alarm_cleared=alarm_cleared,
        alarm_sensor=alarm_sensor,
        event_cell=event_cell,
        event_category=event_category,
        resident_cell=np.array(res_cell, dtype=np.int64),
        resident_building=resident_building,
        resident_tags=np.array(res_bits, dtype=np.int64),
        tag_names=tag_names,
        building_ids=b_ids,
        building_x=np.asarray(b_x, dtype=np.float64),
        building_y=np.asarray(b_y, dtype=np.float64),
        sensor_ids=sensors.ids.astype(np.int64),
        sensor_kind=np.asarray(sensors.columns["kind"], dtype=object),
        sensor_code=np.asarray(sensors.columns["code"], dtype=object),
        sensor_x=np.asarray(s_x, dtype=np.float64),
        sensor_y=np.asarray(s_y, dtype=np.float64),
    )


def risk_by_cell(
    store,
    params: RiskParams | None = None,
    now: float | None = None,
    feedback: Feedback | None = None,
) -> RiskResult:
    """Load the inputs from ``store`` and score every grid cell (the one-call form)."""
    now = time.time() if now is None else float(now)
    return compute_risk(load_risk_inputs(store, params, now), params, now, feedback)
