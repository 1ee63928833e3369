"""Render a :class:`~reserve_planner.report.document.Report` with Qt, identically on screen
(print preview), on paper and in PDF files.

The report is laid out once as a ``QTextDocument`` and painted page by page by
:func:`print_document` onto any ``QPagedPaintDevice`` (``QPrinter`` or ``QPdfWriter``), with
a header, a ``Page n of N`` footer, headings and figures kept with what follows them, table
header rows repeated on every page, and figures shrunk to fit smaller paper. The preview,
the printed page and the PDF are therefore the same document.

How the window uses it (all on the GUI thread except ``build_report``)::

    from reserve_planner.report.content import build_report           # Qt-free
    from reserve_planner.report.qt_render import (build_text_document, print_document,
                                                  write_pdf)

    report = build_report(inputs, result, source_file=path)   # may run in a worker thread
    doc = build_text_document(report)                         # fast; keep it for the dialogs

    # File > Print (Ctrl+P): the platform dialog, then print; False if cancelled
    print_with_dialog(doc, parent=window)
    #   or by hand: printer = new_printer(doc=doc); QPrintDialog(printer, window).exec();
    #   print_document(doc, printer)

    # File > Print Preview: a QPrintPreviewDialog whose paintRequested calls print_document
    print_preview_dialog(doc, parent=window).exec()

    # File > Export PDF
    write_pdf(doc, "plan.pdf", page_size="A4")     # or "Letter"; title from the report

``document_for(inputs, result, source_file)`` does the first two steps at once. Rendering
needs a ``QGuiApplication``; :func:`reserve_planner.report.pdf.write_report_pdf` creates one
(offscreen when there is no display) for the command line.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextListFormat,
    QTextOption,
    QTextTable,
    QTextTableCellFormat,
    QTextTableFormat,
)

from ..files import replace_with
from . import formatting as report_fmt
from .document import Bullets, Cell, Figure, Heading, PageBreak, Paragraph, Report, Table

# Layout unit: CSS pixels, 96 per inch; the painter scales to the device resolution.
LAYOUT_DPI = 96.0
MIN_MARGIN_MM = 12.0  # least distance from the paper edge to any text
PDF_MARGIN_MM = 15.0  # page margins of PDF files (header and footer sit inside them)
_HEADER_PX = 24.0
_FOOTER_PX = 24.0
# The report's typeface: the DejaVu Sans files that ship inside matplotlib (a dependency),
# loaded into Qt by :func:`report_font_family`, so the PDF looks the same on every machine
# whatever fonts it has. The charts (report/charts.py) use the same family.
REPORT_FONT_FAMILY = "DejaVu Sans"
# OpenType features switched off: with ligatures "floor" becomes "\ufb02oor" in the PDF's
# text layer, which search, copy and text extraction then cannot find.
_NO_LIGATURES = ("liga", "clig", "dlig")
_font_loaded = False
_ACCENT = QColor("#1a3a5c")
_GREY = QColor("#555555")
_RULE = QColor("#b0b0b0")
_HEADER_FILL = QColor("#e6ecf2")
_TOTAL_FILL = QColor("#f3f3f3")
_WARNING = QColor("#9b1c1c")

# Block properties the paginator reads.
_KEEP_PX = QTextFormat.Property.UserProperty + 1  # keep this much space below the block top
_AUTO_BREAK = QTextFormat.Property.UserProperty + 2  # page break added by the paginator
_IMAGE_W = QTextFormat.Property.UserProperty + 3  # figure's natural width [layout px]
_IMAGE_H = QTextFormat.Property.UserProperty + 4
_PUSHED = QTextFormat.Property.UserProperty + 5  # cell padding added to push a row down
_TOTAL_LAST = QTextFormat.Property.UserProperty + 6  # a table whose last row is a Total

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter,
              "legal": QPageSize.PageSizeId.Legal, "a5": QPageSize.PageSizeId.A5}
_TITLE_PROPERTY = "reportTitle"
_FOOTER_PROPERTY = "reportFooter"
_DATE_PROPERTY = "reportDate"
_PAGINATED_PROPERTY = "reportPaginatedFor"  # page body the layout was made for


def report_font_files() -> tuple[Path, ...]:
    """The DejaVu Sans TTF files inside matplotlib's data folder (regular, bold, oblique,
    bold oblique)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    files = tuple(folder / f"DejaVuSans{style}.ttf"
                  for style in ("", "-Bold", "-Oblique", "-BoldOblique"))
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise RuntimeError("the report font is missing from matplotlib's data folder: "
                           + ", ".join(missing))
    return files


