"""Background work for the window: run a function on a worker thread, get its result on the GUI thread.

Everything that may touch the store for longer than a quick page goes through a :class:`TaskRunner`
so the event loop never waits on a database.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

__all__ = ["TaskRunner"]

log = logging.getLogger(__name__)


class TaskRunner(QObject):
    """A small thread pool whose results come back as queued calls on the owner's thread.

    ``submit(fn, on_done, on_error)`` runs ``fn()`` on a worker; ``on_done(result)`` or
    ``on_error(exc)`` then runs on the GUI thread. Callbacks of a task whose ``tag`` was
    superseded by a newer task with the same tag are dropped (a newer search replaces an older one).
    """

    _finished = Signal(int, bool, object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable | None, Callable | None, str | None]] = {}
        self._latest: dict[str, int] = {}
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._closed = False

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        tag: str | None = None,
    ) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error, tag)
        if tag is not None:
            self._latest[tag] = task_id
        finished = self._finished

        def run() -> None:
            try:
                result = fn()
            except BaseException as exc:  # delivered to on_error on the GUI thread
                finished.emit(task_id, False, exc)
            else:
                finished.emit(task_id, True, result)

        self.pool.start(run)
        return task_id

    def watch(
        self,
        future,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Deliver a ``concurrent.futures.Future``'s outcome (e.g. from a process pool) like a
        task's: ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error, None)
        finished = self._finished

        def report(f) -> None:
            try:
                result = f.result()
            except BaseException as exc:
                finished.emit(task_id, False, exc)
            else:
                finished.emit(task_id, True, result)

        future.add_done_callback(report)
        return task_id

    def busy(self) -> bool:
        return bool(self._callbacks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every task has finished (on close, and in tests)."""
        return self.pool.waitForDone(msecs)

    def shutdown(self) -> None:
        self._closed = True
        self.pool.clear()
        self.pool.waitForDone()

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: Any) -> None:
        on_done, on_error, tag = self._callbacks.pop(task_id, (None, None, None))
        if self._closed:
            return
        if tag is not None:
            if self._latest.get(tag) != task_id:
                return
            del self._latest[tag]
        if ok:
            if on_done is not None:
                on_done(payload)
        elif on_error is not None:
            on_error(payload)
        else:
            log.error("background task failed", exc_info=payload)
