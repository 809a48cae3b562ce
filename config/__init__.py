"""Settings every layer reads (crawler, pipeline, alerts, web, CLI) without importing the CLI."""

from config.settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "load_settings"]
