"""What each department's last check read (revision ``0005_pipeline``).

``pipeline.check.check_changed`` compares a digest of a department's
inputs (documents, versions, parses, rules, passed deadlines) with the one
stored here and checks only the departments whose inputs moved: a quiet
night costs what changed, not the archive's size.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime

__all__ = ["CheckState"]


class CheckState(SQLModel, table=True):
    __tablename__ = "check_state"

    department: str = Field(primary_key=True)
    digest: str = Field(max_length=64)
    checked_at: datetime = Field(sa_type=UTCDateTime)
