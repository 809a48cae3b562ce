"""One typed settings object, read from ``BUDGETWATCH_*`` environment variables.

Every variable is optional; the defaults give the embedded setup (SQLite and
a local archive under ``./var``, no Prefect server). Relative paths resolve
against the current directory when the settings are loaded. The archive is
a local folder or an fsspec URL (``memory://``, ``s3://``, ``file://``);
anything else is refused here, at start, rather than written somewhere
unexpected.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "SettingsError", "load_settings"]

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_URL = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://")
# fsspec protocols an archive may live on; a typo such as ``s4://`` is a configuration error.
ARCHIVE_SCHEMES = frozenset({"file", "memory", "s3", "gs", "gcs", "az", "abfs", "adl", "sftp", "ftp", "hdfs", "webdav"})


class SettingsError(ValueError):
    """A setting has a value budgetwatch cannot use (message in Chinese, for people)."""


class Settings(BaseSettings):
    """What a run needs to know about its environment."""

    model_config = SettingsConfigDict(env_prefix="BUDGETWATCH_", frozen=True, extra="ignore")

    home: Path = Field(default=Path("var"), description="working folder (database, archive, run files)")
    database_url: str = Field(default="", description="SQLAlchemy URL; SQLite in the home when empty")
    archive_dir: str = Field(default="", description="local folder or fsspec URL; <home>/archive when empty")
    sources: Path = Field(default=_PACKAGE_ROOT / "crawler" / "sources.yaml", description="source registry (YAML)")
    rules: Path | None = Field(default=None, description="check rules (YAML); the packaged rules when unset")
    alerts: Path | None = Field(default=None, description="alert channels and routes (YAML)")
    base_url: str = Field(default="http://127.0.0.1:8000", description="archive browser address used in alerts")
    parse_timeout: float = Field(default=300.0, gt=0, description="seconds one file may take to parse")
    parse_memory_mb: int = Field(default=1536, gt=64, description="address-space bound of one parse process")
    parse_workers: int = Field(default=0, ge=0, description="parallel parse processes; 0 = number of CPUs")
    dask_address: str | None = Field(default=None, description="run the parse step on this Dask scheduler")
    revalidate_max_days: float = Field(
        default=30.0, gt=0, description="a file replaced silently at its URL is noticed within this many days"
    )
    list_sweep_days: float = Field(
        default=7.0, gt=0, description="every list page of a source is read at least this often (deeper pages are skipped between)"
    )
    crawl_now: str | None = Field(default=None, description="ISO time a crawl pretends to run at (tests, benchmarks)")

    @field_validator("home", "sources", "rules", "alerts", mode="after")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser().resolve()

    @field_validator("archive_dir", mode="after")
    @classmethod
    def _archive_location(cls, value: str) -> str:
        if not value:
            return value
        match = _URL.match(value)
        if match is None:
            return str(Path(value).expanduser().resolve())
        if match["scheme"].lower() not in ARCHIVE_SCHEMES:
            raise ValueError(f"不支持的存档位置协议 {match['scheme']}://（可用：本地路径或 {'、'.join(sorted(ARCHIVE_SCHEMES))}）")
        return value

    @model_validator(mode="after")
    def _defaults_in_home(self) -> Settings:
        # Frozen model: fill the home-relative defaults once, at validation.
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{self.home / 'budgetwatch.db'}")
        if not self.archive_dir:
            object.__setattr__(self, "archive_dir", str(self.home / "archive"))
        return self


def load_settings() -> Settings:
    """Settings from the environment; ``SettingsError`` names the bad variable in Chinese."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "；".join(
            f"BUDGETWATCH_{'_'.join(map(str, e['loc'])).upper()}：{e['msg']}" for e in exc.errors()
        )
        raise SettingsError(f"设置有误：{problems}") from exc
