"""The files the replica site serves: disclosure PDFs rendered from the
seeds, a ZIP of two of them, and the bad cases (an HTML error page).
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from demo.derive import rename_department, shift_year
from demo.render_pdf import VARIANTS, render_pdf
from demo.seeds import SeedDocument, load_seed

__all__ = ["DocSpec", "SEEDS_DIR", "render_disclosure", "zip_of", "ERROR_PAGE"]

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
# The seed each replica document is derived from: the one 预算 seed for
# budgets, a 决算 seed of the same department where there is one.
BUDGET_SEED = "001_1d21129bc271dc3f"
FINAL_SEEDS = {
    "焦作市中站区政务服务和大数据管理局": "000_5285f6ddbb8a954d",
    "洛阳市偃师区政务服务和大数据管理局": "002_027bac8ad9add8fe",
    "中国共产党焦作市中站区委员会": "003_69d948fdbf40ed47",
    "新乡市政务服务和大数据管理局": "004_7a964db7bab667ec",
}
ERROR_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>系统提示</title></head>"
    "<body><h1>系统繁忙，请稍后再试</h1><p>错误代码：500</p></body></html>"
).encode()


@dataclass(frozen=True)
class DocSpec:
    """One disclosure of the replica: who, what, which year, which look."""

    department: str
    kind: str  # 预算 | 决算
    year: int
    scope: str = "部门"
    variant: str = "ruled_portrait"

    @property
    def title(self) -> str:
        return f"{self.department}{self.year}年度{self.scope}{self.kind}"


def _seed_for(spec: DocSpec, seeds_dir: Path) -> SeedDocument:
    name = BUDGET_SEED if spec.kind == "预算" else FINAL_SEEDS.get(spec.department, "000_5285f6ddbb8a954d")
    seed = shift_year(rename_department(load_seed(seeds_dir / f"{name}.txt"), spec.department), spec.year)
    # The one budget seed is a 单位预算: the cover names the scope asked for.
    title = f"{spec.year}年度{spec.department}{spec.scope}{spec.kind}"
    return dataclasses.replace(seed, title_lines=[title], scope=type(seed.scope)(spec.scope))


@lru_cache(maxsize=64)
def render_disclosure(spec: DocSpec, seeds_dir: Path = SEEDS_DIR) -> bytes:
    """The PDF bytes of ``spec`` (cached: rendering is deterministic)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "doc.pdf"
        render_pdf(_seed_for(spec, seeds_dir), out, VARIANTS[spec.variant])
        return out.read_bytes()


def zip_of(files: dict[str, bytes]) -> bytes:
    """A ZIP holding ``files`` (names stored as UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
