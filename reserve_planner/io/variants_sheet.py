"""The Variants sheet of a scenario workbook: named variants of the workbook's plan.

A variant is stored as its changes against the main scenario (the other sheets), one row
per changed input, so a planner can read in Excel what each variant changes:

=======  ====  =====================  ==========================  =====  ====  ===========
Variant  Note  Path                   Input                       Value  Unit  Main value
=======  ====  =====================  ==========================  =====  ====  ===========
Threat   ...   policy/tariff_share    Tariff on Chinese imports    100%  %     20%
=======  ====  =====================  ==========================  =====  ====  ===========

followed by the source of the variant's value (Source kind, Reference, Detail). The Path
is what is read (as on the Sources sheet: ``table/row name/field``); Input, Unit and Main
value are written for reading. A scalar is a cell in the main sheets' unit and format (a
share as a percentage); a series, a list of levels, or a whole table whose rows were added,
removed or renamed is JSON text. A variant that changes nothing has one row with a blank
Path.

:func:`add_variants_sheet` writes the sheet; :func:`parse_variants` reads it against the
main scenario, each problem naming sheet, cell and column; a variant with a problem is left
out and the main scenario is never affected.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..analysis.compare import MISSING, value_at
from ..analysis.sweep import apply_changes, input_changes
from ..model import USER_EDIT, InputFormatError, PlanInputs, Source, SourceKind, inputs_to_dict
from .cell_values import bool_from_cell, is_blank, number_from_cell, show, text_from_cell
from .field_values import CellProblem, convert
from .raw_workbook import MAX_COLUMNS, MAX_ROWS, RawCell, RawWorkbook
from .scenario_layout import (
    CONTRACTED_FLOOR_FIELDS,
    DEPTH_FIELD,
    FLOOR_FIELDS,
    FLOORS_SOURCE_PATH,
    MATERIAL_FIELDS,
    PROJECT_FIELDS,
    SCENARIO_FIELDS,
    SERIES_FIELDS,
    SETTING_FIELDS,
    VARIANT_FIELDS,
    VARIANTS,
    Field,
    ValueKind,
)
from .sheet_tables import BAD, TableReader
from .workbook_problems import WorkbookProblem
from .xlsx_writing import NOTE_FONT, SheetWriter, add_table, fit_columns, page_setup, write_header

_TABLE_FIELDS: dict[str, tuple[Field, ...]] = {
    "materials": MATERIAL_FIELDS + SERIES_FIELDS[2:], "projects": PROJECT_FIELDS,
    "scenarios": SCENARIO_FIELDS, "contracted_floors": CONTRACTED_FLOOR_FIELDS}
_TABLE_TITLES = {"materials": "Materials", "projects": "Projects", "scenarios": "Scenarios",
                 "contracted_floors": "Contracted floors", "policy": "Settings"}
MAX_PROBLEMS_PER_VARIANT = 8
"""Problems listed for one variant that fails the model's checks; the rest are counted."""
_COL = {f.name: i for i, f in enumerate(VARIANT_FIELDS, start=1)}


def layout_field(path: str) -> Field | None:
    """The workbook column (or Settings row) that holds the value at ``path``; None for a
    whole table or a path the layout does not know."""
    parts = path.split("/")
    if parts[0] == "policy" and len(parts) >= 2:
        if parts[1] == "floor_candidates_usd_per_kg":
            return FLOOR_FIELDS[1]
        return next((f for f in SETTING_FIELDS if f.name == parts[1]), None)
    if parts[0] in _TABLE_FIELDS and len(parts) >= 3:
        if parts[2] == "depth_by_material":
            return DEPTH_FIELD
        return next((f for f in _TABLE_FIELDS[parts[0]] if f.name == parts[2]), None)
    return None


def _unit(fld: Field) -> str:
    """The unit in the sense of the model: ``"0-1"`` for a value shown as a percentage."""
    return "0-1" if "%" in fld.number_format else fld.unit


