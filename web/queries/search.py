"""Documents by title or department name, newest year first, the matches found from an index.

Revision ``0010_web_search`` indexes substrings of three characters or more:
SQLite's FTS5 table ``document_search`` (trigram tokenizer over title and
department; a quoted phrase is a case-folded substring test, as LIKE is)
and PostgreSQL's trigram GIN indexes, which ``LIKE '%…%'`` uses by itself.
The matches are then sorted: the cost follows the number of matches, not
of documents. (Walking a year index until a page is full is faster for a
common text but scans nearly everything for one tied to an old year, such
as 2016年, which is what people type.) Shorter text has no trigram and
scans every title, once, sorting the matches.
"""

from __future__ import annotations

from sqlalchemy import Integer, Select, column, func, or_
from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from storage.models import Document
from web.paging import Paging

__all__ = ["search_documents", "MIN_INDEXED"]

MIN_INDEXED = 3  # trigram indexes answer substrings of this many characters or more

_FTS = sql("SELECT rowid FROM document_search WHERE document_search MATCH :phrase").columns(column("rowid", Integer))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _containing(session: Session, text: str) -> Select:
    """Documents whose title or department name contains ``text``."""
    if len(text) >= MIN_INDEXED and session.get_bind().dialect.name == "sqlite":
        phrase = '"' + text.replace('"', '""') + '"'
        return select(Document).where(col(Document.id).in_(_FTS.bindparams(phrase=phrase)))
    pattern = _like(text)
    return select(Document).where(or_(col(Document.title).like(pattern, escape="\\"),
                                      col(Document.department).like(pattern, escape="\\")))


def search_documents(session: Session, text: str, paging: Paging, *, departments: list[str] | None = None
                     ) -> list[Document]:
    """Documents matching ``text``, newest year first.

    With ``departments`` (the printed names whose department matched
    ``text``, from the department index) the documents of those departments,
    an indexed lookup; otherwise the documents whose title or department
    name contains ``text``. Ordered by an expression, so neither becomes a
    walk of the year index with a table lookup per row.
    """
    text = text.strip()
    if departments:
        query = select(Document).where(col(Document.department).in_(departments))
    else:
        query = _containing(session, text)
    order = (func.coalesce(Document.year, 0).desc(), col(Document.id).desc())
    return list(session.exec(query.order_by(*order).offset(paging.offset).limit(paging.size)).all())
