"""User-facing names of layer kinds, columns and coded values, and on-screen masking of personal data.

The store keeps English codes (``residential``, ``clinic``, ``worker_phone``); the window shows them
through Qt's translation machinery, so the Chinese UI says 住宅, 诊所, 网格员电话.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gis_core.masking import PERSONAL_FIELDS, mask_id_number, mask_name, mask_phone

__all__ = ["kind_title", "column_title", "value_label", "display_value", "masker", "is_personal"]


# Source strings are marked for pyside6-lupdate and translated when shown.
KIND_TITLES: dict[str, str] = {
    "communities": QT_TRANSLATE_NOOP("Names", "Community boundary"),
    "grid_cells": QT_TRANSLATE_NOOP("Names", "Grid cells"),
    "streets": QT_TRANSLATE_NOOP("Names", "Streets"),
    "buildings": QT_TRANSLATE_NOOP("Names", "Buildings"),
    "residents": QT_TRANSLATE_NOOP("Names", "Residents"),
    "enterprises": QT_TRANSLATE_NOOP("Names", "Enterprises"),
    "facilities": QT_TRANSLATE_NOOP("Names", "Facilities"),
    "cameras": QT_TRANSLATE_NOOP("Names", "Cameras"),
    "sensors": QT_TRANSLATE_NOOP("Names", "Sensors"),
    "readings": QT_TRANSLATE_NOOP("Names", "Readings"),
    "events": QT_TRANSLATE_NOOP("Names", "Events"),
}

COLUMN_TITLES: dict[str, str] = {
    "id": QT_TRANSLATE_NOOP("Names", "ID"),
    "grid_cell_id": QT_TRANSLATE_NOOP("Names", "Grid cell ID"),
    "community_id": QT_TRANSLATE_NOOP("Names", "Community ID"),
    "building_id": QT_TRANSLATE_NOOP("Names", "Building ID"),
    "source_id": QT_TRANSLATE_NOOP("Names", "Source ID"),
    "code": QT_TRANSLATE_NOOP("Names", "Code"),
    "name": QT_TRANSLATE_NOOP("Names", "Name"),
    "address": QT_TRANSLATE_NOOP("Names", "Address"),
    "floors": QT_TRANSLATE_NOOP("Names", "Floors"),
    "units": QT_TRANSLATE_NOOP("Names", "Units"),
    "use": QT_TRANSLATE_NOOP("Names", "Use"),
    "district": QT_TRANSLATE_NOOP("Names", "District"),
    "street_office": QT_TRANSLATE_NOOP("Names", "Street office"),
    "worker_name": QT_TRANSLATE_NOOP("Names", "Grid worker"),
    "worker_phone": QT_TRANSLATE_NOOP("Names", "Grid worker phone"),
    "supervisor": QT_TRANSLATE_NOOP("Names", "Supervisor"),
    "version": QT_TRANSLATE_NOOP("Names", "Version"),
    "updated_at": QT_TRANSLATE_NOOP("Names", "Updated at"),
    "kind": QT_TRANSLATE_NOOP("Names", "Kind"),
    "width_m": QT_TRANSLATE_NOOP("Names", "Width (m)"),
    "household_code": QT_TRANSLATE_NOOP("Names", "Household"),
    "id_number": QT_TRANSLATE_NOOP("Names", "ID number"),
    "phone": QT_TRANSLATE_NOOP("Names", "Phone"),
    "gender": QT_TRANSLATE_NOOP("Names", "Gender"),
    "birth_date": QT_TRANSLATE_NOOP("Names", "Date of birth"),
    "tags": QT_TRANSLATE_NOOP("Names", "Tags"),
    "credit_code": QT_TRANSLATE_NOOP("Names", "Credit code"),
    "industry": QT_TRANSLATE_NOOP("Names", "Industry"),
    "employees": QT_TRANSLATE_NOOP("Names", "Employees"),
    "capacity": QT_TRANSLATE_NOOP("Names", "Capacity"),
    "beds": QT_TRANSLATE_NOOP("Names", "Beds"),
    "purpose": QT_TRANSLATE_NOOP("Names", "Purpose"),
    "heading_deg": QT_TRANSLATE_NOOP("Names", "Heading (°)"),
    "fov_deg": QT_TRANSLATE_NOOP("Names", "Field of view (°)"),
    "range_m": QT_TRANSLATE_NOOP("Names", "Range (m)"),
    "stream_url": QT_TRANSLATE_NOOP("Names", "Stream URL"),
    "unit": QT_TRANSLATE_NOOP("Names", "Unit"),
    "period_s": QT_TRANSLATE_NOOP("Names", "Period (s)"),
    "warn_threshold": QT_TRANSLATE_NOOP("Names", "Warning threshold"),
    "alarm_threshold": QT_TRANSLATE_NOOP("Names", "Alarm threshold"),
    "category": QT_TRANSLATE_NOOP("Names", "Category"),
    "source": QT_TRANSLATE_NOOP("Names", "Source"),
    "status": QT_TRANSLATE_NOOP("Names", "Status"),
    "title": QT_TRANSLATE_NOOP("Names", "Title"),
    "description": QT_TRANSLATE_NOOP("Names", "Description"),
    "reported_at": QT_TRANSLATE_NOOP("Names", "Reported at"),
}

VALUE_LABELS: dict[str, str] = {
    # building use
    "residential": QT_TRANSLATE_NOOP("Names", "Residential"),
    "commercial": QT_TRANSLATE_NOOP("Names", "Commercial"),
    "mixed": QT_TRANSLATE_NOOP("Names", "Mixed use"),
    "public": QT_TRANSLATE_NOOP("Names", "Public"),
    "industrial": QT_TRANSLATE_NOOP("Names", "Industrial"),
    "other": QT_TRANSLATE_NOOP("Names", "Other"),
    # facility kinds
    "clinic": QT_TRANSLATE_NOOP("Names", "Clinic"),
    "hospital": QT_TRANSLATE_NOOP("Names", "Hospital"),
    "school": QT_TRANSLATE_NOOP("Names", "School"),
    "kindergarten": QT_TRANSLATE_NOOP("Names", "Kindergarten"),
    "pharmacy": QT_TRANSLATE_NOOP("Names", "Pharmacy"),
    "elderly_care": QT_TRANSLATE_NOOP("Names", "Elderly care"),
    "grocery": QT_TRANSLATE_NOOP("Names", "Grocery"),
    "police": QT_TRANSLATE_NOOP("Names", "Police station"),
    "fire_station": QT_TRANSLATE_NOOP("Names", "Fire station"),
    "park": QT_TRANSLATE_NOOP("Names", "Park"),
    # sensor kinds
    "smoke": QT_TRANSLATE_NOOP("Names", "Smoke"),
    "bin_fill": QT_TRANSLATE_NOOP("Names", "Bin fill level"),
    "door": QT_TRANSLATE_NOOP("Names", "Door"),
    "water_level": QT_TRANSLATE_NOOP("Names", "Water level"),
    "air_quality": QT_TRANSLATE_NOOP("Names", "Air quality"),
    "gas": QT_TRANSLATE_NOOP("Names", "Gas"),
    "manhole": QT_TRANSLATE_NOOP("Names", "Manhole cover"),
    # street kinds
    "arterial": QT_TRANSLATE_NOOP("Names", "Arterial road"),
    "secondary": QT_TRANSLATE_NOOP("Names", "Secondary road"),
    "lane": QT_TRANSLATE_NOOP("Names", "Lane"),
    # legend rows of layers.style
    "no data": QT_TRANSLATE_NOOP("Names", "No data"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Names", text)


def kind_title(kind: str) -> str:
    return _t(KIND_TITLES[kind]) if kind in KIND_TITLES else kind


def column_title(column: str) -> str:
    return _t(COLUMN_TITLES[column]) if column in COLUMN_TITLES else column


def value_label(column: str, value) -> str:
    """A coded value as the user reads it (building use, facility or sensor kind, …)."""
    if value is None:
        return ""
    text = str(value)
    if column in ("use", "kind", "", "legend"):
        return _t(VALUE_LABELS[text]) if text in VALUE_LABELS else text
    return text


def is_personal(kind: str, column: str) -> bool:
    return masker(kind, column) is not None


def masker(kind: str, column: str) -> Callable | None:
    """The mask for a personal column (DESIGN: personal data is masked on screen), else None."""
    fn = PERSONAL_FIELDS.get(kind, {}).get(column)
    if fn is not None:
        return fn
    # Phones and ID numbers are personal wherever they appear (a grid worker's mobile, too).
    if column.endswith("phone"):
        return mask_phone
    if column.endswith("id_number"):
        return mask_id_number
    if kind == "residents" and column.endswith("name"):
        return mask_name
    return None


def display_value(kind: str, column: str, value) -> str:
    """A cell of the attribute table or identify panel: masked, translated and formatted."""
    if value is None:
        return ""
    mask = masker(kind, column)
    if mask is not None:
        return mask(value) or ""
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if column in ("use", "kind"):
        return value_label(column, value)
    return str(value)
