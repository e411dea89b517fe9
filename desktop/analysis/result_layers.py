"""Map layers of an analysis result: in-memory sources (``layers.memory``) with their styles.

No widgets and no store access: the worker that ran the analysis builds these too, so the window
only adds finished layers. Per-cell figures are graduated red (short) → green (well served) with
classes from the result itself; a what-if keeps the classes, so colours stay comparable while
facilities move. Supply per person is shown per 1,000 residents (0.0012 reads badly in a legend).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.analysis.texts import translated
from gis_core.analysis.data import AnalysisData
from gis_core.analysis.report import result_layers
from layers.memory import MemorySource
from layers.model import FACILITY_ICONS
from layers.style import Categorized, Graduated, LabelStyle, SingleSymbol, Style, classify

__all__ = [
    "LayerPart",
    "RED_TO_GREEN",
    "cell_style",
    "result_parts",
    "stored_run_parts",
    "difference_parts",
    "equity_update",
    "PRIMARY_METRIC",
]

# ColorBrewer RdYlGn (5 classes): short → well served.
RED_TO_GREEN = ("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641")
# ColorBrewer RdBu reversed for differences: less (red) → more (blue), white around zero.
DIFFERENCE = ("#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0")
MISSING = SingleSymbol(fill="#bdbdbd", stroke="#777777", stroke_width=0.8)
CELL_STROKE = "#555555"

# The per-cell figure the map colours, per result kind.
PRIMARY_METRIC = {
    "equity": "access_per_1000",
    "coverage_service": "covered_pct",
    "coverage_cameras": "coverage_pct",
    "siting": "covered_after_pct",
}

TITLES = {
    "access_per_1000": QT_TRANSLATE_NOOP("Analysis", "Supply per 1,000 residents (cells)"),
    "buildings_access": QT_TRANSLATE_NOOP("Analysis", "Supply per 1,000 residents (buildings)"),
    "covered_pct": QT_TRANSLATE_NOOP("Analysis", "Residents covered (%)"),
    "coverage_pct": QT_TRANSLATE_NOOP("Analysis", "Camera coverage (%)"),
    "covered_after_pct": QT_TRANSLATE_NOOP("Analysis", "Covered after siting (%)"),
    "gaps": QT_TRANSLATE_NOOP("Analysis", "Cells below the threshold"),
    "facilities": QT_TRANSLATE_NOOP("Analysis", "Facilities analysed"),
    "uncovered": QT_TRANSLATE_NOOP("Analysis", "Buildings not covered"),
    "isochrones": QT_TRANSLATE_NOOP("Analysis", "Walking-time isochrones"),
    "blind_spots": QT_TRANSLATE_NOOP("Analysis", "Blind spots"),
    "camera_views": QT_TRANSLATE_NOOP("Analysis", "Camera views"),
    "suggested_cameras": QT_TRANSLATE_NOOP("Analysis", "Suggested cameras"),
    "suggested_views": QT_TRANSLATE_NOOP("Analysis", "Views of suggested cameras"),
    "new_sites": QT_TRANSLATE_NOOP("Analysis", "Suggested new sites"),
    "existing": QT_TRANSLATE_NOOP("Analysis", "Existing facilities"),
    "difference": QT_TRANSLATE_NOOP("Analysis", "Difference B − A"),
}
MINUTES = QT_TRANSLATE_NOOP("Analysis", "≤ {0} min walk")
STATUS_LABELS = {
    "existing": QT_TRANSLATE_NOOP("Analysis", "existing"),
    "added": QT_TRANSLATE_NOOP("Analysis", "added (what-if)"),
    "moved": QT_TRANSLATE_NOOP("Analysis", "moved (what-if)"),
    "removed": QT_TRANSLATE_NOOP("Analysis", "removed (what-if)"),
}


@dataclass
class LayerPart:
    """One result layer before it is on the map: its data, style and how it starts."""

    role: str
    source: MemorySource
    style: Style
    title: str  # untranslated; the window translates it (context "Analysis")
    label: LabelStyle | None = None
    visible: bool = True
    opacity: float = 1.0
    primary: bool = False  # the layer the legend in the results dock shows
    extra: dict = field(default_factory=dict)


def _ramp(colors: tuple[str, ...], n: int) -> list[str]:
    if n <= 1:
        return [colors[len(colors) // 2]]
    idx = np.rint(np.linspace(0, len(colors) - 1, n)).astype(int)
    return [colors[i] for i in idx]


def cell_style(field_name: str, values, colors: tuple[str, ...] = RED_TO_GREEN) -> Graduated:
    """Up to five quantile classes of ``values`` coloured along ``colors`` (low → high)."""
    values = np.asarray(values, dtype=float)
    breaks = classify(values[np.isfinite(values)], 5, "quantile")
    symbols = [
        SingleSymbol(fill=c, stroke=CELL_STROKE, stroke_width=0.8)
        for c in _ramp(colors, len(breaks) - 1)
    ]
    return Graduated(field_name, breaks, symbols, MISSING)


def difference_style(field_name: str, values) -> Graduated:
    """Classes symmetric around zero: less in B (red), about the same (white), more (blue)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    m = float(np.max(np.abs(v))) if len(v) else 0.0
    if m == 0:
        m = 1.0
    breaks = [-m, -m / 2, -m / 20, m / 20, m / 2, m]
    symbols = [SingleSymbol(fill=c, stroke=CELL_STROKE, stroke_width=0.8) for c in DIFFERENCE]
    return Graduated(field_name, breaks, symbols, MISSING)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Polygon parts only (make_valid and overlays can leave lines and points in collections)."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    mixed = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (7,)))
    for k in mixed.tolist():  # rare: a few collections per result
        parts = shapely.get_parts(geoms[k])
        polys = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        out[k] = shapely.union_all(polys) if len(polys) else shapely.Polygon()
    return out


