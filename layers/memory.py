"""In-memory layers: features held in arrays (an analysis result, a comparison) instead of a store table.

A :class:`MemorySource` answers the read-only part of :class:`gis_core.store.Store` that the
renderer, identify, attribute tables and style dialogs use — ``extent``, ``query_bbox``,
``features``, ``density``, ``attribute_names``, ``page``, ``count_where``, ``distinct`` — from
ids, a shapely geometry array and numpy attribute columns (the shape of a
:class:`~gis_core.store.FeatureFrame`). A source never changes; :meth:`MemorySource.with_columns`
makes a new one that shares the geometry (and its bounds and encoded form), so a what-if that
changes values re-renders without re-encoding footprints.

A source pickles by value (geometries as WKB, encoded once per geometry set), so render jobs in
worker processes (``desktop.render_pool``) paint it like a store layer; a process that has seen a
geometry set before reuses its decoded copy. :class:`MemoryLayer` is a
:class:`~layers.model.VectorLayer` over a source; it is ``transient`` (not saved with the styles).

>>> import shapely
>>> src = MemorySource("result", [1, 2], shapely.points([(0, 0), (10, 10)]), {"v": [0.5, 2.0]})
>>> len(src.query_bbox("result", (-1, -1, 1, 1), ["v"]))
1
>>> src.with_columns(v=[1.0, 3.0]).features("result", [2], ["v"]).columns["v"].tolist()
[3.0]
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from gis_core.store import FeatureFrame
from layers.model import VectorLayer

__all__ = ["MemorySource", "MemoryLayer", "geometry_type_of"]

_tokens = itertools.count(1)
_token_lock = threading.Lock()
_OPS = ("=", "!=", "<", "<=", ">", ">=", "contains", "starts", "is null", "not null")


def _new_token() -> str:
    import os

    with _token_lock:
        return f"{os.getpid()}-{next(_tokens)}"


def geometry_type_of(geometry: np.ndarray) -> str:
    """The layer geometry type (``POINT``, ``LINESTRING``, ``POLYGON`` or their ``MULTI`` form) of
    an array of geometries; polygons win over lines over points when they are mixed."""
    ids = shapely.get_type_id(np.asarray(geometry, dtype=object))
    ids = ids[ids >= 0]
    present = set(np.unique(ids).tolist())
    if present & {3, 6, 7}:
        return "MULTIPOLYGON" if present & {6, 7} else "POLYGON"
    if present & {1, 2, 5}:
        return "MULTILINESTRING" if 5 in present else "LINESTRING"
    if present & {4}:
        return "MULTIPOINT"
    return "POINT"


class _Geometry:
    """A geometry set shared by the sources made from one another: bounds, extent, WKB."""

    __slots__ = ("token", "geometry", "bounds", "extent", "_wkb", "_lock")

    def __init__(self, geometry: np.ndarray, token: str | None = None):
        self.token = token or _new_token()
        self.geometry = geometry
        b = shapely.bounds(geometry) if len(geometry) else np.empty((0, 4))
        self.bounds = b
        ok = np.isfinite(b).all(axis=1)
        self.extent = (
            (
                float(b[ok, 0].min()),
                float(b[ok, 1].min()),
                float(b[ok, 2].max()),
                float(b[ok, 3].max()),
            )
            if ok.any()
            else None
        )
        self._wkb: np.ndarray | None = None
        self._lock = threading.Lock()

    def wkb(self) -> np.ndarray:
        with self._lock:
            if self._wkb is None:
                self._wkb = shapely.to_wkb(self.geometry)
            return self._wkb


# Geometry sets decoded in this process (render workers), by token: the same result is painted
# at every pan and zoom, so its footprints are decoded once, not once per job.
_decoded: OrderedDict[str, _Geometry] = OrderedDict()
_decoded_lock = threading.Lock()
_DECODED_MAX = 16


def _geometry_from_state(token: str, wkb: np.ndarray) -> _Geometry:
    with _decoded_lock:
        geo = _decoded.get(token)
        if geo is not None:
            _decoded.move_to_end(token)
            return geo
    geo = _Geometry(shapely.from_wkb(wkb), token)
    geo._wkb = wkb
    with _decoded_lock:
        _decoded[token] = geo
        while len(_decoded) > _DECODED_MAX:
            _decoded.popitem(last=False)
    return geo


class MemorySource:
    """Features of one in-memory layer, answering the read-only queries of a store.

    ``kind`` names the layer's features (unique among a map's layers, as store kinds are);
    ``columns`` map attribute names to arrays as long as ``ids``.
    """

    portable = True  # sent to render processes by value (see desktop.render_pool.layer_spec)
    backend = "memory"

    def __init__(
        self,
        kind: str,
        ids: Sequence[int] | np.ndarray,
        geometry: Sequence[Any] | np.ndarray,
        columns: dict[str, Sequence[Any] | np.ndarray] | None = None,
        srid: int | None = None,
        geometry_type: str | None = None,
        _shared: _Geometry | None = None,
    ):
        self.kind = str(kind)
        self.ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if _shared is None:
            geom = np.asarray(geometry, dtype=object).reshape(-1)
            _shared = _Geometry(geom)
        self._geo = _shared
        n = len(self.ids)
        if len(self._geo.geometry) != n:
            raise ValueError(f"{n} ids but {len(self._geo.geometry)} geometries")
        cols: dict[str, np.ndarray] = {}
        for name, values in (columns or {}).items():
            arr = np.asarray(values)
            if arr.ndim != 1 or len(arr) != n:
                raise ValueError(f"column {name!r} has {arr.shape} values for {n} features")
            cols[str(name)] = arr
        self.columns = cols
        self.srid = srid
        self.geometry_type = geometry_type or geometry_type_of(self._geo.geometry)

    # ----------------------------------------------------------- identity
    @property
    def url(self) -> str:
        return f"memory://{self.kind}/{self._geo.token}"

    @property
    def geometry(self) -> np.ndarray:
        return self._geo.geometry

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"MemorySource({self.kind!r}, {len(self)} features, columns={list(self.columns)})"

    def with_columns(self, **columns: Sequence[Any] | np.ndarray) -> MemorySource:
        """A new source with these columns replaced or added; the geometry is shared."""
        return MemorySource(
            self.kind,
            self.ids,
            None,  # type: ignore[arg-type]
            {**self.columns, **columns},
            self.srid,
            self.geometry_type,
            _shared=self._geo,
        )

    def close(self) -> None:
        pass

    # ----------------------------------------------------------- what a render asks
    def extent(self, kind: str | None = None) -> tuple[float, float, float, float] | None:
        return self._geo.extent

    def count(self, kind: str | None = None) -> int:
        return len(self.ids)

    def _frame(self, mask_or_index, columns: Sequence[str]) -> FeatureFrame:
        cols = {c: self._column(c)[mask_or_index] for c in columns}
        return FeatureFrame(
            self.kind, self.ids[mask_or_index], self._geo.geometry[mask_or_index], cols, self.srid
        )

    def _column(self, name: str) -> np.ndarray:
        if name == "id":
            return self.ids
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(f"{self.kind} has no attribute column {name!r}") from None

    def query_bbox(
        self,
        kind: str,
        bbox: Sequence[float],
        columns: Sequence[str] = (),
        limit: int | None = None,
    ) -> FeatureFrame:
        """Features whose bounding box intersects ``bbox`` (boxes that touch count)."""
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        b = self._geo.bounds
        hit = np.flatnonzero(
            (b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny)
        )
        if limit is not None:
            hit = hit[: int(limit)]
        return self._frame(hit, columns)

    def query_all(self, kind: str | None = None, columns: Sequence[str] = ()) -> FeatureFrame:
        return self._frame(slice(None), columns)

    def features(self, kind: str, ids: Sequence[int], columns: Sequence[str] = ()) -> FeatureFrame:
        wanted = np.asarray(list(ids), dtype=np.int64)
        return self._frame(np.flatnonzero(np.isin(self.ids, wanted)), columns)

    def density(self, kind: str, bbox: Sequence[float], shape: tuple[int, int]) -> np.ndarray:
        """Feature counts on a (rows, cols) grid over ``bbox``, row 0 at the south, by the centre
        of each feature's bounding box (as :meth:`Store.density`)."""
        ny, nx = int(shape[0]), int(shape[1])
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        b = self._geo.bounds
        ok = np.isfinite(b).all(axis=1)
        cx = (b[ok, 0] + b[ok, 2]) * 0.5
        cy = (b[ok, 1] + b[ok, 3]) * 0.5
        grid, _, _ = np.histogram2d(cy, cx, bins=(ny, nx), range=((miny, maxy), (minx, maxx)))
        return grid.astype(np.int64)

    # ----------------------------------------------------------- what panels ask
    def attribute_names(self, kind: str | None = None) -> list[str]:
        return list(self.columns)

    def _mask(self, filter: Sequence[tuple[str, str, Any]]) -> np.ndarray:
        keep = np.ones(len(self.ids), bool)
        for column, op, value in filter:
            if op not in _OPS:
                raise ValueError(f"unknown filter operator {op!r}; known: {', '.join(_OPS)}")
            v = self._column(column)
            missing = _missing(v)
            if op in ("is null", "not null"):
                keep &= missing if op == "is null" else ~missing
            elif op in ("contains", "starts"):
                text = np.char.lower(
                    np.asarray([("" if m else str(x)) for x, m in zip(v, missing)])
                )
                needle = str(value).lower()
                hit = (
                    np.char.find(text, needle) >= 0
                    if op == "contains"
                    else np.char.startswith(text, needle)
                )
                keep &= hit & ~missing
            else:
                ref = _coerce_like(v, value)
                with np.errstate(invalid="ignore"):
                    cmp = {
                        "=": np.equal,
                        "!=": np.not_equal,
                        "<": np.less,
                        "<=": np.less_equal,
                        ">": np.greater,
                        ">=": np.greater_equal,
                    }[op](v[~missing], ref)
                part = np.zeros(len(v), bool)
                part[~missing] = np.asarray(cmp, dtype=bool)
                keep &= part
        return keep

    def page(
        self,
        kind: str,
        columns: Sequence[str] = (),
        offset: int = 0,
        limit: int = 500,
        order_by: Sequence[tuple[str, bool]] = (),
        filter: Sequence[tuple[str, str, Any]] = (),
    ) -> FeatureFrame:
        """One page of rows without geometry (see :meth:`Store.page`); missing values sort last."""
        rows = np.flatnonzero(self._mask(filter))
        # Stable sorts from the last key to the first, ids breaking ties (as the store's ORDER BY).
        rows = rows[np.argsort(self.ids[rows], kind="stable")]
        for column, desc in reversed(list(order_by)):
            v = self._column(column)[rows]
            missing = _missing(v)
            key = np.where(missing, 0, v) if v.dtype.kind in "fiub" else v.astype(str)
            order = _stable_desc(key) if desc else np.argsort(key, kind="stable")
            order = np.concatenate([order[~missing[order]], order[missing[order]]])
            rows = rows[order]
        rows = rows[int(offset) : int(offset) + int(limit)]
        cols = {c: self._column(c)[rows] for c in columns}
        return FeatureFrame(kind, self.ids[rows], np.empty(0, dtype=object), cols, self.srid)

    def count_where(self, kind: str, filter: Sequence[tuple[str, str, Any]] = ()) -> int:
        return int(self._mask(filter).sum())

    def distinct(self, kind: str, column: str, limit: int = 100) -> list:
        v = self._column(column)
        v = v[~_missing(v)]
        if len(v) == 0:
            return []
        values, counts = np.unique(v, return_counts=True)
        order = np.lexsort((values, -counts))
        return [x.item() if isinstance(x, np.generic) else x for x in values[order][:limit]]

    def search(self, text: str, kinds=None, limit: int = 20) -> list:
        return []

    # ----------------------------------------------------------- pickling
    def __getstate__(self) -> dict:
        return {
            "kind": self.kind,
            "ids": self.ids,
            "columns": self.columns,
            "srid": self.srid,
            "geometry_type": self.geometry_type,
            "token": self._geo.token,
            "wkb": self._geo.wkb(),
        }

    def __setstate__(self, state: dict) -> None:
        self.kind = state["kind"]
        self.ids = state["ids"]
        self.columns = state["columns"]
        self.srid = state["srid"]
        self.geometry_type = state["geometry_type"]
        self._geo = _geometry_from_state(state["token"], state["wkb"])


