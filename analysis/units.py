"""The subordinate units a 部门 document says it covers (预算/决算单位构成).

The narrative states them as "纳入本部门……编制范围的单位共 2 家，具体包括：
A（本级）、B。" Only a list that reads cleanly is returned: every entry shaped
like a body's name and, when a count is stated, as many entries as the count.
"""

from __future__ import annotations

import re

from analysis.narrative import normalise_text
from parsers.model import ParsedDocument

__all__ = ["stated_units"]

_SCOPE = re.compile(r"单位构成|编制范围|所属单位|下属单位|二级(?:预算|决算)?单位")
_LIST = re.compile(r"(?:具体)?包括[:：]|共\s*\d+\s*[个家][:：]")
_COUNT = re.compile(r"共\s*(\d+)\s*[个家]")
_NUMBERING = re.compile(r"^(?:\d+[.、．]|[(（]\d+[)）])")
_NAME = re.compile(r"[\u4e00-\u9fff()（）]{4,40}")
_NOT_A_UNIT = re.compile(r"^无|二级(?:预算|决算)?单位$")


def stated_units(doc: ParsedDocument) -> list[str]:
    """Unit names listed in the 单位构成 statement, the 本级 entry excluded."""
    for section in doc.sections:
        text = normalise_text(f"{section.heading}\n{section.text}")
        for sentence in re.split(r"[。\n]", text):
            found = _units(sentence)
            if found is not None:
                return found
    return []


def _units(sentence: str) -> list[str] | None:
    """The listed units, or ``None`` when the sentence is no clean list."""
    start = _LIST.search(sentence)
    if not _SCOPE.search(sentence) or start is None:
        return None
    entries = [_NUMBERING.sub("", e.strip()).removesuffix("等") for e in re.split(r"[、，,；;]", sentence[start.end():])]
    entries = [e for e in entries if e and not _NOT_A_UNIT.search(e)]
    count = _COUNT.search(sentence)
    if not entries or not all(_NAME.fullmatch(e) for e in entries):
        return None
    if count and int(count.group(1)) != len(entries):
        return None
    return [e for e in entries if "本级" not in e and "决算" not in e and "预算" not in e]
