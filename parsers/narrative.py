"""The narrative (情况说明): sections by heading, and the figures stated in them."""

from __future__ import annotations

import re
from decimal import Decimal

from parsers.layout import TextLine
from parsers.model import NarrativeFigure, ParseWarning, Section
from parsers.text import clean

__all__ = ["read_sections", "extract_figures"]

_HEADINGS = (
    (1, re.compile(r"^第[一二三四五六七八九十]+部分")),
    (2, re.compile(r"^[一二三四五六七八九十]+[、.．]\s*\S")),
    (3, re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
)
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)*)\s*(万元|亿元|元)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)*)\s*%")
_COUNT = re.compile(r"(\d+)\s*(人次|批次|个团组|团组|辆|台|套|人)(?![民均])")
_UP = ("增加", "增长", "上升", "提高", "增幅")
_DOWN = ("减少", "下降", "降低", "减幅", "节约")
_SAME = ("持平", "无变化", "不存在差异", "一致")
_SHARE = ("占",)
_LABEL = re.compile(r"([\u4e00-\u9fff（）()“”\"]{2,24})(?:支出|为|共计|合计|是)?\s*$")


def _heading_level(text: str) -> int | None:
    if len(text) > 60:
        return None
    for level, pattern in _HEADINGS:
        if pattern.match(text):
            return level
    return None


def _direction(before: str) -> str | None:
    window = before[-12:]
    positions = {word: window.rfind(word) for word in (*_UP, *_DOWN, *_SAME)}
    found = max(positions.items(), key=lambda kv: kv[1])
    if found[1] < 0:
        return None
    if found[0] in _UP:
        return "增加"
    if found[0] in _DOWN:
        return "减少"
    return "持平"


def _label(before: str) -> str | None:
    clause = re.split(r"[，。；：,;:！]", before)[-1]
    clause = re.sub(r"(比上年|较上年|与上年度?相比|同比|比上年度?)?(增加|减少|增长|下降|上升|降低)?$", "", clause)
    match = _LABEL.search(clause)
    return match.group(1) if match else None


def extract_figures(text: str, page: int | None, section: str | None) -> tuple[list[NarrativeFigure], list[ParseWarning]]:
    """Amounts, shares, rates and counts of one section's text, each with its sentence."""
    figures: list[NarrativeFigure] = []
    warnings: list[ParseWarning] = []
    sentences = re.split(r"(?<=[。；;！])", text)
    for sentence in sentences:
        for kind, pattern in (("amount", _AMOUNT), ("percent", _PERCENT), ("count", _COUNT)):
            for match in pattern.finditer(sentence):
                raw_number = match.group(1).replace(",", "")
                if raw_number.count(".") > 1:
                    warnings.append(
                        ParseWarning("malformed_number", f"说明文字中的数字格式错误：{match.group(0)}", page=page, raw=match.group(0))
                    )
                    continue
                before = sentence[: match.start()]
                direction = _direction(before)
                figure_kind = kind
                if kind == "percent":
                    figure_kind = "share" if any(w in before[-8:] for w in _SHARE) else "rate"
                value = Decimal(raw_number)
                if figure_kind == "rate" and direction == "减少":
                    value = -value
                unit = match.group(2) if kind in ("amount", "count") else "%"
                figures.append(
                    NarrativeFigure(
                        kind=figure_kind,
                        value=value,
                        unit=unit,
                        raw=match.group(0),
                        label=_label(before),
                        direction=direction,
                        context=sentence.strip()[:300],
                        page=page,
                        section=section,
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
