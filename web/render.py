"""One response per page in three formats, the Datasette way.

A view builds a plain ``data`` dict once; ``respond`` sends it as HTML
(its template), JSON (``/path.json`` or ``?_format=json``) or CSV
(``/path.csv`` or ``?_format=csv``, the list named by ``rows``). Templates
autoescape: every crawled or parsed string reaches the page as text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from jinja2.utils import htmlsafe_json_dumps
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from web.labels import LABELS

__all__ = ["FORMATS", "respond", "templates", "plain", "money"]

FORMATS = ("json", "csv")
TEMPLATES_DIR = Path(__file__).with_name("templates")


def plain(value: Any) -> Any:
    """``value`` with Decimals as strings, dates as ISO text, models as dicts (for JSON and CSV)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return plain(value.model_dump())
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def money(value: Decimal | None) -> str:
    """Amounts as printed in the documents: thousands separators, two decimals."""
    return "—" if value is None else f"{value:,.2f}"


def http_url(value: str | None) -> str:
    """Crawled links as hrefs only when they are http(s): never ``javascript:`` or ``data:``."""
    return value if value and value.lower().startswith(("http://", "https://")) else "#"


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+.2f}%"


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True
templates.env.filters.update(money=money, http_url=http_url, percent=percent, json=lambda v: htmlsafe_json_dumps(plain(v)), label=lambda v, group: LABELS[group].get(v, v or ""))


def _format(request: Request) -> str:
    fmt = request.path_params.get("fmt") or request.query_params.get("_format") or "html"
    if fmt not in (*FORMATS, "html"):
        raise HTTPException(404, "不支持的格式")
    return fmt


def _csv(items: list[Any], name: str) -> Response:
    rows = [plain(item) for item in items]
    out = io.StringIO()
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                         for k, v in row.items()})
    # A BOM so that Excel, which many readers open CSV with, reads UTF-8.
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def respond(request: Request, template: str, data: dict[str, Any], *, rows: str | None = None) -> Response:
    """``data`` as HTML, JSON or CSV (the list ``data[rows]``) by the request's format."""
    fmt = _format(request)
    if fmt == "json":
        return JSONResponse(plain(data))
    if fmt == "csv":
        if rows is None:
            raise HTTPException(404, "此页面没有 CSV 导出")
        return _csv(data[rows], rows)
    return templates.TemplateResponse(request, template, data)
