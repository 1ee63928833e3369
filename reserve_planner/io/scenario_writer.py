"""Build the sheets of a scenario workbook from :class:`PlanInputs` (see
:mod:`reserve_planner.io.scenario_layout` for the layout). Nothing here touches the disk."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..model import PlanInputs, Source
from .scenario_layout import (
    CONTRACTED_FLOOR_FIELDS,
    CONTRACTED_FLOOR_SOURCE_ITEMS,
    CONTRACTED_FLOORS,
    DEPTH_FIELD,
    DEPTH_PREFIX,
    EPISODE_DEPTH_FIELD,
    EPISODE_FIELDS,
    EPISODE_SOURCE_ITEMS,
    EPISODES,
    FLOOR_FIELDS,
    FLOORS,
    FLOORS_SOURCE_PATH,
    FORMAT_KEY,
    KIND_KEY,
    MATERIAL_FIELDS,
    MATERIAL_SOURCE_ITEMS,
    MATERIALS,
    METADATA,
    METADATA_HEADERS,
    PROGRAM_VERSION_KEY,
    PROJECT_FIELDS,
    PROJECT_SOURCE_ITEMS,
    PROJECTS,
    SCENARIO_FIELDS,
    SCENARIO_SOURCE_ITEMS,
    SCENARIOS,
    SCHEMA_VERSION_KEY,
    SERIES,
    SERIES_DEMAND,
    SERIES_FIELDS,
    SERIES_SOURCE_ITEMS,
    SETTING_FIELDS,
    SETTINGS,
    SETTINGS_HEADERS,
    SHEET_PURPOSE,
    SOURCE_CELL_COLUMN,
    SOURCE_COLUMN,
    SOURCE_FIELDS,
    SOURCES,
    VARIANTS,
    WORKBOOK_FORMAT,
    WORKBOOK_SCHEMA_VERSION,
    Field,
    ValueKind,
    row_sources_text,
)
from .variants_sheet import add_variants_sheet
from .workbook_problems import WorkbookSaveError
from .xlsx_writing import (
    NOTE_FONT,
    SheetWriter,
    add_table,
    add_validation,
    fit_columns,
    note,
    page_setup,
    put_formula,
    write_header,
)

SPARE_ROWS = 50
"""Rows below each table that get the same data validation, for rows a planner adds."""
SOURCE_WIDTH = 60
ROW_HEIGHT = 15.0


def build_scenario_workbook(inputs: PlanInputs,
                            variants: Mapping[str, PlanInputs] | None = None) -> Workbook:
    """An openpyxl workbook holding ``inputs`` in the scenario layout (not yet saved), and
    the named ``variants`` of it (name -> inputs) on a Variants sheet when there are any.

    Raises :class:`WorkbookSaveError` when some text cannot be stored in Excel (control
    characters, more than 32,767 characters in one cell).
    """
    wb = Workbook()
    wb.remove(wb.active)
    writer = SheetWriter()
    add_scenario_sheets(wb, inputs, writer)
    if variants:
        add_variants_sheet(wb, inputs, variants, writer)
        wb.move_sheet(VARIANTS, offset=-(len(wb.sheetnames) - 1 - wb.sheetnames.index(
            CONTRACTED_FLOORS)) + 1)
    if writer.problems:
        raise WorkbookSaveError(writer.problems)
    wb.active = 0
    return wb


def add_scenario_sheets(wb: Workbook, inputs: PlanInputs, writer: SheetWriter,
                        kind: str = "scenario") -> None:
    """Append the scenario sheets for ``inputs`` to ``wb``; ``kind`` goes into Metadata."""
    wb.properties.creator = f"Reserve Planner {__version__}"
    wb.properties.title = inputs.name[:255]
    where: dict[str, str] = {}
    _settings(wb.create_sheet(SETTINGS), inputs, writer, where)
    _materials(wb.create_sheet(MATERIALS), inputs, writer, where)
    _projects(wb.create_sheet(PROJECTS), inputs, writer, where)
    _scenarios(wb.create_sheet(SCENARIOS), inputs, writer, where)
    _episodes(wb.create_sheet(EPISODES), inputs, writer, where)
    _series(wb.create_sheet(SERIES), inputs, writer, where)
    _floors(wb.create_sheet(FLOORS), inputs, writer)
    _contracted_floors(wb.create_sheet(CONTRACTED_FLOORS), inputs, writer, where)
    _sources(wb.create_sheet(SOURCES), inputs.sources, writer, where)
    _metadata(wb.create_sheet(METADATA), writer, kind)


def _sourced(ws: Worksheet, cell, sources: Mapping[str, Source], path: str,
             where: dict[str, str]) -> None:
    where.setdefault(path, f"{ws.title}!{cell.coordinate}")
    source = sources.get(path)
    if source is not None:
        cell.comment = note(f"Source: {source.label()}")


def _finish(ws: Worksheet, name: str, n_rows: int, n_cols: int, freeze: str,
            widths: dict[int, float] | None = None, print_sources: bool = True) -> None:
    add_table(ws, name, 1, 1 + n_rows, n_cols)
    ws.freeze_panes = freeze
    fit_columns(ws, widths=widths)
    page_setup(ws)
    if not print_sources:  # the long Sources text would shrink a printed page to nothing
        ws.print_area = f"A1:{get_column_letter(n_cols - 1)}{max(2, n_rows + 1)}"


def _settings(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
              where: dict[str, str]) -> None:
    write_header(ws, writer, 1, SETTINGS_HEADERS,
                 ("Setting name; do not change.", "Edit the values in this column.",
                  "Unit of the value.", "What the setting means.",
                  "Where the default comes from (read only: edit sources on the Sources "
                  "sheet)."))
    values = {"name": inputs.name, "notes": inputs.notes}
    for r, fld in enumerate(SETTING_FIELDS, start=2):
        value = values[fld.name] if fld.name in values else getattr(inputs.policy, fld.name)
        writer.put(ws, r, 1, fld.title)
        writer.put(ws, r, 2, value, fld.number_format)
        writer.put(ws, r, 3, fld.shown_unit)
        writer.put(ws, r, 4, fld.description)
        path = f"policy/{fld.name}"
        source = inputs.sources.get(path)
        writer.put(ws, r, 5, source.label() if source else "")
        where.setdefault(path, f"{ws.title}!B{r}")
        add_validation(ws, fld, f"B{r}")
        for c in (3, 4, 5):
            ws.cell(r, c).font = NOTE_FONT
        for c in range(1, 6):
            wrap = c in (4, 5) or (c == 2 and fld.kind is ValueKind.TEXT)
            ws.cell(r, c).alignment = Alignment(wrap_text=wrap, vertical="top",
                                                horizontal="left" if wrap else None)
    _finish(ws, "SettingsTable", len(SETTING_FIELDS), len(SETTINGS_HEADERS), "C2",
            {2: 24, 4: 50, 5: SOURCE_WIDTH})


def _wide_table(ws: Worksheet, writer: SheetWriter, fields: tuple[Field, ...],
                rows: list[tuple[list[object], str]], extra_headers: list[str] = (),
                extra_fields: list[Field] = ()) -> int:
    """Headings, rows and per-column validation; returns the number of columns."""
    headers = [f.header for f in fields] + list(extra_headers) + [SOURCE_COLUMN]
    notes = [_heading_note(f) for f in (*fields, *extra_fields)] + [
        "Where each default comes from, for reading; edit sources on the Sources sheet."]
    write_header(ws, writer, 1, headers, notes)
    all_fields = (*fields, *extra_fields)
    for r, (values, sources_text) in enumerate(rows, start=2):
        for c, (fld, value) in enumerate(zip(all_fields, values, strict=True), start=1):
            writer.put(ws, r, c, value, fld.number_format)
        cell = writer.put(ws, r, len(headers), sources_text)
        cell.font = NOTE_FONT
        # One line per row: the full text shows in the cell editor and in the comments.
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = ROW_HEIGHT
    last = len(rows) + 1 + SPARE_ROWS
    for c, fld in enumerate(all_fields, start=1):
        add_validation(ws, fld, f"{get_column_letter(c)}2:{get_column_letter(c)}{last}")
    return len(headers)


def _heading_note(fld: Field) -> str:
    parts = [fld.description]
    if fld.unit == "0-1":
        parts.append("Unit: % (a share: 30% is 0.3).")
    elif fld.unit:
        parts.append(f"Unit: {fld.unit}.")
    if fld.range_text():
        parts.append(f"Valid: {fld.range_text()}.")
    if fld.default is not None and fld.default != "":
        parts.append(f"Blank means {fld.default}.")
    return " ".join(p for p in parts if p)


def _materials(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
               where: dict[str, str]) -> None:
    rows = []
    for m in inputs.materials:
        values = [getattr(m, f.name) for f in MATERIAL_FIELDS]
        rows.append((values, row_sources_text(inputs.sources, f"materials/{m.name}",
                                              MATERIAL_SOURCE_ITEMS)))
    n_cols = _wide_table(ws, writer, MATERIAL_FIELDS, rows)
    for r, m in enumerate(inputs.materials, start=2):
        for c, fld in enumerate(MATERIAL_FIELDS[1:], start=2):
            _sourced(ws, ws.cell(r, c), inputs.sources, f"materials/{m.name}/{fld.name}", where)
    _finish(ws, "MaterialsTable", len(rows), n_cols, "B2", {n_cols: SOURCE_WIDTH},
            print_sources=False)


def _projects(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
              where: dict[str, str]) -> None:
    rows = []
    for j in inputs.projects:
        values = [getattr(j, f.name) for f in PROJECT_FIELDS]
        values[2] = j.kind.value
        rows.append((values, row_sources_text(inputs.sources, f"projects/{j.name}",
                                              PROJECT_SOURCE_ITEMS)))
    n_cols = _wide_table(ws, writer, PROJECT_FIELDS, rows)
    last = len(rows) + 1 + SPARE_ROWS
    from openpyxl.worksheet.datavalidation import DataValidation

    names = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                           errorStyle="warning", errorTitle="Material",
                           formula1=f"{MATERIALS}!$A$2:$A${len(inputs.materials) + 1 + SPARE_ROWS}")
    names.error = "Pick a material from the Materials sheet."
    ws.add_data_validation(names)
    names.add(f"B2:B{last}")
    for r, j in enumerate(inputs.projects, start=2):
        for c, fld in enumerate(PROJECT_FIELDS[3:], start=4):
            _sourced(ws, ws.cell(r, c), inputs.sources, f"projects/{j.name}/{fld.name}", where)
    _finish(ws, "ProjectsTable", len(rows), n_cols, "B2", {n_cols: SOURCE_WIDTH},
            print_sources=False)


def _depth_materials(inputs: PlanInputs) -> list[str]:
    names = list(inputs.material_names)
    for s in inputs.scenarios:
        for name, _ in s.depth_by_material:
            if name not in names:
                names.append(name)
    return names


def _scenarios(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
               where: dict[str, str]) -> None:
    depth_names = _depth_materials(inputs)
    rows = []
    for s in inputs.scenarios:
        values: list[object] = [getattr(s, f.name) for f in SCENARIO_FIELDS]
        depths = dict(s.depth_by_material)
        values += [depths.get(name) for name in depth_names]
        rows.append((values, row_sources_text(inputs.sources, f"scenarios/{s.name}",
                                              SCENARIO_SOURCE_ITEMS)))
    depth_headers = [f"{DEPTH_PREFIX}{name}" for name in depth_names]
    n_cols = _wide_table(ws, writer, SCENARIO_FIELDS, rows, depth_headers,
                         [DEPTH_FIELD] * len(depth_names))
    for r, s in enumerate(inputs.scenarios, start=2):
        for c, fld in enumerate(SCENARIO_FIELDS[2:], start=3):
            _sourced(ws, ws.cell(r, c), inputs.sources, f"scenarios/{s.name}/{fld.name}", where)
        depth_path = f"scenarios/{s.name}/depth"
        first_depth = len(SCENARIO_FIELDS) + 1
        if depth_names:
            _sourced(ws, ws.cell(r, first_depth), inputs.sources, depth_path, where)
    _finish(ws, "ScenariosTable", len(rows), n_cols, "B2", {2: 45, n_cols: SOURCE_WIDTH},
            print_sources=False)


def _episodes(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
              where: dict[str, str]) -> None:
    """One row per later episode (2, 3, ... of its scenario), depth columns as on Scenarios;
    the heading row alone when no scenario has later episodes."""
    depth_names = list(inputs.material_names)
    for s in inputs.scenarios:
        for e in s.later_episodes:
            depth_names += [n for n, _ in e.depth_by_material if n not in depth_names]
    rows = []
    firsts: list[tuple[int, str]] = []
    for s in inputs.scenarios:
        for number, e in enumerate(s.later_episodes, start=2):
            values: list[object] = [s.name, number] + [getattr(e, f.name)
                                                       for f in EPISODE_FIELDS[2:]]
            depths = dict(e.depth_by_material)
            values += [depths.get(name) for name in depth_names]
            if number == 2:
                firsts.append((len(rows) + 2, s.name))
            text = row_sources_text(inputs.sources, f"scenarios/{s.name}",
                                    EPISODE_SOURCE_ITEMS) if number == 2 else ""
            rows.append((values, text))
    depth_headers = [f"{DEPTH_PREFIX}{name}" for name in depth_names]
    n_cols = _wide_table(ws, writer, EPISODE_FIELDS, rows, depth_headers,
                         [EPISODE_DEPTH_FIELD] * len(depth_names))
    for r, name in firsts:
        _sourced(ws, ws.cell(r, 3), inputs.sources, f"scenarios/{name}/later_episodes", where)
    _finish(ws, "EpisodesTable", len(rows), n_cols, "C2", {1: 30, n_cols: SOURCE_WIDTH},
            print_sources=False)


def _series(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
            where: dict[str, str]) -> None:
    start = inputs.policy.start_year
    rows = []
    firsts = []
    for m in inputs.materials:
        dom, allied = m.domestic_supply_t_per_yr, m.allied_supply_t_per_yr
        firsts.append((len(rows) + 2, m.name))
        for i in range(max(len(dom), len(allied), 1)):
            values = [m.name, start + i, dom[i] if i < len(dom) else None,
                      allied[i] if i < len(allied) else None, None]
            text = row_sources_text(inputs.sources, f"materials/{m.name}",
                                    SERIES_SOURCE_ITEMS) if i == 0 else ""
            rows.append((values, text))
    n_cols = _wide_table(ws, writer, SERIES_FIELDS, rows, [SERIES_DEMAND.header],
                         [SERIES_DEMAND])
    for r, name in firsts:
        for c, key in ((3, "domestic_supply_t_per_yr"), (4, "allied_supply_t_per_yr")):
            _sourced(ws, ws.cell(r, c), inputs.sources, f"materials/{name}/{key}", where)
    start_cell = f"{SETTINGS}!$B${2 + _setting_index('start_year')}"
    for r in range(2, len(rows) + 2):
        find = f"MATCH($A{r},{MATERIALS}!$A:$A,0)"
        put_formula(ws, r, 5, f"=IFERROR(INDEX({MATERIALS}!$B:$B,{find})*(1+INDEX("
                    f"{MATERIALS}!$C:$C,{find}))^($B{r}-{start_cell}),\"\")",
                    SERIES_DEMAND.number_format).font = NOTE_FONT
    _finish(ws, "SeriesTable", len(rows), n_cols, "C2", {n_cols: SOURCE_WIDTH},
            print_sources=False)


def _setting_index(name: str) -> int:
    return next(i for i, f in enumerate(SETTING_FIELDS) if f.name == name)


def _floors(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter) -> None:
    source = inputs.sources.get(FLOORS_SOURCE_PATH)
    label = source.label() if source else ""
    rows: list[tuple[list[object], str]] = []
    for name, levels in inputs.policy.floor_candidates_usd_per_kg:
        for level in levels or (None,):
            rows.append(([name, level], label))
    n_cols = _wide_table(ws, writer, FLOOR_FIELDS, rows)
    _finish(ws, "FloorsTable", len(rows), n_cols, "A2", {n_cols: SOURCE_WIDTH})


def _contracted_floors(ws: Worksheet, inputs: PlanInputs, writer: SheetWriter,
                       where: dict[str, str]) -> None:
    rows = []
    for f in inputs.contracted_floors:
        rows.append(([getattr(f, fld.name) for fld in CONTRACTED_FLOOR_FIELDS],
                     row_sources_text(inputs.sources, f"contracted_floors/{f.name}",
                                      CONTRACTED_FLOOR_SOURCE_ITEMS)))
    n_cols = _wide_table(ws, writer, CONTRACTED_FLOOR_FIELDS, rows)
    for r, f in enumerate(inputs.contracted_floors, start=2):
        for c, fld in enumerate(CONTRACTED_FLOOR_FIELDS[1:], start=2):
            _sourced(ws, ws.cell(r, c), inputs.sources,
                     f"contracted_floors/{f.name}/{fld.name}", where)
    _finish(ws, "ContractedFloorsTable", len(rows), n_cols, "B2", {n_cols: SOURCE_WIDTH},
            print_sources=False)


def _sources(ws: Worksheet, sources: Mapping[str, Source], writer: SheetWriter,
             where: dict[str, str]) -> None:
    headers = [f.header for f in SOURCE_FIELDS] + [SOURCE_CELL_COLUMN]
    write_header(ws, writer, 1, headers, [f.description for f in SOURCE_FIELDS] + [
        "Where the value was when the workbook was saved (for reading)."])
    for r, path in enumerate(sorted(sources), start=2):
        s = sources[path]
        for c, value in enumerate((path, s.kind.value, s.reference, s.detail,
                                   where.get(path, "")), start=1):
            writer.put(ws, r, c, value)
        ws.cell(r, 5).font = NOTE_FONT
    add_validation(ws, SOURCE_FIELDS[1], f"B2:B{len(sources) + 1 + SPARE_ROWS}")
    _finish(ws, "SourcesTable", len(sources), len(headers), "B2", {3: 45, 4: SOURCE_WIDTH})


def _metadata(ws: Worksheet, writer: SheetWriter, kind: str) -> None:
    write_header(ws, writer, 1, METADATA_HEADERS)
    rows = [(FORMAT_KEY, WORKBOOK_FORMAT), (SCHEMA_VERSION_KEY, WORKBOOK_SCHEMA_VERSION),
            (PROGRAM_VERSION_KEY, __version__),
            ("Saved", datetime.now().astimezone().isoformat(timespec="seconds")),
            (KIND_KEY, kind)]
    for r, (key, value) in enumerate(rows, start=2):
        writer.put(ws, r, 1, key)
        writer.put(ws, r, 2, value).alignment = Alignment(horizontal="left")
    add_table(ws, "MetadataTable", 1, len(rows) + 1, 2)
    top = len(rows) + 3
    write_header(ws, writer, top, ("Sheet", "Contents"))
    for r, (sheet, purpose) in enumerate(SHEET_PURPOSE.items(), start=top + 1):
        writer.put(ws, r, 1, sheet)
        writer.put(ws, r, 2, purpose)
    ws.freeze_panes = "A2"
    fit_columns(ws, widths={2: 80})
    page_setup(ws)
