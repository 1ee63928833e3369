"""Writing cells safely and laying out tables with openpyxl.

:class:`SheetWriter` puts values into cells so that text is always text (a name typed as
``=1+1`` or ``@SUM`` is stored as a string and marked with a quote prefix, never as a
formula), floats keep every digit, and characters Excel cannot store are reported as
problems instead of failing half-way. The helpers format a block of cells as a real Excel
table with a frozen heading row, fitted column widths and data validation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .scenario_layout import MAX_TEXT_CHARS, Field, ValueKind
from .workbook_problems import WorkbookProblem

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read typed text as a formula."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTE_FONT = Font(name=FONT_NAME, size=11, italic=True, color="595959")
LINE_HEIGHT = 15.0
"""Height of one line of 11 pt text [points]."""
TABLE_STYLE = "TableStyleMedium2"
MIN_WIDTH, MAX_WIDTH = 8, 60


class SheetWriter:
    """Puts values into cells and collects what could not be stored."""

    def __init__(self) -> None:
        self.problems: list[WorkbookProblem] = []

    def put(self, ws: Worksheet, row: int, col: int, value: object,
            number_format: str | None = None):
        """Write ``value`` to ``ws`` at (row, col) and return the cell.

        str is stored as text (never a formula); int and bool as they are; a finite float
        with all 17 significant digits; a non-finite float as the text ``"NaN"`` or
        ``"inf"`` (a load then names the cell); date and datetime as dates; None blank.
        """
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            bad = _ILLEGAL.search(value)
            if bad or len(value) > MAX_TEXT_CHARS:
                why = (f"contains the control character {bad.group()!r}, which Excel cannot "
                       "store" if bad else f"is {len(value):,} characters long; Excel cells "
                       f"hold at most {MAX_TEXT_CHARS:,}")
                self.problems.append(WorkbookProblem(ws.title, cell.coordinate, value,
                                                     f"the text {why}", row))
                value = _ILLEGAL.sub("\ufffd", value)[:MAX_TEXT_CHARS]
            cell.value = value
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
        elif value is None or isinstance(value, bool | int):
            cell.value = value
        elif isinstance(value, float):
            if math.isfinite(value):
                cell.value = value
                if float(f"{value:.16g}") != value:
                    # openpyxl writes "%.16g", which loses the 17th digit of some floats
                    cell._value = repr(value)
            else:
                cell.value = "NaN" if math.isnan(value) else ("inf" if value > 0 else "-inf")
                cell.data_type = "s"
        elif isinstance(value, datetime | date):
            cell.value = value
        else:
            cell.value = str(value)
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
        return cell


def put_formula(ws: Worksheet, row: int, col: int, formula: str, number_format: str):
    """Write a formula this program made (never user text) to (row, col)."""
    cell = ws.cell(row=row, column=col)
    cell.value = formula
    cell.data_type = "f"
    cell.number_format = number_format
    return cell


def write_header(ws: Worksheet, writer: SheetWriter, row: int, headers: Sequence[str],
                 notes: Sequence[str] = ()) -> None:
    """Bold, shaded headings in ``row``; ``notes`` become cell comments on them."""
    for c, text in enumerate(headers, start=1):
        cell = writer.put(ws, row, c, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if c <= len(notes) and notes[c - 1]:
            cell.comment = note(notes[c - 1])


def note(text: str, width: int = 320) -> Comment:
    """A cell comment showing ``text``."""
    comment = Comment(text[:MAX_TEXT_CHARS], "Reserve Planner")
    lines = sum(1 + len(line) // 45 for line in text.splitlines() or [""])
    comment.width = width
    comment.height = min(400, 20 + 15 * lines)
    return comment


def add_table(ws: Worksheet, name: str, header_row: int, last_row: int, n_cols: int) -> None:
    """Make the block a real Excel table (filter buttons, banded rows).

    The block always includes one row under the headings, as Excel requires. Skipped when
    two headings differ only in case, which Excel does not allow in a table.
    """
    headers = [str(ws.cell(header_row, c).value or "") for c in range(1, n_cols + 1)]
    if any(not h.strip() for h in headers) or len({h.casefold() for h in headers}) < n_cols:
        return
    last_row = max(last_row, header_row + 1)
    ref = f"A{header_row}:{get_column_letter(n_cols)}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)


def fit_columns(ws: Worksheet, header_row: int = 1, max_width: int = MAX_WIDTH,
                widths: dict[int, float] | None = None) -> None:
    """Set each column's width to fit its values (headings may wrap onto two lines), and
    each row's height to fit its wrapped text; ``widths`` fixes some columns [characters]."""
    best: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = _display(cell.value, cell.number_format)
            longest = max((len(line) for line in text.splitlines()), default=0)
            if cell.data_type == "f":  # a computed number, not the formula text
                longest = 12
            if cell.row == header_row:  # two lines at most, and room for the filter button
                words = text.split()
                longest = max(max((len(w) for w in words), default=0), (len(text) + 1) // 2)
                longest += 3
            best[cell.column] = max(best.get(cell.column, 0), longest + 1)
    final: dict[int, float] = {}
    for col, width in best.items():
        final[col] = (widths or {}).get(col, min(max(width, MIN_WIDTH), max_width))
        ws.column_dimensions[get_column_letter(col)].width = final[col]
    for row in ws.iter_rows():
        if ws.row_dimensions[row[0].row].customHeight:
            continue
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = max(1.0, final.get(cell.column, MIN_WIDTH) - 1)
            text = _display(cell.value, cell.number_format)
            extra = 3 if cell.row == header_row else 0
            lines = max(lines, sum(max(1, math.ceil((len(line) + extra) / width))
                                   for line in text.splitlines() or [""]))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * min(lines, 12)


def _display(value: object, number_format: str) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if "%" in number_format:
            return f"{value * 100:,.1f}%"
        suffix = re.findall(r'"([^"]*)"', number_format)
        return f"{value:,.2f}" + "".join(s for s in suffix if s != "$") + (
            "$" if '"$"' in number_format else "")
    if isinstance(value, datetime | date):
        return "2000-01-01"
    return str(value)


def validation_for(fld: Field) -> DataValidation | None:
    """Excel data validation for a column of ``fld`` (range or list); None if unbounded."""
    kw: dict[str, object] = {"allow_blank": True, "showErrorMessage": True,
                             "errorStyle": "stop", "errorTitle": fld.title[:32]}
    if fld.kind is ValueKind.CHOICE:
        dv = DataValidation(type="list", formula1='"' + ",".join(fld.choices) + '"', **kw)
        dv.error = f"{fld.title} must be one of: {', '.join(fld.choices)}."
        return dv
    if fld.kind is ValueKind.BOOL:
        dv = DataValidation(type="list", formula1='"TRUE,FALSE"', **kw)
        dv.error = f"{fld.title} must be TRUE or FALSE."
        return dv
    if fld.kind not in (ValueKind.NUMBER, ValueKind.OPTIONAL_NUMBER, ValueKind.WHOLE):
        return None
    vtype = "whole" if fld.kind is ValueKind.WHOLE else "decimal"
    lo, hi = fld.low, fld.high
    if lo is not None and hi is not None:
        dv = DataValidation(type=vtype, operator="between", formula1=_xl_number(lo),
                            formula2=_xl_number(hi), **kw)
    elif lo is not None:
        op = "greaterThan" if fld.low_open else "greaterThanOrEqual"
        dv = DataValidation(type=vtype, operator=op, formula1=_xl_number(lo), **kw)
    elif hi is not None:
        op = "lessThan" if fld.high_open else "lessThanOrEqual"
        dv = DataValidation(type=vtype, operator=op, formula1=_xl_number(hi), **kw)
    else:
        return None
    unit = f" {fld.unit}" if fld.unit and fld.kind is not ValueKind.WHOLE and \
        fld.unit != "0-1" else ""
    rule = fld.range_text()
    if fld.unit == "0-1" and (lo, hi) == (0, 1):  # the cells show percentages
        rule = "between 0% and 100%"
    dv.error = f"{fld.title} must be {rule}{unit}."[:255]  # Excel's limits
    dv.prompt = fld.description[:255]
    dv.promptTitle = fld.title[:32]
    dv.showInputMessage = bool(fld.description)
    return dv


def _xl_number(value: float) -> str:
    """A bound as Excel reads it in a validation formula: ``100000000``, not ``1e+08``."""
    return str(int(value)) if value == int(value) else repr(value)


def add_validation(ws: Worksheet, fld: Field, cells: str) -> None:
    """Attach ``fld``'s data validation (if it has one) to the range ``cells``."""
    dv = validation_for(fld)
    if dv is not None:
        ws.add_data_validation(dv)
        dv.add(cells)


def page_setup(ws: Worksheet, landscape: bool = True) -> None:
    """Print (and export to PDF) one page wide, landscape, headings repeated."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.gridLines = False
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"


def finite_or_blank(x: object) -> float | None:
    """A finite float, or None (written blank) for NaN, infinity and missing values."""
    if x is None:
        return None
    v = float(x)  # type: ignore[arg-type]
    return v if math.isfinite(v) else None


def write_table(ws: Worksheet, writer: SheetWriter, name: str, top: int,
                headers: list[str], rows: list[list[object]],
                formats: list[str | None]) -> int:
    """A table named ``name`` with its header on row ``top``, one number format per column;
    returns the first row after it (and a blank row)."""
    write_header(ws, writer, top, headers)
    for r, values in enumerate(rows, start=top + 1):
        for c, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
            writer.put(ws, r, c, value, fmt)
    add_table(ws, name, top, top + len(rows), len(headers))
    return top + max(len(rows), 1) + 1
