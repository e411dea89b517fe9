"""Map layer models: what a layer shows (a store kind, a style, a label) — no painting, no widgets.

A :class:`VectorLayer` is the mutable state the layer panel edits; :meth:`VectorLayer.snapshot`
freezes what a render job needs so a worker thread can paint while the user keeps editing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from gis_core import schema
from gis_core.store import Store
from layers.style import (
    Categorized,
    LabelStyle,
    SingleSymbol,
    Style,
    label_from_dict,
    required_columns,
    style_from_dict,
)

__all__ = [
    "VectorLayer",
    "LayerSnapshot",
    "default_layers",
    "default_style",
    "DEFAULT_LAYER_NAMES",
    "FACILITY_ICONS",
    "BUILDING_USE_COLORS",
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("layers", text)


@dataclass(frozen=True)
class LayerSnapshot:
    """A frozen copy of what a render of one layer needs; safe to hand to a worker thread."""

    name: str
    kind: str
    store: Store
    style: Style
    label: LabelStyle | None
    opacity: float
    columns: tuple[str, ...]
    geometry_type: str
    aggregate: bool = True
    visible: bool = True

    @property
    def is_polygon(self) -> bool:
        return "POLYGON" in self.geometry_type

    @property
    def is_line(self) -> bool:
        return "LINESTRING" in self.geometry_type

    @property
    def is_point(self) -> bool:
        return "POINT" in self.geometry_type


@dataclass(eq=False)
class VectorLayer:
    """One map layer over a store kind (``grid_cells``, ``buildings``, …).

    ``name`` identifies the layer (unique in a map; selections and ``--layers`` use it); ``title``
    is what the layer panel shows. ``columns`` are the attribute columns a render queries: those
    the style and label need plus any set explicitly (e.g. for identify). ``aggregate`` lets the
    renderer draw a density raster instead of features smaller than a few pixels or too many to
    draw one by one (tens of thousands in view).
    """

    kind: str
    name: str
    store: Store
    style: Style = field(default_factory=SingleSymbol)
    label: LabelStyle | None = None
    visible: bool = True
    opacity: float = 1.0
    title: str = ""
    aggregate: bool = False
    extra_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        gtype = schema.GEOMETRY_TYPES.get(self.kind)
        if gtype is None:
            raise ValueError(f"{self.kind!r} has no geometry to draw")
        self.geometry_type = gtype
        if not self.title:
            self.title = self.name

    @property
    def columns(self) -> tuple[str, ...]:
        cols = list(required_columns(self.style, self.label))
        cols += [c for c in self.extra_columns if c not in cols]
        return tuple(cols)

    @columns.setter
    def columns(self, value: tuple[str, ...]) -> None:
        self.extra_columns = tuple(value)

    def snapshot(self) -> LayerSnapshot:
        return LayerSnapshot(
            name=self.name,
            kind=self.kind,
            store=self.store,
            style=self.style,
            label=self.label,
            opacity=float(self.opacity),
            columns=self.columns,
            geometry_type=self.geometry_type,
            aggregate=self.aggregate,
            visible=self.visible,
        )

    def extent(self) -> tuple[float, float, float, float] | None:
        """The layer's extent as recorded by the store (no table scan)."""
        return self.store.extent(self.kind)

    # ----------------------------------------------------------- persistence
    def to_dict(self) -> dict[str, Any]:
        """Everything but the store, JSON-serialisable (for project files / store settings)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "title": self.title,
            "style": self.style.to_dict(),
            "label": None if self.label is None else self.label.to_dict(),
            "visible": self.visible,
            "opacity": self.opacity,
            "aggregate": self.aggregate,
            "extra_columns": list(self.extra_columns),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], store: Store) -> VectorLayer:
        return cls(
            kind=data["kind"],
            name=data["name"],
            store=store,
            style=style_from_dict(data["style"]),
            label=label_from_dict(data.get("label")),
            visible=bool(data.get("visible", True)),
            opacity=float(data.get("opacity", 1.0)),
            title=data.get("title", ""),
            aggregate=bool(data.get("aggregate", False)),
            extra_columns=tuple(data.get("extra_columns", ())),
        )


# ---------------------------------------------------------------- default styles
BUILDING_USE_COLORS = {
    "residential": "#e3c9a6",
    "commercial": "#e8a091",
    "mixed": "#d4aed0",
    "public": "#a7c7e7",
    "industrial": "#bfb6a4",
    "other": "#d2d2d2",
}

# kind -> (colour, glyph drawn on the marker)
FACILITY_ICONS = {
    "clinic": ("#d93a3a", "医"),
    "hospital": ("#b3001b", "院"),
    "school": ("#2f6fd6", "学"),
    "kindergarten": ("#e07b00", "幼"),
    "pharmacy": ("#1f9e5a", "药"),
    "elderly_care": ("#8a5cc2", "老"),
    "grocery": ("#c99a00", "市"),
    "police": ("#1b3c8c", "警"),
    "fire_station": ("#e03c00", "消"),
    "park": ("#3f9b2f", "园"),
}

SENSOR_COLORS = {
    "smoke": "#6b6b6b",
    "bin_fill": "#7a9a01",
    "door": "#a0522d",
    "water_level": "#1e88e5",
    "air_quality": "#00897b",
    "gas": "#f4511e",
    "manhole": "#5d4037",
}

STREET_STYLES = {
    "arterial": SingleSymbol(fill=None, stroke="#f0b660", stroke_width=4.0),
    "secondary": SingleSymbol(fill=None, stroke="#ffffff", stroke_width=3.0),
    "lane": SingleSymbol(fill=None, stroke="#ffffff", stroke_width=1.5),
}

# Bottom to top: outlines of cells and the community go over the buildings they enclose.
DEFAULT_LAYER_NAMES = (
    "streets",
    "buildings",
    "grid_cells",
    "communities",
    "facilities",
    "cameras",
    "sensors",
)


def default_style(kind: str) -> tuple[Style, LabelStyle | None]:
    """The default style and label of a layer kind."""
    if kind == "communities":
        return SingleSymbol(fill=None, stroke="#6a4c93", stroke_width=2.5), None
    if kind == "grid_cells":
        return (
            SingleSymbol(fill=None, stroke="#d0652b", stroke_width=1.2),
            LabelStyle("code", font_px=12, color="#8a3b12", halo="#ffffff"),
        )
    if kind == "streets":
        return (
            Categorized(
                "kind",
                dict(STREET_STYLES),
                SingleSymbol(fill=None, stroke="#ffffff", stroke_width=2.0),
            ),
            None,
        )
    if kind == "buildings":
        cats = {
            use: SingleSymbol(fill=color, stroke="#8d7b68", stroke_width=0.6)
            for use, color in BUILDING_USE_COLORS.items()
        }
        return Categorized("use", cats, cats["other"]), None
    if kind == "facilities":
        cats = {
            k: SingleSymbol(
                fill=color, stroke="#ffffff", stroke_width=1.5, marker_size=18, icon=glyph
            )
            for k, (color, glyph) in FACILITY_ICONS.items()
        }
        default = SingleSymbol(fill="#555555", stroke="#ffffff", stroke_width=1.5, marker_size=14)
        # Names only when zoomed in far enough for them to fit between facilities.
        return Categorized("kind", cats, default), LabelStyle(
            "name", font_px=12, color="#333333", halo="#ffffff", max_scale=2.0
        )
    if kind == "cameras":
        return (
            SingleSymbol(
                fill="#1565c0", stroke="#ffffff", stroke_width=1.2, marker_size=10, marker="square"
            ),
            None,
        )
    if kind == "sensors":
        cats = {
            k: SingleSymbol(fill=c, stroke="#ffffff", stroke_width=1.0, marker_size=8)
            for k, c in SENSOR_COLORS.items()
        }
        return Categorized("kind", cats, SingleSymbol(fill="#777777", marker_size=8)), None
    if kind in ("enterprises", "events"):
        return SingleSymbol(fill="#9c27b0", stroke="#ffffff", marker_size=8), None
    raise ValueError(f"no default style for {kind!r}")


def _titles() -> dict[str, str]:
    return {
        "communities": _tr("Community boundary"),
        "grid_cells": _tr("Grid cells"),
        "streets": _tr("Streets"),
        "buildings": _tr("Buildings"),
        "facilities": _tr("Facilities"),
        "cameras": _tr("Cameras"),
        "sensors": _tr("Sensors"),
    }


def default_layers(store: Store) -> list[VectorLayer]:
    """The standard map of a community with default styles, bottom to top: streets, buildings
    (categorised by use, aggregated below a pixel), grid cells (outline + code label), community
    boundary, facilities (an icon per kind), cameras, sensors."""
    titles = _titles()
    layers = []
    for kind in DEFAULT_LAYER_NAMES:
        style, label = default_style(kind)
        layers.append(
            VectorLayer(
                kind=kind,
                name=kind,
                store=store,
                style=style,
                label=label,
                title=titles[kind],
                aggregate=kind not in ("grid_cells", "communities"),
            )
        )
    return layers
