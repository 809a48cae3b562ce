"""Parser errors: raised only when nothing at all could be read.

    ParseError
    ├── UnsupportedFormat   not a PDF/XLSX/XLS/DOCX (HTML page, image, …)
    ├── EmptyFile           zero bytes
    ├── EncryptedFile       password-protected PDF
    ├── CorruptFile         truncated or malformed beyond reading
    └── ConverterUnavailable  an old Office file (.doc) and no LibreOffice to convert it

Anything less (an unreadable number, an unidentified table, a scanned page
without OCR) is a ``ParseWarning`` in the result, not an exception.
"""

from __future__ import annotations

__all__ = ["ParseError", "UnsupportedFormat", "EmptyFile", "EncryptedFile", "CorruptFile", "ConverterUnavailable"]


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
