"""The advisers' side: claim, release, assign, answer, resolve, reopen, label.

Only advisers act: people in the configured list, or members of an advisers' channel acting
from it. Everyone else gets a polite refusal and nothing changes. Button values name a
ticket; they are looked up, never trusted.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.context import Context
from bot.core.model import Message, Person
from bot.core.tables import Ticket
from handlers.cards import text_message
from handlers.router import Router

from . import store
from .routing import adviser_place, is_adviser_channel
from .service import known_advisers, named, person_from_key, refresh_cards
from .views import adviser_card_key, answer_card, answer_card_key, asker_status, deadline_text, place_of, quoted

from handlers.sla import apology as sla_apology, pause as sla_pause  # noqa: E402 - after the ticket modules it uses

router = Router()


async def is_adviser(ctx: Context, person: Person | None = None) -> bool:
    person = person or ctx.event.person
    if f"{person.platform}:{person.user_id}" in ctx.settings.adviser_keys:
        return True
    place = ctx.event.place
    if is_adviser_channel(ctx.settings, place.platform, place.channel):
        channel = place.channel.split(";")[0]
        return await ctx.services.directory(place.platform).is_channel_member(channel, person)
    return False


async def _ticket_for_action(ctx: Context) -> Ticket | None:
    """The ticket a button or menu names, for an adviser; None after telling the person why."""
    if not await is_adviser(ctx):
        ctx.reply(_private(ctx, "refuse.not_adviser"))
        return None
    action = ctx.event.action
    raw = (action.value if action else "").split("|", 1)[0]
    ticket_id = store.row_id(raw)
    ticket = await store.get(ctx.session, ticket_id) if ticket_id else None
    if ticket is None:
        ctx.reply(_private(ctx, "error.stale_button"))
        return None
    return ticket


def _private(ctx: Context, key: str, **values: object) -> Message:
    """A reply only the clicking person sees (ephemeral in a Slack channel)."""
    return replace(text_message(ctx, key, **values), ephemeral=True)


async def _me(ctx: Context) -> Person:
    return await named(ctx, ctx.event.person)


@router.on_action("ticket_claim")
async def claim(ctx: Context) -> None:
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return
    me = await _me(ctx)
    if ticket.status == "claimed" and ticket.assignee_key == me.key:
        return  # a double click: already yours
    if not await store.transition(ctx, ticket, ("open",), status="claimed", assignee_key=me.key,
                                  assignee_name=me.name[:200]):
        if ticket.status in store.CLOSED_STATES:
            ctx.reply(_private(ctx, "adviser.closed", number=ticket.number, status=asker_status(ctx, ticket)))
        elif ticket.assignee_key != me.key:
            ctx.reply(_private(ctx, "adviser.already_claimed", number=ticket.number, name=ticket.assignee_name or "?"))
        return
    await store.audit(ctx, ticket, "claimed", me)
    await sla_apology.after_adviser_acted(ctx, ticket, "claimed")
    await refresh_cards(ctx, ticket)


@router.on_action("ticket_release")
async def release(ctx: Context) -> None:
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return
    me = await _me(ctx)
    if ticket.status == "claimed" and ticket.assignee_key != me.key:
        ctx.reply(_private(ctx, "adviser.not_assignee", number=ticket.number, name=ticket.assignee_name or "?"))
        return
    if await store.transition(ctx, ticket, ("claimed",), status="open", assignee_key=None, assignee_name=""):
        await store.audit(ctx, ticket, "released", me)
        await refresh_cards(ctx, ticket)


@router.on_action("ticket_assign")
async def assign(ctx: Context) -> None:
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return
    me = await _me(ctx)
    target_key = (ctx.event.action.value if ctx.event.action else "").partition("|")[2]
    advisers = dict(await known_advisers(ctx))
    target = person_from_key(target_key, advisers.get(target_key, ""))
    if target is None or target_key not in advisers:
        ctx.reply(_private(ctx, "adviser.unknown_person"))
        return
    status = "claimed" if ticket.status == "open" else ticket.status
    if not await store.transition(ctx, ticket, store.OPEN_STATES, status=status, assignee_key=target.key,
                                  assignee_name=target.name[:200]):
        ctx.reply(_private(ctx, "adviser.closed", number=ticket.number, status=asker_status(ctx, ticket)))
        return
    await store.audit(ctx, ticket, "assigned", me, target_key=target.key, target_name=target.name)
    await sla_apology.after_adviser_acted(ctx, ticket, "claimed")
    if target.key != me.key:
        ctx.out.dm(target, text_message(ctx, "adviser.assigned_dm", actor=me.name or "?", number=ticket.number,
                                        deadline=deadline_text(ctx, ticket)))
    await refresh_cards(ctx, ticket)


@router.on_action("ticket_topic")
async def label(ctx: Context) -> None:
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return
    topic = (ctx.event.action.value if ctx.event.action else "").partition("|")[2]
    if topic not in ctx.settings.topics:
        ctx.reply(_private(ctx, "adviser.unknown_topic"))
        return
    if await store.transition(ctx, ticket, store.OPEN_STATES, topic=topic):
        await store.audit(ctx, ticket, "labelled", await _me(ctx), topic=topic)
        await refresh_cards(ctx, ticket, asker=False)


@router.on_action("ticket_resolve")
async def resolve(ctx: Context) -> None:
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return
    if await store.transition(ctx, ticket, store.OPEN_STATES, status="resolved", resolved_at=ctx.now()):
        await store.audit(ctx, ticket, "resolved", await _me(ctx))
        await refresh_cards(ctx, ticket)


@router.on_action("ticket_reopen")
async def reopen(ctx: Context) -> None:
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return
    status = "claimed" if ticket.assignee_key else "open"
    if not await store.transition(ctx, ticket, ("resolved",), status=status, resolved_at=None):
        ctx.reply(_private(ctx, "adviser.not_closed", number=ticket.number))
        return
    await store.audit(ctx, ticket, "reopened", await _me(ctx))
    await refresh_cards(ctx, ticket)


async def _ticket_and_text(ctx: Context) -> tuple[Ticket, str] | None:
    """The ticket a form names and the text typed into it; None after telling the adviser why."""
    ticket = await _ticket_for_action(ctx)
    if ticket is None:
        return None
    if not ctx.event.typed_text:
        ctx.reply(_private(ctx, "ticket.empty_input"))
        return None
    return ticket, ctx.event.typed_text


@router.on_action("ticket_answer")
async def answer_button(ctx: Context) -> None:
    if (found := await _ticket_and_text(ctx)) is None:
        return
    ticket, text = found
    await answer(ctx, ticket, text, echo=True)


@router.on_action("ticket_ask_asker")
async def ask_asker_button(ctx: Context) -> None:
    """"Spør spørreren": a question back to the asker; the SLA clock waits for the reply."""
    if (found := await _ticket_and_text(ctx)) is None:
        return
    ticket, text = found
    if ticket.status in store.CLOSED_STATES:
        ctx.reply(_private(ctx, "adviser.closed", number=ticket.number, status=asker_status(ctx, ticket)))
        return
    await sla_pause.ask_asker(ctx, ticket, text)


async def answer(ctx: Context, ticket: Ticket, text: str, *, echo: bool) -> None:
    """An adviser's answer: stored, relayed to the asker where they asked, the card updated.
    echo: also show it in the ticket's thread (when it was written in a form, not there)."""
    if ticket.status in store.CLOSED_STATES:
        ctx.reply(_private(ctx, "adviser.closed", number=ticket.number, status=asker_status(ctx, ticket)))
        return
    me = await _me(ctx)
    await sla_pause.resume(ctx, ticket, me)  # an answer ends a wait for the asker
    message = await store.add_message(ctx, ticket, "adviser", me, text)
    values: dict[str, object] = {"status": "answered"}
    if not ticket.assignee_key:
        values.update(assignee_key=me.key, assignee_name=me.name[:200])
    if ticket.first_answer_at is None:
        values["first_answer_at"] = ctx.now()  # the 48-hour clock stops here
    if not await store.transition(ctx, ticket, store.OPEN_STATES, **values):
        return
    await store.audit(ctx, ticket, "answered", me, message_id=message.id)
    await sla_apology.after_adviser_acted(ctx, ticket, "answered")
    if (asker_at := place_of(ticket.asker_place)) is not None:
        ctx.out.card(answer_card_key(ticket, message.id or 0), asker_at, answer_card(ctx, ticket, me.name or "?", text))
    if echo:
        ctx.out.in_card_thread(adviser_card_key(ticket), adviser_place(ctx.settings, ticket.route, ticket.platform),
                               quoted(ctx, "adviser.answer_sent", me.name, text))
    await refresh_cards(ctx, ticket)
