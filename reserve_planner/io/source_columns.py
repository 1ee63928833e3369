"""The Sources column of each table is for reading: sources are read from the Sources
sheet. Warn where a planner edited such a cell, so the edit is not lost silently."""

from __future__ import annotations

from ..model import PlanInputs
from .cell_values import text_from_cell
from .scenario_layout import (
    FLOORS,
    FLOORS_SOURCE_PATH,
    MATERIAL_SOURCE_ITEMS,
    MATERIALS,
    PROJECT_SOURCE_ITEMS,
    PROJECTS,
    SCENARIO_SOURCE_ITEMS,
    SCENARIOS,
    SERIES,
    SERIES_SOURCE_ITEMS,
    SETTING_FIELDS,
    SETTINGS,
    SOURCES,
    norm,
    row_sources_text,
)
from .sheet_tables import SheetTable, TableReader


def check_source_columns(reader: TableReader, inputs: PlanInputs,
                         series_first_rows: dict[str, int]) -> None:
    """Warn where a Sources cell of a table (read only) differs from what the Sources sheet
    says; ``series_first_rows`` gives the Series row that carries each material's sources."""
    src = inputs.sources
    expected = {
        MATERIALS: {m.name: row_sources_text(src, f"materials/{m.name}", MATERIAL_SOURCE_ITEMS)
                    for m in inputs.materials},
        PROJECTS: {j.name: row_sources_text(src, f"projects/{j.name}", PROJECT_SOURCE_ITEMS)
                   for j in inputs.projects},
        SCENARIOS: {s.name: row_sources_text(src, f"scenarios/{s.name}", SCENARIO_SOURCE_ITEMS)
                    for s in inputs.scenarios},
    }
    for sheet_name, by_name in expected.items():
        table = reader.tables.get(sheet_name)
        for r in _rows_with_sources(table):
            name = text_from_cell(table.cell(r, "name").value)
            _compare(reader, table, r, by_name.get(name, ""))
    series = reader.tables.get(SERIES)
    for r in _rows_with_sources(series):
        mat = text_from_cell(series.cell(r, "material").value)
        first = series_first_rows.get(mat) == r
        _compare(reader, series, r, row_sources_text(src, f"materials/{mat}",
                                                     SERIES_SOURCE_ITEMS) if first else "")
    floors = reader.tables.get(FLOORS)
    label = src[FLOORS_SOURCE_PATH].label() if FLOORS_SOURCE_PATH in src else ""
    for r in _rows_with_sources(floors):
        _compare(reader, floors, r, label)
    settings = reader.tables.get(SETTINGS)
    by_key = {k: f for f in SETTING_FIELDS for k in (norm(f.title), norm(f.name))}
    for r in _rows_with_sources(settings):
        fld = by_key.get(norm(text_from_cell(settings.cell(r, "setting").value)))
        if fld is not None:
            source = src.get(f"policy/{fld.name}")
            _compare(reader, settings, r, source.label() if source is not None else "")


def _rows_with_sources(table: SheetTable | None) -> list[int]:
    return table.rows if table is not None and table.source_column is not None else []


def _compare(reader: TableReader, table: SheetTable, row: int, expected: str) -> None:
    col = table.source_column
    assert col is not None
    found = text_from_cell(table.sheet.cell(row, col).value)
    if " ".join(found.split()) != " ".join(expected.split()):
        heading = table.headers.get(col, "Sources")
        reader.warn(table.sheet.name, row, col, f"the {heading} column is for reading; "
                    f"sources are read from the {SOURCES} sheet, so this edit was not kept")
