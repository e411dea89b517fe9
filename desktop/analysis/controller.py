"""The Analysis menu and everything behind it, installed into the main window by
:func:`install_analysis`.

- The menu opens a parameter dialog per analysis (generated from its parameter dataclass).
- A run reads the store, computes, stores the run and builds its layers on a worker thread; the
  dock shows progress and a Cancel button wired to the analysis's feedback.
- The result goes on the map as in-memory layers (``layers.memory``) above the window's layers,
  and into the results dock (legend, summary, Lorenz curve, ranked cells, export).
- What-if (service equity): add, move or remove a facility on the map; the kept
  :class:`~gis_core.analysis.EquityModel` recomputes only that facility's catchment, the layers
  get new values with the same classes, and the dock says the new Gini and how long it took.
- Stored runs: list, reopen (per-cell figures on today's cells), compare two (a difference layer
  and a table), delete, run again.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from desktop.analysis.dialog import AnalysisDialog
from desktop.analysis.dock import ResultsDock
from desktop.analysis.errors import explain
from desktop.analysis.jobs import SPECS, QtFeedback, params_from_json, run_job
from desktop.analysis.present import (
    ShownResult,
    heading,
    note,
    num,
    params_text,
    ranked_for_result,
    ranked_for_run,
    ranked_title,
)
from desktop.analysis.result_layers import (
    LayerPart,
    difference_parts,
    equity_update,
    stored_run_parts,
)
from desktop.analysis.texts import analysis_title, format_value, progress_text, translated
from desktop.analysis.whatif import WhatIfTool
from desktop.tasks import TaskRunner
from gis_core.analysis import AnalysisCancelled, AnalysisError
from gis_core.analysis.equity import EquityParams
from gis_core.analysis.report import write_result
from gis_core.analysis.runs import compare_runs, delete_run, list_runs, load_run, save_run
from layers.memory import MemoryLayer

__all__ = ["AnalysisController", "install_analysis"]

log = logging.getLogger(__name__)

# Metric a comparison colours first, per kind.
COMPARE_METRIC = {
    "equity": "accessibility",
    "coverage_service": "covered_share",
    "coverage_cameras": "coverage",
    "siting": "covered_after",
}


def install_analysis(window) -> AnalysisController:
    """Add the Analysis menu, the results dock and the what-if tool to ``window``."""
    controller = AnalysisController(window)
    window.analysis = controller
    return controller


class AnalysisController(QObject):
    """Signals: ``resultShown(ShownResult)``, ``runFailed(str)``, ``runCancelled()``,
    ``whatIfApplied(dict)`` (timings and Gini), ``whatIfDrawn(dict)`` (with the drawing time),
    ``runsListed(list)``, ``comparisonShown(object)``, ``exported(str)``."""

    resultShown = Signal(object)
    runFailed = Signal(str)
    runCancelled = Signal()
    whatIfApplied = Signal(dict)
    whatIfDrawn = Signal(dict)
    runsListed = Signal(list)
    comparisonShown = Signal(object)
    exported = Signal(str)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        # Python threads, not the window's QThreadPool: pyproj (GeoPackage and HTML exports)
        # keeps its per-thread PROJ context in a threading.local that PySide drops after each
        # QRunnable, and the next runnable on that thread then crashes in PROJ. Results still
        # come back on the GUI thread through TaskRunner.watch.
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="analysis")
        self.runner = TaskRunner(self, max_threads=1)
        self._latest: dict[str, int] = {}
        self.serial = 0
        self._store = window.store
        self._job: tuple[int, QtFeedback] | None = None
        self._cancelled: set[int] = set()
        self.shown: ShownResult | None = None
        self.comparison = None
        self.dialog: AnalysisDialog | None = None
        self.last_outcome = None
        self.last_whatif: dict | None = None
        self._undo: list = []
        self._status: dict[int, str] = {}
        self._removed: dict[int, tuple[float, float]] = {}
        self._next_id = -1
        self._layers_on_map: list[MemoryLayer] = []

        self.dock = ResultsDock(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()  # until there is something to show (see _present_dock)
        self.whatif = WhatIfTool(self.canvas, self)
        self._build_menu()
        self._connect()

    # ------------------------------------------------------------------ menu
    def _build_menu(self) -> None:
        w = self.window
        self.menu = QMenu(self.tr("&Analysis"), w)
        self.menu.setObjectName("analysisMenu")
        eq = self.menu.addMenu(self.tr("Service &equity"))
        self.equity_actions = {}
        for method, text in (
            ("2sfca", self.tr("&2SFCA (two-step floating catchment)…")),
            ("e2sfca", self.tr("&E2SFCA (with distance decay)…")),
            ("gravity", self.tr("&Gravity model…")),
            ("ratio", self.tr("Supply per capita per cell (&ratio)…")),
        ):
            act = QAction(text, w)
            act.setObjectName(f"analysis_equity_{method}")
            act.triggered.connect(lambda _c=False, m=method: self.open_dialog("equity", method=m))
            eq.addAction(act)
            self.equity_actions[method] = act
        self.actions = {}
        for key, text in (
            ("coverage_service", self.tr("Service &coverage and isochrones…")),
            ("coverage_cameras", self.tr("Ca&mera coverage and blind spots…")),
            ("siting", self.tr("&Siting: where to add facilities…")),
        ):
            act = QAction(text, w)
            act.setObjectName(f"analysis_{key}")
            act.triggered.connect(lambda _c=False, k=key: self.open_dialog(k))
            self.menu.addAction(act)
            self.actions[key] = act
        self.menu.addSeparator()
        self.whatif_actions = {}
        for mode, text in (
            ("add", self.tr("What-if: &add a facility")),
            ("move", self.tr("What-if: &move a facility")),
            ("remove", self.tr("What-if: &remove a facility")),
        ):
            act = QAction(text, w)
            act.setCheckable(True)
            act.setEnabled(False)
            act.triggered.connect(lambda on, m=mode: self.set_whatif_mode(m if on else None))
            self.menu.addAction(act)
            self.whatif_actions[mode] = act
        self.menu.addSeparator()
        act = QAction(self.tr("Stored &runs…"), w)
        act.triggered.connect(self.show_runs)
        self.menu.addAction(act)
        self.act_runs = act
        toggle = self.dock.toggleViewAction()
        toggle.setText(self.tr("Results &panel"))
        self.menu.addAction(toggle)

        bar = w.menuBar()
        help_title = QCoreApplication.translate("MainWindow", "&Help")
        before = next(
            (a for a in bar.actions() if a.menu() is not None and a.text() == help_title), None
        )
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)

    def _connect(self) -> None:
        d = self.dock
        d.cancelRequested.connect(self.cancel)
        d.rankedActivated.connect(self.zoom_to_target)
        d.whatIfModeRequested.connect(self.set_whatif_mode)
        d.undoRequested.connect(self.whatif_undo)
        d.resetRequested.connect(self.whatif_reset)
        d.saveScenarioRequested.connect(self.save_scenario)
        d.exportRequested.connect(self.export_dialog)
        d.rerunRequested.connect(self.rerun)
        d.refreshRunsRequested.connect(self.refresh_runs)
        d.openRunRequested.connect(self.open_run)
        d.compareRequested.connect(lambda a, b: self.compare(a, b))
        d.deleteRunRequested.connect(self.delete_run)
        d.compareMetricChanged.connect(self._recolour_comparison)
        self.whatif.modeChanged.connect(self._on_whatif_mode)
        self.canvas.renderStarted.connect(self._check_store)
        changed = getattr(self.window, "storeChanged", None)
        if changed is not None:
            changed.connect(lambda _store: self._check_store())
        self.window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def _submit(self, fn, on_done=None, on_error=None, tag: str | None = None) -> None:
        """Run ``fn`` on an analysis thread; ``on_done`` / ``on_error`` on the GUI thread.
        Of the tasks with one ``tag``, only the newest reports."""
        if tag is not None:
            seq = self._latest.get(tag, 0) + 1
            self._latest[tag] = seq

            def current(cb):
                def call(value):
                    if self._latest.get(tag) == seq and cb is not None:
                        cb(value)

                return call

            on_done, on_error = current(on_done), current(on_error)
        self.runner.watch(self.executor.submit(fn), on_done=on_done, on_error=on_error)

    def busy(self) -> bool:
        return self.runner.busy()

    # ------------------------------------------------------------------ store changes
    def _check_store(self) -> bool:
        """Forget results of another store (the window opened a new one)."""
        store = self.window.store
        if store is self._store:
            return store is not None
        self._store = store
        if self._job is not None:
            self.cancel()
        self.set_whatif_mode(None)
        self.shown = None
        self.comparison = None
        self._layers_on_map = []
        self.dock.set_runs([])
        self.dock.show_status("")
        return store is not None

    def _need_store(self) -> bool:
        if self._check_store():
            return True
        self.window.show_error(
            analysis_title("equity"), self.tr("Open a store first (File → Open store).")
        )
        return False

    # ------------------------------------------------------------------ running
    def open_dialog(self, key: str, method: str | None = None, initial=None) -> AnalysisDialog:
        """Open the parameter dialog of analysis ``key`` (window-modal, not blocking)."""
        spec = SPECS[key]
        if initial is None and key == "equity":
            initial = EquityParams("clinic", method or "2sfca")
        dialog = AnalysisDialog(spec, initial, self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.start(key, dialog.params(), dialog.extra(), dialog.run_title())
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def is_running(self) -> bool:
        return self._job is not None

    def start(self, key: str, params, extra=None, title: str | None = None) -> int | None:
        """Run analysis ``key`` on a worker; returns the job's serial (None if refused)."""
        if not self._need_store():
            return None
        if self._job is not None:
            self.window.show_error(
                analysis_title(key), self.tr("An analysis is running; wait or cancel it first.")
            )
            return None
        spec = SPECS[key]
        store = self.window.store
        self.serial += 1
        serial = self.serial
        fb = QtFeedback(serial, self)
        # Queued to this object's (the GUI) thread: the analysis reports from its worker.
        fb.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._job = (serial, fb)
        self.set_whatif_mode(None)
        self._present_dock()
        self.dock.show_running(self.tr("{0}: starting…").format(analysis_title(key)))
        self._submit(
            lambda: run_job(store, spec, params, extra, fb, serial, title),
            on_done=lambda outcome: self._on_done(serial, outcome),
            on_error=lambda exc: self._on_error(serial, exc),
        )
        return serial

    @Slot(int, float, str)
    def _on_progress(self, serial: int, fraction: float, message: str) -> None:
        if self._job is not None and self._job[0] == serial:
            self.dock.set_progress(fraction, progress_text(message))

    def cancel(self) -> None:
        """Stop the running analysis: the UI is free at once, the worker at its next step."""
        if self._job is None:
            return
        serial, fb = self._job
        fb.cancel()
        self._cancelled.add(serial)
        self.dock.show_cancelling()

    def _finish_job(self, serial: int) -> bool:
        """True if this job's outcome should be shown."""
        if self._job is not None and self._job[0] == serial:
            self._job = None
        self.dock.show_idle()
        return serial not in self._cancelled

    def _on_done(self, serial: int, outcome) -> None:
        if not self._finish_job(serial):
            # Cancelled after its last check: drop it, and the run it stored.
            self._cancelled.discard(serial)
            store = self.window.store
            if outcome.run_id is not None and store is not None:
                self.window.writer.submit(lambda: delete_run(store, outcome.run_id))
            self._say_cancelled()
            return
        self.last_outcome = outcome
        self.show_outcome(outcome)
        self.refresh_runs()

    def _on_error(self, serial: int, exc: BaseException) -> None:
        shown = self._finish_job(serial)
        self._cancelled.discard(serial)
        if isinstance(exc, AnalysisCancelled) or not shown:
            self._say_cancelled()
            return
        if isinstance(exc, AnalysisError):
            message = explain(str(exc))
        else:
            log.error("analysis failed", exc_info=exc)
            message = self.tr("The analysis failed: {0}").format(exc)
        self.dock.show_status(message, error=True)
        self.runFailed.emit(message)
        self.window.show_error(self.tr("Analysis"), message)

    def _say_cancelled(self) -> None:
        self.dock.show_status(self.tr("Cancelled; nothing was stored."))
        self.runCancelled.emit()

    # ------------------------------------------------------------------ showing
    def _layers_from_parts(self, parts: list[LayerPart]) -> dict[str, MemoryLayer]:
        out = {}
        for part in parts:
            layer = MemoryLayer.of(
                part.source,
                f"analysis_{part.role}",
                style=part.style,
                label=part.label,
                visible=part.visible,
                opacity=part.opacity,
                title=translated(part.title),
            )
            out[part.role] = layer
        return out

    def _put_on_map(self, layers: dict[str, MemoryLayer]) -> None:
        """Replace the result layers on the map with ``layers`` (bottom to top)."""
        w = self.window
        old = set(map(id, getattr(self, "_layers_on_map", [])))
        keep = [lyr for lyr in w.layers if id(lyr) not in old]
        new = list(layers.values())
        w.layers = keep + new
        self._layers_on_map = new
        w.layer_panel.set_layers(w.layers)
        w.canvas.set_layers(w.layers)

    def clear_results(self) -> None:
        self.set_whatif_mode(None)
        self._put_on_map({})
        self.shown = None

    def show_outcome(self, outcome) -> ShownResult:
        result = outcome.result
        layers = self._layers_from_parts(outcome.parts)
        parts = {p.role: p for p in outcome.parts}
        cols, rows = ranked_for_result(result)
        shown = ShownResult(
            kind=result.kind,
            heading=heading(result.kind, outcome.run_id),
            params_text=params_text(result.kind, result.params.to_json()),
            summary=result.summary(),
            ranked_columns=cols,
            ranked_rows=rows,
            ranked_title=ranked_title(result.kind),
            lorenz=(result.lorenz_x, result.lorenz_y) if result.kind == "equity" else None,
            result=result,
            data=outcome.data,
            model=outcome.model,
            run_id=outcome.run_id,
            params=outcome.params,
            parts=parts,
            layers=layers,
            cell_geoms=self._cell_geoms(parts),
            base_gini=getattr(result, "gini", None),
        )
        self._reset_whatif_state()
        if outcome.model is not None:
            cap = result.facility_supply
            self.dock.capacity.setValue(float(np.median(cap)) if len(cap) else 100.0)
        self._show(shown)
        notes = "; ".join(explain(n) for n in result.notes)
        status = self.tr("Stored as run {0}. Computed in {1} s.").format(
            outcome.run_id, f"{outcome.seconds:.2f}"
        )
        self.dock.show_status(status + (f"\n{notes}" if notes else ""))
        self.window.statusBar().showMessage(status, 8000)
        return shown

    def _show(self, shown: ShownResult) -> None:
        self.shown = shown
        self._put_on_map(shown.layers)
        self.dock.show_result(shown)
        for act in self.whatif_actions.values():
            act.setEnabled(shown.model is not None)
        self._present_dock()
        self.resultShown.emit(shown)

    @staticmethod
    def _cell_geoms(parts: dict) -> dict:
        cells = parts.get("cells") or parts.get("difference")
        if cells is None:
            return {}
        return dict(zip(cells.source.ids.tolist(), cells.source.geometry))

    def zoom_to_target(self, target) -> None:
        """Zoom to a ranked row's cell or geometry and outline it."""
        if target is None:
            return
        kind, value = target
        geom = self.shown.cell_geoms.get(value) if kind == "cell" and self.shown else value
        if geom is None:
            return
        minx, miny, maxx, maxy = shapely.bounds(geom)
        if maxx - minx < 1 and maxy - miny < 1:
            self.canvas.center_on(minx, miny, scale=min(self.canvas.view.scale, 1.0))
        else:
            self.canvas.zoom_to_bbox((minx, miny, maxx, maxy), margin=0.3)
        self.canvas.set_highlight(geom)

    def layer(self, role: str) -> MemoryLayer | None:
        return None if self.shown is None else self.shown.layers.get(role)

    # ------------------------------------------------------------------ what-if
    def _reset_whatif_state(self) -> None:
        self._undo = []
        self._status = {}
        self._removed = {}
        self._next_id = -1
        self.last_whatif = None

    def set_whatif_mode(self, mode: str | None) -> None:
        if mode is not None and (self.shown is None or self.shown.model is None):
            mode = None
        self.whatif.set_mode(mode)

    def _on_whatif_mode(self, mode) -> None:
        self.dock.set_whatif_mode(mode)
        for m, act in self.whatif_actions.items():
            act.setChecked(m == mode)

    def whatif_facilities(self) -> tuple[np.ndarray, np.ndarray]:
        """Ids and positions of the facilities a what-if can pick (the model's current ones)."""
        model = None if self.shown is None else self.shown.model
        if model is None:
            return np.empty(0, np.int64), np.empty((0, 2))
        ids = np.fromiter(model.columns.keys(), np.int64, len(model.columns))
        xy = np.array([c.xy for c in model.columns.values()], dtype=float).reshape(-1, 2)
        return ids, xy

    def whatif_add(self, xy, capacity: float | None = None) -> dict | None:
        model = self._model()
        if model is None:
            return None
        cap = float(self.dock.capacity.value() if capacity is None else capacity)
        fid = self._next_id
        self._next_id -= 1

        def do():
            model.add_facility(np.asarray(xy, dtype=float), cap, facility_id=fid)
            self._status[fid] = "added"

        def undo():
            model.remove_facility(fid)
            self._status.pop(fid, None)

        return self._whatif(do, undo, self.tr("Added a facility (capacity {0})").format(num(cap)))

    def whatif_move(self, fid: int, xy) -> dict | None:
        model = self._model()
        if model is None or fid not in model.columns:
            return None
        old = np.array(model.columns[fid].xy, dtype=float)
        old_status = self._status.get(fid)

        def do():
            model.move_facility(fid, np.asarray(xy, dtype=float))
            if self._status.get(fid) != "added":
                self._status[fid] = "moved"

        def undo():
            model.move_facility(fid, old)
            if old_status is None:
                self._status.pop(fid, None)
            else:
                self._status[fid] = old_status

        return self._whatif(do, undo, self.tr("Moved facility {0}").format(fid))

    def whatif_remove(self, fid: int) -> dict | None:
        model = self._model()
        if model is None or fid not in model.columns:
            return None
        col = model.columns[fid]
        xy, cap = np.array(col.xy, dtype=float), float(col.supply)
        old_status = self._status.get(fid)

        def do():
            model.remove_facility(fid)
            self._status.pop(fid, None)
            if old_status != "added":
                self._removed[fid] = (float(xy[0]), float(xy[1]))

        def undo():
            model.add_facility(xy, cap, facility_id=fid)
            self._removed.pop(fid, None)
            if old_status is not None:
                self._status[fid] = old_status

        return self._whatif(do, undo, self.tr("Removed facility {0}").format(fid))

    def whatif_undo(self) -> dict | None:
        if not self._undo or self._model() is None:
            return None
        undo, label = self._undo.pop()
        return self._whatif(undo, None, self.tr("Undone: {0}").format(label), record=False)

    def whatif_reset(self) -> None:
        while self._undo:
            self.whatif_undo()

    def _model(self):
        return None if self.shown is None else self.shown.model

    def _whatif(self, do, undo, label: str, record: bool = True) -> dict | None:
        """Apply one edit, update the layers, the dock and say what it changed and how fast."""
        shown = self.shown
        t0 = time.perf_counter()
        before = shown.result.gini
        try:
            do()
            result = shown.model.result()
        except AnalysisError as exc:
            self.dock.whatif_info.setText(explain(str(exc)))
            return None
        t_model = time.perf_counter()
        if record and undo is not None:
            self._undo.append((undo, label))
        status = np.array(
            [self._status.get(int(i), "existing") for i in result.facility_ids], dtype=object
        )
        sources = equity_update(shown.parts, result, status, self._removed, shown.data.srid)
        redraw = []
        for role, source in sources.items():
            shown.parts[role].source = source
            layer = shown.layers.get(role)
            if layer is not None:
                layer.set_source(source)
                if layer.visible:
                    redraw.append(layer)
        shown.result = result
        shown.summary = result.summary()
        shown.ranked_columns, shown.ranked_rows = ranked_for_result(result)
        shown.lorenz = (result.lorenz_x, result.lorenz_y)
        base = self.last_outcome.result if self.last_outcome is not None else None
        shown.base_lorenz = (base.lorenz_x, base.lorenz_y) if base is not None else None
        shown.lorenz_note = note("whatif_lorenz")
        d = self.dock
        d.set_summary(shown.summary)
        d.set_lorenz(shown.lorenz, shown.base_lorenz, shown.lorenz_note)
        d.set_ranked(shown.ranked_columns, shown.ranked_rows, shown.ranked_title)
        t_ui = time.perf_counter()
        info = {
            "label": label,
            "gini_before": before,
            "gini_after": result.gini,
            "gini_base": shown.base_gini,
            "model_ms": (t_model - t0) * 1000,
            "update_ms": (t_ui - t0) * 1000,
            "t0": t0,
        }
        self.last_whatif = info
        self._say_whatif(info)
        self.whatIfApplied.emit(info)
        if redraw:
            self.canvas.renderFinished.connect(
                lambda: self._whatif_drawn(info), Qt.ConnectionType.SingleShotConnection
            )
            for layer in redraw:
                self.canvas.refresh_layer(layer)
        else:
            self._whatif_drawn(info)
        return info

    def _whatif_drawn(self, info: dict) -> None:
        info["total_ms"] = (time.perf_counter() - info["t0"]) * 1000
        self._say_whatif(info)
        self.whatIfDrawn.emit(info)

    def _say_whatif(self, info: dict) -> None:
        text = self.tr("{0}. Gini {1} → {2} (Δ {3}; before any what-if {4}).").format(
            info["label"],
            f"{info['gini_before']:.4f}",
            f"{info['gini_after']:.4f}",
            f"{info['gini_after'] - info['gini_before']:+.4f}",
            f"{info['gini_base']:.4f}" if info["gini_base"] is not None else "—",
        )
        text += " " + self.tr("Computed in {0} ms").format(f"{info['update_ms']:.0f}")
        if "total_ms" in info:
            text += self.tr(", on the map in {0} ms.").format(f"{info['total_ms']:.0f}")
        self.dock.whatif_info.setText(text)
        self.window.statusBar().showMessage(text, 10000)

    def save_scenario(self) -> None:
        """Store the what-if's current state as a run (to compare with the base run)."""
        shown = self.shown
        if shown is None or shown.model is None or not self._need_store():
            return
        result = shown.model.result()
        n = len(self._undo)
        title = self.tr("What-if: {0} edits of run {1}").format(n, shown.run_id)
        store = self.window.store

        def done(run_id):
            self.dock.show_status(self.tr("What-if stored as run {0}.").format(run_id))
            self.refresh_runs()

        self.window.writer.submit(
            lambda: save_run(store, result, title=title),
            on_done=done,
            on_error=lambda exc: self.window.show_error(self.tr("Analysis"), str(exc)),
        )

    # ------------------------------------------------------------------ export
    def export_dialog(self, suffix: str) -> None:
        if self.shown is None or self.shown.result is None:
            return
        filters = {
            ".csv": self.tr("CSV tables (*.csv)"),
            ".gpkg": self.tr("GeoPackage (*.gpkg)"),
            ".html": self.tr("HTML report (*.html)"),
        }
        name = f"{self.shown.kind}_{self.shown.run_id or 'result'}{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Export the result"), name, filters[suffix]
        )
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.export(path)

    def export(self, path: str) -> None:
        """Write the shown result (as it is now, what-ifs included) to ``path`` off the GUI."""
        shown = self.shown
        if shown is None or shown.result is None:
            return
        result, data = shown.result, shown.data
        self.dock.show_status(self.tr("Exporting {0}…").format(path))

        def done(p):
            self.dock.show_status(self.tr("Exported {0}").format(p))
            self.exported.emit(str(p))

        self._submit(
            lambda: write_result(result, data, path),
            on_done=done,
            on_error=lambda exc: self.dock.show_status(explain(str(exc)), error=True),
        )

    # ------------------------------------------------------------------ runs
    def _present_dock(self) -> None:
        """Show the dock as a tab beside "Identify and search" (the tallest place), on top."""
        identify = getattr(self.window, "identify_dock", None)
        if self.dock.isHidden():
            self.dock.show()
            if identify is not None and not identify.isFloating() and identify.isVisible():
                self.window.tabifyDockWidget(identify, self.dock)
        self.dock.raise_()

    def show_runs(self) -> None:
        self._present_dock()
        self.dock.tabs.setCurrentIndex(1)
        self.refresh_runs()

    def refresh_runs(self) -> None:
        if not self._check_store():
            return
        store = self.window.store

        def done(runs):
            self.dock.set_runs(runs)
            self.runsListed.emit(runs)

        self._submit(lambda: list_runs(store), on_done=done, tag="analysis-runs")

    def _cells_of_store(self, store):
        f = store.query_all("grid_cells", ["code"])
        return f.ids, np.asarray(f.columns["code"], dtype=object), f.geometry

    def open_run(self, run_id: int) -> None:
        """Reopen a stored run: its summary, ranked cells and per-cell layer."""
        if not self._need_store():
            return
        store = self.window.store
        self.serial += 1
        serial = self.serial

        def job():
            run = load_run(store, run_id)
            ids, codes, geoms = self._cells_of_store(store)
            parts = stored_run_parts(run, ids, codes, geoms, store.srid, serial)
            return run, parts

        self._submit(
            job,
            on_done=lambda out: self._show_stored(*out),
            on_error=lambda exc: self.dock.show_status(explain(str(exc)), error=True),
            tag="analysis-open",
        )

    def _show_stored(self, run, parts) -> None:
        layers = self._layers_from_parts(parts)
        by_role = {p.role: p for p in parts}
        cols, rows = ranked_for_run(run)
        lorenz = run.lorenz() if run.kind == "equity" else None
        shown = ShownResult(
            kind=run.kind,
            heading=heading(run.kind, run.id, run.created_at),
            params_text=params_text(run.kind, run.parameters or {}),
            summary=dict(run.summary),
            ranked_columns=cols,
            ranked_rows=rows,
            ranked_title=ranked_title(run.kind),
            lorenz=lorenz,
            # Runs stored before the curve was kept with them: say how to get it back.
            lorenz_note=note("stored_lorenz") if run.kind == "equity" and lorenz is None else "",
            run_id=run.id,
            params=run.parameters,
            stored=run,
            parts=by_role,
            layers=layers,
            cell_geoms=self._cell_geoms(by_role),
        )
        self._reset_whatif_state()
        self.set_whatif_mode(None)
        self._show(shown)
        title = f" “{run.title}”" if run.title else ""
        self.dock.show_status(self.tr("Reopened run {0}{1}.").format(run.id, title))

    def rerun(self) -> None:
        """Run the shown stored run again with its parameters."""
        shown = self.shown
        if shown is None or shown.stored is None or shown.kind not in SPECS:
            return
        params = params_from_json(shown.kind, shown.stored.parameters)
        title = self.tr("again: run {0}").format(shown.run_id)
        self.start(shown.kind, params, None, title)

    def delete_run(self, run_id: int) -> None:
        if not self._need_store():
            return
        store = self.window.store
        self.window.writer.submit(
            lambda: delete_run(store, run_id),
            on_done=lambda _r: self.refresh_runs(),
            on_error=lambda exc: self.dock.show_status(explain(str(exc)), error=True),
        )

    def compare(self, run_a: int, run_b: int, metric: str | None = None) -> None:
        """Two runs side by side: a per-cell difference layer and a table."""
        if not self._need_store():
            return
        store = self.window.store
        self.serial += 1
        serial = self.serial

        def job():
            cmp = compare_runs(store, run_a, run_b)
            ids, _codes, geoms = self._cells_of_store(store)
            return cmp, dict(zip(ids.tolist(), geoms)), store.srid

        def done(out):
            cmp, geoms, srid = out
            self.comparison = (cmp, geoms, srid, serial)
            chosen = metric or COMPARE_METRIC.get(cmp.a.kind)
            if chosen not in cmp.metrics:
                chosen = cmp.metrics[0]
            self._show_comparison(chosen)

        self._submit(
            job,
            on_done=done,
            on_error=lambda exc: self.dock.show_status(explain(str(exc)), error=True),
            tag="analysis-compare",
        )

    def _recolour_comparison(self, metric: str) -> None:
        if self.comparison is not None and metric:
            self._show_comparison(metric)

    def _show_comparison(self, metric: str) -> None:
        cmp, geoms, srid, serial = self.comparison
        parts = difference_parts(cmp, metric, geoms, srid, serial)
        layers = self._layers_from_parts(parts)
        by_role = {p.role: p for p in parts}
        scale = (
            1000.0
            if metric == "accessibility"
            else 100.0
            if metric in ("coverage", "covered_share")
            else 1.0
        )
        a, b = cmp.values_a[metric] * scale, cmp.values_b[metric] * scale
        order = np.argsort(-np.abs(np.nan_to_num(b - a)), kind="stable")
        rows = [
            (cmp.cell_codes[k], num(a[k]), num(b[k]), _signed(b[k] - a[k])) for k in order.tolist()
        ]
        summary_rows = [
            (key, format_value(key, va), format_value(key, vb), _signed(d, key))
            for key, (va, vb, d) in cmp.summary_delta.items()
            if key != "elapsed_s"
        ]
        shown = ShownResult(
            kind="compare",
            heading=self.tr("Runs {0} and {1} compared").format(cmp.a.id, cmp.b.id),
            params_text="",
            summary={},
            ranked_columns=[],
            ranked_rows=[],
            ranked_title="",
            parts=by_role,
            layers=layers,
            cell_geoms=self._cell_geoms(by_role),
        )
        self.set_whatif_mode(None)
        self._show(shown)
        self.dock.summary.setRowCount(0)
        self.dock.ranked_box.hide()
        self.dock.show_comparison(cmp, metric, rows, summary_rows)
        self.comparisonShown.emit(cmp)

    # ------------------------------------------------------------------ shutdown
    def shutdown(self) -> None:
        if self._job is not None:
            self._job[1].cancel()
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.runner.shutdown()


def _signed(v, key: str = "") -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "—"
    if not np.isfinite(f):
        return "—"
    if key in ("gini", "theil"):
        return f"{f:+.4f}"
    if key in ("mean_accessibility", "threshold"):
        return f"{f * 1000:+,.3f}"
    if key in ("share_with_access", "covered_share", "coverage"):
        return f"{f * 100:+.1f} %"
    return f"{f:+,.4g}" if abs(f) < 1000 else f"{f:+,.0f}"
