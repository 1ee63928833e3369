"""Turn what a spreadsheet program stored in a cell into a number, a whole number, a yes/no
or text, accepting the forms people actually type.

Numbers stored as text are read when their meaning is clear:

* thousands separators: ``"1,200"``, ``"1 200"`` (also no-break and thin spaces),
  ``"1'200"``, ``"1.200.000"``;
* a decimal comma where it cannot be a thousands separator: ``"0,25"``, ``"12,5"``,
  ``"1.234,5"``; a comma followed by exactly three digits is a thousands separator, so
  ``"1,200"`` is 1200;
* a currency sign or code before or after: ``"$110"``, ``"110 USD"``, ``"-$5"``;
* a trailing percent sign, which divides by 100: ``"15%"`` is 0.15;
* accounting negatives ``"(1,200)"`` and the typographic minus ``"−5"``.

NaN and infinity are never numbers here.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

_SPACES = "\u00a0\u202f\u2009\u2007 '"
_CURRENCY = r"(?:US\$|USD|\$|€|EUR|£|GBP)"
_CURRENCY_START = re.compile(rf"^{_CURRENCY}\s*", re.IGNORECASE)
_CURRENCY_END = re.compile(rf"\s*{_CURRENCY}$", re.IGNORECASE)
_EXP = r"(?:[eE][+-]?\d+)?"
_PLAIN = re.compile(rf"^(?:\d+\.?\d*|\.\d+){_EXP}$")
_US_GROUPS = re.compile(rf"^[1-9]\d{{0,2}}(?:,\d{{3}})+(?:\.\d*)?{_EXP}$")
_EU_GROUPS = re.compile(rf"^[1-9]\d{{0,2}}(?:\.\d{{3}})+(?:,\d*)?{_EXP}$")
_SPACE_GROUPS = re.compile(rf"^[1-9]\d{{0,2}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d*)?{_EXP}$")
_DECIMAL_COMMA = re.compile(rf"^(?:\d+,\d*|,\d+){_EXP}$")


def parse_number_text(text: str) -> float | None:
    """The number a text means, or None when it does not clearly mean one.

    >>> parse_number_text("1,200"), parse_number_text("15%"), parse_number_text("$110")
    (1200.0, 0.15, 110.0)
    >>> parse_number_text("0,25"), parse_number_text("1.234,5"), parse_number_text("abc")
    (0.25, 1234.5, None)
    """
    s = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    if not s:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    s = _CURRENCY_END.sub("", _CURRENCY_START.sub("", s))
    if s[:1] in ("+", "-"):  # "-$5" and "$-5" are both common; one sign only
        if negative and s[:1] == "-":
            return None
        negative = s[:1] == "-"
        s = _CURRENCY_START.sub("", s[1:].lstrip())
    if s.endswith("%") and not percent:
        percent, s = True, s[:-1].rstrip()
    core = _number_core(s)
    if core is None:
        return None
    try:
        value = float(core)
    except ValueError:  # pragma: no cover - the patterns only let float syntax through
        return None
    if not math.isfinite(value):
        return None
    if percent:
        value /= 100.0
    return -value if negative else value


def _number_core(s: str) -> str | None:
    """``s`` in Python float syntax, or None."""
    if _PLAIN.match(s):
        return s
    if _US_GROUPS.match(s):
        return s.replace(",", "")
    if _SPACE_GROUPS.match(s):
        for ch in _SPACES:
            s = s.replace(ch, "")
        return s.replace(",", ".")
    if _EU_GROUPS.match(s) and (s.count(".") > 1 or "," in s):
        return s.replace(".", "").replace(",", ".")
    if _DECIMAL_COMMA.match(s) and not _US_GROUPS.match(s):
        return s.replace(",", ".")
    return None


def number_from_cell(value: object) -> float | None:
    """The finite number a cell value means (a number, or text that clearly is one)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, str):
        return parse_number_text(value)
    return None


def is_date(value: object) -> bool:
    return isinstance(value, datetime | date | time | timedelta)


def whole_number(value: float) -> int | None:
    """``value`` as an int when it is a whole number, else None."""
    if math.isfinite(value) and value == math.floor(value) and abs(value) < 2**53:
        return int(value)
    return None


_TRUE = {"true", "yes", "y", "1", "x", "wahr", "vrai", "ja", "oui", "sí", "si"}
_FALSE = {"false", "no", "n", "0", "", "falsch", "faux", "nein", "non"}


def bool_from_cell(value: object) -> bool | None:
    """A yes/no cell: TRUE/FALSE, 1/0, or text such as yes/no; None when unclear."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        t = value.strip().casefold()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
    return None


def text_from_cell(value: object) -> str:
    """What a cell shows as text: numbers without a trailing ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and whole_number(value) is not None:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def is_blank(value: object) -> bool:
    """Empty, or text of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: object) -> str:
    """A value as it goes into a message: numbers plainly, text quoted."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if whole_number(value) is not None and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)
