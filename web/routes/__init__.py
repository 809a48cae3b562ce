"""Route modules, one per page family; ``page`` registers a path with its ``.json``/``.csv`` twin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.convertors import Convertor, register_url_convertor

__all__ = ["page", "get_session", "Ctx"]


class FormatConvertor(Convertor[str]):
    regex = "json|csv"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("fmt", FormatConvertor())


def page(router: APIRouter, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """GET ``path`` and ``path.json`` / ``path.csv`` (the twin first, so a name never swallows the suffix)."""

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(("/" if path == "/" else path) + ".{fmt:fmt}", endpoint, methods=["GET"], include_in_schema=False)
        router.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
        return endpoint

    return register


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's read-only engine."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


class Ctx:
    """What views need from the app: identity, department index, findings counts, PDF pages, archive."""

    def __init__(self, request: Request) -> None:
        state = request.app.state
        self.identity = state.identity
        self.index_cache = state.index_cache
        self.counts = state.counts
        self.pages = state.pages
        self.archive = state.archive
