"""What the results dock shows of a result, a reopened run or a comparison: heading, parameters,
summary, the ranked list (with where each row zooms to), the Lorenz curve."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.analysis.texts import analysis_title, choice_label, translated
from desktop.names import value_label

__all__ = ["ShownResult", "ranked_for_result", "ranked_for_run", "params_text", "num"]

HEADINGS = {
    "live": QT_TRANSLATE_NOOP("Analysis", "{0} — run {1}"),
    "unsaved": QT_TRANSLATE_NOOP("Analysis", "{0} — not stored"),
    "stored": QT_TRANSLATE_NOOP("Analysis", "{0} — stored run {1} of {2}"),
}
RANKED_TITLES = {
    "equity": QT_TRANSLATE_NOOP("Analysis", "Cells below the threshold, most unmet demand first"),
    "coverage_service": QT_TRANSLATE_NOOP("Analysis", "Cells by residents not covered"),
    "coverage_cameras": QT_TRANSLATE_NOOP("Analysis", "Largest blind areas"),
    "siting": QT_TRANSLATE_NOOP("Analysis", "Suggested new sites"),
}
NOTES = {
    "stored_lorenz": QT_TRANSLATE_NOOP(
        "Analysis",
        "A stored run keeps per-cell figures and the summary; “Run again” recomputes the curve.",
    ),
    "whatif_lorenz": QT_TRANSLATE_NOOP("Analysis", "Grey: before the what-if; red: now."),
}
RADIUS = QT_TRANSLATE_NOOP("Analysis", "radius {0} m")


def num(v: Any, digits: int = 4) -> str:
    if v is None:
        return "—"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(f):
        return "—"
    if f.is_integer() and abs(f) < 1e12:
        return f"{int(f):,}"
    return f"{f:,.{digits}g}" if abs(f) < 1000 else f"{f:,.0f}"


@dataclass
class ShownResult:
    """A result as the dock and the map show it."""

    kind: str
    heading: str
    params_text: str
    summary: dict
    ranked_columns: list[str]
    ranked_rows: list[tuple[list[str], Any]]
    ranked_title: str
    lorenz: tuple | None = None
    base_lorenz: tuple | None = None
    lorenz_note: str = ""
    result: Any = None  # a live result (export, what-if); None for a reopened run
    data: Any = None
    model: Any = None
    run_id: int | None = None
    params: Any = None
    stored: Any = None
    parts: dict = field(default_factory=dict)  # role → LayerPart
    layers: dict = field(default_factory=dict)  # role → MemoryLayer on the map
    cell_geoms: dict = field(default_factory=dict)  # cell id → geometry (zoom targets)
    base_gini: float | None = None

    @property
    def legend_layer(self):
        for role, part in self.parts.items():
            if part.primary and role in self.layers:
                return self.layers[role]
        return None


def heading(kind: str, run_id: int | None, created=None) -> str:
    title = analysis_title(kind)
    if created is not None:
        when = created.strftime("%Y-%m-%d %H:%M") if hasattr(created, "strftime") else created
        return translated(HEADINGS["stored"]).format(title, run_id, when)
    if run_id is None:
        return translated(HEADINGS["unsaved"]).format(title)
    return translated(HEADINGS["live"]).format(title, run_id)


def params_text(kind: str, p: dict) -> str:
    """One line of the main parameters (service · method · radius · distance)."""
    if kind == "coverage_cameras":
        return ""
    service = value_label("kind", p.get("service", ""))
    method = p.get("method") or p.get("model") or ""
    method_text = choice_label("method" if "method" in p else "model", method) if method else ""
    radius = p.get("radius_m")
    distance = choice_label("distance", p.get("distance", "straight"))
    parts = [service, method_text, translated(RADIUS).format(num(radius)), distance]
    return " · ".join(p for p in parts if p)


def _cell_target(cell_id) -> tuple:
    return ("cell", int(cell_id))


def ranked_for_result(result) -> tuple[list[str], list[tuple[list[str], Any]]]:
    """(columns, rows) of the ranked list of a live result; each row has a zoom target."""
    kind = result.kind
    if kind == "equity":
        cols = ["rank", "code", "access_per_1000", "unmet_demand", "demand"]
        rows = [
            (
                [
                    str(r["rank"]),
                    r["code"],
                    num(r["accessibility"] * 1000),
                    num(r["unmet_demand"], 3),
                    num(r["demand"]),
                ],
                _cell_target(r["cell_id"]),
            )
            for r in result.ranked_cells
        ]
        return cols, rows
    if kind == "coverage_service":
        cols = ["rank", "code", "uncovered_demand", "covered_pct", "demand"]
        rows = [
            (
                [
                    str(r["rank"]),
                    r["code"],
                    num(r["uncovered_demand"]),
                    num(r["covered_share"] * 100, 3),
                    num(r["demand"]),
                ],
                _cell_target(r["cell_id"]),
            )
            for r in result.ranked_cells
        ]
        return cols, rows
    if kind == "coverage_cameras":
        cols = ["rank", "area_m2", "cell_code"]
        parts = result.blind_parts
        rows = [
            ([str(r["rank"]), num(r["area_m2"]), r["cell_code"]], ("geometry", parts[k]))
            for k, r in enumerate(result.ranked_blind)
        ]
        return cols, rows
    if kind == "siting":
        cols = ["rank", "x", "y", "source"]
        rows = [
            (
                [str(k + 1), f"{x:,.1f}", f"{y:,.1f}", str(src)],
                ("geometry", shapely.Point(x, y)),
            )
            for k, ((x, y), src) in enumerate(
                zip(result.site_xy.tolist(), result.site_source.tolist())
            )
        ]
        return cols, rows
    return [], []


def ranked_for_run(run) -> tuple[list[str], list[tuple[list[str], Any]]]:
    """The ranked list of a reopened run, from its stored per-cell figures."""
    cells = run.cells
    codes = run.cell_codes
    ids = sorted({c for v in cells.values() for c in v})

    def col(metric):
        v = cells.get(metric, {})
        return np.array([v.get(c, np.nan) for c in ids], dtype=float)

    if run.kind == "equity":
        unmet, acc, dem = col("unmet_demand"), col("accessibility"), col("demand")
        order = [k for k in np.argsort(-np.nan_to_num(unmet), kind="stable") if unmet[k] > 0]
        cols = ["rank", "code", "access_per_1000", "unmet_demand", "demand"]
        rows = [
            (
                [
                    str(r + 1),
                    codes.get(ids[k], ""),
                    num(acc[k] * 1000),
                    num(unmet[k], 3),
                    num(dem[k]),
                ],
                _cell_target(ids[k]),
            )
            for r, k in enumerate(order)
        ]
        return cols, rows
    if run.kind == "coverage_service":
        unc, share, dem = col("uncovered_demand"), col("covered_share"), col("demand")
        order = [k for k in np.argsort(-np.nan_to_num(unc), kind="stable") if unc[k] > 0]
        cols = ["rank", "code", "uncovered_demand", "covered_pct", "demand"]
        rows = [
            (
                [
                    str(r + 1),
                    codes.get(ids[k], ""),
                    num(unc[k]),
                    num(share[k] * 100, 3),
                    num(dem[k]),
                ],
                _cell_target(ids[k]),
            )
            for r, k in enumerate(order)
        ]
        return cols, rows
    if run.kind == "coverage_cameras":
        blind, cov = col("blind_m2"), col("coverage")
        order = np.argsort(-np.nan_to_num(blind), kind="stable")
        cols = ["rank", "code", "blind_m2", "coverage_pct"]
        rows = [
            (
                [str(r + 1), codes.get(ids[k], ""), num(blind[k]), num(cov[k] * 100, 3)],
                _cell_target(ids[k]),
            )
            for r, k in enumerate(order)
        ]
        return cols, rows
    sites = run.summary.get("sites") or []
    cols = ["rank", "x", "y", "source"]
    rows = [
        (
            [str(k + 1), f"{s['x']:,.1f}", f"{s['y']:,.1f}", str(s.get("source", ""))],
            ("geometry", shapely.Point(s["x"], s["y"])),
        )
        for k, s in enumerate(sites)
    ]
    return cols, rows


def ranked_title(kind: str) -> str:
    return translated(RANKED_TITLES[kind]) if kind in RANKED_TITLES else ""


def note(key: str) -> str:
    return translated(NOTES[key])
