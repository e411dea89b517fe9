"""The Data fusion menu of the window (数据融合): the review queue dock, the data-quality layer
and table, re-linking after imports. Store work runs on the window's task runners (reads on
``window.runner``, decisions and re-linking one after another on ``window.writer``)."""

from __future__ import annotations

import logging

import shapely
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu

from desktop.fusion.data import (
    QUALITY_LABEL,
    QualityData,
    load_quality,
    load_queue,
    locate_item,
    quality_style,
    reveal_item,
)
from desktop.fusion.quality_panel import QualityPanel
from desktop.fusion.review_panel import ReviewPanel
from desktop.names import kind_title
from layers.memory import MemoryLayer

__all__ = ["FusionController", "install_fusion"]

log = logging.getLogger(__name__)


def install_fusion(window) -> FusionController:
    """Add the Data fusion menu, the review dock and the quality dock to ``window``."""
    controller = FusionController(window)
    window.fusion = controller
    return controller


class FusionController(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.items = []
        self.quality: QualityData | None = None
        self.quality_layer: MemoryLayer | None = None
        self.last_error: str | None = None
        self._pending = 0

        self.review = ReviewPanel()
        self.review_dock = self._dock(self.tr("Conflict review"), "fusionReviewDock", self.review)
        self.quality_panel = QualityPanel()
        self.quality_dock = self._dock(
            self.tr("Data quality"), "fusionQualityDock", self.quality_panel
        )
        self._build_menu()

        self.review.refreshRequested.connect(self.refresh_queue)
        self.review.itemSelected.connect(self.locate)
        self.review.decisionRequested.connect(self.decide)
        self.review.revealRequested.connect(self.reveal)
        self.quality_panel.refreshRequested.connect(self.show_quality)
        self.quality_panel.exportRequested.connect(self.export_quality_dialog)
        changed = getattr(window, "storeChanged", None)
        if changed is not None:
            changed.connect(self._on_store_changed)

    def _dock(self, title: str, name: str, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        return dock

    def _build_menu(self) -> None:
        w = self.window
        self.menu = QMenu(self.tr("Data &fusion"), w)
        self.menu.setObjectName("fusionMenu")
        self.menu.setToolTipsVisible(True)
        self.act_review = QAction(self.tr("Conflict &review…"), w)
        self.act_review.setObjectName("actFusionReview")
        self.act_review.setToolTip(self.tr("Conflicts between sources that no rule settles"))
        self.act_review.triggered.connect(lambda _c=False: self.open_review())
        self.act_quality = QAction(self.tr("Data &quality per grid cell"), w)
        self.act_quality.setObjectName("actFusionQuality")
        self.act_quality.triggered.connect(lambda _c=False: self.show_quality())
        self.act_export_quality = QAction(self.tr("&Export the quality table (CSV)…"), w)
        self.act_export_quality.setObjectName("actFusionQualityExport")
        self.act_export_quality.triggered.connect(lambda _c=False: self.export_quality_dialog())
        self.act_relink = QAction(self.tr("Re-&link the imported records"), w)
        self.act_relink.setObjectName("actFusionRelink")
        self.act_relink.triggered.connect(lambda _c=False: self.relink())
        for act in (self.act_review, self.act_quality, self.act_export_quality, None):
            self.menu.addSeparator() if act is None else self.menu.addAction(act)
        self.menu.addAction(self.act_relink)
        bar = w.menuBar()
        help_title = QCoreApplication.translate("MainWindow", "&Help")
        before = next(
            (a for a in bar.actions() if a.menu() is not None and a.text() == help_title), None
        )
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)

    # ------------------------------------------------------------------ helpers
    def _store(self):
        store = self.window.store
        if store is None:
            self.window.show_error(
                self.tr("Data fusion"), self.tr("Open a store first (File → Open store).")
            )
        return store

    def _permits(self, action: str) -> bool:
        access = getattr(self.window, "access", None)
        return True if access is None else access.permits(action)

    def _missing(self, action: str) -> str:
        access = getattr(self.window, "access", None)
        return "" if access is None else access.missing_text(action)

    def _failed(self, what: str, exc: BaseException) -> None:
        self.last_error = f"{what}: {exc}"
        log.warning("%s", self.last_error)
        self.review.set_busy(False, self.last_error)
        self.window.statusBar().showMessage(self.last_error, 10_000)

    def busy(self) -> bool:
        return self._pending > 0

    def _submit(self, runner, fn, on_done, what: str, tag: str | None = None) -> None:
        self._pending += 1

        def done(result) -> None:
            self._pending -= 1
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._pending -= 1
            self._failed(what, exc)

        runner.submit(fn, on_done=done, on_error=failed, tag=tag)

    def _on_store_changed(self, _store) -> None:
        self.items = []
        self.quality = None
        self.quality_layer = None  # the window rebuilt its layers without it
        self.review.set_items([])
        self.review.set_busy(False, "")
        self.quality_panel.set_rows([])
        self.quality_panel.set_legend(None)
        if self.review_dock.isVisible() and self.window.store is not None:
            self.open_review()

    # ------------------------------------------------------------------ review queue
    def open_review(self) -> None:
        if self._store() is None:
            return
        self.review_dock.show()
        self.review_dock.raise_()
        self.refresh_queue()

    def refresh_queue(self) -> None:
        store = self.window.store
        if store is None:
            return
        self.review.set_access(
            self._permits("edit_residents"),
            self._permits("view_personal_unmasked"),
            self._missing("edit_residents"),
        )
        self.review.set_busy(True, self.tr("Loading the review queue…"))
        self._submit(
            self.window.runner,
            lambda: load_queue(store),
            self._show_queue,
            self.tr("Could not load the review queue"),
            tag="fusion-queue",
        )

    def _show_queue(self, items) -> None:
        self.items = items
        self.review.set_busy(False)
        self.review.set_items(items)

    def locate(self, item) -> None:
        """Zoom to the item's building (else grid cell) and highlight it."""
        store = self.window.store
        if item is None or store is None:
            return
        self.review.set_location(self.tr("Locating…"))

        def show(found) -> None:
            if self.review.current is None or self.review.current.id != item.id:
                return
            if found is None:
                self.review.set_location(self.tr("No building or grid cell known for this entity."))
                return
            kind, fid, geom = found
            canvas = self.window.canvas
            minx, miny, maxx, maxy = shapely.bounds(geom)
            canvas.zoom_to_bbox((minx, miny, maxx, maxy), margin=0.6, min_scale=0.4)
            self.window.select_features(kind, [fid], source="fusion")
            canvas.set_highlight(geom)
            self.review.set_location(self.tr("On the map: {0} {1}").format(kind_title(kind), fid))

        self._submit(
            self.window.runner,
            lambda: locate_item(store, item),
            show,
            self.tr("Could not locate the entity"),
            tag="fusion-locate",
        )

    def decide(self, review_id: int, decision: str, choice, value, note: str) -> None:
        """Send one decision to the core (logged there, remembered on re-import), then reload."""
        from gis_core.fusion.review import decide

        store = self.window.store
        if store is None:
            return
        if not self._permits("edit_residents"):
            self._failed(self.tr("Not allowed"), PermissionError(self._missing("edit_residents")))
            return
        by = getattr(getattr(store, "user", None), "username", None)
        self.review.set_busy(True, self.tr("Saving the decision…"))

        def job():
            decide(store, review_id, decision, choice=choice, value=value, by=by, note=note or None)
            return load_queue(store)

        def done(items) -> None:
            self.review.decided()
            self._show_queue(items)
            self.window.statusBar().showMessage(
                self.tr("Decision on #{0} saved; it will be applied again on re-import.").format(
                    review_id
                ),
                8000,
            )
            if self.quality is not None:
                self.show_quality()  # a conflict fewer changes the scores

        self._submit(self.window.writer, job, done, self.tr("Could not save the decision"))

    def reveal(self, review_id: int) -> None:
        store = self.window.store
        if store is None:
            return
        self._submit(
            self.window.runner,
            lambda: reveal_item(store, review_id),
            lambda values: self.review.show_revealed(review_id, values),
            self.tr("Could not show the values"),
        )

    def relink(self) -> None:
        """Link every kind that has sources again (after an import), then reload the queue."""
        from gis_core.fusion.entities import link_kind
        from gis_core.fusion.sources import list_sources

        store = self._store()
        if store is None:
            return
        self.review.set_busy(True, self.tr("Linking the records…"))

        def job():
            summaries = [link_kind(store, k) for k in sorted({s.kind for s in list_sources(store)})]
            return summaries, load_queue(store)

        def done(result) -> None:
            summaries, items = result
            self._show_queue(items)
            self.window.statusBar().showMessage(
                self.tr("Linked: {0}").format("; ".join(s.summary() for s in summaries)), 15_000
            )

        self._submit(self.window.writer, job, done, self.tr("Could not link the records"))

    # ------------------------------------------------------------------ data quality
    def show_quality(self) -> None:
        store = self._store()
        if store is None:
            return
        self.quality_dock.show()
        self.quality_dock.raise_()
        self._submit(
            self.window.runner,
            lambda: load_quality(store),
            self._show_quality,
            self.tr("Could not compute the data-quality report"),
            tag="fusion-quality",
        )

    def _show_quality(self, data: QualityData) -> None:
        self.quality = data
        self.quality_panel.set_rows(data.rows, data.departments)
        w = self.window
        old = self.quality_layer
        layer = None
        if data.source is not None:
            layer = MemoryLayer.of(
                data.source,
                "fusion_quality",
                style=quality_style(),
                label=QUALITY_LABEL,
                opacity=0.8,
                title=self.tr("Data quality (score per grid cell)"),
            )
        layers = [lyr for lyr in w.layers if lyr is not old]
        if layer is not None:
            layers.append(layer)
        w.layers = layers
        self.quality_layer = layer
        w.layer_panel.set_layers(w.layers)
        w.canvas.set_layers(w.layers)
        self.quality_panel.set_legend(layer)

    def export_quality_dialog(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self.window, self.tr("Export the quality table"), "data_quality.csv", "CSV (*.csv)"
        )
        if path:
            self.export_quality(path)

    def export_quality(self, path: str) -> None:
        """Write the report (per source and per cell) as CSV, off the GUI thread."""
        from gis_core.fusion.quality import quality_report, write_csv

        store = self._store()
        if store is None:
            return
        if not self._permits("export_data"):
            self._failed(self.tr("Not allowed"), PermissionError(self._missing("export_data")))
            return

        def job():
            write_csv(quality_report(store, "residents"), path)
            return path

        self._submit(
            self.window.runner,
            job,
            lambda p: self.window.statusBar().showMessage(self.tr("Saved {0}").format(p), 8000),
            self.tr("Could not export the quality table"),
        )
