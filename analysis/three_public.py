"""The 三公经费 table read as {side: {component: item}}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from analysis.narrative import UP, direction_before, numbers, section_text
from parsers.model import DocumentKind, LineItem, ParsedDocument, ParsedTable

__all__ = ["COMPONENTS", "COMPONENT_NAMES", "three_public_table", "three_public_figures", "StatedChange", "stated_changes"]

COMPONENTS = ("total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
COMPONENT_NAMES = {
    "total": "三公经费合计",
    "abroad": "因公出国(境)费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}


def three_public_table(doc: ParsedDocument) -> ParsedTable | None:
    return doc.table("final_three_public") or doc.table("budget_three_public")


def three_public_figures(doc: ParsedDocument) -> dict[str, dict[str, LineItem]]:
    """``budget`` / ``final`` / ``prior`` → component → first item.

    A budget document's unprefixed columns are its 预算数.
    """
    table = three_public_table(doc)
    found: dict[str, dict[str, LineItem]] = {}
    if table is None:
        return found
    default_side = "final" if doc.kind == DocumentKind.FINAL else "budget"
    for item in table.items:
        side, _, component = item.column_key.rpartition(".")
        side = side or default_side
        if component in COMPONENTS:
            found.setdefault(side, {}).setdefault(component, item)
    return found


# Narrative names of the components (公务用车运行维护费 / 运行维护支出 …); at one place the first listed wins
# (公务用车购置及运行费 is vehicle_total, not vehicle_purchase).
_NARRATIVE_NAMES = (
    ("vehicle_total", ("公务用车购置及运行",)),
    ("vehicle_operation", ("公务用车运行",)),
    ("vehicle_purchase", ("公务用车购置",)),
    ("abroad", ("因公出国",)),
    ("reception", ("公务接待",)),
    ("total", ("三公",)),
)
_CHANGE_BEFORE = re.compile(r"(?:比|较|与)上年(?:度)?(?:预算数?|决算数?)?(?:相比)?[，,]?\s*(?:增加|减少|增长|下降)\s*$")


@dataclass(frozen=True)
class StatedChange:
    """A 三公 component's figure and last year's, as the narrative states them
    ("公务用车运行维护费 3 万元 … 比上年预算数增加 1.70 万元")."""

    component: str
    current: Decimal
    previous: Decimal
    page: int | None


def _component_before(text: str, position: int) -> str | None:
    """The component named in the sentence of the amount at ``position``."""
    window = text[max(text.rfind(c, 0, position) for c in "。；;") + 1 : position]
    best: tuple[int, str] | None = None
    for component, names in _NARRATIVE_NAMES:
        for name in names:
            at = window.rfind(name)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, component)
    return best[1] if best else None


def stated_changes(doc: ParsedDocument) -> list[StatedChange]:
    """Changes the 三公 section states: this year's figure is the nearest
    amount before "比上年增加/减少 C 万元", its component the nearest name
    before that amount; one statement per component (the first)."""
    text, section = section_text(doc.sections, "三公")
    found: dict[str, StatedChange] = {}
    # printed lines wrap inside sentences ("增加1\n万元"): read the section as one text
    for paragraph in (text.replace("\n", ""),):
        nums = [n for n in numbers(paragraph) if n.is_money]
        for index, change in enumerate(nums):
            if index == 0 or not _CHANGE_BEFORE.search(paragraph[max(0, change.start - 16) : change.start]):
                continue
            current = nums[index - 1]
            component = _component_before(paragraph, current.start)
            if component is None or component in found:
                continue
            sign = 1 if direction_before(paragraph, change.start) == UP else -1
            found[component] = StatedChange(
                component, current.in_wan(), current.in_wan() - sign * change.in_wan(), section.page if section else None
            )
    return list(found.values())
