"""Hostile and broken workbooks, each made from the template by one change to its XML.

Used by the tests (tests/io/test_hostile_*.py) and by benchmarks/hostile_loads.py, so both
feed the reader the same files. Every function takes the template's bytes and returns the
bytes of the changed workbook; nothing here is committed as a binary file.

Call :func:`use_template` with the template's bytes first: it finds each sheet's part
(``xl/worksheets/sheetN.xml``) from workbook.xml. The template writes text cells as inline
strings.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

SHEET_NAMES = ("Settings", "Materials", "Projects", "Scenarios", "Episodes", "Series", "Floors",
               "Contracted floors", "Sources", "Metadata")


class _SheetParts(dict):
    """Sheet name -> worksheet part, read from the template's workbook.xml and its
    relationships (the first time a name is asked for)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: bytes | None = None

    def __missing__(self, name: str) -> str:
        assert self.data is not None, "call use_template(data) first"
        book = part(self.data, "xl/workbook.xml")
        rels = part(self.data, "xl/_rels/workbook.xml.rels")
        m = re.search(rb'<sheet [^>]*name="' + re.escape(name.encode()) + rb'"[^>]*?r:id="'
                      rb'([^"]+)"', book)
        assert m is not None, name
        t = re.search(rb'Id="' + m.group(1) + rb'"[^>]*?Target="([^"]+)"|Target="([^"]+)"'
                      rb'[^>]*?Id="' + m.group(1) + rb'"', rels)
        assert t is not None, name
        target = (t.group(1) or t.group(2)).decode().lstrip("/")
        self[name] = target if target.startswith("xl/") else f"xl/{target}"
        return self[name]


SHEET_PARTS = _SheetParts()
"""Worksheet part of each sheet of the template (``SHEET_PARTS["Series"]``)."""


