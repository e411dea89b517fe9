"""Parameter forms generated from an analysis's parameter dataclass (the shape of QGIS Processing).

:class:`ParamsForm` reads the dataclass's fields and type hints and makes one editor per field:
a ``Literal`` or a field with known choices becomes a combo box, ``float`` a spin box with a unit
from the field's name (``radius_m`` → m, ``fov_deg`` → °), ``int`` a spin box, ``bool`` a check
box, a tuple of numbers a text field (``5, 10, 15``; pairs as ``300:1, 600:0.68``), ``X | None``
an editor with an "automatic" state, and a nested dataclass (``Decay``) a group with its own
form. The analysis code holds no widget code; adding a parameter adds its editor.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.analysis.texts import choice_label, field_label, translated
from gis_core.analysis.feedback import AnalysisError

__all__ = ["ParamsForm", "field_editor"]


def _unit(name: str) -> tuple[str, float, float, int]:
    """(suffix, minimum, maximum, decimals) for a float field, from its name."""
    if name.endswith("_m2"):
        return " m²", 0.0, 1e9, 0
    if name.endswith("_per_min"):
        return " m/min", 1.0, 1000.0, 0
    if name.endswith("_m"):
        return " m", 0.0, 1e6, 0
    if name.endswith("_deg"):
        return " °", 0.0, 360.0, 1
    if name.endswith("_s"):
        return " s", 0.0, 1e5, 0
    if name == "threshold":
        return "", 0.0, 1e6, 6
    return "", 0.0, 1e6, 2


class _Editor:
    """One field's widget with ``get()`` / ``set(value)``."""

    widget: QWidget

    def get(self) -> Any:
        raise NotImplementedError

    def set(self, value: Any) -> None:
        raise NotImplementedError

    def on_change(self, slot) -> None:
        pass


class _ChoiceEditor(_Editor):
    def __init__(self, name: str, choices: list, optional: bool):
        self.widget = box = QComboBox()
        box.setObjectName(f"param_{name}")
        if optional and None not in choices:
            choices = [None, *choices]
        for c in choices:
            box.addItem(choice_label(name, c), c)

    def get(self) -> Any:
        return self.widget.currentData()

    def set(self, value: Any) -> None:
        i = self.widget.findData(value)
        if i < 0:
            raise AnalysisError(f"{value!r} is not a choice")
        self.widget.setCurrentIndex(i)

    def on_change(self, slot) -> None:
        self.widget.currentIndexChanged.connect(lambda _i: slot())


class _FloatEditor(_Editor):
    def __init__(self, name: str, optional: bool):
        suffix, lo, hi, decimals = _unit(name)
        self.optional = optional
        self.widget = spin = QDoubleSpinBox()
        spin.setObjectName(f"param_{name}")
        spin.setDecimals(decimals)
        step = 10 ** (-decimals)
        spin.setRange(lo - step if optional else lo, hi)
        spin.setSingleStep(1.0 if decimals == 0 else max(step, 0.01))
        spin.setSuffix(suffix)
        if optional:
            spin.setSpecialValueText(translated(_AUTO_LABEL))

    def get(self) -> Any:
        if self.optional and self.widget.value() == self.widget.minimum():
            return None
        return float(self.widget.value())

    def set(self, value: Any) -> None:
        if value is None:
            self.widget.setValue(self.widget.minimum())
        else:
            self.widget.setValue(float(value))

    def on_change(self, slot) -> None:
        self.widget.valueChanged.connect(lambda _v: slot())


class _IntEditor(_Editor):
    def __init__(self, name: str):
        self.widget = spin = QSpinBox()
        spin.setObjectName(f"param_{name}")
        spin.setRange(0, 2_000_000_000)
        if name.endswith("_s"):
            spin.setSuffix(" s")

    def get(self) -> Any:
        return int(self.widget.value())

    def set(self, value: Any) -> None:
        self.widget.setValue(int(value))

    def on_change(self, slot) -> None:
        self.widget.valueChanged.connect(lambda _v: slot())


class _BoolEditor(_Editor):
    def __init__(self, name: str):
        self.widget = QCheckBox()
        self.widget.setObjectName(f"param_{name}")

    def get(self) -> Any:
        return self.widget.isChecked()

    def set(self, value: Any) -> None:
        self.widget.setChecked(bool(value))

    def on_change(self, slot) -> None:
        self.widget.toggled.connect(lambda _v: slot())


class _TupleEditor(_Editor):
    """A tuple of numbers (``5, 10, 15``) or of pairs (``300:1, 600:0.68``) as text."""

    def __init__(self, name: str, pairs: bool):
        self.name, self.pairs = name, pairs
        self.widget = QLineEdit()
        self.widget.setObjectName(f"param_{name}")
        self.widget.setPlaceholderText("300:1, 600:0.68" if pairs else "5, 10, 15")

    def get(self) -> Any:
        text = self.widget.text().replace("，", ",").replace("：", ":")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        try:
            if self.pairs:
                return tuple(tuple(float(x) for x in p.split(":")) for p in parts)
            return tuple(float(p) for p in parts)
        except ValueError:
            raise AnalysisError(
                translated(_BAD_NUMBERS).format(field_label(self.name), self.widget.text())
            ) from None

    def set(self, value: Any) -> None:
        if self.pairs:
            self.widget.setText(", ".join(f"{a:g}:{b:g}" for a, b in value))
        else:
            self.widget.setText(", ".join(f"{v:g}" for v in value))

    def on_change(self, slot) -> None:
        self.widget.textChanged.connect(lambda _t: slot())


