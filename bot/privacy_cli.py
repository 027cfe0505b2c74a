"""`kulturbot privacy …`: the retention purge, and a user's data exported or erased on request.

Every command is audited in privacy_audit with the operating-system user who ran it.
Erasing withdraws the user's open tickets; the advisers' cards are updated by a running
`kulturbot serve` (the messages wait in the outbox until then).
"""

from __future__ import annotations

import asyncio
import getpass
import json
from pathlib import Path
from typing import Any, Optional

import typer

privacy_app = typer.Typer(help="Personal data: retention purge, export and erasure (all audited).",
                          no_args_is_help=True)

USER = typer.Option(..., "--user", help="The platform user id (Slack U…, Teams 29:…).")
PLATFORM = typer.Option(None, "--platform", help="Only this platform: slack, teams or console.")
WORKSPACE = typer.Option(None, "--workspace", help="Only this workspace (Slack team id / Teams tenant id).")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli"


def _run(job: Any) -> Any:
    from bot.cli import settings_or_exit
    from bot.core import logs

    settings = settings_or_exit()
    logs.setup("WARNING")
    return asyncio.run(job(settings))


async def _with_services(settings: Any, work: Any) -> Any:
    from bot.core.clock import SystemClock
    from bot.core.context import Services, system_context
    from bot.core.database import Database
    from bot.runtime import load_knowledge

    db = Database(settings.database_url)
    try:
        await db.upgrade()
        services = Services(settings=settings, clock=SystemClock(), db=db, knowledge=load_knowledge(settings))
        async with db.session() as session:
            return await work(system_context(services, session))
    finally:
        await db.dispose()


@privacy_app.command("purge")
def purge_command() -> None:
    """Anonymise questions and closed tickets older than RETENTION_DAYS now (the hourly job does the same)."""
    from handlers.retention import purge

    async def job(settings: Any) -> dict[str, int]:
        async def work(ctx: Any) -> dict[str, int]:
            return await purge(ctx.session, ctx.now(), retention_days=settings.retention_days,
                               delivery_days=settings.delivery_retention_days, actor=_actor())
        return await _with_services(settings, work)

    counts = _run(job)
    typer.echo("anonymised: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


@privacy_app.command("export")
def export_command(
    user: str = USER,
    platform: Optional[str] = PLATFORM,
    workspace: Optional[str] = WORKSPACE,
    out: Optional[Path] = typer.Option(None, "--out", help="Write the JSON to this file instead of stdout."),
) -> None:
    """Everything stored about a user (questions, tickets, messages), as JSON."""
    from handlers.retention import Subject, export_person

    subject = Subject(user, platform, workspace)

    async def job(settings: Any) -> dict[str, Any]:
        async def work(ctx: Any) -> dict[str, Any]:
            return await export_person(ctx.session, subject, now=ctx.now(), actor=_actor())
        return await _with_services(settings, work)

    data = _run(job)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text)
    if not data["people"]:
        typer.echo("nothing is stored for this user", err=True)


@privacy_app.command("delete")
def delete_command(
    user: str = USER,
    platform: Optional[str] = PLATFORM,
    workspace: Optional[str] = WORKSPACE,
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Erase a user: open tickets withdrawn, identity and text removed from questions and tickets."""
    from handlers.retention import Subject, forget_person

    subject = Subject(user, platform, workspace)
    if not yes:
        typer.confirm(f"Erase everything stored about {subject.label()}? This cannot be undone", abort=True)

    async def job(settings: Any) -> dict[str, int]:
        async def work(ctx: Any) -> dict[str, int]:
            return await forget_person(ctx, subject, actor=_actor())
        return await _with_services(settings, work)

    counts = _run(job)
    typer.echo("erased: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
