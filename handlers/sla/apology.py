"""After a breach the asker hears from us once, when an adviser next acts on the ticket: taking
it (with a new expectation: SLA_RENEWED_HOURS on the SLA calendar), asking a question back, or
answering. Recorded as the ticket's "apology" notice, so it goes out exactly once."""

from __future__ import annotations

from typing import Literal

from bot.core.catalogue import t
from bot.core.context import Context
from bot.core.model import Message, markdown
from bot.core.tables import Ticket
from handlers.tickets.views import place_of, safe_name
from handlers.timefmt import long_datetime

from .calendar import calendar_for
from .plan import APOLOGY
from .record import record_notices

Act = Literal["claimed", "answered", "question"]


async def after_adviser_acted(ctx: Context, ticket: Ticket, act: Act) -> None:
    if ticket.breached_at is None or (asker_at := place_of(ticket.asker_place)) is None:
        return
    now = ctx.now()
    row = {"ticket_id": ticket.id, "kind": APOLOGY, "due_at": now, "created_at": now, "status": "sent"}
    if not await record_notices(ctx.session, ctx.db.is_sqlite, [row]):
        return  # already apologised
    settings = ctx.settings
    lang = ticket.lang
    name = safe_name(ticket.assignee_name)
    if act == "claimed":
        renewed = calendar_for(settings).add(now, settings.sla_renewed_hours * 3600)
        text = t(lang, "sla.apology.renewed", number=ticket.number, name=name,
                 deadline=long_datetime(renewed, settings.tz, lang))
    elif act == "question":
        text = t(lang, "sla.apology.question", number=ticket.number, name=name)
    else:
        text = t(lang, "sla.apology.answered", number=ticket.number)
    ctx.out.send(asker_at, Message(text=text, blocks=(markdown(text),)))
