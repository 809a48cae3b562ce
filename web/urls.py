"""The archive browser's stable URL scheme, shared by the web app and the alerts.

Alerts and exports link to these pages, so a path here never changes its
meaning; docs/web.md documents the scheme.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["department_url", "document_url", "file_url", "finding_url", "evidence_url", "run_url"]


def _join(base: str, path: str) -> str:
    return base.rstrip("/") + path


def department_url(base: str, department: str) -> str:
    """A department's page (by its identity key or printed name)."""
    return _join(base, f"/departments/{quote(department, safe='')}")


def document_url(base: str, document_id: int | str) -> str:
    return _join(base, f"/documents/{document_id}")


def finding_url(base: str, finding_id: int | str) -> str:
    return _join(base, f"/findings/{finding_id}")


def evidence_url(base: str, finding_id: int | str) -> str:
    """The original page rendered with the finding's cells outlined."""
    return _join(base, f"/findings/{finding_id}/evidence")


def file_url(base: str, sha256: str) -> str:
    """The archived original, served by its sha256 only."""
    return _join(base, f"/files/{sha256}")


def run_url(base: str, run_id: int | str) -> str:
    return _join(base, f"/runs/{run_id}")
