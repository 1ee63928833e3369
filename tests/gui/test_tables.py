"""The input tables: edits are validated, refused with a reason, or applied undoably."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QToolButton

from reserve_planner.gui.document import PlanDocument
from reserve_planner.gui.main_window import MainWindow
from reserve_planner.gui.table_models import (
    Column,
    EditRefusedError,
    MaterialsModel,
    PolicyModel,
    ProjectsModel,
    ScenariosModel,
    SeriesModel,
    parse_cell,
)
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model import SourceKind
from reserve_planner.model.adjustments import adjustments_from
from reserve_planner.model.editing import ADDED

BASE = load_article_baseline()


@pytest.fixture
def doc(qtbot) -> PlanDocument:
    return PlanDocument(BASE)


def cell(model, row: int, field: str) -> QModelIndex:
    for col in range(model.columnCount()):
        if model.column(col).field == field:
            return model.index(row, col)
    raise KeyError(field)


def refusal(model, index: QModelIndex, value: object, qtbot) -> str:
    with qtbot.waitSignal(model.edit_rejected, timeout=1000) as blocker:
        assert model.setData(index, value) is False
    return blocker.args[0]


def test_shapes_follow_the_inputs(doc: PlanDocument) -> None:
    assert MaterialsModel(doc).rowCount() == 4
    assert ProjectsModel(doc).rowCount() == 6
    scenarios = ScenariosModel(doc)
    assert scenarios.rowCount() == len(BASE.scenarios)
    headers = [scenarios.headerData(c, Qt.Orientation.Horizontal)
               for c in range(scenarios.columnCount())]
    assert "Cut: NdPr oxide\n(%)" in headers
    assert SeriesModel(doc).rowCount() == 10 and SeriesModel(doc).columnCount() == 8
    assert PolicyModel(doc).rowCount() >= 10


def test_cells_show_units_and_sources(doc: PlanDocument) -> None:
    m = MaterialsModel(doc)
    import html

    price = cell(m, 0, "price_usd_per_kg")
    value = BASE.materials[0].price_usd_per_kg
    assert m.data(price) == f"{value:,.2f}"
    assert m.data(price, Qt.ItemDataRole.EditRole) == f"{value:.10g}"
    label = BASE.source(f"materials/{BASE.materials[0].name}/price_usd_per_kg").label()
    assert html.escape(label, quote=False) in m.data(price, Qt.ItemDataRole.ToolTipRole)
    share = cell(m, 0, "china_exposed_share")
    assert m.data(share) == f"{BASE.materials[0].china_exposed_share * 100:,.1f}"  # in %
    assert m.flags(cell(m, 0, "name")) & Qt.ItemFlag.ItemIsEditable  # renamable
    assert not (SeriesModel(doc).flags(SeriesModel(doc).index(0, 0))
                & Qt.ItemFlag.ItemIsUserCheckable)


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("price_usd_per_kg", "-5", "price must be above 0"),
    ("price_usd_per_kg", "abc", "'abc' is not a number"),
    ("china_exposed_share", "140", "share must be at most 100 %"),  # the column's unit
    ("demand_t_per_yr", "inf", "not a finite number"),
])
def test_bad_material_cells_are_refused(doc: PlanDocument, qtbot, field: str, value: str,
                                        reason: str) -> None:
    m = MaterialsModel(doc)
    message = refusal(m, cell(m, 0, field), value, qtbot)
    assert reason in message and "NdPr oxide" in message
    assert doc.inputs is BASE and doc.undo_stack.count() == 0


def test_a_good_edit_is_applied_undoably_and_marked_as_user(doc: PlanDocument) -> None:
    m = MaterialsModel(doc)
    assert m.setData(cell(m, 1, "price_usd_per_kg"), "1,250")
    assert doc.inputs.materials[1].price_usd_per_kg == 1250.0
    assert doc.inputs.source("materials/Dy oxide/price_usd_per_kg").kind is SourceKind.USER
    assert m.data(cell(m, 1, "price_usd_per_kg"), Qt.ItemDataRole.FontRole).italic()
    assert doc.undo_stack.undoText().startswith("Edit Dy oxide, Price")
    doc.undo_stack.undo()
    assert doc.inputs == BASE


def test_shares_are_typed_in_percent(doc: PlanDocument) -> None:
    m = MaterialsModel(doc)
    assert m.setData(cell(m, 0, "china_exposed_share"), "75%")
    assert doc.inputs.materials[0].china_exposed_share == pytest.approx(0.75)


def test_months_must_be_whole(doc: PlanDocument, qtbot) -> None:
    p = ProjectsModel(doc)
    assert "whole number" in refusal(p, cell(p, 0, "earliest_online_month"), "12.5", qtbot)
    assert p.setData(cell(p, 0, "earliest_online_month"), "30")
    assert doc.inputs.projects[0].earliest_online_month == 30


def test_a_project_must_name_a_known_material(doc: PlanDocument, qtbot) -> None:
    p = ProjectsModel(doc)
    message = refusal(p, cell(p, 0, "material"), "Unobtainium", qtbot)
    assert "not in the materials table" in message
    assert "'xyz' is not 'domestic' or 'allied'" in refusal(p, cell(p, 0, "kind"), "xyz", qtbot)


def test_probability_edit_rebalances_through_no_disruption(doc: PlanDocument, qtbot) -> None:
    s = ScenariosModel(doc)
    flooding = next(i for i, x in enumerate(BASE.scenarios) if x.name == "Low-price flooding")
    assert s.setData(cell(s, flooding, "probability"), "10")
    probs = {x.name: x.probability for x in doc.inputs.scenarios}
    assert probs["Low-price flooding"] == pytest.approx(0.1)
    assert probs["No disruption"] == pytest.approx(0.4)
    assert math.fsum(probs.values()) == pytest.approx(1.0, abs=1e-12)
    message = refusal(s, cell(s, flooding, "probability"), "95", qtbot)
    assert "at most" in message
    assert "between 0 and 1" in refusal(s, cell(s, flooding, "probability"), "-3", qtbot)


def test_depth_and_flag_columns(doc: PlanDocument, qtbot) -> None:
    s = ScenariosModel(doc)
    row = 1  # licensing shock
    assert s.setData(cell(s, row, "depth:NdPr oxide"), "20")
    assert doc.inputs.scenarios[row].depth("NdPr oxide") == pytest.approx(0.2)
    flag = cell(s, row, "hits_allied_supply")
    assert s.data(flag, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert s.flags(flag) & Qt.ItemFlag.ItemIsUserCheckable
    assert s.setData(flag, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert doc.inputs.scenarios[row].hits_allied_supply is True
    curve = cell(s, row, "price_from_curve")
    assert s.setData(curve, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert doc.inputs.scenarios[row].price_from_curve is True
    assert "depth must be at most 1" in refusal(s, cell(s, row, "depth:Dy oxide"), "150",
                                                qtbot)


def test_later_episodes_are_shown_in_words_and_read_only(doc: PlanDocument, qtbot) -> None:
    s = ScenariosModel(doc)
    names = [sc.name for sc in BASE.scenarios]
    escalation = names.index("Licensing shock escalating to a six-month cut-off")
    e = BASE.scenarios[escalation].later_episodes[0]
    shown = s.data(cell(s, escalation, "later_episodes"))
    assert shown.startswith(f"{e.gap_months} months later: {e.duration_months} months, ")
    assert "100% of all" in shown and "allied supply hit" in shown
    assert f"{e.price_multiplier_during:g}\u00d7" in shown
    assert s.data(cell(s, 1, "later_episodes")) == "none"
    assert not s.flags(cell(s, escalation, "later_episodes")) & Qt.ItemFlag.ItemIsEditable
    tip = s.data(cell(s, escalation, "later_episodes"), Qt.ItemDataRole.ToolTipRole)
    assert "Source:" in tip  # the episodes' own source
    # an edit of the first episode keeps the later ones
    assert s.setData(cell(s, escalation, "duration_months"), "4")
    assert doc.inputs.scenarios[escalation].later_episodes == (e,)


def test_the_episodes_table_edits_adds_and_removes_later_episodes(doc: PlanDocument,
                                                                   qtbot) -> None:
    from reserve_planner.gui.table_models import EpisodesModel

    esc = "Licensing shock escalating to a six-month cut-off"
    e = EpisodesModel(doc)
    assert e.rowCount() == sum(len(s.later_episodes) for s in BASE.scenarios) == 1
    assert e.headerData(0, Qt.Orientation.Vertical) == f"{esc} · episode 2"

    def episodes():
        return next(s for s in doc.inputs.scenarios if s.name == esc).later_episodes

    assert e.data(cell(e, 0, "gap_months")) == "24"
    assert e.setData(cell(e, 0, "gap_months"), "12")
    assert episodes()[0].gap_months == 12
    assert e.setData(cell(e, 0, "depth:Dy oxide"), "40")
    assert episodes()[0].depth("Dy oxide") == pytest.approx(0.4)
    assert doc.inputs.sources[f"scenarios/{esc}/later_episodes"].kind is SourceKind.USER
    assert "at least 1" in refusal(e, cell(e, 0, "duration_months"), "0", qtbot)
    assert episodes()[0].duration_months == 6  # the refused edit changed nothing
    # add after the selected row's scenario; then another scenario's by default
    assert e.add_row([0]) == 1
    assert len(episodes()) == 2 and e.headerData(1, Qt.Orientation.Vertical).endswith("3")
    assert e.duplicate_rows([1]) == 2 and len(episodes()) == 3
    assert e.remove_rows([0, 2])
    assert len(episodes()) == 1 and episodes()[0].gap_months == 24  # the added one, now 2
    doc.undo_stack.undo()
    assert len(episodes()) == 3  # one undo step per row edit
    calm = PlanDocument(replace(BASE, scenarios=tuple(
        replace(s, later_episodes=()) for s in BASE.scenarios)))
    none = EpisodesModel(calm)
    assert none.rowCount() == 0
    assert none.add_row() == 0  # to the last scenario with a disruption
    assert none.headerData(0, Qt.Orientation.Vertical) == f"{esc} · episode 2"


def test_series_edit_extends_a_short_series(qtbot) -> None:
    from dataclasses import replace

    short = replace(BASE, materials=(replace(BASE.materials[0],
                                             domestic_supply_t_per_yr=(1300.0,)),
                                     *BASE.materials[1:]))
    doc = PlanDocument(short)
    m = SeriesModel(doc)
    assert m.data(m.index(5, 0)) == "1,300.0"  # the last value repeats
    assert m.setData(m.index(3, 0), "1500")
    assert doc.inputs.materials[0].domestic_supply_t_per_yr == (1300.0, 1300.0, 1300.0,
                                                                1500.0)
    assert m.headerData(0, Qt.Orientation.Vertical) == "2027"


def test_policy_rows_parse_units_and_none(doc: PlanDocument, qtbot) -> None:
    p = PolicyModel(doc)
    rows = {p.headerData(r, Qt.Orientation.Vertical): r for r in range(p.rowCount())}
    budget = p.index(rows["Annual budget ($M/yr)"], 0)
    assert p.data(budget) == "167.0"
    assert p.setData(budget, "250")
    assert doc.inputs.policy.annual_budget_usd == pytest.approx(250e6)
    total = p.index(rows["Total budget ($M, or none)"], 0)
    assert p.data(total) == "none"
    assert p.setData(total, "2000")
    assert doc.inputs.policy.total_budget_usd == pytest.approx(2e9)
    assert p.setData(total, "none")
    assert doc.inputs.policy.total_budget_usd is None
    with qtbot.waitSignal(p.edit_rejected) as blocker:
        assert not p.setData(p.index(rows["Horizon (months)"], 0), "1")
    assert "horizon must be at least 2" in blocker.args[0]


def test_parse_cell_rules() -> None:
    money = Column("x", "x", factor=1e-6)
    assert parse_cell("$1,500", money) == pytest.approx(1.5e9)
    with pytest.raises(EditRefusedError):
        parse_cell("maybe", Column("x", "x", "bool"))
    assert parse_cell("yes", Column("x", "x", "bool")) is True


def test_a_refused_edit_shows_in_the_status_bar(window: MainWindow, qtbot) -> None:
    window.central_tabs.setCurrentWidget(window.tables)
    model = window.tables.models["Materials"]
    model.setData(cell(model, 0, "price_usd_per_kg"), "-1")
    assert "Refused NdPr oxide, Price ($/kg): price must be above 0" \
        in window.statusBar().currentMessage()
    assert window.document.inputs == BASE and not window.document.is_modified


def test_a_table_edit_re_solves_and_undo_restores(window: MainWindow, qtbot) -> None:
    model = window.tables.models["Policy"]
    rows = {model.headerData(r, Qt.Orientation.Vertical): r for r in range(model.rowCount())}
    before = window.plan_view.figure_texts()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        # $5M a year binds: the baseline reserve costs about $71M, bought over seven years
        assert model.setData(model.index(rows["Annual budget ($M/yr)"], 0), "5")
    assert window.plan_view.figure_texts() != before
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.act_undo.trigger()
    assert window.plan_view.figure_texts() == before


def test_editing_through_the_view_delegate(window: MainWindow, qtbot) -> None:
    """Type into a cell like a user: the view's editor commits through setData."""
    window.central_tabs.setCurrentWidget(window.tables)
    window.tables.setCurrentIndex(0)
    view = window.tables.views["Materials"]
    index = cell(view.model(), 0, "price_usd_per_kg")
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.focusWidget()
    assert editor is not None and editor is not view
    editor.setText("90")
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        view.commitData(editor)
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert window.document.inputs.materials[0].price_usd_per_kg == 90.0


