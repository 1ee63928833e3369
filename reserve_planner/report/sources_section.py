"""The sources section: where every input number came from, assumptions marked.

Entries that share a field and a source (the same purchase-limit rule for every material,
the same depth for every embargo) are grouped into one row listing what they apply to and
their values, and each row cites its documents by number ([3]) in the numbered list of
documents above the tables, so a citation and its links are printed once, not on every row
that uses them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import PlanInputs, Source, SourceKind
from .document import Block, Bullets, Cell, Heading, Paragraph, Table
from .input_catalogue import ASSUMPTION_MARK, InputEntry, input_entries

TABLE_TITLES = (("materials", "Materials"), ("projects", "Supply projects"),
                ("scenarios", "Disruption scenarios"), ("policy", "Policy"))
_ROW_NOUN = {"materials": "materials", "projects": "projects", "scenarios": "scenarios"}


@dataclass(frozen=True)
class SourceGroup:
    """Input entries of one table that share a field and a source."""

    table: str
    field: str
    label: str
    source: Source | None
    entries: tuple[InputEntry, ...]


def group_entries(entries: list[InputEntry]) -> list[SourceGroup]:
    """Group ``entries`` by (table, field, source), in table, field and row order."""
    order: dict[tuple, int] = {}
    groups: dict[tuple, list[InputEntry]] = {}
    field_rank: dict[tuple[str, str], int] = {}
    for e in entries:
        field_rank.setdefault((e.table, e.field), len(field_rank))
        key = (e.table, e.field, e.source)
        order.setdefault(key, len(order))
        groups.setdefault(key, []).append(e)
    keys = sorted(groups, key=lambda k: (field_rank[(k[0], k[1])], order[k]))
    return [SourceGroup(k[0], k[1], groups[k][0].label, k[2], tuple(groups[k])) for k in keys]


def _row_label(e: InputEntry) -> str:
    return e.row if e.code == e.row else f"{e.code} {e.row}"


def _applies_to(group: SourceGroup, n_rows: int) -> str:
    """What a group covers and the values: ``"all 4 materials: 25%"``, ``"S2 Licensing
    shock: 20%"`` or one line per value, ``"S4, S7, S10: 2028-07"``."""
    entries = group.entries
    if group.table == "policy":
        return entries[0].value
    if len(entries) == 1:
        return f"{_row_label(entries[0])}: {entries[0].value}"
    by_value: dict[str, list[str]] = {}
    for e in entries:
        by_value.setdefault(e.value, []).append(e.code)
    if len(by_value) == 1 and len(entries) == n_rows:
        return f"all {n_rows} {_ROW_NOUN[group.table]}: {entries[0].value}"
    return "\n".join(f"{', '.join(codes)}: {value}" for value, codes in by_value.items())


def _kind_cell(source: Source | None) -> Cell:
    if source is None:
        return Cell("no source recorded", italic=True)
    if source.is_assumption:
        return Cell(f"assumption {ASSUMPTION_MARK}", bold=True)
    return Cell(source.kind.value)


def _source_cell(source: Source | None, numbers: dict[str, int]) -> Cell:
    """The documents of ``source`` by their number in the list of documents, its detail
    (the rule or reason) below."""
    if source is None:
        return Cell("\u2013")
    if source.reference:
        return Cell(f"[{numbers[source.reference]}]", note=source.detail)
    return Cell(source.detail or "\u2013")


def _reference_counts(inputs: PlanInputs) -> list[tuple[str, int]]:
    """Each distinct reference and how many inputs cite it, most cited first; its place in
    this list is its number in the report."""
    counts = Counter(s.reference for s in inputs.sources.values() if s.reference)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def sources_blocks(inputs: PlanInputs) -> list[Block]:
    """Heading, explanation, reference list and grouped source tables for ``inputs``."""
    entries = input_entries(inputs)
    kinds = Counter(e.source.kind.value if e.source else "no source recorded" for e in entries)
    summary = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    blocks: list[Block] = [
        Heading("Sources"),
        Paragraph(
            f"Every input number of this scenario is listed below with where it came from "
            f"({len(entries)} numbers: {summary}). Kinds: article \u2013 the article the "
            "baseline is built on; public figure \u2013 a published number; derived \u2013 "
            "computed from public figures by the stated rule; assumption \u2013 a judgement, "
            "with its one-line reason; user \u2013 changed in the tool. Numbers that share a "
            "field and a source are listed together; P1, P2, \u2026 are the supply projects of "
            "{ref:projects} and S1, S2, \u2026 the scenarios of {ref:scenarios}; [1], "
            "[2], \u2026 are the documents listed next."),
    ]
    refs = _reference_counts(inputs)
    numbers = {ref: i for i, (ref, _) in enumerate(refs, start=1)}
    if refs:
        blocks += [Heading("Documents referred to", level=2),
                   Bullets(tuple(f"[{numbers[ref]}] {ref} \u2013 {n} input{'s' if n != 1 else ''}"
                                 for ref, n in refs))]
    rows_per_table = {"materials": len(inputs.materials), "projects": len(inputs.projects),
                      "scenarios": len(inputs.scenarios), "policy": 1}
    groups = group_entries(entries)
    for table, title in TABLE_TITLES:
        mine = [g for g in groups if g.table == table]
        if not mine:
            continue
        rows = tuple(
            (Cell(g.label), Cell(_applies_to(g, rows_per_table[table])), _kind_cell(g.source),
             _source_cell(g.source, numbers))
            for g in mine)
        blocks += [Heading(f"Sources: {title.lower()}", level=2), Table(
            header=("Input", "Applies to: value" if table != "policy" else "Value", "Kind",
                    "Source and detail"),
            rows=rows, widths=(24, 30, 12, 34), align=("left", "left", "left", "left"))]
    known = {e.path for e in entries}
    other = sorted((k, v) for k, v in inputs.sources.items() if k not in known)
    if other:
        blocks += [Heading("Other sourced entries", level=2), Table(
            header=("Entry", "Kind", "Source and detail"),
            rows=tuple((Cell(k), _kind_cell(v), _source_cell(v, numbers)) for k, v in other),
            widths=(40, 15, 45), align=("left", "left", "left"))]
    user = sum(1 for e in entries if e.source is not None and e.source.kind is SourceKind.USER)
    if user:
        blocks.append(Paragraph(f"{user} number(s) were changed by the user of the tool; "
                                "their source is the user, not the documents above.", "note"))
    return blocks
