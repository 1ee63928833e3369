"""Every assumption slider changes the inputs and the figures; undo puts both back."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence

from reserve_planner.gui.main_window import MainWindow
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model.adjustments import SLIDERS, adjustments_from

BASE = load_article_baseline()

# A value per slider (displayed units) that moves at least one displayed figure.
TEST_VALUES = {
    "probability_scale": 1.4,
    "embargo_duration_months": 13,
    "depth_scale": 0.5,
    "china_processing_share": 70,
    "china_mining_share": 80,
    "price_scale": 1.5,
    "volatility_scale": 2.0,
    "shortage_cost_scale": 0.5,
    "storage_cost_scale": 4.0,
    "discount_rate_per_yr": 8.0,
    "annual_budget_usd": 20,
    "tariff_share": 0,
    "min_cover_days": 200,
    "risk_aversion": 1.0,
    "project_delay_months": 24,
    "allied_supply_scale": 2.0,
}


def reserve_t(window: MainWindow, material: str = "NdPr oxide") -> float:
    return float(window.plan_view.figure_texts()[f"{material}/Reserve (t)"].replace(",", ""))


def test_every_slider_has_a_test_value() -> None:
    assert set(TEST_VALUES) == {s.key for s in SLIDERS}


def test_the_window_opens_on_the_solved_baseline(window: MainWindow) -> None:
    assert window.windowTitle().startswith("Article baseline")
    assert window.status_label.text() == "Optimal plan found"
    assert window.time_label.text().startswith("solved in")
    texts = window.plan_view.figure_texts()
    assert texts["NdPr oxide/Reserve (t)"] != "–"
    assert window.act_pdf.isEnabled()


@pytest.mark.parametrize("key", list(TEST_VALUES))
def test_slider_changes_inputs_and_figures_and_undo_restores(window: MainWindow, qtbot,
                                                             key: str) -> None:
    row = window.assumptions.rows[key]
    before = window.plan_view.figure_texts()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        row.spin.setValue(TEST_VALUES[key])
    assert window.document.inputs != BASE
    assert window.document.is_modified and window.isWindowModified()
    after = window.plan_view.figure_texts()
    assert after != before, f"moving {key} changed no displayed figure"
    assert row.spin.value() == pytest.approx(row.spec.to_display(
        getattr(adjustments_from(window.document.inputs, BASE), key)),
        abs=10 ** -row.spec.decimals)
    assert window.act_undo.text().startswith("&Undo Change")
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.act_undo.trigger()
    assert window.document.inputs == BASE
    assert not window.document.is_modified
    assert window.plan_view.figure_texts() == before
    assert row.spin.value() == pytest.approx(row.spec.to_display(
        getattr(adjustments_from(BASE), key)), abs=10 ** -row.spec.decimals)


def test_dragging_the_embargo_slider_grows_the_reserve_in_one_undo_step(
        window: MainWindow, qtbot) -> None:
    row = window.assumptions.rows["embargo_duration_months"]
    slider = row.slider
    start = reserve_t(window)
    slider.setSliderDown(True)  # sliderPressed: a new gesture
    for months in (11, 12, 13):
        slider.setValue(round((months - row.spec.minimum) / row.spec.step))
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        slider.setSliderDown(False)
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)
    assert window.document.undo_stack.count() == 1
    assert round(adjustments_from(window.document.inputs).embargo_duration_months) == 13
    assert reserve_t(window) > start
    assert row.spin.value() == 13
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.document.undo_stack.undo()
    assert reserve_t(window) == start


def test_a_table_edit_moves_the_slider(window: MainWindow, qtbot) -> None:
    model = window.tables.models["Materials"]
    col = next(i for i in range(model.columnCount()) if model.column(i).field
               == "price_usd_per_kg")
    doubled = f"{BASE.materials[0].price_usd_per_kg * 2:.10g}"
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        assert model.setData(model.index(0, col), doubled)  # the first price doubled
    # mean of per-material ratios: (2 + 1 + 1 + 1) / 4
    assert window.assumptions.rows["price_scale"].spin.value() == pytest.approx(1.25)
    assert window.assumptions.rows["price_scale"].reset.isEnabled()


def test_reset_button_restores_the_baseline_values(window: MainWindow, qtbot) -> None:
    row = window.assumptions.rows["tariff_share"]
    assert not row.reset.isEnabled()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        row.spin.setValue(150)
    assert row.reset.isEnabled()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        row.reset.click()
    assert window.document.inputs == BASE
    assert row.spin.value() == pytest.approx(BASE.policy.tariff_share * 100)
    assert not row.reset.isEnabled()
    assert window.document.undo_stack.undoText() == "Reset tariff on China"


def test_slider_tooltips_name_their_sources(window: MainWindow) -> None:
    import html

    tip = window.assumptions.rows["annual_budget_usd"].slider.toolTip()
    label = BASE.source("policy/annual_budget_usd").label()
    budget = f"${BASE.policy.annual_budget_usd / 1e6:,.0f}M/yr"
    assert html.escape(label) in tip and f"Now: {budget}; baseline: {budget}" in tip
    tip = window.assumptions.rows["price_scale"].slider.toolTip()
    assert "NdPr oxide" in tip and "SMM" in tip


def test_relative_slider_tooltips_give_the_values_and_every_source(window: MainWindow,
                                                                   qtbot) -> None:
    """ "Baseline: 1.0× baseline" said nothing; the tooltip now gives the table values it
    moves, and each source names every row it covers."""
    from PySide6.QtGui import QTextDocument

    def shown(key: str) -> str:
        doc = QTextDocument()
        doc.setHtml(window.assumptions.rows[key].slider.toolTip())
        return doc.toPlainText()

    tip = shown("price_scale")
    assert "1.00× baseline" not in tip.replace("Now 1.00× baseline", "")
    for m in BASE.materials:
        assert f"{m.name}: ${m.price_usd_per_kg:,.2f}/kg" in tip
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["price_scale"].spin.setValue(1.5)
    tip = shown("price_scale")
    m = BASE.materials[0]
    assert (f"{m.name}: ${m.price_usd_per_kg * 1.5:,.2f}/kg "
            f"(baseline ${m.price_usd_per_kg:,.2f}/kg)") in tip
    # A source shared by several rows names all of them, not only the first.
    tip = shown("embargo_duration_months")
    embargoes = [s.name for s in BASE.scenarios if s.name.startswith("Full embargo")]
    sources_part = tip.split("Sources", 1)[1]
    for name in embargoes[:6]:
        assert name in sources_part
    assert "and 3 more" in sources_part


def test_the_embargo_slider_never_runs_an_embargo_past_the_horizon(window: MainWindow,
                                                                   qtbot) -> None:
    row = window.assumptions.rows["embargo_duration_months"]
    slider = row.slider
    slider.setSliderDown(True)
    slider.setValue(slider.maximum())
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        slider.setSliderDown(False)
    inputs = window.document.inputs
    horizon = inputs.policy.horizon_months
    embargoes = [s for s in inputs.scenarios if s.name.startswith("Full embargo")]
    assert max(s.start_month + s.duration_months for s in embargoes) <= horizon
    assert row.spin.value() >= 12  # still a useful range above the baseline's 10.4
    assert slider.maximum() <= 20  # one step is one month, at most a few dozen steps
    assert "stops at" in row.slider.toolTip()


def test_undo_and_redo_use_the_platform_keys(window: MainWindow) -> None:
    assert QKeySequence(QKeySequence.StandardKey.Undo) in window.act_undo.shortcuts()
    redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    assert all(k in window.act_redo.shortcuts() for k in redo_keys)
    assert not window.act_undo.isEnabled()


def test_many_quick_moves_show_only_the_last_inputs(window: MainWindow, qtbot) -> None:
    row = window.assumptions.rows["price_scale"]
    for value in (1.1, 1.2, 1.3, 1.4, 1.5, 1.6):
        row.spin.setValue(value)
    qtbot.waitUntil(lambda: not window.solver.is_busy, timeout=20_000)
    qtbot.waitUntil(lambda: window.plan_view.outcome is not None
                    and window.plan_view.outcome.inputs is window.document.inputs,
                    timeout=20_000)
    assert adjustments_from(window.plan_view.outcome.inputs, BASE).price_scale \
        == pytest.approx(1.6)
