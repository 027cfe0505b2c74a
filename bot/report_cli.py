"""`kulturbot report`: the managers' digest for any period on the command line (text, JSON or
CSV, optionally the chart as a PNG file), and `kulturbot report tickets`: a period's tickets as
CSV for a municipality's own spreadsheets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import typer

from bot.core.config import Settings

T = TypeVar("T")

report_app = typer.Typer(
    help="Reports for managers: the digest for a period, and tickets as CSV.", add_completion=False,
)


class Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


def _dates(first: str | None, last: str | None) -> tuple[date, date]:
    from handlers.digest.period import PeriodError, parse_date

    if not first or not last:
        typer.echo("kulturbot report: give both --from and --to (e.g. --from 2026-11-01 --to 2026-11-30)", err=True)
        raise typer.Exit(2)
    try:
        start = parse_date(first, date.today().year)
        end = parse_date(last, start.year)
    except PeriodError as exc:
        typer.echo(f"kulturbot report: not a date: {exc} (use 2026-11-30 or 30.11.2026)", err=True)
        raise typer.Exit(2) from None
    if end < start:
        typer.echo("kulturbot report: --to is before --from", err=True)
        raise typer.Exit(2)
    return start, end


def _with_services(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run work(services) against the configured database, then close it."""
    from bot.core.clock import SystemClock
    from bot.core.context import Services
    from bot.core.database import Database
    from bot.runtime import load_knowledge

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            services = Services(settings=settings, clock=SystemClock(), db=db, knowledge=load_knowledge(settings))
            return await work(services)
        finally:
            await db.dispose()

    return asyncio.run(main())


def _out(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8", newline="")
        typer.echo(f"wrote {output}", err=True)


FROM = typer.Option(None, "--from", help="First day (2026-11-01 or 1.11.2026), in the configured time zone.")
TO = typer.Option(None, "--to", help="Last day, included.")
WORKSPACE = typer.Option(None, "--workspace", help="Only this municipality (Slack team id or Teams tenant id).")
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")
PLAIN = typer.Option(False, "--plain", help="CSV with commas and decimal points (default: Excel style, ';').")


@report_app.callback(invoke_without_command=True)
def report(
    ctx: typer.Context,
    first: str = FROM,
    last: str = TO,
    format: Format = typer.Option(Format.text, "--format", help="text, json or csv."),
    workspace: str = WORKSPACE,
    chart: Path = typer.Option(None, "--chart", help="Also write the chart to this PNG file."),
    output: Path = OUTPUT,
    plain_csv: bool = PLAIN,
) -> None:
    """The digest for --from … --to (compared with the same number of days before)."""
    if ctx.invoked_subcommand is not None:
        return
    from handlers.digest.export import CsvStyle, report_csv
    from handlers.digest.period import between
    from bot.cli import settings_or_exit  # lazy: bot.cli mounts this module
    from bot.core.model import as_text
    from handlers.digest.service import build, look_for
    from handlers.digest.views import title

    settings = settings_or_exit()
    start, end = _dates(first, last)

    async def work(services: Any) -> str:
        period = between(start, end, settings.tz, services.clock.now())
        if period.end <= period.start:
            typer.echo("kulturbot report: the period has not begun yet", err=True)
            raise typer.Exit(2)
        async with services.db.session() as session:
            report_, digest, picture = await build(session, services, period, settings.language, workspace=workspace)
        if chart is not None:
            import base64

            chart.write_bytes(base64.b64decode(picture.blocks[0].data))
        if format is Format.json:
            look = look_for(services, settings.language)
            data = {"title": title(report_, look), **report_.to_json()}
            data["article_titles"] = {a.article_id: look.article_title(a.article_id)
                                      for a in report_.top_articles + report_.disliked}
            data["workspace_names"] = {m.workspace: look.municipality(m.workspace) for m in report_.municipalities}
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if format is Format.csv:
            return report_csv(report_, settings.language, CsvStyle.plain() if plain_csv else CsvStyle())
        return as_text(digest) + "\n"

    _out(_with_services(settings, work), output)


@report_app.command("tickets")
def tickets(
    first: str = FROM,
    last: str = TO,
    workspace: str = WORKSPACE,
    with_text: bool = typer.Option(False, "--with-text", help="Include the question text (personal data: take care)."),
    output: Path = OUTPUT,
    plain_csv: bool = PLAIN,
) -> None:
    """The tickets opened from --from to --to as CSV: one row per ticket."""
    from handlers.digest.export import CsvStyle, tickets_csv
    from handlers.digest.period import between
    from handlers.sla.calendar import calendar_for

    from bot.cli import settings_or_exit  # lazy: bot.cli mounts this module

    settings = settings_or_exit()
    start, end = _dates(first, last)

    async def work(services: Any) -> str:
        now = services.clock.now()
        period = between(start, end, settings.tz, now)
        async with services.db.session() as session:
            return await tickets_csv(
                session, period, tz=settings.tz, lang=settings.language, now=now, workspace=workspace,
                names=settings.workspace_name_map, with_text=with_text, calendar=calendar_for(settings),
                style=CsvStyle.plain() if plain_csv else CsvStyle(),
            )

    _out(_with_services(settings, work), output)