def _kind(serial: int, role: str) -> str:
    return f"analysis.{serial}.{role}"


def _cells_part(serial, srid, ids, geoms, cols, metric, style=None) -> LayerPart:
    src = MemorySource(_kind(serial, "cells"), ids, geoms, cols, srid)
    return LayerPart(
        "cells",
        src,
        style or cell_style(metric, cols[metric]),
        TITLES.get(metric, metric),
        LabelStyle("code", font_px=12, color="#222222", halo="#ffffff"),
        opacity=0.8,
        primary=True,
    )


def _cell_columns(result, cols: dict) -> dict:
    """The stored per-cell metrics plus the figure the map shows (per 1,000 or in %)."""
    out = dict(cols)
    with np.errstate(invalid="ignore", divide="ignore"):
        if result.kind == "equity":
            out["access_per_1000"] = out["accessibility"] * 1000.0
        elif result.kind == "coverage_service":
            out["covered_pct"] = out["covered_share"] * 100.0
        elif result.kind == "coverage_cameras":
            out["coverage_pct"] = out["coverage"] * 100.0
        elif result.kind == "siting":
            d = out["demand"]
            out["covered_after_pct"] = np.where(d > 0, out["covered_after"] / d * 100.0, np.nan)
    return out


def _facility_part(
    serial, srid, ids, xy, cols, service: str | None, what_if: bool = False
) -> LayerPart:
    color, glyph = FACILITY_ICONS.get(service or "", ("#555555", None))
    base = dict(stroke="#ffffff", stroke_width=1.5, marker_size=18, icon=glyph)
    if not what_if:
        src = MemorySource(_kind(serial, "facilities"), ids, shapely.points(xy), cols, srid)
        return LayerPart("facilities", src, SingleSymbol(fill=color, **base), TITLES["facilities"])
    style = Categorized(
        "status",
        {
            "existing": SingleSymbol(fill=color, **base),
            "added": SingleSymbol(fill="#00a651", marker="diamond", **{**base, "marker_size": 22}),
            "moved": SingleSymbol(fill="#0072bc", marker="diamond", **{**base, "marker_size": 22}),
            "removed": SingleSymbol(fill="#9e9e9e", **base),
        },
        SingleSymbol(fill=color, **base),
        {k: translated(v) for k, v in STATUS_LABELS.items()},
    )
    src = MemorySource(_kind(serial, "facilities"), ids, shapely.points(xy), cols, srid)
    return LayerPart("facilities", src, style, TITLES["facilities"])


def equity_facility_columns(result, status: np.ndarray) -> dict:
    return {
        "status": np.asarray(status, dtype=object),
        "supply": np.asarray(result.facility_supply, dtype=float),
        "catchment_demand": np.asarray(result.facility_catchment_demand, dtype=float),
        "supply_per_person": np.asarray(result.facility_ratio, dtype=float),
    }


