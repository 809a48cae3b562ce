"""The table registry: canonical ids for printed titles and column headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from parsers.model import DocumentKind
from parsers.text import compact

__all__ = [
    "TableId", "TableSpec", "table_specs", "row_components", "identify_table", "identify_attachment", "column_key",
    "strip_title", "looks_like_title", "is_heading_word",
]

_REGISTRY_FILE = Path(__file__).with_name("table_registry.yaml")
_NUMBERING = re.compile(
    r"^(附件\d*[:：]?|附表\d*[:：]?|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])"
)
_LABEL_IN_TITLE = re.compile(r"(公开|预算|决算)?(\d{1,2}|[一二三四五六七八九十]+)表$|^表[一二三四五六七八九十\d]+")
_YEAR = re.compile(r"(19|20)\d{2}年度?")
_QUALIFIERS = re.compile(r"(本级|部门|单位|预算单位|基层)")


@dataclass(frozen=True)
class TableSpec:
    id: TableId
    kind: DocumentKind
    name: str
    all: tuple[str, ...]
    any: tuple[str, ...]
    none: tuple[str, ...]
    core: bool

    def score(self, key: str) -> int:
        """Length of the matched keywords, or 0 when the title does not match."""
        if any(word in key for word in self.none):
            return 0
        if not all(word in key for word in self.all):
            return 0
        matched_any = [word for word in self.any if word in key]
        if self.any and not matched_any:
            return 0
        return sum(map(len, self.all)) + max(map(len, matched_any), default=0)


@dataclass(frozen=True)
class _ColumnWord:
    key: str
    words: tuple[str, ...]
    exact: bool


@cache
def _registry() -> dict:
    return yaml.safe_load(_REGISTRY_FILE.read_text(encoding="utf-8"))


TableId = StrEnum(  # type: ignore[misc]
    "TableId", {entry["id"]: entry["id"] for kind in ("final", "budget") for entry in _registry()[kind]}
)
TableId.__doc__ = """Canonical table ids: every entry of parsers/table_registry.yaml, and only those."""


@cache
def table_specs() -> tuple[TableSpec, ...]:
    specs = []
    for kind_key, kind in (("final", DocumentKind.FINAL), ("budget", DocumentKind.BUDGET)):
        for entry in _registry()[kind_key]:
            specs.append(
                TableSpec(
                    id=TableId(entry["id"]),
                    kind=kind,
                    name=entry["name"],
                    all=tuple(compact(w) for w in entry.get("all", [])),
                    any=tuple(compact(w) for w in entry.get("any", [])),
                    none=tuple(compact(w) for w in entry.get("none", [])),
                    core=bool(entry.get("core", False)),
                )
            )
    return tuple(specs)


@cache
def row_components() -> tuple[tuple[str, ...], ...]:
    """Column-key groups whose sum is a row's total (``row_components`` in the registry)."""
    return tuple(tuple(group) for group in _registry().get("row_components", []))


def strip_title(title: str) -> str:
    """The matching key of a printed title: numbering, year, label and qualifiers removed."""
    key = compact(title).replace('"', "").replace("'", "")
    key = _NUMBERING.sub("", key)
    key = _LABEL_IN_TITLE.sub("", key)
    key = _YEAR.sub("", key)
    return _QUALIFIERS.sub("", key)


def identify_table(title: str, kind: DocumentKind | None = None) -> TableId | None:
    """Canonical id of the table with this printed title, or None.

    ``kind`` breaks ties when a title reads as both (budget titles rarely say 预算
    in every table, final-account titles always say 决算).
    """
    key = strip_title(title)
    if not key:
        return None
    if kind is None:
        kind = DocumentKind.FINAL if "决算" in key else None
    best: tuple[int, TableId] | None = None
    for spec in table_specs():
        if kind is not None and spec.kind != kind:
            continue
        if kind is None and spec.kind == DocumentKind.FINAL:
            continue
        score = spec.score(key)
        if score and (best is None or score > best[0]):
            best = (score, spec.id)
    return best[1] if best else None


