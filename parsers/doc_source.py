"""Old binary Word (``.doc``) → ``Block`` stream: LibreOffice converts it to
DOCX, which the DOCX reader reads (the same blocks as a ``.docx`` gives)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from parsers.docx_source import read_docx
from parsers.errors import CorruptFile
from parsers.layout import Block
from parsers.office import soffice_convert

__all__ = ["read_doc"]


def read_doc(data: bytes) -> tuple[list[Block], int]:
    with tempfile.TemporaryDirectory(prefix="bw-doc-") as tmp:
        source = Path(tmp) / "document.doc"
        source.write_bytes(data)
        soffice_convert([source], "docx", Path(tmp))
        converted = source.with_suffix(".docx")
        if not converted.exists():
            raise CorruptFile("旧版 Word (.doc) 文件无法转换（文件损坏或不是 Word 文件）")
        return read_docx(converted.read_bytes())