def _gaps_part(serial, srid, cell_ids, geoms, result) -> LayerPart:
    ranked = result.ranked_cells
    pos = {int(c): k for k, c in enumerate(np.asarray(result.cell_ids).tolist())}
    rows = [pos[r["cell_id"]] for r in ranked]
    src = MemorySource(
        _kind(serial, "gaps"),
        [r["cell_id"] for r in ranked],
        geoms[rows] if rows else np.empty(0, dtype=object),
        {
            "rank": np.array([r["rank"] for r in ranked], dtype=np.int64),
            "code": np.array([r["code"] for r in ranked], dtype=object),
            "unmet_demand": np.array([r["unmet_demand"] for r in ranked], dtype=float),
        },
        srid,
        geometry_type="POLYGON",
    )
    style = SingleSymbol(fill=None, stroke="#b2182b", stroke_width=3.0)
    return LayerPart("gaps", src, style, TITLES["gaps"])


def result_parts(result, data: AnalysisData, serial: int) -> list[LayerPart]:
    """The layers of a fresh result, bottom to top."""
    srid = data.srid
    base = result_layers(result, data)
    parts: list[LayerPart] = []
    metric = PRIMARY_METRIC[result.kind]
    cell_geoms = None
    if "cells" in base:
        cell_geoms, cols = base["cells"]
        cols = _cell_columns(result, cols)
        parts.append(_cells_part(serial, srid, result.cell_ids, cell_geoms, cols, metric))
    kind = result.kind
    if kind == "equity":
        geoms, cols = base["buildings"]
        cols = {**cols, "access_per_1000": np.asarray(cols["accessibility"]) * 1000.0}
        src = MemorySource(_kind(serial, "buildings"), result.building_ids, geoms, cols, srid)
        cells_style = parts[0].style if parts else None
        style = (
            Graduated(
                "access_per_1000",
                list(cells_style.breaks),
                [
                    SingleSymbol(fill=s.fill, stroke="#6d6d6d", stroke_width=0.5)
                    for s in cells_style.symbols
                ],
                MISSING,
            )
            if isinstance(cells_style, Graduated)
            else cell_style("access_per_1000", cols["access_per_1000"])
        )
        parts.append(LayerPart("buildings", src, style, TITLES["buildings_access"], visible=False))
        if cell_geoms is not None:
            parts.append(_gaps_part(serial, srid, result.cell_ids, cell_geoms, result))
        status = np.full(len(result.facility_ids), "existing", dtype=object)
        parts.append(
            _facility_part(
                serial,
                srid,
                result.facility_ids,
                result.facility_xy,
                equity_facility_columns(result, status),
                result.params.service,
                what_if=True,
            )
        )
    elif kind == "coverage_service":
        geoms, cols = base["buildings"]
        out = np.flatnonzero(~np.asarray(result.covered, bool) & (np.asarray(result.demand) > 0))
        src = MemorySource(
            _kind(serial, "uncovered"),
            result.building_ids[out],
            geoms[out],
            {"demand": np.asarray(result.demand)[out]},
            srid,
            geometry_type="POLYGON",
        )
        parts.append(
            LayerPart(
                "uncovered",
                src,
                SingleSymbol(fill="#d7191c", stroke="#7f0000", stroke_width=0.6),
                TITLES["uncovered"],
            )
        )
        if "isochrones" in base:
            geoms, cols = base["isochrones"]
            minutes = np.asarray(cols["minutes"], dtype=float)
            bands = np.array([f"{m:g}" for m in minutes], dtype=object)
            src = MemorySource(
                _kind(serial, "isochrones"),
                np.arange(1, len(geoms) + 1),
                _polygonal(geoms),
                {"minutes": minutes, "band": bands},
                srid,
                geometry_type="MULTIPOLYGON",
            )
            blues = ("#08519c", "#3182bd", "#6baed6", "#bdd7e7", "#eff3ff")
            order = sorted(set(minutes.tolist()))  # nearest band darkest
            colors = _ramp(blues, len(order)) if len(order) > 1 else [blues[1]]
            # The renderer paints class by class in category order: the widest band first,
            # so the nearer bands stay visible on top of it.
            cats = {
                f"{m:g}": SingleSymbol(fill=c, stroke="#3182bd", stroke_width=1.0)
                for m, c in reversed(list(zip(order, colors)))
            }
            style = Categorized(
                "band",
                cats,
                next(iter(cats.values())) if cats else SingleSymbol(fill=None),
                {f"{m:g}": translated(MINUTES).format(f"{m:g}") for m in order},
            )
            parts.append(LayerPart("isochrones", src, style, TITLES["isochrones"], opacity=0.45))
        fac = base.get("facilities")
        if fac is not None:
            status = np.full(len(result.facility_ids), "existing", dtype=object)
            parts.append(
                _facility_part(
                    serial,
                    srid,
                    result.facility_ids,
                    result.facility_xy,
                    {"status": status},
                    result.params.service,
                )
            )
    elif kind == "coverage_cameras":
        geoms, cols = base["camera_views"]
        src = MemorySource(
            _kind(serial, "camera_views"),
            cols["camera_id"],
            _polygonal(geoms),
            {},
            srid,
            geometry_type="MULTIPOLYGON",
        )
        parts.append(
            LayerPart(
                "camera_views",
                src,
                SingleSymbol(fill="#1a9641", stroke="#1a9641", stroke_width=0.4),
                TITLES["camera_views"],
                opacity=0.3,
                visible=False,
            )
        )
        geoms, cols = base["blind_spots"]
        src = MemorySource(
            _kind(serial, "blind_spots"),
            cols["rank"],
            _polygonal(geoms),
            {"rank": cols["rank"], "area_m2": cols["area_m2"]},
            srid,
            geometry_type="MULTIPOLYGON",
        )
        parts.append(
            LayerPart(
                "blind_spots",
                src,
                SingleSymbol(fill="#d7191c", stroke="#7f0000", stroke_width=0.6),
                TITLES["blind_spots"],
                opacity=0.6,
            )
        )
        if "suggested_views" in base:
            geoms, cols = base["suggested_views"]
            src = MemorySource(
                _kind(serial, "suggested_views"),
                cols["rank"],
                _polygonal(geoms),
                {"rank": cols["rank"]},
                srid,
                geometry_type="MULTIPOLYGON",
            )
            parts.append(
                LayerPart(
                    "suggested_views",
                    src,
                    SingleSymbol(fill="#7b3294", stroke="#7b3294", stroke_width=1.2),
                    TITLES["suggested_views"],
                    opacity=0.35,
                )
            )
            geoms, cols = base["suggested_cameras"]
            src = MemorySource(
                _kind(serial, "suggested_cameras"), cols["rank"], geoms, dict(cols), srid
            )
            parts.append(
                LayerPart(
                    "suggested_cameras",
                    src,
                    SingleSymbol(
                        fill="#7b3294",
                        stroke="#ffffff",
                        stroke_width=1.5,
                        marker_size=16,
                        marker="diamond",
                    ),
                    TITLES["suggested_cameras"],
                    LabelStyle("rank", font_px=13, color="#4a1d5e", halo="#ffffff"),
                )
            )
    elif kind == "siting":
        if "facilities" in base:
            geoms, cols = base["facilities"]
            status = np.full(len(geoms), "existing", dtype=object)
            parts.append(
                _facility_part(
                    serial,
                    srid,
                    cols["facility_id"],
                    shapely.get_coordinates(geoms),
                    {"status": status},
                    result.params.service,
                )
            )
            parts[-1].title = TITLES["existing"]
        geoms, cols = base["new_sites"]
        src = MemorySource(_kind(serial, "new_sites"), cols["rank"], geoms, dict(cols), srid)
        parts.append(
            LayerPart(
                "new_sites",
                src,
                SingleSymbol(
                    fill="#d7191c",
                    stroke="#ffffff",
                    stroke_width=1.5,
                    marker_size=20,
                    marker="diamond",
                ),
                TITLES["new_sites"],
                LabelStyle("rank", font_px=14, color="#7f0000", halo="#ffffff"),
            )
        )
    return parts


