"""Bounded parse processes: a hang, a memory hog or a crash is that file's error; the next file parses."""

from __future__ import annotations

import os
import time

import pytest

from parsers import ParsedDocument
from pipeline.parse_worker import ParseLimits, parse_isolated


def hang(data: bytes, name: str, ocr: bool) -> ParsedDocument:
    time.sleep(3600)
    raise AssertionError("unreachable")


def eat_memory(data: bytes, name: str, ocr: bool) -> ParsedDocument:
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def die(data: bytes, name: str, ocr: bool) -> ParsedDocument:
    os._exit(139)  # as a native library's segfault would end the process


def boom(data: bytes, name: str, ocr: bool) -> ParsedDocument:
    raise KeyError("a parser bug")


def test_a_hanging_parse_is_stopped_at_the_time_bound_and_the_next_file_parses(seed_pdf_bytes: bytes) -> None:
    started = time.monotonic()
    outcome = parse_isolated(b"%PDF-1.4", "hang.pdf", ParseLimits(timeout_seconds=2), parser=hang)
    assert outcome.error_code == "timeout" and "2 秒" in (outcome.error_message or "")
    assert time.monotonic() - started < 30
    good = parse_isolated(seed_pdf_bytes, "good.pdf", ParseLimits(timeout_seconds=120))
    assert good.ok and good.document.tables


def test_memory_exhaustion_is_stopped_at_the_memory_bound() -> None:
    outcome = parse_isolated(b"x", "big.pdf", ParseLimits(timeout_seconds=60, memory_mb=400), parser=eat_memory)
    assert outcome.error_code == "memory_limit"
    assert "400 MB" in (outcome.error_message or "")


def test_a_crashing_interpreter_and_a_parser_bug_are_recorded_not_raised() -> None:
    crashed = parse_isolated(b"x", "crash.pdf", ParseLimits(timeout_seconds=30), parser=die)
    assert crashed.error_code == "parser_crash" and "139" in (crashed.error_message or "")
    bug = parse_isolated(b"x", "bug.pdf", ParseLimits(timeout_seconds=30), parser=boom)
    assert bug.error_code == "parser_crash" and "KeyError" in (bug.error_message or "")


def test_a_parse_error_keeps_its_code_and_chinese_message() -> None:
    outcome = parse_isolated(b"<html><body>404</body></html>", "err.pdf", ParseLimits(timeout_seconds=60))
    assert outcome.error_code == "unsupported_format"
    assert "HTML" in (outcome.error_message or "")


@pytest.fixture(scope="module")
def seed_pdf_bytes(rendered_seeds) -> bytes:  # noqa: ANN001 - the session's rendered seeds
    path, _ = rendered_seeds[("000", "ruled_portrait")]
    return path.read_bytes()