# --------------------------------------------------------------------------- row edits


def names(model) -> list[str]:
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def total_probability(doc: PlanDocument) -> float:
    return math.fsum(s.probability for s in doc.inputs.scenarios)


def test_adding_projects_is_one_undo_step_each(doc: PlanDocument) -> None:
    p = ProjectsModel(doc)
    assert p.add_row() == 6
    assert p.add_row() == 7
    assert names(p)[-2:] == ["New project", "New project 2"]
    new = doc.inputs.projects[-1]
    assert new.material == "NdPr oxide"
    assert doc.inputs.source("projects/New project 2/capacity_t_per_yr") == ADDED
    assert p.data(cell(p, 7, "capacity_t_per_yr"), Qt.ItemDataRole.FontRole).italic()
    assert doc.undo_stack.count() == 2 and doc.undo_stack.undoText() == "Add project"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.inputs == BASE and p.rowCount() == 6


def test_duplicate_and_remove_projects(doc: PlanDocument) -> None:
    p = ProjectsModel(doc)
    first = BASE.projects[0].name
    assert p.duplicate_rows([0]) == 1
    assert names(p)[1] == f"{first} (copy)"
    assert doc.inputs.projects[1].capacity_t_per_yr == BASE.projects[0].capacity_t_per_yr
    assert doc.undo_stack.undoText() == f"Duplicate project '{first}'"
    assert p.remove_rows([0, 1, 2])
    assert p.rowCount() == 4 and doc.undo_stack.undoText() == "Remove 3 projects"
    doc.undo_stack.undo()
    assert p.rowCount() == 7


