"""The Assumptions panel: grouped sliders, each with a spin box, its unit, sources and a reset.

Sliders hold no state of their own: they show values measured from the document's inputs
(:func:`~reserve_planner.model.adjustments.adjustments_from`) and send moves back through
:meth:`PlanDocument.adjust`, which rewrites the full tables in one undo step per drag.
"""

from __future__ import annotations

import html
import itertools

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model import PlanInputs
from ..model.adjustments import (
    SLIDERS,
    Adjustments,
    SliderSpec,
    adjustments_from,
    reset_adjustment,
    slider_fields,
)
from .document import PlanDocument

_GESTURES = itertools.count(1)


def _format(spec: SliderSpec, value: float) -> str:
    shown = spec.to_display(value)
    text = f"{shown:,.{spec.decimals}f}"
    if spec.unit.startswith("$"):
        return f"${text}{spec.unit[1:]}"
    if spec.unit.startswith("×"):
        return f"{text}{spec.unit}"
    return f"{text} {spec.unit}".rstrip()


def slider_tooltip(spec: SliderSpec, inputs: PlanInputs, baseline_value: float) -> str:
    """Rich-text tooltip: what the slider does, its baseline value and the data sources."""
    lines: list[str] = []
    seen: set[str] = set()
    for path in slider_fields(inputs, spec.key):
        source = inputs.source(path)
        if source is None:
            continue
        row = path.split("/")[1] if path.count("/") >= 2 else ""
        label = source.label()
        if label in seen:
            continue
        seen.add(label)
        lines.append(f"<b>{html.escape(row)}</b>: {html.escape(label)}" if row
                     else html.escape(label))
    more = ""
    if len(lines) > 5:
        more = f"<br>… and {len(lines) - 5} more (see the tables)"
        lines = lines[:5]
    sources = "<br>".join(lines) if lines else "no source recorded"
    return (f"<p><b>{html.escape(spec.label)}</b>: {html.escape(spec.help)}</p>"
            f"<p>Baseline: {html.escape(_format(spec, baseline_value))}</p>"
            f"<p><i>Sources</i><br>{sources}{more}</p>")


