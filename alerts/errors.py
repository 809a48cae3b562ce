"""Alert errors: one tree.

    AlertError
    └── AlertConfigError   the alert YAML, a secret or a channel URL is unusable
                           (raised when a run starts, before anything is sent)

A channel refusing a message is not an exception: it is recorded on the
outbox row and reported in ``DeliveryReport.failed``.
"""

from __future__ import annotations

__all__ = ["AlertError", "AlertConfigError"]


class AlertError(Exception):
    """Base of every error raised by ``alerts`` (messages in Chinese, for people)."""


class AlertConfigError(AlertError):
    """The alert configuration cannot be used as it is."""