def workbook_field_label(path: str) -> tuple[str, str]:
    """A field path in the workbook's words and its unit (``"0-1"`` for a share), e.g.
    ``("NdPr oxide: Price", "$/kg")`` or ``("Tariff on Chinese imports", "0-1")``; for
    :func:`reserve_planner.analysis.compare.compare_plans` (``describe``)."""
    parts = path.split("/")
    if len(parts) == 1:
        return f"{_TABLE_TITLES.get(parts[0], parts[0])}: rows added, removed or renamed", ""
    fld = layout_field(path)
    if fld is None:
        from ..analysis.compare import field_label

        return field_label(path)
    if parts[0] == "policy":
        title = ("Candidate floor levels" if parts[1] == "floor_candidates_usd_per_kg"
                 else fld.title)
        rest = parts[2:]
    else:
        title, rest = f"{parts[1]}: {fld.title}", parts[3:]
    return title + (", " + ", ".join(rest) if rest else ""), _unit(fld)


def source_key(path: str) -> str:
    """The key under which :attr:`PlanInputs.sources` files the value at ``path``: a
    scenario's depths share ``scenarios/<name>/depth``, the candidate floor levels one
    entry."""
    if path.startswith(FLOORS_SOURCE_PATH):
        return FLOORS_SOURCE_PATH
    head, sep, _ = path.partition("/depth_by_material")
    return f"{head}/depth" if sep else path


def _is_structured(value: Any) -> bool:
    return isinstance(value, list | dict)