@cache
def _attachment_specs() -> tuple[TableSpec, ...]:
    return tuple(
        TableSpec(
            id=entry["id"],
            kind=DocumentKind.FINAL,
            name=entry["name"],
            all=tuple(compact(w) for w in entry.get("all", [])),
            any=tuple(compact(w) for w in entry.get("any", [])),
            none=tuple(compact(w) for w in entry.get("none", [])),
            core=False,
        )
        for entry in _registry().get("attachments", [])
    )


def identify_attachment(title: str) -> str | None:
    """Registry id of an attachment (绩效自评表 …) titled ``title``, or None.
    Kept apart from ``identify_table``: attachments are read by analysis, not
    assembled as standard tables."""
    key = strip_title(title)
    scored = [(spec.score(key), spec.id) for spec in _attachment_specs()] if key else []
    best = max(((score, tid) for score, tid in scored if score), default=None)
    return best[1] if best else None


def looks_like_title(line: str) -> bool:
    """A short line naming a table (ends in 表, mentions 预算/决算/三公/经费/支出/收入)."""
    key = compact(line)
    if not (4 <= len(key) <= 60) or not re.search(r"表([(（][^)）]{1,10}[)）])?$", key):
        return False
    if key.startswith(("注", "说明", "单位", "部门")):
        return False
    return bool(re.search(r"预算|决算|三公|经费|支出|收入|收支|绩效|采购", key))


@cache
def _column_words() -> tuple[tuple[_ColumnWord, ...], tuple[_ColumnWord, ...]]:
    def load(entries: list[dict]) -> tuple[_ColumnWord, ...]:
        return tuple(
            _ColumnWord(e["key"], tuple(compact(w) for w in e.get("any", e.get("exact", []))), "exact" in e)
            for e in entries
        )

    reg = _registry()
    return load(reg["column_prefixes"]), load(reg["column_keys"])


def _match(words: tuple[_ColumnWord, ...], cell: str) -> str | None:
    for word in words:
        if word.exact and cell in word.words:
            return word.key
        if not word.exact and any(w in cell for w in word.words):
            return word.key
    return None


def is_heading_word(text: str) -> bool:
    """Whether ``text`` names a column or a column group in the header vocabulary."""
    prefixes_vocab, keys_vocab = _column_words()
    text = compact(text)
    return bool(text) and bool(_match(prefixes_vocab, text) or _match(keys_vocab, text))


_GROUP_WORDS = {"收入", "支出", "本年收入", "本年支出", "预算数", "决算数"}


def _joined_fragments(cells: list[str]) -> list[str]:
    """Header cells with words broken over lines rejoined (因公出 | 国(境) | 费).

    A cell that names nothing in the vocabulary is joined to the next one.
    """
    prefixes_vocab, keys_vocab = _column_words()
    joined: list[str] = []
    pending = ""
    for cell in cells:
        text = pending + cell
        if _match(prefixes_vocab, text) or _match(keys_vocab, text) or "三公" in text:
            joined.append(text)
            pending = ""
        else:
            pending = text
    if pending:
        joined.append(pending)
    return joined


def column_key(header_path: list[str]) -> str | None:
    """Canonical key of a column from its header cells, top to bottom.

    Prefixes (预算数/决算数, the 收入/支出 side) compose with the most specific
    key; a bare 小计/合计 under a specific group header takes the group's key
    (公务用车购置及运行维护费 › 小计 → ``vehicle_total``).
    """
    prefixes_vocab, keys_vocab = _column_words()
    prefixes: list[str] = []
    key: str | None = None
    for cell in _joined_fragments([compact(raw) for raw in header_path if compact(raw)]):
        prefix = _match(prefixes_vocab, cell)
        if prefix and prefix not in prefixes:
            prefixes.append(prefix)
            if cell in _GROUP_WORDS:
                continue
        if "三公" in cell and not re.search(r"合计|小计|总计", cell):
            continue  # the group title over all 三公 columns names no column ("三公"经费合计 does)
        found = _match(keys_vocab, cell)
        if found and not (found == "total" and key not in (None, "total")):
            key = found
    if key is None:
        # An amount column headed only by its stage or side (本年收入 | 本年支出).
        if not prefixes or compact(header_path[-1]) not in _GROUP_WORDS | {"金额"}:
            return None
        key = "total"
    return ".".join([*prefixes, key])
