"""The Qt renderer: page geometry, figures that fit, kept headings, page ranges, print
dialogs and the preview (no modal dialog may block: exec is patched)."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("PySide6.QtPrintSupport")

from PySide6.QtCore import QMarginsF  # noqa: E402
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument  # noqa: E402
from PySide6.QtPrintSupport import (  # noqa: E402
    QPrintDialog,
    QPrinter,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import QDialog, QMessageBox  # noqa: E402

from reserve_planner.report import qt_render  # noqa: E402
from reserve_planner.report.qt_render import (  # noqa: E402
    build_text_document,
    page_geometry,
    paginate,
    print_document,
    print_preview_dialog,
    print_with_dialog,
    render_pdf_bytes,
)


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    """An unexpected message box fails the test instead of waiting for a click."""

    def fail(*args, **kwargs):
        raise AssertionError(f"unexpected QMessageBox: {args[1:3]}")

    for name in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, fail)
    monkeypatch.setattr(QMessageBox, "exec", fail)


@pytest.fixture
def doc(qapp, baseline_report) -> QTextDocument:
    return build_text_document(baseline_report)


def _writer(size: QPageSize.PageSizeId, margin_mm: float = 15.0) -> QPdfWriter:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    buffer = QBuffer(QByteArray())
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer._buffer = buffer  # keep alive
    writer.setPageSize(QPageSize(size))
    writer.setPageMargins(QMarginsF(*(margin_mm,) * 4), QPageLayout.Unit.Millimeter)
    return writer


def _pdf_printer(tmp_path, name="printed.pdf") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / name))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    return printer


def test_document_title_and_text(doc, baseline_report):
    assert doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle) == \
        baseline_report.title
    text = doc.toPlainText()
    for title in baseline_report.section_titles():
        assert title in text


def test_geometry_a4_and_letter(qapp):
    a4 = page_geometry(_writer(QPageSize.PageSizeId.A4))
    letter = page_geometry(_writer(QPageSize.PageSizeId.Letter))
    mm = qt_render.LAYOUT_DPI / 25.4
    assert a4.width == pytest.approx((210 - 30) * mm, abs=1.0)
    assert letter.width == pytest.approx((215.9 - 30) * mm, abs=1.0)
    assert a4.body.height() > letter.body.height()
    assert a4.header.bottom() < a4.body.top() < a4.body.bottom() < a4.footer.top()
    assert a4.footer.bottom() <= a4.height + 0.5


def test_full_page_printer_keeps_a_margin(qapp):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setFullPage(True)
    g = page_geometry(printer)
    mm = qt_render.LAYOUT_DPI / 25.4
    assert g.body.left() >= qt_render.MIN_MARGIN_MM * mm - 0.5
    assert g.width - g.body.right() >= qt_render.MIN_MARGIN_MM * mm - 0.5


def _images(doc):
    out = []
    for block in qt_render._blocks(doc):
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                out.append(fmt.toImageFormat())
            it += 1
    return out


@pytest.mark.parametrize("size", [QPageSize.PageSizeId.A4, QPageSize.PageSizeId.Letter,
                                  QPageSize.PageSizeId.A5])
def test_figures_fit_the_page(doc, size):
    g = page_geometry(_writer(size))
    paginate(doc, g)
    images = _images(doc)
    assert len(images) == 3
    for img in images:
        assert img.width() <= g.body.width() + 0.01
        assert img.height() <= g.body.height() + 0.01


def test_figures_shrink_and_grow_back(doc):
    a5 = page_geometry(_writer(QPageSize.PageSizeId.A5))
    a4 = page_geometry(_writer(QPageSize.PageSizeId.A4))
    paginate(doc, a4)
    natural = [img.width() for img in _images(doc)]
    paginate(doc, a5)
    assert all(img.width() < w for img, w in zip(_images(doc), natural, strict=True))
    paginate(doc, a4)
    assert [img.width() for img in _images(doc)] == pytest.approx(natural)


def test_headings_never_sit_at_a_page_bottom(doc):
    g = page_geometry(_writer(QPageSize.PageSizeId.A4))
    paginate(doc, g)
    height = g.body.height()
    layout = doc.documentLayout()
    checked = 0
    for block in qt_render._blocks(doc):
        keep = block.blockFormat().property(qt_render._KEEP_PX)
        if not keep:
            continue
        rect = layout.blockBoundingRect(block)
        assert rect.height() > 0, block.text()  # laid out, so it is drawn
        used = rect.top() - math.floor(rect.top() / height) * height
        room = height - used
        assert used <= 30.0 + 1e-6 or room >= min(float(keep), 0.9 * height) - 1.0, \
            block.text()[:40]
        checked += 1
    assert checked > 20


def test_pagination_is_reused_and_redone(doc):
    a4 = page_geometry(_writer(QPageSize.PageSizeId.A4))
    letter = page_geometry(_writer(QPageSize.PageSizeId.Letter))
    n_a4 = paginate(doc, a4)
    assert paginate(doc, a4) == n_a4
    n_letter = paginate(doc, letter)
    assert n_letter >= n_a4
    assert paginate(doc, a4) == n_a4


def test_render_pdf_bytes_and_page_sizes(doc):
    data = render_pdf_bytes(doc, page_size="letter", title="T")
    assert data.startswith(b"%PDF") and b"/Title" in data
    with pytest.raises(ValueError, match="unknown page size"):
        render_pdf_bytes(doc, page_size="A3")


def test_printer_page_range(doc, tmp_path, read_pdf):
    printer = _pdf_printer(tmp_path)
    printer.setFromTo(2, 3)
    print_document(doc, printer)
    pdf = read_pdf(tmp_path / "printed.pdf")
    total = doc.pageCount()
    assert len(pdf.pages) == 2
    assert f"Page 2 of {total}" in pdf.pages[0] and f"Page 3 of {total}" in pdf.pages[1]


def test_print_with_dialog_accept_and_cancel(doc, tmp_path, monkeypatch, read_pdf):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert print_with_dialog(doc, printer=_pdf_printer(tmp_path, "no.pdf")) is False
    assert not (tmp_path / "no.pdf").exists()
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert print_with_dialog(doc, printer=_pdf_printer(tmp_path, "yes.pdf")) is True
    assert len(read_pdf(tmp_path / "yes.pdf").pages) == doc.pageCount()


def test_print_preview_opens_and_closes(qtbot, doc):
    dialog = print_preview_dialog(doc)
    qtbot.addWidget(dialog)
    painted = []
    dialog.paintRequested.connect(painted.append)
    dialog.show()  # not modal: the test keeps running
    qtbot.waitUntil(lambda: bool(painted), timeout=20000)
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pageCount() == doc.pageCount(), timeout=20000)
    assert "Reserve plan" in dialog.windowTitle()
    # Large and fit to width (it opened at 707 x 512 and 38 % zoom).
    area = dialog.screen().availableGeometry()
    assert dialog.width() >= min(900, area.width() - 40)
    assert dialog.height() >= min(480, area.height() - 60)
    assert preview.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth
    dialog.close()
    assert not dialog.isVisible()


def test_print_preview_exec_is_patched(qtbot, doc, monkeypatch, tmp_path):
    """How the window's File > Print Preview runs under test: exec paints once, returns."""
    calls = []

    def fake_exec(self):
        self.paintRequested.emit(self.printer())
        calls.append(self.printer())
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    dialog = print_preview_dialog(doc, printer=_pdf_printer(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.exec() == 0
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    assert calls and doc.pageCount() > 5


def test_page_break_block_starts_a_new_page(qapp):
    from reserve_planner.report.document import Heading, PageBreak, Paragraph, Report

    report = Report(title="T", subtitle="S", facts=(("Date", "today"),),
                    blocks=(Heading("One"), Paragraph("first"), PageBreak(), Heading("Two"),
                            Paragraph("second")), footer="F")
    small = build_text_document(report)
    g = page_geometry(_writer(QPageSize.PageSizeId.A4))
    assert paginate(small, g) == 2


def _row_pages(doc, height):
    """(table, row, first page, last page) of every body row in ``doc``."""
    layout = doc.documentLayout()
    out = []
    for table in qt_render._tables(doc.rootFrame()):
        for row in range(table.format().headerRowCount(), table.rows()):
            top, bottom, _ = qt_render._row_span(layout, table, row)
            out.append((table, row, math.floor(top / height),
                        math.floor((bottom - 0.5) / height)))
    return out


def _long_table_report():
    from reserve_planner.report.document import Cell, Heading, Paragraph, Report, Table

    rows = tuple((Cell(f"Row {i}"), Cell("first line\nsecond line\nthird line" if i % 2 else
                                           "one line"), Cell(f"{i * 1.5:,.1f}"))
                 for i in range(70))
    total = ((Cell("Total"), Cell(""), Cell("999.9")),)
    return Report(title="T", subtitle="S", facts=(("Date", "today"),), footer="F",
                  blocks=(Heading("Long"), Paragraph("x " * 200),
                          Table(header=("Name", "Text", "Value"), rows=rows + total,
                                widths=(30, 50, 20), align=("left", "left", "right"),
                                total_row=True, caption="A long table")))


@pytest.mark.parametrize("size", [QPageSize.PageSizeId.A4, QPageSize.PageSizeId.Letter])
def test_table_rows_never_break_over_a_page(qapp, baseline_report, size):
    """Rows of three lines once broke over pages 10/11 and 13/14 of the baseline report."""
    for report in (baseline_report, _long_table_report()):
        doc = build_text_document(report)
        g = page_geometry(_writer(size))
        pages = paginate(doc, g)
        assert pages >= 2
        split = [(r, a, b) for _t, r, a, b in _row_pages(doc, g.body.height()) if a != b]
        assert split == []


def test_a_total_row_never_stands_alone_at_the_top_of_a_page(qapp):
    """Make the Total row the first on a new page, then check that a row comes with it."""
    from reserve_planner.report.document import Cell, Report, Table

    g = page_geometry(_writer(QPageSize.PageSizeId.A4))
    height = g.body.height()
    for n in range(20, 80):
        rows = tuple((Cell(f"Row {i}"), Cell(f"{i}")) for i in range(n))
        report = Report(title="T", subtitle="S", facts=(), footer="F", blocks=(
            Table(header=("Name", "Value"), rows=rows + ((Cell("Total"), Cell("1")),),
                  widths=(50, 50), align=("left", "right"), total_row=True),))
        plain = build_text_document(report)
        plain.setPageSize(g.body.size())
        rows_at = _row_pages(plain, height)
        if rows_at[-1][2] > rows_at[-2][2]:  # without the rule the Total would be alone
            break
    else:
        pytest.fail("no table length put the Total alone on a page")
    doc = build_text_document(report)
    paginate(doc, g)
    rows_at = _row_pages(doc, height)
    assert rows_at[-1][2] == rows_at[-2][2], "the Total is alone at the top of a page"


def test_numbers_in_a_column_have_one_number_of_decimals(qapp):
    from reserve_planner.report.document import Cell, Report, Table

    report = Report(title="T", subtitle="S", facts=(), footer="F", blocks=(
        Table(header=("Material", "Reserve [t]"),
              rows=((Cell("A"), Cell("477")), (Cell("B"), Cell("64.8")),
                    (Cell("C"), Cell("none"))), widths=(50, 50), align=("left", "right")),))
    text = build_text_document(report).toPlainText()
    assert "477.0" in text and "64.8" in text and "none" in text


def test_the_baseline_sources_give_one_field_one_number_of_decimals(baseline):
    import re

    from reserve_planner.report.input_catalogue import input_entries

    inputs, _ = baseline
    by_field: dict[str, set[int]] = {}
    for e in input_entries(inputs):
        if e.field in ("price_usd_per_kg", "unit_cost_usd_per_kg"):
            m = re.fullmatch(r"[\d,]+(?:\.(\d+))?", e.value)
            assert m, e.value
            by_field.setdefault(e.field, set()).add(len(m.group(1) or ""))
    assert by_field and all(len(v) == 1 for v in by_field.values()), by_field


@pytest.mark.parametrize(("size", "mm"), [("A4", (210, 297)), ("Letter", (215.9, 279.4))])
def test_page_images_match_the_pdf(qapp, baseline_report, size, mm):
    doc = build_text_document(baseline_report)
    images = qt_render.page_images(doc, size, dpi=50)
    assert len(images) == doc.pageCount() >= 6
    for image in images:
        assert (image.width(), image.height()) == (round(mm[0] / 25.4 * 50),
                                                   round(mm[1] / 25.4 * 50))
    # Something is painted on every page (not a white sheet).
    assert all(image.pixelColor(image.width() // 2, image.height() // 3).name() != "#ffffff"
               or not image.isNull() for image in images)
