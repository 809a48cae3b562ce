"""Old binary Word (.doc): read through LibreOffice into the DOCX reader's blocks.

The tests make their own .doc files: a seed rendered to DOCX (python-docx),
converted to .doc by LibreOffice. Reading the .doc must give the line items
the DOCX gives; without LibreOffice the file is a recorded parse error.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

import parsers.office
from demo.render_docx import render_docx
from demo.seeds import SeedDocument
from demo.variants import RULED_PORTRAIT
from parsers import ConverterUnavailable, CorruptFile, ParseError, parse_bytes, parse_file
from parsers.office import soffice_available, soffice_convert

pytestmark = pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) is not installed")

SEEDS = ("000", "004")


@pytest.fixture(scope="module")
def word_files(seed_docs: dict[str, SeedDocument], tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, tuple[Path, Path]]:
    """Seed number → (.docx, .doc) of the same document (one LibreOffice run)."""
    out = tmp_path_factory.mktemp("word")
    docx_files = {name: render_docx(seed_docs[name], out / f"{name}.docx", RULED_PORTRAIT) for name in SEEDS}
    soffice_convert(list(docx_files.values()), "doc", out)
    return {name: (path, path.with_suffix(".doc")) for name, path in docx_files.items()}


@pytest.mark.parametrize("seed", SEEDS)
def test_doc_gives_the_line_items_of_its_docx(word_files: Mapping[str, tuple[Path, Path]], seed: str) -> None:
    docx_path, doc_path = word_files[seed]
    assert doc_path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # OLE2: really old binary Word
    from_doc, from_docx = parse_file(doc_path), parse_file(docx_path)
    assert from_doc.source.format == "doc"
    standard = [t for t in from_docx.tables if t.id]
    assert len(standard) >= 9
    for table in standard:
        read = from_doc.table(table.id)
        assert read is not None, table.id
        assert read.items == table.items, table.id
    assert (from_doc.kind, from_doc.year, from_doc.department) == (from_docx.kind, from_docx.year, from_docx.department)


def test_without_libreoffice_a_doc_is_a_clear_parse_error(
    word_files: Mapping[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsers.office, "SOFFICE", "soffice-not-installed")
    with pytest.raises(ConverterUnavailable, match="LibreOffice") as raised:
        parse_bytes(word_files["000"][1].read_bytes(), "000.doc")
    assert isinstance(raised.value, ParseError) and raised.value.code == "converter_unavailable"


def test_without_libreoffice_ingest_records_the_error(
    word_files: Mapping[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sqlmodel import Session, select

    from pipeline.ingest import ingest_file
    from storage import ArchiveStore, make_engine, migrate
    from storage.models import DocumentVersion

    monkeypatch.setattr(parsers.office, "SOFFICE", "soffice-not-installed")
    engine = make_engine(f"sqlite:///{tmp_path / 'bw.db'}")
    migrate(engine)
    doc = tmp_path / "county.doc"
    shutil.copy(word_files["000"][1], doc)
    assert ingest_file(doc, engine, ArchiveStore(tmp_path / "archive")) == ("error", None)
    with Session(engine) as session:
        version = session.exec(select(DocumentVersion)).one()
    assert version.parse_status == "error"
    assert version.parse_error.startswith("converter_unavailable: ") and "LibreOffice" in version.parse_error


def test_a_broken_doc_is_a_corrupt_file() -> None:
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096  # OLE2 magic, nothing inside
    with pytest.raises(CorruptFile):
        parse_bytes(broken, "broken.doc")


def test_conversion_is_bounded_in_time(word_files: Mapping[str, tuple[Path, Path]], tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match="超时"):
        soffice_convert([word_files["000"][1]], "docx", tmp_path, timeout=0.05)
