"""What the SLA notices say: reminders, the breach escalation, the asker's apology."""

from __future__ import annotations

from datetime import datetime

from bot.core.context import Context
from bot.core.model import Block, Button, Message, buttons, markdown, plain, select
from bot.core.tables import Ticket
from handlers.tickets.views import safe_name
from handlers.timefmt import short_datetime

from .calendar import SlaCalendar

EXCERPT_CHARS = 300


def left_text(ctx: Context, seconds: float, business: bool) -> str:
    """'8 timer', '1 time', '45 minutter' (business calendar: 'arbeidstimer'), rounded."""
    minutes = max(1, int(seconds / 60 + 0.5))
    if minutes < 60:
        return ctx.t("sla.left.minute") if minutes == 1 else ctx.t("sla.left.minutes", n=minutes)
    hours = int(minutes / 60 + 0.5)
    unit = "sla.left.business_hour" if business else "sla.left.hour"
    return ctx.t(unit) if hours == 1 else ctx.t(unit + "s", n=hours)


def when_text(ctx: Context, moment: datetime, now: datetime) -> str:
    """'kl. 14:05 i dag', or 'fre. 27.11 kl. 14:05' on another day."""
    tz = ctx.settings.tz
    if moment.astimezone(tz).date() == now.astimezone(tz).date():
        return ctx.t("sla.when.today", time=f"{moment.astimezone(tz):%H:%M}")
    return ctx.t("sla.when.other", date=short_datetime(moment, tz, ctx.lang))


def _excerpt(ticket: Ticket) -> list[Block]:
    text = (ticket.question_text or "").strip()
    if not text:
        return []
    if len(text) > EXCERPT_CHARS:
        text = text[: EXCERPT_CHARS - 1].rstrip() + "…"
    return [plain(f"«{text}»")]


def _message(text: str, *blocks: Block) -> Message:
    return Message(text=text, blocks=(markdown(text), *blocks))


def _left_and_deadline(ctx: Context, ticket: Ticket, now: datetime, calendar: SlaCalendar) -> dict[str, str]:
    return {
        "left": left_text(ctx, calendar.between(now, ticket.deadline_at), calendar.business),
        "deadline": short_datetime(ticket.deadline_at, ctx.settings.tz, ctx.lang),
    }


def channel_reminder(ctx: Context, ticket: Ticket, now: datetime, calendar: SlaCalendar) -> Message:
    """To the advisers' channel while nobody has the ticket (or its assignee cannot get a DM)."""
    values = _left_and_deadline(ctx, ticket, now, calendar)
    if ticket.assignee_key:
        text = ctx.t("sla.remind.channel_assigned", number=ticket.number, name=safe_name(ticket.assignee_name), **values)
        return _message(text, *_excerpt(ticket))
    text = ctx.t("sla.remind.channel", number=ticket.number, **values)
    claim = Button(ctx.t("button.claim"), "ticket_claim", str(ticket.id), "primary")
    return _message(text, *_excerpt(ticket), buttons(claim))


def dm_reminder(ctx: Context, ticket: Ticket, now: datetime, calendar: SlaCalendar) -> Message:
    """To the adviser who has the ticket."""
    text = ctx.t("sla.remind.dm", number=ticket.number, **_left_and_deadline(ctx, ticket, now, calendar))
    return _message(text, *_excerpt(ticket))


def channel_reminders(ctx: Context, tickets: list[Ticket], now: datetime, calendar: SlaCalendar) -> Message:
    """Several reminders for one advisers' channel in one sweep: one message, one line each, and
    a "Ta saken …" menu for those nobody has."""
    lines = []
    for ticket in tickets:
        values = _left_and_deadline(ctx, ticket, now, calendar)
        if ticket.assignee_key:
            lines.append(ctx.t("sla.remind.channel_line_assigned", number=ticket.number,
                               name=safe_name(ticket.assignee_name), **values))
        else:
            lines.append(ctx.t("sla.remind.channel_line", number=ticket.number, **values))
    text = "\n".join([ctx.t("sla.remind.channel_many", count=len(tickets)), *lines])
    free = [(f"#{t.number}", str(t.id)) for t in tickets if not t.assignee_key]
    blocks: list[Block] = [select(ctx.t("sla.select.claim"), "ticket_claim", free)] if free else []
    return _message(text, *blocks)


def dm_reminders(ctx: Context, tickets: list[Ticket], now: datetime, calendar: SlaCalendar) -> Message:
    """Several reminders for one adviser in one sweep: one DM."""
    lines = [ctx.t("sla.remind.dm_line", number=t.number, **_left_and_deadline(ctx, t, now, calendar)) for t in tickets]
    return _message("\n".join([ctx.t("sla.remind.dm_many", count=len(tickets)), *lines]))


def promise_text(ctx: Context) -> str:
    hours = f"{ctx.settings.sla_hours:g}"
    business = ctx.settings.sla_calendar == "business"
    return ctx.t("sla.promise.business" if business else "sla.promise.calendar", hours=hours)


def breach_for_managers(ctx: Context, ticket: Ticket, now: datetime) -> Message:
    workspace = ctx.settings.workspace_name_map.get(ticket.workspace, ticket.workspace) or "?"
    assignee = safe_name(ticket.assignee_name) if ticket.assignee_key else ctx.t("sla.breach.nobody")
    text = ctx.t("sla.breach.managers", number=ticket.number, workspace=safe_name(workspace),
                 promise=promise_text(ctx), when=when_text(ctx, ticket.deadline_at, now), assignee=assignee)
    return _message(text, *_excerpt(ticket))


def breach_in_thread(ctx: Context, ticket: Ticket, now: datetime, *, managers_told: bool) -> Message:
    key = "sla.breach.thread" if managers_told else "sla.breach.thread_quiet"
    return _message(ctx.t(key, number=ticket.number, when=when_text(ctx, ticket.deadline_at, now)))
