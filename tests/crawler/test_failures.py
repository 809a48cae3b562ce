"""Every failure gets a code and a readable message."""

from __future__ import annotations

import pytest
from OpenSSL import SSL
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.failures import OVER_LIMIT_META, describe_failure
from crawler.middlewares import RedirectLoop


def _failure(exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:  # noqa: BLE001 - building a Failure
        return Failure()


def _request(role: str = "file", **meta: object) -> Request:
    return Request("http://a.gov.cn/f.pdf", meta={"role": role, **meta})


@pytest.mark.parametrize(
    ("exc", "code", "words"),
    [
        (DNSLookupError("a.gov.cn"), "dns_failed", "域名"),
        (TimeoutError(), "timeout", "超时"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_forbidden", "robots.txt"),
        (RedirectLoop("http://a/x → http://a/y → http://a/x"), "redirect_loop", "重定向循环"),
        (ResponseNeverReceived([_failure(SSL.Error([("SSL routines", "", "certificate verify failed")]))]), "tls_failed", "TLS"),
    ],
)
def test_network_failures(exc: Exception, code: str, words: str) -> None:
    got_code, message = describe_failure(_failure(exc), _request())
    assert got_code == code and words in message and message.startswith("附件")


def test_too_many_redirects_names_the_last_hop() -> None:
    request = _request("list", redirect_urls=[f"http://a.gov.cn/{n}" for n in range(10)])
    code, message = describe_failure(_failure(IgnoreRequest("max redirections reached")), request)
    assert code == "too_many_redirects" and "10 次" in message and request.url in message


def test_body_over_the_limit_says_the_limit() -> None:
    request = _request(**{OVER_LIMIT_META: 200 * 1024 * 1024})
    code, message = describe_failure(_failure(Exception("cancelled")), request)
    assert code == "too_large" and "200 MB" in message


def test_http_error_status() -> None:
    response = Response("http://a.gov.cn/f.pdf", status=503)
    code, message = describe_failure(_failure(HttpError(response)), _request("detail"))
    assert code == "http_503" and message == "详情页返回 HTTP 503"
