"""Normalisation of printed Chinese text (spacing, widths, quotes)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["nfkc", "clean", "compact", "CJK"]

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}（）《》“”、，：；])\s+(?=[{CJK}（）《》“”、，：；])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"'})


def nfkc(text: str) -> str:
    """Compatibility forms folded: Kangxi radicals (⼊ U+2F0A → 入), full-width
    digits and brackets, ideographic space. Every reader's text goes through
    this once, where ``parsers.document`` takes it from the reader."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1 << 16)  # the same cells and lines are cleaned again by every layer
def clean(text: str | None) -> str:
    """NFKC (full-width digits/brackets → ASCII), unified quotes, no spaces between CJK."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = text.replace("\u3000", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return text.strip()


@lru_cache(maxsize=1 << 16)
def compact(text: str | None) -> str:
    """``clean`` with every whitespace removed: the key used for matching."""
    return re.sub(r"\s+", "", clean(text))
