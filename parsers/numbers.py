"""Reading printed amounts into ``Decimal`` without ever guessing silently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NumberCell", "read_number", "normalise_cell", "BLANK_MARKS"]

BLANK_MARKS = frozenset({"", "-", "—", "--", "——", "－", "/", "—-", "-—"})
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")
_PAREN_NEGATIVE = re.compile(r"^\((\d+(\.\d+)?)\)$")
_SPACED = re.compile(r"(?<=[\d.,])\s+(?=[\d.,])")


@dataclass(frozen=True)
class NumberCell:
    """``value`` is None for a blank cell; ``malformed`` when digits could not be read."""

    text: str
    value: Decimal | None
    malformed: bool = False

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.malformed


def _squeeze(raw: str) -> str:
    text = raw.strip().replace("，", ",").replace("．", ".").replace("％", "%")
    text = text.replace("−", "-").replace("－", "-")
    return _SPACED.sub("", text)


def normalise_cell(raw: str | None) -> str | None:
    """The printed cell with numbers normalised: ``599. 47`` → ``599.47``, ``3,026.66`` → ``3026.66``.

    Text cells come back with inner line breaks joined; malformed numbers stay raw;
    digits alone (a 科目代码 part, a 行次) keep their leading zeros.
    """
    if raw is None:
        return None
    text = raw.replace("\n", "").strip()
    if not text:
        return None
    if text.isdigit():
        return text  # a code or 行次 as printed: 03 stays 03
    cell = read_number(text)
    if cell.value is not None:
        return format(cell.value, "f")
    return text


def read_number(raw: str | None) -> NumberCell:
    """Read one cell. Only digit-shaped text is a number; '35.36.00' is malformed."""
    text = _squeeze(raw or "")
    if text in BLANK_MARKS:
        return NumberCell(raw or "", None)
    digits = text.replace(",", "")
    negative = _PAREN_NEGATIVE.match(digits)
    if negative:
        digits = "-" + negative.group(1)
    if _NUMBER.match(digits):
        try:
            return NumberCell(raw or "", Decimal(digits))
        except InvalidOperation:  # pragma: no cover - regex guarantees shape
            pass
    if re.fullmatch(r"[-+]?[\d.,]+", digits) and re.search(r"\d", digits):
        return NumberCell(raw or "", None, malformed=True)
    return NumberCell(raw or "", None)
