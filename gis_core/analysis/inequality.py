"""Inequality of an accessibility surface: population-weighted Gini, Theil T and the Lorenz curve.

Each person counts once: a building's accessibility is weighted by its demand (residents of the
group). With unit weights the figures equal PySAL ``inequality``'s ``Gini`` and ``Theil``.

>>> round(gini([1.0, 1.0, 4.0]), 4)
0.3333
"""

from __future__ import annotations

import numpy as np

from gis_core.analysis.feedback import AnalysisError

__all__ = ["gini", "theil", "lorenz_curve"]


def _clean(values, weights) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=np.float64).ravel()
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    if x.shape != w.shape:
        raise AnalysisError("values and weights must have the same length")
    keep = (w > 0) & np.isfinite(x) & np.isfinite(w)
    x, w = x[keep], w[keep]
    if np.any(x < 0):
        raise AnalysisError("inequality measures need non-negative values")
    return x, w


def gini(values, weights=None) -> float:
    """Weighted Gini: Σᵢⱼ wᵢwⱼ|xᵢ−xⱼ| / (2 W² μ); 0 = equal, → 1 = all to one. NaN if Σwx = 0."""
    x, w = _clean(values, weights)
    total = float(np.dot(w, x))
    if len(x) == 0 or total <= 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cum = np.cumsum(w)
    big_w = cum[-1]
    # Σᵢ wᵢxᵢ(W_<ᵢ − W_>ᵢ) over the sorted values, with W_<ᵢ = Cᵢ − wᵢ and W_>ᵢ = W − Cᵢ.
    return float(np.dot(w * x, 2.0 * cum - w - big_w) / (big_w * total))


def theil(values, weights=None) -> float:
    """Weighted Theil T: Σᵢ (wᵢxᵢ/Σwx) ln(xᵢ/μ); zero values contribute 0 (x ln x → 0)."""
    x, w = _clean(values, weights)
    total = float(np.dot(w, x))
    if len(x) == 0 or total <= 0:
        return float("nan")
    mu = total / w.sum()
    pos = x > 0
    share = w[pos] * x[pos] / total
    return float(np.sum(share * np.log(x[pos] / mu)))


def lorenz_curve(values, weights=None, points: int | None = 201) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative population share (x) against cumulative share of the total (y), from (0, 0).

    With ``points`` the curve is sampled at that many evenly spaced population shares (exact at
    each, since the curve is piecewise linear between people); ``None`` returns every vertex.
    """
    x, w = _clean(values, weights)
    total = float(np.dot(w, x))
    if len(x) == 0 or total <= 0:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0])
    order = np.argsort(x, kind="stable")
    px = np.r_[0.0, np.cumsum(w[order]) / w.sum()]
    py = np.r_[0.0, np.cumsum(w[order] * x[order]) / total]
    if points is None:
        return px, py
    grid = np.linspace(0.0, 1.0, points)
    return grid, np.interp(grid, px, py)
