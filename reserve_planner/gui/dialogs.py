"""Small dialogs: problems in a file, errors, the unsaved-changes question, About.

Each is a function so tests can patch exactly one thing (``QMessageBox.exec``) and so every
dialog in the program reads the same way. Every box shows its texts as plain text: names
and file names come from the user, and Qt would render (and load) markup in them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import matplotlib
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__
from ..model import PlanInputs

MAX_LISTED = 15


def show_problems(parent: QWidget | None, title: str, intro: str,
                  problems: Sequence[object]) -> None:
    """A warning listing ``problems`` (their ``str()``), the full list under Details."""
    lines = [str(p) for p in problems]
    shown = lines[:MAX_LISTED]
    more = f"\n… and {len(lines) - MAX_LISTED} more (see Details)" if len(lines) > MAX_LISTED \
        else ""
    box = QMessageBox(QMessageBox.Icon.Warning, title, intro, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("\n".join(f"• {line}" for line in shown) + more)
    if len(lines) > MAX_LISTED:
        box.setDetailedText("\n".join(lines))
    box.setObjectName("problemsDialog")
    box.exec()


def show_error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    """A critical message with optional details (an exception's text, never shown first)."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if detail:
        box.setDetailedText(detail)
    box.setObjectName("errorDialog")
    box.exec()


def ask_save_changes(parent: QWidget | None, name: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel for a scenario with unsaved changes."""
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                      f"“{name}” has changes that are not saved.\nSave them before continuing?",
                      buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setObjectName("saveChangesDialog")
    return QMessageBox.StandardButton(box.exec())


def show_warnings(parent: QWidget | None, title: str, intro: str,
                  warnings: Sequence[str]) -> None:
    """What a file load noticed but did not stop for (an information box to dismiss)."""
    lines = [str(w) for w in warnings]
    shown = lines[:MAX_LISTED]
    more = f"\n… and {len(lines) - MAX_LISTED} more (see Details)" if len(lines) > MAX_LISTED \
        else ""
    box = QMessageBox(QMessageBox.Icon.Information, title, intro,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("\n".join(f"• {line}" for line in shown) + more)
    if len(lines) > MAX_LISTED:
        box.setDetailedText("\n".join(lines))
    box.setObjectName("warningsDialog")
    box.exec()


def data_sources(inputs: PlanInputs) -> list[str]:
    """The distinct references the numbers of ``inputs`` come from, sorted."""
    return sorted({s.reference for s in inputs.sources.values() if s.reference})


def about_html(inputs: PlanInputs) -> str:
    refs = "".join(f"<li>{html.escape(r)}</li>" for r in data_sources(inputs))
    return (
        f"<h3>Reserve Planner {html.escape(__version__)}</h3>"
        "<p>Sizes a US strategic rare earth reserve and producer price floors under China "
        "supply-disruption scenarios: a two-stage stochastic optimisation (HiGHS through "
        "SciPy) that weighs purchases, storage, floor payouts and shortage damage.</p>"
        "<p>Every number of the built-in article baseline carries its source; hover over a "
        "slider or a table cell to see it. Values you change are shown in italics and "
        "marked as user edits when saved.</p>"
        f"<p><b>Data sources of the open scenario</b></p><ul>{refs or '<li>none</li>'}</ul>"
        f"<p>Built with Qt for Python {html.escape(pyside_version)} and matplotlib "
        f"{html.escape(matplotlib.__version__)}. MIT licence.</p>"
    )


def show_about(parent: QWidget | None, inputs: PlanInputs) -> None:
    QMessageBox.about(parent, "About Reserve Planner", about_html(inputs))
