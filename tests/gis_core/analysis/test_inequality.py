"""Gini and Theil equal PySAL ``inequality`` with unit weights (Mexico's state GDP per capita);
weights count people; the Lorenz curve ends where it should."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis_core.analysis.feedback import AnalysisError
from gis_core.analysis.inequality import gini, lorenz_curve, theil

inequality = pytest.importorskip("inequality")


@pytest.fixture(scope="module")
def mexico() -> pd.DataFrame:
    examples = pytest.importorskip("libpysal.examples")
    try:
        path = examples.get_path("mexico.csv")
    except Exception as exc:  # not bundled in this libpysal build
        pytest.skip(f"libpysal has no bundled mexico.csv: {exc}")
    return pd.read_csv(path)


@pytest.mark.parametrize("year", [1940, 1970, 2000])
def test_unit_weights_equal_pysal(mexico, year):
    y = mexico[f"pcgdp{year}"].to_numpy()
    assert gini(y) == pytest.approx(inequality.gini.Gini(y).g, rel=1e-12)
    assert theil(y) == pytest.approx(inequality.theil.Theil(y).T, rel=1e-12)


def test_weights_count_people():
    rng = np.random.default_rng(0)
    x = rng.gamma(2.0, 1.0, 200)
    w = rng.integers(1, 6, 200)
    expanded = np.repeat(x, w)  # one entry per person
    assert gini(x, w) == pytest.approx(inequality.gini.Gini(expanded).g, rel=1e-12)
    assert theil(x, w) == pytest.approx(inequality.theil.Theil(expanded).T, rel=1e-12)


def test_hand_cases():
    assert gini([5, 5, 5]) == 0.0
    assert theil([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)
    # One of n holds everything: Gini = (n-1)/n, Theil = ln n.
    assert gini([0, 0, 0, 8]) == pytest.approx(0.75)
    assert theil([0, 0, 0, 8]) == pytest.approx(np.log(4))
    x, y = lorenz_curve([0, 0, 0, 8], points=None)
    assert x.tolist() == [0, 0.25, 0.5, 0.75, 1.0] and y.tolist() == [0, 0, 0, 0, 1.0]
    gx, gy = lorenz_curve([1, 2, 3, 4], points=5)
    assert gx.tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert gy.tolist() == pytest.approx([0, 0.1, 0.3, 0.6, 1.0])


def test_gini_from_lorenz_area():
    rng = np.random.default_rng(1)
    x, w = rng.lognormal(0, 1, 500), rng.integers(1, 9, 500)
    lx, ly = lorenz_curve(x, w, points=None)
    area = np.sum((lx[1:] - lx[:-1]) * (ly[1:] + ly[:-1]) / 2)
    assert gini(x, w) == pytest.approx(1 - 2 * area, rel=1e-10)


def test_negative_values_are_refused():
    with pytest.raises(AnalysisError, match="non-negative"):
        gini([1, -1])
