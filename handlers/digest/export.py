"""Reports as files: the digest's numbers as CSV rows, and the tickets of a period as CSV for a
municipality's own spreadsheets (Excel-friendly by default: semicolons, decimal commas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.catalogue import t
from bot.core.tables import Ticket
from handlers.sla.calendar import SlaCalendar

from .period import Period
from .report import Report, _TicketRow

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvStyle:
    """excel: ';' between fields, decimal comma, a BOM so that Excel reads UTF-8 (æøå)."""

    delimiter: str = ";"
    decimal: str = ","
    bom: bool = True

    @classmethod
    def plain(cls) -> "CsvStyle":
        return cls(",", ".", False)

    def number(self, value: float | None, digits: int = 1) -> str:
        return "" if value is None else f"{value:.{digits}f}".replace(".", self.decimal)

    def write(self, header: list[str], rows: Iterable[list[str]]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([_safe(cell) for cell in row] for row in rows)
        return ("\ufeff" if self.bom else "") + buffer.getvalue()


def _safe(cell: str) -> str:
    """A spreadsheet must not run what someone typed as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) and not _is_number(cell) else cell


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
        return True
    except ValueError:
        return False


def report_csv(report: Report, lang: str, style: CsvStyle) -> str:
    now, before = report.activity, report.before
    promise, promise_before = report.promise, report.promise_before

    def hours(seconds: float | None) -> str:
        return style.number(None if seconds is None else seconds / 3600)

    def share(kept: int, due: int) -> str:
        return style.number(100 * kept / due if due else None)

    rows = [[name, str(getattr(now, name)), str(getattr(before, name))]
            for name in ("questions", "answered", "suggested", "tickets_opened", "tickets_answered", "resolved",
                         "withdrawn")]
    rows += [
        ["promise_kept", str(promise.kept), str(promise_before.kept)],
        ["promise_breached", str(promise.breached), str(promise_before.breached)],
        ["promise_share_percent", share(promise.kept, promise.due), share(promise_before.kept, promise_before.due)],
        ["first_answer_median_hours", hours(promise.median_seconds), hours(promise_before.median_seconds)],
        ["first_answer_p90_hours", hours(promise.p90_seconds), hours(promise_before.p90_seconds)],
        ["open_now", str(report.open_now), ""],
        ["at_risk_24h", str(report.at_risk), ""],
        ["overdue", str(report.overdue), ""],
    ]
    return style.write(t(lang, "digest.csv.report").split(","), rows)


async def tickets_csv(
    session: AsyncSession, period: Period, *, tz: ZoneInfo, lang: str, now: datetime, style: CsvStyle,
    workspace: str | None = None, names: dict[str, str] | None = None, with_text: bool = False,
    calendar: SlaCalendar | None = None,
) -> str:
    """One row per ticket opened in the period (time to first answer on the SLA calendar, as in
    the digest)."""
    query = (
        select(Ticket)
        .where(Ticket.created_at >= period.start, Ticket.created_at < period.end)
        .order_by(Ticket.id)  # type: ignore[arg-type]
    )
    if workspace:
        query = query.where(Ticket.workspace == workspace)
    names = names or {}
    yes, no = t(lang, "digest.csv.yes"), t(lang, "digest.csv.no")

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = []
    for ticket in (await session.execute(query)).scalars():
        row = _TicketRow(ticket.id or 0, ticket.workspace, ticket.status, ticket.created_at, ticket.deadline_at,
                         ticket.first_answer_at, ticket.resolved_at, ticket.closed_at, ticket.breached_at,
                         ticket.paused_at, ticket.paused_seconds, ticket.assignee_key, ticket.assignee_name)
        kept = row.kept()
        breached = row.breached(now)
        decided = kept or breached
        cells = [
            str(ticket.number), names.get(ticket.workspace, ticket.workspace), ticket.platform, ticket.status,
            when(ticket.created_at), when(ticket.deadline_at), when(ticket.first_answer_at),
            style.number(row.answer_seconds(calendar) / 3600 if ticket.first_answer_at else None),
            (yes if kept else no) if decided else "", yes if breached else no,
            ticket.assignee_name, ticket.topic or "", ticket.route, when(ticket.resolved_at), when(ticket.closed_at),
            ticket.origin,
        ]
        if with_text:
            cells.append(ticket.question_text or "")
        rows.append(cells)
    header = t(lang, "digest.csv.tickets").split(",")
    return style.write(header if with_text else header[:-1], rows)
