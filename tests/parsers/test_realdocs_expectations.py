"""Acceptance 2 of issue 2: every real PDF against hand-checked expectations.

The truth lives in ``realdocs_expectations.yaml`` beside this file (read off
the PDFs, never off the parser). Each file is checked per aspect (metadata,
standard tables and pages, titles and labels, table units, 三公 figures,
summary totals) so that one parser defect does not hide the others. Known
defects are strict xfails in ``KNOWN_DEFECTS``: the expectation stays the
truth, and the case turns red as soon as the parser is fixed, so that the
entry gets removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from parsers import ParsedDocument, ParsedTable, parse_file

EXPECTATIONS: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("realdocs_expectations.yaml")).read_text(encoding="utf-8")
)["files"]

# 三公 column keys (the last segment of a column key; budget./final. prefixes kept in the key).
THREE_PUBLIC_KEYS = {"total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"}

# (aspect, file prefix) -> the parser defect that makes the case fail today
# (none at present; add an entry rather than weakening an expectation).
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}

_ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+、")
_IGNORED_IN_TEXT = re.compile(r"[\s\"“”'‘’]")


def _compact(text: str | None) -> str | None:
    """Text without whitespace and quotes, full-width forms folded (（ → (), for comparing labels."""
    return None if text is None else _IGNORED_IN_TEXT.sub("", unicodedata.normalize("NFKC", text))


def _title(text: str | None) -> str | None:
    """A table title without its leading 一、-style enumerator."""
    compact = _compact(text)
    return None if compact is None else _ENUMERATOR.sub("", compact)


def _cases(aspect: str, needs: str | None = None) -> list[Any]:
    """One pytest param per file (having ``needs`` in its expectations), xfail where known broken."""
    params = []
    for prefix, expected in EXPECTATIONS.items():
        if needs and needs not in expected:
            continue
        reason = KNOWN_DEFECTS.get((aspect, prefix))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(prefix, id=prefix.rstrip("_"), marks=marks))
    return params


@cache
def _parsed(path: Path) -> ParsedDocument:
    return parse_file(path)


def _document(realdocs_dir: Path, prefix: str) -> ParsedDocument:
    path = realdocs_dir / EXPECTATIONS[prefix]["file"]
    if not path.is_file():
        pytest.skip(f"{path.name} absent from realdocs")
    return _parsed(path)


def _found(doc: ParsedDocument, expected: dict[str, Any]) -> list[tuple[dict[str, Any], ParsedTable]]:
    """Expected tables paired with the parsed table of the same id starting on the same page."""
    pairs = []
    for table in expected["tables"]:
        match = next((t for t in doc.tables if t.id == table["id"] and t.pages[:1] == table["pages"][:1]), None)
        if match is not None:
            pairs.append((table, match))
    return pairs


@pytest.mark.parametrize("prefix", _cases("metadata"))
def test_metadata(realdocs_dir: Path, prefix: str) -> None:
    doc = _document(realdocs_dir, prefix)
    expected = EXPECTATIONS[prefix]
    got = (doc.kind, doc.scope, doc.year, doc.department, doc.unit)
    assert got == (expected["kind"], expected["scope"], expected["year"], expected["department"], expected["unit"])


@pytest.mark.parametrize("prefix", _cases("tables"))
def test_standard_tables_and_pages(realdocs_dir: Path, prefix: str) -> None:
    doc = _document(realdocs_dir, prefix)
    got = sorted((t.id, t.pages) for t in doc.tables if t.id is not None)
    assert got == sorted((t["id"], t["pages"]) for t in EXPECTATIONS[prefix]["tables"])


@pytest.mark.parametrize("prefix", _cases("titles"))
def test_titles_and_labels(realdocs_dir: Path, prefix: str) -> None:
    doc = _document(realdocs_dir, prefix)
    pairs = _found(doc, EXPECTATIONS[prefix])
    got = [(t.id, _title(t.title), _compact(t.label)) for _, t in pairs]
    assert got == [(e["id"], _title(e["title"]), e["label"]) for e, _ in pairs]


@pytest.mark.parametrize("prefix", _cases("units"))
def test_table_units(realdocs_dir: Path, prefix: str) -> None:
    doc = _document(realdocs_dir, prefix)
    pairs = _found(doc, EXPECTATIONS[prefix])
    assert [(t.id, t.pages[0], t.unit) for _, t in pairs] == [(e["id"], e["pages"][0], e["unit"]) for e, _ in pairs]


@pytest.mark.parametrize("prefix", _cases("three_public", needs="three_public"))
def test_three_public_figures(realdocs_dir: Path, prefix: str) -> None:
    doc = _document(realdocs_dir, prefix)
    expected = EXPECTATIONS[prefix]["three_public"]
    table = doc.table(expected["table"])
    assert table is not None, f"no {expected['table']} table"
    by_key: dict[str, list[Decimal]] = defaultdict(list)
    for item in table.items:
        if item.column_key.split(".")[-1] in THREE_PUBLIC_KEYS:
            by_key[item.column_key].append(item.amount)
    assert dict(by_key) == {key: [Decimal(amount)] for key, amount in expected["items"].items()}
    amounts = [item.amount for item in table.items]
    for extra in expected.get("extra", []):
        assert Decimal(extra["amount"]) in amounts, extra["meaning"]
    assert {item.page for item in table.items} == {expected["page"]}


@pytest.mark.parametrize("prefix", _cases("totals", needs="totals"))
def test_summary_totals(realdocs_dir: Path, prefix: str) -> None:
    doc = _document(realdocs_dir, prefix)
    expected = EXPECTATIONS[prefix]["totals"]
    table = doc.table(expected["table"])
    assert table is not None, f"no {expected['table']} table"
    for total in expected["items"]:
        items = [i for i in table.items if _compact(i.name) == total["name"] and i.column_key == total["column"]]
        got = [(i.amount, i.page) for i in items]
        assert got and set(got) == {(Decimal(total["amount"]), total["page"])}, (total, got)
