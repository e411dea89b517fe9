"""Coverage and service-equity analysis: pure numpy / scipy / shapely, no Qt.

Each analysis is a function of a typed parameter object and an optional :class:`Feedback`
(progress, cancel), returning a result object with ``summary()`` and ``cell_metrics()``; the
desktop dialog, the CLI (``zhiwang analyze``) and the tests call the same functions.

>>> from gis_core.analysis import EquityParams, load_data, run_equity
>>> # result = run_equity(load_data(store), EquityParams("clinic", "2sfca", radius_m=1000))

Modules: ``data`` (snapshot of the inputs), ``distance`` (KD-tree and street-network distances),
``equity`` (ratio, 2SFCA, E2SFCA, gravity; what-if), ``inequality`` (Gini, Theil, Lorenz),
``service_coverage`` (coverage within D metres, isochrones), ``cameras`` (views, blind spots,
suggested cameras), ``siting`` (MCLP, LSCP, p-median), ``runs`` (stored runs), ``report``
(CSV / GeoPackage / offline HTML).
"""

from gis_core.analysis.cameras import (
    CameraCoverageParams,
    CameraCoverageResult,
    SuggestParams,
    camera_views,
    run_camera_coverage,
    suggest_cameras,
)
from gis_core.analysis.data import AnalysisData, data_from_layers, load_data
from gis_core.analysis.distance import NetworkDistance, StraightLineDistance, StreetGraph
from gis_core.analysis.equity import Decay, EquityModel, EquityParams, EquityResult, run_equity
from gis_core.analysis.feedback import (
    AnalysisCancelled,
    AnalysisError,
    Feedback,
    NullFeedback,
    StderrFeedback,
)
from gis_core.analysis.inequality import gini, lorenz_curve, theil
from gis_core.analysis.runs import compare_runs, list_runs, load_run, save_run
from gis_core.analysis.service_coverage import (
    ServiceCoverageParams,
    ServiceCoverageResult,
    run_service_coverage,
)
from gis_core.analysis.siting import SitingParams, SitingResult, run_siting

__all__ = [
    "AnalysisCancelled",
    "AnalysisData",
    "AnalysisError",
    "CameraCoverageParams",
    "CameraCoverageResult",
    "Decay",
    "EquityModel",
    "EquityParams",
    "EquityResult",
    "Feedback",
    "NetworkDistance",
    "NullFeedback",
    "ServiceCoverageParams",
    "ServiceCoverageResult",
    "SitingParams",
    "SitingResult",
    "StderrFeedback",
    "StraightLineDistance",
    "StreetGraph",
    "SuggestParams",
    "camera_views",
    "compare_runs",
    "data_from_layers",
    "gini",
    "list_runs",
    "load_data",
    "load_run",
    "lorenz_curve",
    "run_camera_coverage",
    "run_equity",
    "run_service_coverage",
    "run_siting",
    "save_run",
    "suggest_cameras",
    "theil",
]
