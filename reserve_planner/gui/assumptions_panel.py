"""The Assumptions panel: grouped sliders, each with a spin box, its unit, sources and a reset.

Sliders hold no state of their own: they show values measured from the document's inputs
(:func:`~reserve_planner.model.adjustments.adjustments_from`) and send moves back through
:meth:`PlanDocument.adjust`, which rewrites the full tables in one undo step per drag.
"""

from __future__ import annotations

import html
import itertools
import math

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
    is_full_embargo,
    reset_adjustment,
    slider_fields,
)
from . import formatting as fmt
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


#: How a governed table cell reads in a tooltip: factor to the shown unit, decimals, unit.
_CELL_UNITS: dict[str, tuple[float, int, str]] = {
    "price_usd_per_kg": (1.0, 2, "$/kg"),
    "price_log_volatility": (1.0, 3, "log s.d."),
    "shortage_cost_usd_per_kg": (1.0, 0, "$/kg"),
    "storage_cost_usd_per_t_yr": (1.0, 0, "$/t/yr"),
    "china_exposed_share": (100.0, 1, "%"),
    "allied_exposed_share": (100.0, 1, "%"),
    "allied_supply_t_per_yr": (1.0, 0, "t/yr"),
    "probability": (100.0, 2, "%"),
    "duration_months": (1.0, 0, "months"),
}
_MAX_ROWS = 8  # value lines per tooltip
_MAX_NAMES = 6  # row names per source line


def _number(value: float, factor: float, decimals: int, unit: str) -> str:
    text = f"{value * factor:,.{decimals}f}"
    if unit.startswith("$"):
        return f"${text}{unit[1:]}"
    return f"{text} {unit}" if unit != "%" else f"{text}%"


def cell_text(inputs: PlanInputs, path: str, spec: SliderSpec | None = None) -> str | None:
    """The value of the table cell at source ``path`` as the tables show it, with its unit
    (``"$70.00/kg"``, ``"30.0%"``, ``"first output Jan 2028"``); None if ``inputs`` has no
    such cell."""
    parts = path.split("/")
    table, field = parts[0], parts[-1]
    if table == "policy":
        if spec is None or not hasattr(inputs.policy, field):
            return None
        return _format(spec, getattr(inputs.policy, field))
    name = "/".join(parts[1:-1])
    rows = {r.name: r for r in getattr(inputs, table, ())}
    row = rows.get(name)
    if row is None:
        return None
    if field == "depth":
        cuts = [f"{m} {d * 100:.0f}%" for m, d in row.depth_by_material if d > 0]
        return "cuts " + ", ".join(cuts) if cuts else "cuts nothing"
    if field == "earliest_online_month":
        month = row.earliest_online_month
        return f"first output {fmt.month_label(inputs.policy.start_year, month)}"
    value = getattr(row, field, None)
    if value is None or field not in _CELL_UNITS:
        return None
    factor, decimals, unit = _CELL_UNITS[field]
    if isinstance(value, tuple):  # a yearly series: its first and last plan year
        if not value:
            return None
        first, last = value[0], value[-1]
        text = _number(first, factor, decimals, unit)
        if len(value) > 1 and last != first:
            text += f" in {inputs.policy.start_year}, {_number(last, factor, decimals, unit)} later"
        return text
    return _number(value, factor, decimals, unit)


