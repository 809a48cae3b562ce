"""Alerts: one digest per channel per run through Apprise, routed, never duplicated, never lost.

The nightly flow calls ``deliver_alerts``; the CLI (``budgetwatch alerts``)
uses the same pieces to test channels, show the outbox and preview digests.
"""

from alerts.config import AlertConfig, Channel, Route, load_alert_config, parse_alert_config
from alerts.deliver import ChannelReport, DeliveryReport, check_channels, deliver_alerts, nightly_step
from alerts.errors import AlertConfigError, AlertError

__all__ = [
    "AlertConfig", "AlertConfigError", "AlertError", "Channel", "ChannelReport", "DeliveryReport", "Route",
    "check_channels", "deliver_alerts", "load_alert_config", "nightly_step", "parse_alert_config",
]
