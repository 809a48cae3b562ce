"""Issue 9: the archive location means what it says, an original and its row survive together, GBK names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from budgetwatch.cli import app
from demo.hostile import gbk_name, summary_pages_pdf
from pipeline.ingest import ingest_file
from storage import ArchiveStore, make_engine
from storage.models import DocumentVersion

PDF = summary_pages_pdf(2, rows=3)


class _Boom(Exception):
    pass


class _FailingArchive(ArchiveStore):
    """Fails around the put: before it stores anything, or after the original is stored."""

    def __init__(self, root: str | os.PathLike[str], *, after: bool) -> None:
        super().__init__(root)
        self.after = after

    def put(self, data: bytes):  # noqa: ANN201
        if not self.after:
            raise _Boom("before the put")
        ref = super().put(data)
        raise _Boom(f"after the put of {ref.sha256}")


def _versions(engine: Engine) -> list[DocumentVersion]:
    with Session(engine) as session:
        return list(session.exec(select(DocumentVersion)).all())


def test_memory_archive_gets_the_original_and_nothing_lands_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd, elsewhere = tmp_path / "cwd", tmp_path / "elsewhere"
    cwd.mkdir()
    elsewhere.mkdir()
    source = elsewhere / "2024年部门收支总表.pdf"
    source.write_bytes(PDF)
    monkeypatch.chdir(cwd)
    env = {
        "BUDGETWATCH_HOME": str(elsewhere / "home"),
        "BUDGETWATCH_DATABASE_URL": f"sqlite:///{elsewhere / 'bw.db'}",
        "BUDGETWATCH_ARCHIVE_DIR": "memory://bw-issue9",
    }
    result = CliRunner().invoke(app, ["ingest", str(source)], env=env)
    assert result.exit_code == 0, result.output
    (version,) = _versions(make_engine(env["BUDGETWATCH_DATABASE_URL"]))
    assert ArchiveStore("memory://bw-issue9").get(version.sha256) == PDF
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize("after", [False, True], ids=["failure-before-put", "failure-after-put"])
def test_an_original_and_its_version_row_survive_together(engine: Engine, tmp_path: Path, after: bool) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    root = tmp_path / "archive"
    with pytest.raises(_Boom):
        ingest_file(path, engine, _FailingArchive(root, after=after))
    assert _versions(engine) == []  # the transaction rolled back: no row names a missing original
    archive = ArchiveStore(root)
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert len(stored) == (1 if after else 0)  # an unnamed original at most, which nothing reads
    status, doc = ingest_file(path, engine, archive)  # the next run completes the state
    assert status == "stored" and doc is not None
    (version,) = _versions(engine)
    assert archive.get(version.sha256) == PDF and version.parse_status in ("ok", "warning")
    assert ingest_file(path, engine, archive)[0] == "unchanged"
    assert len(_versions(engine)) == 1


def test_a_gbk_file_name_is_stored_decoded(tmp_path: Path) -> None:
    path = gbk_name(tmp_path, "2024年部门预算.pdf")
    path.write_bytes(PDF)
    assert any("\udc80" <= c <= "\udcff" for c in path.name)  # how Python sees GBK bytes on a UTF-8 system
    env = {"BUDGETWATCH_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(app, ["ingest", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "2024年部门预算.pdf" in result.output
    (version,) = _versions(make_engine(f"sqlite:///{tmp_path / 'home' / 'budgetwatch.db'}"))
    assert version.file_name == "2024年部门预算.pdf"