def report_font_family() -> str:
    """Load the report font files into Qt's font database (once per process) and return
    the family name. Needs a QGuiApplication."""
    global _font_loaded
    from PySide6.QtGui import QFontDatabase

    if not _font_loaded:
        families: set[str] = set()
        for path in report_font_files():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                raise RuntimeError(f"Qt could not load the report font {path}")
            families.update(QFontDatabase.applicationFontFamilies(font_id))
        if REPORT_FONT_FAMILY not in families:
            raise RuntimeError(f"the report font files hold {sorted(families)}, "
                               f"not {REPORT_FONT_FAMILY!r}")
        _font_loaded = True
    return REPORT_FONT_FAMILY


def _no_ligatures() -> dict:
    return {QFont.Tag(tag): 0 for tag in _NO_LIGATURES}


def report_font(size_pt: float | None = None) -> QFont:
    """The report's font (see :func:`report_font_family`) with ligatures off; ``size_pt``
    in points [pt] if given."""
    font = QFont()
    font.setFamilies([report_font_family()])
    for tag in _NO_LIGATURES:
        font.setFeature(QFont.Tag(tag), 0)
    if size_pt is not None:
        font.setPointSizeF(size_pt)
    return font


def _mm_to_px(mm: float) -> float:
    return mm / 25.4 * LAYOUT_DPI


def _char(size_pt: float = 9.0, bold: bool = False, italic: bool = False,
          color: QColor | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontFamilies([report_font_family()])
    fmt.setFontFeatures(_no_ligatures())
    fmt.setFontPointSize(size_pt)
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    fmt.setFontItalic(italic)
    fmt.setForeground(QBrush(color or QColor("#000000")))
    return fmt


def _block(top: float = 0.0, bottom: float = 4.0, align=Qt.AlignmentFlag.AlignLeft,
           keep_px: float = 0.0) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setTopMargin(top)
    fmt.setBottomMargin(bottom)
    fmt.setAlignment(align)
    if keep_px:
        fmt.setProperty(_KEEP_PX, float(keep_px))
    return fmt


_PARAGRAPH_STYLES = {
    "body": (lambda: _char(9.5), 2.0, 5.0),
    "lead": (lambda: _char(10.5), 2.0, 6.0),
    "note": (lambda: _char(8.0, color=_GREY), 0.0, 6.0),
    "warning": (lambda: _char(10.5, bold=True, color=_WARNING), 2.0, 6.0),
}
_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
          "center": Qt.AlignmentFlag.AlignHCenter}


def _cell_format(fill: QColor | None, rule: float) -> QTextTableCellFormat:
    """A table cell with an optional background and a thin rule below it [px]."""
    fmt = QTextTableCellFormat()
    if fill is not None:
        fmt.setBackground(QBrush(fill))
    if rule > 0:
        fmt.setBottomBorder(rule)
        fmt.setBottomBorderBrush(QBrush(_RULE))
        fmt.setBottomBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    return fmt


def _aligned_rows(t: Table) -> tuple[tuple[Cell, ...], ...]:
    """``t``'s rows with the numbers of each right-aligned column given one number of
    decimals (see :func:`~reserve_planner.report.formatting.align_decimals`)."""
    rows = [list(r) for r in t.rows]
    for j, align in enumerate(t.align):
        if align != "right":
            continue
        texts = [r[j].text for r in rows]
        for r, text in zip(rows, report_fmt.align_decimals(texts), strict=True):
            if text != r[j].text:
                r[j] = replace(r[j], text=text)
    return tuple(tuple(r) for r in rows)


