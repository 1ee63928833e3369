"""Checks on a workbook file made before any XML in it is parsed.

A ``.xlsx`` file is a zip archive of XML parts. Before any XML is parsed, :func:`check_xlsx`
refuses files that are too big, unpack to an absurd size or at an absurd ratio (a zip bomb),
carry a macro project (found by name, by any content or relationship type in the whole of
``[Content_Types].xml`` and the ``.rels`` parts, or by a part that is an OLE file holding a
``_VBA_PROJECT`` stream whatever it is called), or are some other format (old ``.xls``,
``.ods``, CSV). The parts are then streamed by :mod:`.xlsx_parts`, which refuses DTDs and
entity declarations (billion laughs, external entities) as defusedxml does; defusedxml is
still required (:func:`require_defusedxml`) because openpyxl, which writes the workbooks,
parses XML through it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from .workbook_problems import WorkbookError, WorkbookProblem, file_problem
from .xlsx_parts import read_prefix, scan_part

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest workbook file read [bytes]; scenario workbooks are well under 1 MB."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""Largest total size of the unpacked parts [bytes]."""
MAX_PART_RATIO = 200.0
"""Largest unpacked/packed ratio of a part bigger than ``RATIO_CHECK_BYTES`` [-]."""
RATIO_CHECK_BYTES = 1024 * 1024
MAX_PARTS = 2000

MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam"}
OTHER_SUFFIXES = {
    ".xls": "an Excel 97-2003 workbook (.xls)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".csv": "a CSV text file",
    ".numbers": "an Apple Numbers file",
}
SAVE_AS = "Save it as 'Excel Workbook (.xlsx)' in Excel or LibreOffice and load that file."
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse(message: str, value: object = None) -> WorkbookError:
    return WorkbookError([file_problem(message, value)])


def require_defusedxml() -> None:
    """Raise :class:`WorkbookError` unless openpyxl parses XML through defusedxml."""
    from openpyxl import xml as openpyxl_xml

    if not getattr(openpyxl_xml, "DEFUSEDXML", False):
        raise _refuse("Workbooks are not read without the 'defusedxml' package, which guards "
                      "against malicious XML; install it (pip install defusedxml).")


def check_suffix(name: str) -> None:
    """Refuse macro-enabled and non-xlsx file names with a sentence."""
    suffix = PurePath(name).suffix.casefold()
    if suffix in MACRO_SUFFIXES:
        raise _refuse(f"'{name}' is a macro-enabled workbook ({suffix}); Reserve Planner does "
                      f"not open files that can carry macros. {SAVE_AS}", name)
    if suffix in OTHER_SUFFIXES:
        raise _refuse(f"'{name}' is {OTHER_SUFFIXES[suffix]}, not an Excel workbook (.xlsx). "
                      f"{SAVE_AS}", name)


def size_text(n: int) -> str:
    """A file size in words, exact: ``"22,020,096 bytes (21.0 MiB)"``."""
    return f"{n:,} bytes ({n / 1024 / 1024:,.1f} MiB)"


def check_xlsx(data: bytes, name: str) -> None:
    """Refuse ``data`` (the bytes of file ``name``) unless it is a plain, sane ``.xlsx``.

    Raises :class:`WorkbookError` with one sentence saying why: macro-enabled (by name, by
    a ``vbaProject`` part, by a content type or relationship anywhere in those parts, or by
    a part that is a VBA project under another name), another format, damaged, larger
    than ``MAX_FILE_BYTES``, or unpacking to more than ``MAX_UNPACKED_BYTES`` or at a ratio
    above ``MAX_PART_RATIO`` (a zip bomb).
    """
    check_suffix(name)
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(f"'{name}' is {size_text(len(data))}; the limit is "
                      f"{size_text(MAX_FILE_BYTES)}, and a scenario workbook is far smaller. "
                      "It was not opened.", len(data))
    if data.startswith(_OLE_MAGIC):
        raise _refuse(f"'{name}' is an Excel 97-2003 (.xls) file or a password-protected "
                      f"workbook. Remove any password and {SAVE_AS[0].lower()}{SAVE_AS[1:]}",
                      name)
    archive = open_archive(data, name)
    try:
        _check_parts(archive, archive.infolist(), name)
    finally:
        archive.close()


