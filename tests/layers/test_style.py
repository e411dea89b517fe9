"""Styles: JSON round trips, classification, legends."""

import json

import numpy as np
import pytest

from layers.model import default_style
from layers.style import (
    Categorized,
    Graduated,
    LabelStyle,
    SingleSymbol,
    classify,
    legend_entries,
    style_from_dict,
)


@pytest.mark.parametrize(
    "kind",
    ["communities", "grid_cells", "streets", "buildings", "facilities", "cameras", "sensors"],
)
def test_default_styles_survive_json(kind):
    style, label = default_style(kind)
    again = style_from_dict(json.loads(json.dumps(style.to_dict(), ensure_ascii=False)))
    assert again == style
    if label is not None:
        assert LabelStyle.from_dict(json.loads(json.dumps(label.to_dict()))) == label


def test_graduated_round_trip_and_classes():
    g = Graduated.from_values("residents", [0, 1, 2, 3, 10, 20, 50, 100], 4, "quantile")
    assert style_from_dict(json.loads(json.dumps(g.to_dict()))) == g
    assert len(g.breaks) == len(g.symbols) + 1
    cls = g.class_of([0, 100, None, 1000, -5])
    assert cls.tolist()[:2] == [0, len(g.symbols) - 1]
    assert cls[2] == -1  # missing
    assert cls[3] == len(g.symbols) - 1 and cls[4] == 0  # outside the edges: first / last class


def test_classify_methods():
    values = np.arange(1, 101)
    assert classify(values, 4, "equal_interval") == [1.0, 25.75, 50.5, 75.25, 100.0]
    q = classify(values, 4, "quantile")
    assert q[0] == 1 and q[-1] == 100 and q[2] == pytest.approx(50.5)
    assert classify([5, 5, 5], 3) == [5.0, 6.0]
    with pytest.raises(ValueError):
        classify(values, 3, "jenks-ish")


def test_legend_entries():
    red, blue, grey = SingleSymbol(fill="#ff0000"), SingleSymbol(fill="#0000ff"), SingleSymbol()
    cat = Categorized("use", {"residential": red, "public": blue}, grey, {"public": "公共"})
    assert legend_entries(cat) == [("residential", red), ("公共", blue), ("other", grey)]
    g = Graduated("n", [0, 10, 100], [red, blue])
    assert [label for label, _ in legend_entries(g)] == ["0 – 10", "10 – 100"]
    assert legend_entries(red) == [("", red)]


def test_graduated_needs_one_more_break_than_symbols():
    with pytest.raises(ValueError):
        Graduated("n", [0, 1], [SingleSymbol(), SingleSymbol()])