class _Writer:
    """Appends blocks to a QTextDocument through one cursor."""

    def __init__(self, doc: QTextDocument):
        self.doc = doc
        self.cursor = QTextCursor(doc)
        self.first = True
        self.break_next = False
        self.space_before_next = 0.0  # top margin for the block after a table

    def _start_block(self, block_fmt: QTextBlockFormat, char_fmt: QTextCharFormat) -> None:
        if self.break_next:
            block_fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            self.break_next = False
        if self.space_before_next:
            block_fmt.setTopMargin(max(block_fmt.topMargin(), self.space_before_next))
            self.space_before_next = 0.0
        if self.first:
            self.cursor.setBlockFormat(block_fmt)
            self.cursor.setBlockCharFormat(char_fmt)
            self.cursor.setCharFormat(char_fmt)
            self.first = False
        else:
            self.cursor.insertBlock(block_fmt, char_fmt)

    def text_block(self, text: str, char_fmt: QTextCharFormat,
                   block_fmt: QTextBlockFormat) -> None:
        self._start_block(block_fmt, char_fmt)
        self.cursor.insertText(text, char_fmt)

    def heading(self, h: Heading) -> None:
        if h.level <= 1:
            self.text_block(h.text, _char(13.0, bold=True, color=_ACCENT),
                            _block(top=14.0, bottom=5.0, keep_px=150.0))
        else:
            self.text_block(h.text, _char(10.5, bold=True, color=_ACCENT),
                            _block(top=9.0, bottom=3.0, keep_px=110.0))

    def paragraph(self, p: Paragraph) -> None:
        make, top, bottom = _PARAGRAPH_STYLES[p.style]
        self.text_block(p.text, make(), _block(top=top, bottom=bottom))

    def bullets(self, b: Bullets) -> None:
        list_fmt = QTextListFormat()
        list_fmt.setStyle(QTextListFormat.Style.ListDisc)
        list_fmt.setIndent(1)
        text_list = None
        for item in b.items:
            self.text_block("", _char(9.5), _block(top=0.0, bottom=3.0))
            if text_list is None:
                text_list = self.cursor.createList(list_fmt)
            else:
                text_list.add(self.cursor.block())
            self.cursor.insertText(item, _char(9.5))
        # The next block gets a fresh format, which takes it out of the list.

    def figure(self, f: Figure) -> None:
        image = QImage.fromData(f.png, "PNG")
        name = f"report-figure:{f.key}"
        self.doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        width = _mm_to_px(f.width_mm)
        height = _mm_to_px(f.height_mm)
        block_fmt = _block(top=4.0, bottom=2.0, align=Qt.AlignmentFlag.AlignHCenter,
                           keep_px=height + 40.0)
        block_fmt.setProperty(_IMAGE_W, width)
        block_fmt.setProperty(_IMAGE_H, height)
        self._start_block(block_fmt, _char(9.0))
        img_fmt = QTextImageFormat()
        img_fmt.setName(name)
        img_fmt.setWidth(width)
        img_fmt.setHeight(height)
        self.cursor.insertImage(img_fmt)
        if f.caption:
            self.text_block(f.caption, _char(8.5, italic=True, color=_GREY),
                            _block(top=2.0, bottom=10.0, align=Qt.AlignmentFlag.AlignHCenter))

    def _cell_text(self, cursor: QTextCursor, cell: Cell, char_fmt: QTextCharFormat,
                   align: Qt.AlignmentFlag) -> None:
        block_fmt = _block(top=0.0, bottom=0.0, align=align)
        cursor.setBlockFormat(block_fmt)
        for i, line in enumerate(cell.text.split("\n")):
            if i:
                cursor.insertBlock(block_fmt, char_fmt)
            cursor.insertText(line, char_fmt)
        if cell.note:
            cursor.insertBlock(block_fmt, _char(7.0, color=_GREY))
            cursor.insertText(cell.note, _char(7.0, color=_GREY))

    def table(self, t: Table, header: bool = True, rules: bool = True) -> None:
        if t.caption:
            self.text_block(t.caption, _char(8.5, bold=True, color=_ACCENT),
                            _block(top=6.0, bottom=3.0, keep_px=90.0))
        # A block to anchor the table after (the cursor inserts tables after a block).
        self._start_block(_block(top=0.0, bottom=0.0), _char(2.0))
        fmt = QTextTableFormat()
        fmt.setHeaderRowCount(1 if header else 0)
        fmt.setCellPadding(2.5)
        fmt.setCellSpacing(0)
        fmt.setBorder(0.0)
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_None)
        fmt.setBorderCollapse(True)
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        fmt.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.PercentageLength, w) for w in t.widths])
        # No bottom margin: Qt repeats the header row on any page the table frame
        # reaches, so a margin crossing a page end would print a lone header there.
        fmt.setBottomMargin(0.0)
        fmt.setTopMargin(0.0)
        fmt.setProperty(_TOTAL_LAST, bool(t.total_row))
        skip = 1 if header else 0
        n_rows = len(t.rows) + skip
        table = self.cursor.insertTable(n_rows, len(t.header), fmt)
        if header:
            head_fmt = _cell_format(_HEADER_FILL, rule=0.8 if rules else 0.0)
            for j, text in enumerate(t.header):
                cell = table.cellAt(0, j)
                cell.setFormat(head_fmt)
                self._cell_text(cell.firstCursorPosition(), Cell(text),
                                _char(7.5, bold=True), _ALIGN[t.align[j]])
        body_fmt = _cell_format(None, rule=0.4 if rules else 0.0)
        total_fmt = _cell_format(_TOTAL_FILL, rule=0.4 if rules else 0.0)
        for i, row in enumerate(_aligned_rows(t), start=skip):
            total = t.total_row and i == n_rows - 1
            for j, value in enumerate(row):
                cell = table.cellAt(i, j)
                cell.setFormat(total_fmt if total else body_fmt)
                char_fmt = _char(8.0, bold=value.bold or total, italic=value.italic)
                self._cell_text(cell.firstCursorPosition(), value, char_fmt,
                                _ALIGN[t.align[j]])
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.space_before_next = 9.0

    def title_block(self, report: Report) -> None:
        self.text_block(report.title, _char(18.0, bold=True, color=_ACCENT),
                        _block(top=0.0, bottom=2.0))
        self.text_block(report.subtitle, _char(11.0, color=_GREY), _block(top=0.0, bottom=8.0))
        if report.facts:
            self.table(Table(header=("", ""), rows=tuple(
                (Cell(k, bold=True), Cell(v)) for k, v in report.facts),
                widths=(18, 82), align=("left", "left")), header=False, rules=False)


