"""`budgetwatch ingest`: a file already stored is re-parsed when the parser now reads it differently."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine

from pipeline.ingest import ingest_file
from demo.render_pdf import RenderManifest
from storage import ArchiveStore, find_version_by_sha, load_parsed, session_scope, store_parse


def test_an_older_stored_parse_is_replaced_once_then_left_alone(
    engine: Engine,
    tmp_path: Path,
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]],
) -> None:
    pdf, _manifest = rendered_seeds[("003", "ruled_portrait")]
    archive = ArchiveStore(tmp_path / "archive")
    status, doc = ingest_file(pdf, engine, archive)
    assert status == "stored" and doc is not None

    with session_scope(engine) as session:  # what an older parser had stored
        version = find_version_by_sha(session, doc.source.sha256)
        assert version is not None
        version_id = version.id
        store_parse(session, version_id, replace(doc, department="旧版解析", tables=doc.tables[:2]), parser_version="older")

    assert ingest_file(pdf, engine, archive)[0] == "reparsed"
    with session_scope(engine) as session:
        assert load_parsed(session, version_id) == doc
    assert ingest_file(pdf, engine, archive)[0] == "unchanged"
    renamed = tmp_path / "same-bytes-other-name.pdf"
    renamed.write_bytes(pdf.read_bytes())
    assert ingest_file(renamed, engine, archive)[0] == "unchanged"