class _TextEditor(_Editor):
    def __init__(self, name: str):
        self.widget = QLineEdit()
        self.widget.setObjectName(f"param_{name}")

    def get(self) -> Any:
        return self.widget.text()

    def set(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))

    def on_change(self, slot) -> None:
        self.widget.textChanged.connect(lambda _t: slot())


class _NestedEditor(_Editor):
    """A dataclass field: a group with its own form; checkable (off = None) when optional."""

    def __init__(self, name: str, cls: type, optional: bool, choices: dict):
        self.cls, self.optional = cls, optional
        self.widget = group = QGroupBox(field_label(name))
        group.setObjectName(f"param_{name}")
        group.setCheckable(optional)
        self.form = ParamsForm(cls, choices=choices)
        lay = QVBoxLayout(group)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.form)
        if optional:
            group.setChecked(False)

    def get(self) -> Any:
        if self.optional and not self.widget.isChecked():
            return None
        return self.form.value()

    def set(self, value: Any) -> None:
        if value is None:
            if self.optional:
                self.widget.setChecked(False)
            return
        if self.optional:
            self.widget.setChecked(True)
        self.form.set_value(value)

    def on_change(self, slot) -> None:
        self.widget.toggled.connect(lambda _v: slot())
        self.form.changed.connect(slot)


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0], True
    return hint, False


def field_editor(name: str, hint: Any, choices: dict) -> _Editor:
    """The editor of one field with type ``hint`` (see the module docstring)."""
    base, optional = _unwrap_optional(hint)
    if name in choices:
        return _ChoiceEditor(name, list(choices[name]), optional)
    if typing.get_origin(base) is typing.Literal:
        return _ChoiceEditor(name, list(typing.get_args(base)), optional)
    if dataclasses.is_dataclass(base):
        return _NestedEditor(name, base, optional, choices)  # type: ignore[arg-type]
    if base is bool:
        return _BoolEditor(name)
    if base is int:
        return _IntEditor(name)
    if base is float:
        return _FloatEditor(name, optional)
    if typing.get_origin(base) is tuple:
        inner = typing.get_args(base)[0] if typing.get_args(base) else float
        return _TupleEditor(name, pairs=typing.get_origin(inner) is tuple)
    return _TextEditor(name)


class ParamsForm(QWidget):
    """A form over the dataclass ``cls``: ``value()`` builds an instance, ``set_value`` fills
    the editors from one. ``choices`` maps field names to their allowed values (for plain
    ``str`` fields such as the service kind); ``advanced`` fields go into a group shown on demand.
    """

    changed = Signal()

    def __init__(
        self,
        cls: type,
        value: Any = None,
        choices: dict | None = None,
        advanced: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        self.cls = cls
        self.choices = dict(choices or {})
        hints = typing.get_type_hints(cls)
        self.editors: dict[str, _Editor] = {}
        self.rows: dict[str, QWidget] = {}
        main = QFormLayout()
        main.setContentsMargins(0, 0, 0, 0)
        self.advanced_box = QGroupBox(self.tr("Advanced"))
        adv = QFormLayout(self.advanced_box)
        self.show_advanced = QCheckBox(self.tr("Show advanced parameters"))
        self.show_advanced.toggled.connect(self.advanced_box.setVisible)
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            editor = field_editor(f.name, hints[f.name], self.choices)
            self.editors[f.name] = editor
            self.rows[f.name] = editor.widget
            target = adv if f.name in advanced else main
            if isinstance(editor, _NestedEditor):
                target.addRow(editor.widget)
            else:
                label = field_label(f.name)
                editor.widget.setToolTip(f.name)
                target.addRow(label, editor.widget)
            editor.on_change(self.changed.emit)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(main)
        has_advanced = any(f in self.editors for f in advanced)
        lay.addWidget(self.show_advanced)
        lay.addWidget(self.advanced_box)
        self.show_advanced.setVisible(has_advanced)
        self.advanced_box.setVisible(False)
        self.set_value(value if value is not None else _defaults(cls, self.choices))

    def value(self) -> Any:
        """An instance of the dataclass from the editors (AnalysisError on unreadable text)."""
        return self.cls(**{name: e.get() for name, e in self.editors.items()})

    def set_value(self, value: Any) -> None:
        for name, editor in self.editors.items():
            editor.set(getattr(value, name))

    def set_field(self, name: str, value: Any) -> None:
        self.editors[name].set(value)


_AUTO_LABEL = QT_TRANSLATE_NOOP("Analysis", "automatic")
_BAD_NUMBERS = QT_TRANSLATE_NOOP("Analysis", "{0}: “{1}” is not a list of numbers")


def _defaults(cls: type, choices: dict) -> Any:
    """An instance with the dataclass's defaults; required fields take their first choice."""
    kwargs = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.default is not dataclasses.MISSING:
            kwargs[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            kwargs[f.name] = f.default_factory()  # type: ignore[misc]
        elif f.name in choices:
            kwargs[f.name] = list(choices[f.name])[0]
        else:
            base, _ = _unwrap_optional(hints[f.name])
            if typing.get_origin(base) is typing.Literal:
                kwargs[f.name] = typing.get_args(base)[0]
            elif base in (int, float):
                kwargs[f.name] = base(0)
            elif base is bool:
                kwargs[f.name] = False
            else:
                kwargs[f.name] = ""
    return cls(**kwargs)