def use_template(data: bytes) -> bytes:
    """Point :data:`SHEET_PARTS` at ``data`` (the template's bytes); returns ``data``."""
    if SHEET_PARTS.data != data:
        SHEET_PARTS.clear()
        SHEET_PARTS.data = data
    return data


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rezip(data: bytes, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """``data`` with some parts replaced, added or dropped (deflated like Excel does)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename) or src.read(info))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def edit_part(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    return rezip(data, {name: change(part(data, name))})


def cell_xml(data: bytes, sheet: str, ref: str) -> bytes:
    """The ``<c>`` element of cell ``ref`` on ``sheet``."""
    xml = part(data, SHEET_PARTS[sheet])
    m = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml)
    assert m is not None, (sheet, ref)
    return m.group(0)


def set_raw(data: bytes, sheet: str, ref: str, inner: str, attrs: str = "") -> bytes:
    """Cell ``ref`` of ``sheet`` replaced by ``<c r=ref attrs>inner</c>`` (raw XML)."""
    old = cell_xml(data, sheet, ref)
    new = f'<c r="{ref}"{attrs}>{inner}</c>'.encode()
    return edit_part(data, SHEET_PARTS[sheet], lambda x: x.replace(old, new, 1))


def find_ref(data: bytes, sheet: str, text: str) -> tuple[int, int]:
    """(row, column) of the inline-string cell showing ``text`` on ``sheet``."""
    xml = part(data, SHEET_PARTS[sheet])
    m = re.search(rb'<c r="([A-Z]+)(\d+)"[^>]*><is><t[^>]*>' + re.escape(escape(text).encode())
                  + rb"</t>", xml)
    assert m is not None, (sheet, text)
    col = 0
    for ch in m.group(1).decode():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def ref_of(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def setting_ref(data: bytes, title: str) -> str:
    """The Value cell of the Settings row titled ``title``."""
    row, _ = find_ref(data, "Settings", title)
    return ref_of(row, 2)


def heading_ref(data: bytes, sheet: str, heading: str, row: int = 2) -> str:
    """The cell in data row ``row`` under ``heading``."""
    _, col = find_ref(data, sheet, heading)
    return ref_of(row, col)


def set_number(data: bytes, sheet: str, ref: str, text: str, style: str = "") -> bytes:
    s = f' s="{style}"' if style else ""
    return set_raw(data, sheet, ref, f"<v>{text}</v>", s)


def set_text(data: bytes, sheet: str, ref: str, text: str) -> bytes:
    return set_raw(data, sheet, ref, f"<is><t>{escape(text)}</t></is>", ' t="inlineStr"')


def with_shared_strings(data: bytes) -> bytes:
    """The workbook with every inline string turned into a shared string, as Excel writes
    them (a ``sharedStrings.xml`` part, its relationship and content type)."""
    strings: dict[str, int] = {}
    replace: dict[str, bytes] = {}
    pattern = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"([^>]*)><is><t[^>]*>(.*?)'
                         rb"</t></is></c>", re.S)

    def shared(m: re.Match[bytes]) -> bytes:
        text = m.group(4).decode()
        i = strings.setdefault(text, len(strings))
        return (f'<c r="{m.group(1).decode()}"{m.group(2).decode()} t="s"'
                f'{m.group(3).decode()}><v>{i}</v></c>').encode()

    for sheet_part in [SHEET_PARTS[n] for n in SHEET_NAMES if _has_sheet(data, n)]:
        replace[sheet_part] = pattern.sub(shared, part(data, sheet_part))
    sst = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in strings)
    replace["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}'
        "</sst>").encode()
    rels = part(data, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.'
        b'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    replace["xl/_rels/workbook.xml.rels"] = rels
    replace["[Content_Types].xml"] = types
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.pop(info.filename, None) or src.read(info))
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()


def _has_sheet(data: bytes, name: str) -> bool:
    return f'name="{name}"'.encode() in part(data, "xl/workbook.xml")


def shared_index(data: bytes, sheet: str, ref: str) -> bytes:
    """Cell ``ref`` (a shared-string cell of a :func:`with_shared_strings` workbook)."""
    return cell_xml(data, sheet, ref)


def set_shared_index(data: bytes, sheet: str, ref: str, index: int) -> bytes:
    old = cell_xml(data, sheet, ref)
    new = re.sub(rb"<v>\d+</v>", f"<v>{index}</v>".encode(), old)
    return edit_part(data, SHEET_PARTS[sheet], lambda x: x.replace(old, new, 1))


def _insert_rows(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


# -- the small-but-expensive files ----------------------------------------------------------

def sheet_listed_many_times(data: bytes, times: int = 3000) -> bytes:
    """workbook.xml lists the Settings sheet ``times`` times (same name, same part)."""
    def change(xml: bytes) -> bytes:
        m = re.search(rb'<sheet name="Settings"[^>]*/>', xml)
        assert m is not None
        return xml.replace(m.group(0), m.group(0) * times, 1)
    return edit_part(data, "xl/workbook.xml", change)


def sheet_listed_many_times_renamed(data: bytes, times: int = 3000) -> bytes:
    """workbook.xml lists ``times`` sheets of different names, all pointing to one part."""
    def change(xml: bytes) -> bytes:
        m = re.search(rb'<sheet name="Settings"[^>]*/>', xml)
        assert m is not None
        copies = b"".join(m.group(0).replace(b'name="Settings"', f'name="S{i}"'.encode())
                          for i in range(times))
        return xml.replace(m.group(0), m.group(0) + copies, 1)
    return edit_part(data, "xl/workbook.xml", change)


def rows_ending_in_xfd(data: bytes, sheet: str = "Materials", rows: int = 5000) -> bytes:
    """``rows`` rows added to ``sheet``, each with a value in column XFD (16,384)."""
    extra = b"".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>'.encode()
                     for r in range(100, 100 + rows))
    return edit_part(data, SHEET_PARTS[sheet], lambda x: _insert_rows(x, extra))


def dense_sheets(data: bytes, n_sheets: int = 3, rows: int = 5000, cols: int = 200,
                 sheets: tuple[str, ...] = ("Projects", "Scenarios", "Series")) -> bytes:
    """Rows 100 to 100 + ``rows`` of ``n_sheets`` scenario sheets filled with numbers in
    ``cols`` columns (5,000 x 200 = a million cells each)."""
    def block(sheet_index: int) -> bytes:
        letters = [ref_of(1, c)[:-1] for c in range(1, cols + 1)]
        out = []
        for r in range(100, 100 + rows):
            cells = "".join(f'<c r="{letters[c]}{r}"><v>{(r * 7 + c * 13 + sheet_index) % 997}'
                            "</v></c>" for c in range(cols))
            out.append(f'<row r="{r}">{cells}</row>')
        return "".join(out).encode()
    replace = {}
    for i, name in enumerate(sheets[:n_sheets]):
        replace[SHEET_PARTS[name]] = _insert_rows(part(data, SHEET_PARTS[name]), block(i))
    return rezip(data, replace)


def million_rows_without_dimension(data: bytes, rows: int = 1_000_000) -> bytes:
    """Series gets ``rows`` more rows (no ``r`` attributes) and loses its ``<dimension>``."""
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension[^>]*/>", b"", xml)
        import random

        rng = random.Random(3)
        return _insert_rows(xml, b"".join(f"<row><c><v>{rng.random():.6f}</v></c></row>"
                                          .encode() for _ in range(rows)))
    return edit_part(data, SHEET_PARTS["Series"], change)


def many_number_formats(data: bytes, count: int = 1_500_000) -> bytes:
    """styles.xml declares ``count`` custom number formats."""
    def change(xml: bytes) -> bytes:
        fmts = b"".join(f'<numFmt numFmtId="{200 + i}" formatCode="0.{"0" * (i % 7)}#{i}"/>'
                        .encode() for i in range(count))
        if b"<numFmts" in xml:
            return re.sub(rb"(<numFmts[^>]*>)", lambda m: m.group(1) + fmts, xml, count=1)
        return re.sub(rb"(<styleSheet[^>]*>)", lambda m: m.group(1) + b"<numFmts>" + fmts
                      + b"</numFmts>", xml, count=1)
    return edit_part(data, "xl/styles.xml", change)


def _filler(n_bytes: int, seed: int = 1) -> str:
    """Text that compresses about 5 to 1 (so a large part stays under the ratio limit)."""
    import random

    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(48)]
    out, size = [], 0
    while size < n_bytes:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)


def huge_shared_strings(data: bytes, mb: float = 95) -> bytes:
    """A shared-strings workbook whose sharedStrings.xml grows to ``mb`` MB of extra strings
    after the ones the cells use."""
    data = with_shared_strings(data)
    text = _filler(int(mb * 1e6))
    chunk = 200
    extra = "".join(f"<si><t>{text[i:i + chunk]}</t></si>" for i in range(0, len(text), chunk))
    return edit_part(data, "xl/sharedStrings.xml",
                     lambda x: x.replace(b"</sst>", extra.encode() + b"</sst>"))


def huge_used_string(data: bytes, mb: float = 19) -> bytes:
    """The shared string of the plan name cell is ``mb`` MB of text (a cell holds 32,767
    characters)."""
    ref = setting_ref(data, "Plan name")
    data = with_shared_strings(data)
    index = int(re.search(rb"<v>(\d+)</v>", cell_xml(data, "Settings", ref)).group(1))
    text = _filler(int(mb * 1e6), seed=4)

    def change(xml: bytes) -> bytes:
        items = re.findall(rb"<si>.*?</si>", xml, re.S)
        return xml.replace(items[index], f"<si><t>{text}</t></si>".encode(), 1)
    return edit_part(data, "xl/sharedStrings.xml", change)


def huge_comment(data: bytes, mb: float = 95, sheet: str = "Settings") -> bytes:
    """A ``mb`` MB XML comment inside ``sheet``, before its cells."""
    comment = "<!-- " + _filler(int(mb * 1e6), seed=2) + " -->"
    return edit_part(data, SHEET_PARTS[sheet],
                     lambda x: x.replace(b"<sheetData>", comment.encode() + b"<sheetData>", 1))


EXPENSIVE = {
    "sheet listed 3,000 times": sheet_listed_many_times,
    "3,000 sheet names on one part": sheet_listed_many_times_renamed,
    "5,000 rows ending in column XFD": rows_ending_in_xfd,
    "three 5,000 x 200 dense sheets": dense_sheets,
    "1 million rows without <dimension>": million_rows_without_dimension,
    "1.5 million number formats": many_number_formats,
    "95 MB of shared strings": huge_shared_strings,
    "95 MB XML comment": huge_comment,
    "a 19 MB string used by a cell": huge_used_string,
}
"""The small files that cost a naive reader 20-180 s or up to 1.9 GB."""


# -- macros -------------------------------------------------------------------------------

VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def padded_macro_content_type(data: bytes, pad: int = 70_000) -> bytes:
    """[Content_Types].xml says macroEnabled only after ``pad`` bytes of whitespace."""
    def change(xml: bytes) -> bytes:
        return xml.replace(b"<Types", b" " * 0 + b"<Types", 1).replace(
            b"</Types>", b" " * pad + b'<Override PartName="/xl/workbook.xml" ContentType='
            b'"application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>')
    return edit_part(data, "[Content_Types].xml", change)


def renamed_vba_part(data: bytes) -> bytes:
    """A VBA project stored as ``xl/media/image9.bin``, typed as an image; no name or
    content type says macro."""
    fake_ole = OLE_MAGIC + b"\x00" * 500 + VBA_STREAM + b"\x00" * 500
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="image/png"/></Types>')
    return rezip(data, {"[Content_Types].xml": types}, add={"xl/media/image9.bin": fake_ole})


# -- files the reader can read but that say odd things -------------------------------------

def hidden_sheet(data: bytes, sheet: str = "Projects") -> bytes:
    def change(xml: bytes) -> bytes:
        m = re.search(rb'<sheet name="' + sheet.encode() + rb'"[^>]*/>', xml)
        assert m is not None
        element = re.sub(rb' state="[^"]*"', b"", m.group(0))
        return xml.replace(m.group(0), element.replace(b"<sheet ", b'<sheet state="hidden" '))
    return edit_part(data, "xl/workbook.xml", change)


def hidden_row(data: bytes, sheet: str = "Materials", row: int = 3) -> bytes:
    return edit_part(data, SHEET_PARTS[sheet], lambda x: x.replace(
        f'<row r="{row}"'.encode(), f'<row r="{row}" hidden="1"'.encode(), 1))


def hidden_column(data: bytes, sheet: str = "Materials", col: int = 6) -> bytes:
    return edit_part(data, SHEET_PARTS[sheet], lambda x: re.sub(
        rb'<col ([^>]*)min="' + str(col).encode() + rb'" max="' + str(col).encode() + rb'"',
        lambda m: b'<col hidden="1" ' + m.group(1) + f'min="{col}" max="{col}"'.encode(), x,
        count=1))
