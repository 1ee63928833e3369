"""Find a table on a sheet by its headings and read its rows, recording every problem.

:class:`TableReader` holds what a read has found so far: problems (each with sheet, cell and
value), warnings, and where each field path was read from (so problems reported later by
:meth:`PlanInputs.validate` can name their cell). Headings are matched loosely (case,
spaces, the unit left off, or the field name), so columns may be re-ordered and headings
moved down; extra columns are ignored with a warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .cell_values import is_blank, show, text_from_cell
from .field_values import CellProblem, convert
from .raw_workbook import RawCell, RawSheet, RawWorkbook, cell_name
from .scenario_layout import MATERIALS, SOURCE_COLUMN, Field, ValueKind, norm
from .workbook_problems import WorkbookProblem

HEADER_SEARCH_ROWS = 20
"""Rows searched for the heading row of a table."""


class _Bad:
    """A cell that could not be read; the problem is already recorded."""

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()


@dataclass
class SheetTable:
    """A table found on a sheet: its heading row, each field's column, the data rows."""

    sheet: RawSheet
    header_row: int
    columns: dict[str, int]
    headers: dict[int, str]
    rows: list[int]
    dynamic: dict[int, str] = field(default_factory=dict)
    source_column: int | None = None

    def cell(self, row: int, name: str) -> RawCell:
        col = self.columns.get(name)
        return self.sheet.cell(row, col) if col is not None else RawCell()


@dataclass(frozen=True)
class CellRef:
    """Where a value was read from."""

    sheet: str
    cell: str
    row: int | None
    column: str | None


