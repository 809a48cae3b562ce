"""Department identity across years: normalised names, aliases, mergers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import IdentityConfigError

__all__ = [
    "normalise_name",
    "split_region",
    "Predecessor",
    "DepartmentIdentity",
    "load_identity",
    "DEFAULT_ALIASES_FILE",
]

DEFAULT_ALIASES_FILE = Path(__file__).with_name("aliases.yaml")

_REGION = re.compile(r"^((?:[^省市区县]{1,7}?(?:省|自治区|市|自治州|州|盟|区|县|旗))+)")
_NOISE = re.compile(r"[\s\u3000\"'“”‘’《》]")
_SUFFIX = re.compile(r"(本级|部门|单位)+$")
_YEAR = re.compile(r"\(?\d{4}年度?\)?$")
_BRACKETED = re.compile(r"\((?:本级|部门|单位)\)$")


def normalise_name(name: str) -> str:
    """One spelling per department: full-width folded, spaces and quotes
    removed, 中国共产党 → 中共, trailing 部门/单位/(本级) dropped."""
    text = unicodedata.normalize("NFKC", name)
    text = _NOISE.sub("", text)
    text = text.replace("中国共产党", "中共")
    text = _YEAR.sub("", _BRACKETED.sub("", text))
    return _SUFFIX.sub("", text)


def split_region(name: str) -> tuple[str, str]:
    """(region prefix, rest) of a normalised name: 焦作市中站区 + 政务服务…"""
    text = normalise_name(name)
    prefix = "中共" if text.startswith("中共") else ""
    body = text[len(prefix) :]
    match = _REGION.match(body)
    if not match or match.end() == len(body):
        return "", text
    return match.group(1), prefix + body[match.end() :]


@dataclass(frozen=True)
class Predecessor:
    name: str
    year: int
    how: str  # renamed | merged


@dataclass(frozen=True)
class DepartmentIdentity:
    """Maps any known spelling to one key (the normalised canonical name)."""

    canonical: Mapping[str, str] = field(default_factory=dict)
    predecessors: Mapping[str, tuple[Predecessor, ...]] = field(default_factory=dict)

    def key(self, name: str | None) -> str | None:
        """The department key of ``name`` (its canonical name, normalised)."""
        if not name:
            return None
        norm = normalise_name(name)
        return self.canonical.get(norm, norm)

    def same(self, a: str | None, b: str | None) -> bool:
        """True when both names designate the same body (or one names a part
        of the other, such as 委员会 / 委员会办公室)."""
        ka, kb = self.key(a), self.key(b)
        if not ka or not kb:
            return True
        return ka == kb or ka.startswith(kb) or kb.startswith(ka)

    def history_of(self, name: str) -> tuple[Predecessor, ...]:
        return self.predecessors.get(self.key(name) or "", ())

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DepartmentIdentity:
        canonical: dict[str, str] = {}
        predecessors: dict[str, tuple[Predecessor, ...]] = {}
        try:
            for entry in data.get("departments") or []:
                key = normalise_name(entry["name"])
                canonical[key] = key
                for alias in entry.get("aliases") or []:
                    canonical[normalise_name(alias)] = key
                found = []
                for how, field_name in (("renamed", "renamed_from"), ("merged", "merged_from")):
                    for pred in entry.get(field_name) or []:
                        found.append(Predecessor(pred["name"], int(pred["year"]), how))
                        if how == "renamed":
                            canonical[normalise_name(pred["name"])] = key
                predecessors[key] = tuple(found)
        except (KeyError, TypeError, ValueError) as exc:
            raise IdentityConfigError(f"部门别名文件格式错误：{exc}") from exc
        return cls(canonical, predecessors)


def load_identity(path: Path | None = None) -> DepartmentIdentity:
    path = path or DEFAULT_ALIASES_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise IdentityConfigError(f"无法读取部门别名文件 {path}：{exc}") from exc
    return DepartmentIdentity.from_mapping(data)
