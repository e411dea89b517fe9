"""Zhiwang's core: schema and store, CRS, import/export, grid topology and analysis — no Qt."""

__version__ = "0.1.0"