def _missing(v: np.ndarray) -> np.ndarray:
    if v.dtype.kind == "f":
        return np.isnan(v)
    if v.dtype.kind == "O":
        return np.array(
            [x is None or (isinstance(x, float) and math.isnan(x)) for x in v], dtype=bool
        )
    return np.zeros(len(v), bool)


def _coerce_like(column: np.ndarray, value: Any) -> Any:
    if column.dtype.kind in "fiu":
        try:
            return float(value)
        except (TypeError, ValueError):
            return np.nan
    return str(value) if column.dtype.kind in "OUS" else value


def _stable_desc(key: np.ndarray) -> np.ndarray:
    """Indices sorting ``key`` descending, equal keys keeping their order."""
    order = np.argsort(key, kind="stable")
    # Reverse the groups of equal keys but not the order inside each group.
    ranks = np.empty(len(key), np.int64)
    _, inverse = np.unique(key[order], return_inverse=True)
    ranks[order] = inverse
    return np.lexsort((np.arange(len(key)), -ranks))


@dataclass(eq=False)
class MemoryLayer(VectorLayer):
    """A map layer over a :class:`MemorySource` — drawn, identified and styled like any layer,
    never saved with the store's layer styles (``transient``)."""

    transient = True

    def __post_init__(self) -> None:
        if not isinstance(self.store, MemorySource):
            raise TypeError("a MemoryLayer needs a MemorySource")
        self.kind = self.store.kind
        self.geometry_type = self.store.geometry_type
        if not self.title:
            self.title = self.name

    @classmethod
    def of(cls, source: MemorySource, name: str, **kwargs: Any) -> MemoryLayer:
        """A layer named ``name`` over ``source`` (style, title, visible, … as keywords)."""
        return cls(kind=source.kind, name=name, store=source, **kwargs)  # type: ignore[arg-type]

    @property
    def source(self) -> MemorySource:
        return self.store  # type: ignore[return-value]

    def set_source(self, source: MemorySource) -> None:
        """Show other features or values (a what-if); the canvas re-renders on refresh."""
        if source.kind != self.kind:
            raise ValueError(f"source of {source.kind!r} for the layer of {self.kind!r}")
        self.store = source  # type: ignore[assignment]
        self.geometry_type = source.geometry_type

    def extent(self) -> tuple[float, float, float, float] | None:
        return self.store.extent(self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "transient": True}
