"""In-memory layers (analysis results): the store's read-only queries answered from arrays, drawn
by the same renderer in the layer's colours, and carried to render processes by value."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor

from layers.memory import MemoryLayer, MemorySource, geometry_type_of
from layers.render import ensure_gui_app, hit_test, render_layer
from layers.style import Graduated, SingleSymbol
from layers.view import MapView

# Four 100 m squares in a row, values 1..4; one point.
SQUARES = shapely.box(np.arange(4) * 100.0, 0.0, np.arange(4) * 100.0 + 100.0, 100.0)
COLOURS = ["#d7191c", "#fdae61", "#a6d96a", "#1a9641"]


def squares() -> MemorySource:
    return MemorySource(
        "result.cells",
        [10, 11, 12, 13],
        SQUARES,
        {
            "value": np.array([1.0, 2.0, np.nan, 4.0]),
            "code": np.array(["A-1", "A-2", "B-1", None], dtype=object),
        },
        srid=4545,
    )


def graduated() -> Graduated:
    return Graduated(
        "value",
        [0.5, 1.5, 2.5, 3.5, 4.5],
        [SingleSymbol(fill=c, stroke="#333333", stroke_width=0.5) for c in COLOURS],
        SingleSymbol(fill="#bdbdbd"),
    )


def test_store_queries_from_arrays():
    src = squares()
    assert src.extent() == (0.0, 0.0, 400.0, 100.0)
    assert src.geometry_type == "POLYGON"
    f = src.query_bbox(src.kind, (150, 10, 160, 20), ["value"])
    assert f.ids.tolist() == [11] and f.columns["value"].tolist() == [2.0]
    assert src.query_bbox(src.kind, (100, 0, 100, 0)).ids.tolist() == [10, 11]  # touching
    assert src.features(src.kind, [13, 10], ["code"]).ids.tolist() == [10, 13]
    assert src.attribute_names() == ["value", "code"]
    assert src.count_where(src.kind, [("value", ">=", 2)]) == 2
    assert src.count_where(src.kind, [("value", "is null", None)]) == 1
    assert src.count_where(src.kind, [("code", "contains", "a-")]) == 2
    assert src.count_where(src.kind, [("code", "starts", "B")]) == 1
    page = src.page(src.kind, ["value"], 0, 10, [("value", True)])
    assert page.ids.tolist() == [13, 11, 10, 12]  # missing last
    assert src.page(src.kind, ["value"], 1, 2, [("value", False)]).ids.tolist() == [11, 13]
    assert src.distinct(src.kind, "code") == ["A-1", "A-2", "B-1"]
    grid = src.density(src.kind, (0, 0, 400, 100), (1, 4))
    assert grid.tolist() == [[1, 1, 1, 1]]
    with pytest.raises(ValueError):
        MemorySource("x", [1, 2], SQUARES)


def test_new_values_share_the_geometry_and_pickle_by_value():
    src = squares()
    again = src.with_columns(value=np.array([4.0, 3.0, 2.0, 1.0]))
    assert again.geometry is src.geometry and again.url == src.url
    assert src.columns["value"][0] == 1.0 and again.columns["value"][0] == 4.0
    copy = pickle.loads(pickle.dumps(again))
    assert copy.ids.tolist() == again.ids.tolist()
    assert shapely.equals(copy.geometry, again.geometry).all()
    assert copy.query_bbox(copy.kind, (310, 10, 320, 20), ["value"]).columns["value"][0] == 1.0
    assert geometry_type_of(shapely.points([(0, 0)])) == "POINT"
    assert geometry_type_of(np.array([shapely.MultiPolygon([SQUARES[0]]), SQUARES[1]])) == (
        "MULTIPOLYGON"
    )


def test_a_memory_layer_is_drawn_in_its_class_colours():
    ensure_gui_app()
    layer = MemoryLayer.of(squares(), "cells", style=graduated(), title="Cells")
    assert layer.transient and layer.to_dict()["transient"] is True
    assert layer.extent() == (0.0, 0.0, 400.0, 100.0)
    view = MapView.fit((0, 0, 400, 100), 400, 100)
    image = render_layer(layer.snapshot(), view)
    for k, expected in enumerate([COLOURS[0], COLOURS[1], "#bdbdbd", COLOURS[3]]):
        px, py = view.to_pixels(50 + 100 * k, 50)
        got = image.pixelColor(round(float(px)), round(float(py)))
        assert got == QColor(expected), (k, got.name())
    px, py = view.to_pixels(250, 50)
    assert hit_test(layer.snapshot(), view, float(px), float(py)) == 12
    # A what-if: new values, same classes, re-drawn.
    layer.set_source(layer.source.with_columns(value=np.array([4.0, 4.0, 4.0, 4.0])))
    image = render_layer(layer.snapshot(), view)
    px, py = view.to_pixels(50, 50)
    assert image.pixelColor(round(float(px)), round(float(py))) == QColor(COLOURS[3])
