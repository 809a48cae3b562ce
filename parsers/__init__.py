"""Disclosure files → ``ParsedDocument`` (pure: no database, no network)."""

from parsers.document import parse_bytes, parse_file
from parsers.errors import ConverterUnavailable, CorruptFile, EmptyFile, EncryptedFile, ParseError, UnsupportedFormat
from parsers.model import (
    DocumentKind,
    LineItem,
    NarrativeFigure,
    ParsedDocument,
    ParsedTable,
    ParseWarning,
    Scope,
    Section,
    SourceInfo,
    document_from_jsonable,
    to_jsonable,
)

__all__ = [
    "parse_bytes",
    "parse_file",
    "ParseError",
    "UnsupportedFormat",
    "EmptyFile",
    "EncryptedFile",
    "CorruptFile",
    "ConverterUnavailable",
    "DocumentKind",
    "Scope",
    "LineItem",
    "NarrativeFigure",
    "ParsedDocument",
    "ParsedTable",
    "ParseWarning",
    "Section",
    "SourceInfo",
    "document_from_jsonable",
    "to_jsonable",
]
