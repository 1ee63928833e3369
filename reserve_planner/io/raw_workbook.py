"""Opening a workbook file: raw cell values with their coordinates, nothing interpreted.

:func:`read_workbook` reads a file into a :class:`RawWorkbook` (what each cell holds: the
value last computed by the spreadsheet program, and the formula if there is one). Formulas
are never evaluated. Parsing the contents into plan inputs is a separate step
(:mod:`reserve_planner.io.scenario_reader`), so tests can feed the parser directly with
:meth:`RawSheet.from_rows`.

The file is read once, by streaming its XML parts (:mod:`.xlsx_parts`), never by loading
the whole workbook: only the sheets asked for are parsed, each up to ``MAX_ROWS`` rows and
``MAX_COLUMNS`` columns and at most ``MAX_CELLS`` cells in all; shared strings are read up
to the last one a cell refers to, and only those kept; of the styles only which cell
formats are dates. So the work is bounded by these limits whatever the file holds.
"""

from __future__ import annotations

import contextlib
import math
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .scenario_layout import MAX_TEXT_CHARS
from .workbook_problems import WorkbookError, WorkbookProblem, file_problem
from .xlsx_parts import PartLimitError, StopParsingError, XmlAttackError, local, parse_part
from .xlsx_safety import (
    MAX_FILE_BYTES,
    SAVE_AS,
    check_suffix,
    check_xlsx,
    open_archive,
    problems_from_xml_attack,
    require_defusedxml,
    size_text,
)

MAX_ROWS = 5000
"""Rows read per sheet; a scenario workbook has a few hundred at most."""
MAX_COLUMNS = 200
"""Columns read per sheet."""
MAX_CELLS = 250_000
"""Cells (filled or only formatted) read over all sheets: the baseline template has about
1,500 and a 2,200-scenario workbook about 40,000; 250,000 parse in about 2 s."""
MAX_EMPTY_ROWS_BEYOND = 100_000
"""Empty rows (resized or formatted only) read past ``MAX_ROWS`` before a sheet is refused."""
MAX_SHEETS = 200
"""Sheets a workbook may list; a scenario workbook has 8, a results workbook 16."""
MAX_SHARED_STRINGS = 500_000
"""Highest shared-string index read (+1); the template uses about 600."""
MAX_NUMBER_FORMATS = 5_000
"""Custom number formats in styles.xml; Excel allows about 250 per workbook."""
MAX_CELL_FORMATS = 65_000
"""Cell formats (``<xf>`` in ``<cellXfs>``); Excel's own limit is 64,000."""
MAX_PART_ELEMENTS = 2_000_000
"""XML elements in any other part read (workbook, relationships, styles, strings)."""