def open_archive(data: bytes, name: str) -> zipfile.ZipFile:
    """``data`` as an open zip archive, or :class:`WorkbookError` with a sentence."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        archive.infolist()
    except Exception as exc:  # noqa: BLE001 - a damaged archive can fail in many ways
        raise _refuse(f"'{name}' is not an Excel workbook (.xlsx), or it is damaged: it is not "
                      f"a readable zip archive ({exc}). {SAVE_AS}", name) from None
    return archive


_MACRO_TYPES = (b"macroenabled", b"vbaproject", b"macrosheet", b"ms-office.vba")
"""Content types and relationship types (lower case) that only macro files carry."""
_VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")
"""The stream every VBA project holds, as its name is stored in an OLE directory."""


def _macro(name: str) -> WorkbookError:
    return _refuse(f"'{name}' is a macro-enabled workbook; Reserve Planner does not open "
                   f"files that can carry macros. {SAVE_AS}", name)


def _check_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_PARTS:
        raise _refuse(f"'{name}' holds {len(infos):,} parts; a workbook has a few dozen. It "
                      "looks like a zip bomb and was not opened.", len(infos))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        packed = max(1, sum(i.compress_size for i in infos))
        raise _refuse(f"'{name}' unpacks to {total / 1e6:,.0f} MB (ratio {total / packed:,.0f} "
                      f"to 1; the limit is {MAX_UNPACKED_BYTES / 1024 / 1024:,.0f} MiB); it "
                      "looks like a zip bomb and was not opened.", total)
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_CHECK_BYTES and ratio > MAX_PART_RATIO:
            raise _refuse(f"'{name}' has a part ({info.filename}) that unpacks at a ratio of "
                          f"{ratio:,.0f} to 1; it looks like a zip bomb and was not opened.",
                          info.filename)
    names = {i.filename.casefold(): i.filename for i in infos}
    macro = next((n for k, n in names.items()
                  if "vbaproject" in k or "/macrosheets/" in f"/{k}"), None)
    if macro is not None:
        raise _refuse(f"'{name}' contains a macro project ({macro}); Reserve Planner does not "
                      f"open files that can carry macros. {SAVE_AS}", macro)
    if "mimetype" in names and _read_small(archive, names["mimetype"]).startswith(
            b"application/vnd.oasis.opendocument"):
        raise _refuse(f"'{name}' is an OpenDocument spreadsheet (.ods), not an Excel workbook "
                      f"(.xlsx). {SAVE_AS}", name)
    content_types = names.get("[content_types].xml")
    if content_types is None or "xl/workbook.xml" not in names:
        raise _refuse(f"'{name}' is a zip archive but not an Excel workbook (.xlsx): it has no "
                      f"workbook part. {SAVE_AS}", name)
    # The whole of [Content_Types].xml and of every relationship part, not a prefix.
    for part in [content_types, *(n for k, n in names.items() if k.endswith(".rels"))]:
        if _scan(archive, part, _MACRO_TYPES) is not None:
            raise _macro(name)
    # A VBA project renamed and re-typed is still an OLE file holding a _VBA_PROJECT stream.
    for info in infos:
        if read_prefix(archive, info, len(_OLE_MAGIC)) == _OLE_MAGIC and \
                _scan(archive, info.filename, (_VBA_STREAM,), ignore_case=False) is not None:
            raise _refuse(f"'{name}' contains a macro project ({info.filename}); Reserve "
                          f"Planner does not open files that can carry macros. {SAVE_AS}",
                          info.filename)


def _scan(archive: zipfile.ZipFile, part: str, needles: tuple[bytes, ...],
          ignore_case: bool = True) -> bytes | None:
    try:
        return scan_part(archive, part, needles, ignore_case=ignore_case)
    except Exception:  # noqa: BLE001 - a damaged part is judged when it is parsed
        return None


def _read_small(archive: zipfile.ZipFile, part: str) -> bytes:
    """The first 64 kB of ``part``; a damaged part reads as empty (openpyxl will say more)."""
    try:
        with archive.open(part) as f:
            return f.read(65536)
    except Exception:  # noqa: BLE001 - damaged archives raise many kinds; judged later
        return b""


def problems_from_xml_attack(name: str) -> list[WorkbookProblem]:
    """The problem reported when defusedxml refused part of ``name``."""
    return [file_problem(f"'{name}' contains XML entity or DTD declarations, which workbooks "
                         "written by Excel or LibreOffice never do; it may be an attack and "
                         "was not read.", name)]
