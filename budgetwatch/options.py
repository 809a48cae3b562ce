"""Option value parsers shared by commands: a bad value is a ``typer.BadParameter`` in Chinese."""

from __future__ import annotations

from datetime import date

import typer

__all__ = ["parse_day"]


def parse_day(value: str) -> date:
    """``--today``: an ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"日期应为 YYYY-MM-DD，例如 2026-12-06，而不是 {value!r}") from None
