"""``budgetwatch parse`` and ``budgetwatch ingest``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Placeholder until the parser lands."""