def slider_tooltip(spec: SliderSpec, inputs: PlanInputs, baseline: PlanInputs,
                   now_value: float, baseline_value: float) -> str:
    """Rich-text tooltip: what the slider does, its value now and at the baseline, the
    table values it governs (now, and at the baseline when different), and the sources of
    every row, each source naming all the rows it covers. User text is escaped."""
    paths = slider_fields(inputs, spec.key)
    relative = spec.unit.startswith("×")
    parts = [f"<p><b>{html.escape(spec.label)}</b>: {html.escape(spec.help)}</p>"]
    now_text = html.escape(_format(spec, now_value))
    if relative:
        parts.append(f"<p>Now {now_text} (1.00× is the scenario as opened)</p>")
    elif spec.key == "embargo_duration_months":
        top = slider_limits(spec, inputs, spec.to_display(now_value))[1]
        parts.append(f"<p>Now: {now_text} (mean); baseline: "
                     f"{html.escape(_format(spec, baseline_value))}. The slider stops at "
                     f"{html.escape(_format(spec, top))}, where an embargo would run past "
                     "the end of the plan.</p>")
    else:
        parts.append(f"<p>Now: {now_text}; baseline: "
                     f"{html.escape(_format(spec, baseline_value))}</p>")
    if spec.key not in ("discount_rate_per_yr", "annual_budget_usd", "tariff_share",
                        "min_cover_days", "risk_aversion"):
        lines = []
        for path in paths:
            now = cell_text(inputs, path, spec)
            if now is None:
                continue
            row = path.split("/")[1] if path.count("/") >= 2 else ""
            before = cell_text(baseline, path, spec)
            line = f"{html.escape(row)}: {html.escape(now)}"
            if before is not None and before != now:
                line += f" <i>(baseline {html.escape(before)})</i>"
            lines.append(line)
        if lines:
            more = f"<br>… and {len(lines) - _MAX_ROWS} more (see the tables)" \
                if len(lines) > _MAX_ROWS else ""
            parts.append("<p><i>Values in the tables</i><br>"
                         + "<br>".join(lines[:_MAX_ROWS]) + more + "</p>")
    by_source: dict[str, list[str]] = {}
    for path in paths:
        source = inputs.source(path)
        if source is None:
            continue
        row = path.split("/")[1] if path.count("/") >= 2 else ""
        names = by_source.setdefault(source.label(), [])
        if row and row not in names:
            names.append(row)
    lines = []
    for label, names in by_source.items():
        shown = ", ".join(html.escape(n) for n in names[:_MAX_NAMES])
        if len(names) > _MAX_NAMES:
            shown += f" and {len(names) - _MAX_NAMES} more"
        lines.append(f"{html.escape(label)}" + (f" — <b>{shown}</b>" if shown else ""))
    more = ""
    if len(lines) > _MAX_ROWS:
        more = f"<br>… and {len(lines) - _MAX_ROWS} more sources (see the tables)"
        lines = lines[:_MAX_ROWS]
    sources = "<br>".join(lines) if lines else "no source recorded"
    parts.append(f"<p><i>Sources</i><br>{sources}{more}</p>")
    return "".join(parts)


def slider_limits(spec: SliderSpec, inputs: PlanInputs, now_value: float
                  ) -> tuple[float, float]:
    """The slider's range for ``inputs`` in displayed units.

    The embargo length stops where the first full embargo would run past the end of the
    horizon (the slider stretches all embargoes by one factor), so dragging never makes an
    embargo the plan cannot hold (it once made "97 months from 2028" in a 120-month plan);
    a longer mean can still be typed in its box. Every other slider has its fixed range.
    """
    if spec.key != "embargo_duration_months":
        return spec.minimum, spec.maximum
    horizon = inputs.policy.horizon_months
    ratios = [(horizon - s.start_month) / s.duration_months for s in inputs.scenarios
              if s.duration_months > 0 and s.start_month < horizon
              and is_full_embargo(s, inputs.material_names)]
    if not ratios or now_value <= 0:
        return spec.minimum, spec.maximum
    top = math.floor(now_value * min(ratios) / spec.step + 1e-9) * spec.step
    top = min(spec.maximum, max(top, spec.minimum + spec.step, now_value))
    return spec.minimum, top


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
        self._limits = (spec.minimum, spec.maximum)

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
        shown = self._limits[0] + position * self.spec.step
        gesture = self._gesture if self.slider.isSliderDown() else next(_GESTURES)
        self.edited.emit(self.spec.key, self.spec.from_display(shown), gesture)

    def _spin_changed(self, shown: float) -> None:
        if self._updating:
            return
        self.edited.emit(self.spec.key, self.spec.from_display(shown), next(_GESTURES))

    # ------------------------------------------------------------------ display

    def _show_slider(self, value: float) -> None:
        position = round((self.spec.to_display(value) - self._limits[0]) / self.spec.step)
        self._updating = True
        try:
            self.slider.setValue(min(self._steps, max(0, position)))
        finally:
            self._updating = False

    def set_limits(self, minimum: float, maximum: float) -> None:
        """The slider's range in displayed units (see :func:`slider_limits`); the spin box
        keeps the spec's range, so a value may still be typed beyond it."""
        if (minimum, maximum) == self._limits:
            return
        self._limits = (minimum, maximum)
        self._steps = max(1, round((maximum - minimum) / self.spec.step))
        self._updating = True
        try:
            self.slider.setRange(0, self._steps)
            self.slider.setPageStep(max(1, self._steps // 10))
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
            value = getattr(now, key)
            row.set_limits(*slider_limits(row.spec, inputs, row.spec.to_display(value)))
            row.show_value(value, at_base,
                           slider_tooltip(row.spec, inputs, baseline, value, getattr(base, key)))
