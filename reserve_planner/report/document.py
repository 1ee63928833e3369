"""A small, Qt-free document model for the printable report.

A :class:`Report` is a title, metadata and a flat sequence of blocks: headings, paragraphs,
bullet lists, tables (whose header row repeats on every page) and figures (PNG bytes). The
Qt renderer (:mod:`reserve_planner.report.qt_render`) turns it into a ``QTextDocument``;
:meth:`Report.to_text` gives the same content as plain text for tests and logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Heading:
    """A section (level 1) or subsection (level 2) title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``style`` is ``"body"``, ``"lead"`` (the executive summary, larger),
    ``"note"`` (small, grey: units and reading hints) or ``"warning"`` (a result without a
    plan)."""

    text: str
    style: Literal["body", "lead", "note", "warning"] = "body"


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of sentences."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """A table cell: main text, an optional second line in small grey type, and emphasis."""

    text: str
    note: str = ""
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Table:
    """A table whose first row is a header repeated on every page it spans.

    ``widths`` are relative column widths in percent of the text width (summing to about
    100); ``align`` per column; ``total_row`` prints the last row in bold with a rule above.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    align: tuple[Align, ...]
    caption: str = ""
    total_row: bool = False
    label: str = ""  # for cross-references: "{ref:label}" in a paragraph

    def __post_init__(self) -> None:
        n = len(self.header)
        if len(self.widths) != n or len(self.align) != n:
            raise ValueError("a table needs one width and one alignment per column")
        for row in self.rows:
            if len(row) != n:
                raise ValueError(f"row {row!r} has {len(row)} cells, the header has {n}")


@dataclass(frozen=True)
class Figure:
    """A chart as PNG bytes with its pixel size and the width it is printed at [mm].

    ``width_mm`` is at most :data:`MAX_FIGURE_WIDTH_MM`, which fits the text width of A4
    and US Letter with the renderer's margins; the renderer shrinks it further on smaller
    paper.
    """

    key: str
    png: bytes
    pixel_width: int
    pixel_height: int
    width_mm: float
    caption: str = ""
    label: str = ""

    @property
    def height_mm(self) -> float:
        return self.width_mm * self.pixel_height / self.pixel_width


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Heading | Paragraph | Bullets | Table | Figure | PageBreak

def number_captions(blocks: list[Block] | tuple[Block, ...]) -> tuple[Block, ...]:
    """Number table and figure captions in reading order ("Table 3. ...") and replace
    ``{ref:label}`` in paragraphs with "Table n" or "Figure n" of the block so labelled."""
    out: list[Block] = []
    refs: dict[str, str] = {}
    n_tables = n_figures = 0
    for block in blocks:
        if isinstance(block, Table) and block.caption:
            n_tables += 1
            name = f"Table {n_tables}"
            block = replace(block, caption=f"{name}. {block.caption}")
        elif isinstance(block, Figure) and block.caption:
            n_figures += 1
            name = f"Figure {n_figures}"
            block = replace(block, caption=f"{name}. {block.caption}")
        else:
            out.append(block)
            continue
        if block.label:
            refs[block.label] = name
        out.append(block)
    result: list[Block] = []
    for block in out:
        if isinstance(block, Paragraph) and "{ref:" in block.text:
            text = block.text
            for label, name in refs.items():
                text = text.replace(f"{{ref:{label}}}", name)
            block = replace(block, text=re.sub(r"\{ref:[^}]*\}", "the table above", text))
        result.append(block)
    return tuple(result)


#: Widest printed figure [mm]: A4 is 210 mm wide, less 2 x 18 mm margins = 174 mm.
MAX_FIGURE_WIDTH_MM = 170.0


@dataclass(frozen=True)
class Report:
    """The whole report: ``title`` (also the PDF title metadata), a subtitle line, the
    title-block facts as (label, value) pairs, and the body blocks in reading order."""

    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    footer: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figure))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    def section_titles(self) -> list[str]:
        """Titles of the level-1 headings in order."""
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level == 1]

    def to_text(self) -> str:
        """The report as plain text (tables as tab-separated lines, figures as captions)."""
        out = [self.title, self.subtitle, ""]
        out += [f"{label}: {value}" for label, value in self.facts]
        for block in self.blocks:
            if isinstance(block, Heading):
                out += ["", block.text, "=" * len(block.text) if block.level == 1 else ""]
            elif isinstance(block, Paragraph):
                out += [block.text, ""]
            elif isinstance(block, Bullets):
                out += [f"- {item}" for item in block.items] + [""]
            elif isinstance(block, Table):
                if block.caption:
                    out.append(block.caption)
                out.append("\t".join(block.header))
                for row in block.rows:
                    out.append("\t".join(c.text + (f" ({c.note})" if c.note else "")
                                         for c in row))
                out.append("")
            elif isinstance(block, Figure):
                out += [f"[Figure: {block.caption}]", ""]
        return "\n".join(out)
