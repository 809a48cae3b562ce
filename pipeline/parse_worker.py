"""Parse files in child processes bounded in time and memory.

Parsing untrusted files is the one step that can hang, exhaust memory or
crash the interpreter (a native library on a damaged PDF). Each file is
parsed in its own child process, forked from a server that has already
imported the parser (``forkserver`` with preload: a fork costs milliseconds,
no import per file). The child caps its address space; the parent waits at
most the time bound and kills the child after it. Whatever happens, the
caller gets a ``ParseOutcome`` — a document or a recorded error — and goes on
with the next file. Callers that wait on several children from threads
parse truly in parallel (``pipeline.runner``).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from config import Settings
from parsers import ParsedDocument, ParseError, parse_bytes

__all__ = ["ParseLimits", "ParseOutcome", "parse_isolated", "default_workers"]

# Time a child gets after its result to exit before it is killed.
_EXIT_GRACE_SECONDS = 5.0
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["parsers.document", "pipeline.parse_worker"])


@dataclass(frozen=True)
class ParseLimits:
    """Bounds of one file's parse (``config.Settings``: parse_timeout, parse_memory_mb)."""

    timeout_seconds: float = 300.0
    memory_mb: int = 1536
    ocr: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> ParseLimits:
        return cls(timeout_seconds=settings.parse_timeout, memory_mb=settings.parse_memory_mb)


@dataclass(frozen=True)
class ParseOutcome:
    """A parse: ``document``, or ``error_code`` and a Chinese ``error_message``."""

    document: ParsedDocument | None
    error_code: str | None = None
    error_message: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.document is not None


# A test sets this to a callable to stand in for the parser inside the child
# (a file that hangs or eats memory); see tests/pipeline/test_parse_worker.py.
ParserFunction = Callable[[bytes, str, bool], ParsedDocument]


def _parse(data: bytes, file_name: str, ocr: bool) -> ParsedDocument:
    return parse_bytes(data, file_name, ocr=ocr)


def _child(connection: Connection, data: bytes, file_name: str, limits: ParseLimits, parser: ParserFunction) -> None:
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        result: tuple = ("ok", parser(data, file_name, limits.ocr))
    except ParseError as exc:
        result = ("error", exc.code, str(exc))
    except MemoryError:
        result = ("error", "memory_limit", f"解析超出内存上限 {limits.memory_mb} MB，已停止")
    except RecursionError:
        result = ("error", "parser_crash", "解析程序出错（递归过深）")
    except Exception as exc:  # noqa: BLE001 - a parser bug is this file's error, never the run's
        result = ("error", "parser_crash", f"解析程序出错：{type(exc).__name__}: {exc}"[:500])
    try:
        connection.send(result)
    except MemoryError:
        connection.send(("error", "memory_limit", f"解析结果超出内存上限 {limits.memory_mb} MB"))
    finally:
        connection.close()


def parse_isolated(data: bytes, file_name: str, limits: ParseLimits = ParseLimits(), *,
                   parser: ParserFunction = _parse) -> ParseOutcome:
    """Parse ``data`` in a bounded child process; never raises for the file's sake."""
    started = time.monotonic()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sender, data, file_name, limits, parser), daemon=True)
    child.start()
    sender.close()
    result: tuple | None = None
    try:
        if receiver.poll(limits.timeout_seconds):
            result = receiver.recv()
    except (EOFError, OSError):
        result = None  # the child died before answering
    finally:
        receiver.close()
    child.join(_EXIT_GRACE_SECONDS if result is not None else 0.1)
    timed_out = result is None and child.is_alive()
    if child.is_alive():
        child.kill()
        child.join()
    seconds = time.monotonic() - started
    if result is not None and result[0] == "ok":
        return ParseOutcome(result[1], seconds=seconds)
    if result is not None:
        return ParseOutcome(None, result[1], result[2], seconds)
    if timed_out:
        return ParseOutcome(None, "timeout", f"解析超过时间上限 {limits.timeout_seconds:g} 秒，已停止", seconds)
    return ParseOutcome(None, "parser_crash", f"解析进程异常退出（退出码 {child.exitcode}），可能超出内存上限或文件损坏", seconds)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))
