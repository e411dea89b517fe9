"""The analysis core's messages to the planner (``AnalysisError``), in the UI language.

The core writes plain English sentences with the figures in them; each known sentence is matched
here and rebuilt from a translated template, with facility kinds translated too. A sentence not
listed is shown as the core wrote it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.names import value_label

__all__ = ["explain"]

_N = r"([-\d.e+]+)"
_W = r"'?([\w]+)'?"

# (regex over the core's message, translated template with {0}, {1}, … for the groups).
MESSAGES: list[tuple[re.Pattern, str]] = [
    (re.compile(p), t)
    for p, t in [
        (
            rf"the radius must be a positive distance in metres, got {_N}",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The radius must be a positive distance in metres (not {0})."
            ),
        ),
        (
            r"the store has no buildings; import or generate buildings first",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The store has no buildings. Import or generate buildings first."
            ),
        ),
        (
            r"the store has no residents, so there is no demand to measure; .*",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "The store has no residents, so there is no demand to measure. Import residents (with their building) first.",
            ),
        ),
        (
            rf"no residents in the demand group {_W} for {_W}; nothing to measure",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "No residents in the demand group “{0}” for {1}: nothing to measure.",
            ),
        ),
        (
            rf"no residents in the demand group {_W}",
            QT_TRANSLATE_NOOP("AnalysisErrors", "No residents in the demand group “{0}”."),
        ),
        (
            rf"empty supply: the store has no {_W} facilities.*",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Empty supply: the store has no {0} facilities."),
        ),
        (
            rf"empty supply: every {_W} facility has capacity 0",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Empty supply: every {0} facility has capacity 0."),
        ),
        (
            rf"no residents within {_N} m of any {_W}; increase the radius",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "No residents within {0} m of any {1}. Increase the radius."
            ),
        ),
        (
            r"supply per capita per cell needs grid cells; the store has none",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "Supply per capita per cell needs grid cells; the store has none."
            ),
        ),
        (
            r"2SFCA has no distance decay; use e2sfca or gravity for decay",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "2SFCA has no distance decay; choose E2SFCA or gravity for a decay.",
            ),
        ),
        (
            r"the threshold must be a non-negative supply per person",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The threshold must be a non-negative supply per person."
            ),
        ),
        (
            r"step decay needs at least one \(distance, weight\) step",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "A step decay needs at least one step (metres:weight)."
            ),
        ),
        (
            r"step decay distances must be positive and increasing",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Step distances must be positive and increasing."),
        ),
        (
            r"step decay weights must be non-negative numbers",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Step weights must be non-negative numbers."),
        ),
        (
            r"Gaussian decay needs a positive sigma in metres",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "A Gaussian decay needs a positive sigma in metres."
            ),
        ),
        (
            r"gravity decay needs a positive exponent beta",
            QT_TRANSLATE_NOOP("AnalysisErrors", "A gravity decay needs a positive exponent β."),
        ),
        (
            r"gravity decay needs a positive minimum distance.*",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "A gravity decay needs a positive minimum distance (the weight is infinite at 0 m).",
            ),
        ),
        (
            r"network distances need streets: .*|no streets to route along: .*",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "Distances along the streets need streets, and the store has none. Import a road layer or choose straight-line distances.",
            ),
        ),
        (
            r"isochrone times must be positive minutes",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Walking times must be positive minutes."),
        ),
        (
            r"the walking speed must be positive",
            QT_TRANSLATE_NOOP("AnalysisErrors", "The walking speed must be positive."),
        ),
        (
            r"the arc step must be between 0 and 30 degrees",
            QT_TRANSLATE_NOOP("AnalysisErrors", "The arc step must be between 0 and 30 degrees."),
        ),
        (
            r"ask for at least one new camera \(k ≥ 1\)",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Ask for at least one new camera."),
        ),
        (
            r"give at least one candidate heading",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Give at least one candidate heading."),
        ),
        (
            r"the field of view must be between 0 and 360 degrees",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The field of view must be between 0 and 360 degrees."
            ),
        ),
        (
            r"the camera range must be a positive distance in metres",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The camera range must be a positive distance in metres."
            ),
        ),
        (
            r"camera coverage needs a community boundary, grid cells or buildings",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "Camera coverage needs a community boundary, grid cells or buildings.",
            ),
        ),
        (
            r"add at least one facility .*",
            QT_TRANSLATE_NOOP("AnalysisErrors", "Add at least one facility."),
        ),
        (
            r"no candidate sites: give candidates or add streets",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "No candidate sites: the store has no streets to place them along.",
            ),
        ),
        (
            rf"{_N} new sites cannot serve every demand point within the allowed distance",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "{0} new sites cannot serve every resident within the allowed distance.",
            ),
        ),
        (
            r"the time limit must be positive",
            QT_TRANSLATE_NOOP("AnalysisErrors", "The time limit must be positive."),
        ),
        (
            rf"capacity must be a non-negative number, got {_N}",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The capacity must be a non-negative number (not {0})."
            ),
        ),
        (
            rf"no stored analysis run with id {_N}",
            QT_TRANSLATE_NOOP("AnalysisErrors", "There is no stored run {0}."),
        ),
        (
            rf"runs {_N} \((\w+)\) and {_N} \((\w+)\) have no per-cell metric in common",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors",
                "Runs {0} and {2} are of different kinds and have no per-cell figure in common.",
            ),
        ),
        (
            r"the store's working CRS is unknown; cannot place the map",
            QT_TRANSLATE_NOOP(
                "AnalysisErrors", "The store's working CRS is unknown, so the map cannot be placed."
            ),
        ),
    ]
]


def explain(message: str) -> str:
    """The core's message in the UI language (facility kinds translated)."""
    text = message.strip()
    for pattern, template in MESSAGES:
        m = pattern.fullmatch(text)
        if m:
            args = [value_label("kind", g) if g is not None else "" for g in m.groups()]
            return translated_errors(template).format(*args)
    return text


def translated_errors(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AnalysisErrors", text)
