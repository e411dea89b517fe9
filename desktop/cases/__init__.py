"""The cases UI: dispatch board, cases on the map, reporting an event, the monthly report.

``install_cases(window)`` hooks it into the main window (menu, dock, overlay, timers); the
work itself is ``gis_core.cases``.
"""

from desktop.cases.controller import CasesController, install_cases

__all__ = ["CasesController", "install_cases"]
