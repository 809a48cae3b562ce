"""Shared pytest fixtures. Area fixtures live in tests/fixtures_*.py."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_db", "tests.fixtures_seeds"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--matrix", choices=("fast", "full"), default="fast",
        help="fixture matrix (tests/parsers/test_producer_matrix.py): seed 000 only (fast), or every seed (full, ~15 min)",
    )


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
