"""The early-warning layer: grid cells coloured by their risk score (gis_core.risk), as an
in-memory map layer, recomputed off the GUI thread when alarms change and every minute."""

from __future__ import annotations

import logging

import numpy as np
import shapely
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop.live.texts import level_name, risk_part_lines
from desktop.tasks import TaskRunner
from gis_core.risk import LEVELS, RiskParams, RiskResult, risk_by_cell
from layers.style import Graduated, SingleSymbol

__all__ = [
    "risk_layer_class",
    "is_risk_layer",
    "RiskLayerController",
    "RISK_LAYER_NAME",
    "RISK_KIND",
    "RISK_COLORS",
    "risk_style",
]

log = logging.getLogger(__name__)

RISK_LAYER_NAME = "early_warning"
#: One colour per level of gis_core.risk.LEVELS (low → severe).
RISK_COLORS = ("#1a9850", "#a6d96a", "#fee08b", "#f46d43", "#a50026")
TOP = 100.0  # upper edge of the last class (scores above it fall in it too)


RISK_KIND = "grid_risk"  # the layer's own kind: its features are grid cells with their scores


def score_column() -> str:
    """The score column's name: what the identify panel shows, so it is translated."""
    return QCoreApplication.translate("RiskLayerController", "Risk score")


def risk_style() -> Graduated:
    breaks = [lo for lo, _ in LEVELS] + [TOP]
    symbols = [SingleSymbol(fill=c, stroke="#5a3d2b", stroke_width=0.8) for c in RISK_COLORS]
    return Graduated(score_column(), breaks, symbols)


_layer_class = None


def _placeholder_dict(layer) -> dict:
    """What a window saves of the early-warning layer: a hidden grid-cell layer that the
    controller replaces with a freshly computed one when the store opens again."""
    return {
        "kind": "grid_cells",
        "name": RISK_LAYER_NAME,
        "title": layer.title,
        "style": SingleSymbol(fill=None, stroke="#00000000", stroke_width=0.0).to_dict(),
        "label": None,
        "visible": False,
        "opacity": layer.opacity,
        "aggregate": False,
        "extra_columns": [],
        "transient": True,
    }


def risk_layer_class():
    """The early-warning layer's class: an in-memory layer (layers.memory, imported when first
    needed), recomputed and never saved (see :func:`_placeholder_dict`)."""
    global _layer_class
    if _layer_class is None:
        from layers.memory import MemoryLayer

        _layer_class = type(
            "RiskLayer", (MemoryLayer,), {"risk_layer": True, "to_dict": _placeholder_dict}
        )
    return _layer_class


def is_risk_layer(layer) -> bool:
    return bool(getattr(layer, "risk_layer", False))


