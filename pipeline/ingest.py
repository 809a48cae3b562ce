"""The ingest step: archive an original, record its version, parse it and store the parse.

A parse error is stored as the version's error, never raised: one bad file
never stops a batch.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from parsers import ParsedDocument, ParseError, parse_bytes

__all__ = ["ingest_file"]


def ingest_file(path: Path, engine, archive) -> tuple[str, ParsedDocument | None]:  # noqa: ANN001 - storage types
    """Archive, record and parse one file; a parse error is stored, never raised."""
    from storage import load_parsed, record_version, session_scope, store_parse, store_parse_error

    data = path.read_bytes()
    ref = archive.put(data)
    try:
        doc: ParsedDocument | None = parse_bytes(data, path.name)
        error: ParseError | None = None
    except ParseError as exc:
        doc, error = None, exc
    with session_scope(engine) as session:
        record = record_version(
            session,
            sha256=ref.sha256,
            size=ref.size,
            file_name=path.name,
            format=doc.source.format if doc else None,
            archive_key=ref.key,
        )
        if not record.created_version:
            stored = load_parsed(session, record.version_id)
            if doc is None or (stored is not None and replace(stored, source=doc.source) == doc):
                return "unchanged", doc  # the same bytes under another name are no new reading
            # A newer parser reads the same file differently: the stored parse is replaced.
            store_parse(session, record.version_id, doc)
            return "reparsed", doc
        if doc is not None:
            store_parse(session, record.version_id, doc)
        else:
            assert error is not None
            store_parse_error(session, record.version_id, error.code, str(error))
    return ("error" if doc is None else "stored"), doc
