"""Normalisation of printed Chinese text (spacing, widths, quotes)."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["nfkc", "clean", "compact", "CJK", "decode_name", "file_name"]

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


def decode_name(raw: bytes) -> str:
    """Bytes of a file name in UTF-8 or GB18030 (a superset of GBK)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def file_name(path: str | os.PathLike[str]) -> str:
    """A file's name as text: GBK bytes (surrogate-escaped by the OS layer on a UTF-8 system) decoded, no surrogates."""
    return decode_name(os.fsencode(Path(path).name))
