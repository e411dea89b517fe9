"""What the analysis UI calls things: parameter fields, choices, summary keys, metrics, progress steps.

The analysis core (``gis_core.analysis``) speaks English codes and messages; these tables give
their user-facing names through Qt's translation machinery (context ``Analysis``), so the Chinese
UI says 两步移动搜索法, 基尼系数, 正在计算距离.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.names import value_label

__all__ = [
    "translated",
    "field_label",
    "choice_label",
    "summary_label",
    "metric_label",
    "progress_text",
    "format_value",
    "analysis_title",
]


def translated(text: str) -> str:
    return QCoreApplication.translate("Analysis", text)


ANALYSIS_TITLES = {
    "equity": QT_TRANSLATE_NOOP("Analysis", "Service equity"),
    "coverage_service": QT_TRANSLATE_NOOP("Analysis", "Service coverage"),
    "coverage_cameras": QT_TRANSLATE_NOOP("Analysis", "Camera coverage"),
    "siting": QT_TRANSLATE_NOOP("Analysis", "Facility siting"),
    "compare": QT_TRANSLATE_NOOP("Analysis", "Comparison"),
}

FIELD_LABELS = {
    "service": QT_TRANSLATE_NOOP("Analysis", "Service (facility kind)"),
    "method": QT_TRANSLATE_NOOP("Analysis", "Method"),
    "radius_m": QT_TRANSLATE_NOOP("Analysis", "Catchment radius"),
    "distance": QT_TRANSLATE_NOOP("Analysis", "Distance"),
    "decay": QT_TRANSLATE_NOOP("Analysis", "Custom distance decay"),
    "kind": QT_TRANSLATE_NOOP("Analysis", "Decay function"),
    "steps": QT_TRANSLATE_NOOP("Analysis", "Steps (metres:weight, …)"),
    "sigma_m": QT_TRANSLATE_NOOP("Analysis", "Gaussian sigma"),
    "beta": QT_TRANSLATE_NOOP("Analysis", "Gravity exponent β"),
    "min_distance_m": QT_TRANSLATE_NOOP("Analysis", "Minimum distance"),
    "demand_group": QT_TRANSLATE_NOOP("Analysis", "Demand group"),
    "threshold": QT_TRANSLATE_NOOP("Analysis", "Shortage threshold (supply per person)"),
    "isochrone_minutes": QT_TRANSLATE_NOOP("Analysis", "Walking-time bands (minutes)"),
    "walk_speed_m_per_min": QT_TRANSLATE_NOOP("Analysis", "Walking speed"),
    "isochrone_buffer_m": QT_TRANSLATE_NOOP("Analysis", "Reach from the street"),
    "arc_step_deg": QT_TRANSLATE_NOOP("Analysis", "Arc step"),
    "min_blind_area_m2": QT_TRANSLATE_NOOP("Analysis", "Smallest blind area listed"),
    "top_blind": QT_TRANSLATE_NOOP("Analysis", "Blind areas listed"),
    "k": QT_TRANSLATE_NOOP("Analysis", "New cameras"),
    "headings_deg": QT_TRANSLATE_NOOP("Analysis", "Candidate headings (degrees)"),
    "fov_deg": QT_TRANSLATE_NOOP("Analysis", "Field of view"),
    "range_m": QT_TRANSLATE_NOOP("Analysis", "Range"),
    "street_spacing_m": QT_TRANSLATE_NOOP("Analysis", "Candidate spacing along streets"),
    "building_corners": QT_TRANSLATE_NOOP("Analysis", "Candidates at building corners"),
    "max_positions": QT_TRANSLATE_NOOP("Analysis", "Candidate positions kept"),
    "tile_m": QT_TRANSLATE_NOOP("Analysis", "Tile size"),
    "model": QT_TRANSLATE_NOOP("Analysis", "Model"),
    "add": QT_TRANSLATE_NOOP("Analysis", "New facilities"),
    "candidate_spacing_m": QT_TRANSLATE_NOOP("Analysis", "Candidate spacing along streets"),
    "keep_existing": QT_TRANSLATE_NOOP("Analysis", "Keep the existing facilities"),
    "max_distance_m": QT_TRANSLATE_NOOP("Analysis", "p-median distance cut-off"),
    "exact_limit": QT_TRANSLATE_NOOP("Analysis", "Exact solve up to (non-zeros)"),
    "pmedian_exact_limit": QT_TRANSLATE_NOOP("Analysis", "p-median exact solve up to (pairs)"),
    "lp_bound_limit": QT_TRANSLATE_NOOP("Analysis", "LP bound up to (non-zeros)"),
    "time_limit_s": QT_TRANSLATE_NOOP("Analysis", "Solver time limit"),
}

CHOICE_LABELS = {
    ("method", "ratio"): QT_TRANSLATE_NOOP("Analysis", "Supply per capita per cell (ratio)"),
    ("method", "2sfca"): QT_TRANSLATE_NOOP("Analysis", "Two-step floating catchment (2SFCA)"),
    ("method", "e2sfca"): QT_TRANSLATE_NOOP("Analysis", "Enhanced 2SFCA with distance decay"),
    ("method", "gravity"): QT_TRANSLATE_NOOP("Analysis", "Gravity model"),
    ("distance", "straight"): QT_TRANSLATE_NOOP("Analysis", "Straight line"),
    ("distance", "network"): QT_TRANSLATE_NOOP("Analysis", "Along the streets"),
    ("kind", "none"): QT_TRANSLATE_NOOP("Analysis", "None"),
    ("kind", "step"): QT_TRANSLATE_NOOP("Analysis", "Step"),
    ("kind", "gaussian"): QT_TRANSLATE_NOOP("Analysis", "Gaussian"),
    ("kind", "gravity"): QT_TRANSLATE_NOOP("Analysis", "Gravity"),
    ("model", "mclp"): QT_TRANSLATE_NOOP("Analysis", "Maximal covering (MCLP)"),
    ("model", "lscp"): QT_TRANSLATE_NOOP("Analysis", "Set covering (LSCP)"),
    ("model", "pmedian"): QT_TRANSLATE_NOOP("Analysis", "p-median"),
    ("demand_group", None): QT_TRANSLATE_NOOP("Analysis", "The service's own group"),
    ("demand_group", "all"): QT_TRANSLATE_NOOP("Analysis", "All residents"),
    ("demand_group", "elderly"): QT_TRANSLATE_NOOP("Analysis", "Elderly (60+)"),
    ("demand_group", "children_3_6"): QT_TRANSLATE_NOOP("Analysis", "Children 3–6"),
    ("demand_group", "children_6_12"): QT_TRANSLATE_NOOP("Analysis", "Children 6–12"),
}

SUMMARY_LABELS = {
    "service": QT_TRANSLATE_NOOP("Analysis", "Service"),
    "method": QT_TRANSLATE_NOOP("Analysis", "Method"),
    "model": QT_TRANSLATE_NOOP("Analysis", "Model"),
    "distance": QT_TRANSLATE_NOOP("Analysis", "Distance"),
    "radius_m": QT_TRANSLATE_NOOP("Analysis", "Radius (m)"),
    "decay": QT_TRANSLATE_NOOP("Analysis", "Distance decay"),
    "demand_group": QT_TRANSLATE_NOOP("Analysis", "Demand group"),
    "demand": QT_TRANSLATE_NOOP("Analysis", "Demand (residents)"),
    "demand_with_access": QT_TRANSLATE_NOOP("Analysis", "Residents with access"),
    "share_with_access": QT_TRANSLATE_NOOP("Analysis", "Share with access"),
    "facilities": QT_TRANSLATE_NOOP("Analysis", "Facilities"),
    "supply": QT_TRANSLATE_NOOP("Analysis", "Supply (capacity)"),
    "mean_accessibility": QT_TRANSLATE_NOOP("Analysis", "Mean supply per 1,000 residents"),
    "threshold": QT_TRANSLATE_NOOP("Analysis", "Threshold per 1,000 residents"),
    "gini": QT_TRANSLATE_NOOP("Analysis", "Gini coefficient"),
    "theil": QT_TRANSLATE_NOOP("Analysis", "Theil index"),
    "cells_below_threshold": QT_TRANSLATE_NOOP("Analysis", "Cells below the threshold"),
    "elapsed_s": QT_TRANSLATE_NOOP("Analysis", "Computed in (s)"),
    "covered_demand": QT_TRANSLATE_NOOP("Analysis", "Residents covered"),
    "uncovered_demand": QT_TRANSLATE_NOOP("Analysis", "Residents not covered"),
    "covered_share": QT_TRANSLATE_NOOP("Analysis", "Share covered"),
    "buildings": QT_TRANSLATE_NOOP("Analysis", "Buildings"),
    "buildings_covered": QT_TRANSLATE_NOOP("Analysis", "Buildings covered"),
    "isochrone_area_m2": QT_TRANSLATE_NOOP("Analysis", "Isochrone areas (m²)"),
    "cameras": QT_TRANSLATE_NOOP("Analysis", "Cameras"),
    "public_area_m2": QT_TRANSLATE_NOOP("Analysis", "Public space (m²)"),
    "seen_area_m2": QT_TRANSLATE_NOOP("Analysis", "Seen by a camera (m²)"),
    "blind_area_m2": QT_TRANSLATE_NOOP("Analysis", "Blind (m²)"),
    "coverage": QT_TRANSLATE_NOOP("Analysis", "Coverage"),
    "blind_areas_listed": QT_TRANSLATE_NOOP("Analysis", "Blind areas listed"),
    "largest_blind_m2": QT_TRANSLATE_NOOP("Analysis", "Largest blind area (m²)"),
    "suggested": QT_TRANSLATE_NOOP("Analysis", "Suggested cameras"),
    "suggested_gain_m2": QT_TRANSLATE_NOOP("Analysis", "Blind area the suggestions cover (m²)"),
    "new_sites": QT_TRANSLATE_NOOP("Analysis", "New sites"),
    "objective": QT_TRANSLATE_NOOP("Analysis", "Objective"),
    "bound": QT_TRANSLATE_NOOP("Analysis", "Bound"),
    "gap": QT_TRANSLATE_NOOP("Analysis", "Optimality gap"),
    "status": QT_TRANSLATE_NOOP("Analysis", "Solver status"),
    "proven_optimal": QT_TRANSLATE_NOOP("Analysis", "Proven optimal"),
    "candidates": QT_TRANSLATE_NOOP("Analysis", "Candidate sites"),
    "demand_points": QT_TRANSLATE_NOOP("Analysis", "Demand points"),
    "demand_groups": QT_TRANSLATE_NOOP("Analysis", "Demand groups after merging"),
    "covered_before": QT_TRANSLATE_NOOP("Analysis", "Covered before"),
    "covered_after": QT_TRANSLATE_NOOP("Analysis", "Covered after"),
    "mean_distance_before_m": QT_TRANSLATE_NOOP("Analysis", "Mean distance before (m)"),
    "mean_distance_after_m": QT_TRANSLATE_NOOP("Analysis", "Mean distance after (m)"),
    "unreachable_demand": QT_TRANSLATE_NOOP("Analysis", "Residents out of reach"),
    "sites": QT_TRANSLATE_NOOP("Analysis", "Sites"),
}

METRIC_LABELS = {
    "demand": QT_TRANSLATE_NOOP("Analysis", "Demand"),
    "supply": QT_TRANSLATE_NOOP("Analysis", "Supply"),
    "accessibility": QT_TRANSLATE_NOOP("Analysis", "Supply per person"),
    "access_per_1000": QT_TRANSLATE_NOOP("Analysis", "Supply per 1,000 residents"),
    "unmet_demand": QT_TRANSLATE_NOOP("Analysis", "Unmet demand (residents)"),
    "supply_gap": QT_TRANSLATE_NOOP("Analysis", "Supply gap"),
    "covered_demand": QT_TRANSLATE_NOOP("Analysis", "Residents covered"),
    "uncovered_demand": QT_TRANSLATE_NOOP("Analysis", "Residents not covered"),
    "covered_share": QT_TRANSLATE_NOOP("Analysis", "Share covered"),
    "covered_pct": QT_TRANSLATE_NOOP("Analysis", "Covered (%)"),
    "public_m2": QT_TRANSLATE_NOOP("Analysis", "Public space (m²)"),
    "seen_m2": QT_TRANSLATE_NOOP("Analysis", "Seen (m²)"),
    "blind_m2": QT_TRANSLATE_NOOP("Analysis", "Blind (m²)"),
    "coverage": QT_TRANSLATE_NOOP("Analysis", "Coverage"),
    "coverage_pct": QT_TRANSLATE_NOOP("Analysis", "Camera coverage (%)"),
    "covered_before": QT_TRANSLATE_NOOP("Analysis", "Covered before"),
    "covered_after": QT_TRANSLATE_NOOP("Analysis", "Covered after"),
    "covered_after_pct": QT_TRANSLATE_NOOP("Analysis", "Covered after (%)"),
    "code": QT_TRANSLATE_NOOP("Analysis", "Grid cell"),
    "rank": QT_TRANSLATE_NOOP("Analysis", "Rank"),
    "area_m2": QT_TRANSLATE_NOOP("Analysis", "Area (m²)"),
    "cell_code": QT_TRANSLATE_NOOP("Analysis", "Grid cell"),
    "minutes": QT_TRANSLATE_NOOP("Analysis", "Minutes"),
    "gain_m2": QT_TRANSLATE_NOOP("Analysis", "Gain (m²)"),
    "heading_deg": QT_TRANSLATE_NOOP("Analysis", "Heading (°)"),
    "x": QT_TRANSLATE_NOOP("Analysis", "X"),
    "y": QT_TRANSLATE_NOOP("Analysis", "Y"),
    "source": QT_TRANSLATE_NOOP("Analysis", "Source"),
    "status": QT_TRANSLATE_NOOP("Analysis", "Status"),
    "delta": QT_TRANSLATE_NOOP("Analysis", "Difference (B − A)"),
    "nearest_distance_m": QT_TRANSLATE_NOOP("Analysis", "Nearest facility (m)"),
    "covered": QT_TRANSLATE_NOOP("Analysis", "Covered"),
    "supply_per_person": QT_TRANSLATE_NOOP("Analysis", "Supply per person"),
    "catchment_demand": QT_TRANSLATE_NOOP("Analysis", "Demand in reach"),
    "facility_id": QT_TRANSLATE_NOOP("Analysis", "Facility"),
    "building_id": QT_TRANSLATE_NOOP("Analysis", "Building"),
    "camera_id": QT_TRANSLATE_NOOP("Analysis", "Camera"),
}

PROGRESS_TEXTS = {
    "reading the store": QT_TRANSLATE_NOOP("Analysis", "Reading the store"),
    "demand": QT_TRANSLATE_NOOP("Analysis", "Counting demand"),
    "distance structure": QT_TRANSLATE_NOOP("Analysis", "Building the distance structure"),
    "network distances": QT_TRANSLATE_NOOP("Analysis", "Distances along the streets"),
    "accessibility": QT_TRANSLATE_NOOP("Analysis", "Accessibility"),
    "nearest facility": QT_TRANSLATE_NOOP("Analysis", "Nearest facility"),
    "isochrones": QT_TRANSLATE_NOOP("Analysis", "Isochrones"),
    "buildings in range": QT_TRANSLATE_NOOP("Analysis", "Buildings in range"),
    "shadows": QT_TRANSLATE_NOOP("Analysis", "Shadows of buildings"),
    "visible areas": QT_TRANSLATE_NOOP("Analysis", "Visible areas"),
    "views": QT_TRANSLATE_NOOP("Analysis", "Camera views"),
    "public space per cell": QT_TRANSLATE_NOOP("Analysis", "Public space per cell"),
    "seen and blind space per cell": QT_TRANSLATE_NOOP("Analysis", "Seen and blind space per cell"),
    "suggesting cameras": QT_TRANSLATE_NOOP("Analysis", "Suggesting cameras"),
    "summarising": QT_TRANSLATE_NOOP("Analysis", "Summarising"),
    "saving the run": QT_TRANSLATE_NOOP("Analysis", "Saving the run"),
    "map layers": QT_TRANSLATE_NOOP("Analysis", "Map layers"),
    "done": QT_TRANSLATE_NOOP("Analysis", "Done"),
}
# Messages with numbers in them: pattern → translated template with {0}, {1}.
PROGRESS_PATTERNS = [
    (re.compile(r"views of (\d+) cameras"), QT_TRANSLATE_NOOP("Analysis", "Views of {0} cameras")),
    (
        re.compile(r"views of (\d+) candidate cameras"),
        QT_TRANSLATE_NOOP("Analysis", "Views of {0} candidate cameras"),
    ),
    (re.compile(r"camera (\d+) of (\d+)"), QT_TRANSLATE_NOOP("Analysis", "Camera {0} of {1}")),
    (re.compile(r"solving (\w+)"), QT_TRANSLATE_NOOP("Analysis", "Solving {0}")),
]

YES = QT_TRANSLATE_NOOP("Analysis", "yes")
NO = QT_TRANSLATE_NOOP("Analysis", "no")

# Summary values that are per person and shown per 1,000 residents.
PER_THOUSAND = ("mean_accessibility", "threshold")
SHARES = ("share_with_access", "covered_share", "coverage")


def analysis_title(kind: str) -> str:
    return translated(ANALYSIS_TITLES[kind]) if kind in ANALYSIS_TITLES else kind


def field_label(name: str) -> str:
    return translated(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def choice_label(field: str, value) -> str:
    if field == "service":
        return value_label("kind", value)
    key = (field, value)
    if key in CHOICE_LABELS:
        return translated(CHOICE_LABELS[key])
    return str(value)


def summary_label(key: str) -> str:
    return translated(SUMMARY_LABELS[key]) if key in SUMMARY_LABELS else key


def metric_label(name: str) -> str:
    return translated(METRIC_LABELS[name]) if name in METRIC_LABELS else name


def progress_text(message: str) -> str:
    if message in PROGRESS_TEXTS:
        return translated(PROGRESS_TEXTS[message])
    for pattern, template in PROGRESS_PATTERNS:
        m = pattern.fullmatch(message)
        if m:
            return translated(template).format(*m.groups())
    return message


def format_value(key: str, value) -> str:
    """A summary value as the dock shows it: shares in %, per-person figures per 1,000."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return translated(YES) if value else translated(NO)
    if key in ("service",):
        return value_label("kind", value)
    if key in ("method", "distance", "model", "demand_group"):
        return choice_label(key, value)
    if key == "decay" and isinstance(value, str):
        # Decay.describe(): "none", "step ≤300 m: 1, …", "Gaussian σ=200 m", "gravity β=1, …"
        for code in ("none", "step", "Gaussian", "gravity"):
            if value.startswith(code):
                return choice_label("kind", code.lower()) + value[len(code) :]
        return value
    if isinstance(value, int | float):
        v = float(value)
        if not math.isfinite(v):
            return "—"
        if key in PER_THOUSAND:
            return f"{v * 1000:,.3f}"
        if key in SHARES:
            return f"{v * 100:.1f} %"
        if key in ("gini", "theil", "gap"):
            return f"{v:.4f}"
        if float(v).is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value('', v)}" for k, v in value.items())
    if isinstance(value, list):
        return str(len(value))
    return str(value)
