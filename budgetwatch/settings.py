"""One typed settings object, read from the environment at the edge.

Every variable is optional; defaults give the embedded setup (SQLite and a
local archive under ``./var``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "load_settings"]


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    archive_dir: Path
    sources_file: Path
    rules_file: Path | None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``BUDGETWATCH_*`` environment variables."""
    env = dict(os.environ if env is None else env)
    home = Path(env.get("BUDGETWATCH_HOME", "var")).resolve()
    database_url = env.get("BUDGETWATCH_DATABASE_URL") or f"sqlite:///{home / 'budgetwatch.db'}"
    archive_dir = Path(env.get("BUDGETWATCH_ARCHIVE_DIR") or home / "archive").resolve()
    sources_file = Path(env.get("BUDGETWATCH_SOURCES") or Path(__file__).parent.parent / "crawler" / "sources.yaml")
    rules = env.get("BUDGETWATCH_RULES")
    return Settings(
        home=home,
        database_url=database_url,
        archive_dir=archive_dir,
        sources_file=sources_file,
        rules_file=Path(rules) if rules else None,
    )
