"""The narrative (情况说明) as the checks read it: section text, paragraphs and
statement subjects. Numbers are read by the parser's one number reader
(``parsers.narrative.numbers``), here on the paragraph or sentence a check
looks at: it needs their order there (the base of a share, the change before a
rate) and their printed precision (for the tolerance).
"""

from __future__ import annotations

import re

from parsers.model import Section
from parsers.narrative import DOWN, UP, Number, direction_before, normalise_text, numbers

__all__ = [
    "UP", "DOWN", "Number", "section_text", "normalise_text", "paragraphs", "numbers", "direction_before", "subject_key",
]


def paragraphs(section: Section) -> list[str]:
    return [p.strip() for p in normalise_text(section.text).split("\n") if p.strip()]


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