def test_scenario_rows_keep_the_probabilities_whole(doc: PlanDocument, qtbot) -> None:
    s = ScenariosModel(doc)
    calm = BASE.scenarios[0].probability
    row = s.add_row()
    assert row == len(BASE.scenarios) and doc.inputs.scenarios[row].probability == 0.0
    assert s.duplicate_rows([3]) == 4  # splits the 6-month embargo's probability
    assert doc.inputs.scenarios[3].probability == doc.inputs.scenarios[4].probability \
        == pytest.approx(BASE.scenarios[3].probability / 2)
    with qtbot.waitSignal(s.notice) as blocker:
        assert s.remove_rows([1])  # licensing shock, 17%
    assert "its probability of 17.00% went to 'No disruption'" in blocker.args[0]
    assert doc.inputs.scenarios[0].probability == pytest.approx(calm + 0.17)
    assert total_probability(doc) == pytest.approx(1.0, abs=1e-12)
    assert doc.undo_stack.undoText() == "Remove scenario 'Licensing shock (April 2025 repeat)'"
    count = doc.undo_stack.count()
    message = refusal(s, s.index(0, 0), "", qtbot)  # an empty name
    assert "needs a name" in message
    with qtbot.waitSignal(s.edit_rejected) as blocker:
        assert not s.remove_rows([0])
    assert "Cannot remove scenario 'No disruption'" in blocker.args[0]
    assert "no-disruption scenario" in blocker.args[0]
    assert doc.undo_stack.count() == count