def _cell_value(value: Any) -> Any:
    """What goes into the Value cell: a scalar as it is, a list or dict as JSON."""
    if _is_structured(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def add_variants_sheet(wb: Workbook, main: PlanInputs, variants: Mapping[str, PlanInputs],
                       writer: SheetWriter) -> None:
    """Append the Variants sheet holding ``variants`` (name -> inputs) as changes against
    ``main``; nothing when there are none. A variant's note is its inputs' ``notes``."""
    if not variants:
        return
    ws = wb.create_sheet(VARIANTS)
    write_header(ws, writer, 1, [f.header for f in VARIANT_FIELDS],
                 [f.description for f in VARIANT_FIELDS])
    base = inputs_to_dict(main)
    r = 2
    for name, variant in variants.items():
        changes = input_changes(main, variant) or (None,)
        for i, change in enumerate(changes):
            writer.put(ws, r, _COL["variant"], name)
            if i == 0 and variant.notes:
                writer.put(ws, r, _COL["note"], variant.notes)
            if change is not None:
                path = change.path
                label, unit = workbook_field_label(path)
                fld = layout_field(path)
                fmt = fld.number_format if fld is not None and not _is_structured(
                    change.value) else None
                writer.put(ws, r, _COL["path"], path)
                writer.put(ws, r, _COL["input"], label)
                writer.put(ws, r, _COL["value"], _cell_value(change.value), fmt)
                writer.put(ws, r, _COL["unit"], "%" if unit == "0-1" else unit)
                main_value = value_at(base, path)
                writer.put(ws, r, _COL["main_value"], None if main_value is MISSING else
                           _cell_value(main_value), fmt).font = NOTE_FONT
                source = variant.sources.get(source_key(path))
                if source is not None:
                    writer.put(ws, r, _COL["source_kind"], source.kind.value)
                    writer.put(ws, r, _COL["reference"], source.reference)
                    writer.put(ws, r, _COL["detail"], source.detail)
                for c in (_COL["input"], _COL["unit"]):
                    ws.cell(r, c).font = NOTE_FONT
                for c in (_COL["reference"], _COL["detail"]):
                    ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    add_table(ws, "VariantsTable", 1, r - 1, len(VARIANT_FIELDS))
    ws.freeze_panes = "B2"
    fit_columns(ws, widths={_COL["path"]: 40, _COL["input"]: 34, _COL["reference"]: 50,
                            _COL["detail"]: 50})
    page_setup(ws)


class _VariantsReader(TableReader):
    def __init__(self, raw: RawWorkbook, main: PlanInputs):
        super().__init__(raw)
        self.main = main
        self.base = inputs_to_dict(main)

    def read(self) -> dict[str, PlanInputs]:
        sheet = self.raw.sheet(VARIANTS)
        if sheet is not None and sheet.truncated:
            self.problem(VARIANTS, None, None, None,
                         f"the sheet has cells beyond row {MAX_ROWS:,} or column "
                         f"{get_column_letter(MAX_COLUMNS)}; no variant was read. Delete "
                         "the unused rows and columns.")
            return {}
        if sheet is not None and sheet.hidden:
            self.warn(VARIANTS, None, None, "the sheet is hidden in the workbook; its "
                      "variants were read")
        table = self.table(VARIANTS, VARIANT_FIELDS, required=False)
        if table is None:
            return {}
        header = {name: table.headers.get(col) for name, col in table.columns.items()}
        # name -> (first row, rows, note, changes [(row, path, value, source)])
        found: dict[str, dict[str, Any]] = {}
        last_name = None
        bad_names: set[str] = set()
        for r in table.rows:
            cells = self.row_values(table, r, VARIANT_FIELDS[:2] + VARIANT_FIELDS[2:3]
                                    + VARIANT_FIELDS[7:], "")
            name = cells["variant"]
            if name is BAD:
                last_name = None
                continue
            name = name.strip()
            if name in found and name != last_name:
                first = found[name]["rows"][0]
                self.problem(VARIANTS, r, table.columns.get("variant"), name,
                             f"variant {show(name)} appears again (its rows start in row "
                             f"{first}); a variant's rows must be together and each variant "
                             "needs its own name", header["variant"])
                bad_names.add(name)
                continue
            last_name = name
            entry = found.setdefault(name, {"rows": [], "note": "", "changes": {}})
            entry["rows"].append(r)
            note = cells["note"]
            if note not in (BAD, "") and not entry["note"]:
                entry["note"] = note
            path = cells["path"]
            if path is BAD:
                bad_names.add(name)
                continue
            path = path.strip().strip("/")
            value_cell = table.cell(r, "value")
            if not path:
                if not is_blank(value_cell.value):
                    self.problem(VARIANTS, r, table.columns.get("path"), None,
                                 f"variant {show(name)}: the Path is blank but a Value is "
                                 "given; write the input's path (as on the Sources sheet), "
                                 "e.g. policy/tariff_share", header["path"])
                    bad_names.add(name)
                continue
            if path in entry["changes"]:
                self.problem(VARIANTS, r, table.columns.get("path"), path,
                             f"variant {show(name)} changes {path} twice (also in row "
                             f"{entry['changes'][path][0]}); keep one row",
                             header["path"])
                bad_names.add(name)
                continue
            value = self._value(r, table.columns.get("value"), path, value_cell,
                                header.get("value") or "Value")
            if value is BAD:
                bad_names.add(name)
                continue
            source = self._source(cells)
            if source is BAD:
                bad_names.add(name)
                continue
            entry["changes"][path] = (r, value, source)
        out: dict[str, PlanInputs] = {}
        for name, entry in found.items():
            if name in bad_names:
                continue
            variant = self._build(name, entry, table.columns.get("path"), header["path"])
            if variant is not None:
                out[name] = variant
        return out

    def _source(self, cells: dict[str, Any]) -> Source | Any:
        kind, ref, detail = cells["source_kind"], cells["reference"], cells["detail"]
        if BAD in (kind, ref, detail):
            return BAD
        if not kind:
            return USER_EDIT if not (ref or detail) else Source(SourceKind.USER, ref, detail)
        return Source(SourceKind(kind), ref, detail)

    def _value(self, r: int, col: int | None, path: str, raw: RawCell, header: str) -> Any:
        current = value_at(self.base, path)
        if current is MISSING:
            self.problem(VARIANTS, r, self.tables[VARIANTS].columns.get("path"), path,
                         f"the main scenario has no input {show(path)}; write a path as on "
                         "the Sources sheet (table/row name/field), e.g. "
                         "materials/NdPr oxide/price_usd_per_kg", "Path")
            return BAD
        fld = layout_field(path)
        if isinstance(current, dict) and "/" not in path:
            self.problem(VARIANTS, r, self.tables[VARIANTS].columns.get("path"), path,
                         f"{path!r} is a group of settings; write one row per setting, "
                         f"e.g. {path}/{next(iter(current), 'name')}", "Path")
            return BAD
        if _is_structured(current):
            text = text_from_cell(raw.value).strip() if raw.problem is None else ""
            what = "a list" if isinstance(current, list) else "an object"
            try:
                value = json.loads(text)
            except ValueError:
                self.problem(VARIANTS, r, col, raw.value,
                             f"{path} takes {what} written as JSON text, e.g. "
                             f"{json.dumps(current)[:60]}; {show(raw.value)} is not",
                             header)
                return BAD
            if not isinstance(value, type(current)) or (isinstance(value, list) and any(
                    isinstance(x, float) and not math.isfinite(x) for x in value)):
                self.problem(VARIANTS, r, col, raw.value,
                             f"{path} takes {what} written as JSON text, e.g. "
                             f"{json.dumps(current)[:60]}; got {show(raw.value)}", header)
                return BAD
            return value
        if fld is not None and fld.kind is not ValueKind.TEXT:
            result = convert(replace(fld, label=f"{path}: {fld.label}"), raw)
            if isinstance(result, CellProblem):
                self.problem(VARIANTS, r, col, raw.value, result.message, header)
                return BAD
            return result
        if isinstance(current, bool):
            b = bool_from_cell(raw.value)
            if b is None:
                self.problem(VARIANTS, r, col, raw.value, f"{path} {show(raw.value)} is not "
                             "TRUE or FALSE", header)
                return BAD
            return b
        if isinstance(current, int | float):
            n = number_from_cell(raw.value)
            if n is None or not math.isfinite(n):
                self.problem(VARIANTS, r, col, raw.value, f"{path} {show(raw.value)} is not "
                             "a number", header)
                return BAD
            return n
        return text_from_cell(raw.value)

    def _build(self, name: str, entry: dict[str, Any], path_col: int | None,
               path_header: str | None) -> PlanInputs | None:
        changes = [{"path": p, "value": v} for p, (_, v, _) in entry["changes"].items()]
        first_row = entry["rows"][0]
        try:
            variant = apply_changes(self.main, changes, name=name)
        except (KeyError, InputFormatError, TypeError, ValueError) as exc:
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            self.problem(VARIANTS, first_row, path_col, name,
                         f"variant {show(name)} cannot be built from its rows: {text}",
                         path_header)
            return None
        problems = variant.validate()
        if problems:
            for p in problems[:MAX_PROBLEMS_PER_VARIANT]:
                row = next((rr for path, (rr, _, _) in entry["changes"].items()
                            if p.field == path or p.field.startswith(path + "/")
                            or path.startswith(p.field + "/")), first_row)
                self.problem(VARIANTS, row, self.tables[VARIANTS].columns.get("value"),
                             p.value, f"variant {show(name)}: {p.field}: {p.message} (got "
                             f"{show(p.value)})", "Value")
            if len(problems) > MAX_PROBLEMS_PER_VARIANT:
                self.problem(VARIANTS, first_row, path_col, name,
                             f"variant {show(name)}: {len(problems) - MAX_PROBLEMS_PER_VARIANT}"
                             " more problems like these", path_header)
            return None
        sources = dict(self.main.sources)
        for path, (_, _, source) in entry["changes"].items():
            if "/" in path:  # a whole table keeps the main scenario's row sources
                sources[source_key(path)] = source
        return replace(variant, notes=entry["note"], sources=sources)


def parse_variants(raw: RawWorkbook, main: PlanInputs
                   ) -> tuple[dict[str, PlanInputs], list[WorkbookProblem], list[str]]:
    """The named variants on the Variants sheet of ``raw`` (name -> inputs, in sheet
    order), the problems found (each naming sheet, cell, value and column; a variant with
    a problem is left out) and the warnings. No sheet: no variants, no problems."""
    reader = _VariantsReader(raw, main)
    variants = reader.read()
    return variants, reader.problems, reader.warnings
