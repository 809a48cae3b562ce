"""The column keys the checks read, decided once, here, per table id.

``tables.py`` keys each column from its header words (``column_key``); this
last step fits them to the table they belong to, so that ``parse --json``,
the database and the checks all see the same keys:

- tables other than the two-sided summaries: a 本年收入 / 本年支出 group
  heading over their columns is no side: ``expense.basic`` is ``basic``,
  ``income.total`` under 本年收入 | 合计 is ``total``; a column headed
  本年收入 alone (the 政府性基金 table) is ``income``.
- 三公 columns left unkeyed (``col<N>``): keyed by their printed header path,
  the side from 预算数 / 决算数 / 上年, the component from the last level.
"""

from __future__ import annotations

import re

__all__ = ["TWO_SIDED", "THREE_PUBLIC", "contract_keys"]

TWO_SIDED = frozenset({"final_summary", "budget_summary", "final_fiscal_summary", "budget_fiscal_summary"})
THREE_PUBLIC = frozenset({"final_three_public", "budget_three_public"})
_SIDES = ("income", "expense")
_COMPONENT_WORDS = (
    (("合计", "总计"), "total"),
    (("出国",), "abroad"),
    (("购置及运行",), "vehicle_total"),
    (("购置",), "vehicle_purchase"),
    (("运行",), "vehicle_operation"),
    (("接待",), "reception"),
)


def _one_sided(key: str, label: str) -> str:
    side, _, rest = key.partition(".")
    if side not in _SIDES or not rest:
        return key
    return "income" if side == "income" and label.rpartition("/")[2] == "本年收入" else rest


def _three_public(key: str, label: str) -> str:
    if not key.startswith("col") or not label:
        return key
    *path, last = label.split("/")
    side = next((k for w, k in (("上年", "prior"), ("决算", "final"), ("预算", "budget")) if w in "".join(path)), None)
    component = next(
        (k for words, k in _COMPONENT_WORDS if any(w in last for w in words) and not ("及" in last and k != "vehicle_total")),
        None,
    )
    if last == "小计":
        parent = "".join(path)
        component = "vehicle_total" if "公务用车" in parent else "total" if "三公" in parent else None
    if component is None:
        return key
    return f"{side}.{component}" if side else component


def contract_keys(table_id: str | None, keys: list[str], labels: list[str]) -> list[str]:
    """The keys of a table's columns as the checks read them (``labels``: header paths joined by "/")."""
    labels = [re.sub(r"\s+", "", label) for label in labels]
    if table_id not in TWO_SIDED:
        keys = [_one_sided(k, label) for k, label in zip(keys, labels)]
    if table_id in THREE_PUBLIC:
        keys = [_three_public(k, label) for k, label in zip(keys, labels)]
    return keys
