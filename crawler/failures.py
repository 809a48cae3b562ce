"""Every way a request can fail, as an event code and a readable message.

A failure is never silent: the spider turns each into a ``crawl_event``
whose code says what happened (``redirect_loop``, ``dns_failed`` …) and whose
Chinese message says it to a person.
"""

from __future__ import annotations

from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler.middlewares import RedirectLoop

__all__ = ["describe_failure", "ROLE_NAMES", "OVER_LIMIT_META"]

ROLE_NAMES = {"list": "列表页", "detail": "详情页", "file": "附件", "": "请求"}
OVER_LIMIT_META = "budgetwatch_over_limit"  # set by crawler.bodies when a body passes the limit


def _redirect_failure(request: Request) -> tuple[str, str] | None:
    chain = [*request.meta.get("redirect_urls", []), request.url]
    if len(chain) < 2:
        return None
    return "too_many_redirects", f"重定向次数过多（{len(chain) - 1} 次），最后到达 {chain[-1]}"


def _is_tls(failure: Failure) -> bool:
    reasons = getattr(failure.value, "reasons", None) or [failure]
    for reason in reasons:
        name = f"{type(reason.value).__module__}.{type(reason.value).__name__}"
        if "SSL" in name or "ssl" in name or "TLS" in name or "certificate" in str(reason.value).lower():
            return True
    return False


def describe_failure(failure: Failure, request: Request) -> tuple[str, str]:
    """(code, message) for a failed request; ``role`` names what it was."""
    what = ROLE_NAMES.get(request.meta.get("role", ""), "请求")
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", f"{what}返回 HTTP {status}"
    if limit := request.meta.get(OVER_LIMIT_META):
        return "too_large", f"{what}超过大小上限 {limit / 1024 / 1024:.0f} MB，已停止下载（未存档）"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timeout", f"{what}请求超时"
    if failure.check(DNSLookupError):
        return "dns_failed", f"{what}的域名无法解析：{failure.value}"
    if failure.check(ConnectionRefusedError):
        return "connection_refused", f"{what}所在服务器拒绝连接"
    if failure.check(RedirectLoop):
        return "redirect_loop", f"{what}重定向循环：{failure.value}"
    if failure.check(IgnoreRequest):
        text = str(failure.value)
        if "robots.txt" in text:
            return "robots_forbidden", f"{what}被 robots.txt 禁止抓取"
        if redirect := _redirect_failure(request):
            return redirect
        return "ignored", f"{what}请求被忽略：{text}"
    if failure.check(CancelledError) or "max size" in str(failure.value):
        return "too_large", f"{what}超过大小上限，已停止下载（未存档）"
    if _is_tls(failure):
        return "tls_failed", f"{what}的 HTTPS 连接失败（证书或 TLS 错误）：{failure.value}"
    return "download_failed", f"{what}下载失败：{type(failure.value).__name__}: {failure.value}"
