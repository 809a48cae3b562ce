"""Independent reads of the sample database, for comparing with what the pages show."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import create_engine, text


def three_public_finals(database_url: str, department: str) -> dict[int, dict[str, Decimal]]:
    """year → component → the 决算数 stored for the department's 决算 documents."""
    engine = create_engine(database_url)
    found: dict[int, dict[str, Decimal]] = {}
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.year, li.column_key, li.amount FROM line_item li "
            "JOIN document d ON d.current_version_id = li.version_id "
            "WHERE d.department = :dep AND d.kind = '决算' AND li.table_id = 'final_three_public' "
            "AND li.column_key LIKE 'final.%' ORDER BY li.parsed_table_id, li.ordinal"), {"dep": department}).all()
    engine.dispose()
    for year, key, amount in rows:
        found.setdefault(year, {}).setdefault(key.split(".", 1)[1], Decimal(amount))
    return found


def finding_id(database_url: str, rule_id: str, row_key: str, year: int) -> int:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT id FROM finding WHERE rule_id = :r AND row_key = :k AND year = :y"),
                             {"r": rule_id, "k": row_key, "y": year}).scalar_one()
    engine.dispose()
    return value


def finding_cells(database_url: str, finding: int) -> list[list]:
    """The figures a finding compares as the check stored them: [[page, row, column, "amount"], …]."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT cells FROM finding WHERE id = :i"), {"i": finding}).scalar_one()
    engine.dispose()
    return json.loads(value) if isinstance(value, str) else value
