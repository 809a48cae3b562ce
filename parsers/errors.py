"""Parser errors: raised only when nothing at all could be read.

    ParseError
    ├── UnsupportedFormat   not a PDF/XLSX/XLS/DOCX (HTML page, image, …)
    ├── EmptyFile           zero bytes
    ├── EncryptedFile       password-protected PDF
    ├── CorruptFile         truncated or malformed beyond reading
    └── ConverterUnavailable  an old Office file (.doc) and no LibreOffice to convert it
    └── LimitExceeded       beyond an input bound of ``parsers.limits`` (code names the bound)

Anything less (an unreadable number, an unidentified table, a scanned page
without OCR) is a ``ParseWarning`` in the result, not an exception.
"""

from __future__ import annotations

__all__ = [
    "ParseError", "UnsupportedFormat", "EmptyFile", "EncryptedFile", "CorruptFile", "ConverterUnavailable",
    "LimitExceeded",
]


class ParseError(Exception):
    """Base of every error the parser raises; ``code`` is a stable key."""

    code = "parse_error"


class UnsupportedFormat(ParseError):
    code = "unsupported_format"


class EmptyFile(ParseError):
    code = "empty_file"


class EncryptedFile(ParseError):
    code = "encrypted_file"


class CorruptFile(ParseError):
    code = "corrupt_file"


class ConverterUnavailable(ParseError):
    code = "converter_unavailable"


class LimitExceeded(ParseError):
    """Refused before the work: the file is beyond a bound of ``parsers.limits``.

    ``code`` names the bound (``file_too_large``, ``too_many_pages``,
    ``zip_member_too_large`` …) so a stored error says which one.
    """

    code = "limit_exceeded"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self) -> tuple[type[LimitExceeded], tuple[str, str]]:
        return LimitExceeded, (self.code, str(self))  # picklable across the parse worker's process boundary
