"""The analysis features of the window: the Analysis menu, parameter dialogs generated from the
analyses' parameter dataclasses, runs on a worker with progress and Cancel, result layers on the
map, the results dock (summary, Lorenz curve, ranked cells, export), what-if edits of facilities
and stored runs (reopen, compare). The computing is :mod:`gis_core.analysis`'s.

>>> # in MainWindow.__init__:  install_analysis(self)
"""

from desktop.analysis.controller import AnalysisController, install_analysis
from desktop.analysis.dialog import AnalysisDialog
from desktop.analysis.dock import ResultsDock
from desktop.analysis.params_form import ParamsForm
from desktop.analysis.whatif import WhatIfTool

__all__ = [
    "AnalysisController",
    "AnalysisDialog",
    "ParamsForm",
    "ResultsDock",
    "WhatIfTool",
    "install_analysis",
]
