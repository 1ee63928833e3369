"""Numbers as a planner reads them: "$533M", "1,999 t", "252 days". No Qt here."""

from __future__ import annotations

import html
import math

from ..optimize import PlanResult, SolveStatus

DASH = "–"


def _bad(x: float) -> bool:
    return x is None or not math.isfinite(x)


def money(usd: float, signed: bool = False) -> str:
    """Dollars in $K, $M or $B with three significant figures at most, e.g. ``$3.61B``."""
    if _bad(usd):
        return DASH
    sign = "−" if usd < 0 else ("+" if signed and usd > 0 else "")
    a = abs(usd)
    if a >= 1e9:
        return f"{sign}${a / 1e9:,.2f}B"
    if a >= 1e6:
        return f"{sign}${a / 1e6:,.0f}M" if a >= 1e8 else f"{sign}${a / 1e6:,.1f}M"
    if a >= 1e3:
        return f"{sign}${a / 1e3:,.0f}K"
    return f"{sign}${a:,.0f}"


def tonnes(t: float) -> str:
    if _bad(t):
        return DASH
    return f"{t:,.1f} t" if abs(t) < 100 else f"{t:,.0f} t"


def number(x: float, decimals: int = 0) -> str:
    return DASH if _bad(x) else f"{x:,.{decimals}f}"


def ratio(x: float) -> str:
    if x is None or math.isnan(x):
        return DASH
    if math.isinf(x):
        return "∞"
    return f"{x:,.1f}×"


def month_label(start_year: int, month: int) -> str:
    """Plan month (0 = January of ``start_year``) as ``"Mar 2029"``."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{names[month % 12]} {start_year + month // 12}"


STATUS_WORDS = {
    SolveStatus.OPTIMAL: "Optimal plan found",
    SolveStatus.TIME_LIMIT: "Best plan found within the time limit (may not be optimal)",
    SolveStatus.INFEASIBLE: "No plan meets all the limits",
    SolveStatus.INVALID_INPUT: "The inputs have problems",
    SolveStatus.ERROR: "The solver failed",
}


def status_sentence(result: PlanResult) -> str:
    """One line for the status bar."""
    words = STATUS_WORDS.get(result.status, result.status.value)
    if result.status is SolveStatus.INFEASIBLE and result.conflicts:
        groups = sorted({c.group for c in result.conflicts})
        return f"{words}: {', '.join(groups)} conflict (details in the plan view)"
    if result.status is SolveStatus.INVALID_INPUT and result.problems:
        n = len(result.problems)
        return f"{words}: {n} to fix (details in the plan view)"
    return words


def tooltip_html(text: str) -> str:
    """Plain ``text`` as a rich-text tooltip that shows it literally.

    Qt guesses whether a tooltip is HTML, so a name such as ``<img src="/some/file.png">``
    would load that file; escaping and wrapping it makes the text rich on purpose, with
    every character shown as typed and line breaks kept (runs of spaces show as one).
    """
    if not text:
        return ""
    body = html.escape(str(text), quote=False).replace("\n", "<br>")
    return f"<qt>{body}</qt>"
