"""The parameter dialog of an analysis: forms generated from its parameter dataclasses, a title for
the stored run, and the core's own validation shown in the dialog (it stays open until valid)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.analysis.errors import explain
from desktop.analysis.jobs import AnalysisSpec
from desktop.analysis.params_form import ParamsForm
from desktop.analysis.texts import analysis_title
from gis_core.analysis.feedback import AnalysisError

__all__ = ["AnalysisDialog"]


class AnalysisDialog(QDialog):
    """``params()`` / ``extra()`` once accepted; ``form`` and ``extra_form`` for tests."""

    def __init__(self, spec: AnalysisSpec, initial: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"analysisDialog_{spec.key}")
        self.spec = spec
        self.setWindowTitle(analysis_title(spec.key))
        self.form = ParamsForm(spec.params, initial, spec.choices, spec.advanced)
        self.extra_form: ParamsForm | None = None
        self.extra_group: QGroupBox | None = None
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(self.form)
        if spec.extra is not None:
            self.extra_group = QGroupBox(self.tr("Suggest new cameras"))
            self.extra_group.setCheckable(True)
            self.extra_group.setChecked(False)
            self.extra_form = ParamsForm(spec.extra, None, spec.choices, spec.advanced)
            QVBoxLayout(self.extra_group).addWidget(self.extra_form)
            lay.addWidget(self.extra_group)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("runTitle")
        self.title_edit.setPlaceholderText(self.tr("optional, e.g. “before the new clinic”"))
        title_row = QFormLayout()
        title_row.addRow(self.tr("Name of the stored run"), self.title_edit)
        self.error = QLabel()
        self.error.setObjectName("paramError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Run"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(title_row)
        outer.addWidget(self.error)
        outer.addWidget(self.buttons)
        self.resize(520, 560)
        if "method" in self.form.editors and "decay" in self.form.editors:
            self.form.editors["method"].on_change(self._decay_follows_method)
            self._decay_follows_method()
        self._params: Any = None
        self._extra: Any = None

    def _decay_follows_method(self) -> None:
        # 2SFCA and the ratio have no distance decay; E2SFCA and gravity may take a custom one.
        method = self.form.editors["method"].get()
        self.form.editors["decay"].widget.setEnabled(method in ("e2sfca", "gravity"))
        if method not in ("e2sfca", "gravity"):
            self.form.editors["decay"].set(None)

    def params(self) -> Any:
        return self._params

    def extra(self) -> Any:
        return self._extra

    def run_title(self) -> str | None:
        return self.title_edit.text().strip() or None

    def accept(self) -> None:  # noqa: D401 (Qt API)
        """Validate with the analysis's own rules; stay open and say why when invalid."""
        try:
            params = self.form.value().validated()
            extra = None
            if self.extra_group is not None and self.extra_group.isChecked():
                extra = self.extra_form.value().validated()  # type: ignore[union-attr]
        except AnalysisError as exc:
            self.error.setText(explain(str(exc)))
            self.error.show()
            return
        except (TypeError, ValueError) as exc:
            self.error.setText(explain(str(exc)))
            self.error.show()
            return
        self._params, self._extra = params, extra
        self.error.hide()
        super().accept()
