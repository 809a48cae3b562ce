"""Numbers of the narrative (情况说明) read from section text, in order.

Analysis reads the text itself rather than trusting every extracted figure:
it needs the order of numbers inside a paragraph (the base of a share, the
change before a rate) and their printed precision (for the tolerance).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from parsers.model import Section

__all__ = ["Number", "section_text", "normalise_text", "paragraphs", "numbers", "direction_before", "subject_key"]

_NUM = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|亿元|元|%|个|人次|辆|台|次)")
_DIRECTION = re.compile(r"(增加|增长|上升|提高|减少|下降|降低|持平)")
UP, DOWN = "增加", "减少"


@dataclass(frozen=True)
class Number:
    """A number of the text: value, printed decimals, unit and place."""

    value: Decimal
    decimals: int
    unit: str
    start: int
    end: int
    raw: str

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit: the rounding uncertainty."""
        return Decimal(5) / Decimal(10) ** (self.decimals + 1)

    @property
    def is_money(self) -> bool:
        return self.unit in ("万元", "亿元", "元")

    def in_wan(self) -> Decimal:
        return {"元": self.value / 10000, "亿元": self.value * 10000}.get(self.unit, self.value)


def normalise_text(text: str) -> str:
    """Width variants folded; numbers split by spaces (``599. 47``) joined."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)\s*\.\s*(?=\d)", ".", text)
    return re.sub(r"(?<=\d)\s+(?=%)", "", text)


def paragraphs(section: Section) -> list[str]:
    return [p.strip() for p in normalise_text(section.text).split("\n") if p.strip()]


def numbers(text: str) -> Iterator[Number]:
    for match in _NUM.finditer(text):
        whole, frac, unit = match.group(1), match.group(2) or "", match.group(3)
        yield Number(
            value=Decimal(whole.replace(",", "") + frac),
            decimals=max(0, len(frac) - 1),
            unit=unit,
            start=match.start(),
            end=match.end(),
            raw=match.group(0),
        )


def direction_before(text: str, position: int, window: int = 12) -> str | None:
    """增加/减少 when a direction word stands just before ``position``."""
    found = _DIRECTION.findall(text[max(0, position - window) : position])
    if not found:
        return None
    word = found[-1]
    if word == "持平":
        return word
    return UP if word in ("增加", "增长", "上升", "提高") else DOWN


def section_text(sections: list[Section], keyword: str) -> tuple[str, Section | None]:
    """Text of the first section whose heading names ``keyword`` and that has
    text, with its subsections (until the next heading of the same or a higher
    level); a table-of-contents entry of the same name has none."""
    for index, section in enumerate(sections):
        if keyword in normalise_text(section.heading):
            parts = [section.text]
            for sub in sections[index + 1 :]:
                if sub.level <= section.level:
                    break
                parts.append(sub.heading + "\n" + sub.text)
            if any(p.strip() for p in parts[:1]) or len(parts) > 1:
                return normalise_text("\n".join(parts)), section
    return "", None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def subject_key(text: str, start: int) -> str:
    """What a statement at ``start`` is about, as a fingerprint part: the
    words just before its sentence (the 项 named in the previous sentence)
    and its own opening, digits removed, so two statements of one section
    keep two identities."""
    sentence_start = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
    before = _compact(text[:sentence_start])[-16:]
    own = _compact(text[sentence_start:start])[:16]
    return re.sub(r"[\d.,%]+", "", f"{before}|{own}")
