"""``budgetwatch parse FILE --explain``: every line's class, the reason, and what the assembler did.

The tool to fix a document without adding a case: when a table comes out
wrong, the trace shows which named feature (``parsers.classify``) or which
tolerance (``parsers.tolerances``) put a line where it went.
"""

from __future__ import annotations

from parsers.assemble import GridStep, Step, assemble
from parsers.document import _guess_kind, _read_blocks
from parsers.limits import LIMITS
from parsers.model import ParseWarning
from parsers.sniff import sniff_format
from parsers.tables import row_class
from parsers.text import clean

__all__ = ["explain_lines"]

_WIDTH = 60


def _short(text: str) -> str:
    text = clean(text)
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _step_lines(step: Step | GridStep) -> list[str]:
    if isinstance(step, Step):
        seen = step.seen
        return [
            f"p{step.line.page:<3} {seen.cls.value:<10} {step.state.value:<7} {seen.reason} → {step.action} | {_short(step.line.text)}"
        ]
    grid = step.grid
    out = [f"p{grid.page:<3} {'grid':<10} {step.state.value:<7} ruled grid of {len(grid.rows)} rows → table {step.table or '（无表名）'}"]
    pages = grid.pages_of_rows()
    for row, page in zip(grid.rows, pages):
        out.append(f"p{page:<3}   {row_class(row):<8}         | {_short(' | '.join(c or '' for c in row))}")
    return out


def explain_lines(data: bytes, file_name: str | None = None, page: int | None = None) -> list[str]:
    """One line of text per printed line (and per grid row), in reading order."""
    warnings: list[ParseWarning] = []
    blocks, _count, _scanned, _ocr = _read_blocks(data, sniff_format(data), warnings, ocr=False, limits=LIMITS)
    trace: list[Step | GridStep] = []
    assemble(blocks, _guess_kind(blocks, file_name), trace)
    out: list[str] = []
    for step in trace:
        at = step.line.page if isinstance(step, Step) else step.grid.page
        if page is None or at == page:
            out.extend(_step_lines(step))
    return out
