"""The map view: which part of the working CRS a map image shows, and at what scale.

A :class:`MapView` is immutable, so a render job can hold one while the user keeps panning. It maps
working-CRS metres to image pixels (x to the right, y downwards) and back, on numpy arrays.

>>> v = MapView.fit((0, 0, 1000, 500), 200, 100)
>>> v.scale, v.bbox
(5.0, (0.0, 0.0, 1000.0, 500.0))
>>> v.to_pixels(np.array([0.0]), np.array([500.0]))
(array([0.]), array([0.]))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

__all__ = ["MapView"]


@dataclass(frozen=True)
class MapView:
    """A ``width`` × ``height`` pixel image centred on (``center_x``, ``center_y``).

    ``scale`` is map metres per pixel; a larger scale shows more of the map.
    """

    center_x: float
    center_y: float
    scale: float
    width: int
    height: int

    def __post_init__(self) -> None:
        if not (self.scale > 0 and np.isfinite(self.scale)):
            raise ValueError(
                f"scale must be a positive number of metres per pixel, not {self.scale}"
            )
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"view size must be positive, not {self.width}x{self.height}")

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) of the area the image shows, in the working CRS."""
        hw = self.width * self.scale / 2.0
        hh = self.height * self.scale / 2.0
        return (self.center_x - hw, self.center_y - hh, self.center_x + hw, self.center_y + hh)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def to_pixels(self, x, y):
        """Map coordinates → pixel coordinates (floats; (0, 0) is the top-left corner)."""
        minx, _, _, maxy = self.bbox
        inv = 1.0 / self.scale
        return (np.asarray(x, dtype=float) - minx) * inv, (maxy - np.asarray(y, dtype=float)) * inv

    def to_map(self, px, py):
        """Pixel coordinates → map coordinates (the inverse of :meth:`to_pixels`)."""
        minx, _, _, maxy = self.bbox
        return minx + np.asarray(px, dtype=float) * self.scale, maxy - np.asarray(
            py, dtype=float
        ) * self.scale

    def zoomed(self, factor: float, anchor_px: tuple[float, float] | None = None) -> MapView:
        """Zoom in by ``factor`` (> 1 zooms in, < 1 out), keeping ``anchor_px`` (default: the
        centre) on the same map point — wheel zoom around the cursor."""
        if not factor > 0:
            raise ValueError(f"zoom factor must be positive, not {factor}")
        scale = self.scale / factor
        if anchor_px is None:
            return replace(self, scale=scale)
        ax, ay = (float(v) for v in anchor_px)
        mx, my = self.to_map(ax, ay)
        # The anchor's map point must stay under the same pixel at the new scale.
        cx = float(mx) - (ax - self.width / 2.0) * scale
        cy = float(my) + (ay - self.height / 2.0) * scale
        return replace(self, center_x=cx, center_y=cy, scale=scale)

    def panned(self, dx_px: float, dy_px: float) -> MapView:
        """The view after dragging the map content by (``dx_px``, ``dy_px``) pixels: what was
        under pixel (x, y) is then under (x + dx, y + dy)."""
        return replace(
            self,
            center_x=self.center_x - dx_px * self.scale,
            center_y=self.center_y + dy_px * self.scale,
        )

    def resized(self, width: int, height: int) -> MapView:
        """The same centre and scale on an image of another size (a resized canvas)."""
        return replace(self, width=int(width), height=int(height))

    @classmethod
    def fit(cls, bbox: Sequence[float], width: int, height: int, margin: float = 0.0) -> MapView:
        """The view of ``width`` × ``height`` pixels that shows all of ``bbox`` (plus ``margin``
        as a fraction of its size on each side), centred on it."""
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        if not (minx <= maxx and miny <= maxy):
            raise ValueError(f"bbox {tuple(bbox)} has min greater than max")
        w = (maxx - minx) * (1 + 2 * margin)
        h = (maxy - miny) * (1 + 2 * margin)
        scale = max(w / width, h / height)
        if not scale > 0:
            scale = 1.0  # a point or empty extent: 1 m per pixel around it
        return cls((minx + maxx) / 2.0, (miny + maxy) / 2.0, scale, int(width), int(height))
