"""The archive browser's ASGI app: ``create_app(settings)``; ``budgetwatch serve`` runs it with uvicorn."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from analysis import load_identity
from config import Settings
from storage.archive import ArchiveStore
from web.db import readonly_engine
from web.pdfpages import PdfPages
from web.queries.departments import IndexCache
from web.queries.findings import CountCache
from web.render import templates
from web.routes import departments, diff, documents, files, findings, home, runs

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Everything is served by the app itself: no CDN, no inline script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith((".json", ".csv")) or request.query_params.get("_format") in ("json", "csv")


def create_app(settings: Settings) -> FastAPI:
    """The app on ``settings.database_url`` (read-only) and ``settings.archive_dir``."""
    app = FastAPI(title="预决算公开监测", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = readonly_engine(settings.database_url)
    app.state.archive = ArchiveStore(settings.archive_dir)
    app.state.identity = load_identity()
    app.state.index_cache = IndexCache(app.state.identity, app.state.engine)
    app.state.pages = PdfPages(app.state.archive.get)
    app.state.counts = CountCache()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (home, departments, documents, findings, files, diff, runs):
        app.include_router(module.router)

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # noqa: ANN001, ANN202
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    def _error(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        message = "页面不存在" if exc.status_code == 404 and detail in ("", "Not Found") else detail or "请求失败"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 400, "请求参数有误")

    return app
