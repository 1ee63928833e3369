"""Turn one cell into the value a field wants (a number in range, a whole number, yes/no,
one of a few words, text), or a :class:`CellProblem` whose message names the value and what
was expected, e.g. ``probability 1.4 is above 1``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cell_values import (
    bool_from_cell,
    is_blank,
    is_date,
    number_from_cell,
    show,
    text_from_cell,
    whole_number,
)
from .raw_workbook import RawCell
from .scenario_layout import Field, ValueKind, bound_text, norm


@dataclass(frozen=True)
class CellProblem:
    """Why a cell could not be read (the message includes the value)."""

    message: str


def expected(fld: Field) -> str:
    if fld.kind is ValueKind.WHOLE:
        return "a whole number of months" if fld.unit in ("month", "months") else \
            "a whole number"
    if fld.kind in (ValueKind.NUMBER, ValueKind.OPTIONAL_NUMBER):
        return f"a number in {fld.unit}" if fld.unit and fld.unit != "0-1" else (
            "a number from 0 to 1" if fld.unit == "0-1" else "a number")
    if fld.kind is ValueKind.BOOL:
        return "TRUE or FALSE"
    if fld.kind is ValueKind.CHOICE:
        return " or ".join(fld.choices) if len(fld.choices) <= 2 else \
            f"one of: {', '.join(fld.choices)}"
    return "a name" if fld.name == "name" else "text"


def convert(fld: Field, raw: RawCell) -> Any:
    """The value of ``raw`` as ``fld`` wants it, or a :class:`CellProblem` saying why not."""
    v = raw.value
    if raw.problem is not None:
        return CellProblem(f"{fld.label}: {raw.problem}; expected {expected(fld)}")
    if raw.formula is not None and v is None and not raw.error:
        return CellProblem(f"{fld.label} is a formula ({raw.formula}) with no saved result; open "
                       "the file in Excel or LibreOffice, recalculate, save it, and load it "
                       "again")
    if raw.error:
        return CellProblem(f"{fld.label} shows the error {text_from_cell(v)}; expected "
                       f"{expected(fld)}")
    if fld.kind is ValueKind.TEXT and fld.default is not None and isinstance(v, str):
        return v  # free text is kept exactly, spaces and line breaks included
    if is_blank(v):
        if fld.default is not None:
            return fld.default
        if fld.kind is ValueKind.OPTIONAL_NUMBER:
            return None
        return CellProblem(f"{fld.label} is empty; expected {expected(fld)}")
    if fld.kind is ValueKind.TEXT:
        return text_from_cell(v)
    if fld.kind is ValueKind.BOOL:
        b = bool_from_cell(v)
        return b if b is not None else CellProblem(
            f"{fld.label} {show(v)} is not TRUE or FALSE")
    if fld.kind is ValueKind.CHOICE:
        text = norm(text_from_cell(v)).replace("_", " ")
        if text in fld.choices:
            return text
        return CellProblem(f"{fld.label} {show(v)} is not {expected(fld)}")
    if fld.kind is ValueKind.OPTIONAL_NUMBER and isinstance(v, str) and norm(v) in (
            "none", "no cap", "no limit", "-", "n/a"):
        return None
    if is_date(v):
        return CellProblem(f"{fld.label} {show(v)} is a date, not a number; expected "
                       f"{expected(fld)} (format the cell as a number)")
    number = number_from_cell(v)
    if number is None:
        return CellProblem(f"{fld.label} {show(v)} is not a number; expected {expected(fld)}")
    if fld.kind is ValueKind.WHOLE:
        whole = whole_number(number)
        if whole is None:
            return CellProblem(f"{fld.label} {show(number)} is not a whole number")
        out: float | int = whole
    else:
        out = number
    message = range_problem(fld, out)
    return CellProblem(message) if message else out


def range_problem(fld: Field, value: float) -> str:
    """Why ``value`` is outside ``fld``'s range, or an empty string."""
    low, high = fld.low, fld.high
    if low is not None and (value <= low if fld.low_open else value < low):
        bound = "must be more than" if fld.low_open else "is below"
        return f"{fld.label} {show(value)} {bound} {bound_text(low)}"
    if high is not None and (value >= high if fld.high_open else value > high):
        bound = "must be less than" if fld.high_open else "is above"
        hint = ""
        if high == 1 and 2 <= value <= 100 and fld.unit == "0-1":
            hint = f" (for {show(value)}% write {show(value)}% or {value / 100:.6g})"
        elif high > 1 and fld.unit and fld.kind is not ValueKind.WHOLE:
            hint = f" {fld.unit}, the most this program accepts"
        elif high > 1:
            hint = ", the most this program accepts"
        return f"{fld.label} {show(value)} {bound} {bound_text(high)}{hint}"
    return ""
