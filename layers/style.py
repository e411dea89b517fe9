"""Layer styles: single symbol, categorised and graduated renderers, labels, and their legends.

Styles are plain frozen dataclasses with no Qt, JSON-serialisable through ``to_dict`` /
``style_from_dict`` so they can be saved with the store or in a project file.

>>> s = Categorized("use", {"residential": SingleSymbol(fill="#e0c8a8")}, SingleSymbol())
>>> style_from_dict(s.to_dict()) == s
True
>>> classify([1, 2, 3, 4, 5, 6, 7, 8], 4, "equal_interval")
[1.0, 2.75, 4.5, 6.25, 8.0]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "SingleSymbol",
    "Categorized",
    "Graduated",
    "LabelStyle",
    "Style",
    "MARKERS",
    "classify",
    "color_ramp",
    "legend_entries",
    "style_from_dict",
    "label_from_dict",
    "required_columns",
]

MARKERS = ("circle", "square", "diamond", "triangle", "pin")


@dataclass(frozen=True)
class SingleSymbol:
    """How one feature is drawn.

    Colours are ``#rrggbb`` or ``#aarrggbb`` (Qt's order). ``fill`` None draws no fill (outline
    only; lines never fill). ``stroke_width`` and ``marker_size`` are in pixels. Points are drawn
    as ``marker`` (one of MARKERS) with an optional ``icon`` glyph (e.g. "医") on top.
    """

    fill: str | None = "#cccccc"
    stroke: str = "#555555"
    stroke_width: float = 1.0
    marker_size: float = 8.0
    marker: str = "circle"
    icon: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": "single", **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SingleSymbol:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Categorized:
    """One symbol per value of ``field`` (e.g. building use, facility kind); others get
    ``default``. ``labels`` optionally names categories in the legend."""

    field: str
    categories: dict[str, SingleSymbol]
    default: SingleSymbol = field(default_factory=SingleSymbol)
    labels: dict[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:  # dict fields: hash by identity of the serialised form
        return hash(repr(self.to_dict()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "categorized",
            "field": self.field,
            "categories": {k: v.to_dict() for k, v in self.categories.items()},
            "default": self.default.to_dict(),
            "labels": dict(self.labels),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Categorized:
        return cls(
            data["field"],
            {str(k): SingleSymbol.from_dict(v) for k, v in data["categories"].items()},
            SingleSymbol.from_dict(data.get("default", {})),
            dict(data.get("labels", {})),
        )


@dataclass(frozen=True)
class Graduated:
    """Classes of a numeric ``field``: ``breaks`` are the class edges (len(symbols) + 1 values,
    ascending); class i holds ``breaks[i] <= v < breaks[i + 1]`` (the last class includes its
    upper edge; values outside the edges fall into the first or last class, missing values get
    ``missing``)."""

    field: str
    breaks: list[float]
    symbols: list[SingleSymbol]
    missing: SingleSymbol | None = None

    def __post_init__(self) -> None:
        if len(self.breaks) != len(self.symbols) + 1:
            raise ValueError(
                f"a graduated style needs {len(self.symbols) + 1} breaks for "
                f"{len(self.symbols)} symbols, got {len(self.breaks)}"
            )
        if any(b > a for a, b in zip(self.breaks[1:], self.breaks[:-1])):
            raise ValueError(f"breaks must be ascending: {self.breaks}")

    def __hash__(self) -> int:
        return hash(repr(self.to_dict()))

    def class_of(self, values) -> np.ndarray:
        """The class index of each value (-1 for missing / NaN)."""
        v = np.asarray(values, dtype=object)
        num = np.full(len(v), np.nan)
        ok = np.array([x is not None for x in v], dtype=bool) if len(v) else np.zeros(0, bool)
        if ok.any():
            num[ok] = v[ok].astype(float)
        inner = np.asarray(self.breaks[1:-1], dtype=float)
        idx = np.searchsorted(inner, num, side="right")
        return np.where(np.isnan(num), -1, idx).astype(np.int64)

    @classmethod
    def from_values(
        cls,
        field: str,
        values,
        n_classes: int = 5,
        method: str = "quantile",
        ramp: tuple[str, str] = ("#fff5eb", "#d94801"),
        template: SingleSymbol | None = None,
    ) -> Graduated:
        """Classify ``values`` (see :func:`classify`) and colour the classes along ``ramp``."""
        breaks = classify(values, n_classes, method)
        base = template or SingleSymbol(stroke="#8c6d5a", stroke_width=0.8)
        colors = color_ramp(ramp[0], ramp[1], len(breaks) - 1)
        symbols = [SingleSymbol(**{**asdict(base), "fill": c}) for c in colors]
        return cls(field, breaks, symbols)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "graduated",
            "field": self.field,
            "breaks": [float(b) for b in self.breaks],
            "symbols": [s.to_dict() for s in self.symbols],
            "missing": None if self.missing is None else self.missing.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Graduated:
        missing = data.get("missing")
        return cls(
            data["field"],
            [float(b) for b in data["breaks"]],
            [SingleSymbol.from_dict(s) for s in data["symbols"]],
            None if missing is None else SingleSymbol.from_dict(missing),
        )


Style = SingleSymbol | Categorized | Graduated


@dataclass(frozen=True)
class LabelStyle:
    """Text from ``field`` drawn at each feature (polygons: an interior point), ``font_px`` high,
    with a ``halo`` outline for legibility. Labels are shown only when the view's scale is at most
    ``max_scale`` metres per pixel (None: always) and never overlap each other."""

    field: str
    font_px: int = 12
    color: str = "#222222"
    halo: str | None = "#ffffff"
    max_scale: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelStyle:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def style_from_dict(data: dict[str, Any]) -> Style:
    """The style a ``to_dict()`` produced (dispatch on its ``type``)."""
    kind = data.get("type", "single")
    if kind == "single":
        return SingleSymbol.from_dict(data)
    if kind == "categorized":
        return Categorized.from_dict(data)
    if kind == "graduated":
        return Graduated.from_dict(data)
    raise ValueError(f"unknown style type {kind!r}")


def label_from_dict(data: dict[str, Any] | None) -> LabelStyle | None:
    return None if data is None else LabelStyle.from_dict(data)


def classify(values, n_classes: int = 5, method: str = "quantile") -> list[float]:
    """Class edges (``n_classes + 1`` ascending values) for ``values``.

    ``method`` is ``"quantile"`` (about as many features per class; repeated edges are merged,
    so fewer classes may come back) or ``"equal_interval"`` (classes of equal width).
    """
    arr = np.asarray([v for v in np.asarray(values, dtype=object).ravel() if v is not None], float)
    arr = arr[np.isfinite(arr)]
    if n_classes < 1:
        raise ValueError("n_classes must be at least 1")
    if arr.size == 0:
        return [0.0, 1.0]
    lo, hi = float(arr.min()), float(arr.max())
    if lo == hi:
        return [lo, hi + 1.0]
    if method == "equal_interval":
        edges = np.linspace(lo, hi, n_classes + 1)
    elif method == "quantile":
        edges = np.unique(np.quantile(arr, np.linspace(0.0, 1.0, n_classes + 1)))
    else:
        raise ValueError(f"unknown classification method {method!r}: quantile or equal_interval")
    return [float(e) for e in edges]


def color_ramp(start: str, end: str, n: int) -> list[str]:
    """``n`` colours from ``start`` to ``end`` (``#rrggbb``), interpolated in RGB."""

    def rgb(c: str) -> np.ndarray:
        c = c.lstrip("#")[-6:]
        return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], float)

    a, b = rgb(start), rgb(end)
    steps = [0.5] if n == 1 else np.linspace(0.0, 1.0, n)
    return ["#{:02x}{:02x}{:02x}".format(*np.rint(a + (b - a) * t).astype(int)) for t in steps]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}".rstrip("0").rstrip(".")


def legend_entries(style: Style) -> list[tuple[str, SingleSymbol]]:
    """(label, symbol) rows for a legend, in drawing order of the classes."""
    if isinstance(style, SingleSymbol):
        return [("", style)]
    if isinstance(style, Categorized):
        rows = [(style.labels.get(k, k), s) for k, s in style.categories.items()]
        return rows + [(style.labels.get("", "other"), style.default)]
    if isinstance(style, Graduated):
        b = style.breaks
        rows = [(f"{_fmt(b[i])} – {_fmt(b[i + 1])}", s) for i, s in enumerate(style.symbols)]
        if style.missing is not None:
            rows.append(("no data", style.missing))
        return rows
    raise TypeError(f"not a style: {style!r}")


def required_columns(style: Style, label: LabelStyle | None = None) -> tuple[str, ...]:
    """The attribute columns a render of this style and label needs from the store."""
    cols: list[str] = []
    if isinstance(style, Categorized | Graduated):
        cols.append(style.field)
    if label is not None and label.field not in cols:
        cols.append(label.field)
    return tuple(cols)
