"""Fuzz the reader: truncated, corrupted and randomly mutated workbooks give either valid
inputs or the clear error (a WorkbookError that is not an internal error), never another
exception."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reserve_planner.io.raw_workbook import RawCell, RawWorkbook
from reserve_planner.io.workbook import (
    INTERNAL_ERROR,
    WorkbookError,
    load_scenario_workbook_bytes,
    parse_scenario_with_warnings,
    read_workbook_bytes,
)


@pytest.fixture(scope="module")
def template_raw(template) -> RawWorkbook:
    return read_workbook_bytes(template, "template.xlsx")


FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _load_or_clear_error(data: bytes) -> None:
    try:
        inputs, warnings = load_scenario_workbook_bytes(data, "fuzzed.xlsx")
    except WorkbookError as exc:
        assert exc.problems, "a WorkbookError must list its problems"
        text = str(exc)
        assert text and INTERNAL_ERROR not in text, text
        assert all(isinstance(p.message, str) and p.message for p in exc.problems)
    else:
        assert inputs.validate() == []
        assert all(isinstance(w, str) for w in warnings)


@FUZZ
@given(st.data())
def test_truncated_workbooks(template, data):
    cut = data.draw(st.integers(0, len(template) - 1))
    _load_or_clear_error(template[:cut])


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1,
                max_size=20))
def test_randomly_flipped_bytes(template, flips):
    data = bytearray(template)
    for pos, byte in flips:
        data[pos % len(data)] = byte
    _load_or_clear_error(bytes(data))


def _parts(template: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


mutation = st.tuples(st.sampled_from(["flip", "delete", "insert", "duplicate"]),
                     st.integers(0, 10**9), st.integers(1, 200),
                     st.binary(min_size=1, max_size=40)
                     | st.sampled_from([b"<", b">", b"&", b'"', b"<c r=\"A1\"><v>x</v></c>",
                                        b"</row>", b"\xff\xfe", b"<f>1/0</f>", b"t=\"e\""]))


@FUZZ
@given(st.data(), st.lists(mutation, min_size=1, max_size=5))
def test_corrupted_xml_parts_in_a_valid_zip(template, data, mutations):
    """Damage the XML inside a well-formed archive, so the XML parser and the cell parser
    see the damage rather than the zip checksum."""
    parts = _parts(template)
    name = data.draw(st.sampled_from(sorted(parts)))
    body = bytearray(parts[name])
    for kind, pos, length, blob in mutations:
        pos %= max(1, len(body))
        if kind == "flip":
            body[pos:pos + len(blob)] = blob
        elif kind == "delete":
            del body[pos:pos + length]
        elif kind == "insert":
            body[pos:pos] = blob
        else:
            body[pos:pos] = body[pos:pos + length]
    parts[name] = bytes(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)
    _load_or_clear_error(out.getvalue())


cell_values = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
               | st.floats(allow_nan=False, allow_infinity=False)
               | st.text(max_size=20) | st.sampled_from(
                   ["", " ", "1,200", "15%", "$110", "0,25", "abc", "#N/A", "=A1", "TRUE",
                    "NdPr oxide", "Dy oxide", "Depth: NdPr oxide", "Probability (0-1)",
                    "Material", "Scenario", "Schema version", "Sources", "domestic"])
               | st.datetimes(min_value=datetime(1900, 1, 1)))
raw_cells = st.builds(RawCell, cell_values,
                      st.none() | st.sampled_from(["=B2*2", "=SUM(A:A)", "=1/0"]),
                      st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["Settings", "Materials", "Projects", "Scenarios",
                                           "Episodes", "Series", "Floors", "Contracted floors",
                                           "Sources", "Metadata"]),
                          st.integers(1, 45), st.integers(1, 16), raw_cells | st.none()),
                min_size=1, max_size=25))
def test_randomly_edited_cells(template_raw, edits):
    """Random values, formulas and errors in random cells, fed to the parser directly."""
    raw = RawWorkbook(template_raw.name, [_copy(s) for s in template_raw.sheets])
    for sheet_name, r, c, cell in edits:
        sheet = raw.sheet(sheet_name)
        if cell is None:
            sheet.cells.pop((r, c), None)
        else:
            sheet.cells[(r, c)] = cell
    try:
        inputs, warnings = parse_scenario_with_warnings(raw)
    except WorkbookError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
    else:
        assert inputs.validate() == []


def _copy(sheet):
    from reserve_planner.io.raw_workbook import RawSheet

    return RawSheet(sheet.name, dict(sheet.cells), sheet.truncated)


def test_fuzz_fixture_reads_the_template(template_raw):
    assert template_raw.sheet("Scenarios") is not None

