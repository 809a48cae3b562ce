"""Settings: relative paths against the current directory, archive locations that mean what they say."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import SettingsError, load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    for name in ("HOME", "DATABASE_URL", "ARCHIVE_DIR", "SOURCES", "RULES", "PARSE_WORKERS"):
        monkeypatch.delenv(f"BUDGETWATCH_{name}", raising=False)
    return monkeypatch


def test_relative_paths_resolve_against_the_current_directory(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("BUDGETWATCH_SOURCES", "conf/sources.yaml")
    env.setenv("BUDGETWATCH_HOME", "data")
    settings = load_settings()
    assert settings.sources == tmp_path / "conf" / "sources.yaml"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'budgetwatch.db'}"
    assert settings.archive_dir == str(tmp_path / "data" / "archive")


@pytest.mark.parametrize("location", ["memory://bw", "s3://bucket/prefix", "file:///srv/archive"])
def test_an_fsspec_url_stays_a_url(env: pytest.MonkeyPatch, location: str) -> None:
    env.setenv("BUDGETWATCH_ARCHIVE_DIR", location)
    assert load_settings().archive_dir == location


def test_an_unknown_scheme_or_a_bad_number_is_a_chinese_configuration_error(env: pytest.MonkeyPatch) -> None:
    env.setenv("BUDGETWATCH_ARCHIVE_DIR", "s4://bucket")
    with pytest.raises(SettingsError, match="BUDGETWATCH_ARCHIVE_DIR.*不支持的存档位置协议 s4://"):
        load_settings()
    env.setenv("BUDGETWATCH_ARCHIVE_DIR", "archive")
    env.setenv("BUDGETWATCH_PARSE_WORKERS", "many")
    with pytest.raises(SettingsError, match="BUDGETWATCH_PARSE_WORKERS"):
        load_settings()