def build_text_document(report: Report) -> QTextDocument:
    """Lay ``report`` out as a QTextDocument (call on the GUI thread; needs a
    QGuiApplication). The document keeps the report's title, footer and date for the page
    header and footer that :func:`print_document` draws."""
    doc = QTextDocument()
    doc.setUseDesignMetrics(True)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(report_font(9.5))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, report.title)
    doc.setProperty(_TITLE_PROPERTY, report.title)
    doc.setProperty(_FOOTER_PROPERTY, report.footer)
    doc.setProperty(_DATE_PROPERTY, dict(report.facts).get("Date", ""))
    w = _Writer(doc)
    w.title_block(report)
    for block in report.blocks:
        if isinstance(block, Heading):
            w.heading(block)
        elif isinstance(block, Paragraph):
            w.paragraph(block)
        elif isinstance(block, Bullets):
            w.bullets(block)
        elif isinstance(block, Table):
            w.table(block)
        elif isinstance(block, Figure):
            w.figure(block)
        elif isinstance(block, PageBreak):
            w.break_next = True
    return doc


def document_for(inputs, result, source_file: str | None = None) -> QTextDocument:
    """``build_text_document(build_report(inputs, result, source_file))`` in one call."""
    from .content import build_report

    return build_text_document(build_report(inputs, result, source_file=source_file))


@dataclass(frozen=True)
class PageGeometry:
    """Where things go on one page, in layout pixels (96 per inch) from the painter origin.

    ``body`` is the text area; the header sits above it and the footer below it.
    """

    width: float
    height: float
    body: QRectF

    @property
    def header(self) -> QRectF:
        b = self.body
        return QRectF(b.left(), b.top() - _HEADER_PX, b.width(), _HEADER_PX - 6.0)

    @property
    def footer(self) -> QRectF:
        b = self.body
        return QRectF(b.left(), b.bottom() + 6.0, b.width(), _FOOTER_PX - 6.0)


def page_geometry(device: QPagedPaintDevice) -> PageGeometry:
    """The page areas of ``device`` (a QPrinter or QPdfWriter) in layout pixels.

    The painter origin is the corner of the device's paint rectangle (inside its margins);
    when those margins are under :data:`MIN_MARGIN_MM` (a full-page printer) the
    difference is added so nothing is printed at the paper edge.
    """
    sx = device.logicalDpiX() / LAYOUT_DPI
    sy = device.logicalDpiY() / LAYOUT_DPI
    width, height = device.width() / sx, device.height() / sy
    margins = device.pageLayout().margins(QPageLayout.Unit.Millimeter)
    full_page = getattr(device, "fullPage", None)
    if callable(full_page) and full_page():
        margins = QMarginsF(0, 0, 0, 0)
    left = _mm_to_px(max(0.0, MIN_MARGIN_MM - margins.left()))
    right = _mm_to_px(max(0.0, MIN_MARGIN_MM - margins.right()))
    top = _mm_to_px(max(0.0, MIN_MARGIN_MM - margins.top())) + _HEADER_PX
    bottom = _mm_to_px(max(0.0, MIN_MARGIN_MM - margins.bottom())) + _FOOTER_PX
    body = QRectF(left, top, max(width - left - right, 100.0),
                  max(height - top - bottom, 100.0))
    return PageGeometry(width, height, body)


