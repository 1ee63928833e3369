"""The document: inputs, baseline, path, undo history and the modified flag."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reserve_planner.gui.document import PlanDocument
from reserve_planner.io.baseline import load_article_baseline
from reserve_planner.model.adjustments import adjustments_from

BASE = load_article_baseline()


@pytest.fixture
def doc(qtbot) -> PlanDocument:
    return PlanDocument(BASE)


def test_a_new_document_is_unmodified_and_named_after_its_scenario(doc: PlanDocument) -> None:
    assert doc.inputs is BASE and doc.baseline is BASE
    assert not doc.is_modified
    assert doc.display_name == "Article baseline"
    assert doc.path is None


def test_edit_is_undoable_and_marks_modified(doc: PlanDocument, qtbot) -> None:
    changed = replace(BASE, policy=replace(BASE.policy, tariff_share=0.5))
    with qtbot.waitSignal(doc.modified_changed) as blocker:
        assert doc.edit(changed, "Change tariff")
    assert blocker.args == [True]
    assert doc.inputs is changed and doc.is_modified
    assert doc.undo_stack.undoText() == "Change tariff"
    doc.undo_stack.undo()
    assert doc.inputs is BASE and not doc.is_modified
    doc.undo_stack.redo()
    assert doc.inputs is changed


def test_an_edit_that_changes_nothing_is_not_recorded(doc: PlanDocument) -> None:
    assert not doc.edit(BASE, "nothing")
    assert doc.undo_stack.count() == 0


def test_one_drag_is_one_undo_step(doc: PlanDocument) -> None:
    for value in (1.1, 1.2, 1.3, 1.25):
        doc.adjust("price_scale", value, gesture=("drag", 1))
    assert doc.undo_stack.count() == 1
    assert adjustments_from(doc.inputs, BASE).price_scale == pytest.approx(1.25)
    assert doc.undo_stack.undoText() == "Change market prices"
    doc.undo_stack.undo()
    assert doc.inputs == BASE


def test_a_drag_is_computed_from_where_it_started(doc: PlanDocument) -> None:
    doc.adjust("depth_scale", 1.5, gesture="g")  # clips the full embargoes at 100%
    doc.adjust("depth_scale", 1.0, gesture="g")  # back to the start: exactly the start
    assert doc.inputs.scenarios == BASE.scenarios


def test_a_drag_back_to_the_start_leaves_nothing_to_undo(doc: PlanDocument) -> None:
    doc.adjust("annual_budget_usd", 100e6, gesture="g")
    doc.adjust("annual_budget_usd", BASE.policy.annual_budget_usd, gesture="g")
    assert doc.undo_stack.count() == 0
    assert not doc.is_modified


def test_separate_gestures_are_separate_steps(doc: PlanDocument) -> None:
    doc.adjust("tariff_share", 0.5, gesture=1)
    doc.adjust("tariff_share", 0.25, gesture=2)
    doc.adjust("risk_aversion", 0.5, gesture=2)  # same id, other slider: a new step
    assert doc.undo_stack.count() == 3


def test_reset_slider_restores_baseline_values(doc: PlanDocument) -> None:
    doc.adjust("price_scale", 2.0)
    assert doc.reset_slider("price_scale")
    assert doc.inputs == BASE
    assert not doc.reset_slider("price_scale")  # already at baseline
    assert doc.undo_stack.count() == 2


def test_load_starts_a_fresh_history_with_a_new_baseline(doc: PlanDocument, qtbot,
                                                         tmp_path: Path) -> None:
    doc.adjust("price_scale", 2.0)
    other = replace(BASE, name="Other")
    with qtbot.waitSignals([doc.inputs_changed, doc.file_changed]):
        doc.load(other, tmp_path / "other.xlsx")
    assert doc.inputs is other and doc.baseline is other
    assert doc.undo_stack.count() == 0 and not doc.is_modified
    assert doc.display_name == "other.xlsx"


def test_mark_saved_clears_modified_and_keeps_the_baseline(doc: PlanDocument,
                                                           tmp_path: Path) -> None:
    doc.adjust("price_scale", 2.0)
    doc.mark_saved(tmp_path / "saved.xlsx")
    assert not doc.is_modified and doc.path == tmp_path / "saved.xlsx"
    assert doc.baseline is BASE
    doc.undo_stack.undo()
    assert doc.is_modified  # the file holds the edited scenario


def test_revert_to_baseline_is_one_undoable_step(doc: PlanDocument) -> None:
    doc.adjust("price_scale", 2.0)
    doc.adjust("tariff_share", 0.0)
    assert doc.revert_to_baseline()
    assert doc.inputs == BASE
    doc.undo_stack.undo()
    assert doc.inputs.policy.tariff_share == 0.0
