"""Parameter dialogs generated from the analyses' parameter dataclasses, their validation in the
UI language, and result layers painted in the window's render processes."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox

from desktop.analysis.dialog import AnalysisDialog
from desktop.analysis.jobs import SPECS, params_from_json
from desktop.analysis.params_form import ParamsForm
from gis_core.analysis import EquityParams, SitingParams
from gis_core.analysis.equity import Decay

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", sorted(SPECS))
def test_every_parameter_has_an_editor_and_defaults_round_trip(qtbot, key):
    spec = SPECS[key]
    dialog = AnalysisDialog(spec)
    qtbot.addWidget(dialog)
    fields = [f.name for f in dataclasses.fields(spec.params) if f.init]
    assert list(dialog.form.editors) == fields
    value = dialog.form.value()
    assert isinstance(value, spec.params)
    value.validated()  # the generated defaults are valid parameters
    for f in dataclasses.fields(spec.params):
        if f.default is not dataclasses.MISSING:
            assert getattr(value, f.name) == f.default, f.name
    if spec.extra is not None:
        assert dialog.extra_form is not None
        assert dialog.extra_form.value() == spec.extra()
    # Labels are in the UI language (Chinese in these tests).
    label = (
        dialog.form.layout()
        .itemAt(0)
        .layout()
        .labelForField(next(iter(dialog.form.editors.values())).widget)
    )
    if label is not None:
        assert CJK.search(label.text()), label.text()


def test_form_builds_the_parameters_it_shows(qtbot):
    form = ParamsForm(EquityParams, choices=SPECS["equity"].choices)
    qtbot.addWidget(form)
    p = EquityParams(
        "elderly_care",
        "e2sfca",
        radius_m=800,
        distance="network",
        decay=Decay("step", ((300.0, 1.0), (600.0, 0.5), (800.0, 0.2))),
        demand_group="elderly",
        threshold=0.002,
    )
    form.set_value(p)
    assert form.value() == p
    assert form.editors["decay"].form.editors["steps"].widget.text() == "300:1, 600:0.5, 800:0.2"
    form.editors["decay"].form.editors["steps"].widget.setText("200：1，500:0.4")  # full-width too
    assert form.value().decay.steps == ((200.0, 1.0), (500.0, 0.4))
    form.set_field("threshold", None)
    form.set_field("demand_group", None)
    assert form.value().threshold is None and form.value().demand_group is None
    # A stored run's parameters come back as the same object.
    assert params_from_json("equity", p.to_json()) == p
    s = SitingParams("clinic", "pmedian", add=2, max_distance_m=None)
    assert params_from_json("siting", dataclasses.asdict(s)) == s


def test_invalid_parameters_keep_the_dialog_open_with_a_chinese_reason(qtbot):
    dialog = AnalysisDialog(SPECS["siting"], SitingParams("clinic"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.editors["radius_m"].widget.setValue(0)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.error.isVisible() and CJK.search(dialog.error.text()), dialog.error.text()
    assert dialog.params() is None
    dialog.form.editors["radius_m"].widget.setValue(800)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.params() == SitingParams("clinic").validated()


def test_decay_is_offered_only_for_methods_with_decay(qtbot):
    dialog = AnalysisDialog(SPECS["equity"], EquityParams("clinic", "2sfca"))
    qtbot.addWidget(dialog)
    decay = dialog.form.editors["decay"]
    assert not decay.widget.isEnabled()
    dialog.form.editors["method"].set("gravity")
    assert decay.widget.isEnabled()
    decay.set(Decay("gravity", beta=1.5, min_distance_m=20.0))
    assert dialog.form.value().decay == Decay("gravity", beta=1.5, min_distance_m=20.0)
    dialog.form.editors["method"].set("ratio")
    assert not decay.widget.isEnabled() and dialog.form.value().decay is None


def test_a_result_layer_renders_in_a_render_process(qapp):
    """The window paints layers in worker processes: an in-memory layer travels by value."""
    from desktop.render_pool import image_from_raw, layer_spec, shared_pool, snapshot_from_spec
    from layers.memory import MemoryLayer, MemorySource
    from layers.style import Graduated, SingleSymbol
    from layers.view import MapView

    boxes = shapely.box(np.arange(2) * 100.0, 0.0, np.arange(2) * 100.0 + 100.0, 100.0)
    src = MemorySource("analysis.t.cells", [1, 2], boxes, {"v": np.array([1.0, 9.0])}, 4545)
    style = Graduated(
        "v", [0.0, 5.0, 10.0], [SingleSymbol(fill="#d7191c"), SingleSymbol(fill="#1a9641")]
    )
    layer = MemoryLayer.of(src, "cells", style=style)
    spec = layer_spec(layer.snapshot())
    assert spec["store_url"] is None and snapshot_from_spec(spec).store.ids.tolist() == [1, 2]
    view = MapView.fit((0, 0, 200, 100), 200, 100)
    pool = shared_pool()
    raw = pool.render(layer.snapshot(), view, frozenset(), pool.epoch).result(timeout=60)
    image = image_from_raw(raw[:4])
    for x, colour in ((50, "#d7191c"), (150, "#1a9641")):
        px, py = view.to_pixels(x, 50)
        assert image.pixelColor(round(float(px)), round(float(py))) == QColor(colour)
