"""Zhiwang's PySide6 desktop: main window, map canvas, panels, tools and dialogs."""