def test_renaming_a_material_renames_it_everywhere(doc: PlanDocument, qtbot) -> None:
    m, p, s = MaterialsModel(doc), ProjectsModel(doc), ScenariosModel(doc)
    assert m.setData(cell(m, 0, "name"), " NdPr ")
    assert names(m)[0] == "NdPr"
    assert p.data(cell(p, 0, "material")) == "NdPr"
    assert "Cut: NdPr\n(%)" in [s.headerData(c, Qt.Orientation.Horizontal)
                                for c in range(s.columnCount())]
    assert doc.inputs.source("materials/NdPr/price_usd_per_kg") \
        == BASE.source("materials/NdPr oxide/price_usd_per_kg")
    assert doc.undo_stack.undoText() == "Rename material 'NdPr oxide' to 'NdPr'"
    message = refusal(m, cell(m, 0, "name"), "Dy oxide", qtbot)
    assert message == "Refused NdPr, Material: there is already a material named 'Dy oxide'"
    doc.undo_stack.undo()
    assert doc.inputs == BASE and dict(doc.inputs.sources) == dict(BASE.sources)


def test_renaming_a_scenario_or_project_moves_its_sources(doc: PlanDocument, qtbot) -> None:
    s, p = ScenariosModel(doc), ProjectsModel(doc)
    old = BASE.scenarios[3].name
    assert s.setData(s.index(3, 0), "Short embargo")
    assert doc.inputs.source("scenarios/Short embargo/probability") \
        == BASE.source(f"scenarios/{old}/probability")
    assert doc.inputs.source(f"scenarios/{old}/probability") is None
    assert doc.undo_stack.undoText() == f"Rename scenario '{old}' to 'Short embargo'"
    assert "already a project" in refusal(p, p.index(0, 0), BASE.projects[1].name, qtbot)
    assert p.setData(p.index(0, 0), "Mountain Pass")
    assert doc.inputs.source("projects/Mountain Pass/unit_cost_usd_per_kg") is not None


