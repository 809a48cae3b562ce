"""Column types shared by every table: money, UTC timestamps, JSON.

``Money`` keeps amounts as ``Decimal`` end to end. PostgreSQL stores
``NUMERIC(20, 4)``; SQLite has no decimal type (its NUMERIC affinity turns
values into binary floats), so there the same value is stored as its
canonical decimal text and never passes through a float.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["Money", "UTCDateTime", "JSONType", "MONEY_SCALE", "fits_money", "utcnow"]

MONEY_SCALE = 4
_QUANTUM = Decimal(1).scaleb(-MONEY_SCALE)
_MONEY_LIMIT = Decimal(10) ** (20 - MONEY_SCALE)

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def fits_money(value: Decimal) -> bool:
    """Whether ``value`` fits ``NUMERIC(20, 4)`` once rounded to 4 places."""
    return value.is_finite() and abs(value) < _MONEY_LIMIT - _QUANTUM / 2


class Money(TypeDecorator[Decimal]):
    """``NUMERIC(20, 4)`` as ``Decimal``; decimal text on SQLite."""

    impl = Numeric(20, MONEY_SCALE, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(20, MONEY_SCALE, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be Decimal, got {type(value).__name__}")
        if not fits_money(value):
            raise ValueError(f"amount {value} does not fit NUMERIC(20, {MONEY_SCALE})")
        value = value.quantize(_QUANTUM, rounding=ROUND_HALF_UP)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp; naive datetimes are refused.

    SQLite keeps no offset, so values read back from it are tagged UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware (UTC) datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
