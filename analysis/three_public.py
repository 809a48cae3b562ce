"""The 三公经费 table read as {side: {component: item}}."""

from __future__ import annotations

from parsers.model import DocumentKind, LineItem, ParsedDocument, ParsedTable

__all__ = ["COMPONENTS", "COMPONENT_NAMES", "three_public_table", "three_public_figures"]

COMPONENTS = ("total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")
COMPONENT_NAMES = {
    "total": "三公经费合计",
    "abroad": "因公出国(境)费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}


def three_public_table(doc: ParsedDocument) -> ParsedTable | None:
    return doc.table("final_three_public") or doc.table("budget_three_public")


def three_public_figures(doc: ParsedDocument) -> dict[str, dict[str, LineItem]]:
    """``budget`` / ``final`` / ``prior`` → component → first item.

    A budget document's unprefixed columns are its 预算数.
    """
    table = three_public_table(doc)
    found: dict[str, dict[str, LineItem]] = {}
    if table is None:
        return found
    default_side = "final" if doc.kind == DocumentKind.FINAL else "budget"
    for item in table.items:
        side, _, component = item.column_key.rpartition(".")
        side = side or default_side
        if component in COMPONENTS:
            found.setdefault(side, {}).setdefault(component, item)
    return found
