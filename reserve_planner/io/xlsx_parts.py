"""Stream the XML parts of a ``.xlsx`` archive with a bounded amount of work.

Every part is parsed by expat straight from the zip stream, 64 kB at a time, with handlers
that keep only what the reader needs and stop as soon as they have it (the end of
``<sheetData>``, the last shared string a cell refers to). Each handler counts the
elements it sees and refuses the file when a part holds far more than any workbook Excel
or LibreOffice writes, so the time and memory of a read are bounded by the limits below,
not by what a file claims. DTDs and entity declarations are refused (billion laughs,
external entities), as defusedxml does.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from xml.parsers import expat

CHUNK_BYTES = 65536
"""Bytes of a decompressed part handed to expat at a time [bytes]."""


MAX_TOKEN_BYTES = 4 * 1024 * 1024
"""Largest run of a part that expat may see as one unfinished item (comment, tag,
attribute) [bytes]; the largest thing Excel writes in one piece is a cell's text, at most
32,767 characters (128 kB in UTF-8)."""


class StopParsingError(Exception):
    """Raised by a handler when it has everything it needs from a part."""


class XmlAttackError(Exception):
    """The part declares a DTD or entities, which Excel and LibreOffice never write."""


class PartLimitError(Exception):
    """A part holds more than a workbook ever does; ``message`` says what, in words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _forbidden(*_args: object) -> None:
    raise XmlAttackError()


def local(name: str) -> str:
    """``"{uri}c"`` or ``"uri}c"`` -> ``"c"``."""
    return name[name.rfind("}") + 1:]


def parse_part(archive: zipfile.ZipFile, part: str, start: Callable | None = None,
               end: Callable | None = None, data: Callable | None = None) -> None:
    """Feed ``part`` of ``archive`` to expat with the given handlers.

    Element names reach the handlers as ``"namespace}local"`` (or just ``"local"``).
    Returns when the part ends or a handler raises :class:`StopParsingError`. Raises
    :class:`XmlAttackError` for DTD or entity declarations, ``expat.ExpatError`` for XML that
    is not well-formed, and whatever the handlers raise (:class:`PartLimitError`).
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = CHUNK_BYTES
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if data is not None:
        parser.CharacterDataHandler = data
    fed = 0
    size = CHUNK_BYTES
    try:
        with archive.open(part) as f:
            while True:
                chunk = f.read(size)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
                fed += len(chunk)
                # expat re-scans an unfinished token (a comment, a tag) on every call, so a
                # huge one costs time squared: refuse it, and meanwhile read as much again as
                # is pending, so the re-scans add up to twice what was read
                pending = fed - max(0, parser.CurrentByteIndex)
                if pending > MAX_TOKEN_BYTES:
                    raise PartLimitError(
                        f"{part} holds an XML comment, tag or other single item of "
                                    f"more than {MAX_TOKEN_BYTES // 1024 // 1024} MiB; Excel "
                                    "and LibreOffice write none that large.")
                size = max(CHUNK_BYTES, pending)
    except StopParsingError:
        return


def scan_part(archive: zipfile.ZipFile, part: str, needles: tuple[bytes, ...],
              *, ignore_case: bool = True) -> bytes | None:
    """The first of ``needles`` found anywhere in ``part`` (read whole, in chunks), or
    None. Needles are matched across chunk boundaries."""
    keep = max(len(n) for n in needles) - 1
    tail = b""
    with archive.open(part) as f:
        while True:
            chunk = f.read(CHUNK_BYTES)
            if not chunk:
                return None
            window = tail + (chunk.lower() if ignore_case else chunk)
            for needle in needles:
                if needle in window:
                    return needle
            tail = window[-keep:] if keep else b""


def read_prefix(archive: zipfile.ZipFile, info: zipfile.ZipInfo, n: int) -> bytes:
    """The first ``n`` bytes of a part; a damaged part reads as empty."""
    try:
        with archive.open(info) as f:
            return f.read(n)
    except Exception:  # noqa: BLE001 - damaged archives raise many kinds; judged later
        return b""
