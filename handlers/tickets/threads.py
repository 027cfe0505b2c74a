"""Messages that belong to a ticket rather than being new questions (middleware):
replies in a ticket card's thread, and the text an asker was asked to write."""

from __future__ import annotations

from bot.core.context import Context
from handlers.router import Handler

from . import store
from .adviser import answer, is_adviser
from .asker import asker_writes, consume_pending


def _thread_of(ctx: Context) -> tuple[str, str | None]:
    place = ctx.event.place
    if place.platform == "teams" and ";messageid=" in place.channel:
        channel, _, message_id = place.channel.partition(";messageid=")
        return channel, message_id
    return place.channel, place.thread


async def ticket_messages(ctx: Context, call_next: Handler) -> None:
    event = ctx.event
    if event.kind not in ("message", "thread_reply"):
        await call_next(ctx)
        return
    channel, thread = _thread_of(ctx)
    if thread:
        found = await store.ticket_of_card_message(ctx.session, event.platform, channel, thread)
        if found is not None:
            ticket, side = found
            text = event.text.strip()
            if side == "advisers":
                if text and await is_adviser(ctx):
                    await answer(ctx, ticket, text, echo=False)
                return  # advisers talking among themselves under a card stay there
            person = event.person
            if (ticket.platform, ticket.workspace, ticket.asker_user_id) == (person.platform, person.workspace, person.user_id) and text:
                await asker_writes(ctx, ticket, text, "follow_up")
                return
    if event.kind == "message" and await consume_pending(ctx):
        return
    await call_next(ctx)