class TableReader:
    """Reads tables from a :class:`RawWorkbook`, collecting problems and warnings."""

    def __init__(self, raw: RawWorkbook):
        self.raw = raw
        self.problems: list[WorkbookProblem] = []
        self.warnings: list[str] = []
        self.locator: dict[str, CellRef] = {}
        self.tables: dict[str, SheetTable] = {}

    def problem(self, sheet: str, row: int | None, col: int | None, value: object,
                message: str, column: str | None = None) -> None:
        cell = cell_name(row, col) if row is not None and col is not None else ""
        self.problems.append(WorkbookProblem(sheet, cell, value, message, row, column))

    def warn(self, sheet: str, row: int | None, col: int | None, message: str) -> None:
        where = sheet
        if row is not None and col is not None:
            where = f"{sheet}!{cell_name(row, col)}"
        self.warnings.append(f"{where}: {message}" if where else message)

    def locate(self, path: str, sheet: str, row: int | None, col: int | None,
               column: str | None = None) -> None:
        cell = cell_name(row, col) if row is not None and col is not None else ""
        self.locator.setdefault(path, CellRef(sheet, cell, row, column))

    def find(self, path: str) -> CellRef | None:
        """Where ``path`` (a validate() field path, or a prefix of it) was read from."""
        parts = path.split("/")
        while parts:
            where = self.locator.get("/".join(parts))
            if where is not None:
                return where
            parts.pop()
        return None

    def value(self, sheet: str, row: int, col: int | None, fld: Field, raw: RawCell,
              header: str | None = None) -> Any:
        """The value of one cell as ``fld`` wants it, or BAD (problem recorded)."""
        result = convert(fld, raw)
        if isinstance(result, CellProblem):
            self.problem(sheet, row, col, raw.value if raw.formula is None or raw.value is not
                         None else raw.formula, result.message, header or fld.header)
            return BAD
        return result

    def table(self, sheet_name: str, fields: Sequence[Field], *, dynamic_prefix: str = "",
              extra_known: Sequence[str] = (), required: bool = True) -> SheetTable | None:
        sheet = self.raw.sheet(sheet_name)
        if sheet is None:
            return None
        key = fields[0]
        key_names = _aliases(key)
        max_row, max_col = sheet.max_row, sheet.max_column  # computed once: big sheets
        header_row = next((r for r in range(1, min(max_row, HEADER_SEARCH_ROWS) + 1)
                           if any(norm(text_from_cell(sheet.cell(r, c).value)) in key_names
                                  for c in range(1, max_col + 1))), None)
        if header_row is None:
            if required or sheet.cells:
                self.problem(sheet.name, None, None, None,
                             f"no heading row with a '{key.header}' column in the first "
                             f"{HEADER_SEARCH_ROWS} rows")
            return None
        by_alias = {alias: f for f in fields for alias in _aliases(f)}
        by_title = {norm(f.title): f for f in fields if f.unit}
        known_extra = {norm(x) for x in (SOURCE_COLUMN, "Source", *extra_known)}
        columns: dict[str, int] = {}
        headers: dict[int, str] = {}
        dynamic: dict[int, str] = {}
        wrong_unit: set[str] = set()
        unknown: list[tuple[int, str]] = []
        source_column = None
        used_cols = {c for (r, c), cell in sheet.cells.items()
                     if r > header_row and not is_blank(cell.value)}
        for c in range(1, max_col + 1):
            text = text_from_cell(sheet.cell(header_row, c).value).strip()
            if not text:
                if c in used_cols:
                    unknown.append((c, ""))
                continue
            headers[c] = text
            key_text = norm(text)
            fld = by_alias.get(key_text)
            if fld is not None:
                if fld.name in columns:
                    first = cell_name(header_row, columns[fld.name])
                    self.problem(sheet.name, header_row, c, text,
                                 f"column '{text}' appears twice (also in {first}); delete "
                                 "one of them", text)
                else:
                    columns[fld.name] = c
                continue
            base, _, unit = text.rpartition("(")
            unit_fld = by_title.get(norm(base)) if base and unit.endswith(")") else None
            if unit_fld is not None:
                wrong_unit.add(unit_fld.name)
                self.problem(sheet.name, header_row, c, text,
                             f"column '{text}' is in {unit[:-1].strip()}; this program reads "
                             f"{unit_fld.label} in {unit_fld.unit}. Convert the values and "
                             f"write the heading as '{unit_fld.header}'", text)
                continue
            if dynamic_prefix and key_text.startswith(norm(dynamic_prefix.rstrip(": "))):
                dynamic[c] = text
                continue
            if key_text in known_extra:
                if key_text in (norm(SOURCE_COLUMN), norm("Source")):
                    source_column = c
                continue
            unknown.append((c, text))
        self._unknown_headings(sheet, header_row, fields, unknown, columns, wrong_unit)
        for fld in fields:
            if fld.name in columns or fld.name in wrong_unit:
                continue
            if fld.default is None and fld.kind is not ValueKind.OPTIONAL_NUMBER:
                self.problem(sheet.name, None, None, None,
                             f"the column '{fld.header}' is missing (the headings are in row "
                             f"{header_row})", fld.header)
            else:
                uses = "is left blank" if fld.default in ("", None) else \
                    f"uses {show(fld.default)}"
                self.warn(sheet.name, None, None, f"no '{fld.header}' column; every row {uses}")
        read_cols = set(columns.values()) | set(dynamic)
        rows = [r for r in range(header_row + 1, max_row + 1)
                if any(not is_blank(sheet.cell(r, c).value) or sheet.cell(r, c).formula
                       for c in read_cols)]
        table = SheetTable(sheet, header_row, columns, headers, rows, dynamic, source_column)
        self.tables[sheet_name] = table
        return table

    def _unknown_headings(self, sheet: RawSheet, header_row: int, fields: Sequence[Field],
                          unknown: list[tuple[int, str]], columns: dict[str, int],
                          refused: set[str]) -> None:
        """A heading that is a near miss of a column the table lacks (``Startng stock
        (t)``) is refused: read as an extra column, it would silently give every row the
        default. Other unknown headings are extra columns, ignored with a warning."""
        missing = {alias: f for f in fields if f.name not in columns and f.name not in refused
                   for alias in (norm(f.header), norm(f.title))}
        for c, text in unknown:
            if not text:
                self.warn(sheet.name, header_row, c, "this column has values but no heading; "
                          "it was not read")
                continue
            close = difflib.get_close_matches(norm(text), list(missing), n=1, cutoff=0.8)
            fld = missing.get(close[0]) if close else None
            if fld is None or fld.name in refused:
                self.warn(sheet.name, header_row, c, f"column '{text}' is not part of the "
                          f"{sheet.name} table and was not read")
                continue
            refused.add(fld.name)
            uses = "" if fld.default is None else (
                " (as written, it would not be read and every row would be blank)"
                if fld.default == "" else f" (as written, it would not be read and every row "
                f"would use {show(fld.default)})")
            self.problem(sheet.name, header_row, c, text,
                         f"column '{text}' is not a heading this program knows; did you mean "
                         f"'{fld.header}'? Correct the heading{uses}", text)

    def row_values(self, table: SheetTable, row: int, fields: Sequence[Field], path: str
                   ) -> dict[str, Any]:
        """Values of one table row by field name; BAD where a cell could not be read."""
        out: dict[str, Any] = {}
        for fld in fields:
            col = table.columns.get(fld.name)
            if col is None:
                out[fld.name] = fld.default if fld.default is not None else (
                    None if fld.kind is ValueKind.OPTIONAL_NUMBER else BAD)
                continue
            out[fld.name] = self.value(table.sheet.name, row, col, fld,
                                       table.sheet.cell(row, col), table.headers.get(col))
            if path and fld.name != "name":
                self.locate(f"{path}/{fld.name}", table.sheet.name, row, col,
                            table.headers.get(col))
        return out

    def named_rows(self, table: SheetTable, fields: Sequence[Field], prefix: str
                   ) -> list[tuple[int, dict[str, Any]]]:
        """Every data row's values; a blank or repeated name is a problem. Rows with such a
        name are still read (their other cells may have problems too, and a scenario's
        probability still counts in the sum)."""
        seen: dict[str, int] = {}
        out = []
        name_col = table.columns.get("name")
        for r in table.rows:
            values = self.row_values(table, r, fields[:1], "")
            name = values["name"]
            path = ""
            if name is not BAD and name in seen:
                self.problem(table.sheet.name, r, name_col, name,
                             f"{fields[0].label} {show(name)} appears twice (also in row "
                             f"{seen[name]}); names must be unique", table.headers.get(
                                 name_col or 0))
            elif name is not BAD:
                seen[name] = r
                path = f"{prefix}/{name}"
                self.locate(path, table.sheet.name, r, name_col, fields[0].header)
                self.locate(f"{path}/name", table.sheet.name, r, name_col, fields[0].header)
            values.update(self.row_values(table, r, fields[1:], path))
            out.append((r, values))
        return out

    def material_ref(self, table: SheetTable, row: int, name: object, materials: list[str],
                     column: str = "material") -> bool:
        if name is BAD or name in materials:
            return name is not BAD
        col = table.columns.get(column)
        self.problem(table.sheet.name, row, col, name,
                     f"material {show(name)} is not on the {MATERIALS} sheet"
                     f"{did_you_mean(str(name), materials)}", table.headers.get(col or 0))
        return False


def _aliases(fld: Field) -> set[str]:
    return {norm(fld.header), norm(fld.title), norm(fld.name),
            *(norm(h) for h in fld.legacy_headers)}


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.75)
    if not close:
        close = [c for c in choices if c.strip().casefold() == name.strip().casefold()]
    return f" (did you mean {show(close[0])}?)" if close else ""