def _blocks(doc: QTextDocument):
    """Every block of ``doc``, including those inside table cells, in order."""
    block: QTextBlock = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def _fit_figures(doc: QTextDocument, max_width: float, max_height: float) -> None:
    """Shrink figures wider or taller than the page body; restore them on larger paper."""
    for block in _blocks(doc):
        fmt = block.blockFormat()
        natural_w = fmt.property(_IMAGE_W)
        if natural_w is None:
            continue
        natural_h = float(fmt.property(_IMAGE_H))
        scale = min(1.0, max_width / float(natural_w), max_height / natural_h)
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            char_fmt = frag.charFormat()
            if char_fmt.isImageFormat():
                img = char_fmt.toImageFormat()
                if abs(img.width() - natural_w * scale) > 0.01:
                    img.setWidth(float(natural_w) * scale)
                    img.setHeight(natural_h * scale)
                    cur = QTextCursor(doc)
                    cur.setPosition(frag.position())
                    cur.setPosition(frag.position() + frag.length(),
                                    QTextCursor.MoveMode.KeepAnchor)
                    cur.setCharFormat(img)
            it += 1
        keep = natural_h * scale + 40.0
        if abs(float(fmt.property(_KEEP_PX) or 0.0) - keep) > 0.01:
            fmt.setProperty(_KEEP_PX, keep)
            QTextCursor(block).setBlockFormat(fmt)


def _set_auto_break(block: QTextBlock, on: bool) -> None:
    fmt = block.blockFormat()
    fmt.setProperty(_AUTO_BREAK, on)
    policy = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore if on else \
        QTextFormat.PageBreakFlag.PageBreak_Auto
    fmt.setPageBreakPolicy(policy)
    QTextCursor(block).setBlockFormat(fmt)


def _clear_auto_breaks(doc: QTextDocument) -> None:
    """Remove the page breaks pagination added (before laying out for other paper)."""
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    cleared = False
    for block in _blocks(doc):
        if block.blockFormat().property(_AUTO_BREAK):
            _set_auto_break(block, False)
            cleared = True
    cursor.endEditBlock()
    if cleared:
        doc.markContentsDirty(0, doc.characterCount())


def paginate(doc: QTextDocument, geometry: PageGeometry) -> int:
    """Lay ``doc`` out for pages with ``geometry`` and return the page count.

    Repeated calls for the same page body (a print preview repainting) reuse the layout.
    """
    body = geometry.body
    key = f"{body.width():.2f}x{body.height():.2f}"
    if doc.property(_PAGINATED_PROPERTY) == key and doc.pageSize() == body.size():
        return doc.pageCount()
    _fit_figures(doc, body.width(), body.height() * 0.92)
    doc.setPageSize(QSizeF(body.width(), body.height()))
    _release_rows(doc)
    _clear_auto_breaks(doc)
    _keep_together(doc, body.height())
    doc.setProperty(_PAGINATED_PROPERTY, key)
    return doc.pageCount()


def _tables(frame: QTextFrame) -> list[QTextTable]:
    """Every table in ``frame``, in document order."""
    out: list[QTextTable] = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            out.append(child)
        out += _tables(child)
    return out


def _row_span(layout, table: QTextTable, row: int) -> tuple[float, float, float]:
    """Top of the first line, bottom of the last line and the tallest first line of
    ``row``'s cells [layout px]."""
    tops, bottoms, lines = [], [], [0.0]
    for col in range(table.columns()):
        cell = table.cellAt(row, col)
        block = cell.firstCursorPosition().block()
        tops.append(layout.blockBoundingRect(block).top())
        bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
        text_layout = block.layout()
        if text_layout is not None and text_layout.lineCount():
            lines.append(text_layout.lineAt(0).height())
    return min(tops), max(bottoms), max(lines)


_PADDINGS = (QTextFormat.Property.TableCellTopPadding,
             QTextFormat.Property.TableCellBottomPadding)


def _release_rows(doc: QTextDocument) -> None:
    """Undo the row moves of :func:`_keep_together` (before laying out for other paper)."""
    changed = False
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    for table in _tables(doc.rootFrame()):
        for row in range(table.rows()):
            for col in range(table.columns()):
                cell = table.cellAt(row, col)
                fmt = cell.format().toTableCellFormat()
                if fmt.property(_PUSHED) is not None:
                    for prop in _PADDINGS:
                        fmt.clearProperty(prop)
                    fmt.clearProperty(_PUSHED)
                    cell.setFormat(fmt)
                    changed = True
    cursor.endEditBlock()
    if changed:
        doc.markContentsDirty(0, doc.characterCount())


def _push_row(table: QTextTable, row: int, pad: float) -> None:
    """Move ``row`` down by ``pad`` [px]: space under the row above (which stays on its
    page as white space), or, under the header, space above the row's own text."""
    padding = table.format().cellPadding()
    target = row - 1 if row - 1 >= table.format().headerRowCount() else row
    for col in range(table.columns()):
        cell = table.cellAt(target, col)
        fmt = cell.format().toTableCellFormat()
        added = float(fmt.property(_PUSHED) or 0.0) + pad
        if target == row:
            fmt.setTopPadding(padding + added)
        else:
            fmt.setBottomPadding(padding + added)
        fmt.setProperty(_PUSHED, added)
        cell.setFormat(fmt)


