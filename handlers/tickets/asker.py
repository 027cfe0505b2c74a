"""The asker's side of a ticket: open, add details, follow up, withdraw, thank, list."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta


from bot.core.context import Context
from bot.core.model import Message, Place, markdown
from bot.core.tables import PendingInput, Question, Ticket
from handlers.cards import text_message
from handlers.questions import own_question
from handlers.router import Router
from handlers.timefmt import short_datetime

from . import store
from .routing import adviser_place
from .service import named, open_ticket, refresh_cards
from .views import adviser_card_key, asker_status, quoted

from handlers.sla import pause as sla_pause  # noqa: E402 - after the ticket modules it uses

router = Router()
PENDING_INPUT_MINUTES = 30
MINE = {"mine saker", "mine saker?", "mine saker.", "mine spørsmål", "mine saker på vent", "sakene mine"}


async def escalate(ctx: Context, question: Question) -> None:
    """Nothing in the knowledge base is good enough: a ticket, at once."""
    await open_ticket(ctx, question, origin="escalate")


def _owns(ctx: Context, ticket: Ticket | None) -> bool:
    person = ctx.event.person
    return (ticket is not None and ticket.platform == person.platform and ticket.workspace == person.workspace
            and ticket.asker_user_id == person.user_id)


async def _own_ticket(ctx: Context) -> Ticket | None:
    """The ticket a button names, if the person pressing it asked it; else tell them."""
    action = ctx.event.action
    ticket_id = store.row_id(action.value) if action else None
    ticket = await store.get(ctx.session, ticket_id) if ticket_id else None
    if ticket is None:
        ctx.reply(text_message(ctx, "error.stale_button"))
        return None
    if not _owns(ctx, ticket):
        ctx.reply(text_message(ctx, "refuse.not_asker"))
        return None
    return ticket


@router.on_action("ask_adviser")
async def ask_adviser(ctx: Context) -> None:
    question = await own_question(ctx, ctx.event.action.value if ctx.event.action else "")
    if question is None:
        ctx.reply(text_message(ctx, "error.not_yours"))
        return
    existing = await store.for_question(ctx.session, question.id or 0)
    if existing is not None:
        ctx.reply(text_message(ctx, "ticket.already", number=existing.number))
        return
    unhelpful = question.article_id if question.outcome in ("answer", "picked") else None
    await open_ticket(ctx, question, unhelpful_article=unhelpful, origin="request")


@router.on_action("ticket_withdraw")
async def withdraw(ctx: Context) -> None:
    ticket = await _own_ticket(ctx)
    if ticket is None:
        return
    if not await store.transition(ctx, ticket, store.OPEN_STATES, status="withdrawn", closed_at=ctx.now()):
        ctx.reply(text_message(ctx, "ticket.closed_for_input", number=ticket.number, status=asker_status(ctx, ticket)))
        return
    asker = await named(ctx, ctx.event.person)
    await store.audit(ctx, ticket, "withdrawn", asker)
    ctx.reply(text_message(ctx, "ticket.withdrawn", number=ticket.number))
    ctx.out.in_card_thread(adviser_card_key(ticket), _adviser_place(ctx, ticket),
                           text_message(ctx, "adviser.withdrawn", number=ticket.number))
    await refresh_cards(ctx, ticket)


@router.on_action("ticket_details", "ticket_follow_up")
async def add_to_ticket(ctx: Context) -> None:
    ticket = await _own_ticket(ctx)
    if ticket is None:
        return
    kind = "details" if ctx.event.action and ctx.event.action.action_id == "ticket_details" else "follow_up"
    text = ctx.event.typed_text
    if not text:
        # No form on this surface: the next message the asker writes belongs to the ticket.
        await ctx.session.merge(PendingInput(person_key=ctx.event.person.key, ticket_id=ticket.id or 0, kind=kind,
                                             expires_at=ctx.now() + timedelta(minutes=PENDING_INPUT_MINUTES)))
        ctx.reply(text_message(ctx, "ticket.details_prompt", number=ticket.number))
        return
    await asker_writes(ctx, ticket, text, kind)


async def asker_writes(ctx: Context, ticket: Ticket, text: str, kind: str) -> None:
    """Something the asker wrote about their ticket reaches the advisers; nothing is lost."""
    if ticket.status == "withdrawn":
        ctx.reply(text_message(ctx, "ticket.closed_for_input", number=ticket.number, status=asker_status(ctx, ticket)))
        return
    text = text.strip()  # national ids were masked before the event was stored
    asker = await named(ctx, ctx.event.person)
    await store.add_message(ctx, ticket, "asker", asker, text)
    await sla_pause.resume(ctx, ticket, asker)  # the asker replied: the SLA clock runs again
    if ticket.status in ("answered", "resolved"):  # the advisers have work again
        await store.transition(ctx, ticket, ("answered", "resolved"), resolved_at=None,
                               status="claimed" if ticket.assignee_key else "open")
    await store.audit(ctx, ticket, kind, asker)
    intro = "adviser.details" if kind == "details" else "adviser.follow_up"
    ctx.out.in_card_thread(adviser_card_key(ticket), _adviser_place(ctx, ticket), quoted(ctx, intro, asker.name, text))
    ctx.reply(text_message(ctx, "ticket.details_added" if kind == "details" else "ticket.follow_up_sent",
                           number=ticket.number))
    await refresh_cards(ctx, ticket)


@router.on_action("ticket_thanks")
async def thanks(ctx: Context) -> None:
    ticket = await _own_ticket(ctx)
    if ticket is None:
        return
    if await store.transition(ctx, ticket, ("answered",), status="resolved", resolved_at=ctx.now()):
        await store.audit(ctx, ticket, "resolved", await named(ctx, ctx.event.person), by="asker")
        await refresh_cards(ctx, ticket)
    ctx.reply(text_message(ctx, "ticket.thanks_ack", number=ticket.number))


@router.on_command(lambda text: text.rstrip("!?. ") in MINE or text in MINE)
async def my_tickets(ctx: Context) -> None:
    if ctx.event.place.kind not in ("dm", "slash"):  # others read along in a channel: privately, a pointer
        ctx.reply(replace(text_message(ctx, "privacy.only_in_dm", command="mine saker"), ephemeral=True))
        return
    tickets = await store.open_tickets_of(ctx.session, ctx.event.person)
    if not tickets:
        ctx.reply(text_message(ctx, "mine.none"))
        return
    tz = ctx.settings.tz
    lines = []
    for ticket in tickets:
        if ticket.first_answer_at is not None:
            when = ctx.t("mine.answered", answered=short_datetime(ticket.first_answer_at, tz, ctx.lang))
        else:
            when = ctx.t("mine.due", deadline=short_datetime(ticket.deadline_at, tz, ctx.lang))
        lines.append("• " + ctx.t("mine.line", number=ticket.number, status=asker_status(ctx, ticket), when=when))
    heading = ctx.t("mine.heading")
    ctx.reply(Message(text=heading, blocks=(markdown(f"**{heading}**\n" + "\n".join(lines)),)))


async def consume_pending(ctx: Context) -> bool:
    """If the asker was asked to write details, this message is them."""
    pending = await store.take_pending_input(ctx)
    if pending is None:
        return False
    ticket = await store.get(ctx.session, pending.ticket_id)
    if ticket is None or not _owns(ctx, ticket):
        return False
    if not ctx.event.text.strip():
        ctx.reply(text_message(ctx, "ticket.empty_input"))
        return True
    await asker_writes(ctx, ticket, ctx.event.text, pending.kind)
    return True


def _adviser_place(ctx: Context, ticket: Ticket) -> Place:
    return adviser_place(ctx.settings, ticket.route, ticket.platform)