class SliderRow(QObject):
    """Label, slider, spin box with unit, and a reset-to-baseline button for one slider.

    The four widgets go into one row of their group's grid (:meth:`add_to`), so the
    columns line up across rows.
    """

    #: key, value in :class:`Adjustments` units, gesture id (same id = same drag)
    edited = Signal(str, float, object)
    reset_requested = Signal(str)

    def __init__(self, spec: SliderSpec, parent: QObject | None = None):
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"slider_{spec.key}")
        self._updating = False
        self._gesture: int | None = None
        self._value = 0.0
        self._steps = max(1, round((spec.maximum - spec.minimum) / spec.step))

        self.label = QLabel(spec.label.replace("&", "&&"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName(f"slider_{spec.key}")
        self.slider.setRange(0, self._steps)
        self.slider.setPageStep(max(1, self._steps // 10))
        self.slider.setAccessibleName(spec.label)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.setMinimumWidth(60)
        self.spin = QDoubleSpinBox()
        self.spin.setObjectName(f"spin_{spec.key}")
        self.spin.setDecimals(spec.decimals)
        self.spin.setSingleStep(spec.step)
        self.spin.setRange(spec.minimum, spec.maximum)
        self.spin.setKeyboardTracking(False)
        self.spin.setAccelerated(True)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.spin.setAccessibleName(f"{spec.label} ({spec.unit})")
        if spec.unit.startswith("$"):
            self.spin.setPrefix("$")
            self.spin.setSuffix(spec.unit[1:])
        elif spec.unit.startswith("×"):
            self.spin.setPrefix("×")
        elif spec.unit:
            self.spin.setSuffix(f" {spec.unit}")
        self.label.setBuddy(self.slider)
        self.reset = QToolButton()
        self.reset.setText("↺")
        self.reset.setAutoRaise(True)
        self.reset.setAccessibleName(f"Reset {spec.label} to baseline")
        self.reset.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.slider.sliderPressed.connect(self._start_gesture)
        self.slider.sliderReleased.connect(self._end_gesture)
        self.slider.valueChanged.connect(self._slider_moved)
        self.spin.valueChanged.connect(self._spin_changed)
        self.reset.clicked.connect(lambda: self.reset_requested.emit(self.spec.key))

    def add_to(self, grid: QGridLayout, row: int) -> None:
        grid.addWidget(self.label, row, 0)
        grid.addWidget(self.slider, row, 1)
        grid.addWidget(self.spin, row, 2)
        grid.addWidget(self.reset, row, 3)

    # ------------------------------------------------------------------ user input

    def _start_gesture(self) -> None:
        self._gesture = next(_GESTURES)

    def _end_gesture(self) -> None:
        self._gesture = None
        self._show_slider(self._value)

    def _slider_moved(self, position: int) -> None:
        if self._updating:
            return
        shown = self.spec.minimum + position * self.spec.step
        gesture = self._gesture if self.slider.isSliderDown() else next(_GESTURES)
        self.edited.emit(self.spec.key, self.spec.from_display(shown), gesture)

    def _spin_changed(self, shown: float) -> None:
        if self._updating:
            return
        self.edited.emit(self.spec.key, self.spec.from_display(shown), next(_GESTURES))

    # ------------------------------------------------------------------ display

    def _show_slider(self, value: float) -> None:
        position = round((self.spec.to_display(value) - self.spec.minimum) / self.spec.step)
        self._updating = True
        try:
            self.slider.setValue(min(self._steps, max(0, position)))
        finally:
            self._updating = False

    def show_value(self, value: float, at_baseline: bool, tooltip: str) -> None:
        """Display ``value`` (Adjustments units) without emitting :attr:`edited`."""
        self._value = value
        shown = self.spec.to_display(value)
        self._updating = True
        try:
            self.spin.setRange(min(self.spec.minimum, shown), max(self.spec.maximum, shown))
            self.spin.setValue(shown)
        finally:
            self._updating = False
        if not self.slider.isSliderDown():
            self._show_slider(value)
        self.reset.setEnabled(not at_baseline)
        self.reset.setToolTip("Back to the baseline value" if not at_baseline
                              else "At the baseline value")
        for w in (self.label, self.slider, self.spin):
            w.setToolTip(tooltip)
        font = self.label.font()
        font.setItalic(not at_baseline)
        self.label.setFont(font)

    def value(self) -> float:
        return self._value


class AssumptionsPanel(QScrollArea):
    """All sliders, grouped, bound to a :class:`PlanDocument`."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assumptionsPanel")
        self.document = document
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        hint = QLabel("Drag a slider and the plan re-solves. Each control scales the full "
                      "tables; hover for sources, ↺ resets to the opened scenario.")
        hint.setWordWrap(True)
        font = hint.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        hint.setFont(font)
        layout.addWidget(hint)
        self.rows: dict[str, SliderRow] = {}
        groups: dict[str, QGridLayout] = {}
        for spec in SLIDERS:
            if spec.group not in groups:
                box = QGroupBox(spec.group)
                box.setObjectName(f"group_{spec.group}")
                grid = QGridLayout(box)
                grid.setContentsMargins(6, 2, 2, 2)
                grid.setHorizontalSpacing(6)
                grid.setVerticalSpacing(1)
                grid.setColumnStretch(1, 1)
                grid.setColumnMinimumWidth(0, 104)
                groups[spec.group] = grid
                layout.addWidget(box)
            row = SliderRow(spec, self)
            row.edited.connect(self._on_edited)
            row.reset_requested.connect(self.document.reset_slider)
            grid = groups[spec.group]
            row.add_to(grid, sum(1 for r in self.rows.values() if r.spec.group == spec.group))
            self.rows[spec.key] = row
        layout.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(body.minimumSizeHint().width() + 16)
        document.inputs_changed.connect(self.refresh)
        document.file_changed.connect(self.refresh)
        self.refresh()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """No wider than the controls need, so the plan gets the room."""
        return QSize(self.minimumWidth(), super().sizeHint().height())

    def _on_edited(self, key: str, value: float, gesture: object) -> None:
        self.document.adjust(key, value, gesture)

    def refresh(self, *_args: object) -> None:
        """Show the values measured from the document's current inputs."""
        inputs = self.document.inputs
        baseline = self.document.baseline
        now: Adjustments = adjustments_from(inputs, baseline)
        base: Adjustments = adjustments_from(baseline, baseline)
        for key, row in self.rows.items():
            at_base = reset_adjustment(inputs, key, baseline) == inputs
            row.show_value(getattr(now, key), at_base,
                           slider_tooltip(row.spec, inputs, getattr(base, key)))
