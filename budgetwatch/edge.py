"""Errors at the edge: every command's failure becomes one Chinese line on stderr.

``BudgetwatchGroup`` is the click group class of the ``budgetwatch`` Typer
app, so every command and sub-command (``db …``) runs inside its
``invoke``: a usage error, a settings error, an unreachable or corrupt
database, a broken archive or any unexpected exception is printed as one
short line (``describe``) with a non-zero exit, never a traceback. The
global ``--debug`` option re-raises instead, for a developer.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from typer._click import exceptions as cli  # typer 0.29 vendors click; typer.BadParameter is cli.BadParameter
from typer.core import TyperGroup

__all__ = ["BudgetwatchGroup", "describe", "DEBUG_KEY", "USAGE_EXIT", "FAILURE_EXIT"]

DEBUG_KEY = "budgetwatch.debug"
USAGE_EXIT = 2  # click's convention for a command line it cannot use
FAILURE_EXIT = 1
_MAX_DETAIL = 160


class BudgetwatchGroup(TyperGroup):
    """Runs a command; maps whatever escapes it to one line (see the module docstring)."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, cli.NoArgsIsHelpError):
            raise  # a command's own exit status; help shown for a bare group
        except cli.UsageError as exc:
            if ctx.meta.get(DEBUG_KEY):
                raise
            typer.echo(_usage_line(exc), err=True)
            raise typer.Exit(USAGE_EXIT) from None
        except Exception as exc:  # noqa: BLE001 - the one place every error becomes a message
            if ctx.meta.get(DEBUG_KEY):
                raise
            typer.echo(describe(exc), err=True)
            raise typer.Exit(FAILURE_EXIT) from None


def _usage_line(exc: cli.UsageError) -> str:
    if isinstance(exc, cli.NoSuchOption):
        return f"没有这个选项：{exc.option_name}（用 --help 查看可用选项）"
    if isinstance(exc, cli.MissingParameter):
        return f"缺少参数：{_param_name(exc)}（用 --help 查看用法）"
    if isinstance(exc, cli.BadParameter):
        return f"参数 {_param_name(exc)} 的值无效：{_detail(exc.message)}"
    return f"命令行有误：{_detail(exc.format_message())}（用 --help 查看用法）"


def _param_name(exc: cli.BadParameter) -> str:
    if exc.param_hint:
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if exc.param is not None:
        return " / ".join(exc.param.opts) or str(exc.param.name)
    return "？"


def _detail(text: object) -> str:
    """The first line of a message, shortened: the line stays one line."""
    first = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    return first if len(first) <= _MAX_DETAIL else first[: _MAX_DETAIL - 1] + "…"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return seen


def describe(exc: BaseException) -> str:
    """One Chinese line for an error that stopped a command."""
    from config import SettingsError

    if isinstance(exc, SettingsError):
        return _detail(exc)
    database = _database_problem(exc)
    if database is not None:
        return database
    from analysis.errors import AnalysisError
    from crawler.errors import CrawlerError
    from parsers import ParseError
    from storage.errors import ArchiveError, NotFoundError

    if isinstance(exc, ArchiveError):
        return f"原件档案库出错：{_detail(exc)}"
    if isinstance(exc, NotFoundError):
        return f"数据库中找不到：{_detail(exc)}"
    if isinstance(exc, ParseError):
        return f"无法解析：{_detail(exc)}"
    if isinstance(exc, AnalysisError):
        return f"检查规则或部门名录有误：{_detail(exc)}"
    if isinstance(exc, CrawlerError):
        return f"抓取无法运行：{_detail(exc)}"
    if isinstance(exc, cli.ClickException):
        return _detail(exc.format_message())
    if isinstance(exc, OSError):
        where = f"：{exc.filename}" if exc.filename else ""
        return f"文件读写失败{where}：{exc.strerror or _detail(exc)}"
    return f"内部错误（{type(exc).__name__}）：{_detail(exc)}；加 --debug 查看详细信息"


def _database_problem(exc: BaseException) -> str | None:
    """A database that cannot be used, told apart by what SQLAlchemy and the driver said."""
    import sqlalchemy.exc as sa

    from storage.errors import DatabaseError

    chain = _chain(exc)
    if not any(isinstance(e, (DatabaseError, sa.SQLAlchemyError)) for e in chain):
        return None
    if any(isinstance(e, (sa.NoSuchModuleError, sa.ArgumentError)) for e in chain) or any(
        "invalid database URL" in str(e) for e in chain
    ):
        return "数据库地址无效或不受支持（BUDGETWATCH_DATABASE_URL），应为 sqlite:///路径 或 postgresql://…"
    text = " ".join(str(e) for e in chain)
    if re.search(r"file is not a database|database disk image is malformed|file is encrypted", text):
        return "数据库文件已损坏或不是 SQLite 数据库（BUDGETWATCH_DATABASE_URL），请检查或从备份恢复"
    if any(isinstance(e, sa.OperationalError) for e in chain):
        driver = next((e.orig for e in chain if isinstance(e, sa.OperationalError) and e.orig is not None), None)
        return f"无法连接数据库（BUDGETWATCH_DATABASE_URL）：{_detail(driver or exc)}"
    return f"数据库操作失败：{_detail(exc)}"
