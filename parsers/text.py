"""Normalisation of printed Chinese text (spacing, widths, quotes)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "compact", "CJK"]

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}（）《》“”、，：；])\s+(?=[{CJK}（）《》“”、，：；])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"'})


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