def _check_items(doc: QTextDocument) -> list[tuple]:
    """What pagination checks, in document order: blocks to keep with what follows them
    (``("keep", block)``) and table body rows (``("row", table, row, total_follows)``)."""
    items: list[tuple[int, tuple]] = []
    for block in _blocks(doc):
        if block.blockFormat().property(_KEEP_PX) and QTextCursor(block).currentTable() is None:
            items.append((block.position(), ("keep", block)))
    for table in _tables(doc.rootFrame()):
        first = table.format().headerRowCount()
        total_last = bool(table.format().property(_TOTAL_LAST))
        for row in range(first, table.rows()):
            total_follows = total_last and row == table.rows() - 2 and row >= first
            items.append((table.cellAt(row, 0).firstPosition(),
                          ("row", table, row, total_follows)))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items]


def _fix_first(doc: QTextDocument, items: list[tuple], page_height: float, start: int
               ) -> int | None:
    """Fix the first item from ``start`` that breaks a pagination rule; its index, or
    None if every item is fine. Rules: a kept block (heading, caption, figure) does not
    start in the last ``keep`` pixels of a page; a table row does not break over a page
    end; the row before a Total row sits on the Total's page."""
    layout = doc.documentLayout()
    for i in range(start, len(items)):
        item = items[i]
        if item[0] == "keep":
            block = item[1]
            fmt = block.blockFormat()
            if fmt.pageBreakPolicy() != QTextFormat.PageBreakFlag.PageBreak_Auto:
                continue
            top = layout.blockBoundingRect(block).top()
            used = top - math.floor(top / page_height) * page_height
            keep = float(fmt.property(_KEEP_PX))
            if used > 30.0 and page_height - used < min(keep, page_height * 0.9):
                _set_auto_break(block, True)
                return i
            continue
        _, table, row, total_follows = item
        top, bottom, line = _row_span(layout, table, row)
        page = math.floor(top / page_height)
        if bottom - top < page_height * 0.8 and \
                math.floor((bottom - 0.5) / page_height) != page:
            if row == table.format().headerRowCount() and \
                    _break_before_table(doc, table, page_height):
                return i  # heading, caption and header go along with the first row
            # Just enough that the row's first line no longer fits: Qt then moves the
            # whole row to the next page.
            _push_row(table, row, (page + 1) * page_height - top - line + 1.0)
            return i
        if total_follows:
            total_top = _row_span(layout, table, row + 1)[0]
            if math.floor(total_top / page_height) > page:  # the Total would start a page
                _push_row(table, row, (page + 1) * page_height - top - line + 1.0)
                return i
    return None


def _break_before_table(doc: QTextDocument, table: QTextTable, page_height: float) -> bool:
    """Start a new page before ``table`` and the heading and caption leading into it, so
    they do not stay behind at the bottom of a page without a row; False if they already
    start a page (the row must then move on its own)."""
    block = doc.findBlock(table.firstPosition() - 1)  # the block the table is anchored to
    first = block
    previous = block.previous()
    while previous.isValid() and previous.blockFormat().property(_KEEP_PX) \
            and QTextCursor(previous).currentTable() is None:
        first = previous
        previous = previous.previous()
    if first.blockFormat().pageBreakPolicy() != QTextFormat.PageBreakFlag.PageBreak_Auto:
        return False
    top = doc.documentLayout().blockBoundingRect(first).top()
    if top - math.floor(top / page_height) * page_height <= 30.0:
        return False
    _set_auto_break(first, True)
    return True


def _keep_together(doc: QTextDocument, page_height: float, passes: int = 200) -> None:
    """Keep headings, captions and figures with what follows them (Qt has no
    keep-with-next), table rows whole (Qt breaks a row wherever a page ends) and a Total
    row with the row before it.

    Every fix moves what comes after it, so the first problem in the document is fixed,
    the document laid out again, and the search goes on from there: each fix is made on
    the real layout and none is left where it is no longer needed (an earlier version
    batched heading breaks on estimated positions and left pages half empty).
    """
    items = _check_items(doc)
    start = 0
    for _ in range(passes):
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        fixed = _fix_first(doc, items, page_height, start)
        cursor.endEditBlock()
        if fixed is None:
            return
        start = fixed
        doc.markContentsDirty(0, doc.characterCount())


def _page_font(size_pt: float, bold: bool = False) -> QFont:
    font = report_font()
    font.setPixelSize(max(1, round(size_pt * LAYOUT_DPI / 72.0)))
    font.setBold(bold)
    return font


