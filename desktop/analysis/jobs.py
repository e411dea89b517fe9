"""What runs off the GUI thread: the analyses the menu offers, their feedback, and the job that
reads the store, runs one, stores the run and builds its map layers.

:class:`QtFeedback` is the :class:`gis_core.analysis.Feedback` of the window: progress arrives on
the GUI thread as a queued signal (at most ~20 a second) and Cancel sets an event the analysis
polls; once cancelled, the next progress report raises :class:`AnalysisCancelled` too, so an
analysis stops at its next step even where it does not poll.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.analysis.result_layers import LayerPart, result_parts
from gis_core import schema
from gis_core.analysis import (
    AnalysisCancelled,
    CameraCoverageParams,
    EquityModel,
    EquityParams,
    NullFeedback,
    ServiceCoverageParams,
    SitingParams,
    SuggestParams,
    load_data,
    run_camera_coverage,
    run_service_coverage,
    run_siting,
    save_run,
)
from gis_core.analysis.data import DEMAND_GROUPS
from gis_core.analysis.equity import Decay
from gis_core.analysis.feedback import SubFeedback

__all__ = ["QtFeedback", "AnalysisSpec", "SPECS", "Outcome", "run_job", "params_from_json"]


class QtFeedback(QObject):
    """Progress to the GUI thread, cancel from it (see the module docstring)."""

    progressed = Signal(int, float, str)  # job serial, fraction, message
    MIN_INTERVAL_S = 0.05

    def __init__(self, serial: int = 0, parent: QObject | None = None):
        super().__init__(parent)
        self.serial = serial
        self._cancel = threading.Event()
        self._last = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        if self._cancel.is_set():
            raise AnalysisCancelled("analysis cancelled")
        now = time.monotonic()
        if now - self._last < self.MIN_INTERVAL_S and fraction < 1.0:
            return
        self._last = now
        self.progressed.emit(self.serial, float(fraction), message)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


@dataclass(frozen=True)
class AnalysisSpec:
    """One analysis of the menu: its parameter class, what it reads and how it runs."""

    key: str
    params: type
    layers: tuple[str, ...]
    run: Callable  # (data, params, extra, feedback) -> (result, model or None)
    extra: type | None = None  # optional second parameter group (suggested cameras)
    advanced: tuple[str, ...] = ()
    choices: dict = field(default_factory=dict)


def _run_equity(data, params, extra, feedback):
    model = EquityModel(data, params, feedback)
    result = model.result()
    model.feedback = NullFeedback()  # what-if edits run on the GUI thread, not cancellable
    return result, model


def _run_service(data, params, extra, feedback):
    return run_service_coverage(data, params, feedback), None


def _run_cameras(data, params, extra, feedback):
    return run_camera_coverage(data, params, feedback, extra), None


def _run_siting(data, params, extra, feedback):
    return run_siting(data, params, feedback), None


_SERVICE = {"service": tuple(schema.FACILITY_KINDS)}
_GROUP = {"demand_group": tuple(DEMAND_GROUPS)}

SPECS: dict[str, AnalysisSpec] = {
    "equity": AnalysisSpec(
        "equity",
        EquityParams,
        ("buildings", "residents", "facilities", "cells"),
        _run_equity,
        choices={**_SERVICE, **_GROUP},
    ),
    "coverage_service": AnalysisSpec(
        "coverage_service",
        ServiceCoverageParams,
        ("buildings", "residents", "facilities", "cells", "streets"),
        _run_service,
        advanced=("isochrone_buffer_m",),
        choices={**_SERVICE, **_GROUP},
    ),
    "coverage_cameras": AnalysisSpec(
        "coverage_cameras",
        CameraCoverageParams,
        ("buildings", "cells", "streets", "cameras", "community"),
        _run_cameras,
        extra=SuggestParams,
        advanced=(
            "arc_step_deg",
            "min_blind_area_m2",
            "top_blind",
            "street_spacing_m",
            "building_corners",
            "max_positions",
            "tile_m",
        ),
    ),
    "siting": AnalysisSpec(
        "siting",
        SitingParams,
        ("buildings", "residents", "facilities", "cells", "streets"),
        _run_siting,
        advanced=(
            "candidate_spacing_m",
            "max_distance_m",
            "exact_limit",
            "pmedian_exact_limit",
            "lp_bound_limit",
            "time_limit_s",
        ),
        choices={**_SERVICE, **_GROUP},
    ),
}


@dataclass
class Outcome:
    """What a finished job hands to the window."""

    spec: AnalysisSpec
    params: Any
    extra: Any
    result: Any
    data: Any
    model: Any
    run_id: int | None
    parts: list[LayerPart]
    title: str
    seconds: float


def _layers_for(spec: AnalysisSpec, params) -> list[str]:
    layers = list(spec.layers)
    if getattr(params, "distance", "straight") == "network" and "streets" not in layers:
        layers.append("streets")
    return layers


def run_job(
    store,
    spec: AnalysisSpec,
    params,
    extra,
    feedback: QtFeedback,
    serial: int,
    title: str | None = None,
    save: bool = True,
) -> Outcome:
    """Read the store, run the analysis, store the run and build its layers (worker thread)."""
    t0 = time.perf_counter()
    feedback.progress(0.0, "reading the store")
    data = load_data(store, _layers_for(spec, params), dt.date.today())
    result, model = spec.run(data, params, extra, SubFeedback(feedback, 0.1, 0.9))
    feedback.progress(0.9, "map layers")
    parts = result_parts(result, data, serial)
    run_id = None
    if save:
        feedback.progress(0.95, "saving the run")
        run_id = save_run(store, result, title=title)
    return Outcome(
        spec,
        params,
        extra,
        result,
        data,
        model,
        run_id,
        parts,
        title or "",
        time.perf_counter() - t0,
    )


def params_from_json(kind: str, values: dict):
    """The parameter object of a stored run (for "run again")."""
    spec = SPECS[kind]
    values = dict(values)
    if kind == "equity" and isinstance(values.get("decay"), dict):
        d = dict(values["decay"])
        d["steps"] = tuple(tuple(s) for s in d.get("steps") or ())
        values["decay"] = Decay(**d)
    for name, value in list(values.items()):
        if isinstance(value, list):
            values[name] = tuple(value)
    known = spec.params.__dataclass_fields__
    return spec.params(**{k: v for k, v in values.items() if k in known})
