"""Bounded pagination: every list the browser shows or exports is a page of it."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query

__all__ = ["Paging", "paging", "PAGE_SIZE", "MAX_PAGE_SIZE", "MAX_PAGE"]

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 10_000  # deep offsets cost a scan; past this, narrow the filters


@dataclass(frozen=True)
class Paging:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def info(self, shown: int, total: int | None = None) -> dict[str, int | bool | None]:
        """What the pager partial and the JSON need: page, size, total, whether more follow."""
        more = shown == self.size if total is None else self.offset + shown < total
        return {"page": self.page, "size": self.size, "total": total, "has_next": more and self.page < MAX_PAGE}


def paging(
    page: int = Query(1, ge=1, le=MAX_PAGE, alias="_page"),
    size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, alias="_size"),
) -> Paging:
    """FastAPI dependency: ``?_page=`` and ``?_size=`` (Datasette spells it ``_size``)."""
    return Paging(page, size)
