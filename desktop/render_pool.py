"""Render jobs in worker processes, so painting a layer never holds the GUI thread's interpreter.

PySide6 keeps Python's GIL during Qt calls: a ``QPainter.drawPath`` of thousands of buildings in a
worker *thread* blocks the GUI thread for as long as it paints (hundreds of milliseconds at a
district view). The canvas therefore sends each layer's render to a small pool of processes
(``spawn``; each has its own offscreen QGuiApplication and its own store connections). A job
carries a plain description of the layer (:func:`layer_spec`), the view and the selection, and
comes back as raw ARGB32 pixels. A view change bumps a shared epoch that every running job
checks through its cancel token, so superseded work stops early.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing as mp
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

__all__ = ["RenderPool", "layer_spec", "snapshot_from_spec", "shared_pool", "image_from_raw"]

log = logging.getLogger(__name__)

# ----------------------------------------------------------------------- layer descriptions


def _store_url(store) -> str:
    # The child opens its own connection; the password goes through the pipe, never to disk.
    return store.engine.url.render_as_string(hide_password=False)


def layer_spec(snapshot) -> dict[str, Any]:
    """A picklable description of a :class:`layers.model.LayerSnapshot`."""
    # An in-memory source (layers.memory) travels by value; a store by its URL.
    portable = getattr(snapshot.store, "portable", False)
    return {
        "store_url": None if portable else _store_url(snapshot.store),
        "source": snapshot.store if portable else None,
        "name": snapshot.name,
        "kind": snapshot.kind,
        "style": snapshot.style.to_dict(),
        "label": None if snapshot.label is None else snapshot.label.to_dict(),
        "opacity": snapshot.opacity,
        "columns": tuple(snapshot.columns),
        "geometry_type": snapshot.geometry_type,
        "aggregate": snapshot.aggregate,
        "visible": snapshot.visible,
    }


# How much lower the render processes' CPU priority is than the window's (Unix nice).
WORKER_NICE = 10

_stores: OrderedDict[str, Any] = OrderedDict()
_stores_lock = threading.Lock()
MAX_STORES = 4


def _store_for(url: str):
    from gis_core.store import Store

    with _stores_lock:
        store = _stores.get(url)
        if store is not None:
            _stores.move_to_end(url)
            return store
    store = Store.open(url)
    with _stores_lock:
        _stores[url] = store
        while len(_stores) > MAX_STORES:
            _, old = _stores.popitem(last=False)
            old.close()
    return store


def snapshot_from_spec(spec: dict[str, Any]):
    from layers.model import LayerSnapshot
    from layers.style import label_from_dict, style_from_dict

    return LayerSnapshot(
        name=spec["name"],
        kind=spec["kind"],
        store=spec["source"] if spec.get("source") is not None else _store_for(spec["store_url"]),
        style=style_from_dict(spec["style"]),
        label=label_from_dict(spec["label"]),
        opacity=spec["opacity"],
        columns=tuple(spec["columns"]),
        geometry_type=spec["geometry_type"],
        aggregate=spec["aggregate"],
        visible=spec["visible"],
    )


# ----------------------------------------------------------------------- in the worker process
_epoch = None


class _EpochToken:
    """Cancelled once the parent has moved on to a newer view (duck-types CancelToken)."""

    __slots__ = ("epoch",)

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    @property
    def cancelled(self) -> bool:
        return _epoch is not None and _epoch.value != self.epoch


def _init_worker(epoch) -> None:
    global _epoch
    _epoch = epoch
    # Background work: on a busy 2-core machine the GUI process must win the CPU.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICE)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from layers.render import ensure_gui_app

    ensure_gui_app()


def _render_job(spec: dict, view, selection: frozenset, epoch: int):
    import time

    from layers.render import render_layer

    token = _EpochToken(epoch)
    if token.cancelled:
        return None
    t0 = time.perf_counter()
    image = render_layer(snapshot_from_spec(spec), view, cancel=token, selection=selection)
    if image is None or token.cancelled:
        return None
    ms = (time.perf_counter() - t0) * 1000
    return image.width(), image.height(), image.bytesPerLine(), bytes(image.constBits()), ms


def _warm_up() -> int:
    import layers.render  # noqa: F401  (imports Qt, shapely, the store)

    return os.getpid()


def _call(fn, *args):
    """Run a picklable function in the worker with the given arguments (print exports)."""
    return fn(*args)


# ----------------------------------------------------------------------- in the GUI process
def image_from_raw(raw):
    from PySide6.QtGui import QImage

    w, h, bpl, data = raw
    return QImage(data, w, h, bpl, QImage.Format.Format_ARGB32_Premultiplied).copy()


class RenderPool:
    """Worker processes for render jobs, shared by every canvas of the application."""

    def __init__(self, workers: int = 2):
        ctx = mp.get_context("spawn")
        self._epoch = ctx.RawValue("q", 0)
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(self._epoch,)
        )
        self._lock = threading.Lock()
        self.closed = False
        for _ in range(workers):  # start the processes now, not on the first pan
            self._executor.submit(_warm_up)

    @property
    def epoch(self) -> int:
        return int(self._epoch.value)

    def bump(self) -> int:
        """Cancel every job started before now; returns the new epoch."""
        with self._lock:
            self._epoch.value += 1
            return int(self._epoch.value)

    @property
    def broken(self) -> bool:
        """True once a worker died (or could not start): callers fall back to threads."""
        return bool(getattr(self._executor, "_broken", False))

    def render(self, snapshot, view, selection: frozenset, epoch: int) -> Future:
        """Render one layer; the future's result is raw pixels (see :func:`image_from_raw`) or
        None when cancelled."""
        return self._executor.submit(
            _render_job, layer_spec(snapshot), view, frozenset(selection), epoch
        )

    def call(self, fn, *args) -> Future:
        return self._executor.submit(_call, fn, *args)

    def shutdown(self) -> None:
        if not self.closed:
            self.closed = True
            self._epoch.value += 1
            self._executor.shutdown(wait=True, cancel_futures=True)


_shared: RenderPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> RenderPool:
    """The application's render processes, started on first use and stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.closed:
            _shared = RenderPool(workers=max(1, min(2, os.cpu_count() or 1)))
            atexit.register(_shared.shutdown)
        return _shared
