"""The schema version of a scenario workbook: refuse what this program cannot read, with a
sentence naming the version, and upgrade older layouts through :data:`MIGRATIONS`."""

from __future__ import annotations

from collections.abc import Callable

from .cell_values import number_from_cell, show, text_from_cell, whole_number
from .raw_workbook import RawCell, RawWorkbook, cell_name
from .scenario_layout import (
    KIND_KEY,
    METADATA,
    OLDEST_READABLE_SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    WORKBOOK_SCHEMA_VERSION,
    norm,
)
from .sheet_tables import TableReader
from .workbook_problems import WorkbookError, WorkbookProblem

Migration = Callable[[RawWorkbook], RawWorkbook]
MIGRATIONS: dict[int, Migration] = {}
"""Upgrades of older layouts: ``MIGRATIONS[v]`` turns a version ``v`` workbook into ``v + 1``.
Empty while version 1 is the only layout."""

OLDEST_READABLE = OLDEST_READABLE_SCHEMA_VERSION
"""Oldest schema version still read (through :data:`MIGRATIONS`)."""


def check_schema_version(reader: TableReader) -> None:
    """Refuse a workbook of a schema version this program cannot read, with a sentence
    naming the version; upgrade an older readable one through :data:`MIGRATIONS`."""
    sheet = reader.raw.sheet(METADATA)
    if sheet is None:
        reader.warn(METADATA, None, None, "the sheet is missing; the workbook is read as "
                    f"schema version {WORKBOOK_SCHEMA_VERSION}")
        return
    for r, cells in sheet.rows():
        if not cells or norm(text_from_cell(cells[0].value)) != norm(SCHEMA_VERSION_KEY):
            continue
        raw = cells[1] if len(cells) > 1 else RawCell()
        number = number_from_cell(raw.value)
        version = whole_number(number) if number is not None else None
        if version is None:
            _refuse(reader, r, raw.value, f"schema version {show(raw.value)} is not a whole "
                    f"number; this program reads schema version {WORKBOOK_SCHEMA_VERSION}")
        elif version > WORKBOOK_SCHEMA_VERSION:
            _refuse(reader, r, version, f"this workbook has schema version {version}, written "
                    "by a newer Reserve Planner; this program reads versions up to "
                    f"{WORKBOOK_SCHEMA_VERSION}. Update Reserve Planner to open it.")
        elif version < OLDEST_READABLE:
            _refuse(reader, r, version, f"this workbook has schema version {version}, which "
                    f"this program cannot read (it reads {_versions()}). Copy its values "
                    "into a new template made with 'reserve-planner template FILE.xlsx'.")
        else:
            for v in range(version, WORKBOOK_SCHEMA_VERSION):
                reader.raw = MIGRATIONS[v](reader.raw)
                reader.warn("", None, None, f"the workbook was upgraded from schema version "
                            f"{v} to {v + 1}; save it to keep the new layout")
        return
    reader.warn(METADATA, None, None, f"no '{SCHEMA_VERSION_KEY}' row; the workbook is read "
                f"as schema version {WORKBOOK_SCHEMA_VERSION}")


def _refuse(reader: TableReader, row: int, value: object, message: str) -> None:
    raise WorkbookError([WorkbookProblem(METADATA, cell_name(row, 2), value, message, row,
                                         "Value")], reader.warnings)


def is_results_workbook(raw: RawWorkbook) -> bool:
    """Whether the Metadata sheet says this is a results workbook."""
    sheet = raw.sheet(METADATA)
    if sheet is None:
        return False
    for _, cells in sheet.rows():
        if len(cells) > 1 and norm(text_from_cell(cells[0].value)) == norm(KIND_KEY):
            return norm(text_from_cell(cells[1].value)) == "results"
    return False


def _versions() -> str:
    if OLDEST_READABLE == WORKBOOK_SCHEMA_VERSION:
        return f"schema version {WORKBOOK_SCHEMA_VERSION}"
    return f"schema versions {OLDEST_READABLE} to {WORKBOOK_SCHEMA_VERSION}"