def stored_run_parts(run, cell_ids, cell_codes, cell_geoms, srid, serial: int) -> list[LayerPart]:
    """Layers of a reopened run: its per-cell figures on today's cells, and stored sites."""
    metrics = {
        m: np.array([v.get(int(c), np.nan) for c in cell_ids], dtype=float)
        for m, v in run.cells.items()
    }
    with_values = np.zeros(len(cell_ids), bool)
    for v in run.cells.values():
        with_values |= np.isin(np.asarray(cell_ids), list(v))
    ids = np.asarray(cell_ids)[with_values]
    cols = {"code": np.asarray(cell_codes, dtype=object)[with_values]}
    cols.update({m: v[with_values] for m, v in metrics.items()})

    class _R:  # the shape _cell_columns reads
        kind = run.kind

    cols = _cell_columns(_R, cols)
    parts = [
        _cells_part(
            serial, srid, ids, np.asarray(cell_geoms)[with_values], cols, PRIMARY_METRIC[run.kind]
        )
    ]
    sites = run.summary.get("sites") or run.summary.get("suggested") or []
    if sites:
        xy = np.array([[s["x"], s["y"]] for s in sites], dtype=float)
        rank = np.arange(1, len(sites) + 1)
        src = MemorySource(
            _kind(serial, "new_sites"), rank, shapely.points(xy), {"rank": rank}, srid
        )
        parts.append(
            LayerPart(
                "new_sites",
                src,
                SingleSymbol(
                    fill="#d7191c",
                    stroke="#ffffff",
                    stroke_width=1.5,
                    marker_size=20,
                    marker="diamond",
                ),
                TITLES["new_sites" if run.kind == "siting" else "suggested_cameras"],
                LabelStyle("rank", font_px=14, color="#7f0000", halo="#ffffff"),
            )
        )
    return parts


