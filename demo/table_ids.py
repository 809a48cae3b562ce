"""Match a printed table title to its canonical id in parsers/table_registry.yaml.

A deliberately small, independent re-implementation of the registry's
documented matching rules: the fixtures are the parser's ground truth, so they
must not import the parser they check.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["normalise_title", "table_id_for"]

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "parsers" / "table_registry.yaml"

_CN_NUM = "一二三四五六七八九十"


def normalise_title(title: str, department: str | None = None) -> str:
    """Strip numbering, year, department name, 部门/单位, quotes and spaces."""
    text = re.sub(r"\s+", "", title).replace("（", "(").replace("）", ")")
    text = re.sub(r"[“”\"'‘’「」《》#*]", "", text)
    text = re.sub(rf"^[{_CN_NUM}]+[、.．]", "", text)
    text = re.sub(r"\d{4}年度?", "", text)
    text = re.sub(r"(公开|预算|决算)?\d+表", "", text)
    text = re.sub(rf"^表[{_CN_NUM}\d]+|表[{_CN_NUM}]+$", "", text)
    if department:
        text = text.replace(department, "")
    for word in ("预算单位", "部门", "单位"):
        text = text.replace(word, "")
    return text


@lru_cache(maxsize=1)
def _registry() -> dict[str, Any]:
    with REGISTRY_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _score(entry: dict[str, Any], text: str) -> int | None:
    required = entry.get("all", [])
    alternatives = entry.get("any", [])
    if any(word in text for word in entry.get("none", [])):
        return None
    if not all(word in text for word in required):
        return None
    hits = [word for word in alternatives if word in text]
    if alternatives and not hits:
        return None
    return sum(map(len, required)) + max(map(len, hits), default=0)


def table_id_for(title: str, kind: str, department: str | None = None) -> str | None:
    """The canonical id of a table titled ``title`` in a 预算 or 决算 document."""
    text = normalise_title(title, department)
    entries = _registry()["final" if kind == "决算" else "budget"]
    scored = [(_score(entry, text), entry["id"]) for entry in entries]
    best = max(((score, tid) for score, tid in scored if score), default=None)
    return best[1] if best else None
