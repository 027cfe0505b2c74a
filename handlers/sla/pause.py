"""The pause: an adviser asks the asker a question back ("Spør spørreren" on the advisers' card).

The question is relayed to the asker where they asked, as a card with a "Svar" button (and its
thread takes replies, like an answer's). While the ticket waits for the asker the clock stands
still (SLA_PAUSE_ON_QUESTION): ticket.paused_at is set and the sweep sends nothing. The asker's
reply, whichever way it arrives (the button, a reply in the thread, "Legg til detaljer"), resumes
the clock: the deadline moves by the paused time counted on the SLA calendar, which is added up
in ticket.paused_seconds. An adviser's answer also ends the pause.
"""

from __future__ import annotations

from sqlalchemy import update

from bot.core.catalogue import t
from bot.core.context import Context
from bot.core.model import Button, Form, Message, Person, buttons, heading, note, plain
from bot.core.tables import SLA_CHECK_NOW, Ticket
from handlers.tickets import store
from handlers.tickets.routing import adviser_place
from handlers.tickets.service import named, refresh_cards
from handlers.tickets.views import adviser_card_key, place_of, quoted, safe_name

from . import apology
from .calendar import calendar_for


def question_card_key(ticket: Ticket, message_id: int) -> str:
    return f"ticket:{ticket.id}:ask:{message_id}"


def question_card(ticket: Ticket, adviser_name: str, text: str, *, paused: bool) -> Message:
    """What the asker sees (in the asker's language)."""
    lang = ticket.lang
    reply = Button(t(lang, "button.answer"), "ticket_follow_up", str(ticket.id), "primary",
                   Form(t(lang, "sla.ask.reply_title"), t(lang, "sla.ask.reply_label", number=ticket.number),
                        t(lang, "form.send")))
    blocks = [heading(t(lang, "sla.ask.heading", name=safe_name(adviser_name), number=ticket.number)), plain(text)]
    if paused:
        blocks.append(note(t(lang, "sla.ask.paused_note")))
    blocks.append(buttons(reply))
    return Message(text=t(lang, "sla.ask.fallback", number=ticket.number), blocks=tuple(blocks))


async def ask_asker(ctx: Context, ticket: Ticket, text: str) -> None:
    """Relay an adviser's question to the asker and stop the clock until they reply."""
    me = await named(ctx, ctx.event.person)
    message = await store.add_message(ctx, ticket, "adviser", me, text)
    pause = ctx.settings.sla_pause_on_question and ticket.first_answer_at is None
    values: dict[str, object] = {}
    if not ticket.assignee_key:  # asking back is working the ticket: it is yours now
        values.update(assignee_key=me.key, assignee_name=me.name[:200])
        if ticket.status == "open":
            values["status"] = "claimed"
    if pause and ticket.paused_at is None:
        values["paused_at"] = ctx.now()
    if not await store.transition(ctx, ticket, store.OPEN_STATES, **values):
        return
    await store.audit(ctx, ticket, "asked", me, message_id=message.id, paused=pause)
    await apology.after_adviser_acted(ctx, ticket, "question")
    if (asker_at := place_of(ticket.asker_place)) is not None:
        ctx.out.card(question_card_key(ticket, message.id or 0), asker_at,
                     question_card(ticket, me.name or "?", text, paused=pause))
    echo = "sla.ask.echo" if pause else "sla.ask.echo_no_pause"
    ctx.out.in_card_thread(adviser_card_key(ticket), adviser_place(ctx.settings, ticket.route, ticket.platform),
                           quoted(ctx, echo, me.name, text))
    await refresh_cards(ctx, ticket)


async def resume(ctx: Context, ticket: Ticket, actor: Person | None) -> bool:
    """End a pause: move the deadline by the paused time (counted on the SLA calendar)."""
    if ticket.paused_at is None:
        return False
    calendar = calendar_for(ctx.settings)
    paused = max(0.0, calendar.between(ticket.paused_at, ctx.now()))
    values: dict[str, object] = {"paused_at": None, "paused_seconds": ticket.paused_seconds + paused,
                                 "sla_check_at": SLA_CHECK_NOW, "updated_at": ctx.now()}
    if ticket.first_answer_at is None:
        values["deadline_at"] = calendar.add(ticket.deadline_at, paused)
    result = await ctx.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.paused_at == ticket.paused_at).values(**values)  # type: ignore[arg-type]
    )
    await ctx.session.refresh(ticket)
    if result.rowcount != 1:
        return False
    await store.audit(ctx, ticket, "resumed", actor, paused_seconds=round(paused))
    return True
