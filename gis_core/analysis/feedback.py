"""Progress, cancellation and user-facing errors shared by every analysis.

An analysis takes a :class:`Feedback` (the shape of QGIS's ``QgsProcessingFeedback``): it reports
``progress(fraction, message)`` and polls ``cancelled``. The desktop passes one that drives a
progress bar, the CLI one that prints to stderr, tests none at all.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO, runtime_checkable

__all__ = [
    "AnalysisError",
    "AnalysisCancelled",
    "Feedback",
    "NullFeedback",
    "StderrFeedback",
    "SubFeedback",
    "ensure_feedback",
]


class AnalysisError(ValueError):
    """Invalid parameters or inputs, with a message meant for the planner, not a traceback."""


class AnalysisCancelled(RuntimeError):
    """The user cancelled the analysis; nothing was written."""


@runtime_checkable
class Feedback(Protocol):
    """What an analysis reports to and asks of its caller."""

    def progress(self, fraction: float, message: str = "") -> None:
        """``fraction`` in [0, 1] of the whole analysis, with a short message."""

    @property
    def cancelled(self) -> bool:
        """True once the user asked to stop; the analysis raises AnalysisCancelled soon after."""


class NullFeedback:
    """Reports nothing and is never cancelled."""

    def progress(self, fraction: float, message: str = "") -> None:
        pass

    @property
    def cancelled(self) -> bool:
        return False


class StderrFeedback:
    """One line per step on stderr (the CLI's feedback); at most every ``min_interval`` seconds."""

    def __init__(self, stream: TextIO | None = None, min_interval: float = 0.2):
        self.stream = stream or sys.stderr
        self.min_interval = min_interval
        self._last = 0.0
        self._last_message = ""

    def progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if message == self._last_message and now - self._last < self.min_interval:
            return
        self._last, self._last_message = now, message
        pct = max(0.0, min(1.0, fraction)) * 100
        print(f"[{pct:5.1f}%] {message}", file=self.stream, flush=True)

    @property
    def cancelled(self) -> bool:
        return False


class SubFeedback:
    """Maps a step's own 0..1 progress onto ``[start, end]`` of its parent's."""

    def __init__(self, parent: Feedback, start: float, end: float):
        self.parent, self.start, self.end = parent, start, end

    def progress(self, fraction: float, message: str = "") -> None:
        f = max(0.0, min(1.0, fraction))
        self.parent.progress(self.start + (self.end - self.start) * f, message)

    @property
    def cancelled(self) -> bool:
        return self.parent.cancelled


def ensure_feedback(feedback: Feedback | None) -> Feedback:
    return NullFeedback() if feedback is None else feedback


def check_cancel(feedback: Feedback) -> None:
    """Raise AnalysisCancelled if the user asked to stop."""
    if feedback.cancelled:
        raise AnalysisCancelled("analysis cancelled")
