"""``write_report_pdf``: the report as a PDF file, with or without a display.

Used by ``reserve-planner solve --report REPORT.pdf``. When no Qt application exists it
creates a ``QGuiApplication`` itself, on the offscreen platform unless a platform is set or
a display is available, so it runs on servers and in CI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..model import PlanInputs
from ..optimize import PlanResult
from .document import Report

_APP = None  # the application this module created, kept alive for the process


def ensure_gui_application() -> None:
    """Make sure a QGuiApplication (or QApplication) exists, creating one if needed.

    Sets ``QT_QPA_PLATFORM=offscreen`` first unless a platform is already chosen or a
    ``DISPLAY``/``WAYLAND_DISPLAY`` exists (or the system is Windows or macOS, which always
    have one). Raises RuntimeError if a plain QCoreApplication is running, since text
    layout needs fonts.
    """
    global _APP
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    app = QCoreApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise RuntimeError("a QCoreApplication is running; the report needs a "
                               "QGuiApplication for fonts and images")
        return
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not os.environ.get("QT_QPA_PLATFORM") and not has_display and \
            sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APP = QGuiApplication([sys.argv[0] if sys.argv else "reserve-planner"])


def write_report_pdf(inputs: PlanInputs, result: PlanResult, path: str | os.PathLike[str],
                     source_file: str | None = None, page_size: str = "A4") -> None:
    """Build the report for ``inputs`` and ``result`` and write it to ``path`` as a PDF.

    Parameters
    ----------
    inputs, result : PlanInputs, PlanResult
        What was solved and the outcome (a result without a plan gives a report of its
        status, problems and inputs).
    path : path-like
        The PDF to write; written atomically (temporary file, then rename).
    source_file : str, optional
        The workbook the inputs came from, for the title block.
    page_size : str
        ``"A4"`` or ``"Letter"`` (also ``"Legal"``, ``"A5"``).
    """
    from .content import build_report
    from .qt_render import page_size_id

    page_size_id(page_size)  # a bad size fails before any work
    write_document_pdf(build_report(inputs, result, source_file=source_file), path, page_size)


def write_document_pdf(report: Report, path: str | os.PathLike[str],
                       page_size: str = "A4") -> None:
    """Write any built :class:`~reserve_planner.report.document.Report` (a plan's report, a
    comparison, a sensitivity study) to ``path`` as a PDF, atomically, on ``page_size``
    paper. The one way every report reaches paper."""
    ensure_gui_application()
    from .qt_render import build_text_document, page_size_id, write_pdf

    page_size_id(page_size)
    doc = build_text_document(report)
    write_pdf(doc, Path(path), page_size=page_size, title=report.title,
              creator=report.metadata.get("creator"))


def write_report_pages(inputs: PlanInputs, result: PlanResult,
                       folder: str | os.PathLike[str], source_file: str | None = None,
                       page_size: str = "A4", dpi: float = 50.0) -> list[Path]:
    """The report's pages as PNG images ``page-01.png``, ... in ``folder`` (created if
    needed), laid out exactly as :func:`write_report_pdf` lays them out on ``page_size``
    paper, at ``dpi`` [pixels per inch]: for thumbnails and for the documentation."""
    from .content import build_report
    from .qt_render import page_size_id

    page_size_id(page_size)
    return write_document_pages(build_report(inputs, result, source_file=source_file),
                                folder, page_size, dpi)


def write_document_pages(report: Report, folder: str | os.PathLike[str],
                         page_size: str = "A4", dpi: float = 50.0) -> list[Path]:
    """Any built report's pages as PNG images ``page-01.png``, ... in ``folder``, laid out
    as :func:`write_document_pdf` lays them out, at ``dpi`` [pixels per inch]."""
    ensure_gui_application()
    from .qt_render import build_text_document, page_images, page_size_id

    page_size_id(page_size)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    doc = build_text_document(report)
    paths = []
    for n, image in enumerate(page_images(doc, page_size, dpi), start=1):
        path = target / f"page-{n:02d}.png"
        _save_page_png(image, path)
        paths.append(path)
    return paths


def _save_page_png(image, path: Path) -> None:
    """Save a page image as a palette PNG of at most 256 colours chosen from the page
    itself, without dithering (a small file whose flat tints stay their colour).

    Qt's fixed 256-colour conversion with dithering once turned light tints cyan and
    speckled; an adaptive palette keeps every flat area exact and only rounds the
    anti-aliased edges.
    """
    from PIL import Image
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = rgb.width(), rgb.height()
    stride = rgb.bytesPerLine()
    data = bytes(rgb.constBits())[: stride * height]
    page = Image.frombuffer("RGB", (width, height), data, "raw", "RGB", stride, 1)
    # median cut: exact when the page has 256 colours or fewer
    page = page.convert("P", palette=Image.Palette.ADAPTIVE, colors=256,
                        dither=Image.Dither.NONE)
    try:
        page.save(path, format="png", optimize=True)
    except OSError as exc:
        raise OSError(f"could not write {path}: {exc}") from exc
