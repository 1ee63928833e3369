"""Opening a workbook file: raw cell values with their coordinates, nothing interpreted.

:func:`read_workbook` reads a file into a :class:`RawWorkbook` (what each cell holds: the
value last computed by the spreadsheet program, and the formula if there is one). Formulas
are never evaluated. Parsing the contents into plan inputs is a separate step
(:mod:`reserve_planner.io.scenario_reader`), so tests can feed the parser directly with
:meth:`RawSheet.from_rows`.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from .workbook_problems import WorkbookError, file_problem
from .xlsx_safety import (
    MAX_FILE_BYTES,
    check_suffix,
    check_xlsx,
    problems_from_xml_attack,
    require_defusedxml,
)

MAX_ROWS = 5000
"""Rows read per sheet; a scenario workbook has a few hundred at most."""
MAX_COLUMNS = 200
"""Columns read per sheet."""


@dataclass(frozen=True)
class RawCell:
    """What one cell holds.

    Attributes
    ----------
    value : object
        The value as stored: for a formula, the result the spreadsheet program saved with
        it (None if it saved none). str, int, float, bool, datetime or None.
    formula : str or None
        The formula text (``"=B3*2"``) if the cell has one.
    error : bool
        True when ``value`` is an error code such as ``"#DIV/0!"``.
    """

    value: object = None
    formula: str | None = None
    error: bool = False


EMPTY = RawCell()


@dataclass
class RawSheet:
    """The cells of one sheet, by (row, column), both 1-based.

    ``truncated`` is True when the sheet had content beyond ``MAX_ROWS`` rows or
    ``MAX_COLUMNS`` columns, which was not read.
    """

    name: str
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    truncated: bool = False

    @classmethod
    def from_rows(cls, name: str, rows: Sequence[Sequence[object]]) -> RawSheet:
        """A sheet from a list of rows starting at A1; a :class:`RawCell` item is kept as is,
        any other item becomes a plain value. For tests and for building sheets in code."""
        sheet = cls(name)
        for r, row in enumerate(rows, start=1):
            for c, item in enumerate(row, start=1):
                cell = item if isinstance(item, RawCell) else RawCell(item)
                if cell != EMPTY:
                    sheet.cells[(r, c)] = cell
        return sheet

    def cell(self, row: int, column: int) -> RawCell:
        return self.cells.get((row, column), EMPTY)

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_column(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def rows(self) -> Iterator[tuple[int, list[RawCell]]]:
        """(row number, cells from column A to the last used column) for every row."""
        width = self.max_column
        for r in range(1, self.max_row + 1):
            yield r, [self.cell(r, c) for c in range(1, width + 1)]


@dataclass
class RawWorkbook:
    """The sheets of a workbook in their order, and the file name (for messages)."""

    name: str
    sheets: list[RawSheet] = field(default_factory=list)

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet called ``name`` (ignoring case and outer spaces), or None."""
        key = name.strip().casefold()
        for s in self.sheets:
            if s.name.strip().casefold() == key:
                return s
        return None


def cell_name(row: int, column: int) -> str:
    """``cell_name(7, 3) == "C7"``."""
    return f"{get_column_letter(column)}{row}"


def read_workbook(path: str | os.PathLike[str]) -> RawWorkbook:
    """Read the cells of the ``.xlsx`` file at ``path``.

    Raises :class:`WorkbookError` with a sentence for anything that is not a sane workbook:
    missing or unreadable file, wrong format, macro-enabled, zip bomb, damaged, XML attack.
    """
    p = Path(path)
    check_suffix(p.name)
    try:
        with open(p, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise WorkbookError([file_problem(f"'{p}' does not exist.", str(p))]) from None
    except IsADirectoryError:
        raise WorkbookError([file_problem(f"'{p}' is a folder, not a workbook.", str(p))]
                            ) from None
    except PermissionError:
        raise WorkbookError([file_problem(f"'{p}' cannot be read: permission denied.",
                                          str(p))]) from None
    except OSError as exc:
        raise WorkbookError([file_problem(f"'{p}' cannot be read: {exc.strerror or exc}.",
                                          str(p))]) from None
    return read_workbook_bytes(data, p.name)


def read_workbook_bytes(data: bytes, name: str = "workbook.xlsx") -> RawWorkbook:
    """Read the cells of a workbook held in memory; ``name`` is used in messages."""
    require_defusedxml()
    check_xlsx(data, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
            formulas = _load(data, data_only=False)
            values = _load(data, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail anywhere inside openpyxl
        if _caused_by_defusedxml(exc):
            raise WorkbookError(problems_from_xml_attack(name)) from None
        raise WorkbookError([file_problem(
            f"'{name}' is damaged or is not a workbook Excel or LibreOffice wrote, and could "
            f"not be read ({type(exc).__name__}: {_short(exc)}). Open it in Excel or "
            "LibreOffice, save it again as .xlsx, and load that file.", name)]) from None
    sheets = []
    for (title, f_cells, f_trunc), (_, v_cells, v_trunc) in zip(formulas, values, strict=True):
        cells: dict[tuple[int, int], RawCell] = {}
        for key in f_cells.keys() | v_cells.keys():
            f_value, f_type = f_cells.get(key, (None, "n"))
            v_value, v_type = v_cells.get(key, (None, "n"))
            formula = _formula_text(f_value) if f_type == "f" else None
            cell = RawCell(v_value, formula, v_type == "e")
            if cell != EMPTY:
                cells[key] = cell
        sheets.append(RawSheet(title, cells, f_trunc or v_trunc))
    return RawWorkbook(name, sheets)


def _caused_by_defusedxml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused something anywhere in the chain (openpyxl re-raises)."""
    seen = 0
    while exc is not None and seen < 20:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _short(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or ["no detail"])[0]
    return text if len(text) <= 120 else text[:117] + "..."


def _formula_text(value: object) -> str:
    text = getattr(value, "text", value)  # ArrayFormula keeps its text in .text
    text = "" if text is None else str(text)
    return text if text.startswith("=") else f"={text}"


_Cells = dict[tuple[int, int], tuple[object, str]]


def _load(data: bytes, *, data_only: bool) -> list[tuple[str, _Cells, bool]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only,
                       keep_links=False)
    try:
        out = []
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):  # chartsheets hold no cells
                continue
            ws.reset_dimensions()  # a wrong <dimension> must not cut or pad rows
            cells: _Cells = {}
            truncated = False
            for r, row in enumerate(ws.iter_rows(max_row=MAX_ROWS + 1), start=1):
                for c, cell in enumerate(row, start=1):
                    value = cell.value
                    if value is None:
                        continue
                    if r > MAX_ROWS or c > MAX_COLUMNS:
                        truncated = True
                        continue
                    cells[(r, c)] = (value, cell.data_type)
            out.append((ws.title, cells, truncated))
        return out
    finally:
        wb.close()
