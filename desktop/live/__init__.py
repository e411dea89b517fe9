"""Live monitoring in the desktop window: the marker overlay, the alarm panel, camera live views,
sensor history charts and the early-warning layer (see DESIGN.md, "Live data").

``install_live_monitoring(window)`` adds all of it to a :class:`desktop.main_window.MainWindow`
(a menu, a toolbar, a dock, status-bar fields) and returns the :class:`LiveMonitor`; the window
keeps it as ``window.live``.
"""

from __future__ import annotations

__all__ = ["install_live_monitoring", "LiveMonitor"]


def install_live_monitoring(window):
    """Give ``window`` live monitoring; returns the :class:`~desktop.live.controller.LiveMonitor`."""
    from desktop.live.controller import LiveMonitor

    monitor = LiveMonitor(window)
    window.live = monitor
    return monitor


def __getattr__(name: str):
    if name == "LiveMonitor":
        from desktop.live.controller import LiveMonitor

        return LiveMonitor
    raise AttributeError(name)
