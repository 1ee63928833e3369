"""Number and date formatting shared by the report sections: thousands separators, units in
the text (t, t/yr, days, $/kg, $M), and a dash for values that do not exist."""

from __future__ import annotations

import math
import re

from ..optimize import month_label as month_label  # the engine's "YYYY-MM", re-exported

DASH = "\u2013"  # shown where a value does not exist (NaN, no plan)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def _bad(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def musd(usd: float | None, decimals: int = 1) -> str:
    """Millions of dollars without the unit, e.g. ``"1,444.4"``; a dash for NaN."""
    if _bad(usd):
        return DASH
    value = usd / 1e6
    if abs(value) < 0.5 * 10.0**-decimals:
        value = 0.0
    return f"{value:,.{decimals}f}"


def money(usd: float | None, decimals: int = 1) -> str:
    """Dollars in millions with the unit, e.g. ``"$1,444.4M"`` or ``"-$55.3M"``."""
    if _bad(usd):
        return "n/a"
    text = musd(abs(usd), decimals)  # type: ignore[arg-type]
    sign = "-" if usd < 0 and musd(usd, decimals).startswith("-") else ""  # type: ignore[operator]
    return f"{sign}${text}M"


def tonnes(t: float | None, decimals: int | None = None) -> str:
    """A tonnage without the unit: whole tonnes from 100 t up, one decimal below."""
    if _bad(t):
        return DASH
    if decimals is None:
        decimals = 0 if abs(t) >= 100 else 1  # type: ignore[arg-type]
    if abs(t) < 0.5 * 10.0**-decimals:  # type: ignore[arg-type]
        t = 0.0
    return f"{t:,.{decimals}f}"


def number(value: float | None, decimals: int = 0) -> str:
    """A plain number with thousands separators."""
    if _bad(value):
        return DASH
    return f"{value:,.{decimals}f}"


def days(value: float | None) -> str:
    """Days of cover, whole days; "no imports" for an infinite cover (nothing imported)."""
    if value is not None and isinstance(value, float) and math.isinf(value):
        return "no imports"
    return number(value, 0)


def usd_per_kg(value: float | None) -> str:
    """A price in $/kg with the unit: ``"$77/kg"``, ``"$104.50/kg"``."""
    if _bad(value):
        return "n/a"
    whole = abs(value - round(value)) < 0.005  # type: ignore[arg-type]
    return f"${value:,.0f}/kg" if whole else f"${value:,.2f}/kg"


def share(value: float | None, decimals: int = 0) -> str:
    """A fraction as a percentage, e.g. ``0.25 -> "25%"``."""
    if _bad(value):
        return DASH
    return f"{value * 100:,.{decimals}f}%"  # type: ignore[operator]


def probability(value: float) -> str:
    """A probability as a percentage with enough digits to tell small ones apart."""
    pct = value * 100
    if pct == 0:
        return "0%"
    if pct < 1:
        return f"{pct:.2f}%"
    if pct < 10:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def month_words(start_year: int, month: int) -> str:
    """Plan month as words, e.g. ``"July 2028"``."""
    y, m = divmod(int(month), 12)
    return f"{MONTH_NAMES[m]} {start_year + y}"


def label_words(label: str) -> str:
    """A ``"YYYY-MM"`` label as words, e.g. ``"2028-07" -> "July 2028"``."""
    try:
        y, m = (int(x) for x in label.split("-"))
    except ValueError:
        return label
    return f"{MONTH_NAMES[m - 1]} {y}" if 1 <= m <= 12 else label


def join_words(items: list[str]) -> str:
    """``["a", "b", "c"] -> "a, b and c"``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def series(values: tuple[float, ...], fmt=number) -> str:
    """A yearly series in a few characters: ``"1,300 every year"`` or ``"381 to 1,243"``."""
    if not values:
        return DASH
    if all(abs(v - values[0]) < 1e-9 for v in values):
        return f"{fmt(values[0])} every year"
    return f"{fmt(values[0])} to {fmt(values[-1])}"


def common_decimals(values, most: int = 2) -> int:
    """The fewest decimals (up to ``most``) that show every one of ``values`` exactly, so
    a column reads 110.00 next to 95.50, or 110 next to 95, never 110 next to 95.50."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    for d in range(most + 1):
        if all(abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)) for v in finite):
            return d
    return most


_PLAIN_NUMBER = re.compile(r"^(?P<pre>[-−+]?\$?)(?P<int>\d{1,3}(?:,\d{3})*|\d+)"
                           r"(?:\.(?P<dec>\d+))?(?P<post>%?)$")


def align_decimals(texts: list[str]) -> list[str]:
    """``texts`` (one table column) with every plain number given as many decimals as the
    one with the most, so the column reads consistently (``["477", "64.8"]`` becomes
    ``["477.0", "64.8"]``); other texts ("none", "–", words) are left alone."""
    matches = [_PLAIN_NUMBER.match(t.strip()) for t in texts]
    decimals = [len(m.group("dec") or "") for m in matches if m]
    if len(decimals) < 2 or len(set(decimals)) == 1:
        return list(texts)
    most = max(decimals)
    out = []
    for text, m in zip(texts, matches, strict=True):
        if m is None:
            out.append(text)
            continue
        dec = (m.group("dec") or "").ljust(most, "0")
        out.append(f"{m.group('pre')}{m.group('int')}.{dec}{m.group('post')}")
    return out
