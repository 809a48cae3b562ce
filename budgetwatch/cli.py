"""The ``budgetwatch`` command: one Typer app, commands registered per area."""

from __future__ import annotations

import typer

from budgetwatch.commands import (
    alerts_commands,
    check_commands,
    crawl_commands,
    demo_commands,
    parse_commands,
    run_commands,
    sources_commands,
    storage_commands,
    web_commands,
)
from budgetwatch.edge import DEBUG_KEY, BudgetwatchGroup

app = typer.Typer(
    cls=BudgetwatchGroup,  # every command's errors become one Chinese line (budgetwatch/edge.py)
    help="预决算公开监测：抓取、解析、检查政府部门预算/决算公开文件。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的 Python 错误堆栈（供开发者排查）"),
) -> None:
    ctx.meta[DEBUG_KEY] = debug

# Each area keeps its commands in budgetwatch/commands/<area>_commands.py
# and exposes register(app).
for module in (run_commands, parse_commands, demo_commands, crawl_commands, sources_commands, check_commands,
               storage_commands, alerts_commands, web_commands):
    module.register(app)
