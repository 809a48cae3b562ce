"""Shared pytest fixtures. Area fixtures live in tests/fixtures_*.py."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_db", "tests.fixtures_seeds"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED_DIR / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is absent")
    return path


@pytest.fixture(scope="session")
def realdocs_dir() -> Path:
    path = SHARED_DIR / "realdocs"
    if not path.is_dir():
        pytest.skip("../shared/realdocs is absent")
    return path
