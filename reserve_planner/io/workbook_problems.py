"""What can be wrong with a workbook, said so that a planner can find and fix it.

Every problem names the sheet and cell it came from, the value found there, and what was
expected, e.g. ``Scenarios!C7: probability 1.4 is above 1``. Problems with the file as a
whole (not a workbook, a macro project, a failed save) have no sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong with a workbook.

    Attributes
    ----------
    sheet : str
        Sheet name; empty for the file as a whole.
    cell : str
        Cell (``"C7"``), range (``"C2:C14"``), or empty for the whole sheet.
    value : object
        What was found there (None when nothing was).
    message : str
        What is wrong and what was expected, in words, value included.
    row : int or None
        Row number of ``cell`` (1-based), when it names one row.
    column : str or None
        Header text of the column, when known.
    """

    sheet: str
    cell: str
    value: object
    message: str
    row: int | None = None
    column: str | None = None

    @property
    def where(self) -> str:
        """``Sheet!C7``, ``Sheet`` or empty."""
        if not self.sheet:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class WorkbookError(Exception):
    """A workbook could not be read or written; ``problems`` lists every reason.

    ``str(exc)`` is one line per problem. ``warnings`` holds what was noticed but would not
    have stopped the load (extra sheets and columns, and so on).
    """

    def __init__(self, problems: Sequence[WorkbookProblem], warnings: Iterable[str] = ()):
        self.problems: list[WorkbookProblem] = list(problems)
        self.warnings: list[str] = list(warnings)
        super().__init__("\n".join(str(p) for p in self.problems))


class WorkbookSaveError(WorkbookError):
    """A workbook could not be saved; the file that was there before is unchanged."""


def file_problem(message: str, value: object = None) -> WorkbookProblem:
    """A problem with the file as a whole (no sheet, no cell)."""
    return WorkbookProblem("", "", value, message)
