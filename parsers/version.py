"""The parser's version: a digest of the parser's own source and registry files.

A stored parse records the version that produced it, so the same bytes are
never parsed twice by the same parser, and every change to the parser —
even one nobody remembered to announce — makes ``reparse`` read the
archive again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

__all__ = ["parser_version"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def parser_version() -> str:
    """``<12 hex digits>`` over every ``.py`` and ``.yaml`` file of ``parsers/``."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
