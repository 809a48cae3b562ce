"""Money stays Decimal and timestamps stay UTC-aware on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError

from storage.columns import Money, UTCDateTime

BEIJING = timezone(timedelta(hours=8))


@pytest.fixture
def sample(engine: Engine) -> Table:
    table = Table(
        "columns_sample", MetaData(),
        Column("id", Integer, primary_key=True), Column("amount", Money), Column("at", UTCDateTime),
    )
    table.create(engine)
    return table


def test_money_round_trips_exactly(engine: Engine, sample: Table) -> None:
    values = [Decimal("599.47"), Decimal("12345678.90"), Decimal("-0.0001"), Decimal("9999999999999999.9999")]
    with engine.begin() as conn:
        conn.execute(insert(sample), [{"amount": v} for v in values])
        read = conn.execute(select(sample.c.amount).order_by(sample.c.id)).scalars().all()
    assert read == values and all(isinstance(v, Decimal) for v in read)


def test_money_never_stored_as_float_on_sqlite(engine: Engine, sample: Table) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite storage detail")
    with engine.begin() as conn:
        conn.execute(insert(sample), [{"amount": Decimal("0.1")}])
        stored = conn.execute(text("SELECT typeof(amount), amount FROM columns_sample")).one()
    assert tuple(stored) == ("text", "0.1000")


def test_money_refuses_floats(engine: Engine, sample: Table) -> None:
    with pytest.raises(StatementError, match="Decimal"), engine.begin() as conn:
        conn.execute(insert(sample), [{"amount": 599.47}])


def test_timestamps_come_back_aware_utc(engine: Engine, sample: Table) -> None:
    local = datetime(2024, 9, 1, 16, 30, tzinfo=BEIJING)
    with engine.begin() as conn:
        conn.execute(insert(sample), [{"at": local}])
        read = conn.execute(select(sample.c.at)).scalar_one()
    assert read == local and read.utcoffset() == timedelta(0) and read.hour == 8


def test_naive_timestamps_are_refused(engine: Engine, sample: Table) -> None:
    with pytest.raises(StatementError, match="naive"), engine.begin() as conn:
        conn.execute(insert(sample), [{"at": datetime(2024, 9, 1)}])


def test_money_refuses_amounts_beyond_numeric_20_4(engine: Engine, sample: Table) -> None:
    with pytest.raises(StatementError, match="does not fit"), engine.begin() as conn:
        conn.execute(insert(sample), [{"amount": Decimal("10000000000000000")}])
