"""The narrative (情况说明): sections by heading, and the figures stated in them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from parsers.layout import TextLine
from parsers.model import NarrativeFigure, ParseWarning, Section
from parsers.text import clean

__all__ = ["read_sections", "extract_figures", "Number", "numbers", "direction_before", "normalise_text", "UP", "DOWN", "SAME"]

_HEADINGS = (
    (1, re.compile(r"^第[一二三四五六七八九十]+部分")),
    (2, re.compile(r"^[一二三四五六七八九十]+[、.．]\s*\S")),
    (3, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
)
# The one reader of numbers in text (the checks read the narrative with it too): a number,
# its printed precision and its unit; a count unit only where it counts (人 not in 人民/人均)
_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*"
    r"(万元|亿元|元|%|个团组|团组|批次|人次|个|次|辆|台|套|人(?![民均]))"
)
_MALFORMED = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}\s*(?:万元|亿元|元|%)")
_DIRECTION = re.compile(r"(增加|增长|上升|提高|增幅|减少|下降|降低|减幅|节约|持平|无变化|不存在差异|一致)")
_UP_WORDS = ("增加", "增长", "上升", "提高", "增幅")
_SAME_WORDS = ("持平", "无变化", "不存在差异", "一致")
_MONEY_UNITS = ("万元", "亿元", "元")
UP, DOWN, SAME = "增加", "减少", "持平"
_SHARE = ("占",)
_LABEL = re.compile(r"([\u4e00-\u9fff（）()“”\"]{2,24})(?:支出|为|共计|合计|是)?\s*$")


def _heading_level(text: str) -> int | None:
    if len(text) > 60:
        return None
    for level, pattern in _HEADINGS:
        if pattern.match(text):
            return level
    return None


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
        return self.unit in _MONEY_UNITS

    def in_wan(self) -> Decimal:
        return {"元": self.value / 10000, "亿元": self.value * 10000}.get(self.unit, self.value)


def normalise_text(text: str) -> str:
    """Width variants folded; numbers split by spaces (``599. 47``) joined."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)\s*\.\s*(?=\d)", ".", text)
    return re.sub(r"(?<=\d)\s+(?=%)", "", text)


def numbers(text: str) -> Iterator[Number]:
    """The numbers of a text with a unit, in order."""
    for match in _NUMBER.finditer(text):
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
    """增加/减少/持平 when a direction word stands just before ``position``."""
    found = _DIRECTION.findall(text[max(0, position - window) : position])
    if not found:
        return None
    word = found[-1]
    if word in _SAME_WORDS:
        return SAME
    return UP if word in _UP_WORDS else DOWN


def _label(before: str) -> str | None:
    clause = re.split(r"[，。；：,;:！]", before)[-1]
    clause = re.sub(r"(比上年|较上年|与上年度?相比|同比|比上年度?)?(增加|减少|增长|下降|上升|降低)?$", "", clause)
    match = _LABEL.search(clause)
    return match.group(1) if match else None


def extract_figures(text: str, page: int | None, section: str | None) -> tuple[list[NarrativeFigure], list[ParseWarning]]:
    """Amounts, shares, rates and counts of one section's text, each with its sentence."""
    figures: list[NarrativeFigure] = []
    warnings = [
        ParseWarning("malformed_number", f"说明文字中的数字格式错误：{m.group(0)}", page=page, raw=m.group(0))
        for m in _MALFORMED.finditer(text)
    ]
    for sentence in re.split(r"(?<=[。；;！])", normalise_text(text)):
        for number in numbers(sentence):
            before = sentence[: number.start]
            direction = direction_before(sentence, number.start)
            value = number.value
            if number.is_money:
                kind = "amount"
            elif number.unit == "%":
                kind = "share" if any(w in before[-8:] for w in _SHARE) else "rate"
                value = -value if kind == "rate" and direction == DOWN else value
            else:
                kind = "count"
            figures.append(
                NarrativeFigure(
                    kind=kind, value=value, unit=number.unit, raw=number.raw, label=_label(before),
                    direction=direction, context=sentence.strip()[:300], page=page, section=section,
                )
            )
    return figures, warnings


def read_sections(lines: list[TextLine]) -> tuple[list[Section], list[ParseWarning]]:
    """Split narrative lines by headings; skip the table of contents."""
    sections: list[Section] = []
    warnings: list[ParseWarning] = []
    toc_pages = {l.page for l in lines if re.fullmatch(r"目\s*录", clean(l.text))}
    current: Section | None = None
    buffer: list[str] = []

    def flush() -> None:
        if current is None:
            return
        current.text = "".join(buffer)
        figures, found = extract_figures(current.text, current.page, current.heading)
        current.figures = figures
        warnings.extend(found)
        sections.append(current)

    for line in lines:
        if line.page in toc_pages:
            continue
        text = clean(line.text)
        level = _heading_level(text)
        if level is not None:
            flush()
            buffer = []
            current = Section(heading=text, level=level, page=line.page, text="")
            continue
        if current is None:
            current = Section(heading="", level=0, page=line.page, text="")
        buffer.append(text)
    flush()
    return sections, warnings