def test_a_material_that_projects_use_cannot_be_removed(window: MainWindow, qtbot) -> None:
    window.central_tabs.setCurrentWidget(window.tables)
    tables = window.tables
    tables.setCurrentIndex(0)
    tables.views["Materials"].selectRow(1)  # Dy oxide
    tables.row_actions["Materials"]["remove"].trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("Cannot remove material 'Dy oxide': projects ")
    assert "'MP heavy rare earth separation (Dy)'" in message
    assert "'Lynas Texas heavy separation (Dy)'" in message
    assert not window.document.is_modified


def test_the_no_disruption_scenario_cannot_be_removed(window: MainWindow, qtbot) -> None:
    window.central_tabs.setCurrentWidget(window.tables)
    window.tables.views["Scenarios"].selectRow(0)
    assert not window.tables.remove_rows("Scenarios")
    assert "'No disruption' is the no-disruption scenario" \
        in window.statusBar().currentMessage()
    assert window.document.inputs == BASE


def test_row_buttons_context_menu_and_keys(window: MainWindow, qtbot) -> None:
    window.central_tabs.setCurrentWidget(window.tables)
    tables = window.tables
    tables.setCurrentWidget(tables.widget(1))
    view = tables.views["Projects"]
    assert [a.text() for a in view.actions()] == ["Add project", "Duplicate project",
                                                   "Remove project"]
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    buttons = {b.objectName(): b for b in tables.widget(1).findChildren(QToolButton)}
    assert sorted(buttons) == ["add_projects_button", "duplicate_projects_button",
                               "remove_projects_button"]
    view.clearSelection()
    view.setCurrentIndex(view.model().index(-1, -1))
    assert not buttons["remove_projects_button"].isEnabled()
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):  # re-solves like any edit
        buttons["add_projects_button"].click()
    assert window.document.inputs.projects[-1].name == "New project"
    assert view.currentIndex().row() == 6 and buttons["remove_projects_button"].isEnabled()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    assert window.document.inputs.projects[-1].name == "New project 2"
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.document.inputs.projects[1].name.endswith("(copy)")
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # the copy is selected
    assert len(window.document.inputs.projects) == 8
    assert window.document.undo_stack.undoText().startswith("Remove project '")
    assert window.document.undo_stack.count() == 4
    view.edit(view.model().index(0, 0))  # Delete inside a cell editor edits the text
    editor = view.focusWidget()
    assert editor is not None and editor is not view
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert len(window.document.inputs.projects) == 8
    view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)


def test_the_embargo_slider_renames_the_scenarios(window: MainWindow, qtbot) -> None:
    scenarios = window.tables.models["Scenarios"]
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["embargo_duration_months"].spin.setValue(18)
    assert round(adjustments_from(window.document.inputs).embargo_duration_months) == 18
    assert "Full embargo, 10 months, from 2028" in names(scenarios)
    assert "Full embargo, 6 months, from 2028" not in names(scenarios)
    with qtbot.waitSignal(window.plan_shown, timeout=20_000):
        window.assumptions.rows["embargo_duration_months"].reset.click()
    assert window.document.inputs == BASE
    assert names(scenarios) == [s.name for s in BASE.scenarios]


def test_add_episode_goes_to_the_selected_rows_scenario(window: MainWindow, qtbot) -> None:
    esc = "Licensing shock escalating to a six-month cut-off"
    window.central_tabs.setCurrentWidget(window.tables)
    tables = window.tables
    tables.setCurrentIndex(list(tables.views).index("Episodes"))
    view = tables.views["Episodes"]
    view.selectRow(0)
    tables.row_actions["Episodes"]["add"].trigger()
    scenario = next(s for s in window.document.inputs.scenarios if s.name == esc)
    assert len(scenario.later_episodes) == 2
    assert window.statusBar().currentMessage().startswith(f"Added {esc} · episode 3")
    assert view.currentIndex().row() == 1  # the new episode is selected
    tables.row_actions["Episodes"]["remove"].trigger()
    scenario = next(s for s in window.document.inputs.scenarios if s.name == esc)
    assert len(scenario.later_episodes) == 1
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.inputs == BASE