def _draw_margins(painter: QPainter, doc: QTextDocument, geometry: PageGeometry, page: int,
                  pages: int) -> None:
    painter.save()
    painter.setPen(QPen(_GREY))
    painter.setFont(_page_font(7.5))
    head = geometry.header
    title = str(doc.property(_TITLE_PROPERTY) or "")
    date = str(doc.property(_DATE_PROPERTY) or "")
    if page > 1:
        painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, title)
        painter.drawText(head, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, date)
        painter.setPen(QPen(_RULE, 0.6))
        y = head.bottom() + 3.0
        painter.drawLine(QPointF(head.left(), y), QPointF(head.right(), y))
    painter.setPen(QPen(_GREY))
    foot = geometry.footer
    painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                     str(doc.property(_FOOTER_PROPERTY) or ""))
    painter.drawText(foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                     f"Page {page} of {pages}")
    painter.restore()


def _page_range(device: QPagedPaintDevice, pages: int) -> range:
    from_page = getattr(device, "fromPage", None)
    to_page = getattr(device, "toPage", None)
    if callable(from_page) and callable(to_page) and from_page() > 0:
        first = max(1, from_page())
        last = min(pages, to_page() if to_page() > 0 else pages)
        if first <= last:
            return range(first, last + 1)
    return range(1, pages + 1)


def print_document(doc: QTextDocument, printer: QPagedPaintDevice) -> None:
    """Paint ``doc`` page by page onto ``printer`` (a QPrinter from QPrintDialog or
    QPrintPreviewDialog.paintRequested, or a QPdfWriter), with the page header, the
    ``Page n of N`` footer and the printer's page range. Re-lays ``doc`` out for the
    printer's paper, so one document serves A4, Letter and the preview alike."""
    geometry = page_geometry(printer)
    pages = paginate(doc, geometry)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("cannot start printing: the printer or file could not be opened")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.scale(printer.logicalDpiX() / LAYOUT_DPI, printer.logicalDpiY() / LAYOUT_DPI)
        for n, page in enumerate(_page_range(printer, pages)):
            if n and not printer.newPage():
                raise RuntimeError("cannot start a new page on the printer")
            _paint_page(painter, doc, geometry, page, pages)
    finally:
        painter.end()


def _paint_page(painter: QPainter, doc: QTextDocument, geometry: PageGeometry, page: int,
                pages: int) -> None:
    """Page ``page`` of ``pages`` (header, footer and body) in layout pixels."""
    _draw_margins(painter, doc, geometry, page, pages)
    body = geometry.body
    painter.save()
    offset = (page - 1) * body.height()
    painter.translate(body.left(), body.top() - offset)
    # As QTextDocument.drawContents, but the layout is asked for the lines inside the page
    # only: drawContents also draws the next page's first line, which starts on the edge
    # (clipped, so unseen, yet written into the PDF's text, where a copy or a screen reader
    # repeats it). Qt still draws the line just above a clip's top (QTextLayout::draw starts
    # from the last line above it), so the previous page's last line stays in the text.
    painter.setClipRect(QRectF(0, offset, body.width(), body.height()))
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = QRectF(0, offset + PAGE_EDGE_PX, body.width(),
                          body.height() - 2 * PAGE_EDGE_PX)
    doc.documentLayout().draw(painter, context)
    painter.restore()


#: How far inside the page edge a line must start or end to be drawn on that page [layout
#: px]: less than half the shortest line (8 pt type is about 14 px), more than a line's
#: box runs over the edge it was paginated to.
PAGE_EDGE_PX = 4.0