@dataclass(frozen=True, slots=True)
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
    problem : str or None
        Why the stored value cannot be used at all (not a finite number, a date outside
        the calendar, text longer than a cell holds), in words, value included; the
        reader reports it with the cell's name when it reads the cell.
    """

    value: object = None
    formula: str | None = None
    error: bool = False
    problem: str | None = None


EMPTY = RawCell()


@dataclass
class RawSheet:
    """The cells of one sheet, by (row, column), both 1-based.

    ``truncated`` is True when the sheet had content beyond ``MAX_ROWS`` rows or
    ``MAX_COLUMNS`` columns, which was not read. ``loaded`` is False for a sheet that was
    listed but not asked for (its cells were not read). ``hidden`` is ``"hidden"`` or
    ``"veryHidden"`` for a hidden sheet, else empty; ``hidden_rows`` and
    ``hidden_columns`` are the hidden rows and columns that hold cells.
    """

    name: str
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    truncated: bool = False
    loaded: bool = True
    hidden: str = ""
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[int, ...] = ()

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
    """The sheets of a workbook in their order, and the file name (for messages).

    ``problems`` are damage found while reading cells (a shared-string index that does
    not exist), each naming its sheet and cell; a load refuses the file when there are any.
    """

    name: str
    sheets: list[RawSheet] = field(default_factory=list)
    problems: list[WorkbookProblem] = field(default_factory=list)

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


def read_workbook(path: str | os.PathLike[str], sheets: Iterable[str] | None = None
                  ) -> RawWorkbook:
    """Read the cells of the ``.xlsx`` file at ``path``.

    ``sheets`` names the sheets whose cells are read (case and outer spaces ignored); the
    others are listed with ``loaded=False``. None reads every sheet.

    Raises :class:`WorkbookError` with a sentence for anything that is not a sane workbook:
    missing, unreadable or not a regular file, wrong format, macro-enabled, zip bomb,
    damaged, XML attack, more than the limits above.
    """
    p = Path(path)
    check_suffix(p.name)
    data = _read_file(p)
    return read_workbook_bytes(data, p.name, sheets)


def _read_file(p: Path) -> bytes:
    """The bytes of the regular file ``p``; a FIFO, device or folder is refused at once
    (opened without blocking, checked on the open descriptor)."""
    def refuse(text: str) -> WorkbookError:
        return WorkbookError([file_problem(text, str(p))])

    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise refuse(f"'{p}' does not exist.") from None
    except IsADirectoryError:
        raise refuse(f"'{p}' is a folder, not a workbook.") from None
    except PermissionError:
        raise refuse(f"'{p}' cannot be read: permission denied.") from None
    except OSError as exc:
        raise refuse(f"'{p}' cannot be read: {exc.strerror or exc}.") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise refuse(f"'{p}' is a folder, not a workbook.")
        if not stat.S_ISREG(st.st_mode):
            kind = "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else \
                "a device or socket"
            raise refuse(f"'{p}' is {kind}, not a regular file; only workbook files are "
                         "opened.")
        if st.st_size > MAX_FILE_BYTES:
            raise refuse(f"'{p.name}' is {size_text(st.st_size)}; the limit is "
                         f"{size_text(MAX_FILE_BYTES)}, and a scenario workbook is far "
                         "smaller. It was not opened.")
        with os.fdopen(fd, "rb", closefd=True) as f:
            fd = -1
            return f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise refuse(f"'{p}' cannot be read: {exc.strerror or exc}.") from None
    finally:
        if fd >= 0:
            os.close(fd)


def read_workbook_bytes(data: bytes, name: str = "workbook.xlsx",
                        sheets: Iterable[str] | None = None) -> RawWorkbook:
    """Read the cells of a workbook held in memory; ``name`` is used in messages."""
    require_defusedxml()
    check_xlsx(data, name)
    archive = open_archive(data, name)
    wanted = None if sheets is None else {s.strip().casefold() for s in sheets}
    part = "xl/workbook.xml"
    try:
        reader = _Reader(archive, name)
        book = reader.workbook()
        raw = RawWorkbook(name)
        pending: list[tuple[RawSheet, int, int, int]] = []
        budget = [MAX_CELLS]
        for title, state, target in book:
            sheet = RawSheet(title, hidden=state)
            raw.sheets.append(sheet)
            if wanted is not None and title.strip().casefold() not in wanted:
                sheet.loaded = False
                continue
            part = target
            reader.sheet(sheet, target, pending, budget)
        part = reader.shared_strings_part or part
        reader.resolve_strings(raw, pending)
        return raw
    except XmlAttackError:
        raise WorkbookError(problems_from_xml_attack(name)) from None
    except PartLimitError as exc:
        raise WorkbookError([file_problem(f"'{name}': {exc.message} It was not read.",
                                          name)]) from None
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail in many ways
        where = f" ({part}: line {exc.lineno}, column {exc.offset})" if isinstance(
            exc, expat.ExpatError) else f" ({part})"
        raise WorkbookError([file_problem(
            f"'{name}' is damaged or is not a workbook Excel or LibreOffice wrote, and could "
            f"not be read{where}: {type(exc).__name__}: {_short(exc)}. Open it in Excel or "
            f"LibreOffice, save it again as .xlsx, and load that file.", name)]) from None
    finally:
        archive.close()


def _short(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or ["no detail"])[0]
    return text if len(text) <= 120 else text[:117] + "..."


_INT = re.compile(r"-?\d{1,15}")
_LETTERS = re.compile(r"([A-Za-z]{1,4})(\d*)$")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ][0-9:.]+)?$")


def _column_number(ref: str) -> int | None:
    m = _LETTERS.match(ref)
    if m is None:
        return None
    n = 0
    for ch in m.group(1).upper():
        n = n * 26 + ord(ch) - 64
    return n


class _Reader:
    """Reads the parts of one open archive."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive = archive
        self.name = name
        self.names = {i.filename.casefold(): i.filename for i in archive.infolist()}
        self.epoch = CALENDAR_WINDOWS_1900
        self.date_formats: set[int] = set()
        self.shared_strings_part: str | None = None
        self.styles_part: str | None = None

    def _part(self, path: str) -> str | None:
        return self.names.get(path.lstrip("/").casefold())

    # -- workbook.xml and its relationships ---------------------------------------------

    def workbook(self) -> list[tuple[str, str, str]]:
        """(title, hidden state, part) of every worksheet, in order; chartsheets left out."""
        rels = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        entries: list[tuple[str, str, str]] = []
        seen: dict[str, int] = {}
        count = [0]

        def start(tag: str, attrs: dict[str, str]) -> None:
            count[0] += 1
            if count[0] > MAX_PART_ELEMENTS:
                raise PartLimitError(f"xl/workbook.xml holds more than {MAX_PART_ELEMENTS:,} "
                                "elements; a workbook has a few dozen.")
            t = local(tag)
            if t == "workbookPr" and attrs.get("date1904", "").strip().lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif t == "sheet":
                if len(entries) >= MAX_SHEETS:
                    raise PartLimitError(f"xl/workbook.xml lists more than {MAX_SHEETS} sheets; a "
                                    "scenario workbook has 8.")
                title = attrs.get("name", "")
                key = title.strip().casefold()
                if key in seen:
                    raise PartLimitError(
                        f"xl/workbook.xml lists the sheet '{title[:60]}' more than "
                                    "once, which Excel and LibreOffice never write: the file "
                                    f"is damaged. {SAVE_AS}")
                seen[key] = len(entries)
                rid = next((v for k, v in attrs.items() if k.endswith("}id")
                            and "relationships" in k), "")
                kind, target = rels.get(rid, ("", ""))
                state = attrs.get("state", "visible")
                entries.append((title, "" if state == "visible" else state, target
                                if kind.endswith("/worksheet") else "" if kind else "?"))

        def end(tag: str) -> None:
            if local(tag) == "sheets":
                raise StopParsingError()

        parse_part(self.archive, self.names["xl/workbook.xml"], start, end)
        out = []
        parts: set[str] = set()
        for title, state, target in entries:
            if target == "":  # a chartsheet or dialog sheet: no cells
                continue
            part = self._part(target) if target != "?" else None
            if part is None:
                raise PartLimitError(f"the sheet '{title[:60]}' has no worksheet part in the "
                                f"file: it is damaged. {SAVE_AS}")
            if part in parts:
                raise PartLimitError(f"two sheets share the part {part}, which Excel and "
                                f"LibreOffice never write: the file is damaged. {SAVE_AS}")
            parts.add(part)
            out.append((title, state, part))
        for kind, target in rels.values():
            if kind.endswith("/sharedStrings"):
                self.shared_strings_part = self._part(target)
            elif kind.endswith("/styles"):
                self.styles_part = self._part(target)
        self.shared_strings_part = self.shared_strings_part or self._part("xl/sharedStrings.xml")
        self.styles_part = self.styles_part or self._part("xl/styles.xml")
        if self.styles_part is not None:
            self._styles(self.styles_part)
        return out

    def _relationships(self, path: str, base: str) -> dict[str, tuple[str, str]]:
        part = self._part(path)
        rels: dict[str, tuple[str, str]] = {}
        if part is None:
            return rels

        def start(tag: str, attrs: dict[str, str]) -> None:
            if local(tag) != "Relationship":
                return
            if len(rels) >= MAX_PART_ELEMENTS // 100:
                raise PartLimitError(f"{path} holds more than {MAX_PART_ELEMENTS // 100:,} "
                                "relationships; a workbook has a few dozen.")
            target = attrs.get("Target", "")
            if attrs.get("TargetMode") == "External":
                return
            target = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(base, target))
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), target)

        parse_part(self.archive, part, start)
        return rels

    # -- styles.xml: which cell formats show dates --------------------------------------

    def _styles(self, part: str) -> None:
        custom: dict[int, bool] = {}
        xfs: list[int] = []
        state = {"in_xfs": False, "count": 0, "formats": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            state["count"] += 1
            if state["count"] > MAX_PART_ELEMENTS:
                raise PartLimitError(f"{part} holds more than {MAX_PART_ELEMENTS:,} elements; "
                                "Excel's own style sheets have a few thousand.")
            t = local(tag)
            if t == "numFmt":
                state["formats"] += 1
                if state["formats"] > MAX_NUMBER_FORMATS:
                    raise PartLimitError(f"{part} defines more than {MAX_NUMBER_FORMATS:,} number "
                                    "formats; Excel allows about 250 in a workbook.")
                with contextlib.suppress(ValueError):
                    custom[int(attrs.get("numFmtId", ""))] = is_date_format(
                        attrs.get("formatCode", "")[:1000])
            elif t == "cellXfs":
                state["in_xfs"] = True
            elif t == "xf" and state["in_xfs"]:
                if len(xfs) >= MAX_CELL_FORMATS:
                    raise PartLimitError(f"{part} defines more than {MAX_CELL_FORMATS:,} cell "
                                    "formats; Excel allows 64,000.")
                try:
                    xfs.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    xfs.append(0)

        def end(tag: str) -> None:
            if local(tag) == "cellXfs":
                raise StopParsingError()

        parse_part(self.archive, part, start, end)

        def is_date(fmt_id: int) -> bool:
            if fmt_id in custom:
                return custom[fmt_id]
            return is_date_format(BUILTIN_FORMATS.get(fmt_id))

        self.date_formats = {i for i, fmt_id in enumerate(xfs) if is_date(fmt_id)}

    # -- worksheets ---------------------------------------------------------------------

    def sheet(self, sheet: RawSheet, part: str,
              pending: list[tuple[RawSheet, int, int, int]], budget: list[int]) -> None:
        """Read the cells of ``part`` into ``sheet``; shared-string cells go to
        ``pending`` as (sheet, row, column, index), resolved once all sheets are read."""
        _SheetParser(self, sheet, pending, budget).parse(part)

    # -- shared strings -----------------------------------------------------------------

    def resolve_strings(self, raw: RawWorkbook,
                        pending: list[tuple[RawSheet, int, int, int]]) -> None:
        if not pending:
            return
        needed = {i for *_, i in pending if 0 <= i < MAX_SHARED_STRINGS}
        strings: dict[int, tuple[str, bool]] = {}
        count = 0
        if needed and self.shared_strings_part is not None:
            strings, count = self._shared_strings(self.shared_strings_part, needed)
        for sheet, r, c, i in pending:
            where = cell_name(r, c)
            if i < 0 or i not in strings:
                if i >= MAX_SHARED_STRINGS:
                    why = (f"refers to shared string {i:,}; a workbook has a few thousand and "
                           f"this program reads the first {MAX_SHARED_STRINGS:,}")
                else:
                    why = (f"refers to shared string {i:,}, which does not exist (the workbook "
                           f"has {count:,}, numbered from 0)")
                raw.problems.append(WorkbookProblem(
                    sheet.name, where, i, f"the file is damaged: the cell {why}. {SAVE_AS}", r))
                continue
            text, too_long = strings[i]
            old = sheet.cells.get((r, c), EMPTY)
            problem = old.problem
            if too_long and problem is None:
                problem = (f"the text is longer than {MAX_TEXT_CHARS:,} characters, the most "
                           "a cell holds")
            sheet.cells[(r, c)] = RawCell(text, old.formula, old.error, problem)

    def _shared_strings(self, part: str, needed: set[int]
                        ) -> tuple[dict[int, tuple[str, bool]], int]:
        """The needed strings by index (text, longer than a cell holds), and how many
        strings were seen; stops after the highest needed index."""
        last = max(needed)
        out: dict[int, tuple[str, bool]] = {}
        st = {"index": -1, "depth_rph": 0, "in_t": False, "count": 0, "keep": False,
              "chars": 0}
        buf: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            st["count"] += 1
            if st["count"] > MAX_PART_ELEMENTS:
                raise PartLimitError(f"{part} holds more than {MAX_PART_ELEMENTS:,} elements "
                                "before the strings the cells use.")
            t = local(tag)
            if t == "si":
                st["index"] += 1
                st["keep"] = st["index"] in needed
                st["chars"] = 0
                buf.clear()
            elif t == "rPh":
                st["depth_rph"] += 1
            elif t == "t" and not st["depth_rph"]:
                st["in_t"] = True

        def end(tag: str) -> None:
            t = local(tag)
            if t == "t":
                st["in_t"] = False
            elif t == "rPh":
                st["depth_rph"] -= 1
            elif t == "si":
                if st["keep"]:
                    out[st["index"]] = ("".join(buf), st["chars"] > MAX_TEXT_CHARS)
                if st["index"] >= last:
                    raise StopParsingError()

        def data(text: str) -> None:
            if st["in_t"] and st["keep"]:
                room = MAX_TEXT_CHARS + 1 - st["chars"]
                if room > 0:
                    buf.append(text[:room])
                st["chars"] += len(text)

        parse_part(self.archive, part, start, end, data)
        return out, st["index"] + 1


class _SheetParser:
    """expat handlers for one worksheet part (the hot loop of a read)."""

    def __init__(self, reader: _Reader, sheet: RawSheet,
                 pending: list[tuple[RawSheet, int, int, int]], budget: list[int]):
        self.reader = reader
        self.sheet = sheet
        self.pending = pending
        self.budget = budget
        self.row = 0
        self.col = 0
        self.in_data = False
        self.text: list[str] | None = None
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.inline: list[str] | None = None
        self.rph = 0
        self.ctype = "n"
        self.style = 0
        self.skip = False
        self.rows_beyond = 0
        self.shared: dict[str, str] = {}
        self.shared_si: str | None = None
        self.hidden_rows: set[int] = set()
        self.row_hidden = False
        self.hidden_cols: list[tuple[int, int]] = []
        self.used_cols: set[int] = set()
        self.names: dict[str, str] = {}

    def parse(self, part: str) -> None:
        parse_part(self.reader.archive, part, self.start, self.end, self.data)
        self._finish()

    def _finish(self) -> None:
        s = self.sheet
        s.hidden_rows = tuple(sorted(self.hidden_rows))
        cols = sorted(c for c in self.used_cols
                      if any(lo <= c <= hi for lo, hi in self.hidden_cols))
        s.hidden_columns = tuple(cols)

    def _local(self, tag: str) -> str:
        t = self.names.get(tag)
        if t is None:
            t = self.names[tag] = local(tag)
        return t

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        t = self._local(tag)
        if t == "c":
            self.budget[0] -= 1
            if self.budget[0] < 0:
                raise WorkbookError([WorkbookProblem(
                    self.sheet.name, "", None,
                    f"the workbook has more than {MAX_CELLS:,} cells (filled or formatted) "
                    "in its scenario sheets; a scenario workbook has a few thousand. Delete "
                    "the unused rows and columns. It was not read.")])
            ref = attrs.get("r")
            col = _column_number(ref) if ref else None
            self.col = col if col is not None else self.col + 1
            self.ctype = attrs.get("t", "n")
            s = attrs.get("s")
            self.style = int(s) if s and s.isdigit() else 0
            self.value = self.formula = self.inline = None
            self.shared_si = None
            self.skip = self.col > MAX_COLUMNS or self.row > MAX_ROWS  # unless it is empty
        elif t == "v":
            self.value = self.text = []
        elif t == "f":
            self.formula = self.text = []
            if attrs.get("t") == "shared":
                self.shared_si = attrs.get("si")
        elif t == "is":
            self.inline = []
        elif t == "t":
            if self.inline is not None and not self.rph:
                self.text = self.inline
        elif t == "rPh":
            self.rph += 1
        elif t == "row":
            r = attrs.get("r")
            self.row = int(r) if r else self.row + 1
            self.col = 0
            if self.row > MAX_ROWS:
                # rows past the cap that hold nothing (a row only resized) are allowed; a
                # flood of them is not
                self.rows_beyond += 1
                if self.rows_beyond > MAX_EMPTY_ROWS_BEYOND:
                    self.sheet.truncated = True
                    raise StopParsingError()
            self.row_hidden = attrs.get("hidden", "") in ("1", "true")
        elif t == "sheetData":
            self.in_data = True
        elif t == "col" and not self.in_data and attrs.get("hidden", "") in ("1", "true"):
            try:
                lo, hi = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
            except ValueError:
                return
            self.hidden_cols.append((lo, min(hi, MAX_COLUMNS)))

    def end(self, tag: str) -> None:
        t = self._local(tag)
        if t == "c":
            self._cell()
        elif t in ("v", "f"):
            self.text = None
        elif t == "t":
            if self.text is self.inline:
                self.text = None
        elif t == "rPh":
            self.rph -= 1
        elif t == "sheetData":
            raise StopParsingError()

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def _cell(self) -> None:
        r, c = self.row, self.col
        if r < 1 or c < 1:
            return
        formula = None
        if self.formula is not None:
            ftext = "".join(self.formula)
            if self.shared_si is not None:
                if ftext:
                    self.shared[self.shared_si] = ftext
                else:
                    ftext = self.shared.get(self.shared_si, "")
            formula = ftext if ftext.startswith("=") else f"={ftext}"
        v = "".join(self.value) if self.value is not None else None
        t = self.ctype
        value: object = None
        error = False
        problem = None
        shared = False
        if t == "s":
            if v is not None and v.strip():
                try:
                    index = int(v)
                except ValueError:
                    index = -1
                shared = True
        elif t == "inlineStr":
            value = "".join(self.inline or ())
            if len(value) > MAX_TEXT_CHARS:
                value, problem = value[:MAX_TEXT_CHARS], (
                    f"the text is longer than {MAX_TEXT_CHARS:,} characters, the most a cell "
                    "holds")
        elif t == "str":
            value = v
        elif t == "b":
            if v is not None:
                b = v.strip().lower()
                if b in ("1", "true"):
                    value = True
                elif b in ("0", "false"):
                    value = False
                else:
                    problem = f"the cell holds {_quote(v)}, which is not TRUE or FALSE"
        elif t == "e":
            value, error = v, True
        elif t == "d":
            if v is not None and v.strip():
                value, problem = _iso_date(v)
        elif v is not None and v.strip():
            value, problem = _number(v)
            if problem is None and self.style in self.reader.date_formats:
                value, problem = self._date(value, v)
        if value is None and formula is None and not error and problem is None and not shared:
            return
        if self.skip:  # content past the last row or column read: the sheet is refused
            self.sheet.truncated = True
            raise StopParsingError()
        if shared:
            self.pending.append((self.sheet, r, c, index))
        self.used_cols.add(c)
        if self.row_hidden:
            self.hidden_rows.add(r)
        if not shared or formula is not None:
            self.sheet.cells[(r, c)] = RawCell(value, formula, error, problem)

    def _date(self, value: object, text: str) -> tuple[object, str | None]:
        assert isinstance(value, int | float)
        try:
            d = from_excel(value, self.reader.epoch)
        except (OverflowError, ValueError, TypeError):
            d = None
        if not isinstance(d, datetime) or not 1 <= d.year <= 9999:
            if d is not None and not isinstance(d, datetime):
                return d, None  # a time of day
            return None, (f"the cell is formatted as a date but holds {_quote(text)}, "
                          "which is no date in the calendar")
        return d, None


def _quote(text: str) -> str:
    text = text.strip()
    if len(text) > 40:
        return f"'{text[:20]}...{text[-8:]}' ({len(text):,} characters)"
    return f"'{text}'"


def _number(text: str) -> tuple[object, str | None]:
    """A stored number (``<v>`` text) as int or float, or a problem in words."""
    s = text.strip()
    if _INT.fullmatch(s):
        return int(s), None
    try:
        f = float(s)
    except ValueError:
        return None, f"the cell holds {_quote(s)}, which is not a number"
    if math.isnan(f):
        return None, f"the cell holds {_quote(s)}, which is not a number (NaN)"
    if math.isinf(f):
        return None, (f"the cell holds the number {_quote(s)}, which is too large to compute "
                      "with (beyond about 1.8e308)")
    return f, None


def _iso_date(text: str) -> tuple[object, str | None]:
    s = text.strip()
    if _ISO.match(s):
        try:
            return datetime.fromisoformat(s.replace(" ", "T")), None
        except ValueError:
            pass
    return None, f"the cell holds the date {_quote(s)}, which is no date in the calendar"
