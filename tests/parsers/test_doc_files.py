"""Old binary Word (.doc): read through LibreOffice into the DOCX reader's blocks.

The tests make their own .doc files: a seed rendered to DOCX (python-docx),
converted to .doc by LibreOffice. Reading the .doc must give the line items
the DOCX gives; without LibreOffice the file is a recorded parse error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from demo.render_docx import render_docx
from demo.seeds import SeedDocument
from demo.variants import RULED_PORTRAIT
from parsers import ConverterUnavailable, CorruptFile, ParseError, parse_bytes, parse_file
from parsers.office import soffice_available, soffice_convert
from storage.models import DocumentVersion

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
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConverterUnavailable, match="LibreOffice") as raised:
        parse_bytes(word_files["000"][1].read_bytes(), "000.doc")
    assert isinstance(raised.value, ParseError) and raised.value.code == "converter_unavailable"


def _ingest(doc: Path, tmp_path: Path) -> tuple[str, Any, DocumentVersion]:
    """Ingest one file as the nightly run does (parsed in a bounded child process)."""
    from pipeline.ingest import ingest_file
    from storage import ArchiveStore, make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'bw.db'}")
    migrate(engine)
    status, parsed = ingest_file(doc, engine, ArchiveStore(tmp_path / "archive"))
    with Session(engine) as session:
        return status, parsed, session.exec(select(DocumentVersion)).one()


def test_ingest_reads_a_doc_in_the_bounded_parse_process(
    word_files: Mapping[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    """The parse child's memory and time bounds leave room for LibreOffice."""
    doc = tmp_path / "county.doc"
    shutil.copy(word_files["000"][1], doc)
    status, parsed, version = _ingest(doc, tmp_path)
    assert status == "stored" and version.parse_status != "error", version.parse_error
    assert parsed is not None and parsed.table("final_summary") is not None


_INGEST_SCRIPT = """
import sys
from pathlib import Path
from sqlmodel import Session, select
from pipeline.ingest import ingest_file
from storage import ArchiveStore, make_engine, migrate
from storage.models import DocumentVersion
root = Path(sys.argv[1])
engine = make_engine(f"sqlite:///{root / 'bw.db'}")
migrate(engine)
status, parsed = ingest_file(root / "county.doc", engine, ArchiveStore(root / "archive"))
with Session(engine) as session:
    print(status, parsed is None, session.exec(select(DocumentVersion)).one().parse_error)
"""


def test_without_libreoffice_ingest_records_the_error(word_files: Mapping[str, tuple[Path, Path]], tmp_path: Path) -> None:
    """In a fresh process whose PATH has no soffice (parse workers inherit it)."""
    shutil.copy(word_files["000"][1], tmp_path / "county.doc")
    run = subprocess.run(
        [sys.executable, "-c", _INGEST_SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PATH": str(tmp_path)}, cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 0, run.stderr
    status, no_document, error = run.stdout.strip().split(" ", 2)
    assert (status, no_document) == ("error", "True")
    assert error.startswith("converter_unavailable: ") and "LibreOffice" in error


def test_a_broken_doc_is_a_corrupt_file() -> None:
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096  # OLE2 magic, nothing inside
    with pytest.raises(CorruptFile):
        parse_bytes(broken, "broken.doc")


def _soffice_processes() -> set[int]:
    return {
        int(entry.name) for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and b"bw-lo-profile-" in _cmdline(entry)
    }


def _cmdline(entry: Path) -> bytes:
    try:
        return (entry / "cmdline").read_bytes()
    except OSError:
        return b""


def test_conversion_is_bounded_in_time(word_files: Mapping[str, tuple[Path, Path]], tmp_path: Path) -> None:
    before = _soffice_processes()
    with pytest.raises(CorruptFile, match="超时"):
        soffice_convert([word_files["000"][1]], "docx", tmp_path, timeout=1.0)
    assert _soffice_processes() <= before  # nothing of the killed run is left behind
