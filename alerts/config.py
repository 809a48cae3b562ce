"""The alert configuration: channels (Apprise URLs with tags) and routes.

Read from the YAML file of setting ``alerts`` (env ``BUDGETWATCH_ALERTS``);
``alerts.example.yaml`` documents every field. Secrets never live in that
file: ``${NAME}`` in a URL is replaced by the environment variable ``NAME``
or, failing that, by ``NAME=value`` from ``secrets_file`` (a file outside the
repository). Nothing here logs or prints an expanded URL; ``Channel.url`` is
excluded from ``repr``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from alerts.errors import AlertConfigError

__all__ = ["AlertConfig", "Channel", "Route", "HealthLimits", "RetryPolicy", "load_alert_config",
           "parse_alert_config", "SEVERITY_RANK", "channel_format"]

SeverityName = Literal["high", "medium", "low"]
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
ChannelFormat = Literal["email", "wecom", "dingtalk", "feishu", "json", "text"]
_FORMATS: dict[str, ChannelFormat] = {
    "mailto": "email", "mailtos": "email",
    "wecombot": "wecom",
    "dingtalk": "dingtalk",
    "feishu": "feishu", "lark": "feishu",
    "json": "json", "jsons": "json",
}
_SECRET = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def channel_format(url: str) -> ChannelFormat:
    """How a channel's digest is rendered, from its URL scheme."""
    return _FORMATS.get(url.split("://", 1)[0].lower(), "text")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Channel(_Strict):
    """One Apprise URL. ``heartbeat``: send "今日无新问题" on quiet nights."""

    name: str = Field(min_length=1)
    url: str = Field(min_length=4, repr=False)
    tags: tuple[str, ...] = ()
    heartbeat: bool = False

    @property
    def format(self) -> ChannelFormat:
        return channel_format(self.url)


class Route(_Strict):
    """Findings matching every given filter go to the channels tagged ``to``."""

    to: tuple[str, ...] = Field(min_length=1)
    min_severity: SeverityName = "low"
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()


class HealthLimits(_Strict):
    """When the pipeline's health is worth telling the operator."""

    failing_nights: int = Field(default=3, ge=1)
    silent_days: int = Field(default=400, ge=1)
    parse_failures_min: int = Field(default=3, ge=1)
    parse_failures_factor: float = Field(default=2.0, gt=1)


class RetryPolicy(_Strict):
    """Attempts per message within one run, waiting backoff·2^k seconds between them."""

    attempts: int = Field(default=3, ge=1)
    backoff_seconds: float = Field(default=2.0, ge=0)


class AlertConfig(_Strict):
    version: Literal[1] = 1
    operator_tag: str = "operator"
    secrets_file: Path | None = None
    channels: tuple[Channel, ...] = Field(min_length=1)
    routes: tuple[Route, ...] = ()
    health: HealthLimits = HealthLimits()
    retry: RetryPolicy = RetryPolicy()

    @field_validator("channels")
    @classmethod
    def _unique_names(cls, channels: tuple[Channel, ...]) -> tuple[Channel, ...]:
        names = [c.name for c in channels]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"渠道名称重复：{'、'.join(twice)}")
        return channels

    @model_validator(mode="after")
    def _routes_reach_channels(self) -> AlertConfig:
        tags = {t for c in self.channels for t in c.tags}
        unknown = sorted({t for r in self.routes for t in r.to} - tags)
        if unknown:
            raise ValueError(f"路由指向的标签没有对应渠道：{'、'.join(unknown)}")
        return self

    def is_operator(self, channel: Channel) -> bool:
        return self.operator_tag in channel.tags

    def routes_for(self, channel: Channel) -> list[Route]:
        return [r for r in self.routes if set(r.to) & set(channel.tags)]


def _read_secrets(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AlertConfigError(f"无法读取密钥文件 {path}：{exc.strerror}") from exc
    secrets: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            secrets[name.strip()] = value.strip().strip("'\"")
    return secrets


def _expand(url: str, channel: str, env: Mapping[str, str], secrets: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match[1]
        found = env.get(name, secrets.get(name))
        if found is None:
            raise AlertConfigError(f"渠道 {channel} 需要的密钥 {name} 未设置（环境变量或密钥文件）")
        return found

    return _SECRET.sub(value, url)


def parse_alert_config(data: object, *, env: Mapping[str, str] | None = None, where: str = "告警配置",
                       folder: Path | None = None) -> AlertConfig:
    """Validate ``data`` (parsed YAML) and expand the secrets of its URLs; a
    relative ``secrets_file`` is taken from ``folder`` (the configuration's)."""
    try:
        config = AlertConfig.model_validate(data)
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(map(str, e['loc'])) or '顶层'}：{e['msg']}" for e in exc.errors())
        raise AlertConfigError(f"{where} 有误：{problems}") from None
    environment = os.environ if env is None else env
    secrets_file = config.secrets_file.expanduser() if config.secrets_file else None
    if secrets_file and folder and not secrets_file.is_absolute():
        secrets_file = folder / secrets_file
    secrets = _read_secrets(secrets_file) if secrets_file else {}
    channels = tuple(
        c.model_copy(update={"url": _expand(c.url, c.name, environment, secrets)}) for c in config.channels
    )
    return config.model_copy(update={"channels": channels})


def load_alert_config(path: Path, *, env: Mapping[str, str] | None = None) -> AlertConfig:
    """The configuration in ``path``; ``AlertConfigError`` (Chinese) when unusable."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlertConfigError(f"无法读取告警配置 {path}：{exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise AlertConfigError(f"告警配置 {path} 不是有效的 YAML：{exc}") from exc
    return parse_alert_config(data, env=env, where=f"告警配置 {path}", folder=path.parent)