def _pdf_writer(target: QIODevice, page_size: str) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setPageSize(QPageSize(page_size_id(page_size)))
    writer.setPageMargins(QMarginsF(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM,
                                    PDF_MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setResolution(600)
    return writer


def page_images(doc: QTextDocument, page_size: str = "A4", dpi: float = 50.0
                ) -> list[QImage]:
    """Every page of ``doc`` as the PDF on ``page_size`` paper lays it out (same margins,
    pagination, header and footer), painted on white at ``dpi`` [pixels per inch]: for
    thumbnails and for looking at the pages without a PDF renderer."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _pdf_writer(buffer, page_size)
    geometry = page_geometry(writer)
    pages = paginate(doc, geometry)
    paper = QPageSize(page_size_id(page_size)).size(QPageSize.Unit.Millimeter)
    width = max(1, round(paper.width() / 25.4 * dpi))
    height = max(1, round(paper.height() / 25.4 * dpi))
    margin = _mm_to_px(PDF_MARGIN_MM)
    images = []
    for page in range(1, pages + 1):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.scale(dpi / LAYOUT_DPI, dpi / LAYOUT_DPI)
            painter.translate(margin, margin)
            _paint_page(painter, doc, geometry, page, pages)
        finally:
            painter.end()
        images.append(image)
    del writer
    buffer.close()
    return images


def new_printer(page_size: str | None = None, doc: QTextDocument | None = None):
    """A high-resolution ``QPrinter`` on ``page_size`` paper ("A4", "Letter"; default: the
    system's), named after ``doc``'s title for the print queue."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if page_size:
        printer.setPageSize(QPageSize(page_size_id(page_size)))
    if doc is not None:
        printer.setDocName(doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    return printer


def print_preview_dialog(doc: QTextDocument, parent=None, printer=None):
    """A ``QPrintPreviewDialog`` showing ``doc`` exactly as it prints (not yet shown: call
    ``exec()`` or ``open()``), sized to most of the screen and zoomed to fit the page width
    so the text can be read. The dialog keeps ``printer`` (default :func:`new_printer`)
    alive; ``dialog.printer()`` returns it. Needs a QApplication (widgets)."""
    from PySide6.QtGui import QAction, QGuiApplication
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    printer = printer or new_printer(doc=doc)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print preview \u2013 "
                          + doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    dialog.paintRequested.connect(lambda target: print_document(doc, target))
    dialog._keep_printer = printer  # the dialog does not own it
    screen = (parent.screen() if parent is not None else None) \
        or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(area.width() - 40, max(900, int(area.width() * 0.8)))
        height = max(480, area.height() - 60)
        dialog.resize(min(width, 1400), height)
    preview = dialog.findChild(QPrintPreviewWidget)
    fit_width = dialog.findChild(QAction, "fitWidthAction")
    if fit_width is not None:
        fit_width.trigger()  # also checks the toolbar's "Fit width" button
    if preview is not None:
        preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)
    return dialog


def print_with_dialog(doc: QTextDocument, parent=None, printer=None) -> bool:
    """Ask for a printer with the platform's ``QPrintDialog`` and print ``doc`` on it;
    False if the user cancelled. Needs a QApplication (widgets)."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog

    printer = printer or new_printer(doc=doc)
    dialog = QPrintDialog(printer, parent)
    answer = dialog.exec()
    if getattr(answer, "value", answer) != QDialog.DialogCode.Accepted.value:
        return False
    print_document(doc, printer)
    return True


def page_size_id(page_size: str) -> QPageSize.PageSizeId:
    """``"A4"``, ``"Letter"``, ``"Legal"`` or ``"A5"`` (any case) as a Qt page size id."""
    try:
        return PAGE_SIZES[page_size.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown page size {page_size!r}; use one of "
                         f"{', '.join(k.capitalize() if k != 'a4' else 'A4' for k in PAGE_SIZES)}"
                         ) from None


def render_pdf_bytes(doc: QTextDocument, page_size: str = "A4", title: str | None = None,
                     creator: str | None = None) -> bytes:
    """The PDF of ``doc`` on ``page_size`` paper as bytes, with title and creator set."""
    from .. import __version__

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _pdf_writer(buffer, page_size)
    writer.setTitle(title or doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
                    or "Reserve plan")
    writer.setCreator(creator or f"Reserve Planner {__version__}")
    print_document(doc, writer)
    del writer
    buffer.close()
    return bytes(data.data())


def write_pdf(doc: QTextDocument, path: str | os.PathLike[str], page_size: str = "A4",
              title: str | None = None, creator: str | None = None) -> None:
    """Write ``doc`` to the PDF file ``path`` atomically (a temporary file in the same
    folder, then a rename), so a failed export never leaves half a file behind.

    ``page_size`` is ``"A4"`` or ``"Letter"`` (also ``"Legal"``, ``"A5"``); ``title``
    (default: the report title) and ``creator`` go into the PDF metadata. As the workbook
    writers do (``reserve_planner.io.atomic_save``, which this layer may not import), a
    symbolic link is followed, a replaced file keeps its permissions (a private 0600
    report stays 0600) and a new file gets the usual 0666 less the umask. Raises OSError.
    """
    data = render_pdf_bytes(doc, page_size=page_size, title=title, creator=creator)
    replace_file_atomically(path, data)


def replace_file_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Put ``data`` at ``path`` through a temporary file ``.~NAME.<hex>.tmp`` next to it
    (the workbook writers' pattern), flushed to disk and renamed over the target; the
    temporary file is removed on any failure and the old file is then untouched."""
    replace_with(Path(os.path.realpath(os.fspath(path))), lambda f: f.write(data))