def difference_parts(comparison, metric: str, cell_geoms_by_id: dict, srid, serial: int):
    """The per-cell difference B − A of ``metric`` as a diverging layer."""
    ids = [int(c) for c in comparison.cell_ids.tolist() if int(c) in cell_geoms_by_id]
    rows = [k for k, c in enumerate(comparison.cell_ids.tolist()) if int(c) in cell_geoms_by_id]
    a = comparison.values_a[metric][rows]
    b = comparison.values_b[metric][rows]
    scale = (
        1000.0
        if metric == "accessibility"
        else 100.0
        if metric in ("coverage", "covered_share")
        else 1.0
    )
    delta = (b - a) * scale
    cols = {
        "code": np.asarray(comparison.cell_codes, dtype=object)[rows],
        "a": a * scale,
        "b": b * scale,
        "delta": delta,
    }
    src = MemorySource(
        _kind(serial, "difference"),
        ids,
        np.array([cell_geoms_by_id[i] for i in ids], dtype=object),
        cols,
        srid,
        geometry_type="POLYGON",
    )
    part = LayerPart(
        "difference",
        src,
        difference_style("delta", delta),
        TITLES["difference"],
        LabelStyle("code", font_px=12, color="#222222", halo="#ffffff"),
        opacity=0.85,
        primary=True,
    )
    return [part]


def equity_update(parts: dict, result, status: np.ndarray, removed: dict, srid) -> dict:
    """New sources for a what-if's result, the styles kept: role → MemorySource."""
    out = {}
    cells = parts.get("cells")
    if cells is not None:
        src = cells.source
        pos = _positions(np.asarray(result.cell_ids), src.ids)
        acc = np.asarray(result.cell_accessibility, dtype=float)[pos]
        out["cells"] = src.with_columns(
            accessibility=acc,
            access_per_1000=acc * 1000.0,
            unmet_demand=np.asarray(result.cell_unmet_demand, dtype=float)[pos],
            supply_gap=np.asarray(result.cell_supply_gap, dtype=float)[pos],
            supply=np.asarray(result.cell_supply, dtype=float)[pos],
        )
    bld = parts.get("buildings")
    if bld is not None:
        out["buildings"] = bld.source.with_columns(
            accessibility=np.asarray(result.accessibility, dtype=float),
            access_per_1000=np.asarray(result.accessibility, dtype=float) * 1000.0,
        )
    gaps = parts.get("gaps")
    if gaps is not None and cells is not None:
        geoms = dict(zip(cells.source.ids.tolist(), cells.source.geometry))
        ranked = result.ranked_cells
        out["gaps"] = MemorySource(
            gaps.source.kind,
            [r["cell_id"] for r in ranked],
            np.array([geoms[r["cell_id"]] for r in ranked], dtype=object),
            {
                "rank": np.array([r["rank"] for r in ranked], dtype=np.int64),
                "code": np.array([r["code"] for r in ranked], dtype=object),
                "unmet_demand": np.array([r["unmet_demand"] for r in ranked], dtype=float),
            },
            srid,
            geometry_type="POLYGON",
        )
    fac = parts.get("facilities")
    if fac is not None:
        cols = equity_facility_columns(result, status)
        ids = np.asarray(result.facility_ids)
        xy = np.asarray(result.facility_xy, dtype=float).reshape(-1, 2)
        if removed:
            rid = np.array(list(removed), dtype=np.int64)
            rxy = np.array([removed[i] for i in rid], dtype=float).reshape(-1, 2)
            ids = np.r_[ids, rid]
            xy = np.vstack([xy, rxy])
            n = len(rid)
            cols = {
                "status": np.r_[cols["status"], np.full(n, "removed", dtype=object)],
                "supply": np.r_[cols["supply"], np.zeros(n)],
                "catchment_demand": np.r_[cols["catchment_demand"], np.zeros(n)],
                "supply_per_person": np.r_[cols["supply_per_person"], np.zeros(n)],
            }
        out["facilities"] = MemorySource(fac.source.kind, ids, shapely.points(xy), cols, srid)
    return out


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    order = np.argsort(ids)
    return order[np.searchsorted(ids[order], wanted)]
