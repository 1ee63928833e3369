"""The plan: headline figures, a per-material table and the charts.

:class:`PlanView` shows one :class:`~reserve_planner.gui.solver_worker.SolveOutcome` at a time.
A plan that cannot be made (infeasible, invalid inputs, solver error) is explained in words in
a banner: which limits conflict, or which inputs are wrong, never a stack trace. The charts
render on their own thread (see :mod:`~reserve_planner.gui.charts`): showing a plan only asks
for new images, so the figures never wait for the charts.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..model import PlanInputs
from ..optimize import PlanResult, SolveStatus
from . import formatting as fmt
from .charts import CostChart, ReserveChart, UnmetChart
from .solver_worker import SolveOutcome


class PlanTable(QTableWidget):
    """The per-material table, exactly as tall as its rows (plus a scroll bar if needed)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(i) for i in range(self.rowCount()))
        content = sum(self.columnWidth(i) for i in range(self.columnCount()))
        if content > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        return QSize(hint.width(), height + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(200, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.updateGeometry()


class HeadlineCard(QFrame):
    """A caption, one large number and a line of detail."""

    def __init__(self, caption: str, tooltip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("headlineCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.caption = QLabel(caption)
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        self.caption.setFont(font)
        self.caption.setForegroundRole(self.caption.foregroundRole())
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.value = QLabel(fmt.DASH)
        self.value.setTextFormat(Qt.TextFormat.PlainText)
        big = QFont(self.value.font())
        big.setPointSizeF(big.pointSizeF() * 1.7)
        big.setWeight(QFont.Weight.DemiBold)
        self.value.setFont(big)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel("")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setFont(font)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 2 + 2)
        for w in (self.caption, self.value, self.detail):
            layout.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(120)
        self.setAccessibleName(caption)

    def set(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{value}. {detail}")


_COLUMNS = (
    ("Material", "Material held in the reserve"),
    ("Reserve\n(t)", "Reserve target in tonnes of material"),
    ("Import cover\n(days)", "IEA convention: 90% of the reserve over the previous year's net "
     "imports per day"),
    ("Cost to fill\n($)", "Purchases at normal prices to build the reserve (not discounted)"),
    ("Filled\nby", "Month of the last planned purchase"),
    ("Price floor\n($/kg)", "Guaranteed minimum price paid to producers; – for no floor"),
    ("Projects the floor\nbrings online", "Projects made bankable by the floor, with first output"),
    ("Expected floor\npayout ($)", "Discounted expected payout, net of the upside share"),
    ("Worst-case\npayout ($)", "Payout with prices at their 5% quantile and no project failing"),
    ("Shortfall with\nplan (t)", "Expected demand left unmet over the horizon, with the plan"),
    ("Shortfall, status\nquo (t)", "Expected demand left unmet with existing commitments "
     "only: no new reserve and no new floor"),
    ("Near-\noptimal (t)", "Reserve sizes whose expected cost is within 1% of the "
     "optimum (computed in the background after each plan)"),
)
NEAR_OPTIMAL_COLUMN = len(_COLUMNS) - 1


def _calm_path_note(r: PlanResult) -> str:
    """The calm path and the scenarios' refills in words, for the summary line's tooltip."""
    lines = ["The dashed line is the calm-path target: the stock bought while nothing has "
             "happened. Every future follows that schedule until its first disruption "
             "begins; from then on it buys on its own, only to refill between episodes."]
    for s in r.by_input_scenario().scenarios:
        if s.refill_t is None or s.refill_t.sum() <= 0.05:
            continue
        parts = [f"{m} {v:,.1f} t" for m, v in zip(r.material_names, s.refill_t.sum(axis=1),
                                                   strict=True) if v > 0.05]
        lines.append(f"Refills in '{s.name}': " + ", ".join(parts))
    return "\n".join(lines)


class PlanView(QWidget):
    """Headline figures, the per-material plan, and three charts."""

    #: A new outcome is on screen (figures set; charts asked to render).
    updated = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("planView")
        self.outcome: SolveOutcome | None = None

        self.banner = QLabel()
        self.banner.setObjectName("planBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The banner scrolls past about ten lines, so a long list of conflicts never makes
        # the window taller than a small screen (it once pushed the status bar off one).
        self.banner_box = QScrollArea()
        self.banner_box.setObjectName("planBannerBox")
        self.banner_box.setWidget(self.banner)
        self.banner_box.setWidgetResizable(True)
        self.banner_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.banner_box.setStyleSheet("QScrollArea#planBannerBox { border: 1px solid "
                                      "#D55E00; border-radius: 4px; }"
                                      "QLabel#planBanner { padding: 6px; }")
        self.banner_box.setMaximumHeight(self.fontMetrics().lineSpacing() * 10 + 16)
        self.banner_box.setSizePolicy(QSizePolicy.Policy.Expanding,
                                      QSizePolicy.Policy.Maximum)
        self.banner_box.hide()

        self.cards = {
            "reserve": HeadlineCard("Reserve to build", "Cost to buy the whole reserve at "
                                    "normal prices, and when it is complete"),
            "floor": HeadlineCard("Price floors", "Expected discounted floor payouts and the "
                                  "worst case (prices at their 5% quantile)"),
            "shortfall": HeadlineCard("Expected shortage damage", "Cost of demand left "
                                      "unmet over the horizon, probability-weighted and "
                                      "discounted, all materials in dollars (each "
                                      "material's tonnes are in the table)"),
            "bcr": HeadlineCard("Benefit / cost", "Shortage damage avoided per dollar of "
                                "reserve and floor cost"),
            "total": HeadlineCard("Total expected cost", "Discounted expected cost of the plan "
                                  "including shortage damage and the risk premium"),
        }
        cards = QHBoxLayout()
        cards.setSpacing(8)
        for card in self.cards.values():
            cards.addWidget(card)

        self.table = PlanTable(0, len(_COLUMNS))
        self.table.setObjectName("materialPlanTable")
        self.table.setAccessibleName("Plan by material")
        for i, (head, tip) in enumerate(_COLUMNS):
            item = QTableWidgetItem(head)
            item.setToolTip(tip)
            self.table.setHorizontalHeaderItem(i, item)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.material_box = QComboBox()
        self.material_box.setAccessibleName("Material shown in the charts")
        self.material_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.material_box.currentTextChanged.connect(self._update_charts)
        chart_label = QLabel("&Charts for:")
        chart_label.setBuddy(self.material_box)
        self.reserve_chart = ReserveChart()
        self.unmet_chart = UnmetChart()
        self.cost_chart = CostChart()
        self.charts = (self.reserve_chart, self.unmet_chart, self.cost_chart)
        # One chart at a time, each the full width: three side by side left each too
        # narrow for its labels and legend on a laptop screen.
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setObjectName("chartTabs")
        self.chart_tabs.setDocumentMode(True)
        for chart, name, tip in (
                (self.reserve_chart, "Reserve over time",
                 "Reserve stock of the material in each scenario [t]"),
                (self.unmet_chart, "Unmet demand",
                 "Unmet demand of the material in each scenario, with the plan and in the "
                 "status quo [t]"),
                (self.cost_chart, "Cost by term",
                 "Expected discounted cost of the plan by term, all materials [$M]")):
            index = self.chart_tabs.addTab(chart, name)
            self.chart_tabs.setTabToolTip(index, tip)

        top = QHBoxLayout()
        top.addWidget(chart_label)
        top.addWidget(self.material_box)
        top.addStretch(1)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("planSummary")
        top.addWidget(self.summary)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.banner_box)
        layout.addLayout(cards)
        layout.addWidget(self.table)
        layout.addLayout(top)
        layout.addWidget(self.chart_tabs, 1)
        self.show_message("Solving the plan…")

    # ------------------------------------------------------------------ access for tests

    def figure_texts(self) -> dict[str, str]:
        """Every displayed figure as text, keyed by card or ``material/column``."""
        out = {f"card/{k}": f"{c.value.text()} | {c.detail.text()}" for k, c in self.cards.items()}
        for r in range(self.table.rowCount()):
            name = self.table.item(r, 0).text()
            for c in range(1, self.table.columnCount()):
                head = _COLUMNS[c][0].replace("\n", " ")
                item = self.table.item(r, c)
                out[f"{name}/{head}"] = item.text() if item else ""
        return out

    def show_near_optimal(self, outcome: SolveOutcome) -> None:
        """Fill the near-optimal column from a background solve of the inputs on screen;
        a result for other inputs (the plan moved on) is ignored."""
        if self.outcome is None or outcome.inputs != self.outcome.inputs \
                or not outcome.result.status.has_plan:
            return
        for row, m in enumerate(outcome.result.materials):
            item = self.table.item(row, NEAR_OPTIMAL_COLUMN)
            if item is not None and m.near_optimal is not None:
                item.setText(_near_optimal_text(m))
                item.setToolTip(fmt.tooltip_html(m.near_optimal.label()))

    @property
    def result(self) -> PlanResult | None:
        return self.outcome.result if self.outcome is not None else None

    @property
    def has_plan(self) -> bool:
        return self.result is not None and self.result.status.has_plan

    @property
    def charts_current(self) -> bool:
        """Every visible chart shows an image of its newest data at its current size."""
        return all(c.is_current for c in self.charts if c.isVisible())

    # ------------------------------------------------------------------ showing

    def show_message(self, text: str) -> None:
        """No plan yet: blank figures and a message in the charts."""
        for card in self.cards.values():
            card.set(fmt.DASH, "")
        self.table.setRowCount(0)
        self.table.hide()  # an empty table only takes room from the message and charts
        for chart in self.charts:
            chart.render_empty(text)

    def show_outcome(self, outcome: SolveOutcome) -> None:
        self.outcome = outcome
        result = outcome.result
        if result.status.has_plan:
            self.banner_box.setVisible(result.status is SolveStatus.TIME_LIMIT)
            self.banner.setText(html.escape(result.message))
            self._show_plan(outcome.inputs, result)
        else:
            self.banner.setText(_explain(result))
            self.banner_box.show()
            self.summary.setText("")
            self.show_message("No plan: see the message above")
        self.updated.emit(outcome)

    def _show_plan(self, inputs: PlanInputs, r: PlanResult) -> None:
        mats = r.materials
        outlay = sum(m.planned_outlay_usd for m in mats)
        last = max((m.months_to_fill for m in mats), default=0)
        filled = f"complete by {fmt.month_label(r.start_year, last - 1)}" if last else \
            "no purchases"
        self.cards["reserve"].set(fmt.money(outlay), f"{len(mats)} materials, {filled}")
        n_floor = sum(1 for m in mats if m.floor.has_floor)
        n_proj = sum(len(m.floor.projects) for m in mats)
        payout = sum(m.floor.expected_payout_usd for m in mats)
        worst = sum(m.floor.worst_case_payout_usd for m in mats)
        self.cards["floor"].set(
            fmt.money(payout),
            f"expected payout; worst case {fmt.money(worst)}. Floors on {n_floor} of "
            f"{len(mats)} materials bring {n_proj} project{'s' if n_proj != 1 else ''} online")
        # Dollars, not tonnes: tonnes of oxide and of magnets do not add up (the table
        # gives each material's shortfall in its own tonnes).
        assert r.costs is not None
        damage = r.costs.shortage_usd
        sq_damage = r.status_quo.shortage_usd if r.status_quo is not None else float("nan")
        cut = 1 - damage / sq_damage if sq_damage > 0 else 0.0
        self.cards["shortfall"].set(
            fmt.money(damage),
            f"expected, with the plan; {fmt.money(sq_damage)} in the status quo "
            f"({cut:.0%} less). Tonnes by material in the table")
        added = r.incremental_cost_usd
        self.cards["bcr"].set(
            fmt.ratio(r.benefit_cost_ratio) if added > 0 else "no net cost",
            f"{fmt.money(r.expected_shortage_avoided_usd)} of shortage damage avoided against "
            f"the status quo, for {fmt.money(added)} added"
            + ("" if added > 0 else " (the new floors' upside share pays for the plan)"))
        assert r.costs is not None
        sq = r.status_quo
        self.cards["total"].set(
            fmt.money(r.costs.total_usd),
            f"expected {fmt.money(r.costs.expected_cost_usd)} + risk "
            f"{fmt.money(r.costs.risk_premium_usd)}"
            + (f"; status quo {fmt.money(sq.objective_usd)}, of it contracted floors "
               f"{fmt.money(sq.contracted_payout_usd)}" if sq is not None else ""))
        self.table.setRowCount(len(mats))
        self.table.show()
        for row, m in enumerate(mats):
            projects = "; ".join(p.name for p in m.floor.projects)
            online = "\n".join(f"{p.name}: {p.kind}, {p.capacity_t_per_yr:,.0f} t/yr, first "
                               f"output {p.first_output}, full {p.full_output}, failure chance "
                               f"{p.failure_probability:.0%}" for p in m.floor.projects)
            cells = (
                m.material,
                fmt.number(m.reserve_target_t, 1 if m.reserve_target_t < 100 else 0),
                fmt.number(m.days_of_import_cover),
                fmt.money(m.planned_outlay_usd),
                fmt.month_label(r.start_year, m.months_to_fill - 1) if m.months_to_fill
                else fmt.DASH,
                fmt.number(m.floor.level_usd_per_kg, 2) if m.floor.has_floor else fmt.DASH,
                projects or fmt.DASH,
                fmt.money(m.floor.expected_payout_usd),
                fmt.money(m.floor.worst_case_payout_usd),
                fmt.number(m.expected_unmet_t, 1),
                fmt.number(m.expected_unmet_without_plan_t, 1),
                _near_optimal_text(m) if m.near_optimal is not None else "…",
            )
            for col, text in enumerate(cells):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, col, item)
                item.setText(text)
                align = Qt.AlignmentFlag.AlignVCenter | (
                    Qt.AlignmentFlag.AlignLeft if col in (0, 6) else Qt.AlignmentFlag.AlignRight)
                item.setTextAlignment(align)
                if col == 6:
                    item.setToolTip(fmt.tooltip_html(online or "No floor for this material"))
        self.table.updateGeometry()
        n_inputs = len({s.parent or s.name for s in r.scenarios})
        solved = (f"{n_inputs} scenarios ({len(r.scenarios)} start-month variants)"
                  if n_inputs < len(r.scenarios) else f"{len(r.scenarios)} scenarios")
        text = f"{solved} solved together; dashed line: calm-path target"
        if r.warnings:  # inputs that solve but look inconsistent: say so, in full on hover
            n = len(r.warnings)
            text += f" \u2014 \u26a0 {n} input warning{'s' if n > 1 else ''} (hover to read)"
        self.summary.setText(text)
        self.summary.setToolTip(fmt.tooltip_html("\n\n".join([_calm_path_note(r),
                                                               *r.warnings])))
        names = list(r.material_names)
        current = self.material_box.currentText()
        if [self.material_box.itemText(i) for i in range(self.material_box.count())] != names:
            self.material_box.blockSignals(True)
            self.material_box.clear()
            self.material_box.addItems(names)
            self.material_box.setCurrentIndex(names.index(current) if current in names else 0)
            self.material_box.blockSignals(False)
        self._update_charts()

    def _update_charts(self, *_args: object) -> None:
        """Give the charts the plan for the chosen material. This only posts render
        requests (the render thread draws, newest request first, older ones are skipped),
        so it costs the GUI thread next to nothing."""
        if not self.has_plan or self.outcome is None:
            return
        material = self.material_box.currentText()
        if material not in self.outcome.result.material_names:
            return
        for chart in self.charts:
            chart.set_data(self.outcome.inputs, self.outcome.result, material)


def _explain(result: PlanResult) -> str:
    """Rich text telling the planner why there is no plan and what to change."""
    head = f"<b>{html.escape(fmt.STATUS_WORDS.get(result.status, result.status.value))}.</b>"
    lines: list[str] = []
    if result.status is SolveStatus.INFEASIBLE:
        if result.conflicts:
            head += " These limits conflict; relax one of them:"
            lines = [html.escape(c.sentence) for c in result.conflicts]
        else:
            head += " " + html.escape(result.message)
    elif result.status is SolveStatus.INVALID_INPUT:
        head += " Fix these in the tables or the file:"
        lines = [html.escape(p) for p in result.problems]
    else:
        head += " " + html.escape(result.message)
    if len(lines) > 12:
        lines = [*lines[:12], f"… and {len(lines) - 12} more"]
    items = "".join(f"<li>{line}</li>" for line in lines)
    return head + (f"<ul style='margin-top:2px'>{items}</ul>" if items else "")


def _near_optimal_text(m) -> str:
    curve = m.near_optimal
    high = f"{curve.high_t:,.0f}" + ("+" if curve.high_is_limit else "")
    return f"{curve.low_t:,.0f}–{high}"