class RiskLayerController(QObject):
    """Adds, refreshes and removes the early-warning layer in a main window."""

    updated = Signal(object)  # RiskResult

    def __init__(self, window, params: RiskParams | None = None, refresh_ms: int = 60_000):
        super().__init__(window)
        self.window = window
        self.params = params or RiskParams()
        self.layer = None  # the RiskLayer while shown
        self.result: RiskResult | None = None
        self._geometry: tuple | None = None  # (store, ids, geoms, codes)
        self.runner = TaskRunner(self, max_threads=1)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(2000)
        self._soon.timeout.connect(self.refresh)
        self.computing = False

    @property
    def enabled(self) -> bool:
        return self.layer is not None

    def enable(self) -> None:
        if self.layer is not None or self.window.store is None:
            return
        self._timer.start()
        self.refresh()

    def disable(self) -> None:
        self._timer.stop()
        self._soon.stop()
        layer, self.layer = self.layer, None
        self.result = None
        if layer is not None and layer in self.window.layers:
            self.window.layers.remove(layer)
            self._show_layers()

    def forget_store(self) -> None:
        """The window opened another store: its layers were rebuilt without ours."""
        self.layer = None
        self.result = None
        self._geometry = None
        self.drop_placeholders()

    def drop_placeholders(self) -> bool:
        """Remove what a saved style list restored in our layer's place."""
        stale = [
            lyr
            for lyr in self.window.layers
            if lyr.name == RISK_LAYER_NAME and not is_risk_layer(lyr)
        ]
        for lyr in stale:
            self.window.layers.remove(lyr)
        if stale:
            self._show_layers()
        return bool(stale)

    def refresh_soon(self) -> None:
        if self.enabled or self._timer.isActive():
            self._soon.start()

    def refresh(self) -> None:
        store = self.window.store
        if store is None or self.computing:
            return
        params = self.params
        cached = self._geometry if self._geometry and self._geometry[0] is store else None
        self.computing = True

        def compute():
            if cached is None:
                cells = store.query_all("grid_cells", columns=("code",))
                order = np.argsort(cells.ids, kind="stable")
                geo = (store, cells.ids[order], cells.geometry[order])
            else:
                geo = cached
            return geo, risk_by_cell(store, params)

        self.runner.submit(compute, on_done=self._computed, on_error=self._failed, tag="risk")

    def _failed(self, exc: BaseException) -> None:
        self.computing = False
        log.warning("early-warning scores failed: %s", exc)
        self.window.statusBar().showMessage(
            self.tr("Could not compute the early-warning scores: {0}").format(exc), 8000
        )

    def _computed(self, payload) -> None:
        self.computing = False
        geo, result = payload
        store, ids, geoms = geo
        if store is not self.window.store or not self._timer.isActive():
            return
        self._geometry = geo
        pos = {int(c): i for i, c in enumerate(result.cell_ids.tolist())}
        take = np.array([pos.get(int(i), -1) for i in ids.tolist()], dtype=np.int64)
        score = np.where(take >= 0, result.score[np.clip(take, 0, None)], 0.0)
        level = np.where(take >= 0, result.level[np.clip(take, 0, None)], 0)
        codes = np.array(
            [result.cell_codes[t] if t >= 0 else "" for t in take.tolist()], dtype=object
        )
        parts = {
            name: np.where(take >= 0, result.parts[name][np.clip(take, 0, None)], 0.0)
            for name in result.parts
        }
        levels = np.array([level_name(LEVELS[int(v)][1]) for v in level.tolist()], dtype=object)
        columns = {
            self.tr("Grid cell"): codes,
            score_column(): np.round(score, 2),
            self.tr("Level"): levels,
            self.tr("Alarms"): np.round(parts["alarms"], 2),
            self.tr("Open hazards"): np.round(parts["hazards"], 2),
            self.tr("Vulnerable residents"): np.round(parts["vulnerable"], 2),
            self.tr("Near alarming sensors"): np.round(parts["exposure"], 2),
        }
        self.result = result
        if self.layer is None:
            from layers.memory import MemorySource

            source = MemorySource(RISK_KIND, ids, geoms, columns, srid=store.srid)
            self.layer = risk_layer_class().of(
                source,
                RISK_LAYER_NAME,
                style=risk_style(),
                title=self.tr("Early warning (risk per grid cell)"),
                opacity=0.55,
            )
            self.drop_placeholders()
            layers = self.window.layers
            below = [i for i, lyr in enumerate(layers) if lyr.kind == "buildings"]
            layers.insert(below[-1] + 1 if below else 0, self.layer)
            self._show_layers()
        else:
            self.layer.set_source(self.layer.source.with_columns(**columns))
            self.window.canvas.refresh_layer(self.layer)
        self.updated.emit(result)

    def _show_layers(self) -> None:
        self.window.layer_panel.set_layers(self.window.layers)
        self.window.canvas.set_layers(self.window.layers)

    # ------------------------------------------------------------------ explanation
    def cell_at(self, x: float, y: float) -> int | None:
        """The grid cell (id) under map point (x, y), when the layer is shown."""
        if self.layer is None or not self.layer.visible:
            return None
        source = self.layer.source
        hit = np.flatnonzero(shapely.contains_xy(source.geometry, x, y))
        return int(source.ids[hit[0]]) if len(hit) else None

    def explanation(self, cell_id: int) -> tuple[str, list[str]] | None:
        """(headline, lines) explaining a cell's score, or None without a result."""
        result = self.result
        if result is None:
            return None
        i = result.index_of(cell_id)
        if i is None:
            return None
        code = result.cell_codes[i]
        head = self.tr("Grid cell {0}: risk {1:.1f} ({2})").format(
            code, float(result.score[i]), level_name(LEVELS[int(result.level[i])][1])
        )
        lines = risk_part_lines(result.explain(cell_id))
        if not lines:
            lines = [self.tr("No recent alarms, open hazards or vulnerable residents.")]
        return head, lines
