"""Where a default number comes from.

Every number the program ships carries a :class:`Source`: the article, a public figure, a
value derived from public figures by a stated rule, or an assumption with a one-line rationale.
Sources travel with the data in :attr:`PlanInputs.sources`, keyed by a field path such as
``"materials/NdPr oxide/price_usd_per_kg"`` (see :func:`field_path`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SourceKind(StrEnum):
    """How a number was obtained."""

    ARTICLE = "article"
    PUBLIC_FIGURE = "public figure"
    DERIVED = "derived"
    ASSUMPTION = "assumption"
    USER = "user"


@dataclass(frozen=True)
class Source:
    """The provenance of one input number.

    Attributes
    ----------
    kind : SourceKind
        Article, public figure, derived, assumption, or user-entered.
    reference : str
        Short name of the document (``"USGS MCS 2025"``), empty for assumptions.
    detail : str
        What exactly was taken, or for an assumption the one-line rationale.
    """

    kind: SourceKind
    reference: str = ""
    detail: str = ""

    @property
    def is_assumption(self) -> bool:
        return self.kind is SourceKind.ASSUMPTION

    def label(self) -> str:
        """One readable line, e.g. ``"public figure: USGS MCS 2025 (US imports 2024)"``."""
        head = f"{self.kind.value}: {self.reference}" if self.reference else self.kind.value
        return f"{head} ({self.detail})" if self.detail else head


USER_EDIT = Source(SourceKind.USER, "", "changed by the user")


def field_path(*parts: str) -> str:
    """Join a table name, a row name and a field into a source key.

    >>> field_path("materials", "NdPr oxide", "price_usd_per_kg")
    'materials/NdPr oxide/price_usd_per_kg'
    """
    return "/".join(parts)
