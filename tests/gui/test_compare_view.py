"""Pinning plans and comparing them: pin, rename and remove are undo steps, the comparison
lists exactly the inputs that differ, pinned plans are saved in the workbook and come back
when it is opened, and a workbook can be opened for comparison only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from reserve_planner.gui import dialogs
from reserve_planner.gui.compare_view import wait_for_comparisons
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.gui.pinned_plans import PinnedPlan, PinnedPlans, check_name, suggest_name
from reserve_planner.io.baseline import load_article_baseline


@pytest.fixture(autouse=True)
def join_comparisons():
    yield
    assert wait_for_comparisons(60_000)


def set_tariff(window: MainWindow, share: float) -> None:
    doc = window.document
    doc.edit(replace(doc.inputs, policy=replace(doc.inputs.policy, tariff_share=share)),
             "Change tariff")


def solved(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.plan_view.outcome is not None
                    and window.plan_view.outcome.inputs == window.document.inputs,
                    timeout=20_000)


def compare_all(qtbot, window: MainWindow):
    view = window.compare_view
    view.select_all()
    with qtbot.waitSignal(view.compared, timeout=60_000) as blocker:
        assert view.compare()
    return blocker.args[0]


def pin_two_tariffs(qtbot, window: MainWindow) -> None:
    assert window.pin_plan("Baseline")
    set_tariff(window, 0.35)
    solved(qtbot, window)
    assert window.pin_plan("Tariff 35%")


# ---------------------------------------------------------------------------------- model


def test_names_are_checked_and_suggested():
    base = load_article_baseline()
    assert check_name("  Budget   up ") == "Budget up"
    with pytest.raises(ValueError, match="needs a name"):
        check_name("   ")
    with pytest.raises(ValueError, match="already pinned"):
        check_name("budget up", ["Budget up"])
    with pytest.raises(ValueError, match="at most 80"):
        check_name("x" * 81)
    assert suggest_name(base, base) == base.name
    assert suggest_name(base, base, [base.name]) == f"{base.name} (2)"
    higher = replace(base, policy=replace(base.policy, tariff_share=0.35))
    name = suggest_name(higher, base)
    assert "tariff" in name.lower() and "35%" in name and "more" not in name
    both = replace(higher, policy=replace(higher.policy, risk_aversion=0.5))
    assert suggest_name(both, base).endswith("and 1 more change")


def test_the_model_tells_its_listeners():
    base = load_article_baseline()
    plans = PinnedPlans()
    calls: list[tuple[str, ...]] = []
    plans.subscribe(lambda: calls.append(plans.names))
    plans.insert(PinnedPlan("A", base))
    plans.insert(PinnedPlan("B", base), 0)
    plans.rename("A", "C")
    b = plans.get("B")
    assert plans.remove("B") == (0, b)
    assert calls == [("A",), ("B", "A"), ("B", "C"), ("C",)]
    with pytest.raises(ValueError, match="already pinned"):
        plans.insert(PinnedPlan("c", base))
    assert len(calls) == 4  # a refused change tells no one


# ---------------------------------------------------------------------------------- window


def test_pin_two_plans_and_compare_lists_exactly_the_input_that_differs(qtbot, window):
    pin_two_tariffs(qtbot, window)
    assert window.pinned.names == ("Baseline", "Tariff 35%")
    # pinned while the plan was on screen: the snapshot keeps it
    assert all(p.result is not None for p in window.pinned)
    c = compare_all(qtbot, window)
    assert c is window.compare_view.comparison
    assert c.names == ("Baseline", "Tariff 35%")
    assert [d.path for d in c.inputs] == ["policy/tariff_share"]
    view = window.compare_view
    table = view.inputs_model.table
    assert len(table.rows) == 1
    row = [cell.text for cell in table.rows[0]]
    assert "tariff" in row[0].lower()
    assert row[2:4] == ["20%", "35%"]
    assert table.rows[0][3].bold and not table.rows[0][2].bold
    # decisions: five rows a material; headline figures: the difference column is b - a
    n_materials = len(window.document.inputs.materials)
    assert view.decisions_model.rowCount() == 5 * n_materials
    figures = view.figures_model.table
    assert figures.headers[-1] == "Tariff 35%\n− Baseline"
    objective = c.figure("Plan: objective")
    a, b = (p.result.objective_usd for p in c.plans)
    assert objective.differences[1] == pytest.approx(b - a)
    assert "1 input differs" in view.title.text()
    window.central_tabs.setCurrentWidget(view)
    for chart in view.charts():  # the overlaid charts draw the comparison
        view.pages.setCurrentWidget(chart)
        qtbot.waitUntil(lambda chart=chart: chart.is_current, timeout=20_000)
        assert chart._data[1:] == (c,) and not chart.shown.summary.message


def test_pinning_asks_for_a_name_and_is_one_undo_step(qtbot, window, monkeypatch):
    asked: list[str] = []

    def answer(_parent, _title, _label, text=""):
        asked.append(text)
        return "Higher tariff", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    set_tariff(window, 0.35)
    solved(qtbot, window)
    window.document.undo_stack.setClean()
    window.act_pin.trigger()
    assert asked and "35%" in asked[0] and "tariff" in asked[0].lower()  # a default offered
    assert window.pinned.names == ("Higher tariff",)
    assert window.document.is_modified  # saved with the workbook, so Save has work to do
    window.document.undo_stack.undo()
    assert window.pinned.names == ()
    assert not window.document.is_modified
    window.document.undo_stack.redo()
    assert window.pinned.names == ("Higher tariff",)
    assert window.compare_view.plan_list.count() == 1


def test_a_taken_name_is_refused_with_a_message(qtbot, window, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, text, *_a: errors.append(text))
    assert window.pin_plan("Plan A")
    assert not window.pin_plan("plan a")
    assert errors and "already pinned" in errors[0]
    assert window.pinned.names == ("Plan A",)


def test_rename_and_remove_from_the_list_are_undoable(qtbot, window, monkeypatch):
    pin_two_tariffs(qtbot, window)
    view = window.compare_view
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *_a, **_k: ("Tariff at 35%", True)))
    view.plan_list.setCurrentRow(1)
    view.rename_button.click()
    assert window.pinned.names == ("Baseline", "Tariff at 35%")
    view.plan_list.setCurrentRow(0)
    view.remove_button.click()
    assert window.pinned.names == ("Tariff at 35%",)
    stack = window.document.undo_stack
    stack.undo()
    assert window.pinned.names == ("Baseline", "Tariff at 35%")  # back in its place
    stack.undo()
    assert window.pinned.names == ("Baseline", "Tariff 35%")


def test_a_comparison_is_marked_out_of_date_when_its_plans_change(qtbot, window):
    pin_two_tariffs(qtbot, window)
    view = window.compare_view
    compare_all(qtbot, window)
    assert not view.is_stale
    window.rename_pinned("Tariff 35%", "Higher tariff")
    assert view.is_stale and "out of date" in view.title.text()
    window.document.undo_stack.undo()  # the same plan under its old name again
    assert not view.is_stale and "1 input differs" in view.title.text()


def test_compare_needs_two_plans(qtbot, window):
    assert window.pin_plan("Only one")
    view = window.compare_view
    view.select_all()
    assert not view.compare_button.isEnabled()
    assert not view.compare()
    assert "at least two" in view.error.text()


def test_pinned_plans_are_saved_in_the_workbook_and_come_back(qtbot, window, tmp_path: Path):
    pin_two_tariffs(qtbot, window)
    path = tmp_path / "with variants.xlsx"
    assert window._write(path)
    assert not window.document.is_modified
    again = MainWindow(solve_delay_ms=20)
    try:
        with qtbot.waitSignal(again.load_finished, timeout=60_000) as blocker:
            again.open_path(path)
        assert blocker.args == [True]
        assert again.pinned.names == ("Baseline", "Tariff 35%")
        shares = [p.inputs.policy.tariff_share for p in again.pinned]
        assert shares == [0.2, 0.35]
        assert not again.document.is_modified  # reading them back is not an edit
        assert again.document.undo_stack.count() == 0
        c = compare_all(qtbot, again)  # solved again, as they were read without a plan
        assert [d.path for d in c.inputs] == ["policy/tariff_share"]
    finally:
        again.document.undo_stack.setClean()
        again.close()
        again.deleteLater()


def test_a_workbook_can_be_opened_for_comparison_only(qtbot, window, tmp_path: Path,
                                                     monkeypatch):
    from reserve_planner.io.workbook import save_scenario_workbook

    other = load_article_baseline()
    other = replace(other, policy=replace(other.policy, min_cover_days=30.0))
    path = tmp_path / "cover 30 days.xlsx"
    save_scenario_workbook(other, path)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))
    assert window.pin_plan("Baseline")
    view = window.compare_view
    with qtbot.waitSignal(view._signals.opened, timeout=30_000):
        window.act_open_compare.trigger()
    qtbot.waitUntil(lambda: len(view.opened) == 1, timeout=5_000)
    assert view.opened[0].name == "cover 30 days" and not view.opened[0].pinned
    assert window.pinned.names == ("Baseline",)  # not pinned, so not saved with the scenario
    c = compare_all(qtbot, window)
    assert [d.path for d in c.inputs] == ["policy/min_cover_days"]
    assert c.plans[1].source == str(path)


def test_a_workbooks_own_pinned_plans_are_offered_for_comparison(qtbot, window, tmp_path):
    pin_two_tariffs(qtbot, window)
    path = tmp_path / "tariffs.xlsx"
    assert window._write(path)
    window.document.undo_stack.setClean()
    window.new_scenario()
    view = window.compare_view
    with qtbot.waitSignal(view._signals.opened, timeout=30_000):
        view.open_workbook(path)
    names = [e.name for e in view.opened]
    assert names == ["tariffs", "tariffs: Baseline", "tariffs: Tariff 35%"]
    assert view.checked_names() == ["tariffs"]
    c = compare_all(qtbot, window)
    tariff = c.difference("policy/tariff_share")
    assert tariff.values == (0.35, 0.2, 0.35)  # the main scenario was saved at 35%


def test_opening_another_scenario_replaces_the_pinned_plans(qtbot, window):
    assert window.pin_plan("Old")
    window.document.undo_stack.setClean()  # no Save question
    window.new_scenario()
    assert window.pinned.names == ()
    assert window.compare_view.plan_list.count() == 0
