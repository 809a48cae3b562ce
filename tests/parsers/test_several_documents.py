"""A file printing two documents one after the other (部门 then 单位, or two bodies)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pypdfium2 as pdfium

from demo.render_pdf import RenderManifest
from parsers import parse_file
from parsers.model import document_from_jsonable, to_jsonable


def _joined(first: Path, second: Path, out: Path) -> Path:
    document = pdfium.PdfDocument(first)
    document.import_pages(pdfium.PdfDocument(second))
    document.save(out)
    return out


def test_second_document_becomes_a_part_with_its_own_metadata_and_pages(
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]], tmp_path: Path
) -> None:
    first_pdf, first = rendered_seeds[("000", "ruled_portrait")]
    second_pdf, second = rendered_seeds[("001", "ruled_portrait")]
    offset = len(pdfium.PdfDocument(first_pdf))
    doc = parse_file(_joined(first_pdf, second_pdf, tmp_path / "two.pdf"))

    assert (doc.kind, doc.scope, doc.year) == ("决算", "部门", 2023)
    assert len(doc.parts) == 1
    part = doc.parts[0]
    assert (part.kind, part.scope, part.year, part.department) == ("预算", "单位", 2024, "焦作市政务大数据中心")
    assert {t.id for t in doc.tables if t.id} == {p.canonical_id for p in first.tables if p.canonical_id}
    for placement in second.tables:
        if placement.canonical_id:
            table = part.table(placement.canonical_id)
            assert table is not None and table.pages == [p + offset for p in placement.pages], placement.canonical_id
    assert any(w.code == "several_documents" for w in doc.warnings)
    assert document_from_jsonable(to_jsonable(doc)) == doc


def test_a_repeated_table_kind_inside_one_document_is_no_second_document(
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]],
) -> None:
    pdf, _manifest = rendered_seeds[("000", "ruled_portrait")]
    assert parse_file(pdf).parts == []
